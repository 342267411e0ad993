"""The synthetic council's returns: clean at error rate 0, and every planted mistake found at a positive rate.

Each test module seeds one small council (seed_demo's own generator), builds and validates the returns inside
a transaction that is rolled back, and keeps only plain data, so the other tests see an empty database.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date

import pytest
from django.db import transaction

from hearth.care.models import Placement
from hearth.demo.council import build_council
from hearth.demo.models import PlantedError
from hearth.protection.models import ChildProtectionConference
from hearth.returns.cin_census import build_cin
from hearth.returns.cin_model import CinCensus
from hearth.returns.rules.base import ERROR, Finding, validate_903, validate_cin
from hearth.returns.ssda903 import build_903
from hearth.returns.years import collection_period
from hearth.tenancy.models import LocalAuthority

# The database is set up for this module's tests; each seeds its council in a module fixture.
pytestmark = pytest.mark.django_db

Kind = PlantedError.Kind
YEARS = (2025, 2026)

# Which rules must fire for the child when the mistake falls in the return's year (empty: no rule of that
# return can see it, e.g. an NHS number, which neither return holds). An LA-level rule in a set counts as
# found when the return has it at all.
PLANTED_RULES: dict[str, dict[str, set[str]]] = {
    Kind.MISSING_ETHNICITY: {"cin": set(), "ssda903": set()},  # NOBT is a valid code in both
    # U is a valid CIN sex: only 2886Q (more than 2% of children with none) looks at it, for the council.
    Kind.MISSING_SEX: {"cin": set(), "ssda903": {"101", "232"}},
    Kind.MISSING_DATE_OF_BIRTH: {"cin": {"8525Q"}, "ssda903": {"102"}},
    Kind.ALLOCATION_BEFORE_BIRTH: {"cin": set(), "ssda903": set()},
    Kind.RELATIONSHIP_BEFORE_BIRTH: {"cin": set(), "ssda903": set()},
    Kind.MISSING_UPN_REASON: {"cin": {"8770Q"}, "ssda903": {"442"}},
    Kind.INVALID_UPN: {"cin": {"1510"}, "ssda903": {"168"}},
    Kind.INVALID_NHS_NUMBER: {"cin": set(), "ssda903": set()},
    Kind.ADDRESS_MISSING_DATE: {"cin": set(), "ssda903": set()},
    Kind.INVALID_POSTCODE: {"cin": set(), "ssda903": set()},  # the address's; HOME_POST is the period's
    Kind.CHILD_NOT_SEEN_RECORDED: {"cin": set(), "ssda903": set()},
    Kind.FACTOR_21_WITH_OTHERS: {"cin": {"8869"}, "ssda903": set()},
    Kind.RETIRED_FACTOR: {"cin": {"8945Q"}, "ssda903": set()},
    Kind.ICPC_ON_WEEKEND: {"cin": {"8875"}, "ssda903": set()},
    Kind.PLAN_START_NOT_CONFERENCE: {"cin": {"2885"}, "ssda903": set()},
    Kind.RC8_WITHOUT_ASSESSMENT: {"cin": {"8825Q"}, "ssda903": set()},
    Kind.SDQ_NOT_RECORDED: {"cin": set(), "ssda903": {"186"}},
    Kind.OC2_NOT_RECORDED: {"cin": set(), "ssda903": {"191"}},
    Kind.PLACEMENT_URN_MISSING: {"cin": set(), "ssda903": {"218"}},
    Kind.PLACEMENT_POSTCODE_MISSING: {"cin": set(), "ssda903": {"392b"}},
    Kind.MISSING_NOT_CLOSED: {"cin": set(), "ssda903": {"577"}},
}


@dataclass
class Checked:
    """What one seeded council's returns said, kept after the rollback."""

    findings: dict[tuple[str, int], list[Finding]] = field(default_factory=dict)
    # (return, year) -> child -> rules that fired for them; "" holds the LA-level ones.
    fired: dict[tuple[str, int], dict[str, set[str]]] = field(default_factory=dict)
    # (kind, child, detail, return, year) for each planted mistake whose record is in that return.
    in_returns: list[tuple[str, str, str, str, int]] = field(default_factory=list)
    planted: int = 0
    # Moves recorded as to a new carer (RNE P) that stayed in the same place, type, provider and URN.
    same_place_moves: list[str] = field(default_factory=list)
    # Placements other than with parents (P1) at the family's own postcode.
    placed_at_home: list[str] = field(default_factory=list)


