"""Geometry for the small server-drawn SVG charts of the mystery-shopper trend (no script, no inline style)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .selectors import MonthResult

WIDTH, HEIGHT = 480, 240
LEFT, RIGHT, TOP, BOTTOM = 52, 8, 24, 36


@dataclass
class Chart:
    title: str
    description: str
    kind: str  # "bar" or "line"
    width: int = WIDTH
    height: int = HEIGHT
    bars: list[dict] = field(default_factory=list)
    points: str = ""
    dots: list[dict] = field(default_factory=list)
    labels: list[dict] = field(default_factory=list)
    gridlines: list[dict] = field(default_factory=list)
    axis_y: int = HEIGHT - BOTTOM
    axis_x: int = LEFT


def _scale(maximum: float) -> float:
    """A round top for the y axis."""
    for top in (10, 20, 30, 60, 90, 120, 180, 300, 600, 1200, 3600):
        if maximum <= top:
            return float(top)
    return float(maximum)


def _frame(chart: Chart, months: list[MonthResult], top: float, unit: str) -> float:
    plot_w = WIDTH - LEFT - RIGHT
    step = plot_w / max(len(months), 1)
    for i, m in enumerate(months):
        chart.labels.append({"x": round(LEFT + step * (i + 0.5), 1), "y": HEIGHT - BOTTOM + 16,
                             "text": f"{m.month:%b}"})
    for fraction in (0, 0.5, 1):
        y = round(TOP + (HEIGHT - TOP - BOTTOM) * (1 - fraction), 1)
        chart.gridlines.append({"y": y, "x2": WIDTH - RIGHT, "text": f"{top * fraction:g}{unit}"})
    return step


def trend_charts(months: list[MonthResult]) -> list[Chart]:
    plot_h = HEIGHT - TOP - BOTTOM
    right = Chart("Right response (%)", "Bar chart of the percentage of checks with the right response, by month. "
                  "The table below has the same figures.", "bar")
    step = _frame(right, months, 100, "%")
    for i, m in enumerate(months):
        if m.right_percent is None:
            continue
        h = round(plot_h * m.right_percent / 100, 1)
        right.bars.append({"x": round(LEFT + step * i + step * 0.2, 1), "y": round(TOP + plot_h - h, 1),
                           "w": round(step * 0.6, 1), "h": h, "text": f"{m.month:%B %Y}: {m.right_percent:g}%",
                           # The value above the bar, so 0% reads differently from a month with no checks.
                           "label": f"{m.right_percent:.0f}", "lx": round(LEFT + step * (i + 0.5), 1),
                           "ly": round(TOP + plot_h - h - 5, 1)})
    speed = Chart("Median seconds to answer", "Line chart of the median number of seconds to answer, by month. "
                  "The table below has the same figures.", "line")
    top = _scale(max((m.median_seconds or 0) for m in months) if months else 0)
    step = _frame(speed, months, top, "s")
    coords = []
    for i, m in enumerate(months):
        if m.median_seconds is None:
            continue
        x = round(LEFT + step * (i + 0.5), 1)
        y = round(TOP + plot_h * (1 - m.median_seconds / top), 1)
        coords.append(f"{x},{y}")
        speed.dots.append({"x": x, "y": y, "text": f"{m.month:%B %Y}: {m.median_seconds:g} seconds"})
    speed.points = " ".join(coords)
    return [right, speed]
