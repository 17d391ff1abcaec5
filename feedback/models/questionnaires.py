"""Questionnaires built in the admin, and responses from every channel as typed rows."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from culturecenter.lib.text import no_control_characters
from culturecenter.models import AgeGroup, Member, Village, actor_field


class Channel(models.TextChoices):
    WEB = "web", _("Online")
    PAPER = "paper", _("Paper form")
    WECHAT = "wechat", _("WeChat survey")
    SYMPOSIUM = "symposium", _("Symposium (座谈)")
    VISIT = "visit", _("Home visit (走访)")


class QuestionnaireQuerySet(models.QuerySet):
    def open(self, now=None):
        """Those taking answers now (`Questionnaire.answer_window` for one)."""
        now = now or timezone.now()
        return self.filter(opens_at__lte=now, closes_at__gt=now)


class Questionnaire(models.Model):
    title = models.CharField(_("title"), max_length=120, validators=[no_control_characters])
    introduction = models.TextField(_("introduction"), blank=True, max_length=3000)
    opens_at = models.DateTimeField(pgettext_lazy("questionnaire", "opens"))
    closes_at = models.DateTimeField(pgettext_lazy("questionnaire", "closes"))
    anonymous = models.BooleanField(
        _("anonymous"),
        default=False,
        help_text=_(
            "Anonymous: anyone may answer once per browser and nothing links the answers to a person. "
            "Otherwise villagers log in and answer once each."
        ),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    # A prize quiz (有奖知识问答): questions carry correct answers and points.
    is_quiz = models.BooleanField(_("prize quiz"), default=False)
    attempts_allowed = models.PositiveSmallIntegerField(
        _("attempts allowed"), default=1, validators=[MinValueValidator(1)]
    )
    prize_threshold = models.PositiveIntegerField(
        _("points to enter the draw"), null=True, blank=True, help_text=_("Empty: no prize draw.")
    )
    prize_count = models.PositiveSmallIntegerField(_("prizes"), default=0)
    reserve_count = models.PositiveSmallIntegerField(_("reserves drawn"), default=5)
    claim_days = models.PositiveSmallIntegerField(_("days to claim a prize"), default=14)
    # Live mode: staff show one question at a time on a screen; phones answer it.
    live = models.BooleanField(
        _("live at an event"), default=False, help_text=_("Staff show one question at a time on a screen.")
    )
    answer_seconds = models.PositiveSmallIntegerField(
        _("seconds to answer (live)"), default=20, validators=[MinValueValidator(5)]
    )
    speed_bonus_percent = models.PositiveSmallIntegerField(
        _("speed bonus, % of the question's points (live)"),
        default=0,
        validators=[MaxValueValidator(50)],
        help_text=_("At most 50: a fast answer never earns more than half the points again."),
    )

    objects = QuestionnaireQuerySet.as_manager()

    class Meta:
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")
        ordering = ["-opens_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(speed_bonus_percent__lte=50),
                name="speed_bonus_at_most_half",
                violation_error_message=_("The speed bonus is at most half of the points (50%)."),
            ),
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")),
                name="questionnaire_closes_after_opening",
                violation_error_message=pgettext_lazy(
                    "questionnaire", "The closing time must be after the opening time."
                ),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("feedback:quiz" if self.is_quiz else "feedback:survey", args=[self.pk])

    def answer_window(self, now=None) -> str:
        """ "not_open", "open" or "closed": from `opens_at` up to (not including) `closes_at`,
        as `QuestionnaireQuerySet.open` selects."""
        now = now or timezone.now()
        if now < self.opens_at:
            return "not_open"
        return "open" if now < self.closes_at else "closed"

    def is_open(self, now=None) -> bool:
        return self.answer_window(now) == "open"

    def get_quiz_url(self):
        return reverse("feedback:quiz", args=[self.pk])


class Question(models.Model):
    class Kind(models.TextChoices):
        SINGLE = "single", _("Single choice")
        MULTIPLE = "multiple", _("Multiple choice")
        RATING = "rating", _("Rating 1–5")
        NUMBER = "number", _("Number")
        SHORT = "short", _("Short text")
        LONG = "long", _("Long text")
        TRUE_FALSE = "truefalse", _("True or false")

    class Indicator(models.TextChoices):
        AWARE = "aware", _("Awareness (知晓)")
        TAKEN_PART = "taken_part", _("Participation (参与)")
        SATISFIED = "satisfied", _("Satisfaction (满意)")

    CHOICE_KINDS = (Kind.SINGLE, Kind.MULTIPLE, Kind.TRUE_FALSE)
    SCORED_KINDS = CHOICE_KINDS

    questionnaire = models.ForeignKey(
        Questionnaire, verbose_name=_("questionnaire"), on_delete=models.CASCADE, related_name="questions"
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    text = models.CharField(_("question"), max_length=300, validators=[no_control_characters])
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    required = models.BooleanField(_("required"), default=True)
    allow_other = models.BooleanField(_("offer “other, please say”"), default=False)
    points = models.PositiveSmallIntegerField(
        _("points"), default=0, help_text=_("Quizzes: points for a right answer.")
    )
    bank_tag = models.CharField(
        _("question bank tag"),
        max_length=30,
        blank=True,
        validators=[no_control_characters],
        help_text=_("Quizzes: each attempt draws the number of questions set for this tag."),
    )
    indicator = models.CharField(
        _("indicator"),
        max_length=12,
        choices=Indicator.choices,
        blank=True,
        help_text=_("Counts towards this rate; mark on each choice whether it counts as yes, no or “don't know”."),
    )
    # A number answer outside the range would skew averages (−5 hours a week); empty means no limit.
    min_value = models.DecimalField(
        _("lowest number"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        default=0,
        help_text=_("Number questions only; empty for no limit."),
    )
    max_value = models.DecimalField(
        _("highest number"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Number questions only; empty for no limit."),
    )

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(min_value__isnull=True) | Q(max_value__isnull=True) | Q(min_value__lte=F("max_value")),
                name="question_range_in_order",
                violation_error_message=_("The lowest number must not be above the highest."),
            )
        ]

    def __str__(self):
        return self.text

    @property
    def range_hint(self) -> str:
        """The allowed numbers in words (请填写 0 到 168 之间的数。), or "" without limits."""
        low, high = self.min_value, self.max_value
        if low is not None and high is not None:
            return _("Please give a number from %(low)s to %(high)s.") % {"low": plain(low), "high": plain(high)}
        if low is not None:
            return _("Please give a number of at least %(low)s.") % {"low": plain(low)}
        if high is not None:
            return _("Please give a number of at most %(high)s.") % {"high": plain(high)}
        return ""

    @property
    def range_label(self) -> str:
        """The allowed numbers in short, for the hint under the field: 0–168, ≥ 0, ≤ 40."""
        low, high = self.min_value, self.max_value
        if low is not None and high is not None:
            return f"{plain(low)}–{plain(high)}"
        if low is not None:
            return f"≥ {plain(low)}"
        return f"≤ {plain(high)}" if high is not None else ""

    def range_problem(self, value) -> str | None:
        """Why a number answer is outside this question's range (naming the range), or None."""
        inside = (self.min_value is None or value >= self.min_value) and (
            self.max_value is None or value <= self.max_value
        )
        return None if inside else self.range_hint


