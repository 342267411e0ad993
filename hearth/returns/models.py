"""Runs of the statutory returns and what their validation found.

Neither is case data: a run is derived from the record (and re-derived by running again), so these are
plain models, not audited ones. Users never delete them; a run's file and findings stay as they were
when it ran, which is what makes "submitted to DfE" mean something next year.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from .fields import fields_in_words, table_in_words
from .years import collection_period, year_title

# A run under way with no sign of life for this long died with its worker (a restart, a crash): it is marked
# failed rather than blocking the same return for ever. Returns take seconds; a busy queue, minutes.
STALLED_AFTER = timedelta(minutes=30)


class ReturnRun(models.Model):
    """One export or validation of one return, run in the background."""

    class Kind(models.TextChoices):
        CIN = "cin", "CIN census"
        SSDA903 = "ssda903", "SSDA903"
        ANNEX_A = "annex_a", "Ofsted Annex A"

    class Action(models.TextChoices):
        EXPORT = "export", "Export"
        VALIDATE = "validate", "Validation"

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Running"
        DONE = "done", "Finished"
        FAILED = "failed", "Failed"

    local_authority = models.ForeignKey("tenancy.LocalAuthority", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    action = models.CharField(max_length=10, choices=Action.choices)
    # The collection year (ending 31 March ``year``) for the DfE returns; the period for Annex A.
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    period_start = models.DateField(null=True, blank=True)
    period_end = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)  # percent
    stage = models.CharField(max_length=100, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    seconds = models.FloatField(null=True, blank=True)
    # A plain reason for a failure: never a traceback or a value from a record.
    error = models.TextField(blank=True)
    # The file an export made: the CIN census XML, a zip of the SSDA903 CSVs, or the Annex A workbook.
    output = models.BinaryField(null=True, blank=True, editable=False)
    output_name = models.CharField(max_length=100, blank=True)
    output_content_type = models.CharField(max_length=100, blank=True)
    # Everyone in the file, so each download is logged against each child in it.
    person_pks = models.JSONField(default=list, blank=True)
    children = models.PositiveIntegerField(default=0)
    errors = models.PositiveIntegerField(default=0)
    queries = models.PositiveIntegerField(default=0)
    rules_run = models.JSONField(default=list, blank=True)
    rules_not_run = models.JSONField(default=dict, blank=True)  # code -> reason
    # Where last year's SSDA903 came from for the cross-year rules ("the live record", "export submitted ...").
    previous_source = models.CharField(max_length=200, blank=True)
    # An export the analyst sent to DfE: next year's SSDA903 checks read last year from this file.
    submitted = models.BooleanField(default=False)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        indexes = [
            models.Index(fields=["local_authority", "requested_at"]),
            models.Index(fields=["local_authority", "kind", "year", "submitted"]),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="return_run_progress_percent"),
            models.CheckConstraint(
                condition=Q(period_start__isnull=True) | Q(period_end__isnull=True)
                | Q(period_start__lte=models.F("period_end")),
                name="return_run_period_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} {self.get_action_display().lower()}"

    @property
    def title(self) -> str:
        """What was run, as people say it: "SSDA903 2025/26", "Ofsted Annex A 1 May 2026 to 31 October 2026"."""
        if self.kind == self.Kind.ANNEX_A and self.period_start and self.period_end:
            return (f"{self.get_kind_display()} {self.period_start:%-d %B %Y} to {self.period_end:%-d %B %Y}")
        return f"{self.get_kind_display()} {year_title(self.year)}" if self.year else self.get_kind_display()

    @property
    def is_under_way(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

    @property
    def is_stalled(self) -> bool:
        since = self.started_at or self.requested_at
        return self.is_under_way and since is not None and timezone.now() - since > STALLED_AFTER

    @property
    def collection_end(self) -> date | None:
        """31 March of the collection year, for the DfE returns."""
        if self.kind == self.Kind.ANNEX_A or not self.year:
            return None
        return collection_period(self.year)[1]

    @property
    def is_provisional(self) -> bool:
        """Made before its collection year ended: the record as it stood then, not the year's return."""
        end = self.collection_end
        made = self.requested_at or timezone.now()
        return end is not None and timezone.localdate(made) <= end

    @property
    def has_file(self) -> bool:
        return self.action == self.Action.EXPORT and self.status == self.Status.DONE and bool(self.output_name)

    @property
    def can_be_submitted(self) -> bool:
        """Only a finished export made after its year ended can be the one sent to DfE."""
        return self.has_file and self.kind in (self.Kind.CIN, self.Kind.SSDA903) and not self.is_provisional


class ReturnFinding(models.Model):
    """One breach of a DfE rule (or of the schema, or of Annex A's headers and labels) found by a run."""

    class Severity(models.TextChoices):
        ERROR = "error", "Error"
        QUERY = "query", "Query"

    local_authority = models.ForeignKey("tenancy.LocalAuthority", on_delete=models.PROTECT, related_name="+")
    run = models.ForeignKey(ReturnRun, on_delete=models.PROTECT, related_name="findings")
    rule = models.CharField(max_length=20)
    severity = models.CharField(max_length=5, choices=Severity.choices)
    message = models.TextField()
    # The LA child identifier in the return (the Hearth ID); blank for a finding about the whole return.
    child = models.CharField(max_length=20, blank=True)
    person = models.ForeignKey("people.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    table = models.CharField(max_length=40, blank=True)
    fields = models.CharField(max_length=300, blank=True)  # comma-separated, as the rule list names them
    value = models.CharField(max_length=200, blank=True)
    location = models.CharField(max_length=300, blank=True)
    fix_url = models.CharField(max_length=300, blank=True)
    # Who held the child when the run was made, so a team manager sees their team's findings.
    team = models.ForeignKey("accounts.Team", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    worker = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+")

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(fields=["run", "severity", "rule"]),
            models.Index(fields=["run", "team"]),
        ]

    def __str__(self) -> str:
        return f"{self.rule} {self.child}".strip()

    @property
    def field_list(self) -> list[str]:
        return [f for f in self.fields.split(", ") if f]

    @property
    def field_words(self) -> list[str]:
        """"LS" -> "Legal status (LS)", for the findings table."""
        return fields_in_words(self.field_list)

    @property
    def table_words(self) -> str:
        # The CIN census's Header is the file's own header, not a child's details as in the SSDA903.
        if self.table == "Header" and not self.child:
            return "The return as a whole"
        return table_in_words(self.table)
