"""Cultural teams: public pages, asking to join, and for the leader or staff the
requests, practice attendance, members over time and the register for 备案."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from activities import services
from activities.models import Booking, JoinRequest, Mark, PracticeAttendance, Team, TeamMembership
from culturecenter.lib.charts import bar_chart
from culturecenter.lib.export import table_response
from culturecenter.lib.params import as_id
from culturecenter.models import Member, Weekday

PRACTICE = Booking.Purpose.PRACTICE


def _team(slug):
    return get_object_or_404(Team, slug=slug, is_public=True)


def _managed_team(request, slug):
    """The team, for its leader or staff; anyone else gets 404 (a leader of another team too)."""
    team = get_object_or_404(Team, slug=slug)
    if not services.may_manage_team(request.user, team):
        raise Http404
    return team


def _practices(team):
    return Booking.objects.filter(team=team, purpose=PRACTICE).exclude(status=Booking.Status.CANCELLED)


def team_list(request):
    today = timezone.localdate()
    # Counted in the database: a team of hundreds is one number on this page, not hundreds of rows.
    on_today = Q(memberships__joined_on__lte=today) & (
        Q(memberships__left_on__isnull=True) | Q(memberships__left_on__gt=today)
    )
    teams = Team.objects.filter(is_public=True).annotate(members_now=Count("memberships", filter=on_today))
    return render(request, "activities/team_list.html", {"teams": teams})


def team_detail(request, slug):
    team = _team(slug)
    today = timezone.localdate()
    now = timezone.now()
    next_practices = list(_practices(team).filter(ends_at__gte=now).select_related("venue", "series")[:4])
    series = {p.series for p in next_practices if p.series_id}
    people = list(Member.objects.managed_by(request.user)) if request.user.is_authenticated else []
    # A team of hundreds: only the ones the page names are read (its leaders and coaches, and
    # the visitor's household), the others counted.
    current = team.memberships.on(today)
    named = Q(role__in=[TeamMembership.Role.LEADER, TeamMembership.Role.COACH]) | Q(member__in=people)
    shown = list(current.filter(named).select_related("member").order_by("role", "joined_on", "pk"))
    member_ids = {m.member_id for m in shown}
    pending = set(
        JoinRequest.objects.filter(team=team, member__in=people, status=JoinRequest.Status.PENDING).values_list(
            "member_id", flat=True
        )
    )
    return render(
        request,
        "activities/team_detail.html",
        {
            "team": team,
            "leaders": [m for m in shown if m.role == TeamMembership.Role.LEADER],
            "coaches": [m for m in shown if m.role == TeamMembership.Role.COACH],
            "member_count": current.count(),
            "practices": next_practices,
            "series": [(Weekday(x.weekday).label, x) for x in sorted(series, key=lambda x: x.pk)],
            "honours": team.honours.all(),
            "performances": team.performances.select_related("event"),
            "photos": team.photos.all(),
            "may_join": [p for p in people if p.pk not in member_ids and p.pk not in pending],
            "pending": [p for p in people if p.pk in pending],
            "mine": [p for p in people if p.pk in member_ids],
            "can_manage": services.may_manage_team(request.user, team),
        },
    )


@login_required
@require_POST
def team_join(request, slug):
    team = _team(slug)
    member = get_object_or_404(Member.objects.managed_by(request.user), pk=as_id(request.POST.get("member")))
    try:
        services.join_request_create(team=team, member=member, by=request.user, message=request.POST.get("message", ""))
    except services.ActivityError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Asked. The team leader will answer soon."))
    return redirect(team)


def _monthly_members(team, months=12):
    today = timezone.localdate()
    firsts = []
    day = today.replace(day=1)
    for _n in range(months):
        firsts.append(day)
        day = (day - timedelta(days=1)).replace(day=1)
    firsts.reverse()
    memberships = list(team.memberships.values_list("joined_on", "left_on"))
    return [(f"{d:%y-%m}", sum(1 for j, left in memberships if j <= d and (left is None or left > d))) for d in firsts]


def _practice_trend(team, practices):
    marks = {}
    for booking_id, mark in PracticeAttendance.objects.filter(booking__in=practices).values_list("booking_id", "mark"):
        total, came = marks.get(booking_id, (0, 0))
        marks[booking_id] = (total + 1, came + (mark in Mark.attended()))
    return [
        (f"{timezone.localtime(p.starts_at):%m-%d}", round(100 * marks[p.pk][1] / marks[p.pk][0]))
        for p in practices
        if p.pk in marks
    ]


@login_required
def team_manage(request, slug):
    team = _managed_team(request, slug)
    now = timezone.now()
    past = list(_practices(team).filter(starts_at__lte=now).order_by("-starts_at")[:12])
    past.reverse()
    coming = list(_practices(team).filter(starts_at__gt=now).order_by("starts_at")[:3])
    today = timezone.localdate()
    return render(
        request,
        "activities/team_manage.html",
        {
            "team": team,
            "requests": team.join_requests.filter(status=JoinRequest.Status.PENDING).select_related("member"),
            "memberships": team.memberships.select_related("member").order_by("left_on", "role", "joined_on", "pk"),
            "today": today,
            "members_chart": bar_chart(_monthly_members(team), title=_("Active members, first of each month")),
            "trend_chart": bar_chart(_practice_trend(team, past), title=_("Attendance rate at practices")),
            "practices": [*coming, *reversed(past)],
            "is_staff": request.user.has_perm("activities.manage_team"),
        },
    )


@login_required
@require_POST
def join_request_decide(request, slug, pk):
    team = _managed_team(request, slug)
    join_request = get_object_or_404(team.join_requests, pk=pk)
    try:
        services.join_request_decide(request=join_request, accept=request.POST.get("accept") == "1", by=request.user)
    except services.ActivityError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("activities:team_manage", slug=team.slug)


@login_required
def practice_attendance(request, slug, pk):
    """The leader's register on a phone: members on that day, "all present", then exceptions."""
    team = _managed_team(request, slug)
    booking = get_object_or_404(_practices(team).select_related("venue"), pk=pk)
    if request.method == "POST":
        marks = {key.removeprefix("mark-"): value for key, value in request.POST.items() if key.startswith("mark-")}
        try:
            changed = services.practice_attendance_record(
                booking=booking, team=team, marks=marks, by=request.user, all_present="all_present" in request.POST
            )
        except services.ActivityError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("%(count)s marks saved.") % {"count": changed})
        return redirect("activities:practice_attendance", slug=team.slug, pk=booking.pk)
    day = timezone.localdate(booking.starts_at)
    existing = {a.member_id: a for a in booking.practice_marks.all()}
    register = [
        (m.member, existing.get(m.member_id))
        for m in team.memberships.on(day).select_related("member").order_by("member__name", "pk")
    ]
    return render(
        request,
        "activities/practice_attendance.html",
        {
            "team": team,
            "booking": booking,
            "rows": [
                {"id": m.pk, "name": m.name, "note": m.get_village_display(), "mark": a.mark if a else None}
                for m, a in register
            ],
            "marks": Mark.choices,
            "tally": _tally(register),
            "unmarked": sum(1 for _m, a in register if a is None),
        },
    )


@login_required
@permission_required("activities.manage_team", raise_exception=True)
def team_register(request, slug, fmt):
    """花名册 for 备案: every membership, current and past, with role and dates."""
    if fmt not in ("csv", "xlsx"):
        raise Http404
    team = get_object_or_404(Team, slug=slug)
    memberships = team.memberships.select_related("member").order_by("left_on", "joined_on", "pk")
    headers = [_("Name"), _("Village"), _("Birth year"), _("Role"), _("Joined on"), _("Left on")]
    rows = (
        [
            m.member.name,
            m.member.get_village_display(),
            m.member.birth_year,
            m.get_role_display(),
            m.joined_on,
            m.left_on or "",
        ]
        for m in memberships
    )
    return table_response(
        headers=headers, rows=rows, filename=f"team-{team.slug}-register-{timezone.localdate():%Y%m%d}", fmt=fmt
    )


def _tally(register):
    """How many of each mark so far, for the line above the register."""
    given = [m.mark for _person, m in register if m]
    return [(label, given.count(value)) for value, label in Mark.choices]
