"""Volunteer pages: applying, open shifts, sign-up, confirm, the record and certificate, and
the coordinator's pages (roster, check-in and out, approvals, hours by village)."""

from datetime import datetime, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.db.models import Count, Prefetch, Q, Sum
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from activities import services
from activities.models import (
    Certificate,
    CoordinatorAlert,
    HoursEntry,
    Recognition,
    Shift,
    ShiftRole,
    ShiftSignup,
    Volunteer,
)
from activities.models.volunteers import counted_hours, hours_text
from activities.volunteer_forms import (
    ApplicationForm,
    AssignForm,
    CorrectionForm,
    DecisionForm,
    DeskConsentForm,
    HoursReportForm,
    PeriodForm,
    SignupForm,
)
from culturecenter.lib.export import table_response
from culturecenter.lib.params import as_id
from culturecenter.lib.privacy import mask_mobile, may_see_personal_data
from culturecenter.models import Member, Village

COORDINATE = "activities.coordinate_volunteers"
OPEN_SHIFTS_DAYS = 60
S = ShiftSignup.Status


def _next(request, fallback):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return fallback


def _roles_with_counts():
    return ShiftRole.objects.annotate(
        confirmed_count=Count("signups", filter=Q(signups__status=S.CONFIRMED)),
        waiting_count=Count("signups", filter=Q(signups__status=S.WAITING)),
    ).order_by("-is_critical", "pk")


def _shifts():
    return Shift.objects.select_related("event__venue", "booking__venue", "venue").prefetch_related(
        Prefetch("roles", queryset=_roles_with_counts())
    )


def _fits(role, volunteer) -> bool:
    if role.skill and role.skill not in volunteer.skills:
        return False
    return not (volunteer.is_minor and role.adults_only)


def _household_volunteers(user):
    return Volunteer.objects.filter(member__in=Member.objects.managed_by(user)).select_related("member")


def _mine(request) -> Volunteer | None:
    member = getattr(request.user, "member", None)
    return Volunteer.objects.select_related("member").filter(member=member).first() if member else None


# ---------------------------------------------------------------- volunteers


@login_required
def volunteer_home(request):
    """Open shifts that fit my skills (all of them with ?all=1), my places, my household's applications."""
    member = getattr(request.user, "member", None)
    if member is None:
        if request.user.has_perm(COORDINATE):
            return redirect("activities:volunteer_staff")
        raise Http404
    now = timezone.now()
    household = list(_household_volunteers(request.user))
    mine = next((v for v in household if v.member_id == member.pk), None)
    serving = [v for v in household if v.status == Volunteer.Status.ACCEPTED]
    show_all = request.GET.get("all") == "1"
    shifts, places = [], []
    if serving:
        volunteer = mine if mine in serving else serving[0]
        taken = {
            s.shift_id: s
            for s in ShiftSignup.objects.filter(volunteer__in=serving)
            .holding()
            .select_related("role", "volunteer__member")
        }
        for shift in _shifts().upcoming(now).filter(starts_at__lt=now + timedelta(days=OPEN_SHIFTS_DAYS)):
            fitting = [role for role in shift.roles.all() if _fits(role, volunteer)]
            if volunteer.is_minor and shift.ends_late_for_minors:
                fitting = []
            if shift.mode == Shift.Mode.ASSIGNED and shift.pk not in taken:
                continue
            if fitting or show_all or shift.pk in taken:
                shift.fitting_roles = fitting
                shift.my_signup = taken.get(shift.pk)
                shifts.append(shift)
        by_pk = {shift.pk: shift for shift in shifts}
        for signup in taken.values():
            if signup.shift_id in by_pk:
                signup.shift = by_pk[signup.shift_id]
                places.append(signup)
        places.sort(key=lambda signup: signup.shift.starts_at)
    minutes = HoursEntry.objects.filter(volunteer__in=household).counted().aggregate(total=Sum("minutes"))["total"] or 0
    context = {
        "household": household,
        "mine": mine,
        "member": member,
        "shifts": shifts,
        "places": places,
        "show_all": show_all,
        "hours": hours_text(minutes),
        "can_apply": mine is None or mine.status == Volunteer.Status.DECLINED,
    }
    return render(request, "activities/volunteer/home.html", context)


