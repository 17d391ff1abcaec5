import re
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from activities.models import Registration
from culturecenter.models import Notice
from tests.conftest import make_dependant, make_event, make_staff, make_villager, sign_up

pytestmark = pytest.mark.django_db


def post_signup(client, event, member):
    return client.post(f"/activities/{event.pk}/signup/", {"member": member.pk}, follow=True)


def test_villager_signs_up_self_and_child_and_sees_both(villager_client, villager, event):
    child = make_dependant(villager)

    first = post_signup(villager_client, event, villager)
    second = post_signup(villager_client, event, child)

    assert "王建华 报名成功，名额已确认" in first.content.decode()
    assert "王小雨 报名成功，名额已确认" in second.content.decode()
    assert set(event.registrations.values_list("member__name", "status")) == {
        ("王建华", "confirmed"),
        ("王小雨", "confirmed"),
    }
    me = villager_client.get("/accounts/me/").content.decode()
    signups = me.split('id="signups-heading"', 1)[1]  # below the summary, which shows the next one
    assert signups.count(f'href="/activities/{event.pk}/"') == 2


def test_full_event_puts_the_next_person_on_the_waiting_list_with_a_position(villager_client, villager):
    event = make_event(capacity=1)
    sign_up(event, make_villager())
    sign_up(event, make_villager(), status="waiting")

    response = post_signup(villager_client, event, villager)

    assert "第 2 位候补" in response.content.decode()
    assert event.registrations.get(member=villager).status == "waiting"


def test_signing_up_twice_is_refused(villager_client, villager, event):
    post_signup(villager_client, event, villager)
    response = villager_client.post(f"/activities/{event.pk}/signup/", {"member": villager.pk}, follow=True)

    assert "王建华 已报名该活动。" in response.content.decode()
    assert event.registrations.count() == 1


def test_a_person_of_another_household_cannot_be_signed_up(villager_client, event, other_villager):
    stranger_child = make_dependant(other_villager, name="张子涵")
    response = post_signup(villager_client, event, stranger_child)

    assert "请选择你自己或你的家庭成员" in response.content.decode()
    assert not event.registrations.exists()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"signup_opens_at": timezone.now() + timedelta(days=1)}, "报名将于"),
        ({"signup_closes_at": timezone.now() - timedelta(minutes=1)}, "报名已截止"),
        ({"min_age": 60}, "年龄不符合"),
        ({"status": "cancelled"}, "不接受报名"),
    ],
)
def test_sign_up_outside_the_rules_is_refused_with_a_reason(villager_client, villager, fields, message):
    event = make_event(**{k: v for k, v in fields.items() if k != "status"})
    if "status" in fields:
        event.status = fields["status"]
        event.save()
    response = post_signup(villager_client, event, villager)
    assert message in response.content.decode()
    assert not event.registrations.exists()


def test_draft_event_is_404_for_villagers(villager_client, villager):
    event = make_event(status="draft")
    assert villager_client.get(f"/activities/{event.pk}/").status_code == 404
    assert villager_client.post(f"/activities/{event.pk}/signup/", {"member": villager.pk}).status_code == 404


def test_anonymous_visitor_is_asked_to_log_in(client, event):
    body = client.get(f"/activities/{event.pk}/").content.decode()
    assert "登录后报名" in body
    response = client.post(f"/activities/{event.pk}/signup/", {"member": 1})
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_cancelling_gives_the_place_to_the_first_waiting_and_tells_them(
    villager_client, villager, django_capture_on_commit_callbacks
):
    event = make_event(capacity=1)
    mine = sign_up(event, villager)
    first_waiting = make_villager(name="李秀兰")
    first_waiting.email = "lxl@example.com"
    first_waiting.save()
    second_waiting = make_villager(name="赵国庆")
    sign_up(event, first_waiting, status="waiting", queued_at=timezone.now() - timedelta(hours=2))
    sign_up(event, second_waiting, status="waiting", queued_at=timezone.now() - timedelta(hours=1))

    with django_capture_on_commit_callbacks(execute=True):
        response = villager_client.post(f"/activities/registrations/{mine.pk}/cancel/", follow=True)

    assert "已取消 王建华 的报名" in response.content.decode()
    statuses = dict(event.registrations.values_list("member__name", "status"))
    assert statuses == {"王建华": "cancelled", "李秀兰": "confirmed", "赵国庆": "waiting"}
    notice = Notice.objects.get(member=first_waiting)
    assert "好消息" in notice.text and event.title in notice.text
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["lxl@example.com"]


def test_promotion_notice_for_a_child_is_shown_to_the_guardian(client, villager):
    event = make_event(capacity=1)
    holder = make_villager(name="李秀兰")
    held = sign_up(event, holder)
    child = make_dependant(villager)
    sign_up(event, child, status="waiting")
    client.force_login(holder.user)
    client.post(f"/activities/registrations/{held.pk}/cancel/")

    client.force_login(villager.user)
    body = client.get("/accounts/me/").content.decode()
    assert "好消息：王小雨 已从候补转为正式名额" in body


