"""Substring search: Chinese and Latin letters alike, with trigram indexes on PostgreSQL."""

import pytest
from django.db import connection

from tests.conftest import make_book

pytestmark = pytest.mark.django_db


def test_catalogue_finds_chinese_words_inside_titles(client):
    make_book("永定河畔的守林人")
    make_book("平凡的世界")
    body = client.get("/library/", {"q": "守林人"}).content.decode()
    assert "永定河畔的守林人" in body and "平凡的世界" not in body


def test_catalogue_search_ignores_the_case_of_latin_letters(client):
    make_book("Charlotte's Web 夏洛的网", author="E.B. White")
    assert "夏洛的网" in client.get("/library/", {"q": "charlotte"}).content.decode()
    assert "夏洛的网" in client.get("/library/", {"q": "WHITE"}).content.decode()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="trigram indexes exist on PostgreSQL only")
def test_searched_columns_have_trigram_indexes_on_postgresql():
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE indexname LIKE %s", ["%trgm"])
        names = {row[0] for row in cursor.fetchall()}
    for column in ("lending_book_title", "lending_book_author", "culturecenter_member_name", "activities_event_title"):
        assert {f"{column}_trgm", f"{column}_upper_trgm"} <= names
