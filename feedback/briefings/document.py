"""The briefing as a document: its snapshot (every figure, table, chart and text as plain JSON),
the HTML rendered from it, and what changed between two versions."""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation

import feedback.briefings.sections  # noqa: F401  (registers the sections)
from culturecenter.lib.charts import hbar_chart
from feedback.briefings.period import Period
from feedback.briefings.registry import Context, compute_all
from feedback.models import Briefing, BriefingTargets


def period_of(briefing: Briefing) -> Period:
    return Period(briefing.starts_on, briefing.ends_on)


def snapshot(briefing: Briefing, *, now=None) -> dict:
    """Everything the briefing shows, computed now, in the center's language (a briefing is an
    official document in Chinese whatever language the page is read in). Stored at sign-off."""
    with translation.override(settings.LANGUAGE_CODE):
        return _snapshot(briefing, now=now)


def _snapshot(briefing: Briefing, *, now=None) -> dict:
    now = now or timezone.now()
    targets = BriefingTargets.current()
    period = period_of(briefing)
    ctx = Context(period=period, targets=targets, now=now, briefing=briefing)
    sections = compute_all(ctx)
    return {
        "title": briefing.title,
        "period": {"first": period.first.isoformat(), "last": period.last.isoformat(), "label": period.label()},
        "computed_at": f"{timezone.localtime(now):%Y-%m-%d %H:%M}",
        "issuing_body": targets.issuing_body,
        "sent_to": targets.sent_to,
        "copies": targets.copies,
        "sections": sections,
        "texts": dict(briefing.texts),
        "annotations": dict(briefing.annotations),
    }


def live_context(period: Period, *, now=None) -> list[dict]:
    """The sections for a period without a briefing (the indicators dashboard)."""
    ctx = Context(period=period, targets=BriefingTargets.current(), now=now or timezone.now())
    return compute_all(ctx)


def figures_by_key(data: dict) -> dict:
    return {fig["key"]: fig for sec in data["sections"] for fig in sec["figures"]}


def tables_by_key(data: dict) -> dict:
    return {tab["key"]: tab for sec in data["sections"] for tab in sec["tables"]}


def changes(old: dict | None, new: dict) -> list[dict]:
    """What differs between two snapshots: figures whose value changed, appeared or went, and
    sections whose text was rewritten."""
    if not old:
        return []
    result = []
    before, after = figures_by_key(old), figures_by_key(new)
    for key in [*before, *(k for k in after if k not in before)]:
        a, b = before.get(key), after.get(key)
        if a is None or b is None or a["display"] != b["display"]:
            result.append(
                {
                    "kind": "figure",
                    "key": key,
                    "label": (b or a)["label"],
                    "before": a["display"] if a else "—",
                    "after": b["display"] if b else "—",
                }
            )
    titles = {sec["key"]: sec["title"] for sec in new["sections"]}
    for key in sorted(set(old.get("texts", {})) | set(new.get("texts", {}))):
        a, b = old.get("texts", {}).get(key, ""), new.get("texts", {}).get(key, "")
        if a.strip() != b.strip():
            result.append({"kind": "text", "key": key, "label": titles.get(key, key), "before": a, "after": b})
    return result


ORDINALS = "一二三四五六七八九十"
# Long tables of the rows behind the figures: folded on screen, left out of print (they are in the XLSX).
DETAIL_TABLES = ("activities.events", "venues.days")
# Figures about people with a disability or in hardship: never on the public page.
PRIVATE_FIGURES = ("activities.disabled", "activities.hardship")


def _drawn(data: dict) -> list[dict]:
    """The sections with their charts drawn and their notes attached, ready for the template;
    numbered 一、二、… in the order they appear."""
    annotations = data.get("annotations", {})
    drawn = []
    for index, sec in enumerate(data["sections"]):
        figures = [
            {**fig, "annotation": annotations.get(fig["key"], ""), "private": fig["key"] in PRIVATE_FIGURES}
            for fig in sec["figures"]
        ]
        charts = [hbar_chart([tuple(p) for p in c["points"]], title=c["title"], width=520) for c in sec["charts"]]
        drawn.append(
            {
                **sec,
                "ordinal": ORDINALS[index] if index < len(ORDINALS) else str(index + 1),
                "figures": figures,
                "drawn_charts": charts,
                "text": data.get("texts", {}).get(sec["key"], ""),
            }
        )
    return drawn


def render(briefing: Briefing, data: dict, *, public=False) -> str:
    """The body of the briefing (报头, sections, 报尾) as HTML; the same for screen, print and PDF."""
    with translation.override(settings.LANGUAGE_CODE):
        return _render(briefing, data, public)


def _render(briefing, data, public) -> str:
    return render_to_string(
        "feedback/briefings/_document.html",
        {
            "briefing": briefing,
            "data": data,
            "sections": _drawn(data),
            "public": public,
            "detail_tables": DETAIL_TABLES,
        },
    )
