from django import forms
from django.core.validators import MaxValueValidator
from django.utils.translation import gettext_lazy as _

from culturecenter.forms import HouseholdPersonForm, form_helper
from culturecenter.lib.images import CleanedImageFormField
from culturecenter.lib.text import no_control_characters
from culturecenter.models import Member
from lending.campaigns import CONFIRM_MINUTES_ABOVE
from lending.isbn import normalise_isbn
from lending.models import Book, ClassLetter


class CatalogueSearchForm(forms.Form):
    q = forms.CharField(label=_("Title, author, ISBN or keyword"), required=False, max_length=100)
    cls = forms.ChoiceField(label=_("Class"), required=False, choices=[("", _("All classes")), *ClassLetter.choices])
    available = forms.BooleanField(label=_("Available now"), required=False)


class ScanForm(forms.Form):
    code = forms.CharField(label=_("Scan a card or a book, or type a name"), max_length=60)


class QuickAddForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200, validators=[no_control_characters])
    isbn = forms.CharField(label=_("ISBN (optional)"), required=False, max_length=20)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper()

    def clean_isbn(self):
        text = self.cleaned_data["isbn"].strip()
        if text and normalise_isbn(text) is None:
            raise forms.ValidationError(_("This ISBN is not valid (its check digit does not match)."))
        return normalise_isbn(text) or ""


class HoldForm(HouseholdPersonForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, label=_("For whom?"), **kwargs)


class BookAdminForm(forms.ModelForm):
    class Meta:
        model = Book
        fields = ["title", "author", "publisher", "year", "isbn", "class_letter", "keywords", "description", "cover"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Room for the hyphens the help text allows; 13 characters are stored once cleaned.
        if isbn := self.fields.get("isbn"):  # absent for a role that may only view books
            isbn.max_length = 20
            isbn.validators = []
            isbn.widget.attrs["maxlength"] = 20

    def clean_isbn(self):
        text = self.cleaned_data["isbn"].strip()
        if not text:
            return ""
        isbn = normalise_isbn(text)
        if isbn is None:
            raise forms.ValidationError(_("This ISBN is not valid (its check digit does not match)."))
        return isbn


class ImportForm(forms.Form):
    file = forms.FileField(label=_("CSV file (the first line names the columns, in Chinese or English)"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > 5 * 2**20:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        raw = upload.read()
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                return raw.decode(encoding)
            except UnicodeDecodeError:
                continue
        raise forms.ValidationError(_("The file is not text in UTF-8 or GBK."))


class EnrolForm(forms.Form):
    members = forms.ModelMultipleChoiceField(
        label=_("Who takes part?"),
        queryset=Member.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Tick at least one person."),
            "invalid_choice": _("Choose yourself or a member of your household."),
        },
    )

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = people if people is not None else Member.objects.none()
        self.helper = form_helper()


class CheckInForm(forms.Form):
    member = forms.ModelChoiceField(
        label=_("Who read?"),
        queryset=Member.objects.none(),
        empty_label=None,
        error_messages={"invalid_choice": _("Choose a participant of your household.")},
    )
    day = forms.DateField(label=_("Day"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}))
    book_title = forms.CharField(
        label=_("Book"), max_length=200, help_text=_("The title, as on the cover."), validators=[no_control_characters]
    )
    minutes = forms.IntegerField(
        label=_("Minutes read"),
        min_value=1,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    confirm_long = forms.BooleanField(label=_("Yes, I read that long today."), required=False)
    reflection = forms.CharField(
        label=_("Reflection (心得, optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("At least 20 characters if you write one."),
    )
    photo = CleanedImageFormField(label=_("Photo (optional)"), required=False)
    share = forms.BooleanField(label=_("Share my reflection on the public wall (after review)"), required=False)

    def __init__(self, *args, people=None, campaign=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.campaign = campaign
        self.fields["member"].queryset = people if people is not None else Member.objects.none()
        self.fields["minutes"].max_value = campaign.daily_minutes_cap if campaign else None
        self.fields["minutes"].validators.append(MaxValueValidator(campaign.daily_minutes_cap if campaign else 240))
        self.helper = form_helper()

    def clean_reflection(self):
        text = self.cleaned_data["reflection"].strip()
        if text and len(text) < 20:
            raise forms.ValidationError(_("A reflection needs at least 20 characters, or leave it empty."))
        return text

    def clean(self):
        cleaned = super().clean()
        minutes = cleaned.get("minutes")
        if minutes and minutes > CONFIRM_MINUTES_ABOVE and not cleaned.get("confirm_long"):
            self.add_error(
                "confirm_long",
                _("More than %(minutes)s minutes in one go? Tick to confirm.") % {"minutes": CONFIRM_MINUTES_ABOVE},
            )
        return cleaned


class ModerationForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for hiding"), required=False, max_length=200, validators=[no_control_characters]
    )
