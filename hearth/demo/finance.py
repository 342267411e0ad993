"""The synthetic council's children's services budget: seven service areas, four financial years of budget lines
with every month closed (the current year to the last month end), a placements line overspending by about a
tenth (Nottingham's story: about £6 million over a £60 million line for a council of its size) and the rest
close to budget; the improvement reserve (about £3.5 million) with a drawdown each month for the posts it pays
for; two DfE grants allocated to spend areas; weekly unit costs per placement type for each year; and the
projection's assumptions with their reasons.

Money scales with the council: the placements budget from what the children in care today cost a year at this
year's unit costs (``hearth.finance.projection``'s bands; about £1,850 a week each where that is not there), less
the year's overspend, the other lines from the open cases (Nottingham carries about 3,500). The reserve and the
grants are the same whatever the size. Deterministic for a seed (its own random streams).
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from django.db.models import Q

from hearth.allocations.models import Allocation
from hearth.care.models import PeriodOfCare
from hearth.finance.models import (
    BudgetLine,
    Grant,
    GrantAllocation,
    MonthlyFinance,
    PlacementCostBand,
    PlacementUnitCost,
    ProjectionAssumption,
    Reserve,
    ReserveMovement,
    ServiceArea,
)
from hearth.finance.money import pounds
from hearth.finance.years import months as year_months
from hearth.finance.years import year_of
from hearth.indicators.registry import last_month_end

from .bulk import new

if TYPE_CHECKING:
    from .programme import Programme
    from .workforce import Slot, Staff

PLACEMENTS, SAFEGUARDING, FRONT_DOOR, CARE_LEAVERS, DISABLED, WORKFORCE, EARLY_HELP = (
    "CSC101", "CSC102", "CSC103", "CSC104", "CSC105", "CSC106", "CSC107")
# Code, name, and (for all but placements) the current year's budget for a council with Nottingham's 3,500
# open cases.
AREAS = [
    (PLACEMENTS, "Placements for children in care", 0),
    (SAFEGUARDING, "Safeguarding and family support", 14_200_000),
    (FRONT_DOOR, "Front door and assessment", 5_600_000),
    (CARE_LEAVERS, "Care leavers", 6_100_000),
    (DISABLED, "Disabled children", 8_300_000),
    (WORKFORCE, "Workforce, quality assurance and improvement", 4_200_000),
    (EARLY_HELP, "Early help", 7_400_000),
]
NOTTINGHAM_OPEN_CASES = 3500
PLACEMENT_WEEKLY = 1_850  # the average weekly cost of a child in care the budget is built on
# The placements line pays more than placements: special guardianship and adoption allowances, staying put,
# transport and contact add about a quarter.
PLACEMENTS_OTHER_COSTS = Decimal("1.25")
WEEKS_A_YEAR = Decimal("52.18")
# The placements overspend as a share of budget, oldest of the four years first.
PLACEMENTS_OVER = (0.068, 0.083, 0.094, 0.103)
RESERVE_OPENING = Decimal("3500000")

UNIT_COSTS_NOW = {  # weekly, the current financial year
    PlacementCostBand.IN_HOUSE_FOSTERING: 550,
    PlacementCostBand.KINSHIP: 400,
    PlacementCostBand.AGENCY_FOSTERING: 1_000,
    PlacementCostBand.IN_HOUSE_RESIDENTIAL: 5_500,
    PlacementCostBand.EXTERNAL_RESIDENTIAL: 6_500,
    PlacementCostBand.SUPPORTED_ACCOMMODATION: 1_800,
    PlacementCostBand.PLACED_WITH_PARENTS: 150,
    PlacementCostBand.SECURE_AND_OTHER: 8_000,
}
ASSUMPTIONS = {  # yearly change in children, yearly change in weekly cost (per cent), and why
    PlacementCostBand.IN_HOUSE_FOSTERING: (
        "2.0", "3.0", "The fostering recruitment campaign has added a net eight households a year for two years; "
        "carers' allowances rise with the national minimum allowance."),
    PlacementCostBand.KINSHIP: (
        "4.0", "3.0", "Family network meetings at the front door are finding more family carers; allowances follow "
        "the fostering rates."),
    PlacementCostBand.AGENCY_FOSTERING: (
        "-3.0", "5.0", "Fewer agency placements as in-house capacity grows; agency fees have risen about 5% a "
        "year."),
    PlacementCostBand.IN_HOUSE_RESIDENTIAL: (
        "0.0", "4.0", "The council's two homes are full; no new home before 2028. Staffing costs rise with pay "
        "awards."),
    PlacementCostBand.EXTERNAL_RESIDENTIAL: (
        "5.0", "8.0", "Demand for residential care for older children with complex needs keeps rising, and the "
        "market sets the price: weekly fees rose 8% last year."),
    PlacementCostBand.SUPPORTED_ACCOMMODATION: (
        "3.0", "6.0", "More 16 and 17 year olds coming into care; Ofsted registration of providers has pushed fees "
        "up."),
    PlacementCostBand.PLACED_WITH_PARENTS: (
        "-2.0", "2.0", "Plans to discharge care orders for children settled at home are being reviewed."),
    PlacementCostBand.SECURE_AND_OTHER: (
        "0.0", "6.0", "A handful of children a year; welfare secure places are scarce and costly."),
}
COMMENTARY = {
    PLACEMENTS: [
        "{n} more children in external residential care than the budget allows for; two new placements this "
        "month at over £7,000 a week.",
        "Forecast overspend of {over}. Fewer agency foster placements than last month, but two children moved "
        "to residential care after placement breakdowns.",
        "Forecast overspend of {over}. The sufficiency strategy's in-house fostering growth is slower than planned.",
        "Supported accommodation fees up after providers registered with Ofsted; forecast {over} over budget.",
    ],
    SAFEGUARDING: ["Agency cover for two vacancies in the safeguarding teams.", "",
                   "Section 17 payments slightly above profile."],
    FRONT_DOOR: ["The additional team managers are paid from the improvement reserve, not this line.", ""],
    CARE_LEAVERS: ["Setting-up-home allowances paid for eleven young people this month.", ""],
    DISABLED: ["Short breaks spend on profile.", ""],
    WORKFORCE: ["Restorative practice training costs met from this line.", ""],
    EARLY_HELP: ["Two family support worker vacancies held pending the early help review.", ""],
}
# Which service area pays for what a funded post does (for the reserve's drawdowns).
POST_AREAS = {"missing_advocate": SAFEGUARDING, "personal_adviser": CARE_LEAVERS, "team_manager": FRONT_DOOR}
POST_WORDS = {"missing_advocate": "missing from home advocates", "personal_adviser": "personal advisers",
              "team_manager": "additional team managers"}


def _money(value: float | Decimal) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("1"), rounding=ROUND_HALF_UP)


@dataclass
class Funds:
    areas: dict[str, ServiceArea]
    reserve: Reserve
    improvement_grant: Grant
    systems_grant: Grant


def seed_funds(programme: Programme) -> Funds:
    """Service areas, the improvement reserve and the two DfE grants (with their allocations): the posts are
    paid from these."""
    la, year = programme.la, programme.inspection_year
    areas = {code: new(ServiceArea, local_authority=la, name=name, code=code, order=i)
             for i, (code, name, _) in enumerate(AREAS, start=1)}
    programme.writer.save(ServiceArea, list(areas.values()))
    # Opened at the start of the financial year the first reserve-funded post began in.
    opened = date(year_of(programme.today - timedelta(days=18 * 31)), 4, 1)
    reserve = new(Reserve, local_authority=la, name="Children's services improvement reserve",
                  purpose="Set aside by the council to pay for the improvement plan's temporary capacity while the "
                          "base budget catches up: posts for up to 18 months each, agreed by the improvement board.",
                  opening_balance=RESERVE_OPENING, opened_on=opened)
    programme.writer.save(Reserve, [reserve])
    improvement = new(
        Grant, local_authority=la, name="Children's social care improvement grant", funder="Department for Education",
        reference=f"DFE-CSCIP-{year + 1}-{programme.la.dfe_la_number or '000'}", amount=Decimal("504000"),
        starts_on=date(year + 1, 4, 1), ends_on=date(year + 3, 3, 31), reporting_due_on=date(year + 3, 6, 30),
        conditions="To be spent only on the improvement plan agreed with the DfE adviser, in the four areas set out in "
                   "the grant letter. Quarterly returns of spend and of progress against the plan's measures; any "
                   "money not spent by 31 March " + str(year + 3) + " is returned. Posts paid from the grant may not "
                   "be made permanent from it.")
    systems = new(
        Grant, local_authority=la, name="Case management system improvement grant", funder="Department for Education",
        reference=f"DFE-CMS-{year + 2}-{programme.la.dfe_la_number or '000'}", amount=Decimal("130000"),
        starts_on=date(year + 2, 10, 1), ends_on=date(year + 5, 3, 31), reporting_due_on=date(year + 5, 5, 31),
        conditions="For changes to the case management system that make recording quicker and improve the data "
                   "leaders use. A six-monthly return of spend; the money may pay for a post until the grant ends.")
    programme.writer.save(Grant, [improvement, systems])
    allocations = [
        new(GrantAllocation, local_authority=la, grant=improvement, spend_area="Front door redesign",
            service_area=areas[FRONT_DOOR], amount=Decimal("160000"), spent_to_date=Decimal("160000"),
            conditions="Consultancy and backfill for the redesign of the front door and the threshold guidance."),
        new(GrantAllocation, local_authority=la, grant=improvement, spend_area="Case management system",
            service_area=areas[WORKFORCE], amount=Decimal("120000"), spent_to_date=Decimal("118450"),
            conditions="Configuration of assessment and plan forms; not licences."),
        new(GrantAllocation, local_authority=la, grant=improvement, spend_area="Workforce: ASYE academy",
            service_area=areas[WORKFORCE], amount=Decimal("134000"), spent_to_date=Decimal("134000"),
            conditions="A practice educator post and the academy's programme for newly qualified social workers."),
        new(GrantAllocation, local_authority=la, grant=improvement, spend_area="Missing and exploitation",
            service_area=areas[SAFEGUARDING], amount=Decimal("90000"), spent_to_date=Decimal("88200"),
            conditions="Return home interview capacity and the exploitation screening tool."),
        new(GrantAllocation, local_authority=la, grant=systems, spend_area="Case management system",
            service_area=areas[WORKFORCE], amount=Decimal("130000"), spent_to_date=Decimal("71400"),
            conditions="The case recording improvement lead and the supplier's development days."),
    ]
    programme.writer.save(GrantAllocation, allocations)
    return Funds(areas=areas, reserve=reserve, improvement_grant=improvement, systems_grant=systems)


def seed_money(programme: Programme, *, funds: Funds, staff: Staff) -> None:
    """Budgets and month closes for four years, the reserve's drawdowns, unit costs and assumptions."""
    _unit_costs(programme)
    _budgets(programme, funds)
    _drawdowns(programme, funds, staff.funded)


