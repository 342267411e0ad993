"""SSDA903 rules on Header, Reviews and the episodes they are checked against (group A2).

The logic follows DfE's rule wording as the data-to-insight validator reads it; where that validator
differs from the wording, the wording wins and a comment says so. Each rule reads the rows as strings:
a date that cannot be read is left to the date rules (102, 166, 171 and the episode date rules) and
skipped by the others, and a blank code is left to the rule that says the field must be completed.

Ages are counted as English law counts a birthday (``hearth.workspace.dates.age_on``): a child born on
29 February turns a year older on 1 March in a common year.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date, timedelta

from hearth.care.codes import ADOPTION_REASONS
from hearth.people.validators import is_valid_upn
from hearth.returns.rules.base import Hit, Return903, Row, rule903
from hearth.returns.rules.ssda903_common import (
    SHORT_BREAKS,
    birthday,
    blank,
    end_or_year_end,
    invalid_dates,
    parse,
    unreadable_dates,
)

HEADER = "Header"
EPISODES = "Episodes"
REVIEWS = "Reviews"

# Rules of this group not implemented, and why (shown on the returns page and in the README).
# Every rule of the group can be checked from the return itself and last year's.
NOT_IMPLEMENTED: dict[str, str] = {}

SEXES = frozenset({"M", "F", "U"})  # from 2024/25; 1 and 2 before
ETHNICITIES = frozenset({
    "WBRI", "WIRI", "WIRT", "WOTH", "WROM", "MWBC", "MWBA", "MWAS", "MOTH", "AIND", "APKN", "ABAN", "AOTH",
    "BCRB", "BAFR", "BOTH", "CHNE", "OOTH", "REFU", "NOBT",
})
UPN_UNKNOWN = frozenset({"UN1", "UN2", "UN3", "UN4", "UN5"})
PARTICIPATION = frozenset({"PN0", "PN1", "PN2", "PN3", "PN4", "PN5", "PN6", "PN7"})
UNDER_FOUR = "PN0"
YOUTH_JUSTICE = frozenset({"J1", "J2", "J3"})
INDEPENDENT_LIVING = frozenset({"E5", "E6"})
SPECIAL_GUARDIANSHIP = frozenset({"E45", "E46", "E47", "E48"})
NEW_EPISODE = "X1"
# Before 2024/25 SEX was 1 (male) or 2 (female): last year's return may still say so.
_OLD_SEX = {"1": "M", "2": "F"}


def _value(row: Row, column: str) -> str:
    return (row.get(column) or "").strip()


def _headers(ret: Return903) -> dict[str, tuple[int, Row]]:
    """Each child's header row (the first, should a child appear twice)."""
    return {child: rows[0] for child, rows in ret.by_child(HEADER).items()}


def _dobs(ret: Return903) -> dict[str, date]:
    """Each child's readable date of birth from the header."""
    out: dict[str, date] = {}
    for child, (_, row) in _headers(ret).items():
        dob = parse(row.get("DOB"))
        if dob is not None:
            out[child] = dob
    return out


def _previous_headers(ret: Return903) -> dict[str, tuple[int, Row]]:
    return _headers(ret.previous) if ret.previous is not None else {}


def _in_both_years(ret: Return903) -> Iterator[tuple[int, Row, Row]]:
    """Each child in this year's header and last year's: (row, this year, last year)."""
    last = _previous_headers(ret)
    for child, (i, row) in _headers(ret).items():
        found = last.get(child)
        if found is not None:
            yield i, row, found[1]


def _open_at_year_end(rows: list[tuple[int, Row]]) -> bool:
    """Whether any of a child's episodes is still open at 31 March (no date ceased)."""
    return any(blank(row.get("DEC")) for _, row in rows)


