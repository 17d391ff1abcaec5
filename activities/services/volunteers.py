"""Volunteer workflows: applications and guardian consent, shift sign-up with waiting lists,
confirmation, check-in and check-out, hours and their approval, certificates.

Lock order: the volunteer row, then the shift role, then sign-ups. The volunteer lock makes a
person's sign-ups one at a time (so two overlapping shifts can never both be taken from two
browsers); the role lock makes its last place go to one person only. Locking services run
under `locking`, so a wait is bounded and ends in "try again"."""

import logging
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from activities.models import (
    Certificate,
    CoordinatorAlert,
    HoursEntry,
    Shift,
    ShiftRole,
    ShiftSignup,
    Volunteer,
)
from activities.models.volunteers import ADULT_AGE, member_age
from activities.services.errors import ActivityError
from culturecenter import roles
from culturecenter.lib.locks import locking
from culturecenter.models import Member
from culturecenter.services import notify

logger = logging.getLogger(__name__)

LATE_CANCEL_HOURS = 24
CONFIRM_HOURS_BEFORE = 48
EXTRA_GRACE_MINUTES = 30
ORGANISATION = "北京市门头沟区清水镇文化中心"

S = ShiftSignup.Status


def _when(moment) -> str:
    return date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")


def _span(shift: Shift) -> str:
    return f"{timezone.localtime(shift.starts_at):%m-%d %H:%M}–{timezone.localtime(shift.ends_at):%H:%M}"


def _tell_coordinator(shift: Shift | None, text: str) -> CoordinatorAlert:
    """The coordinator's alert on the staff volunteer page, and a notice if they are also a member."""
    coordinator = shift.coordinator if shift else None
    alert = CoordinatorAlert.objects.create(shift=shift, coordinator=coordinator, text=text[:300])
    member = getattr(coordinator, "member", None) if coordinator else None
    if member is not None:
        notify(member=member, text=text[:300], url=reverse("activities:volunteer_staff"))
    return alert


# ---------------------------------------------------------------- applications


def is_guardian_of(user, member: Member) -> bool:
    """An adult with a login in the same household, other than the person themself."""
    guardian = getattr(user, "member", None)
    return (
        guardian is not None
        and guardian.pk != member.pk
        and member.household_id is not None
        and guardian.household_id == member.household_id
        and member_age(guardian) >= ADULT_AGE
    )


@transaction.atomic
def volunteer_apply(
    *, member: Member, skills: list[str], availability: list[str], village: str, note: str = "", by
) -> Volunteer:
    """A member applies to volunteer (or applies again after a decline). A guardian applying
    for a minor of their household gives consent by doing so."""
    volunteer = Volunteer.objects.select_for_update(of=("self",)).filter(member=member).first()
    if volunteer and volunteer.status != Volunteer.Status.DECLINED:
        raise ActivityError(_("%(name)s has already applied to volunteer.") % {"name": member.name})
    volunteer = volunteer or Volunteer(member=member)
    volunteer.skills, volunteer.availability = list(skills), list(availability)
    volunteer.village, volunteer.note = village, note
    volunteer.status = Volunteer.Status.PENDING
    volunteer.applied_at, volunteer.applied_by = timezone.now(), by
    volunteer.decided_at = volunteer.decided_by = None
    volunteer.decision_note = ""
    if member_age(member) < ADULT_AGE and by is not None and is_guardian_of(by, member):
        _record_consent(volunteer, by=by, way=Volunteer.ConsentWay.ONLINE, guardian_name=by.member.name)
    volunteer.save()
    return volunteer


def _record_consent(volunteer, *, by, way, guardian_name):
    volunteer.guardian_consent_at = timezone.now()
    volunteer.guardian_consent_by = by
    volunteer.guardian_consent_way = way
    volunteer.guardian_name = guardian_name
    volunteer.consent_withdrawn_at = volunteer.consent_withdrawn_by = None


