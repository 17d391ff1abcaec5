import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from culturecenter.models import Notice
from feedback import services
from feedback.models import Evaluation, Need, NeedEvent, NeedStep, NeedSupport
from tests.conftest import make_dependant, make_event, make_villager, sign_up

pytestmark = pytest.mark.django_db


@pytest.fixture
def held(db):
    return make_event(starts_in=-timedelta(days=1))


def test_an_attendee_evaluates_once(villager_client, villager, held):
    sign_up(held, villager, checked_in_at=timezone.now() - timedelta(days=1))
    url = f"/feedback/evaluate/{held.pk}/"
    response = villager_client.post(url, {"member": villager.pk, "rating": "5", "liked": "老师很耐心"}, follow=True)
    assert "谢谢" in response.content.decode()
    assert Evaluation.objects.get().rating == 5
    again = villager_client.get(url)  # nobody left to evaluate: thanked, not refused
    assert (
        "都已评价过这场活动，谢谢" in again.content.decode() and "<form" not in again.content.decode().split("<main")[1]
    )
    page = villager_client.get(f"/activities/{held.pk}/").content.decode()
    assert "平均 5.0 星（共 1 条评价" in page


def test_a_guardian_evaluates_for_the_child_who_was_there(villager_client, villager, held):
    child = make_dependant(villager)
    sign_up(held, child, checked_in_at=timezone.now() - timedelta(days=1))
    sign_up(held, villager)  # signed up but not checked in
    page = villager_client.get(f"/feedback/evaluate/{held.pk}/").content.decode()
    assert "王小雨" in page and ">王建华<" not in page
    refused = villager_client.post(f"/feedback/evaluate/{held.pk}/", {"member": villager.pk, "rating": "4"})
    assert "请选择参加了活动的家庭成员" in refused.content.decode()
    assert not Evaluation.objects.exists()


def test_people_who_were_not_there_are_told_why_they_cannot_evaluate_with_a_way_back(villager_client, held):
    response = villager_client.get(f"/feedback/evaluate/{held.pk}/")
    assert response.status_code == 403
    body = response.content.decode()
    assert "只有到场签到的参与者可以评价这场活动" in body
    assert f'href="/activities/{held.pk}/"' in body and 'href="/accounts/me/"' in body


def test_the_event_page_offers_evaluate_this_event_only_to_people_who_were_checked_in(client, villager, held):
    sign_up(held, make_dependant(villager), checked_in_at=timezone.now() - timedelta(days=1))  # the guardian's child
    no_show = make_villager(name="李秀兰")
    sign_up(held, no_show)
    link = f'href="/feedback/evaluate/{held.pk}/"'

    client.force_login(villager.user)
    attendee_page = client.get(f"/activities/{held.pk}/").content.decode()
    client.force_login(no_show.user)
    no_show_page = client.get(f"/activities/{held.pk}/").content.decode()
    client.logout()
    anonymous_page = client.get(f"/activities/{held.pk}/").content.decode()

    assert link in attendee_page and "评价这场活动" in attendee_page
    for page in (no_show_page, anonymous_page):
        assert link not in page and "评价这场活动" not in page.replace("可以评价这场活动", "")
        assert "只有到场签到的参与者可以评价这场活动" in page


def test_my_account_lists_what_we_attended_and_have_not_evaluated_yet(villager_client, villager, held):
    child = make_dependant(villager)
    sign_up(held, child, checked_in_at=timezone.now() - timedelta(days=1))
    missed = make_event(title="没去的活动", starts_in=-timedelta(days=2))
    sign_up(missed, villager)

    me = villager_client.get("/accounts/me/").content.decode()
    assert "评价参加过的活动" in me and f'href="/feedback/evaluate/{held.pk}/"' in me
    assert f'href="/feedback/evaluate/{missed.pk}/"' not in me

    villager_client.post(f"/feedback/evaluate/{held.pk}/", {"member": child.pk, "rating": "5"})
    assert f'href="/feedback/evaluate/{held.pk}/"' not in villager_client.get("/accounts/me/").content.decode()


def test_bad_ratings_are_refused(villager_client, villager, held):
    sign_up(held, villager, checked_in_at=timezone.now())
    for rating in ("0", "6", "五", "<script>"):
        response = villager_client.post(f"/feedback/evaluate/{held.pk}/", {"member": villager.pk, "rating": rating})
        assert "选择一个有效的选项" in response.content.decode()
    assert not Evaluation.objects.exists()


