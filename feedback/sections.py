"""What feedback adds to an event's page."""

from django.db.models import Avg, Count, Q
from django.utils import timezone


def event_feedback(request, event):
    """The evaluation summary shown on an event's page once it has taken place."""
    if event.starts_at > timezone.now():
        return None
    summary = event.evaluations.aggregate(
        average=Avg("rating"), count=Count("pk"), happy=Count("pk", filter=Q(rating__gte=4))
    )
    return {"event": event, **summary}
