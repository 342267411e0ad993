"""Care plans, IRO, looked-after reviews, visits, health and education for children in care."""

from __future__ import annotations

from typing import Any

from hearth.care.models import PeriodOfCare, Placement


def period_of_care_started(*, period: PeriodOfCare, by: Any) -> None:
    """Called by hearth.care in the same transaction when a period of care starts."""


def placement_started(*, placement: Placement, by: Any) -> None:
    """Called by hearth.care in the same transaction when any placement starts (the first included)."""


def period_of_care_ended(*, period: PeriodOfCare, by: Any) -> None:
    """Called by hearth.care in the same transaction when a period of care ends."""
