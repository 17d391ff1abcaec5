"""Sessions from a recurrence: closed days skipped, clashes with the room calendar shown
before saving, every session on the room calendar, moves and cancellations told."""

from datetime import date, time, timedelta

import pytest

from activities import services
from activities.models import CourseEnrolment, Occupancy
from culturecenter.models import Notice, SpecialDay
from tests.activities.courses.conftest import aware, make_course
from tests.conftest import make_regular_schedule, make_villager

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _before_the_term(time_machine):
    time_machine.move_to("2026-09-01 10:00 +0800", tick=False)


def plan(course, count=16, **extra):
    return services.session_plan(
        course=course,
        first_day=date(2026, 9, 8),
        weekdays=[1, 3],
        starts=time(19),
        ends=time(20, 30),
        count=count,
        **extra,
    )


def national_day():
    for day in range(1, 8):
        SpecialDay.objects.create(date=date(2026, 10, day), is_closed=True, note="国庆闭馆")


def test_sixteen_sessions_skip_the_national_day_holiday_and_run_on():
    make_regular_schedule()
    national_day()
    course = make_course()

    planned = plan(course)

    held = [p for p in planned if p.state == "ok"]
    skipped = [p.starts_at.date() for p in planned if p.state == "closed"]
    assert len(held) == 16
    assert skipped == [date(2026, 10, 1), date(2026, 10, 6)]
    assert all("国庆闭馆" in p.reasons[0] for p in planned if p.state == "closed")
    assert held[0].starts_at == aware(date(2026, 9, 8), 19)
    assert held[-1].starts_at == aware(date(2026, 11, 5), 19)  # a week later than without the holiday


def test_an_evening_session_outside_opening_hours_is_shown_but_not_refused():
    make_regular_schedule()
    course = make_course()

    first = plan(course, count=1)[0]

    assert first.state == "ok"
    assert any("开放时间" in reason or "opening hours" in reason for reason in first.reasons)


def test_a_clash_with_the_room_calendar_is_shown_and_saving_is_refused():
    course = make_course()
    services.occupancy_claim(
        venue=course.venue,
        kind="booking",
        title="镇政府会议",
        starts_at=aware(date(2026, 9, 15), 18),
        ends_at=aware(date(2026, 9, 15), 20),
        by=None,
    )

    planned = plan(course, count=4)

    clash = [p for p in planned if p.state == "clash"]
    assert [p.starts_at.date() for p in clash] == [date(2026, 9, 15)]
    assert "镇政府会议" in clash[0].reasons[0]
    with pytest.raises(services.ActivityError):
        services.sessions_create(course=course, plan=planned, by=None)
    assert course.sessions.count() == 0


def test_skipping_clashes_runs_the_series_on_and_each_session_claims_the_room():
    course = make_course()
    services.occupancy_claim(
        venue=course.venue,
        kind="booking",
        title="镇政府会议",
        starts_at=aware(date(2026, 9, 15), 18),
        ends_at=aware(date(2026, 9, 15), 20),
        by=None,
    )

    sessions = services.sessions_create(course=course, plan=plan(course, count=4, skip_clashes=True), by=None)

    assert [s.starts_at.date() for s in sessions] == [
        date(2026, 9, 8),
        date(2026, 9, 10),
        date(2026, 9, 17),
        date(2026, 9, 22),
    ]
    claims = Occupancy.objects.filter(kind=Occupancy.Kind.SESSION, venue=course.venue)
    assert claims.count() == 4
    assert {c.session_id for c in claims} == {s.pk for s in sessions}


def test_a_second_course_in_the_same_room_at_the_same_time_clashes_with_the_first():
    first = make_course()
    services.sessions_create(course=first, plan=plan(first, count=2), by=None)
    second = make_course(title="少儿拉丁舞")

    assert {p.state for p in plan(second, count=2)} == {"clash"}


def _enrolled(course, name="李秀兰"):
    member = make_villager(name=name)
    return CourseEnrolment.objects.create(
        course=course, member=member, number=1, status="confirmed", confirmed_at=aware(date(2026, 8, 30), 9)
    )


def test_cancelling_a_session_frees_the_room_and_tells_everyone_enrolled():
    course = make_course()
    sessions = services.sessions_create(course=course, plan=plan(course, count=2), by=None)
    enrolment = _enrolled(course)

    told = services.session_cancel(session=sessions[0], by=None, reason="老师生病")

    assert told == 1
    assert not Occupancy.objects.filter(session=sessions[0]).exists()
    notice = Notice.objects.get(member=enrolment.member)
    assert "取消" in notice.text or "cancelled" in notice.text
    assert "老师生病" in notice.text


def test_moving_a_session_moves_its_claim_and_tells_everyone_enrolled():
    course = make_course()
    sessions = services.sessions_create(course=course, plan=plan(course, count=2), by=None)
    enrolment = _enrolled(course)
    new_start = aware(date(2026, 9, 9), 19)

    services.session_move(session=sessions[0], starts_at=new_start, ends_at=new_start + timedelta(minutes=90), by=None)

    assert Occupancy.objects.get(session=sessions[0]).starts_at == new_start
    assert Notice.objects.filter(member=enrolment.member).count() == 1


def test_a_move_onto_a_taken_time_is_refused_and_nothing_changes():
    course = make_course()
    sessions = services.sessions_create(course=course, plan=plan(course, count=2), by=None)

    with pytest.raises(services.RoomClash):
        services.session_move(
            session=sessions[0], starts_at=sessions[1].starts_at, ends_at=sessions[1].ends_at, by=None
        )

    sessions[0].refresh_from_db()
    assert sessions[0].starts_at == aware(date(2026, 9, 8), 19)


def test_staff_preview_the_plan_then_save_it(staff_client):
    make_regular_schedule()
    national_day()
    course = make_course()
    query = {"first_day": "2026-09-29", "starts": "19:00", "ends": "20:30", "count": "3", "weekdays": ["1", "3"]}

    preview = staff_client.get(f"/activities/courses/{course.pk}/manage/", query).content.decode()
    assert "国庆闭馆" in preview
    assert course.sessions.count() == 0

    response = staff_client.post(f"/activities/courses/{course.pk}/manage/", query)

    assert response.status_code == 302
    assert [s.starts_at.date() for s in course.sessions.all()] == [
        date(2026, 9, 29),
        date(2026, 10, 8),
        date(2026, 10, 13),
    ]
