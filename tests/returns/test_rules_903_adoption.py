"""SSDA903 rules on AD1, PlacedAdoption and PrevPerm (group C): a failing and a passing case for each rule.

Each case builds child C1's rows twice, as recorded wrongly and with the one thing put right. C9, a child
who came into care in the year with a decision that they should be placed for adoption, sits beside C1 in
every table so a finding must name the right child, table and row.

C1's adoption story (``_adopted``): looked after from 10 May 2025 (full care order, foster care); decision
that she should be placed for adoption on 1 July 2025; placement order on 1 August 2025; matched on
1 October 2025; placed for adoption (A6) on 1 November 2025; adopted (E12) on 1 March 2026.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hearth.returns.rules.base import RULES_903, Return903, run_rule_903, specs_903
from hearth.returns.rules.ssda903_adoption import NOT_IMPLEMENTED
from hearth.returns.ssda903_columns import columns
from hearth.returns.years import SSDA903_YEARS
from tests.returns.factories import Row, ad1, episode, header, make_return, placed_adoption, prev_perm

Builder = Callable[[], Return903]
Case = tuple[Builder, Builder]

CODES = ("112", "113", "114", "115", "116", "117", "118", "119", "120", "151", "175", "176", "177", "184", "331",
         "333", "334", "335", "511", "514", "517", "518", "519", "520", "521", "522", "523", "524", "525", "551",
         "552", "553", "554", "557", "558", "559", "560", "561", "563", "579", "582", "583", "584", "601", "602",
         "630", "631", "632", "633", "634", "635", "1003")

CASES: dict[str, Case] = {}
# Further cases (a second way to break a rule), keyed "<code> <what>".
MORE_CASES: dict[str, Case] = {}
# Where the failing case must report C1: (table, rows).
EXPECTED: dict[str, tuple[str, set[int]]] = {}

Tables = dict[str, list[Row]]


def _bystander() -> Tables:
    """C9: in care from 10 May 2025, no previous permanence order, a decision on 1 September 2025."""
    return {"Header": [header(CHILD="C9", DOB="01/06/2020")],
            "Episodes": [episode(CHILD="C9")],
            "PrevPerm": [prev_perm(CHILD="C9", DOB="01/06/2020")],
            "PlacedAdoption": [placed_adoption(CHILD="C9", DOB="01/06/2020", DATE_PLACED="01/09/2025")]}


def _return(c1: Tables, *, year: int = 2026, previous: Return903 | None = None) -> Return903:
    tables: Tables = {"Header": [header()]}
    for name, rows in c1.items():
        tables[name] = [*tables.get(name, []), *rows]
    for name, rows in _bystander().items():
        tables[name] = [*tables.get(name, []), *rows]
    return make_return(year=year, previous=previous, **tables)


def _last_year(*decisions: Row) -> Return903:
    """Last year's return: C1 in care from 10 May 2024 with the given decisions."""
    return make_return(year=2025, Header=[header()], Episodes=[episode(DECOM="10/05/2024")],
                       PlacedAdoption=list(decisions))


def case(name: str, failing: Builder, passing: Builder, *, table: str, rows: set[int] | None = None) -> None:
    target = CASES if " " not in name else MORE_CASES
    assert name not in target, name
    target[name] = (failing, passing)
    EXPECTED[name] = (table, rows if rows is not None else {0})


def _adoption_episodes(*, rec: str = "E12", place: str = "A6", dec: str = "01/03/2026") -> list[Row]:
    return [episode(DEC="01/08/2025", REC="X1", REASON_PLACE_CHANGE=""),
            episode(DECOM="01/08/2025", RNE="L", LS="E1", DEC="01/11/2025", REC="X1",
                    REASON_PLACE_CHANGE="CARPL"),
            episode(DECOM="01/11/2025", RNE="P", LS="E1", PLACE=place, PLACE_PROVIDER="PR1", DEC=dec, REC=rec,
                    URN="SC654321")]


