"""The SSDA903 rules that are cheap to check as data is typed: pure functions, no database.

Problems (``*_problems``) are impossible or invalid data and are refused by the services, keyed by
the form field they are about. Warnings (``*_warnings``) are what DfE's validator queries but may
be right (a 15-year-old in supported accommodation, an EPO past 21 days): shown on the record.
Rule numbers are those of ``../shared/reference/returns/ssda903_rules_2026_27.csv``.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from .codes import (
    ADOPTION_PLACEMENTS,
    FOSTER_PLACEMENTS,
    NO_DOLO_PLACEMENTS,
    NO_PROVIDER_PLACEMENTS,
    RETIRED_PLACEMENT_TYPES,
    SHORT_BREAKS,
    TEMPORARY_PLACEMENTS,
    LegalStatus,
    PlacementProvider,
    PlacementType,
    PreviousPermanence,
)

# Ofsted URNs: SC and six digits (social care), six or seven digits, or XXXXXXX for a regional
# adoption agency (rules 1008, 242).
_URN = re.compile(r"^(SC\d{6}|\d{6,7}|XXXXXXX)$")
RAA_URN = "XXXXXXX"
_LA_PERM = re.compile(r"^(\d{3}|NIR|SCO|WAL|NUK|999)$")
# Placement types that need no Ofsted URN (rule 218, 2025/26).
NO_URN_PLACEMENTS = frozenset({"P1", "P3", "R1", "R2", "R5"}) | NO_PROVIDER_PLACEMENTS
PLACED_WITH_CURRENT_CARER = frozenset({"A3", "A5"})
UNDER_PLACEMENT_ORDER = frozenset({"A5", "A6"})
YOUTH_JUSTICE = frozenset({"J1", "J2", "J3"})
# Minimum ages for placement types (rules 372 to 374); K3 (371) is a warning, not a refusal.
MINIMUM_AGE = {"R5": 10, "S1": 4, "P3": 14}
# Providers a placement type cannot have (rules 527 to 531, 550).
_NOT_WITH = {
    "PR1": frozenset({"P1", "R2", "R5"}),
    "PR2": frozenset({"P1", "R2", "R5"}),
    "PR3": frozenset({"P1", "K1", "K2"}) | ADOPTION_PLACEMENTS | FOSTER_PLACEMENTS,
    "PR4": frozenset({"P1"}),
    "PR5": frozenset({"P1"}),
}
# Legal-status durations DfE queries (rules 361, 362, 363, 365), in days.
LEGAL_STATUS_LIMITS = {
    "L1": (3, "361", "Police protection lasted more than 72 hours"),
    "L2": (21, "362", "The emergency protection order lasted more than 21 days"),
    "L3": (7, "363", "The child assessment order lasted more than 7 days"),
    "V3": (17, "365", "This short break lasted more than 17 days"),
}
# Temporary placements DfE queries when long (rules 375, 376, 379), in days.
TEMPORARY_LIMITS = {
    "T1": (42, "375", "The temporary period in hospital lasted more than 6 weeks"),
    "T3": (21, "376", "The temporary placement while the foster carer was on holiday lasted more than 3 weeks"),
    "T4": (7, "379", "The temporary placement of 7 days or less lasted more than 7 days"),
}
# Placement types a DoLO is expected in (rule 709).
DOLO_EXPECTED = frozenset({"K2", "Z12", "Z13"})
# Leaving reasons and the ages they need (rules 386, 387, 389, 407, 460).
ADOPTED = frozenset({"E11", "E12"})
SGO_OR_CAO = frozenset({"E41", "E45", "E46", "E47", "E48"})
FORMER_FOSTER_CARER_SGO = frozenset({"E45", "E46"})
LEAVING_MINIMUM_AGE = {"E5": 14, "E6": 14, "E7": 16, "E17": 18}
MAX_DISTANCE_MILES = 350


def normalise_urn(value: str) -> str:
    return re.sub(r"\s", "", value or "").upper()


def placement_type_problem(placement_type: str) -> str:
    if placement_type in RETIRED_PLACEMENT_TYPES:
        return (f"{RETIRED_PLACEMENT_TYPES[placement_type]}: choose the placement type that describes it now "
                "(K3 for registered supported accommodation, Z11 to Z14 for other placements)")
    if placement_type not in PlacementType.values:
        return "Choose the placement type"
    return ""


def placement_problems(
    *,
    placement_type: str,
    provider: str,
    urn: str,
    age: int | None,
    legal_status: str | None,
    is_first: bool,
    same_carer_as_previous: bool = False,
    previous_type: str | None = None,
    has_adoption_decision: bool = False,
    dolo_open: bool = False,
    has_foster_household: bool = False,
    child_name: str = "the child",
) -> dict[str, str]:
    """What is wrong with a placement starting with these details, field by field."""
    problems: dict[str, str] = {}
    wrong_type = placement_type_problem(placement_type)
    if wrong_type:
        return {"placement_type": wrong_type}
    label = PlacementType(placement_type).label

    if placement_type in NO_PROVIDER_PLACEMENTS:
        if provider:
            problems["provider"] = "A temporary move or a Z11 to Z14 placement has no provider: leave it blank"
    elif not provider:
        problems["provider"] = "Choose who provides the placement"
    elif provider not in PlacementProvider.values:
        problems["provider"] = "Choose who provides the placement from the list"
    elif provider == "PR0" and placement_type != "P1":
        problems["provider"] = "PR0 (parents) only provides a placement with parents (P1)"
    elif placement_type in _NOT_WITH.get(provider, frozenset()):
        problems["provider"] = f"{PlacementProvider(provider).label} cannot provide {label}"

    if urn:
        if placement_type in NO_PROVIDER_PLACEMENTS:
            problems["urn"] = "A temporary move or a Z11 to Z14 placement has no Ofsted URN: leave it blank"
        elif not _URN.match(urn):
            problems["urn"] = ("Enter the Ofsted URN as SC and 6 numbers (like SC123456), or 6 or 7 numbers. "
                               "Use XXXXXXX only for a regional adoption agency")
        elif urn == RAA_URN and placement_type not in ADOPTION_PLACEMENTS:
            problems["urn"] = "XXXXXXX is only for a placement for adoption through a regional adoption agency"

    if has_foster_household and placement_type not in FOSTER_PLACEMENTS | ADOPTION_PLACEMENTS:
        problems["foster_household"] = "Only a foster placement or a placement for adoption has a foster household"

    if is_first and placement_type in TEMPORARY_PLACEMENTS:
        problems["placement_type"] = "A period of care cannot start with a temporary placement (T0 to T4)"
    minimum = MINIMUM_AGE.get(placement_type)
    if minimum is not None and age is not None and age < minimum:
        problems["placement_type"] = f"{label} is only for a child aged {minimum} or over"
    if placement_type in ADOPTION_PLACEMENTS:
        if not has_adoption_decision:
            problems["placement_type"] = (
                f"Record the decision that {child_name} should be placed for adoption before the placement "
                "for adoption (it must come first)")
        elif placement_type in PLACED_WITH_CURRENT_CARER:
            if previous_type not in FOSTER_PLACEMENTS:
                problems["placement_type"] = (
                    "A3 and A5 are a placement for adoption with the current foster carer: the placement before "
                    "must be foster care (U1 to U6). Choose A4 or A6 otherwise")
            elif not same_carer_as_previous:
                problems["same_carer_as_previous"] = (
                    "A3 and A5 are with the current foster carer: answer yes to the same carer, or choose A4 or A6")
    if dolo_open and placement_type in NO_DOLO_PLACEMENTS:
        problems["placement_type"] = (
            f"{child_name} has a deprivation of liberty order, which cannot continue in {label}. "
            "End the order first if it has ended")
    if legal_status:
        clash = combination_problem(legal_status=legal_status, placement_type=placement_type)
        if clash:
            problems.setdefault("placement_type", clash)
    return problems


def combination_problem(*, legal_status: str, placement_type: str) -> str:
    """A legal status and a placement type that cannot go together (rules 378, 382, 384, 408)."""
    if placement_type in UNDER_PLACEMENT_ORDER and legal_status != "E1":
        return ("A5 and A6 are a placement for adoption under a placement order: the legal status must be "
                "E1 (placement order granted). Choose A3 or A4 if the child is placed with consent")
    if placement_type == "P1" and legal_status == "V2":
        return "A child placed with parents (P1) cannot be accommodated under section 20 (V2)"
    if legal_status in SHORT_BREAKS and placement_type in TEMPORARY_PLACEMENTS:
        return "A child on short breaks (V3 or V4) cannot be in a temporary placement"
    if legal_status in SHORT_BREAKS and placement_type in {"U1", "U4"}:
        return "A child on short breaks (V3 or V4) cannot be in a long-term foster placement (U1 or U4)"
    return ""


def legal_status_problems(*, legal_status: str, age: int | None) -> dict[str, str]:
    if legal_status not in LegalStatus.values:
        return {"legal_status": "Choose the legal status"}
    if legal_status in YOUTH_JUSTICE and age is not None and age < 10:
        return {"legal_status": "A child under 10 cannot be remanded, detained under PACE or on a youth "
                                "rehabilitation order (J1 to J3)"}
    return {}


def previous_permanence_problems(
    *, previous_permanence: str, la: str, on: date | None, period_started_on: date
) -> dict[str, str]:
    problems: dict[str, str] = {}
    if previous_permanence and previous_permanence not in PreviousPermanence.values:
        problems["previous_permanence"] = "Choose the previous permanence option"
    if previous_permanence in ("", "Z1") and (la or on):
        problems["previous_permanence"] = ("Leave the council and date blank when there was no previous "
                                           "permanence option")
    if la and not _LA_PERM.match(la):
        problems["previous_permanence_la"] = ("Enter the council's 3-digit DfE number, or NIR, SCO, WAL, NUK "
                                              "(outside the UK) or 999 (not known)")
    if on is not None and on > period_started_on:
        problems["previous_permanence_on"] = "The order must be before the child came into care"
    return problems


def leaving_problems(
    *, reason: str, age: int | None, current_type: str, any_foster: bool, has_order_on: date | None,
    ended_on: date,
) -> str:
    """Why this leaving reason cannot be right (rules 381, 386, 387, 389, 390, 407, 460, 516)."""
    if current_type in TEMPORARY_PLACEMENTS:
        return ("A period of care cannot end in a temporary placement: record the move back to the usual "
                "placement first, or correct the placement type")
    if reason in ADOPTED:
        if age is not None and age >= 18:
            return "A young person of 18 or over cannot be adopted from care"
        if current_type not in ADOPTION_PLACEMENTS:
            return "A child is adopted from a placement for adoption (A3 to A6): record that placement first"
        if has_order_on is None:
            return "Record the date of the adoption order in the adoption steps first"
        if has_order_on != ended_on:
            return (f"A child adopted from care stops being looked after on the date of the adoption order "
                    f"({has_order_on.day} {has_order_on:%B %Y})")
    if reason in SGO_OR_CAO and age is not None and age >= 18:
        return "A special guardianship or child arrangements order cannot be made for a young person of 18 or over"
    if reason in FORMER_FOSTER_CARER_SGO and not any_foster:
        return "E45 and E46 are a special guardianship order to a former foster carer: choose E47 or E48"
    minimum = LEAVING_MINIMUM_AGE.get(reason)
    if minimum is not None and age is not None and age < minimum:
        return f"This reason is only for a young person aged {minimum} or over"
    return ""


def adopter_problems(
    *, number: int | None, sex: str, legal_status: str, adopted_by_foster_carer: bool | None, required: bool
) -> dict[str, str]:
    """AD1: all or nothing (rule 151), and the number, sex and legal status must agree (511 to 524)."""
    given = [number is not None, bool(sex), bool(legal_status), adopted_by_foster_carer is not None]
    problems: dict[str, str] = {}
    if not any(given) and not required:
        return {}
    if number is None:
        problems["number_of_adopters"] = "Choose how many adopters there are"
    elif number not in (1, 2):
        problems["number_of_adopters"] = "There are 1 or 2 adopters"
    if not sex:
        problems["adopter_sex"] = "Choose the sex of the adopters"
    if not legal_status:
        problems["adopter_legal_status"] = "Choose the legal status of the adopters"
    if adopted_by_foster_carer is None:
        problems["adopted_by_foster_carer"] = "Select yes if the child was adopted by their foster carer"
    if problems:
        return problems
    couple = sex in ("MM", "FF", "MF")
    if number == 2 and not couple:
        problems["adopter_sex"] = "Two adopters are a male couple, a female couple or a male and female couple"
    elif number == 1 and couple:
        problems["adopter_sex"] = "One adopter is a single male or a single female"
    elif legal_status == "L0" and couple:
        problems["adopter_legal_status"] = "A single adopter cannot be a couple"
    elif legal_status != "L0" and not couple:
        problems["adopter_legal_status"] = "A couple's legal status is for two adopters: choose single adopter"
    elif legal_status in ("L3", "L11") and sex != "MF":
        problems["adopter_legal_status"] = "This legal status is for a male and female couple"
    elif legal_status in ("L4", "L12") and sex not in ("MM", "FF"):
        problems["adopter_legal_status"] = "This legal status is for a same-sex couple"
    return problems


# ---------------------------------------------------------------------------------------------- warnings


def placement_warnings(
    *, placement_type: str, age: int | None, urn: str, postcode: str, home_postcode: str,
    distance_miles: Decimal | None, is_uasc: bool, started_on: date, ended_on: date | None, today: date,
    dolo_open: bool = False,
) -> list[str]:
    warnings: list[str] = []
    if placement_type == "K3" and age is not None and age < 16:
        warnings.append("The child was under 16 when placed in supported accommodation (K3), which is for "
                        "16 and over (903 rule 371)")
    if not urn and placement_type not in NO_URN_PLACEMENTS:
        warnings.append("No Ofsted URN: the return needs one for this placement type unless it is outside "
                        "England (903 rule 218)")
    if postcode and home_postcode and postcode == home_postcode and placement_type != "P1":
        warnings.append("The placement postcode is the same as the home postcode, which the return queries "
                        "unless the child is placed with parents (903 rule 392d)")
    if distance_miles is not None:
        if is_uasc:
            warnings.append("An unaccompanied asylum-seeking child has no distance from home in the return "
                            "(903 rule 406)")
        elif distance_miles > MAX_DISTANCE_MILES:
            warnings.append("The placement is more than 350 miles from home: check the distance (903 rule 454)")
    limit = TEMPORARY_LIMITS.get(placement_type)
    if limit is not None and ((ended_on or today) - started_on).days > limit[0]:
        warnings.append(f"{limit[2]} (903 rule {limit[1]})")
    if dolo_open and placement_type not in DOLO_EXPECTED and placement_type not in NO_DOLO_PLACEMENTS:
        warnings.append("A deprivation of liberty order is expected in a children's home (K2) or Z12 or Z13 "
                        "(903 rule 709)")
    return warnings


def legal_status_warnings(*, legal_status: str, started_on: date, ended_on: date | None, today: date) -> list[str]:
    limit = LEGAL_STATUS_LIMITS.get(legal_status)
    if limit is None:
        return []
    if ((ended_on or today) - started_on).days > limit[0]:
        return [f"{limit[2]} (903 rule {limit[1]})"]
    return []
