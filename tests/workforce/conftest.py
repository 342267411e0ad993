"""A small hand-built establishment with known answers (worked out in test_selectors.py), and staff in each role
that reads the workforce pages."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from hearth.accounts.models import Team, User
from hearth.accounts.roles import Role
from hearth.finance.models import Grant, Reserve
from hearth.tenancy.models import LocalAuthority
from hearth.workforce.models import Appointment, Post, PostFunding
from tests.factories import make_team, make_user
from tests.workforce.factories import make_appointment, make_funding, make_grant, make_post, make_reserve

TODAY = date(2026, 11, 23)
AGENCY = Appointment.EmploymentType.AGENCY
SECONDED = Appointment.EmploymentType.SECONDED
RESERVE = PostFunding.Source.RESERVE
GRANT = PostFunding.Source.GRANT


@dataclass
class World:
    la: LocalAuthority
    team_a: Team
    team_b: Team
    reserve: Reserve
    grant: Grant
    posts: dict[str, Post]
    workers: dict[str, User]


def build_world(la: LocalAuthority) -> World:
    """Posts P1 to P8 on 23 November 2026 (TODAY):

    P1 team A, 1.0 FTE, £50,000, base budget for ever; a permanent worker, 1.0.
    P2 team A, 1.0 FTE, £60,000, the reserve to 23 Jan 2027 (2 months); an agency worker in it. Serves caseloads.
    P3 team B, missing advocate, 1.0 FTE, £40,000, the grant to 23 Apr 2027 (5 months); vacant. Serves cla_missing.
    P4 team B, 0.5 FTE, £30,000, the reserve to 31 Dec 2026, then base budget from 1 Jan 2027; a secondee, 0.5.
    P5 team A, 1.0 FTE, £52,000, half grant to 23 Sep 2027 (10 months), half base budget; a permanent worker, 0.6.
    P6 team B, 1.0 FTE, £45,000, the reserve ended 31 Oct 2026 and nothing since; vacant.
    P7 team A, came off the establishment on 1 Jun 2026. P8 team A, established 1 Jan 2027.
    """
    a, b = make_team(la, "Safeguarding A"), make_team(la, "Exploitation and missing B")
    reserve = make_reserve(la, name="Improvement reserve")
    grant = make_grant(la, name="Families First grant", starts_on=date(2025, 4, 1), ends_on=date(2028, 3, 31))
    p = {
        "P1": make_post(la, team=a, reference="P1", annual_cost=50000),
        "P2": make_post(la, team=a, reference="P2", annual_cost=60000, serves_indicators=["caseload_average"]),
        "P3": make_post(la, team=b, reference="P3", kind=Post.Kind.MISSING_ADVOCATE, annual_cost=40000,
                        serves_indicators=["cla_missing"]),
        "P4": make_post(la, team=b, reference="P4", fte="0.5", annual_cost=30000),
        "P5": make_post(la, team=a, reference="P5", annual_cost=52000),
        "P6": make_post(la, team=b, reference="P6", annual_cost=45000),
        "P7": make_post(la, team=a, reference="P7", annual_cost=99000, ended_on=date(2026, 6, 1)),
        "P8": make_post(la, team=a, reference="P8", annual_cost=99000, established_on=date(2027, 1, 1)),
    }
    make_funding(p["P1"])
    make_funding(p["P2"], source=RESERVE, reserve=reserve, ends_on=date(2027, 1, 23))
    make_funding(p["P3"], source=GRANT, grant=grant, ends_on=date(2027, 4, 23))
    make_funding(p["P4"], source=RESERVE, reserve=reserve, ends_on=date(2026, 12, 31))
    make_funding(p["P4"], starts_on=date(2027, 1, 1))
    make_funding(p["P5"], source=GRANT, grant=grant, ends_on=date(2027, 9, 23), share_percent=50)
    make_funding(p["P5"], share_percent=50)
    make_funding(p["P6"], source=RESERVE, reserve=reserve, ends_on=date(2026, 10, 31))
    make_funding(p["P7"], ends_on=date(2026, 5, 31))
    make_funding(p["P8"], starts_on=date(2027, 1, 1))
    w = {
        "ann": make_user(la, Role.SOCIAL_WORKER, a, first_name="Ann"),
        "bo": make_user(la, Role.SOCIAL_WORKER, a, first_name="Bo"),
        "cy": make_user(la, Role.SOCIAL_WORKER, b, first_name="Cy"),
        "di": make_user(la, Role.SOCIAL_WORKER, a, first_name="Di"),
        "ed": make_user(la, Role.SOCIAL_WORKER, a, first_name="Ed"),
    }
    make_appointment(w["ann"], post=p["P1"], starts_on=date(2021, 5, 1))
    make_appointment(w["bo"], post=p["P2"], employment_type=AGENCY, starts_on=date(2026, 2, 1))
    make_appointment(w["cy"], post=p["P4"], employment_type=SECONDED, fte="0.5", starts_on=date(2025, 9, 1))
    make_appointment(w["di"], post=p["P5"], fte="0.6", starts_on=date(2024, 1, 8))
    # Left P6 in October: the post has been vacant since.
    make_appointment(w["ed"], post=p["P6"], starts_on=date(2023, 1, 1), ends_on=date(2026, 10, 31),
                     left_council=True, reason_leave=Appointment.ReasonLeave.RESIGNATION)
    return World(la, a, b, reserve, grant, p, w)


@pytest.fixture
def world(la: LocalAuthority) -> World:
    return build_world(la)


@pytest.fixture
def staff(la: LocalAuthority, world: World) -> dict[str, User]:
    """One member of staff in each role that matters here; the team manager manages team A."""
    return {
        "director": make_user(la, Role.DIRECTOR, username="dcs"),
        "head": make_user(la, Role.SERVICE_MANAGER, username="hos"),
        "tm": make_user(la, Role.TEAM_MANAGER, world.team_a, username="tm"),
        "analyst": make_user(la, Role.PERFORMANCE_ANALYST, username="analyst"),
        "improvement": make_user(la, Role.IMPROVEMENT_MANAGER, username="im"),
        "finance": make_user(la, Role.FINANCE_OFFICER, username="fin"),
        "worker": make_user(la, Role.SOCIAL_WORKER, world.team_a, username="sw"),
    }
