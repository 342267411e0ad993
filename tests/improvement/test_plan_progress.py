"""How far the plan has got, and whether its actions move their indicators: known answers on hand-built data
(a faked trend where the indicator's own records would be heavy, and one real indicator end to end)."""

from __future__ import annotations

from datetime import date

import pytest

from hearth.improvement import selectors
from hearth.improvement.models import ImprovementAction
from hearth.improvement.selectors import impact_status
from hearth.indicators import compute
from hearth.indicators.compute import TrendPoint
from hearth.indicators.registry import month_ends
from tests.factories import make_person
from tests.improvement.factories import make_action, make_action_indicator, make_area
from tests.improvement.plan_world import TODAY, PlanWorld
from tests.indicators.factories_cin import assessment, population, referral

Status = ImprovementAction.Status
Rag = ImprovementAction.Rag


def test_plan_progress_counts_by_status_and_rag_and_lists_what_is_overdue_and_due_soon(w: PlanWorld):
    # The world: 1.1 in progress green due Mar 2027; 2.1 in progress red due 1 Oct 2026 (overdue); 1.2 complete.
    make_action(w.la, owner=w.head, area=w.area_2, reference="2.2", due_on=date(2026, 12, 10),
                rag=Rag.AMBER, status=Status.NOT_STARTED)
    make_action(w.la, owner=w.head, area=w.area_2, reference="2.10", due_on=date(2026, 11, 30), rag=Rag.AMBER)
    make_action(w.la, owner=w.head, reference="X.1", due_on=date(2026, 11, 1), rag=Rag.RED)  # no area: overdue
    make_action(w.la, owner=w.head, reference="X.2", due_on=date(2026, 12, 24))  # 31 days: not due soon
    make_action(w.la, owner=w.head, reference="X.3", due_on=date(2026, 1, 1), status=Status.EMBEDDED)
    progress = selectors.plan_progress(local_authority=w.la, today=TODAY)
    assert progress.total == 8
    assert progress.by_status == {"not_started": 1, "in_progress": 5, "complete": 1, "embedded": 1}
    assert progress.by_rag == {"red": 2, "amber": 2, "green": 2, "blue": 2}
    assert [a.reference for a in progress.overdue] == ["2.1", "X.1"]
    assert [a.reference for a in progress.due_in_30_days] == ["2.10", "2.2"]
    assert progress.complete_percent == 25.0
    by_area = {(p.area_for_improvement.number if p.area_for_improvement else None): p for p in progress.areas}
    assert (by_area[1].actions, by_area[1].complete, by_area[1].red, by_area[1].amber) == (2, 1, 0, 0)
    assert (by_area[2].actions, by_area[2].complete, by_area[2].red, by_area[2].amber) == (3, 0, 1, 2)
    assert (by_area[None].actions, by_area[None].complete, by_area[None].red) == (3, 1, 1)


def test_an_empty_plan_has_no_percentage(db):
    from tests.factories import make_la

    progress = selectors.plan_progress(local_authority=make_la(), today=TODAY)
    assert (progress.total, progress.complete_percent, progress.overdue, progress.areas) == (0, None, [], [])


@pytest.mark.parametrize(("polarity", "baseline", "latest", "target", "expected"), [
    ("high", 58.0, 85.0, 85.0, "met"),  # exactly on target
    ("high", 58.0, 81.0, 85.0, "on_track"),  # needed by Oct 2026: 58 + 27 x 638/789 = 79.8
    ("high", 58.0, 79.0, 85.0, "off_track"),
    ("high", 58.0, 50.0, 85.0, "off_track"),  # worse than the baseline
    ("low", 30.0, 20.0, 22.0, "met"),
    ("low", 30.0, 23.0, 22.0, "on_track"),  # needed: 30 - 8 x 0.809 = 23.5
    ("low", 30.0, 24.0, 22.0, "off_track"),
    ("neutral", 40.0, 49.0, 50.0, "on_track"),  # a neutral measure moves the way the plan chose
    ("neutral", 40.0, 36.0, 30.0, "off_track"),
    ("high", None, 70.0, 85.0, "off_track"),  # no baseline: only meeting the target counts
    ("high", 58.0, None, 85.0, "no_data"),
])
def test_impact_status_by_polarity_against_a_straight_line_to_the_target(polarity, baseline, latest, target,
                                                                         expected):
    assert impact_status(polarity=polarity, baseline=baseline, baseline_on=date(2025, 1, 31), target=target,
                         target_by=date(2027, 3, 31), latest=latest,
                         latest_month=date(2026, 10, 31) if latest is not None else None) == expected