@transaction.atomic
def volunteer_guardian_consent(*, volunteer: Volunteer, by, guardian_name: str = "") -> Volunteer:
    """The guardian consents with their own login, or staff record it at the desk (naming the guardian)."""
    volunteer = Volunteer.objects.select_for_update(of=("self",)).select_related("member").get(pk=volunteer.pk)
    if is_guardian_of(by, volunteer.member):
        _record_consent(volunteer, by=by, way=Volunteer.ConsentWay.ONLINE, guardian_name=by.member.name)
    elif by.has_perm("activities.coordinate_volunteers"):
        if not guardian_name.strip():
            raise ActivityError(_("Write the name of the guardian who gave consent at the desk."))
        _record_consent(volunteer, by=by, way=Volunteer.ConsentWay.DESK, guardian_name=guardian_name.strip())
    else:
        raise ActivityError(_("Only the guardian (with their own login) or staff at the desk can give consent."))
    volunteer.save()
    return volunteer


@locking
def volunteer_consent_withdraw(*, volunteer: Volunteer, by) -> int:
    """The guardian takes consent back: every future shift of the minor is cancelled and each
    coordinator told. Returns how many sign-ups were cancelled."""
    volunteer = Volunteer.objects.select_for_update(of=("self",)).select_related("member").get(pk=volunteer.pk)
    if not (is_guardian_of(by, volunteer.member) or by.has_perm("activities.coordinate_volunteers")):
        raise ActivityError(_("Only the guardian or staff can withdraw consent."))
    if not volunteer.has_guardian_consent:
        raise ActivityError(_("There is no consent to withdraw."))
    now = timezone.now()
    volunteer.consent_withdrawn_at, volunteer.consent_withdrawn_by = now, by
    volunteer.save(update_fields=["consent_withdrawn_at", "consent_withdrawn_by"])
    future = list(
        volunteer.signups.holding()
        .filter(shift__starts_at__gt=now)
        .select_related("shift", "shift__coordinator", "role")
        .order_by("shift__starts_at", "pk")
    )
    for signup in future:
        was_confirmed = signup.status == S.CONFIRMED
        _cancel(signup, by=by, now=now)
        _tell_coordinator(
            signup.shift,
            _(
                "Guardian consent for %(name)s was withdrawn: their place as %(role)s at “%(shift)s” "
                "(%(span)s) is cancelled."
            )
            % {
                "name": volunteer.member.name,
                "role": signup.role.name,
                "shift": signup.shift.title,
                "span": _span(signup.shift),
            },
        )
        if was_confirmed:
            _promote(ShiftRole.objects.select_for_update(of=("self",)).get(pk=signup.role_id), 1)
    return len(future)


@transaction.atomic
def volunteer_decide(*, volunteer: Volunteer, accept: bool, by, note: str = "") -> Volunteer:
    """Staff accept (the person gets the 志愿者 role) or decline (with a reason) an application."""
    volunteer = (
        Volunteer.objects.select_for_update(of=("self",)).select_related("member", "member__user").get(pk=volunteer.pk)
    )
    if volunteer.status != Volunteer.Status.PENDING:
        raise ActivityError(_("This application was already decided."))
    if accept and volunteer.is_minor and not volunteer.has_guardian_consent:
        raise ActivityError(
            _("%(name)s is under 18: the guardian's consent is needed first.") % {"name": volunteer.member.name}
        )
    if not accept and not note.strip():
        raise ActivityError(_("Say why, so the applicant knows."))
    volunteer.status = Volunteer.Status.ACCEPTED if accept else Volunteer.Status.DECLINED
    volunteer.decided_at, volunteer.decided_by, volunteer.decision_note = timezone.now(), by, note.strip()
    volunteer.save(update_fields=["status", "decided_at", "decided_by", "decision_note"])
    member = volunteer.member
    if accept and member.user_id:
        member.user.groups.add(Group.objects.get(name=roles.VOLUNTEER))
    text = (
        _("Welcome, %(name)s: you are now a volunteer of the cultural center. Open shifts are on the volunteer page.")
        if accept
        else _("Your application to volunteer was not accepted this time: %(reason)s")
    ) % {"name": member.name, "reason": note.strip()}
    notify(member=member, text=text, url=reverse("activities:volunteer"))
    return volunteer


