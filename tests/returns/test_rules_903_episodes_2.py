"""SSDA903 rules on Episodes, codes 384 to NoE (group B2): a failing and a passing case for each rule,
the year differences, and a property: the episodes Hearth derives from well-formed timelines break none
of the rules on how episodes follow each other."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hearth.care.episodes import LegalStatusRow, Period, PlacementRow, derive_episodes
from hearth.returns.rules import ssda903_episodes_2
from hearth.returns.rules.base import RULES_903, Return903, specs_903
from hearth.returns.years import SSDA903_YEARS
from tests.returns.factories import episode, findings, make_return, review, uasc

Row = dict[str, str]
Builder = Callable[[], Return903]


def _ret(*rows: Row, year: int = 2026, previous: Return903 | None = None, **tables: list[Row]) -> Return903:
    """C1's episodes (the rows given), beside a child C9 whose one episode breaks nothing."""
    bystander = episode(CHILD="C9", DECOM=f"15/06/{year - 1}", HOME_POST="LS1 4AP", PL_POST="LS6 2QT",
                        URN="SC654321")
    return make_return(year=year, previous=previous, Episodes=[*rows, bystander], **tables)


def _moved(**second: str) -> list[Row]:
    """C1 changes episode on 1 August 2025: the first episode ends X1 that day, the second (as given)
    follows on."""
    values = {"DECOM": "01/08/2025", "RNE": "P", "PLACE": "U6", "PL_POST": "NG9 2AB", "URN": "SC765432"}
    values.update(second)
    return [episode(DEC="01/08/2025", REC="X1", REASON_PLACE_CHANGE="CARPL"), episode(**values)]


def _left(rec: str = "E4A", **second: str) -> list[Row]:
    """C1 leaves care on 1 August 2025 (``rec``), and a second episode (as given) begins later."""
    values = {"DECOM": "05/09/2025", "RNE": "S"}
    values.update(second)
    return [episode(DEC="01/08/2025", REC=rec), episode(**values)]


def _last_year(*rows: Row) -> Return903:
    return make_return(year=2025, Episodes=list(rows))


def _short_breaks(first: str, second: str) -> list[Row]:
    """Two short breaks for C1, in June and in September 2025, under the legal statuses given."""
    values = {"PLACE": "U6", "HOME_POST": "", "PL_POST": "", "RNE": "S"}
    return [episode(LS=first, DECOM="02/06/2025", DEC="05/06/2025", REC="E13", **values),
            episode(LS=second, DECOM="01/09/2025", DEC="04/09/2025", REC="E13", **values)]


def _placement_ended_for(reason: str) -> list[Row]:
    first, second = _moved()
    return [{**first, "REASON_PLACE_CHANGE": reason}, second]


OPEN_LAST_YEAR = episode(DECOM="10/05/2024")


def _carried(**this_year: str) -> Return903:
    """C1's episode open at 31 March 2025 continues into 2025/26 (with the values given)."""
    return _ret(episode(DECOM="10/05/2024", **this_year), previous=_last_year(OPEN_LAST_YEAR))


