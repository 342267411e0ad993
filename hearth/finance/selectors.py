"""Reads of the children's services budget: budget monitoring for a year as it stood on a day, reserves with
their balances and what posts they are committed to, grants with what is allocated, spent and left.

Every read is scoped to one council. Nothing here names a child.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from . import years
from .models import (
    BudgetLine,
    Grant,
    GrantAllocation,
    MonthlyFinance,
    PlacementUnitCost,
    Reserve,
    ReserveMovement,
    ServiceArea,
)

if TYPE_CHECKING:
    from hearth.tenancy.models import LocalAuthority
    from hearth.workforce.models import PostFunding

ZERO = Decimal(0)
PENNY = Decimal("0.01")
DAYS_IN_YEAR = Decimal(365)


@dataclass
class LineSummary:
    """One service area's budget in the year as it stood on ``as_at``.

    ``variance`` = forecast outturn - budget: above zero is an overspend. Before any month is closed the
    forecast is the budget (``latest_month`` None, variance 0)."""

    service_area: ServiceArea
    budget: Decimal
    actual_to_date: Decimal
    forecast_outturn: Decimal
    variance: Decimal
    variance_percent: float | None
    previous_forecast: Decimal | None
    budget_line: BudgetLine | None = None
    latest_month: date | None = None
    previous_month: date | None = None

    @property
    def movement(self) -> Decimal | None:
        """The change in forecast since the close before the latest (above zero: the forecast went up)."""
        return None if self.previous_forecast is None else self.forecast_outturn - self.previous_forecast


@dataclass
class ReserveBalance:
    reserve: Reserve
    balance: Decimal
    drawn_this_year: Decimal
    committed_to_posts: Decimal

    @property
    def uncommitted(self) -> Decimal:
        """What would be left after paying the posts it funds to the end of their funding."""
        return self.balance - self.committed_to_posts


@dataclass
class GrantSummary:
    grant: Grant
    allocated: Decimal
    spent: Decimal
    unallocated: Decimal


@dataclass
class FinanceSummary:
    financial_year: int
    as_at: date
    months_closed: int
    lines: list[LineSummary]
    total_budget: Decimal
    total_actual_to_date: Decimal
    total_forecast: Decimal
    total_variance: Decimal
    reserves: list[ReserveBalance]
    grants: list[GrantSummary]
    # The council's forecast outturn at each month closed (April first), as the board saw it that month.
    forecast_by_month: list[tuple[date, Decimal]] = field(default_factory=list)
    latest_month: date | None = None

    @property
    def total_variance_percent(self) -> float | None:
        return percent_of(self.total_variance, self.total_budget)

    @property
    def total_previous_forecast(self) -> Decimal | None:
        """The council's forecast at the month closed before the latest (None before a second month closes).
        A line not closed in the latest month carries its earlier forecast, so the movement is this month's."""
        return self.forecast_by_month[-2][1] if len(self.forecast_by_month) > 1 else None

    @property
    def previous_month(self) -> date | None:
        return self.forecast_by_month[-2][0] if len(self.forecast_by_month) > 1 else None

    @property
    def total_movement(self) -> Decimal | None:
        previous = self.total_previous_forecast
        return None if previous is None else self.total_forecast - previous


def percent_of(part: Decimal, whole: Decimal) -> float | None:
    """``part`` as a percentage of ``whole``, to two places (None when ``whole`` is 0)."""
    if not whole:
        return None
    return float((part * 100 / whole).quantize(PENNY, rounding=ROUND_HALF_UP))


# Budget monitoring -----------------------------------------------------------------------------------------

def budget_lines(*, local_authority: LocalAuthority, financial_year: int) -> QuerySet[BudgetLine]:
    return (BudgetLine.objects.filter(local_authority=local_authority, financial_year=financial_year)
            .select_related("service_area").order_by("service_area__order", "service_area__name", "pk"))


def budget_years(*, local_authority: LocalAuthority) -> list[int]:
    """Every financial year with a budget line, newest first."""
    return sorted(set(BudgetLine.objects.filter(local_authority=local_authority)
                      .values_list("financial_year", flat=True)), reverse=True)


