"""The lottery: the seed's hash published before the deadline, the seed revealed after,
the draw reproducible by anyone from the published numbers, reserved places that return
to the general draw when unused, and a seed that can never change once committed."""

import hashlib
import re
from datetime import timedelta
from html import unescape

import pytest
from django.utils import timezone

from activities import lottery, services
from activities.models import Course, CourseEnrolment
from culturecenter.models import Member, Notice
from tests.activities.courses.conftest import make_course
from tests.conftest import make_villager

pytestmark = pytest.mark.django_db


def lottery_course(**fields):
    return make_course(allocation=Course.Allocation.LOTTERY, **fields)


def apply_all(course, people):
    return [services.course_enrol(course=course, member=p, by=p.user) for p in people]


def after_deadline(course, time_machine):
    time_machine.move_to(course.enrol_closes_at + timedelta(minutes=1), tick=False)


def test_applications_get_numbers_and_wait_for_the_draw():
    course = lottery_course(capacity=2)
    people = [make_villager() for _ in range(3)]

    enrolments = apply_all(course, people)

    assert [(e.number, e.status) for e in enrolments] == [(1, "applied"), (2, "applied"), (3, "applied")]


def test_the_hash_is_published_before_the_deadline_and_the_seed_stays_secret(client, staff_user):
    course = lottery_course()

    digest = services.lottery_commit(course=course, by=staff_user)

    course.refresh_from_db()
    body = client.get(course.get_absolute_url()).content.decode()
    assert digest == hashlib.sha256(course.seed.encode()).hexdigest()
    assert digest in body
    assert course.seed not in body


def test_the_seed_can_never_be_changed_once_its_hash_is_published(staff_user):
    course = lottery_course()
    services.lottery_commit(course=course, by=staff_user)
    course.refresh_from_db()
    seed = course.seed

    with pytest.raises(services.ActivityError, match="no longer be changed|不能再更改|无法更改"):
        services.lottery_commit(course=course, by=staff_user)

    course.refresh_from_db()
    assert course.seed == seed


def test_no_seed_can_be_committed_after_the_deadline(staff_user, time_machine):
    course = lottery_course()
    after_deadline(course, time_machine)

    with pytest.raises(services.ActivityError):
        services.lottery_commit(course=course, by=staff_user)


def test_the_draw_waits_for_the_deadline(staff_user):
    course = lottery_course()
    services.lottery_commit(course=course, by=staff_user)

    with pytest.raises(services.ActivityError):
        services.lottery_draw(course=course, by=staff_user)


def test_a_seed_tampered_with_after_its_hash_was_published_is_refused(staff_user, time_machine):
    course = lottery_course()
    services.lottery_commit(course=course, by=staff_user)
    Course.objects.filter(pk=course.pk).update(seed="chosen-after-seeing-the-list")
    after_deadline(course, time_machine)

    with pytest.raises(services.ActivityError):
        services.lottery_draw(course=course, by=staff_user)
    assert Course.objects.get(pk=course.pk).drawn_at is None


def test_winners_are_told_and_the_rest_wait_in_draw_order(staff_user, time_machine):
    course = lottery_course(capacity=3)
    people = [make_villager() for _ in range(7)]
    apply_all(course, people)
    services.lottery_commit(course=course, by=staff_user)
    after_deadline(course, time_machine)

    assert services.lottery_draw(course=course, by=staff_user) == 3

    drawn = list(course.enrolments.order_by("draw_position"))
    assert [e.status for e in drawn] == ["confirmed"] * 3 + ["waiting"] * 4
    assert Notice.objects.count() == 7
    # A winner who gives the place back hands it to the first in draw order.
    promoted = services.course_withdraw(enrolment=drawn[0], by=staff_user)
    assert promoted.pk == drawn[3].pk


def test_anyone_can_re_run_the_draw_from_the_course_page(client, staff_user, time_machine):
    course = lottery_course(capacity=4, reserved_elderly=1, reserved_disabled=1)
    year = timezone.localdate().year
    people = [make_villager(birth_year=year - 70 if n % 4 == 0 else 1990) for n in range(11)]
    apply_all(course, people)
    services.lottery_commit(course=course, by=staff_user)
    after_deadline(course, time_machine)
    services.lottery_draw(course=course, by=staff_user)

    body = unescape(client.get(course.get_absolute_url()).content.decode())

    course.refresh_from_db()
    code = re.search(r'<pre class="lottery__recipe"><code>(.*?)</code></pre>', body, re.S).group(1)
    assert course.seed in code
    printed = []
    exec(code, {"print": lambda *args: printed.append(args[1])})  # as a villager would run it
    order, winners = printed
    assert order == [e.number for e in course.enrolments.order_by("draw_position")]
    assert winners == sorted(course.enrolments.filter(status="confirmed").values_list("number", flat=True))
    assert len(winners) == 4


def test_reserved_places_go_to_their_group_first(staff_user, time_machine):
    course = lottery_course(capacity=3, reserved_elderly=2)
    year = timezone.localdate().year
    elders = [make_villager(birth_year=year - 70) for _ in range(3)]
    young = [make_villager() for _ in range(10)]
    apply_all(course, young + elders)
    services.lottery_commit(course=course, by=staff_user)
    after_deadline(course, time_machine)

    services.lottery_draw(course=course, by=staff_user)

    won = course.enrolments.filter(status="confirmed")
    assert won.filter(won_in="elderly").count() == 2
    assert won.filter(member__in=elders).count() >= 2
    assert won.count() == 3


def test_unused_reserved_places_return_to_the_general_draw(staff_user, time_machine):
    course = lottery_course(capacity=4, reserved_elderly=2, reserved_disabled=1)
    elder = make_villager(birth_year=timezone.localdate().year - 75)
    apply_all(course, [elder] + [make_villager() for _ in range(6)])
    services.lottery_commit(course=course, by=staff_user)
    after_deadline(course, time_machine)

    services.lottery_draw(course=course, by=staff_user)

    won = course.enrolments.filter(status="confirmed")
    assert won.count() == 4  # one elderly applicant, no disabled one: three places drawn generally
    assert won.get(member=elder).won_in == "elderly"


def test_the_reserved_pools_of_an_applicant_follow_their_record(staff_user):
    course = lottery_course(reserved_elderly=1, reserved_hardship=1)
    person = Member.objects.create(name="马凤兰", village="xidamo", birth_year=1947, has_hardship=True)

    enrolment = services.course_enrol(course=course, member=person, by=staff_user, on_behalf=True)

    assert enrolment.pool_list == [CourseEnrolment.Pool.ELDERLY, CourseEnrolment.Pool.HARDSHIP]


def test_the_allocation_is_a_pure_function_of_the_published_inputs():
    pools = {"elderly": (1, {3, 5})}

    first = lottery.allocate(seed="abc", numbers=range(1, 11), capacity=4, pools=pools)
    printed = []
    exec(
        lottery.recipe(seed="abc", numbers=range(1, 11), places=4, pools=pools),
        {"print": lambda *a: printed.append(a[1])},
    )
    assert printed == [first[1], sorted(first[0])]
    again = lottery.allocate(seed="abc", numbers=list(reversed(range(1, 11))), capacity=4, pools=pools)

    assert first == again
    assert lottery.allocate(seed="abd", numbers=range(1, 11), capacity=4, pools=pools) != first
