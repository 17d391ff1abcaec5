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
    expect(page.get_by_text("请先阅读并同意隐私声明")).to_be_visible()  # nothing saved without consent

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
