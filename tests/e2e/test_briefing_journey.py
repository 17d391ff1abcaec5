import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from culturecenter import roles
from feedback.models import Evaluation
from tests.conftest import make_event, make_staff, make_villager, sign_up
from tests.e2e.conftest import ARTIFACTS, log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_staff_draft_a_briefing_a_reviewer_signs_it_off_and_villagers_read_it(phone, browser, live_server):
    held = make_event(title="剪纸体验", starts_in=-timedelta(days=2), category="handicraft")
    for name in ("甲", "乙"):
        sign_up(held, make_villager(name=name), checked_in_at=held.starts_at)
    Evaluation.objects.create(event=held, rating=5)
    make_staff("staff", roles.STAFF)
    make_staff("reviewer", roles.REVIEWER)
    today = timezone.localdate()

    staff = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=live_server.url).new_page()
    log_in(staff, "staff")
    staff.goto("/feedback/briefings/")
    staff.get_by_role("link", name="新建简报").click()
    staff.get_by_label("任意起止日期").check()
    staff.get_by_label("起始日期").fill((today - timedelta(days=10)).isoformat())
    staff.get_by_label("截止日期").fill(today.isoformat())
    staff.get_by_label("标题").fill("近十天")
    staff.get_by_role("button", name="起草简报").click()
    expect(staff.get_by_text("草稿：每次打开本页都按最新记录重新计算数据")).to_be_visible()
    expect(staff.locator("#f-overview\\.visits")).to_contain_text("2人次")
    staff.get_by_role("textbox", name="总体情况").fill("近十天开展剪纸体验一场，两位村民参加。")
    staff.get_by_role("button", name="保存文字").click()
    expect(staff.get_by_text("文字已保存")).to_be_visible()
    expect(staff.get_by_text("这期简报是您撰写的")).to_have_count(0)

    reviewer = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=live_server.url).new_page()
    log_in(reviewer, "reviewer")
    reviewer.goto(staff.url)
    reviewer.get_by_role("button", name="签发").click()
    expect(reviewer.get_by_text(re.compile(r"已签发为\d{4}年第1期"))).to_be_visible()
    reviewer.screenshot(path=str(ARTIFACTS / "briefing-signed.png"), full_page=True)
    reviewer.get_by_role("link", name="打印页").click()
    expect(reviewer.get_by_text("工作简报")).to_be_visible()
    reviewer.screenshot(path=str(ARTIFACTS / "briefing-print.png"), full_page=True)

    phone.goto("/briefings/")
    phone.get_by_role("link", name=re.compile("近十天")).click()
    expect(phone.get_by_text("近十天开展剪纸体验一场，两位村民参加。")).to_be_visible()
