"""The care-leaver status, computed from the care history: the 13-week rule at its edges, and properties that
must hold for every history (checked against a day-by-day count)."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from hearth.care_leavers.status import (
    DECLINED_SUPPORT,
    DETAINED_ON_16TH_BIRTHDAY,
    FULL_SUPPORT,
    RETURNED_HOME,
    CarePeriod,
    CareSpell,
    Decision,
    Status,
    birthday,
    care_leaver_status,
)

DOB = date(2006, 5, 10)
B14, B16, B18, B21, B25 = (birthday(DOB, n) for n in (14, 16, 18, 21, 25))


def status(periods: list[CarePeriod], on: date, decisions: tuple[Decision, ...] = (), died: date | None = None):
    return care_leaver_status(date_of_birth=DOB, periods=periods, on=on, decisions=decisions, date_of_death=died)


def days(n: int) -> timedelta:
    return timedelta(days=n)


# ----------------------------------------------------------------------------------------------- the 13 weeks


def test_eligible_on_the_day_the_91st_day_in_care_is_reached_and_not_the_day_before():
    periods = [CarePeriod(B16, None)]
    assert status(periods, B16 + days(89)).status == Status.NONE
    result = status(periods, B16 + days(90))
    assert result.status == Status.ELIGIBLE
    assert result.eligible_from == B16 + days(90)
    assert result.days_counted == 91


def test_not_yet_eligible_says_when_they_will_be():
    result = status([CarePeriod(B16, None)], B16 + days(10))
    assert result.status == Status.NONE and result.in_care
    assert result.eligible_if_stays_on == B16 + days(90)
    assert "not yet an eligible child" in " ".join(result.reasons)


def test_thirteen_weeks_before_16_make_them_eligible_on_their_16th_birthday():
    result = status([CarePeriod(B14, None)], B16)
    assert result.status == Status.ELIGIBLE and result.eligible_from == B16


def test_time_in_care_before_14_does_not_count():
    periods = [CarePeriod(B14 - days(400), B14 + days(30)), CarePeriod(B16, None)]
    result = status(periods, B16)
    assert result.days_counted == 30 + 1
    assert result.status == Status.NONE
    assert result.eligible_if_stays_on == B16 + days(60)


def test_periods_add_up_to_13_weeks():
    periods = [CarePeriod(B14 + days(100), B14 + days(150)), CarePeriod(B16, None)]
    # 50 days before, then the 41st day from the 16th birthday makes 91.
    assert status(periods, B16 + days(39)).status == Status.NONE
    assert status(periods, B16 + days(40)).status == Status.ELIGIBLE


def test_leaving_the_day_after_the_91st_day_makes_a_relevant_child_a_day_earlier_a_qualifying_one():
    relevant = status([CarePeriod(B16, B16 + days(91))], B16 + days(120))
    assert relevant.status == Status.RELEVANT
    assert relevant.left_care_on == B16 + days(91)
    qualifying = status([CarePeriod(B16, B16 + days(90))], B16 + days(120))
    assert qualifying.status == Status.QUALIFYING


def test_care_that_ended_on_the_16th_birthday_ended_at_15():
    result = status([CarePeriod(B14, B16)], B16 + days(30))
    assert result.status == Status.NONE
    assert "Not looked after since their 16th birthday" in " ".join(result.reasons)
    assert status([CarePeriod(B14, B16 + days(1))], B16 + days(30)).status == Status.RELEVANT


def test_short_breaks_neither_count_nor_make_a_young_person_looked_after():
    short = CarePeriod(B14, None, spells=(CareSpell(B14, None, short_break=True),))
    result = status([short], B16 + days(200))
    assert result.status == Status.NONE and not result.in_care and result.days_counted == 0
    # A V2 period that became short breaks: only the V2 part counts.
    mixed = CarePeriod(B16 - days(50), None, spells=(CareSpell(B16 - days(50), B16 + days(10)),
                                                     CareSpell(B16 + days(10), None, short_break=True)))
    mixed_result = status([mixed], B16 + days(100))
    assert mixed_result.days_counted == 60
    assert mixed_result.status == Status.QUALIFYING
    assert "not counting short breaks" in mixed_result.reasons[0]


# ----------------------------------------------------------------------------------------------- after care


def test_former_relevant_from_18_with_support_to_21_then_to_25_unless_declined():
    periods = [CarePeriod(B16 - days(300), B18)]
    at_18 = status(periods, B18)
    assert at_18.status == Status.FORMER_RELEVANT and at_18.support_until == B21 and at_18.receiving_support
    at_22 = status(periods, B21 + days(365))
    assert at_22.status == Status.FORMER_RELEVANT and at_22.support_until == B25 and at_22.receiving_support
    declined = Decision(DECLINED_SUPPORT, B21 + days(10))
    said_no = status(periods, B21 + days(365), (declined,))
    assert said_no.status == Status.FORMER_RELEVANT and not said_no.receiving_support
    assert not said_no.has_full_support
    asked_again = Decision(DECLINED_SUPPORT, B21 + days(10), B21 + days(100))
    assert status(periods, B21 + days(365), (asked_again,)).receiving_support


def test_support_ends_at_25_and_at_death():
    periods = [CarePeriod(B16 - days(300), B18)]
    assert status(periods, B25).status == Status.NONE
    assert status(periods, B25 - days(1)).status == Status.FORMER_RELEVANT
    dead = status(periods, B18 + days(100), died=B18 + days(50))
    assert dead.status == Status.NONE and "Died" in dead.reasons[0]


def test_a_qualifying_care_leaver_until_21():
    periods = [CarePeriod(B16 + days(100), B16 + days(150))]
    assert status(periods, B18 + days(10)).status == Status.QUALIFYING
    assert status(periods, B21).status == Status.NONE


def test_returned_home_for_six_months_is_no_longer_relevant_nor_former_relevant():
    periods = [CarePeriod(B16 - days(300), B16 + days(100))]
    home = Decision(RETURNED_HOME, B16 + days(290))
    assert status(periods, B16 + days(280), (home,)).status == Status.RELEVANT
    assert status(periods, B16 + days(300), (home,)).status == Status.QUALIFYING
    assert status(periods, B18 + days(10), (home,)).status == Status.QUALIFYING
    broke_down = Decision(RETURNED_HOME, B16 + days(290), B16 + days(400))
    assert status(periods, B18 + days(10), (broke_down,)).status == Status.FORMER_RELEVANT


def test_care_ending_in_custody_before_16_asks_the_worker_and_their_answer_decides():
    periods = [CarePeriod(B14 + days(200), B16 - days(30), reason_ceased="E9")]
    asked = status(periods, B16 + days(60))
    assert asked.status == Status.NONE
    assert "still in custody or in hospital on their 16th birthday" in asked.question
    answered = status(periods, B16 + days(60), (Decision(DETAINED_ON_16TH_BIRTHDAY, B16),))
    assert answered.status == Status.RELEVANT and answered.question == ""
    assert status(periods, B18 + days(1), (Decision(DETAINED_ON_16TH_BIRTHDAY, B16),)).status == Status.FORMER_RELEVANT


def test_no_question_when_the_custody_came_without_13_weeks():
    periods = [CarePeriod(B16 - days(60), B16 - days(10), reason_ceased="E9")]
    assert status(periods, B16 + days(60)).question == ""


def test_no_date_of_birth_no_status():
    result = care_leaver_status(date_of_birth=None, periods=[CarePeriod(B14, None)], on=B16)
    assert result.status == Status.NONE and "date of birth" in result.reasons[0]


def test_only_what_is_known_on_the_day_counts():
    periods = [CarePeriod(B16, B16 + days(200)), CarePeriod(B18 + days(30), None)]
    assert status(periods, B16 + days(100)).status == Status.ELIGIBLE


def test_29_february_birthdays_fall_on_28_february():
    leap = date(2008, 2, 29)
    assert birthday(leap, 16) == date(2024, 2, 29)
    assert birthday(leap, 17) == date(2025, 3, 1)


# ----------------------------------------------------------------------------------------------- properties


@st.composite
def histories(draw: st.DrawFn) -> tuple[list[CarePeriod], date]:
    """Periods of care from 13 to 20, some of them short breaks, in order and not overlapping."""
    periods = []
    cursor = birthday(DOB, 13) + days(draw(st.integers(0, 400)))
    for _ in range(draw(st.integers(0, 4))):
        length = draw(st.integers(1, 500))
        gap = draw(st.integers(1, 300))
        open_ended = draw(st.booleans()) and draw(st.booleans())
        short = draw(st.integers(0, 4)) == 0
        end = None if open_ended else cursor + days(length)
        periods.append(CarePeriod(cursor, end, spells=(CareSpell(cursor, end, short_break=short),)))
        if end is None:
            break
        cursor = end + days(gap)
    on = B14 + days(draw(st.integers(0, 11 * 366)))
    return periods, on


def _oracle(periods: list[CarePeriod], on: date) -> tuple[Status, date | None, int]:
    """The law counted one day at a time."""
    def looked_after(day: date) -> bool:
        return any(p.started_on <= day and (p.ended_on is None or day < p.ended_on)
                   and not all(s.short_break for s in p.spells) for p in periods)

    counted, eligible_from, after_16 = 0, None, False
    day = B14
    while day <= on:
        if looked_after(day):
            counted += 1
            after_16 = after_16 or day >= B16
            if eligible_from is None and B16 <= day < B18 and counted >= 91:
                eligible_from = day
        day += days(1)
    if on < B16 or on >= B25:
        return Status.NONE, eligible_from, counted
    if on < B18:
        if looked_after(on):
            return (Status.ELIGIBLE if eligible_from else Status.NONE), eligible_from, counted
        if eligible_from:
            return Status.RELEVANT, eligible_from, counted
        return (Status.QUALIFYING if after_16 else Status.NONE), eligible_from, counted
    if eligible_from:
        return Status.FORMER_RELEVANT, eligible_from, counted
    return (Status.QUALIFYING if after_16 and on < B21 else Status.NONE), eligible_from, counted


@settings(max_examples=150, deadline=None)
@given(histories())
def test_the_status_agrees_with_a_day_by_day_count(history):
    periods, on = history
    result = status(periods, on)
    expected, eligible_from, counted = _oracle(periods, on)
    assert (result.status, result.eligible_from, result.days_counted) == (expected, eligible_from, counted)


@settings(max_examples=100, deadline=None)
@given(histories())
def test_each_status_holds_only_at_its_ages(history):
    periods, on = history
    result = status(periods, on)
    age_16, age_18 = on >= B16, on >= B18
    if result.status == Status.ELIGIBLE:
        assert age_16 and not age_18 and result.in_care and result.days_counted >= 91
    if result.status == Status.RELEVANT:
        assert age_16 and not age_18 and not result.in_care
    if result.status == Status.FORMER_RELEVANT:
        assert age_18 and on < B25
    if result.status == Status.QUALIFYING:
        assert age_16 and on < B21


@settings(max_examples=100, deadline=None)
@given(histories(), st.integers(1, 3000))
def test_once_eligible_always_a_care_leaver_until_25(history, later):
    periods, on = history
    first = status(periods, on)
    then = min(on + days(later), B25 - days(1))
    if first.status in FULL_SUPPORT:
        assert status(periods, then).status in FULL_SUPPORT


@settings(max_examples=100, deadline=None)
@given(histories(), st.integers(0, 4000), st.integers(1, 200))
def test_adding_short_breaks_changes_nothing(history, offset, length):
    periods, on = history
    start = B14 - days(400) + days(offset)
    short = CarePeriod(start, start + days(length), spells=(CareSpell(start, start + days(length), short_break=True),))
    # Only where no other period runs: periods never overlap.
    end = start + days(length)
    if any(p.started_on < end and (p.ended_on is None or start < p.ended_on)
           for p in periods):
        return
    assert status([*periods, short], on).status == status(periods, on).status
