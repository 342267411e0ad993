"""SSDA903 rules on OC2 and OC3 (group D).

Each rule has a failing case and a passing case that is the same data with the one thing put right.
Collection year 2025/26 (``year=2026``) unless a case says otherwise. The children:

* ``cla``: C1 (born 1 June 2012, 13 at 31 March 2026) looked after since 10 May 2024, so continuously
  for 12 months at 31 March, with an OC2 row;
* ``new_to_care``: the same child come into care on 10 May 2025, so not in the OC2 cohort;
* ``care_leaver``: C1 (born 1 June 2007) looked after from 1 April 2023 until their 18th birthday on
  1 June 2025, with an OC3 row.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hearth.returns.rules.base import QUERY, RULES_903, Return903, validate_903
from hearth.returns.rules.ssda903_outcomes import ACCOMMODATION, NOT_IMPLEMENTED
from tests.returns.factories import ad1, episode, findings, header, make_return, oc2, oc3

Builder = Callable[[], Return903]
Row = dict[str, str]

CASES: dict[str, tuple[Builder, Builder]] = {}
# Where each failing case's finding must land: (table, child).
WHERE: dict[str, tuple[str, str]] = {}


def case(code: str, fail: Builder, ok: Builder, *, table: str, child: str = "C1") -> None:
    CASES[code] = (fail, ok)
    WHERE[code] = (table, child)


def cla(dob: str = "01/06/2012", year: int = 2026, **oc2_values: str) -> Return903:
    """C1 looked after since 10 May a year before the collection year: continuously for 12 months."""
    values = {"DOB": dob, "HEALTH_CHECK": "", **oc2_values}
    return make_return(year=year, Header=[header(DOB=dob)], Episodes=[episode(DECOM=f"10/05/{year - 2}")],
                       OC2=[oc2(**values)])


def new_to_care(**oc2_values: str) -> Return903:
    """C1 came into care on 10 May 2025: not looked after for 12 months at 31 March 2026."""
    return make_return(Header=[header()], Episodes=[episode()], OC2=[oc2(**{"HEALTH_CHECK": "", **oc2_values})])


def left_on_18th() -> list[Row]:
    return [episode(DECOM="01/04/2023", DEC="01/06/2025", REC="E8")]


def care_leaver(*, dob: str = "01/06/2007", episodes: list[Row] | None = None, previous: Return903 | None = None,
                sex: str = "M", mother: str = "", extra: dict[str, list[Row]] | None = None,
                **oc3_values: str) -> Return903:
    return make_return(year=2026, previous=previous, Header=[header(DOB=dob, SEX=sex, MOTHER=mother)],
                       Episodes=left_on_18th() if episodes is None else episodes,
                       OC3=[oc3(DOB=dob, **oc3_values)], **(extra or {}))


def last_year(*episodes: Row, **tables: list[Row]) -> Return903:
    return make_return(year=2025, Header=[header(DOB="01/06/2007")], Episodes=list(episodes), **tables)


BLANK_OC3 = {"IN_TOUCH": "", "ACTIV": "", "ACCOM": ""}
BLANK_FLAGS = {column: "" for column in ("CONVICTED", "HEALTH_CHECK", "IMMUNISATIONS", "TEETH_CHECK",
                                         "HEALTH_ASSESSMENT", "SUBSTANCE_MISUSE", "INTERVENTION_RECEIVED",
                                         "INTERVENTION_OFFERED")}


# ------------------------------------------------------------------------------------------ OC3 codes

case("131", lambda: care_leaver(IN_TOUCH="Yes"), lambda: care_leaver(IN_TOUCH="YES"), table="OC3")
case("132", lambda: care_leaver(ACTIV="F3"), lambda: care_leaver(ACTIV="F4"), table="OC3")
case("133", lambda: care_leaver(ACCOM="S1"), lambda: care_leaver(ACCOM="S2"), table="OC3")
case("153", lambda: care_leaver(ACTIV=""), lambda: care_leaver(ACTIV="F2"), table="OC3")
case("344", lambda: care_leaver(IN_TOUCH="RHOM", ACTIV="F2", ACCOM="0"),
     lambda: care_leaver(IN_TOUCH="RHOM", ACTIV="0", ACCOM="0"), table="OC3")
case("345", lambda: care_leaver(ACCOM="0"), lambda: care_leaver(ACCOM="D1"), table="OC3")
# 18 on 1 June 2025, so not 18 at the start of the year.
case("347", lambda: care_leaver(ACCOM="T1"), lambda: care_leaver(ACCOM="D1"), table="OC3")
case("391", lambda: care_leaver(dob="01/06/2010"), lambda: care_leaver(dob="01/06/2008"), table="OC3")
case("3001", lambda: care_leaver(dob="01/06/2008", ACCOM="Z1"), lambda: care_leaver(dob="01/06/2008", ACCOM="D1"),
     table="OC3")


def _died_last_year(in_touch: str) -> Return903:
    last = last_year(episode(DECOM="01/04/2023", DEC="01/06/2024", REC="E8"),
                     OC3=[oc3(DOB="01/06/2006", IN_TOUCH="DIED", ACTIV="0", ACCOM="0")])
    return care_leaver(dob="01/06/2006", episodes=[], previous=last, IN_TOUCH=in_touch, ACTIV="0", ACCOM="0")


case("348", lambda: _died_last_year("NO"), lambda: _died_last_year("DIED"), table="OC3")


# ------------------------------------------------------------------------------------------ who is in OC3

case("134", lambda: care_leaver(extra={"AD1": [ad1(DOB="01/06/2007")]}),
     lambda: care_leaver(extra={"AD1": [ad1(DOB="01/06/2007")]}, **BLANK_OC3), table="AD1")
case("1000", lambda: care_leaver(episodes=[episode(DECOM="01/04/2023", DEC="01/06/2025", REC="E2")]),
     lambda: care_leaver(episodes=[episode(DECOM="01/04/2023", DEC="01/06/2025", REC="E4A")]), table="OC3")


def _short_care(decom: str) -> Return903:
    """Looked after last year only, from ``decom`` to 15 February 2025 (aged 17)."""
    last = last_year(episode(DECOM=decom, DEC="15/02/2025", REC="E8"))
    return care_leaver(episodes=[], previous=last)


# 45 days in care after the 14th birthday is short of a relevant child's 13 weeks; 137 days is enough.
case("1001", lambda: _short_care("01/01/2025"), lambda: _short_care("01/10/2024"), table="OC3")
case("1002", lambda: care_leaver(episodes=[], previous=last_year()),
     lambda: care_leaver(episodes=[], previous=last_year(episode(DECOM="01/04/2023", DEC="01/03/2025",
                                                                 REC="E8"))), table="OC3")
case("1007", lambda: care_leaver(episodes=[episode(DECOM="01/04/2023")]),
     lambda: care_leaver(episodes=[episode(DECOM="01/04/2023")], **BLANK_OC3), table="OC3")
case("1016", lambda: care_leaver(episodes=[episode(DECOM="01/04/2023", DEC="15/06/2025", REC="E8")]),
     lambda: care_leaver(episodes=[episode(DECOM="01/04/2023", DEC="15/06/2025", REC="E8")], **BLANK_OC3),
     table="OC3")


def _open_last_year(*this_year: Row) -> Return903:
    return care_leaver(episodes=list(this_year), previous=last_year(episode(DECOM="01/04/2023")))


case("1010", lambda: _open_last_year(), lambda: _open_last_year(*left_on_18th()), table="OC3")
case("1011", lambda: care_leaver(episodes=[episode(DECOM="01/04/2023", DEC="01/06/2025", REC="E3")]),
     lambda: care_leaver(episodes=[episode(DECOM="01/04/2023", DEC="01/06/2025", REC="E8")]), table="OC3")


# ------------------------------------------------------------------------------------------ mothers


def _girl_in_care(mother: str) -> Return903:
    return make_return(Header=[header(SEX="F", MOTHER=mother)], Episodes=[episode()])


case("165", lambda: _girl_in_care(""), lambda: _girl_in_care("0"), table="Header")
# A young woman of 19 who left care two years ago: not looked after in the year.
case("628", lambda: care_leaver(dob="01/06/2006", episodes=[], sex="F", mother="0"),
     lambda: care_leaver(dob="01/06/2006", episodes=[], sex="F", mother=""), table="Header")


# ------------------------------------------------------------------------------------------ OC2 codes

case("180", lambda: cla(SDQ_SCORE="41"), lambda: cla(SDQ_SCORE="40"), table="OC2")
case("181", lambda: cla(CONVICTED="2"), lambda: cla(CONVICTED="1"), table="OC2")
case("196", lambda: cla(SDQ_SCORE="", SDQ_REASON="SDQ6"), lambda: cla(SDQ_SCORE="", SDQ_REASON="SDQ5"),
     table="OC2")
case("182", lambda: cla(IMMUNISATIONS=""), lambda: cla(IMMUNISATIONS="1"), table="OC2")
case("544", lambda: cla(TEETH_CHECK=""), lambda: cla(TEETH_CHECK="1"), table="OC2")
case("547", lambda: cla(dob="01/06/2022", SDQ_SCORE="", TEETH_CHECK="", HEALTH_CHECK="1", CONVICTED=""),
     lambda: cla(dob="01/06/2022", SDQ_SCORE="", TEETH_CHECK="1", HEALTH_CHECK="1", CONVICTED=""), table="OC2")
case("158", lambda: cla(SUBSTANCE_MISUSE="1", INTERVENTION_RECEIVED="1", INTERVENTION_OFFERED="0"),
     lambda: cla(SUBSTANCE_MISUSE="1", INTERVENTION_RECEIVED="1"), table="OC2")
case("159", lambda: cla(SUBSTANCE_MISUSE="1", INTERVENTION_RECEIVED="0"),
     lambda: cla(SUBSTANCE_MISUSE="1", INTERVENTION_RECEIVED="0", INTERVENTION_OFFERED="1"), table="OC2")
case("192", lambda: cla(SUBSTANCE_MISUSE="1"), lambda: cla(SUBSTANCE_MISUSE="1", INTERVENTION_RECEIVED="1"),
     table="OC2")
case("193", lambda: cla(INTERVENTION_RECEIVED="0"), lambda: cla(), table="OC2")
case("197a", lambda: cla(SDQ_REASON="SDQ4"), lambda: cla(), table="OC2")


# ------------------------------------------------------------------------------------------ OC2 by age

# Three at 31 March 2026.
case("188", lambda: cla(dob="01/06/2022", CONVICTED=""), lambda: cla(dob="01/06/2022", CONVICTED="", SDQ_SCORE=""),
     table="OC2")
# 17 on 1 March 2025, before the year began.
case("189", lambda: cla(dob="01/03/2008"), lambda: cla(dob="01/03/2008", SDQ_SCORE=""), table="OC2")
case("542", lambda: cla(dob="01/06/2017"), lambda: cla(dob="01/06/2017", CONVICTED=""), table="OC2")
case("157", lambda: cla(SDQ_SCORE="", SDQ_REASON="SDQ1"), lambda: cla(SDQ_SCORE="", SDQ_REASON="SDQ2"),
     table="OC2")
case("186", lambda: cla(SDQ_SCORE=""), lambda: cla(), table="OC2")
# Four on 1 October 2025.
case("197B", lambda: cla(dob="01/10/2021", CONVICTED="", HEALTH_CHECK="1", SDQ_SCORE=""),
     lambda: cla(dob="01/10/2021", CONVICTED="", HEALTH_CHECK="1", SDQ_SCORE="", SDQ_REASON="SDQ1"), table="OC2")
case("543", lambda: cla(CONVICTED=""), lambda: cla(CONVICTED="0"), table="OC2")
case("545", lambda: cla(dob="01/06/2022", CONVICTED="", SDQ_SCORE=""),
     lambda: cla(dob="01/06/2022", CONVICTED="", SDQ_SCORE="", HEALTH_CHECK="1"), table="OC2")
case("546", lambda: cla(HEALTH_CHECK="1"), lambda: cla(), table="OC2")


# ------------------------------------------------------------------------------------------ who is in OC2

case("185", lambda: new_to_care(**BLANK_FLAGS), lambda: new_to_care(**BLANK_FLAGS, SDQ_SCORE=""), table="OC2")
case("198", lambda: new_to_care(**BLANK_FLAGS, SDQ_SCORE="", SDQ_REASON="SDQ2"),
     lambda: new_to_care(**BLANK_FLAGS, SDQ_SCORE=""), table="OC2")
case("190", lambda: new_to_care(SDQ_SCORE=""), lambda: new_to_care(**BLANK_FLAGS, SDQ_SCORE=""), table="OC2")
case("191", lambda: cla(HEALTH_ASSESSMENT=""), lambda: cla(), table="OC2")


def _cla_care_leaver(**oc3_values: str) -> Return903:
    """C1 looked after all year (since 10 May 2024) yet also in OC3."""
    return make_return(Header=[header()], Episodes=[episode(DECOM="10/05/2024")],
                       OC3=[oc3(DOB="01/06/2012", **oc3_values)])


case("187", lambda: _cla_care_leaver(), lambda: _cla_care_leaver(**BLANK_OC3), table="OC3")


def _both_outcomes(**oc2_values: str) -> Return903:
    return care_leaver(extra={"OC2": [oc2(DOB="01/06/2007", SDQ_SCORE="", **oc2_values)]})


case("215", lambda: _both_outcomes(), lambda: _both_outcomes(**BLANK_FLAGS), table="OC2")


# ------------------------------------------------------------------------------------------ the cases


@pytest.mark.parametrize("code", sorted(CASES))
def test_failing_case_finds_the_child_and_passing_case_is_clean(code: str) -> None:
    fail, ok = CASES[code]
    table, child = WHERE[code]
    found = findings(code, fail())
    assert found, f"{code}: the failing case gives no finding"
    assert any(f.table == table and f.child == child for f in found), [(f.table, f.child, f.row) for f in found]
    assert findings(code, ok()) == []


def test_every_rule_of_this_group_has_a_case() -> None:
    from hearth.returns.rules import ssda903_outcomes

    mine = {code for code, registered in RULES_903.items() if registered.check.__module__ == ssda903_outcomes.__name__}
    assert mine == set(CASES)
    assert not mine & set(NOT_IMPLEMENTED)


def test_only_the_rules_dfe_warns_may_be_wrong_are_queries() -> None:
    # 1001 and 1002 carry DfE's note that two years of episodes can give false positives.
    assert {code for code in CASES if RULES_903[code].severity == QUERY} == {"1001", "1002"}


# ------------------------------------------------------------------------------------------ details


def test_348_is_checked_from_2025_26_only() -> None:
    assert "348" not in validate_903(make_return(year=2025)).rules_run
    last = make_return(year=2026)
    assert "348" in validate_903(make_return(year=2027, previous=last)).rules_run


@pytest.mark.parametrize("year", [2025, 2026, 2027])
def test_the_oc2_cohort_is_read_the_same_every_year(year: int) -> None:
    # The rules name no year: a child looked after since May two years back is in OC2 each year.
    assert findings("186", cla(year=year, SDQ_SCORE="")) and not findings("186", cla(year=year))
    assert not findings("190", cla(year=year))


def test_191_a_child_looked_after_for_12_months_without_an_oc2_row() -> None:
    ret = make_return(Header=[header()], Episodes=[episode(DECOM="10/05/2024")])
    [found] = findings("191", ret)
    assert (found.table, found.child, found.row) == ("Episodes", "C1", 0)
    assert findings("191", make_return(Header=[header()], Episodes=[episode()])) == []


def test_continuity_is_broken_by_leaving_short_breaks_or_starting_in_the_year() -> None:
    flags = {"SDQ_SCORE": "12"}
    left = make_return(Header=[header()], Episodes=[episode(DECOM="10/05/2024", DEC="31/03/2026", REC="E4A")],
                       OC2=[oc2(**flags)])
    short_breaks = make_return(Header=[header()], Episodes=[episode(DECOM="10/05/2024", LS="V3")],
                               OC2=[oc2(**flags)])
    moved = make_return(Header=[header()],
                        Episodes=[episode(DECOM="10/05/2024", DEC="01/09/2025", REC="X1"),
                                  episode(DECOM="01/09/2025", RNE="P", PLACE="U6")], OC2=[oc2(**flags)])
    from_1_april = make_return(Header=[header()], Episodes=[episode(DECOM="01/04/2025")], OC2=[oc2(**flags)])
    assert findings("185", left) and findings("185", short_breaks)
    assert findings("185", moved) == [] and findings("185", from_1_april) == []


def test_oc2_rules_skip_a_child_whose_episode_dates_cannot_be_read() -> None:
    ret = make_return(Header=[header()], Episodes=[episode(DECOM="31/02/2024")], OC2=[oc2(SDQ_SCORE="")])
    for code in ("185", "186", "190", "191", "198", "543", "546"):
        assert findings(code, ret) == [], code


def test_a_child_in_oc2_with_no_episodes_is_not_in_the_cohort() -> None:
    assert findings("190", make_return(Header=[header()], OC2=[oc2()]))


def test_187_adoption_data_for_a_child_in_the_oc2_cohort() -> None:
    ret = make_return(Header=[header()], Episodes=[episode(DECOM="10/05/2024")], AD1=[ad1()])
    assert [(f.table, f.row) for f in findings("187", ret)] == [("AD1", 0)]


def test_215_names_both_rows() -> None:
    assert {f.table for f in findings("215", _both_outcomes())} == {"OC2", "OC3"}


def test_sdq_ages_at_the_edges() -> None:
    # Four on 1 April 2025 (the first day): an SDQ all year, so SDQ1 is wrong and none at all is 186's.
    assert findings("157", cla(dob="01/04/2021", SDQ_SCORE="", SDQ_REASON="SDQ1"))
    # Turning 17 on 1 April 2026: under 17 all year, still 186; on 31 March 2026, 17 in the year (197B).
    assert findings("186", cla(dob="01/04/2009", SDQ_SCORE=""))
    assert not findings("186", cla(dob="31/03/2009", SDQ_SCORE=""))
    assert findings("197B", cla(dob="31/03/2009", SDQ_SCORE=""))
    # 17 on 1 April 2025: 189 forbids an SDQ; on 2 April 2025 it is still allowed.
    assert findings("189", cla(dob="01/04/2008")) and not findings("189", cla(dob="02/04/2008"))
    # 17 on 1 April 2025 is past the SDQ ages all year: 197B asks nothing of them (189 forbids any answer).
    assert not findings("197B", cla(dob="01/04/2008", SDQ_SCORE=""))


def test_conviction_and_health_check_ages_at_31_march() -> None:
    assert findings("542", cla(dob="01/04/2016")) and not findings("542", cla(dob="31/03/2016"))
    assert findings("543", cla(dob="31/03/2016", CONVICTED=""))
    assert findings("546", cla(dob="31/03/2021", HEALTH_CHECK="1"))
    assert not findings("546", cla(dob="01/04/2021", HEALTH_CHECK="1"))


def test_544_and_547_ask_the_four_of_a_0_too() -> None:
    assert findings("544", cla(CONVICTED="0", IMMUNISATIONS=""))
    assert not findings("544", cla(CONVICTED="", IMMUNISATIONS=""))


def test_182_an_oc2_row_left_wholly_blank_is_allowed() -> None:
    assert findings("182", new_to_care(**BLANK_FLAGS)) == []
    assert findings("182", new_to_care(**{**BLANK_FLAGS, "TEETH_CHECK": "1"}))


def test_193_interventions_without_a_substance_misuse_answer() -> None:
    assert findings("193", cla(SUBSTANCE_MISUSE="", INTERVENTION_OFFERED="1"))


def test_oc3_codes_blank_row_left_to_153() -> None:
    ret = care_leaver(**BLANK_OC3)
    for code in ("131", "132", "133", "153"):
        assert findings(code, ret) == [], code


@given(st.text(alphabet="BCDEGHKRSTUVWXYZ0123A", min_size=1, max_size=3))
def test_133_accepts_exactly_a_letter_and_suitability_or_0(value: str) -> None:
    valid = value == "0" or (len(value) == 2 and value[0] in "BCDEGHKRSTUVWXYZ" and value[1] in "12"
                             and value not in ("S1", "X1"))
    assert (value in ACCOMMODATION) == valid
    assert bool(findings("133", care_leaver(ACCOM=value))) != valid


@given(st.text(alphabet="0123456789-. ", min_size=1, max_size=3))
def test_180_scores_0_to_40_only(score: str) -> None:
    valid = score.strip() == "" or (score.isdigit() and len(score) <= 2 and int(score) <= 40)
    assert bool(findings("180", cla(SDQ_SCORE=score))) != valid


def test_391_a_young_person_22_all_year() -> None:
    # 22 on 1 March 2025, before the year began; one who turns 22 in June 2025 was 21 until then.
    assert findings("391", care_leaver(dob="01/03/2003"))
    assert not findings("391", care_leaver(dob="01/06/2003"))


def test_347_a_foyer_is_allowed_at_18_on_1_april() -> None:
    assert not findings("347", care_leaver(dob="01/04/2007", ACCOM="T2"))
    assert not findings("347", care_leaver(dob="01/06/2006", ACCOM="T1"))


def test_3001_former_foster_carers_are_allowed_at_18() -> None:
    assert not findings("3001", care_leaver(ACCOM="Z1"))


def test_1007_and_1016_leaving_care_on_the_birthday_is_a_care_leaver() -> None:
    ret = care_leaver()
    assert findings("1007", ret) == [] and findings("1016", ret) == []
    # Left after the 18th birthday: looked after on it, and left after it.
    later = care_leaver(episodes=[episode(DECOM="01/04/2023", DEC="15/06/2025", REC="E8")])
    assert findings("1007", later) and findings("1016", later)
    # Back in care after the birthday and left again within the year: 1016 only.
    back = care_leaver(episodes=[*left_on_18th(), episode(DECOM="01/08/2025", DEC="01/10/2025", REC="E8")])
    assert findings("1007", back) == [] and findings("1016", back)


def test_1000_died_in_care_last_year() -> None:
    last = last_year(episode(DECOM="01/04/2023", DEC="01/06/2024", REC="E2"))
    assert findings("1000", care_leaver(episodes=[], previous=last, dob="01/06/2006"))


def test_1001_adopted_is_not_a_care_leaver_and_older_young_people_are_not_judged() -> None:
    adopted = last_year(episode(DECOM="01/04/2023", DEC="01/03/2025", REC="E11"))
    assert findings("1001", care_leaver(episodes=[], previous=adopted))
    # 20 by 31 March 2026: two years of episodes cannot tell.
    short = last_year(episode(DECOM="01/01/2025", DEC="15/02/2025", REC="E8"))
    assert not findings("1001", care_leaver(dob="01/06/2005", episodes=[], previous=short))


def test_1001_an_episode_open_last_year_ends_where_this_years_copy_says() -> None:
    # In care from 1 January 2025, open at 31 March 2025, left on 1 June 2025: 151 days.
    last = last_year(episode(DECOM="01/01/2025"))
    ret = care_leaver(episodes=[episode(DECOM="01/01/2025", DEC="01/06/2025", REC="E8")], previous=last)
    assert findings("1001", ret) == []
    # Left on 15 January 2025 instead: 14 days, not a relevant child.
    short = care_leaver(episodes=[], previous=last_year(episode(DECOM="01/01/2025", DEC="15/01/2025", REC="E8")))
    assert findings("1001", short)


def test_1001_care_begun_before_the_two_years_is_not_judged() -> None:
    # The episode open on 1 April 2024 followed a move: the period of care began earlier.
    moved = last_year(episode(DECOM="01/03/2025", DEC="15/03/2025", REC="E8", RNE="P"))
    assert findings("1001", care_leaver(episodes=[], previous=moved)) == []


def test_cross_year_rules_wait_for_last_years_return() -> None:
    result = validate_903(care_leaver())
    for code in ("348", "1001", "1002", "1010"):
        assert "last year" in result.not_run[code]
    assert "1000" in result.rules_run


def test_165_mother_status() -> None:
    assert findings("165", make_return(Header=[header(MOTHER="2", SEX="F")], Episodes=[episode()]))
    assert findings("165", make_return(Header=[header(MOTHER="0")], Episodes=[episode()]))
    # A girl on short breaks only is not asked; nor is a child whose sex is not known.
    assert not findings("165", make_return(Header=[header(SEX="F")], Episodes=[episode(LS="V3")]))
    assert not findings("165", make_return(Header=[header(SEX="U")], Episodes=[episode()]))
    # A care leaver not looked after in the year must not have it (as 628).
    assert findings("165", care_leaver(dob="01/06/2006", episodes=[], sex="F", mother="0"))
    assert not findings("165", care_leaver(dob="01/06/2006", episodes=[], sex="F", mother=""))


def test_oc3_rules_skip_unreadable_dates() -> None:
    ret = care_leaver(dob="31/02/2007", episodes=[episode(DECOM="01/04/2023")], ACCOM="T1")
    for code in ("347", "391", "1007", "1016", "3001"):
        assert findings(code, ret) == [], code
