"""The sections of a 工作简报, one small function each, in a registry.

A section function takes the `Context` (period, targets, the briefing if any, and what earlier
sections found) and returns `figures.section(...)`: plain figures, tables of the rows they come
from, charts and flags. Every figure is aggregated in the database with a fixed number of queries,
whatever the size of the period. To add a section (队伍与志愿服务 is number 5, 宣传 number 8):

    @register(5, "teams", _("Teams and volunteering"))
    def teams(ctx: Context) -> dict:
        ...
        return section(5, "teams", ..., figures=[...], tables=[...])

A section whose data does not exist is simply not registered: no placeholders.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import Avg, Count, Exists, F, IntegerField, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from activities.models import Audience, Category, Event, Registration
from culturecenter.hours import HoursCalendar
from culturecenter.models import Village
from feedback.briefings.figures import chart, figure, percent_text, rate, section, table
from feedback.briefings.period import Period
from feedback.models import SATISFIED_FROM_RATING, Briefing, BriefingTargets, Choice, Evaluation, Need, Question
from feedback.models import Response as SurveyResponse
from lending.models import Campaign, CheckIn, Enrolment, Loan

OPEN_NEED_STATES = (Need.State.RECEIVED, Need.State.REVIEWING, Need.State.ACCEPTED, Need.State.SCHEDULED)
NEED_OVERDUE_DAYS = 30
SPECIAL_AUDIENCES = (Audience.ELDERLY, Audience.MINORS, Audience.DISABLED, Audience.HARDSHIP)


@dataclass
class Context:
    period: Period
    targets: BriefingTargets
    now: object
    briefing: Briefing | None = None
    results: dict = field(default_factory=dict)  # section key → its result, for the sections after it
    memo: dict = field(default_factory=dict)

    def once(self, name, compute):
        """A measure several sections show (events held, attendance), computed once."""
        if name not in self.memo:
            self.memo[name] = compute()
        return self.memo[name]


@dataclass(frozen=True)
class SectionSpec:
    number: int
    key: str
    title: object
    compute: object


REGISTRY: list[SectionSpec] = []


def register(number, key, title):
    def decorate(compute):
        REGISTRY.append(SectionSpec(number, key, title, compute))
        REGISTRY.sort(key=lambda spec: spec.number)
        return compute

    return decorate


def compute_all(ctx: Context) -> list[dict]:
    sections = []
    for spec in REGISTRY:
        result = spec.compute(ctx)
        ctx.results[spec.key] = result
        sections.append(result)
    return sections


# ---- shared measures -------------------------------------------------------------------------


def held_events(period: Period, now):
    """Events held in the period: approved (cancelled ones never count), started in it, and over."""
    return Event.objects.filter(
        status=Event.Status.APPROVED, starts_at__gte=period.start, starts_at__lt=period.end, ends_at__lte=now
    )


def _in(period: Period, path="starts_at"):
    return Q(**{f"{path}__gte": period.start, f"{path}__lt": period.end})


def _event_counts(ctx: Context) -> dict:
    p, ly, ytd = ctx.period, ctx.period.a_year_earlier(), ctx.period.year_to_date()
    ly_ytd = ytd.a_year_earlier()
    first = min(ly.first, ly_ytd.first)
    reading = Q(category=Category.READING)
    evaluated = Exists(Evaluation.objects.filter(event=OuterRef("pk")))
    return held_events(Period(first, p.last), ctx.now).aggregate(
        held=Count("pk", filter=_in(p)),
        held_ly=Count("pk", filter=_in(ly)),
        ytd=Count("pk", filter=_in(ytd)),
        ytd_ly=Count("pk", filter=_in(ly_ytd)),
        reading=Count("pk", filter=_in(p) & reading),
        reading_ytd=Count("pk", filter=_in(ytd) & reading),
        reading_ly=Count("pk", filter=_in(ly) & reading),
        evaluated=Count("pk", filter=_in(p) & Q(evaluated)),
        village=Count("pk", filter=_in(p) & Q(venue__in_center=False)),
    )


def _attendance(ctx: Context) -> dict:
    """人次 (one per person per event, ticket or walk-in: the registration is unique) and people."""
    p, ly = ctx.period, ctx.period.a_year_earlier()
    came = Registration.objects.filter(
        checked_in_at__isnull=False, event__status=Event.Status.APPROVED, event__ends_at__lte=ctx.now
    ).filter(_in(ly, "event__starts_at") | _in(p, "event__starts_at"))
    this, last = _in(p, "event__starts_at"), _in(ly, "event__starts_at")
    return came.aggregate(
        visits=Count("pk", filter=this),
        people=Count("member", distinct=True, filter=this),
        walk_ins=Count("pk", filter=this & Q(is_walk_in=True)),
        visits_ly=Count("pk", filter=last),
        people_ly=Count("member", distinct=True, filter=last),
    )


def _satisfaction(ctx: Context) -> dict:
    p, ly = ctx.period, ctx.period.a_year_earlier()
    ratings = Evaluation.objects.filter(event__status=Event.Status.APPROVED, event__ends_at__lte=ctx.now).filter(
        _in(ly, "event__starts_at") | _in(p, "event__starts_at")
    )
    this, last, happy = _in(p, "event__starts_at"), _in(ly, "event__starts_at"), Q(rating__gte=SATISFIED_FROM_RATING)
    return ratings.aggregate(
        count=Count("pk", filter=this),
        happy=Count("pk", filter=this & happy),
        average=Avg("rating", filter=this),
        count_ly=Count("pk", filter=last),
        happy_ly=Count("pk", filter=last & happy),
    )


def _hours(ctx: Context, period: Period) -> dict:
    """Open, evening (from 18:00) and weekend hours from the opening-hours calendar, day by day."""
    calendar = HoursCalendar(period.first, period.last)
    days, open_minutes, evening, staggered = [], 0, 0, 0
    for day in calendar.days():
        weekend_daytime = day.open_minutes - day.evening_minutes if day.day.weekday() >= 5 else 0
        open_minutes += day.open_minutes
        evening += day.evening_minutes
        staggered += day.evening_minutes + weekend_daytime
        periods = "、".join(f"{o:%H:%M}–{c:%H:%M}" for o, c in day.periods) or _("closed")
        days.append([day.day.isoformat(), periods, round(day.open_minutes / 60, 2), round(day.evening_minutes / 60, 2)])
    return {
        "has_schedule": calendar.has_schedule,
        "open": open_minutes / 60,
        "evening": evening / 60,
        "staggered": staggered / 60,
        "per_week": open_minutes / 60 / period.weeks,
        "days": days,
    }


def _versus(value, target) -> str:
    return "ok" if value is not None and target is not None and value >= target else "behind"


# ---- 1 总体情况 -------------------------------------------------------------------------------


@register(1, "overview", gettext_lazy("Overview"))
def overview(ctx: Context) -> dict:
    t, p = ctx.targets, ctx.period
    events = ctx.once("events", lambda: _event_counts(ctx))
    came = ctx.once("attendance", lambda: _attendance(ctx))
    rated = ctx.once("satisfaction", lambda: _satisfaction(ctx))
    hours = ctx.once("hours", lambda: _hours(ctx, p))
    pace = round(t.activities_per_year * p.year_fraction)
    reading_pace = round(t.reading_activities_per_year * p.year_fraction)
    satisfaction = rate(
        "overview.satisfaction",
        _("Satisfaction (4–5 stars)"),
        rated["happy"],
        rated["count"],
        rows="activities.events",
        target=f"≥ {t.satisfaction_percent:g}%",
        last_year=percent_text(rated["happy_ly"], rated["count_ly"]),
    )
    if satisfaction["value"] is not None:
        satisfaction["status"] = _versus(satisfaction["value"], float(t.satisfaction_percent))
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
            % {"target": t.activities_per_year, "week": p.week_of_year, "pace": pace},
            last_year=events["ytd_ly"],
            status=_versus(events["ytd"], pace),
        ),
        figure(
            "overview.reading_ytd",
            _("Reading activities this year so far"),
            events["reading_ytd"],
            unit=_(" events"),
            target=_("%(target)s a year; pace %(pace)s")
            % {"target": t.reading_activities_per_year, "pace": reading_pace},
            status=_versus(events["reading_ytd"], reading_pace),
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
        satisfaction,
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
                status=_versus(per_week, float(t.open_hours_per_week)),
            )
        )
    return section(1, "overview", _("Overview"), figures=figures)


# ---- 2 活动开展 -------------------------------------------------------------------------------


def _checked_in(prefix="registrations__"):
    return Q(**{f"{prefix}checked_in_at__isnull": False})


@register(2, "activities", gettext_lazy("Activities held"))
def activities(ctx: Context) -> dict:
    held = held_events(ctx.period, ctx.now)
    by_category = ctx.once(
        "by_category",
        lambda: {
            row["category"]: row
            for row in held.values("category").annotate(
                events=Count("pk", distinct=True),
                visits=Count("registrations", filter=_checked_in()),
                people=Count("registrations__member", distinct=True, filter=_checked_in()),
            )
        },
    )
    by_venue = list(
        held.values("venue__name", "venue__in_center", "venue__village")
        .annotate(events=Count("pk", distinct=True), visits=Count("registrations", filter=_checked_in()))
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
    tables = [
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
                    _("the center") if r["venue__in_center"] else _village(r["venue__village"]),
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
            [[_village(v), c[0], c[1]] for v, c in sorted(villages.items(), key=lambda i: -i[1][0])],
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


def _village(code) -> str:
    return str(Village(code).label) if code in Village.values else _("no village given")


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


# ---- 3 群众评价与需求 ---------------------------------------------------------------------------


@register(3, "evaluation", gettext_lazy("Evaluations and needs"))
def evaluation(ctx: Context) -> dict:
    p, t = ctx.period, ctx.targets
    events = ctx.once("events", lambda: _event_counts(ctx))
    rated = ctx.once("satisfaction", lambda: _satisfaction(ctx))
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
        received=Count("pk", filter=_in(p, "created_at")),
        answered=Count("pk", filter=_in(p, "created_at") & ~Q(state=Need.State.RECEIVED)),
        open=Count("pk", filter=open_now),
        overdue=Count("pk", filter=open_now & Q(created_at__lt=overdue_before)),
    )
    overdue = needs.filter(open_now, created_at__lt=overdue_before).order_by("created_at")
    overdue_rows = [
        [
            n.pk,
            timezone.localtime(n.created_at).date().isoformat(),
            str(Category(n.category).label),
            _village(n.village),
            n.text[:60],
            n.get_state_display(),
            n.support_count,
            (p.last - timezone.localtime(n.created_at).date()).days,
        ]
        for n in overdue.only("pk", "created_at", "category", "village", "text", "state", "support_count")
    ]
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
        ),
        figure(
            "evaluation.average",
            _("Average rating"),
            round(rated["average"], 2) if rated["average"] is not None else None,
            unit=" ★",
        ),
        figure("needs.received", _("Needs received in the period"), counts["received"]),
        rate(
            "needs.answered",
            _("Of them answered (moved on from “received”)"),
            counts["answered"],
            counts["received"],
        ),
        figure("needs.open", _("Needs still open at the end of the period"), counts["open"]),
        figure(
            "needs.overdue",
            _("Open for more than %(days)s days") % {"days": NEED_OVERDUE_DAYS},
            counts["overdue"],
            rows="needs.overdue",
            status="behind" if counts["overdue"] else "ok",
        ),
    ]
    tables = [
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


def _choice_counts(ctx: Context) -> list[dict]:
    """Choices chosen in answers given in the period, with the question's number of answers."""

    def compute():
        answered = Q(
            answers__response__created_at__gte=ctx.period.start, answers__response__created_at__lt=ctx.period.end
        )
        answers_to_question = (
            Question.objects.filter(pk=OuterRef("question"))
            .annotate(n=Count("answers", filter=answered))
            .values("n")[:1]
        )
        return list(
            Choice.objects.filter(question__kind__in=Question.CHOICE_KINDS)
            .annotate(chosen=Count("answers", filter=answered), n=Subquery(answers_to_question, IntegerField()))
            .filter(chosen__gt=0)
            .values(
                "text",
                "chosen",
                "n",
                "question",
                "question__text",
                "question__questionnaire",
                "question__questionnaire__title",
            )
            .order_by("question__questionnaire", "question__order", "question", "-chosen", "order")
        )

    return ctx.once("choices", compute)


