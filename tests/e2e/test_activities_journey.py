import io
import re
from datetime import timedelta

import pytest
from PIL import Image
from playwright.sync_api import expect

from activities.models import Registration
from culturecenter import roles
from culturecenter.models import Member
from tests.conftest import make_dependant, make_event, make_staff, make_villager, read_qr
from tests.conftest import sign_up as make_registration
from tests.e2e.conftest import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_family_signs_up_cancels_one_and_the_other_is_checked_in_at_the_door(phone, browser, live_server):
    villager = make_villager()
    make_dependant(villager, name="王小雨")
    event = make_event(
        title="亲子风筝绘画", capacity=10, starts_in=timedelta(minutes=30)
    )  # the door opens 60 min before
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
    # What a phone camera sees of the screen: the QR exactly as the browser draws it.
    scanned = read_qr(page.locator(".ticket__qr").screenshot())
    assert [symbology for _text, symbology in scanned] == ["QRCode"]

    page.goto(f"/activities/{event.pk}/")
    page.get_by_role("link", name="取消报名 王建华").click()
    expect(page.get_by_role("heading", name="确定取消王建华的报名？")).to_be_visible()  # asked once
    page.get_by_role("button", name="确定取消报名").click()
    expect(page.get_by_text("已取消 王建华 的报名")).to_be_visible()

    child_code = scanned[0][0]
    assert child_code == Registration.objects.get(member__name="王小雨").code
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


def named_staff(username, role, name):
    user = make_staff(username, role)
    user.first_name = name
    user.save()
    return user


def test_staff_assign_duty_staff_in_the_admin_and_the_plain_reviewer_approves(browser, live_server):
    staff = named_staff("staff", roles.STAFF, "赵晓燕")
    named_staff("reviewer", roles.REVIEWER, "李主任")
    make_villager()
    event = make_event(title="红叶节摄影讲座", status="draft", author=staff)
    desktop = {"viewport": {"width": 1280, "height": 900}, "base_url": live_server.url}

    page = browser.new_context(**desktop).new_page()
    log_in(page, "staff")
    page.goto(f"/admin/activities/event/{event.pk}/change/")
    page.get_by_label("赵晓燕").check()
    page.screenshot(path=str(ARTIFACTS / "admin-duty-staff.png"), full_page=True)
    page.locator("input[name=_continue]").click()
    expect(page.locator(".messagelist")).to_contain_text("成功")
    page.goto(f"/activities/{event.pk}/review/")
    expect(page.get_by_text("盯岗人员: 赵晓燕")).to_be_visible()
    page.get_by_role("button", name="提交审核").click()
    expect(page.get_by_text("已提交审核")).to_be_visible()

    reviewer = browser.new_context(**desktop).new_page()
    log_in(reviewer, "reviewer")
    reviewer.goto("/")
    reviewer.get_by_role("link", name=re.compile("待审核 1")).click()
    reviewer.locator("#result_list tr", has_text="红叶节摄影讲座").get_by_role("link", name="审核", exact=True).click()
    expect(reviewer.locator("h1")).to_contain_text("内容审查")
    reviewer.get_by_role("button", name="审核通过并发布").click()
    expect(reviewer.get_by_text("审核通过，活动已发布")).to_be_visible()

    public = browser.new_context(**desktop).new_page()
    public.goto("/activities/")
    expect(public.get_by_role("link", name="红叶节摄影讲座")).to_be_visible()


def line_count(locator) -> int:
    """How many lines the browser broke this element's text into."""
    return locator.evaluate(
        "el => { const r = document.createRange(); r.selectNodeContents(el);"
        " return new Set([...r.getClientRects()].map(rect => Math.round(rect.top))).size; }"
    )