CASES: dict[str, tuple[Builder, Builder]] = {
    "384": (lambda: _ret(episode(LS="V3", PLACE="U4", HOME_POST="", PL_POST="")),
            lambda: _ret(episode(LS="V3", PLACE="U6", HOME_POST="", PL_POST=""))),
    "385": (lambda: _ret(episode(DEC="01/04/2026", REC="E4A")),
            lambda: _ret(episode(DEC="31/03/2026", REC="E4A"))),
    "388": (lambda: _ret(*_moved(DECOM="02/08/2025")),
            lambda: _ret(*_moved(DECOM="01/08/2025"))),
    "390": (lambda: _ret(episode(PLACE="U4", DEC="01/12/2025", REC="E11")),
            lambda: _ret(episode(PLACE="A4", DEC="01/12/2025", REC="E11"))),
    "392b": (lambda: _ret(episode(PL_POST="")),
             lambda: _ret(episode(PL_POST="NG5 1AA"))),
    "392c": (lambda: _ret(episode(HOME_POST="NG7 XYZ")),
             lambda: _ret(episode(HOME_POST="NG7 2BH"))),
    "392d": (lambda: _ret(episode(PL_POST="NG7 2BH")),
             lambda: _ret(episode(PL_POST="NG5 1AA"))),
    "398": (lambda: _ret(episode(LS="V3", PLACE="U6")),
            lambda: _ret(episode(LS="V3", PLACE="U6", HOME_POST="", PL_POST=""))),
    "406": (lambda: _ret(episode(), UASC=[uasc()]),
            lambda: _ret(episode(HOME_POST=""), UASC=[uasc()])),
    "408": (lambda: _ret(episode(LS="C2", PLACE="A5")),
            lambda: _ret(episode(LS="E1", PLACE="A5"))),
    "426": (lambda: _ret(*_short_breaks("V4", "V3")),
            lambda: _ret(*_short_breaks("V4", "V4"))),
    "431": (lambda: _ret(*_left(DECOM="01/08/2025")),
            lambda: _ret(*_left(DECOM="02/08/2025"))),
    "432": (lambda: _ret(*_left(RNE="P")),
            lambda: _ret(*_left(RNE="S"))),
    "433": (lambda: _ret(*_moved(DECOM="03/08/2025")),
            lambda: _ret(*_moved(DECOM="01/08/2025"))),
    "434": (lambda: _ret(*_moved(RNE="L", LS="C2", PLACE="U4", PL_POST="NG5 1AA", URN="SC123456")),
            lambda: _ret(*_moved(RNE="L", LS="E1", PLACE="U4", PL_POST="NG5 1AA", URN="SC123456"))),
    "435": (lambda: _ret(*_moved(PLACE="U4", PL_POST="NG5 1AA", URN="SC123456")),
            lambda: _ret(*_moved(PLACE="U4", PL_POST="NG5 1AA", URN="SC123456", PLACE_PROVIDER="PR4"))),
    "436": (lambda: _ret(*_moved(RNE="B", LS="C2")),
            lambda: _ret(*_moved(RNE="B", LS="E1"))),
    "437": (lambda: _ret(*_left("E15")),
            lambda: _ret(*_left("E4A"))),
    "446": (lambda: _ret(episode(DECOM="30/11/2005", LS="E1", PLACE="A5")),
            lambda: _ret(episode(DECOM="01/12/2005", LS="E1", PLACE="A5"))),
    "501": (lambda: _ret(*_moved(DECOM="20/07/2025")),
            lambda: _ret(*_moved(DECOM="01/08/2025"))),
    "502": (lambda: _ret(episode(DECOM="11/05/2024"), previous=_last_year(OPEN_LAST_YEAR)),
            lambda: _ret(episode(DECOM="10/05/2024"), previous=_last_year(OPEN_LAST_YEAR))),
    "503A": (lambda: _carried(RNE="P"), lambda: _carried(RNE="S")),
    "503B": (lambda: _carried(LS="C1"), lambda: _carried(LS="C2")),
    "503C": (lambda: _carried(CIN="N2"), lambda: _carried(CIN="N1")),
    "503D": (lambda: _carried(PLACE="U6"), lambda: _carried(PLACE="U4")),
    "503E": (lambda: _carried(PLACE_PROVIDER="PR4"), lambda: _carried(PLACE_PROVIDER="PR1")),
    "503F": (lambda: _carried(URN="SC654321"), lambda: _carried(URN="SC123456")),
    "504": (lambda: _ret(*_moved(CIN="N2")),
            lambda: _ret(*_moved(CIN="N1"))),
    "516": (lambda: _ret(episode(PLACE="K2", DEC="01/12/2025", REC="E45")),
            lambda: _ret(episode(PLACE="U1", DEC="01/12/2025", REC="E45"))),
    "526": (lambda: _ret(episode(PLACE_PROVIDER="")),
            lambda: _ret(episode(PLACE_PROVIDER="PR1"))),
    "527": (lambda: _ret(episode(PLACE="R2", PLACE_PROVIDER="PR1")),
            lambda: _ret(episode(PLACE="R2", PLACE_PROVIDER="PR3"))),
    "528": (lambda: _ret(episode(PLACE="R5", PLACE_PROVIDER="PR2")),
            lambda: _ret(episode(PLACE="R5", PLACE_PROVIDER="PR3"))),
    "529": (lambda: _ret(episode(PLACE_PROVIDER="PR3")),
            lambda: _ret(episode(PLACE_PROVIDER="PR1"))),
    "530": (lambda: _ret(episode(PLACE="P1", PLACE_PROVIDER="PR4", URN="")),
            lambda: _ret(episode(PLACE="P1", PLACE_PROVIDER="PR0", URN=""))),
    "531": (lambda: _ret(episode(PLACE="P1", PLACE_PROVIDER="PR5", URN="")),
            lambda: _ret(episode(PLACE="P1", PLACE_PROVIDER="PR0", URN=""))),
    "550": (lambda: _ret(episode(PLACE_PROVIDER="PR0")),
            lambda: _ret(episode(PLACE_PROVIDER="PR1"))),
    "562": (lambda: _ret(episode(DECOM="10/05/2024"), previous=_last_year(
                episode(DECOM="10/05/2024", DEC="01/02/2025", REC="X1"),
                episode(DECOM="01/02/2025", RNE="P", PLACE="U6"))),
            lambda: _ret(episode(DECOM="01/02/2025", RNE="P", PLACE="U6"), previous=_last_year(
                episode(DECOM="10/05/2024", DEC="01/02/2025", REC="X1"),
                episode(DECOM="01/02/2025", RNE="P", PLACE="U6")))),
    "1009": (lambda: _ret(*_placement_ended_for("MOVED")),
             lambda: _ret(*_placement_ended_for("CARPL"))),
    "1012": (lambda: make_return(Episodes=[episode(CHILD="C9")], Reviews=[review()]),
             lambda: make_return(Episodes=[episode(CHILD="C9"), episode()], Reviews=[review()])),
    "NoE": (lambda: _ret(OPEN_LAST_YEAR, previous=_last_year(episode(CHILD="C8", DECOM="10/05/2024"))),
            lambda: _ret(OPEN_LAST_YEAR, previous=_last_year(episode(CHILD="C8", DECOM="10/05/2024"),
                                                            OPEN_LAST_YEAR))),
}

