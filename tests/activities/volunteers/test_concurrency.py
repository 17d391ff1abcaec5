"""Real threads against PostgreSQL: the role lock keeps a role's last place for one person, and the
volunteer lock keeps one person from taking two overlapping shifts from two browsers."""

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from django.db import connection, connections
from django.utils import timezone

from activities import services
from activities.models import ShiftSignup
from tests.activities.volunteers.conftest import make_shift, make_volunteer, role
from tests.conftest import make_villager

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
]


def run_together(work, items):
    """Start every call at the same moment, each on its own thread and database connection."""
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


def test_ten_volunteers_racing_for_a_roles_last_place_leave_one_confirmed():
    shift = make_shift(roles_needed=(("摄影", 2),))
    photographer = role(shift, "摄影")
    first = make_volunteer(make_villager(name="先到的人"))
    services.shift_signup(shift=shift, role=photographer, volunteer=first, by=first.member.user)
    racers = [make_volunteer(make_villager(name=f"摄影爱好者{n}")) for n in range(10)]

    outcomes = run_together(
        lambda v: services.shift_signup(shift=shift, role=photographer, volunteer=v, by=v.member.user), racers
    )

    assert not [o for o in outcomes if isinstance(o, Exception)]
    signups = ShiftSignup.objects.filter(role=photographer)
    assert signups.filter(status="confirmed").count() == 2
    assert signups.filter(status="waiting").count() == 9


def test_one_volunteer_in_two_browsers_gets_only_one_of_two_overlapping_shifts():
    volunteer = make_volunteer()
    starts = timezone.now() + timedelta(days=3)
    a = make_shift(title="阅览室值班", starts_at=starts)
    b = make_shift(title="剪纸展布展", starts_at=starts + timedelta(hours=1))

    outcomes = run_together(
        lambda s: services.shift_signup(shift=s, role=role(s, "引导"), volunteer=volunteer, by=volunteer.member.user),
        [a, b],
    )

    assert ShiftSignup.objects.filter(volunteer=volunteer).count() == 1
    refusal = next(o for o in outcomes if isinstance(o, services.ActivityError))
    assert "重叠" in refusal.messages[0]


def test_the_same_sign_up_sent_many_times_at_once_makes_one_row():
    volunteer = make_volunteer()
    shift = make_shift()
    outcomes = run_together(
        lambda _: services.shift_signup(
            shift=shift, role=role(shift, "签到"), volunteer=volunteer, by=volunteer.member.user
        ),
        range(6),
    )
    assert ShiftSignup.objects.filter(shift=shift).count() == 1
    assert sum(isinstance(o, services.ActivityError) for o in outcomes) == 5
