"""Staff at the door on a phone: today's events, and sign-ups cancelled for villagers who rang."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from activities.models import Registration
from culturecenter import roles
from culturecenter.models import Notice
from tests.conftest import make_event, make_staff, make_villager, sign_up

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
TODAY = "/activities/today/"


def at(hour, minute=0, day=5):
    return datetime(2026, 12, day, hour, minute, tzinfo=SHANGHAI)


def test_today_lists_the_centers_day_with_check_in_registrants_counts_and_duty_staff(
    staff_client, staff_user, time_machine, django_assert_max_num_queries
):
    time_machine.move_to(at(6, 0), tick=False)  # 22:00 UTC the day before: the day is Beijing's
    early = make_event(title="晨练太极", starts_in=at(7, 30) - timezone.now())
    staff_user.first_name = "赵晓燕"
    staff_user.save()
    early.duty_staff.add(staff_user)
    evening = make_event(title="露天电影", starts_in=at(19, 0) - timezone.now(), capacity=2)
    for status in ("confirmed", "confirmed", "waiting"):
        sign_up(evening, make_villager(), status=status)
    make_event(title="昨晚的讲座", starts_in=at(19, 0, day=4) - timezone.now())
    make_event(title="明天的展览", starts_in=at(9, 0, day=6) - timezone.now())
    make_event(title="草稿活动", starts_in=at(10, 0) - timezone.now(), status="draft")
    for n in range(5):
        make_event(title=f"下午场{n}", starts_in=at(14, n) - timezone.now()).duty_staff.add(staff_user)

    with django_assert_max_num_queries(9):
        body = staff_client.get(TODAY).content.decode()

    assert body.index("晨练太极") < body.index("下午场0") < body.index("露天电影")
    assert "昨晚的讲座" not in body and "明天的展览" not in body and "草稿活动" not in body
    assert "07:30–09:30" in body
    assert "签到 06:30 开始" in body and "签到 18:00 开始" in body  # each door opens an hour before its start
    assert f'href="/activities/{early.pk}/checkin/"' in body and f'href="/activities/{evening.pk}/registrants/"' in body
    assert "盯岗人员: 赵晓燕" in body
    assert "已报名 2 人 · 名额 2 个 · 候补 1 人" in body


def test_villagers_cannot_see_today_and_anonymous_must_log_in(client, villager_client):
    assert villager_client.get(TODAY).status_code == 403
    client.logout()
    assert client.get(TODAY).status_code == 302


def test_the_header_leads_staff_to_today_and_shows_reviewers_what_awaits_review(client, villager_client, db):
    make_event(status="submitted")
    make_event(status="submitted", title="第二场")
    make_event(status="approved", title="第三场")
    assert "今日签到" not in villager_client.get("/").content.decode()

    client.force_login(make_staff("staff", roles.STAFF))
    page = client.get("/").content.decode()
    assert f'href="{TODAY}">今日签到' in page and "待审核" not in page

    client.force_login(make_staff("reviewer", roles.REVIEWER))
    page = client.get("/").content.decode()
    assert (
        'href="/admin/activities/event/?status__exact=submitted">待审核 <span class="badge text-bg-warning">2</span>'
        in page
    )


def cancel_url(registration):
    return f"/activities/{registration.event_id}/registrants/{registration.pk}/cancel/"


def test_staff_cancel_a_place_after_confirming_and_the_first_waiting_moves_up(staff_client, staff_user, villager):
    event = make_event(capacity=1)
    place = sign_up(event, villager)
    waiting = sign_up(event, make_villager(name="李秀兰"), status="waiting")
    registrants = staff_client.get(f"/activities/{event.pk}/registrants/").content.decode()
    assert f'href="{cancel_url(place)}"' in registrants

    confirm = staff_client.get(cancel_url(place)).content.decode()
    assert "确定取消 <strong>王建华</strong>" in confirm and "候补第一位" in confirm
    assert Registration.objects.get(pk=place.pk).status == "confirmed"  # nothing changes on GET

    response = staff_client.post(cancel_url(place), follow=True)

    assert response.redirect_chain[-1][0] == f"/activities/{event.pk}/registrants/"
    assert (
        "已取消 王建华 的报名" in response.content.decode()
        and "李秀兰 已从候补转为正式名额" in response.content.decode()
    )
    place.refresh_from_db()
    assert place.status == "cancelled" and place.cancelled_by == staff_user and place.cancelled_at is not None
    assert Registration.objects.get(pk=waiting.pk).status == "confirmed"
    assert Notice.objects.filter(member__name="李秀兰", text__contains="好消息").exists()


def test_a_villager_cancelling_is_recorded_as_done_by_them(villager_client, villager, event):
    registration = sign_up(event, villager)
    villager_client.post(f"/activities/registrations/{registration.pk}/cancel/")
    registration.refresh_from_db()
    assert registration.status == "cancelled" and registration.cancelled_by == villager.user


def test_staff_cannot_cancel_someone_already_checked_in(staff_client, villager, event):
    registration = sign_up(event, villager, checked_in_at=event.starts_at)
    body = staff_client.post(cancel_url(registration), follow=True).content.decode()
    assert "请先撤销签到" in body
    assert Registration.objects.get(pk=registration.pk).status == "confirmed"


def test_volunteers_and_villagers_cannot_cancel_others_places(client, villager_client, other_villager, event):
    registration = sign_up(event, other_villager)
    assert villager_client.post(cancel_url(registration)).status_code == 403
    client.force_login(make_staff("volunteer", roles.VOLUNTEER))
    assert client.post(cancel_url(registration)).status_code == 403
    assert Registration.objects.get(pk=registration.pk).status == "confirmed"


def test_a_sign_up_reached_through_another_event_is_404(staff_client, villager, event):
    registration = sign_up(event, villager)
    other = make_event(title="别的活动")
    assert staff_client.post(f"/activities/{other.pk}/registrants/{registration.pk}/cancel/").status_code == 404
    assert Registration.objects.get(pk=registration.pk).status == "confirmed"
