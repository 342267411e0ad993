"""Children looked after indicators (indicators.md §4), each on a small hand-built council with a known answer.

The year is 1 April 2025 to 31 March 2026 unless a test says otherwise; the council has 10,000 children, so a
rate per 10,000 is the count itself. Every comment works the answer out child by child.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import given, settings
from hypothesis import strategies as st

from hearth.accounts.models import User
from hearth.care.codes import TEMPORARY_PLACEMENTS
from hearth.care.episodes import PlacementRow
from hearth.indicators.definitions.cla import distinct_workers, placements_counted
from hearth.indicators.registry import Period, evaluate, get, indicators
from hearth.people.models import Person
from tests.factories import make_team, make_user

from .factories_cla import allocate, child, in_care, keys, placed, run, sdq, went_missing

YEAR_END = date(2026, 3, 31)


@pytest.fixture
def la(la):
    la.population_0_17 = 10_000
    la.save()
    return la


def test_every_cla_indicator_is_registered_once_with_its_group():
    codes = [i.code for i in indicators("cla")]
    assert codes == ["cla_rate", "cla_start_rate", "placements_3plus_year", "placements_3plus_2yrs",
                     "placement_long_term", "placed_20_miles", "sw_changes_3plus", "school_moves", "cla_missing",
                     "cla_childrens_homes", "ceased_sgo", "sdq_average"]
    assert [i.code for i in indicators("care_leavers")] == [
        "care_leavers_eet_19_21", "care_leavers_suitable_19_21", "care_leavers_eet_17_18",
        "care_leavers_not_in_touch", "staying_put"]
    for ind in indicators("cla") + indicators("care_leavers"):
        assert ind.definition and ind.numerator and ind.denominator and ind.title


# ------------------------------------------------------------------------------------------- rates


def test_cla_rate_and_starts_leave_out_short_breaks_and_count_a_child_once(la):
    a = child(la)  # in care since 2024: looked after at the end; did not start in the year
    pa = in_care(a, date(2024, 1, 1))
    b = child(la)  # V2 from 1 June 2025: at the end, and a start
    pb = in_care(b, date(2025, 6, 1), statuses=[("V2", date(2025, 6, 1), None)])
    c = child(la)  # a series of short breaks (V3) from May 2025: in neither
    in_care(c, date(2025, 5, 1), statuses=[("V3", date(2025, 5, 1), None)])
    d = child(la)  # in care on C2, then on short breaks (V4) from 1 March 2026: not looked after at the end
    in_care(d, date(2024, 1, 1), statuses=[("C2", date(2024, 1, 1), date(2026, 3, 1)),
                                           ("V4", date(2026, 3, 1), None)])
    e = child(la)  # in care from the first day of the year to its last: a start, but not looked after at the end
    pe = in_care(e, date(2025, 4, 1), date(2026, 3, 31), reason="E4A")
    f = child(la)  # two periods in the year: one start (the first), looked after at the end in the second
    pf1 = in_care(f, date(2026, 1, 10), date(2026, 1, 20), reason="E4B")
    pf2 = in_care(f, date(2026, 3, 1))
    g = child(la)  # comes into care the day after the year: in neither
    in_care(g, date(2026, 4, 1))
    h = child(la)  # left care on the first day of the year: in neither
    in_care(h, date(2023, 1, 1), date(2025, 4, 1), reason="E4A")

    rate = run("cla_rate", la)
    # a, b and f (its second period): 3 of 10,000 children = 3 per 10,000.
    assert (rate.numerator, rate.denominator, rate.value) == pytest.approx((3, 10_000, 3.0))
    assert keys(rate.tally.numerator) == sorted(f"care.periodofcare:{p.pk}" for p in (pa, pb, pf2))
    assert {m.child_id for m in rate.tally.numerator} == {a.pk, b.pk, f.pk}

    starts = run("cla_start_rate", la)
    # b, e and f (once, its first start): 3.
    assert (starts.numerator, starts.value) == pytest.approx((3, 3.0))
    assert keys(starts.tally.numerator) == sorted(f"care.periodofcare:{p.pk}" for p in (pb, pe, pf1))


# ------------------------------------------------------------------------------------------- placements


def test_three_or_more_placements_in_the_year(la):
    one = child(la)  # three carers in the year: counted
    placed(one, date(2024, 1, 1), [("U6", date(2024, 1, 1), date(2025, 6, 1)),
                                   ("U6", date(2025, 6, 1), date(2025, 9, 1)), ("K2", date(2025, 9, 1), None)])
    two = child(la)  # the first placement ended on 1 April, the year's first day: it counts, so 3
    placed(two, date(2024, 1, 1), [("U6", date(2024, 1, 1), date(2025, 4, 1)),
                                   ("U4", date(2025, 4, 1), date(2025, 10, 1)), ("K2", date(2025, 10, 1), None)])
    three = child(la)  # the first ended the day before the year: 2
    placed(three, date(2024, 1, 1), [("U6", date(2024, 1, 1), date(2025, 3, 31)),
                                     ("U4", date(2025, 3, 31), date(2025, 10, 1)), ("K2", date(2025, 10, 1), None)])
    four = child(la)  # placed on 1 June and moved the same day (recorded as ending next day, replaced at once):
    # that placement held the child no night (24-hour rule), so 2 of the 3 recorded
    placed(four, date(2024, 1, 1), [("U6", date(2024, 1, 1), date(2025, 6, 1)),
                                    ("U6", date(2025, 6, 1), date(2025, 6, 2)), ("K2", date(2025, 6, 1), None)])
    five = child(la)  # one night in a placement is 24 hours: 3
    placed(five, date(2024, 1, 1), [("U6", date(2024, 1, 1), date(2025, 6, 1)),
                                    ("U6", date(2025, 6, 1), date(2025, 6, 2)), ("K2", date(2025, 6, 2), None)])
    six = child(la)  # hospital and back to the same home, then placed for adoption with those carers: 1
    same = {"carer_name": "Ash household", "postcode": "NG7 2AA"}
    placed(six, date(2024, 1, 1), [("U6", date(2024, 1, 1), date(2025, 5, 1), same),
                                   ("T1", date(2025, 5, 1), date(2025, 5, 10)),
                                   ("U6", date(2025, 5, 10), date(2025, 9, 1), same),
                                   ("A5", date(2025, 9, 1), None, {**same, "same_carer_as_previous": True})])
    seven = child(la)  # on short breaks at the end: not in the measure however many placements
    placed(seven, date(2024, 1, 1), [("U6", date(2024, 1, 1), date(2025, 6, 1)),
                                     ("U6", date(2025, 6, 1), date(2025, 9, 1)), ("K2", date(2025, 9, 1), None)],
           statuses=[("V3", date(2024, 1, 1), None)])

    result = run("placements_3plus_year", la)
    # one, two and five of one to six: 3 of 6 = 50%.
    assert (result.numerator, result.denominator, result.value) == pytest.approx((3, 6, 50.0))
    assert {m.child_id for m in result.tally.numerator} == {one.pk, two.pk, five.pk}
    notes = {m.child_id: m.note for m in result.tally.denominator or []}
    assert notes[four.pk] == "2 placements in the period" and notes[six.pk] == "1 placement in the period"


def test_three_or_more_placements_in_two_years(la):
    q1 = child(la)  # in care exactly 2 years (since 31 March 2024), 3 placements: counted
    placed(q1, date(2024, 3, 31), [("U6", date(2024, 3, 31), date(2025, 1, 1)),
                                   ("U4", date(2025, 1, 1), date(2026, 1, 1)), ("K2", date(2026, 1, 1), None)])
    q2 = child(la)  # a day short of 2 years: not in the measure
    placed(q2, date(2024, 4, 1), [("U6", date(2024, 4, 1), date(2025, 1, 1)),
                                  ("U4", date(2025, 1, 1), date(2025, 6, 1)), ("U6", date(2025, 6, 1), None)])
    q3 = child(la)  # the long placement ended on the day the two years began to be counted from: 2
    placed(q3, date(2020, 1, 1), [("U4", date(2020, 1, 1), date(2024, 3, 31)),
                                  ("U6", date(2024, 3, 31), date(2025, 6, 1)), ("K2", date(2025, 6, 1), None)])
    q4 = child(la)  # it ended on the two years' first day: 3
    placed(q4, date(2020, 1, 1), [("U4", date(2020, 1, 1), date(2024, 4, 1)),
                                  ("U6", date(2024, 4, 1), date(2025, 1, 1)), ("K2", date(2025, 1, 1), None)])

    result = run("placements_3plus_2yrs", la)
    # q1 and q4 of q1, q3, q4: 2 of 3.
    assert (result.numerator, result.denominator) == (2, 3)
    assert result.value == pytest.approx(66.667, abs=0.001)
    assert {m.child_id for m in result.tally.numerator} == {q1.pk, q4.pk}


def test_long_term_stability(la):
    l1 = child(la, date(2012, 6, 1))  # 13; exactly 2½ years in care (30 Sep 2023), one placement: stable
    p1 = placed(l1, date(2023, 9, 30), [("U4", date(2023, 9, 30), None)])
    l2 = child(la, date(2010, 3, 30))  # 16 the day before the end: not under 16, not in the measure
    placed(l2, date(2020, 1, 1), [("U4", date(2020, 1, 1), None)])
    l3 = child(la, date(2010, 4, 1))  # 16 the day after: in; same placement only since 1 April 2024: not stable
    p3 = placed(l3, date(2020, 1, 1), [("U6", date(2020, 1, 1), date(2024, 4, 1)), ("K2", date(2024, 4, 1), None)])
    l4 = child(la, date(2012, 6, 1))  # 2½ years less a day in care: not in the measure
    placed(l4, date(2023, 10, 1), [("U4", date(2023, 10, 1), None)])
    l5 = child(la, date(2019, 6, 1))  # placed for adoption in June 2025 after 4 years with foster carers: stable
    p5 = placed(l5, date(2021, 1, 1), [("U4", date(2021, 1, 1), date(2025, 6, 1)), ("A6", date(2025, 6, 1), None)],
                statuses=[("C2", date(2021, 1, 1), date(2024, 1, 1)), ("E1", date(2024, 1, 1), None)])
    l6 = child(la, date(2012, 6, 1))  # in care 3 years, in its placement for exactly 2 years: stable
    p6 = placed(l6, date(2023, 4, 1), [("U6", date(2023, 4, 1), date(2024, 3, 31)), ("U4", date(2024, 3, 31), None)])

    result = run("placement_long_term", la)
    # l1, l5 and l6 of l1, l3, l5, l6: 3 of 4 = 75%.
    assert (result.numerator, result.denominator, result.value) == pytest.approx((3, 4, 75.0))
    assert keys(result.tally.numerator) == sorted(f"care.periodofcare:{p.pk}" for p in (p1, p5, p6))
    assert keys(result.tally.denominator) == sorted(f"care.periodofcare:{p.pk}" for p in (p1, p3, p5, p6))


def test_placed_more_than_20_miles_away_outside_the_council(la):
    def far(postcode: str, miles: str | None, home: str = "NG1 1AA") -> Person:
        person = child(la)
        placed(person, date(2025, 1, 1), [("U6", date(2025, 1, 1), None,
                                           {"postcode": postcode, "distance_miles": miles})], home_postcode=home)
        return person

    # The council's districts: NG1 (every child below but d3 came into care from it) and NG5 (d2 and d4).
    # NG24 is only d3's home, one child: not the council's.
    d1 = far("DE1 1AA", "34.0")  # outside and far: counted
    d2 = far("NG5 2BB", "25.0", home="NG5 1AA")  # far but inside the council's area
    d3 = far("LE1 1AA", "20.0", home="NG24 1AB")  # exactly 20 miles: not more than 20
    d4 = far("LE1 1AA", None, home="NG5 3CC")  # no distance (an unaccompanied child): not counted
    d5 = far("NG24 1AA", "20.1")  # just over 20 miles, in a district not the council's: counted
    moved = child(la)  # was placed far away, now near: the placement at the end is what counts
    placed(moved, date(2024, 1, 1), [("K2", date(2024, 1, 1), date(2025, 6, 1),
                                      {"postcode": "DE1 1AA", "distance_miles": "40"}),
                                     ("U6", date(2025, 6, 1), None, {"postcode": "NG1 2AA", "distance_miles": "1"})])

    result = run("placed_20_miles", la)
    # d1 and d5 of the 6 looked after at the end: 2 of 6.
    assert (result.numerator, result.denominator) == (2, 6)
    assert {m.child_id for m in result.tally.numerator} == {d1.pk, d5.pk}
    notes = {m.child_id: m.note for m in result.tally.denominator or []}
    assert notes[d1.pk] == "Placed 34.0 miles away, outside the council's area"
    assert notes[d2.pk] == "Placed 25.0 miles away, inside the council's area"
    assert notes[d4.pk] == "No distance recorded"
    assert {d3.pk, moved.pk} < set(notes)


def test_three_or_more_social_workers_counts_unique_workers(la):
    team = make_team(la)
    a, b, c = (make_user(la, team=team) for _ in range(3))

    def looked_after(*spells: tuple[User | None, date, date | None], since: date = date(2024, 1, 1)) -> Person:
        person = child(la)
        in_care(person, since)
        for who, start, end in spells:
            allocate(person, team, who, start, end)
        return person

    # A, then B, then A again: 2 social workers.
    w1 = looked_after((a, date(2025, 1, 1), date(2025, 6, 1)), (b, date(2025, 6, 1), date(2025, 9, 1)),
                      (a, date(2025, 9, 1), None))
    # A's allocation ended on 1 April (counted), then B, then C; C came before care (1 Nov 2025): 3.
    w2 = looked_after((a, date(2024, 1, 1), date(2025, 4, 1)), (b, date(2025, 4, 1), date(2025, 8, 1)),
                      (c, date(2025, 8, 1), None), since=date(2025, 11, 1))
    # A's ended the day before the year: B and C, 2.
    w3 = looked_after((a, date(2024, 1, 1), date(2025, 3, 31)), (b, date(2025, 3, 31), date(2025, 10, 1)),
                      (c, date(2025, 10, 1), None))
    # A, a month with the team and no named worker, then B: 2.
    w4 = looked_after((a, date(2024, 1, 1), date(2025, 5, 1)), (None, date(2025, 5, 1), date(2025, 6, 1)),
                      (b, date(2025, 6, 1), None))
    # C from the day after the year: A and B, 2.
    w5 = looked_after((a, date(2024, 1, 1), date(2025, 12, 1)), (b, date(2025, 12, 1), date(2026, 4, 1)),
                      (c, date(2026, 4, 1), None))

    result = run("sw_changes_3plus", la)
    assert (result.numerator, result.denominator, result.value) == pytest.approx((1, 5, 20.0))
    assert [m.child_id for m in result.tally.numerator] == [w2.pk]
    notes = {m.child_id: m.note for m in result.tally.denominator or []}
    assert notes[w1.pk] == "2 social workers in the period"
    assert {notes[w.pk] for w in (w3, w4, w5)} == {"2 social workers in the period"}
    # Each child's team on the last day of the year (their social work allocation then).
    assert {m.team_id for m in result.tally.denominator or []} == {team.pk}


def test_school_moves_is_unavailable_and_says_why(la):
    ind = get("school_moves")
    assert "school census" in ind.unavailable and "URN" in ind.unavailable
    result = run("school_moves", la)
    assert (result.tally.numerator, result.value) == ([], None)


# ------------------------------------------------------------------------------------------- missing, homes, leaving


def test_children_looked_after_who_went_missing(la):
    m1 = child(la)  # in care all year, missing in May: counted
    in_care(m1, date(2024, 1, 1))
    e1 = went_missing(m1, date(2025, 5, 1), date(2025, 5, 2))
    went_missing(m1, date(2025, 8, 1), date(2025, 8, 3))
    m2 = child(la)  # only away without authorisation (A): not missing
    in_care(m2, date(2024, 1, 1))
    went_missing(m2, date(2025, 5, 1), date(2025, 5, 2), kind="A")
    m3 = child(la)  # missing since before the year and still missing on 1 April: counted
    in_care(m3, date(2024, 1, 1))
    e3 = went_missing(m3, date(2025, 3, 20))
    m4 = child(la)  # left care on the year's first day (looked after in the year); missing only before it
    in_care(m4, date(2023, 1, 1), date(2025, 4, 1), reason="E4A")
    went_missing(m4, date(2025, 3, 1), date(2025, 3, 5))
    m5 = child(la)  # looked after only on short breaks: in neither part
    in_care(m5, date(2025, 1, 1), statuses=[("V3", date(2025, 1, 1), None)])
    went_missing(m5, date(2025, 6, 1), date(2025, 6, 2))
    m6 = child(la)  # missing from home, not from care
    in_care(m6, date(2024, 1, 1))
    went_missing(m6, date(2025, 6, 1), date(2025, 6, 2), from_care=False)
    m7 = child(la)  # never looked after
    went_missing(m7, date(2025, 6, 1), date(2025, 6, 2), from_care=False)

    result = run("cla_missing", la)
    # m1 and m3 of m1, m2, m3, m4, m6: 2 of 5 = 40%.
    assert (result.numerator, result.denominator, result.value) == pytest.approx((2, 5, 40.0))
    assert keys(result.tally.numerator) == sorted(f"missing.missingepisode:{e.pk}" for e in (e1, e3))
    assert {m.child_id for m in result.tally.denominator or []} == {m1.pk, m2.pk, m3.pk, m4.pk, m6.pk}
    assert next(m.note for m in result.tally.numerator if m.child_id == m1.pk) == "2 missing incidents in the period"


def test_children_in_childrens_homes_or_secure_homes(la):
    placements = {"K1": True, "K2": True, "U6": False, "R1": False, "K3": False}
    people = {}
    for code in placements:
        person = child(la, date(2009, 6, 1))
        placed(person, date(2025, 1, 1), [(code, date(2025, 1, 1), None)])
        people[code] = person
    result = run("cla_childrens_homes", la)
    # K1 and K2 of the 5: 40%.
    assert (result.numerator, result.denominator, result.value) == pytest.approx((2, 5, 40.0))
    assert {m.child_id for m in result.tally.numerator} == {people["K1"].pk, people["K2"].pk}


def test_children_ceasing_care_through_a_special_guardianship_order(la):
    s1 = child(la)  # SGO (E45) in June: counted
    p1 = in_care(s1, date(2024, 1, 1), date(2025, 6, 1), reason="E45")
    s2 = child(la)  # home (E4A)
    in_care(s2, date(2024, 1, 1), date(2025, 7, 1), reason="E4A")
    s3 = child(la)  # left twice: an SGO in May, back in June, home in December: the last occasion, not an SGO
    in_care(s3, date(2024, 1, 1), date(2025, 5, 1), reason="E46")
    p3 = in_care(s3, date(2025, 6, 1), date(2025, 12, 1), reason="E4B")
    s4 = child(la)  # a series of short breaks ended: left out
    in_care(s4, date(2025, 1, 1), date(2025, 8, 1), reason="E8", statuses=[("V3", date(2025, 1, 1), date(2025, 8, 1))])
    s5 = child(la)  # SGO the day after the year
    in_care(s5, date(2024, 1, 1), date(2026, 4, 1), reason="E47")
    s6 = child(la)  # SGO on the year's last day: counted
    p6 = in_care(s6, date(2024, 1, 1), date(2026, 3, 31), reason="E48")

    result = run("ceased_sgo", la)
    # s1 and s6 of s1, s2, s3, s6: 2 of 4.
    assert (result.numerator, result.denominator, result.value) == pytest.approx((2, 4, 50.0))
    assert keys(result.tally.numerator) == sorted(f"care.periodofcare:{p.pk}" for p in (p1, p6))
    assert f"care.periodofcare:{p3.pk}" in keys(result.tally.denominator)
    assert {m.on for m in result.tally.numerator} == {date(2025, 6, 1), date(2026, 3, 31)}


def test_average_sdq_of_the_oc2_cohort(la):
    q1 = child(la, date(2012, 1, 1))  # latest SDQ in the year 20 (an earlier 12 is not the latest)
    p = in_care(q1, date(2020, 1, 1))
    sdq(q1, p, date(2025, 6, 1), 12)
    latest = sdq(q1, p, date(2026, 2, 1), 20)
    q2 = child(la, date(2014, 1, 1))  # 10
    p = in_care(q2, date(2020, 1, 1))
    s2 = sdq(q2, p, date(2025, 9, 1), 10)
    q3 = child(la, date(2013, 1, 1))  # the latest gives a reason (carer refused): no score, left out
    p = in_care(q3, date(2020, 1, 1))
    sdq(q3, p, date(2025, 6, 1), 15)
    sdq(q3, p, date(2026, 3, 1), None, "SDQ2")
    q4 = child(la, date(2013, 1, 1))  # came into care on 2 April 2025: not looked after for the whole year
    p = in_care(q4, date(2025, 4, 2))
    sdq(q4, p, date(2025, 9, 1), 30)
    q5 = child(la, date(2021, 6, 1))  # 3 on 1 April: under SDQ age
    p = in_care(q5, date(2022, 1, 1))
    sdq(q5, p, date(2025, 9, 1), 5)
    q6 = child(la, date(2009, 3, 1))  # 17 before the year's end: over SDQ age
    p = in_care(q6, date(2020, 1, 1))
    sdq(q6, p, date(2025, 9, 1), 25)
    q7 = child(la, date(2013, 1, 1))  # short breaks (V4) in the year: not in the OC2 cohort
    p = in_care(q7, date(2020, 1, 1), statuses=[("C2", date(2020, 1, 1), date(2025, 5, 1)),
                                                ("V4", date(2025, 5, 1), None)])
    sdq(q7, p, date(2025, 9, 1), 35)
    q8 = child(la, date(2013, 1, 1))  # looked after all year, no SDQ at all: left out
    in_care(q8, date(2020, 1, 1))

    result = run("sdq_average", la)
    # (20 + 10) / 2 children = 15.0.
    assert (result.numerator, result.denominator, result.value) == pytest.approx((30, 2, 15.0))
    assert {m.key: m.amount for m in result.tally.numerator} == {f"care_plans.sdqscore:{latest.pk}": 20.0,
                                                                 f"care_plans.sdqscore:{s2.pk}": 10.0}
    assert {m.key: m.amount for m in result.tally.denominator or []} == {f"care_plans.sdqscore:{latest.pk}": 1.0,
                                                                       f"care_plans.sdqscore:{s2.pk}": 1.0}


def test_each_cla_indicator_reads_a_fixed_number_of_queries(la):
    team = make_team(la)
    sw = make_user(la, team=team)

    def council(n: int) -> None:
        for i in range(n):
            person = child(la, date(2012, 1, 1) + timedelta(days=i))
            period = placed(person, date(2023, 1, 1), [("U6", date(2023, 1, 1), date(2025, 6, 1)),
                                                       ("K2", date(2025, 6, 1), None)])
            allocate(person, team, sw, date(2023, 1, 1))
            went_missing(person, date(2025, 7, 1), date(2025, 7, 2))
            sdq(person, period, date(2025, 9, 1), 10 + i)

    def counts() -> dict[str, int]:
        found = {}
        for ind in indicators("cla"):
            with CaptureQueriesContext(connection) as ctx:
                run(ind.code, la)
            found[ind.code] = len(ctx.captured_queries)
        return found

    council(2)
    few = counts()
    council(6)
    assert counts() == few
    assert max(few.values()) <= 6


# ------------------------------------------------------------------------------------------- properties

CARERS = ["A", "B", "C"]
KINDS = ["U4", "U6", "K2", "A3", "A5", "A6", "T1", "T4"]


@st.composite
def histories(draw: st.DrawFn) -> list[PlacementRow]:
    """One period's placements, back to back from 2024, random types, carers and lengths."""
    rows: list[PlacementRow] = []
    day = date(2024, 1, 1)
    for i in range(draw(st.integers(1, 8))):
        length = draw(st.integers(1, 200))
        last = i == 7 or (draw(st.booleans()) and i > 2)
        end = None if last else day + timedelta(days=length)
        row = PlacementRow(draw(st.sampled_from(KINDS)), day, end, postcode="NG7 2AA",
                           same_carer_as_previous=draw(st.booleans()), pk=i + 1)
        object.__setattr__(row, "period_id", 1)
        object.__setattr__(row, "foster_household_id", None)
        object.__setattr__(row, "carer_name", draw(st.sampled_from(CARERS)))
        rows.append(row)
        if end is None:
            break
        day = end
    return rows


