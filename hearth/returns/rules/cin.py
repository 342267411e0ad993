"""CIN census rules (cin_rules_2025_26.tsv): one function per DfE rule, plain Python over ``CinCensus``.

Each rule reads the census tree (hearth/returns/cin_model.py) and yields a ``Hit`` naming the child, the
element ("CINdetails", "Assessments", ...), the items involved and a readable path to the record
("Referral 12/05/2025 > Assessment started 14/05/2025"), with the Hearth row behind it when the census was
built from the live record, so the finding links to the page where it is put right.

Conventions that hold for every rule here:
- The census period is the collection year of ``census.year`` (1 April to 31 March); rule 100 alone checks
  the header's own ReferenceDate.
- A missing item (None, "") is "missing" as the rule words it: the reader passes None where a file left out
  a required item, so rules about presence still run on files from elsewhere.
- "Open" means: a CIN episode with no closure date; an assessment with no authorisation date; a section 47
  enquiry with no ICPC date and ICPC not marked as not required; a CIN or CP plan with no end date.
- Every rule is linear in the number of children; pair checks (overlaps) only compare one child's own items.
- Working days are England's (weekends and bank holidays from the ``holidays`` package, as the clocks use).
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from typing import TypeVar

from dateutil.relativedelta import relativedelta

from hearth.clocks.working_days import is_working_day
from hearth.people.validators import upn_check_letter
from hearth.returns.cin_model import (
    CinAssessment,
    CinCensus,
    CinChild,
    CinChildProtectionPlan,
    CinDetails,
    CinPlanDates,
    CinSection47,
)
from hearth.returns.rules.base import SPEC_DIR, Hit, rule_cin
from hearth.returns.years import collection_period
from hearth.workspace.dates import birthday

# Rules of this group not implemented, and why (shown on the returns page and in the README).
NOT_IMPLEMENTED: dict[str, str] = {}

# ------------------------------------------------------------------------------------------ code lists
# The census code sets (CIN_schema_2026.xsd, returns.md B.4).

SEXES = frozenset({"M", "F", "U"})
ETHNICITIES = frozenset({
    "WBRI", "WIRI", "WIRT", "WOTH", "WROM", "MWBC", "MWBA", "MWAS", "MOTH", "AIND", "APKN", "ABAN", "AOTH",
    "BCRB", "BAFR", "BOTH", "CHNE", "OOTH", "REFU", "NOBT",
})
DISABILITIES = frozenset({"NONE", "MOB", "HAND", "PC", "INC", "COMM", "LD", "HEAR", "VIS", "BEH", "CON", "AUT",
                          "DDA"})
REFERRAL_SOURCES = frozenset({"1A", "1B", "1C", "1D", "2A", "2B", "3A", "3B", "3C", "3D", "3E", "3F", "4", "5A",
                              "5B", "5C", "5D", "6", "7", "8", "9", "10"})
PRIMARY_NEEDS = frozenset({"N1", "N2", "N3", "N4", "N5", "N6", "N7", "N8", "N9", "N0"})
CLOSURE_REASONS = frozenset({f"RC{n}" for n in range(1, 10)})
CLOSED_AFTER_ASSESSMENT = frozenset({"RC8", "RC9"})
CATEGORIES_OF_ABUSE = frozenset({"NEG", "PHY", "SAB", "EMO", "MUL"})
# 18A and 19A are still in the schema; DfE queries them (8945Q, 8950Q) but they are valid codes.
ASSESSMENT_FACTORS = frozenset({
    "1A", "1B", "1C", "2A", "2B", "2C", "3A", "3B", "3C", "4A", "4B", "4C", "5A", "5B", "5C", "6A", "6B", "6C",
    "7A", "8B", "8C", "8D", "8E", "8F", "9A", "10A", "11A", "12A", "13A", "14A", "15A", "16A", "17A", "18A",
    "18B", "18C", "19A", "19B", "19C", "20", "21", "22A", "23A", "24A",
})
NO_FACTORS = "21"
# UN1 ("not of school age") does not explain a missing UPN for a child of school age (8770Q).
UPN_UNKNOWN_FOR_SCHOOL_AGE = frozenset({"UN2", "UN3", "UN4", "UN5", "UN6", "UN7"})
_UPN_CHECK_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"  # DfE: no I, O or S
_UPN_LAST_CHARACTERS = frozenset("0123456789" + _UPN_CHECK_LETTERS)
_UPN_FORMAT = re.compile(r"[A-Z]\d{11}[0-9A-Z]")
_ALPHANUMERIC = re.compile(r"[A-Za-z0-9]+")

# Not a ">" (ruff RUF001): the separator of a location path, as users read it.
SEP = " \u203a "


@cache
def la_codes() -> frozenset[str]:
    """LA numbers that may open a UPN (rule 1530): every council in DfE's published statistics 2013-2025,
    plus the pseudo-LA and former LA codes DfE's rule lists (spec/la_codes.csv says which is which)."""
    with (SPEC_DIR / "la_codes.csv").open(newline="", encoding="utf-8") as handle:
        return frozenset(row["code"] for row in csv.DictReader(handle))


@cache
def _holidays(year: int) -> frozenset[date]:
    from hearth.clocks.seeding import package_holidays

    return frozenset(package_holidays(range(year - 2, year + 1)))


def working_days_before(day: date, n: int, *, year: int) -> date:
    """The nth England working day before ``day`` (``day`` itself never counts)."""
    holidays = _holidays(year)
    found = 0
    while found < n:
        day -= timedelta(days=1)
        if is_working_day(day, holidays):
            found += 1
    return day


# ------------------------------------------------------------------------------------------ helpers


_period_of_year = cache(collection_period)


def _period(census: CinCensus) -> tuple[date, date]:
    return _period_of_year(census.year)


def _within(day: date, census: CinCensus) -> bool:
    start, end = _period_of_year(census.year)
    return start <= day <= end