def _adopted(*, ad1_row: dict[str, str] | None = None, decisions: list[Row] | None = None,
             episodes: list[Row] | None = None) -> Return903:
    """C1's adoption story, with AD1 and PlacedAdoption as given (both right by default)."""
    return _return({"Episodes": episodes if episodes is not None else _adoption_episodes(),
                    "AD1": [ad1(**(ad1_row or {}))],
                    "PlacedAdoption": decisions if decisions is not None else [placed_adoption()],
                    "PrevPerm": [prev_perm()]})


def _ad1(**values: str) -> Return903:
    return _return({"AD1": [ad1(**values)]})


def _decisions(*rows: Row, **c1: list[Row]) -> Return903:
    return _return({"PlacedAdoption": list(rows), **c1})


# ------------------------------------------------------------------------------------- codes and dates

case("112", lambda: _ad1(DATE_INT="31/02/2025"), lambda: _ad1(DATE_INT="28/02/2025"), table="AD1")
case("113", lambda: _ad1(DATE_MATCH="1/10/2025"), lambda: _ad1(DATE_MATCH="01/10/2025"), table="AD1")
case("114", lambda: _ad1(FOSTER_CARE="2"), lambda: _ad1(FOSTER_CARE="1"), table="AD1")
case("115", lambda: _decisions(placed_adoption(DATE_PLACED="2025-07-01")),
     lambda: _decisions(placed_adoption(DATE_PLACED="01/07/2025")), table="PlacedAdoption")
case("116", lambda: _decisions(placed_adoption(DATE_PLACED_CEASED="32/01/2026", REASON_PLACED_CEASED="RD1")),
     lambda: _decisions(placed_adoption(DATE_PLACED_CEASED="31/01/2026", REASON_PLACED_CEASED="RD1")),
     table="PlacedAdoption")
case("120", lambda: _decisions(placed_adoption(DATE_PLACED_CEASED="31/01/2026", REASON_PLACED_CEASED="RD5")),
     lambda: _decisions(placed_adoption(DATE_PLACED_CEASED="31/01/2026", REASON_PLACED_CEASED="RD4")),
     table="PlacedAdoption")
case("175", lambda: _ad1(NB_ADOPTR="3"), lambda: _ad1(NB_ADOPTR="2"), table="AD1")
case("176", lambda: _ad1(SEX_ADOPTR="FM"), lambda: _ad1(SEX_ADOPTR="MF"), table="AD1")
case("177", lambda: _ad1(LS_ADOPTR="L1"), lambda: _ad1(LS_ADOPTR="L11"), table="AD1")
case("631", lambda: _return({"PrevPerm": [prev_perm(PREV_PERM="Z2")]}),
     lambda: _return({"PrevPerm": [prev_perm(PREV_PERM="Z1")]}), table="PrevPerm")
case("633", lambda: _return({"PrevPerm": [prev_perm(PREV_PERM="P2", LA_PERM="458", DATE_PERM="01/01/2020")]}),
     lambda: _return({"PrevPerm": [prev_perm(PREV_PERM="P2", LA_PERM="892", DATE_PERM="01/01/2020")]}),
     table="PrevPerm")
case("633 outside England", lambda: _return({"PrevPerm": [prev_perm(PREV_PERM="P1", LA_PERM="SCOT",
                                                                     DATE_PERM="01/01/2020")]}),
     lambda: _return({"PrevPerm": [prev_perm(PREV_PERM="P1", LA_PERM="SCO", DATE_PERM="01/01/2020")]}),
     table="PrevPerm")


# ------------------------------------------------------------------------------------------------ AD1

case("151", lambda: _ad1(LS_ADOPTR=""), lambda: _ad1(LS_ADOPTR="L11"), table="AD1")
case("511", lambda: _ad1(NB_ADOPTR="2", SEX_ADOPTR="M1", LS_ADOPTR="L0"),
     lambda: _ad1(NB_ADOPTR="2", SEX_ADOPTR="MM", LS_ADOPTR="L0"), table="AD1")
