"""The CSWW measures on a hand-built council with known answers (hearth.workforce.measures).

The census year is 1 October 2024 to 30 September 2025 (253 working days: 2025 is not a leap year). Every figure
below is worked out by hand in the comments beside the council that produces it.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hearth.accounts.models import Team, User
from hearth.accounts.roles import Role
from hearth.allocations.models import Allocation
from hearth.indicators.registry import Period, evaluate
from hearth.tenancy.models import LocalAuthority
from hearth.workforce.measures import (
    census_date,
    csww_measures,
    latest_census_year,
    share_of_spell,
    working_days_in_year,
)
from hearth.workforce.models import Absence, Appointment, Post
from tests.factories import make_team, make_user
from tests.indicators.factories_cla import allocate, child
from tests.workforce.factories import make_absence, make_appointment, make_post

CENSUS = date(2025, 9, 30)
FIRST = date(2024, 10, 1)
PERMANENT, SECONDED, AGENCY = (Appointment.EmploymentType.PERMANENT, Appointment.EmploymentType.SECONDED,
                               Appointment.EmploymentType.AGENCY)
R = Appointment.OrgRole
LONG_AGO = date(2019, 4, 1)


def worker(la: LocalAuthority, team: Team, n: int, role: str = Role.SOCIAL_WORKER) -> User:
    return make_user(la, role, team, social_work_england_number=f"SW{9000 + n}")


def cases(la: LocalAuthority, team: Team, who: User | None, n: int, *, ended_on: date | None = None,
          kind: str = Allocation.Kind.SOCIAL_WORKER) -> None:
    for _ in range(n):
        allocate(child(la), team, who, date(2025, 1, 1), ended_on, kind=kind)


def build_council(la: LocalAuthority) -> dict[str, Any]:
    """A children's services workforce with every rule in play (see each line). Other test modules build it too."""
    team = make_team(la, "Safeguarding East")
    people: dict[str, Any] = {"team": team}

    def post(name: str, fte: str = "1.00", **extra: object) -> Post:
        people[name] = made = make_post(la, team=team, fte=fte, established_on=date(2018, 1, 1), **extra)
        return made

    def w(name: str, n: int, role: str = Role.SOCIAL_WORKER) -> User:
        people[name] = made = worker(la, team, n, role)
        return made

    # The council's own social workers in post at 30 September 2025: 7.5 FTE, 9 people.
    make_appointment(w("w1", 1), post=post("P1"), fte="1.00", starts_on=LONG_AGO)  # 1.0, case holder
    make_appointment(w("w2", 2, Role.SENIOR_PRACTITIONER), post=post("P2", "0.50"), org_role=R.SENIOR_PRACTITIONER,
                     fte="0.50", starts_on=LONG_AGO)  # part-time 0.5 in a 0.5 post: no vacancy
    make_appointment(w("w3", 3, Role.TEAM_MANAGER), post=post("P3"), employment_type=SECONDED,
                     org_role=R.FIRST_LINE_MANAGER, fte="0.80", starts_on=LONG_AGO)  # seconded in: the council's own
    make_appointment(w("w5", 5), post=post("P7"), starts_on=LONG_AGO, ends_on=date(2025, 10, 1),
                     left_council=True, reason_leave="5")  # leaves the day after: in post, not a leaver
    make_appointment(w("w6", 6), post=post("P10"), starts_on=FIRST, start_origin="2")  # starts on the year's 1st day
    w7 = w("w7", 7)
    p11 = post("P11")
    make_appointment(w7, post=p11, starts_on=LONG_AGO, ends_on=date(2025, 3, 31))  # 1.0, then ...
    make_appointment(w7, post=p11, fte="0.70", starts_on=date(2025, 4, 1))  # ... 0.7: neither leaver nor starter
    make_appointment(w("w11", 11), post=post("P14"), starts_on=LONG_AGO)  # a case holder with no cases
    make_appointment(w("w12", 12, Role.SERVICE_MANAGER), post=post("P15"), org_role=R.MIDDLE_MANAGER,
                     starts_on=date(2018, 6, 1))
    make_appointment(w("w13", 13), post=post("P16", "0.50"), fte="0.50", starts_on=date(2025, 3, 1),
                     start_origin="1")  # a newly qualified starter, part-time
    # 1.0 + 0.5 + 0.8 + 1.0 + 1.0 + 0.7 + 1.0 + 1.0 + 0.5 = 7.5 FTE.

    # Leavers in the year: 3.0 FTE, 3 people.
    make_appointment(w("w4", 4), post=post("P6"), starts_on=LONG_AGO, ends_on=CENSUS, left_council=True,
                     reason_leave="1", leaver_destination="1")  # last day 30 September: a leaver, not in post
    w8 = w("w8", 8)
    p12 = post("P12", ended_on=date(2025, 1, 16))  # taken off the establishment after w8 left
    make_appointment(w8, post=p12, fte="0.60", starts_on=LONG_AGO, ends_on=date(2024, 10, 31))
    make_appointment(w8, post=p12, fte="1.00", starts_on=date(2024, 11, 1), ends_on=date(2025, 1, 15),
                     left_council=True, reason_leave="1")  # leaves at 1.0, the FTE they left at (not 0.6)
    w10 = w("w10", 10)
    p13 = post("P13", ended_on=date(2025, 6, 1))
    make_appointment(w10, post=p13, starts_on=LONG_AGO, ends_on=date(2025, 5, 31), reason_leave="7")
    make_appointment(w10, org_role=R.NOT_SOCIAL_WORK, starts_on=date(2025, 6, 1))  # moved out of social work here
    make_appointment(w("w9", 9), starts_on=LONG_AGO, ends_on=date(2024, 9, 30),
                     left_council=True)  # left the day before the year: not a leaver in it
    # w4 1.0 + w8 1.0 + w10 1.0 = 3.0 FTE.

    # Agency social workers at 30 September: 2.0 FTE, 3 people.
    make_appointment(w("a1", 21), post=post("P4"), employment_type=AGENCY, starts_on=date(2024, 6, 1))  # 1.0 in a
    # vacant post: covers 1.0
    make_appointment(w("a2", 22), employment_type=AGENCY, fte="0.50",
                     starts_on=date(2025, 2, 1))  # over establishment (no post): covers none
    make_appointment(w("a3", 23), post=people["P3"], employment_type=AGENCY, org_role=R.SENIOR_PRACTITIONER,
                     fte="0.50", starts_on=date(2025, 5, 1))  # 0.5 in P3, where 0.2 is vacant: covers 0.2

    # Not counted anywhere: a family support worker (no CSWW role) in a post that is not social work, and a post
    # taken off the establishment before the census day.
    make_appointment(w("fs", 30, Role.BUSINESS_SUPPORT),
                     post=post("P9", kind=Post.Kind.FAMILY_SUPPORT, social_work_post=False), org_role="")
    post("P8", ended_on=date(2025, 6, 30))
    # Vacancies (social work posts on the establishment on 30 September):
    #   P3 1.0 - 0.8 = 0.2, P4 1.0 (agency-covered), P6 1.0 (w4 left that day), P11 1.0 - 0.7 = 0.3; P8 and P12
    #   and P13 are off the establishment; P9 is not a social work post. 0.2 + 1.0 + 1.0 + 0.3 = 2.5 FTE.
    #   Agency covering vacancies: a1 1.0 (P4) + a3 0.2 (P3) = 1.2 FTE.
    return people


