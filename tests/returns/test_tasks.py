"""Return runs in the background: starting one, the task making it, what it stores, and last year's SSDA903
coming from the export marked as submitted."""

from __future__ import annotations

import io
import zipfile
from datetime import date

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from lxml import etree

from hearth.accounts.roles import Role
from hearth.returns import cin_census, services, ssda903
from hearth.returns.cin_census import xsd_errors
from hearth.returns.models import ReturnFinding, ReturnRun
from hearth.returns.services import (
    RunAlreadyUnderWay,
    previous_903,
    return_run_again,
    return_run_execute,
    return_run_mark_submitted,
    return_run_start,
)
from hearth.returns.ssda903 import zip_903
from hearth.returns.tasks import return_run_task
from tests.factories import make_la, make_team, make_user
from tests.returns.factories import episode, header, make_return
from tests.returns.run_factories import SHARED_UPN, analyst, census_child, make_run

NOW = "2026-11-22 10:00:00+00:00"
pytestmark = pytest.mark.usefixtures("frozen")


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def la(db):
    return make_la(number="892")


@pytest.fixture
def by(la):
    return analyst(la)


def start(la, by, **kwargs):
    values = {"kind": "cin", "action": "validate", "year": 2026}
    values.update(kwargs)
    return return_run_start(local_authority=la, by=by, **values)


# ------------------------------------------------------------------------------------------- starting


@pytest.mark.parametrize(("kwargs", "field", "message"), [
    ({"year": 2024}, "year", "Hearth can make the CIN census for 2024/25 and 2025/26 only"),
    ({"kind": "ssda903", "year": 2023}, "year", "Hearth can make the SSDA903 for 2024/25, 2025/26 and 2026/27 only"),
    ({"year": None}, "year", "Select the collection year"),
    ({"kind": "annex_a", "year": None, "start": date(2026, 6, 1), "end": date(2026, 5, 1)}, "end",
     "The end date must be the same as or after the start date"),
    ({"kind": "annex_a", "year": None, "start": date(2026, 6, 1), "end": date(2026, 11, 23)}, "end",
     "The end date must be today or in the past"),
    ({"kind": "annex_a", "year": None, "start": None, "end": date(2026, 11, 1)}, "start", "Enter the start date"),
])
def test_bad_arguments_are_refused_with_a_plain_reason_beside_the_field(la, by, kwargs, field, message):
    with pytest.raises(ValidationError) as refused:
        start(la, by, **kwargs)
    assert refused.value.message_dict == {field: [message]}
    assert not ReturnRun.objects.exists()


def test_a_collection_year_not_yet_begun_is_refused(la, by):
    with time_machine.travel("2026-03-20 10:00:00+00:00", tick=False), pytest.raises(ValidationError) as refused:
        start(la, by, kind="ssda903", year=2027)
    assert refused.value.message_dict["year"] == [
        "The 2026/27 collection year starts on 1 April 2026, which is in the future"]


def test_a_second_identical_run_while_one_is_waiting_is_refused_naming_the_first(la, by):
    first = start(la, by)
    with pytest.raises(RunAlreadyUnderWay) as refused:
        start(la, by)
    assert refused.value.run == first
    # Another year, or an export of the same year, is another run.
    assert start(la, by, year=2025) != first
    assert start(la, by, action="export") != first


@pytest.mark.parametrize("role", [Role.SOCIAL_WORKER, Role.TEAM_MANAGER, Role.BUSINESS_SUPPORT, Role.IRO])
def test_only_analysts_and_senior_managers_start_runs(la, role):
    with pytest.raises(PermissionDenied):
        start(la, make_user(la, role, make_team(la)))


def test_nobody_starts_a_run_for_another_council(la, by):
    with pytest.raises(PermissionDenied):
        start(make_la(name="Another Council"), by)


@pytest.mark.parametrize("role", [Role.PERFORMANCE_ANALYST, Role.SERVICE_MANAGER, Role.DIRECTOR])
def test_analysts_and_senior_managers_start_runs(la, role):
    run = start(la, make_user(la, role))
    assert run.status == ReturnRun.Status.QUEUED and run.year == 2026 and run.period_start is None


# ------------------------------------------------------------------------------------------- running


