"""What activities adds to “Download my data”: every sign-up and ticket, every room request
or booking, team memberships, course enrolments and attendance, and volunteering (the
application, shift places, hours and certificates)."""

from django.utils.translation import gettext_lazy as _

from activities.models import (
    Booking,
    Certificate,
    CourseEnrolment,
    CourseSession,
    Event,
    HoursEntry,
    JoinRequest,
    PracticeAttendance,
    Registration,
    SessionAttendance,
    ShiftSignup,
    TeamMembership,
    Volunteer,
)
from culturecenter.lib.personal_data import DataSection, label, register, yes_no


def _registrations(people):
    registrations = (
        Registration.objects.filter(member__in=people)
        .select_related("member", "event", "event__venue")
        .order_by("-event__starts_at", "pk")
    )
    for r in registrations:
        yield {
            "member": r.member.name,
            "event": r.event.title,
            "starts_at": r.event.starts_at,
            "venue": r.event.venue.name,
            "status": r.get_status_display(),
            "code": r.code,
            "queued_at": r.queued_at,
            "promoted_at": r.promoted_at,
            "cancelled_at": r.cancelled_at,
            "checked_in_at": r.checked_in_at,
            "is_walk_in": yes_no(r.is_walk_in),
            "no_show": yes_no(r.no_show),
        }


def _memberships(people):
    for m in TeamMembership.objects.filter(member__in=people).select_related("member", "team").order_by("pk"):
        yield {
            "member": m.member.name,
            "team": m.team.name,
            "role": m.get_role_display(),
            "joined_on": m.joined_on,
            "left_on": m.left_on,
        }


def _join_requests(people):
    for r in JoinRequest.objects.filter(member__in=people).select_related("member", "team").order_by("pk"):
        yield {
            "member": r.member.name,
            "team": r.team.name,
            "message": r.message,
            "status": r.get_status_display(),
            "asked_at": r.asked_at,
        }


def _enrolments(people):
    enrolments = CourseEnrolment.objects.filter(member__in=people).select_related("member", "course").order_by("pk")
    for e in enrolments:
        yield {
            "member": e.member.name,
            "course": e.course.title,
            "number": e.number,
            "status": e.get_status_display(),
            "pools": e.pools,
            "draw_position": e.draw_position,
            "queued_at": e.queued_at,
            "confirmed_at": e.confirmed_at,
            "withdrawn_at": e.withdrawn_at,
            "certificate_number": e.certificate_number,
        }


def _attendance(people):
    sessions = SessionAttendance.objects.filter(enrolment__member__in=people).select_related(
        "enrolment__member", "enrolment__course", "session"
    )
    for a in sessions.order_by("session__starts_at", "pk"):
        yield {"member": a.enrolment.member.name, "what": a.enrolment.course.title, "at": a.session.starts_at,
               "mark": a.get_mark_display()}  # fmt: skip
    practices = PracticeAttendance.objects.filter(member__in=people).select_related("member", "booking")
    for a in practices.order_by("booking__starts_at", "pk"):
        yield {
            "member": a.member.name,
            "what": a.booking.title,
            "at": a.booking.starts_at,
            "mark": a.get_mark_display(),
        }


def _room_bookings(people):
    bookings = (
        Booking.objects.filter(contact__member__in=people)
        .select_related("venue", "contact__member")
        .order_by("-starts_at", "pk")
    )
    for b in bookings:
        yield {
            "member": b.contact.member.name,
            "title": b.title,
            "venue": b.venue.name,
            "starts_at": b.starts_at,
            "ends_at": b.ends_at,
            "organiser": b.organiser,
            "status": b.get_status_display(),
            "decision_reason": b.decision_reason,
            "checked_in_at": b.checked_in_at,
        }


def register_sections():
    register(
        DataSection(
            key="registrations",
            title=_("Sign-ups and tickets"),
            columns=[
                ("member", label(Registration, "member")),
                ("event", label(Registration, "event")),
                ("starts_at", label(Event, "starts_at")),
                ("venue", label(Event, "venue")),
                ("status", label(Registration, "status")),
                ("code", label(Registration, "code")),
                ("queued_at", label(Registration, "queued_at")),
                ("promoted_at", label(Registration, "promoted_at")),
                ("cancelled_at", label(Registration, "cancelled_at")),
                ("checked_in_at", label(Registration, "checked_in_at")),
                ("is_walk_in", label(Registration, "is_walk_in")),
                ("no_show", label(Registration, "no_show")),
            ],
            rows=_registrations,
        )
    )
    register(
        DataSection(
            key="team_memberships",
            title=_("Team memberships"),
            columns=[
                ("member", label(TeamMembership, "member")),
                ("team", label(TeamMembership, "team")),
                ("role", label(TeamMembership, "role")),
                ("joined_on", label(TeamMembership, "joined_on")),
                ("left_on", label(TeamMembership, "left_on")),
            ],
            rows=_memberships,
        )
    )
    register(
        DataSection(
            key="join_requests",
            title=_("Requests to join teams"),
            columns=[
                ("member", label(JoinRequest, "member")),
                ("team", label(JoinRequest, "team")),
                ("message", label(JoinRequest, "message")),
                ("status", label(JoinRequest, "status")),
                ("asked_at", label(JoinRequest, "asked_at")),
            ],
            rows=_join_requests,
        )
    )
    register(
        DataSection(
            key="course_enrolments",
            title=_("Course enrolments and lottery applications"),
            columns=[
                ("member", label(CourseEnrolment, "member")),
                ("course", label(CourseEnrolment, "course")),
                ("number", label(CourseEnrolment, "number")),
                ("status", label(CourseEnrolment, "status")),
                ("pools", label(CourseEnrolment, "pools")),
                ("draw_position", label(CourseEnrolment, "draw_position")),
                ("queued_at", label(CourseEnrolment, "queued_at")),
                ("confirmed_at", label(CourseEnrolment, "confirmed_at")),
                ("withdrawn_at", label(CourseEnrolment, "withdrawn_at")),
                ("certificate_number", label(CourseEnrolment, "certificate_number")),
            ],
            rows=_enrolments,
        )
    )
    register(
        DataSection(
            key="attendance",
            title=_("Attendance at courses and team practices"),
            columns=[
                ("member", label(SessionAttendance, "enrolment")),
                ("what", _("Course or practice")),
                ("at", label(CourseSession, "starts_at")),
                ("mark", label(SessionAttendance, "mark")),
            ],
            rows=_attendance,
        )
    )
    register(
        DataSection(
            key="room_bookings",
            title=_("Room requests and bookings"),
            columns=[
                ("member", label(Registration, "member")),
                ("title", label(Booking, "title")),
                ("venue", label(Booking, "venue")),
                ("starts_at", label(Booking, "starts_at")),
                ("ends_at", label(Booking, "ends_at")),
                ("organiser", label(Booking, "organiser")),
                ("status", label(Booking, "status")),
                ("decision_reason", label(Booking, "decision_reason")),
                ("checked_in_at", label(Booking, "checked_in_at")),
            ],
            rows=_room_bookings,
        )
    )


