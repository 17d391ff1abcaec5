"""The center's room calendar: occupancies (the one claim on a room or resource for a
time), bookings and their repeating series, the steps of each booking, and the record of
a hosted government meeting or big event."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from activities.models.events import Event, Venue
from culturecenter.lib.private_files import UnguessableName, private_storage
from culturecenter.lib.text import no_control_characters
from culturecenter.models import actor_field


class OccupancyQuerySet(models.QuerySet):
    def overlapping(self, start, end):
        """Claims whose blocked time (set-up and clean-up included) meets the half-open [start, end)."""
        return self.filter(blocked_from__lt=end, blocked_until__gt=start)

    def between(self, day_start, day_end):
        """Claims on the calendar between two moments, e.g. a day or a week."""
        return self.overlapping(day_start, day_end)

    def for_calendar(self):
        return self.select_related("venue", "event", "booking")


class Occupancy(models.Model):
    """One claim on one venue (room or resource) for a half-open time range.

    `blocked_from`/`blocked_until` are the use plus set-up and clean-up; they are what may
    not overlap. Set only by `activities.services.occupancy`."""

    class Kind(models.TextChoices):
        EVENT = "event", _("Event")
        BOOKING = "booking", _("Booking")
        SESSION = "session", _("Course session")
        PRACTICE = "practice", _("Team practice")
        CLOSURE = "closure", _("Closed for maintenance")

    venue = models.ForeignKey(Venue, verbose_name=_("room"), on_delete=models.PROTECT, related_name="occupancies")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=120, validators=[no_control_characters])
    is_public = models.BooleanField(
        _("public"), default=True, help_text=_("Internal ones show to villagers as 已占用 without a title.")
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    setup_minutes = models.PositiveSmallIntegerField(_("set-up (minutes before)"), default=0)
    cleanup_minutes = models.PositiveSmallIntegerField(_("clean-up (minutes after)"), default=0)
    blocked_from = models.DateTimeField(_("held from"), editable=False)
    blocked_until = models.DateTimeField(_("held until"), editable=False)
    contact = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("contact"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="room_occupancies",
        help_text=_("Told when it is moved or released."),
    )
    event = models.ForeignKey(
        Event, verbose_name=_("event"), null=True, blank=True, on_delete=models.CASCADE, related_name="occupancies"
    )
    booking = models.ForeignKey(
        "Booking",
        verbose_name=_("booking"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="occupancies",
    )
    # Added by teams & courses: one session of a course series.
    session = models.ForeignKey(
        "CourseSession",
        verbose_name=_("course session"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="occupancies",
    )
    created_by = actor_field(_("created by"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = OccupancyQuerySet.as_manager()

    class Meta:
        verbose_name = _("occupancy")
        verbose_name_plural = _("occupancies")
        ordering = ["blocked_from", "pk"]
        indexes = [models.Index(fields=["venue", "blocked_from"]), models.Index(fields=["blocked_from"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="occupancy_ends_after_start",
                violation_error_message=_("The end must be after the start."),
            ),
            models.CheckConstraint(
                condition=Q(blocked_until__gt=F("blocked_from")),
                name="occupancy_held_range_in_order",
                violation_error_message=_("The end must be after the start."),
            ),
        ]
        # On PostgreSQL a migration adds the exclusion constraint `occupancy_no_overlap`.

    def __str__(self):
        start, end = timezone.localtime(self.starts_at), timezone.localtime(self.ends_at)
        return f"{self.title}（{start:%m-%d %H:%M}–{end:%H:%M}）"

    def set_blocked_range(self) -> None:
        self.blocked_from = self.starts_at - timedelta(minutes=self.setup_minutes)
        self.blocked_until = self.ends_at + timedelta(minutes=self.cleanup_minutes)

    def public_title(self) -> str:
        """What a villager sees: the title when public, else 已占用."""
        return self.title if self.is_public else str(_("Occupied"))


class Organiser(models.TextChoices):
    GOVERNMENT = "government", _("Government office")
    TEAM = "team", _("Team")
    VILLAGE = "village", _("Village committee")
    PERSON = "person", _("Person")
    CENTER = "center", _("The center itself")


class BookingSeries(models.Model):
    """A repeating booking (every Tuesday 19:00–21:00 until 30 June): one Booking per date."""

    venue = models.ForeignKey(Venue, verbose_name=_("room"), on_delete=models.PROTECT, related_name="booking_series")
    title = models.CharField(_("title"), max_length=120, validators=[no_control_characters])
    weekday = models.PositiveSmallIntegerField(_("weekday (0 = Monday)"))
    starts_time = models.TimeField(_("from"))
    ends_time = models.TimeField(_("to"))
    first_date = models.DateField(_("first date"))
    last_date = models.DateField(_("last date"))
    created_by = actor_field(_("created by"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("repeating booking")
        verbose_name_plural = _("repeating bookings")
        ordering = ["-first_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(last_date__gte=F("first_date")),
                name="booking_series_dates_in_order",
                violation_error_message=_("The last date must not be before the first."),
            ),
        ]

    def __str__(self):
        return f"{self.title}（{self.first_date:%m-%d}–{self.last_date:%m-%d}）"

    def dates(self):
        """Every date of the series, booked or not."""
        day = self.first_date + timedelta(days=(self.weekday - self.first_date.weekday()) % 7)
        while day <= self.last_date:
            yield day
            day += timedelta(days=7)


class BookingQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=Booking.Status.REQUESTED)

    def active(self):
        return self.filter(status=Booking.Status.CONFIRMED)

    def hosted(self):
        return self.filter(purpose__in=Booking.HOSTED)


class Booking(models.Model):
    """One use of a room: a staff booking, a member's request, or one date of a series."""

    class Purpose(models.TextChoices):
        MEETING = "meeting", _("Meeting")
        REHEARSAL = "rehearsal", _("Rehearsal")
        TRAINING = "training", _("Training")
        PRACTICE = "practice", _("Team practice")
        HOSTED_MEETING = "hosted_meeting", _("Government meeting (hosted)")
        HOSTED_EVENT = "hosted_event", _("Big event (hosted)")
        CLOSURE = "closure", _("Closed for maintenance")

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested, awaiting approval")
        CONFIRMED = "confirmed", _("Booked")
        DECLINED = "declined", _("Declined")
        CANCELLED = "cancelled", _("Cancelled")
        RELEASED = "released", _("Released: nobody came")

    HOSTED = (Purpose.HOSTED_MEETING, Purpose.HOSTED_EVENT)
    # Uses a government meeting may move (never silently).
    MOVABLE = (Purpose.PRACTICE, Purpose.REHEARSAL)

    venue = models.ForeignKey(Venue, verbose_name=_("room"), on_delete=models.PROTECT, related_name="bookings")
    title = models.CharField(_("title"), max_length=120, validators=[no_control_characters])
    organiser = models.CharField(_("organiser"), max_length=100, validators=[no_control_characters])
    organiser_kind = models.CharField(
        _("kind of organiser"), max_length=20, choices=Organiser.choices, default=Organiser.PERSON
    )
    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose.choices, default=Purpose.MEETING)
    attendance = models.PositiveIntegerField(_("expected attendance"), default=1)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    setup_minutes = models.PositiveSmallIntegerField(_("set-up (minutes before)"), default=0)
    cleanup_minutes = models.PositiveSmallIntegerField(_("clean-up (minutes after)"), default=0)
    equipment = models.CharField(
        _("equipment needed"), max_length=300, blank=True, validators=[no_control_characters],
        help_text=_("e.g. projector, sound, chairs set in rows"),
    )  # fmt: skip
    resources = models.ManyToManyField(
        Venue,
        verbose_name=_("equipment on loan"),
        blank=True,
        related_name="equipped_bookings",
        limit_choices_to={"kind": "resource"},
    )
    is_public = models.BooleanField(_("public"), default=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.CONFIRMED)
    series = models.ForeignKey(
        BookingSeries,
        verbose_name=_("repeating booking"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="bookings",
    )
    # Added by teams & courses: a practice of this team (purpose PRACTICE).
    team = models.ForeignKey(
        "Team",
        verbose_name=_("team"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="bookings",
    )
    note = models.TextField(_("note"), blank=True, max_length=1000)
    hours_override_reason = models.CharField(
        _("reason for booking outside opening hours"), max_length=200, blank=True, validators=[no_control_characters]
    )
    contact = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("contact"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="room_bookings",
        help_text=_("The login told of approval, moves and release."),
    )
    decision_reason = models.CharField(
        _("reason given"), max_length=300, blank=True, validators=[no_control_characters]
    )
    checked_in_at = models.DateTimeField(_("arrived at"), null=True, blank=True)
    checked_in_by = actor_field(_("arrival noted by"))
    created_by = actor_field(_("created by"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = BookingQuerySet.as_manager()

    class Meta:
        verbose_name = _("room booking")
        verbose_name_plural = _("room bookings")
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["status", "starts_at"]), models.Index(fields=["contact", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="booking_ends_after_start",
                violation_error_message=_("The end must be after the start."),
            ),
        ]

    def __str__(self):
        start, end = timezone.localtime(self.starts_at), timezone.localtime(self.ends_at)
        return f"{self.title}（{start:%Y-%m-%d %H:%M}–{end:%H:%M}）"

    @property
    def is_hosted(self) -> bool:
        return self.purpose in self.HOSTED

    @property
    def occupancy_kind(self) -> str:
        if self.purpose == self.Purpose.PRACTICE:
            return Occupancy.Kind.PRACTICE
        if self.purpose == self.Purpose.CLOSURE:
            return Occupancy.Kind.CLOSURE
        return Occupancy.Kind.BOOKING


class BookingStep(models.Model):
    """One step of a booking's life, with who and when (requested, approved, moved …)."""

    class Action(models.TextChoices):
        BOOKED = "booked", _("Booked by staff")
        REQUESTED = "requested", _("Requested")
        APPROVED = "approved", _("Approved")
        DECLINED = "declined", _("Declined")
        MOVED = "moved", _("Moved")
        CANCELLED = "cancelled", _("Cancelled")
        CHECKED_IN = "checked_in", _("Arrived")
        RELEASED = "released", _("Released: nobody came")
        RECORDED = "recorded", _("Record filled")

    booking = models.ForeignKey(Booking, verbose_name=_("booking"), on_delete=models.CASCADE, related_name="steps")
    action = models.CharField(_("step"), max_length=20, choices=Action.choices)
    actor = actor_field(_("by"))
    at = models.DateTimeField(_("at"), default=timezone.now)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("booking step")
        verbose_name_plural = _("booking steps")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.get_action_display()} · {timezone.localtime(self.at):%Y-%m-%d %H:%M}"


class HostedService(models.TextChoices):
    EXECUTION = "execution", _("Running the event (活动执行)")
    ONSITE = "onsite", _("On-site support (现场保障)")
    DESIGN = "design", _("Materials design (物料设计)")
    STATISTICS = "statistics", _("Statistics (数据统计)")
    ARCHIVE = "archive", _("Archiving (档案管理)")


class HostedRecord(models.Model):
    """配合政府工作: what happened at a hosted government meeting or big event."""

    booking = models.OneToOneField(Booking, verbose_name=_("booking"), on_delete=models.CASCADE, related_name="record")
    attendance = models.PositiveIntegerField(_("attendance"))
    organisations = models.CharField(
        _("organisations present"), max_length=500, blank=True, validators=[no_control_characters]
    )
    summary = models.TextField(_("minutes or summary"), max_length=10000)
    services = models.JSONField(_("services the center gave"), default=list, blank=True)
    written_by = actor_field(_("written by"))
    written_at = models.DateTimeField(_("written at"), auto_now=True)

    class Meta:
        verbose_name = _("hosted meeting record")
        verbose_name_plural = _("hosted meeting records")

    def __str__(self):
        return str(self.booking)

    def service_labels(self) -> list[str]:
        return [str(HostedService(code).label) for code in self.services if code in HostedService.values]


class HostedFile(models.Model):
    """Minutes, papers and photos of a hosted meeting, kept with the private archive files."""

    class Kind(models.TextChoices):
        MINUTES = "minutes", _("Minutes")
        PHOTO = "photo", _("Photo")
        OTHER = "other", _("Other file")

    record = models.ForeignKey(HostedRecord, verbose_name=_("record"), on_delete=models.CASCADE, related_name="files")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    file = models.FileField(_("file"), upload_to=UnguessableName("hosted"), storage=private_storage)
    title = models.CharField(_("title"), max_length=100, blank=True, validators=[no_control_characters])
    uploaded_by = actor_field(_("uploaded by"))
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("hosted meeting file")
        verbose_name_plural = _("hosted meeting files")
        ordering = ["kind", "uploaded_at"]

    def __str__(self):
        return self.title or self.file.name.rsplit("/", 1)[-1]


__all__ = [
    "Occupancy",
    "OccupancyQuerySet",
    "Organiser",
    "BookingSeries",
    "BookingQuerySet",
    "Booking",
    "BookingStep",
    "HostedService",
    "HostedRecord",
    "HostedFile",
]
