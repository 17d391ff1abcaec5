"""Event evaluations (每场活动有评价) and satisfaction."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Avg, Count, Q
from django.utils.translation import gettext_lazy as _

from activities.models import Event
from culturecenter.models import Member, actor_field
from feedback.models.questionnaires import Channel

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


class EventFeedback(Event):
    """Events seen from the feedback side: satisfaction and evaluation count in the admin."""

    class Meta:
        proxy = True
        verbose_name = _("event satisfaction")
        verbose_name_plural = _("event satisfaction")
