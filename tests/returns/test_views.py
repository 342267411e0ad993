"""The returns page: who may run, read and download returns, the run page with its progress and findings,
what a finding shows of a record the reader may not open, filters, and a fix that a re-run shows gone."""

from __future__ import annotations

import re
from datetime import date
from functools import partial

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from hearth.access.models import AccessEvent, AllowListEntry
from hearth.accounts.roles import Role
from hearth.audit.actor import acting_as
from hearth.people.models import Person
from hearth.returns.models import ReturnFinding, ReturnRun
from tests.conftest import client_for
from tests.factories import make_la, make_person, make_team, make_user
from tests.queries import query_count
from tests.returns.run_factories import SHARED_UPN, a_upn, add_finding, analyst, census_child, make_run

NOW = "2026-11-22 10:00:00+00:00"
RESTRICTED = Person.AccessLevel.RESTRICTED
SEALED = Person.AccessLevel.SEALED


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def la(db):
    return make_la(number="892")


@pytest.fixture
def team(la):
    return make_team(la, "Safeguarding North")


@pytest.fixture
def other_team(la):
    return make_team(la, "Children in Care East")


@pytest.fixture
def the_analyst(la):
    return analyst(la, username="analyst")


@pytest.fixture
def manager(la, team):
    return make_user(la, Role.TEAM_MANAGER, team, username="tm")


@pytest.fixture
def head_of_service(la):
    return make_user(la, Role.SERVICE_MANAGER, username="hos")


def body(response) -> str:
    return response.content.decode()


# ------------------------------------------------------------------------------------------- who may

@pytest.mark.parametrize(("role", "status"), [
    (Role.PERFORMANCE_ANALYST, 200), (Role.SERVICE_MANAGER, 200), (Role.DIRECTOR, 200), (Role.TEAM_MANAGER, 200),
    (Role.SOCIAL_WORKER, 403), (Role.SENIOR_PRACTITIONER, 403), (Role.BUSINESS_SUPPORT, 403), (Role.IRO, 403),
    (Role.SYSTEM_ADMIN, 403), (Role.PARTNER_REFERRER, 403),
])
def test_the_returns_page_is_for_analysts_senior_managers_and_team_managers(la, team, role, status):
    assert client_for(make_user(la, role, team)).get("/returns/").status_code == status


def test_signing_in_is_needed(la, client):
    assert client.get("/returns/").status_code == 302


def test_runners_see_the_three_returns_with_validate_and_export(la, the_analyst):
    page = body(client_for(the_analyst).get("/returns/"))
    for title in ("CIN census", "SSDA903", "Ofsted Annex A"):
        assert f"Validate<span class=\"govuk-visually-hidden\"> {title}</span>" in page
        assert f"Export<span class=\"govuk-visually-hidden\"> {title}</span>" in page
    # Collection years that have begun, newest first; Annex A defaults to the six months to today.
    ssda903 = page[page.index('id="panel-ssda903"'):page.index('id="panel-annex_a"')]
    assert ssda903.index('value="2027"') < ssda903.index('value="2026"') < ssda903.index('value="2025"')
    cin = page[page.index('id="panel-cin"'):page.index('id="panel-ssda903"')]
    assert 'value="2026" selected' in cin and 'value="2027"' not in cin
    assert 'name="annex_a-start_0" type="text" inputmode="numeric" value="22"' in page
    assert 'name="annex_a-start_1" type="text" inputmode="numeric" value="5"' in page
    assert 'name="annex_a-end_1" type="text" inputmode="numeric" value="11"' in page


def test_team_managers_read_the_runs_but_cannot_run_or_download(la, manager, the_analyst):
    make_run(la, the_analyst, action="export", output=b"<xml/>", output_name="cin.xml")
    page = body(client_for(manager).get("/returns/"))
    assert "CIN census 2025/26 export" in page
    assert "Validate<span" not in page and "Download" not in page
    client = client_for(manager)
    assert client.post("/returns/cin/run/", {"cin-year": "2026", "action": "validate"}).status_code == 403
    run = ReturnRun.objects.get()
    assert client.get(f"/returns/runs/{run.pk}/download/").status_code == 403
    assert client.post(f"/returns/runs/{run.pk}/again/").status_code == 403
    assert client.post(f"/returns/runs/{run.pk}/submitted/").status_code == 403


