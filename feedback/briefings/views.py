"""Staff pages of the work briefings, the indicators dashboard, and the public summaries."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.contrib.staticfiles import finders
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from culturecenter.lib.charts import bar_chart
from culturecenter.lib.export import workbook_bytes
from feedback.briefings import document, pdf, services
from feedback.briefings.forms import NextStepForm, PeriodForm, ReviseForm, TextsForm
from feedback.briefings.measures import held_events
from feedback.briefings.period import Period
from feedback.models import Briefing, BriefingTargets, NextStep
from feedback.services import FeedbackError


def _briefing(pk) -> Briefing:
    # Frozen figures (large JSON) are read only where needed: the XLSX, and a draft correction
    # showing what changed; the frozen page itself is the stored HTML.
    briefings = Briefing.objects.select_related("created_by", "signed_by", "replaces").defer(
        "snapshot", "public_html", "replaces__snapshot", "replaces__html", "replaces__public_html"
    )
    return get_object_or_404(briefings, pk=pk)


def _data(briefing: Briefing) -> dict:
    """The frozen snapshot of a signed briefing, or the draft's figures computed now."""
    return briefing.snapshot if briefing.is_signed else document.snapshot(briefing)


def _body(briefing: Briefing, data=None) -> str:
    return briefing.html if briefing.is_signed else document.render(briefing, data or _data(briefing))


def _fail(request, error: FeedbackError):
    messages.error(request, " ".join(error.messages))


@login_required
@permission_required("feedback.view_briefing", raise_exception=True)
def briefing_list(request):
    briefings = Briefing.objects.select_related("created_by", "signed_by").order_by(
        "state", "-year", "-number", "-version", "-starts_on"
    )
    return render(request, "feedback/briefings/list.html", {"briefings": briefings})


@login_required
@permission_required("feedback.add_briefing", raise_exception=True)
def briefing_new(request):
    form = PeriodForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        chosen = form.cleaned_data["period"]
        kind = Briefing.Kind.SUPPLEMENT if form.cleaned_data["supplement"] else Briefing.Kind.REGULAR
        briefing = services.briefing_create(
            title=form.cleaned_data["title"], first=chosen.first, last=chosen.last, kind=kind, by=request.user
        )
        return redirect(briefing)
    return render(request, "feedback/briefings/new.html", {"form": form})


@login_required
@permission_required("feedback.view_briefing", raise_exception=True)
def briefing_detail(request, pk):
    briefing = _briefing(pk)
    context = {"briefing": briefing, "may_sign": _may_sign(request.user, briefing)}
    if briefing.is_signed:
        context["body"] = mark_safe(briefing.html)  # rendered by our template at sign-off
        context["changes"] = briefing.changes
        context["revise_form"] = ReviseForm()
        context["corrected_by"] = Briefing.objects.filter(replaces=briefing).only("pk", "version").first()
    else:
        data = document.snapshot(briefing)
        context["body"] = mark_safe(document.render(briefing, data))
        context["changes"] = document.changes(briefing.replaces.snapshot, data) if briefing.replaces_id else []
        keys = [(fig["key"], fig["label"]) for sec in data["sections"] for fig in sec["figures"]]
        context["texts_form"] = TextsForm(briefing=briefing, figure_keys=keys)
        context["step_form"] = NextStepForm(briefing=briefing)
        context["steps"] = briefing.next_steps.all()
    return render(request, "feedback/briefings/detail.html", context)


def _may_sign(user, briefing: Briefing) -> bool:
    return not briefing.is_signed and user.has_perm("feedback.sign_briefing") and briefing.created_by_id != user.pk


@login_required
@permission_required("feedback.change_briefing", raise_exception=True)
@require_POST
def briefing_write(request, pk):
    briefing = _briefing(pk)
    if briefing.is_signed:
        raise Http404
    keys = [(key, key) for key in request.POST if key.startswith("note_")]
    form = TextsForm(request.POST, briefing=briefing, figure_keys=[(k.removeprefix("note_"), k) for k, _l in keys])
    if form.is_valid():
        try:
            services.briefing_write(
                briefing=briefing, texts=form.texts(), annotations=form.annotations(), by=request.user
            )
            messages.success(request, _("The texts are saved."))
        except FeedbackError as error:
            _fail(request, error)
    else:
        messages.error(request, _("A text is too long."))
    return redirect(briefing)


@login_required
@permission_required("feedback.change_briefing", raise_exception=True)
@require_POST
def next_step_add(request, pk):
    briefing = _briefing(pk)
    form = NextStepForm(request.POST, briefing=briefing)
    if form.is_valid():
        try:
            services.next_step_add(
                briefing=briefing,
                text=form.cleaned_data["text"],
                needs=form.cleaned_data["needs"],
                events=form.cleaned_data["events"],
                by=request.user,
            )
            messages.success(request, _("The next step is added."))
        except FeedbackError as error:
            _fail(request, error)
    else:
        messages.error(request, _("Write the next step."))
    return redirect(f"{briefing.get_absolute_url()}#next-steps")


@login_required
@permission_required("feedback.change_briefing", raise_exception=True)
@require_POST
def next_step_remove(request, pk, step_id):
    step = get_object_or_404(NextStep.objects.select_related("briefing"), pk=step_id, briefing_id=pk)
    try:
        services.next_step_remove(step=step, by=request.user)
    except FeedbackError as error:
        _fail(request, error)
    return redirect(f"{step.briefing.get_absolute_url()}#next-steps")


