"""The indicator pages: the list for any period, one indicator's page, the records behind a figure, targets
and the CSVs, with who may see what."""

from __future__ import annotations

import csv
import io
import re
from datetime import date, timedelta

import pytest
from django.test import Client

from hearth.access.models import AccessEvent
from hearth.accounts.roles import Role
from hearth.indicators import compute, services
from hearth.indicators.drilldown import pseudonym
from hearth.indicators.models import IndicatorTarget
from hearth.indicators.registry import Member, Period, Tally, key
from hearth.people.models import Person
from tests.factories import make_la, make_team, make_user
from tests.indicators.factories_pages import assessment, assessments_within, children, made, only_registered
from tests.queries import query_count

START, END = date(2025, 4, 1), date(2026, 3, 31)
PERIOD = f"start={START}&end={END}"
TODAY = date(2026, 11, 23)


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    monkeypatch.setattr(compute, "today", lambda: TODAY)


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _population(period: Period) -> Tally:
    from hearth.protection.models import ChildProtectionPlan

    plans = ChildProtectionPlan.objects.filter(local_authority=period.local_authority, started_on__lte=period.end)
    return Tally([Member(key("protection.childprotectionplan", pk), child, on)
                  for pk, child, on in plans.values_list("pk", "child_id", "started_on")])


def _nothing(period: Period) -> Tally:
    return Tally([])


LATE = made("test_45", assessments_within(45), title="Assessments within 45 days", lait_code="Continue_Assess_Comp")
RATE = made("test_cpp", _population, title="Child protection plans per 10,000", unit="per_10k", polarity="neutral",
            measured="at_end", denominator="Children aged 0 to 17", lait_code="CPP_rate")
MISSING = made("test_missing", _nothing, title="Sickness absence", group="workforce",
               unavailable="Hearth keeps no absence records yet.")


@pytest.fixture
def world(db):
    la = make_la(number="892")
    la.population_0_17 = 68_000
    la.save()
    north, south = make_team(la, "Assessment North"), make_team(la, "Assessment South")
    users = {
        "social_worker": make_user(la, Role.SOCIAL_WORKER, north),
        "team_manager": make_user(la, Role.TEAM_MANAGER, north),
        "service_manager": make_user(la, Role.SERVICE_MANAGER, first_name="Hana", last_name="Osei"),
        "director": make_user(la, Role.DIRECTOR),
        "analyst": make_user(la, Role.PERFORMANCE_ANALYST),
    }
    open_children = children(la, 6)
    restricted = children(la, 1, Person.AccessLevel.RESTRICTED)[0]
    sealed = children(la, 1, Person.AccessLevel.SEALED)[0]
    made_assessments = []
    for i, child in enumerate(open_children):  # 4 on time, 2 late
        started = date(2025, 6, 2) + timedelta(days=7 * i)
        took = 30 if i < 4 else 60
        made_assessments.append(assessment(la, child, north if i % 2 else south, started,
                                           started + timedelta(days=took)))
    made_assessments.append(assessment(la, restricted, north, date(2025, 7, 1), date(2025, 9, 15)))  # late
    made_assessments.append(assessment(la, sealed, south, date(2025, 7, 1), date(2025, 9, 15)))  # late
    with only_registered(LATE, RATE, MISSING):
        yield {"la": la, "north": north, "south": south, "users": users, "children": open_children,
               "restricted": restricted, "sealed": sealed, "assessments": made_assessments}


# Who may see the pages -------------------------------------------------------------------------------------

@pytest.mark.parametrize("url", [
    "/performance/indicators/", f"/performance/indicators.csv?{PERIOD}", "/performance/indicators/test_45/",
    f"/performance/indicators/test_45/children/?{PERIOD}", f"/performance/indicators/test_45/children.csv?{PERIOD}",
    "/performance/indicators/test_45/trend.csv",
])
def test_only_performance_readers_see_the_pages(world, url):
    assert client_for(world["users"]["social_worker"]).get(url).status_code == 403
    for role in ("team_manager", "service_manager", "director", "analyst"):
        assert client_for(world["users"][role]).get(url).status_code == 200, role
    assert Client().get(url).status_code == 302  # sign in first


