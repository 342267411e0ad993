"""Recorded supervision of each worker, its case discussions, and the council's supervision policy.

Supervision is private to the worker: what was said about their wellbeing, workload, learning and practice is
for them and their managers. A case discussion is different: it is management oversight of a child's plan and
belongs on the child's record, so each one also writes a line to the child's chronology.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from hearth.audit.models import AuditedModel


class SupervisionPolicy(AuditedModel):
    """How often a council's staff are supervised. One per council; without one the defaults in
    ``schedule.Policy`` apply."""

    local_authority = models.ForeignKey("tenancy.LocalAuthority", on_delete=models.PROTECT, related_name="+")
    # {role: {"every": 4, "unit": "weeks"}} for each role the policy covers.
    frequencies = models.JSONField(default=dict)
    asye_first_weeks = models.PositiveSmallIntegerField(default=6)
    asye_first_every_weeks = models.PositiveSmallIntegerField(default=2)
    asye_every_weeks = models.PositiveSmallIntegerField(default=3)
    asye_months = models.PositiveSmallIntegerField(default=12)
    case_discussion_weeks = models.PositiveSmallIntegerField(default=13)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["local_authority"], name="one_supervision_policy_per_la")]


class SupervisionArrangement(AuditedModel):
    """Who supervises a worker when it is not their team manager, and whether they are in their ASYE."""

    local_authority = models.ForeignKey("tenancy.LocalAuthority", on_delete=models.PROTECT, related_name="+")
    worker = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  related_name="supervision_arrangement")
    supervisor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="supervisees")
    # Newly qualified social workers: the start of their assessed and supported year in employment.
    asye_started_on = models.DateField(null=True, blank=True)


class SupervisionSession(AuditedModel):
    class Kind(models.TextChoices):
        ONE_TO_ONE = "one_to_one", "One-to-one"
        GROUP = "group", "Group"
        AD_HOC = "ad_hoc", "Ad hoc"

    class Status(models.TextChoices):
        HELD = "held", "Held"
        CANCELLED = "cancelled", "Cancelled"
        REARRANGED = "rearranged", "Rearranged"

    local_authority = models.ForeignKey("tenancy.LocalAuthority", on_delete=models.PROTECT, related_name="+")
    supervisee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="supervision_sessions")
    supervisor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # The day it was held; for a cancelled or rearranged session, the day it had been planned for.
    held_on = models.DateField()
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.ONE_TO_ONE)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.HELD)
    wellbeing = models.TextField(blank=True)
    workload = models.TextField(blank=True)
    learning = models.TextField("Learning and development", blank=True)
    reflection = models.TextField("Reflective discussion", blank=True)
    agreed_actions = models.TextField(blank=True)
    next_on = models.DateField(null=True, blank=True)
    not_held_reason = models.TextField(blank=True)
    rearranged_to = models.DateField(null=True, blank=True)
    supervisee_comments = models.TextField(blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-held_on", "-id"]
        indexes = [
            models.Index(fields=["supervisee", "status", "held_on"]),
            models.Index(fields=["local_authority", "held_on"]),
        ]

    def __str__(self) -> str:
        return f"Supervision on {self.held_on:%-d %B %Y}"

    @property
    def held(self) -> bool:
        return self.status == self.Status.HELD


class CaseDiscussion(AuditedModel):
    """A child discussed in a supervision: the discussion, what was decided, and whether the plan is working."""

    class Progress(models.TextChoices):
        YES = "yes", "Yes, the plan is progressing"
        PARTLY = "partly", "Partly: some actions are behind"
        NO = "no", "No: the plan is drifting or stuck"

    local_authority = models.ForeignKey("tenancy.LocalAuthority", on_delete=models.PROTECT, related_name="+")
    session = models.ForeignKey(SupervisionSession, on_delete=models.PROTECT, related_name="case_discussions")
    child = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="supervision_discussions")
    discussion = models.TextField()
    decisions = models.TextField("Decisions and actions")
    actions_due_on = models.DateField()
    plan_progress = models.CharField(max_length=10, choices=Progress.choices)

    class Meta:
        ordering = ["session", "id"]
        # One discussion per child per session is the service's rule, not a constraint: merging two records of
        # the same child discussed in one session must still work.
        indexes = [models.Index(fields=["child", "session"])]