# ---------------------------------------------------------------- sign-up


def overlapping_signup(volunteer: Volunteer, shift: Shift) -> ShiftSignup | None:
    """The volunteer's other place that overlaps `shift` (half-open: back to back is fine)."""
    return (
        volunteer.signups.holding()
        .exclude(shift=shift)
        .filter(
            shift__starts_at__lt=shift.ends_at, shift__ends_at__gt=shift.starts_at, shift__cancelled_at__isnull=True
        )
        .select_related("shift")
        .order_by("shift__starts_at")
        .first()
    )


def _check_may_sign_up(volunteer: Volunteer, shift: Shift, role: ShiftRole, *, now) -> None:
    name = volunteer.member.name
    if shift.cancelled_at:
        raise ActivityError(_("This shift is cancelled."))
    if shift.starts_at <= now:
        raise ActivityError(_("This shift has already started."))
    if volunteer.status != Volunteer.Status.ACCEPTED:
        raise ActivityError(_("%(name)s is not an accepted volunteer.") % {"name": name})
    if volunteer.is_minor:
        if not volunteer.has_guardian_consent:
            raise ActivityError(_("%(name)s is under 18 and needs the guardian's consent.") % {"name": name})
        if role.adults_only:
            raise ActivityError(_("The role %(role)s is for adults only.") % {"role": role.name})
        if shift.ends_late_for_minors:
            raise ActivityError(_("Volunteers under 18 cannot take a shift that ends after 21:00."))


@locking
def shift_signup(
    *, shift: Shift, role: ShiftRole, volunteer: Volunteer, by, assign: bool = False, override_reason: str = ""
) -> ShiftSignup:
    """Take a place in a role: confirmed while the role has room, else the end of its waiting
    list; a shift by approval waits for the coordinator. `assign` is staff placing someone (the
    only way into an assigned shift); a coordinator may allow an overlap with a reason."""
    try:
        with transaction.atomic():
            now = timezone.now()
            volunteer = Volunteer.objects.select_for_update(of=("self",)).select_related("member").get(pk=volunteer.pk)
            role = (
                ShiftRole.objects.select_for_update(of=("self",)).select_related("shift").get(pk=role.pk, shift=shift)
            )
            shift = role.shift
            coordinating = by is not None and by.has_perm("activities.coordinate_volunteers")
            if assign and not coordinating:
                raise ActivityError(_("Only a coordinator can assign volunteers."))
            if shift.mode == Shift.Mode.ASSIGNED and not assign:
                raise ActivityError(_("Staff assign the volunteers of this shift."))
            _check_may_sign_up(volunteer, shift, role, now=now)
            existing = ShiftSignup.objects.filter(shift=shift, volunteer=volunteer).first()
            if existing and existing.status in ShiftSignup.HOLDING:
                raise ActivityError(
                    _("%(name)s is already signed up for this shift.") % {"name": volunteer.member.name}
                )
            other = overlapping_signup(volunteer, shift)
            override_reason = override_reason.strip()
            if other and not (coordinating and override_reason):
                raise ActivityError(
                    _("This overlaps “%(shift)s” (%(span)s), which %(name)s already has.")
                    % {"shift": other.shift.title, "span": _span(other.shift), "name": volunteer.member.name}
                )
            if other:
                logger.warning(
                    "Overlap allowed by %s for volunteer %s: shift %s over %s (%s)",
                    by.pk,
                    volunteer.pk,
                    shift.pk,
                    other.shift_id,
                    override_reason,
                )
            if shift.mode == Shift.Mode.APPROVAL and not assign:
                status = S.REQUESTED
            else:
                confirmed = role.signups.filter(status=S.CONFIRMED).count()
                status = S.CONFIRMED if confirmed < role.needed else S.WAITING
            signup = existing or ShiftSignup(shift=shift, volunteer=volunteer)
            signup.role = role
            signup.status = status
            signup.queued_at, signup.signed_up_by = now, by
            signup.override_reason = override_reason if other else ""
            signup.cancelled_at = signup.cancelled_by = signup.promoted_at = None
            signup.decided_at, signup.decided_by = (now, by) if assign else (None, None)
            signup.is_late_cancel = False
            signup.confirm_asked_at = signup.confirmed_at = None
            signup.save()
            return signup
    except IntegrityError:
        raise ActivityError(
            _("%(name)s is already signed up for this shift.") % {"name": volunteer.member.name}
        ) from None


