"""2 活动开展: events by category and venue, 文化下乡 by village, services for special groups."""

from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from activities.models import Audience, Booking, Category, Registration
from feedback.briefings.figures import chart, figure, section, table
from feedback.briefings.measures import (
    SPECIAL_AUDIENCES,
    checked_in,
    held_events,
    village_label,
    within,
)
from feedback.briefings.registry import Context, register
from feedback.models import SATISFIED_FROM_RATING, Evaluation


@register(2, "activities", gettext_lazy("Activities held"))
def activities(ctx: Context) -> dict:
    held = held_events(ctx.period, ctx.now)
    by_category = ctx.once(
        "by_category",
        lambda: {
            row["category"]: row
            for row in held.values("category").annotate(
                events=Count("pk", distinct=True),
                visits=Count("registrations", filter=checked_in()),
                people=Count("registrations__member", distinct=True, filter=checked_in()),
            )
        },
    )
    by_venue = list(
        held.values("venue__name", "venue__in_center", "venue__village")
        .annotate(events=Count("pk", distinct=True), visits=Count("registrations", filter=checked_in()))
        .order_by("-venue__in_center", "-events", "venue__name")
    )
    audiences = dict(
        held.filter(audiences__code__in=SPECIAL_AUDIENCES)
        .values("audiences__code")
        .annotate(events=Count("pk", distinct=True))
        .values_list("audiences__code", "events")
    )
    year = ctx.period.last.year
    came = Registration.objects.filter(checked_in_at__isnull=False, event__in=held)
    groups = {
        Audience.ELDERLY: Q(member__birth_year__lte=year - 60),
        Audience.MINORS: Q(member__birth_year__gt=year - 18),
        Audience.DISABLED: Q(member__is_disabled=True),
        Audience.HARDSHIP: Q(member__has_hardship=True),
    }
    reached = came.aggregate(
        **{f"{code}_visits": Count("pk", filter=q) for code, q in groups.items()},
        **{f"{code}_people": Count("member", distinct=True, filter=q) for code, q in groups.items()},
    )
    rows = _event_rows(held)
    categories = sorted(by_category.values(), key=lambda r: -r["events"])
    villages: dict[str, list[int]] = {}
    for row in by_venue:
        if not row["venue__in_center"]:
            counts = villages.setdefault(row["venue__village"] or "", [0, 0])
            counts[0] += row["events"]
            counts[1] += row["visits"]
    figures = [
        figure("activities.held", _("Events held"), sum(r["events"] for r in categories), rows="activities.events"),
        figure(
            "activities.village",
            _("Events out in the villages (文化下乡)"),
            sum(c[0] for c in villages.values()),
            rows="activities.villages",
        ),
    ]
    figures += [
        figure(
            f"activities.{code}",
            _("Services for %(group)s: events / person-times / people") % {"group": Audience(code).label},
            audiences.get(code, 0),
            unit=_(" events"),
            rows="activities.groups",
            note=_("%(visits)s person-times, %(people)s people")
            % {"visits": reached[f"{code}_visits"], "people": reached[f"{code}_people"]},
        )
        for code in SPECIAL_AUDIENCES
    ]
    hosted = hosted_events(ctx)
    figures.append(
        figure(
            "activities.hosted",
            _("Meetings and big events hosted"),
            len(hosted),
            rows="activities.hosted",
            note=_("%(people)s people recorded") % {"people": sum(row[4] or 0 for row in hosted)},
        )
    )
    tables = [
        table(
            "activities.hosted",
            _("Meetings and big events hosted"),
            [_("date"), _("title"), _("organiser"), _("purpose"), _("attendance")],
            hosted,
        ),
        table(
            "activities.categories",
            _("Events by category"),
            [_("category"), _("events"), _("person-times"), _("people")],
            [[str(Category(r["category"]).label), r["events"], r["visits"], r["people"]] for r in categories],
        ),
        table(
            "activities.venues",
            _("Events by venue"),
            [_("venue"), _("village"), _("events"), _("person-times")],
            [
                [
                    r["venue__name"],
                    _("the center") if r["venue__in_center"] else village_label(r["venue__village"]),
                    r["events"],
                    r["visits"],
                ]
                for r in by_venue
            ],
        ),
        table(
            "activities.villages",
            _("Culture to the villages (文化下乡) by village"),
            [_("village"), _("events"), _("person-times")],
            [[village_label(v), c[0], c[1]] for v, c in sorted(villages.items(), key=lambda i: -i[1][0])],
        ),
        table(
            "activities.groups",
            _("Services for special groups"),
            [_("group"), _("events for them"), _("person-times"), _("people")],
            [
                [str(Audience(c).label), audiences.get(c, 0), reached[f"{c}_visits"], reached[f"{c}_people"]]
                for c in SPECIAL_AUDIENCES
            ],
        ),
        table(
            "activities.events",
            _("Every event held (the rows behind the figures)"),
            [
                _("date"),
                _("event"),
                _("category"),
                _("venue"),
                _("person-times"),
                _("of them walk-ins"),
                _("evaluations"),
                _("satisfied"),
            ],
            rows,
        ),
    ]
    charts = [
        chart(
            "activities.by_category",
            _("Events by category"),
            [(Category(r["category"]).label, r["events"], f"{r['events']} · {r['visits']}") for r in categories],
        )
    ]
    return section(2, "activities", _("Activities held"), figures=figures, tables=tables, charts=charts)


def _event_rows(held) -> list[list]:
    def count(queryset):
        return Coalesce(Subquery(queryset.values("event").annotate(n=Count("pk")).values("n")[:1]), 0)

    same_event = {"event": OuterRef("pk")}
    came = Registration.objects.filter(checked_in_at__isnull=False, **same_event).order_by()
    rated = Evaluation.objects.filter(**same_event).order_by()
    events = (
        held.annotate(
            visits=count(came),
            walk_ins=count(came.filter(is_walk_in=True)),
            rated=count(rated),
            happy=count(rated.filter(rating__gte=SATISFIED_FROM_RATING)),
        )
        .values("starts_at", "title", "category", "venue__name", "visits", "walk_ins", "rated", "happy")
        .order_by("starts_at", "pk")
    )
    return [
        [
            timezone.localtime(e["starts_at"]).date().isoformat(),
            e["title"],
            str(Category(e["category"]).label),
            e["venue__name"],
            e["visits"],
            e["walk_ins"],
            e["rated"],
            e["happy"],
        ]
        for e in events
    ]


def hosted_events(ctx: Context) -> list[list]:
    """Government meetings and big events the center hosted (confirmed bookings), with the
    attendance of their record when it has been written."""
    bookings = (
        Booking.objects.filter(purpose__in=Booking.HOSTED, status=Booking.Status.CONFIRMED)
        .filter(within(ctx.period))
        .values("starts_at", "title", "organiser", "purpose", "record__attendance")
        .order_by("starts_at", "pk")
    )
    return [
        [
            timezone.localtime(b["starts_at"]).date().isoformat(),
            b["title"],
            b["organiser"],
            str(Booking.Purpose(b["purpose"]).label),
            b["record__attendance"],
        ]
        for b in bookings
    ]
