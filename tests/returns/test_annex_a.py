"""Ofsted's Annex A from the live record: headers character for character, the right rows and labels in every
list, the window's edges, real dates, the check before export, the command end to end, and a fixed number of
queries however many children."""

from __future__ import annotations

import csv
import io
import itertools
import re
import zipfile
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import example, given, settings
from hypothesis import strategies as st

from hearth.access.models import AccessEvent
from hearth.accounts.models import Team, User
from hearth.accounts.roles import Role
from hearth.allocations.models import Allocation
from hearth.audit.actor import acting_as
from hearth.care.models import AdoptionPlan, CareLegalStatus, PeriodOfCare, Placement
from hearth.care_leavers.models import (
    CareLeaverAccommodation,
    CareLeaverActivity,
    CareLeaverContact,
    PathwayPlan,
    PathwayPlanReview,
)
from hearth.care_plans.models import CarePlan, CareVisit, DentalCheck, HealthAssessment, LookedAfterReview
from hearth.cin.models import Assessment, CINEpisode, CINPlan
from hearth.clocks.working_days import LONDON
from hearth.fostering.models import AdopterApplicant, ProspectiveAdopter
from hearth.front_door.models import EarlyHelpEpisode
from hearth.missing.models import MissingEpisode, ReturnInterview
from hearth.people.models import Person
from hearth.protection.models import (
    ChildProtectionConference,
    ChildProtectionPlan,
    CPVisit,
    Section47Enquiry,
    StrategyDiscussion,
)
from hearth.returns import annex_a_labels as labels
from hearth.returns.annex_a import HEADERS, LISTS, AnnexA, annex_a_problems, annex_a_xlsx, build_annex_a
from hearth.tenancy.models import LocalAuthority
from tests.factories import make_person, make_team, make_user
from tests.front_door.factories import make_contact

SPEC = Path(__file__).resolve().parents[2] / "hearth" / "returns" / "spec" / "annexA_2024_Jan_columns.csv"
START, END = date(2026, 5, 1), date(2026, 10, 31)
_seq = itertools.count(1)
ESCAPE_LIKE = re.compile(r"_x[0-9A-Fa-f]{4}_")


# ---------------------------------------------------------------------------------------------- builders


def put(model: type, **fields: Any) -> Any:
    """A row straight into its table, with its history (these tests read the record, they do not test the
    services that write it)."""
    with acting_as("test"):
        row = model(**fields)
        row.save()
    return row


def london(day: date, hour: int = 12, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=LONDON)


def allocate(child: Person, team: Team, worker: User | None, on: date, *, kind: str = Allocation.Kind.SOCIAL_WORKER,
             ended_on: date | None = None) -> Allocation:
    return put(Allocation, local_authority_id=child.local_authority_id, child=child, kind=kind, team=team,
               worker=worker, started_on=on, ended_on=ended_on)


def episode(child: Person, on: date, *, closed_on: date | None = None, reason: str = "", nfa: bool = False,
            source: str = "2A", need: str = "N1", team: Team | None = None) -> CINEpisode:
    return put(CINEpisode, local_authority_id=child.local_authority_id, child=child, referral_date=on,
               referral_source=source, primary_need=need, closed_on=closed_on, closure_reason=reason,
               referral_nfa=nfa, team=team)


def period(child: Person, on: date, *, ended_on: date | None = None, reason: str = "", need: str = "N1",
           legal_status: str = "C2") -> PeriodOfCare:
    care = put(PeriodOfCare, local_authority_id=child.local_authority_id, child=child, started_on=on,
               ended_on=ended_on, reason_ceased=reason, category_of_need=need)
    put(CareLegalStatus, local_authority_id=child.local_authority_id, child=child, period=care,
        legal_status=legal_status, started_on=on, ended_on=ended_on)
    return care


def placement(care: PeriodOfCare, on: date, *, ended_on: date | None = None, kind: str = "U6",
              provider: str = "PR1", postcode: str = "NG1 1AA", urn: str = "SC111111") -> Placement:
    return put(Placement, local_authority_id=care.local_authority_id, child=care.child, period=care,
               placement_type=kind, provider=provider, carer_name=f"Carer {next(_seq)}", postcode=postcode, urn=urn,
               started_on=on, ended_on=ended_on)


def went_missing(child: Person, on: date, *, kind: str = "M", back: bool = True, from_care: bool = True
                 ) -> MissingEpisode:
    return put(MissingEpisode, local_authority_id=child.local_authority_id, child=child, missing_type=kind,
               from_care=from_care, started_at=london(on, 20), ended_at=london(on + timedelta(days=1), 9) if back
               else None)


