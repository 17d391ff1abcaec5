"""The room-occupancy core: one calendar for every room and resource of the center.

An `Occupancy` claims one venue for a half-open range [start − set-up, end + clean-up).
A claim locks the venue row (waiting at most `LOCK_TIMEOUT_MS`, then "try again") and
re-checks under the lock; on PostgreSQL the exclusion constraint `occupancy_no_overlap`
backs this up, so even two desks booking at the same instant cannot both win. The loser
gets `RoomClash`, naming the occupancy in the way.

Lock order: the venue, then its occupancies (after any event or booking row the caller locked)."""

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from activities.models import Occupancy, Venue
from activities.services.errors import ActivityError
from culturecenter.hours import HoursCalendar, clock
from culturecenter.lib.locks import locking

EXCLUSION_CONSTRAINT = "occupancy_no_overlap"
# Where the search for a free time starts and how it steps.
ALTERNATIVE_STEP = timedelta(minutes=30)
# When the center has no published hours, the day a free time is looked for in.
DEFAULT_DAY = (time(8, 0), time(22, 0))


def _span(occupancy: Occupancy) -> str:
    start, end = timezone.localtime(occupancy.starts_at), timezone.localtime(occupancy.ends_at)
    if start.date() == end.date() or end.time() == time(0):
        return f"{start.month}月{start.day}日 {clock(start)}–{clock(end)}"
    return f"{start.month}月{start.day}日 {clock(start)}–{end.month}月{end.day}日 {clock(end)}"


def clash_text(occupancy: Occupancy) -> str:
    """与「…」（12月3日 14:00–16:00）冲突, with its set-up or clean-up when that is what overlaps."""
    return _("clashes with “%(title)s” (%(when)s)") % {"title": occupancy.title, "when": _span(occupancy)}


class RoomClash(ActivityError):
    """The room (or resource) is taken for part of that time; `.clashes` are the claims in the way."""

    def __init__(self, clashes: list[Occupancy], venue: Venue | None = None, alternatives=None):
        self.clashes = list(clashes)
        self.alternatives = list(alternatives or [])
        where = venue.name if venue else (self.clashes[0].venue.name if self.clashes else "")
        if self.clashes:
            text = _("%(room)s is taken: %(clashes)s.") % {
                "room": where,
                "clashes": "；".join(clash_text(o) for o in self.clashes),
            }
        else:
            text = _("%(room)s was booked by someone else at the same moment; look at the calendar again.") % {
                "room": where
            }
        if self.alternatives:
            text += _(" Free instead: %(choices)s.") % {"choices": "、".join(str(a) for a in self.alternatives)}
        super().__init__(text)


def _blocked(starts_at, ends_at, setup_minutes, cleanup_minutes):
    return starts_at - timedelta(minutes=setup_minutes or 0), ends_at + timedelta(minutes=cleanup_minutes or 0)


def _exclude(queryset, exclude):
    if exclude is None:
        return queryset
    if isinstance(exclude, Occupancy):
        return queryset.exclude(pk=exclude.pk)
    return queryset.exclude(pk__in=[o.pk if isinstance(o, Occupancy) else o for o in exclude])


def occupancy_clashes(
    *, venue: Venue, starts_at, ends_at, setup_minutes: int = 0, cleanup_minutes: int = 0, exclude=None
) -> list[Occupancy]:
    """The claims on `venue` that overlap this use with its set-up and clean-up (half-open)."""
    start, end = _blocked(starts_at, ends_at, setup_minutes, cleanup_minutes)
    clashes = Occupancy.objects.filter(venue=venue).overlapping(start, end).select_related("venue")
    return list(_exclude(clashes, exclude).order_by("blocked_from", "pk"))


def _check_times(venue: Venue, starts_at, ends_at) -> None:
    if starts_at is None or ends_at is None or ends_at <= starts_at:
        raise ActivityError(_("The end must be after the start."))
    if not venue.blocks:
        raise ActivityError(_("%(venue)s is a village site; it is not on the center's calendar.") % {"venue": venue})


def _save_claim(occupancy: Occupancy) -> None:
    """Save under a savepoint, so an exclusion violation leaves the caller's transaction usable."""
    try:
        with transaction.atomic():
            occupancy.save()
    except IntegrityError as error:
        if EXCLUSION_CONSTRAINT not in str(error):
            raise
        clashes = occupancy_clashes(
            venue=occupancy.venue,
            starts_at=occupancy.starts_at,
            ends_at=occupancy.ends_at,
            setup_minutes=occupancy.setup_minutes,
            cleanup_minutes=occupancy.cleanup_minutes,
            exclude=occupancy if occupancy.pk else None,
        )
        raise RoomClash(clashes, occupancy.venue) from None


def _lock_venue(venue: Venue) -> Venue:
    return Venue.objects.select_for_update().get(pk=venue.pk)