@login_required
def apply(request):
    """Apply to volunteer, for myself or (as guardian) for a member of my household."""
    people = Member.objects.managed_by(request.user).present()
    member = (
        get_object_or_404(people, pk=as_id(request.GET.get("member") or request.POST.get("member")))
        if (request.GET.get("member") or request.POST.get("member"))
        else getattr(request.user, "member", None)
    )
    if member is None:
        raise Http404
    minor = services.volunteers.member_age(member) < services.volunteers.ADULT_AGE
    guardian = services.volunteers.is_guardian_of(request.user, member)
    form = ApplicationForm(request.POST or None, initial={"village": member.village})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if minor and guardian and not data["guardian_consents"]:
            form.add_error("guardian_consents", _("Tick this box to give your consent as guardian."))
        else:
            try:
                services.volunteer_apply(
                    member=member,
                    skills=data["skills"],
                    availability=data["availability"],
                    village=data["village"],
                    note=data["note"],
                    by=request.user,
                )
            except services.ActivityError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(
                    request, _("Thank you: the application of %(name)s is received.") % {"name": member.name}
                )
                return redirect("activities:volunteer")
    context = {"form": form, "member": member, "minor": minor, "guardian": guardian}
    return render(request, "activities/volunteer/apply.html", context)


@login_required
@require_POST
def consent(request, pk):
    """The guardian gives or withdraws consent (or staff record it at the desk)."""
    coordinating = request.user.has_perm(COORDINATE)
    volunteers = Volunteer.objects.select_related("member")
    if not coordinating:
        volunteers = volunteers.filter(member__in=Member.objects.managed_by(request.user))
    volunteer = get_object_or_404(volunteers, pk=pk)
    try:
        if request.POST.get("action") == "withdraw":
            cancelled = services.volunteer_consent_withdraw(volunteer=volunteer, by=request.user)
            messages.success(
                request,
                _("Consent withdrawn; %(count)s coming shifts of %(name)s are cancelled.")
                % {"count": cancelled, "name": volunteer.member.name},
            )
        else:
            form = DeskConsentForm(request.POST)
            name = form.data.get("guardian_name", "") if coordinating else ""
            services.volunteer_guardian_consent(volunteer=volunteer, by=request.user, guardian_name=name)
            messages.success(request, _("Consent for %(name)s is recorded.") % {"name": volunteer.member.name})
    except services.ActivityError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(_next(request, reverse("activities:volunteer")))


def _shift_for(request, pk):
    """The shift, for an accepted volunteer of the household or a coordinator; others get 404."""
    shift = get_object_or_404(_shifts(), pk=pk)
    if request.user.has_perm(COORDINATE):
        return shift, None
    volunteers = [v for v in _household_volunteers(request.user) if v.status == Volunteer.Status.ACCEPTED]
    if not volunteers:
        raise Http404
    return shift, volunteers


@login_required
def shift_detail(request, pk):
    shift, volunteers = _shift_for(request, pk)
    coordinating = volunteers is None
    context = {"shift": shift, "roles": list(shift.roles.all()), "coordinating": coordinating}
    if coordinating:
        signups = list(
            shift.signups.select_related("volunteer__member", "role", "signed_up_by__member").order_by(
                "role__pk", "status", "queued_at", "pk"
            )
        )
        full = may_see_personal_data(request.user)
        for signup in signups:
            mobile = signup.volunteer.member.mobile
            signup.phone = mobile if full else mask_mobile(mobile)
        accepted = Volunteer.objects.accepted().select_related("member").order_by("member__village", "member__name")
        context |= {
            "signups": signups,
            "assign_form": AssignForm(volunteers=accepted, roles=context["roles"]),
            "now": timezone.now(),
        }
    else:
        mine = {s.volunteer_id: s for s in shift.signups.filter(volunteer__in=volunteers).select_related("role")}
        context |= {
            "people": [(v, mine.get(v.pk)) for v in volunteers],
            "form": SignupForm(roles=context["roles"]),
        }
    return render(request, "activities/volunteer/shift.html", context)


