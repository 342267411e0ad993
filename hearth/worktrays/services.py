"""Writes from the work trays: bulk allocation by a team manager."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from hearth.access.policy import can_view_person
from hearth.accounts.roles import ALLOCATABLE_ROLES
from hearth.allocations.models import Allocation
from hearth.allocations.services import allocation_start

from .selectors import may_see_team_tray

if TYPE_CHECKING:
    from hearth.accounts.models import Team, User
    from hearth.people.models import Person


def allocations_bulk_start(
    *, children: Sequence[Person], team: Team, worker: User, by: User, started_on: date | None = None
) -> list[Allocation]:
    """Allocate several waiting children to one worker of the team, all or none.

    Refused when the worker is not a current member of the team who carries cases, when a
    child is not one the manager may see, or when a child has been given a worker since the
    manager's list was drawn (nothing is then allocated).
    """
    started_on = started_on or timezone.localdate()
    if not may_see_team_tray(by, team):
        raise PermissionDenied("Only the team's manager or a service manager can allocate its work")
    if not children:
        raise ValidationError({"children": "Select at least one child to allocate"})
    if worker.team_id != team.pk or worker.local_authority_id != team.local_authority_id:
        raise ValidationError({"worker": f"{worker.get_full_name()} is not a member of {team.name}"})
    if not worker.is_active or not worker.is_in_post(started_on):
        raise ValidationError({"worker": f"{worker.get_full_name()} has left or is not yet in post"})
    if worker.role not in ALLOCATABLE_ROLES:
        raise ValidationError({"worker": f"{worker.get_full_name()} does not hold a caseload in their role"})
    if started_on > timezone.localdate():
        raise ValidationError({"started_on": "The allocation cannot start in the future"})
    if len({child.pk for child in children}) != len(children):
        raise ValidationError({"children": "A child is selected more than once"})
    for child in children:
        # Never say which: a child the manager may not see is not theirs to know about.
        if child.local_authority_id != team.local_authority_id or not can_view_person(by, child):
            raise ValidationError({"children": "One of the children selected cannot be allocated by you"})

    with transaction.atomic():
        taken = (
            Allocation.objects.select_for_update()
            .filter(child__in=children, kind=Allocation.Kind.SOCIAL_WORKER, ended_on__isnull=True,
                    worker__isnull=False)
            .select_related("child", "worker")
        )
        already = taken.first()
        if already is not None:
            raise ValidationError({"children": (
                f"{already.child.full_name} was allocated to {already.worker} since this list was "
                "shown; nothing has been allocated. Check the list and try again"
            )})
        return [
            allocation_start(child=child, team=team, worker=worker, started_on=started_on, by=by)
            for child in children
        ]
