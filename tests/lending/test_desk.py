from datetime import timedelta
from unittest import mock

import pytest
import time_machine
from django.utils import timezone

from culturecenter.lib.locks import TryAgain
from culturecenter.models import Member, Notice
from lending.models import Copy, Hold, Loan
from tests.conftest import lend, make_book, make_dependant, make_villager

pytestmark = pytest.mark.django_db

URL = "/library/desk/"


def scan(desk, code):
    return desk.post(URL, {"action": "scan", "code": code}, follow=True)


def body(response):
    return response.content.decode()


def test_one_scan_of_the_card_and_one_per_book_lends(desk, villager):
    books = [make_book(f"书{i}") for i in range(3)]
    opened = scan(desk, villager.reader_card)
    assert "王建华" in body(opened) and "已借 0 / 5 本" in body(opened)

    for book in books:
        response = scan(desk, book.copies.get().barcode)
        assert f"借出《{book.title}》" in body(response)

    assert Loan.objects.filter(member=villager, returned_at__isnull=True).count() == 3
    assert "已借 3 / 5 本" in body(response)
    assert set(Copy.objects.values_list("status", flat=True)) == {"on_loan"}


def test_scanner_input_is_normalised(desk, villager):
    book = make_book()
    barcode = book.copies.get().barcode
    full_width = barcode.translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789"}).replace("B", "ｂ")
    scan(desk, f"  {villager.reader_card.lower()} ")
    response = scan(desk, full_width)
    assert "借出《平凡的世界》" in body(response)


def test_scanning_a_book_the_reader_has_renews_it(desk, villager):
    copy = make_book().copies.get()
    loan = lend(copy, villager, days_ago=20)
    scan(desk, villager.reader_card)
    with time_machine.travel(timezone.now(), tick=False) as clock:
        response = scan(desk, copy.barcode)
        assert "续借《平凡的世界》" in body(response)
        loan.refresh_from_db()
        assert loan.renewals == 1
        clock.shift(timedelta(minutes=1))
        assert "已续借 1 次，达到上限" in body(scan(desk, copy.barcode))


def test_a_scanners_double_beep_is_ignored_with_a_calm_note(desk, villager):
    copy = make_book().copies.get()
    scan(desk, villager.reader_card)
    with time_machine.travel(timezone.now(), tick=False) as clock:
        assert "借出《平凡的世界》" in body(scan(desk, copy.barcode))
        clock.shift(timedelta(seconds=2))
        again = body(scan(desk, copy.barcode))
    assert "《平凡的世界》（" in again and "刚刚扫过，这次重复扫描已忽略" in again
    assert "续借" not in again and "alert-info" in again
    loan = Loan.objects.get()
    assert loan.renewals == 0


def test_the_same_copy_scanned_again_after_a_pause_renews_it(desk, villager):
    copy = make_book().copies.get()
    scan(desk, villager.reader_card)
    with time_machine.travel(timezone.now(), tick=False) as clock:
        scan(desk, copy.barcode)
        clock.shift(timedelta(seconds=6))
        assert "续借《平凡的世界》" in body(scan(desk, copy.barcode))
    assert Loan.objects.get().renewals == 1


def test_a_double_beep_in_return_mode_does_not_say_not_on_loan(desk, villager):
    copy = make_book().copies.get()
    lend(copy, villager)
    desk.post(URL, {"action": "mode"})
    with time_machine.travel(timezone.now(), tick=False) as clock:
        assert "已归还《平凡的世界》" in body(scan(desk, copy.barcode))
        clock.shift(timedelta(seconds=1))
        again = body(scan(desk, copy.barcode))
    assert "重复扫描已忽略" in again and "没有借出" not in again


def test_over_the_limit_nothing_is_lent(desk, villager):
    for i in range(5):
        lend(make_book(f"书{i}").copies.get(), villager)
    extra = make_book("第六本").copies.get()
    scan(desk, villager.reader_card)
    assert "王建华 已借 5 本，达到上限" in body(scan(desk, extra.barcode))
    assert not extra.loans.exists()


def test_an_overdue_book_blocks_new_loans(desk, villager):
    lend(make_book("逾期的书").copies.get(), villager, days_ago=40)
    other = make_book().copies.get()
    scan(desk, villager.reader_card)
    response = scan(desk, other.barcode)
    assert "有逾期未还的书：《逾期的书》" in body(response)
    assert "desk__overdue" in body(response)
    assert not other.loans.exists()


