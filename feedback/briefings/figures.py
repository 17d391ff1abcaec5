"""The small building blocks every section returns: figures, rates, tables and charts, all plain
dicts of strings and numbers so that a signed-off briefing can store them as JSON as they are."""

import math
from decimal import Decimal

from django.utils.translation import gettext as _

SMALL_N = 30  # a rate over fewer answers than this is marked as uncertain


def number(value) -> int | float:
    if isinstance(value, Decimal):
        value = float(value)
    return round(value, 1) if isinstance(value, float) else int(value or 0)


def figure(key, label, value, *, unit="", rows=None, target=None, last_year=None, note="", status="") -> dict:
    """A count or amount. `rows` names the table it was computed from (exported with it)."""
    value = number(value) if value is not None else None
    return {
        "key": key,
        "label": str(label),
        "value": value,
        "display": _no_data()
        if value is None
        else f"{value:g}{unit}"
        if isinstance(value, float)
        else f"{value}{unit}",
        "n": None,
        "small_n": False,
        "rows": rows,
        "target": str(target) if target is not None else "",
        "last_year": str(last_year) if last_year is not None else "",
        "note": str(note),
        "status": status,
    }


def rate(key, label, part, whole, *, rows=None, target=None, last_year=None, note="", status="") -> dict:
    """part ÷ whole as a percentage with its n; nothing to divide by reads 无数据, never 0%;
    an n below `SMALL_N` is marked, with the 95% margin."""
    part, whole = int(part or 0), int(whole or 0)
    result = figure(key, label, None, rows=rows, target=target, last_year=last_year, note=note, status=status)
    result["n"] = whole
    if whole:
        share = 100 * part / whole
        result["value"] = round(share, 1)
        result["display"] = f"{share:.1f}%"
        result["part"] = part
        result["margin"] = round(margin(part, whole), 1)
        result["small_n"] = whole < SMALL_N
    return result


def margin(part: int, whole: int) -> float:
    """The 95% margin of a share, in percentage points (normal approximation)."""
    if not whole:
        return 0.0
    p = part / whole
    return 196 * math.sqrt(p * (1 - p) / whole)


def percent_text(part, whole) -> str:
    return f"{100 * part / whole:.1f}%" if whole else _no_data()


def _no_data() -> str:
    return str(_("no data"))


def table(key, title, headers, rows) -> dict:
    return {"key": key, "title": str(title), "headers": [str(h) for h in headers], "rows": [list(r) for r in rows]}


def chart(key, title, points) -> dict:
    """A horizontal bar chart: (label, value, caption) per row, drawn by culturecenter/lib/charts.py."""
    return {"key": key, "title": str(title), "points": [[str(label), number(v), str(c)] for label, v, c in points]}


def section(number_, key, title, *, figures=(), tables=(), charts=(), flags=(), extra=None) -> dict:
    return {
        "number": number_,
        "key": key,
        "title": str(title),
        "figures": list(figures),
        "tables": list(tables),
        "charts": list(charts),
        "flags": [str(f) for f in flags],
        "extra": extra or {},
    }
