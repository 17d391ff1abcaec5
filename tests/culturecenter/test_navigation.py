"""Every role finds its way in from the header; villagers find open questionnaires."""

from datetime import timedelta

import pytest
from django.utils import timezone

from culturecenter import roles
from feedback.models import Questionnaire
from tests.conftest import make_staff

pytestmark = pytest.mark.django_db


def work_menu(client) -> str:
    body = client.get("/library/").content.decode()
    if 'class="work-nav"' not in body:
        return ""
    return body.split('class="work-nav"', 1)[1].split("</nav>", 1)[0]


def test_the_librarian_finds_the_circulation_desk_and_daily_lists_in_the_header(client):
    client.force_login(make_staff("librarian", roles.LIBRARIAN))

    menu = work_menu(client)

    assert 'href="/library/desk/">借还书台' in menu
    assert 'href="/library/desk/lists/">每日清单' in menu
    assert "活动档案" not in menu
    assert 'href="/accounts/me/"' not in client.get("/library/").content.decode()  # no "我的" that opens the admin


def test_staff_find_the_admin_and_the_activity_archive_but_not_the_desk(client):
    client.force_login(make_staff("staff", roles.STAFF))

    menu = work_menu(client)

    assert 'href="/admin/">后台' in menu and 'href="/activities/archive/">活动档案' in menu
    assert "借还书台" not in menu and "待审核" not in menu


def test_the_reviewer_finds_the_events_awaiting_review(client):
    client.force_login(make_staff("reviewer", roles.REVIEWER))

    assert 'href="/admin/activities/event/?status__exact=submitted">待审核' in work_menu(client)


def test_villagers_and_visitors_see_no_work_menu(client, villager):
    assert work_menu(client) == ""
    client.force_login(villager.user)
    assert work_menu(client) == ""


def test_an_open_questionnaire_is_listed_on_the_needs_board_and_the_home_page(client):
    now = timezone.now()
    survey = Questionnaire.objects.create(
        title="2026年文化需求调查", opens_at=now - timedelta(days=1), closes_at=now + timedelta(days=6)
    )
    Questionnaire.objects.create(
        title="已结束的调查", opens_at=now - timedelta(days=9), closes_at=now - timedelta(days=1)
    )

    for url in ("/feedback/", "/"):
        body = client.get(url).content.decode()
        assert "2026年文化需求调查" in body and f'href="/feedback/surveys/{survey.pk}/"' in body
        assert "已结束的调查" not in body
