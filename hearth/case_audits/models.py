"""Case audits: the council's quality assurance of practice, and practice weeks.

A council audits a sample of children's records each month against a template of graded questions. A
template in use is never edited in place: changing it makes a new edition, and every audit keeps the
questions it was answered against. A second auditor moderates a share of audits; their grade is kept
beside the first, never over it. Actions go back to the worker with a due date. A practice week puts
the audits beside the team's indicators, supervision and caseloads, with a leader's summary.

Every row is case data of one council, kept and versioned by ``AuditedModel``.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q

from hearth.audit.models import AuditedModel


class Grade(models.TextChoices):
    """Ofsted's four-point scale, which councils use for their own audits."""

    OUTSTANDING = "outstanding", "Outstanding"
    GOOD = "good", "Good"
    REQUIRES_IMPROVEMENT = "requires_improvement", "Requires improvement"
    INADEQUATE = "inadequate", "Inadequate"


GRADE_ORDER = [Grade.OUTSTANDING, Grade.GOOD, Grade.REQUIRES_IMPROVEMENT, Grade.INADEQUATE]
GOOD_OR_BETTER = frozenset({Grade.OUTSTANDING, Grade.GOOD})


class Area(models.TextChoices):
    """The part of practice a question looks at."""

    VOICE = "voice", "Voice of the child"
    ASSESSMENT = "assessment", "Assessment"
    RISK = "risk", "Risk assessment"
    PLAN = "plan", "Plan"
    MANAGEMENT = "management", "Management oversight"
    CHRONOLOGY = "chronology", "Chronology and record"
    PARTNERSHIP = "partnership", "Partnership working"
    IMPACT = "impact", "Impact for the child"


class AuditTheme(AuditedModel):
    """One of the council's list of themes an auditor tags an audit with ("drift and delay")."""

    local_authority = models.ForeignKey("tenancy.LocalAuthority", on_delete=models.PROTECT, related_name="+")
    slug = models.SlugField(max_length=40)
    name = models.CharField(max_length=80)
    retired = models.BooleanField(default=False)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "name"]
        constraints = [models.UniqueConstraint(fields=["local_authority", "slug"], name="audit_theme_slug_unique")]

    def __str__(self) -> str:
        return self.name


class AuditTemplate(AuditedModel):
    """One edition of a set of audit questions. ``family`` names the template across its editions."""

    local_authority = models.ForeignKey("tenancy.LocalAuthority", on_delete=models.PROTECT, related_name="+")
    family = models.SlugField(max_length=60)
    edition = models.PositiveSmallIntegerField(default=1)
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    # Set when a newer edition replaces this one; audits already drawn keep answering this edition.
    replaced_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")

    class Meta:
        ordering = ["name", "-edition"]
        constraints = [
            models.UniqueConstraint(fields=["local_authority", "family", "edition"], name="audit_template_edition"),
        ]

    def __str__(self) -> str:
        return f"{self.name} (version {self.edition})"

    @property
    def is_current(self) -> bool:
        return self.replaced_on is None


class AuditQuestion(AuditedModel):
    local_authority = models.ForeignKey("tenancy.LocalAuthority", on_delete=models.PROTECT, related_name="+")
    template = models.ForeignKey(AuditTemplate, on_delete=models.PROTECT, related_name="questions")
    order = models.PositiveSmallIntegerField()
    area = models.CharField(max_length=20, choices=Area.choices)
    text = models.CharField(max_length=300)
    guidance = models.TextField(blank=True)

    class Meta:
        ordering = ["template", "order", "pk"]

    def __str__(self) -> str:
        return self.text


