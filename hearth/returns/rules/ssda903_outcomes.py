"""SSDA903 rules on OC2 (children looked after for 12 months) and OC3 (care leavers) (group D).

The logic follows DfE's rule wording as the data-to-insight validator reads it; where that validator
differs from the wording (or plainly misreads it), the wording wins and a comment says so. Rows are read
as strings: a value that is not a real date is left to the date rules and skipped here.

"Looked after continuously for 12 months at 31 March" is DfE's definition, read from the episodes: the
child has an episode in the year, and none that starts care after 1 April (RNE S), none that ends care
on or after 1 April (REC other than X1) and none on a series of short breaks (V3/V4) in the year.

Birthdays are counted as the OC3 rows are made (``hearth.workspace.dates.birthday``): a young person born
on 29 February has their birthday on 1 March in a common year.
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Iterable, Iterator
from datetime import date

from hearth.care.codes import ADOPTION_REASONS
from hearth.care_leavers.oc3 import oc3_birthday
from hearth.care_leavers.status import birthday
from hearth.returns.rules.base import Hit, Return903, Row, rule903
from hearth.returns.rules.ssda903_common import SHORT_BREAKS, blank, invalid_codes, parse

# Rules of this group not implemented, and why (shown on the returns page and in the README).
NOT_IMPLEMENTED: dict[str, str] = {}

HEADER = "Header"
EPISODES = "Episodes"
OC2 = "OC2"
OC3 = "OC3"
AD1 = "AD1"

# OC2 items after the SDQ: the 0/1 flags, and the four every child in OC2 must have (rules 182, 191).
OC2_FLAGS = ("CONVICTED", "HEALTH_CHECK", "IMMUNISATIONS", "TEETH_CHECK", "HEALTH_ASSESSMENT", "SUBSTANCE_MISUSE",
             "INTERVENTION_RECEIVED", "INTERVENTION_OFFERED")
OC2_REQUIRED = ("IMMUNISATIONS", "TEETH_CHECK", "HEALTH_ASSESSMENT", "SUBSTANCE_MISUSE")
OC3_ITEMS = ("IN_TOUCH", "ACTIV", "ACCOM")
AD1_ITEMS = ("DATE_INT", "DATE_MATCH", "FOSTER_CARE", "NB_ADOPTR", "SEX_ADOPTR", "LS_ADOPTR")

SDQ_REASONS = frozenset({"SDQ1", "SDQ2", "SDQ3", "SDQ4", "SDQ5"})
SDQ_AGE_REASON = "SDQ1"  # under 4 or over 16 at the latest assessment
FLAG_VALUES = frozenset({"0", "1"})
IN_TOUCH_CODES = frozenset({"YES", "NO", "DIED", "REFU", "NREQ", "RHOM"})
ACTIVITIES = frozenset({"F1", "P1", "F2", "P2", "F4", "P4", "F5", "P5", "G4", "G5", "G6", "0"})
# A letter and 1 (suitable) or 2 (unsuitable), or 0; no one is suitably homeless (S1) or in custody (X1).
ACCOMMODATION = frozenset({f"{letter}{suitable}" for letter in "BCDEGHKRSTUVWXYZ" for suitable in "12"}
                          - {"S1", "X1"} | {"0"})
FOYER = "T"
FORMER_FOSTER_CARERS = "Z"
NOT_IN_TOUCH_ANY_MORE = frozenset({"DIED", "RHOM"})
DIED_IN_CARE = "E2"
CARE_TRANSFERRED = "E3"
SAME_DAY_MOVE = "X1"
MALE, FEMALE = "M", "F"
# A relevant child was looked after for 13 weeks from their 14th birthday, some of it after their 16th.
RELEVANT_DAYS_FROM_14 = 91

def _filled(row: Row, columns: Iterable[str]) -> list[str]:
    return [column for column in columns if not blank(row.get(column))]


# ------------------------------------------------------------------------------------------ who is who


_CONTINUOUS: weakref.WeakKeyDictionary[Return903, dict[str, bool | None]] = weakref.WeakKeyDictionary()
_IN_CARE: weakref.WeakKeyDictionary[Return903, dict[str, bool | None]] = weakref.WeakKeyDictionary()


def _continuously_looked_after(ret: Return903) -> dict[str, bool | None]:
    """Each child with episodes: looked after continuously for 12 months at 31 March (True/False), or
    None when an episode's dates are not real dates (the date rules say so; these rules say nothing)."""
    found = _CONTINUOUS.get(ret)
    if found is not None:
        return found
    found = {}
    for child, rows in ret.episodes_by_child().items():
        in_year, broken, readable = False, False, True
        for _, row in rows:
            start, end = parse(row.get("DECOM")), parse(row.get("DEC"))
            if start is None or (end is None and not blank(row.get("DEC"))):
                readable = False
                break
            if start > ret.end or (end is not None and end < ret.start):
                continue
            in_year = True
            if row.get("RNE") == "S" and start > ret.start:
                broken = True
            if end is not None and end <= ret.end and row.get("REC") != SAME_DAY_MOVE:
                broken = True
            if row.get("LS") in SHORT_BREAKS:
                broken = True
        found[child] = (in_year and not broken) if readable else None
    _CONTINUOUS[ret] = found
    return found


