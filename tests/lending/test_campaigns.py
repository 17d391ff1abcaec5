import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from lending import campaigns, services
from lending.models import Campaign, CheckIn, Enrolment
from tests.conftest import make_book, make_dependant, make_staff, make_villager

pytestmark = pytest.mark.django_db

NOW = datetime(2024, 7, 20, 19, 30, tzinfo=ZoneInfo("Asia/Shanghai"))
TODAY = NOW.date()


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def campaign(db):
    return Campaign.objects.create(
        slug="shuxiang",
        title="书香伴我行",
        starts_on=date(2024, 7, 1),
        ends_on=date(2024, 8, 31),
        goal_days=21,
        rules="每天读书打卡。",
    )


def url(campaign, suffix=""):
    return f"/library/campaigns/{campaign.slug}/{suffix}"


def enrol(campaign, *members):
    for member in members:
        Enrolment.objects.create(campaign=campaign, member=member)


def log(client, campaign, member, **fields):
    data = {"member": member.pk, "day": TODAY.isoformat(), "book_title": "草房子", "minutes": 30, **fields}
    return client.post(url(campaign, "checkin/"), data, follow=True)


def test_guardian_enrols_self_and_child_as_a_family(villager_client, villager, campaign):
    child = make_dependant(villager)
    response = villager_client.post(url(campaign, "enrol/"), {"members": [villager.pk, child.pk]}, follow=True)
    assert "已有 2 人加入活动" in response.content.decode()
    assert set(campaign.enrolments.values_list("member__name", flat=True)) == {"王建华", "王小雨"}
    assert campaigns.campaign_statistics(campaign)["families"] == 1


def test_only_one_counted_day_per_person_per_day(villager_client, villager, campaign):
    enrol(campaign, villager)
    first = log(villager_client, campaign, villager)
    second = log(villager_client, campaign, villager, minutes=40, book_title="边城")
    assert "打卡成功" in first.content.decode()
    assert "当天已经打过卡" in second.content.decode()
    progress = campaigns.progress_for(campaign, [villager])[0]
    assert progress.day_count == 1 and progress.minutes == 70 and progress.books == {"草房子", "边城"}
    assert CheckIn.objects.filter(counted=True).count() == 1


def test_the_database_refuses_a_second_counted_check_in(villager, campaign):
    from django.db import IntegrityError

    CheckIn.objects.create(campaign=campaign, member=villager, day=TODAY, book_title="a", minutes=10)
    with pytest.raises(IntegrityError):
        CheckIn.objects.create(campaign=campaign, member=villager, day=TODAY, book_title="b", minutes=10)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"day": (TODAY + timedelta(days=1)).isoformat()}, "最多补打 2 天"),
        ({"day": (TODAY - timedelta(days=3)).isoformat()}, "最多补打 2 天"),
        ({"day": "2024-06-30"}, "最多补打 2 天"),
        ({"minutes": 0}, "1"),
        ({"minutes": 5000}, "240"),
        ({"minutes": "很多"}, "整数"),
        ({"minutes": 150}, "请勾选确认"),
        ({"reflection": "很好看"}, "至少需要 20 个字"),
        ({"book_title": ""}, "这个字段是必填项"),
    ],
)
def test_cheating_and_nonsense_are_refused_with_a_message(villager_client, villager, campaign, fields, message):
    enrol(campaign, villager)
    response = log(villager_client, campaign, villager, **fields)
    assert message in response.content.decode()
    assert not CheckIn.objects.exists()


def test_late_logs_within_the_limit_and_long_reads_when_confirmed(villager_client, villager, campaign):
    enrol(campaign, villager)
    log(villager_client, campaign, villager, day=(TODAY - timedelta(days=2)).isoformat())
    log(villager_client, campaign, villager, minutes=150, confirm_long="on")
    assert CheckIn.objects.filter(counted=True).count() == 2


def test_a_guardian_checks_in_only_for_their_own_household(villager_client, villager, other_villager, campaign):
    child = make_dependant(villager)
    enrol(campaign, child, other_villager)
    assert "打卡成功" in log(villager_client, campaign, child).content.decode()
    refused = log(villager_client, campaign, other_villager)
    assert "请选择已参加活动的家庭成员" in refused.content.decode()
    assert not CheckIn.objects.filter(member=other_villager).exists()


