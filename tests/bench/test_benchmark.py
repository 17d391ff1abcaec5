"""`seed_scale` and `bench`, run small: the benchmark must keep working as the pages change."""

import json

import pytest
from django.core.management import CommandError, call_command
from django.test import Client, override_settings
from django.utils import timezone

from activities.models import (
    Article,
    Booking,
    Course,
    Event,
    HoursEntry,
    Occupancy,
    PracticeAttendance,
    Registration,
    SessionAttendance,
    Shift,
    ShiftSignup,
    TeamMembership,
    Venue,
    Volunteer,
)
from bench.management.commands import bench, seed_scale
from culturecenter.models import Member
from feedback.models import Questionnaire
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
    assert {
        "room calendar, week", "room page", "team list", "team page", "course list", "course page",
        "volunteering, open shifts", "volunteer coordination", "news list", "news article", "quiz page (closed, drawn)",
    } <= set(pages)  # fmt: skip
    assert {"briefing: a year computed (draft)", "briefing: signed off (frozen)"} <= set(pages)
    assert all(page["median_ms"] > 0 for page in pages.values())
    assert pages["sign-up (POST)"]["queries"] > 0 and pages["home, logged in"]["queries"] > 0
    assert pages["home"]["queries"] == 0  # anonymous: served from the cache
    for name in ("home, logged in", "event list, logged in", "event detail, logged in"):
        assert pages[name]["goal_ms"] == 8
    assert results["rows"]["loans"] >= 2000  # and the desk scans the benchmark made
    assert "questionnaire results" in capsys.readouterr().out


@override_settings(SCALE_DATABASE=True)
def test_seed_scale_lays_out_the_room_calendar_without_overlaps_and_fills_the_newer_areas():
    call_command(seed_scale.Command(), factor=0.002)
    rooms = Venue.objects.rooms()
    assert rooms.count() == 5 and not rooms.filter(capacity__isnull=True, kind=Venue.Kind.ROOM).exists()
    # every approved event in a center room holds it, with its set-up and clean-up
    in_rooms = Event.objects.filter(venue__in=rooms, status=Event.Status.APPROVED)
    assert in_rooms.exists() and not in_rooms.filter(occupancies__isnull=True).exists()
    claim = Occupancy.objects.filter(event__isnull=False).first()
    assert claim.blocked_from < claim.starts_at and claim.blocked_until > claim.ends_at
    # no two claims on a room overlap (PostgreSQL's exclusion constraint would refuse them)
    for venue_id in Occupancy.objects.values_list("venue", flat=True).distinct():
        held = list(Occupancy.objects.filter(venue_id=venue_id).order_by("blocked_from").values_list(
            "blocked_from", "blocked_until"))  # fmt: skip
        assert all(end <= next_start for (_s, end), (next_start, _e) in zip(held, held[1:], strict=False))
    practices = Booking.objects.filter(purpose=Booking.Purpose.PRACTICE, team__isnull=False)
    assert practices.count() == 4 * 52 and not practices.filter(occupancies__isnull=True).exists()
    assert PracticeAttendance.objects.exists() and TeamMembership.objects.filter(left_on__isnull=True).count() > 2
    assert Course.objects.count() == 4 and SessionAttendance.objects.exists()
    assert Occupancy.objects.filter(session__isnull=False).count() == 40
    assert Volunteer.objects.exists() and Shift.objects.upcoming().exists()
    assert ShiftSignup.objects.exists() and HoursEntry.objects.counted().exists()
    assert Article.objects.published().exists()
    quiz = Questionnaire.objects.get(is_quiz=True)
    assert quiz.draw.drawn_at is not None and quiz.responses.filter(score__isnull=False).exists()


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
