"""The site as a whole: health, security headers, language, settings, demo data."""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from unittest import mock

import polib
import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import OperationalError

from culturecenter.lib import env, health
from culturecenter.models import Member, OpeningSchedule, SpecialDay, User

ROOT = Path(__file__).resolve().parents[2]


def test_healthz_answers_200_when_the_database_answers(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_healthz_answers_503_when_the_database_does_not(client, db):
    with mock.patch("culturecenter.views.database_answers", return_value=False) as check:
        response = client.get("/healthz")
    assert response.status_code == 503
    check.assert_called_once_with(timeout=2)


def test_a_frozen_postgresql_is_reported_within_the_timeout():
    """A frozen server completes the TCP handshake and then never says a word."""
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        host, port = silent.getsockname()
        started = time.monotonic()
        answered = health.postgresql_answers({"host": host, "port": port, "dbname": "x", "user": "x"}, timeout=1)
    assert answered is False
    assert time.monotonic() - started < 2


def test_while_the_database_is_away_visitors_get_a_plain_chinese_page(client, db):
    with mock.patch("culturecenter.views.hours.status_at", side_effect=OperationalError("server closed")):
        response = client.get("/hours/")
    body = response.content.decode()
    assert response.status_code == 503 and response["Retry-After"] == "30"
    assert "稍后" in body and "010-6985 0000" in body


def test_pages_forbid_inline_script_and_framing(client, db):
    response = client.get("/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert response["X-Frame-Options"] == "DENY"
    assert "<script>" not in response.content.decode()


def test_chinese_by_default_even_for_an_english_browser(client, db):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert '<html lang="zh-hans">' in response.content.decode()
    assert "首页" in response.content.decode()


def test_language_switch_turns_the_site_english_and_back(client, db):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/hours/"}, follow=True)
    body = response.content.decode()
    assert response.redirect_chain[-1][0] == "/hours/"
    assert '<html lang="en">' in body
    assert "Opening hours" in body and "开放时间" not in body

    body = client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"}, follow=True).content.decode()
    assert "开放时间" in body


def test_every_chinese_translation_is_filled_in():
    catalogue = polib.pofile(str(ROOT / "locale/zh_Hans/LC_MESSAGES/django.po"))
    assert catalogue.untranslated_entries() == []
    assert catalogue.fuzzy_entries() == []
    assert catalogue.percent_translated() == 100
    english = polib.pofile(str(ROOT / "locale/en/LC_MESSAGES/django.po"))
    assert english.fuzzy_entries() == []  # a fuzzy match would show the wrong English text


def test_no_visible_string_is_missing_from_the_catalogue():
    """makemessages finds nothing new: every {% translate %} and gettext is in the .po file."""
    path = ROOT / "locale/zh_Hans/LC_MESSAGES/django.po"
    original = path.read_bytes()
    known = {(entry.msgctxt, entry.msgid) for entry in polib.pofile(str(path))}
    try:
        subprocess.run(
            [
                sys.executable,
                "manage.py",
                "makemessages",
                "-l",
                "zh_Hans",
                "--ignore=.venv",
                "--ignore=staticfiles",
                "--ignore=tests",
                "--no-obsolete",
            ],
            cwd=ROOT,
            check=True,
            capture_output=True,
        )
        fresh = {(entry.msgctxt, entry.msgid) for entry in polib.pofile(str(path))}
    finally:
        path.write_bytes(original)
    assert fresh - known == set()


def test_env_helpers_fail_loudly_on_bad_values(monkeypatch):
    monkeypatch.setenv("SOME_FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="SOME_FLAG"):
        env.env_bool("SOME_FLAG", False)
    monkeypatch.setenv("SOME_NUMBER", "ten")
    with pytest.raises(ImproperlyConfigured, match="SOME_NUMBER"):
        env.env_int("SOME_NUMBER", 1)
    monkeypatch.delenv("MISSING_ONE", raising=False)
    with pytest.raises(ImproperlyConfigured, match="MISSING_ONE"):
        env.env_str("MISSING_ONE")
    monkeypatch.setenv("HOSTS", "a.example, b.example")
    assert env.env_list("HOSTS", []) == ["a.example", "b.example"]


PRODUCTION = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "x7#kq2-production-secret-for-the-deploy-check-only-9f8e7d6c5b4a",
    "DJANGO_ALLOWED_HOSTS": "wenhua.qingshui.example",
}


def _manage(*args, **extra_env):
    environment = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    environment.update(extra_env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=environment, capture_output=True, text=True
    )


def test_production_settings_pass_the_deploy_check():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stderr + result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    result = _manage("check", DJANGO_DEBUG="0", DJANGO_ALLOWED_HOSTS="wenhua.qingshui.example")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_seed_demo_loads_once_and_changes_nothing_the_second_time(db, settings):
    settings.DEBUG = True  # pytest runs with DEBUG off, which the command treats as production
    call_command("seed_demo", stdout=open(os.devnull, "w"))
    counts = (User.objects.count(), Member.objects.count(), OpeningSchedule.objects.count(), SpecialDay.objects.count())
    passwords = dict(User.objects.values_list("username", "password"))

    call_command("seed_demo", stdout=open(os.devnull, "w"))

    assert (
        User.objects.count(),
        Member.objects.count(),
        OpeningSchedule.objects.count(),
        SpecialDay.objects.count(),
    ) == counts
    assert dict(User.objects.values_list("username", "password")) == passwords
    assert Member.objects.count() >= 30
    assert set(Member.objects.values_list("village", flat=True)) >= {
        "shangqingshui",
        "xiaqingshui",
        "yanjiatai",
        "huangantuo",
        "hongshuikou",
        "xidamo",
    }
    guardian = Member.objects.get(mobile="13800000001")
    assert guardian.user.check_password("qingshui-demo-2024")
    assert guardian.household.members.filter(user__isnull=True, birth_year__gte=2014).exists()
    reviewer = User.objects.get(username="reviewer")
    assert reviewer.groups.filter(name="审核人").exists() and reviewer.is_staff


def test_seed_demo_refuses_in_production(settings, db):
    from django.core.management.base import CommandError

    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("seed_demo")