class Council:
    """A hand-built council with one child (or more) in every list, and the answers known."""

    def __init__(self, la: LocalAuthority) -> None:
        self.la = la
        self.team = make_team(la, "Safeguarding North")
        self.worker = make_user(la, Role.SOCIAL_WORKER, self.team, first_name="Robin", last_name="Ash")
        self.chair = make_user(la, Role.IRO, self.team, first_name="Iris", last_name="Chair")
        self.pa_team = make_team(la, "Leaving Care", kind=Team.Kind.CARE_LEAVERS)
        self.adviser = make_user(la, Role.PERSONAL_ADVISER, self.pa_team, first_name="Pat", last_name="Adviser")
        self._front_door()
        self._protection()
        self._in_care()
        self._care_leaver()
        self._adoption()

    def _front_door(self) -> None:
        la = self.la
        self.contacted = make_person(la, sex="F", ethnicity="WBRI", date_of_birth=date(2015, 3, 27))
        make_contact(la, received_at=london(START - timedelta(days=1), 23, 59), child=self.contacted, source="1A")
        make_contact(la, received_at=london(START, 0, 0), child=self.contacted, source="6")
        make_contact(la, received_at=london(END, 23, 59), child=self.contacted, source="5D")
        make_contact(la, received_at=london(END + timedelta(days=1), 0, 0), child=self.contacted, source="8")
        make_contact(la, received_at=london(date(2026, 6, 1)), source="9")  # the child is not yet identified
        put(EarlyHelpEpisode, local_authority=la, child=self.contacted, origin=EarlyHelpEpisode.Origin.DIRECT,
            started_on=date(2026, 5, 5), assessment_organisation="Meadows Family Hub",
            assessment_started_on=date(2026, 5, 10), assessment_completed_on=date(2026, 6, 1),
            ended_on=date(2026, 6, 20), outcome=EarlyHelpEpisode.Outcome.NEEDS_MET)
        # Early help that ended before the window with its assessment long done: not in List 2.
        put(EarlyHelpEpisode, local_authority=la, child=self.contacted, origin=EarlyHelpEpisode.Origin.DIRECT,
            started_on=date(2025, 1, 5), assessment_started_on=date(2025, 1, 10),
            assessment_completed_on=date(2025, 2, 1), ended_on=date(2025, 3, 1),
            outcome=EarlyHelpEpisode.Outcome.NEEDS_MET)

    def _protection(self) -> None:
        la = self.la
        child = self.protected = make_person(la, sex="M", ethnicity="APKN", date_of_birth=date(2016, 4, 30),
                                             disabilities=["AUT"])
        # Referred (no further action) in January, then again in June: a re-referral within 12 months.
        episode(child, date(2026, 1, 10), closed_on=date(2026, 1, 12), reason="RC7", nfa=True)
        self.referral = episode(child, date(2026, 6, 2), source="6", team=self.team)
        allocate(child, self.team, self.worker, date(2026, 6, 2))
        put(Assessment, local_authority=la, child=child, episode=self.referral, started_on=date(2026, 6, 3),
            child_seen_on=date(2026, 6, 5), outcome=Assessment.Outcome.STRATEGY_DISCUSSION,
            status=Assessment.Status.AUTHORISED, authorised_on=date(2026, 7, 1))
        discussion = put(StrategyDiscussion, local_authority=la, child=child, episode=self.referral,
                         held_on=date(2026, 7, 2), reason="Disclosure at school", decision="s47")
        enquiry = put(Section47Enquiry, local_authority=la, child=child, episode=self.referral,
                      strategy_discussion=discussion, started_on=date(2026, 7, 2), completed_on=date(2026, 7, 10),
                      outcome=Section47Enquiry.Outcome.SUBSTANTIATED_AT_RISK, icpc_required=True)
        put(ChildProtectionConference, local_authority=la, child=child, episode=self.referral,
            kind=ChildProtectionConference.Kind.INITIAL, section47=enquiry, held_on=date(2026, 7, 20),
            chair=self.chair, outcome=ChildProtectionConference.Outcome.PLAN, category="NEG")
        plan = put(ChildProtectionPlan, local_authority=la, child=child, episode=self.referral,
                   started_on=date(2026, 7, 20), initial_category="NEG", latest_category="EMO", previous_plans=1)
        put(CPVisit, local_authority=la, cp_plan=plan, child=child, visited_on=date(2026, 8, 1), child_seen=True,
            child_seen_alone=True, visited_by=self.worker)
        # A visit where the child was not seen is not the last statutory visit.
        put(CPVisit, local_authority=la, cp_plan=plan, child=child, visited_on=date(2026, 9, 1), child_seen=False,
            visited_by=self.worker)
        put(ChildProtectionConference, local_authority=la, child=child, episode=self.referral,
            kind=ChildProtectionConference.Kind.REVIEW, cp_plan=plan, held_on=date(2026, 10, 1), chair=self.chair,
            outcome=ChildProtectionConference.Outcome.PLAN_CONTINUES, category="EMO")

    def _in_care(self) -> None:
        la = self.la
        child = self.looked_after = make_person(la, sex="F", ethnicity="REFU", date_of_birth=date(2012, 1, 15),
                                                is_uasc=True)
        cin = episode(child, date(2025, 1, 1), team=self.team)
        put(CINPlan, local_authority=la, child=child, episode=cin, started_on=date(2025, 1, 5))
        allocate(child, self.team, self.worker, date(2025, 1, 1))
        care = self.care = put(PeriodOfCare, local_authority=la, child=child, started_on=date(2025, 2, 1),
                               category_of_need="N4")
        put(CareLegalStatus, local_authority=la, child=child, period=care, legal_status="C1",
            started_on=date(2025, 2, 1), ended_on=date(2025, 6, 1))
        put(CareLegalStatus, local_authority=la, child=child, period=care, legal_status="C2",
            started_on=date(2025, 6, 1))
        placement(care, date(2025, 2, 1), ended_on=date(2026, 3, 1))
        placement(care, date(2026, 3, 1), ended_on=date(2026, 8, 1), kind="K2", provider="PR4", postcode="DE1 1AA",
                  urn="SC222222")
        placement(care, date(2026, 8, 1), kind="K3", provider="PR5", postcode="LE1 1AA", urn="2710345")
        put(LookedAfterReview, local_authority=la, child=child, period=care, held_on=date(2026, 9, 15),
            chair=self.chair, participation="PN1")
        put(LookedAfterReview, local_authority=la, child=child, period=care, held_on=date(2026, 10, 30),
            chair=self.chair, participation="PN7")  # reviewed, but the child did not attend
        put(CareVisit, local_authority=la, child=child, period=care, visited_on=date(2026, 10, 20), seen=True,
            visited_by=self.worker)
        put(CareVisit, local_authority=la, child=child, period=care, visited_on=date(2026, 10, 25), seen=False,
            visited_by=self.worker)
        put(CarePlan, local_authority=la, child=child, period=care, number=1, permanence_plan="long_term_fostering",
            summary="Stay with long-term carers", agreed_on=date(2026, 9, 15))
        put(HealthAssessment, local_authority=la, child=child, period=care, kind="review", done_on=date(2026, 4, 1))
        put(DentalCheck, local_authority=la, child=child, period=care, checked_on=date(2026, 5, 1))
        went_missing(child, date(2025, 10, 1))  # more than 12 months before the end of the window
        last = went_missing(child, date(2026, 9, 1))
        went_missing(child, date(2026, 10, 1), kind="A")
        put(ReturnInterview, local_authority=la, child=child, episode=last, due_at=london(date(2026, 9, 5)),
            offered_at=london(date(2026, 9, 2)), response="accepted", responded_at=london(date(2026, 9, 2)))
        # A second child who left care in the window, back home.
        other = self.left_care = make_person(la, sex="M", ethnicity="WBRI", date_of_birth=date(2010, 5, 5))
        care = period(other, date(2026, 1, 10), ended_on=date(2026, 7, 1), reason="E4A", legal_status="V2")
        placement(care, date(2026, 1, 10), ended_on=date(2026, 7, 1), kind="U4", provider="PR4")
        # Short breaks are not in List 8.
        breaks = self.short_breaks = make_person(la, date_of_birth=date(2014, 2, 2))
        period(breaks, date(2026, 2, 1), legal_status="V3")

    def _care_leaver(self) -> None:
        la = self.la
        child = self.leaver = make_person(la, sex="M", ethnicity="BAFR", date_of_birth=date(2006, 3, 1))
        period(child, date(2020, 1, 1), ended_on=date(2024, 3, 1), reason="E5")
        allocate(child, self.pa_team, self.adviser, date(2024, 3, 1), kind=Allocation.Kind.PERSONAL_ADVISER)
        plan = put(PathwayPlan, local_authority=la, child=child, started_on=date(2025, 1, 1))
        put(PathwayPlanReview, local_authority=la, child=child, plan=plan, held_on=date(2026, 6, 1))
        put(CareLeaverContact, local_authority=la, child=child, contacted_on=date(2026, 10, 1), method="phone",
            in_touch="YES")
        put(CareLeaverContact, local_authority=la, child=child, contacted_on=date(2026, 10, 15), method="phone",
            in_touch="NO")
        put(CareLeaverAccommodation, local_authority=la, child=child, started_on=date(2025, 5, 1),
            accommodation="U", suitable=True)
        put(CareLeaverActivity, local_authority=la, child=child, started_on=date(2025, 9, 1), activity="F1")
        # Never looked after after 16: not a care leaver.
        not_leaver = self.not_leaver = make_person(la, date_of_birth=date(2007, 6, 1))
        period(not_leaver, date(2015, 1, 1), ended_on=date(2016, 1, 1), reason="E4A")

    def _adoption(self) -> None:
        la = self.la
        child = self.adopted = make_person(la, sex="U", ethnicity="NOBT", date_of_birth=date(2023, 1, 1))
        care = period(child, date(2023, 6, 1), legal_status="E1")
        put(AdoptionPlan, local_authority=la, child=child, period=care, decided_on=date(2024, 1, 10),
            placement_order_on=date(2024, 3, 1), matched_on=date(2026, 6, 1), placed_on=date(2026, 7, 1),
            fostering_for_adoption_on=date(2023, 7, 1))
        family = put(ProspectiveAdopter, local_authority=la, reference="AD00001", name="Okoro family",
                     enquiry_on=date(2025, 2, 1), stage=ProspectiveAdopter.Stage.PLACED, matched_on=date(2026, 6, 1),
                     placed_on=date(2026, 7, 1), children_placed=1, child=child)
        put(AdopterApplicant, local_authority=la, adopter=family, identifier="AD00001-1", first_name="Ada",
            last_name="Okoro", gender="female", ethnicity="BAFR", disability="no")
        # Reversed in February: before the six-month window but within the 12 months Lists 10-11 cover.
        reversed_child = self.reversed = make_person(la, date_of_birth=date(2022, 2, 2))
        care = period(reversed_child, date(2023, 1, 1), legal_status="C2")
        put(AdoptionPlan, local_authority=la, child=reversed_child, period=care, decided_on=date(2024, 6, 1),
            reversed_on=date(2026, 2, 1), reversal_reason="RD2")
        # Adopted well over a year before: not in List 10.
        long_ago = self.long_ago = make_person(la, date_of_birth=date(2020, 2, 2))
        care = period(long_ago, date(2021, 1, 1), ended_on=date(2025, 6, 1), reason="E11", legal_status="E1")
        put(AdoptionPlan, local_authority=la, child=long_ago, period=care, decided_on=date(2022, 6, 1),
            placed_on=date(2024, 6, 1), adoption_order_on=date(2025, 6, 1))


