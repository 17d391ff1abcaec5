"""Course series pages: the public list and page with enrolment and the lottery, and
staff pages to plan sessions, run the draw, take attendance and see who is at risk."""

from datetime import date, datetime, time, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from activities import lottery, services, tickets
from activities.models import Course, CourseEnrolment, CourseSession, Mark
from culturecenter.lib import qr
from culturecenter.lib.export import table_response
from culturecenter.lib.params import as_id
from culturecenter.models import Member, Weekday


def _public_course(pk):
    return get_object_or_404(
        Course.objects.select_related("venue", "teacher"), pk=pk, status__in=["approved", "cancelled"]
    )


def _staff_course(pk):
    return get_object_or_404(Course.objects.select_related("venue", "teacher"), pk=pk)


def course_list(request):
    courses = (
        Course.objects.filter(status__in=[Course.Status.APPROVED, Course.Status.CANCELLED])
        .select_related("venue", "teacher")
        .annotate(
            session_count=Count("sessions", filter=~Q(sessions__status=CourseSession.Status.CANCELLED), distinct=True),
            confirmed_count=Count(
                "enrolments", filter=Q(enrolments__status=CourseEnrolment.Status.CONFIRMED), distinct=True
            ),
        )
        .order_by("-enrol_closes_at", "pk")
    )
    unpublished = []
    if request.user.has_perm("activities.take_course_attendance"):
        unpublished = Course.objects.exclude(status__in=[Course.Status.APPROVED, Course.Status.CANCELLED]).order_by(
            "-created_at", "pk"
        )
    return render(
        request,
        "activities/course_list.html",
        {
            "courses": courses,
            "now": timezone.now(),
            "unpublished": unpublished,
            "can_manage": bool(unpublished) or request.user.has_perm("activities.take_course_attendance"),
        },  # fmt: skip
    )


def course_detail(request, pk):
    course = _public_course(pk)
    now = timezone.now()
    sessions = list(course.sessions.all())
    confirmed = course.enrolments.filter(status=CourseEnrolment.Status.CONFIRMED).count()
    mine, people = [], []
    if request.user.is_authenticated and hasattr(request.user, "member"):
        people = list(Member.objects.managed_by(request.user))
        by_member = {e.member_id: e for e in course.enrolments.filter(member__in=people)}
        mine = [(person, by_member.get(person.pk)) for person in people]
    # What the draw was made from stays published even if someone withdraws later.
    drawn = (
        list(course.enrolments.filter(draw_position__isnull=False).order_by("draw_position")) if course.drawn_at else []
    )
    pools = {
        CourseEnrolment.Pool(pool).label: sorted(e.number for e in drawn if pool in e.pool_list)
        for pool in ("elderly", "disabled", "hardship")
        if getattr(course, f"reserved_{pool}")
    }
    return render(
        request,
        "activities/course_detail.html",
        {
            "course": course,
            "sessions": sessions,
            "now": now,
            "window": course.enrol_window(now),
            "confirmed": confirmed,
            "places_left": max(0, course.capacity - confirmed),
            "numbers": sorted(e.number for e in drawn),
            "pools": pools,
            "drawn": drawn,
            "mine": mine,
            "recipe": lottery.recipe(
                seed=course.seed,
                numbers=[e.number for e in drawn],
                places=course.capacity,
                pools={
                    pool: (getattr(course, f"reserved_{pool}"), [e.number for e in drawn if pool in e.pool_list])
                    for pool in lottery.POOL_ORDER
                    if getattr(course, f"reserved_{pool}")
                },
            )
            if course.drawn_at
            else lottery.recipe(),
            "can_manage": request.user.has_perm("activities.take_course_attendance"),
        },
    )


@login_required
@require_POST
def course_enrol(request, pk):
    course = _public_course(pk)
    member = get_object_or_404(Member.objects.managed_by(request.user), pk=as_id(request.POST.get("member")))
    try:
        enrolment = services.course_enrol(course=course, member=member, by=request.user)
    except services.ActivityError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if enrolment.status == CourseEnrolment.Status.APPLIED:
            text = _("%(name)s is in the draw with application number %(number)s.")
        else:
            text = _("%(name)s: %(status)s.")
        messages.success(
            request, text % {"name": member.name, "number": enrolment.number, "status": enrolment.get_status_display()}
        )
    return redirect(course)


@login_required
@require_POST
def course_withdraw(request, pk):
    enrolment = get_object_or_404(
        CourseEnrolment.objects.for_household_of(request.user).select_related("course"), pk=pk
    )
    try:
        services.course_withdraw(enrolment=enrolment, by=request.user)
    except services.ActivityError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Withdrawn."))
    return redirect(enrolment.course)