case("514", lambda: _ad1(NB_ADOPTR="1", SEX_ADOPTR="MF", LS_ADOPTR="L0"),
     lambda: _ad1(NB_ADOPTR="1", SEX_ADOPTR="F1", LS_ADOPTR="L0"), table="AD1")
case("517", lambda: _ad1(SEX_ADOPTR="FF", LS_ADOPTR="L3"), lambda: _ad1(SEX_ADOPTR="MF", LS_ADOPTR="L3"),
     table="AD1")
case("518", lambda: _ad1(SEX_ADOPTR="MF", LS_ADOPTR="L4"), lambda: _ad1(SEX_ADOPTR="FF", LS_ADOPTR="L4"),
     table="AD1")
case("519", lambda: _ad1(NB_ADOPTR="1", SEX_ADOPTR="M1", LS_ADOPTR="L2"),
     lambda: _ad1(NB_ADOPTR="1", SEX_ADOPTR="MM", LS_ADOPTR="L2"), table="AD1")
case("520", lambda: _ad1(SEX_ADOPTR="FF", LS_ADOPTR="L11"), lambda: _ad1(SEX_ADOPTR="MF", LS_ADOPTR="L11"),
     table="AD1")
case("524", lambda: _ad1(SEX_ADOPTR="MF", LS_ADOPTR="L12"), lambda: _ad1(SEX_ADOPTR="MM", LS_ADOPTR="L12"),
     table="AD1")
case("333", lambda: _ad1(DATE_INT="02/10/2025"), lambda: _ad1(DATE_INT="01/10/2025"), table="AD1")
case("333 no decision date", lambda: _ad1(DATE_INT=""), lambda: _ad1(DATE_INT="01/07/2025"), table="AD1")
case("331", lambda: _adopted(ad1_row={"DATE_MATCH": "05/11/2025"}),
     lambda: _adopted(ad1_row={"DATE_MATCH": "01/11/2025"}), table="AD1")
case("334", lambda: _adopted(ad1_row={"DATE_INT": "09/05/2025"}),
     lambda: _adopted(ad1_row={"DATE_INT": "10/05/2025"}), table="AD1")
case("335", lambda: _adopted(ad1_row={"FOSTER_CARE": "1"}), lambda: _adopted(ad1_row={"FOSTER_CARE": "0"}),
     table="AD1")
case("335 with foster carer", lambda: _adopted(episodes=_adoption_episodes(place="A5")),
     lambda: _adopted(episodes=_adoption_episodes(place="A5"), ad1_row={"FOSTER_CARE": "1"}), table="AD1")
case("521", lambda: _adopted(ad1_row={"DATE_INT": "02/11/2025"}),
     lambda: _adopted(ad1_row={"DATE_INT": "01/11/2025"}, decisions=[placed_adoption(DATE_PLACED="01/11/2025")]),
     table="AD1")
case("523", lambda: _adopted(ad1_row={"DATE_INT": "02/07/2025"}),
     lambda: _adopted(ad1_row={"DATE_INT": "01/07/2025"}), table="AD1")
# An earlier decision, reversed before the one that led to the adoption, is not compared.
case("523 latest decision", lambda: _adopted(decisions=[
        placed_adoption(DATE_PLACED="01/06/2025", DATE_PLACED_CEASED="20/06/2025", REASON_PLACED_CEASED="RD1"),
        placed_adoption(DATE_PLACED="02/07/2025")]),
     lambda: _adopted(decisions=[
        placed_adoption(DATE_PLACED="01/06/2025", DATE_PLACED_CEASED="20/06/2025", REASON_PLACED_CEASED="RD1"),
        placed_adoption(DATE_PLACED="01/07/2025")]), table="AD1")
case("525", lambda: _adopted(decisions=[placed_adoption(DATE_PLACED_CEASED="01/12/2025",
                                                        REASON_PLACED_CEASED="RD4")]),
     lambda: _adopted(decisions=[placed_adoption()]), table="AD1")
case("582", lambda: _adopted(ad1_row={"DATE_MATCH": "01/03/2026"}),
     lambda: _adopted(ad1_row={"DATE_MATCH": "01/10/2025"}), table="Episodes", rows={2})
