"""Room bookings: staff bookings and repeating series, members' requests and their approval,
priority moves, arrival and no-show release, and the record of a hosted meeting.

Every booking's claim on its room (and borrowed equipment) is an `Occupancy` made through
`activities.services.occupancy`; every step is a `BookingStep` with who and when.
Lock order: the booking, then the venue (inside the occupancy services)."""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from activities.models import Booking, BookingSeries, BookingStep, HostedFile, HostedRecord, Occupancy, Venue
from activities.services import occupancy
from activities.services.errors import ActivityError
from activities.services.occupancy import RoomClash, SlotCheck
from culturecenter.hours import HoursCalendar, clock
from culturecenter.lib.locks import locking
from culturecenter.models import Member
from culturecenter.services import notify


def _step(booking: Booking, action: str, by, note: str = "") -> BookingStep:
    return BookingStep.objects.create(booking=booking, action=action, actor=by, note=note[:500])


def _tell(user, text: str, url: str = "") -> None:
    """A notice for the login behind a booking (a team leader, a village committee's account)."""
    member = Member.objects.filter(user=user).first() if user else None
    if member:
        notify(member=member, text=text[:300], url=url)


def when_text(starts_at, ends_at) -> str:
    """12月3日 19:00–21:00, as a notice says it."""
    start, end = timezone.localtime(starts_at), timezone.localtime(ends_at)
    return f"{start.month}月{start.day}日 {clock(start)}–{clock(end)}"


# ---------------------------------------------------------------- the rules


def booking_problems(*, venue: Venue, starts_at, ends_at, attendance: int | None = None, now=None) -> list[str]:
    """The rules of a room that do not depend on other bookings: end after start, not across
    midnight, not longer than the room allows, not further ahead than its window, not more people."""
    now = now or timezone.now()
    if starts_at is None or ends_at is None:
        return [_("Give the start and the end.")]
    if ends_at <= starts_at:
        return [_("The end must be after the start.")]
    problems = []
    start, end = timezone.localtime(starts_at), timezone.localtime(ends_at)
    if end.date() != start.date() and not (end.date() == start.date() + timedelta(days=1) and end.time() == time(0)):
        problems.append(_("A booking cannot run past midnight; book two, one on each day."))
    if not venue.blocks or not venue.is_bookable:
        problems.append(_("%(room)s cannot be booked.") % {"room": venue.name})
    minutes = (ends_at - starts_at).total_seconds() / 60
    if venue.max_booking_minutes and minutes > venue.max_booking_minutes:
        problems.append(
            _("%(room)s can be booked for at most %(hours)s hours at a time.")
            % {"room": venue.name, "hours": f"{venue.max_booking_minutes / 60:g}"}
        )
    if venue.advance_days and start.date() > timezone.localdate(now) + timedelta(days=venue.advance_days):
        problems.append(
            _("%(room)s can be booked at most %(days)s days ahead.") % {"room": venue.name, "days": venue.advance_days}
        )
    if attendance and venue.capacity and attendance > venue.capacity:
        problems.append(
            _("%(room)s holds %(capacity)s people, fewer than the %(count)s expected.")
            % {"room": venue.name, "capacity": venue.capacity, "count": attendance}
        )
    return problems


def _with_alternatives(clash: RoomClash, venue, starts_at, ends_at, setup_minutes, cleanup_minutes) -> RoomClash:
    """The same clash, its message ending with the free choices the calendar found."""
    found = occupancy.free_alternatives(
        venue=venue,
        starts_at=starts_at,
        ends_at=ends_at,
        setup_minutes=setup_minutes,
        cleanup_minutes=cleanup_minutes,
    )
    return RoomClash(clash.clashes, clash.clashes[0].venue if clash.clashes else venue, alternatives=found)


