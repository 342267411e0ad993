from __future__ import annotations

from django.db import models


class PlantedDuplicate(models.Model):
    """Ground truth for the synthetic council: a record planted as a duplicate of another.

    Only the generator writes it; the duplicate-detection benchmark reads it to measure
    precision and recall. A real council's database has none.
    """

    class Kind(models.TextChoices):
        TYPO = "typo", "Typing error in a name"
        TRANSPOSED_DATE = "transposed_date", "Day and month swapped"
        NICKNAME = "nickname", "Nickname instead of legal name"
        SURNAME_CHANGE = "surname_change", "Changed surname"
        MISSING_IDENTIFIERS = "missing_identifiers", "Identifiers not recorded"
        COMBINED = "combined", "More than one difference"

    local_authority = models.ForeignKey("tenancy.LocalAuthority", on_delete=models.PROTECT, related_name="+")
    original = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    duplicate = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices)