def hid(person: Person) -> str:
    return person.hearth_id


def rows_for(annex: AnnexA, name: str, person: Person) -> list[dict[str, object]]:
    return [row for row in annex.lists[name] if row[HEADERS[name][0]] == hid(person)]


@pytest.fixture
def council(la: LocalAuthority) -> Council:
    return Council(la)


@pytest.fixture
def annex(council: Council) -> AnnexA:
    return build_annex_a(local_authority=council.la, start=START, end=END)


# ---------------------------------------------------------------------------------------------- headers


def spec_headers() -> dict[str, list[str]]:
    headers: dict[str, list[tuple[int, str]]] = {}
    with SPEC.open(encoding="utf-8", newline="") as file:
        for line in csv.DictReader(file):
            headers.setdefault(line["list"], []).append((int(line["position"]), line["column_header"]))
    return {name: [h for _, h in sorted(columns)] for name, columns in headers.items()}


def test_headers_are_ofsteds_character_for_character() -> None:
    expected = spec_headers()
    assert list(expected) == list(LISTS)
    for name in LISTS:
        assert list(HEADERS[name]) == expected[name]
    # The quirks Ofsted's template has, kept.
    assert HEADERS["List 8"][5].endswith("(Y/N))")
    assert "‘Missing’" in HEADERS["List 8"][28] and "‘Absent’" in HEADERS["List 8"][29]  # noqa: RUF001


