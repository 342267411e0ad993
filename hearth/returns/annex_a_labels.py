"""Ofsted's value labels for Annex A (returns.md §C.3), one table per item: Hearth's code -> Ofsted's label.

Where the sources disagree or Ofsted's template predates a code, the choice is Hearth's and is said here:

* Ethnicity letters follow the SSDA903 order, so REFU is ``s) REFU`` and NOBT ``t) NOBT`` (as List 11 already
  writes them); the January 2024 sample workbook shows ``s) NOBT``, from a template without REFU.
* Contact and referral source 5D (early help, added to the CIN census after Ofsted's list was drawn up) is
  ``p1) 5D: LA services``, beside the other LA services codes, so no other letter moves.
* Placement types that replaced a retired code sit beside it, as above: K3 (registered supported
  accommodation, which replaced H5) is ``n1) K3: …`` after ``n) H5: …``, and Z11 to Z14 (which replaced Z1)
  are ``v1)`` to ``v4)`` after ``v) Z1: Other placements``. H5, P2 and Z1 keep Ofsted's labels for history.
* Placement provider follows the January 2024 sample (``b) PR1 - Own provision``).
* Activity ``0`` (not known) has no Ofsted label: the cell is left empty.
"""
# ruff: noqa: RUF001  (Ofsted's labels use curly apostrophes)

from __future__ import annotations

from hearth.people.codes import Ethnicity

YES, NO, UNKNOWN = "a) Yes", "b) No", "c) Unknown"
YES_NO_LABELS = frozenset({YES, NO, UNKNOWN})

GENDER = {"M": "a) Male", "F": "b) Female", "U": "c) Not stated/recorded"}
NEITHER = "d) Neither"  # List 11 only: an adopter may say neither
GENDER_LABELS = frozenset({*GENDER.values(), NEITHER})

ETHNICITY = {code: f"{chr(ord('a') + i)}) {code}" for i, code in enumerate(Ethnicity.values)}

SOURCE = {
    "1A": "a) 1A: Individual", "1B": "b) 1B: Individual", "1C": "c) 1C: Individual", "1D": "d) 1D: Individual",
    "2A": "e) 2A: Schools", "2B": "f) 2B: Education services",
    "3A": "g) 3A: Health services", "3B": "h) 3B: Health services", "3C": "i) 3C: Health services",
    "3D": "j) 3D: Health services", "3E": "k) 3E: Health services", "3F": "l) 3F: Health services",
    "4": "m) 4: Housing",
    "5A": "n) 5A: LA services", "5B": "o) 5B: LA services", "5C": "p) 5C: LA services", "5D": "p1) 5D: LA services",
    "6": "q) 6: Police", "7": "r) 7: Other legal agency", "8": "s) 8: Other", "9": "t) 9: Anonymous",
    "10": "u) 10: Unknown",
}

# CIN primary need (List 6) and the period of care's category of need (List 8) share Ofsted's labels.
NEED = {
    "N1": "N1 - Abuse or neglect", "N2": "N2 - Child’s disability", "N3": "N3 - Parental disability or illness",
    "N4": "N4 - Family in acute stress", "N5": "N5 - Family dysfunction",
    "N6": "N6 - Socially unacceptable behaviour", "N7": "N7 - Low income", "N8": "N8 - Absent parenting",
    "N9": "N9 - Cases other than children in need", "N0": "N0 - Not stated",
}

CLOSURE_REASON = {
    "RC1": "RC1 - Adopted", "RC2": "RC2 - Died", "RC3": "RC3 - Child arrangements order",
    "RC4": "RC4 - Special guardianship order",
    "RC5": "RC5 - Transferred to services of another local authority",
    "RC6": "RC6 - Transferred to adult social care services",
    "RC7": "RC7 - Services ceased for any other reason, including child no longer in need",
    "RC8": "RC8 - Case closed after assessment, no further action",
    "RC9": "RC9 - Case closed after assessment, referred to early help",
}

