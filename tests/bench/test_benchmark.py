"""`seed_scale` and `bench`, run small: the benchmark must keep working as the pages change."""

import json

import pytest
from django.core.management import CommandError, call_command
from django.test import Client, override_settings
from django.utils import timezone

from activities.models import Event, Registration
from bench.management.commands import bench, seed_scale
from culturecenter.models import Member
from lending.models import CheckIn, Copy, Loan

pytestmark = pytest.mark.django_db


def test_district_data_is_never_put_into_the_real_database():
    with pytest.raises(CommandError, match="DJANGO_SCALE_DATABASE"):
        call_command(seed_scale.Command())
    with pytest.raises(CommandError, match="DJANGO_SCALE_DATABASE"):
        call_command(bench.Command())


@override_settings(SCALE_DATABASE=True)
def test_seed_scale_fills_valid_data_and_bench_measures_every_key_page(tmp_path, capsys):
    call_command(seed_scale.Command(), factor=0.002)
    assert Member.objects.count() == 200 + 2  # and the benchmark's own villager and child
    assert Registration.objects.count() == 1000 and Loan.objects.count() == 2000 and CheckIn.objects.count() == 2000
    assert Event.objects.filter(starts_at__gt=timezone.now()).exists()
    # a copy out on loan is marked so, and has exactly one open loan
    out = Copy.objects.filter(status=Copy.Status.ON_LOAN)
    assert out.exists()
    assert all(Loan.objects.filter(copy=copy, returned_at__isnull=True).count() == 1 for copy in out[:20])

    call_command(seed_scale.Command(), factor=0.002)
    assert "already filled" in capsys.readouterr().out

    output = tmp_path / "results.json"
    call_command(bench.Command(), repeat=2, no_load=True, output=str(output))
    results = json.loads(output.read_text())
    pages = {page["name"]: page for page in results["pages"]}
    assert {"home", "event list", "sign-up (POST)", "desk scan: lend (POST)", "questionnaire results"} <= set(pages)
    assert {"briefing: a year computed (draft)", "briefing: signed off (frozen)"} <= set(pages)
    assert all(page["median_ms"] > 0 for page in pages.values())
    assert pages["sign-up (POST)"]["queries"] > 0 and pages["home, logged in"]["queries"] > 0
    assert pages["home"]["queries"] == 0  # anonymous: served from the cache
    for name in ("home, logged in", "event list, logged in", "event detail, logged in"):
        assert pages[name]["goal_ms"] == 8
    assert results["rows"]["loans"] >= 2000  # and the desk scans the benchmark made
    assert "questionnaire results" in capsys.readouterr().out


@override_settings(SCALE_DATABASE=True)
def test_the_load_test_sees_the_pages_as_the_logged_in_villager(settings):
    from bench import pages, scale
    from bench.management.commands.bench import LOADED_PAGES

    call_command(seed_scale.Command(), factor=0.002)
    settings.ALLOWED_HOSTS = ["testserver"]
    cookie = pages.session_cookie(scale.BENCH_VILLAGER)
    body = Client(HTTP_COOKIE=cookie).get(pages.busiest_event().get_absolute_url(), secure=True).content.decode()
    assert "登录后报名" not in body and 'href="/accounts/notices/"' in body  # the header of a member
    assert {name for name, _path, logged_in in LOADED_PAGES if logged_in} == {
        "event list, logged in",
        "event detail, logged in",
    }
