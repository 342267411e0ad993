"""Date arithmetic for statutory clocks. Pure Python: no Django, no network, no database.

Counting conventions (timescales.md §2):

- **The start day is day 0** and is never counted, whatever time the event happened and
  even when it falls on a weekend or holiday. "Within N working days" means the Nth
  working day strictly after the start: ``add_working_days(start, N, holidays)``.
- **Elapsed working days** between two dates counts the working days ``d`` with
  ``start < d <= end``; completion on the start day is 0.
- A **working day** is Monday to Friday and not in ``holidays`` (the England and Wales
  bank holidays, with Christmas Day and Good Friday). Weekend dates in ``holidays`` are
  harmless. Local closure days are working days and must never be passed in.
- **Months** are calendar months with the corresponding-date rule, clamped to the end of
  a shorter month (31 Jan + 1 month = 28 or 29 Feb). Month and calendar-day results are
  never rolled forward off a weekend or holiday.
- **Hours** are elapsed hours between aware ``Europe/London`` timestamps, so a clock
  change in between is handled (72 hours across the spring change ends an hour "later"
  on the wall clock).

``add_working_days`` is called in loops over every open clock, so it does whole-week
arithmetic and counts holidays by bisection instead of stepping day by day.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Collection
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta

LONDON = ZoneInfo("Europe/London")

__all__ = [
    "LONDON",
    "add_calendar_days",
    "add_hours",
    "add_months",
    "add_working_days",
    "is_working_day",
    "working_days_between",
]


def is_working_day(day: date, holidays: Collection[date]) -> bool:
    return day.weekday() < 5 and day not in holidays


@lru_cache(maxsize=16)
def _weekday_ordinals(holidays: frozenset[date]) -> tuple[int, ...]:
    """The holidays that fall Monday to Friday, as sorted ordinals (frozensets cache their hash)."""
    return tuple(sorted(d.toordinal() for d in holidays if d.weekday() < 5))


def _ordinals(holidays: Collection[date]) -> tuple[int, ...]:
    return _weekday_ordinals(holidays if isinstance(holidays, frozenset) else frozenset(holidays))


def _weekdays_through(ordinal: int) -> int:
    """Weekdays from 1 Jan 0001 (a Monday, ordinal 1) up to and including ``ordinal``."""
    weeks, rest = divmod(ordinal, 7)
    return weeks * 5 + min(rest, 5)


def _add_weekdays(start: date, n: int) -> date:
    """The nth Monday-to-Friday strictly after ``start`` (n >= 1); a weekend start counts from Friday."""
    weekday = start.weekday()
    if weekday > 4:
        start -= timedelta(days=weekday - 4)
        weekday = 4
    weeks, rest = divmod(n, 5)
    days = weeks * 7 + rest
    if weekday + rest > 4:
        days += 2
    return start + timedelta(days=days)


def add_working_days(start: date, n: int, holidays: Collection[date]) -> date:
    """The nth working day strictly after ``start`` (day 0). ``n`` must be at least 1."""
    if n < 1:
        raise ValueError(f"add_working_days needs n >= 1, not {n}: day 0 is the start and is never counted")
    ordinals = _ordinals(holidays)
    first = bisect_right(ordinals, start.toordinal())
    # Grow the span by the weekday holidays inside it until it stops growing. The least
    # fixed point lands on a working day: if it ended on a holiday, one less would also fit.
    skipped = 0
    while True:
        due = _add_weekdays(start, n + skipped)
        inside = bisect_right(ordinals, due.toordinal()) - first
        if inside == skipped:
            return due
        skipped = inside


def working_days_between(start: date, end: date, holidays: Collection[date]) -> int:
    """Working days ``d`` with ``start < d <= end``; 0 when ``end <= start``."""
    if end <= start:
        return 0
    lo, hi = start.toordinal(), end.toordinal()
    ordinals = _ordinals(holidays)
    holidays_inside = bisect_right(ordinals, hi) - bisect_right(ordinals, lo)
    return _weekdays_through(hi) - _weekdays_through(lo) - holidays_inside


def add_calendar_days(start: date, n: int) -> date:
    return start + timedelta(days=n)


def add_months(start: date, n: int) -> date:
    """Corresponding date ``n`` calendar months later, clamped to the end of a shorter month."""
    result: date = start + relativedelta(months=+n)
    return result


def add_hours(start: datetime, n: int) -> datetime:
    """``n`` elapsed hours after an aware ``start``, returned in Europe/London time."""
    if start.tzinfo is None or start.utcoffset() is None:
        raise ValueError("add_hours needs an aware datetime; make naive times Europe/London first")
    return (start.astimezone(UTC) + timedelta(hours=n)).astimezone(LONDON)
