"""Bar charts drawn on the server as SVG geometry; templates/includes/bar_chart.html (a series over
time, vertical bars) and templates/includes/hbar_chart.html (labelled answers, one row each) render them.

Both keep their aspect ratio when scaled, so text is never stretched; every bar that carries a label
carries it under (or beside) itself."""

import math
import unicodedata
from dataclasses import dataclass

MAX_AXIS_LABELS = 6  # 28-unit labels: six fit in 640 units


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str
    value: float
    show_label: bool = True

    @property
    def centre(self) -> float:
        return round(self.x + self.width / 2, 1)


@dataclass(frozen=True)
class BarChart:
    bars: list[Bar]
    width: int
    height: int
    top: float
    baseline: float
    title: str


# Labels in viewBox units. The chart keeps its aspect ratio and is drawn 330 px wide on a phone
# (about half its 640 units), where 28 units are 14 px, and at most 26rem (416 px) wide: 18 px.
LABEL_SIZE = 28


def bar_chart(points: list[tuple[str, float]], *, title: str, width: int = 640, height: int = 200) -> BarChart:
    """Vertical bars scaled to the largest value. With many bars (days of a campaign) every n-th
    is labelled, always the first and the last, each label centred under its own bar."""
    baseline, top_margin, side = (
        height - LABEL_SIZE - 12,
        LABEL_SIZE + 8,
        40,
    )  # the side margin leaves room for centred end labels
    top = max((value for _label, value in points), default=0) or 1
    slot = (width - 2 * side) / max(len(points), 1)
    step = math.ceil(len(points) / MAX_AXIS_LABELS) or 1
    bars = [
        Bar(
            x=round(side + index * slot + slot * 0.15, 1),
            y=round(baseline - (value / top) * (baseline - top_margin), 1),
            width=round(slot * 0.7, 1),
            height=round((value / top) * (baseline - top_margin), 1),
            label=label,
            value=value,
            show_label=index % step == 0 or index == len(points) - 1,
        )
        for index, (label, value) in enumerate(points)
    ]
    return BarChart(bars=bars, width=width, height=height, top=top, baseline=baseline, title=title)


@dataclass(frozen=True)
class Row:
    lines: list[str]  # the label, wrapped
    text_y: float  # baseline of the label's first line
    bar_y: float
    bar_width: float
    caption_x: float
    caption_y: float
    value: float
    caption: str  # what is written at the end of the bar, e.g. "12 · 34%"

    @property
    def label(self) -> str:
        return "".join(self.lines)


@dataclass(frozen=True)
class HorizontalBarChart:
    rows: list[Row]
    width: int
    height: int
    label_width: int
    bar_x: int
    line_height: int
    font_size: int
    title: str


def _text_width(text: str, font_size: float) -> float:
    """Roughly how wide the text is drawn: Chinese characters a full em, Latin about half."""
    return sum(font_size if unicodedata.east_asian_width(c) in "WF" else font_size * 0.55 for c in text)


def wrap_label(text: str, width: float, font_size: float, max_lines: int = 3) -> list[str]:
    """Break a label into lines no wider than `width`; a label still too long ends in “…”."""
    lines, line = [], ""
    for char in text.strip():
        if line and _text_width(line + char, font_size) > width:
            lines.append(line.rstrip())
            line = char.lstrip()
        else:
            line += char
    if line:
        lines.append(line)
    if len(lines) > max_lines:
        lines = [*lines[: max_lines - 1], lines[max_lines - 1][:-1] + "…"]
    return lines or [""]


def hbar_chart(
    points: list[tuple[str, float, str]], *, title: str, width: int = 340, font_size: int = 15
) -> HorizontalBarChart:
    """One row per answer: its label (wrapped, never dropped) on the left, its bar and caption on the
    right, so any number of choices with long Chinese labels stays readable on a phone."""
    widest_caption = max((_text_width(caption, font_size) for _label, _value, caption in points), default=0)
    label_width, caption_width, gap = round(width * 0.42), round(widest_caption) + 8, 8
    bar_x = label_width + gap
    bar_room = width - bar_x - caption_width
    line_height, padding = round(font_size * 1.3), 6
    top = max((value for _label, value, _caption in points), default=0) or 1
    rows, y = [], 0.0
    for label, value, caption in points:
        lines = wrap_label(label, label_width, font_size)
        row_height = max(len(lines) * line_height, 20) + 2 * padding
        bar_width = round(max(value / top * bar_room, 1 if value else 0), 1)
        rows.append(
            Row(
                lines=lines,
                text_y=round(y + (row_height - len(lines) * line_height) / 2 + font_size, 1),
                bar_y=round(y + (row_height - 18) / 2, 1),
                bar_width=bar_width,
                caption_x=round(bar_x + bar_width + 4, 1),
                caption_y=round(y + row_height / 2 + font_size * 0.35, 1),
                value=value,
                caption=caption,
            )
        )
        y += row_height
    return HorizontalBarChart(
        rows=rows,
        width=width,
        height=round(y) or line_height,
        label_width=label_width,
        bar_x=bar_x,
        line_height=line_height,
        font_size=font_size,
        title=title,
    )
