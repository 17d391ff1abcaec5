"""Course series: sessions from a recurrence rule, enrolment (first come or lottery),
attendance per session, warnings and certificates.

Lock order: the course row, then its enrolments, then anything else (the room's
occupancy service locks the venue after). Everything that gives or frees a place
locks the course row first and re-checks under the lock."""

import secrets
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from dateutil.rrule import WEEKLY, rrule
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from activities import lottery, tickets
from activities.models import (
    AttendanceCorrection,
    Course,
    CourseEnrolment,
    CourseReviewStep,
    CourseSession,
    Mark,
    Occupancy,
    SessionAttendance,
    seed_digest,
)
from activities.services.events import ActivityError, AlreadyCheckedIn, signup_paused_until
from activities.services.occupancy import occupancy_claim, occupancy_move, occupancy_release, slots_check
from culturecenter.hours import HoursCalendar
from culturecenter.lib.locks import locking
from culturecenter.models import Member
from culturecenter.services import notify

CORRECTION_FREE_DAYS = 7


def _local(moment: datetime) -> str:
    return date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")


# ---------------------------------------------------------------- review


def _step(course, action, by, opinion=""):
    CourseReviewStep.objects.create(course=course, action=action, actor=by, opinion=opinion)


def course_readiness_problems(course: Course) -> list[str]:
    """What the course lacks before a reviewer may approve it."""
    problems = []
    if course.teacher.vetting != course.teacher.Vetting.VETTED:
        problems.append(_("The teacher %(name)s is not vetted yet.") % {"name": course.teacher.name})
    if not course.sessions.exists():
        problems.append(_("Plan the sessions first."))
    return problems


@transaction.atomic
def course_submit(*, course: Course, by, opinion: str = "") -> None:
    """The author sends a draft (or returned) course to the reviewers."""
    if course.status not in (Course.Status.DRAFT, Course.Status.RETURNED):
        raise ActivityError(_("Only a draft or a returned course can be submitted."))
    course.status = Course.Status.SUBMITTED
    course.save(update_fields=["status"])
    _step(course, CourseReviewStep.Action.SUBMITTED, by, opinion)


@transaction.atomic
def course_approve(*, course: Course, by, opinion: str = "") -> None:
    """A reviewer (never the author) publishes a submitted course whose teacher is vetted."""
    problems = []
    if not by.has_perm("activities.approve_course"):
        problems.append(_("Only a reviewer (审核人) can approve courses."))
    if course.created_by_id == by.pk:
        problems.append(_("The author of a course cannot approve it; another reviewer must."))
    if course.status != Course.Status.SUBMITTED:
        problems.append(_("Only a course awaiting review can be approved."))
    problems += course_readiness_problems(course)
    if problems:
        raise ActivityError(problems)
    course.status = Course.Status.APPROVED
    course.save(update_fields=["status"])
    _step(course, CourseReviewStep.Action.APPROVED, by, opinion)
    if course.is_lottery and not course.seed_hash and timezone.now() < course.enrol_closes_at:
        _commit_seed(course, by)  # the hash is public before anyone can apply


@transaction.atomic
def course_return(*, course: Course, by, opinion: str) -> None:
    """A reviewer sends a submitted course back with the reason."""
    if not by.has_perm("activities.approve_course"):
        raise ActivityError(_("Only a reviewer (审核人) can return courses."))
    if course.status != Course.Status.SUBMITTED:
        raise ActivityError(_("Only a course awaiting review can be returned."))
    if not opinion.strip():
        raise ActivityError(_("Say why the course is returned, so the author knows what to change."))
    course.status = Course.Status.RETURNED
    course.save(update_fields=["status"])
    _step(course, CourseReviewStep.Action.RETURNED, by, opinion)


# ---------------------------------------------------------------- sessions


@dataclass
class PlannedSession:
    starts_at: datetime
    ends_at: datetime
    state: str  # "ok", "closed" (skipped), "clash", "skipped_clash"
    reasons: list[str] = field(default_factory=list)

    @property
    def counts(self) -> bool:
        return self.state in ("ok", "clash")


