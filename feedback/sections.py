"""What feedback adds to an event's page, the home page and the needs board."""

from django.db.models import Avg, Count, Q
from django.utils import timezone

from feedback.models import Questionnaire


def event_feedback(request, event):
    """The evaluation summary shown on an event's page once it has taken place."""
    if event.starts_at > timezone.now():
        return None
    summary = event.evaluations.aggregate(
        average=Avg("rating"), count=Count("pk"), happy=Count("pk", filter=Q(rating__gte=4))
    )
    return {"event": event, **summary}


def open_surveys(request):
    """Questionnaires open now, soonest closing first: on the home page and the needs board."""
    now = timezone.now()
    surveys = list(Questionnaire.objects.filter(opens_at__lte=now, closes_at__gt=now).order_by("closes_at", "pk")[:5])
    return {"surveys": surveys} if surveys else None