case("601", lambda: _adopted(ad1_row={"FOSTER_CARE": ""}), lambda: _adopted(ad1_row={"FOSTER_CARE": "0"}),
     table="AD1")
case("601 no AD1 row", lambda: _return({"Episodes": _adoption_episodes(), "PlacedAdoption": [placed_adoption()]}),
     lambda: _adopted(), table="Episodes", rows={2})
case("602", lambda: _adopted(episodes=_adoption_episodes(rec="E4A")), lambda: _adopted(), table="AD1")


# ------------------------------------------------------------------------------------ PlacedAdoption

case("117", lambda: _decisions(placed_adoption(DATE_PLACED="01/04/2026")),
     lambda: _decisions(placed_adoption(DATE_PLACED="31/03/2026")), table="PlacedAdoption")


def _went_home(ceased: str) -> Return903:
    """C1 went home on 1 December 2025; the decision was reversed on ``ceased``."""
    return _decisions(placed_adoption(DATE_PLACED_CEASED=ceased, REASON_PLACED_CEASED="RD1"),
                      Episodes=[episode(DEC="01/12/2025", REC="E4A")])


case("117 after care ended", lambda: _went_home("10/12/2025"), lambda: _went_home("01/12/2025"),
     table="PlacedAdoption")


def _reversed_in(ceased: str, *, care_began: str = "10/05/2024") -> Return903:
    return _decisions(placed_adoption(DATE_PLACED="01/02/2025", DATE_PLACED_CEASED=ceased,
                                      REASON_PLACED_CEASED="RD1"),
                      Episodes=[episode(DECOM=care_began)])


case("118", lambda: _reversed_in("15/03/2025"), lambda: _reversed_in("15/04/2025"), table="PlacedAdoption")
case("118 before care began", lambda: _reversed_in("01/05/2025", care_began="10/05/2025"),
     lambda: _reversed_in("01/06/2025", care_began="10/05/2025"), table="PlacedAdoption")
case("119", lambda: _decisions(placed_adoption(DATE_PLACED_CEASED="31/01/2026")),
     lambda: _decisions(placed_adoption(DATE_PLACED_CEASED="31/01/2026", REASON_PLACED_CEASED="RD3")),
     table="PlacedAdoption")
case("184", lambda: _decisions(placed_adoption(DATE_PLACED="31/05/2012")),
     lambda: _decisions(placed_adoption(DATE_PLACED="01/06/2012")), table="PlacedAdoption")
case("522", lambda: _decisions(placed_adoption(DATE_PLACED_CEASED="30/06/2025", REASON_PLACED_CEASED="RD1")),
     lambda: _decisions(placed_adoption(DATE_PLACED_CEASED="01/07/2025", REASON_PLACED_CEASED="RD1")),
     table="PlacedAdoption")
case("563", lambda: _decisions(placed_adoption(DATE_PLACED="", DATE_PLACED_CEASED="01/12/2025",
                                               REASON_PLACED_CEASED="RD1")),
     lambda: _decisions(placed_adoption(DATE_PLACED_CEASED="01/12/2025", REASON_PLACED_CEASED="RD1")),
     table="PlacedAdoption")


def _two_decisions(ceased: str) -> Return903:
    return _decisions(placed_adoption(DATE_PLACED="01/07/2025", DATE_PLACED_CEASED=ceased,
                                      REASON_PLACED_CEASED="RD3" if ceased else ""),
                      placed_adoption(DATE_PLACED="01/10/2025"))


case("579", lambda: _two_decisions(""), lambda: _two_decisions("15/09/2025"), table="PlacedAdoption", rows={1})
case("579 overlap", lambda: _two_decisions("15/10/2025"), lambda: _two_decisions("01/10/2025"),
     table="PlacedAdoption", rows={1})
