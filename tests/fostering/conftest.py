from __future__ import annotations

import pytest

from hearth.accounts.models import User
from hearth.tenancy.models import LocalAuthority

from .factories import make_fostering_worker


@pytest.fixture
def worker(la: LocalAuthority) -> User:
    return make_fostering_worker(la, username="fw", first_name="Fran", last_name="Foster")
