"""The indicator registry: what each national measure counts, and how a count becomes a figure.

An indicator is a function from a ``Period`` to a ``Tally``: the records in its numerator and, unless the
denominator is the council's 0-17 population, the records in its denominator. Every figure Hearth shows
is computed here from those lists, so a drill-down is the same list the headline counted and always sums
to it. Definitions live in ``hearth.indicators.definitions`` (one module per area), registered with
``@indicator(...)``.
"""

from __future__ import annotations

import calendar
from bisect import bisect_right
from collections.abc import Callable, Collection, Hashable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from functools import cached_property
from typing import TYPE_CHECKING, Any, Literal, TypeVar, cast

from django.db.models import QuerySet

if TYPE_CHECKING:
    from hearth.tenancy.models import LocalAuthority

T = TypeVar("T")
Unit = Literal["per_10k", "percent", "average", "number"]
Polarity = Literal["low", "high", "neutral"]
Measured = Literal["in_period", "at_end"]
Group = Literal["cin", "cla", "care_leavers", "workforce", "missing"]

GROUP_TITLES: dict[str, str] = {
    "cin": "Help, protection and children in need",
    "cla": "Children looked after",
    "care_leavers": "Care leavers",
    "workforce": "Social work workforce",
    # Hearth's own measures beside DfE's (not published, so never benchmarked).
    "missing": "Missing from home",
}
POLARITY_WORDS: dict[str, str] = {"low": "lower is better", "high": "higher is better", "neutral": "no better or worse"}


@dataclass(frozen=True, slots=True)
class Member:
    """One record an indicator counted.

    ``key`` names the record as ``"<app_label>.<model_name>:<pk>"`` (e.g. ``"cin.assessment:123"``, the same
    label the audit trail uses, so a changed record can be found); ``child_id`` is the child's Person pk
    (None for a worker); ``on`` is the date that put it in the period; ``team_id`` the team responsible;
    ``amount`` what it adds (1 for a count; the FTE or a score for averages); ``note`` what a drill-down
    shows beside the child ("52 working days").
    """

    key: str
    child_id: int | None
    on: date
    team_id: int | None = None
    amount: float = 1.0
    note: str = ""


@dataclass(slots=True)
class Tally:
    """What an indicator counted. ``denominator`` None means the council's 0-17 population."""

    numerator: list[Member]
    denominator: list[Member] | None = None


@dataclass(frozen=True)
class Period:
    """A council and the days from ``start`` to ``end`` inclusive.

    ``shared`` keeps reads that several indicators need (a year's referrals, the care timelines) for the
    life of this object only: one evaluation of many indicators reads each once, and a new Period always
    reads the record afresh.
    """

    local_authority: LocalAuthority
    start: date
    end: date
    _memo: dict[Hashable, Any] = field(default_factory=dict, compare=False, hash=False, repr=False)

    def shared(self, name: Hashable, load: Callable[[], T]) -> T:
        if name not in self._memo:
            self._memo[name] = load()
        return cast(T, self._memo[name])

    @property
    def collection_year(self) -> int:
        """The year ending 31 March that holds ``end`` (2026 for any day from 1 April 2025 to 31 March 2026)."""
        return self.end.year if (self.end.month, self.end.day) <= (3, 31) else self.end.year + 1

    @cached_property
    def population(self) -> int | None:
        """Children aged 0-17: the mid-(Y-1) estimate for the collection year Y that holds ``end`` (DfE's
        rule), else the latest estimate before it, else the council's own figure."""
        from .models import ChildPopulation

        row = (ChildPopulation.objects.filter(local_authority=self.local_authority,
                                              mid_year__lte=self.collection_year - 1)
               .order_by("-mid_year").values_list("population", flat=True).first())
        return row if row is not None else self.local_authority.population_0_17

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


@dataclass(frozen=True)
class Indicator:
    code: str
    title: str
    group: Group
    unit: Unit
    polarity: Polarity
    measured: Measured
    numerator: str  # in words: "Assessments authorised in the period within 45 working days"
    denominator: str  # in words; "Children aged 0 to 17 (ONS mid-year estimate)" for rates
    definition: str  # DfE's definition in a sentence or two, and any open point
    compute: Callable[[Period], Tally]
    lait_code: str = ""  # the LAIT ``Short Desc`` its benchmarks are published under, if any
    decimals: int = 1
    # Set when Hearth cannot compute the measure from what it records (say why, for a council's data manager);
    # ``compute`` then returns an empty Tally and every page shows this reason instead of a figure.
    unavailable: str = ""
    order: int = 0

    @property
    def polarity_words(self) -> str:
        return POLARITY_WORDS[self.polarity]


