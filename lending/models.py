from datetime import timedelta

from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from culturecenter.lib import search
from culturecenter.lib.images import CleanImageField
from culturecenter.lib.private_files import UnguessableName, private_storage
from culturecenter.lib.text import no_control_characters
from culturecenter.models import Member, actor_field
from lending.isbn import isbn_forms, normalise_isbn

copy_barcode_validator = RegexValidator(r"^B\d{4,12}$", _("A book barcode is B followed by 4 to 12 digits."))


class ClassLetter(models.TextChoices):
    """The 22 main classes of the Chinese Library Classification (中图法)."""

    A = "A", _("A · Marxism, Leninism, Mao Zedong Thought")
    B = "B", _("B · Philosophy and religion")
    C = "C", _("C · Social sciences")
    D = "D", _("D · Politics and law")
    E = "E", _("E · Military science")
    F = "F", _("F · Economics")
    G = "G", _("G · Culture, science, education, sports")
    H = "H", _("H · Languages")
    I = "I", _("I · Literature")  # noqa: E741
    J = "J", _("J · Arts")
    K = "K", _("K · History and geography")
    N = "N", _("N · Natural sciences")
    O = "O", _("O · Mathematics, physics, chemistry")  # noqa: E741
    P = "P", _("P · Astronomy and earth sciences")
    Q = "Q", _("Q · Biology")
    R = "R", _("R · Medicine and health")
    S = "S", _("S · Agriculture")
    T = "T", _("T · Industrial technology")
    U = "U", _("U · Transport")
    V = "V", _("V · Aviation and space")
    X = "X", _("X · Environmental science")
    Z = "Z", _("Z · General works")


class LoanRules(models.Model):
    """The library's rules, one row, edited in the admin."""

    loan_days = models.PositiveSmallIntegerField(_("loan period (days)"), default=30, validators=[MinValueValidator(1)])
    max_renewals = models.PositiveSmallIntegerField(_("renewals allowed"), default=1)
    max_loans = models.PositiveSmallIntegerField(_("books per reader"), default=5, validators=[MinValueValidator(1)])
    max_holds = models.PositiveSmallIntegerField(_("holds per reader"), default=2)
    hold_pickup_days = models.PositiveSmallIntegerField(
        _("days a hold waits on the hold shelf"), default=7, validators=[MinValueValidator(1), MaxValueValidator(60)]
    )

    class Meta:
        verbose_name = _("loan rules")
        verbose_name_plural = _("loan rules")

    def __str__(self):
        return str(_("Loan rules"))

    @classmethod
    def current(cls) -> "LoanRules":
        rules, _created = cls.objects.get_or_create(pk=1)
        return rules


class BookQuerySet(models.QuerySet):
    def search(self, text: str):
        """Books with every word of `text` in their title, author, publisher or keywords
        (or the pinyin of title and author); six digits or more may be part of the ISBN."""
        match = search.matching(text, code_field="isbn")
        isbn = normalise_isbn(text)
        if isbn:
            match |= Q(isbn__in=isbn_forms(isbn))
        return self.filter(match)

    def with_isbn(self, isbn: str):
        """The book with this valid ISBN, in whichever form it was catalogued."""
        return self.filter(isbn__in=isbn_forms(isbn))

    def with_availability(self):
        """Copies that can be lent and copies on the shelf, counted by subqueries: under a
        LIMIT, PostgreSQL counts them for the rows shown only."""

        def count(copies):
            return Coalesce(Subquery(copies.values("book").annotate(n=Count("pk")).values("n")), 0)

        copies = Copy.objects.filter(book=OuterRef("pk"))
        return self.annotate(
            copies_total=count(copies.exclude(status__in=["lost", "withdrawn"])),
            copies_free=count(copies.filter(status="on_shelf")),
        )


