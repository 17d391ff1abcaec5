from datetime import timedelta

from django import forms
from django.contrib import admin, messages
from django.db import transaction
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from activities.models import Event
from culturecenter.lib.admin import LabelledDateTimeAdmin, ReadOnlyInline
from feedback.models import (
    BankRule,
    Briefing,
    BriefingTargets,
    Choice,
    Evaluation,
    EventFeedback,
    Need,
    NeedEvent,
    Question,
    Questionnaire,
    VillagePopulation,
    rating_summary,
)

# Marks in front of a choice line: "*" a correct answer (quizzes); "+", "-", "?" what the
# choice counts as for an indicator question (yes, no, don't know).
_COUNTS_AS_MARK = {"+": "yes", "-": "no", "?": "unknown"}


def parse_choice_line(line: str) -> dict:
    """ "*+ 知道" → {"text": "知道", "is_correct": True, "counts_as": "yes"}."""
    fields = {"is_correct": False, "counts_as": ""}
    while line[:1] in ("*", "＊", *_COUNTS_AS_MARK):
        mark, line = line[0], line[1:].lstrip()
        if mark in ("*", "＊"):
            fields["is_correct"] = True
        else:
            fields["counts_as"] = _COUNTS_AS_MARK[mark]
    return {"text": line, **fields}


def choice_line(choice: Choice) -> str:
    marks = ("*" if choice.is_correct else "") + {v: k for k, v in _COUNTS_AS_MARK.items()}.get(choice.counts_as, "")
    return f"{marks} {choice.text}" if marks else choice.text


QUESTION_FIELDS = [
    "order",
    "text",
    "kind",
    "required",
    "allow_other",
    "min_value",
    "max_value",
    "points",
    "bank_tag",
    "indicator",
]


class QuestionForm(forms.ModelForm):
    choices_text = forms.CharField(
        label=_("choices, one per line"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 30}),
        help_text=_(
            "Start a line with * for a correct answer (quizzes); "
            "with +, - or ? for yes, no or “don't know” (indicators)."
        ),
    )

    class Meta:
        model = Question
        fields = QUESTION_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["choices_text"].initial = "\n".join(choice_line(c) for c in self.instance.choices.all())

    def clean(self):
        cleaned = super().clean()
        lines = [line.strip() for line in cleaned.get("choices_text", "").splitlines() if line.strip()]
        if cleaned.get("kind") in Question.CHOICE_KINDS and len(lines) < 2:
            self.add_error("choices_text", _("A choice question needs at least two choices."))
        cleaned["choices"] = [parse_choice_line(line) for line in lines]
        return cleaned


class QuestionInline(admin.TabularInline):
    model = Question
    form = QuestionForm
    extra = 1

    def _locked(self, obj):
        return obj is not None and obj.responses.exists()

    def get_readonly_fields(self, request, obj=None):
        locked = ("order", "text", "kind", "required", "allow_other", "points", "bank_tag")
        return locked if self._locked(obj) else ()

    def get_fields(self, request, obj=None):
        # The range and the indicator stay editable once answered: they only change how answers are read.
        return QUESTION_FIELDS if self._locked(obj) else [*QUESTION_FIELDS, "choices_text"]

    def has_add_permission(self, request, obj=None):
        return not self._locked(obj) and super().has_add_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self._locked(obj) and super().has_delete_permission(request, obj)


class BankRuleInline(admin.TabularInline):
    model = BankRule
    extra = 0


