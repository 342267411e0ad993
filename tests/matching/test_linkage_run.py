"""The batch run over a council: storing pairs, remembering decisions, the command and the task."""

from __future__ import annotations

import csv
from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from hearth.accounts.roles import Role
from hearth.audit.actor import acting_as
from hearth.matching.models import DuplicateCandidate, LinkageRun
from hearth.matching.selectors import people_for_linkage
from hearth.matching.services import candidate_decide_not_duplicate, linkage_run, linkage_run_start, person_merge
from hearth.matching.tasks import linkage_run_task
from hearth.people.models import PersonName
from tests.factories import make_la, make_person, make_user
from tests.matching.factories import make_address


@pytest.fixture
def council(la):
    """Three children recorded twice each, and a pair of twins."""
    people = {
        "amelia": make_person(la, first_name="Amelia", last_name="Whitfield", date_of_birth=date(2014, 5, 17),
                              external_id="MOSAIC-1"),
        "amelia2": make_person(la, first_name="Amelia", last_name="Whitfeild", date_of_birth=date(2014, 5, 17),
                               external_id="MOSAIC-2"),
        "connor": make_person(la, first_name="Connor", last_name="Bradshaw", date_of_birth=date(2016, 3, 9),
                              sex="M"),
        "connor2": make_person(la, first_name="Connor", last_name="Bradshaw", date_of_birth=date(2016, 9, 3),
                               sex="M"),
        "kate": make_person(la, first_name="Katherine", last_name="Osei", date_of_birth=date(2011, 11, 23)),
        "kate2": make_person(la, first_name="Katie", last_name="Osei", date_of_birth=date(2011, 11, 23)),
        "twin1": make_person(la, first_name="Oliver", last_name="Marsh", date_of_birth=date(2017, 8, 12), sex="M"),
        "twin2": make_person(la, first_name="Jacob", last_name="Marsh", date_of_birth=date(2017, 8, 12), sex="M"),
    }
    for name, postcode in [("amelia", "NG5 1AB"), ("amelia2", "NG5 1AB"), ("connor", "NG7 3CD"),
                           ("connor2", "NG7 3CD"), ("kate", "NG3 4EF"), ("kate2", "NG3 4EF"),
                           ("twin1", "NG8 2QR"), ("twin2", "NG8 2QR")]:
        make_address(people[name], postcode)
    return people


def _pairs(la) -> set[tuple[int, int]]:
    return set(DuplicateCandidate.objects.filter(local_authority=la).values_list("left_id", "right_id"))


def _expected(council) -> set[tuple[int, int]]:
    return {tuple(sorted((council[a].pk, council[b].pk)))
            for a, b in [("amelia", "amelia2"), ("connor", "connor2"), ("kate", "kate2")]}


def test_people_for_linkage_reads_addresses_and_other_names(la, council):
    make_address(council["kate"], "NG1 1AA", moved_out_on=date(2020, 1, 1))
    with acting_as("test"):
        PersonName(local_authority=la, person=council["kate"], kind="previous", last_name="Mensah").save()
    rows = {row["id"]: row for row in people_for_linkage(local_authority=la)}
    kate = rows[council["kate"].pk]
    assert kate["postcode"] == "NG3 4EF" and kate["previous_postcodes"] == ["NG1 1AA"]
    assert kate["other_last_names"] == ["Mensah"]


def test_a_run_stores_the_likely_pairs_lower_id_on_the_left(la, council):
    run = linkage_run(local_authority=la, by="test")
    assert run.status == LinkageRun.Status.FINISHED and run.people_compared == 8 and run.seconds is not None
    assert _pairs(la) == _expected(council)
    assert run.pairs_found == 3
    candidate = DuplicateCandidate.objects.get(left=council["connor"])
    assert candidate.run == run and candidate.match_probability >= 0.9 and candidate.match_weight > 0
    assert candidate.comparison["date_of_birth"]["level"] == "close"
    assert set(candidate.comparison) == {"first_name", "last_name", "date_of_birth", "sex", "postcode",
                                         "nhs_number", "upn", "family", "related"}


