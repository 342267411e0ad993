"""The partner referral portal: what a school, GP or police officer submits, and what they may see back."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from hearth.audit.models import AuditedModel


class PartnerReferral(AuditedModel):
    """An online multi-agency referral. It becomes a front-door contact the moment it is submitted.

    The partner sees only this row and the contact's status and decision, never case data.
    """

    local_authority = models.ForeignKey("tenancy.LocalAuthority", on_delete=models.PROTECT, related_name="+")
    # Short, unguessable, easy to read out on the phone (no 0/O, 1/I).
    reference = models.CharField(max_length=12, unique=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="partner_referrals"
    )
    submitted_at = models.DateTimeField()
    contact = models.OneToOneField(
        "front_door.Contact", on_delete=models.PROTECT, related_name="partner_referral"
    )
    # What the referrer said, as submitted (the contact copies what the front door needs).
    answers = models.JSONField(default=dict)

    class Meta:
        ordering = ["-submitted_at", "-id"]
        indexes = [models.Index(fields=["submitted_by", "submitted_at"])]

    def __str__(self) -> str:
        return f"Referral {self.reference}"


class PartnerReferralAttachment(AuditedModel):
    """A document sent with a referral (type and size checked before it is stored)."""

    local_authority = models.ForeignKey("tenancy.LocalAuthority", on_delete=models.PROTECT, related_name="+")
    referral = models.ForeignKey(PartnerReferral, on_delete=models.PROTECT, related_name="attachments")
    file = models.FileField(upload_to="referrals/%Y/%m/")
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size_bytes = models.PositiveIntegerField()

    class Meta:
        ordering = ["id"]