def _claim(booking: Booking, by) -> list[Occupancy]:
    """Claim the booking's room and its borrowed equipment; RoomClash (with alternatives) if any is taken."""
    claims = []
    for place in [booking.venue, *booking.resources.all()]:
        try:
            claims.append(
                occupancy.occupancy_claim(
                    venue=place,
                    kind=booking.occupancy_kind,
                    title=booking.title,
                    starts_at=booking.starts_at,
                    ends_at=booking.ends_at,
                    setup_minutes=booking.setup_minutes,
                    cleanup_minutes=booking.cleanup_minutes,
                    is_public=booking.is_public,
                    contact=booking.contact,
                    by=by,
                    booking=booking,
                )
            )
        except RoomClash as clash:
            raise _with_alternatives(
                clash, place, booking.starts_at, booking.ends_at, booking.setup_minutes, booking.cleanup_minutes
            ) from None
    return claims


def _check_hours(venue, starts_at, ends_at, override_reason: str) -> None:
    if override_reason.strip():
        return
    calendar = HoursCalendar(timezone.localdate(starts_at), timezone.localdate(starts_at))
    problems = occupancy.hours_problems(calendar, starts_at, ends_at)
    if problems:
        raise ActivityError(
            _("%(room)s: %(problem)s. To book it anyway (e.g. a night meeting), give a reason.")
            % {"room": venue.name, "problem": problems[0]}
        )


# ---------------------------------------------------------------- staff bookings


BOOKING_FIELDS = (
    "title",
    "organiser",
    "organiser_kind",
    "purpose",
    "attendance",
    "setup_minutes",
    "cleanup_minutes",
    "equipment",
    "is_public",
    "note",
)


@transaction.atomic
def booking_create(
    *,
    venue: Venue,
    starts_at,
    ends_at,
    by,
    title: str,
    organiser: str,
    organiser_kind: str = "person",
    purpose: str = Booking.Purpose.MEETING,
    attendance: int = 1,
    setup_minutes: int = 0,
    cleanup_minutes: int = 0,
    equipment: str = "",
    resources=(),
    is_public: bool = True,
    note: str = "",
    contact=None,
    hours_override_reason: str = "",
    series: BookingSeries | None = None,
) -> Booking:
    """Staff book a room (and equipment) for one use, after every rule and the calendar agree.
    Raises ActivityError for a broken rule, RoomClash (with free alternatives) for a clash."""
    problems = booking_problems(venue=venue, starts_at=starts_at, ends_at=ends_at, attendance=attendance)
    if problems:
        raise ActivityError(problems)
    _check_hours(venue, starts_at, ends_at, hours_override_reason)
    booking = Booking.objects.create(
        venue=venue,
        starts_at=starts_at,
        ends_at=ends_at,
        title=title,
        organiser=organiser,
        organiser_kind=organiser_kind,
        purpose=purpose,
        attendance=attendance or 1,
        setup_minutes=setup_minutes or 0,
        cleanup_minutes=cleanup_minutes or 0,
        equipment=equipment,
        is_public=is_public,
        note=note,
        contact=contact,
        hours_override_reason=hours_override_reason.strip(),
        series=series,
        status=Booking.Status.CONFIRMED,
        created_by=by,
    )
    booking.resources.set(resources)
    _claim(booking, by)
    note = _("Outside opening hours: %(reason)s") % {"reason": hours_override_reason} if hours_override_reason else ""
    _step(booking, BookingStep.Action.BOOKED, by, note)
    return booking


@locking
def booking_cancel(*, booking: Booking, by, reason: str) -> Booking:
    """Cancel one booking: exactly its claims are freed, and its contact is told."""
    booking = Booking.objects.select_for_update().get(pk=booking.pk)
    if booking.status not in (Booking.Status.CONFIRMED, Booking.Status.REQUESTED):
        raise ActivityError(_("This booking is no longer active."))
    if not reason.strip():
        raise ActivityError(_("Give a reason; the booker is told."))
    occupancy.occupancy_release(occupancies=list(booking.occupancies.all()), by=by)
    booking.status = Booking.Status.CANCELLED
    booking.decision_reason = reason[:300]
    booking.save(update_fields=["status", "decision_reason"])
    _step(booking, BookingStep.Action.CANCELLED, by, reason)
    if booking.contact_id and booking.contact_id != getattr(by, "pk", None):
        _tell(
            booking.contact,
            _("Your booking of %(room)s, “%(title)s” (%(when)s), is cancelled: %(reason)s")
            % {
                "room": booking.venue.name,
                "title": booking.title,
                "when": when_text(booking.starts_at, booking.ends_at),
                "reason": reason,
            },  # fmt: skip
            "/activities/rooms/mine/",
        )
    return booking


