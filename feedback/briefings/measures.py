"""The measures several sections share, aggregated in the database."""

from django.db.models import Avg, Count, Exists, IntegerField, OuterRef, Q, Subquery
from django.utils.translation import gettext as _

from activities.models import Audience, Category, Event, Registration
from culturecenter.hours import HoursCalendar
from culturecenter.models import Village
from feedback.briefings.period import Period
from feedback.briefings.registry import Context
from feedback.models import SATISFIED_FROM_RATING, Choice, Evaluation, Need, Question

OPEN_NEED_STATES = (Need.State.RECEIVED, Need.State.REVIEWING, Need.State.ACCEPTED, Need.State.SCHEDULED)
NEED_OVERDUE_DAYS = 30
SPECIAL_AUDIENCES = (Audience.ELDERLY, Audience.MINORS, Audience.DISABLED, Audience.HARDSHIP)


def held_events(period: Period, now):
    """Events held in the period: approved (cancelled ones never count), started in it, and over."""
    return Event.objects.filter(
        status=Event.Status.APPROVED, starts_at__gte=period.start, starts_at__lt=period.end, ends_at__lte=now
    )


def within(period: Period, path="starts_at"):
    return Q(**{f"{path}__gte": period.start, f"{path}__lt": period.end})


def event_counts(ctx: Context) -> dict:
    p, ly, ytd = ctx.period, ctx.period.a_year_earlier(), ctx.period.year_to_date()
    ly_ytd = ytd.a_year_earlier()
    first = min(ly.first, ly_ytd.first)
    reading = Q(category=Category.READING)
    evaluated = Exists(Evaluation.objects.filter(event=OuterRef("pk")))
    return held_events(Period(first, p.last), ctx.now).aggregate(
        held=Count("pk", filter=within(p)),
        held_ly=Count("pk", filter=within(ly)),
        ytd=Count("pk", filter=within(ytd)),
        ytd_ly=Count("pk", filter=within(ly_ytd)),
        reading=Count("pk", filter=within(p) & reading),
        reading_ytd=Count("pk", filter=within(ytd) & reading),
        reading_ly=Count("pk", filter=within(ly) & reading),
        evaluated=Count("pk", filter=within(p) & Q(evaluated)),
        village=Count("pk", filter=within(p) & Q(venue__in_center=False)),
    )


def attendance(ctx: Context) -> dict:
    """人次 (one per person per event, ticket or walk-in: the registration is unique) and people."""
    p, ly = ctx.period, ctx.period.a_year_earlier()
    came = Registration.objects.filter(
        checked_in_at__isnull=False, event__status=Event.Status.APPROVED, event__ends_at__lte=ctx.now
    ).filter(within(ly, "event__starts_at") | within(p, "event__starts_at"))
    this, last = within(p, "event__starts_at"), within(ly, "event__starts_at")
    return came.aggregate(
        visits=Count("pk", filter=this),
        people=Count("member", distinct=True, filter=this),
        walk_ins=Count("pk", filter=this & Q(is_walk_in=True)),
        visits_ly=Count("pk", filter=last),
        people_ly=Count("member", distinct=True, filter=last),
    )


def satisfaction(ctx: Context) -> dict:
    p, ly = ctx.period, ctx.period.a_year_earlier()
    ratings = Evaluation.objects.filter(event__status=Event.Status.APPROVED, event__ends_at__lte=ctx.now).filter(
        within(ly, "event__starts_at") | within(p, "event__starts_at")
    )
    this, last, happy = (
        within(p, "event__starts_at"),
        within(ly, "event__starts_at"),
        Q(rating__gte=SATISFIED_FROM_RATING),
    )
    return ratings.aggregate(
        count=Count("pk", filter=this),
        happy=Count("pk", filter=this & happy),
        average=Avg("rating", filter=this),
        count_ly=Count("pk", filter=last),
        happy_ly=Count("pk", filter=last & happy),
    )


def opening_hours(ctx: Context, period: Period) -> dict:
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


def versus(value, target) -> str:
    return "ok" if value is not None and target is not None and value >= target else "behind"


def checked_in(prefix="registrations__"):
    return Q(**{f"{prefix}checked_in_at__isnull": False})


def village_label(code) -> str:
    return str(Village(code).label) if code in Village.values else _("no village given")


def choice_counts(ctx: Context) -> list[dict]:
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
