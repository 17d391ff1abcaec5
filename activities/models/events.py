from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Count, Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from culturecenter.lib import search
from culturecenter.lib.images import CleanImageField
from culturecenter.lib.private_files import UnguessableName, private_storage
from culturecenter.lib.text import no_control_characters
from culturecenter.models import Member, Village, actor_field


class Category(models.TextChoices):
    HANDICRAFT = "handicraft", _("Handicraft")
    SCIENCE = "science", _("Science talk")
    READING = "reading", _("Reading circle")
    EXHIBITION = "exhibition", _("Exhibition")
    MARKET = "market", _("Market")
    FITNESS = "fitness", _("Fitness for all")
    HERITAGE = "heritage", _("Intangible heritage")
    SERVICE = "service", _("Public service")
    ARTS = "arts", _("Arts training")
    OTHER = "other", _("Other")


class Audience(models.TextChoices):
    ELDERLY = "elderly", _("Elderly")
    MINORS = "minors", _("Children and teenagers")
    FAMILY = "family", _("Parents and children")
    DISABLED = "disabled", _("People with disabilities")
    HARDSHIP = "hardship", _("Families in hardship")
    EVERYONE = "everyone", _("Everyone")


class AudienceTag(models.Model):
    """One of the fixed audiences; rows are made by a data migration."""

    code = models.CharField(_("code"), max_length=20, choices=Audience.choices, unique=True)

    class Meta:
        verbose_name = _("audience")
        verbose_name_plural = _("audiences")
        ordering = ["pk"]

    def __str__(self):
        return self.get_code_display()


class VenueQuerySet(models.QuerySet):
    def rooms(self):
        """The center's rooms and outdoor spaces, the places people are in."""
        return self.filter(kind__in=[Venue.Kind.ROOM, Venue.Kind.OUTDOOR], in_center=True)

    def resources(self):
        """Movable equipment lent out with a room or to a village (portable sound, folding tables)."""
        return self.filter(kind=Venue.Kind.RESOURCE, in_center=True)

    def bookable(self):
        """What can be occupied: the center's rooms, outdoor spaces and resources, not village sites."""
        return self.filter(is_bookable=True, in_center=True).exclude(kind=Venue.Kind.SITE)


class Venue(models.Model):
    """A room of the center, or a site out in a village (文化下乡), or a movable resource."""

    class Kind(models.TextChoices):
        ROOM = "room", _("Indoor room")
        OUTDOOR = "outdoor", _("Outdoor space")
        RESOURCE = "resource", _("Equipment on loan")
        SITE = "site", _("Site in a village")

    # Kinds that are the center's own and can be occupied.
    CENTER_KINDS = (Kind.ROOM, Kind.OUTDOOR, Kind.RESOURCE)

    name = models.CharField(_("name"), max_length=60, validators=[no_control_characters])
    village = models.CharField(
        _("village"),
        max_length=20,
        choices=Village.choices,
        blank=True,
        help_text=_("For a site out in a village; empty for the center's own rooms."),
    )
    in_center = models.BooleanField(_("room of the center"), default=True)
    kind = models.CharField(_("kind of place"), max_length=20, choices=Kind.choices, default=Kind.ROOM)
    capacity = models.PositiveIntegerField(
        _("capacity (people)"), null=True, blank=True, help_text=_("Empty for equipment.")
    )
    equipment = models.CharField(
        _("equipment"), max_length=300, blank=True, validators=[no_control_characters],
        help_text=_("What the room has, e.g. projector, sound, 120 chairs."),
    )  # fmt: skip
    description = models.TextField(_("description"), blank=True, max_length=2000)
    max_booking_minutes = models.PositiveIntegerField(
        _("longest booking (minutes)"), default=8 * 60, help_text=_("A longer use is booked as two.")
    )
    advance_days = models.PositiveIntegerField(
        _("bookable how many days ahead"), default=90, help_text=_("Bookings further ahead are refused.")
    )
    is_bookable = models.BooleanField(_("can be booked"), default=True)

    objects = VenueQuerySet.as_manager()

    class Meta:
        verbose_name = _("venue")
        verbose_name_plural = _("venues")
        ordering = ["-in_center", "name"]

    def __str__(self):
        return self.name if self.in_center else f"{self.get_village_display()} · {self.name}"

    def get_absolute_url(self):
        return reverse("activities:room", args=[self.pk])

    @property
    def blocks(self) -> bool:
        """Whether using this place claims it on the center's calendar (village sites never do)."""
        return self.in_center and self.kind in self.CENTER_KINDS


