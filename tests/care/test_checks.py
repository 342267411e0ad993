"""The 903 rules checked as data is typed (pure functions)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from hearth.care import checks


def problems(**overrides):
    values = {"placement_type": "U6", "provider": "PR1", "urn": "SC123456", "age": 10, "legal_status": "C2",
              "is_first": False}
    values.update(overrides)
    return checks.placement_problems(**values)


def test_a_good_foster_placement_has_no_problems():
    assert problems() == {}


@pytest.mark.parametrize("code", ["H5", "P2", "Z1"])
def test_retired_placement_types_are_never_accepted(code):
    assert "placement_type" in problems(placement_type=code)


def test_provider_is_needed_except_for_temporary_and_z_placements():
    assert problems(provider="")["provider"] == "Choose who provides the placement"
    assert problems(placement_type="T1", provider="", urn="") == {}
    assert "provider" in problems(placement_type="Z12", provider="PR4", urn="")
    assert "urn" in problems(placement_type="T4", provider="", urn="SC123456")


@pytest.mark.parametrize(("place", "provider"), [("U6", "PR0"), ("P1", "PR1"), ("R5", "PR2"), ("K2", "PR3"),
                                                  ("P1", "PR4"), ("A4", "PR3")])
def test_providers_that_cannot_provide_a_placement_type_are_refused(place, provider):
    assert "provider" in problems(placement_type=place, provider=provider, legal_status="E1")


@pytest.mark.parametrize("urn", ["SC12345", "12345", "SC1234567", "ABC123", "XXXXXX"])
def test_urn_format(urn):
    assert "urn" in problems(urn=urn)


def test_a_regional_adoption_agency_urn_only_for_placements_for_adoption():
    assert "urn" in problems(urn="XXXXXXX")
    assert "urn" not in problems(placement_type="A6", legal_status="E1", urn="XXXXXXX", has_adoption_decision=True)


def test_adoption_placements_need_a_decision_and_a_placement_order_for_a5_a6():
    assert "placement_type" in problems(placement_type="A4")
    assert "Record the decision" in problems(placement_type="A6", legal_status="E1")["placement_type"]
    assert "E1" in problems(placement_type="A6", legal_status="C2", has_adoption_decision=True)["placement_type"]


def test_placed_for_adoption_with_the_current_carer_needs_a_foster_placement_before_and_the_same_carer():
    base = {"placement_type": "A3", "legal_status": "C2", "has_adoption_decision": True}
    assert "placement_type" in problems(**base, previous_type="K2", same_carer_as_previous=True)
    assert "same_carer_as_previous" in problems(**base, previous_type="U4", same_carer_as_previous=False)
    assert problems(**base, previous_type="U4", same_carer_as_previous=True) == {}


def test_ages_for_custody_school_and_employment():
    assert "placement_type" in problems(placement_type="R5", provider="PR3", urn="", age=9)
    assert "placement_type" in problems(placement_type="S1", age=3)
    assert "placement_type" in problems(placement_type="P3", urn="", age=13)
    assert problems(placement_type="K3", provider="PR4", age=15) == {}  # a warning, not a refusal


def test_a_period_cannot_start_in_a_temporary_placement():
    assert "placement_type" in problems(placement_type="T0", provider="", urn="", is_first=True)


def test_legal_status_and_placement_combinations():
    assert "V2" in problems(placement_type="P1", provider="PR0", urn="", legal_status="V2")["placement_type"]
    assert "placement_type" in problems(placement_type="U4", legal_status="V3")
    assert "placement_type" in problems(placement_type="T3", provider="", urn="", legal_status="V4")


def test_a_deprivation_of_liberty_order_cannot_continue_in_secure_parents_custody_or_supported():
    for place, provider in (("K1", "PR1"), ("P1", "PR0"), ("K3", "PR4")):
        assert "placement_type" in problems(placement_type=place, provider=provider, urn="SC111111", age=17,
                                            legal_status="C2", dolo_open=True)


def test_youth_justice_legal_status_under_10_is_refused():
    assert checks.legal_status_problems(legal_status="J1", age=9)
    assert checks.legal_status_problems(legal_status="J1", age=10) == {}
    assert checks.legal_status_problems(legal_status="X9", age=10)


def test_adopter_details_must_agree():
    ok = {"number": 2, "sex": "MF", "legal_status": "L11", "adopted_by_foster_carer": False, "required": True}
    assert checks.adopter_problems(**ok) == {}
    assert "adopter_sex" in checks.adopter_problems(**{**ok, "sex": "M1"})
    assert "adopter_legal_status" in checks.adopter_problems(**{**ok, "legal_status": "L12"})
    assert "adopter_legal_status" in checks.adopter_problems(**{**ok, "number": 1, "sex": "F1"})
    assert checks.adopter_problems(number=1, sex="F1", legal_status="L0", adopted_by_foster_carer=True,
                                   required=True) == {}
    assert len(checks.adopter_problems(number=None, sex="", legal_status="", adopted_by_foster_carer=None,
                                       required=True)) == 4
    assert checks.adopter_problems(number=None, sex="", legal_status="", adopted_by_foster_carer=None,
                                   required=False) == {}


def test_warnings_k3_under_16_urn_distance_and_short_temporary_moves():
    today = date(2025, 1, 1)

    def warn(**kw):
        values = {"placement_type": "U6", "age": 12, "urn": "SC123456", "postcode": "NG7 2AA",
                  "home_postcode": "NG1 1AA", "distance_miles": None, "is_uasc": False,
                  "started_on": date(2024, 12, 1), "ended_on": None, "today": today}
        values.update(kw)
        return " ".join(checks.placement_warnings(**values))

    assert warn() == ""
    assert "371" in warn(placement_type="K3", age=15)
    assert "218" in warn(urn="")
    assert "218" not in warn(placement_type="P1", urn="")
    assert "392d" in warn(postcode="NG1 1AA")
    assert "454" in warn(distance_miles=Decimal("351"))
    assert "406" in warn(distance_miles=Decimal("3"), is_uasc=True)
    assert "379" in warn(placement_type="T4", urn="", started_on=date(2024, 12, 20))
    assert "709" in warn(dolo_open=True)


@pytest.mark.parametrize(("code", "days", "rule"), [("L1", 4, "361"), ("L2", 22, "362"), ("L3", 8, "363"),
                                                    ("V3", 18, "365")])
def test_legal_status_limits_are_warned(code, days, rule):
    start = date(2024, 1, 1)
    assert rule in checks.legal_status_warnings(legal_status=code, started_on=start,
                                                ended_on=start + timedelta(days=days),
                                                today=date(2025, 1, 1))[0]
    assert checks.legal_status_warnings(legal_status=code, started_on=start, ended_on=start, today=start) == []


def test_leaving_reasons():
    base = {"age": 10, "current_type": "A5", "any_foster": True, "has_order_on": date(2025, 1, 1),
            "ended_on": date(2025, 1, 1)}
    assert checks.leaving_problems(reason="E11", **base) == ""
    assert "adoption order" in checks.leaving_problems(reason="E11", **{**base, "has_order_on": None})
    assert "date of the adoption order" in checks.leaving_problems(reason="E12", **{**base,
                                                                                   "ended_on": date(2025, 1, 2)})
    assert checks.leaving_problems(reason="E11", **{**base, "current_type": "U4"})
    assert checks.leaving_problems(reason="E4A", **{**base, "current_type": "T1"})
    assert checks.leaving_problems(reason="E5", **{**base, "current_type": "U4"})  # under 14
    assert checks.leaving_problems(reason="E45", **{**base, "current_type": "K2", "any_foster": False})
    assert checks.leaving_problems(reason="E17", **{**base, "age": 17, "current_type": "U4"})
