"""Attendance per session: who is expected (late joiners, cancelled sessions), the phone
register ("all present", reopening keeps marks), corrections, warnings, certificates."""

from datetime import date, timedelta

import pytest
from django.test import override_settings

from activities import services
from activities.models import AttendanceCorrection, CourseEnrolment, SessionAttendance
from culturecenter.lib.export import workbook_bytes  # noqa: F401  (the same helper the export uses)
from culturecenter.models import Notice
from tests.activities.courses.conftest import add_sessions, aware, make_course
from tests.conftest import make_villager

pytestmark = pytest.mark.django_db

TUESDAYS = [aware(date(2026, 9, 8) + timedelta(weeks=n), 19) for n in range(6)]


@pytest.fixture(autouse=True)
def _after_the_term(time_machine):
    time_machine.move_to(aware(date(2026, 10, 15), 21), tick=False)


def enrol(course, name, *, from_session=0, sessions=None, until_session=None):
    """A place confirmed just before session `from_session` (given up after `until_session`)."""
    member = make_villager(name=name)
    start = (sessions or TUESDAYS)[from_session] - timedelta(days=1)
    withdrawn = (sessions or TUESDAYS)[until_session] + timedelta(hours=3) if until_session is not None else None
    return CourseEnrolment.objects.create(
        course=course,
        member=member,
        number=CourseEnrolment.objects.filter(course=course).count() + 1,
        status="withdrawn" if withdrawn else "confirmed",
        confirmed_at=start,
        withdrawn_at=withdrawn,
    )


def mark_all(sessions, enrolment, marks):
    for session, value in zip(sessions, marks, strict=False):
        if value:
            SessionAttendance.objects.create(session=session, enrolment=enrolment, mark=value)


def row_of(course, enrolment):
    _sessions, rows = services.course_attendance(course)
    return next(r for r in rows if r.enrolment.pk == enrolment.pk)


def test_a_late_joiner_is_counted_only_for_sessions_after_joining():
    course = make_course()
    sessions = add_sessions(course, TUESDAYS)
    late = enrol(course, "晚来的", from_session=2)
    mark_all(sessions, late, [None, None, "present", "present", "absent", "late"])

    row = row_of(course, late)

    assert (row.attended, row.expected, row.percent) == (3, 4, 75)
    register = [e.pk for e, _m in services.session_register(sessions[0])]
    assert late.pk not in register


def test_a_cancelled_session_leaves_everyone_s_denominator():
    course = make_course()
    sessions = add_sessions(course, TUESDAYS)
    person = enrol(course, "全勤")
    services.session_cancel(session=sessions[1], by=None, reason="停电")
    mark_all(sessions, person, ["present", None, "present", "present", "present", "excused"])

    row = row_of(course, person)

    assert (row.attended, row.expected, row.percent) == (4, 5, 80)


def test_someone_who_left_stops_being_expected():
    course = make_course()
    sessions = add_sessions(course, TUESDAYS)
    leaver = enrol(course, "退出的", until_session=1)

    assert row_of(course, leaver).expected == 2
    assert leaver.pk not in [e.pk for e, _m in services.session_register(sessions[2])]


def test_all_present_marks_only_the_unmarked_and_a_reopened_register_keeps_its_marks(staff_user):
    course = make_course()
    sessions = add_sessions(course, TUESDAYS)
    late_one, others = enrol(course, "迟到的"), [enrol(course, f"队员{n}") for n in range(3)]

    services.attendance_record(session=sessions[-1], marks={late_one.pk: "late"}, by=staff_user, all_present=True)
    services.attendance_record(session=sessions[-1], marks={}, by=staff_user, all_present=True)

    marks = dict(SessionAttendance.objects.filter(session=sessions[-1]).values_list("enrolment_id", "mark"))
    assert marks == {late_one.pk: "late", **{o.pk: "present" for o in others}}


def test_the_phone_register_lists_everyone_and_saves_exceptions(staff_client):
    course = make_course()
    sessions = add_sessions(course, TUESDAYS)
    people = [enrol(course, name) for name in ("张秀英", "王桂兰", "李淑珍")]
    url = f"/activities/courses/sessions/{sessions[-1].pk}/"

    page = staff_client.get(url).content.decode()
    assert all(name in page for name in ("张秀英", "王桂兰", "李淑珍"))
    staff_client.post(url, {"all_present": "1", f"mark-{people[1].pk}": "excused"})

    marks = dict(SessionAttendance.objects.filter(session=sessions[-1]).values_list("enrolment__member__name", "mark"))
    assert marks == {"张秀英": "present", "王桂兰": "excused", "李淑珍": "present"}


def test_a_correction_within_seven_days_is_kept_without_a_reason(staff_user):
    course = make_course()
    sessions = add_sessions(course, TUESDAYS)
    person = enrol(course, "改过的")
    services.attendance_record(session=sessions[-1], marks={person.pk: "absent"}, by=staff_user)

    services.attendance_record(session=sessions[-1], marks={person.pk: "late"}, by=staff_user)

    correction = AttendanceCorrection.objects.get()
    assert (correction.old_mark, correction.new_mark) == ("absent", "late")


