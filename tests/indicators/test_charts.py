"""The SVG charts: well-formed, labelled for screen readers, escaped, honest about gaps and empty data."""

from __future__ import annotations

import re

import pytest
from django.utils.safestring import SafeString
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from hearth.indicators.charts import (
    BLACK,
    BLUE,
    DARK_GREY,
    GREEN,
    PURPLE,
    RED,
    Bar,
    Series,
    bar_chart,
    format_change,
    format_value,
    line_chart,
    sparkline,
    text_width,
)

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> etree._Element:
    return etree.fromstring(svg.encode())


def desc_of(root: etree._Element) -> str:
    return root.findtext(f"{SVG}desc") or ""


def months(values: list[float | None]) -> list[tuple[str, float | None]]:
    return [(f"M{i}", v) for i, v in enumerate(values)]


def assert_labelled(root: etree._Element) -> None:
    assert root.get("role") == "img"
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title is not None and desc is not None
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    assert root.get("viewBox", "").startswith("0 0 ")
    assert root.find(f"{SVG}style") is None and root.find(f"{SVG}script") is None
    assert not any(el.get("style") for el in root.iter())  # the CSP refuses inline styles


def test_formats_by_unit() -> None:
    assert format_value(53.44, "per_10k") == "53.4 per 10,000"
    assert format_value(80.94, "percent") == "80.9%"
    assert format_value(12345.0, "number", 0) == "12,345"
    assert format_value(17.25, "average", 2) == "17.25"
    assert format_value(None, "percent") == "No data"
    assert format_change(3.21, "percent") == "up 3.2 percentage points"
    assert format_change(-1.0, "per_10k") == "down 1.0 per 10,000"
    assert format_change(0.01, "number") == "no change"


def test_line_chart_describes_latest_change_and_target() -> None:
    svg = line_chart(title="Child protection plans per 10,000",
                     series=[Series("Rolling year", months([50.0, 52.0, 53.4]))], unit="per_10k", target=45.0,
                     polarity="low")
    assert isinstance(svg, SafeString)
    root = parse(svg)
    assert_labelled(root)
    assert root.findtext(f"{SVG}title") == "Child protection plans per 10,000"
    desc = desc_of(root)
    assert "53.4 per 10,000 in M2" in desc
    assert "up 3.4 per 10,000 since M0 (50.0 per 10,000)" in desc
    assert "8.4 per 10,000 above the target, worse than target" in desc
    assert "Target: 45.0 per 10,000" in desc
    # The target is a dashed line named in the legend, not just a colour (and not written over the points).
    dashed = [el for el in root.iter(f"{SVG}line") if el.get("stroke-dasharray")]
    assert dashed and dashed[0].get("stroke") == RED
    texts = [t.text or "" for t in root.iter(f"{SVG}text")]
    assert "Target (45.0 per 10,000)" in texts
    assert not any(t.startswith("Target 45.0") for t in texts)


def test_line_chart_marks_every_point_and_gives_each_series_its_own_shape() -> None:
    svg = line_chart(title="Assessments within 45 working days",
                     series=[Series("Council", months([70.0, 75.0, 80.9])),
                             Series("England", months([82.0, 82.0, 82.0]), dashed=True)],
                     unit="percent", target=85, polarity="high")
    root = parse(svg)
    assert len(root.findall(f"{SVG}circle")) == 3 + 1  # the council's points, and its legend key
    assert len(root.findall(f"{SVG}rect")) == 3 + 1  # England's squares, and its legend key
    desc = desc_of(root)
    assert "Council: 80.9% in M2, up 10.9 percentage points since M0 (70.0%)" in desc
    assert "4.1 percentage points below the target, worse than target" in desc
    assert "England: 82.0% in M2, no change since M0" in desc
    legend = [t.text for t in root.iter(f"{SVG}text")]
    assert "Council" in legend and "England" in legend and "Target (85.0%)" in legend
    # A percentage axis never runs past 100.
    assert "100%" in legend and "125%" not in legend


def test_line_chart_leaves_a_gap_for_missing_months() -> None:
    svg = line_chart(title="Re-referrals", series=[Series("Council", months([20.0, 21.0, None, 22.0, 23.0]))],
                     unit="percent")
    root = parse(svg)
    path = root.find(f"{SVG}path")
    assert path is not None
    assert path.get("d", "").count("M") == 2  # two separate runs, not a line through the gap
    assert len(root.findall(f"{SVG}circle")) == 4 + 1
    assert "no figure for 1 of 5 points" in desc_of(root)


