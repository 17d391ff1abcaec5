from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from activities.models import Attachment, Audience, Category, Event, Venue
from culturecenter import roles
from culturecenter.forms import PersonWithoutLoginForm, form_helper
from culturecenter.lib.images import clean_image
from culturecenter.lib.text import no_control_characters
from culturecenter.models import Member, User, Village

DOCUMENT_TYPES = {".pdf": b"%PDF", ".docx": b"PK", ".xlsx": b"PK", ".doc": b"\xd0\xcf\x11\xe0"}


class EventFilterForm(forms.Form):
    WHEN_CHOICES = [
        ("", _("Upcoming")),
        ("today", _("Today")),
        ("week", _("This week")),
        ("month", _("This month")),
        ("past", _("Past events")),
    ]
    q = forms.CharField(label=_("Search"), required=False, max_length=50)
    category = forms.ChoiceField(
        label=_("Category"), required=False, choices=[("", _("All categories")), *Category.choices]
    )
    audience = forms.ChoiceField(label=_("For"), required=False, choices=[("", _("Everyone")), *Audience.choices])
    village = forms.ChoiceField(label=_("Village"), required=False, choices=[("", _("All villages")), *Village.choices])
    when = forms.ChoiceField(label=_("When"), required=False, choices=WHEN_CHOICES)


class SignupForm(forms.Form):
    """A guardian ticks everyone of the household who is coming: one submit signs them all up.
    The event page draws the tick boxes itself (activities/_signup_people.html) from the
    household it has loaded anyway; this form checks what comes back."""

    member = forms.ModelMultipleChoiceField(
        label=_("Who is coming?"),
        queryset=Member.objects.none(),
        error_messages={
            "required": _("Tick at least one person who is coming."),
            "invalid_choice": _("Choose yourself or a member of your household."),
            "invalid_pk_value": _("Choose yourself or a member of your household."),
        },
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = people


class PersonSearchForm(forms.Form):
    """代报名 and walk-ins: find who is at the desk before anyone is recorded anew."""

    who = forms.CharField(
        label=_("Name, village, birth year, mobile or reader card"),
        max_length=60,
        help_text=_("e.g. 王德顺 1956 下清水, or the household head's mobile to list the whole household."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "enterkeyhint": "search"}),
    )

    def clean_who(self):
        text = self.cleaned_data["who"].strip()
        if not text:
            raise forms.ValidationError(_("Type a name, a mobile number or a reader card."))
        return text


