"""SSDA903 rules on AD1, PlacedAdoption and PrevPerm (group C).

AD1 describes a child adopted from care in the year; PlacedAdoption each decision that a child should be
placed for adoption (and its reversal); PrevPerm the permanence order a child had before the period of care
that began in the year. A child may have several decisions over time: an earlier one reversed, then a new
one (rules 579, 583), so the rules that need "the" decision read the latest one, by DATE_PLACED.

The logic follows DfE's rule wording as the data-to-insight validator reads it; where that validator
differs from the wording, the wording wins and a comment says so. Rows are read as strings: a value that is
not a real date is left to the date rules (112, 113, 115, 116, 632) and skipped by the others.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from datetime import date
from itertools import pairwise

from hearth.care.codes import ADOPTION_PLACEMENTS, ADOPTION_REASONS
from hearth.returns.rules.base import Hit, Return903, Row, rule903
from hearth.returns.rules.cin import la_codes
from hearth.returns.rules.ssda903_common import (
    SHORT_BREAKS,
    bad_date,
    blank,
    invalid_codes,
    invalid_dates,
    parse,
)

# Rules of this group not implemented, and why (shown on the returns page and in the README).
NOT_IMPLEMENTED: dict[str, str] = {}

HEADER = "Header"
EPISODES = "Episodes"
AD1 = "AD1"
PLACED = "PlacedAdoption"
PREV_PERM = "PrevPerm"

AD1_ITEMS = ("DATE_INT", "DATE_MATCH", "FOSTER_CARE", "NB_ADOPTR", "SEX_ADOPTR", "LS_ADOPTR")
FOSTER_CARE_CODES = frozenset({"0", "1"})
NUMBERS_OF_ADOPTERS = frozenset({"1", "2"})
SINGLE_ADOPTER = frozenset({"M1", "F1"})
SAME_GENDER_COUPLE = frozenset({"MM", "FF"})
COUPLE = SAME_GENDER_COUPLE | {"MF"}
ADOPTER_SEXES = SINGLE_ADOPTER | COUPLE
ADOPTER_LEGAL_STATUSES = frozenset({"L0", "L11", "L12", "L2", "L3", "L4"})
# FOSTER_CARE against the placement the child was adopted from: with (A3, A5) or not with (A4, A6) the
# current foster carer. The rule's message still names the pre-2014 codes A1 and A2.
ADOPTED_BY_FOSTER_CARER = frozenset({"A3", "A5"})
ADOPTED_BY_OTHERS = frozenset({"A4", "A6"})

REASONS_PLACED_CEASED = frozenset({"RD1", "RD2", "RD3", "RD4"})
PLACEMENT_ORDER = "E1"
CONTINUES = "X1"

PREVIOUS_PERMANENCE = frozenset({"P1", "P2", "P3", "P4", "Z1"})
NO_PREVIOUS_PERMANENCE = "Z1"
LA_NOT_KNOWN = "999"
OUTSIDE_ENGLAND = frozenset({"NIR", "SCO", "WAL", "NUK"})
PREV_PERM_FIRST_COLLECTED = date(2016, 4, 1)
STARTED_CARE = "S"
# DATE_PERM may replace an unknown day, month or year by ZZ, ZZ or ZZZZ.
_DATE_PERM = re.compile(r"^(\d{2}|ZZ)/(\d{2}|ZZ)/(\d{4}|ZZZZ)$")


def _given(value: str | None) -> bool:
    return not blank(value)


def _dated(rows: list[tuple[int, Row]], column: str) -> list[tuple[date, int, Row]]:
    """The rows whose ``column`` is a real date, in date order (then table order)."""
    return sorted((day, i, row) for i, row in rows if (day := parse(row.get(column))) is not None)


def _latest_decision(rows: list[tuple[int, Row]]) -> tuple[int, Row] | None:
    """The child's latest decision that they should be placed for adoption (by DATE_PLACED)."""
    decisions = _dated(rows, "DATE_PLACED")
    if not decisions:
        return None
    _, i, row = decisions[-1]
    return i, row


