"""My notices: a count in the header, a page that lists them, read once seen."""

import pytest
from django.utils import timezone

from culturecenter.models import Notice
from tests.conftest import make_dependant

pytestmark = pytest.mark.django_db


def test_the_header_shows_how_many_notices_are_unread(villager_client, villager):
    child = make_dependant(villager)
    Notice.objects.create(member=villager, text="你已获得名额")
    Notice.objects.create(member=child, text="王小雨预约的书已到")
    Notice.objects.create(member=villager, text="旧通知", read_at="2026-01-01T00:00Z")

    body = villager_client.get("/activities/").content.decode()

    assert 'href="/accounts/notices/"' in body
    assert '通知 <span class="badge text-bg-warning">2<span class="visually-hidden"> 条未读</span>' in body


def test_the_notices_page_lists_my_households_notices_marks_them_read_and_the_count_goes(villager_client, villager):
    child = make_dependant(villager)
    Notice.objects.create(member=villager, text="你已获得名额", url="/activities/")
    Notice.objects.create(member=child, text="王小雨预约的书已到")

    body = villager_client.get("/accounts/notices/").content.decode()

    assert "你已获得名额" in body and "王小雨预约的书已到" in body
    assert body.count(">新<") == 2  # shown as new this once
    assert not Notice.objects.filter(read_at__isnull=True).exists()
    header = villager_client.get("/activities/").content.decode()
    assert "条未读" not in header
    assert ">新<" not in villager_client.get("/accounts/notices/").content.decode()


def test_another_households_notices_are_neither_listed_nor_counted_nor_marked(villager_client, other_villager):
    Notice.objects.create(member=other_villager, text="别人的通知")

    body = villager_client.get("/accounts/notices/").content.decode()

    assert "别人的通知" not in body and "条未读" not in body
    assert Notice.objects.get().read_at is None


def test_the_notices_page_sends_an_anonymous_visitor_to_log_in(client):
    response = client.get("/accounts/notices/")
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/?next=/accounts/notices/")


def test_my_account_no_longer_marks_notices_read_it_points_to_them(villager_client, villager):
    Notice.objects.create(member=villager, text="你已获得名额")

    body = villager_client.get("/accounts/me/").content.decode()

    assert "1 条未读通知" in body and 'href="/accounts/notices/"' in body
    assert Notice.objects.get().read_at is None


def test_the_notices_page_runs_the_same_queries_for_many_notices(client, villager, other_villager, time_machine):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    Notice.objects.create(member=villager, text="一条")
    Notice.objects.bulk_create(Notice(member=other_villager, text=f"第{n}条") for n in range(30))

    def queries(member):
        client.force_login(member.user)
        with CaptureQueriesContext(connection) as captured:
            client.get("/accounts/notices/")
        return len(captured)

    time_machine.move_to(timezone.now(), tick=False)
    client.get("/hours/")  # the opening hours in the footer, kept for the minute
    assert queries(other_villager) == queries(villager)


def test_the_header_count_is_kept_for_half_a_minute_and_counted_again_after_a_change(
    villager_client, villager, other_villager, time_machine
):
    from datetime import timedelta

    from django.test import Client

    from tests.conftest import make_event

    time_machine.move_to(timezone.now(), tick=False)
    assert "条未读" not in villager_client.get("/activities/").content.decode()
    Notice.objects.create(member=villager, text="图书馆的提醒")  # made by a cron job: no change through the site
    assert "条未读" not in villager_client.get("/activities/").content.decode()
    time_machine.shift(timedelta(seconds=31))
    assert '>1<span class="visually-hidden"> 条未读' in villager_client.get("/activities/").content.decode()

    # A change made through the site (here someone else signing up) is counted at once.
    event = make_event(title="剪纸课", starts_in=timedelta(days=2))
    Notice.objects.create(member=villager, text="你已获得名额")
    other = Client()
    other.force_login(other_villager.user)
    assert other.post(f"/activities/{event.pk}/signup/", {"member": other_villager.pk}).status_code == 302
    assert '>2<span class="visually-hidden"> 条未读' in villager_client.get("/activities/").content.decode()


def test_a_second_page_does_not_count_the_notices_again(villager_client, villager, time_machine):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    time_machine.move_to(timezone.now(), tick=False)
    Notice.objects.create(member=villager, text="你已获得名额")
    villager_client.get("/hours/")
    with CaptureQueriesContext(connection) as captured:
        body = villager_client.get("/hours/").content.decode()
    assert '>1<span class="visually-hidden"> 条未读' in body
    assert not any("culturecenter_notice" in query["sql"] for query in captured)