def test_an_unknown_indicator_is_not_found(world):
    client = client_for(world["users"]["director"])
    assert client.get("/performance/indicators/nothing_like_it/").status_code == 404
    assert client.get(f"/performance/indicators/nothing_like_it/children/?{PERIOD}").status_code == 404


# The list --------------------------------------------------------------------------------------------------

def test_the_list_shows_every_indicator_for_the_period_with_its_parts(world):
    services.target_set(local_authority=world["la"], indicator="test_45", value=85, rationale="England",
                        by=world["users"]["director"])
    page = client_for(world["users"]["director"]).get(f"/performance/indicators/?{PERIOD}")
    html = page.content.decode()
    assert "1 April 2025 to 31 March 2026" in html
    row = re.search(r'id="indicator-test_45".*?</tr>', html, re.S).group(0)
    assert ">4<" in row and ">8<" in row and "50.0%" in row  # 4 of 8 within 45 days
    assert "85.0%" in row and "Off target" in row and "Higher is better" in row
    # Published comparators for the latest year (the migration loads DfE's figures).
    assert "85.7" in row and "(2025)" in row  # England, assessments within 45 WD, 2025
    assert "Sickness absence" in html and "Hearth keeps no absence records yet." in html
    assert "Help, protection and children in need" in html and "Social work workforce" in html


def test_the_list_defaults_to_the_twelve_months_to_the_last_month_end_and_offers_quick_periods(world):
    html = client_for(world["users"]["director"]).get("/performance/indicators/").content.decode()
    assert "1 November 2025 to 31 October 2026" in html
    assert "start=2025-04-01&amp;end=2026-03-31" in html and ">2025/26<" in html
    assert "start=2024-04-01&amp;end=2025-03-31" in html and ">2024/25<" in html
    assert "Last 12 months" in html


def test_bad_dates_are_shown_next_to_the_field_with_the_typing_kept(world):
    page = client_for(world["users"]["director"]).get(
        "/performance/indicators/?start_0=31&start_1=13&start_2=2025&end_0=1&end_1=4&end_2=2024")
    html = page.content.decode()
    assert page.status_code == 200
    assert "<title>Error: " in html and "govuk-error-summary" in html
    assert "Date the period starts must be a real date" in html
    assert 'href="#id_start_0"' in html
    assert 'name="start_0" type="text" inputmode="numeric" value="31"' in html
    assert 'name="start_1" type="text" inputmode="numeric" value="13"' in html
    assert 'name="end_2" type="text" inputmode="numeric" value="2024"' in html


def test_an_end_before_the_start_is_refused(world):
    html = client_for(world["users"]["director"]).get(
        "/performance/indicators/?start=2026-03-31&end=2025-04-01").content.decode()
    assert "The date the period ends must be the same as or after the date it starts" in html


def test_the_csv_has_the_same_figures(world):
    services.target_set(local_authority=world["la"], indicator="test_45", value=85, rationale="", by="test")
    response = client_for(world["users"]["analyst"]).get(f"/performance/indicators.csv?{PERIOD}")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["code", "title", "period_start", "period_end", "numerator", "denominator", "value", "unit",
                       "target", "england", "sn_median", "benchmark_year"]
    by_code = {r[0]: r for r in rows[1:]}
    assert by_code["test_45"][2:9] == ["2025-04-01", "2026-03-31", "4", "8", "50.0", "percent", "85.0"]
    assert by_code["test_45"][9] == "85.7" and by_code["test_45"][11] == "2025"
    assert by_code["test_cpp"][5] == "68000"
    assert by_code["test_missing"][4:7] == ["", "", ""]


