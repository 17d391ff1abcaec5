"""Workflows of an event's life: review, sign-up and waiting list, check-in, closing.

Anything that uses up or frees a place locks the event row first and re-checks
under the lock (the pretix discipline), so concurrent sign-ups and cancellations
can never overbook or promote twice.

Lock order: the event, then its registrations, then anything else. Locking services
run under `locking`, so a wait for another request is bounded and ends in "try again"."""

from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from activities import tickets
from activities.models import Event, Registration, ReviewStep, WorkLog
from activities.services import occupancy
from activities.services.errors import ActivityError
from culturecenter.lib.locks import locking
from culturecenter.models import Member
from culturecenter.services import member_create, notify


class AlreadyCheckedIn(ActivityError):
    """A repeat scan: nothing changes, and the door is told when the person came."""


# ---------------------------------------------------------------- review


def _step(event, action, by, opinion=""):
    ReviewStep.objects.create(event=event, action=action, actor=by, opinion=opinion)


@transaction.atomic
def event_submit(*, event: Event, by, opinion: str = "") -> None:
    """The author sends a draft (or a returned event) to the reviewers."""
    if event.status not in (Event.Status.DRAFT, Event.Status.RETURNED):
        raise ActivityError(_("Only a draft or a returned event can be submitted."))
    event.status = Event.Status.SUBMITTED
    event.save(update_fields=["status"])
    event_occupancy_sync(event=event, by=by)
    _step(event, ReviewStep.Action.SUBMITTED, by, opinion)


def readiness_problems(event: Event) -> list[str]:
    """What the event itself still lacks before any reviewer may approve it (审查把关 · 专人盯岗)."""
    problems = []
    unvetted = [p.name for p in event.presenters.all() if p.vetting != p.Vetting.VETTED]
    if unvetted:
        problems.append(_("These presenters are not vetted yet: %(names)s.") % {"names": "、".join(unvetted)})
    if not event.duty_staff.exists():
        problems.append(_("Assign at least one duty staff member (专人盯岗) first."))
    return problems


def approval_problems(event: Event, by) -> list[str]:
    """Why `by` may not approve `event` now; empty when they may."""
    problems = []
    if not by.has_perm("activities.approve_event"):
        problems.append(_("Only a reviewer (审核人) can approve events."))
    if event.created_by_id == by.pk:
        problems.append(_("The author of an event cannot approve it; another reviewer must."))
    if event.status != Event.Status.SUBMITTED:
        problems.append(_("Only an event awaiting review can be approved."))
    return problems + readiness_problems(event)


@transaction.atomic
def event_approve(*, event: Event, by, opinion: str = "") -> None:
    """A reviewer publishes a submitted event once every presenter is vetted and duty staff are set."""
    problems = approval_problems(event, by)
    if problems:
        raise ActivityError(problems)
    event.status = Event.Status.APPROVED
    event.save(update_fields=["status"])
    event_occupancy_sync(event=event, by=by)
    _step(event, ReviewStep.Action.APPROVED, by, opinion)


@transaction.atomic
def event_return(*, event: Event, by, opinion: str) -> None:
    """A reviewer sends a submitted event back to its author with the reason."""
    if not by.has_perm("activities.approve_event"):
        raise ActivityError(_("Only a reviewer (审核人) can return events."))
    if event.status != Event.Status.SUBMITTED:
        raise ActivityError(_("Only an event awaiting review can be returned."))
    if not opinion.strip():
        raise ActivityError(_("Say why the event is returned, so the author knows what to change."))
    event.status = Event.Status.RETURNED
    event.save(update_fields=["status"])
    event_occupancy_sync(event=event, by=by)
    _step(event, ReviewStep.Action.RETURNED, by, opinion)


@transaction.atomic
def event_reopen_after_change(*, event: Event, by, changed: list[str]) -> None:
    """Content of a published event changed: it leaves the public list until approved again."""
    event.status = Event.Status.SUBMITTED
    event.save(update_fields=["status"])
    event_occupancy_sync(event=event, by=by)
    labels = "、".join(str(Event._meta.get_field(name).verbose_name) for name in changed)
    _step(event, ReviewStep.Action.REOPENED, by, _("Changed: %(fields)s") % {"fields": labels})


