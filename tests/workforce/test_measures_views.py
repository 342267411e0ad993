"""The workforce measures page, its CSV and the census download.

The council is test_measures.py's (its figures at 30 September 2025 worked out there), given Nottingham's DfE
number (892) so DfE's published figures sit beside it (indicators.md §5-6: turnover 12.5% in 2025, England
11.8%, neighbours' median 10.5%). Today is 23 November 2026.
"""

# ruff: noqa: RUF001  (multiplication signs and en dashes are the right typography beside a figure)

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hearth.accounts.roles import Role
from hearth.audit.models import ChangeRecord
from hearth.indicators import compute
from hearth.workforce.csww import AUDIT_LABEL, xsd_errors
from tests.conftest import client_for
from tests.factories import make_la, make_user
from tests.workforce.factories import make_appointment, make_post
from tests.workforce.test_measures import add_cases, add_sickness, build_council

TODAY = date(2026, 11, 23)
URL = "/workforce/measures/"


@pytest.fixture
def council(la):
    return build_council(la)


@pytest.fixture
def with_cases(la, council):
    return add_cases(la, council)


@pytest.fixture
def with_sickness(council):
    return add_sickness(council)


@pytest.fixture
def la(db):
    return make_la(number="892")


@pytest.fixture(autouse=True)
def today(monkeypatch):
    monkeypatch.setattr(compute, "today", lambda: TODAY)
    compute.forget()
    yield TODAY
    compute.forget()


def test_the_url_names() -> None:
    assert reverse("workforce:measures") == URL
    assert reverse("workforce:measures_csv") == "/workforce/measures.csv"
    assert reverse("workforce:csww_download") == "/workforce/measures/census/"


def test_the_page_shows_each_measure_each_year_beside_published_figures(la, with_cases, with_sickness) -> None:
    analyst = make_user(la, Role.PERFORMANCE_ANALYST)
    response = client_for(analyst).get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    # 30 September 2022 to 2026, and the twelve months to today.
    for year in range(2022, 2027):
        assert f"30 Sep {year}" in html
    assert "Hearth, 30 September 2026" in html and "Hearth, 12 months to today" in html
    # The formula and numbers behind the 2025 figures (test_measures.py).
    assert "40.0% = 3.0 FTE leavers ÷ 7.5 FTE in post (on headcount 33.3% = 3 ÷ 9)" in html
    assert "25.0% = 2.5 FTE vacant ÷ (2.5 vacant + 7.5 in post) FTE" in html
    assert "13.2 = 33 cases ÷ 2.5 FTE of case holders" in html
    assert "1.4% = 27.0 working days lost to sickness ÷ (7.5 FTE in post × 253 working days)" in html
    assert "60.0% = 1.2 FTE agency covering vacancies ÷ 2.0 FTE agency" in html
    # Nottingham's published 2025 turnover, England's and the neighbours' median, in the turnover table.
    section = html[html.index('id="years-turnover_rate"'):]
    section = section[:section.index("</table>")]
    row_2025 = section[section.index("30 Sep 2025"):section.index("30 Sep 2024")]
    assert "40.0%" in row_2025 and "12.5%" in row_2025 and "11.8%" in row_2025 and "10.5%" in row_2025
    assert "Not published" in section[section.index("30 Sep 2026"):section.index("30 Sep 2025")]
    # A trend chart and its table for every measure.
    for code in ("sw_fte", "turnover_rate", "agency_rate", "vacancy_rate", "agency_cover", "vacancies_covered",
                 "caseload_average", "absence_rate"):
        assert f'id="trend-{code}' in html and f'id="trend-{code}-table"' in html
    # Figures only: nobody is named.
    for name in ("w1", "w4", "a1"):
        assert with_cases[name].last_name not in html
    assert 'id="census-form"' in html  # analysts may export the census


