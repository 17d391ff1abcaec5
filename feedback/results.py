"""Questionnaire results computed by the database: counts, percentages, averages and
distributions, with a fixed number of queries whatever the number of responses."""

from dataclasses import dataclass, field

from django.db.models import Avg, Count, Max, Min, Q

from culturecenter.lib.charts import hbar_chart
from feedback.models import Answer, Channel, Choice, Question, Response

TEXTS_SHOWN = 30


@dataclass
class QuestionResult:
    question: Question
    answered: int = 0
    rows: list = field(default_factory=list)  # (label, count, percent)
    average: float | None = None
    minimum: float | None = None
    maximum: float | None = None
    texts: list = field(default_factory=list)
    chart: object = None


def filtered_responses(questionnaire, *, village="", age_group="", channel=""):
    responses = Response.objects.filter(questionnaire=questionnaire)
    if village:
        responses = responses.filter(village=village)
    if age_group:
        responses = responses.filter(age_group=age_group)
    if channel:
        responses = responses.filter(channel=channel)
    return responses


def results(questionnaire, responses) -> dict:
    questions = list(questionnaire.questions.prefetch_related("choices"))
    answers = Answer.objects.filter(response__in=responses)
    answered = dict(answers.values_list("question").annotate(n=Count("pk")))
    choice_counts = {
        choice.pk: choice.n
        for choice in Choice.objects.filter(question__questionnaire=questionnaire).annotate(
            n=Count("answers", filter=Q(answers__response__in=responses))
        )
    }
    numbers = {
        row["question"]: row
        for row in answers.filter(number__isnull=False)
        .values("question")
        .annotate(avg=Avg("number"), low=Min("number"), high=Max("number"))
    }
    ratings = {}
    for question_id, value, n in (
        answers.filter(question__kind=Question.Kind.RATING).values_list("question", "number").annotate(n=Count("pk"))
    ):
        ratings.setdefault(question_id, {})[int(value)] = n
    others = {}
    for question_id, text in (
        answers.filter(question__kind__in=Question.CHOICE_KINDS)
        .exclude(text="")
        .values_list("question", "text")[: TEXTS_SHOWN * 5]
    ):
        others.setdefault(question_id, []).append(text)
    text_ids = [q.pk for q in questions if q.kind in (Question.Kind.SHORT, Question.Kind.LONG)]
    texts = {}
    if text_ids:
        for question_id, text in (
            answers.filter(question_id__in=text_ids)
            .order_by("-pk")
            .values_list("question", "text")[: TEXTS_SHOWN * len(text_ids)]
        ):
            texts.setdefault(question_id, []).append(text)
    out = []
    for question in questions:
        result = QuestionResult(question=question, answered=answered.get(question.pk, 0))
        total = result.answered or 1
        if question.kind in Question.CHOICE_KINDS:
            result.rows = [
                (c.text, choice_counts.get(c.pk, 0), round(100 * choice_counts.get(c.pk, 0) / total))
                for c in question.choices.all()
            ]
            result.texts = others.get(question.pk, [])[:TEXTS_SHOWN]
        elif question.kind == Question.Kind.RATING:
            spread = ratings.get(question.pk, {})
            result.rows = [
                (f"{'★' * n} {n}", spread.get(n, 0), round(100 * spread.get(n, 0) / total)) for n in range(1, 6)
            ]
        if question.pk in numbers:
            row = numbers[question.pk]
            result.average, result.minimum, result.maximum = (
                round(float(row["avg"]), 2),
                float(row["low"]),
                float(row["high"]),
            )
        if question.kind in (Question.Kind.SHORT, Question.Kind.LONG):
            result.texts = texts.get(question.pk, [])
        if result.rows:
            result.chart = hbar_chart(
                [(label, n, f"{n} · {percent}%") for label, n, percent in result.rows], title=question.text
            )
        out.append(result)
    by_channel = dict(responses.values_list("channel").annotate(n=Count("pk")))
    return {
        "total": responses.count(),
        "by_channel": [(label, by_channel.get(value, 0)) for value, label in Channel.choices],
        "questions": out,
    }


def export_rows(questionnaire, responses):
    """Header and one row per response, one column per question, streamed in chunks."""
    questions = list(questionnaire.questions.all())
    header = ["渠道 Channel", "村庄 Village", "年龄段 Age group", "日期 Date", *[q.text for q in questions]]
    channel_labels, village_labels = dict(Channel.choices), dict(Response._meta.get_field("village").choices)

    def rows():
        batch = responses.order_by("pk").prefetch_related("answers__choices")
        for response in batch.iterator(chunk_size=500):
            by_question = {a.question_id: a for a in response.answers.all()}
            row = [
                channel_labels.get(response.channel, ""),
                village_labels.get(response.village, ""),
                response.get_age_group_display() if response.age_group else "",
                response.created_at.date().isoformat(),
            ]
            for question in questions:
                answer = by_question.get(question.pk)
                if answer is None:
                    row.append("")
                elif question.kind in Question.CHOICE_KINDS:
                    picked = [c.text for c in answer.choices.all()] + ([answer.text] if answer.text else [])
                    row.append("；".join(picked))
                elif answer.number is not None:
                    row.append(float(answer.number))
                else:
                    row.append(answer.text)
            yield row

    return header, rows()