@dataclass
class Result:
    indicator: Indicator
    period: Period
    tally: Tally
    numerator: float
    denominator: float | None
    value: float | None = field(default=None)

    @property
    def code(self) -> str:
        return self.indicator.code


REGISTRY: dict[str, Indicator] = {}


def indicator(**attributes: object) -> Callable[[Callable[[Period], Tally]], Callable[[Period], Tally]]:
    """Register ``compute`` as an indicator: ``@indicator(code="cpp_rate", title=..., ...)``."""

    def register(compute: Callable[[Period], Tally]) -> Callable[[Period], Tally]:
        found = Indicator(compute=compute, order=len(REGISTRY), **attributes)  # type: ignore[arg-type]
        if found.code in REGISTRY:
            raise ValueError(f"Indicator {found.code} is registered twice")
        REGISTRY[found.code] = found
        return compute

    return register


def indicators(group: str | None = None) -> list[Indicator]:
    return [i for i in REGISTRY.values() if group is None or i.group == group]


def get(code: str) -> Indicator:
    try:
        return REGISTRY[code]
    except KeyError:
        raise LookupError(f"No indicator {code!r}") from None


def figure(unit: Unit, numerator: float, denominator: float | None) -> float | None:
    """The value from its parts; None when the denominator is missing or zero."""
    if not denominator:
        return None
    if unit == "per_10k":
        return numerator / denominator * 10_000
    if unit == "percent":
        return numerator / denominator * 100
    if unit == "average":
        return numerator / denominator
    return numerator


def result_of(ind: Indicator, period: Period, tally: Tally) -> Result:
    numerator = sum(m.amount for m in tally.numerator)
    denominator: float | None
    if tally.denominator is None:
        denominator = float(period.population) if period.population else None
    else:
        denominator = sum(m.amount for m in tally.denominator)
    if ind.unavailable:
        return Result(ind, period, tally, 0, None, None)
    if ind.unit == "number":
        return Result(ind, period, tally, numerator, None, numerator)
    return Result(ind, period, tally, numerator, denominator, figure(ind.unit, numerator, denominator))


def evaluate(code: str | Indicator, period: Period) -> Result:
    """One indicator for one period, from the live record (no cache: see ``hearth.indicators.compute``)."""
    ind = code if isinstance(code, Indicator) else get(code)
    return result_of(ind, period, ind.compute(period))


def evaluate_all(local_authority: LocalAuthority, start: date, end: date,
                 codes: Iterable[str] | None = None) -> list[Result]:
    period = Period(local_authority, start, end)
    chosen = [get(c) for c in codes] if codes is not None else indicators()
    return [evaluate(i, period) for i in chosen]


# Periods -------------------------------------------------------------------------------------------------

def month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def last_month_end(on: date) -> date:
    """The latest month end before ``on``'s month: the month a run on the 1st freezes, and the last month
    reported."""
    return month_end(on.replace(day=1) - timedelta(days=1))


def month_ends(last: date, count: int = 24) -> list[date]:
    """The ``count`` month ends up to and including the one of ``last``'s month, oldest first."""
    ends: list[date] = []
    cursor = month_end(last)
    for _ in range(count):
        ends.append(cursor)
        cursor = last_month_end(cursor)
    return ends[::-1]


def rolling_year(end: date) -> tuple[date, date]:
    """The twelve months ending on ``end`` (1 April to 31 March for a 31 March end)."""
    start_month = end.replace(day=1)
    for _ in range(11):
        start_month = (start_month - timedelta(days=1)).replace(day=1)
    if end == month_end(end):
        return start_month, end
    # Not a month end: the day after the same day a year earlier.
    try:
        a_year_before = end.replace(year=end.year - 1)
    except ValueError:  # 29 February
        a_year_before = end.replace(year=end.year - 1, day=28)
    return a_year_before + timedelta(days=1), end


def current_period(on: date) -> tuple[date, date]:
    """The rolling twelve months to the last month end before ``on``: the period the board was last reported
    on, so the figure as reported and the figure now are for the same days."""
    return rolling_year(last_month_end(on))


def collection_year_period(year: int) -> tuple[date, date]:
    """1 April of ``year - 1`` to 31 March of ``year`` (the year ``year`` ends, as DfE and LAIT name it)."""
    return date(year - 1, 4, 1), date(year, 3, 31)


def parse_period(text: str) -> tuple[date, date]:
    """``YYYY-MM-DD:YYYY-MM-DD`` for the command line; ValueError with a message a person can act on."""
    try:
        first, last = text.split(":")
        start, end = date.fromisoformat(first.strip()), date.fromisoformat(last.strip())
    except ValueError:
        raise ValueError(f"Give the period as YYYY-MM-DD:YYYY-MM-DD, for example 2025-04-01:2026-03-31 "
                         f"(got {text!r})") from None
    if end < start:
        raise ValueError("The period must end on or after the day it starts")
    return start, end


