"""Login under attack: behind the proxy, from many addresses, with look-alike names."""

import pytest
from django.contrib import admin
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from culturecenter import roles
from culturecenter.lib.login_guard import LoginGuard
from culturecenter.models import Member
from tests.conftest import PASSWORD, make_staff

pytestmark = pytest.mark.django_db
URL = "/accounts/login/"
PROXY = "10.0.0.2"


def from_address(address, *, forwarded=""):
    """A browser at `address` behind our proxy, which appends that address to X-Forwarded-For."""
    header = f"{forwarded}, {address}" if forwarded else address
    return Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=header)


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


@override_settings(BEHIND_PROXY=True, LOGIN_FAILURE_LIMIT_PER_ADDRESS=10)
def test_one_guessing_address_behind_the_proxy_does_not_refuse_everyone_else():
    make_staff()
    guesser = from_address("203.0.113.9")
    for n in range(10):
        guesser.post(URL, {"username": f"1390000{n:04d}", "password": "guess"})
    assert "登录失败次数过多" in guesser.post(URL, {"username": "staff", "password": PASSWORD}).content.decode()

    colleague = from_address("198.51.100.7")
    colleague.post(URL, {"username": "staff", "password": PASSWORD})
    assert logged_in(colleague)


@override_settings(BEHIND_PROXY=True, LOGIN_FAILURE_LIMIT_PER_ADDRESS=10)
def test_a_forged_forwarded_for_does_not_escape_the_count():
    make_staff()
    for n in range(10):
        forger = from_address("203.0.113.9", forwarded=f"192.0.2.{n}")  # what the client wrote, then what the proxy saw
        forger.post(URL, {"username": f"1390000{n:04d}", "password": "guess"})
    response = from_address("203.0.113.9", forwarded="192.0.2.200").post(
        URL, {"username": "staff", "password": PASSWORD}
    )
    assert "登录失败次数过多" in response.content.decode()


@override_settings(BEHIND_PROXY=True)
def test_a_stranger_cannot_lock_a_villager_out_only_slow_the_account_down(villager, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    stranger = from_address("203.0.113.9")
    for _ in range(5):
        stranger.post(URL, {"username": villager.mobile, "password": "guess"})
    assert (
        "登录失败次数过多" in stranger.post(URL, {"username": villager.mobile, "password": PASSWORD}).content.decode()
    )

    at_home = from_address("198.51.100.7")
    paused = at_home.post(URL, {"username": villager.mobile, "password": PASSWORD}).content.decode()
    assert "秒后再试" in paused and not logged_in(at_home)
    time_machine.shift(31)
    at_home.post(URL, {"username": villager.mobile, "password": PASSWORD})
    assert logged_in(at_home)

    time_machine.shift(31)
    stranger.post(URL, {"username": villager.mobile, "password": PASSWORD})
    assert not logged_in(stranger)  # the stranger's own address stays blocked for this account


def test_full_width_look_alikes_count_against_the_same_account(db):
    make_staff()
    client = Client()
    for typed in ["staff", "ｓｔａｆｆ", "Staff", " STAFF ", "ｓtaff"]:
        client.post(URL, {"username": typed, "password": "guess"})
    response = client.post(URL, {"username": "staff", "password": PASSWORD})
    assert "登录失败次数过多" in response.content.decode() and not logged_in(client)


def test_staff_log_in_with_their_name_typed_in_full_width_or_capitals(db):
    make_staff()
    for typed in ["ｓｔａｆｆ", "Staff"]:
        client = Client()
        client.post(URL, {"username": typed, "password": PASSWORD})
        assert logged_in(client), typed


def test_a_user_name_that_looks_like_an_existing_one_cannot_be_created(admin_client):
    make_staff()
    response = admin_client.post(
        "/admin/culturecenter/user/add/",
        {
            "username": "ｓｔａｆｆ",
            "password1": "x-Very-long-pass-42",
            "password2": "x-Very-long-pass-42",
            "usable_password": "true",
        },
    )
    assert response.status_code == 200 and "已存在" in response.content.decode()


def test_staff_lift_a_villagers_block_in_the_admin(villager):
    desk = Client()
    desk.force_login(make_staff(role=roles.LIBRARIAN, username="librarian"))
    stranger = Client()
    for _ in range(5):
        stranger.post(URL, {"username": villager.mobile, "password": "guess"})
    response = desk.post(
        reverse("admin:culturecenter_member_changelist"),
        {"action": "lift_login_block", "_selected_action": [villager.pk]},
        follow=True,
    )
    assert "已解除" in response.content.decode()
    stranger.post(URL, {"username": villager.mobile, "password": PASSWORD})
    assert logged_in(stranger)
    assert LoginGuard(villager.mobile, "127.0.0.1").refusal() is None


SPECIAL_LOOKUPS = ["is_disabled__exact=1", "has_hardship__exact=1", "is_disabled=True"]


@pytest.mark.parametrize(
    "role", [roles.LIBRARIAN, roles.VOLUNTEER] if hasattr(roles, "VOLUNTEER") else [roles.LIBRARIAN]
)
def test_without_the_permission_no_admin_list_reveals_special_groups(role):
    Member.objects.create(name="张残疾", village="shangqingshui", birth_year=1950, is_disabled=True, has_hardship=True)
    Member.objects.create(name="李普通", village="shangqingshui", birth_year=1950)
    client = Client()
    client.force_login(make_staff(role=role, username="someone"))
    for model in admin.site._registry:
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        paths = [""] + [f"{f.name}__" for f in model._meta.get_fields() if getattr(f, "related_model", None) is Member]
        for prefix in paths if model is Member or len(paths) > 1 else []:
            for lookup in SPECIAL_LOOKUPS:
                response = client.get(f"{url}?{prefix}{lookup}")
                body = response.content.decode() if response.status_code == 200 else ""
                assert not ("张残疾" in body and "李普通" not in body), (url, prefix + lookup, response.status_code)
                assert "is_disabled" not in body and "has_hardship" not in body, url


def test_with_the_permission_staff_can_filter_special_groups(staff_user):
    Member.objects.create(name="张残疾", village="shangqingshui", birth_year=1950, is_disabled=True)
    Member.objects.create(name="李普通", village="shangqingshui", birth_year=1950)
    client = Client()
    client.force_login(staff_user)
    body = client.get("/admin/culturecenter/member/?is_disabled__exact=1").content.decode()
    assert "张残疾" in body and "李普通" not in body