def line_months(*, budget_line: BudgetLine) -> list[MonthlyFinance]:
    return list(MonthlyFinance.objects.filter(budget_line=budget_line).order_by("month"))


def line_summary(line: BudgetLine, closes: list[MonthlyFinance]) -> LineSummary:
    """``closes`` are the line's closes up to the day, oldest first."""
    actual = sum((c.actual for c in closes), ZERO)
    latest = closes[-1] if closes else None
    previous = closes[-2] if len(closes) > 1 else None
    forecast = latest.forecast_outturn if latest else line.budget
    variance = forecast - line.budget
    return LineSummary(
        service_area=line.service_area, budget=line.budget, actual_to_date=actual, forecast_outturn=forecast,
        variance=variance, variance_percent=percent_of(variance, line.budget),
        previous_forecast=previous.forecast_outturn if previous else None, budget_line=line,
        latest_month=latest.month if latest else None, previous_month=previous.month if previous else None,
    )


def finance_summary(*, local_authority: LocalAuthority, financial_year: int, as_at: date) -> FinanceSummary:
    """Budget monitoring for ``financial_year`` as it stood on ``as_at``, with reserves and grants.

    Each line: actual to date = the sum of its monthly actuals for months closed up to ``as_at`` (a month
    counts once its first day is on or before ``as_at``); forecast outturn = the forecast at its latest such
    close (the budget before its first close); variance = forecast - budget (above zero: an overspend) and
    variance % = variance ÷ budget * 100, to two places; ``previous_forecast`` = the forecast at the close
    before the latest (normally the month before), so the board sees the movement.

    Reserves (opened on or before ``as_at``): balance = opening balance + every movement dated up to ``as_at``;
    drawn this year = the drawdowns dated in the financial year up to ``as_at``, as a positive sum;
    committed to posts = for every post funded from the reserve on ``as_at`` (a PostFunding with source reserve
    whose period includes ``as_at``, on a post not deleted from the establishment by then): the post's annual
    cost * its share ÷ 100 * the days from the day after ``as_at`` to the end of that funding (or of the post,
    if sooner) ÷ 365, to the penny. Funding with no end date is counted to the end of the financial year — the
    least the reserve is committed to.

    Grants whose period overlaps the financial year: allocated = the sum of their allocations, spent = the
    allocations' spend to date as last recorded, unallocated = the grant - allocated.
    """
    lines = list(budget_lines(local_authority=local_authority, financial_year=financial_year))
    closes_by_line: dict[int, list[MonthlyFinance]] = defaultdict(list)
    for close in (MonthlyFinance.objects.filter(budget_line__in=[line.pk for line in lines], month__lte=as_at)
                  .order_by("month", "pk")):
        closes_by_line[close.budget_line_id].append(close)
    summaries = [line_summary(line, closes_by_line[line.pk]) for line in lines]
    months = sorted({c.month for closes in closes_by_line.values() for c in closes})
    return FinanceSummary(
        financial_year=financial_year, as_at=as_at, months_closed=len(months), lines=summaries,
        total_budget=sum((s.budget for s in summaries), ZERO),
        total_actual_to_date=sum((s.actual_to_date for s in summaries), ZERO),
        total_forecast=sum((s.forecast_outturn for s in summaries), ZERO),
        total_variance=sum((s.variance for s in summaries), ZERO),
        reserves=reserve_balances(local_authority=local_authority, financial_year=financial_year, as_at=as_at),
        grants=grant_summaries(local_authority=local_authority, financial_year=financial_year),
        forecast_by_month=_forecast_by_month(lines, closes_by_line, months),
        latest_month=months[-1] if months else None,
    )


def _forecast_by_month(lines: list[BudgetLine], closes_by_line: dict[int, list[MonthlyFinance]],
                       months: list[date]) -> list[tuple[date, Decimal]]:
    """The council's forecast at each month closed: each line's forecast at its latest close up to that month,
    or its budget if it had none yet (so a line closed late does not drop out of a month's total)."""
    result = []
    for month in months:
        total = ZERO
        for line in lines:
            known = [c for c in closes_by_line[line.pk] if c.month <= month]
            total += known[-1].forecast_outturn if known else line.budget
        result.append((month, total))
    return result


