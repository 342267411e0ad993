"""SSDA903 code lists (children looked after return), 2025/26 and 2026/27 valid sets.

Labels paraphrase the DfE guide (returns.md §A.5). Codes retired before 2025/26 are kept in
RETIRED so that history still reads, but they are never offered for a new record.
"""

from django.db import models


class ReasonNewEpisode(models.TextChoices):
    STARTED = "S", "S: started to be looked after"
    LEGAL_STATUS = "L", "L: change of legal status only"
    PLACEMENT_AND_CARER = "P", "P: change of placement and carer"
    PLACEMENT_SAME_CARER = "T", "T: change of placement, same carer"
    LEGAL_STATUS_PLACEMENT_CARER = "B", "B: change of legal status, placement and carer"
    LEGAL_STATUS_PLACEMENT_SAME_CARER = "U", "U: change of legal status and placement, same carer"


class LegalStatus(models.TextChoices):
    INTERIM_CARE_ORDER = "C1", "C1: interim care order"
    FULL_CARE_ORDER = "C2", "C2: full care order"
    FREEING_ORDER = "D1", "D1: freeing order granted"
    PLACEMENT_ORDER = "E1", "E1: placement order granted"
    SECTION_20 = "V2", "V2: single period of accommodation under section 20"
    SHORT_BREAKS_EACH = "V3", "V3: series of short breaks, each break recorded"
    SHORT_BREAKS_AGREEMENT = "V4", "V4: series of short breaks, agreement recorded"
    POLICE_PROTECTION = "L1", "L1: police protection, in local authority accommodation"
    EMERGENCY_PROTECTION_ORDER = "L2", "L2: emergency protection order"
    CHILD_ASSESSMENT_ORDER = "L3", "L3: child assessment order, in local authority accommodation"
    REMANDED = "J1", "J1: remanded to local authority or youth detention accommodation"
    PACE = "J2", "J2: local authority accommodation under PACE 1984"
    YOUTH_REHABILITATION_ORDER = "J3", "J3: youth rehabilitation order with residence or fostering requirement"


class CategoryOfNeed(models.TextChoices):
    """The reason the period of care began; it stays the same through the period."""

    ABUSE_OR_NEGLECT = "N1", "N1: abuse, neglect or exploitation"
    DISABILITY = "N2", "N2: child's disability"
    PARENTAL_ILLNESS = "N3", "N3: parental illness or disability"
    ACUTE_STRESS = "N4", "N4: family in acute stress"
    FAMILY_DYSFUNCTION = "N5", "N5: family dysfunction"
    SOCIALLY_UNACCEPTABLE_BEHAVIOUR = "N6", "N6: socially unacceptable behaviour"
    LOW_INCOME = "N7", "N7: low income"
    ABSENT_PARENTING = "N8", "N8: absent parenting"


class PlacementType(models.TextChoices):
    """PLACE for 2025/26 on: K3 in, H5 and P2 out (2024/25), Z1 split into Z11 to Z14 (2025/26)."""

    FOSTER_RELATIVE_LONG_TERM = "U1", "U1: foster care with a relative or friend, long-term"
    FOSTER_RELATIVE_FFA = (
        "U2", "U2: foster care with a relative or friend, fostering for adoption or concurrent planning"
    )
    FOSTER_RELATIVE_OTHER = "U3", "U3: foster care with a relative or friend, other"
    FOSTER_OTHER_LONG_TERM = "U4", "U4: foster care with another carer, long-term"
    FOSTER_OTHER_FFA = "U5", "U5: foster care with another carer, fostering for adoption or concurrent planning"
    FOSTER_OTHER = "U6", "U6: foster care with another carer, other"
    ADOPTION_CONSENT_CURRENT_CARER = "A3", "A3: placed for adoption with consent, with current foster carer"
    ADOPTION_CONSENT_OTHER = "A4", "A4: placed for adoption with consent, not with current foster carer"
    ADOPTION_ORDER_CURRENT_CARER = "A5", "A5: placed for adoption under a placement order, with current foster carer"
    ADOPTION_ORDER_OTHER = "A6", "A6: placed for adoption under a placement order, not with current foster carer"
    SECURE_HOME = "K1", "K1: secure children's home"
    CHILDRENS_HOME = "K2", "K2: children's home"
    SUPPORTED_ACCOMMODATION = "K3", "K3: registered supported accommodation (16 and over)"
    WITH_PARENTS = "P1", "P1: placed with own parents or others with parental responsibility"
    RESIDENTIAL_EMPLOYMENT = "P3", "P3: residential employment"
    RESIDENTIAL_CARE_HOME = "R1", "R1: residential care home"
    HEALTH_PROVISION = "R2", "R2: NHS or health provision for medical or nursing care"
    FAMILY_CENTRE = "R3", "R3: family centre or mother and baby unit"
    YOUNG_OFFENDER_INSTITUTION = "R5", "R5: young offender institution"
    RESIDENTIAL_SCHOOL = "S1", "S1: residential school"
    TEMPORARY_ANY = "T0", "T0: temporary move of any type"
    TEMPORARY_HOSPITAL = "T1", "T1: temporary period in hospital"
    TEMPORARY_HOLIDAY = "T2", "T2: temporary absence on holiday"
    TEMPORARY_CARER_HOLIDAY = "T3", "T3: temporary accommodation while the usual foster carer is on holiday"
    TEMPORARY_SHORT = "T4", "T4: temporary accommodation of 7 days or less"
    # The DfE 2025/26 guide's descriptions for Z11 to Z14 were not available (returns.md §A.5);
    # the rules show none needs a URN or provider and Z12/Z13 are the DoLO settings.
    OTHER_Z11 = "Z11", "Z11: other placement (2025/26 code Z11)"
    OTHER_Z12 = "Z12", "Z12: other placement (2025/26 code Z12)"
    OTHER_Z13 = "Z13", "Z13: other placement (2025/26 code Z13)"
    OTHER_Z14 = "Z14", "Z14: other placement (2025/26 code Z14)"