@locking
def shift_signup_decide(*, signup: ShiftSignup, approve: bool, by) -> ShiftSignup:
    """The coordinator takes (a place, or the waiting list when the role is full) or turns down a request."""
    if not by.has_perm("activities.coordinate_volunteers"):
        raise ActivityError(_("Only a coordinator can decide sign-up requests."))
    Volunteer.objects.select_for_update(of=("self",)).get(pk=signup.volunteer_id)
    role = ShiftRole.objects.select_for_update(of=("self",)).get(pk=signup.role_id)
    signup = (
        ShiftSignup.objects.select_for_update(of=("self",))
        .select_related("shift", "volunteer__member")
        .get(pk=signup.pk)
    )
    if signup.status != S.REQUESTED:
        raise ActivityError(_("This request was already decided."))
    now = timezone.now()
    if approve:
        confirmed = role.signups.filter(status=S.CONFIRMED).count()
        signup.status = S.CONFIRMED if confirmed < role.needed else S.WAITING
    else:
        signup.status = S.DECLINED
    signup.decided_at, signup.decided_by = now, by
    signup.save(update_fields=["status", "decided_at", "decided_by"])
    texts = {
        S.CONFIRMED: _("You have a place as %(role)s at “%(shift)s” (%(span)s)."),
        S.WAITING: _("The role %(role)s at “%(shift)s” (%(span)s) is full: you are on its waiting list."),
        S.DECLINED: _("Your request for %(role)s at “%(shift)s” (%(span)s) was not taken this time."),
    }
    notify(
        member=signup.volunteer.member,
        text=texts[signup.status] % {"role": role.name, "shift": signup.shift.title, "span": _span(signup.shift)},
        url=reverse("activities:volunteer"),
    )
    return signup


def _cancel(signup: ShiftSignup, *, by, now) -> None:
    signup.status = S.CANCELLED
    signup.cancelled_at, signup.cancelled_by = now, by
    signup.is_late_cancel = signup.shift.starts_at - now < timedelta(hours=LATE_CANCEL_HOURS)
    signup.save(update_fields=["status", "cancelled_at", "cancelled_by", "is_late_cancel"])


def _promote(role: ShiftRole, places: int) -> list[ShiftSignup]:
    """Give freed places of `role` to the first waiting; the caller holds the role lock."""
    promoted = []
    now = timezone.now()
    waiting = role.signups.filter(status=S.WAITING).select_related("volunteer__member", "shift")
    for signup in waiting.order_by("queued_at", "pk")[:places]:
        signup.status, signup.promoted_at = S.CONFIRMED, now
        signup.save(update_fields=["status", "promoted_at"])
        notify(
            member=signup.volunteer.member,
            text=_("Good news: a place as %(role)s at “%(shift)s” (%(span)s) is yours.")
            % {"role": role.name, "shift": signup.shift.title, "span": _span(signup.shift)},
            url=reverse("activities:volunteer"),
        )
        promoted.append(signup)
    return promoted