def test_cancelling_another_households_registration_is_404(villager_client, other_villager, event):
    theirs = sign_up(event, other_villager)
    assert villager_client.post(f"/activities/registrations/{theirs.pk}/cancel/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == "confirmed"


def test_cancel_asks_once_on_a_page_that_needs_no_javascript(villager_client, villager, event):
    mine = sign_up(event, villager)
    detail = villager_client.get(f"/activities/{event.pk}/").content.decode()
    assert f'href="/activities/registrations/{mine.pk}/cancel/"' in detail  # a link, not a one-tap form

    asked = villager_client.get(f"/activities/registrations/{mine.pk}/cancel/")

    body = asked.content.decode()
    assert "确定取消王建华的报名？" in body and event.title in body
    assert '<form method="post"' in body and "确定取消报名" in body and "不取消，保留报名" in body
    mine.refresh_from_db()
    assert mine.status == "confirmed"  # nothing happens on GET

    done = villager_client.post(f"/activities/registrations/{mine.pk}/cancel/")
    assert done.status_code == 302 and done.url == f"/activities/{event.pk}/"
    assert "已取消 王建华 的报名" in villager_client.get(done.url).content.decode()
    mine.refresh_from_db()
    assert mine.status == "cancelled"


def test_the_cancel_page_of_another_households_sign_up_is_404(villager_client, other_villager, event):
    theirs = sign_up(event, other_villager)
    assert villager_client.get(f"/activities/registrations/{theirs.pk}/cancel/").status_code == 404


def test_the_cancel_page_of_a_started_event_says_why_it_cannot_be_cancelled(villager_client, villager):
    started = make_event(starts_in=-timedelta(minutes=30))
    mine = sign_up(started, villager)
    body = villager_client.get(f"/activities/registrations/{mine.pk}/cancel/").content.decode()
    assert "活动已开始" in body and "确定取消报名" not in body


def post_family_signup(client, event, *members):
    return client.post(f"/activities/{event.pk}/signup/", {"member": [m.pk for m in members]}, follow=True)


def test_a_guardian_ticks_three_people_and_each_gets_a_place_or_a_waiting_list_place(villager_client, villager):
    event = make_event(capacity=2)
    child = make_dependant(villager)
    grandpa = make_dependant(villager, name="王德顺", birth_year=1956)

    response = post_family_signup(villager_client, event, villager, child, grandpa)

    body = response.content.decode()
    assert "王建华 报名成功，名额已确认" in body
    assert "王小雨 报名成功，名额已确认" in body
    assert "王德顺 为第 1 位候补" in body
    assert dict(event.registrations.values_list("member__name", "status")) == {
        "王建华": "confirmed",
        "王小雨": "confirmed",
        "王德顺": "waiting",
    }


def test_a_family_sign_up_keeps_the_age_limit_for_each_person(villager_client, villager):
    event = make_event(max_age=14)
    child = make_dependant(villager)

    form = villager_client.get(f"/activities/{event.pk}/").content.decode()
    holder_box = re.search(rf'<input[^>]*value="{villager.pk}"[^>]*>', form).group(0)
    assert "disabled" in holder_box and "checked" not in holder_box
    assert "王建华（年龄不符合）" in form

    body = post_family_signup(villager_client, event, villager, child).content.decode()

    assert "王建华 的年龄不符合该活动要求" in body
    assert "王小雨 报名成功，名额已确认" in body
    assert list(event.registrations.values_list("member__name", flat=True)) == ["王小雨"]


def test_a_family_sign_up_with_nobody_ticked_asks_to_tick_someone(villager_client, villager, event):
    body = villager_client.post(f"/activities/{event.pk}/signup/", {}, follow=True).content.decode()
    assert "请至少勾选一位要来参加的人" in body


def test_the_sign_up_form_ticks_the_account_holder_not_the_youngest(villager_client, villager, event):
    make_dependant(villager, name="王小雨", birth_year=2017)  # sorts before 王建华 by name
    make_dependant(villager, name="王德顺", birth_year=1956)

    body = villager_client.get(f"/activities/{event.pk}/").content.decode()

    boxes = re.findall(r'<input type="checkbox"[^>]*name="member" value="(\d+)"[^>]*?( checked)?>', body)
    assert len(boxes) == 3
    assert [pk for pk, checked in boxes if checked] == [str(villager.pk)]
    assert boxes[0][0] == str(villager.pk)  # the account holder comes first


def test_a_waiting_list_place_shows_its_position_and_no_ticket(villager_client, villager):
    event = make_event(capacity=1)
    sign_up(event, make_villager())
    sign_up(event, make_villager(), status="waiting", queued_at=timezone.now() - timedelta(hours=1))
    mine = sign_up(event, villager, status="waiting")

    detail = villager_client.get(f"/activities/{event.pk}/").content.decode()
    me = villager_client.get("/accounts/me/").content.decode()

    for page in (detail, me):
        assert "第 2 位候补" in page
        assert mine.get_absolute_url() not in page  # no 电子票 button for a place not yet given
    assert "退出候补" in detail


def test_the_sign_up_box_lists_the_households_places_in_queue_order_and_offers_the_others(villager_client, villager):
    event = make_event(capacity=1)
    now = timezone.now()
    sign_up(event, make_villager(name="李秀英"), queued_at=now - timedelta(hours=3))
    sign_up(event, make_villager(name="赵大山"), status="waiting", queued_at=now - timedelta(hours=1))
    child = make_dependant(villager, name="王小雨")
    sign_up(event, child, status="waiting", queued_at=now - timedelta(hours=2))
    sign_up(event, make_dependant(villager, name="王奶奶", birth_year=1950), status="cancelled")
    gone = make_dependant(villager, name="王某某")
    gone.anonymise()
    sign_up(event, villager, status="waiting", queued_at=now - timedelta(hours=1))  # same minute as 赵大山, later

    page = villager_client.get(f"/activities/{event.pk}/").content.decode()
    box = page.split('id="signup-heading"', 1)[1]
    positions = re.findall(r"<strong>(\S+)</strong> ·\s+第 (\d) 位候补", box)
    assert positions == [("王小雨", "1"), ("王建华", "3")]
    # Whoever has no place can still be ticked: the one who cancelled, never the anonymised.
    assert box.count('type="checkbox"') == 1 and ">王奶奶</label>" in box
    assert "李秀英" not in box and "赵大山" not in box


def test_signing_up_again_after_cancelling_reuses_the_one_registration(villager_client, villager, event):
    mine = sign_up(event, villager, status="cancelled")
    post_signup(villager_client, event, villager)
    mine.refresh_from_db()
    assert mine.status == "confirmed"
    assert Registration.objects.filter(event=event, member=villager).count() == 1


def test_script_in_a_description_is_shown_escaped(client):
    event = make_event(description='<script>alert("x")</script><img src=x onerror=alert(1)>')
    body = client.get(f"/activities/{event.pk}/").content.decode()
    assert "<script>alert" not in body and "<img src=x" not in body
    assert "&lt;script&gt;" in body


def test_ics_download_describes_the_event(client, event):
    response = client.get(f"/activities/{event.pk}/event.ics")
    assert response["Content-Type"].startswith("text/calendar")
    body = response.content.decode()
    assert "BEGIN:VEVENT" in body and "SUMMARY:掐丝珐琅非遗体验" in body
    assert client.get(f"/activities/{make_event(status='draft').pk}/event.ics").status_code == 404


def test_detail_query_count_does_not_grow_with_registrants(
    villager_client, villager, time_machine, django_assert_max_num_queries
):
    time_machine.move_to(timezone.now(), tick=False)
    event = make_event(capacity=30)
    for _ in range(20):
        sign_up(event, make_villager())
    sign_up(event, villager)
    with django_assert_max_num_queries(23):  # with 10 to keep the event and the opening hours in the cache
        villager_client.get(f"/activities/{event.pk}/")
    # The event, the hours as everyone sees them and the header's unread notices come from the
    # cache: the session, the user with their member record, the household with its places.
    with django_assert_max_num_queries(3):
        response = villager_client.get(f"/activities/{event.pk}/")
    assert response.status_code == 200 and "王建华" in response.content.decode()


def test_the_registrants_page_says_who_cancelled_each_place(villager_client, villager, event, client):
    mine = sign_up(event, villager)
    other = sign_up(event, make_villager(name="李秀英"))
    villager_client.post(f"/activities/registrations/{mine.pk}/cancel/")
    staff = make_staff("front-desk")
    staff.first_name = "赵前台"
    staff.save()
    client.force_login(staff)
    client.post(f"/activities/{event.pk}/registrants/{other.pk}/cancel/")
    mine.refresh_from_db()
    other.refresh_from_db()
    assert (mine.cancelled_by, other.cancelled_by) == (villager.user, staff)

    page = client.get(f"/activities/{event.pk}/registrants/").content.decode()
    assert re.search(r"由 王建华 取消，\d\d-\d\d \d\d:\d\d", page)
    assert re.search(r"由 赵前台 取消，\d\d-\d\d \d\d:\d\d", page)


def test_an_ended_event_without_sign_up_says_ended_on_its_page_and_when_posted_to(villager_client, villager):
    """The page and the sign-up read one rule (`Event.signup_window`), so they cannot disagree."""
    event = make_event(starts_in=timedelta(days=-1), signup_required=False)
    page = villager_client.get(f"/activities/{event.pk}/").content.decode()
    assert "已结束" in page and "无需报名" not in page

    response = post_signup(villager_client, event, villager)

    assert "该活动报名已截止" in response.content.decode()
    assert "无需报名" not in response.content.decode()


def test_places_left_on_the_event_page_follow_a_sign_up_made_by_another_villager_at_once(
    villager_client, other_villager
):
    event = make_event(capacity=5)
    assert "剩余 5 个（共 5 个）" in villager_client.get(f"/activities/{event.pk}/").content.decode()
    other = Client()
    other.force_login(other_villager.user)
    assert other.post(f"/activities/{event.pk}/signup/", {"member": other_villager.pk}).status_code == 302

    assert "剩余 4 个（共 5 个）" in villager_client.get(f"/activities/{event.pk}/").content.decode()
