from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from hearth.people.models import Person

from .models import AccessEvent
from .policy import visible_people_filter

if TYPE_CHECKING:
    from hearth.accounts.models import User


def people_visible_to(*, user: User) -> QuerySet[Person]:
    """The one door to people's records: every list, search and export starts here."""
    rule = visible_people_filter(user)
    if rule is None:
        return Person.objects.none()
    return Person.objects.filter(rule)


def access_events_for(*, person: Person) -> QuerySet[AccessEvent]:
    return (
        AccessEvent.objects.filter(person=person, local_authority_id=person.local_authority_id)
        .select_related("user", "user__team")
        .order_by("-at", "-id")
    )
