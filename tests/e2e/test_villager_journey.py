import re

import pytest
from playwright.sync_api import expect

from culturecenter.models import Member
from tests.conftest import make_regular_schedule
from tests.e2e.conftest import ARTIFACTS, PHONE, log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD_LABEL = re.compile(r"^\s*密码\*?\s*$")


def test_villager_registers_logs_in_and_switches_to_english(phone):
    make_regular_schedule()
    page = phone

    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text("清水镇文化中心")
    expect(page.locator(".open-status")).to_contain_text(re.compile("开放中|已闭馆"))
    expect(page.get_by_role("heading", name="本周开放时间")).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "home-phone.png"), full_page=True)

    page.locator("main").get_by_role("link", name="注册").click()
    page.get_by_label("真实姓名").fill("张秀英")
    page.get_by_label("手机号").fill("13712345678")
    page.get_by_label("村庄").select_option(label="燕家台")
    page.get_by_label("出生年份").fill("1975")
    page.get_by_label(PASSWORD_LABEL).fill("qingshui-reader-7")
    page.get_by_label("再次输入密码").fill("qingshui-reader-7")
    page.locator("main").get_by_role("button", name="注册").click()
    summary = page.locator("[data-error-summary]")  # nothing saved without consent, and focus is on why
    expect(summary).to_contain_text("我已阅读并同意隐私声明：请先阅读并同意隐私声明")
    expect(summary).to_be_focused()

    page.get_by_label(PASSWORD_LABEL).fill("qingshui-reader-7")
    page.get_by_label("再次输入密码").fill("qingshui-reader-7")
    page.get_by_label("我已阅读并同意隐私声明").check()
    page.locator("main").get_by_role("button", name="注册").click()

    expect(page).to_have_url(re.compile("/accounts/me/$"))
    card = Member.objects.get(mobile="13712345678").reader_card
    expect(page.get_by_text(f"欢迎你，张秀英！你的读者证号是 {card}")).to_be_visible()

    page.get_by_role("button", name="退出登录").click()
    page.goto("/accounts/login/")
    page.get_by_label("手机号").fill("13712345678")
    page.get_by_label(PASSWORD_LABEL).fill("qingshui-reader-7")
    page.locator("main").get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", name="我的家庭")).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "me-phone.png"), full_page=True)

    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My account")
    expect(page.get_by_role("navigation", name="Main")).to_contain_text("Home")
    page.get_by_role("button", name="简体中文").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("我的")


def test_skip_link_is_the_first_stop_for_the_keyboard(phone):
    phone.goto("/")
    phone.keyboard.press("Tab")
    focused = phone.evaluate("document.activeElement.textContent")
    assert focused.strip() == "跳到正文"
    phone.keyboard.press("Enter")
    assert phone.evaluate("document.activeElement.id") == "main"


KEY_PAGES = (
    "/",
    "/accounts/register/",
    "/accounts/login/",
    "/hours/",
    "/privacy/",
    "/activities/",
    "/library/",
    "/library/campaigns/",
    "/feedback/",
)


def test_no_horizontal_scrolling_on_a_phone_even_with_large_text(browser, live_server):
    from datetime import timedelta

    from django.utils import timezone

    from feedback.models import Answer, Choice, Question, Questionnaire, Response
    from lending.models import Campaign
    from tests.conftest import make_book, make_event, make_staff, make_villager

    make_regular_schedule()
    event = make_event(title="黄安坨爱国主义剪纸（文化下乡）")
    book = make_book("中老年骨质疏松防治与康复保健实用指南", isbn="9787117123456")
    today = timezone.localdate()
    campaign = Campaign.objects.create(
        slug="winter", title="书香伴我行", starts_on=today, ends_on=today + timedelta(days=30), goal_days=21
    )
    now = timezone.now()
    survey = Questionnaire.objects.create(title="需求", opens_at=now - timedelta(days=1), closes_at=now)
    question = Question.objects.create(questionnaire=survey, text="您对哪些活动感兴趣？", kind="multiple")
    choice = Choice.objects.create(question=question, text="非物质文化遗产体验与传承")
    answer = Answer.objects.create(response=Response.objects.create(questionnaire=survey), question=question)
    answer.choices.add(choice)
    make_staff()
    pages = [*KEY_PAGES, event.get_absolute_url(), f"/library/books/{book.pk}/", campaign.get_absolute_url()]

    visitor = browser.new_context(viewport=PHONE, base_url=live_server.url)
    page = visitor.new_page()
    for path in pages:
        page.goto(path)
    log_in(page, make_villager().mobile)
    for path in (*pages, "/accounts/me/"):
        page.goto(path)
    staff = browser.new_context(viewport=PHONE, base_url=live_server.url)
    log_in(staff.new_page(), "staff")
    staff.pages[0].goto(f"/feedback/surveys/{survey.pk}/results/")

    assert visitor.problems() + staff.problems() == []


def test_villager_downloads_all_their_data_and_opens_it(phone):
    """From “我的” to the readable page and the ZIP: the spreadsheet holds the child's loan and sign-up."""
    import io
    import json
    import zipfile

    from openpyxl import load_workbook

    from tests.conftest import lend, make_book, make_dependant, make_event, make_villager, sign_up
    from tests.e2e.conftest import log_in

    villager = make_villager(mobile="13712345678")
    child = make_dependant(villager, name="王小雨")
    sign_up(make_event(title="黄安坨剪纸（文化下乡）"), child)
    lend(make_book("红楼梦", author="曹雪芹").copies.get(), child)
    page = phone
    log_in(page, "137 1234 5678")  # typed as read out, with spaces

    expect(page.get_by_role("heading", name="概览")).to_be_visible()
    page.get_by_role("link", name="查看我的数据").click()
    expect(page.get_by_role("heading", name="借阅记录")).to_be_visible()
    expect(page.locator("main")).to_contain_text("红楼梦")
    page.screenshot(path=str(ARTIFACTS / "my-data-phone.png"), full_page=True)

    with page.expect_download() as download_info:
        page.locator("main").get_by_role("link", name="下载我的数据（ZIP：表格和 JSON）").click()
    archive = zipfile.ZipFile(io.BytesIO(open(download_info.value.path(), "rb").read()))  # noqa: SIM115
    names = archive.namelist()
    data = json.loads(archive.read(next(n for n in names if n.endswith(".json"))))
    assert [row["title"] for row in data["loans"]["rows"]] == ["红楼梦"]
    assert [row["event"] for row in data["registrations"]["rows"]] == ["黄安坨剪纸（文化下乡）"]
    workbook = load_workbook(io.BytesIO(archive.read(next(n for n in names if n.endswith(".xlsx")))))
    cells = {str(cell) for sheet in workbook.worksheets for row in sheet.iter_rows(values_only=True) for cell in row}
    assert {"红楼梦", "黄安坨剪纸（文化下乡）", "王小雨"} <= cells
