"""The CIN census from the live record: scope, values, DfE's schema, the file read back, the command."""

from __future__ import annotations

import dataclasses
import re
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from lxml import etree

from hearth.access.models import AccessEvent
from hearth.accounts.models import User
from hearth.accounts.roles import Role
from hearth.audit.actor import acting_as
from hearth.care.models import PeriodOfCare
from hearth.cin.models import Assessment, CINEpisode, CINPlan
from hearth.cin.services import episode_primary_need_record
from hearth.clocks.models import holiday_set
from hearth.people.models import Person
from hearth.people.validators import upn_check_letter
from hearth.protection import services as protection
from hearth.protection.models import (
    ChildProtectionConference,
    ChildProtectionPlan,
    Section47Enquiry,
    StrategyDiscussion,
)
from hearth.returns.cin_census import build_cin, cin_xml, read_cin_xml, schema_path, xsd_errors
from hearth.returns.cin_model import CinCensus, CinChild
from hearth.returns.rules.base import validate_cin
from hearth.tenancy.models import LocalAuthority
from tests.factories import make_la, make_person, make_user
from tests.protection.factories import make_chair, plan_for

BY = "test"


def upn(serial: int) -> str:
    """A real-looking UPN for LA 892 with its check letter (rule 1510)."""
    tail = f"892{25:02d}{serial:07d}"
    return upn_check_letter(tail) + tail


# ------------------------------------------------------------------------------------------------ builders


def _save(obj: Any) -> Any:
    with acting_as(BY):
        obj.save()
    return obj


def episode(child: Person, referral: date, *, closed: date | None = None, reason: str = "", source: str = "2A",
            need: str = "N1", nfa: bool = False) -> CINEpisode:
    return _save(CINEpisode(local_authority_id=child.local_authority_id, child=child, referral_date=referral,
                            referral_source=source, primary_need=need, closed_on=closed,
                            closure_reason=reason or ("RC7" if closed else ""), referral_nfa=nfa))


def assessment(ep: CINEpisode, started: date, authorised: date | None = None,
               factors: list[str] | None = None) -> Assessment:
    return _save(Assessment(
        local_authority_id=ep.local_authority_id, child=ep.child, episode=ep, started_on=started,
        authorised_on=authorised, factors=factors or [],
        status=Assessment.Status.AUTHORISED if authorised else Assessment.Status.IN_PROGRESS))


def cin_plan(ep: CINEpisode, started: date, ended: date | None = None) -> CINPlan:
    return _save(CINPlan(local_authority_id=ep.local_authority_id, child=ep.child, episode=ep, started_on=started,
                         ended_on=ended, end_reason="needs_met" if ended else ""))


def s47_to_plan(ep: CINEpisode, chair: User, discussed: date, icpc: date, review: date) -> ChildProtectionPlan:
    """Strategy discussion, S47, initial conference and plan, one review: bare rows (the query-count test)."""
    child, la = ep.child, ep.local_authority_id
    talk = _save(StrategyDiscussion(local_authority_id=la, child=child, episode=ep, held_on=discussed,
                                    reason="Injury", decision="s47"))
    enquiry = _save(Section47Enquiry(local_authority_id=la, child=child, episode=ep, strategy_discussion=talk,
                                     started_on=discussed, completed_on=icpc, icpc_required=True,
                                     outcome="substantiated_at_risk"))
    plan = _save(ChildProtectionPlan(local_authority_id=la, child=child, episode=ep, started_on=icpc,
                                     initial_category="NEG", latest_category="NEG"))
    for kind, held, s47, cp in (("initial", icpc, enquiry, None), ("review", review, None, plan)):
        _save(ChildProtectionConference(local_authority_id=la, child=child, episode=ep, kind=kind, section47=s47,
                                        cp_plan=cp, held_on=held, chair=chair, outcome="plan"))
    return plan


@dataclasses.dataclass
class Council:
    la: LocalAuthority
    kids: dict[str, Person]


