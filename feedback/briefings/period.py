"""A briefing's period: two local dates, both included, and the same period a year earlier."""

import calendar
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Period:
    first: date
    last: date

    @property
    def start(self) -> datetime:
        """The first moment, aware, in the center's time zone."""
        return timezone.make_aware(datetime.combine(self.first, time.min))

    @property
    def end(self) -> datetime:
        """The moment after the last day (half-open), aware."""
        return timezone.make_aware(datetime.combine(self.last + timedelta(days=1), time.min))

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    @property
    def weeks(self) -> float:
        return self.days / 7

    def a_year_earlier(self) -> "Period":
        return Period(_year_back(self.first), _year_back(self.last))

    def year_to_date(self) -> "Period":
        """1 January of the last day's year up to the last day: what the pace is measured on."""
        return Period(date(self.last.year, 1, 1), self.last)

    def pace_day(self, today: date) -> date:
        """The day the pace of the year is measured at: the last day, or today for a period not over."""
        return min(self.last, max(today, self.first))

    def year_fraction(self, today: date) -> float:
        """How much of the year has passed by `pace_day` (for the pace of the year)."""
        day = self.pace_day(today)
        return day.timetuple().tm_yday / (366 if calendar.isleap(day.year) else 365)

    def week_of_year(self, today: date) -> int:
        return min(52, (self.pace_day(today).timetuple().tm_yday + 6) // 7)

    def label(self) -> str:
        return _("%(first)s to %(last)s") % {"first": _chinese_date(self.first), "last": _chinese_date(self.last)}


def _year_back(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def _chinese_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def month(year: int, number: int) -> Period:
    return Period(date(year, number, 1), date(year, number, calendar.monthrange(year, number)[1]))


def quarter(year: int, number: int) -> Period:
    first_month = 3 * (number - 1) + 1
    return Period(month(year, first_month).first, month(year, first_month + 2).last)


def summer(year: int) -> Period:
    """暑期: July and August, when the center opens late and the children are home."""
    return Period(date(year, 7, 1), date(year, 8, 31))


def whole_year(year: int) -> Period:
    return Period(date(year, 1, 1), date(year, 12, 31))
