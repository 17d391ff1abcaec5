"""Catalogue search as villagers type it: several words, pinyin, part of an ISBN; indexed on PostgreSQL."""

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from lending.models import Book
from tests.conftest import make_book

pytestmark = pytest.mark.django_db


def found(client, q):
    return [book.title for book in client.get("/library/", {"q": q}).context["page"].object_list]


@pytest.fixture
def shelf(db):
    make_book("红楼梦", author="曹雪芹", isbn="9787020002207", publisher="人民文学出版社")
    make_book("红楼梦诗词赏析", author="蔡义江")
    make_book("曹雪芹传", author="周汝昌")
    make_book("活着", author="余华", isbn="750636543X")  # an older book catalogued with its ISBN-10
    make_book("活着的意义", author="周国平", keywords="人生 哲学")
    make_book("兄弟", author="余华")


def test_catalogue_finds_chinese_words_inside_titles(client):
    make_book("永定河畔的守林人")
    make_book("平凡的世界")
    body = client.get("/library/", {"q": "守林人"}).content.decode()
    assert "永定河畔的守林人" in body and "平凡的世界" not in body


def test_catalogue_search_ignores_the_case_of_latin_letters(client):
    make_book("Charlotte's Web 夏洛的网", author="E.B. White")
    assert found(client, "charlotte") == ["Charlotte's Web 夏洛的网"]
    assert found(client, "WHITE") == ["Charlotte's Web 夏洛的网"]


@pytest.mark.parametrize(
    ("q", "titles"),
    [
        ("红楼梦 曹雪芹", ["红楼梦"]),
        ("活着 余华", ["活着"]),
        ("曹雪芹\u3000红楼梦", ["红楼梦"]),  # a full-width space from a Chinese input method
        ("  余华  ", ["兄弟", "活着"]),
        ("活着 哲学", ["活着的意义"]),  # a keyword
        ("红楼梦 人民文学", ["红楼梦"]),  # the publisher
        ("红楼梦 余华", []),
    ],
)
def test_every_word_must_be_in_some_field_of_the_book(client, shelf, q, titles):
    assert found(client, q) == titles


@pytest.mark.parametrize(
    ("q", "titles"),
    [
        ("hongloumeng", ["红楼梦", "红楼梦诗词赏析"]),
        ("HongLouMeng", ["红楼梦", "红楼梦诗词赏析"]),
        ("hlm", ["红楼梦", "红楼梦诗词赏析"]),
        ("ｈｌｍｓｃ", ["红楼梦诗词赏析"]),  # full-width letters
        ("caoxueqin", ["曹雪芹传", "红楼梦"]),
        ("cao xue qin", ["曹雪芹传", "红楼梦"]),
        ("hlm cxq", ["红楼梦"]),
        ("huozhe yuhua", ["活着"]),
        ("yh", ["兄弟", "活着"]),
    ],
)
def test_titles_and_authors_are_found_by_pinyin_and_initials(client, shelf, q, titles):
    assert found(client, q) == titles


@pytest.mark.parametrize(
    ("q", "titles"),
    [
        ("9787020002207", ["红楼梦"]),
        ("978-7-02-000220-7", ["红楼梦"]),
        ("978 7 02 000220 7", ["红楼梦"]),
        ("020002", ["红楼梦"]),  # six digits: part of an ISBN
        ("02-0002", ["红楼梦"]),
        ("636543x", ["活着"]),
        ("7-5063-6543-X", ["活着"]),  # printed in the old book
        ("9787506365437", ["活着"]),  # the EAN on its back: the same ISBN in 13 digits
        ("02000", []),  # five digits are too few to be an ISBN
        ("020002 余华", []),
    ],
)
def test_a_whole_or_partial_isbn_finds_the_book(client, shelf, q, titles):
    assert found(client, q) == titles