def session_plan(
    *,
    course: Course,
    first_day: date,
    weekdays: list[int],
    starts: time,
    ends: time,
    count: int,
    skip_clashes: bool = False,
) -> list[PlannedSession]:
    """The dates a recurrence gives (python-dateutil's rrule, weekly on `weekdays`, 0 =
    Monday), `count` of them held: days the center is closed are skipped and the series
    runs on; a clash with the room calendar is shown (or skipped and run on, if asked)."""
    if ends <= starts:
        raise ActivityError(_("The end must be after the start."))
    if not weekdays or count < 1:
        raise ActivityError(_("Choose at least one weekday and one session."))
    count = min(count, 200)
    first = datetime.combine(first_day, time(0))
    days = [d.date() for d in rrule(WEEKLY, byweekday=weekdays, dtstart=first, count=count * 3 + 10)]
    calendar = HoursCalendar(days[0], days[-1])
    tz = timezone.get_current_timezone()
    slots = [
        (timezone.make_aware(datetime.combine(d, starts), tz), timezone.make_aware(datetime.combine(d, ends), tz))
        for d in days
    ]
    checks = slots_check(venue=course.venue, slots=slots)
    plan, held = [], 0
    for day, check in zip(days, checks, strict=True):
        if held >= count:
            break
        hours = calendar.day(day)
        if calendar.has_schedule and hours.is_closed:
            note = hours.note or _("the center is closed")
            plan.append(PlannedSession(check.starts_at, check.ends_at, "closed", [note]))
            continue
        if check.clashes:
            state = "skipped_clash" if skip_clashes else "clash"
        else:
            state = "ok"
        plan.append(PlannedSession(check.starts_at, check.ends_at, state, list(check.reasons)))
        if state != "skipped_clash":
            held += 1
    return plan


@locking
def sessions_create(*, course: Course, plan: list[PlannedSession], by) -> list[CourseSession]:
    """Save the planned sessions, each claiming the room; refused while any clashes."""
    course = Course.objects.select_for_update().get(pk=course.pk)
    if any(p.state == "clash" for p in plan):
        raise ActivityError(_("Some sessions clash with the room calendar: change the plan or skip those dates."))
    made = []
    for planned in plan:
        if planned.state != "ok":
            continue
        session = CourseSession.objects.create(
            course=course, starts_at=planned.starts_at, ends_at=planned.ends_at, changed_by=by
        )
        occupancy_claim(
            venue=course.venue,
            kind=Occupancy.Kind.SESSION,
            title=course.title,
            starts_at=session.starts_at,
            ends_at=session.ends_at,
            contact=by,
            by=by,
            session=session,
        )
        made.append(session)
    return made


def _tell_enrolled(course: Course, text: str) -> int:
    told = 0
    for enrolment in course.enrolments.filter(status=CourseEnrolment.Status.CONFIRMED).select_related("member"):
        notify(member=enrolment.member, text=text, url=course.get_absolute_url())
        told += 1
    return told


@locking
def session_move(*, session: CourseSession, starts_at: datetime, ends_at: datetime, by, note: str = "") -> int:
    """Move one session (its room claim moves with it); everyone with a place is told."""
    session = CourseSession.objects.select_for_update().select_related("course").get(pk=session.pk)
    if session.is_cancelled:
        raise ActivityError(_("This session is cancelled."))
    if session.marks.exists():
        raise ActivityError(_("Attendance was taken for this session; it can no longer be moved."))
    old = session.starts_at
    occupancy = session.occupancies.first()
    if occupancy is not None:
        occupancy_move(occupancy=occupancy, starts_at=starts_at, ends_at=ends_at, by=by)
    else:
        occupancy_claim(
            venue=session.course.venue,
            kind=Occupancy.Kind.SESSION,
            title=session.course.title,
            starts_at=starts_at,
            ends_at=ends_at,
            contact=by,
            by=by,
            session=session,
        )
    session.starts_at, session.ends_at, session.changed_by, session.note = starts_at, ends_at, by, note
    session.save(update_fields=["starts_at", "ends_at", "changed_by", "note"])
    return _tell_enrolled(
        session.course,
        _("“%(course)s”: the session of %(old)s moves to %(new)s. %(note)s")
        % {"course": session.course.title, "old": _local(old), "new": _local(starts_at), "note": note},
    )


