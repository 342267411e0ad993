"""SSDA903 rules on Episodes, codes 141 to 383 (group B1): a failing and a passing case for each rule.

Each case builds the episodes of child C1 twice: as recorded wrongly, and with the one thing put right. A
second child, C9, with one clean episode, sits beside C1 in every return so a finding must name the right
child and row.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hearth.returns.rules.base import RULES_903, Return903, run_rule_903, specs_903
from hearth.returns.rules.ssda903_episodes_1 import NOT_IMPLEMENTED, placed_outside_england
from hearth.returns.ssda903_columns import columns
from hearth.returns.years import SSDA903_YEARS, collection_period
from tests.returns.factories import Row, episode, make_return

Builder = Callable[[], Return903]
Case = tuple[Builder, Builder]

CASES: dict[str, Case] = {}
# Further cases (a year's own behaviour, a second way to break a rule), keyed "<code> <what>".
MORE_CASES: dict[str, Case] = {}
# The rows of C1 the failing case must report; row 0 when not given.
FLAGGED: dict[str, set[int]] = {}


def _bystander(year: int) -> Row:
    start = collection_period(year)[0]
    return episode(CHILD="C9", DECOM=date(start.year, 5, 10).strftime("%d/%m/%Y"))


def _return(episodes: list[Row], *, year: int = 2026, previous: Return903 | None = None) -> Return903:
    return make_return(year=year, previous=previous, Episodes=[*episodes, _bystander(year)])


def case(name: str, *, rows: set[int] | None = None, year: int = 2026) -> Callable[[Callable[[bool], list[Row]]],
                                                                                 Callable[[bool], list[Row]]]:
    """Register ``build(put_right)`` (C1's episodes, wrong or put right) under ``name``: the rule code, or
    "<code> <what>" for a further case."""

    def register(build: Callable[[bool], list[Row]]) -> Callable[[bool], list[Row]]:
        target = CASES if " " not in name else MORE_CASES
        target[name] = (lambda: _return(build(False), year=year), lambda: _return(build(True), year=year))
        FLAGGED[name] = rows if rows is not None else {0}
        return build

    return register


def _moved(first: dict[str, str], *rest: dict[str, str]) -> list[Row]:
    """Consecutive episodes of C1: each ends (X1) the day the next begins."""
    specs = [first, *rest]
    rows = []
    for n, spec in enumerate(specs):
        values = dict(spec)
        if n + 1 < len(specs):
            values.setdefault("DEC", specs[n + 1]["DECOM"])
            values.setdefault("REC", "X1")
            values.setdefault("REASON_PLACE_CHANGE", "CARPL")
        rows.append(episode(**values))
    return rows


# ------------------------------------------------------------------------------------------ codes and dates


@case("141")
def _141(put_right: bool) -> list[Row]:
    return [episode(DECOM="28/02/2026" if put_right else "30/02/2026")]


@case("141 blank")
def _141_blank(put_right: bool) -> list[Row]:
    return [episode(DECOM="10/05/2025" if put_right else "")]


@case("143")
def _143(put_right: bool) -> list[Row]:
    return [episode(RNE="S" if put_right else "s")]


@case("143 blank")
def _143_blank(put_right: bool) -> list[Row]:
    return [episode(RNE="S" if put_right else "")]


@case("144")
def _144(put_right: bool) -> list[Row]:
    return [episode(LS="C2" if put_right else "C3")]


@case("145")
def _145(put_right: bool) -> list[Row]:
    return [episode(CIN="N1" if put_right else "N9")]


@case("146")
def _146(put_right: bool) -> list[Row]:
    # Z1 was split into Z11 to Z14 from 2025/26.
    return [episode(PLACE="Z11" if put_right else "Z1", PLACE_PROVIDER="", URN="")]


@case("146 2024/25 retired H5 and P2", year=2025)
def _146_2025(put_right: bool) -> list[Row]:
    return [episode(DECOM="10/05/2024", PLACE="Z1" if put_right else "P2", PLACE_PROVIDER="", URN="")]


@case("146 2024/25 K3", year=2025)
def _146_2025_k3(put_right: bool) -> list[Row]:
    return [episode(DECOM="10/05/2024", PLACE="K3" if put_right else "k3")]


@case("147")
def _147(put_right: bool) -> list[Row]:
    return [episode(DEC="31/01/2026" if put_right else "32/01/2026", REC="E4A")]


@case("148")
def _148(put_right: bool) -> list[Row]:
    return [episode(DEC="31/01/2026", REC="E4A" if put_right else "")]


@case("148 reason without date")
def _148_reason(put_right: bool) -> list[Row]:
    return [episode(REC="" if put_right else "E4A")]


@case("149")
def _149(put_right: bool) -> list[Row]:
    # E43 and E44 were replaced by E45 to E48 from 2018/19.
    return [episode(DEC="31/01/2026", REC="E45" if put_right else "E43")]


@case("178")
def _178(put_right: bool) -> list[Row]:
    return [episode(PLACE_PROVIDER="PR4" if put_right else "PR6")]


@case("178 temporary placement")
def _178_temporary(put_right: bool) -> list[Row]:
    return [episode(RNE="P", PLACE="T1", PLACE_PROVIDER="" if put_right else "PR1", URN="")]


@case("178 2024/25 T4", year=2025)
def _178_2025(put_right: bool) -> list[Row]:
    return [episode(DECOM="10/05/2024", RNE="P", PLACE="T4", PLACE_PROVIDER="" if put_right else "PR1", URN="")]


@case("353")
def _353(put_right: bool) -> list[Row]:
    return [episode(DECOM="14/10/1991" if put_right else "13/10/1991")]


@case("354")
def _354(put_right: bool) -> list[Row]:
    return [episode(DECOM="31/03/2026" if put_right else "01/04/2026")]


@case("355")
def _355(put_right: bool) -> list[Row]:
    return [episode(DEC="11/05/2025" if put_right else "10/05/2025", REC="E4A")]


@case("356")
def _356(put_right: bool) -> list[Row]:
    return [episode(DEC="11/05/2025" if put_right else "09/05/2025", REC="E4A")]


# ------------------------------------------------------------------------------------ sequence of episodes


@case("142")
def _142(put_right: bool) -> list[Row]:
    first = episode(DEC="01/09/2025", REC="X1", REASON_PLACE_CHANGE="CARPL") if put_right else episode()
    return [first, episode(DECOM="01/09/2025", RNE="P", PLACE="U6")]


@case("142 reason missing")
def _142_reason(put_right: bool) -> list[Row]:
    first = episode(DEC="01/09/2025", REC="X1" if put_right else "", REASON_PLACE_CHANGE="CARPL")
    return [first, episode(DECOM="01/09/2025", RNE="P", PLACE="U6")]


@case("199", rows={1})
def _199(put_right: bool) -> list[Row]:
    # Adopted, then in care again under the same identifier.
    return [episode(PLACE="A5", RNE="S", DEC="01/08/2025", REC="E4A" if put_right else "E11"),
            episode(DECOM="01/10/2025")]


def _199_last_year(put_right: bool) -> Return903:
    last = make_return(year=2025, Episodes=[episode(DECOM="10/05/2024", PLACE="A5", DEC="01/08/2024",
                                                    REC="E4A" if put_right else "E12")])
    return _return([episode(DECOM="01/10/2025")], previous=last)


MORE_CASES["199 adopted last year"] = (lambda: _199_last_year(False), lambda: _199_last_year(True))
FLAGGED["199 adopted last year"] = {0}


@case("225")
def _225(put_right: bool) -> list[Row]:
    return _moved({"DECOM": "10/05/2025", "REASON_PLACE_CHANGE": "CARPL" if put_right else ""},
                  {"DECOM": "01/09/2025", "RNE": "P", "PLACE": "U6"})


@case("226", rows={1})
def _226(put_right: bool) -> list[Row]:
    # The foster placement is left for a temporary one, so it carries no reason for change.
    return _moved({"DECOM": "10/05/2025", "REASON_PLACE_CHANGE": "" if put_right else "CARPL"},
                  {"DECOM": "01/08/2025", "RNE": "P", "PLACE": "T3", "PLACE_PROVIDER": "", "URN": "",
                   "REASON_PLACE_CHANGE": ""},
                  {"DECOM": "10/08/2025", "RNE": "P"})


@case("226 on the temporary placement", rows={1})
def _226_own(put_right: bool) -> list[Row]:
    return _moved({"DECOM": "10/05/2025", "REASON_PLACE_CHANGE": ""},
                  {"DECOM": "01/08/2025", "RNE": "P", "PLACE": "T3", "PLACE_PROVIDER": "", "URN": "",
                   "REASON_PLACE_CHANGE": "" if put_right else "CARPL"},
                  {"DECOM": "10/08/2025", "RNE": "P"})


@case("336", rows={1})
def _336(put_right: bool) -> list[Row]:
    return _moved({"DECOM": "10/05/2025", "PLACE": "U4" if put_right else "K2"},
                  {"DECOM": "01/09/2025", "RNE": "U", "LS": "E1", "PLACE": "A5"})


@case("357")
def _357(put_right: bool) -> list[Row]:
    return [episode(RNE="S" if put_right else "P")]


@case("361")
def _361(put_right: bool) -> list[Row]:
    return [episode(LS="L1", DEC="13/05/2025" if put_right else "14/05/2025", REC="E4A")]


@case("361 over two episodes", rows={0, 1})
def _361_spell(put_right: bool) -> list[Row]:
    return _moved({"DECOM": "10/05/2025", "LS": "L1", "REASON_PLACE_CHANGE": ""},
                  {"DECOM": "11/05/2025", "RNE": "P", "LS": "L1", "PLACE": "U6",
                   "DEC": "13/05/2025" if put_right else "14/05/2025", "REC": "E4A"})


@case("362")
def _362(put_right: bool) -> list[Row]:
    return [episode(LS="L2", DEC="31/05/2025" if put_right else "01/06/2025", REC="E4A")]


@case("362 still open at 31 March")
def _362_open(put_right: bool) -> list[Row]:
    return [episode(LS="L2", DECOM="20/03/2026" if put_right else "01/03/2026")]


@case("363")
def _363(put_right: bool) -> list[Row]:
    return [episode(LS="L3", DEC="17/05/2025" if put_right else "18/05/2025", REC="E4A")]


@case("364")
def _364(put_right: bool) -> list[Row]:
    return [episode(LS="J2", DEC="31/05/2025" if put_right else "01/06/2025", REC="E4A")]


# ------------------------------------------------------------------------------------- short breaks (V3, V4)


def _short_break(**values: str) -> Row:
    return episode(**{"LS": "V3", "CIN": "N2", "PL_POST": "", "URN": "", "REC": "E4A", **values})


@case("365")
def _365(put_right: bool) -> list[Row]:
    return [_short_break(DEC="27/05/2025" if put_right else "28/05/2025")]


@case("366")
def _366(put_right: bool) -> list[Row]:
    return [_short_break(DEC="12/05/2025", RNE="S" if put_right else "P")]


@case("367", rows={0, 1, 2, 3, 4})
def _367(put_right: bool) -> list[Row]:
    # Five breaks of 16 days are 80 days in the year; the last one shortened to 11 days makes 75.
    breaks = [("01/05/2025", "17/05/2025"), ("01/07/2025", "17/07/2025"), ("01/09/2025", "17/09/2025"),
              ("01/11/2025", "17/11/2025"), ("01/01/2026", "12/01/2026" if put_right else "17/01/2026")]
    return [_short_break(DECOM=start, DEC=end) for start, end in breaks]


@case("214")
def _214(put_right: bool) -> list[Row]:
    return [_short_break(DEC="12/05/2025", PL_POST="" if put_right else "NG5 1AA")]


@case("214 URN")
def _214_urn(put_right: bool) -> list[Row]:
    return [_short_break(DEC="12/05/2025", URN="" if put_right else "SC123456")]


@case("382")
def _382(put_right: bool) -> list[Row]:
    return [_short_break(DEC="12/05/2025", PLACE="U4" if put_right else "T2")]


# ------------------------------------------------------------------------------- placements and providers


@case("213")
def _213(put_right: bool) -> list[Row]:
    return [episode(RNE="P", PLACE="T1", URN="", PLACE_PROVIDER="" if put_right else "PR1")]


@case("213 Z12 from 2025/26")
def _213_z(put_right: bool) -> list[Row]:
    return [episode(PLACE="Z12", URN="", PLACE_PROVIDER="" if put_right else "PR4")]


@case("217")
def _217(put_right: bool) -> list[Row]:
    return _moved({"DECOM": "10/05/2025", "REASON_PLACE_CHANGE": "PLACE"},
                  {"DECOM": "01/09/2025", "LS": "E1", "PLACE": "A5", "RNE": "U" if put_right else "P"})[1:]


@case("218")
def _218(put_right: bool) -> list[Row]:
    return [episode(URN="SC123456" if put_right else "")]


@case("218 placed in Scotland")
def _218_scotland(put_right: bool) -> list[Row]:
    return [episode(URN="", PL_POST="EH1 1AA" if put_right else "NG5 1AA")]


@case("218 2024/25 K3", year=2025)
def _218_k3(put_right: bool) -> list[Row]:
    return [episode(DECOM="10/05/2024", PLACE="K3", PLACE_PROVIDER="PR4", URN="2600001" if put_right else "")]


@case("222")
def _222(put_right: bool) -> list[Row]:
    return [episode(PLACE="R1", PLACE_PROVIDER="PR3", URN="" if put_right else "SC123456")]


@case("222 Z13 from 2025/26")
def _222_z(put_right: bool) -> list[Row]:
    return [episode(PLACE="Z13", PLACE_PROVIDER="", URN="" if put_right else "SC123456")]


@case("233")
def _233(put_right: bool) -> list[Row]:
    return [episode(REASON_PLACE_CHANGE="" if put_right else "CARPL")]


@case("242")
def _242(put_right: bool) -> list[Row]:
    return [episode(PLACE="K2", PLACE_PROVIDER="PR4", URN="SC123456" if put_right else "XXXXXXX")]


@case("243")
def _243(put_right: bool) -> list[Row]:
    return [episode(PL_POST="CF10 1AA", URN="" if put_right else "SC123456")]


# ------------------------------------------------------------------------------------- temporary placements


def _temporary(**values: str) -> dict[str, str]:
    return {"RNE": "P", "PLACE_PROVIDER": "", "URN": "", "REASON_PLACE_CHANGE": "", **values}


@case("377", rows={1, 3, 5})
def _377(put_right: bool) -> list[Row]:
    # Three stays while the foster carer is on holiday within a year; the third put right as a short stay.
    return _moved({"DECOM": "10/05/2025", "REASON_PLACE_CHANGE": ""},
                  _temporary(DECOM="01/06/2025", PLACE="T3"), {"DECOM": "08/06/2025", "RNE": "P",
                                                               "REASON_PLACE_CHANGE": ""},
                  _temporary(DECOM="01/08/2025", PLACE="T3"), {"DECOM": "08/08/2025", "RNE": "P",
                                                               "REASON_PLACE_CHANGE": ""},
                  _temporary(DECOM="01/10/2025", PLACE="T4" if put_right else "T3"),
                  {"DECOM": "06/10/2025", "RNE": "P"})


@case("378")
def _378(put_right: bool) -> list[Row]:
    return [episode(PLACE="P1", PLACE_PROVIDER="PR0", URN="", LS="C2" if put_right else "V2")]


@case("380")
def _380(put_right: bool) -> list[Row]:
    return [episode(**_temporary(PLACE="T1", RNE="P" if put_right else "S"))]


@case("381")
def _381(put_right: bool) -> list[Row]:
    return _moved({"DECOM": "10/05/2025", "REASON_PLACE_CHANGE": ""},
                  _temporary(DECOM="01/08/2025", PLACE="T1", DEC="05/08/2025", REC="X1" if put_right else "E4A"),
                  {"DECOM": "05/08/2025", "RNE": "P"})[1:2]


@case("383", rows={2})
def _383(put_right: bool) -> list[Row]:
    # From 2025/26 the return must be to the same placement at the same postcode, reported on the return.
    return _moved({"DECOM": "10/05/2025", "REASON_PLACE_CHANGE": ""},
                  _temporary(DECOM="01/08/2025", PLACE="T3"),
                  {"DECOM": "15/08/2025", "RNE": "P", "PL_POST": "NG5 1AA" if put_right else "NG9 9ZZ"})


@case("383 2024/25", rows={1}, year=2025)
def _383_2025(put_right: bool) -> list[Row]:
    return _moved({"DECOM": "10/05/2024", "REASON_PLACE_CHANGE": ""},
                  _temporary(DECOM="01/08/2024", PLACE="T3"),
                  {"DECOM": "15/08/2024", "RNE": "P", "PLACE": "U4" if put_right else "U6"})


# ----------------------------------------------------------------------------------------------- the tests

ALL_CASES = {**CASES, **MORE_CASES}


@pytest.mark.parametrize("name", sorted(ALL_CASES))
def test_failing_case_is_found_on_the_right_row_and_passing_case_is_clean(name: str) -> None:
    code = name.split(" ")[0]
    failing, passing = ALL_CASES[name]
    found = run_rule_903(code, failing())
    assert found, f"{name}: the failing case gave no finding"
    assert {(f.child, f.table) for f in found} == {("C1", "Episodes")}
    assert {f.row for f in found} == FLAGGED[name]
    assert run_rule_903(code, passing()) == []


def test_this_group_implements_or_explains_each_of_its_codes() -> None:
    codes = ["141", "142", "143", "144", "145", "146", "147", "148", "149", "164", "169", "178", "179", "199",
             "213", "214", "217", "218", "219", "221", "222", "224", "225", "226", "227", "228", "229", "233",
             "241", "242", "243", "336", "353", "354", "355", "356", "357", "361", "362", "363", "364", "365",
             "366", "367", "377", "378", "380", "381", "382", "383"]
    for code in codes:
        assert (code in CASES) != (code in NOT_IMPLEMENTED), code
        assert (code in RULES_903) == (code in CASES), code
        assert any(code in specs_903(year) for year in SSDA903_YEARS), code


def test_severity_355_is_a_query_and_the_rest_errors() -> None:
    findings = run_rule_903("355", CASES["355"][0]())
    assert [f.severity for f in findings] == ["query"]
    assert all(RULES_903[code].severity == "error" for code in CASES if code != "355")


def test_rules_new_in_2025_26_are_not_in_the_2024_25_list() -> None:
    for code in ("233", "241", "242", "243"):
        assert code not in specs_903(2025) and code in specs_903(2026)


def test_a_finding_carries_the_years_message() -> None:
    [finding] = run_rule_903("226", _return(_226_own(False), year=2026))
    assert finding.message == "Reason for placement change is not required for temporary placements."
    [old] = run_rule_903("226", _return([{**row, "DECOM": row["DECOM"].replace("2025", "2024"),
                                          "DEC": row["DEC"].replace("2025", "2024")} for row in _226_own(False)],
                                        year=2025))
    assert old.message == "Reason for placement change is not required."


@pytest.mark.parametrize(("postcode", "outside"), [
    ("EH1 1AA", True), ("G2 1AA", True), ("BT1 1AA", True), ("CF10 1AA", True), ("JE2 3AB", True),
    ("NG5 1AA", False), ("GL1 1AA", False), ("SW1A 1AA", False), ("ch1 2ab", None), ("SY23 1AA", None),
    ("", None),
])
def test_placed_outside_england_reads_the_postcode_area(postcode: str, outside: bool | None) -> None:
    assert placed_outside_england(postcode) is outside


_VALUES = st.one_of(st.sampled_from(["", "X1", "T3", "V3", "L1", "P", "S", "U4", "A5", "XXXXXXX", "NG5 1AA",
                                     "EH1 1AA", "10/05/2025", "31/03/2026", "30/02/2026", "1/1/25"]),
                    st.text(max_size=12))
_EPISODE = st.fixed_dictionaries({column: _VALUES for column in columns("Episodes")
                                  if column != "CHILD"}).map(lambda row: {"CHILD": "C1", **row})


@settings(max_examples=150, deadline=None)
@given(rows=st.lists(_EPISODE, max_size=8), last_year=st.lists(_EPISODE, max_size=3))
def test_no_rule_of_the_group_fails_on_any_data(rows: list[Row], last_year: list[Row]) -> None:
    """Whatever a file holds, each rule reports rows of the return (or nothing) and never raises."""
    ret = make_return(year=2026, previous=make_return(year=2025, Episodes=last_year), Episodes=rows)
    for code in CASES:
        for finding in run_rule_903(code, ret):
            assert finding.table == "Episodes" and finding.row is not None and 0 <= finding.row < len(rows)