def test_the_list_reads_in_the_same_number_of_queries_for_few_and_many_records(world):
    client = client_for(world["users"]["director"])
    url = f"/performance/indicators/?{PERIOD}"
    client.get(url)
    few = query_count(lambda: client.get(url))
    for i, child in enumerate(children(world["la"], 12)):
        assessment(world["la"], child, world["north"], date(2025, 8, 1), date(2025, 8, 1) + timedelta(days=10 + 5 * i))
    client.get(url)  # the data changed: computed again, then cached
    assert query_count(lambda: client.get(url)) == few


# One indicator ---------------------------------------------------------------------------------------------

def test_the_indicator_page_shows_definition_figure_trend_and_teams(world):
    html = client_for(world["users"]["service_manager"]).get(
        f"/performance/indicators/test_45/?{PERIOD}").content.decode()
    assert "Assessments authorised in the period within 45 days" in html
    assert "Continue_Assess_Comp" in html and "Higher is better" in html
    assert 'id="figure-value">50.0%' in html
    assert "part=numerator" in html and "part=not_numerator" in html
    assert 'id="rest-link">4<' in html  # the late ones
    assert html.count('role="img"') >= 2  # trend and neighbours
    assert "The last 24 months" in html and "Mar&nbsp;2026" in html
    teams = re.search(r'id="team-table".*?</table>', html, re.S).group(0)
    assert "Assessment North" in teams and "Assessment South" in teams and f"team={world['north'].pk}" in teams


def test_the_trend_csv_has_24_month_ends(world):
    response = client_for(world["users"]["director"]).get("/performance/indicators/test_45/trend.csv?end=2026-03-31")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["code", "month_end", "numerator", "denominator", "value", "unit", "source"]
    assert len(rows) == 25 and rows[-1][1] == "2026-03-31" and rows[1][1] == "2024-04-30"
    assert rows[-1][2:5] == ["4", "8", "50.0"] and rows[-1][6] == "live"


def test_benchmarks_compare_the_published_figure_with_the_ten_neighbours(world):
    client = client_for(world["users"]["director"])
    html = client.get(f"/performance/indicators/test_cpp/?{PERIOD}").content.decode()
    table = re.search(r'id="benchmark-table".*?</table>', html, re.S).group(0)
    for name in ("Birmingham", "Manchester", "Newcastle upon Tyne", "Middlesbrough", "Bradford", "Sandwell",
                 "Southampton", "Oldham", "Sheffield", "Salford"):
        assert name in table
    assert "53.4" in table  # Nottingham's published 2025 rate
    assert "Neighbour median" in table and "England" in table and "40.6" in table
    assert "median of the ten neighbours" in html and "LAIT shows the mean" in html
    assert "2025 model" in html
    chart = re.search(r'id="benchmark-chart".*?</svg>', html, re.S).group(0)
    assert "Birmingham" in chart and "now (Hearth, live)" in chart
    older = client.get(f"/performance/indicators/test_cpp/?{PERIOD}&model=2021").content.decode()
    table = re.search(r'id="benchmark-table".*?</table>', older, re.S).group(0)
    assert "1. Manchester" in table and "Wolverhampton" in table and "Newcastle" not in table
    assert "2021 model" in older


def test_an_indicator_dfe_does_not_publish_says_so(world):
    with only_registered(made("test_local", assessments_within(10), title="Local measure")):
        html = client_for(world["users"]["director"]).get(
            f"/performance/indicators/test_local/?{PERIOD}").content.decode()
    assert "DfE publishes no figure for this measure" in html


def test_an_unavailable_indicator_page_gives_the_reason(world):
    html = client_for(world["users"]["director"]).get("/performance/indicators/test_missing/").content.decode()
    assert "Hearth keeps no absence records yet." in html
    assert client_for(world["users"]["director"]).get(
        "/performance/indicators/test_missing/children/").status_code == 404