@locking
def booking_move(
    *, booking: Booking, starts_at, ends_at, venue: Venue | None = None, by, reason: str = "", alternatives=()
) -> Booking:
    """Move a booking to another time or room; its claims move with it (RoomClash if taken),
    the step is logged and its contact told, with the other free choices when given."""
    booking = Booking.objects.select_for_update().select_related("venue").get(pk=booking.pk)
    if booking.status != Booking.Status.CONFIRMED:
        raise ActivityError(_("Only a confirmed booking can be moved."))
    venue = venue or booking.venue
    problems = booking_problems(venue=venue, starts_at=starts_at, ends_at=ends_at, attendance=None)
    if problems:
        raise ActivityError(problems)
    before = f"{booking.venue.name} {when_text(booking.starts_at, booking.ends_at)}"
    for claim in booking.occupancies.select_related("venue"):
        target = venue if claim.venue_id == booking.venue_id else claim.venue
        occupancy.occupancy_move(occupancy=claim, starts_at=starts_at, ends_at=ends_at, venue=target, by=by)
    booking.venue, booking.starts_at, booking.ends_at = venue, starts_at, ends_at
    booking.save(update_fields=["venue", "starts_at", "ends_at"])
    after = f"{venue.name} {when_text(starts_at, ends_at)}"
    _step(booking, BookingStep.Action.MOVED, by, f"{before} → {after}" + (f"：{reason}" if reason else ""))
    if booking.contact_id:
        others = [str(a) for a in alternatives if (a.venue.pk, a.starts_at) != (venue.pk, starts_at)]
        text = _("“%(title)s” has moved from %(before)s to %(after)s%(reason)s.") % {
            "title": booking.title,
            "before": before,
            "after": after,
            "reason": f"（{reason}）" if reason else "",
        }
        if others:
            text += _(" Other free choices: %(choices)s; call the center to change.") % {"choices": "、".join(others)}
        _tell(booking.contact, text, "/activities/rooms/mine/")
    return booking


def displaceable(clashes: list[Occupancy]) -> list[Booking]:
    """The bookings in the way that a government meeting may move (team practices, rehearsals),
    or [] when anything else is in the way too."""
    bookings = []
    for claim in clashes:
        booking = claim.booking
        if booking is None or booking.purpose not in Booking.MOVABLE or booking.status != Booking.Status.CONFIRMED:
            return []
        bookings.append(booking)
    return bookings


def move_choices(booking: Booking, *, avoid=None) -> list:
    """Where a practice could go: the same room later that day or week, or another room as big.
    `avoid` is the (start, end) the meeting needs, so a choice inside it is not offered."""
    found = occupancy.free_alternatives(
        venue=booking.venue,
        starts_at=booking.starts_at,
        ends_at=booking.ends_at,
        setup_minutes=booking.setup_minutes,
        cleanup_minutes=booking.cleanup_minutes,
        exclude=list(booking.occupancies.values_list("pk", flat=True)),
        limit=4,
    )
    if avoid:
        found = [
            a for a in found if not (a.venue.pk == booking.venue_id and a.starts_at < avoid[1] and a.ends_at > avoid[0])
        ]
    return found


@transaction.atomic
def booking_create_with_priority(*, moves: dict, reason: str, by, **fields) -> Booking:
    """A government meeting takes a slot held by practices: each practice in `moves`
    ({booking: Alternative}) is moved first (its booker told, with the other choices), then the
    meeting is booked. Never silent: only the bookings staff chose are moved."""
    if fields.get("purpose") != Booking.Purpose.HOSTED_MEETING:
        raise ActivityError(_("Only a government meeting may move a practice."))
    for booking, choice in moves.items():
        if booking.purpose not in Booking.MOVABLE:
            raise ActivityError(_("Only team practices and rehearsals can be moved for a meeting."))
        others = move_choices(booking, avoid=(fields["starts_at"], fields["ends_at"]))
        booking_move(
            booking=booking,
            starts_at=choice.starts_at,
            ends_at=choice.ends_at,
            venue=choice.venue,
            by=by,
            reason=reason or _("the room is needed for a government meeting"),
            alternatives=others,
        )
    return booking_create(by=by, **fields)


