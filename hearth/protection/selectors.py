"""Reads for child protection. (Filled in by the protection work; the merge check uses open_cp_plan_start.)"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from hearth.people.models import Person


def protection_overview(*, child: Person) -> dict[str, Any]:
    return {}
