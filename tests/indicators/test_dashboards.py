"""The dashboards: who is sent where, what each shows, the board's CSV, and a fixed number of queries."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from lxml import html

from hearth.accounts.models import Team, User
from hearth.accounts.roles import Role
from hearth.allocations.services import allocation_start
from hearth.indicators import benchmarks, compute, dashboards
from hearth.indicators.models import IndicatorSnapshot, IndicatorTarget
from hearth.people.models import Person
from hearth.tenancy.models import LocalAuthority
from tests.conftest import client_for
from tests.factories import make_la, make_person, make_team, make_user
from tests.indicators.factories_dashboards import Measure, in_period, only_these, period, rec
from tests.queries import query_count
from tests.worktrays.factories import BY, make_clock, make_episode

TODAY = timezone.localdate


@dataclass
class World:
    la: LocalAuthority
    team: Team
    other_team: Team
    manager: User
    worker: User
    head: User
    director: User
    analyst: User
    held: Person  # allocated to ``worker``, with an overdue visit
    waiting: Person  # open to the team, no worker
    sealed: Person  # the team's too, sealed: never named nor counted


def build_world(la: LocalAuthority, team: Team) -> World:
    other_team = make_team(la, "Children in care East", kind=Team.Kind.CHILDREN_IN_CARE)
    manager = make_user(la, Role.TEAM_MANAGER, team, username="manager", first_name="Morgan", last_name="Manager")
    worker = make_user(la, Role.SOCIAL_WORKER, team, username="worker", first_name="Wren", last_name="Worker")
    head = make_user(la, Role.SERVICE_MANAGER, username="head")
    director = make_user(la, Role.DIRECTOR, username="director")
    analyst = make_user(la, Role.PERFORMANCE_ANALYST, username="analyst")
    held = make_person(la, first_name="Heldchild", last_name="Allocated")
    allocation_start(child=held, team=team, worker=worker, started_on=TODAY() - timedelta(days=60), by=BY)
    make_clock(held, "cp_visit", TODAY() - timedelta(days=40))
    waiting = make_person(la, first_name="Waitingchild", last_name="Unallocated")
    make_episode(waiting, team=team, referral_date=TODAY() - timedelta(days=12))
    # Open to the team and waiting, with an overdue visit, but sealed: no one in the team may open it.
    sealed = make_person(la, Person.AccessLevel.SEALED, first_name="Sealedchild", last_name="Hidden")
    make_episode(sealed, team=team, referral_date=TODAY() - timedelta(days=30))
    make_clock(sealed, "cp_visit", TODAY() - timedelta(days=40))
    return World(la, team, other_team, manager, worker, head, director, analyst, held, waiting, sealed)


def measures(w: World) -> list[Measure]:
    """The board's measures, each with records a test can count by hand."""
    on = in_period()
    # Assessments in 45 working days: team 3 of 4 (75%), other team 1 of 2, so the council 4 of 6.
    numerator = [rec(w.held.pk, on, w.team) for _ in range(3)] + [rec(w.held.pk, on, w.other_team)]
    denominator = [*numerator, rec(w.held.pk, on, w.team), rec(w.held.pk, on, w.other_team)]
    return [
        Measure("assessments_45wd", title="Assessments completed within 45 working days", numerator=numerator,
                denominator=denominator),
        Measure("cpp_rate", unit="per_10k", polarity="neutral", measured="at_end",
                title="Children on a child protection plan per 10,000", denominator=None,
                numerator=[rec(w.held.pk, on - timedelta(days=400 + i)) for i in range(5)]),
        Measure("cla_rate", unit="per_10k", group="cla", polarity="low", measured="at_end",
                title="Children looked after per 10,000", denominator=None,
                numerator=[rec(w.held.pk, on) for _ in range(8)]),
        Measure("care_leavers_eet_19_21", group="care_leavers", title="Care leavers in education or work",
                unavailable="The council's care leaver activity is recorded elsewhere"),
        Measure("sw_fte", unit="number", group="workforce", polarity="neutral", measured="at_end",
                title="Social workers (FTE)", denominator=None, numerator=[rec(None, on, amount=12.5)]),
    ]


@pytest.fixture
def world(la: LocalAuthority, team: Team) -> Iterator[World]:
    la.population_0_17 = 20_000
    la.save()
    w = build_world(la, team)
    with only_these(*measures(w)):
        yield w


