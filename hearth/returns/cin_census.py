"""The CIN census from the live record, as DfE's XML (returns.md B), and back again.

``build_cin`` reads a council's referrals and everything in them in a fixed number of queries and
keeps what the census year holds:

- Children: everyone with a referral (CIN episode) open at any time in the year, whatever the record's
  access level (the census is the council's statutory return; the export logs an access per child).
  Merged-away records are left out: their history moved to the surviving record.
- What happened after the reference date (31 March) is not in that year's census: a referral closed
  after it is open at the reference date, so it has no closure date or reason; likewise plan end dates,
  an authorisation after 31 March (the assessment is still open, so no factors) and a child born after it
  (still unborn: expected date of birth and Sex U).
- Assessments, CIN plans, S47 enquiries and CP plans are those open at some time in the year: one that
  finished before 1 April (an assessment authorised, a plan ended, an enquiry whose conference or "no
  conference needed" outcome came) belonged to an earlier census.
- An initial conference is recorded once (rule 2884): inside the Section47 it followed, or, when it
  followed no enquiry in the census (a transfer-in conference), as the referral's DateOfInitialCPC, and
  only when it was held in the year (8715).
- CP plan reviews: every review conference of the plan up to the reference date, so DfE can time each.
- InitialCPCtarget: 15 working days from the strategy discussion that started the enquiry (the ``icpc``
  clock), left out once the enquiry found no conference was needed.
- Retired factors 18A and 19A stay in the census, so validation queries them (8945Q, 8950Q) with a link
  to the assessment, but the file never carries them.
- The record's own values otherwise, so the validator (``validate_cin``) sees and reports what the
  data owner must put right: no disability recorded stays empty (rule 8540 asks for one, NONE when
  the child has none) rather than being guessed as NONE.

``cin_xml`` writes the census in the schema's element order; ``xsd_errors`` checks a file against the
year's schema; ``read_cin_xml`` reads a census file back, from Hearth or elsewhere.
"""

from __future__ import annotations

import bisect
import re
import tomllib
from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.db.models import Q
from django.utils import timezone
from lxml import etree

from hearth.cin.models import Assessment, CINEpisode, CINPlan
from hearth.clocks.models import holiday_set
from hearth.clocks.registry import due
from hearth.protection.models import ChildProtectionConference, ChildProtectionPlan, Section47Enquiry
from hearth.returns.cin_model import (
    CinAssessment,
    CinCensus,
    CinChild,
    CinChildProtectionPlan,
    CinDetails,
    CinPlanDates,
    CinSection47,
)
from hearth.returns.rules.base import SPEC_DIR
from hearth.returns.years import CIN_YEARS, collection_period, year_title

if TYPE_CHECKING:
    from hearth.tenancy.models import LocalAuthority

Progress = Callable[[float, str], None]

SOFTWARE_CODE = "Hearth"
SERIAL_NO = "001"
# DfE replaced these with 18B/18C and 19B/19C (returns.md B.2): the file never carries them.
RETIRED_FACTORS = frozenset({"18A", "19A"})
_CONFERENCE = ChildProtectionConference.Kind
_sub = etree.SubElement


@cache
def release() -> str:
    """Hearth's version, the census header's Release."""
    try:
        with (Path(__file__).resolve().parents[2] / "pyproject.toml").open("rb") as handle:
            return str(tomllib.load(handle)["project"]["version"])
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        return "unknown"


# ------------------------------------------------------------------------------------------------ build


def _in_year(day: date | None, start: date, end: date) -> bool:
    return day is not None and start <= day <= end


def _by_ref(day: date | None, end: date) -> date | None:
    """``day`` if it happened by the reference date, else None (it is not in this census)."""
    return day if day is not None and day <= end else None


def _ran_in_year(started: date | None, finished: date | None, start: date, end: date) -> bool:
    """Open at some time in the year: started by its end and not finished before it began."""
    return started is not None and started <= end and (finished is None or finished >= start)


