"""Care leavers: status, personal advisers, pathway plans, contact, accommodation and activity."""

from __future__ import annotations

from typing import Any

from hearth.care.models import PeriodOfCare


def period_of_care_ended(*, period: PeriodOfCare, by: Any) -> None:
    """Called by hearth.care in the same transaction when a period of care ends."""