# Helpers for definitions ---------------------------------------------------------------------------------

def key(label: str, pk: int) -> str:
    return f"{label}:{pk}"


def plural(n: int, word: str) -> str:
    """"1 placement", "3 placements": for the notes a drill-down shows."""
    return f"{n} {word}" + ("" if n == 1 else "s")


SOCIAL_WORKER = "social_worker"  # Allocation.Kind.SOCIAL_WORKER: the team responsible for a child
# Up to this many children are looked up by id; past it, reading the council's allocations and keeping the
# wanted children's is quicker than SQLite walking a long IN list.
TEAM_LOOKUP_IDS = 2000


class TeamHistory:
    """Children's allocations (of the kinds asked for, begun by a day), for finding each child's team on any
    day up to it: the allocation open that day, else the last one begun before it (two begun the same day:
    the later recorded), taking the first of ``kinds`` that has one."""

    def __init__(self, kinds: Sequence[str]) -> None:
        self.kinds = tuple(kinds)
        self._starts: dict[tuple[int, str], list[date]] = {}
        self._teams: dict[tuple[int, str], list[int]] = {}

    def add(self, child_id: int, kind: str, started_on: date, team_id: int) -> None:
        """Allocations must be added oldest first."""
        self._starts.setdefault((child_id, kind), []).append(started_on)
        self._teams.setdefault((child_id, kind), []).append(team_id)

    def on(self, child_id: int | None, day: date) -> int | None:
        if child_id is None:
            return None
        for kind in self.kinds:
            starts = self._starts.get((child_id, kind))
            at = bisect_right(starts, day) if starts else 0
            if at:
                return self._teams[(child_id, kind)][at - 1]
        return None

    def children(self) -> set[int]:
        return {child for child, _ in self._starts}


def team_history(local_authority_id: int, children: Collection[int] | QuerySet[Any] | None, until: date,
                 kinds: Sequence[str] = (SOCIAL_WORKER,)) -> TeamHistory:
    """The allocations of ``kinds`` (Allocation.Kind values, in order of preference) begun by ``until`` of
    ``children`` (ids, a subquery of child ids, or None for every child). One query."""
    from hearth.allocations.models import Allocation

    rows = Allocation.objects.filter(local_authority_id=local_authority_id, started_on__lte=until)
    rows = rows.filter(kind=kinds[0]) if len(kinds) == 1 else rows.filter(kind__in=list(kinds))
    wanted: set[int] | None = None
    if children is None:
        pass
    elif isinstance(children, QuerySet):
        rows = rows.filter(child_id__in=children)
    else:
        wanted = set(children)
        if len(wanted) <= TEAM_LOOKUP_IDS:
            rows = rows.filter(child_id__in=wanted)
    history = TeamHistory(kinds)
    for child_id, kind, started_on, team_id in rows.order_by("started_on", "pk").values_list(
            "child_id", "kind", "started_on", "team_id"):
        if wanted is None or child_id in wanted:
            history.add(child_id, kind, started_on, team_id)
    return history


def teams_on(local_authority_id: int, children: Collection[int] | QuerySet[Any], day: date,
             kinds: Sequence[str] = (SOCIAL_WORKER,)) -> dict[int, int]:
    """Each child's team on ``day`` (``TeamHistory.on``), for those with one. One query."""
    history = team_history(local_authority_id, children, day, kinds)
    return {child: team for child in history.children() if (team := history.on(child, day)) is not None}


def with_teams(period: Period, tally: Tally) -> Tally:
    """``tally``, each member that names no team given the child's social-work team on the member's date
    (``TeamHistory.on``): for records that carry no team of their own. One query, only when a member needs it."""
    parts = [tally.numerator] if tally.denominator is None else [tally.numerator, tally.denominator]
    missing = {m.child_id for part in parts for m in part if m.team_id is None and m.child_id is not None}
    if not missing:
        return tally
    # Every child's history, read once for all the indicators of one evaluation that need it.
    history = period.shared(("team_history", period.end),
                            lambda: team_history(period.local_authority.pk, None, period.end))
    settled: dict[Member, Member] = {}
    for part in parts:
        for i, m in enumerate(part):
            if m.team_id is None and m.child_id is not None:
                if m not in settled:
                    team = history.on(m.child_id, m.on)
                    settled[m] = m if team is None else replace(m, team_id=team)
                part[i] = settled[m]
    return tally
