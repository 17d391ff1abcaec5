"""Volunteers (文化志愿者): applications, shifts with roles, sign-ups, hours, certificates.

A shift belongs to an event (a 文化下乡 event at a village site too), or stands on its own
with its own place and times (阅览室值班, a trip without an event). Hours count only once
approved; a correction is a new entry that supersedes an earlier one, never an edit."""

from datetime import time
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from activities.models.events import Event, Venue
from activities.models.rooms import Booking
from culturecenter.lib.text import no_control_characters
from culturecenter.models import Member, Village, actor_field

# A minor's shift may not end after this (local time).
MINOR_LATEST_END = time(21, 0)
ADULT_AGE = 18


class Skill(models.TextChoices):
    PHOTOGRAPHY = "photography", _("Photography")
    FIRST_AID = "first_aid", _("First aid")
    SOUND = "sound", _("Sound system")
    CRAFTS = "crafts", _("Teaching crafts")
    READING = "reading", _("Reading aloud")
    DRIVING = "driving", _("Driving")
    GUIDING = "guiding", _("Guiding and sign-in")


class Availability(models.TextChoices):
    WEEKDAY_DAYTIME = "weekday_daytime", _("Weekday daytime")
    EVENINGS = "evenings", _("Evenings")
    WEEKENDS = "weekends", _("Weekends")


SKILL_LABELS = dict(Skill.choices)
AVAILABILITY_LABELS = dict(Availability.choices)


def choices_display(labels: dict, codes) -> str:
    """Stored choice codes as their labels in the current language, 、-separated; unknown ones left out."""
    return "、".join(str(labels[code]) for code in codes if code in labels)


def hours_text(minutes: int | None) -> str:
    """Minutes as hours with one decimal, rounded half up as people round by hand: 555 → "9.3"."""
    hours = (Decimal(minutes or 0) / 60).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return f"{hours}"


def member_age(member: Member, today=None) -> int:
    return (today or timezone.localdate()).year - member.birth_year


class VolunteerQuerySet(models.QuerySet):
    def accepted(self):
        return self.filter(status=Volunteer.Status.ACCEPTED)