@pytest.mark.parametrize("series", [[], [Series("Council", [])], [Series("Council", months([None, None]))]])
def test_empty_line_chart_says_no_data(series: list[Series]) -> None:
    root = parse(line_chart(title="Nothing yet", series=series, unit="percent"))
    assert_labelled(root)
    assert desc_of(root) == "No data for this chart."
    assert [t.text for t in root.iter(f"{SVG}text")] == ["No data"]


def test_user_text_is_escaped() -> None:
    nasty = '<script>alert("x")</script> & "quoted" \'single\''
    svg = line_chart(title=nasty, series=[Series(nasty, [(nasty, 1.0), ("b", 2.0)])], unit="number", target=1)
    svg += bar_chart(title=nasty, bars=[Bar(nasty, 3.0, highlight=True, note=nasty)], unit="number",
                     reference_lines=[(nasty, 2.0)])
    svg += sparkline(values=[1.0, 2.0], title=nasty, labels=[nasty, nasty])
    assert "<script>" not in svg
    wrapped = parse(f'<div xmlns="http://www.w3.org/2000/svg">{svg}</div>')
    titles = [t.text for t in wrapped.iter(f"{SVG}title")]
    assert titles == [nasty, nasty, nasty]
    assert not list(wrapped.iter(f"{SVG}script"))


def test_bar_chart_highlights_the_council_and_says_where_it_sits() -> None:
    bars = [Bar("Nottingham", 53.4, highlight=True), Bar("Derby", 41.2), Bar("Leicester", 70.1),
            Bar("Stoke-on-Trent", None)]
    root = parse(bar_chart(title="Child protection plans per 10,000: Nottingham and its neighbours", bars=bars,
                           unit="per_10k", reference_lines=[("England", 41.6), ("Neighbours' median", 48.0)],
                           polarity="low"))
    assert_labelled(root)
    desc = desc_of(root)
    assert "Nottingham: 53.4 per 10,000, 2nd highest of 3 (2nd best of 3, lower is better)" in desc
    assert "Above England (41.6 per 10,000)" in desc
    assert "Highest Leicester (70.1 per 10,000), lowest Derby (41.2 per 10,000)" in desc
    assert "No figure for 1." in desc
    rects = root.findall(f"{SVG}rect")
    assert [r.get("fill") for r in rects] == [BLUE, DARK_GREY, DARK_GREY]
    texts = {t.text: t for t in root.iter(f"{SVG}text")}
    assert texts["Nottingham (this council)"].get("font-weight") == "bold"  # not by colour alone
    assert "No figure" in texts
    assert "England 41.6 per 10,000" in texts
    # Longer bar, longer rect.
    widths = [float(r.get("width", 0)) for r in rects]
    assert widths[2] > widths[0] > widths[1]


def _boxes(root: etree._Element) -> list[tuple[str, float, float, float]]:
    """Each text's (words, left, right, baseline), from its anchor and estimated width."""
    boxes = []
    for t in root.iter(f"{SVG}text"):
        words, x, y = t.text or "", float(t.get("x", 0)), float(t.get("y", 0))
        w = text_width(words, float(t.get("font-size", 12)), bold=t.get("font-weight") == "bold")
        left = {"start": x, "end": x - w, "middle": x - w / 2}[t.get("text-anchor", "start")]
        boxes.append((words, left, left + w, y))
    return boxes


def assert_bar_labels_clear(root: etree._Element) -> None:
    """Nothing runs off the picture, and no reference line runs through a bar's name or figure."""
    width = float(root.get("viewBox", "").split()[2])
    boxes = _boxes(root)
    for words, left, right, _ in boxes:
        assert left >= -0.5 and right <= width + 0.5, words
    lines = [float(el.get("x1", 0)) for el in root.iter(f"{SVG}line")
             if el.get("stroke-dasharray") and el.get("x1") == el.get("x2")]
    for words, left, right, baseline in boxes:
        if baseline > 30:  # the bars' rows (the lines' own names are written above them)
            assert not any(left - 1 < x < right + 1 for x in lines), (words, lines)
    names = [(left, right, baseline) for _, left, right, baseline in boxes if baseline <= 30]
    for i, (l1, r1, b1) in enumerate(names):
        for l2, r2, b2 in names[i + 1:]:
            assert b1 != b2 or r1 <= l2 or r2 <= l1  # the lines' names do not overlap each other