def test_a_cin_validation_run_reaches_done_with_its_findings_and_who_can_fix_them(la, by):
    team = make_team(la, "Safeguarding North")
    worker = make_user(la, Role.SOCIAL_WORKER, team)
    clean = census_child(la, team=team, worker=worker)
    twin_a = census_child(la, team=team, worker=worker, upn=SHARED_UPN)
    twin_b = census_child(la, upn=SHARED_UPN)
    run = start(la, by)
    return_run_task.enqueue(run.pk)  # the test settings run tasks at once
    run.refresh_from_db()
    assert run.status == ReturnRun.Status.DONE and run.progress == 100 and run.stage == "Finished"
    assert run.children == 3 and sorted(run.person_pks) == sorted([clean.pk, twin_a.pk, twin_b.pk])
    assert run.finished_at is not None and run.seconds is not None
    assert "1520" in run.rules_run and run.rules_not_run == {}
    same_upn = ReturnFinding.objects.filter(run=run, rule="1520").order_by("child")
    assert [(f.person_id, f.child, f.table, f.fields, f.severity) for f in same_upn] == [
        (twin_a.pk, twin_a.hearth_id, "ChildIdentifiers", "UPN", "error"),
        (twin_b.pk, twin_b.hearth_id, "ChildIdentifiers", "UPN", "error")]
    assert same_upn[0].fix_url == f"/children/{twin_a.pk}/identifiers/"
    assert (same_upn[0].team, same_upn[0].worker) == (team, worker)
    assert (same_upn[1].team, same_upn[1].worker) == (None, None)  # never allocated
    assert run.errors == ReturnFinding.objects.filter(run=run, severity="error").count() >= 2
    assert run.queries == ReturnFinding.objects.filter(run=run, severity="query").count()
    assert not ReturnFinding.objects.filter(run=run, person=clean).exists()
    assert run.output is None and not run.has_file


def test_a_finding_on_a_closed_case_names_the_team_that_last_held_the_child(la, by):
    from hearth.allocations.models import Allocation
    from hearth.allocations.services import allocation_end

    old, new = make_team(la, "Assessment"), make_team(la, "Safeguarding South")
    child = census_child(la, team=old, upn=SHARED_UPN)
    census_child(la, upn=SHARED_UPN)
    allocation_end(allocation=Allocation.objects.get(child=child), ended_on=date(2025, 9, 1), reason="Closed",
                   by="test")
    run = return_run_execute(run=start(la, by))
    finding = ReturnFinding.objects.get(run=run, rule="1520", person=child)
    assert finding.team == old and new != old


def test_a_cin_export_stores_a_schema_valid_file_and_still_lists_the_findings(la, by):
    census_child(la, upn=SHARED_UPN)
    census_child(la, upn=SHARED_UPN)
    run = return_run_execute(run=start(la, by, action="export"))
    assert run.status == ReturnRun.Status.DONE and run.has_file and run.can_be_submitted
    assert run.output_name == "cin_census_892_2025_26.xml" and run.output_content_type == "application/xml"
    xml = bytes(run.output)
    assert xsd_errors(xml, year=2026) == []
    assert etree.fromstring(xml).findtext(".//{*}LEA") == "892"
    assert not ReturnFinding.objects.filter(run=run, rule="Schema").exists()
    assert ReturnFinding.objects.filter(run=run, rule="1520").count() == 2


def test_schema_errors_of_a_cin_export_are_findings_about_the_whole_return(la, by, monkeypatch):
    census_child(la)
    monkeypatch.setattr(cin_census, "xsd_errors", lambda xml, *, year: ["Element 'LEA': not a valid value"])
    run = return_run_execute(run=start(la, by, action="export"))
    schema = ReturnFinding.objects.get(run=run, rule="Schema")
    assert (schema.child, schema.person, schema.fix_url, schema.severity) == ("", None, "", "error")
    assert run.errors == 1


def test_a_failing_builder_marks_the_run_failed_with_a_plain_message(la, by, monkeypatch):
    def broken(**kwargs):
        raise ValueError("Jordan Whitfield, born 14/02/2015, has no episode")

    monkeypatch.setattr(cin_census, "build_cin", broken)
    run = start(la, by)
    return_run_task.enqueue(run.pk)
    run.refresh_from_db()
    assert run.status == ReturnRun.Status.FAILED and run.finished_at is not None
    assert "Jordan" not in run.error and "2015" not in run.error
    assert run.error.startswith("The CIN census 2025/26 could not be made because of a fault in Hearth")
    assert not ReturnFinding.objects.filter(run=run).exists()


def test_the_task_leaves_a_run_that_is_not_waiting_alone(la, by):
    run = make_run(la, by, status=ReturnRun.Status.FAILED, error="Earlier")
    assert return_run_task.call(run.pk) == "failed"
    run.refresh_from_db()
    assert run.error == "Earlier"


