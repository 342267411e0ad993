from __future__ import annotations

import pytest

from hearth.accounts.models import Team, User
from hearth.accounts.roles import Role
from hearth.tenancy.models import LocalAuthority
from tests.factories import make_user

from .factories import leaving_care_team, make_adviser


@pytest.fixture
def lc_team(la: LocalAuthority) -> Team:
    return leaving_care_team(la)


@pytest.fixture
def adviser(la: LocalAuthority, lc_team: Team) -> User:
    return make_adviser(la, lc_team, username="pa")


@pytest.fixture
def lc_manager(la: LocalAuthority, lc_team: Team) -> User:
    return make_user(la, Role.TEAM_MANAGER, lc_team, username="lcmanager")
