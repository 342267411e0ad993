from __future__ import annotations

from datetime import date

import pytest

from hearth.people.models import Person
from hearth.tenancy.models import LocalAuthority
from tests.factories import make_person

from .factories import give_address


@pytest.fixture
def child(la: LocalAuthority) -> Person:
    person = make_person(la, first_name="Riley", last_name="Carter", date_of_birth=date(2014, 2, 10))
    give_address(person)
    return person


@pytest.fixture(autouse=True)
def hooks(monkeypatch):
    """Record the calls into the apps that follow care; their bodies belong to other helpers."""
    calls: list[tuple[str, int]] = []
    from hearth.care_leavers import services as care_leavers
    from hearth.care_plans import services as care_plans

    def record(name: str, attribute: str):
        return lambda *, by, **subject: calls.append((name, subject[attribute].pk))

    monkeypatch.setattr(care_plans, "period_of_care_started", record("started", "period"))
    monkeypatch.setattr(care_plans, "placement_started", record("placement", "placement"))
    monkeypatch.setattr(care_plans, "period_of_care_ended", record("ended", "period"))
    monkeypatch.setattr(care_leavers, "period_of_care_ended", record("leaver", "period"))
    return calls
