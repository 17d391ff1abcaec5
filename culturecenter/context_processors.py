from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _

from culturecenter import hours

# The main navigation. An entry whose page does not exist yet is left out, so
# the menu never leads to a dead end.
NAVIGATION = [
    ("home", _("Home")),
    ("activities:list", _("Activities")),
    ("lending:catalogue", _("Library")),
    ("feedback:board", _("Needs & feedback")),
    ("me", _("My account")),
]


def _navigation(request):
    items = []
    for name, label in NAVIGATION:
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue
        current = request.path == url if url == "/" else request.path.startswith(url)
        items.append({"url": url, "label": label, "current": current})
    return items


def site(request):
    now = timezone.now()
    return {
        "navigation": _navigation(request),
        "center_address": settings.CENTER_ADDRESS,
        "center_phone": settings.CENTER_PHONE,
        "opening_status": SimpleLazyObject(lambda: hours.status_text(hours.status_at(now), now)),
    }