def add_cases(la: LocalAuthority, council: dict[str, Any]) -> dict[str, Any]:
    team = council["team"]
    cases(la, team, council["w1"], 12)
    cases(la, team, council["w1"], 1, ended_on=CENSUS)  # ended on the day: not held on it
    cases(la, team, council["w2"], 6)  # 0.5 FTE
    cases(la, team, council["a1"], 15)  # agency workers are case holders too
    cases(la, team, council["w4"], 3)  # still allocated to a worker who left that day: not in post
    cases(la, team, None, 2)  # with the team, no named worker
    cases(la, team, council["w12"], 1, kind=Allocation.Kind.IRO)  # an IRO allocation is not a case
    # 12 + 6 + 15 = 33 children over w1 1.0 + w2 0.5 + a1 1.0 = 2.5 FTE: 13.2. w11, in post with no case, is
    # not a case holder.
    return council


def add_sickness(council: dict[str, Any]) -> dict[str, Any]:
    sick = Absence.Reason.SICKNESS
    make_absence(council["w1"], starts_on=date(2025, 2, 3), ends_on=date(2025, 2, 7), working_days_lost="5")
    make_absence(council["w2"], starts_on=date(2025, 3, 10), ends_on=date(2025, 3, 21),
                 working_days_lost="5")  # part-time: 5 of her working days in two weeks
    make_absence(council["w3"], starts_on=date(2024, 9, 21), ends_on=date(2024, 10, 10),
                 working_days_lost="10")  # 20 calendar days, 10 of them (1-10 Oct) in the year: 10 x 10/20 = 5
    make_absence(council["w12"], starts_on=date(2025, 9, 21), ends_on=date(2025, 10, 10),
                 working_days_lost="14")  # 20 calendar days, 10 (21-30 Sep) in the year: 14 x 10/20 = 7
    make_absence(council["w8"], starts_on=date(2025, 1, 6), ends_on=date(2025, 1, 10),
                 working_days_lost="5")  # a leaver's sickness in the year counts
    make_absence(council["w5"], reason=Absence.Reason.MATERNITY, starts_on=date(2025, 1, 1),
                 ends_on=date(2025, 6, 30), working_days_lost="125")  # not sickness
    make_absence(council["a1"], reason=sick, starts_on=date(2025, 4, 7), ends_on=date(2025, 4, 11),
                 working_days_lost="5")  # an agency worker's: not the council's to count
    make_absence(council["w1"], starts_on=date(2024, 9, 2), ends_on=date(2024, 9, 6),
                 working_days_lost="5")  # before the year
    # 5 + 5 + 5 + 7 + 5 = 27 days over 7.5 FTE x 253 = 1,897.5: 1.4229%.
    return council