def test_staff_at_the_door_on_a_phone_scan_the_ticket_undo_and_cancel(phone, browser, live_server):
    staff = named_staff("staff", roles.STAFF, "赵晓燕")
    event = make_event(title="掐丝珐琅体验", capacity=2, starts_in=timedelta(minutes=30))
    event.duty_staff.add(staff)
    villager = make_villager(name="欧阳春花")
    make_villager(name="张德明")
    for member in Member.objects.filter(name__in=["欧阳春花", "张德明"]):
        make_registration(event, member)
    make_registration(event, make_villager(name="李秀兰"), status="waiting")

    log_in(phone, villager.mobile)
    phone.goto(Registration.objects.get(member=villager).get_absolute_url())
    code = read_qr(phone.locator(".ticket__qr").screenshot())[0][0]

    door = browser.new_context(viewport={"width": 390, "height": 844}, base_url=live_server.url).new_page()
    log_in(door, "staff")
    door.goto("/")
    door.get_by_role("link", name="今日签到").click()
    expect(door.locator(".today-list")).to_contain_text("盯岗人员: 赵晓燕")
    door.screenshot(path=str(ARTIFACTS / "today-phone.png"), full_page=True)
    door.get_by_role("link", name="签到 · 掐丝珐琅体验").click()
    door.locator("#id_code").fill(code)
    door.locator("#id_code").press("Enter")
    expect(door.locator(".alert-success")).to_have_text("✔ 欧阳春花 签到成功。")
    door.locator("#id_code").fill(code)
    door.locator("#id_code").press("Enter")
    expect(door.locator(".alert-warning")).to_contain_text("欧阳春花 已于")
    expect(door.locator(".alert-success")).to_have_count(0)
    door.screenshot(path=str(ARTIFACTS / "checkin-phone-repeat.png"), full_page=True)
    door.get_by_role("button", name="撤销 欧阳春花").click()
    expect(door.get_by_text("已撤销 欧阳春花 的签到")).to_be_visible()

    door.get_by_role("link", name="报名名单").click()
    for name in ("欧阳春花", "张德明", "李秀兰"):
        assert line_count(door.locator("td", has_text=name).first) == 1, f"{name} wraps at 390 px"
    door.screenshot(path=str(ARTIFACTS / "registrants-phone.png"), full_page=True)
    door.get_by_role("link", name="取消报名 张德明").click()
    door.get_by_role("button", name="确定取消报名").click()
    expect(door.get_by_text("已取消 张德明 的报名")).to_be_visible()
    expect(door.get_by_text("李秀兰 已从候补转为正式名额")).to_be_visible()
    cancelled = Registration.objects.get(member__name="张德明")
    assert cancelled.status == "cancelled" and cancelled.cancelled_by == staff


def camera_film(picture: bytes, path) -> str:
    """A Y4M video of a ticket held in front of the camera, for Chromium's fake camera."""
    ticket = Image.open(io.BytesIO(picture)).convert("L")
    ticket.thumbnail((400, 400))
    frame = Image.new("L", (640, 480), 235)  # a grey room around a white screen
    frame.paste(ticket, ((640 - ticket.width) // 2, (480 - ticket.height) // 2))
    chroma = bytes([128]) * (320 * 240)
    path.write_bytes(b"YUV4MPEG2 W640 H480 F10:1 Ip A1:1 C420jpeg\n" + b"FRAME\n" + frame.tobytes() + chroma + chroma)
    return str(path)


def test_the_door_phone_reads_the_ticket_held_up_to_its_camera(phone, browser, live_server, tmp_path):
    event = make_event(title="剪纸体验", starts_in=timedelta(minutes=20))
    villager = make_villager(name="欧阳春花")
    registration = make_registration(event, villager)
    make_staff()
    log_in(phone, villager.mobile)
    phone.goto(registration.get_absolute_url())
    film = camera_film(phone.locator(".ticket__qr").screenshot(), tmp_path / "ticket.y4m")

    camera = browser.browser_type.launch(
        executable_path=str(CHROMIUM),
        args=[
            *CHROMIUM_ARGS,
            "--use-fake-ui-for-media-stream",
            "--use-fake-device-for-media-stream",
            f"--use-file-for-fake-video-capture={film}",
        ],
    )
    try:
        door = camera.new_context(viewport={"width": 390, "height": 844}, base_url=live_server.url).new_page()
        log_in(door, "staff")
        door.goto(f"/activities/{event.pk}/checkin/")
        door.get_by_role("button", name="用摄像头扫码").click()
        expect(door.locator(".alert-success")).to_have_text("✔ 欧阳春花 签到成功。")
        # The camera comes back on for the next person in the queue; the ticket still in view is not sent again.
        expect(door.locator(".checkin-camera__video")).to_be_visible()
        expect(door.get_by_role("button", name="关闭摄像头")).to_be_visible()
        expect(door.locator(".alert-warning")).to_have_count(0)
        door.get_by_role("button", name="关闭摄像头").click()
        expect(door.locator(".checkin-camera__video")).to_be_hidden()
    finally:
        camera.close()
    assert Registration.objects.get(pk=registration.pk).checked_in_at is not None
