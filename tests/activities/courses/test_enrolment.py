"""Enrolment: first come with a waiting list, the window, ages, the no-show rule, the
desk (代报名), one enrolment per person, and who may touch whose enrolment."""

from datetime import timedelta

import pytest
from django.db import IntegrityError
from django.utils import timezone

from activities import services
from activities.models import CourseEnrolment
from culturecenter.models import Notice
from tests.activities.courses.conftest import make_course
from tests.conftest import make_dependant, make_event, make_villager, sign_up

pytestmark = pytest.mark.django_db


def test_first_come_fills_the_places_then_the_waiting_list():
    course = make_course(capacity=2)
    people = [make_villager() for _ in range(3)]

    enrolments = [services.course_enrol(course=course, member=p, by=p.user) for p in people]

    assert [e.status for e in enrolments] == ["confirmed", "confirmed", "waiting"]
    assert [e.number for e in enrolments] == [1, 2, 3]


def test_a_withdrawal_gives_the_place_to_the_first_waiting_who_is_told():
    course = make_course(capacity=1)
    first, second = make_villager(), make_villager(name="李秀兰")
    place = services.course_enrol(course=course, member=first, by=first.user)
    waiting = services.course_enrol(course=course, member=second, by=second.user)

    promoted = services.course_withdraw(enrolment=place, by=first.user)

    assert promoted.pk == waiting.pk
    waiting.refresh_from_db()
    assert waiting.status == "confirmed" and waiting.confirmed_at is not None
    assert "李秀兰" in Notice.objects.get(member=second).text


def test_one_enrolment_per_person_per_course_is_a_database_rule(course, villager):
    services.course_enrol(course=course, member=villager, by=villager.user)

    with pytest.raises(services.ActivityError):
        services.course_enrol(course=course, member=villager, by=villager.user)
    with pytest.raises(IntegrityError):
        CourseEnrolment.objects.create(course=course, member=villager, number=99, status="waiting")


def test_enrolment_is_refused_before_the_window_opens_and_after_it_closes(villager):
    now = timezone.now()
    early = make_course(opens=now + timedelta(days=1), closes=now + timedelta(days=5))
    late = make_course(title="已截止", opens=now - timedelta(days=5), closes=now - timedelta(days=1))

    with pytest.raises(services.ActivityError, match="opens|开始"):
        services.course_enrol(course=early, member=villager, by=villager.user)
    with pytest.raises(services.ActivityError):
        services.course_enrol(course=late, member=villager, by=villager.user)


def test_an_unpublished_course_takes_no_enrolment(villager):
    course = make_course(status="draft")

    with pytest.raises(services.ActivityError):
        services.course_enrol(course=course, member=villager, by=villager.user)


def test_a_child_under_the_minimum_age_is_refused(villager):
    course = make_course(min_age=8)
    toddler = make_dependant(villager, birth_year=timezone.localdate().year - 4)

    with pytest.raises(services.ActivityError, match=toddler.name):
        services.course_enrol(course=course, member=toddler, by=villager.user)


def test_the_no_show_rule_pauses_online_enrolment_but_not_the_desk(villager, staff_user):
    for days in (10, 20):
        event = make_event(starts_in=-timedelta(days=days), title=f"未到{days}")
        sign_up(event, villager, no_show=True)
    course = make_course()

    with pytest.raises(services.ActivityError, match="paused|暂停"):
        services.course_enrol(course=course, member=villager, by=villager.user)
    enrolment = services.course_enrol(course=course, member=villager, by=staff_user, on_behalf=True)
    assert enrolment.status == "confirmed"


def test_a_guardian_enrols_their_child_from_the_course_page(client, villager, course):
    child = make_dependant(villager, birth_year=timezone.localdate().year - 10)
    client.force_login(villager.user)

    response = client.post(f"/activities/courses/{course.pk}/enrol/", {"member": child.pk})

    assert response.status_code == 302
    assert CourseEnrolment.objects.get(course=course).member == child


def test_nobody_can_enrol_another_household_s_child(client, villager, other_villager, course):
    child = make_dependant(other_villager)
    client.force_login(villager.user)

    response = client.post(f"/activities/courses/{course.pk}/enrol/", {"member": child.pk})

    assert response.status_code == 404
    assert not CourseEnrolment.objects.exists()


def test_nobody_can_withdraw_another_household_s_enrolment(client, villager, other_villager, course):
    enrolment = services.course_enrol(course=course, member=other_villager, by=other_villager.user)
    client.force_login(villager.user)

    response = client.post(f"/activities/courses/enrolments/{enrolment.pk}/withdraw/")

    assert response.status_code == 404
    enrolment.refresh_from_db()
    assert enrolment.status == "confirmed"


def test_staff_enrol_an_elderly_villager_without_a_login_at_the_desk(staff_client, course):
    from culturecenter.models import Member

    elder = Member.objects.create(name="何玉珍", village="shangqingshui", birth_year=1949)

    found = staff_client.get(f"/activities/courses/{course.pk}/manage/", {"who": "何玉珍"}).content.decode()
    assert "何玉珍" in found
    staff_client.post(f"/activities/courses/{course.pk}/desk/", {"member": elder.pk})

    enrolment = CourseEnrolment.objects.get(course=course, member=elder)
    assert enrolment.status == "confirmed"
