"""A villager applies, is accepted, signs up for Saturday duty, is checked in and out by staff,
and prints the volunteer-service certificate, which anyone can verify by its serial."""

import re
from datetime import datetime, time, timedelta

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from activities.models import Certificate, Shift, ShiftRole
from culturecenter import roles
from tests.conftest import make_staff, make_villager
from tests.e2e.conftest import ARTIFACTS, log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_villager_volunteers_on_saturday_duty_and_prints_the_record(browser, live_server):
    villager = make_villager(name="吴桂英", village="yanjiatai", birth_year=1958)
    make_staff("staff", roles.STAFF)
    saturday = timezone.localdate() + timedelta(days=(5 - timezone.localdate().weekday()) % 7 or 7)
    starts = timezone.make_aware(datetime.combine(saturday, time(14)))
    duty = Shift.objects.create(
        title="阅览室值班", kind="duty", place="文化中心阅览室", starts_at=starts, ends_at=starts + timedelta(hours=3)
    )
    ShiftRole.objects.create(shift=duty, name="值班", needed=2, is_critical=True)

    def phone():
        context = browser.new_context(viewport={"width": 390, "height": 844}, base_url=live_server.url)
        page = context.new_page()
        page.set_default_timeout(10_000)
        return page

    page, desk = phone(), phone()
    log_in(page, villager.mobile)
    page.goto("/accounts/me/")
    page.get_by_role("link", name="申请成为志愿者").click()
    page.get_by_label("朗读").check()
    page.get_by_label("周末").check()
    page.get_by_role("button", name="提交申请").click()
    expect(page.get_by_text("已收到 吴桂英 的申请")).to_be_visible()

    log_in(desk, "staff")
    desk.goto("/activities/volunteer/staff/")
    desk.get_by_role("button", name="录用 吴桂英", exact=True).click()
    expect(desk.get_by_text("吴桂英 的申请已处理")).to_be_visible()

    page.goto("/activities/volunteer/")
    page.get_by_role("link", name="阅览室值班").click()
    page.get_by_label("岗位").select_option(label="值班")
    page.get_by_role("button", name="报名 · 吴桂英").click()
    expect(page.get_by_text("吴桂英 已获得值班岗位")).to_be_visible()

    # On the day: staff tap her in at 13:52 and out at 17:10; she served the whole shift.
    with time_machine.travel(starts - timedelta(minutes=8)):
        desk.goto(duty.get_absolute_url())
        desk.get_by_role("button", name="签到 吴桂英", exact=True).click()
        expect(desk.get_by_text("✔ 吴桂英 签到成功")).to_be_visible()
    with time_machine.travel(starts + timedelta(hours=3, minutes=10)):
        desk.goto(duty.get_absolute_url())
        desk.get_by_role("button", name="签退 吴桂英").click()
        expect(desk.get_by_text("吴桂英 已签退：3.0 小时")).to_be_visible()

    page.goto("/accounts/me/volunteering/")
    expect(page.locator("main")).to_contain_text("已批准时长：3.0")
    page.get_by_role("button", name="打印证明").click()
    expect(page.get_by_role("heading", name="志愿服务记录证明")).to_be_visible()
    expect(page.locator("main")).to_contain_text("3.0 小时")
    page.screenshot(path=str(ARTIFACTS / "volunteer-certificate-phone.png"), full_page=True)
    serial = Certificate.objects.get().serial
    expect(page.locator("main")).to_contain_text(serial)
    assert villager.reader_card not in page.content()

    anyone = phone()
    anyone.goto(f"/activities/volunteer/verify/{serial}/")
    expect(anyone.get_by_text("本证明由本中心出具，真实有效")).to_be_visible()
    expect(anyone.locator("main")).to_contain_text(re.compile(r"\*+" + villager.reader_card[-4:]))
