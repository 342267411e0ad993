"""manage.py import_people: good rows kept, bad rows rejected with their row number and reason, re-imports update."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hearth.audit.models import ChangeRecord
from hearth.people.importing import REQUIRED_COLUMNS, clean_row, import_people
from hearth.people.models import Address, Person
from hearth.search.models import NameKey
from tests.factories import make_la

HEADER = list(REQUIRED_COLUMNS)


def write_csv(path: Path, rows: list[dict[str, str]], header: list[str] | None = None) -> Path:
    columns = header or HEADER + sorted({k for r in rows for k in r} - set(HEADER))
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        for row in rows:
            writer.writerow({c: row.get(c, "") for c in columns})
    return path


def person_row(external_id: str, **extra: str) -> dict[str, str]:
    row = {"external_id": external_id, "first_name": "Jordan", "last_name": "Whitfield",
           "date_of_birth": "2015-03-27", "sex": "F", "postcode": "ng2 3ng", "nhs_number": "", "upn": ""}
    row.update(extra)
    return row


def run(path: Path, *args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_people", str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_good_rows_are_kept_and_bad_ones_reported_by_row(la, tmp_path):
    path = write_csv(tmp_path / "people.csv", [
        person_row("A1", nhs_number="943 476 5919", upn="X801200000001", middle_names="Rose",
                   address_line_1="12 Acacia Road", town="Nottingham", ethnicity="wbri", disabilities="AUT;COMM"),
        person_row("A2", nhs_number="9434765918"),
        person_row("A3", date_of_birth="27/03/2015"),
        person_row("A4", sex="X", upn="B801200000001"),
        person_row("A5", first_name="Kai", date_of_birth="", postcode=""),
        person_row("A1", first_name="Again"),
        person_row("A6", first_name="Sam", postcode="", nhs_number=""),
    ])
    out, err = run(path)
    lines = err.strip().splitlines()
    assert lines[0].startswith("row 3: nhs_number: Enter a real NHS number")
    assert lines[1] == "row 4: date_of_birth: Enter the date as YYYY-MM-DD, like 2015-03-27"
    assert lines[2].startswith("row 5: sex: Enter M, F or U, not 'X'; upn: Enter a real UPN")
    assert lines[3].startswith("row 6: date_of_birth: Enter the date of birth as YYYY-MM-DD")
    assert lines[4] == "row 7: external_id: A1 is already on row 2 of this file"
    assert out.strip().endswith("created 2, updated 0, unchanged 0, rejected 5")
    jordan = Person.objects.get(external_id="A1")
    assert (jordan.nhs_number, jordan.upn, jordan.middle_names, jordan.ethnicity, jordan.disabilities) == (
        "9434765919", "X801200000001", "Rose", "WBRI", ["AUT", "COMM"])
    address = Address.objects.get(person=jordan)
    assert (address.line_1, address.town, address.postcode) == ("12 Acacia Road", "Nottingham", "NG2 3NG")
    assert NameKey.objects.filter(person=jordan, key="rose").exists()
    assert ChangeRecord.objects.filter(model_label="people.Person", object_id=str(jordan.pk),
                                       by_system="import_people").exists()


def test_reimporting_updates_rather_than_duplicates(la, tmp_path):
    run(write_csv(tmp_path / "one.csv", [person_row("A1"), person_row("A2", first_name="Kai", sex="M")]))
    out, err = run(write_csv(tmp_path / "two.csv", [
        person_row("A1", last_name="Whitfield-Jones", postcode="NG7 1AA"),
        person_row("A2", first_name="Kai", sex="M"),
        person_row("A3", first_name="New"),
    ]))
    assert err == ""
    assert out.strip().endswith("created 1, updated 1, unchanged 1, rejected 0")
    assert Person.objects.count() == 3
    jordan = Person.objects.get(external_id="A1")
    assert jordan.last_name == "Whitfield-Jones" and jordan.version == 2
    assert jordan.other_names.get().last_name == "Whitfield"  # the old name is still searchable
    addresses = list(Address.objects.filter(person=jordan).order_by("id"))
    assert [a.postcode for a in addresses] == ["NG2 3NG", "NG7 1AA"] and addresses[0].moved_out_on is not None
    update = ChangeRecord.objects.filter(model_label="people.Person", object_id=str(jordan.pk), action="update").get()
    assert update.by_system == "import_people" and update.after["last_name"] == "Whitfield-Jones"


def test_a_file_without_the_required_columns_imports_nothing(la, tmp_path):
    path = write_csv(tmp_path / "bad.csv", [{"external_id": "A1", "first_name": "Jo"}],
                     header=["external_id", "first_name"])
    with pytest.raises(CommandError, match="missing columns: last_name, date_of_birth, sex, postcode"):
        run(path)
    with pytest.raises(CommandError, match="Unknown column: favourite_colour"):
        run(write_csv(tmp_path / "odd.csv", [person_row("A1")], header=[*HEADER, "favourite_colour"]))
    assert not Person.objects.exists()


def test_the_council_is_chosen_by_ons_code_when_there_are_several(la, tmp_path):
    other = make_la(name="Another Council", ons_code="E08000025")
    path = write_csv(tmp_path / "people.csv", [person_row("A1")])
    with pytest.raises(CommandError, match="--council"):
        run(path)
    run(path, "--council", "e08000025")
    assert Person.objects.get().local_authority == other


def test_an_unborn_child_imports_with_an_expected_date(la, tmp_path):
    due = date.today().replace(day=1).isoformat()
    _, err = run(write_csv(tmp_path / "unborn.csv", [
        person_row("U1", date_of_birth="", sex="U", expected_date_of_birth=due),
        person_row("U2", date_of_birth="", sex="F", expected_date_of_birth=due),
    ]))
    assert "row 3: sex: An unborn child's sex is recorded as 'Not known'" in err
    assert Person.objects.get(external_id="U1").is_unborn


# Each column gets anything: plausible values, junk, control characters, very long text.
_junk = st.one_of(st.text(max_size=30), st.text(alphabet="0123456789 -/", max_size=14),
                  st.sampled_from(["", "2015-03-27", "2015-02-30", "M", "f", "u", "943 476 5919", "9434765918",
                                   "X801200000001", "NG2 3NG", "ng23ng", "\x00", "a" * 200, "NONE;AUT", "yes"]))
_row = st.fixed_dictionaries({c: _junk for c in (*REQUIRED_COLUMNS, "expected_date_of_birth", "disabilities",
                                                  "upn_unknown", "former_upn", "is_uasc", "address_line_1")})


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(row=_row)
def test_any_row_is_either_clean_or_rejected_with_a_reason(row):
    result = clean_row(2, row)
    if isinstance(result, list):
        assert result and all(":" in reason for reason in result)
    else:
        assert result.person["first_name"] and result.external_id
        assert result.person["sex"] in {"M", "F", "U"}


@pytest.mark.django_db
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(_row, min_size=1, max_size=4))
def test_any_file_imports_each_row_or_rejects_it_and_never_crashes(la, rows):
    before = Person.objects.count()
    numbered = list(enumerate(rows, start=2))
    result = import_people(rows=numbered, local_authority_id=la.pk)
    assert result.created + result.updated + result.unchanged + len(result.rejected) == len(rows)
    assert Person.objects.count() == before + result.created
    assert all(reasons for _, reasons in result.rejected)


def test_a_row_for_a_record_merged_since_the_last_import_is_refused_not_written_over_the_survivor(la, tmp_path):
    from hearth.audit.actor import acting_as

    run(write_csv(tmp_path / "one.csv", [person_row("A1"), person_row("B7", first_name="Jordann")]))
    survivor, merged = Person.objects.get(external_id="A1"), Person.objects.get(external_id="B7")
    with acting_as("test"):
        merged.merged_into = survivor
        merged.save()
    out, err = run(write_csv(tmp_path / "two.csv", [person_row("B7", first_name="Jordann", preferred_name="Jo")]))
    assert out.strip().endswith("created 0, updated 0, unchanged 0, rejected 1")
    assert f"B7 was merged into Hearth record {survivor.pk:07d}" in err
    survivor.refresh_from_db()
    assert survivor.first_name == "Jordan" and survivor.preferred_name == ""