@login_required
@require_POST
def shift_signup(request, pk):
    shift, volunteers = _shift_for(request, pk)
    roles = list(shift.roles.all())
    if volunteers is None:  # a coordinator assigns
        form = AssignForm(request.POST, volunteers=Volunteer.objects.accepted().select_related("member"), roles=roles)
        if not form.is_valid():
            messages.error(request, _("Choose a volunteer and a role."))
            return redirect(shift)
        volunteer = Volunteer.objects.get(pk=form.cleaned_data["volunteer"])
        options = {"assign": True, "override_reason": form.cleaned_data["override_reason"]}
    else:
        form = SignupForm(request.POST, roles=roles)
        wanted = as_id(request.POST.get("volunteer", "")) if request.POST.get("volunteer") else volunteers[0].pk
        volunteer = next((v for v in volunteers if v.pk == wanted), None)
        if not form.is_valid() or volunteer is None:
            messages.error(request, _("Choose a role."))
            return redirect(shift)
        options = {}
    role = next(role for role in roles if role.pk == form.cleaned_data["role"])
    try:
        signup = services.shift_signup(shift=shift, role=role, volunteer=volunteer, by=request.user, **options)
    except services.ActivityError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(shift)
    texts = {
        S.CONFIRMED: _("%(name)s has a place as %(role)s."),
        S.WAITING: _("%(role)s is full: %(name)s is on its waiting list and will be told if a place frees up."),
        S.REQUESTED: _("%(name)s asked for %(role)s; the coordinator will decide."),
    }
    messages.success(request, texts[signup.status] % {"name": volunteer.member.name, "role": role.name})
    return redirect(shift)


def _household_signup(request, pk):
    signups = ShiftSignup.objects.select_related("shift", "role", "volunteer__member")
    if not request.user.has_perm(COORDINATE):
        signups = signups.filter(volunteer__member__in=Member.objects.managed_by(request.user))
    return get_object_or_404(signups, pk=pk)


@login_required
def signup_cancel(request, pk):
    """GET asks once (and says whether it is a late cancellation); POST cancels."""
    signup = _household_signup(request, pk)
    if request.method != "POST":
        late = signup.shift.starts_at - timezone.now() < timedelta(hours=services.volunteers.LATE_CANCEL_HOURS)
        context = {"signup": signup, "late": late, "can_cancel": signup.status in ShiftSignup.HOLDING}
        return render(request, "activities/volunteer/cancel.html", context)
    try:
        services.shift_signup_cancel(signup=signup, by=request.user)
    except services.ActivityError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The place of %(name)s is cancelled.") % {"name": signup.volunteer.member.name})
    return redirect(_next(request, reverse("activities:volunteer")))


@login_required
def signup_confirm(request, pk):
    """The link in the 48-hour notice: one tap on “I will come” (a POST; nothing changes on GET)."""
    signup = _household_signup(request, pk)
    if request.method == "POST":
        try:
            services.shift_signup_confirm(signup=signup, by=request.user)
        except services.ActivityError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Thank you: %(name)s is expected.") % {"name": signup.volunteer.member.name})
        return redirect("activities:volunteer")
    return render(request, "activities/volunteer/confirm.html", {"signup": signup})


@login_required
def hours_report(request):
    volunteer = _mine(request)
    if volunteer is None or volunteer.status != Volunteer.Status.ACCEPTED:
        raise Http404
    form = HoursReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.hours_report(
                volunteer=volunteer,
                service_date=data["service_date"],
                minutes=data["hours"],
                content=data["content"],
                reason=data["reason"],
                by=request.user,
            )
        except services.ActivityError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Reported: the hours count once the coordinator approves them."))
            return redirect("volunteering:record")
    return render(request, "activities/volunteer/report.html", {"form": form})


# ---------------------------------------------------------------- the record and certificate


def _record_context(volunteer):
    signups = list(volunteer.signups.select_related("shift", "role").order_by("-shift__starts_at", "pk"))
    entries = list(
        volunteer.hours.select_related("signup__shift", "decided_by__member")
        .annotate(correction_count=Count("corrected_by_entries"))
        .order_by("-service_date", "-pk")
    )
    counted = [e for e in entries if e.status == HoursEntry.Status.APPROVED and not e.correction_count]
    minutes = sum(e.minutes for e in counted)
    recognitions = list(volunteer.recognitions.all())
    return {
        "volunteer": volunteer,
        "signups": signups,
        "entries": entries,
        "hours": hours_text(minutes),
        "trainings": [r for r in recognitions if r.kind == Recognition.Kind.TRAINING],
        "commendations": [r for r in recognitions if r.kind == Recognition.Kind.COMMENDATION],
        "certificates": list(volunteer.certificates.all()),
        "period_form": PeriodForm(),
    }


