"""Reads for management oversight, and the gate check every decision service calls."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import QuerySet

from .models import DecisionPoint, ManagementOversight, OversightGate

# Gates on unless a council turns them off: the decisions the inspection found unsighted.
DEFAULT_GATES = frozenset({DecisionPoint.CONTACT_DECISION, DecisionPoint.ASSESSMENT_AUTHORISATION,
                           DecisionPoint.S47_OUTCOME, DecisionPoint.CP_PLAN_END})


def gate_is_on(*, local_authority: Any, decision_point: str) -> bool:
    gate = OversightGate.objects.filter(local_authority=local_authority, decision_point=decision_point).first()
    return gate.required if gate is not None else decision_point in DEFAULT_GATES


def oversight_for(*, subject: models.Model, decision_point: str | None = None) -> QuerySet[ManagementOversight]:
    rows = ManagementOversight.objects.filter(
        subject_type=ContentType.objects.get_for_model(subject), subject_id=subject.pk,
        local_authority_id=subject.local_authority_id,  # type: ignore[attr-defined]
    ).select_related("recorded_by")
    if decision_point is not None:
        rows = rows.filter(decision_point=decision_point)
    return rows


def oversight_gate_check(*, subject: models.Model, decision_point: str, next_step: str) -> None:
    """Refuse ``next_step`` when the council's gate needs oversight on ``subject`` and none is recorded."""
    la = subject.local_authority_id  # type: ignore[attr-defined]
    if gate_is_on(local_authority=la, decision_point=decision_point) and not oversight_for(
        subject=subject, decision_point=decision_point
    ).exists():
        label = DecisionPoint(decision_point).label.lower()
        raise ValidationError(f"A manager must record oversight of the {label} before you can {next_step}")


def gate_settings(*, local_authority: Any) -> dict[str, bool]:
    """Every decision point's gate for a council in one query: its choice, else the default."""
    chosen = dict(
        OversightGate.objects.filter(local_authority=local_authority).values_list("decision_point", "required")
    )
    return {point: chosen.get(point, point in DEFAULT_GATES) for point in DecisionPoint.values}


def gates_for(*, local_authority: Any) -> QuerySet[OversightGate]:
    """The gates a council has set (rows only exist once someone changed one)."""
    return OversightGate.objects.filter(local_authority=local_authority).select_related("updated_by")


def oversight_entries_for_child(*, child: Any) -> QuerySet[ManagementOversight]:
    """A child's management oversight, newest first; the caller has checked the user may see the child."""
    return (
        ManagementOversight.objects.filter(child=child, local_authority_id=child.local_authority_id)
        .select_related("recorded_by", "subject_type")
        .order_by("-recorded_at", "-id")
    )
