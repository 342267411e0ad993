"""Writes for management oversight."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone

from hearth.accounts.roles import MANAGER_ROLES, Role
from hearth.audit.actor import acting_as
from hearth.chronology.models import EventType
from hearth.chronology.services import chronology_record

from .models import DecisionPoint, ManagementOversight, OversightGate

if TYPE_CHECKING:
    from hearth.accounts.models import User
    from hearth.people.models import Person

# Who may change the council's gates (the gates page admits the same roles).
GATE_KEEPER_ROLES = frozenset({Role.SERVICE_MANAGER, Role.DIRECTOR})


def oversight_record(
    *,
    subject: models.Model,
    decision_point: str,
    rationale: str,
    child: Person | None,
    by: User,
) -> ManagementOversight:
    """A manager records oversight and rationale at a decision point; it appears in the chronology."""
    if getattr(by, "role", None) not in MANAGER_ROLES:
        raise PermissionDenied("Only a manager can record management oversight")
    if not rationale.strip():
        raise ValidationError({"rationale": "Enter the rationale for the decision"})
    with transaction.atomic(), acting_as(by):
        entry = ManagementOversight(
            local_authority_id=subject.local_authority_id,  # type: ignore[attr-defined]
            child=child,
            decision_point=decision_point,
            subject_type=ContentType.objects.get_for_model(subject),
            subject_id=subject.pk,
            rationale=rationale.strip(),
            recorded_by=by,
            recorded_at=timezone.now(),
        )
        entry.full_clean(exclude=["subject_type"])
        entry.save(by=by)
        if child is not None:
            chronology_record(
                person=child,
                event_type=EventType.MANAGEMENT_OVERSIGHT,
                occurred=entry.recorded_at,
                title=f"Management oversight: {DecisionPoint(decision_point).label}",
                summary=entry.rationale[:500],
                source=entry,
                by=by,
            )
    return entry


def oversight_gate_set(*, local_authority: Any, decision_point: str, required: bool, by: User) -> OversightGate:
    """Turn a council's gate on or off (service managers and directors)."""
    if getattr(by, "role", None) not in GATE_KEEPER_ROLES or by.local_authority_id != getattr(
        local_authority, "pk", local_authority
    ):
        raise PermissionDenied("Only a service manager or director in this council can change its oversight gates")
    with transaction.atomic(), acting_as(by):
        gate = OversightGate.objects.filter(local_authority=local_authority, decision_point=decision_point).first()
        if gate is None:
            gate = OversightGate(local_authority_id=getattr(local_authority, "pk", local_authority),
                                 decision_point=decision_point)
        gate.required = required
        gate.updated_by = by
        gate.save(by=by)
    return gate