@pytest.fixture
def council(la: LocalAuthority) -> dict[str, Any]:
    return build_council(la)


@pytest.fixture
def with_cases(la: LocalAuthority, council: dict[str, Any]) -> dict[str, Any]:
    return add_cases(la, council)


@pytest.fixture
def with_sickness(council: dict[str, Any]) -> dict[str, Any]:
    return add_sickness(council)


def test_census_date_and_year() -> None:
    assert census_date(2025) == date(2025, 9, 30)
    assert latest_census_year(date(2026, 11, 23)) == 2026
    assert latest_census_year(date(2026, 9, 29)) == 2025
    assert latest_census_year(date(2026, 9, 30)) == 2026


def test_the_councils_own_social_workers_in_post(la, council) -> None:
    m = csww_measures(local_authority=la, on=CENSUS)
    assert m.first == FIRST and m.on == CENSUS
    assert (m.fte_in_post, m.headcount_in_post) == (Decimal("7.50"), 9)


def test_turnover_on_fte_and_headcount(la, council) -> None:
    m = csww_measures(local_authority=la, on=CENSUS)
    # Leavers w4 (last day 30 Sep), w8 (left at 1.0 after going up from 0.6), w10 (moved out of social work).
    assert (m.leavers_fte, m.leavers_headcount) == (Decimal("3.00"), 3)
    assert m.turnover_rate == pytest.approx(40.0)  # 3.0 / 7.5
    assert m.turnover_rate_headcount == pytest.approx(100 / 3)  # 3 / 9


def test_starters(la, council) -> None:
    m = csww_measures(local_authority=la, on=CENSUS)
    # w6 (1 October 2024, the year's first day) 1.0 + w13 0.5; w7's change of FTE and w10's move are not starts.
    assert (m.starters_fte, m.starters_headcount) == (Decimal("1.50"), 2)


def test_agency_rate_on_fte_and_headcount(la, council) -> None:
    m = csww_measures(local_authority=la, on=CENSUS)
    assert (m.agency_fte, m.agency_headcount) == (Decimal("2.00"), 3)  # a1 1.0 + a2 0.5 + a3 0.5
    assert m.agency_rate == pytest.approx(200 / 9.5)  # 2.0 / (2.0 + 7.5) = 21.05%
    assert m.agency_rate_headcount == pytest.approx(25.0)  # 3 / (3 + 9)