@locking
def shift_signup_cancel(*, signup: ShiftSignup, by) -> ShiftSignup | None:
    """Give up a place (or leave the queue) before the shift starts; under 24 hours before, the
    coordinator is told. The first waiting in the role moves up. Returns who moved up, if anyone."""
    Volunteer.objects.select_for_update(of=("self",)).get(pk=signup.volunteer_id)
    role = ShiftRole.objects.select_for_update(of=("self",)).get(pk=signup.role_id)
    signup = (
        ShiftSignup.objects.select_for_update(of=("self",))
        .select_related("shift", "shift__coordinator", "volunteer__member")
        .get(pk=signup.pk)
    )
    now = timezone.now()
    if signup.status not in ShiftSignup.HOLDING:
        raise ActivityError(_("This sign-up was already cancelled."))
    if signup.shift.starts_at <= now:
        raise ActivityError(_("The shift has started; tell the coordinator instead."))
    was_confirmed = signup.status == S.CONFIRMED
    _cancel(signup, by=by, now=now)
    if signup.is_late_cancel and was_confirmed:
        _tell_coordinator(
            signup.shift,
            _("Late cancellation: %(name)s will not come as %(role)s to “%(shift)s” (%(span)s).")
            % {
                "name": signup.volunteer.member.name,
                "role": role.name,
                "shift": signup.shift.title,
                "span": _span(signup.shift),
            },
        )
    if was_confirmed:
        promoted = _promote(role, 1)
        return promoted[0] if promoted else None
    return None


@locking
def shift_cancel(*, shift: Shift, reason: str, by) -> int:
    """Call a whole shift off (the event was cancelled, the trip postponed): every place and
    waiting-list place is cancelled and each volunteer told why. Returns how many were told."""
    shift = Shift.objects.select_for_update(of=("self",)).get(pk=shift.pk)
    if shift.cancelled_at is not None:
        raise ActivityError(_("This shift was already cancelled."))
    if not reason.strip():
        raise ActivityError(_("Give the volunteers a reason for cancelling the shift."))
    now = timezone.now()
    shift.cancelled_at, shift.cancelled_by, shift.cancel_reason = now, by, reason.strip()
    shift.save(update_fields=["cancelled_at", "cancelled_by", "cancel_reason"])
    signups = list(shift.signups.holding().select_related("volunteer__member").order_by("pk"))
    for signup in signups:
        signup.status, signup.cancelled_at, signup.cancelled_by = S.CANCELLED, now, by
        signup.save(update_fields=["status", "cancelled_at", "cancelled_by"])
        notify(
            member=signup.volunteer.member,
            text=_("“%(shift)s” (%(span)s) is cancelled: %(reason)s. Thank you all the same.")
            % {"shift": shift.title, "span": _span(shift), "reason": shift.cancel_reason},
            url=reverse("activities:volunteer"),
        )
    return len(signups)


# ---------------------------------------------------------------- confirm and attend


def shift_confirmations_send(*, now=None) -> int:
    """Ask everyone with a place in a shift starting within 48 hours to confirm; once each."""
    now = now or timezone.now()
    due = (
        ShiftSignup.objects.filter(
            status=S.CONFIRMED,
            confirm_asked_at__isnull=True,
            shift__cancelled_at__isnull=True,
            shift__starts_at__gt=now,
            shift__starts_at__lte=now + timedelta(hours=CONFIRM_HOURS_BEFORE),
        )
        .select_related("shift", "role", "volunteer__member")
        .order_by("pk")
    )
    sent = 0
    for signup in due.iterator(chunk_size=500):
        with transaction.atomic():
            notify(
                member=signup.volunteer.member,
                text=_("Please confirm: %(role)s at “%(shift)s”, %(when)s, %(where)s.")
                % {
                    "role": signup.role.name,
                    "shift": signup.shift.title,
                    "when": _when(signup.shift.starts_at),
                    "where": signup.shift.where,
                },
                url=reverse("activities:volunteer_confirm", args=[signup.pk]),
            )
            ShiftSignup.objects.filter(pk=signup.pk).update(confirm_asked_at=now)
        sent += 1
    return sent


