"""The home page and the event list are cached for anonymous visitors, and never stale
after a change made through the site."""

import re

import pytest
from django.test import Client
from django.utils import timezone

from tests.conftest import PASSWORD, make_event

pytestmark = pytest.mark.django_db
LIST = "/activities/"


def test_an_anonymous_visitor_gets_the_list_from_the_cache_without_a_query(client, django_assert_num_queries):
    make_event(title="剪纸体验")
    client.get(LIST)
    with django_assert_num_queries(0):
        body = client.get(LIST).content.decode()
    assert "剪纸体验" in body


def test_a_sign_up_shows_at_once_in_the_places_left_of_the_cached_list(client, villager):
    event = make_event(capacity=10)
    assert "10 places left" in Client(headers={"cookie": "django_language=en"}).get(LIST).content.decode()
    villager_client = Client()
    villager_client.login(username=villager.mobile, password=PASSWORD)
    assert villager_client.post(f"/activities/{event.pk}/signup/", {"member": villager.pk}).status_code == 302
    body = Client(headers={"cookie": "django_language=en"}).get(LIST).content.decode()
    assert "9 places left" in body


def test_a_change_outside_the_site_shows_within_the_minute(client, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    client.get(LIST)
    make_event(title="新加的活动")  # e.g. by a cron job: no request to start a new generation
    assert "新加的活动" not in client.get(LIST).content.decode()
    time_machine.shift(61)
    assert "新加的活动" in client.get(LIST).content.decode()


def test_a_form_sent_back_with_errors_does_not_empty_the_cache(client, django_assert_num_queries):
    client.get("/")
    client.post("/accounts/login/", {"username": "13800000009", "password": "wrong"})
    with django_assert_num_queries(0):
        client.get("/")


def test_each_language_has_its_own_cached_page(client):
    assert "活动" in client.get(LIST).content.decode()
    english = Client(headers={"cookie": "django_language=en"}).get(LIST).content.decode()
    assert "Activities" in english and 'lang="en"' in english


def test_logged_in_villagers_never_get_the_anonymous_page(villager_client):
    anonymous = Client()
    anonymous.get("/")
    assert 'href="/accounts/login/"' in anonymous.get("/").content.decode()
    assert 'href="/accounts/login/"' not in villager_client.get("/").content.decode()


def test_every_visitor_gets_their_own_working_csrf_token_in_a_cached_page():
    pages = []
    for _ in range(2):
        visitor = Client(enforce_csrf_checks=True)
        body = visitor.get("/").content.decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)
        pages.append(token)
        response = visitor.post("/i18n/setlang/", {"language": "en", "next": "/", "csrfmiddlewaretoken": token})
        assert response.status_code == 302
    assert pages[0] != pages[1]


def test_a_waiting_message_is_shown_even_when_the_page_is_cached(client, villager):
    Client().get("/")  # someone else filled the cache
    client.login(username=villager.mobile, password=PASSWORD)
    response = client.post("/accounts/me/delete/", {"password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == "/"
    assert "你的账号和个人信息已删除。" in response.content.decode()


def test_a_made_up_query_parameter_is_sent_to_the_cached_list(client, django_assert_num_queries):
    client.get(LIST)
    response = client.get(LIST + "?x=123&q=+剪纸+")
    assert response.status_code == 302 and response["Location"] == LIST + "?q=%E5%89%AA%E7%BA%B8"
    client.get(LIST + "?x=9")
    with django_assert_num_queries(0):
        assert client.get(LIST + "?page=abc").status_code == 200  # a page that is no number is page one


def test_the_same_filters_in_another_order_share_one_cached_page(client, django_assert_num_queries):
    client.get(LIST + "?q=剪纸&category=craft")
    with django_assert_num_queries(0):
        client.get(LIST + "?category=craft&q=剪纸&village=")


def test_switching_language_or_logging_in_keeps_the_cached_pages(client, villager, django_assert_num_queries):
    client.get("/")
    Client().post("/i18n/setlang/", {"language": "en", "next": "/"})
    Client().post("/accounts/login/", {"username": villager.mobile, "password": PASSWORD})
    with django_assert_num_queries(0):
        client.get("/")
