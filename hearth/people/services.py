from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction

from hearth.audit.actor import acting_as

from .models import Person

if TYPE_CHECKING:
    from hearth.accounts.models import User

EDITABLE_DETAILS = ("first_name", "last_name", "preferred_name", "date_of_birth", "sex")


def person_update_details(*, person: Person, expected_version: int, by: User, **details: Any) -> Person:
    """Change a person's details; raises StaleVersionError if someone saved since the editor loaded it."""
    unknown = set(details) - set(EDITABLE_DETAILS)
    if unknown:
        raise TypeError(f"Not editable here: {', '.join(sorted(unknown))}")
    with transaction.atomic(), acting_as(by):
        for name, value in details.items():
            setattr(person, name, value)
        person.version = expected_version
        person.save()
    return person