def _looked_after_continuously(ret: Return903, child: str) -> bool | None:
    """True/False (False for a child with no episode), or None when their episode dates cannot be read."""
    found = _continuously_looked_after(ret)
    return found.get(child, False)


def _in_care_in_year(ret: Return903) -> dict[str, bool | None]:
    """Each child with episodes: looked after at some time in the year other than on short breaks, or
    None when an episode's dates cannot be read."""
    found = _IN_CARE.get(ret)
    if found is not None:
        return found
    found = {}
    for child, rows in ret.by_child(EPISODES).items():
        result: bool | None = False
        for _, row in rows:
            start, end = parse(row.get("DECOM")), parse(row.get("DEC"))
            if start is None or (end is None and not blank(row.get("DEC"))):
                result = None
                break
            if row.get("LS") not in SHORT_BREAKS and start <= ret.end and (end is None or end >= ret.start):
                result = True
        found[child] = result
    _IN_CARE[ret] = found
    return found


def _care_leavers(ret: Return903) -> dict[str, int]:
    """Children with care leaver information completed: CHILD -> their OC3 row."""
    return {row.get("CHILD", ""): i for i, row in ret.rows(OC3) if _filled(row, OC3_ITEMS)}


def _oc3_completed(ret: Return903) -> Iterator[tuple[int, Row]]:
    for i, row in ret.rows(OC3):
        if _filled(row, OC3_ITEMS):
            yield i, row


def _oc2_cla(ret: Return903) -> Iterator[tuple[int, Row, bool | None]]:
    for i, row in ret.rows(OC2):
        yield i, row, _looked_after_continuously(ret, row.get("CHILD", ""))


# ------------------------------------------------------------------------------------------ OC3 codes


# "If reporting ... the data entry must be valid": a blank is not an invalid code (153 covers a row with some
# items blank; a row left wholly blank is allowed where the information is not required). The data-to-insight
# validator also reports blanks, which would contradict 153, 1007 and 1016.


@rule903("131")
def in_touch_valid(ret: Return903) -> Iterable[Hit]:
    return invalid_codes(ret, OC3, "IN_TOUCH", IN_TOUCH_CODES)


@rule903("132")
def activity_valid(ret: Return903) -> Iterable[Hit]:
    return invalid_codes(ret, OC3, "ACTIV", ACTIVITIES)


@rule903("133")
def accommodation_valid(ret: Return903) -> Iterable[Hit]:
    return invalid_codes(ret, OC3, "ACCOM", ACCOMMODATION)


@rule903("153")
def care_leaver_items_together(ret: Return903) -> Iterable[Hit]:
    for i, row in ret.rows(OC3):
        left_blank = [column for column in OC3_ITEMS if blank(row.get(column))]
        if 0 < len(left_blank) < len(OC3_ITEMS):
            yield Hit(OC3, row=i, fields=tuple(left_blank))


@rule903("344")
def nothing_more_after_death_or_return_home(ret: Return903) -> Iterable[Hit]:
    for i, row in ret.rows(OC3):
        if row.get("IN_TOUCH") in NOT_IN_TOUCH_ANY_MORE:
            completed = [c for c in ("ACTIV", "ACCOM") if not blank(row.get(c)) and row.get(c) != "0"]
            if completed:
                yield Hit(OC3, row=i, fields=("IN_TOUCH", *completed))


