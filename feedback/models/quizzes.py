"""Prize quizzes (有奖知识问答): a questionnaire whose questions have correct answers and points,
optionally drawn per attempt from a tagged bank, and a prize draw anyone can re-run."""

import hashlib
from datetime import timedelta

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from culturecenter.lib.text import no_control_characters
from culturecenter.models import Member, actor_field
from feedback.models.questionnaires import Questionnaire


class BankRule(models.Model):
    """Each attempt draws `count` questions tagged `tag`, so every attempt has the same mix."""

    questionnaire = models.ForeignKey(
        Questionnaire, verbose_name=_("quiz"), on_delete=models.CASCADE, related_name="bank_rules"
    )
    tag = models.CharField(_("question bank tag"), max_length=30, validators=[no_control_characters])
    count = models.PositiveSmallIntegerField(_("questions per attempt"))

    class Meta:
        verbose_name = _("question bank draw")
        verbose_name_plural = _("question bank draws")
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire", "tag"],
                name="one_bank_rule_per_tag",
                violation_error_message=_("This tag already has a number of questions."),
            )
        ]

    def __str__(self):
        return f"{self.tag} × {self.count}"


def seed_hash(seed: str) -> str:
    return hashlib.sha256(seed.encode()).hexdigest()


def draw_order(seed: str, numbers: list[int]) -> list[int]:
    """The draw, as the quiz page prints it for anyone to re-run: entry numbers sorted by
    SHA-256 of "seed:number"."""
    return sorted(numbers, key=lambda n: hashlib.sha256(f"{seed}:{n}".encode()).hexdigest())


class QuizDraw(models.Model):
    """The prize draw of a quiz: the seed is committed (its SHA-256 shown) before the quiz
    opens and revealed by the draw; entrants are frozen at close; the draw runs once."""

    questionnaire = models.OneToOneField(
        Questionnaire, verbose_name=_("quiz"), on_delete=models.CASCADE, related_name="draw"
    )
    seed = models.CharField(_("seed"), max_length=64, editable=False)
    seed_sha256 = models.CharField(_("SHA-256 of the seed"), max_length=64, editable=False)
    committed_at = models.DateTimeField(_("seed committed at"), auto_now_add=True)
    committed_by = actor_field(_("committed by"))
    frozen_at = models.DateTimeField(_("entrants frozen at"), null=True, blank=True)
    drawn_at = models.DateTimeField(_("drawn at"), null=True, blank=True)
    drawn_by = actor_field(_("drawn by"))
    prize_count = models.PositiveSmallIntegerField(_("prizes"), default=0)
    reserve_count = models.PositiveSmallIntegerField(_("reserves drawn"), default=0)
    order = models.JSONField(_("drawn order of entry numbers"), default=list, blank=True)

    class Meta:
        verbose_name = _("prize draw")
        verbose_name_plural = _("prize draws")
        permissions = [("run_draw", _("Can commit seeds, run prize draws and hand over prizes"))]

    def __str__(self):
        return str(self.questionnaire)

    @property
    def revealed(self) -> bool:
        return self.drawn_at is not None


class DrawEntry(models.Model):
    """One eligible person in the frozen entrant list, with their public entry number."""

    class Outcome(models.TextChoices):
        NONE = "", _("Not drawn")
        WINNER = "winner", _("Prize")
        RESERVE = "reserve", _("Reserve")
        PROMOTED = "promoted", _("Prize (from the reserves)")
        LAPSED = "lapsed", _("Not claimed in time")

    draw = models.ForeignKey(QuizDraw, verbose_name=_("prize draw"), on_delete=models.CASCADE, related_name="entries")
    number = models.PositiveIntegerField(_("entry number"))
    member = models.ForeignKey(Member, verbose_name=_("villager"), on_delete=models.PROTECT, related_name="+")
    score = models.PositiveIntegerField(_("points"))
    place = models.PositiveIntegerField(_("place in the draw"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, blank=True, default="")
    told_at = models.DateTimeField(_("told at"), null=True, blank=True)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    claimed_by = actor_field(_("handed over by"))

    class Meta:
        verbose_name = _("draw entry")
        verbose_name_plural = _("draw entries")
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["draw", "number"], name="one_entry_number_per_draw"),
            models.UniqueConstraint(
                fields=["draw", "member"],
                name="one_entry_per_person",
                violation_error_message=_("One entry (and so one prize) per person."),
            ),
            models.UniqueConstraint(
                fields=["draw", "place"], condition=Q(place__isnull=False), name="one_person_per_place"
            ),
        ]

    def __str__(self):
        return f"{self.draw_id} #{self.number}"

    def claim_deadline(self, claim_days: int):
        """Told winners have `claim_days` (the quiz's rule) from the notice to collect their prize."""
        return self.told_at + timedelta(days=claim_days) if self.told_at else None


class LiveRound(models.Model):
    """A question of a live quiz shown on the screen, and when: phones answer the latest one."""

    questionnaire = models.ForeignKey(
        Questionnaire, verbose_name=_("quiz"), on_delete=models.CASCADE, related_name="live_rounds"
    )
    question = models.ForeignKey("feedback.Question", verbose_name=_("question"), on_delete=models.CASCADE)
    shown_at = models.DateTimeField(_("shown at"))
    shown_by = actor_field(_("shown by"))

    class Meta:
        verbose_name = _("live question")
        verbose_name_plural = _("live questions")
        ordering = ["shown_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["questionnaire", "question"], name="each_question_shown_once")]

    def __str__(self):
        return f"{self.questionnaire_id} · {self.question_id}"
