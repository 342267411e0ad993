"""The SSDA903 CSV tables and their exact columns (returns.md A.2). Validation tools identify a file by
its set of headers, so these are the contract: the exporter writes them, the reader expects them."""

from __future__ import annotations

# Table name (as the rule lists name it) -> (file name, columns in order, first collection year).
TABLES: dict[str, tuple[str, tuple[str, ...], int]] = {
    "Header": ("header.csv", ("CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB"), 2000),
    "Episodes": ("episodes.csv", ("CHILD", "DECOM", "RNE", "LS", "CIN", "PLACE", "PLACE_PROVIDER", "DEC", "REC",
                                  "REASON_PLACE_CHANGE", "HOME_POST", "PL_POST", "URN"), 2000),
    "Reviews": ("reviews.csv", ("CHILD", "DOB", "REVIEW", "REVIEW_CODE"), 2000),
    "UASC": ("uasc.csv", ("CHILD", "SEX", "DOB", "DUC"), 2000),
    "OC2": ("oc2.csv", ("CHILD", "DOB", "SDQ_SCORE", "SDQ_REASON", "CONVICTED", "HEALTH_CHECK", "IMMUNISATIONS",
                        "TEETH_CHECK", "HEALTH_ASSESSMENT", "SUBSTANCE_MISUSE", "INTERVENTION_RECEIVED",
                        "INTERVENTION_OFFERED"), 2000),
    "OC3": ("oc3.csv", ("CHILD", "DOB", "IN_TOUCH", "ACTIV", "ACCOM"), 2000),
    "AD1": ("ad1.csv", ("CHILD", "DOB", "DATE_INT", "DATE_MATCH", "FOSTER_CARE", "NB_ADOPTR", "SEX_ADOPTR",
                        "LS_ADOPTR"), 2000),
    "PlacedAdoption": ("placed_for_adoption.csv", ("CHILD", "DOB", "DATE_PLACED", "DATE_PLACED_CEASED",
                                                   "REASON_PLACED_CEASED"), 2000),
    "PrevPerm": ("previous_permanence.csv", ("CHILD", "DOB", "PREV_PERM", "LA_PERM", "DATE_PERM"), 2000),
    "Missing": ("missing.csv", ("CHILD", "DOB", "MISSING", "MIS_START", "MIS_END"), 2000),
    "SWEpisodes": ("sw_episodes.csv", ("CHILD", "DOB", "SW_ID", "SW_DECOM", "SW_DEC", "SW_REASON"), 2024),
    "DoLo": ("dolo.csv", ("CHILD", "DOB", "DOLO_START", "DOLO_END"), 2027),
}

DATE_FORMAT = "%d/%m/%Y"


def tables_for(year: int) -> list[str]:
    """The tables of collection year ``year`` (ending 31 March ``year``), in the order above."""
    return [name for name, (_, _, first) in TABLES.items() if year >= first]


def columns(table: str) -> tuple[str, ...]:
    return TABLES[table][1]


def file_name(table: str) -> str:
    return TABLES[table][0]
