"""Child protection: strategy discussions, section 47 enquiries, conferences, plans, core groups and visits."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from hearth.audit.models import AuditedModel
from hearth.cin.codes import CategoryOfAbuse


class Agency(models.TextChoices):
    SOCIAL_CARE = "social_care", "Children's social care"
    POLICE = "police", "Police"
    HEALTH = "health", "Health"
    EDUCATION = "education", "School or education"
    PROBATION = "probation", "Probation"
    HOUSING = "housing", "Housing"
    YOUTH_JUSTICE = "youth_justice", "Youth justice"
    REFERRER = "referrer", "The referrer"
    OTHER = "other", "Other"


class StrategyDiscussion(AuditedModel):
    """A strategy discussion or meeting. It can be repeated; every one is kept with its decision."""

    class Decision(models.TextChoices):
        START_S47 = "s47", "Start a section 47 enquiry"
        CONTINUE_S47 = "continue_s47", "Continue the existing section 47 enquiry"
        ASSESSMENT_S17 = "assessment", "No section 47: continue or start a child and family assessment"
        NO_FURTHER_ACTION = "nfa", "No further action by children's social care"

    local_authority = models.ForeignKey("tenancy.LocalAuthority", on_delete=models.PROTECT, related_name="+")
    child = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="strategy_discussions")
    episode = models.ForeignKey("cin.CINEpisode", on_delete=models.PROTECT, related_name="strategy_discussions")
    held_on = models.DateField()
    agencies_present = models.JSONField(default=list, help_text="Agency codes")
    attendees = models.TextField(blank=True, help_text="Names and roles of those present")
    reason = models.TextField(help_text="Why there is reasonable cause to suspect significant harm")
    immediate_safety_actions = models.TextField(blank=True)
    decision = models.CharField(max_length=20, choices=Decision.choices)
    chaired_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["episode", "held_on"])]

    def __str__(self) -> str:
        return f"Strategy discussion {self.held_on:%d %b %Y}"


class Section47Enquiry(AuditedModel):
    """A section 47 enquiry started by a strategy discussion (census Section47)."""

    class Outcome(models.TextChoices):
        NOT_SUBSTANTIATED = "not_substantiated", "Concerns not substantiated"
        SUBSTANTIATED_NO_RISK = "substantiated_no_risk", "Concerns substantiated, child not at continuing risk"
        SUBSTANTIATED_AT_RISK = "substantiated_at_risk", "Concerns substantiated, child at continuing risk: ICPC"

    local_authority = models.ForeignKey("tenancy.LocalAuthority", on_delete=models.PROTECT, related_name="+")
    child = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="s47_enquiries")
    episode = models.ForeignKey("cin.CINEpisode", on_delete=models.PROTECT, related_name="s47_enquiries")
    strategy_discussion = models.ForeignKey(
        StrategyDiscussion, on_delete=models.PROTECT, related_name="s47_enquiries"
    )
    started_on = models.DateField()
    completed_on = models.DateField(null=True, blank=True)
    outcome = models.CharField(max_length=30, choices=Outcome.choices, blank=True)
    # Census ICPCnotRequired is the inverse; null until the outcome is recorded.
    icpc_required = models.BooleanField(null=True, blank=True)
    findings = models.TextField(blank=True)

    class Meta:
        ordering = ["-started_on", "-id"]
        constraints = [
            # At most one open S47 in an episode (rule 8839).
            models.UniqueConstraint(
                fields=["episode"], condition=Q(completed_on__isnull=True), name="one_open_s47_per_episode"
            ),
            models.CheckConstraint(
                condition=Q(completed_on__isnull=True) | Q(completed_on__gte=models.F("started_on")),
                name="s47_completes_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"Section 47 enquiry from {self.started_on:%d %b %Y}"


class ChildProtectionPlan(AuditedModel):
    """A child protection plan (census ChildProtectionPlans). Starts on the day of its conference (2885)."""

    class EndReason(models.TextChoices):
        STEP_DOWN_CIN = "step_down_cin", "Stepped down to a child in need plan"
        STEP_DOWN_EARLY_HELP = "step_down_early_help", "Stepped down to early help"
        NO_FURTHER_ACTION = "nfa", "No further support needed"
        LOOKED_AFTER = "looked_after", "Child became looked after"
        TRANSFERRED = "transferred", "Moved to another local authority"
        ADULT = "adult", "Child reached 18"
        DIED = "died", "Child died"
        OTHER = "other", "Other"

    local_authority = models.ForeignKey("tenancy.LocalAuthority", on_delete=models.PROTECT, related_name="+")
    child = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="cp_plans")
    episode = models.ForeignKey("cin.CINEpisode", on_delete=models.PROTECT, related_name="cp_plans")
    started_on = models.DateField()
    initial_category = models.CharField(max_length=3, choices=CategoryOfAbuse.choices)
    latest_category = models.CharField(max_length=3, choices=CategoryOfAbuse.choices)
    # Plans this child had before this one, here or (when known) elsewhere; >0 = second or subsequent.
    previous_plans = models.PositiveSmallIntegerField(default=0)
    outline_plan = models.TextField(blank=True, help_text="What must change, by when, and who does what")
    family_summary = models.TextField(
        blank=True, help_text="The plan in plain words for the child and family"
    )
    # Overrides the council's cp_visit interval for this plan, in working days (blank = council default).
    visit_interval_days = models.PositiveSmallIntegerField(null=True, blank=True)
    ended_on = models.DateField(null=True, blank=True)
    end_reason = models.CharField(max_length=30, choices=EndReason.choices, blank=True)

    class Meta:
        ordering = ["-started_on", "-id"]
        indexes = [models.Index(fields=["local_authority", "ended_on"])]
        constraints = [
            models.UniqueConstraint(
                fields=["child"], condition=Q(ended_on__isnull=True), name="one_open_cp_plan_per_child"
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="cp_plan_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"Child protection plan from {self.started_on:%d %b %Y}"

    @property
    def is_repeat(self) -> bool:
        return self.previous_plans > 0


class ChildProtectionConference(AuditedModel):
    """An initial, review or transfer-in child protection conference, chaired independently."""

    class Kind(models.TextChoices):
        INITIAL = "initial", "Initial child protection conference"
        REVIEW = "review", "Review child protection conference"
        TRANSFER_IN = "transfer_in", "Transfer-in conference"

    class Outcome(models.TextChoices):
        PLAN = "plan", "Child protection plan"
        NO_PLAN = "no_plan", "No child protection plan"
        PLAN_CONTINUES = "plan_continues", "Plan continues"
        PLAN_ENDS = "plan_ends", "Plan ends"

    local_authority = models.ForeignKey("tenancy.LocalAuthority", on_delete=models.PROTECT, related_name="+")
    child = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="cp_conferences")
    episode = models.ForeignKey("cin.CINEpisode", on_delete=models.PROTECT, related_name="cp_conferences")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    # Initial: the enquiry that led here. Review: the plan under review. Transfer-in: neither at first.
    section47 = models.ForeignKey(
        Section47Enquiry, null=True, blank=True, on_delete=models.PROTECT, related_name="conferences"
    )
    cp_plan = models.ForeignKey(
        ChildProtectionPlan, null=True, blank=True, on_delete=models.PROTECT, related_name="conferences"
    )
    # Transfer-in: when the council was told a child on another council's plan had moved here.
    notified_on = models.DateField(null=True, blank=True)
    previous_authority = models.CharField(max_length=150, blank=True)
    held_on = models.DateField()
    chair = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    attendees = models.TextField(blank=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    category = models.CharField(max_length=3, choices=CategoryOfAbuse.choices, blank=True)
    # The conference report: professionals' version and the family's plain-language version.
    summary_of_concerns = models.TextField(blank=True)
    decisions_and_reasons = models.TextField(blank=True)
    family_summary = models.TextField(blank=True)

    class Meta:
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["episode", "kind", "held_on"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.held_on:%d %b %Y}"


class CoreGroupMeeting(AuditedModel):
    local_authority = models.ForeignKey("tenancy.LocalAuthority", on_delete=models.PROTECT, related_name="+")
    cp_plan = models.ForeignKey(ChildProtectionPlan, on_delete=models.PROTECT, related_name="core_groups")
    held_on = models.DateField()
    attendees = models.TextField(blank=True)
    progress = models.TextField(blank=True, help_text="Progress against the plan and actions agreed")

    class Meta:
        ordering = ["-held_on", "-id"]


class CPVisit(AuditedModel):
    """A statutory child protection visit by the lead social worker."""

    local_authority = models.ForeignKey("tenancy.LocalAuthority", on_delete=models.PROTECT, related_name="+")
    cp_plan = models.ForeignKey(ChildProtectionPlan, on_delete=models.PROTECT, related_name="visits")
    child = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="cp_visits")
    visited_on = models.DateField()
    child_seen = models.BooleanField()
    child_seen_alone = models.BooleanField(default=False)
    visited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    observations = models.TextField(blank=True)

    class Meta:
        ordering = ["-visited_on", "-id"]
        indexes = [models.Index(fields=["child", "visited_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(child_seen=True) | Q(child_seen_alone=False), name="seen_alone_needs_seen"
            ),
        ]


class TransferInNotice(AuditedModel):
    """Notice that a child on another council's plan has moved here; starts the transfer-in conference clock."""

    local_authority = models.ForeignKey("tenancy.LocalAuthority", on_delete=models.PROTECT, related_name="+")
    child = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="cp_transfer_notices")
    episode = models.ForeignKey("cin.CINEpisode", on_delete=models.PROTECT, related_name="cp_transfer_notices")
    notified_on = models.DateField()
    previous_authority = models.CharField(max_length=150)
    # Set when the transfer-in conference is held.
    conference = models.OneToOneField(
        ChildProtectionConference, null=True, blank=True, on_delete=models.PROTECT, related_name="transfer_notice"
    )

    class Meta:
        ordering = ["-notified_on", "-id"]

    def __str__(self) -> str:
        return f"Transfer-in notice {self.notified_on:%d %b %Y}"
