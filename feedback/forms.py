from datetime import timedelta
from functools import partial

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from activities.models import Category, Event
from culturecenter.forms import form_helper
from culturecenter.lib.mobile import normalise_mobile
from culturecenter.lib.text import no_control_characters
from culturecenter.models import AgeGroup, Member, Village
from feedback.models import Channel, Need, Question, plain

OTHER = "other"
RATINGS = [(str(n), f"{'★' * n} {n}") for n in range(1, 6)]


class SurveyForm(forms.Form):
    """The questions of a questionnaire as form fields, one block per question."""

    def __init__(self, *args, questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        for question in self.questions:
            self.fields[f"q{question.pk}"] = self._field(question)
            if question.kind in Question.CHOICE_KINDS and question.allow_other:
                self.fields[f"q{question.pk}_other"] = forms.CharField(
                    label=_("Other, please say"), required=False, max_length=200
                )

    @staticmethod
    def _field(question):
        common = {"label": question.text, "required": question.required}
        choices = [(str(choice.pk), choice.text) for choice in question.choices.all()]
        if question.allow_other:
            choices.append((OTHER, _("Other")))
        if question.kind in (Question.Kind.SINGLE, Question.Kind.TRUE_FALSE):
            return forms.ChoiceField(choices=choices, widget=forms.RadioSelect, **common)
        if question.kind == Question.Kind.MULTIPLE:
            return forms.MultipleChoiceField(choices=choices, widget=forms.CheckboxSelectMultiple, **common)
        if question.kind == Question.Kind.RATING:
            return forms.ChoiceField(choices=RATINGS, widget=forms.RadioSelect, **common)
        if question.kind == Question.Kind.NUMBER:
            field = forms.DecimalField(
                max_digits=12,
                decimal_places=2,
                min_value=-(10**9),
                max_value=10**9,
                validators=[partial(_in_range, question)],
                widget=forms.NumberInput(attrs={"inputmode": "decimal"}),
                help_text=_("Numbers allowed: %(range)s") % {"range": question.range_label}
                if question.range_label
                else "",
                **common,
            )
            limits = {"min": question.min_value, "max": question.max_value}
            field.widget.attrs.update({key: plain(value) for key, value in limits.items() if value is not None})
            return field
        if question.kind == Question.Kind.SHORT:
            return forms.CharField(max_length=200, **common)
        return forms.CharField(max_length=2000, widget=forms.Textarea(attrs={"rows": 3}), **common)

    def blocks(self):
        """One (question field, “other” field or None) pair per question, for one block each on screen."""
        return [
            (self[f"q{q.pk}"], self[f"q{q.pk}_other"] if f"q{q.pk}_other" in self.fields else None)
            for q in self.questions
        ]

    def clean(self):
        cleaned = super().clean()
        for question in self.questions:
            value = cleaned.get(f"q{question.pk}")
            picked = value if isinstance(value, list) else [value]
            if question.allow_other and OTHER in picked and not cleaned.get(f"q{question.pk}_other", "").strip():
                self.add_error(f"q{question.pk}_other", _("You chose “other”: please say what."))
        return cleaned

    def answers(self) -> dict:
        """Question → typed value, as response_submit expects."""
        result = {}
        choices_by_id = {str(c.pk): c for q in self.questions for c in q.choices.all()}
        for question in self.questions:
            value = self.cleaned_data.get(f"q{question.pk}")
            if question.kind in Question.CHOICE_KINDS:
                picked = value if isinstance(value, list) else ([value] if value else [])
                other = self.cleaned_data.get(f"q{question.pk}_other", "").strip() if OTHER in picked else ""
                result[question] = ([choices_by_id[p] for p in picked if p != OTHER], other)
            else:
                result[question] = value
        return result


def _in_range(question, value):
    problem = question.range_problem(value)
    if problem:
        raise forms.ValidationError(problem)


class StaffEntryForm(SurveyForm):
    """A paper, WeChat, 座谈 or 走访 response typed in by staff. For a named prize quiz the
    sheet's mobile number links it to the villager, so their paper answers enter the draw."""

    def __init__(self, *args, quiz=False, **kwargs):
        super().__init__(*args, **kwargs)
        named = (
            {
                "mobile": forms.CharField(
                    label=_("Villager's mobile (for the prize draw)"),
                    required=False,
                    max_length=20,
                    widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
                )
            }
            if quiz
            else {}
        )
        self.fields = {
            **named,
            "channel": forms.ChoiceField(
                label=_("Channel"), choices=[c for c in Channel.choices if c[0] != Channel.WEB]
            ),
            "village": forms.ChoiceField(label=_("Village"), choices=Village.choices),
            "age_group": forms.ChoiceField(
                label=_("Age group"), choices=[("", "—"), *AgeGroup.choices], required=False
            ),
            **self.fields,
        }

    def clean_mobile(self):
        """The villager with this mobile (spaces and full-width digits allowed), or None when left empty."""
        mobile = normalise_mobile(self.cleaned_data.get("mobile", ""))
        if not mobile:
            return None
        member = Member.objects.filter(mobile=mobile).first()
        if member is None:
            raise forms.ValidationError(_("No villager is registered with this mobile number."))
        return member


class EvaluationForm(forms.Form):
    rating = forms.TypedChoiceField(label=_("How many stars?"), choices=RATINGS, coerce=int, widget=forms.RadioSelect)
    liked = forms.CharField(
        label=_("What did you like?"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )
    improve = forms.CharField(
        label=_("What should we improve?"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )
    wish = forms.CharField(
        label=_("What would you like next?"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        if people is not None:
            self.fields = {
                "member": forms.ModelChoiceField(
                    label=_("Who is evaluating?"),
                    queryset=people,
                    empty_label=None,
                    error_messages={"invalid_choice": _("Choose someone of your household who was there.")},
                ),
                **self.fields,
            }
        self.helper = form_helper()


class NeedForm(forms.ModelForm):
    class Meta:
        model = Need
        fields = ["category", "village", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text"].help_text = _("我想要… e.g. a calligraphy class for the elderly on weekend mornings.")
        self.helper = form_helper()

    def clean_text(self):
        text = self.cleaned_data["text"].strip()
        if len(text) < 5:
            raise forms.ValidationError(_("Please say a little more (at least 5 characters)."))
        return text


class NeedFilterForm(forms.Form):
    SORTS = [("support", _("Most supported")), ("new", _("Newest"))]
    sort = forms.ChoiceField(label=_("Order"), choices=SORTS, required=False)
    category = forms.ChoiceField(
        label=_("Category"), required=False, choices=[("", _("All categories")), *Category.choices]
    )
    state = forms.ChoiceField(label=_("State"), required=False, choices=[("", _("All states")), *Need.State.choices])
    village = forms.ChoiceField(label=_("Village"), required=False, choices=[("", _("All villages")), *Village.choices])


class NeedAdvanceForm(forms.Form):
    state = forms.ChoiceField(label=_("Next step"), choices=Need.State.choices)
    reply = forms.CharField(
        label=_("Public reply (你说我做)"), required=False, max_length=300, validators=[no_control_characters]
    )


class NeedLinkForm(forms.Form):
    event = forms.ModelChoiceField(label=_("Event that answers it"), queryset=Event.objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        recent = timezone.now() - timedelta(days=90)
        self.fields["event"].queryset = (
            Event.objects.exclude(status=Event.Status.CANCELLED).filter(starts_at__gte=recent).order_by("starts_at")
        )
        self.fields["event"].widget.attrs.update({"class": "form-select", "id": "id_event"})


class HideForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for hiding"), required=False, max_length=200, validators=[no_control_characters]
    )


class SeedForm(forms.Form):
    seed = forms.CharField(
        label=_("Seed (empty: a random one)"), required=False, max_length=64, validators=[no_control_characters]
    )
