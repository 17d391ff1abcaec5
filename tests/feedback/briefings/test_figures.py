"""Each section's figures against data made for the test."""

from datetime import date, time, timedelta

import pytest

from culturecenter.models import OpeningPeriod, OpeningSchedule
from feedback.briefings import document
from feedback.models import Need
from lending.models import Loan
from tests.conftest import make_book, make_regular_schedule, make_villager
from tests.feedback.briefings.conftest import draft, held

pytestmark = pytest.mark.django_db


def figures(briefing):
    return document.figures_by_key(document.snapshot(briefing))


def test_a_person_counts_once_per_event_ticket_or_walk_in_and_cancelled_events_not_at_all(march, author):
    shown = figures(draft(author))
    assert shown["overview.held"]["value"] == 2
    assert shown["overview.visits"]["value"] == 5  # 甲 twice, 乙, 丁 (walk-in), 戊; not 丙 (no-show)
    assert shown["overview.people"]["value"] == 4
    assert shown["overview.held"]["last_year"] == "1"
    assert shown["overview.visits"]["last_year"] == "1"


def test_satisfaction_counts_the_evaluations_of_events_held_and_marks_a_small_n(march, author):
    shown = figures(draft(author))
    satisfaction = shown["evaluation.satisfaction"]
    assert satisfaction["display"] == "66.7%"  # 5 and 4 of 5, 4, 2; the cancelled event's 1 left out
    assert satisfaction["n"] == 3
    assert satisfaction["small_n"] is True
    assert shown["evaluation.coverage"]["display"] == "50.0%"


def test_an_empty_period_says_no_data_never_zero_percent(march, author):
    shown = figures(draft(author, first=date(2026, 6, 1), last=date(2026, 6, 30)))
    assert shown["overview.held"]["value"] == 0
    assert shown["evaluation.satisfaction"]["display"] == "无数据"
    assert shown["evaluation.coverage"]["display"] == "无数据"
    assert shown["needs.answered"]["display"] == "无数据"


def test_activities_by_category_venue_village_and_special_groups(march, author):
    data = document.snapshot(draft(author))
    tables = document.tables_by_key(data)
    assert sorted(tables["activities.categories"]["rows"]) == [["阅读分享", 1, 2, 2], ["非遗体验", 1, 3, 3]]
    assert tables["activities.villages"]["rows"] == [["黄安坨", 1, 2]]
    shown = document.figures_by_key(data)
    assert shown["activities.village"]["value"] == 1
    assert shown["activities.elderly"]["value"] == 1  # 掐丝珐琅 was for the elderly
    assert shown["activities.elderly"]["note"] == "2人次，1人"  # 甲, born 1950, came to both
    assert shown["activities.minors"]["note"] == "1人次，1人"  # 丁, born 2015, walked in
    events = tables["activities.events"]["rows"]
    assert [row[1] for row in events] == ["掐丝珐琅", "读书会"]
    assert events[0][4:] == [3, 1, 3, 2]  # person-times, walk-ins, evaluations, satisfied


def test_the_pace_of_the_year_compares_this_year_so_far_with_the_target(march, author):
    shown = figures(draft(author))
    ytd = shown["overview.ytd"]
    assert ytd["value"] == 2
    assert ytd["status"] == "behind"  # 52 a year: about 12 by the end of March
    assert "52" in ytd["target"]


def test_needs_received_answered_and_open_for_more_than_thirty_days(march, author):
    import time_machine

    poster = make_villager(name="庚")
    with time_machine.travel(date(2026, 3, 2), tick=False):
        old = Need.objects.create(posted_by=poster, category="arts", village="xidamo", text="书法班")
    with time_machine.travel(date(2026, 3, 25), tick=False):
        Need.objects.create(
            posted_by=poster, category="arts", village="xidamo", text="舞蹈", state=Need.State.REVIEWING
        )
    data = document.snapshot(draft(author))
    shown = document.figures_by_key(data)
    assert shown["needs.received"]["value"] == 2
    assert shown["needs.answered"]["display"] == "50.0%"
    assert shown["needs.overdue"]["value"] == 0  # at 31 March the oldest is 29 days old
    april = document.snapshot(draft(author, first=date(2026, 4, 1), last=date(2026, 4, 30)))
    assert document.figures_by_key(april)["needs.overdue"]["value"] == 2
    assert document.tables_by_key(april)["needs.overdue"]["rows"][0][0] == old.pk


