"""Builders for the dashboard tests: the board's measures swapped for test ones counting records made here."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta

from hearth.accounts.models import Team
from hearth.indicators import compute
from hearth.indicators.registry import Indicator, Member, Period, Tally, current_period, key
from tests.indicators.compute_fixtures import only_registered


@dataclass
class Measure:
    """A test measure: its records, and (for rates) no denominator list."""

    code: str
    unit: str = "percent"
    group: str = "cin"
    polarity: str = "high"
    measured: str = "in_period"
    title: str = ""
    numerator: list[Member] = field(default_factory=list)
    denominator: list[Member] | None = field(default_factory=list)
    unavailable: str = ""


def _indicator(measure: Measure, order: int) -> Indicator:
    def compute_it(period: Period) -> Tally:
        def within(members: list[Member]) -> list[Member]:
            if measure.measured == "at_end":
                return [m for m in members if m.on <= period.end]
            return [m for m in members if period.start <= m.on <= period.end]

        if measure.unavailable:
            return Tally([])
        return Tally(within(measure.numerator),
                     None if measure.denominator is None else within(measure.denominator))

    return Indicator(
        code=measure.code, title=measure.title or f"Measure {measure.code}", group=measure.group,
        unit=measure.unit, polarity=measure.polarity, measured=measure.measured,
        numerator="Records counted", denominator="Records that could have been",
        definition="A measure made for a test.", compute=compute_it, unavailable=measure.unavailable,
        order=order, decimals=1,
    )


@contextmanager
def only_these(*measures: Measure) -> Iterator[dict[str, Indicator]]:
    """The registry holds exactly ``measures`` while the block runs (the real definitions put back after)."""
    with only_registered(*(_indicator(measure, order) for order, measure in enumerate(measures))) as found:
        yield found


_n = [0]


def rec(child_id: int | None, on: date, team: Team | None = None, amount: float = 1.0,
        label: str = "cin.assessment") -> Member:
    _n[0] += 1
    return Member(key(label, _n[0]), child_id, on, team.pk if team else None, amount, "")


def period() -> tuple[date, date]:
    return current_period(compute.today())


def in_period(days_before_end: int = 10) -> date:
    return period()[1] - timedelta(days=days_before_end)