@pytest.fixture
def council(db: Any) -> Council:
    """One child of each kind the census holds, with dates either side of the 2024/25 and 2025/26 years."""
    la = make_la(number="892")
    chair, manager = make_chair(la), make_user(la, Role.TEAM_MANAGER)
    kids: dict[str, Person] = {}

    # Referral closed with no further action, the day it came in.
    kids["nfa"] = make_person(la, date_of_birth=date(2022, 5, 1), sex="M", upn_unknown="UN7",
                              disabilities=["NONE"])
    episode(kids["nfa"], date(2025, 6, 2), closed=date(2025, 6, 2), source="1A", need="N9", nfa=True)

    # Assessment with factors, then a CIN plan; the plan and the referral end after 31 March 2026.
    kids["assessed"] = make_person(la, date_of_birth=date(2012, 9, 10), sex="F", upn=upn(1),
                                   disabilities=["LD", "AUT"], ethnicity="MWBC")
    episode(kids["assessed"], date(2024, 1, 10), closed=date(2024, 2, 1))  # an earlier year's referral
    ep = episode(kids["assessed"], date(2025, 5, 12), closed=date(2026, 5, 1), need="N3")
    assessment(ep, date(2025, 5, 14), date(2025, 6, 20), ["3B", "4B"])
    cin_plan(ep, date(2025, 6, 25), date(2026, 4, 15))

    # Strategy discussion, S47, initial conference, plan and reviews, through the services: in 2024/25.
    kids["cp"] = make_person(la, date_of_birth=date(2016, 2, 2), sex="M", disabilities=["NONE"], upn=upn(3))
    plan = plan_for(kids["cp"], chair=chair, manager=manager, by=manager, referral_on=date(2025, 2, 3),
                    discussed_on=date(2025, 2, 10), completed_on=date(2025, 2, 24), icpc_on=date(2025, 3, 3))
    for held, category in ((date(2025, 5, 30), ""), (date(2025, 11, 28), "EMO")):
        protection.conference_record(kind=ChildProtectionConference.Kind.REVIEW, child=kids["cp"], held_on=held,
                                     chair=chair, outcome="plan_continues", category=category, cp_plan=plan,
                                     by=manager)

    # The same path within 2025/26.
    kids["cp_in_year"] = make_person(la, date_of_birth=date(2019, 7, 7), sex="F", disabilities=["NONE"],
                                     upn=upn(4))
    plan_for(kids["cp_in_year"], chair=chair, manager=manager, by=manager, referral_on=date(2025, 7, 1),
             discussed_on=date(2025, 7, 3), completed_on=date(2025, 7, 14), icpc_on=date(2025, 7, 21))

    # Moved here on another council's plan: a transfer-in conference with no S47.
    kids["transfer"] = make_person(la, date_of_birth=date(2022, 1, 15), sex="M", disabilities=["NONE"],
                                   upn_unknown="UN1")
    protection.conference_record(kind=ChildProtectionConference.Kind.TRANSFER_IN, child=kids["transfer"],
                                 held_on=date(2025, 8, 18), chair=chair, outcome="plan", category="PHY",
                                 notified_on=date(2025, 8, 4), previous_authority="Derbyshire County Council",
                                 by=manager)

    for name in ("cp", "cp_in_year", "transfer"):
        opened = CINEpisode.objects.get(child=kids[name])
        episode_primary_need_record(episode=opened, primary_need="N1", by=manager)

    # Unborn at the reference date (a recorded sex notwithstanding), and born after it.
    kids["unborn"] = make_person(la, date_of_birth=None, expected_date_of_birth=date(2026, 5, 20), sex="F")
    episode(kids["unborn"], date(2026, 1, 12), source="3B")
    kids["born_after"] = make_person(la, date_of_birth=date(2026, 4, 10), expected_date_of_birth=date(2026, 4, 20),
                                     sex="M", disabilities=["NONE"])
    episode(kids["born_after"], date(2026, 2, 2), source="3B")

    # Looked after, with an assessment authorised only after 31 March 2026.
    kids["in_care"] = make_person(la, date_of_birth=date(2010, 3, 3), sex="M", disabilities=["NONE"],
                                  upn=upn(2))
    ep = episode(kids["in_care"], date(2025, 4, 10), need="N4")
    assessment(ep, date(2026, 2, 23), date(2026, 4, 2), ["16A"])
    _save(PeriodOfCare(local_authority=la, child=kids["in_care"], started_on=date(2025, 5, 2),
                       category_of_need="N4"))

    # Not in the 2025/26 census: closed before it, merged away, another council's.
    kids["gone"] = make_person(la, date_of_birth=date(2011, 1, 1), disabilities=["NONE"])
    episode(kids["gone"], date(2024, 6, 1), closed=date(2025, 3, 31))
    survivor = make_person(la, date_of_birth=date(2013, 1, 1), disabilities=["NONE"])
    merged = make_person(la, date_of_birth=date(2013, 1, 1), disabilities=["NONE"], merged_into=survivor)
    episode(merged, date(2025, 9, 1))
    kids["merged"] = merged
    elsewhere = make_person(make_la(name="Another Council"), disabilities=["NONE"])
    episode(elsewhere, date(2025, 9, 1))
    kids["elsewhere"] = elsewhere
    return Council(la=la, kids=kids)