def _looked_after_since(rows: list[tuple[int, Row]]) -> date | None:
    """When the period of care that is open at 31 March began: its episodes follow one another, each
    starting the day the one before it ceased. None when no episode is open or a date cannot be read."""
    dated = [(row, parse(row.get("DECOM"))) for _, row in rows]
    open_at = next((n for n, (row, _) in enumerate(dated) if blank(row.get("DEC"))), None)
    if open_at is None or dated[open_at][1] is None:
        return None
    since = dated[open_at][1]
    for row, start in reversed(dated[:open_at]):
        if start is None or parse(row.get("DEC")) != since or _value(row, "REC") != NEW_EPISODE:
            break
        since = start
    return since


def _episodes_with_dob(ret: Return903) -> Iterator[tuple[int, Row, date]]:
    """Each episode of a child whose header gives a readable date of birth."""
    dobs = _dobs(ret)
    for i, row in ret.rows(EPISODES):
        dob = dobs.get(row.get("CHILD", ""))
        if dob is not None:
            yield i, row, dob


def _ceased_under(ret: Return903, reasons: frozenset[str], age: int) -> Iterator[Hit]:
    """Episodes that ceased for one of ``reasons`` before the child was ``age``."""
    for i, row, dob in _episodes_with_dob(ret):
        if _value(row, "REC") in reasons:
            ceased = parse(row.get("DEC"))
            if ceased is not None and ceased < birthday(dob, age):
                yield Hit(EPISODES, row=i, value=_value(row, "REC"))


def _ceased_aged(ret: Return903, reasons: frozenset[str], age: int) -> Iterator[Hit]:
    """Episodes that ceased for one of ``reasons`` on or after the child turned ``age``."""
    for i, row, dob in _episodes_with_dob(ret):
        if _value(row, "REC") in reasons:
            ceased = parse(row.get("DEC"))
            if ceased is not None and ceased >= birthday(dob, age):
                yield Hit(EPISODES, row=i, value=_value(row, "REC"))


def _placed_under(ret: Return903, place: str, age: int) -> Iterator[Hit]:
    """Episodes in placement type ``place`` that began before the child was ``age``.

    The data-to-insight validator skips episodes still open at 31 March here; the rule's wording does not,
    so an open episode is checked too."""
    for i, row, dob in _episodes_with_dob(ret):
        if _value(row, "PLACE") == place:
            began = parse(row.get("DECOM"))
            if began is not None and began < birthday(dob, age):
                yield Hit(EPISODES, row=i, value=place)


def _temporary_longer_than(ret: Return903, place: str, days: int) -> Iterator[Hit]:
    """Temporary placements of type ``place`` longer than ``days``. One still open at 31 March counts to
    that day: if it has already run longer, it is too long whenever it ends."""
    for i, row in ret.rows(EPISODES):
        if _value(row, "PLACE") != place:
            continue
        began = parse(row.get("DECOM"))
        ended = end_or_year_end(ret, row)
        if began is not None and ended is not None and ended > began + timedelta(days=days):
            yield Hit(EPISODES, row=i, value=place)


# --------------------------------------------------------------------------------------- Header codes


@rule903("101")
def sex_valid(ret: Return903) -> Iterable[Hit]:
    for i, row in ret.rows(HEADER):
        if _value(row, "SEX") not in SEXES:
            yield Hit(HEADER, row=i, value=row.get("SEX", ""))


@rule903("102")
def date_of_birth_valid(ret: Return903) -> Iterable[Hit]:
    return unreadable_dates(ret, HEADER, "DOB")


@rule903("103")
def ethnicity_valid(ret: Return903) -> Iterable[Hit]:
    for i, row in ret.rows(HEADER):
        if _value(row, "ETHNIC") not in ETHNICITIES:
            yield Hit(HEADER, row=i, value=row.get("ETHNIC", ""))


@rule903("105")
def uasc_status_valid(ret: Return903) -> Iterable[Hit]:
    # The UASC flag (0 or 1) is a header item of the XML return only. In the CSV files a child's UASC status
    # is their row in uasc.csv, which is always a valid status; so this checks a header that carries a flag.
    for i, row in ret.rows(HEADER):
        if "UASC" in row and _value(row, "UASC") not in {"0", "1"}:
            yield Hit(HEADER, row=i, value=row.get("UASC", ""))