def _placement_slips() -> tuple[list[str], list[str]]:
    same, home = [], []
    previous: Placement | None = None
    for placement in Placement.objects.select_related("period").order_by("period_id", "started_on", "pk"):
        where = (placement.placement_type, placement.provider, placement.urn, placement.postcode)
        if (previous is not None and previous.period_id == placement.period_id
                and not placement.same_carer_as_previous
                and where == (previous.placement_type, previous.provider, previous.urn, previous.postcode)):
            same.append(f"{placement.child_id} {placement.started_on} {where}")
        if placement.placement_type != "P1" and placement.postcode and \
                placement.postcode == placement.period.home_postcode:
            home.append(f"{placement.child_id} {placement.started_on} {placement.placement_type}")
        previous = placement
    return same, home


def _census_records(census: CinCensus) -> dict[str, set[int]]:
    """The Hearth rows behind the census, by what the planted errors name as their source."""
    found: dict[str, set[int]] = defaultdict(set)
    for child in census.children:
        for d in child.details:
            if d.source_pk is not None and d.closure_date is not None:
                found["cin.CINEpisode"].add(d.source_pk)
            for a in d.assessments:
                if a.source_pk is not None and a.authorised is not None:
                    found["cin.Assessment"].add(a.source_pk)
            for s in d.section47s:
                if s.source_pk is not None and s.date_of_initial_cpc is not None:
                    found["protection.Section47Enquiry"].add(s.source_pk)
            for c in d.cp_plans:
                if c.source_pk is not None:
                    found["protection.ChildProtectionPlan"].add(c.source_pk)
    return found


def _asked_for_upn(census: CinCensus) -> set[str]:
    """Children the census asks a UPN (or its reason) of (8770Q): with a referral that went further than no
    further action, and of school age by any reading (6 or over at the reference date)."""
    born_by = date(census.year - 6, 3, 31)
    return {c.la_child_id for c in census.children if c.birth_date is not None and c.birth_date <= born_by
            and any(not d.referral_nfa for d in c.details)}


def _in_cin(error: PlantedError, child: str, year: int, census_children: set[str],
            records: dict[str, set[int]]) -> bool:
    if child not in census_children:
        return False
    if error.kind == Kind.MISSING_UPN_REASON:
        return int(child) in records["asked for a UPN"]
    if not error.source_label:
        return True  # the child's own details
    if error.source_label == "protection.ChildProtectionConference":
        # The conference's own year: a plan that began in an earlier one is in the census without it.
        start, end = collection_period(year)
        conference = ChildProtectionConference.objects.get(pk=error.source_id)
        return start <= conference.held_on <= end and conference.cp_plan_id in records["protection.ChildProtectionPlan"]
    return int(error.source_id) in records.get(error.source_label, set())


def _in_903(error: PlantedError, child: str, year: int, looked_after: set[str]) -> bool:
    # The header rules on a child's details are about children looked after in the year (442: a UPN for
    # each of them); a care leaver's OC3 row alone does not bring them in.
    if child not in looked_after:
        return False
    if error.year is not None:
        return error.year == year
    if error.source_label == "care.Placement":
        start, end = collection_period(year)
        placement = Placement.objects.get(pk=error.source_id)
        return placement.started_on <= end and (placement.ended_on is None or placement.ended_on >= start)
    return not error.source_label


