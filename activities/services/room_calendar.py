"""The room calendar as staff read it: rooms × hours for a day or a week, with opening
hours shaded and every occupancy placed. A fixed number of queries, whatever the bookings."""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from activities.models import Occupancy, Venue
from culturecenter.hours import HoursCalendar, clock

# The grid's day: early opening to late evening meetings.
GRID_STARTS, GRID_ENDS = 7, 22
GRID_MINUTES = (GRID_ENDS - GRID_STARTS) * 60
# Positions are in steps of a quarter hour (the page's CSS has a class per step: no inline styles).
STEP_MINUTES = 15
STEPS = GRID_MINUTES // STEP_MINUTES


def _at(day: date, hour: int):
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _position(day: date, start, end) -> tuple[int, int] | None:
    """Left and width in quarter hours from the grid's start, or None when outside it."""
    first = _at(day, GRID_STARTS)
    begin = max(0, int((start - first).total_seconds() // 60 // STEP_MINUTES))
    finish = min(STEPS, -int(-(end - first).total_seconds() // 60 // STEP_MINUTES))
    if finish <= begin:
        return None
    return begin, max(1, finish - begin)


@dataclass
class Block:
    occupancy: Occupancy
    left: int
    width: int
    starts: str
    ends: str
    # The held time before and after (set-up, clean-up), in quarter hours.
    held_left: int
    held_width: int

    @property
    def kind(self) -> str:
        return self.occupancy.kind


@dataclass
class Cell:
    day: date
    closed: bool
    note: str
    shaded: list[tuple[int, int]] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)


@dataclass
class Row:
    venue: Venue
    cells: list[Cell]


@dataclass
class Grid:
    days: list[date]
    rows: list[Row]
    hours: list[tuple[int, int]]
    has_schedule: bool

    @property
    def first(self) -> date:
        return self.days[0]

    @property
    def last(self) -> date:
        return self.days[-1]


def room_grid(*, first: date, days: int = 7, venues=None) -> Grid:
    """Every room (then equipment) × `days` days from `first`; four queries."""
    last = first + timedelta(days=days - 1)
    if venues is None:
        order = {Venue.Kind.ROOM: 0, Venue.Kind.OUTDOOR: 1, Venue.Kind.RESOURCE: 2}
        venues = sorted(Venue.objects.bookable(), key=lambda v: (order.get(v.kind, 3), -(v.capacity or 0), v.name))
    venues = list(venues)
    claims = (
        Occupancy.objects.filter(venue__in=venues)
        .between(_at(first, 0), _at(last + timedelta(days=1), 0))
        .select_related("event", "booking")
        .order_by("starts_at", "pk")
    )
    by_venue: dict[int, list[Occupancy]] = {}
    for claim in claims:
        by_venue.setdefault(claim.venue_id, []).append(claim)
    calendar = HoursCalendar(first, last)
    day_list = [first + timedelta(days=n) for n in range(days)]
    hours_by_day = {day: calendar.day(day) for day in day_list}
    rows = []
    for venue in venues:
        cells = []
        for day in day_list:
            day_hours = hours_by_day[day]
            shaded = []
            for opens, closes in day_hours.periods:
                place = _position(day, _at(day, 0) + _delta(opens), _at(day, 0) + _delta(closes))
                if place:
                    shaded.append(place)
            cell = Cell(day, calendar.has_schedule and day_hours.is_closed, day_hours.note, shaded)
            day_start, day_end = _at(day, 0), _at(day + timedelta(days=1), 0)
            for claim in by_venue.get(venue.pk, []):
                if claim.blocked_from >= day_end or claim.blocked_until <= day_start:
                    continue
                place = _position(day, claim.starts_at, claim.ends_at) or (0, 0)
                held = _position(day, claim.blocked_from, claim.blocked_until) or place
                start, end = timezone.localtime(claim.starts_at), timezone.localtime(claim.ends_at)
                cell.blocks.append(Block(claim, *place, clock(start), clock(end), *held))
            cells.append(cell)
        rows.append(Row(venue, cells))
    hours = [(hour, (hour - GRID_STARTS) * 60 // STEP_MINUTES) for hour in range(GRID_STARTS, GRID_ENDS)]
    return Grid(day_list, rows, hours, calendar.has_schedule)


def _delta(t: time) -> timedelta:
    """A time of day as the span since midnight."""
    return timedelta(hours=t.hour, minutes=t.minute)


def week_start(day: date) -> date:
    """The Monday of the week that holds `day`."""
    return day - timedelta(days=day.weekday())


def hosted_in_month(first: date, after: date):
    """配合政府工作 for the monthly archive: hosted meetings and big events held in the month, with their records."""
    from activities.models import Booking

    return (
        Booking.objects.hosted()
        .filter(status=Booking.Status.CONFIRMED, starts_at__gte=_at(first, 0), starts_at__lt=_at(after, 0))
        .select_related("venue", "record")
        .prefetch_related("record__files")
        .order_by("starts_at", "pk")
    )