@locking
def event_cancel(*, event: Event, by, reason: str) -> int:
    """Cancel the event and tell everyone signed up; returns how many were told."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    if event.status == Event.Status.CANCELLED:
        raise ActivityError(_("This event is already cancelled."))
    if not reason.strip():
        raise ActivityError(_("Give a reason; it is sent to everyone signed up."))
    event.status = Event.Status.CANCELLED
    event.cancel_reason = reason
    event.save(update_fields=["status", "cancel_reason"])
    event_occupancy_sync(event=event, by=by)
    _step(event, ReviewStep.Action.CANCELLED, by, reason)
    told = 0
    for registration in event.registrations.active().select_related("member"):
        notify(
            member=registration.member,
            text=_("“%(event)s” on %(date)s is cancelled: %(reason)s")
            % {"event": event.title, "date": _when(event), "reason": reason},
            url=event.get_absolute_url(),
        )
        told += 1
    return told


# Statuses in which an event holds its room: from submission for review until cancelled.
HOLDS_ROOM = (Event.Status.SUBMITTED, Event.Status.APPROVED)


def event_places(event: Event, venue=None, resources=None) -> list:
    """The venues an event claims: its room when it is the center's, and its borrowed equipment
    (booked even for a village site, whose own place never blocks)."""
    venue = venue or event.venue
    places = [venue] if venue.blocks else []
    resources = list(event.resources.all()) if resources is None else list(resources)
    return places + [r for r in resources if r.blocks and r.pk != venue.pk]


def event_room_clashes(
    *, event: Event, venue=None, starts_at=None, ends_at=None, setup_minutes=None, cleanup_minutes=None, resources=None
) -> list[str]:
    """What would be in the way if `event` were held at these (new) values; its own claims don't count.
    For forms (the admin), so a clash is a form error before anything is saved."""
    problems = []
    own = list(event.occupancies.values_list("pk", flat=True)) if event.pk else []
    for place in event_places(event, venue, resources):
        clashes = occupancy.occupancy_clashes(
            venue=place,
            starts_at=starts_at or event.starts_at,
            ends_at=ends_at or event.ends_at,
            setup_minutes=event.setup_minutes if setup_minutes is None else setup_minutes,
            cleanup_minutes=event.cleanup_minutes if cleanup_minutes is None else cleanup_minutes,
            exclude=own,
        )
        if clashes:
            problems.append(occupancy.RoomClash(clashes, place).messages[0])
    return problems


def event_occupancy_sync(*, event: Event, by) -> list:
    """Make the event's claims match it: its room and equipment for its time (with set-up and
    clean-up) while it is in review or published, none otherwise. A clash raises `RoomClash`
    and, inside the caller's transaction, undoes the whole change."""
    claims = {o.venue_id: o for o in event.occupancies.select_related("venue")}
    if event.status not in HOLDS_ROOM:
        occupancy.occupancy_release(occupancies=list(claims.values()), by=by)
        return []
    kept = []
    for place in event_places(event):
        claim = claims.pop(place.pk, None)
        if claim is None:
            claim = occupancy.occupancy_claim(
                venue=place,
                kind="event",
                title=event.title,
                starts_at=event.starts_at,
                ends_at=event.ends_at,
                setup_minutes=event.setup_minutes,
                cleanup_minutes=event.cleanup_minutes,
                is_public=event.status == Event.Status.APPROVED,
                contact=event.created_by,
                by=by,
                event=event,
            )
        else:
            times = (event.starts_at, event.ends_at, event.setup_minutes, event.cleanup_minutes)
            if (claim.starts_at, claim.ends_at, claim.setup_minutes, claim.cleanup_minutes) != times:
                claim = occupancy.occupancy_move(
                    occupancy=claim,
                    starts_at=event.starts_at,
                    ends_at=event.ends_at,
                    setup_minutes=event.setup_minutes,
                    cleanup_minutes=event.cleanup_minutes,
                    by=by,
                )
            public = event.status == Event.Status.APPROVED
            if (claim.title, claim.is_public) != (event.title, public):
                claim.title, claim.is_public = event.title, public
                claim.save(update_fields=["title", "is_public"])
        kept.append(claim)
    occupancy.occupancy_release(occupancies=list(claims.values()), by=by)
    return kept


def _when(event: Event) -> str:
    return date_format(timezone.localtime(event.starts_at), "SHORT_DATETIME_FORMAT")


# ---------------------------------------------------------------- sign-up