# Where the failing case's finding is: the table, and the rows of C1's that break the rule.
WHERE: dict[str, tuple[str, list[int]]] = {
    "388": ("Episodes", [0]), "426": ("Episodes", [0, 1]), "437": ("Episodes", [0]),
    "1012": ("Reviews", [0]),
}
for _code in ("431", "432", "433", "434", "435", "436", "501", "504"):
    WHERE[_code] = ("Episodes", [1])


@pytest.mark.parametrize("code", sorted(CASES))
def test_failing_case_is_found_on_the_right_row_and_the_passing_case_is_clean(code: str) -> None:
    failing, passing = CASES[code]
    found = findings(code, failing())
    assert found, f"{code}: the failing case gives no finding"
    table, rows = WHERE.get(code, ("Episodes", [0]))
    assert {(f.child, f.table) for f in found} == {("C1", table)}
    assert sorted(f.row for f in found if f.row is not None) == rows
    assert all(f.message for f in found)
    assert findings(code, passing()) == []


def test_every_code_of_the_group_is_implemented_or_explained_and_none_is_both() -> None:
    group = ("384", "385", "388", "390", "392a", "392b", "392c", "392d", "398", "406", "408", "411", "420", "426",
             "431", "432", "433", "434", "435", "436", "437", "446", "452", "453", "454", "501", "502", "503A",
             "503B", "503C", "503D", "503E", "503F", "503G", "503H", "503J", "504", "516", "526", "527", "528",
             "529", "530", "531", "550", "562", "1008", "1009", "1012", "1015", "NoE")
    listed = set().union(*(specs_903(year) for year in SSDA903_YEARS))
    for code in group:
        assert code in listed
        assert (code in RULES_903) != (code in ssda903_episodes_2.NOT_IMPLEMENTED), code
        assert code in CASES or code in ssda903_episodes_2.NOT_IMPLEMENTED, code


