"""Every finance list page reads in the same number of queries for few rows and for many."""

from __future__ import annotations

from datetime import date
from functools import partial

from hearth.finance import services
from tests.conftest import client_for
from tests.finance.factories import (
    TODAY,
    YEAR,
    budget_year,
    finance_user,
    fund,
    grant_with_allocations,
    in_care,
    make_post,
    reserve_with_drawdowns,
)
from tests.queries import query_count


def _grow(la, year, reserve, grant, n: int, start: int) -> None:
    """n more of everything: service areas with their closes, movements, posts paid from the reserve and the
    grant, allocations, unit costs, children in care."""
    for i in range(start, start + n):
        area = services.service_area_create(local_authority=la, name=f"Area {i}", code=f"X{i}", order=10 + i,
                                            by="test")
        line = services.budget_line_set(service_area=area, financial_year=YEAR, budget="1000000", by="test")
        for month in (date(2026, 4, 1), date(2026, 5, 1)):
            services.month_close_record(budget_line=line, month=month, actual="80000", forecast_outturn="990000",
                                        by="test", today=TODAY)
        services.month_close_record(budget_line=year.placements, month=date(2026, 7 + i, 1), actual="1",
                                    forecast_outturn="31000000", by="test", today=TODAY)
        services.reserve_movement_record(reserve=reserve, moved_on=date(2026, 8, 1), amount="-1000",
                                         purpose=f"Drawdown {i}", service_area=area, by="test", today=TODAY)
        fund(make_post(la, f"R-{i}", "40000", team=None), starts_on=date(2026, 1, 1), ends_on=date(2027, 6, 30),
             reserve=reserve)
        fund(make_post(la, f"G-{i}", "40000"), starts_on=date(2026, 4, 1), ends_on=date(2027, 3, 31), grant=grant)
        services.grant_allocation_add(grant=grant, spend_area=f"Spend {i}", amount="100", service_area=area,
                                      by="test")
        other = reserve_with_drawdowns(la)
        fund(make_post(la, f"O-{i}", "30000"), starts_on=date(2026, 1, 1), ends_on=None, reserve=other)
        grant_with_allocations(la)
        in_care(la, ["U4", "K2", "K3", "U1"][i % 4], "PR4")
    band = ["kinship", "agency_fostering", "external_residential", "secure_and_other"][start % 4]
    services.unit_cost_set(local_authority=la, band=band, financial_year=YEAR, weekly_cost="100", by="test")
    services.projection_assumption_set(local_authority=la, band=band, annual_demand_change_percent="1",
                                       annual_cost_change_percent="1", by="test")


def _counts(client, year, reserve, grant) -> dict[str, int]:
    urls = ["/finance/", f"/finance/lines/{year.placements.pk}/", "/finance/reserves/",
            f"/finance/reserves/{reserve.pk}/", "/finance/grants/", f"/finance/grants/{grant.pk}/",
            "/finance/unit-costs/", "/finance/projection/", "/finance/budget.csv"]
    return {url: query_count(partial(client.get, url)) for url in urls}


def test_finance_pages_read_in_a_fixed_number_of_queries(la):
    year = budget_year(la)
    reserve = reserve_with_drawdowns(la)
    grant = grant_with_allocations(la)
    client = client_for(finance_user(la))
    _grow(la, year, reserve, grant, 1, 0)
    few = _counts(client, year, reserve, grant)
    _grow(la, year, reserve, grant, 4, 1)
    many = _counts(client, year, reserve, grant)
    assert many == few, (few, many)
