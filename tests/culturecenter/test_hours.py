"""Opening hours at the center's local time (Asia/Shanghai), with pinned clocks."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
import time_machine

from culturecenter import hours
from culturecenter.models import OpeningPeriod, OpeningSchedule, SpecialDay
from tests.conftest import make_regular_schedule

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(*args) -> datetime:
    return datetime(*args, tzinfo=SHANGHAI)


def status_line(moment: datetime) -> str:
    return hours.status_text(hours.status_at(moment), moment)


def make_summer(year=2026):
    summer = OpeningSchedule.objects.create(
        name="暑期延时开放", valid_from=date(year, 7, 1), valid_until=date(year, 8, 31)
    )
    OpeningPeriod.objects.bulk_create(
        OpeningPeriod(schedule=summer, weekday=day, opens=time(9), closes=time(21)) for day in range(7)
    )
    return summer


def test_open_in_the_afternoon_until_today_17(db):
    make_regular_schedule()
    assert status_line(at(2026, 11, 24, 15, 0)) == "开放中 · 今天 17:00 闭馆"  # Tuesday


def test_closing_minute_counts_as_closed(db):
    make_regular_schedule()
    assert status_line(at(2026, 11, 24, 17, 0)) == "已闭馆 · 明天 9:00 开放"


def test_just_before_midnight_and_just_after(db):
    make_regular_schedule()
    assert status_line(at(2026, 11, 24, 23, 59)) == "已闭馆 · 明天 9:00 开放"
    assert status_line(at(2026, 11, 25, 0, 0)) == "已闭馆 · 今天 9:00 开放"


def test_local_time_is_used_not_utc(db):
    make_regular_schedule()
    # 2026-11-24 01:30 UTC is 09:30 on Tuesday in Qingshui.
    moment = datetime(2026, 11, 24, 1, 30, tzinfo=ZoneInfo("UTC"))
    assert status_line(moment) == "开放中 · 今天 17:00 闭馆"


def test_closed_on_monday_names_the_weekday_it_opens(db):
    make_regular_schedule()
    # Sunday evening: Monday closed, so Tuesday.
    assert status_line(at(2026, 11, 29, 18, 0)) == "已闭馆 · 周二 9:00 开放"


def test_summer_schedule_replaces_regular_hours_inside_its_dates_only(db):
    make_regular_schedule()
    make_summer()
    assert status_line(at(2026, 6, 30, 18, 0)) == "已闭馆 · 明天 9:00 开放"  # the day before the season
    assert status_line(at(2026, 7, 1, 18, 0)) == "开放中 · 今天 21:00 闭馆"  # first day
    assert status_line(at(2026, 8, 31, 20, 59)) == "开放中 · 今天 21:00 闭馆"  # last day (a Monday, open in summer)
    assert status_line(at(2026, 9, 1, 18, 0)) == "已闭馆 · 明天 9:00 开放"  # Tuesday after the season


def test_special_closed_day_is_skipped(db):
    make_regular_schedule()
    SpecialDay.objects.create(date=date(2026, 12, 1), is_closed=True, note="设备检修")
    # Monday: regular closure, then Tuesday closed specially, so Wednesday.
    assert status_line(at(2026, 11, 30, 12, 0)) == "已闭馆 · 周三 9:00 开放"


def test_special_extended_day_overrides_the_schedule(db):
    make_regular_schedule()
    SpecialDay.objects.create(date=date(2026, 12, 31), opens=time(9), closes=time(21, 30), note="迎新年联欢")
    assert status_line(at(2026, 12, 31, 20, 0)) == "开放中 · 今天 21:30 闭馆"


def test_opening_more_than_a_week_away_gives_the_date(db):
    make_regular_schedule()
    for day in range(1, 11):
        SpecialDay.objects.create(date=date(2027, 2, day), is_closed=True, note="春节闭馆")
    assert status_line(at(2027, 2, 1, 10, 0)) == "已闭馆 · 2月11日 9:00 开放"


def test_no_schedule_says_so_instead_of_crashing(db):
    assert status_line(at(2026, 11, 24, 10, 0)) == "开放时间尚未公布"


def test_everything_closed_for_weeks_says_nothing_is_planned(db):
    make_regular_schedule(periods=[])
    assert status_line(at(2026, 11, 24, 10, 0)) == "已闭馆 · 近期暂无开放安排"


def test_week_counts_open_and_evening_hours(db):
    make_regular_schedule(
        periods=[(day, time(9), time(17)) for day in range(1, 7)]
        + [(day, time(18, 30), time(20, 30)) for day in (4, 5)]
    )
    week = hours.week_of(date(2026, 11, 27))

    assert [d.day for d in week.days][0] == date(2026, 11, 23)
    assert week.days[0].is_closed
    assert week.open_hours == 6 * 8 + 2 * 2
    assert week.evening_hours == 4


def test_overlapping_periods_are_not_counted_twice(db):
    make_regular_schedule(periods=[(1, time(9), time(12)), (1, time(11), time(14))])
    week = hours.week_of(date(2026, 11, 24))
    assert week.days[1].periods == ((time(9), time(14)),)
    assert week.open_hours == 5


def test_evening_part_of_a_long_day_counts_as_evening(db):
    make_summer()
    week = hours.week_of(date(2026, 7, 15))
    assert week.evening_hours == 7 * 3


@time_machine.travel(at(2026, 11, 27, 19, 0), tick=False)
def test_home_page_shows_status_and_the_week_in_chinese(client, db):
    make_regular_schedule(periods=[(day, time(9), time(17)) for day in range(1, 7)] + [(4, time(18, 30), time(20, 30))])
    body = client.get("/").content.decode()

    assert "清水镇文化中心" in body
    assert "开放中 · 今天 20:30 闭馆" in body
    assert "本周共开放 50 小时，其中晚间（18:00 以后）2 小时。" in body


@time_machine.travel(at(2026, 12, 31, 10, 0), tick=False)
def test_hours_page_shows_special_day_note(client, db):
    make_regular_schedule()
    SpecialDay.objects.create(date=date(2027, 1, 1), is_closed=True, note="元旦闭馆")
    body = client.get("/hours/").content.decode()

    assert "元旦闭馆" in body
    assert "闭馆" in body


def test_a_second_regular_schedule_is_refused(db):
    from django.core.exceptions import ValidationError

    make_regular_schedule()
    with pytest.raises(ValidationError, match="已有常规时间表"):
        OpeningSchedule(name="另一个").full_clean()


def test_overlapping_seasons_are_refused(db):
    from django.core.exceptions import ValidationError

    make_summer()
    with pytest.raises(ValidationError, match="重叠"):
        OpeningSchedule(name="八月", valid_from=date(2026, 8, 1), valid_until=date(2026, 9, 10)).full_clean()


def test_special_day_needs_hours_or_closed(db):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="全天闭馆"):
        SpecialDay(date=date(2026, 12, 1), opens=time(9)).full_clean()


@time_machine.travel(at(2026, 6, 20, 10, 0), tick=False)
def test_hours_page_lists_the_coming_season_and_special_days(client, db):
    make_regular_schedule()
    make_summer(2026)
    SpecialDay.objects.create(date=date(2026, 10, 1), is_closed=True, note="国庆节闭馆")
    body = client.get("/hours/").content.decode()

    assert "暑期延时开放" in body and "2026-07-01 – 2026-08-31" in body
    assert "9:00–21:00" in body
    assert "国庆节闭馆" in body


# Cold, hours: 3 per calendar, 6 to keep each in the cache; the home page's parts (events of
# the week: 2, open questionnaires: 1, the campaign: 1) and 6 to keep them; never one per row;
# the home page adds 7 to look up and store its anonymous copy. Warm, the hours come from the
# cache: /hours/ reads only what changes ahead (3), the home page is served whole, no query.
LIMITS = {"/": (34, 0), "/hours/": (22, 3)}


@pytest.mark.parametrize("path", LIMITS)
@time_machine.travel(datetime(2026, 11, 27, 10, 30, tzinfo=SHANGHAI), tick=False)
def test_pages_with_hours_use_a_fixed_number_of_queries(client, db, path, django_assert_max_num_queries):
    make_regular_schedule()
    for year in (2026, 2027):
        make_summer(year)
    for day in range(1, 20):
        SpecialDay.objects.create(date=date(2026, 12, day), is_closed=True, note="检修")
    cold, warm = LIMITS[path]
    with django_assert_max_num_queries(cold):
        client.get(path)
    with django_assert_max_num_queries(warm):
        assert "9:00" in client.get(path).content.decode()