def test_a_book_on_loan_to_someone_else_offers_to_return_it_first(desk, villager, other_villager):
    copy = make_book().copies.get()
    lend(copy, other_villager)
    scan(desk, villager.reader_card)
    response = scan(desk, copy.barcode)
    assert "借给了 李秀兰" in body(response) and "先归还，再借给 王建华" in body(response)

    desk.post(URL, {"action": "return_then_lend"})

    loans = Loan.objects.filter(copy=copy).order_by("pk")
    assert [(loan.member, loan.returned_at is not None) for loan in loans] == [
        (other_villager, True),
        (villager, False),
    ]


def test_a_copy_kept_for_another_reader_is_not_lent(desk, villager, other_villager):
    copy = make_book().copies.get()
    copy.status = "on_hold_shelf"
    copy.save()
    Hold.objects.create(book=copy.book, member=other_villager, status="ready", copy=copy)
    scan(desk, villager.reader_card)
    assert "这本书在预约架上为 李秀兰 保留" in body(scan(desk, copy.barcode))
    assert not copy.loans.exists()


def test_the_reader_who_holds_it_collects_it(desk, villager):
    copy = make_book().copies.get()
    copy.status = "on_hold_shelf"
    copy.save()
    hold = Hold.objects.create(book=copy.book, member=villager, status="ready", copy=copy)
    scan(desk, villager.reader_card)
    scan(desk, copy.barcode)
    hold.refresh_from_db()
    assert hold.status == "collected"
    assert copy.loans.get().member == villager


def test_return_mode_scans_books_back_to_back_and_keeps_held_ones(desk, villager, other_villager):
    held, plain = make_book("有人预约的书").copies.get(), make_book("普通的书").copies.get()
    lend(held, villager)
    lend(plain, villager)
    Hold.objects.create(book=held.book, member=other_villager)
    desk.post(URL, {"action": "mode"})

    first = scan(desk, held.barcode)
    second = scan(desk, plain.barcode)

    assert "已归还《有人预约的书》（王建华）。 为 李秀兰 预留 · 放预约架" in body(first)
    assert "已归还《普通的书》" in body(second)
    held.refresh_from_db()
    plain.refresh_from_db()
    assert (held.status, plain.status) == ("on_hold_shelf", "on_shelf")
    hold = Hold.objects.get()
    assert hold.status == "ready" and hold.copy == held
    assert "已到馆" in Notice.objects.get(member=other_villager).text


def test_an_unknown_card_registers_the_villager_with_that_card(desk, librarian):
    response = scan(desk, "R55550001")
    assert "读者证 R55550001 尚未发放" in body(response)
    response = desk.post(
        URL,
        {"action": "register", "name": "刘长福", "mobile": "", "village": "hongshuikou", "birth_year": "1941"},
        follow=True,
    )
    member = Member.objects.get(reader_card="R55550001")
    assert member.name == "刘长福" and member.created_by == librarian
    assert "读者证 R55550001 已发给 刘长福" in body(response)
    record = desk.get(f"/admin/culturecenter/member/{member.pk}/change/").content.decode()
    assert "登记人" in record and "librarian" in record


def test_an_unknown_book_is_quick_added_and_lent(desk, villager):
    scan(desk, villager.reader_card)
    assert "条码 B77770001 不在目录中" in body(scan(desk, "B77770001"))
    bad = desk.post(URL, {"action": "quick_add", "title": "京西古道", "isbn": "978-7-123"})
    assert "ISBN 无效" in body(bad)
    response = desk.post(URL, {"action": "quick_add", "title": "京西古道", "isbn": "978-7-200-08446-7"}, follow=True)
    assert "借出《京西古道》" in body(response)
    assert Copy.objects.get(barcode="B77770001").created_by.username == "librarian"
    assert Copy.objects.get(barcode="B77770001").loans.get().member == villager


def test_without_a_card_a_name_or_mobile_finds_the_reader(desk, villager):
    make_villager(name="王建国")
    several = scan(desk, "王建")
    assert "找到多位读者" in body(several)
    single = scan(desk, villager.mobile[-6:])
    assert "王建华" in body(single) and "已借 0 / 5 本" in body(single)
    assert "没有找到与“张三丰”匹配" in body(scan(desk, "张三丰"))