def test_after_the_target_date_a_figure_short_of_the_target_is_off_track():
    assert impact_status(polarity="high", baseline=50.0, baseline_on=date(2024, 1, 31), target=60.0,
                         target_by=date(2026, 3, 31), latest=59.9, latest_month=date(2026, 10, 31)) == "off_track"


def _fake_trend(values: list[float | None]) -> list[TrendPoint]:
    ends = month_ends(date(2026, 10, 31), len(values))
    return [TrendPoint(m, None, None, v, "live") for m, v in zip(ends, values, strict=True)]


def test_action_impact_reads_the_latest_month_end_and_says_it_in_words(w: PlanWorld, monkeypatch):
    make_action_indicator(w.action_1, indicator="assessments_45wd", baseline=58.0, baseline_on=date(2025, 1, 31),
                          target=85.0, target_by=date(2027, 3, 31))
    make_action_indicator(w.action_1, indicator="re_referrals_12m", baseline=24.0, baseline_on=date(2025, 1, 31),
                          target=18.0, target_by=date(2027, 3, 31))
    calls: list[tuple[list[str], date | None]] = []

    def trends(*, local_authority, codes, months=24, last=None):
        calls.append((list(codes), last))
        return {"assessments_45wd": _fake_trend([None] * 20 + [74.0, 78.5, 80.4, 81.04]),
                "re_referrals_12m": _fake_trend([None] * 24)}

    monkeypatch.setattr(compute, "trends", trends)
    rows = selectors.action_impact(action=w.action_1, today=TODAY)
    assert calls == [(["assessments_45wd", "re_referrals_12m"], date(2026, 10, 31))]
    first, second = rows
    assert (first.latest, first.latest_month, first.status) == (81.04, date(2026, 10, 31), "on_track")
    assert first.words == ("Assessments completed within 45 working days: 81.0% in Oct 2026, target 85% by "
                           "Mar 2027 — on track (baseline 58.0% in Jan 2025)")
    assert (second.latest, second.status) == (None, "no_data")
    assert second.words.endswith(": no figure yet, target 18% by Mar 2027 (baseline 24.0% in Jan 2025)")
    assert len(first.trend) == 24


def test_plan_impact_shares_one_trends_call_for_every_action(w: PlanWorld, monkeypatch):
    make_action_indicator(w.action_1, indicator="assessments_45wd", target=85.0)
    make_action_indicator(w.action_2, indicator="assessments_45wd", target=90.0, baseline=60.0)
    make_action_indicator(w.action_2, indicator="cpp_second", target=18.0, baseline=25.0)
    calls: list[list[str]] = []

    def trends(*, local_authority, codes, months=24, last=None):
        calls.append(list(codes))
        return {"assessments_45wd": _fake_trend([86.0]), "cpp_second": _fake_trend([26.0])}

    monkeypatch.setattr(compute, "trends", trends)
    impact = selectors.plan_impact(local_authority=w.la, today=TODAY)
    assert calls == [["assessments_45wd", "cpp_second"]]
    assert [(a.reference, [r.status for r in rows]) for a, rows in impact] == [
        ("1.1", ["met"]), ("2.1", ["on_track", "off_track"])]


def test_a_real_indicator_end_to_end(w: PlanWorld):
    """Assessments within 45 working days from the council's own records: 3 of 4 authorised in September 2026
    were in time, so the twelve months to October 2026 stand at 75%."""
    population(w.la)
    for started, authorised in [(date(2026, 8, 3), date(2026, 9, 1)), (date(2026, 8, 10), date(2026, 9, 8)),
                                (date(2026, 8, 17), date(2026, 9, 15)), (date(2026, 6, 1), date(2026, 9, 22))]:
        assessment(referral(make_person(w.la), started), started, authorised)
    area = make_area(w.inspection, number=5)
    action = make_action(w.la, owner=w.head, area=area, reference="5.1")
    make_action_indicator(action, indicator="assessments_45wd", baseline=50.0, baseline_on=date(2026, 1, 31),
                          target=80.0, target_by=date(2027, 3, 31))
    (row,) = selectors.action_impact(action=action, today=TODAY)
    assert row.latest == pytest.approx(75.0)
    assert row.latest_month == date(2026, 10, 31)
    # Needed by October on a straight line from 50% in January to 80% by March 2027: 50 + 30 x 273/424 = 69.3.
    assert row.status == "on_track"
    assert [p.value for p in row.trend[:-3]] == [None] * 21  # nothing authorised before September 2026
    assert row.words == ("Assessments completed within 45 working days: 75.0% in Oct 2026, target 80% by Mar 2027 "
                         "— on track (baseline 50.0% in Jan 2026)")