@login_required
def record(request):
    """My volunteer record (or, with ?member=, that of a member of my household)."""
    people = Member.objects.managed_by(request.user)
    wanted = request.GET.get("member")
    member = get_object_or_404(people, pk=as_id(wanted)) if wanted else getattr(request.user, "member", None)
    volunteer = Volunteer.objects.select_related("member").filter(member=member).first() if member else None
    if volunteer is None:
        raise Http404
    return render(request, "activities/volunteer/record.html", _record_context(volunteer))


@login_required
@require_POST
def certificate_issue(request):
    volunteer = get_object_or_404(
        Volunteer.objects.select_related("member").filter(member__in=Member.objects.managed_by(request.user)),
        pk=as_id(request.POST.get("volunteer", "")),
    )
    form = PeriodForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.non_field_errors()) or _("Check the dates."))
        return redirect("volunteering:record")
    try:
        certificate = services.certificate_issue(
            volunteer=volunteer,
            by=request.user,
            period_from=form.cleaned_data["start"],
            period_to=form.cleaned_data["end"],
        )
    except services.ActivityError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("volunteering:record")
    return redirect("volunteering:certificate", serial=certificate.serial)


@login_required
def certificate_print(request, serial):
    certificates = Certificate.objects.select_related("volunteer")
    if not request.user.has_perm(COORDINATE):
        certificates = certificates.filter(volunteer__member__in=Member.objects.managed_by(request.user))
    certificate = get_object_or_404(certificates, serial=serial)
    verify_url = request.build_absolute_uri(certificate.get_absolute_url())
    return render(
        request, "activities/volunteer/certificate.html", {"certificate": certificate, "verify_url": verify_url}
    )


def verify(request, serial):
    """Public: what the certificate with this serial says, and nothing more."""
    certificate = Certificate.objects.filter(serial=serial.strip().upper()).first()
    if certificate is None:
        return render(request, "activities/volunteer/verify_unknown.html", {"serial": serial}, status=404)
    return render(request, "activities/volunteer/verify.html", {"certificate": certificate})


# ---------------------------------------------------------------- coordinator


def _day_start(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, datetime.min.time()))


def _roster(shifts):
    return shifts.prefetch_related(
        Prefetch(
            "signups",
            queryset=ShiftSignup.objects.filter(status=S.CONFIRMED)
            .select_related("volunteer__member", "role")
            .order_by("role__pk", "volunteer__member__name"),
            to_attr="confirmed_signups",
        )
    )


@login_required
@permission_required(COORDINATE, raise_exception=True)
def staff(request):
    """Today's roster, the next 7 days (unfilled critical roles first), what waits for a decision."""
    now = timezone.now()
    today = timezone.localdate()
    tomorrow = _day_start(today + timedelta(days=1))
    # Today's shifts (cancelled and finished ones too) and the coming week's, read together.
    shifts = list(_roster(_shifts().between(_day_start(today), now + timedelta(days=7))))
    todays = [shift for shift in shifts if shift.starts_at < tomorrow]
    week = [s for s in shifts if s.ends_at > max(tomorrow, now) and s.cancelled_at is None]
    for shift in todays + week:
        shift.unfilled_critical = sum(
            max(0, role.needed - role.confirmed_count) for role in shift.roles.all() if role.is_critical
        )
        shift.unfilled = sum(max(0, role.needed - role.confirmed_count) for role in shift.roles.all())
        shift.at_risk = sum(1 for s in shift.confirmed_signups if s.at_risk)
    week.sort(key=lambda s: (not s.unfilled_critical, s.starts_at))
    context = {
        "today": today,
        "todays": todays,
        "week": week,
        "applications": list(
            Volunteer.objects.filter(status=Volunteer.Status.PENDING).select_related("member").order_by("applied_at")
        ),
        "requests": list(
            ShiftSignup.objects.filter(status=S.REQUESTED)
            .select_related("shift", "role", "volunteer__member")
            .order_by("shift__starts_at", "queued_at")
        ),
        "pending_hours": list(
            HoursEntry.objects.filter(status=HoursEntry.Status.PENDING)
            .select_related("volunteer__member", "signup__shift", "created_by")
            .order_by("service_date", "pk")
        ),
        "alerts": list(CoordinatorAlert.objects.filter(seen_at__isnull=True).select_related("shift")[:30]),
        "now": now,
    }
    return render(request, "activities/volunteer/staff.html", context)


