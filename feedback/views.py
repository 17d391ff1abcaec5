import secrets

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from activities.models import Event
from culturecenter.lib.export import table_response
from culturecenter.lib.pagecache import cache_public_page
from culturecenter.lib.throttle import DAY, HOUR, Limit
from culturecenter.models import AgeGroup, Village
from feedback import indicators, results, sections, services
from feedback.forms import (
    EvaluationForm,
    HideForm,
    NeedAdvanceForm,
    NeedFilterForm,
    NeedForm,
    NeedLinkForm,
    StaffEntryForm,
    SurveyForm,
)
from feedback.models import Channel, Need, NeedSupport, Questionnaire

BROWSER_COOKIE = "qs_survey"


def _member(request):
    return getattr(request.user, "member", None) if request.user.is_authenticated else None


# ---------------------------------------------------------------- questionnaires


def survey(request, pk):
    questionnaire = get_object_or_404(Questionnaire, pk=pk)
    if questionnaire.is_quiz:
        return redirect(questionnaire)  # drawn questions, score and draw live on the quiz page
    member = _member(request)
    if not questionnaire.anonymous and member is None:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise Http404("Only villagers answer questionnaires.")
    state = questionnaire.answer_window()
    questions = questionnaire.questions.prefetch_related("choices")
    form = SurveyForm(request.POST or None, questions=questions)
    token = request.COOKIES.get(BROWSER_COOKIE) or secrets.token_urlsafe(24)
    # One response per member, or per browser cookie: a script without cookies is held back by its address.
    limit = Limit("anonymous-answer", window_seconds=HOUR, per_address=settings.ANONYMOUS_ANSWERS_PER_ADDRESS_PER_HOUR)
    if request.method == "POST" and state == "open" and form.is_valid():
        if questionnaire.anonymous and limit.reached(request):
            messages.error(
                request, _("Many answers came from this connection in the last hour. Please send yours again later.")
            )
            context = {"questionnaire": questionnaire, "form": form, "state": state}
            return render(request, "feedback/survey.html", context, status=429)
        try:
            services.response_submit(
                questionnaire=questionnaire,
                answers=form.answers(),
                member=member,
                browser=token,
            )
        except services.FeedbackError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("feedback:survey", pk=pk)
        if questionnaire.anonymous:
            limit.count(request)
        response = render(request, "feedback/survey_thanks.html", {"questionnaire": questionnaire})
        response.set_cookie(
            BROWSER_COOKIE, token, max_age=3 * 365 * 86400, httponly=True, samesite="Lax", secure=request.is_secure()
        )
        return response
    return render(request, "feedback/survey.html", {"questionnaire": questionnaire, "form": form, "state": state})


