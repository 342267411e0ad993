from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from hearth.accounts.models import Team, User
from hearth.accounts.roles import Role
from tests.factories import make_team, make_user


@dataclass
class Staff:
    north: Team
    south: Team
    director: User
    improvement: User
    manager: User
    worker: User
    colleague: User
    south_worker: User
    analyst: User
    business_support: User


@pytest.fixture
def staff(la) -> Staff:
    """Two teams; a team manager and two social workers in the north, one in the south; the director, the
    improvement manager, an analyst and business support."""
    north, south = make_team(la, "Safeguarding North"), make_team(la, "Children in Care South")
    lead = make_team(la, "Leadership", kind=Team.Kind.LEADERSHIP)
    started = date(2020, 1, 1)
    return Staff(
        north=north, south=south,
        director=make_user(la, Role.DIRECTOR, lead, username="dcs", first_name="Dana", last_name="Director",
                           started_on=started),
        improvement=make_user(la, Role.IMPROVEMENT_MANAGER, lead, username="im", first_name="Imogen",
                              last_name="Improver", started_on=started),
        manager=make_user(la, Role.TEAM_MANAGER, north, username="tm", first_name="Ruth", last_name="Evans",
                          started_on=started),
        worker=make_user(la, Role.SOCIAL_WORKER, north, username="sw", first_name="Sam", last_name="Okafor",
                         started_on=started),
        colleague=make_user(la, Role.SOCIAL_WORKER, north, username="pat", first_name="Pat", last_name="Peer",
                            started_on=started),
        south_worker=make_user(la, Role.SOCIAL_WORKER, south, username="sol", first_name="Sol", last_name="South",
                               started_on=started),
        analyst=make_user(la, Role.PERFORMANCE_ANALYST, lead, username="analyst", first_name="Ana",
                          last_name="Lyst", started_on=started),
        business_support=make_user(la, Role.BUSINESS_SUPPORT, north, username="bs", first_name="Bea",
                                   last_name="Support", started_on=started),
    )