class AuditRound(AuditedModel):
    """A month's audit activity: the sample, how it was drawn (so a board can see), and who audits what."""

    class Method(models.TextChoices):
        RANDOM = "random", "Random sample of open cases"
        THEMED = "themed", "Themed sample"

    local_authority = models.ForeignKey("tenancy.LocalAuthority", on_delete=models.PROTECT, related_name="+")
    title = models.CharField(max_length=150)
    month = models.DateField(help_text="The first day of the month the round belongs to")
    template = models.ForeignKey(AuditTemplate, on_delete=models.PROTECT, related_name="rounds")
    method = models.CharField(max_length=10, choices=Method.choices)
    theme = models.CharField(max_length=40, blank=True)  # a code of hearth.case_audits.themes for a themed round
    scope_team = models.ForeignKey("accounts.Team", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    scope_service_area = models.CharField(max_length=100, blank=True)
    sample_size = models.PositiveSmallIntegerField()
    seed = models.PositiveIntegerField()
    moderation_percent = models.PositiveSmallIntegerField(default=15)
    # How the sample was drawn, in full: counts, strata, exclusions by reason (never names).
    criteria = models.JSONField(default=dict)
    eligible = models.PositiveIntegerField(default=0)
    left_out = models.PositiveIntegerField(default=0)
    drawn_on = models.DateField()
    drawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+")
    due_on = models.DateField()

    class Meta:
        ordering = ["-month", "-drawn_on", "-pk"]
        indexes = [models.Index(fields=["local_authority", "month"])]

    def __str__(self) -> str:
        return self.title


class CaseAudit(AuditedModel):
    """One child's record audited by one auditor against the round's template edition."""

    class Status(models.TextChoices):
        ALLOCATED = "allocated", "Not started"
        IN_PROGRESS = "in_progress", "In progress"
        SUBMITTED = "submitted", "Submitted"

    local_authority = models.ForeignKey("tenancy.LocalAuthority", on_delete=models.PROTECT, related_name="+")
    round = models.ForeignKey(AuditRound, on_delete=models.PROTECT, related_name="audits")
    child = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="case_audits")
    auditor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="case_audits")
    # The child's team and worker when the sample was drawn: what the audit says about practice belongs to them.
    team = models.ForeignKey("accounts.Team", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    worker = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.ALLOCATED)
    due_on = models.DateField()
    overall_grade = models.CharField(max_length=24, choices=Grade.choices, blank=True)
    strengths = models.TextField(blank=True)
    areas_for_development = models.TextField(blank=True)
    themes = models.JSONField(default=list, blank=True)  # AuditTheme slugs
    worker_feedback = models.TextField(blank=True)
    family_feedback = models.TextField(blank=True)
    submitted_on = models.DateField(null=True, blank=True)
    moderation_required = models.BooleanField(default=False)

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [
            models.Index(fields=["local_authority", "submitted_on"]),
            models.Index(fields=["auditor", "status"]),
        ]
        constraints = [
            models.UniqueConstraint(fields=["round", "child"], name="one_audit_per_child_per_round"),
            models.CheckConstraint(condition=~Q(status="submitted") | ~Q(overall_grade=""),
                                   name="submitted_audit_is_graded"),
        ]

    def __str__(self) -> str:
        return f"Case audit {self.pk}"

    @property
    def is_submitted(self) -> bool:
        return self.status == self.Status.SUBMITTED


class AuditAnswer(AuditedModel):
    local_authority = models.ForeignKey("tenancy.LocalAuthority", on_delete=models.PROTECT, related_name="+")
    audit = models.ForeignKey(CaseAudit, on_delete=models.PROTECT, related_name="answers")
    question = models.ForeignKey(AuditQuestion, on_delete=models.PROTECT, related_name="+")
    grade = models.CharField(max_length=24, choices=Grade.choices, blank=True)
    evidence = models.TextField(blank=True)

    class Meta:
        ordering = ["question__order", "pk"]
        constraints = [models.UniqueConstraint(fields=["audit", "question"], name="one_answer_per_question")]


class Moderation(AuditedModel):
    """A second auditor's view of a submitted audit: agreed, or a different grade with the reason.
    The first auditor's grade stays on the audit as they gave it."""

    local_authority = models.ForeignKey("tenancy.LocalAuthority", on_delete=models.PROTECT, related_name="+")
    audit = models.OneToOneField(CaseAudit, on_delete=models.PROTECT, related_name="moderation")
    moderator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    agreed = models.BooleanField()
    grade = models.CharField(max_length=24, choices=Grade.choices)
    rationale = models.TextField()
    moderated_on = models.DateField()

    @property
    def changed(self) -> bool:
        return self.grade != self.audit.overall_grade


class AuditAction(AuditedModel):
    """Something the worker (or their team) is to do because of an audit, by a date."""

    local_authority = models.ForeignKey("tenancy.LocalAuthority", on_delete=models.PROTECT, related_name="+")
    audit = models.ForeignKey(CaseAudit, on_delete=models.PROTECT, related_name="actions")
    child = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    team = models.ForeignKey("accounts.Team", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    what = models.TextField()
    assigned_to = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="audit_actions")
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+")
    set_on = models.DateField()
    due_on = models.DateField()
    completed_on = models.DateField(null=True, blank=True)
    completion_note = models.TextField(blank=True)
    completed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [
            models.Index(fields=["assigned_to", "completed_on"]),
            models.Index(fields=["local_authority", "completed_on", "due_on"]),
        ]

    def is_overdue(self, today: date) -> bool:
        return self.completed_on is None and self.due_on < today


class PracticeWeek(AuditedModel):
    """A period the head of service chose to look hard at practice in some teams, with what was found."""

    local_authority = models.ForeignKey("tenancy.LocalAuthority", on_delete=models.PROTECT, related_name="+")
    title = models.CharField(max_length=150)
    start = models.DateField()
    end = models.DateField()
    what_we_found = models.TextField(blank=True)
    what_we_will_do = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")

    class Meta:
        ordering = ["-start", "-pk"]
        constraints = [models.CheckConstraint(condition=Q(end__gte=models.F("start")),
                                              name="practice_week_ends_after_start")]

    def __str__(self) -> str:
        return self.title


class PracticeWeekTeam(AuditedModel):
    """A team in focus in a practice week, with the leader's summary for that team."""

    local_authority = models.ForeignKey("tenancy.LocalAuthority", on_delete=models.PROTECT, related_name="+")
    week = models.ForeignKey(PracticeWeek, on_delete=models.PROTECT, related_name="teams")
    team = models.ForeignKey("accounts.Team", on_delete=models.PROTECT, related_name="+")
    what_we_found = models.TextField(blank=True)
    what_we_will_do = models.TextField(blank=True)

    class Meta:
        ordering = ["team__name", "pk"]
        constraints = [models.UniqueConstraint(fields=["week", "team"], name="one_entry_per_team_per_week")]
