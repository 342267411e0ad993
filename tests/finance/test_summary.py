"""Budget monitoring, reserves and grants on a hand-built year with known answers (tests/finance/factories.py)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hearth.finance.selectors import finance_summary, reserve_detail
from tests.finance.factories import (
    TODAY,
    YEAR,
    budget_year,
    fund,
    grant_with_allocations,
    make_post,
    reserve_with_drawdowns,
)

D = Decimal


def test_known_year_actual_forecast_variance_and_movement(la):
    budget_year(la)
    s = finance_summary(local_authority=la, financial_year=YEAR, as_at=TODAY)

    assert s.months_closed == 3 and s.latest_month == date(2026, 6, 1)
    by_code = {line.service_area.code: line for line in s.lines}
    assert [line.service_area.code for line in s.lines] == ["CSC200", "CSC100", "CSC300"]  # the areas' order

    # Placements: 2.4m + 2.6m + 2.7m spent; June's forecast 31.25m against 30m: 1.25m over, 1.25 / 30 = 4.17%;
    # May's forecast 31m, so up 250,000.
    placements = by_code["CSC200"]
    assert placements.actual_to_date == D("7700000")
    assert placements.forecast_outturn == D("31250000")
    assert placements.variance == D("1250000")
    assert placements.variance_percent == 4.17
    assert placements.previous_forecast == D("31000000") and placements.movement == D("250000")

    # Safeguarding: 0.95m + 1.01m + 0.99m; 11.85m against 12m: 150,000 under, -1.25%; up 50,000 from May.
    safeguarding = by_code["CSC100"]
    assert safeguarding.actual_to_date == D("2950000")
    assert safeguarding.forecast_outturn == D("11850000")
    assert safeguarding.variance == D("-150000") and safeguarding.variance_percent == -1.25
    assert safeguarding.previous_forecast == D("11800000") and safeguarding.movement == D("50000")

    # Care leavers, closed for April and May only: May's forecast 4.1m (2.5% over); April's 4m before it.
    leaving = by_code["CSC300"]
    assert leaving.actual_to_date == D("620000") and leaving.latest_month == date(2026, 5, 1)
    assert leaving.forecast_outturn == D("4100000") and leaving.variance == D("100000")
    assert leaving.variance_percent == 2.5
    assert leaving.previous_forecast == D("4000000") and leaving.movement == D("100000")

    # Totals: 46m budget, 11.27m spent, 47.2m forecast, 1.2m over = 1.2 / 46 = 2.61%.
    assert s.total_budget == D("46000000") and s.total_actual_to_date == D("11270000")
    assert s.total_forecast == D("47200000") and s.total_variance == D("1200000")
    assert s.total_variance_percent == 2.61
    # The council's forecast by month (a line not closed in a month carries its last forecast):
    # April 30.5 + 11.9 + 4.0; May 31.0 + 11.8 + 4.1; June 31.25 + 11.85 + 4.1.
    assert s.forecast_by_month == [(date(2026, 4, 1), D("46400000")), (date(2026, 5, 1), D("46900000")),
                                   (date(2026, 6, 1), D("47200000"))]
    assert s.total_previous_forecast == D("46900000") and s.total_movement == D("300000")


def test_as_at_counts_only_months_closed_by_then(la):
    budget_year(la)
    s = finance_summary(local_authority=la, financial_year=YEAR, as_at=date(2026, 5, 31))
    placements = next(line for line in s.lines if line.service_area.code == "CSC200")
    assert s.months_closed == 2
    assert placements.actual_to_date == D("5000000") and placements.forecast_outturn == D("31000000")
    assert placements.previous_forecast == D("30500000")
    before = finance_summary(local_authority=la, financial_year=YEAR, as_at=date(2026, 3, 31))
    assert before.months_closed == 0 and before.total_forecast == before.total_budget == D("46000000")
    assert before.total_variance == 0 and all(line.previous_forecast is None for line in before.lines)


def test_another_councils_budget_is_not_counted(la, other_la):
    budget_year(la)
    budget_year(other_la)
    assert finance_summary(local_authority=la, financial_year=YEAR, as_at=TODAY).total_budget == D("46000000")
    assert finance_summary(local_authority=la, financial_year=YEAR + 1, as_at=TODAY).lines == []


def test_reserve_balance_after_drawdowns_and_commitment_to_posts(la):
    reserve = reserve_with_drawdowns(la)
    # £45,000 a year, wholly from the reserve to 31 March 2027: 128 days after 23 November 2026 →
    # 45,000 * 128 / 365 = 15,780.82.
    fund(make_post(la, "CSC-1", "45000"), starts_on=date(2025, 10, 1), ends_on=date(2027, 3, 31), reserve=reserve)
    # £60,000 a year, half from the reserve to 30 June 2027: 219 days → 30,000 * 219 / 365 = 18,000.00.
    fund(make_post(la, "CSC-2", "60000"), starts_on=date(2026, 1, 1), ends_on=date(2027, 6, 30), share="50",
         reserve=reserve)
    # Not counted: funding that ended before the day, and a post paid from a grant.
    fund(make_post(la, "CSC-3", "50000"), starts_on=date(2025, 4, 1), ends_on=date(2026, 10, 31), reserve=reserve)
    fund(make_post(la, "CSC-4", "50000"), starts_on=date(2026, 4, 1), ends_on=date(2027, 3, 31),
         grant=grant_with_allocations(la))

    s = finance_summary(local_authority=la, financial_year=YEAR, as_at=TODAY)
    [balance] = s.reserves
    # 2,000,000 - 100,000 + 500,000 - 300,000 - 250,000.
    assert balance.balance == D("1850000")
    assert balance.drawn_this_year == D("550000")  # 300,000 + 250,000 (March's 100,000 was last year)
    assert balance.committed_to_posts == D("33780.82")
    assert balance.uncommitted == D("1816219.18")

    june = finance_summary(local_authority=la, financial_year=YEAR, as_at=date(2026, 6, 30))
    assert june.reserves[0].balance == D("2100000") and june.reserves[0].drawn_this_year == D("300000")

    detail = reserve_detail(reserve=reserve, as_at=TODAY)
    assert [row.balance_after for row in detail.movements] == [D("1900000"), D("2400000"), D("2100000"),
                                                               D("1850000")]
    assert detail.balance.committed_to_posts == D("33780.82")
    assert [(p.funding.post.reference, p.current) for p in detail.posts] == [
        ("CSC-3", False), ("CSC-1", True), ("CSC-2", True)]


def test_open_ended_reserve_funding_is_committed_to_the_year_end(la):
    reserve = reserve_with_drawdowns(la)
    # No end date: counted to 31 March 2027, 128 days: 36,500 * 128 / 365 = 12,800.00.
    fund(make_post(la, "CSC-9", "36500"), starts_on=date(2026, 4, 1), ends_on=None, reserve=reserve)
    s = finance_summary(local_authority=la, financial_year=YEAR, as_at=TODAY)
    assert s.reserves[0].committed_to_posts == D("12800.00")


def test_grant_allocated_spent_and_unallocated(la):
    grant_with_allocations(la)
    s = finance_summary(local_authority=la, financial_year=YEAR, as_at=TODAY)
    [g] = s.grants
    assert (g.allocated, g.spent, g.unallocated) == (D("750000"), D("150000"), D("250000"))
    # A grant that ended before the year is not in it.
    assert finance_summary(local_authority=la, financial_year=2030, as_at=TODAY).grants == []


def test_reserve_balance_at_each_month_end(la):
    reserve = reserve_with_drawdowns(la)
    detail = reserve_detail(reserve=reserve, as_at=date(2026, 8, 10))
    assert detail.month_ends[0] == (date(2025, 4, 30), D("2000000"))
    assert dict(detail.month_ends)[date(2026, 3, 31)] == D("1900000")
    assert detail.month_ends[-3:] == [(date(2026, 6, 30), D("2100000")), (date(2026, 7, 31), D("1850000")),
                                      (date(2026, 8, 10), D("1850000"))]
    assert len(detail.month_ends) == 17  # April 2025 to August 2026
