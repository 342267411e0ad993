"""Builders for care plan tests.

Periods of care and placements are written straight to the models (as hearth.care's services
would) and the hooks are called as hearth.care calls them, in the same transaction, so these tests
exercise this app's clocks whatever the state of the care app's own forms.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction

from hearth.accounts.models import Team, User
from hearth.accounts.roles import Role
from hearth.audit.actor import acting_as
from hearth.care.models import CareLegalStatus, PeriodOfCare, Placement
from hearth.care_plans import services
from hearth.clocks.models import Clock
from hearth.people.models import Person
from hearth.tenancy.models import LocalAuthority
from tests.factories import make_team, make_user


def make_iro(la: LocalAuthority, team: Team | None = None, **extra: Any) -> User:
    team = team or Team.objects.filter(local_authority=la, kind=Team.Kind.QUALITY_ASSURANCE).first() or make_team(
        la, "Independent Reviewing Service", kind=Team.Kind.QUALITY_ASSURANCE)
    values: dict[str, Any] = {"first_name": "Iris", "last_name": "Reviewer"}
    values.update(extra)
    return make_user(la, Role.IRO, team, **values)


def bring_into_care(child: Person, on: date, *, by: Any = "test", placement_type: str = "U6",
                    legal_status: str = "C1", is_long_term: bool = False, carer_name: str = "Pat Carer",
                    postcode: str = "NG1 1AA") -> PeriodOfCare:
    with transaction.atomic(), acting_as(by):
        period = PeriodOfCare(local_authority_id=child.local_authority_id, child=child, started_on=on,
                              category_of_need="N1")
        period.save(by=by)
        CareLegalStatus(local_authority_id=child.local_authority_id, child=child, period=period,
                        legal_status=legal_status, started_on=on).save(by=by)
        placement = Placement(local_authority_id=child.local_authority_id, child=child, period=period,
                              placement_type=placement_type, provider="" if placement_type == "P1" else "PR1",
                              carer_name=carer_name, postcode=postcode, is_long_term=is_long_term, started_on=on)
        placement.save(by=by)
        services.period_of_care_started(period=period, by=by)
        services.placement_started(placement=placement, by=by)
    return period


def move(period: PeriodOfCare, on: date, *, by: Any = "test", placement_type: str = "U6",
         carer_name: str = "Sam Carer", postcode: str = "NG2 2BB", is_long_term: bool = False,
         same_carer: bool = False) -> Placement:
    with transaction.atomic(), acting_as(by):
        current = Placement.objects.get(period=period, ended_on__isnull=True)
        current.ended_on = on
        current.reason_for_change = "" if current.placement_type.startswith("T") else "CARPL"
        current.save(by=by)
        placement = Placement(local_authority_id=period.local_authority_id, child=period.child, period=period,
                              placement_type=placement_type,
                              provider="" if placement_type in ("P1", "T0", "T1", "T2", "T3", "T4") else "PR1",
                              carer_name=carer_name, postcode=postcode, is_long_term=is_long_term, started_on=on,
                              same_carer_as_previous=same_carer)
        placement.save(by=by)
        services.placement_started(placement=placement, by=by)
    return placement


def leave_care(period: PeriodOfCare, on: date, *, by: Any = "test", reason: str = "E4A") -> PeriodOfCare:
    with transaction.atomic(), acting_as(by):
        period.ended_on = on
        period.reason_ceased = reason
        period.save(by=by)
        for row in list(Placement.objects.filter(period=period, ended_on__isnull=True)) + list(
                CareLegalStatus.objects.filter(period=period, ended_on__isnull=True)):
            row.ended_on = on
            row.save(by=by)
        services.period_of_care_ended(period=period, by=by)
    return period


def clocks(child: Person, *, status: str | None = None) -> list[Clock]:
    found = Clock.objects.filter(child=child).order_by("started_on", "id")
    if status is not None:
        found = found.filter(status=status)
    return list(found)


def open_rules(child: Person) -> dict[str, date]:
    """Open clocks as {rule_id: due_on}."""
    return {c.rule_id: c.due_on for c in clocks(child, status=Clock.Status.OPEN)}


def clock(child: Person, rule_id: str, *, status: str | None = None) -> Clock:
    found = [c for c in clocks(child, status=status) if c.rule_id == rule_id]
    assert len(found) >= 1, f"no {rule_id} clock: {[(c.rule_id, c.status) for c in clocks(child)]}"
    return found[-1]