def _reversed(row: Row) -> bool:
    return _given(row.get("DATE_PLACED_CEASED")) or _given(row.get("REASON_PLACED_CEASED"))


def _adoptions(ret: Return903, *, in_year: bool = False) -> Iterator[tuple[str, int, Row]]:
    """Episodes that ended in adoption (E11, E12); ``in_year``: with an adoption order dated in the year."""
    for i, row in ret.rows(EPISODES):
        if row.get("REC", "") not in ADOPTION_REASONS:
            continue
        if in_year:
            ended = parse(row.get("DEC"))
            if ended is None or not ret.start <= ended <= ret.end:
                continue
        yield row.get("CHILD", ""), i, row


def _first_row(ret: Return903, table: str, child: str) -> tuple[int, Row] | None:
    rows = ret.by_child(table).get(child)
    return rows[0] if rows else None


# ----------------------------------------------------------------------------------- codes and dates


@rule903("112")
def date_should_be_placed_valid(ret: Return903) -> Iterable[Hit]:
    return invalid_dates(ret, AD1, "DATE_INT")


@rule903("113")
def date_matched_valid(ret: Return903) -> Iterable[Hit]:
    return invalid_dates(ret, AD1, "DATE_MATCH")


@rule903("114")
def adopted_by_foster_carer_valid(ret: Return903) -> Iterable[Hit]:
    return invalid_codes(ret, AD1, "FOSTER_CARE", FOSTER_CARE_CODES)


@rule903("115")
def date_placed_valid(ret: Return903) -> Iterable[Hit]:
    return invalid_dates(ret, PLACED, "DATE_PLACED")


@rule903("116")
def date_placed_ceased_valid(ret: Return903) -> Iterable[Hit]:
    return invalid_dates(ret, PLACED, "DATE_PLACED_CEASED")


@rule903("120")
def reason_placed_ceased_valid(ret: Return903) -> Iterable[Hit]:
    return invalid_codes(ret, PLACED, "REASON_PLACED_CEASED", REASONS_PLACED_CEASED)


@rule903("175")
def number_of_adopters_valid(ret: Return903) -> Iterable[Hit]:
    return invalid_codes(ret, AD1, "NB_ADOPTR", NUMBERS_OF_ADOPTERS)


@rule903("176")
def sex_of_adopters_valid(ret: Return903) -> Iterable[Hit]:
    return invalid_codes(ret, AD1, "SEX_ADOPTR", ADOPTER_SEXES)


@rule903("177")
def legal_status_of_adopters_valid(ret: Return903) -> Iterable[Hit]:
    return invalid_codes(ret, AD1, "LS_ADOPTR", ADOPTER_LEGAL_STATUSES)


@rule903("631")
def previous_permanence_valid(ret: Return903) -> Iterable[Hit]:
    return invalid_codes(ret, PREV_PERM, "PREV_PERM", PREVIOUS_PERMANENCE)


def _la_perm_codes() -> frozenset[str]:
    # Any council code DfE accepts (today's councils and those since reorganised, which may have arranged an
    # older order), the four codes for outside England and 999, not known.
    return la_codes() | OUTSIDE_ENGLAND | {LA_NOT_KNOWN}


@rule903("633")
def previous_permanence_la_valid(ret: Return903) -> Iterable[Hit]:
    return invalid_codes(ret, PREV_PERM, "LA_PERM", _la_perm_codes())


# ------------------------------------------------------------------------------------------------ AD1


@rule903("151")
def adoption_items_all_or_none(ret: Return903) -> Iterable[Hit]:
    for i, row in ret.rows(AD1):
        given = [_given(row.get(column)) for column in AD1_ITEMS]
        if any(given) and not all(given):
            yield Hit(AD1, row=i)


def _legal_status_and_sex(ret: Return903, legal_status: str, sexes: frozenset[str]) -> Iterable[Hit]:
    # A blank SEX_ADOPTR is rule 151's finding (the community validator also reports it here).
    for i, row in ret.rows(AD1):
        sex = row.get("SEX_ADOPTR", "")
        if row.get("LS_ADOPTR", "") == legal_status and _given(sex) and sex not in sexes:
            yield Hit(AD1, row=i, value=sex)