@settings(max_examples=200, deadline=None)
@given(histories(), st.integers(0, 700))
def test_placements_counted_never_exceed_placements_recorded(homes, offset):
    first = date(2024, 1, 1) + timedelta(days=offset)
    last = first + timedelta(days=364)
    stays = placements_counted(homes, first, last)
    recorded = [h for h in homes if h.started_on <= last and (h.ended_on is None or h.ended_on >= first)]
    assert len(stays) <= len(recorded)
    # Temporary placements are never a placement of their own, and every stay overlaps the year.
    assert all(stay[0].placement_type not in TEMPORARY_PLACEMENTS for stay in stays)
    assert all(stay[0].started_on <= last and (stay[-1].ended_on is None or stay[-1].ended_on >= first)
               for stay in stays)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from([1, 2, 3, None]), st.integers(0, 900), st.integers(1, 300)),
                max_size=12))
def test_distinct_workers_never_exceed_named_allocations_and_a_return_is_no_new_worker(spells):
    first, last = date(2025, 4, 1), date(2026, 3, 31)
    allocations = [(w, date(2024, 1, 1) + timedelta(days=s), date(2024, 1, 1) + timedelta(days=s + n))
                   for w, s, n in spells]
    found = distinct_workers(allocations, first, last)
    named = [a for a in allocations if a[0] is not None and a[1] <= last and a[2] >= first]
    assert len(found) <= len(named)
    assert found == {a[0] for a in named}
    # Giving a worker the child again never adds a social worker.
    again = allocations + [(w, last, None) for w in found]
    assert distinct_workers(again, first, last) == found


