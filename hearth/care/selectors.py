"""Reads for children in care. Lists start from people_visible_to (see hearth.access)."""

from __future__ import annotations

from datetime import date

from django.db.models import Q, QuerySet

from hearth.people.models import Person
from hearth.tenancy.models import LocalAuthority

from .models import PeriodOfCare, Placement


def open_period_for(*, child: Person) -> PeriodOfCare | None:
    return PeriodOfCare.objects.filter(child=child, ended_on__isnull=True).first()


def periods_covering(*, local_authority: LocalAuthority | int, on: date) -> QuerySet[PeriodOfCare]:
    """Periods of care in which a child was looked after on ``on`` (the end day is not in care)."""
    return PeriodOfCare.objects.filter(local_authority=local_authority, started_on__lte=on).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gt=on)
    )


def looked_after_on(*, child: Person, on: date) -> bool:
    return periods_covering(local_authority=child.local_authority_id, on=on).filter(child=child).exists()


def current_placement(*, period: PeriodOfCare) -> Placement | None:
    return period.placements.filter(ended_on__isnull=True).first()