@rule903("511")
def two_adopters_are_a_couple(ret: Return903) -> Iterable[Hit]:
    for i, row in ret.rows(AD1):
        if row.get("NB_ADOPTR", "") == "2" and row.get("SEX_ADOPTR", "") in SINGLE_ADOPTER:
            yield Hit(AD1, row=i, value=row.get("SEX_ADOPTR", ""))


@rule903("514")
def single_adopter_not_a_couple(ret: Return903) -> Iterable[Hit]:
    return _legal_status_and_sex(ret, "L0", SINGLE_ADOPTER)


@rule903("517")
def unmarried_different_gender_couple_is_mf(ret: Return903) -> Iterable[Hit]:
    return _legal_status_and_sex(ret, "L3", frozenset({"MF"}))


@rule903("518")
def unmarried_same_gender_couple_is_mm_or_ff(ret: Return903) -> Iterable[Hit]:
    return _legal_status_and_sex(ret, "L4", SAME_GENDER_COUPLE)


@rule903("519")
def civil_partners_are_a_couple(ret: Return903) -> Iterable[Hit]:
    return _legal_status_and_sex(ret, "L2", COUPLE)


@rule903("520")
def married_different_gender_couple_is_mf(ret: Return903) -> Iterable[Hit]:
    return _legal_status_and_sex(ret, "L11", frozenset({"MF"}))


@rule903("524")
def married_same_gender_couple_is_mm_or_ff(ret: Return903) -> Iterable[Hit]:
    return _legal_status_and_sex(ret, "L12", SAME_GENDER_COUPLE)


@rule903("333")
def decision_on_or_before_match(ret: Return903) -> Iterable[Hit]:
    for i, row in ret.rows(AD1):
        matched = parse(row.get("DATE_MATCH"))
        if matched is None or bad_date(row.get("DATE_INT")):
            continue
        decided = parse(row.get("DATE_INT"))
        if decided is None or decided > matched:
            yield Hit(AD1, row=i, value=row.get("DATE_INT", ""))


@rule903("331")
def matched_on_or_before_placed(ret: Return903) -> Iterable[Hit]:
    # The placement the child was adopted from began on the DECOM of the episode the adoption ended.
    for child, _, episode in _adoptions(ret):
        placed = parse(episode.get("DECOM"))
        found = _first_row(ret, AD1, child)
        if placed is None or found is None:
            continue
        i, row = found
        matched = parse(row.get("DATE_MATCH"))
        if matched is not None and matched > placed:
            yield Hit(AD1, row=i, value=row.get("DATE_MATCH", ""))


@rule903("334")
def care_began_on_or_before_decision(ret: Return903) -> Iterable[Hit]:
    episodes = ret.episodes_by_child()
    for i, row in ret.rows(AD1):
        decided = parse(row.get("DATE_INT"))
        started = _dated([(j, e) for j, e in episodes.get(row.get("CHILD", ""), [])
                          if e.get("RNE", "") == STARTED_CARE], "DECOM")
        if decided is not None and started and decided < started[-1][0]:
            yield Hit(AD1, row=i, value=row.get("DATE_INT", ""))


@rule903("335")
def adopted_by_foster_carer_matches_placement(ret: Return903) -> Iterable[Hit]:
    for child, _, episode in _adoptions(ret):
        found = _first_row(ret, AD1, child)
        if found is None:
            continue
        i, row = found
        by_carer, place = row.get("FOSTER_CARE", ""), episode.get("PLACE", "")
        if (by_carer == "0" and place in ADOPTED_BY_FOSTER_CARER) or (by_carer == "1" and place in ADOPTED_BY_OTHERS):
            yield Hit(AD1, row=i, value=by_carer)