def _volunteers(people):
    for v in Volunteer.objects.filter(member__in=people).select_related("member").order_by("pk"):
        yield {
            "member": v.member.name,
            "status": v.get_status_display(),
            "skills": v.get_skills_display(),
            "availability": v.get_availability_display(),
            "village": v.get_village_display(),
            "note": v.note,
            "applied_at": v.applied_at,
            "decided_at": v.decided_at,
            "guardian_name": v.guardian_name,
            "guardian_consent_at": v.guardian_consent_at,
            "consent_withdrawn_at": v.consent_withdrawn_at,
        }


def _shift_signups(people):
    signups = (
        ShiftSignup.objects.filter(volunteer__member__in=people)
        .select_related("volunteer__member", "shift", "role")
        .order_by("-shift__starts_at", "pk")
    )
    for s in signups:
        yield {
            "member": s.volunteer.member.name,
            "shift": s.shift.title,
            "starts_at": s.shift.starts_at,
            "role": s.role.name,
            "status": s.get_status_display(),
            "confirmed_at": s.confirmed_at,
            "cancelled_at": s.cancelled_at,
            "checked_in_at": s.checked_in_at,
            "checked_out_at": s.checked_out_at,
            "no_show": yes_no(s.no_show),
        }


def _hours(people):
    entries = HoursEntry.objects.filter(volunteer__member__in=people).select_related("volunteer__member")
    for e in entries.order_by("service_date", "pk"):
        yield {
            "member": e.volunteer.member.name,
            "service_date": e.service_date,
            "kind": e.get_kind_display(),
            "minutes": e.minutes,
            "content": e.content,
            "reason": e.reason,
            "status": e.get_status_display(),
            "decided_at": e.decided_at,
        }


def _certificates(people):
    for c in Certificate.objects.filter(volunteer__member__in=people).order_by("issued_at", "pk"):
        yield {
            "serial": c.serial,
            "name": c.name,
            "period_from": c.period_from,
            "period_to": c.period_to,
            "minutes": c.minutes,
            "issued_at": c.issued_at,
        }


def _columns(model, keys, **extra):
    return [(key, extra[key] if key in extra else label(model, key)) for key in keys]


def register_volunteer_sections():
    register(
        DataSection(
            key="volunteer",
            title=_("Volunteer application"),
            columns=[("member", label(Volunteer, "member"))]
            + _columns(
                Volunteer,
                [
                    "status",
                    "skills",
                    "availability",
                    "village",
                    "note",
                    "applied_at",
                    "decided_at",
                    "guardian_name",
                    "guardian_consent_at",
                    "consent_withdrawn_at",
                ],
            ),
            rows=_volunteers,
        )
    )
    register(
        DataSection(
            key="volunteer_shifts",
            title=_("Volunteer shifts"),
            columns=[
                ("member", label(ShiftSignup, "volunteer")),
                ("shift", label(ShiftSignup, "shift")),
                ("starts_at", label(Event, "starts_at")),
                ("role", label(ShiftSignup, "role")),
            ]
            + _columns(
                ShiftSignup,
                ["status", "confirmed_at", "cancelled_at", "checked_in_at", "checked_out_at", "no_show"],
            ),
            rows=_shift_signups,
        )
    )
    register(
        DataSection(
            key="volunteer_hours",
            title=_("Volunteer hours"),
            columns=[("member", label(HoursEntry, "volunteer"))]
            + _columns(HoursEntry, ["service_date", "kind", "minutes", "content", "reason", "status", "decided_at"]),
            rows=_hours,
        )
    )
    register(
        DataSection(
            key="volunteer_certificates",
            title=_("Volunteer service certificates"),
            columns=_columns(Certificate, ["serial", "name", "period_from", "period_to", "minutes", "issued_at"]),
            rows=_certificates,
        )
    )