@locking
def session_cancel(*, session: CourseSession, by, reason: str) -> int:
    """Cancel one session: the room is freed, it leaves every attendance denominator, and
    everyone with a place is told."""
    session = CourseSession.objects.select_for_update().select_related("course").get(pk=session.pk)
    if session.is_cancelled:
        raise ActivityError(_("This session is already cancelled."))
    if not reason.strip():
        raise ActivityError(_("Give a reason; it is sent to everyone enrolled."))
    occupancy_release(occupancies=list(session.occupancies.all()), by=by)
    session.status, session.note, session.changed_by = CourseSession.Status.CANCELLED, reason, by
    session.save(update_fields=["status", "note", "changed_by"])
    return _tell_enrolled(
        session.course,
        _("“%(course)s”: the session of %(date)s is cancelled: %(reason)s")
        % {"course": session.course.title, "date": _local(session.starts_at), "reason": reason},
    )


# ---------------------------------------------------------------- enrolment


def reserved_pools_of(course: Course, member: Member) -> list[str]:
    """The reserved pools of the course this person may be drawn in (老年人 ≥60, 残疾人, 困难群众)."""
    pools = []
    if course.reserved_elderly and timezone.localdate().year - member.birth_year >= 60:
        pools.append(CourseEnrolment.Pool.ELDERLY)
    if course.reserved_disabled and member.is_disabled:
        pools.append(CourseEnrolment.Pool.DISABLED)
    if course.reserved_hardship and member.has_hardship:
        pools.append(CourseEnrolment.Pool.HARDSHIP)
    return pools


def _check_can_enrol(course: Course, member: Member, *, on_behalf: bool, now) -> None:
    if course.status != Course.Status.APPROVED:
        raise ActivityError(_("This course is not open for enrolment."))
    window = course.enrol_window(now)
    if window == "not_open":
        raise ActivityError(_("Enrolment opens on %(date)s.") % {"date": _local(course.enrol_opens_at)})
    if window != "open":
        raise ActivityError(_("Enrolment for this course has closed."))
    if not course.age_allows(member):
        raise ActivityError(_("%(name)s is outside the age range of this course.") % {"name": member.name})
    if member.anonymised_at:
        raise ActivityError(_("This person's record has been deleted."))
    if not on_behalf:
        paused = signup_paused_until(member, now)
        if paused:
            raise ActivityError(
                _(
                    "%(name)s missed events without cancelling recently, so online enrolment is paused until "
                    "%(date)s. Staff at the front desk can still enrol them."
                )
                % {"name": member.name, "date": date_format(timezone.localtime(paused), "DATE_FORMAT")}
            )


