import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from lending.models import Campaign, CheckIn
from tests.conftest import make_dependant, make_staff, make_villager
from tests.e2e.conftest import ARTIFACTS, log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

REFLECTION = "今天和爸爸一起读了草房子，桑桑剃了光头的样子太好笑了，我也想有这样的朋友。"


def test_family_enrols_checks_the_child_in_and_the_reflection_reaches_the_wall(phone, browser, live_server):
    today = timezone.localdate()
    campaign = Campaign.objects.create(
        slug="winter",
        title="书香伴我行 · 冬日共读",
        starts_on=today - timedelta(days=10),
        ends_on=today + timedelta(days=30),
        goal_days=21,
        rules="每天读书打卡。",
    )
    guardian = make_villager()
    make_dependant(guardian, name="王小雨")
    log_in(phone, guardian.mobile)

    phone.goto(campaign.get_absolute_url())
    phone.get_by_label("王建华").check()
    phone.get_by_label("王小雨").check()
    phone.get_by_role("button", name="参加活动").click()
    expect(phone.get_by_text("已有 2 人加入活动")).to_be_visible()

    phone.get_by_role("link", name="今日打卡").click()
    phone.get_by_label(re.compile("谁读的书")).select_option(label="王小雨")
    phone.locator("#id_book_title").fill("草房子")
    phone.locator("#id_minutes").fill("40")
    phone.locator("#id_reflection").fill(REFLECTION)
    phone.locator("#id_share").check()
    phone.get_by_role("button", name="打卡").click()
    expect(phone.get_by_text("王小雨").first).to_be_visible()
    expect(phone.get_by_text("今天已打卡")).to_be_visible()
    phone.locator("summary", has_text="王小雨").click()  # the child's calendar is folded
    expect(phone.get_by_text("连续 1 天（最长 1 天）")).to_be_visible()
    phone.screenshot(path=str(ARTIFACTS / "campaign-phone.png"), full_page=True)
    expect(phone.locator(".reflection")).to_have_count(0)

    staff = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=live_server.url).new_page()
    make_staff("librarian", "图书管理员")
    log_in(staff, "librarian")
    staff.goto(f"{campaign.get_absolute_url()}moderation/")
    staff.get_by_role("button", name="公开展示").click()
    assert CheckIn.objects.get().moderation == "approved"

    phone.reload()
    expect(phone.locator(".reflection")).to_contain_text("桑桑剃了光头")
    expect(phone.locator(".reflection")).to_contain_text("王*雨")
