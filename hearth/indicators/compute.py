"""Indicators from the live record, cached until the record changes; team splits; 24-month trends.

``registry.evaluate`` always computes. Pages go through here instead: a result is kept in Django's cache
under the council's *data version* (``data_version``), which moves whenever case data, staff records or
the council's population figures change, and every day (an "at the end of the period" count and a child's
age move with the calendar). A stale figure is never served: a new version is a new cache key, and old
entries simply age out.

Two kinds of entry per council and period: the records counted, one entry per indicator (what a drill-down
needs), and the figures, one small entry for all the indicators of that period (what a dashboard needs).

The cache is whatever ``CACHES["default"]`` is. Hearth's settings name none, so it is Django's local-memory
cache: per process, so each web worker warms its own. The records counted are also kept, unpickled, in a
small memo in each process (the last few hundred thousand records, under the same keys): turning a large
council's cached lists back into records costs more than reading them.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, Literal

from django.core.cache import cache
from django.db import connection
from django.utils import timezone

from .registry import (
    Indicator,
    Member,
    Period,
    Result,
    Tally,
    evaluate,
    figure,
    get,
    indicators,
    month_end,
    month_ends,
    result_of,
    rolling_year,
)

if TYPE_CHECKING:
    from hearth.tenancy.models import LocalAuthority

# Bump when what is cached changes shape or meaning, so a shared cache never serves the old form.
FORMAT = 1
TIMEOUT = 24 * 60 * 60  # a day: the data version changes daily anyway


@dataclass(frozen=True)
class Figure:
    """An indicator's headline for one period: what a dashboard shows."""

    code: str
    start: date
    end: date
    numerator: float
    denominator: float | None
    value: float | None


@dataclass(frozen=True)
class TrendPoint:
    month_end: date
    numerator: float | None
    denominator: float | None
    value: float | None
    source: Literal["snapshot", "live"]


def today() -> date:
    """The council's today (tests replace this)."""
    return timezone.localdate()


# Data version ----------------------------------------------------------------------------------------------

def _version_sql() -> str:
    from hearth.accounts.models import User
    from hearth.audit.models import ChangeRecord

    from .models import ChildPopulation

    change, user, population = (m._meta.db_table for m in (ChangeRecord, User, ChildPopulation))
    agency = User.EmploymentType.AGENCY.value
    # Staff rows are not audited, yet the workforce indicators read them (FTE, agency, start and leaving
    # dates, team, role): a handful of aggregates over the council's few hundred staff notices any change.
    return f"""
        SELECT c.id, c.at, s.n, s.top, s.fte, s.left_n, s.left_last, s.started_last, s.agency, s.teams,
               s.active, s.roles, p.n, p.total, p.top
        FROM (SELECT COUNT(*) AS n, MAX(id) AS top, SUM(fte) AS fte, COUNT(left_on) AS left_n,
                     MAX(left_on) AS left_last, MAX(started_on) AS started_last,
                     SUM(CASE WHEN employment_type = '{agency}' THEN 1 ELSE 0 END) AS agency,
                     SUM(team_id) AS teams, SUM(CASE WHEN is_active THEN 1 ELSE 0 END) AS active,
                     SUM(LENGTH(role) * id) AS roles
              FROM "{user}" WHERE local_authority_id = %s) s
        CROSS JOIN (SELECT COUNT(*) AS n, SUM(population) AS total, MAX(id) AS top
                    FROM "{population}" WHERE local_authority_id = %s) p
        LEFT JOIN (SELECT id, at FROM "{change}" WHERE local_authority_id = %s ORDER BY id DESC LIMIT 1) c
               ON 1 = 1
    """


def data_version(local_authority: LocalAuthority) -> str:
    """A short token that changes whenever anything an indicator reads changes. One query.

    Case data is audited, so the council's latest ChangeRecord (id and time: ids can be reused after a
    rolled-back transaction) marks every change to it, seed loads included. Staff records and population
    estimates are not audited and are summarised directly. Today's date is in it too.
    """
    with connection.cursor() as cursor:
        cursor.execute(_version_sql(), [local_authority.pk] * 3)
        row = cursor.fetchone()
    text = f"{FORMAT}|{local_authority.pk}|{today().isoformat()}|" + "|".join(str(v) for v in row)
    return hashlib.blake2b(text.encode(), digest_size=10).hexdigest()


# Cached results --------------------------------------------------------------------------------------------

Packed = tuple[tuple[tuple[Any, ...], ...], tuple[tuple[Any, ...], ...] | None]