@login_required
@permission_required("feedback.add_response", raise_exception=True)
def survey_entry(request, pk):
    """Fast keyboard entry of paper, WeChat, 座谈 and 走访 responses; comes back empty."""
    questionnaire = get_object_or_404(Questionnaire, pk=pk)
    questions = questionnaire.questions.prefetch_related("choices")
    form = StaffEntryForm(
        request.POST or None,
        questions=questions,
        initial={"channel": request.session.get("entry_channel", Channel.PAPER)},
        quiz=questionnaire.is_quiz and not questionnaire.anonymous,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            response = services.response_submit(
                questionnaire=questionnaire,
                answers=form.answers(),
                channel=data["channel"],
                member=data.get("mobile"),
                village=data["village"],
                age_group=data["age_group"],
                entered_by=request.user,
            )
        except services.FeedbackError as error:
            form.add_error(None, " ".join(error.messages))
            return render(request, "feedback/survey_entry.html", {"questionnaire": questionnaire, "form": form})
        if response.score is not None:
            messages.info(request, _("This sheet scores %(score)s points.") % {"score": response.score})
        request.session["entry_channel"] = data["channel"]
        count = questionnaire.responses.filter(entered_by=request.user).count()
        messages.success(request, _("Saved. You have entered %(count)s responses; next sheet.") % {"count": count})
        return redirect("feedback:survey_entry", pk=pk)
    return render(request, "feedback/survey_entry.html", {"questionnaire": questionnaire, "form": form})


@login_required
@permission_required("feedback.view_response", raise_exception=True)
def survey_results(request, pk, fmt=None):
    questionnaire = get_object_or_404(Questionnaire, pk=pk)
    if fmt not in (None, "csv", "xlsx"):
        raise Http404
    filters = {
        "village": request.GET.get("village", "") if request.GET.get("village") in Village.values else "",
        "age_group": request.GET.get("age_group", "") if request.GET.get("age_group") in AgeGroup.values else "",
        "channel": request.GET.get("channel", "") if request.GET.get("channel") in Channel.values else "",
    }
    responses = results.filtered_responses(questionnaire, **filters)
    if fmt:
        header, rows = results.export_rows(questionnaire, responses)
        return table_response(headers=header, rows=rows, filename=f"questionnaire-{questionnaire.pk}", fmt=fmt)
    context = {
        "questionnaire": questionnaire,
        "filters": filters,
        "villages": Village.choices,
        "age_groups": AgeGroup.choices,
        "channels": Channel.choices,
        **results.results(questionnaire, responses),
        "rates": indicators.indicator_rates(responses),
    }
    return render(request, "feedback/survey_results.html", context)


# ---------------------------------------------------------------- evaluations


@login_required
def evaluate(request, event_id):
    event = get_object_or_404(Event.objects.public(), pk=event_id)
    standing = services.evaluation_standing(event, request.user)
    if standing != "open":
        context = {"event": event, "standing": standing}
        return render(request, "feedback/evaluate_closed.html", context, status=200 if standing == "done" else 403)
    people = services.attendees_to_evaluate(event, request.user)
    form = EvaluationForm(request.POST or None, people=people)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.evaluation_submit(
                event=event,
                member=data["member"],
                rating=data["rating"],
                liked=data["liked"],
                improve=data["improve"],
                wish=data["wish"],
                by=request.user,
            )
        except services.FeedbackError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Thank you! Every evaluation is read and shapes what we offer next."))
        return redirect(event)
    return render(request, "feedback/evaluate.html", {"event": event, "form": form})


@login_required
@permission_required("feedback.add_evaluation", raise_exception=True)
def evaluation_slips(request, event_id):
    event = get_object_or_404(Event, pk=event_id)
    form = EvaluationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.evaluation_submit(event=event, channel=Channel.PAPER, by=request.user, **form.cleaned_data)
        except services.FeedbackError as error:
            messages.error(request, " ".join(error.messages))
        else:
            count = event.evaluations.count()
            messages.success(
                request, _("Slip saved (%(count)s evaluations for this event); next slip.") % {"count": count}
            )
        return redirect("feedback:evaluation_slips", event_id=event.pk)
    return render(request, "feedback/evaluation_slips.html", {"event": event, "form": form})


# ---------------------------------------------------------------- needs board


BOARD_PAGE_SIZE = 10


@cache_public_page(params=[*NeedFilterForm.base_fields, "page"])
def board(request, need_form=None):
    """The needs board; `need_post` shows it again with a refused need as it was typed."""
    form = NeedFilterForm(request.GET or None, auto_id="filter_%s")
    data = form.cleaned_data if form.is_valid() else {}
    needs = Need.objects.filter(hidden=False).select_related("posted_by")
    for key in ("category", "state", "village"):
        if data.get(key):
            needs = needs.filter(**{key: data[key]})
    needs = (
        needs.order_by("-created_at", "-pk")
        if data.get("sort") == "new"
        else needs.order_by("-support_count", "-created_at")
    )
    page = Paginator(needs, BOARD_PAGE_SIZE).get_page(request.GET.get("page"))
    member = _member(request)
    supported = (
        set(
            NeedSupport.objects.filter(member=member, need__in=[n.pk for n in page.object_list]).values_list(
                "need", flat=True
            )
        )
        if member
        else set()
    )
    return render(
        request,
        "feedback/board.html",
        {
            "form": form,
            "page": page,
            "supported": supported,
            "member": member,
            "need_form": need_form
            or (NeedForm(initial={"village": getattr(member, "village", None)}) if member else None),
            "surveys": sections.open_surveys(request),
        },
    )


@login_required
@require_POST
def need_post(request):
    member = _member(request)
    if member is None:
        raise Http404
    form = NeedForm(request.POST)
    limit = Limit(
        "need-post",
        window_seconds=DAY,
        per_user=settings.NEEDS_PER_MEMBER_PER_DAY,
        per_address=settings.NEEDS_PER_ADDRESS_PER_DAY,
    )
    if not form.is_valid():
        return board(request, need_form=form)
    if limit.reached(request):
        form.add_error(
            None, _("You have posted many needs today. Please come back tomorrow; what you typed is still here.")
        )
        response = board(request, need_form=form)
        response.status_code = 429
        return response
    need = services.need_post(member=member, **form.cleaned_data)
    limit.count(request)
    messages.success(request, _("Thank you. Your need is on the board; you will be told of every step."))
    return redirect(need)


def need_detail(request, pk):
    staff = request.user.is_staff and request.user.has_perm("feedback.moderate_need")
    needs = Need.objects.all() if staff else Need.objects.filter(hidden=False)
    need = get_object_or_404(needs.select_related("posted_by"), pk=pk)
    member = _member(request)
    context = {
        "need": need,
        "steps": need.steps.all(),
        "events": need.events.public(),
        "supported": member is not None and need.supports.filter(member=member).exists(),
        "mine": member is not None and need.posted_by_id == member.pk,
        "staff": staff,
    }
    if staff:
        context.update(
            advance_form=NeedAdvanceForm(initial={"state": (Need.NEXT[need.state] or [need.state])[0]}),
            next_states=[(s, Need.State(s).label) for s in Need.NEXT[need.state]],
            link_form=NeedLinkForm(),
        )
    return render(request, "feedback/need_detail.html", context)


@login_required
@require_POST
def need_support(request, pk):
    need = get_object_or_404(Need, pk=pk, hidden=False)
    member = _member(request)
    if member is None:
        raise Http404
    action = request.POST.get("action", "support")
    limit = Limit(
        "need-support",
        window_seconds=HOUR,
        per_user=settings.SUPPORTS_PER_MEMBER_PER_HOUR,
        per_address=settings.SUPPORTS_PER_ADDRESS_PER_HOUR,
    )
    try:
        if limit.reached(request):
            messages.error(
                request, _("That was a lot of +1s and reports in a short time. Please try again in an hour.")
            )
        elif action == "report":
            services.need_report(need=need, member=member)
            limit.count(request)
            messages.success(request, _("Thank you for telling us; staff will look at it."))
        else:
            services.need_support(need=need, member=member)
            limit.count(request)
            messages.success(request, _("You support this need (+1)."))
    except services.FeedbackError as error:
        messages.error(request, " ".join(error.messages))
    if request.POST.get("next") == "board":
        return redirect("feedback:board")
    return redirect(need)


@login_required
@permission_required("feedback.moderate_need", raise_exception=True)
@require_POST
def need_manage(request, pk):
    need = get_object_or_404(Need, pk=pk)
    action = request.POST.get("action")
    try:
        if action == "advance":
            form = NeedAdvanceForm(request.POST)
            if form.is_valid():
                services.need_advance(need=need, by=request.user, **form.cleaned_data)
                messages.success(request, _("The timeline is updated."))
        elif action == "link":
            form = NeedLinkForm(request.POST)
            if form.is_valid():
                services.need_link_event(need=need, event=form.cleaned_data["event"], by=request.user)
                messages.success(request, _("Event linked."))
        elif action in ("hide", "show"):
            form = HideForm(request.POST)
            if form.is_valid():
                services.need_set_hidden(
                    need=need, hidden=action == "hide", reason=form.cleaned_data["reason"], by=request.user
                )
                messages.success(request, _("Saved."))
    except services.FeedbackError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(need)