@locking
def course_enrol(*, course: Course, member: Member, by, on_behalf: bool = False) -> CourseEnrolment:
    """Enrol a person: for a lottery, an application with the next number; first come,
    a place while any is left, else the end of the waiting list."""
    try:
        with transaction.atomic():
            now = timezone.now()
            course = Course.objects.select_for_update().get(pk=course.pk)
            _check_can_enrol(course, member, on_behalf=on_behalf, now=now)
            existing = CourseEnrolment.objects.filter(course=course, member=member).first()
            if existing and existing.status != CourseEnrolment.Status.WITHDRAWN:
                raise ActivityError(_("%(name)s is already enrolled on this course.") % {"name": member.name})
            number = (course.enrolments.aggregate(n=Max("number"))["n"] or 0) + 1
            enrolment = existing or CourseEnrolment(course=course, member=member, code=tickets.new_code())
            enrolment.number = number
            enrolment.queued_at = now
            enrolment.enrolled_by = by
            enrolment.withdrawn_at = enrolment.withdrawn_by = None
            enrolment.draw_position = None
            enrolment.won_in = ""
            if course.is_lottery:
                enrolment.status = CourseEnrolment.Status.APPLIED
                enrolment.pools = ",".join(reserved_pools_of(course, member))
                enrolment.confirmed_at = None
            else:
                confirmed = course.enrolments.filter(status=CourseEnrolment.Status.CONFIRMED).count()
                if confirmed < course.capacity:
                    enrolment.status, enrolment.confirmed_at = CourseEnrolment.Status.CONFIRMED, now
                else:
                    enrolment.status, enrolment.confirmed_at = CourseEnrolment.Status.WAITING, None
            enrolment.save()
            return enrolment
    except IntegrityError:
        raise ActivityError(_("%(name)s is already enrolled on this course.") % {"name": member.name}) from None


def _waiting_order(course):
    return course.enrolments.filter(status=CourseEnrolment.Status.WAITING).order_by("draw_position", "queued_at", "pk")


@locking
def course_withdraw(*, enrolment: CourseEnrolment, by) -> CourseEnrolment | None:
    """Give up a place, an application or a place in the queue; a freed place goes to the
    first waiting (in draw order after a lottery). Returns the promoted enrolment, if any."""
    course = Course.objects.select_for_update().get(pk=enrolment.course_id)
    enrolment = CourseEnrolment.objects.select_for_update().get(pk=enrolment.pk)
    if enrolment.status == CourseEnrolment.Status.WITHDRAWN:
        raise ActivityError(_("This enrolment was already withdrawn."))
    was_confirmed = enrolment.status == CourseEnrolment.Status.CONFIRMED
    enrolment.status = CourseEnrolment.Status.WITHDRAWN
    enrolment.withdrawn_at, enrolment.withdrawn_by = timezone.now(), by
    enrolment.save(update_fields=["status", "withdrawn_at", "withdrawn_by"])
    if was_confirmed and course.status == Course.Status.APPROVED:
        nxt = _waiting_order(course).select_related("member").first()
        if nxt:
            nxt.status, nxt.confirmed_at = CourseEnrolment.Status.CONFIRMED, timezone.now()
            nxt.save(update_fields=["status", "confirmed_at"])
            notify(
                member=nxt.member,
                text=_("Good news: %(name)s has a place on “%(course)s”.")
                % {"name": nxt.member.name, "course": course.title},
                url=course.get_absolute_url(),
            )
            return nxt
    return None


# ---------------------------------------------------------------- lottery


@locking
def lottery_commit(*, course: Course, by) -> str:
    """Choose the draw's seed and publish its SHA-256; the seed stays secret until the
    draw. Refused once a hash is published: the seed can never change."""
    course = Course.objects.select_for_update().get(pk=course.pk)
    if not course.is_lottery:
        raise ActivityError(_("This course gives places first come, first served."))
    if course.seed_hash:
        raise ActivityError(
            _("The draw seed was committed on %(date)s and its hash published; it can no longer be changed.")
            % {"date": _local(course.seed_committed_at)}
        )
    if timezone.now() >= course.enrol_closes_at:
        raise ActivityError(_("The seed must be committed before the application deadline."))
    return _commit_seed(course, by)


def _commit_seed(course: Course, by) -> str:
    seed = secrets.token_hex(16)
    course.seed, course.seed_hash = seed, seed_digest(seed)
    course.seed_committed_at, course.seed_committed_by = timezone.now(), by
    course.save(update_fields=["seed", "seed_hash", "seed_committed_at", "seed_committed_by"])
    return course.seed_hash