def page(user: User, url: str, **params: Any) -> html.HtmlElement:
    response = client_for(user).get(url, params)
    assert response.status_code == 200, response.status_code
    return html.fromstring(response.content.decode())


def text(doc: html.HtmlElement) -> str:
    return " ".join(doc.text_content().split())


# Who goes where ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("who", "to"), [("director", "indicators:director"), ("head", "indicators:service"),
                                         ("analyst", "indicators:service")])
def test_performance_sends_each_role_to_its_dashboard(world: World, who: str, to: str) -> None:
    response = client_for(getattr(world, who)).get(reverse("indicators:index"))
    assert response.status_code == 302
    assert response["Location"] == reverse(to)


def test_a_team_manager_is_sent_to_their_own_team(world: World) -> None:
    response = client_for(world.manager).get(reverse("indicators:index"))
    assert response["Location"] == reverse("indicators:team", args=[world.team.pk])


def test_others_may_not_see_the_dashboards(world: World) -> None:
    for url in (reverse("indicators:index"), reverse("indicators:director"), reverse("indicators:service"),
                reverse("indicators:team", args=[world.team.pk])):
        assert client_for(world.worker).get(url).status_code == 403
    # A team manager not yet in a team is offered Performance in the nav: they reach the indicators.
    adrift = make_user(world.la, Role.TEAM_MANAGER, None, username="adrift")
    assert client_for(adrift).get(reverse("indicators:index"))["Location"] == reverse("indicators:list")
    # A team manager reads their team, not the council's dashboards.
    for url in (reverse("indicators:director"), reverse("indicators:service")):
        assert client_for(world.manager).get(url).status_code == 403


def test_a_team_manager_sees_only_their_own_team_and_no_council_sees_anothers(world: World) -> None:
    assert client_for(world.manager).get(reverse("indicators:team", args=[world.other_team.pk])).status_code == 403
    assert client_for(world.head).get(reverse("indicators:team", args=[world.other_team.pk])).status_code == 200
    assert client_for(world.director).get(reverse("indicators:team", args=[world.team.pk])).status_code == 200
    # An analyst sees figures, not the children a team holds.
    assert client_for(world.analyst).get(reverse("indicators:team", args=[world.team.pk])).status_code == 403
    elsewhere = make_team(make_la(name="Another Council"), "Elsewhere")
    assert client_for(world.head).get(reverse("indicators:team", args=[elsewhere.pk])).status_code == 404


# The team ---------------------------------------------------------------------------------------------------

def test_the_team_dashboard_shows_timeliness_caseloads_overdue_and_waiting(world: World) -> None:
    doc = page(world.manager, reverse("indicators:team", args=[world.team.pk]))
    words = text(doc)
    start, _end = period()
    timeliness = doc.get_element_by_id("timeliness-heading").getparent()
    row = next(r for r in timeliness.iter("tr") if "Assessments completed within 45" in r.text_content())
    cells = [" ".join(c.text_content().split()) for c in row]
    assert cells[1].startswith("75.0%") and "3 of 4" in cells[1]  # the team
    assert cells[2].startswith("66.7%") and "4 of 6" in cells[2]  # the council beside it
    link = row.xpath("./td[1]//a")[0].get("href")
    assert link.startswith(reverse("indicators:children", args=["assessments_45wd"]))
    assert f"team={world.team.pk}" in link and f"start={start.isoformat()}" in link
    # The measure opens its page, and the council's figure the council's records, for the same period.
    title_link = row.xpath("./th//a")[0].get("href")
    assert title_link.startswith(reverse("indicators:detail", args=["assessments_45wd"]))
    assert f"start={start.isoformat()}" in title_link
    council_link = row.xpath("./td[2]//a")[0].get("href")
    assert council_link.startswith(reverse("indicators:children", args=["assessments_45wd"]))
    assert "team=" not in council_link

    caseloads = doc.get_element_by_id("caseloads-heading").getparent()
    wren = next(r for r in caseloads.iter("tr") if "Wren Worker" in r.text_content())
    cells = [" ".join(c.text_content().split()) for c in wren]
    assert cells[1] == "1" and cells[2] == "1.00" and cells[3] == "1.0"
    assert cells[4] == "1"  # an overdue visit
    assert cells[5:] == ["0", "0", "0"]

    overdue = doc.get_element_by_id("overdue-heading").getparent()
    assert "Overdue statutory deadlines (1)" in text(overdue)
    assert "Child protection visit" in text(overdue) and "Wren Worker" in text(overdue)
    child_link = overdue.xpath(".//a[normalize-space()='Heldchild Allocated']")[0].get("href")
    assert str(world.held.pk) in child_link

    waiting = doc.get_element_by_id("waiting-heading").getparent()
    assert "Waitingchild Unallocated" in text(waiting)
    assert "Sealedchild" not in words and "Hidden" not in words
    assert "Supervised in time" in words
    assert "None of the team's cases has been audited" in words
    assert reverse("worktrays:team_detail", args=[world.team.pk]) in doc.text_content() or \
        doc.xpath(f"//a[@href='{reverse('worktrays:team_detail', args=[world.team.pk])}']")


