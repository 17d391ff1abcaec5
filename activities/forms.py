from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from activities.models import Attachment, Audience, Category, Event
from culturecenter.forms import HouseholdPersonForm, MemberDetailsForm, form_helper
from culturecenter.lib.images import clean_image
from culturecenter.lib.mobile import normalise_mobile
from culturecenter.models import Member, Village

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


class SignupForm(HouseholdPersonForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, label=_("Who is coming?"), **kwargs)


class OnBehalfForm(forms.Form):
    """代报名 at the desk: find the villager by reader card or mobile number."""

    who = forms.CharField(label=_("Reader card or mobile number"), max_length=20)

    def clean_who(self):
        who = normalise_mobile(self.cleaned_data["who"]).upper()
        member = Member.objects.filter(Q(reader_card=who) | Q(mobile=who), anonymised_at__isnull=True).first()
        if member is None:
            raise forms.ValidationError(_("No villager has this reader card or mobile number."))
        return member


class CheckinForm(forms.Form):
    code = forms.CharField(label=_("Ticket code"), max_length=200)


class WalkInForm(MemberDetailsForm):
    class Meta(MemberDetailsForm.Meta):
        fields = ["name", "village", "birth_year", "mobile"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].help_text = ""
        self.fields["mobile"].required = False
        self.fields["mobile"].help_text = _("Optional. If this number is known, that person is checked in.")

    def validate_unique(self):
        pass  # a known mobile number means that villager walked in


class CancelEventForm(forms.Form):
    reason = forms.CharField(label=_("Reason (sent to everyone signed up)"), max_length=200)


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


class EventAdminForm(forms.ModelForm):
    class Meta:
        model = Event
        fields = [
            "title", "category", "description", "poster", "audiences", "starts_at", "ends_at", "venue",
            "signup_required", "capacity", "signup_opens_at", "signup_closes_at", "min_age", "max_age",
            "presenters", "duty_staff",
        ]  # fmt: skip

    def clean_poster(self):
        poster = self.cleaned_data.get("poster")
        if poster and poster is not getattr(self.instance, "poster", None) and hasattr(poster, "content_type"):
            return clean_image(poster)
        return poster

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