def plain(number) -> str:
    """A decimal as people write it: 168, 0.5 (not 168.00, 0.50)."""
    return f"{number.normalize():f}"


class Choice(models.Model):
    question = models.ForeignKey(Question, verbose_name=_("question"), on_delete=models.CASCADE, related_name="choices")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    text = models.CharField(_("choice"), max_length=120, validators=[no_control_characters])
    is_correct = models.BooleanField(_("correct answer"), default=False)
    counts_as = models.CharField(
        _("counts as (indicators)"),
        max_length=8,
        blank=True,
        choices=[("yes", _("Yes")), ("no", _("No")), ("unknown", _("Don't know (left out)"))],
    )

    class Meta:
        verbose_name = _("choice")
        verbose_name_plural = _("choices")
        ordering = ["order", "pk"]

    def __str__(self):
        return self.text


class Response(models.Model):
    """One filled-in questionnaire, from any channel. Village and age group are kept on the
    response itself so paper answers and anonymous ones count in every filter."""

    questionnaire = models.ForeignKey(
        Questionnaire, verbose_name=_("questionnaire"), on_delete=models.CASCADE, related_name="responses"
    )
    member = models.ForeignKey(
        Member, verbose_name=_("villager"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # NULL (not "") for member and staff answers, so the per-browser uniqueness ignores them.
    browser_key = models.CharField(max_length=64, null=True, blank=True, editable=False)  # noqa: DJ001
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices, default=Channel.WEB)
    village = models.CharField(_("village"), max_length=20, choices=Village.choices, blank=True)
    age_group = models.CharField(_("age group"), max_length=10, choices=AgeGroup.choices, blank=True)
    entered_by = actor_field(_("entered by"))
    created_at = models.DateTimeField(_("answered at"), auto_now_add=True)
    attempt = models.PositiveSmallIntegerField(_("attempt"), default=1)
    # Quizzes: computed in SQL from the stored answers by `quizzes.score_responses`, never taken from a form.
    score = models.PositiveIntegerField(_("points"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire", "member", "attempt"],
                condition=Q(member__isnull=False),
                name="one_response_per_member",
                violation_error_message=_("You have already answered this questionnaire."),
            ),
            models.UniqueConstraint(
                fields=["questionnaire", "browser_key", "attempt"],
                condition=Q(browser_key__isnull=False),
                name="one_response_per_browser",
                violation_error_message=_("This questionnaire was already answered from this browser."),
            ),
        ]
        indexes = [models.Index(fields=["questionnaire", "channel"])]

    def __str__(self):
        return f"{self.questionnaire} · {self.get_channel_display()} · {self.created_at:%Y-%m-%d}"


class Answer(models.Model):
    response = models.ForeignKey(Response, verbose_name=_("response"), on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, verbose_name=_("question"), on_delete=models.CASCADE, related_name="answers")
    number = models.DecimalField(_("number"), max_digits=12, decimal_places=2, null=True, blank=True)
    text = models.TextField(_("text"), blank=True, max_length=2000)
    choices = models.ManyToManyField(Choice, verbose_name=_("choices"), blank=True, related_name="answers")
    # Live quizzes: set by `quizzes.live_answer` from the server's clock; counts only for a right answer.
    speed_bonus = models.PositiveSmallIntegerField(_("speed bonus"), default=0, editable=False)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="one_answer_per_question"),
        ]

    def __str__(self):
        return f"{self.question}: {self.text or self.number}"
