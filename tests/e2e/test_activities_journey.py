import re

import pytest
from playwright.sync_api import expect

from activities import tickets
from activities.models import Registration
from tests.conftest import make_dependant, make_event, make_staff, make_villager
from tests.e2e.conftest import ARTIFACTS, log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_family_signs_up_cancels_one_and_the_other_is_checked_in_at_the_door(phone, browser, live_server):
    villager = make_villager()
    make_dependant(villager, name="王小雨")
    event = make_event(title="亲子风筝绘画", capacity=10)
    page = phone

    log_in(page, villager.mobile)
    page.goto("/activities/")
    page.get_by_role("link", name="亲子风筝绘画").click()
    expect(page.locator(".lead")).to_contain_text("可报名")

    expect(page.get_by_label("王建华")).to_be_checked()  # the account holder, not the youngest
    page.get_by_label("王小雨").check()  # the whole family in one submit
    page.get_by_role("button", name="报名", exact=True).click()
    expect(page.get_by_text("王建华 报名成功，名额已确认")).to_be_visible()
    expect(page.get_by_text("王小雨 报名成功，名额已确认")).to_be_visible()

    page.goto("/accounts/me/")
    page.get_by_role("link", name=re.compile("电子票 王小雨")).click()
    expect(page.locator(".ticket__qr svg")).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "ticket-phone.png"), full_page=True)

    page.goto(f"/activities/{event.pk}/")
    page.get_by_role("link", name="取消报名 王建华").click()
    expect(page.get_by_role("heading", name="确定取消王建华的报名？")).to_be_visible()  # asked once
    page.get_by_role("button", name="确定取消报名").click()
    expect(page.get_by_text("已取消 王建华 的报名")).to_be_visible()

    child_code = tickets.display(Registration.objects.get(member__name="王小雨").code)
    staff = browser.new_context(viewport={"width": 390, "height": 844}, base_url=live_server.url).new_page()
    make_staff()
    log_in(staff, "staff")
    staff.goto(f"/activities/{event.pk}/checkin/")
    expect(staff.locator("#id_code")).to_be_focused()  # the scanner can type straight away
    staff.keyboard.type(child_code.lower())
    staff.keyboard.press("Enter")
    expect(staff.get_by_text("✔ 王小雨 签到成功")).to_be_visible()
    expect(staff.locator("#id_code")).to_be_focused()
    staff.screenshot(path=str(ARTIFACTS / "checkin-phone.png"), full_page=True)

    statuses = dict(Registration.objects.values_list("member__name", "status"))
    assert statuses == {"王建华": "cancelled", "王小雨": "confirmed"}
    assert Registration.objects.get(member__name="王小雨").checked_in_at is not None
