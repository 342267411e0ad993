"""SSDA903 rules on Episodes, codes 384 to NoE (group B2).

Most of these read a child's episodes in order: each against the one before it (``_pairs``), or the
first episode of this year against the episode left open in last year's return (``_carried_over``).
A date that does not parse is left to the date-format rules (147, 354 and the like): a row whose own
date is needed and unreadable is skipped, and an episode whose DECOM is unreadable takes no part in
the ordering. Rules on last year's return find nothing when run without it (validate_903 says they
did not run).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from itertools import pairwise

from hearth.care.codes import ADOPTION_PLACEMENTS, ADOPTION_REASONS, FOSTER_PLACEMENTS, LONG_TERM_PLACEMENTS

from .base import Hit, Return903, Row, rule903
from .ssda903_common import SHORT_BREAKS, dated_episodes, parse

EPISODES = "Episodes"
# Placement types with no placement provider: temporary moves, and "other placements" (Z1 until
# 2024/25, Z11 to Z14 from 2025/26). Z codes of the wrong year are reported as invalid by rule 146.
NO_PROVIDER = frozenset({"T0", "T1", "T2", "T3", "T4", "Z1", "Z11", "Z12", "Z13", "Z14"})
CONTINUATION = frozenset({"P", "L", "T", "U", "B"})
# Every reason episode ceased except X1: the child stopped being looked after.
LEFT_CARE = frozenset({"E11", "E12", "E13", "E14", "E15", "E16", "E17", "E2", "E3", "E41", "E45", "E46",
                       "E47", "E48", "E4A", "E4B", "E5", "E6", "E7", "E8", "E9"})
REASONS_PLACE_CHANGE = frozenset({"CARPL", "CLOSE", "ALLEG", "STAND", "APPRR", "CREQB", "CREQO", "CHILD",
                                  "LAREQ", "PLACE", "CUSTOD", "OTHER"})
# What identifies a placement: rules 434 to 436 say whether it changed between two episodes.
PLACEMENT_FIELDS = ("PLACE", "PL_POST", "URN", "PLACE_PROVIDER")
PLACEMENT_ORDERS_BEGAN = date(2005, 12, 1)  # placement orders (LS E1) came with the Adoption and Children Act 2002

# The shape of a UK postcode (outward code, then sector digit and unit letters), space optional.
_POSTCODE = re.compile(r"^(GIR0AA|[A-Z]{1,2}[0-9][A-Z0-9]?[0-9][A-Z]{2})$")


def _postcode(value: str) -> str:
    return "".join(value.split()).upper()


def _pairs(ret: Return903) -> Iterator[tuple[int, Row, int, Row]]:
    """Each episode with the one before it for the same child, in DECOM order (both DECOMs readable)."""
    for _child, dated in dated_episodes(ret):
        for (i_prev, prev, _), (i, row, _) in pairwise(dated):
            yield i_prev, prev, i, row


def _first_episodes(ret: Return903) -> dict[str, tuple[int, Row]]:
    """Each child's earliest episode with a readable DECOM."""
    return {child: (dated[0][0], dated[0][1]) for child, dated in dated_episodes(ret)}


def _latest_episodes(ret: Return903) -> dict[str, tuple[int, Row]]:
    """Each child's latest episode (greatest readable DECOM)."""
    return {child: (dated[-1][0], dated[-1][1]) for child, dated in dated_episodes(ret)}


def _carried_over(ret: Return903) -> Iterator[tuple[int, Row, Row]]:
    """This year's first episode of each child whose latest episode last year was still open, with that
    episode (rules 503A to 503F: the same episode, so the same values)."""
    if ret.previous is None:
        return
    last_year = _latest_episodes(ret.previous)
    for child, (i, row) in _first_episodes(ret).items():
        found = last_year.get(child)
        if found is not None and not found[1].get("DEC", "").strip():
            yield i, row, found[1]


def _recoded(ret: Return903, before: str, now: str) -> bool:
    """A placement type the year's code change replaced: H5 became K3 in 2024/25, Z1 became Z11 to Z14
    in 2025/26 (returns.md A.5). An open episode may carry the new code into the new year."""
    return (ret.year == 2025 and before == "H5" and now == "K3") or (
        ret.year == 2026 and before == "Z1" and now in {"Z11", "Z12", "Z13", "Z14"})


