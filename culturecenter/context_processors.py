import functools
import time

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db.models import Q
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from culturecenter import hours
from culturecenter.lib import pagecache
from culturecenter.models import Notice

# The main navigation. An entry whose page does not exist yet is left out, so
# the menu never leads to a dead end.
NAVIGATION = [
    ("home", _("Home")),
    ("activities:list", _("Activities")),
    ("lending:catalogue", _("Library")),
    ("feedback:board", _("Needs & feedback")),
    ("me", _("My account")),
]

# The work menu, a second bar for staff, reviewers and librarians: (URL name, query
# string, label, the permission that shows it). Like the main navigation, an entry
# whose page does not exist (yet) is left out. `counts` (below) can put a number on one.
WORK_MENU = [
    ("activities:today", "", pgettext_lazy("work menu", "Today's events"), "activities.checkin_event"),
    (
        "admin:activities_event_changelist",
        "?status__exact=submitted",
        pgettext_lazy("work menu", "To review"),
        "activities.approve_event",
    ),
    (
        "admin:activities_article_changelist",
        "?status__exact=submitted",
        pgettext_lazy("work menu", "News to review"),
        "activities.approve_article",
    ),
    ("lending:desk", "", pgettext_lazy("work menu", "Circulation desk"), "lending.use_desk"),
    ("lending:desk_lists", "", pgettext_lazy("work menu", "Daily lists"), "lending.use_desk"),
    ("activities:archive", "", pgettext_lazy("work menu", "Archive"), "activities.view_worklog"),
    ("admin:index", "", pgettext_lazy("work menu", "Administration"), None),
]

# URL name → function(request) giving a number to show on that work-menu entry
# (e.g. events awaiting review); filled in by the apps that own the figure.
WORK_MENU_COUNTS = {}


@functools.cache
def _url(name: str, urlconf, prefix: str) -> str | None:
    try:
        return reverse(name, urlconf)
    except NoReverseMatch:
        return None


def _reverse(name: str) -> str | None:
    """The menus' addresses (or None for a page that does not exist), looked up once per
    process rather than on every page."""
    return _url(name, get_urlconf(), get_script_prefix())


def _user(request):
    # A request refused early (a 400 for a bad Host header) has no user yet.
    return getattr(request, "user", None) or AnonymousUser()


def _navigation(request):
    user = _user(request)
    items = []
    for name, label in NAVIGATION:
        if name == "me" and user.is_authenticated and user.is_staff and not hasattr(user, "member"):
            continue  # a staff login has no villager account: its way in is the work menu
        url = _reverse(name)
        if url is None:
            continue
        current = request.path == url if url == "/" else request.path.startswith(url)
        items.append({"url": url, "label": label, "current": current})
    return items


def _work_menu(request):
    user = _user(request)
    if not (user.is_authenticated and user.is_staff):
        return []
    items = []
    for name, query, label, permission in WORK_MENU:
        if permission and not user.has_perm(permission):
            continue
        path = _reverse(name)
        if path is None:
            continue
        count = WORK_MENU_COUNTS[name](request) if name in WORK_MENU_COUNTS else None
        current = request.path == path if name == "admin:index" else request.path.startswith(path)
        items.append({"url": path + query, "label": label, "current": current and not query, "count": count})
    return items


# When the villager last opened their notices, kept in the session: the header's count
# of unread notices is counted again from then on.
NOTICES_SEEN_KEY = "notices_seen_at"
UNREAD_NOTICES_SECONDS = 30


def unread_notices(request) -> int:
    """Notices not yet read by anyone of the household the user manages. The header shows
    it on every page, so each process keeps the count for half a minute, and counts again
    after any change made through the site (a promotion comes with a cancellation) or
    once the notices have been opened (`notices_seen`)."""
    user = _user(request)
    member = getattr(user, "member", None) if user.is_authenticated else None
    if member is None:
        return 0

    def count():
        # Whom `Member.objects.managed_by` lists, written out: this runs on every logged-in page.
        household = Q(member__household_id=member.household_id) if member.household_id else Q(member=member)
        return Notice.objects.filter(household, read_at__isnull=True).count()

    seen = request.session.get(NOTICES_SEEN_KEY, 0)
    return pagecache.cached(f"unread-notices:{member.pk}:{seen}", count, UNREAD_NOTICES_SECONDS, shared=False)


def notices_seen(request) -> None:
    """The notices have just been read: the next page counts them again, in every process."""
    request.session[NOTICES_SEEN_KEY] = time.time_ns()


def site(request):
    now = timezone.now()
    return {
        "navigation": _navigation(request),
        "work_menu": SimpleLazyObject(lambda: _work_menu(request)),
        "unread_notices": SimpleLazyObject(lambda: unread_notices(request)),
        "center_address": settings.CENTER_ADDRESS,
        "center_phone": settings.CENTER_PHONE,
        "center_phone_link": format_html(
            '<a class="text-nowrap" href="tel:{}">{}</a>', settings.CENTER_PHONE.replace(" ", ""), settings.CENTER_PHONE
        ),
        "opening_status": SimpleLazyObject(lambda: hours.status_text(hours.status_now(now), now)),
    }