def test_scanning_the_isbn_on_a_book_lists_its_copies_and_where_they_are(desk, villager, other_villager):
    book = make_book("红楼梦", author="曹雪芹", isbn="9787020002207", copies=3)
    out, on_shelf, lost = book.copies.order_by("barcode")
    lend(out, other_villager)
    Copy.objects.filter(pk=lost.pk).update(status="lost")
    scan(desk, villager.reader_card)

    page = body(scan(desk, "978-7-02-000220-7"))

    assert "红楼梦" in page and "ISBN 9787020002207" in page
    assert f"{out.barcode}</strong> · 借出 · {other_villager.name}" in page
    assert f"{on_shelf.barcode}</strong> · 在架" in page and f"{lost.barcode}</strong> · 遗失" in page
    assert "没有找到" not in page and "王建华" in page  # the reader stays open
    assert not villager.loans.exists()  # an ISBN names a book, not a copy: nothing is lent

    page = body(scan(desk, on_shelf.barcode))  # then the copy's own label lends it
    assert "借出《红楼梦》" in page and "ISBN 9787020002207" not in page


def test_the_ean_barcode_finds_a_book_catalogued_with_its_isbn_10(desk):
    make_book("活着", author="余华", isbn="750636543X")
    assert "活着" in body(scan(desk, "9787506365437"))


def test_an_isbn_not_in_the_catalogue_says_so(desk):
    page = body(scan(desk, "9787020002207"))
    assert "目录中没有 ISBN 为 9787020002207 的图书" in page


def test_an_isbn_scan_uses_a_fixed_number_of_queries(desk, villager, django_assert_max_num_queries):
    book = make_book("红楼梦", isbn="9787020002207", copies=5)
    for copy in book.copies.all():
        lend(copy, make_villager())
    with django_assert_max_num_queries(13):  # with 4 to mark the cached public pages stale
        desk.post(URL, {"action": "scan", "code": "9787020002207"})
    with django_assert_max_num_queries(12):
        assert book.copies.first().barcode in body(desk.get(URL))


def test_a_book_without_a_reader_asks_for_the_card(desk):
    book = make_book()
    assert "请先扫描读者证" in body(scan(desk, book.copies.get().barcode))


def test_script_in_the_scan_field_is_harmless(desk):
    response = scan(desk, "<script>alert(1)</script>")
    assert response.status_code == 200
    assert "<script>alert(1)" not in body(response)


def scan_in_background(desk, code):
    """As desk.js posts a scan with JavaScript on."""
    return desk.post(URL, {"action": "scan", "code": code}, headers={"X-Requested-With": "fetch"})


def test_a_scan_posted_in_the_background_answers_only_the_answer_and_the_reader_panel(desk, villager):
    book = make_book("平凡的世界")
    scan_in_background(desk, villager.reader_card)

    response = scan_in_background(desk, book.copies.get().barcode)

    assert response.status_code == 200
    html = body(response)
    assert 'id="desk-answer"' in html and "借出《平凡的世界》" in html
    assert 'id="desk-panels"' in html and "已借 1 / 5 本" in html
    assert "<html" not in html and 'id="desk-scan"' not in html and "site-footer" not in html
    assert "{#" not in html and "{%" not in html
    assert Loan.objects.filter(member=villager, copy__book=book, returned_at__isnull=True).exists()
    # the answer was shown with the fragment: it does not come back on the next full page
    assert "借出《平凡的世界》" not in body(desk.get(URL))


def test_a_plain_scan_still_redirects_to_the_whole_desk_page(desk, villager):
    book = make_book("平凡的世界")
    scan(desk, villager.reader_card)

    response = desk.post(URL, {"action": "scan", "code": book.copies.get().barcode})

    assert response.status_code == 302 and response.url == URL
    page = body(desk.get(URL))
    assert "<html" in page and 'id="desk-scan"' in page
    assert page.count('id="desk-answer"') == 1 and "借出《平凡的世界》" in page and "已借 1 / 5 本" in page


def test_the_return_first_offer_accepted_in_the_background_answers_the_fragment(desk, villager, other_villager):
    copy = make_book("京西古道").copies.get()
    lend(copy, other_villager)
    scan_in_background(desk, villager.reader_card)
    assert 'id="desk-offer"' in body(scan_in_background(desk, copy.barcode))

    response = desk.post(URL, {"action": "return_then_lend"}, headers={"X-Requested-With": "fetch"})

    assert "<html" not in body(response) and "借出《京西古道》" in body(response)
    assert 'id="desk-offer"' not in body(response)
    assert Loan.objects.get(copy=copy, returned_at__isnull=True).member == villager