def test_the_nav_links_to_returns_for_those_who_may_read_them(la, team, the_analyst, manager):
    assert 'href="/returns/"' in body(client_for(the_analyst).get("/"))
    assert 'href="/returns/"' in body(client_for(manager).get("/"))
    worker = make_user(la, Role.SOCIAL_WORKER, team)
    assert 'href="/returns/"' not in body(client_for(worker).get("/"))


def test_another_councils_runs_do_not_exist(la, the_analyst):
    other = make_la(name="Another Council")
    run = make_run(other, analyst(other), action="export", output=b"<xml/>", output_name="cin.xml")
    client = client_for(the_analyst)
    for url in (f"/returns/runs/{run.pk}/", f"/returns/runs/{run.pk}/progress/",
                f"/returns/runs/{run.pk}/download/"):
        assert client.get(url).status_code == 404, url
    for url in (f"/returns/runs/{run.pk}/again/", f"/returns/runs/{run.pk}/submitted/"):
        assert client.post(url).status_code == 404, url
    assert f"/returns/runs/{run.pk}/" not in body(client.get("/returns/"))


# ------------------------------------------------------------------------------------------- running

def test_validate_runs_the_return_and_lands_on_its_page(la, team, the_analyst):
    census_child(la, team=team, upn=SHARED_UPN)
    census_child(la, team=team, upn=SHARED_UPN)
    response = client_for(the_analyst).post("/returns/cin/run/", {"cin-year": "2026", "action": "validate"})
    run = ReturnRun.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/returns/runs/{run.pk}/"
    assert (run.kind, run.action, run.year, run.status) == ("cin", "validate", 2026, "done")
    page = body(client_for(the_analyst).get(response["Location"]))
    assert "More than one record with the same UPN." in page and "1520" in page
    assert "govuk-tag--red" in page and "hx-get" not in page


def test_export_makes_a_file_to_download(la, the_analyst):
    census_child(la)
    client = client_for(the_analyst)
    client.post("/returns/cin/run/", {"cin-year": "2026", "action": "export"})
    run = ReturnRun.objects.get()
    assert run.action == "export" and run.has_file
    page = body(client.get(f"/returns/runs/{run.pk}/"))
    assert f'href="/returns/runs/{run.pk}/download/"' in page and "Mark as submitted to DfE" in page


def test_a_bad_annex_a_period_is_refused_beside_the_field_with_the_typing_kept(la, the_analyst):
    response = client_for(the_analyst).post("/returns/annex_a/run/", {
        "annex_a-start_0": "1", "annex_a-start_1": "9", "annex_a-start_2": "2026",
        "annex_a-end_0": "31", "annex_a-end_1": "7", "annex_a-end_2": "2026", "action": "export"})
    page = body(response)
    assert response.status_code == 200 and not ReturnRun.objects.exists()
    assert "There is a problem" in page and "<title>Error: " in page
    assert page.count("The end date must be the same as or after the start date") == 2  # summary and field
    assert 'href="#id_annex_a-end_0"' in page
    assert 'name="annex_a-start_1" type="text" inputmode="numeric" value="9"' in page
    assert 'name="annex_a-end_0" type="text" inputmode="numeric" value="31"' in page


def test_a_year_that_is_not_offered_is_refused(la, the_analyst):
    response = client_for(the_analyst).post("/returns/cin/run/", {"cin-year": "2024", "action": "validate"})
    assert "Select one of the collection years listed" in body(response) and not ReturnRun.objects.exists()


def test_asking_again_for_a_run_under_way_goes_to_that_run(la, the_analyst):
    waiting = make_run(la, the_analyst, status=ReturnRun.Status.QUEUED, progress=0)
    response = client_for(the_analyst).post("/returns/cin/run/", {"cin-year": "2026", "action": "validate"})
    assert response["Location"] == f"/returns/runs/{waiting.pk}/"
    assert ReturnRun.objects.count() == 1


def test_an_unknown_return_is_not_found(la, the_analyst):
    assert client_for(the_analyst).post("/returns/cla/run/", {"action": "validate"}).status_code == 404


# ------------------------------------------------------------------------------------------- progress

