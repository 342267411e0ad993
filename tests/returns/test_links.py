"""Every finding links to the page of the child's record where it is put right."""

from __future__ import annotations

import pytest

from hearth.returns.links import fix_url
from hearth.returns.rules.base import Finding

PK = 42


def finding(table: str, *fields: str, source: tuple[str, int] | None = None) -> Finding:
    return Finding(rule="X", severity="error", message="", child="0000042", table=table, fields=fields,
                   source=source)


@pytest.mark.parametrize(("table", "fields", "expected"), [
    ("Header", ("SEX",), "/children/42/details/"),
    ("Header", ("DOB",), "/children/42/details/"),
    ("Header", ("ETHNIC",), "/children/42/background/"),
    ("Header", ("UPN",), "/children/42/identifiers/"),
    ("Header", ("MOTHER",), "/children/42/family/"),
    ("Header", ("MC_DOB", "MOTHER"), "/children/42/family/"),
    ("Header", ("CHILD",), "/children/42/details/"),
    ("Header_last", ("UPN",), "/children/42/identifiers/"),
    ("Episodes", ("DECOM", "RNE"), "/children/42/care/"),
    ("Episodes_last", ("DECOM",), "/children/42/care/"),
    ("PlacedAdoption", ("DATE_PLACED",), "/children/42/care/"),
    ("AD1", ("DATE_MATCH",), "/children/42/care/"),
    ("PrevPerm", ("PREV_PERM",), "/children/42/care/"),
    ("DoLo", ("DOLO_START",), "/children/42/care/"),
    ("UASC", ("DUC",), "/children/42/immigration/"),
    ("Reviews", ("REVIEW",), "/children/42/care-plan/#reviews"),
    ("OC2", ("SDQ_SCORE",), "/children/42/care-plan/#health"),
    ("OC2", ("CONVICTED",), "/children/42/care-plan/oc2/2026/"),
    ("OC2", ("SUBSTANCE_MISUSE", "INTERVENTION_OFFERED"), "/children/42/care-plan/oc2/2026/"),
    ("OC3", ("ACCOM",), "/children/42/leaving-care/"),
    ("Missing", ("MIS_START",), "/children/42/missing/"),
    ("SWEpisodes", ("SW_ID",), "/children/42/"),
    ("Something new", (), "/children/42/"),
])
def test_ssda903_findings_link_to_where_they_are_fixed(table, fields, expected):
    assert fix_url(kind="ssda903", finding=finding(table, *fields), person_pk=PK, year=2026) == expected


def test_ssda903_oc2_outcomes_without_a_year_go_to_the_care_plan_tab():
    assert fix_url(kind="ssda903", finding=finding("OC2", "CONVICTED"), person_pk=PK) == \
        "/children/42/care-plan/#health"


@pytest.mark.parametrize(("table", "fields", "source", "expected"), [
    ("ChildIdentifiers", ("UPN",), None, "/children/42/identifiers/"),
    ("ChildIdentifiers", ("FormerUPN",), None, "/children/42/identifiers/"),
    ("ChildIdentifiers", ("UPNunknown",), None, "/children/42/identifiers/"),
    ("ChildIdentifiers", ("PersonBirthDate",), None, "/children/42/details/"),
    ("ChildIdentifiers", ("Sex",), None, "/children/42/details/"),
    ("ChildIdentifiers", ("PersonDeathDate",), None, "/children/42/details/"),
    ("ChildCharacteristics", ("Ethnicity",), None, "/children/42/background/"),
    ("ChildCharacteristics", ("Disability",), None, "/children/42/background/"),
    ("CINdetails", ("ReasonForClosure",), None, "/children/42/cin/"),
    ("CINdetails", ("ReasonForClosure",), ("cin.cinepisode", 7), "/children/42/cin/episodes/7/"),
    ("Assessments", ("AssessmentAuthorisationDate",), None, "/children/42/cin/"),
    ("Assessments", ("AssessmentAuthorisationDate",), ("cin.assessment", 9), "/children/42/cin/assessments/9/"),
    ("CINPlanDates", ("CINPlanEndDate",), ("cin.cinplan", 3), "/children/42/cin/plans/3/"),
    ("CINPlanDates", ("CINPlanEndDate",), None, "/children/42/cin/"),
    ("Section47", ("S47ActualStartDate",), None, "/children/42/cin/#protection"),
    ("Section47", ("DateOfInitialCPC",), ("protection.section47enquiry", 5), "/children/42/protection/s47/5/"),
    ("ChildProtectionPlans", ("CPPstartDate",), None, "/children/42/cin/#protection"),
    ("ChildProtectionPlans", ("CPPstartDate",), ("protection.childprotectionplan", 8),
     "/children/42/protection/plans/8/"),
    ("ChildProtectionPlans", ("CPPstartDate",), ("protection.ChildProtectionPlan", 8),
     "/children/42/protection/plans/8/"),
    ("CINdetails", ("DateOfInitialCPC",), ("protection.childprotectionconference", 4),
     "/children/42/protection/conferences/4/"),
    ("CINdetails", (), ("somewhere.unknown", 4), "/children/42/cin/"),
])
def test_cin_findings_link_to_where_they_are_fixed(table, fields, source, expected):
    assert fix_url(kind="cin", finding=finding(table, *fields, source=source), person_pk=PK) == expected


@pytest.mark.parametrize("kind", ["cin", "ssda903", "annex_a"])
def test_findings_about_the_whole_return_link_nowhere(kind):
    assert fix_url(kind=kind, finding=finding("Header", "ReferenceDate"), person_pk=None) == ""


def test_cin_header_findings_link_nowhere_even_with_a_child():
    assert fix_url(kind="cin", finding=finding("Header", "LEA"), person_pk=PK) == ""


def test_annex_a_findings_link_nowhere():
    assert fix_url(kind="annex_a", finding=finding("List 1"), person_pk=PK) == ""
