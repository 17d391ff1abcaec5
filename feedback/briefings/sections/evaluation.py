"""3 群众评价与需求: evaluation coverage and satisfaction, needs, questionnaire highlights."""

from datetime import timedelta

from django.db.models import Avg, Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from activities.models import Category
from feedback.briefings.figures import figure, rate, section, table
from feedback.briefings.measures import (
    NEED_OVERDUE_DAYS,
    OPEN_NEED_STATES,
    choice_counts,
    event_counts,
    held_events,
    satisfaction,
    versus,
    village_label,
    within,
)
from feedback.briefings.registry import Context, register
from feedback.models import Evaluation, Need
from feedback.models import Response as SurveyResponse


@register(3, "evaluation", gettext_lazy("Evaluations and needs"))
def evaluation(ctx: Context) -> dict:
    p, t = ctx.period, ctx.targets
    events = ctx.once("events", lambda: event_counts(ctx))
    rated = ctx.once("satisfaction", lambda: satisfaction(ctx))
    held = held_events(p, ctx.now)
    lowest = list(
        Evaluation.objects.filter(event__in=held)
        .values("event", "event__title", "event__starts_at")
        .annotate(average=Avg("rating"), n=Count("pk"))
        .order_by("average", "event__starts_at")[:5]
    )
    comments: dict[int, list[str]] = {}
    if lowest:
        texts = (
            Evaluation.objects.filter(event__in=[row["event"] for row in lowest])
            .exclude(improve="", wish="")
            .values_list("event", "rating", "improve", "wish")
            .order_by("rating", "pk")[:60]
        )
        for event_id, rating, improve, wish in texts:
            comments.setdefault(event_id, [])
            if len(comments[event_id]) < 3:
                comments[event_id].append(f"{rating}★ " + "；".join(x for x in (improve, wish) if x))
    overdue_before = p.end - timedelta(days=NEED_OVERDUE_DAYS)
    needs = Need.objects.filter(hidden=False)
    open_now = Q(state__in=OPEN_NEED_STATES, created_at__lt=p.end)
    counts = needs.aggregate(
        received=Count("pk", filter=within(p, "created_at")),
        answered=Count("pk", filter=within(p, "created_at") & ~Q(state=Need.State.RECEIVED)),
        open=Count("pk", filter=open_now),
        overdue=Count("pk", filter=open_now & Q(created_at__lt=overdue_before)),
    )
    listed = needs.filter(within(p, "created_at") | open_now).order_by("created_at", "pk")
    received_rows, overdue_rows = [], []
    for n in listed.only("pk", "created_at", "category", "village", "text", "state", "support_count"):
        posted = timezone.localtime(n.created_at).date()
        row = [
            n.pk,
            posted.isoformat(),
            str(Category(n.category).label),
            village_label(n.village),
            n.text[:60],
            n.get_state_display(),
            n.support_count,
        ]
        if p.first <= posted <= p.last:
            received_rows.append(row)
        if n.state in OPEN_NEED_STATES and n.created_at < overdue_before:
            overdue_rows.append([*row, (p.last - posted).days])
    highlights, highlight_rows = _questionnaire_highlights(ctx)
    figures = [
        rate(
            "evaluation.coverage",
            _("Evaluation coverage (events evaluated ÷ events held)"),
            events["evaluated"],
            events["held"],
            rows="activities.events",
        ),
        rate(
            "evaluation.satisfaction",
            _("Satisfaction (4–5 stars)"),
            rated["happy"],
            rated["count"],
            rows="activities.events",
            target=f"≥ {t.satisfaction_percent:g}%",
            status=versus(
                100 * rated["happy"] / rated["count"] if rated["count"] else None, float(t.satisfaction_percent)
            )
            if rated["count"]
            else "",
        ),
        figure(
            "evaluation.average",
            _("Average rating"),
            round(rated["average"], 2) if rated["average"] is not None else None,
            unit=" ★",
        ),
        figure("needs.received", _("Needs received in the period"), counts["received"], rows="needs.received"),
        rate(
            "needs.answered",
            _("Of them answered (moved on from “received”)"),
            counts["answered"],
            counts["received"],
            rows="needs.received",
        ),
        figure("needs.open", _("Needs still open at the end of the period"), counts["open"]),
        figure(
            "needs.overdue",
            _("Open for more than %(days)s days") % {"days": NEED_OVERDUE_DAYS},
            counts["overdue"],
            rows="needs.overdue",
            status="attention" if counts["overdue"] else "ok",
        ),
    ]
    tables = [
        table(
            "needs.received",
            _("Needs received in the period"),
            [_("no."), _("posted"), _("category"), _("village"), _("need"), _("state"), _("support")],
            received_rows,
        ),
        table(
            "evaluation.lowest",
            _("Lowest-rated events, with what people said"),
            [_("event"), _("date"), _("average"), _("evaluations"), _("comments")],
            [
                [
                    row["event__title"],
                    timezone.localtime(row["event__starts_at"]).date().isoformat(),
                    round(row["average"], 2),
                    row["n"],
                    " / ".join(comments.get(row["event"], [])),
                ]
                for row in lowest
            ],
        ),
        table(
            "needs.overdue",
            _("Needs open for more than %(days)s days") % {"days": NEED_OVERDUE_DAYS},
            [_("no."), _("posted"), _("category"), _("village"), _("need"), _("state"), _("support"), _("days open")],
            overdue_rows,
        ),
        table(
            "questionnaires.highlights",
            _("Questionnaire highlights"),
            [_("questionnaire"), _("question"), _("answer"), _("chosen"), _("n"), _("share"), _("margin (95%)")],
            highlight_rows,
        ),
    ]
    extra = {"lowest_comments": {str(k): v for k, v in comments.items()}, "highlights": highlights}
    return section(3, "evaluation", _("Evaluations and needs"), figures=figures, tables=tables, extra=extra)


def _questionnaire_highlights(ctx: Context):
    responses = dict(
        SurveyResponse.objects.filter(within(ctx.period, "created_at"))
        .values("questionnaire")
        .annotate(n=Count("pk"))
        .values_list("questionnaire", "n")
    )
    highlights, rows, shown = [], [], {}
    for choice in choice_counts(ctx):
        question = choice["question"]
        shown[question] = shown.get(question, 0) + 1
        if shown[question] > 3:
            continue
        n = choice["n"] or 0
        share = rate("q", "", choice["chosen"], n)
        rows.append(
            [
                choice["question__questionnaire__title"],
                choice["question__text"],
                choice["text"],
                choice["chosen"],
                n,
                share["display"],
                f"±{share.get('margin', 0):.1f}",
            ]
        )
        if shown[question] == 1:
            highlights.append(
                {
                    "questionnaire": choice["question__questionnaire__title"],
                    "responses": responses.get(choice["question__questionnaire"], 0),
                    "question": choice["question__text"],
                    "answer": choice["text"],
                    "share": share["display"],
                    "margin": share.get("margin", 0),
                    "n": n,
                    "small_n": share["small_n"],
                }
            )
    return highlights, rows