# ---------------------------------------------------------------- repeating bookings


@dataclass
class SeriesPlan:
    venue: Venue
    weekday: int
    starts_time: time
    ends_time: time
    first_date: date
    last_date: date
    setup_minutes: int = 0
    cleanup_minutes: int = 0
    attendance: int = 1
    hours_override_reason: str = ""
    checks: list[SlotCheck] = field(default_factory=list)

    @property
    def free(self) -> list[SlotCheck]:
        return [c for c in self.checks if c.ok]

    @property
    def blocked(self) -> list[SlotCheck]:
        return [c for c in self.checks if not c.ok]


def _aware(day: date, at: time):
    return timezone.make_aware(datetime.combine(day, at))


def series_dates(weekday: int, first_date: date, last_date: date) -> list[date]:
    """Every `weekday` from the first to the last date."""
    day = first_date + timedelta(days=(weekday - first_date.weekday()) % 7)
    days = []
    while day <= last_date:
        days.append(day)
        day += timedelta(days=7)
    return days


def series_preview(
    *,
    venue: Venue,
    weekday: int,
    starts_time: time,
    ends_time: time,
    first_date: date,
    last_date: date,
    setup_minutes: int = 0,
    cleanup_minutes: int = 0,
    attendance: int = 1,
    hours_override_reason: str = "",
    skip_dates=(),
) -> SeriesPlan:
    """Every date of a repeating booking with ✓ or ✗ and why (a clash naming it, closed that
    day, outside opening hours, a room rule). A fixed number of queries, whatever the length."""
    plan = SeriesPlan(
        venue, weekday, starts_time, ends_time, first_date, last_date, setup_minutes, cleanup_minutes, attendance,
        hours_override_reason,
    )  # fmt: skip
    days = [d for d in series_dates(weekday, first_date, last_date) if d not in set(skip_dates)]
    if len(days) > 60:
        raise ActivityError(_("A repeating booking can have at most 60 dates; make two."))
    slots = [(_aware(d, starts_time), _aware(d, ends_time)) for d in days]
    if ends_time <= starts_time:
        raise ActivityError(_("The end must be after the start; a booking cannot run past midnight."))
    plan.checks = occupancy.slots_check(
        venue=venue,
        slots=slots,
        setup_minutes=setup_minutes,
        cleanup_minutes=cleanup_minutes,
        check_hours=not hours_override_reason.strip(),
    )
    for check in plan.checks:
        rules = booking_problems(venue=venue, starts_at=check.starts_at, ends_at=check.ends_at, attendance=attendance)
        if rules:
            check.reasons += rules
            check.ok = False
    return plan


@transaction.atomic
def series_create(*, plan: SeriesPlan, only_free: bool, title: str, organiser: str, by, **fields) -> BookingSeries:
    """Book a previewed series: `only_free` books the ✓ dates and skips the ✗ ones (they can be
    added back later); otherwise any ✗ refuses the whole series and nothing is booked.
    The dates are checked again here: a date taken since the preview is skipped (or refuses)."""
    plan = series_preview(
        venue=plan.venue, weekday=plan.weekday, starts_time=plan.starts_time, ends_time=plan.ends_time,
        first_date=plan.first_date, last_date=plan.last_date, setup_minutes=plan.setup_minutes,
        cleanup_minutes=plan.cleanup_minutes, attendance=plan.attendance,
        hours_override_reason=plan.hours_override_reason,
    )  # fmt: skip
    if not plan.free:
        raise ActivityError(_("None of the dates is free; nothing was booked."))
    if plan.blocked and not only_free:
        raise ActivityError(
            _("%(count)s dates are not free, so nothing was booked: %(dates)s.")
            % {"count": len(plan.blocked), "dates": "、".join(f"{c.day:%m-%d}" for c in plan.blocked)}
        )
    series = BookingSeries.objects.create(
        venue=plan.venue, title=title, weekday=plan.weekday, starts_time=plan.starts_time, ends_time=plan.ends_time,
        first_date=plan.first_date, last_date=plan.last_date, created_by=by,
    )  # fmt: skip
    for check in plan.free:
        booking_create(
            venue=plan.venue, starts_at=check.starts_at, ends_at=check.ends_at, by=by, title=title,
            organiser=organiser, attendance=plan.attendance, setup_minutes=plan.setup_minutes,
            cleanup_minutes=plan.cleanup_minutes, hours_override_reason=plan.hours_override_reason, series=series,
            **fields,
        )  # fmt: skip
    return series


