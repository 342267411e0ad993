from __future__ import annotations

from datetime import date

from dateutil.relativedelta import relativedelta
from django.db import models

from hearth.audit.models import AuditedModel


class Person(AuditedModel):
    """One record per person. Children are people with a case; later issues add family and history."""

    class Sex(models.TextChoices):
        # DfE census codes
        MALE = "M", "Male"
        FEMALE = "F", "Female"
        UNKNOWN = "U", "Not known"

    class AccessLevel(models.TextChoices):
        OPEN = "open", "Open to council staff"
        RESTRICTED = "restricted", "Restricted"
        SEALED = "sealed", "Sealed"

    local_authority = models.ForeignKey("tenancy.LocalAuthority", on_delete=models.PROTECT, related_name="+")
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    preferred_name = models.CharField(max_length=100, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    expected_date_of_birth = models.DateField(null=True, blank=True, help_text="For an unborn child")
    sex = models.CharField(max_length=1, choices=Sex.choices, default=Sex.UNKNOWN)
    access_level = models.CharField(max_length=12, choices=AccessLevel.choices, default=AccessLevel.OPEN)
    restriction_reason = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "people"
        indexes = [
            models.Index(fields=["local_authority", "last_name", "first_name"]),
            models.Index(fields=["local_authority", "access_level"]),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def hearth_id(self) -> str:
        return f"{self.pk:07d}" if self.pk else ""

    def age_on(self, on: date) -> int | None:
        if self.date_of_birth is None:
            return None
        return relativedelta(on, self.date_of_birth).years

    @property
    def is_restricted(self) -> bool:
        return self.access_level != self.AccessLevel.OPEN