def build_cin(*, local_authority: LocalAuthority, year: int, progress: Progress | None = None) -> CinCensus:
    """The census for the collection year ending 31 March ``year``, from the live record."""
    start, end = collection_period(year)

    def report(done: float, stage: str) -> None:
        if progress is not None:
            progress(done, stage)

    report(0.0, "Reading referrals")
    la = local_authority.pk
    episodes = list(CINEpisode.objects.filter(
        Q(closed_on__isnull=True) | Q(closed_on__gte=start),
        local_authority_id=la, referral_date__lte=end, child__merged_into__isnull=True,
    ).order_by("child_id", "referral_date", "pk").values_list(
        "pk", "child_id", "referral_date", "referral_source", "primary_need", "referral_nfa", "closed_on",
        "closure_reason", "child__sex", "child__ethnicity", "child__upn", "child__former_upn",
        "child__upn_unknown", "child__date_of_birth", "child__expected_date_of_birth", "child__date_of_death",
        "child__disabilities",
    ))
    in_census = {row[0] for row in episodes}

    # Each module is read once for the whole council by its own dates, then kept when its referral is in the
    # census: cheaper at scale than joining every module back to the referrals.
    report(0.2, "Reading assessments and plans")
    assessments = _grouped(in_census, Assessment.objects.filter(
        Q(authorised_on__isnull=True) | Q(authorised_on__gte=start), local_authority_id=la, started_on__lte=end,
    ).order_by("started_on", "pk").values_list("episode_id", "pk", "started_on", "status", "authorised_on",
                                                "factors"))
    cin_plans = _grouped(in_census, CINPlan.objects.filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=start), local_authority_id=la, started_on__lte=end,
    ).order_by("started_on", "pk").values_list("episode_id", "pk", "started_on", "ended_on"))

    report(0.4, "Reading child protection")
    # An enquiry's year depends on its conference, so every enquiry started by the reference date is read.
    enquiries = _grouped(in_census, Section47Enquiry.objects.filter(local_authority_id=la, started_on__lte=end)
                         .order_by("started_on", "pk")
                         .values_list("episode_id", "pk", "started_on", "completed_on", "icpc_required",
                                      "strategy_discussion__held_on"))
    cp_plans = _grouped(in_census, ChildProtectionPlan.objects.filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=start), local_authority_id=la, started_on__lte=end,
    ).order_by("started_on", "pk").values_list("episode_id", "pk", "started_on", "ended_on", "initial_category",
                                                "latest_category", "previous_plans"))
    # Every review of a plan in the census, however long ago the plan began.
    conferences = _grouped(in_census, ChildProtectionConference.objects.filter(
        local_authority_id=la, held_on__lte=end,
    ).order_by("held_on", "pk").values_list("episode_id", "pk", "kind", "section47_id", "cp_plan_id", "held_on"))
    holidays = holiday_set()

    report(0.6, "Building the census")
    children: dict[int, CinChild] = {}
    for (pk, child_id, referral_date, source, need, nfa, closed_on, reason, sex, ethnicity, upn, former_upn,
         upn_unknown, born, expected, died, disabilities) in episodes:
        child = children.get(child_id)
        if child is None:
            child = children[child_id] = _child(
                child_id, end=end, sex=sex, ethnicity=ethnicity, upn=upn, former_upn=former_upn,
                upn_unknown=upn_unknown, born=born, expected=expected, died=died, disabilities=disabilities)
        closed = _by_ref(closed_on, end)
        details = CinDetails(
            referral_date=referral_date, referral_source=source, primary_need=need, closure_date=closed,
            reason_for_closure=reason if closed else "", referral_nfa=bool(nfa and closed), source_pk=pk)
        # Most referrals hold little: only what is there is looked at.
        if pk in assessments or pk in cin_plans:
            _s17(details, start=start, end=end, assessments=assessments.get(pk, ()), cin_plans=cin_plans.get(pk, ()))
        if pk in enquiries or pk in cp_plans or pk in conferences:
            _protection(details, start=start, end=end, holidays=holidays, enquiries=enquiries.get(pk, ()),
                        cp_plans=cp_plans.get(pk, ()), conferences=conferences.get(pk, ()))
        child.details.append(details)

    report(1.0, "Census built")
    return CinCensus(year=year, la_code=local_authority.dfe_la_number, reference_date=end,
                     generated_at=timezone.now().replace(microsecond=0), software_code=SOFTWARE_CODE,
                     release=release(), serial_no=SERIAL_NO, children=list(children.values()))


