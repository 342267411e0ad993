"""For any referrals, assessments, enquiries and plans: a CIN indicator's numerator is part of its denominator,
no record is counted twice, every member's date is in the period, and the two halves of a year add up to it."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from hearth.indicators.registry import evaluate, indicators
from tests.factories import make_la
from tests.indicators.factories_cin import (
    assessment,
    chair,
    child,
    conference,
    enquiry,
    keys,
    plan,
    population,
    referral,
    year,
)

ORIGIN = date(2024, 1, 1)
YEAR = (date(2025, 4, 1), date(2026, 3, 31))
HALVES = ((date(2025, 4, 1), date(2025, 9, 30)), (date(2025, 10, 1), date(2026, 3, 31)))
# Percentages whose numerator is a subset of the denominator (s47_to_icpc divides two separate counts).
SUBSET = {"re_referrals_12m", "referrals_nfa", "assessed_not_in_need", "assessments_45wd", "icpc_15wd",
          "cpp_second", "cpp_ended_2yrs", "cpp_open_2yrs"}
# In-period counts that depend only on each record's own date, so the halves partition the year.
ADDITIVE = {"referral_rate", "re_referrals_12m", "assessments_45wd", "s47_rate", "icpc_rate", "icpc_15wd",
            "s47_to_icpc", "cpp_second", "cpp_ended_2yrs"}
# Counted once closed by the period's end: the halves add up to no more than the year.
CLOSED_BY_END = {"referrals_nfa", "assessed_not_in_need"}

episode_st = st.fixed_dictionaries({
    "gap": st.integers(0, 400),  # days after the previous referral closed
    "length": st.one_of(st.none(), st.integers(0, 900)),  # None: still open (only the last can be)
    "nfa": st.booleans(),
    "reason": st.sampled_from(["RC7", "RC8", "RC9", "RC2"]),
    "assessment": st.one_of(st.none(), st.tuples(st.integers(0, 20), st.integers(0, 120))),
    "enquiry": st.one_of(st.none(), st.tuples(st.integers(0, 30), st.one_of(st.none(), st.integers(-5, 40)))),
    "plan": st.one_of(st.none(), st.tuples(st.integers(0, 60), st.one_of(st.none(), st.integers(0, 900)))),
    "previous_plans": st.integers(0, 2),
})
child_st = st.lists(episode_st, min_size=1, max_size=4)


def weekday(day: date) -> date:
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def build(la, children) -> None:
    iro = chair(la)
    for episodes in children:
        kid = child(la)
        cursor = ORIGIN
        for i, ep in enumerate(episodes):
            start = cursor + timedelta(days=ep["gap"])
            last = i == len(episodes) - 1
            length = ep["length"] if ep["length"] is not None or last else 0
            closed = None if length is None else start + timedelta(days=length)
            if ep["nfa"] and closed is not None:
                referral(kid, start, closed_on=closed, nfa=True)
            else:
                episode = referral(kid, start, closed_on=closed, reason=ep["reason"])
                until = closed or date(2027, 3, 31)
                if ep["assessment"] is not None:
                    begin = start + timedelta(days=ep["assessment"][0])
                    done = begin + timedelta(days=ep["assessment"][1])
                    if done <= until:
                        assessment(episode, begin, done)
                if ep["enquiry"] is not None:
                    began = start + timedelta(days=ep["enquiry"][0])
                    icpc_after = ep["enquiry"][1]
                    icpc = None if icpc_after is None else weekday(began + timedelta(days=icpc_after))
                    s47 = enquiry(episode, began, completed_on=max(began, icpc) if icpc else began,
                                  icpc_required=icpc is not None)
                    if icpc is not None:
                        conference(episode, icpc, iro, section47=s47)
                if ep["plan"] is not None:
                    plan_start = start + timedelta(days=ep["plan"][0])
                    plan_end = None if ep["plan"][1] is None else plan_start + timedelta(days=ep["plan"][1])
                    if closed is not None:
                        plan_end = min(plan_end or closed, closed)
                    if plan_start <= (plan_end or until):
                        plan(episode, plan_start, plan_end, previous_plans=ep["previous_plans"])
            cursor = (closed or start) + timedelta(days=1)
            if closed is None:
                break


class CinIndicatorsHoldTogether(TestCase):
    @settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(children=st.lists(child_st, min_size=1, max_size=4))
    def test_numerators_sit_inside_denominators_and_halves_add_up(self, children):
        la = make_la()
        population(la)
        build(la, children)
        whole, first, second = year(la, *YEAR), year(la, *HALVES[0]), year(la, *HALVES[1])
        for ind in indicators("cin"):
            result = evaluate(ind, whole)
            numerator, denominator = result.tally.numerator, result.tally.denominator
            assert len(set(keys(numerator))) == len(numerator), ind.code
            if denominator is not None:
                assert len(set(keys(denominator))) == len(denominator), ind.code
            for member in numerator + (denominator or []):
                if ind.measured == "at_end":
                    assert member.on == whole.end, ind.code
                else:
                    assert whole.start <= member.on <= whole.end, ind.code
            if ind.code in SUBSET:
                assert denominator is not None
                assert set(keys(numerator)) <= set(keys(denominator)), ind.code
                assert result.numerator <= (result.denominator or 0), ind.code
            if ind.unit == "per_10k":
                assert denominator is None and result.denominator == 20_000, ind.code

            halves = [evaluate(ind, first).tally, evaluate(ind, second).tally]
            if ind.code in ADDITIVE:
                assert sorted(keys(halves[0].numerator) + keys(halves[1].numerator)) == sorted(keys(numerator)), \
                    ind.code
                if denominator is not None:
                    assert sorted(keys(halves[0].denominator) + keys(halves[1].denominator)) == sorted(
                        keys(denominator)), ind.code
            elif ind.code in CLOSED_BY_END:
                assert set(keys(halves[0].numerator)) | set(keys(halves[1].numerator)) <= set(keys(numerator))
                assert sorted(keys(halves[0].denominator) + keys(halves[1].denominator)) == sorted(
                    keys(denominator)), ind.code
