from django.urls import reverse

from activities.models import Event


def staff_menu(request):
    """The door's and the reviewer's entries in the header; counted only when a page shows them."""
    return {
        "events_awaiting_review": lambda: Event.objects.filter(status=Event.Status.SUBMITTED).count(),
        "review_queue_url": lambda: reverse("admin:activities_event_changelist") + "?status__exact=submitted",
    }