@rule903("345")
def in_touch_but_nothing_known(ret: Return903) -> Iterable[Hit]:
    for i, row in ret.rows(OC3):
        if row.get("IN_TOUCH") == "YES":
            zero = [c for c in ("ACTIV", "ACCOM") if row.get(c) == "0"]
            if zero:
                yield Hit(OC3, row=i, fields=("IN_TOUCH", *zero))


@rule903("347")
def no_foyer_under_18(ret: Return903) -> Iterable[Hit]:
    # DfE: if ACCOM is a foyer (T), the young person must be 18 at the start of the year. The rule list's
    # fields (DEC, PLACE, URN) are a slip of the source; the data-to-insight validator compares ACCOM with
    # "T" itself, which no real code (T1, T2) equals.
    for i, row in ret.rows(OC3):
        dob = parse(row.get("DOB"))
        if row.get("ACCOM", "").startswith(FOYER) and dob is not None and birthday(dob, 18) > ret.start:
            yield Hit(OC3, row=i, fields=("DOB", "ACCOM"), value=row.get("ACCOM", ""))


@rule903("348", needs_previous=True)
def died_last_year(ret: Return903) -> Iterable[Hit]:
    assert ret.previous is not None
    died = {row.get("CHILD", "") for _, row in ret.previous.rows(OC3) if row.get("IN_TOUCH") == "DIED"}
    for i, row in ret.rows(OC3):
        if row.get("CHILD", "") in died and row.get("IN_TOUCH") != "DIED":
            yield Hit(OC3, row=i, value=row.get("IN_TOUCH", ""))


@rule903("391")
def not_a_care_leaver_age(ret: Return903) -> Iterable[Hit]:
    # The wording (17 to 21 at some time in the year) also rules out a young person 22 all year, which the
    # data-to-insight validator does not check.
    for i, row in _oc3_completed(ret):
        dob = parse(row.get("DOB"))
        if dob is not None and (birthday(dob, 17) > ret.end or birthday(dob, 22) <= ret.start):
            yield Hit(OC3, row=i, value=row.get("DOB", ""))


@rule903("3001")
def not_with_former_foster_carers_at_17(ret: Return903) -> Iterable[Hit]:
    header_dob = {row.get("CHILD", ""): row.get("DOB", "") for _, row in ret.rows(HEADER)}
    for i, row in ret.rows(OC3):
        if not row.get("ACCOM", "").startswith(FORMER_FOSTER_CARERS):
            continue
        dob = parse(header_dob.get(row.get("CHILD", "")) or row.get("DOB"))
        if dob is not None and ret.start <= birthday(dob, 17) <= ret.end:
            yield Hit(OC3, row=i, fields=("ACCOM",), value=row.get("ACCOM", ""))


# ------------------------------------------------------------------------------------------ who is in OC3


@rule903("134")
def no_adoption_for_care_leavers(ret: Return903) -> Iterable[Hit]:
    care_leavers = _care_leavers(ret)
    for i, row in ret.rows(AD1):
        if row.get("CHILD", "") in care_leavers and _filled(row, AD1_ITEMS):
            yield Hit(AD1, row=i)


@rule903("1000")
def died_in_care(ret: Return903) -> Iterable[Hit]:
    died = {row.get("CHILD", "") for _, row in ret.rows(EPISODES) if row.get("REC") == DIED_IN_CARE}
    if ret.previous is not None:
        died |= {row.get("CHILD", "") for _, row in ret.previous.rows(EPISODES) if row.get("REC") == DIED_IN_CARE}
    for i, row in _oc3_completed(ret):
        if row.get("CHILD", "") in died:
            yield Hit(OC3, row=i)


def _care_history(ret: Return903, child: str) -> list[tuple[date, date, Row]] | None:
    """The child's episodes in this and last year's returns (each once, by start date), open ones ending
    at the end of the return they came from; None when a date cannot be read."""
    assert ret.previous is not None
    by_start: dict[date, tuple[date, Row]] = {}
    for source, year_end in ((ret.previous, ret.previous.end), (ret, ret.end)):
        for _, row in source.by_child(EPISODES).get(child, []):
            start, end = parse(row.get("DECOM")), parse(row.get("DEC"))
            if start is None or (end is None and not blank(row.get("DEC"))):
                return None
            known = by_start.get(start)
            # This year's copy of an episode open at last year's end says how it ended.
            if known is None or end is not None or blank(known[1].get("DEC")):
                by_start[start] = (end or year_end, row)
    return [(start, end, row) for start, (end, row) in sorted(by_start.items())]