def read_back(content: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(content))


def test_workbook_sheets_headers_dates_and_frozen_header(annex: AnnexA) -> None:
    book = read_back(annex_a_xlsx(annex))
    expected = spec_headers()
    assert book.sheetnames == list(LISTS)
    for name in LISTS:
        sheet = book[name]
        assert [cell.value for cell in sheet[1]] == expected[name]
        assert sheet.freeze_panes == "A2"
        assert sheet.max_row == len(annex.lists[name]) + 1
        assert all(sheet.column_dimensions[letter].width >= 12 for letter in ("A", "B", "C"))
    contact = book["List 1"]["F2"]
    assert contact.is_date and contact.number_format == "dd/mm/yyyy"
    assert contact.value == datetime(2026, 5, 1)
    age = book["List 1"]["E2"]
    assert isinstance(age.value, float) and age.number_format == "0.0"


def test_an_empty_list_still_has_its_headers(la: LocalAuthority) -> None:
    book = read_back(annex_a_xlsx(build_annex_a(local_authority=la, start=START, end=END)))
    for name in LISTS:
        assert book[name].max_row == 1
        assert [cell.value for cell in book[name][1]] == list(HEADERS[name])


@settings(max_examples=40, deadline=None)
@example("\r\n")
@example(" Family Hub ")
@example("A&B <C>")
@example("\u2018Hub\u2019 \U0001f3e0")
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",),
                                      blacklist_characters=[chr(c) for c in range(32) if c not in (9, 10, 13)]),
               min_size=1, max_size=40).filter(lambda text: not ESCAPE_LIKE.search(text)))
def test_any_text_a_worker_typed_comes_back_as_typed(text: str) -> None:
    annex = AnnexA(local_authority_id=1, la_code="892", start=START, end=END,
                   lists={name: [] for name in LISTS}, person_pks=set())
    row: dict[str, object] = dict.fromkeys(HEADERS["List 2"])
    row["Organisation completing assessment"] = text
    row["Assessment start date"] = date(2026, 5, 10)
    annex.lists["List 2"] = [row]
    sheet = read_back(annex_a_xlsx(annex))["List 2"]
    assert sheet["H2"].value == text
    assert sheet["F2"].value == datetime(2026, 5, 10)