def test_staff_enter_paper_slips(staff_client, held):
    for rating in ("4", "5"):
        response = staff_client.post(f"/feedback/evaluate/{held.pk}/slips/", {"rating": rating}, follow=True)
    assert "该活动共 2 条评价" in response.content.decode()
    assert set(Evaluation.objects.values_list("channel", flat=True)) == {"paper"}


def test_invitations_after_the_event_go_once_to_attendees(held):
    came, missed = make_villager(), make_villager()
    sign_up(held, came, checked_in_at=timezone.now() - timedelta(days=1))
    sign_up(held, missed)
    held.ends_at = timezone.now() - timedelta(hours=1)
    held.save()
    for _run in range(2):
        call_command("send_evaluation_invitations", stdout=io.StringIO())
    assert list(Notice.objects.values_list("member", flat=True)) == [came.pk]


def test_satisfaction_in_the_admin_flags_held_events_without_evaluations(staff_client, held):
    unrated = make_event(title="没人评价的活动", starts_in=-timedelta(days=2))
    Evaluation.objects.create(event=held, rating=5)
    Evaluation.objects.create(event=held, rating=2)
    page = staff_client.get("/admin/feedback/eventfeedback/").content.decode()
    assert "50%" in page and "3.5" in page
    flagged = staff_client.get("/admin/feedback/eventfeedback/", {"evaluated": "no"}).content.decode()
    assert unrated.title in flagged and held.title not in flagged


def post_need(client, **fields):
    data = {"category": "arts", "village": "xidamo", "text": "希望周末开设老年书法班", **fields}
    return client.post("/feedback/needs/new/", data, follow=True)


def test_villager_posts_a_need_and_others_support_it_once(villager_client, other_villager):
    response = post_need(villager_client)
    need = Need.objects.get()
    assert "你的需求已发布" in response.content.decode()
    assert need.steps.get().state == "received"
    client = Client()
    client.force_login(other_villager.user)
    client.post(f"/feedback/needs/{need.pk}/support/")
    again = client.post(f"/feedback/needs/{need.pk}/support/", follow=True)
    assert "你已经支持过" in again.content.decode()
    assert NeedSupport.objects.count() == 1
    own = villager_client.post(f"/feedback/needs/{need.pk}/support/", follow=True)
    assert "已经算上你的支持" in own.content.decode()


def test_bad_needs_are_refused(villager_client):
    assert "至少 5 个字" in post_need(villager_client, text="书").content.decode()
    assert "选择一个有效的选项" in post_need(villager_client, category="weapons").content.decode()
    assert not Need.objects.exists()
    post_need(villager_client, text="<script>alert(1)</script>想学书法")
    board = villager_client.get("/feedback/").content.decode()
    assert "<script>alert(1)" not in board and "&lt;script&gt;" in board


def test_the_board_and_the_need_page_show_how_many_support_it(villager, other_villager):
    need = Need.objects.create(posted_by=villager, category="arts", village="xidamo", text="书法班")
    supporter = Client()
    supporter.force_login(other_villager.user)
    for _ in range(2):  # the second tap counts nothing
        supporter.post(f"/feedback/needs/{need.pk}/support/")
    services.need_support(need=need, member=make_villager())
    assert "👍 2" in Client().get("/feedback/").content.decode()
    assert "👍 2" in Client().get(f"/feedback/needs/{need.pk}/").content.decode()


def test_board_sorts_and_filters(client, villager):
    popular = Need.objects.create(posted_by=villager, category="arts", village="xidamo", text="书法班")
    newer = Need.objects.create(posted_by=villager, category="science", village="yanjiatai", text="防诈骗讲座")
    for _n in range(3):
        services.need_support(need=popular, member=make_villager())
    by_support = [n.pk for n in client.get("/feedback/").context["page"].object_list]
    assert by_support == [popular.pk, newer.pk]
    by_new = [n.pk for n in client.get("/feedback/", {"sort": "new"}).context["page"].object_list]
    assert by_new == [newer.pk, popular.pk]
    only = client.get("/feedback/", {"village": "yanjiatai", "category": "science", "state": "received"})
    assert [n.pk for n in only.context["page"].object_list] == [newer.pk]