def child_of(census: CinCensus, person: Person) -> CinChild:
    return next(c for c in census.children if c.person_pk == person.pk)


def ids(census: CinCensus) -> set[int | None]:
    return {c.person_pk for c in census.children}


# ------------------------------------------------------------------------------------------------ scope


def test_the_census_holds_every_child_with_a_referral_open_in_the_year(council: Council) -> None:
    k = council.kids
    census = build_cin(local_authority=council.la, year=2026)
    assert ids(census) == {k[n].pk for n in ("nfa", "assessed", "cp", "cp_in_year", "transfer", "unborn",
                                             "born_after", "in_care")}
    earlier = build_cin(local_authority=council.la, year=2025)
    assert ids(earlier) == {k["cp"].pk, k["gone"].pk}
    assert census.la_code == "892" and census.reference_date == date(2026, 3, 31) and census.year == 2026


def test_a_referral_holds_what_the_year_held_and_nothing_after_31_march(council: Council) -> None:
    census = build_cin(local_authority=council.la, year=2026)
    assessed = child_of(census, council.kids["assessed"])
    [details] = assessed.details  # the 2024 referral closed before the year
    assert (details.referral_date, details.referral_source, details.primary_need) == (date(2025, 5, 12), "2A", "N3")
    # Closed and plan ended after the reference date: open on it.
    assert details.closure_date is None and details.reason_for_closure == ""
    [a] = details.assessments
    assert (a.actual_start, a.authorised, a.factors) == (date(2025, 5, 14), date(2025, 6, 20), ["3B", "4B"])
    assert [(p.start, p.end) for p in details.cin_plans] == [(date(2025, 6, 25), None)]
    assert assessed.disabilities == ["LD", "AUT"] and assessed.ethnicity == "MWBC"
    assert assessed.upn == upn(1) and assessed.la_child_id == f"{council.kids['assessed'].pk:07d}"
    # Every module names the record it came from, for the link to where a finding is fixed.
    assert details.source_pk and a.source_pk and details.cin_plans[0].source_pk

    in_care = child_of(census, council.kids["in_care"]).details[0]
    [open_assessment] = in_care.assessments  # authorised in April 2026: still open on 31 March
    assert open_assessment.authorised is None and open_assessment.factors == []


@pytest.mark.parametrize("year", [2025, 2026])
def test_a_well_kept_record_gives_a_census_without_errors(council: Council, year: int) -> None:
    result = validate_cin(build_cin(local_authority=council.la, year=year))
    assert [(f.rule, f.child, f.location) for f in result.errors] == []


def test_nfa_referral(council: Council) -> None:
    census = build_cin(local_authority=council.la, year=2026)
    nfa = child_of(census, council.kids["nfa"])
    [details] = nfa.details
    assert details.referral_nfa and details.closure_date == date(2025, 6, 2) and details.reason_for_closure == "RC7"
    assert not (details.assessments or details.cin_plans or details.section47s or details.cp_plans)
    assert nfa.upn == "" and nfa.upn_unknown == "UN7"