def test_454_is_only_in_the_lists_from_2025_26() -> None:
    assert "454" not in specs_903(2025) and "454" in specs_903(2026) and "454" in specs_903(2027)


@pytest.mark.parametrize("year", SSDA903_YEARS)
def test_rules_run_in_every_year_with_that_years_message(year: int) -> None:
    ret = make_return(year=year, Episodes=[episode(DECOM=f"10/05/{year - 1}", PLACE_PROVIDER="PR0")])
    [found] = findings("550", ret)
    assert found.message == specs_903(year)["550"].message
    assert found.severity == "error"


# ------------------------------------------------------------------------------ finer points, by rule


def test_388_a_reason_other_than_x1_cannot_be_followed_the_same_day():
    found = findings("388", _ret(*_left("E4A", DECOM="01/08/2025")))
    assert [(f.child, f.row) for f in found] == [("C1", 0)]


def test_388_the_last_episode_cannot_end_x1():
    found = findings("388", _ret(episode(DEC="01/08/2025", REC="X1")))
    assert [(f.child, f.row) for f in found] == [("C1", 0)]
    assert findings("388", _ret(episode(DEC="01/08/2025", REC="E4A"))) == []


def test_388_and_others_skip_an_unreadable_date_rather_than_guess():
    rows = [episode(DEC="1 Aug 2025", REC="X1"), episode(DECOM="01/08/2025", RNE="P", PLACE="U6", PL_POST="NG9 2AB")]
    for code in ("385", "388", "431", "433", "501", "504"):
        assert findings(code, _ret(*rows)) == [], code
    unreadable_start = [episode(DEC="01/08/2025", REC="X1"), episode(DECOM="2025-08-01", RNE="P", PLACE="U6")]
    for code in ("388", "433", "434", "435", "501", "562"):
        assert [f.row for f in findings(code, _ret(*unreadable_start))] == ([0] if code == "388" else []), code


def test_392b_short_breaks_and_uasc_children_need_no_postcodes():
    assert findings("392b", _ret(episode(LS="V4", PLACE="U6", HOME_POST="", PL_POST=""))) == []
    assert findings("392b", _ret(episode(HOME_POST=""), UASC=[uasc()])) == []
    formerly = make_return(year=2025, UASC=[uasc()])
    assert findings("392b", _ret(episode(HOME_POST=""), previous=formerly)) == []
    [found] = findings("392b", _ret(episode(HOME_POST="")))
    assert found.fields == ("HOME_POST",) and found.severity == "query"


def test_392c_accepts_any_well_formed_postcode_and_names_the_bad_field():
    for good in ("NG72BH", "ng7 2bh", "W1A 1AA", "EC1A 1BB", "M1 1AE", "B33 8TH", "CR2 6XH", "DN55 1PT"):
        assert findings("392c", _ret(episode(PL_POST=good))) == [], good
    for bad in ("NG7", "NG7 2B", "12345", "NG7 2BHX", "N G7 2BH!"):
        [found] = findings("392c", _ret(episode(PL_POST=bad)))
        assert found.fields == ("PL_POST",), bad
        assert found.value == ""  # a postcode is never echoed into a finding