def _plan_params(request, course):
    """The recurrence typed on the plan form, or None while it is incomplete."""
    data = request.POST if request.method == "POST" else request.GET
    try:
        first_day = date.fromisoformat(data.get("first_day", ""))
        starts = time.fromisoformat(data.get("starts", ""))
        ends = time.fromisoformat(data.get("ends", ""))
        count = int(data.get("count", ""))
        weekdays = sorted({int(d) for d in data.getlist("weekdays") if d in {str(w) for w in Weekday.values}})
    except ValueError:
        return None
    return {
        "first_day": first_day,
        "starts": starts,
        "ends": ends,
        "count": count,
        "weekdays": weekdays,
        "skip_clashes": data.get("skip_clashes") == "on",
    }


@login_required
@permission_required("activities.take_course_attendance", raise_exception=True)
def course_manage(request, pk):
    course = _staff_course(pk)
    now = timezone.now()
    sessions, rows = services.course_attendance(course, now=now)
    params = _plan_params(request, course)
    plan = None
    if params:
        try:
            plan = services.session_plan(course=course, **params)
        except services.ActivityError as error:
            messages.error(request, " ".join(error.messages))
        else:
            held = sum(1 for p in plan if p.counts)
            if held < params["count"]:
                messages.warning(
                    request,
                    _("Only %(held)s of %(count)s sessions fit; start earlier or add weekdays.")
                    % {"held": held, "count": params["count"]},
                )
    if request.method == "POST" and plan is not None:
        try:
            made = services.sessions_create(course=course, plan=plan, by=request.user)
        except services.ActivityError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("%(count)s sessions saved.") % {"count": len(made)})
            return redirect("activities:course_manage", pk=course.pk)
    who = request.GET.get("who", "").strip()
    candidates = Member.objects.search_text(who) if who else []
    held = [s for s in sessions if s.is_held(now)]
    return render(
        request,
        "activities/course_manage.html",
        {
            "course": course,
            "sessions": sessions,
            "rows": rows,
            "held_count": len(held),
            "at_risk": [r for r in rows if r.at_risk and r.enrolment.status == CourseEnrolment.Status.CONFIRMED],
            "waiting": course.enrolments.filter(status=CourseEnrolment.Status.WAITING)
            .select_related("member")
            .order_by("draw_position", "queued_at", "pk"),
            "applied_count": course.enrolments.filter(status=CourseEnrolment.Status.APPLIED).count(),
            "plan": plan,
            "params": params or {},
            "weekdays": Weekday.choices,
            "who": who,
            "candidates": candidates,
            "steps": course.review_steps.select_related("actor"),
            "problems": services.course_readiness_problems(course),
            "now": now,
        },
    )


@login_required
@permission_required("activities.take_course_attendance", raise_exception=True)
@require_POST
def course_action(request, pk):
    course = _staff_course(pk)
    action = request.POST.get("action")
    opinion = request.POST.get("opinion", "")
    actions = {
        "submit": lambda: services.course_submit(course=course, by=request.user, opinion=opinion),
        "approve": lambda: services.course_approve(course=course, by=request.user, opinion=opinion),
        "return": lambda: services.course_return(course=course, by=request.user, opinion=opinion),
        "commit": lambda: services.lottery_commit(course=course, by=request.user),
        "draw": lambda: services.lottery_draw(course=course, by=request.user),
        "certificates": lambda: services.certificates_issue(course=course, by=request.user),
    }
    if action not in actions:
        raise Http404
    try:
        actions[action]()
    except services.ActivityError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Done."))
    return redirect("activities:course_manage", pk=course.pk)


@login_required
@permission_required("activities.enrol_on_behalf", raise_exception=True)
@require_POST
def course_desk_enrol(request, pk):
    """代报名: staff enrol a villager found at the desk (with or without a login)."""
    course = _staff_course(pk)
    member = get_object_or_404(Member.objects.present(), pk=as_id(request.POST.get("member")))
    try:
        enrolment = services.course_enrol(course=course, member=member, by=request.user, on_behalf=True)
    except services.ActivityError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("%(name)s: %(status)s (application number %(number)s).")
            % {"name": member.name, "status": enrolment.get_status_display(), "number": enrolment.number},
        )
    return redirect("activities:course_manage", pk=course.pk)


@login_required
@permission_required("activities.take_course_attendance", raise_exception=True)
def course_register_export(request, pk, fmt):
    if fmt not in ("csv", "xlsx"):
        raise Http404
    course = _staff_course(pk)
    sessions, rows = services.course_attendance(course)
    labels = dict(Mark.choices)
    headers = [
        _("Application number"),
        _("Name"),
        _("Village"),
        _("Status"),
        *[f"{timezone.localtime(s.starts_at):%m-%d}" for s in sessions],
        _("Held sessions enrolled for"),
        _("Attended"),
        _("Attendance rate"),
    ]

    def lines():
        for row in rows:
            e = row.enrolment
            yield [
                e.number,
                e.member.name,
                e.member.get_village_display(),
                e.get_status_display(),
                *[_cell(s, row, labels) for s in sessions],
                row.expected,
                row.attended,
                "" if row.percent is None else row.percent,
            ]

    return table_response(headers=headers, rows=lines(), filename=f"course-{course.pk}-register", fmt=fmt)


