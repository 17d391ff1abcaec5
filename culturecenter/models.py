import re
import unicodedata
from datetime import date

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from culturecenter.lib import search
from culturecenter.lib.mobile import normalise_mobile
from culturecenter.lib.privacy import mask_name
from culturecenter.lib.text import no_control_characters

MOBILE_PATTERN = r"^1[3-9]\d{9}$"
EARLIEST_BIRTH_YEAR = 1900

mobile_validator = RegexValidator(
    MOBILE_PATTERN, _("Enter an 11-digit mobile number starting with 13–19, e.g. 13800000001.")
)
reader_card_validator = RegexValidator(r"^R\d{4,12}$", _("A reader card number is R followed by 4 to 12 digits."))


class User(AbstractUser):
    """The login. Villagers log in with the mobile number of their Member."""

    # Staff names go into notices, exports and email subjects: one line of text, like every name.
    first_name = models.CharField(_("first name"), max_length=150, blank=True, validators=[no_control_characters])
    last_name = models.CharField(_("last name"), max_length=150, blank=True, validators=[no_control_characters])

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"

    def __str__(self):
        """How whoever did something is shown to staff: the real name, a villager's own
        name (their login is a random handle), else the login."""
        member = getattr(self, "member", None)
        return self.get_full_name() or (str(member) if member else self.username)


def actor_field(verbose_name):
    """Who did something (CONVENTIONS 13): a login, kept empty if that login is ever deleted."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=verbose_name,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )


class Village(models.TextChoices):
    SHANG_QINGSHUI = "shangqingshui", _("Shangqingshui")
    XIA_QINGSHUI = "xiaqingshui", _("Xiaqingshui")
    YANJIATAI = "yanjiatai", _("Yanjiatai")
    HUANGANTUO = "huangantuo", _("Huangantuo")
    HONGSHUIKOU = "hongshuikou", _("Hongshuikou")
    XIDAMO = "xidamo", _("Xidamo")
    OTHER = "other", _("Other")


class AgeGroup(models.TextChoices):
    CHILD = "child", _("Child (under 12)")
    TEEN = "teen", _("Teenager (12–17)")
    ADULT = "adult", _("Adult")
    ELDERLY = "elderly", _("Elderly (60 and over)")


def age_group_for(birth_year: int, today: date | None = None) -> str:
    """The age group of someone born in `birth_year`, by age reached this year."""
    age = (today or timezone.localdate()).year - birth_year
    if age < 12:
        return AgeGroup.CHILD
    if age < 18:
        return AgeGroup.TEEN
    if age < 60:
        return AgeGroup.ADULT
    return AgeGroup.ELDERLY


class Household(models.Model):
    """A family. Its members with a login manage it; the others (a child, an
    elderly parent) are people without their own login."""

    name = models.CharField(_("name"), max_length=50, blank=True, validators=[no_control_characters])
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")

    def __str__(self):
        return self.name or _("Household %(number)s") % {"number": self.pk}


class MemberQuerySet(models.QuerySet):
    def present(self):
        """People still on record: not erased at their request (`account_delete`)."""
        return self.filter(anonymised_at__isnull=True)

    def managed_by(self, user):
        """Members of the household `user` manages: the only ones they may see; the
        account holder first, so that forms pick them unless told otherwise."""
        member = getattr(user, "member", None)
        if member is None or member.household_id is None:
            return self.filter(pk=member.pk) if member else self.none()
        holder_first = models.Case(models.When(pk=member.pk, then=0), default=1)
        return self.filter(household_id=member.household_id).order_by(holder_first, "name", "pk")

    def lookalikes(self, *, name="", village="", birth_year=None, mobile="", reader_card="", limit=10):
        """People already known who may be the one at the desk, so nobody is recorded twice:
        a name (narrowed by village and birth year when given), a reader card, or a mobile
        number, which lists its owner's whole household (a child or an elderly parent
        without a phone is found by the guardian's number)."""
        match = Q(pk__in=[])
        if name:
            by_name = search.contains(name, "name")
            if village:
                by_name &= Q(village=village)
            if birth_year:
                by_name &= Q(birth_year=birth_year)
            match |= by_name
        if reader_card:
            match |= Q(reader_card=reader_card)
        if mobile:
            owners = Member.objects.filter(mobile=mobile, household__isnull=False).values("household")
            match |= Q(mobile=mobile) | Q(household__in=owners)
        # The owner of the number typed first, then their household, oldest first.
        owner_first = models.Case(models.When(mobile=mobile, then=0), default=1) if mobile else models.Value(1)
        return (
            self.present()
            .filter(match)
            .select_related("household")
            .prefetch_related("household__members")
            .order_by(owner_first, "household_id", "birth_year", "pk")[:limit]
        )

    def search_text(self, text: str, limit=10):
        """`lookalikes` for what staff type in one box: "王德顺", "王德顺 1956 下清水",
        "138 0000 0001" or a reader card, in any order, with full-width digits too."""
        return self.lookalikes(**parse_person_query(text), limit=limit)


