"""The demand projection: children in care today by kind of placement, times what a week of that placement
costs, carried forward a number of years on the council's own assumptions.

For each band, in projected year n (1 for the year after the base year, up to ``years``):

    children(n)    = children now * (1 + yearly change in children ÷ 100) ^ n
    weekly cost(n) = the base year's weekly cost * (1 + yearly change in weekly cost ÷ 100) ^ n
    annual cost(n) = children(n) * weekly cost(n) * 52.18

52.18 weeks a year is 365.25 days ÷ 7, to two places: a placement is paid for every day of the year, and the
quarter day carries leap years. Costs are worked out from the unrounded figures and then rounded to the nearest
pound, half up; children are kept unrounded (pages show one decimal place). A band with no weekly cost for
the base year, or no assumptions, says so: its cost is None and it is left out of the totals (``incomplete``)
rather than given a number nobody entered.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from django.db.models import Count, Exists, OuterRef, Q

from hearth.care.codes import RETIRED_PLACEMENT_TYPES, SHORT_BREAKS, PlacementType
from hearth.indicators import compute

from . import years as fy
from .models import PlacementCostBand, PlacementUnitCost, ProjectionAssumption

if TYPE_CHECKING:
    from hearth.tenancy.models import LocalAuthority

WEEKS_PER_YEAR = Decimal("52.18")
POUND = Decimal("1")
Band = PlacementCostBand

# The provider (PLACE_PROVIDER) decides the band only for foster care with an unrelated carer and for homes:
# PR1 is the council's own provision; PR4 (private) and PR5 (voluntary) are bought in; PR2 (another council)
# and PR3 (other public) are priced like the council's own for fostering and bought in for homes.
OWN_FOSTERING = frozenset({"PR1", "PR2", "PR3", ""})
OWN_HOMES = frozenset({"PR1"})

# Every SSDA903 placement code (PLACE), current and retired, and the band finance costs it in. A tuple is
# (band when the provider is the council's own, band otherwise).
PLACEMENT_BANDS: dict[str, Band | tuple[Band, Band]] = {
    # U1-U3: foster care with a relative or friend, whatever the provider: kinship carers' allowances.
    "U1": Band.KINSHIP,
    "U2": Band.KINSHIP,
    "U3": Band.KINSHIP,
    # U4-U6: foster care with another carer: the council's own carers (or another council's), else an
    # independent fostering agency (PR4/PR5). No provider recorded: the council's own, as most are.
    "U4": (Band.IN_HOUSE_FOSTERING, Band.AGENCY_FOSTERING),
    "U5": (Band.IN_HOUSE_FOSTERING, Band.AGENCY_FOSTERING),
    "U6": (Band.IN_HOUSE_FOSTERING, Band.AGENCY_FOSTERING),
    # A3-A6: placed for adoption: still looked after until the order, at little weekly cost; too few and too
    # short to cost on their own, so in the "other" band.
    "A3": Band.SECURE_AND_OTHER,
    "A4": Band.SECURE_AND_OTHER,
    "A5": Band.SECURE_AND_OTHER,
    "A6": Band.SECURE_AND_OTHER,
    # K1: secure children's home (welfare or justice): secure.
    "K1": Band.SECURE_AND_OTHER,
    # K2: children's home: the council's own (PR1), else external residential (private, voluntary, another
    # council's or unknown: a home the council does not run is bought).
    "K2": (Band.IN_HOUSE_RESIDENTIAL, Band.EXTERNAL_RESIDENTIAL),
    # K3: registered supported accommodation for 16 and 17 year olds.
    "K3": Band.SUPPORTED_ACCOMMODATION,
    # P1: placed with parents or others with parental responsibility.
    "P1": Band.PLACED_WITH_PARENTS,
    # P3: residential employment (living with an employer, e.g. the armed forces): other.
    "P3": Band.SECURE_AND_OTHER,
    # R1: residential care home (a care home, not a children's home): costed as residential, like K2.
    "R1": (Band.IN_HOUSE_RESIDENTIAL, Band.EXTERNAL_RESIDENTIAL),
    # R2: NHS or health provision: health.
    "R2": Band.SECURE_AND_OTHER,
    # R3: family centre or mother and baby unit: parent and child assessment, other.
    "R3": Band.SECURE_AND_OTHER,
    # R5: young offender institution: secure.
    "R5": Band.SECURE_AND_OTHER,
    # S1: residential school: residential, like K2.
    "S1": (Band.IN_HOUSE_RESIDENTIAL, Band.EXTERNAL_RESIDENTIAL),
    # T0-T4: temporary moves (hospital, holiday, respite, a week or less): other, since the usual placement
    # is not recorded beside them.
    "T0": Band.SECURE_AND_OTHER,
    "T1": Band.SECURE_AND_OTHER,
    "T2": Band.SECURE_AND_OTHER,
    "T3": Band.SECURE_AND_OTHER,
    "T4": Band.SECURE_AND_OTHER,
    # Z11-Z14 (and Z1 before 2025/26): other placements, including the unregistered settings deprivation of
    # liberty orders are made for.
    "Z11": Band.SECURE_AND_OTHER,
    "Z12": Band.SECURE_AND_OTHER,
    "Z13": Band.SECURE_AND_OTHER,
    "Z14": Band.SECURE_AND_OTHER,
    "Z1": Band.SECURE_AND_OTHER,
    # H5 semi-independent living and P2 independent living (both retired 2024/25): supported accommodation.
    "H5": Band.SUPPORTED_ACCOMMODATION,
    "P2": Band.SUPPORTED_ACCOMMODATION,
}

ALL_PLACEMENT_CODES = frozenset(PlacementType.values) | frozenset(RETIRED_PLACEMENT_TYPES)


def band_for(placement_type: str, provider: str = "") -> Band:
    """The band a placement is costed in (KeyError for a code that is not a placement type)."""
    entry = PLACEMENT_BANDS[placement_type]
    if isinstance(entry, tuple):
        own, bought = entry
        council = OWN_HOMES if own == Band.IN_HOUSE_RESIDENTIAL else OWN_FOSTERING
        return own if (provider or "") in council else bought
    return entry


@dataclass
class ProjectionRow:
    band: str
    label: str
    children_now: int
    weekly_cost: Decimal | None
    annual_demand_change: Decimal | None  # percent a year
    annual_cost_change: Decimal | None  # percent a year
    children: list[float | None]
    cost: list[Decimal | None]
    cost_now: Decimal | None = None  # children now * weekly cost * 52.18: a year at today's numbers
    missing: list[str] = field(default_factory=list)
    rationale: str = ""


@dataclass
class Projection:
    base_year: int
    years: list[int]
    rows: list[ProjectionRow]
    totals: list[Decimal]
    total_now: Decimal = Decimal(0)
    children_total_now: int = 0
    children_totals: list[float] = field(default_factory=list)
    on: date | None = None
    # True when a band with children has no unit cost or assumption: the totals leave it out.
    incomplete: bool = False


def children_by_band(*, local_authority: LocalAuthority, on: date) -> dict[str, int]:
    """Children looked after on ``on`` by the band of their placement that day, in one query.

    A child counts if their period of care is open on the day and they have a placement that day; a child on a
    series of short breaks (legal status V3 or V4) is left out (short breaks are paid from the disabled
    children's budget, not placements), as is a record merged into another.
    """
    from hearth.care.models import CareLegalStatus, Placement

    short_break = CareLegalStatus.objects.filter(
        period_id=OuterRef("period_id"), legal_status__in=SHORT_BREAKS, started_on__lte=on,
    ).filter(Q(ended_on__isnull=True) | Q(ended_on__gt=on))
    rows = (Placement.objects
            .filter(local_authority=local_authority, started_on__lte=on, period__started_on__lte=on,
                    child__merged_into__isnull=True)
            .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=on))
            .filter(Q(period__ended_on__isnull=True) | Q(period__ended_on__gt=on))
            .filter(~Exists(short_break))
            .values("placement_type", "provider").annotate(children=Count("child_id", distinct=True))
            .order_by())
    counts: dict[str, int] = {band: 0 for band in Band.values}
    for row in rows:
        counts[band_for(row["placement_type"], row["provider"])] += row["children"]
    return counts


def _grow(rate_percent: Decimal, n: int) -> Decimal:
    return (1 + rate_percent / 100) ** n


def demand_projection(*, local_authority: LocalAuthority, base_year: int, years: int = 4,
                      on: date | None = None) -> Projection:
    """Children and annual cost by band for the ``years`` financial years after ``base_year``, from the
    children in care on ``on`` (default today) and the base year's weekly costs (see the module's rule)."""
    on = on or compute.today()
    counts = children_by_band(local_authority=local_authority, on=on)
    costs = {row.band: row.weekly_cost for row in PlacementUnitCost.objects.filter(
        local_authority=local_authority, financial_year=base_year)}
    assumptions = {row.band: row for row in ProjectionAssumption.objects.filter(local_authority=local_authority)}
    ahead = list(range(1, years + 1))
    rows: list[ProjectionRow] = []
    for band in Band:
        now = counts[band.value]
        weekly = costs.get(band.value)
        assumption = assumptions.get(band.value)
        demand = assumption.annual_demand_change_percent if assumption else None
        rise = assumption.annual_cost_change_percent if assumption else None
        missing = []
        if weekly is None:
            missing.append(f"No weekly cost for {fy.label(base_year)}")
        if assumption is None:
            missing.append("No assumptions")
        children_exact = [Decimal(now) * _grow(demand, n) if demand is not None else None for n in ahead]
        cost: list[Decimal | None] = []
        for n, kids in zip(ahead, children_exact, strict=True):
            if kids is None or weekly is None or rise is None:
                cost.append(None)
            else:
                cost.append((kids * weekly * _grow(rise, n) * WEEKS_PER_YEAR).quantize(POUND, ROUND_HALF_UP))
        rows.append(ProjectionRow(
            band=band.value, label=str(band.label), children_now=now, weekly_cost=weekly,
            annual_demand_change=demand, annual_cost_change=rise,
            children=[float(k) if k is not None else None for k in children_exact], cost=cost,
            cost_now=(now * weekly * WEEKS_PER_YEAR).quantize(POUND, ROUND_HALF_UP) if weekly is not None else None,
            missing=missing, rationale=assumption.rationale if assumption else "",
        ))
    totals = [sum((c for r in rows if (c := r.cost[i]) is not None), Decimal(0)) for i in range(years)]
    return Projection(
        base_year=base_year, years=[base_year + n for n in ahead], rows=rows, totals=totals,
        total_now=sum((r.cost_now for r in rows if r.cost_now is not None), Decimal(0)),
        children_total_now=sum(counts.values()),
        children_totals=[sum(r.children[i] or 0.0 for r in rows) for i in range(years)],
        on=on, incomplete=any(r.missing and r.children_now for r in rows),
    )