def test_392d_placed_with_parents_may_share_the_home_postcode():
    assert findings("392d", _ret(episode(PLACE="P1", PLACE_PROVIDER="PR0", URN="", PL_POST="NG7 2BH"))) == []
    assert len(findings("392d", _ret(episode(PL_POST="ng72bh")))) == 1


def test_406_uses_last_years_uasc_table_too():
    formerly = make_return(year=2025, UASC=[uasc()])
    assert len(findings("406", _ret(episode(), previous=formerly))) == 1
    assert findings("406", _ret(episode())) == []


def test_426_one_kind_of_short_break_is_fine():
    assert findings("426", _ret(*_short_breaks("V3", "V3"))) == []
    assert [f.row for f in findings("426", _ret(*_short_breaks("V3", "V4")))] == [0, 1]


def test_433_an_earlier_episode_left_open_is_no_end_date():
    rows = [episode(), episode(DECOM="01/08/2025", RNE="P", PLACE="U6", PL_POST="NG9 2AB")]
    assert [f.row for f in findings("433", _ret(*rows))] == [1]
    assert [f.row for f in findings("501", _ret(*rows))] == [1]


def test_434_a_legal_status_change_must_keep_the_placement():
    found = findings("434", _ret(*_moved(RNE="L", LS="E1")))  # placement changed too
    assert [f.row for f in found] == [1]


def test_435_a_placement_change_must_keep_the_legal_status():
    found = findings("435", _ret(*_moved(LS="E1")))
    assert [f.row for f in found] == [1]
    assert findings("435", _ret(*_moved(RNE="T"))) == []


def test_436_needs_the_placement_to_change_as_well():
    found = findings("436", _ret(*_moved(RNE="U", LS="E1", PLACE="U4", PL_POST="NG5 1AA", URN="SC123456")))
    assert [f.row for f in found] == [1]


def test_503_compares_only_with_an_episode_left_open_last_year():
    closed = episode(DECOM="10/05/2024", DEC="01/03/2025", REC="E4A")
    assert findings("503D", _ret(episode(DECOM="10/05/2024", PLACE="U6"), previous=_last_year(closed))) == []
    assert findings("502", _ret(episode(DECOM="01/05/2025"), previous=_last_year(closed))) == []


def test_503_without_last_years_return_does_not_run():
    from hearth.returns.rules.base import validate_903

    result = validate_903(_ret(episode()))
    for code in ("502", "503A", "503F", "562", "NoE"):
        assert code in result.not_run and code not in result.rules_run


@pytest.mark.parametrize(("year", "before", "now", "found"), [
    (2025, "H5", "K3", False),  # 2024/25 recoded semi-independent living (H5) as K3
    (2026, "H5", "K3", True),
    (2026, "Z1", "Z12", False),  # 2025/26 split Z1 into Z11 to Z14
    (2025, "Z1", "Z12", True),
    (2027, "Z1", "Z14", True),  # Z1 was no longer a code in 2025/26, so nothing open can carry it
])
def test_503d_allows_the_years_recoding_of_an_open_placement(year, before, now, found):
    last = make_return(year=year - 1, Episodes=[episode(DECOM=f"10/05/{year - 2}", PLACE=before)])
    provider = "" if now.startswith("Z") else "PR1"
    this = _ret(episode(DECOM=f"10/05/{year - 2}", PLACE=now, PLACE_PROVIDER=provider,
                        URN="" if now.startswith("Z") else "SC999999"), year=year, previous=last)
    assert bool(findings("503D", this)) is found
    # The recoded placement's provider and URN follow its new code's rules, not last year's.
    assert bool(findings("503E", this)) is (found and provider != "PR1")
    assert bool(findings("503F", this)) is found


@pytest.mark.parametrize(("year", "place"), [(2025, "T1"), (2025, "Z1"), (2026, "T4"), (2026, "Z11"), (2027, "Z14")])
def test_526_temporary_and_other_placements_have_no_provider(year, place):
    # Z1 until 2024/25, Z11 to Z14 after; a Z code of the wrong year is rule 146's (not a valid code).
    ret = _ret(episode(DECOM=f"10/05/{year - 1}", PLACE=place, PLACE_PROVIDER="", URN=""), year=year)
    assert findings("526", ret) == []