def test_progress_is_written_as_the_builder_reports_it(la, by, monkeypatch):
    seen: list[tuple[int, str, str]] = []
    real = cin_census.build_cin

    def watched(**kwargs):
        for done in (0.0, 0.5, 1.0):
            kwargs["progress"](done, f"Reading part {done}")
            stored = ReturnRun.objects.get(pk=run.pk)
            seen.append((stored.progress, stored.stage, stored.status))
        return real(**kwargs)

    monkeypatch.setattr(cin_census, "build_cin", watched)
    monkeypatch.setattr(services._Progress, "interval", 0.0)  # no holding back between writes
    run = start(la, by)
    run = return_run_execute(run=run)
    assert seen == [(1, "Reading part 0.0", "running"), (33, "Reading part 0.5", "running"),
                    (65, "Reading part 1.0", "running")]
    assert run.progress == 100 and run.stage == "Finished"


def test_progress_writes_are_held_back_to_about_one_a_second(la, by):
    run = start(la, by)
    progress = services._Progress(run)
    with CaptureQueriesContext(connection) as writes:
        for n in range(50):
            progress(n, "Reading")
    assert len(writes.captured_queries) == 1


def test_an_ssda903_export_is_a_zip_of_the_years_tables(la, by):
    run = return_run_execute(run=start(la, by, kind="ssda903", action="export"))
    assert run.status == ReturnRun.Status.DONE and run.output_name == "ssda903_892_2025_26.zip"
    with zipfile.ZipFile(io.BytesIO(bytes(run.output))) as archive:
        names = set(archive.namelist())
        header_line = archive.read("header.csv").decode().splitlines()[0]
    assert "sw_episodes.csv" in names and "dolo.csv" not in names and "episodes.csv" in names
    assert header_line == "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB"
    assert run.previous_source == "the live record"


def test_an_annex_a_export_stores_the_workbook(la, by):
    run = return_run_execute(run=start(la, by, kind="annex_a", year=None, start=date(2026, 5, 22),
                                       end=date(2026, 11, 22), action="export"))
    assert run.status == ReturnRun.Status.DONE, run.error
    assert run.output_name == "annex_a_2026-05-22_to_2026-11-22.xlsx"
    assert bytes(run.output)[:2] == b"PK"
    assert run.title == "Ofsted Annex A 22 May 2026 to 22 November 2026"


# ------------------------------------------------------------------------------------ submitted exports


def _submitted_903(la, by, ret) -> ReturnRun:
    run = make_run(la, by, kind="ssda903", action="export", year=ret.year, output=zip_903(ret),
                   output_name="ssda903.zip", output_content_type="application/zip")
    return return_run_mark_submitted(run=run, by=by)


def test_last_years_903_comes_from_the_export_submitted_to_dfe(la, by, monkeypatch):
    last_year = make_return(year=2025, Header=[header(CHILD="0000007")],
                            Episodes=[episode(CHILD="0000007", DECOM="10/05/2024")])
    submitted = _submitted_903(la, by, last_year)
    given = {}
    real = ssda903.build_903

    def spy(**kwargs):
        given.update(kwargs)
        return real(**kwargs)

    monkeypatch.setattr(ssda903, "build_903", spy)
    run = return_run_execute(run=start(la, by, kind="ssda903"))
    previous = given["previous"]
    assert previous.year == 2025 and previous.table("Header") == last_year.table("Header")
    assert previous.table("Episodes") == last_year.table("Episodes")
    assert run.previous_source == f"the 2024/25 export submitted to DfE (run {submitted.pk})"


def test_without_a_submitted_export_last_year_is_made_from_the_live_record(la, by):
    # An export not marked as submitted does not count.
    make_run(la, by, kind="ssda903", action="export", year=2025, output=zip_903(make_return(year=2025)),
             output_name="x.zip")
    assert previous_903(local_authority=la, year=2026) == (None, "the live record")


def test_a_submitted_export_that_cannot_be_read_falls_back_to_the_live_record(la, by):
    run = make_run(la, by, kind="ssda903", action="export", year=2025, output=b"not a zip", output_name="x.zip",
                   submitted=True)
    previous, source = previous_903(local_authority=la, year=2026)
    assert previous is None and source == (
        f"the live record (the 2024/25 export submitted to DfE (run {run.pk}) could not be read)")


def test_only_a_finished_export_of_a_dfe_return_can_be_marked_as_submitted(la, by):
    for run in (make_run(la, by), make_run(la, by, kind="annex_a", action="export", year=None, output_name="a.xlsx"),
                make_run(la, by, action="export", status=ReturnRun.Status.FAILED)):
        with pytest.raises(ValidationError):
            return_run_mark_submitted(run=run, by=by)
    run = make_run(la, by, action="export", output=b"<xml/>", output_name="cin.xml")
    with pytest.raises(PermissionDenied):
        return_run_mark_submitted(run=run, by=make_user(la, Role.TEAM_MANAGER, make_team(la)))
    marked = return_run_mark_submitted(run=run, by=by)
    assert marked.submitted and marked.submitted_by == by and marked.submitted_at is not None