def series_skipped_dates(series: BookingSeries) -> list[date]:
    """The dates of a series with no booking (skipped when it was made, or cancelled since)."""
    booked = {
        timezone.localdate(start)
        for start in series.bookings.filter(status=Booking.Status.CONFIRMED).values_list("starts_at", flat=True)
    }
    return [day for day in series.dates() if day not in booked]


@transaction.atomic
def series_add_date(*, series: BookingSeries, day: date, by) -> Booking:
    """Add a skipped date back to its series, once it is free (the same rules as a new booking)."""
    if day not in set(series.dates()):
        raise ActivityError(_("%(date)s is not a date of this series.") % {"date": f"{day:%Y-%m-%d}"})
    if day not in series_skipped_dates(series):
        raise ActivityError(_("%(date)s is already booked.") % {"date": f"{day:%Y-%m-%d}"})
    model = series.bookings.order_by("starts_at").first()
    fields = {name: getattr(model, name) for name in BOOKING_FIELDS} if model else {"organiser": series.title}
    fields["title"] = series.title
    return booking_create(
        venue=series.venue,
        starts_at=_aware(day, series.starts_time),
        ends_at=_aware(day, series.ends_time),
        by=by,
        series=series,
        contact=model.contact if model else None,
        hours_override_reason=model.hours_override_reason if model else "",
        resources=list(model.resources.all()) if model else (),
        **fields,
    )


@transaction.atomic
def series_cancel(*, series: BookingSeries, by, reason: str, from_date: date | None = None) -> int:
    """Cancel the series' bookings from a date on (today by default); returns how many."""
    first = _aware(from_date or timezone.localdate(), time(0))
    cancelled = 0
    for booking in series.bookings.filter(status=Booking.Status.CONFIRMED, starts_at__gte=first):
        booking_cancel(booking=booking, by=by, reason=reason)
        cancelled += 1
    return cancelled


# ---------------------------------------------------------------- requests from members


def requests_paused_until(user, now=None):
    """The end of the pause on room requests after repeated no-shows, or None."""
    now = now or timezone.now()
    since = now - timedelta(days=settings.ROOM_NO_SHOW_WINDOW_DAYS)
    released = list(
        Booking.objects.filter(contact=user, status=Booking.Status.RELEASED, starts_at__gte=since)
        .order_by("-starts_at")
        .values_list("starts_at", flat=True)[: settings.ROOM_NO_SHOW_LIMIT]
    )
    if len(released) < settings.ROOM_NO_SHOW_LIMIT:
        return None
    until = released[0] + timedelta(days=settings.ROOM_NO_SHOW_PAUSE_DAYS)
    return until if until > now else None