def test_overdue_work_is_counted_by_kind() -> None:
    assert dashboards.overdue_kind("cp_visit") == "visits"
    assert dashboards.overdue_kind("cla_visit_next_year1") == "visits"
    assert dashboards.overdue_kind("cla_review_next") == "reviews"
    assert dashboards.overdue_kind("rcpc_next") == "reviews"
    assert dashboards.overdue_kind("icpc") == "reviews"
    assert dashboards.overdue_kind("assessment") == "assessments"
    assert dashboards.overdue_kind("initial_health_assessment") == "assessments"
    assert dashboards.overdue_kind("epo_max") == "other"


def _more_work(w: World, n: int) -> None:
    for i in range(n):
        extra = make_user(w.la, Role.SOCIAL_WORKER, w.team, first_name="Extra", last_name=f"Worker{i}")
        for _ in range(2):
            child = make_person(w.la)
            allocation_start(child=child, team=w.team, worker=extra, started_on=TODAY() - timedelta(days=30), by=BY)
            make_clock(child, "cp_visit", TODAY() - timedelta(days=40))
            waiting = make_person(w.la)
            make_episode(waiting, team=w.team, referral_date=TODAY() - timedelta(days=5))


def test_the_team_dashboard_reads_a_fixed_number_of_queries(world: World) -> None:
    client = client_for(world.manager)
    url = reverse("indicators:team", args=[world.team.pk])
    client.get(url)  # the indicator figures are cached once
    few = query_count(lambda: client.get(url))
    _more_work(world, 4)
    client.get(url)
    many = query_count(lambda: client.get(url))
    assert many == few


# The head of service -----------------------------------------------------------------------------------------

def test_the_service_dashboard_puts_every_team_in_a_row(world: World) -> None:
    IndicatorTarget(local_authority=world.la, indicator="assessments_45wd", value=75).save(by=BY)
    doc = page(world.head, reverse("indicators:service"))
    teams = doc.get_element_by_id("teams-heading").getparent()
    row = next(r for r in teams.iter("tr") if "Safeguarding North" in r.text_content())
    cells = [" ".join(c.text_content().split()) for c in row]
    assert cells[1].startswith("75.0%")  # assessments within 45 working days, the team's
    # Children allocated (that the head may see), FTE (the worker and their manager), cases per FTE.
    assert cells[2:5] == ["1", "2.0", "0.5"]
    assert cells[5].startswith("1") and cells[6].startswith("1")  # overdue (not the sealed child's), waiting
    assert row.xpath(".//a")[0].get("href") == reverse("indicators:team", args=[world.team.pk])
    council = next(r for r in teams.iter("tr") if "The council" in r.text_content())
    assert "66.7%" in council.text_content()

    key = doc.get_element_by_id("key-heading").getparent()
    assessment = next(r for r in key.iter("tr") if "Assessments completed within 45" in r.text_content())
    words = " ".join(assessment.text_content().split())
    assert "66.7%" in words and "Off target" in words  # 66.7 is more than 5% of 75 short
    assert "(higher is better)" in words
    assert assessment.xpath(".//svg[@role='img']")  # the sparkline
    hrefs = [a.get("href") for a in assessment.xpath(".//a")]
    assert any(h.startswith(reverse("indicators:detail", args=["assessments_45wd"])) for h in hrefs)
    assert any(h.startswith(reverse("indicators:children", args=["assessments_45wd"])) for h in hrefs)
    unavailable = next(r for r in key.iter("tr") if "Care leavers in education" in r.text_content())
    assert "recorded elsewhere" in unavailable.text_content()