def test_text_that_looks_like_an_excel_escape_is_kept_literal() -> None:
    # Excel reads "_x0041_" in a cell's text as "A"; openpyxl does not, so look at the sheet itself.
    annex = AnnexA(local_authority_id=1, la_code="892", start=START, end=END,
                   lists={name: [] for name in LISTS}, person_pks=set())
    row: dict[str, object] = dict.fromkeys(HEADERS["List 2"])
    row["Organisation completing assessment"] = "Hub_x0041_"
    annex.lists["List 2"] = [row]
    with zipfile.ZipFile(io.BytesIO(annex_a_xlsx(annex))) as book:
        strings = book.read("xl/sharedStrings.xml").decode()
    assert "<t>Hub_x005F_x0041_</t>" in strings


# ---------------------------------------------------------------------------------------------- the lists


def test_list_1_contacts_and_the_edges_of_the_window(annex: AnnexA, council: Council) -> None:
    rows = rows_for(annex, "List 1", council.contacted)
    assert [(r["Date of Contact"], r["Contact Source"]) for r in rows] == [
        (START, "q) 6: Police"), (END, "p1) 5D: LA services")]
    first = rows[0]
    assert (first["Gender"], first["Ethnicity"], first["Date of Birth"], first["Age"]) == (
        "b) Female", "a) WBRI", date(2015, 3, 27), 11.6)
    unknown = [r for r in annex.lists["List 1"] if r["Child Unique ID"] is None]
    assert [(r["Date of Contact"], r["Contact Source"], r["Gender"]) for r in unknown] == [
        (date(2026, 6, 1), "t) 9: Anonymous", None)]


def test_list_2_early_help(annex: AnnexA, council: Council) -> None:
    assert rows_for(annex, "List 2", council.contacted) == [{
        "Child Unique ID": hid(council.contacted), "Gender": "b) Female", "Ethnicity": "a) WBRI",
        "Date of Birth": date(2015, 3, 27), "Age": 11.6, "Assessment start date": date(2026, 5, 10),
        "Assessment completion date": date(2026, 6, 1), "Organisation completing assessment": "Meadows Family Hub",
    }]


def test_list_3_referral_nfa_and_re_referral_count(annex: AnnexA, council: Council) -> None:
    rows = rows_for(annex, "List 3", council.protected)
    assert len(rows) == 1  # the January referral is before the window
    row = rows[0]
    assert row["Date of Referral"] == date(2026, 6, 2)
    assert row["Referral Source"] == "q) 6: Police"
    assert row["Referral NFA?"] == "b) No"
    assert row["Number of Referrals in Last 12 Months"] == 1
    assert (row["Allocated Team"], row["Allocated Worker"]) == ("Safeguarding North", "Robin Ash")


def test_list_3_counts_only_referrals_within_12_months_and_marks_nfa(la: LocalAuthority) -> None:
    child = make_person(la)
    episode(child, date(2025, 6, 1), closed_on=date(2025, 6, 2), reason="RC7", nfa=True)  # exactly 12 months
    episode(child, date(2025, 5, 31), closed_on=date(2025, 6, 1), reason="RC7", nfa=True)  # a day more
    episode(child, date(2026, 6, 1), closed_on=date(2026, 6, 3), reason="RC7", nfa=True)
    annex = build_annex_a(local_authority=la, start=START, end=END)
    [row] = rows_for(annex, "List 3", child)
    assert row["Number of Referrals in Last 12 Months"] == 1
    assert row["Referral NFA?"] == "a) Yes"


def test_list_4_assessment(annex: AnnexA, council: Council) -> None:
    [row] = rows_for(annex, "List 4", council.protected)
    assert row["Does the Child have a Disability"] == "a) Yes"
    assert row["Continuous Assessment Start Date"] == date(2026, 6, 3)
    assert row["Child Seen During Continuous Assessment"] == "a) Yes"
    assert row["Continuous Assessment Date of Authorisation"] == date(2026, 7, 1)
    assert row["Was the child assessed as requiring LA children's social care support?"] == "a) Yes"
    assert row["Allocated Worker"] == "Robin Ash"


def test_list_5_section_47_with_strategy_discussion_and_icpc(annex: AnnexA, council: Council) -> None:
    [row] = rows_for(annex, "List 5", council.protected)
    assert row["Strategy discussion initiating Section 47 Enquiry Start Date"] == date(2026, 7, 2)
    assert row["Was an Initial Child Protection Conference deemed unnecessary?"] == "b) No"
    assert row["Date of Initial Child Protection Conference"] == date(2026, 7, 20)
    assert row["Did the Initial Child Protection Conference Result in a Child Protection Plan"] == "a) Yes"
    assert row["Number of Section 47 Enquiries in the last 12 months"] == 0
    assert row["Number of ICPCs in the last 12 months"] == 0


