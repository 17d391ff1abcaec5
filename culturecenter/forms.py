from crispy_forms.helper import FormHelper
from django import forms
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.password_validation import validate_password
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from culturecenter import services
from culturecenter.lib.client import client_address
from culturecenter.lib.login_guard import LoginGuard
from culturecenter.lib.mobile import normalise_mobile
from culturecenter.lib.throttle import Throttle
from culturecenter.models import EARLIEST_BIRTH_YEAR, Member, User


def form_helper(**attrs) -> FormHelper:
    """Crispy rendering of fields only; templates write the <form> with its CSRF token and button."""
    helper = FormHelper()
    helper.form_tag = False
    for name, value in attrs.items():
        setattr(helper, name, value)
    return helper


class MobileField(forms.CharField):
    """A mobile number typed with spaces, dashes, full-width digits or +86 is cleaned
    to its 11 digits before the model's validator looks at it."""

    def __init__(self, *, max_length=None, **kwargs):
        # Room for "139 1234 5678"; the model field still allows only 11 digits.
        super().__init__(max_length=30, **kwargs)

    def to_python(self, value):
        return normalise_mobile(super().to_python(value)) or None

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.pop("maxlength", None)
        return attrs


class MemberDetailsForm(forms.ModelForm):
    """The fields a villager fills in about a person; shared by sign-up, profile and household forms."""

    class Meta:
        model = Member
        fields = ["name", "mobile", "email", "village", "birth_year"]
        field_classes = {"mobile": MobileField}
        widgets = {
            "mobile": forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "tel"}),
            "birth_year": forms.NumberInput(attrs={"inputmode": "numeric"}),
            "name": forms.TextInput(attrs={"autocomplete": "name"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper()
        if "name" in self.fields:
            self.fields["name"].help_text = _("Your name as on your ID card.")
        if "mobile" in self.fields:
            self.fields["mobile"].required = True

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if any(ch in name for ch in "<>&\"'/\\{}"):
            raise forms.ValidationError(_("A name may not contain symbols such as < > & or quotes."))
        return name

    def clean_birth_year(self):
        year = self.cleaned_data["birth_year"]
        this_year = timezone.localdate().year
        if not EARLIEST_BIRTH_YEAR <= year <= this_year:
            raise forms.ValidationError(
                _("Enter a birth year between %(first)s and %(last)s.")
                % {"first": EARLIEST_BIRTH_YEAR, "last": this_year}
            )
        return year


class RegistrationForm(MemberDetailsForm):
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 8 characters, not only digits, not a common password."),
    )
    password2 = forms.CharField(
        label=_("Password again"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    consent = forms.BooleanField(
        label=_("I have read and agree to the privacy notice."),
        error_messages={"required": _("You can only register after agreeing to the privacy notice.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consent"].help_text = format_html(
            '<a href="{}">{}</a>',
            reverse("privacy"),
            _("Read the privacy notice: what we keep, why, how long, how to delete it."),
        )

    def clean(self):
        cleaned = super().clean()
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", _("The two passwords do not match."))
        elif password1:
            probe = User(username=cleaned.get("mobile") or "", first_name=cleaned.get("name") or "")
            try:
                validate_password(password1, probe)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class ProfileForm(MemberDetailsForm):
    pass


class PersonWithoutLoginForm(MemberDetailsForm):
    """The one form for a person without a login — a child or an elderly parent added to a
    household, a new reader at the library desk, someone new at the door: a mobile number
    is optional."""

    class Meta(MemberDetailsForm.Meta):
        fields = ["name", "village", "birth_year", "mobile"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].help_text = ""
        self.fields["mobile"].required = False
        self.fields["mobile"].help_text = _("Optional, e.g. for an elderly parent with their own phone.")


class HouseholdPersonForm(forms.Form):
    """Choose one person of the household the user manages (sign-ups, holds)."""

    member = forms.ModelChoiceField(
        queryset=Member.objects.none(),
        empty_label=None,
        error_messages={"invalid_choice": _("Choose yourself or a member of your household.")},
    )

    def __init__(self, *args, people=None, label=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = people if people is not None else Member.objects.none()
        self.fields["member"].label = label
        self.helper = form_helper()


class ThrottledLoginMixin:
    """Count failed logins (culturecenter/lib/login_guard.py) and refuse or slow down repeats."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("The mobile number (or username) and password do not match. Please try again."),
        "blocked": _("Too many failed attempts. Please wait %(minutes)s minutes and try again."),
        "paused": _(
            "Too many failed attempts for this account. Please wait %(seconds)s seconds and try again, or ask the "
            "front desk to reset your password."
        ),
    }

    def clean_username(self):
        return normalise_mobile(self.cleaned_data.get("username"))

    def clean(self):
        guard = LoginGuard(normalise_mobile(self.data.get("username")), client_address(self.request))
        refusal = guard.refusal()
        if refusal:
            unit = "minutes" if refusal.code == "blocked" else "seconds"
            raise forms.ValidationError(
                self.error_messages[refusal.code], code=refusal.code, params={unit: refusal.wait}
            )
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            guard.failed()
            raise
        guard.succeeded()
        return cleaned


class LoginForm(ThrottledLoginMixin, AuthenticationForm):
    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = _("Mobile number")
        self.fields["username"].help_text = _("Staff: your username.")
        self.fields["username"].widget.attrs.update({"inputmode": "text", "autocomplete": "username"})
        self.helper = form_helper()

    def clean(self):
        try:
            return super().clean()
        except forms.ValidationError:
            # The refusal is about both fields together: each says so to a screen reader,
            # pointing at the error summary (templates/includes/form_errors.html) that reads it out.
            for name, field in self.fields.items():
                described_by = ["error-summary", f"{self[name].auto_id}_helptext" if field.help_text else ""]
                field.widget.attrs.update(
                    {"aria-invalid": "true", "aria-describedby": " ".join(filter(None, described_by))}
                )
            raise


class AdminLoginForm(ThrottledLoginMixin, AdminAuthenticationForm):
    error_messages = {
        **ThrottledLoginMixin.error_messages,
        "invalid_login": AdminAuthenticationForm.error_messages["invalid_login"],
    }


class PasswordResetCodeForm(forms.Form):
    """A villager sets a new password with the one-time code staff gave them."""

    mobile = MobileField(
        label=_("Mobile number"), widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "username"})
    )
    code = forms.CharField(
        label=_("One-time code"),
        max_length=20,
        help_text=_("The 8 letters and digits on the slip from the desk, e.g. ABCD-EF34."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )
    new_password1 = forms.CharField(
        label=_("New password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 8 characters, not only digits, not a common password."),
    )
    new_password2 = forms.CharField(
        label=_("New password again"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request
        self.reset = None
        self.helper = form_helper()

    def clean(self):
        cleaned = super().clean()
        mobile, code = cleaned.get("mobile") or "", cleaned.get("code") or ""
        address = client_address(self.request)
        window = settings.LOGIN_FAILURE_WINDOW_SECONDS
        throttles = [
            (Throttle("reset-mobile", settings.LOGIN_FAILURE_LIMIT, window), mobile),
            (Throttle("reset-address", settings.LOGIN_FAILURE_LIMIT_PER_ADDRESS, window), address),
        ]
        if any(throttle.is_blocked(key) for throttle, key in throttles):
            raise forms.ValidationError(
                _("Too many wrong codes. Please wait %(minutes)s minutes and try again."),
                code="throttled",
                params={"minutes": window // 60},
            )
        if not (mobile and code):
            return cleaned
        self.reset = services.password_reset_code_find(mobile=mobile, code=code)
        if self.reset is None:
            for throttle, key in throttles:
                throttle.hit(key)
            self.add_error(
                "code",
                _(
                    "This code does not match this mobile number, was already used or is older than 24 hours. "
                    "Ask the desk for a new one."
                ),
            )
            return cleaned
        password1, password2 = cleaned.get("new_password1"), cleaned.get("new_password2")
        if password1 and password2 and password1 != password2:
            self.add_error("new_password2", _("The two passwords do not match."))
        elif password1:
            try:
                validate_password(password1, self.reset.user)
            except forms.ValidationError as error:
                self.add_error("new_password1", error)
        return cleaned


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label=_("Your password, to confirm"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, user, *args, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        self.helper = form_helper()

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("That is not your password."))
        return password
