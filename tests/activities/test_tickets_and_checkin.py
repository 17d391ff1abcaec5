import pytest

from activities import tickets
from culturecenter import roles
from tests.conftest import make_dependant, make_event, make_staff, make_villager, sign_up

pytestmark = pytest.mark.django_db


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


def test_someone_elses_ticket_is_404_and_anonymous_must_log_in(client, villager_client, other_villager, event):
    theirs = sign_up(event, other_villager)
    assert villager_client.get(f"/activities/tickets/{theirs.code}/").status_code == 404
    assert villager_client.get("/activities/tickets/NOTAREALCODE/").status_code == 404
    client.logout()
    response = client.get(f"/activities/tickets/{theirs.code}/")
    assert response.status_code == 302 and "/accounts/login/" in response.url


def checkin_url(event):
    return f"/activities/{event.pk}/checkin/"


def test_duty_staff_check_in_by_typed_code(staff_client, event, villager):
    registration = sign_up(event, villager)
    response = staff_client.post(checkin_url(event), {"code": tickets.display(registration.code).lower()}, follow=True)
    assert "✔ 王建华 签到成功" in response.content.decode()
    registration.refresh_from_db()
    assert registration.checked_in_at is not None
    assert "已签到 <strong>1</strong> 人" in response.content.decode()


def test_one_tap_on_a_name_checks_in(staff_client, event, villager):
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
def test_bad_codes_are_explained(staff_client, event, make_code, message):
    other = make_event(title="茶艺课")
    response = staff_client.post(checkin_url(event), {"code": make_code(event, other)}, follow=True)
    assert message in response.content.decode()
    assert not event.registrations.filter(checked_in_at__isnull=False).exists()


def test_checking_in_twice_says_when(staff_client, event, villager):
    registration = sign_up(event, villager)
    staff_client.post(checkin_url(event), {"code": registration.code})
    response = staff_client.post(checkin_url(event), {"code": registration.code}, follow=True)
    assert "王建华 已于" in response.content.decode()


def test_walk_in_is_added_and_checked_in(staff_client, event):
    response = staff_client.post(
        checkin_url(event),
        {"form": "walk_in", "name": "刘长福", "village": "hongshuikou", "birth_year": "1941", "mobile": ""},
        follow=True,
    )
    assert "✔ 刘长福 签到成功" in response.content.decode()
    registration = event.registrations.get(member__name="刘长福")
    assert registration.is_walk_in and registration.checked_in_at


def test_walk_in_with_bad_input_shows_the_form_again(staff_client, event):
    response = staff_client.post(
        checkin_url(event), {"form": "walk_in", "name": "", "village": "x", "birth_year": "3000"}
    )
    assert response.status_code == 200
    assert "请输入 1900 到" in response.content.decode()
    assert not event.registrations.exists()


def test_walk_in_refused_when_every_seat_is_used(staff_client):
    event = make_event(capacity=1)
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


def test_volunteers_can_check_in(client, event, villager):
    client.force_login(make_staff("volunteer", roles.VOLUNTEER))
    registration = sign_up(event, villager)
    client.post(checkin_url(event), {"code": registration.code})
    registration.refresh_from_db()
    assert registration.checked_in_at is not None
