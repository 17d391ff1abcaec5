"""Bounded lock waits: a service that locks rows waits at most a few seconds for another
desk's transaction, then gives up with a "try again" message instead of hanging the page
(pretix sets `lock_timeout` the same way). Only PostgreSQL waits for row locks; SQLite
serialises whole transactions and needs nothing here."""

import functools

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import OperationalError, connection, transaction
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

LOCK_TIMEOUT_MS = 3000
# PostgreSQL's codes for "lock_timeout passed" and "deadlock detected".
LOCK_FAILURES = {"55P03", "40P01"}


class TryAgain(ValidationError):
    """Another transaction held the rows too long; nothing was changed."""

    def __init__(self):
        super().__init__(_("The system is busy; please try again."))


def bound_lock_wait(milliseconds: int | None = None) -> None:
    """Inside a transaction: wait at most this long (`LOCK_TIMEOUT_MS`) for any row lock."""
    if connection.vendor == "postgresql" and connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL lock_timeout = '{int(milliseconds or LOCK_TIMEOUT_MS)}ms'")


def _is_lock_failure(error: OperationalError) -> bool:
    cause = error.__cause__
    return getattr(cause, "sqlstate", None) in LOCK_FAILURES or getattr(cause, "pgcode", None) in LOCK_FAILURES


def locking(service):
    """Run a service in one transaction whose lock waits are bounded; a lock not
    obtained in time (or a deadlock PostgreSQL broke) becomes `TryAgain`."""

    @functools.wraps(service)
    def wrapper(*args, **kwargs):
        try:
            with transaction.atomic():
                bound_lock_wait()
                return service(*args, **kwargs)
        except OperationalError as error:
            if _is_lock_failure(error):
                raise TryAgain() from error
            raise

    return wrapper


class TryAgainMiddleware:
    """A service gave up waiting for a lock: say so in the page the person came from
    (for a form, the form again) rather than showing an error page. A GET should never
    lock; if one does, it gets the short "back in a moment" page, not a redirect loop."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, TryAgain):
            return None
        if request.method not in ("POST", "PUT", "PATCH", "DELETE"):
            body = render_to_string("503.html", {"center_phone": settings.CENTER_PHONE}, request=request)
            return HttpResponse(body, status=503, headers={"Retry-After": "3", "Cache-Control": "no-store"})
        messages.error(request, " ".join(exception.messages))
        back = request.headers.get("referer", "")
        if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
            back = request.get_full_path()
        return redirect(back)
