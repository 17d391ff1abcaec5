from datetime import date, datetime, time, timedelta

import pytest
import time_machine
from django.utils import timezone

from activities import services
from activities.models import Booking, Venue
from tests.conftest import make_regular_schedule, make_staff, make_villager

# A Wednesday at 8:00; the center is open Tuesday to Sunday 9:00–21:00 in these tests.
DAY = date(2026, 12, 9)


def at(hour, minute=0, day=DAY):
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def later(days, hour, minute=0):
    return at(hour, minute, day=DAY + timedelta(days=days))


@pytest.fixture
def clock():
    with time_machine.travel(at(8), tick=False) as traveller:
        yield traveller


@pytest.fixture
def hours(db):
    return make_regular_schedule([(day, time(9), time(21)) for day in range(1, 7)])


@pytest.fixture
def hall(db):
    return Venue.objects.create(name="多功能厅", kind=Venue.Kind.ROOM, capacity=120, equipment="投影仪、音响")


@pytest.fixture
def dance(db):
    return Venue.objects.create(name="舞蹈排练室", kind=Venue.Kind.ROOM, capacity=25)


@pytest.fixture
def staff(db):
    return make_staff()


@pytest.fixture
def leader(db):
    return make_villager(name="杨红", mobile="13900000002")


def book(venue, start, end, *, by=None, title="党员学习", purpose=Booking.Purpose.MEETING, **extra):
    return services.booking_create(
        venue=venue,
        starts_at=start,
        ends_at=end,
        by=by,
        title=title,
        organiser=extra.pop("organiser", "清水镇党委"),
        purpose=purpose,
        **extra,
    )