case("583", lambda: _two_decisions(""), lambda: _two_decisions("15/09/2025"), table="PlacedAdoption")
case("1003", lambda: _decisions(placed_adoption(DATE_PLACED="09/05/2025"), Episodes=[episode()]),
     lambda: _decisions(placed_adoption(DATE_PLACED="10/05/2025"), Episodes=[episode()]),
     table="PlacedAdoption")
case("551", lambda: _adopted(decisions=[]), lambda: _adopted(), table="Episodes", rows={2})
case("552", lambda: _adopted(decisions=[placed_adoption(DATE_PLACED="02/11/2025")]),
     lambda: _adopted(decisions=[placed_adoption(DATE_PLACED="01/11/2025")]), table="PlacedAdoption")


def _placement_order(decisions: list[Row], *, open_order: bool = False) -> Return903:
    """C1 under a placement order from 1 August 2025, in foster care."""
    order = episode(DECOM="01/08/2025", RNE="L", LS="E1", DEC="" if open_order else "01/11/2025",
                    REC="" if open_order else "X1", REASON_PLACE_CHANGE="" if open_order else "CARPL")
    rows = [episode(DEC="01/08/2025", REC="X1"), order]
    if not open_order:
        rows.append(episode(DECOM="01/11/2025", RNE="P", LS="E1", PLACE="U6"))
    return _decisions(*decisions, Episodes=rows)


case("553", lambda: _placement_order([]), lambda: _placement_order([placed_adoption()]), table="Episodes",
     rows={1})
case("553 reversed", lambda: _placement_order([placed_adoption(DATE_PLACED_CEASED="01/12/2025",
                                                               REASON_PLACED_CEASED="RD4")], open_order=True),
     lambda: _placement_order([placed_adoption()], open_order=True), table="PlacedAdoption")
case("554", lambda: _placement_order([placed_adoption(DATE_PLACED="02/08/2025")]),
     lambda: _placement_order([placed_adoption(DATE_PLACED="01/08/2025")]), table="PlacedAdoption")
case("557", lambda: _adopted(episodes=_adoption_episodes(rec="E4A"), decisions=[placed_adoption()]),
     lambda: _adopted(episodes=_adoption_episodes(rec="E4A"), decisions=[placed_adoption(
         DATE_PLACED_CEASED="01/03/2026", REASON_PLACED_CEASED="RD1")]), table="Episodes", rows={2})
case("558", lambda: _adopted(decisions=[placed_adoption(DATE_PLACED_CEASED="01/02/2026",
                                                        REASON_PLACED_CEASED="RD4")]),
     lambda: _adopted(decisions=[placed_adoption()]), table="PlacedAdoption")


# --------------------------------------------------------------------- PlacedAdoption against last year

def _carried(this_year: Row, *last_year: Row) -> Return903:
    return _return({"PlacedAdoption": [this_year], "Episodes": [episode(DECOM="10/05/2024")]},
                   previous=_last_year(*last_year))


case("559", lambda: _carried(placed_adoption(DATE_PLACED="01/02/2025")),
     lambda: _carried(placed_adoption(DATE_PLACED="01/02/2025"), placed_adoption(DATE_PLACED="01/02/2025")),
     table="PlacedAdoption")
case("560", lambda: _carried(placed_adoption(DATE_PLACED="03/02/2025"), placed_adoption(DATE_PLACED="01/02/2025")),
     lambda: _carried(placed_adoption(DATE_PLACED="01/02/2025"), placed_adoption(DATE_PLACED="01/02/2025")),
     table="PlacedAdoption")
_REVERSED_LAST_YEAR = placed_adoption(DATE_PLACED="01/02/2025", DATE_PLACED_CEASED="01/03/2025",
                                      REASON_PLACED_CEASED="RD1")
case("561", lambda: _carried(placed_adoption(DATE_PLACED="01/02/2025"), _REVERSED_LAST_YEAR),
     lambda: _carried(placed_adoption(DATE_PLACED="01/06/2025"), _REVERSED_LAST_YEAR), table="PlacedAdoption")
