"""Two bar charts, last year to date beside this year to date, drawn with the front door's chart partial
(``front_door/_chart.html``, geometry in ``hearth.front_door.charts.Chart``): one scale for both, so the
bars compare across them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from hearth.front_door.charts import BOTTOM, HEIGHT, LEFT, RIGHT, TOP, WIDTH, Chart

if TYPE_CHECKING:
    from .selectors import YearFigures

BARS = (("enquiries", "Enquiries"), ("initial_visits", "Visits"), ("applications", "Applied"),
        ("approvals", "Approved"), ("deregistrations", "Left"))


def nice_top(maximum: int) -> int:
    """A round top for the y axis, at least 4 so the half-way line is a whole number."""
    for top in (4, *(m * 10**e for e in range(1, 7) for m in (1, 2, 5))):
        if maximum <= top:
            return top
    return maximum


def _chart(figures: YearFigures, top: int) -> Chart:
    values = [(label, int(getattr(figures, name))) for name, label in BARS]
    description = (f"Bar chart of {figures.label.lower()}: "
                   + ", ".join(f"{label.lower()} {value}" for label, value in values)
                   + ". The table below has the same figures.")
    chart = Chart(figures.label, description, "bar")
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = plot_w / len(values)
    for fraction in (0, 0.5, 1):
        y = round(TOP + plot_h * (1 - fraction), 1)
        chart.gridlines.append({"y": y, "x2": WIDTH - RIGHT, "text": f"{top * fraction:g}"})
    for i, (label, value) in enumerate(values):
        centre = round(LEFT + step * (i + 0.5), 1)
        h = round(plot_h * value / top, 1)
        chart.labels.append({"x": centre, "y": HEIGHT - BOTTOM + 16, "text": label})
        chart.bars.append({"x": round(LEFT + step * i + step * 0.2, 1), "y": round(TOP + plot_h - h, 1),
                           "w": round(step * 0.6, 1), "h": h, "text": f"{label}: {value}", "label": str(value),
                           "lx": centre, "ly": round(TOP + plot_h - h - 5, 1)})
    return chart


def recruitment_charts(last_year: YearFigures, this_year: YearFigures) -> list[Chart]:
    top = nice_top(max(int(getattr(f, name)) for f in (last_year, this_year) for name, _ in BARS))
    return [_chart(last_year, top), _chart(this_year, top)]
