"""Real threads against PostgreSQL: the event row lock keeps capacity and the queue exact."""

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from django.db import connection, connections
from django.utils import timezone

from activities import services
from activities.models import Registration
from tests.conftest import make_event, make_villager, sign_up

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
]


def run_together(work, items):
    """Start every call at the same moment, each on its own thread and database connection."""
    barrier = threading.Barrier(len(items))
    outcomes = []

    def attempt(item):
        try:
            barrier.wait()
            return work(item)
        except services.ActivityError as error:
            return error
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=len(items)) as pool:
        outcomes = list(pool.map(attempt, items))
    return outcomes


def test_fifty_simultaneous_sign_ups_for_ten_places():
    event = make_event(capacity=10)
    people = [make_villager() for _ in range(50)]

    outcomes = run_together(
        lambda member: services.registration_create(event=event, member=member, by=member.user), people
    )

    assert not [o for o in outcomes if isinstance(o, Exception)]
    registrations = Registration.objects.filter(event=event)
    assert registrations.count() == 50
    assert registrations.filter(status="confirmed").count() == 10
    waiting = registrations.filter(status="waiting").order_by("queued_at", "pk")
    assert waiting.count() == 40
    assert sorted(services.waiting_position(r) for r in waiting) == list(range(1, 41))


def test_the_same_person_signed_up_from_many_phones_at_once_gets_one_place():
    event = make_event(capacity=10)
    person = make_villager()

    outcomes = run_together(
        lambda _: services.registration_create(event=event, member=person, by=person.user), range(10)
    )

    assert Registration.objects.filter(event=event).count() == 1
    assert sum(isinstance(o, services.ActivityError) for o in outcomes) == 9


def test_simultaneous_cancellations_promote_each_waiting_person_exactly_once():
    event = make_event(capacity=5)
    holders = [sign_up(event, make_villager()) for _ in range(5)]
    start = timezone.now() - timedelta(hours=1)
    queue = [
        sign_up(event, make_villager(), status="waiting", queued_at=start + timedelta(seconds=i)) for i in range(8)
    ]

    run_together(lambda registration: services.registration_cancel(registration=registration, by=None), holders)
    run_together(lambda registration: services.registration_cancel(registration=registration, by=None), holders)

    statuses = {r.pk: r.status for r in Registration.objects.filter(event=event)}
    assert [statuses[r.pk] for r in queue] == ["confirmed"] * 5 + ["waiting"] * 3
    assert Registration.objects.filter(event=event, status="confirmed").count() == 5