def test_list_6_children_in_need_and_case_status(annex: AnnexA, council: Council) -> None:
    [protected] = rows_for(annex, "List 6", council.protected)
    assert protected["CIN Start Date"] == date(2026, 6, 2)  # the latest episode; the NFA one is not CIN
    assert protected["Primary Need Code"] == "N1 - Abuse or neglect"
    assert protected["Date Child Was Last Seen"] == date(2026, 8, 1)  # the CP visit, not the unseen one
    assert protected["Case Status"] == "b) Child Protection plan"
    assert protected["CIN Closure Date"] is None and protected["Reason for Closure"] is None
    [cared_for] = rows_for(annex, "List 6", council.looked_after)
    assert cared_for["Case Status"] == "a) Looked after child"
    assert cared_for["Date Child Was Last Seen"] == date(2026, 10, 20)
    assert rows_for(annex, "List 6", council.contacted) == []


def test_list_7_child_protection_plan_with_last_visit(annex: AnnexA, council: Council) -> None:
    [row] = rows_for(annex, "List 7", council.protected)
    assert row["Child Protection Plan Start Date"] == date(2026, 7, 20)
    assert (row["Initial Category of Abuse"], row["Latest Category of Abuse"]) == ("a) Neglect", "d) Emotional abuse")
    assert row["Date of the Last Statutory Visit"] == date(2026, 8, 1)
    assert row["Was the Child Seen Alone?"] == "a) Yes"
    assert row["Date of latest review conference"] == date(2026, 10, 1)
    assert row["Child Protection Plan End Date"] is None
    assert row[HEADERS["List 7"][13]] == "b) No"
    assert row["Number of Previous Child Protection Plans"] == 1


def test_list_8_child_in_care_with_placements_missing_and_return_interview(annex: AnnexA,
                                                                           council: Council) -> None:
    [row] = rows_for(annex, "List 8", council.looked_after)
    values = dict(zip(range(1, 35), row.values(), strict=True))
    assert values[3] == "s) REFU"
    assert values[6] == "a) Yes"  # UASC
    assert values[7] == "b) No"
    assert values[8] == date(2025, 2, 1)
    assert values[9] == "N4 - Family in acute stress"
    assert values[10] == "b) No"
    assert (values[11], values[12]) == (date(2025, 6, 1), "C2: FCO")
    assert values[13] == date(2026, 10, 30)  # latest statutory review
    assert values[14] == date(2026, 10, 20)  # last visit where the child was seen
    assert values[15] == "f) Long-term fostering"
    assert values[16] == date(2026, 9, 15)  # the last review the child attended
    assert (values[17], values[18]) == (date(2026, 4, 1), date(2026, 5, 1))
    assert values[19] == 3
    assert (values[20], values[21]) == (None, None)
    assert values[22] == date(2026, 8, 1)
    assert values[23] == "n1) K3: Registered supported accommodation"
    assert values[24] == "f) PR5 - Voluntary/third sector"
    assert (values[25], values[26], values[27], values[28]) == ("LE1 1AA", "2710345", None, None)
    assert (values[29], values[30]) == (1, 1)
    assert (values[31], values[32]) == ("a) Yes", "a) Yes")
    assert (values[33], values[34]) == ("Safeguarding North", "Robin Ash")


def test_list_8_left_care_in_the_window_and_short_breaks_left_out(annex: AnnexA, council: Council) -> None:
    [row] = rows_for(annex, "List 8", council.left_care)
    assert row["Date Ceased to be Looked After"] == date(2026, 7, 1)
    assert row["Reason Ceased to be Looked After"] == "e) E4A: Returned home to live with parents or relatives - " \
                                                      "part of planning"
    assert row["Child's Legal Status"] == "V2: Single period under S20"
    assert row["Placement Type"] == "d) U4: Foster placement - long term"
    assert row[HEADERS["List 8"][30]] is None  # no missing episode, no interview
    assert rows_for(annex, "List 8", council.short_breaks) == []


def test_list_9_care_leaver(annex: AnnexA, council: Council) -> None:
    [row] = rows_for(annex, "List 9", council.leaver)
    assert row["Allocated Personal Advisor"] == "Pat Adviser"
    assert row["Eligibility Category"] == "b) Former relevant child"
    assert row["Latest Pathway Plan Review Date"] == date(2026, 6, 1)
    assert row["LA in Touch"] == "b) No"  # the latest contact attempt
    assert row["Latest Date of Contact"] == date(2026, 10, 1)  # the last time they were in touch
    assert (row["Type of Accommodation"], row["Suitability of Accommodation"]) == (
        "U: Independent living", "a) Suitable")
    assert row["Activity Status"] == "F1: Full time in higher education"
    assert rows_for(annex, "List 9", council.not_leaver) == []


