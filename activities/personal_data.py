"""What activities adds to “Download my data”: every sign-up and ticket, and every room request or booking."""

from django.utils.translation import gettext_lazy as _

from activities.models import Booking, Event, Registration
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
