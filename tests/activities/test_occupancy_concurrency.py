"""Real threads against PostgreSQL: twenty desks book the same slot at the same instant."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, connection
from django.utils import timezone

from activities import services
from activities.models import Occupancy, Venue
from tests.activities.test_concurrency import run_together

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the exclusion constraint needs PostgreSQL"),
]


def test_twenty_simultaneous_bookings_of_one_slot_leave_exactly_one():
    hall = Venue.objects.create(name="多功能厅", capacity=120)
    start = timezone.now() + timedelta(days=3)

    outcomes = run_together(
        lambda n: services.occupancy_claim(
            venue=hall, kind="booking", title=f"会议{n}", starts_at=start, ends_at=start + timedelta(hours=2), by=None
        ),
        list(range(20)),
    )

    assert Occupancy.objects.filter(venue=hall).count() == 1
    refused = [o for o in outcomes if isinstance(o, services.RoomClash)]
    assert len(refused) == 19
    assert all("多功能厅" in o.messages[0] for o in refused)


def test_the_database_itself_refuses_an_overlap_written_past_the_services():
    hall = Venue.objects.create(name="多功能厅", capacity=120)
    start = timezone.now() + timedelta(days=3)
    fields = dict(venue=hall, kind="booking", title="会议", starts_at=start, ends_at=start + timedelta(hours=2))
    Occupancy.objects.create(**fields, blocked_from=start, blocked_until=start + timedelta(hours=2))

    with pytest.raises(IntegrityError, match="occupancy_no_overlap"):
        Occupancy.objects.create(
            **fields, blocked_from=start + timedelta(hours=1), blocked_until=start + timedelta(hours=3)
        )


def test_touching_ranges_are_allowed_by_the_database():
    hall = Venue.objects.create(name="多功能厅", capacity=120)
    start = timezone.now() + timedelta(days=3)
    end = start + timedelta(hours=2)
    Occupancy.objects.create(
        venue=hall, kind="booking", title="甲", starts_at=start, ends_at=end, blocked_from=start, blocked_until=end
    )
    Occupancy.objects.create(
        venue=hall,
        kind="booking",
        title="乙",
        starts_at=end,
        ends_at=end + timedelta(hours=1),
        blocked_from=end,
        blocked_until=end + timedelta(hours=1),
    )


def test_a_claim_that_slips_past_the_check_becomes_a_clash_message_not_a_500(monkeypatch):
    from activities.services import occupancy

    hall = Venue.objects.create(name="多功能厅", capacity=120)
    start = timezone.now() + timedelta(days=3)
    services.occupancy_claim(
        venue=hall, kind="booking", title="人代会", starts_at=start, ends_at=start + timedelta(hours=2), by=None
    )
    real = occupancy.occupancy_clashes
    calls = []

    def blind_first(**kwargs):  # as if the other desk committed just after our check
        calls.append(kwargs)
        return [] if len(calls) == 1 else real(**kwargs)

    monkeypatch.setattr(occupancy, "occupancy_clashes", blind_first)

    with pytest.raises(services.RoomClash, match="人代会"):
        services.occupancy_claim(
            venue=hall,
            kind="booking",
            title="排练",
            starts_at=start + timedelta(hours=1),
            ends_at=start + timedelta(hours=3),
            by=None,
        )
    assert Occupancy.objects.count() == 1
