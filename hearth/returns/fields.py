"""The fields and tables a finding names, in words a data manager reads, with DfE's own name beside them
("Legal status (LS)"), so a finding can be matched to the guidance and to the record's page."""

from __future__ import annotations

from collections.abc import Iterable

# SSDA903 columns (returns.md A.2) and CIN census elements (B.2). A name missing here is shown as it is.
FIELD_WORDS = {
    # SSDA903
    "CHILD": "Child ID",
    "SEX": "Sex",
    "DOB": "Date of birth",
    "ETHNIC": "Ethnicity",
    "UPN": "Unique pupil number",
    "MOTHER": "Is a mother",
    "MC_DOB": "Date of birth of her child",
    "DECOM": "Date the episode started",
    "RNE": "Reason for new episode",
    "LS": "Legal status",
    "CIN": "Category of need",
    "PLACE": "Placement type",
    "PLACEMENT": "Placement",
    "PLACE_PROVIDER": "Placement provider",
    "DEC": "Date the episode ended",
    "REC": "Reason the episode ended",
    "REASON_PLACE_CHANGE": "Reason for the placement change",
    "HOME_POST": "Home postcode",
    "PL_POST": "Placement postcode",
    "PL_LA": "Council of the placement",
    "PL_LOCATION": "Placed inside or outside the council",
    "PL_DISTANCE": "Distance from home",
    "URN": "Ofsted URN of the placement",
    "REVIEW": "Review date",
    "REVIEW_CODE": "Participation in the review",
    "UASC": "Unaccompanied asylum-seeking child",
    "UASC_STATUS": "UASC status",
    "DUC": "Date UASC status ended",
    "SDQ_SCORE": "SDQ score",
    "SDQ_REASON": "Reason there is no SDQ score",
    "CONVICTED": "Convicted in the year",
    "HEALTH_CHECK": "Health check",
    "IMMUNISATIONS": "Immunisations",
    "TEETH_CHECK": "Dental check",
    "HEALTH_ASSESSMENT": "Health assessment",
    "SUBSTANCE_MISUSE": "Substance misuse",
    "INTERVENTION_RECEIVED": "Substance misuse intervention received",
    "INTERVENTION_OFFERED": "Substance misuse intervention offered",
    "IN_TOUCH": "In touch",
    "ACTIV": "Main activity",
    "ACCOM": "Accommodation",
    "DATE_INT": "Date of the decision to place for adoption",
    "DATE_MATCH": "Date matched with adopters",
    "FOSTER_CARE": "Adopted by foster carers",
    "NB_ADOPTR": "Number of adopters",
    "SEX_ADOPTR": "Sex of the adopters",
    "LS_ADOPTR": "Legal status of the adopters",
    "DATE_PLACED": "Date of the decision to place for adoption",
    "DATE_PLACED_CEASED": "Date the decision to place ended",
    "REASON_PLACED_CEASED": "Reason the decision to place ended",
    "PREV_PERM": "Previous permanence order",
    "LA_PERM": "Council of the previous order",
    "DATE_PERM": "Date of the previous order",
    "MISSING": "Missing or away",
    "MIS_START": "Date missing or away began",
    "MIS_END": "Date missing or away ended",
    "SW_ID": "Social worker's ID",
    "SW_DECOM": "Date the social worker started",
    "SW_DEC": "Date the social worker stopped",
    "SW_REASON": "Reason the social worker changed",
    "DOLO_START": "DoLO start date",
    "DOLO_END": "DoLO end date",
    # CIN census
    "LAchildID": "Child ID",
    "FormerUPN": "Former unique pupil number",
    "UPNunknown": "Reason the UPN is unknown",
    "PersonBirthDate": "Date of birth",
    "ExpectedPersonBirthDate": "Expected date of birth",
    "Sex": "Sex",
    "PersonDeathDate": "Date of death",
    "Ethnicity": "Ethnicity",
    "Disability": "Disability",
    "CINreferralDate": "Referral date",
    "ReferralSource": "Referral source",
    "PrimaryNeedCode": "Primary need",
    "CINclosureDate": "Date the case closed",
    "ReasonForClosure": "Reason for closure",
    "DateOfInitialCPC": "Date of the initial child protection conference",
    "AssessmentActualStartDate": "Assessment start date",
    "AssessmentInternalReviewDate": "Assessment review date",
    "AssessmentAuthorisationDate": "Assessment authorisation date",
    "AssessmentFactors": "Factors identified at assessment",
    "CINPlanStartDate": "CIN plan start date",
    "CINPlanEndDate": "CIN plan end date",
    "S47ActualStartDate": "Section 47 enquiry start date",
    "InitialCPCtarget": "Initial conference target date",
    "ICPCnotRequired": "Initial conference not required",
    "ReferralNFA": "Referral with no further action",
    "CPPstartDate": "Child protection plan start date",
    "CPPendDate": "Child protection plan end date",
    "InitialCategoryOfAbuse": "Initial category of abuse",
    "LatestCategoryOfAbuse": "Latest category of abuse",
    "NumberOfPreviousCPP": "Number of previous child protection plans",
    "CPPreviewDate": "Child protection review date",
    "ReferenceDate": "Census reference date",
}

TABLE_WORDS = {
    # SSDA903 tables
    "Header": "Child's details",
    "Episodes": "Episodes of care",
    "Reviews": "Looked after reviews",
    "UASC": "UASC",
    "OC2": "Outcomes (OC2)",
    "OC3": "Care leavers (OC3)",
    "AD1": "Adoptions (AD1)",
    "PlacedAdoption": "Decisions to place for adoption",
    "PrevPerm": "Previous permanence",
    "Missing": "Missing or away",
    "SWEpisodes": "Social worker episodes",
    "DoLo": "Deprivation of liberty orders",
    # CIN census modules
    "ChildIdentifiers": "Child identifiers",
    "ChildCharacteristics": "Child characteristics",
    "CINdetails": "Referral (CIN details)",
    "Assessments": "Assessments",
    "CINPlanDates": "CIN plans",
    "Section47": "Section 47 enquiries",
    "ChildProtectionPlans": "Child protection plans",
    "Schema": "DfE's file format",
    "Annex A": "Ofsted's headers and labels",
}


def field_in_words(name: str) -> str:
    """"LS" -> "Legal status (LS)"; a name with no words is given as it is."""
    words = FIELD_WORDS.get(name)
    return f"{words} ({name})" if words and words != name else name


def fields_in_words(names: Iterable[str]) -> list[str]:
    return [field_in_words(n) for n in names]


def table_in_words(table: str) -> str:
    """A finding on last year's rows ("Episodes_last") says so."""
    if table.endswith("_last"):
        base = table.removesuffix("_last")
        return f"{TABLE_WORDS.get(base, base)}, last year's return"
    return TABLE_WORDS.get(table, table)
