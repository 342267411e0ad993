"""The CSWW census export: XML valid against the 2022 schema, a CSV of the same rows, the command, the audit trail.

The council is the hand-built one of test_measures.py (census at 30 September 2025, its figures worked out there).
"""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from lxml import etree

from hearth.audit.models import ChangeRecord
from hearth.workforce.csww import (
    AUDIT_LABEL,
    CSV_COLUMNS,
    CensusError,
    build_census,
    census_files,
    census_swe,
    census_xml,
    xsd_errors,
)
from tests.factories import make_team, make_user
from tests.workforce.factories import make_appointment
from tests.workforce.test_measures import add_cases, add_sickness, build_council

YEAR = 2025


@pytest.fixture
def council(la):
    return build_council(la)


@pytest.fixture
def with_cases(la, council):
    return add_cases(la, council)


@pytest.fixture
def with_sickness(council):
    return add_sickness(council)


def workers_in(xml: bytes) -> dict[str, dict[str, str]]:
    root = etree.fromstring(xml)
    return {w.findtext("SWENo") or "": {str(child.tag): child.text or "" for child in w}
            for w in root.iter("CSWWWorker")}


def test_swe_numbers_are_padded_to_the_schemas_ten_digits() -> None:
    assert census_swe("SW12345") == "SW0000012345"
    assert census_swe(" sw9001 ") == "SW0000009001"
    assert census_swe("SW1234567890") == "SW1234567890"
    assert census_swe("") is None and census_swe("XX123") is None and census_swe("SW12345678901") is None


def test_the_census_is_valid_xml_with_every_worker_of_the_year(la, with_cases, with_sickness) -> None:
    files = census_files(local_authority=la, year=YEAR)
    assert xsd_errors(files.xml) == []
    root = etree.fromstring(files.xml)
    assert root.findtext("Header/CollectionDetails/Collection") == "CSWW"
    assert root.findtext("Header/CollectionDetails/Year") == "2025"
    assert root.findtext("Header/CollectionDetails/ReferenceDate") == "2025-09-30"
    assert root.findtext("Header/Source/LEA") == la.dfe_la_number
    assert root.findtext("Header/Source/SoftwareCode") == "Hearth"
    # The council's figures at 30 September (test_measures.py): 2.5 FTE vacant, 2.0 agency FTE, 3 agency workers.
    assert [root.findtext(f"LALevelVacancies/{n}") for n in ("NumberOfVacancies", "NoAgencyFTE",
                                                              "NoAgencyHeadcount")] == ["2.50", "2.00", "3"]
    workers = workers_in(files.xml)
    swe = {name: f"SW000000{9000 + n}" for name, n in (
        ("w1", 1), ("w2", 2), ("w3", 3), ("w4", 4), ("w5", 5), ("w6", 6), ("w7", 7), ("w8", 8), ("w10", 10),
        ("w11", 11), ("w12", 12), ("w13", 13), ("a1", 21), ("a2", 22), ("a3", 23))}
    # In the year: 9 in post, 3 leavers (w9 left the day before the year; the family support worker has no CSWW
    # role), 3 agency workers.
    assert set(workers) == set(swe.values())

    w1 = workers[swe["w1"]]
    assert (w1["AgencyWorker"], w1["FTE"], w1["OrgRole"], w1["FTE30"], w1["Cases30"]) == ("0", "1.00", "5", "1.00",
                                                                                            "12")
    assert w1["RoleStartDate"] == "2019-04-01" and w1["WorkingDaysLost"] == "5.00" and w1["Absat30Sept"] == "0"
    assert "RoleEndDate" not in w1 and "ReasonAbsence" not in w1
    assert w1["QualInst"] == ""  # required by the schema, not held by Hearth
    for item in ("PersonBirthDate", "GenderCurrent", "Ethnicity", "QualLevel", "CFKSSstatus"):
        assert item not in w1

    w4 = workers[swe["w4"]]  # last day on the census day: a leaver, with no FTE30
    assert (w4["RoleEndDate"], w4["ReasonLeave"], w4["LeaverDestination"]) == ("2025-09-30", "1", "1")
    assert "FTE30" not in w4 and "Cases30" not in w4 and "Absat30Sept" not in w4

    w7 = workers[swe["w7"]]  # changed FTE in the year: one record, the spell's start, today's FTE
    assert (w7["RoleStartDate"], w7["FTE"], w7["FTE30"]) == ("2019-04-01", "0.70", "0.70")
    w6 = workers[swe["w6"]]
    assert (w6["RoleStartDate"], w6["StartOrigin"]) == ("2024-10-01", "2")
    w10 = workers[swe["w10"]]  # moved out of social work here
    assert (w10["RoleEndDate"], w10["ReasonLeave"]) == ("2025-05-31", "7")
    w12 = workers[swe["w12"]]  # off sick on 30 September (21 Sep - 10 Oct): 7 of the spell's 14 days in the year
    assert (w12["Absat30Sept"], w12["ReasonAbsence"], w12["WorkingDaysLost"]) == ("1", "SIC", "7.00")
    w3 = workers[swe["w3"]]
    assert (w3["WorkingDaysLost"], w3["OrgRole"], w3["Cases30"]) == ("5.00", "3", "0")
    a2 = workers[swe["a2"]]  # agency: no days lost or absence items (the agency's to report)
    assert (a2["AgencyWorker"], a2["FTE30"], a2["Cases30"]) == ("1", "0.50", "0")
    assert "WorkingDaysLost" not in a2 and "Absat30Sept" not in a2
    assert workers[swe["a1"]]["Cases30"] == "15"

    # The census and the measures are one count.
    days = sum(Decimal(w.get("WorkingDaysLost", "0")) for w in workers.values())
    assert days == files.census.measures.days_lost == Decimal("27.00")
    assert sum(Decimal(w["FTE30"]) for w in workers.values() if "FTE30" in w and w["AgencyWorker"] == "0") == \
        files.census.measures.fte_in_post


