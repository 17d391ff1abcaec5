"""Forms of the volunteer pages."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from activities.models import Availability, Skill
from culturecenter.lib.text import no_control_characters
from culturecenter.models import Village


class ApplicationForm(forms.Form):
    skills = forms.MultipleChoiceField(
        label=_("What can you do?"), choices=Skill.choices, widget=forms.CheckboxSelectMultiple, required=False
    )
    availability = forms.MultipleChoiceField(
        label=_("When can you help?"), choices=Availability.choices, widget=forms.CheckboxSelectMultiple
    )
    village = forms.ChoiceField(label=_("Village"), choices=Village.choices)
    note = forms.CharField(label=_("Anything else"), required=False, max_length=300, validators=[no_control_characters])
    guardian_consents = forms.BooleanField(
        label=_("I am the guardian and I agree that this child volunteers."), required=False
    )


class SignupForm(forms.Form):
    role = forms.TypedChoiceField(label=_("Role"), coerce=int, choices=())

    def __init__(self, *args, roles=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [(role.pk, role.name) for role in roles]


class AssignForm(forms.Form):
    volunteer = forms.TypedChoiceField(label=_("Volunteer"), coerce=int, choices=())
    role = forms.TypedChoiceField(label=_("Role"), coerce=int, choices=())
    override_reason = forms.CharField(
        label=_("Reason for allowing an overlap (only if needed)"),
        required=False,
        max_length=200,
        validators=[no_control_characters],
    )

    def __init__(self, *args, volunteers=(), roles=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["volunteer"].choices = [(v.pk, f"{v.member.name} · {v.get_village_display()}") for v in volunteers]
        self.fields["role"].choices = [(role.pk, role.name) for role in roles]


class HoursReportForm(forms.Form):
    service_date = forms.DateField(label=_("Date of service"), widget=forms.DateInput(attrs={"type": "date"}))
    hours = forms.DecimalField(
        label=pgettext_lazy("volunteer service", "Hours"), min_value=0.1, max_value=12, decimal_places=1
    )
    content = forms.CharField(label=_("What you did"), max_length=200, validators=[no_control_characters])
    reason = forms.CharField(
        label=_("Where and for whom (the coordinator checks it)"), max_length=300, validators=[no_control_characters]
    )

    def clean_service_date(self):
        day = self.cleaned_data["service_date"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("Hours can be reported only for days that have passed."))
        return day

    def clean_hours(self):
        return int(round(self.cleaned_data["hours"] * 60))


class DecisionForm(forms.Form):
    note = forms.CharField(label=_("Reason"), required=False, max_length=300, validators=[no_control_characters])


class CorrectionForm(forms.Form):
    hours = forms.DecimalField(label=_("Correct hours"), min_value=0, max_value=24, decimal_places=1)
    reason = forms.CharField(label=_("Reason for the correction"), max_length=300, validators=[no_control_characters])

    def clean_hours(self):
        return int(round(self.cleaned_data["hours"] * 60))


class PeriodForm(forms.Form):
    start = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            raise forms.ValidationError(_("The end must not be before the start."))
        return data


class DeskConsentForm(forms.Form):
    guardian_name = forms.CharField(
        label=_("Guardian who consented at the desk"), max_length=30, validators=[no_control_characters]
    )
