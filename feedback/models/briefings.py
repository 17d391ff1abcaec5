"""工作简报: a period's figures, computed from every app, with the staff's prose; frozen when a
reviewer signs it off (签发). The figures themselves are never stored on a draft: a draft is
computed afresh each time it is opened, so only a signed briefing holds numbers."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from activities.models import Event
from culturecenter.lib.text import no_control_characters
from culturecenter.models import actor_field
from feedback.models.evaluations import Evaluation
from feedback.models.needs import Need


class BriefingTargets(models.Model):
    """The standards the center is judged on (one row): another township's standard is
    changed here, not in code."""

    open_hours_per_week = models.DecimalField(
        _("open hours a week"), max_digits=5, decimal_places=1, default=Decimal("42"), validators=[MinValueValidator(0)]
    )
    evening_share_percent = models.DecimalField(
        _("evening and staggered hours, share of open hours (%)"),
        max_digits=5,
        decimal_places=1,
        default=Decimal("33.3"),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    activities_per_year = models.PositiveIntegerField(_("activities a year"), default=52)
    reading_activities_per_year = models.PositiveIntegerField(_("reading activities a year"), default=6)
    cultural_teams = models.PositiveIntegerField(_("cultural teams"), default=6)
    satisfaction_percent = models.DecimalField(
        _("satisfaction (%)"),
        max_digits=5,
        decimal_places=1,
        default=Decimal("90"),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    issuing_body = models.CharField(
        _("issuing body"), max_length=60, default="清水镇文化中心", validators=[no_control_characters]
    )
    sent_to = models.CharField(
        _("sent to (报/送/发)"),
        max_length=200,
        blank=True,
        default="报：镇党委、镇政府　送：区文化和旅游局　发：各村文化室",
        validators=[no_control_characters],
    )
    copies = models.PositiveSmallIntegerField(_("copies printed"), default=20)

    class Meta:
        verbose_name = _("indicator targets")
        verbose_name_plural = _("indicator targets")

    def __str__(self):
        return str(_("indicator targets"))

    @classmethod
    def current(cls) -> "BriefingTargets":
        targets, _created = cls.objects.get_or_create(pk=1)
        return targets


class BriefingQuerySet(models.QuerySet):
    def signed(self):
        return self.filter(state=Briefing.State.SIGNED)


class Briefing(models.Model):
    class Kind(models.TextChoices):
        REGULAR = "regular", pgettext_lazy("briefing", "Regular issue")
        SUPPLEMENT = "supplement", pgettext_lazy("briefing", "Supplement (增刊)")

    class State(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("briefing", "Draft")
        SIGNED = "signed", pgettext_lazy("briefing", "Signed off")

    title = models.CharField(_("title"), max_length=80, validators=[no_control_characters])
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.REGULAR)
    starts_on = models.DateField(_("period from"))
    ends_on = models.DateField(_("period to"))
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.DRAFT)
    # 第X期 within `year` and 总第Y期 over all years (regular issues only): given at sign-off.
    year = models.PositiveSmallIntegerField(_("year of issue"), null=True, blank=True)
    number = models.PositiveIntegerField(_("issue number"), null=True, blank=True)
    total_number = models.PositiveIntegerField(_("issue number over all years"), null=True, blank=True)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    replaces = models.OneToOneField(
        "self",
        verbose_name=_("corrects"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replaced_by",
    )
    correction_note = models.CharField(
        _("what this version corrects"), max_length=300, blank=True, validators=[no_control_characters]
    )
    texts = models.JSONField(_("prose by section"), default=dict, blank=True)
    annotations = models.JSONField(_("notes on figures"), default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_by = actor_field(_("last edited by"))
    updated_at = models.DateTimeField(_("last edited"), auto_now=True)
    signed_by = actor_field(_("signed off by"))
    signed_at = models.DateTimeField(_("signed off at"), null=True, blank=True)
    snapshot = models.JSONField(_("frozen figures"), null=True, blank=True, editable=False)
    html = models.TextField(_("frozen page"), blank=True, editable=False)
    public_html = models.TextField(_("frozen public summary"), blank=True, editable=False)
    changes = models.JSONField(_("changes from the previous version"), default=list, blank=True, editable=False)

    objects = BriefingQuerySet.as_manager()

    class Meta:
        verbose_name = _("work briefing")
        verbose_name_plural = _("work briefings")
        ordering = ["-starts_on", "-version", "-pk"]
        permissions = [("sign_briefing", _("Can sign off work briefings (审核人)"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="briefing_period_in_order",
                violation_error_message=_("The period must end on or after its first day."),
            ),
            models.UniqueConstraint(
                fields=["kind", "year", "number", "version"],
                name="briefing_number_once_a_year",
                violation_error_message=_("This issue number is already taken."),
            ),
            models.UniqueConstraint(
                fields=["kind", "total_number", "version"],
                name="briefing_total_number_once",
                violation_error_message=_("This issue number is already taken."),
            ),
            models.CheckConstraint(
                condition=Q(state="draft") | Q(number__isnull=False, signed_at__isnull=False, snapshot__isnull=False),
                name="signed_briefing_has_number_and_snapshot",
                violation_error_message=_("A signed-off briefing has its number and frozen figures."),
            ),
        ]

    def __str__(self):
        return f"{self.issue_label} {self.title}".strip()

    def get_absolute_url(self):
        return reverse("feedback:briefing", args=[self.pk])

    @property
    def is_signed(self) -> bool:
        return self.state == self.State.SIGNED

    @property
    def issue_label(self) -> str:
        """2024年第3期（总第15期）, 2024年增刊第1期, or 草稿."""
        if self.number is None:
            return str(pgettext_lazy("briefing", "Draft"))
        if self.kind == self.Kind.SUPPLEMENT:
            label = _("%(year)s supplement no. %(number)s") % {"year": self.year, "number": self.number}
        else:
            label = _("%(year)s no. %(number)s (no. %(total)s overall)") % {
                "year": self.year,
                "number": self.number,
                "total": self.total_number,
            }
        if self.version > 1:
            label += str(_(" · version %(version)s") % {"version": self.version})
        return label


class NextStep(models.Model):
    """下步打算: what staff mean to do next, tied to the needs and evaluations it answers, and
    followed up in the next briefing."""

    briefing = models.ForeignKey(
        Briefing, verbose_name=_("work briefing"), on_delete=models.CASCADE, related_name="next_steps"
    )
    text = models.CharField(_("next step"), max_length=300, validators=[no_control_characters])
    needs = models.ManyToManyField(Need, verbose_name=_("needs it answers"), blank=True, related_name="+")
    events = models.ManyToManyField(
        Event,
        verbose_name=_("events it plans or answers"),
        blank=True,
        related_name="+",
        help_text=_("Its state follows them: held and evaluated counts as done."),
    )
    evaluations = models.ManyToManyField(
        Evaluation, verbose_name=_("evaluations it answers"), blank=True, related_name="+"
    )
    created_by = actor_field(_("written by"))
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)

    class Meta:
        verbose_name = _("next step")
        verbose_name_plural = _("next steps")
        ordering = ["pk"]

    def __str__(self):
        return self.text