def test_562_and_noe_ignore_episodes_starting_this_year():
    last = _last_year(episode(CHILD="C8"))
    assert findings("562", _ret(episode(DECOM="01/04/2025"), previous=last)) == []
    assert findings("NoE", _ret(episode(DECOM="01/04/2025"), previous=last)) == []


@pytest.mark.parametrize("table", ["PlacedAdoption", "Missing", "Reviews", "AD1", "PrevPerm", "OC2"])
def test_1012_each_table_of_a_child_with_no_episodes(table):
    from tests.returns import factories

    maker = {"PlacedAdoption": factories.placed_adoption, "Missing": factories.missing, "Reviews": review,
             "AD1": factories.ad1, "PrevPerm": factories.prev_perm, "OC2": factories.oc2}[table]
    found = findings("1012", make_return(Episodes=[episode(CHILD="C9")], **{table: [maker(CHILD="C9"), maker()]}))
    assert [(f.child, f.table, f.row) for f in found] == [("C1", table, 1)]


# --------------------------------------------------------------- Hearth's own episodes keep the rules

SEQUENCE_RULES = ("388", "431", "432", "433", "434", "435", "436", "437", "501", "504")
START = date(2025, 4, 20)

CHANGE = st.tuples(
    st.sampled_from(["ls", "placement", "both"]),
    st.integers(min_value=1, max_value=40),  # days after the previous change
    st.booleans(),  # same carer
)


@given(changes=st.lists(CHANGE, max_size=12), end_after=st.one_of(st.none(), st.integers(1, 30)),
       reason=st.sampled_from(["E4A", "E11", "E13", "E8"]))
def test_episodes_derived_from_timelines_break_no_sequence_rule(changes, end_after, reason):
    statuses = ["C1", "C2", "E1"]
    places = ["U4", "U6", "K2", "R1"]
    status_rows: list[LegalStatusRow] = []
    placement_rows: list[PlacementRow] = []
    day, status_at, place_at, status_start, place_start, same = 0, 0, 0, 0, 0, False
    for n, (kind, gap, same_carer) in enumerate(changes):
        day += gap
        if kind in ("ls", "both"):
            status_rows.append(LegalStatusRow(statuses[status_at % 3], START + timedelta(status_start),
                                              START + timedelta(day), pk=n * 2 + 1))
            status_at, status_start = status_at + 1, day
        if kind in ("placement", "both"):
            placement_rows.append(PlacementRow(places[place_at % 4], START + timedelta(place_start),
                                               START + timedelta(day), provider="PR1", urn=f"SC{place_at:06d}",
                                               postcode=f"NG{place_at % 9 + 1} 1AA", same_carer_as_previous=same,
                                               reason_for_change="CARPL", pk=n * 2 + 2))
            place_at, place_start, same = place_at + 1, day, same_carer
    end = START + timedelta(day + end_after) if end_after is not None else None
    status_rows.append(LegalStatusRow(statuses[status_at % 3], START + timedelta(status_start), end, pk=1000))
    placement_rows.append(PlacementRow(places[place_at % 4], START + timedelta(place_start), end, provider="PR1",
                                       urn=f"SC{place_at:06d}", postcode=f"NG{place_at % 9 + 1} 1AA",
                                       same_carer_as_previous=same, pk=1001))
    period = Period(START, "N1", ended_on=end, reason_ceased=reason if end else "", home_postcode="NG7 2BH")
    rows = [e.as_903_row("C1") for e in derive_episodes(period, status_rows, placement_rows)]
    ret = make_return(Episodes=rows)
    for code in SEQUENCE_RULES:
        assert findings(code, ret) == [], (code, rows)