def test_s47_conference_and_plan_in_the_year(council: Council) -> None:
    census = build_cin(local_authority=council.la, year=2026)
    [details] = child_of(census, council.kids["cp_in_year"]).details
    [s47] = details.section47s
    assert s47.actual_start == date(2025, 7, 3) and s47.date_of_initial_cpc == date(2025, 7, 21)
    # 15 working days from the strategy discussion (Thursday 3 July 2025).
    assert s47.initial_cpc_target == date(2025, 7, 24) and not s47.icpc_not_required
    [plan] = details.cp_plans
    assert plan.start == s47.date_of_initial_cpc and plan.end is None  # 2885
    assert details.date_of_initial_cpc is None  # recorded once, in the S47 (2884)


def test_a_plan_from_last_year_keeps_its_reviews_but_not_last_years_enquiry(council: Council) -> None:
    census = build_cin(local_authority=council.la, year=2026)
    [details] = child_of(census, council.kids["cp"]).details
    assert details.section47s == [] and details.date_of_initial_cpc is None
    [plan] = details.cp_plans
    assert plan.start == date(2025, 3, 3)
    assert plan.review_dates == [date(2025, 5, 30), date(2025, 11, 28)]
    assert (plan.initial_category, plan.latest_category, plan.number_of_previous) == ("NEG", "EMO", 0)

    earlier = build_cin(local_authority=council.la, year=2025)
    [details] = child_of(earlier, council.kids["cp"]).details
    [s47] = details.section47s
    assert (s47.actual_start, s47.date_of_initial_cpc, s47.initial_cpc_target) == (
        date(2025, 2, 10), date(2025, 3, 3), date(2025, 3, 3))
    assert [p.review_dates for p in details.cp_plans] == [[]]  # the reviews came after 31 March 2025


def test_transfer_in_conference_is_recorded_on_the_referral(council: Council) -> None:
    census = build_cin(local_authority=council.la, year=2026)
    [details] = child_of(census, council.kids["transfer"]).details
    assert details.referral_source == "5C" and details.section47s == []
    assert details.date_of_initial_cpc == date(2025, 8, 18) == details.cp_plans[0].start


def test_unborn_children(council: Council) -> None:
    census = build_cin(local_authority=council.la, year=2026)
    unborn = child_of(census, council.kids["unborn"])
    assert (unborn.sex, unborn.birth_date, unborn.expected_birth_date) == ("U", None, date(2026, 5, 20))
    born_after = child_of(census, council.kids["born_after"])
    assert (born_after.sex, born_after.birth_date, born_after.expected_birth_date) == ("U", None, date(2026, 4, 20))
    for child in census.children:
        assert (child.birth_date is None) != (child.expected_birth_date is None), child.la_child_id


# ------------------------------------------------------------------------------------------------ XML


@pytest.mark.parametrize("year", [2025, 2026])
def test_the_file_is_valid_against_the_years_schema(council: Council, year: int) -> None:
    census = build_cin(local_authority=council.la, year=year)
    assert census.children
    assert xsd_errors(cin_xml(census), year=year) == []


def _sequences() -> dict[str, list[str]]:
    """Element name -> its children's names in the schema's sequence order, read from the XSD itself."""
    xs = "{http://www.w3.org/2001/XMLSchema}"
    schema = etree.parse(str(schema_path(2026))).getroot()

    def seq(complex_type: etree._Element) -> list[str]:
        return [e.get("name") or "" for e in complex_type.iterfind(f"{xs}sequence/{xs}element")]

    types = {t.get("name"): seq(t) for t in schema.iterfind(f"{xs}complexType")}
    out: dict[str, list[str]] = {}
    for element in schema.iter(f"{xs}element"):
        inline = element.find(f"{xs}complexType")
        if inline is not None:
            out[element.get("name") or ""] = seq(inline)
        elif element.get("type") in types:
            out[element.get("name") or ""] = types[element.get("type")]
    return out


def test_elements_follow_the_schemas_sequence_and_carry_the_header(council: Council) -> None:
    census = build_cin(local_authority=council.la, year=2026)
    root = etree.fromstring(cin_xml(census))
    order = _sequences()
    checked = 0
    for node in root.iter():
        tag = str(node.tag)
        if tag in order:
            positions = [order[tag].index(str(c.tag)) for c in node]
            assert positions == sorted(positions), node.tag
            checked += 1
    assert checked > 50
    assert root.findtext("Header/CollectionDetails/Collection") == "CIN"
    assert root.findtext("Header/CollectionDetails/Year") == "2026"
    assert root.findtext("Header/CollectionDetails/ReferenceDate") == "2026-03-31"
    assert root.findtext("Header/Source/SourceLevel") == "L"
    assert root.findtext("Header/Source/LEA") == "892"
    assert root.findtext("Header/Source/SoftwareCode") == "Hearth"
    assert re.fullmatch(r"\d{3,}", root.findtext("Header/Source/SerialNo") or "")
    datetime.fromisoformat(root.findtext("Header/Source/DateTime") or "")