class Book(models.Model):
    title = models.CharField(_("title"), max_length=200, validators=[no_control_characters])
    author = models.CharField(
        pgettext_lazy("book", "author"), max_length=200, blank=True, validators=[no_control_characters]
    )
    publisher = models.CharField(_("publisher"), max_length=100, blank=True, validators=[no_control_characters])
    year = models.PositiveSmallIntegerField(
        _("year"), null=True, blank=True, validators=[MinValueValidator(1000), MaxValueValidator(2100)]
    )
    isbn = models.CharField(_("ISBN"), max_length=13, blank=True, help_text=_("ISBN-10 or ISBN-13, hyphens allowed."))
    class_letter = models.CharField(_("class (中图法)"), max_length=1, choices=ClassLetter.choices, blank=True)
    keywords = models.CharField(_("keywords"), max_length=200, blank=True, validators=[no_control_characters])
    description = models.TextField(_("description"), blank=True, max_length=3000)
    cover = CleanImageField(_("cover"), upload_to="covers/", blank=True)
    created_at = models.DateTimeField(_("added"), auto_now_add=True)
    search_text = models.TextField(editable=False, blank=True)
    search_tokens = search.TokensField()

    objects = BookQuerySet.as_manager()

    class Meta:
        verbose_name = _("book")
        verbose_name_plural = _("books")
        ordering = ["title", "pk"]
        indexes = [models.Index(fields=["title", "id"], name="book_title_order")]
        constraints = [
            models.UniqueConstraint(
                fields=["isbn"],
                condition=~Q(isbn=""),
                name="unique_isbn_when_given",
                violation_error_message=_("A book with this ISBN is already in the catalogue."),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("lending:book", args=[self.pk])

    def refresh_search(self):
        """Compute what the catalogue search looks in; call it before saving a new or
        changed book (the admin, the CSV import, the desk and the data loaders do)."""
        self.search_text, self.search_tokens = book_search_document(self)


def book_search_document(book) -> tuple[str, list[str]]:
    """(search_text, search_tokens) of a book, or of a migration's historical book."""
    return search.document(book.publisher, book.keywords, names=(book.title, book.author), codes=(book.isbn,))


class Copy(models.Model):
    class Status(models.TextChoices):
        ON_SHELF = "on_shelf", _("On the shelf")
        ON_LOAN = "on_loan", _("On loan")
        ON_HOLD_SHELF = "on_hold_shelf", _("On the hold shelf")
        LOST = "lost", _("Lost")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    book = models.ForeignKey(Book, verbose_name=_("book"), on_delete=models.PROTECT, related_name="copies")
    barcode = models.CharField(
        _("barcode"),
        max_length=13,
        unique=True,
        validators=[copy_barcode_validator],
        error_messages={"unique": _("Another copy has this barcode.")},
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.ON_SHELF)
    shelf = models.CharField(_("shelf place"), max_length=30, blank=True, validators=[no_control_characters])
    created_at = models.DateTimeField(_("added"), auto_now_add=True)
    created_by = actor_field(_("added by"))

    class Meta:
        verbose_name = _("copy")
        verbose_name_plural = _("copies")
        ordering = ["barcode"]
        indexes = [models.Index(fields=["book", "status"])]

    def __str__(self):
        return f"{self.barcode} · {self.book}"


class LoanQuerySet(models.QuerySet):
    def open(self):
        return self.filter(returned_at__isnull=True)

    def overdue(self, today=None):
        return self.open().filter(due_date__lt=today or timezone.localdate())

    def for_household_of(self, user):
        return self.filter(member__in=Member.objects.managed_by(user))

    def past_pickup(self, today=None):
        """Kept on the hold shelf past the collect-by date: `expire_holds` lapses them."""
        return self.filter(status=Hold.Status.READY, expires_on__lt=today or timezone.localdate())


class Loan(models.Model):
    """One copy lent to one reader. Never deleted: returned loans are the reading history."""

    copy = models.ForeignKey(Copy, verbose_name=_("copy"), on_delete=models.PROTECT, related_name="loans")
    member = models.ForeignKey(Member, verbose_name=_("reader"), on_delete=models.PROTECT, related_name="loans")
    loaned_at = models.DateTimeField(_("lent at"), default=timezone.now)
    loaned_by = actor_field(_("lent by"))
    due_date = models.DateField(_("due"))
    renewals = models.PositiveSmallIntegerField(_("renewals"), default=0)
    renewed_at = models.DateTimeField(_("last renewed at"), null=True, blank=True)
    renewed_by = actor_field(_("renewed by"))
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)
    returned_by = actor_field(_("returned to"))

    objects = LoanQuerySet.as_manager()

    class Meta:
        verbose_name = _("loan")
        verbose_name_plural = _("loans")
        ordering = ["-loaned_at", "-pk"]
        permissions = [("use_desk", _("Can work at the circulation desk"))]
        constraints = [
            models.UniqueConstraint(
                fields=["copy"],
                condition=Q(returned_at__isnull=True),
                name="one_open_loan_per_copy",
                violation_error_message=_("This copy is already on loan."),
            ),
        ]
        indexes = [models.Index(fields=["member", "returned_at"]), models.Index(fields=["due_date"])]

    def __str__(self):
        return f"{self.copy} → {self.member}"

    @property
    def is_overdue(self) -> bool:
        return self.returned_at is None and self.due_date < timezone.localdate()


class HoldQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status__in=[Hold.Status.WAITING, Hold.Status.READY])

    def for_household_of(self, user):
        return self.filter(member__in=Member.objects.managed_by(user))

    def past_pickup(self, today=None):
        """Kept on the hold shelf past the collect-by date: `expire_holds` lapses them."""
        return self.filter(status=Hold.Status.READY, expires_on__lt=today or timezone.localdate())


