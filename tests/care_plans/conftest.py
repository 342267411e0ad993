from __future__ import annotations

from datetime import date

import pytest

from hearth.accounts.models import User
from hearth.people.models import Person
from hearth.tenancy.models import LocalAuthority
from tests.factories import make_person

from .factories import make_iro


@pytest.fixture
def iro(la: LocalAuthority) -> User:
    return make_iro(la)


@pytest.fixture
def child(la: LocalAuthority) -> Person:
    # 10 years old through 2025 and 2026: school age, 5 and over, SDQ age.
    return make_person(la, first_name="Riley", last_name="Marsh", date_of_birth=date(2015, 6, 1))


@pytest.fixture
def toddler(la: LocalAuthority) -> Person:
    return make_person(la, first_name="Ava", last_name="Marsh", date_of_birth=date(2024, 2, 10))