def test_values_in_the_file(council: Council) -> None:
    root = etree.fromstring(cin_xml(build_cin(local_authority=council.la, year=2026)))
    by_id = {c.findtext("ChildIdentifiers/LAchildID"): c for c in root.iterfind("Children/Child")}
    unborn = by_id[council.kids["unborn"].hearth_id]
    assert unborn.findtext("ChildIdentifiers/Sex") == "U"
    assert unborn.find("ChildIdentifiers/PersonBirthDate") is None
    assert unborn.findtext("ChildIdentifiers/ExpectedPersonBirthDate") == "2026-05-20"
    assert unborn.find("ChildCharacteristics/Disabilities") is None  # none recorded: not guessed
    for child in root.iterfind("Children/Child"):
        dates = [child.find(f"ChildIdentifiers/{t}") for t in ("PersonBirthDate", "ExpectedPersonBirthDate")]
        assert sum(d is not None for d in dates) == 1
        # 2884: an initial conference is never in both places.
        s47_dates = {e.text for e in child.iterfind("CINdetails/Section47/DateOfInitialCPC")}
        assert not s47_dates & {e.text for e in child.iterfind("CINdetails/DateOfInitialCPC")}
    nfa = by_id[council.kids["nfa"].hearth_id]
    assert nfa.findtext("CINdetails/ReferralNFA") == "1" and nfa.findtext("ChildIdentifiers/UPNunknown") == "UN7"
    cp = by_id[council.kids["cp_in_year"].hearth_id]
    assert cp.findtext("CINdetails/Section47/ICPCnotRequired") == "0"
    assert cp.findtext("CINdetails/Section47/DateOfInitialCPC") == cp.findtext("CINdetails/ChildProtectionPlans/"
                                                                               "CPPstartDate") == "2025-07-21"
    assessed = by_id[council.kids["assessed"].hearth_id]
    assert [f.text for f in assessed.iterfind(".//AssessmentFactors")] == ["3B", "4B"]
    assert [d.text for d in assessed.iterfind(".//Disability")] == ["LD", "AUT"]


def test_retired_factors_are_reported_but_never_written(council: Council) -> None:
    ep = CINEpisode.objects.get(child=council.kids["assessed"], referral_date=date(2025, 5, 12))
    assessment(ep, date(2025, 7, 1), date(2025, 7, 20), ["2B", "18A"])
    census = build_cin(local_authority=council.la, year=2026)
    assert ["2B", "18A"] in [a.factors for a in child_of(census, council.kids["assessed"]).details[0].assessments]
    xml = cin_xml(census)
    assert b"<AssessmentFactors>2B</AssessmentFactors>" in xml and b">18A<" not in xml


def test_round_trip(council: Council) -> None:
    census = build_cin(local_authority=council.la, year=2026)
    back = read_cin_xml(cin_xml(census))

    def plain(c: CinCensus) -> dict[str, Any]:
        data = dataclasses.asdict(c)
        text = repr(data)
        # The record's keys are not in the file.
        return {"data": re.sub(r"'(source_pk|person_pk)': \d+", r"'\1': None", text)}

    assert plain(back) == plain(census)
    assert back.generated_at == census.generated_at