def _grouped(episodes: set[int], rows: Iterable[tuple[Any, ...]]) -> dict[int, list[tuple[Any, ...]]]:
    """Rows keyed by their first value (the episode), in query order; only the census's episodes."""
    out: dict[int, list[tuple[Any, ...]]] = defaultdict(list)
    for row in rows:
        if row[0] in episodes:
            out[row[0]].append(row[1:])
    return out


def _child(pk: int, *, end: date, sex: str, ethnicity: str, upn: str, former_upn: str, upn_unknown: str,
           born: date | None, expected: date | None, died: date | None, disabilities: Any) -> CinChild:
    # A child born after the reference date was unborn on it.
    unborn = (born is None and expected is not None) or (born is not None and born > end)
    return CinChild(
        la_child_id=f"{pk:07d}",
        sex="U" if unborn else sex,  # rule 8750: an unborn child's sex is U
        ethnicity=ethnicity, upn=upn, former_upn=former_upn, upn_unknown="" if upn else upn_unknown,
        birth_date=None if unborn else born,
        expected_birth_date=(expected or born) if unborn else None,
        death_date=_by_ref(died, end),
        disabilities=[str(code) for code in disabilities] if isinstance(disabilities, list) else [],
        person_pk=pk,
    )


def _s17(details: CinDetails, *, start: date, end: date, assessments: Iterable[tuple[Any, ...]],
         cin_plans: Iterable[tuple[Any, ...]]) -> None:
    """The referral's assessments and CIN plans that belong to this census year."""
    for pk, started, status, authorised_on, factors in assessments:
        completed = authorised_on if status == Assessment.Status.AUTHORISED else None
        if not _ran_in_year(started, completed, start, end):
            continue
        done = _by_ref(completed, end)
        details.assessments.append(CinAssessment(
            actual_start=started, authorised=done,
            # Factors are identified at the end of an assessment (8614).
            factors=[str(f) for f in factors] if done and isinstance(factors, list) else [], source_pk=pk))

    for pk, started, ended in cin_plans:
        if _ran_in_year(started, ended, start, end):
            details.cin_plans.append(CinPlanDates(start=started, end=_by_ref(ended, end), source_pk=pk))


def _protection(details: CinDetails, *, start: date, end: date, holidays: frozenset[date],
                enquiries: Iterable[tuple[Any, ...]], cp_plans: Iterable[tuple[Any, ...]],
                conferences: Iterable[tuple[Any, ...]]) -> None:
    """The referral's S47 enquiries, conferences and CP plans that belong to this census year."""
    initial_by_s47: dict[int, tuple[int, date]] = {}
    reviews: dict[int, list[date]] = defaultdict(list)
    unattached: list[tuple[int, date]] = []
    for pk, kind, section47_id, cp_plan_id, held in conferences:
        if kind == _CONFERENCE.REVIEW:
            if cp_plan_id is not None:
                reviews[cp_plan_id].append(held)
        elif kind == _CONFERENCE.INITIAL and section47_id is not None:
            initial_by_s47.setdefault(section47_id, (pk, held))  # the first is the initial conference
        else:
            unattached.append((pk, held))

    used: set[int] = set()
    for pk, started, completed, icpc_required, discussed in enquiries:
        icpc = initial_by_s47.get(pk)
        if icpc is not None:
            finished: date | None = icpc[1]
        elif icpc_required is False:
            finished = _by_ref(completed, end)
        else:
            finished = None  # awaiting its conference (or its outcome) at the reference date
        if not _ran_in_year(started, finished, start, end):
            continue
        not_required = icpc is None and icpc_required is False and finished is not None
        target = None
        if discussed is not None and not not_required:
            # Working Together: 15 working days from the strategy discussion that started the enquiry.
            target = due("icpc", discussed, holidays=holidays)
        if icpc is not None:
            used.add(icpc[0])
        details.section47s.append(CinSection47(
            actual_start=started, initial_cpc_target=target if isinstance(target, date) else None,
            date_of_initial_cpc=icpc[1] if icpc else None, icpc_not_required=not_required, source_pk=pk))

    plan_starts: set[date] = set()
    for pk, started, ended, initial, latest, previous in cp_plans:
        if not _ran_in_year(started, ended, start, end):
            continue
        plan_starts.add(started)
        details.cp_plans.append(CinChildProtectionPlan(
            start=started, end=_by_ref(ended, end), initial_category=initial, latest_category=latest,
            number_of_previous=previous, review_dates=list(reviews.get(pk, [])), source_pk=pk))

    # An initial conference that followed no enquiry here (a transfer in): at the referral's level, once.
    # An initial conference of an enquiry finished before the year is not this census's either.
    candidates = [held for pk, held in unattached if pk not in used and _in_year(held, start, end)]
    if candidates:
        details.date_of_initial_cpc = next((held for held in reversed(candidates) if held in plan_starts),
                                           candidates[-1])