RETIRED_PLACEMENT_TYPES = {
    "H5": "H5: semi-independent living (retired 2024/25)",
    "P2": "P2: independent living (retired 2024/25)",
    "Z1": "Z1: other placements (retired 2025/26)",
}

# Short breaks (V3 each break, V4 the agreement): looked after, but outside most measures and checks.
SHORT_BREAKS = frozenset({"V3", "V4"})
TEMPORARY_PLACEMENTS = frozenset({"T0", "T1", "T2", "T3", "T4"})
FOSTER_PLACEMENTS = frozenset({"U1", "U2", "U3", "U4", "U5", "U6"})
ADOPTION_PLACEMENTS = frozenset({"A3", "A4", "A5", "A6"})
LONG_TERM_PLACEMENTS = frozenset({"U1", "U4"})
# From 2025/26 no provider or URN for temporary moves and Z11 to Z14 (rules 178, 213, 218, 222).
NO_PROVIDER_PLACEMENTS = TEMPORARY_PLACEMENTS | {"Z11", "Z12", "Z13", "Z14"}
# Placement types where a DoLO must not sit (rule 710).
NO_DOLO_PLACEMENTS = frozenset({"K1", "P1", "R5", "K3"})


class PlacementProvider(models.TextChoices):
    PARENTS = "PR0", "PR0: parents or other person with parental responsibility"
    OWN_LA = "PR1", "PR1: own local authority provision"
    OTHER_LA = "PR2", "PR2: other local authority provision"
    OTHER_PUBLIC = "PR3", "PR3: other public provision"
    PRIVATE = "PR4", "PR4: private provision"
    VOLUNTARY = "PR5", "PR5: voluntary or third sector provision"


class ReasonEpisodeCeased(models.TextChoices):
    NEW_EPISODE = "X1", "X1: episode ceases and a new one begins on the same day"
    ADOPTED_UNOPPOSED = "E11", "E11: adopted, application unopposed"
    ADOPTED_CONSENT_DISPENSED = "E12", "E12: adopted, consent dispensed with by the court"
    DIED = "E2", "E2: died"
    TRANSFERRED_LA = "E3", "E3: care taken over by another local authority in the UK"
    RETURNED_HOME_PLANNED = "E4A", "E4A: returned home to parents or person with parental responsibility, as planned"
    RETURNED_HOME_UNPLANNED = "E4B", "E4B: returned home to parents or person with parental responsibility, not planned"
    LEFT_TO_OTHERS = (
        "E13", "E13: left care to live with parent, relative or other person without parental responsibility"
    )
    CHILD_ARRANGEMENTS_ORDER = "E41", "E41: residence order or child arrangements order"
    SGO_FOSTER_RELATIVE = "E45", "E45: special guardianship order to former foster carer, a relative or friend"
    SGO_FOSTER_OTHER = "E46", "E46: special guardianship order to former foster carer, other"
    SGO_CARER_RELATIVE = (
        "E47", "E47: special guardianship order to carer (not former foster carer), a relative or friend"
    )
    SGO_CARER_OTHER = "E48", "E48: special guardianship order to carer (not former foster carer), other"
    INDEPENDENT_SUPPORTED = "E5", "E5: moved into independent living with formal support"
    INDEPENDENT_UNSUPPORTED = "E6", "E6: moved into independent living without formal support"
    ADULT_SOCIAL_CARE = "E7", "E7: transferred to residential care funded by adult social care"
    CUSTODY = "E9", "E9: sentenced to custody"
    REMAND_ENDED = "E14", "E14: accommodation on remand ended"
    AGE_ASSESSED_ADULT = "E15", "E15: age assessment found the young person to be 18 or over"
    MOVED_ABROAD = "E16", "E16: child moved abroad"
    STAYED_WITH_CARERS = "E17", "E17: aged 18 or over and remained with current carers (including staying put)"
    OTHER = "E8", "E8: any other reason"