@locking
def occupancy_claim(
    *,
    venue: Venue,
    kind: str,
    title: str,
    starts_at,
    ends_at,
    setup_minutes: int = 0,
    cleanup_minutes: int = 0,
    is_public: bool = True,
    contact=None,
    by,
    **source,
) -> Occupancy:
    """Claim `venue` for this use (source: `event=`, `booking=`, later `session=`); refuses
    with `RoomClash` when any other claim overlaps, set-up and clean-up included."""
    _check_times(venue, starts_at, ends_at)
    venue = _lock_venue(venue)
    clashes = occupancy_clashes(
        venue=venue,
        starts_at=starts_at,
        ends_at=ends_at,
        setup_minutes=setup_minutes,
        cleanup_minutes=cleanup_minutes,
    )
    if clashes:
        raise RoomClash(clashes, venue)
    occupancy = Occupancy(
        venue=venue,
        kind=kind,
        title=title[:120],
        starts_at=starts_at,
        ends_at=ends_at,
        setup_minutes=setup_minutes or 0,
        cleanup_minutes=cleanup_minutes or 0,
        is_public=is_public,
        contact=contact,
        created_by=by,
        **source,
    )
    occupancy.set_blocked_range()
    _save_claim(occupancy)
    return occupancy


@locking
def occupancy_move(
    *,
    occupancy: Occupancy,
    starts_at,
    ends_at,
    venue: Venue | None = None,
    setup_minutes: int | None = None,
    cleanup_minutes: int | None = None,
    by,
) -> Occupancy:
    """Move a claim to another time (and room); the old time is free once this returns.
    `RoomClash` when the new time is taken by anything but the claim itself."""
    target = venue or occupancy.venue
    _check_times(target, starts_at, ends_at)
    for locked in sorted({occupancy.venue_id, target.pk}):
        Venue.objects.select_for_update().get(pk=locked)
    occupancy = Occupancy.objects.select_for_update().select_related("venue").get(pk=occupancy.pk)
    occupancy.venue = Venue.objects.get(pk=target.pk)
    occupancy.starts_at, occupancy.ends_at = starts_at, ends_at
    if setup_minutes is not None:
        occupancy.setup_minutes = setup_minutes
    if cleanup_minutes is not None:
        occupancy.cleanup_minutes = cleanup_minutes
    clashes = occupancy_clashes(
        venue=occupancy.venue,
        starts_at=starts_at,
        ends_at=ends_at,
        setup_minutes=occupancy.setup_minutes,
        cleanup_minutes=occupancy.cleanup_minutes,
        exclude=occupancy,
    )
    if clashes:
        raise RoomClash(clashes, occupancy.venue)
    occupancy.set_blocked_range()
    _save_claim(occupancy)
    return occupancy


@transaction.atomic
def occupancy_release(*, occupancies, by) -> int:
    """Free these claims (the event or booking keeps its own history); returns how many."""
    ids = [o.pk if isinstance(o, Occupancy) else o for o in occupancies]
    if not ids:
        return 0
    deleted, _rows = Occupancy.objects.filter(pk__in=ids).delete()
    return deleted


# ---------------------------------------------------------------- checking many slots


@dataclass
class SlotCheck:
    starts_at: datetime
    ends_at: datetime
    ok: bool
    reasons: list[str] = field(default_factory=list)
    clashes: list[Occupancy] = field(default_factory=list)

    @property
    def day(self):
        return timezone.localdate(self.starts_at)


def hours_problems(calendar: HoursCalendar, starts_at, ends_at) -> list[str]:
    """Why this use is not inside the center's opening hours ([] when it is, or when no hours are published)."""
    if not calendar.has_schedule:
        return []
    start, end = timezone.localtime(starts_at), timezone.localtime(ends_at)
    day_hours = calendar.day(start.date())
    if day_hours.is_closed:
        note = f"（{day_hours.note}）" if day_hours.note else ""
        return [_("the center is closed that day%(note)s") % {"note": note}]
    end_time = time(23, 59, 59) if end.date() > start.date() else end.time()
    if not any(opens <= start.time() and end_time <= closes for opens, closes in day_hours.periods):
        hours = "、".join(f"{clock(o)}–{clock(c)}" for o, c in day_hours.periods)
        return [_("outside opening hours (%(hours)s)") % {"hours": hours}]
    return []