def _budgets(programme: Programme, funds: Funds) -> None:
    la, today = programme.la, programme.today
    rng = programme.rng("finance")
    in_care = PeriodOfCare.objects.filter(local_authority=la, started_on__lte=today).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gt=today)).count()
    placements_now = Decimal(max(in_care, 5) * PLACEMENT_WEEKLY) * WEEKS_A_YEAR
    try:
        from hearth.finance.projection import children_by_band
    except ImportError:
        pass
    else:
        # What today's children in care cost a year at this year's unit costs, with the line's other costs, is the
        # forecast outturn; the budget is that less the year's overspend.
        counts = children_by_band(local_authority=la, on=today)
        cost = sum(Decimal(counts.get(band, 0) * weekly) for band, weekly in UNIT_COSTS_NOW.items()) * WEEKS_A_YEAR
        if cost:
            placements_now = cost * PLACEMENTS_OTHER_COSTS / Decimal(str(1 + PLACEMENTS_OVER[-1]))
    open_cases = (Allocation.objects.filter(local_authority=la, kind=Allocation.Kind.SOCIAL_WORKER,
                                            started_on__lte=today)
                  .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=today)).count())
    scale = max(open_cases, 50) / NOTTINGHAM_OPEN_CASES
    current = year_of(today)
    closed_to = last_month_end(today)
    years = list(range(current - 3, current + 1))
    lines: list[BudgetLine] = []
    closes: list[MonthlyFinance] = []
    for code, _, base in AREAS:
        if code == PLACEMENTS:
            now = placements_now
            growth = 1.07
        else:
            now = Decimal(base * scale)
            growth = 1.03
        for i, year in enumerate(years):
            budget = Decimal(round(float(now) / growth ** (len(years) - 1 - i) / 1000) * 1000)
            line = new(BudgetLine, local_authority=la, service_area=funds.areas[code], financial_year=year,
                       budget=budget)
            lines.append(line)
            over = PLACEMENTS_OVER[i] if code == PLACEMENTS else rng.uniform(-0.025, 0.02)
            closes += _months(line, code, over, closed_to, rng)
    programme.writer.save(BudgetLine, lines)
    programme.writer.save(MonthlyFinance, closes)