@rule903("1001", query=True, needs_previous=True)
def not_relevant_or_former_relevant(ret: Return903) -> Iterable[Hit]:
    # Two years of episodes cannot show the care of a young person 20 or over at 31 March; they are left
    # out (the data-to-insight validator means to, but reports them). Nor can they when the earliest
    # episode seen does not start care (RNE other than S): the period began before the two years, so the
    # weeks since the 14th birthday cannot be counted. One with no episode at all is 1002's.
    dobs = {row.get("CHILD", ""): parse(row.get("DOB")) for _, row in ret.rows(HEADER)}
    for i, row in _oc3_completed(ret):
        child = row.get("CHILD", "")
        dob = dobs.get(child)
        if dob is None or birthday(dob, 20) <= ret.end:
            continue
        history = _care_history(ret, child)
        if not history or history[0][2].get("RNE") != "S":
            continue
        from_14, from_16 = birthday(dob, 14), birthday(dob, 16)
        days_from_14 = days_from_16 = 0
        for start, end, episode in history:
            if episode.get("LS") in SHORT_BREAKS:
                continue
            days_from_14 += max(0, (end - max(start, from_14)).days)
            days_from_16 += max(0, (end - max(start, from_16)).days)
        adopted = history[-1][2].get("REC") in ADOPTION_REASONS
        if adopted or days_from_14 < RELEVANT_DAYS_FROM_14 or days_from_16 < 1:
            yield Hit(OC3, row=i)


@rule903("1002", query=True, needs_previous=True)
def never_looked_after(ret: Return903) -> Iterable[Hit]:
    assert ret.previous is not None
    this_year, last_year = ret.by_child(EPISODES), ret.previous.by_child(EPISODES)
    for i, row in _oc3_completed(ret):
        child = row.get("CHILD", "")
        if child not in this_year and child not in last_year:
            yield Hit(OC3, row=i)


def _still_looked_after(rows: list[tuple[int, Row]], day: date) -> bool:
    for _, row in rows:
        start, end = parse(row.get("DECOM")), parse(row.get("DEC"))
        still_open = end is None and blank(row.get("DEC"))
        if start is not None and start <= day and (still_open or (end is not None and end > day)):
            return True
    return False


def _left_care_after(rows: list[tuple[int, Row]], day: date, year_end: date) -> bool:
    for _, row in rows:
        end = parse(row.get("DEC"))
        if end is not None and day < end <= year_end and row.get("REC") != SAME_DAY_MOVE:
            return True
    return False


def _seventeen_or_eighteen(ret: Return903) -> Iterator[tuple[int, Row, date, list[tuple[int, Row]]]]:
    """OC3 rows completed for a young person whose 17th or 18th birthday is in the year, with the
    birthday and their episodes this year."""
    episodes = ret.by_child(EPISODES)
    for i, row in _oc3_completed(ret):
        found = oc3_birthday(parse(row.get("DOB")), ret.year)
        if found is not None and found[0] in (17, 18):
            yield i, row, found[1], episodes.get(row.get("CHILD", ""), [])


@rule903("1007")
def still_looked_after_on_birthday(ret: Return903) -> Iterable[Hit]:
    # Looked after on the birthday: an episode begun by then and ending after it, or still open (the
    # data-to-insight validator misses open episodes). Leaving care on the birthday itself is a care leaver.
    for i, _, day, episodes in _seventeen_or_eighteen(ret):
        if _still_looked_after(episodes, day):
            yield Hit(OC3, row=i)


@rule903("1016")
def left_care_after_birthday(ret: Return903) -> Iterable[Hit]:
    # After the 17th or 18th birthday in the year, as the wording says: the data-to-insight validator
    # counts any leaving on or after the 17th birthday, which would catch every 18-year-old who left care
    # on their 18th birthday, exactly the young people OC3 is for.
    for i, _, day, episodes in _seventeen_or_eighteen(ret):
        if _left_care_after(episodes, day, ret.end):
            yield Hit(OC3, row=i)