@rule903("521")
def decision_on_or_before_placed_for_adoption(ret: Return903) -> Iterable[Hit]:
    episodes = ret.episodes_by_child()
    for i, row in ret.rows(AD1):
        decided = parse(row.get("DATE_INT"))
        placed = _dated([(j, e) for j, e in episodes.get(row.get("CHILD", ""), [])
                         if e.get("PLACE", "") in ADOPTION_PLACEMENTS], "DECOM")
        if decided is not None and placed and decided > placed[0][0]:
            yield Hit(AD1, row=i, value=row.get("DATE_INT", ""))


@rule903("523")
def decision_dates_agree(ret: Return903) -> Iterable[Hit]:
    # The adoption followed the child's latest decision; the community validator compares DATE_INT with every
    # decision, so a child with an earlier, reversed decision would be reported wrongly.
    decisions = ret.by_child(PLACED)
    for i, row in ret.rows(AD1):
        decided = parse(row.get("DATE_INT"))
        latest = _latest_decision(decisions.get(row.get("CHILD", ""), []))
        if decided is not None and latest is not None and parse(latest[1].get("DATE_PLACED")) != decided:
            yield Hit(AD1, row=i, value=row.get("DATE_INT", ""))


@rule903("525")
def adopted_after_decision_reversed(ret: Return903) -> Iterable[Hit]:
    # "The decision" is the child's latest one: an earlier decision reversed before a new one that led to the
    # adoption is allowed (rules 579, 583). The community validator reports any reversed decision.
    decisions = ret.by_child(PLACED)
    for i, row in ret.rows(AD1):
        latest = _latest_decision(decisions.get(row.get("CHILD", ""), []))
        if latest is not None and _given(latest[1].get("DATE_PLACED_CEASED")) and any(
                _given(row.get(column)) for column in AD1_ITEMS):
            yield Hit(AD1, row=i)


@rule903("582", query=True)  # "In most circumstances we expect ...": DfE asks for a check, not a correction
def matched_on_adoption_day(ret: Return903) -> Iterable[Hit]:
    for child, i, episode in _adoptions(ret):
        found = _first_row(ret, AD1, child)
        adopted = parse(episode.get("DEC"))
        if found is not None and adopted is not None and parse(found[1].get("DATE_MATCH")) == adopted:
            yield Hit(EPISODES, row=i, value=episode.get("DEC", ""))


@rule903("601")
def adoption_items_missing(ret: Return903) -> Iterable[Hit]:
    # The community validator only checks children who have an AD1 row; a child adopted in the year with no
    # AD1 row at all has none of the items either, so the episode is reported.
    for child, i, _ in _adoptions(ret, in_year=True):
        found = _first_row(ret, AD1, child)
        if found is None:
            yield Hit(EPISODES, row=i)
        elif any(blank(found[1].get(column)) for column in AD1_ITEMS):
            yield Hit(AD1, row=found[0])


@rule903("602")
def adoption_items_without_adoption(ret: Return903) -> Iterable[Hit]:
    adopted = {child for child, _, _ in _adoptions(ret, in_year=True)}
    for i, row in ret.rows(AD1):
        if row.get("CHILD", "") not in adopted and any(_given(row.get(column)) for column in AD1_ITEMS):
            yield Hit(AD1, row=i, value=row.get("CHILD", ""))


# ------------------------------------------------------------------------------------ PlacedAdoption


@rule903("117")
def decision_after_year_or_care_ended(ret: Return903) -> Iterable[Hit]:
    # Compared with the end of the child's latest episode: once the child has left care no decision about
    # them can be made or reversed. (An open latest episode sets no limit but the year's end.)
    latest = {child: rows[-1][1] for child, rows in ret.episodes_by_child().items()}
    for i, row in ret.rows(PLACED):
        episode = latest.get(row.get("CHILD", ""))
        left_care = parse(episode.get("DEC")) if episode is not None and episode.get("REC") != CONTINUES else None
        for column in ("DATE_PLACED", "DATE_PLACED_CEASED"):
            day = parse(row.get(column))
            if day is not None and (day > ret.end or (left_care is not None and day > left_care)):
                yield Hit(PLACED, row=i, fields=(column,), value=row.get(column, ""))
                break