def test_a_loan_at_the_desk_checks_the_reader_in(villager, campaign):
    enrol(campaign, villager)
    for title in ("草房子", "边城"):
        services.loan_checkout(barcode=make_book(title).copies.get().barcode, member=villager, by=None)
    rows = CheckIn.objects.filter(member=villager).order_by("pk")
    assert [(c.source, c.counted, c.book_title) for c in rows] == [("desk", True, "草房子"), ("desk", False, "边城")]


def test_streaks_and_badges_across_gaps():
    d = date(2024, 7, 1)
    days = [d + timedelta(days=n) for n in (0, 1, 2, 5, 6, 7, 8, 9, 10, 11, 19)]
    assert campaigns.streaks(days, today=d + timedelta(days=19)) == (1, 7)
    assert campaigns.streaks(days, today=d + timedelta(days=20)) == (1, 7)
    assert campaigns.streaks(days, today=d + timedelta(days=21)) == (0, 7)
    assert campaigns.streaks([], today=d) == (0, 0)


def test_progress_page_shows_days_streak_badges_and_calendar(villager_client, villager, campaign):
    enrol(campaign, villager)
    for n in range(8):
        CheckIn.objects.create(
            campaign=campaign, member=villager, day=TODAY - timedelta(days=n), book_title="书", minutes=30
        )
    body = villager_client.get(url(campaign)).content.decode()
    assert "已打卡 8 / 21 天" in body and "连续 8 天（最长 8 天）" in body
    assert "🏅 7 天" in body and "14 天" not in body
    assert body.count('class="is-checked"') == 8


def test_leaderboard_masks_names_and_filters_by_village_and_age(client, campaign):
    old = make_villager(name="张秀明", village="xidamo", birth_year=1950)
    young = make_villager(name="李雨", village="yanjiatai", birth_year=2016)
    enrol(campaign, old, young)
    CheckIn.objects.create(campaign=campaign, member=old, day=TODAY, book_title="书", minutes=30)
    body = client.get(url(campaign)).content.decode()
    assert "张*明" in body and "李*" in body and "张秀明" not in body
    elderly = client.get(url(campaign), {"age": "elderly"}).content.decode()
    assert "张*明" in elderly and "李*" not in elderly
    village = client.get(url(campaign), {"village": "yanjiatai"}).content.decode()
    assert "李*" in village and "张*明" not in village


def test_reflections_reach_the_wall_only_when_shared_and_approved(client, staff_client, villager, campaign):
    enrol(campaign, villager)
    text = "<script>alert(1)</script>今天读了草房子，桑桑的故事让我想起了自己的童年。"
    shared = CheckIn.objects.create(
        campaign=campaign, member=villager, day=TODAY, book_title="草房子", minutes=30, reflection=text, share=True
    )
    CheckIn.objects.create(
        campaign=campaign,
        member=villager,
        day=TODAY,
        counted=False,
        book_title="边城",
        minutes=30,
        reflection="这是我自己的心得，不想公开给别人看，谢谢理解。",
        share=False,
    )
    assert "桑桑" not in client.get(url(campaign)).content.decode()  # pending

    staff_client.post(url(campaign, "moderation/"), {"checkin": shared.pk, "action": "approve"})
    wall = client.get(url(campaign)).content.decode()
    assert "桑桑" in wall and "&lt;script&gt;" in wall and "<script>alert(1)" not in wall
    assert "不想公开" not in wall

    refused = staff_client.post(url(campaign, "moderation/"), {"checkin": shared.pk, "action": "hide"}, follow=True)
    assert "请填写隐藏原因" in refused.content.decode()
    staff_client.post(url(campaign, "moderation/"), {"checkin": shared.pk, "action": "hide", "reason": "含代码"})
    assert "桑桑" not in client.get(url(campaign)).content.decode()


def test_villagers_cannot_moderate_or_see_statistics(villager_client, campaign):
    assert villager_client.get(url(campaign, "moderation/")).status_code == 403
    assert villager_client.get(url(campaign, "statistics/")).status_code == 403
    assert villager_client.get(url(campaign, "statistics.csv")).status_code == 403


