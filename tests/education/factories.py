"""Builders for the education register tests: every step through the real services."""

from __future__ import annotations

from datetime import date
from typing import Any

from hearth.accounts.models import Team, User
from hearth.accounts.roles import Role
from hearth.allocations.services import allocation_start
from hearth.care.models import PeriodOfCare
from hearth.cin.models import CINEpisode
from hearth.education import services
from hearth.education.models import CMECase, EHECase
from hearth.people.models import Person
from hearth.tenancy.models import LocalAuthority
from tests.factories import make_user
from tests.protection.factories import open_episode


def make_officer(la: LocalAuthority, team: Team | None = None) -> User:
    return make_user(la, Role.EDUCATION_OFFICER, team, first_name="Eddie", last_name="Welfare")


def cme_for(child: Person, by: Any, on: date = date(2026, 3, 2), **extra: Any) -> CMECase:
    values: dict[str, Any] = {"notified_by": CMECase.NotifiedBy.SCHOOL, "notified_by_name": "Hillside Primary",
                              "reason": CMECase.Reason.REMOVED_FROM_ROLL, "last_known_school": "Hillside Primary"}
    values.update(extra)
    return services.cme_case_open(child=child, notified_on=on, by=by, **values)


def ehe_for(child: Person, by: Any, on: date = date(2026, 3, 2), **extra: Any) -> EHECase:
    values: dict[str, Any] = {"reasons": [EHECase.Reason.PHILOSOPHICAL], "school_left": "Hillside Primary"}
    values.update(extra)
    return services.ehe_case_open(child=child, notified_on=on, by=by, **values)


def in_need(child: Person, on: date = date(2026, 1, 5)) -> CINEpisode:
    return open_episode(child, on)


def in_care(child: Person, on: date = date(2026, 1, 5)) -> PeriodOfCare:
    # The care services are another part of this issue: the period is made as they would store it.
    period = PeriodOfCare(local_authority_id=child.local_authority_id, child=child, started_on=on,
                          category_of_need="N1")
    period.save(by="test")
    return period


def leave_care(period: PeriodOfCare, on: date) -> None:
    period.ended_on, period.reason_ceased = on, "E11"
    period.save(by="test")


def allocate(child: Person, team: Team, worker: User | None, on: date = date(2026, 1, 5)) -> None:
    allocation_start(child=child, team=team, worker=worker, started_on=on, by="test")
