"""Catalogue import from CSV, with English or Chinese column names (isbn/ISBN, title/书名,
author/作者, publisher/出版社, year/出版年, class/分类号, copies/册数, barcode/条码, shelf/书架).

Each row is checked on its own; bad rows are named and skipped. A book is found again
by ISBN (or by title and author when there is none). A row with a barcode is one copy
(the library's own label, kept); a row without one says with `copies` how many copies the
library should have. Either way, importing the same file twice adds nothing."""

import csv
import io
import re
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from culturecenter.lib.text import one_line
from lending.isbn import FULL_WIDTH, normalise_isbn
from lending.models import Book, ClassLetter, Copy

COLUMNS = ["isbn", "title", "author", "publisher", "year", "class", "copies", "barcode", "shelf"]
# What library systems and spreadsheets call each column; compared without spaces, case or width.
HEADER_NAMES = {
    "isbn": ["isbn", "isbn号", "国际标准书号", "书号"],
    "title": ["title", "书名", "题名", "正题名", "图书名称"],
    "author": ["author", "作者", "著者", "责任者", "编著者"],
    "publisher": ["publisher", "出版社", "出版者", "出版单位"],
    "year": ["year", "出版年", "出版年份", "出版时间", "出版日期", "年份"],
    "class": ["class", "分类号", "中图分类号", "中图法分类号", "分类", "类别"],
    "copies": ["copies", "册数", "复本数", "复本", "数量"],
    "barcode": ["barcode", "条码", "条码号", "条形码"],
    "shelf": ["shelf", "书架", "架位", "排架号", "馆藏位置", "书架号"],
}
COLUMN_HELP = (
    "书名/title, 作者/author, 出版社/publisher, 出版年/year, ISBN, 分类号/class, 册数/copies, 条码/barcode, 书架/shelf"
)
HEADERS = {name: column for column, names in HEADER_NAMES.items() for name in names}
MAX_ROWS = 5000
FIRST_PRINTED_YEAR = 1450  # anything older is a typing mistake, not a book on a village library's shelf
YEAR = re.compile(r"(\d{4})(?:年|[-./年]\d{1,2}月?(?:[-./]\d{1,2}日?)?)?")
CLASS_NUMBER = re.compile(r"([A-Z])[0-9A-Z.\-/:()=]*")


@dataclass
class Row:
    number: int
    values: dict
    errors: list[str] = field(default_factory=list)


def column_for(header: str) -> str | None:
    """The column a header names (“书名 ”, “ISBN”, “Title”), or None for a column we do not use."""
    return HEADERS.get(re.sub(r"\s", "", (header or "").translate(FULL_WIDTH)).lower().lstrip("\ufeff"))