def _d(day: date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else "no date"


def _is_weekend(day: date) -> bool:
    return day.weekday() >= 5


def _source(label: str, pk: int | None) -> tuple[str, int] | None:
    return (label, pk) if pk is not None else None


def _referral(details: CinDetails) -> str:
    return f"Referral {_d(details.referral_date)}"


def _assessment(a: CinAssessment) -> str:
    return f"Assessment started {_d(a.actual_start)}"


def _plan(p: CinPlanDates) -> str:
    return f"CIN plan started {_d(p.start)}"


def _s47(s: CinSection47) -> str:
    return f"Section 47 started {_d(s.actual_start)}"


def _cpp(c: CinChildProtectionPlan) -> str:
    return f"Child protection plan started {_d(c.start)}"


def child_hit(child: CinChild, table: str, fields: tuple[str, ...], value: object = "") -> Hit:
    return Hit(table=table, child=child.la_child_id or "", fields=fields, value=_v(value),
               source=_source("people.person", child.person_pk))


def details_hit(child: CinChild, d: CinDetails, fields: tuple[str, ...], value: object = "") -> Hit:
    return Hit(table="CINdetails", child=child.la_child_id or "", fields=fields, value=_v(value),
               location=_referral(d), source=_source("cin.cinepisode", d.source_pk))


def assessment_hit(child: CinChild, d: CinDetails, a: CinAssessment, fields: tuple[str, ...],
                   value: object = "") -> Hit:
    return Hit(table="Assessments", child=child.la_child_id or "", fields=fields, value=_v(value),
               location=_referral(d) + SEP + _assessment(a), source=_source("cin.assessment", a.source_pk))


def plan_hit(child: CinChild, d: CinDetails, p: CinPlanDates, fields: tuple[str, ...], value: object = "") -> Hit:
    return Hit(table="CINPlanDates", child=child.la_child_id or "", fields=fields, value=_v(value),
               location=_referral(d) + SEP + _plan(p), source=_source("cin.cinplan", p.source_pk))


def s47_hit(child: CinChild, d: CinDetails, s: CinSection47, fields: tuple[str, ...], value: object = "") -> Hit:
    return Hit(table="Section47", child=child.la_child_id or "", fields=fields, value=_v(value),
               location=_referral(d) + SEP + _s47(s), source=_source("protection.section47enquiry", s.source_pk))


def cpp_hit(child: CinChild, d: CinDetails, c: CinChildProtectionPlan, fields: tuple[str, ...],
            value: object = "") -> Hit:
    return Hit(table="ChildProtectionPlans", child=child.la_child_id or "", fields=fields, value=_v(value),
               location=_referral(d) + SEP + _cpp(c),
               source=_source("protection.childprotectionplan", c.source_pk))


def la_hit(fields: tuple[str, ...], value: object = "") -> Hit:
    """A finding about the whole return, not one child (100, 2883, 2886Q, 2887Q, 2888Q)."""
    return Hit(table="Header", child="", fields=fields, value=_v(value))


def _v(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return _d(value)
    if isinstance(value, list | tuple | set | frozenset):
        return ", ".join(str(v) for v in value)
    return str(value)


@dataclass(frozen=True)
class _Index:
    """The census's items flattened once, so each of the hundred-odd rules walks a list, not the tree."""

    episodes: list[tuple[CinChild, CinDetails]]
    assessments: list[tuple[CinChild, CinDetails, CinAssessment]]
    plans: list[tuple[CinChild, CinDetails, CinPlanDates]]
    s47s: list[tuple[CinChild, CinDetails, CinSection47]]
    cpps: list[tuple[CinChild, CinDetails, CinChildProtectionPlan]]


def _index(census: CinCensus) -> _Index:
    # Kept on the census itself (it lives as long as the census does). A census is a snapshot: a new list
    # of children, or children added or removed, makes a new index; a census built anew has its own.
    cached = census.__dict__.get("_rule_index")
    if cached is not None and cached[0] is census.children and cached[1] == len(census.children):
        index: _Index = cached[2]
        return index
    episodes = [(child, d) for child in census.children for d in child.details]
    index = _Index(
        episodes=episodes,
        assessments=[(child, d, a) for child, d in episodes for a in d.assessments],
        plans=[(child, d, p) for child, d in episodes for p in d.cin_plans],
        s47s=[(child, d, s) for child, d in episodes for s in d.section47s],
        cpps=[(child, d, c) for child, d in episodes for c in d.cp_plans],
    )
    census.__dict__["_rule_index"] = (census.children, len(census.children), index)
    return index


def _episodes(census: CinCensus) -> list[tuple[CinChild, CinDetails]]:
    return _index(census).episodes


def _assessments(census: CinCensus) -> list[tuple[CinChild, CinDetails, CinAssessment]]:
    return _index(census).assessments


def _plans(census: CinCensus) -> list[tuple[CinChild, CinDetails, CinPlanDates]]:
    return _index(census).plans


def _s47s(census: CinCensus) -> list[tuple[CinChild, CinDetails, CinSection47]]:
    return _index(census).s47s


def _cpps(census: CinCensus) -> list[tuple[CinChild, CinDetails, CinChildProtectionPlan]]:
    return _index(census).cpps


def _is_nfa(d: CinDetails) -> bool:
    return d.referral_nfa is True


def _further_action(child: CinChild) -> bool:
    """At least one referral that went on to further action (ReferralNFA false)."""
    return any(d.referral_nfa is False for d in child.details)


def _s47_open(s: CinSection47) -> bool:
    return s.date_of_initial_cpc is None and not s.icpc_not_required


def _overlaps(start: date, other_start: date | None, other_end: date | None, ref: date, *,
              end_inclusive: bool) -> bool:
    """Does ``start`` fall within another item running from ``other_start`` to ``other_end``
    (to the reference date when open)?"""
    if other_start is None or start < other_start:
        return False
    if other_end is None:
        return start <= ref
    return start <= other_end if end_inclusive else start < other_end


_Plan = TypeVar("_Plan", CinPlanDates, CinChildProtectionPlan)


def _overlapping(plans: list[tuple[CinDetails, _Plan]], ref: date) -> Iterator[tuple[CinDetails, _Plan]]:
    """A child's plans (with their referral) that start within another of them, ends included (open plans run
    to the reference date). Plans with no start take no part."""
    dated = [(d, p) for d, p in plans if p.start is not None]
    for i, (d, p) in enumerate(dated):
        assert p.start is not None
        if any(_overlaps(p.start, other.start, other.end, ref, end_inclusive=True)
               for j, (_, other) in enumerate(dated) if j != i):
            yield d, p


def _starting_during(plans: list[tuple[CinDetails, _Plan]], others: list[CinPlanDates] | list[CinChildProtectionPlan],
                     ref: date) -> Iterator[tuple[CinDetails, _Plan]]:
    """A child's plans of one kind (with their referral) that start while a plan of the other kind runs; starting
    the day the other ends is a step up or down, not an overlap."""
    for d, p in plans:
        if p.start and any(_overlaps(p.start, o.start, o.end, ref, end_inclusive=False) for o in others):
            yield d, p


# ------------------------------------------------------------------------------------------ header


@rule_cin("100")
def reference_date_is_31_march(census: CinCensus) -> Iterable[Hit]:
    expected = date(census.year, 3, 31)
    if census.reference_date != expected:
        yield la_hit(("ReferenceDate",), census.reference_date)


# ------------------------------------------------------------------------------------------ identifiers


@rule_cin("8500")
def la_child_id_present(census: CinCensus) -> Iterable[Hit]:
    for child in census.children:
        if not (child.la_child_id or "").strip():
            yield child_hit(child, "ChildIdentifiers", ("LAchildID",))


@rule_cin("8510")
def la_child_id_unique(census: CinCensus) -> Iterable[Hit]:
    counts = Counter(child.la_child_id for child in census.children if child.la_child_id)
    for child in census.children:
        if child.la_child_id and counts[child.la_child_id] > 1:
            yield child_hit(child, "ChildIdentifiers", ("LAchildID",), child.la_child_id)


@rule_cin("1570")
def la_child_id_length(census: CinCensus) -> Iterable[Hit]:
    for child in census.children:
        if child.la_child_id and len(child.la_child_id) > 20:
            yield child_hit(child, "ChildIdentifiers", ("LAchildID",), child.la_child_id)


@rule_cin("1580")
def la_child_id_alphanumeric(census: CinCensus) -> Iterable[Hit]:
    for child in census.children:
        if child.la_child_id and not _ALPHANUMERIC.fullmatch(child.la_child_id):
            yield child_hit(child, "ChildIdentifiers", ("LAchildID",), child.la_child_id)


def _upn(child: CinChild) -> str:
    """The UPN as DfE reads it (upper case, no spaces), or "" when absent."""
    return (child.upn or "").strip().upper()


@rule_cin("1510")
def upn_check_letter_is_right(census: CinCensus) -> Iterable[Hit]:
    for child in census.children:
        upn = _upn(child)
        # Only a UPN whose other characters are well formed has a check letter to compare (1540, 1550).
        well_formed = len(upn) == 13 and upn[1:12].isdigit() and upn[12] in _UPN_LAST_CHARACTERS
        if well_formed and upn_check_letter(upn[1:]) != upn[0]:
            yield child_hit(child, "ChildIdentifiers", ("UPN",), upn)


@rule_cin("1520")
def upn_unique(census: CinCensus) -> Iterable[Hit]:
    counts = Counter(_upn(child) for child in census.children if _upn(child))
    for child in census.children:
        upn = _upn(child)
        if upn and counts[upn] > 1:
            yield child_hit(child, "ChildIdentifiers", ("UPN",), upn)


@rule_cin("1530")
def upn_la_code_recognised(census: CinCensus) -> Iterable[Hit]:
    codes = la_codes()
    for child in census.children:
        upn = _upn(child)
        if len(upn) == 13 and upn[1:4] not in codes:
            yield child_hit(child, "ChildIdentifiers", ("UPN",), upn)


@rule_cin("1540")
def upn_serial_numeric(census: CinCensus) -> Iterable[Hit]:
    for child in census.children:
        upn = _upn(child)
        if len(upn) == 13 and not upn[4:12].isdigit():
            yield child_hit(child, "ChildIdentifiers", ("UPN",), upn)


@rule_cin("1550")
def upn_last_character(census: CinCensus) -> Iterable[Hit]:
    for child in census.children:
        upn = _upn(child)
        if len(upn) == 13 and upn[12] not in _UPN_LAST_CHARACTERS:
            yield child_hit(child, "ChildIdentifiers", ("UPN",), upn)


@rule_cin("1560Q")
def former_upn_format(census: CinCensus) -> Iterable[Hit]:
    for child in census.children:
        former = (child.former_upn or "").strip().upper()
        if former and not _UPN_FORMAT.fullmatch(former):
            yield child_hit(child, "ChildIdentifiers", ("FormerUPN",), former)


@rule_cin("8770Q")
def upn_for_child_of_school_age(census: CinCensus) -> Iterable[Hit]:
    # School age: four or over on the 31 August after the reference date.
    born_by = date(census.year - 4, 8, 31)
    for child in census.children:
        if child.birth_date is None or child.birth_date > born_by or not _further_action(child):
            continue
        if not _upn(child) and (child.upn_unknown or "").strip().upper() not in UPN_UNKNOWN_FOR_SCHOOL_AGE:
            yield child_hit(child, "ChildIdentifiers", ("UPN", "UPNunknown"), child.upn_unknown)


@rule_cin("8772")
def un7_only_for_nfa_referrals(census: CinCensus) -> Iterable[Hit]:
    for child in census.children:
        if (child.upn_unknown or "").strip().upper() == "UN7" and any(not _is_nfa(d) for d in child.details):
            yield child_hit(child, "ChildIdentifiers", ("UPNunknown", "ReferralNFA"), "UN7")


@rule_cin("4180")
def sex_valid(census: CinCensus) -> Iterable[Hit]:
    for child in census.children:
        if (child.sex or "") not in SEXES:
            yield child_hit(child, "ChildIdentifiers", ("Sex",), child.sex)


@rule_cin("8750")
def unborn_child_sex_unknown(census: CinCensus) -> Iterable[Hit]:
    for child in census.children:
        if child.birth_date is None and child.expected_birth_date is not None and child.sex != "U":
            yield child_hit(child, "ChildIdentifiers", ("Sex", "PersonBirthDate", "ExpectedPersonBirthDate"),
                            child.sex)


@rule_cin("2886Q")
def share_with_no_sex_recorded(census: CinCensus) -> Iterable[Hit]:
    total = len(census.children)
    unrecorded = sum(1 for child in census.children
                     if (child.sex or "U") == "U" and child.expected_birth_date is None)
    if total and unrecorded / total > 0.02:
        yield la_hit(("Sex", "ExpectedPersonBirthDate"), f"{unrecorded} of {total} children")


@rule_cin("8520")
def birth_date_not_after_census(census: CinCensus) -> Iterable[Hit]:
    ref = _period(census)[1]
    for child in census.children:
        if child.birth_date is not None and child.birth_date > ref:
            yield child_hit(child, "ChildIdentifiers", ("PersonBirthDate",), child.birth_date)


@rule_cin("8525Q")
def birth_or_expected_birth_date(census: CinCensus) -> Iterable[Hit]:
    for child in census.children:
        if (child.birth_date is None) == (child.expected_birth_date is None):
            yield child_hit(child, "ChildIdentifiers", ("PersonBirthDate", "ExpectedPersonBirthDate"))


@rule_cin("8530Q")
def expected_birth_date_in_range(census: CinCensus) -> Iterable[Hit]:
    ref = _period(census)[1]
    earliest, latest = ref - timedelta(days=30), ref + relativedelta(months=9)
    for child in census.children:
        expected = child.expected_birth_date
        if expected is not None and not earliest <= expected <= latest:
            yield child_hit(child, "ChildIdentifiers", ("ExpectedPersonBirthDate",), expected)


@rule_cin("8535Q")
def death_not_before_birth(census: CinCensus) -> Iterable[Hit]:
    for child in census.children:
        if child.death_date and child.birth_date and child.death_date < child.birth_date:
            yield child_hit(child, "ChildIdentifiers", ("PersonDeathDate", "PersonBirthDate"), child.death_date)


@rule_cin("8545Q")
def death_within_census_year(census: CinCensus) -> Iterable[Hit]:
    for child in census.children:
        if child.death_date is not None and not _within(child.death_date, census):
            yield child_hit(child, "ChildIdentifiers", ("PersonDeathDate",), child.death_date)


@rule_cin("8775Q")
def child_over_25(census: CinCensus) -> Iterable[Hit]:
    born_before = _period(census)[1] - relativedelta(years=25)
    for child in census.children:
        born = child.birth_date
        if born is None or born >= born_before:
            continue
        turned_25 = birthday(born, 25)
        if any(d.closure_date is None or d.closure_date > turned_25 for d in child.details):
            yield child_hit(child, "ChildIdentifiers", ("PersonBirthDate", "CINclosureDate"), born)


# ------------------------------------------------------------------------------------------ characteristics


@rule_cin("4220")
def ethnicity_valid(census: CinCensus) -> Iterable[Hit]:
    for child in census.children:
        if (child.ethnicity or "") not in ETHNICITIES:
            yield child_hit(child, "ChildCharacteristics", ("Ethnicity",), child.ethnicity)


@rule_cin("8540")
def disability_present_and_valid(census: CinCensus) -> Iterable[Hit]:
    for child in census.children:
        if child.birth_date is None or not _further_action(child):
            continue
        invalid = [code for code in child.disabilities if code not in DISABILITIES]
        if not child.disabilities or invalid:
            yield child_hit(child, "ChildCharacteristics", ("Disability",), invalid)


@rule_cin("8790")
def disability_none_alone(census: CinCensus) -> Iterable[Hit]:
    for child in census.children:
        if "NONE" in child.disabilities and len(set(child.disabilities)) > 1:
            yield child_hit(child, "ChildCharacteristics", ("Disability",), child.disabilities)


@rule_cin("8794")
def disability_not_repeated(census: CinCensus) -> Iterable[Hit]:
    for child in census.children:
        if len(set(child.disabilities)) < len(child.disabilities):
            repeated = sorted(code for code, n in Counter(child.disabilities).items() if n > 1)
            yield child_hit(child, "ChildCharacteristics", ("Disability",), repeated)


@rule_cin("2887Q")
def at_least_eight_disability_codes_used(census: CinCensus) -> Iterable[Hit]:
    used = {code for child in census.children for code in child.disabilities if code != "NONE"}
    if len(used) < 8:
        yield la_hit(("Disability",), f"{len(used)} codes used")


@rule_cin("2888Q")
def some_child_has_several_disabilities(census: CinCensus) -> Iterable[Hit]:
    counts = [len({code for code in child.disabilities if code != "NONE"}) for child in census.children]
    # Only a return with disabled children can show that none has more than one code.
    if any(counts) and max(counts) <= 1:
        yield la_hit(("Disability",), "no child has more than one disability code")


# ------------------------------------------------------------------------------------------ CIN details


@rule_cin("8590")
def child_has_cin_episode(census: CinCensus) -> Iterable[Hit]:
    for child in census.children:
        if not child.details:
            yield child_hit(child, "ChildIdentifiers", ("LAchildID",), child.la_child_id)


@rule_cin("8600")
def referral_date_present_and_not_after_census(census: CinCensus) -> Iterable[Hit]:
    ref = _period(census)[1]
    for child, d in _episodes(census):
        if d.referral_date is None or d.referral_date > ref:
            yield details_hit(child, d, ("CINreferralDate",), d.referral_date)


@rule_cin("8606")
def referral_not_long_before_birth(census: CinCensus) -> Iterable[Hit]:
    for child, d in _episodes(census):
        if d.referral_date is None:
            continue
        for born in (child.birth_date, child.expected_birth_date):
            if born is not None and d.referral_date < born - timedelta(days=280):
                yield details_hit(child, d, ("CINreferralDate", "PersonBirthDate", "ExpectedPersonBirthDate"),
                                  d.referral_date)
                break


@rule_cin("8555Q")
def referral_not_after_death(census: CinCensus) -> Iterable[Hit]:
    for child, d in _episodes(census):
        if child.death_date and d.referral_date and d.referral_date > child.death_date:
            yield details_hit(child, d, ("CINreferralDate", "PersonDeathDate"), d.referral_date)


@rule_cin("8866")
def referral_source_valid(census: CinCensus) -> Iterable[Hit]:
    for child, d in _episodes(census):
        if (d.referral_source or "") not in REFERRAL_SOURCES:
            yield details_hit(child, d, ("ReferralSource",), d.referral_source)


@rule_cin("8650")
def primary_need_valid(census: CinCensus) -> Iterable[Hit]:
    for child, d in _episodes(census):
        if d.primary_need and d.primary_need not in PRIMARY_NEEDS:
            yield details_hit(child, d, ("PrimaryNeedCode",), d.primary_need)


@rule_cin("8610")
def primary_need_for_further_action(census: CinCensus) -> Iterable[Hit]:
    for child, d in _episodes(census):
        if d.referral_nfa is False and not d.primary_need:
            yield details_hit(child, d, ("ReferralNFA", "PrimaryNeedCode"))


@rule_cin("8568")
def referral_nfa_flag_valid(census: CinCensus) -> Iterable[Hit]:
    for child, d in _episodes(census):
        if not isinstance(d.referral_nfa, bool):
            yield details_hit(child, d, ("ReferralNFA",), d.referral_nfa)


@rule_cin("8569Q")
def old_referral_not_nfa(census: CinCensus) -> Iterable[Hit]:
    cutoff = working_days_before(_period(census)[0], 1, year=census.year)
    for child, d in _episodes(census):
        if _is_nfa(d) and d.referral_date is not None and d.referral_date < cutoff:
            yield details_hit(child, d, ("CINreferralDate", "ReferralNFA"), d.referral_date)


@rule_cin("8620")
def closure_within_census_year(census: CinCensus) -> Iterable[Hit]:
    for child, d in _episodes(census):
        if d.closure_date is not None and not _within(d.closure_date, census):
            yield details_hit(child, d, ("CINclosureDate",), d.closure_date)


@rule_cin("8630")
def closure_not_before_referral(census: CinCensus) -> Iterable[Hit]:
    for child, d in _episodes(census):
        if d.closure_date and d.referral_date and d.closure_date < d.referral_date:
            yield details_hit(child, d, ("CINclosureDate", "CINreferralDate"), d.closure_date)


@rule_cin("8640")
def closure_reason_valid(census: CinCensus) -> Iterable[Hit]:
    for child, d in _episodes(census):
        if d.reason_for_closure and d.reason_for_closure not in CLOSURE_REASONS:
            yield details_hit(child, d, ("ReasonForClosure",), d.reason_for_closure)


@rule_cin("8805")
def closure_date_has_reason(census: CinCensus) -> Iterable[Hit]:
    for child, d in _episodes(census):
        if d.closure_date is not None and not d.reason_for_closure:
            yield details_hit(child, d, ("CINclosureDate", "ReasonForClosure"), d.closure_date)


@rule_cin("8810")
def closure_reason_has_date(census: CinCensus) -> Iterable[Hit]:
    for child, d in _episodes(census):
        if d.reason_for_closure and d.closure_date is None:
            yield details_hit(child, d, ("ReasonForClosure", "CINclosureDate"), d.reason_for_closure)


@rule_cin("8585Q")
def died_closure_has_death_date(census: CinCensus) -> Iterable[Hit]:
    for child, d in _episodes(census):
        if d.reason_for_closure == "RC2" and child.death_date is None:
            yield details_hit(child, d, ("ReasonForClosure", "PersonDeathDate"), "RC2")


@rule_cin("8825Q")
def closed_after_assessment_has_assessment(census: CinCensus) -> Iterable[Hit]:
    for child, d in _episodes(census):
        if d.reason_for_closure in CLOSED_AFTER_ASSESSMENT and not d.assessments:
            yield details_hit(child, d, ("ReasonForClosure",), d.reason_for_closure)


@rule_cin("2990")
def no_activity_after_closed_after_assessment(census: CinCensus) -> Iterable[Hit]:
    for child, d in _episodes(census):
        if d.reason_for_closure in CLOSED_AFTER_ASSESSMENT and (
            d.section47s or d.cp_plans or d.cin_plans or d.date_of_initial_cpc is not None
        ):
            yield details_hit(child, d, ("ReasonForClosure",), d.reason_for_closure)


@rule_cin("8831")
def no_activity_on_nfa_referral(census: CinCensus) -> Iterable[Hit]:
    for child, d in _episodes(census):
        if _is_nfa(d) and (d.assessments or d.section47s or d.date_of_initial_cpc is not None):
            yield details_hit(child, d, ("ReferralNFA", "AssessmentActualStartDate", "S47ActualStartDate",
                                         "DateOfInitialCPC"))


@rule_cin("8832")
def no_cp_plan_on_nfa_referral(census: CinCensus) -> Iterable[Hit]:
    for child, d in _episodes(census):
        if _is_nfa(d):
            for c in d.cp_plans:
                yield cpp_hit(child, d, c, ("ReferralNFA", "CPPstartDate"))


@rule_cin("4000")
def no_cin_plan_on_nfa_referral(census: CinCensus) -> Iterable[Hit]:
    for child, d in _episodes(census):
        if _is_nfa(d):
            for p in d.cin_plans:
                yield plan_hit(child, d, p, ("ReferralNFA", "CINPlanStartDate"))


@rule_cin("8565")
def no_activity_after_closure(census: CinCensus) -> Iterable[Hit]:
    for child, d in _episodes(census):
        closed = d.closure_date
        if closed is None:
            continue
        if d.date_of_initial_cpc and d.date_of_initial_cpc > closed:
            yield details_hit(child, d, ("CINclosureDate", "DateOfInitialCPC"), d.date_of_initial_cpc)
        for a in d.assessments:
            if (a.actual_start and a.actual_start > closed) or (a.authorised and a.authorised > closed):
                yield assessment_hit(child, d, a, ("CINclosureDate", "AssessmentActualStartDate",
                                                   "AssessmentAuthorisationDate"), closed)
        for s in d.section47s:
            if (s.actual_start and s.actual_start > closed) or (
                s.date_of_initial_cpc and s.date_of_initial_cpc > closed
            ):
                yield s47_hit(child, d, s, ("CINclosureDate", "S47ActualStartDate", "DateOfInitialCPC"), closed)
        for c in d.cp_plans:
            if c.end and c.end > closed:
                yield cpp_hit(child, d, c, ("CINclosureDate", "CPPendDate"), closed)
        for p in d.cin_plans:
            if (p.start and p.start > closed) or (p.end and p.end > closed):
                yield plan_hit(child, d, p, ("CINclosureDate", "CINPlanStartDate", "CINPlanEndDate"), closed)


def _open_further_action(d: CinDetails) -> bool:
    return d.closure_date is None and d.referral_nfa is False


@rule_cin("8815")
def one_open_episode(census: CinCensus) -> Iterable[Hit]:
    for child in census.children:
        open_episodes = [d for d in child.details if _open_further_action(d)]
        if len(open_episodes) > 1:
            for d in open_episodes:
                yield details_hit(child, d, ("CINclosureDate", "ReferralNFA"), d.referral_date)


@rule_cin("8816")
def open_episode_is_latest(census: CinCensus) -> Iterable[Hit]:
    for child in census.children:
        dates = [d.referral_date for d in child.details if d.referral_date is not None]
        if not dates:
            continue
        latest = max(dates)
        for d in child.details:
            if _open_further_action(d) and d.referral_date is not None and d.referral_date != latest:
                yield details_hit(child, d, ("CINreferralDate", "ReferralNFA"), d.referral_date)


@rule_cin("8820")
def episodes_do_not_overlap(census: CinCensus) -> Iterable[Hit]:
    ref = _period(census)[1]
    for child in census.children:
        if len(child.details) < 2:
            continue
        for i, d in enumerate(child.details):
            if d.referral_date is None:
                continue
            for j, other in enumerate(child.details):
                if i == j or other.referral_date is None:
                    continue
                # An open NFA referral is not "ongoing" (an unknown flag is no NFA: rule 8568 reports it);
                # one referral may start the day another closes.
                if other.closure_date is None and _is_nfa(other):
                    continue
                if _overlaps(d.referral_date, other.referral_date, other.closure_date, ref, end_inclusive=False):
                    yield details_hit(child, d, ("CINreferralDate", "CINclosureDate"), d.referral_date)
                    break


# ------------------------------------------------------------------------------------------ assessments


@rule_cin("1103")
def assessment_not_before_referral(census: CinCensus) -> Iterable[Hit]:
    for child, d, a in _assessments(census):
        if a.actual_start and d.referral_date and a.actual_start < d.referral_date:
            yield assessment_hit(child, d, a, ("AssessmentActualStartDate", "CINreferralDate"), a.actual_start)


@rule_cin("8608")
def assessment_start_not_after_authorisation(census: CinCensus) -> Iterable[Hit]:
    for child, d, a in _assessments(census):
        if a.actual_start and a.authorised and a.actual_start > a.authorised:
            yield assessment_hit(child, d, a, ("AssessmentActualStartDate", "AssessmentAuthorisationDate"),
                                 a.authorised)


@rule_cin("8696")
def assessment_end_within_census_year(census: CinCensus) -> Iterable[Hit]:
    for child, d, a in _assessments(census):
        if a.authorised is not None and not _within(a.authorised, census):
            yield assessment_hit(child, d, a, ("AssessmentAuthorisationDate",), a.authorised)


@rule_cin("8736")
def open_assessment_started_in_census_year(census: CinCensus) -> Iterable[Hit]:
    for child, d, a in _assessments(census):
        if a.authorised is None and (a.actual_start is None or not _within(a.actual_start, census)):
            yield assessment_hit(child, d, a, ("AssessmentActualStartDate", "AssessmentAuthorisationDate"),
                                 a.actual_start)


@rule_cin("8670Q")
def open_assessment_not_too_old(census: CinCensus) -> Iterable[Hit]:
    cutoff = working_days_before(_period(census)[1], 45, year=census.year)
    for child, d, a in _assessments(census):
        if a.authorised is None and a.actual_start is not None and a.actual_start < cutoff:
            yield assessment_hit(child, d, a, ("AssessmentActualStartDate", "AssessmentAuthorisationDate"),
                                 a.actual_start)


@rule_cin("8614")
def factors_only_on_completed_assessment(census: CinCensus) -> Iterable[Hit]:
    for child, d, a in _assessments(census):
        if a.authorised is None and a.factors:
            yield assessment_hit(child, d, a, ("AssessmentAuthorisationDate", "AssessmentFactors"), a.factors)


@rule_cin("8897Q")
def completed_assessment_has_factors(census: CinCensus) -> Iterable[Hit]:
    start = _period(census)[0]
    for child, d, a in _assessments(census):
        if a.authorised is not None and a.authorised >= start and (
            not a.factors or any(f not in ASSESSMENT_FACTORS for f in a.factors)
        ):
            yield assessment_hit(child, d, a, ("AssessmentAuthorisationDate", "AssessmentFactors"), a.factors)


@rule_cin("8869")
def no_factors_code_alone(census: CinCensus) -> Iterable[Hit]:
    for child, d, a in _assessments(census):
        if NO_FACTORS in a.factors and len(set(a.factors)) > 1:
            yield assessment_hit(child, d, a, ("AssessmentFactors",), a.factors)


@rule_cin("8898")
def factors_not_repeated(census: CinCensus) -> Iterable[Hit]:
    for child, d, a in _assessments(census):
        if len(set(a.factors)) < len(a.factors):
            repeated = sorted(code for code, n in Counter(a.factors).items() if n > 1)
            yield assessment_hit(child, d, a, ("AssessmentFactors",), repeated)


@rule_cin("8945Q")
def factor_18a_retired(census: CinCensus) -> Iterable[Hit]:
    for child, d, a in _assessments(census):
        if "18A" in a.factors:
            yield assessment_hit(child, d, a, ("AssessmentFactors",), "18A")


@rule_cin("8950Q")
def factor_19a_retired(census: CinCensus) -> Iterable[Hit]:
    for child, d, a in _assessments(census):
        if "19A" in a.factors:
            yield assessment_hit(child, d, a, ("AssessmentFactors",), "19A")


@rule_cin("8867")
def closed_episode_assessments_completed(census: CinCensus) -> Iterable[Hit]:
    for child, d, a in _assessments(census):
        if d.closure_date is not None and a.authorised is None:
            yield assessment_hit(child, d, a, ("CINclosureDate", "AssessmentAuthorisationDate"), d.closure_date)


@rule_cin("8873Q")
def no_factors_single_assessment_closed_rc8_rc9(census: CinCensus) -> Iterable[Hit]:
    for child, d in _episodes(census):
        if len(d.assessments) == 1 and NO_FACTORS in d.assessments[0].factors and (
            d.reason_for_closure not in CLOSED_AFTER_ASSESSMENT
        ):
            yield details_hit(child, d, ("ReasonForClosure", "AssessmentFactors"), d.reason_for_closure)


@rule_cin("8896")
def one_open_assessment(census: CinCensus) -> Iterable[Hit]:
    for child, d in _episodes(census):
        open_ones = [a for a in d.assessments if a.authorised is None]
        if len(open_ones) > 1:
            for a in open_ones:
                yield assessment_hit(child, d, a, ("AssessmentAuthorisationDate",), a.actual_start)


@rule_cin("8863Q")
def assessments_do_not_overlap(census: CinCensus) -> Iterable[Hit]:
    ref = _period(census)[1]
    for child, d in _episodes(census):
        if len(d.assessments) < 2:
            continue
        for i, a in enumerate(d.assessments):
            if a.actual_start is None:
                continue
            if any(_overlaps(a.actual_start, other.actual_start, other.authorised, ref, end_inclusive=True)
                   for j, other in enumerate(d.assessments) if j != i):
                yield assessment_hit(child, d, a, ("AssessmentActualStartDate", "AssessmentAuthorisationDate"),
                                     a.actual_start)


# ------------------------------------------------------------------------------------------ CIN plans


@rule_cin("4010")
def cin_plan_start_present_and_not_after_census(census: CinCensus) -> Iterable[Hit]:
    ref = _period(census)[1]
    for child, d, p in _plans(census):
        if p.start is None or p.start > ref:
            yield plan_hit(child, d, p, ("CINPlanStartDate",), p.start)


@rule_cin("4011")
def cin_plan_end_not_before_start(census: CinCensus) -> Iterable[Hit]:
    for child, d, p in _plans(census):
        if p.start and p.end and p.end < p.start:
            yield plan_hit(child, d, p, ("CINPlanStartDate", "CINPlanEndDate"), p.end)


@rule_cin("4012Q")
def cin_plan_not_one_day(census: CinCensus) -> Iterable[Hit]:
    for child, d, p in _plans(census):
        if p.start and p.end and p.end == p.start:
            yield plan_hit(child, d, p, ("CINPlanStartDate", "CINPlanEndDate"), p.end)


@rule_cin("4013")
def cin_plan_end_within_census_year(census: CinCensus) -> Iterable[Hit]:
    for child, d, p in _plans(census):
        if p.end is not None and not _within(p.end, census):
            yield plan_hit(child, d, p, ("CINPlanEndDate",), p.end)


@rule_cin("4015")
def cin_plan_not_before_referral(census: CinCensus) -> Iterable[Hit]:
    for child, d, p in _plans(census):
        if p.start and d.referral_date and p.start < d.referral_date:
            yield plan_hit(child, d, p, ("CINPlanStartDate", "CINreferralDate"), p.start)


@rule_cin("4008")
def cin_plan_not_starting_after_death(census: CinCensus) -> Iterable[Hit]:
    for child, d, p in _plans(census):
        if child.death_date and p.start and p.start > child.death_date:
            yield plan_hit(child, d, p, ("CINPlanStartDate", "PersonDeathDate"), p.start)


@rule_cin("4009Q")
def cin_plan_not_ending_after_death(census: CinCensus) -> Iterable[Hit]:
    for child, d, p in _plans(census):
        if child.death_date and p.end and p.end > child.death_date:
            yield plan_hit(child, d, p, ("CINPlanEndDate", "PersonDeathDate"), p.end)


@rule_cin("4004")
def one_open_cin_plan(census: CinCensus) -> Iterable[Hit]:
    for child, d in _episodes(census):
        open_plans = [p for p in d.cin_plans if p.end is None]
        if len(open_plans) > 1:
            for p in open_plans:
                yield plan_hit(child, d, p, ("CINPlanEndDate",), p.start)


@rule_cin("4014")
def cin_plans_do_not_overlap(census: CinCensus) -> Iterable[Hit]:
    ref = _period(census)[1]
    for child in census.children:
        for d, p in _overlapping([(e, p) for e in child.details for p in e.cin_plans], ref):
            yield plan_hit(child, d, p, ("CINPlanStartDate", "CINPlanEndDate"), p.start)


@rule_cin("4001")
def cin_plan_not_open_with_cp_plan(census: CinCensus) -> Iterable[Hit]:
    for child, d in _episodes(census):
        if any(c.end is None for c in d.cp_plans):
            for p in d.cin_plans:
                if p.end is None:
                    yield plan_hit(child, d, p, ("CINPlanEndDate", "CPPendDate"), p.start)


@rule_cin("4016")
def cin_plan_not_starting_during_cp_plan(census: CinCensus) -> Iterable[Hit]:
    # A CIN plan may start the day a CP plan ends (stepped down).
    ref = _period(census)[1]
    for child in census.children:
        cpps = [c for d in child.details for c in d.cp_plans]
        for d, p in _starting_during([(e, p) for e in child.details for p in e.cin_plans], cpps, ref):
            yield plan_hit(child, d, p, ("CINPlanStartDate", "CPPstartDate", "CPPendDate"), p.start)


@rule_cin("4017")
def cp_plan_not_starting_during_cin_plan(census: CinCensus) -> Iterable[Hit]:
    # A CP plan may start the day a CIN plan ends (stepped up).
    ref = _period(census)[1]
    for child in census.children:
        plans = [p for d in child.details for p in d.cin_plans]
        for d, c in _starting_during([(e, c) for e in child.details for c in e.cp_plans], plans, ref):
            yield cpp_hit(child, d, c, ("CPPstartDate", "CINPlanStartDate", "CINPlanEndDate"), c.start)


@rule_cin("4003")
def cp_review_not_during_cin_plan(census: CinCensus) -> Iterable[Hit]:
    for child, d in _episodes(census):
        if not d.cin_plans:
            continue
        for c in d.cp_plans:
            for review in c.review_dates:
                if review is None or review == c.end:
                    continue
                if any(p.start and p.start <= review and (p.end is None or review < p.end) for p in d.cin_plans):
                    yield cpp_hit(child, d, c, ("CPPreviewDate", "CINPlanStartDate", "CINPlanEndDate"), review)


# ------------------------------------------------------------------------------------------ section 47


@rule_cin("2889")
def s47_not_before_referral(census: CinCensus) -> Iterable[Hit]:
    for child, d, s in _s47s(census):
        if s.actual_start and d.referral_date and s.actual_start < d.referral_date:
            yield s47_hit(child, d, s, ("S47ActualStartDate", "CINreferralDate"), s.actual_start)


@rule_cin("2991Q")
def s47_has_assessment(census: CinCensus) -> Iterable[Hit]:
    for child, d in _episodes(census):
        if d.section47s and not d.assessments:
            yield details_hit(child, d, ("Section47", "Assessments"))


@rule_cin("8615")
def s47_start_present_and_not_after_icpc(census: CinCensus) -> Iterable[Hit]:
    for child, d, s in _s47s(census):
        if s.date_of_initial_cpc is not None and (s.actual_start is None or s.actual_start > s.date_of_initial_cpc):
            yield s47_hit(child, d, s, ("S47ActualStartDate", "DateOfInitialCPC"), s.actual_start)


@rule_cin("8740")
def open_s47_started_in_census_year(census: CinCensus) -> Iterable[Hit]:
    for child, d, s in _s47s(census):
        if _s47_open(s) and (s.actual_start is None or not _within(s.actual_start, census)):
            yield s47_hit(child, d, s, ("S47ActualStartDate", "DateOfInitialCPC", "ICPCnotRequired"),
                          s.actual_start)


@rule_cin("8675Q")
def open_s47_not_too_old(census: CinCensus) -> Iterable[Hit]:
    cutoff = working_days_before(_period(census)[1], 15, year=census.year)
    for child, d, s in _s47s(census):
        if _s47_open(s) and s.actual_start is not None and s.actual_start < cutoff:
            yield s47_hit(child, d, s, ("S47ActualStartDate", "DateOfInitialCPC"), s.actual_start)


@rule_cin("8839")
def one_open_s47(census: CinCensus) -> Iterable[Hit]:
    for child, d in _episodes(census):
        open_ones = [s for s in d.section47s if _s47_open(s)]
        if len(open_ones) > 1:
            for s in open_ones:
                yield s47_hit(child, d, s, ("DateOfInitialCPC", "ICPCnotRequired"), s.actual_start)


@rule_cin("8890")
def s47s_do_not_overlap(census: CinCensus) -> Iterable[Hit]:
    ref = _period(census)[1]
    for child, d in _episodes(census):
        if len(d.section47s) < 2:
            continue
        for i, s in enumerate(d.section47s):
            if s.actual_start is None:
                continue
            for j, other in enumerate(d.section47s):
                # An enquiry that needed no conference and has none has no end to overlap.
                if j == i or (other.date_of_initial_cpc is None and other.icpc_not_required):
                    continue
                if _overlaps(s.actual_start, other.actual_start, other.date_of_initial_cpc, ref,
                             end_inclusive=True):
                    yield s47_hit(child, d, s, ("S47ActualStartDate", "DateOfInitialCPC"), s.actual_start)
                    break


@rule_cin("8868")
def closed_episode_s47s_completed(census: CinCensus) -> Iterable[Hit]:
    for child, d, s in _s47s(census):
        if d.closure_date is not None and _s47_open(s):
            yield s47_hit(child, d, s, ("CINclosureDate", "DateOfInitialCPC", "ICPCnotRequired"), d.closure_date)


@rule_cin("8870Q")
def icpc_target_not_weekend(census: CinCensus) -> Iterable[Hit]:
    for child, d, s in _s47s(census):
        if s.initial_cpc_target is not None and _is_weekend(s.initial_cpc_target):
            yield s47_hit(child, d, s, ("InitialCPCtarget",), s.initial_cpc_target)


# ------------------------------------------------------------------------------------------ conferences


def _icpcs(census: CinCensus) -> Iterator[tuple[Hit, date]]:
    """Every initial conference date, at either level, with a Hit pointing at where it is recorded."""
    for child, d in _episodes(census):
        if d.date_of_initial_cpc is not None:
            yield details_hit(child, d, ("DateOfInitialCPC",), d.date_of_initial_cpc), d.date_of_initial_cpc
        for s in d.section47s:
            if s.date_of_initial_cpc is not None:
                yield s47_hit(child, d, s, ("DateOfInitialCPC",), s.date_of_initial_cpc), s.date_of_initial_cpc


@rule_cin("1104")
def icpc_not_before_referral(census: CinCensus) -> Iterable[Hit]:
    for child, d in _episodes(census):
        if d.referral_date is None:
            continue
        if d.date_of_initial_cpc and d.date_of_initial_cpc < d.referral_date:
            yield details_hit(child, d, ("DateOfInitialCPC", "CINreferralDate"), d.date_of_initial_cpc)
        for s in d.section47s:
            if s.date_of_initial_cpc and s.date_of_initial_cpc < d.referral_date:
                yield s47_hit(child, d, s, ("DateOfInitialCPC", "CINreferralDate"), s.date_of_initial_cpc)


@rule_cin("8715")
def icpc_within_census_year(census: CinCensus) -> Iterable[Hit]:
    for hit, day in _icpcs(census):
        if not _within(day, census):
            yield hit


@rule_cin("8875")
def icpc_not_weekend(census: CinCensus) -> Iterable[Hit]:
    for hit, day in _icpcs(census):
        if _is_weekend(day):
            yield hit


@rule_cin("2884")
def icpc_recorded_once(census: CinCensus) -> Iterable[Hit]:
    for child in census.children:
        at_s47 = {s.date_of_initial_cpc for d in child.details for s in d.section47s if s.date_of_initial_cpc}
        if not at_s47:
            continue
        for d in child.details:
            if d.date_of_initial_cpc is not None and d.date_of_initial_cpc in at_s47:
                yield details_hit(child, d, ("DateOfInitialCPC",), d.date_of_initial_cpc)


@rule_cin("2883")
def no_more_cp_plans_than_conferences(census: CinCensus) -> Iterable[Hit]:
    plans = sum(1 for _, _, c in _cpps(census) if c.start is not None and _within(c.start, census))
    conferences = sum(1 for _, day in _icpcs(census) if _within(day, census))
    if plans > conferences:
        yield la_hit(("CPPstartDate", "DateOfInitialCPC"), f"{plans} plans started, {conferences} conferences")


# ------------------------------------------------------------------------------------------ CP plans


@rule_cin("1105")
def cp_plan_not_before_referral(census: CinCensus) -> Iterable[Hit]:
    for child, d, c in _cpps(census):
        if c.start and d.referral_date and c.start < d.referral_date:
            yield cpp_hit(child, d, c, ("CPPstartDate", "CINreferralDate"), c.start)


@rule_cin("2885")
def cp_plan_starts_at_icpc(census: CinCensus) -> Iterable[Hit]:
    for child, d, c in _cpps(census):
        if c.start is None or not _within(c.start, census):
            continue
        conferences = {s.date_of_initial_cpc for s in d.section47s} | {d.date_of_initial_cpc}
        if c.start not in conferences:
            yield cpp_hit(child, d, c, ("CPPstartDate", "DateOfInitialCPC"), c.start)


@rule_cin("8720")
def cp_plan_start_present_and_not_after_census(census: CinCensus) -> Iterable[Hit]:
    ref = _period(census)[1]
    for child, d, c in _cpps(census):
        if c.start is None or c.start > ref:
            yield cpp_hit(child, d, c, ("CPPstartDate",), c.start)


@rule_cin("8730")
def cp_plan_previous_count_present(census: CinCensus) -> Iterable[Hit]:
    for child, d, c in _cpps(census):
        if c.number_of_previous is None or c.number_of_previous < 0:
            yield cpp_hit(child, d, c, ("NumberOfPreviousCPP",), c.number_of_previous)


@rule_cin("8840")
def cp_plan_not_one_day(census: CinCensus) -> Iterable[Hit]:
    for child, d, c in _cpps(census):
        if c.start and c.end and c.start == c.end:
            yield cpp_hit(child, d, c, ("CPPstartDate", "CPPendDate"), c.end)


@rule_cin("8925")
def cp_plan_end_not_before_start(census: CinCensus) -> Iterable[Hit]:
    for child, d, c in _cpps(census):
        if c.start and c.end and c.end < c.start:
            yield cpp_hit(child, d, c, ("CPPstartDate", "CPPendDate"), c.end)


@rule_cin("8930")
def cp_plan_end_within_census_year(census: CinCensus) -> Iterable[Hit]:
    for child, d, c in _cpps(census):
        if c.end is not None and not _within(c.end, census):
            yield cpp_hit(child, d, c, ("CPPendDate",), c.end)


@rule_cin("8905")
def initial_category_valid(census: CinCensus) -> Iterable[Hit]:
    for child, d, c in _cpps(census):
        if (c.initial_category or "") not in CATEGORIES_OF_ABUSE:
            yield cpp_hit(child, d, c, ("InitialCategoryOfAbuse",), c.initial_category)


@rule_cin("8910")
def latest_category_valid(census: CinCensus) -> Iterable[Hit]:
    for child, d, c in _cpps(census):
        if (c.latest_category or "") not in CATEGORIES_OF_ABUSE:
            yield cpp_hit(child, d, c, ("LatestCategoryOfAbuse",), c.latest_category)


@rule_cin("8915")
def cp_plan_not_starting_after_death(census: CinCensus) -> Iterable[Hit]:
    for child, d, c in _cpps(census):
        if child.death_date and c.start and c.start > child.death_date:
            yield cpp_hit(child, d, c, ("CPPstartDate", "PersonDeathDate"), c.start)


@rule_cin("8920")
def cp_plan_not_ending_after_death(census: CinCensus) -> Iterable[Hit]:
    for child, d, c in _cpps(census):
        if child.death_date and c.end and c.end > child.death_date:
            yield cpp_hit(child, d, c, ("CPPendDate", "PersonDeathDate"), c.end)


@rule_cin("8935")
def one_open_cp_plan(census: CinCensus) -> Iterable[Hit]:
    for child in census.children:
        open_plans = [(d, c) for d in child.details for c in d.cp_plans if c.end is None]
        if len(open_plans) > 1:
            for d, c in open_plans:
                yield cpp_hit(child, d, c, ("CPPendDate",), c.start)


@rule_cin("8940")
def cp_plans_do_not_overlap(census: CinCensus) -> Iterable[Hit]:
    ref = _period(census)[1]
    for child in census.children:
        for d, c in _overlapping([(e, c) for e in child.details for c in e.cp_plans], ref):
            yield cpp_hit(child, d, c, ("CPPstartDate", "CPPendDate"), c.start)


@rule_cin("8841")
def cp_review_after_plan_start(census: CinCensus) -> Iterable[Hit]:
    for child, d, c in _cpps(census):
        for review in c.review_dates:
            if review is not None and c.start is not None and review <= c.start:
                yield cpp_hit(child, d, c, ("CPPreviewDate", "CPPstartDate"), review)


@rule_cin("8842Q")
def cp_review_has_date(census: CinCensus) -> Iterable[Hit]:
    for child, d, c in _cpps(census):
        # The reader keeps a review group with no date as None, so it can be reported here.
        if any(review is None for review in c.review_dates):
            yield cpp_hit(child, d, c, ("CPPreviewDate",))
