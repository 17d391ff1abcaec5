from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from activities import tickets
from activities.models import Registration
from culturecenter import roles
from tests.conftest import make_dependant, make_event, make_staff, make_villager, read_qr, sign_up

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def at_the_door(time_machine, event):
    """The clock stands ten minutes before the event starts: check-in is open."""
    time_machine.move_to(event.starts_at - timedelta(minutes=10), tick=False)


def test_ticket_codes_are_signed_and_forgiving_to_type():
    code = tickets.new_code()
    assert len(code) == 12
    shown = tickets.display(code)
    assert tickets.normalise(shown.lower()) == code
    assert tickets.normalise(f" {shown} ") == code
    assert tickets.normalise(f"https://example.cn/activities/tickets/{code}/") == code
    tampered = code[:-1] + ("A" if code[-1] != "A" else "B")
    assert tickets.normalise(tampered) is None
    assert tickets.normalise("'; DROP TABLE x; --") is None


def test_ticket_page_shows_the_qr_for_my_household(villager_client, villager, event):
    child = make_dependant(villager)
    registration = sign_up(event, child)

    body = villager_client.get(f"/activities/tickets/{registration.code}/").content.decode()

    assert "<svg" in body and "王小雨" in body
    assert tickets.display(registration.code) in body
    assert villager.mobile not in body  # the ticket carries no personal data beyond the name


def test_the_tickets_qr_is_a_full_qr_code_a_phone_reads_as_the_code_the_door_accepts(
    client, villager_client, villager, event, time_machine
):
    registration = sign_up(event, make_dependant(villager))
    body = villager_client.get(f"/activities/tickets/{registration.code}/").content.decode()
    svg = body[body.index("<svg") : body.index("</svg>") + 6]

    read = read_qr(svg)

    assert read == [(registration.code, "QRCode")]  # not a Micro QR, which WeChat and phone cameras ignore
    assert 'viewBox="0 0 290 290"' in svg  # 21 modules and a quiet zone of 4 on each side
    time_machine.move_to(event.starts_at, tick=False)
    client.force_login(make_staff())
    response = client.post(checkin_url(event), {"code": read[0][0]}, follow=True)
    assert "✔ 王小雨 签到成功" in response.content.decode()


def test_someone_elses_ticket_is_404_and_anonymous_must_log_in(client, villager_client, other_villager, event):
    theirs = sign_up(event, other_villager)
    assert villager_client.get(f"/activities/tickets/{theirs.code}/").status_code == 404
    assert villager_client.get("/activities/tickets/NOTAREALCODE/").status_code == 404
    client.logout()
    response = client.get(f"/activities/tickets/{theirs.code}/")
    assert response.status_code == 302 and "/accounts/login/" in response.url


def checkin_url(event):
    return f"/activities/{event.pk}/checkin/"


def test_duty_staff_check_in_by_typed_code(staff_client, event, at_the_door, villager):
    registration = sign_up(event, villager)
    response = staff_client.post(checkin_url(event), {"code": tickets.display(registration.code).lower()}, follow=True)
    assert "✔ 王建华 签到成功" in response.content.decode()
    registration.refresh_from_db()
    assert registration.checked_in_at is not None
    assert "已签到 <strong>1</strong> 人" in response.content.decode()


def test_one_tap_on_a_name_checks_in(staff_client, event, at_the_door, villager):
    registration = sign_up(event, villager)
    staff_client.post(checkin_url(event), {"registration": registration.pk})
    registration.refresh_from_db()
    assert registration.checked_in_at is not None


@pytest.mark.parametrize(
    ("make_code", "message"),
    [
        (lambda event, other: "ABCD-EFGH-JKLM", "票码无效"),
        (lambda event, other: sign_up(other, make_villager()).code, "这张票是另一场活动的"),
        (lambda event, other: sign_up(event, make_villager(), status="waiting").code, "还在候补中"),
        (lambda event, other: sign_up(event, make_villager(), status="cancelled").code, "已取消报名"),
    ],
)
def test_bad_codes_are_explained(staff_client, event, at_the_door, make_code, message):
    other = make_event(title="茶艺课")
    response = staff_client.post(checkin_url(event), {"code": make_code(event, other)}, follow=True)
    assert message in response.content.decode()
    assert not event.registrations.filter(checked_in_at__isnull=False).exists()