def test_the_figures_read_once_per_period_object(la):
    """Indicators of one Period share their reads; a new Period reads afresh (so a change is seen)."""
    a = child(la)
    in_care(a, date(2024, 1, 1))
    period = Period(la, date(2025, 4, 1), YEAR_END)
    assert evaluate("cla_rate", period).numerator == 1
    with CaptureQueriesContext(connection) as ctx:
        evaluate("cla_childrens_homes", period)
    assert len(ctx.captured_queries) == 0
    in_care(child(la), date(2024, 6, 1))
    assert evaluate("cla_rate", Period(la, date(2025, 4, 1), YEAR_END)).numerator == 2


# ------------------------------------------------------------------------------------------- the 903 agrees


def test_the_figures_agree_with_the_ssda903_return_of_a_synthetic_council(db):
    """On a small synthetic council, the counts the return's tables give for 2025/26 are the indicators'."""
    from hearth.care.codes import SHORT_BREAKS
    from hearth.care_plans.selectors import oc2_rows
    from hearth.demo.council import build_council
    from hearth.returns.ssda903 import NO_NAMED_WORKER, build_903

    la = build_council(size="small", seed=3, children_known=300).local_authority
    ret = build_903(local_authority=la, year=2026, with_previous=False)
    child_pk = ret.child_pks
    episodes = ret.table("Episodes")
    start, end = date(2025, 4, 1), date(2026, 3, 31)

    def day(text: str) -> date:
        return date(int(text[6:]), int(text[3:5]), int(text[:2]))

    at_end = {child_pk[r["CHILD"]] for r in episodes if not r["DEC"] and r["LS"] not in SHORT_BREAKS}
    starts = {child_pk[r["CHILD"]] for r in episodes
              if r["RNE"] == "S" and start <= day(r["DECOM"]) <= end and r["LS"] not in SHORT_BREAKS}
    rate = run("cla_rate", la)
    assert {m.child_id for m in rate.tally.numerator} == at_end and at_end
    assert {m.child_id for m in run("cla_start_rate", la).tally.numerator} == starts and starts

    # Social workers: the SWEpisodes table's distinct SW_IDs of each child looked after at 31 March.
    workers: dict[int, set[str]] = {}
    for r in ret.table("SWEpisodes"):
        if r["SW_ID"] != NO_NAMED_WORKER:
            workers.setdefault(child_pk[r["CHILD"]], set()).add(r["SW_ID"])
    changes = run("sw_changes_3plus", la)
    assert {m.child_id for m in changes.tally.denominator or []} == at_end
    assert {m.child_id for m in changes.tally.numerator} == {c for c, ids in workers.items() if len(ids) >= 3}
    assert changes.tally.numerator

    # Missing: children with an M row in the Missing table, of those in the Episodes table not only on
    # short breaks.
    looked_after = {child_pk[r["CHILD"]] for r in episodes if r["LS"] not in SHORT_BREAKS}
    went = {child_pk[r["CHILD"]] for r in ret.table("Missing") if r["MISSING"] == "M"} & looked_after
    missing = run("cla_missing", la)
    assert {m.child_id for m in missing.tally.numerator} == went
    assert {m.child_id for m in missing.tally.denominator or []} == looked_after
    assert went

    # SDQ: the OC2 rows' scores.
    scores = [row.sdq_score for row in oc2_rows(local_authority=la, year=2026) if row.sdq_score is not None]
    sdq_result = run("sdq_average", la)
    assert sorted(m.amount for m in sdq_result.tally.numerator) == sorted(float(s) for s in scores)
    assert scores

    # Care leavers: the OC3 table's rows.
    oc3 = {(child_pk[r["CHILD"]], r["ACTIV"]) for r in ret.table("OC3") if r["IN_TOUCH"] not in ("DIED", "RHOM")}
    eet = run("care_leavers_eet_19_21", la)
    assert {m.child_id for m in eet.tally.denominator or []} <= {c for c, _ in oc3}
    younger = run("care_leavers_eet_17_18", la).tally.denominator or []
    assert len(eet.tally.denominator or []) + len(younger) == len(oc3)
    assert eet.tally.denominator


def test_a_council_with_no_records_has_no_figures_and_no_errors(la):
    for ind in indicators("cla") + indicators("care_leavers") + indicators("workforce"):
        result = run(ind.code, la)
        assert result.numerator == 0
        if ind.unit in ("percent", "average"):
            assert result.value is None  # nothing to divide by: no figure, not 0%
