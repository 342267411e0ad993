from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.db.models import Count, Q, QuerySet

from hearth.access.policy import visible_people_filter
from hearth.people.models import Person

from .models import Allocation

if TYPE_CHECKING:
    from hearth.accounts.models import Team, User


def current_allocations_for_worker(*, user: User) -> QuerySet[Allocation]:
    visible = visible_people_filter(user, prefix="child__")
    if visible is None:
        return Allocation.objects.none()
    return (
        Allocation.objects.filter(visible, worker=user, ended_on__isnull=True)
        .select_related("child", "team")
        .order_by("child__last_name", "child__first_name")
    )


def allocation_history(*, child: Person) -> QuerySet[Allocation]:
    return Allocation.objects.filter(child=child).select_related("team", "worker").order_by("-started_on", "-id")


def current_social_work_allocation(*, child: Person) -> Allocation | None:
    return (
        Allocation.objects.filter(child=child, kind=Allocation.Kind.SOCIAL_WORKER, ended_on__isnull=True)
        .select_related("team", "worker")
        .first()
    )


def social_workers_in_period(*, child: Person, start: date, end: date) -> int:
    """Distinct named social workers allocated at any time in [start, end] (as SSDA903 SW episodes count)."""
    return (
        Allocation.objects.filter(
            child=child,
            kind=Allocation.Kind.SOCIAL_WORKER,
            worker__isnull=False,
            started_on__lte=end,
        )
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=start))
        .values("worker")
        .distinct()
        .count()
    )


def team_caseloads(*, team: Team) -> QuerySet:
    """Members of a team with their count of open allocations."""
    from hearth.accounts.models import User

    return (
        User.objects.filter(team=team, is_active=True)
        .annotate(caseload=Count("allocations", filter=Q(allocations__ended_on__isnull=True)))
        .order_by("last_name", "first_name")
    )


def unallocated_to_worker(*, team: Team) -> QuerySet[Allocation]:
    """Children allocated to the team but to no named worker: the team's waiting list."""
    return Allocation.objects.filter(team=team, worker__isnull=True, ended_on__isnull=True)