# Reserves --------------------------------------------------------------------------------------------------

def reserves_for(*, local_authority: LocalAuthority) -> QuerySet[Reserve]:
    return Reserve.objects.filter(local_authority=local_authority).order_by("name", "pk")


def _reserve_fundings(*, local_authority: LocalAuthority, on: date,
                      reserve: Reserve | None = None) -> list[PostFunding]:
    from hearth.workforce.models import PostFunding

    rows = PostFunding.objects.filter(
        local_authority=local_authority, source=PostFunding.Source.RESERVE, starts_on__lte=on,
    ).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=on)).filter(
        Q(post__ended_on__isnull=True) | Q(post__ended_on__gt=on)).select_related("post")
    if reserve is not None:
        rows = rows.filter(reserve=reserve)
    return list(rows)


def commitment(funding: PostFunding, on: date) -> Decimal:
    """What a post funded from a reserve will still cost it after ``on`` (see ``finance_summary``)."""
    end = funding.ends_on or years.year_end(years.year_of(on))
    if funding.post.ended_on is not None:
        end = min(end, funding.post.ended_on)
    days = max((end - on).days, 0)
    cost = funding.post.annual_cost * funding.share_percent / 100 * days / DAYS_IN_YEAR
    return cost.quantize(PENNY, rounding=ROUND_HALF_UP)


def reserve_balances(*, local_authority: LocalAuthority, financial_year: int, as_at: date) -> list[ReserveBalance]:
    reserves = list(reserves_for(local_authority=local_authority).filter(opened_on__lte=as_at))
    start = years.year_start(financial_year)
    moved: dict[int, Decimal] = defaultdict(lambda: ZERO)
    drawn: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for reserve_id, moved_on, amount in (ReserveMovement.objects
                                         .filter(local_authority=local_authority, moved_on__lte=as_at)
                                         .values_list("reserve_id", "moved_on", "amount")):
        moved[reserve_id] += amount
        if amount < 0 and start <= moved_on <= years.year_end(financial_year):
            drawn[reserve_id] -= amount
    committed: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for funding in _reserve_fundings(local_authority=local_authority, on=as_at):
        assert funding.reserve_id is not None
        committed[funding.reserve_id] += commitment(funding, as_at)
    return [ReserveBalance(reserve=r, balance=r.opening_balance + moved[r.pk], drawn_this_year=drawn[r.pk],
                           committed_to_posts=committed[r.pk]) for r in reserves]


@dataclass
class MovementRow:
    movement: ReserveMovement
    balance_after: Decimal


@dataclass
class FundedPost:
    funding: PostFunding
    annual_cost: Decimal  # the post's annual cost * the share funded from here
    committed: Decimal | None  # still to pay after the day (None: funding not current)
    current: bool


@dataclass
class ReserveDetail:
    reserve: Reserve
    balance: ReserveBalance
    movements: list[MovementRow]
    posts: list[FundedPost]
    # The balance at each month end from the month it opened (the last point is the day itself).
    month_ends: list[tuple[date, Decimal]] = field(default_factory=list)


