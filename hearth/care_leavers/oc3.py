"""SSDA903 OC3: care leavers' in-touch status, activity and accommodation around their 17th to 21st
birthday (returns.md §A.4-A.5). Pure: it takes the facts and returns the row, or why there is none.

The DfE guide asks for the young person's situation "around" the birthday; returns.md leaves the exact
window to be checked [check]. Hearth uses **three months either side of the birthday, nearest to it**:

* IN_TOUCH is the code of the contact (or attempt) nearest the birthday within that window; none there
  is ``NO`` (the council was not in touch). A death before the birthday is ``DIED``.
* ACTIV and ACCOM are the entries in force on the birthday (their histories run "from a date" until the
  next entry), else the first entry made within three months after it. When the council was not in
  touch, only an entry that began within the window counts: an older one is not knowledge of the
  young person's situation around the birthday. Nothing known is ``0``.
* A young person who died or returned home for six months or more has ACTIV and ACCOM ``0`` (rule 344).

Not returned (with the DfE rule): no 17th-21st birthday in the year (391); never looked after (1002);
died in care (1000); looked after on their 17th or 18th birthday (1007), or leaving care after it within
the year (1016); not a relevant or former relevant young person on the birthday (1001).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from hearth.care.codes import EET_ACTIVITIES

from .status import CarePeriod, Decision, Status, birthday, care_leaver_status

WINDOW = relativedelta(months=3)
OC3_AGES = (17, 18, 19, 20, 21)


def _nth(n: int) -> str:
    return f"{n}{'st' if n % 10 == 1 and n != 11 else 'th'}"


def collection_year(year: int) -> tuple[date, date]:
    """1 April ``year - 1`` to 31 March ``year``: collection year ``year`` (2026 is 2025/26)."""
    return date(year - 1, 4, 1), date(year, 3, 31)


def oc3_birthday(date_of_birth: date | None, year: int) -> tuple[int, date] | None:
    """Which of the 17th to 21st birthdays falls in the collection year, and its date."""
    if date_of_birth is None:
        return None
    start, end = collection_year(year)
    for age in OC3_AGES:
        day = birthday(date_of_birth, age)
        if start <= day <= end:
            return age, day
    return None


@dataclass(frozen=True)
class OC3Row:
    child_id: int
    date_of_birth: date
    age: int
    birthday: date
    in_touch: str
    activity: str
    accommodation: str
    contact_on: date | None = None
    activity_from: date | None = None
    accommodation_from: date | None = None
    # What a validator would query, in words with the DfE rule number.
    warnings: tuple[str, ...] = ()

    @property
    def is_eet(self) -> bool:
        return self.activity in EET_ACTIVITIES


@dataclass(frozen=True)
class OC3Result:
    row: OC3Row | None
    reason: str = ""  # why there is no row
    year: int = 0
    notes: tuple[str, ...] = field(default=())


def window(day: date) -> tuple[date, date]:
    """The first and last days "around" ``day``: three months either side."""
    return day - WINDOW, day + WINDOW


def _nearest(entries: Sequence[tuple[date, str]], day: date, around: tuple[date, date]) -> tuple[date, str] | None:
    """The entry dated nearest ``day`` within ``around`` (its window); on a tie, the one before the birthday."""
    earliest, latest = around
    inside = [e for e in entries if earliest <= e[0] <= latest]
    if not inside:
        return None
    return min(inside, key=lambda e: (abs((e[0] - day).days), e[0] > day))


def _around(entries: Sequence[tuple[date, str]], day: date, around: tuple[date, date], *,
            in_touch: bool) -> tuple[date, str] | None:
    """The history entry that says where things stood on ``day`` (see the module docstring)."""
    earliest, latest = around
    ordered = sorted(entries, key=lambda e: e[0])
    before = [e for e in ordered if e[0] <= day]
    after = [e for e in ordered if day < e[0] <= latest]
    found = before[-1] if before else (after[0] if after else None)
    if found is not None and not in_touch and found[0] < earliest:
        return None
    return found


def oc3_result(
    *,
    child_id: int,
    date_of_birth: date | None,
    date_of_death: date | None,
    periods: Sequence[CarePeriod],
    decisions: Sequence[Decision],
    contacts: Sequence[tuple[date, str]],
    accommodation: Sequence[tuple[date, str, bool]],
    activities: Sequence[tuple[date, str]],
    year: int,
) -> OC3Result:
    found = oc3_birthday(date_of_birth, year)
    if found is None or date_of_birth is None:
        return OC3Result(None, "No 17th to 21st birthday in this collection year (rule 391).", year)
    age, day = found
    if not periods:
        return OC3Result(None, "Never looked after, so no care leaver information is returned (rule 1002).", year)
    if any(p.reason_ceased == "E2" for p in periods):
        return OC3Result(None, "Died while looked after (rule 1000).", year)
    _, end = collection_year(year)
    if age in (17, 18):
        if any(p.started_on <= day and (p.ended_on is None or p.ended_on > day) for p in periods):
            return OC3Result(None, f"Still looked after on their {_nth(age)} birthday (rule 1007).", year)
        if any(p.ended_on is not None and day < p.ended_on <= end for p in periods):
            return OC3Result(None, f"Left care after their {_nth(age)} birthday (rule 1016).", year)
    died = date_of_death is not None and date_of_death <= day
    # A death before the birthday: the status is the one they had the day before they died.
    status_day = date_of_death - timedelta(days=1) if died and date_of_death else day
    status = care_leaver_status(date_of_birth=date_of_birth, periods=periods, decisions=decisions, on=status_day)
    if status.status not in (Status.RELEVANT, Status.FORMER_RELEVANT):
        return OC3Result(None, f"Not a relevant or former relevant young person on their {_nth(age)} birthday "
                               f"({status.label.lower()}; rule 1001).", year)

    warnings: list[str] = []
    contact = None
    around = window(day)
    if died:
        in_touch = "DIED"
    else:
        contact = _nearest(contacts, day, around)
        if contact is None:
            in_touch = "NO"
            warnings.append("No contact recorded within 3 months of the birthday: returned as not in touch.")
        else:
            in_touch = contact[1]
    if in_touch in ("DIED", "RHOM"):
        return OC3Result(OC3Row(child_id, date_of_birth, age, day, in_touch, "0", "0",
                                contact_on=contact[0] if contact else None), year=year)
    known = in_touch == "YES"
    activity = _around(activities, day, around, in_touch=known)
    place = _around([(on, f"{letter}{'1' if ok else '2'}") for on, letter, ok in accommodation], day, around,
                    in_touch=known)
    activ = activity[1] if activity else "0"
    accom = place[1] if place else "0"
    if known and (activ == "0" or accom == "0"):
        warnings.append("In touch, but activity or accommodation is not recorded around the birthday (rule 345).")
    if age == 17 and accom.startswith("Z"):
        warnings.append("Living with former foster carers cannot be returned at 17 (rule 3001).")
    return OC3Result(
        OC3Row(child_id, date_of_birth, age, day, in_touch, activ, accom,
               contact_on=contact[0] if contact else None,
               activity_from=activity[0] if activity else None,
               accommodation_from=place[0] if place else None, warnings=tuple(warnings)),
        year=year,
    )
