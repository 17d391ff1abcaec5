"""9 存在问题与下步打算: flags from the figures, next steps and last issue's followed up."""

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from activities.models import Event
from feedback.briefings.figures import section, table
from feedback.briefings.period import Period
from feedback.briefings.registry import Context, register
from feedback.models import Briefing, Evaluation, Need


def step_state(step_needs, step_events, now) -> str:
    """done / under_way / not_started / unlinked, from the needs and events a next step names."""
    links = [n.state in (Need.State.DELIVERED, Need.State.EVALUATED) for n in step_needs]
    links += [e.status == Event.Status.APPROVED and e.ends_at <= now and e.evaluated for e in step_events]
    started = [n.state not in (Need.State.RECEIVED, Need.State.REVIEWING) for n in step_needs]
    started += [e.status == Event.Status.APPROVED for e in step_events]
    if not links:
        return "unlinked"
    if all(links):
        return "done"
    return "under_way" if any(links) or any(started) else "not_started"


STEP_STATES = {
    "done": gettext_lazy("Done"),
    "under_way": gettext_lazy("Under way"),
    "not_started": gettext_lazy("Not started"),
    "unlinked": gettext_lazy("Not linked to a need or event"),
}


def _steps(briefing: Briefing, now) -> list[dict]:
    from django.db.models import Prefetch

    events = Event.objects.annotate(evaluated=Exists(Evaluation.objects.filter(event=OuterRef("pk")))).only(
        "pk", "title", "status", "ends_at", "starts_at"
    )
    steps = briefing.next_steps.prefetch_related(
        Prefetch("needs", Need.objects.only("pk", "text", "state")),
        Prefetch("events", events),
        Prefetch("evaluations", Evaluation.objects.select_related("event").only("pk", "rating", "event__title")),
    )
    result = []
    for step in steps:
        needs, linked_events = list(step.needs.all()), list(step.events.all())
        state = step_state(needs, linked_events, now)
        result.append(
            {
                "text": step.text,
                "state": state,
                "state_label": str(STEP_STATES[state]),
                "needs": [f"#{n.pk} {n.text[:30]}（{n.get_state_display()}）" for n in needs],
                "events": [f"{e.title}（{_event_state(e, now)}）" for e in linked_events],
                "evaluations": [f"{ev.event.title} {ev.rating}★" for ev in step.evaluations.all()],
            }
        )
    return result


def _event_state(event, now) -> str:
    if event.status == Event.Status.APPROVED and event.ends_at <= now and event.evaluated:
        return _("held and evaluated")
    return _("not yet held and evaluated")


def previous_briefing(briefing: Briefing | None, period: Period) -> Briefing | None:
    """The last signed-off regular briefing whose period ended before this one starts."""
    earlier = Briefing.objects.signed().filter(kind=Briefing.Kind.REGULAR, ends_on__lt=period.first)
    if briefing is not None and briefing.pk:
        earlier = earlier.exclude(pk=briefing.pk)
    return earlier.order_by("-ends_on", "-version").first()


@register(9, "issues", gettext_lazy("Problems and next steps"))
def issues(ctx: Context) -> dict:
    flags = []
    for result in ctx.results.values():
        for fig in result["figures"]:
            if fig["status"] == "behind":
                flag = _("%(label)s: %(value)s, target %(target)s") % {
                    "label": fig["label"],
                    "value": fig["display"],
                    "target": fig["target"],
                }
            elif fig["status"] == "attention" and fig["key"] != "supply.outrun":  # named with its categories below
                flag = _("%(label)s: %(value)s") % {"label": fig["label"], "value": fig["display"]}
            else:
                continue
            if flag not in flags:  # 满意率 is shown in 总体情况 and again in 群众评价
                flags.append(flag)
    from_figures = len(flags)
    events = ctx.memo.get("events")
    if events and events["held"] > events["evaluated"]:
        flags.append(
            _("%(count)s of %(held)s events held have no evaluation yet")
            % {"count": events["held"] - events["evaluated"], "held": events["held"]}
        )
    outrun = ctx.results.get("supply", {}).get("extra", {}).get("outrun", [])
    if outrun:
        flags.append(_("Demand outruns supply in: %(categories)s") % {"categories": "、".join(outrun)})
    previous = previous_briefing(ctx.briefing, ctx.period)
    carried = _steps(previous, ctx.now) if previous else []
    own = _steps(ctx.briefing, ctx.now) if ctx.briefing is not None and ctx.briefing.pk else []
    tables = [
        table(
            "issues.carried",
            _("Next steps of the previous briefing and where they stand"),
            [_("next step"), _("state"), _("needs"), _("events")],
            [[s["text"], s["state_label"], "；".join(s["needs"]), "；".join(s["events"])] for s in carried],
        ),
        table(
            "issues.next_steps",
            _("Next steps"),
            [_("next step"), _("needs it answers"), _("events"), _("evaluations it answers")],
            [[s["text"], "；".join(s["needs"]), "；".join(s["events"]), "；".join(s["evaluations"])] for s in own],
        ),
    ]
    extra = {
        "previous": previous.issue_label if previous else "",
        "carried": carried,
        "next_steps": own,
        "other_flags": flags[from_figures:],  # those not already a figure's own mark
    }
    return section(9, "issues", _("Problems and next steps"), flags=flags, tables=tables, extra=extra)