def _month_ends(opened_on: date, as_at: date) -> list[date]:
    days, month = [], date(opened_on.year, opened_on.month, 1)
    while month <= as_at:
        following = date(month.year + month.month // 12, month.month % 12 + 1, 1)
        days.append(min(following - timedelta(days=1), as_at))
        month = following
    return days


def _funded_posts(rows: Any, on: date) -> list[FundedPost]:
    result = []
    for funding in rows:
        current = funding.starts_on <= on and (funding.ends_on is None or funding.ends_on >= on) and (
            funding.post.ended_on is None or funding.post.ended_on > on)
        share = (funding.post.annual_cost * funding.share_percent / 100).quantize(PENNY, rounding=ROUND_HALF_UP)
        result.append(FundedPost(funding, share, commitment(funding, on) if current else None, current))
    return result


def reserve_detail(*, reserve: Reserve, as_at: date) -> ReserveDetail:
    """A reserve's movements with the balance after each, and every post it funds or has funded."""
    from hearth.workforce.models import PostFunding

    movements = list(ReserveMovement.objects.filter(reserve=reserve).select_related("service_area")
                     .order_by("moved_on", "pk"))
    running = reserve.opening_balance
    rows = []
    for movement in movements:
        running += movement.amount
        rows.append(MovementRow(movement, running))
    fundings = (PostFunding.objects.filter(reserve=reserve, local_authority_id=reserve.local_authority_id)
                .select_related("post", "post__team").order_by("ends_on", "post__reference", "pk"))
    posts = _funded_posts(fundings, as_at)
    balance = reserve.opening_balance + sum((m.amount for m in movements if m.moved_on <= as_at), ZERO)
    start, end = years.year_start(years.year_of(as_at)), years.year_end(years.year_of(as_at))
    drawn = -sum((m.amount for m in movements if m.amount < 0 and start <= m.moved_on <= min(end, as_at)), ZERO)
    committed = sum((p.committed for p in posts if p.committed is not None), ZERO)
    month_ends = [(day, reserve.opening_balance + sum((m.amount for m in movements if m.moved_on <= day), ZERO))
                  for day in _month_ends(reserve.opened_on, as_at)]
    return ReserveDetail(reserve, ReserveBalance(reserve, balance, drawn, committed), rows, posts, month_ends)


# Grants ----------------------------------------------------------------------------------------------------

def grants_for(*, local_authority: LocalAuthority) -> QuerySet[Grant]:
    return (Grant.objects.filter(local_authority=local_authority)
            .annotate(allocated=Coalesce(Sum("allocations__amount"), ZERO),
                      spent=Coalesce(Sum("allocations__spent_to_date"), ZERO))
            .order_by("-starts_on", "name", "pk"))


def _grant_summary(grant: Any) -> GrantSummary:
    allocated, spent = Decimal(grant.allocated), Decimal(grant.spent)
    return GrantSummary(grant=grant, allocated=allocated, spent=spent, unallocated=grant.amount - allocated)


def grant_summaries(*, local_authority: LocalAuthority, financial_year: int | None = None) -> list[GrantSummary]:
    """Every grant (or those whose period overlaps ``financial_year``) with allocated, spent and unallocated."""
    grants = grants_for(local_authority=local_authority)
    if financial_year is not None:
        grants = grants.filter(starts_on__lte=years.year_end(financial_year),
                               ends_on__gte=years.year_start(financial_year))
    return [_grant_summary(g) for g in grants]


@dataclass
class GrantDetail:
    summary: GrantSummary
    allocations: list[GrantAllocation]
    posts: list[FundedPost]


def grant_detail(*, grant: Grant, as_at: date) -> GrantDetail:
    from hearth.workforce.models import PostFunding

    allocations = list(GrantAllocation.objects.filter(grant=grant).select_related("service_area")
                       .order_by("pk"))
    allocated = sum((a.amount for a in allocations), ZERO)
    spent = sum((a.spent_to_date for a in allocations), ZERO)
    fundings = (PostFunding.objects.filter(grant=grant, local_authority_id=grant.local_authority_id)
                .select_related("post", "post__team").order_by("ends_on", "post__reference", "pk"))
    return GrantDetail(GrantSummary(grant, allocated, spent, grant.amount - allocated), allocations,
                       _funded_posts(fundings, as_at))


# Unit costs ------------------------------------------------------------------------------------------------

def unit_costs(*, local_authority: LocalAuthority, financial_year: int) -> dict[str, PlacementUnitCost]:
    return {row.band: row for row in PlacementUnitCost.objects.filter(local_authority=local_authority,
                                                                      financial_year=financial_year)}


def unit_cost_years(*, local_authority: LocalAuthority) -> list[int]:
    return sorted(set(PlacementUnitCost.objects.filter(local_authority=local_authority)
                      .values_list("financial_year", flat=True)), reverse=True)