def _uasc_children(ret: Return903) -> set[str]:
    """Children who are or were UASC, as far as this and last year's returns show."""
    children = {row.get("CHILD", "") for row in ret.table("UASC")}
    if ret.previous is not None:
        children |= {row.get("CHILD", "") for row in ret.previous.table("UASC")}
    return children


# ------------------------------------------------------------------------------ one episode at a time


@rule903("384")
def respite_in_long_term_fostering(ret: Return903) -> Iterator[Hit]:
    for i, row in ret.rows(EPISODES):
        if row.get("LS") in SHORT_BREAKS and row.get("PLACE") in LONG_TERM_PLACEMENTS:
            yield Hit(EPISODES, row=i, value=f"{row['LS']} / {row['PLACE']}")


@rule903("385")
def ceased_after_year_end(ret: Return903) -> Iterator[Hit]:
    for i, row in ret.rows(EPISODES):
        dec = parse(row.get("DEC"))
        if dec and dec > ret.end:
            yield Hit(EPISODES, row=i, value=row["DEC"])


@rule903("390")
def adopted_without_adoption_placement(ret: Return903) -> Iterator[Hit]:
    for i, row in ret.rows(EPISODES):
        if row.get("REC") in ADOPTION_REASONS and row.get("PLACE") not in ADOPTION_PLACEMENTS:
            yield Hit(EPISODES, row=i, value=f"{row.get('PLACE', '')} / {row['REC']}")


# 392a (distance) is derived from the postcodes; see NOT_IMPLEMENTED.
@rule903("392b", query=True)
def looked_after_without_postcodes(ret: Return903) -> Iterator[Hit]:
    # Short breaks (V3/V4) and children who are or were UASC need no postcodes (rules 398, 406).
    uasc = _uasc_children(ret)
    for i, row in ret.rows(EPISODES):
        if row.get("LS") in SHORT_BREAKS or not row.get("LS") or row.get("CHILD") in uasc:
            continue
        missing = tuple(f for f in ("HOME_POST", "PL_POST") if not row.get(f, "").strip())
        if missing:
            yield Hit(EPISODES, row=i, fields=missing)


@rule903("392c")
def postcode_not_valid(ret: Return903) -> Iterator[Hit]:
    # Checks the shape of a postcode. Whether it exists needs the ONS postcode directory, which Hearth
    # does not hold; DfE's tool checks that too, so a well-formed postcode that does not exist is
    # found only there.
    for i, row in ret.rows(EPISODES):
        bad = tuple(f for f in ("HOME_POST", "PL_POST")
                    if row.get(f, "").strip() and not _POSTCODE.match(_postcode(row[f])))
        if bad:
            yield Hit(EPISODES, row=i, fields=bad)


@rule903("392d")
def home_and_placement_postcodes_same(ret: Return903) -> Iterator[Hit]:
    for i, row in ret.rows(EPISODES):
        home, placed = _postcode(row.get("HOME_POST", "")), _postcode(row.get("PL_POST", ""))
        if home and home == placed and row.get("PLACE") and row.get("PLACE") != "P1":
            yield Hit(EPISODES, row=i, value=row["PLACE"])


@rule903("398")
def postcodes_for_short_breaks(ret: Return903) -> Iterator[Hit]:
    # The distance is worked out from the two postcodes, so for short breaks neither is recorded.
    for i, row in ret.rows(EPISODES):
        if row.get("LS") in SHORT_BREAKS and (row.get("HOME_POST", "").strip() or row.get("PL_POST", "").strip()):
            yield Hit(EPISODES, row=i, value=row["LS"])


@rule903("406")
def distance_for_uasc(ret: Return903) -> Iterator[Hit]:
    # DfE derives the distance whenever both postcodes are recorded, so for a child who is or was UASC
    # "distance should be blank" means the two postcodes must not both be there (a malformed one is
    # rule 392c's).
    uasc = _uasc_children(ret)
    for i, row in ret.rows(EPISODES):
        if row.get("CHILD") in uasc and row.get("HOME_POST", "").strip() and row.get("PL_POST", "").strip():
            yield Hit(EPISODES, row=i, fields=("HOME_POST", "PL_POST"))


@rule903("408")
def placed_for_adoption_without_placement_order(ret: Return903) -> Iterator[Hit]:
    for i, row in ret.rows(EPISODES):
        if row.get("PLACE") in {"A5", "A6"} and row.get("LS") and row.get("LS") != "E1":
            yield Hit(EPISODES, row=i, value=f"{row['LS']} / {row['PLACE']}")


