"""The children's social work workforce census (CSWW) as DfE's XML, with a CSV of the same rows to check by hand.

The census is for the year 1 October to 30 September (returns.md §D): one ``CSWWWorker`` for every worker in a
social work role (CSWW OrgRole 1-6) at any time in those twelve months, the council's own and agency workers,
and the council-level vacancy and agency figures at 30 September. Who counts, and every figure, comes from
``hearth.workforce.measures`` (the same records the measures page and the indicators count), so the return and
the published-style rates agree by construction. The file follows the 2022 schema copy in ``spec/`` (see its
NOTICE.md) and is checked against it before anything is written.

Each worker's record, read from their appointments:

* ``AgencyWorker``, ``FTE``, ``OrgRole``: from their latest appointment in the year (the one in post at 30
  September, else the last to end).
* ``RoleStartDate`` and ``StartOrigin``: the start of that appointment's spell (see measures: a change of FTE,
  role or post is not a new start) and the origin recorded on its first appointment.
* ``RoleEndDate``, ``LeaverDestination``, ``ReasonLeave``: for a worker not in post at 30 September, from the
  appointment that ended their time here in the year.
* ``FTE30`` and ``Cases30``: for a worker in post at 30 September (0 cases written as 0, as DfE asks).
* ``WorkingDaysLost``: the council's own workers only (agency workers' absence is their agency's), the sickness
  days counted in the year by the measures' rule, 0.00 when none.
* ``Absat30Sept`` and ``ReasonAbsence``: for the council's own workers in post at 30 September, whether a spell of
  absence of any kind covered that day, and its reason.

Not held by Hearth, so left out (the schema allows it): ``PersonBirthDate``, ``GenderCurrent``, ``Ethnicity``,
``QualLevel``, ``StepUpGrad``, ``ContractWeeks``, ``FrontlineGrad``, ``CFKSSstatus``. ``QualInst`` (where the
worker qualified) is not held either, but the 2022 schema requires at least one, so it is written empty.

**SWENo.** The 2022 schema copy requires two letters and exactly ten digits (``[A-Za-z]{2}\\d{10}``); a Social
Work England registration number is ``SW`` and up to about six digits today (Hearth accepts ``SW`` and 1-8
digits, as SSDA903 ``SW_ID`` rule SW02 does). DfE's CSWW guide could not be consulted here (it was not among
the documents available), and nothing available says that COLLECT pads the number. Hearth writes ``SW`` and
the digits padded with zeros on the left to ten (``SW12345`` becomes ``SW0000012345``): the number's value, and
so the worker's identity from year to year, is unchanged, the file passes the schema, and the padding is one
function (``census_swe``) to change if the guide says otherwise. **Check this against the current DfE guide
before a first submission.** A worker in scope with no registration number recorded, or one Hearth cannot
read, stops the export with a message naming how many (and their staff record ids, never names): the schema
has no way to leave it out.
"""

# ruff: noqa: RUF001  (multiplication signs and en dashes are the right typography beside a figure)

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from lxml import etree

from hearth.audit.actor import as_actor
from hearth.audit.models import ChangeRecord
from hearth.workspace.downloads import spreadsheet_cell

from .measures import (
    CENTS,
    Held,
    WorkforceCensus,
    WorkforceMeasures,
    census_date,
    read_appointments,
    workforce_census,
)

if TYPE_CHECKING:
    from hearth.tenancy.models import LocalAuthority

SCHEMA = Path(__file__).resolve().parent / "spec" / "social_work_workforce_2022.xsd"
SCHEMA_NAME = SCHEMA.name
SOFTWARE_CODE = "Hearth"
SWE_DIGITS = 10
_SWE = re.compile(r"^SW(\d{1,10})$")
# The worker items of the 2022 schema Hearth does not hold: left out (QualInst is written empty, see above).
NOT_HELD = ("PersonBirthDate", "GenderCurrent", "Ethnicity", "QualInst", "QualLevel", "StepUpGrad", "ContractWeeks",
            "FrontlineGrad", "CFKSSstatus")
