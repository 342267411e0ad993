"""Bringing people in from another system's CSV export.

Each row is checked on its own: a bad row is rejected with its row number and every reason, and the
good rows are kept. A row whose ``external_id`` is already on Hearth updates that record (an audited
save, one per changed record) instead of making a second one; new people are written in batches
(``bulk_create``, which records their history in bulk), with their address and search keys.

Row numbers are as a spreadsheet shows them: the header is row 1, the first person row 2.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from hearth.audit.actor import acting_as
from hearth.chronology.models import EventType
from hearth.chronology.services import chronology_record
from hearth.search.services import name_keys_rebuild

from .checks import clean_nhs_number, clean_postcode, clean_upn, person_problems
from .codes import Disability, Ethnicity, ImmigrationStatus, UPNUnknown
from .models import Address, Person
from .services import person_update, same_address

ACTOR = "import_people"
REQUIRED_COLUMNS = ("external_id", "first_name", "last_name", "date_of_birth", "sex", "postcode", "nhs_number", "upn")
# Documented in the README ("Importing people").
OPTIONAL_COLUMNS = (
    "middle_names", "preferred_name", "expected_date_of_birth", "date_of_death", "gender_identity", "ethnicity",
    "first_language", "religion", "disabilities", "former_upn", "upn_unknown", "is_uasc", "immigration_status",
    "address_line_1", "address_line_2", "town", "moved_in_on",
)
BATCH = 2000
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_MAX_LENGTH = {
    "external_id": 40, "first_name": 100, "middle_names": 100, "last_name": 100, "preferred_name": 100,
    "gender_identity": 60, "first_language": 60, "religion": 60, "address_line_1": 120, "address_line_2": 120,
    "town": 80,
}
# Code lists as sets, built once: an enum's .values is rebuilt on every call.
_SEXES = frozenset(Person.Sex.values)
_ETHNICITIES = frozenset(Ethnicity.values)
_UPN_UNKNOWN = frozenset(UPNUnknown.values)
_IMMIGRATION = frozenset(ImmigrationStatus.values)
_DISABILITIES = frozenset(Disability.values)
_YES = {"y", "yes", "true", "1"}
_NO = {"n", "no", "false", "0", ""}
# Person fields a re-import may change (the identity columns and the optional ones that map to a field).
_PERSON_FIELDS = (
    "first_name", "middle_names", "last_name", "preferred_name", "date_of_birth", "expected_date_of_birth",
    "date_of_death", "sex", "gender_identity", "ethnicity", "first_language", "religion", "disabilities",
    "nhs_number", "upn", "former_upn", "upn_unknown", "is_uasc", "immigration_status",
)


class ImportFileError(Exception):
    """The file as a whole cannot be read (not a CSV, missing columns): nothing is imported."""


@dataclass
class CleanRow:
    row: int
    external_id: str
    person: dict[str, Any]
    address: dict[str, Any] | None


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[tuple[int, list[str]]] = field(default_factory=list)

    @property
    def summary(self) -> str:
        return (f"created {self.created}, updated {self.updated}, unchanged {self.unchanged}, "
                f"rejected {len(self.rejected)}")


def read_rows(path: Path | str) -> Iterator[tuple[int, dict[str, str]]]:
    """(row number, {column: text}) for each data row; raises ImportFileError if the header is wrong."""
    try:
        handle = open(path, newline="", encoding="utf-8-sig")  # noqa: SIM115 - closed in finally
    except OSError as error:
        raise ImportFileError(f"Cannot open {path}: {error.strerror}") from None
    try:
        reader = csv.reader(handle)
        try:
            header = [h.strip().lower() for h in next(reader)]
        except StopIteration:
            raise ImportFileError("The file is empty: it needs a header row") from None
        except (csv.Error, UnicodeDecodeError) as error:
            raise ImportFileError(f"The file is not a readable UTF-8 CSV: {error}") from None
        check_header(header)
        row_number = 1
        while True:
            row_number += 1
            try:
                values = next(reader)
            except StopIteration:
                return
            except (csv.Error, UnicodeDecodeError) as error:
                yield row_number, {"__error__": f"the line cannot be read as CSV ({error})"}
                continue
            if not any(v.strip() for v in values):
                continue
            if len(values) > len(header):
                yield row_number, {"__error__": f"{len(values)} values for {len(header)} columns"}
                continue
            yield row_number, dict(zip(header, values + [""] * (len(header) - len(values)), strict=True))
    finally:
        handle.close()


def check_header(header: list[str]) -> None:
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise ImportFileError(f"The header is missing column{'s' if len(missing) > 1 else ''}: {', '.join(missing)}")
    unknown = [c for c in header if c not in REQUIRED_COLUMNS and c not in OPTIONAL_COLUMNS]
    if unknown:
        raise ImportFileError(f"Unknown column{'s' if len(unknown) > 1 else ''}: {', '.join(unknown)}. "
                              "See the README's Importing people section for the columns Hearth reads")
    duplicated = sorted({c for c in header if header.count(c) > 1})
    if duplicated:
        raise ImportFileError(f"Column given twice: {', '.join(duplicated)}")


def _iso_date(column: str, text: str, problems: list[str]) -> date | None:
    if not text:
        return None
    if not _ISO_DATE.match(text):
        problems.append(f"{column}: Enter the date as YYYY-MM-DD, like 2015-03-27")
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        problems.append(f"{column}: {text} is not a real date")
        return None


def _choice(column: str, text: str, allowed: frozenset[str], problems: list[str], *, upper: bool = True) -> str:
    value = text.upper() if upper else text.lower()
    if value and value not in allowed:
        problems.append(f"{column}: {text!r} is not one of {', '.join(sorted(allowed))}")
        return ""
    return value


def clean_row(row: int, raw: dict[str, str], *, today: date | None = None) -> CleanRow | list[str]:
    """The row ready to store, or the reasons it cannot be (each as "column: message")."""
    if "__error__" in raw:
        return [raw["__error__"]]
    problems: list[str] = []
    text: dict[str, str] = {}
    for column, value in raw.items():
        value = unicodedata.normalize("NFC", value or "").strip()
        if any(unicodedata.category(ch) in ("Cc", "Cs", "Co", "Cn") for ch in value):
            problems.append(f"{column}: contains a control or unprintable character")
            value = ""
        elif column in _MAX_LENGTH and len(value) > _MAX_LENGTH[column]:
            problems.append(f"{column}: must be {_MAX_LENGTH[column]} characters or fewer")
            value = ""
        text[column] = " ".join(value.split()) if column not in ("nhs_number", "upn", "former_upn") else value

    def get(column: str) -> str:
        return text.get(column, "")

    for column, message in (("external_id", "Enter the record's identifier in the other system"),
                            ("first_name", "Enter the first name"), ("last_name", "Enter the last name")):
        if not get(column) and not any(p.startswith(f"{column}:") for p in problems):
            problems.append(f"{column}: {message}")

    person: dict[str, Any] = {name: get(name) for name in ("first_name", "middle_names", "last_name",
                                                         "preferred_name", "gender_identity", "first_language",
                                                         "religion")}
    person["date_of_birth"] = _iso_date("date_of_birth", get("date_of_birth"), problems)
    person["expected_date_of_birth"] = _iso_date("expected_date_of_birth", get("expected_date_of_birth"), problems)
    person["date_of_death"] = _iso_date("date_of_death", get("date_of_death"), problems)
    if not get("date_of_birth") and not get("expected_date_of_birth"):
        problems.append("date_of_birth: Enter the date of birth as YYYY-MM-DD (or an expected_date_of_birth for "
                        "an unborn child)")
    sex = get("sex").upper()
    if sex not in _SEXES:
        problems.append("sex: Enter M, F or U" + (f", not {get('sex')!r}" if get("sex") else ""))
    person["sex"] = sex if sex in _SEXES else "U"
    for column, clean in (("nhs_number", clean_nhs_number), ("upn", clean_upn), ("former_upn", clean_upn)):
        try:
            person[column] = clean(get(column))
        except ValidationError as error:
            problems.append(f"{column}: {' '.join(error.messages)}")
            person[column] = ""
    person["ethnicity"] = _choice("ethnicity", get("ethnicity"), _ETHNICITIES, problems) or Ethnicity.NOBT
    person["upn_unknown"] = _choice("upn_unknown", get("upn_unknown"), _UPN_UNKNOWN, problems)
    person["immigration_status"] = _choice("immigration_status", get("immigration_status"),
                                           _IMMIGRATION, problems, upper=False)
    codes = [c.strip().upper() for c in re.split(r"[;|]", get("disabilities")) if c.strip()]
    person["disabilities"] = sorted(set(codes))
    if any(c not in _DISABILITIES for c in codes):
        problems.append(f"disabilities: use census codes separated by ';' ({', '.join(Disability.values)})")
        person["disabilities"] = []
    uasc = get("is_uasc").lower()
    if uasc not in _YES | _NO:
        problems.append("is_uasc: Enter yes or no")
    person["is_uasc"] = uasc in _YES

    address: dict[str, Any] | None = None
    try:
        postcode = clean_postcode(get("postcode"))
    except ValidationError as error:
        problems.append(f"postcode: {' '.join(error.messages)}")
        postcode = ""
    moved_in_on = _iso_date("moved_in_on", get("moved_in_on"), problems)
    if postcode or get("address_line_1") or get("town"):
        if not postcode and not any(p.startswith("postcode:") for p in problems):
            problems.append("postcode: Enter the postcode when an address is given")
        address = {"line_1": get("address_line_1"), "line_2": get("address_line_2"), "town": get("town"),
                   "postcode": postcode, "moved_in_on": moved_in_on}

    # The rules that join fields, unless a field they rely on was already refused.
    for column, message in person_problems(person, today=today or timezone.localdate()).items():
        if not any(p.startswith(f"{column}:") for p in problems):
            problems.append(f"{column}: {message}")
    if problems:
        return problems
    return CleanRow(row=row, external_id=get("external_id"), person=person, address=address)


def _address_row(person: Person, address: dict[str, Any]) -> Address:
    return Address(local_authority_id=person.local_authority_id, person=person, line_1=address["line_1"],
                   line_2=address["line_2"], town=address["town"], postcode=address["postcode"],
                   moved_in_on=address["moved_in_on"])


def _create(rows: list[CleanRow], *, local_authority_id: int) -> list[Person]:
    people = [Person(local_authority_id=local_authority_id, external_id=r.external_id, **r.person) for r in rows]
    with transaction.atomic(), acting_as(ACTOR):
        Person.objects.bulk_create(people, batch_size=BATCH)
        Address.objects.bulk_create(
            [_address_row(p, r.address) for p, r in zip(people, rows, strict=True) if r.address], batch_size=BATCH
        )
    return people


def _same_home(home: Address | None, address: dict[str, Any]) -> bool:
    if home is None:
        return False
    if not address["line_1"]:
        # A row that gives only a postcode is the same address if the postcode is.
        return home.postcode == address["postcode"]
    return same_address(home, Address(line_1=address["line_1"], postcode=address["postcode"]))


def _update(person: Person, row: CleanRow, home: Address | None) -> bool:
    """Apply a re-imported row to the record it came from; False when nothing in it changed."""
    changes = {name: row.person[name] for name in _PERSON_FIELDS if getattr(person, name) != row.person[name]}
    moved = row.address is not None and not _same_home(home, row.address)
    if not changes and not moved:
        return False
    with transaction.atomic(), acting_as(ACTOR):
        if changes:
            person_update(person=person, expected_version=person.version, by=ACTOR, **changes)
        if moved and row.address is not None:
            new = _address_row(person, row.address)
            if home is not None:
                if new.moved_in_on is None or (home.moved_in_on and new.moved_in_on <= home.moved_in_on):
                    new.moved_in_on = timezone.localdate()
                home.moved_out_on = max(new.moved_in_on - timedelta(days=1), home.moved_in_on or date.min)
                home.save()
            new.save()
            chronology_record(person=person, event_type=EventType.ADDRESS, occurred=new.moved_in_on or timezone.now(),
                              title=f"Moved to {new}", summary="Recorded by an import from another system",
                              by=ACTOR, source=new)
    return True


def _apply_updates(rows: list[CleanRow], ids: dict[str, int], result: ImportResult) -> None:
    """Re-imported rows: their records and current addresses read in two queries, only changes written."""
    people = Person.objects.in_bulk([ids[r.external_id] for r in rows])
    homes: dict[int, Address] = {}
    for address in Address.objects.filter(person_id__in=list(people), moved_out_on__isnull=True).order_by(
        "moved_in_on", "id"
    ):
        homes[address.person_id] = address
    for row in rows:
        person = people[ids[row.external_id]]
        try:
            changed = _update(person, row, homes.get(person.pk))
        except ValidationError as error:
            reasons = ([f"{k}: {' '.join(v)}" for k, v in error.message_dict.items()]
                       if hasattr(error, "error_dict") else error.messages)
            result.rejected.append((row.row, reasons))
            continue
        if changed:
            result.updated += 1
        else:
            result.unchanged += 1


def import_people(*, rows: Iterable[tuple[int, dict[str, str]]], local_authority_id: int,
                  today: date | None = None) -> ImportResult:
    """Import (row number, raw row) pairs into one council. Never raises for a bad row: it is rejected instead."""
    result = ImportResult()
    existing = dict(
        Person.objects.filter(local_authority_id=local_authority_id).exclude(external_id="")
        .values_list("external_id", "pk")
    )
    # A record merged since the last import is not written through: its source system still holds a
    # duplicate, and updating the survivor from it would overwrite what the merge decided.
    merged_into = dict(
        Person.objects.filter(local_authority_id=local_authority_id, merged_into__isnull=False)
        .exclude(external_id="").values_list("external_id", "merged_into_id")
    )
    seen: dict[str, int] = {}
    new: list[CleanRow] = []
    known: list[CleanRow] = []
    created_ids: list[int] = []

    def flush() -> None:
        if new:
            created_ids.extend(p.pk for p in _create(new, local_authority_id=local_authority_id))
            result.created += len(new)
            new.clear()
        if known:
            _apply_updates(known, existing, result)
            known.clear()

    for row_number, raw in rows:
        cleaned = clean_row(row_number, raw, today=today)
        if isinstance(cleaned, list):
            result.rejected.append((row_number, cleaned))
            continue
        if cleaned.external_id in merged_into:
            survivor_id = merged_into[cleaned.external_id]
            result.rejected.append((row_number, [
                f"external_id: {cleaned.external_id} was merged into Hearth record {survivor_id:07d}; "
                "remove the duplicate from the other system"]))
            continue
        if cleaned.external_id in seen:
            result.rejected.append((row_number, [f"external_id: {cleaned.external_id} is already on row "
                                                 f"{seen[cleaned.external_id]} of this file"]))
            continue
        seen[cleaned.external_id] = row_number
        (known if cleaned.external_id in existing else new).append(cleaned)
        if len(new) >= BATCH or len(known) >= BATCH:
            flush()
    flush()
    result.rejected.sort()
    if created_ids:
        from hearth.tenancy.models import LocalAuthority

        name_keys_rebuild(local_authority=LocalAuthority.objects.get(pk=local_authority_id), people=created_ids)
    return result
