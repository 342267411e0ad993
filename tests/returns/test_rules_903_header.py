"""SSDA903 rules on Header, Reviews and rules across Header and Episodes (group A2): a failing and a passing
case for each rule.

Each case builds child C1's rows twice: as recorded wrongly, and with the one thing put right. A second
child, C9 (a girl with one open episode and a review), sits beside C1 in this year's and last year's
return, so a finding must name the right child, table and row. Tables named "<table>_last" in a case go
into last year's return.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hearth.returns.rules.base import RULES_903, Return903, run_rule_903, specs_903
from hearth.returns.rules.ssda903_common import birthday
from hearth.returns.rules.ssda903_header import NOT_IMPLEMENTED
from hearth.returns.ssda903_columns import columns
from hearth.returns.years import SSDA903_YEARS, collection_period
from tests.returns.factories import Row, episode, header, make_return, oc3, review, uasc

Tables = dict[str, list[Row]]
Builder = Callable[[], Return903]
Case = tuple[Builder, Builder]
Flagged = set[tuple[str, str, int]]

CASES: dict[str, Case] = {}
# Further cases (a year's own behaviour, a second way to break a rule), keyed "<code> <what>".
MORE_CASES: dict[str, Case] = {}
# (child, table, row) of each finding the failing case must give; C1's header row when not given.
FLAGGED: dict[str, Flagged] = {}

QUERIES = {"209", "210", "231", "232", "371", "EPI"}


def _bystander(year: int) -> Tables:
    start = collection_period(year)[0].year
    return {
        "Header": [header(CHILD="C9", SEX="F", DOB="01/06/2012", ETHNIC="WIRI", UPN="N892101200009",
                          MOTHER="0")],
        "Episodes": [episode(CHILD="C9", DECOM=f"10/05/{start}")],
        "Reviews": [review(CHILD="C9", REVIEW=f"05/06/{start}")],
    }


def _return(tables: Tables, *, year: int) -> Return903:
    """C1's tables (and last year's, from the "_last" tables) with the bystander in both years."""
    this = {name: list(rows) for name, rows in _bystander(year).items()}
    last = {name: list(rows) for name, rows in _bystander(year - 1).items()}
    for name, rows in tables.items():
        target = last if name.endswith("_last") else this
        table = name.removesuffix("_last")
        target[table] = [*rows, *target.get(table, [])]  # C1's rows first, so row numbers are C1's
    return make_return(year=year, previous=make_return(year=year - 1, **last), **this)


def case(name: str, *, flagged: Flagged | None = None, year: int = 2026) -> Callable[
        [Callable[[bool], Tables]], Callable[[bool], Tables]]:
    """Register ``build(put_right)`` (C1's tables, wrong or put right) under ``name``: the rule code, or
    "<code> <what>" for a further case."""

    def register(build: Callable[[bool], Tables]) -> Callable[[bool], Tables]:
        target = CASES if " " not in name else MORE_CASES
        target[name] = (lambda: _return(build(False), year=year), lambda: _return(build(True), year=year))
        FLAGGED[name] = flagged if flagged is not None else {("C1", "Header", 0)}
        return build

    return register


def _child(head: Row | None = None, *episodes: Row, **tables: list[Row]) -> Tables:
    """C1 with a header and episodes (one open episode from 10 May 2025 when none is given)."""
    return {"Header": [head or header()], "Episodes": list(episodes) or [episode()], **tables}


def _girl(**overrides: str) -> Row:
    return header(**{"SEX": "F", "MOTHER": "0", **overrides})


EPISODE_0 = {("C1", "Episodes", 0)}
REVIEW_0 = {("C1", "Reviews", 0)}


# ------------------------------------------------------------------------------------------ Header codes


@case("101")
def _101(put_right: bool) -> Tables:
    return _child(header(SEX="M" if put_right else "1"))


@case("101 blank")
def _101_blank(put_right: bool) -> Tables:
    return _child(header(SEX="M" if put_right else ""))


@case("102")
def _102(put_right: bool) -> Tables:
    return _child(header(DOB="01/06/2012" if put_right else "31/06/2012"))


@case("102 blank")
def _102_blank(put_right: bool) -> Tables:
    return _child(header(DOB="01/06/2012" if put_right else ""))


@case("103")
def _103(put_right: bool) -> Tables:
    return _child(header(ETHNIC="WBRI" if put_right else "White British"))


@case("103 blank")
def _103_blank(put_right: bool) -> Tables:
    return _child(header(ETHNIC="WBRI" if put_right else ""))


@case("105")
def _105(put_right: bool) -> Tables:
    # The header of an XML return carries a UASC flag.
    return _child({**header(), "UASC": "1" if put_right else "2"})


@case("168")
def _168(put_right: bool) -> Tables:
    return _child(header(UPN="A892101200001" if put_right else "I892101200001"))


@case("168 check letter")
def _168_check_letter(put_right: bool) -> Tables:
    # A mistyped digit: the check letter no longer matches.
    return _child(header(UPN="A892101200001" if put_right else "A892101200002"))


@case("168 unknown code")
def _168_unknown(put_right: bool) -> Tables:
    return _child(header(UPN="UN5" if put_right else "UN7"))


@case("171")
def _171(put_right: bool) -> Tables:
    return _child(_girl(MOTHER="1", MC_DOB="31/01/2025" if put_right else "32/01/2025"))


@case("174")
def _174(put_right: bool) -> Tables:
    return _child(header(SEX="M", MC_DOB="" if put_right else "01/01/2025"))


@case("231")
def _231(put_right: bool) -> Tables:
    dob = "01/06/2012" if put_right else "01/06/2016"  # 9 at 31 March 2026
    return _child(header(DOB=dob), UASC=[uasc(DOB=dob)])


@case("231 xml flag")
def _231_xml(put_right: bool) -> Tables:
    return _child({**header(DOB="01/06/2016"), "UASC": "0" if put_right else "1"})


@case("232")
def _232(put_right: bool) -> Tables:
    return _child(header(SEX="M" if put_right else "U"))


@case("301")
def _301(put_right: bool) -> Tables:
    return _child(header(DOB="31/03/2026" if put_right else "01/04/2026"))


@case("351")
def _351(put_right: bool) -> Tables:
    # 25 on 1 January 2025, before the year began; or on 1 June 2025, within it.
    return _child(header(DOB="01/06/2000" if put_right else "01/01/2000"))


@case("442")
def _442(put_right: bool) -> Tables:
    return _child(header(UPN="A892101200001" if put_right else ""))


@case("444", flagged={("C1", "Header", 0), ("C2", "Header", 1)})
def _444(put_right: bool) -> Tables:
    return {"Header": [header(), header(CHILD="C2", UPN="A892101200002" if put_right else "A892101200001")],
            "Episodes": [episode(), episode(CHILD="C2")]}


@case("444 unknown codes may repeat", flagged={("C1", "Header", 0), ("C2", "Header", 1)})
def _444_unknown(put_right: bool) -> Tables:
    upn = "UN2" if put_right else "A892101200001"
    return {"Header": [header(UPN=upn), header(CHILD="C2", UPN=upn)], "Episodes": [episode(), episode(CHILD="C2")]}


@case("209")
def _209(put_right: bool) -> Tables:
    # 4 on 1 June 2023, by 31 August 2024: of school age in 2025/26.
    return _child(header(DOB="01/06/2019", UPN="A892101200001" if put_right else "UN1"))


@case("209 not yet of school age")
def _209_young(put_right: bool) -> Tables:
    # 4 on 1 September 2024 (after 31 August 2024) may still be UN1; on 31 August 2024 may not.
    return _child(header(DOB="01/09/2020" if put_right else "31/08/2020", UPN="UN1"))


@case("210")
def _210(put_right: bool) -> Tables:
    return _child(header(UPN="A892101200001" if put_right else "UN4"))


@case("210 newly looked after")
def _210_new(put_right: bool) -> Tables:
    # Looked after from 24 March (the last week of the year) may be UN4; from 23 March, not.
    return _child(header(UPN="UN4"), episode(DECOM="24/03/2026" if put_right else "23/03/2026"))


@case("210 moved in the last week")
def _210_moved(put_right: bool) -> Tables:
    # A move in the last week does not start a new period of care; leaving and coming back does.
    first = episode(DEC="26/03/2026", REC="X1", REASON_PLACE_CHANGE="CARPL")
    if put_right:
        first = episode(DEC="20/03/2026", REC="E4A")
    return _child(header(UPN="UN4"), first, episode(DECOM="26/03/2026", RNE="S" if put_right else "P"))


# -------------------------------------------------------------------------------------------- mothers


@case("393")
def _393(put_right: bool) -> Tables:
    return _child(_girl(MOTHER="0" if put_right else ""))


@case("607")
def _607(put_right: bool) -> Tables:
    return _child(_girl(MOTHER="0" if put_right else ""), episode(DEC="01/09/2025", REC="E4A"))


@case("607 short breaks")
def _607_short_breaks(put_right: bool) -> Tables:
    # A girl on short breaks has no mother item.
    return _child(_girl(MOTHER=""), episode(DEC="01/09/2025", REC="E13", LS="V3" if put_right else "V2"))


@case("611")
def _611(put_right: bool) -> Tables:
    return _child(_girl(MOTHER="1", MC_DOB="01/01/2025" if put_right else ""))


@case("612")
def _612(put_right: bool) -> Tables:
    return _child(_girl(MOTHER="1" if put_right else "0", MC_DOB="01/01/2025"))


@case("620")
def _620(put_right: bool) -> Tables:
    # Born 1 June 2015: 9 when the year began.
    return _child(_girl(DOB="01/06/2012" if put_right else "01/06/2015", MOTHER="1", MC_DOB="01/01/2026"))


@case("621")
def _621(put_right: bool) -> Tables:
    return _child(_girl(MOTHER="1", MC_DOB="01/01/2026" if put_right else "01/06/2012"))


@case("625")
def _625(put_right: bool) -> Tables:
    return _child(_girl(MOTHER="1", MC_DOB="31/03/2026" if put_right else "01/04/2026"))


@case("625 left care")
def _625_left(put_right: bool) -> Tables:
    return _child(_girl(MOTHER="1", MC_DOB="01/09/2025" if put_right else "02/09/2025"),
                  episode(DEC="01/09/2025", REC="E4A"))


# ----------------------------------------------------------------------------------- last year's header


@case("202")
def _202(put_right: bool) -> Tables:
    return {**_child(header(SEX="M" if put_right else "F")), "Header_last": [header()]}


@case("202 old codes", year=2025)
def _202_old(put_right: bool) -> Tables:
    # Until 2023/24 sex was 1 (male) or 2 (female).
    return {**_child(header(SEX="M" if put_right else "F"), episode(DECOM="10/05/2024")),
            "Header_last": [header(SEX="1")]}


@case("203")
def _203(put_right: bool) -> Tables:
    return {**_child(header(DOB="01/06/2012" if put_right else "02/06/2012")), "Header_last": [header()]}


@case("204")
def _204(put_right: bool) -> Tables:
    return {**_child(header(ETHNIC="WBRI" if put_right else "WIRI")), "Header_last": [header()]}


@case("207")
def _207(put_right: bool) -> Tables:
    now = _girl(MOTHER="1", MC_DOB="01/01/2025") if put_right else _girl(MOTHER="0")
    return {**_child(now), "Header_last": [_girl(MOTHER="1", MC_DOB="01/01/2025")]}


@case("208")
def _208(put_right: bool) -> Tables:
    return {**_child(header(UPN="A892101200001" if put_right else "B892101200002")),
            "Header_last": [header(UPN="A892101200001")]}


@case("208 unknown code changed")
def _208_unknown(put_right: bool) -> Tables:
    # From UN1 (not yet of school age) to another unknown code is allowed; from UN2 to UN3 is not.
    return {**_child(header(UPN="UN3")), "Header_last": [header(UPN="UN1" if put_right else "UN2")]}


@case("208 known to unknown")
def _208_known(put_right: bool) -> Tables:
    return {**_child(header(UPN="A892101200001" if put_right else "UN2")),
            "Header_last": [header(UPN="A892101200001")]}


@case("624")
def _624(put_right: bool) -> Tables:
    return {**_child(_girl(MOTHER="1", MC_DOB="01/01/2025" if put_right else "02/01/2025")),
            "Header_last": [_girl(MOTHER="1", MC_DOB="01/01/2025")]}


def test_624_leaves_a_care_leavers_blank_mother_item_alone() -> None:
    # A mother last year, now only a care leaver in OC3 (not looked after): no mother item this year.
    tables = {"Header": [_girl(DOB="01/06/2007", MOTHER="")], "Episodes": [], "OC3": [oc3()],
              "Header_last": [_girl(DOB="01/06/2007", MOTHER="1", MC_DOB="01/01/2024")]}
    assert run_rule_903("624", _return(tables, year=2026)) == []


@case("626")
def _626(put_right: bool) -> Tables:
    # Not a mother last year: her first child cannot have been born before 1 April 2025.
    return {**_child(_girl(MOTHER="1", MC_DOB="01/05/2025" if put_right else "01/01/2025")),
            "Header_last": [_girl(MOTHER="0")]}


# ----------------------------------------------------------------------------------- Header and episodes


@case("EPI")
def _epi(put_right: bool) -> Tables:
    return {"Header": [header()], "Episodes": [episode()] if put_right else []}


@case("EPI care leaver")
def _epi_care_leaver(put_right: bool) -> Tables:
    return {"Header": [header(DOB="01/06/2007")], "Episodes": [],
            "OC3": [oc3(DOB="01/06/2007")] if put_right else []}


@case("234", flagged=EPISODE_0)
def _234(put_right: bool) -> Tables:
    # Born 1 June 2016: 9 when moved for custody on 1 September 2025.
    return _child(header(DOB="01/06/2016"),
                  episode(DEC="01/09/2025", REC="X1", REASON_PLACE_CHANGE="CARPL" if put_right else "CUSTOD"),
                  episode(DECOM="01/09/2025", RNE="P", PLACE="R1"))


@case("302", flagged=EPISODE_0)
def _302(put_right: bool) -> Tables:
    return _child(header(DOB="01/05/2025" if put_right else "01/06/2025"))


@case("352", flagged=EPISODE_0)
def _352(put_right: bool) -> Tables:
    # 18 on 1 May 2025, before starting to be looked after on 10 May.
    return _child(header(DOB="01/06/2007" if put_right else "01/05/2007"), episode(LS="V2"))


@case("358", flagged=EPISODE_0)
def _358(put_right: bool) -> Tables:
    return _child(header(DOB="01/06/2014" if put_right else "01/06/2016"), episode(LS="J1", PLACE="R1"))


@case("358 tenth birthday", flagged=EPISODE_0)
def _358_birthday(put_right: bool) -> Tables:
    # Remanded on the 10th birthday: 10, not under 10.
    return _child(header(DOB="10/05/2015" if put_right else "11/05/2015"), episode(LS="J1", PLACE="R1"))


@case("359", flagged=EPISODE_0)
def _359(put_right: bool) -> Tables:
    # 18 on 1 June 2025 and still looked after at 31 March.
    values = {"LS": "V2", "PLACE": "K2"} if put_right else {}
    return _child(header(DOB="01/06/2007"), episode(**values))


@case("359 left after the birthday", flagged=EPISODE_0)
def _359_left(put_right: bool) -> Tables:
    return _child(header(DOB="01/06/2007"), episode(DEC="01/06/2025" if put_right else "02/06/2025", REC="E17"))


@case("371", flagged=EPISODE_0)
def _371(put_right: bool) -> Tables:
    # 16 on 1 May 2025, or not until 1 June 2026.
    return _child(header(DOB="01/05/2009" if put_right else "01/06/2010"),
                  episode(PLACE="K3", PLACE_PROVIDER="PR4", LS="V2"))


@case("372", flagged=EPISODE_0)
def _372(put_right: bool) -> Tables:
    return _child(header(DOB="01/05/2015" if put_right else "01/06/2015"), episode(PLACE="R5", LS="J2"))


@case("373", flagged=EPISODE_0)
def _373(put_right: bool) -> Tables:
    return _child(header(DOB="01/05/2021" if put_right else "01/06/2021"), episode(PLACE="S1"))


@case("374", flagged=EPISODE_0)
def _374(put_right: bool) -> Tables:
    return _child(header(DOB="01/05/2011" if put_right else "01/06/2011"), episode(PLACE="P3"))


def _temporary(place: str, ended: str) -> list[Row]:
    return [episode(PLACE=place, PLACE_PROVIDER="", DEC=ended, REC="X1"),
            episode(DECOM=ended, RNE="P")]


@case("375", flagged=EPISODE_0)
def _375(put_right: bool) -> Tables:
    # 42 days from 10 May 2025 is 21 June.
    return _child(None, *_temporary("T1", "21/06/2025" if put_right else "22/06/2025"))


@case("375 still open", flagged=EPISODE_0)
def _375_open(put_right: bool) -> Tables:
    # Open at 31 March: 58 days from 1 February, or 39 from 20 February.
    return _child(None, episode(DECOM="20/02/2026" if put_right else "01/02/2026", PLACE="T1", PLACE_PROVIDER=""))


@case("376", flagged=EPISODE_0)
def _376(put_right: bool) -> Tables:
    return _child(None, *_temporary("T3", "31/05/2025" if put_right else "01/06/2025"))


@case("379", flagged=EPISODE_0)
def _379(put_right: bool) -> Tables:
    return _child(None, *_temporary("T4", "17/05/2025" if put_right else "18/05/2025"))


def _left_care(dob: str, rec: str, dec: str = "01/09/2025") -> Tables:
    return _child(header(DOB=dob), episode(DEC=dec, REC=rec))


@case("386", flagged=EPISODE_0)
def _386(put_right: bool) -> Tables:
    # Adopted on the 18th birthday: aged 18.
    return _left_care("02/06/2007" if put_right else "01/06/2007", "E11", dec="01/06/2025")


@case("387", flagged=EPISODE_0)
def _387(put_right: bool) -> Tables:
    return _left_care("01/06/2011" if put_right else "01/06/2012", "E5")


@case("389", flagged=EPISODE_0)
def _389(put_right: bool) -> Tables:
    return _left_care("01/06/2009" if put_right else "01/06/2010", "E7")


@case("407", flagged=EPISODE_0)
def _407(put_right: bool) -> Tables:
    return _left_care("02/06/2007" if put_right else "01/06/2007", "E45", dec="01/06/2025")


@case("460", flagged=EPISODE_0)
def _460(put_right: bool) -> Tables:
    return _left_care("01/06/2007" if put_right else "01/06/2008", "E17")


# -------------------------------------------------------------------------------------------- Reviews


@case("166", flagged=REVIEW_0)
def _166(put_right: bool) -> Tables:
    return _child(Reviews=[review(REVIEW="30/06/2025" if put_right else "31/06/2025")])


@case("166 blank", flagged=REVIEW_0)
def _166_blank(put_right: bool) -> Tables:
    return _child(Reviews=[review(REVIEW="30/06/2025" if put_right else "")])


@case("167", flagged=REVIEW_0)
def _167(put_right: bool) -> Tables:
    return _child(Reviews=[review(REVIEW_CODE="PN1" if put_right else "PN8")])


@case("167 blank", flagged=REVIEW_0)
def _167_blank(put_right: bool) -> Tables:
    return _child(Reviews=[review(REVIEW_CODE="PN1" if put_right else "")])


@case("440", flagged=REVIEW_0)
def _440(put_right: bool) -> Tables:
    # A review on the 4th birthday: the child is 4.
    return _child(header(DOB="01/06/2021"),
                  Reviews=[review(DOB="01/06/2021", REVIEW="01/06/2025", REVIEW_CODE="PN1" if put_right else "PN0")])


@case("441", flagged=REVIEW_0)
def _441(put_right: bool) -> Tables:
    return _child(header(DOB="01/06/2021"),
                  Reviews=[review(DOB="01/06/2021", REVIEW="31/05/2025", REVIEW_CODE="PN0" if put_right else "PN1")])


@case("399")
def _399(put_right: bool) -> Tables:
    return _child(_girl(MOTHER="" if put_right else "0"), episode(LS="V3", PLACE="U6"))


@case("399 review", flagged=REVIEW_0)
def _399_review(put_right: bool) -> Tables:
    return _child(None, episode(LS="V4", PLACE="U6"), Reviews=[] if put_right else [review()])


@case("399 not only short breaks")
def _399_mixed(put_right: bool) -> Tables:
    # A child also looked after otherwise in the year keeps the mother item.
    return _child(_girl(MOTHER="0"), episode(LS="V3", PLACE="U6", DEC="01/08/2025", REC="E8"),
                  episode(DECOM="01/09/2025", LS="C2" if put_right else "V3", PLACE="U6"))


ALL_CASES = {**CASES, **MORE_CASES}


# ---------------------------------------------------------------------------------------------- tests


@pytest.mark.parametrize("name", sorted(ALL_CASES))
def test_failing_case_is_found_on_the_right_row_and_passing_case_is_clean(name: str) -> None:
    code = name.split(" ")[0]
    failing, passing = ALL_CASES[name]
    found = run_rule_903(code, failing())
    assert found, f"{name}: the failing case gave no finding"
    assert {(f.child, f.table, f.row) for f in found} == FLAGGED[name]
    assert run_rule_903(code, passing()) == []


def test_this_group_implements_or_explains_each_of_its_codes() -> None:
    codes = ["101", "102", "103", "105", "166", "167", "168", "171", "174", "202", "203", "204", "207", "208",
             "209", "210", "231", "232", "234", "301", "302", "351", "352", "358", "359", "371", "372", "373",
             "374", "375", "376", "379", "386", "387", "389", "393", "399", "407", "440", "441", "442", "444",
             "460", "607", "611", "612", "620", "621", "624", "625", "626", "EPI"]
    for code in codes:
        assert (code in CASES) != (code in NOT_IMPLEMENTED), code
        assert (code in RULES_903) == (code in CASES), code
        assert any(code in specs_903(year) for year in SSDA903_YEARS), code
    assert set(CASES) == set(codes)


def test_queries_and_errors() -> None:
    for code in CASES:
        assert RULES_903[code].severity == ("query" if code in QUERIES else "error"), code
    assert [f.severity for f in run_rule_903("232", CASES["232"][0]())] == ["query"]


def test_rules_read_last_years_return_only_where_they_say_so() -> None:
    across_years = {"202", "203", "204", "207", "208", "624", "626"}
    for code in CASES:
        assert RULES_903[code].needs_previous == (code in across_years), code


def test_rules_new_in_2025_26_run_only_from_then() -> None:
    for code in ("234", "444"):
        assert code not in specs_903(2025) and code in specs_903(2026) and code in specs_903(2027)


def test_a_finding_carries_the_years_message() -> None:
    [finding] = run_rule_903("351", CASES["351"][0]())
    assert finding.message == "Child was over 25 at the start of the current collection year."
    assert finding.fields == ("DOB",)


def test_a_mother_who_moved_placement_is_compared_with_the_year_end() -> None:
    # Her first episode ceased (X1) before her child was born; she is still looked after.
    tables = _child(_girl(MOTHER="1", MC_DOB="01/12/2025"),
                    episode(DEC="01/09/2025", REC="X1", REASON_PLACE_CHANGE="CARPL"),
                    episode(DECOM="01/09/2025", RNE="P"))
    assert run_rule_903("625", _return(tables, year=2026)) == []


def test_393_and_607_do_not_both_report_a_girl() -> None:
    # Left care in the year and came back: looked after at 31 March, so rule 393's alone.
    tables = _child(_girl(MOTHER=""), episode(DEC="01/07/2025", REC="E4A"), episode(DECOM="01/09/2025"))
    ret = _return(tables, year=2026)
    assert [f.child for f in run_rule_903("393", ret)] == ["C1"]
    assert run_rule_903("607", ret) == []


def test_without_last_years_return_the_cross_year_rules_do_not_run() -> None:
    from hearth.returns.rules.base import validate_903

    ret = make_return(year=2026, **_bystander(2026))
    result = validate_903(ret)
    for code in ("202", "203", "204", "207", "208", "624", "626"):
        assert code in result.not_run and code not in result.rules_run


def test_the_bystander_is_clean_under_every_rule_of_every_year() -> None:
    for year in SSDA903_YEARS:
        ret = _return({}, year=year)
        for code in CASES:
            if code in specs_903(year):
                assert run_rule_903(code, ret) == [], (year, code)


@pytest.mark.parametrize(("dob", "years", "turns"), [
    (date(2012, 6, 1), 18, date(2030, 6, 1)),
    (date(2008, 2, 29), 18, date(2026, 3, 1)),  # a common year: 1 March, as English law counts it
    (date(2008, 2, 29), 4, date(2012, 2, 29)),
])
def test_birthday(dob: date, years: int, turns: date) -> None:
    assert birthday(dob, years) == turns


_VALUES = st.one_of(st.sampled_from(["", "M", "F", "U", "1", "0", "UN1", "UN4", "A892101200001", "V3", "C2",
                                     "J1", "K3", "T1", "R5", "E11", "E17", "X1", "S", "CUSTOD", "PN0", "PN3",
                                     "01/06/2012", "29/02/2008", "10/05/2025", "31/03/2026", "30/02/2026",
                                     "1/1/25", "WBRI"]),
                    st.text(max_size=12))


def _rows(table: str) -> st.SearchStrategy[Row]:
    return st.fixed_dictionaries({column: _VALUES for column in columns(table) if column != "CHILD"}).map(
        lambda row: {"CHILD": "C1", **row})


@settings(max_examples=150, deadline=None)
@given(headers=st.lists(_rows("Header"), max_size=2), episodes=st.lists(_rows("Episodes"), max_size=5),
       reviews=st.lists(_rows("Reviews"), max_size=3), last=st.lists(_rows("Header"), max_size=2))
def test_no_rule_of_the_group_fails_on_any_data(headers: list[Row], episodes: list[Row], reviews: list[Row],
                                                 last: list[Row]) -> None:
    """Whatever the files hold, each rule reports rows of the return (or nothing) and never raises."""
    sizes = {"Header": len(headers), "Episodes": len(episodes), "Reviews": len(reviews)}
    ret = make_return(year=2026, previous=make_return(year=2025, Header=last), Header=headers, Episodes=episodes,
                      Reviews=reviews)
    for code in CASES:
        for finding in run_rule_903(code, ret):
            assert finding.row is not None and 0 <= finding.row < sizes[finding.table], code