def _months(line: BudgetLine, code: str, over: float, closed_to: date, rng: random.Random) -> list[MonthlyFinance]:
    """Each month closed: the spend in it and the forecast outturn as it stood then. Placements spend rises
    through the year; the forecast finds the overspend early and settles on it."""
    budget = float(line.budget)
    outturn = budget * (1 + over)
    months = [m for m in year_months(line.financial_year) if m <= closed_to]
    if not months:
        return []
    slope = 0.08 if code == PLACEMENTS else 0.0
    weights = [1 + slope * (i - 5.5) / 11 + rng.uniform(-0.03, 0.03) for i in range(12)]
    total = sum(weights)
    actuals = [_money(outturn * w / total) for w in weights]
    actuals[-1] += _money(outturn) - sum(actuals)
    whole_year = len(months) == 12
    out = []
    texts = COMMENTARY[code]
    for i, month in enumerate(months):
        if whole_year and i == 11:
            forecast = sum(actuals)
        elif whole_year:
            forecast = _money(budget + (outturn - budget) * (0.55 + 0.45 * i / 11)
                              + rng.uniform(-0.003, 0.003) * budget)
        else:
            share = 0.7 + 0.3 * (i + 1) / len(months)
            forecast = _money(budget + (outturn - budget) * share + rng.uniform(-0.002, 0.002) * budget)
        text = rng.choice(texts) if texts else ""
        if code == PLACEMENTS:
            text = text.format(over=pounds(forecast - line.budget), n=rng.randint(3, 9))
        out.append(new(MonthlyFinance, local_authority=line.local_authority, budget_line=line, month=month,
                       actual=actuals[i], forecast_outturn=forecast, commentary=text))
    return out


