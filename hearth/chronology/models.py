from __future__ import annotations

from django.conf import settings
from django.db import models

from hearth.audit.models import AuditedModel


class EventType(models.TextChoices):
    """Every kind of event that appears in a chronology. Later issues add theirs here."""

    CASE_NOTE = "case_note", "Case note"
    ALLOCATION = "allocation", "Allocation"
    PERSON_DETAILS = "person_details", "Personal details changed"
    ADDRESS = "address", "Change of address"
    RELATIONSHIP = "relationship", "Relationship"
    MERGE = "merge", "Records merged"
    CONTACT = "contact", "Contact"
    REFERRAL = "referral", "Referral"
    EARLY_HELP = "early_help", "Early help"
    ASSESSMENT = "assessment", "Assessment"
    STRATEGY_DISCUSSION = "strategy_discussion", "Strategy discussion"
    S47 = "s47", "Section 47 enquiry"
    CONFERENCE = "conference", "Child protection conference"
    PLAN = "plan", "Plan"
    VISIT = "visit", "Visit"
    REVIEW = "review", "Review"
    MISSING = "missing", "Missing episode"
    PLACEMENT = "placement", "Placement"
    LEGAL = "legal", "Legal"
    HEALTH = "health", "Health"
    EDUCATION = "education", "Education"
    # Managers' decisions and case discussions in supervision: what inspectors look for on a child's record.
    MANAGEMENT_OVERSIGHT = "management_oversight", "Management oversight"
    OTHER = "other", "Other"


class ChronologyEvent(AuditedModel):
    """One line of a person's chronology, written by the service that records the event itself."""

    local_authority = models.ForeignKey("tenancy.LocalAuthority", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="chronology")
    occurred_at = models.DateTimeField(db_index=True)
    # False when only the day is known (an allocation, a placement start): no time is shown for it.
    time_known = models.BooleanField(default=True)
    event_type = models.CharField(max_length=30, choices=EventType.choices)
    title = models.CharField(max_length=200)
    summary = models.TextField(blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+")
    # The record behind the event, opened from the chronology.
    source_label = models.CharField(max_length=80, blank=True)
    source_id = models.CharField(max_length=40, blank=True)
    link = models.CharField(max_length=300, blank=True)
    significant = models.BooleanField(default=False)
    # Hidden events stay in the database (nothing is deleted from a child's record).
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [
            models.Index(fields=["person", "occurred_at"]),
            models.Index(fields=["person", "event_type", "occurred_at"]),
            models.Index(fields=["source_label", "source_id"]),
        ]


class CaseNote(AuditedModel):
    """A practitioner's note: sanitised rich text, shown in the chronology."""

    local_authority = models.ForeignKey("tenancy.LocalAuthority", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="case_notes")
    occurred_at = models.DateTimeField(help_text="When the thing the note records happened")
    title = models.CharField(max_length=200)
    body_html = models.TextField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    significant = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-occurred_at", "-id"]