@rule903("1010", needs_previous=True)
def open_last_year_but_no_episodes(ret: Return903) -> Iterable[Hit]:
    assert ret.previous is not None
    this_year = ret.by_child(EPISODES)
    for i, row in _oc3_completed(ret):
        child = row.get("CHILD", "")
        if child in this_year:
            continue
        dated = [(start, episode) for _, episode in ret.previous.by_child(EPISODES).get(child, [])
                 if (start := parse(episode.get("DECOM"))) is not None]
        if dated and blank(max(dated, key=lambda d: d[0])[1].get("DEC")):
            yield Hit(OC3, row=i)


@rule903("1011")
def care_transferred(ret: Return903) -> Iterable[Hit]:
    episodes = ret.episodes_by_child()
    for i, row in _oc3_completed(ret):
        dated = [episode for _, episode in episodes.get(row.get("CHILD", ""), [])
                 if parse(episode.get("DECOM")) is not None]
        if dated and dated[-1].get("REC") == CARE_TRANSFERRED:
            yield Hit(OC3, row=i)


# ------------------------------------------------------------------------------------------ mothers


@rule903("165")
def mother_status_valid(ret: Return903) -> Iterable[Hit]:
    # DfE: MOTHER, when given, is 0 or 1 and only for girls; a girl looked after in the year (other than
    # on short breaks) must have it, and a care leaver not looked after in the year must not. SEX U says
    # nothing either way.
    in_care = _in_care_in_year(ret)
    care_leavers = _care_leavers(ret)
    for i, row in ret.rows(HEADER):
        child, mother, sex = row.get("CHILD", ""), row.get("MOTHER", ""), row.get("SEX")
        looked_after = in_care.get(child, False)
        if blank(mother):
            bad = sex == FEMALE and looked_after is True
        else:
            bad = (mother not in FLAG_VALUES or sex == MALE
                   or (sex == FEMALE and looked_after is False and child in care_leavers))
        if bad:
            yield Hit(HEADER, row=i, fields=("MOTHER", "SEX"), value=mother)


@rule903("628")
def no_mother_status_for_care_leavers(ret: Return903) -> Iterable[Hit]:
    episodes = ret.by_child(EPISODES)
    care_leavers = _care_leavers(ret)
    for i, row in ret.rows(HEADER):
        child = row.get("CHILD", "")
        if not blank(row.get("MOTHER")) and child in care_leavers and child not in episodes:
            yield Hit(HEADER, row=i, value=row.get("MOTHER", ""))


# ------------------------------------------------------------------------------------------ OC2 codes


@rule903("180")
def sdq_score_valid(ret: Return903) -> Iterable[Hit]:
    for i, row in ret.rows(OC2):
        score = row.get("SDQ_SCORE", "")
        if not blank(score) and not (re.fullmatch(r"[0-9]{1,2}", score) and int(score) <= 40):
            yield Hit(OC2, row=i, value=score)


@rule903("181")
def flags_are_0_or_1(ret: Return903) -> Iterable[Hit]:
    for i, row in ret.rows(OC2):
        bad = tuple(c for c in OC2_FLAGS if not blank(row.get(c)) and row.get(c) not in FLAG_VALUES)
        if bad:
            yield Hit(OC2, row=i, fields=bad, value=", ".join(row.get(c, "") for c in bad))


@rule903("196")
def sdq_reason_valid(ret: Return903) -> Iterable[Hit]:
    return invalid_codes(ret, OC2, "SDQ_REASON", SDQ_REASONS)


@rule903("182")
def health_items_together(ret: Return903) -> Iterable[Hit]:
    # "Completed, or all OC2 fields left blank": any item given needs the four (the data-to-insight
    # validator looks only at the other four items, so misses e.g. a teeth check alone).
    for i, row in ret.rows(OC2):
        missing = tuple(c for c in OC2_REQUIRED if blank(row.get(c)))
        if missing and _filled(row, OC2_FLAGS):
            yield Hit(OC2, row=i, fields=missing)


def _needs_the_four(ret: Return903, column: str) -> Iterator[Hit]:
    # "Completed" is 0 or 1: the data-to-insight validator asks the four only of a 1.
    for i, row in ret.rows(OC2):
        missing = tuple(c for c in OC2_REQUIRED if blank(row.get(c)))
        if missing and not blank(row.get(column)):
            yield Hit(OC2, row=i, fields=(column, *missing))


@rule903("544")
def convicted_needs_health_items(ret: Return903) -> Iterable[Hit]:
    return _needs_the_four(ret, "CONVICTED")