def test_vacancies_and_agency_cover(la, council) -> None:
    m = csww_measures(local_authority=la, on=CENSUS)
    assert m.vacancies_fte == Decimal("2.50")
    assert m.vacancy_rate == pytest.approx(25.0)  # 2.5 / (2.5 + 7.5)
    assert m.agency_covering_vacancies_fte == Decimal("1.20")  # a1 1.0 + a3 0.2 (of its 0.5); a2 in no post
    assert m.agency_cover_rate == pytest.approx(60.0)  # 1.2 / 2.0 agency FTE
    assert m.vacancies_covered_rate == pytest.approx(48.0)  # 1.2 / 2.5 vacant FTE


def test_caseload_of_case_holders(la, with_cases) -> None:
    m = csww_measures(local_authority=la, on=CENSUS)
    assert (m.cases, m.case_holder_fte) == (33, Decimal("2.50"))
    assert m.caseload_average == pytest.approx(13.2)


def test_sickness_absence(la, with_sickness) -> None:
    m = csww_measures(local_authority=la, on=CENSUS)
    assert m.days_lost == Decimal("27.00")
    assert m.working_days_in_year == 253
    assert m.absence_rate == pytest.approx(27 / (7.5 * 253) * 100)  # 1.42%


def test_a_leap_year_has_254_working_days(la) -> None:
    team = make_team(la)
    someone = worker(la, team, 1)
    make_appointment(someone, starts_on=LONG_AGO, fte="0.50")
    make_absence(someone, starts_on=date(2024, 2, 26), ends_on=date(2024, 3, 1), working_days_lost="5.08")
    m = csww_measures(local_authority=la, on=date(2024, 9, 30))  # 1 Oct 2023 - 30 Sep 2024 holds 29 Feb 2024
    assert m.working_days_in_year == 254
    assert m.absence_rate == pytest.approx(5.08 / (0.5 * 254) * 100)  # exactly 4%
    assert m.absence_rate == pytest.approx(4.0)
    assert csww_measures(local_authority=la, on=date(2025, 9, 30)).working_days_in_year == 253
    assert working_days_in_year(date(2024, 3, 1), date(2025, 2, 28)) == 253  # misses 29 Feb 2024
    assert working_days_in_year(date(2024, 2, 29), date(2025, 2, 28)) == 254


def test_the_days_either_side_of_the_year(la) -> None:
    """Left on 30 September vs 1 October; started on 1 October last year vs 30 September."""
    team = make_team(la)
    left_30 = worker(la, team, 1)
    make_appointment(left_30, starts_on=LONG_AGO, ends_on=date(2025, 9, 30), left_council=True)
    left_1 = worker(la, team, 2)
    make_appointment(left_1, starts_on=LONG_AGO, ends_on=date(2025, 10, 1), left_council=True)
    started_1 = worker(la, team, 3)
    make_appointment(started_1, starts_on=date(2024, 10, 1))
    started_30 = worker(la, team, 4)
    make_appointment(started_30, starts_on=date(2024, 9, 30))
    this_year = csww_measures(local_authority=la, on=CENSUS)
    # In post at 30 Sep 2025: left_1, started_1, started_30 (left_30's last day is the census day: a leaver).
    assert (this_year.headcount_in_post, this_year.leavers_headcount, this_year.starters_headcount) == (3, 1, 1)
    next_year = csww_measures(local_authority=la, on=date(2026, 9, 30))
    assert (next_year.headcount_in_post, next_year.leavers_headcount, next_year.starters_headcount) == (2, 1, 0)
    last_year = csww_measures(local_authority=la, on=date(2024, 9, 30))
    # started_30 began on 30 Sep 2024: a starter in the year to 30 Sep 2024 and in post at its end.
    assert (last_year.headcount_in_post, last_year.starters_headcount) == (3, 1)


def test_moving_posts_on_the_census_day_is_staying(la) -> None:
    team = make_team(la)
    mover = worker(la, team, 1)
    first, second = make_post(la, team=team), make_post(la, team=team)
    make_appointment(mover, post=first, starts_on=LONG_AGO, ends_on=CENSUS)
    make_appointment(mover, post=second, fte="0.80", starts_on=date(2025, 10, 1))
    m = csww_measures(local_authority=la, on=CENSUS)
    # In post at 30 September (in the first post, at 1.0), not a leaver; the first post is filled that day.
    assert (m.fte_in_post, m.leavers_headcount, m.vacancies_fte) == (Decimal("1.00"), 0, Decimal("1.00"))