CSV_COLUMNS = ("AgencyWorker", "SWENo", "FTE", "OrgRole", "RoleStartDate", "StartOrigin", "RoleEndDate",
               "LeaverDestination", "ReasonLeave", "FTE30", "Cases30", "WorkingDaysLost", "Absat30Sept",
               "ReasonAbsence")
# How the export appears in the audit trail: there is no model for it (staff are not ``Person`` records, so the
# access log does not fit); a ChangeRecord names who exported whose HR record, and when.
AUDIT_LABEL = "workforce.CensusExport"


class CensusError(ValueError):
    """The census cannot be written; the message says why, in words for a council's data manager."""


def census_swe(number: str) -> str | None:
    """The registration number as the census writes it (``SW`` + ten digits); None when it cannot be read."""
    found = _SWE.match(number.strip().upper())
    return f"SW{found.group(1).zfill(SWE_DIGITS)}" if found else None


@dataclass
class CensusWorker:
    """One ``CSWWWorker``. ``worker_id`` is for the audit trail only: it is never written to the files."""

    worker_id: int
    agency: bool
    swe: str
    fte: Decimal
    org_role: str
    role_start: date
    start_origin: str = ""
    role_end: date | None = None
    leaver_destination: str = ""
    reason_leave: str = ""
    fte30: Decimal | None = None
    cases30: int | None = None
    days_lost: Decimal | None = None
    absent30: bool | None = None
    absence_reason: str = ""

    def items(self) -> list[tuple[str, str]]:
        """The worker's items in the schema's order, those with a value (QualInst always, empty)."""
        values: list[tuple[str, Any]] = [
            ("AgencyWorker", "1" if self.agency else "0"), ("SWENo", self.swe), ("FTE", self.fte),
            ("QualInst", ""), ("OrgRole", self.org_role), ("RoleStartDate", self.role_start),
            ("StartOrigin", self.start_origin), ("RoleEndDate", self.role_end),
            ("LeaverDestination", self.leaver_destination), ("ReasonLeave", self.reason_leave),
            ("FTE30", self.fte30), ("Cases30", self.cases30),
            ("WorkingDaysLost", None if self.days_lost is None else self.days_lost.quantize(CENTS)),
            ("Absat30Sept", None if self.absent30 is None else "1" if self.absent30 else "0"),
            ("ReasonAbsence", self.absence_reason),
        ]
        return [(name, _text(value)) for name, value in values
                if name == "QualInst" or (value is not None and value != "")]


def _text(value: object) -> str:
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


@dataclass
class CensusReturn:
    year: int
    reference_date: date
    la_number: str
    made_at: datetime
    measures: WorkforceMeasures
    workers: list[CensusWorker]
    missing_swe: list[int] = field(default_factory=list)  # staff record ids with no readable number

    @property
    def employed(self) -> int:
        return sum(1 for w in self.workers if not w.agency)


def _latest(rows: list[Held], census: WorkforceCensus) -> tuple[Held, bool]:
    """The worker's appointment the census describes, and whether it is in post on the census day."""
    in_post = {h.pk for h in census.on_the_day}
    for h in rows:
        if h.pk in in_post:
            return h, True
    return max(rows, key=lambda h: (h.ends_on or census.last, h.starts_on, h.pk)), False


