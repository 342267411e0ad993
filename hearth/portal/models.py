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
    # For the partner's own list, so it never loads every answer to show a row.
    child_initials = models.CharField(max_length=4, blank=True)

    class Meta:
        ordering = ["-submitted_at", "-id"]
        indexes = [models.Index(fields=["submitted_by", "submitted_at"])]

    def __str__(self) -> str:
        return f"Referral {self.display_reference}"

    @property
    def display_reference(self) -> str:
        """ABCD-EFGH: split in two so it is easy to read out."""
        ref = self.reference
        return f"{ref[:4]}-{ref[4:]}" if len(ref) == 8 else ref


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


class AgencyType(models.TextChoices):
    """The kind of agency a partner refers from, in their words; each maps to a CIN referral source."""

    SCHOOL = "school", "School or academy"
    EDUCATION_SERVICES = "education_services", "Other education service (e.g. college, nursery, education welfare)"
    GP = "gp", "GP practice"
    HEALTH_VISITOR = "health_visitor", "Health visiting"
    SCHOOL_NURSE = "school_nurse", "School nursing"
    PRIMARY_HEALTH = "primary_health", "Other primary health service (e.g. midwife, dentist)"
    A_AND_E = "a_and_e", "Accident and emergency"
    HEALTH_OTHER = "health_other", "Other health service (e.g. hospital, mental health, hospice)"
    HOUSING = "housing", "Housing"
    POLICE = "police", "Police"
    LEGAL = "legal", "Probation, courts, Cafcass or prison"
    COUNCIL_OTHER = "council_other", "Another council service (e.g. youth justice, adult social care)"
    VOLUNTARY = "voluntary", "Voluntary organisation or children's centre"


# The CIN census referral source (returns.md B.4) each kind of agency counts as.
REFERRAL_SOURCE_FOR_AGENCY: dict[str, str] = {
    AgencyType.SCHOOL: "2A",
    AgencyType.EDUCATION_SERVICES: "2B",
    AgencyType.GP: "3A",
    AgencyType.HEALTH_VISITOR: "3B",
    AgencyType.SCHOOL_NURSE: "3C",
    AgencyType.PRIMARY_HEALTH: "3D",
    AgencyType.A_AND_E: "3E",
    AgencyType.HEALTH_OTHER: "3F",
    AgencyType.HOUSING: "4",
    AgencyType.COUNCIL_OTHER: "5B",
    AgencyType.POLICE: "6",
    AgencyType.LEGAL: "7",
    AgencyType.VOLUNTARY: "8",
}


class PartnerProfile(AuditedModel):
    """Who a partner referrer is, kept from their first referral so they never type it twice."""

    local_authority = models.ForeignKey("tenancy.LocalAuthority", on_delete=models.PROTECT, related_name="+")
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="partner_profile")
    agency_type = models.CharField(max_length=30, choices=AgencyType.choices)
    organisation = models.CharField(max_length=150)
    job_title = models.CharField(max_length=100)
    phone = models.CharField(max_length=40)
    email = models.EmailField()

    def __str__(self) -> str:
        return f"{self.user} ({self.organisation})"

    @property
    def referral_source(self) -> str:
        return REFERRAL_SOURCE_FOR_AGENCY[self.agency_type]