def test_not_the_same_person_is_remembered_across_runs(la, team, council):
    manager = make_user(la, Role.TEAM_MANAGER, team)
    linkage_run(local_authority=la, by="test")
    candidate = DuplicateCandidate.objects.get(left=council["kate"])
    candidate_decide_not_duplicate(candidate=candidate, by=manager)

    second = linkage_run(local_authority=la, by="test")

    candidate.refresh_from_db()
    assert candidate.status == DuplicateCandidate.Status.NOT_DUPLICATE and candidate.decided_by == manager
    assert DuplicateCandidate.objects.filter(left=council["kate"]).count() == 1
    assert second.pairs_already_decided == 1 and second.pairs_found == 2
    # Pending pairs are rescored by the new run, not duplicated.
    assert DuplicateCandidate.objects.filter(run=second).count() == 2


def test_merged_records_are_not_compared_again(la, team, council):
    manager = make_user(la, Role.TEAM_MANAGER, team)
    linkage_run(local_authority=la, by="test")
    person_merge(survivor=council["connor"], merged=council["connor2"], by=manager, reason="Same")
    run = linkage_run(local_authority=la, by="test")
    assert run.people_compared == 7
    assert DuplicateCandidate.objects.get(left=council["connor"]).status == DuplicateCandidate.Status.MERGED


def test_councils_are_kept_apart(la, council):
    other = make_la(name="Another Council")
    make_person(other, first_name="Amelia", last_name="Whitfield", date_of_birth=date(2014, 5, 17))
    linkage_run(local_authority=la, by="test")
    run = linkage_run(local_authority=other, by="test")
    assert run.people_compared == 1 and not DuplicateCandidate.objects.filter(local_authority=other).exists()


def test_a_failed_run_says_so_without_personal_data(la, council, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("Amelia Whitfield")

    monkeypatch.setattr("hearth.matching.services.score_people", broken)
    with pytest.raises(RuntimeError):
        linkage_run(local_authority=la, by="test")
    run = LinkageRun.objects.get()
    assert run.status == LinkageRun.Status.FAILED and run.error == "RuntimeError"


def test_find_duplicates_writes_exactly_the_columns(la, council, tmp_path):
    output = tmp_path / "pairs.csv"
    err = StringIO()
    call_command("find_duplicates", "--output", str(output), stderr=err)
    with output.open() as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["person_id_left", "person_id_right", "external_id_left", "external_id_right",
                       "match_probability"]
    body = {(int(r[0]), int(r[1])): r for r in rows[1:]}
    assert set(body) == _expected(council)
    amelia = body[tuple(sorted((council["amelia"].pk, council["amelia2"].pk)))]
    assert {amelia[2], amelia[3]} == {"MOSAIC-1", "MOSAIC-2"} and 0.9 <= float(amelia[4]) <= 1
    assert err.getvalue().startswith("find_duplicates: 8 people, 3 pairs, ")
    assert LinkageRun.objects.get().requested_by_system == "find_duplicates"


def test_find_duplicates_needs_a_council(db, tmp_path):
    with pytest.raises(CommandError, match="No council"):
        call_command("find_duplicates", "--output", str(tmp_path / "x.csv"))


def test_find_duplicates_asks_which_council_when_there_are_several(la, other_la, tmp_path):
    with pytest.raises(CommandError, match="--council"):
        call_command("find_duplicates", "--output", str(tmp_path / "x.csv"))
    call_command("find_duplicates", "--output", str(tmp_path / "x.csv"), "--council", other_la.ons_code,
                 stderr=StringIO())
    assert LinkageRun.objects.get().local_authority == other_la


def test_the_background_task_runs_a_queued_run(la, team, council):
    manager = make_user(la, Role.TEAM_MANAGER, team)
    run = linkage_run_start(local_authority=la, by=manager)
    assert run.status == LinkageRun.Status.QUEUED
    result = linkage_run_task.enqueue(run.pk)
    run.refresh_from_db()
    assert run.status == LinkageRun.Status.FINISHED and run.requested_by == manager
    assert result.return_value == 3
