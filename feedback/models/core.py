from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Avg, Count, F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from activities.models import Category, Event
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

    objects = QuestionnaireQuerySet.as_manager()

    class Meta:
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")
        ordering = ["-opens_at"]
        constraints = [
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
        return reverse("feedback:survey", args=[self.pk])

    def answer_window(self, now=None) -> str:
        """ "not_open", "open" or "closed": from `opens_at` up to (not including) `closes_at`,
        as `QuestionnaireQuerySet.open` selects."""
        now = now or timezone.now()
        if now < self.opens_at:
            return "not_open"
        return "open" if now < self.closes_at else "closed"

    def is_open(self, now=None) -> bool:
        return self.answer_window(now) == "open"


class Question(models.Model):
    class Kind(models.TextChoices):
        SINGLE = "single", _("Single choice")
        MULTIPLE = "multiple", _("Multiple choice")
        RATING = "rating", _("Rating 1–5")
        NUMBER = "number", _("Number")
        SHORT = "short", _("Short text")
        LONG = "long", _("Long text")

    CHOICE_KINDS = (Kind.SINGLE, Kind.MULTIPLE)

    questionnaire = models.ForeignKey(
        Questionnaire, verbose_name=_("questionnaire"), on_delete=models.CASCADE, related_name="questions"
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    text = models.CharField(_("question"), max_length=300, validators=[no_control_characters])
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    required = models.BooleanField(_("required"), default=True)
    allow_other = models.BooleanField(_("offer “other, please say”"), default=False)
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

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire", "member"],
                condition=Q(member__isnull=False),
                name="one_response_per_member",
                violation_error_message=_("You have already answered this questionnaire."),
            ),
            models.UniqueConstraint(
                fields=["questionnaire", "browser_key"],
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

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="one_answer_per_question"),
        ]

    def __str__(self):
        return f"{self.question}: {self.text or self.number}"


SATISFIED_FROM_RATING = 4  # 4 or 5 stars: a satisfied villager


def rating_summary(path: str = "") -> dict:
    """The evaluation figures shown everywhere, as aggregate expressions: `average` stars,
    `count` and `happy` (satisfied). `path` reaches the evaluations from another model
    (`"evaluations__"` from an event)."""
    counted = path.removesuffix("__") or "pk"
    satisfied = Q(**{f"{path}rating__gte": SATISFIED_FROM_RATING})
    return {"average": Avg(f"{path}rating"), "count": Count(counted), "happy": Count(counted, filter=satisfied)}


class Evaluation(models.Model):
    """每场活动有评价: one per attendee per event, or a paper slip entered by staff."""

    event = models.ForeignKey(Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="evaluations")
    member = models.ForeignKey(
        Member, verbose_name=_("villager"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    rating = models.PositiveSmallIntegerField(_("rating"), validators=[MinValueValidator(1), MaxValueValidator(5)])
    liked = models.TextField(_("what was good"), blank=True, max_length=1000)
    improve = models.TextField(_("what to improve"), blank=True, max_length=1000)
    wish = models.TextField(_("what you would like next"), blank=True, max_length=1000)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices, default=Channel.WEB)
    entered_by = actor_field(_("entered by"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "member"],
                condition=Q(member__isnull=False),
                name="one_evaluation_per_person",
                violation_error_message=_("This person has already evaluated this event."),
            ),
            models.CheckConstraint(
                condition=Q(rating__gte=1, rating__lte=5),
                name="evaluation_rating_1_to_5",
                violation_error_message=_("The rating is from 1 to 5 stars."),
            ),
        ]

    def __str__(self):
        return f"{self.event} · {self.rating}"


class EvaluationInvitation(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="+")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["event", "member"], name="one_invitation_per_person")]

    def __str__(self):
        return f"{self.event_id} → {self.member_id}"