def test_a_repeat_scan_is_a_notice_saying_when_they_came_in_local_time(staff_client, time_machine, villager):
    starts = datetime(2026, 12, 5, 14, 0, tzinfo=SHANGHAI)
    event = make_event(starts_in=starts - timezone.now())
    registration = sign_up(event, villager)
    time_machine.move_to(starts + timedelta(minutes=6), tick=False)
    staff_client.post(checkin_url(event), {"code": registration.code}, follow=True)
    time_machine.move_to(starts + timedelta(minutes=20), tick=False)

    response = staff_client.post(checkin_url(event), {"code": registration.code}, follow=True)

    body = response.content.decode()
    assert '<div class="alert alert-warning">王建华 已于 14:06 签到。</div>' in body
    assert "签到成功" not in body and "alert-danger" not in body
    registration.refresh_from_db()
    assert timezone.localtime(registration.checked_in_at).strftime("%H:%M") == "14:06"


def test_walk_in_is_added_and_checked_in(staff_client, event, at_the_door):
    response = staff_client.post(
        checkin_url(event),
        {"form": "walk_in", "name": "刘长福", "village": "hongshuikou", "birth_year": "1941", "mobile": ""},
        follow=True,
    )
    assert "✔ 刘长福 签到成功" in response.content.decode()
    registration = event.registrations.get(member__name="刘长福")
    assert registration.is_walk_in and registration.checked_in_at


def test_walk_in_with_bad_input_shows_the_form_again(staff_client, event, at_the_door):
    response = staff_client.post(
        checkin_url(event), {"form": "walk_in", "name": "", "village": "x", "birth_year": "3000"}
    )
    assert response.status_code == 200
    assert "请输入 1900 到" in response.content.decode()
    assert not event.registrations.exists()


def test_walk_in_refused_when_every_seat_is_used(staff_client, time_machine):
    event = make_event(capacity=1)
    time_machine.move_to(event.starts_at, tick=False)
    registration = sign_up(event, make_villager())
    staff_client.post(checkin_url(event), {"code": registration.code})
    response = staff_client.post(
        checkin_url(event),
        {"form": "walk_in", "name": "刘长福", "village": "hongshuikou", "birth_year": "1941"},
        follow=True,
    )
    assert "1 个座位已满" in response.content.decode()


def test_villagers_cannot_check_in_and_anonymous_must_log_in(client, villager_client, event, villager):
    registration = sign_up(event, villager)
    assert villager_client.get(checkin_url(event)).status_code == 403
    assert villager_client.post(checkin_url(event), {"code": registration.code}).status_code == 403
    registration.refresh_from_db()
    assert registration.checked_in_at is None
    client.logout()
    assert client.get(checkin_url(event)).status_code == 302


def test_volunteers_can_check_in(client, event, at_the_door, villager):
    client.force_login(make_staff("volunteer", roles.VOLUNTEER))
    registration = sign_up(event, villager)
    client.post(checkin_url(event), {"code": registration.code})
    registration.refresh_from_db()
    assert registration.checked_in_at is not None


@pytest.mark.parametrize(
    ("moment", "message"),
    [
        (lambda event: event.starts_at - timedelta(days=5), "签到于"),
        (lambda event: event.starts_at - timedelta(minutes=61), "活动开始前 60 分钟"),
        (lambda event: event.ends_at, "活动已结束，签到已关闭"),
    ],
)
def test_check_in_is_refused_except_on_the_day_walk_ins_too(
    staff_client, event, villager, time_machine, moment, message
):
    registration = sign_up(event, villager)
    time_machine.move_to(moment(event), tick=False)

    typed = staff_client.post(checkin_url(event), {"code": registration.code}, follow=True).content.decode()
    staff_client.post(checkin_url(event), {"registration": registration.pk})
    walk_in = staff_client.post(
        checkin_url(event),
        {"form": "walk_in", "name": "刘长福", "village": "hongshuikou", "birth_year": "1941", "mobile": ""},
        follow=True,
    ).content.decode()

    assert message in typed and message in walk_in
    assert "只能在" in typed  # the page says when the door opens
    assert not event.registrations.filter(checked_in_at__isnull=False).exists()
    assert not event.registrations.filter(member__name="刘长福").exists()