def test_a_run_under_way_shows_a_progress_bar_polled_every_second(la, the_analyst):
    run = make_run(la, the_analyst, status=ReturnRun.Status.RUNNING, progress=40, stage="Reading assessments")
    client = client_for(the_analyst)
    page = body(client.get(f"/returns/runs/{run.pk}/"))
    assert f'hx-get="/returns/runs/{run.pk}/progress/"' in page and 'hx-trigger="every 1s"' in page
    assert 'aria-valuenow="40"' in page and "Reading assessments" in page
    partial = client.get(f"/returns/runs/{run.pk}/progress/", HTTP_HX_REQUEST="true")
    assert "HX-Refresh" not in partial and 'hx-trigger="every 1s"' in body(partial)


def test_polling_stops_and_the_page_reloads_when_the_run_has_finished(la, the_analyst):
    run = make_run(la, the_analyst)
    partial = client_for(the_analyst).get(f"/returns/runs/{run.pk}/progress/", HTTP_HX_REQUEST="true")
    assert partial["HX-Refresh"] == "true" and "hx-trigger" not in body(partial)


def test_a_failed_run_says_so_plainly(la, the_analyst):
    run = make_run(la, the_analyst, status=ReturnRun.Status.FAILED, error="The CIN census 2025/26 could not be made")
    page = body(client_for(the_analyst).get(f"/returns/runs/{run.pk}/"))
    assert "could not be made" in page and "Findings" not in page


def test_the_summary_lists_the_rules_not_checked_and_why(la, the_analyst):
    run = make_run(la, the_analyst, kind="ssda903", rules_run=["101", "102"], children=12, errors=0, queries=0,
                   rules_not_run={"1003": "Needs Ofsted's list of registered providers"},
                   previous_source="the live record", seconds=3.2)
    page = body(client_for(the_analyst).get(f"/returns/runs/{run.pk}/"))
    assert "Rules not checked, and why (1)" in page and "Needs Ofsted&#x27;s list of registered providers" in page
    assert "From the live record" in page and "Nothing to put right" in page


# ------------------------------------------------------------------------------------------- findings

def test_a_finding_names_the_child_only_by_hearth_id_with_a_fix_link_for_staff_who_open_records(
        la, team, manager, head_of_service, the_analyst):
    child = make_person(la, first_name="Jordan", last_name="Whitfield")
    from hearth.allocations.services import allocation_start
    allocation_start(child=child, team=team, worker=None, started_on=date(2025, 1, 6), by="test")
    run = make_run(la, the_analyst)
    add_finding(run, child, team=team)
    for reader in (manager, head_of_service):
        page = body(client_for(reader).get(f"/returns/runs/{run.pk}/"))
        assert child.hearth_id in page and "Whitfield" not in page
        assert f'href="/children/{child.pk}/identifiers/"' in page, reader
    # Analysts work from pseudonymised lists: the Hearth ID, and no record to open.
    page = body(client_for(the_analyst).get(f"/returns/runs/{run.pk}/"))
    assert child.hearth_id in page and "Whitfield" not in page and "/identifiers/" not in page


def test_a_restricted_record_is_a_restricted_record_and_a_sealed_one_is_not_there(la, the_analyst, head_of_service):
    restricted = make_person(la, RESTRICTED)
    sealed = make_person(la, SEALED)
    run = make_run(la, the_analyst)
    add_finding(run, restricted, rule="4220")
    add_finding(run, sealed, rule="8875")
    for reader in (the_analyst, head_of_service):
        page = body(client_for(reader).get(f"/returns/runs/{run.pk}/"))
        assert "A restricted record" in page and restricted.hearth_id not in page
        assert f"/children/{restricted.pk}/" not in page
        assert "8875" not in page and sealed.hearth_id not in page
        assert "Findings (1)" in page


def test_a_manager_named_on_a_sealed_record_sees_its_finding(la, head_of_service, the_analyst):
    sealed = make_person(la, SEALED)
    with acting_as("test"):
        AllowListEntry(local_authority=la, person=sealed, user=head_of_service, reason="Named manager").save()
    run = make_run(la, the_analyst)
    add_finding(run, sealed)
    page = body(client_for(head_of_service).get(f"/returns/runs/{run.pk}/"))
    assert sealed.hearth_id in page and f'href="/children/{sealed.pk}/identifiers/"' in page