def _pack(tally: Tally) -> Packed:
    def rows(members: list[Member]) -> tuple[tuple[Any, ...], ...]:
        return tuple((m.key, m.child_id, m.on.toordinal(), m.team_id, m.amount, m.note) for m in members)

    return rows(tally.numerator), None if tally.denominator is None else rows(tally.denominator)


def _unpack(packed: Packed) -> Tally:
    def members(rows: tuple[tuple[Any, ...], ...]) -> list[Member]:
        return [Member(k, c, date.fromordinal(o), t, a, n) for k, c, o, t, a, n in rows]

    numerator, denominator = packed
    return Tally(members(numerator), None if denominator is None else members(denominator))


def _tally_key(la_id: int, start: date, end: date, code: str, version: str) -> str:
    return f"hearth:indicators:tally:{la_id}:{start.isoformat()}:{end.isoformat()}:{code}:{version}"


def _figures_key(la_id: int, start: date, end: date, version: str) -> str:
    return f"hearth:indicators:figures:{la_id}:{start.isoformat()}:{end.isoformat()}:{version}"


def _chosen(codes: Iterable[str] | None) -> list[Indicator]:
    return indicators() if codes is None else [get(c) for c in codes]


MEMO_MEMBERS = 400_000  # records kept unpickled per process, across every tally in the memo
_memo: OrderedDict[str, Tally] = OrderedDict()
_memo_size = 0
_memo_lock = threading.Lock()


def _tally_size(tally: Tally) -> int:
    return len(tally.numerator) + len(tally.denominator or ()) + 1


def _memo_get(key: str) -> Tally | None:
    with _memo_lock:
        tally = _memo.get(key)
        if tally is None:
            return None
        _memo.move_to_end(key)
    # Fresh lists, so a caller that sorts or trims its copy cannot change another's.
    return Tally(list(tally.numerator), None if tally.denominator is None else list(tally.denominator))


def _memo_put(key: str, tally: Tally) -> None:
    global _memo_size
    size = _tally_size(tally)
    if size > MEMO_MEMBERS:
        return
    with _memo_lock:
        if key in _memo:
            return
        _memo[key] = Tally(list(tally.numerator), None if tally.denominator is None else list(tally.denominator))
        _memo_size += size
        while _memo_size > MEMO_MEMBERS:
            _, oldest = _memo.popitem(last=False)
            _memo_size -= _tally_size(oldest)


def forget() -> None:
    """Empty this process's memo and the cache (tests; after loading data behind the audit trail's back)."""
    global _memo_size
    with _memo_lock:
        _memo.clear()
        _memo_size = 0
    cache.clear()


def _results(local_authority: LocalAuthority, start: date, end: date, chosen: list[Indicator],
             version: str) -> list[Result]:
    period = Period(local_authority, start, end)
    keys = {ind.code: _tally_key(local_authority.pk, start, end, ind.code, version) for ind in chosen}
    tallies: dict[str, Tally] = {}
    for code, k in keys.items():
        memo = _memo_get(k)
        if memo is not None:
            tallies[code] = memo
    wanted = [k for code, k in keys.items() if code not in tallies]
    found = cache.get_many(wanted) if wanted else {}
    fresh: dict[str, Packed] = {}
    out: list[Result] = []
    for ind in chosen:
        k = keys[ind.code]
        tally = tallies.get(ind.code)
        if tally is not None:
            result = result_of(ind, period, tally)
        elif k in found:
            result = result_of(ind, period, _unpack(found[k]))
            _memo_put(k, result.tally)
        else:
            result = evaluate(ind, period)
            fresh[k] = _pack(result.tally)
            _memo_put(k, result.tally)
        out.append(result)
    if fresh:
        cache.set_many(fresh, TIMEOUT)
    return out


def results(*, local_authority: LocalAuthority, start: date, end: date,
            codes: Iterable[str] | None = None) -> list[Result]:
    """Each indicator (every registered one, or ``codes`` in that order) for ``start``..``end`` inclusive,
    with the records it counted. Computed once per data version."""
    chosen = _chosen(codes)
    return _results(local_authority, start, end, chosen, data_version(local_authority))


def _figure(result: Result) -> Figure:
    return Figure(result.code, result.period.start, result.period.end, result.numerator, result.denominator,
                  result.value)