def test_the_csv_holds_the_same_rows(la, with_cases, with_sickness) -> None:
    files = census_files(local_authority=la, year=YEAR)
    rows = list(csv.DictReader(io.StringIO(files.csv.decode())))
    assert tuple(rows[0]) == CSV_COLUMNS
    from_xml = workers_in(files.xml)
    assert len(rows) == len(from_xml) == 15
    for row in rows:
        xml_row = from_xml[row["SWENo"]]
        assert {k: v for k, v in row.items() if v != ""} == {k: v for k, v in xml_row.items()
                                                              if k in CSV_COLUMNS and v != ""}


def test_a_worker_without_a_registration_number_stops_the_export(la, council) -> None:
    nameless = make_user(la, team=council["team"], social_work_england_number="")
    make_appointment(nameless, starts_on=date(2020, 1, 1))
    with pytest.raises(CensusError, match=rf"1 worker .* no Social Work England number .* ids {nameless.pk}\)"):
        census_files(local_authority=la, year=YEAR)


def test_a_council_with_no_social_workers_has_no_census(la) -> None:
    with pytest.raises(CensusError, match="No one held a social work role"):
        census_files(local_authority=la, year=YEAR)


def test_xml_that_breaks_the_schema_is_refused(la, council) -> None:
    census = build_census(local_authority=la, year=YEAR)
    census.la_number = "89"  # the LEA must be three digits
    assert any("LEA" in e for e in xsd_errors(census_xml(census)))


def test_the_command_writes_both_files_logs_the_export_and_prints_no_one(la, with_cases, with_sickness,
                                                                         tmp_path: Path) -> None:
    analyst = make_user(la, "performance_analyst", username="analyst")
    out = io.StringIO()
    call_command("export_csww", "--year", str(YEAR), "--output", str(tmp_path / "csww"), "--by", "analyst",
                 stdout=out)
    xml, written_csv = tmp_path / "csww" / "csww_2025.xml", tmp_path / "csww" / "csww_2025.csv"
    assert xsd_errors(xml.read_bytes()) == [] and written_csv.exists()
    text = out.getvalue()
    assert "Workers: 15 (12 employed by the council, 3 agency)" in text
    assert "In post at 30 September: 7.50 FTE (9 people)" in text
    assert "turnover 40.0%, agency 21.1%, vacancy 25.0%, caseload 13.2, sickness absence 1.4%" in text
    assert "Not held by Hearth, left out: PersonBirthDate" in text
    # No registration number, name or username on stdout.
    assert "SW0" not in text and "SW9" not in text and "analyst" not in text
    for user in (with_cases["w1"], with_cases["w4"]):
        assert user.last_name not in text and user.social_work_england_number not in text
    logged = ChangeRecord.objects.get(model_label=AUDIT_LABEL, local_authority=la)
    assert logged.by_user == analyst and logged.object_id == "2025"
    assert logged.after["workers"] == 15 and with_cases["w4"].pk in logged.after["worker_ids"]


def test_the_command_refuses_a_year_whose_30_september_is_to_come(la, tmp_path: Path) -> None:
    from django.utils import timezone

    next_year = timezone.localdate().year + 1
    with pytest.raises(CommandError, match=f"30 September {next_year} cannot be written yet"):
        call_command("export_csww", "--year", str(next_year), "--output", str(tmp_path))
    assert not list(tmp_path.iterdir())


def test_the_command_explains_a_census_it_cannot_write(la, tmp_path: Path) -> None:
    make_team(la)
    with pytest.raises(CommandError, match=r"No one held a social work role.* No file was written"):
        call_command("export_csww", "--year", str(YEAR), "--output", str(tmp_path / "out"))
    assert not (tmp_path / "out").exists()