class Presenter(models.Model):
    """A speaker, teacher or performer; vetted before any event with them is approved (审查把关)."""

    class Kind(models.TextChoices):
        SPEAKER = "speaker", _("Speaker")
        TEACHER = "teacher", _("Teacher")
        PERFORMER = "performer", _("Performer")

    class Vetting(models.TextChoices):
        PENDING = "pending", _("Not yet vetted")
        VETTED = "vetted", _("Vetted")
        REJECTED = "rejected", _("Rejected")

    name = models.CharField(_("name"), max_length=60, validators=[no_control_characters])
    kind = models.CharField(_("role"), max_length=20, choices=Kind.choices, default=Kind.SPEAKER)
    organisation = models.CharField(_("organisation"), max_length=100, blank=True, validators=[no_control_characters])
    bio = models.TextField(_("public introduction"), blank=True, max_length=1000)
    vetting = models.CharField(_("vetting"), max_length=20, choices=Vetting.choices, default=Vetting.PENDING)
    vetting_notes = models.TextField(_("vetting notes (internal)"), blank=True)
    vetted_by = actor_field(_("vetted by"))
    vetted_at = models.DateTimeField(_("vetted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("presenter")
        verbose_name_plural = _("presenters")
        ordering = ["name"]
        permissions = [("vet_presenter", _("Can vet presenters"))]

    def __str__(self):
        return f"{self.name}（{self.get_kind_display()}）"


class EventQuerySet(models.QuerySet):
    def public(self):
        """What villagers may see: approved events, and approved ones later cancelled."""
        return self.filter(status__in=[Event.Status.APPROVED, Event.Status.CANCELLED])

    def upcoming(self, now=None):
        """Not over yet (still on, or to come); `past` is the rest, as `Event.signup_window` says "ended"."""
        return self.filter(ends_at__gt=now or timezone.now())

    def past(self, now=None):
        return self.filter(ends_at__lte=now or timezone.now())

    def with_counts(self):
        """Confirmed, waiting and checked-in people, counted by the database."""
        return self.annotate(
            confirmed_count=Count("registrations", filter=Q(registrations__status=Registration.Status.CONFIRMED)),
            waiting_count=Count("registrations", filter=Q(registrations__status=Registration.Status.WAITING)),
            checked_in_count=Count("registrations", filter=Q(registrations__checked_in_at__isnull=False)),
        )

    def for_list(self):
        events = self.with_counts().select_related("venue").prefetch_related("audiences")
        return events.defer(search.TEXT, search.TOKENS)

    def search(self, text: str):
        """Events with every word of `text` in their title (or its pinyin), description,
        category, venue, village or audience."""
        return self.filter(search.matching(text))

    def refresh_search(self) -> int:
        """Recompute the search columns of these events, e.g. after their venue was renamed."""
        events = list(self.select_related("venue").prefetch_related("audiences"))
        for event in events:
            event.refresh_search()
        return Event.objects.bulk_update(events, [search.TEXT, search.TOKENS], batch_size=500)


class Event(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Awaiting review")
        APPROVED = "approved", _("Approved (published)")
        RETURNED = "returned", _("Returned for changes")
        CANCELLED = "cancelled", _("Cancelled")

    # Changing any of these on a published event sends it back to review.
    CONTENT_FIELDS = (
        "title",
        "category",
        "description",
        "poster",
        "audiences",
        "starts_at",
        "ends_at",
        "venue",
        "presenters",
        "min_age",
        "max_age",
    )

    title = models.CharField(_("title"), max_length=80, validators=[no_control_characters])
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    description = models.TextField(_("description"), max_length=5000)
    poster = CleanImageField(_("poster"), upload_to="posters/%Y/%m/", blank=True)
    poster_thumbnail = models.ImageField(upload_to="posters/%Y/%m/", blank=True, editable=False)
    audiences = models.ManyToManyField(AudienceTag, verbose_name=_("audience"), related_name="events")
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    venue = models.ForeignKey(Venue, verbose_name=_("venue"), on_delete=models.PROTECT, related_name="events")
    setup_minutes = models.PositiveSmallIntegerField(
        _("set-up (minutes before)"), default=0, help_text=_("The room is held this long before the start.")
    )
    cleanup_minutes = models.PositiveSmallIntegerField(
        _("clean-up (minutes after)"), default=0, help_text=_("The room is held this long after the end.")
    )
    resources = models.ManyToManyField(
        Venue,
        verbose_name=_("equipment on loan"),
        blank=True,
        related_name="equipped_events",
        limit_choices_to={"kind": "resource"},
        help_text=_("Portable sound, folding tables: held for the event's time like a room."),
    )
    signup_required = models.BooleanField(_("sign-up required"), default=True)
    capacity = models.PositiveIntegerField(_("places"), default=30)
    signup_opens_at = models.DateTimeField(_("sign-up opens"), null=True, blank=True)
    signup_closes_at = models.DateTimeField(
        _("sign-up closes"), null=True, blank=True, help_text=_("Empty: until the event starts.")
    )
    min_age = models.PositiveSmallIntegerField(_("minimum age"), null=True, blank=True)
    max_age = models.PositiveSmallIntegerField(_("maximum age"), null=True, blank=True)
    presenters = models.ManyToManyField(Presenter, verbose_name=_("presenters"), blank=True, related_name="events")
    duty_staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("duty staff"),
        blank=True,
        related_name="duty_events",
        help_text=_("专人盯岗: at least one is needed before approval."),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="authored_events",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    cancel_reason = models.CharField(
        _("reason for cancelling"), max_length=200, blank=True, validators=[no_control_characters]
    )
    closed_at = models.DateTimeField(_("attendance closed"), null=True, blank=True)
    search_text = models.TextField(editable=False, blank=True)
    search_tokens = search.TokensField()

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["status", "starts_at"]), models.Index(fields=["starts_at"])]
        permissions = [
            ("approve_event", _("Can approve events (reviewer)")),
            ("checkin_event", _("Can check people in at the door")),
            ("sign_up_on_behalf", _("Can sign villagers up on their behalf")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="event_ends_after_start",
                violation_error_message=_("The end must be after the start."),
            ),
            models.CheckConstraint(
                condition=Q(min_age__isnull=True) | Q(max_age__isnull=True) | Q(max_age__gte=models.F("min_age")),
                name="event_age_range_in_order",
                violation_error_message=_("The maximum age must not be below the minimum age."),
            ),
            models.CheckConstraint(
                condition=Q(signup_opens_at__isnull=True)
                | Q(signup_closes_at__isnull=True)
                | Q(signup_closes_at__gt=models.F("signup_opens_at")),
                name="event_signup_window_in_order",
                violation_error_message=_("Sign-up must close after it opens."),
            ),
            models.CheckConstraint(
                condition=Q(signup_required=False) | Q(capacity__gte=1),
                name="event_has_places_when_signup_required",
                violation_error_message=_("An event with sign-up needs at least one place."),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("activities:detail", args=[self.pk])

    def refresh_search(self, audiences: list[str] | None = None):
        """Compute what the event list's search looks in; call it after the audiences are
        set (the admin and the data loaders do), or pass their codes before a bulk insert."""
        if audiences is None:
            audiences = [tag.code for tag in self.audiences.all()]
        self.search_text, self.search_tokens = event_search_document(self, audiences)

    @property
    def is_public(self) -> bool:
        return self.status in (self.Status.APPROVED, self.Status.CANCELLED)

    @property
    def signup_deadline(self):
        return self.signup_closes_at or self.starts_at

    def signup_window(self, now=None) -> str:
        """The sign-up rule of the clock, the one place it is written: "open", or why not
        ("cancelled", "ended", "open_door", "not_open", "closed")."""
        now = now or timezone.now()
        if self.status == self.Status.CANCELLED:
            return "cancelled"
        if self.ends_at <= now:
            return "ended"
        if not self.signup_required:
            return "open_door"
        if self.signup_opens_at and now < self.signup_opens_at:
            return "not_open"
        if now >= self.signup_deadline:
            return "closed"
        return "open"

    def signup_state(self, now=None, confirmed=None) -> str:
        """One of the states villagers see: the sign-up window, then "full" when no place is left."""
        window = self.signup_window(now)
        if window != "open":
            return window
        confirmed = self.confirmed_count if confirmed is None else confirmed
        return "open" if confirmed < self.capacity else "full"

    @property
    def state(self) -> str:
        return self.signup_state()

    def places_left(self, confirmed=None) -> int:
        confirmed = self.confirmed_count if confirmed is None else confirmed
        return max(0, self.capacity - confirmed)

    @property
    def checkin_opens_at(self):
        return self.starts_at - timedelta(minutes=settings.CHECKIN_OPENS_MINUTES_BEFORE)

    def checkin_is_open(self, now=None) -> bool:
        """Door check-in runs from shortly before the start to the end, on the day only."""
        now = now or timezone.now()
        return self.status != self.Status.CANCELLED and self.checkin_opens_at <= now < self.ends_at

    def age_allows(self, member: Member) -> bool:
        age = timezone.localdate().year - member.birth_year
        return (self.min_age is None or age >= self.min_age) and (self.max_age is None or age <= self.max_age)


class ReviewStep(models.Model):
    """One step of the content review (审查把关): who, when, what, and their opinion."""

    class Action(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted for review")
        APPROVED = "approved", _("Approved")
        RETURNED = "returned", _("Returned")
        REOPENED = "reopened", _("Changed after approval: back to review")
        CANCELLED = "cancelled", _("Cancelled")

    event = models.ForeignKey(Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="review_steps")
    action = models.CharField(_("step"), max_length=20, choices=Action.choices)
    actor = actor_field(_("by"))
    at = models.DateTimeField(_("at"), auto_now_add=True)
    opinion = models.TextField(_("opinion"), blank=True, max_length=1000)

    class Meta:
        verbose_name = _("review step")
        verbose_name_plural = _("review steps")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.get_action_display()} · {self.at:%Y-%m-%d %H:%M}"


class RegistrationQuerySet(models.QuerySet):
    def for_household_of(self, user):
        return self.filter(member__in=Member.objects.managed_by(user))

    def active(self):
        return self.filter(status__in=[Registration.Status.CONFIRMED, Registration.Status.WAITING])

    def with_waiting_position(self):
        """`waiting_position`: 1 for the first in the queue of the event, None for a confirmed place."""
        ahead = (
            Registration.objects.filter(event=models.OuterRef("event"), status=Registration.Status.WAITING)
            .filter(
                Q(queued_at__lt=models.OuterRef("queued_at"))
                | Q(queued_at=models.OuterRef("queued_at"), pk__lt=models.OuterRef("pk"))
            )
            .values("event")
            .annotate(count=Count("pk"))
            .values("count")
        )
        return self.annotate(
            waiting_position=models.Case(
                models.When(
                    status=Registration.Status.WAITING,
                    then=Coalesce(models.Subquery(ahead, output_field=models.IntegerField()), 0) + 1,
                ),
                default=None,
            )
        )


class Registration(models.Model):
    """One person's place (or place in the queue) at one event."""

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Place confirmed")
        WAITING = "waiting", _("On the waiting list")
        CANCELLED = "cancelled", _("Cancelled")

    event = models.ForeignKey(Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="registrations")
    member = models.ForeignKey(Member, verbose_name=_("person"), on_delete=models.PROTECT, related_name="registrations")
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    code = models.CharField(_("ticket code"), max_length=20, unique=True)
    queued_at = models.DateTimeField(_("signed up at"), default=timezone.now)
    registered_by = actor_field(_("signed up by"))
    promoted_at = models.DateTimeField(_("moved up from the waiting list"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancelled_by = actor_field(_("cancelled by"))
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    checked_in_by = actor_field(_("checked in by"))
    check_in_undone_at = models.DateTimeField(_("check-in undone at"), null=True, blank=True)
    check_in_undone_by = actor_field(_("check-in undone by"))
    is_walk_in = models.BooleanField(_("walk-in"), default=False)
    no_show = models.BooleanField(_("did not come"), default=False)
    reminded_at = models.DateTimeField(_("reminded at"), null=True, blank=True)

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["queued_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "member"],
                name="one_registration_per_person_per_event",
                violation_error_message=_("This person is already signed up for this event."),
            ),
            models.CheckConstraint(
                condition=Q(checked_in_at__isnull=True) | Q(status="confirmed"),
                name="only_confirmed_places_check_in",
                violation_error_message=_("Only a confirmed place can be checked in."),
            ),
        ]
        indexes = [models.Index(fields=["event", "status", "queued_at"])]

    def __str__(self):
        return f"{self.member} · {self.event}"

    def get_absolute_url(self):
        return reverse("activities:ticket", args=[self.code])

    @property
    def attended(self) -> bool:
        return self.checked_in_at is not None


# The sign-up box of the event page, the page every villager opens: written out as one
# query because the three ORM queries it replaces (the household, its places, the queue
# position) cost ten times as much Python (`make bench`). The people are those
# `Member.objects.managed_by` lists: the household, or the villager alone.
_HOUSEHOLD_PLACES_SQL = """
SELECT person.id, person.name, person.birth_year, person.anonymised_at,
       place.id AS place_id, place.status AS place_status, place.code AS place_code,
       (SELECT COUNT(*) FROM activities_registration ahead
         WHERE place.status = %s AND ahead.event_id = place.event_id AND ahead.status = %s
           AND (ahead.queued_at < place.queued_at OR (ahead.queued_at = place.queued_at AND ahead.id < place.id))
       ) AS place_ahead
  FROM culturecenter_member person
  LEFT JOIN activities_registration place
    ON place.member_id = person.id AND place.event_id = %s AND place.status IN (%s, %s)
 WHERE person.id = %s OR person.household_id = %s
 ORDER BY place.queued_at, place.id
"""


def household_places(member: Member, event: Event) -> tuple[list[Registration], list[Member]]:
    """(the confirmed and waiting places at `event` of everyone `member` signs up, in the
    order of the queue, each with `waiting_position`: 1 for the first in the queue, None for
    a confirmed place; the others of them who could still be signed up, in the order of
    `Member.objects.managed_by`: the account holder first, then by name)."""
    waiting, confirmed = Registration.Status.WAITING, Registration.Status.CONFIRMED
    params = [waiting, waiting, event.pk, confirmed, waiting, member.pk, member.household_id]
    places, others = [], []
    for person in Member.objects.raw(_HOUSEHOLD_PLACES_SQL, params):
        if person.place_id is None:
            if person.anonymised_at is None:
                others.append(person)
            continue
        place = Registration.from_db(
            person._state.db,
            ["id", "event_id", "member_id", "status", "code"],
            [person.place_id, event.pk, person.pk, person.place_status, person.place_code],
        )
        place.event, place.member = event, person
        place.waiting_position = person.place_ahead + 1 if place.status == waiting else None
        places.append(place)
    others.sort(key=lambda person: (person.pk != member.pk, person.name, person.pk))
    return places, others


def _attachment_path(instance, filename):
    # Only migration 0001 still names it: archive files now get unguessable names.
    return f"archive/{instance.event.starts_at:%Y/%m}/{instance.event_id}/{filename}"


class WorkLog(models.Model):
    """工作日志: written by duty staff after the event."""

    event = models.OneToOneField(Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="work_log")
    attendance = models.PositiveIntegerField(_("attendance"))
    summary = models.TextField(_("summary"), max_length=5000)
    incidents = models.TextField(_("incidents"), blank=True, max_length=5000)
    written_by = actor_field(_("written by"))
    written_at = models.DateTimeField(_("written at"), auto_now=True)

    class Meta:
        verbose_name = _("work log")
        verbose_name_plural = _("work logs")

    def __str__(self):
        return str(self.event)


class Attachment(models.Model):
    """档案: the plan, the minutes and photos of an event."""

    class Kind(models.TextChoices):
        PLAN = "plan", _("Plan")
        MINUTES = "minutes", _("Minutes")
        PHOTO = "photo", _("Photo")

    event = models.ForeignKey(Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="attachments")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    file = models.FileField(_("file"), upload_to=UnguessableName("archive"), storage=private_storage)
    title = models.CharField(_("title"), max_length=100, blank=True, validators=[no_control_characters])
    uploaded_by = actor_field(_("uploaded by"))
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["kind", "uploaded_at"]

    def __str__(self):
        return self.title or self.file.name.rsplit("/", 1)[-1]


def event_search_document(event, audiences: list[str]) -> tuple[str, list[str]]:
    """(search_text, search_tokens) of an event, or of a migration's historical event."""
    venue = event.venue
    place = [venue.name, *(search.labels(Village(venue.village).label) if venue.village else [])]
    audience_labels = [text for code in audiences for text in search.labels(Audience(code).label)]
    return search.document(
        event.description,
        *search.labels(Category(event.category).label),
        *place,
        *audience_labels,
        names=(event.title,),
    )
