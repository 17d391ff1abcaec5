"""What feedback adds to an event's page, “My account”, the home page and the needs board."""

from datetime import timedelta

from django.db.models import Exists, OuterRef
from django.utils import timezone

from activities.models import Registration
from feedback import services
from feedback.models import Evaluation, Questionnaire, rating_summary

# How long after an event “My account” keeps asking for its evaluation.
EVALUATE_WITHIN_DAYS = 30
SHOWN_AT_MOST = 5


def event_feedback(request, event):
    """The evaluation summary shown on an event's page once it has taken place, and for
    this visitor either the way to evaluate or why they cannot."""
    if event.starts_at > timezone.now():
        return None
    summary = event.evaluations.aggregate(**rating_summary())
    return {"event": event, "may_evaluate": services.evaluation_standing(event, request.user), **summary}


def account_to_evaluate(request):
    """Events the household attended lately that someone who was there has not evaluated yet."""
    if not hasattr(request.user, "member"):
        return None
    now = timezone.now()
    evaluated = Evaluation.objects.filter(event=OuterRef("event"), member=OuterRef("member"))
    registrations = (
        Registration.objects.for_household_of(request.user)
        .filter(
            checked_in_at__isnull=False,
            event__starts_at__lte=now,
            event__starts_at__gte=now - timedelta(days=EVALUATE_WITHIN_DAYS),
        )
        .exclude(Exists(evaluated))
        .select_related("member", "event")
        .order_by("-event__starts_at", "event_id", "pk")
    )
    # One line per event with everyone of the household who may still evaluate it.
    pending = {}
    for registration in registrations:
        pending.setdefault(registration.event, []).append(registration.member.name)
    return {"pending": list(pending.items())[:SHOWN_AT_MOST]} if pending else None


def open_surveys(request):
    """Questionnaires open now, soonest closing first: on the home page and the needs board."""
    surveys = list(Questionnaire.objects.open().order_by("closes_at", "pk")[:5])
    return {"surveys": surveys} if surveys else None


def article_satisfaction(event_ids: list[int]) -> list[tuple[str, str]]:
    """Satisfaction of the events a news article reports on (share of 4–5 star evaluations)."""
    from django.utils.translation import gettext as _

    summary = Evaluation.objects.filter(event_id__in=event_ids).aggregate(**rating_summary())
    if not summary["count"]:
        return []
    share = round(100 * summary["happy"] / summary["count"])
    return [
        (
            _("Satisfaction (4–5 stars)"),
            _("%(share)s%% of %(count)s evaluations") % {"share": share, "count": summary["count"]},
        )
    ]
