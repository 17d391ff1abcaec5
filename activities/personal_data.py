"""What activities adds to “Download my data”: every sign-up and ticket."""

from django.utils.translation import gettext_lazy as _

from activities.models import Event, Registration
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
