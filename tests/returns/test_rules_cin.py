"""CIN census rules: for every rule a failing census (the valid default with one thing wrong) and a passing
one (the same with that thing put right), plus what must hold for any census."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import assume, given
from hypothesis import strategies as st

from hearth.returns.cin_model import CinCensus
from hearth.returns.rules.base import RULES_CIN, specs_cin, validate_cin
from hearth.returns.rules.cin import SEP, la_codes, working_days_before
from tests.returns.cin_factories import (
    CHILD,
    EIGHT_DISABILITIES,
    assessment,
    census,
    child,
    cin_details,
    cin_plan,
    closed_episode,
    cp_plan,
    findings,
    nfa_referral,
    section47,
    unborn_child,
    upn,
    with_child,
    with_details,
)

D = date
Builder = Callable[[], CinCensus]

# code -> (failing census, passing census)
CASES: dict[str, tuple[Builder, Builder]] = {}
# code -> (element the failing case must be reported on, child it must name; "" for the whole return)
EXPECTED: dict[str, tuple[str, str]] = {}


def case(code: str, element: str, fail: Builder, passing: Builder, *, child_id: str = CHILD) -> None:
    assert code not in CASES, f"{code} has two cases"
    CASES[code] = (fail, passing)
    EXPECTED[code] = (element, child_id)


def la_case(code: str, fail: Builder, passing: Builder) -> None:
    case(code, "Header", fail, passing, child_id="")


def earlier(**overrides: Any) -> Any:
    """A second episode for the default child, referred on 1 April 2025 with nothing under it."""
    values: dict[str, Any] = {"referral_date": D(2025, 4, 1), "assessments": [], "cin_plans": [],
                              "section47s": [], "cp_plans": [], "source_pk": 14}
    values.update(overrides)
    return cin_details(**values)


def second_child(**overrides: Any) -> Any:
    values: dict[str, Any] = {"la_child_id": "1000002", "upn": upn(serial="76543210"), "person_pk": 2}
    values.update(overrides)
    return child(**values)


IDS = "ChildIdentifiers"
CHARS = "ChildCharacteristics"
DETAILS = "CINdetails"
ASSESS = "Assessments"
PLANS = "CINPlanDates"
S47 = "Section47"
CPP = "ChildProtectionPlans"

# ------------------------------------------------------------------------------------------ header and LA level

la_case("100", lambda: census(reference_date=D(2026, 3, 30)), lambda: census(reference_date=D(2026, 3, 31)))
la_case("2886Q", lambda: with_child(sex="U"), lambda: with_child(sex="F"))
la_case("2887Q", lambda: with_child(disabilities=["LD", "COMM"]),
        lambda: with_child(disabilities=[*EIGHT_DISABILITIES]))
la_case("2888Q", lambda: census(child(disabilities=["LD"]), second_child(disabilities=["COMM"])),
        lambda: census(child(disabilities=["LD"]), second_child(disabilities=["COMM", "AUT"])))
la_case("2883", lambda: with_details(section47s=[section47(date_of_initial_cpc=None, icpc_not_required=True)]),
        lambda: with_details(section47s=[section47(date_of_initial_cpc=None, icpc_not_required=True)],
                             date_of_initial_cpc=D(2025, 9, 10)))

# ------------------------------------------------------------------------------------------ identifiers

case("8500", IDS, lambda: with_child(la_child_id=""), lambda: with_child(la_child_id=CHILD), child_id="")
case("8510", IDS, lambda: census(child(), second_child(la_child_id=CHILD)),
     lambda: census(child(), second_child(la_child_id="1000002")))
case("1570", IDS, lambda: with_child(la_child_id="1" * 21), lambda: with_child(la_child_id="1" * 20),
     child_id="1" * 21)
case("1580", IDS, lambda: with_child(la_child_id="1000-001"), lambda: with_child(la_child_id="1000001"),
     child_id="1000-001")
_GOOD_UPN = upn()
_WRONG_LETTER = ("B" if _GOOD_UPN[0] != "B" else "C") + _GOOD_UPN[1:]
case("1510", IDS, lambda: with_child(upn=_WRONG_LETTER), lambda: with_child(upn=_GOOD_UPN))
case("1520", IDS, lambda: census(child(), second_child(upn=_GOOD_UPN)),
     lambda: census(child(), second_child(upn=upn(serial="76543210"))))
case("1530", IDS, lambda: with_child(upn=upn(la="999")), lambda: with_child(upn=upn(la="892")))
case("1540", IDS, lambda: with_child(upn="A8920A2345678"), lambda: with_child(upn=upn(serial="01234567")))
case("1550", IDS, lambda: with_child(upn="A89201234567I"), lambda: with_child(upn=upn(last="7")))
case("1560Q", IDS, lambda: with_child(former_upn="X12345"),
     lambda: with_child(former_upn=upn(serial="11111111")))
case("8770Q", IDS, lambda: with_child(upn="", upn_unknown="UN1"), lambda: with_child(upn="", upn_unknown="UN2"))
case("8772", IDS, lambda: with_child(upn="", upn_unknown="UN7"), lambda: with_child(upn="", upn_unknown="UN2"))
case("4180", IDS, lambda: with_child(sex="X"), lambda: with_child(sex="F"))
case("8750", IDS, lambda: census(unborn_child(sex="F")), lambda: census(unborn_child(sex="U")),
     child_id="1000002")
case("8520", IDS, lambda: with_child(birth_date=D(2026, 4, 1)), lambda: with_child(birth_date=D(2026, 3, 31)))
case("8525Q", IDS, lambda: with_child(expected_birth_date=D(2015, 2, 20)),
     lambda: with_child(expected_birth_date=None))
case("8530Q", IDS, lambda: census(unborn_child(expected_birth_date=D(2027, 1, 15))),
     lambda: census(unborn_child(expected_birth_date=D(2026, 12, 31))), child_id="1000002")
case("8535Q", IDS, lambda: with_child(death_date=D(2015, 2, 13)), lambda: with_child(death_date=D(2015, 2, 14)))
case("8545Q", IDS, lambda: with_child(death_date=D(2025, 3, 31)), lambda: with_child(death_date=D(2025, 4, 1)))
case("8775Q", IDS, lambda: with_child(birth_date=D(2001, 3, 30)), lambda: with_child(birth_date=D(2001, 3, 31)))

# ------------------------------------------------------------------------------------------ characteristics

case("4220", CHARS, lambda: with_child(ethnicity="WBR"), lambda: with_child(ethnicity="WBRI"))
case("8540", CHARS, lambda: with_child(disabilities=[]), lambda: with_child(disabilities=["NONE"]))
case("8790", CHARS, lambda: with_child(disabilities=["NONE", "LD"]), lambda: with_child(disabilities=["LD"]))
case("8794", CHARS, lambda: with_child(disabilities=["LD", "LD"]), lambda: with_child(disabilities=["LD"]))

# ------------------------------------------------------------------------------------------ CIN details

case("8590", IDS, lambda: with_child(details=[]), lambda: with_child(details=[cin_details()]))
case("8600", DETAILS, lambda: with_details(referral_date=None), lambda: with_details(referral_date=D(2025, 5, 12)))
case("8606", DETAILS, lambda: with_details(referral_date=D(2014, 5, 9)),
     lambda: with_details(referral_date=D(2014, 5, 10)))
case("8555Q", DETAILS, lambda: with_child(death_date=D(2025, 5, 11)), lambda: with_child(death_date=D(2025, 5, 12)))
case("8866", DETAILS, lambda: with_details(referral_source="11"), lambda: with_details(referral_source="2A"))
case("8650", DETAILS, lambda: with_details(primary_need="N10"), lambda: with_details(primary_need="N1"))
case("8610", DETAILS, lambda: with_details(primary_need=""), lambda: with_details(primary_need="N1"))
case("8568", DETAILS, lambda: with_details(referral_nfa=None), lambda: with_details(referral_nfa=False))
# 1 April 2025 is a Tuesday: one working day before it is Monday 31 March.
case("8569Q", DETAILS, lambda: census(child(details=[nfa_referral(referral_date=D(2025, 3, 28))])),
     lambda: census(child(details=[nfa_referral(referral_date=D(2025, 3, 31))])))
case("8620", DETAILS, lambda: with_details(closure_date=D(2026, 4, 1), reason_for_closure="RC7"),
     lambda: with_details(closure_date=D(2026, 3, 31), reason_for_closure="RC7"))
case("8630", DETAILS, lambda: with_details(closure_date=D(2025, 5, 11), reason_for_closure="RC7"),
     lambda: with_details(closure_date=D(2025, 5, 12), reason_for_closure="RC7"))
case("8640", DETAILS, lambda: with_details(closure_date=D(2026, 3, 20), reason_for_closure="RC10"),
     lambda: with_details(closure_date=D(2026, 3, 20), reason_for_closure="RC7"))
case("8805", DETAILS, lambda: with_details(closure_date=D(2026, 3, 20), reason_for_closure=""),
     lambda: with_details(closure_date=D(2026, 3, 20), reason_for_closure="RC7"))
case("8810", DETAILS, lambda: with_details(closure_date=None, reason_for_closure="RC7"),
     lambda: with_details(closure_date=D(2026, 3, 20), reason_for_closure="RC7"))
case("8585Q", DETAILS, lambda: with_child(details=[cin_details(closure_date=D(2026, 3, 20), reason_for_closure="RC2")]),
     lambda: with_child(death_date=D(2026, 3, 20),
                        details=[cin_details(closure_date=D(2026, 3, 20), reason_for_closure="RC2")]))
case("8825Q", DETAILS, lambda: with_details(closed_episode(assessments=[])),
     lambda: with_details(closed_episode()))
case("2990", DETAILS,
     lambda: with_details(closed_episode(cin_plans=[cin_plan(start=D(2025, 4, 10), end=D(2025, 4, 20))])),
     lambda: with_details(closed_episode(cin_plans=[])))
_NFA_ASSESSMENT = assessment(actual_start=D(2025, 5, 6), authorised=D(2025, 5, 6))
case("8831", DETAILS, lambda: with_details(nfa_referral(assessments=[_NFA_ASSESSMENT])),
     lambda: with_details(nfa_referral(assessments=[])))
case("8832", CPP, lambda: with_details(nfa_referral(cp_plans=[cp_plan(start=D(2025, 5, 6), end=D(2025, 5, 7))])),
     lambda: with_details(nfa_referral(cp_plans=[])))
case("4000", PLANS, lambda: with_details(nfa_referral(cin_plans=[cin_plan(start=D(2025, 5, 6), end=D(2025, 5, 7))])),
     lambda: with_details(nfa_referral(cin_plans=[])))
case("8565", CPP, lambda: with_details(closure_date=D(2026, 1, 10), reason_for_closure="RC7",
                                       cp_plans=[cp_plan(end=D(2026, 1, 20))]),
     lambda: with_details(closure_date=D(2026, 1, 10), reason_for_closure="RC7",
                          cp_plans=[cp_plan(end=D(2026, 1, 10))]))
case("8815", DETAILS, lambda: with_details(earlier()),
     lambda: with_details(earlier(closure_date=D(2025, 4, 30), reason_for_closure="RC7")))
case("8816", DETAILS, lambda: with_details(earlier(), closure_date=D(2026, 3, 20), reason_for_closure="RC7"),
     lambda: with_details(earlier(closure_date=D(2025, 4, 30), reason_for_closure="RC7"),
                          closure_date=D(2026, 3, 20), reason_for_closure="RC7"))
# One referral may start the day the last one closed.
case("8820", DETAILS, lambda: with_details(earlier(closure_date=D(2025, 5, 13), reason_for_closure="RC7")),
     lambda: with_details(earlier(closure_date=D(2025, 5, 12), reason_for_closure="RC7")))

# ------------------------------------------------------------------------------------------ assessments

_OPEN: dict[str, Any] = {"authorised": None, "factors": []}
case("1103", ASSESS, lambda: with_details(assessments=[assessment(actual_start=D(2025, 5, 11))]),
     lambda: with_details(assessments=[assessment(actual_start=D(2025, 5, 12))]))
case("8608", ASSESS, lambda: with_details(assessments=[assessment(actual_start=D(2025, 6, 21))]),
     lambda: with_details(assessments=[assessment(actual_start=D(2025, 6, 20))]))
case("8696", ASSESS, lambda: with_details(assessments=[assessment(authorised=D(2026, 4, 1))]),
     lambda: with_details(assessments=[assessment(authorised=D(2026, 3, 31))]))
case("8736", ASSESS, lambda: with_details(assessments=[assessment(actual_start=D(2025, 3, 31), **_OPEN)]),
     lambda: with_details(assessments=[assessment(actual_start=D(2025, 4, 1), **_OPEN)]))
case("8670Q", ASSESS, lambda: with_details(assessments=[assessment(actual_start=D(2025, 12, 1), **_OPEN)]),
     lambda: with_details(assessments=[assessment(actual_start=D(2026, 3, 2), **_OPEN)]))
case("8614", ASSESS, lambda: with_details(assessments=[assessment(authorised=None, factors=["16A"])]),
     lambda: with_details(assessments=[assessment(authorised=None, factors=[])]))
case("8897Q", ASSESS, lambda: with_details(assessments=[assessment(factors=[])]),
     lambda: with_details(assessments=[assessment(factors=["16A"])]))
case("8869", ASSESS, lambda: with_details(assessments=[assessment(factors=["21", "16A"])]),
     lambda: with_details(assessments=[assessment(factors=["16A"])]))
case("8898", ASSESS, lambda: with_details(assessments=[assessment(factors=["16A", "16A"])]),
     lambda: with_details(assessments=[assessment(factors=["16A"])]))
case("8945Q", ASSESS, lambda: with_details(assessments=[assessment(factors=["18A"])]),
     lambda: with_details(assessments=[assessment(factors=["18C"])]))
case("8950Q", ASSESS, lambda: with_details(assessments=[assessment(factors=["19A"])]),
     lambda: with_details(assessments=[assessment(factors=["19C"])]))
case("8867", ASSESS, lambda: with_details(closure_date=D(2026, 3, 20), reason_for_closure="RC7",
                                          assessments=[assessment(**_OPEN)]),
     lambda: with_details(closure_date=D(2026, 3, 20), reason_for_closure="RC7", assessments=[assessment()]))
case("8873Q", DETAILS, lambda: with_details(closed_episode(reason_for_closure="RC7")),
     lambda: with_details(closed_episode(reason_for_closure="RC8")))
case("8896", ASSESS,
     lambda: with_details(assessments=[assessment(**_OPEN),
                                       assessment(actual_start=D(2025, 6, 1), source_pk=22, **_OPEN)]),
     lambda: with_details(assessments=[assessment(**_OPEN),
                                       assessment(actual_start=D(2025, 6, 1), authorised=D(2025, 6, 20),
                                                  source_pk=22)]))
case("8863Q", ASSESS,
     lambda: with_details(assessments=[assessment(), assessment(actual_start=D(2025, 6, 20),
                                                                authorised=D(2025, 7, 1), source_pk=22)]),
     lambda: with_details(assessments=[assessment(), assessment(actual_start=D(2025, 6, 21),
                                                                authorised=D(2025, 7, 1), source_pk=22)]))

# ------------------------------------------------------------------------------------------ CIN plans

case("4010", PLANS, lambda: with_details(cin_plans=[cin_plan(start=None)]),
     lambda: with_details(cin_plans=[cin_plan(start=D(2025, 6, 23))]))
case("4011", PLANS, lambda: with_details(cin_plans=[cin_plan(end=D(2025, 6, 22))]),
     lambda: with_details(cin_plans=[cin_plan(end=D(2025, 6, 24))]))
case("4012Q", PLANS, lambda: with_details(cin_plans=[cin_plan(end=D(2025, 6, 23))]),
     lambda: with_details(cin_plans=[cin_plan(end=D(2025, 6, 24))]))
case("4013", PLANS, lambda: with_details(cin_plans=[cin_plan(end=D(2026, 4, 1))]),
     lambda: with_details(cin_plans=[cin_plan(end=D(2026, 3, 31))]))
case("4015", PLANS, lambda: with_details(cin_plans=[cin_plan(start=D(2025, 5, 11))]),
     lambda: with_details(cin_plans=[cin_plan(start=D(2025, 5, 12))]))
case("4008", PLANS, lambda: with_child(death_date=D(2025, 6, 22)), lambda: with_child(death_date=D(2025, 6, 23)))
case("4009Q", PLANS, lambda: with_child(death_date=D(2025, 9, 9)), lambda: with_child(death_date=D(2025, 9, 10)))
case("4004", PLANS,
     lambda: with_details(cin_plans=[cin_plan(end=None), cin_plan(start=D(2025, 7, 1), end=None, source_pk=31)]),
     lambda: with_details(cin_plans=[cin_plan(end=None),
                                     cin_plan(start=D(2025, 7, 1), end=D(2025, 7, 2), source_pk=31)]))
case("4014", PLANS,
     lambda: with_details(cin_plans=[cin_plan(), cin_plan(start=D(2025, 9, 10), end=D(2025, 9, 30), source_pk=31)]),
     lambda: with_details(cin_plans=[cin_plan(), cin_plan(start=D(2025, 9, 11), end=D(2025, 9, 30),
                                                          source_pk=31)]))
case("4001", PLANS, lambda: with_details(cin_plans=[cin_plan(end=None)]),
     lambda: with_details(cin_plans=[cin_plan(end=D(2025, 9, 10))]))
# A CIN plan may start the day a CP plan ends (stepped down), and a CP plan the day a CIN plan ends.
_LATER_PLAN = cin_plan(start=D(2025, 10, 1), end=D(2025, 11, 1), source_pk=31)
case("4016", PLANS, lambda: with_details(cin_plans=[cin_plan(), _LATER_PLAN]),
     lambda: with_details(cin_plans=[cin_plan(), _LATER_PLAN], cp_plans=[cp_plan(end=D(2025, 10, 1))]))
case("4017", CPP, lambda: with_details(cin_plans=[cin_plan(end=D(2025, 9, 11))]),
     lambda: with_details(cin_plans=[cin_plan(end=D(2025, 9, 10))]))
case("4003", CPP,
     lambda: with_details(cin_plans=[cin_plan(), cin_plan(start=D(2025, 12, 1), end=None, source_pk=31)]),
     lambda: with_details(cin_plans=[cin_plan(), cin_plan(start=D(2025, 12, 4), end=None, source_pk=31)]))

# ------------------------------------------------------------------------------------------ section 47

case("2889", S47, lambda: with_details(section47s=[section47(actual_start=D(2025, 5, 11))]),
     lambda: with_details(section47s=[section47(actual_start=D(2025, 5, 12))]))
case("2991Q", DETAILS, lambda: with_details(assessments=[]), lambda: with_details(assessments=[assessment()]))
case("8615", S47, lambda: with_details(section47s=[section47(actual_start=D(2025, 9, 11))]),
     lambda: with_details(section47s=[section47(actual_start=D(2025, 9, 10))]))
_S47_OPEN: dict[str, Any] = {"date_of_initial_cpc": None}
case("8740", S47, lambda: with_details(section47s=[section47(actual_start=D(2025, 3, 31), **_S47_OPEN)]),
     lambda: with_details(section47s=[section47(actual_start=D(2025, 4, 1), **_S47_OPEN)]))
case("8675Q", S47, lambda: with_details(section47s=[section47(actual_start=D(2026, 2, 2), **_S47_OPEN)]),
     lambda: with_details(section47s=[section47(actual_start=D(2026, 3, 20), **_S47_OPEN)]))
case("8839", S47,
     lambda: with_details(section47s=[section47(**_S47_OPEN),
                                      section47(actual_start=D(2025, 9, 1), source_pk=41, **_S47_OPEN)]),
     lambda: with_details(section47s=[section47(**_S47_OPEN),
                                      section47(actual_start=D(2025, 9, 1), source_pk=41, icpc_not_required=True,
                                                **_S47_OPEN)]))
case("8890", S47,
     lambda: with_details(section47s=[section47(), section47(actual_start=D(2025, 9, 10),
                                                            date_of_initial_cpc=D(2025, 9, 24), source_pk=41)]),
     lambda: with_details(section47s=[section47(), section47(actual_start=D(2025, 9, 11),
                                                            date_of_initial_cpc=D(2025, 9, 24), source_pk=41)]))
case("8868", S47, lambda: with_details(closure_date=D(2026, 3, 20), reason_for_closure="RC7",
                                       section47s=[section47(**_S47_OPEN)]),
     lambda: with_details(closure_date=D(2026, 3, 20), reason_for_closure="RC7",
                          section47s=[section47(icpc_not_required=True, **_S47_OPEN)]))
case("8870Q", S47, lambda: with_details(section47s=[section47(initial_cpc_target=D(2025, 9, 13))]),
     lambda: with_details(section47s=[section47(initial_cpc_target=D(2025, 9, 12))]))

# ------------------------------------------------------------------------------------------ conferences

case("1104", S47, lambda: with_details(section47s=[section47(date_of_initial_cpc=D(2025, 5, 9))]),
     lambda: with_details(section47s=[section47(date_of_initial_cpc=D(2025, 5, 12))]))
case("8715", S47, lambda: with_details(section47s=[section47(date_of_initial_cpc=D(2026, 4, 1))]),
     lambda: with_details(section47s=[section47(date_of_initial_cpc=D(2026, 3, 31))]))
case("8875", S47, lambda: with_details(section47s=[section47(date_of_initial_cpc=D(2025, 9, 13))]),
     lambda: with_details(section47s=[section47(date_of_initial_cpc=D(2025, 9, 12))]))
case("2884", DETAILS, lambda: with_details(date_of_initial_cpc=D(2025, 9, 10)),
     lambda: with_details(date_of_initial_cpc=None))

# ------------------------------------------------------------------------------------------ CP plans

case("1105", CPP, lambda: with_details(cp_plans=[cp_plan(start=D(2025, 5, 11))]),
     lambda: with_details(cp_plans=[cp_plan(start=D(2025, 5, 12))]))
case("2885", CPP, lambda: with_details(cp_plans=[cp_plan(start=D(2025, 9, 11))]),
     lambda: with_details(cp_plans=[cp_plan(start=D(2025, 9, 10))]))
case("8720", CPP, lambda: with_details(cp_plans=[cp_plan(start=None)]),
     lambda: with_details(cp_plans=[cp_plan(start=D(2025, 9, 10))]))
case("8730", CPP, lambda: with_details(cp_plans=[cp_plan(number_of_previous=None)]),
     lambda: with_details(cp_plans=[cp_plan(number_of_previous=0)]))
case("8840", CPP, lambda: with_details(cp_plans=[cp_plan(end=D(2025, 9, 10))]),
     lambda: with_details(cp_plans=[cp_plan(end=D(2025, 9, 11))]))
case("8925", CPP, lambda: with_details(cp_plans=[cp_plan(end=D(2025, 9, 9))]),
     lambda: with_details(cp_plans=[cp_plan(end=D(2025, 9, 11))]))
case("8930", CPP, lambda: with_details(cp_plans=[cp_plan(end=D(2026, 4, 1))]),
     lambda: with_details(cp_plans=[cp_plan(end=D(2026, 3, 31))]))
case("8905", CPP, lambda: with_details(cp_plans=[cp_plan(initial_category="NEGL")]),
     lambda: with_details(cp_plans=[cp_plan(initial_category="NEG")]))
case("8910", CPP, lambda: with_details(cp_plans=[cp_plan(latest_category="")]),
     lambda: with_details(cp_plans=[cp_plan(latest_category="EMO")]))
case("8915", CPP, lambda: with_child(death_date=D(2025, 9, 9)), lambda: with_child(death_date=D(2025, 9, 10)))
_ENDED = [cin_details(cp_plans=[cp_plan(end=D(2026, 1, 9))])]
case("8920", CPP, lambda: with_child(death_date=D(2026, 1, 8), details=_ENDED),
     lambda: with_child(death_date=D(2026, 1, 9), details=_ENDED))
case("8935", CPP,
     lambda: with_details(cp_plans=[cp_plan(), cp_plan(start=D(2025, 10, 1), source_pk=51)]),
     lambda: with_details(cp_plans=[cp_plan(), cp_plan(start=D(2025, 10, 1), end=D(2025, 10, 2), source_pk=51)]))
case("8940", CPP,
     lambda: with_details(cp_plans=[cp_plan(end=D(2025, 11, 1)),
                                    cp_plan(start=D(2025, 11, 1), end=D(2025, 12, 1), source_pk=51)]),
     lambda: with_details(cp_plans=[cp_plan(end=D(2025, 11, 1)),
                                    cp_plan(start=D(2025, 11, 2), end=D(2025, 12, 1), source_pk=51)]))
case("8841", CPP, lambda: with_details(cp_plans=[cp_plan(review_dates=[D(2025, 9, 10)])]),
     lambda: with_details(cp_plans=[cp_plan(review_dates=[D(2025, 9, 11)])]))
case("8842Q", CPP, lambda: with_details(cp_plans=[cp_plan(review_dates=[None])]),
     lambda: with_details(cp_plans=[cp_plan(review_dates=[D(2025, 12, 3)])]))


# ------------------------------------------------------------------------------------------ the cases


@pytest.mark.parametrize("code", sorted(CASES))
def test_failing_case_is_found_and_passing_case_is_not(code: str) -> None:
    fail, passing = CASES[code]
    element, child_id = EXPECTED[code]
    found = findings(code, fail())
    assert found, f"{code}: the failing case found nothing"
    assert any(f.table == element and f.child == child_id for f in found), (
        f"{code}: expected a finding on {element} for {child_id!r}, got {[(f.table, f.child) for f in found]}")
    assert all(f.rule == code and f.message for f in found)
    assert findings(code, passing()) == []


def test_every_cin_rule_has_a_case() -> None:
    assert sorted(set(specs_cin()) - set(CASES)) == []
    assert sorted(set(CASES) - set(RULES_CIN)) == []


def test_severity_follows_the_rule_list() -> None:
    for code, (fail, _) in CASES.items():
        expected = "query" if code.endswith("Q") else "error"
        assert {f.severity for f in findings(code, fail())} == {expected}, code


def _rich_census(year: int = 2026) -> CinCensus:
    """Every kind of record the defaults have: two episodes, an NFA referral, an unborn child."""
    return census(child(details=[closed_episode(), nfa_referral(), cin_details()]), unborn_child(), year=year)


def test_the_valid_defaults_pass_every_rule() -> None:
    for built in (census(), _rich_census()):
        result = validate_cin(built)
        assert result.findings == []
        assert len(result.rules_run) == 109 and result.not_run == {}


def _shift(value: Any, years: int) -> Any:
    """The same census ``years`` earlier, date by date."""
    if isinstance(value, date):
        return value + relativedelta(years=years)
    if isinstance(value, list):
        return [_shift(v, years) for v in value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.replace(value, **{f.name: _shift(getattr(value, f.name), years)
                                             for f in dataclasses.fields(value) if f.name != "year"})
    return value


def test_rules_follow_the_census_year() -> None:
    # The 2024/25 census (CIN_schema_2025) is checked against its own period and reference date.
    earlier_census = _shift(_rich_census(), -1)
    earlier_census.year = 2025
    assert earlier_census.reference_date == D(2025, 3, 31)
    assert validate_cin(earlier_census).findings == []
    # The 2026 data read as a 2025 census: dates fall outside the year and the reference date is wrong.
    wrong_year = _rich_census()
    wrong_year.year = 2025
    assert {"100", "8600", "8720"} <= {f.rule for f in validate_cin(wrong_year).findings}


# ------------------------------------------------------------------------------------------ findings link to the record


def test_a_finding_names_where_it_is_and_what_to_open() -> None:
    (found,) = findings("8608", with_details(assessments=[assessment(actual_start=D(2025, 6, 21))]))
    assert found.child == CHILD
    assert found.location == f"Referral 12/05/2025{SEP}Assessment started 21/06/2025"
    assert found.source == ("cin.assessment", 20)
    assert found.fields == ("AssessmentActualStartDate", "AssessmentAuthorisationDate")
    assert found.value == "20/06/2025"

    (plan,) = findings("4011", with_details(cin_plans=[cin_plan(end=D(2025, 6, 22))]))
    assert plan.source == ("cin.cinplan", 30)
    (s47,) = findings("2889", with_details(section47s=[section47(actual_start=D(2025, 5, 11))]))
    assert s47.source == ("protection.section47enquiry", 40)
    (cpp,) = findings("8840", with_details(cp_plans=[cp_plan(end=D(2025, 9, 10))]))
    assert cpp.source == ("protection.childprotectionplan", 50)
    (episode,) = findings("8866", with_details(referral_source="11"))
    assert episode.source == ("cin.cinepisode", 10) and episode.location == "Referral 12/05/2025"
    (person,) = findings("4220", with_child(ethnicity="WBR"))
    assert person.source == ("people.person", 1) and person.value == "WBR"


def test_a_census_read_from_a_file_has_no_links() -> None:
    built = with_details(assessments=[assessment(actual_start=D(2025, 6, 21), source_pk=None)])
    (found,) = findings("8608", built)
    assert found.source is None


def test_a_finding_about_the_whole_return_names_no_child() -> None:
    (found,) = findings("2886Q", census(child(sex="U"), second_child(sex="U")))
    assert found.child == "" and found.table == "Header" and found.value == "2 of 2 children"


# ------------------------------------------------------------------------------------------ properties


@given(digits=st.text(alphabet="0123456789", min_size=11, max_size=11),
       last=st.sampled_from(list("0123456789ABCDEFGHJKLMNPQRTUVWXYZ")))
def test_a_upn_with_its_check_letter_passes_and_any_other_letter_fails(digits: str, last: str) -> None:
    good = upn(la=digits[:3], serial=digits[3:], last=last)
    assert findings("1510", with_child(upn=good)) == []
    assert findings("1540", with_child(upn=good)) == []
    assert findings("1550", with_child(upn=good)) == []
    for letter in "ABZ":
        if letter != good[0]:
            assert findings("1510", with_child(upn=letter + good[1:]))


_IN_YEAR = st.dates(min_value=D(2025, 4, 1), max_value=D(2026, 3, 31))


@given(a=st.tuples(_IN_YEAR, _IN_YEAR), b=st.tuples(_IN_YEAR, _IN_YEAR))
def test_cp_plans_are_reported_exactly_when_they_share_a_day(a: tuple[date, date], b: tuple[date, date]) -> None:
    (s1, e1), (s2, e2) = sorted(a), sorted(b)
    built = with_details(cp_plans=[cp_plan(start=s1, end=e1), cp_plan(start=s2, end=e2, source_pk=51)])
    share_a_day = max(s1, s2) <= min(e1, e2)
    assert bool(findings("8940", built)) == share_a_day


@given(first=st.tuples(_IN_YEAR, _IN_YEAR), gap=st.integers(min_value=0, max_value=60))
def test_referrals_that_follow_each_other_never_overlap(first: tuple[date, date], gap: int) -> None:
    referred, closed = sorted(first)
    following = closed + relativedelta(days=gap)
    # Two referrals on the same day do overlap, even when one closed that day.
    assume(following > referred)
    built = census(child(details=[
        cin_details(referral_date=referred, closure_date=closed, reason_for_closure="RC7", assessments=[],
                    cin_plans=[], section47s=[], cp_plans=[], source_pk=14),
        cin_details(referral_date=following, assessments=[], cin_plans=[], section47s=[], cp_plans=[]),
    ]))
    assert findings("8820", built) == []


def test_working_days_skip_weekends_and_bank_holidays() -> None:
    # Good Friday 3 April and Easter Monday 6 April 2026 are bank holidays.
    assert working_days_before(D(2026, 4, 7), 1, year=2026) == D(2026, 4, 2)
    assert working_days_before(D(2025, 4, 1), 1, year=2025) == D(2025, 3, 31)
    assert working_days_before(D(2026, 3, 30), 1, year=2026) == D(2026, 3, 27)


def test_la_codes_hold_every_council_and_the_pseudo_codes() -> None:
    codes = la_codes()
    assert {"892", "201", "942", "943", "001", "708"} <= codes
    assert "999" not in codes and "000" not in codes


def test_rules_do_not_change_the_census() -> None:
    built = _rich_census()
    before = dataclasses.asdict(built)
    validate_cin(built)
    assert dataclasses.asdict(built) == before
