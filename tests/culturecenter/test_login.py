import pytest
from django.test import override_settings

from tests.conftest import PASSWORD, make_staff

pytestmark = pytest.mark.django_db

URL = "/accounts/login/"


def test_villager_logs_in_with_mobile_and_lands_on_their_account(client, villager):
    response = client.post(URL, {"username": villager.mobile, "password": PASSWORD}, follow=True)

    assert response.context["user"] == villager.user
    assert "我的家庭" in response.content.decode()


def test_wrong_password_says_so_in_chinese(client, villager):
    response = client.post(URL, {"username": villager.mobile, "password": "wrong-one"})

    assert response.status_code == 200
    assert not response.context["user"].is_authenticated
    assert "手机号（或用户名）与密码不匹配" in response.content.decode()


def test_unknown_mobile_is_refused_the_same_way(client, villager):
    response = client.post(URL, {"username": "13111111111", "password": PASSWORD})
    assert "手机号（或用户名）与密码不匹配" in response.content.decode()


def test_staff_log_in_with_their_username(client, db):
    staff = make_staff()
    response = client.post(URL, {"username": "staff", "password": PASSWORD})
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == staff.pk


@override_settings(LOGIN_FAILURE_LIMIT=3)
def test_repeated_failures_pause_logins_even_with_the_right_password(client, villager):
    for _ in range(3):
        client.post(URL, {"username": villager.mobile, "password": "wrong-one"})

    response = client.post(URL, {"username": villager.mobile, "password": PASSWORD})

    assert "登录失败次数过多，请 15 分钟后再试" in response.content.decode()
    assert "_auth_user_id" not in client.session


@override_settings(LOGIN_FAILURE_LIMIT=3)
def test_admin_login_is_throttled_too(client, db):
    make_staff()
    for _ in range(3):
        client.post("/admin/login/", {"username": "staff", "password": "wrong-one"})

    response = client.post("/admin/login/", {"username": "staff", "password": PASSWORD})

    assert "登录失败次数过多" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_logout_refuses_get_and_works_with_post(villager_client):
    assert villager_client.get("/accounts/logout/").status_code == 405
    assert "_auth_user_id" in villager_client.session

    response = villager_client.post("/accounts/logout/")

    assert response.status_code == 302
    assert "_auth_user_id" not in villager_client.session


def test_villager_changes_password(villager_client, villager):
    response = villager_client.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": "mountain-river-88", "new_password2": "mountain-river-88"},
        follow=True,
    )

    assert "密码已修改" in response.content.decode()
    villager.user.refresh_from_db()
    assert villager.user.check_password("mountain-river-88")


@override_settings(LOGIN_FAILURE_LIMIT=3)
def test_failures_for_one_villager_do_not_lock_out_a_neighbour_on_the_same_network(client, villager, other_villager):
    for _ in range(3):
        client.post(URL, {"username": villager.mobile, "password": "wrong-one"})

    response = client.post(URL, {"username": other_villager.mobile, "password": PASSWORD})

    assert response.status_code == 302


def test_a_villager_logs_in_with_the_mobile_typed_with_spaces_or_full_width_digits(client, villager):
    spaced = f"{villager.mobile[:3]} {villager.mobile[3:7]} {villager.mobile[7:]}"
    full_width = villager.mobile.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    for typed in (spaced, full_width):
        client.logout()
        response = client.post(URL, {"username": typed, "password": PASSWORD})
        assert response.status_code == 302, typed