def test_only_librarians_use_the_desk(client, villager_client, staff_client):
    assert villager_client.get(URL).status_code == 403
    assert staff_client.get(URL).status_code == 403
    assert villager_client.get("/library/desk/lists/").status_code == 403
    client.logout()
    assert client.get(URL).status_code == 302


def test_a_scan_uses_a_fixed_number_of_queries_whatever_the_history(desk, villager, django_assert_max_num_queries):
    for i in range(30):
        loan = lend(make_book(f"旧书{i}").copies.get(), villager)
        loan.returned_at = loan.loaned_at
        loan.save()
        Copy.objects.filter(pk=loan.copy_id).update(status="on_shelf")
    copy = make_book("新书").copies.get()
    scan(desk, villager.reader_card)
    # session (saved: it remembers the scan against a double beep), permissions, the lock wait bound
    # (PostgreSQL), locks, checks, loan, copy; 4 to mark the cached public pages stale
    with django_assert_max_num_queries(31):
        desk.post(URL, {"action": "scan", "code": copy.barcode})
    with django_assert_max_num_queries(11):  # 1 of them for the header: is this staff login also a villager?
        desk.get(URL)


def test_daily_lists_show_overdue_with_phone_and_holds(desk, villager, other_villager):
    lend(make_book("逾期的书").copies.get(), villager, days_ago=45)
    waiting = make_book("在架的书")
    Hold.objects.create(book=waiting, member=other_villager)
    body_text = body(desk.get("/library/desk/lists/"))
    assert "逾期的书" in body_text and villager.mobile in body_text
    assert "在架的书" in body_text and "李秀兰" in body_text


def test_opening_the_daily_lists_changes_nothing_and_shows_a_hold_not_collected_in_time(desk, other_villager):
    copy = make_book("过期未取的书").copies.get()
    copy.status = "on_hold_shelf"
    copy.save()
    yesterday = timezone.localdate() - timedelta(days=1)
    hold = Hold.objects.create(book=copy.book, member=other_villager, status="ready", copy=copy, expires_on=yesterday)

    text = body(desk.get("/library/desk/lists/"))

    hold.refresh_from_db()
    assert hold.status == "ready"  # the nightly expire_holds lapses it, not a GET
    assert "过期未取的书" in text and "逾期未取" in text and f"原保留至 {yesterday:%Y-%m-%d}" in text


def test_labels_print_code128_barcodes(desk):
    book = make_book(copies=2)
    response = desk.get("/library/desk/labels/")
    text = body(response)
    assert text.count("data:image/svg+xml;base64,") == 2
    assert book.copies.first().barcode in text


def test_the_overdue_list_gives_the_guardian_to_call_for_a_child_without_a_mobile(
    desk, villager, django_assert_max_num_queries
):
    lend(make_book("绘本").copies.get(), make_dependant(villager), days_ago=45)
    with django_assert_max_num_queries(15) as one:
        desk.get("/library/desk/lists/")
    for number in range(10):
        lend(make_book(f"绘本{number}").copies.get(), make_dependant(villager), days_ago=45)
    with django_assert_max_num_queries(len(one)):
        text = body(desk.get("/library/desk/lists/"))
    assert text.count(f"王建华（监护人）{villager.mobile}") == 11


def test_a_scan_that_waited_too_long_for_another_desk_says_try_again(desk, villager):
    copy = make_book().copies.get()
    scan(desk, villager.reader_card)
    with mock.patch("lending.views.services.loan_checkout", side_effect=TryAgain()):
        response = desk.post(URL, {"action": "scan", "code": copy.barcode}, follow=True, HTTP_REFERER="/library/desk/")
    assert response.redirect_chain == [("/library/desk/", 302)]
    assert "系统繁忙，请再试一次" in body(response) and "王建华" in body(response)
    assert not Loan.objects.exists()


def test_a_page_that_cannot_get_its_lock_answers_a_short_503_not_a_loop(desk):
    with mock.patch("lending.views.Loan.objects.overdue", side_effect=TryAgain()):
        response = desk.get("/library/desk/lists/")
    assert response.status_code == 503 and response["Retry-After"] == "3"
