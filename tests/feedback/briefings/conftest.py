from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from activities.models import Venue
from culturecenter import roles
from culturecenter.models import Village
from feedback.briefings import services
from feedback.models import Evaluation
from tests.conftest import make_event, make_staff, make_villager, sign_up

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 12, 1, 10, tzinfo=SHANGHAI)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(NOW, tick=False):
        yield


def held(title, day: date, *, hour=10, **fields):
    """An event on `day` (in the past of the pinned clock), approved unless told otherwise."""
    starts = datetime.combine(day, time(hour), tzinfo=SHANGHAI)
    return make_event(title=title, starts_in=starts - timezone.now(), **fields)


def came(event, member, *, walk_in=False):
    return sign_up(event, member, checked_in_at=event.starts_at, is_walk_in=walk_in)


@pytest.fixture
def people(db):
    return {
        name: make_villager(name=name, birth_year=year)
        for name, year in [("甲", 1950), ("乙", 1986), ("丙", 1990), ("丁", 2015), ("戊", 1980)]
    }


@pytest.fixture
def march(people):
    """March 2026: two events held (a repeat attendee, a walk-in, a no-show), one cancelled with a
    stray check-in that must not count, three evaluations; and one event in March 2025."""
    village = Venue.objects.create(name="黄安坨村委会广场", village=Village.HUANGANTUO, in_center=False)
    first = held("掐丝珐琅", date(2026, 3, 5), category="heritage", audiences=("elderly",))
    second = held("读书会", date(2026, 3, 12), category="reading", venue=village)
    cancelled = held("取消的活动", date(2026, 3, 20), status="cancelled")
    last_year = held("去年的活动", date(2025, 3, 10))
    came(first, people["甲"])
    came(first, people["乙"])
    sign_up(first, people["丙"])  # a ticket, but did not come
    came(first, people["丁"], walk_in=True)
    came(second, people["甲"])  # came again: a second person-time, not a second person
    came(second, people["戊"])
    came(cancelled, people["乙"])
    came(last_year, people["乙"])
    for rating, improve in [(5, ""), (4, ""), (2, "声音太小")]:
        Evaluation.objects.create(event=first, rating=rating, improve=improve)
    Evaluation.objects.create(event=cancelled, rating=1)
    return {"first": first, "second": second, "cancelled": cancelled, "last_year": last_year}


@pytest.fixture
def author(db):
    return make_staff("staff", roles.STAFF)


@pytest.fixture
def head(db):
    return make_staff("reviewer", roles.REVIEWER)


def draft(by, first=date(2026, 3, 1), last=date(2026, 3, 31), **kwargs):
    return services.briefing_create(title="2026年3月", first=first, last=last, by=by, **kwargs)