def test_a_team_manager_sees_only_their_teams_findings(la, team, other_team, manager, the_analyst):
    ours, theirs = make_person(la), make_person(la)
    run = make_run(la, the_analyst)
    add_finding(run, ours, team=team)
    add_finding(run, theirs, team=other_team)
    add_finding(run, None, rule="2887Q", severity="query", message="Less than 8 disability codes")
    page = body(client_for(manager).get(f"/returns/runs/{run.pk}/"))
    assert ours.hearth_id in page and theirs.hearth_id not in page and "2887Q" not in page
    assert "Findings about children your team holds (1)" in page
    assert 'name="team"' not in page  # their own team only: no team filter
    # The council's view has them all, the whole-return finding too.
    page = body(client_for(the_analyst).get(f"/returns/runs/{run.pk}/"))
    assert ours.hearth_id in page and theirs.hearth_id in page and "Whole return" in page


def test_findings_filter_by_rule_severity_and_team(la, team, other_team, the_analyst):
    a, b, c = make_person(la), make_person(la), make_person(la)
    run = make_run(la, the_analyst)
    add_finding(run, a, rule="1520", team=team)
    add_finding(run, b, rule="8610", team=other_team)
    add_finding(run, c, rule="8770Q", severity="query", team=team)
    client = client_for(the_analyst)
    url = f"/returns/runs/{run.pk}/"

    def shown(**params):
        page = body(client.get(url, params))
        return {p.hearth_id for p in (a, b, c) if p.hearth_id in page}

    assert shown() == {a.hearth_id, b.hearth_id, c.hearth_id}
    assert shown(rule="8610") == {b.hearth_id}
    assert shown(severity="query") == {c.hearth_id}
    assert shown(team=team.pk) == {a.hearth_id, c.hearth_id}
    assert shown(team=team.pk, severity="error") == {a.hearth_id}
    assert shown(rule="nonsense") == {a.hearth_id, b.hearth_id, c.hearth_id}  # an unknown choice filters nothing
    assert "No findings match the filters" in body(client.get(url, {"rule": "8610", "team": team.pk}))


def test_findings_are_paginated_by_100_keeping_the_filters(la, the_analyst):
    run = make_run(la, the_analyst)
    child = make_person(la)
    for _ in range(130):
        add_finding(run, child)
    client = client_for(the_analyst)
    first = body(client.get(f"/returns/runs/{run.pk}/", {"severity": "error"}))
    assert first.count("<tr class=\"govuk-table__row\">") == 101  # header row and 100 findings
    assert 'href="?severity=error&amp;page=2"' in first or 'href="?severity=error&page=2"' in first
    second = body(client.get(f"/returns/runs/{run.pk}/", {"severity": "error", "page": 2}))
    assert second.count("<tr class=\"govuk-table__row\">") == 31


# ------------------------------------------------------------------------------------------- query counts

def test_the_returns_page_reads_the_same_queries_for_few_and_many_runs(la, the_analyst, manager):
    for reader in (the_analyst, manager):
        client = client_for(reader)
        make_run(la, the_analyst)
        few = query_count(partial(client.get, "/returns/"))
        for n in range(25):
            make_run(la, make_user(la, Role.PERFORMANCE_ANALYST), year=2025 + n % 2,
                     action="export" if n % 2 else "validate", output=b"x", output_name="x.xml")
        assert query_count(partial(client.get, "/returns/")) == few


@pytest.mark.parametrize("reader_name", ["the_analyst", "head_of_service", "manager"])
def test_a_findings_page_reads_the_same_queries_for_few_and_many_findings(la, team, reader_name, request,
                                                                          the_analyst):
    reader = request.getfixturevalue(reader_name)
    run = make_run(la, the_analyst)
    from hearth.allocations.services import allocation_start
    worker = make_user(la, Role.SOCIAL_WORKER, team)

    def children(n):
        for level in [Person.AccessLevel.OPEN, RESTRICTED, SEALED] * n:
            person = make_person(la, level)
            allocation_start(child=person, team=team, worker=worker, started_on=date(2025, 1, 6), by="test")
            add_finding(run, person, team=team, worker=worker)
        add_finding(run, None, rule="2887Q", severity="query")

    children(1)
    client = client_for(reader)
    url = f"/returns/runs/{run.pk}/"
    few = query_count(lambda: client.get(url))
    few_filtered = query_count(lambda: client.get(url, {"severity": "error", "team": team.pk, "rule": "1520"}))
    children(40)
    assert query_count(lambda: client.get(url)) == few
    assert query_count(lambda: client.get(url, {"severity": "error", "team": team.pk, "rule": "1520"})) == \
        few_filtered