@transaction.atomic
def request_create(
    *,
    venue: Venue,
    starts_at,
    ends_at,
    title: str,
    organiser: str,
    organiser_kind: str,
    purpose: str,
    attendance: int,
    equipment: str = "",
    note: str = "",
    by,
) -> Booking:
    """A member (a team leader, a village committee) asks for a room; staff decide.
    The room's rules and opening hours apply, and a time already taken is refused at once."""
    paused = requests_paused_until(by)
    if paused:
        raise ActivityError(
            _("Two bookings were not used in the last %(days)s days, so room requests are paused until %(date)s.")
            % {"days": settings.ROOM_NO_SHOW_WINDOW_DAYS, "date": f"{timezone.localtime(paused):%Y-%m-%d}"}
        )
    if purpose in Booking.HOSTED or purpose == Booking.Purpose.CLOSURE:
        raise ActivityError(_("This kind of booking is made by the center's staff."))
    problems = booking_problems(venue=venue, starts_at=starts_at, ends_at=ends_at, attendance=attendance)
    if starts_at and starts_at <= timezone.now():
        problems.append(_("Ask for a time in the future."))
    if problems:
        raise ActivityError(problems)
    _check_hours(venue, starts_at, ends_at, "")
    clashes = occupancy.occupancy_clashes(venue=venue, starts_at=starts_at, ends_at=ends_at)
    if clashes:
        raise _with_alternatives(RoomClash(clashes, venue), venue, starts_at, ends_at, 0, 0)
    booking = Booking.objects.create(
        venue=venue, starts_at=starts_at, ends_at=ends_at, title=title, organiser=organiser,
        organiser_kind=organiser_kind, purpose=purpose, attendance=attendance, equipment=equipment, note=note,
        is_public=True, status=Booking.Status.REQUESTED, contact=by, created_by=by,
    )  # fmt: skip
    _step(booking, BookingStep.Action.REQUESTED, by)
    return booking


def request_conflicts(booking: Booking) -> list[Booking]:
    """The other pending requests for the same room at an overlapping time (declined if this one is approved)."""
    return _overlapping_pending(booking)


def _overlapping_pending(booking: Booking) -> list[Booking]:
    start = booking.starts_at - timedelta(minutes=booking.setup_minutes)
    end = booking.ends_at + timedelta(minutes=booking.cleanup_minutes)
    candidates = Booking.objects.pending().filter(venue_id=booking.venue_id).exclude(pk=booking.pk)
    candidates = candidates.filter(starts_at__lt=end + timedelta(days=1), ends_at__gt=start - timedelta(days=1))
    return [
        other
        for other in candidates.select_related("venue", "contact").order_by("starts_at", "pk")
        if other.starts_at - timedelta(minutes=other.setup_minutes) < end
        and other.ends_at + timedelta(minutes=other.cleanup_minutes) > start
    ]


@locking
def request_approve(*, booking: Booking, by, reason: str = "") -> list[Booking]:
    """Approve a request: the room is claimed (RoomClash if taken meanwhile), the requester told,
    and the other pending requests for the same time declined with the reason, in the same step.
    Returns the declined requests."""
    booking = Booking.objects.select_for_update().select_related("venue").get(pk=booking.pk)
    if booking.status != Booking.Status.REQUESTED:
        raise ActivityError(_("Only a pending request can be approved."))
    booking.status = Booking.Status.CONFIRMED
    booking.decision_reason = reason[:300]
    booking.save(update_fields=["status", "decision_reason"])
    _claim(booking, by)
    _step(booking, BookingStep.Action.APPROVED, by, reason)
    _tell(
        booking.contact,
        _("Your request for %(room)s, “%(title)s” (%(when)s), is approved.")
        % {"room": booking.venue.name, "title": booking.title, "when": when_text(booking.starts_at, booking.ends_at)},
        "/activities/rooms/mine/",
    )
    declined = []
    why = _("the room was given to “%(title)s” (%(organiser)s) for that time") % {
        "title": booking.title,
        "organiser": booking.organiser,
    }
    for other in _overlapping_pending(booking):
        _decline(other, by, why)
        declined.append(other)
    return declined


def _decline(booking: Booking, by, reason: str) -> None:
    booking.status = Booking.Status.DECLINED
    booking.decision_reason = reason[:300]
    booking.save(update_fields=["status", "decision_reason"])
    _step(booking, BookingStep.Action.DECLINED, by, reason)
    _tell(
        booking.contact,
        _("Your request for %(room)s, “%(title)s” (%(when)s), is declined: %(reason)s")
        % {
            "room": booking.venue.name,
            "title": booking.title,
            "when": when_text(booking.starts_at, booking.ends_at),
            "reason": reason,
        },  # fmt: skip
        "/activities/rooms/mine/",
    )