def _drawdowns(programme: Programme, funds: Funds, funded: list[Slot]) -> None:
    """A drawdown at each month end for the reserve-funded posts filled that month (a vacant post costs the
    reserve nothing), by the service area the posts work in; two one-off drawdowns."""
    la, reserve = programme.la, funds.reserve
    closed_to = last_month_end(programme.today)
    by_month: dict[tuple[date, str], Decimal] = defaultdict(Decimal)
    kinds: dict[tuple[date, str], set[str]] = defaultdict(set)
    for slot in funded:
        cost = Decimal(slot.job.cost) * slot.fte
        for seg in slot.segs:
            day = seg.start.replace(day=1)
            while day <= closed_to:
                following = (day + timedelta(days=32)).replace(day=1)
                month_end = following - timedelta(days=1)
                first, last = max(day, seg.start), min(month_end, seg.end or month_end)
                if first <= last:
                    share = Decimal((last - first).days + 1) / Decimal((month_end - day).days + 1)
                    key = (month_end, POST_AREAS.get(slot.job.kind, WORKFORCE))
                    by_month[key] += cost / 12 * share
                    kinds[key].add(slot.job.kind)
                day = following
    movements = [
        new(ReserveMovement, local_authority=la, reserve=reserve, moved_on=day, amount=-_money(amount),
            purpose="Temporarily funded posts: " + ", ".join(POST_WORDS.get(k, k) for k in sorted(kinds[(day, code)]))
                    + f", {day:%B %Y}",
            service_area=funds.areas[code])
        for (day, code), amount in sorted(by_month.items())
    ]
    one_off = [(reserve.opened_on + timedelta(days=250), Decimal("-120000"), FRONT_DOOR,
                "Agency cover to keep the front door stable over the winter"),
               (reserve.opened_on + timedelta(days=400), Decimal("-85000"), WORKFORCE,
                "Restorative practice: trainers and the practice leads' programme")]
    movements += [new(ReserveMovement, local_authority=la, reserve=reserve, moved_on=day, amount=amount,
                      purpose=purpose, service_area=funds.areas[code])
                  for day, amount, code, purpose in one_off if day <= closed_to]
    movements.sort(key=lambda m: (m.moved_on, m.purpose))
    programme.writer.save(ReserveMovement, movements)


def _unit_costs(programme: Programme) -> None:
    la = programme.la
    current = year_of(programme.today)
    costs = []
    for back in range(4):
        for band, weekly in UNIT_COSTS_NOW.items():
            value = Decimal(weekly) / Decimal("1.05") ** back
            costs.append(new(PlacementUnitCost, local_authority=la, band=band, financial_year=current - back,
                             weekly_cost=(value / 5).quantize(Decimal("1"), rounding=ROUND_HALF_UP) * 5))
    costs.sort(key=lambda c: (c.financial_year, c.band))
    programme.writer.save(PlacementUnitCost, costs)
    programme.writer.save(ProjectionAssumption, [
        new(ProjectionAssumption, local_authority=la, band=band, annual_demand_change_percent=Decimal(demand),
            annual_cost_change_percent=Decimal(cost), rationale=why)
        for band, (demand, cost, why) in ASSUMPTIONS.items()
    ])
