"""Everything the portal keeps about a person, gathered section by section.

`culturecenter` imports no app, yet “Download my data” must hold sign-ups, loans,
questionnaire answers and the rest. So each app registers, in its `AppConfig.ready()`,
the sections it owns: a title, its columns and a function that gives the rows for a
household's members. Each function runs a fixed number of queries, however many rows."""

import io
import json
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from culturecenter.lib.export import workbook_bytes


@dataclass(frozen=True)
class DataSection:
    key: str  # stable, English: the JSON key and part of nothing visible
    title: str  # lazy translation: a heading and a sheet name
    columns: Sequence[tuple[str, str]]  # (key, label) of each column, in order
    rows: Callable[[list], Iterable[dict]]  # members → one dict per row, keyed like the columns


_registry: list[DataSection] = []


def register(section: DataSection) -> None:
    """Add a section once (ready() may run more than once in tests)."""
    if all(existing.key != section.key for existing in _registry):
        _registry.append(section)


def label(model, field: str) -> str:
    """A column label from the model field's own (translated) name."""
    return model._meta.get_field(field).verbose_name


def when(value) -> str:
    """A date or time the way a villager reads it, in the center's time zone."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.strftime("%Y-%m-%d")
    return str(value)


def yes_no(value: bool) -> str:
    return str(_("yes") if value else _("no"))


def collect(people: list) -> list[dict]:
    """[{"key", "title", "columns": [(key, label)], "rows": [[value, …]]}] for every section,
    rows in column order, values as text or numbers (ready for a table, JSON or a sheet)."""
    result = []
    for section in _registry:
        keys = [key for key, _label in section.columns]
        rows = [[_plain(row.get(key)) for key in keys] for row in section.rows(people)]
        result.append(
            {
                "key": section.key,
                "title": str(section.title),
                "columns": [(key, str(name)) for key, name in section.columns],
                "rows": rows,
            }
        )
    return result


def _plain(value):
    if value is None or isinstance(value, int | float):
        return value
    if isinstance(value, date | datetime):
        return when(value)
    return str(value)


def as_json(export: dict) -> dict:
    """The export keyed by section, each row a dict keyed by its columns."""
    result = {"exported_at": export["exported_at"]}
    for section in export["sections"]:
        keys = [key for key, _name in section["columns"]]
        result[section["key"]] = {
            "title": section["title"],
            "rows": [dict(zip(keys, row, strict=True)) for row in section["rows"]],
        }
    return result


def zip_bytes(export: dict, *, stem: str) -> bytes:
    """A ZIP a villager can open: a spreadsheet with one sheet per section, the same as
    JSON for a computer, and a line saying which is which."""
    sheets = [
        (section["title"], [name for _key, name in section["columns"]], section["rows"])
        for section in export["sections"]
    ]
    readme = gettext(
        "Open the .xlsx file with Excel, WPS or a phone's office app. The .json file holds the same data for computers."
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"{stem}.xlsx", workbook_bytes(sheets))
        archive.writestr(f"{stem}.json", json.dumps(as_json(export), ensure_ascii=False, indent=2))
        archive.writestr("README.txt", readme + "\n")
    return buffer.getvalue()