@transaction.atomic
def shift_signup_confirm(*, signup: ShiftSignup, by) -> ShiftSignup:
    """The volunteer says they will come."""
    signup = ShiftSignup.objects.select_for_update(of=("self",)).select_related("shift").get(pk=signup.pk)
    if signup.status != S.CONFIRMED:
        raise ActivityError(_("Only a confirmed place can be confirmed."))
    if signup.shift.ends_at <= timezone.now():
        raise ActivityError(_("This shift is over."))
    if signup.confirmed_at is None:
        signup.confirmed_at = timezone.now()
        signup.save(update_fields=["confirmed_at"])
    return signup


def _check_staff(by):
    if not by.has_perm("activities.coordinate_volunteers"):
        raise ActivityError(_("Only staff can check volunteers in and out."))


@locking
def shift_check_in(*, signup: ShiftSignup, by) -> ShiftSignup:
    """Staff check a volunteer in (from a little before the shift until its end)."""
    _check_staff(by)
    signup = (
        ShiftSignup.objects.select_for_update(of=("self",))
        .select_related("shift", "volunteer__member")
        .get(pk=signup.pk)
    )
    now = timezone.now()
    if signup.status != S.CONFIRMED:
        raise ActivityError(
            _("%(name)s has no confirmed place in this shift.") % {"name": signup.volunteer.member.name}
        )
    if signup.checked_in_at:
        raise ActivityError(
            _("%(name)s was already checked in at %(time)s.")
            % {"name": signup.volunteer.member.name, "time": timezone.localtime(signup.checked_in_at).strftime("%H:%M")}
        )
    opens = signup.shift.starts_at - timedelta(minutes=settings.CHECKIN_OPENS_MINUTES_BEFORE)
    if not (opens <= now < signup.shift.ends_at):
        raise ActivityError(_("Check-in for this shift is open from %(time)s until its end.") % {"time": _when(opens)})
    signup.checked_in_at, signup.checked_in_by, signup.no_show = now, by, False
    signup.save(update_fields=["checked_in_at", "checked_in_by", "no_show"])
    return signup


