import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone
from openpyxl import load_workbook
from PIL import Image

from activities.models import Attachment, Registration
from culturecenter.models import Notice
from tests.conftest import make_event, make_villager, sign_up

pytestmark = pytest.mark.django_db


def test_work_log_records_attendance_and_marks_no_shows(staff_client, staff_user):
    event = make_event(starts_in=-timedelta(hours=3))
    came, missed = make_villager(), make_villager()
    sign_up(event, came, checked_in_at=timezone.now() - timedelta(hours=3))
    sign_up(event, missed)

    response = staff_client.post(
        f"/activities/{event.pk}/worklog/", {"form": "log", "summary": "活动顺利", "incidents": ""}, follow=True
    )

    assert "工作日志已保存" in response.content.decode()
    assert event.work_log.attendance == 1 and event.work_log.written_by == staff_user
    assert Registration.objects.get(member=missed).no_show is True
    assert Registration.objects.get(member=came).no_show is False


def test_work_log_before_the_event_is_refused(staff_client, event):
    response = staff_client.post(f"/activities/{event.pk}/worklog/", {"form": "log", "summary": "x"}, follow=True)
    assert "活动开始后才能填写工作日志" in response.content.decode()


def test_two_no_shows_pause_online_sign_up_for_thirty_days(villager_client, villager, settings):
    for days in (40, 10):
        past = make_event(starts_in=-timedelta(days=days))
        sign_up(past, villager, no_show=True)
    upcoming = make_event(title="茶艺课")

    response = villager_client.post(f"/activities/{upcoming.pk}/signup/", {"member": villager.pk}, follow=True)

    until = timezone.localdate() - timedelta(days=10) + timedelta(days=30)
    body = response.content.decode()
    assert "网上报名暂停至" in body and f"{until.year}年{until.month}月{until.day}日" in body
    assert not upcoming.registrations.exists()


def test_old_no_shows_do_not_count(villager_client, villager):
    for days in (200, 10):
        sign_up(make_event(starts_in=-timedelta(days=days)), villager, no_show=True)
    upcoming = make_event(title="茶艺课")
    villager_client.post(f"/activities/{upcoming.pk}/signup/", {"member": villager.pk})
    assert upcoming.registrations.get().status == "confirmed"


def test_staff_can_still_sign_up_a_paused_villager_at_the_desk(staff_client, villager):
    for days in (40, 10):
        sign_up(make_event(starts_in=-timedelta(days=days)), villager, no_show=True)
    upcoming = make_event(title="茶艺课")
    response = staff_client.post(f"/activities/{upcoming.pk}/registrants/", {"who": villager.reader_card}, follow=True)
    assert "已为 王建华 报名" in response.content.decode()
    assert upcoming.registrations.get().registered_by.username == "staff"


def test_reminders_go_once_to_everyone_with_a_place_tomorrow(db):
    tomorrow = timezone.localtime().replace(hour=10, minute=0) + timedelta(days=1)
    event = make_event(starts_in=tomorrow - timezone.now())
    later = make_event(title="下周活动", starts_in=timedelta(days=7))
    confirmed, waiting = make_villager(), make_villager()
    sign_up(event, confirmed)
    sign_up(event, waiting, status="waiting")
    sign_up(later, confirmed)

    call_command("send_event_reminders", stdout=io.StringIO())
    call_command("send_event_reminders", stdout=io.StringIO())

    assert list(Notice.objects.values_list("member", flat=True)) == [confirmed.pk]
    assert "明天" in Notice.objects.get().text


def test_registrants_export_csv_and_xlsx_with_attendance(staff_client):
    event = make_event()
    sign_up(event, make_villager(name='=HYPERLINK("x")'), checked_in_at=timezone.now())
    sign_up(event, make_villager(name="李秀兰"), status="waiting")

    csv_body = staff_client.get(f"/activities/{event.pk}/registrants.csv").content.decode("utf-8-sig")
    assert "李秀兰" in csv_body and "候补中" in csv_body
    assert "'=HYPERLINK" in csv_body  # never a live formula in a spreadsheet

    xlsx = staff_client.get(f"/activities/{event.pk}/registrants.xlsx")
    rows = list(load_workbook(io.BytesIO(xlsx.content)).active.iter_rows(values_only=True))
    assert rows[0][0] == "姓名 Name" and len(rows) == 3
    assert staff_client.get(f"/activities/{event.pk}/registrants.exe").status_code == 404


def test_villagers_cannot_see_or_export_registrants(villager_client, event):
    for url in (
        f"/activities/{event.pk}/registrants/",
        f"/activities/{event.pk}/registrants.csv",
        f"/activities/{event.pk}/worklog/",
        "/activities/archive/",
    ):
        assert villager_client.get(url).status_code == 403


def _png_bytes():
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(buffer, format="PNG")
    return buffer.getvalue()


def test_archive_lists_the_months_events_with_attendance_and_files(staff_client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    event = make_event(starts_in=-timedelta(hours=5))
    sign_up(event, make_villager(), checked_in_at=timezone.now())
    staff_client.post(f"/activities/{event.pk}/worklog/", {"form": "log", "summary": "顺利"})
    staff_client.post(
        f"/activities/{event.pk}/worklog/",
        {
            "form": "attachment",
            "kind": "photo",
            "title": "现场照片",
            "file": SimpleUploadedFile("p.png", _png_bytes(), content_type="image/png"),
        },
    )
    month = timezone.localtime(event.starts_at).strftime("%Y-%m")

    body = staff_client.get("/activities/archive/", {"month": month}).content.decode()

    assert event.title in body and "1 / 1" in body and "已填写" in body and "照片" in body
    assert staff_client.get("/activities/archive/", {"month": "not-a-month"}).status_code == 200


def test_a_fake_document_is_refused(staff_client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    event = make_event(starts_in=-timedelta(hours=5))
    response = staff_client.post(
        f"/activities/{event.pk}/worklog/",
        {"form": "attachment", "kind": "plan", "file": SimpleUploadedFile("plan.pdf", b"MZ\x90\x00 not a pdf")},
    )
    assert "活动方案和活动记录须为 PDF" in response.content.decode()
    assert not Attachment.objects.exists()


def test_the_archive_shows_attendance_only_for_events_that_have_started(staff_client):
    held = make_event(title="已举办的讲座", starts_in=-timedelta(minutes=90))
    coming = make_event(title="下周的讲座", starts_in=timedelta(minutes=90))
    for event in (held, coming):
        for _ in range(3):
            sign_up(event, make_villager())
    sign_up(held, make_villager(), checked_in_at=timezone.now() - timedelta(minutes=80))
    month = timezone.localtime(coming.starts_at).strftime("%Y-%m")

    body = staff_client.get("/activities/archive/", {"month": month}).content.decode()

    coming_row = body[body.index("下周的讲座") :].split("</tr>")[0]
    assert "尚未举办 · 已报名 3 人" in coming_row and "0 / 3" not in coming_row
    assert "未填写" not in coming_row  # no work log is missing before the event
    if timezone.localtime(held.starts_at).strftime("%Y-%m") == month:
        assert "1 / 4" in body