def test_who_may_see_the_page(la, council) -> None:
    assert client_for(make_user(la, Role.SOCIAL_WORKER)).get(URL).status_code == 403
    assert client_for(make_user(la, Role.BUSINESS_SUPPORT)).get(URL).status_code == 403
    manager = client_for(make_user(la, Role.TEAM_MANAGER, council["team"])).get(URL)
    assert manager.status_code == 200 and 'id="census-form"' not in manager.content.decode()
    assert client_for(make_user(la, Role.FINANCE_OFFICER)).get(URL).status_code == 200


def test_the_page_reads_the_same_number_of_queries_for_a_bigger_workforce(la, council) -> None:
    analyst = make_user(la, Role.PERFORMANCE_ANALYST)
    client = client_for(analyst)

    def count() -> int:
        compute.forget()
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(URL).status_code == 200
        return len(ctx.captured_queries)

    few = count()
    for n in range(6):
        someone = make_user(la, Role.SOCIAL_WORKER, council["team"], social_work_england_number=f"SW{700 + n}")
        make_appointment(someone, post=make_post(la, team=council["team"]), starts_on=date(2021, 1, 1))
    assert count() == few


def test_the_csv_holds_every_measure_and_year(la, council) -> None:
    response = client_for(make_user(la, Role.PERFORMANCE_ANALYST)).get(reverse("workforce:measures_csv"))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert len(rows) == 8 * 6  # 8 measures x (5 census days + the twelve months to today)
    turnover_2025 = next(r for r in rows if r["code"] == "turnover_rate" and r["at"] == "2025-09-30")
    assert (turnover_2025["hearth_value"], turnover_2025["published_council"], turnover_2025["england"],
            turnover_2025["statistical_neighbours_median"]) == ("40.0", "12.5", "11.8", "10.5")


def test_an_analyst_downloads_the_census_and_the_export_is_logged(la, with_cases, with_sickness) -> None:
    analyst = make_user(la, Role.PERFORMANCE_ANALYST)
    response = client_for(analyst).post(reverse("workforce:csww_download"), {"year": "2025"})
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        assert sorted(archive.namelist()) == ["csww_2025.csv", "csww_2025.xml"]
        assert xsd_errors(archive.read("csww_2025.xml")) == []
    logged = ChangeRecord.objects.get(model_label=AUDIT_LABEL)
    assert logged.by_user == analyst and logged.after["workers"] == 15


def test_only_those_who_may_export_the_census_can(la, council) -> None:
    manager = make_user(la, Role.TEAM_MANAGER, council["team"])
    assert client_for(manager).post(reverse("workforce:csww_download"), {"year": "2025"}).status_code == 403
    assert client_for(make_user(la, Role.PERFORMANCE_ANALYST)).get(
        reverse("workforce:csww_download")).status_code == 405
    assert not ChangeRecord.objects.filter(model_label=AUDIT_LABEL).exists()


def test_a_census_that_cannot_be_made_is_explained_beside_the_year(la, council) -> None:
    nameless = make_user(la, Role.SOCIAL_WORKER, council["team"], social_work_england_number="")
    make_appointment(nameless, starts_on=date(2020, 1, 1))
    response = client_for(make_user(la, Role.DIRECTOR)).post(reverse("workforce:csww_download"), {"year": "2025"})
    html = response.content.decode()
    assert response.status_code == 200 and "<title>Error: " in html
    assert 'class="govuk-error-summary"' in html and 'href="#id_year"' in html
    assert "no Social Work England number" in html and 'id="id_year-error"' in html
    assert '<option value="2025" selected>' in html  # the choice is kept
    assert not ChangeRecord.objects.filter(model_label=AUDIT_LABEL).exists()


def test_a_year_to_come_cannot_be_chosen(la, council) -> None:
    response = client_for(make_user(la, Role.SERVICE_MANAGER)).post(reverse("workforce:csww_download"),
                                                                     {"year": "2027"})
    html = response.content.decode()
    assert response.status_code == 200 and "Select a census year from the list" in html
