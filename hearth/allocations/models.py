from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from hearth.audit.models import AuditedModel


class Allocation(AuditedModel):
    """A period in which a child is allocated to a team and, usually, a named worker.

    History is never rewritten: reallocation ends the open row and starts a new one, so
    "how many social workers has this child had this year" is a count of rows.
    """

    class Kind(models.TextChoices):
        SOCIAL_WORKER = "social_worker", "Allocated social worker"
        PERSONAL_ADVISER = "personal_adviser", "Personal adviser"
        IRO = "iro", "Independent reviewing officer"
        MISSING_ADVOCATE = "missing_advocate", "Missing from home advocate"

    local_authority = models.ForeignKey("tenancy.LocalAuthority", on_delete=models.PROTECT, related_name="+")
    child = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="allocations")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.SOCIAL_WORKER)
    team = models.ForeignKey("accounts.Team", on_delete=models.PROTECT, related_name="allocations")
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="allocations"
    )
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    end_reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-started_on", "-id"]
        indexes = [
            models.Index(fields=["worker", "ended_on"]),
            models.Index(fields=["team", "ended_on"]),
            models.Index(fields=["child", "kind", "started_on"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["child", "kind"], condition=Q(ended_on__isnull=True), name="one_open_allocation_per_kind"
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="allocation_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.child} → {self.worker or self.team}"

    @property
    def is_open(self) -> bool:
        return self.ended_on is None
