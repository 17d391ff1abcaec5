from datetime import date

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

import feedback.briefings.sections  # noqa: F401  (registers the sections)
from activities.models import Event
from feedback.briefings import period as periods
from feedback.briefings.measures import OPEN_NEED_STATES
from feedback.briefings.registry import REGISTRY
from feedback.models import Briefing, Need


class PeriodForm(forms.Form):
    KINDS = [
        ("month", _("A month")),
        ("quarter", _("A quarter")),
        ("summer", _("The summer (July–August)")),
        ("year", _("A year")),
        ("dates", _("Any two dates")),
    ]
    span = forms.ChoiceField(label=_("Period"), choices=KINDS, initial="month", widget=forms.RadioSelect)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    month = forms.IntegerField(
        label=_("Month"), min_value=1, max_value=12, required=False, help_text=_("For “a month”.")
    )
    quarter = forms.IntegerField(
        label=_("Quarter"), min_value=1, max_value=4, required=False, help_text=_("For “a quarter”: 1 to 4.")
    )
    first = forms.DateField(
        label=_("First day of the period"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    last = forms.DateField(
        label=_("Last day of the period"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    title = forms.CharField(
        label=pgettext_lazy("briefing", "Title"),
        max_length=80,
        required=False,
        help_text=_("Empty: named after the period."),
    )
    supplement = forms.BooleanField(label=_("Supplement (增刊), numbered separately"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["year"].initial = today.year
        self.fields["month"].initial = today.month

    def clean(self):
        data = super().clean()
        span, year = data.get("span"), data.get("year")
        if not span or not year:
            return data
        if span == "month":
            if not data.get("month"):
                self.add_error("month", _("Choose the month."))
                return data
            chosen = periods.month(year, data["month"])
            name = _("%(year)s, month %(month)s") % {"year": year, "month": data["month"]}
        elif span == "quarter":
            if not data.get("quarter"):
                self.add_error("quarter", _("Choose the quarter."))
                return data
            chosen = periods.quarter(year, data["quarter"])
            name = _("%(year)s, quarter %(quarter)s") % {"year": year, "quarter": data["quarter"]}
        elif span == "summer":
            chosen, name = periods.summer(year), _("Summer %(year)s") % {"year": year}
        elif span == "year":
            chosen, name = periods.whole_year(year), _("The year %(year)s") % {"year": year}
        else:
            first, last = data.get("first"), data.get("last")
            if not first or not last:
                self.add_error("first", _("Give both dates."))
                return data
            if last < first:
                self.add_error("last", _("The period must end on or after its first day."))
                return data
            if (last - first).days > 366:
                self.add_error("last", _("A briefing covers at most a year."))
                return data
            chosen, name = periods.Period(first, last), chosen_label(first, last)
        data["period"] = chosen
        data["title"] = data.get("title") or str(name)
        return data


def chosen_label(first: date, last: date) -> str:
    return f"{first:%Y.%m.%d}–{last:%Y.%m.%d}"


class TextsForm(forms.Form):
    """One short text per section, and a note per figure (the figure itself is never typed)."""

    def __init__(self, *args, briefing: Briefing, figure_keys=(), **kwargs):
        super().__init__(*args, **kwargs)
        for spec in REGISTRY:
            self.fields[f"text_{spec.key}"] = forms.CharField(
                label=spec.title,
                required=False,
                max_length=3000,
                initial=briefing.texts.get(spec.key, ""),
                widget=forms.Textarea(attrs={"rows": 3}),
            )
        self.figure_keys = list(figure_keys)
        for key, label in self.figure_keys:
            self.fields[f"note_{key}"] = forms.CharField(
                label=_("Note on “%(figure)s”") % {"figure": label},
                required=False,
                max_length=300,
                initial=briefing.annotations.get(key, ""),
            )

    def prose_fields(self):
        return [self[name] for name in self.fields if name.startswith("text_")]

    def note_fields(self):
        return [self[name] for name in self.fields if name.startswith("note_")]

    def texts(self) -> dict:
        return {spec.key: self.cleaned_data.get(f"text_{spec.key}", "") for spec in REGISTRY}

    def annotations(self) -> dict:
        return {key: self.cleaned_data.get(f"note_{key}", "") for key, _label in self.figure_keys}


CHOICES = 150  # needs or events offered to link a next step to


class NextStepForm(forms.Form):
    text = forms.CharField(label=_("Next step"), max_length=300)
    needs = forms.ModelMultipleChoiceField(
        label=_("Needs it answers"),
        queryset=Need.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 5}),
    )
    events = forms.ModelMultipleChoiceField(
        label=_("Events it plans or answers"),
        queryset=Event.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 5}),
    )

    def __init__(self, *args, briefing: Briefing, **kwargs):
        super().__init__(*args, **kwargs)
        # What a next step can answer: the most supported needs still open, and the events from the
        # end of the period (or today, if sooner) on; a short list, not every row of the district.
        needs = Need.objects.filter(hidden=False, state__in=OPEN_NEED_STATES).order_by("-support_count", "-created_at")
        self.fields["needs"].queryset = Need.objects.filter(pk__in=list(needs.values_list("pk", flat=True)[:CHOICES]))
        since = min(timezone.now(), periods.Period(briefing.starts_on, briefing.ends_on).end)
        events = Event.objects.filter(status=Event.Status.APPROVED, starts_at__gte=since).order_by("starts_at")
        self.fields["events"].queryset = Event.objects.filter(
            pk__in=list(events.values_list("pk", flat=True)[:CHOICES])
        ).order_by("starts_at")

    def clean_needs(self):
        return list(self.cleaned_data["needs"])

    def clean_events(self):
        return list(self.cleaned_data["events"])


class ReviseForm(forms.Form):
    note = forms.CharField(label=_("What the new version corrects"), max_length=300)