case("584", lambda: _carried(placed_adoption(DATE_PLACED="01/01/2025"), _REVERSED_LAST_YEAR),
     lambda: _carried(placed_adoption(DATE_PLACED="01/06/2025"), _REVERSED_LAST_YEAR), table="PlacedAdoption")


# ------------------------------------------------------------------------------------------ PrevPerm

def _entered_care(*rows: Row, began: str = "10/05/2025") -> Return903:
    return _return({"Episodes": [episode(DECOM=began)], "PrevPerm": list(rows)})


case("630", lambda: _entered_care(), lambda: _entered_care(prev_perm()), table="Episodes")
case("630 order details", lambda: _entered_care(prev_perm(PREV_PERM="P2")),
     lambda: _entered_care(prev_perm(PREV_PERM="P2", LA_PERM="892", DATE_PERM="01/01/2020")), table="Episodes")
# Not known: LA_PERM 999 and a DATE_PERM of ZZ/ZZ/ZZZZ, rather than blanks.
case("630 not known", lambda: _entered_care(prev_perm(PREV_PERM="P4")),
     lambda: _entered_care(prev_perm(PREV_PERM="P4", LA_PERM="999", DATE_PERM="ZZ/ZZ/ZZZZ")), table="Episodes")
case("630 blank code", lambda: _entered_care(prev_perm(PREV_PERM="")), lambda: _entered_care(prev_perm()),
     table="Episodes")


def _order_on(day: str, *, began: str = "10/05/2025") -> Return903:
    return _entered_care(prev_perm(PREV_PERM="P2", LA_PERM="892", DATE_PERM=day), began=began)


case("632", lambda: _order_on("2019-01-01"), lambda: _order_on("01/01/2019"), table="PrevPerm")
case("632 after care began", lambda: _order_on("10/05/2025"), lambda: _order_on("09/05/2025"), table="PrevPerm")
case("632 unknown day", lambda: _order_on("ZZ/05/2025"), lambda: _order_on("ZZ/04/2025"), table="PrevPerm")
case("632 unknown month", lambda: _order_on("ZZ/ZZ/2025"), lambda: _order_on("ZZ/ZZ/2024"), table="PrevPerm")
case("632 unknown year", lambda: _order_on("ZZ/ZZ/ZZ"), lambda: _order_on("ZZ/ZZ/ZZZZ"), table="PrevPerm")
case("632 no such day", lambda: _order_on("31/04/ZZZZ"), lambda: _order_on("30/04/ZZZZ"), table="PrevPerm")
case("634", lambda: _entered_care(prev_perm(), began="31/03/2016"),
     lambda: _entered_care(prev_perm(), began="01/04/2016"), table="PrevPerm")
case("635", lambda: _entered_care(prev_perm(LA_PERM="892")), lambda: _entered_care(prev_perm()),
     table="PrevPerm")
case("635 blank code", lambda: _entered_care(prev_perm(PREV_PERM="", DATE_PERM="01/01/2020")),
     lambda: _entered_care(prev_perm(PREV_PERM="P2", DATE_PERM="01/01/2020")), table="PrevPerm")


# ----------------------------------------------------------------------------------------------- the tests

ALL_CASES = {**CASES, **MORE_CASES}


@pytest.mark.parametrize("name", sorted(ALL_CASES))
def test_failing_case_is_found_on_the_right_row_and_passing_case_is_clean(name: str) -> None:
    code = name.split(" ")[0]
    failing, passing = ALL_CASES[name]
    found = run_rule_903(code, failing())
    assert found, f"{name}: the failing case gave no finding"
    table, rows = EXPECTED[name]
    assert {(f.child, f.table) for f in found} == {("C1", table)}
    assert {f.row for f in found} == rows
    assert run_rule_903(code, passing()) == []


@pytest.mark.parametrize("year", SSDA903_YEARS)
def test_each_case_holds_in_every_year_the_rule_runs(year: int) -> None:
    """The rules of this group read the same in 2024/25, 2025/26 and 2026/27 (one wording, one code set); the
    cases, dated 2025/26, are moved whole into each year (but 634's, whose 1 April 2016 stays put)."""
    shift = year - 2026
    for name, (failing, passing) in sorted(ALL_CASES.items()):
        code = name.split(" ")[0]
        assert code in specs_903(year), code
        if code == "634":
            continue
        assert run_rule_903(code, _moved(failing(), shift)), name
        assert run_rule_903(code, _moved(passing(), shift)) == [], name


