"""A valid CIN census for rule tests: every builder gives an item that passes every rule, and keyword
arguments override a field. A rule's failing case changes one thing; its passing case is the same data
with that thing put right.

The default child 1000001 (a girl born 14 February 2015, with a valid Nottingham UPN) was referred by her
school on 12 May 2025 (census year 2026: 1 April 2025 to 31 March 2026). An assessment ran from 14 May to
20 June; a CIN plan from 23 June until she was stepped up on 10 September, the day of the initial child
protection conference that followed a section 47 enquiry started on 20 August. She is on a child
protection plan (neglect) at 31 March 2026, reviewed on 3 December 2025. Her record lists eight disability
codes, so the return-level disability queries (2887Q, 2888Q) pass on a one-child census.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

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
from hearth.returns.rules.base import Finding, run_rule_cin

CHILD = "1000001"
YEAR = 2026


def upn(la: str = "892", serial: str = "01234567", last: str = "8") -> str:
    """A UPN with the right check letter."""
    rest = la + serial + last
    return upn_check_letter(rest) + rest


def assessment(**overrides: Any) -> CinAssessment:
    values: dict[str, Any] = {"actual_start": date(2025, 5, 14), "authorised": date(2025, 6, 20),
                              "factors": ["16A", "3B"], "source_pk": 20}
    values.update(overrides)
    return CinAssessment(**values)


def cin_plan(**overrides: Any) -> CinPlanDates:
    values: dict[str, Any] = {"start": date(2025, 6, 23), "end": date(2025, 9, 10), "source_pk": 30}
    values.update(overrides)
    return CinPlanDates(**values)


def section47(**overrides: Any) -> CinSection47:
    values: dict[str, Any] = {"actual_start": date(2025, 8, 20), "initial_cpc_target": date(2025, 9, 10),
                              "date_of_initial_cpc": date(2025, 9, 10), "icpc_not_required": False,
                              "source_pk": 40}
    values.update(overrides)
    return CinSection47(**values)


def cp_plan(**overrides: Any) -> CinChildProtectionPlan:
    values: dict[str, Any] = {"start": date(2025, 9, 10), "end": None, "initial_category": "NEG",
                              "latest_category": "NEG", "number_of_previous": 0,
                              "review_dates": [date(2025, 12, 3)], "source_pk": 50}
    values.update(overrides)
    return CinChildProtectionPlan(**values)


def cin_details(**overrides: Any) -> CinDetails:
    """The default open episode with its whole chain (assessment, CIN plan, S47, ICPC, CP plan)."""
    values: dict[str, Any] = {
        "referral_date": date(2025, 5, 12), "referral_source": "2A", "primary_need": "N1",
        "closure_date": None, "reason_for_closure": "", "date_of_initial_cpc": None,
        "assessments": [assessment()], "cin_plans": [cin_plan()], "section47s": [section47()],
        "referral_nfa": False, "cp_plans": [cp_plan()], "source_pk": 10,
    }
    values.update(overrides)
    return CinDetails(**values)


def nfa_referral(**overrides: Any) -> CinDetails:
    """A police referral on 6 May 2025, closed that day with no further action (RC7), nothing under it."""
    values: dict[str, Any] = {"referral_date": date(2025, 5, 6), "referral_source": "6", "primary_need": "",
                              "closure_date": date(2025, 5, 6), "reason_for_closure": "RC7",
                              "referral_nfa": True, "assessments": [], "cin_plans": [], "section47s": [],
                              "cp_plans": [], "source_pk": 11}
    values.update(overrides)
    return cin_details(**values)


def closed_episode(**overrides: Any) -> CinDetails:
    """An earlier episode: referral 1 April 2025, assessed (no factors, 21), closed 30 April 2025 with no
    further action after assessment (RC8). Put it before ``cin_details()`` to give a child two episodes."""
    values: dict[str, Any] = {
        "referral_date": date(2025, 4, 1), "referral_source": "3A", "primary_need": "N5",
        "closure_date": date(2025, 4, 30), "reason_for_closure": "RC8",
        "assessments": [assessment(actual_start=date(2025, 4, 2), authorised=date(2025, 4, 29),
                                   factors=["21"], source_pk=21)],
        "cin_plans": [], "section47s": [], "cp_plans": [], "source_pk": 12,
    }
    values.update(overrides)
    return cin_details(**values)


EIGHT_DISABILITIES = ["AUT", "BEH", "COMM", "HAND", "HEAR", "LD", "MOB", "VIS"]


def child(**overrides: Any) -> CinChild:
    values: dict[str, Any] = {
        "la_child_id": CHILD, "sex": "F", "ethnicity": "WBRI", "upn": upn(), "former_upn": "",
        "upn_unknown": "", "birth_date": date(2015, 2, 14), "expected_birth_date": None, "death_date": None,
        "disabilities": list(EIGHT_DISABILITIES), "details": [cin_details()], "person_pk": 1,
    }
    values.update(overrides)
    return CinChild(**values)


def unborn_child(**overrides: Any) -> CinChild:
    """An unborn baby referred before birth: expected 1 June 2026, sex U, no UPN yet (UN1)."""
    values: dict[str, Any] = {
        "la_child_id": "1000002", "sex": "U", "upn": "", "upn_unknown": "UN1", "birth_date": None,
        "expected_birth_date": date(2026, 6, 1), "disabilities": ["NONE"], "person_pk": 2,
        "details": [cin_details(referral_date=date(2026, 1, 12), assessments=[], cin_plans=[], section47s=[],
                                cp_plans=[], primary_need="N1", source_pk=13)],
    }
    values.update(overrides)
    return child(**values)


def census(*children: CinChild, year: int = YEAR, **overrides: Any) -> CinCensus:
    values: dict[str, Any] = {
        "year": year, "la_code": "892", "reference_date": date(year, 3, 31),
        "generated_at": datetime(year, 4, 10, 9, 30), "software_code": "Hearth", "release": "test",
        "serial_no": "001", "children": list(children) if children else [child()],
    }
    values.update(overrides)
    return CinCensus(**values)


def with_child(**overrides: Any) -> CinCensus:
    """The default census with the default child changed."""
    return census(child(**overrides))


def with_details(*extra: CinDetails, **overrides: Any) -> CinCensus:
    """The default census whose child's one episode is changed (and any ``extra`` episodes added before it)."""
    return census(child(details=[*extra, cin_details(**overrides)]))


def first_episode(c: CinCensus) -> CinDetails:
    return c.children[0].details[-1]


def findings(code: str, c: CinCensus) -> list[Finding]:
    return run_rule_cin(code, c)
