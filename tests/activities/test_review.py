import re
from datetime import timedelta

import pytest
from django.utils import timezone

from activities import services
from activities.models import AudienceTag, Event, Presenter, ReviewStep, Venue
from culturecenter import roles
from culturecenter.models import Notice
from tests.conftest import make_event, make_staff, make_villager, sign_up

pytestmark = pytest.mark.django_db


@pytest.fixture
def author(db):
    return make_staff("staff", roles.STAFF)


@pytest.fixture
def submitted(author):
    event = make_event(status="submitted", author=author)
    event.duty_staff.add(author)
    event.presenters.add(Presenter.objects.create(name="刘永福", vetting="vetted"))
    return event


def review(client, event, action, **data):
    return client.post(f"/activities/{event.pk}/review/", {"action": action, **data}, follow=True)


def test_author_submits_a_draft(client, author):
    event = make_event(status="draft", author=author)
    client.force_login(author)
    review(client, event, "submit", opinion="请审核")
    event.refresh_from_db()
    assert event.status == "submitted"
    step = event.review_steps.get()
    assert (step.action, step.actor, step.opinion) == ("submitted", author, "请审核")


def test_reviewer_approves_and_the_event_is_published(client, reviewer, submitted):
    client.force_login(reviewer)
    response = review(client, submitted, "approve", opinion="内容健康")
    assert "审核通过，活动已发布" in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.status == "approved"
    assert submitted.review_steps.filter(action="approved", actor=reviewer, opinion="内容健康").exists()
    assert client.get(f"/activities/{submitted.pk}/").status_code == 200


def test_the_author_cannot_approve_their_own_event_even_as_a_reviewer(client, db):
    author = make_staff("head", roles.REVIEWER)
    event = make_event(status="submitted", author=author)
    event.duty_staff.add(author)
    client.force_login(author)
    response = review(client, event, "approve")
    assert "活动创建人不能审核自己的活动" in response.content.decode()
    event.refresh_from_db()
    assert event.status == "submitted"


def test_staff_without_the_reviewer_role_cannot_approve(client, author, submitted):
    client.force_login(make_staff("other", roles.STAFF))
    response = review(client, submitted, "approve")
    assert "只有审核人可以审核通过活动" in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.status == "submitted"


def test_unvetted_presenter_and_missing_duty_staff_block_approval(client, reviewer, author):
    event = make_event(status="submitted", author=author)
    event.presenters.add(Presenter.objects.create(name="孙浩然", vetting="pending"))
    client.force_login(reviewer)
    body = review(client, event, "approve").content.decode()
    assert "以下主讲人/演出者尚未通过审查：孙浩然" in body
    assert "请先安排至少一名盯岗人员" in body
    event.refresh_from_db()
    assert event.status == "submitted"


def test_returning_needs_a_reason_and_records_it(client, reviewer, submitted):
    client.force_login(reviewer)
    assert "请填写退回原因" in review(client, submitted, "return", opinion=" ").content.decode()
    review(client, submitted, "return", opinion="请补充主讲人简介")
    submitted.refresh_from_db()
    assert submitted.status == "returned"
    assert submitted.review_steps.get(action="returned").opinion == "请补充主讲人简介"


def test_changing_content_of_a_published_event_sends_it_back_to_review(client, author):
    event = make_event(author=author)
    event.duty_staff.add(author)
    client.force_login(make_staff("admin2", roles.REVIEWER))
    form = {
        "title": "新标题",
        "category": event.category,
        "description": event.description,
        "audiences": list(event.audiences.values_list("pk", flat=True)),
        "starts_at_0": event.starts_at.astimezone().strftime("%Y-%m-%d"),
        "starts_at_1": event.starts_at.astimezone().strftime("%H:%M:%S"),
        "ends_at_0": event.ends_at.astimezone().strftime("%Y-%m-%d"),
        "ends_at_1": event.ends_at.astimezone().strftime("%H:%M:%S"),
        "venue": event.venue_id,
        "signup_required": "on",
        "capacity": 10,
        "duty_staff": [author.pk],
        "review_steps-TOTAL_FORMS": 0,
        "review_steps-INITIAL_FORMS": 0,
    }
    response = client.post(f"/admin/activities/event/{event.pk}/change/", form)
    assert response.status_code == 302, response.content.decode()[:3000]
    event.refresh_from_db()
    assert event.title == "新标题"
    assert event.status == "submitted"
    assert event.review_steps.filter(action="reopened").exists()
    assert client.logout() is None
    assert client.get(f"/activities/{event.pk}/").status_code == 404


def test_cancelling_an_event_tells_everyone_signed_up(client, reviewer, event):
    people = [make_villager() for _ in range(3)]
    for person in people:
        sign_up(event, person)
    sign_up(event, make_villager(), status="cancelled")
    client.force_login(reviewer)
    body = review(client, event, "cancel", reason="暴雨预警").content.decode()
    assert "已通知 3 人" in body
    assert Notice.objects.filter(text__contains="暴雨预警").count() == 3
    assert "已取消" in client.get("/activities/").content.decode()


def test_villagers_cannot_reach_the_review_page(villager_client, submitted):
    assert villager_client.get(f"/activities/{submitted.pk}/review/").status_code == 403


