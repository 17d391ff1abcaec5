import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from feedback.models import Choice, Need, NeedSupport, Question, Questionnaire, Response
from tests.conftest import make_staff, make_villager
from tests.e2e.conftest import ARTIFACTS, log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def make_questionnaire():
    now = timezone.now()
    q = Questionnaire.objects.create(
        title="冬季文化活动需求征集", opens_at=now - timedelta(days=1), closes_at=now + timedelta(days=30)
    )
    single = Question.objects.create(questionnaire=q, order=0, text="最方便的时间", kind="single")
    for i, text in enumerate(["工作日晚上", "周末上午"]):
        Choice.objects.create(question=single, order=i, text=text)
    Question.objects.create(questionnaire=q, order=1, text="满意度", kind="rating")
    Question.objects.create(questionnaire=q, order=2, text="建议", kind="long", required=False)
    return q


def test_villager_answers_posts_and_supports_then_staff_enter_paper_and_read_results(phone, browser, live_server):
    q = make_questionnaire()
    villager = make_villager()
    other = Need.objects.create(
        posted_by=make_villager(name="李秀兰"), category="science", village="yanjiatai", text="请来讲讲智能手机防诈骗"
    )
    page = phone
    log_in(page, villager.mobile)

    page.goto(f"/feedback/surveys/{q.pk}/")
    page.get_by_label("周末上午").check()
    page.get_by_label("★★★★★ 5").check()
    page.get_by_label("建议").fill("希望多办书法班")
    page.get_by_role("button", name="提交问卷").click()
    expect(page.get_by_role("heading", name="谢谢！")).to_be_visible()

    page.goto("/feedback/")
    page.locator("summary").click()
    page.locator("#id_category").select_option(label="文艺培训")
    page.get_by_label(re.compile("您想要什么")).fill("希望周末开设老年书法班")
    page.get_by_role("button", name="发布").click()
    expect(page.get_by_text("你的需求已发布")).to_be_visible()
    page.goto("/feedback/")
    page.get_by_role("button", name=re.compile("我也想要 请来讲讲")).click()
    expect(page.get_by_text("你支持了这个需求")).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "board-phone.png"), full_page=True)

    staff = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=live_server.url).new_page()
    make_staff()
    log_in(staff, "staff")
    staff.goto(f"/feedback/surveys/{q.pk}/entry/")
    staff.get_by_label(re.compile("村庄")).select_option(label="西达摩")
    staff.get_by_label("工作日晚上").check()
    staff.get_by_label("★★★ 3").check()
    staff.get_by_role("button", name="保存并录入下一份").click()
    expect(staff.get_by_text("你已录入 1 份")).to_be_visible()
    staff.goto(f"/feedback/surveys/{q.pk}/results/")
    expect(staff.get_by_text("共 2 份答卷")).to_be_visible()
    expect(staff.get_by_text("平均 4.0（3.0 至 5.0）")).to_be_visible()
    staff.screenshot(path=str(ARTIFACTS / "results.png"), full_page=True)

    assert Response.objects.filter(channel="paper", village="xidamo").count() == 1
    assert NeedSupport.objects.filter(need=other, member=villager).exists()
    assert Need.objects.filter(posted_by=villager).exists()


def test_an_empty_need_sends_focus_to_the_error_summary_and_its_links_to_the_fields(phone):
    villager = make_villager()
    page = phone
    log_in(page, villager.mobile)
    page.goto("/feedback/")
    page.locator("form[action='/feedback/needs/new/'] button[type=submit]").click()  # the form is open: no needs yet

    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("类别")
    category = page.locator("#id_category")
    expect(category).to_have_attribute("aria-invalid", "true")
    described_by = category.get_attribute("aria-describedby").split()
    expect(page.locator(f"#{described_by[0]}")).to_contain_text("必填")
    page.locator("#id_text").focus()
    summary.get_by_role("link", name=re.compile("类别")).click()
    expect(category).to_be_focused()
