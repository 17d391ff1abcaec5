"""Reading campaigns: enrolment, check-ins, progress and streaks, leaderboard, statistics.

Every figure is computed from the check-in rows (no counter that can drift), with a
fixed number of queries per page."""

from calendar import Calendar
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, FilteredRelation, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from culturecenter.lib import pagecache
from culturecenter.models import AgeGroup, Member, Weekday, age_group_expression
from lending.models import Book, Campaign, CheckIn, Enrolment

BADGES = (7, 14, 21)
CONFIRM_MINUTES_ABOVE = 120


class CampaignError(ValidationError):
    pass


# ---------------------------------------------------------------- taking part


@transaction.atomic
def campaign_enrol(*, campaign: Campaign, members: list[Member], by) -> int:
    """Enrol people (a family reads together: 亲子共读); returns how many were added."""
    if campaign.ends_on < timezone.localdate():
        raise CampaignError(_("This campaign has ended."))
    added = 0
    for member in members:
        enrolment, created = Enrolment.objects.get_or_create(
            campaign=campaign, member=member, defaults={"enrolled_by": by}
        )
        if created or enrolment.withdrawn_at:
            enrolment.withdrawn_at = enrolment.withdrawn_by = None
            enrolment.save(update_fields=["withdrawn_at", "withdrawn_by"])
            added += 1
    return added


@transaction.atomic
def campaign_withdraw(*, enrolment: Enrolment, by) -> None:
    """The reader (or their household's manager) stops taking part; their check-ins stay."""
    enrolment.withdrawn_at, enrolment.withdrawn_by = timezone.now(), by
    enrolment.save(update_fields=["withdrawn_at", "withdrawn_by"])


def allowed_days(campaign: Campaign, today: date | None = None) -> tuple[date, date] | None:
    """The first and last day a villager may log today, or None if none."""
    today = today or timezone.localdate()
    first = max(campaign.starts_on, today - timedelta(days=campaign.backdate_days))
    last = min(campaign.ends_on, today)
    return (first, last) if first <= last else None


def _save_counting_once(checkin: CheckIn) -> CheckIn:
    """The first log of the day counts; a later one (even at the same instant) does not."""
    checkin.counted = not CheckIn.objects.filter(
        campaign=checkin.campaign, member=checkin.member, day=checkin.day, counted=True
    ).exists()
    try:
        with transaction.atomic():
            checkin.save()
    except IntegrityError:
        checkin.pk, checkin.counted = None, False
        checkin.save()
    return checkin


@transaction.atomic
def checkin_log(
    *,
    campaign: Campaign,
    member: Member,
    day: date,
    book_title: str,
    minutes: int,
    by,
    reflection: str = "",
    photo=None,
    share: bool = False,
) -> CheckIn:
    """A villager (or their guardian) logs reading for a day."""
    if not Enrolment.objects.filter(campaign=campaign, member=member, withdrawn_at__isnull=True).exists():
        raise CampaignError(_("%(name)s does not take part in this campaign.") % {"name": member.name})
    window = allowed_days(campaign)
    if window is None or not window[0] <= day <= window[1]:
        raise CampaignError(
            _("Check-ins are accepted for the campaign's days up to today, at most %(days)s days late.")
            % {"days": campaign.backdate_days}
        )
    if not 1 <= minutes <= campaign.daily_minutes_cap:
        raise CampaignError(_("Minutes read must be between 1 and %(cap)s.") % {"cap": campaign.daily_minutes_cap})
    book = Book.objects.filter(title=book_title).first()
    return _save_counting_once(
        CheckIn(
            campaign=campaign,
            member=member,
            day=day,
            book=book,
            book_title=book_title,
            minutes=minutes,
            reflection=reflection,
            photo=photo or "",
            share=share and bool(reflection),
            created_by=by,
        )
    )