def build_census(*, local_authority: LocalAuthority, year: int) -> CensusReturn:
    """Every worker in a social work role in the year to 30 September ``year``, and the council's figures. About
    seven queries whatever the council's size."""
    from hearth.accounts.models import User

    from .models import Absence

    last = census_date(year)
    first = date(year - 1, 10, 1)
    held = read_appointments(local_authority.pk, first=None, last=last)
    census = workforce_census(local_authority_id=local_authority.pk, first=first, last=last, held=held)
    measures = WorkforceMeasures.of(census)
    by_pk = {h.pk: h for h in held}
    in_year: dict[int, list[Held]] = defaultdict(list)
    for h in held:
        if h.starts_on <= last and (h.ends_on is None or h.ends_on >= first):
            in_year[h.worker_id].append(h)
    numbers = dict(User.objects.filter(local_authority_id=local_authority.pk, pk__in=sorted(in_year))
                   .values_list("pk", "social_work_england_number"))
    absent = {worker_id: reason for worker_id, reason in (
        Absence.objects.filter(local_authority_id=local_authority.pk, worker_id__in=sorted(in_year),
                               starts_on__lte=last).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=last))
        .order_by("starts_on", "pk").values_list("worker_id", "reason"))}
    sick: dict[int, Decimal] = defaultdict(Decimal)
    for spell in census.sickness:
        sick[spell.worker_id] += spell.counted
    cases = census.cases
    workers: list[CensusWorker] = []
    missing: list[int] = []
    for worker_id, rows in sorted(in_year.items()):
        swe = census_swe(numbers.get(worker_id) or "")
        if swe is None:
            missing.append(worker_id)
            continue
        latest, on_the_day = _latest(rows, census)
        start = census.spells.spell_start(latest, by_pk)
        row = CensusWorker(worker_id=worker_id, agency=latest.agency, swe=swe, fte=latest.fte,
                           org_role=latest.org_role, role_start=start.starts_on, start_origin=start.start_origin)
        if on_the_day:
            row.fte30, row.cases30 = latest.fte, cases.get(worker_id, 0)
            if not latest.agency:
                row.absent30 = worker_id in absent
                row.absence_reason = absent.get(worker_id, "")
        else:
            row.role_end = latest.ends_on
            row.leaver_destination, row.reason_leave = latest.leaver_destination, latest.reason_leave
        if not latest.agency:
            row.days_lost = sick.get(worker_id, Decimal("0"))
        workers.append(row)
    workers.sort(key=lambda w: (w.agency, w.swe))
    return CensusReturn(year=year, reference_date=last, la_number=local_authority.dfe_la_number,
                        made_at=timezone.now(), measures=measures, workers=workers, missing_swe=missing)


def check_census(census: CensusReturn) -> None:
    """Refuse a census that cannot be written: CensusError."""
    if census.missing_swe:
        ids = ", ".join(str(pk) for pk in census.missing_swe[:20])
        more = "" if len(census.missing_swe) <= 20 else f" and {len(census.missing_swe) - 20} more"
        raise CensusError(
            f"{len(census.missing_swe)} worker{'s' if len(census.missing_swe) != 1 else ''} in a social work role "
            f"in the year {'have' if len(census.missing_swe) != 1 else 'has'} no Social Work England number "
            f"Hearth can read (staff record ids {ids}{more}). Record it as SW and the digits on their staff "
            f"record, then export again.")
    if not census.workers:
        raise CensusError(f"No one held a social work role in the year to {census.reference_date:%-d %B %Y}: "
                          "there is no census to write.")