def parse(text: str) -> list[Row]:
    reader = csv.reader(io.StringIO(text))
    headers = [column_for(h) for h in next(reader, [])]
    if "title" not in headers:
        return [Row(1, {}, [_("The first line must name the columns: %(columns)s.") % {"columns": COLUMN_HELP}])]
    rows, this_year = [], timezone.localdate().year
    barcodes = set()
    for number, cells in enumerate(reader, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        if number - 1 > MAX_ROWS:
            rows.append(Row(number, {}, [_("Only %(count)s rows can be imported at once.") % {"count": MAX_ROWS}]))
            break
        values = dict.fromkeys(COLUMNS, "")
        for column, cell in zip(headers, cells, strict=False):
            if column and not values[column]:
                values[column] = one_line(cell)  # a cell broken over lines in Excel is one title
        row = _check(number, values, this_year)
        if row.values["barcode"] in barcodes:
            row.errors.append(_("barcode %(code)s appears twice in the file") % {"code": row.values["barcode"]})
        barcodes.add(row.values["barcode"] or None)
        rows.append(row)
    _check_barcodes_in_catalogue(rows)
    return rows


def _check_barcodes_in_catalogue(rows: list[Row]) -> None:
    """A barcode already on a copy of the same book is imported already; on another book, a mistake."""
    wanted = [row.values["barcode"] for row in rows if row.values.get("barcode")]
    existing = {
        barcode: (isbn, title)
        for barcode, isbn, title in Copy.objects.filter(barcode__in=wanted).values_list(
            "barcode", "book__isbn", "book__title"
        )
    }
    for row in rows:
        found = existing.get(row.values.get("barcode"))
        if found is None:
            continue
        isbn, title = found
        if (row.values["isbn"] and row.values["isbn"] == isbn) or (
            not row.values["isbn"] and row.values["title"] == title
        ):
            row.values["in_catalogue"] = True
        else:
            row.errors.append(
                _("barcode %(code)s is already on a copy of “%(title)s”")
                % {"code": row.values["barcode"], "title": title}
            )


def _check(number: int, values: dict, this_year: int) -> Row:
    row = Row(number, values)
    if not values["title"]:
        row.errors.append(_("the title is missing"))
    elif len(values["title"]) > 200:
        row.errors.append(_("the title is longer than 200 characters"))
    if values["isbn"]:
        isbn = normalise_isbn(values["isbn"])
        if isbn is None:
            row.errors.append(_("ISBN %(isbn)s is not valid") % {"isbn": values["isbn"]})
        values["isbn"] = isbn or values["isbn"]
    _check_year(row, this_year)
    letter = CLASS_NUMBER.fullmatch(values["class"].translate(FULL_WIDTH).upper().replace(" ", ""))
    if values["class"] and (letter is None or letter.group(1) not in ClassLetter.values):
        row.errors.append(_("%(letter)s is not a class letter of 中图法") % {"letter": values["class"]})
    values["class"] = letter.group(1) if letter else ""
    copies = values["copies"] or "1"
    if not copies.isdigit() or not 1 <= int(copies) <= 50:
        row.errors.append(_("copies must be a number from 1 to 50"))
    values["copies"] = copies
    barcode = re.sub(r"\s", "", values["barcode"].translate(FULL_WIDTH)).upper()
    if barcode and not re.fullmatch(r"B\d{4,12}", barcode):
        row.errors.append(_("barcode %(code)s is not B followed by 4 to 12 digits") % {"code": values["barcode"]})
    values["barcode"] = barcode
    for key, limit in (("author", 200), ("publisher", 100), ("shelf", 30)):
        values[key] = values[key][:limit]
    return row


def _check_year(row: Row, this_year: int) -> None:
    text = row.values["year"].translate(FULL_WIDTH).strip()
    if not text:
        row.values["year"] = None
        return
    found = YEAR.fullmatch(text)
    year = int(found.group(1)) if found else None
    if year is None or year < FIRST_PRINTED_YEAR:
        row.errors.append(
            _("line %(line)s: the publication year “%(year)s” is not a year") % {"line": row.number, "year": text}
        )
    elif year > this_year:
        row.errors.append(
            _("line %(line)s: the publication year %(year)s is in the future (this is %(now)s)")
            % {"line": row.number, "year": year, "now": this_year}
        )
    row.values["year"] = year


def _find_or_create_book(values: dict) -> tuple[Book, bool]:
    book = (
        Book.objects.filter(isbn=values["isbn"]).first()
        if values["isbn"]
        else Book.objects.filter(isbn="", title=values["title"], author=values["author"]).first()
    )
    if book is not None:
        return book, False
    book = Book(
        isbn=values["isbn"] or "",
        title=values["title"],
        author=values["author"],
        publisher=values["publisher"],
        year=values["year"],
        class_letter=values["class"],
    )
    book.refresh_search()
    book.save()
    return book, True


@transaction.atomic
def import_rows(rows: list[Row]) -> tuple[int, int]:
    """Import the good rows; returns (books added, copies added). Rows with their own barcode go
    first, so the barcodes made for the others continue after them."""
    books_added = copies_added = 0
    good = [row for row in rows if not row.errors and not row.values.get("in_catalogue")]
    labelled = [row for row in good if row.values["barcode"]]
    for row in labelled:
        book, created = _find_or_create_book(row.values)
        Copy.objects.create(book=book, barcode=row.values["barcode"], shelf=row.values["shelf"])
        books_added, copies_added = books_added + created, copies_added + 1
    next_number = _next_barcode_number()
    for row in good:
        if row.values["barcode"]:
            continue
        book, created = _find_or_create_book(row.values)
        missing = max(0, int(row.values["copies"]) - book.copies.count())
        Copy.objects.bulk_create(
            Copy(book=book, barcode=f"B{number:08d}", shelf=row.values["shelf"])
            for number in range(next_number, next_number + missing)
        )
        next_number += missing
        books_added, copies_added = books_added + created, copies_added + missing
    return books_added, copies_added


def _next_barcode_number() -> int:
    """Barcodes for imported copies continue after the highest B-number in use."""
    highest = Copy.objects.filter(barcode__regex=r"^B\d{8}$").aggregate(top=Max("barcode"))["top"]
    return int(highest[1:]) + 1 if highest else 1
