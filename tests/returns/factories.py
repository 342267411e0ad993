"""Rows of a valid SSDA903 return for rule tests: every factory gives a row that passes on its own, and
keyword arguments override a column. A rule's failing case changes one thing; its passing case is the
same data with that thing put right (a passing case that could never fail proves nothing).

The default child C1 (born 1 June 2012) came into care on 10 May 2025 under a full care order, placed
with a council foster carer, and is still looked after at 31 March 2026 (collection year 2026).
"""

from __future__ import annotations

from hearth.returns.rules.base import Finding, Return903, run_rule_903
from hearth.returns.ssda903_columns import columns

Row = dict[str, str]


def _row(table: str, values: dict[str, str], overrides: dict[str, str]) -> Row:
    unknown = set(overrides) - set(columns(table))
    if unknown:
        raise KeyError(f"{table} has no column {sorted(unknown)}")
    row = {column: "" for column in columns(table)}
    row.update(values)
    row.update(overrides)
    return row


def header(**overrides: str) -> Row:
    return _row("Header", {"CHILD": "C1", "SEX": "M", "DOB": "01/06/2012", "ETHNIC": "WBRI",
                           "UPN": "A892101200001", "MOTHER": "", "MC_DOB": ""}, overrides)


def episode(**overrides: str) -> Row:
    return _row("Episodes", {"CHILD": "C1", "DECOM": "10/05/2025", "RNE": "S", "LS": "C2", "CIN": "N1",
                             "PLACE": "U4", "PLACE_PROVIDER": "PR1", "DEC": "", "REC": "",
                             "REASON_PLACE_CHANGE": "", "HOME_POST": "NG7 2BH", "PL_POST": "NG5 1AA",
                             "URN": "SC123456"}, overrides)


def review(**overrides: str) -> Row:
    return _row("Reviews", {"CHILD": "C1", "DOB": "01/06/2012", "REVIEW": "05/06/2025", "REVIEW_CODE": "PN1"},
                overrides)


def uasc(**overrides: str) -> Row:
    return _row("UASC", {"CHILD": "C1", "SEX": "M", "DOB": "01/06/2012", "DUC": "01/06/2030"}, overrides)


def oc2(**overrides: str) -> Row:
    return _row("OC2", {"CHILD": "C1", "DOB": "01/06/2012", "SDQ_SCORE": "12", "SDQ_REASON": "",
                        "CONVICTED": "0", "HEALTH_CHECK": "1", "IMMUNISATIONS": "1", "TEETH_CHECK": "1",
                        "HEALTH_ASSESSMENT": "1", "SUBSTANCE_MISUSE": "0", "INTERVENTION_RECEIVED": "",
                        "INTERVENTION_OFFERED": ""}, overrides)


def oc3(**overrides: str) -> Row:
    return _row("OC3", {"CHILD": "C1", "DOB": "01/06/2007", "IN_TOUCH": "YES", "ACTIV": "F2", "ACCOM": "D1"},
                overrides)


def ad1(**overrides: str) -> Row:
    return _row("AD1", {"CHILD": "C1", "DOB": "01/06/2012", "DATE_INT": "01/07/2025", "DATE_MATCH": "01/10/2025",
                        "FOSTER_CARE": "0", "NB_ADOPTR": "2", "SEX_ADOPTR": "MF", "LS_ADOPTR": "L11"}, overrides)


def placed_adoption(**overrides: str) -> Row:
    return _row("PlacedAdoption", {"CHILD": "C1", "DOB": "01/06/2012", "DATE_PLACED": "01/07/2025",
                                   "DATE_PLACED_CEASED": "", "REASON_PLACED_CEASED": ""}, overrides)


def prev_perm(**overrides: str) -> Row:
    return _row("PrevPerm", {"CHILD": "C1", "DOB": "01/06/2012", "PREV_PERM": "Z1", "LA_PERM": "",
                             "DATE_PERM": ""}, overrides)


def missing(**overrides: str) -> Row:
    return _row("Missing", {"CHILD": "C1", "DOB": "01/06/2012", "MISSING": "M", "MIS_START": "01/09/2025",
                            "MIS_END": "02/09/2025"}, overrides)


def sw_episode(**overrides: str) -> Row:
    return _row("SWEpisodes", {"CHILD": "C1", "DOB": "01/06/2012", "SW_ID": "SW123456", "SW_DECOM": "10/05/2025",
                               "SW_DEC": "", "SW_REASON": ""}, overrides)


def dolo(**overrides: str) -> Row:
    return _row("DoLo", {"CHILD": "C1", "DOB": "01/06/2012", "DOLO_START": "01/06/2026", "DOLO_END": ""},
                overrides)


def make_return(year: int = 2026, previous: Return903 | None = None, **tables: list[Row]) -> Return903:
    """A return of the given tables; a table not given is empty (PrevPerm of the default child included
    only when given)."""
    return Return903(year=year, tables=dict(tables), previous=previous)


def findings(code: str, ret: Return903) -> list[Finding]:
    return run_rule_903(code, ret)