def signup_paused_until(member: Member, now=None):
    """The end of a no-show pause for this person, or None when they may sign up."""
    now = now or timezone.now()
    window_start = now - timedelta(days=settings.NO_SHOW_WINDOW_DAYS)
    recent = list(
        member.registrations.filter(no_show=True, event__starts_at__gte=window_start)
        .order_by("-event__starts_at")
        .values_list("event__starts_at", flat=True)[: settings.NO_SHOW_LIMIT]
    )
    if len(recent) < settings.NO_SHOW_LIMIT:
        return None
    until = recent[0] + timedelta(days=settings.NO_SHOW_PAUSE_DAYS)
    return until if until > now else None


def _check_can_sign_up(event: Event, member: Member, *, on_behalf: bool, now) -> None:
    window = event.signup_window(now)
    if not event.is_public or window == "cancelled":
        raise ActivityError(_("This event is not open for sign-up."))
    if window == "open_door":
        raise ActivityError(_("No sign-up is needed for this event: just come."))
    if window in ("ended", "closed"):
        raise ActivityError(_("Sign-up for this event has closed."))
    if window == "not_open":
        raise ActivityError(
            _("Sign-up opens on %(date)s.")
            % {"date": date_format(timezone.localtime(event.signup_opens_at), "SHORT_DATETIME_FORMAT")}
        )
    if not event.age_allows(member):
        raise ActivityError(_("%(name)s is outside the age range of this event.") % {"name": member.name})
    if member.anonymised_at:
        raise ActivityError(_("This person's record has been deleted."))
    if not on_behalf:
        paused = signup_paused_until(member, now)
        if paused:
            raise ActivityError(
                _(
                    "%(name)s missed %(count)s events without cancelling in the last %(days)s days, so online "
                    "sign-up is paused until %(date)s. Staff at the front desk can still sign them up."
                )
                % {
                    "name": member.name,
                    "count": settings.NO_SHOW_LIMIT,
                    "days": settings.NO_SHOW_WINDOW_DAYS,
                    "date": date_format(timezone.localtime(paused), "DATE_FORMAT"),
                }
            )


@locking
def registration_create(*, event: Event, member: Member, by, on_behalf: bool = False) -> Registration:
    """Sign a person up: a confirmed place while any is left, else the end of the waiting list."""
    try:
        with transaction.atomic():
            now = timezone.now()
            event = Event.objects.select_for_update().get(pk=event.pk)
            _check_can_sign_up(event, member, on_behalf=on_behalf, now=now)
            existing = Registration.objects.filter(event=event, member=member).first()
            if existing and existing.status != Registration.Status.CANCELLED:
                raise ActivityError(_("%(name)s is already signed up for this event.") % {"name": member.name})
            confirmed = event.registrations.filter(status=Registration.Status.CONFIRMED).count()
            status = Registration.Status.CONFIRMED if confirmed < event.capacity else Registration.Status.WAITING
            registration = existing or Registration(event=event, member=member, code=tickets.new_code())
            registration.status = status
            registration.queued_at = now
            registration.registered_by = by
            registration.cancelled_at = registration.promoted_at = registration.cancelled_by = None
            registration.save()
            return registration
    except IntegrityError:
        # Two requests for the same person at the same moment: the constraint kept one.
        raise ActivityError(_("%(name)s is already signed up for this event.") % {"name": member.name}) from None


def waiting_position(registration: Registration) -> int:
    """1 for the first in the queue."""
    ahead = Registration.objects.filter(
        Q(queued_at__lt=registration.queued_at) | Q(queued_at=registration.queued_at, pk__lt=registration.pk),
        event_id=registration.event_id,
        status=Registration.Status.WAITING,
    ).count()
    return ahead + 1


def _promote_waiting(event: Event, places: int) -> list[Registration]:
    """Give up to `places` freed places to the first people waiting; the caller holds the event lock."""
    promoted = []
    now = timezone.now()
    waiting = event.registrations.filter(status=Registration.Status.WAITING).select_related("member")
    for registration in waiting.order_by("queued_at", "pk")[:places]:
        registration.status = Registration.Status.CONFIRMED
        registration.promoted_at = now
        registration.save(update_fields=["status", "promoted_at"])
        notify(
            member=registration.member,
            text=_("Good news: %(name)s has a place at “%(event)s” (%(date)s).")
            % {"name": registration.member.name, "event": event.title, "date": _when(event)},
            url=registration.get_absolute_url(),
        )
        promoted.append(registration)
    return promoted