def test_staff_move_a_need_along_its_public_timeline(staff_client, villager, client):
    need = Need.objects.create(posted_by=villager, category="arts", village="xidamo", text="书法班")
    manage = f"/feedback/needs/{need.pk}/manage/"
    staff_client.post(manage, {"action": "advance", "state": "reviewing", "reply": "正在找老师"})
    staff_client.post(manage, {"action": "advance", "state": "accepted", "reply": "好的"})
    skipped = staff_client.post(manage, {"action": "advance", "state": "scheduled"}, follow=True)
    assert "请先关联回应此需求的活动" in skipped.content.decode()
    event = make_event(title="老年书法班", category="arts")
    supporter = make_villager()
    services.need_support(need=need, member=supporter)
    staff_client.post(manage, {"action": "link", "event": event.pk})
    staff_client.post(manage, {"action": "advance", "state": "scheduled", "reply": "已安排"})
    need.refresh_from_db()
    assert need.state == "scheduled"
    assert [s.state for s in NeedStep.objects.filter(need=need)] == ["reviewing", "accepted", "scheduled"]
    assert {n.member_id for n in Notice.objects.filter(text__contains="老年书法班")} == {villager.pk, supporter.pk}
    page = client.get(f"/feedback/needs/{need.pk}/").content.decode()
    assert "正在找老师" in page and "老年书法班" in page


def test_declining_needs_a_public_reason(staff_client, villager):
    need = Need.objects.create(posted_by=villager, category="other", village="xidamo", text="装充电桩")
    manage = f"/feedback/needs/{need.pk}/manage/"
    assert (
        "不采纳的公开理由"
        in staff_client.post(manage, {"action": "advance", "state": "declined"}, follow=True).content.decode()
    )
    staff_client.post(manage, {"action": "advance", "state": "declined", "reply": "已转告镇里"})
    need.refresh_from_db()
    assert need.state == "declined"


def test_a_linked_event_published_later_tells_supporters(staff_client, villager):
    need = Need.objects.create(posted_by=villager, category="arts", village="xidamo", text="书法班")
    event = make_event(title="书法班", status="submitted")
    staff_client.post(f"/feedback/needs/{need.pk}/manage/", {"action": "link", "event": event.pk})
    assert not Notice.objects.exists()
    event.status = "approved"
    event.save()
    call_command("notify_need_supporters", stdout=io.StringIO())
    call_command("notify_need_supporters", stdout=io.StringIO())
    assert Notice.objects.filter(member=villager).count() == 1


def test_three_reports_hide_a_need_until_staff_look(villager, staff_client):
    need = Need.objects.create(posted_by=villager, category="other", village="xidamo", text="不当内容")
    for _n in range(3):
        client = Client()
        client.force_login(make_villager().user)
        client.post(f"/feedback/needs/{need.pk}/support/", {"action": "report"})
    need.refresh_from_db()
    assert need.hidden
    assert client.get(f"/feedback/needs/{need.pk}/").status_code == 404
    assert need.text not in client.get("/feedback/").content.decode()
    staff_client.post(f"/feedback/needs/{need.pk}/manage/", {"action": "show"})
    need.refresh_from_db()
    assert not need.hidden


def test_villagers_cannot_manage_needs(villager_client, villager):
    need = Need.objects.create(posted_by=villager, category="arts", village="xidamo", text="书法班")
    response = villager_client.post(f"/feedback/needs/{need.pk}/manage/", {"action": "advance", "state": "reviewing"})
    assert response.status_code == 403


def test_board_query_count_is_fixed(client, villager, django_assert_max_num_queries):
    for n in range(25):
        need = Need.objects.create(posted_by=make_villager(), category="arts", village="xidamo", text=f"需求{n}")
        services.need_support(need=need, member=villager)
    client.force_login(villager.user)
    with django_assert_max_num_queries(12):
        client.get("/feedback/")


