from __future__ import annotations

import pytest

from hearth.accounts.models import User
from hearth.people.models import Person
from hearth.tenancy.models import LocalAuthority
from tests.factories import make_person

from .factories import make_officer


@pytest.fixture
def officer(la: LocalAuthority) -> User:
    return make_officer(la)


@pytest.fixture
def child(la: LocalAuthority) -> Person:
    return make_person(la, first_name="Casey", last_name="Morgan")
