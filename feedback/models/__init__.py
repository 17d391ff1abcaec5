"""The feedback models, one module per area; import them from here."""

from feedback.models.briefings import Briefing, BriefingTargets, NextStep
from feedback.models.evaluations import (
    SATISFIED_FROM_RATING,
    Evaluation,
    EvaluationInvitation,
    EventFeedback,
    rating_summary,
)
from feedback.models.indicators import VillagePopulation
from feedback.models.needs import Need, NeedEvent, NeedReport, NeedStep, NeedSupport
from feedback.models.questionnaires import (
    Answer,
    Channel,
    Choice,
    Question,
    Questionnaire,
    QuestionnaireQuerySet,
    Response,
    plain,
)
from feedback.models.quizzes import BankRule, DrawEntry, LiveRound, QuizDraw, draw_order, seed_hash

__all__ = [
    "Channel",
    "QuestionnaireQuerySet",
    "Questionnaire",
    "Question",
    "plain",
    "Choice",
    "Response",
    "Answer",
    "SATISFIED_FROM_RATING",
    "rating_summary",
    "Evaluation",
    "EvaluationInvitation",
    "EventFeedback",
    "Need",
    "NeedEvent",
    "NeedSupport",
    "NeedReport",
    "NeedStep",
    "BankRule",
    "seed_hash",
    "draw_order",
    "QuizDraw",
    "DrawEntry",
    "LiveRound",
    "VillagePopulation",
    "Briefing",
    "BriefingTargets",
    "NextStep",
]