@rule903("547")
def health_check_needs_health_items(ret: Return903) -> Iterable[Hit]:
    return _needs_the_four(ret, "HEALTH_CHECK")


@rule903("158")
def no_offer_when_received(ret: Return903) -> Iterable[Hit]:
    for i, row in ret.rows(OC2):
        if row.get("INTERVENTION_RECEIVED") == "1" and not blank(row.get("INTERVENTION_OFFERED")):
            yield Hit(OC2, row=i)


@rule903("159")
def offer_when_not_received(ret: Return903) -> Iterable[Hit]:
    for i, row in ret.rows(OC2):
        if (row.get("SUBSTANCE_MISUSE") == "1" and row.get("INTERVENTION_RECEIVED") == "0"
                and blank(row.get("INTERVENTION_OFFERED"))):
            yield Hit(OC2, row=i)


@rule903("192")
def intervention_received_for_misuse(ret: Return903) -> Iterable[Hit]:
    for i, row in ret.rows(OC2):
        if row.get("SUBSTANCE_MISUSE") == "1" and blank(row.get("INTERVENTION_RECEIVED")):
            yield Hit(OC2, row=i)


@rule903("193")
def no_intervention_without_misuse(ret: Return903) -> Iterable[Hit]:
    for i, row in ret.rows(OC2):
        misuse = row.get("SUBSTANCE_MISUSE", "")
        if (misuse == "0" or blank(misuse)) and _filled(row, ("INTERVENTION_RECEIVED", "INTERVENTION_OFFERED")):
            yield Hit(OC2, row=i)


@rule903("197a")
def no_reason_with_a_score(ret: Return903) -> Iterable[Hit]:
    for i, row in ret.rows(OC2):
        if not blank(row.get("SDQ_SCORE")) and not blank(row.get("SDQ_REASON")):
            yield Hit(OC2, row=i)


# ------------------------------------------------------------------------------------------ OC2 by age


def _oc2_ages(ret: Return903) -> Iterator[tuple[int, Row, date]]:
    for i, row in ret.rows(OC2):
        dob = parse(row.get("DOB"))
        if dob is not None:
            yield i, row, dob


def _sdq_given(row: Row) -> bool:
    return bool(_filled(row, ("SDQ_SCORE", "SDQ_REASON")))


@rule903("188")
def no_sdq_under_4(ret: Return903) -> Iterable[Hit]:
    for i, row, dob in _oc2_ages(ret):
        if birthday(dob, 4) > ret.end and _sdq_given(row):
            yield Hit(OC2, row=i)


@rule903("189")
def no_sdq_from_17(ret: Return903) -> Iterable[Hit]:
    for i, row, dob in _oc2_ages(ret):
        if birthday(dob, 17) <= ret.start and _sdq_given(row):
            yield Hit(OC2, row=i)


@rule903("542")
def no_conviction_under_10(ret: Return903) -> Iterable[Hit]:
    for i, row, dob in _oc2_ages(ret):
        if birthday(dob, 10) > ret.end and not blank(row.get("CONVICTED")):
            yield Hit(OC2, row=i, value=row.get("CONVICTED", ""))


def _sdq_age(ret: Return903, dob: date) -> bool:
    """4 or over on 1 April and under 17 on 31 March: the ages an SDQ is for all year."""
    return birthday(dob, 4) <= ret.start and birthday(dob, 17) > ret.end


@rule903("157")
def no_age_reason_at_sdq_age(ret: Return903) -> Iterable[Hit]:
    # "16 years or under at the end of the year" is under 17 on 31 March (as rule 186); the data-to-insight
    # validator reads it as under 16.
    for i, row, dob in _oc2_ages(ret):
        if (row.get("SDQ_REASON") == SDQ_AGE_REASON and _sdq_age(ret, dob)
                and _looked_after_continuously(ret, row.get("CHILD", "")) is True):
            yield Hit(OC2, row=i, fields=("DOB", "SDQ_REASON"))


@rule903("186")
def sdq_at_sdq_age(ret: Return903) -> Iterable[Hit]:
    # A reason (SDQ2 to SDQ5: refused, disability, other) explains a missing score (returns.md A.4); the
    # data-to-insight validator asks for both a score and a reason, which 197a forbids.
    for i, row, dob in _oc2_ages(ret):
        if (_sdq_age(ret, dob) and not _sdq_given(row)
                and _looked_after_continuously(ret, row.get("CHILD", "")) is True):
            yield Hit(OC2, row=i)


