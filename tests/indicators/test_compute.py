"""Live indicators through the cache: the data version, cached results and figures, team splits, trends."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hearth.accounts.roles import Role
from hearth.audit.actor import acting_as
from hearth.indicators import compute
from hearth.indicators.compute import Figure, data_version, figures, results, team_figures, trend, trends
from hearth.indicators.models import ChildPopulation
from hearth.indicators.registry import evaluate, month_ends, rolling_year
from hearth.indicators.services import snapshot_freeze_month
from tests.factories import make_team, make_user
from tests.indicators.compute_fixtures import (
    COMPUTED,
    TODAY,
    council,
    fixed_today,
    make_assessment,
    make_episode,
    test_indicators,
)

pytestmark = pytest.mark.usefixtures("test_indicators", "fixed_today")
YEAR = (date(2025, 11, 24), date(2026, 11, 23))
__all__ = ["council", "fixed_today", "test_indicators"]


def test_data_version_is_one_query_and_moves_when_case_data_changes(council):
    before = data_version(council)
    with CaptureQueriesContext(connection) as queries:
        assert data_version(council) == before
    assert len(queries) == 1
    episode = make_episode(council, date(2026, 5, 1))
    after_create = data_version(council)
    assert after_create != before
    with acting_as("test"):
        episode.referral_source = "2A"
        episode.save()
    assert data_version(council) != after_create


def test_data_version_moves_with_staff_population_and_the_day(council, team, monkeypatch):
    start = data_version(council)
    worker = make_user(council, Role.SOCIAL_WORKER, team)
    with_worker = data_version(council)
    assert with_worker != start
    worker.fte = Decimal("0.60")
    worker.save()
    part_time = data_version(council)
    assert part_time != with_worker
    worker.left_on = date(2026, 10, 31)
    worker.save()
    left = data_version(council)
    assert left != part_time
    ChildPopulation.objects.create(local_authority=council, mid_year=2025, population=21_000)
    with_population = data_version(council)
    assert with_population != left
    monkeypatch.setattr(compute, "today", lambda: date(2026, 11, 24))
    assert data_version(council) != with_population


def test_data_version_is_per_council(council, other_la):
    make_episode(other_la, date(2026, 5, 1))
    before = data_version(council)
    make_episode(other_la, date(2026, 6, 1))
    assert data_version(council) == before


def test_results_are_cached_until_a_record_changes(council):
    make_episode(council, date(2026, 5, 1))
    make_episode(council, date(2026, 6, 1))
    first = results(local_authority=council, start=YEAR[0], end=YEAR[1], codes=["t_referrals"])[0]
    assert first.numerator == 2
    assert first.value == pytest.approx(1.0)  # 2 per 20,000 = 1 per 10,000
    assert COMPUTED["t_referrals"] == 1

    with CaptureQueriesContext(connection) as queries:
        again = results(local_authority=council, start=YEAR[0], end=YEAR[1], codes=["t_referrals"])[0]
    assert COMPUTED["t_referrals"] == 1, "served from the cache"
    assert len(queries) == 2  # the data version, and the population for the rate
    assert [m.key for m in again.tally.numerator] == [m.key for m in first.tally.numerator]
    assert again.tally.numerator[0].on == first.tally.numerator[0].on

    make_episode(council, date(2026, 7, 1))  # a saved record: a new data version
    fresh = results(local_authority=council, start=YEAR[0], end=YEAR[1], codes=["t_referrals"])[0]
    assert COMPUTED["t_referrals"] == 2
    assert fresh.numerator == 3


def test_an_edit_changes_the_figure(council):
    episode = make_episode(council, date(2026, 5, 1))
    assert figures(local_authority=council, start=YEAR[0], end=YEAR[1], codes=["t_referrals"])[0].numerator == 1
    with acting_as("test"):
        episode.referral_date = date(2024, 5, 1)  # corrected: outside the year
        episode.save()
    assert figures(local_authority=council, start=YEAR[0], end=YEAR[1], codes=["t_referrals"])[0].numerator == 0


def test_figures_are_small_and_cached_for_every_indicator(council):
    make_episode(council, date(2026, 5, 1))
    all_figures = figures(local_authority=council, start=YEAR[0], end=YEAR[1])
    assert [f.code for f in all_figures] == ["t_referrals", "t_quick", "t_open", "t_weight", "t_unavailable"]
    assert all(isinstance(f, Figure) for f in all_figures)
    computed = sum(COMPUTED.values())
    with CaptureQueriesContext(connection) as queries:
        figures(local_authority=council, start=YEAR[0], end=YEAR[1])
    assert len(queries) == 1 and sum(COMPUTED.values()) == computed
    unavailable = all_figures[-1]
    assert unavailable.value is None and unavailable.denominator is None


def test_results_keep_the_order_asked_and_refuse_an_unknown_code(council):
    asked = results(local_authority=council, start=YEAR[0], end=YEAR[1], codes=["t_open", "t_referrals"])
    assert [r.code for r in asked] == ["t_open", "t_referrals"]
    with pytest.raises(LookupError):
        results(local_authority=council, start=YEAR[0], end=YEAR[1], codes=["no_such"])


def test_team_figures_split_a_percentage_by_team_and_sum_to_the_whole(council):
    north, south = make_team(council, "North"), make_team(council, "South")
    for team, days in ((north, 5), (north, 20), (south, 3), (None, 30)):
        episode = make_episode(council, date(2026, 3, 1), team=team)
        make_assessment(episode, date(2026, 3, 2), date(2026, 3, 2) + timedelta(days=days))
    result = results(local_authority=council, start=YEAR[0], end=YEAR[1], codes=["t_quick"])[0]
    assert (result.numerator, result.denominator) == (2, 4)
    split = team_figures(result=result)
    assert split[north.pk].value == pytest.approx(50.0)
    assert split[south.pk].value == pytest.approx(100.0)
    assert split[None].value == pytest.approx(0.0)
    assert sum(f.numerator for f in split.values()) == result.numerator
    assert sum(f.denominator or 0 for f in split.values()) == result.denominator


def test_rates_per_10k_and_unavailable_indicators_are_not_split(council):
    make_episode(council, date(2026, 5, 1), team=make_team(council))
    rate, unavailable = results(local_authority=council, start=YEAR[0], end=YEAR[1],
                                codes=["t_referrals", "t_unavailable"])
    assert team_figures(result=rate) == {}
    assert team_figures(result=unavailable) == {}


def test_trend_has_24_points_from_snapshots_where_frozen_and_live_otherwise(council):
    make_episode(council, date(2025, 1, 10))
    make_episode(council, date(2026, 6, 10))
    make_episode(council, date(2026, 11, 2), closed_on=date(2026, 11, 5))
    for month in (date(2026, 9, 30), date(2026, 10, 31)):
        snapshot_freeze_month(local_authority=council, month_end=month, by="test")
    late = make_episode(council, date(2026, 10, 20))  # recorded after October was frozen

    points = trend(local_authority=council, code="t_referrals")
    assert len(points) == 24
    assert [p.month_end for p in points] == month_ends(TODAY, 24)
    assert points[0].month_end == date(2024, 12, 31) and points[-1].month_end == date(2026, 11, 30)
    sources = {p.month_end: p.source for p in points}
    assert sources[date(2026, 9, 30)] == sources[date(2026, 10, 31)] == "snapshot"
    assert sources[date(2026, 11, 30)] == "live"
    assert all(s == "live" for m, s in sources.items() if m < date(2026, 9, 30))
    by_month = {p.month_end: p for p in points}
    assert by_month[date(2026, 10, 31)].numerator == 1, "October as reported, before the late referral"
    # Live months: the twelve months to the month end; the current month to today.
    assert by_month[date(2025, 1, 31)].numerator == 1
    assert by_month[date(2026, 1, 31)].numerator == 0
    assert by_month[date(2026, 11, 30)].numerator == 3  # June, November and the late October one
    assert late.pk


def test_an_at_end_trend_counts_on_each_month_end(council):
    make_episode(council, date(2026, 2, 10), closed_on=date(2026, 4, 15))
    make_episode(council, date(2026, 3, 20))
    points = {p.month_end: p for p in trend(local_authority=council, code="t_open", months=4,
                                                          last=date(2026, 4, 30))}
    assert points[date(2026, 1, 31)].numerator == 0
    assert points[date(2026, 2, 28)].numerator == 1
    assert points[date(2026, 3, 31)].numerator == 2
    assert points[date(2026, 4, 30)].numerator == 1
    # The same as evaluating the rolling year to that month end.
    from hearth.indicators.registry import Period

    start, end = rolling_year(date(2026, 3, 31))
    assert evaluate("t_open", Period(council, start, end)).numerator == 2


def test_trends_for_several_indicators_read_snapshots_once(council):
    make_episode(council, date(2026, 6, 10))
    snapshot_freeze_month(local_authority=council, month_end=date(2026, 10, 31), by="test")
    both = trends(local_authority=council, codes=["t_referrals", "t_open"], months=3)
    assert set(both) == {"t_referrals", "t_open"}
    assert [p.source for p in both["t_open"]] == ["live", "snapshot", "live"]
    with CaptureQueriesContext(connection) as queries:
        trends(local_authority=council, codes=["t_referrals", "t_open"], months=3)
    # Snapshots, the data version, the cached figures of the two live months: nothing recomputed.
    assert len(queries) == 2


def test_the_process_memo_serves_results_without_unpickling_and_hands_out_copies(council):
    from django.core.cache import cache

    make_episode(council, date(2026, 5, 1))
    first = results(local_authority=council, start=YEAR[0], end=YEAR[1], codes=["t_referrals"])[0]
    first.tally.numerator.clear()  # a caller trimming its own list
    cache.clear()  # the memo still has it, under the same data version
    again = results(local_authority=council, start=YEAR[0], end=YEAR[1], codes=["t_referrals"])[0]
    assert COMPUTED["t_referrals"] == 1
    assert again.numerator == 1 and len(again.tally.numerator) == 1


def test_the_memo_keeps_at_most_its_share_of_records(council, monkeypatch):
    monkeypatch.setattr(compute, "MEMO_MEMBERS", 3)
    for month in (5, 6, 7):
        make_episode(council, date(2026, month, 1))
    results(local_authority=council, start=YEAR[0], end=YEAR[1], codes=["t_referrals"])
    assert not compute._memo, "a tally bigger than the memo is not kept in it"
    results(local_authority=council, start=date(2026, 5, 1), end=date(2026, 5, 31), codes=["t_referrals"])
    results(local_authority=council, start=date(2026, 6, 1), end=date(2026, 6, 30), codes=["t_referrals"])
    assert len(compute._memo) == 1 and compute._memo_size <= 3, "the oldest went to make room"