# ------------------------------------------------------------------------------------------------ XML


def _d(day: date) -> str:
    return day.isoformat()


def _yes_no(value: bool) -> str:
    return "1" if value else "0"


def _add(parent: etree._Element, tag: str, value: str | date | None) -> None:
    """A child element, only when there is something to say; dates in ISO form."""
    if value:
        _sub(parent, tag).text = value.isoformat() if isinstance(value, date) else value


def cin_xml(census: CinCensus) -> bytes:
    """The census as DfE's XML: UTF-8, elements in the schema's order, ISO dates, yes/no as 1/0."""
    message = etree.Element("Message")
    header = etree.SubElement(message, "Header")
    collection = etree.SubElement(header, "CollectionDetails")
    _add(collection, "Collection", "CIN")
    _add(collection, "Year", str(census.year))
    _add(collection, "ReferenceDate", _d(census.reference_date))
    source = etree.SubElement(header, "Source")
    _add(source, "SourceLevel", "L")
    etree.SubElement(source, "LEA").text = census.la_code
    _add(source, "SoftwareCode", census.software_code)
    _add(source, "Release", census.release)
    _add(source, "SerialNo", census.serial_no)
    _add(source, "DateTime", census.generated_at.replace(microsecond=0).isoformat())

    children = etree.SubElement(message, "Children")
    for child in census.children:
        node = etree.SubElement(children, "Child")
        ids = etree.SubElement(node, "ChildIdentifiers")
        etree.SubElement(ids, "LAchildID").text = child.la_child_id
        _add(ids, "UPN", child.upn)
        _add(ids, "FormerUPN", child.former_upn)
        _add(ids, "UPNunknown", child.upn_unknown)
        _add(ids, "PersonBirthDate", child.birth_date)
        _add(ids, "ExpectedPersonBirthDate", child.expected_birth_date)
        etree.SubElement(ids, "Sex").text = child.sex
        _add(ids, "PersonDeathDate", child.death_date)
        characteristics = etree.SubElement(node, "ChildCharacteristics")
        etree.SubElement(characteristics, "Ethnicity").text = child.ethnicity
        if child.disabilities:
            disabilities = etree.SubElement(characteristics, "Disabilities")
            for code in child.disabilities:
                etree.SubElement(disabilities, "Disability").text = code
        for details in child.details:
            _details_xml(etree.SubElement(node, "CINdetails"), details)
    return etree.tostring(message, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _details_xml(node: etree._Element, details: CinDetails) -> None:
    _add(node, "CINreferralDate", details.referral_date)
    _add(node, "ReferralSource", details.referral_source)
    _add(node, "PrimaryNeedCode", details.primary_need)
    _add(node, "CINclosureDate", details.closure_date)
    _add(node, "ReasonForClosure", details.reason_for_closure)
    _add(node, "DateOfInitialCPC", details.date_of_initial_cpc)
    for assessment in details.assessments:
        a = etree.SubElement(node, "Assessments")
        _add(a, "AssessmentActualStartDate", assessment.actual_start)
        _add(a, "AssessmentInternalReviewDate", assessment.internal_review)
        _add(a, "AssessmentAuthorisationDate", assessment.authorised)
        factors = [f for f in assessment.factors if f not in RETIRED_FACTORS]
        if factors:
            found = etree.SubElement(a, "FactorsIdentifiedAtAssessment")
            for factor in factors:
                etree.SubElement(found, "AssessmentFactors").text = factor
    for plan in details.cin_plans:
        p = etree.SubElement(node, "CINPlanDates")
        _add(p, "CINPlanStartDate", plan.start)
        _add(p, "CINPlanEndDate", plan.end)
    for enquiry in details.section47s:
        s = etree.SubElement(node, "Section47")
        _add(s, "S47ActualStartDate", enquiry.actual_start)
        _add(s, "InitialCPCtarget", enquiry.initial_cpc_target)
        _add(s, "DateOfInitialCPC", enquiry.date_of_initial_cpc)
        etree.SubElement(s, "ICPCnotRequired").text = _yes_no(enquiry.icpc_not_required)
    if details.referral_nfa is not None:  # left out rather than guessed, so the schema check reports it
        etree.SubElement(node, "ReferralNFA").text = _yes_no(details.referral_nfa)
    for cp in details.cp_plans:
        c = etree.SubElement(node, "ChildProtectionPlans")
        _add(c, "CPPstartDate", cp.start)
        _add(c, "CPPendDate", cp.end)
        _add(c, "InitialCategoryOfAbuse", cp.initial_category)
        _add(c, "LatestCategoryOfAbuse", cp.latest_category)
        _add(c, "NumberOfPreviousCPP", None if cp.number_of_previous is None else str(cp.number_of_previous))
        if cp.review_dates:
            reviews = etree.SubElement(c, "Reviews")
            for day in cp.review_dates:
                etree.SubElement(reviews, "CPPreviewDate").text = _d(day) if day else ""


# ------------------------------------------------------------------------------------------------ schema


def _parser() -> etree.XMLParser:
    # A file from elsewhere: no entities, no DTDs, no network (XXE).
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, remove_blank_text=True)