def test_the_board_shows_ten_needs_a_page_and_its_page_links_keep_the_filters(client, villager):
    for n in range(21):
        Need.objects.create(posted_by=villager, category="arts", village="xidamo", text=f"书法班第{n}期")
    Need.objects.create(posted_by=villager, category="science", village="xidamo", text="防诈骗讲座")
    first = client.get("/feedback/", {"category": "arts", "sort": "new"})
    page = first.content.decode()
    assert len(first.context["page"].object_list) == 10
    assert "第 1 页，共 3 页" in page
    assert 'href="?category=arts&amp;sort=new&amp;page=2"' in page
    last = client.get("/feedback/", {"category": "arts", "sort": "new", "page": 3})
    assert [n.text for n in last.context["page"].object_list] == ["书法班第0期"]
    assert "防诈骗讲座" not in last.content.decode()


@pytest.mark.parametrize("page", [1, 2])
def test_board_pages_use_a_fixed_number_of_queries(client, villager, page, django_assert_max_num_queries):
    for n in range(25):
        need = Need.objects.create(posted_by=make_villager(), category="arts", village="xidamo", text=f"需求{n}")
        services.need_support(need=need, member=villager)
    # 1 for the open questionnaires, 5 to look up and keep the page in the cache
    with django_assert_max_num_queries(12):
        client.get("/feedback/", {"page": page, "village": "xidamo"})
    client.force_login(villager.user)
    with django_assert_max_num_queries(12):
        client.get("/feedback/", {"page": page, "village": "xidamo"})


def test_my_own_need_offers_me_neither_plus_one_nor_report(villager_client, villager, other_villager):
    mine = Need.objects.create(posted_by=villager, category="arts", village="xidamo", text="我想学书法")
    theirs = Need.objects.create(posted_by=other_villager, category="arts", village="xidamo", text="想要剪纸课")
    board = villager_client.get("/feedback/").content.decode()
    assert f'action="/feedback/needs/{mine.pk}/support/"' not in board and "你发布的需求" in board
    assert f'action="/feedback/needs/{theirs.pk}/support/"' in board
    detail = villager_client.get(f"/feedback/needs/{mine.pk}/").content.decode()
    assert "+1" not in detail and "举报" not in detail and "这是你发布的需求" in detail
    assert "举报" in villager_client.get(f"/feedback/needs/{theirs.pk}/").content.decode()


def test_reporting_my_own_need_is_refused_with_a_clear_message(villager_client, villager):
    need = Need.objects.create(posted_by=villager, category="arts", village="xidamo", text="我想学书法")
    response = villager_client.post(f"/feedback/needs/{need.pk}/support/", {"action": "report"}, follow=True)
    assert "这是你自己发布的需求，不能举报" in response.content.decode()
    assert not need.reports.exists()


def test_hiding_a_need_records_who_and_when_and_the_admin_shows_it(villager, staff_client, staff_user):
    need = Need.objects.create(posted_by=villager, category="other", village="xidamo", text="广告")
    staff_client.post(f"/feedback/needs/{need.pk}/manage/", {"action": "hide", "reason": "广告内容"})
    need.refresh_from_db()
    assert need.hidden and need.hidden_by == staff_user and need.hidden_at is not None

    page = staff_client.get(f"/admin/feedback/need/{need.pk}/change/").content.decode()
    assert "隐藏人" in page and "staff" in page
    assert 'name="hidden"' not in page  # hidden only through the need's page, which records who


def test_the_admin_shows_who_linked_an_event_to_a_need(villager, staff_client, staff_user):
    need = Need.objects.create(posted_by=villager, category="arts", village="xidamo", text="剪纸课")
    event = make_event(title="剪纸入门", category="arts")
    staff_client.post(f"/feedback/needs/{need.pk}/manage/", {"action": "link", "event": event.pk})
    link = NeedEvent.objects.get(need=need)
    assert link.linked_by == staff_user and link.linked_at is not None

    page = staff_client.get(f"/admin/feedback/need/{need.pk}/change/").content.decode()
    assert "关联人" in page and "剪纸入门" in page


def test_a_need_sent_back_keeps_its_text_and_names_each_missing_field(villager_client):
    response = villager_client.post("/feedback/needs/new/", {"category": "", "village": "", "text": "希望开设书法班"})

    page = response.content.decode()
    assert response.status_code == 200 and not Need.objects.exists()
    assert "希望开设书法班</textarea>" in page
    assert '<a href="#id_category">类别：这个字段是必填项。</a>' in page
    assert '<a href="#id_village">村庄：这个字段是必填项。</a>' in page
    assert '<details class="card card-body mb-3" open>' in page
