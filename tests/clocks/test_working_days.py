"""Counting conventions and every worked example in timescales.md §2.2-2.4."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from hearth.clocks.working_days import (
    add_calendar_days,
    add_hours,
    add_months,
    add_working_days,
    is_working_day,
    working_days_between,
)

from .holiday_data import GOV_UK_2020_2027, PACKAGE_2015_2035

H = GOV_UK_2020_2027
LONDON = ZoneInfo("Europe/London")


def test_package_agrees_with_gov_uk_list_on_weekdays() -> None:
    package_weekdays = {d for d in PACKAGE_2015_2035 if d.weekday() < 5 and 2020 <= d.year <= 2027}
    assert package_weekdays == set(H)


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        # §2.2 worked examples
        (date(2024, 12, 20), 15, date(2025, 1, 15)),  # ICPC
        (date(2026, 12, 18), 20, date(2027, 1, 20)),  # first CLA review: skips 25 Dec, 28 Dec, 1 Jan
        (date(2025, 3, 3), 45, date(2025, 5, 8)),  # assessment: skips Good Friday, Easter Monday, 5 May
        (date(2025, 12, 22), 10, date(2026, 1, 8)),  # first core group
        # Referral on Good Friday, the Thursday before, or the Saturday after: Tue 22 Apr 2025
        (date(2025, 4, 18), 1, date(2025, 4, 22)),
        (date(2025, 4, 17), 1, date(2025, 4, 22)),
        (date(2025, 4, 19), 1, date(2025, 4, 22)),
        (date(2025, 4, 20), 1, date(2025, 4, 22)),  # Easter Sunday
        (date(2025, 4, 21), 1, date(2025, 4, 22)),  # Easter Monday is day 0 too
        # Christmas: Christmas Eve and 29-31 Dec are working days
        (date(2025, 12, 23), 1, date(2025, 12, 24)),
        (date(2025, 12, 24), 1, date(2025, 12, 29)),
        (date(2025, 12, 24), 4, date(2026, 1, 2)),  # 29, 30, 31 Dec, then 2 Jan
        (date(2026, 12, 24), 1, date(2026, 12, 29)),  # Boxing Day substitute Mon 28 Dec
        (date(2021, 12, 24), 1, date(2021, 12, 29)),  # Christmas and Boxing Day substitutes 27-28 Dec
        (date(2022, 12, 23), 1, date(2022, 12, 28)),
        # Easter 2024
        (date(2024, 3, 28), 1, date(2024, 4, 2)),
        (date(2024, 3, 27), 2, date(2024, 4, 2)),
        # One-off holidays
        (date(2022, 6, 1), 1, date(2022, 6, 6)),  # Spring (moved) 2 Jun and Platinum Jubilee 3 Jun
        (date(2022, 5, 27), 4, date(2022, 6, 6)),  # 30 May is NOT a holiday in 2022
        (date(2022, 9, 16), 1, date(2022, 9, 20)),  # State Funeral Mon 19 Sep
        (date(2023, 5, 5), 1, date(2023, 5, 9)),  # Coronation Mon 8 May
        (date(2023, 4, 28), 2, date(2023, 5, 3)),  # Early May Mon 1 May
        (date(2020, 5, 7), 1, date(2020, 5, 11)),  # VE Day Fri 8 May 2020
        (date(2020, 5, 1), 1, date(2020, 5, 4)),  # 4 May 2020 was a working day
        # Plain weeks
        (date(2025, 6, 2), 5, date(2025, 6, 9)),
        (date(2025, 6, 6), 1, date(2025, 6, 9)),
        (date(2025, 6, 7), 5, date(2025, 6, 13)),  # Saturday start: Monday is day 1
    ],
)
def test_add_working_days(start: date, n: int, expected: date) -> None:
    assert add_working_days(start, n, H) == expected
    assert working_days_between(start, expected, H) == n


def test_day_zero_is_never_counted() -> None:
    with pytest.raises(ValueError, match="n >= 1"):
        add_working_days(date(2025, 6, 2), 0, H)
    with pytest.raises(ValueError):
        add_working_days(date(2025, 6, 2), -3, H)


def test_working_days_between_boundaries() -> None:
    monday = date(2025, 6, 2)
    assert working_days_between(monday, monday, H) == 0  # same-day completion
    assert working_days_between(monday, monday - timedelta(days=3), H) == 0
    assert working_days_between(monday, monday + timedelta(days=1), H) == 1
    assert working_days_between(date(2025, 6, 6), date(2025, 6, 8), H) == 0  # Fri to Sun
    assert working_days_between(date(2025, 4, 17), date(2025, 4, 22), H) == 1


def test_is_working_day() -> None:
    assert is_working_day(date(2025, 12, 24), H)  # Christmas Eve is a working day
    assert not is_working_day(date(2025, 12, 25), H)
    assert not is_working_day(date(2025, 12, 27), H)  # Saturday
    assert not is_working_day(date(2022, 9, 19), H)


def test_accepts_any_collection_of_holidays() -> None:
    assert add_working_days(date(2025, 4, 17), 1, set(H)) == date(2025, 4, 22)
    assert add_working_days(date(2025, 4, 17), 1, frozenset()) == date(2025, 4, 18)


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (date(2025, 1, 31), 1, date(2025, 2, 28)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2024, 11, 30), 3, date(2025, 2, 28)),
        (date(2025, 8, 31), 6, date(2026, 2, 28)),
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
        (date(2025, 3, 15), 3, date(2025, 6, 15)),
    ],
)
def test_add_months_corresponding_date_clamped(start: date, n: int, expected: date) -> None:
    assert add_months(start, n) == expected


def test_month_result_is_not_moved_off_a_weekend() -> None:
    assert add_months(date(2025, 3, 1), 3) == date(2025, 6, 1)  # a Sunday, left as it is


def test_calendar_days() -> None:
    assert add_calendar_days(date(2025, 12, 20), 7) == date(2025, 12, 27)
    assert add_calendar_days(date(2025, 1, 1), 42) == date(2025, 2, 12)


def test_72_hours_across_the_spring_clock_change() -> None:
    found = datetime(2025, 3, 28, 14, 30, tzinfo=LONDON)  # GMT
    due = add_hours(found, 72)
    assert due == datetime(2025, 3, 31, 15, 30, tzinfo=LONDON)  # BST: an hour later on the wall clock
    assert due.utcoffset() == timedelta(hours=1)
    # Subtracting two datetimes in the same zone gives wall-clock time; compare in UTC.
    assert due.astimezone(UTC) - found.astimezone(UTC) == timedelta(hours=72)


def test_72_hours_across_the_autumn_clock_change() -> None:
    found = datetime(2025, 10, 24, 14, 30, tzinfo=LONDON)  # BST
    due = add_hours(found, 72)
    assert due == datetime(2025, 10, 27, 13, 30, tzinfo=LONDON)  # GMT
    assert due.utcoffset() == timedelta(0)


def test_72_hours_without_a_clock_change() -> None:
    due = add_hours(datetime(2025, 3, 1, 14, 30, tzinfo=LONDON), 72)
    assert due.isoformat() == "2025-03-04T14:30:00+00:00"


def test_hours_need_an_aware_datetime() -> None:
    with pytest.raises(ValueError, match="aware"):
        add_hours(datetime(2025, 3, 1, 14, 30), 72)