def test_every_step_is_visible_on_the_event_in_the_admin(client, reviewer, submitted, author):
    services.event_approve(event=submitted, by=reviewer, opinion="同意")
    client.force_login(reviewer)
    body = client.get(f"/admin/activities/event/{submitted.pk}/change/").content.decode()
    assert "审核通过" in body and "同意" in body
    assert ReviewStep.objects.filter(event=submitted).count() == 1
    assert Event.objects.get(pk=submitted.pk).status == "approved"


def duty_staff_section(body):
    start = body.index('id="id_duty_staff"')
    return body[start : body.index("</div>\n</div>", start)]


@pytest.fixture
def center_staff(db):
    """Staff with their real names, as the center's accounts have them, and a villager with a login."""
    people = {}
    for username, role, name in (("staff", roles.STAFF, "赵晓燕"), ("reviewer", roles.REVIEWER, "李主任")):
        people[username] = make_staff(username, role)
        people[username].first_name = name
        people[username].save()
    people["villager"] = make_villager(name="王建华")
    return people


def event_form(**fields):
    starts = timezone.localtime() + timedelta(days=10)
    return {
        "title": "红叶节摄影讲座",
        "category": "science",
        "description": "西达摩红叶节，讲拍摄技巧。",
        "audiences": list(AudienceTag.objects.filter(code="everyone").values_list("pk", flat=True)),
        "starts_at_0": starts.strftime("%Y-%m-%d"),
        "starts_at_1": "14:00:00",
        "ends_at_0": starts.strftime("%Y-%m-%d"),
        "ends_at_1": "16:00:00",
        "venue": Venue.objects.get_or_create(name="多功能厅")[0].pk,
        "signup_required": "on",
        "capacity": 30,
        "review_steps-TOTAL_FORMS": 0,
        "review_steps-INITIAL_FORMS": 0,
        **fields,
    }


@pytest.mark.parametrize("role", ["staff", "reviewer"])
def test_staff_and_reviewers_pick_duty_staff_among_staff_by_real_name(client, center_staff, role):
    client.force_login(center_staff[role])

    response = client.get("/admin/activities/event/add/")

    assert response.status_code == 200
    choices = duty_staff_section(response.content.decode())
    assert "赵晓燕" in choices and "李主任" in choices
    assert "王建华" not in choices and center_staff["villager"].user.username not in choices
    assert ">staff<" not in choices  # names, not logins


def test_a_villagers_login_cannot_be_made_duty_staff(client, center_staff):
    client.force_login(center_staff["staff"])

    response = client.post("/admin/activities/event/add/", event_form(duty_staff=[center_staff["villager"].user.pk]))

    assert response.status_code == 200
    assert not Event.objects.exists()


def test_staff_create_assign_duty_staff_and_submit_then_the_plain_reviewer_approves(client, center_staff):
    staff, reviewer = center_staff["staff"], center_staff["reviewer"]
    client.force_login(staff)
    choices = duty_staff_section(client.get("/admin/activities/event/add/").content.decode())
    ticked = [re.search(rf'value="(\d+)"[^>]*>\s*{name}<', choices).group(1) for name in ("赵晓燕", "李主任")]
    response = client.post("/admin/activities/event/add/", event_form(duty_staff=ticked))
    assert response.status_code == 302, response.content.decode()[:2000]
    event = Event.objects.get(title="红叶节摄影讲座")
    assert set(event.duty_staff.all()) == {staff, reviewer} and event.created_by == staff
    review(client, event, "submit", opinion="请审核")

    client.force_login(reviewer)
    page = client.get(f"/activities/{event.pk}/review/").content.decode()
    assert "盯岗人员: 赵晓燕、李主任" in page.replace("：", ": ")
    assert "暂时不能审核通过" not in page
    body = review(client, event, "approve", opinion="同意").content.decode()

    assert "审核通过，活动已发布" in body
    client.logout()
    assert "红叶节摄影讲座" in client.get("/activities/").content.decode()


def test_the_reviewer_sees_what_is_missing_and_sends_it_back_with_a_reason(client, center_staff):
    event = make_event(status="submitted", author=center_staff["staff"], title="拓印体验")
    presenter = Presenter.objects.create(name="孙浩然", vetting="pending")
    event.presenters.add(presenter)
    client.force_login(center_staff["reviewer"])

    page = client.get(f"/activities/{event.pk}/review/").content.decode()

    assert "以下主讲人/演出者尚未通过审查：孙浩然" in page and "请先安排至少一名盯岗人员" in page
    assert f"/admin/activities/presenter/{presenter.pk}/change/" in page  # the reviewer can vet from here
    assert f"/admin/activities/event/{event.pk}/change/#id_duty_staff" in page
    review(client, event, "return", opinion="请安排盯岗人员，主讲人待审查")
    event.refresh_from_db()
    assert event.status == "returned"
    client.force_login(center_staff["staff"])
    page = client.get(f"/activities/{event.pk}/review/").content.decode()
    assert "请安排盯岗人员，主讲人待审查" in page and "请先安排至少一名盯岗人员" in page  # the author sees it too