def parse_person_query(text: str) -> dict:
    """Split typed words into a mobile number, reader card, birth year, village and name."""
    found = {"name": "", "village": "", "birth_year": None, "mobile": "", "reader_card": ""}
    villages = {str(label): value for value, label in Village.choices} | {value: value for value in Village.values}
    text = unicodedata.normalize("NFKC", text or "")
    whole = normalise_mobile(text)
    if re.fullmatch(MOBILE_PATTERN, whole):
        return {**found, "mobile": whole}
    names = []
    for word in text.split():
        if re.fullmatch(r"[Rr]\d{4,12}", word):
            found["reader_card"] = word.upper()
        elif word.isdigit() and len(word) == 4:
            found["birth_year"] = int(word)
        elif re.fullmatch(MOBILE_PATTERN, normalise_mobile(word)):
            found["mobile"] = normalise_mobile(word)
        elif word.lower() in villages or word in villages:
            found["village"] = villages.get(word, villages.get(word.lower()))
        else:
            names.append(word)
    found["name"] = "".join(names)
    return found


class Member(models.Model):
    """One person known to the center, with or without a login."""

    user = models.OneToOneField(
        User, verbose_name=_("login"), null=True, blank=True, on_delete=models.SET_NULL, related_name="member"
    )
    household = models.ForeignKey(
        Household,
        verbose_name=_("household"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
    )
    name = models.CharField(_("real name"), max_length=30, validators=[no_control_characters])
    mobile = models.CharField(
        _("mobile number"),
        max_length=11,
        null=True,
        blank=True,
        unique=True,
        validators=[mobile_validator],
        error_messages={"unique": _("This mobile number is already registered.")},
    )
    email = models.EmailField(_("email"), blank=True, help_text=_("Optional. Used for reminders and notices."))
    village = models.CharField(_("village"), max_length=20, choices=Village.choices)
    birth_year = models.PositiveSmallIntegerField(_("birth year"), validators=[MinValueValidator(EARLIEST_BIRTH_YEAR)])
    is_disabled = models.BooleanField(_("person with a disability"), default=False)
    has_hardship = models.BooleanField(_("household in hardship"), default=False)
    reader_card = models.CharField(
        _("reader card"),
        max_length=13,
        null=True,
        blank=True,
        unique=True,
        validators=[reader_card_validator],
        error_messages={"unique": _("This reader card number is already in use.")},
        help_text=_("Leave empty to issue the next number."),
    )
    consented_at = models.DateTimeField(_("privacy notice accepted"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    anonymised_at = models.DateTimeField(_("anonymised"), null=True, blank=True)
    created_by = actor_field(_("recorded by"))

    objects = MemberQuerySet.as_manager()

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")
        ordering = ["name", "pk"]
        permissions = [("view_special_groups", _("Can see special-group flags (disability, hardship)"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(birth_year__gte=EARLIEST_BIRTH_YEAR),
                name="member_birth_year_after_1900",
                violation_error_message=_("The birth year must be 1900 or later."),
            ),
        ]

    def __str__(self):
        if self.anonymised_at:
            return str(_("(deleted member)"))
        return self.name

    @property
    def age_group(self) -> str:
        return age_group_for(self.birth_year)

    def get_age_group_display(self) -> str:
        return str(AgeGroup(self.age_group).label)

    @property
    def masked_name(self) -> str:
        return mask_name(self.name)

    @property
    def has_login(self) -> bool:
        return self.user_id is not None

    @property
    def contact(self) -> "Member | None":
        """Whom to phone about this person: themself, or for a child or an elderly parent
        without a mobile the household's guardian (a member with a login and a mobile).
        Reads `household.members`; lists prefetch it."""
        if self.mobile:
            return self
        if self.household_id is None:
            return None
        guardians = [m for m in self.household.members.all() if m.user_id and m.mobile and m.pk != self.pk]
        return min(guardians, key=lambda m: m.pk, default=None)

    def assign_reader_card(self):
        """Issue the card number derived from the primary key, unless one was typed."""
        if not self.reader_card:
            self.reader_card = f"R{self.pk:08d}"
            self.save(update_fields=["reader_card"])

    def anonymise(self):
        """Erase what identifies this person; keep village and birth year for anonymous counts."""
        self.name = ""
        self.mobile = None
        self.email = ""
        self.is_disabled = False
        self.has_hardship = False
        self.reader_card = None
        self.household = None
        self.user = None
        self.anonymised_at = timezone.now()
        self.save()


class Weekday(models.IntegerChoices):
    MONDAY = 0, pgettext_lazy("weekday", "Monday")
    TUESDAY = 1, pgettext_lazy("weekday", "Tuesday")
    WEDNESDAY = 2, pgettext_lazy("weekday", "Wednesday")
    THURSDAY = 3, pgettext_lazy("weekday", "Thursday")
    FRIDAY = 4, pgettext_lazy("weekday", "Friday")
    SATURDAY = 5, pgettext_lazy("weekday", "Saturday")
    SUNDAY = 6, pgettext_lazy("weekday", "Sunday")


class OpeningSchedule(models.Model):
    """A weekly timetable. The one without dates is the regular schedule; a dated
    one (summer evenings, 错时、延时开放) replaces it between its dates."""

    name = models.CharField(_("name"), max_length=50, validators=[no_control_characters])
    valid_from = models.DateField(_("from"), null=True, blank=True)
    valid_until = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        verbose_name = _("opening schedule")
        verbose_name_plural = _("opening schedules")
        ordering = [models.F("valid_from").asc(nulls_first=True)]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True, valid_until__isnull=True)
                | Q(valid_from__isnull=False, valid_until__isnull=False, valid_until__gte=models.F("valid_from")),
                name="schedule_dates_both_or_none_in_order",
                violation_error_message=_(
                    "Give both dates (the first not after the last) for a seasonal schedule, "
                    "or neither for the regular one."
                ),
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_regular(self) -> bool:
        return self.valid_from is None

    def covers(self, day: date) -> bool:
        return self.is_regular or self.valid_from <= day <= self.valid_until

    def clean(self):
        others = OpeningSchedule.objects.exclude(pk=self.pk)
        if self.valid_from is None and self.valid_until is None:
            if others.filter(valid_from__isnull=True).exists():
                raise ValidationError(_("There is already a regular schedule; give this one dates or edit that one."))
        elif self.valid_from and self.valid_until:
            overlapping = others.filter(valid_from__lte=self.valid_until, valid_until__gte=self.valid_from).first()
            if overlapping:
                raise ValidationError(_("These dates overlap the schedule “%(name)s”.") % {"name": overlapping.name})


class OpeningPeriod(models.Model):
    """One opening on one weekday; a day may have several (e.g. morning and evening)."""

    schedule = models.ForeignKey(
        OpeningSchedule, verbose_name=_("schedule"), on_delete=models.CASCADE, related_name="periods"
    )
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    opens = models.TimeField(_("opens"))
    closes = models.TimeField(_("closes"))

    class Meta:
        verbose_name = _("opening period")
        verbose_name_plural = _("opening periods")
        ordering = ["weekday", "opens"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes__gt=models.F("opens")),
                name="period_closes_after_opens",
                violation_error_message=_("The closing time must be after the opening time."),
            ),
        ]

    def __str__(self):
        return f"{self.get_weekday_display()} {self.opens:%H:%M}–{self.closes:%H:%M}"


class SpecialDay(models.Model):
    """A date that departs from the schedule: closed for a holiday, or open
    different hours for an event."""

    date = models.DateField(_("date"), unique=True)
    is_closed = models.BooleanField(_("closed all day"), default=False)
    opens = models.TimeField(_("opens"), null=True, blank=True)
    closes = models.TimeField(_("closes"), null=True, blank=True)
    note = models.CharField(
        _("public note"),
        max_length=80,
        blank=True,
        help_text=_("e.g. National Day holiday"),
        validators=[no_control_characters],
    )

    class Meta:
        verbose_name = _("special day")
        verbose_name_plural = _("special days")
        ordering = ["date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(is_closed=True, opens__isnull=True, closes__isnull=True)
                | Q(is_closed=False, opens__isnull=False, closes__isnull=False, closes__gt=models.F("opens")),
                name="special_day_closed_or_hours",
                violation_error_message=_(
                    "Either tick “closed all day” and leave the times empty, "
                    "or give an opening time and a later closing time."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.note}"


class Notice(models.Model):
    """A message for a villager, shown on “My account” (and emailed where an address is known)."""

    member = models.ForeignKey(Member, verbose_name=_("member"), on_delete=models.CASCADE, related_name="notices")
    text = models.CharField(_("text"), max_length=300)
    url = models.CharField(_("link"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["member", "-created_at"])]

    def __str__(self):
        return self.text


def age_group_expression(field: str = "birth_year", today: date | None = None):
    """The age group as an SQL expression, for counting by age group in the database."""
    year = (today or timezone.localdate()).year
    return models.Case(
        models.When(**{f"{field}__gt": year - 12}, then=models.Value(AgeGroup.CHILD)),
        models.When(**{f"{field}__gt": year - 18}, then=models.Value(AgeGroup.TEEN)),
        models.When(**{f"{field}__gt": year - 60}, then=models.Value(AgeGroup.ADULT)),
        default=models.Value(AgeGroup.ELDERLY),
        output_field=models.CharField(),
    )


class PasswordResetCodeQuerySet(models.QuerySet):
    def usable(self, now=None):
        return self.filter(used_at__isnull=True, expires_at__gt=now or timezone.now())


class PasswordResetCode(models.Model):
    """A one-time code staff give a villager (after checking who they are) to set a new
    password. Only a keyed hash is kept; it works once, within its validity."""

    user = models.ForeignKey(User, verbose_name=_("login"), on_delete=models.CASCADE, related_name="reset_codes")
    code_hash = models.CharField(max_length=64, editable=False)
    issued_by = actor_field(_("issued by"))
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)
    expires_at = models.DateTimeField(_("valid until"))
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)

    objects = PasswordResetCodeQuerySet.as_manager()

    class Meta:
        verbose_name = _("password reset code")
        verbose_name_plural = _("password reset codes")
        ordering = ["-issued_at", "-pk"]
        indexes = [models.Index(fields=["user", "used_at", "expires_at"])]

    def __str__(self):
        return f"{self.user} · {self.issued_at:%Y-%m-%d %H:%M}"
