import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from lending.models import Book, Copy

pytestmark = pytest.mark.django_db

CSV = """isbn,title,author,publisher,year,class,copies
978-7-02-000220-7,平凡的世界,路遥,人民文学出版社,2005,I,2
,京西古道,安全山,北京出版社,2012,K,1
978-7-02-000220-8,坏校验位,某人,某社,2000,I,1
,,无书名,,,,1
9787200084467,年份错误,某人,某社,二〇一二,I,1
9787200084467,分类错误,某人,某社,2012,W,1
"""


def upload(client, text=CSV, encoding="utf-8"):
    return client.post("/admin/lending/book/import/", {"file": SimpleUploadedFile("books.csv", text.encode(encoding))})


def test_preview_names_bad_rows_then_import_keeps_the_good_ones(client, librarian):
    client.force_login(librarian)
    preview = upload(client).content.decode()
    assert "2 行可以导入；4 行有问题" in preview
    for problem in ("ISBN 978-7-02-000220-8 无效", "缺少书名", "不是有效年份", "不是中图法的大类字母"):
        assert problem in preview
    assert not Book.objects.exists()  # nothing before confirming

    response = client.post("/admin/lending/book/import/", {"confirm": "1"}, follow=True)

    assert "新增图书 2 种、复本 3 册；跳过 4 行" in response.content.decode()
    assert Book.objects.get(isbn="9787020002207").copies.count() == 2
    assert Copy.objects.filter(book__title="京西古道").count() == 1


def test_importing_the_same_file_twice_adds_nothing_twice(client, librarian):
    client.force_login(librarian)
    for _round in range(2):
        upload(client)
        client.post("/admin/lending/book/import/", {"confirm": "1"})
    assert Book.objects.count() == 2
    assert Copy.objects.count() == 3


def test_gbk_files_from_excel_are_read(client, librarian):
    client.force_login(librarian)
    upload(client, "isbn,title,author,publisher,year,class,copies\n,农家书屋,某人,某社,2010,S,1\n", "gbk")
    client.post("/admin/lending/book/import/", {"confirm": "1"})
    assert Book.objects.get().title == "农家书屋"


def test_a_file_without_headers_is_explained(client, librarian):
    client.force_login(librarian)
    assert "第一行必须是列名" in upload(client, "hello,world\n1,2\n").content.decode()


def test_villagers_cannot_import(villager_client):
    response = villager_client.get("/admin/lending/book/import/")
    assert response.status_code == 302 and "/admin/login/" in response.url


CHINESE_CSV = """书名,作者,出版社,出版年,ISBN,分类号,条码,书架
平凡的世界,路遥,人民文学出版社,2005,978-7-02-000220-7,I247.5,B20240001,文学 A-3
平凡的世界,路遥,人民文学出版社,2005,978-7-02-000220-7,I247.5,B20240002,文学 A-3
京西古道,安全山,北京出版社,2012年,,K928,B20240003,地方 K-1
"""


def test_a_file_with_chinese_column_names_is_imported_with_its_barcodes_and_shelves(client, librarian):
    client.force_login(librarian)
    preview = upload(client, CHINESE_CSV).content.decode()
    assert "3 行可以导入；0 行有问题" in preview

    response = client.post("/admin/lending/book/import/", {"confirm": "1"}, follow=True)
    assert "新增图书 2 种、复本 3 册" in response.content.decode()
    book = Book.objects.get(isbn="9787020002207")
    assert (book.author, book.year, book.class_letter) == ("路遥", 2005, "I")
    assert list(book.copies.values_list("barcode", "shelf")) == [
        ("B20240001", "文学 A-3"),
        ("B20240002", "文学 A-3"),
    ]
    assert Book.objects.get(title="京西古道").year == 2012

    upload(client, CHINESE_CSV)
    client.post("/admin/lending/book/import/", {"confirm": "1"})
    assert Copy.objects.count() == 3  # the same file again adds nothing


def test_a_publication_year_in_the_future_or_nonsense_is_refused_naming_the_row(client, librarian):
    client.force_login(librarian)
    text = "书名,出版年\n明年的书,2031\n古书,0199\n好书,2019\n"
    preview = upload(client, text).content.decode()
    assert "第 2 行：出版年 2031 还没有到（今年是" in preview
    assert "第 3 行：出版年“0199”不是有效年份" in preview
    assert "1 行可以导入；2 行有问题" in preview


def test_a_barcode_already_on_another_book_is_refused_before_importing(client, librarian):
    client.force_login(librarian)
    from tests.conftest import make_book

    other = make_book("别的书")
    barcode = other.copies.get().barcode
    preview = upload(client, f"书名,条码\n新书,{barcode}\n新书二,B2024X\n").content.decode()
    assert f"条码 {barcode} 已经贴在《别的书》的一册书上" in preview
    assert "条码 B2024X 不是 B 加 4 到 12 位数字" in preview


def test_the_labels_page_says_how_many_are_shown_and_pages_through_all_500(client, librarian):
    from lending.views import LABELS_PER_PAGE

    client.force_login(librarian)
    book = Book.objects.create(title="新书")
    Copy.objects.bulk_create(Copy(book=book, barcode=f"B{n:08d}") for n in range(1, 251))
    first = client.get("/library/desk/labels/").content.decode()
    assert LABELS_PER_PAGE == 100
    assert first.count("data:image/svg+xml;base64,") == 100
    assert "第 1–100 张，共 250 张" in first and "page=2" in first
    last = client.get("/library/desk/labels/", {"page": 3}).content.decode()
    assert last.count("data:image/svg+xml;base64,") == 50 and "B00000250" in last
    assert "第 201–250 张，共 250 张" in last
