"""Cultural teams (文化队伍): the 广场舞队, 花信清水 and their members over time.

A membership is dated: joining and leaving are days, so past members stay in the
history and the team's size on any date is a count, never a guess."""

from datetime import date

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from activities.models.events import Event, Presenter
from culturecenter.lib.images import CleanImageField
from culturecenter.lib.text import no_control_characters
from culturecenter.models import Member, actor_field


class Mark(models.TextChoices):
    """One person's attendance at one session or practice."""

    PRESENT = "present", _("Present")
    LATE = "late", _("Late")
    EXCUSED = "excused", _("Excused (请假)")
    ABSENT = "absent", _("Absent")

    @classmethod
    def attended(cls) -> tuple[str, str]:
        return (cls.PRESENT, cls.LATE)


class Team(models.Model):
    slug = models.SlugField(_("web address"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=40, validators=[no_control_characters])
    description = models.TextField(_("description"), max_length=3000)
    founded_on = models.DateField(_("founded on"), null=True, blank=True)
    coach = models.ForeignKey(
        Presenter,
        verbose_name=_("professional coach"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="teams",
        help_text=_("A vetted teacher or performer who coaches the team."),
    )
    practice_note = models.CharField(
        _("practice (when no room booking)"),
        max_length=100,
        blank=True,
        validators=[no_control_characters],
        help_text=_("e.g. every evening on the square; shown when the team has no repeating room booking."),
    )
    is_public = models.BooleanField(_("shown on the site"), default=True)

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["name"]
        permissions = [("manage_team", _("Can manage teams and take practice attendance"))]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("activities:team", args=[self.slug])

    def members_on(self, day: date):
        return self.memberships.on(day)


class MembershipQuerySet(models.QuerySet):
    def on(self, day: date):
        """Memberships that ran on `day` (joined that day or before, not yet left)."""
        return self.filter(joined_on__lte=day).filter(Q(left_on__isnull=True) | Q(left_on__gt=day))

    def current(self):
        return self.on(timezone.localdate())


class TeamMembership(models.Model):
    class Role(models.TextChoices):
        LEADER = "leader", _("Team leader (队长)")
        COACH = "coach", _("Coach (教练)")
        MEMBER = "member", _("Member (队员)")

    team = models.ForeignKey(Team, verbose_name=_("team"), on_delete=models.CASCADE, related_name="memberships")
    member = models.ForeignKey(
        Member, verbose_name=_("person"), on_delete=models.PROTECT, related_name="team_memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    joined_on = models.DateField(_("joined on"), default=timezone.localdate)
    left_on = models.DateField(_("left on"), null=True, blank=True)
    added_by = actor_field(_("added by"))

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("team membership")
        verbose_name_plural = _("team memberships")
        ordering = ["team", "joined_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["team", "member"],
                condition=Q(left_on__isnull=True),
                name="one_open_membership_per_person_per_team",
                violation_error_message=_("This person is already a member of this team."),
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=models.F("joined_on")),
                name="membership_leaves_after_joining",
                violation_error_message=_("A member cannot leave before joining."),
            ),
        ]

    def __str__(self):
        return f"{self.member} · {self.team} · {self.get_role_display()}"


class JoinRequest(models.Model):
    """A villager asks to join; the team leader or staff accept or decline."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for an answer")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")

    team = models.ForeignKey(Team, verbose_name=_("team"), on_delete=models.CASCADE, related_name="join_requests")
    member = models.ForeignKey(Member, verbose_name=_("person"), on_delete=models.CASCADE, related_name="join_requests")
    message = models.CharField(_("message"), max_length=300, blank=True, validators=[no_control_characters])
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PENDING)
    asked_by = actor_field(_("asked by"))
    asked_at = models.DateTimeField(_("asked at"), auto_now_add=True)
    decided_by = actor_field(_("decided by"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("request to join")
        verbose_name_plural = _("requests to join")
        ordering = ["asked_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["team", "member"],
                condition=Q(status="pending"),
                name="one_pending_join_request_per_person_per_team",
                violation_error_message=_("This person has already asked to join this team."),
            ),
        ]

    def __str__(self):
        return f"{self.member} → {self.team}"


class Honour(models.Model):
    team = models.ForeignKey(Team, verbose_name=_("team"), on_delete=models.CASCADE, related_name="honours")
    title = models.CharField(_("award"), max_length=120, validators=[no_control_characters])
    awarded_on = models.DateField(_("awarded on"))
    awarding_body = models.CharField(_("awarding body"), max_length=120, validators=[no_control_characters])
    note = models.CharField(_("note"), max_length=300, blank=True, validators=[no_control_characters])

    class Meta:
        verbose_name = _("honour")
        verbose_name_plural = _("honours")
        ordering = ["-awarded_on", "pk"]

    def __str__(self):
        return self.title


class Performance(models.Model):
    """The team performed at an event (its page links there)."""

    team = models.ForeignKey(Team, verbose_name=_("team"), on_delete=models.CASCADE, related_name="performances")
    event = models.ForeignKey(Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="performances")
    piece = models.CharField(_("piece performed"), max_length=80, blank=True, validators=[no_control_characters])

    class Meta:
        verbose_name = _("performance")
        verbose_name_plural = _("performances")
        ordering = ["-event__starts_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["team", "event"],
                name="one_performance_per_team_per_event",
                violation_error_message=_("This performance is already recorded."),
            )
        ]

    def __str__(self):
        return f"{self.team} · {self.event}"


class TeamPhoto(models.Model):
    team = models.ForeignKey(Team, verbose_name=_("team"), on_delete=models.CASCADE, related_name="photos")
    image = CleanImageField(_("photo"), upload_to="teams/%Y/")
    caption = models.CharField(_("caption"), max_length=100, blank=True, validators=[no_control_characters])

    class Meta:
        verbose_name = _("team photo")
        verbose_name_plural = _("team photos")
        ordering = ["pk"]

    def __str__(self):
        return self.caption or str(self.team)


class PracticeAttendance(models.Model):
    """One member's mark at one practice (a room booking of the team)."""

    booking = models.ForeignKey(
        "Booking", verbose_name=_("practice"), on_delete=models.CASCADE, related_name="practice_marks"
    )
    member = models.ForeignKey(
        Member, verbose_name=_("person"), on_delete=models.CASCADE, related_name="practice_marks"
    )
    mark = models.CharField(_("attendance"), max_length=20, choices=Mark.choices)
    marked_by = actor_field(_("marked by"))
    marked_at = models.DateTimeField(_("marked at"), default=timezone.now)

    class Meta:
        verbose_name = _("practice attendance")
        verbose_name_plural = _("practice attendance")
        ordering = ["booking", "member"]
        constraints = [
            models.UniqueConstraint(
                fields=["booking", "member"],
                name="one_mark_per_person_per_practice",
                violation_error_message=_("This person is already marked for this practice."),
            )
        ]

    def __str__(self):
        return f"{self.member} · {self.get_mark_display()}"
