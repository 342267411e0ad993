from __future__ import annotations

import pytest

from hearth.accounts.models import Team, User
from hearth.accounts.roles import Role
from hearth.people.models import Person
from hearth.tenancy.models import LocalAuthority
from tests.factories import make_person, make_user


@pytest.fixture
def system_admin(la: LocalAuthority) -> User:
    return make_user(la, Role.SYSTEM_ADMIN, username="calendar.admin")


@pytest.fixture
def child(la: LocalAuthority) -> Person:
    return make_person(la)


@pytest.fixture
def worker(la: LocalAuthority, team: Team) -> User:
    return make_user(la, Role.SOCIAL_WORKER, team, username="clock.worker")
