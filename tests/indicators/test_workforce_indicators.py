"""Workforce indicators (indicators.md §5), DfE's CSWW formulas on a small hand-built staff list.

The year runs to 30 September 2025 (1 October 2024 to 30 September 2025), as the workforce census does.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import given, settings
from hypothesis import strategies as st

from hearth.accounts.models import User
from hearth.accounts.roles import Role
from hearth.allocations.models import Allocation
from hearth.indicators.definitions.workforce import Worker, case_holders, employed_in_post, leavers
from hearth.indicators.registry import indicators
from tests.factories import make_team

from .factories_cla import allocate, child, run, worker

START, END = date(2024, 10, 1), date(2025, 9, 30)
AGENCY, SECONDED = User.EmploymentType.AGENCY, User.EmploymentType.SECONDED


def go(code: str, la) -> object:
    return run(code, la, START, END)


@pytest.fixture
def staff(la):
    team = make_team(la, "Safeguarding North")
    people = {
        "w1": worker(la, team),  # social worker, 1.0 FTE, in post
        "w2": worker(la, team, role=Role.SENIOR_PRACTITIONER, fte="0.50"),  # 0.5 FTE, in post
        "w3": worker(la, team, role=Role.TEAM_MANAGER, fte="0.80", employment=SECONDED),  # seconded in: employed
        "w4": worker(la, team, employment=AGENCY),  # agency, 1.0
        "w5": worker(la, team, role=Role.IRO, swe="SW123456"),  # an IRO who is a registered social worker
        "w6": worker(la, team, role=Role.PERSONAL_ADVISER),  # a personal adviser, not registered: not counted
        "w7": worker(la, team, role=Role.BUSINESS_SUPPORT),  # not a social worker
        "w8": worker(la, team, left_on=START),  # left on the year's first day: a leaver, 1.0
        "w9": worker(la, team, fte="0.60", left_on=END + timedelta(days=1)),  # leaves the day after: in post
        "w10": worker(la, team, started_on=END + timedelta(days=1)),  # starts the day after: not yet in post
        "w11": worker(la, team, employment=AGENCY, left_on=date(2025, 5, 1)),  # an agency leaver: not turnover
        "w12": worker(la, team, is_active=False),  # switched off with no leaving date: not in post
        "w13": worker(la, None, role=Role.PARTNER_REFERRER, employment=User.EmploymentType.EXTERNAL),
        "w14": worker(la, team, left_on=START - timedelta(days=1)),  # left the day before the year
    }
    return team, people


def member_keys(members, people, *names: str) -> None:
    assert sorted(m.key for m in members or []) == sorted(f"accounts.user:{people[n].pk}" for n in names)


def test_social_workers_in_post(la, staff):
    _, people = staff
    result = go("sw_fte", la)
    # w1 1.0 + w2 0.5 + w3 0.8 + w5 1.0 + w9 0.6 = 3.9 FTE; a number, no denominator.
    assert result.numerator == pytest.approx(3.9) and result.value == pytest.approx(3.9)
    assert result.denominator is None
    member_keys(result.tally.numerator, people, "w1", "w2", "w3", "w5", "w9")
    assert all(m.child_id is None for m in result.tally.numerator)
    assert {m.note for m in result.tally.numerator} >= {"0.5 FTE", "0.8 FTE"}


def test_turnover(la, staff):
    _, people = staff
    result = go("turnover_rate", la)
    # w8 (1.0 FTE) left on the year's first day; 3.9 FTE in post at the end: 25.6%.
    assert (result.numerator, result.denominator) == pytest.approx((1.0, 3.9))
    assert result.value == pytest.approx(100 / 3.9)
    member_keys(result.tally.numerator, people, "w8")
    member_keys(result.tally.denominator, people, "w1", "w2", "w3", "w5", "w9")
    assert result.tally.numerator[0].on == START


def test_agency_rate(la, staff):
    _, people = staff
    result = go("agency_rate", la)
    # w4 1.0 agency ÷ (1.0 + 3.9) = 20.4%.
    assert (result.numerator, result.denominator) == pytest.approx((1.0, 4.9))
    assert result.value == pytest.approx(100 / 4.9)
    member_keys(result.tally.numerator, people, "w4")
    member_keys(result.tally.denominator, people, "w4", "w1", "w2", "w3", "w5", "w9")


def test_average_caseload_of_case_holders(la, staff):
    team, people = staff

    def cases(who: str, n: int, *, ended_on: date | None = None) -> None:
        for _ in range(n):
            allocate(child(la), team, people[who], date(2025, 1, 1), ended_on)

    cases("w1", 3)
    cases("w1", 1, ended_on=END)  # ended on the day: not held on it
    cases("w2", 2)  # 0.5 FTE
    cases("w4", 4)  # agency workers count as case holders
    cases("w6", 2)  # a personal adviser who is not a registered social worker: not counted
    cases("w8", 1)  # still allocated to a worker who left: not a case holder in post
    cases("w10", 1)  # not yet in post
    allocate(child(la), team, None, date(2025, 1, 1))  # with the team, no named worker
    allocate(child(la), team, people["w5"], date(2025, 1, 1), kind=Allocation.Kind.IRO)  # an IRO's is no case
    result = go("caseload_average", la)
    # Cases 3 + 2 + 4 = 9 over the FTE of w1, w2, w4 (1.0 + 0.5 + 1.0 = 2.5): 3.6. w9, in post with no case, is
    # not a case holder.
    assert (result.numerator, result.denominator, result.value) == pytest.approx((9, 2.5, 3.6))
    member_keys(result.tally.numerator, people, "w1", "w2", "w4")
    assert {m.amount for m in result.tally.numerator} == {3.0, 2.0, 4.0}
    assert sorted(m.amount for m in result.tally.denominator or []) == [0.5, 1.0, 1.0]
    assert {m.team_id for m in result.tally.numerator} == {team.pk}


def test_workforce_indicators_read_a_fixed_number_of_queries(la, staff):
    team, _ = staff

    def counts() -> dict[str, int]:
        found = {}
        for ind in indicators("workforce"):
            with CaptureQueriesContext(connection) as ctx:
                go(ind.code, la)
            found[ind.code] = len(ctx.captured_queries)
        return found

    few = counts()
    for _ in range(5):
        someone = worker(la, team)
        allocate(child(la), team, someone, date(2025, 1, 1))
    assert counts() == few
    assert max(few.values()) <= 2


# ------------------------------------------------------------------------------------------- properties

DAYS = st.integers(-800, 800)
KINDS = st.sampled_from(["permanent", "seconded", "agency"])


@st.composite
def workforce(draw: st.DrawFn) -> list[Worker]:
    people = []
    for pk in range(draw(st.integers(0, 15))):
        started = draw(st.one_of(st.none(), DAYS.map(lambda d: END + timedelta(days=d))))
        left = draw(st.one_of(st.none(), DAYS.map(lambda d: END + timedelta(days=d))))
        if started is not None and left is not None and left <= started:
            left = started + timedelta(days=1)
        people.append(Worker(pk, None, draw(KINDS), draw(st.sampled_from([0.1, 0.5, 0.8, 1.0])), started, left,
                             draw(st.booleans())))
    return people


@settings(max_examples=200, deadline=None)
@given(workforce(), st.integers(30, 700))
def test_turnover_counts_no_more_than_everyone_who_left_and_never_the_same_worker_twice(people, days):
    first = END - timedelta(days=days)
    left = leavers(people, first, END)
    everyone_who_left = [w for w in people if w.left_on is not None and w.left_on <= END]
    assert len(left) <= len(everyone_who_left)
    assert sum(w.fte for w in left) <= sum(w.fte for w in everyone_who_left) + 1e-9
    # A leaver in the year is never in post at its end, and an agency worker is never turnover.
    in_post = {w.pk for w in employed_in_post(people, END)}
    assert not in_post & {w.pk for w in left}
    assert all(not w.agency for w in left)


@settings(max_examples=200, deadline=None)
@given(workforce(), st.lists(st.integers(0, 14), max_size=40))
def test_case_holders_hold_every_counted_case_and_have_fte(people, allocations):
    cases = Counter(allocations)
    holders = case_holders(people, cases, END)
    assert all(w.fte > 0 and cases[w.pk] > 0 and w.in_post(END) for w in holders)
    assert sum(cases[w.pk] for w in holders) <= sum(cases.values())
