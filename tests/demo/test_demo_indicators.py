"""The demo council's performance data: populations, two years of frozen month ends, targets, and late
recording that a board sees as explained differences between "as reported" and "now"."""

from __future__ import annotations

import time
from datetime import date

import pytest
from django.db import transaction
from django.utils import timezone

from hearth.audit.actor import acting_as
from hearth.demo.council import build_council
from hearth.demo.indicators import seed_indicators
from hearth.indicators.models import ChildPopulation, IndicatorSnapshot
from hearth.indicators.registry import last_month_end, month_ends
from hearth.indicators.selectors import compare_snapshot
from hearth.tenancy.models import LocalAuthority
from tests.indicators.compute_fixtures import test_indicators

__all__ = ["test_indicators"]


def _seed(seed: int, **council: str) -> tuple[LocalAuthority, int, float, date]:
    summary = build_council(size="small", seed=seed, indicator_months=0, **council)
    la = summary.local_authority
    today = timezone.localdate()
    started = time.perf_counter()
    rows = 0
    if not IndicatorSnapshot.objects.filter(local_authority=la).exists():  # unless build_council did it
        with acting_as("seed_demo"):
            rows = seed_indicators(la=la, seed=seed, today=today, size="small")
    return la, rows, time.perf_counter() - started, today


@pytest.mark.usefixtures("test_indicators")
def test_a_small_council_gets_24_frozen_months_and_explained_late_recording(db):
    la, rows, seconds, today = _seed(51)
    assert seconds < 10, f"seed_indicators took {seconds:.1f}s on a small council"
    months = month_ends(last_month_end(today), 24)
    assert ChildPopulation.objects.filter(local_authority=la).count() == 6
    frozen = IndicatorSnapshot.objects.filter(local_authority=la)
    for code in ("t_referrals", "t_quick", "t_open", "t_weight"):
        assert sorted(frozen.filter(indicator=code).values_list("month_end", flat=True)) == months
    assert not frozen.filter(indicator="t_unavailable").exists()

    explained = []
    for snapshot in frozen.filter(month_end=months[-1]):
        comparison = compare_snapshot(snapshot=snapshot)
        explained += [c for c in comparison.added + comparison.removed + comparison.changed
                      if c.change is not None and c.change.by_user is not None]
    assert explained, "late recording shows as reported and now differing, with the change behind it"
    assert all("after the month was reported" in c.explanation for c in explained)
    assert rows >= 24 * 4 + 1  # the populations came with the council


def _late_of(seed: int) -> list[tuple[str, str, str]]:
    """What the board would read for the last frozen month, from a council built and then rolled back."""
    with transaction.atomic():
        la, _, _, today = _seed(seed)
        found = []
        for snapshot in IndicatorSnapshot.objects.filter(local_authority=la, month_end=last_month_end(today)):
            comparison = compare_snapshot(snapshot=snapshot)
            found += [(snapshot.indicator, c.part, c.explanation)
                      for c in comparison.added + comparison.removed + comparison.changed]
        found.append(("populations", "", str(sorted(ChildPopulation.objects.filter(local_authority=la)
                                                  .values_list("mid_year", "population")))))
        transaction.set_rollback(True)
    return sorted(found)


@pytest.mark.usefixtures("test_indicators")
def test_the_same_seed_changes_the_same_records(db):
    first = _late_of(52)
    assert len(first) > 1
    assert _late_of(52) == first


def test_with_every_real_indicator_the_small_council_is_quick(db):
    from hearth.indicators import compute
    from hearth.indicators.registry import indicators

    compute.forget()
    la, _, seconds, _ = _seed(53)
    print(f"seed_indicators on a small council: {seconds:.2f} s")  # shown with -s
    computable = {i.code for i in indicators() if not i.unavailable}
    frozen = IndicatorSnapshot.objects.filter(local_authority=la)
    assert set(frozen.values_list("indicator", flat=True)) == computable
    assert frozen.count() == 24 * len(computable)
    assert seconds < 15
