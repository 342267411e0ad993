from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from hearth.access.policy import visible_people_filter
from hearth.allocations.models import Allocation

from .models import BankHoliday, Clock

if TYPE_CHECKING:
    from hearth.accounts.models import User
    from hearth.people.models import Person


def open_clocks_for_worker(*, user: User) -> QuerySet[Clock]:
    """Open clocks for the children allocated to ``user`` now, and any clock assigned to them.

    Only children the user may see: a sealed record never shows up on "My work" by way
    of a clock.
    """
    visible = visible_people_filter(user, prefix="child__")
    if visible is None:
        return Clock.objects.none()
    allocated = Allocation.objects.filter(worker=user, ended_on__isnull=True).values("child_id")
    return (
        Clock.objects.filter(status=Clock.Status.OPEN, local_authority_id=user.local_authority_id)
        .filter(Q(assigned_to=user) | Q(child_id__in=allocated))
        .filter(visible)
        .select_related("child")
        .order_by("due_on", "id")
    )


def open_clocks_for_child(*, child: Person) -> QuerySet[Clock]:
    """Open clocks for one child; the caller has already checked the user may see the child."""
    return (
        clocks_for_child(child=child)
        .filter(status=Clock.Status.OPEN)
        .order_by("due_on", "id")
    )


def clocks_for_child(*, child: Person) -> QuerySet[Clock]:
    """Every clock for a child, newest start first, for its history."""
    return (
        Clock.objects.filter(child=child, local_authority_id=child.local_authority_id)
        .select_related("assigned_to")
        .order_by("-started_on", "-id")
    )


def bank_holidays(*, year: int | None = None) -> QuerySet[BankHoliday]:
    holidays = BankHoliday.objects.filter(removed=False).select_related("updated_by")
    if year is not None:
        holidays = holidays.filter(date__year=year)
    return holidays.order_by("date")


def bank_holiday_years() -> list[int]:
    return [d.year for d in BankHoliday.objects.filter(removed=False).dates("date", "year")]