def overlap_minutes(starts_at, ends_at, checked_in_at, checked_out_at) -> int:
    """Whole minutes of the scheduled shift that the volunteer was there for."""
    start, end = max(starts_at, checked_in_at), min(ends_at, checked_out_at)
    return max(0, int((end - start).total_seconds() // 60))


def outside_minutes(starts_at, ends_at, checked_in_at, checked_out_at) -> int:
    """Whole minutes present before the shift's start or after its end."""
    early = max(0, (starts_at - checked_in_at).total_seconds())
    late = max(0, (checked_out_at - ends_at).total_seconds())
    return int((early + late) // 60)


@locking
def shift_check_out(*, signup: ShiftSignup, by) -> list[HoursEntry]:
    """Staff check a volunteer out: the minutes of the shift they were there for are recorded
    (approved: they are the schedule's own); time beyond the shift of more than 30 minutes is
    recorded too but waits for the coordinator."""
    _check_staff(by)
    signup = (
        ShiftSignup.objects.select_for_update(of=("self",))
        .select_related("shift", "volunteer__member")
        .get(pk=signup.pk)
    )
    if signup.checked_in_at is None:
        raise ActivityError(_("%(name)s is not checked in.") % {"name": signup.volunteer.member.name})
    if signup.checked_out_at:
        raise ActivityError(_("%(name)s is already checked out.") % {"name": signup.volunteer.member.name})
    now = timezone.now()
    signup.checked_out_at, signup.checked_out_by = now, by
    signup.save(update_fields=["checked_out_at", "checked_out_by"])
    return _record_attendance(signup, by=by, now=now)


def _record_attendance(signup: ShiftSignup, *, by, now) -> list[HoursEntry]:
    shift = signup.shift
    day = timezone.localdate(shift.starts_at)
    content = f"{shift.title} · {signup.role.name}"
    entries = [
        HoursEntry.objects.create(
            volunteer_id=signup.volunteer_id,
            signup=signup,
            kind=HoursEntry.Kind.ATTENDANCE,
            status=HoursEntry.Status.APPROVED,
            service_date=day,
            minutes=overlap_minutes(shift.starts_at, shift.ends_at, signup.checked_in_at, signup.checked_out_at),
            content=content,
            created_by=by,
            decided_at=now,
            decided_by=by,
        )
    ]
    extra = outside_minutes(shift.starts_at, shift.ends_at, signup.checked_in_at, signup.checked_out_at)
    if extra > EXTRA_GRACE_MINUTES:
        entries.append(
            HoursEntry.objects.create(
                volunteer_id=signup.volunteer_id,
                signup=signup,
                kind=HoursEntry.Kind.EXTRA,
                service_date=day,
                minutes=extra,
                content=content,
                reason=_("Checked in %(start)s, out %(end)s; the shift was %(span)s.")
                % {
                    "start": timezone.localtime(signup.checked_in_at).strftime("%H:%M"),
                    "end": timezone.localtime(signup.checked_out_at).strftime("%H:%M"),
                    "span": _span(shift),
                },
                created_by=by,
            )
        )
    return entries


def shift_no_shows_record_ended(*, now=None) -> int:
    """For the hourly job: record the no-shows of every shift that ended over an hour ago."""
    now = now or timezone.now()
    return ShiftSignup.objects.filter(
        status=S.CONFIRMED,
        checked_in_at__isnull=True,
        no_show=False,
        shift__cancelled_at__isnull=True,
        shift__ends_at__lte=now - timedelta(hours=1),
    ).update(no_show=True)


@transaction.atomic
def shift_no_shows_record(*, shift: Shift, by) -> int:
    """After the shift: everyone confirmed who never checked in is recorded as not having come."""
    shift = Shift.objects.select_for_update(of=("self",)).get(pk=shift.pk)
    if shift.ends_at > timezone.now():
        raise ActivityError(_("No-shows are recorded after the shift has ended."))
    return shift.signups.filter(status=S.CONFIRMED, checked_in_at__isnull=True, no_show=False).update(no_show=True)


# ---------------------------------------------------------------- hours


@transaction.atomic
def hours_report(*, volunteer: Volunteer, service_date, minutes: int, content: str, reason: str, by) -> HoursEntry:
    """Hours the volunteer served without check-in (e.g. out on a 文化下乡 trip); they wait for approval."""
    if minutes <= 0 or minutes > 12 * 60:
        raise ActivityError(_("Report between 1 minute and 12 hours for one day."))
    if service_date > timezone.localdate():
        raise ActivityError(_("Hours can be reported only for days that have passed."))
    if not reason.strip():
        raise ActivityError(_("Say where and for whom the work was done."))
    return HoursEntry.objects.create(
        volunteer=volunteer,
        kind=HoursEntry.Kind.SELF_REPORTED,
        service_date=service_date,
        minutes=minutes,
        content=content.strip(),
        reason=reason.strip(),
        created_by=by,
    )


@transaction.atomic
def hours_decide(*, entry: HoursEntry, approve: bool, by, note: str = "") -> HoursEntry:
    """A coordinator approves or turns down pending hours; time beyond a shift needs the reason written."""
    if not by.has_perm("activities.coordinate_volunteers"):
        raise ActivityError(_("Only a coordinator can approve hours."))
    entry = HoursEntry.objects.select_for_update(of=("self",)).get(pk=entry.pk)
    if entry.status != HoursEntry.Status.PENDING:
        raise ActivityError(_("These hours were already decided."))
    if entry.created_by_id == by.pk and entry.kind == HoursEntry.Kind.SELF_REPORTED:
        raise ActivityError(_("Hours you reported yourself are approved by another coordinator."))
    if not note.strip() and (entry.kind == HoursEntry.Kind.EXTRA or not approve):
        raise ActivityError(_("Write the reason for this decision."))
    entry.status = HoursEntry.Status.APPROVED if approve else HoursEntry.Status.REJECTED
    entry.decided_at, entry.decided_by, entry.decision_note = timezone.now(), by, note.strip()
    entry.save(update_fields=["status", "decided_at", "decided_by", "decision_note"])
    return entry


@transaction.atomic
def hours_correct(*, entry: HoursEntry, minutes: int, reason: str, by) -> HoursEntry:
    """Replace counted hours with a new entry (the old one stays as it was, no longer counted).
    A shift's hours can never be corrected above the shift's own length."""
    if not by.has_perm("activities.coordinate_volunteers"):
        raise ActivityError(_("Only a coordinator can correct hours."))
    entry = HoursEntry.objects.select_for_update(of=("self",)).select_related("signup__shift").get(pk=entry.pk)
    if entry.status != HoursEntry.Status.APPROVED:
        raise ActivityError(_("Only approved hours can be corrected."))
    if entry.corrected_by_entries.exists():
        raise ActivityError(_("These hours were already corrected; correct the latest entry."))
    if not reason.strip():
        raise ActivityError(_("Give the reason for the correction."))
    if minutes < 0:
        raise ActivityError(_("Hours cannot be negative."))
    root = entry
    while root.corrects_id:
        root = root.corrects
    if root.kind == HoursEntry.Kind.ATTENDANCE and minutes > root.signup.shift.minutes:
        raise ActivityError(
            _("A shift's hours cannot exceed the shift itself (%(minutes)s minutes); record extra time separately.")
            % {"minutes": root.signup.shift.minutes}
        )
    now = timezone.now()
    return HoursEntry.objects.create(
        volunteer_id=entry.volunteer_id,
        signup=entry.signup,
        kind=HoursEntry.Kind.CORRECTION,
        status=HoursEntry.Status.APPROVED,
        service_date=entry.service_date,
        minutes=minutes,
        content=entry.content,
        reason=reason.strip(),
        corrects=entry,
        created_at=now,
        created_by=by,
        decided_at=now,
        decided_by=by,
    )


# ---------------------------------------------------------------- the certificate


def masked_number(member: Member) -> str:
    """The member number with all but its last four characters hidden: R00000012 → *****0012."""
    number = member.reader_card or f"M{member.pk:08d}"
    return "*" * (len(number) - 4) + number[-4:]


def _new_serial(now) -> str:
    return f"QSWH-{timezone.localdate(now):%Y}-{secrets.token_hex(4).upper()}"


@transaction.atomic
def certificate_issue(*, volunteer: Volunteer, by, period_from=None, period_to=None) -> Certificate:
    """Print a 志愿服务记录证明 of the counted hours over the period (all of them by default),
    kept as printed under a serial that anyone can check."""
    entries = volunteer.hours.counted()
    if period_from:
        entries = entries.filter(service_date__gte=period_from)
    if period_to:
        entries = entries.filter(service_date__lte=period_to)
    entries = list(entries.order_by("service_date", "pk"))
    if not entries:
        raise ActivityError(_("There are no approved hours to certify yet."))
    now = timezone.now()
    contents = []
    for entry in entries:
        if entry.content not in contents:
            contents.append(entry.content)
    return Certificate.objects.create(
        serial=_new_serial(now),
        volunteer=volunteer,
        name=volunteer.member.name,
        masked_number=masked_number(volunteer.member),
        period_from=period_from or entries[0].service_date,
        period_to=period_to or entries[-1].service_date,
        minutes=sum(entry.minutes for entry in entries),
        content="；".join(contents)[:2000],
        organisation=ORGANISATION,
        issued_at=now,
        issued_by=by,
    )
