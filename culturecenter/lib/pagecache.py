"""Whole pages for anonymous visitors (and costly figures), kept for a minute in the shared cache.

The home page and the event list are what most villagers open, mostly without logging
in. Their HTML is cached per address and language; any change made through the site —
a successful POST anywhere: a sign-up, a desk scan, an edit in the admin — starts a new
generation (`PublicPageGenerationMiddleware`; views marked `keeps_public_pages`, such as the
language switch and login, do not), so no visitor sees yesterday's places
left. The minute bounds what time alone changes (open now or closed, what is "today").
A visitor with a message waiting, or logged in, always gets a freshly rendered page."""

import hashlib
import re
import time
from functools import wraps
from urllib.parse import urlencode

from django.contrib import messages
from django.core.cache import cache
from django.http import HttpResponse, HttpResponseRedirect
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


def _lookup(key: str, *, shared: bool = True):
    """(current generation, the value kept under `key` in that generation, or None)."""
    generation, now = _generation(), time.time()
    entry = _local["entries"].get(key) or (cache.get(key) if shared else None)
    if entry and entry[0] == generation and entry[1] > now:
        _local["entries"][key] = entry
        return generation, entry[2]
    return generation, None


def _store(key: str, generation, value, timeout: int, *, shared: bool = True) -> None:
    entry = (generation, time.time() + timeout, value)
    if shared:
        cache.set(key, entry, timeout)
    if len(_local["entries"]) >= _LOCAL_ENTRIES:
        _local["entries"] = {}
    _local["entries"][key] = entry


def cached(key: str, compute, timeout: int = TIMEOUT_SECONDS, *, shared: bool = True):
    """`compute()`, or its value from the cache if nothing has changed since. What takes
    fewer queries to compute than to fetch and store in the shared cache (`shared=False`:
    a few rows, a fragment of a page) is kept by each process only."""
    generation, value = _lookup(key, shared=shared)
    if value is None:
        value = compute()
        _store(key, generation, value, timeout, shared=shared)
    return value


def canonical_query(request, params) -> tuple[str, bool]:
    """The query string as the page understands it (known parameters, trimmed, in a fixed
    order, empty ones dropped) and whether the request carried anything else."""
    pairs = []
    for name in params:
        for value in request.GET.getlist(name):
            value = value.strip()
            if value and (name != "page" or value.isdigit()):
                pairs.append((name, value))
    unknown = any(name not in params for name in request.GET)
    return urlencode(pairs), unknown


def cache_public_page(view=None, *, params=()):
    """Serve anonymous GET requests of `view` from the cache when the page is current.

    The page is kept once per language and per query the page understands (`params`): a
    made-up parameter (`?x=123`) is redirected away rather than rendered and stored anew."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method != "GET" or request.user.is_authenticated or len(messages.get_messages(request)):
                return view(request, *args, **kwargs)
            query, unknown = canonical_query(request, params)
            if unknown:
                return HttpResponseRedirect(request.path + (f"?{query}" if query else ""))
            page_id = f"{request.LANGUAGE_CODE}|{request.path}?{query}"
            key = "public-page:" + hashlib.sha256(page_id.encode()).hexdigest()
            generation, page = _lookup(key)
            if page is not None:
                content_type, body = page
                token = get_token(request).encode()
                return HttpResponse(body.replace(TOKEN_PLACEHOLDER, token), content_type=content_type)
            response = view(request, *args, **kwargs)
            if response.status_code == 200 and not response.streaming:
                body = TOKEN_FIELD.sub(rb"\1" + TOKEN_PLACEHOLDER + rb"\2", response.content)
                _store(key, generation, (response["Content-Type"], body), TIMEOUT_SECONDS)
            return response

        return wrapper

    return decorator(view) if view is not None else decorator


def keeps_public_pages(view):
    """Mark a view whose POSTs never change what anonymous visitors see (a language switch,
    a login): they must not throw every cached page away."""
    view.keeps_public_pages = True
    return view
