"""Properties of working-day arithmetic, checked against a day-by-day reference."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from hearth.clocks.working_days import add_working_days, is_working_day, working_days_between

from .holiday_data import PACKAGE_2015_2035

H = PACKAGE_2015_2035
starts = st.dates(min_value=date(2016, 1, 1), max_value=date(2033, 12, 31))
counts = st.integers(min_value=1, max_value=260)
extra_holidays = st.frozensets(st.dates(min_value=date(2016, 1, 1), max_value=date(2035, 6, 30)), max_size=40)


def reference_add(start: date, n: int, holidays: frozenset[date]) -> date:
    day = start
    while n:
        day += timedelta(days=1)
        if is_working_day(day, holidays):
            n -= 1
    return day


@settings(max_examples=400)
@given(starts, counts, extra_holidays)
def test_due_is_a_working_day_matching_the_reference(start: date, n: int, extra: frozenset[date]) -> None:
    holidays = H | extra
    due = add_working_days(start, n, holidays)
    assert is_working_day(due, holidays)
    assert due == reference_add(start, n, holidays)


@settings(max_examples=400)
@given(starts, counts, extra_holidays)
def test_inverse(start: date, n: int, extra: frozenset[date]) -> None:
    holidays = H | extra
    assert working_days_between(start, add_working_days(start, n, holidays), holidays) == n


@settings(max_examples=400)
@given(starts, counts, st.dates(min_value=date(2016, 1, 1), max_value=date(2035, 6, 30)))
def test_adding_a_holiday_never_makes_a_deadline_earlier(start: date, n: int, new_holiday: date) -> None:
    before = add_working_days(start, n, H)
    after = add_working_days(start, n, H | {new_holiday})
    assert after >= before
    if new_holiday <= start or new_holiday > before or not is_working_day(new_holiday, H):
        assert after == before  # a holiday outside the span, or on a non-working day, changes nothing


@settings(max_examples=300)
@given(starts, starts, extra_holidays)
def test_between_counts_working_days_after_start_up_to_end(a: date, b: date, extra: frozenset[date]) -> None:
    holidays = H | extra
    expected = sum(
        1 for i in range(1, (b - a).days + 1) if is_working_day(a + timedelta(days=i), holidays)
    )
    assert working_days_between(a, b, holidays) == max(expected, 0)


@given(starts, counts)
def test_later_start_never_gives_earlier_deadline(start: date, n: int) -> None:
    assert add_working_days(start + timedelta(days=1), n, H) >= add_working_days(start, n, H)