def test_as_reported_and_now_lists_the_month_and_the_records_that_changed(world):
    la, director = world["la"], world["users"]["director"]
    services.snapshot_freeze(local_authority=la, month_end=date(2026, 3, 31), by="test job", on=TODAY)
    # An assessment authorised late is recorded after the month was reported.
    late_child = world["children"][0]
    added = assessment(la, late_child, world["north"], date(2026, 1, 5), date(2026, 1, 20),
                       by=world["users"]["team_manager"])
    client = client_for(director)
    html = client.get(f"/performance/indicators/test_45/?{PERIOD}").content.decode()
    table = re.search(r'id="as-reported-table".*?</table>', html, re.S).group(0)
    assert "31 March 2026" in table and "50.0%" in table and "55.6%" in table
    snapshot = client.get("/performance/indicators/test_45/as-reported/2026-03-31/").content.decode()
    changes = re.search(r'id="changes-table".*?</table>', snapshot, re.S).group(0)
    assert late_child.full_name in changes and "Added to the numerator" in changes
    assert "Added to the denominator" in changes and "after the month was reported" in changes
    assert f"/children/{late_child.pk}/" in changes
    assert added.pk


def test_the_snapshot_page_does_not_name_children_the_reader_may_not_open(world):
    la = world["la"]
    services.snapshot_freeze(local_authority=la, month_end=date(2026, 3, 31), by="test job", on=TODAY)
    assessment(la, world["restricted"], world["north"], date(2026, 1, 5), date(2026, 1, 20))
    assessment(la, world["sealed"], world["north"], date(2026, 1, 5), date(2026, 1, 20))
    html = client_for(world["users"]["team_manager"]).get(
        "/performance/indicators/test_45/as-reported/2026-03-31/").content.decode()
    assert world["restricted"].last_name not in html and world["sealed"].last_name not in html
    assert "A restricted record" in html and "Not shown: the record is restricted" in html
    assert 'id="changes-unseen">2 changes to records you may not open are not listed' in html
    assert client_for(world["users"]["director"]).get(
        "/performance/indicators/test_45/as-reported/2026-02-28/").status_code == 404


# The records behind a figure -------------------------------------------------------------------------------

def test_the_late_assessments_are_listed_with_totals_and_the_unseen_line(world):
    html = client_for(world["users"]["team_manager"]).get(
        f"/performance/indicators/test_45/children/?{PERIOD}&part=not_numerator").content.decode()
    assert 'id="drill-total"><strong>4 of the 8 in the denominator are not in the numerator' in html
    table = re.search(r'id="drill-table".*?</table>', html, re.S).group(0)
    for child in world["children"][4:]:
        assert child.full_name in table and f"/children/{child.pk}/" in table
    for child in world["children"][:4]:
        assert child.full_name not in table
    assert "A restricted record" in table and world["restricted"].last_name not in html
    assert world["sealed"].last_name not in html
    assert 'id="drill-unseen">1 record you may not open is not listed.' in html
    assert "60 days" in table


def test_the_numerator_list_and_a_team(world):
    client = client_for(world["users"]["director"])
    html = client.get(f"/performance/indicators/test_45/children/?{PERIOD}&part=numerator").content.decode()
    assert "4 counted in the numerator, of 8 in the denominator" in html
    team = client.get(f"/performance/indicators/test_45/children/?{PERIOD}&team={world['north'].pk}").content.decode()
    assert "Assessment North" in team and "Assessment South</td>" not in team


def test_analysts_see_pseudonyms_not_names_or_links(world):
    html = client_for(world["users"]["analyst"]).get(
        f"/performance/indicators/test_45/children/?{PERIOD}&part=denominator").content.decode()
    for child in world["children"]:
        assert child.last_name not in html and child.hearth_id not in html
        assert pseudonym(world["la"].pk, child.pk) in html
    assert "/children/" not in re.search(r'id="drill-table".*?</table>', html, re.S).group(0)


def test_a_rate_has_no_denominator_list_and_a_bad_part_is_not_found(world):
    client = client_for(world["users"]["director"])
    assert client.get(f"/performance/indicators/test_cpp/children/?{PERIOD}&part=denominator").status_code == 404
    assert client.get(f"/performance/indicators/test_45/children/?{PERIOD}&part=everything").status_code == 404
    assert client.get(f"/performance/indicators/test_45/children/?{PERIOD}&team=abc").status_code == 404