@rule903("168")
def upn_valid(ret: Return903) -> Iterable[Hit]:
    # A valid UPN has DfE's check letter first, as the CIN census checks it (rule 1510); the data-to-insight
    # validator checks only the shape, so a mistyped digit would pass it. A blank UPN is rule 442's.
    for i, row in ret.rows(HEADER):
        upn = _value(row, "UPN")
        if upn and upn not in UPN_UNKNOWN and not is_valid_upn(upn):
            yield Hit(HEADER, row=i, value=upn)


@rule903("171")
def mothers_child_date_of_birth_valid(ret: Return903) -> Iterable[Hit]:
    return invalid_dates(ret, HEADER, "MC_DOB")


@rule903("174")
def male_with_childs_date_of_birth(ret: Return903) -> Iterable[Hit]:
    for i, row in ret.rows(HEADER):
        if _value(row, "SEX") == "M" and not blank(row.get("MC_DOB")):
            yield Hit(HEADER, row=i)


@rule903("231", query=True)  # the message asks the council to check the date of birth
def uasc_under_eleven(ret: Return903) -> Iterable[Hit]:
    # UASC status: the header's flag in an XML return, else a row in uasc.csv (as DfE's tool derives it).
    uasc = {row.get("CHILD", "") for row in ret.table("UASC")}
    for i, row in ret.rows(HEADER):
        is_uasc = _value(row, "UASC") == "1" if "UASC" in row else row.get("CHILD", "") in uasc
        dob = parse(row.get("DOB"))
        if is_uasc and dob is not None and birthday(dob, 11) > ret.end:
            yield Hit(HEADER, row=i, value=row.get("DOB", ""))


@rule903("232", query=True)
def sex_unknown(ret: Return903) -> Iterable[Hit]:
    # U is a valid sex (rule 101 accepts it), so this can only ask the council to check it: a query.
    for i, row in ret.rows(HEADER):
        if _value(row, "SEX") == "U":
            yield Hit(HEADER, row=i, value="U")


@rule903("301")
def born_after_year_end(ret: Return903) -> Iterable[Hit]:
    for i, row in ret.rows(HEADER):
        dob = parse(row.get("DOB"))
        if dob is not None and dob > ret.end:
            yield Hit(HEADER, row=i, value=row.get("DOB", ""))


@rule903("351")
def over_25_at_year_start(ret: Return903) -> Iterable[Hit]:
    for i, row in ret.rows(HEADER):
        dob = parse(row.get("DOB"))
        if dob is not None and birthday(dob, 25) < ret.start:
            yield Hit(HEADER, row=i, value=row.get("DOB", ""))


@rule903("442")
def upn_completed(ret: Return903) -> Iterable[Hit]:
    episodes = ret.by_child(EPISODES)
    for i, row in ret.rows(HEADER):
        if blank(row.get("UPN")) and any(
                _value(episode, "LS") not in SHORT_BREAKS for _, episode in episodes.get(row.get("CHILD", ""), [])):
            yield Hit(HEADER, row=i)


@rule903("444")
def upn_unique(ret: Return903) -> Iterable[Hit]:
    holders: dict[str, list[int]] = {}
    for i, row in ret.rows(HEADER):
        upn = _value(row, "UPN")
        if upn and upn not in UPN_UNKNOWN:
            holders.setdefault(upn, []).append(i)
    for upn, rows in holders.items():
        if len(rows) > 1:
            for i in rows:
                yield Hit(HEADER, row=i, value=upn)


@rule903("209", query=True)  # returns.md A.5: UN1 is queried for school-age children
def school_age_with_un1(ret: Return903) -> Iterable[Hit]:
    # School age: 4 by 31 August of the year before the collection year began (for 2025/26, 31 August 2024).
    cutoff = date(ret.start.year - 1, 8, 31)
    for i, row in ret.rows(HEADER):
        dob = parse(row.get("DOB"))
        if _value(row, "UPN") == "UN1" and dob is not None and birthday(dob, 4) <= cutoff:
            yield Hit(HEADER, row=i, value="UN1")


