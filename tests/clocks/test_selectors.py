from __future__ import annotations

from datetime import date

import pytest

from hearth.accounts.models import Team, User
from hearth.allocations.models import Allocation
from hearth.audit.actor import acting_as
from hearth.clocks import services
from hearth.clocks.selectors import open_clocks_for_child, open_clocks_for_worker
from hearth.people.models import Person
from hearth.tenancy.models import LocalAuthority
from tests.factories import make_person

pytestmark = pytest.mark.django_db


def allocate(child: Person, team: Team, worker: User, ended_on: date | None = None) -> Allocation:
    with acting_as("test"):
        allocation = Allocation(local_authority=child.local_authority, child=child, team=team, worker=worker,
                                started_on=date(2025, 1, 1), ended_on=ended_on)
        allocation.save()
    return allocation


def test_my_work_shows_allocated_and_assigned_clocks(
    la: LocalAuthority, team: Team, worker: User, social_worker: User
) -> None:
    mine, theirs, formerly_mine, sealed = (make_person(la) for _ in range(4))
    sealed.access_level = Person.AccessLevel.SEALED
    sealed.save(by="test")
    allocate(mine, team, worker)
    allocate(theirs, team, social_worker)
    allocate(formerly_mine, team, worker, ended_on=date(2025, 2, 1))
    allocate(sealed, team, worker)

    later = services.clock_start(child=mine, rule_id="assessment", started_on=date(2025, 3, 3), by="test")
    sooner = services.clock_start(child=mine, rule_id="icpc", started_on=date(2024, 12, 20), by="test")
    assigned = services.clock_start(child=theirs, rule_id="referral_decision", started_on=date(2025, 4, 18),
                                    assigned_to=worker, by="test")
    services.clock_start(child=theirs, rule_id="icpc", started_on=date(2025, 1, 6), by="test")
    services.clock_start(child=formerly_mine, rule_id="icpc", started_on=date(2025, 1, 6), by="test")
    services.clock_start(child=sealed, rule_id="icpc", started_on=date(2025, 1, 6), by="test")
    done = services.clock_start(child=mine, rule_id="care_plan", started_on=date(2025, 1, 6), by="test")
    services.clock_stop(clock=done, stopped_on=date(2025, 1, 7), by="test")

    clocks = list(open_clocks_for_worker(user=worker))
    assert clocks == [sooner, assigned, later]
    assert list(open_clocks_for_child(child=mine)) == [sooner, later]