def test_demand_outrunning_supply_comes_first(march, author, people):
    from tests.conftest import sign_up

    full = held("书法班", date(2026, 3, 15), category="arts", capacity=1)
    sign_up(full, people["乙"])
    sign_up(full, people["丙"], status="waiting")
    data = document.snapshot(draft(author))
    rows = document.tables_by_key(data)["supply.categories"]["rows"]
    assert rows[0][0] == "文艺培训"
    assert rows[0][4:6] == [1, 1]  # one waiting, one full event
    assert rows[0][-1] == "是"
    assert data["sections"][3]["charts"], "a chart of demand beside supply"


def test_open_hours_a_week_and_the_evening_share_from_the_timetable(author):
    make_regular_schedule()  # Tuesday to Sunday 9–17: 48 h a week, no evening
    summer = OpeningSchedule.objects.create(name="暑期", valid_from=date(2026, 7, 1), valid_until=date(2026, 8, 31))
    OpeningPeriod.objects.bulk_create(
        OpeningPeriod(schedule=summer, weekday=day, opens=time(9), closes=time(21)) for day in range(1, 7)
    )
    march = figures(draft(author, first=date(2026, 3, 2), last=date(2026, 3, 29)))  # four whole weeks
    assert march["venues.per_week"]["display"] == "48小时"
    assert march["venues.evening_share"]["display"] == "0.0%"
    assert march["venues.evening_share"]["status"] == "behind"
    july = figures(draft(author, first=date(2026, 7, 6), last=date(2026, 8, 2)))
    assert july["venues.per_week"]["value"] == 72
    assert july["venues.evening_share"]["display"] == "25.0%"  # 18–21 of 9–21
    assert july["venues.staggered_share"]["value"] > july["venues.evening_share"]["value"]


def test_without_a_timetable_the_open_hours_say_no_data(author):
    assert figures(draft(author))["venues.per_week"]["display"] == "无数据"


def test_loans_and_active_readers(author):
    reader, other = make_villager(name="辛"), make_villager(name="壬")
    copies = [make_book(f"书{n}").copies.get() for n in range(3)]
    from datetime import datetime
    from zoneinfo import ZoneInfo

    at = datetime(2026, 3, 10, 10, tzinfo=ZoneInfo("Asia/Shanghai"))
    for copy, member in zip(copies, [reader, reader, other], strict=True):
        Loan.objects.create(copy=copy, member=member, loaned_at=at, due_date=at.date() + timedelta(days=30))
    shown = figures(draft(author))
    assert shown["reading.loans"]["value"] == 3
    assert shown["reading.readers"]["value"] == 2


def test_a_year_is_computed_with_a_fixed_number_of_queries(march, author, django_assert_max_num_queries):
    year = draft(author, first=date(2026, 1, 1), last=date(2026, 11, 30))
    with django_assert_max_num_queries(55) as small:  # about five a section
        document.snapshot(year)
    for n in range(20):
        held(f"加场{n}", date(2026, 5, 1) + timedelta(days=n), category="arts")
    with django_assert_max_num_queries(len(small.captured_queries)):
        document.snapshot(year)


def test_the_targets_are_settings_a_center_changes_without_code(march, author):
    from feedback.models import BriefingTargets

    targets = BriefingTargets.current()
    assert (targets.open_hours_per_week, targets.activities_per_year, targets.satisfaction_percent) == (42, 52, 90)
    targets.activities_per_year, targets.satisfaction_percent = 8, 60
    targets.save()
    shown = figures(draft(author))
    assert shown["overview.ytd"]["target"].startswith("全年8场")
    assert shown["overview.ytd"]["status"] == "ok"  # 2 held by the end of March, pace 2
    assert shown["overview.satisfaction"]["status"] == "ok"  # 66.7% ≥ 60%


def test_room_use_by_room_and_hosted_meetings_come_from_the_calendar(author):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from activities.models import Booking, HostedRecord, Occupancy, Venue

    at = datetime(2026, 3, 10, 9, tzinfo=ZoneInfo("Asia/Shanghai"))
    hall = Venue.objects.create(name="多功能厅", kind=Venue.Kind.ROOM, in_center=True)
    meeting = Booking.objects.create(
        venue=hall,
        title="镇人大会议",
        organiser="清水镇政府",
        purpose=Booking.Purpose.HOSTED_MEETING,
        starts_at=at,
        ends_at=at + timedelta(hours=3),
    )
    HostedRecord.objects.create(booking=meeting, attendance=80, summary="会议")
    for kind, starts, hours, booking in [("booking", at, 3, meeting), ("closure", at + timedelta(days=1), 8, None)]:
        Occupancy.objects.create(
            venue=hall,
            kind=kind,
            title="占用",
            starts_at=starts,
            ends_at=starts + timedelta(hours=hours),
            blocked_from=starts,
            blocked_until=starts + timedelta(hours=hours),
            booking=booking,
        )
    data = document.snapshot(draft(author))
    shown = document.figures_by_key(data)
    assert shown["venues.room_hours"]["value"] == 3  # the closure is not use
    room = document.tables_by_key(data)["venues.rooms"]["rows"][0]
    assert room[0] == "多功能厅" and room[-2] == 3
    assert shown["activities.hosted"]["value"] == 1
    assert shown["activities.hosted"]["note"] == "记录参加80人"


