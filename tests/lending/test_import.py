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