@login_required
@permission_required(COORDINATE, raise_exception=True)
@require_POST
def application_decide(request, pk):
    volunteer = get_object_or_404(Volunteer.objects.select_related("member"), pk=pk)
    form = DecisionForm(request.POST)
    form.is_valid()
    try:
        services.volunteer_decide(
            volunteer=volunteer,
            accept=request.POST.get("action") == "accept",
            by=request.user,
            note=form.cleaned_data.get("note", ""),
        )
    except services.ActivityError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The application of %(name)s is decided.") % {"name": volunteer.member.name})
    return redirect(_next(request, reverse("activities:volunteer_staff")))


@login_required
@permission_required(COORDINATE, raise_exception=True)
@require_POST
def request_decide(request, pk):
    signup = get_object_or_404(ShiftSignup, pk=pk)
    try:
        signup = services.shift_signup_decide(
            signup=signup, approve=request.POST.get("action") == "approve", by=request.user
        )
    except services.ActivityError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Decided: %(status)s.") % {"status": signup.get_status_display()})
    return redirect(_next(request, reverse("activities:volunteer_staff")))


@login_required
@permission_required(COORDINATE, raise_exception=True)
@require_POST
def hours_decide(request, pk):
    entry = get_object_or_404(HoursEntry, pk=pk)
    form = DecisionForm(request.POST)
    form.is_valid()
    try:
        services.hours_decide(
            entry=entry,
            approve=request.POST.get("action") == "approve",
            by=request.user,
            note=form.cleaned_data.get("note", ""),
        )
    except services.ActivityError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The hours are decided."))
    return redirect(_next(request, reverse("activities:volunteer_staff")))


@login_required
@permission_required(COORDINATE, raise_exception=True)
@require_POST
def hours_correct(request, pk):
    entry = get_object_or_404(HoursEntry, pk=pk)
    form = CorrectionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the corrected hours and the reason."))
    else:
        try:
            services.hours_correct(
                entry=entry, minutes=form.cleaned_data["hours"], reason=form.cleaned_data["reason"], by=request.user
            )
        except services.ActivityError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The correction is recorded; the earlier entry no longer counts."))
    return redirect("activities:volunteer_person", pk=entry.volunteer_id)


@login_required
@permission_required(COORDINATE, raise_exception=True)
def person(request, pk):
    """A volunteer's record as the coordinator sees it: corrections, desk consent, contact."""
    volunteer = get_object_or_404(Volunteer.objects.select_related("member"), pk=pk)
    context = _record_context(volunteer)
    member = volunteer.member
    context |= {
        "staff_view": True,
        "phone": member.mobile if may_see_personal_data(request.user) else mask_mobile(member.mobile),
        "show_flags": request.user.has_perm("culturecenter.view_special_groups"),
        "correction_form": CorrectionForm(),
        "consent_form": DeskConsentForm(),
    }
    return render(request, "activities/volunteer/record.html", context)


@login_required
@permission_required(COORDINATE, raise_exception=True)
@require_POST
def signup_check(request, pk):
    """Staff tap a volunteer in or out (on the roster, or on the event's check-in page)."""
    signup = get_object_or_404(ShiftSignup.objects.select_related("volunteer__member", "shift"), pk=pk)
    name = signup.volunteer.member.name
    try:
        if request.POST.get("action") == "out":
            entries = services.shift_check_out(signup=signup, by=request.user)
            text = _("%(name)s is checked out: %(hours)s hours.") % {"name": name, "hours": entries[0].hours_text}
            if len(entries) > 1:
                text += " " + _("Time beyond the shift waits for the coordinator's approval.")
            messages.success(request, text)
        else:
            services.shift_check_in(signup=signup, by=request.user)
            messages.success(request, _("✔ %(name)s is checked in.") % {"name": name})
    except services.ActivityError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(_next(request, signup.shift.get_absolute_url()))


@login_required
@permission_required(COORDINATE, raise_exception=True)
@require_POST
def shift_no_shows(request, pk):
    shift = get_object_or_404(Shift, pk=pk)
    try:
        count = services.shift_no_shows_record(shift=shift, by=request.user)
    except services.ActivityError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(count)s no-shows recorded.") % {"count": count})
    return redirect(shift)


