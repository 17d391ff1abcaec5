"""Prize quiz pages: take the quiz and see the draw (villagers), results and the draw (staff)."""

import secrets

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.contrib.auth.views import redirect_to_login
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from culturecenter.lib.export import table_response
from culturecenter.lib.throttle import HOUR, Limit
from culturecenter.models import AgeGroup, Village
from feedback import quizzes, results, services
from feedback.forms import SeedForm, SurveyForm
from feedback.models import Answer, Channel, DrawEntry, Questionnaire, QuizDraw

BROWSER_COOKIE = "qs_survey"


def _member(request):
    return getattr(request.user, "member", None) if request.user.is_authenticated else None


def _draw(questionnaire):
    try:
        return questionnaire.draw
    except QuizDraw.DoesNotExist:
        return None


def _draw_context(draw):
    if draw is None:
        return {}
    numbers = list(draw.entries.values_list("number", flat=True)) if draw.frozen_at else []
    context = {"draw": draw, "entry_numbers": numbers}
    if draw.revealed:
        context.update(winners=quizzes.public_winners(draw), rerun_code=quizzes.rerun_code(draw, numbers))
    return context


def quiz(request, pk):
    questionnaire = get_object_or_404(Questionnaire.objects.filter(is_quiz=True), pk=pk)
    member = _member(request)
    state = questionnaire.answer_window()
    # Once it is closed, a named quiz's page (its entrants, draw and masked winners) is for everyone.
    onlooker = not questionnaire.anonymous and member is None
    if onlooker and (state != "closed" or request.method == "POST"):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise Http404("Only villagers take quizzes.")
    token = request.COOKIES.get(BROWSER_COOKIE) or secrets.token_urlsafe(24)
    key = services.browser_key(token) if questionnaire.anonymous else None
    mine = quizzes.attempts_of(questionnaire, member=member, browser_key=key)
    attempts = [] if onlooker else list(mine.order_by("attempt"))
    attempt_no = len(attempts) + 1
    who = key or (f"m{member.pk}" if member else "")
    form = None
    if questionnaire.live and state == "open":
        return _live_phone(request, questionnaire, member, token, attempts)
    if state == "open" and attempt_no <= questionnaire.attempts_allowed:
        questions = quizzes.questions_for_attempt(questionnaire, who, attempt_no)
        form = SurveyForm(request.POST or None, questions=questions)
        limit = Limit(
            "anonymous-answer", window_seconds=HOUR, per_address=settings.ANONYMOUS_ANSWERS_PER_ADDRESS_PER_HOUR
        )
        if request.method == "POST" and form.is_valid():
            if questionnaire.anonymous and limit.reached(request):
                messages.error(request, _("Many answers came from this connection in the last hour. Please try later."))
                return redirect("feedback:quiz", pk=pk)
            try:
                response = services.response_submit(
                    questionnaire=questionnaire, answers=form.answers(), member=member, browser=token
                )
            except services.FeedbackError as error:
                messages.error(request, " ".join(error.messages))
            else:
                if questionnaire.anonymous:
                    limit.count(request)
                messages.success(
                    request,
                    _("Sent. Your score: %(score)s of %(total)s points.")
                    % {"score": response.score, "total": quizzes.max_points(questionnaire, questions)},
                )
            reply = redirect("feedback:quiz", pk=pk)
            reply.set_cookie(
                BROWSER_COOKIE,
                token,
                max_age=3 * 365 * 86400,
                httponly=True,
                samesite="Lax",
                secure=request.is_secure(),
            )
            return reply
    elif request.method == "POST":
        messages.error(request, _("This quiz is not taking answers."))
        return redirect("feedback:quiz", pk=pk)
    best = max((a.score or 0 for a in attempts), default=None)
    context = {
        "questionnaire": questionnaire,
        "state": state,
        "form": form,
        "attempts": attempts,
        "attempts_left": max(0, questionnaire.attempts_allowed - len(attempts)),
        "best": best,
        "total": quizzes.max_points(questionnaire),
        **_draw_context(_draw(questionnaire)),
    }
    if best is not None:
        context["rank"], context["ranked"] = quizzes.rank_of(questionnaire, best)
    if state == "closed" and attempts:
        # Right answers only once the quiz is closed, so they cannot be passed around while it runs.
        context["review"] = _review(questionnaire, attempts[-1])
    return render(request, "feedback/quiz.html", context)


def _live_phone(request, questionnaire, member, token, attempts):
    """A live quiz on a phone: the question now on the screen, once per person."""
    current = quizzes.live_current(questionnaire)
    key = services.browser_key(token) if questionnaire.anonymous else None
    answered = (
        current is not None
        and quizzes.attempts_of(questionnaire, member=member, browser_key=key)
        .filter(answers__question=current.question)
        .exists()
    )
    form = SurveyForm(request.POST or None, questions=[current.question]) if current and not answered else None
    if request.method == "POST":
        if form is not None and form.is_valid():
            chosen, _other = form.answers()[current.question]
            try:
                answer = quizzes.live_answer(
                    questionnaire=questionnaire,
                    round_id=int(request.POST.get("round") or 0),
                    choices=chosen,
                    member=member,
                    browser=token,
                )
            except services.FeedbackError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, _("Answer received. Wait for the next question."))
                if answer.speed_bonus:
                    messages.info(
                        request, _("Quick! Up to %(bonus)s bonus points if right.") % {"bonus": answer.speed_bonus}
                    )
        reply = redirect("feedback:quiz", pk=questionnaire.pk)
        reply.set_cookie(
            BROWSER_COOKIE, token, max_age=3 * 365 * 86400, httponly=True, samesite="Lax", secure=request.is_secure()
        )
        return reply
    best = max((a.score or 0 for a in attempts), default=None)
    context = {
        "questionnaire": questionnaire,
        "current": current,
        "answered": answered,
        "form": form,
        "best": best,
        "total": quizzes.max_points(questionnaire),
    }
    return render(request, "feedback/quiz_live_phone.html", context)


