"""1 总体情况: the key indicators against the targets and the pace of the year."""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from feedback.briefings.figures import figure, percent_text, rate, section
from feedback.briefings.measures import (
    attendance,
    event_counts,
    opening_hours,
    satisfaction,
    versus,
)
from feedback.briefings.registry import Context, register


@register(1, "overview", gettext_lazy("Overview"))
def overview(ctx: Context) -> dict:
    t, p = ctx.targets, ctx.period
    events = ctx.once("events", lambda: event_counts(ctx))
    came = ctx.once("attendance", lambda: attendance(ctx))
    rated = ctx.once("satisfaction", lambda: satisfaction(ctx))
    hours = ctx.once("hours", lambda: opening_hours(ctx, p))
    today = timezone.localdate(ctx.now)
    pace = round(t.activities_per_year * p.year_fraction(today))
    reading_pace = round(t.reading_activities_per_year * p.year_fraction(today))
    satisfied = rate(
        "overview.satisfaction",
        _("Satisfaction (4–5 stars)"),
        rated["happy"],
        rated["count"],
        rows="activities.events",
        target=f"≥ {t.satisfaction_percent:g}%",
        last_year=percent_text(rated["happy_ly"], rated["count_ly"]),
    )
    if satisfied["value"] is not None:
        satisfied["status"] = versus(satisfied["value"], float(t.satisfaction_percent))
    figures = [
        figure(
            "overview.held",
            _("Activities held in the period"),
            events["held"],
            unit=_(" events"),
            rows="activities.events",
            last_year=events["held_ly"],
        ),
        figure(
            "overview.ytd",
            _("Activities held this year so far"),
            events["ytd"],
            unit=_(" events"),
            target=_("%(target)s a year; by week %(week)s the pace is %(pace)s")
            % {"target": t.activities_per_year, "week": p.week_of_year(today), "pace": pace},
            last_year=events["ytd_ly"],
            status=versus(events["ytd"], pace),
        ),
        figure(
            "overview.reading_ytd",
            _("Reading activities this year so far"),
            events["reading_ytd"],
            unit=_(" events"),
            target=_("%(target)s a year; pace %(pace)s")
            % {"target": t.reading_activities_per_year, "pace": reading_pace},
            status=versus(events["reading_ytd"], reading_pace),
        ),
        figure(
            "overview.visits",
            _("Attendance (person-times)"),
            came["visits"],
            unit=_(" person-times"),
            rows="activities.events",
            last_year=came["visits_ly"],
        ),
        figure(
            "overview.people",
            _("Different people who took part"),
            came["people"],
            unit=_(" people"),
            last_year=came["people_ly"],
        ),
        satisfied,
    ]
    if hours["has_schedule"]:
        per_week = round(hours["per_week"], 1)
        figures.append(
            figure(
                "overview.open_hours",
                _("Open hours a week (average)"),
                per_week,
                unit=_(" h"),
                rows="venues.days",
                target=f"≥ {t.open_hours_per_week:g}",
                status=versus(per_week, float(t.open_hours_per_week)),
            )
        )
    return section(1, "overview", _("Overview"), figures=figures)