def checkins_from_loan(*, loan) -> int:
    """A loan at the desk checks the reader in for today in every campaign they take part in."""
    today = timezone.localdate()
    campaigns = Campaign.objects.filter(
        starts_on__lte=today,
        ends_on__gte=today,
        enrolments__member=loan.member,
        enrolments__withdrawn_at__isnull=True,
    )
    made = 0
    for campaign in campaigns:
        _save_counting_once(
            CheckIn(
                campaign=campaign,
                member=loan.member,
                day=today,
                source=CheckIn.Source.DESK,
                book=loan.copy.book,
                book_title=loan.copy.book.title,
                created_by=loan.loaned_by,
            )
        )
        made += 1
    return made


@transaction.atomic
def reflection_moderate(*, checkin: CheckIn, approve: bool, reason: str, by) -> None:
    """Staff show a reflection on the wall, or hide it with a reason; who did it is kept."""
    if not approve and not reason.strip():
        raise CampaignError(_("Say why the reflection is hidden."))
    checkin.moderation = CheckIn.Moderation.APPROVED if approve else CheckIn.Moderation.HIDDEN
    checkin.hidden_reason = "" if approve else reason
    checkin.moderated_by = by
    checkin.save(update_fields=["moderation", "hidden_reason", "moderated_by"])


# ---------------------------------------------------------------- progress


def streaks(days: list[date], today: date) -> tuple[int, int]:
    """(current, best) runs of consecutive days; the current run may end today or yesterday."""
    best = run = 0
    previous = None
    for day in days:
        run = run + 1 if previous is not None and day - previous == timedelta(days=1) else 1
        best = max(best, run)
        previous = day
    current = run if previous is not None and (today - previous).days <= 1 else 0
    return current, best


@dataclass
class Progress:
    member: Member
    campaign: Campaign
    days: list[date] = field(default_factory=list)
    minutes: int = 0
    books: set[str] = field(default_factory=set)
    current_streak: int = 0
    best_streak: int = 0

    @property
    def day_count(self) -> int:
        return len(self.days)

    @property
    def reached_goal(self) -> bool:
        return self.day_count >= self.campaign.goal_days

    @property
    def badges(self) -> list[int]:
        return [badge for badge in BADGES if self.day_count >= badge]

    @property
    def days_towards_goal(self) -> int:
        """The check-in days that count towards the goal: a <progress> may not pass its maximum."""
        return min(self.day_count, self.campaign.goal_days)

    @property
    def percent(self) -> int:
        return min(100, round(100 * self.day_count / self.campaign.goal_days))

    def calendar(self) -> list[tuple[date, list[list[tuple[date | None, bool]]]]]:
        """The campaign month by month: (first day of the month, its weeks Monday first), each day
        of the campaign marked if checked in; days outside the campaign or the month are None."""
        checked, starts, ends = set(self.days), self.campaign.starts_on, self.campaign.ends_on
        months, first = [], starts.replace(day=1)
        while first <= ends:
            weeks = [
                [
                    (day, day in checked) if day.month == first.month and starts <= day <= ends else (None, False)
                    for day in week
                ]
                for week in Calendar().monthdatescalendar(first.year, first.month)
            ]
            months.append((first, [week for week in weeks if any(day for day, _checked in week)]))
            first = (first + timedelta(days=31)).replace(day=1)
        return months


# Column headings of the reading calendar: a short name shown, the full one read out.
WEEKDAY_HEADINGS = list(
    zip(
        [
            pgettext_lazy("weekday, short", "Mon"),
            pgettext_lazy("weekday, short", "Tue"),
            pgettext_lazy("weekday, short", "Wed"),
            pgettext_lazy("weekday, short", "Thu"),
            pgettext_lazy("weekday, short", "Fri"),
            pgettext_lazy("weekday, short", "Sat"),
            pgettext_lazy("weekday, short", "Sun"),
        ],
        Weekday.labels,
        strict=True,
    )
)