@rule903("210", query=True)  # returns.md A.5: UN4 is queried for children looked after more than a week
def un4_looked_after_over_a_week(ret: Return903) -> Iterable[Hit]:
    # UN4 is for a child newly looked after in the last week of the year. The data-to-insight validator
    # reports UN4 when an episode began in that week, the opposite of the rule's wording; this follows the
    # wording: the period of care open at 31 March began before 24 March.
    last_week = ret.end - timedelta(days=7)
    episodes = ret.episodes_by_child()
    for i, row in ret.rows(HEADER):
        if _value(row, "UPN") != "UN4":
            continue
        since = _looked_after_since(episodes.get(row.get("CHILD", ""), []))
        if since is not None and since < last_week:
            yield Hit(HEADER, row=i, value="UN4")


# ------------------------------------------------------------------------------------------ mothers


@rule903("393")
def mother_not_completed(ret: Return903) -> Iterable[Hit]:
    # Looked after at 31 March (not on short breaks); a girl who left care in the year is rule 607's.
    episodes = ret.by_child(EPISODES)
    for i, row in ret.rows(HEADER):
        if _value(row, "SEX") == "F" and blank(row.get("MOTHER")) and _looked_after_at_end(
                episodes.get(row.get("CHILD", ""), [])):
            yield Hit(HEADER, row=i)


def _looked_after_at_end(rows: list[tuple[int, Row]]) -> bool:
    return any(blank(row.get("DEC")) and _value(row, "LS") not in SHORT_BREAKS for _, row in rows)


@rule903("607")
def mother_not_completed_on_leaving(ret: Return903) -> Iterable[Hit]:
    episodes = ret.by_child(EPISODES)
    for i, row in ret.rows(HEADER):
        if _value(row, "SEX") != "F" or not blank(row.get("MOTHER")):
            continue
        own = episodes.get(row.get("CHILD", ""), [])
        if _looked_after_at_end(own):
            continue  # rule 393 reports her
        for _, episode in own:
            ceased = parse(episode.get("DEC"))
            if (ceased is not None and ret.start <= ceased <= ret.end
                    and _value(episode, "REC") not in {"", NEW_EPISODE}
                    and _value(episode, "LS") not in SHORT_BREAKS):
                yield Hit(HEADER, row=i)
                break


@rule903("611")
def mother_without_childs_date_of_birth(ret: Return903) -> Iterable[Hit]:
    for i, row in ret.rows(HEADER):
        if _value(row, "MOTHER") == "1" and blank(row.get("MC_DOB")):
            yield Hit(HEADER, row=i)


@rule903("612")
def childs_date_of_birth_but_not_a_mother(ret: Return903) -> Iterable[Hit]:
    for i, row in ret.rows(HEADER):
        if (_value(row, "SEX") == "F" and _value(row, "MOTHER") in {"", "0"}
                and not blank(row.get("MC_DOB"))):
            yield Hit(HEADER, row=i, value=row.get("MOTHER", ""))


@rule903("620")
def mother_under_eleven(ret: Return903) -> Iterable[Hit]:
    for i, row in ret.rows(HEADER):
        dob = parse(row.get("DOB"))
        if _value(row, "MOTHER") == "1" and dob is not None and birthday(dob, 11) > ret.start:
            yield Hit(HEADER, row=i, value=row.get("DOB", ""))


@rule903("621")
def mother_younger_than_her_child(ret: Return903) -> Iterable[Hit]:
    for i, row in ret.rows(HEADER):
        dob = parse(row.get("DOB"))
        childs = parse(row.get("MC_DOB"))
        if dob is not None and childs is not None and childs <= dob:
            yield Hit(HEADER, row=i, value=row.get("MC_DOB", ""))


