"""The council beside England, its region and its ten statistical neighbours, from DfE's published figures.

Every comparison is with PUBLISHED figures (``BenchmarkFigure``, loaded from the project table and
refreshed by ``import_benchmarks``): the council's own published figure sits beside the others, and
``position`` places a live figure among the neighbours'. Each indicator's measure is its registered
``lait_code``, else the LAIT code indicators.md gives it, else an EES-only or derived measure (see
``hearth/indicators/data/README.md``).

The neighbours' figure is summarised two ways, and a page must say which it shows (indicators.md §8.4):
LAIT shows the **mean** of the ten ("SN average"); DfE's CSC outcomes and enablers dashboard shows the
**median**. Both are here, with the quartiles; neighbours with no published figure (suppressed) are left
out of all four.
"""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Q, Subquery

from .benchmark_sources import (
    DERIVED_MEASURES,
    EES_MEASURES,
    ENGLAND_CODE,
    LAIT_CODES,
    POPULATION,
    REGION_CODES,
)
from .models import BenchmarkFigure, StatisticalNeighbour

if TYPE_CHECKING:
    from hearth.tenancy.models import LocalAuthority

__all__ = [
    "EES_MEASURES",
    "ENGLAND_CODE",
    "MODEL_YEARS",
    "Benchmark",
    "Comparator",
    "Position",
    "benchmark",
    "benchmark_years",
    "measure_for",
    "neighbours",
    "position",
    "published_populations",
    "quartiles",
]

MODEL_YEARS = (2025, 2021)  # DfE's statistical neighbour models: May 2025 (the default) and April 2021
LONDON = "E12000007"
MIN_FOR_QUARTILES = 4  # fewer published neighbours than this and a "quarter" means little


@dataclass
class Comparator:
    name: str
    code: str  # old LA code ("892"), or the ONS code of a region or England
    value: float | None  # None when DfE suppressed it (``published`` then holds DfE's code: c, x, z, -)
    published: str
    rank: int | None = None  # a neighbour's rank, 1 = nearest
    closeness: str = ""  # a neighbour's closeness, as DfE labels it ("Very close")


@dataclass
class Benchmark:
    code: str  # the indicator
    measure: str  # the published measure (LAIT ``Short Desc``, or ``ees:``/``derived:``)
    year: int  # year ending 31 March (30 September for the workforce)
    model_year: int  # the statistical neighbour model used
    council: Comparator  # the council's own published figure
    england: Comparator | None
    region: Comparator | None
    neighbours: list[Comparator]  # all ten, nearest first, with or without a figure
    sn_mean: float | None  # LAIT's "SN average"
    sn_median: float | None  # DfE dashboard's comparator
    sn_q1: float | None
    sn_q3: float | None
    source: str


@dataclass
class Position:
    rank: int  # 1 = best (or highest, for a neutral measure); ties share the better rank
    of: int  # the council and the neighbours with a published figure
    quartile: int | None  # 1 = best (highest) quarter of the neighbours ... 4 = worst (lowest)
    words: str


def measure_for(code: str) -> str | None:
    """The published measure an indicator is benchmarked against; None when DfE publishes none."""
    from .registry import REGISTRY

    registered = REGISTRY.get(code)
    if registered is not None and registered.lait_code:
        return registered.lait_code
    return LAIT_CODES.get(code) or EES_MEASURES.get(code) or DERIVED_MEASURES.get(code)


def neighbours(*, la_code: str, model_year: int = 2025) -> list[StatisticalNeighbour]:
    """A council's ten statistical neighbours under one model, nearest first (one query)."""
    return list(StatisticalNeighbour.objects.filter(model_year=model_year, la_code=la_code).order_by("rank"))


def quartiles(values: list[float]) -> tuple[float | None, float | None, float | None]:
    """Lower quartile, median and upper quartile, by linear interpolation between the sorted values (the
    "inclusive" method: Excel's QUARTILE.INC, R's and numpy's default). With ten values the median is the
    mean of the 5th and 6th, as DfE's dashboard shows it. None for no values."""
    if not values:
        return None, None, None
    if len(values) == 1:
        return values[0], values[0], values[0]
    q1, median, q3 = statistics.quantiles(values, n=4, method="inclusive")
    return _tidy(q1), _tidy(median), _tidy(q3)


def _tidy(value: float) -> float:
    # (56.9 + 57.3) / 2 is 57.099999999999994 in binary; published figures have at most a few decimals.
    return round(value, 9)


