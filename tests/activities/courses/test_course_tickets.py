"""The course ticket: the same signed-code QR as event tickets, checked in at the session's
register for today's session only, from 30 minutes before the start to the end."""

import re
from datetime import date, timedelta

import pytest

from activities import services, tickets
from activities.models import CourseEnrolment, SessionAttendance
from tests.activities.courses.conftest import add_sessions, aware, make_course
from tests.conftest import make_villager, read_qr

pytestmark = pytest.mark.django_db

START = aware(date(2026, 9, 8), 19)


@pytest.fixture
def scene(time_machine):
    time_machine.move_to(START - timedelta(days=3), tick=False)
    course = make_course()
    session = add_sessions(course, [START, START + timedelta(days=2)])[0]
    person = make_villager(name="张秀英")
    enrolment = services.course_enrol(course=course, member=person, by=person.user)
    return course, session, enrolment


def test_the_ticket_page_shows_a_qr_code_a_phone_can_read(client, scene):
    _course, _session, enrolment = scene
    client.force_login(enrolment.member.user)

    body = client.get(f"/activities/courses/tickets/{enrolment.code}/").content.decode()

    svg = re.search(r"<svg.*?</svg>", body, re.S).group(0)
    assert read_qr(svg) == [(enrolment.code, "QRCode")]
    assert tickets.display(enrolment.code) in body


def test_another_household_cannot_open_the_ticket(client, scene, other_villager):
    _course, _session, enrolment = scene
    client.force_login(other_villager.user)

    assert client.get(f"/activities/courses/tickets/{enrolment.code}/").status_code == 404


def test_a_scan_thirty_minutes_before_the_start_marks_present(scene, staff_user, time_machine):
    _course, session, enrolment = scene
    time_machine.move_to(START - timedelta(minutes=30), tick=False)

    attendance = services.session_check_in(session=session, code=tickets.display(enrolment.code), by=staff_user)

    assert attendance.mark == "present"


def test_a_scan_earlier_or_after_the_end_is_refused(scene, staff_user, time_machine):
    _course, session, enrolment = scene
    for moment in (START - timedelta(minutes=31), session.ends_at):
        time_machine.move_to(moment, tick=False)
        with pytest.raises(services.ActivityError):
            services.session_check_in(session=session, code=enrolment.code, by=staff_user)
    assert not SessionAttendance.objects.exists()


def test_a_scan_well_after_the_start_marks_late_and_a_second_scan_changes_nothing(scene, staff_user, time_machine):
    _course, session, enrolment = scene
    time_machine.move_to(START + timedelta(minutes=25), tick=False)

    assert services.session_check_in(session=session, code=enrolment.code, by=staff_user).mark == "late"
    with pytest.raises(services.AlreadyCheckedIn):
        services.session_check_in(session=session, code=enrolment.code, by=staff_user)


def test_a_ticket_of_another_course_or_a_forged_code_is_refused(scene, staff_user, time_machine):
    _course, session, _enrolment = scene
    other_course = make_course(title="少儿拉丁舞")
    stranger = make_villager(name="别的课")
    other = services.course_enrol(course=other_course, member=stranger, by=stranger.user)
    time_machine.move_to(START, tick=False)

    with pytest.raises(services.ActivityError):
        services.session_check_in(session=session, code=other.code, by=staff_user)
    with pytest.raises(services.ActivityError):
        services.session_check_in(session=session, code="ABCD-EFGH-JKLM", by=staff_user)


def test_staff_scan_at_the_session_register(staff_client, scene, time_machine):
    _course, session, enrolment = scene
    time_machine.move_to(START - timedelta(minutes=5), tick=False)

    staff_client.post(f"/activities/courses/sessions/{session.pk}/", {"code": enrolment.code})

    assert CourseEnrolment.objects.get(pk=enrolment.pk).marks.get(session=session).mark == "present"