@locking
def request_decline(*, booking: Booking, by, reason: str) -> Booking:
    """Decline a request with the reason; the requester is told."""
    booking = Booking.objects.select_for_update().select_related("venue").get(pk=booking.pk)
    if booking.status != Booking.Status.REQUESTED:
        raise ActivityError(_("Only a pending request can be declined."))
    if not reason.strip():
        raise ActivityError(_("Say why, so the requester knows."))
    _decline(booking, by, reason)
    return booking


# ---------------------------------------------------------------- on the day


@locking
def booking_check_in(*, booking: Booking, by) -> Booking:
    """Staff tap 已到: the booker came, so the room is not released."""
    booking = Booking.objects.select_for_update().get(pk=booking.pk)
    if booking.status != Booking.Status.CONFIRMED:
        raise ActivityError(_("This booking is no longer active."))
    if booking.checked_in_at:
        return booking
    if timezone.localdate(booking.starts_at) != timezone.localdate():
        raise ActivityError(_("Arrival is noted on the day of the booking."))
    booking.checked_in_at, booking.checked_in_by = timezone.now(), by
    booking.save(update_fields=["checked_in_at", "checked_in_by"])
    _step(booking, BookingStep.Action.CHECKED_IN, by)
    return booking


def needs_check_in(booking: Booking) -> bool:
    """Closures and the center's own hosted meetings are never released as no-shows."""
    return booking.purpose not in (*Booking.HOSTED, Booking.Purpose.CLOSURE)


def no_shows_release(*, now=None) -> int:
    """Release every booking of today not marked 已到 within the grace time of its start, and
    tell its booker (run every few minutes by `manage.py rooms_release_no_shows`). Idempotent."""
    now = now or timezone.now()
    grace = timedelta(minutes=settings.ROOM_NO_SHOW_GRACE_MINUTES)
    due = (
        Booking.objects.active()
        .filter(checked_in_at__isnull=True, starts_at__lte=now - grace, starts_at__gte=now - timedelta(hours=12))
        .exclude(purpose__in=[*Booking.HOSTED, Booking.Purpose.CLOSURE])
        .select_related("venue", "contact")
        .order_by("starts_at", "pk")
    )
    released = 0
    for booking in due:
        with transaction.atomic():
            locked = Booking.objects.select_for_update().get(pk=booking.pk)
            if locked.status != Booking.Status.CONFIRMED or locked.checked_in_at:
                continue
            occupancy.occupancy_release(occupancies=list(locked.occupancies.all()), by=None)
            locked.status = Booking.Status.RELEASED
            locked.save(update_fields=["status"])
            _step(locked, BookingStep.Action.RELEASED, None)
            _tell(
                booking.contact,
                _("Nobody came for “%(title)s” at %(room)s (%(when)s) within %(minutes)s minutes, so the room "
                  "was released. Two such bookings in %(days)s days pause room requests for a month.")
                % {"title": booking.title, "room": booking.venue.name,
                   "when": when_text(booking.starts_at, booking.ends_at),
                   "minutes": settings.ROOM_NO_SHOW_GRACE_MINUTES, "days": settings.ROOM_NO_SHOW_WINDOW_DAYS},
                "/activities/rooms/mine/",
            )  # fmt: skip
            released += 1
    return released


# ---------------------------------------------------------------- hosted meetings and big events


@transaction.atomic
def hosted_record_save(
    *, booking: Booking, attendance: int, organisations: str, summary: str, services: list[str], by
) -> HostedRecord:
    """配合政府工作: write (or correct) the record of a hosted meeting or big event after it started."""
    if not booking.is_hosted:
        raise ActivityError(_("Only a hosted meeting or big event has a record."))
    if booking.status != Booking.Status.CONFIRMED:
        raise ActivityError(_("This booking is no longer active."))
    if booking.starts_at > timezone.now():
        raise ActivityError(_("The record is written after the meeting has started."))
    record, _created = HostedRecord.objects.update_or_create(
        booking=booking,
        defaults={
            "attendance": attendance,
            "organisations": organisations,
            "summary": summary,
            "services": list(services),
            "written_by": by,
        },
    )
    _step(booking, BookingStep.Action.RECORDED, by)
    return record


