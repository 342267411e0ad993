from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from hearth.accounts.roles import Role
from hearth.audit.actor import acting_as
from hearth.people.models import Person
from hearth.workspace.services import notification_send

from .models import AccessEvent, AllowListEntry, BreakGlassAccess
from .policy import can_break_glass

if TYPE_CHECKING:
    from collections.abc import Iterable

    from hearth.accounts.models import User

BREAK_GLASS_REASON_MIN = 20


def access_record(*, user: User, person: Person, action: str, page: str = "", purpose: str = "") -> AccessEvent:
    return AccessEvent.objects.create(
        local_authority_id=person.local_authority_id,
        person=person,
        user=user,
        action=action,
        page=page[:200],
        purpose=purpose,
    )


def access_record_many(*, user: User | None, people: Iterable[Person], action: str, page: str = "",
                       system: str = "") -> int:
    """Log one event per person (a list shown, a return exported). Without a user, ``system`` names the job."""
    if user is None and not system:
        raise ValueError("An access event needs a user or the name of the job")
    events = [
        AccessEvent(local_authority_id=p.local_authority_id, person=p, user=user, system=system[:80],
                    action=action, page=page[:200])
        for p in people
    ]
    AccessEvent.objects.bulk_create(events, batch_size=500)
    return len(events)


def allow_list_add(*, person: Person, user: User, reason: str, by: User | str) -> AllowListEntry:
    if user.local_authority_id != person.local_authority_id:
        raise ValidationError("Only staff of the child's own council can be given access.")
    with transaction.atomic(), acting_as(by):
        existing = AllowListEntry.objects.filter(person=person, user=user, revoked_at__isnull=True).first()
        if existing is not None:
            return existing
        entry = AllowListEntry(local_authority_id=person.local_authority_id, person=person, user=user, reason=reason)
        entry.save()
    return entry


def allow_list_revoke(*, entry: AllowListEntry, by: User | str) -> None:
    with transaction.atomic(), acting_as(by):
        entry.revoked_at = timezone.now()
        entry.save()


def record_managers(*, person: Person) -> list[User]:
    """Who is alerted about this record: the allocated team's managers, else the service managers."""
    from hearth.accounts.models import User
    from hearth.allocations.selectors import current_social_work_allocation

    allocation = current_social_work_allocation(child=person)
    managers: list[User] = []
    if allocation is not None:
        managers = list(
            User.objects.filter(team_id=allocation.team_id, role=Role.TEAM_MANAGER, is_active=True)
        )
    if not managers:
        managers = list(
            User.objects.filter(
                local_authority_id=person.local_authority_id, role=Role.SERVICE_MANAGER, is_active=True
            )
        )
    return managers


def break_glass_open(*, person: Person, user: User, reason: str) -> BreakGlassAccess:
    """Open a restricted record with a reason: logged, and the record's managers told at once."""
    reason = reason.strip()
    if not can_break_glass(user, person):
        raise PermissionDenied("This record cannot be opened this way.")
    if len(reason) < BREAK_GLASS_REASON_MIN:
        raise ValidationError(
            {"reason": f"Explain why you need this record, in at least {BREAK_GLASS_REASON_MIN} characters"}
        )
    now = timezone.now()
    with transaction.atomic(), acting_as(user):
        grant = BreakGlassAccess(
            local_authority_id=person.local_authority_id,
            person=person,
            user=user,
            reason=reason,
            opened_at=now,
            expires_at=now + timedelta(hours=settings.HEARTH_BREAK_GLASS_HOURS),
        )
        grant.save()
        access_record(user=user, person=person, action=AccessEvent.Action.BREAK_GLASS, purpose=reason)
        link = reverse("people:access_log", args=[person.pk])
        team = f" ({user.team})" if user.team_id else ""
        for manager in record_managers(person=person):
            if manager.pk == user.pk:
                continue
            notification_send(
                recipient=manager,
                title=f"{user.get_full_name()}{team} opened a restricted record",
                body=f"Record {person.hearth_id}. Reason given: {reason}",
                link=link,
            )
    return grant


def person_set_access_level(*, person: Person, level: str, reason: str, by: User) -> Person:
    if level not in Person.AccessLevel.values:
        raise ValidationError({"access_level": "Choose how this record is protected"})
    if level != Person.AccessLevel.OPEN and not reason.strip():
        raise ValidationError({"reason": "Give the reason this record is protected"})
    with transaction.atomic(), acting_as(by):
        person.access_level = level
        person.restriction_reason = reason.strip() if level != Person.AccessLevel.OPEN else ""
        person.save()
        # Whoever restricts a record keeps access to it.
        if level != Person.AccessLevel.OPEN:
            allow_list_add(person=person, user=by, reason="Set the restriction", by=by)
    return person