def progress_for(campaign: Campaign, members: list[Member], today: date | None = None) -> list[Progress]:
    """Progress of several people from their check-in rows, in one query."""
    today = today or timezone.localdate()
    by_member = {member.pk: Progress(member=member, campaign=campaign) for member in members}
    rows = (
        CheckIn.objects.filter(campaign=campaign, member__in=members)
        .values_list("member_id", "day", "counted", "minutes", "book_title")
        .order_by("day")
    )
    for member_id, day, counted, minutes, title in rows:
        progress = by_member[member_id]
        if counted:
            progress.days.append(day)
        progress.minutes += minutes or 0
        progress.books.add(title)
    for progress in by_member.values():
        progress.current_streak, progress.best_streak = streaks(progress.days, today)
    return list(by_member.values())


def _age_group_filter(age_group: str, today: date):
    year = today.year
    return {
        AgeGroup.CHILD: Q(member__birth_year__gt=year - 12),
        AgeGroup.TEEN: Q(member__birth_year__gt=year - 18, member__birth_year__lte=year - 12),
        AgeGroup.ADULT: Q(member__birth_year__gt=year - 60, member__birth_year__lte=year - 18),
        AgeGroup.ELDERLY: Q(member__birth_year__lte=year - 60),
    }.get(age_group, Q())


def standings(campaign: Campaign, *, village: str = "", age_group: str = "", limit: int = 20) -> dict:
    """How many readers and families take part, and the leaderboard (participants by
    check-in days, then minutes; names are masked in the template). Counting a district's
    check-ins takes a while: kept until the next change made through the site, or a minute."""

    def count():
        enrolled = Enrolment.objects.filter(campaign=campaign, withdrawn_at__isnull=True)
        families = enrolled.filter(member__household__isnull=False).values("member__household").distinct()
        return {
            "participants": enrolled.count(),
            "families": families.count(),
            "leaders": list(_leaderboard(campaign, village, age_group, limit)),
        }

    return pagecache.cached(f"standings:{campaign.pk}:{village}:{age_group}:{limit}", count)


def _leaderboard(campaign: Campaign, village: str, age_group: str, limit: int):
    enrolments = (
        Enrolment.objects.filter(campaign=campaign, withdrawn_at__isnull=True)
        .filter(_age_group_filter(age_group, timezone.localdate()))
        # join only this campaign's check-ins, not every campaign the reader ever joined
        .annotate(logged=FilteredRelation("member__checkins", condition=Q(member__checkins__campaign=campaign)))
        .annotate(
            day_count=Count("logged", filter=Q(logged__counted=True)),
            minute_total=Sum("logged__minutes"),
        )
        .select_related("member")
        .order_by("-day_count", "-minute_total", "enrolled_at")
    )
    if village:
        enrolments = enrolments.filter(member__village=village)
    return enrolments[:limit]


def campaign_statistics(campaign: Campaign) -> dict:
    """The campaign's figures for staff: enrolment, check-ins, minutes, per village and age group."""
    enrolled = Enrolment.objects.filter(campaign=campaign, withdrawn_at__isnull=True)
    checkins = CheckIn.objects.filter(campaign=campaign)
    day_counts = (
        checkins.filter(counted=True).values("member").annotate(days=Count("pk")).filter(days__gte=campaign.goal_days)
    )
    per_day = dict(checkins.filter(counted=True).values_list("day").annotate(n=Count("pk")).order_by("day"))
    series, day = [], campaign.starts_on
    while day <= min(campaign.ends_on, timezone.localdate()):
        series.append((day, per_day.get(day, 0)))
        day += timedelta(days=1)
    return {
        "participants": enrolled.count(),
        "families": enrolled.exclude(member__household__isnull=True).values("member__household").distinct().count(),
        "by_age_group": list(
            enrolled.annotate(group=age_group_expression("member__birth_year"))
            .values("group")
            .annotate(n=Count("pk"))
            .order_by("group")
        ),
        "by_village": list(enrolled.values("member__village").annotate(n=Count("pk")).order_by("-n")),
        "per_day": series,
        "minutes": checkins.aggregate(total=Sum("minutes"))["total"] or 0,
        "books": checkins.values("book_title").distinct().count(),
        "checkins": checkins.count(),
        "reached_goal": day_counts.count(),
    }