@rule903("118")
def decision_reversed_before_year_or_care(ret: Return903) -> Iterable[Hit]:
    # Compared with the first episode that is not a short break (V3, V4), as DfE's rule reads.
    first_care: dict[str, date] = {}
    for child, rows in ret.episodes_by_child().items():
        dated = _dated([(i, e) for i, e in rows if e.get("LS", "") not in SHORT_BREAKS], "DECOM")
        if dated:
            first_care[child] = dated[0][0]
    for i, row in ret.rows(PLACED):
        ceased = parse(row.get("DATE_PLACED_CEASED"))
        if ceased is None:
            continue
        began = first_care.get(row.get("CHILD", ""))
        if ceased < ret.start or (began is not None and ceased < began):
            yield Hit(PLACED, row=i, value=row.get("DATE_PLACED_CEASED", ""))


@rule903("119")
def reversal_date_and_reason_together(ret: Return903) -> Iterable[Hit]:
    for i, row in ret.rows(PLACED):
        if blank(row.get("DATE_PLACED_CEASED")) != blank(row.get("REASON_PLACED_CEASED")):
            yield Hit(PLACED, row=i)


@rule903("184")
def decision_before_birth(ret: Return903) -> Iterable[Hit]:
    header = ret.by_child(HEADER)
    for i, row in ret.rows(PLACED):
        decided = parse(row.get("DATE_PLACED"))
        found = header.get(row.get("CHILD", ""))
        born = parse(found[0][1].get("DOB")) if found else None
        if decided is not None and born is not None and decided < born:
            yield Hit(PLACED, row=i, value=row.get("DATE_PLACED", ""))


@rule903("522")
def decision_reversed_before_made(ret: Return903) -> Iterable[Hit]:
    for i, row in ret.rows(PLACED):
        decided, ceased = parse(row.get("DATE_PLACED")), parse(row.get("DATE_PLACED_CEASED"))
        if decided is not None and ceased is not None and ceased < decided:
            yield Hit(PLACED, row=i, value=row.get("DATE_PLACED_CEASED", ""))


@rule903("563")
def reversal_without_decision(ret: Return903) -> Iterable[Hit]:
    # The community validator needs both reversal items filled in; either one says the decision was reversed
    # (the other missing is rule 119's finding).
    for i, row in ret.rows(PLACED):
        if _reversed(row) and blank(row.get("DATE_PLACED")):
            yield Hit(PLACED, row=i)


@rule903("579")
def decisions_overlap(ret: Return903) -> Iterable[Hit]:
    for rows in ret.by_child(PLACED).values():
        decisions = _dated(rows, "DATE_PLACED")
        for (_, _, before), (decided, i, row) in pairwise(decisions):
            if bad_date(before.get("DATE_PLACED_CEASED")):
                continue
            ceased = parse(before.get("DATE_PLACED_CEASED"))
            if ceased is None or decided < ceased:
                yield Hit(PLACED, row=i, value=row.get("DATE_PLACED", ""))


@rule903("583")
def earlier_decision_not_reversed(ret: Return903) -> Iterable[Hit]:
    for rows in ret.by_child(PLACED).values():
        decisions = _dated(rows, "DATE_PLACED")
        for _, i, row in decisions[:-1]:
            if blank(row.get("DATE_PLACED_CEASED")):
                yield Hit(PLACED, row=i, value=row.get("DATE_PLACED", ""))


@rule903("1003")
def decision_before_care_began(ret: Return903) -> Iterable[Hit]:
    first_start: dict[str, date] = {}
    for child, rows in ret.episodes_by_child().items():
        started = _dated([(i, e) for i, e in rows if e.get("RNE", "") == STARTED_CARE], "DECOM")
        if started:
            first_start[child] = started[0][0]
    for i, row in ret.rows(PLACED):
        decided = parse(row.get("DATE_PLACED"))
        began = first_start.get(row.get("CHILD", ""))
        if decided is not None and began is not None and decided < began:
            yield Hit(PLACED, row=i, value=row.get("DATE_PLACED", ""))


