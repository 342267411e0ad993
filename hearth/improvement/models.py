"""The improvement programme: inspections and their judgements, the areas for improvement they set, the
improvement plan's actions (owner, due date, status, RAG, evidence, the indicators that show impact),
monitoring visits, improvement board meetings with their generated board packs, and the self-evaluation."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from hearth.audit.models import AuditedModel


class Grade(models.TextChoices):
    """Ofsted's four-point scale."""

    OUTSTANDING = "outstanding", "Outstanding"
    GOOD = "good", "Good"
    REQUIRES_IMPROVEMENT = "requires_improvement", "Requires improvement to be good"
    INADEQUATE = "inadequate", "Inadequate"


class Inspection(AuditedModel):
    class Kind(models.TextChoices):
        STANDARD = "standard", "ILACS standard inspection"
        SHORT = "short", "ILACS short inspection"
        FOCUSED_VISIT = "focused_visit", "Focused visit"
        JTAI = "jtai", "Joint targeted area inspection"

    local_authority = models.ForeignKey("tenancy.LocalAuthority", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    on_site_from = models.DateField()
    on_site_to = models.DateField()
    published_on = models.DateField(null=True, blank=True)
    summary = models.TextField(blank=True)

    class Meta:
        ordering = ["-on_site_from"]
        constraints = [models.CheckConstraint(condition=models.Q(on_site_to__gte=models.F("on_site_from")),
                                              name="inspection_ends_after_start")]


class InspectionJudgement(AuditedModel):
    class Area(models.TextChoices):
        OVERALL = "overall", "Overall effectiveness"
        LEADERS = "leaders", "The impact of leaders on social work practice with children and families"
        HELP_AND_PROTECTION = ("help_and_protection",
                               "The experiences and progress of children who need help and protection")
        IN_CARE = "in_care", "The experiences and progress of children in care"
        CARE_LEAVERS = "care_leavers", "The experiences and progress of care leavers"

    local_authority = models.ForeignKey("tenancy.LocalAuthority", on_delete=models.PROTECT, related_name="+")
    inspection = models.ForeignKey(Inspection, on_delete=models.PROTECT, related_name="judgements")
    area = models.CharField(max_length=30, choices=Area.choices)
    grade = models.CharField(max_length=30, choices=Grade.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["inspection", "area"], name="one_judgement_per_area")]


class AreaForImprovement(AuditedModel):
    """What the inspection said must improve; the plan's actions answer it."""

    local_authority = models.ForeignKey("tenancy.LocalAuthority", on_delete=models.PROTECT, related_name="+")
    inspection = models.ForeignKey(Inspection, on_delete=models.PROTECT, related_name="areas_for_improvement")
    number = models.PositiveSmallIntegerField()
    text = models.TextField()
    # Which judgement area it belongs to (InspectionJudgement.Area), for grouping the plan.
    area = models.CharField(max_length=30, choices=InspectionJudgement.Area.choices, blank=True)

    class Meta:
        ordering = ["inspection_id", "number"]
        constraints = [models.UniqueConstraint(fields=["inspection", "number"], name="area_for_improvement_number")]


class ImprovementAction(AuditedModel):
    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        IN_PROGRESS = "in_progress", "In progress"
        COMPLETE = "complete", "Complete"
        # Complete, and the evidence shows the change has lasted (the board signs this off).
        EMBEDDED = "embedded", "Complete and embedded"

    class Rag(models.TextChoices):
        RED = "red", "Red: off track"
        AMBER = "amber", "Amber: at risk"
        GREEN = "green", "Green: on track"
        BLUE = "blue", "Blue: complete"

    local_authority = models.ForeignKey("tenancy.LocalAuthority", on_delete=models.PROTECT, related_name="+")
    area_for_improvement = models.ForeignKey(AreaForImprovement, null=True, blank=True, on_delete=models.PROTECT,
                                             related_name="actions")
    # The plan's own numbering ("2.3").
    reference = models.CharField(max_length=10)
    title = models.CharField(max_length=250)
    description = models.TextField(blank=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="improvement_actions")
    due_on = models.DateField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NOT_STARTED)
    rag = models.CharField("RAG", max_length=10, choices=Rag.choices, default=Rag.GREEN)
    # The owner's latest word on progress, shown in the board pack.
    progress_summary = models.TextField(blank=True)
    completed_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["reference"]
        constraints = [models.UniqueConstraint(fields=["local_authority", "reference"],
                                               name="improvement_action_reference_unique")]