def test_the_children_page_reads_in_the_same_number_of_queries_for_few_and_many(world):
    client = client_for(world["users"]["team_manager"])
    url = f"/performance/indicators/test_45/children/?{PERIOD}&part=denominator"
    client.get(url)
    few = query_count(lambda: client.get(url))
    for child in children(world["la"], 70) + children(world["la"], 3, Person.AccessLevel.RESTRICTED):
        assessment(world["la"], child, world["south"], date(2025, 8, 1), date(2025, 8, 20))
    client.get(url)
    many = client.get(url).content.decode()
    assert 'aria-label="Page 2"' in many
    assert query_count(lambda: client.get(url)) == few


def test_the_children_csv_is_logged_for_each_child_it_names(world):
    user = world["users"]["team_manager"]
    response = client_for(user).get(f"/performance/indicators/test_45/children.csv?{PERIOD}&part=denominator")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["child", "hearth_id", "date", "team", "note", "amount"]
    names = [r[0] for r in rows[1:]]
    assert "A restricted record" in names and world["restricted"].full_name not in names
    assert rows[-1][0] == "1 record you may not open is not listed"
    assert len(rows) - 2 + 1 == 8  # rows + unseen = the denominator
    logged = set(AccessEvent.objects.filter(user=user, action=AccessEvent.Action.EXPORT)
                 .values_list("person_id", flat=True))
    assert logged == {c.pk for c in world["children"]}


def test_the_analyst_csv_is_pseudonymised_and_logged(world):
    user = world["users"]["analyst"]
    response = client_for(user).get(f"/performance/indicators/test_45/children.csv?{PERIOD}&part=denominator")
    text = response.content.decode()
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["pseudonym", "date", "team", "note", "amount"]
    for child in world["children"]:
        assert child.last_name not in text and child.hearth_id not in text
    assert AccessEvent.objects.filter(user=user, action=AccessEvent.Action.EXPORT).count() == 6


# Targets ---------------------------------------------------------------------------------------------------

def test_a_head_of_service_sets_a_target(world):
    user = world["users"]["service_manager"]
    client = client_for(user)
    assert client.get("/performance/indicators/test_45/target/").status_code == 200
    response = client.post("/performance/indicators/test_45/target/",
                           {"version": "0", "value": "87.5", "rationale": "England's figure and a bit"})
    assert response.status_code == 302
    target = IndicatorTarget.objects.get(local_authority=world["la"], indicator="test_45")
    assert target.value == 87.5 and target.version == 1
    html = client.get(f"/performance/indicators/test_45/?{PERIOD}").content.decode()
    assert "87.5%" in html and "Off target" in html and "England&#x27;s figure and a bit" in html


def test_team_managers_and_analysts_may_not_set_targets(world):
    for role in ("team_manager", "analyst"):
        assert client_for(world["users"][role]).get("/performance/indicators/test_45/target/").status_code == 403


def test_a_bad_target_is_refused_next_to_the_field_with_the_typing_kept(world):
    client = client_for(world["users"]["director"])
    html = client.post("/performance/indicators/test_45/target/",
                       {"version": "0", "value": "120", "rationale": "Because"}).content.decode()
    assert "<title>Error: " in html and "A percentage target must be 100 or less" in html
    assert 'value="120"' in html and "Because" in html
    html = client.post("/performance/indicators/test_45/target/",
                       {"version": "0", "value": "lots", "rationale": ""}).content.decode()
    assert "Enter the target as a number, like 85 or 53.4" in html and 'value="lots"' in html
    assert "Say why this is the target" in html
    assert not IndicatorTarget.objects.exists()