@admin.register(Questionnaire)
class QuestionnaireAdmin(LabelledDateTimeAdmin):
    list_display = ("title", "is_quiz", "opens_at", "closes_at", "anonymous", "responses_count", "pages")
    list_filter = ("is_quiz",)
    inlines = [QuestionInline, BankRuleInline]
    fieldsets = [
        (None, {"fields": ("title", "introduction", "opens_at", "closes_at", "anonymous", "pages")}),
        (
            _("Prize quiz"),
            {
                "fields": (
                    "is_quiz",
                    "attempts_allowed",
                    "prize_threshold",
                    "prize_count",
                    "reserve_count",
                    "claim_days",
                )
            },
        ),
        (_("Live at an event"), {"fields": ("live", "answer_seconds", "speed_bonus_percent")}),
    ]
    actions = ["close_and_copy"]
    readonly_fields = ("pages",)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n=Count("responses"))

    @admin.display(description=pgettext_lazy("count", "responses"))
    def responses_count(self, questionnaire):
        return questionnaire.n

    @admin.display(description=_("pages"))
    def pages(self, questionnaire):
        if not questionnaire.pk:
            return "—"
        if questionnaire.is_quiz and questionnaire.live:
            return format_html(
                '<a href="{}">{}</a> · <a href="{}">{}</a> · <a href="{}">{}</a>',
                questionnaire.get_quiz_url(),
                _("Public page"),
                reverse("feedback:quiz_live", args=[questionnaire.pk]),
                _("Screen"),
                reverse("feedback:quiz_results", args=[questionnaire.pk]),
                _("Results and draw"),
            )
        if questionnaire.is_quiz:
            return format_html(
                '<a href="{}">{}</a> · <a href="{}">{}</a> · <a href="{}">{}</a>',
                questionnaire.get_quiz_url(),
                _("Public page"),
                reverse("feedback:survey_entry", args=[questionnaire.pk]),
                _("Enter responses"),
                reverse("feedback:quiz_results", args=[questionnaire.pk]),
                _("Results and draw"),
            )
        return format_html(
            '<a href="{}">{}</a> · <a href="{}">{}</a> · <a href="{}">{}</a>',
            questionnaire.get_absolute_url(),
            _("Public page"),
            reverse("feedback:survey_entry", args=[questionnaire.pk]),
            _("Enter responses"),
            reverse("feedback:survey_results", args=[questionnaire.pk]),
            _("Results"),
        )

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        if formset.model is not Question:
            return
        for question_form in formset.forms:
            question = question_form.instance
            if (
                question.pk is None
                or "choices" not in question_form.cleaned_data
                or question_form in formset.deleted_forms
            ):
                continue
            wanted = question_form.cleaned_data["choices"] if question.kind in Question.CHOICE_KINDS else []
            have = [
                {"text": c.text, "is_correct": c.is_correct, "counts_as": c.counts_as} for c in question.choices.all()
            ]
            if have == wanted:
                continue
            if [c["text"] for c in have] == [c["text"] for c in wanted]:
                # Same choices, new marks: keep the rows (answers point at them).
                for choice, fields in zip(question.choices.all(), wanted, strict=True):
                    choice.is_correct, choice.counts_as = fields["is_correct"], fields["counts_as"]
                    choice.save(update_fields=["is_correct", "counts_as"])
            elif not question.answers.exists():
                question.choices.all().delete()
                Choice.objects.bulk_create(Choice(question=question, order=i, **c) for i, c in enumerate(wanted))

    def change_view(self, request, object_id, form_url="", extra_context=None):
        questionnaire = self.get_object(request, object_id)
        if questionnaire and questionnaire.responses.exists() and request.method == "GET":
            messages.info(
                request,
                _(
                    "This questionnaire has answers, so its questions are locked. "
                    "To change them, use “Close and copy” in the list."
                ),
            )
        return super().change_view(request, object_id, form_url, extra_context)

    @admin.action(description=_("Close and copy (to change questions that have answers)"))
    @transaction.atomic
    def close_and_copy(self, request, queryset):
        now = timezone.now()
        for original in queryset:
            copy = Questionnaire.objects.create(
                title=f"{original.title}（{_('copy')}）",
                introduction=original.introduction,
                opens_at=now,
                closes_at=max(original.closes_at, now + timedelta(days=30)),
                anonymous=original.anonymous,
            )
            for question in original.questions.prefetch_related("choices"):
                choices = list(question.choices.all())
                question.pk, question.questionnaire = None, copy
                question.save()
                Choice.objects.bulk_create(
                    Choice(
                        question=question, order=c.order, text=c.text, is_correct=c.is_correct, counts_as=c.counts_as
                    )
                    for c in choices
                )
            if original.closes_at > now:
                original.closes_at = max(now, original.opens_at + timedelta(seconds=1))
                original.save(update_fields=["closes_at"])
        messages.success(request, _("Closed and copied; edit the copy's questions."))


