"""6 阵地开放: open hours against the standard, evening and staggered hours, room use by room."""

from django.db.models import Count, DurationField, ExpressionWrapper, F, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from activities.models import Event, Occupancy, Venue
from feedback.briefings.figures import figure, rate, section, table
from feedback.briefings.measures import (
    opening_hours,
    versus,
    within,
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
    rooms = room_use(ctx)
    figures.append(
        figure("venues.room_hours", _("Hours the rooms were in use"), rooms["hours"], unit=_(" h"), rows="venues.rooms")
    )
    tables = [
        table(
            "venues.rooms",
            _("Room use by room"),
            [_("room"), *[str(label) for _kind, label in USES], _("hours in use"), _("share of open hours")],
            rooms["rows"],
        ),
        table(
            "venues.days",
            _("Opening hours day by day"),
            [_("date"), _("open"), _("open hours"), _("evening hours")],
            hours["days"],
        ),
    ]
    return section(6, "venues", _("Opening of the center"), figures=figures, tables=tables)


USES = [(kind, Occupancy.Kind(kind).label) for kind in Occupancy.Kind.values if kind != Occupancy.Kind.CLOSURE]


def room_use(ctx: Context) -> dict:
    """Uses of each room of the center from its calendar (occupancies; a freed claim is gone),
    closures and cancelled events left out, counted and timed in the database."""
    p = ctx.period
    hours = ctx.once("hours", lambda: opening_hours(ctx, p))
    used = (
        Occupancy.objects.filter(venue__kind=Venue.Kind.ROOM, venue__in_center=True)
        .filter(within(p))
        .exclude(kind=Occupancy.Kind.CLOSURE)
        .exclude(event__status=Event.Status.CANCELLED)
        .values("venue__name", "kind")
        .annotate(n=Count("pk"), length=Sum(ExpressionWrapper(F("ends_at") - F("starts_at"), DurationField())))
        .order_by("venue__name")
    )
    by_room: dict[str, dict] = {}
    for row in used:
        room = by_room.setdefault(row["venue__name"], {"hours": 0.0})
        room[row["kind"]] = row["n"]
        room["hours"] += row["length"].total_seconds() / 3600 if row["length"] else 0
    rows = [
        [
            name,
            *[room.get(kind, 0) for kind, _label in USES],
            round(room["hours"], 1),
            f"{100 * room['hours'] / hours['open']:.0f}%" if hours["open"] else _("no data"),
        ]
        for name, room in sorted(by_room.items(), key=lambda item: -item[1]["hours"])
    ]
    return {"hours": round(sum(room["hours"] for room in by_room.values()), 1), "rows": rows}
