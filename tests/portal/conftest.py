from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.cache import cache

from hearth.accounts.models import User
from hearth.tenancy.models import LocalAuthority
from tests.portal.factories import make_partner


@pytest.fixture(autouse=True)
def _media_and_cache(settings, tmp_path: Path) -> Iterator[None]:
    # Each test its own upload folder and an empty rate-limit cache.
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def partner(la: LocalAuthority) -> User:
    return make_partner(la)
