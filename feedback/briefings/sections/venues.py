"""6 阵地开放: open hours against the standard, evening and staggered hours."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from feedback.briefings.figures import figure, rate, section, table
from feedback.briefings.measures import (
    opening_hours,
    versus,
)
from feedback.briefings.registry import Context, register


@register(6, "venues", gettext_lazy("Opening of the center"))
def venues(ctx: Context) -> dict:
    t = ctx.targets
    hours = ctx.once("hours", lambda: opening_hours(ctx, ctx.period))
    if not hours["has_schedule"]:
        figures = [figure("venues.per_week", _("Open hours a week (average)"), None)]
    else:
        per_week = round(hours["per_week"], 1)
        target_share = float(t.evening_share_percent)
        evening = rate(
            "venues.evening_share",
            _("Evening share of open hours (from 18:00)"),
            round(hours["evening"] * 60),
            round(hours["open"] * 60),
            rows="venues.days",
            target=f"≥ {t.evening_share_percent:g}%",
        )
        staggered = rate(
            "venues.staggered_share",
            _("Evening and staggered (weekend) share of open hours"),
            round(hours["staggered"] * 60),
            round(hours["open"] * 60),
            rows="venues.days",
            target=f"≥ {t.evening_share_percent:g}%",
        )
        for share in (evening, staggered):
            share["n"], share["small_n"] = None, False  # minutes of a timetable, not a sample
            if share["value"] is not None:
                share["status"] = versus(share["value"], target_share)
        figures = [
            figure(
                "venues.per_week",
                _("Open hours a week (average)"),
                per_week,
                unit=_(" h"),
                rows="venues.days",
                target=f"≥ {t.open_hours_per_week:g}",
                status=versus(per_week, float(t.open_hours_per_week)),
            ),
            figure(
                "venues.open", _("Open hours in the period"), round(hours["open"], 1), unit=_(" h"), rows="venues.days"
            ),
            evening,
            staggered,
        ]
    tables = [
        table(
            "venues.days",
            _("Opening hours day by day"),
            [_("date"), _("open"), _("open hours"), _("evening hours")],
            hours["days"],
        )
    ]
    return section(6, "venues", _("Opening of the center"), figures=figures, tables=tables)