@login_required
@permission_required(COORDINATE, raise_exception=True)
@require_POST
def alert_seen(request, pk):
    CoordinatorAlert.objects.filter(pk=pk, seen_at__isnull=True).update(seen_at=timezone.now(), seen_by=request.user)
    return redirect("activities:volunteer_staff")


REPORT_HEADERS = ["姓名 Name", "村庄 Village", "手机 Mobile", "技能 Skills", "班次 Shifts", "时长（小时）Hours"]


@login_required
@permission_required(COORDINATE, raise_exception=True)
def hours_by_village(request, fmt=None):
    """Approved hours over a period: each village's total, and one village's volunteers at a time
    (a district has hundreds); the XLSX has every volunteer, for the briefing."""
    form = PeriodForm(request.GET or None)
    start = end = None
    if form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    counted = counted_hours("hours__", start, end)
    volunteers = (
        Volunteer.objects.accepted()
        .select_related("member")
        .annotate(minutes=Sum("hours__minutes", filter=counted), entries=Count("hours", filter=counted))
        .order_by("village", "-minutes", "member__name")
    )
    full = may_see_personal_data(request.user)
    flags = request.user.has_perm("culturecenter.view_special_groups")
    if fmt not in ("xlsx", "csv"):
        return _hours_page(request, form, (start, end), volunteers, full=full, flags=flags)
    rows = []
    for v in volunteers:
        v.phone = v.member.mobile if full else mask_mobile(v.member.mobile)
        v.hours_text = hours_text(v.minutes)
        rows.append(v)
    if fmt in ("xlsx", "csv"):
        headers = REPORT_HEADERS + (["特殊群体 Special group"] if flags else [])
        table = [
            [
                v.member.name,
                v.get_village_display(),
                v.phone or "",
                v.get_skills_display(),
                v.entries,
                float(v.hours_text),
                *([_special(v.member)] if flags else []),
            ]
            for v in rows
        ]
    return table_response(headers=headers, rows=table, filename="volunteer-hours", fmt=fmt)


def _hours_page(request, form, period, volunteers, *, full, flags):
    # Each village's people and minutes counted apart: the hours are filtered before they are
    # summed, rather than every entry joined to every volunteer.
    people = Volunteer.objects.accepted().order_by().values("village").annotate(n=Count("pk"))
    hours = HoursEntry.objects.counted(*period).filter(volunteer__status=Volunteer.Status.ACCEPTED)
    minutes = dict(hours.order_by().values_list("volunteer__village").annotate(total=Sum("minutes")))
    totals = {row["village"]: {"people": row["n"], "minutes": minutes.get(row["village"])} for row in people}
    query = request.GET.copy()
    query.pop("village", None)
    villages = [
        {
            "code": code,
            "label": label,
            "people": totals[code]["people"],
            "hours": hours_text(totals[code]["minutes"]),
            "query": urlencode({**query.dict(), "village": code}),
        }
        for code, label in Village.choices
        if code in totals
    ]
    chosen = request.GET.get("village")
    chosen = chosen if chosen in totals else (villages[0]["code"] if villages else None)
    rows = list(volunteers.filter(village=chosen)) if chosen else []
    for v in rows:
        v.phone = v.member.mobile if full else mask_mobile(v.member.mobile)
        v.hours_text = hours_text(v.minutes)
    context = {
        "form": form,
        "villages": villages,
        "chosen": next((village for village in villages if village["code"] == chosen), None),
        "volunteers": rows,
        "flags": flags,
        "query": request.GET.urlencode(),
    }
    return render(request, "activities/volunteer/hours_report.html", context)


def _special(member) -> str:
    labels = []
    if member.is_disabled:
        labels.append(str(Member._meta.get_field("is_disabled").verbose_name))
    if member.has_hardship:
        labels.append(str(Member._meta.get_field("has_hardship").verbose_name))
    return "、".join(labels)


def event_volunteers(event):
    """The volunteers of an event's shifts, for its check-in page."""
    return list(
        ShiftSignup.objects.filter(shift__event=event, status=S.CONFIRMED)
        .select_related("volunteer__member", "role", "shift")
        .order_by("shift__starts_at", "role__pk", "volunteer__member__name")
    )