def test_search_results_keep_a_fixed_query_count(client, django_assert_max_num_queries):
    for n in range(30):
        make_book(f"山村故事第{n}集", author="王大山", copies=2)
    with django_assert_max_num_queries(11):  # 3 of them keep the page in the cache
        response = client.get("/library/", {"q": "故事 wds"})
    assert response.context["page"].paginator.count == 30
    with django_assert_max_num_queries(1):  # the next villager asking the same gets the kept page
        again = client.get("/library/", {"q": "故事 wds"})
    assert again.content.decode().count("山村故事第") == response.content.decode().count("山村故事第") == 20


def test_a_book_added_in_the_admin_is_found_by_its_pinyin(client, librarian):
    client.force_login(librarian)
    form = {"title": "平凡的世界", "author": "路遥", "isbn": "978-7-02-000220-7", "keywords": "陕北 农村"}
    for inline in ("copies", "holds"):
        form |= {f"{inline}-{key}": value for key, value in {"TOTAL_FORMS": 0, "INITIAL_FORMS": 0}.items()}
    assert client.post("/admin/lending/book/add/", form).status_code == 302
    assert found(client, "pingfan luyao") == ["平凡的世界"]
    book = Book.objects.get()
    client.post(f"/admin/lending/book/{book.pk}/change/", form | {"title": "人生"})
    assert found(client, "rensheng") == ["人生"] and found(client, "pingfan") == []


def test_imported_and_desk_added_books_are_found(client, librarian):
    client.force_login(librarian)
    csv = "isbn,title,author,publisher,year,class,copies\n,农家书屋,李大力,某社,2010,S,1\n"
    client.post("/admin/lending/book/import/", {"file": SimpleUploadedFile("books.csv", csv.encode())})
    client.post("/admin/lending/book/import/", {"confirm": "1"})
    client.post("/library/desk/", {"action": "scan", "code": "B12345678"})
    client.post("/library/desk/", {"action": "quick_add", "title": "京西古道", "isbn": ""})
    assert found(client, "nongjia lidali") == ["农家书屋"]
    assert found(client, "jxgd") == ["京西古道"]


def test_the_data_migration_makes_books_saved_before_it_searchable(client):
    from importlib import import_module

    Book.objects.create(title="红岩", author="罗广斌")  # as it was: no search columns filled
    assert found(client, "红岩") == []
    import_module("lending.migrations.0010_fill_book_search").fill(apps, None)
    assert found(client, "红岩 hy") == ["红岩"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the token index exists on PostgreSQL only")
def test_a_two_character_word_is_answered_by_the_token_index_on_postgresql():
    make_book("山村故事")
    sql, params = Book.objects.search("故事").order_by("title", "pk").query.sql_with_params()
    with connection.cursor() as cursor:
        # A tiny table is read whole; switched off, that shows the index can answer instead.
        cursor.execute("SET LOCAL enable_seqscan = off; SET LOCAL enable_indexscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "lending_book_search_tokens_gin" in plan, plan


@pytest.mark.skipif(connection.vendor != "postgresql", reason="trigram indexes exist on PostgreSQL only")
def test_searched_columns_have_trigram_indexes_on_postgresql():
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE indexname LIKE %s", ["%trgm"])
        names = {row[0] for row in cursor.fetchall()}
    for column in ("lending_book_title", "lending_book_author", "culturecenter_member_name", "activities_event_title"):
        assert {f"{column}_trgm", f"{column}_upper_trgm"} <= names


def test_a_very_common_word_counts_only_so_far_and_asks_for_another_word(client, monkeypatch):
    monkeypatch.setattr("lending.views.MAX_RESULTS", 4)
    for n in range(6):
        make_book(f"故事{n}", author="王大山" if n < 3 else "李小河")
    page = client.get("/library/", {"q": "故事"})
    assert "超过 4 种图书。再加一个词（如作者）可以缩小范围。" in page.content.decode()
    assert len(page.context["page"].object_list) == 4
    assert "共 3 种图书" in client.get("/library/", {"q": "故事 王大山"}).content.decode()
