"""Staff book a weekly practice with one date taken, on a phone and on a desk screen; a team
leader asks for a room and is told when staff approve."""

from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from activities import services
from activities.models import Booking, Venue
from culturecenter import roles
from culturecenter.models import Notice
from tests.conftest import make_regular_schedule, make_staff, make_villager
from tests.e2e.conftest import ARTIFACTS, log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def next_wednesday():
    today = timezone.localdate()
    return today + timedelta(days=(2 - today.weekday()) % 7 or 7)


def scene():
    make_regular_schedule([(day, time(9), time(21)) for day in range(1, 7)])
    dance = Venue.objects.create(name="舞蹈排练室", capacity=25, equipment="镜墙、音响")
    staff = make_staff("staff", roles.STAFF)
    first = next_wednesday()
    taken = first + timedelta(weeks=1)
    services.booking_create(
        venue=dance, starts_at=timezone.make_aware(datetime.combine(taken, time(18))),
        ends_at=timezone.make_aware(datetime.combine(taken, time(20))), by=staff, title="少儿舞蹈课",
        organiser="文化中心",
    )  # fmt: skip
    return dance, first, taken


@pytest.mark.parametrize("width", [390, 1280])
def test_staff_book_a_weekly_practice_skipping_the_date_already_taken(browser, live_server, width):
    dance, first, taken = scene()
    context = browser.new_context(viewport={"width": width, "height": 900}, base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(10_000)
    log_in(page, "staff")

    page.goto("/activities/rooms/")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"rooms-calendar-{width}.png"))
    page.get_by_role("link", name="预约房间").click()
    page.locator("#id_venue").select_option(label="舞蹈排练室")
    page.locator("#id_title").fill("广场舞队排练")
    page.locator("#id_purpose").select_option(label="队伍排练")
    page.locator("#id_organiser").fill("广场舞队")
    page.locator("#id_organiser_kind").select_option(label="队伍")
    page.get_by_label("日期*").fill(first.isoformat())
    page.get_by_label("开始时间*").fill("19:00")
    page.get_by_label("结束时间*").fill("21:00")
    page.get_by_label("每周重复，直到").fill((first + timedelta(weeks=3)).isoformat())
    page.get_by_role("button", name="检查并预约").click()

    preview = page.locator(".series-preview")
    expect(preview.locator("li")).to_have_count(4)
    expect(preview).to_contain_text("少儿舞蹈课")
    expect(page.get_by_role("button", name="全部预约")).to_have_count(0)  # one date is taken
    page.screenshot(path=str(ARTIFACTS.mkdir(exist_ok=True) or ARTIFACTS / f"rooms-preview-{width}.png"))
    page.get_by_role("button", name="只预约空闲的3次").click()

    expect(page.get_by_text("已预约3次，跳过1次")).to_be_visible()
    assert Booking.objects.filter(title="广场舞队排练").count() == 3
    # The skipped date says why; it can be added back once it is free.
    expect(page.locator(".series-preview")).to_contain_text("少儿舞蹈课")
    expect(page.get_by_role("button", name=f"补约 {taken:%Y-%m-%d}")).to_have_count(0)
    page.goto(f"/activities/rooms/?day={first:%Y-%m-%d}")
    expect(page.locator(".room-grid")).to_contain_text("广场舞队排练")
    page.screenshot(path=str(ARTIFACTS / f"rooms-week-{width}.png"), full_page=True)


def test_a_team_leader_asks_for_a_room_and_is_told_of_the_approval(phone, browser, live_server):
    dance, first, _taken = scene()
    leader = make_villager(name="杨红", mobile="13900000002")
    leader.user.set_password("correct-horse-42")
    leader.user.save()
    page = phone

    log_in(page, leader.mobile)
    page.goto(f"/activities/rooms/{dance.pk}/")
    expect(page.get_by_text("少儿舞蹈课")).to_have_count(0)  # another week
    page.get_by_role("link", name="申请房间").click()
    page.locator("#id_venue").select_option(label="舞蹈排练室")
    page.locator("#id_title").fill("花信清水排练")
    page.locator("#id_purpose").select_option(label="彩排")
    page.locator("#id_organiser").fill("花信清水")
    page.locator("#id_organiser_kind").select_option(label="队伍")
    page.locator("#id_attendance").fill("18")
    page.locator("#id_day").fill(first.isoformat())
    page.locator("#id_starts").fill("14:00")
    page.locator("#id_ends").fill("16:00")
    page.get_by_role("button", name="提交申请").click()
    expect(page.get_by_text("已申请，待审批")).to_be_visible()

    staff = browser.new_context(viewport={"width": 390, "height": 844}, base_url=live_server.url).new_page()
    log_in(staff, "staff")
    staff.goto("/activities/rooms/requests/")
    staff.get_by_role("button", name="批准 · 花信清水排练").click()
    expect(staff.get_by_text("已批准并通知申请人")).to_be_visible()

    assert "花信清水排练" in Notice.objects.get(member=leader).text
    page.goto("/accounts/notices/")
    expect(page.get_by_text("花信清水排练")).to_be_visible()
