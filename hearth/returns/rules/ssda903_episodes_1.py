"""SSDA903 rules on Episodes, codes 141 to 383 (group B1).

The logic follows DfE's rule wording as the data-to-insight validator reads it; where that validator
differs from the wording, the wording wins and a comment says so. Each rule reads the rows as strings:
a value that is not a real date is left to the date rules (141, 147) and skipped by the others.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date, timedelta
from itertools import pairwise

from hearth.care.codes import ADOPTION_PLACEMENTS, ADOPTION_REASONS, FOSTER_PLACEMENTS, TEMPORARY_PLACEMENTS
from hearth.returns.rules.base import Hit, Return903, Row, rule903
from hearth.returns.rules.ssda903_common import (
    SHORT_BREAKS,
    blank,
    dated_episodes,
    end_or_year_end,
    invalid_codes,
    invalid_dates,
    parse,
    unreadable_dates,
)

EPISODES = "Episodes"

# Rules of this group not implemented, and why (shown on the returns page and in the README).
_PROVIDER_LIST = ("Needs Ofsted's list of registered children's social care providers (each URN's provider "
                  "type, postcode, local authority and registration dates), which Hearth does not hold. ")
_POSTCODE_DIRECTORY = ("Needs the national postcode directory, which Hearth does not hold: DfE's tool works out "
                       "the placement's local authority, its distance from home and whether it is in or out of "
                       "area from HOME_POST and PL_POST, so record both as full, current postcodes.")
NOT_IMPLEMENTED: dict[str, str] = {
    "164": _POSTCODE_DIRECTORY,
    "169": _POSTCODE_DIRECTORY,
    "179": _POSTCODE_DIRECTORY,
    "219": _PROVIDER_LIST + "DfE's tool checks the URN's provider type matches the placement type.",
    "221": _PROVIDER_LIST + "DfE's tool checks the URN's postcode matches the placement postcode.",
    "224": _PROVIDER_LIST + "DfE's tool checks the URN's provider matches the placement provider code.",
    "227": _PROVIDER_LIST + "DfE's tool checks the provider was registered when the episode began.",
    "228": _PROVIDER_LIST + "DfE's tool checks the provider was still registered when the episode ended.",
    "229": _PROVIDER_LIST + ("DfE's tool checks own-authority (PR1) and other-authority (PR2) provision against "
                             "the local authority the provider sits in."),
    "241": _PROVIDER_LIST + ("DfE's tool checks a supported accommodation (K3) placement is in a local authority "
                             "where the provider has premises, which also needs the postcode directory."),
}

# "XXXXXXX" is the URN for a placement made through a regional adoption agency (rules 222, 242).
RAA_URN = "XXXXXXX"

REASONS_NEW_EPISODE = frozenset({"S", "P", "L", "T", "U", "B"})
LEGAL_STATUSES = frozenset({"C1", "C2", "D1", "E1", "V2", "V3", "V4", "J1", "J2", "J3", "L1", "L2", "L3"})
CATEGORIES_OF_NEED = frozenset({"N1", "N2", "N3", "N4", "N5", "N6", "N7", "N8"})
PLACEMENT_PROVIDERS = frozenset({"PR0", "PR1", "PR2", "PR3", "PR4", "PR5"})
REASONS_CEASED = frozenset({"X1", "E11", "E12", "E2", "E3", "E4A", "E4B", "E13", "E41", "E45", "E46", "E47", "E48",
                            "E5", "E6", "E7", "E8", "E9", "E14", "E15", "E16", "E17"})
_PLACEMENTS_ALWAYS = frozenset({"A3", "A4", "A5", "A6", "K1", "K2", "P1", "P3", "R1", "R2", "R3", "R5", "S1"}
                               | TEMPORARY_PLACEMENTS | FOSTER_PLACEMENTS)
Z1_SPLIT = frozenset({"Z11", "Z12", "Z13", "Z14"})

FIRST_DECOM = date(1991, 10, 14)  # the Children Act 1989 came into force


def placement_types(year: int) -> frozenset[str]:
    """PLACE codes valid in collection year ``year``.

    2024/25 (DfE's spec; the community validator only enforced it from 2025/26): H5 and P2 retired, K3 added.
    2025/26: Z1 split into Z11 to Z14; an episode carried over from a Z1 placement is recoded (rule 503D).
    """
    if year < 2025:
        return _PLACEMENTS_ALWAYS | {"H5", "P2", "Z1"}
    if year == 2025:
        return _PLACEMENTS_ALWAYS | {"K3", "Z1"}
    return _PLACEMENTS_ALWAYS | {"K3"} | Z1_SPLIT


def _is_2026_on(ret: Return903) -> bool:
    return ret.year >= 2026


def _invalid_code(ret: Return903, column: str, valid: frozenset[str]) -> Iterable[Hit]:
    # The column is mandatory (SSDA903 spec: canbeblank no), so a blank is not a valid code either.
    for i, row in ret.rows(EPISODES):
        if row.get(column, "") not in valid:
            yield Hit(EPISODES, row=i, value=row.get(column, ""))


# ------------------------------------------------------------------------------------------ codes and dates


@rule903("141")
def date_episode_began_valid(ret: Return903) -> Iterable[Hit]:
    # DECOM is mandatory: a blank start date is not a valid date.
    return unreadable_dates(ret, EPISODES, "DECOM")


@rule903("143")
def reason_new_episode_valid(ret: Return903) -> Iterable[Hit]:
    return _invalid_code(ret, "RNE", REASONS_NEW_EPISODE)


@rule903("144")
def legal_status_valid(ret: Return903) -> Iterable[Hit]:
    return _invalid_code(ret, "LS", LEGAL_STATUSES)


@rule903("145")
def category_of_need_valid(ret: Return903) -> Iterable[Hit]:
    return _invalid_code(ret, "CIN", CATEGORIES_OF_NEED)


@rule903("146")
def placement_type_valid(ret: Return903) -> Iterable[Hit]:
    return _invalid_code(ret, "PLACE", placement_types(ret.year))


@rule903("147")
def date_episode_ceased_valid(ret: Return903) -> Iterable[Hit]:
    return invalid_dates(ret, EPISODES, "DEC")


@rule903("148")
def ceased_date_and_reason_together(ret: Return903) -> Iterable[Hit]:
    for i, row in ret.rows(EPISODES):
        if blank(row.get("DEC")) != blank(row.get("REC")):
            yield Hit(EPISODES, row=i)


@rule903("149")
def reason_ceased_valid(ret: Return903) -> Iterable[Hit]:
    return invalid_codes(ret, EPISODES, "REC", REASONS_CEASED)


@rule903("178")
def placement_provider_valid(ret: Return903) -> Iterable[Hit]:
    # DfE's 2025/26 wording lists T0 to T3 and Z11 to Z14 (not T4) as placements that take no provider;
    # rule 213 covers a provider on any temporary placement.
    no_provider = ((frozenset({"T0", "T1", "T2", "T3"}) | Z1_SPLIT) if _is_2026_on(ret)
                   else TEMPORARY_PLACEMENTS | {"Z1"})
    for i, row in ret.rows(EPISODES):
        provider = row.get("PLACE_PROVIDER", "")
        if blank(provider):
            continue
        if provider not in PLACEMENT_PROVIDERS or row.get("PLACE") in no_provider:
            yield Hit(EPISODES, row=i, value=provider)


@rule903("353")
def episode_not_before_children_act(ret: Return903) -> Iterable[Hit]:
    for i, row in ret.rows(EPISODES):
        start = parse(row.get("DECOM"))
        if start is not None and start < FIRST_DECOM:
            yield Hit(EPISODES, row=i, value=row["DECOM"])


@rule903("354")
def episode_starts_by_year_end(ret: Return903) -> Iterable[Hit]:
    # DfE's message speaks of the date ceased, but the rule reads DECOM (rule 385 checks DEC).
    for i, row in ret.rows(EPISODES):
        start = parse(row.get("DECOM"))
        if start is not None and start > ret.end:
            yield Hit(EPISODES, row=i, value=row["DECOM"])


@rule903("355", query=True)  # returns.md A.3: episodes shorter than 24 hours are queried
def episode_under_a_day(ret: Return903) -> Iterable[Hit]:
    for i, row in ret.rows(EPISODES):
        start = parse(row.get("DECOM"))
        if start is not None and start == parse(row.get("DEC")):
            yield Hit(EPISODES, row=i, value=row["DEC"])


@rule903("356")
def episode_ends_after_it_starts(ret: Return903) -> Iterable[Hit]:
    for i, row in ret.rows(EPISODES):
        start = parse(row.get("DECOM"))
        end = parse(row.get("DEC"))
        if start is not None and end is not None and end < start:
            yield Hit(EPISODES, row=i, value=row["DEC"])


# ------------------------------------------------------------------------------------ sequence of episodes


@rule903("142")
def previous_episode_ended(ret: Return903) -> Iterable[Hit]:
    for _child, episodes in dated_episodes(ret):
        for i, row, _start in episodes[:-1]:
            if blank(row.get("DEC")) or blank(row.get("REC")):
                yield Hit(EPISODES, row=i)


@rule903("199")
def previously_adopted(ret: Return903) -> Iterable[Hit]:
    # A child adopted from care is a new child in law: an episode after an adoption (in this year's return or
    # last year's, when it is there) means the adopted child's old identifier was used again.
    last_year = ret.previous.by_child(EPISODES) if ret.previous is not None else {}
    for child, episodes in dated_episodes(ret):
        adoption_starts = [start for _i, row, start in episodes if row.get("REC") in ADOPTION_REASONS]
        adoption_starts += [start for _i, row in last_year.get(child, [])
                            if row.get("REC") in ADOPTION_REASONS and (start := parse(row.get("DECOM"))) is not None]
        if not adoption_starts:
            continue
        first_adoption = min(adoption_starts)
        for i, _row, start in episodes:
            if start > first_adoption:
                yield Hit(EPISODES, row=i)


@rule903("225")
def reason_for_placement_change_recorded(ret: Return903) -> Iterable[Hit]:
    # The reason sits on the episode that ends when the child moves on (REC X1) to a new placement (RNE P, B,
    # T or U); moves into or out of a temporary placement need none.
    for _child, episodes in dated_episodes(ret):
        for (i, row, _start), (_j, following, _next_start) in pairwise(episodes):
            if (row.get("REC") == "X1" and blank(row.get("REASON_PLACE_CHANGE"))
                    and row.get("PLACE") not in TEMPORARY_PLACEMENTS
                    and following.get("RNE") in {"P", "B", "T", "U"}
                    and following.get("PLACE") not in TEMPORARY_PLACEMENTS):
                yield Hit(EPISODES, row=i)


@rule903("226")
def no_reason_for_temporary_placement(ret: Return903) -> Iterable[Hit]:
    # Neither the temporary placement nor the episode the child left for it carries a reason for change.
    for _child, episodes in dated_episodes(ret):
        previous: Row | None = None
        for i, row, _start in episodes:
            if row.get("PLACE") in TEMPORARY_PLACEMENTS and (
                    not blank(row.get("REASON_PLACE_CHANGE"))
                    or (previous is not None and not blank(previous.get("REASON_PLACE_CHANGE")))):
                yield Hit(EPISODES, row=i)
            previous = row


@rule903("336")
def foster_placement_before_adoption_with_carer(ret: Return903) -> Iterable[Hit]:
    # DfE: where PLACE is A3 or A5 (placed for adoption WITH the current foster carer), the episode before
    # must be a foster or adoption placement. The community validator reads A3 and A4; A4 is placement with
    # someone else, so the wording is followed here.
    before_ok = FOSTER_PLACEMENTS | ADOPTION_PLACEMENTS
    for _child, episodes in dated_episodes(ret):
        for (_i, previous, _s), (j, row, _start) in pairwise(episodes):
            if row.get("PLACE") in {"A3", "A5"} and previous.get("PLACE") not in before_ok:
                yield Hit(EPISODES, row=j)


@rule903("357")
def first_episode_starts_care(ret: Return903) -> Iterable[Hit]:
    # Only a first episode that began in this year: an earlier one continues last year's return.
    for _child, episodes in dated_episodes(ret):
        i, row, start = episodes[0]
        if start >= ret.start and row.get("RNE") != "S":
            yield Hit(EPISODES, row=i, value=row.get("RNE", ""))


def _legal_status_spells(ret: Return903, legal_status: str) -> Iterator[tuple[list[int], int]]:
    """Unbroken spells under one legal status: consecutive episodes with it, each starting the day the one
    before ended, as (rows, days from the first start to the last end, an open episode ending at 31 March)."""
    for _child, episodes in dated_episodes(ret):
        rows: list[int] = []
        first = last = date.min
        for i, row, start in episodes:
            end = end_or_year_end(ret, row) if row.get("LS") == legal_status else None
            if end is None:  # another legal status, or a date the date rules report
                if rows:
                    yield rows, (last - first).days
                rows = []
                continue
            if rows and start == last:
                rows.append(i)
                last = max(last, end)
            else:
                if rows:
                    yield rows, (last - first).days
                rows, first, last = [i], start, end
        if rows:
            yield rows, (last - first).days


def _spells_longer_than(ret: Return903, legal_status: str, days: int) -> Iterable[Hit]:
    for rows, length in _legal_status_spells(ret, legal_status):
        if length > days:
            for i in rows:
                yield Hit(EPISODES, row=i, value=f"{length} days")


@rule903("361")
def police_protection_within_72_hours(ret: Return903) -> Iterable[Hit]:
    # Dates only: 72 hours is read as 3 days (timescales.md).
    return _spells_longer_than(ret, "L1", 3)


@rule903("362")
def emergency_protection_order_within_21_days(ret: Return903) -> Iterable[Hit]:
    return _spells_longer_than(ret, "L2", 21)


@rule903("363")
def child_assessment_order_within_7_days(ret: Return903) -> Iterable[Hit]:
    return _spells_longer_than(ret, "L3", 7)


@rule903("364")
def pace_accommodation_within_21_days(ret: Return903) -> Iterable[Hit]:
    return _spells_longer_than(ret, "J2", 21)


# ------------------------------------------------------------------------------------- short breaks (V3, V4)


@rule903("365")
def short_break_within_17_days(ret: Return903) -> Iterable[Hit]:
    for i, row in ret.rows(EPISODES):
        if row.get("LS") != "V3":
            continue
        start = parse(row.get("DECOM"))
        end = end_or_year_end(ret, row)
        if start is not None and end is not None and (end - start).days > 17:
            yield Hit(EPISODES, row=i, value=f"{(end - start).days} days")


@rule903("366")
def short_break_starts_care(ret: Return903) -> Iterable[Hit]:
    # Each individual short break is its own period of care, so it starts with S and never changes placement.
    for i, row in ret.rows(EPISODES):
        if row.get("LS") == "V3" and row.get("RNE") != "S":
            yield Hit(EPISODES, row=i, value=row.get("RNE", ""))


@rule903("367")
def short_breaks_within_75_days(ret: Return903) -> Iterable[Hit]:
    # The 12 months are the collection year, each break counted for its days inside the year.
    for _child, episodes in dated_episodes(ret):
        breaks: list[tuple[int, int]] = []
        for i, row, start in episodes:
            if row.get("LS") != "V3":
                continue
            end = end_or_year_end(ret, row)
            if end is None:
                continue
            days = (min(end, ret.end) - max(start, ret.start)).days
            if days > 0:
                breaks.append((i, days))
        total = sum(days for _i, days in breaks)
        if total > 75:
            for i, _days in breaks:
                yield Hit(EPISODES, row=i, value=f"{total} days")


@rule903("214")
def no_placement_location_for_short_breaks(ret: Return903) -> Iterable[Hit]:
    for i, row in ret.rows(EPISODES):
        if row.get("LS") in SHORT_BREAKS and not (blank(row.get("PL_POST")) and blank(row.get("URN"))):
            yield Hit(EPISODES, row=i)


@rule903("382")
def short_breaks_not_temporary(ret: Return903) -> Iterable[Hit]:
    for i, row in ret.rows(EPISODES):
        if row.get("LS") in SHORT_BREAKS and row.get("PLACE") in TEMPORARY_PLACEMENTS:
            yield Hit(EPISODES, row=i)


# ------------------------------------------------------------------------------- placements and providers


@rule903("213")
def no_provider_for_temporary_placements(ret: Return903) -> Iterable[Hit]:
    no_provider = TEMPORARY_PLACEMENTS | Z1_SPLIT if _is_2026_on(ret) else TEMPORARY_PLACEMENTS
    for i, row in ret.rows(EPISODES):
        if row.get("PLACE") in no_provider and not blank(row.get("PLACE_PROVIDER")):
            yield Hit(EPISODES, row=i, value=row["PLACE_PROVIDER"])


@rule903("217")
def adoption_with_carer_same_carer(ret: Return903) -> Iterable[Hit]:
    # In force for placements from 1 April 2015.
    for i, row in ret.rows(EPISODES):
        start = parse(row.get("DECOM"))
        if (row.get("PLACE") in {"A3", "A5"} and start is not None and start >= date(2015, 4, 1)
                and row.get("RNE") not in {"S", "T", "U"}):
            yield Hit(EPISODES, row=i, value=row.get("RNE", ""))


def _no_urn_placements(ret: Return903) -> frozenset[str]:
    """Placement types that take no Ofsted URN (rules 218, 222)."""
    base = frozenset({"P1", "P3", "R1", "R2", "R5"}) | TEMPORARY_PLACEMENTS
    return base | Z1_SPLIT if _is_2026_on(ret) else base | {"Z1"}


# Postcode areas, to tell without the postcode directory whether a placement is outside England, where DfE
# asks for no URN (PL_LA of SCO, WAL, NIR or NUK). Areas that straddle the border are left undecided.
_AREAS_OUTSIDE_ENGLAND = frozenset({
    "AB", "DD", "DG", "EH", "FK", "G", "HS", "IV", "KA", "KW", "KY", "ML", "PA", "PH", "ZE",  # Scotland
    "CF", "SA",  # Wales
    "BT",  # Northern Ireland
    "GY", "JE", "IM",  # Crown dependencies, outside the UK
})
_AREAS_ACROSS_THE_BORDER = frozenset({"TD", "CH", "SY", "LD", "LL", "NP", "HR"})


def _postcode_area(postcode: str) -> str:
    letters = ""
    for character in postcode.strip().upper():
        if not character.isalpha() or len(letters) == 2:
            break
        letters += character
    return letters


def placed_outside_england(postcode: str) -> bool | None:
    """True when the placement postcode is outside England, False when in England, None when blank or in an
    area across the border (only the postcode directory can say)."""
    if blank(postcode):
        return None
    area = _postcode_area(postcode)
    if area in _AREAS_OUTSIDE_ENGLAND:
        return True
    if area in _AREAS_ACROSS_THE_BORDER:
        return None
    return False


@rule903("218")
def urn_required(ret: Return903) -> Iterable[Hit]:
    # Short breaks carry no placement location at all (rule 214), so they are not asked for a URN either.
    # Placements outside England (PL_LA SCO, WAL, NIR, NUK) are exempt: judged here from the postcode area,
    # and a postcode in an area across the border is given the benefit of the doubt.
    # A placement type that is not valid is reported once, by 146.
    needs_urn = placement_types(ret.year) - _no_urn_placements(ret)
    for i, row in ret.rows(EPISODES):
        if not blank(row.get("URN")) or row.get("PLACE") not in needs_urn or row.get("LS") in SHORT_BREAKS:
            continue
        if blank(row.get("DEC")):
            ends_in_year = True
        else:
            end = parse(row.get("DEC"))
            ends_in_year = end is not None and end >= ret.start
        postcode = row.get("PL_POST", "")
        if ends_in_year and (blank(postcode) or placed_outside_england(postcode) is False):
            yield Hit(EPISODES, row=i)


@rule903("222")
def no_urn_for_placement_type(ret: Return903) -> Iterable[Hit]:
    no_urn = _no_urn_placements(ret)
    for i, row in ret.rows(EPISODES):
        urn = row.get("URN", "")
        if row.get("PLACE") in no_urn and not blank(urn) and urn != RAA_URN:
            yield Hit(EPISODES, row=i, value=urn)


@rule903("233")
def no_reason_for_change_while_open(ret: Return903) -> Iterable[Hit]:
    for i, row in ret.rows(EPISODES):
        if blank(row.get("DEC")) and not blank(row.get("REASON_PLACE_CHANGE")):
            yield Hit(EPISODES, row=i, value=row["REASON_PLACE_CHANGE"])


@rule903("242")
def raa_urn_only_for_adoption_agencies(ret: Return903) -> Iterable[Hit]:
    # A regional adoption agency places children for adoption or in foster care (fostering for adoption).
    allowed = ADOPTION_PLACEMENTS | FOSTER_PLACEMENTS
    for i, row in ret.rows(EPISODES):
        if row.get("URN") == RAA_URN and row.get("PLACE") not in allowed:
            yield Hit(EPISODES, row=i, value=row.get("PLACE", ""))


@rule903("243")
def no_urn_outside_england(ret: Return903) -> Iterable[Hit]:
    # DfE reads PL_LA (CON, NIR, SCO, WAL, NUK). Without the postcode directory this catches placements whose
    # postcode area lies wholly outside England; confidential placements and areas across the border are
    # left to DfE's tool.
    for i, row in ret.rows(EPISODES):
        if not blank(row.get("URN")) and placed_outside_england(row.get("PL_POST", "")):
            yield Hit(EPISODES, row=i, value=row["URN"])


# ------------------------------------------------------------------------------------- temporary placements


@rule903("377")
def two_carer_holiday_placements_a_year(ret: Return903) -> Iterable[Hit]:
    # "Any 12-month period": three or more T3 episodes starting within a year of one another.
    for _child, episodes in dated_episodes(ret):
        holidays = [(i, start) for i, row, start in episodes if row.get("PLACE") == "T3"]
        flagged: set[int] = set()
        first = 0
        for last, (_i, start) in enumerate(holidays):
            while holidays[first][1] <= _a_year_before(start):
                first += 1
            if last - first + 1 > 2:
                flagged.update(i for i, _s in holidays[first:last + 1])
        for i, _start in holidays:
            if i in flagged:
                yield Hit(EPISODES, row=i)


def _a_year_before(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day - timedelta(days=365)


@rule903("378")
def placed_with_parents_not_section_20(ret: Return903) -> Iterable[Hit]:
    for i, row in ret.rows(EPISODES):
        if row.get("PLACE") == "P1" and row.get("LS") == "V2":
            yield Hit(EPISODES, row=i)


@rule903("380")
def care_does_not_start_in_temporary_placement(ret: Return903) -> Iterable[Hit]:
    # A move into a temporary placement is a change of carer: P, or B with a new legal status.
    for i, row in ret.rows(EPISODES):
        if row.get("PLACE") in TEMPORARY_PLACEMENTS and row.get("RNE") not in {"P", "B"}:
            yield Hit(EPISODES, row=i, value=row.get("RNE", ""))


@rule903("381")
def care_does_not_end_in_temporary_placement(ret: Return903) -> Iterable[Hit]:
    for i, row in ret.rows(EPISODES):
        rec = row.get("REC", "")
        if row.get("PLACE") in TEMPORARY_PLACEMENTS and not blank(rec) and rec != "X1":
            yield Hit(EPISODES, row=i, value=rec)


@rule903("383")
def return_from_temporary_placement(ret: Return903) -> Iterable[Hit]:
    """After a temporary placement the child goes back (RNE P) to the placement held before it.

    To 2024/25 the temporary episode is reported, and the placement type compared; from 2025/26 the episode
    after it is reported, and the placement postcode compared too.
    """
    compare_postcode = _is_2026_on(ret)
    for _child, episodes in dated_episodes(ret):
        for (_h, before, _s1), (t, temporary, _s2), (a, after, _s3) in zip(
                episodes, episodes[1:], episodes[2:], strict=False):
            if temporary.get("PLACE") not in TEMPORARY_PLACEMENTS:
                continue
            went_back = (after.get("RNE") == "P" and after.get("PLACE") == before.get("PLACE")
                         and (not compare_postcode or after.get("PL_POST") == before.get("PL_POST")))
            if not went_back:
                yield Hit(EPISODES, row=a if compare_postcode else t)