def test_check_in_opens_the_set_number_of_minutes_before_the_start(
    staff_client, event, villager, time_machine, settings
):
    settings.CHECKIN_OPENS_MINUTES_BEFORE = 30
    registration = sign_up(event, villager)
    time_machine.move_to(event.starts_at - timedelta(minutes=31), tick=False)
    assert (
        "活动开始前 30 分钟"
        in staff_client.post(checkin_url(event), {"code": registration.code}, follow=True).content.decode()
    )
    time_machine.move_to(event.starts_at - timedelta(minutes=30), tick=False)
    assert (
        "签到成功" in staff_client.post(checkin_url(event), {"code": registration.code}, follow=True).content.decode()
    )


def test_the_check_in_window_is_read_from_the_environment(monkeypatch):
    import importlib

    from django.core.exceptions import ImproperlyConfigured

    from culturecenter import settings as project_settings

    monkeypatch.setenv("CHECKIN_OPENS_MINUTES_BEFORE", "45")
    assert importlib.reload(project_settings).CHECKIN_OPENS_MINUTES_BEFORE == 45
    monkeypatch.setenv("CHECKIN_OPENS_MINUTES_BEFORE", "an hour")
    with pytest.raises(ImproperlyConfigured):
        importlib.reload(project_settings)
    monkeypatch.delenv("CHECKIN_OPENS_MINUTES_BEFORE")
    assert importlib.reload(project_settings).CHECKIN_OPENS_MINUTES_BEFORE == 60


def test_staff_undo_a_mistaken_check_in_and_who_did_it_is_kept(staff_client, staff_user, event, at_the_door, villager):
    registration = sign_up(event, villager)
    staff_client.post(checkin_url(event), {"registration": registration.pk})
    page = staff_client.get(checkin_url(event)).content.decode()
    assert '撤销<span class="visually-hidden"> 王建华</span>' in page

    response = staff_client.post(checkin_url(event), {"undo": registration.pk}, follow=True)

    assert "已撤销 王建华 的签到" in response.content.decode()
    registration.refresh_from_db()
    assert registration.checked_in_at is None and registration.checked_in_by is None
    assert registration.check_in_undone_by == staff_user
    assert registration.check_in_undone_at == timezone.now()
    assert "已签到 <strong>0</strong> 人" in response.content.decode()


def test_a_check_in_cannot_be_undone_once_the_work_log_closed_attendance(staff_client, event, villager, time_machine):
    registration = sign_up(event, villager, checked_in_at=event.starts_at)
    time_machine.move_to(event.ends_at + timedelta(hours=1), tick=False)
    staff_client.post(f"/activities/{event.pk}/worklog/", {"form": "log", "summary": "顺利"})

    response = staff_client.post(checkin_url(event), {"undo": registration.pk}, follow=True)

    assert "不能再撤销签到" in response.content.decode()
    assert Registration.objects.get(pk=registration.pk).checked_in_at is not None


def test_the_check_in_page_offers_the_camera_scanner_with_the_typed_field_as_fallback(staff_client, event):
    from django.contrib.staticfiles import finders

    body = staff_client.get(checkin_url(event)).content.decode()

    assert '<div class="checkin-camera" hidden>' in body  # shown by the script only where a camera can be opened
    assert 'name="code" id="id_code"' in body
    assert "vendor/jsqr/jsQR.js" in body and "js/checkin-camera.js" in body
    assert finders.find("vendor/jsqr/jsQR.js") and finders.find("vendor/jsqr/LICENSE")


def test_a_walk_in_already_checked_in_is_a_notice_not_a_second_place(staff_client, event, at_the_door, villager):
    sign_up(event, villager, checked_in_at=event.starts_at - timedelta(minutes=30))

    body = staff_client.post(checkin_url(event), {"walk_in_member": villager.pk}, follow=True).content.decode()

    assert '<div class="alert alert-warning">王建华 已于' in body
    assert event.registrations.count() == 1
