"""Whole pages for anonymous visitors (and costly figures), kept for a minute in the shared cache.

The home page and the event list are what most villagers open, mostly without logging
in. Their HTML is cached per address and language; any change made through the site —
a successful POST anywhere: a sign-up, a desk scan, an edit in the admin — starts a new
generation (`PublicPageGenerationMiddleware`), so no visitor sees yesterday's places
left. The minute bounds what time alone changes (open now or closed, what is "today").
A visitor with a message waiting, or logged in, always gets a freshly rendered page."""

import hashlib
import re
import time
from functools import wraps

from django.contrib import messages
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import get_token

GENERATION_KEY = "public-pages:generation"
TIMEOUT_SECONDS = 60
# The language switch is a POST form: its CSRF token is per visitor, never cached.
TOKEN_FIELD = re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]*(")')
TOKEN_PLACEHOLDER = b"\x00csrf\x00"


# Each process also keeps what it served, and trusts its copy of the generation for a
# second, so that a page already served needs no query at all. A change made through
# another process shows here within that second; one made through this process, at once.
RECHECK_SECONDS = 1
_local = {"generation": None, "checked": 0.0, "entries": {}}
_LOCAL_ENTRIES = 500


def new_generation() -> None:
    """Forget every cached public page (by moving on; old entries simply expire)."""
    generation = time.time_ns()
    cache.set(GENERATION_KEY, generation, timeout=None)
    _local.update(generation=generation, checked=time.time(), entries={})


def forget_local() -> None:
    """Drop this process's copies (tests start each case from an empty database)."""
    _local.update(generation=None, checked=0.0, entries={})


def _generation():
    now = time.time()
    if now - _local["checked"] >= RECHECK_SECONDS:
        generation = cache.get(GENERATION_KEY)
        if generation != _local["generation"]:
            _local["entries"] = {}
        _local.update(generation=generation, checked=now)
    return _local["generation"]


def _lookup(key: str):
    """(current generation, the value kept under `key` in that generation, or None)."""
    generation, now = _generation(), time.time()
    entry = _local["entries"].get(key) or cache.get(key)
    if entry and entry[0] == generation and entry[1] > now:
        _local["entries"][key] = entry
        return generation, entry[2]
    return generation, None


def _store(key: str, generation, value, timeout: int) -> None:
    entry = (generation, time.time() + timeout, value)
    cache.set(key, entry, timeout)
    if len(_local["entries"]) >= _LOCAL_ENTRIES:
        _local["entries"] = {}
    _local["entries"][key] = entry


def cached(key: str, compute, timeout: int = TIMEOUT_SECONDS):
    """`compute()`, or its value from the cache if nothing has changed since."""
    generation, value = _lookup(key)
    if value is None:
        value = compute()
        _store(key, generation, value, timeout)
    return value


def cache_public_page(view):
    """Serve anonymous GET requests of `view` from the cache when the page is current."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method != "GET" or request.user.is_authenticated or len(messages.get_messages(request)):
            return view(request, *args, **kwargs)
        key = "public-page:" + hashlib.sha256(f"{request.LANGUAGE_CODE}|{request.get_full_path()}".encode()).hexdigest()
        generation, page = _lookup(key)
        if page is not None:
            content_type, body = page
            return HttpResponse(body.replace(TOKEN_PLACEHOLDER, get_token(request).encode()), content_type=content_type)
        response = view(request, *args, **kwargs)
        if response.status_code == 200 and not response.streaming:
            body = TOKEN_FIELD.sub(rb"\1" + TOKEN_PLACEHOLDER + rb"\2", response.content)
            _store(key, generation, (response["Content-Type"], body), TIMEOUT_SECONDS)
        return response

    return wrapper
