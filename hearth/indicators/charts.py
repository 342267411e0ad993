"""Charts as inline SVG, drawn on the server: no JavaScript, no style sheet, no fonts to load.

Each chart is an ``<svg role="img">`` labelled by its own ``<title>`` and a ``<desc>`` that says in words
what the chart shows (the latest figure, the change over the period, the target and where the council
sits), so a screen reader user gets the point without the picture. Pages always put the figures in a
table beside the chart as well. Lines and bars use GOV.UK colours with at least 3:1 contrast on white;
each series also has its own marker shape and the target its own dash, so nothing is told by colour
alone. Colours are SVG presentation attributes, not ``style``, because the content security policy
refuses inline styles. Every piece of text is escaped; the functions are pure (same input, same SVG).
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .benchmarks import ordinal

# GOV.UK colours, each ≥ 3:1 against white (blue 5.2, black 19.3, green 5.5, purple 10.5, red 4.5, dark grey 7.0).
BLUE = "#1d70b8"
BLACK = "#0b0c0c"
GREEN = "#00703c"
PURPLE = "#4c2c92"
RED = "#d4351c"
DARK_GREY = "#505a5f"
MID_GREY = "#b1b4b6"  # gridlines only (decoration; the values are in the labels and the table)
SERIES_COLOURS = (BLUE, BLACK, GREEN, PURPLE, RED)
MARKERS = ("circle", "square", "triangle", "diamond", "cross")
FONT = "arial, sans-serif"

UNIT_WORDS = {"per_10k": "per 10,000 children", "percent": "per cent", "average": "", "number": ""}


@dataclass
class Series:
    """One line: ``points`` are (x label, value) pairs, oldest first; a None value leaves a gap."""

    name: str
    points: list[tuple[str, float | None]]
    dashed: bool = False


@dataclass
class Bar:
    """One horizontal bar; ``highlight`` marks the council (drawn darker, its label in bold and marked)."""

    label: str
    value: float | None
    highlight: bool = False
    note: str = ""


# Formatting ---------------------------------------------------------------------------------------------

def number(value: float, decimals: int = 1) -> str:
    """``1234.5`` → ``"1,234.5"``."""
    return f"{value:,.{decimals}f}"


def format_value(value: float | None, unit: str, decimals: int = 1) -> str:
    """A figure as people read it: ``"53.4 per 10,000"``, ``"80.9%"``, ``"17.2"``; ``"No data"`` for None."""
    if value is None:
        return "No data"
    if unit == "per_10k":
        return f"{number(value, decimals)} per 10,000"
    if unit == "percent":
        return f"{number(value, decimals)}%"
    return number(value, decimals)


def format_change(change: float, unit: str, decimals: int = 1) -> str:
    """A difference in words: ``"up 3.2 percentage points"``, ``"down 1.0 per 10,000"``, ``"no change"``."""
    if round(change, decimals) == 0:
        return "no change"
    direction = "up" if change > 0 else "down"
    size = number(abs(change), decimals)
    if unit == "percent":
        return f"{direction} {size} percentage points"
    if unit == "per_10k":
        return f"{direction} {size} per 10,000"
    return f"{direction} {size}"


# Building blocks ------------------------------------------------------------------------------------------

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def _e(text: object) -> str:
    """Escaped, and without the control characters XML cannot hold (a pasted name can carry one)."""
    return str(escape(_NOT_XML.sub("", str(text))))


def _id(kind: str, *parts: object) -> str:
    """A stable id for the chart's title and description, from what it draws (unique per chart on a page)."""
    digest = hashlib.sha1(repr((kind, parts)).encode()).hexdigest()[:10]
    return f"hearth-{kind}-{digest}"


def _svg(*, chart_id: str, width: float, height: float, title: str, desc: str, body: Sequence[str],
         classes: str = "hearth-chart__svg", size: str = 'width="100%"') -> SafeString:
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="{classes}" viewBox="0 0 {_n(width)} {_n(height)}" '
        f'{size} preserveAspectRatio="xMinYMin meet" role="img" focusable="false" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" font-family="{FONT}">'
        f'<title id="{chart_id}-title">{_e(title)}</title>'
        f'<desc id="{chart_id}-desc">{_e(desc)}</desc>'
    )
    return mark_safe(head + "".join(body) + "</svg>")  # every text above went through _e