@locking
def registration_cancel(*, registration: Registration, by, on_behalf: bool = False) -> Registration | None:
    """Give up a place or leave the waiting list; a freed place goes to the first waiting at once.
    Villagers cancel until the start; staff (`on_behalf`) until the end, e.g. for someone who rang.
    Returns the promoted registration, if any."""
    event = Event.objects.select_for_update().get(pk=registration.event_id)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    now = timezone.now()
    if registration.status == Registration.Status.CANCELLED:
        raise ActivityError(_("This sign-up was already cancelled."))
    if not on_behalf and event.starts_at <= now:
        raise ActivityError(_("The event has started; it can no longer be cancelled online."))
    if event.ends_at <= now:
        raise ActivityError(_("The event has ended; its sign-ups can no longer be cancelled."))
    if registration.checked_in_at:
        raise ActivityError(_("This person is checked in; undo the check-in first."))
    was_confirmed = registration.status == Registration.Status.CONFIRMED
    registration.status = Registration.Status.CANCELLED
    registration.cancelled_at = now
    registration.cancelled_by = by
    registration.save(update_fields=["status", "cancelled_at", "cancelled_by"])
    if was_confirmed and event.status == Event.Status.APPROVED:
        promoted = _promote_waiting(event, 1)
        return promoted[0] if promoted else None
    return None