@login_required
@permission_required("feedback.run_draw", raise_exception=True)
def quiz_live(request, pk):
    """The screen staff show at an event: the current question, its choices and how many answered."""
    questionnaire = get_object_or_404(Questionnaire.objects.filter(is_quiz=True, live=True), pk=pk)
    if request.method == "POST":
        try:
            shown = quizzes.live_show_next(questionnaire=questionnaire, by=request.user)
        except services.FeedbackError as error:
            messages.error(request, " ".join(error.messages))
        else:
            if shown is None:
                messages.info(request, _("Every question has been shown."))
        return redirect("feedback:quiz_live", pk=pk)
    current = quizzes.live_current(questionnaire)
    context = {
        "questionnaire": questionnaire,
        "current": current,
        "choices": list(current.question.choices.all()) if current else [],
        "answers": Answer.objects.filter(question=current.question).count() if current else 0,
        "shown": questionnaire.live_rounds.count(),
        "questions": questionnaire.questions.count(),
    }
    return render(request, "feedback/quiz_live.html", context)


def _review(questionnaire, response):
    correctness = quizzes.answer_correctness(questionnaire_id=questionnaire.pk, response_ids=[response.pk])
    answers = (
        Answer.objects.filter(response=response)
        .select_related("question")
        .prefetch_related("choices", "question__choices")
        .order_by("question__order", "question__pk")
    )
    rows = []
    for answer in answers:
        chosen = {c.pk for c in answer.choices.all()}
        rows.append(
            {
                "question": answer.question,
                "choices": [(c, c.pk in chosen) for c in answer.question.choices.all()],
                "right": correctness.get(answer.pk, (None, 0, False))[2],
            }
        )
    return rows


@login_required
@permission_required("feedback.view_response", raise_exception=True)
def quiz_results(request, pk, fmt=None):
    questionnaire = get_object_or_404(Questionnaire.objects.filter(is_quiz=True), pk=pk)
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
        header = [*header[:4], "得分 Points", *header[4:]]
        scores = dict(responses.values_list("pk", "score"))
        ordered = list(responses.order_by("pk").values_list("pk", flat=True))
        rows = ([*row[:4], scores.get(pk), *row[4:]] for pk, row in zip(ordered, rows, strict=False))
        return table_response(headers=header, rows=rows, filename=f"quiz-{questionnaire.pk}", fmt=fmt)
    draw = _draw(questionnaire)
    if draw is not None:
        draw = QuizDraw.objects.prefetch_related(
            Prefetch("entries", queryset=DrawEntry.objects.select_related("member"))
        ).get(pk=draw.pk)
    context = {
        "questionnaire": questionnaire,
        "filters": filters,
        "villages": Village.choices,
        "age_groups": AgeGroup.choices,
        "channels": Channel.choices,
        "seed_form": SeedForm(),
        "placed": sorted((e for e in draw.entries.all() if e.place), key=lambda e: e.place) if draw else [],
        **quizzes.quiz_results(questionnaire, responses),
        **_draw_context(draw),
    }
    return render(request, "feedback/quiz_results.html", context)


@login_required
@permission_required("feedback.run_draw", raise_exception=True)
@require_POST
def quiz_draw(request, pk):
    questionnaire = get_object_or_404(Questionnaire.objects.filter(is_quiz=True), pk=pk)
    action = request.POST.get("action")
    try:
        if action == "commit":
            form = SeedForm(request.POST)
            if form.is_valid():
                draw = quizzes.draw_commit_seed(
                    questionnaire=questionnaire, by=request.user, seed=form.cleaned_data["seed"]
                )
                messages.success(request, _("Seed committed. SHA-256: %(hash)s") % {"hash": draw.seed_sha256})
        elif action == "run":
            draw = quizzes.draw_run(questionnaire=questionnaire, by=request.user)
            messages.success(request, _("The draw has taken place; winners are told."))
        elif action == "claim":
            entry = get_object_or_404(DrawEntry, pk=request.POST.get("entry"), draw__questionnaire=questionnaire)
            quizzes.draw_claim(entry=entry, by=request.user)
            messages.success(request, _("Prize handed over."))
        elif action == "pass_on":
            moved = quizzes.draw_pass_on_unclaimed(questionnaire=questionnaire, by=request.user)
            messages.success(request, _("%(count)s prizes passed on to reserves.") % {"count": moved})
        else:
            raise Http404
    except services.FeedbackError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("feedback:quiz_results", pk=pk)