def _cell(session, row, labels):
    """One person at one session in the register: the mark, or why there is none."""
    if session.is_cancelled:
        return _("Session cancelled")
    if not services.expected_at(row.enrolment, session):
        return _("not enrolled then")
    return labels.get(row.marks.get(session.pk), "")


def _session_for_staff(pk):
    return get_object_or_404(CourseSession.objects.select_related("course", "course__venue"), pk=pk)


@login_required
@permission_required("activities.take_course_attendance", raise_exception=True)
def session_attendance(request, pk):
    """The register on a phone: everyone expected, "all present" in one tap, then exceptions."""
    session = _session_for_staff(pk)
    if request.method == "POST" and "code" in request.POST:
        try:
            attendance = services.session_check_in(session=session, code=request.POST["code"], by=request.user)
        except services.AlreadyCheckedIn as notice:
            messages.warning(request, " ".join(notice.messages))
        except services.ActivityError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("✔ %(name)s: %(mark)s.")
                % {"name": attendance.enrolment.member.name, "mark": attendance.get_mark_display()},
            )
        return redirect("activities:session_attendance", pk=session.pk)
    if request.method == "POST":
        marks = {key.removeprefix("mark-"): value for key, value in request.POST.items() if key.startswith("mark-")}
        try:
            changed = services.attendance_record(
                session=session,
                marks=marks,
                by=request.user,
                all_present="all_present" in request.POST,
                reason=request.POST.get("reason", ""),
            )
        except services.ActivityError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("%(count)s marks saved.") % {"count": changed})
        return redirect("activities:session_attendance", pk=session.pk)
    register = services.session_register(session)
    marked = [m for _e, m in register if m]
    return render(
        request,
        "activities/session_attendance.html",
        {
            "session": session,
            "course": session.course,
            "rows": [
                {
                    "id": e.pk,
                    "name": e.member.name,
                    "note": e.member.get_village_display(),
                    "mark": m.mark if m else None,
                }
                for e, m in register
            ],
            "marks": Mark.choices,
            "tally": _tally(register),
            "unmarked": len(register) - len(marked),
            "needs_reason": timezone.now() > session.ends_at + timedelta(days=services.CORRECTION_FREE_DAYS),
        },
    )


@login_required
@permission_required("activities.take_course_attendance", raise_exception=True)
@require_POST
def session_change(request, pk):
    session = _session_for_staff(pk)
    try:
        if request.POST.get("action") == "cancel":
            told = services.session_cancel(session=session, by=request.user, reason=request.POST.get("reason", ""))
        else:
            day = date.fromisoformat(request.POST.get("day", ""))
            tz = timezone.get_current_timezone()
            starts = timezone.make_aware(datetime.combine(day, time.fromisoformat(request.POST.get("starts", ""))), tz)
            ends = timezone.make_aware(datetime.combine(day, time.fromisoformat(request.POST.get("ends", ""))), tz)
            told = services.session_move(
                session=session, starts_at=starts, ends_at=ends, by=request.user, note=request.POST.get("reason", "")
            )
    except ValueError:
        messages.error(request, _("Give a date and the start and end times."))
    except services.ActivityError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Saved; %(count)s people were told.") % {"count": told})
    return redirect("activities:course_manage", pk=session.course_id)


@login_required
def course_ticket(request, code):
    """The course ticket: one QR code for every session, for the household (and staff)."""
    enrolments = CourseEnrolment.objects.select_related("member", "course", "course__venue")
    if not request.user.has_perm("activities.take_course_attendance"):
        enrolments = enrolments.for_household_of(request.user)
    enrolment = get_object_or_404(enrolments, code=tickets.normalise(code) or "-")
    now = timezone.now()
    today = enrolment.course.sessions.filter(starts_at__date=timezone.localdate(now)).first()
    return render(
        request,
        "activities/course_ticket.html",
        {
            "enrolment": enrolment,
            "course": enrolment.course,
            "display_code": tickets.display(enrolment.code),
            "qr_svg": qr.svg_inline(enrolment.code),
            "today": today,
            "next_session": enrolment.course.sessions.filter(ends_at__gt=now, status="scheduled").first(),
        },
    )


@login_required
def course_certificate(request, pk, enrolment_id):
    """The printable certificate: for the household, or for staff."""
    enrolments = CourseEnrolment.objects.select_related("member", "course", "course__teacher")
    if not request.user.has_perm("activities.take_course_attendance"):
        enrolments = enrolments.for_household_of(request.user)
    enrolment = get_object_or_404(enrolments, pk=enrolment_id, course_id=pk)
    if not enrolment.certificate_number:
        raise Http404
    _sessions, rows = services.course_attendance(enrolment.course, enrolments=[enrolment])
    return render(request, "activities/course_certificate.html", {"enrolment": enrolment, "row": rows[0]})


def _tally(register):
    """How many of each mark so far, for the line above the register."""
    given = [m.mark for _person, m in register if m]
    return [(label, given.count(value)) for value, label in Mark.choices]
