"""Parts of the ground-floor pages (home, “My account”) that other apps own.

`culturecenter` imports no app; an app registers its part in `AppConfig.ready()`
with a template and a function that builds its context from the request."""

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest

PAGES = ("home", "account_summary", "account", "event")


@dataclass(frozen=True)
class Section:
    template: str
    context: Callable[..., dict | None]


_registry: dict[str, list[Section]] = {page: [] for page in PAGES}


def register(page: str, template: str, context: Callable[..., dict | None]) -> None:
    if Section(template, context) not in _registry[page]:
        _registry[page].append(Section(template, context))


def render_context(page: str, request: HttpRequest, **objects) -> list[dict]:
    """[{"template": ..., "context": {...}}] for each section with something to show.
    `objects` (e.g. the event of an event page) are passed on to the context functions."""
    parts = []
    for section in _registry[page]:
        context = section.context(request, **objects)
        if context is not None:
            parts.append({"template": section.template, "context": context})
    return parts
