"""The front door: contacts, screening and decisions, early help, and mystery-shopper checks."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from hearth.audit.models import AuditedModel
from hearth.cin.codes import ReferralSource


class Contact(AuditedModel):
    """Any enquiry or concern about a child that reaches the council (Annex A List 1).

    The child may not be known yet: a partner referral names a child the front door then
    finds or creates (with the duplicate check). ``child_details`` keeps what the referrer
    told us, word for word, so screening never asks for it again.
    """

    class Channel(models.TextChoices):
        PHONE = "phone", "Telephone"
        EMAIL = "email", "Email"
        PORTAL = "portal", "Online referral (partner portal)"
        POLICE_NOTIFICATION = "police_notification", "Police notification"
        IN_PERSON = "in_person", "In person"
        LETTER = "letter", "Letter"

    class Consent(models.TextChoices):
        GIVEN = "given", "Family consents to the contact and to information sharing"
        NOT_GIVEN = "not_given", "Family does not consent"
        NOT_SOUGHT_RISK = "not_sought_risk", "Not sought: seeking consent would put the child at risk"
        NOT_SOUGHT_OTHER = "not_sought_other", "Not sought for another reason"

    class Priority(models.TextChoices):
        RED = "red", "Red: immediate risk"
        AMBER = "amber", "Amber: screen today"
        GREEN = "green", "Green: screen within the working day"

    class Status(models.TextChoices):
        RECEIVED = "received", "Received"
        SCREENING = "screening", "Being screened"
        DECIDED = "decided", "Decided"

    class Decision(models.TextChoices):
        NO_FURTHER_ACTION = "nfa", "No further action"
        INFORMATION_AND_ADVICE = "advice", "Information and advice"
        EARLY_HELP = "early_help", "Early help"
        REFERRAL = "referral", "Referral to children's social care"
        STRATEGY_DISCUSSION = "strategy_discussion", "Strategy discussion"

    local_authority = models.ForeignKey("tenancy.LocalAuthority", on_delete=models.PROTECT, related_name="+")
    reference = models.CharField(max_length=20, help_text="Shown to the referrer, e.g. C-2026-000123")
    received_at = models.DateTimeField()
    channel = models.CharField(max_length=30, choices=Channel.choices)
    source = models.CharField(max_length=3, choices=ReferralSource.choices)
    referrer_name = models.CharField(max_length=150, blank=True)
    referrer_organisation = models.CharField(max_length=150, blank=True)
    referrer_role = models.CharField(max_length=100, blank=True)
    referrer_phone = models.CharField(max_length=40, blank=True)
    referrer_email = models.EmailField(blank=True)
    concerns = models.TextField()
    consent = models.CharField(max_length=20, choices=Consent.choices)
    consent_notes = models.TextField(blank=True)
    # Who the child is: null until the front door links or creates the record.
    child = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="contacts"
    )
    # What the referrer gave about the child (first_name, last_name, date_of_birth, address,
    # postcode, school, parents_or_carers...), kept for matching and for the record.
    child_details = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.RECEIVED)
    # The statutory 1-working-day decision clock, day 0 = the day received.
    decision_due_on = models.DateField()
    priority = models.CharField(max_length=10, choices=Priority.choices, blank=True)
    screening_notes = models.TextField(blank=True)
    screened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    screening_started_at = models.DateTimeField(null=True, blank=True)
    decision = models.CharField(max_length=30, choices=Decision.choices, blank=True)
    decision_rationale = models.TextField(blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["local_authority", "status", "decision_due_on"]),
            models.Index(fields=["local_authority", "received_at"]),
            models.Index(fields=["child", "received_at"]),
        ]
        constraints = [
            models.UniqueConstraint(fields=["local_authority", "reference"], name="contact_reference_unique"),
            models.CheckConstraint(
                condition=Q(status="decided", decided_at__isnull=False) & ~Q(decision="")
                | ~Q(status="decided") & Q(decided_at__isnull=True, decision=""),
                name="contact_decided_has_decision",
            ),
        ]

    def __str__(self) -> str:
        return f"Contact {self.reference}"

    @property
    def is_decided(self) -> bool:
        return self.status == self.Status.DECIDED


class EarlyHelpEpisode(AuditedModel):
    """Consent-based early help for a child (Annex A List 2; step-up and step-down measures)."""

    class Outcome(models.TextChoices):
        NEEDS_MET = "needs_met", "Needs met"
        STEPPED_UP = "stepped_up", "Stepped up to children's social care"
        CONSENT_WITHDRAWN = "consent_withdrawn", "Family withdrew consent"
        MOVED_AWAY = "moved_away", "Moved out of the area"
        UNIVERSAL_SERVICES = "universal_services", "Needs met by universal services"
        OTHER = "other", "Other"

    class Origin(models.TextChoices):
        CONTACT = "contact", "Front door decision"
        STEP_DOWN = "step_down", "Stepped down from children's social care"
        DIRECT = "direct", "Started by a partner agency"

    local_authority = models.ForeignKey("tenancy.LocalAuthority", on_delete=models.PROTECT, related_name="+")
    child = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="early_help_episodes")
    origin = models.CharField(max_length=20, choices=Origin.choices)
    contact = models.ForeignKey(
        Contact, null=True, blank=True, on_delete=models.PROTECT, related_name="early_help_episodes"
    )
    # Step-down: the CIN episode this came from.
    stepped_down_from = models.ForeignKey(
        "cin.CINEpisode", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    started_on = models.DateField()
    lead_team = models.ForeignKey(
        "accounts.Team", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    lead_professional = models.CharField(max_length=150, blank=True, help_text="Name and agency")
    assessment_organisation = models.CharField(max_length=150, blank=True)
    assessment_started_on = models.DateField(null=True, blank=True)
    assessment_completed_on = models.DateField(null=True, blank=True)
    ended_on = models.DateField(null=True, blank=True)
    outcome = models.CharField(max_length=30, choices=Outcome.choices, blank=True)
    # Step-up: the CIN episode it became.
    stepped_up_to = models.ForeignKey(
        "cin.CINEpisode", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-started_on", "-id"]
        indexes = [models.Index(fields=["local_authority", "ended_on"]), models.Index(fields=["child", "started_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="early_help_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"Early help from {self.started_on:%d %b %Y}"


class MysteryShopperCheck(AuditedModel):
    """A manager's test contact to the front door, for the quality trend."""

    class Channel(models.TextChoices):
        PHONE = "phone", "Telephone"
        EMAIL = "email", "Email"
        PORTAL = "portal", "Online portal"
        OUT_OF_HOURS = "out_of_hours", "Out-of-hours telephone"

    class Quality(models.IntegerChoices):
        POOR = 1, "Poor"
        REQUIRES_IMPROVEMENT = 2, "Requires improvement"
        GOOD = 3, "Good"
        OUTSTANDING = 4, "Outstanding"

    class Outcome(models.TextChoices):
        RIGHT_RESPONSE = "right", "Right response"
        PARTLY_RIGHT = "partly", "Partly right"
        WRONG_RESPONSE = "wrong", "Wrong response"
        NOT_ANSWERED = "not_answered", "Not answered"

    local_authority = models.ForeignKey("tenancy.LocalAuthority", on_delete=models.PROTECT, related_name="+")
    carried_out_at = models.DateTimeField()
    channel = models.CharField(max_length=20, choices=Channel.choices)
    seconds_to_answer = models.PositiveIntegerField(null=True, blank=True, help_text="Blank if never answered")
    advice_quality = models.PositiveSmallIntegerField(choices=Quality.choices, null=True, blank=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    scenario = models.TextField(blank=True)
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-carried_out_at", "-id"]
        indexes = [models.Index(fields=["local_authority", "carried_out_at"])]
