"""Workforce indicators (indicators.md §5) on appointments, posts and absences: their members, dates, teams and
notes, and the queries they take. The figures themselves, with worked answers, are in tests/workforce/
test_measures.py (and indicator = measure for any workforce in test_measures_properties.py).

The year runs to 30 September 2025 (1 October 2024 to 30 September 2025), as the workforce census does.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hearth.accounts.roles import Role
from hearth.indicators import drilldown
from hearth.indicators.registry import Period, evaluate, indicators
from hearth.workforce.models import Absence, Appointment
from tests.factories import make_team, make_user
from tests.workforce.factories import make_absence, make_appointment, make_post

from .factories_cla import allocate, child

START, END = date(2024, 10, 1), date(2025, 9, 30)
AGENCY = Appointment.EmploymentType.AGENCY
CODES = ("sw_fte", "turnover_rate", "agency_rate", "vacancy_rate", "agency_cover", "vacancies_covered",
         "caseload_average", "absence_rate")


def go(code: str, la):
    return evaluate(code, Period(la, START, END))


@pytest.fixture
def staff(la):
    north, south = make_team(la, "Safeguarding North"), make_team(la, "Safeguarding South")
    people = {name: make_user(la, Role.SOCIAL_WORKER, north, social_work_england_number=f"SW{n}")
              for n, name in enumerate(("sw", "part", "leaver", "agency", "moved"), start=1)}
    post_south = make_post(la, team=south)  # the post's team wins over the worker's
    held = {
        "sw": make_appointment(people["sw"], post=post_south, starts_on=date(2020, 1, 1)),
        "part": make_appointment(people["part"], fte="0.60", starts_on=date(2020, 1, 1)),
        "leaver": make_appointment(people["leaver"], starts_on=date(2020, 1, 1), ends_on=date(2025, 3, 14),
                                   left_council=True, reason_leave="1"),
        "agency": make_appointment(people["agency"], post=make_post(la, team=north), employment_type=AGENCY,
                                   starts_on=date(2025, 1, 1)),
    }
    vacant = make_post(la, team=north, reference="CSC-0099")
    allocate(child(la), north, people["sw"], date(2025, 1, 1))
    allocate(child(la), north, people["agency"], date(2025, 1, 1))
    allocate(child(la), north, people["agency"], date(2025, 1, 1))
    sick = make_absence(people["part"], reason=Absence.Reason.SICKNESS, starts_on=date(2025, 2, 3),
                        ends_on=date(2025, 2, 7), working_days_lost="3")
    return {"people": people, "held": held, "vacant": vacant, "sick": sick, "north": north, "south": south,
            "post_south": post_south}


def keys(members) -> list[str]:
    return sorted(m.key for m in members or [])


def test_members_are_appointments_posts_and_absences(la, staff):
    held = staff["held"]
    sw_fte = go("sw_fte", la)
    assert sw_fte.value == pytest.approx(1.6)  # sw 1.0 + part 0.6
    assert keys(sw_fte.tally.numerator) == sorted(f"workforce.appointment:{held[n].pk}" for n in ("sw", "part"))
    assert all(m.child_id is None and m.on == END for m in sw_fte.tally.numerator)
    assert {m.note for m in sw_fte.tally.numerator} == {"Employed, case holder, 1 FTE",
                                                        "Employed, case holder, 0.6 FTE"}

    turnover = go("turnover_rate", la)
    [left] = turnover.tally.numerator
    assert left.key == f"workforce.appointment:{held['leaver'].pk}" and left.on == date(2025, 3, 14)
    assert left.note == "Last day 14 March 2025, 1 FTE"  # no reason for leaving: that is HR's, not a figure's
    assert turnover.value == pytest.approx(100 / 1.6)

    vacancy = go("vacancy_rate", la)
    # The vacant post (1.0) and the agency-covered one (1.0): 2.0 of 3.6.
    assert keys(vacancy.tally.numerator) == sorted(
        f"workforce.post:{p.pk}" for p in (staff["vacant"], held["agency"].post))
    assert {m.note for m in vacancy.tally.numerator} >= {"Post CSC-0099: 1 FTE of 1 FTE vacant"}
    assert vacancy.value == pytest.approx(200 / 3.6)

    covered = go("vacancies_covered", la)
    assert keys(covered.tally.numerator) == [f"workforce.post:{held['agency'].post_id}"]
    assert covered.value == pytest.approx(50.0)
    assert go("agency_cover", la).value == pytest.approx(100.0)
    assert go("agency_rate", la).value == pytest.approx(100 / 2.6)

    absence = go("absence_rate", la)
    [spell] = absence.tally.numerator
    assert spell.key == f"workforce.absence:{staff['sick'].pk}" and spell.amount == 3.0
    assert spell.note == "3 working days of sickness in the period"
    assert sorted(m.amount for m in absence.tally.denominator or []) == pytest.approx([0.6 * 253, 253.0])
    assert absence.value == pytest.approx(3 / (1.6 * 253) * 100)


def test_caseload_members_are_case_holders_with_their_cases(la, staff):
    result = go("caseload_average", la)
    # sw 1 child at 1.0 FTE, the agency worker 2 at 1.0 (part, with none, is not a case holder): 3 / 2.0.
    assert result.value == pytest.approx(1.5)
    assert sorted(m.amount for m in result.tally.numerator) == [1.0, 2.0]
    assert {m.note for m in result.tally.numerator} == {"1 child, 1 FTE", "2 children, 1 FTE"}


def test_a_members_team_is_its_posts_else_its_workers(la, staff):
    members = {m.key: m.team_id for m in go("sw_fte", la).tally.numerator}
    held = staff["held"]
    assert members[f"workforce.appointment:{held['sw'].pk}"] == staff["south"].pk
    assert members[f"workforce.appointment:{held['part'].pk}"] == staff["north"].pk


def test_a_drill_down_never_names_a_leaver_or_a_sick_worker(la, staff):
    director = make_user(la, Role.DIRECTOR, username="director")
    for code in ("turnover_rate", "absence_rate"):
        page = drilldown.drill_down(user=director, result=go(code, la))
        assert page.rows and all(row.shown == "A member of staff" and row.person_id is None for row in page.rows)
        names = {p.get_full_name() for p in staff["people"].values()}
        assert not names & {row.shown for row in page.rows}


def test_every_workforce_indicator_is_registered_with_its_lait_code():
    found = {i.code: i.lait_code for i in indicators("workforce")}
    assert found == {"sw_fte": "Work_Force_NoSW", "turnover_rate": "Work_Force_TO_Rate",
                     "agency_rate": "Work_Force_Agecy_Rate", "vacancy_rate": "Work_Force_Vac_Rate",
                     "agency_cover": "Work_Force_AgencyCover", "vacancies_covered": "Vacancies_cover",
                     "caseload_average": "Work_Force_AvgNumCase_SW", "absence_rate": "Work_Force_SWAbsence"}


def test_workforce_indicators_read_a_fixed_number_of_queries(la, staff):
    def counts() -> tuple[int, dict[str, int]]:
        found = {}
        for code in CODES:
            with CaptureQueriesContext(connection) as ctx:
                go(code, la)
            found[code] = len(ctx.captured_queries)
        period = Period(la, START, END)  # all of them on one period share what they read
        with CaptureQueriesContext(connection) as ctx:
            for code in CODES:
                evaluate(code, period)
        return len(ctx.captured_queries), found

    few = counts()
    for n in range(5):
        someone = make_user(la, Role.SOCIAL_WORKER, staff["north"], social_work_england_number=f"SW{100 + n}")
        make_appointment(someone, post=make_post(la, team=staff["north"]), starts_on=date(2021, 1, 1))
        make_absence(someone, starts_on=date(2025, 2, 3), ends_on=date(2025, 2, 7))
        allocate(child(la), staff["north"], someone, date(2025, 1, 1))
    assert counts() == few
    together, each = few
    # Appointments, posts, sickness and caseloads, once each, and the population the registry reads for a count.
    assert together <= 5 and max(each.values()) <= 3