# ------------------------------------------------------------------------------------------- download

def test_every_download_is_logged_against_every_child_in_the_file(la, the_analyst):
    children = [make_person(la) for _ in range(3)]
    run = make_run(la, the_analyst, action="export", output=b"<Message/>", output_name="cin_census_892_2025_26.xml",
                   output_content_type="application/xml", person_pks=[c.pk for c in children])
    client = client_for(the_analyst)
    for n in (1, 2):
        response = client.get(f"/returns/runs/{run.pk}/download/")
        assert response.status_code == 200 and response.content == b"<Message/>"
        assert response["Content-Disposition"] == 'attachment; filename="cin_census_892_2025_26.xml"'
        assert response["Content-Type"] == "application/xml"
        events = AccessEvent.objects.filter(action=AccessEvent.Action.EXPORT, user=the_analyst)
        assert events.count() == 3 * n
    assert set(events.values_list("person_id", flat=True)) == {c.pk for c in children}
    assert events.first().page == "CIN census 2025/26 export (download)"


def test_a_validation_has_no_file_to_download(la, the_analyst):
    run = make_run(la, the_analyst)
    response = client_for(the_analyst).get(f"/returns/runs/{run.pk}/download/")
    assert response.status_code == 302 and not AccessEvent.objects.exists()


def test_an_export_is_marked_as_submitted_from_its_page(la, the_analyst):
    run = make_run(la, the_analyst, kind="ssda903", action="export", output=b"PK", output_name="ssda903.zip")
    client = client_for(the_analyst)
    client.post(f"/returns/runs/{run.pk}/submitted/")
    run.refresh_from_db()
    assert run.submitted and run.submitted_by == the_analyst
    page = body(client.get(f"/returns/runs/{run.pk}/"))
    assert "Mark as submitted to DfE" not in page and "Submitted to DfE" in page


# ------------------------------------------------------------------------------------------- fix and check again

def test_a_fix_and_check_again_shows_the_finding_gone(la, team, the_analyst, manager):
    first = census_child(la, team=team, upn=SHARED_UPN)
    census_child(la, team=team, upn=SHARED_UPN)
    client = client_for(the_analyst)
    client.post("/returns/cin/run/", {"cin-year": "2026", "action": "validate"})
    run = ReturnRun.objects.get()
    assert ReturnFinding.objects.filter(run=run, rule="1520").count() == 2

    # The team manager follows the link and corrects the UPN.
    fix = ReturnFinding.objects.get(run=run, rule="1520", person=first).fix_url
    assert fix == f"/children/{first.pk}/identifiers/"
    first.refresh_from_db()
    response = client_for(manager).post(fix, {"nhs_number": "", "upn": a_upn(la), "former_upn": "",
                                              "upn_unknown": "", "version": first.version})
    assert response.status_code == 302, body(response)

    response = client.post(f"/returns/runs/{run.pk}/again/")
    again = ReturnRun.objects.exclude(pk=run.pk).get()
    assert response["Location"] == f"/returns/runs/{again.pk}/"
    assert again.status == "done" and not ReturnFinding.objects.filter(run=again, rule="1520").exists()
    assert "1520" not in body(client.get(response["Location"]))


# ------------------------------------------------------------------------------------------- review: security

def test_the_counts_are_of_the_findings_the_reader_may_see(la, team, other_team, the_analyst, manager):
    """The run's own totals count a sealed record's findings (and, for a team manager, every team's): the
    page and the runs table count what the reader may see, so a sealed record is never counted."""
    ours, theirs, sealed = make_person(la), make_person(la), make_person(la, SEALED)
    run = make_run(la, the_analyst, errors=3, queries=1)
    add_finding(run, ours, team=team)
    add_finding(run, theirs, team=other_team, severity="query", rule="8770Q")
    add_finding(run, sealed, team=team, rule="8875")

    def summary(page: str, label: str) -> str:
        found = re.search(f'<dt class="govuk-summary-list__key">{label}</dt>'
                          r'<dd class="govuk-summary-list__value">(\d+)', page)
        assert found, label
        return found.group(1)

    page = body(client_for(the_analyst).get(f"/returns/runs/{run.pk}/"))
    assert (summary(page, "Errors"), summary(page, "Queries")) == ("1", "1")
    page = body(client_for(manager).get(f"/returns/runs/{run.pk}/"))
    assert (summary(page, "Errors for your team"), summary(page, "Queries for your team")) == ("1", "0")

    def runs_table_counts(reader) -> list[str]:
        page = body(client_for(reader).get("/returns/"))
        row = page[page.index(f'href="/returns/runs/{run.pk}/"'):]
        row = row[:row.index("</tr>")]
        return re.findall(r'govuk-table__cell--numeric">(\d*)</td>', row)

    assert runs_table_counts(the_analyst) == ["1", "1"]
    assert runs_table_counts(manager) == ["1", "0"]