class Hold(models.Model):
    """A reader's place in the queue for a book; when a copy comes back it waits on the hold shelf."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting")
        READY = "ready", _("Ready to collect")
        COLLECTED = "collected", _("Collected")
        CANCELLED = "cancelled", _("Cancelled")
        EXPIRED = "expired", _("Not collected in time")

    book = models.ForeignKey(Book, verbose_name=_("book"), on_delete=models.PROTECT, related_name="holds")
    member = models.ForeignKey(Member, verbose_name=_("reader"), on_delete=models.PROTECT, related_name="holds")
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.WAITING)
    placed_at = models.DateTimeField(_("placed at"), default=timezone.now)
    placed_by = actor_field(_("placed by"))
    copy = models.ForeignKey(
        Copy, verbose_name=_("copy kept"), null=True, blank=True, on_delete=models.SET_NULL, related_name="holds"
    )
    ready_at = models.DateTimeField(_("ready since"), null=True, blank=True)
    expires_on = models.DateField(_("collect by"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    cancelled_by = actor_field(_("cancelled by"))

    objects = HoldQuerySet.as_manager()

    class Meta:
        verbose_name = _("hold")
        verbose_name_plural = _("holds")
        ordering = ["placed_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["book", "member"],
                condition=Q(status__in=["waiting", "ready"]),
                name="one_active_hold_per_reader_per_book",
                violation_error_message=_("This reader already has a hold on this book."),
            ),
        ]
        indexes = [models.Index(fields=["book", "status", "placed_at"])]

    def __str__(self):
        return f"{self.book} · {self.member}"

    def is_past_pickup(self, today=None) -> bool:
        """This hold as `HoldQuerySet.past_pickup` sees it."""
        return self.status == Hold.Status.READY and self.expires_on < (today or timezone.localdate())


def due_date_from(day, rules: LoanRules):
    return day + timedelta(days=rules.loan_days)


class Campaign(models.Model):
    """A reading campaign such as 书香伴我行: read on as many days as you can between two dates."""

    slug = models.SlugField(_("short name in the address"), unique=True)
    title = models.CharField(_("title"), max_length=80, validators=[no_control_characters])
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    goal_days = models.PositiveSmallIntegerField(
        _("goal (check-in days)"), default=21, validators=[MinValueValidator(1)]
    )
    daily_minutes_cap = models.PositiveSmallIntegerField(
        _("most minutes per log"), default=240, validators=[MinValueValidator(30), MaxValueValidator(1440)]
    )
    backdate_days = models.PositiveSmallIntegerField(
        _("days a check-in may be late"), default=2, validators=[MaxValueValidator(14)]
    )
    rules = models.TextField(_("rules"), max_length=3000)
    cover = CleanImageField(_("cover"), upload_to="campaigns/", blank=True)

    class Meta:
        verbose_name = _("reading campaign")
        verbose_name_plural = _("reading campaigns")
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="campaign_ends_after_start",
                violation_error_message=_("The last day must not be before the first."),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("lending:campaign", args=[self.slug])

    def is_running(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.starts_on <= today <= self.ends_on

    @property
    def days(self) -> int:
        return (self.ends_on - self.starts_on).days + 1


class Enrolment(models.Model):
    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campaign"), on_delete=models.CASCADE, related_name="enrolments"
    )
    member = models.ForeignKey(Member, verbose_name=_("reader"), on_delete=models.PROTECT, related_name="enrolments")
    enrolled_at = models.DateTimeField(_("enrolled at"), auto_now_add=True)
    enrolled_by = actor_field(_("enrolled by"))
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_by = actor_field(_("withdrawn by"))

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "member"],
                name="one_enrolment_per_reader",
                violation_error_message=_("This reader already takes part."),
            ),
        ]

    def __str__(self):
        return f"{self.member} · {self.campaign}"


class CheckInQuerySet(models.QuerySet):
    def shared(self):
        """Reflections the reader chose to share; staff moderate them before the wall shows them."""
        return self.filter(share=True).exclude(reflection="")

    def awaiting_moderation(self):
        return self.shared().filter(moderation=CheckIn.Moderation.PENDING)

    def on_wall(self):
        """What the public reflections wall shows (`CheckIn.is_public` for one)."""
        return self.shared().filter(moderation=CheckIn.Moderation.APPROVED)


class CheckIn(models.Model):
    """One reading log. The first of a day counts as a check-in day; more logs that day
    add minutes and books, never days."""

    class Source(models.TextChoices):
        HOME = "home", _("Logged by the reader")
        DESK = "desk", _("Loan at the desk")

    class Moderation(models.TextChoices):
        PENDING = "pending", _("Waiting for moderation")
        APPROVED = "approved", _("Shown on the wall")
        HIDDEN = "hidden", _("Hidden")

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campaign"), on_delete=models.CASCADE, related_name="checkins"
    )
    member = models.ForeignKey(Member, verbose_name=_("reader"), on_delete=models.PROTECT, related_name="checkins")
    day = models.DateField(_("day"))
    counted = models.BooleanField(_("counts as the day's check-in"), default=True)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices, default=Source.HOME)
    book = models.ForeignKey(
        Book, verbose_name=_("book"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    book_title = models.CharField(_("book"), max_length=200, validators=[no_control_characters])
    minutes = models.PositiveSmallIntegerField(_("minutes read"), null=True, blank=True)
    reflection = models.TextField(_("reflection (心得)"), blank=True, max_length=2000)
    photo = CleanImageField(_("photo"), upload_to=UnguessableName("checkins"), storage=private_storage, blank=True)
    share = models.BooleanField(_("share the reflection on the public wall"), default=False)
    moderation = models.CharField(
        _("moderation"), max_length=10, choices=Moderation.choices, default=Moderation.PENDING
    )
    hidden_reason = models.CharField(
        _("reason for hiding"), max_length=200, blank=True, validators=[no_control_characters]
    )
    moderated_by = actor_field(_("moderated by"))
    created_by = actor_field(_("logged by"))
    created_at = models.DateTimeField(_("logged at"), auto_now_add=True)

    objects = CheckInQuerySet.as_manager()

    class Meta:
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")
        ordering = ["-day", "-pk"]
        permissions = [("moderate_checkin", _("Can moderate reflections"))]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "member", "day"],
                condition=Q(counted=True),
                name="one_counted_checkin_per_day",
                violation_error_message=_("This reader has already checked in for this day."),
            ),
            models.CheckConstraint(
                condition=Q(minutes__isnull=True) | Q(minutes__gte=1, minutes__lte=1440),
                name="checkin_minutes_in_range",
                violation_error_message=_("Minutes must be between 1 and 1440."),
            ),
        ]
        indexes = [
            models.Index(fields=["campaign", "member", "day"]),
            models.Index(fields=["campaign", "day"]),
            models.Index(  # the reflections wall: a few shared rows among a million
                fields=["campaign", "-created_at"],
                condition=Q(share=True, moderation="approved"),
                name="checkin_wall",
            ),
        ]

    def __str__(self):
        return f"{self.member} · {self.day}"

    @property
    def is_public(self) -> bool:
        """On the public wall, as `CheckInQuerySet.on_wall` selects: anyone may see it (and its photo)."""
        return self.share and bool(self.reflection) and self.moderation == self.Moderation.APPROVED