def test_list_10_adoption_and_list_11_adopters(annex: AnnexA, council: Council) -> None:
    [row] = rows_for(annex, "List 10", council.adopted)
    assert row["Family identifier"] == "AD00001"
    assert row["Age of Child (Years)"] == 3
    assert row["Gender"] == "c) Not stated/recorded" and row["Ethnicity"] == "t) NOBT"
    assert row["Date the Child Entered Care"] == date(2023, 6, 1)
    assert row["Date of Decision that Child Should be Placed for Adoption"] == date(2024, 1, 10)
    assert row["Date of Placement Order"] == date(2024, 3, 1)
    assert row["Date of Matching Child and Prospective Adopters"] == date(2026, 6, 1)
    assert row["Date Placed for Adoption"] == date(2026, 7, 1)
    assert row[HEADERS["List 10"][15]] == date(2023, 7, 1)
    [reversed_row] = rows_for(annex, "List 10", council.reversed)
    assert reversed_row["Date of Decision that Child Should No Longer be Placed for Adoption"] == date(2026, 2, 1)
    assert reversed_row["Reason Why Child No Longer Placed for Adoption"] == \
        "RD2 - The Court did not make a placement order"
    assert rows_for(annex, "List 10", council.long_ago) == []
    [adopter] = annex.lists["List 11"]
    assert adopter["Individual adopter identifier"] == "AD00001-1"
    assert (adopter["Gender"], adopter["Ethnicity"], adopter["Disability"]) == ("b) Female", "o) BAFR", "b) No")
    assert adopter["Date child/children placed with adopter(s)"] == date(2026, 7, 1)


def test_no_problems_and_every_child_counted(annex: AnnexA, council: Council) -> None:
    assert annex.problems == []
    expected = {council.contacted, council.protected, council.looked_after, council.left_care, council.leaver,
                council.adopted, council.reversed}
    assert {p.pk for p in expected} <= annex.person_pks
    assert council.short_breaks.pk not in annex.person_pks and council.not_leaver.pk not in annex.person_pks


def test_no_names_in_the_workbook(annex: AnnexA, council: Council) -> None:
    content = annex_a_xlsx(annex)
    book = read_back(content)
    text = {str(cell.value) for sheet in book for row in sheet.iter_rows() for cell in row if cell.value}
    for person in Person.objects.filter(local_authority=council.la):
        assert person.last_name not in " ".join(text)
    assert "Okoro" not in " ".join(text)


# ---------------------------------------------------------------------------------------------- the check


def test_a_code_without_an_ofsted_label_is_a_problem_not_a_crash(annex: AnnexA, council: Council) -> None:
    home = Placement.objects.get(child=council.looked_after, ended_on__isnull=True)
    home.placement_type = "Q9"
    home.save(by="test")
    annex = build_annex_a(local_authority=council.la, start=START, end=END)
    assert annex.problems == [
        "List 8, column 'Placement Type': Hearth has no Ofsted label for the code 'Q9' (1 row; the first is row "
        f"{1 + [r['Child Unique ID'] for r in annex.lists['List 8']].index(hid(council.looked_after)) + 1})"]
    assert annex_a_xlsx(annex)  # still writes, so the analyst can see it


def test_a_wrong_header_is_a_problem(annex: AnnexA) -> None:
    row = dict(annex.lists["List 1"][0])
    row["Contact source"] = row.pop("Contact Source")
    annex.lists["List 1"][0] = row
    assert annex_a_problems(annex) == [
        "List 1: the columns of row 2 are not Ofsted's headers (Contact Source; Contact source)"]


def test_every_label_table_is_within_its_column_check() -> None:
    # A value Hearth writes must pass the check: the tables and the checked sets agree.
    assert set(labels.PLACEMENT_TYPE) >= {"K3", "Z11", "Z12", "Z13", "Z14", "H5", "P2", "Z1"}
    assert labels.ETHNICITY["REFU"] == "s) REFU" and labels.ETHNICITY["NOBT"] == "t) NOBT"
    assert labels.SOURCE["5D"] == "p1) 5D: LA services" and labels.SOURCE["10"] == "u) 10: Unknown"


# ---------------------------------------------------------------------------------------------- the command


def test_command_writes_the_workbook_and_logs_every_child(council: Council, tmp_path: Path) -> None:
    output = tmp_path / "annex_a.xlsx"
    out = io.StringIO()
    call_command("export_annex_a", "--start", str(START), "--end", str(END), "--output", str(output), stdout=out)
    book = openpyxl.load_workbook(output)
    assert book.sheetnames == list(LISTS)
    printed = out.getvalue()
    assert "List 1 3, List 2 1," in printed
    for person in Person.objects.filter(local_authority=council.la):
        assert person.last_name not in printed and person.hearth_id not in printed
    events = AccessEvent.objects.filter(local_authority=council.la, action=AccessEvent.Action.EXPORT)
    annex = build_annex_a(local_authority=council.la, start=START, end=END)
    assert events.count() == len(annex.person_pks)
    assert set(events.values_list("system", flat=True)) == {"manage.py export_annex_a"}
    assert set(events.values_list("person_id", flat=True)) == annex.person_pks
    assert events.filter(user__isnull=False).count() == 0


