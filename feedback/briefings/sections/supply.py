"""4 以需定供: demand beside supply per category."""

from django.db.models import Count, F, IntegerField, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from activities.models import Category, Event, Registration
from feedback.briefings.figures import chart, figure, section, table
from feedback.briefings.measures import (
    OPEN_NEED_STATES,
    choice_counts,
    within,
)
from feedback.briefings.registry import Context, register
from feedback.models import Need


@register(4, "supply", gettext_lazy("Supply follows demand"))
def supply(ctx: Context) -> dict:
    p = ctx.period
    by_category = ctx.memo.get("by_category", {})  # found by 活动开展, which comes first
    needs = {
        row["category"]: row
        for row in Need.objects.filter(hidden=False)
        .filter(within(p, "created_at") | Q(state__in=OPEN_NEED_STATES, created_at__lt=p.end))
        .values("category")
        .annotate(needs=Count("pk"), supports=Sum("support_count"))
    }
    waiting = dict(
        Registration.objects.filter(status=Registration.Status.WAITING, event__status=Event.Status.APPROVED)
        .filter(within(p, "event__starts_at"))
        .values("event__category")
        .annotate(n=Count("pk"))
        .values_list("event__category", "n")
    )
    confirmed = (
        Registration.objects.filter(event=OuterRef("pk"), status=Registration.Status.CONFIRMED)
        .order_by()
        .values("event")
        .annotate(n=Count("pk"))
        .values("n")[:1]
    )
    offered = {
        row["category"]: row
        for row in Event.objects.filter(status=Event.Status.APPROVED)
        .filter(within(p))
        .annotate(confirmed=Coalesce(Subquery(confirmed, IntegerField()), 0))
        .values("category")
        .annotate(
            events=Count("pk"),
            places=Coalesce(Sum("capacity", filter=Q(signup_required=True)), 0),
            full=Count("pk", filter=Q(signup_required=True, confirmed__gte=F("capacity"))),
        )
    }
    with translation.override("zh-hans"):
        labels = {code: str(Category(code).label) for code in Category.values}
    interest: dict[str, int] = {}
    for choice in choice_counts(ctx):
        for code, label in labels.items():
            if code != Category.OTHER and label in choice["text"]:
                interest[code] = interest.get(code, 0) + choice["chosen"]
    rows = []
    for code in Category.values:
        n, s = needs.get(code, {}), offered.get(code, {})
        demand = {
            "needs": n.get("needs", 0),
            "supports": n.get("supports") or 0,
            "interest": interest.get(code, 0),
            "waiting": waiting.get(code, 0),
            "full": s.get("full", 0),
        }
        offer = {
            "events": s.get("events", 0),
            "places": s.get("places", 0),
            "visits": by_category.get(code, {}).get("visits", 0),
        }
        score = demand["needs"] + demand["supports"] + demand["interest"] + demand["waiting"]
        if not score and not offer["events"]:
            continue
        outruns = demand["waiting"] > 0 or demand["full"] > 0 or (demand["needs"] > 0 and offer["events"] == 0)
        rows.append(
            {
                "category": code,
                "label": str(Category(code).label),
                "score": score,
                "outruns": outruns,
                **demand,
                **offer,
            }
        )
    rows.sort(key=lambda r: (not r["outruns"], -r["score"], r["label"]))
    tables = [
        table(
            "supply.categories",
            _("Demand beside supply, by category (demand outrunning supply first)"),
            [
                _("category"),
                _("needs"),
                _("supports"),
                _("questionnaire interest"),
                _("waiting list"),
                _("full events"),
                _("events offered"),
                _("places"),
                _("person-times"),
                _("demand outruns supply"),
            ],
            [
                [
                    r["label"],
                    r["needs"],
                    r["supports"],
                    r["interest"],
                    r["waiting"],
                    r["full"],
                    r["events"],
                    r["places"],
                    r["visits"],
                    _("yes") if r["outruns"] else "",
                ]
                for r in rows
            ],
        )
    ]
    charts = [
        chart(
            "supply.demand",
            _("Demand: needs + supports + questionnaire interest + waiting list"),
            [(r["label"], r["score"], str(r["score"])) for r in rows],
        ),
        chart(
            "supply.offer",
            _("Supply: places offered (person-times)"),
            [(r["label"], r["places"], f"{r['places']} ({r['visits']})") for r in rows],
        ),
    ]
    figures = [
        figure(
            "supply.outrun",
            _("Categories where demand outruns supply"),
            sum(1 for r in rows if r["outruns"]),
            rows="supply.categories",
            status="attention" if any(r["outruns"] for r in rows) else "ok",
        ),
        figure(
            "supply.waiting",
            _("People left on waiting lists"),
            sum(r["waiting"] for r in rows),
            rows="supply.categories",
        ),
        figure("supply.full", _("Full events"), sum(r["full"] for r in rows), rows="supply.categories"),
    ]
    extra = {"outrun": [r["label"] for r in rows if r["outruns"]]}
    return section(4, "supply", _("Supply follows demand"), figures=figures, tables=tables, charts=charts, extra=extra)
