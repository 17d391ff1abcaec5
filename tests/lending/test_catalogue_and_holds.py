import re
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from culturecenter.models import Notice
from lending import services
from lending.isbn import normalise_isbn
from lending.models import Copy, Hold, Loan
from tests.conftest import lend, make_book, make_dependant, make_villager

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("978-7-02-000220-7", "9787020002207"),
        ("9787020002207", "9787020002207"),
        ("7-02-000220-X", "702000220X"),
        ("7-02-000220-1", None),
        ("0-306-40615-2", "0306406152"),
        ("０-３０６-４０６１５-２", "0306406152"),
        ("978-7-02-000220-8", None),
        ("12345", None),
        ("<script>", None),
    ],
)
def test_isbn_check_digits(text, expected):
    assert normalise_isbn(text) == expected


def titles(response):
    return [book.title for book in response.context["page"].object_list]


def test_search_by_chinese_substring_author_isbn_and_keyword(client):
    make_book("平凡的世界", author="路遥", isbn="9787020002207")
    make_book("京西古道", author="安全山", keywords="门头沟 古道")
    make_book("核桃栽培技术", author="张志华", class_letter="S")

    assert titles(client.get("/library/", {"q": "世界"})) == ["平凡的世界"]
    assert titles(client.get("/library/", {"q": "路遥"})) == ["平凡的世界"]
    assert titles(client.get("/library/", {"q": "978-7-02-000220-7"})) == ["平凡的世界"]
    assert titles(client.get("/library/", {"q": "门头沟"})) == ["京西古道"]
    assert titles(client.get("/library/", {"cls": "S"})) == ["核桃栽培技术"]


def test_available_now_hides_books_whose_copies_are_all_out(client, villager):
    out = make_book("借光了的书")
    lend(out.copies.get(), villager)
    make_book("在架的书")
    response = client.get("/library/", {"available": "on"})
    assert titles(response) == ["在架的书"]
    body = client.get("/library/").content.decode()
    assert "已全部借出 · 可预约" in body and "在架 1 册" in body


def test_catalogue_and_book_page_keep_a_fixed_query_count(client, villager, django_assert_max_num_queries):
    for i in range(25):
        book = make_book(f"书{i:02d}", copies=3)
        lend(book.copies.first(), make_villager())
    with django_assert_max_num_queries(11):  # 3 of them keep the page in the cache
        response = client.get("/library/")
    assert len(titles(response)) == 20
    client.force_login(villager.user)
    with django_assert_max_num_queries(14):
        client.get(f"/library/books/{book.pk}/")


def test_villager_places_a_hold_for_a_child_and_sees_it(villager_client, villager):
    child = make_dependant(villager)
    book = make_book()
    lend(book.copies.get(), make_villager())
    response = villager_client.post(f"/library/books/{book.pk}/hold/", {"member": child.pk}, follow=True)
    assert "已为 王小雨 预约" in response.content.decode()
    assert Hold.objects.get().member == child
    assert "王小雨" in villager_client.get("/accounts/me/").content.decode()


def test_hold_rules(villager_client, villager, other_villager):
    owned = make_book("已借的书")
    lend(owned.copies.get(), villager)
    first, second, third = make_book("一"), make_book("二"), make_book("三")

    assert (
        "王建华 已借了这本书"
        in villager_client.post(
            f"/library/books/{owned.pk}/hold/", {"member": villager.pk}, follow=True
        ).content.decode()
    )
    villager_client.post(f"/library/books/{first.pk}/hold/", {"member": villager.pk})
    assert (
        "王建华 已预约此书"
        in villager_client.post(
            f"/library/books/{first.pk}/hold/", {"member": villager.pk}, follow=True
        ).content.decode()
    )
    villager_client.post(f"/library/books/{second.pk}/hold/", {"member": villager.pk})
    assert (
        "已有 2 个预约，达到上限"
        in villager_client.post(
            f"/library/books/{third.pk}/hold/", {"member": villager.pk}, follow=True
        ).content.decode()
    )
    assert (
        "请选择你自己或你的家庭成员"
        in villager_client.post(
            f"/library/books/{third.pk}/hold/", {"member": other_villager.pk}, follow=True
        ).content.decode()
    )
    assert Hold.objects.count() == 2