def schema_path(year: int) -> Path:
    return SPEC_DIR / f"CIN_schema_{year}.xsd"


@cache
def _schema(year: int) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(schema_path(year)), _parser()))


_VALUE = re.compile(r"The value '[^']*'")
_ATOMIC = re.compile(r"^(Element '[^']+'): '[^']*' is not")


def _quiet(message: str) -> str:
    """The schema's message without the value it quotes (a date of birth, a UPN)."""
    return _ATOMIC.sub(r"\1: the value is not", _VALUE.sub("The value", message))


def xsd_errors(xml: bytes, *, year: int) -> list[str]:
    """What in ``xml`` breaks DfE's CIN schema for census year ``year`` (empty: valid).

    Each message names the line and, inside a child, the LAchildID, never a value from the record.
    """
    if year not in CIN_YEARS:
        raise ValueError(f"No CIN census schema for {year_title(year)}: Hearth has "
                         + ", ".join(year_title(y) for y in CIN_YEARS))
    try:
        document = etree.fromstring(xml, _parser())
    except etree.XMLSyntaxError as error:
        return [f"The file is not well-formed XML: {error.msg}"]
    schema = _schema(year)
    if schema.validate(document):
        return []
    starts: list[int] = []
    ids: list[str] = []
    for child in document.iterfind("Children/Child"):
        starts.append(child.sourceline or 0)
        ids.append(child.findtext("ChildIdentifiers/LAchildID") or "?")
    out = []
    for entry in schema.error_log:
        where = f"line {entry.line}"
        at = bisect.bisect_right(starts, entry.line) - 1
        if at >= 0:
            where += f", child {ids[at]}"
        out.append(f"{where}: {_quiet(entry.message)}")
    return out


# ------------------------------------------------------------------------------------------------ read


def _date(node: etree._Element, path: str) -> date | None:
    text = (node.findtext(path) or "").strip()
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def _text(node: etree._Element, path: str) -> str:
    return (node.findtext(path) or "").strip()


def _flag(node: etree._Element, path: str) -> bool:
    return _text(node, path).lower() in ("1", "true")


def _yes_no_or_none(node: etree._Element, path: str) -> bool | None:
    """A yes/no item that must be there: None when it is missing or not 0/1 (true/false), for the rules."""
    return {"1": True, "true": True, "0": False, "false": False}.get(_text(node, path).lower())