def test_command_logs_against_the_named_user(council: Council, tmp_path: Path) -> None:
    analyst = make_user(council.la, Role.PERFORMANCE_ANALYST, username="analyst")
    call_command("export_annex_a", "--start", str(START), "--end", str(END), "--output",
                 str(tmp_path / "a.xlsx"), "--by", "analyst", stdout=io.StringIO())
    events = AccessEvent.objects.filter(local_authority=council.la, action=AccessEvent.Action.EXPORT)
    assert events.exists() and set(events.values_list("user_id", flat=True)) == {analyst.pk}


@pytest.mark.parametrize(("start", "end", "output", "message"), [
    ("2026-10-31", "2026-05-01", "a.xlsx", "--start 2026-10-31 is after --end 2026-05-01"),
    ("2026-05-01", "tomorrow", "a.xlsx", "is in the future"),
    ("2026-05-01", "2026-10-31", "a.csv", "must be an Excel workbook ending .xlsx"),
    ("2026-5-1st", "2026-10-31", "a.xlsx", "--start must be a date written YYYY-MM-DD"),
    ("2026-05-01", "2026-10-31", "missing/a.xlsx", "does not exist"),
])
def test_command_refuses_bad_arguments(la: LocalAuthority, tmp_path: Path, start: str, end: str, output: str,
                                       message: str) -> None:
    if end == "tomorrow":
        end = str(timezone.localdate() + timedelta(days=1))
    with pytest.raises(CommandError, match=message):
        call_command("export_annex_a", "--start", start, "--end", end, "--output", str(tmp_path / output))
    assert not (tmp_path / output).exists()


def test_command_refuses_an_unknown_user(la: LocalAuthority, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="No active user nobody"):
        call_command("export_annex_a", "--start", str(START), "--end", str(END), "--output",
                     str(tmp_path / "a.xlsx"), "--by", "nobody")


# ---------------------------------------------------------------------------------------------- queries


def busy_council(la: LocalAuthority, children: int) -> None:
    """``children`` children, each in every list."""
    team = make_team(la)
    worker = make_user(la, Role.SOCIAL_WORKER, team)
    chair = make_user(la, Role.IRO, team)
    for n in range(children):
        child = make_person(la, date_of_birth=date(2009, 1, 1) + timedelta(days=n))
        make_contact(la, received_at=london(date(2026, 6, 1)), child=child)
        put(EarlyHelpEpisode, local_authority=la, child=child, origin="direct", started_on=date(2026, 5, 5),
            assessment_started_on=date(2026, 5, 6))
        cin = episode(child, date(2026, 5, 10), team=team)
        allocate(child, team, worker, date(2026, 5, 10))
        put(Assessment, local_authority=la, child=child, episode=cin, started_on=date(2026, 5, 11),
            child_seen_on=date(2026, 5, 12))
        discussion = put(StrategyDiscussion, local_authority=la, child=child, episode=cin, held_on=date(2026, 5, 20),
                         reason="Concern", decision="s47")
        enquiry = put(Section47Enquiry, local_authority=la, child=child, episode=cin, strategy_discussion=discussion,
                      started_on=date(2026, 5, 20))
        put(ChildProtectionConference, local_authority=la, child=child, episode=cin, kind="initial",
            section47=enquiry, held_on=date(2026, 6, 1), chair=chair, outcome="plan")
        plan = put(ChildProtectionPlan, local_authority=la, child=child, episode=cin, started_on=date(2026, 6, 1),
                   initial_category="NEG", latest_category="NEG")
        put(CPVisit, local_authority=la, cp_plan=plan, child=child, visited_on=date(2026, 6, 5), child_seen=True,
            visited_by=worker)
        care = period(child, date(2026, 7, 1))
        placement(care, date(2026, 7, 1))
        put(LookedAfterReview, local_authority=la, child=child, period=care, held_on=date(2026, 7, 20), chair=chair,
            participation="PN1")
        went_missing(child, date(2026, 8, 1))
        put(AdoptionPlan, local_authority=la, child=child, period=care, decided_on=date(2026, 8, 1))
        leaver = make_person(la, date_of_birth=date(2007, 1, 1) + timedelta(days=n))
        period(leaver, date(2020, 1, 1), ended_on=date(2025, 1, 1), reason="E5")
        put(CareLeaverContact, local_authority=la, child=leaver, contacted_on=date(2026, 10, 1), method="phone",
            in_touch="YES")


def queries_for(la: LocalAuthority) -> tuple[int, AnnexA]:
    with CaptureQueriesContext(connection) as queries:
        annex = build_annex_a(local_authority=la, start=START, end=END)
    return len(queries.captured_queries), annex


def test_queries_do_not_grow_with_the_number_of_children(la: LocalAuthority) -> None:
    busy_council(la, 2)
    few, annex = queries_for(la)
    assert annex.counts["List 8"] == 2 and annex.problems == []
    busy_council(la, 18)
    many, annex = queries_for(la)
    assert all(annex.counts[name] == 20 for name in ("List 1", "List 3", "List 5", "List 6", "List 7", "List 8",
                                                     "List 9", "List 10"))
    assert annex.problems == []
    assert few == many <= 50
