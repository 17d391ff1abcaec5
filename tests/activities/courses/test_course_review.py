"""A course from scratch: staff add it in the admin, plan its sessions across a holiday,
submit it; a reviewer (never the author) approves once the teacher is vetted."""

from datetime import date

import pytest

from activities import services
from activities.models import Course, Presenter
from culturecenter import roles
from culturecenter.models import SpecialDay
from tests.activities.courses.conftest import add_sessions, aware, make_room, make_teacher
from tests.conftest import make_regular_schedule, make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _late_august(time_machine):
    time_machine.move_to("2026-08-20 10:00 +0800", tick=False)


def test_a_course_from_scratch_to_published(client):
    make_regular_schedule()
    SpecialDay.objects.create(date=date(2026, 10, 1), is_closed=True, note="国庆闭馆")
    room, teacher = make_room(), make_teacher()
    author, reviewer = make_staff("staff"), make_staff("reviewer", roles.REVIEWER)
    client.force_login(author)

    client.post(
        "/admin/activities/course/add/",
        {
            "title": "舞蹈基础课 秋季班",
            "category": "arts",
            "description": "站姿、节奏与基本步伐。",
            "venue": room.pk,
            "teacher": teacher.pk,
            "capacity": "25",
            "min_age": "8",
            "enrol_opens_at_0": "2026-08-25",
            "enrol_opens_at_1": "09:00",
            "enrol_closes_at_0": "2026-09-07",
            "enrol_closes_at_1": "17:00",
            "allocation": "first_come",
            "reserved_elderly": "0",
            "reserved_disabled": "0",
            "reserved_hardship": "0",
            **{f"{prefix}-{key}": value for prefix in ("sessions", "review_steps") for key, value in
               (("TOTAL_FORMS", "0"), ("INITIAL_FORMS", "0"), ("MIN_NUM_FORMS", "0"), ("MAX_NUM_FORMS", "1000"))},
        },
    )  # fmt: skip
    course = Course.objects.get()
    assert course.status == "draft" and course.created_by == author
    plan = {"first_day": "2026-09-29", "starts": "19:00", "ends": "20:30", "count": "4", "weekdays": ["1", "3"]}
    client.post(f"/activities/courses/{course.pk}/manage/", plan)
    assert [s.starts_at.day for s in course.sessions.all()] == [29, 6, 8, 13]  # 1 October skipped
    client.post(f"/activities/courses/{course.pk}/action/", {"action": "submit"})

    with pytest.raises(services.ActivityError, match="author|创建人"):
        services.course_approve(course=Course.objects.get(), by=author)
    client.force_login(reviewer)
    client.post(f"/activities/courses/{course.pk}/action/", {"action": "approve", "opinion": "同意"})

    course.refresh_from_db()
    assert course.status == "approved"
    assert [s.action for s in course.review_steps.all()] == ["submitted", "approved"]
    assert client.get("/activities/courses/").content.decode().count("舞蹈基础课 秋季班") >= 1


def test_a_course_with_an_unvetted_teacher_cannot_be_approved():
    course = Course.objects.create(
        title="书法课",
        description="写字。",
        venue=make_room(),
        teacher=make_teacher(vetting=Presenter.Vetting.PENDING),
        enrol_opens_at="2026-08-25T09:00+08:00",
        enrol_closes_at="2026-09-07T17:00+08:00",
        status=Course.Status.SUBMITTED,
        created_by=make_staff("staff"),
    )

    with pytest.raises(services.ActivityError, match="杨红"):
        services.course_approve(course=course, by=make_staff("reviewer", roles.REVIEWER))


def test_a_returned_course_says_why(reviewer):
    course = Course.objects.create(
        title="书法课",
        description="写字。",
        venue=make_room(),
        teacher=make_teacher(),
        enrol_opens_at="2026-08-25T09:00+08:00",
        enrol_closes_at="2026-09-07T17:00+08:00",
        status=Course.Status.SUBMITTED,
    )

    with pytest.raises(services.ActivityError):
        services.course_return(course=course, by=reviewer, opinion=" ")
    services.course_return(course=course, by=reviewer, opinion="请补充教学计划")

    assert course.review_steps.get().opinion == "请补充教学计划"


def test_editing_an_approved_course_in_the_admin_sends_it_back_to_review(client):
    staff = make_staff("staff")
    course = Course.objects.create(
        title="书法课",
        description="写字。",
        venue=make_room(),
        teacher=make_teacher(),
        enrol_opens_at="2026-08-25T09:00+08:00",
        enrol_closes_at="2026-09-07T17:00+08:00",
        status=Course.Status.APPROVED,
    )
    client.force_login(staff)
    form = client.get(f"/admin/activities/course/{course.pk}/change/").context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(
        description="写毛笔字。",
        venue=course.venue_id,
        teacher=course.teacher_id,
        enrol_opens_at_0="2026-08-25",
        enrol_opens_at_1="09:00",
        enrol_closes_at_0="2026-09-07",
        enrol_closes_at_1="17:00",
    )
    data.pop("enrol_opens_at", None)
    data.pop("enrol_closes_at", None)
    for prefix in ("sessions", "review_steps"):
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "1000"})

    client.post(f"/admin/activities/course/{course.pk}/change/", data)

    course.refresh_from_db()
    assert course.description == "写毛笔字。"
    assert course.status == "submitted"


def test_approving_a_lottery_course_publishes_the_seed_s_hash_at_once(reviewer):
    course = Course.objects.create(
        title="舞蹈基础课 冬季班",
        description="抽签。",
        venue=make_room(),
        teacher=make_teacher(),
        allocation=Course.Allocation.LOTTERY,
        enrol_opens_at="2026-08-25T09:00+08:00",
        enrol_closes_at="2026-09-07T17:00+08:00",
        status=Course.Status.SUBMITTED,
    )
    add_sessions(course, [aware(date(2026, 9, 8), 19)])
    course.refresh_from_db()

    services.course_approve(course=course, by=reviewer)

    course.refresh_from_db()
    assert len(course.seed_hash) == 64 and course.seed_committed_by == reviewer