@rule903("551")
def placed_for_adoption_without_decision(ret: Return903) -> Iterable[Hit]:
    # One finding per child, on their first adoption placement of the year.
    decisions = ret.by_child(PLACED)
    for child, rows in ret.episodes_by_child().items():
        if any(_given(row.get("DATE_PLACED")) for _, row in decisions.get(child, [])):
            continue
        for i, row in rows:
            if row.get("PLACE", "") in ADOPTION_PLACEMENTS:
                yield Hit(EPISODES, row=i, value=row.get("PLACE", ""))
                break


@rule903("552")
def decision_after_placed_for_adoption(ret: Return903) -> Iterable[Hit]:
    decisions = ret.by_child(PLACED)
    for child, rows in ret.episodes_by_child().items():
        placed = _dated([(i, e) for i, e in rows if e.get("PLACE", "") in ADOPTION_PLACEMENTS], "DECOM")
        latest = _latest_decision(decisions.get(child, []))
        if placed and latest is not None:
            i, row = latest
            decided = parse(row.get("DATE_PLACED"))
            if decided is not None and placed[0][0] < decided:
                yield Hit(PLACED, row=i, value=row.get("DATE_PLACED", ""))


@rule903("553")
def placement_order_without_decision(ret: Return903) -> Iterable[Hit]:
    # A placement order (LS E1) needs a decision that the child should be placed for adoption; while the
    # order's episode is open, that decision cannot have been reversed.
    decisions = ret.by_child(PLACED)
    for child, rows in ret.episodes_by_child().items():
        orders = [(i, row) for i, row in rows if row.get("LS", "") == PLACEMENT_ORDER]
        if not orders:
            continue
        theirs = decisions.get(child, [])
        if not any(_given(row.get("DATE_PLACED")) for _, row in theirs):
            yield Hit(EPISODES, row=orders[0][0], value=PLACEMENT_ORDER)
            continue
        latest = _latest_decision(theirs)
        if latest is not None and _reversed(latest[1]) and any(blank(row.get("DEC")) for _, row in orders):
            yield Hit(PLACED, row=latest[0], fields=("DATE_PLACED_CEASED", "REASON_PLACED_CEASED"))


@rule903("554", query=True)  # the message itself warns of false positives from episodes in earlier years
def decision_after_placement_order(ret: Return903) -> Iterable[Hit]:
    decisions = ret.by_child(PLACED)
    for child, rows in ret.episodes_by_child().items():
        orders = _dated([(i, e) for i, e in rows if e.get("LS", "") == PLACEMENT_ORDER], "DECOM")
        made = _dated(decisions.get(child, []), "DATE_PLACED")
        # Reported when no decision came on or before the first placement order of the return.
        if orders and made and made[0][0] > orders[0][0]:
            yield Hit(PLACED, row=made[0][1], value=made[0][2].get("DATE_PLACED", ""))


@rule903("557")
def left_care_decision_not_reversed(ret: Return903) -> Iterable[Hit]:
    # The 2024/25 list on: a placement order (E1) or an adoption placement (A3 to A6) episode that ended with
    # the child leaving care other than by adoption. (Before 2024/25 a freeing order, D1, counted too.)
    decisions = ret.by_child(PLACED)
    for i, row in ret.rows(EPISODES):
        reason = row.get("REC", "")
        if blank(reason) or reason == CONTINUES or reason in ADOPTION_REASONS:
            continue
        if row.get("LS", "") != PLACEMENT_ORDER and row.get("PLACE", "") not in ADOPTION_PLACEMENTS:
            continue
        theirs = decisions.get(row.get("CHILD", ""), [])
        if not theirs or any(blank(d.get("DATE_PLACED_CEASED")) or blank(d.get("REASON_PLACED_CEASED"))
                             for _, d in theirs):
            yield Hit(EPISODES, row=i, value=reason)