class Need(models.Model):
    """群众点单: something villagers want the center to offer."""

    class State(models.TextChoices):
        RECEIVED = "received", _("Received")
        REVIEWING = "reviewing", _("Being looked at")
        ACCEPTED = "accepted", _("Accepted")
        SCHEDULED = "scheduled", _("Scheduled")
        DELIVERED = "delivered", _("Delivered")
        EVALUATED = "evaluated", _("Evaluated")
        DECLINED = "declined", _("Declined")

    NEXT = {
        State.RECEIVED: [State.REVIEWING, State.DECLINED],
        State.REVIEWING: [State.ACCEPTED, State.DECLINED],
        State.ACCEPTED: [State.SCHEDULED, State.DECLINED],
        State.SCHEDULED: [State.DELIVERED],
        State.DELIVERED: [State.EVALUATED],
        State.EVALUATED: [],
        State.DECLINED: [],
    }

    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    village = models.CharField(_("village"), max_length=20, choices=Village.choices)
    text = models.TextField(_("what would you like?"), max_length=1000)
    posted_by = models.ForeignKey(Member, verbose_name=_("posted by"), on_delete=models.PROTECT, related_name="needs")
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.RECEIVED)
    events = models.ManyToManyField(
        Event, verbose_name=_("events that answer it"), blank=True, through="NeedEvent", related_name="needs"
    )
    hidden = models.BooleanField(_("hidden"), default=False)
    hidden_reason = models.CharField(
        _("reason for hiding"), max_length=200, blank=True, validators=[no_control_characters]
    )
    hidden_at = models.DateTimeField(_("hidden at"), null=True, blank=True)
    hidden_by = actor_field(_("hidden by"))
    created_at = models.DateTimeField(_("posted at"), auto_now_add=True)
    # Kept by `services.need_support` (the board sorts by it; counting +1s per request does not scale).
    support_count = models.PositiveIntegerField(_("support"), default=0, editable=False)

    class Meta:
        verbose_name = _("need")
        verbose_name_plural = _("needs")
        ordering = ["-created_at"]
        permissions = [("moderate_need", _("Can answer and moderate needs"))]
        indexes = [
            models.Index(fields=["hidden", "state", "created_at"]),
            models.Index(fields=["hidden", "-support_count", "-created_at"], name="need_board_by_support"),
        ]

    def __str__(self):
        return self.text[:40]

    def get_absolute_url(self):
        return reverse("feedback:need", args=[self.pk])


class NeedEvent(models.Model):
    need = models.ForeignKey(Need, verbose_name=_("need"), on_delete=models.CASCADE)
    event = models.ForeignKey(Event, verbose_name=_("event"), on_delete=models.CASCADE)
    notified_at = models.DateTimeField(_("supporters told at"), null=True, blank=True)
    linked_by = actor_field(_("linked by"))
    linked_at = models.DateTimeField(_("linked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("event scheduled for a need")
        verbose_name_plural = _("events scheduled for the need")
        constraints = [models.UniqueConstraint(fields=["need", "event"], name="need_event_once")]

    def __str__(self):
        return f"{self.need_id} → {self.event_id}"


class NeedSupport(models.Model):
    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="supports")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["need", "member"],
                name="one_support_per_member",
                violation_error_message=_("You already support this need."),
            )
        ]

    def __str__(self):
        return f"{self.need_id} +1"


class NeedReport(models.Model):
    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="reports")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["need", "member"], name="one_report_per_member")]

    def __str__(self):
        return f"{self.need_id} !"


class NeedStep(models.Model):
    """One dated entry of the need's public timeline (你说我做)."""

    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="steps")
    state = models.CharField(_("state"), max_length=12, choices=Need.State.choices)
    reply = models.CharField(_("public reply"), max_length=300, blank=True, validators=[no_control_characters])
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.get_state_display()} · {self.at:%Y-%m-%d}"


class EventFeedback(Event):
    """Events seen from the feedback side: satisfaction and evaluation count in the admin."""

    class Meta:
        proxy = True
        verbose_name = _("event satisfaction")
        verbose_name_plural = _("event satisfaction")