class Volunteer(models.Model):
    """A person's application to volunteer, and once accepted their standing as a volunteer."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Application received")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")

    class ConsentWay(models.TextChoices):
        ONLINE = "online", _("By the guardian's own login")
        DESK = "desk", _("At the front desk")

    member = models.OneToOneField(Member, verbose_name=_("person"), on_delete=models.PROTECT, related_name="volunteer")
    skills = models.JSONField(_("skills"), default=list, blank=True)
    availability = models.JSONField(_("availability"), default=list, blank=True)
    village = models.CharField(_("village"), max_length=20, choices=Village.choices)
    note = models.CharField(_("anything else"), max_length=300, blank=True, validators=[no_control_characters])
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PENDING)
    applied_at = models.DateTimeField(_("applied at"), default=timezone.now)
    applied_by = actor_field(_("applied by"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = actor_field(_("decided by"))
    decision_note = models.CharField(_("reason"), max_length=300, blank=True, validators=[no_control_characters])
    guardian_consent_at = models.DateTimeField(_("guardian consent given at"), null=True, blank=True)
    guardian_consent_by = actor_field(_("guardian consent recorded by"))
    guardian_consent_way = models.CharField(
        _("guardian consent given"), max_length=20, choices=ConsentWay.choices, blank=True
    )
    guardian_name = models.CharField(
        _("guardian's name"), max_length=30, blank=True, validators=[no_control_characters]
    )
    consent_withdrawn_at = models.DateTimeField(_("guardian consent withdrawn at"), null=True, blank=True)
    consent_withdrawn_by = actor_field(_("guardian consent withdrawn by"))

    objects = VolunteerQuerySet.as_manager()

    class Meta:
        verbose_name = _("volunteer")
        verbose_name_plural = _("volunteers")
        ordering = ["member__name", "pk"]
        # The coordinator's page lists what waits for a decision: a few rows among many.
        indexes = [models.Index(fields=["applied_at"], condition=Q(status="pending"), name="volunteer_pending")]
        permissions = [("coordinate_volunteers", _("Can coordinate volunteers (accept, assign, approve hours)"))]

    def __str__(self):
        return str(self.member)

    @property
    def is_minor(self) -> bool:
        return member_age(self.member) < ADULT_AGE

    @property
    def has_guardian_consent(self) -> bool:
        return self.guardian_consent_at is not None and self.consent_withdrawn_at is None

    @property
    def may_serve(self) -> bool:
        return self.status == self.Status.ACCEPTED and (not self.is_minor or self.has_guardian_consent)

    def get_skills_display(self) -> str:
        return choices_display(SKILL_LABELS, self.skills)

    def get_availability_display(self) -> str:
        return choices_display(AVAILABILITY_LABELS, self.availability)


class ShiftQuerySet(models.QuerySet):
    def upcoming(self, now=None):
        return self.filter(ends_at__gt=now or timezone.now(), cancelled_at__isnull=True)

    def between(self, start, end):
        return self.filter(starts_at__lt=end, ends_at__gt=start)


class Shift(models.Model):
    """A stretch of volunteer work with its roles; attached to an event, or standing on its own."""

    class Kind(models.TextChoices):
        EVENT = "event", _("At an event")
        BOOKING = "booking", _("At a room booking")
        OUTREACH = "outreach", _("文化下乡 trip")
        DUTY = "duty", _("Standing duty")

    class Mode(models.TextChoices):
        SELF = "self", _("Volunteers sign up themselves")
        APPROVAL = "approval", _("Sign-up needs the coordinator's approval")
        ASSIGNED = "assigned", _("Assigned by staff")

    title = models.CharField(_("title"), max_length=80, validators=[no_control_characters])
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    event = models.ForeignKey(
        Event, verbose_name=_("event"), null=True, blank=True, on_delete=models.CASCADE, related_name="shifts"
    )
    booking = models.ForeignKey(
        Booking, verbose_name=_("room booking"), null=True, blank=True, on_delete=models.CASCADE, related_name="shifts"
    )
    venue = models.ForeignKey(
        Venue, verbose_name=_("place"), null=True, blank=True, on_delete=models.PROTECT, related_name="shifts"
    )
    place = models.CharField(_("place (in words)"), max_length=100, blank=True, validators=[no_control_characters])
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    mode = models.CharField(_("sign-up"), max_length=20, choices=Mode.choices, default=Mode.SELF)
    description = models.TextField(_("what the work is"), blank=True, max_length=2000)
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("coordinator"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="coordinated_shifts",
    )
    created_by = actor_field(_("created by"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancelled_by = actor_field(_("cancelled by"))
    cancel_reason = models.CharField(
        _("reason for cancelling"), max_length=200, blank=True, validators=[no_control_characters]
    )

    objects = ShiftQuerySet.as_manager()

    class Meta:
        verbose_name = _("volunteer shift")
        verbose_name_plural = _("volunteer shifts")
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["starts_at", "ends_at"]), models.Index(fields=["ends_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="shift_ends_after_start",
                violation_error_message=_("The end must be after the start."),
            ),
            models.CheckConstraint(
                condition=~Q(kind="event") | Q(event__isnull=False),
                name="event_shift_has_event",
                violation_error_message=_("A shift at an event needs its event."),
            ),
            models.CheckConstraint(
                condition=~Q(kind="booking") | Q(booking__isnull=False),
                name="booking_shift_has_booking",
                violation_error_message=_("A shift at a room booking needs its booking."),
            ),
        ]

    def __str__(self):
        local = timezone.localtime(self.starts_at)
        return f"{self.title} · {local:%m-%d %H:%M}–{timezone.localtime(self.ends_at):%H:%M}"

    def get_absolute_url(self):
        return reverse("activities:volunteer_shift", args=[self.pk])

    @property
    def where(self) -> str:
        if self.place:
            return self.place
        venue = self.venue or (self.event.venue if self.event_id else self.booking.venue if self.booking_id else None)
        return str(venue) if venue else ""

    @property
    def ends_late_for_minors(self) -> bool:
        end = timezone.localtime(self.ends_at)
        start = timezone.localtime(self.starts_at)
        return end.date() > start.date() or end.time() > MINOR_LATEST_END

    @property
    def minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)


class ShiftRole(models.Model):
    """签到 2, 摄影 1, 引导 3: what a shift needs, and how many people for each."""

    shift = models.ForeignKey(Shift, verbose_name=_("shift"), on_delete=models.CASCADE, related_name="roles")
    name = models.CharField(_("role"), max_length=30, validators=[no_control_characters])
    needed = models.PositiveSmallIntegerField(_("people needed"), default=1)
    skill = models.CharField(_("skill needed"), max_length=20, choices=Skill.choices, blank=True)
    adults_only = models.BooleanField(_("adults only"), default=False)
    is_critical = models.BooleanField(
        _("critical"), default=False, help_text=_("The shift cannot run without it; shown first when unfilled.")
    )

    class Meta:
        verbose_name = _("shift role")
        verbose_name_plural = _("shift roles")
        ordering = ["shift", "-is_critical", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["shift", "name"],
                name="one_role_name_per_shift",
                violation_error_message=_("This shift already has a role of that name."),
            ),
            models.CheckConstraint(
                condition=Q(needed__gte=1),
                name="shift_role_needs_someone",
                violation_error_message=_("A role needs at least one person."),
            ),
        ]

    def __str__(self):
        return f"{self.name} × {self.needed}"


class ShiftSignupQuerySet(models.QuerySet):
    def holding(self):
        """Places taken or asked for: what overlaps are checked against."""
        return self.filter(status__in=ShiftSignup.HOLDING)


class ShiftSignup(models.Model):
    """One volunteer's place in one role of one shift (or their place in its queue)."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Awaiting the coordinator")
        CONFIRMED = "confirmed", _("Place confirmed")
        WAITING = "waiting", _("On the waiting list")
        CANCELLED = "cancelled", _("Cancelled")
        DECLINED = "declined", _("Not taken")

    HOLDING = (Status.REQUESTED, Status.CONFIRMED, Status.WAITING)

    shift = models.ForeignKey(Shift, verbose_name=_("shift"), on_delete=models.CASCADE, related_name="signups")
    role = models.ForeignKey(ShiftRole, verbose_name=_("role"), on_delete=models.PROTECT, related_name="signups")
    volunteer = models.ForeignKey(
        Volunteer, verbose_name=_("volunteer"), on_delete=models.PROTECT, related_name="signups"
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    queued_at = models.DateTimeField(_("signed up at"), default=timezone.now)
    signed_up_by = actor_field(_("signed up by"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = actor_field(_("decided by"))
    promoted_at = models.DateTimeField(_("moved up from the waiting list"), null=True, blank=True)
    override_reason = models.CharField(
        _("reason for allowing an overlap"), max_length=200, blank=True, validators=[no_control_characters]
    )
    confirm_asked_at = models.DateTimeField(_("asked to confirm at"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("attendance confirmed at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancelled_by = actor_field(_("cancelled by"))
    is_late_cancel = models.BooleanField(_("cancelled under 24 hours before"), default=False)
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    checked_in_by = actor_field(_("checked in by"))
    checked_out_at = models.DateTimeField(_("checked out at"), null=True, blank=True)
    checked_out_by = actor_field(_("checked out by"))
    no_show = models.BooleanField(_("did not come"), default=False)

    objects = ShiftSignupQuerySet.as_manager()

    class Meta:
        verbose_name = _("shift sign-up")
        verbose_name_plural = _("shift sign-ups")
        ordering = ["queued_at", "pk"]
        indexes = [
            models.Index(fields=["role", "status", "queued_at"]),
            models.Index(fields=["queued_at"], condition=Q(status="requested"), name="shiftsignup_requested"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["shift", "volunteer"],
                name="one_signup_per_volunteer_per_shift",
                violation_error_message=_("This volunteer is already signed up for this shift."),
            ),
            models.CheckConstraint(
                condition=Q(checked_out_at__isnull=True) | Q(checked_in_at__isnull=False),
                name="shift_checkout_after_checkin",
                violation_error_message=_("Check out only after checking in."),
            ),
            models.CheckConstraint(
                condition=Q(checked_out_at__isnull=True) | Q(checked_out_at__gte=models.F("checked_in_at")),
                name="shift_checkout_not_before_checkin",
                violation_error_message=_("The check-out cannot be before the check-in."),
            ),
        ]

    def __str__(self):
        return f"{self.volunteer} · {self.shift} · {self.role.name}"

    @property
    def at_risk(self) -> bool:
        """Asked to confirm and not confirmed yet."""
        return self.status == self.Status.CONFIRMED and self.confirmed_at is None and self.confirm_asked_at is not None


def counted_hours(prefix: str = "", start=None, end=None) -> Q:
    """Approved entries that no later correction replaced, the only hours that count;
    served from `start` to `end` when given. `prefix` reaches them from another model
    (`"hours__"` from a volunteer)."""
    # NOT EXISTS rather than a join on the corrections: PostgreSQL then expects the rows it gets.
    replaced = HoursEntry.objects.filter(corrects=models.OuterRef(f"{prefix}pk"))
    rule = Q(**{f"{prefix}status": HoursEntry.Status.APPROVED}) & ~models.Exists(replaced)
    if start:
        rule &= Q(**{f"{prefix}service_date__gte": start})
    if end:
        rule &= Q(**{f"{prefix}service_date__lte": end})
    return rule


class HoursEntryQuerySet(models.QuerySet):
    def counted(self, start=None, end=None):
        """The hours that count (`counted_hours`)."""
        return self.filter(counted_hours(start=start, end=end))

    def total_minutes(self) -> int:
        return self.counted().aggregate(total=Sum("minutes"))["total"] or 0


class HoursEntry(models.Model):
    """Minutes of volunteer service. Never edited: a correction is a new entry naming the one it replaces."""

    class Kind(models.TextChoices):
        ATTENDANCE = "attendance", _("Scheduled shift (from check-in and check-out)")
        EXTRA = "extra", _("Time beyond the shift")
        SELF_REPORTED = "self_reported", _("Reported by the volunteer")
        CORRECTION = "correction", _("Correction")

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting approval")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Not approved")

    volunteer = models.ForeignKey(
        Volunteer, verbose_name=_("volunteer"), on_delete=models.PROTECT, related_name="hours"
    )
    signup = models.ForeignKey(
        ShiftSignup,
        verbose_name=_("shift sign-up"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="hours",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PENDING)
    service_date = models.DateField(_("date of service"))
    minutes = models.PositiveIntegerField(_("minutes"))
    content = models.CharField(_("service content"), max_length=200, validators=[no_control_characters])
    reason = models.CharField(_("reason"), max_length=300, blank=True, validators=[no_control_characters])
    corrects = models.ForeignKey(
        "self",
        verbose_name=_("corrects"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="corrected_by_entries",
    )
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    created_by = actor_field(_("recorded by"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = actor_field(_("decided by"))
    decision_note = models.CharField(_("opinion"), max_length=300, blank=True, validators=[no_control_characters])

    objects = HoursEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("volunteer hours")
        verbose_name_plural = _("volunteer hours")
        ordering = ["service_date", "pk"]
        indexes = [models.Index(fields=["service_date"], condition=Q(status="pending"), name="hoursentry_pending")]
        constraints = [
            models.CheckConstraint(
                condition=Q(minutes__lte=24 * 60),
                name="hours_entry_at_most_a_day",
                violation_error_message=_("One entry covers at most 24 hours."),
            ),
            models.CheckConstraint(
                condition=Q(kind="attendance") | ~Q(reason=""),
                name="hours_entry_has_reason_unless_attendance",
                violation_error_message=_("Give a reason."),
            ),
            models.CheckConstraint(
                condition=Q(status="pending") | Q(decided_at__isnull=False),
                name="hours_entry_decision_has_time",
                violation_error_message=_("A decision records when it was made."),
            ),
        ]

    def __str__(self):
        return f"{self.volunteer} · {self.service_date} · {self.hours_text}"

    @property
    def hours_text(self) -> str:
        return hours_text(self.minutes)


class Recognition(models.Model):
    """A training attended or a commendation received; shown on the volunteer's record."""

    class Kind(models.TextChoices):
        TRAINING = "training", _("Training")
        COMMENDATION = "commendation", _("Commendation")

    volunteer = models.ForeignKey(
        Volunteer, verbose_name=_("volunteer"), on_delete=models.CASCADE, related_name="recognitions"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=100, validators=[no_control_characters])
    date = models.DateField(_("date"))
    recorded_by = actor_field(_("recorded by"))
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("training or commendation")
        verbose_name_plural = _("trainings and commendations")
        ordering = ["-date", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.title}"


class Certificate(models.Model):
    """志愿服务记录证明: what was printed, kept as printed, so its serial can be verified later."""

    serial = models.CharField(_("serial number"), max_length=30, unique=True)
    volunteer = models.ForeignKey(
        Volunteer, verbose_name=_("volunteer"), on_delete=models.PROTECT, related_name="certificates"
    )
    name = models.CharField(_("name"), max_length=30)
    masked_number = models.CharField(_("member number (masked)"), max_length=20)
    period_from = models.DateField(_("service from"))
    period_to = models.DateField(_("service until"))
    minutes = models.PositiveIntegerField(_("minutes"))
    content = models.TextField(_("service content"))
    organisation = models.CharField(_("issued by"), max_length=100)
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)
    issued_by = actor_field(_("issued by (login)"))

    class Meta:
        verbose_name = _("volunteer service certificate")
        verbose_name_plural = _("volunteer service certificates")
        ordering = ["-issued_at", "pk"]

    def __str__(self):
        return self.serial

    def get_absolute_url(self):
        return reverse("activities:volunteer_verify", args=[self.serial])

    @property
    def hours_text(self) -> str:
        return hours_text(self.minutes)


class CoordinatorAlert(models.Model):
    """Something the coordinator must know (a late cancellation, consent withdrawn). Staff
    logins have no villager notices; these show on the staff volunteer page, and a
    coordinator who is also a member gets a notice too."""

    shift = models.ForeignKey(
        Shift, verbose_name=_("shift"), null=True, blank=True, on_delete=models.CASCADE, related_name="alerts"
    )
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("coordinator"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="volunteer_alerts",
    )
    text = models.CharField(_("text"), max_length=300)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    seen_at = models.DateTimeField(_("seen at"), null=True, blank=True)
    seen_by = actor_field(_("seen by"))

    class Meta:
        verbose_name = _("coordinator alert")
        verbose_name_plural = _("coordinator alerts")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["-created_at"], condition=Q(seen_at__isnull=True), name="coordinatoralert_unseen")
        ]

    def __str__(self):
        return self.text
