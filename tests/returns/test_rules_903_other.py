"""SSDA903 rules on Missing, UASC, social-worker episodes, DoLOs and the INT checks (group A).

Each rule has a failing case and a passing case that is the same data with the one thing put right. The
default child C1 (born 1 June 2012) came into care on 10 May 2025 and is still looked after at 31 March
2026; DoLO cases are in 2026/27 (year 2027), the first year with the DoLo table.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hearth.returns.rules.base import QUERY, RULES_903, Return903, validate_903
from hearth.returns.rules.ssda903_other import NOT_IMPLEMENTED
from tests.returns.factories import (
    ad1,
    dolo,
    episode,
    findings,
    header,
    make_return,
    missing,
    oc2,
    oc3,
    placed_adoption,
    prev_perm,
    review,
    sw_episode,
    uasc,
)

Builder = Callable[[], Return903]
Row = dict[str, str]

CASES: dict[str, tuple[Builder, Builder]] = {}
# Where each failing case's finding must land: (table, child).
WHERE: dict[str, tuple[str, str]] = {}


def case(code: str, fail: Builder, ok: Builder, *, table: str, child: str = "C1") -> None:
    CASES[code] = (fail, ok)
    WHERE[code] = (table, child)


def in_care(year: int = 2026, previous: Return903 | None = None, **tables: list[Row]) -> Return903:
    """C1 looked after all through (from 10 May 2025, or 10 May 2026 in 2026/27), plus ``tables``."""
    decom = "10/05/2025" if year == 2026 else "10/05/2026"
    base: dict[str, list[Row]] = {"Header": [header()], "Episodes": [episode(DECOM=decom)]}
    base.update(tables)
    return make_return(year=year, previous=previous, **base)


# ------------------------------------------------------------------------------------------ Missing

case("564", lambda: in_care(Missing=[missing(MIS_START="")]), lambda: in_care(Missing=[missing()]), table="Missing")
case("565", lambda: in_care(Missing=[missing(MISSING="")]), lambda: in_care(Missing=[missing()]), table="Missing")
case("566", lambda: in_care(Missing=[missing(MISSING="", MIS_START="")]),
     lambda: in_care(Missing=[missing(MIS_START="")]), table="Missing")
case("567", lambda: in_care(Missing=[missing(MIS_START="05/09/2025", MIS_END="02/09/2025")]),
     lambda: in_care(Missing=[missing(MIS_START="05/09/2025", MIS_END="06/09/2025")]), table="Missing")
case("570", lambda: in_care(Missing=[missing(MIS_START="02/04/2026", MIS_END="")]),
     lambda: in_care(Missing=[missing(MIS_START="02/03/2026", MIS_END="")]), table="Missing")
case("571", lambda: in_care(Missing=[missing(MIS_END="01/04/2026")]),
     lambda: in_care(Missing=[missing(MIS_END="31/03/2026")]), table="Missing")
case("574", lambda: in_care(Missing=[missing(MIS_END=""), missing(MIS_START="05/09/2025", MIS_END="06/09/2025")]),
     lambda: in_care(Missing=[missing(MIS_END="03/09/2025"),
                              missing(MIS_START="05/09/2025", MIS_END="06/09/2025")]), table="Missing")


def _moved(**missing_row: str) -> Return903:
    """C1 moved placement on 1 October 2025 (a new carer) and is still looked after."""
    return in_care(Episodes=[episode(DEC="01/10/2025", REC="X1", REASON_PLACE_CHANGE="CARPL"),
                             episode(DECOM="01/10/2025", RNE="P", PLACE="U6")],
                   Missing=[missing(**missing_row)])


case("575", lambda: _moved(MIS_END=""), lambda: _moved(MIS_END="03/09/2025"), table="Missing")


def _open_last_year(start_this_year: str) -> Return903:
    before = [header()]
    last = make_return(year=2025, Header=before, Episodes=[episode(DECOM="10/01/2025")],
                       Missing=[missing(MIS_START="20/03/2025", MIS_END="")])
    return in_care(previous=last, Episodes=[episode(DECOM="10/01/2025")],
                   Missing=[missing(MIS_START=start_this_year, MIS_END="10/04/2025")])


case("576", lambda: _open_last_year("22/03/2025"), lambda: _open_last_year("20/03/2025"), table="Missing_last")


def _left_care(**missing_row: str) -> Return903:
    """C1 went home on 1 December 2025."""
    return in_care(Episodes=[episode(DEC="01/12/2025", REC="E4A")], Missing=[missing(**missing_row)])


case("577", lambda: _left_care(MIS_END=""), lambda: _left_care(MIS_END="03/09/2025"), table="Missing")
case("578", lambda: _left_care(MIS_START="05/12/2025", MIS_END="06/12/2025"),
     lambda: _left_care(MIS_START="30/11/2025", MIS_END="06/12/2025"), table="Missing")


def _missing_at_eighteen(rec: str) -> Return903:
    """C2, born 1 June 2007, was still missing on her 18th birthday, when care ended."""
    dob = "01/06/2007"
    return make_return(Header=[header(CHILD="C2", DOB=dob)],
                       Episodes=[episode(CHILD="C2", DECOM="10/05/2024", DEC="01/06/2025", REC=rec)],
                       Missing=[missing(CHILD="C2", DOB=dob, MIS_START="20/05/2025", MIS_END="01/06/2025")])


case("580", lambda: _missing_at_eighteen("E4B"), lambda: _missing_at_eighteen("E8"), table="Episodes", child="C2")
case("581", lambda: in_care(Missing=[missing(MIS_START="01/05/2025", MIS_END="12/05/2025")]),
     lambda: in_care(Missing=[missing(MIS_START="11/05/2025", MIS_END="12/05/2025")]), table="Missing")
case("586", lambda: in_care(Missing=[missing(MIS_START="01/06/2012")]), lambda: in_care(Missing=[missing()]),
     table="Missing")
case("1004", lambda: in_care(Missing=[missing(MIS_START="31/02/2025")]), lambda: in_care(Missing=[missing()]),
     table="Missing")
case("1005", lambda: in_care(Missing=[missing(MIS_END="2025-09-02")]), lambda: in_care(Missing=[missing()]),
     table="Missing")
case("1006", lambda: in_care(Missing=[missing(MISSING="X")]), lambda: in_care(Missing=[missing(MISSING="A")]),
     table="Missing")


# ------------------------------------------------------------------------------------------ UASC

case("104", lambda: in_care(UASC=[uasc(DUC="31/03/2025")]), lambda: in_care(UASC=[uasc()]), table="UASC")
case("304", lambda: in_care(UASC=[uasc(DUC="02/06/2030")]), lambda: in_care(UASC=[uasc(DUC="01/06/2030")]),
     table="UASC")


def _uasc_years(last_year: list[Row], this_year: list[Row]) -> Return903:
    last = make_return(year=2025, Header=[header()], Episodes=[episode(DECOM="10/05/2024")], UASC=last_year)
    return in_care(previous=last, Episodes=[episode(DECOM="10/05/2024")], UASC=this_year)


# UASC last year, not this year: the status ceased last year, so last year's DUC is in last year.
case("205A", lambda: _uasc_years([uasc(DUC="01/06/2030")], []),
     lambda: _uasc_years([uasc(DUC="01/12/2024")], []), table="Header")
# UASC both years: last year's DUC cannot say the status had already ceased.
case("205B", lambda: _uasc_years([uasc(DUC="01/12/2024")], [uasc()]),
     lambda: _uasc_years([uasc(DUC="01/06/2030")], [uasc()]), table="UASC")
case("205D", lambda: _uasc_years([], [uasc()]), lambda: _uasc_years([uasc()], [uasc()]), table="UASC")


def _care_leaver(with_uasc: bool) -> Return903:
    """C2, a care leaver of 19, in OC3 only."""
    tables: dict[str, list[Row]] = {"OC3": [oc3(CHILD="C2", DOB="01/06/2006")]}
    if with_uasc:
        tables["UASC"] = [uasc(CHILD="C2", DOB="01/06/2006", DUC="01/06/2024")]
    return in_care(Header=[header(), header(CHILD="C2", DOB="01/06/2006")], **tables)


case("1014", lambda: _care_leaver(True), lambda: _care_leaver(False), table="UASC", child="C2")


# ------------------------------------------------------------------------------------------ INT checks

ROW_OF: dict[str, Callable[..., Row]] = {
    "AD1": ad1, "PlacedAdoption": placed_adoption, "Episodes": episode, "Missing": missing, "OC2": oc2,
    "OC3": oc3, "PrevPerm": prev_perm, "Reviews": review, "UASC": uasc, "Header": header,
}


def _rows(table: str, *overrides: dict[str, str]) -> Builder:
    """C1 looked after, with one row of ``table`` per overrides given."""
    return lambda: in_care(**{table: [ROW_OF[table](**values) for values in overrides]})


for _code, _table in (("INT01", "AD1"), ("INT02", "PlacedAdoption"), ("INT03", "Episodes"), ("INT04", "Missing"),
                      ("INT05", "OC2"), ("INT06", "OC3"), ("INT07", "PrevPerm"), ("INT08", "Reviews"),
                      ("INT09", "UASC")):
    case(_code, _rows(_table, {"CHILD": "C2"}), _rows(_table, {}), table=_table, child="C2")

for _code, _table in (("INT11", "AD1"), ("INT12", "PlacedAdoption"), ("INT13", "Missing"), ("INT14", "OC2"),
                      ("INT16", "PrevPerm"), ("INT17", "Reviews"), ("INT18", "UASC")):
    case(_code, _rows(_table, {"DOB": "02/06/2012"}), _rows(_table, {}), table=_table)

case("INT15", lambda: in_care(Header=[header(DOB="01/06/2007")], OC3=[oc3(DOB="02/06/2007")]),
     lambda: in_care(Header=[header(DOB="01/06/2007")], OC3=[oc3()]), table="OC3")
case("INT21", lambda: in_care(UASC=[uasc(SEX="F")]), lambda: in_care(UASC=[uasc()]), table="UASC")

for _code, _table in (("INT31", "AD1"), ("INT32", "Header"), ("INT33", "OC2"), ("INT34", "OC3"),
                      ("INT35", "PrevPerm"), ("INT36", "UASC")):
    case(_code, _rows(_table, {}, {}), _rows(_table, {}, {"CHILD": "C2"}), table=_table)


# ------------------------------------------------------------------------------------------ social workers


def sw(year: int = 2026, *rows: Row) -> Return903:
    return in_care(year=year, SWEpisodes=list(rows))


def _handover(**second: str) -> Return903:
    """SW123456 until 1 September 2025, then a second worker."""
    values = {"SW_ID": "SW654321", "SW_REASON": "LEFTRL", **second}
    return sw(2026, sw_episode(SW_DEC="01/09/2025", SW_REASON="FCONTA"), sw_episode(**values))


case("SW01aSTG1", lambda: sw(2025, sw_episode(SW_DECOM="01/01/2023", SW_ID="")),
     lambda: sw(2025, sw_episode(SW_DECOM="01/01/2023")), table="SWEpisodes")
case("SW01bSTG1", lambda: sw(2025, sw_episode(SW_DECOM="10/05/2024", SW_REASON="")),
     lambda: sw(2025, sw_episode(SW_DECOM="10/05/2024", SW_REASON="FCONTA")), table="SWEpisodes")
case("SW02STG1", lambda: sw(2026, sw_episode(SW_ID="AB1234")), lambda: sw(2026, sw_episode(SW_ID="XX1234")),
     table="SWEpisodes")
case("SW04STG1", lambda: sw(2026, sw_episode(SW_DECOM="31/02/2025")), lambda: sw(2026, sw_episode()),
     table="SWEpisodes")
case("SW05STG1", lambda: sw(2026, sw_episode(SW_DEC="2025-06-01")), lambda: sw(2026, sw_episode()),
     table="SWEpisodes")
case("SW06STG2", lambda: sw(2026, sw_episode(SW_DECOM="01/04/2026")),
     lambda: sw(2026, sw_episode(SW_DECOM="31/03/2026")), table="SWEpisodes")
case("SW07STG2", lambda: sw(2026, sw_episode(SW_DEC="01/04/2026")),
     lambda: sw(2026, sw_episode(SW_DEC="31/03/2026")), table="SWEpisodes")
case("SW08STG2", lambda: sw(2026, sw_episode(), sw_episode(SW_ID="SW654321", SW_DECOM="01/09/2025",
                                                           SW_REASON="LEFTRL")),
     lambda: sw(2026, sw_episode(SW_DEC="01/09/2025"), sw_episode(SW_ID="SW654321", SW_DECOM="01/09/2025",
                                                                  SW_REASON="LEFTRL")), table="SWEpisodes")
case("SW09STG2", lambda: sw(2026, sw_episode(SW_DEC="10/05/2025")),
     lambda: sw(2026, sw_episode(SW_DEC="11/05/2025")), table="SWEpisodes")
case("SW10STG2", lambda: _handover(SW_DECOM="20/08/2025"), lambda: _handover(SW_DECOM="28/08/2025"),
     table="SWEpisodes")
case("SW10aSTG2", lambda: _handover(SW_DECOM="15/09/2025"), lambda: _handover(SW_DECOM="05/09/2025"),
     table="SWEpisodes")
case("SW10bSTG2", lambda: _handover(SW_DECOM="25/08/2025", SW_REASON="FCONTA"),
     lambda: _handover(SW_DECOM="02/09/2025", SW_REASON="FCONTA"), table="SWEpisodes")
case("SW11bSTG2", lambda: sw(2026, sw_episode(SW_DEC="01/03/2026")), lambda: sw(2026, sw_episode()),
     table="SWEpisodes")
case("SW12STG2", lambda: sw(2026), lambda: sw(2026, sw_episode(SW_REASON="FCONTA")), table="SWEpisodes")
case("SW13STG1", lambda: _handover(SW_DECOM="01/09/2025", SW_REASON=""),
     lambda: _handover(SW_DECOM="01/09/2025", SW_REASON="LEFTRL"), table="SWEpisodes")
case("SW17STG2", lambda: sw(2026, sw_episode(SW_DEC="31/03/2026")), lambda: sw(2026, sw_episode()),
     table="SWEpisodes")
case("SW18STG2", lambda: sw(2026, sw_episode(SW_DEC="09/05/2025")),
     lambda: sw(2026, sw_episode(SW_DEC="11/05/2025")), table="SWEpisodes")
case("SW19STG2", lambda: _handover(SW_DECOM="10/05/2025"), lambda: _handover(SW_DECOM="01/09/2025"),
     table="SWEpisodes")


# ------------------------------------------------------------------------------------------ DoLOs (2026/27)


def dolos(*rows: Row, place: str = "K2", dec: str = "", rec: str = "",
          previous: Return903 | None = None) -> Return903:
    return make_return(year=2027, previous=previous, Header=[header()],
                       Episodes=[episode(DECOM="10/05/2026", PLACE=place, DEC=dec, REC=rec)], DoLo=list(rows))


case("700", lambda: dolos(dolo(DOLO_START="")), lambda: dolos(dolo()), table="DoLo")
case("701", lambda: dolos(dolo(DOLO_END="32/01/2027")), lambda: dolos(dolo()), table="DoLo")
case("702", lambda: dolos(dolo(DOLO_END="01/06/2026")), lambda: dolos(dolo(DOLO_END="02/06/2026")), table="DoLo")
case("703", lambda: dolos(dolo(DOLO_START="01/04/2027")), lambda: dolos(dolo(DOLO_START="31/03/2027")),
     table="DoLo")
case("704", lambda: dolos(dolo(DOLO_END="01/04/2027")), lambda: dolos(dolo(DOLO_END="31/03/2027")), table="DoLo")
case("705", lambda: dolos(dolo(), dolo(DOLO_START="01/09/2026")),
     lambda: dolos(dolo(DOLO_END="01/08/2026"), dolo(DOLO_START="01/09/2026")), table="DoLo")


def _dolo_open_last_year(start_this_year: str) -> Return903:
    last = make_return(year=2026, Header=[header()], Episodes=[episode(DECOM="10/05/2025", PLACE="K2")],
                       DoLo=[dolo(DOLO_START="01/06/2025")])
    return make_return(year=2027, previous=last, Header=[header()],
                       Episodes=[episode(DECOM="10/05/2025", PLACE="K2")], DoLo=[dolo(DOLO_START=start_this_year)])


case("706", lambda: _dolo_open_last_year("02/06/2025"), lambda: _dolo_open_last_year("01/06/2025"),
     table="DoLo_last")
case("707", lambda: dolos(dolo(), dec="01/12/2026", rec="E4A"),
     lambda: dolos(dolo(DOLO_END="01/12/2026"), dec="01/12/2026", rec="E4A"), table="DoLo")
case("708", lambda: dolos(dolo(DOLO_START="01/06/2012")), lambda: dolos(dolo()), table="DoLo")
case("709", lambda: dolos(dolo(), place="U4"), lambda: dolos(dolo(), place="K2"), table="DoLo")
case("710", lambda: dolos(dolo(), place="K1"), lambda: dolos(dolo(), place="K2"), table="DoLo")


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
    from hearth.returns.rules import ssda903_other

    mine = {code for code, registered in RULES_903.items() if registered.check.__module__ == ssda903_other.__name__}
    assert mine == set(CASES)
    assert not mine & set(NOT_IMPLEMENTED)


# ------------------------------------------------------------------------------------------ details


def test_only_sw09_is_a_query() -> None:
    queries = {code for code in CASES if RULES_903[code].severity == QUERY}
    assert queries == {"SW09STG2"}


def test_575_a_change_of_legal_status_alone_keeps_the_placement() -> None:
    ret = in_care(Episodes=[episode(LS="C1", DEC="01/10/2025", REC="X1"), episode(DECOM="01/10/2025", RNE="L")],
                  Missing=[missing(MIS_END="")])
    assert findings("575", ret) == []


def test_575_going_missing_on_the_day_of_a_move_is_from_the_new_placement() -> None:
    assert findings("575", _moved(MIS_START="01/10/2025", MIS_END="")) == []


def test_576_577_a_period_open_last_year_and_still_open_is_carried_over() -> None:
    ret = _open_last_year("20/03/2025")
    assert findings("577", ret) == []
    # A child no longer looked after this year is not asked to carry last year's open period.
    gone = make_return(previous=ret.previous, Header=[header(CHILD="C9")], Episodes=[episode(CHILD="C9")])
    assert findings("576", gone) == []


def test_578_and_581_do_not_both_report_a_start_outside_care() -> None:
    after = _left_care(MIS_START="05/12/2025", MIS_END="06/12/2025")
    before = in_care(Missing=[missing(MIS_START="01/05/2025", MIS_END="12/05/2025")])
    assert findings("581", after) == [] and findings("578", before) == []


def test_581_a_period_begun_before_the_year_says_nothing_of_its_start() -> None:
    # Open on 1 April from a move in January: the period began earlier than this return shows.
    ret = in_care(Episodes=[episode(DECOM="10/01/2025", RNE="P")],
                  Missing=[missing(MIS_START="01/12/2024", MIS_END="02/04/2025")])
    assert findings("581", ret) == []


def test_missing_rules_skip_unreadable_dates() -> None:
    ret = in_care(Missing=[missing(MIS_START="99/99/2025", MIS_END="")])
    for code in ("567", "570", "574", "575", "577", "578", "581", "586"):
        assert findings(code, ret) == [], code
    assert [f.row for f in findings("1004", ret)] == [0]


def test_1004_leaves_a_blank_start_on_a_missing_row_to_564() -> None:
    ret = in_care(Missing=[missing(MIS_START="")])
    assert findings("1004", ret) == [] and len(findings("564", ret)) == 1
    assert len(findings("1004", in_care(Missing=[missing(MISSING="", MIS_START="")]))) == 1


def test_104_a_date_that_is_not_a_date() -> None:
    assert [f.value for f in findings("104", in_care(UASC=[uasc(DUC="31/13/2025")]))] == ["31/13/2025"]


def test_205_rules_need_last_years_return() -> None:
    result = validate_903(in_care(UASC=[uasc()]))
    for code in ("205A", "205B", "205D", "576"):
        assert "last year" in result.not_run[code]
    assert "303" in result.not_run and "XML" in result.not_run["303"]


def test_205b_status_ceasing_this_year_is_fine() -> None:
    assert findings("205B", _uasc_years([uasc()], [uasc(DUC="01/02/2026")])) == []
    assert len(findings("205B", _uasc_years([uasc()], [uasc(DUC="01/02/2029")]))) == 1


def test_int_checks_flag_every_row_of_a_duplicated_child() -> None:
    ret = in_care(Header=[header(), header()])
    assert sorted(f.row or 0 for f in findings("INT32", ret)) == [0, 1]


def test_sw10_until_2024_25_also_reports_a_long_gap() -> None:
    gap = sw(2025, sw_episode(SW_DECOM="10/05/2024", SW_DEC="01/09/2024", SW_REASON="FCONTA"),
             sw_episode(SW_ID="SW654321", SW_DECOM="15/09/2024", SW_REASON="LEFTRL"))
    assert [f.row for f in findings("SW10STG2", gap)] == [1]
    assert findings("SW10STG2", _handover(SW_DECOM="15/09/2025")) == []  # 2025/26: SW10a's finding
    # A first contact after a gap is a re-referral, not a late handover.
    assert findings("SW10aSTG2", _handover(SW_DECOM="15/09/2025", SW_REASON="FCONTA")) == []


def test_sw12_earliest_episode_after_1_april_must_be_a_first_contact() -> None:
    late = sw(2026, sw_episode(SW_REASON="MANAGE"))
    assert [(f.table, f.row) for f in findings("SW12STG2", late)] == [("SWEpisodes", 0)]
    # Short breaks only: no social worker episodes asked for.
    assert findings("SW12STG2", make_return(Header=[header()], Episodes=[episode(LS="V3")])) == []
    # A handover across 1 April within the week is fine.
    assert findings("SW12STG2", sw(2026, sw_episode(SW_DECOM="05/04/2025", SW_REASON="MANAGE"))) == []


def test_sw13_first_episode_of_the_year_may_leave_the_reason_blank_but_not_give_a_bad_one() -> None:
    assert findings("SW13STG1", sw(2026, sw_episode(SW_DECOM="01/01/2024"))) == []
    assert len(findings("SW13STG1", sw(2026, sw_episode(SW_REASON="BORED")))) == 1


def test_sw07_an_end_more_than_a_year_before_the_collection_year() -> None:
    assert len(findings("SW07STG2", sw(2026, sw_episode(SW_DECOM="01/01/2023", SW_DEC="30/03/2024")))) == 1
    assert findings("SW07STG2", sw(2026, sw_episode(SW_DECOM="01/01/2023", SW_DEC="01/04/2024"))) == []


def test_709_and_710_split_the_placement_types() -> None:
    ret = make_return(year=2027, Header=[header()],
                      Episodes=[episode(DECOM="10/05/2026", PLACE="K1", DEC="01/07/2026", REC="X1"),
                                episode(DECOM="01/07/2026", RNE="P", PLACE="T1")],
                      DoLo=[dolo()])
    assert [f.value for f in findings("710", ret)] == ["K1"]
    assert [f.value for f in findings("709", ret)] == ["T1"]
    # A DoLO that begins the day the child moves into a children's home says nothing of the placement before.
    moved = make_return(year=2027, Header=[header()],
                        Episodes=[episode(DECOM="10/05/2026", PLACE="U4", DEC="01/06/2026", REC="X1"),
                                  episode(DECOM="01/06/2026", RNE="P", PLACE="K2")],
                        DoLo=[dolo()])
    assert findings("709", moved) == []


def test_dolo_rules_do_not_run_before_2026_27() -> None:
    result = validate_903(in_care(DoLo=[dolo(DOLO_START="")]))
    assert not [f for f in result.findings if f.rule.startswith("70")]


# ------------------------------------------------------------------------------------------ robustness

_dates = st.one_of(st.just(""), st.sampled_from(["01/04/2025", "31/03/2026", "10/05/2025", "29/02/2024",
                                                  "31/02/2025", "2025-06-01", "x"]),
                   st.dates().map(lambda d: d.strftime("%d/%m/%Y")))
_children = st.sampled_from(["C1", "C2", ""])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(missing_rows=st.lists(st.fixed_dictionaries({"CHILD": _children, "DOB": _dates, "MIS_START": _dates,
                                                    "MIS_END": _dates,
                                                    "MISSING": st.sampled_from(["M", "A", "", "m"])}),
                             max_size=5),
       sw_rows=st.lists(st.fixed_dictionaries({"CHILD": _children, "DOB": _dates, "SW_DECOM": _dates,
                                               "SW_DEC": _dates, "SW_ID": st.sampled_from(["SW1234", "", "XX"]),
                                               "SW_REASON": st.sampled_from(["FCONTA", "MANAGE", "", "?"])}),
                        max_size=5),
       episodes=st.lists(st.fixed_dictionaries({"CHILD": _children, "DECOM": _dates, "DEC": _dates,
                                                "RNE": st.sampled_from(["S", "P", "L"]),
                                                "LS": st.sampled_from(["C2", "V3"]),
                                                "PLACE": st.sampled_from(["K2", "U4", "K1"]),
                                                "REC": st.sampled_from(["", "X1", "E8"])}), max_size=5),
       dolo_rows=st.lists(st.fixed_dictionaries({"CHILD": _children, "DOB": _dates, "DOLO_START": _dates,
                                                 "DOLO_END": _dates}), max_size=3),
       uasc_rows=st.lists(st.fixed_dictionaries({"CHILD": _children, "SEX": st.sampled_from(["M", "F"]),
                                                 "DOB": _dates, "DUC": _dates}), max_size=3))
def test_every_rule_of_the_group_reads_any_strings_and_points_at_real_rows(
        missing_rows: list[Row], sw_rows: list[Row], episodes: list[Row], dolo_rows: list[Row],
        uasc_rows: list[Row]) -> None:
    this = {"Header": [header(), header(CHILD="C2")], "Missing": missing_rows, "SWEpisodes": sw_rows,
            "Episodes": [episode(**e) for e in episodes], "DoLo": dolo_rows, "UASC": uasc_rows,
            "OC3": [oc3(CHILD="C2")]}
    last = make_return(year=2026, **this)
    ret = make_return(year=2027, previous=last, **this)
    for code in CASES:
        for finding in findings(code, ret):
            source = ret.previous if finding.table.endswith("_last") and ret.previous else ret
            rows = source.table(finding.table.removesuffix("_last"))
            assert finding.row is None or 0 <= finding.row < len(rows), code
            assert finding.row is not None or finding.child, code
