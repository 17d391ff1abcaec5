"""Errors in production speak Chinese, look like the site and offer a way back."""

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test import Client, RequestFactory, override_settings
from django.test.utils import CaptureQueriesContext

from culturecenter import views

pytestmark = pytest.mark.django_db


@override_settings(DEBUG=False)
def test_a_missing_page_says_so_in_chinese_with_a_way_back(client):
    response = client.get("/no-such-page/")

    body = response.content.decode()
    assert response.status_code == 404
    assert "找不到这个页面" in body and 'href="/"' in body and "返回首页" in body
    assert 'class="site-header"' in body  # the site's own look


@override_settings(DEBUG=False)
def test_a_villager_on_a_staff_page_is_told_it_is_for_staff(villager_client, event):
    response = villager_client.get(f"/activities/{event.pk}/checkin/")

    body = response.content.decode()
    assert response.status_code == 403
    assert "此页面仅限文化中心的工作人员" in body and "王建华" in body and "返回首页" in body
    assert "换一个账号登录" in body  # logs out, then the login page brings them back here
    switched = villager_client.post(
        "/accounts/logout/", {"next": f"/accounts/login/?next=/activities/{event.pk}/checkin/"}
    )
    assert switched.url == f"/accounts/login/?next=/activities/{event.pk}/checkin/"


def test_the_forbidden_page_offers_a_visitor_the_login(rf):
    from django.contrib.auth.models import AnonymousUser
    from django.views.defaults import permission_denied

    request = rf.get("/activities/archive/")
    request.user = AnonymousUser()
    body = permission_denied(request, PermissionDenied()).content.decode()

    assert 'href="/accounts/login/?next=/activities/archive/"' in body


@override_settings(DEBUG=False)
def test_a_bad_request_is_explained_in_chinese(client):
    response = client.get("/", headers={"host": "evil.example"})
    assert response.status_code == 400
    assert "无法理解这个请求" in response.content.decode()


@override_settings(DEBUG=False)
def test_a_server_error_page_renders_without_touching_the_database():
    request = RequestFactory().get("/")
    with CaptureQueriesContext(connection) as captured:
        response = views.server_error(request)
    body = response.content.decode()
    assert response.status_code == 500
    assert captured.captured_queries == []
    assert "服务器出错了" in body and "Something went wrong" in body and 'href="/"' in body
    assert "010-6985 0000" in body
    assert "<style" not in body and "css/error.css" in body  # the CSP allows only our own stylesheet files


@override_settings(DEBUG=False)
def test_a_crash_in_a_view_shows_the_chinese_500_page(monkeypatch):
    def crash(request):
        raise RuntimeError("boom")

    monkeypatch.setattr(views, "_hours_context", lambda: crash(None))
    response = Client(raise_request_exception=False).get("/hours/")
    assert response.status_code == 500
    assert "服务器出错了" in response.content.decode()