def test_every_post_needs_the_csrf_token(la, the_analyst):
    run = make_run(la, the_analyst, action="export", output=b"<xml/>", output_name="cin.xml")
    client = Client(enforce_csrf_checks=True)
    client.force_login(the_analyst)
    for url, data in (("/returns/cin/run/", {"cin-year": "2026", "action": "validate"}),
                      (f"/returns/runs/{run.pk}/again/", {}), (f"/returns/runs/{run.pk}/submitted/", {})):
        assert client.post(url, data).status_code == 403, url
    assert ReturnRun.objects.count() == 1
    run.refresh_from_db()
    assert not run.submitted


def test_a_download_is_an_attachment_with_a_safe_name_that_is_never_cached(la, the_analyst):
    run = make_run(la, the_analyst, action="export", output=b"<Message/>", output_content_type="application/xml",
                   output_name='cin"; filename=../../evil\r\nX-Injected: 1.xml')
    response = client_for(the_analyst).get(f"/returns/runs/{run.pk}/download/")
    assert response.status_code == 200
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="') and disposition.count('"') == 2
    name = disposition.split('"')[1]
    assert re.fullmatch(r"[A-Za-z0-9._-]+", name) and not name.startswith(".") and "/" not in name
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "X-Injected" not in response


def test_only_a_finished_export_has_a_file_to_download(la, the_analyst):
    # A file left on a run that is not a finished export (a failed or running one) is never handed out.
    for extra in ({"status": ReturnRun.Status.FAILED}, {"status": ReturnRun.Status.RUNNING},
                  {"action": ReturnRun.Action.VALIDATE}):
        values = {"action": "export", "output": b"<xml/>", "output_name": "cin.xml", **extra}
        run = make_run(la, the_analyst, **values)
        response = client_for(the_analyst).get(f"/returns/runs/{run.pk}/download/")
        assert response.status_code == 302 and response["Location"] == f"/returns/runs/{run.pk}/", extra
    assert not AccessEvent.objects.exists()


def test_a_run_whose_worker_died_says_so_instead_of_polling_for_ever(la, the_analyst):
    with time_machine.travel("2026-11-22 08:00:00+00:00", tick=False):
        run = make_run(la, the_analyst, status=ReturnRun.Status.RUNNING, progress=30, stage="Reading episodes")
        run.started_at = timezone.now()
        run.save()
    client = client_for(the_analyst)
    partial = client.get(f"/returns/runs/{run.pk}/progress/", HTTP_HX_REQUEST="true")
    assert partial["HX-Refresh"] == "true"
    page = body(client.get(f"/returns/runs/{run.pk}/"))
    assert "stopped without finishing" in page and "hx-get" not in page
    run.refresh_from_db()
    assert run.status == ReturnRun.Status.FAILED


def test_a_run_under_way_is_left_alone(la, the_analyst):
    run = make_run(la, the_analyst, status=ReturnRun.Status.RUNNING, progress=30)
    run.started_at = timezone.now()
    run.save()
    assert 'hx-trigger="every 1s"' in body(client_for(the_analyst).get(f"/returns/runs/{run.pk}/"))
    run.refresh_from_db()
    assert run.status == ReturnRun.Status.RUNNING