@pytest.mark.parametrize("flag", [None, "", "maybe"])
def test_a_file_whose_referral_nfa_is_missing_or_invalid_is_reported_by_8568(council: Council,
                                                                             flag: str | None) -> None:
    census = build_cin(local_authority=council.la, year=2026)
    document = etree.fromstring(cin_xml(census))
    child_id = f"{council.kids['assessed'].pk:07d}"
    [child] = [c for c in document.iterfind("Children/Child") if c.findtext("ChildIdentifiers/LAchildID") == child_id]
    node = child.find("CINdetails/ReferralNFA")
    assert node is not None
    details_node = node.getparent()
    assert details_node is not None
    if flag is None:
        details_node.remove(node)
    else:
        node.text = flag

    back = read_cin_xml(etree.tostring(document))

    [details] = next(c for c in back.children if c.la_child_id == child_id).details
    assert details.referral_nfa is None  # not taken for a referral with no further action
    found = [(f.rule, f.child) for f in validate_cin(back).errors if f.rule == "8568"]
    assert found == [("8568", child_id)]
    # Written back out, the item is left out, not guessed: the schema check reports it too.
    assert xsd_errors(cin_xml(back), year=2026)


def test_a_file_whose_referral_nfa_is_true_or_false_reads_as_a_flag(council: Council) -> None:
    xml = cin_xml(build_cin(local_authority=council.la, year=2026))
    back = read_cin_xml(xml.replace(b"<ReferralNFA>1<", b"<ReferralNFA>true<")
                        .replace(b"<ReferralNFA>0<", b"<ReferralNFA>false<"))
    flags = {d.referral_nfa for c in back.children for d in c.details}
    assert flags == {True, False}
    assert not [f for f in validate_cin(back).findings if f.rule == "8568"]


def test_a_review_without_a_date_reads_as_none_and_is_queried(council: Council) -> None:
    xml = cin_xml(build_cin(local_authority=council.la, year=2026))
    assert xml.count(b"<CPPreviewDate>2025-11-28</CPPreviewDate>") == 1
    back = read_cin_xml(xml.replace(b"<CPPreviewDate>2025-11-28</CPPreviewDate>", b"<CPPreviewDate/>"))
    child = f"{council.kids['cp'].pk:07d}"
    [plan] = [p for c in back.children if c.la_child_id == child for d in c.details for p in d.cp_plans]
    assert plan.review_dates == [date(2025, 5, 30), None]
    assert [(f.rule, f.child) for f in validate_cin(back).queries if f.rule == "8842Q"] == [("8842Q", child)]


def test_read_refuses_what_is_not_a_census() -> None:
    with pytest.raises(ValueError, match="not well-formed"):
        read_cin_xml(b"<Message><Children>")
    with pytest.raises(ValueError, match="not a CIN census"):
        read_cin_xml(b"<?xml version='1.0'?><EXPSSDA903/>")
    # Entities are not expanded (a file from elsewhere).
    evil = (b'<?xml version="1.0"?><!DOCTYPE m [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
            b"<Message><Children><Child><ChildIdentifiers><LAchildID>&x;</LAchildID></ChildIdentifiers>"
            b"</Child></Children></Message>")
    census = read_cin_xml(evil.replace(b"<Message>", b"<Message><Header><CollectionDetails><Year>2026</Year>"
                                                     b"</CollectionDetails></Header>"))
    assert "root:" not in census.children[0].la_child_id


def test_schema_errors_name_the_child_and_line_but_not_the_value(council: Council) -> None:
    census = build_cin(local_authority=council.la, year=2026)
    child = child_of(census, council.kids["assessed"])
    child.sex = "X"
    child.upn = "A89210120000"  # 12 characters
    errors = xsd_errors(cin_xml(census), year=2026)
    assert len(errors) == 2
    assert all(f"child {child.la_child_id}" in e and e.startswith("line ") for e in errors)
    assert not any("A89210120000" in e or "'X'" in e for e in errors)
    with pytest.raises(ValueError, match="2025/26"):
        xsd_errors(b"<Message/>", year=2027)


# ------------------------------------------------------------------------------------------------ queries


def _council_of(n: int) -> LocalAuthority:
    la = make_la()
    chair = make_chair(la)
    for i in range(n):
        child = make_person(la, date_of_birth=date(2015, 1, 1), disabilities=["NONE"])
        ep = episode(child, date(2025, 4, 7))
        assessment(ep, date(2025, 4, 8), date(2025, 5, 1), ["16A"])
        cin_plan(ep, date(2025, 5, 2), date(2025, 6, 30))
        s47_to_plan(ep, chair, date(2025, 7, 1), date(2025, 7, 14), date(2025, 10, 10))
        if i % 2:
            episode(child, date(2024, 1, 1), closed=date(2024, 3, 1))
    return la