@rule903("625")
def childs_birth_after_care_or_year_ended(ret: Return903) -> Iterable[Hit]:
    # The data-to-insight validator compares with the latest DEC even when a later episode is still open
    # (so any mother who moved placement in the year would fail); the wording compares with the date she
    # ceased to be looked after, which a child still looked after at 31 March does not have.
    episodes = ret.by_child(EPISODES)
    for i, row in ret.rows(HEADER):
        childs = parse(row.get("MC_DOB"))
        if childs is None:
            continue
        own = episodes.get(row.get("CHILD", ""), [])
        ceased = None
        if own and not _open_at_year_end(own):
            ceased_dates = [d for _, e in own if (d := parse(e.get("DEC"))) is not None]
            ceased = max(ceased_dates) if len(ceased_dates) == len(own) else None
        if childs > ret.end or (ceased is not None and childs > ceased):
            yield Hit(HEADER, row=i, value=row.get("MC_DOB", ""))


# ----------------------------------------------------------------------------------- last year's header


@rule903("202", needs_previous=True)
def sex_as_last_year(ret: Return903) -> Iterable[Hit]:
    for i, row, last in _in_both_years(ret):
        now, before = _value(row, "SEX"), _value(last, "SEX")
        before = _OLD_SEX.get(before, before)
        if now and before and now != before:
            yield Hit(HEADER, row=i, value=now)


@rule903("203", needs_previous=True)
def date_of_birth_as_last_year(ret: Return903) -> Iterable[Hit]:
    for i, row, last in _in_both_years(ret):
        now, before = parse(row.get("DOB")), parse(last.get("DOB"))
        if now is not None and before is not None and now != before:
            yield Hit(HEADER, row=i, value=row.get("DOB", ""))


@rule903("204", needs_previous=True)
def ethnicity_as_last_year(ret: Return903) -> Iterable[Hit]:
    for i, row, last in _in_both_years(ret):
        now, before = _value(row, "ETHNIC").upper(), _value(last, "ETHNIC").upper()
        if now and before and now != before:
            yield Hit(HEADER, row=i, value=now)


@rule903("207", needs_previous=True)
def mother_as_last_year(ret: Return903) -> Iterable[Hit]:
    # Once a mother, always a mother: a child who was one last year and is looked after this year.
    episodes = ret.by_child(EPISODES)
    for i, row, last in _in_both_years(ret):
        if (_value(last, "MOTHER") == "1" and _value(row, "MOTHER") != "1"
                and row.get("CHILD", "") in episodes):
            yield Hit(HEADER, row=i, value=row.get("MOTHER", ""))


@rule903("208", needs_previous=True)
def upn_as_last_year(ret: Return903) -> Iterable[Hit]:
    # A UPN may go from unknown to known, or from "not yet of school age" (UN1) or nothing to another
    # unknown code; any other change disagrees. A blank UPN this year is rule 442's.
    for i, row, last in _in_both_years(ret):
        now, before = _value(row, "UPN").upper(), _value(last, "UPN").upper()
        if not now or now == before or not before:
            continue
        if now in UPN_UNKNOWN:
            changed = before != "UN1" or now == "UN1"
        else:
            changed = before not in UPN_UNKNOWN
        if changed:
            yield Hit(HEADER, row=i, value=now)


@rule903("624", needs_previous=True)
def childs_date_of_birth_as_last_year(ret: Return903) -> Iterable[Hit]:
    # Two dates that disagree. The data-to-insight validator also reports a date left blank this year; but a
    # care leaver only in OC3 has no mother item, and a looked-after mother's blank is rule 611's (or 207's
    # when MOTHER went from 1 to 0).
    for i, row, last in _in_both_years(ret):
        now, before = parse(row.get("MC_DOB")), parse(last.get("MC_DOB"))
        if now is not None and before is not None and now != before:
            yield Hit(HEADER, row=i, value=row.get("MC_DOB", ""))


@rule903("626", needs_previous=True)
def mother_since_before_the_year(ret: Return903) -> Iterable[Hit]:
    # Not a mother last year, yet her first child was born before this year began.
    for i, row, last in _in_both_years(ret):
        childs = parse(row.get("MC_DOB"))
        if (_value(row, "MOTHER") == "1" and _value(last, "MOTHER") == "0"
                and childs is not None and childs < ret.start):
            yield Hit(HEADER, row=i, value=row.get("MC_DOB", ""))


