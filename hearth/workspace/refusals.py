"""What every service shares when it refuses bad input: the two date rules nearly every form has (not in the
future, not before the child was born), and raising all that was found at once."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.utils import timezone

from .dates import long_date

if TYPE_CHECKING:
    from hearth.people.models import Person


def future_error(day: date | None, noun: str) -> str:
    """'<noun> must be today or in the past' for a day after today (the council's date), else ''.

    The words the date field itself uses, so a service checking again reads the same."""
    if day is not None and day > timezone.localdate():
        return f"{noun} must be today or in the past"
    return ""


def before_birth_error(day: date | None, child: Person, noun: str) -> str:
    """'<noun> cannot be before <child> was born (<date of birth>)', else '' (also when the birth date is not known)."""
    born = child.date_of_birth
    if day is not None and born is not None and day < born:
        return f"{noun} cannot be before {child.full_name} was born ({long_date(born)})"
    return ""


def refuse(errors: Mapping[str, Any]) -> None:
    """Raise every problem found at once, each against its field; nothing when there is none ('' is no problem)."""
    found = {field: problem for field, problem in errors.items() if problem}
    if found:
        raise ValidationError(found)