@admin.register(Evaluation)
class EvaluationAdmin(admin.ModelAdmin):
    list_display = ("event", "rating", "channel", "created_at")
    list_filter = ("rating", "channel")
    search_fields = ("event__title", "liked", "improve", "wish")
    list_select_related = ("event",)
    readonly_fields = ("event", "member", "rating", "liked", "improve", "wish", "channel", "entered_by", "created_at")

    def has_add_permission(self, request):
        return False


class HeldWithoutEvaluation(admin.SimpleListFilter):
    title = _("evaluations")
    parameter_name = "evaluated"

    def lookups(self, request, model_admin):
        return [("no", _("held, no evaluation yet")), ("yes", _("evaluated"))]

    def queryset(self, request, queryset):
        if self.value() == "no":
            return queryset.filter(count=0, starts_at__lt=timezone.now())
        if self.value() == "yes":
            return queryset.filter(count__gt=0)
        return queryset


@admin.register(EventFeedback)
class EventFeedbackAdmin(admin.ModelAdmin):
    list_display = ("title", "starts_at", "evaluations_count", "average_rating", "satisfaction", "flag")
    list_filter = (HeldWithoutEvaluation, "category")
    search_fields = ("title",)
    date_hierarchy = "starts_at"

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .filter(status=Event.Status.APPROVED)
            .annotate(**rating_summary("evaluations__"))
            .order_by("-starts_at")
        )

    @admin.display(description=_("issue number"))
    def issue(self, obj):
        return obj.issue_label

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=pgettext_lazy("count", "evaluations"), ordering="count")
    def evaluations_count(self, event):
        return event.count

    @admin.display(description=_("average"), ordering="average")
    def average_rating(self, event):
        return f"{event.average:.1f}" if event.average else "—"

    @admin.display(description=_("satisfaction (4–5 stars)"))
    def satisfaction(self, event):
        return f"{round(100 * event.happy / event.count)}%" if event.count else "—"

    @admin.display(description=_("needs feedback"), boolean=True)
    def flag(self, event):
        return not (event.count == 0 and event.starts_at < timezone.now())


class NeedEventInline(ReadOnlyInline):
    """The events that answer the need: who linked each, and when supporters were told."""

    model = NeedEvent
    fields = ("event", "linked_by", "linked_at", "notified_at")

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("feedback.view_need")  # the links are part of the need


@admin.register(Need)
class NeedAdmin(admin.ModelAdmin):
    list_display = ("text", "category", "village", "state", "support_count", "hidden", "created_at", "page")
    list_filter = ("state", "hidden", "category", "village")
    search_fields = ("text",)
    inlines = [NeedEventInline]
    # Hiding goes through the need's page (need_set_hidden), which records who and when.
    readonly_fields = ("posted_by", "state", "hidden", "hidden_reason", "hidden_by", "hidden_at", "created_at", "page")
    fields = (
        "text",
        "category",
        "village",
        "posted_by",
        "state",
        "hidden",
        "hidden_reason",
        "hidden_by",
        "hidden_at",
        "created_at",
        "page",
    )

    @admin.display(description=_("page"))
    def page(self, need):
        return format_html('<a href="{}">{}</a>', need.get_absolute_url(), _("Timeline and answer"))

    def has_add_permission(self, request):
        return False


@admin.register(BriefingTargets)
class BriefingTargetsAdmin(admin.ModelAdmin):
    """The targets are one row: changed here, never added twice or deleted."""

    list_display = ("__str__", "open_hours_per_week", "activities_per_year", "satisfaction_percent")

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not BriefingTargets.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Briefing)
class BriefingAdmin(admin.ModelAdmin):
    """Read-only here: briefings are written and signed off on their own pages, and a signed one is never
    changed or deleted."""

    list_display = ("title", "issue", "state", "starts_on", "ends_on", "created_by", "signed_by")
    list_filter = ("state", "kind", "year")
    exclude = ("snapshot", "html", "public_html", "changes", "texts", "annotations")

    @admin.display(description=_("issue number"))
    def issue(self, obj):
        return obj.issue_label

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return obj is not None and not obj.is_signed and super().has_delete_permission(request, obj)


@admin.register(VillagePopulation)
class VillagePopulationAdmin(admin.ModelAdmin):
    list_display = ("village", "population", "as_of")
