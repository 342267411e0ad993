from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from hearth.accounts.models import Team, User
from hearth.accounts.roles import Role
from hearth.allocations.services import allocation_start
from hearth.people.models import Person
from tests.factories import make_person, make_team, make_user


@dataclass
class Supervised:
    team: Team
    manager: User
    worker: User
    peer: User
    senior: User
    head: User
    analyst: User
    children: list[Person]
    other_team: Team
    other_manager: User


@pytest.fixture
def supervised(la) -> Supervised:
    """A team with its manager, a worker holding two children, a peer, a senior practitioner; a head of service,
    an analyst, and another team's manager."""
    team = make_team(la, "Safeguarding North")
    long_ago = date(2024, 1, 1)
    manager = make_user(la, Role.TEAM_MANAGER, team, username="ruth", first_name="Ruth", last_name="Evans",
                        started_on=long_ago)
    worker = make_user(la, Role.SOCIAL_WORKER, team, username="sam", first_name="Sam", last_name="Okafor",
                       started_on=long_ago)
    peer = make_user(la, Role.SOCIAL_WORKER, team, username="pat", first_name="Pat", last_name="Peer",
                     started_on=long_ago)
    senior = make_user(la, Role.SENIOR_PRACTITIONER, team, username="sid", first_name="Sid", last_name="Senior",
                       started_on=long_ago)
    head = make_user(la, Role.SERVICE_MANAGER, username="hos", first_name="Hana", last_name="Head")
    analyst = make_user(la, Role.PERFORMANCE_ANALYST, username="ana", first_name="Ana", last_name="Lyst")
    other_team = make_team(la, "Children in Care East", kind=Team.Kind.CHILDREN_IN_CARE)
    other_manager = make_user(la, Role.TEAM_MANAGER, other_team, username="priya", first_name="Priya",
                              last_name="Shah", started_on=long_ago)
    children = [
        make_person(la, first_name="Jordan", last_name="Whitfield", date_of_birth=date(2015, 3, 27)),
        make_person(la, first_name="Kai", last_name="Brennan", date_of_birth=date(2018, 11, 2), sex="M"),
    ]
    for child in children:
        allocation_start(child=child, team=team, worker=worker, started_on=date(2025, 1, 6), by="test")
    return Supervised(team, manager, worker, peer, senior, head, analyst, children, other_team, other_manager)