def test_check_again_starts_a_validation_of_the_same_return(la, by):
    export = make_run(la, by, kind="ssda903", action="export", year=2025)
    again = return_run_again(run=export, by=by)
    assert (again.kind, again.action, again.year, again.status) == ("ssda903", "validate", 2025, "queued")
    annex = make_run(la, by, kind="annex_a", year=None, period_start=date(2026, 1, 1), period_end=date(2026, 6, 30))
    again = return_run_again(run=annex, by=by)
    assert (again.period_start, again.period_end, again.year) == (date(2026, 1, 1), date(2026, 6, 30), None)


def test_annex_a_header_and_label_problems_are_findings_about_the_whole_return(la, by, monkeypatch):
    from hearth.returns import annex_a

    monkeypatch.setattr(annex_a, "annex_a_problems", lambda annex: ["List 3: 'Gender' has a value Ofsted does not use"])
    run = return_run_execute(run=start(la, by, kind="annex_a", year=None, start=date(2026, 5, 22),
                                       end=date(2026, 11, 22)))
    problem = ReturnFinding.objects.get(run=run)
    assert (problem.rule, problem.table, problem.child, problem.severity) == ("Annex A", "Annex A", "", "error")
    assert problem.message == "List 3: 'Gender' has a value Ofsted does not use"
    assert run.output is None and run.rules_run == ["Annex A headers and labels"]


# ------------------------------------------------------------------------------------ review: throttling


def test_a_run_whose_worker_died_does_not_block_the_same_return_for_ever(la, by):
    with time_machine.travel("2026-11-22 09:00:00+00:00", tick=False):
        dead = start(la, by)
        dead.status, dead.started_at = ReturnRun.Status.RUNNING, timezone.now()
        dead.save()
        never_started = start(la, by, kind="ssda903")
    with pytest.raises(RunAlreadyUnderWay), time_machine.travel("2026-11-22 09:20:00+00:00", tick=False):
        start(la, by)  # twenty minutes is a slow run, not a dead one
    again = start(la, by)  # an hour later
    dead.refresh_from_db()
    never_started.refresh_from_db()
    assert again != dead and again.status == ReturnRun.Status.QUEUED
    for stalled in (dead, never_started):
        assert stalled.status == ReturnRun.Status.FAILED and stalled.error == services.STALLED_MESSAGE
    # The task, if its worker comes back, leaves a run marked failed alone.
    assert return_run_task.call(never_started.pk) == "failed"


def test_a_council_has_at_most_a_few_runs_under_way(la, by):
    for kind, year in (("cin", 2025), ("cin", 2026), ("ssda903", 2025), ("ssda903", 2026)):
        start(la, by, kind=kind, year=year)
    with pytest.raises(ValidationError) as refused:
        start(la, by, kind="ssda903", year=2027)
    assert refused.value.messages == [
        "4 returns are already being run for the council. Wait for one of them to finish, then try again."]
    # Another council is not held up.
    other = make_la(name="Another Council")
    assert start(other, analyst(other)).status == ReturnRun.Status.QUEUED


def test_a_failure_logs_no_personal_data(la, by, monkeypatch, caplog):
    def broken(**kwargs):
        raise ValueError("Jordan Whitfield, born 14/02/2015, has no episode")

    monkeypatch.setattr(cin_census, "build_cin", broken)
    with caplog.at_level("INFO", logger="hearth"):
        run = return_run_execute(run=start(la, by))
    assert run.status == ReturnRun.Status.FAILED
    assert "ValueError" in caplog.text and "Jordan" not in caplog.text and "2015" not in caplog.text
    assert "Traceback" not in run.error and "ValueError" not in run.error


def test_a_provisional_export_is_never_the_one_submitted(la, by):
    run = make_run(la, by, kind="ssda903", year=2027, action="export", output=b"PK", output_name="x.zip")
    assert run.is_provisional and not run.can_be_submitted
    with pytest.raises(ValidationError) as refused:
        return_run_mark_submitted(run=run, by=by)
    assert "made before the 2026/27 year ended on 31 March 2027" in refused.value.messages[0]
    # An export made on 31 March itself is provisional too; one made on 1 April is not.
    with time_machine.travel("2026-03-31 18:00:00+00:00", tick=False):
        assert make_run(la, by, kind="ssda903", year=2026, action="export").is_provisional
    with time_machine.travel("2026-04-01 09:00:00+01:00", tick=False):
        assert not make_run(la, by, kind="ssda903", year=2026, action="export").is_provisional