def test_bar_figures_sit_clear_of_the_reference_lines_for_close_percentages() -> None:
    """The neighbours' assessment timeliness: figures either side of England and the median, as in Nottingham's
    comparison, where the figures used to be written across the dashed lines and the last ran off the edge."""
    bars = [Bar("Nottingham 2025 (published)", 80.9, highlight=True), Bar("Nottingham now (Hearth, live)", 86.0,
            highlight=True), Bar("Birmingham", 87.7), Bar("Manchester", 76.9), Bar("Bradford", 81.2),
            Bar("Sandwell", 78.3), Bar("Oldham", 71.5), Bar("Sheffield", 79.6), Bar("Middlesbrough", 93.5),
            Bar("Derby", None, note="(c)")]
    root = parse(bar_chart(title="Assessments within 45 working days", bars=bars, unit="percent",
                           reference_lines=[("England 2025", 85.7), ("Neighbour median", 79.9)], polarity="high"))
    assert_bar_labels_clear(root)
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "86.0%" in texts and "No figure (c)" in texts and "England 2025 85.7%" in texts


@settings(max_examples=60, deadline=None)
@given(values=st.lists(st.one_of(st.none(), st.floats(min_value=0, max_value=100)), min_size=1, max_size=12),
       lines=st.lists(st.floats(min_value=0, max_value=100), max_size=2),
       unit=st.sampled_from(["percent", "per_10k", "average"]),
       notes=st.booleans())
def test_bar_labels_never_cross_a_line_or_the_edge(values: list[float | None], lines: list[float], unit: str,
                                                   notes: bool) -> None:
    bars = [Bar(f"Neighbouring council number {i}", v, highlight=i == 0, note="Somewhat close" if notes else "")
            for i, v in enumerate(values)]
    root = parse(bar_chart(title="Neighbours", bars=bars, unit=unit,
                           reference_lines=[(name, v) for name, v in zip(("England", "Neighbour median"), lines,
                                                                        strict=False)]))
    if any(v is not None for v in values):
        assert_bar_labels_clear(root)


def test_empty_bar_chart_says_no_data() -> None:
    root = parse(bar_chart(title="Neighbours", bars=[Bar("Derby", None)], unit="percent"))
    assert desc_of(root) == "No data for this chart."


def test_sparkline_is_small_and_described() -> None:
    root = parse(sparkline(values=[10.0, None, 12.0, 11.5], title="Trend", unit="percent",
                           labels=["Aug", "Sep", "Oct", "Nov"]))
    assert_labelled(root)
    assert (root.get("width"), root.get("height")) == ("120", "32")
    assert desc_of(root) == ("Latest 11.5% in Nov, up 1.5 percentage points from 10.0% in Aug; "
                             "lowest 10.0%, highest 12.0%; no figure for 1 of 4 points.")
    assert desc_of(parse(sparkline(values=[None], title="Trend"))) == "No data."


def test_ids_differ_between_charts_on_one_page() -> None:
    one = parse(sparkline(values=[1.0, 2.0], title="Referrals"))
    two = parse(sparkline(values=[1.0, 3.0], title="Referrals"))
    assert one.get("aria-labelledby") != two.get("aria-labelledby")
    assert parse(sparkline(values=[1.0, 2.0], title="Referrals")).get("aria-labelledby") == \
        one.get("aria-labelledby")  # pure: the same chart twice is the same SVG


def test_colours_have_three_to_one_contrast_on_white() -> None:
    def luminance(hex_colour: str) -> float:
        channels = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    for colour in (BLUE, BLACK, GREEN, PURPLE, RED, DARK_GREY):
        assert 1.05 / (luminance(colour) + 0.05) >= 3, colour


values = st.lists(st.one_of(st.none(), st.floats(min_value=0, max_value=1e6, allow_nan=False)), max_size=30)


@settings(max_examples=60, deadline=None)
@given(values=values, target=st.one_of(st.none(), st.floats(min_value=0, max_value=1e6)),
       unit=st.sampled_from(["per_10k", "percent", "average", "number"]),
       title=st.text(max_size=40))
def test_any_data_makes_well_formed_labelled_svg(values: list[float | None], target: float | None, unit: str,
                                                 title: str) -> None:
    for svg in (line_chart(title=title, series=[Series(title, months(values))], unit=unit, target=target),
                bar_chart(title=title, bars=[Bar(str(i), v, highlight=i == 0) for i, v in enumerate(values)],
                          unit=unit, reference_lines=[("England", target)] if target is not None else []),
                sparkline(values=values, title=title, unit=unit)):
        root = parse(svg)
        assert_labelled(root)
        assert desc_of(root)
        assert not re.search(r"nan|inf", " ".join(el.get("d", "") + el.get("width", "") for el in root.iter()))
