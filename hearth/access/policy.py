"""Who may open a child's record: one rule, two forms.

``can_view_person`` answers for one record (used by ``rules``); ``visible_people_filter``
expresses the same rule as a query for lists, search and exports. A property test proves
they agree for every combination of user, record and grant.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q
from django.utils import timezone

from hearth.people.models import Person

from .models import AllowListEntry, BreakGlassAccess

if TYPE_CHECKING:
    from hearth.accounts.models import User

OPEN = Person.AccessLevel.OPEN
RESTRICTED = Person.AccessLevel.RESTRICTED
SEALED = Person.AccessLevel.SEALED


def _allow_listed(user: User, person: Person) -> bool:
    return AllowListEntry.objects.filter(person=person, user=user, revoked_at__isnull=True).exists()


def _broke_glass(user: User, person: Person) -> bool:
    return BreakGlassAccess.objects.filter(person=person, user=user, expires_at__gt=timezone.now()).exists()


def can_view_person(user: User, person: Person) -> bool:
    if not (user.is_authenticated and user.has_case_access):
        return False
    if person.local_authority_id != user.local_authority_id:
        return False
    # A merged record lives on only as a pointer to the record that now holds its history.
    if person.merged_into_id is not None:
        return False
    if person.access_level == OPEN:
        return True
    if _allow_listed(user, person):
        return True
    return person.access_level == RESTRICTED and _broke_glass(user, person)


def can_break_glass(user: User, person: Person) -> bool:
    """Restricted (never sealed) records of the user's own council, for staff who work with cases."""
    return (
        user.is_authenticated
        and user.has_case_access
        and person.local_authority_id == user.local_authority_id
        and person.access_level == RESTRICTED
        and person.merged_into_id is None
        and not can_view_person(user, person)
    )


def visible_people_filter(user: User, prefix: str = "") -> Q | None:
    """The same rule as a filter; None means the user may see no one.

    ``prefix`` applies it through a relation (``"child__"`` on allocations), so a list of
    one worker's rows is not filtered through every visible person in the council.
    """
    if not (user.is_authenticated and user.has_case_access):
        return None
    allowed = AllowListEntry.objects.filter(user=user, revoked_at__isnull=True).values("person_id")
    glass = BreakGlassAccess.objects.filter(user=user, expires_at__gt=timezone.now()).values("person_id")
    p = prefix
    return Q(**{f"{p}local_authority_id": user.local_authority_id, f"{p}merged_into__isnull": True}) & (
        Q(**{f"{p}access_level": OPEN})
        | Q(**{f"{p}access_level__in": [RESTRICTED, SEALED], f"{p}pk__in": allowed})
        | Q(**{f"{p}access_level": RESTRICTED, f"{p}pk__in": glass})
    )


def countable_unseen_filter(user: User, prefix: str = "") -> Q | None:
    """Records a list may count as "a restricted record" for this user although they cannot open them.

    Only restricted records of the user's own council: a sealed record is never counted, as its existence
    is not for others to know (the work trays count neither). None means nothing is counted.
    """
    visible = visible_people_filter(user, prefix)
    if visible is None:
        return None
    p = prefix
    return Q(**{f"{p}local_authority_id": user.local_authority_id, f"{p}merged_into__isnull": True,
                f"{p}access_level": RESTRICTED}) & ~visible