class ActionIndicator(AuditedModel):
    """An indicator that shows whether an action is having an impact, with the target the plan set for it."""

    local_authority = models.ForeignKey("tenancy.LocalAuthority", on_delete=models.PROTECT, related_name="+")
    action = models.ForeignKey(ImprovementAction, on_delete=models.PROTECT, related_name="indicators")
    indicator = models.CharField(max_length=60)  # a code in hearth.indicators.registry
    baseline = models.FloatField(null=True, blank=True)
    baseline_on = models.DateField(null=True, blank=True)
    target = models.FloatField()
    target_by = models.DateField()

    class Meta:
        ordering = ["action_id", "indicator"]
        constraints = [models.UniqueConstraint(fields=["action", "indicator"], name="action_indicator_once")]


class ActionEvidence(AuditedModel):
    """Evidence that an action is done or working: a document, a note, or a link to something in Hearth."""

    class Kind(models.TextChoices):
        DOCUMENT = "document", "Document"
        NOTE = "note", "Note"
        INDICATOR = "indicator", "Indicator"
        AUDIT_ROUND = "audit_round", "Case audit round"
        PRACTICE_WEEK = "practice_week", "Practice week"
        TRAINING_COURSE = "training_course", "Training course"
        MONITORING_VISIT = "monitoring_visit", "Monitoring visit"
        CHILD_RECORD = "child_record", "A child's record"

    local_authority = models.ForeignKey("tenancy.LocalAuthority", on_delete=models.PROTECT, related_name="+")
    action = models.ForeignKey(ImprovementAction, on_delete=models.PROTECT, related_name="evidence")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    summary = models.CharField(max_length=250, help_text="What this shows, in a sentence")
    note = models.TextField(blank=True)
    document = models.FileField(upload_to="improvement/evidence/%Y/%m/", blank=True)
    # What a link points at: an indicator code, or the id of the audit round / practice week / course / visit /
    # person. A child's record is shown only to those who may open it.
    linked_code = models.CharField(max_length=60, blank=True)
    linked_id = models.PositiveBigIntegerField(null=True, blank=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField()
    # Evidence is never deleted; withdrawn evidence stays on the audit trail and drops out of the plan.
    withdrawn = models.BooleanField(default=False)

    class Meta:
        ordering = ["action_id", "-added_at"]


class MonitoringVisit(AuditedModel):
    local_authority = models.ForeignKey("tenancy.LocalAuthority", on_delete=models.PROTECT, related_name="+")
    visit_from = models.DateField()
    visit_to = models.DateField()
    focus = models.CharField(max_length=250)
    inspectors = models.CharField(max_length=250, blank=True)
    letter_published_on = models.DateField(null=True, blank=True)
    findings = models.TextField(blank=True)
    areas_for_improvement = models.ManyToManyField(AreaForImprovement, blank=True, related_name="monitoring_visits")

    class Meta:
        ordering = ["-visit_from"]
        constraints = [models.CheckConstraint(condition=models.Q(visit_to__gte=models.F("visit_from")),
                                              name="monitoring_visit_ends_after_start")]


class BoardMeeting(AuditedModel):
    local_authority = models.ForeignKey("tenancy.LocalAuthority", on_delete=models.PROTECT, related_name="+")
    held_on = models.DateField()
    chair = models.CharField(max_length=150, blank=True)
    location = models.CharField(max_length=150, blank=True)
    agenda = models.TextField(blank=True)
    minutes = models.TextField(blank=True)
    decisions = models.TextField(blank=True)

    class Meta:
        ordering = ["-held_on"]


class BoardPack(models.Model):
    """A generated board pack: the PDF as it was sent to the board, kept unchanged."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Being generated"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"

    local_authority = models.ForeignKey("tenancy.LocalAuthority", on_delete=models.PROTECT, related_name="+")
    meeting = models.ForeignKey(BoardMeeting, null=True, blank=True, on_delete=models.PROTECT, related_name="packs")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    # Data as at this day (the figures to the last month end before it).
    as_at = models.DateField()
    finished_at = models.DateTimeField(null=True, blank=True)
    pdf = models.FileField(upload_to="improvement/board-packs/%Y/", blank=True)
    pages = models.PositiveSmallIntegerField(null=True, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-requested_at"]


class SelfEvaluation(AuditedModel):
    """The annual self-evaluation of social work practice, around Ofsted's three questions. Hearth assembles a
    draft from the indicators, audits and plan; people write the judgement."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        AGREED = "agreed", "Agreed"

    local_authority = models.ForeignKey("tenancy.LocalAuthority", on_delete=models.PROTECT, related_name="+")
    title = models.CharField(max_length=150)
    period_start = models.DateField()
    period_end = models.DateField()
    quality_and_impact = models.TextField("What do you know about the quality and impact of social work practice?",
                                          blank=True)
    how_you_know = models.TextField("How do you know it?", blank=True)
    plans = models.TextField("What are your plans for the next 12 months to maintain or improve practice?",
                             blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    assembled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-period_end"]