def benchmark(*, local_authority: LocalAuthority, code: str, model_year: int = 2025, year: int | None = None
              ) -> Benchmark | None:
    """The council's published figure for ``code`` beside England's, its region's and its ten neighbours'
    (two queries). ``year`` None takes the latest year the measure has a figure for. None when the indicator
    has no published measure, or nothing is published for that year.

    ``sn_mean`` is LAIT's comparator and ``sn_median`` the DfE dashboard's; the quartiles go with the
    median (see ``quartiles``). All four leave out neighbours whose figure is suppressed.
    """
    measure = measure_for(code)
    if measure is None:
        return None
    la_code = local_authority.dfe_la_number
    near = neighbours(la_code=la_code, model_year=model_year)
    rows = BenchmarkFigure.objects.filter(measure=measure)
    if year is None:
        latest = (BenchmarkFigure.objects.filter(measure=measure, value__isnull=False)
                  .order_by("-year").values("year")[:1])
        rows = rows.filter(year=Subquery(latest))
    else:
        rows = rows.filter(year=year)
    rows = rows.filter(Q(area_kind__in=[BenchmarkFigure.AreaKind.ENGLAND, BenchmarkFigure.AreaKind.REGION])
                       | Q(area_kind=BenchmarkFigure.AreaKind.LA,
                           area_code__in=[la_code, *(n.neighbour_code for n in near)]))
    found = list(rows)
    if not found:
        return None
    councils = {f.area_code: f for f in found if f.area_kind == BenchmarkFigure.AreaKind.LA}
    regions = {f.area_code: f for f in found if f.area_kind == BenchmarkFigure.AreaKind.REGION}
    england = next((f for f in found if f.area_kind == BenchmarkFigure.AreaKind.ENGLAND), None)
    own = councils.get(la_code)
    council = (_comparator(own) if own is not None
               else Comparator(local_authority.name, la_code, None, ""))
    region = None
    if own is not None and own.region:
        region_code = REGION_CODES.get(own.region.lower())
        region_row = regions.get(region_code or "") or (
            regions.get(LONDON) if region_code in ("E13000001", "E13000002") else None)
        region = _comparator(region_row) if region_row is not None else None
    compared: list[Comparator] = []
    for n in near:
        row = councils.get(n.neighbour_code)
        compared.append(Comparator(n.neighbour_name, n.neighbour_code, row.value if row else None,
                                   row.published if row else "", rank=n.rank, closeness=n.closeness))
    values = [c.value for c in compared if c.value is not None]
    q1, median, q3 = quartiles(values)
    return Benchmark(
        code=code, measure=measure, year=found[0].year, model_year=model_year, council=council,
        england=_comparator(england) if england is not None else None, region=region, neighbours=compared,
        sn_mean=_tidy(statistics.fmean(values)) if values else None, sn_median=median, sn_q1=q1, sn_q3=q3,
        source="; ".join(sorted({f.source for f in found})),
    )


def _comparator(row: BenchmarkFigure) -> Comparator:
    return Comparator(row.area_name, row.area_code, row.value, row.published)


def benchmark_years(*, code: str, area_code: str) -> list[tuple[int, float | None]]:
    """An area's published series for an indicator, oldest first (one query); [] when none is published.
    ``area_code`` is a council's DfE number ("892"), or a comparator's ``code`` (ENGLAND_CODE, a region's)."""
    measure = measure_for(code)
    if measure is None:
        return []
    return list(BenchmarkFigure.objects.filter(measure=measure, area_code=area_code).order_by("year")
                .values_list("year", "value"))


def published_populations(*, la_code: str) -> dict[int, int]:
    """A council's children aged 0-17 by ONS mid-year (the rates of year Y used mid-(Y-1)): DfE's published
    estimate where EES gives it (2020-2024), else worked back from LAIT's referral count and rate (to the
    nearest 10). One query."""
    rows = (BenchmarkFigure.objects.filter(measure=POPULATION, area_kind=BenchmarkFigure.AreaKind.LA,
                                           area_code=la_code, value__isnull=False)
            .order_by("year").values_list("year", "value"))
    return {year - 1: round(value) for year, value in rows if value is not None}


# Where a live figure sits ----------------------------------------------------------------------------------

_QUARTERS = {
    "better": {1: "the best quarter", 2: "the second-best quarter", 3: "the second-worst quarter",
               4: "the worst quarter"},
    "size": {1: "the highest quarter", 2: "the second-highest quarter", 3: "the second-lowest quarter",
             4: "the lowest quarter"},
}


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def position(*, value: float, benchmark: Benchmark, polarity: str) -> Position:
    """Where ``value`` (a live figure) would sit among the council's neighbours' published figures.

    Polarity "low": rank 1 is the lowest value; "high": the highest; "neutral": ranked by size, highest
    first, and the words say "highest"/"lowest", never better or worse. A neighbour with the same value
    shares the rank, the council taking the better one ("joint 3rd"). Neighbours with no published
    figure are left out (``of`` counts the council and those with one). ``quartile`` places the value
    among the neighbours' quartiles (``quartiles``), 1 = best (highest, for neutral), a value on a
    boundary going to the better quarter; None with fewer than four published neighbours.
    """
    if polarity not in ("low", "high", "neutral"):
        raise ValueError(f"Polarity must be low, high or neutral, not {polarity!r}")
    others = [c.value for c in benchmark.neighbours if c.value is not None]
    lower_first = polarity == "low"
    ahead = [v for v in others if (v < value if lower_first else v > value) and not _same(v, value)]
    joint = any(_same(v, value) for v in others)
    rank, of = len(ahead) + 1, len(others) + 1

    quartile: int | None = None
    if len(others) >= MIN_FOR_QUARTILES:
        q1, median, q3 = quartiles(others)
        assert q1 is not None and median is not None and q3 is not None
        if lower_first:
            cuts = [q1, median, q3]
            quartile = 1 + sum(1 for cut in cuts if value > cut and not _same(value, cut))
        else:
            cuts = [q3, median, q1]
            quartile = 1 + sum(1 for cut in cuts if value < cut and not _same(value, cut))

    total = len(benchmark.neighbours)
    if not others:
        who = "no neighbour has a published figure" if total else "no statistical neighbours to compare with"
        return Position(1, 1, None, f"Cannot be placed: {who}")
    who = (f"council and its {total} neighbours" if len(others) == total
           else f"council and the {len(others)} of its {total} neighbours with a published figure")
    place = ("joint " if joint else "") + ordinal(rank)
    if polarity == "neutral":
        if rank == 1:
            place = ("joint " if joint else "") + "highest"
        elif rank == of and not joint:
            place = "lowest"
        else:
            place += " highest"
    words = f"{place} of {of} ({who})"
    if quartile is not None:
        words += f", in {_QUARTERS['size' if polarity == 'neutral' else 'better'][quartile]}"
    return Position(rank, of, quartile, words[0].upper() + words[1:])


def _same(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)