def test_certificate_only_when_the_goal_is_reached_and_only_for_the_household(
    client, villager, other_villager, campaign
):
    enrol(campaign, villager, other_villager)
    for n in range(21):
        day = campaign.starts_on + timedelta(days=n)
        CheckIn.objects.create(campaign=campaign, member=villager, day=day, book_title=f"书{n % 4}", minutes=30)
        CheckIn.objects.create(campaign=campaign, member=other_villager, day=day, book_title="书", minutes=30)
    short = make_villager(name="赵国庆")
    enrol(campaign, short)

    client.force_login(villager.user)
    page = client.get(url(campaign, f"certificate/{villager.pk}/"))
    assert page.status_code == 200
    assert "王建华" in page.content.decode() and "21 天" in page.content.decode()
    assert client.get(url(campaign, f"certificate/{other_villager.pk}/")).status_code == 404
    client.force_login(short.user)
    assert client.get(url(campaign, f"certificate/{short.pk}/")).status_code == 404


def test_statistics_match_the_rows_and_export(staff_client, campaign):
    people = [make_villager(birth_year=year) for year in (2015, 1990, 1950)]
    enrol(campaign, *people)
    for n in range(21):
        CheckIn.objects.create(
            campaign=campaign, member=people[0], day=campaign.starts_on + timedelta(days=n), book_title="书", minutes=10
        )
    CheckIn.objects.create(campaign=campaign, member=people[1], day=TODAY, book_title="另一本", minutes=25)
    stats = campaigns.campaign_statistics(campaign)
    assert (stats["participants"], stats["checkins"], stats["minutes"], stats["books"], stats["reached_goal"]) == (
        3,
        22,
        235,
        2,
        1,
    )
    page = staff_client.get(url(campaign, "statistics/")).content.decode()
    assert "<svg" in page and "儿童（12岁以下）: 1" in page
    csv_text = staff_client.get(url(campaign, "statistics.csv")).content.decode("utf-8-sig")
    assert csv_text.count("\n") == 4 and ",21,210,1,21,是" in csv_text


def test_campaign_page_query_count_is_fixed(villager_client, villager, campaign, django_assert_max_num_queries):
    child = make_dependant(villager)
    enrol(campaign, villager, child)
    for n in range(30):
        member = make_villager()
        enrol(campaign, member)
        CheckIn.objects.create(
            campaign=campaign,
            member=member,
            day=TODAY - timedelta(days=n % 10),
            book_title="书",
            minutes=20,
            reflection="这本书真好看，我很喜欢里面的故事和人物。",
            share=True,
            moderation="approved",
        )
    with django_assert_max_num_queries(23):  # 6 to keep the standings in the cache, 1 for the header's notices
        villager_client.get(url(campaign))
    with django_assert_max_num_queries(17):  # then found in the cache
        villager_client.get(url(campaign))


def test_withdrawing_leaves_the_leaderboard(villager_client, villager, campaign):
    enrol(campaign, villager)
    enrolment = Enrolment.objects.get()
    villager_client.post(f"/library/enrolments/{enrolment.pk}/withdraw/")
    enrolment.refresh_from_db()
    assert enrolment.withdrawn_at is not None
    assert "王*华" not in villager_client.get(url(campaign)).content.decode()


def test_leaving_a_campaign_asks_once_and_says_what_is_kept(villager_client, villager, campaign):
    enrol(campaign, villager)
    enrolment = Enrolment.objects.get()
    CheckIn.objects.create(campaign=campaign, member=villager, day=TODAY, book_title="书", minutes=20)
    page = villager_client.get(f"/library/enrolments/{enrolment.pk}/withdraw/").content.decode()
    assert "退出“书香伴我行”？" in page and "已打卡的 1 天会保留" in page
    enrolment.refresh_from_db()
    assert enrolment.withdrawn_at is None

    response = villager_client.post(f"/library/enrolments/{enrolment.pk}/withdraw/", follow=True)
    assert "王建华 已退出活动" in response.content.decode()
    enrolment.refresh_from_db()
    assert enrolment.withdrawn_at is not None


def test_another_households_enrolment_cannot_be_left_for_them(client, campaign, other_villager):
    enrol(campaign, other_villager)
    stranger = make_villager(name="赵六")
    client.force_login(stranger.user)
    enrolment = Enrolment.objects.get()
    assert client.get(f"/library/enrolments/{enrolment.pk}/withdraw/").status_code == 404
    assert client.post(f"/library/enrolments/{enrolment.pk}/withdraw/").status_code == 404


