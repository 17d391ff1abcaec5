"""The rates the center is judged on, as plain functions returning dataclasses, for the
results pages and for work briefings (工作简报):

- `indicator_rates(...)`: 知晓 / 参与 / 满意 questions as a rate with n, the share of valid
  answers and a 95% margin of error. “Don't know” answers (choices marked `unknown`)
  are left out of the denominator. The margin is the normal approximation (Wald
  interval, 1.96·√(p(1−p)/n)); below 30 valid answers it is only a rough guide.
- `registry_coverage(start, end)`: per village, distinct residents with at least one
  check-in (events, library loans, reading-campaign check-ins) in the period ÷ the
  resident population staff entered."""

import math
from dataclasses import dataclass
from datetime import date, datetime, time

from django.db.models import Count, Q
from django.utils import timezone

from activities.models import Registration
from culturecenter.models import Member, Village
from feedback.models import Answer, Choice, Question, Response, VillagePopulation
from feedback.models.evaluations import SATISFIED_FROM_RATING
from lending.models import CheckIn, Loan

Z_95 = 1.96
SMALL_SAMPLE = 30


@dataclass(frozen=True)
class IndicatorRate:
    question_id: int
    question: str
    questionnaire: str
    indicator: str  # Question.Indicator value
    label: str
    answered: int  # every answer to the question
    valid: int  # n: answers that say yes or no (“don't know” left out)
    positive: int
    rate: float | None  # positive / valid, 0–1
    valid_share: float | None  # valid / answered, 0–1
    margin: float | None  # half-width of the 95% interval, 0–1
    yes_choices: tuple = ()  # the choice texts counted as yes, no and left out, to recount by hand
    no_choices: tuple = ()
    unknown_choices: tuple = ()

    @property
    def small_sample(self) -> bool:
        return self.valid < SMALL_SAMPLE

    @property
    def rate_percent(self):
        return None if self.rate is None else round(100 * self.rate, 1)

    @property
    def margin_percent(self):
        return None if self.margin is None else round(100 * self.margin, 1)

    @property
    def valid_share_percent(self):
        return None if self.valid_share is None else round(100 * self.valid_share)


def wald_margin(positive: int, n: int, z: float = Z_95) -> float | None:
    """Half-width of the normal-approximation confidence interval for positive/n."""
    if n <= 0:
        return None
    p = positive / n
    return z * math.sqrt(p * (1 - p) / n)


def indicator_responses(
    *, questionnaire=None, village="", age_group="", channel="", start: date | None = None, end: date | None = None
):
    """Responses counted by the rates, filtered as the other figures are (end date included)."""
    responses = Response.objects.all()
    if questionnaire is not None:
        responses = responses.filter(questionnaire=questionnaire)
    for field, value in (("village", village), ("age_group", age_group), ("channel", channel)):
        if value:
            responses = responses.filter(**{field: value})
    if start:
        responses = responses.filter(created_at__gte=_start_of(start))
    if end:
        responses = responses.filter(created_at__lt=_start_of(end, next_day=True))
    return responses


def indicator_rates(responses) -> list[IndicatorRate]:
    """One rate per indicator question answered in `responses`; one query."""
    rating = Q(question__kind=Question.Kind.RATING, number__isnull=False)
    rows = (
        Answer.objects.filter(response__in=responses)
        .exclude(question__indicator="")
        .values("question", "question__text", "question__kind", "question__indicator", "question__questionnaire__title")
        .annotate(
            answered=Count("pk", distinct=True),
            valid=Count("pk", filter=Q(choices__counts_as__in=["yes", "no"]) | rating, distinct=True),
            positive=Count(
                "pk",
                filter=Q(choices__counts_as="yes") | (rating & Q(number__gte=SATISFIED_FROM_RATING)),
                distinct=True,
            ),
        )
        .order_by("question__indicator", "question__questionnaire__title", "question")
    )
    rows = list(rows)
    marked = {}
    for question_id, text, counts_as in Choice.objects.filter(question__in=[r["question"] for r in rows]).values_list(
        "question", "text", "counts_as"
    ):
        marked.setdefault(question_id, {}).setdefault(counts_as or "unknown", []).append(text)
    labels = dict(Question.Indicator.choices)
    rates = []
    for row in rows:
        choices = marked.get(row["question"], {})
        if row["question__kind"] == Question.Kind.RATING:
            choices = {"yes": ["4–5 ★"], "no": ["1–3 ★"]}
        valid, positive, answered = row["valid"], row["positive"], row["answered"]
        rates.append(
            IndicatorRate(
                question_id=row["question"],
                question=row["question__text"],
                questionnaire=row["question__questionnaire__title"],
                indicator=row["question__indicator"],
                label=str(labels.get(row["question__indicator"], "")),
                answered=answered,
                valid=valid,
                positive=positive,
                rate=positive / valid if valid else None,
                valid_share=valid / answered if answered else None,
                margin=wald_margin(positive, valid),
                yes_choices=tuple(choices.get("yes", [])),
                no_choices=tuple(choices.get("no", [])),
                unknown_choices=tuple(choices.get("unknown", [])),
            )
        )
    return rates


@dataclass(frozen=True)
class VillageCoverage:
    village: str
    label: str
    population: int | None
    reached: int
    rate: float | None  # reached / population, 0–1

    @property
    def rate_percent(self):
        return None if self.rate is None else round(100 * self.rate, 1)


def _start_of(day: date, *, next_day: bool = False) -> datetime:
    if next_day:
        day = date.fromordinal(day.toordinal() + 1)
    return timezone.make_aware(datetime.combine(day, time.min))


def registry_coverage(start: date, end: date) -> list[VillageCoverage]:
    """Per village: distinct residents with a check-in at an event, a library loan or a
    reading-campaign check-in from `start` to `end` (both included) ÷ entered population."""
    since, until = _start_of(start), _start_of(end, next_day=True)
    attended = Registration.objects.filter(checked_in_at__gte=since, checked_in_at__lt=until).values("member")
    borrowed = Loan.objects.filter(loaned_at__gte=since, loaned_at__lt=until).values("member")
    read = CheckIn.objects.filter(day__gte=start, day__lte=end).values("member")
    reached = dict(
        Member.objects.filter(Q(pk__in=attended) | Q(pk__in=borrowed) | Q(pk__in=read))
        .values_list("village")
        .annotate(n=Count("pk"))
    )
    population = dict(VillagePopulation.objects.values_list("village", "population"))
    out = []
    for value, label in Village.choices:
        people, count = population.get(value), reached.get(value, 0)
        if people is None and not count:
            continue
        out.append(VillageCoverage(value, str(label), people, count, count / people if people else None))
    return out