@transaction.atomic
def hosted_file_add(*, record: HostedRecord, kind: str, file, title: str = "", by) -> HostedFile:
    """Attach minutes, papers or a photo (already checked by HostedFileForm) to a record."""
    return HostedFile.objects.create(record=record, kind=kind, file=file, title=title, uploaded_by=by)


# ---------------------------------------------------------------- edits made in the admin


def booking_clash_problems(*, booking: Booking, venue, starts_at, ends_at, setup_minutes, cleanup_minutes, resources):
    """What an edit of `booking` (e.g. in the admin) would clash with; its own claims don't count."""
    own = list(booking.occupancies.values_list("pk", flat=True)) if booking.pk else []
    problems = []
    for place in [venue, *[r for r in resources if r.pk != venue.pk]]:
        clashes = occupancy.occupancy_clashes(
            venue=place,
            starts_at=starts_at,
            ends_at=ends_at,
            setup_minutes=setup_minutes or 0,
            cleanup_minutes=cleanup_minutes or 0,
            exclude=own,
        )
        if clashes:
            found = occupancy.free_alternatives(
                venue=place, starts_at=starts_at, ends_at=ends_at, setup_minutes=setup_minutes or 0,
                cleanup_minutes=cleanup_minutes or 0, exclude=own,
            )  # fmt: skip
            problems.append(RoomClash(clashes, place, alternatives=found).messages[0])
    return problems


@transaction.atomic
def booking_occupancy_sync(*, booking: Booking, by, created: bool = False) -> list[Occupancy]:
    """After an edit: a confirmed booking holds its room and equipment for its time, any other holds
    nothing. The step (booked, moved, cancelled) is logged. RoomClash if taken meanwhile."""
    claims = {o.venue_id: o for o in booking.occupancies.all()}
    if booking.status != Booking.Status.CONFIRMED:
        if claims:
            occupancy.occupancy_release(occupancies=list(claims.values()), by=by)
            _step(booking, BookingStep.Action.CANCELLED, by, booking.decision_reason)
        return []
    kept, moved = [], False
    for place in [booking.venue, *booking.resources.exclude(pk=booking.venue_id)]:
        claim = claims.pop(place.pk, None)
        if claim is None:
            kept += [
                occupancy.occupancy_claim(
                    venue=place, kind=booking.occupancy_kind, title=booking.title, starts_at=booking.starts_at,
                    ends_at=booking.ends_at, setup_minutes=booking.setup_minutes,
                    cleanup_minutes=booking.cleanup_minutes, is_public=booking.is_public, contact=booking.contact,
                    by=by, booking=booking,
                )
            ]  # fmt: skip
            moved = moved or not created
            continue
        times = (booking.starts_at, booking.ends_at, booking.setup_minutes, booking.cleanup_minutes)
        if (claim.starts_at, claim.ends_at, claim.setup_minutes, claim.cleanup_minutes) != times:
            claim = occupancy.occupancy_move(
                occupancy=claim, starts_at=booking.starts_at, ends_at=booking.ends_at,
                setup_minutes=booking.setup_minutes, cleanup_minutes=booking.cleanup_minutes, by=by,
            )  # fmt: skip
            moved = True
        if (claim.title, claim.is_public, claim.contact_id) != (booking.title, booking.is_public, booking.contact_id):
            claim.title, claim.is_public, claim.contact = booking.title, booking.is_public, booking.contact
            claim.save(update_fields=["title", "is_public", "contact"])
        kept.append(claim)
    if claims:
        occupancy.occupancy_release(occupancies=list(claims.values()), by=by)
        moved = True
    if created:
        _step(booking, BookingStep.Action.BOOKED, by, _("in the admin"))
    elif moved:
        _step(
            booking,
            BookingStep.Action.MOVED,
            by,
            f"{booking.venue.name} {when_text(booking.starts_at, booking.ends_at)}",
        )
    return kept