@locking
def lottery_draw(*, course: Course, by) -> int:
    """After the deadline: reveal the seed and draw. Winners get places (reserved pools
    first) and are told; the rest wait in draw order. Returns the number of winners."""
    course = Course.objects.select_for_update().get(pk=course.pk)
    if not course.is_lottery or not course.seed_hash:
        raise ActivityError(_("Commit the draw seed before the deadline first."))
    if course.drawn_at:
        raise ActivityError(_("The draw has already been made."))
    if timezone.now() < course.enrol_closes_at:
        raise ActivityError(_("The draw is made after the application deadline."))
    if seed_digest(course.seed) != course.seed_hash:
        raise ActivityError(_("The seed does not match its published hash; the draw is refused."))
    applications = {
        e.number: e for e in course.enrolments.filter(status=CourseEnrolment.Status.APPLIED).select_related("member")
    }
    reserved = {
        CourseEnrolment.Pool.ELDERLY: course.reserved_elderly,
        CourseEnrolment.Pool.DISABLED: course.reserved_disabled,
        CourseEnrolment.Pool.HARDSHIP: course.reserved_hardship,
    }
    pools = {
        str(pool): (count, {n for n, e in applications.items() if pool in e.pool_list})
        for pool, count in reserved.items()
    }
    winners, order = lottery.allocate(seed=course.seed, numbers=applications, capacity=course.capacity, pools=pools)
    now = timezone.now()
    for position, number in enumerate(order, start=1):
        enrolment = applications[number]
        enrolment.draw_position = position
        if number in winners:
            enrolment.status, enrolment.won_in, enrolment.confirmed_at = (
                CourseEnrolment.Status.CONFIRMED,
                winners[number],
                now,
            )
            text = _("Lottery result: %(name)s has a place on “%(course)s”.")
        else:
            enrolment.status = CourseEnrolment.Status.WAITING
            text = _(
                "Lottery result: %(name)s was not drawn for “%(course)s” and is number %(position)s on the "
                "waiting list."
            )
        enrolment.save(update_fields=["draw_position", "status", "won_in", "confirmed_at"])
        notify(
            member=enrolment.member,
            text=text % {"name": enrolment.member.name, "course": course.title, "position": position - len(winners)},
            url=course.get_absolute_url(),
        )
    course.drawn_at, course.drawn_by = now, by
    course.save(update_fields=["drawn_at", "drawn_by"])
    return len(winners)


# ---------------------------------------------------------------- attendance


@dataclass
class AttendanceRow:
    enrolment: CourseEnrolment
    expected: int = 0  # held sessions they were enrolled for
    attended: int = 0  # present or late
    marks: dict = field(default_factory=dict)  # session id -> mark
    streak: int = 0  # consecutive absences, latest first
    streak_since: datetime | None = None  # the start of the first session of that streak

    @property
    def percent(self) -> int | None:
        return round(100 * self.attended / self.expected) if self.expected else None

    @property
    def at_risk(self) -> bool:
        percent = self.percent
        return self.streak >= settings.COURSE_WARNING_ABSENCES or (
            self.expected >= settings.COURSE_WARNING_MIN_SESSIONS
            and percent is not None
            and percent < settings.COURSE_WARNING_BELOW_PERCENT
        )

    @property
    def earns_certificate(self) -> bool:
        percent = self.percent
        return percent is not None and percent >= settings.COURSE_CERTIFICATE_PERCENT


def expected_at(enrolment: CourseEnrolment, session: CourseSession) -> bool:
    """Whether this person was expected at this session (a place confirmed by its start, not given up)."""
    return (
        enrolment.confirmed_at is not None
        and enrolment.confirmed_at <= session.starts_at
        and (enrolment.withdrawn_at is None or enrolment.withdrawn_at > session.starts_at)
    )


