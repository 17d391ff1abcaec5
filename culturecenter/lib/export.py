"""Tables as CSV (opens in Excel, Chinese intact) or XLSX downloads."""

import csv
import io

from django.http import HttpResponse
from django.utils.functional import Promise
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

# A cell starting with one of these would run as a formula in a spreadsheet.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _safe(value):
    if isinstance(value, Promise):  # a lazy translation, e.g. a choice label
        value = str(value)
    if isinstance(value, str):
        # Control characters typed before names refused them would make openpyxl refuse the whole file.
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
        if value.startswith(_FORMULA_START):
            return "'" + value
    return "" if value is None else value


def workbook_bytes(sheets) -> bytes:
    """An XLSX file with one sheet per (title, headers, rows)."""
    workbook = Workbook(write_only=True)
    for title, headers, rows in sheets:
        sheet = workbook.create_sheet(title=_sheet_title(str(title)))
        sheet.append([_safe(str(h)) for h in headers])
        for row in rows:
            sheet.append([_safe(value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _sheet_title(title: str) -> str:
    # Excel refuses these characters in a sheet's name and more than 31 of them.
    return "".join("_" if ch in "[]:*?/\\" else ch for ch in title)[:31] or "Sheet"


def table_response(*, headers: list[str], rows, filename: str, fmt: str) -> HttpResponse:
    """`rows` is any iterable of sequences; `fmt` is "csv" or "xlsx"."""
    if fmt == "xlsx":
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet()
        sheet.append([_safe(str(h)) for h in headers])
        for row in rows:
            sheet.append([_safe(value) for value in row])
        buffer = io.BytesIO()
        workbook.save(buffer)
        response = HttpResponse(
            buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
    else:
        buffer = io.StringIO()
        buffer.write("\ufeff")  # lets Excel recognise UTF-8
        writer = csv.writer(buffer)
        writer.writerow([_safe(str(h)) for h in headers])
        for row in rows:
            writer.writerow([_safe(value) for value in row])
        response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response