def test_a_correction_after_seven_days_needs_a_reason_and_is_kept(staff_user):
    course = make_course()
    sessions = add_sessions(course, TUESDAYS)
    person = enrol(course, "请过假的")
    SessionAttendance.objects.create(session=sessions[0], enrolment=person, mark="absent")

    with pytest.raises(services.ActivityError, match="reason|理由|原因"):
        services.attendance_record(session=sessions[0], marks={person.pk: "excused"}, by=staff_user)
    assert SessionAttendance.objects.get().mark == "absent"

    services.attendance_record(session=sessions[0], marks={person.pk: "excused"}, by=staff_user, reason="补交了请假条")

    correction = AttendanceCorrection.objects.get()
    assert (correction.old_mark, correction.new_mark, correction.reason) == ("absent", "excused", "补交了请假条")
    assert correction.corrected_by == staff_user


def test_no_attendance_is_taken_for_a_cancelled_session(staff_user):
    course = make_course()
    sessions = add_sessions(course, TUESDAYS)
    person = enrol(course, "某人")
    services.session_cancel(session=sessions[-1], by=staff_user, reason="下雪")

    with pytest.raises(services.ActivityError):
        services.attendance_record(session=sessions[-1], marks={person.pk: "present"}, by=staff_user)


@override_settings(COURSE_WARNING_ABSENCES=3)
def test_three_absences_in_a_row_send_one_notice_and_put_them_at_risk(staff_user, staff_client):
    course = make_course()
    sessions = add_sessions(course, TUESDAYS)
    person = enrol(course, "缺课的")
    mark_all(sessions, person, ["present", "present", "present"])

    for session in sessions[3:]:
        services.attendance_record(session=session, marks={person.pk: "absent"}, by=staff_user)

    in_a_row = [n.text for n in Notice.objects.filter(member=person.member) if "in a row" in n.text or "连续" in n.text]
    assert len(in_a_row) == 1
    assert "3" in in_a_row[0]
    page = staff_client.get(f"/activities/courses/{course.pk}/manage/").content.decode()
    at_risk = page.split('id="risk-h"')[1].split("</section>")[0]
    assert "缺课的" in at_risk


@override_settings(COURSE_CERTIFICATE_PERCENT=80)
def test_a_certificate_from_eighty_percent_of_held_sessions_numbered(staff_user, client):
    course = make_course()
    sessions = add_sessions(course, TUESDAYS[:5])
    enough, short = enrol(course, "够了的"), enrol(course, "差一点")
    mark_all(sessions, enough, ["present", "late", "present", "present", "absent"])  # 80%
    mark_all(sessions, short, ["present", "absent", "present", "excused", "absent"])  # 40%

    assert services.certificates_issue(course=course, by=staff_user) == 1

    enough.refresh_from_db()
    assert enough.certificate_number.startswith("KC2026-")
    client.force_login(enough.member.user)
    page = client.get(f"/activities/courses/{course.pk}/certificates/{enough.pk}/").content.decode()
    assert enough.certificate_number in page and "够了的" in page
    client.force_login(short.member.user)
    assert client.get(f"/activities/courses/{course.pk}/certificates/{enough.pk}/").status_code == 404


def test_certificates_wait_for_the_last_session(staff_user, time_machine):
    course = make_course()
    add_sessions(course, [aware(date(2026, 10, 27), 19)])

    with pytest.raises(services.ActivityError):
        services.certificates_issue(course=course, by=staff_user)


def test_the_register_export_is_formula_safe(staff_client):
    from io import BytesIO

    from openpyxl import load_workbook

    course = make_course()
    sessions = add_sessions(course, TUESDAYS[:2])
    person = enrol(course, "=HYPERLINK(1)")
    mark_all(sessions, person, ["present", "absent"])

    response = staff_client.get(f"/activities/courses/{course.pk}/register.xlsx")

    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.values)
    assert rows[1][1] == "'=HYPERLINK(1)"
    assert rows[1][-1] == 50


def test_the_register_export_tells_not_enrolled_then_from_unmarked(staff_client):
    from io import BytesIO

    from openpyxl import load_workbook

    course = make_course()
    sessions = add_sessions(course, TUESDAYS[:3])
    enrol(course, "晚来的", from_session=1)
    services.session_cancel(session=sessions[2], by=None, reason="停电")

    response = staff_client.get(f"/activities/courses/{course.pk}/register.xlsx")

    rows = list(load_workbook(BytesIO(response.content)).active.values)
    assert rows[1][4:7] == ("当时未报名", None, "本次课取消")


def test_my_account_shows_my_courses_with_attendance(client):
    course = make_course()
    sessions = add_sessions(course, TUESDAYS[:4])
    person = enrol(course, "王建华")
    mark_all(sessions, person, ["present", "present", "absent", "present"])
    client.force_login(person.member.user)

    page = client.get("/accounts/me/").content.decode()

    assert course.title in page
    assert "75%" in page


@pytest.mark.parametrize("people", [3, 12])
def test_course_pages_and_register_take_a_fixed_number_of_queries(
    client, staff_client, people, django_assert_max_num_queries
):
    course = make_course()
    sessions = add_sessions(course, TUESDAYS)
    for n in range(people):
        mark_all(sessions, enrol(course, f"学员{n}"), ["present"] * 6)

    with django_assert_max_num_queries(12):
        client.get(course.get_absolute_url())
    with django_assert_max_num_queries(25):
        staff_client.get(f"/activities/courses/{course.pk}/manage/")
    with django_assert_max_num_queries(12):
        staff_client.get(f"/activities/courses/sessions/{sessions[-1].pk}/")
    with django_assert_max_num_queries(12):
        staff_client.get(f"/activities/courses/{course.pk}/register.xlsx")