@login_required
@permission_required("feedback.sign_briefing", raise_exception=True)
@require_POST
def briefing_sign(request, pk):
    briefing = _briefing(pk)
    try:
        briefing = services.briefing_sign(briefing=briefing, by=request.user)
        messages.success(request, _("Signed off as %(issue)s.") % {"issue": briefing.issue_label})
    except FeedbackError as error:
        _fail(request, error)
    return redirect(briefing)


@login_required
@permission_required("feedback.add_briefing", raise_exception=True)
@require_POST
def briefing_revise(request, pk):
    briefing = _briefing(pk)
    form = ReviseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say what the new version corrects."))
        return redirect(briefing)
    try:
        draft = services.briefing_revise(briefing=briefing, note=form.cleaned_data["note"], by=request.user)
    except FeedbackError as error:
        _fail(request, error)
        return redirect(briefing)
    return redirect(draft)


def _print_html(request, briefing: Briefing, *, for_pdf=False) -> str:
    return render_to_string(
        "feedback/briefings/print.html",
        {"briefing": briefing, "body": mark_safe(_body(briefing)), "for_pdf": for_pdf},
        request=request,
    )


@login_required
@permission_required("feedback.view_briefing", raise_exception=True)
def briefing_print(request, pk):
    briefing = _briefing(pk)
    return HttpResponse(_print_html(request, briefing))


@login_required
@permission_required("feedback.view_briefing", raise_exception=True)
def briefing_pdf(request, pk):
    briefing = _briefing(pk)
    problem = pdf.unavailable()
    if problem:
        return render(request, "feedback/briefings/no_pdf.html", {"briefing": briefing, "problem": problem})
    content = pdf.render_pdf(_print_html(request, briefing, for_pdf=True), stylesheet=finders.find("css/briefing.css"))
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="briefing-{briefing.pk}.pdf"'
    return response


@login_required
@permission_required("feedback.view_briefing", raise_exception=True)
def briefing_xlsx(request, pk):
    """Every figure and every table of the briefing, as shown on the page (frozen when signed)."""
    briefing = _briefing(pk)
    data = _data(briefing)
    figures = [
        [
            sec["title"],
            fig["label"],
            fig["value"],
            fig["display"],
            fig["n"],
            fig["target"],
            fig["last_year"],
            fig["rows"],
        ]
        for sec in data["sections"]
        for fig in sec["figures"]
    ]
    sheets = [
        (
            _("Figures"),
            [
                _("section"),
                _("figure"),
                _("value"),
                _("as shown"),
                _("n"),
                _("target"),
                _("same period last year"),
                _("rows in sheet"),
            ],
            figures,
        )
    ]
    sheets += [(tab["key"], tab["headers"], tab["rows"]) for sec in data["sections"] for tab in sec["tables"]]
    response = HttpResponse(
        workbook_bytes(sheets), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="briefing-{briefing.pk}.xlsx"'
    return response


# ---------------------------------------------------------------- public summaries


def public_list(request):
    briefings = (
        Briefing.objects.signed()
        .filter(replaced_by__isnull=True)
        .only("pk", "title", "kind", "year", "number", "total_number", "version", "signed_at", "starts_on", "ends_on")
        .order_by("-year", "-number")
    )
    return render(request, "feedback/briefings/public_list.html", {"briefings": briefings})


def public_detail(request, pk):
    briefing = get_object_or_404(Briefing.objects.signed().defer("snapshot", "html"), pk=pk)
    return render(
        request,
        "feedback/briefings/public_detail.html",
        {"briefing": briefing, "body": mark_safe(briefing.public_html)},
    )


# ---------------------------------------------------------------- indicators


@login_required
@permission_required("feedback.view_briefing", raise_exception=True)
def indicators(request):
    """The briefing's key indicators, live for the year to date, with their targets, the trend
    by month and those that need attention."""
    today = timezone.localdate()
    period = Period(today.replace(month=1, day=1), today)
    sections = document.live_context(period)
    overview = next(sec for sec in sections if sec["key"] == "overview")
    figures = [
        fig
        for sec in sections
        for fig in sec["figures"]
        if fig["key"].startswith(
            ("overview.", "evaluation.", "needs.", "supply.outrun", "venues.evening", "venues.staggered")
        )
    ]
    attention = [fig for fig in figures if fig["status"] in ("behind", "attention") or fig["small_n"]]
    issues = next((sec for sec in sections if sec["key"] == "issues"), None)
    trend = _monthly_trend(period)
    return render(
        request,
        "feedback/briefings/indicators.html",
        {
            "period": period,
            "overview": overview,
            "figures": figures,
            "attention": attention,
            "flags": issues["extra"]["other_flags"] if issues else [],
            "trend": trend,
            "targets": BriefingTargets.current(),
        },
    )


def _monthly_trend(period: Period):
    from django.db.models import Count
    from django.db.models.functions import TruncMonth

    counts = dict(
        held_events(period, timezone.now())
        .annotate(month=TruncMonth("starts_at"))
        .values("month")
        .annotate(n=Count("pk"))
        .values_list("month", "n")
    )
    by_month = {timezone.localtime(m).month if timezone.is_aware(m) else m.month: n for m, n in counts.items()}
    points = [(f"{m}月", by_month.get(m, 0)) for m in range(1, period.last.month + 1)]
    return bar_chart(points, title=_("Activities held by month"))
