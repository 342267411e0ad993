from __future__ import annotations

from django.conf import settings
from django.db import models

from hearth.audit.models import AuditedModel


class AllowListEntry(AuditedModel):
    """A named person entitled to open a restricted or sealed record."""

    local_authority = models.ForeignKey("tenancy.LocalAuthority", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="allow_list")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="allow_listed")
    reason = models.CharField(max_length=200, blank=True)
    granted_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["person", "user"], condition=models.Q(revoked_at__isnull=True), name="one_live_allow_entry"
            )
        ]
        indexes = [models.Index(fields=["user", "revoked_at"])]


class BreakGlassAccess(AuditedModel):
    """Time-limited access to a restricted record, taken by a member of staff who gave a reason."""

    local_authority = models.ForeignKey("tenancy.LocalAuthority", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="break_glass")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="break_glass")
    reason = models.TextField()
    opened_at = models.DateTimeField()
    expires_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["user", "expires_at"])]


class AccessEvent(models.Model):
    """Every view, print and export of a child's record. Append-only."""

    class Action(models.TextChoices):
        VIEW = "view", "Viewed"
        PRINT = "print", "Printed"
        EXPORT = "export", "Exported"
        BREAK_GLASS = "break_glass", "Broke the glass"
        REFUSED = "refused", "Refused access"

    local_authority = models.ForeignKey("tenancy.LocalAuthority", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="access_events")
    # A person, or (``user`` empty) the named job that read the record, e.g. a return run from the command line.
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="access_events",
                             null=True, blank=True)
    system = models.CharField(max_length=80, blank=True)
    action = models.CharField(max_length=12, choices=Action.choices)
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    page = models.CharField(max_length=200, blank=True)
    purpose = models.TextField(blank=True, help_text="The reason given when breaking the glass")

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["person", "at"])]

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise RuntimeError("The access log is append-only")
        super().save(*args, **kwargs)