def test_too_many_runs_under_way_is_refused_at_the_top_of_the_page(la, the_analyst):
    for year in (2025, 2026):
        for action in ("validate", "export"):
            make_run(la, the_analyst, kind="ssda903", year=year, action=action, status=ReturnRun.Status.QUEUED)
    response = client_for(the_analyst).post("/returns/cin/run/", {"cin-year": "2026", "action": "validate"})
    page = body(response)
    assert response.status_code == 200 and "There is a problem" in page
    assert "4 returns are already being run for the council" in page
    assert 'value="2026" selected' in page[page.index('id="panel-cin"'):page.index('id="panel-ssda903"')]
    assert not ReturnRun.objects.filter(kind="cin").exists()


def test_a_schema_error_inside_a_sealed_childs_record_does_not_name_them(la, the_analyst, monkeypatch):
    from hearth.returns import cin_census

    open_child = census_child(la)
    sealed = census_child(la, level=SEALED)
    monkeypatch.setattr(cin_census, "xsd_errors", lambda xml, *, year: [
        f"line 40, child {sealed.hearth_id}: Element 'Sex': [facet 'enumeration'] not an allowed value",
        f"line 60, child {open_child.hearth_id}: Element 'UPN': [facet 'pattern'] not accepted",
        "line 3: Element 'LEA': missing"])
    client = client_for(the_analyst)
    client.post("/returns/cin/run/", {"cin-year": "2026", "action": "export"})
    run = ReturnRun.objects.get()
    schema = {f.person_id: f for f in ReturnFinding.objects.filter(run=run, rule="Schema")}
    assert set(schema) == {sealed.pk, open_child.pk, None}
    assert sealed.hearth_id not in schema[sealed.pk].message
    assert schema[sealed.pk].message == "line 40: Element 'Sex': [facet 'enumeration'] not an allowed value"
    page = body(client.get(f"/returns/runs/{run.pk}/"))
    assert sealed.hearth_id not in page and "line 40" not in page
    assert open_child.hearth_id in page and "line 60" in page and "line 3: Element &#x27;LEA&#x27;" in page


# ------------------------------------------------------------------------------------------- review: years

def test_each_return_defaults_to_the_last_year_that_has_ended(la, the_analyst):
    page = body(client_for(the_analyst).get("/returns/"))
    ssda903 = page[page.index('id="panel-ssda903"'):page.index('id="panel-annex_a"')]
    assert 'value="2026" selected' in ssda903 and 'value="2027" selected' not in ssda903
    # The year under way can still be chosen, and says it has not ended.
    assert re.search(r'value="2027">2026/27 \(not yet ended\)<', ssda903)
    assert re.search(r'value="2026" selected>2025/26<', ssda903)


def test_a_run_for_a_year_not_yet_ended_says_it_is_provisional(la, the_analyst):
    run = make_run(la, the_analyst, kind="ssda903", year=2027, action="export", output=b"PK",
                   output_name="ssda903.zip")
    finished = make_run(la, the_analyst, kind="ssda903", year=2026)
    client = client_for(the_analyst)
    page = body(client.get(f"/returns/runs/{run.pk}/"))
    assert "Provisional: the year ends 31 March 2027" in page
    assert "the record as it stands today" in page and "are left out until the year ends" in page
    assert "Mark as submitted to DfE" not in page
    assert "Provisional" not in body(client.get(f"/returns/runs/{finished.pk}/"))
    index = body(client.get("/returns/"))
    rows = {pk: index[index.index(f'href="/returns/runs/{pk}/"'):] for pk in (run.pk, finished.pk)}
    assert "Provisional" in rows[run.pk][:rows[run.pk].index("</tr>")]
    assert "Provisional" not in rows[finished.pk][:rows[finished.pk].index("</tr>")]
    # Seen later, it says when the record was read.
    with time_machine.travel("2026-12-01 10:00:00+00:00", tick=False):
        later = client_for(the_analyst)
        assert "the record as it stood on 22 November 2026" in body(later.get(f"/returns/runs/{run.pk}/"))


def test_a_provisional_export_cannot_be_marked_as_submitted(la, the_analyst):
    run = make_run(la, the_analyst, kind="ssda903", year=2027, action="export", output=b"PK",
                   output_name="ssda903.zip")
    client = client_for(the_analyst)
    response = client.post(f"/returns/runs/{run.pk}/submitted/", follow=True)
    run.refresh_from_db()
    assert not run.submitted
    assert "made before the 2026/27 year ended on 31 March 2027" in body(response)


# ------------------------------------------------------------------------------------------- review: findings