@locking
def event_fill_from_waiting_list(*, event: Event) -> list[Registration]:
    """After places were added, move people up from the waiting list."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    confirmed = event.registrations.filter(status=Registration.Status.CONFIRMED).count()
    if event.status != Event.Status.APPROVED or confirmed >= event.capacity:
        return []
    return _promote_waiting(event, event.capacity - confirmed)


# ---------------------------------------------------------------- at the door


@locking
def registration_check_in(*, event: Event, code: str, by) -> Registration:
    """Check in by a typed or scanned ticket code."""
    normalised = tickets.normalise(code)
    if normalised is None:
        raise ActivityError(_("This is not a valid ticket code. Check it and try again."))
    registration = (
        Registration.objects.select_for_update().select_related("member", "event").filter(code=normalised).first()
    )
    if registration is None:
        raise ActivityError(_("No ticket has this code."))
    if registration.event_id != event.pk:
        raise ActivityError(_("This ticket is for another event: “%(event)s”.") % {"event": registration.event.title})
    return _check_in(registration, by)


@locking
def registration_check_in_by_id(*, event: Event, registration_id: int, by) -> Registration:
    """Check in the registration staff tapped on the door list (the event's, or nothing)."""
    registration = (
        Registration.objects.select_for_update().select_related("member", "event").get(pk=registration_id, event=event)
    )
    return _check_in(registration, by)


def _check_door_open(event: Event, now=None) -> None:
    """Refuse a check-in (walk-ins too) outside the event's check-in window."""
    now = now or timezone.now()
    if event.status == Event.Status.CANCELLED:
        raise ActivityError(_("This event is cancelled."))
    if now < event.checkin_opens_at:
        raise ActivityError(
            _("Check-in opens at %(time)s, %(minutes)s minutes before the start.")
            % {
                "time": date_format(timezone.localtime(event.checkin_opens_at), "SHORT_DATETIME_FORMAT"),
                "minutes": settings.CHECKIN_OPENS_MINUTES_BEFORE,
            }
        )
    if now >= event.ends_at:
        raise ActivityError(_("The event has ended; check-in is closed."))


def _check_in(registration: Registration, by) -> Registration:
    if registration.status == Registration.Status.WAITING:
        raise ActivityError(_("%(name)s is on the waiting list, not confirmed.") % {"name": registration.member.name})
    if registration.status == Registration.Status.CANCELLED:
        raise ActivityError(_("%(name)s cancelled this sign-up.") % {"name": registration.member.name})
    if registration.checked_in_at:
        raise AlreadyCheckedIn(
            _("%(name)s was already checked in at %(time)s.")
            % {
                "name": registration.member.name,
                "time": timezone.localtime(registration.checked_in_at).strftime("%H:%M"),
            }
        )
    _check_door_open(registration.event)
    registration.checked_in_at = timezone.now()
    registration.checked_in_by = by
    registration.no_show = False
    registration.save(update_fields=["checked_in_at", "checked_in_by", "no_show"])
    return registration


@locking
def registration_check_in_undo(*, registration: Registration, by) -> Registration:
    """Take back a check-in made by mistake; who undid it and when is kept on the registration."""
    registration = Registration.objects.select_for_update().select_related("member", "event").get(pk=registration.pk)
    if registration.checked_in_at is None:
        raise ActivityError(_("%(name)s is not checked in.") % {"name": registration.member.name})
    if registration.event.closed_at:
        raise ActivityError(_("Attendance was closed with the work log; a check-in can no longer be undone."))
    registration.checked_in_at = registration.checked_in_by = None
    registration.check_in_undone_at = timezone.now()
    registration.check_in_undone_by = by
    registration.save(update_fields=["checked_in_at", "checked_in_by", "check_in_undone_at", "check_in_undone_by"])
    return registration


@locking
def walk_in_add(
    *,
    event: Event,
    by,
    member: Member | None = None,
    name: str = "",
    village: str = "",
    birth_year: int | None = None,
    mobile: str | None = None,
) -> Registration:
    """Someone turns up without a sign-up: check them in while seats are free. `member` is
    the villager staff found at the door; otherwise a known mobile number finds them, and
    only then is a new member recorded from the details."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    _check_door_open(event)
    checked_in = event.registrations.filter(checked_in_at__isnull=False).count()
    if event.signup_required and checked_in >= event.capacity:
        raise ActivityError(_("All %(capacity)s seats are taken.") % {"capacity": event.capacity})
    if member is None and mobile:
        member = Member.objects.filter(mobile=mobile).first()
    if member is None:
        member = member_create(name=name, village=village, birth_year=birth_year, mobile=mobile, by=by)
    registration = Registration.objects.filter(event=event, member=member).first()
    if registration and registration.checked_in_at:
        raise AlreadyCheckedIn(
            _("%(name)s was already checked in at %(time)s.")
            % {"name": member.name, "time": timezone.localtime(registration.checked_in_at).strftime("%H:%M")}
        )
    registration = registration or Registration(event=event, member=member, code=tickets.new_code())
    registration.status = Registration.Status.CONFIRMED
    registration.is_walk_in = registration.pk is None or registration.is_walk_in
    registration.registered_by = registration.registered_by or by
    registration.checked_in_at = timezone.now()
    registration.checked_in_by = by
    registration.save()
    return registration


# ---------------------------------------------------------------- after the event


@locking
def work_log_save(*, event: Event, by, summary: str, incidents: str) -> WorkLog:
    """Write the work log and close attendance: everyone confirmed but not checked in is a no-show."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    if event.starts_at > timezone.now():
        raise ActivityError(_("The work log is written after the event has started."))
    event.registrations.filter(status=Registration.Status.CONFIRMED, checked_in_at__isnull=True).update(no_show=True)
    if event.closed_at is None:
        event.closed_at = timezone.now()
        event.save(update_fields=["closed_at"])
    attendance = event.registrations.filter(checked_in_at__isnull=False).count()
    log, _created = WorkLog.objects.update_or_create(
        event=event,
        defaults={"attendance": attendance, "summary": summary, "incidents": incidents, "written_by": by},
    )
    return log


def reminders_send(*, now=None) -> int:
    """Remind everyone with a place at an event that starts tomorrow (local date). Idempotent."""
    now = now or timezone.now()
    tomorrow = timezone.localdate(now) + timedelta(days=1)
    due = (
        Registration.objects.filter(
            status=Registration.Status.CONFIRMED,
            reminded_at__isnull=True,
            event__status=Event.Status.APPROVED,
            event__starts_at__date=tomorrow,
        )
        .select_related("event", "member", "event__venue")
        .order_by("pk")
    )
    sent = 0
    for registration in due.iterator(chunk_size=500):
        with transaction.atomic():
            event = registration.event
            notify(
                member=registration.member,
                text=_("Reminder: “%(event)s” is tomorrow at %(time)s, %(venue)s. Bring your ticket.")
                % {
                    "event": event.title,
                    "time": timezone.localtime(event.starts_at).strftime("%H:%M"),
                    "venue": event.venue,
                },
                url=registration.get_absolute_url(),
            )
            Registration.objects.filter(pk=registration.pk).update(reminded_at=now)
        sent += 1
    return sent