def test_a_ready_hold_passes_to_the_next_reader_after_the_pickup_days(db):
    book = make_book()
    copy = book.copies.get()
    first, second = make_villager(name="甲"), make_villager(name="乙")
    lend(copy, make_villager())
    Hold.objects.create(book=book, member=first, placed_at=timezone.now() - timedelta(days=2))
    Hold.objects.create(book=book, member=second, placed_at=timezone.now() - timedelta(days=1))
    services.loan_return(barcode=copy.barcode, by=None)
    assert Hold.objects.get(member=first).status == "ready"

    with time_machine.travel(timezone.now() + timedelta(days=7), tick=False):
        assert services.holds_expire() == 0
    with time_machine.travel(timezone.now() + timedelta(days=8), tick=False):
        assert services.holds_expire() == 1

    assert Hold.objects.get(member=first).status == "expired"
    nxt = Hold.objects.get(member=second)
    assert nxt.status == "ready" and nxt.copy == copy
    assert Notice.objects.filter(member=second, text__contains="已到馆").exists()


def test_cancelling_a_ready_hold_shelves_the_copy(villager_client, villager):
    book = make_book()
    copy = book.copies.get()
    copy.status = "on_hold_shelf"
    copy.save()
    hold = Hold.objects.create(book=book, member=villager, status="ready", copy=copy)
    villager_client.post(f"/library/holds/{hold.pk}/cancel/")
    copy.refresh_from_db()
    hold.refresh_from_db()
    assert (hold.status, copy.status) == ("cancelled", "on_shelf")


def test_another_households_hold_and_loan_are_404(villager_client, other_villager):
    book = make_book()
    hold = Hold.objects.create(book=book, member=other_villager)
    loan = lend(make_book("别人的书").copies.get(), other_villager)
    assert villager_client.post(f"/library/holds/{hold.pk}/cancel/").status_code == 404
    assert villager_client.post(f"/library/loans/{loan.pk}/renew/").status_code == 404


def test_online_renewal_once_and_not_when_someone_waits(villager_client, villager, other_villager):
    loan = lend(make_book("可续借").copies.get(), villager, days_ago=25)
    page = villager_client.get("/accounts/me/").content.decode()
    assert "可续借" in page and "续借" in page

    response = villager_client.post(f"/library/loans/{loan.pk}/renew/", follow=True)
    assert "已续借至" in response.content.decode()
    loan.refresh_from_db()
    assert loan.renewals == 1 and loan.due_date == timezone.localdate() + timedelta(days=30)
    again = villager_client.post(f"/library/loans/{loan.pk}/renew/", follow=True)
    assert "已续借 1 次，达到上限" in again.content.decode()

    wanted = lend(make_book("有人等").copies.get(), villager)
    Hold.objects.create(book=wanted.copy.book, member=other_villager)
    refused = villager_client.post(f"/library/loans/{wanted.pk}/renew/", follow=True)
    assert "有人预约，不能续借" in refused.content.decode()


def test_overdue_loans_are_renewed_only_at_the_desk(villager_client, villager):
    loan = lend(make_book().copies.get(), villager, days_ago=40)
    response = villager_client.post(f"/library/loans/{loan.pk}/renew/", follow=True)
    assert "已逾期，请到馆归还" in response.content.decode()


def test_reading_history_lists_returned_books(villager_client, villager):
    loan = lend(make_book("读过的书").copies.get(), villager, days_ago=10)
    services.loan_return(barcode=loan.copy.barcode, by=None)
    page = villager_client.get("/accounts/me/").content.decode()
    assert "借阅历史" in page and "读过的书" in page
    assert Loan.objects.count() == 1  # history is the loan rows; nothing deleted
    assert Copy.objects.get().status == "on_shelf"


def test_expire_holds_command_runs_daily(db):
    import io

    from django.core.management import call_command

    out = io.StringIO()
    call_command("expire_holds", stdout=out)
    assert "Expired 0 holds." in out.getvalue()


