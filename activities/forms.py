from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from activities.models import Attachment, Audience, Category, Event
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
        cleaned = super().clean()
        upload, kind = cleaned.get("file"), cleaned.get("kind")
        if not upload or not kind:
            return cleaned
        if kind == Attachment.Kind.PHOTO:
            cleaned["file"] = clean_image(upload)
            return cleaned
        suffix = "." + upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
        upload.seek(0)
        head = upload.read(8)
        upload.seek(0)
        if suffix not in DOCUMENT_TYPES or not head.startswith(DOCUMENT_TYPES[suffix]):
            self.add_error("file", _("Plans and minutes must be PDF, Word (.doc, .docx) or Excel (.xlsx) files."))
        elif upload.size > 20 * 2**20:
            self.add_error("file", _("The file is larger than 20 MB."))
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
            "signup_required", "capacity", "signup_opens_at", "signup_closes_at", "min_age", "max_age",
            "presenters", "duty_staff",
        ]  # fmt: skip

    def clean(self):
        cleaned = super().clean()
        capacity = cleaned.get("capacity")
        if self.instance.pk and capacity is not None:
            confirmed = self.instance.registrations.filter(status="confirmed").count()
            if capacity < confirmed:
                self.add_error(
                    "capacity",
                    _("%(count)s people already have a place; cancel some before lowering the places below that.")
                    % {"count": confirmed},
                )
        return cleaned


class ArticleReviewForm(forms.Form):
    opinion = forms.CharField(
        label=_("Opinion or reason"), required=False, max_length=1000, validators=[no_control_characters]
    )
    warnings_read = forms.BooleanField(label=_("I have read the warnings above"), required=False)
