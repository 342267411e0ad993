"""The due-date rules, as plain date arithmetic: each role, the ASYE, the due day and the day after."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hearth.accounts.roles import Role
from hearth.supervision.schedule import (
    MONTHS,
    SUPERVISED_ROLES,
    WEEKS,
    Interval,
    Policy,
    anchor,
    days_overdue,
    due_on,
)

POLICY = Policy()
JOINED = date(2020, 1, 1)


def _due(role: str, last: date | None, *, started: date | None = date(2024, 1, 1),
         asye: date | None = None, policy: Policy = POLICY) -> date | None:
    return due_on(policy=policy, role=role, last_held=last, started_on=started, joined=JOINED, asye_started_on=asye)


@pytest.mark.parametrize(("role", "expected"), [
    (Role.SOCIAL_WORKER, date(2026, 10, 29)),        # every 4 weeks
    (Role.SENIOR_PRACTITIONER, date(2026, 10, 29)),
    (Role.TEAM_MANAGER, date(2026, 11, 1)),          # monthly
    (Role.PERSONAL_ADVISER, date(2026, 10, 29)),
    (Role.IRO, date(2026, 11, 1)),
])
def test_each_role_is_due_one_interval_after_the_last_supervision(role, expected):
    assert _due(role, date(2026, 10, 1)) == expected


def test_a_role_the_policy_does_not_cover_is_never_due():
    assert _due(Role.BUSINESS_SUPPORT, date(2026, 10, 1)) is None
    assert _due(Role.SOCIAL_WORKER, date(2026, 10, 1), policy=Policy(frequencies={})) is None


def test_a_month_from_the_end_of_january_is_the_end_of_february():
    assert Interval(1, MONTHS).after(date(2026, 1, 31)) == date(2026, 2, 28)
    assert Interval(1, MONTHS).after(date(2028, 1, 31)) == date(2028, 2, 29)


def test_met_on_the_due_day_and_overdue_the_day_after():
    due = _due(Role.SOCIAL_WORKER, date(2026, 10, 1))
    assert due == date(2026, 10, 29)
    assert days_overdue(due=due, on=date(2026, 10, 28)) == 0
    assert days_overdue(due=due, on=due) == 0
    assert days_overdue(due=due, on=due + timedelta(days=1)) == 1
    # A session on the due day starts the next interval from that day.
    assert _due(Role.SOCIAL_WORKER, due) == date(2026, 11, 26)


def test_a_worker_who_started_recently_is_not_due_before_their_first_interval():
    start = date(2026, 11, 2)
    due = _due(Role.SOCIAL_WORKER, None, started=start)
    assert due == date(2026, 11, 30)
    assert days_overdue(due=due, on=date(2026, 11, 23)) == 0


def test_the_start_in_post_counts_when_it_is_later_than_the_last_supervision():
    # Supervised in a previous post, then restarted: the new post's first interval runs from the start.
    assert _due(Role.SOCIAL_WORKER, date(2025, 1, 1), started=date(2026, 11, 2)) == date(2026, 11, 30)


def test_without_a_start_date_the_account_date_is_used():
    assert anchor(last_held=None, started_on=None, joined=date(2026, 6, 1)) == date(2026, 6, 1)


def test_asye_fortnightly_for_the_first_six_weeks_then_every_three_weeks_then_as_the_role():
    asye = date(2026, 9, 1)
    # Week 1 of the ASYE: fortnightly.
    assert _due(Role.SOCIAL_WORKER, date(2026, 9, 8), asye=asye) == date(2026, 9, 22)
    # The last day of the first six weeks is still fortnightly; the next day is three-weekly.
    assert _due(Role.SOCIAL_WORKER, date(2026, 10, 12), asye=asye) == date(2026, 10, 26)
    assert _due(Role.SOCIAL_WORKER, date(2026, 10, 13), asye=asye) == date(2026, 11, 3)
    # After the twelve months, the role's four weeks.
    assert _due(Role.SOCIAL_WORKER, date(2027, 9, 1), asye=asye) == date(2027, 9, 29)
    assert POLICY.in_asye(asye, date(2027, 8, 31)) and not POLICY.in_asye(asye, date(2027, 9, 1))


def test_an_asye_worker_with_no_supervision_yet_is_due_two_weeks_after_starting():
    assert _due(Role.SOCIAL_WORKER, None, started=date(2026, 11, 2), asye=date(2026, 11, 2)) == date(2026, 11, 16)


def test_the_asye_never_means_less_supervision_than_the_role():
    weekly = Policy(frequencies={Role.SOCIAL_WORKER: Interval(1)})
    assert _due(Role.SOCIAL_WORKER, date(2026, 9, 8), asye=date(2026, 9, 1), policy=weekly) == date(2026, 9, 15)


def test_interval_words():
    assert Interval(4).words == "every 4 weeks"
    assert Interval(1).words == "every week"
    assert Interval(1, MONTHS).words == "every month"
    assert Interval(2, MONTHS).words == "every 2 months"
    with pytest.raises(ValueError):
        Interval(0)


days = st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 12, 31))
intervals = st.builds(Interval, st.integers(min_value=1, max_value=52), st.sampled_from([WEEKS, MONTHS]))


@given(role=st.sampled_from(SUPERVISED_ROLES), last=st.none() | days, started=st.none() | days,
       asye=st.none() | days, usual=intervals, first=intervals, later=intervals)
def test_the_next_due_date_is_always_after_the_last_supervision_and_the_start(role, last, started, asye, usual,
                                                                               first, later):
    policy = Policy(frequencies={role: usual}, asye_first=first, asye=later)
    due = due_on(policy=policy, role=role, last_held=last, started_on=started, joined=JOINED,
                 asye_started_on=asye)
    assert due is not None
    for day in (last, started):
        if day is not None:
            assert due > day
    # Never later than the role's own interval would make it.
    assert due <= usual.after(anchor(last_held=last, started_on=started, joined=JOINED))


@given(due=days, on=days)
def test_days_overdue_is_never_negative_and_counts_from_the_day_after(due, on):
    overdue = days_overdue(due=due, on=on)
    assert overdue >= 0
    assert (overdue > 0) == (on > due)
