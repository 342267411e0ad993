"""Management oversight at decision points, and the council's gates that require it before the next step."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models

from hearth.audit.models import AuditedModel


class DecisionPoint(models.TextChoices):
    CONTACT_DECISION = "contact_decision", "Contact decision"
    ASSESSMENT_AUTHORISATION = "assessment_authorisation", "Assessment authorisation"
    STRATEGY_DISCUSSION = "strategy_discussion", "Strategy discussion decision"
    S47_OUTCOME = "s47_outcome", "Section 47 outcome"
    CP_PLAN_START = "cp_plan_start", "Child protection plan start"
    CP_PLAN_END = "cp_plan_end", "Child protection plan end"
    CIN_CLOSURE = "cin_closure", "Closing the case"


class ManagementOversight(AuditedModel):
    """A manager's recorded oversight and rationale at one decision point for one child."""

    local_authority = models.ForeignKey("tenancy.LocalAuthority", on_delete=models.PROTECT, related_name="+")
    child = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="management_oversight"
    )
    decision_point = models.CharField(max_length=40, choices=DecisionPoint.choices)
    subject_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    subject_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("subject_type", "subject_id")
    rationale = models.TextField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["-recorded_at", "-id"]
        indexes = [
            models.Index(fields=["subject_type", "subject_id", "decision_point"]),
            models.Index(fields=["child", "recorded_at"]),
        ]


class OversightGate(AuditedModel):
    """A council's setting: this decision point needs management oversight before the next step."""

    local_authority = models.ForeignKey("tenancy.LocalAuthority", on_delete=models.PROTECT, related_name="+")
    decision_point = models.CharField(max_length=40, choices=DecisionPoint.choices)
    required = models.BooleanField(default=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["decision_point"]
        constraints = [
            models.UniqueConstraint(fields=["local_authority", "decision_point"], name="one_gate_per_point"),
        ]