@rule903("446")
def placement_order_before_2005(ret: Return903) -> Iterator[Hit]:
    for i, row in ret.rows(EPISODES):
        decom = parse(row.get("DECOM"))
        if row.get("LS") == "E1" and decom and decom < PLACEMENT_ORDERS_BEGAN:
            yield Hit(EPISODES, row=i, value=row["DECOM"])


@rule903("516")
def sgo_to_foster_carer_not_fostered(ret: Return903) -> Iterator[Hit]:
    for i, row in ret.rows(EPISODES):
        if row.get("REC") in {"E45", "E46"} and row.get("PLACE") not in FOSTER_PLACEMENTS:
            yield Hit(EPISODES, row=i, value=f"{row.get('PLACE', '')} / {row['REC']}")


@rule903("526")
def provider_missing(ret: Return903) -> Iterator[Hit]:
    for i, row in ret.rows(EPISODES):
        place = row.get("PLACE", "")
        if place and place not in NO_PROVIDER and not row.get("PLACE_PROVIDER", "").strip():
            yield Hit(EPISODES, row=i, value=place)


def _provider_cannot_provide(code: str, provider: str, places: frozenset[str]) -> None:
    @rule903(code)
    def check(ret: Return903) -> Iterator[Hit]:
        for i, row in ret.rows(EPISODES):
            if row.get("PLACE_PROVIDER") == provider and row.get("PLACE") in places:
                yield Hit(EPISODES, row=i, value=f"{row['PLACE']} / {provider}")

    check.__name__ = check.__qualname__ = f"provider_{provider}_with_{code}"


_provider_cannot_provide("527", "PR1", frozenset({"P1", "R2", "R5"}))
_provider_cannot_provide("528", "PR2", frozenset({"P1", "R2", "R5"}))
_provider_cannot_provide("529", "PR3", ADOPTION_PLACEMENTS | FOSTER_PLACEMENTS | {"K1", "K2", "P1"})
_provider_cannot_provide("530", "PR4", frozenset({"P1"}))
_provider_cannot_provide("531", "PR5", frozenset({"P1"}))


@rule903("550")
def parents_provider_not_with_parents(ret: Return903) -> Iterator[Hit]:
    for i, row in ret.rows(EPISODES):
        if row.get("PLACE_PROVIDER") == "PR0" and row.get("PLACE") and row.get("PLACE") != "P1":
            yield Hit(EPISODES, row=i, value=f"{row['PLACE']} / PR0")


@rule903("1009")
def reason_place_change_not_valid(ret: Return903) -> Iterator[Hit]:
    for i, row in ret.rows(EPISODES):
        value = row.get("REASON_PLACE_CHANGE", "")
        if value and value not in REASONS_PLACE_CHANGE:
            yield Hit(EPISODES, row=i, value=value)


# ----------------------------------------------------------------------- a child's episodes together


@rule903("388")
def new_episode_code_without_continuation(ret: Return903) -> Iterator[Hit]:
    # X1 means the next episode starts the day this one ends; any other reason means care ended, so
    # no episode may start that day; and the child's last episode cannot end X1.
    for rows in ret.episodes_by_child().values():
        dated = [(i, row) for i, row in rows if parse(row.get("DECOM"))]
        for n, (i, row) in enumerate(dated):
            dec, rec = parse(row.get("DEC")), row.get("REC", "")
            if dec is None or not rec:
                continue
            if n + 1 < len(dated):
                starts_same_day = parse(dated[n + 1][1]["DECOM"]) == dec
                if (rec == "X1") != starts_same_day:
                    yield Hit(EPISODES, row=i, value=rec)
            elif rec == "X1":
                yield Hit(EPISODES, row=i, value=rec)


@rule903("426")
def short_break_agreement_and_single_breaks(ret: Return903) -> Iterator[Hit]:
    for rows in ret.by_child(EPISODES).values():
        codes = {row.get("LS") for _, row in rows}
        if {"V3", "V4"} <= codes:
            for i, row in rows:
                if row.get("LS") in SHORT_BREAKS:
                    yield Hit(EPISODES, row=i, value=row["LS"])


