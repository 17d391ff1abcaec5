"""The needs board (群众点单) and its public timeline (你说我做)."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from activities.models import Category, Event
from culturecenter.lib.text import no_control_characters
from culturecenter.models import Member, Village, actor_field


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
