from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse

from hearth.access.services import allow_list_add
from hearth.accounts.roles import Role
from hearth.audit.actor import acting_as
from hearth.chronology.models import EventType
from hearth.chronology.services import chronology_record
from hearth.people.models import Person

from .models import Allocation

if TYPE_CHECKING:
    from hearth.accounts.models import Team, User


def _who(allocation: Allocation) -> str:
    """Who holds the child, as "Sam Okafor, Safeguarding North"; the team alone when no worker is named."""
    worker = allocation.worker.get_full_name() if allocation.worker is not None else ""
    return f"{worker}, {allocation.team}" if worker else str(allocation.team)


def _record_in_chronology(allocation: Allocation, *, ended: bool, by: User | str, summary: str = "") -> None:
    social_worker = allocation.kind == Allocation.Kind.SOCIAL_WORKER
    if ended:
        title = f"Allocation ended: {_who(allocation)}"
        if not social_worker:
            title = f"{allocation.get_kind_display()} ended: {_who(allocation)}"
    else:
        title = f"Allocated to {_who(allocation)}"
        if not social_worker:
            title = f"{allocation.get_kind_display()}: {_who(allocation)}"
    chronology_record(
        person=allocation.child, event_type=EventType.ALLOCATION,
        occurred=allocation.ended_on if ended and allocation.ended_on else allocation.started_on,
        title=title, summary=summary, by=by, source=allocation,
        link=reverse("people:child_record", args=[allocation.child_id]),
    )


def allocation_start(
    *,
    child: Person,
    team: Team,
    worker: User | None,
    started_on: date,
    by: User | str,
    kind: str = Allocation.Kind.SOCIAL_WORKER,
) -> Allocation:
    """Allocate a child; the open allocation of the same kind ends the same day."""
    if team.local_authority_id != child.local_authority_id:
        raise ValidationError("The team belongs to another council.")
    if worker is not None and worker.local_authority_id != child.local_authority_id:
        raise ValidationError("The worker belongs to another council.")
    with transaction.atomic(), acting_as(by):
        current = Allocation.objects.select_for_update().filter(child=child, kind=kind, ended_on__isnull=True).first()
        if current is not None:
            if started_on < current.started_on:
                raise ValidationError(
                    {"started_on": "The new allocation cannot start before the current one started."}
                )
            current.ended_on = started_on
            current.end_reason = "Reallocated"
            current.save()
        allocation = Allocation(
            local_authority_id=child.local_authority_id,
            child=child,
            kind=kind,
            team=team,
            worker=worker,
            started_on=started_on,
        )
        allocation.save()
        _record_in_chronology(
            allocation, ended=False, by=by,
            summary=f"Previously {_who(current)}" if current is not None else "",
        )
        # The allocated worker and their team managers must be able to open a protected record.
        if child.access_level != Person.AccessLevel.OPEN:
            if worker is not None:
                allow_list_add(person=child, user=worker, reason="Allocated worker", by=by)
            for manager in team.members.filter(role=Role.TEAM_MANAGER, is_active=True):
                allow_list_add(person=child, user=manager, reason="Manager of the allocated team", by=by)
    return allocation


def allocation_end(*, allocation: Allocation, ended_on: date, reason: str, by: User | str) -> Allocation:
    if ended_on < allocation.started_on:
        raise ValidationError({"ended_on": "The allocation cannot end before it started."})
    with transaction.atomic(), acting_as(by):
        allocation.ended_on = ended_on
        allocation.end_reason = reason
        allocation.save()
        _record_in_chronology(allocation, ended=True, by=by, summary=reason)
    return allocation
