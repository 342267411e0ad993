from __future__ import annotations

import pytest
from django.test import Client

from hearth.accounts.models import Team, User
from hearth.accounts.roles import Role
from hearth.tenancy.models import LocalAuthority
from tests.factories import make_la, make_team, make_user


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The suite builds its databases from the models (``--nomigrations``: replaying 113 migrations took 45 s per
    database); the reference data the two data migrations load goes in here, by the same functions.
    ``makemigrations --check`` (make lint) keeps the migrations in step with the models, and every ``make demo``
    runs them."""
    from hearth.clocks.models import BankHoliday
    from hearth.clocks.seeding import DEFAULT_YEARS, add_missing
    from hearth.indicators.benchmark_sources import load_project_table

    with django_db_blocker.unblock():
        add_missing(BankHoliday, DEFAULT_YEARS)
        load_project_table()

@pytest.fixture
def la(db) -> LocalAuthority:
    return make_la()


@pytest.fixture
def other_la(db) -> LocalAuthority:
    return make_la(name="Another Council")


@pytest.fixture
def team(la: LocalAuthority) -> Team:
    return make_team(la, "Safeguarding North")


@pytest.fixture
def social_worker(la: LocalAuthority, team: Team) -> User:
    return make_user(la, Role.SOCIAL_WORKER, team, username="worker")


@pytest.fixture
def team_manager(la: LocalAuthority, team: Team) -> User:
    return make_user(la, Role.TEAM_MANAGER, team, username="manager")


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client
