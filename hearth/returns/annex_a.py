"""Ofsted's Annex A (ILACS) Lists 1 to 11 from the live record, checked against Ofsted's headers and labels.

``build_annex_a`` reads each list in a fixed number of queries whatever the size of the council (no query
per child), and ``annex_a_xlsx`` writes the workbook Ofsted asks for: sheets "List 1" to "List 11", the exact
headers of ``spec/annexA_2024_Jan_columns.csv`` in row 1, real dates, frozen header row.

Hearth's reading of the Annex A guidance (returns.md §C); ``start`` and ``end`` are both in the window and
``end`` is "the point of inspection" (ages, case status and anything "current" are as on ``end``):

* Age: decimal years on ``end``, to one decimal place (Ofsted's sample holds decimal years); List 10's "Age of
  Child (Years)" is whole years, as its sample.
* "In the last 12 months": the 12 months to ``end`` (from the day after the same date a year before).
  "In the last six months" (List 7's protection column): likewise six months.
* Lists 10 and 11 cover "the 12 months before the inspection": the 12 months to ``end``, or the window given
  when that is longer, so a six-month request still gets the year Ofsted asks for.
* List 1: every contact received in the window, one row each. A contact whose child the front door has not
  yet identified has no Child Unique ID and no child details, so the count of contacts stays right.
* List 2: early help episodes whose assessment started or was completed in the window, and those still open
  at ``end`` ("current early help interventions").
* List 3: every referral in the window, one row each. "Number of Referrals in Last 12 Months" is the child's
  other referrals in the 12 months up to this one (the day 12 months before counts), so it is 1 or more
  exactly when the referral is a re-referral.
* List 4: assessments open at any time in the window (started by ``end``, not authorised before ``start``).
  "Requiring LA children's social care support" is No for an outcome of no further action or step-down to
  early help, Yes for any other outcome, and empty until the assessment is authorised.
* List 5: section 47 enquiries open at any time in the window, one row each. The two counts are the child's
  other enquiries, and initial conferences, in the 12 months before this enquiry started.
* List 6: children with a child in need episode open at any time in the window, one row per child (their
  latest episode); a referral closed as no further action is not a child in need. "Date Child Was Last
  Seen" is the latest of the assessment's seen date and visits where the child was seen (child protection
  and children in care visits) within the episode. Case status on ``end``: closed, else looked after, on a
  child protection plan, on a child in need plan, an open assessment, else (an open episode with none of
  these) a child in need plan.
* List 7: children on a child protection plan at any time in the window, one row per child (their latest
  plan). The last statutory visit is the latest visit where the child was seen; previous plans are the
  plan's own count (it includes plans elsewhere when known).
* List 8: children looked after at any time in the window, one row per child (their latest period of care),
  except periods under an agreed series of short breaks (latest legal status V3 or V4). The last IRO
  contact is the latest review the child attended (or was under 4 for): Hearth records no other IRO
  contact. Placement Location and LA of Placement need a postcode-to-council lookup Hearth does not have
  (as the SSDA903's PL_LOCATION and PL_LA): they are left empty. Missing and away counts are episodes from
  care that started in the last 12 months; the return interview columns are about the last missing (M)
  episode among them, and empty when there was none.
* List 9: relevant, former relevant and qualifying care leavers on ``end`` who are receiving support
  (``hearth.care_leavers.status``). Eligible children are still looked after, so they are in List 8.
* List 10: decisions that a child should be placed for adoption still in force at ``end``, or that ended
  (adoption order, or reversal) within the period.
* List 11: prospective adopters in the process at any time within the period
  (``hearth.fostering.selectors.annex_a_list_11_for_council``).
* Allocated Team and Worker: the latest social work allocation that overlapped both the item and the window
  (who held the child during the inspection period), else the team recorded on the episode; List 9's
  personal adviser likewise. Worker names are staff names; children are only ever the pseudonymous Hearth
  ID. Restricted and sealed records are included: Ofsted asks for every child, the lists carry no names,
  and every child in the export is access-logged.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
import zipfile
from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from dateutil.relativedelta import relativedelta
from django.db import connection
from django.db.models import BooleanField, Case, DateField, Exists, OuterRef, Q, Subquery, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.utils import timezone

from hearth.allocations.models import Allocation
from hearth.care.codes import SHORT_BREAKS, InTouch, MissingType
from hearth.care.models import AdoptionPlan, CareLegalStatus, PeriodOfCare, Placement
from hearth.care.selectors import placements_in_year
from hearth.care_leavers.models import (
    CareLeaverAccommodation,
    CareLeaverActivity,
    CareLeaverContact,
    PathwayPlan,
    PathwayPlanReview,
)
from hearth.care_leavers.selectors import care_leaver_statuses
from hearth.care_leavers.status import Status
from hearth.care_plans.models import CarePlan, CareVisit, DentalCheck, HealthAssessment, LookedAfterReview
from hearth.cin.models import Assessment, CINEpisode, CINPlan
from hearth.clocks.working_days import LONDON
from hearth.fostering.models import ProspectiveAdopter
from hearth.fostering.selectors import annex_a_list_11_for_council
from hearth.front_door.models import Contact, EarlyHelpEpisode
from hearth.missing.models import MissingEpisode
from hearth.missing.selectors import interview_outcome
from hearth.people.models import Person
from hearth.protection.models import ChildProtectionConference, ChildProtectionPlan, CPVisit, Section47Enquiry
from hearth.workspace.dates import age_on

from . import annex_a_labels as labels

if TYPE_CHECKING:
    from hearth.tenancy.models import LocalAuthority

SPEC = Path(__file__).resolve().parent / "spec" / "annexA_2024_Jan_columns.csv"
LISTS = tuple(f"List {n}" for n in range(1, 12))
DATE_FORMAT = "DD/MM/YYYY"
AGE_FORMAT = "0.0"

# Assessment outcomes that close the case (the child did not need children's social care support).
NO_SUPPORT_OUTCOMES = frozenset({Assessment.Outcome.NO_FURTHER_ACTION, Assessment.Outcome.EARLY_HELP})
POLICE_OR_EPO = ("L1", "L2")
# Review participation where the child attended (PN1-PN4) or was under 4 (PN0): the IRO saw them.
IRO_SAW_CHILD = frozenset({"PN0", "PN1", "PN2", "PN3", "PN4"})
CARE_LEAVER_STATUSES = frozenset({Status.RELEVANT, Status.FORMER_RELEVANT, Status.QUALIFYING})

Row = dict[str, object]
Progress = Callable[[float, str], None]


def _read_headers() -> dict[str, tuple[str, ...]]:
    columns: dict[str, list[tuple[int, str]]] = defaultdict(list)
    with SPEC.open(encoding="utf-8", newline="") as file:
        for line in csv.DictReader(file):
            columns[line["list"]].append((int(line["position"]), line["column_header"]))
    return {name: tuple(header for _, header in sorted(columns[name])) for name in LISTS}


# Ofsted's headers, character for character, from the spec file.
HEADERS: dict[str, tuple[str, ...]] = _read_headers()


def _labelled() -> dict[tuple[str, str], frozenset[str]]:
    """Every labelled column and the labels it may hold, for the check before export."""
    ethnicity, yes_no = frozenset(labels.ETHNICITY.values()), labels.YES_NO_LABELS
    sets: dict[tuple[str, str], frozenset[str]] = {}
    for name in LISTS[:10]:
        sets[name, "Gender"] = labels.GENDER_LABELS
        sets[name, "Ethnicity"] = ethnicity
    for name in LISTS[3:10]:
        sets[name, "Does the Child have a Disability"] = yes_no

    def columns(name: str, *positions: int, allowed: Iterable[str]) -> None:
        for position in positions:
            sets[name, HEADERS[name][position - 1]] = frozenset(allowed)

    source = labels.SOURCE.values()
    columns("List 1", 7, allowed=source)
    columns("List 3", 7, allowed=source)
    columns("List 3", 8, allowed=yes_no)
    columns("List 4", 8, 10, allowed=yes_no)
    columns("List 5", 8, 10, allowed=yes_no)
    columns("List 6", 8, allowed=labels.NEED.values())
    columns("List 6", 11, allowed=labels.CLOSURE_REASON.values())
    columns("List 6", 12, allowed=labels.CASE_STATUS_LABELS)
    columns("List 7", 8, 9, allowed=labels.CATEGORY_OF_ABUSE.values())
    columns("List 7", 11, 14, allowed=yes_no)
    columns("List 8", 6, 10, 31, 32, allowed=yes_no)
    columns("List 8", 9, allowed=labels.NEED.values())
    columns("List 8", 12, allowed=labels.LEGAL_STATUS.values())
    columns("List 8", 15, allowed=labels.PERMANENCE_PLAN.values())
    columns("List 8", 21, allowed=labels.REASON_CEASED.values())
    columns("List 8", 23, allowed=labels.PLACEMENT_TYPE.values())
    columns("List 8", 24, allowed=labels.PROVIDER.values())
    columns("List 8", 27, allowed=labels.LOCATION_LABELS)
    columns("List 9", 6, allowed=yes_no)
    columns("List 9", 11, allowed=labels.ELIGIBILITY.values())
    columns("List 9", 13, allowed=labels.IN_TOUCH.values())
    columns("List 9", 15, allowed=labels.ACCOMMODATION.values())
    columns("List 9", 16, allowed=labels.SUITABILITY_LABELS)
    columns("List 9", 17, allowed=labels.ACTIVITY.values())
    columns("List 10", 15, allowed=labels.REASON_NO_LONGER_PLACED.values())
    columns("List 11", 3, allowed=labels.GENDER_LABELS)
    columns("List 11", 4, allowed=ethnicity)
    columns("List 11", 5, 6, allowed=yes_no)
    columns("List 11", 19, allowed=labels.LEAVING_ADOPTION.values())
    return sets


LABELLED = _labelled()


@dataclass
class AnnexA:
    local_authority_id: int
    la_code: str
    start: date
    end: date
    # "List 1".."List 11" -> rows keyed by Ofsted's exact headers, in header order.
    lists: dict[str, list[Row]]
    # Every child in Lists 1 to 10: each is access-logged when the workbook is exported.
    person_pks: set[int]
    # What the check before export found (empty: headers and labels are all Ofsted's).
    problems: list[str] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        return {name: len(self.lists.get(name, [])) for name in LISTS}


def build_annex_a(*, local_authority: LocalAuthority, start: date, end: date,
                  progress: Progress | None = None) -> AnnexA:
    """Lists 1 to 11 for the window ``start`` to ``end`` (both days in), with the check before export done."""
    if start > end:
        raise ValueError("The start of the window is after its end")
    builder = _Builder(local_authority, start, end)
    steps: list[tuple[str, Callable[[], list[Row]]]] = [
        ("Contacts", builder.list_1), ("Early help", builder.list_2), ("Referrals", builder.list_3),
        ("Assessments", builder.list_4), ("Section 47 enquiries", builder.list_5),
        ("Children in need", builder.list_6), ("Child protection", builder.list_7),
        ("Children in care", builder.list_8), ("Care leavers", builder.list_9), ("Adoption", builder.list_10),
        ("Adopters", builder.list_11),
    ]
    if progress is not None:
        progress(0.0, "Reading who holds each child")
    builder.load_holders()
    lists: dict[str, list[Row]] = {}
    for n, (title, make) in enumerate(steps):
        if progress is not None:
            progress(n / len(steps), f"List {n + 1}: {title}")
        lists[LISTS[n]] = make()
    if progress is not None:
        progress(1.0, "Checking headers and labels")
    annex = AnnexA(local_authority_id=local_authority.pk, la_code=local_authority.dfe_la_number, start=start,
                   end=end, lists=lists, person_pks=builder.person_pks)
    annex.problems = annex_a_problems(annex)
    return annex


def annex_a_problems(annex: AnnexA) -> list[str]:
    """Headers that are not Ofsted's, and values that are not in the column's label set, in plain words."""
    problems: list[str] = []
    for name in LISTS:
        rows = annex.lists.get(name)
        if rows is None:
            problems.append(f"{name} is missing from the workbook")
            continue
        expected = HEADERS[name]
        for number, row in enumerate(rows, start=2):
            if tuple(row) != expected:
                wrong = sorted(set(row) ^ set(expected)) or ["the order of the columns"]
                problems.append(f"{name}: the columns of row {number} are not Ofsted's headers "
                                f"({'; '.join(wrong)})")
                break
    for (name, header), allowed in LABELLED.items():
        unknown: Counter[str] = Counter()
        first: dict[str, int] = {}
        for number, row in enumerate(annex.lists.get(name, []), start=2):
            value = row.get(header)
            if value is None or value == "" or value in allowed:
                continue
            unknown[str(value)] += 1
            first.setdefault(str(value), number)
        for value, n in sorted(unknown.items()):
            rows_text = "1 row" if n == 1 else f"{n:,} rows"
            problems.append(f"{name}, column '{header}': Hearth has no Ofsted label for the code '{value}' "
                            f"({rows_text}; the first is row {first[value]})")
    return problems


# ------------------------------------------------------------------------------------------------ the workbook


def annex_a_xlsx(annex: AnnexA) -> bytes:
    """The workbook: one sheet per list, Ofsted's headers in row 1 (bold, wrapped, frozen), dates as real
    dd/mm/yyyy dates, ages to one decimal place.

    Written as SpreadsheetML directly rather than cell by cell through openpyxl: a large council's lists are
    over a million cells, which openpyxl takes most of a minute to write and this writes in a few seconds.
    Text goes in the shared strings table, as Excel writes it (labels repeat on every row)."""
    strings: dict[str, int] = {}
    sheets = [_sheet_xml(HEADERS[name], annex.lists.get(name, []), strings) for name in LISTS]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as book:
        book.writestr("[Content_Types].xml", _content_types(len(LISTS)))
        book.writestr("_rels/.rels", _ROOT_RELS)
        book.writestr("xl/workbook.xml", _workbook_xml())
        book.writestr("xl/_rels/workbook.xml.rels", _workbook_rels(len(LISTS)))
        book.writestr("xl/styles.xml", _STYLES)
        book.writestr("xl/sharedStrings.xml", _shared_strings(strings))
        for number, sheet in enumerate(sheets, start=1):
            book.writestr(f"xl/worksheets/sheet{number}.xml", sheet)
    return out.getvalue()


_MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_SHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml"
_XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_ROOT_RELS = (f'{_XML_DECLARATION}<Relationships xmlns="{_PKG_REL_NS}">'
              f'<Relationship Id="rId1" Type="{_REL_NS}/officeDocument" Target="xl/workbook.xml"/></Relationships>')
# Cell styles: 0 plain, 1 date, 2 age (one decimal place), 3 header (bold, wrapped, top-aligned).
_DATE_STYLE, _AGE_STYLE, _HEADER_STYLE = 1, 2, 3
_STYLES = (
    f'{_XML_DECLARATION}<styleSheet xmlns="{_MAIN_NS}">'
    f'<numFmts count="2"><numFmt numFmtId="164" formatCode="{DATE_FORMAT.lower()}"/>'
    f'<numFmt numFmtId="165" formatCode="{AGE_FORMAT}"/></numFmts>'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>'
    '</fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1" applyAlignment="1">'
    '<alignment vertical="top" wrapText="1"/></xf></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>'
)
_EXCEL_EPOCH = date(1899, 12, 30)
# XML 1.0 cannot carry most control characters; a value is text typed by staff, so drop them. A carriage
# return is written as a reference, as a parser would otherwise read it as a line feed.
_XML_TEXT = {**{c: None for c in range(32) if c not in (9, 10, 13)}, ord("&"): "&amp;", ord("<"): "&lt;",
             ord(">"): "&gt;", 13: "&#13;"}
# Spreadsheet readers decode "_x0041_" in text as the character it names, so a literal one is escaped.
_ESCAPE_LIKE = re.compile(r"_(x[0-9A-Fa-f]{4}_)")


def _content_types(sheets: int) -> str:
    parts = "".join(f'<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="{_SHEET_TYPE}.worksheet+xml"/>'
                    for n in range(1, sheets + 1))
    return (f'{_XML_DECLARATION}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{_SHEET_TYPE}.sheet.main+xml"/>'
            f'<Override PartName="/xl/styles.xml" ContentType="{_SHEET_TYPE}.styles+xml"/>'
            f'<Override PartName="/xl/sharedStrings.xml" ContentType="{_SHEET_TYPE}.sharedStrings+xml"/>'
            f"{parts}</Types>")


def _workbook_xml() -> str:
    sheets = "".join(f'<sheet name="{name}" sheetId="{n}" r:id="rId{n}"/>' for n, name in enumerate(LISTS, start=1))
    return (f'{_XML_DECLARATION}<workbook xmlns="{_MAIN_NS}" xmlns:r="{_REL_NS}"><bookViews>'
            f'<workbookView activeTab="0"/></bookViews><sheets>{sheets}</sheets></workbook>')


def _workbook_rels(sheets: int) -> str:
    links = "".join(f'<Relationship Id="rId{n}" Type="{_REL_NS}/worksheet" Target="worksheets/sheet{n}.xml"/>'
                    for n in range(1, sheets + 1))
    return (f'{_XML_DECLARATION}<Relationships xmlns="{_PKG_REL_NS}">{links}'
            f'<Relationship Id="rId{sheets + 1}" Type="{_REL_NS}/styles" Target="styles.xml"/>'
            f'<Relationship Id="rId{sheets + 2}" Type="{_REL_NS}/sharedStrings" Target="sharedStrings.xml"/>'
            "</Relationships>")


def _shared_strings(strings: dict[str, int]) -> str:
    items = []
    for value in strings:  # in the order first met, which is each one's index
        text = _ESCAPE_LIKE.sub(r"_x005F_\1", value).translate(_XML_TEXT)
        space = ' xml:space="preserve"' if value != value.strip() else ""
        items.append(f"<si><t{space}>{text}</t></si>")
    return (f'{_XML_DECLARATION}<sst xmlns="{_MAIN_NS}" count="{len(strings)}" uniqueCount="{len(strings)}">'
            f'{"".join(items)}</sst>')


def _column_letters(n: int) -> list[str]:
    letters = []
    for position in range(1, n + 1):
        name = ""
        while position:
            position, rest = divmod(position - 1, 26)
            name = chr(65 + rest) + name
        letters.append(name)
    return letters


def _sheet_xml(headers: tuple[str, ...], rows: list[Row], strings: dict[str, int]) -> str:
    def string(value: str) -> int:
        index = strings.get(value)
        if index is None:
            index = strings[value] = len(strings)
        return index

    letters = _column_letters(len(headers))
    columns = list(zip(letters, headers, strict=True))
    width_of = [_width(header, rows) for header in headers]
    widths = "".join(f'<col min="{n}" max="{n}" width="{width}" customWidth="1"/>'
                     for n, width in enumerate(width_of, start=1))
    # Tall enough for the longest header, wrapped in its column (Ofsted's headers run to a hundred characters).
    lines = max(math.ceil(len(header) / (width * 1.15)) for header, width in zip(headers, width_of, strict=True))
    parts = [f'{_XML_DECLARATION}<worksheet xmlns="{_MAIN_NS}">'
             '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" '
             'state="frozen"/><selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>'
             f'<sheetFormatPr defaultRowHeight="15"/><cols>{widths}</cols><sheetData>'
             f'<row r="1" ht="{15 * lines + 3}" customHeight="1">',
             *(f'<c r="{letter}1" s="{_HEADER_STYLE}" t="s"><v>{string(header)}</v></c>' for letter, header in columns),
             "</row>"]
    for number, row in enumerate(rows, start=2):
        cells = [f'<row r="{number}">']
        for letter, header in columns:
            value = row.get(header)
            if value is None:
                continue
            ref = f"{letter}{number}"
            if isinstance(value, str):
                if value:
                    cells.append(f'<c r="{ref}" t="s"><v>{string(value)}</v></c>')
            elif isinstance(value, date):
                day = value.date() if isinstance(value, datetime) else value
                cells.append(f'<c r="{ref}" s="{_DATE_STYLE}"><v>{(day - _EXCEL_EPOCH).days}</v></c>')
            elif isinstance(value, bool):
                cells.append(f'<c r="{ref}" t="s"><v>{string(labels.YES if value else labels.NO)}</v></c>')
            elif isinstance(value, int):
                cells.append(f'<c r="{ref}"><v>{value}</v></c>')
            elif isinstance(value, float):
                cells.append(f'<c r="{ref}" s="{_AGE_STYLE}"><v>{value!r}</v></c>')
            else:
                cells.append(f'<c r="{ref}" t="s"><v>{string(str(value))}</v></c>')
        cells.append("</row>")
        parts.append("".join(cells))
    parts.append("</sheetData></worksheet>")
    return "".join(parts)


def _width(header: str, rows: list[Row], sample: int = 200) -> float:
    """Wide enough for the longest value in the first rows and the header's longest word (headers wrap)."""
    longest = max((len(word) for word in header.split()), default=8)
    for row in rows[:sample]:
        value = row.get(header)
        longest = max(longest, 10 if isinstance(value, date) else len(str(value)) if value is not None else 0)
    return float(min(48, max(12, longest + 2)))


