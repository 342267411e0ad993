"""SSDA903 rules on Missing, UASC, social-worker episodes, DoLOs and the INT consistency checks (group A).

The logic follows DfE's rule wording as the data-to-insight validator reads it; where that validator
differs from the wording (or plainly misreads a date), the wording wins and a comment says so. Rows are
read as strings: a value that is not a real date is left to the date rules (1004, 1005, 104, 700, 701,
SW04, SW05) and skipped by the others.

In the CSV files a child has UASC status in a year exactly when they have a row in that year's UASC file,
and DUC is the day the status ceased or, while it lasts, the 18th birthday (returns.md §A.2). The 18th
birthday is counted as DUC and a missing period closed at 18 are made (``hearth.workspace.dates.birthday``:
29 February -> 1 March in a common year).

Missing periods, DoLOs and social worker episodes are each a spell with a start and an end (blank while
open), and share the spell checks below (``_starts_after_year`` and the like).
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import pairwise

from dateutil.relativedelta import relativedelta

from hearth.care.codes import NO_DOLO_PLACEMENTS
from hearth.care_leavers.status import birthday
from hearth.returns.rules.base import Hit, Return903, Row, rule903
from hearth.returns.rules.ssda903_common import (
    SHORT_BREAKS,
    bad_date,
    blank,
    invalid_codes,
    invalid_dates,
    parse,
    unreadable_dates,
)

# Rules of this group not implemented, and why (shown on the returns page and in the README).
_XML_ONLY = ("Applies only to the XML form of the return, where UASC status is a separate yes/no item. Hearth "
             "sends the CSV files, in which a child has UASC status exactly when they have a row in the UASC "
             "file, so a date UASC status ceased can never sit beside a 'not UASC' status.")
NOT_IMPLEMENTED: dict[str, str] = {
    "303": _XML_ONLY,
    "205C": _XML_ONLY,
}

HEADER = "Header"
EPISODES = "Episodes"
MISSING = "Missing"
UASC = "UASC"
SW = "SWEpisodes"
DOLO = "DoLo"

MISSING_TYPES = frozenset({"M", "A"})
SW_REASONS = frozenset({"MANAGE", "FCONTA", "LEFTRL", "ORGRST", "TSPROC", "ABSENC", "CHCHAN", "PCCHAN", "SWDIED",
                        "OTHERS"})
FIRST_CONTACT = "FCONTA"
# A new social worker episode may start up to 7 days either side of the previous one ending (SW10, SW10a).
SW_HANDOVER = timedelta(days=7)
# Social worker episodes were first collected in 2023/24; SW01a/SW01b split them at 1 April 2023.
SW_FIRST_COLLECTED = date(2023, 4, 1)
DOLO_EXPECTED_PLACES = frozenset({"K2", "Z12", "Z13"})


def _end_or_open(value: str | None) -> tuple[bool, date | None]:
    """(readable, end): a blank end is readable and open (None); a bad date is not readable."""
    if blank(value):
        return True, None
    end = parse(value)
    return end is not None, end


# ------------------------------------------------------------------------------------------ periods of care


@dataclass(frozen=True)
class _Period:
    """A period of care as this year's episodes show it: contiguous episodes joined.

    ``start`` is date.min when the period began before its first episode in the return (an episode open
    on 1 April that is not the period's first, RNE other than S), so nothing is said about its true start.
    ``end`` is None while the child is still looked after at 31 March."""

    start: date
    end: date | None

    def holds(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)


_PERIODS: weakref.WeakKeyDictionary[Return903, dict[str, list[_Period]]] = weakref.WeakKeyDictionary()


def _periods(ret: Return903) -> dict[str, list[_Period]]:
    """Each child's periods of care, in order (cached per return). A child with an episode whose dates are
    not real dates is left out: the episode date rules report it and these rules say nothing."""
    found = _PERIODS.get(ret)
    if found is not None:
        return found
    found = {}
    for child, rows in ret.episodes_by_child().items():
        periods: list[_Period] = []
        for _, row in rows:
            start = parse(row.get("DECOM"))
            readable, end = _end_or_open(row.get("DEC"))
            if start is None or not readable:
                break
            last = periods[-1] if periods else None
            if last is not None and (last.end is None or start <= last.end):
                joined_end = None if last.end is None or end is None else max(last.end, end)
                periods[-1] = _Period(last.start, joined_end)
            else:
                known = row.get("RNE") == "S" or start >= ret.start
                periods.append(_Period(start if known else date.min, end))
        else:
            if periods:
                found[child] = periods
    _PERIODS[ret] = found
    return found


def _period_holding(periods: list[_Period], day: date) -> _Period | None:
    return next((p for p in periods if p.holds(day)), None)


def _in_care_by_child(ret: Return903) -> set[str]:
    """Children with an episode in this year's return (looked after at some time in the year)."""
    return {child for child in ret.by_child(EPISODES) if child}


def _looked_after_in_year(ret: Return903, rows: list[tuple[int, Row]]) -> bool:
    """Whether any of a child's episodes was open in the year; unreadable dates count as open (no finding)."""
    for _, row in rows:
        start = parse(row.get("DECOM"))
        readable, end = _end_or_open(row.get("DEC"))
        if start is None or not readable:
            return True
        if start <= ret.end and (end is None or end >= ret.start):
            return True
    return False


# ------------------------------------------------------------------------------------------ spells


def _starts_after_year(ret: Return903, table: str, start: str) -> Iterator[Hit]:
    for i, row in ret.rows(table):
        day = parse(row.get(start))
        if day is not None and day > ret.end:
            yield Hit(table, row=i, value=row.get(start, ""))


def _ends_outside(ret: Return903, table: str, end: str, *, earliest: date | None = None) -> Iterator[Hit]:
    """Spells ending before ``earliest`` (the start of the year unless given) or after the year."""
    earliest = earliest or ret.start
    for i, row in ret.rows(table):
        day = parse(row.get(end))
        if day is not None and not earliest <= day <= ret.end:
            yield Hit(table, row=i, value=row.get(end, ""))


def _starts_while_open(ret: Return903, table: str, start: str, end: str) -> Iterator[Hit]:
    """A child's spell starting while the one before is still open, or before it ended."""
    for rows in ret.by_child(table).values():
        dated = sorted(((day, i, row) for i, row in rows if (day := parse(row.get(start))) is not None),
                       key=lambda t: (t[0], t[1]))
        for (_, _, before), (day, i, _) in pairwise(dated):
            readable, before_end = _end_or_open(before.get(end))
            if readable and (before_end is None or day < before_end):
                yield Hit(table, row=i)


def _open_last_year_not_carried(ret: Return903, table: str, start: str, end: str) -> Iterator[Hit]:
    """Spells open at the end of last year's return that this year's does not carry on (same start). A child
    not looked after this year is left out: last year's open spell is last year's matter."""
    assert ret.previous is not None
    this_year = ret.by_child(table)
    in_care = _in_care_by_child(ret)
    for child, rows in ret.previous.by_child(table).items():
        if child not in in_care:
            continue
        starts = {parse(r.get(start)) for _, r in this_year.get(child, [])}
        for i, row in rows:
            day = parse(row.get(start))
            if day is not None and blank(row.get(end)) and day not in starts:
                yield Hit(f"{table}_last", row=i)


def _open_spells_in_care(ret: Return903, table: str, start: str, end: str) -> Iterator[tuple[int, date, list[_Period]]]:
    """Spells still open at the end of the return, of children with periods of care: (row, start, periods)."""
    periods = _periods(ret)
    for child, rows in ret.by_child(table).items():
        child_periods = periods.get(child)
        if not child_periods:
            continue
        for i, row in rows:
            day = parse(row.get(start))
            if day is not None and blank(row.get(end)):
                yield i, day, child_periods


# ------------------------------------------------------------------------------------------ Missing


@rule903("564")
def missing_start_blank(ret: Return903) -> Iterable[Hit]:
    for i, row in ret.rows(MISSING):
        if row.get("MISSING") in MISSING_TYPES and blank(row.get("MIS_START")):
            yield Hit(MISSING, row=i)


@rule903("565")
def missing_start_without_type(ret: Return903) -> Iterable[Hit]:
    for i, row in ret.rows(MISSING):
        if not blank(row.get("MIS_START")) and blank(row.get("MISSING")):
            yield Hit(MISSING, row=i)


@rule903("566")
def missing_end_without_type(ret: Return903) -> Iterable[Hit]:
    for i, row in ret.rows(MISSING):
        if not blank(row.get("MIS_END")) and blank(row.get("MISSING")):
            yield Hit(MISSING, row=i)


@rule903("567")
def missing_ends_before_start(ret: Return903) -> Iterable[Hit]:
    for i, row in ret.rows(MISSING):
        start, end = parse(row.get("MIS_START")), parse(row.get("MIS_END"))
        if start is not None and end is not None and end < start:
            yield Hit(MISSING, row=i, value=row.get("MIS_END", ""))


@rule903("570")
def missing_starts_after_year(ret: Return903) -> Iterable[Hit]:
    return _starts_after_year(ret, MISSING, "MIS_START")


@rule903("571")
def missing_ends_outside_year(ret: Return903) -> Iterable[Hit]:
    return _ends_outside(ret, MISSING, "MIS_END")


@rule903("574")
def missing_periods_overlap(ret: Return903) -> Iterable[Hit]:
    return _starts_while_open(ret, MISSING, "MIS_START", "MIS_END")


def _episode_at(rows: list[tuple[int, Row]], day: date) -> int | None:
    """Position in the child's sorted episodes of the one running on ``day`` (on a day one episode ends
    and the next begins, the one beginning); None outside every episode or when dates are unreadable."""
    at: int | None = None
    for n, (_, row) in enumerate(rows):
        start = parse(row.get("DECOM"))
        if start is None:
            return None
        if start <= day:
            at = n
    if at is None:
        return None
    readable, end = _end_or_open(rows[at][1].get("DEC"))
    if not readable or (end is not None and day > end):
        return None
    return at


def _placement_end(rows: list[tuple[int, Row]], at: int) -> date | None:
    """When the placement of episode ``at`` ended: a change of legal status only (next RNE "L") keeps the
    placement, so the chain is followed; None while it goes on (or a date is unreadable)."""
    while True:
        readable, end = _end_or_open(rows[at][1].get("DEC"))
        if not readable or end is None:
            return None
        following = rows[at + 1][1] if at + 1 < len(rows) else None
        if following is None or following.get("RNE") != "L" or parse(following.get("DECOM")) != end:
            return end
        at += 1


@rule903("575")
def missing_open_after_placement_ended(ret: Return903) -> Iterable[Hit]:
    # The community validator flags any episode ending with the period open, even a change of legal
    # status alone; DfE's wording is about the placement ending, which is what this checks.
    episodes = ret.episodes_by_child()
    for child, rows in ret.by_child(MISSING).items():
        eps = episodes.get(child)
        if not eps:
            continue
        for i, row in rows:
            start = parse(row.get("MIS_START"))
            if start is None or not blank(row.get("MIS_END")):
                continue
            at = _episode_at(eps, start)
            if at is not None and _placement_end(eps, at) is not None:
                yield Hit(MISSING, row=i)


@rule903("576", needs_previous=True)
def missing_open_last_year_not_carried(ret: Return903) -> Iterable[Hit]:
    return _open_last_year_not_carried(ret, MISSING, "MIS_START", "MIS_END")


@rule903("577")
def missing_open_after_care_ended(ret: Return903) -> Iterable[Hit]:
    for i, start, child_periods in _open_spells_in_care(ret, MISSING, "MIS_START", "MIS_END"):
        period = _period_holding(child_periods, start)
        # A start outside every period of care is 578's or 581's finding.
        if period is not None and period.end is not None:
            yield Hit(MISSING, row=i)


def _outside_care(ret: Return903) -> Iterator[tuple[int, date, list[_Period]]]:
    """Missing rows whose start falls outside every period of care of the child."""
    periods = _periods(ret)
    for child, rows in ret.by_child(MISSING).items():
        child_periods = periods.get(child)
        if not child_periods:
            continue
        for i, row in rows:
            start = parse(row.get("MIS_START"))
            if start is not None and _period_holding(child_periods, start) is None:
                yield i, start, child_periods


@rule903("578")
def missing_after_care_ended(ret: Return903) -> Iterable[Hit]:
    # After a period of care ended (between periods, or after the last); before the first is 581.
    for i, start, periods in _outside_care(ret):
        if any(p.end is not None and p.end < start for p in periods):
            yield Hit(MISSING, row=i)


@rule903("580")
def missing_at_eighteen_not_e8(ret: Return903) -> Iterable[Hit]:
    # A child still missing at 18 has the period closed on the 18th birthday, as care ends (DfE's rule
    # as the community validator reads it): the episode that ends then must give reason E8.
    episodes = ret.by_child(EPISODES)
    for child, rows in ret.by_child(MISSING).items():
        for _, row in rows:
            dob, end = parse(row.get("DOB")), parse(row.get("MIS_END"))
            if dob is None or end is None or end != birthday(dob, 18):
                continue
            for j, episode in episodes.get(child, []):
                if parse(episode.get("DEC")) == end and episode.get("REC") != "E8":
                    yield Hit(EPISODES, row=j, value=episode.get("REC", ""))


@rule903("581")
def missing_before_care(ret: Return903) -> Iterable[Hit]:
    for i, start, periods in _outside_care(ret):
        if start < periods[0].start:
            yield Hit(MISSING, row=i)


@rule903("586")
def missing_before_birth(ret: Return903) -> Iterable[Hit]:
    for i, row in ret.rows(MISSING):
        start, dob = parse(row.get("MIS_START")), parse(row.get("DOB"))
        if start is not None and dob is not None and start <= dob:
            yield Hit(MISSING, row=i, value=row.get("MIS_START", ""))


@rule903("1004")
def missing_start_not_a_date(ret: Return903) -> Iterable[Hit]:
    for i, row in ret.rows(MISSING):
        value = row.get("MIS_START", "")
        # A blank start on a row that says missing or away is rule 564's finding.
        if bad_date(value) or (blank(value) and row.get("MISSING") not in MISSING_TYPES):
            yield Hit(MISSING, row=i, value=value)


@rule903("1005")
def missing_end_not_a_date(ret: Return903) -> Iterable[Hit]:
    return invalid_dates(ret, MISSING, "MIS_END")


@rule903("1006")
def missing_type_invalid(ret: Return903) -> Iterable[Hit]:
    return invalid_codes(ret, MISSING, "MISSING", MISSING_TYPES)


# ------------------------------------------------------------------------------------------ UASC


@rule903("104")
def uasc_ceased_not_a_date(ret: Return903) -> Iterable[Hit]:
    # Also before the year began: a child whose status ceased before 1 April has no row this year.
    for i, row in ret.rows(UASC):
        value = row.get("DUC", "")
        if blank(value):
            continue
        ceased = parse(value)
        if ceased is None or ceased < ret.start:
            yield Hit(UASC, row=i, value=value)


@rule903("304")
def uasc_ceased_after_eighteen(ret: Return903) -> Iterable[Hit]:
    for i, row in ret.rows(UASC):
        ceased, dob = parse(row.get("DUC")), parse(row.get("DOB"))
        if ceased is not None and dob is not None and ceased > birthday(dob, 18):
            yield Hit(UASC, row=i, value=row.get("DUC", ""))


@rule903("205A", needs_previous=True)
def uasc_last_year_only(ret: Return903) -> Iterable[Hit]:
    """UASC last year, looked after this year without UASC status: the status must have ceased during
    last year, so last year's DUC falls in last year."""
    assert ret.previous is not None
    this_year, last_year = ret.by_child(UASC), ret.previous.by_child(UASC)
    last_start, last_end = ret.previous.start, ret.previous.end
    in_care = _in_care_by_child(ret)
    for child, rows in ret.by_child(HEADER).items():
        # Care leavers carry no UASC rows (rule 1014), so only children looked after this year are read.
        if child in this_year or child not in last_year or child not in in_care:
            continue
        ceased = [parse(r.get("DUC")) for _, r in last_year[child]]
        if not any(c is not None and last_start <= c <= last_end for c in ceased):
            yield Hit(HEADER, row=rows[0][0])


@rule903("205B", needs_previous=True)
def uasc_both_years(ret: Return903) -> Iterable[Hit]:
    """UASC both years: last year's DUC must not say the status ceased by the end of last year (while it
    lasts, DUC is the 18th birthday), and this year's DUC is last year's or a day in this year. A blank
    DUC says nothing either way.

    The community validator asks for last year's DUC to be the 18th birthday exactly; a last year's return
    rebuilt from the record shows instead the day the status later ceased, which is no contradiction."""
    assert ret.previous is not None
    last_year, last_end = ret.previous.by_child(UASC), ret.previous.end
    for child, rows in ret.by_child(UASC).items():
        if child not in last_year:
            continue
        last_duc = parse(last_year[child][0][1].get("DUC"))
        ceased_last_year = last_duc is not None and last_duc <= last_end
        for i, row in rows:
            duc = parse(row.get("DUC"))
            moved = duc is not None and last_duc is not None and duc != last_duc and not ret.start <= duc <= ret.end
            if ceased_last_year or moved:
                yield Hit(UASC, row=i, value=row.get("DUC", ""))


@rule903("205D", needs_previous=True)
def uasc_this_year_not_last(ret: Return903) -> Iterable[Hit]:
    assert ret.previous is not None
    last_header, last_uasc = ret.previous.by_child(HEADER), ret.previous.by_child(UASC)
    for child, rows in ret.by_child(UASC).items():
        if child in last_header and child not in last_uasc:
            for i, _ in rows:
                yield Hit(UASC, row=i)


@rule903("1014")
def uasc_for_care_leaver(ret: Return903) -> Iterable[Hit]:
    oc3, episodes = ret.by_child("OC3"), ret.by_child(EPISODES)
    for child, rows in ret.by_child(UASC).items():
        completed = any(not blank(r.get(c)) for _, r in oc3.get(child, []) for c in ("IN_TOUCH", "ACTIV", "ACCOM"))
        if completed and not _looked_after_in_year(ret, episodes.get(child, [])):
            for i, _ in rows:
                yield Hit(UASC, row=i)


# ------------------------------------------------------------------------------------------ INT checks


def _not_in_header(table: str) -> Callable[[Return903], Iterable[Hit]]:
    def check(ret: Return903) -> Iterable[Hit]:
        header = ret.by_child(HEADER)
        for i, row in ret.rows(table):
            if row.get("CHILD", "") not in header:
                yield Hit(table, row=i, value=row.get("CHILD", ""))

    check.__name__ = f"child_in_{table.lower()}_not_in_header"
    return check


def _differs_from_header(table: str, column: str) -> Callable[[Return903], Iterable[Hit]]:
    def check(ret: Return903) -> Iterable[Hit]:
        header = ret.by_child(HEADER)
        for i, row in ret.rows(table):
            found = header.get(row.get("CHILD", ""))
            if not found:
                continue  # INT01 to INT09
            theirs, ours = found[0][1].get(column, ""), row.get(column, "")
            if column == "DOB":
                a, b = parse(theirs), parse(ours)
                differs = a is not None and b is not None and a != b
            else:
                differs = not blank(theirs) and not blank(ours) and theirs != ours
            if differs:
                yield Hit(table, row=i, value=ours)

    check.__name__ = f"{column.lower()}_in_{table.lower()}_differs_from_header"
    return check


def _more_than_once(table: str) -> Callable[[Return903], Iterable[Hit]]:
    def check(ret: Return903) -> Iterable[Hit]:
        for child, rows in ret.by_child(table).items():
            if child and len(rows) > 1:
                for i, _ in rows:
                    yield Hit(table, row=i, value=child)

    check.__name__ = f"child_more_than_once_in_{table.lower()}"
    return check


for _code, _table in (("INT01", "AD1"), ("INT02", "PlacedAdoption"), ("INT03", EPISODES), ("INT04", MISSING),
                      ("INT05", "OC2"), ("INT06", "OC3"), ("INT07", "PrevPerm"), ("INT08", "Reviews"),
                      ("INT09", UASC)):
    rule903(_code)(_not_in_header(_table))

for _code, _table, _column in (("INT11", "AD1", "DOB"), ("INT12", "PlacedAdoption", "DOB"),
                               ("INT13", MISSING, "DOB"), ("INT14", "OC2", "DOB"), ("INT15", "OC3", "DOB"),
                               ("INT16", "PrevPerm", "DOB"), ("INT17", "Reviews", "DOB"), ("INT18", UASC, "DOB"),
                               ("INT21", UASC, "SEX")):
    rule903(_code)(_differs_from_header(_table, _column))

for _code, _table in (("INT31", "AD1"), ("INT32", HEADER), ("INT33", "OC2"), ("INT34", "OC3"),
                      ("INT35", "PrevPerm"), ("INT36", UASC)):
    rule903(_code)(_more_than_once(_table))


# ------------------------------------------------------------------------------------------ social workers


@dataclass(frozen=True)
class _SwEpisode:
    row: int
    start: date
    end: date | None  # None while open at 31 March
    end_readable: bool
    reason: str


_SW_EPISODES: weakref.WeakKeyDictionary[Return903, dict[str, list[_SwEpisode]]] = weakref.WeakKeyDictionary()


def _sw_by_child(ret: Return903) -> dict[str, list[_SwEpisode]]:
    """Each child's social worker episodes with a real start date (SW04 reports the others), in order
    (cached per return)."""
    found = _SW_EPISODES.get(ret)
    if found is not None:
        return found
    out: dict[str, list[_SwEpisode]] = {}
    for child, rows in ret.by_child(SW).items():
        eps = []
        for i, row in rows:
            start = parse(row.get("SW_DECOM"))
            if start is None:
                continue
            readable, end = _end_or_open(row.get("SW_DEC"))
            eps.append(_SwEpisode(i, start, end, readable, row.get("SW_REASON", "")))
        eps.sort(key=lambda e: (e.start, e.end or date.max, e.row))
        out[child] = eps
    _SW_EPISODES[ret] = out
    return out


def _sw_pairs(ret: Return903) -> Iterator[tuple[_SwEpisode, _SwEpisode]]:
    """(previous, next) episodes of each child where the previous one's end is a real date."""
    for eps in _sw_by_child(ret).values():
        for before, after in pairwise(eps):
            if before.end_readable and before.end is not None:
                yield before, after


@rule903("SW01aSTG1")
def sw_incomplete_before_2023(ret: Return903) -> Iterable[Hit]:
    # A blank or unreadable start is SW04's finding; here, the worker on an episode begun before 2023/24.
    for i, row in ret.rows(SW):
        start = parse(row.get("SW_DECOM"))
        if start is not None and start < SW_FIRST_COLLECTED and blank(row.get("SW_ID")):
            yield Hit(SW, row=i)


@rule903("SW01bSTG1")
def sw_incomplete_from_2023(ret: Return903) -> Iterable[Hit]:
    for i, row in ret.rows(SW):
        start = parse(row.get("SW_DECOM"))
        if start is not None and start >= SW_FIRST_COLLECTED and (
                blank(row.get("SW_ID")) or blank(row.get("SW_REASON"))):
            yield Hit(SW, row=i)


@rule903("SW02STG1")
def sw_id_prefix(ret: Return903) -> Iterable[Hit]:
    for i, row in ret.rows(SW):
        value = row.get("SW_ID", "")
        if not value.startswith(("SW", "XX")) or len(value) < 4:
            yield Hit(SW, row=i, value=value)


@rule903("SW04STG1")
def sw_start_not_a_date(ret: Return903) -> Iterable[Hit]:
    return unreadable_dates(ret, SW, "SW_DECOM")


@rule903("SW05STG1")
def sw_end_not_a_date(ret: Return903) -> Iterable[Hit]:
    # The community validator's 2025/26 version also rejects a blank end, which every episode open at
    # 31 March has (SW17 requires one); a blank end is not a bad date.
    return invalid_dates(ret, SW, "SW_DEC")


@rule903("SW06STG2")
def sw_starts_after_year(ret: Return903) -> Iterable[Hit]:
    return _starts_after_year(ret, SW, "SW_DECOM")


@rule903("SW07STG2")
def sw_ends_outside_period(ret: Return903) -> Iterable[Hit]:
    # The social worker reporting period reaches back a year before the collection year (DfE's rule from
    # 2024/25 as the community validator reads it); an end after 31 March is never right.
    return _ends_outside(ret, SW, "SW_DEC", earliest=ret.start - relativedelta(years=1))


@rule903("SW08STG2")
def sw_previous_not_ended(ret: Return903) -> Iterable[Hit]:
    for eps in _sw_by_child(ret).values():
        for episode in eps[:-1]:
            if episode.end_readable and episode.end is None:
                yield Hit(SW, row=episode.row)


@rule903("SW09STG2", query=True)
def sw_less_than_a_day(ret: Return903) -> Iterable[Hit]:
    # Dates carry no time, so an episode ending the day it began is the one under 24 hours (an end
    # before the start is SW18's finding). The community validator's 2025/26 version queries anything
    # under 3 days, which the message does not say.
    for eps in _sw_by_child(ret).values():
        for episode in eps:
            if episode.end is not None and episode.end == episode.start:
                yield Hit(SW, row=episode.row)


@rule903("SW10STG2")
def sw_started_before_previous_ended(ret: Return903) -> Iterable[Hit]:
    """Until 2024/25 DfE's rule is "within 7 days either side of the previous episode's end" (first contact
    exempt); from 2025/26 the gap after it is SW10a's and a first contact's overlap SW10b's, so SW10 keeps
    the overlap: a start more than 7 days before the previous episode ended."""
    for before, after in _sw_pairs(ret):
        assert before.end is not None
        if after.reason == FIRST_CONTACT:
            continue
        too_early = after.start < before.end - SW_HANDOVER
        too_late = ret.year <= 2025 and after.start > before.end + SW_HANDOVER
        if too_early or too_late:
            yield Hit(SW, row=after.row)


@rule903("SW10aSTG2")
def sw_started_long_after_previous(ret: Return903) -> Iterable[Hit]:
    # The other side of "+/- 7 days" (SW10 reports a start before): a gap of more than 7 days that is not
    # a first contact or re-referral.
    for before, after in _sw_pairs(ret):
        assert before.end is not None
        if after.reason != FIRST_CONTACT and after.start > before.end + SW_HANDOVER:
            yield Hit(SW, row=after.row)


@rule903("SW10bSTG2")
def sw_first_contact_before_previous_ended(ret: Return903) -> Iterable[Hit]:
    for before, after in _sw_pairs(ret):
        assert before.end is not None
        if after.reason == FIRST_CONTACT and after.start <= before.end:
            yield Hit(SW, row=after.row)


@rule903("SW11bSTG2")
def sw_ended_before_year_end(ret: Return903) -> Iterable[Hit]:
    for eps in _sw_by_child(ret).values():
        if eps:
            last = eps[-1]
            if last.end is not None and last.end < ret.end:
                yield Hit(SW, row=last.row, value=ret.table(SW)[last.row].get("SW_DEC", ""))


@rule903("SW12STG2")
def sw_whole_year_missing(ret: Return903) -> Iterable[Hit]:
    """A child looked after on 31 March (not on short breaks) has social worker episodes for the whole
    year: there is at least one, and the earliest began by 1 April (a week's handover allowed) unless the
    child first came to the service during the year (first contact or re-referral)."""
    by_child = ret.by_child(SW)
    sw = _sw_by_child(ret)
    for child, rows in ret.by_child(EPISODES).items():
        if not child:
            continue
        at_end = any(blank(r.get("DEC")) and r.get("LS") not in SHORT_BREAKS
                     and (start := parse(r.get("DECOM"))) is not None and start <= ret.end for _, r in rows)
        if not at_end:
            continue
        if not by_child.get(child):
            yield Hit(SW, child=child)
            continue
        eps = sw.get(child)
        if eps and eps[0].start > ret.start + SW_HANDOVER and eps[0].reason != FIRST_CONTACT:
            yield Hit(SW, row=eps[0].row)


@rule903("SW13STG1")
def sw_reason_invalid(ret: Return903) -> Iterable[Hit]:
    # The reason may be left blank only on the child's first episode of the year (the change that began
    # it happened before the year, or it is the first); any other episode needs one of DfE's codes.
    first_of_year = set()
    for eps in _sw_by_child(ret).values():
        first = next((e for e in eps if e.end is None or not e.end_readable or e.end >= ret.start), None)
        if first is not None:
            first_of_year.add(first.row)
    for i, row in ret.rows(SW):
        reason = row.get("SW_REASON", "")
        if (blank(reason) and i not in first_of_year) or (not blank(reason) and reason not in SW_REASONS):
            yield Hit(SW, row=i, value=reason)


@rule903("SW17STG2")
def sw_none_open_at_year_end(ret: Return903) -> Iterable[Hit]:
    for eps in _sw_by_child(ret).values():
        if eps:
            last = eps[-1]
            if last.end is not None:
                yield Hit(SW, row=last.row)


@rule903("SW18STG2")
def sw_ends_before_start(ret: Return903) -> Iterable[Hit]:
    # Ending the day it began is SW09's query, not this error.
    for eps in _sw_by_child(ret).values():
        for episode in eps:
            if episode.end is not None and episode.end < episode.start:
                yield Hit(SW, row=episode.row)


@rule903("SW19STG2")
def sw_two_start_same_day(ret: Return903) -> Iterable[Hit]:
    for rows in ret.by_child(SW).values():
        seen: set[date] = set()
        for i, row in rows:
            start = parse(row.get("SW_DECOM"))
            if start is None:
                continue
            if start in seen:
                yield Hit(SW, row=i, value=row.get("SW_DECOM", ""))
            seen.add(start)


# ------------------------------------------------------------------------------------------ DoLOs (2026/27)


@rule903("700")
def dolo_start_not_a_date(ret: Return903) -> Iterable[Hit]:
    return unreadable_dates(ret, DOLO, "DOLO_START")


@rule903("701")
def dolo_end_not_a_date(ret: Return903) -> Iterable[Hit]:
    return invalid_dates(ret, DOLO, "DOLO_END")


@rule903("702")
def dolo_ends_before_start(ret: Return903) -> Iterable[Hit]:
    # DfE: the end must be after the start, so a DoLO ending the day it began is reported too.
    for i, row in ret.rows(DOLO):
        start, end = parse(row.get("DOLO_START")), parse(row.get("DOLO_END"))
        if start is not None and end is not None and end <= start:
            yield Hit(DOLO, row=i, value=row.get("DOLO_END", ""))


@rule903("703")
def dolo_starts_after_year(ret: Return903) -> Iterable[Hit]:
    return _starts_after_year(ret, DOLO, "DOLO_START")


@rule903("704")
def dolo_ends_outside_year(ret: Return903) -> Iterable[Hit]:
    return _ends_outside(ret, DOLO, "DOLO_END")


@rule903("705")
def dolo_starts_while_previous_open(ret: Return903) -> Iterable[Hit]:
    return _starts_while_open(ret, DOLO, "DOLO_START", "DOLO_END")


@rule903("706", needs_previous=True)
def dolo_open_last_year_not_carried(ret: Return903) -> Iterable[Hit]:
    return _open_last_year_not_carried(ret, DOLO, "DOLO_START", "DOLO_END")


@rule903("707")
def dolo_open_after_care_ended(ret: Return903) -> Iterable[Hit]:
    for i, start, child_periods in _open_spells_in_care(ret, DOLO, "DOLO_START", "DOLO_END"):
        period = _period_holding(child_periods, start)
        ended = period.end is not None if period is not None else all(p.end is not None for p in child_periods)
        if ended:
            yield Hit(DOLO, row=i)


@rule903("708")
def dolo_before_birth(ret: Return903) -> Iterable[Hit]:
    for i, row in ret.rows(DOLO):
        start, dob = parse(row.get("DOLO_START")), parse(row.get("DOB"))
        if start is not None and dob is not None and start <= dob:
            yield Hit(DOLO, row=i, value=row.get("DOLO_START", ""))


def _places_during_dolos(ret: Return903) -> Iterator[tuple[int, set[str]]]:
    """Each DoLO with the placement types of the episodes it overlaps. An episode owns the days from its
    start up to the day before it ended (the end day is the next episode's); a DoLO the same, but at
    least its first day. (The community validator reads only closed DoLOs and closed episodes.)"""
    episodes = ret.by_child(EPISODES)
    for child, rows in ret.by_child(DOLO).items():
        eps = []
        for _, episode in episodes.get(child, []):
            start = parse(episode.get("DECOM"))
            readable, end = _end_or_open(episode.get("DEC"))
            if start is not None and readable:
                eps.append((start, end or date.max, episode.get("PLACE", "")))
        for i, row in rows:
            start = parse(row.get("DOLO_START"))
            readable, end = _end_or_open(row.get("DOLO_END"))
            if start is None or not readable:
                continue
            until = date.max if end is None else max(end, start + timedelta(days=1))
            yield i, {place for s, e, place in eps if start < e and s < until}


@rule903("709")
def dolo_unexpected_placement(ret: Return903) -> Iterable[Hit]:
    # Types 710 forbids outright are its findings, not this one's.
    for i, places in _places_during_dolos(ret):
        unexpected = places - DOLO_EXPECTED_PLACES - NO_DOLO_PLACEMENTS
        if unexpected:
            yield Hit(DOLO, row=i, value=", ".join(sorted(unexpected)))


@rule903("710")
def dolo_forbidden_placement(ret: Return903) -> Iterable[Hit]:
    for i, places in _places_during_dolos(ret):
        forbidden = places & NO_DOLO_PLACEMENTS
        if forbidden:
            yield Hit(DOLO, row=i, value=", ".join(sorted(forbidden)))