def _n(value: float) -> str:
    """A coordinate, short: ``12.0`` → ``12``, ``12.345`` → ``12.3``."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _text(x: float, y: float, content: str, *, size: int = 13, anchor: str = "start", fill: str = BLACK,
          bold: bool = False, halo: bool = False) -> str:
    weight = ' font-weight="bold"' if bold else ""
    # A white outline painted under the letters keeps a label readable where it crosses a line.
    outline = ' stroke="#ffffff" stroke-width="4" stroke-linejoin="round" paint-order="stroke"' if halo else ""
    return (f'<text x="{_n(x)}" y="{_n(y)}" font-size="{size}" text-anchor="{anchor}" fill="{fill}"'
            f"{weight}{outline}>{_e(content)}</text>")


def _marker(shape: str, x: float, y: float, colour: str, size: float = 4.5) -> str:
    if shape == "square":
        return (f'<rect x="{_n(x - size)}" y="{_n(y - size)}" width="{_n(size * 2)}" height="{_n(size * 2)}" '
                f'fill="{colour}"/>')
    if shape == "triangle":
        pts = f"{_n(x)},{_n(y - size * 1.2)} {_n(x - size * 1.2)},{_n(y + size)} {_n(x + size * 1.2)},{_n(y + size)}"
        return f'<polygon points="{pts}" fill="{colour}"/>'
    if shape == "diamond":
        s = size * 1.3
        pts = f"{_n(x)},{_n(y - s)} {_n(x + s)},{_n(y)} {_n(x)},{_n(y + s)} {_n(x - s)},{_n(y)}"
        return f'<polygon points="{pts}" fill="{colour}"/>'
    if shape == "cross":
        return (f'<path d="M{_n(x - size)} {_n(y - size)}L{_n(x + size)} {_n(y + size)}'
                f'M{_n(x - size)} {_n(y + size)}L{_n(x + size)} {_n(y - size)}" stroke="{colour}" '
                f'stroke-width="2.5" fill="none"/>')
    return f'<circle cx="{_n(x)}" cy="{_n(y)}" r="{_n(size)}" fill="{colour}"/>'


def _nice_ceiling(value: float) -> float:
    """The next 'round' number at or above ``value`` (1, 2, 2.5 or 5 times a power of ten)."""
    if value <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * power + 1e-9:
            return step * power
    return 10 * power  # pragma: no cover - the loop always returns


def _ticks(top: float, count: int = 4) -> list[float]:
    step = _nice_ceiling(top / count)
    ticks, tick = [], 0.0
    while tick <= top + step / 2:
        ticks.append(round(tick, 10))
        tick += step
    return ticks


def _axis_top(values: Sequence[float], unit: str) -> float:
    highest = max([*values, 0.0])
    if unit == "percent" and highest <= 100:
        # Room above the highest point, but a percentage axis never runs past 100.
        top = min(100.0, _nice_ceiling(highest * 1.1)) if highest > 0 else 100.0
        return top if top > 0 else 100.0  # a value too small to scale (5e-324) rounds the ceiling to 0
    top = _nice_ceiling(highest * 1.1) if highest > 0 else 1.0
    return top if top > 0 else 1.0


def _no_data(*, kind: str, title: str, width: float, height: float) -> SafeString:
    chart_id = _id(kind, title, "empty")
    body = [
        f'<rect x="0.5" y="0.5" width="{_n(width - 1)}" height="{_n(height - 1)}" fill="none" '
        f'stroke="{MID_GREY}"/>',
        _text(width / 2, height / 2 + 5, "No data", size=16, anchor="middle", fill=DARK_GREY),
    ]
    return _svg(chart_id=chart_id, width=width, height=height, title=title,
                desc="No data for this chart.", body=body)


# Line chart --------------------------------------------------------------------------------------------

def _describe_series(series: Series, unit: str, decimals: int, target: float | None, polarity: str) -> str:
    known = [(label, v) for label, v in series.points if v is not None]
    if not known:
        return f"{series.name}: no data."
    (first_label, first), (last_label, last) = known[0], known[-1]
    words = f"{series.name}: {format_value(last, unit, decimals)} in {last_label}"
    if len(known) > 1:
        words += (f", {format_change(last - first, unit, decimals)} since {first_label} "
                  f"({format_value(first, unit, decimals)})")
        low = min(known, key=lambda p: p[1])
        high = max(known, key=lambda p: p[1])
        if high[1] != low[1]:
            words += (f"; lowest {format_value(low[1], unit, decimals)} in {low[0]}, "
                      f"highest {format_value(high[1], unit, decimals)} in {high[0]}")
    if target is not None:
        words += f"; {_against_target(last, target, unit, decimals, polarity)}"
    gaps = sum(1 for _, v in series.points if v is None)
    if gaps:
        words += f"; no figure for {gaps} of {len(series.points)} points"
    return words + "."


def _against_target(value: float, target: float, unit: str, decimals: int, polarity: str) -> str:
    if round(value, decimals) == round(target, decimals):
        return "on target"
    side = "above" if value > target else "below"
    gap = number(abs(value - target), decimals)
    if unit == "percent":
        gap += " percentage points"
    elif unit == "per_10k":
        gap += " per 10,000"
    meets = ""
    if polarity in ("low", "high"):
        better = (value < target) if polarity == "low" else (value > target)
        meets = ", better than target" if better else ", worse than target"
    return f"{gap} {side} the target{meets}"


def line_chart(*, title: str, series: list[Series], unit: str, target: float | None = None,
               decimals: int = 1, polarity: str = "neutral", chart_id: str | None = None) -> SafeString:
    """Lines over time (e.g. a rolling-year rate at each of 24 month ends), the target as a dashed line.

    All series share the x labels of the first. ``polarity`` ("low"/"high"/"neutral"), if given, lets the
    description say whether the latest figure is better or worse than the target.
    """
    width, height = 640.0, 300.0
    left, right, top, bottom = 64.0, 24.0, 30.0, 76.0
    labels = [label for label, _ in series[0].points] if series else []
    values = [v for s in series for _, v in s.points if v is not None]
    if not labels or not values:
        return _no_data(kind="line", title=title, width=width, height=160.0)

    axis_top = _axis_top([*values, *([target] if target is not None else [])], unit)
    ticks = _ticks(axis_top)
    axis_top = max(axis_top, ticks[-1])
    plot_w, plot_h = width - left - right, height - top - bottom
    n = len(labels)

    def x_of(i: int) -> float:
        return left + (plot_w * i / (n - 1) if n > 1 else plot_w / 2)

    def y_of(v: float) -> float:
        return top + plot_h - plot_h * (v / axis_top)

    body: list[str] = []
    # Gridlines and y-axis labels.
    for tick in ticks:
        y = y_of(tick)
        body.append(f'<line x1="{_n(left)}" y1="{_n(y)}" x2="{_n(width - right)}" y2="{_n(y)}" '
                    f'stroke="{MID_GREY}" stroke-width="1"/>')
        body.append(_text(left - 6, y + 4, _tick_label(tick, unit, ticks), size=12, anchor="end",
                          fill=DARK_GREY))
    body.append(f'<line x1="{_n(left)}" y1="{_n(top + plot_h)}" x2="{_n(width - right)}" '
                f'y2="{_n(top + plot_h)}" stroke="{BLACK}" stroke-width="1"/>')
    # X labels: at most about eight, always the first and the last.
    every = max(1, math.ceil(n / 8))
    for i, label in enumerate(labels):
        if i % every == 0 or i == n - 1:
            if i != n - 1 and n - 1 - i < every:
                continue  # too close to the last label
            body.append(_text(x_of(i), top + plot_h + 18, label, size=12, anchor="middle", fill=DARK_GREY))
    if unit == "per_10k":
        body.append(_text(4, 12, "per 10,000 children", size=11, fill=DARK_GREY))

    # Target.
    legend: list[tuple[str, str, str | None, bool]] = []  # (label, colour, marker, dashed)
    if target is not None:
        y = y_of(target)
        body.append(f'<line x1="{_n(left)}" y1="{_n(y)}" x2="{_n(width - right)}" y2="{_n(y)}" '
                    f'stroke="{RED}" stroke-width="2" stroke-dasharray="8 5"/>')
        # Named in the legend, not on the line: a label on the line sits on top of the points near it.
        legend.append((f"Target ({format_value(target, unit, decimals)})", RED, None, True))

    # Series: a path broken at each gap, a marker on every point, the latest value labelled.
    for index, s in enumerate(series):
        colour = SERIES_COLOURS[index % len(SERIES_COLOURS)]
        shape = MARKERS[index % len(MARKERS)]
        dash = ' stroke-dasharray="6 4"' if s.dashed else ""
        path, pen_down = [], False
        for i, (_, v) in enumerate(s.points[:n]):
            if v is None:
                pen_down = False
                continue
            path.append(f"{'L' if pen_down else 'M'}{_n(x_of(i))} {_n(y_of(v))}")
            pen_down = True
        if path:
            body.append(f'<path d="{"".join(path)}" fill="none" stroke="{colour}" stroke-width="2.5" '
                        f'stroke-linejoin="round"{dash}/>')
        for i, (_, v) in enumerate(s.points[:n]):
            if v is not None:
                body.append(_marker(shape, x_of(i), y_of(v), colour, size=3.5))
        last = next(((i, v) for i, (_, v) in reversed(list(enumerate(s.points[:n]))) if v is not None), None)
        if last is not None and len(series) == 1:
            i, v = last
            body.append(_text(x_of(i), y_of(v) - 10, format_value(v, unit, decimals), size=12,
                              anchor="end", bold=True, halo=True))
        legend.append((s.name, colour, shape, s.dashed))

    # Legend under the axis labels, one row, wrapping to a second.
    lx, ly = left, height - 30
    for label, colour, mark, dashed in legend:
        item_w = 34 + 7 * len(label)
        if lx + item_w > width - right and lx > left:
            lx, ly = left, ly + 20
        dash = ' stroke-dasharray="6 4"' if dashed else ""
        body.append(f'<line x1="{_n(lx)}" y1="{_n(ly)}" x2="{_n(lx + 24)}" y2="{_n(ly)}" stroke="{colour}" '
                    f'stroke-width="2.5"{dash}/>')
        if mark:
            body.append(_marker(mark, lx + 12, ly, colour, size=3.5))
        body.append(_text(lx + 30, ly + 4, label, size=12))
        lx += item_w

    desc_parts = [_describe_series(s, unit, decimals, target, polarity) for s in series]
    if target is not None:
        desc_parts.append(f"Target: {format_value(target, unit, decimals)}.")
    desc = f"Line chart of {len(labels)} points from {labels[0]} to {labels[-1]}. " + " ".join(desc_parts)
    chart_id = chart_id or _id("line", title, [(s.name, s.points, s.dashed) for s in series], unit, target)
    return _svg(chart_id=chart_id, width=width, height=height, title=title, desc=desc, body=body)


def _tick_label(tick: float, unit: str, ticks: Sequence[float]) -> str:
    step = ticks[1] - ticks[0] if len(ticks) > 1 else 1.0
    decimals = 0 if float(step).is_integer() else (1 if round(step * 10, 6).is_integer() else 2)
    text = number(tick, decimals)
    return f"{text}%" if unit == "percent" else text


# Bar chart ---------------------------------------------------------------------------------------------

def _truncate(text: str, length: int) -> str:
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


# Character widths in Arial, in ems, for the few places a label must be kept inside its space: an estimate
# on the wide side (bold adds a little), so what is measured to fit does fit.
_NARROW = dict.fromkeys("ijlI.,:;!|'", 0.28) | dict.fromkeys("ft -()/[]", 0.34) | {"r": 0.34}
_WIDE = dict.fromkeys("mwMW%@", 0.95)


def text_width(text: str, size: float, *, bold: bool = False) -> float:
    """About how wide ``text`` is drawn at ``size`` px (a little over, never under, for Arial)."""
    ems = sum(_NARROW.get(ch) or _WIDE.get(ch) or (0.69 if ch.isupper() else 0.57) for ch in text)
    return ems * size * (1.08 if bold else 1.0)


def _fit(text: str, size: float, room: float, *, bold: bool = False) -> str:
    """``text``, shortened with an ellipsis until it fits in ``room`` px."""
    while len(text) > 1 and text_width(text, size, bold=bold) > room:
        text = text[:-2].rstrip() + "…"
    return text


BAR_VALUE_MAX = 250.0  # the widest the column of values may grow, out of the chart's 640


def bar_chart(*, title: str, bars: list[Bar], unit: str, reference_lines: Sequence[tuple[str, float]] = (),
              decimals: int = 1, polarity: str = "neutral", chart_id: str | None = None) -> SafeString:
    """Horizontal bars (e.g. the council and its ten statistical neighbours), in the order given; the
    highlighted bar is the council; ``reference_lines`` (England, the neighbours' median) are dashed
    vertical lines with their names above the bars. ``polarity`` lets the description say which end is
    better.

    Each bar's figure (and note) is written in a column of its own to the right of the bars, so no
    reference line ever runs through it and nothing runs off the edge, however close the figures are.
    """
    width = 640.0
    label_w, top, bar_h, gap, size = 232.0, 34.0, 20.0, 8.0, 12
    height = top + len(bars) * (bar_h + gap) + 12
    values = [b.value for b in bars if b.value is not None]
    if not bars or not values:
        return _no_data(kind="bar", title=title, width=width, height=max(height, 120.0))

    def figure_of(bar: Bar) -> str:
        shown = "No figure" if bar.value is None else format_value(bar.value, unit, decimals)
        return f"{shown} {bar.note}" if bar.note else shown

    figures = [figure_of(b) for b in bars]
    value_w = min(BAR_VALUE_MAX, 16 + max(text_width(f, size, bold=b.highlight) for f, b in zip(figures, bars,
                                                                                                strict=True)))
    plot_left, plot_right = label_w + 8, width - value_w
    axis_top = _axis_top([*values, *(v for _, v in reference_lines)], unit)
    plot_w = plot_right - plot_left

    def x_of(v: float) -> float:
        return plot_left + plot_w * min(max(v, 0.0), axis_top) / axis_top

    body: list[str] = [
        f'<line x1="{_n(plot_left)}" y1="{_n(top - 6)}" x2="{_n(plot_left)}" y2="{_n(height - 8)}" '
        f'stroke="{BLACK}" stroke-width="1"/>'
    ]
    for index, (bar, shown) in enumerate(zip(bars, figures, strict=True)):
        y = top + index * (bar_h + gap)
        label = _truncate(bar.label, 34) + (" (this council)" if bar.highlight and len(bar.label) < 22 else "")
        body.append(_text(label_w, y + bar_h * 0.7, _fit(label, 13, label_w, bold=bar.highlight), size=13,
                          anchor="end", bold=bar.highlight))
        body.append(_text(plot_right + 8, y + bar_h * 0.7, _fit(shown, size, value_w - 10, bold=bar.highlight),
                          size=size, bold=bar.highlight, fill=BLACK if bar.value is not None else DARK_GREY))
        if bar.value is None:
            continue
        colour = BLUE if bar.highlight else DARK_GREY
        body.append(f'<rect x="{_n(plot_left)}" y="{_n(y)}" width="{_n(max(x_of(bar.value) - plot_left, 1))}" '
                    f'height="{_n(bar_h)}" fill="{colour}"/>')

    for index, (name, value) in enumerate(reference_lines):
        x = x_of(value)
        dash = "6 4" if index % 2 == 0 else "2 3"
        body.append(f'<line x1="{_n(x)}" y1="{_n(top - 8)}" x2="{_n(x)}" y2="{_n(height - 8)}" '
                    f'stroke="{BLACK}" stroke-width="2" stroke-dasharray="{dash}"/>')
        words = f"{name} {format_value(value, unit, decimals)}"
        room = text_width(words, size, bold=True)
        # Written away from the nearer edge, so it stays inside the picture.
        anchor = "end" if x + 4 + room > width else "start" if x - 4 - room < 0 else (
            "end" if x > plot_left + plot_w / 2 else "start")
        shift = -4 if anchor == "end" else 4
        body.append(_text(x + shift, 12 + 14 * (index % 2), words, size=size, anchor=anchor, bold=True, halo=True))

    chart_id = chart_id or _id("bar", title, [(b.label, b.value, b.highlight, b.note) for b in bars], unit,
                               list(reference_lines))
    return _svg(chart_id=chart_id, width=width, height=height, title=title,
                desc=_describe_bars(bars, unit, decimals, reference_lines, polarity), body=body)


def _describe_bars(bars: Sequence[Bar], unit: str, decimals: int, reference_lines: Sequence[tuple[str, float]],
                   polarity: str) -> str:
    known = [b for b in bars if b.value is not None]
    ranked = sorted(known, key=lambda b: b.value or 0.0, reverse=True)
    words = [f"Bar chart of {len(bars)} figures."]
    for bar in (b for b in bars if b.highlight):
        if bar.value is None:
            words.append(f"{bar.label}: no figure.")
            continue
        rank = 1 + sum(1 for b in known if (b.value or 0.0) > bar.value)
        where = f"{ordinal(rank)} highest of {len(known)}"
        if polarity in ("low", "high"):
            better = 1 + sum(1 for b in known if ((b.value or 0.0) < bar.value if polarity == "low"
                                                  else (b.value or 0.0) > bar.value))
            which = "lower" if polarity == "low" else "higher"
            where += f" ({ordinal(better)} best of {len(known)}, {which} is better)"
        words.append(f"{bar.label}: {format_value(bar.value, unit, decimals)}, {where}.")
        for name, value in reference_lines:
            side = "above" if bar.value > value else "below" if bar.value < value else "level with"
            words.append(f"{side.capitalize()} {name} ({format_value(value, unit, decimals)}).")
    if not any(b.highlight for b in bars):
        for name, value in reference_lines:
            words.append(f"{name}: {format_value(value, unit, decimals)}.")
    if ranked:
        words.append(f"Highest {ranked[0].label} ({format_value(ranked[0].value, unit, decimals)}), "
                     f"lowest {ranked[-1].label} ({format_value(ranked[-1].value, unit, decimals)}).")
    missing = len(bars) - len(known)
    if missing:
        words.append(f"No figure for {missing}.")
    return " ".join(words)


# Sparkline ---------------------------------------------------------------------------------------------

def sparkline(*, values: list[float | None], title: str, unit: str = "number", decimals: int = 1,
              labels: Sequence[str] = (), chart_id: str | None = None) -> SafeString:
    """A small trend line for a table cell: no axes, the latest point marked. ``labels`` (optional, one per
    value, e.g. "Nov 25") let the description name the months."""
    width, height, pad = 120.0, 32.0, 4.0
    known = [(i, v) for i, v in enumerate(values) if v is not None]
    chart_id = chart_id or _id("spark", title, values, unit)
    fixed = f'width="{_n(width)}" height="{_n(height)}"'  # a table cell's size, not the column's
    if not known:
        body = [_text(width / 2, height / 2 + 4, "No data", size=11, anchor="middle", fill=DARK_GREY)]
        return _svg(chart_id=chart_id, width=width, height=height, title=title, desc="No data.", body=body,
                    classes="hearth-chart__sparkline", size=fixed)
    low = min(v for _, v in known)
    high = max(v for _, v in known)
    span = high - low or 1.0
    n = len(values)

    def x_of(i: int) -> float:
        return pad + (width - 2 * pad) * (i / (n - 1) if n > 1 else 0.5)

    def y_of(v: float) -> float:
        return height - pad - (height - 2 * pad) * ((v - low) / span if high != low else 0.5)

    path, pen_down = [], False
    for i, v in enumerate(values):
        if v is None:
            pen_down = False
            continue
        path.append(f"{'L' if pen_down else 'M'}{_n(x_of(i))} {_n(y_of(v))}")
        pen_down = True
    last_i, last_v = known[-1]
    first_i, first_v = known[0]
    body = [
        f'<path d="{"".join(path)}" fill="none" stroke="{BLUE}" stroke-width="2" stroke-linejoin="round"/>',
        _marker("circle", x_of(last_i), y_of(last_v), BLACK, size=3),
    ]

    def when(i: int) -> str:
        return f" in {labels[i]}" if i < len(labels) else ""

    desc = f"Latest {format_value(last_v, unit, decimals)}{when(last_i)}"
    if len(known) > 1:
        desc += (f", {format_change(last_v - first_v, unit, decimals)} from "
                 f"{format_value(first_v, unit, decimals)}{when(first_i)}; lowest "
                 f"{format_value(low, unit, decimals)}, highest {format_value(high, unit, decimals)}")
    missing = n - len(known)
    if missing:
        desc += f"; no figure for {missing} of {n} points"
    return _svg(chart_id=chart_id, width=width, height=height, title=title, desc=desc + ".", body=body,
                classes="hearth-chart__sparkline", size=fixed)