# ------------------------------------------------------------------------------------------------ building


class _Child(NamedTuple):
    pk: int
    sex: str
    ethnicity: str
    date_of_birth: date | None
    date_of_death: date | None
    disabled: bool  # a CIN disability code other than NONE
    is_uasc: bool
    uasc_ceased_on: date | None


class _Holder(NamedTuple):
    pk: int
    started_on: date
    ended_on: date | None
    team: str
    worker: str


class _Home(NamedTuple):
    """A placement as ``hearth.care.selectors.placement_stays`` reads it."""

    pk: int
    period_id: int
    placement_type: str
    provider: str
    postcode: str
    urn: str
    started_on: date
    ended_on: date | None
    same_carer_as_previous: bool
    foster_household_id: int | None
    carer_name: str


_CHILD_FIELDS = ("pk", "sex", "ethnicity", "date_of_birth", "date_of_death", "disabled", "is_uasc",
                 "uasc_ceased_on")


def _ids(pks: Collection[int]) -> RawSQL:
    """A set of pks as a subquery with one parameter: a large council's lists hold more children than a query
    may have parameters, and reading them again through each list's own filters would cost far more."""
    data = json.dumps(sorted(pks))
    if connection.vendor == "postgresql":
        return RawSQL("SELECT jsonb_array_elements_text(%s::jsonb)::bigint", (data,))
    return RawSQL("SELECT value FROM json_each(%s)", (data,))


