"""The CIN census indicators on small hand-built records, each with its answer worked out by hand.

The period is the collection year 2025/26 (1 April 2025 to 31 March 2026) unless a test says otherwise, and
the council has 20,000 children aged 0 to 17 (mid-2025), so each record is 0.5 per 10,000.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from hearth.audit.actor import acting_as
from hearth.clocks.models import holiday_set
from hearth.clocks.working_days import working_days_between
from hearth.indicators.definitions import cin
from hearth.indicators.registry import REGISTRY, evaluate, indicators
from hearth.people.models import Person
from hearth.protection.models import ChildProtectionConference
from tests.factories import make_la, make_team
from tests.indicators.factories_cin import (
    assessment,
    chair,
    child,
    cin_plan,
    conference,
    enquiry,
    key_of,
    keys,
    plan,
    population,
    referral,
    sorted_keys,
    unborn,
    year,
)

TRANSFER_IN = ChildProtectionConference.Kind.TRANSFER_IN
CODES = ["referral_rate", "re_referrals_12m", "referrals_nfa", "assessed_not_in_need", "assessments_45wd",
         "cin_rate", "s47_rate", "icpc_rate", "icpc_15wd", "s47_to_icpc", "cpp_rate", "cpp_second",
         "cpp_ended_2yrs", "cpp_open_2yrs"]


@pytest.fixture
def la(db):
    council = make_la()
    population(council)
    return council


def sealed(la):
    return child(la, level=Person.AccessLevel.SEALED)


def check(code, la, numerator, denominator, value, *, start=None, end=None):
    """Evaluate ``code`` for the year and assert its parts; returns the result for the members."""
    period = year(la) if start is None else year(la, start, end)
    result = evaluate(code, period)
    assert result.numerator == numerator
    assert result.denominator == denominator
    assert result.value == pytest.approx(value)
    return result


# ------------------------------------------------------------------------------------------------ registry


def test_exactly_the_fourteen_cin_codes_are_registered_with_their_lait_codes():
    assert [i.code for i in indicators("cin")] == CODES
    lait = {i.code: i.lait_code for i in indicators("cin")}
    assert lait == {
        "referral_rate": "CPP_Total_Rateper10,000", "re_referrals_12m": "ReReferral",
        "referrals_nfa": "CIN_Refferals_NFA", "assessed_not_in_need": "Referrals_AssessedNotNeed",
        "assessments_45wd": "Continue_Assess_Comp", "cin_rate": "CIN", "s47_rate": "Section_47",
        "icpc_rate": "ISCP_Conf", "icpc_15wd": "CP_conf_15days", "s47_to_icpc": "", "cpp_rate": "CPP_rate",
        "cpp_second": "PrevRegCPR", "cpp_ended_2yrs": "CPPlans2yrs", "cpp_open_2yrs": "CPPlans2yrsActive",
    }
    for code in CODES:
        ind = REGISTRY[code]
        assert ind.title and ind.numerator and ind.denominator and len(ind.definition) > 80
        assert not ind.unavailable
        assert (ind.unit == "per_10k") == code.endswith("_rate")
    assert {i.code for i in indicators("cin") if i.measured == "at_end"} == {"cin_rate", "cpp_rate",
                                                                             "cpp_open_2yrs"}
    assert {i.code for i in indicators("cin") if i.polarity == "high"} == {"assessments_45wd", "icpc_15wd"}


def test_member_keys_use_each_models_label():
    assert (cin.EPISODE, cin.ASSESSMENT, cin.ENQUIRY, cin.CONFERENCE, cin.PLAN) == (
        "cin.cinepisode", "cin.assessment", "protection.section47enquiry", "protection.childprotectionconference",
        "protection.childprotectionplan")


# ------------------------------------------------------------------------------------------------ referrals


def test_referral_rate(la):
    team = make_team(la)
    a, b, c, d, e = child(la), sealed(la), child(la), unborn(la), child(la)
    # A: two referrals in the year, counted twice (one closed NFA the same day).
    a1 = referral(a, date(2025, 4, 10), nfa=True, team=team)
    a2 = referral(a, date(2025, 6, 2), closed_on=date(2025, 9, 30), reason="RC8")
    # B (sealed): referred on the last day; counted like every other child.
    b1 = referral(b, date(2026, 3, 31))
    # C: the day before the year and the day after it: neither.
    referral(c, date(2025, 3, 31), closed_on=date(2025, 3, 31), nfa=True)
    referral(c, date(2026, 4, 1))
    # D: an unborn child, counted.
    d1 = referral(d, date(2026, 1, 15))
    # E: merged into A; the census leaves merged records out.
    referral(e, date(2025, 8, 1), nfa=True)
    with acting_as("test"):
        e.merged_into = a
        e.save()
    # 4 referrals / 20,000 x 10,000 = 2.0
    result = check("referral_rate", la, 4, 20_000, 2.0)
    assert sorted(keys(result.tally.numerator)) == sorted_keys([a1, a2, b1, d1])
    assert result.tally.denominator is None
    by_key = {m.key: m for m in result.tally.numerator}
    assert by_key[key_of(a1)].team_id == team.pk and by_key[key_of(a1)].on == date(2025, 4, 10)
    assert by_key[key_of(b1)].child_id == b.pk


def test_re_referrals_within_12_months_count_the_day_12_months_on(la):
    a, b, c, e = child(la), child(la), child(la), sealed(la)
    # A: 3 Feb 2025 then exactly 12 months later, 3 Feb 2026: a re-referral (Hearth includes that day).
    referral(a, date(2025, 2, 3), nfa=True)
    a2 = referral(a, date(2026, 2, 3))
    # B: 3 Feb 2025 then 4 Feb 2026: 12 months and a day, not a re-referral.
    referral(b, date(2025, 2, 3), nfa=True)
    b2 = referral(b, date(2026, 2, 4))
    # C: 1 May 2025 (closed 1 Jun) then 1 Jul 2025: the second is a re-referral, the first is not.
    c1 = referral(c, date(2025, 5, 1), closed_on=date(2025, 6, 1))
    c2 = referral(c, date(2025, 7, 1), closed_on=date(2025, 7, 1), nfa=True)
    # E (sealed): 20 Apr 2024 before the year, then 10 Apr 2025: within 12 months.
    referral(e, date(2024, 4, 20), closed_on=date(2024, 5, 1))
    e2 = referral(e, date(2025, 4, 10))
    # Referrals in the year: a2, b2, c1, c2, e2 = 5; re-referrals a2, c2, e2 = 3: 60.0%
    result = check("re_referrals_12m", la, 3, 5, 60.0)
    assert sorted(keys(result.tally.numerator)) == sorted_keys([a2, c2, e2])
    assert sorted(keys(result.tally.denominator)) == sorted_keys([a2, b2, c1, c2, e2])
    notes = {m.key: m.note for m in result.tally.numerator}
    assert notes[key_of(a2)] == "re-referral: previous 03 Feb 2025"
    assert notes[key_of(c2)] == "re-referral: previous 01 May 2025"


def test_re_referral_rule_matches_the_flag_hearth_sets_when_a_referral_opens(la):
    from hearth.cin.services import is_re_referral

    a = child(la)
    referral(a, date(2024, 2, 29), nfa=True)  # a leap day: 12 months before 28 Feb 2025 is 28 Feb 2024
    second = referral(a, date(2025, 2, 28), nfa=True)
    third = referral(a, date(2026, 3, 1))
    assert is_re_referral(child=a, referral_date=second.referral_date, exclude_pk=second.pk) is True
    assert is_re_referral(child=a, referral_date=third.referral_date, exclude_pk=third.pk) is False
    result = evaluate("re_referrals_12m", year(la, date(2024, 4, 1), date(2026, 3, 31)))
    assert keys(result.tally.numerator) == [key_of(second)]


def test_referrals_closed_with_no_further_action(la):
    a, b, c, d = child(la), child(la), child(la), child(la)
    # A: NFA, closed on its referral day: counted.
    a1 = referral(a, date(2025, 4, 10), nfa=True)
    # B: referred on the last day, the NFA decision on 2 April: still open on 31 March, as the census says.
    b1 = referral(b, date(2026, 3, 31), closed_on=date(2026, 4, 2), nfa=True)
    # C: assessed and closed RC8: not an NFA referral.
    c1 = referral(c, date(2025, 6, 1), closed_on=date(2025, 8, 1), reason="RC8")
    assessment(c1, date(2025, 6, 2), date(2025, 7, 1))
    # D: open.
    d1 = referral(d, date(2025, 7, 1))
    # 1 of 4 referrals: 25.0%
    result = check("referrals_nfa", la, 1, 4, 25.0)
    assert keys(result.tally.numerator) == [key_of(a1)]
    assert sorted(keys(result.tally.denominator)) == sorted_keys([a1, b1, c1, d1])
    assert result.tally.numerator[0].note == "closed 10 Apr 2025 with no further action"


def test_referrals_assessed_as_not_in_need(la):
    a, b, c, d, e, f = (child(la) for _ in range(6))
    # A: assessed, closed RC8 after the assessment: counted.
    a1 = referral(a, date(2025, 6, 1), closed_on=date(2025, 6, 20), reason="RC8")
    assessment(a1, date(2025, 6, 2), date(2025, 6, 20))
    # B: assessed, closed RC9 (referred to early help): counted.
    b1 = referral(b, date(2025, 7, 1), closed_on=date(2025, 8, 1), reason="RC9")
    assessment(b1, date(2025, 7, 1), date(2025, 7, 30))
    # C: NFA at the referral stage: not.
    c1 = referral(c, date(2025, 4, 10), nfa=True)
    # D: assessed, closed RC8 on 2 April 2026: open on 31 March, so not yet.
    d1 = referral(d, date(2026, 3, 1), closed_on=date(2026, 4, 2), reason="RC8")
    assessment(d1, date(2026, 3, 2), date(2026, 3, 20))
    # E: assessed, then a CIN plan, closed RC7: not.
    e1 = referral(e, date(2025, 9, 1), closed_on=date(2026, 1, 10))
    assessment(e1, date(2025, 9, 1), date(2025, 10, 1))
    cin_plan(e1, date(2025, 10, 1), date(2026, 1, 10))
    # F: referred the year before, closed RC8 in this one: not a referral of this year at all.
    f1 = referral(f, date(2025, 3, 20), closed_on=date(2025, 5, 1), reason="RC8")
    assessment(f1, date(2025, 3, 21), date(2025, 4, 30))
    # 2 of 5 referrals (A, B, C, D, E): 40.0%
    result = check("assessed_not_in_need", la, 2, 5, 40.0)
    assert sorted(keys(result.tally.numerator)) == sorted_keys([a1, b1])
    assert sorted(keys(result.tally.denominator)) == sorted_keys([a1, b1, c1, d1, e1])
    notes = {m.key: m.note for m in result.tally.numerator}
    assert notes[key_of(b1)] == "RC9: closed 01 Aug 2025 after assessment, referred to early help"


# ------------------------------------------------------------------------------------------------ assessments


def test_assessments_within_45_working_days_either_side_of_the_spring_bank_holidays(la):
    holidays = holiday_set()
    team = make_team(la)
    kids = [child(la) for _ in range(6)] + [sealed(la)]
    # A1: Mon 3 Mar 2025 to Thu 8 May 2025 is 45 working days (Good Friday, Easter Monday and 5 May
    # skipped): in time. A2: the same start, authorised Fri 9 May 2025: 46, late.
    r1 = referral(kids[0], date(2025, 3, 3), team=team)
    a1 = assessment(r1, date(2025, 3, 3), date(2025, 5, 8))
    r2 = referral(kids[1], date(2025, 3, 3))
    a2 = assessment(r2, date(2025, 3, 3), date(2025, 5, 9))
    assert working_days_between(date(2025, 3, 3), date(2025, 5, 8), holidays) == 45
    assert working_days_between(date(2025, 3, 3), date(2025, 5, 9), holidays) == 46
    # A3: referral 1 Apr, assessment from 20 May to 23 Jun 2025: 23 working days from its start (55 from the
    # referral). Hearth measures from the start, so in time.
    r3 = referral(kids[2], date(2025, 4, 1))
    a3 = assessment(r3, date(2025, 5, 20), date(2025, 6, 23))
    # A4: started and authorised on the last day: 0 working days, in time.
    r4 = referral(kids[3], date(2026, 3, 31))
    a4 = assessment(r4, date(2026, 3, 31), date(2026, 3, 31))
    # A5: not authorised (awaiting a manager): not counted. A6: authorised the day before the year: not.
    r5 = referral(kids[4], date(2026, 2, 1))
    assessment(r5, date(2026, 2, 1), awaiting=True)
    r6 = referral(kids[5], date(2025, 2, 1))
    assessment(r6, date(2025, 2, 1), date(2025, 3, 31))
    # A7 (sealed): 1 Sep to 1 Dec 2025 is 65 working days: late, and counted.
    r7 = referral(kids[6], date(2025, 9, 1))
    a7 = assessment(r7, date(2025, 9, 1), date(2025, 12, 1))
    # Authorised in the year: A1, A2, A3, A4, A7 = 5; within 45: A1, A3, A4 = 3: 60.0%
    result = check("assessments_45wd", la, 3, 5, 60.0)
    assert sorted(keys(result.tally.numerator)) == sorted_keys([a1, a3, a4])
    assert sorted(keys(result.tally.denominator)) == sorted_keys([a1, a2, a3, a4, a7])
    members = {m.key: m for m in result.tally.denominator}
    assert members[key_of(a1)].note == "45 working days"
    assert members[key_of(a2)].note == "46 working days"
    assert members[key_of(a3)].note == "23 working days (55 from the referral)"
    assert members[key_of(a1)].on == date(2025, 5, 8) and members[key_of(a1)].team_id == team.pk


def test_a_record_outside_its_referrals_dates_is_left_out_as_the_census_leaves_it(la):
    # Recording mistakes: an assessment authorised (and a plan started) after the referral closed before the
    # year. The census holds only referrals open at some time in the year, so neither is in it.
    episode = referral(child(la), date(2025, 3, 12), closed_on=date(2025, 3, 28), reason="RC8")
    assessment(episode, date(2025, 3, 12), date(2025, 4, 9))
    plan(episode, date(2025, 4, 10))
    for code in ("assessments_45wd", "cpp_second", "cpp_rate", "cpp_open_2yrs"):
        result = evaluate(code, year(la))
        assert not result.tally.numerator and not result.tally.denominator, code


# ------------------------------------------------------------------------------------------------ children in need


def test_children_in_need_at_the_end_of_the_period(la):
    a, b, c, d, e, f, g = child(la), child(la), child(la), child(la), child(la), sealed(la), unborn(la)
    # A: an old referral closed, and one open since 1 Jan 2026: counted once.
    referral(a, date(2025, 5, 1), closed_on=date(2025, 6, 1))
    a2 = referral(a, date(2026, 1, 1))
    # B: closed on the last day itself: closed. D: NFA on the last day: closed.
    referral(b, date(2026, 1, 1), closed_on=date(2026, 3, 31))
    referral(d, date(2026, 3, 31), nfa=True)
    # C: closed the day after: open on the last day.
    c1 = referral(c, date(2026, 2, 1), closed_on=date(2026, 4, 1))
    # E: referred after the period: not. F (sealed): open since 2024: counted. G: unborn, open: counted.
    referral(e, date(2026, 4, 1))
    f1 = referral(f, date(2024, 6, 1))
    g1 = referral(g, date(2026, 3, 1))
    # 4 children / 20,000 x 10,000 = 2.0
    result = check("cin_rate", la, 4, 20_000, 2.0)
    assert sorted(keys(result.tally.numerator)) == sorted_keys([a2, c1, f1, g1])
    assert {m.on for m in result.tally.numerator} == {date(2026, 3, 31)}
    notes = {m.key: m.note for m in result.tally.numerator}
    assert notes[key_of(f1)] == "referral 01 Jun 2024, open 1 year 10 months"


# ------------------------------------------------------------------------------------------------ child protection


def test_section_47_enquiries_started_in_the_period(la):
    a, b, c, d = child(la), child(la), sealed(la), child(la)
    ra, rb, rc, rd = (referral(x, date(2025, 3, 1)) for x in (a, b, c, d))
    s1 = enquiry(ra, date(2025, 4, 1))  # the first day
    s2 = enquiry(rb, date(2026, 3, 31))  # the last day
    enquiry(rc, date(2025, 3, 31), completed_on=date(2025, 4, 20), icpc_required=False)  # the day before
    # C (sealed) again, twice in the year: counted twice.
    s4 = enquiry(rc, date(2025, 6, 2), completed_on=date(2025, 6, 20), icpc_required=False)
    s5 = enquiry(rc, date(2025, 9, 1), completed_on=date(2025, 9, 12), icpc_required=True)
    enquiry(rd, date(2026, 4, 1))  # the day after
    # 4 enquiries / 20,000 x 10,000 = 2.0
    result = check("s47_rate", la, 4, 20_000, 2.0)
    assert sorted(keys(result.tally.numerator)) == sorted_keys([s1, s2, s4, s5])
    notes = {m.key: m.note for m in result.tally.numerator}
    assert notes[key_of(s4)] == "no initial conference needed"
    assert notes[key_of(s5)] == "initial conference needed"
    assert notes[key_of(s1)] == "enquiry ongoing"


@pytest.fixture
def conferences(la):
    """Enquiries and conferences around the year 2025/26 (ICPC = initial child protection conference).

    E1: enquiry Mon 2 Jun 2025, ICPC Mon 23 Jun: 15 working days, in time; reconvened 30 Jun (not another).
    E2: enquiry 2 Jun 2025, ICPC Tue 24 Jun: 16 working days, late.
    E3: enquiry Fri 19 Dec 2025, ICPC Wed 14 Jan 2026: 15 working days over Christmas, in time.
    E4: ICPC 8 Jul 2025 dated before its enquiry's start (10 Jul): a conference, but no valid duration.
    T1: a transfer-in conference 1 Oct 2025: a conference, no enquiry, no duration.
    E5: enquiry 20 Mar 2025 (the year before), ICPC 3 Apr 2025: 10 working days, in time; not this year's S47.
    E6: enquiry 1 Mar 2026, ICPC 1 Apr 2026: an enquiry of this year, a conference of the next.
    E7: enquiry 1 Aug 2025, no conference needed. E8: enquiry 1 Sep 2025, ongoing.
    A review conference of T1's plan on 1 Dec 2025 is not an initial conference.
    """
    iro = chair(la)
    kids = {name: child(la) for name in ("E1", "E2", "E3", "E4", "T1", "E5", "E6", "E7", "E8")}
    kids["E3"] = sealed(la)
    eps = {name: referral(kid, date(2025, 3, 1)) for name, kid in kids.items()}
    rows: dict[str, Any] = {}

    def s47(name, started, icpc=None, required=True):
        e = enquiry(eps[name], started, completed_on=icpc or (started if not required else None),
                    icpc_required=required if (icpc or not required) else None)
        rows[name] = e
        if icpc is not None:
            rows[f"{name}c"] = conference(eps[name], icpc, iro, section47=e)
        return e

    s47("E1", date(2025, 6, 2), date(2025, 6, 23))
    conference(eps["E1"], date(2025, 6, 30), iro, section47=rows["E1"])  # reconvened
    s47("E2", date(2025, 6, 2), date(2025, 6, 24))
    s47("E3", date(2025, 12, 19), date(2026, 1, 14))
    e4 = enquiry(eps["E4"], date(2025, 7, 10), completed_on=date(2025, 7, 10), icpc_required=True)
    rows["E4"], rows["E4c"] = e4, conference(eps["E4"], date(2025, 7, 8), iro, section47=e4)
    rows["T1c"] = conference(eps["T1"], date(2025, 10, 1), iro, kind=TRANSFER_IN)
    t1_plan = plan(eps["T1"], date(2025, 10, 1), previous_plans=1)
    conference(eps["T1"], date(2025, 12, 1), iro, kind=ChildProtectionConference.Kind.REVIEW, cp_plan=t1_plan,
               outcome=ChildProtectionConference.Outcome.PLAN_CONTINUES)
    s47("E5", date(2025, 3, 20), date(2025, 4, 3))
    s47("E6", date(2026, 3, 1), date(2026, 4, 1))
    s47("E7", date(2025, 8, 1), required=False)
    s47("E8", date(2025, 9, 1), required=True)
    return rows


def test_initial_conference_rate_counts_transfer_in_conferences(la, conferences):
    # ICPCs held in the year: E1, E2, E3, E4, T1, E5 = 6 / 20,000 x 10,000 = 3.0
    result = check("icpc_rate", la, 6, 20_000, 3.0)
    assert sorted(keys(result.tally.numerator)) == sorted_keys(
        [conferences[n] for n in ("E1c", "E2c", "E3c", "E4c", "T1c", "E5c")])
    notes = {m.key: m.note for m in result.tally.numerator}
    assert notes[key_of(conferences["T1c"])] == "transfer-in conference"


def test_initial_conferences_within_15_working_days_of_the_enquiry(la, conferences):
    holidays = holiday_set()
    assert working_days_between(date(2025, 12, 19), date(2026, 1, 14), holidays) == 15
    # With a valid duration: E1, E2, E3, E5 = 4 (E4 before its enquiry, T1 no enquiry);
    # within 15: E1 (15), E3 (15), E5 (10) = 3: 75.0%
    result = check("icpc_15wd", la, 3, 4, 75.0)
    assert sorted(keys(result.tally.numerator)) == sorted_keys([conferences[n] for n in ("E1c", "E3c", "E5c")])
    assert sorted(keys(result.tally.denominator)) == sorted_keys(
        [conferences[n] for n in ("E1c", "E2c", "E3c", "E5c")])
    notes = {m.key: m.note for m in result.tally.denominator}
    assert notes[key_of(conferences["E2c"])] == "16 working days from the enquiry's start (02 Jun 2025)"


def test_section_47_to_initial_conference_compares_the_years_two_counts(la, conferences):
    # ICPCs in the year 6 (as icpc_rate); enquiries started in it: E1, E2, E3, E4, E6, E7, E8 = 7: 85.7%
    result = check("s47_to_icpc", la, 6, 7, 600 / 7)
    assert sorted(keys(result.tally.numerator)) == sorted(keys(evaluate("icpc_rate", year(la)).tally.numerator))
    assert sorted(keys(result.tally.denominator)) == sorted_keys(
        [conferences[n] for n in ("E1", "E2", "E3", "E4", "E6", "E7", "E8")])


def test_two_transfer_in_conferences_in_one_referral_count_once_as_the_census_records_one(la):
    iro = chair(la)
    kid = child(la)
    episode = referral(kid, date(2025, 5, 1))
    conference(episode, date(2025, 5, 5), iro, kind=TRANSFER_IN, outcome=ChildProtectionConference.Outcome.NO_PLAN)
    second = conference(episode, date(2025, 9, 1), iro, kind=TRANSFER_IN)
    plan(episode, date(2025, 9, 1), previous_plans=1)
    result = check("icpc_rate", la, 1, 20_000, 0.5)
    assert keys(result.tally.numerator) == [key_of(second)]


def test_children_on_child_protection_plans_at_the_end(la):
    a, b, c, d, e, f = child(la), child(la), child(la), sealed(la), unborn(la), child(la)
    p1 = plan(referral(a, date(2025, 5, 1)), date(2025, 6, 1))  # open: counted
    plan(referral(b, date(2024, 12, 1)), date(2025, 1, 1), date(2026, 3, 31))  # ended on the last day: not
    p3 = plan(referral(c, date(2026, 1, 5)), date(2026, 2, 1), date(2026, 4, 1))  # ended the day after: counted
    p4 = plan(referral(d, date(2023, 9, 1)), date(2023, 10, 2))  # sealed, open since 2023: counted
    p5 = plan(referral(e, date(2026, 2, 1)), date(2026, 3, 2))  # unborn: counted
    plan(referral(f, date(2026, 3, 20)), date(2026, 4, 1))  # starts after: not
    # 4 children / 20,000 x 10,000 = 2.0
    result = check("cpp_rate", la, 4, 20_000, 2.0)
    assert sorted(keys(result.tally.numerator)) == sorted_keys([p1, p3, p4, p5])


def test_second_or_subsequent_plans(la):
    a, b, c, d, e = child(la), child(la), child(la), sealed(la), child(la)
    # A: a plan in 2021 ended 1 Jan 2022, another from 1 May 2025: plan 2.
    ra = referral(a, date(2020, 12, 1), closed_on=date(2022, 2, 1))
    plan(ra, date(2021, 1, 4), date(2022, 1, 1))
    a2 = plan(referral(a, date(2025, 4, 20)), date(2025, 5, 1))
    # B: a first plan.
    b1 = plan(referral(b, date(2025, 5, 20)), date(2025, 6, 2))
    # C: moved here on another council's plan (the plan records 1 earlier plan, none in Hearth).
    c1 = plan(referral(c, date(2025, 6, 20)), date(2025, 7, 1), previous_plans=1)
    # D (sealed): two plans in the year, the second counted as second.
    rd = referral(d, date(2025, 4, 20))
    d1 = plan(rd, date(2025, 5, 1), date(2025, 8, 1))
    d2 = plan(rd, date(2025, 12, 1))
    # E: a first plan the day before the year: not this year's.
    plan(referral(e, date(2025, 3, 1)), date(2025, 3, 31))
    # Starting in the year: A2, B1, C1, D1, D2 = 5; second or later: A2, C1, D2 = 3: 60.0%
    result = check("cpp_second", la, 3, 5, 60.0)
    assert sorted(keys(result.tally.numerator)) == sorted_keys([a2, c1, d2])
    assert sorted(keys(result.tally.denominator)) == sorted_keys([a2, b1, c1, d1, d2])
    notes = {m.key: m.note for m in result.tally.numerator}
    assert notes[key_of(a2)] == "plan 2 (previous ended 2022)"
    assert notes[key_of(c1)] == "plan 2 (previous recorded on the plan: before Hearth's records or in another council)"
    assert notes[key_of(d2)] == "plan 2 (previous ended 2025)"


def test_plans_ending_that_lasted_two_years(la):
    kids = [child(la) for _ in range(5)]
    eps = [referral(k, date(2023, 5, 1)) for k in kids]
    # Q1: 1 Jun 2023 to 29 May 2025 is 729 days counting both: not two years.
    q1 = plan(eps[0], date(2023, 6, 1), date(2025, 5, 29))
    # Q2: 1 Jun 2023 to 30 May 2025 is 730 days: two years.
    q2 = plan(eps[1], date(2023, 6, 1), date(2025, 5, 30))
    # Q3: ended on the last day after almost three years: counted.
    q3 = plan(eps[2], date(2023, 6, 5), date(2026, 3, 31))
    # Q4: ended the day after the year: not this year's. Q5: six months, ended 1 Oct 2025.
    plan(eps[3], date(2023, 6, 5), date(2026, 4, 1))
    q5 = plan(eps[4], date(2025, 4, 1), date(2025, 10, 1))
    # Ending in the year: Q1, Q2, Q3, Q5 = 4; two years or more: Q2, Q3 = 2: 50.0%
    result = check("cpp_ended_2yrs", la, 2, 4, 50.0)
    assert sorted(keys(result.tally.numerator)) == sorted_keys([q2, q3])
    assert sorted(keys(result.tally.denominator)) == sorted_keys([q1, q2, q3, q5])
    notes = {m.key: m.note for m in result.tally.denominator}
    assert notes[key_of(q1)] == "lasted 729 days (1 year 11 months)"
    assert notes[key_of(q2)] == "lasted 730 days (1 year 11 months)"
    assert notes[key_of(q3)] == "lasted 1031 days (2 years 9 months)"


def test_plans_open_two_years_at_the_end(la):
    kids = [child(la) for _ in range(4)]
    eps = [referral(k, date(2024, 3, 1)) for k in kids]
    # R1: from 1 Apr 2024, 730 days to 31 Mar 2026 counting both: two years. R2: from 2 Apr 2024, 729: not.
    r1 = plan(eps[0], date(2024, 4, 1))
    r2 = plan(eps[1], date(2024, 4, 2))
    # R3: from 1 Jan 2026. R4: ended on the last day: not open.
    r3 = plan(eps[2], date(2026, 1, 1))
    plan(eps[3], date(2023, 4, 1), date(2026, 3, 31))
    # Open: R1, R2, R3 = 3; two years or more: R1 = 1: 33.3%
    result = check("cpp_open_2yrs", la, 1, 3, 100 / 3)
    assert keys(result.tally.numerator) == [key_of(r1)]
    assert sorted(keys(result.tally.denominator)) == sorted_keys([r1, r2, r3])
    notes = {m.key: m.note for m in result.tally.denominator}
    assert notes[key_of(r1)] == "open 730 days (2 years), from 01 Apr 2024"


# ------------------------------------------------------------------------------------------------ teams and councils


def test_a_member_without_a_team_takes_the_childs_allocation_on_its_date(la):
    from tests.returns.factories_live import allocate

    first, second = make_team(la), make_team(la)
    kid = child(la)
    allocate(kid, None, date(2025, 1, 1), date(2025, 6, 30), team=first)
    allocate(kid, None, date(2025, 7, 1), team=second)
    early = referral(kid, date(2025, 5, 1), nfa=True)
    late = referral(kid, date(2025, 8, 1), nfa=True)
    result = evaluate("referrals_nfa", year(la))
    teams = {m.key: m.team_id for m in result.tally.numerator}
    assert teams == {key_of(early): first.pk, key_of(late): second.pk}
    assert {m.key: m.team_id for m in result.tally.denominator or []} == teams


def test_another_councils_records_are_never_counted(la):
    other = make_la(name="Another Council")
    population(other)
    episode = referral(child(other), date(2025, 5, 1))
    assessment(episode, date(2025, 5, 1), date(2025, 6, 1))
    plan(episode, date(2025, 6, 2))
    enquiry(episode, date(2025, 5, 20), completed_on=date(2025, 6, 2), icpc_required=True)
    for code in CODES:
        result = evaluate(code, year(la))
        assert result.numerator == 0, code
        assert not result.tally.numerator and not result.tally.denominator, code