def course_attendance(course: Course, *, now=None, enrolments=None) -> tuple[list[CourseSession], list[AttendanceRow]]:
    """Every session and, per person who ever had a place, their attendance: the
    denominator counts only held sessions (not cancelled, begun) they were enrolled for."""
    now = now or timezone.now()
    sessions = list(course.sessions.all())
    if enrolments is None:
        enrolments = course.enrolments.filter(confirmed_at__isnull=False).select_related("member")
    rows = {e.pk: AttendanceRow(e) for e in enrolments}
    for mark in SessionAttendance.objects.filter(enrolment__in=list(rows)).values_list(
        "enrolment_id", "session_id", "mark"
    ):
        rows[mark[0]].marks[mark[1]] = mark[2]
    for row in rows.values():
        counting_streak = True
        for session in reversed(sessions):
            if not session.is_held(now) or not expected_at(row.enrolment, session):
                continue
            mark = row.marks.get(session.pk)
            row.expected += 1
            if mark in Mark.attended():
                row.attended += 1
                counting_streak = False
            elif mark == Mark.ABSENT and counting_streak:
                row.streak += 1
                row.streak_since = session.starts_at
            elif mark is None:
                counting_streak = False  # not known to be absent; 请假 neither adds nor breaks
    ordered = sorted(rows.values(), key=lambda r: (r.enrolment.member.name, r.enrolment.pk))
    return sessions, ordered


def session_register(session: CourseSession):
    """Who is expected at this session, with the mark each has so far (None when unmarked)."""
    enrolments = CourseEnrolment.objects.expected_at(session).select_related("member").order_by("member__name", "pk")
    marks = {m.enrolment_id: m for m in session.marks.all()}
    return [(e, marks.get(e.pk)) for e in enrolments]


@locking
def attendance_record(
    *, session: CourseSession, marks: dict[int, str], by, all_present: bool = False, reason: str = ""
) -> int:
    """Save marks for a session. "All present" marks only those not yet marked, so a
    register opened again never overwrites a mark with a default. Changing a mark is
    kept as a correction; more than 7 days after the session it needs a reason."""
    session = CourseSession.objects.select_for_update().select_related("course").get(pk=session.pk)
    now = timezone.now()
    if session.is_cancelled:
        raise ActivityError(_("This session is cancelled; there is no attendance to take."))
    if now < session.starts_at - timedelta(minutes=settings.COURSE_CHECKIN_MINUTES_BEFORE):
        raise ActivityError(_("Attendance is taken from shortly before the session starts."))
    register = {e.pk: (e, mark) for e, mark in session_register(session)}
    wanted = {int(k): v for k, v in marks.items() if v in Mark.values and int(k) in register}
    if all_present:
        for enrolment_id, (_enrolment, mark) in register.items():
            if mark is None and enrolment_id not in wanted:
                wanted[enrolment_id] = Mark.PRESENT
    late_correction = now > session.ends_at + timedelta(days=CORRECTION_FREE_DAYS)
    changed = 0
    for enrolment_id, value in wanted.items():
        enrolment, existing = register[enrolment_id]
        if existing is None:
            SessionAttendance.objects.create(session=session, enrolment=enrolment, mark=value, marked_by=by)
            changed += 1
        elif existing.mark != value:
            if late_correction and not reason.strip():
                raise ActivityError(
                    _("More than %(days)s days after the session, a mark can only be corrected with a reason.")
                    % {"days": CORRECTION_FREE_DAYS}
                )
            AttendanceCorrection.objects.create(
                attendance=existing, old_mark=existing.mark, new_mark=value, reason=reason, corrected_by=by
            )
            existing.mark, existing.marked_by, existing.marked_at = value, by, now
            existing.save(update_fields=["mark", "marked_by", "marked_at"])
            changed += 1
    _warn(session.course, [register[i][0] for i in wanted], now)
    return changed


