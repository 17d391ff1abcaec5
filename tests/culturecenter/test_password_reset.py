"""A villager who forgot the password gets back in with a one-time code from the desk."""

from datetime import timedelta

import pytest
import time_machine
from django.test import override_settings
from django.utils import timezone

from culturecenter import roles, services
from culturecenter.lib.codes import ALPHABET
from culturecenter.models import PasswordResetCode, User
from tests.conftest import PASSWORD, make_staff

pytestmark = pytest.mark.django_db

URL = "/accounts/password/reset/"
NEW = "qingshui-new-2025"


def issue_at_the_desk(client, member, *, as_role=roles.LIBRARIAN) -> str:
    """Staff open the member in the admin and press the button; the page shows the code."""
    desk = User.objects.filter(username="desk").first() or make_staff("desk", as_role)
    client.force_login(desk)
    response = client.post(f"/admin/culturecenter/member/{member.pk}/reset-code/")
    assert response.status_code == 200
    code = response.context["code"]
    client.logout()
    return code


def test_the_login_page_tells_a_villager_how_to_get_back_in(client):
    body = client.get("/accounts/login/").content.decode()

    assert "忘记密码？" in body and "010-6985 0000" in body and "前台" in body
    assert f'href="{URL}"' in body


def test_the_desk_issues_a_readable_code_and_the_villager_sets_a_new_password(client, villager):
    code = issue_at_the_desk(client, villager)

    assert len(code.replace("-", "")) == 8 and set(code.replace("-", "")) <= set(ALPHABET)
    record = PasswordResetCode.objects.get()
    assert code.replace("-", "") not in record.code_hash  # only a hash is kept
    assert record.issued_by.username == "desk"

    response = client.post(
        URL,
        {"mobile": villager.mobile, "code": code.lower(), "new_password1": NEW, "new_password2": NEW},
        follow=True,
    )

    assert "新密码已设置" in response.content.decode()
    assert client.login(username=villager.mobile, password=NEW)
    assert PasswordResetCode.objects.get().used_at is not None


def test_a_code_works_only_once(client, villager):
    code = issue_at_the_desk(client, villager)
    data = {"mobile": villager.mobile, "code": code, "new_password1": NEW, "new_password2": NEW}
    client.post(URL, data)

    again = client.post(URL, {**data, "new_password1": "someone-else-9", "new_password2": "someone-else-9"})

    assert "已经用过" in again.content.decode()
    assert client.login(username=villager.mobile, password=NEW)


def test_a_code_older_than_24_hours_is_refused(client, villager):
    code = issue_at_the_desk(client, villager)

    with time_machine.travel(timezone.now() + timedelta(hours=24, minutes=1)):
        response = client.post(
            URL, {"mobile": villager.mobile, "code": code, "new_password1": NEW, "new_password2": NEW}
        )

    assert "超过 24 小时" in response.content.decode()
    assert client.login(username=villager.mobile, password=PASSWORD)


def test_a_code_does_not_open_another_villagers_account(client, villager, other_villager):
    code = issue_at_the_desk(client, villager)

    response = client.post(
        URL, {"mobile": other_villager.mobile, "code": code, "new_password1": NEW, "new_password2": NEW}
    )

    assert "验证码与手机号不符" in response.content.decode()
    assert client.login(username=other_villager.mobile, password=PASSWORD)


def test_a_new_code_replaces_the_earlier_one(client, villager):
    first = issue_at_the_desk(client, villager)
    second = issue_at_the_desk(client, villager)

    refused = client.post(URL, {"mobile": villager.mobile, "code": first, "new_password1": NEW, "new_password2": NEW})
    assert "验证码与手机号不符" in refused.content.decode()
    client.post(URL, {"mobile": villager.mobile, "code": second, "new_password1": NEW, "new_password2": NEW})
    assert client.login(username=villager.mobile, password=NEW)


@override_settings(LOGIN_FAILURE_LIMIT=3)
def test_guessing_codes_is_stopped_after_a_few_tries_even_with_the_right_one(client, villager):
    code = issue_at_the_desk(client, villager)
    for guess in ("AAAA-AAAA", "BBBB-BBBB", "CCCC-CCCC"):
        client.post(URL, {"mobile": villager.mobile, "code": guess, "new_password1": NEW, "new_password2": NEW})

    response = client.post(URL, {"mobile": villager.mobile, "code": code, "new_password1": NEW, "new_password2": NEW})

    assert "验证码错误次数过多，请 15 分钟后再试" in response.content.decode()
    assert client.login(username=villager.mobile, password=PASSWORD)


def test_a_weak_new_password_is_refused_in_chinese(client, villager):
    code = issue_at_the_desk(client, villager)

    response = client.post(
        URL, {"mobile": villager.mobile, "code": code, "new_password1": "12345678", "new_password2": "12345678"}
    )

    assert response.status_code == 200
    assert "new_password1" in response.context["form"].errors
    assert PasswordResetCode.objects.get().used_at is None


def test_the_admin_action_issues_a_code_for_the_selected_villager(client, villager):
    client.force_login(make_staff("desk", roles.STAFF))

    response = client.post(
        "/admin/culturecenter/member/", {"action": "issue_reset_code", "_selected_action": [villager.pk]}
    )

    assert response.status_code == 200
    assert response.context["code"] in response.content.decode()
    assert "王建华" in response.content.decode() and villager.mobile not in response.content.decode()


def test_a_staff_login_cannot_be_reset_with_a_desk_code(client, db):
    from culturecenter.models import Member

    clerk = make_staff("clerk", roles.STAFF)
    member = Member.objects.create(user=clerk, name="前台小张", village="other", birth_year=1990)
    with pytest.raises(services.ResetRefused):
        services.password_reset_code_issue(member=member, by=make_staff("desk", roles.LIBRARIAN))


def test_a_villager_cannot_issue_codes(villager_client, other_villager):
    response = villager_client.post(f"/admin/culturecenter/member/{other_villager.pk}/reset-code/")
    assert response.status_code == 302 and "/admin/login/" in response.url
    assert not PasswordResetCode.objects.exists()


def test_the_librarian_at_the_desk_is_led_from_the_reader_panel_to_the_reset_code(desk, villager):
    desk.post("/library/desk/", {"action": "scan", "code": villager.reader_card})
    body = desk.get("/library/desk/").content.decode()

    link = f'href="/admin/culturecenter/member/{villager.pk}/change/"'
    assert link in body and "核对身份证后发放一次性验证码" in body
    page = desk.get(f"/admin/culturecenter/member/{villager.pk}/change/").content.decode()
    assert f'action="/admin/culturecenter/member/{villager.pk}/reset-code/"' in page