@rule903("558")
def adopted_but_decision_reversed(ret: Return903) -> Iterable[Hit]:
    # The decision that led to the adoption is the child's latest one; an earlier decision reversed before a
    # new one is allowed (rule 583). The community validator's own reading (counting reversal dates per year)
    # does not follow the message.
    decisions = ret.by_child(PLACED)
    reported: set[str] = set()
    for child, _, _ in _adoptions(ret):
        latest = _latest_decision(decisions.get(child, []))
        if child not in reported and latest is not None and _given(latest[1].get("DATE_PLACED_CEASED")):
            reported.add(child)
            yield Hit(PLACED, row=latest[0], value=latest[1].get("DATE_PLACED_CEASED", ""))


# --------------------------------------------------------------------- PlacedAdoption against last year


def _last_years_decisions(ret: Return903) -> dict[str, list[tuple[int, Row]]]:
    return ret.previous.by_child(PLACED) if ret.previous is not None else {}


@rule903("559", needs_previous=True)
def earlier_decision_not_in_last_return(ret: Return903) -> Iterable[Hit]:
    # A decision dated before this year must have been in last year's return with the same date. (The
    # community validator accepts any date last year; a different one is then rule 560's finding only when
    # last year's decision stayed open.)
    last_year = _last_years_decisions(ret)
    for i, row in ret.rows(PLACED):
        decided = parse(row.get("DATE_PLACED"))
        if decided is None or decided >= ret.start:
            continue
        if decided not in {parse(r.get("DATE_PLACED")) for _, r in last_year.get(row.get("CHILD", ""), [])}:
            yield Hit(PLACED, row=i, value=row.get("DATE_PLACED", ""))


@rule903("560", needs_previous=True)
def open_decision_date_changed(ret: Return903) -> Iterable[Hit]:
    # A decision still open at the end of last year comes back this year with the same DATE_PLACED. Reported
    # on the child's earliest decision this year; a new decision beside the old one is not itself an error
    # (the community validator reports every row whose date differs).
    this_year = ret.by_child(PLACED)
    for child, rows in _last_years_decisions(ret).items():
        now = _dated(this_year.get(child, []), "DATE_PLACED")
        if not now:
            continue
        dates_now = {day for day, _, _ in now}
        for _, row in rows:
            decided = parse(row.get("DATE_PLACED"))
            if decided is not None and blank(row.get("DATE_PLACED_CEASED")) and decided not in dates_now:
                yield Hit(PLACED, row=now[0][1], value=now[0][2].get("DATE_PLACED", ""))
                break


@rule903("561", needs_previous=True)
def reversed_decision_returned_again(ret: Return903) -> Iterable[Hit]:
    last_year = _last_years_decisions(ret)
    for i, row in ret.rows(PLACED):
        decided = parse(row.get("DATE_PLACED"))
        if decided is None:
            continue
        if any(parse(r.get("DATE_PLACED")) == decided and _reversed(r)
               for _, r in last_year.get(row.get("CHILD", ""), [])):
            yield Hit(PLACED, row=i, value=row.get("DATE_PLACED", ""))


@rule903("584", needs_previous=True)
def new_decision_before_reversed_one(ret: Return903) -> Iterable[Hit]:
    # After a decision reversed last year, any other decision this year must be a later one. The same date
    # again is rule 561's finding, so only an earlier date is reported here.
    last_year = _last_years_decisions(ret)
    for i, row in ret.rows(PLACED):
        decided = parse(row.get("DATE_PLACED"))
        if decided is None:
            continue
        reversed_last_year = [day for _, r in last_year.get(row.get("CHILD", ""), [])
                              if _reversed(r) and (day := parse(r.get("DATE_PLACED"))) is not None]
        if reversed_last_year and decided < max(reversed_last_year):
            yield Hit(PLACED, row=i, value=row.get("DATE_PLACED", ""))


# ------------------------------------------------------------------------------------------ PrevPerm