def slots_check(
    *, venue: Venue, slots, setup_minutes: int = 0, cleanup_minutes: int = 0, exclude=None, check_hours: bool = True
) -> list[SlotCheck]:
    """For each (starts_at, ends_at), in the order given: free or not, and why not (a clash naming it, the center
    closed that day, outside opening hours). One query for the clashes of all slots."""
    slots = list(slots)  # answered in the order given
    if not slots:
        return []
    blocked = [_blocked(s, e, setup_minutes, cleanup_minutes) for s, e in slots]
    first, last = min(b[0] for b in blocked), max(b[1] for b in blocked)
    claims = list(
        _exclude(Occupancy.objects.filter(venue=venue).overlapping(first, last), exclude).order_by("blocked_from")
    )
    first_day, last_day = timezone.localdate(min(s for s, _e in slots)), timezone.localdate(max(e for _s, e in slots))
    calendar = HoursCalendar(first_day, last_day) if check_hours else None
    results = []
    for (starts_at, ends_at), (start, end) in zip(slots, blocked, strict=True):
        reasons = []
        if ends_at <= starts_at:
            reasons.append(_("the end must be after the start"))
        clashes = [o for o in claims if o.blocked_from < end and o.blocked_until > start]
        reasons += [clash_text(o) for o in clashes]
        if calendar is not None:
            reasons += hours_problems(calendar, starts_at, ends_at)
        results.append(SlotCheck(starts_at, ends_at, ok=not reasons, reasons=reasons, clashes=clashes))
    return results


# ---------------------------------------------------------------- alternatives


@dataclass
class Alternative:
    venue: Venue
    starts_at: datetime
    ends_at: datetime

    def __str__(self):
        start, end = timezone.localtime(self.starts_at), timezone.localtime(self.ends_at)
        return f"{self.venue.name} {start.month}月{start.day}日 {clock(start)}–{clock(end)}"


def _day_bounds(calendar: HoursCalendar, day):
    """The opening periods of a day as aware datetimes (a default day when no hours are published)."""
    if not calendar.has_schedule:
        periods = (DEFAULT_DAY,)
    else:
        periods = calendar.day(day).periods
    return [
        (timezone.make_aware(datetime.combine(day, opens)), timezone.make_aware(datetime.combine(day, closes)))
        for opens, closes in periods
    ]


def _candidates(calendar, day, after, wanted_time):
    """Start times to try on `day`, with the end of their opening period: on the asked day the
    times after the asked one; on later days the same time first, then the day from opening."""
    periods = _day_bounds(calendar, day)
    if after is None:
        same = timezone.make_aware(datetime.combine(day, wanted_time))
        for opens, closes in periods:
            if opens <= same < closes:
                yield same, closes
    for opens, closes in periods:
        candidate = opens if after is None else max(opens, after + ALTERNATIVE_STEP)
        while candidate < closes:
            yield candidate, closes
            candidate += ALTERNATIVE_STEP


def free_alternatives(
    *,
    venue: Venue,
    starts_at,
    ends_at,
    setup_minutes: int = 0,
    cleanup_minutes: int = 0,
    exclude=None,
    days: int = 7,
    limit: int = 3,
) -> list[Alternative]:
    """Free choices for a use that cannot have its time: the same room at the next free time
    that day or in the following `days`, then other free rooms (of the same kind) with at least
    the same capacity at the asked time. Within opening hours; two queries for the room."""
    length = ends_at - starts_at
    setup, cleanup = timedelta(minutes=setup_minutes or 0), timedelta(minutes=cleanup_minutes or 0)
    first_day = timezone.localdate(starts_at)
    last_day = first_day + timedelta(days=days)
    calendar = HoursCalendar(first_day, last_day)
    window_end = timezone.make_aware(datetime.combine(last_day + timedelta(days=1), time(0)))
    claims = list(
        _exclude(Occupancy.objects.filter(venue=venue).overlapping(starts_at - setup, window_end), exclude).values_list(
            "blocked_from", "blocked_until"
        )
    )

    def free(start, end, taken):
        return not any(b_from < end + cleanup and b_until > start - setup for b_from, b_until in taken)

    same_room: list[Alternative] = []
    wanted_time = timezone.localtime(starts_at).time()
    day = first_day
    while day <= last_day and len(same_room) < max(1, limit - 1):
        for candidate, closes in _candidates(calendar, day, starts_at if day == first_day else None, wanted_time):
            if candidate + length <= closes and free(candidate, candidate + length, claims):
                same_room.append(Alternative(venue, candidate, candidate + length))
                break
        day += timedelta(days=1)
    found = same_room

    others = Venue.objects.bookable().filter(kind=venue.kind).exclude(pk=venue.pk)
    if venue.capacity:
        others = others.filter(capacity__gte=venue.capacity)
    others = list(others.order_by("capacity", "name"))
    if others:
        start, end = starts_at - setup, ends_at + cleanup
        busy = set(
            Occupancy.objects.filter(venue__in=others).overlapping(start, end).values_list("venue_id", flat=True)
        )
        for other in others:
            if other.pk not in busy and len(found) < limit:
                found.append(Alternative(other, starts_at, ends_at))
    return found
