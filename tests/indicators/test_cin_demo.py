"""Every CIN indicator on a small synthetic council agrees with the CIN census Hearth builds for the same year."""

from __future__ import annotations

from datetime import date

import pytest

from hearth.clocks.models import holiday_set
from hearth.clocks.working_days import working_days_between
from hearth.demo.council import build_council
from hearth.indicators.registry import Period, evaluate, indicators
from hearth.returns.cin_census import build_cin

YEAR = 2026  # 1 April 2025 to 31 March 2026, the latest complete collection year
START, END = date(2025, 4, 1), date(2026, 3, 31)


@pytest.fixture
def council(db):
    la = build_council(size="small", seed=3, children_known=300).local_authority
    census = build_cin(local_authority=la, year=YEAR)
    results = {r.code: r for r in (evaluate(i, Period(la, START, END)) for i in indicators("cin"))}
    return la, census, results


def ids(members, label):
    return sorted(int(m.key.split(":")[1]) for m in members if m.key.startswith(label + ":"))


def in_year(day):
    return day is not None and START <= day <= END


def every_cin_indicator_has_a_figure(council):
    _, _, results = council
    for code, result in results.items():
        assert result.value is not None, code
        assert result.numerator > 0 or code in {"cpp_ended_2yrs", "cpp_open_2yrs"}, code


def referrals_agree_with_the_census(council):
    _, census, results = council
    details = [d for c in census.children for d in c.details if in_year(d.referral_date)]
    referrals = ids(results["referral_rate"].tally.numerator, "cin.cinepisode")
    assert referrals == sorted(d.source_pk for d in details)
    assert ids(results["referrals_nfa"].tally.numerator, "cin.cinepisode") == sorted(
        d.source_pk for d in details if d.referral_nfa)
    assert ids(results["assessed_not_in_need"].tally.numerator, "cin.cinepisode") == sorted(
        d.source_pk for d in details if d.reason_for_closure in ("RC8", "RC9"))
    assert ids(results["re_referrals_12m"].tally.denominator, "cin.cinepisode") == referrals


def children_in_need_and_plans_at_31_march_agree_with_the_census(council):
    _, census, results = council
    open_children = sorted(c.person_pk for c in census.children if any(d.closure_date is None for d in c.details))
    assert sorted(m.child_id for m in results["cin_rate"].tally.numerator) == open_children
    plans = sorted(p.source_pk for c in census.children for d in c.details for p in d.cp_plans if p.end is None)
    assert plans, "the council has children on plans at 31 March"
    assert ids(results["cpp_rate"].tally.numerator, "protection.childprotectionplan") == plans
    assert ids(results["cpp_open_2yrs"].tally.denominator, "protection.childprotectionplan") == plans


def assessments_enquiries_and_conferences_agree_with_the_census(council):
    _, census, results = council
    holidays = holiday_set()
    details = [d for c in census.children for d in c.details]
    authorised = [a for d in details for a in d.assessments if in_year(a.authorised)]
    assert ids(results["assessments_45wd"].tally.denominator, "cin.assessment") == sorted(
        a.source_pk for a in authorised)
    assert ids(results["assessments_45wd"].tally.numerator, "cin.assessment") == sorted(
        a.source_pk for a in authorised if working_days_between(a.actual_start, a.authorised, holidays) <= 45)
    started = sorted(s.source_pk for d in details for s in d.section47s if in_year(s.actual_start))
    assert ids(results["s47_rate"].tally.numerator, "protection.section47enquiry") == started
    icpcs = sum(in_year(s.date_of_initial_cpc) for d in details for s in d.section47s) + sum(
        in_year(d.date_of_initial_cpc) for d in details)
    assert results["icpc_rate"].numerator == icpcs
    assert results["s47_to_icpc"].numerator == icpcs and results["s47_to_icpc"].denominator == len(started)
    timed = [s for d in details for s in d.section47s
             if in_year(s.date_of_initial_cpc) and s.date_of_initial_cpc >= s.actual_start]
    assert results["icpc_15wd"].denominator == len(timed)
    assert results["icpc_15wd"].numerator == sum(
        working_days_between(s.actual_start, s.date_of_initial_cpc, holidays) <= 15 for s in timed)


def plans_starting_and_ending_agree_with_the_census(council):
    _, census, results = council
    plans = [p for c in census.children for d in c.details for p in d.cp_plans]
    starting = [p for p in plans if in_year(p.start)]
    assert ids(results["cpp_second"].tally.denominator, "protection.childprotectionplan") == sorted(
        p.source_pk for p in starting)
    # The census carries NumberOfPreviousCPP; Hearth also counts earlier plans in its own record.
    second = set(ids(results["cpp_second"].tally.numerator, "protection.childprotectionplan"))
    assert {p.source_pk for p in starting if p.number_of_previous} <= second
    ending = [p for p in plans if in_year(p.end)]
    assert ids(results["cpp_ended_2yrs"].tally.denominator, "protection.childprotectionplan") == sorted(
        p.source_pk for p in ending)
    assert results["cpp_ended_2yrs"].numerator == sum((p.end - p.start).days + 1 > 729 for p in ending)


def test_every_cin_indicator_agrees_with_the_census_for_the_same_year(council):
    # One council for every check: building it is the slow part.
    every_cin_indicator_has_a_figure(council)
    referrals_agree_with_the_census(council)
    children_in_need_and_plans_at_31_march_agree_with_the_census(council)
    assessments_enquiries_and_conferences_agree_with_the_census(council)
    plans_starting_and_ending_agree_with_the_census(council)
