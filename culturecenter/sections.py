"""Parts of the ground-floor pages (home, “My account”) that other apps own.

`culturecenter` imports no app; an app registers its part in `AppConfig.ready()`
with a template and a function that builds its context from the request. A part that is
the same for every visitor (`shared`, such as the week's events on the home page) is
rendered once and kept in the page cache, for logged-in visitors too; its context
function gets the request only, not the page's objects."""

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest
from django.template.loader import render_to_string

from culturecenter.lib import pagecache

PAGES = ("home", "account_summary", "account", "event")


@dataclass(frozen=True)
class Section:
    template: str
    context: Callable[..., dict | None]
    shared: bool = False


_registry: dict[str, list[Section]] = {page: [] for page in PAGES}


def register(page: str, template: str, context: Callable[..., dict | None], *, shared: bool = False) -> None:
    section = Section(template, context, shared)
    if section not in _registry[page]:
        _registry[page].append(section)


def render_context(page: str, request: HttpRequest, **objects) -> list[dict]:
    """[{"template": ..., "context": {...}}] for each section with something to show, or
    {"html": ...} for a shared one, already rendered. `objects` (e.g. the event of an event
    page) are passed on to the context functions."""
    sections = _registry[page]
    if any(section.shared for section in sections):
        key = f"sections:{request.LANGUAGE_CODE}:{page}"
        shared = pagecache.cached(
            key, lambda: {s.template: _render(s, request) for s in sections if s.shared}, shared=False
        )
    parts = []
    for section in sections:
        if section.shared:
            if shared.get(section.template):
                parts.append({"html": shared[section.template]})
            continue
        context = section.context(request, **objects)
        if context is not None:
            parts.append({"template": section.template, "context": context})
    return parts


def _render(section: Section, request: HttpRequest) -> str:
    context = section.context(request)
    return "" if context is None else render_to_string(section.template, {"section": context}, request=request)