def test_volunteer_hours_count_only_approved_entries_not_replaced_by_a_correction(author, people):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from activities.models import HoursEntry, Shift, ShiftRole, ShiftSignup, Volunteer

    at = datetime(2026, 3, 10, 9, tzinfo=ZoneInfo("Asia/Shanghai"))
    one = Volunteer.objects.create(member=people["乙"], village="xidamo", status="accepted", decided_at=at)
    two = Volunteer.objects.create(member=people["丙"], village="yanjiatai", status="accepted", decided_at=at)
    Volunteer.objects.create(member=people["戊"], village="xidamo", status="pending")

    def entry(volunteer, minutes, status="approved", **fields):
        fields.setdefault("kind", "attendance")
        if status != "pending":
            fields["decided_at"] = at
        return HoursEntry.objects.create(
            volunteer=volunteer,
            minutes=minutes,
            status=status,
            service_date=date(2026, 3, 10),
            content="引导",
            **fields,
        )

    wrong = entry(one, 600)
    entry(one, 120, kind="correction", reason="签退时间记错", corrects=wrong)
    entry(two, 60)
    entry(two, 90, status="pending", kind="self_reported", reason="补报")
    entry(two, 30, status="rejected", kind="self_reported", reason="补报")
    shift = Shift.objects.create(title="值班", kind="duty", starts_at=at, ends_at=at + timedelta(hours=3))
    role = ShiftRole.objects.create(shift=shift, name="引导")
    ShiftSignup.objects.create(shift=shift, role=role, volunteer=one, status="confirmed", checked_in_at=at)
    ShiftSignup.objects.create(shift=shift, role=role, volunteer=two, status="confirmed", no_show=True)
    data = document.snapshot(draft(author))
    shown = document.figures_by_key(data)
    assert shown["teams.volunteers"]["value"] == 2
    assert shown["teams.hours"]["value"] == 3  # 120 + 60 minutes: the corrected 600 and the others left out
    assert shown["teams.active"]["value"] == 2
    assert shown["teams.pending"]["value"] == 1
    assert shown["teams.shifts"]["value"] == 1 and shown["teams.no_shows"]["value"] == 1
    assert document.tables_by_key(data)["teams.hours_by_village"]["rows"] == [["西达摩", 2, 1], ["燕家台", 1, 1]]
    assert [s["number"] for s in data["sections"]] == [1, 2, 3, 4, 5, 6, 7, 8, 9]


def test_teams_count_memberships_running_on_the_last_day_against_the_target(author, people):
    from activities.models import Team, TeamMembership

    dance = Team.objects.create(name="广场舞队", slug="dance")
    drums = Team.objects.create(name="太平鼓队", slug="drums")
    TeamMembership.objects.create(team=dance, member=people["甲"], joined_on=date(2025, 5, 1))
    TeamMembership.objects.create(team=dance, member=people["乙"], joined_on=date(2026, 3, 20))
    TeamMembership.objects.create(team=drums, member=people["丙"], joined_on=date(2025, 1, 1), left_on=date(2026, 2, 1))
    shown = figures(draft(author))
    assert shown["teams.teams"]["value"] == 1  # the drum team had no member left by 31 March
    assert shown["teams.teams"]["status"] == "behind" and shown["teams.teams"]["target"] == "≥ 6"
    assert shown["teams.members"]["value"] == 2
    assert shown["teams.course_attendance"]["display"] == "无数据"


def test_publicity_counts_news_published_in_the_period(author):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from activities.models import Article

    at = datetime(2026, 3, 8, 9, tzinfo=ZoneInfo("Asia/Shanghai"))
    for slug, status, when in [
        ("a", "published", at),
        ("b", "approved", None),
        ("c", "published", at.replace(month=5)),
    ]:
        Article.objects.create(title=slug, slug=slug, summary="摘要", body="正文", status=status, published_at=when)
    data = document.snapshot(draft(author))
    assert document.figures_by_key(data)["publicity.news"]["value"] == 1
    assert document.tables_by_key(data)["publicity.news"]["rows"] == [["2026-03-08", "a"]]
