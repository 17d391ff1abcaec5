"""5 队伍与志愿服务: volunteers and their approved hours, shifts by kind.

Teams and course series join this section when they are in the portal: add their figures and
tables to `teams()` below (one aggregate query each), nothing else changes."""

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from activities.models import HoursEntry, Shift, ShiftSignup, Volunteer
from feedback.briefings.figures import figure, section, table
from feedback.briefings.measures import village_label, within
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
    figures = [
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
