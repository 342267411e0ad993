"""``manage.py validate_return``: one line per finding, a summary, and an exit status a script can test."""

from __future__ import annotations

from datetime import date
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command

from hearth.audit.actor import acting_as
from hearth.protection.models import ChildProtectionConference
from hearth.returns import ssda903
from hearth.returns.ssda903 import write_903_csv
from tests.cin.factories import open_episode
from tests.factories import make_la, make_person
from tests.protection.factories import make_chair, make_manager, plan_for
from tests.returns.factories import header, make_return
from tests.returns.run_factories import a_upn, census_child

SATURDAY = date(2025, 9, 13)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel("2026-11-22 10:00:00+00:00", tick=False):
        yield


@pytest.fixture
def la(db):
    return make_la(number="892")


def run(*args: str) -> tuple[int, str]:
    out = StringIO()
    try:
        call_command("validate_return", *args, stdout=out)
    except SystemExit as leaving:
        return int(leaving.code or 0), out.getvalue()
    return 0, out.getvalue()


def cp_plan_from_a_saturday_icpc(la):
    """A child protection plan whose initial conference was (as a legacy system let it be) on a Saturday."""
    child = make_person(la, sex="M", ethnicity="WBRI", date_of_birth=date(2016, 4, 2), upn=a_upn(la),
                        disabilities=["NONE"])
    open_episode(child, on=date(2025, 8, 1), primary_need="N1")
    plan = plan_for(child, chair=make_chair(la), manager=make_manager(la), by="test", episode=False,
                    discussed_on=date(2025, 8, 4), completed_on=date(2025, 8, 15), icpc_on=date(2025, 9, 12))
    conference = ChildProtectionConference.objects.get(cp_plan=plan)
    with acting_as("test"):
        conference.held_on = SATURDAY
        conference.save()
        plan.started_on = SATURDAY
        plan.save()
    return child


def test_a_clean_census_exits_0_with_a_summary(la):
    census_child(la)
    status, out = run("cin", "--year", "2026")
    lines = out.splitlines()
    assert status == 0
    assert len(lines) == 1, out
    assert lines[0].startswith("CIN census 2025/26: 109 rules run, 0 not run, 0 errors, ")
    assert lines[0].endswith(" seconds")


def test_an_error_exits_1_and_is_printed_rule_child_fields_message(la):
    census_child(la)
    child = cp_plan_from_a_saturday_icpc(la)
    status, out = run("cin", "--year", "2026")
    assert status == 1
    assert f"8875\t{child.hearth_id}\t" in out
    line = next(line for line in out.splitlines() if line.startswith("8875"))
    assert line.split("\t")[3] == "The Date of Initial Child Protection Conference cannot be a weekend"
    assert "Jordan" not in out  # never a name
    assert ", 1 error, " in out.splitlines()[-1]


def test_queries_are_listed_only_when_asked_for_and_never_fail_the_run(la):
    census_child(la)
    status, out = run("cin", "--year", "2026")
    assert status == 0 and "2887Q" not in out and "1 query" in out
    status, out = run("cin", "--year", "2026", "--queries")
    assert status == 0 and out.splitlines()[0].startswith("2887Q\t-\tDisability\t")


def test_an_ssda903_with_no_children_in_care_is_clean(la):
    status, out = run("ssda903", "--year", "2026", "--council", "892")
    assert status == 0, out
    assert out.startswith("SSDA903 2025/26: ") and " 0 errors" in out


def test_last_years_903_can_come_from_the_submitted_files(la, tmp_path, monkeypatch):
    write_903_csv(make_return(year=2025, Header=[header(CHILD="0000099")]), tmp_path)
    given = {}
    real = ssda903.build_903

    def spy(**kwargs):
        given.update(kwargs)
        return real(**kwargs)

    monkeypatch.setattr(ssda903, "build_903", spy)
    _, out = run("ssda903", "--year", "2026", "--previous", str(tmp_path))
    assert given["previous"].year == 2025 and given["previous"].table("Header")[0]["CHILD"] == "0000099"
    assert out.splitlines()[-1].startswith("SSDA903 2025/26: ")


@pytest.mark.parametrize(("args", "message"), [
    (("cin", "--year", "2024"), "Hearth can validate the CIN census for the collection years ending 31 March "
                                "2025, 2026, not 2024"),
    (("ssda903", "--year", "2030"), "2025, 2026, 2027, not 2030"),
    (("cin", "--year", "2026", "--previous", "/tmp"), "--previous is for the SSDA903 only"),
    (("cin", "--year", "2026", "--council", "999"), "No council with DfE LA number 999 is loaded"),
    (("ssda903", "--year", "2026", "--previous", "/nowhere/at/all"), "/nowhere/at/all is not a folder"),
])
def test_bad_arguments_are_refused_clearly(la, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("validate_return", *args, stdout=StringIO())


def test_a_bad_file_of_last_years_return_is_refused_naming_it(la, tmp_path):
    (tmp_path / "header.csv").write_text("CHILD,SEX,DOB\n1,M,01/01/2010\n")
    with pytest.raises(CommandError, match=r"Last year's return could not be read: header\.csv"):
        call_command("validate_return", "ssda903", "--year", "2026", "--previous", str(tmp_path), stdout=StringIO())


def test_with_several_councils_the_council_must_be_named(la):
    census_child(la)
    make_la(name="Another Council", number="893")
    with pytest.raises(CommandError, match=r"More than one council is loaded: say which with --council \(892, 893\)"):
        call_command("validate_return", "cin", "--year", "2026", stdout=StringIO())
    assert run("cin", "--year", "2026", "--council", "892")[0] == 0
    # A council with no children in need makes no census: the schema wants at least one child.
    status, out = run("cin", "--year", "2026", "--council", "893")
    assert status == 1 and out.startswith("Schema\t-\t-\t")
