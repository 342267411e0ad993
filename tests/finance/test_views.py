"""The finance pages: who may see and change what, what the pages say, bad input kept beside its field, stale
edits refused, the CSV."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

import pytest

from hearth.accounts.roles import Role
from hearth.finance import services
from hearth.finance.models import (
    GrantAllocation,
    MonthlyFinance,
    PlacementUnitCost,
    ProjectionAssumption,
    ReserveMovement,
)
from tests.conftest import client_for
from tests.finance.factories import (
    YEAR,
    budget_year,
    finance_user,
    grant_with_allocations,
    in_care,
    reserve_with_drawdowns,
)

D = Decimal
READERS = [Role.DIRECTOR, Role.SERVICE_MANAGER, Role.IMPROVEMENT_MANAGER, Role.FINANCE_OFFICER,
           Role.PERFORMANCE_ANALYST]
OTHERS = [Role.SOCIAL_WORKER, Role.TEAM_MANAGER, Role.IRO, Role.BUSINESS_SUPPORT, Role.SYSTEM_ADMIN]


@pytest.fixture
def money(la):
    year = budget_year(la)
    reserve = reserve_with_drawdowns(la)
    grant = grant_with_allocations(la, area=year.safeguarding.service_area)
    return year, reserve, grant


def _pages(year, reserve, grant) -> list[str]:
    return ["/finance/", f"/finance/lines/{year.placements.pk}/", "/finance/reserves/",
            f"/finance/reserves/{reserve.pk}/", "/finance/grants/", f"/finance/grants/{grant.pk}/",
            "/finance/unit-costs/", "/finance/projection/", "/finance/budget.csv"]


@pytest.mark.parametrize("role", READERS)
def test_finance_readers_see_every_page(la, money, role):
    client = client_for(finance_user(la, role))
    for url in _pages(*money):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("role", OTHERS)
def test_others_see_no_finance_page(la, money, role):
    client = client_for(finance_user(la, role))
    for url in _pages(*money):
        assert client.get(url).status_code == 403, url
    assert "/finance/" not in client.get("/").content.decode()


def test_another_councils_records_are_not_found(la, other_la, money):
    client = client_for(finance_user(other_la))
    year, reserve, grant = money
    for url in [f"/finance/lines/{year.placements.pk}/", f"/finance/reserves/{reserve.pk}/",
                f"/finance/grants/{grant.pk}/"]:
        assert client.get(url).status_code == 404


@pytest.mark.parametrize("role", [Role.SERVICE_MANAGER, Role.IMPROVEMENT_MANAGER, Role.PERFORMANCE_ANALYST])
def test_readers_who_may_not_manage_cannot_write(la, money, role):
    year, reserve, grant = money
    client = client_for(finance_user(la, role))
    for url in [f"/finance/lines/{year.placements.pk}/", f"/finance/reserves/{reserve.pk}/",
                f"/finance/grants/{grant.pk}/"]:
        assert client.post(url, {}).status_code == 403
    for url in ["/finance/service-areas/new/", "/finance/reserves/new/", "/finance/grants/new/",
                f"/finance/lines/{year.placements.pk}/budget/", f"/finance/unit-costs/{YEAR}/kinship/"]:
        assert client.get(url).status_code == 403
    page = client.get(f"/finance/lines/{year.placements.pk}/").content.decode()
    assert "Close a month" not in page
    projection = client.get("/finance/projection/")
    # Heads of service change the projection's assumptions; analysts and the improvement manager read them.
    assert ("Save the assumptions" in projection.content.decode()) == (role == Role.SERVICE_MANAGER)


def test_budget_monitoring_page_says_the_figures_in_words(la, money):
    page = client_for(finance_user(la)).get("/finance/").content.decode()
    assert "Budget monitoring 2026/27" in page
    assert "Forecast outturn £47,200,000 against a budget of £46,000,000: overspend of £1,200,000 (2.6%)." in page
    assert "3 months closed, the latest June 2026. £11,270,000 spent to date." in page
    assert "Forecast movement: up £300,000 since May 2026." in page
    assert "Overspend of £1,250,000 (4.2%)" in page
    assert "Underspend of £150,000 (1.3%)" in page  # 1.25% rounds half up
    assert "Up £250,000 since May 2026" in page and "Up £100,000 since April 2026" in page
    assert '<svg xmlns' in page and 'role="img"' in page and "June 2026" in page
    assert "Children&#x27;s improvement reserve" in page and "£1,850,000" in page
    assert "Families First grant" in page and "£250,000" in page


def test_budget_csv_known_answers(la, money):
    response = client_for(finance_user(la, Role.PERFORMANCE_ANALYST)).get("/finance/budget.csv?year=2026")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:4] == ["Financial year", "Service area", "Cost centre", "Budget"]
    placements = rows[1]
    assert placements[1:8] == ["Children in care placements", "CSC200", "30000000.00", "7700000.00", "31250000.00",
                               "1250000.00", "4.17"]
    total = rows[-1]
    assert total[1] == "Total" and total[6] == "1200000.00" and total[9] == "300000.00"


def test_bad_year_is_shown_as_typed_with_its_error(la, money):
    page = client_for(finance_user(la)).get("/finance/?year=twenty").content.decode()
    assert "Enter the financial year as the year it starts, like 2026" in page
    assert 'value="twenty"' in page and "<title>Error: " in page
    assert "Budget monitoring 2026/27" in page  # the current year is still shown
    assert client_for(finance_user(la)).get("/finance/budget.csv?year=twenty").status_code == 404


def test_closing_a_month_and_changing_it(la, money):
    year, _, _ = money
    line = year.safeguarding
    client = client_for(finance_user(la))
    url = f"/finance/lines/{line.pk}/"
    page = client.get(url).content.decode()
    assert '<option value="2026-07-01" selected>July 2026</option>' in page  # the next month to close
    # Bad input: kept, and the error beside the field and in the summary.
    response = client.post(url, {"month": "2026-07-01", "actual": "lots", "forecast_outturn": "", "commentary": "Why",
                                 "version": "0"})
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count("Enter what was spent in the month in pounds, like 1,250,000") == 2
    assert page.count("Enter the forecast outturn for the year") == 2
    assert 'value="lots"' in page and "Why</textarea>" in page
    # A month already closed, picked again, is refused beside the month.
    page = client.post(url, {"month": "2026-06-01", "actual": "1", "forecast_outturn": "2", "version": "0"}
                       ).content.decode()
    assert "June 2026 is already closed for this line" in page
    response = client.post(url, {"month": "2026-07-01", "actual": "1,000,000", "forecast_outturn": "11,900,000",
                                 "version": "0"})
    assert response.status_code == 302
    july = MonthlyFinance.objects.get(budget_line=line, month=date(2026, 7, 1))
    assert july.forecast_outturn == D("11900000")
    # Changing July: the form carries July's version; a stale one is refused with the typing kept.
    edit = f"{url}?month=2026-07-01"
    assert 'name="version" value="1"' in client.get(edit).content.decode()
    services.month_close_record(budget_line=line, month=date(2026, 7, 1), actual="1", forecast_outturn="2",
                                expected_version=1, by="someone else")
    page = client.post(edit, {"actual": "1,100,000", "forecast_outturn": "12,000,000", "version": "1"}).content.decode()
    assert "Someone else saved changes to this record after you opened it" in page
    assert 'value="1,100,000"' in page and 'name="version" value="2"' in page
    assert client.post(edit, {"actual": "1,100,000", "forecast_outturn": "12,000,000", "version": "2"}
                       ).status_code == 302
    july.refresh_from_db()
    assert july.forecast_outturn == D("12000000") and july.version == 3


def test_drawdown_refused_beside_the_amount_with_the_balance(la, money):
    _, reserve, _ = money
    client = client_for(finance_user(la, Role.DIRECTOR))
    url = f"/finance/reserves/{reserve.pk}/"
    data = {"direction": "drawdown", "amount": "2,000,000", "moved_on_0": "23", "moved_on_1": "11",
            "moved_on_2": "2026", "purpose": "Advocates"}
    page = client.post(url, data).content.decode()
    assert page.count("The balance on 23 November 2026 is £1,850,000.00") == 2
    assert 'value="2,000,000"' in page and 'value="Advocates"' in page
    data["amount"] = "50,000"
    assert client.post(url, data).status_code == 302
    assert ReserveMovement.objects.filter(reserve=reserve, amount=D("-50000")).exists()
    page = client.get(url).content.decode()
    assert "£1,800,000.00" in page


def test_grant_allocation_refused_with_the_unallocated_amount_and_spend_updated(la, money):
    _, _, grant = money
    client = client_for(finance_user(la))
    url = f"/finance/grants/{grant.pk}/"
    page = client.post(url, {"spend_area": "Youth work", "amount": "300000"}).content.decode()
    assert page.count("Only £250,000.00 of the £1,000,000.00 grant is unallocated") == 2
    assert 'value="Youth work"' in page
    allocation = GrantAllocation.objects.filter(grant=grant).order_by("pk").first()
    assert allocation is not None
    spend = f"/finance/grants/{grant.pk}/allocations/{allocation.pk}/spend/"
    assert client.post(spend, {"spent_to_date": "200,000", "version": str(allocation.version)}).status_code == 302
    page = client.post(spend, {"spent_to_date": "250000", "version": str(allocation.version)}).content.decode()
    assert "Someone else saved changes" in page and 'value="250000"' in page


def test_new_grant_bad_dates_are_kept(la):
    client = client_for(finance_user(la))
    page = client.post("/finance/grants/new/", {
        "name": "Grant", "funder": "DfE", "amount": "100", "starts_on_0": "1", "starts_on_1": "4",
        "starts_on_2": "2026", "ends_on_0": "31", "ends_on_1": "3", "ends_on_2": "2026"}).content.decode()
    assert page.count("The date the grant ends must be after the date it starts") == 2
    assert 'value="31"' in page


def test_unit_cost_set_and_shown(la):
    client = client_for(finance_user(la))
    url = f"/finance/unit-costs/{YEAR}/agency_fostering/"
    page = client.post(url, {"weekly_cost": "1,050.555", "version": "0"}).content.decode()
    assert page.count("Enter the weekly cost to the nearest penny") == 2 and 'value="1,050.555"' in page
    assert client.post(url, {"weekly_cost": "1,050.50", "version": "0"}).status_code == 302
    assert PlacementUnitCost.objects.get(local_authority=la, band="agency_fostering").weekly_cost == D("1050.50")
    page = client.get("/finance/unit-costs/").content.decode()
    assert "£1,050.50" in page and "£54,815" in page  # 1,050.50 * 52.18 = 54,815.09
    assert client.get(f"/finance/unit-costs/{YEAR}/space/").status_code == 404


def test_projection_assumptions_saved_and_the_effect_shown(la):
    for _ in range(2):
        in_care(la, "U4", "PR1")
    services.unit_cost_set(local_authority=la, band="in_house_fostering", financial_year=YEAR, weekly_cost="500",
                           by="test")
    client = client_for(finance_user(la, Role.SERVICE_MANAGER))
    page = client.get("/finance/projection/").content.decode()
    assert "or no assumptions: in-house foster care (no assumptions)." in page  # left out of the totals, and said
    data = {f"{band}-version": "0" for band in ["in_house_fostering", "kinship", "agency_fostering",
                                                "in_house_residential", "external_residential",
                                                "supported_accommodation", "placed_with_parents", "secure_and_other"]}
    bad = {**data, "in_house_fostering-annual_demand_change_percent": "five",
           "in_house_fostering-annual_cost_change_percent": "2", "in_house_fostering-rationale": "Sufficiency plan"}
    page = client.post("/finance/projection/", bad).content.decode()
    assert page.count("Enter the yearly change in children as a number, like 3.5 or -2") == 2
    assert 'value="five"' in page and "Sufficiency plan</textarea>" in page
    half = {**data, "kinship-annual_demand_change_percent": "3"}
    page = client.post("/finance/projection/", half).content.decode()
    assert "Enter the yearly change in weekly cost of family and friends (kinship) foster care" in page
    good = {**bad, "in_house_fostering-annual_demand_change_percent": "0"}
    response = client.post("/finance/projection/", good, follow=True)
    page = response.content.decode()
    # 2 * 500 * 1.02^4 * 52.18 = 56,481.49...: the last year's total went from £0 to £56,481.
    assert "The projected cost for 2030/31 is now £56,481, up £56,481 from £0." in page
    row = ProjectionAssumption.objects.get(local_authority=la, band="in_house_fostering")
    assert row.rationale == "Sufficiency plan"
    stale = {**good, "in_house_fostering-annual_cost_change_percent": "3"}
    page = client.post("/finance/projection/", stale).content.decode()
    assert "In-house foster care: Someone else saved changes" in page
    assert 'name="in_house_fostering-version" value="1"' in page


def test_adding_a_service_area_with_its_budget(la):
    client = client_for(finance_user(la, Role.DIRECTOR))
    page = client.post("/finance/service-areas/new/?year=2027", {"name": "", "code": "CSC9", "budget": "£1.5m"}
                       ).content.decode()
    assert page.count("Enter the service area&#x27;s name") == 2
    assert page.count("Enter the budget in pounds, like 1,250,000") == 2 and 'value="£1.5m"' in page
    response = client.post("/finance/service-areas/new/?year=2027", {"name": "Fostering", "code": "csc9",
                                                                     "budget": "£1,500,000"})
    assert response.status_code == 302 and response["Location"] == "/finance/?year=2027"
    page = client.get("/finance/?year=2027").content.decode()
    assert "Fostering" in page and "£1,500,000" in page and "No month has been closed yet" in page
    line_url = page.split('href="/finance/lines/')[1].split('"')[0]
    page = client.get(f"/finance/lines/{line_url}").content.decode()
    assert "No month of 2027/28 has begun yet, so none can be closed." in page and "Close a month" not in page


@pytest.mark.parametrize(("url", "current"), [("/finance/", "Budget monitoring"), ("/finance/reserves/", "Reserves"),
                                              ("/finance/grants/", "Grants"),
                                              ("/finance/unit-costs/", "Placement unit costs"),
                                              ("/finance/projection/", "Demand projection")])
def test_the_finance_links_show_which_page_is_open_to_the_eye_as_well_as_to_a_screen_reader(la, url, current):
    import lxml.html

    tree = lxml.html.fromstring(client_for(finance_user(la)).get(url).content)
    links = tree.xpath('//nav[@aria-label="Finance"]//a')
    marked = [a.text_content() for a in links if a.get("aria-current") == "page"]
    bold = [a.text_content() for a in links if "govuk-!-font-weight-bold" in a.get("class", "")]
    assert marked == bold == [current]


def test_a_year_with_every_month_closed_offers_changes_not_an_empty_close_form(la, money):
    year, _, _ = money
    line = year.safeguarding
    client = client_for(finance_user(la))
    url = f"/finance/lines/{line.pk}/"
    closed = set(MonthlyFinance.objects.filter(budget_line=line).values_list("month", flat=True))
    for month in (date(2026, m, 1) for m in range(4, 12)):
        if month not in closed:
            services.month_close_record(budget_line=line, month=month, actual="1", forecast_outturn="2",
                                        by="test")
    page = client.get(url).content.decode()
    assert 'id="all-closed"' in page and "Close the month" not in page
    # Sent from a page loaded before the last month was closed: refused beside the month, the typing kept.
    page = client.post(url, {"month": "2026-11-01", "actual": "7,777", "forecast_outturn": "8", "version": "0"}
                       ).content.decode()
    assert "November 2026 is already closed for this line" in page and 'value="7,777"' in page