class NewPersonForm(PersonWithoutLoginForm):
    """Someone the center does not know yet at the door or the registrants page; a known
    mobile number means that villager, and lookalikes are shown before anyone is added."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mobile"].help_text = _("Optional. A number already registered finds that villager instead.")

    def validate_unique(self):
        pass  # a known mobile number means that villager is the one at the desk

    def lookalikes(self):
        """Members who may be this very person (same name, village and birth year, or mobile)."""
        data = self.cleaned_data
        return Member.objects.lookalikes(
            name=data["name"], village=data["village"], birth_year=data["birth_year"], mobile=data.get("mobile") or ""
        )


class CheckinForm(forms.Form):
    code = forms.CharField(label=_("Ticket code"), max_length=200)


class CancelEventForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (sent to everyone signed up)"), max_length=200, validators=[no_control_characters]
    )


class ReviewForm(forms.Form):
    opinion = forms.CharField(
        label=_("Opinion"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )


class WorkLogForm(forms.Form):
    summary = forms.CharField(label=_("Summary"), max_length=5000, widget=forms.Textarea(attrs={"rows": 5}))
    incidents = forms.CharField(
        label=_("Incidents"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Anything that went wrong or needs follow-up. Leave empty if none."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper()


class AttachmentForm(forms.ModelForm):
    class Meta:
        model = Attachment
        fields = ["kind", "title", "file"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper()

    def clean(self):
        return check_archive_upload(self, super().clean(), photo=Attachment.Kind.PHOTO)


def check_archive_upload(form, cleaned, *, photo):
    """Photos are re-encoded (EXIF gone); documents must be PDF, Word or Excel by their first bytes, ≤ 20 MB."""
    upload, kind = cleaned.get("file"), cleaned.get("kind")
    if not upload or not kind:
        return cleaned
    if kind == photo:
        cleaned["file"] = clean_image(upload)
        return cleaned
    suffix = "." + upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if suffix not in DOCUMENT_TYPES or not head.startswith(DOCUMENT_TYPES[suffix]):
        form.add_error("file", _("Plans and minutes must be PDF, Word (.doc, .docx) or Excel (.xlsx) files."))
    elif upload.size > 20 * 2**20:
        form.add_error("file", _("The file is larger than 20 MB."))
    return cleaned


def staff_name(user) -> str:
    """How a staff account is shown to colleagues: the real name, the login only when none is set."""
    return user.get_full_name() or user.username


def duty_staff_candidates():
    """Accounts that may stand duty (专人盯岗): the center's staff, never villagers' logins."""
    return (
        User.objects.filter(Q(is_staff=True) | Q(groups__name__in=[roles.STAFF, roles.REVIEWER]), is_active=True)
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


class DutyStaffField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, user):
        return staff_name(user)


def keep_when_left_out(form, names) -> None:
    """Fields a form may leave out (an older form, a quick edit): left out, they keep their value."""
    for name in names:
        if name in form.fields:
            form.fields[name].required = False


def value_or_kept(form, cleaned, name):
    value = cleaned.get(name)
    if value in (None, ""):
        value = getattr(form.instance, name, None)
        if value in (None, ""):
            value = form.instance._meta.get_field(name).get_default()
    return value


class VenueAdminForm(forms.ModelForm):
    """The kind decides whether a place is the center's: a village site (文化下乡) never blocks."""

    OPTIONAL = ("kind", "max_booking_minutes", "advance_days")

    class Meta:
        model = Venue
        fields = [
            "name", "kind", "village", "in_center", "capacity", "equipment", "description",
            "max_booking_minutes", "advance_days", "is_bookable",
        ]  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        keep_when_left_out(self, self.OPTIONAL)
        self.fields["in_center"].help_text = _("Set from the kind of place when one is chosen.")

    def clean(self):
        cleaned = super().clean()
        for name in ("max_booking_minutes", "advance_days"):
            cleaned[name] = value_or_kept(self, cleaned, name)
        if cleaned.get("kind"):
            cleaned["in_center"] = cleaned["kind"] != Venue.Kind.SITE
        else:
            cleaned["kind"] = Venue.Kind.ROOM if cleaned.get("in_center") else Venue.Kind.SITE
        if cleaned["kind"] == Venue.Kind.SITE and not cleaned.get("village"):
            self.add_error("village", _("A site out in a village needs its village."))
        return cleaned


class EventAdminForm(forms.ModelForm):
    duty_staff = DutyStaffField(
        label=_("duty staff"),
        queryset=duty_staff_candidates(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("专人盯岗: at least one is needed before approval."),
    )

    class Meta:
        model = Event
        fields = [
            "title", "category", "description", "poster", "audiences", "starts_at", "ends_at", "venue",
            "setup_minutes", "cleanup_minutes", "resources", "signup_required", "capacity", "signup_opens_at",
            "signup_closes_at", "min_age", "max_age",
            "presenters", "duty_staff",
        ]  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        keep_when_left_out(self, ("setup_minutes", "cleanup_minutes"))

    def clean(self):
        cleaned = super().clean()
        for name in ("setup_minutes", "cleanup_minutes"):
            cleaned[name] = value_or_kept(self, cleaned, name)
        capacity = cleaned.get("capacity")
        if self.instance.pk and capacity is not None:
            confirmed = self.instance.registrations.filter(status="confirmed").count()
            if capacity < confirmed:
                self.add_error(
                    "capacity",
                    _("%(count)s people already have a place; cancel some before lowering the places below that.")
                    % {"count": confirmed},
                )
        self._check_room(cleaned)
        return cleaned

    def _check_room(self, cleaned):
        """An event in review or published holds its room: a clash is a form error, not a 500."""
        from activities.services import HOLDS_ROOM, event_room_clashes

        event = self.instance
        if not event.pk or event.status not in HOLDS_ROOM:
            return
        values = {name: cleaned.get(name) for name in ("venue", "starts_at", "ends_at")}
        if None in values.values() or values["ends_at"] <= values["starts_at"]:
            return
        for problem in event_room_clashes(
            event=event,
            setup_minutes=cleaned.get("setup_minutes") or 0,
            cleanup_minutes=cleaned.get("cleanup_minutes") or 0,
            resources=cleaned.get("resources") or [],
            **values,
        ):
            self.add_error("venue", problem)


class ArticleReviewForm(forms.Form):
    opinion = forms.CharField(
        label=_("Opinion or reason"), required=False, max_length=1000, validators=[no_control_characters]
    )
    warnings_read = forms.BooleanField(label=_("I have read the warnings above"), required=False)