def _questionnaire_highlights(ctx: Context):
    responses = dict(
        SurveyResponse.objects.filter(_in(ctx.period, "created_at"))
        .values("questionnaire")
        .annotate(n=Count("pk"))
        .values_list("questionnaire", "n")
    )
    highlights, rows, shown = [], [], {}
    for choice in _choice_counts(ctx):
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


# ---- 4 以需定供 -------------------------------------------------------------------------------


@register(4, "supply", gettext_lazy("Supply follows demand"))
def supply(ctx: Context) -> dict:
    p = ctx.period
    by_category = ctx.memo.get("by_category", {})  # found by 活动开展, which comes first
    needs = {
        row["category"]: row
        for row in Need.objects.filter(hidden=False)
        .filter(_in(p, "created_at") | Q(state__in=OPEN_NEED_STATES, created_at__lt=p.end))
        .values("category")
        .annotate(needs=Count("pk"), supports=Sum("support_count"))
    }
    waiting = dict(
        Registration.objects.filter(status=Registration.Status.WAITING, event__status=Event.Status.APPROVED)
        .filter(_in(p, "event__starts_at"))
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
        .filter(_in(p))
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
    for choice in _choice_counts(ctx):
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
            status="behind" if any(r["outruns"] for r in rows) else "ok",
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


# ---- 6 阵地开放 -------------------------------------------------------------------------------


@register(6, "venues", gettext_lazy("Opening of the center"))
def venues(ctx: Context) -> dict:
    t = ctx.targets
    hours = ctx.once("hours", lambda: _hours(ctx, ctx.period))
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
                share["status"] = _versus(share["value"], target_share)
        figures = [
            figure(
                "venues.per_week",
                _("Open hours a week (average)"),
                per_week,
                unit=_(" h"),
                rows="venues.days",
                target=f"≥ {t.open_hours_per_week:g}",
                status=_versus(per_week, float(t.open_hours_per_week)),
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


# ---- 7 图书借阅与阅读推广 -------------------------------------------------------------------------


@register(7, "reading", gettext_lazy("Library and reading promotion"))
def reading(ctx: Context) -> dict:
    p, ly = ctx.period, ctx.period.a_year_earlier()
    events = ctx.once("events", lambda: _event_counts(ctx))
    loans = Loan.objects.filter(_in(p, "loaned_at") | _in(ly, "loaned_at")).aggregate(
        loans=Count("pk", filter=_in(p, "loaned_at")),
        readers=Count("member", distinct=True, filter=_in(p, "loaned_at")),
        loans_ly=Count("pk", filter=_in(ly, "loaned_at")),
        readers_ly=Count("member", distinct=True, filter=_in(ly, "loaned_at")),
    )

    def count(queryset, column="pk", distinct=False):
        counted = queryset.order_by().values("campaign").annotate(n=Count(column, distinct=distinct)).values("n")[:1]
        return Coalesce(Subquery(counted, IntegerField()), 0)

    in_period = {"campaign": OuterRef("pk"), "day__gte": p.first, "day__lte": p.last, "counted": True}
    campaigns = list(
        Campaign.objects.filter(starts_on__lte=p.last, ends_on__gte=p.first)
        .annotate(
            n_participants=count(Enrolment.objects.filter(campaign=OuterRef("pk"), withdrawn_at__isnull=True)),
            n_checkins=count(CheckIn.objects.filter(**in_period)),
            n_readers=count(CheckIn.objects.filter(**in_period), "member", distinct=True),
        )
        .values("title", "starts_on", "ends_on", "n_participants", "n_checkins", "n_readers")
        .order_by("starts_on")
    )
    figures = [
        figure("reading.loans", _("Loans"), loans["loans"], unit=_(" books"), last_year=loans["loans_ly"]),
        figure(
            "reading.readers",
            _("Active readers (borrowed at least once)"),
            loans["readers"],
            unit=_(" people"),
            last_year=loans["readers_ly"],
        ),
        figure("reading.events", _("Reading activities held"), events["reading"], last_year=events["reading_ly"]),
    ]
    if campaigns:
        figures += [
            figure(
                "reading.participants",
                _("Reading campaign participants"),
                sum(c["n_participants"] for c in campaigns),
                unit=_(" people"),
                rows="reading.campaigns",
            ),
            figure(
                "reading.checkins",
                _("Reading check-ins in the period"),
                sum(c["n_checkins"] for c in campaigns),
                rows="reading.campaigns",
            ),
        ]
    tables = [
        table(
            "reading.campaigns",
            _("Reading campaigns"),
            [
                _("campaign"),
                _("from"),
                _("to"),
                _("participants"),
                _("check-ins in the period"),
                _("readers checking in"),
            ],
            [
                [
                    c["title"],
                    c["starts_on"].isoformat(),
                    c["ends_on"].isoformat(),
                    c["n_participants"],
                    c["n_checkins"],
                    c["n_readers"],
                ]
                for c in campaigns
            ],
        )
    ]
    return section(7, "reading", _("Library and reading promotion"), figures=figures, tables=tables)


# ---- 9 存在问题与下步打算 -------------------------------------------------------------------------


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
                flags.append(
                    _("%(label)s: %(value)s, target %(target)s")
                    % {"label": fig["label"], "value": fig["display"], "target": fig["target"] or "—"}
                )
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
    }
    return section(9, "issues", _("Problems and next steps"), flags=flags, tables=tables, extra=extra)