def test_a_fixed_number_of_queries_however_many_children(db: Any) -> None:
    small, large = _council_of(2), _council_of(20)
    holiday_set()  # the calendar's cache, as in a running service
    counts = []
    for la, n in ((small, 2), (large, 20)):
        with CaptureQueriesContext(connection) as queries:
            census = build_cin(local_authority=la, year=2026)
        assert len(census.children) == n
        assert all(d.cp_plans[0].review_dates for c in census.children for d in c.details)
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 8


def test_progress_is_reported_a_handful_of_times(council: Council) -> None:
    seen: list[tuple[float, str]] = []
    build_cin(local_authority=council.la, year=2026, progress=lambda done, stage: seen.append((done, stage)))
    assert 3 <= len(seen) <= 10 and seen[-1][0] == 1.0
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)


# ------------------------------------------------------------------------------------------------ command


def test_command_writes_a_valid_file_and_logs_every_child(council: Council, tmp_path: Path, capsys: Any) -> None:
    output = tmp_path / "cin.xml"
    call_command("export_cin_census", "--year", "2026", "--output", str(output), "--council", "892")
    xml = output.read_bytes()
    assert xml.startswith(b"<?xml version='1.0' encoding='UTF-8'?>")
    assert xsd_errors(xml, year=2026) == []
    census = read_cin_xml(xml)
    assert len(census.children) == 8
    events = AccessEvent.objects.filter(local_authority=council.la)
    assert events.count() == 8
    assert {e.person_id for e in events} == {int(c.la_child_id) for c in census.children}
    assert {(e.action, e.user_id, e.system, e.page) for e in events} == {
        (AccessEvent.Action.EXPORT, None, "manage.py export_cin_census", "CIN census 2025/26 export")}
    out = capsys.readouterr().out
    assert "8 children" in out and "CIN_schema_2026.xsd" in out
    # Counts, never a name or an identifier.
    assert not any(p.last_name in out or p.hearth_id in out for p in council.kids.values())


def test_command_logs_against_the_named_user(council: Council, tmp_path: Path) -> None:
    analyst = make_user(council.la, Role.TEAM_MANAGER, username="analyst")
    call_command("export_cin_census", "--year", "2025", "--output", str(tmp_path / "cin.xml"), "--council",
                 "892", "--by", "analyst")
    assert set(AccessEvent.objects.values_list("user_id", "page")) == {(analyst.pk, "CIN census 2024/25 export")}


@pytest.mark.parametrize(("args", "message"), [
    (["--year", "2027"], "pre-proceedings"),
    (["--year", "2019"], "Years supported: 2025 (2024/25), 2026 (2025/26)"),
    (["--council", "999"], "No council with DfE LA number 999"),
    (["--by", "nobody"], "No active user nobody"),
])
def test_command_refuses_bad_arguments(council: Council, tmp_path: Path, args: list[str], message: str) -> None:
    base = {"--year": "2026", "--output": str(tmp_path / "cin.xml"), "--council": "892"}
    base.update(dict(zip(args[::2], args[1::2], strict=True)))
    with pytest.raises(CommandError, match=re.escape(message)):
        call_command("export_cin_census", *[x for pair in base.items() for x in pair])
    assert not (tmp_path / "cin.xml").exists()
    assert not AccessEvent.objects.exists()


def test_command_refuses_an_output_it_cannot_write(council: Council, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="is a folder"):
        call_command("export_cin_census", "--year", "2026", "--output", str(tmp_path), "--council", "892")
    with pytest.raises(CommandError, match="does not exist"):
        call_command("export_cin_census", "--year", "2026", "--output", str(tmp_path / "no" / "cin.xml"),
                     "--council", "892")


def test_command_needs_a_council_when_several_are_loaded(council: Council, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="More than one council"):
        call_command("export_cin_census", "--year", "2026", "--output", str(tmp_path / "cin.xml"))


def test_command_refuses_an_empty_census(db: Any, tmp_path: Path) -> None:
    make_la(number="893")
    with pytest.raises(CommandError, match="no census to write"):
        call_command("export_cin_census", "--year", "2026", "--output", str(tmp_path / "cin.xml"))
