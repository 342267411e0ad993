"""Care leaver indicators (indicators.md §4), from the OC3 cohort, on a small hand-built council.

The year is 1 April 2025 to 31 March 2026. Every young person below was looked after from 15 to their 18th
birthday (so eligible, then former relevant) unless the comment says otherwise; "around the birthday" is OC3's
three months either side.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hearth.allocations.models import Allocation
from hearth.care_leavers.selectors import oc3_rows
from hearth.indicators.definitions.cla import read_care_leavers
from hearth.indicators.registry import indicators
from tests.factories import make_team, make_user

from .factories_cla import allocate, child, former_relevant, in_care, leaving_care, run

YEAR_START, YEAR_END = date(2025, 4, 1), date(2026, 3, 31)


@pytest.fixture
def council(la):
    """The young people, by name; the comments say what OC3 returns for each."""
    people = {}
    # 19 on 10 June 2025; in touch; in education (F2); independent living, suitable (U1). Left care on their
    # 18th birthday from long-term foster care (U4), not staying put.
    people["c1"] = former_relevant(la, date(2006, 6, 10), contact=(date(2025, 6, 1), "YES"),
                                   activity=(date(2025, 1, 1), "F2"), accommodation=(date(2025, 1, 1), "U", True))
    # 20 on 1 April 2025, the year's first day; no contact within 3 months: not in touch, and what was recorded
    # in 2023 is no knowledge of now, so activity and accommodation 0. Left care from a children's home.
    people["c2"] = former_relevant(la, date(2005, 4, 1), homes=[("K2", date(2020, 4, 1), date(2023, 4, 1))],
                                   contact=(date(2024, 6, 1), "YES"), activity=(date(2023, 5, 1), "F5"),
                                   accommodation=(date(2023, 5, 1), "U", True))
    # 21 on 1 September 2025; in touch; not in education or work (G5); residence not known (R2).
    people["c3"] = former_relevant(la, date(2004, 9, 1), contact=(date(2025, 9, 5), "YES"),
                                   activity=(date(2025, 1, 1), "G5"), accommodation=(date(2025, 1, 1), "R", False))
    # 19 on 15 January 2026; back home with parents for 6 months or more (RHOM): left out of everything.
    people["c4"] = former_relevant(la, date(2006, 1, 15), contact=(date(2026, 1, 10), "RHOM"),
                                   activity=(date(2025, 6, 1), "F5"))
    # 22 in the year: no OC3 row.
    people["c5"] = former_relevant(la, date(2003, 10, 1), contact=(date(2025, 10, 1), "YES"),
                                   activity=(date(2025, 1, 1), "F1"))
    # 19 on 1 February 2026, but died on 1 December 2025 (DIED): left out.
    people["c6"] = former_relevant(la, date(2007, 2, 1), contact=(date(2025, 11, 1), "YES"),
                                   activity=(date(2025, 1, 1), "F1"))
    people["c6"].date_of_death = date(2025, 12, 1)
    people["c6"].save(by="test")
    # 19 on 1 May 2025; in touch; in work (F5); staying put with former foster carers since 18 (Z1).
    people["c7"] = former_relevant(la, date(2006, 5, 1), contact=(date(2025, 5, 2), "YES"),
                                   activity=(date(2025, 3, 1), "F5"), accommodation=(date(2024, 5, 1), "Z", True))
    # 19 on 1 July 2025; left care at 17 (not on the 18th birthday); in higher education (F1), supported
    # lodgings, suitable (E1).
    s8 = child(la, date(2006, 7, 1))
    in_care(s8, date(2021, 7, 1), date(2023, 9, 1), reason="E13")
    leaving_care(s8, contact=(date(2025, 7, 3), "YES"), activity=(date(2024, 9, 1), "F1"),
                 accommodation=(date(2024, 9, 1), "E", True))
    people["s8"] = s8
    # 18 on 1 April 2025, the year's first day, when care ended (from foster care); no contact around it, so
    # not in touch and activity 0. 19 on 1 April 2026, the day after the year: not in the 19 to 21 cohort.
    people["c9"] = former_relevant(la, date(2007, 4, 1), contact=(date(2026, 4, 1), "YES"),
                                   activity=(date(2026, 1, 1), "F1"))
    # 17 on 1 August 2025; looked after from 14 to 16½ (relevant); in touch, in education (F2).
    y1 = child(la, date(2008, 8, 1))
    in_care(y1, date(2023, 1, 1), date(2025, 2, 1), reason="E13")
    leaving_care(y1, contact=(date(2025, 8, 1), "YES"), activity=(date(2025, 6, 1), "F2"),
                 accommodation=(date(2025, 2, 1), "D", True))
    people["y1"] = y1
    # 18 on 1 November 2025, the day care ended, from foster care (U4); a young parent (G6); staying put (Z1).
    people["y2"] = former_relevant(la, date(2007, 11, 1), contact=(date(2025, 11, 3), "YES"),
                                   activity=(date(2025, 9, 1), "G6"), accommodation=(date(2025, 11, 1), "Z", True))
    # 17 on 1 October 2025 and still looked after then: no OC3 row (903 rule 1007).
    y3 = child(la, date(2008, 10, 1))
    in_care(y3, date(2023, 1, 1))
    leaving_care(y3, activity=(date(2025, 1, 1), "F2"))
    people["y3"] = y3
    return people


def children(members) -> set[int]:
    return {m.child_id for m in members or []}


def ids(people, *names: str) -> set[int]:
    return {people[n].pk for n in names}


def test_care_leavers_19_to_21_in_education_employment_or_training(la, council):
    result = run("care_leavers_eet_19_21", la)
    # Cohort c1, c2, c3, c7, s8 (c4 home, c6 died, c5 22, c9 after the year); EET c1, c7, s8: 3 of 5 = 60%.
    assert (result.numerator, result.denominator, result.value) == pytest.approx((3, 5, 60.0))
    assert children(result.tally.numerator) == ids(council, "c1", "c7", "s8")
    assert children(result.tally.denominator) == ids(council, "c1", "c2", "c3", "c7", "s8")
    assert {m.key for m in result.tally.numerator} == {f"people.person:{council[n].pk}" for n in ("c1", "c7", "s8")}
    notes = {m.child_id: m.note for m in result.tally.denominator or []}
    assert notes[council["c1"].pk] == "19: in education"
    assert notes[council["c2"].pk] == "20: activity not known"
    # The date that put each in the year is the birthday: c2's the year's first day.
    assert {m.on for m in result.tally.denominator or [] if m.child_id == council["c2"].pk} == {YEAR_START}


def test_care_leavers_19_to_21_in_suitable_accommodation(la, council):
    result = run("care_leavers_suitable_19_21", la)
    # c3's residence is not known (R): out. Of c1, c2, c7, s8: c1 (U1), c7 (Z1), s8 (E1) suitable; c2 not known.
    assert (result.numerator, result.denominator, result.value) == pytest.approx((3, 4, 75.0))
    assert children(result.tally.numerator) == ids(council, "c1", "c7", "s8")
    assert council["c2"].pk in children(result.tally.denominator)


def test_care_leavers_17_and_18_in_education_employment_or_training(la, council):
    result = run("care_leavers_eet_17_18", la)
    # y1 (F2), y2 (G6) and c9 (not known); y3 still looked after on the birthday has no row: 1 of 3.
    assert (result.numerator, result.denominator) == (1, 3)
    assert children(result.tally.numerator) == ids(council, "y1")
    assert children(result.tally.denominator) == ids(council, "y1", "y2", "c9")


def test_care_leavers_the_council_is_not_in_touch_with(la, council):
    result = run("care_leavers_not_in_touch", la)
    # c2 of c1, c2, c3, c7, s8: 1 of 5.
    assert (result.numerator, result.denominator, result.value) == pytest.approx((1, 5, 20.0))
    assert children(result.tally.numerator) == ids(council, "c2")


def test_staying_put(la, council):
    result = run("staying_put", la)
    # Left care on their 18th birthday from foster care and 18 to 20 in the year: y2, c1, c7, c9 (c2 left from
    # a children's home, s8 left at 17). With former foster carers: y2 and c7. 2 of 4.
    assert (result.numerator, result.denominator, result.value) == pytest.approx((2, 4, 50.0))
    assert children(result.tally.numerator) == ids(council, "y2", "c7")
    assert children(result.tally.denominator) == ids(council, "y2", "c1", "c7", "c9")


def test_a_young_persons_team_is_their_personal_advisers(la, council):
    leaving_team, safeguarding = make_team(la, "Leaving care"), make_team(la, "Safeguarding")
    adviser, worker = make_user(la, team=leaving_team), make_user(la, team=safeguarding)
    allocate(council["c1"], safeguarding, worker, date(2021, 6, 10), date(2024, 6, 10))
    allocate(council["c1"], leaving_team, adviser, date(2024, 6, 10), kind=Allocation.Kind.PERSONAL_ADVISER)
    allocate(council["c7"], safeguarding, worker, date(2021, 5, 1))
    result = run("care_leavers_eet_19_21", la)
    teams = {m.child_id: m.team_id for m in result.tally.denominator or []}
    assert teams[council["c1"].pk] == leaving_team.pk
    assert teams[council["c7"].pk] == safeguarding.pk  # no adviser: their social worker's
    assert teams[council["s8"].pk] is None


def _rows(rows) -> set[tuple]:
    return {(r.child_id, r.age, r.in_touch, r.activity, r.accommodation) for r in rows}


def test_the_cohort_is_exactly_the_903_oc3_table_for_a_collection_year_and_any_other_period(la, council):
    ours = read_care_leavers(la.pk, YEAR_START, YEAR_END)
    theirs = [r.row for r in oc3_rows(local_authority=la, year=2026) if r.row]
    assert _rows(ours) == _rows(theirs) and len(ours) == len(theirs) == 10
    # A rolling year to 30 September 2026 is the two collection years' rows with a birthday in it.
    start, end = date(2025, 10, 1), date(2026, 9, 30)
    rolling = read_care_leavers(la.pk, start, end)
    both = [r.row for y in (2026, 2027) for r in oc3_rows(local_authority=la, year=y)
            if r.row and start <= r.row.birthday <= end]
    assert _rows(rolling) == _rows(both)


def test_care_leaver_indicators_read_a_fixed_number_of_queries(la, council):
    def counts() -> dict[str, int]:
        found = {}
        for ind in indicators("care_leavers"):
            with CaptureQueriesContext(connection) as ctx:
                run(ind.code, la)
            found[ind.code] = len(ctx.captured_queries)
        return found

    few = counts()
    for day in range(1, 20):
        former_relevant(la, date(2006, 8, day), contact=(date(2025, 8, day), "YES"),
                        activity=(date(2025, 1, 1), "F2"), accommodation=(date(2025, 1, 1), "U", True))
    assert counts() == few
    assert max(few.values()) <= 10