def _moved(ret: Return903, years: int) -> Return903:
    def move(value: str) -> str:
        if len(value) == 10 and value[2] == "/" and value[5] == "/" and value[6:].isdigit():
            return f"{value[:6]}{int(value[6:]) + years}"
        return value

    def tables(r: Return903) -> dict[str, list[Row]]:
        return {name: [{k: move(v) for k, v in row.items()} for row in rows] for name, rows in r.tables.items()}

    previous = Return903(year=ret.previous.year + years, tables=tables(ret.previous)) if ret.previous else None
    return Return903(year=ret.year + years, tables=tables(ret), previous=previous)


def test_this_group_implements_or_explains_each_of_its_codes() -> None:
    for code in CODES:
        assert (code in CASES) != (code in NOT_IMPLEMENTED), code
        assert (code in RULES_903) == (code in CASES), code
        assert any(code in specs_903(year) for year in SSDA903_YEARS), code
    assert set(CASES) == set(CODES)


def test_queries_are_the_rules_dfe_asks_to_check() -> None:
    assert {code for code in CODES if RULES_903[code].severity == "query"} == {"554", "582"}
    [finding] = run_rule_903("554", CASES["554"][0]())
    assert finding.severity == "query" and not finding.is_error


def test_cross_year_rules_wait_for_last_years_return() -> None:
    assert {code for code in CODES if RULES_903[code].needs_previous} == {"559", "560", "561", "584"}


def test_a_finding_carries_the_rule_lists_message_and_fields() -> None:
    [finding] = run_rule_903("523", CASES["523"][0]())
    assert finding.message.startswith("Date of decision that the child should be placed for adoption should be")
    assert finding.fields == ("DATE_INT", "DATE_PLACED")
    assert finding.value == "02/07/2025"


def test_a_clean_adoption_passes_every_rule_of_the_group() -> None:
    ret = _adopted()
    ret.previous = _last_year()
    assert [f for code in CODES for f in run_rule_903(code, ret)] == []


_VALUES = st.one_of(st.sampled_from(["", "0", "1", "2", "E1", "E12", "X1", "A6", "U4", "S", "L", "M1", "MF", "L0",
                                     "L11", "RD1", "Z1", "P2", "892", "999", "ZZ/ZZ/ZZZZ", "ZZ/05/2020",
                                     "01/07/2025", "31/03/2026", "10/05/2015", "30/02/2026", "1/1/25"]),
                    st.text(max_size=12))


def _rows(table: str) -> st.SearchStrategy[list[Row]]:
    row = st.fixed_dictionaries({c: _VALUES for c in columns(table) if c != "CHILD"})
    return st.lists(row.map(lambda r: {"CHILD": "C1", **r}), max_size=4)


@settings(max_examples=150, deadline=None)
@given(episodes=_rows("Episodes"), ad1_rows=_rows("AD1"), decisions=_rows("PlacedAdoption"),
       prev=_rows("PrevPerm"), last_year=_rows("PlacedAdoption"))
def test_no_rule_of_the_group_fails_on_any_data(episodes: list[Row], ad1_rows: list[Row], decisions: list[Row],
                                                prev: list[Row], last_year: list[Row]) -> None:
    """Whatever a file holds, each rule reports rows that exist (or nothing) and never raises."""
    tables = {"Header": [header()], "Episodes": episodes, "AD1": ad1_rows, "PlacedAdoption": decisions,
              "PrevPerm": prev}
    ret = make_return(year=2026, previous=make_return(year=2025, PlacedAdoption=last_year), **tables)
    for code in CODES:
        for finding in run_rule_903(code, ret):
            assert finding.row is not None and 0 <= finding.row < len(tables[finding.table]), code
