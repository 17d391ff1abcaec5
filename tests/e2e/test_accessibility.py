"""axe-core over every page of the foundation, at phone width, logged out and in."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.conftest import PASSWORD, make_dependant, make_regular_schedule, make_villager
from tests.e2e.conftest import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PUBLIC_PAGES = ["/", "/hours/", "/privacy/", "/accounts/register/", "/accounts/login/"]
ACCOUNT_PAGES = ["/accounts/me/", "/accounts/me/household/add/", "/accounts/me/delete/", "/accounts/password/"]


def serious_violations(page) -> list[str]:
    results = Axe().run(page).response
    return [
        f"{page.url}: {v['id']} ({v['impact']}) {[n['target'] for n in v['nodes']][:3]}"
        for v in results["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.fixture
def axe_page(browser, live_server):
    # axe is injected as a script, which our Content-Security-Policy would rightly block.
    context = browser.new_context(viewport={"width": 390, "height": 844}, base_url=live_server.url, bypass_csp=True)
    yield context.new_page()
    context.close()


def test_public_pages_and_form_errors_have_no_serious_violations(axe_page):
    make_regular_schedule()
    problems = []
    for path in PUBLIC_PAGES:
        axe_page.goto(path)
        problems += serious_violations(axe_page)
    axe_page.goto("/accounts/register/")
    axe_page.locator("main button[type=submit]").click()  # every field in its error state
    problems += serious_violations(axe_page)
    assert problems == []


def test_account_pages_have_no_serious_violations(axe_page):
    villager = make_villager()
    make_dependant(villager)
    axe_page.goto("/accounts/login/")
    axe_page.locator("#id_username").fill(villager.mobile)
    axe_page.locator("#id_password").fill(PASSWORD)
    axe_page.locator("main button[type=submit]").click()
    problems = []
    for path in ACCOUNT_PAGES:
        axe_page.goto(path)
        problems += serious_violations(axe_page)
    assert problems == []


def test_activity_pages_have_no_serious_violations(axe_page, browser, live_server):
    from tests.conftest import make_event, make_staff, sign_up

    villager = make_villager()
    event = make_event(capacity=1)
    registration = sign_up(event, villager)
    make_event(title="茶艺课")
    log_in(axe_page, villager.mobile)
    problems = []
    for path in ["/activities/", f"/activities/{event.pk}/", registration.get_absolute_url(), "/accounts/me/"]:
        axe_page.goto(path)
        problems += serious_violations(axe_page)

    context = browser.new_context(viewport={"width": 390, "height": 844}, base_url=live_server.url, bypass_csp=True)
    staff = context.new_page()
    make_staff()
    log_in(staff, "staff")
    for suffix in ("checkin/", "registrants/", "review/", "worklog/"):
        staff.goto(f"/activities/{event.pk}/{suffix}")
        problems += serious_violations(staff)
    for path in (
        "/activities/archive/",
        "/activities/today/",
        f"/activities/{event.pk}/registrants/{registration.pk}/cancel/",
    ):
        staff.goto(path)
        problems += serious_violations(staff)
    context.close()
    assert problems == []


def test_library_pages_have_no_serious_violations(axe_page, browser, live_server):
    from lending.models import Hold
    from tests.conftest import lend, make_book, make_staff

    villager = make_villager()
    book = make_book()
    lend(make_book("京西古道").copies.get(), villager)
    Hold.objects.create(book=book, member=villager)
    log_in(axe_page, villager.mobile)
    problems = []
    for path in ["/library/", "/library/?q=世界", f"/library/books/{book.pk}/", "/accounts/me/"]:
        axe_page.goto(path)
        problems += serious_violations(axe_page)

    context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=live_server.url, bypass_csp=True)
    desk = context.new_page()
    make_staff("librarian", "图书管理员")
    log_in(desk, "librarian")
    desk.goto("/library/desk/")
    desk.locator("#id_code").fill(villager.reader_card)
    desk.locator("#desk-scan button").click()
    expect(desk.locator(".desk__reader")).to_be_visible()  # swapped in by desk.js, no page load
    problems += serious_violations(desk)
    for path in ["/library/desk/lists/", "/library/desk/labels/"]:
        desk.goto(path)
        problems += serious_violations(desk)
    context.close()
    assert problems == []


def test_campaign_pages_have_no_serious_violations(axe_page, browser, live_server):
    from datetime import timedelta

    from django.utils import timezone

    from lending.models import Campaign, CheckIn, Enrolment
    from tests.conftest import make_staff

    today = timezone.localdate()
    campaign = Campaign.objects.create(
        slug="now",
        title="冬日共读",
        starts_on=today - timedelta(days=30),
        ends_on=today + timedelta(days=10),
        goal_days=3,
        rules="读书。",
    )
    villager = make_villager()
    Enrolment.objects.create(campaign=campaign, member=villager)
    for n in range(3):
        CheckIn.objects.create(
            campaign=campaign,
            member=villager,
            day=today - timedelta(days=n),
            book_title="书",
            minutes=20,
            reflection="这本书真好看，我很喜欢里面的故事和人物。",
            share=True,
            moderation="approved" if n else "pending",
        )
    log_in(axe_page, villager.mobile)
    problems = []
    for path in [
        "/library/campaigns/",
        campaign.get_absolute_url(),
        f"{campaign.get_absolute_url()}checkin/",
        f"{campaign.get_absolute_url()}certificate/{villager.pk}/",
        "/",
    ]:
        axe_page.goto(path)
        problems += serious_violations(axe_page)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=live_server.url, bypass_csp=True)
    staff = context.new_page()
    make_staff("librarian", "图书管理员")
    log_in(staff, "librarian")
    for suffix in ("moderation/", "statistics/"):
        staff.goto(f"{campaign.get_absolute_url()}{suffix}")
        problems += serious_violations(staff)
    context.close()
    assert problems == []


def test_feedback_pages_have_no_serious_violations(axe_page, browser, live_server):
    from datetime import timedelta

    from django.utils import timezone

    from feedback.models import Choice, Need, Question, Questionnaire
    from tests.conftest import make_event, make_staff, sign_up

    now = timezone.now()
    q = Questionnaire.objects.create(title="调查", opens_at=now - timedelta(days=1), closes_at=now + timedelta(days=9))
    question = Question.objects.create(questionnaire=q, text="时间", kind="single", allow_other=True)
    Choice.objects.create(question=question, text="晚上")
    Question.objects.create(questionnaire=q, order=1, text="满意度", kind="rating")
    villager = make_villager()
    need = Need.objects.create(posted_by=villager, category="arts", village="xidamo", text="书法班")
    held = make_event(starts_in=-timedelta(days=1))
    sign_up(held, villager, checked_in_at=now)
    log_in(axe_page, villager.mobile)
    problems = []
    for path in [
        "/feedback/",
        f"/feedback/needs/{need.pk}/",
        f"/feedback/surveys/{q.pk}/",
        f"/feedback/evaluate/{held.pk}/",
        f"/activities/{held.pk}/",
    ]:
        axe_page.goto(path)
        problems += serious_violations(axe_page)
    axe_page.goto(f"/feedback/surveys/{q.pk}/")
    axe_page.get_by_role("button", name="提交问卷").click()
    problems += serious_violations(axe_page)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=live_server.url, bypass_csp=True)
    staff = context.new_page()
    make_staff()
    log_in(staff, "staff")
    for path in [
        f"/feedback/surveys/{q.pk}/entry/",
        f"/feedback/surveys/{q.pk}/results/",
        f"/feedback/needs/{need.pk}/",
        f"/feedback/evaluate/{held.pk}/slips/",
    ]:
        staff.goto(path)
        problems += serious_violations(staff)
    context.close()
    assert problems == []


def test_admin_pages_staff_use_have_no_serious_violations_nor_small_text(browser, live_server):
    """Staff keep events and members in the admin every day, on a desktop and sometimes a phone."""
    from activities.models import Presenter
    from tests.conftest import make_event, make_staff
    from tests.e2e.test_legibility import TYPE_SIZES

    event = make_event(title="剪纸课")
    event.presenters.add(Presenter.objects.create(name="王秀芝", kind="teacher"))  # a searchable multiple choice
    member = make_villager()
    make_staff()
    pages = [
        "/admin/",
        "/admin/activities/event/",
        "/admin/activities/event/add/",
        f"/admin/activities/event/{event.pk}/change/",
        "/admin/culturecenter/member/",
        f"/admin/culturecenter/member/{member.pk}/change/",
    ]

    def check(page):
        page.wait_for_selector("html[data-admin-repaired]", state="attached")
        sizes = page.evaluate(TYPE_SIZES)
        return serious_violations(page) + [f"{page.url}: {text}" for text in sizes["small"]]

    problems = []
    for viewport in ({"width": 1280, "height": 900}, {"width": 390, "height": 844}):
        context = browser.new_context(viewport=viewport, base_url=live_server.url, bypass_csp=True)
        page = context.new_page()
        log_in(page, "staff")
        for path in pages:
            assert page.goto(path).status == 200, path
            problems += check(page)
        page.goto("/admin/activities/event/add/")
        page.locator("input[name=_save]").click()  # the form with its errors
        problems += check(page)
        context.close()
    assert problems == []