def _label(table: dict[str, str], code: str | None) -> str | None:
    """Ofsted's label; an unknown code passes through so the check before export names it."""
    if not code:
        return None
    return table.get(code, code)


def _yes_no(value: bool | None) -> str | None:
    if value is None:
        return None
    return labels.YES if value else labels.NO


def _latest(values: Iterable[date | None]) -> date | None:
    return max((v for v in values if v is not None), default=None)


def _by_child(rows: Iterable[tuple[Any, ...]]) -> dict[int, list[tuple[Any, ...]]]:
    grouped: dict[int, list[tuple[Any, ...]]] = defaultdict(list)
    for row in rows:
        grouped[row[0]].append(row[1:])
    return grouped


def _year_before(day: date) -> date:
    """The same date a year earlier (29 February -> 28 February), as ``relativedelta(months=12)`` gives it, for
    tens of thousands of rows."""
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


def _named(first: str | None, last: str | None) -> str:
    return f"{first or ''} {last or ''}".strip()


class _Builder:
    """Reads the lists. Each list reads its own rows, then the people in them it has not met in an earlier
    list (one query), then what it needs about those people (a query each, by their pks): a fixed number of
    queries whatever the size of the council. Who held each child during the window is read once."""

    def __init__(self, local_authority: LocalAuthority, start: date, end: date) -> None:
        self.la = local_authority.pk
        self.start, self.end = start, end
        self.year_ago = end - relativedelta(years=1) + timedelta(days=1)  # first day of "the last 12 months"
        self.half_year_ago = end - relativedelta(months=6) + timedelta(days=1)
        self.long_window = min(start, self.year_ago)  # Lists 10 and 11
        self.children: dict[int, _Child] = {}
        self.holders: dict[tuple[str, int], list[_Holder]] = defaultdict(list)
        self.person_pks: set[int] = set()

    # -------------------------------------------------------------------------------------- shared pieces

    def load_holders(self) -> None:
        """Who held each child during the window (the allocated team and worker Ofsted asks about): every
        social work and personal adviser allocation in the council that overlapped it, in one query."""
        rows = (Allocation.objects.filter(local_authority_id=self.la, started_on__lte=self.end,
                                          kind__in=(Allocation.Kind.SOCIAL_WORKER, Allocation.Kind.PERSONAL_ADVISER))
                .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=self.start))
                .values_list("pk", "kind", "child_id", "started_on", "ended_on", "team__name", "worker__first_name",
                             "worker__last_name"))
        for pk, kind, child_id, started_on, ended_on, team, first, last in rows:
            self.holders[kind, child_id].append(_Holder(pk, started_on, ended_on, team or "", _named(first, last)))

    def _need(self, pks: Iterable[int | None]) -> set[int]:
        """Read the people among ``pks`` not read for an earlier list; the pks, without blanks."""
        wanted = {pk for pk in pks if pk is not None}
        missing = wanted - self.children.keys()
        if missing:
            disabled = Case(When(Q(disabilities=[]) | Q(disabilities=["NONE"]), then=Value(False)),
                            default=Value(True), output_field=BooleanField())
            for values in Person.objects.filter(local_authority_id=self.la, pk__in=_ids(missing)).annotate(
                    disabled=disabled).values_list(*_CHILD_FIELDS):
                self.children[values[0]] = _Child(*values)
        return wanted

    def _upto(self, day: date | None) -> date | None:
        """A date as known at ``end``: an event after it has not happened yet."""
        return day if day is not None and day <= self.end else None

    def _holder(self, child_id: int, start: date, end: date,
                kind: str = Allocation.Kind.SOCIAL_WORKER) -> _Holder | None:
        """The latest allocation that overlapped ``start`` to ``end``."""
        overlapping = [h for h in self.holders.get((kind, child_id), ())
                       if h.started_on <= end and (h.ended_on is None or h.ended_on >= start)]
        return max(overlapping, key=lambda h: (h.started_on, h.pk), default=None)

    def _allocated(self, child_id: int, start: date, end: date | None, team: str | None = None,
                   worker: str = "") -> tuple[str | None, str | None]:
        holder = self._holder(child_id, start, min(end or self.end, self.end))
        if holder is not None:
            return holder.team or team or None, holder.worker or worker or None
        return team or None, worker or None

    def _child_cells(self, child_id: int | None) -> list[object]:
        """Child Unique ID, Gender, Ethnicity, Date of Birth, Age (decimal years on ``end``)."""
        child = self.children.get(child_id) if child_id is not None else None
        if child is None:
            return [None, None, None, None, None]
        age = None
        if child.date_of_birth is not None and child.date_of_birth <= self.end:
            age = round((self.end - child.date_of_birth).days / 365.25, 1)
        return [f"{child.pk:07d}", _label(labels.GENDER, child.sex), _label(labels.ETHNICITY, child.ethnicity),
                child.date_of_birth, age]

    def _disabled(self, child_id: int) -> str | None:
        child = self.children.get(child_id)
        return None if child is None else _yes_no(child.disabled)

    def _row(self, name: str, child_id: int | None, values: list[object]) -> Row:
        if child_id is not None and child_id in self.children:
            self.person_pks.add(child_id)
        return dict(zip(HEADERS[name], values, strict=True))

    def _day_range(self, start: date, end: date) -> tuple[datetime, datetime]:
        """London midnight at the start of ``start`` and after ``end``, for timestamps."""
        return (timezone.make_aware(datetime.combine(start, time.min)),
                timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min)))

    def _open_on(self, day: date) -> Q:
        return Q(started_on__lte=day) & (Q(ended_on__isnull=True) | Q(ended_on__gt=day))

    # ------------------------------------------------------------------------------------------ the lists

    def list_1(self) -> list[Row]:
        """Contacts received in the window."""
        since, before = self._day_range(self.start, self.end)
        contacts = list(Contact.objects.filter(local_authority_id=self.la, received_at__gte=since,
                                               received_at__lt=before)
                        .order_by("received_at", "pk").values_list("child_id", "received_at", "source"))
        self._need(child_id for child_id, _, _ in contacts)
        return [self._row("List 1", child_id, [
            *self._child_cells(child_id), received_at.astimezone(LONDON).date(), _label(labels.SOURCE, source),
        ]) for child_id, received_at, source in contacts]

    def list_2(self) -> list[Row]:
        """Early help assessments started or completed in the window, and early help open at ``end``."""
        window = (self.start, self.end)
        episodes = list(EarlyHelpEpisode.objects.filter(local_authority_id=self.la, started_on__lte=self.end)
                        .filter(Q(assessment_started_on__range=window) | Q(assessment_completed_on__range=window)
                                | Q(ended_on__isnull=True) | Q(ended_on__gt=self.end))
                        .order_by("started_on", "pk")
                        .values_list("child_id", "assessment_started_on", "assessment_completed_on",
                                     "assessment_organisation", "lead_team__name"))
        self._need(values[0] for values in episodes)
        return [self._row("List 2", child_id, [
            *self._child_cells(child_id), self._upto(started), self._upto(completed), organisation or team or None,
        ]) for child_id, started, completed, organisation, team in episodes]

    def list_3(self) -> list[Row]:
        """Referrals in the window, with the child's other referrals in the 12 months up to each."""
        referrals = list(CINEpisode.objects.filter(local_authority_id=self.la,
                                                   referral_date__range=(self.start, self.end))
                         .order_by("referral_date", "pk")
                         .values_list("pk", "child_id", "referral_date", "referral_source", "referral_nfa",
                                      "closed_on", "team__name"))
        ids = self._need(values[1] for values in referrals)
        history = _by_child(CINEpisode.objects.filter(
            local_authority_id=self.la, child_id__in=_ids(ids), referral_date__lte=self.end,
            referral_date__gte=self.start - relativedelta(months=12)).values_list("child_id", "referral_date", "pk"))
        rows = []
        for pk, child_id, referred_on, source, nfa, closed_on, team in referrals:
            since = _year_before(referred_on)
            earlier = sum(1 for day, other in history.get(child_id, ())
                          if other != pk and since <= day <= referred_on and (day < referred_on or other < pk))
            closed = self._upto(closed_on)
            rows.append(self._row("List 3", child_id, [
                *self._child_cells(child_id), referred_on, _label(labels.SOURCE, source),
                _yes_no(bool(nfa and closed)), earlier, *self._allocated(child_id, referred_on, closed, team),
            ]))
        return rows

    def list_4(self) -> list[Row]:
        """Assessments open at any time in the window."""
        assessments = list(Assessment.objects.filter(local_authority_id=self.la, started_on__lte=self.end)
                           .filter(Q(authorised_on__isnull=True) | Q(authorised_on__gte=self.start))
                           .order_by("started_on", "pk")
                           .values_list("child_id", "started_on", "child_seen_on", "authorised_on", "outcome",
                                        "worker__first_name", "worker__last_name", "episode__team__name"))
        self._need(values[0] for values in assessments)
        rows = []
        for child_id, started_on, seen_on, authorised_on, outcome, first, last, team in assessments:
            authorised = self._upto(authorised_on)
            support = None if authorised is None or not outcome else outcome not in NO_SUPPORT_OUTCOMES
            rows.append(self._row("List 4", child_id, [
                *self._child_cells(child_id), self._disabled(child_id), started_on,
                _yes_no(self._upto(seen_on) is not None), authorised, _yes_no(support),
                *self._allocated(child_id, started_on, authorised, team, _named(first, last)),
            ]))
        return rows

    def list_5(self) -> list[Row]:
        """Section 47 enquiries open at any time in the window, with the strategy discussion and ICPC."""
        enquiries = list(Section47Enquiry.objects.filter(local_authority_id=self.la, started_on__lte=self.end)
                         .filter(Q(completed_on__isnull=True) | Q(completed_on__gte=self.start))
                         .order_by("started_on", "pk")
                         .values_list("pk", "child_id", "started_on", "completed_on", "icpc_required",
                                      "strategy_discussion__held_on", "episode__team__name"))
        ids = self._need(values[1] for values in enquiries)
        started = _by_child(Section47Enquiry.objects.filter(
            local_authority_id=self.la, child_id__in=_ids(ids), started_on__lte=self.end).values_list(
            "child_id", "started_on", "pk"))
        conferences = list(ChildProtectionConference.objects.filter(
            local_authority_id=self.la, child_id__in=_ids(ids), kind=ChildProtectionConference.Kind.INITIAL,
            held_on__lte=self.end).order_by("held_on", "pk").values_list("child_id", "section47_id", "held_on",
                                                                          "outcome"))
        icpc_of = {s47: (held_on, outcome) for _, s47, held_on, outcome in conferences if s47 is not None}
        icpcs = _by_child((child_id, held_on) for child_id, _, held_on, _ in conferences)
        outcomes = {ChildProtectionConference.Outcome.PLAN: True, ChildProtectionConference.Outcome.NO_PLAN: False}
        rows = []
        for pk, child_id, started_on, completed_on, required, discussed_on, team in enquiries:
            completed = self._upto(completed_on)
            held_on, outcome = icpc_of.get(pk, (None, ""))
            since = _year_before(started_on)
            earlier_s47 = sum(1 for day, other in started.get(child_id, ())
                              if other != pk and since <= day <= started_on and (day < started_on or other < pk))
            earlier_icpc = sum(1 for (day,) in icpcs.get(child_id, ()) if since <= day < started_on)
            unnecessary = None if completed is None or required is None else not required
            rows.append(self._row("List 5", child_id, [
                *self._child_cells(child_id), self._disabled(child_id), discussed_on, _yes_no(unnecessary),
                held_on, _yes_no(outcomes.get(outcome) if held_on else None), earlier_s47, earlier_icpc,
                *self._allocated(child_id, started_on, completed, team),
            ]))
        return rows

    def list_6(self) -> list[Row]:
        """Children in need at any time in the window: each child's latest episode."""
        # The latest day the child was seen within each episode, by the database (a child's whole history of
        # visits would be far more rows than the list).
        until = Coalesce(OuterRef("closed_on"), Value(self.end, output_field=DateField()))
        seen = {
            name: Subquery(model.objects.filter(
                **{"child_id": OuterRef("child_id"), f"{day}__gte": OuterRef("referral_date"), f"{day}__lte": until,
                   **seen_filter}).filter(**{f"{day}__lte": self.end}).order_by(f"-{day}").values(day)[:1])
            for name, model, day, seen_filter in (
                ("assessment_seen", Assessment, "child_seen_on", {}),
                ("cp_visit_seen", CPVisit, "visited_on", {"child_seen": True}),
                ("care_visit_seen", CareVisit, "visited_on", {"seen": True}))
        }
        latest: dict[int, tuple[Any, ...]] = {}
        for values in (CINEpisode.objects.filter(local_authority_id=self.la, referral_date__lte=self.end,
                                                 referral_nfa=False)
                       .filter(Q(closed_on__isnull=True) | Q(closed_on__gte=self.start))
                       .annotate(**seen).order_by("referral_date", "pk")
                       .values_list("child_id", "referral_date", "primary_need", "closed_on", "closure_reason",
                                    "team__name", *seen)):
            latest[values[0]] = values
        ids = _ids(self._need(latest))

        def open_at_end(model: Any) -> set[int]:
            return set(model.objects.filter(self._open_on(self.end), local_authority_id=self.la, child_id__in=ids)
                       .values_list("child_id", flat=True))

        looked_after, on_cp_plan, on_cin_plan = (open_at_end(m) for m in (PeriodOfCare, ChildProtectionPlan, CINPlan))
        assessing = set(Assessment.objects.filter(local_authority_id=self.la, child_id__in=ids,
                                                  started_on__lte=self.end).filter(
            Q(authorised_on__isnull=True) | Q(authorised_on__gt=self.end)).values_list("child_id", flat=True))
        rows = []
        for child_id, referred_on, need, closed_on, reason, team, *seen_on in sorted(
                latest.values(), key=lambda v: (v[1], v[0])):
            closed = self._upto(closed_on)
            if closed is not None:
                status = labels.CLOSED
            elif child_id in looked_after:
                status = labels.LOOKED_AFTER
            elif child_id in on_cp_plan:
                status = labels.CP_PLAN
            elif child_id in on_cin_plan:
                status = labels.CIN_PLAN
            elif child_id in assessing:
                status = labels.OPEN_ASSESSMENT
            else:
                status = labels.CIN_PLAN
            rows.append(self._row("List 6", child_id, [
                *self._child_cells(child_id), self._disabled(child_id), referred_on, _label(labels.NEED, need),
                _latest(seen_on), closed, _label(labels.CLOSURE_REASON, reason) if closed else None, status,
                *self._allocated(child_id, referred_on, closed, team),
            ]))
        return rows

    def list_7(self) -> list[Row]:
        """Children on a child protection plan at any time in the window: each child's latest plan."""
        latest: dict[int, tuple[Any, ...]] = {}
        for values in (ChildProtectionPlan.objects.filter(local_authority_id=self.la, started_on__lte=self.end)
                       .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=self.start))
                       .order_by("started_on", "pk")
                       .values_list("child_id", "pk", "started_on", "initial_category", "latest_category",
                                    "ended_on", "previous_plans", "episode__team__name")):
            latest[values[0]] = values
        ids = _ids(self._need(latest))
        plan_ids = _ids({values[1] for values in latest.values()})
        visits: dict[int, tuple[date, bool]] = {}
        for plan_id, visited_on, alone in CPVisit.objects.filter(
                local_authority_id=self.la, cp_plan_id__in=plan_ids, child_seen=True,
                visited_on__lte=self.end).order_by("visited_on", "pk").values_list(
                "cp_plan_id", "visited_on", "child_seen_alone"):
            visits[plan_id] = (visited_on, alone)
        reviews = dict(ChildProtectionConference.objects.filter(
            local_authority_id=self.la, cp_plan_id__in=plan_ids, kind=ChildProtectionConference.Kind.REVIEW,
            held_on__lte=self.end).order_by("held_on", "pk").values_list("cp_plan_id", "held_on"))
        protected = set(CareLegalStatus.objects.filter(
            local_authority_id=self.la, child_id__in=ids, legal_status__in=POLICE_OR_EPO,
            started_on__lte=self.end).filter(
            Q(ended_on__isnull=True) | Q(ended_on__gte=self.half_year_ago)).values_list("child_id", flat=True))
        rows = []
        for child_id, pk, started_on, initial, latest_category, ended_on, previous, team in sorted(
                latest.values(), key=lambda v: (v[2], v[0])):
            visited_on, alone = visits.get(pk, (None, None))
            ended = self._upto(ended_on)
            rows.append(self._row("List 7", child_id, [
                *self._child_cells(child_id), self._disabled(child_id), started_on,
                _label(labels.CATEGORY_OF_ABUSE, initial), _label(labels.CATEGORY_OF_ABUSE, latest_category),
                visited_on, _yes_no(alone), reviews.get(pk), ended, _yes_no(child_id in protected), previous,
                *self._allocated(child_id, started_on, ended, team),
            ]))
        return rows

    def list_8(self) -> list[Row]:
        """Children looked after at any time in the window: each child's latest period of care."""
        in_window = set(PeriodOfCare.objects.filter(local_authority_id=self.la, started_on__lte=self.end)
                        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=self.start))
                        .values_list("child_id", flat=True))
        ids = _ids(self._need(in_window))
        periods = _by_child(PeriodOfCare.objects.filter(
            local_authority_id=self.la, child_id__in=ids, started_on__lte=self.end).order_by(
            "started_on", "pk").values_list("child_id", "pk", "started_on", "ended_on", "category_of_need",
                                            "reason_ceased", "team__name"))
        statuses: dict[int, tuple[str, date]] = {}
        for period_id, status, started_on in CareLegalStatus.objects.filter(
                local_authority_id=self.la, child_id__in=ids, started_on__lte=self.end).order_by(
                "started_on", "pk").values_list("period_id", "legal_status", "started_on"):
            statuses[period_id] = (status, started_on)
        homes: dict[int, list[_Home]] = defaultdict(list)
        for values in Placement.objects.filter(local_authority_id=self.la, child_id__in=ids,
                                               started_on__lte=self.end).order_by("started_on", "pk").values_list(
                "child_id", "pk", "period_id", "placement_type", "provider", "postcode", "urn", "started_on",
                "ended_on", "same_carer_as_previous", "foster_household_id", "carer_name"):
            homes[values[0]].append(_Home(*values[1:]))
        reviewed: dict[int, date] = {}
        iro_saw: dict[int, date] = {}
        for period_id, held_on, participation in LookedAfterReview.objects.filter(
                local_authority_id=self.la, child_id__in=ids, statutory=True, held_on__lte=self.end).order_by(
                "held_on", "pk").values_list("period_id", "held_on", "participation"):
            reviewed[period_id] = held_on
            if participation in IRO_SAW_CHILD:
                iro_saw[period_id] = held_on
        visited = dict(CareVisit.objects.filter(
            local_authority_id=self.la, child_id__in=ids, seen=True, visited_on__lte=self.end).order_by(
            "visited_on", "pk").values_list("period_id", "visited_on"))
        permanence = dict(CarePlan.objects.filter(
            local_authority_id=self.la, child_id__in=ids, agreed_on__lte=self.end).order_by(
            "number", "pk").values_list("period_id", "permanence_plan"))
        health = dict(HealthAssessment.objects.filter(
            local_authority_id=self.la, child_id__in=ids, done_on__lte=self.end).order_by(
            "done_on", "pk").values_list("child_id", "done_on"))
        dental = dict(DentalCheck.objects.filter(
            local_authority_id=self.la, child_id__in=ids, checked_on__lte=self.end).order_by(
            "checked_on", "pk").values_list("child_id", "checked_on"))
        since, before = self._day_range(self.year_ago, self.end)
        missing: dict[int, Counter[str]] = defaultdict(Counter)
        last_missing: dict[int, MissingEpisode] = {}
        for episode in (MissingEpisode.objects.filter(
                local_authority_id=self.la, child_id__in=ids, from_care=True, started_at__gte=since,
                started_at__lt=before).select_related("interview").only(
                "child_id", "missing_type", "started_at", "ended_at", "interview__offered_at",
                "interview__response", "interview__completed_at").order_by("started_at", "pk")):
            missing[episode.child_id][episode.missing_type] += 1
            if episode.missing_type == MissingType.MISSING:
                last_missing[episode.child_id] = episode
        rows = []
        for child_id, child_periods in sorted(periods.items(), key=lambda item: (item[1][-1][1], item[0])):
            pk, started_on, ended_on, need, reason, team = child_periods[-1]
            status, status_from = statuses.get(pk, ("", None))
            if status in SHORT_BREAKS:
                continue
            child = self.children.get(child_id)
            again = any(other != pk and other_start < started_on and (other_end is None or other_end > self.year_ago)
                        for other, other_start, other_end, *_ in child_periods)
            ceased = self._upto(ended_on)
            child_homes = homes.get(child_id, [])
            home = next((h for h in reversed(child_homes) if h.period_id == pk), None)
            offered, accepted = self._interview(last_missing.get(child_id))
            rows.append(self._row("List 8", child_id, [
                *self._child_cells(child_id),
                _yes_no(child is not None and child.is_uasc
                        and (child.uasc_ceased_on is None or child.uasc_ceased_on >= self.year_ago)),
                self._disabled(child_id), started_on, _label(labels.NEED, need), _yes_no(again), status_from,
                _label(labels.LEGAL_STATUS, status), reviewed.get(pk), visited.get(pk),
                _label(labels.PERMANENCE_PLAN, permanence.get(pk)), iro_saw.get(pk), health.get(child_id),
                dental.get(child_id), placements_in_year(child_homes, self.end), ceased,
                _label(labels.REASON_CEASED, reason) if ceased else None,
                home.started_on if home else None, _label(labels.PLACEMENT_TYPE, home.placement_type if home else None),
                _label(labels.PROVIDER, home.provider if home else None), (home.postcode or None) if home else None,
                (home.urn or None) if home else None,
                None, None,  # Placement Location, LA of Placement: need a postcode directory (see above)
                missing[child_id][MissingType.MISSING], missing[child_id][MissingType.AWAY], offered, accepted,
                *self._allocated(child_id, started_on, ceased, team),
            ]))
        return rows

    @staticmethod
    def _interview(episode: MissingEpisode | None) -> tuple[str | None, str | None]:
        """Offered and accepted (Y/N) for the return interview after the last missing episode; empty while the
        child is still missing or when there was no episode."""
        if episode is None or episode.ended_at is None:
            return None, None
        offered, accepted = interview_outcome(getattr(episode, "interview", None))
        if offered is None:  # no interview recorded: none was offered
            return labels.NO, labels.NO
        return _yes_no(offered), _yes_no(accepted)

    def list_9(self) -> list[Row]:
        """Relevant, former relevant and qualifying care leavers on ``end``, receiving support."""
        candidates = list(Person.objects.filter(
            local_authority_id=self.la, merged_into__isnull=True,
            date_of_birth__gt=self.end - relativedelta(years=25), date_of_birth__lte=self.end - relativedelta(years=16),
        ).filter(Exists(PeriodOfCare.objects.filter(child_id=OuterRef("pk"), started_on__lte=self.end)))
            .values_list("pk", flat=True))
        self._need(candidates)
        statuses = care_leaver_statuses(people=[self.children[pk] for pk in candidates], local_authority_id=self.la,
                                        on=self.end)
        leavers = [(pk, result.status) for pk, result in statuses.items()
                   if result.status in CARE_LEAVER_STATUSES and result.receiving_support]
        ids = _ids({pk for pk, _ in leavers})
        reviewed = _by_child(PathwayPlanReview.objects.filter(
            local_authority_id=self.la, child_id__in=ids, held_on__lte=self.end).values_list("child_id", "held_on"))
        for child_id, plans in _by_child(PathwayPlan.objects.filter(
                local_authority_id=self.la, child_id__in=ids, started_on__lte=self.end).values_list(
                "child_id", "started_on")).items():
            reviewed[child_id].extend(plans)  # a plan's start is its first review
        in_touch: dict[int, str] = {}
        contacted: dict[int, date] = {}
        for child_id, contacted_on, code in CareLeaverContact.objects.filter(
                local_authority_id=self.la, child_id__in=ids, contacted_on__lte=self.end).order_by(
                "contacted_on", "pk").values_list("child_id", "contacted_on", "in_touch"):
            in_touch[child_id] = code
            if code == InTouch.YES:
                contacted[child_id] = contacted_on
        living: dict[int, tuple[str, bool]] = {}
        for child_id, letter, suitable in CareLeaverAccommodation.objects.filter(
                local_authority_id=self.la, child_id__in=ids, started_on__lte=self.end).order_by(
                "started_on", "pk").values_list("child_id", "accommodation", "suitable"):
            living[child_id] = (letter, suitable)
        doing = dict(CareLeaverActivity.objects.filter(
            local_authority_id=self.la, child_id__in=ids, started_on__lte=self.end).order_by(
            "started_on", "pk").values_list("child_id", "activity"))
        rows = []
        for pk, status in sorted(leavers):
            child = self.children[pk]
            adult = child.date_of_birth is not None and age_on(child.date_of_birth, self.end) >= 18
            uasc = child.is_uasc and (adult or child.uasc_ceased_on is None or child.uasc_ceased_on > self.end)
            adviser = self._holder(pk, self.start, self.end, Allocation.Kind.PERSONAL_ADVISER)
            letter, suitable = living.get(pk, ("", None))
            activity = doing.get(pk)
            rows.append(self._row("List 9", pk, [
                *self._child_cells(pk), _yes_no(uasc), self._disabled(pk), *self._allocated(pk, self.start, None),
                adviser.worker or None if adviser else None, _label(labels.ELIGIBILITY, status),
                _latest(day for (day,) in reviewed.get(pk, ())), _label(labels.IN_TOUCH, in_touch.get(pk)),
                contacted.get(pk), _label(labels.ACCOMMODATION, letter),
                None if suitable is None else labels.SUITABLE if suitable else labels.UNSUITABLE,
                None if activity in labels.ACTIVITY_UNLABELLED else _label(labels.ACTIVITY, activity),
            ]))
        return rows

    def list_10(self) -> list[Row]:
        """Decisions to place for adoption in force at ``end`` or ended in the period (Lists 10-11's year)."""
        since = self.long_window
        plans = list(AdoptionPlan.objects.filter(local_authority_id=self.la, decided_on__lte=self.end)
                     .filter(Q(adoption_order_on__isnull=True) | Q(adoption_order_on__gte=since))
                     .filter(Q(reversed_on__isnull=True) | Q(reversed_on__gte=since))
                     .order_by("decided_on", "pk")
                     .values_list("child_id", "period__started_on", "decided_on", "placement_order_on", "matched_on",
                                  "placed_on", "adoption_order_on", "reversed_on", "reversal_reason",
                                  "fostering_for_adoption_on"))
        ids = _ids(self._need(values[0] for values in plans))
        # The family the child is matched or placed with (its reference is List 11's family identifier).
        families = dict(ProspectiveAdopter.objects.filter(local_authority_id=self.la, child_id__in=ids).order_by(
            "matched_on", "placed_on", "pk").values_list("child_id", "reference"))
        rows = []
        for child_id, entered, decided, order, matched, placed, adopted, reversed_on, reason, ffa in plans:
            cells = self._child_cells(child_id)
            child = self.children.get(child_id)
            born = child.date_of_birth if child is not None else None
            reversed_by_end = self._upto(reversed_on)
            rows.append(self._row("List 10", child_id, [
                cells[0], families.get(child_id), *cells[1:4],
                age_on(born, self.end) if born is not None and born <= self.end else None,
                self._disabled(child_id), entered, decided, self._upto(order), self._upto(matched),
                self._upto(placed), self._upto(adopted), reversed_by_end,
                _label(labels.REASON_NO_LONGER_PLACED, reason) if reversed_by_end else None, self._upto(ffa),
            ]))
        return rows

    def list_11(self) -> list[Row]:
        """Prospective adopters in the process at any time in the period."""
        return annex_a_list_11_for_council(local_authority=self.la, since=self.long_window, until=self.end)
