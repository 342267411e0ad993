"""Writes for returns: the access log of every export (a return holds every child in it)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db import transaction

from hearth.access.models import AccessEvent
from hearth.access.services import access_record_many
from hearth.people.models import Person

if TYPE_CHECKING:
    from hearth.accounts.models import User


def log_export(*, local_authority_id: int, person_pks: Iterable[int], user: User | None, system: str = "",
               page: str) -> int:
    """One access event per child in an exported return, against the user or (command line) the job.
    ``page`` says which return, e.g. "SSDA903 2025/26 export"."""
    pks = sorted(set(person_pks))
    with transaction.atomic():
        people = Person.objects.filter(local_authority_id=local_authority_id, pk__in=pks).only(
            "pk", "local_authority_id")
        return access_record_many(user=user, people=people.iterator(chunk_size=2000), action=AccessEvent.Action.EXPORT,
                                  page=page, system=system)