def test_an_analyst_sees_the_figures_without_the_caseloads(world: World) -> None:
    doc = page(world.analyst, reverse("indicators:service"))
    words = text(doc)
    assert "75.0%" in words
    assert "Children allocated" not in words
    assert "shown to managers who work with children's records" in words


def test_neighbour_position_is_shown_in_words(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    council = benchmarks.Comparator(name="Test council", code="100", value=9.0, published="9")
    found = benchmarks.Benchmark(
        code="cla_rate", measure="CLA_RATE", year=2025, model_year=2025, council=council,
        england=benchmarks.Comparator(name="England", code="E", value=70.0, published="70"), region=None,
        neighbours=[benchmarks.Comparator(name=f"N{i}", code=str(i), value=float(i), published=str(i))
                    for i in range(1, 11)],
        sn_mean=5.5, sn_median=5.5, sn_q1=3.0, sn_q3=8.0, source="test")
    monkeypatch.setattr(benchmarks, "benchmark",
                        lambda **kw: found if kw["code"] == "cla_rate" else None)
    monkeypatch.setattr(benchmarks, "position",
                        lambda **kw: benchmarks.Position(rank=1, of=11, quartile=1, words="1st of 11, the best"))
    doc = page(world.head, reverse("indicators:service"))
    row = next(r for r in doc.get_element_by_id("key-heading").getparent().iter("tr")
           if "Children looked after per 10,000" in r.text_content())
    words = " ".join(row.text_content().split())
    assert "Median 5.5 per 10,000 (2025)" in words
    assert "Where we would sit: 1st of 11, the best" in words
    assert "70.0 per 10,000" in words


def _more_teams(w: World, n: int) -> None:
    for i in range(n):
        extra = make_team(w.la, f"Extra team {i}")
        worker = make_user(w.la, Role.SOCIAL_WORKER, extra)
        child = make_person(w.la)
        allocation_start(child=child, team=extra, worker=worker, started_on=TODAY() - timedelta(days=30), by=BY)
        make_clock(child, "cp_visit", TODAY() - timedelta(days=40))
        make_episode(make_person(w.la), team=extra, referral_date=TODAY() - timedelta(days=5))


def test_the_service_dashboard_reads_a_fixed_number_of_queries(world: World) -> None:
    client = client_for(world.head)
    url = reverse("indicators:service")
    client.get(url)
    few = query_count(lambda: client.get(url))
    _more_teams(world, 4)
    client.get(url)
    many = query_count(lambda: client.get(url))
    assert many == few


# The director's board ----------------------------------------------------------------------------------------

def test_the_board_shows_each_headline_with_target_trend_and_table(world: World) -> None:
    IndicatorTarget(local_authority=world.la, indicator="cla_rate", value=3.0).save(by=BY)
    doc = page(world.director, reverse("indicators:director"))
    card = doc.get_element_by_id("cla_rate")
    words = " ".join(card.text_content().split())
    assert "Children looked after per 10,000" in words
    assert "4.0 per 10,000" in words  # 8 of 20,000 children
    assert "Target 3.0 per 10,000" in words.replace("Target3", "Target 3") or "3.0 per 10,000" in words
    assert "Off target" in words and "(lower is better)" in words
    svg = card.xpath(".//svg[@role='img']")[0]
    assert svg.xpath("./desc") and "Line chart of 24 points" in svg.xpath("./desc")[0].text_content()
    table = card.xpath(".//details//table")[0]
    assert len(table.xpath("./tbody/tr")) == 24
    assert "Show the figures as a table" in card.xpath(".//details/summary")[0].text_content()
    unavailable = " ".join(doc.get_element_by_id("care_leavers_eet_19_21").text_content().split())
    assert "Hearth cannot compute this figure: The council's care leaver activity is recorded elsewhere" in unavailable
    groups = [h.text_content() for h in doc.xpath("//h2[starts-with(@id, 'group-')]")]
    assert groups == ["Help, protection and children in need", "Children looked after", "Care leavers",
                      "Social work workforce"]


def test_the_board_shows_the_figure_as_reported_where_it_has_changed(world: World) -> None:
    start, end = period()
    IndicatorSnapshot.objects.create(local_authority=world.la, indicator="cla_rate", month_end=end,
                                     period_start=start, period_end=end, numerator=6, denominator=20_000,
                                     value=3.0, frozen_at=timezone.now(), frozen_by="test", members={})
    IndicatorSnapshot.objects.create(local_authority=world.la, indicator="sw_fte", month_end=end,
                                     period_start=start, period_end=end, numerator=12.5, denominator=None,
                                     value=12.5, frozen_at=timezone.now(), frozen_by="test", members={})
    doc = page(world.director, reverse("indicators:director"))
    cla = " ".join(doc.get_element_by_id("cla_rate").text_content().split())
    assert f"3.0 per 10,000 at {end.day} {end:%b %Y}, 4.0 per 10,000 now" in cla
    link = doc.get_element_by_id("cla_rate").xpath(".//a[starts-with(normalize-space(), 'What changed')]")[0]
    assert link.get("href") == reverse("indicators:snapshot", args=["cla_rate", end.isoformat()])
    assert "As reported" not in " ".join(doc.get_element_by_id("sw_fte").text_content().split()).split("Source")[0]


def test_the_board_csv_is_what_the_board_shows_and_names_no_one(world: World) -> None:
    IndicatorTarget(local_authority=world.la, indicator="cla_rate", value=3.0).save(by=BY)
    response = client_for(world.director).get(reverse("indicators:director"), {"format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="improvement-board-')
    assert "no-store" in response["Cache-Control"]
    body = response.content.decode()
    rows = list(csv.DictReader(io.StringIO(body)))
    current = {r["code"]: r for r in rows if r["section"] == "current"}
    assert set(current) == {"assessments_45wd", "cpp_rate", "cla_rate", "care_leavers_eet_19_21", "sw_fte"}
    assert current["cla_rate"]["value"] == "4.0" and current["cla_rate"]["numerator"] == "8"
    assert current["cla_rate"]["target"] == "3.0" and current["cla_rate"]["status"] == "Off target"
    assert current["assessments_45wd"]["numerator"] == "4" and current["assessments_45wd"]["denominator"] == "6"
    assert current["care_leavers_eet_19_21"]["source"] == "unavailable"
    trend = [r for r in rows if r["section"] == "trend" and r["code"] == "cla_rate"]
    assert len(trend) == 24 and trend[-1]["value"] == "4.0"
    for name in ("Heldchild", "Waitingchild", "Sealedchild", "Wren", "Morgan"):
        assert name not in body


def test_the_board_is_cached_until_something_it_shows_changes(world: World) -> None:
    client = client_for(world.director)
    url = reverse("indicators:director")
    cold = query_count(lambda: client.get(url))
    warm = query_count(lambda: client.get(url))
    # The session, the user and their council, the permissions and notifications every page reads, and
    # four small reads that say whether anything the board shows has changed.
    assert warm < cold
    assert warm <= 14
    IndicatorTarget(local_authority=world.la, indicator="cla_rate", value=3.0).save(by=BY)
    assert "Off target" in client.get(url).content.decode()


def test_the_board_reads_a_fixed_number_of_queries(world: World) -> None:
    client = client_for(world.director)
    url = reverse("indicators:director")
    cache.clear()
    few = query_count(lambda: client.get(url))
    _more_teams(world, 3)
    cache.clear()
    many = query_count(lambda: client.get(url))
    assert many == few


def test_the_period_is_the_rolling_year_to_the_last_month_end() -> None:
    assert dashboards.current_period(date(2026, 11, 23)) == (date(2025, 11, 1), date(2026, 10, 31))
    assert dashboards.current_period(date(2026, 4, 1)) == (date(2025, 4, 1), date(2026, 3, 31))
    assert compute.today() == TODAY()


# What the figures are compared with, and where each number leads ------------------------------------------------

def test_a_count_is_not_set_beside_englands_total(world: World) -> None:
    """Social workers in post is a count: England's figure is every council's added up, so it is not shown
    beside the council's (a rate, such as children on a plan per 10,000, still is)."""
    england_fte = benchmarks.benchmark(local_authority=world.la, code="sw_fte")
    assert england_fte is not None and england_fte.england is not None and england_fte.england.value
    shown = f"{england_fte.england.value:,.1f}"
    doc = page(world.director, reverse("indicators:director"))
    card = " ".join(doc.get_element_by_id("sw_fte").text_content().split())
    assert shown not in card and "Not comparable" in card
    cpp = benchmarks.benchmark(local_authority=world.la, code="cpp_rate")
    assert cpp is not None and cpp.england is not None
    assert f"{cpp.england.value:,.1f} per 10,000" in " ".join(doc.get_element_by_id("cpp_rate").text_content().split())

    key = page(world.head, reverse("indicators:service")).get_element_by_id("key-heading").getparent()
    row = next(r for r in key.iter("tr") if "Social workers (FTE)" in r.text_content())
    assert shown not in row.text_content() and "Not comparable" in row.text_content()

    response = client_for(world.director).get(reverse("indicators:director"), {"format": "csv"})
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    fte = next(r for r in rows if r["code"] == "sw_fte" and r["section"] == "current")
    assert fte["england"] == ""
    assert next(r for r in rows if r["code"] == "cpp_rate" and r["section"] == "current")["england"]


def test_the_team_dashboard_leads_to_the_teams_supervision_and_audits(world: World) -> None:
    doc = page(world.manager, reverse("indicators:team", args=[world.team.pk]))
    supervision = doc.get_element_by_id("supervision-heading").getparent()
    link = supervision.xpath(".//a[contains(., \"The team's supervision\")]")[0].get("href")
    assert link == reverse("supervision:team", args=[world.team.pk])
    assert client_for(world.manager).get(link).status_code == 200  # the manager may open it
    audits = doc.get_element_by_id("audits-heading").getparent()
    assert audits.xpath(".//a[contains(@href, '/audits/')]")


def test_the_head_of_service_opens_a_teams_supervision_from_its_figure(world: World) -> None:
    teams = page(world.head, reverse("indicators:service")).get_element_by_id("teams-heading").getparent()
    row = next(r for r in teams.iter("tr") if "Safeguarding North" in r.text_content())
    assert reverse("supervision:team", args=[world.team.pk]) in [a.get("href") for a in row.xpath(".//a")]
    # An analyst sees the figure but no worker's supervision: no link.
    teams = page(world.analyst, reverse("indicators:service")).get_element_by_id("teams-heading").getparent()
    row = next(r for r in teams.iter("tr") if "Safeguarding North" in r.text_content())
    assert not [a for a in row.xpath(".//a") if "/supervision/" in (a.get("href") or "")]


def test_long_waits_are_written_with_thousands_separators(world: World) -> None:
    long_wait = make_person(world.la, first_name="Longwait", last_name="Child")
    make_episode(long_wait, team=world.team, referral_date=TODAY() - timedelta(days=5 * 365))
    doc = page(world.manager, reverse("indicators:team", args=[world.team.pk]))
    waiting = doc.get_element_by_id("waiting-heading").getparent()
    row = next(r for r in waiting.iter("tr") if "Longwait" in r.text_content())
    days = " ".join(row.xpath("./td")[-1].text_content().split())
    assert "," in days and int(days.replace(",", "")) > 1000


@pytest.mark.parametrize("role", [r for r in Role if r != Role.PARTNER_REFERRER])
def test_the_nav_offers_performance_audits_and_supervision_only_where_they_open(world: World, role: str) -> None:
    """Every role: each of the three is in the nav exactly when following it reaches its overview (not a refusal;
    a worker sent from /audits/ to their own audit actions finds those from My work instead)."""
    from hearth.workspace.context_processors import _nav_entries

    user = make_user(world.la, role, world.team if role in (Role.TEAM_MANAGER, Role.SOCIAL_WORKER) else None)
    shown = dict(_nav_entries(user))
    client = client_for(user)
    for label, url in (("Performance", reverse("indicators:index")), ("Case audits", reverse("case_audits:index")),
                       ("Supervision", reverse("supervision:index"))):
        response = client.get(url, follow=True)
        landed = response.redirect_chain[-1][0] if response.redirect_chain else url
        opens = response.status_code == 200 and (label != "Case audits" or landed == url)
        assert (label in shown) == opens, (role, label)