def test_an_agency_worker_over_establishment_covers_no_vacancy(la) -> None:
    team = make_team(la)
    vacant = make_post(la, team=team)
    make_appointment(worker(la, team, 1), employment_type=AGENCY, starts_on=LONG_AGO)  # in no post
    m = csww_measures(local_authority=la, on=CENSUS)
    assert (m.vacancies_fte, m.agency_fte, m.agency_covering_vacancies_fte) == (Decimal("1.00"), Decimal("1.00"), 0)
    assert m.agency_cover_rate == 0 and m.vacancies_covered_rate == 0
    make_appointment(worker(la, team, 2), post=vacant, employment_type=AGENCY, starts_on=LONG_AGO)  # in the post
    m = csww_measures(local_authority=la, on=CENSUS)
    assert m.agency_covering_vacancies_fte == Decimal("1.00")
    assert (m.agency_cover_rate, m.vacancies_covered_rate) == pytest.approx((50.0, 100.0))


def test_an_empty_council_has_no_rates(la) -> None:
    m = csww_measures(local_authority=la, on=CENSUS)
    assert m.fte_in_post == 0 and m.headcount_in_post == 0
    assert all(value is None for value in (
        m.turnover_rate, m.turnover_rate_headcount, m.agency_rate, m.agency_rate_headcount, m.vacancy_rate,
        m.agency_cover_rate, m.vacancies_covered_rate, m.caseload_average, m.absence_rate))


def test_another_councils_workforce_never_counts(la, other_la, council) -> None:
    team = make_team(other_la)
    elsewhere = worker(other_la, team, 50)
    make_appointment(elsewhere, post=make_post(other_la, team=team), starts_on=LONG_AGO)
    make_absence(elsewhere, starts_on=date(2025, 2, 3), ends_on=date(2025, 2, 7))
    cases(other_la, team, elsewhere, 4)
    assert csww_measures(local_authority=la, on=CENSUS).fte_in_post == Decimal("7.50")
    theirs = csww_measures(local_authority=other_la, on=CENSUS)
    assert (theirs.fte_in_post, theirs.vacancies_fte, theirs.cases, theirs.days_lost) == (1, 0, 4, 5)


def test_share_of_a_spell() -> None:
    spell = (date(2025, 9, 21), date(2025, 10, 10))
    assert share_of_spell(Decimal("14"), spell, 10) == Decimal("7.00")
    assert share_of_spell(Decimal("10"), spell, 20) == Decimal("10")
    assert share_of_spell(Decimal("1"), spell, 1) == Decimal("0.05")  # 1 x 1/20, to two places


def test_the_indicators_are_the_measures(la, with_cases, with_sickness) -> None:
    m = csww_measures(local_authority=la, on=CENSUS)
    period = Period(la, FIRST, CENSUS)
    expected = {"sw_fte": float(m.fte_in_post), "turnover_rate": m.turnover_rate, "agency_rate": m.agency_rate,
                "vacancy_rate": m.vacancy_rate, "agency_cover": m.agency_cover_rate,
                "vacancies_covered": m.vacancies_covered_rate, "caseload_average": m.caseload_average,
                "absence_rate": m.absence_rate}
    for code, value in expected.items():
        assert evaluate(code, period).value == pytest.approx(value), code


def test_measures_read_a_fixed_number_of_queries(la, with_cases, with_sickness) -> None:
    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            csww_measures(local_authority=la, on=CENSUS)
        return len(ctx.captured_queries)

    few = count()
    team = with_cases["team"]
    for n in range(5):
        someone = worker(la, team, 100 + n)
        make_appointment(someone, post=make_post(la, team=team), starts_on=LONG_AGO)
        make_absence(someone, starts_on=date(2025, 2, 3), ends_on=date(2025, 2, 7))
        cases(la, team, someone, 2)
    assert count() == few <= 4