def _date_perm_latest(value: str) -> tuple[bool, date | None]:
    """(well formed, the latest day DATE_PERM can mean): an unknown day is the month's last, an unknown month
    December's; an unknown year leaves no day to compare."""
    found = _DATE_PERM.match(value.strip())
    if found is None:
        return False, None
    day, month, year = found.groups()
    if month == "ZZ" and day != "ZZ" and not 1 <= int(day) <= 31:
        return False, None
    if year == "ZZZZ":
        if month != "ZZ" and not 1 <= int(month) <= 12:
            return False, None
        # A day that no month of any year holds (31/04, 30/02) is not a date; a leap day may be.
        if month != "ZZ" and day != "ZZ" and parse(f"{day}/{month}/2000") is None:
            return False, None
        return True, None
    if month == "ZZ":
        return True, date(int(year), 12, 31)
    if day == "ZZ":
        first = parse(f"01/{month}/{year}")
        if first is None:
            return False, None
        following = date(first.year + first.month // 12, first.month % 12 + 1, 1)
        return True, date.fromordinal(following.toordinal() - 1)
    exact = parse(value.strip())
    return exact is not None, exact


def _period_start(rows: list[tuple[int, Row]]) -> tuple[date, int, Row] | None:
    """The start of the child's latest period of care in the return (RNE S), else their first episode."""
    started = _dated([(i, e) for i, e in rows if e.get("RNE", "") == STARTED_CARE], "DECOM")
    if started:
        return started[-1]
    dated = _dated(rows, "DECOM")
    return dated[0] if dated else None


@rule903("630")
def previous_permanence_missing(ret: Return903) -> Iterable[Hit]:
    # For a child who started to be looked after in the year: PREV_PERM, and for a previous permanence order
    # (anything but Z1) the LA that arranged it and its date, where "not known" is LA_PERM 999 and a
    # DATE_PERM with ZZ for the unknown parts.
    prev_perm = ret.by_child(PREV_PERM)
    for child, rows in ret.episodes_by_child().items():
        started = [(day, i) for day, i, e in _dated(rows, "DECOM")
                   if e.get("RNE", "") == STARTED_CARE and ret.start <= day <= ret.end]
        if not started:
            continue
        _, i = started[-1]
        found = prev_perm.get(child)
        if not found:
            yield Hit(EPISODES, row=i)
            continue
        row = found[0][1]
        code = row.get("PREV_PERM", "")
        if blank(code) or (code != NO_PREVIOUS_PERMANENCE
                            and (blank(row.get("LA_PERM")) or blank(row.get("DATE_PERM")))):
            yield Hit(EPISODES, row=i, value=code)


@rule903("632")
def previous_permanence_date_valid(ret: Return903) -> Iterable[Hit]:
    # Compared with the start of the period of care the row describes (the latest RNE S of the return): a
    # child who left care to a special guardian and came back has an order after their first period began.
    episodes = ret.episodes_by_child()
    for i, row in ret.rows(PREV_PERM):
        value = row.get("DATE_PERM", "")
        if blank(value):
            continue
        well_formed, latest = _date_perm_latest(value)
        began = _period_start(episodes.get(row.get("CHILD", ""), []))
        if not well_formed or (latest is not None and began is not None and latest >= began[0]):
            yield Hit(PREV_PERM, row=i, value=value)


@rule903("634")
def previous_permanence_before_2016(ret: Return903) -> Iterable[Hit]:
    # The message's 1 April 2016 (when the items were first collected). The community validator compares
    # with the start of the collection year instead, which the message does not say.
    episodes = ret.episodes_by_child()
    for i, row in ret.rows(PREV_PERM):
        if not any(_given(row.get(column)) for column in ("PREV_PERM", "LA_PERM", "DATE_PERM")):
            continue
        starts = _dated(episodes.get(row.get("CHILD", ""), []), "DECOM")
        if starts and starts[-1][0] < PREV_PERM_FIRST_COLLECTED:
            yield Hit(PREV_PERM, row=i)


@rule903("635")
def no_previous_permanence_with_details(ret: Return903) -> Iterable[Hit]:
    # The message names Z1; the community validator reports a blank PREV_PERM. Both say "no order" beside
    # the details of one.
    for i, row in ret.rows(PREV_PERM):
        code = row.get("PREV_PERM", "")
        if (code == NO_PREVIOUS_PERMANENCE or blank(code)) and (
                _given(row.get("LA_PERM")) or _given(row.get("DATE_PERM"))):
            yield Hit(PREV_PERM, row=i, value=code)