LOOKED_AFTER, CP_PLAN, CIN_PLAN, OPEN_ASSESSMENT, CLOSED = (
    "a) Looked after child", "b) Child Protection plan", "c) Child in need plan", "d) Open assessment",
    "e) Closed episode")
CASE_STATUS_LABELS = frozenset({LOOKED_AFTER, CP_PLAN, CIN_PLAN, OPEN_ASSESSMENT, CLOSED})

CATEGORY_OF_ABUSE = {"NEG": "a) Neglect", "PHY": "b) Physical abuse", "SAB": "c) Sexual abuse",
                     "EMO": "d) Emotional abuse", "MUL": "e) Multiple/not recommended"}

LEGAL_STATUS = {
    "C1": "C1: ICO", "C2": "C2: FCO", "D1": "D1: Freeing order", "E1": "E1: Placement order",
    "V2": "V2: Single period under S20", "V3": "V3: Short term breaks, episodes recorded",
    "V4": "V4: Short term breaks, agreements recorded", "L1": "L1: Police protection LA accommodation",
    "L2": "L2: EPO", "L3": "L3: Child assessment order LA accommodation",
    "J1": "J1: Remanded to LA or youth detention", "J2": "J2: LA accommodation under PACE",
    "J3": "J3: Youth rehabilitation order",
}

PLACEMENT_TYPE = {
    "U1": "a) U1: Foster placement - relatives - long term", "U2": "b) U2: Foster placement - relative - FFA",
    "U3": "c) U3: Foster placement - relative - not FFA", "U4": "d) U4: Foster placement - long term",
    "U5": "e) U5: Foster placement - FFA", "U6": "f) U6: Foster placement - not FFA",
    "A3": "g) A3: Placed for adoption - consent - current foster",
    "A4": "h) A4: Placed for adoption - consent - not foster",
    "A5": "i) A5: Placed for adoption - order - foster", "A6": "j) A6: Placed for adoption - order - not foster",
    "P1": "k) P1: Placed with parents", "P2": "l) P2: Independent living", "P3": "m) P3: Residential employment",
    "H5": "n) H5: Residential accommodation", "K3": "n1) K3: Registered supported accommodation",
    "K1": "o) K1: Secure Children’s Homes", "K2": "p) K2: Children’s Homes", "R1": "q) R1: Residential Care Home",
    "R2": "r) R2: NHS/Health Trust", "R3": "s) R3: Family Centre or Mother and Baby Unit",
    "R5": "t) R5: Young Offender Institution", "S1": "u) S1: Residential school", "Z1": "v) Z1: Other placements",
    "Z11": "v1) Z11: Other placements", "Z12": "v2) Z12: Other placements", "Z13": "v3) Z13: Other placements",
    "Z14": "v4) Z14: Other placements",
    "T0": "w) T0: Temporary placement", "T1": "x) T1: Temporary placement - hospital",
    "T2": "y) T2: Temporary placement - holiday", "T3": "z) T3: Temporary placement - carer holiday",
    "T4": "zz) T4: Temporary placement - seven days or less",
}

PROVIDER = {
    "PR0": "a) PR0 - Parents/Parental responsibility", "PR1": "b) PR1 - Own provision",
    "PR2": "c) PR2 - Other LA provision", "PR3": "d) PR3 - Other public provision",
    "PR4": "e) PR4 - Private provision", "PR5": "f) PR5 - Voluntary/third sector",
}

LOCATION_LABELS = frozenset({"a) In", "b) Out"})