@rule903("431")
def started_on_day_previous_ended(ret: Return903) -> Iterator[Hit]:
    # DECOM before the previous DEC is an overlap, which is rule 501's.
    for _, prev, i, row in _pairs(ret):
        if row.get("RNE") == "S" and parse(prev.get("DEC")) == parse(row["DECOM"]):
            yield Hit(EPISODES, row=i, value="S")


@rule903("432")
def left_care_but_not_started(ret: Return903) -> Iterator[Hit]:
    for _, prev, i, row in _pairs(ret):
        if prev.get("REC") in LEFT_CARE and row.get("RNE") and row.get("RNE") != "S":
            yield Hit(EPISODES, row=i, value=row["RNE"])


@rule903("433")
def continuation_not_on_day_previous_ended(ret: Return903) -> Iterator[Hit]:
    for _, prev, i, row in _pairs(ret):
        if row.get("RNE") not in CONTINUATION:
            continue
        prev_dec = prev.get("DEC", "").strip()
        if not prev_dec or (parse(prev_dec) is not None and parse(prev_dec) != parse(row["DECOM"])):
            yield Hit(EPISODES, row=i, value=row["RNE"])


def _placement_changed(prev: Row, row: Row) -> bool:
    return any(prev.get(f, "").strip() != row.get(f, "").strip() for f in PLACEMENT_FIELDS)


@rule903("434")
def legal_status_change_not_shown(ret: Return903) -> Iterator[Hit]:
    for _, prev, i, row in _pairs(ret):
        if row.get("RNE") == "L" and (prev.get("LS") == row.get("LS") or _placement_changed(prev, row)):
            yield Hit(EPISODES, row=i, value="L")


@rule903("435")
def placement_change_not_shown(ret: Return903) -> Iterator[Hit]:
    # Blank equals blank here (no URN before and after is no change), as in rules 434 and 436.
    for _, prev, i, row in _pairs(ret):
        if row.get("RNE") in {"P", "T"} and (prev.get("LS") != row.get("LS") or not _placement_changed(prev, row)):
            yield Hit(EPISODES, row=i, value=row["RNE"])


@rule903("436")
def both_changes_not_shown(ret: Return903) -> Iterator[Hit]:
    for _, prev, i, row in _pairs(ret):
        if row.get("RNE") in {"U", "B"} and (prev.get("LS") == row.get("LS") or not _placement_changed(prev, row)):
            yield Hit(EPISODES, row=i, value=row["RNE"])


@rule903("437")
def episodes_after_death_or_adulthood(ret: Return903) -> Iterator[Hit]:
    for i_prev, prev, _, _ in _pairs(ret):
        if prev.get("REC") in {"E2", "E15"}:
            yield Hit(EPISODES, row=i_prev, value=prev["REC"])


@rule903("501")
def started_before_previous_ended(ret: Return903) -> Iterator[Hit]:
    # An earlier episode with no end date has not ended, so a later one overlaps it too.
    for _, prev, i, row in _pairs(ret):
        prev_dec_text = prev.get("DEC", "").strip()
        prev_dec, decom = parse(prev_dec_text), parse(row["DECOM"])
        if decom is None:
            continue
        if not prev_dec_text or (prev_dec is not None and decom < prev_dec):
            yield Hit(EPISODES, row=i, value=row["DECOM"])


@rule903("504")
def category_of_need_changed(ret: Return903) -> Iterator[Hit]:
    # Within a period of care (episodes joined by X1) the category of need stays as it began.
    for _, prev, i, row in _pairs(ret):
        if (prev.get("REC") == "X1" and parse(prev.get("DEC")) == parse(row["DECOM"])
                and prev.get("CIN") and row.get("CIN") and prev["CIN"] != row["CIN"]):
            yield Hit(EPISODES, row=i, value=f"{prev['CIN']} -> {row['CIN']}")


@rule903("1012")
def data_for_child_without_episodes(ret: Return903) -> Iterator[Hit]:
    with_episodes = set(ret.by_child(EPISODES))
    for table in ("PlacedAdoption", "Missing", "Reviews", "AD1", "PrevPerm", "OC2"):
        for i, row in ret.rows(table):
            if row.get("CHILD") not in with_episodes:
                yield Hit(table, row=i, fields=("CHILD",))


# ----------------------------------------------------------------------------------- against last year


