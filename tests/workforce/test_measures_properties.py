"""For any small workforce: every workforce indicator is the CSWW measure of the same name, and the measures hold
together (a leaver is never in post, agency cover never exceeds the agency FTE nor the vacancies, and so on)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from hearth.accounts.roles import Role
from hearth.indicators.registry import Period, evaluate
from hearth.workforce.measures import csww_measures, workforce_census
from hearth.workforce.models import Absence
from tests.factories import make_la, make_team, make_user
from tests.indicators.factories_cla import allocate, child
from tests.workforce.factories import make_absence, make_appointment, make_post

CENSUS = date(2025, 9, 30)
FIRST = date(2024, 10, 1)
ORIGIN = date(2024, 1, 1)
INDICATOR_OF = {"sw_fte": "fte_in_post", "turnover_rate": "turnover_rate", "agency_rate": "agency_rate",
                "vacancy_rate": "vacancy_rate", "agency_cover": "agency_cover_rate",
                "vacancies_covered": "vacancies_covered_rate", "caseload_average": "caseload_average",
                "absence_rate": "absence_rate"}

appointment_st = st.fixed_dictionaries({
    "gap": st.integers(0, 200),  # days after the previous one ended (0: the next day, a change of role or FTE)
    "length": st.one_of(st.none(), st.integers(0, 500)),  # None: still in it (only the last can be)
    "kind": st.sampled_from(["permanent", "seconded", "agency"]),
    "role": st.sampled_from(["1", "3", "4", "5", "5", "6", ""]),
    "fte": st.sampled_from(["0.50", "0.80", "1.00"]),
    "post": st.one_of(st.none(), st.integers(0, 3)),
    "left": st.booleans(),
})
worker_st = st.fixed_dictionaries({
    "appointments": st.lists(appointment_st, min_size=1, max_size=3),
    "cases": st.integers(0, 2),
    "sick": st.one_of(st.none(), st.tuples(st.integers(0, 700), st.integers(0, 30), st.integers(0, 20))),
})
post_st = st.tuples(st.sampled_from(["0.50", "1.00"]), st.one_of(st.none(), st.integers(100, 700)),
                    st.booleans())


def build(la, workers, posts) -> None:
    team = make_team(la)
    made = [make_post(la, team=team, fte=fte, established_on=ORIGIN,
                      ended_on=None if ended is None else ORIGIN + timedelta(days=ended), social_work_post=sw)
            for fte, ended, sw in posts]
    for n, spec in enumerate(workers):
        person = make_user(la, Role.SOCIAL_WORKER, team, social_work_england_number=f"SW{n + 1}")
        cursor = ORIGIN
        for i, a in enumerate(spec["appointments"]):
            starts = cursor + timedelta(days=a["gap"])
            last = i == len(spec["appointments"]) - 1
            ends = None if a["length"] is None and last else starts + timedelta(days=a["length"] or 0)
            make_appointment(person, post=made[a["post"]] if a["post"] is not None and a["post"] < len(made) else None,
                             employment_type=a["kind"], org_role=a["role"], fte=a["fte"], starts_on=starts,
                             ends_on=ends, left_council=bool(a["left"] and ends is not None))
            if ends is None:
                break
            cursor = ends + timedelta(days=1)
        for _ in range(spec["cases"]):
            allocate(child(la), team, person, date(2025, 1, 1))
        if spec["sick"] is not None:
            start = ORIGIN + timedelta(days=spec["sick"][0])
            make_absence(person, reason=Absence.Reason.SICKNESS, starts_on=start,
                         ends_on=start + timedelta(days=spec["sick"][1]), working_days_lost=str(spec["sick"][2]))


class WorkforceIndicatorsAreTheMeasures(TestCase):
    @settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(workers=st.lists(worker_st, max_size=6), posts=st.lists(post_st, max_size=4))
    def test_each_indicator_is_its_measure_and_the_measures_hold_together(self, workers, posts):
        la = make_la()
        build(la, workers, posts)
        m = csww_measures(local_authority=la, on=CENSUS)
        period = Period(la, FIRST, CENSUS)
        for code, attribute in INDICATOR_OF.items():
            value = evaluate(code, period).value
            expected = getattr(m, attribute)
            if expected is None:
                assert value is None, code
            else:
                assert value is not None and abs(value - float(expected)) < 1e-9, code

        census = workforce_census(local_authority_id=la.pk, first=FIRST, last=CENSUS)
        in_post = {h.pk for h in census.in_post} | {h.pk for h in census.agency}
        assert not in_post & {h.pk for h in census.leavers}
        assert all(h.ends_on is not None and FIRST <= h.ends_on <= CENSUS for h in census.leavers)
        assert all(FIRST <= h.starts_on <= CENSUS for h in census.starters)
        assert len({h.worker_id for h in census.in_post}) == m.headcount_in_post
        assert 0 <= m.agency_covering_vacancies_fte <= min(m.agency_fte, m.vacancies_fte)
        assert all(p.vacant_fte >= 0 and p.vacant_fte + p.filled_fte >= p.fte for p in census.posts)
        assert m.cases <= sum(spec["cases"] for spec in workers)
        assert Decimal("0") <= m.days_lost <= sum((Decimal(spec["sick"][2]) for spec in workers if spec["sick"]),
                                                  Decimal("0"))
        for value in (m.turnover_rate, m.agency_rate, m.vacancy_rate, m.absence_rate):
            assert value is None or value >= 0
        for value in (m.agency_rate, m.vacancy_rate, m.agency_cover_rate, m.vacancies_covered_rate):
            assert value is None or value <= 100 + 1e-9
