"""Real threads against PostgreSQL: the course row lock keeps the places exact."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections

from activities import services
from activities.models import CourseEnrolment
from tests.activities.courses.conftest import make_course
from tests.conftest import make_villager

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
]


def run_together(work, items):
    barrier = threading.Barrier(len(items))

    def attempt(item):
        try:
            barrier.wait()
            return work(item)
        except services.ActivityError as error:
            return error
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=len(items)) as pool:
        return list(pool.map(attempt, items))


def test_fifty_villagers_enrolling_at_once_for_twenty_five_places():
    course = make_course(capacity=25)
    people = [make_villager() for _ in range(50)]

    outcomes = run_together(lambda m: services.course_enrol(course=course, member=m, by=m.user), people)

    assert not [o for o in outcomes if isinstance(o, Exception)]
    enrolments = CourseEnrolment.objects.filter(course=course)
    assert enrolments.filter(status="confirmed").count() == 25
    assert enrolments.filter(status="waiting").count() == 25
    assert sorted(enrolments.values_list("number", flat=True)) == list(range(1, 51))


def test_fifty_lottery_applications_at_once_get_fifty_distinct_numbers():
    course = make_course(capacity=25, allocation="lottery")
    people = [make_villager() for _ in range(50)]

    run_together(lambda m: services.course_enrol(course=course, member=m, by=m.user), people)

    numbers = list(CourseEnrolment.objects.filter(course=course).values_list("number", flat=True))
    assert sorted(numbers) == list(range(1, 51))


def test_the_same_child_enrolled_from_two_phones_at_once_gets_one_enrolment():
    course = make_course(capacity=25)
    person = make_villager()

    outcomes = run_together(lambda _n: services.course_enrol(course=course, member=person, by=person.user), range(10))

    assert CourseEnrolment.objects.filter(course=course).count() == 1
    assert sum(isinstance(o, services.ActivityError) for o in outcomes) == 9
