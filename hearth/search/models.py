from __future__ import annotations

from django.db import models


class NameKey(models.Model):
    """A searchable key for one name of one person: kept in step with the person by the people services.

    ``kind`` is "exact" (the normalised name token) or "phonetic" (its phonetic code), so a
    search can find Katherine from Catherine and Smyth from Smith by an indexed lookup.
    """

    class Kind(models.TextChoices):
        EXACT = "exact", "Normalised name"
        PHONETIC = "phonetic", "Phonetic code"

    # Indexed through the lookup index below, which leads with it.
    local_authority = models.ForeignKey("tenancy.LocalAuthority", on_delete=models.PROTECT, related_name="+",
                                        db_index=False)
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    key = models.CharField(max_length=40)

    class Meta:
        # person last, so a lookup by key is answered from the index alone (no table reads).
        indexes = [models.Index(fields=["local_authority", "kind", "key", "person"], name="search_namekey_lookup")]
