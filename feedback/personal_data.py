"""What feedback adds to “Download my data”: answers, evaluations, needs and +1s."""

from django.utils.translation import gettext_lazy as _

from culturecenter.lib.personal_data import DataSection, label, register
from feedback.models import Answer, DrawEntry, Evaluation, Need, NeedSupport, Response


def _answers(people):
    answers = (
        Answer.objects.filter(response__member__in=people)
        .select_related("response__member", "response__questionnaire", "question")
        .prefetch_related("choices")
        .order_by("-response__created_at", "response_id", "question__order", "question_id")
    )
    for answer in answers:
        chosen = "; ".join(choice.text for choice in answer.choices.all())
        given = [part for part in (chosen, answer.text, "" if answer.number is None else str(answer.number)) if part]
        yield {
            "member": answer.response.member.name,
            "questionnaire": answer.response.questionnaire.title,
            "created_at": answer.response.created_at,
            "question": answer.question.text,
            "answer": "; ".join(given),
        }


def _evaluations(people):
    evaluations = Evaluation.objects.filter(member__in=people).select_related("member", "event").order_by("-created_at")
    for evaluation in evaluations:
        yield {
            "member": evaluation.member.name,
            "event": evaluation.event.title,
            "rating": evaluation.rating,
            "liked": evaluation.liked,
            "improve": evaluation.improve,
            "wish": evaluation.wish,
            "created_at": evaluation.created_at,
        }


def _needs(people):
    for need in Need.objects.filter(posted_by__in=people).select_related("posted_by").order_by("-created_at"):
        yield {
            "member": need.posted_by.name,
            "text": need.text,
            "category": need.get_category_display(),
            "village": need.get_village_display(),
            "state": need.get_state_display(),
            "created_at": need.created_at,
        }


def _supports(people):
    supports = NeedSupport.objects.filter(member__in=people).select_related("member", "need").order_by("-created_at")
    for support in supports:
        yield {"member": support.member.name, "need": support.need.text, "created_at": support.created_at}


def _draw_entries(people):
    entries = DrawEntry.objects.filter(member__in=people).select_related("member", "draw__questionnaire")
    for entry in entries.order_by("-draw__frozen_at", "number"):
        yield {
            "member": entry.member.name,
            "quiz": entry.draw.questionnaire.title,
            "number": entry.number,
            "score": entry.score,
            "outcome": entry.get_outcome_display(),
            "claimed_at": entry.claimed_at,
        }


def register_sections():
    register(
        DataSection(
            key="quiz_draw_entries",
            title=_("Prize draws I entered"),
            columns=[
                ("member", label(DrawEntry, "member")),
                ("quiz", _("quiz")),
                ("number", label(DrawEntry, "number")),
                ("score", label(DrawEntry, "score")),
                ("outcome", label(DrawEntry, "outcome")),
                ("claimed_at", label(DrawEntry, "claimed_at")),
            ],
            rows=_draw_entries,
        )
    )
    register(
        DataSection(
            key="questionnaire_answers",
            title=_("Questionnaire answers"),
            columns=[
                ("member", label(Response, "member")),
                ("questionnaire", label(Response, "questionnaire")),
                ("created_at", label(Response, "created_at")),
                ("question", label(Answer, "question")),
                ("answer", _("answer")),
            ],
            rows=_answers,
        )
    )
    register(
        DataSection(
            key="evaluations",
            title=_("Event evaluations"),
            columns=[
                ("member", label(Evaluation, "member")),
                ("event", label(Evaluation, "event")),
                ("rating", label(Evaluation, "rating")),
                ("liked", label(Evaluation, "liked")),
                ("improve", label(Evaluation, "improve")),
                ("wish", label(Evaluation, "wish")),
                ("created_at", label(Evaluation, "created_at")),
            ],
            rows=_evaluations,
        )
    )
    register(
        DataSection(
            key="needs",
            title=_("Needs I posted"),
            columns=[
                ("member", label(Need, "posted_by")),
                ("text", label(Need, "text")),
                ("category", label(Need, "category")),
                ("village", label(Need, "village")),
                ("state", label(Need, "state")),
                ("created_at", label(Need, "created_at")),
            ],
            rows=_needs,
        )
    )
    register(
        DataSection(
            key="need_supports",
            title=_("Needs I supported (+1)"),
            columns=[
                ("member", _("person")),
                ("need", _("need")),
                ("created_at", _("supported at")),
            ],
            rows=_supports,
        )
    )
