"""Where each finding is put right: the page of the child's record that holds the value the rule read.

A return is derived from the record, so a finding is never fixed in the return: it is fixed where the fact
was recorded, and the next run shows it gone. Findings about the whole return (the header, the reference
date) have no page.
"""

from __future__ import annotations

from typing import Protocol

from django.urls import reverse

# SSDA903 header columns -> the section of the child's details that records them.
_903_HEADER = {
    "SEX": "people:child_edit",
    "DOB": "people:child_edit",
    "ETHNIC": "people:background_edit",
    "UPN": "people:identifiers_edit",
    # Whether the young person is a mother, and her child's birth date: her own child on her family network.
    "MOTHER": "people:family",
    "MC_DOB": "people:family",
}

# SSDA903 tables -> (URL name of the tab, anchor).
_903_TABLES = {
    "Episodes": ("care:overview", ""),
    "PlacedAdoption": ("care:overview", ""),
    "AD1": ("care:overview", ""),
    "PrevPerm": ("care:overview", ""),
    "DoLo": ("care:overview", ""),
    # UASC status and the date it ended are kept with the child's immigration details.
    "UASC": ("people:immigration_edit", ""),
    "Reviews": ("care_plans:overview", "reviews"),
    "OC2": ("care_plans:overview", "health"),
    "OC3": ("care_leavers:overview", ""),
    "Missing": ("missing:overview", ""),
    # Social worker episodes are the child's allocation history, shown on the record's summary.
    "SWEpisodes": ("people:child_record", ""),
}

# OC2 items recorded on the year's outcomes page rather than from health records.
_OC2_OUTCOMES = {"CONVICTED", "SUBSTANCE_MISUSE", "INTERVENTION_RECEIVED", "INTERVENTION_OFFERED"}

# CIN census child elements -> the section of the child's details.
_CIN_IDENTIFIERS = {"UPN": "people:identifiers_edit", "FormerUPN": "people:identifiers_edit",
                    "UPNunknown": "people:identifiers_edit"}

# CIN census modules -> (the tab when the record behind the finding is not known, anchor).
_CIN_MODULES = {
    "CINdetails": ("cin:overview", ""),
    "Assessments": ("cin:overview", ""),
    "CINPlanDates": ("cin:overview", ""),
    "Section47": ("cin:overview", "protection"),
    "ChildProtectionPlans": ("cin:overview", "protection"),
}
# The Hearth record a finding's ``source`` names (model label, lower case) -> its own page.
_SOURCE_PAGES = {
    "cin.cinepisode": "cin:episode",
    "cin.referral": "cin:episode",
    "cin.assessment": "cin:assessment",
    "cin.cinplan": "cin:plan",
    "protection.section47enquiry": "protection:s47",
    "protection.childprotectionplan": "protection:plan",
    "protection.childprotectionconference": "protection:conference",
}


class FindingLike(Protocol):
    @property
    def table(self) -> str: ...
    @property
    def fields(self) -> tuple[str, ...]: ...
    @property
    def source(self) -> tuple[str, int] | None: ...


def _child_page(name: str, person_pk: int, anchor: str = "") -> str:
    # The people app names its record argument ``pk``; every tab under /children/<id>/ calls it ``person_pk``.
    url = reverse(name, kwargs={"pk": person_pk}) if name.startswith("people:") else reverse(
        name, kwargs={"person_pk": person_pk})
    return f"{url}#{anchor}" if anchor else url


def fix_url(*, kind: str, finding: FindingLike, person_pk: int | None, year: int | None = None) -> str:
    """The page where ``finding`` is put right, or "" for a finding about the whole return (or a child Hearth
    cannot name). ``kind`` is "ssda903" or "cin"; ``year`` (SSDA903) sends OC2 outcome findings to that
    year's outcomes page."""
    if person_pk is None:
        return ""
    if kind == "ssda903":
        return _fix_903(finding, person_pk, year)
    if kind == "cin":
        return _fix_cin(finding, person_pk)
    return ""


def _fix_903(finding: FindingLike, person_pk: int, year: int | None) -> str:
    # A finding on last year's rows is fixed in the same place: the record holds both years.
    table = finding.table.removesuffix("_last")
    if table == "Header":
        for field in finding.fields:
            if field in _903_HEADER:
                return _child_page(_903_HEADER[field], person_pk)
        return _child_page("people:child_edit", person_pk)
    if table == "OC2" and year is not None and _OC2_OUTCOMES.intersection(finding.fields):
        return reverse("care_plans:oc2", kwargs={"person_pk": person_pk, "year": year})
    if table in _903_TABLES:
        name, anchor = _903_TABLES[table]
        return _child_page(name, person_pk, anchor)
    return _child_page("people:child_record", person_pk)


def _fix_cin(finding: FindingLike, person_pk: int) -> str:
    table = finding.table
    if table == "ChildIdentifiers":
        for field in finding.fields:
            if field in _CIN_IDENTIFIERS:
                return _child_page(_CIN_IDENTIFIERS[field], person_pk)
        return _child_page("people:child_edit", person_pk)
    if table == "ChildCharacteristics":
        return _child_page("people:background_edit", person_pk)
    source = finding.source
    if source is not None and source[0].lower() in _SOURCE_PAGES:
        return reverse(_SOURCE_PAGES[source[0].lower()], kwargs={"person_pk": person_pk, "pk": source[1]})
    if table in _CIN_MODULES:
        tab, anchor = _CIN_MODULES[table]
        return _child_page(tab, person_pk, anchor)
    if table == "Header":
        return ""
    return _child_page("people:child_record", person_pk)
