"""5 队伍与志愿服务: cultural teams and their members and practices, course attendance,
volunteers and their approved hours, shifts by kind."""

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from activities.models import (
    CourseSession,
    HoursEntry,
    Mark,
    PracticeAttendance,
    SessionAttendance,
    Shift,
    ShiftSignup,
    TeamMembership,
    Volunteer,
)
from feedback.briefings.figures import figure, percent_text, rate, section, table
from feedback.briefings.measures import versus, village_label, within
from feedback.briefings.registry import Context, register


@register(5, "teams", gettext_lazy("Teams and volunteering"))
def teams(ctx: Context) -> dict:
    p, ly = ctx.period, ctx.period.a_year_earlier()
    registered = Volunteer.objects.filter(status=Volunteer.Status.ACCEPTED, decided_at__lt=p.end).count()
    # Only approved hours that no later correction replaced count (HoursEntry.objects.counted).
    counted = HoursEntry.objects.counted()
    this = Q(service_date__gte=p.first, service_date__lte=p.last)
    last = Q(service_date__gte=ly.first, service_date__lte=ly.last)
    hours = counted.filter(this | last).aggregate(
        total=Sum("minutes", filter=this),
        people=Count("volunteer", distinct=True, filter=this),
        total_ly=Sum("minutes", filter=last),
    )
    pending = HoursEntry.objects.filter(this, status=HoursEntry.Status.PENDING).count()
    by_village = (
        counted.filter(this)
        .values("volunteer__village")
        .annotate(total=Sum("minutes"), people=Count("volunteer", distinct=True))
        .order_by("-total")
    )
    shifts = (
        Shift.objects.filter(within(p), cancelled_at__isnull=True)
        .values("kind")
        .annotate(
            n=Count("pk", distinct=True),
            came=Count("signups", filter=Q(signups__checked_in_at__isnull=False)),
            no_shows=Count("signups", filter=Q(signups__no_show=True)),
        )
        .order_by("kind")
    )
    shift_rows = [[str(Shift.Kind(s["kind"]).label), s["n"], s["came"], s["no_shows"]] for s in shifts]
    no_shows = ShiftSignup.objects.filter(within(p, "shift__starts_at"), no_show=True).count()
    t = ctx.targets
    on_last_day = TeamMembership.objects.on(p.last)
    teams_active = on_last_day.values("team").distinct().count()
    members = on_last_day.values("team__name").annotate(n=Count("member", distinct=True)).order_by("-n", "team__name")
    attended = Q(mark__in=Mark.attended())
    practice = PracticeAttendance.objects.filter(within(p, "booking__starts_at")).aggregate(
        practices=Count("booking", distinct=True), marks=Count("pk"), came=Count("pk", filter=attended)
    )
    sessions = CourseSession.objects.filter(
        within(p), status=CourseSession.Status.SCHEDULED, ends_at__lte=ctx.now
    ).count()
    course_marks = (
        SessionAttendance.objects.filter(within(p, "session__starts_at"))
        .values("session__course__title")
        .annotate(marks=Count("pk"), came=Count("pk", filter=attended), people=Count("enrolment", distinct=True))
        .order_by("session__course__title")
    )
    course_rows = [
        [c["session__course__title"], c["marks"], c["came"], percent_text(c["came"], c["marks"]), c["people"]]
        for c in course_marks
    ]
    figures = [
        figure(
            "teams.teams",
            _("Cultural teams"),
            teams_active,
            rows="teams.members",
            target=f"≥ {t.cultural_teams}",
            status=versus(teams_active, t.cultural_teams),
        ),
        figure("teams.members", _("Team members"), on_last_day.values("member").distinct().count(), unit=_(" people")),
        rate(
            "teams.practice_attendance",
            _("Practice attendance (present or late ÷ marked)"),
            practice["came"],
            practice["marks"],
            note=_("%(count)s practices") % {"count": practice["practices"]},
        ),
        figure("teams.sessions", _("Course sessions held"), sessions, rows="teams.courses"),
        rate(
            "teams.course_attendance",
            _("Course attendance (present or late ÷ marked)"),
            sum(r[2] for r in course_rows),
            sum(r[1] for r in course_rows),
            rows="teams.courses",
        ),
        figure("teams.volunteers", _("Registered volunteers"), registered, unit=_(" people")),
        figure(
            "teams.hours",
            _("Approved volunteer hours"),
            round((hours["total"] or 0) / 60, 1),
            unit=_(" h"),
            rows="teams.hours_by_village",
            last_year=f"{(hours['total_ly'] or 0) / 60:g}",
        ),
        figure(
            "teams.active",
            _("Volunteers who served"),
            hours["people"],
            unit=_(" people"),
            rows="teams.hours_by_village",
        ),
        figure("teams.pending", _("Hours entries awaiting approval"), pending),
        figure("teams.shifts", _("Volunteer shifts held"), sum(row[1] for row in shift_rows), rows="teams.shifts"),
        figure("teams.no_shows", _("Volunteer no-shows"), no_shows, rows="teams.shifts"),
    ]
    tables = [
        table(
            "teams.members",
            _("Team members on the last day"),
            [_("team"), _("people")],
            [[m["team__name"], m["n"]] for m in members],
        ),
        table(
            "teams.courses",
            _("Course attendance by course"),
            [_("course"), _("marks"), _("present or late"), _("share"), _("people")],
            course_rows,
        ),
        table(
            "teams.hours_by_village",
            _("Approved volunteer hours by village"),
            [_("village"), _("hours"), _("people")],
            [
                [village_label(row["volunteer__village"]), round((row["total"] or 0) / 60, 1), row["people"]]
                for row in by_village
            ],
        ),
        table(
            "teams.shifts",
            _("Volunteer shifts by kind"),
            [_("kind"), _("shifts"), _("checked in"), _("no-shows")],
            shift_rows,
        ),
    ]
    return section(5, "teams", _("Teams and volunteering"), figures=figures, tables=tables)
