"""The helpers every SSDA903 rule group shares (hearth/returns/rules/ssda903_common.py)."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from hearth.returns.rules.ssda903_common import (
    bad_date,
    birthday,
    blank,
    dated_episodes,
    end_or_year_end,
    invalid_codes,
    invalid_dates,
    unreadable_dates,
)
from hearth.workspace.dates import age_on
from tests.returns.factories import episode, header, make_return

_DAYS = st.dates(min_value=date(1980, 1, 1), max_value=date(2040, 12, 31))


@given(dob=_DAYS, years=st.integers(min_value=0, max_value=30), on=_DAYS)
def test_birthday_is_the_day_age_on_counts_the_new_age_from(dob: date, years: int, on: date) -> None:
    # One rule for a birthday: the day ``age_on`` first gives the age is the day ``birthday`` names.
    assert (age_on(dob, on) >= years) == (on >= birthday(dob, years))


def test_a_leap_day_birthday_is_1_march_in_a_common_year() -> None:
    assert birthday(date(2008, 2, 29), 18) == date(2026, 3, 1)
    assert birthday(date(2008, 2, 29), 4) == date(2012, 2, 29)


def test_blank_and_bad_dates() -> None:
    assert blank(None) and blank("") and blank("  ") and not blank("0")
    assert bad_date("31/02/2025") and bad_date("2025-05-10") and not bad_date("") and not bad_date("10/05/2025")


def test_invalid_codes_and_dates_leave_blanks_to_the_completeness_rules() -> None:
    ret = make_return(Header=[header(CHILD="C1", SEX="X", MC_DOB=""), header(CHILD="C2", SEX="", MC_DOB="30/02/2020")])
    assert [(h.row, h.value) for h in invalid_codes(ret, "Header", "SEX", frozenset({"M", "F"}))] == [(0, "X")]
    assert [(h.row, h.value) for h in invalid_dates(ret, "Header", "MC_DOB")] == [(1, "30/02/2020")]
    # A required date: a blank is reported too.
    assert [h.row for h in unreadable_dates(ret, "Header", "MC_DOB")] == [0, 1]


def test_episodes_in_start_order_and_their_end() -> None:
    ret = make_return(Episodes=[episode(DECOM="01/09/2025", DEC=""), episode(DECOM="bad"),
                                episode(DECOM="10/05/2025", DEC="01/09/2025", REC="X1")])
    assert [(child, [i for i, _row, _start in rows]) for child, rows in dated_episodes(ret)] == [("C1", [2, 0])]
    assert end_or_year_end(ret, ret.table("Episodes")[0]) == date(2026, 3, 31)
    assert end_or_year_end(ret, ret.table("Episodes")[2]) == date(2025, 9, 1)
    assert end_or_year_end(ret, episode(DEC="31/09/2025")) is None
