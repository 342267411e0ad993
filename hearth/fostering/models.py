"""Fostering: households from first enquiry to approval, the register, reviews and vacancies."""

from __future__ import annotations

from django.db import models

from hearth.audit.models import AuditedModel


class FosterHousehold(AuditedModel):
    """A fostering household from its first enquiry; on the register once approved."""

    class Stage(models.TextChoices):
        ENQUIRY = "enquiry", "Enquiry"
        INITIAL_VISIT = "initial_visit", "Initial visit"
        STAGE_1 = "stage_1", "Assessment stage 1"
        STAGE_2 = "stage_2", "Assessment stage 2"
        PANEL = "panel", "Fostering panel"
        DECISION = "decision", "Agency decision maker"
        APPROVED = "approved", "Approved"
        DEREGISTERED = "deregistered", "Deregistered"
        WITHDRAWN = "withdrawn", "Withdrawn or not approved"

    local_authority = models.ForeignKey("tenancy.LocalAuthority", on_delete=models.PROTECT, related_name="+")
    reference = models.CharField(max_length=12)
    name = models.CharField(max_length=200, help_text="How the household is known, e.g. 'Patel household'")
    postcode = models.CharField(max_length=8, blank=True)
    stage = models.CharField(max_length=20, choices=Stage.choices, default=Stage.ENQUIRY)
    enquiry_on = models.DateField()
    approved_on = models.DateField(null=True, blank=True)
    deregistered_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["local_authority", "stage"])]
        constraints = [
            models.UniqueConstraint(fields=["local_authority", "reference"], name="foster_household_reference_unique")
        ]

    def __str__(self) -> str:
        return self.name
