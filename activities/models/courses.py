"""Course series: many sessions in one room, places given first-come or by a lottery
anyone can re-run, and attendance per session."""

import hashlib

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from activities.models.events import Category, Presenter, Venue
from activities.models.teams import Mark
from culturecenter.lib.text import no_control_characters
from culturecenter.models import Member, actor_field


class Course(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Awaiting review")
        APPROVED = "approved", _("Approved (published)")
        RETURNED = "returned", _("Returned for changes")
        CANCELLED = "cancelled", _("Cancelled")

    class Allocation(models.TextChoices):
        FIRST_COME = "first_come", _("First come, first served")
        LOTTERY = "lottery", _("Lottery among everyone who applies by the deadline")

    title = models.CharField(_("title"), max_length=80, validators=[no_control_characters])
    category = models.CharField(_("category"), max_length=20, choices=Category.choices, default=Category.ARTS)
    description = models.TextField(_("description"), max_length=5000)
    venue = models.ForeignKey(Venue, verbose_name=_("room"), on_delete=models.PROTECT, related_name="courses")
    teacher = models.ForeignKey(Presenter, verbose_name=_("teacher"), on_delete=models.PROTECT, related_name="courses")
    capacity = models.PositiveIntegerField(_("places"), default=25)
    min_age = models.PositiveSmallIntegerField(_("minimum age"), null=True, blank=True)
    max_age = models.PositiveSmallIntegerField(_("maximum age"), null=True, blank=True)
    enrol_opens_at = models.DateTimeField(_("enrolment opens"))
    enrol_closes_at = models.DateTimeField(
        _("enrolment closes"), help_text=_("For a lottery: the application deadline.")
    )
    allocation = models.CharField(
        _("how places are given"), max_length=20, choices=Allocation.choices, default=Allocation.FIRST_COME
    )
    reserved_elderly = models.PositiveSmallIntegerField(
        _("places reserved for the elderly"), default=0, help_text=_("Lottery only; unused ones join the general draw.")
    )
    reserved_disabled = models.PositiveSmallIntegerField(_("places reserved for people with disabilities"), default=0)
    reserved_hardship = models.PositiveSmallIntegerField(_("places reserved for families in hardship"), default=0)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="authored_courses",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    # The lottery: the hash is published first, the seed only after the deadline.
    seed_hash = models.CharField(_("SHA-256 of the draw seed"), max_length=64, blank=True, editable=False)
    seed_committed_at = models.DateTimeField(_("seed committed at"), null=True, blank=True, editable=False)
    seed_committed_by = actor_field(_("seed committed by"))
    seed = models.CharField(_("draw seed"), max_length=64, blank=True, editable=False)
    drawn_at = models.DateTimeField(_("drawn at"), null=True, blank=True, editable=False)
    drawn_by = actor_field(_("drawn by"))

    class Meta:
        verbose_name = _("course series")
        verbose_name_plural = _("course series")
        ordering = ["-enrol_opens_at", "pk"]
        permissions = [
            ("approve_course", _("Can approve courses (reviewer)")),
            ("take_course_attendance", _("Can take course attendance")),
            ("enrol_on_behalf", _("Can enrol villagers in courses on their behalf")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(enrol_closes_at__gt=models.F("enrol_opens_at")),
                name="course_enrolment_closes_after_it_opens",
                violation_error_message=_("Enrolment must close after it opens."),
            ),
            models.CheckConstraint(
                condition=Q(min_age__isnull=True) | Q(max_age__isnull=True) | Q(max_age__gte=models.F("min_age")),
                name="course_age_range_in_order",
                violation_error_message=_("The maximum age must not be below the minimum age."),
            ),
            models.CheckConstraint(
                condition=Q(capacity__gte=1),
                name="course_has_places",
                violation_error_message=_("A course needs at least one place."),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("activities:course", args=[self.pk])

    @property
    def is_public(self) -> bool:
        return self.status in (self.Status.APPROVED, self.Status.CANCELLED)

    @property
    def is_lottery(self) -> bool:
        return self.allocation == self.Allocation.LOTTERY

    @property
    def reserved_total(self) -> int:
        return self.reserved_elderly + self.reserved_disabled + self.reserved_hardship

    def enrol_window(self, now=None) -> str:
        """ "open", or why not: "cancelled", "not_open", "closed"."""
        now = now or timezone.now()
        if self.status == self.Status.CANCELLED:
            return "cancelled"
        if now < self.enrol_opens_at:
            return "not_open"
        if now >= self.enrol_closes_at:
            return "closed"
        return "open"

    def age_allows(self, member: Member) -> bool:
        age = timezone.localdate().year - member.birth_year
        return (self.min_age is None or age >= self.min_age) and (self.max_age is None or age <= self.max_age)


def seed_digest(seed: str) -> str:
    return hashlib.sha256(seed.encode()).hexdigest()


class CourseReviewStep(models.Model):
    """One step of a course's content review, like an event's."""

    class Action(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted for review")
        APPROVED = "approved", _("Approved")
        RETURNED = "returned", _("Returned")
        CANCELLED = "cancelled", _("Cancelled")

    course = models.ForeignKey(
        Course, verbose_name=_("course series"), on_delete=models.CASCADE, related_name="review_steps"
    )
    action = models.CharField(_("step"), max_length=20, choices=Action.choices)
    actor = actor_field(_("by"))
    at = models.DateTimeField(_("at"), auto_now_add=True)
    opinion = models.TextField(_("opinion"), blank=True, max_length=1000)

    class Meta:
        verbose_name = _("course review step")
        verbose_name_plural = _("course review steps")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.get_action_display()} · {self.at:%Y-%m-%d %H:%M}"


class CourseSession(models.Model):
    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        CANCELLED = "cancelled", _("Session cancelled")

    course = models.ForeignKey(
        Course, verbose_name=_("course series"), on_delete=models.CASCADE, related_name="sessions"
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.SCHEDULED)
    note = models.CharField(_("note"), max_length=200, blank=True, validators=[no_control_characters])
    changed_by = actor_field(_("changed by"))

    class Meta:
        verbose_name = _("course session")
        verbose_name_plural = _("course sessions")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="course_session_ends_after_start",
                violation_error_message=_("The end must be after the start."),
            ),
        ]

    def __str__(self):
        return f"{self.course} · {timezone.localtime(self.starts_at):%Y-%m-%d %H:%M}"

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    def is_held(self, now=None) -> bool:
        """Counts in the denominator: not cancelled, and begun."""
        return not self.is_cancelled and self.starts_at <= (now or timezone.now())


class CourseEnrolmentQuerySet(models.QuerySet):
    def for_household_of(self, user):
        return self.filter(member__in=Member.objects.managed_by(user))

    def expected_at(self, session):
        """Who is expected at `session`: a place confirmed by its start and not given up before it."""
        return self.filter(course_id=session.course_id, confirmed_at__lte=session.starts_at).filter(
            Q(withdrawn_at__isnull=True) | Q(withdrawn_at__gt=session.starts_at)
        )


class CourseEnrolment(models.Model):
    """One person's place, application or place in the queue on one course."""

    class Status(models.TextChoices):
        APPLIED = "applied", _("Applied for the lottery")
        CONFIRMED = "confirmed", _("Place confirmed")
        WAITING = "waiting", _("On the waiting list")
        WITHDRAWN = "withdrawn", _("Left the course")

    class Pool(models.TextChoices):
        ELDERLY = "elderly", _("Elderly")
        DISABLED = "disabled", _("People with disabilities")
        HARDSHIP = "hardship", _("Families in hardship")
        GENERAL = "general", _("General draw")

    course = models.ForeignKey(
        Course, verbose_name=_("course series"), on_delete=models.CASCADE, related_name="enrolments"
    )
    member = models.ForeignKey(
        Member, verbose_name=_("person"), on_delete=models.PROTECT, related_name="course_enrolments"
    )
    number = models.PositiveIntegerField(_("application number"))
    code = models.CharField(_("ticket code"), max_length=20, unique=True, null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    pools = models.CharField(
        _("reserved places applied for"), max_length=40, blank=True, help_text=_("Comma-separated pools.")
    )
    won_in = models.CharField(_("place won in"), max_length=20, choices=Pool.choices, blank=True)
    draw_position = models.PositiveIntegerField(_("position in the draw"), null=True, blank=True)
    queued_at = models.DateTimeField(_("enrolled at"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("place confirmed at"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    enrolled_by = actor_field(_("enrolled by"))
    withdrawn_by = actor_field(_("withdrawn by"))
    warned_streak_at = models.DateTimeField(_("warned for absences at"), null=True, blank=True)
    warned_rate_at = models.DateTimeField(_("warned for low attendance at"), null=True, blank=True)
    certificate_number = models.CharField(_("certificate number"), max_length=20, blank=True)
    certificate_issued_at = models.DateTimeField(_("certificate issued at"), null=True, blank=True)
    certificate_issued_by = actor_field(_("certificate issued by"))

    objects = CourseEnrolmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("course enrolment")
        verbose_name_plural = _("course enrolments")
        ordering = ["course", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["course", "member"],
                name="one_enrolment_per_person_per_course",
                violation_error_message=_("This person is already enrolled on this course."),
            ),
            models.UniqueConstraint(
                fields=["course", "number"],
                name="one_application_number_per_course",
                violation_error_message=_("This application number is taken."),
            ),
            models.UniqueConstraint(
                fields=["certificate_number"],
                condition=~Q(certificate_number=""),
                name="certificate_numbers_are_unique",
                violation_error_message=_("This certificate number is taken."),
            ),
        ]

    def __str__(self):
        return f"{self.member} · {self.course}"

    def get_absolute_url(self):
        return reverse("activities:course_ticket", args=[self.code]) if self.code else self.course.get_absolute_url()

    @property
    def pool_list(self) -> list[str]:
        return [p for p in self.pools.split(",") if p]


class SessionAttendance(models.Model):
    session = models.ForeignKey(
        CourseSession, verbose_name=_("course session"), on_delete=models.CASCADE, related_name="marks"
    )
    enrolment = models.ForeignKey(
        CourseEnrolment, verbose_name=_("course enrolment"), on_delete=models.CASCADE, related_name="marks"
    )
    mark = models.CharField(_("attendance"), max_length=20, choices=Mark.choices)
    marked_by = actor_field(_("marked by"))
    marked_at = models.DateTimeField(_("marked at"), default=timezone.now)

    class Meta:
        verbose_name = _("session attendance")
        verbose_name_plural = _("session attendance")
        ordering = ["session", "enrolment"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "enrolment"],
                name="one_mark_per_person_per_session",
                violation_error_message=_("This person is already marked for this session."),
            )
        ]

    def __str__(self):
        return f"{self.enrolment.member} · {self.get_mark_display()}"


class AttendanceCorrection(models.Model):
    """A mark changed after it was first given: what it was, what it became, why, who."""

    attendance = models.ForeignKey(
        SessionAttendance, verbose_name=_("session attendance"), on_delete=models.CASCADE, related_name="corrections"
    )
    old_mark = models.CharField(_("was"), max_length=20, choices=Mark.choices)
    new_mark = models.CharField(_("became"), max_length=20, choices=Mark.choices)
    reason = models.CharField(_("reason"), max_length=200, blank=True, validators=[no_control_characters])
    corrected_by = actor_field(_("corrected by"))
    corrected_at = models.DateTimeField(_("corrected at"), default=timezone.now)

    class Meta:
        verbose_name = _("attendance correction")
        verbose_name_plural = _("attendance corrections")
        ordering = ["corrected_at", "pk"]

    def __str__(self):
        return f"{self.get_old_mark_display()} → {self.get_new_mark_display()}"