# ------------------------------------------------------------------------------------ Header and episodes


@rule903("EPI", query=True)  # a warning in DfE's portal: no episode to validate the child against
def child_without_episodes(ret: Return903) -> Iterable[Hit]:
    episodes, care_leavers = ret.by_child(EPISODES), ret.by_child("OC3")
    for i, row in ret.rows(HEADER):
        child = row.get("CHILD", "")
        if child not in episodes and child not in care_leavers:
            yield Hit(HEADER, row=i)


@rule903("234")
def custody_under_ten(ret: Return903) -> Iterable[Hit]:
    # The placement changed (for custody) on the day the episode ceased, which is when the next began.
    for i, row, dob in _episodes_with_dob(ret):
        if _value(row, "REASON_PLACE_CHANGE") == "CUSTOD":
            changed = parse(row.get("DEC"))
            if changed is not None and changed < birthday(dob, 10):
                yield Hit(EPISODES, row=i, value="CUSTOD")


@rule903("302")
def first_episode_before_birth(ret: Return903) -> Iterable[Hit]:
    dobs = _dobs(ret)
    for child, rows in ret.episodes_by_child().items():
        dob = dobs.get(child)
        i, first = rows[0]
        began = parse(first.get("DECOM"))
        if dob is not None and began is not None and began < dob:
            yield Hit(EPISODES, row=i, value=first.get("DECOM", ""))


@rule903("352")
def started_care_aged_18(ret: Return903) -> Iterable[Hit]:
    for i, row, dob in _episodes_with_dob(ret):
        began = parse(row.get("DECOM"))
        if _value(row, "RNE") == "S" and began is not None and began >= birthday(dob, 18):
            yield Hit(EPISODES, row=i, value=row.get("DECOM", ""))


@rule903("358")
def youth_justice_status_under_ten(ret: Return903) -> Iterable[Hit]:
    # The data-to-insight validator also reports an episode that began on the 10th birthday; a child is 10
    # that day, so the wording ("under 10") does not.
    for i, row, dob in _episodes_with_dob(ret):
        began = parse(row.get("DECOM"))
        if _value(row, "LS") in YOUTH_JUSTICE and began is not None and began < birthday(dob, 10):
            yield Hit(EPISODES, row=i, value=_value(row, "LS"))


@rule903("359")
def looked_after_past_18(ret: Return903) -> Iterable[Hit]:
    # Any episode that runs past the 18th birthday (to its DEC, or to 31 March while open) must be s20(5)
    # accommodation (V2) in a children's home (K2). The data-to-insight validator checks only episodes open
    # at 31 March; the wording covers every day looked after after the 18th birthday.
    for i, row, dob in _episodes_with_dob(ret):
        if _value(row, "LS") == "V2" and _value(row, "PLACE") == "K2":
            continue
        ended = end_or_year_end(ret, row)
        if ended is not None and ended > birthday(dob, 18):
            yield Hit(EPISODES, row=i, value=f"{_value(row, 'LS')} {_value(row, 'PLACE')}")


@rule903("371", query=True)  # returns.md A.5: rule 371 queries K3 before the 16th birthday
def supported_accommodation_under_16(ret: Return903) -> Iterable[Hit]:
    return _placed_under(ret, "K3", 16)


@rule903("372")
def youth_custody_under_10(ret: Return903) -> Iterable[Hit]:
    return _placed_under(ret, "R5", 10)


@rule903("373")
def school_under_4(ret: Return903) -> Iterable[Hit]:
    return _placed_under(ret, "S1", 4)


@rule903("374")
def residential_employment_under_14(ret: Return903) -> Iterable[Hit]:
    return _placed_under(ret, "P3", 14)


@rule903("375")
def hospital_over_six_weeks(ret: Return903) -> Iterable[Hit]:
    return _temporary_longer_than(ret, "T1", 42)


