"""Bar charts drawn on the server as SVG geometry; templates/includes/bar_chart.html renders them."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str
    value: float


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
    """Vertical bars scaled to the largest value; labels come along for the axis and tooltips."""
    baseline, top_margin = height - LABEL_SIZE - 12, LABEL_SIZE + 8
    top = max((value for _label, value in points), default=0) or 1
    slot = width / max(len(points), 1)
    bars = [
        Bar(
            x=round(index * slot + slot * 0.15, 1),
            y=round(baseline - (value / top) * (baseline - top_margin), 1),
            width=round(slot * 0.7, 1),
            height=round((value / top) * (baseline - top_margin), 1),
            label=label,
            value=value,
        )
        for index, (label, value) in enumerate(points)
    ]
    return BarChart(bars=bars, width=width, height=height, top=top, baseline=baseline, title=title)
