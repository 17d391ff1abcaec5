import logging

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers

from culturecenter.lib import pagecache

logger = logging.getLogger(__name__)


class ContentSecurityPolicyMiddleware:
    """Send the Content-Security-Policy header: scripts and styles only from our own static files."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        return response


class DatabaseUnavailableMiddleware:
    """While the database is away (stopped, frozen, unreachable), answer 503 with a plain
    page that needs no database — in Chinese, with the center's phone — instead of a 500."""

    RETRY_AFTER_SECONDS = 30

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        logger.error("Database unavailable for %s: %s", request.path, exception)
        body = render_to_string("503.html", {"center_phone": settings.CENTER_PHONE})
        response = HttpResponse(body, status=503)
        response["Retry-After"] = str(self.RETRY_AFTER_SECONDS)
        response["Cache-Control"] = "no-store"
        return response


class LanguageMiddleware:
    """Chinese unless the visitor chose otherwise with the language switch.

    Unlike Django's LocaleMiddleware this ignores the browser's Accept-Language:
    the portal speaks Chinese first, whatever phone a villager borrowed."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        try:
            language = translation.get_supported_language_variant(chosen) if chosen else settings.LANGUAGE_CODE
        except LookupError:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", request.LANGUAGE_CODE)
        patch_vary_headers(response, ["Cookie"])
        return response


class PublicPageGenerationMiddleware:
    """Every change made through the site is a POST answered by a redirect (our convention;
    the admin's too); after one, the cached public pages are out of date. A form sent back
    with errors (200) or refused (403) changed nothing, and neither did a view marked
    `keeps_public_pages` (a language switch, a login)."""

    UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.method in self.UNSAFE and 300 <= response.status_code < 400 and not self._keeps_pages(request):
            pagecache.new_generation()
        return response

    @staticmethod
    def _keeps_pages(request) -> bool:
        match = getattr(request, "resolver_match", None)
        view = match.func if match else None
        return getattr(view, "keeps_public_pages", False) or getattr(
            getattr(view, "view_class", None), "keeps_public_pages", False
        )


class PrivatePagesMiddleware:
    """A page served to someone logged in is theirs: their sign-ups, tickets, notices,
    data exports, or the registrants and the desk behind a staff login; even a public page
    then carries their name in the header. No browser history or shared proxy may keep it.
    Every personal page needs a login, so the rule needs no list of pages to forget one from."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, private=True, no_store=True)
        return response