def test_a_target_changed_by_someone_else_since_the_page_loaded_is_refused(world):
    services.target_set(local_authority=world["la"], indicator="test_45", value=80, rationale="First",
                        by=world["users"]["director"])
    client = client_for(world["users"]["service_manager"])
    html = client.post("/performance/indicators/test_45/target/",
                       {"version": "0", "value": "90", "rationale": "Mine"}).content.decode()
    assert "Someone else saved changes" in html
    assert 'value="90"' in html and "Mine" in html
    assert IndicatorTarget.objects.get(indicator="test_45").value == 80
    # Saving again, having seen it, applies.
    response = client.post("/performance/indicators/test_45/target/",
                           {"version": "1", "value": "90", "rationale": "Mine"})
    assert response.status_code == 302 and IndicatorTarget.objects.get(indicator="test_45").value == 90


def test_no_other_council_is_ever_shown(world):
    other = make_la(name="Another Council")
    stranger = make_user(other, Role.DIRECTOR)
    html = client_for(stranger).get(f"/performance/indicators/test_45/children/?{PERIOD}&part=denominator"
                                    ).content.decode()
    assert "0 counted in the denominator" in html
    for child in world["children"]:
        assert child.last_name not in html


# What a count is compared with, what a restricted row tells, and where numbers lead -------------------------

FTE = made("test_fte", _population, title="Social workers in post (FTE)", unit="number", group="workforce",
           polarity="neutral", measured="at_end", denominator="Not a rate: a count of FTE",
           lait_code="Work_Force_NoSW")


def test_a_count_is_not_compared_with_englands_total(world):
    """England's social workers in post are every council's added up: not a figure to set beside one council's.
    The neighbours (councils like this one) still are."""
    from hearth.indicators import benchmarks

    with only_registered(LATE, RATE, MISSING, FTE):
        published = benchmarks.benchmark(local_authority=world["la"], code="test_fte")
        assert published is not None and published.england is not None
        england = f"{published.england.value:,.1f}"
        client = client_for(world["users"]["director"])
        html = client.get(f"/performance/indicators/test_fte/?{PERIOD}").content.decode()
        table = re.search(r'id="benchmark-table".*?</table>', html, re.S).group(0)
        chart = re.search(r'id="benchmark-chart".*?</svg>', html, re.S).group(0)
        assert "Neighbour median" in table and "England" not in table and published.england.published not in table
        assert "England" not in chart and "Birmingham" in chart
        assert "England and the region are not shown" in html
        row = re.search(r'id="indicator-test_fte".*?</tr>', client.get(f"/performance/indicators/?{PERIOD}")
                        .content.decode(), re.S).group(0)
        assert england not in row and "Not comparable" in row
        rows = list(csv.DictReader(io.StringIO(client.get(f"/performance/indicators.csv?{PERIOD}").content.decode())))
        assert next(r for r in rows if r["code"] == "test_fte")["england"] == ""
        # A rate keeps England beside it.
        assert next(r for r in rows if r["code"] == "test_cpp")["england"]