@locking
def session_check_in(*, session: CourseSession, code: str, by) -> SessionAttendance:
    """A course ticket scanned at the door: present (late from 10 minutes after the start),
    only for this session and only from shortly before its start to its end."""
    session = CourseSession.objects.select_for_update().select_related("course").get(pk=session.pk)
    now = timezone.now()
    if session.is_cancelled:
        raise ActivityError(_("This session is cancelled."))
    opens = session.starts_at - timedelta(minutes=settings.COURSE_CHECKIN_MINUTES_BEFORE)
    if not opens <= now < session.ends_at:
        raise ActivityError(
            _("Course tickets are checked in only from %(opens)s until the end of the session.")
            % {"opens": _local(opens)}
        )
    normalised = tickets.normalise(code)
    if normalised is None:
        raise ActivityError(_("This is not a valid ticket code. Check it and try again."))
    enrolment = CourseEnrolment.objects.expected_at(session).select_related("member").filter(code=normalised).first()
    if enrolment is None:
        raise ActivityError(_("This ticket has no place on this course today."))
    existing = SessionAttendance.objects.filter(session=session, enrolment=enrolment).first()
    if existing and existing.mark in Mark.attended():
        raise AlreadyCheckedIn(_("%(name)s is already marked present.") % {"name": enrolment.member.name})
    mark = Mark.LATE if now > session.starts_at + timedelta(minutes=10) else Mark.PRESENT
    if existing:
        AttendanceCorrection.objects.create(
            attendance=existing, old_mark=existing.mark, new_mark=mark, reason=_("ticket scanned"), corrected_by=by
        )
        existing.mark, existing.marked_by, existing.marked_at = mark, by, now
        existing.save(update_fields=["mark", "marked_by", "marked_at"])
        return existing
    return SessionAttendance.objects.create(session=session, enrolment=enrolment, mark=mark, marked_by=by)


def _warn(course: Course, enrolments: list[CourseEnrolment], now) -> None:
    """Tell the member (a notice their guardian sees too) once a streak of absences or a
    low rate is reached; each warning is sent once per streak / once per course."""
    if not enrolments:
        return
    _sessions, rows = course_attendance(course, now=now, enrolments=enrolments)
    for row in rows:
        enrolment = row.enrolment
        if row.streak >= settings.COURSE_WARNING_ABSENCES and (
            enrolment.warned_streak_at is None or enrolment.warned_streak_at < row.streak_since
        ):
            notify(
                member=enrolment.member,
                text=_("%(name)s has missed %(count)s sessions of “%(course)s” in a row. Is everything all right?")
                % {"name": enrolment.member.name, "count": row.streak, "course": course.title},
                url=course.get_absolute_url(),
            )
            enrolment.warned_streak_at = now
            enrolment.save(update_fields=["warned_streak_at"])
        percent = row.percent
        if (
            enrolment.warned_rate_at is None
            and row.expected >= settings.COURSE_WARNING_MIN_SESSIONS
            and percent is not None
            and percent < settings.COURSE_WARNING_BELOW_PERCENT
        ):
            notify(
                member=enrolment.member,
                text=_("%(name)s has attended %(percent)s%% of the sessions of “%(course)s” so far.")
                % {"name": enrolment.member.name, "percent": percent, "course": course.title},
                url=course.get_absolute_url(),
            )
            enrolment.warned_rate_at = now
            enrolment.save(update_fields=["warned_rate_at"])


@locking
def certificates_issue(*, course: Course, by) -> int:
    """After the last session: a numbered certificate for everyone who attended at least
    COURSE_CERTIFICATE_PERCENT of the held sessions they were enrolled for."""
    course = Course.objects.select_for_update().get(pk=course.pk)
    last = course.sessions.exclude(status=CourseSession.Status.CANCELLED).order_by("-ends_at").first()
    if last is None or last.ends_at > timezone.now():
        raise ActivityError(_("Certificates are issued after the last session."))
    _sessions, rows = course_attendance(course)
    issued = course.enrolments.exclude(certificate_number="").count()
    made = 0
    for row in rows:
        enrolment = row.enrolment
        if enrolment.certificate_number or not row.earns_certificate:
            continue
        issued += 1
        enrolment.certificate_number = f"KC{timezone.localdate(last.ends_at):%Y}-{course.pk:03d}-{issued:03d}"
        enrolment.certificate_issued_at, enrolment.certificate_issued_by = timezone.now(), by
        enrolment.save(update_fields=["certificate_number", "certificate_issued_at", "certificate_issued_by"])
        made += 1
    return made