@rule903("376")
def carer_holiday_over_three_weeks(ret: Return903) -> Iterable[Hit]:
    return _temporary_longer_than(ret, "T3", 21)


@rule903("379")
def unspecified_temporary_over_seven_days(ret: Return903) -> Iterable[Hit]:
    return _temporary_longer_than(ret, "T4", 7)


@rule903("386")
def adopted_at_18(ret: Return903) -> Iterable[Hit]:
    return _ceased_aged(ret, ADOPTION_REASONS, 18)


@rule903("387")
def independent_living_under_14(ret: Return903) -> Iterable[Hit]:
    return _ceased_under(ret, INDEPENDENT_LIVING, 14)


@rule903("389")
def adult_social_care_under_16(ret: Return903) -> Iterable[Hit]:
    return _ceased_under(ret, frozenset({"E7"}), 16)


@rule903("407")
def special_guardianship_at_18(ret: Return903) -> Iterable[Hit]:
    # The data-to-insight validator lets an SGO on the 18th birthday pass; the child "has reached age 18"
    # that day, so the wording reports it (as rule 386 does for adoption).
    return _ceased_aged(ret, SPECIAL_GUARDIANSHIP, 18)


@rule903("460")
def staying_with_carers_under_18(ret: Return903) -> Iterable[Hit]:
    return _ceased_under(ret, frozenset({"E17"}), 18)


# -------------------------------------------------------------------------------------------- Reviews


@rule903("166")
def review_date_valid(ret: Return903) -> Iterable[Hit]:
    return unreadable_dates(ret, REVIEWS, "REVIEW")


@rule903("167")
def participation_valid(ret: Return903) -> Iterable[Hit]:
    # A row with neither a date nor a code is rule 166's (a review needs a date).
    for i, row in ret.rows(REVIEWS):
        code = _value(row, "REVIEW_CODE")
        if code not in PARTICIPATION and not (not code and blank(row.get("REVIEW"))):
            yield Hit(REVIEWS, row=i, value=row.get("REVIEW_CODE", ""))


def _age_four_at_review(row: Row) -> bool | None:
    """Whether the child was 4 or over at the review (None when a date cannot be read)."""
    dob, held = parse(row.get("DOB")), parse(row.get("REVIEW"))
    if dob is None or held is None:
        return None
    return held >= birthday(dob, 4)


@rule903("440")
def under_four_code_but_four(ret: Return903) -> Iterable[Hit]:
    # A child is 4 on their 4th birthday; the data-to-insight validator lets PN0 pass on that day.
    for i, row in ret.rows(REVIEWS):
        if _value(row, "REVIEW_CODE") == UNDER_FOUR and _age_four_at_review(row) is True:
            yield Hit(REVIEWS, row=i, value=UNDER_FOUR)


@rule903("441")
def four_or_over_code_but_under_four(ret: Return903) -> Iterable[Hit]:
    for i, row in ret.rows(REVIEWS):
        code = _value(row, "REVIEW_CODE")
        if code in PARTICIPATION - {UNDER_FOUR} and _age_four_at_review(row) is False:
            yield Hit(REVIEWS, row=i, value=code)


@rule903("399")
def short_breaks_only_without_mother_or_reviews(ret: Return903) -> Iterable[Hit]:
    # A child looked after only on short breaks (every episode V3 or V4) has no mother item and no reviews.
    headers, reviews = _headers(ret), ret.by_child(REVIEWS)
    for child, rows in ret.by_child(EPISODES).items():
        if not all(_value(row, "LS") in SHORT_BREAKS for _, row in rows):
            continue
        header = headers.get(child)
        if header is not None and not blank(header[1].get("MOTHER")):
            yield Hit(HEADER, row=header[0], fields=("LS", "MOTHER"))
        for i, review in reviews.get(child, []):
            if not (blank(review.get("REVIEW")) and blank(review.get("REVIEW_CODE"))):
                yield Hit(REVIEWS, row=i, fields=("LS", "REVIEW", "REVIEW_CODE"))