@rule903("502", needs_previous=True)
def first_episode_not_last_years_open_one(ret: Return903) -> Iterator[Hit]:
    if ret.previous is None:
        return
    open_last_year: dict[str, date] = {}
    for child, rows in ret.previous.episodes_by_child().items():
        for _, row in rows:
            decom = parse(row.get("DECOM"))
            if decom and not row.get("DEC", "").strip():
                open_last_year[child] = max(decom, open_last_year.get(child, decom))
    for child, (i, row) in _first_episodes(ret).items():
        started = open_last_year.get(child)
        if started is not None and parse(row["DECOM"]) != started:
            yield Hit(EPISODES, row=i, value=row["DECOM"])


def _same_as_last_year(code: str, column: str) -> None:
    @rule903(code, needs_previous=True)
    def check(ret: Return903) -> Iterator[Hit]:
        for i, row, before in _carried_over(ret):
            now, then = row.get(column, "").strip(), before.get(column, "").strip()
            if now == then:
                continue
            # A placement recoded by the year's change of codes takes the new code's provider and URN
            # rules, so only its type is compared (and that allowing the recoding).
            recoded = _recoded(ret, before.get("PLACE", ""), row.get("PLACE", ""))
            if recoded and column in {"PLACE", "PLACE_PROVIDER", "URN"}:
                continue
            yield Hit(EPISODES, row=i, value=f"{then or 'blank'} -> {now or 'blank'}")

    check.__name__ = check.__qualname__ = f"first_episode_{column.lower()}_differs_from_last_year"


_same_as_last_year("503A", "RNE")
_same_as_last_year("503B", "LS")
_same_as_last_year("503C", "CIN")
_same_as_last_year("503D", "PLACE")
_same_as_last_year("503E", "PLACE_PROVIDER")
_same_as_last_year("503F", "URN")


@rule903("562", needs_previous=True)
def no_matching_episode_last_year(ret: Return903) -> Iterator[Hit]:
    # The episode open on 1 April must be last year's latest episode (same start). A child with no
    # episodes at all last year is also rule NoE's, as in DfE's own checks.
    if ret.previous is None:
        return
    last_year = _latest_episodes(ret.previous)
    for child, (i, row) in _first_episodes(ret).items():
        decom = parse(row["DECOM"])
        if decom is None or decom >= ret.start:
            continue
        found = last_year.get(child)
        if found is None or parse(found[1]["DECOM"]) != decom:
            yield Hit(EPISODES, row=i, value=row["DECOM"])


@rule903("NoE", needs_previous=True)
def no_episodes_last_year(ret: Return903) -> Iterator[Hit]:
    if ret.previous is None:
        return
    last_year = set(ret.previous.by_child(EPISODES))
    for i, row in ret.rows(EPISODES):
        decom = parse(row.get("DECOM"))
        if decom and decom < ret.start and row.get("CHILD") not in last_year:
            yield Hit(EPISODES, row=i, value=row["DECOM"])


_POSTCODE_DIRECTORY = ("DfE's tool works this out from the home and placement postcodes with the ONS postcode "
                       "directory, which Hearth does not hold")

# Rules of this group not implemented, and why (shown on the returns page and in the README).
NOT_IMPLEMENTED: dict[str, str] = {
    "392a": f"Placement distance: {_POSTCODE_DIRECTORY}. A missing postcode is reported by rule 392b and a "
            "malformed one by rule 392c.",
    "411": f"Placement location (in or out of the council's area) and the council of placement: "
           f"{_POSTCODE_DIRECTORY}.",
    "420": f"Council of placement: {_POSTCODE_DIRECTORY}. Postcodes recorded for short breaks (V3, V4) are "
           "reported by rule 398.",
    "452": f"Council of placement, compared with last year's: {_POSTCODE_DIRECTORY}.",
    "453": f"Placement distance, compared with last year's: {_POSTCODE_DIRECTORY}.",
    "454": f"Placement distance (over 350 miles): {_POSTCODE_DIRECTORY}.",
    "503G": f"Placement distance, compared with last year's open episode: {_POSTCODE_DIRECTORY}.",
    "503H": f"Council of placement, compared with last year's open episode: {_POSTCODE_DIRECTORY}.",
    "503J": f"Placement location, compared with last year's open episode: {_POSTCODE_DIRECTORY}.",
    "1008": "Needs Ofsted's list of registered children's social care providers to check the URN exists; "
            "Hearth does not hold it.",
    "1015": f"Council of placement for the council's own provision: {_POSTCODE_DIRECTORY}.",
}