def test_cancelling_a_hold_asks_once_and_nothing_changes_until_confirmed(villager_client, villager):
    book = make_book("红楼梦")
    hold = Hold.objects.create(book=book, member=villager)
    page = villager_client.get(f"/library/holds/{hold.pk}/cancel/?next=book").content.decode()
    assert "取消《红楼梦》的预约？" in page and "排队的位置" in page
    assert 'method="post"' in page and f'href="/library/books/{book.pk}/"' in page
    hold.refresh_from_db()
    assert hold.status == "waiting"

    response = villager_client.post(f"/library/holds/{hold.pk}/cancel/", {"next": "book"}, follow=True)
    assert response.redirect_chain[-1][0] == f"/library/books/{book.pk}/"
    assert "已取消《红楼梦》的预约" in response.content.decode()
    hold.refresh_from_db()
    assert hold.status == "cancelled"


def test_my_account_links_to_the_hold_confirmation_instead_of_cancelling_at_once(villager_client, villager):
    hold = Hold.objects.create(book=make_book("红楼梦"), member=villager)
    page = villager_client.get("/accounts/me/").content.decode()
    assert f'href="/library/holds/{hold.pk}/cancel/"' in page
    assert f'action="/library/holds/{hold.pk}/cancel/"' not in page


def test_an_early_renewal_says_the_new_due_date_before_using_the_only_renewal(villager_client, villager):
    loan = lend(make_book("活着").copies.get(), villager, days_ago=2)
    page = villager_client.get(f"/library/loans/{loan.pk}/renew/").content.decode()
    new_due = (timezone.localdate() + timedelta(days=30)).strftime("%Y-%m-%d")
    assert f"续借后应还日期：{new_due}" in page
    assert "只能续借 1 次" in page and "只多借 2 天" in page
    loan.refresh_from_db()
    assert loan.renewals == 0

    villager_client.post(f"/library/loans/{loan.pk}/renew/")
    loan.refresh_from_db()
    assert loan.renewals == 1 and loan.due_date.strftime("%Y-%m-%d") == new_due


def test_the_renew_button_leads_to_the_confirmation_page(villager_client, villager):
    loan = lend(make_book("活着").copies.get(), villager)
    page = villager_client.get("/accounts/me/").content.decode()
    assert f'href="/library/loans/{loan.pk}/renew/"' in page


def test_a_loan_that_cannot_be_renewed_says_why_instead_of_asking(villager_client, villager):
    loan = lend(make_book().copies.get(), villager, days_ago=40)
    response = villager_client.get(f"/library/loans/{loan.pk}/renew/", follow=True)
    assert response.redirect_chain[-1][0] == "/accounts/me/"
    assert "已逾期，请到馆归还" in response.content.decode()


def test_another_households_confirmation_pages_are_404(villager_client, other_villager):
    hold = Hold.objects.create(book=make_book(), member=other_villager)
    loan = lend(make_book("别人的书").copies.get(), other_villager)
    assert villager_client.get(f"/library/holds/{hold.pk}/cancel/").status_code == 404
    assert villager_client.get(f"/library/loans/{loan.pk}/renew/").status_code == 404


def test_the_hold_form_picks_the_account_holder_first(villager_client, villager):
    make_dependant(villager, name="王小雨", birth_year=2017)
    book = make_book()
    body = villager_client.get(f"/library/books/{book.pk}/").content.decode()
    options = re.findall(r'<option value="(\d+)"', body)
    assert options[0] == str(villager.pk)


def test_the_books_holds_in_the_admin_say_who_cancelled_each(villager_client, villager, client, librarian):
    book = make_book()
    hold = Hold.objects.create(book=book, member=villager)
    villager_client.post(f"/library/holds/{hold.pk}/cancel/")
    hold.refresh_from_db()
    assert hold.status == "cancelled" and hold.cancelled_by == villager.user and hold.closed_at

    client.force_login(librarian)
    page = client.get(f"/admin/lending/book/{book.pk}/change/").content.decode()
    assert "取消人" in page and "王建华" in page
    listing = client.get("/admin/lending/hold/").content.decode()
    assert "取消人" in listing and "王建华" in listing
