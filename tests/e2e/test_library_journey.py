import re

import pytest
from playwright.sync_api import expect

from lending.models import Hold, Loan
from tests.conftest import lend, make_book, make_staff, make_villager
from tests.e2e.conftest import ARTIFACTS, log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def type_and_enter(page, text):
    """A scan: with JavaScript on, desk.js posts it in the background (no page load)."""
    page.keyboard.type(text)
    with page.expect_response(lambda response: response.request.method == "POST"):
        page.keyboard.press("Enter")


def test_librarian_lends_returns_and_renews_with_the_keyboard_alone(browser, live_server):
    make_staff("librarian", "图书管理员")
    reader = make_villager()
    books = [make_book(title) for title in ("平凡的世界", "京西古道", "核桃栽培技术")]
    two_copies = make_book("红楼梦", author="曹雪芹", isbn="9787020002207", copies=2)
    held_at_home = make_book("老年人合理膳食").copies.get()
    lend(held_at_home, reader, days_ago=20)
    page = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=live_server.url).new_page()
    log_in(page, "librarian")
    page.goto("/library/desk/")

    expect(page.locator("#id_code")).to_be_focused()
    type_and_enter(page, reader.reader_card)
    expect(page.locator(".desk__reader")).to_contain_text("已借 1 / 5 本")
    for book in books:
        type_and_enter(page, book.copies.get().barcode)
        expect(page.get_by_text(f"借出《{book.title}》")).to_be_visible()
        expect(page.locator("#id_code")).to_be_focused()
    expect(page.locator(".desk__reader")).to_contain_text("已借 4 / 5 本")

    type_and_enter(page, "9787020002207")  # the EAN printed on the book, not the library's label
    copies = page.locator(".desk__copies li")
    expect(copies).to_have_count(2)
    expect(copies.first).to_contain_text("在架")
    expect(page.locator("#id_code")).to_be_focused()
    type_and_enter(page, two_copies.copies.order_by("barcode").first().barcode)
    expect(page.get_by_text("借出《红楼梦》")).to_be_visible()
    expect(page.locator(".desk__reader")).to_contain_text("已借 5 / 5 本")

    type_and_enter(page, held_at_home.barcode)  # the reader already has it: a renewal
    expect(page.get_by_text("续借《老年人合理膳食》")).to_be_visible()

    with page.expect_navigation():
        page.keyboard.press("F2")
    expect(page.locator(".desk__mode")).to_contain_text("还书模式")
    type_and_enter(page, books[0].copies.get().barcode)
    expect(page.get_by_text("已归还《平凡的世界》")).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "desk.png"), full_page=True)

    open_loans = Loan.objects.filter(member=reader, returned_at__isnull=True)
    assert open_loans.count() == 4
    assert Loan.objects.get(copy=held_at_home).renewals == 1


def test_with_javascript_a_scan_changes_the_answer_without_a_page_load_and_keeps_the_focus(browser, live_server):
    make_staff("librarian", "图书管理员")
    reader = make_villager()
    book = make_book("平凡的世界")
    elsewhere = make_book("京西古道").copies.get()
    lend(elsewhere, make_villager(name="李秀兰"))
    page = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=live_server.url).new_page()
    log_in(page, "librarian")
    page.goto("/library/desk/")
    page.evaluate("window.sameDeskPage = true")

    type_and_enter(page, reader.reader_card)
    expect(page.locator(".desk__reader")).to_contain_text("已借 0 / 5 本")
    type_and_enter(page, book.copies.get().barcode)
    answer = page.locator("#desk-answer[role=status]")
    expect(answer).to_contain_text("借出《平凡的世界》")
    expect(page.locator(".desk__reader")).to_contain_text("已借 1 / 5 本")
    expect(page.locator("#id_code")).to_be_focused()
    expect(page.locator("#id_code")).to_have_value("")

    type_and_enter(page, elsewhere.barcode)  # lent to someone else: Enter on the empty field returns it first
    expect(page.locator("#desk-offer")).to_be_visible()
    with page.expect_response(lambda response: response.request.method == "POST"):
        page.keyboard.press("Enter")
    expect(answer).to_contain_text("借出《京西古道》")
    expect(page.locator(".desk__reader")).to_contain_text("已借 2 / 5 本")
    expect(page.locator("#id_code")).to_be_focused()
    assert page.evaluate("window.sameDeskPage") is True
    assert Loan.objects.filter(member=reader, returned_at__isnull=True).count() == 2


def test_when_the_background_post_fails_the_scan_makes_the_full_round_trip(browser, live_server):
    make_staff("librarian", "图书管理员")
    reader = make_villager()
    page = browser.new_context(base_url=live_server.url).new_page()
    log_in(page, "librarian")
    page.goto("/library/desk/")

    lost = []

    def lost_on_the_way(route):
        if route.request.headers.get("x-requested-with") == "fetch":
            lost.append(route.request.post_data)
            route.abort()
        else:
            route.continue_()

    page.route("**/library/desk/", lost_on_the_way)
    page.locator("#id_code").fill(reader.reader_card)
    with page.expect_navigation():
        page.locator("#id_code").press("Enter")
    expect(page.locator(".desk__reader")).to_contain_text("已借 0 / 5 本")
    expect(page.locator("#id_code")).to_be_focused()
    assert len(lost) == 1  # tried in the background first


def test_without_javascript_each_scan_makes_the_full_round_trip(browser, live_server):
    make_staff("librarian", "图书管理员")
    reader = make_villager()
    book = make_book("平凡的世界")
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    log_in(page, "librarian")
    page.goto("/library/desk/")

    for code in (reader.reader_card, book.copies.get().barcode):
        page.locator("#id_code").fill(code)
        with page.expect_navigation():
            page.locator("#id_code").press("Enter")
    expect(page.locator("#desk-answer")).to_contain_text("借出《平凡的世界》")
    expect(page.locator(".desk__reader")).to_contain_text("已借 1 / 5 本")


def test_villager_searches_finds_the_book_and_places_a_hold(phone):
    reader = make_villager()
    book = make_book("平凡的世界", author="路遥")
    make_book("平凡的人生", author="张平")
    make_book("人生", author="路遥")
    lend(book.copies.get(), make_villager(name="李秀兰"))
    log_in(phone, reader.mobile)

    phone.goto("/library/")
    search = phone.get_by_label("书名、作者、ISBN 或关键词")
    search.fill("平凡　路遥")  # two words, with the full-width space of a Chinese input method
    phone.get_by_role("button", name="搜索").click()
    expect(phone.locator(".book-list__item")).to_have_count(1)  # not 平凡的人生, nor 人生
    expect(phone.get_by_text("已全部借出 · 可预约")).to_be_visible()
    phone.screenshot(path=str(ARTIFACTS / "catalogue-two-words-phone.png"), full_page=True)
    search.fill("pfdsj")  # or the initials of the title in pinyin
    phone.get_by_role("button", name="搜索").click()
    expect(phone.get_by_role("link", name="平凡的世界")).to_be_visible()
    expect(phone.get_by_role("link", name="人生", exact=True)).to_have_count(0)
    phone.get_by_role("link", name="平凡的世界").click()
    phone.get_by_label(re.compile("为谁预约")).select_option(label=reader.name)
    phone.get_by_role("button", name="预约", exact=True).click()
    expect(phone.get_by_text(f"已为 {reader.name} 预约")).to_be_visible()
    phone.screenshot(path=str(ARTIFACTS / "book-phone.png"), full_page=True)
    assert Hold.objects.get().member == reader
