"""7 图书借阅与阅读推广: loans, readers, reading campaigns."""

from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from feedback.briefings.figures import figure, section, table
from feedback.briefings.measures import (
    event_counts,
    within,
)
from feedback.briefings.registry import Context, register
from lending.models import Campaign, CheckIn, Enrolment, Loan


@register(7, "reading", gettext_lazy("Library and reading promotion"))
def reading(ctx: Context) -> dict:
    p, ly = ctx.period, ctx.period.a_year_earlier()
    events = ctx.once("events", lambda: event_counts(ctx))
    loans = Loan.objects.filter(within(p, "loaned_at") | within(ly, "loaned_at")).aggregate(
        loans=Count("pk", filter=within(p, "loaned_at")),
        readers=Count("member", distinct=True, filter=within(p, "loaned_at")),
        loans_ly=Count("pk", filter=within(ly, "loaned_at")),
        readers_ly=Count("member", distinct=True, filter=within(ly, "loaned_at")),
    )

    by_month = (
        Loan.objects.filter(within(p, "loaned_at"))
        .annotate(month=TruncMonth("loaned_at"))
        .values("month")
        .annotate(n=Count("pk"), readers=Count("member", distinct=True))
        .order_by("month")
    )
    loan_rows = [[f"{timezone.localtime(m['month']):%Y-%m}", m["n"], m["readers"]] for m in by_month]

    def count(queryset, column="pk", distinct=False):
        counted = queryset.order_by().values("campaign").annotate(n=Count(column, distinct=distinct)).values("n")[:1]
        return Coalesce(Subquery(counted, IntegerField()), 0)

    in_period = {"campaign": OuterRef("pk"), "day__gte": p.first, "day__lte": p.last, "counted": True}
    campaigns = list(
        Campaign.objects.filter(starts_on__lte=p.last, ends_on__gte=p.first)
        .annotate(
            n_participants=count(Enrolment.objects.filter(campaign=OuterRef("pk"), withdrawn_at__isnull=True)),
            n_checkins=count(CheckIn.objects.filter(**in_period)),
            n_readers=count(CheckIn.objects.filter(**in_period), "member", distinct=True),
        )
        .values("title", "starts_on", "ends_on", "n_participants", "n_checkins", "n_readers")
        .order_by("starts_on")
    )
    figures = [
        figure(
            "reading.loans",
            _("Loans"),
            loans["loans"],
            unit=_(" books"),
            rows="reading.loans",
            last_year=loans["loans_ly"],
        ),
        figure(
            "reading.readers",
            _("Active readers (borrowed at least once)"),
            loans["readers"],
            unit=_(" people"),
            last_year=loans["readers_ly"],
        ),
        figure("reading.events", _("Reading activities held"), events["reading"], last_year=events["reading_ly"]),
    ]
    if campaigns:
        figures += [
            figure(
                "reading.participants",
                _("Reading campaign participants"),
                sum(c["n_participants"] for c in campaigns),
                unit=_(" people"),
                rows="reading.campaigns",
            ),
            figure(
                "reading.checkins",
                _("Reading check-ins in the period"),
                sum(c["n_checkins"] for c in campaigns),
                rows="reading.campaigns",
            ),
        ]
    tables = [
        table("reading.loans", _("Loans by month"), [_("month"), _("loans"), _("readers")], loan_rows),
        table(
            "reading.campaigns",
            _("Reading campaigns"),
            [
                _("campaign"),
                _("from"),
                _("to"),
                _("participants"),
                _("check-ins in the period"),
                _("readers checking in"),
            ],
            [
                [
                    c["title"],
                    c["starts_on"].isoformat(),
                    c["ends_on"].isoformat(),
                    c["n_participants"],
                    c["n_checkins"],
                    c["n_readers"],
                ]
                for c in campaigns
            ],
        ),
    ]
    return section(7, "reading", _("Library and reading promotion"), figures=figures, tables=tables)
