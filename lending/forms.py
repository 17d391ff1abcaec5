from django import forms
from django.utils.translation import gettext_lazy as _

from culturecenter.forms import HouseholdPersonForm, MemberDetailsForm, form_helper
from culturecenter.lib.images import clean_image
from lending.isbn import normalise_isbn
from lending.models import Book, ClassLetter


class CatalogueSearchForm(forms.Form):
    q = forms.CharField(label=_("Title, author, ISBN or keyword"), required=False, max_length=100)
    cls = forms.ChoiceField(label=_("Class"), required=False, choices=[("", _("All classes")), *ClassLetter.choices])
    available = forms.BooleanField(label=_("Available now"), required=False)


class ScanForm(forms.Form):
    code = forms.CharField(label=_("Scan a card or a book, or type a name"), max_length=60)


class QuickAddForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    isbn = forms.CharField(label=_("ISBN (optional)"), required=False, max_length=20)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper()

    def clean_isbn(self):
        text = self.cleaned_data["isbn"].strip()
        if text and normalise_isbn(text) is None:
            raise forms.ValidationError(_("This ISBN is not valid (its check digit does not match)."))
        return normalise_isbn(text) or ""


class ReaderRegisterForm(MemberDetailsForm):
    class Meta(MemberDetailsForm.Meta):
        fields = ["name", "mobile", "village", "birth_year"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].help_text = ""
        self.fields["mobile"].required = False


class HoldForm(HouseholdPersonForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, label=_("For whom?"), **kwargs)


class BookAdminForm(forms.ModelForm):
    class Meta:
        model = Book
        fields = ["title", "author", "publisher", "year", "isbn", "class_letter", "keywords", "description", "cover"]

    def clean_isbn(self):
        text = self.cleaned_data["isbn"].strip()
        if not text:
            return ""
        isbn = normalise_isbn(text)
        if isbn is None:
            raise forms.ValidationError(_("This ISBN is not valid (its check digit does not match)."))
        return isbn

    def clean_cover(self):
        cover = self.cleaned_data.get("cover")
        if cover and hasattr(cover, "content_type"):
            return clean_image(cover)
        return cover


class ImportForm(forms.Form):
    file = forms.FileField(label=_("CSV file (isbn, title, author, publisher, year, class, copies)"))

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