def test_the_campaign_page_puts_todays_check_in_before_the_folded_calendars(villager_client, villager, campaign):
    child = make_dependant(villager)
    partner = make_dependant(villager, name="李梅", birth_year=1988)
    enrol(campaign, villager, child, partner)
    CheckIn.objects.create(campaign=campaign, member=child, day=TODAY, book_title="书", minutes=20)
    page = villager_client.get(url(campaign)).content.decode()

    assert page.index("今日打卡") < page.index("reading-calendar") < page.index("排行榜")
    assert page.count('<details class="card card-body mb-3 progress-card"') == 3
    assert page.count('progress-card" open') == 1  # only my own calendar is open
    assert f"checkin/?member={villager.pk}" in page and f"checkin/?member={child.pk}" not in page
    assert "今天已打卡" in page
    assert f'href="/library/enrolments/{Enrolment.objects.get(member=child).pk}/withdraw/"' in page


def test_withdrawing_records_who_did_it_for_the_admin(villager_client, villager, campaign):
    enrol(campaign, villager)
    enrolment = Enrolment.objects.get()
    villager_client.post(f"/library/enrolments/{enrolment.pk}/withdraw/")
    enrolment.refresh_from_db()
    assert enrolment.withdrawn_by == villager.user

    villager_client.force_login(make_staff())
    page = villager_client.get("/admin/lending/enrolment/").content.decode()
    assert "退出操作人" in page and "王建华" in page


def test_the_calendar_is_a_table_per_month_with_weekday_headings(villager_client, villager, campaign):
    enrol(campaign, villager)
    for day in (3, 31):
        CheckIn.objects.create(campaign=campaign, member=villager, day=date(2024, 7, day), book_title="书", minutes=30)

    page = villager_client.get(url(campaign)).content.decode()

    assert page.count('<table class="reading-calendar">') == 2  # July and August
    assert page.count('class="is-checked"') == 2  # 31 July not again in August's first week
    assert "<caption>2024年7月</caption>" in page and "<caption>2024年8月</caption>" in page
    headings = re.findall(
        r'<th scope="col"><span aria-hidden="true">(.)</span><span class="visually-hidden">(..)</span>', page
    )
    assert headings[:7] == [
        ("一", "周一"),
        ("二", "周二"),
        ("三", "周三"),
        ("四", "周四"),
        ("五", "周五"),
        ("六", "周六"),
        ("日", "周日"),
    ]
    # 1 July 2024 was a Monday, so the 3rd is in the third column of the first row
    first_row = re.search(r"<tbody><tr>(.*?)</tr>", page).group(1)
    assert re.findall(r"<td[^>]*>(\d+)", first_row)[:3] == ["1", "2", "3"]
    assert '<td class="is-checked">3<span class="visually-hidden"> ✓ 已打卡</span>' in page


def test_more_days_than_the_goal_fill_the_bar_and_say_the_real_number(villager_client, villager, campaign):
    enrol(campaign, villager)
    for n in range(25):
        CheckIn.objects.create(
            campaign=campaign, member=villager, day=campaign.starts_on + timedelta(days=n), book_title="书", minutes=5
        )

    page = villager_client.get(url(campaign)).content.decode()

    assert re.search(r'<progress [^>]*value="21" max="21"[^>]*>已打卡 25 / 21 天</progress>', page)


def test_the_statistics_chart_has_its_figures_in_a_table(staff_client, campaign, villager):
    enrol(campaign, villager)
    CheckIn.objects.create(campaign=campaign, member=villager, day=date(2024, 7, 2), book_title="书", minutes=5)

    page = staff_client.get(url(campaign, "statistics/")).content.decode()

    table = re.search(r"<details class=\"mt-2\">.*?</details>", page, re.S).group(0)
    assert '<caption class="visually-hidden">每日打卡人数</caption>' in table
    assert '<th scope="col">日期</th>' in table
    assert '<tr><th scope="row">07-02</th><td class="text-end">1</td></tr>' in table
    assert '<tr><th scope="row">07-01</th><td class="text-end">0</td></tr>' in table