@rule903("197B")
def sdq_turning_4_or_17(ret: Return903) -> Iterable[Hit]:
    for i, row, dob in _oc2_ages(ret):
        # A birthday on 1 April is not "turning" in the year: 17 then is rule 189's, 4 then rule 186's.
        turning = any(ret.start < birthday(dob, age) <= ret.end for age in (4, 17))
        if turning and not _sdq_given(row) and _looked_after_continuously(ret, row.get("CHILD", "")) is True:
            yield Hit(OC2, row=i, fields=("DOB", "SDQ_SCORE", "SDQ_REASON"))


@rule903("543")
def conviction_from_10(ret: Return903) -> Iterable[Hit]:
    # "Aged 10 or over at 31 March" includes a 10th birthday on 31 March (the data-to-insight validator
    # leaves that day out).
    for i, row, dob in _oc2_ages(ret):
        if (birthday(dob, 10) <= ret.end and blank(row.get("CONVICTED"))
                and _looked_after_continuously(ret, row.get("CHILD", "")) is True):
            yield Hit(OC2, row=i)


@rule903("545")
def health_check_under_5(ret: Return903) -> Iterable[Hit]:
    for i, row, dob in _oc2_ages(ret):
        if (birthday(dob, 5) > ret.end and blank(row.get("HEALTH_CHECK"))
                and _looked_after_continuously(ret, row.get("CHILD", "")) is True):
            yield Hit(OC2, row=i)


@rule903("546")
def no_health_check_from_5(ret: Return903) -> Iterable[Hit]:
    for i, row, dob in _oc2_ages(ret):
        if (birthday(dob, 5) <= ret.end and not blank(row.get("HEALTH_CHECK"))
                and _looked_after_continuously(ret, row.get("CHILD", "")) is True):
            yield Hit(OC2, row=i, value=row.get("HEALTH_CHECK", ""))


# ------------------------------------------------------------------------------------------ who is in OC2


@rule903("185")
def no_score_unless_12_months(ret: Return903) -> Iterable[Hit]:
    for i, row, continuous in _oc2_cla(ret):
        if continuous is False and not blank(row.get("SDQ_SCORE")):
            yield Hit(OC2, row=i)


@rule903("198")
def no_reason_unless_12_months(ret: Return903) -> Iterable[Hit]:
    for i, row, continuous in _oc2_cla(ret):
        if continuous is False and not blank(row.get("SDQ_REASON")):
            yield Hit(OC2, row=i)


@rule903("190")
def no_outcomes_unless_12_months(ret: Return903) -> Iterable[Hit]:
    for i, row, continuous in _oc2_cla(ret):
        completed = _filled(row, OC2_FLAGS)
        if continuous is False and completed:
            yield Hit(OC2, row=i, fields=tuple(completed))


@rule903("191")
def outcomes_after_12_months(ret: Return903) -> Iterable[Hit]:
    oc2_children = ret.by_child(OC2)
    for i, row, continuous in _oc2_cla(ret):
        missing = tuple(c for c in OC2_REQUIRED if blank(row.get(c)))
        if continuous is True and missing:
            yield Hit(OC2, row=i, fields=missing)
    # A child looked after for 12 months with no OC2 row at all: reported on their first episode.
    for child, continuous in _continuously_looked_after(ret).items():
        if continuous is True and child not in oc2_children:
            first, _ = ret.episodes_by_child()[child][0]
            yield Hit(EPISODES, row=first, fields=("CHILD",))


@rule903("187")
def no_adoption_or_care_leaving_after_12_months(ret: Return903) -> Iterable[Hit]:
    for table, items in ((OC3, OC3_ITEMS), (AD1, AD1_ITEMS)):
        for i, row in ret.rows(table):
            if _filled(row, items) and _looked_after_continuously(ret, row.get("CHILD", "")) is True:
                yield Hit(table, row=i)


@rule903("215")
def no_outcomes_for_care_leavers(ret: Return903) -> Iterable[Hit]:
    care_leavers = _care_leavers(ret)
    for i, row in ret.rows(OC2):
        child = row.get("CHILD", "")
        if child in care_leavers and _filled(row, OC2_FLAGS):
            yield Hit(OC3, row=care_leavers[child])
            yield Hit(OC2, row=i)
