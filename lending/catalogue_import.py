"""Catalogue import from CSV: isbn, title, author, publisher, year, class, copies.

Each row is checked on its own; bad rows are named and skipped. A book is found again
by ISBN (or by title and author when there is none), and `copies` is the number of
copies the library should have, so importing the same file twice adds nothing."""

import csv
import io
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from lending.isbn import normalise_isbn
from lending.models import Book, ClassLetter, Copy

COLUMNS = ["isbn", "title", "author", "publisher", "year", "class", "copies"]
MAX_ROWS = 5000


@dataclass
class Row:
    number: int
    values: dict
    errors: list[str] = field(default_factory=list)


def parse(text: str) -> list[Row]:
    reader = csv.DictReader(io.StringIO(text))
    headers = [h.strip().lower() for h in (reader.fieldnames or [])]
    if "title" not in headers:
        return [Row(1, {}, [_("The first line must name the columns: %(columns)s.") % {"columns": ", ".join(COLUMNS)}])]
    reader.fieldnames = headers
    rows = []
    for number, raw in enumerate(reader, start=2):
        if number - 1 > MAX_ROWS:
            rows.append(Row(number, {}, [_("Only %(count)s rows can be imported at once.") % {"count": MAX_ROWS}]))
            break
        rows.append(_check(number, {key: (raw.get(key) or "").strip() for key in COLUMNS}))
    return rows


def _check(number: int, values: dict) -> Row:
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
    if values["year"] and not (values["year"].isdigit() and 1000 <= int(values["year"]) <= 2100):
        row.errors.append(_("the year %(year)s is not a year") % {"year": values["year"]})
    values["class"] = values["class"].upper()
    if values["class"] and values["class"] not in ClassLetter.values:
        row.errors.append(_("%(letter)s is not a class letter of 中图法") % {"letter": values["class"]})
    copies = values["copies"] or "1"
    if not copies.isdigit() or not 1 <= int(copies) <= 50:
        row.errors.append(_("copies must be a number from 1 to 50"))
    values["copies"] = copies
    for key in ("author", "publisher"):
        values[key] = values[key][: 100 if key == "publisher" else 200]
    return row


@transaction.atomic
def import_rows(rows: list[Row]) -> tuple[int, int]:
    """Import the good rows; returns (books added, copies added)."""
    books_added = copies_added = 0
    next_number = _next_barcode_number()
    for row in rows:
        if row.errors:
            continue
        v = row.values
        book = (
            Book.objects.filter(isbn=v["isbn"]).first()
            if v["isbn"]
            else Book.objects.filter(isbn="", title=v["title"], author=v["author"]).first()
        )
        if book is None:
            book = Book(
                isbn=v["isbn"] or "",
                title=v["title"],
                author=v["author"],
                publisher=v["publisher"],
                year=int(v["year"]) if v["year"] else None,
                class_letter=v["class"],
            )
            book.refresh_search()
            book.save()
            books_added += 1
        missing = max(0, int(v["copies"]) - book.copies.count())
        Copy.objects.bulk_create(
            Copy(book=book, barcode=f"B{number:08d}") for number in range(next_number, next_number + missing)
        )
        next_number += missing
        copies_added += missing
    return books_added, copies_added


def _next_barcode_number() -> int:
    """Barcodes for imported copies continue after the highest B-number in use."""
    highest = Copy.objects.filter(barcode__regex=r"^B\d{8}$").aggregate(top=Max("barcode"))["top"]
    return int(highest[1:]) + 1 if highest else 1