def test_check_again_keeps_the_filters_and_a_rule_put_right_shows_nothing_matching(la, team, the_analyst):
    first = census_child(la, team=team, upn=SHARED_UPN)
    census_child(la, team=team, upn=SHARED_UPN)
    client = client_for(the_analyst)
    client.post("/returns/cin/run/", {"cin-year": "2026", "action": "validate"})
    run = ReturnRun.objects.get()
    page = body(client.get(f"/returns/runs/{run.pk}/", {"rule": "1520", "severity": "error"}))
    assert '<input type="hidden" name="rule" value="1520">' in page
    assert '<input type="hidden" name="severity" value="error">' in page
    with acting_as("test"):
        first.upn = a_upn(la)
        first.save()
    response = client.post(f"/returns/runs/{run.pk}/again/", {"rule": "1520", "severity": "error"})
    again = ReturnRun.objects.exclude(pk=run.pk).get()
    assert response["Location"] == f"/returns/runs/{again.pk}/?rule=1520&severity=error"
    page = body(client.get(response["Location"]))
    assert "No findings match the filters" in page
    assert '<option value="1520" selected>1520</option>' in page


def test_check_again_drops_anything_that_is_not_a_filter(la, the_analyst):
    run = make_run(la, the_analyst)
    response = client_for(the_analyst).post(f"/returns/runs/{run.pk}/again/", {
        "rule": "<script>", "severity": "query", "next": "https://elsewhere.example", "team": "12"})
    again = ReturnRun.objects.exclude(pk=run.pk).get()
    assert response["Location"] == f"/returns/runs/{again.pk}/?severity=query&team=12"


def test_an_invalid_filter_is_ignored_without_losing_the_others(la, team, other_team, the_analyst):
    a, b = make_person(la), make_person(la)
    run = make_run(la, the_analyst)
    add_finding(run, a, rule="1520", team=team)
    add_finding(run, b, rule="1520", severity="query", team=other_team)
    page = body(client_for(the_analyst).get(f"/returns/runs/{run.pk}/", {"severity": "query", "team": "99999"}))
    assert b.hearth_id in page and a.hearth_id not in page
    assert "govuk-error-message" not in page


def test_a_finding_says_its_field_in_words_and_its_link_names_the_rule_and_child(la, head_of_service,
                                                                                 the_analyst):
    child = make_person(la)
    run = make_run(la, the_analyst, kind="ssda903")
    add_finding(run, child, rule="103", table="Episodes", fields="LS, DECOM",
                message="The legal status is not a valid code.", fix_url=f"/children/{child.pk}/care/")
    add_finding(run, child, rule="2885", table="Episodes_last", fields="PL_LA",
                message="Placement council is wrong.", fix_url=f"/children/{child.pk}/care/")
    page = body(client_for(head_of_service).get(f"/returns/runs/{run.pk}/"))
    assert "Legal status (LS)<br>Date the episode started (DECOM)" in page
    assert "Episodes of care</span>" in page and "Episodes of care, last year&#x27;s return" in page
    assert "Council of the placement (PL_LA)" in page
    assert (f'Fix<span class="govuk-visually-hidden"> rule 103 for child {child.hearth_id}</span>') in page
    assert "The legal status is not a valid code." in page


def test_a_findings_page_after_the_first_reads_the_same_queries(la, team, the_analyst, head_of_service):
    run = make_run(la, the_analyst)
    for _ in range(3):
        add_finding(run, make_person(la), team=team)
    client = client_for(head_of_service)
    url = f"/returns/runs/{run.pk}/"
    few = query_count(lambda: client.get(url, {"severity": "error", "page": 1}))
    for n in range(250):
        add_finding(run, make_person(la, RESTRICTED if n % 5 == 0 else Person.AccessLevel.OPEN), team=team)
    assert query_count(lambda: client.get(url, {"severity": "error", "page": 2})) == few
    assert query_count(lambda: client.get(url, {"severity": "error", "page": 3})) == few


def test_a_finding_about_the_whole_return_is_not_said_to_be_about_a_child(la, the_analyst):
    run = make_run(la, the_analyst)
    add_finding(run, None, rule="2887Q", severity="query", table="Header", fields="Disability")
    page = body(client_for(the_analyst).get(f"/returns/runs/{run.pk}/"))
    assert "The return as a whole" in page and "Child&#x27;s details" not in page