def census_xml(census: CensusReturn) -> bytes:
    """The census as the 2022 schema's XML (UTF-8, with a declaration)."""
    root = etree.Element("Message")
    header = etree.SubElement(root, "Header")
    details = etree.SubElement(header, "CollectionDetails")
    _sub(details, "Collection", "CSWW")
    _sub(details, "Year", str(census.year))
    _sub(details, "ReferenceDate", census.reference_date.isoformat())
    source = etree.SubElement(header, "Source")
    _sub(source, "SourceLevel", "L")
    _sub(source, "LEA", census.la_number)
    _sub(source, "SoftwareCode", SOFTWARE_CODE)
    _sub(source, "DateTime", census.made_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"))
    vacancies = etree.SubElement(root, "LALevelVacancies")
    m = census.measures
    _sub(vacancies, "NumberOfVacancies", str(m.vacancies_fte.quantize(CENTS)))
    _sub(vacancies, "NoAgencyFTE", str(m.agency_fte.quantize(CENTS)))
    _sub(vacancies, "NoAgencyHeadcount", str(m.agency_headcount))
    for worker in census.workers:
        element = etree.SubElement(root, "CSWWWorker")
        for name, value in worker.items():
            _sub(element, name, value)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _sub(parent: etree._Element, name: str, text: str) -> None:
    etree.SubElement(parent, name).text = text


_schema: etree.XMLSchema | None = None


def xsd_errors(xml: bytes) -> list[str]:
    """Where ``xml`` breaks the 2022 schema ("line 12: ..."); [] when it is valid."""
    global _schema
    if _schema is None:
        _schema = etree.XMLSchema(etree.parse(str(SCHEMA)))
    document = etree.fromstring(xml)
    if _schema.validate(document):
        return []
    return [f"line {e.line}: {e.message}" for e in _schema.error_log]


def census_csv(census: CensusReturn) -> bytes:
    """The workers' rows as CSV, the same items as the XML (a spreadsheet opens it safely)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for worker in census.workers:
        items = dict(worker.items())
        writer.writerow([spreadsheet_cell(items.get(column, "")) for column in CSV_COLUMNS])
    return out.getvalue().encode("utf-8")


def file_names(year: int) -> tuple[str, str]:
    return f"csww_{year}.xml", f"csww_{year}.csv"


@dataclass
class CensusFiles:
    census: CensusReturn
    xml: bytes
    csv: bytes

    @property
    def names(self) -> tuple[str, str]:
        return file_names(self.census.year)


def census_files(*, local_authority: LocalAuthority, year: int) -> CensusFiles:
    """The census built, checked and written out (XML valid against the schema, and its CSV); CensusError when
    it cannot be. Writes nothing anywhere: the caller saves or sends the files and logs the export."""
    census = build_census(local_authority=local_authority, year=year)
    check_census(census)
    xml = census_xml(census)
    errors = xsd_errors(xml)
    if errors:
        shown = "; ".join(errors[:5])
        raise CensusError(f"The census does not match the CSWW 2022 schema ({len(errors)} problems), so it was not "
                          f"written. The first: {shown}")
    return CensusFiles(census, xml, census_csv(census))


def csww_export_log(*, local_authority: LocalAuthority, census: CensusReturn, by: Any, where: str) -> ChangeRecord:
    """Record in the audit trail that the census, personal HR data of every worker in it, was exported: who,
    when, which year, whose records (staff ids) and where to. One row, in one transaction."""
    actor = as_actor(by)
    with transaction.atomic():
        record = ChangeRecord(
            local_authority_id=local_authority.pk, model_label=AUDIT_LABEL, object_id=str(census.year),
            action=ChangeRecord.Action.CREATE, by_user_id=actor.user_id, by_system=actor.system, version=0,
            before={}, after={"census_date": census.reference_date.isoformat(), "workers": len(census.workers),
                              "worker_ids": sorted(w.worker_id for w in census.workers), "to": where})
        record.save()
    return record


def summary_lines(census: CensusReturn) -> list[str]:
    """The census in figures only, never a person: for the command's output and the page."""
    m = census.measures

    def pct(value: float | None) -> str:
        return "–" if value is None else f"{value:.1f}%"

    caseload = "–" if m.caseload_average is None else f"{m.caseload_average:.1f}"
    return [
        f"Workers: {len(census.workers)} ({census.employed} employed by the council, "
        f"{len(census.workers) - census.employed} agency) in a social work role in the year to "
        f"{census.reference_date.day} {census.reference_date:%B %Y}",
        f"In post at 30 September: {m.fte_in_post} FTE ({m.headcount_in_post} people); starters "
        f"{m.starters_fte} FTE, leavers {m.leavers_fte} FTE",
        f"Vacancies {m.vacancies_fte.quantize(CENTS)} FTE; agency {m.agency_fte.quantize(CENTS)} FTE "
        f"({m.agency_headcount} people), {m.agency_covering_vacancies_fte} FTE of it covering vacancies",
        f"Rates: turnover {pct(m.turnover_rate)}, agency {pct(m.agency_rate)}, vacancy {pct(m.vacancy_rate)}, "
        f"caseload {caseload}, sickness absence {pct(m.absence_rate)}",
        "Not held by Hearth, left out: " + ", ".join(n for n in NOT_HELD if n != "QualInst")
        + "; QualInst written empty (the schema requires it)",
    ]


def write_files(files: CensusFiles, folder: Path) -> tuple[Path, Path]:
    """Both files into ``folder`` (made if it does not exist)."""
    folder.mkdir(parents=True, exist_ok=True)
    xml_name, csv_name = files.names
    xml_path, csv_path = folder / xml_name, folder / csv_name
    xml_path.write_bytes(files.xml)
    csv_path.write_bytes(files.csv)
    return xml_path, csv_path