def _figures(local_authority: LocalAuthority, start: date, end: date, chosen: list[Indicator],
             version: str) -> list[Figure]:
    key = _figures_key(local_authority.pk, start, end, version)
    stored: dict[str, Figure] = cache.get(key) or {}
    missing = [ind for ind in chosen if ind.code not in stored]
    if missing:
        stored = dict(stored)
        for result in _results(local_authority, start, end, missing, version):
            stored[result.code] = _figure(result)
        cache.set(key, stored, TIMEOUT)
    return [stored[ind.code] for ind in chosen]


def figures(*, local_authority: LocalAuthority, start: date, end: date,
            codes: Iterable[str] | None = None) -> list[Figure]:
    """The headline figures only (no records): one small cache entry per council and period."""
    chosen = _chosen(codes)
    return _figures(local_authority, start, end, chosen, data_version(local_authority))


def team_figures(*, result: Result) -> dict[int | None, Figure]:
    """A percentage, average or count split by the team on each record counted (None: no team).

    Rates per 10,000 are not split: a team has no population of its own. Unavailable indicators give {}.
    """
    ind = result.indicator
    if ind.unit == "per_10k" or ind.unavailable:
        return {}
    numerators: dict[int | None, float] = defaultdict(float)
    denominators: dict[int | None, float] = defaultdict(float)
    for m in result.tally.numerator:
        numerators[m.team_id] += m.amount
    has_denominator = result.tally.denominator is not None
    for m in result.tally.denominator or []:
        denominators[m.team_id] += m.amount
    split: dict[int | None, Figure] = {}
    for team_id in sorted(set(numerators) | set(denominators), key=lambda t: (t is None, t or 0)):
        n = numerators.get(team_id, 0.0)
        d = denominators.get(team_id, 0.0) if has_denominator else None
        value = n if ind.unit == "number" else figure(ind.unit, n, d)
        split[team_id] = Figure(ind.code, result.period.start, result.period.end, n, d, value)
    return split


# Trends ----------------------------------------------------------------------------------------------------

def trend_period(month: date, *, on: date | None = None) -> tuple[date, date]:
    """The period a trend point stands for: the twelve months to the month end (for a count "at the end",
    its last day is what matters). The month still running is measured to ``on`` (today)."""
    on = on or today()
    end = min(month_end(month), on)
    return rolling_year(end)


def trends(*, local_authority: LocalAuthority, codes: Iterable[str] | None = None, months: int = 24,
           last: date | None = None) -> dict[str, list[TrendPoint]]:
    """``trend`` for several indicators at once: one query for their snapshots, one cache read (or one
    computation) per month that has to be live."""
    from .models import IndicatorSnapshot

    chosen = _chosen(codes)
    now = today()
    ends = month_ends(last or now, months)
    current = month_end(now)
    frozen: dict[tuple[str, date], IndicatorSnapshot] = {
        (s.indicator, s.month_end): s
        for s in IndicatorSnapshot.objects.filter(
            local_authority=local_authority, indicator__in=[i.code for i in chosen], month_end__in=ends,
        ).defer("members")
    }
    live: dict[date, list[Indicator]] = defaultdict(list)
    for ind in chosen:
        for m in ends:
            if m == current or (m < current and (ind.code, m) not in frozen):
                live[m].append(ind)
    version = data_version(local_authority) if live else ""
    computed: dict[tuple[str, date], Figure] = {}
    for m, wanted in live.items():
        start, end = trend_period(m, on=now)
        for fig in _figures(local_authority, start, end, wanted, version):
            computed[(fig.code, m)] = fig
    out: dict[str, list[TrendPoint]] = {}
    for ind in chosen:
        points: list[TrendPoint] = []
        for m in ends:
            snap = frozen.get((ind.code, m)) if m < current else None
            if snap is not None:
                points.append(TrendPoint(m, snap.numerator, snap.denominator, snap.value, "snapshot"))
            elif (ind.code, m) in computed:
                fig = computed[(ind.code, m)]
                points.append(TrendPoint(m, fig.numerator, fig.denominator, fig.value, "live"))
            else:  # a month not yet begun
                points.append(TrendPoint(m, None, None, None, "live"))
        out[ind.code] = points
    return out


def trend(*, local_authority: LocalAuthority, code: str, months: int = 24,
          last: date | None = None) -> list[TrendPoint]:
    """The indicator at each of the ``months`` month ends up to ``last``'s month (default: this month),
    oldest first: the frozen snapshot where that month was frozen, else computed now. The current month is
    always live (to today). In-period indicators cover the twelve months to each month end; counts "at the
    end" are taken on the month end."""
    return trends(local_authority=local_authority, codes=[code], months=months, last=last)[code]
