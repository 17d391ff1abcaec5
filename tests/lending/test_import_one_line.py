import pytest

from lending.models import Book
from tests.lending.test_import import upload

pytestmark = pytest.mark.django_db


def test_a_title_broken_over_two_lines_in_the_spreadsheet_is_imported_as_one_line(client, librarian):
    client.force_login(librarian)
    upload(client, 'title,author,copies\n"平凡的\n世界",路遥\t,1\n')

    client.post("/admin/lending/book/import/", {"confirm": "1"})

    book = Book.objects.get()
    assert (book.title, book.author) == ("平凡的 世界", "路遥")