def read_cin_xml(data: bytes) -> CinCensus:
    """A census file (Hearth's or another system's) as ``CinCensus``. Items that are missing or not a
    real date come back as None or "", for the rules to report; a file that is not a census is refused."""
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as error:
        raise ValueError(f"The file is not well-formed XML: {error.msg}") from error
    if root.tag != "Message" or root.find("Children") is None:
        raise ValueError("This is not a CIN census file: it has no Message with Children")
    reference = _date(root, "Header/CollectionDetails/ReferenceDate")
    year_text = _text(root, "Header/CollectionDetails/Year")
    year = int(year_text) if year_text.isdigit() else (reference.year if reference else None)
    if year is None:
        raise ValueError("This CIN census file gives neither its Year nor its ReferenceDate")
    source = root.find("Header/Source")
    stamp = _text(root, "Header/Source/DateTime")
    try:
        generated = datetime.fromisoformat(stamp) if stamp else datetime(year, 3, 31)
    except ValueError:
        generated = datetime(year, 3, 31)
    census = CinCensus(
        year=year, la_code=_text(source, "LEA") if source is not None else "",
        # A missing reference date is reported by rule 100, not guessed.
        reference_date=reference or date.min, generated_at=generated,
        software_code=_text(source, "SoftwareCode") if source is not None else "",
        release=_text(source, "Release") if source is not None else "",
        serial_no=_text(source, "SerialNo") if source is not None else "",
    )
    for node in root.iterfind("Children/Child"):
        census.children.append(_read_child(node))
    return census


def _read_child(node: etree._Element) -> CinChild:
    ids = "ChildIdentifiers/"
    child = CinChild(
        la_child_id=_text(node, ids + "LAchildID"), sex=_text(node, ids + "Sex"),
        ethnicity=_text(node, "ChildCharacteristics/Ethnicity"), upn=_text(node, ids + "UPN"),
        former_upn=_text(node, ids + "FormerUPN"), upn_unknown=_text(node, ids + "UPNunknown"),
        birth_date=_date(node, ids + "PersonBirthDate"),
        expected_birth_date=_date(node, ids + "ExpectedPersonBirthDate"),
        death_date=_date(node, ids + "PersonDeathDate"),
        disabilities=[(d.text or "").strip()
                      for d in node.iterfind("ChildCharacteristics/Disabilities/Disability")],
    )
    for d in node.iterfind("CINdetails"):
        details = CinDetails(
            referral_date=_date(d, "CINreferralDate"), referral_source=_text(d, "ReferralSource"),
            primary_need=_text(d, "PrimaryNeedCode"), closure_date=_date(d, "CINclosureDate"),
            reason_for_closure=_text(d, "ReasonForClosure"), date_of_initial_cpc=_date(d, "DateOfInitialCPC"),
            referral_nfa=_yes_no_or_none(d, "ReferralNFA"),
        )
        for a in d.iterfind("Assessments"):
            details.assessments.append(CinAssessment(
                actual_start=_date(a, "AssessmentActualStartDate"),
                internal_review=_date(a, "AssessmentInternalReviewDate"),
                authorised=_date(a, "AssessmentAuthorisationDate"),
                factors=[(f.text or "").strip()
                         for f in a.iterfind("FactorsIdentifiedAtAssessment/AssessmentFactors")]))
        for p in d.iterfind("CINPlanDates"):
            details.cin_plans.append(CinPlanDates(start=_date(p, "CINPlanStartDate"), end=_date(p, "CINPlanEndDate")))
        for s in d.iterfind("Section47"):
            details.section47s.append(CinSection47(
                actual_start=_date(s, "S47ActualStartDate"), initial_cpc_target=_date(s, "InitialCPCtarget"),
                date_of_initial_cpc=_date(s, "DateOfInitialCPC"), icpc_not_required=_flag(s, "ICPCnotRequired")))
        for c in d.iterfind("ChildProtectionPlans"):
            number = _text(c, "NumberOfPreviousCPP")
            details.cp_plans.append(CinChildProtectionPlan(
                start=_date(c, "CPPstartDate"), end=_date(c, "CPPendDate"),
                initial_category=_text(c, "InitialCategoryOfAbuse"), latest_category=_text(c, "LatestCategoryOfAbuse"),
                number_of_previous=int(number) if number.isdigit() else None,
                # A review with no date stays as None, for rule 8842Q to report.
                review_dates=[_parse_iso(r.text) for r in c.iterfind("Reviews/CPPreviewDate")]))
        child.details.append(details)
    return child


def _parse_iso(text: str | None) -> date | None:
    try:
        return date.fromisoformat((text or "").strip())
    except ValueError:
        return None