def _check(error_rate: float, seed: int = 1) -> Checked:
    checked = Checked()
    with transaction.atomic():
        build_council(size="small", seed=seed, error_rate=error_rate)
        la = LocalAuthority.objects.get()
        planted = list(PlantedError.objects.order_by("pk"))
        checked.planted = len(planted)
        checked.same_place_moves, checked.placed_at_home = _placement_slips()
        for year in YEARS:
            census = build_cin(local_authority=la, year=year)
            ret = build_903(local_authority=la, year=year)
            for name, result in (("cin", validate_cin(census)), ("ssda903", validate_903(ret))):
                checked.findings[(name, year)] = result.findings
                fired: dict[str, set[str]] = defaultdict(set)
                for finding in result.findings:
                    fired[finding.child].add(finding.rule)
                checked.fired[(name, year)] = fired
            census_children = {c.la_child_id for c in census.children}
            records = _census_records(census)
            records["asked for a UPN"] = {int(c) for c in _asked_for_upn(census)}
            for error in planted:
                child = f"{error.person_id:07d}"
                if _in_cin(error, child, year, census_children, records):
                    checked.in_returns.append((error.kind, child, error.detail, "cin", year))
                if _in_903(error, child, year, set(ret.by_child("Episodes"))):
                    checked.in_returns.append((error.kind, child, error.detail, "ssda903", year))
        transaction.set_rollback(True)
    return checked


@pytest.fixture(scope="module")
def clean(django_db_setup, django_db_blocker) -> Iterator[Checked]:
    with django_db_blocker.unblock():
        yield _check(0.0)


@pytest.fixture(scope="module")
def with_mistakes(django_db_setup, django_db_blocker) -> Iterator[Checked]:
    with django_db_blocker.unblock():
        yield _check(0.3)


def _describe(findings: list[Finding]) -> list[str]:
    return [f"{f.rule} {f.child} {f.table} {','.join(f.fields)} {f.value} {f.location}" for f in findings]


@pytest.mark.parametrize("year", YEARS)
def test_the_council_at_error_rate_0_gives_no_validation_errors(clean, year):
    assert clean.planted == 0
    for name in ("cin", "ssda903"):
        errors = [f for f in clean.findings[(name, year)] if f.severity == ERROR]
        assert errors == [], (name, year, _describe(errors))


def test_a_move_to_a_new_carer_is_to_another_place_and_no_placement_but_p1_is_at_home(clean):
    # The generator once picked the home or household the child was leaving as the "new" carer (rule 435).
    assert clean.same_place_moves == []
    assert clean.placed_at_home == []


def test_the_council_at_error_rate_0_raises_few_queries(clean):
    # Queries ask a person to look again; a clean record raises a few (assessments running late at 31 March,
    # care leavers who left care years ago): not one for every child.
    for (name, year), findings in clean.findings.items():
        assert len(findings) <= 20, (name, year, _describe(findings))


def test_every_kind_of_mistake_is_planted_and_mapped_to_its_rules(with_mistakes):
    planted = {kind for kind, *_ in with_mistakes.in_returns}
    assert set(PLANTED_RULES) == set(Kind.values)
    # The ones a return can see, in the years validated here.
    seen = {kind for kind, rules in PLANTED_RULES.items() if rules["cin"] or rules["ssda903"]}
    assert len(planted & seen) >= 10, sorted(seen - planted)


def test_every_planted_mistake_in_a_return_is_found_for_its_child(with_mistakes):
    missed = []
    checked = 0
    for kind, child, detail, name, year in with_mistakes.in_returns:
        rules = PLANTED_RULES[kind][name]
        if not rules:
            continue
        checked += 1
        fired = with_mistakes.fired[(name, year)]
        if not (fired.get(child, set()) | fired.get("", set())) & rules:
            missed.append((kind, child, detail, name, year, sorted(fired.get(child, set()))))
    assert checked >= 15
    assert missed == [], missed


def test_a_mistake_is_found_only_where_it_was_planted(with_mistakes, clean):
    # The rules that find the mistakes do not fire on the clean council (their findings are the mistakes').
    rules = {rule for kinds in PLANTED_RULES.values() for codes in kinds.values() for rule in codes}
    for key, findings in clean.findings.items():
        assert not [f for f in findings if f.rule in rules], key
