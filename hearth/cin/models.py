"""Children in need: referrals (CIN episodes), single assessments and CIN plans, shaped as the CIN census needs."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from hearth.audit.models import AuditedModel

from .codes import ClosureReason, PrimaryNeed, ReferralSource


class CINEpisode(AuditedModel):
    """A referral to its closure: the census's ``CINdetails``.

    One open episode per child (rule 8820); ``is_re_referral`` is fixed when the episode
    opens: a previous referral for the same child within the 12 calendar months before
    this referral date (inclusive of the day 12 months earlier).
    """

    local_authority = models.ForeignKey("tenancy.LocalAuthority", on_delete=models.PROTECT, related_name="+")
    child = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="cin_episodes")
    contact = models.OneToOneField(
        "front_door.Contact", null=True, blank=True, on_delete=models.PROTECT, related_name="cin_episode"
    )
    referral_date = models.DateField()
    referral_source = models.CharField(max_length=3, choices=ReferralSource.choices)
    primary_need = models.CharField(max_length=2, choices=PrimaryNeed.choices, blank=True)
    is_re_referral = models.BooleanField(default=False)
    # Closed at the referral stage with no assessment (census ReferralNFA).
    referral_nfa = models.BooleanField(default=False)
    closed_on = models.DateField(null=True, blank=True)
    closure_reason = models.CharField(max_length=3, choices=ClosureReason.choices, blank=True)
    team = models.ForeignKey("accounts.Team", null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-referral_date", "-id"]
        indexes = [
            models.Index(fields=["local_authority", "closed_on"]),
            models.Index(fields=["local_authority", "referral_date"]),
            models.Index(fields=["child", "referral_date"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["child"], condition=Q(closed_on__isnull=True), name="one_open_cin_episode_per_child"
            ),
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(closed_on__gte=models.F("referral_date")),
                name="cin_episode_closes_after_referral",
            ),
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | ~Q(closure_reason=""),
                name="cin_episode_closed_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"Referral of {self.referral_date:%d %b %Y}"

    @property
    def is_open(self) -> bool:
        return self.closed_on is None


class Assessment(AuditedModel):
    """A child and family (single) assessment.

    Sections are saved in any order; the assessment is submitted once the required parts
    are there and authorised by a manager (the census completion date).
    """

    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", "In progress"
        AWAITING_AUTHORISATION = "awaiting_authorisation", "Awaiting authorisation"
        AUTHORISED = "authorised", "Authorised"

    class Outcome(models.TextChoices):
        NO_FURTHER_ACTION = "nfa", "No further action (close, RC8)"
        EARLY_HELP = "early_help", "Step down to early help (close, RC9)"
        CIN_PLAN = "cin_plan", "Child in need plan"
        STRATEGY_DISCUSSION = "strategy_discussion", "Strategy discussion (risk of significant harm)"
        LOOKED_AFTER = "looked_after", "Child to become looked after"
        CONTINUE_EXISTING = "continue", "Continue under the existing plan"

    # The parts of the assessment, filled in any order. Field name -> heading.
    SECTIONS: tuple[tuple[str, str], ...] = (
        ("reason_for_assessment", "Reason for the assessment"),
        ("childs_voice", "The child's wishes and feelings"),
        ("developmental_needs", "The child's developmental needs"),
        ("parenting_capacity", "Parenting capacity"),
        ("family_and_environment", "Family and environmental factors"),
        ("analysis", "Analysis of needs and risks"),
        ("recommendation", "Recommendation and next steps"),
    )

    local_authority = models.ForeignKey("tenancy.LocalAuthority", on_delete=models.PROTECT, related_name="+")
    child = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="assessments")
    episode = models.ForeignKey(CINEpisode, on_delete=models.PROTECT, related_name="assessments")
    started_on = models.DateField()
    child_seen_on = models.DateField(null=True, blank=True)
    child_seen_alone = models.BooleanField(null=True, blank=True)
    reason_for_assessment = models.TextField(blank=True)
    childs_voice = models.TextField(blank=True)
    developmental_needs = models.TextField(blank=True)
    parenting_capacity = models.TextField(blank=True)
    family_and_environment = models.TextField(blank=True)
    analysis = models.TextField(blank=True)
    recommendation = models.TextField(blank=True)
    # Census factor codes (AssessmentFactor), recorded at the end.
    factors = models.JSONField(default=list, blank=True)
    outcome = models.CharField(max_length=30, choices=Outcome.choices, blank=True)
    status = models.CharField(max_length=30, choices=Status.choices, default=Status.IN_PROGRESS)
    # The manager's comment when they send it back for more work; cleared on the next submission.
    returned_comment = models.TextField(blank=True)
    submitted_on = models.DateField(null=True, blank=True)
    authorised_on = models.DateField(null=True, blank=True)
    authorised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="assessments"
    )

    class Meta:
        ordering = ["-started_on", "-id"]
        indexes = [
            models.Index(fields=["local_authority", "status"]),
            models.Index(fields=["episode", "status"]),
            # The indicators read a year's authorised assessments by date.
            models.Index(fields=["local_authority", "authorised_on"]),
        ]
        constraints = [
            # At most one open assessment in an episode (rule 8896).
            models.UniqueConstraint(
                fields=["episode"], condition=~Q(status="authorised"), name="one_open_assessment_per_episode"
            ),
            models.CheckConstraint(
                condition=Q(authorised_on__isnull=True) | Q(authorised_on__gte=models.F("started_on")),
                name="assessment_authorised_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"Assessment started {self.started_on:%d %b %Y}"


class CINPlan(AuditedModel):
    """A child in need plan under section 17 (census CINPlanDates)."""

    class EndReason(models.TextChoices):
        NEEDS_MET = "needs_met", "Needs met"
        STEPPED_UP_CP = "stepped_up_cp", "Child protection plan started"
        LOOKED_AFTER = "looked_after", "Child became looked after"
        STEPPED_DOWN = "stepped_down", "Stepped down to early help"
        MOVED_AWAY = "moved_away", "Moved out of the area"
        CONSENT_WITHDRAWN = "consent_withdrawn", "Family withdrew consent"
        OTHER = "other", "Other"

    local_authority = models.ForeignKey("tenancy.LocalAuthority", on_delete=models.PROTECT, related_name="+")
    child = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="cin_plans")
    episode = models.ForeignKey(CINEpisode, on_delete=models.PROTECT, related_name="cin_plans")
    started_on = models.DateField()
    plan = models.TextField(blank=True, help_text="Needs, outcomes, actions and who does them")
    ended_on = models.DateField(null=True, blank=True)
    end_reason = models.CharField(max_length=30, choices=EndReason.choices, blank=True)

    class Meta:
        ordering = ["-started_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["child"], condition=Q(ended_on__isnull=True), name="one_open_cin_plan_per_child"
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="cin_plan_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"CIN plan from {self.started_on:%d %b %Y}"


class CINPlanReview(AuditedModel):
    """A CIN plan review meeting; the next is due at the council's local interval (rule cin_plan_review)."""

    local_authority = models.ForeignKey("tenancy.LocalAuthority", on_delete=models.PROTECT, related_name="+")
    plan = models.ForeignKey(CINPlan, on_delete=models.PROTECT, related_name="reviews")
    held_on = models.DateField()
    summary = models.TextField(blank=True)

    class Meta:
        ordering = ["-held_on", "-id"]