LEAVING_CARE_REASONS = [c for c in ReasonEpisodeCeased if c != ReasonEpisodeCeased.NEW_EPISODE]
ADOPTION_REASONS = frozenset({"E11", "E12"})


class ReasonPlacementChange(models.TextChoices):
    CARE_PLAN = "CARPL", "Change to or implementation of the care plan"
    CLOSURE = "CLOSE", "Resignation or closure of the provision"
    ALLEGATION = "ALLEG", "Allegation (section 47)"
    STANDARDS = "STAND", "Concern about standards of care"
    APPROVAL_REMOVED = "APPRR", "Approval removed"
    CARER_BEHAVIOUR = "CREQB", "Carer requests end because of the child's behaviour"
    CARER_OTHER = "CREQO", "Carer requests end for other reasons"
    CHILD_REQUEST = "CHILD", "Child requests end"
    LA_REQUEST = "LAREQ", "Responsible or area authority requests end"
    STATUS_ONLY = "PLACE", "Change in the status of the placement only"
    CUSTODY = "CUSTOD", "Custody arrangement"
    OTHER = "OTHER", "Other"


class ReviewParticipation(models.TextChoices):
    UNDER_FOUR = "PN0", "PN0: child under 4 at the review"
    SPOKE = "PN1", "PN1: attended and spoke for themselves"
    ADVOCATE_SPOKE = "PN2", "PN2: attended and an advocate spoke for them"
    NON_VERBAL = "PN3", "PN3: attended and conveyed views non-verbally"
    ATTENDED_SILENT = "PN4", "PN4: attended without contributing"
    BRIEFED_ADVOCATE = "PN5", "PN5: did not attend but briefed an advocate"
    OTHER_MEDIUM = "PN6", "PN6: did not attend but conveyed views another way"
    NOT_CONVEYED = "PN7", "PN7: did not attend and views were not conveyed"


class MissingType(models.TextChoices):
    MISSING = "M", "Missing: whereabouts not known"
    AWAY = "A", "Away from placement without authorisation: whereabouts known"


class SDQReason(models.TextChoices):
    AGE = "SDQ1", "SDQ1: under 4 or over 16 at the latest assessment"
    CARER_REFUSED = "SDQ2", "SDQ2: carer refused"
    DISABILITY = "SDQ3", "SDQ3: the child's disability prevents completion"
    OTHER = "SDQ4", "SDQ4: other"
    YOUNG_PERSON_REFUSED = "SDQ5", "SDQ5: the young person refused"


class InTouch(models.TextChoices):
    YES = "YES", "In touch"
    NO = "NO", "Not in touch"
    DIED = "DIED", "Died after leaving care"
    REFUSED = "REFU", "Refuses contact"
    NOT_REQUIRED = "NREQ", "No longer requires services"
    RETURNED_HOME = "RHOM", "Returned home to parents or person with parental responsibility for 6 months or more"


class Activity(models.TextChoices):
    HIGHER_EDUCATION_FT = "F1", "F1: full-time higher education"
    HIGHER_EDUCATION_PT = "P1", "P1: part-time higher education"
    OTHER_EDUCATION_FT = "F2", "F2: full-time other education"
    OTHER_EDUCATION_PT = "P2", "P2: part-time other education"
    APPRENTICESHIP_FT = "F4", "F4: full-time apprenticeship"
    APPRENTICESHIP_PT = "P4", "P4: part-time apprenticeship"
    TRAINING_EMPLOYMENT_FT = "F5", "F5: full-time training or employment"
    TRAINING_EMPLOYMENT_PT = "P5", "P5: part-time training or employment"
    NEET_ILLNESS = "G4", "G4: not in education, employment or training: illness or disability"
    NEET_OTHER = "G5", "G5: not in education, employment or training: other"
    NEET_PARENTING = "G6", "G6: not in education, employment or training: pregnancy or parenting"
    NOT_KNOWN = "0", "0: not known, died or returned home"


