"""The SSDA903 return from the live record: who is in each table, the rows, the files and the command.

Collection year 2026 runs from 1 April 2025 to 31 March 2026.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hearth.access.models import AccessEvent
from hearth.returns.ssda903 import (
    NO_NAMED_WORKER,
    Return903FileError,
    SocialWorkSpell,
    build_903,
    read_903_csv,
    sw_reason,
    write_903_csv,
    zip_903,
)
from hearth.tenancy.models import LocalAuthority
from tests.cin.factories import open_episode
from tests.factories import make_team, make_user

from . import factories_live as live

# returns.md §A.2, typed out here so the test does not just compare the exporter with itself.
EXPECTED_COLUMNS = {
    "header.csv": "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB",
    "episodes.csv": "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN",
    "reviews.csv": "CHILD,DOB,REVIEW,REVIEW_CODE",
    "uasc.csv": "CHILD,SEX,DOB,DUC",
    "oc2.csv": "CHILD,DOB,SDQ_SCORE,SDQ_REASON,CONVICTED,HEALTH_CHECK,IMMUNISATIONS,TEETH_CHECK,HEALTH_ASSESSMENT,"
               "SUBSTANCE_MISUSE,INTERVENTION_RECEIVED,INTERVENTION_OFFERED",
    "oc3.csv": "CHILD,DOB,IN_TOUCH,ACTIV,ACCOM",
    "ad1.csv": "CHILD,DOB,DATE_INT,DATE_MATCH,FOSTER_CARE,NB_ADOPTR,SEX_ADOPTR,LS_ADOPTR",
    "placed_for_adoption.csv": "CHILD,DOB,DATE_PLACED,DATE_PLACED_CEASED,REASON_PLACED_CEASED",
    "previous_permanence.csv": "CHILD,DOB,PREV_PERM,LA_PERM,DATE_PERM",
    "missing.csv": "CHILD,DOB,MISSING,MIS_START,MIS_END",
    "sw_episodes.csv": "CHILD,DOB,SW_ID,SW_DECOM,SW_DEC,SW_REASON",
    "dolo.csv": "CHILD,DOB,DOLO_START,DOLO_END",
}
DATE_COLUMNS = {"DOB", "MC_DOB", "DECOM", "DEC", "REVIEW", "DUC", "DATE_INT", "DATE_MATCH", "DATE_PLACED",
                "DATE_PLACED_CEASED", "DATE_PERM", "MIS_START", "MIS_END", "SW_DECOM", "SW_DEC", "DOLO_START",
                "DOLO_END"}
DDMMYYYY = re.compile(r"^(0[1-9]|[12]\d|3[01])/(0[1-9]|1[0-2])/\d{4}$")


def build(la: LocalAuthority, year: int = 2026, **kwargs):
    kwargs.setdefault("with_previous", False)
    return build_903(local_authority=la, year=year, **kwargs)


def rows_of(ret, table: str, child) -> list[dict[str, str]]:
    return [row for _, row in ret.by_child(table).get(child.hearth_id, [])]


def without_child(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    return [{k: v for k, v in row.items() if k != "CHILD"} for row in rows]


# ---------------------------------------------------------------------------------------------- episodes


def test_a_child_with_two_placements_and_a_change_of_legal_status_has_three_episodes(la):
    kid = live.child(la)
    care = live.period(kid, date(2025, 5, 10), home_postcode="ng7 2bh")
    live.legal_status(care, "C1", date(2025, 5, 10), date(2025, 8, 1))
    live.legal_status(care, "C2", date(2025, 8, 1))
    live.placement(care, "U6", date(2025, 5, 10), date(2025, 10, 15), postcode="NG5 1AA", reason_for_change="CREQO")
    live.placement(care, "U4", date(2025, 10, 15), postcode="ng35xy", urn="SC654321", provider="PR4")

    ret = build(la)

    assert without_child(rows_of(ret, "Episodes", kid)) == [
        {"DECOM": "10/05/2025", "RNE": "S", "LS": "C1", "CIN": "N1", "PLACE": "U6", "PLACE_PROVIDER": "PR1",
         "DEC": "01/08/2025", "REC": "X1", "REASON_PLACE_CHANGE": "", "HOME_POST": "NG7 2BH", "PL_POST": "NG5 1AA",
         "URN": "SC123456"},
        {"DECOM": "01/08/2025", "RNE": "L", "LS": "C2", "CIN": "N1", "PLACE": "U6", "PLACE_PROVIDER": "PR1",
         "DEC": "15/10/2025", "REC": "X1", "REASON_PLACE_CHANGE": "CREQO", "HOME_POST": "NG7 2BH",
         "PL_POST": "NG5 1AA", "URN": "SC123456"},
        {"DECOM": "15/10/2025", "RNE": "P", "LS": "C2", "CIN": "N1", "PLACE": "U4", "PLACE_PROVIDER": "PR4",
         "DEC": "", "REC": "", "REASON_PLACE_CHANGE": "", "HOME_POST": "NG7 2BH", "PL_POST": "NG3 5XY",
         "URN": "SC654321"},
    ]
    assert rows_of(ret, "Header", kid) == [{"CHILD": kid.hearth_id, "SEX": "M", "DOB": "01/06/2012",
                                            "ETHNIC": "WBRI", "UPN": "A892101200001", "MOTHER": "", "MC_DOB": ""}]
    # Started to be looked after in the year: previous permanence is asked for.
    assert without_child(rows_of(ret, "PrevPerm", kid)) == [{"DOB": "01/06/2012", "PREV_PERM": "Z1", "LA_PERM": "",
                                                             "DATE_PERM": ""}]
    assert ret.child_pks == {kid.hearth_id: kid.pk}
    assert ret.la_code == la.dfe_la_number


def test_episodes_open_in_the_year_keep_their_start_and_those_ending_after_31_march_are_shown_open(la):
    long_stay, care = live.looked_after(la, date(2023, 1, 10))
    # A move after 31 March 2026 ends the first episode then: on 31 March it was still open.
    care_placement = care.placements.get()
    care_placement.ended_on = date(2026, 5, 1)
    care_placement.reason_for_change = "CARPL"
    care_placement.save(by="test")
    live.placement(care, "K2", date(2026, 5, 1), provider="PR4")
    left_later, _ = live.looked_after(la, date(2024, 2, 1), ended_on=date(2026, 6, 1), reason="E4A")
    left_in_year, _ = live.looked_after(la, date(2024, 2, 1), ended_on=date(2026, 2, 1), reason="E13")
    left_before, _ = live.looked_after(la, date(2023, 2, 1), ended_on=date(2025, 3, 31), reason="E4A")
    starts_after, _ = live.looked_after(la, date(2026, 4, 1))

    ret = build(la)

    assert [(r["DECOM"], r["DEC"], r["REC"], r["REASON_PLACE_CHANGE"]) for r in rows_of(ret, "Episodes", long_stay)
            ] == [("10/01/2023", "", "", "")]
    assert [(r["DEC"], r["REC"]) for r in rows_of(ret, "Episodes", left_later)] == [("", "")]
    assert [(r["DEC"], r["REC"]) for r in rows_of(ret, "Episodes", left_in_year)] == [("01/02/2026", "E13")]
    assert rows_of(ret, "Episodes", left_before) == []
    assert rows_of(ret, "Episodes", starts_after) == []
    assert set(ret.child_pks.values()) == {long_stay.pk, left_later.pk, left_in_year.pk}
    # Started before the year: no previous permanence row.
    assert ret.table("PrevPerm") == []


def test_previous_permanence_not_known_goes_out_as_dfes_not_known(la):
    unknown = live.child(la)
    care = live.period(unknown, date(2025, 6, 1), previous_permanence="P4")
    live.legal_status(care, "V2", date(2025, 6, 1))
    live.placement(care, "U6", date(2025, 6, 1))
    known = live.child(la)
    care = live.period(known, date(2025, 7, 1), previous_permanence="P2", previous_permanence_la="891",
                       previous_permanence_on=date(2019, 3, 4))
    live.legal_status(care, "V2", date(2025, 7, 1))
    live.placement(care, "U6", date(2025, 7, 1))

    ret = build(la)

    assert [(r["PREV_PERM"], r["LA_PERM"], r["DATE_PERM"]) for r in rows_of(ret, "PrevPerm", unknown)] == [
        ("P4", "999", "ZZ/ZZ/ZZZZ")]
    assert [(r["PREV_PERM"], r["LA_PERM"], r["DATE_PERM"]) for r in rows_of(ret, "PrevPerm", known)] == [
        ("P2", "891", "04/03/2019")]


def test_placement_codes_are_those_of_the_year(la):
    kid = live.child(la)
    care = live.period(kid, date(2024, 6, 1))
    live.legal_status(care, "C2", date(2024, 6, 1))
    live.placement(care, "Z12", date(2024, 6, 1), provider="", urn="")

    assert rows_of(build(la, 2026), "Episodes", kid)[0]["PLACE"] == "Z12"
    # 2024/25 knew only Z1, which 2025/26 split into Z11 to Z14.
    assert rows_of(build(la, 2025), "Episodes", kid)[0]["PLACE"] == "Z1"


# ---------------------------------------------------------------------------------------------- header


def test_mother_is_given_for_girls_looked_after_and_her_first_child_born_while_looked_after(la):
    mother, _ = live.looked_after(la, date(2024, 1, 1), sex="F", date_of_birth=date(2009, 2, 2))
    live.parent_of(mother, date(2025, 12, 1))
    live.parent_of(mother, date(2026, 3, 1))
    not_a_mother, _ = live.looked_after(la, date(2024, 1, 1), sex="F")
    boy, _ = live.looked_after(la, date(2024, 1, 1), sex="M")
    left_before_birth, _ = live.looked_after(la, date(2024, 1, 1), ended_on=date(2025, 10, 1), sex="F",
                                             date_of_birth=date(2008, 1, 1))
    live.parent_of(left_before_birth, date(2026, 1, 5))

    header = {row["CHILD"]: (row["MOTHER"], row["MC_DOB"]) for row in build(la).table("Header")}

    assert header[mother.hearth_id] == ("1", "01/12/2025")
    assert header[not_a_mother.hearth_id] == ("0", "")
    assert header[boy.hearth_id] == ("", "")
    assert header[left_before_birth.hearth_id] == ("0", "")


def test_upn_unknown_reason_stands_in_for_a_missing_upn(la):
    kid, _ = live.looked_after(la, date(2024, 1, 1), upn="", upn_unknown="UN2")
    assert rows_of(build(la), "Header", kid)[0]["UPN"] == "UN2"


def test_uasc_rows_for_children_who_are_or_stopped_being_uasc_in_the_year(la):
    still, _ = live.looked_after(la, date(2024, 1, 1), is_uasc=True, date_of_birth=date(2009, 3, 10))
    ceased, _ = live.looked_after(la, date(2024, 1, 1), uasc_ceased_on=date(2025, 10, 10))
    long_ago, _ = live.looked_after(la, date(2023, 1, 1), uasc_ceased_on=date(2024, 1, 1))
    never, _ = live.looked_after(la, date(2024, 1, 1))

    ret = build(la)

    assert without_child(rows_of(ret, "UASC", still)) == [{"SEX": "M", "DOB": "10/03/2009", "DUC": "10/03/2027"}]
    assert rows_of(ret, "UASC", ceased)[0]["DUC"] == "10/10/2025"
    assert rows_of(ret, "UASC", long_ago) == [] and rows_of(ret, "UASC", never) == []


# ---------------------------------------------------------------------------------------------- other tables


def test_reviews_held_in_the_year_except_on_short_breaks(la):
    chair = make_user(la, "iro")
    kid, care = live.looked_after(la, date(2024, 1, 1))
    live.review(care, date(2025, 3, 1), chair=chair)
    live.review(care, date(2025, 6, 20), "PN6", chair=chair)
    unofficial = live.review(care, date(2025, 7, 1), chair=chair)
    unofficial.statutory = False
    unofficial.save(by="test")
    short_breaks, breaks_care = live.looked_after(la, date(2024, 1, 1), ls="V4")
    live.review(breaks_care, date(2025, 6, 20), chair=chair)

    ret = build(la)

    assert without_child(rows_of(ret, "Reviews", kid)) == [{"DOB": "01/06/2012", "REVIEW": "20/06/2025",
                                                            "REVIEW_CODE": "PN6"}]
    assert rows_of(ret, "Reviews", short_breaks) == []


def test_oc2_for_children_looked_after_for_twelve_months_at_31_march(la):
    settled, care = live.looked_after(la, date(2023, 1, 1))
    live.oc2_records(care, 2026)
    newcomer, new_care = live.looked_after(la, date(2025, 5, 10))
    live.oc2_records(new_care, 2026)

    ret = build(la)

    assert without_child(rows_of(ret, "OC2", settled)) == [{
        "DOB": "01/06/2012", "SDQ_SCORE": "12", "SDQ_REASON": "", "CONVICTED": "0", "HEALTH_CHECK": "",
        "IMMUNISATIONS": "1", "TEETH_CHECK": "1", "HEALTH_ASSESSMENT": "1", "SUBSTANCE_MISUSE": "0",
        "INTERVENTION_RECEIVED": "", "INTERVENTION_OFFERED": ""}]
    assert rows_of(ret, "OC2", newcomer) == []


def test_oc2_leaves_out_convictions_under_10_and_gives_sdq1_to_children_turning_4_or_17(la):
    under_ten, care = live.looked_after(la, date(2023, 1, 1), date_of_birth=date(2016, 4, 1))
    live.oc2_records(care, 2026)
    ten, care = live.looked_after(la, date(2023, 1, 1), date_of_birth=date(2016, 3, 31))
    live.oc2_records(care, 2026)
    turning_four, care = live.looked_after(la, date(2023, 1, 1), date_of_birth=date(2021, 9, 1))
    live.oc2_records(care, 2026)
    turning_seventeen, care = live.looked_after(la, date(2023, 1, 1), date_of_birth=date(2008, 9, 1))
    live.oc2_records(care, 2026)

    ret = build(la)

    def items(kid) -> tuple[str, str, str]:
        row = rows_of(ret, "OC2", kid)[0]
        return row["CONVICTED"], row["SDQ_SCORE"], row["SDQ_REASON"]

    assert items(under_ten) == ("", "12", "")
    assert items(ten) == ("0", "12", "")
    # No SDQ is asked for before 4 or from 17, so none was recorded in the year: reason SDQ1.
    assert items(turning_four) == ("", "", "SDQ1")
    assert items(turning_seventeen) == ("0", "", "SDQ1")


def test_oc3_care_leavers_are_in_the_header_without_episodes_or_mother(la):
    # 19 on 1 June 2025; left care on the 18th birthday the year before.
    leaver = live.child(la, sex="F", date_of_birth=date(2006, 6, 1))
    care = live.period(leaver, date(2020, 1, 1), ended_on=date(2024, 6, 1), reason="E17")
    live.legal_status(care, "C2", date(2020, 1, 1), date(2024, 6, 1))
    live.placement(care, "U4", date(2020, 1, 1), date(2024, 6, 1))
    live.care_leaver_records(leaver, contacted_on=date(2025, 6, 3))

    ret = build(la)

    assert without_child(rows_of(ret, "OC3", leaver)) == [{"DOB": "01/06/2006", "IN_TOUCH": "YES", "ACTIV": "F2",
                                                           "ACCOM": "D1"}]
    assert rows_of(ret, "Episodes", leaver) == []
    assert [(r["MOTHER"], r["MC_DOB"]) for r in rows_of(ret, "Header", leaver)] == [("", "")]


def test_missing_episodes_from_care_open_in_the_year(la):
    kid, _ = live.looked_after(la, date(2024, 1, 1))
    live.went_missing(kid, live.at(date(2025, 3, 1)), live.at(date(2025, 3, 2)))
    live.went_missing(kid, live.at(date(2025, 9, 1), 22), live.at(date(2025, 9, 2), 9))
    live.went_missing(kid, live.at(date(2025, 11, 1)), live.at(date(2025, 11, 3)), from_care=False)
    live.went_missing(kid, live.at(date(2026, 3, 30)), live.at(date(2026, 4, 2)), kind="A")
    other, _ = live.looked_after(la, date(2024, 1, 1))
    live.went_missing(other, live.at(date(2026, 1, 5)))

    ret = build(la)

    assert without_child(rows_of(ret, "Missing", kid)) == [
        {"DOB": "01/06/2012", "MISSING": "M", "MIS_START": "01/09/2025", "MIS_END": "02/09/2025"},
        {"DOB": "01/06/2012", "MISSING": "A", "MIS_START": "30/03/2026", "MIS_END": ""},
    ]
    assert [(r["MIS_START"], r["MIS_END"]) for r in rows_of(ret, "Missing", other)] == [("05/01/2026", "")]


def test_adoption_tables(la):
    adopted = live.child(la, date_of_birth=date(2021, 4, 1))
    care = live.period(adopted, date(2023, 2, 1), ended_on=date(2025, 12, 1), reason="E11")
    live.legal_status(care, "E1", date(2023, 2, 1), date(2025, 12, 1))
    live.placement(care, "A5", date(2023, 2, 1), date(2025, 12, 1))
    live.adoption_plan(care, date(2024, 3, 1), matched_on=date(2025, 5, 1), placed_on=date(2025, 6, 1),
                       adoption_order_on=date(2025, 12, 1), adopted_by_foster_carer=True, number_of_adopters=2,
                       adopter_sex="MF", adopter_legal_status="L11")
    reversed_in_year, care2 = live.looked_after(la, date(2023, 2, 1))
    live.adoption_plan(care2, date(2024, 5, 1), reversed_on=date(2025, 7, 1), reversal_reason="RD1")
    reversed_before, care3 = live.looked_after(la, date(2023, 2, 1))
    live.adoption_plan(care3, date(2024, 5, 1), reversed_on=date(2024, 12, 1), reversal_reason="RD3")

    ret = build(la)

    assert without_child(rows_of(ret, "AD1", adopted)) == [{
        "DOB": "01/04/2021", "DATE_INT": "01/03/2024", "DATE_MATCH": "01/05/2025", "FOSTER_CARE": "1",
        "NB_ADOPTR": "2", "SEX_ADOPTR": "MF", "LS_ADOPTR": "L11"}]
    assert without_child(rows_of(ret, "PlacedAdoption", adopted)) == [{
        "DOB": "01/04/2021", "DATE_PLACED": "01/03/2024", "DATE_PLACED_CEASED": "", "REASON_PLACED_CEASED": ""}]
    assert [(r["DATE_PLACED"], r["DATE_PLACED_CEASED"], r["REASON_PLACED_CEASED"])
            for r in rows_of(ret, "PlacedAdoption", reversed_in_year)] == [("01/05/2024", "01/07/2025", "RD1")]
    assert rows_of(ret, "PlacedAdoption", reversed_before) == []
    assert rows_of(ret, "AD1", reversed_in_year) == []


def test_social_worker_episodes_for_children_looked_after_at_31_march(la):
    first_team, second_team = make_team(la), make_team(la)
    before = live.social_worker(la, first_team)
    registered = live.social_worker(la, first_team)
    unregistered = live.social_worker(la, first_team, registered=False)
    current = live.social_worker(la, second_team)
    kid, _ = live.looked_after(la, date(2025, 5, 10))
    live.allocate(kid, before, date(2024, 6, 1), date(2024, 12, 1), end_reason="Case closed")
    open_episode(kid, date(2025, 1, 13))  # re-referred: the next social worker is a first contact
    live.allocate(kid, registered, date(2025, 1, 15), date(2025, 6, 1), end_reason="Reallocated")
    live.allocate(kid, unregistered, date(2025, 6, 1), date(2025, 9, 1), end_reason="Worker left the council")
    live.allocate(kid, None, date(2025, 9, 3), date(2025, 9, 10), team=first_team)
    live.allocate(kid, current, date(2025, 9, 10), date(2025, 12, 1), end_reason="Reallocated")
    # The same worker in a new team is the same social worker episode.
    live.allocate(kid, current, date(2025, 12, 1), team=first_team)
    left_care, _ = live.looked_after(la, date(2024, 1, 1), ended_on=date(2026, 1, 1))
    live.allocate(left_care, registered, date(2024, 1, 1))
    short_breaks, _ = live.looked_after(la, date(2024, 1, 1), ls="V4")
    live.allocate(short_breaks, registered, date(2024, 1, 1))

    ret = build(la)

    assert without_child(rows_of(ret, "SWEpisodes", kid)) == [
        {"DOB": "01/06/2012", "SW_ID": registered.social_work_england_number, "SW_DECOM": "15/01/2025",
         "SW_DEC": "01/06/2025", "SW_REASON": "FCONTA"},
        {"DOB": "01/06/2012", "SW_ID": f"XX{unregistered.pk:06d}", "SW_DECOM": "01/06/2025", "SW_DEC": "01/09/2025",
         "SW_REASON": "MANAGE"},
        {"DOB": "01/06/2012", "SW_ID": NO_NAMED_WORKER, "SW_DECOM": "03/09/2025", "SW_DEC": "10/09/2025",
         "SW_REASON": "LEFTRL"},
        {"DOB": "01/06/2012", "SW_ID": current.social_work_england_number, "SW_DECOM": "10/09/2025", "SW_DEC": "",
         "SW_REASON": "TSPROC"},
    ]
    assert rows_of(ret, "SWEpisodes", left_care) == []
    assert rows_of(ret, "SWEpisodes", short_breaks) == []


def spell(start: date, end: date | None, *, team: int = 1, worker: int | None = 5, reason: str = "",
          left: date | None = None) -> SocialWorkSpell:
    return SocialWorkSpell(worker_id=worker, swe_number="", worker_left_on=left, team_id=team, started_on=start,
                           ended_on=end, end_reason=reason)


@pytest.mark.parametrize(("previous", "expected"), [
    (None, "FCONTA"),
    # A gap of 9 days: with no new referral the reason stands, so SW10a sees the gap.
    (spell(date(2025, 1, 1), date(2025, 5, 1), reason="Reallocated"), "MANAGE"),
    (spell(date(2025, 1, 1), date(2025, 5, 5), reason="Reallocated"), "MANAGE"),
    (spell(date(2025, 1, 1), date(2025, 5, 10), reason="Reallocated", team=2), "TSPROC"),
    (spell(date(2025, 1, 1), date(2025, 5, 10), reason="abSENC"), "ABSENC"),
    (spell(date(2025, 1, 1), date(2025, 5, 10), left=date(2025, 5, 12)), "LEFTRL"),
    (spell(date(2025, 1, 1), date(2025, 5, 10), reason="Maternity leave cover"), "ABSENC"),
    (spell(date(2025, 1, 1), date(2025, 5, 10), reason="Service restructure"), "ORGRST"),
    (spell(date(2025, 1, 1), date(2025, 5, 10), reason="The child asked for a new worker"), "CHCHAN"),
    (spell(date(2025, 1, 1), date(2025, 5, 10), reason="Records merged"), "OTHERS"),
    (spell(date(2025, 1, 1), date(2025, 5, 10), reason="The child left care"), "OTHERS"),
    (spell(date(2025, 1, 1), date(2025, 5, 10), reason="Social worker left the council"), "LEFTRL"),
])
def test_sw_reason_is_read_from_the_allocation_it_followed(previous, expected):
    assert sw_reason(previous, spell(date(2025, 5, 10), None)) == expected


def test_the_first_social_worker_after_a_new_referral_is_a_first_contact():
    before = spell(date(2024, 1, 1), date(2024, 6, 1), reason="Case closed")
    assert sw_reason(before, spell(date(2025, 5, 10), None), referrals=[date(2024, 1, 1), date(2025, 5, 8)]) == "FCONTA"
    # A referral from before the last worker ended is not a new one.
    assert sw_reason(before, spell(date(2025, 5, 10), None), referrals=[date(2024, 1, 1)]) == "OTHERS"


def test_deprivation_of_liberty_orders_from_2026_27(la):
    kid, care = live.looked_after(la, date(2025, 1, 1), place="K2")
    live.dolo(care, date(2026, 6, 1))
    live.dolo(care, date(2025, 6, 1), date(2025, 12, 1))

    assert "DoLo" not in build(la, 2026).tables
    assert without_child(rows_of(build(la, 2027), "DoLo", kid)) == [
        {"DOB": "01/06/2012", "DOLO_START": "01/06/2026", "DOLO_END": ""}]


# ---------------------------------------------------------------------------------------------- files


def a_full_return(la: LocalAuthority):
    """One child in every table that can hold them, for the file tests."""
    chair = make_user(la, "iro")
    kid, care = live.looked_after(la, date(2023, 1, 1), sex="F", is_uasc=True, date_of_birth=date(2010, 5, 5))
    live.parent_of(kid, date(2025, 8, 8))
    live.review(care, date(2025, 6, 20), chair=chair)
    live.oc2_records(care, 2026)
    live.went_missing(kid, live.at(date(2025, 9, 1)), live.at(date(2025, 9, 2)))
    live.allocate(kid, live.social_worker(la), date(2023, 1, 1))
    live.adoption_plan(care, date(2025, 2, 1), reversed_on=date(2025, 7, 1), reversal_reason="RD4")
    newcomer, _ = live.looked_after(la, date(2025, 5, 1))
    adopted = live.child(la, date_of_birth=date(2021, 4, 1))
    adoption = live.period(adopted, date(2023, 2, 1), ended_on=date(2025, 12, 1), reason="E12")
    live.legal_status(adoption, "E1", date(2023, 2, 1), date(2025, 12, 1))
    live.placement(adoption, "A6", date(2023, 2, 1), date(2025, 12, 1))
    live.adoption_plan(adoption, date(2024, 3, 1), matched_on=date(2025, 5, 1), adoption_order_on=date(2025, 12, 1),
                       adopted_by_foster_carer=False, number_of_adopters=1, adopter_sex="F1",
                       adopter_legal_status="L0")
    leaver = live.child(la, date_of_birth=date(2006, 6, 1))
    left = live.period(leaver, date(2020, 1, 1), ended_on=date(2024, 6, 1), reason="E17")
    live.legal_status(left, "C2", date(2020, 1, 1), date(2024, 6, 1))
    live.placement(left, "U4", date(2020, 1, 1), date(2024, 6, 1))
    live.care_leaver_records(leaver, contacted_on=date(2025, 6, 3))
    return build(la), (kid, newcomer, adopted, leaver)


@pytest.mark.parametrize(("year", "files"), [
    (2025, set(EXPECTED_COLUMNS) - {"dolo.csv"}),
    (2026, set(EXPECTED_COLUMNS) - {"dolo.csv"}),
    (2027, set(EXPECTED_COLUMNS)),
])
def test_each_file_has_exactly_the_columns_of_its_table(la, tmp_path: Path, year: int, files: set[str]):
    live.looked_after(la, date(2023, 1, 1))
    written = write_903_csv(build(la, year), tmp_path)

    assert {p.name for p in written} == files == {p.name for p in tmp_path.iterdir()}
    for path in written:
        first_line = path.read_bytes().split(b"\r\n", 1)[0]
        assert first_line.decode("utf-8") == EXPECTED_COLUMNS[path.name], path.name


def test_every_table_is_filled_and_every_date_is_dd_mm_yyyy(la, tmp_path: Path):
    ret, _ = a_full_return(la)
    write_903_csv(ret, tmp_path)

    for path in sorted(tmp_path.iterdir()):
        with path.open(newline="", encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        assert rows, f"{path.name} is empty"
        for row in rows:
            for column in DATE_COLUMNS & set(row):
                assert row[column] == "" or DDMMYYYY.match(row[column]), (path.name, column, row[column])
    # Every child of every table is in the header, once.
    header = [row["CHILD"] for row in ret.table("Header")]
    assert len(header) == len(set(header))
    assert {row["CHILD"] for rows in ret.tables.values() for row in rows} == set(header)


def test_read_903_csv_gives_back_what_was_written(la, tmp_path: Path):
    ret, _ = a_full_return(la)
    write_903_csv(ret, tmp_path)
    (tmp_path / "notes.txt").write_text("not a table")

    back = read_903_csv(tmp_path, year=2026)

    assert back.year == 2026
    assert back.tables == ret.tables


def test_read_903_csv_knows_a_table_by_its_headers_not_its_name(la, tmp_path: Path):
    live.looked_after(la, date(2023, 1, 1))
    ret = build(la)
    write_903_csv(ret, tmp_path)
    (tmp_path / "episodes.csv").rename(tmp_path / "EPISODES 2025-26.csv")

    assert read_903_csv(tmp_path, year=2026).table("Episodes") == ret.table("Episodes")


def test_read_903_csv_refuses_a_file_whose_headers_are_not_the_tables(la, tmp_path: Path):
    live.looked_after(la, date(2023, 1, 1))
    write_903_csv(build(la), tmp_path)
    path = tmp_path / "episodes.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",URN", ",URN_NUMBER", 1), encoding="utf-8")

    with pytest.raises(Return903FileError) as refused:
        read_903_csv(tmp_path, year=2026)

    message = str(refused.value)
    assert "episodes.csv" in message and "missing URN" in message and "unexpected URN_NUMBER" in message


def test_zip_holds_the_years_files(la):
    live.looked_after(la, date(2023, 1, 1))
    with zipfile.ZipFile(io.BytesIO(zip_903(build(la, 2027)))) as archive:
        assert set(archive.namelist()) == set(EXPECTED_COLUMNS)
        assert archive.read("dolo.csv").decode() == EXPECTED_COLUMNS["dolo.csv"] + "\r\n"


# ---------------------------------------------------------------------------------------------- last year


def test_last_years_return_is_built_from_the_record_or_taken_as_given(la):
    kid, _ = live.looked_after(la, date(2024, 6, 1))

    ret = build_903(local_authority=la, year=2026)

    assert ret.previous is not None and ret.previous.year == 2025 and ret.previous.previous is None
    assert [r["DECOM"] for r in ret.previous.table("Episodes")] == ["01/06/2024"]
    submitted = build(la, 2025)
    assert build_903(local_authority=la, year=2026, previous=submitted).previous is submitted
    assert build_903(local_authority=la, year=2026, with_previous=False).previous is None
    assert kid.hearth_id in ret.child_pks


def test_progress_is_reported_a_handful_of_times_from_0_to_1(la):
    live.looked_after(la, date(2024, 6, 1))
    seen: list[tuple[float, str]] = []

    build_903(local_authority=la, year=2026, progress=lambda done, stage: seen.append((done, stage)))

    fractions = [done for done, _ in seen]
    assert fractions == sorted(fractions) and fractions[0] == 0.0 and fractions[-1] == 1.0
    assert 4 <= len(seen) <= 20
    assert any(stage.startswith("Last year") for _, stage in seen)


# ---------------------------------------------------------------------------------------------- queries


def _children_in_care(la: LocalAuthority, count: int) -> None:
    chair = make_user(la, "iro")
    worker = live.social_worker(la)
    for n in range(count):
        kid, care = live.looked_after(la, date(2023, 1, 1 + n % 28), sex="MF"[n % 2])
        live.review(care, date(2025, 6, 1 + n % 28), chair=chair)
        live.oc2_records(care, 2026)
        live.went_missing(kid, live.at(date(2025, 9, 1 + n % 28)), live.at(date(2025, 9, 2 + n % 27)))
        live.allocate(kid, worker, date(2024, 1, 1), date(2025, 7, 1), end_reason="Reallocated")
        live.allocate(kid, worker if n % 3 else None, date(2025, 7, 1), team=worker.team)
        live.adoption_plan(care, date(2025, 2, 1))
        if n % 2:
            live.parent_of(kid, date(2025, 8, 8))


def _queries(la: LocalAuthority) -> int:
    with CaptureQueriesContext(connection) as captured:
        build_903(local_authority=la, year=2027)
    return len(captured.captured_queries)


def test_the_return_is_read_in_the_same_number_of_queries_for_2_or_20_children(la, other_la):
    _children_in_care(la, 2)
    _children_in_care(other_la, 20)

    few, many = _queries(la), _queries(other_la)

    assert few == many
    assert many <= 60  # this year's return and last year's, a fixed handful each


# ---------------------------------------------------------------------------------------------- command


def test_the_command_writes_the_files_and_logs_an_export_per_child(la, tmp_path: Path):
    ret, children = a_full_return(la)
    out = StringIO()

    call_command("export_ssda903", year=2026, output=str(tmp_path / "903"), stdout=out)

    assert {p.name for p in (tmp_path / "903").iterdir()} == set(EXPECTED_COLUMNS) - {"dolo.csv"}
    events = AccessEvent.objects.filter(local_authority=la)
    assert sorted(events.values_list("person_id", flat=True)) == sorted(ret.child_pks.values())
    assert set(events.values_list("action", "system", "user", "page")) == {
        ("export", "manage.py export_ssda903", None, "SSDA903 2025/26 export")}
    said = out.getvalue()
    assert "SSDA903 2025/26" in said and "Header 4" in said and "Episodes" in said
    for child in children:
        assert child.last_name not in said and child.hearth_id not in said


def test_the_command_logs_the_export_against_the_user_named(la, tmp_path: Path):
    live.looked_after(la, date(2024, 1, 1))
    analyst = make_user(la, "performance_analyst", username="analyst")

    call_command("export_ssda903", year=2026, output=str(tmp_path), by="analyst", stdout=StringIO())

    assert list(AccessEvent.objects.values_list("user", "system")) == [(analyst.pk, "manage.py export_ssda903")]


def test_the_command_uses_last_years_files_when_given(la, tmp_path: Path):
    live.looked_after(la, date(2024, 1, 1))
    write_903_csv(build(la, 2025), tmp_path / "last")
    out = StringIO()

    call_command("export_ssda903", year=2026, output=str(tmp_path / "this"), previous=str(tmp_path / "last"),
                 stdout=out)

    assert "last year's files" in out.getvalue()


@pytest.mark.parametrize(("options", "message"), [
    ({"year": 2024}, "Years supported: 2025 (2024/25), 2026 (2025/26), 2027 (2026/27)"),
    ({"year": 2026, "output": "/no/such/folder/903"}, "does not exist"),
    ({"year": 2026, "council": "999"}, "No council with DfE LA number 999"),
    ({"year": 2026, "by": "nobody"}, "No active user nobody"),
])
def test_the_command_refuses_bad_arguments(la, tmp_path: Path, options, message):
    live.looked_after(la, date(2024, 1, 1))
    options.setdefault("output", str(tmp_path / "out"))
    with pytest.raises(CommandError, match=re.escape(message)):
        call_command("export_ssda903", stdout=StringIO(), **options)
    assert not AccessEvent.objects.exists()


def test_the_command_refuses_last_years_files_that_are_not_a_return(la, tmp_path: Path):
    live.looked_after(la, date(2024, 1, 1))
    (tmp_path / "last").mkdir()
    (tmp_path / "last" / "header.csv").write_text("CHILD,SEX\n1,M\n", encoding="utf-8")

    with pytest.raises(CommandError, match=r"header\.csv"):
        call_command("export_ssda903", year=2026, output=str(tmp_path / "out"), previous=str(tmp_path / "last"),
                     stdout=StringIO())


def test_the_command_names_a_council_when_more_than_one_is_loaded(la, other_la, tmp_path: Path):
    live.looked_after(la, date(2024, 1, 1))
    with pytest.raises(CommandError, match="More than one council"):
        call_command("export_ssda903", year=2026, output=str(tmp_path), stdout=StringIO())
    call_command("export_ssda903", year=2026, output=str(tmp_path), council=la.dfe_la_number, stdout=StringIO())
    assert AccessEvent.objects.filter(local_authority=la).count() == 1