def test_a_restricted_row_shows_no_date_or_team_and_comes_last(world):
    client = client_for(world["users"]["team_manager"])
    html = client.get(f"/performance/indicators/test_45/children/?{PERIOD}&part=denominator").content.decode()
    table = re.search(r'id="drill-table".*?</table>', html, re.S).group(0)
    rows = re.findall(r"<tr class=\"govuk-table__row\">(.*?)</tr>", table, re.S)
    cells = [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", rows[-1], re.S)]
    assert cells[0] == "A restricted record" and cells[1:] == ["", "", ""]  # no date, team or note
    assert all("A restricted record" not in r for r in rows[:-1])
    response = client.get(f"/performance/indicators/test_45/children.csv?{PERIOD}&part=denominator")
    restricted = next(r for r in csv.reader(io.StringIO(response.content.decode())) if r[0] == "A restricted record")
    assert restricted[1:5] == ["", "", "", ""]  # no Hearth ID, date, team or note


def test_every_number_in_the_list_leads_somewhere(world):
    html = client_for(world["users"]["director"]).get(f"/performance/indicators/?{PERIOD}").content.decode()
    row = re.search(r'id="indicator-test_45".*?</tr>', html, re.S).group(0)
    hrefs = re.findall(r'href="([^"]+)"', row)
    assert any("/test_45/children/" in h and "part=denominator" in h for h in hrefs)  # the denominator
    assert sum(1 for h in hrefs if re.search(r"/test_45/\?", h)) == 2  # the title and the figure


def test_the_snapshot_page_and_the_csv_read_the_same_number_of_queries_for_few_and_many(world):
    la = world["la"]
    services.snapshot_freeze(local_authority=la, month_end=date(2026, 3, 31), by="test job", on=TODAY)
    client = client_for(world["users"]["team_manager"])
    snapshot = "/performance/indicators/test_45/as-reported/2026-03-31/"
    csv_url = f"/performance/indicators/test_45/children.csv?{PERIOD}&part=denominator"

    def late(n: int, level: str = Person.AccessLevel.OPEN) -> None:
        for child in children(la, n, level):
            assessment(la, child, world["north"], date(2026, 1, 5), date(2026, 1, 20))

    late(2)
    late(1, Person.AccessLevel.RESTRICTED)
    client.get(snapshot), client.get(csv_url)
    few = (query_count(lambda: client.get(snapshot)), query_count(lambda: client.get(csv_url)))
    late(20)
    late(3, Person.AccessLevel.RESTRICTED)
    late(2, Person.AccessLevel.SEALED)
    client.get(snapshot), client.get(csv_url)
    assert (query_count(lambda: client.get(snapshot)), query_count(lambda: client.get(csv_url))) == few


def test_setting_a_target_needs_the_form_token_and_a_post(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world["users"]["director"])
    response = client.post("/performance/indicators/test_45/target/",
                           {"version": "0", "value": "80", "rationale": "Without the form"})
    assert response.status_code == 403 and not IndicatorTarget.objects.exists()
    assert client_for(world["users"]["director"]).put("/performance/indicators/test_45/target/").status_code == 405


def test_every_csv_is_an_attachment_never_kept_and_runs_no_formula(world):
    la = world["la"]
    child = children(la, 1, first_name="=HYPERLINK(\"http://x\")", last_name="@SUM(1)")[0]
    team = make_team(la, "+Team -1")
    assessment(la, child, team, date(2025, 8, 1), date(2025, 8, 20))
    client = client_for(world["users"]["director"])
    for url in (f"/performance/indicators.csv?{PERIOD}", "/performance/indicators/test_45/trend.csv",
                f"/performance/indicators/test_45/children.csv?{PERIOD}&part=denominator",
                "/performance/board/?format=csv"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Disposition"].startswith("attachment; filename="), url
        assert "no-store" in response["Cache-Control"], url
        for row in csv.reader(io.StringIO(response.content.decode())):
            for cell in row:
                assert cell[:1] not in ("=", "+", "@") and not re.match(r"-[^\d.]", cell), (url, cell)
    rows = list(csv.reader(io.StringIO(client.get(
        f"/performance/indicators/test_45/children.csv?{PERIOD}&part=denominator").content.decode())))
    row = next(r for r in rows if "HYPERLINK" in r[0])
    assert row[0] == "'=HYPERLINK(\"http://x\") @SUM(1)" and row[3] == "'+Team -1"


def test_the_indicator_page_reads_the_same_number_of_queries_for_few_and_many_records_and_teams(world):
    la = world["la"]
    client = client_for(world["users"]["service_manager"])
    url = f"/performance/indicators/test_45/?{PERIOD}"
    client.get(url)
    few = query_count(lambda: client.get(url))
    for i in range(6):
        team = make_team(la, f"Extra team {i}")
        for child in children(la, 4):
            assessment(la, child, team, date(2025, 8, 1), date(2025, 8, 1) + timedelta(days=20 + i * 10))
    client.get(url)
    html = client.get(url).content.decode()
    assert "Extra team 5" in re.search(r'id="team-table".*?</table>', html, re.S).group(0)
    assert query_count(lambda: client.get(url)) == few
