"""Opening hours: which periods apply on a day, whether the center is open now,
and the week at a glance. Special days beat seasonal schedules, which beat the
regular schedule."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from culturecenter.lib import pagecache
from culturecenter.models import OpeningSchedule, SpecialDay, Weekday

EVENING_STARTS = time(18, 0)
# How far ahead to look for the next opening before saying there is none.
LOOKAHEAD_DAYS = 60


def _minutes(t: time) -> int:
    return t.hour * 60 + t.minute


def _merge(periods):
    """Sort periods and merge overlapping ones so no minute is counted twice."""
    merged = []
    for opens, closes in sorted(periods):
        if merged and opens <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], closes))
        else:
            merged.append((opens, closes))
    return tuple(merged)


@dataclass(frozen=True)
class DayHours:
    day: date
    periods: tuple[tuple[time, time], ...]
    note: str = ""
    is_special: bool = False

    @property
    def is_closed(self) -> bool:
        return not self.periods

    @property
    def open_minutes(self) -> int:
        return sum(_minutes(closes) - _minutes(opens) for opens, closes in self.periods)

    @property
    def evening_minutes(self) -> int:
        evening = _minutes(EVENING_STARTS)
        return sum(max(0, _minutes(closes) - max(evening, _minutes(opens))) for opens, closes in self.periods)


@dataclass(frozen=True)
class OpenStatus:
    is_open: bool
    has_schedule: bool
    closes_at: datetime | None = None
    opens_at: datetime | None = None


class HoursCalendar:
    """Opening hours for the days from `first` to `last`, loaded in three queries."""

    def __init__(self, first: date, last: date):
        self.first, self.last = first, last
        self.schedules = list(
            OpeningSchedule.objects.filter(
                Q(valid_from__isnull=True) | Q(valid_from__lte=last, valid_until__gte=first)
            ).prefetch_related("periods")
        )
        self.special_days = {s.date: s for s in SpecialDay.objects.filter(date__range=(first, last))}

    @property
    def has_schedule(self) -> bool:
        return bool(self.schedules) or bool(self.special_days)

    def _schedule_for(self, day: date):
        dated = [s for s in self.schedules if not s.is_regular and s.covers(day)]
        if dated:
            return max(dated, key=lambda s: s.valid_from)
        regular = [s for s in self.schedules if s.is_regular]
        return regular[-1] if regular else None

    def day(self, day: date) -> DayHours:
        special = self.special_days.get(day)
        if special is not None:
            periods = () if special.is_closed else ((special.opens, special.closes),)
            return DayHours(day, periods, note=special.note, is_special=True)
        schedule = self._schedule_for(day)
        if schedule is None:
            return DayHours(day, ())
        periods = _merge((p.opens, p.closes) for p in schedule.periods.all() if p.weekday == day.weekday())
        return DayHours(day, periods, note="" if schedule.is_regular else schedule.name)

    def days(self):
        day = self.first
        while day <= self.last:
            yield self.day(day)
            day += timedelta(days=1)


def _aware(day: date, t: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, t))


def status_at(moment: datetime) -> OpenStatus:
    """Whether the center is open at `moment`, until when, or when it opens next."""
    local = timezone.localtime(moment)
    today, now = local.date(), local.time()
    calendar = HoursCalendar(today, today + timedelta(days=LOOKAHEAD_DAYS))
    if not calendar.has_schedule:
        return OpenStatus(is_open=False, has_schedule=False)
    for day_hours in calendar.days():
        for opens, closes in day_hours.periods:
            if day_hours.day == today and closes <= now:
                continue
            if day_hours.day == today and opens <= now:
                return OpenStatus(is_open=True, has_schedule=True, closes_at=_aware(today, closes))
            return OpenStatus(is_open=False, has_schedule=True, opens_at=_aware(day_hours.day, opens))
    return OpenStatus(is_open=False, has_schedule=True)


def status_now(now: datetime | None = None) -> OpenStatus:
    """`status_at` the start of this minute, worked out once a minute and not on every page
    (the footer shows it everywhere); a change of the hours in the admin shows at once, as
    any change made through the site starts a new generation of the page cache."""
    minute = (now or timezone.now()).replace(second=0, microsecond=0)
    return pagecache.cached(f"hours:status:{minute.timestamp():.0f}", lambda: status_at(minute), shared=False)


@dataclass(frozen=True)
class Week:
    days: list[DayHours]
    today: date

    @property
    def open_hours(self) -> float:
        return sum(d.open_minutes for d in self.days) / 60

    @property
    def evening_hours(self) -> float:
        return sum(d.evening_minutes for d in self.days) / 60

    @property
    def has_schedule(self) -> bool:
        return any(not d.is_closed for d in self.days)


def week_of(day: date) -> Week:
    """Monday to Sunday of the week that holds `day`; kept like `status_now`."""
    return pagecache.cached(f"hours:week:{day.isoformat()}", lambda: _week_of(day), shared=False)


def _week_of(day: date) -> Week:
    monday = day - timedelta(days=day.weekday())
    calendar = HoursCalendar(monday, monday + timedelta(days=6))
    return Week(days=list(calendar.days()), today=day)


def upcoming_changes(day: date, *, limit: int = 10):
    """Seasonal schedules not yet over and the next special days, for the hours page."""
    seasons = OpeningSchedule.objects.filter(valid_until__gte=day).prefetch_related("periods").order_by("valid_from")
    special_days = SpecialDay.objects.filter(date__gte=day).order_by("date")[:limit]
    return list(seasons[:limit]), list(special_days)


def clock(t) -> str:
    """9:00, 21:00 — the way times are written on the center's notice board."""
    return f"{t.hour}:{t.minute:02d}"


def relative_day(day: date, today: date) -> str:
    """今天 / 明天 / 周二 within a week, else 12月3日."""
    delta = (day - today).days
    if delta == 0:
        return _("today")
    if delta == 1:
        return _("tomorrow")
    if delta < 7:
        return str(Weekday(day.weekday()).label)
    return _("%(month)s/%(day)s") % {"month": day.month, "day": day.day}


def status_text(status: OpenStatus, moment: datetime) -> str:
    """One line for the home page: 开放中 · 今天 21:00 闭馆, or 已闭馆 · 周二 9:00 开放."""
    today = timezone.localtime(moment).date()
    if not status.has_schedule:
        return _("Opening hours have not been published yet")
    if status.is_open:
        closes = timezone.localtime(status.closes_at)
        return _("Open now · closes %(when)s at %(time)s") % {
            "when": relative_day(closes.date(), today),
            "time": clock(closes),
        }
    if status.opens_at is None:
        return _("Closed · no opening planned in the coming weeks")
    opens = timezone.localtime(status.opens_at)
    return _("Closed · opens %(when)s at %(time)s") % {"when": relative_day(opens.date(), today), "time": clock(opens)}