REASON_CEASED = {
    "E11": "a) E11: Adopted - application unopposed", "E12": "b) E12: Adopted - consent dispensed",
    "E2": "c) E2: Died", "E3": "d) E3: Care taken by another LA",
    "E4A": "e) E4A: Returned home to live with parents or relatives - part of planning",
    "E4B": "f) E4B: Returned home to live with parents or relatives - not part of planning",
    "E13": "g) E13: Parents, relatives or other with no parental responsibility",
    "E41": "h) E41: Residence order granted",
    "E45": "i) E45: Special Guardianship Orders - former carer relative/friend",
    "E46": "j) E46: Special Guardianship Orders - former carer other",
    "E47": "k) E47: Special Guardianship Orders - relative/friend",
    "E48": "l) E48: Special Guardianship Orders - other",
    "E5": "m) E5: Moved into independent living - supported",
    "E6": "n) E6: Moved into independent living - no support",
    "E7": "o) E7: Transferred to residential care funded by adult social services",
    "E9": "p) E9: Sentenced to custody", "E14": "q) E14: Accommodation on remand ended",
    "E15": "r) E15: Age assessment determined child was 18 or over", "E16": "s) E16: Child moved abroad",
    "E8": "t) E8: Care ceased for any other reason",
    "E17": "v) E17: Aged 18+ and remained with current carers",
}

PERMANENCE_PLAN = {
    "return_home": "a) Return to family", "adoption": "b) Adoption", "sgo_cao": "c) SGO/CAO",
    "supported_living": "d) Supported living in the community",
    "long_term_residential": "e) Long-term residential placement", "long_term_fostering": "f) Long-term fostering",
    "other": "g) Other",
}

ELIGIBILITY = {"relevant": "a) Relevant child", "former_relevant": "b) Former relevant child",
               "qualifying": "c) Qualifying care leaver"}

IN_TOUCH = {"YES": "a) Yes", "NO": "b) No", "DIED": "c) Died", "REFU": "d) Refu", "NREQ": "e) NREQ",
            "RHOM": "f) Rhom"}

ACCOMMODATION = {
    "B": "B: Parents/relatives", "C": "C: Community home / residential care",
    "D": "D: Semi-independent, transitional accommodation and self-contained accommodation",
    "E": "E: Supported lodgings", "G": "G: Abroad", "H": "H: Deported",
    "K": "K: Ordinary lodgings, without formal support", "R": "R: Residence not known",
    "S": "S: No fixed abode / homeless", "T": "T: Foyers and similar supported accommodation",
    "U": "U: Independent living", "V": "V: Emergency accommodation", "W": "W: Bed and breakfast",
    "X": "X: In custody", "Y": "Y: Other accommodation", "Z": "Z: With former foster carers",
}

SUITABLE, UNSUITABLE = "a) Suitable", "b) Unsuitable"
SUITABILITY_LABELS = frozenset({SUITABLE, UNSUITABLE})

ACTIVITY = {
    "F1": "F1: Full time in higher education", "P1": "P1: Part time in higher education",
    "F2": "F2: Full time in education other than higher", "P2": "P2: Part time in education other than higher",
    "F4": "F4: Young person engaged full time in an apprenticeship",
    "P4": "P4: Young person engaged part time in an apprenticeship",
    "F5": "F5: Young person engaged full time in training or employment (not apprenticeship)",
    "P5": "P5: Young person engaged part time in training or employment (not apprenticeship)",
    "G4": "G4: Not in education, employment or training - illness or disability",
    "G5": "G5: Not in education, employment or training - other",
    "G6": "G6: Not in education, employment or training - pregnancy or parenting",
}
# Codes deliberately written as an empty cell (Ofsted has no label for them).
ACTIVITY_UNLABELLED = frozenset({"0"})

REASON_NO_LONGER_PLACED = {
    "RD1": "RD1 - The child’s needs changed subsequent to the decision",
    "RD2": "RD2 - The Court did not make a placement order",
    "RD3": "RD3 - Prospective adopters could not be found",
    "RD4": "RD4 - Any other reason",
}

LEAVING_ADOPTION = {"1": "1 - Adopter withdrew from process", "2": "2 - Process put on hold",
                    "3": "3 - Application refused"}