EET_ACTIVITIES = frozenset({"F1", "P1", "F2", "P2", "F4", "P4", "F5", "P5"})


class AccommodationType(models.TextChoices):
    """OC3 ACCOM letter; suitability is recorded beside it (1 suitable, 2 unsuitable)."""

    PARENTS_RELATIVES = "B", "B: with parents or relatives"
    RESIDENTIAL = "C", "C: community home or other residential care"
    SEMI_INDEPENDENT = "D", "D: semi-independent or transitional accommodation"
    SUPPORTED_LODGINGS = "E", "E: supported lodgings"
    ABROAD = "G", "G: gone abroad"
    DEPORTED = "H", "H: deported"
    ORDINARY_LODGINGS = "K", "K: ordinary lodgings without support"
    NOT_KNOWN = "R", "R: residence not known"
    NO_FIXED_ABODE = "S", "S: no fixed abode or homeless"
    FOYER = "T", "T: foyer or similar"
    INDEPENDENT = "U", "U: independent living"
    EMERGENCY = "V", "V: emergency accommodation"
    BED_AND_BREAKFAST = "W", "W: bed and breakfast"
    CUSTODY = "X", "X: in custody"
    OTHER = "Y", "Y: other accommodation"
    FORMER_FOSTER_CARERS = "Z", "Z: with former foster carers (18 and over)"


class AdopterSex(models.TextChoices):
    SINGLE_MALE = "M1", "Single male"
    SINGLE_FEMALE = "F1", "Single female"
    MALE_COUPLE = "MM", "Male couple"
    FEMALE_COUPLE = "FF", "Female couple"
    MIXED_COUPLE = "MF", "Male and female couple"


class AdopterLegalStatus(models.TextChoices):
    SINGLE = "L0", "Single adopter"
    MARRIED_DIFFERENT_GENDER = "L11", "Married couple, different gender"
    MARRIED_SAME_GENDER = "L12", "Married couple, same gender"
    CIVIL_PARTNERSHIP = "L2", "Civil partnership"
    UNMARRIED_DIFFERENT_GENDER = "L3", "Unmarried couple, different gender"
    UNMARRIED_SAME_GENDER = "L4", "Same-gender couple, neither married nor civil partners"


class ReasonPlacedCeased(models.TextChoices):
    NEEDS_CHANGED = "RD1", "RD1: the child's needs changed after the decision"
    NO_PLACEMENT_ORDER = "RD2", "RD2: the court did not make a placement order"
    NO_ADOPTERS = "RD3", "RD3: prospective adopters could not be found"
    OTHER = "RD4", "RD4: any other reason"


class PreviousPermanence(models.TextChoices):
    ADOPTION = "P1", "P1: adoption"
    SGO = "P2", "P2: special guardianship order"
    CHILD_ARRANGEMENTS = "P3", "P3: residence order or child arrangements order"
    UNKNOWN = "P4", "P4: unknown"
    NONE = "Z1", "Z1: no previous permanence option"


class SocialWorkerChangeReason(models.TextChoices):
    MANAGE = "MANAGE", "Managing caseloads"
    FIRST_CONTACT = "FCONTA", "First contact or re-referral"
    LEFT_ROLE = "LEFTRL", "Previous social worker left the role"
    RESTRUCTURE = "ORGRST", "Organisational restructure"
    TRANSFER = "TSPROC", "Transfer under the standard process"
    ABSENCE = "ABSENC", "Absence cover or return from absence"
    CHILD_ASKED = "CHCHAN", "The child asked for a change"
    PARENT_ASKED = "PCCHAN", "A parent or carer asked for a change"
    DIED = "SWDIED", "Previous social worker died"
    OTHER = "OTHERS", "Other"


class PermanencePlan(models.TextChoices):
    """Annex A List 8 permanence plan."""

    RETURN_HOME = "return_home", "Return to family"
    ADOPTION = "adoption", "Adoption"
    SGO_CAO = "sgo_cao", "Special guardianship or child arrangements order"
    SUPPORTED_LIVING = "supported_living", "Supported living in the community"
    LONG_TERM_RESIDENTIAL = "long_term_residential", "Long-term residential placement"
    LONG_TERM_FOSTERING = "long_term_fostering", "Long-term fostering"
    OTHER = "other", "Other"
