from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q


class LinkageRun(models.Model):
    """One batch run of probabilistic record linkage over a council's people."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Running"
        FINISHED = "finished", "Finished"
        FAILED = "failed", "Failed"

    local_authority = models.ForeignKey("tenancy.LocalAuthority", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    # The system process that ran it, when no person asked ("find_duplicates").
    requested_by_system = models.CharField(max_length=60, blank=True)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    people_compared = models.PositiveIntegerField(default=0)
    pairs_found = models.PositiveIntegerField(default=0)
    seconds = models.FloatField(null=True, blank=True)
    threshold = models.FloatField(default=0.9)
    error = models.TextField(blank=True)
    # Pairs at or above the threshold that a person had already decided, so not asked again.
    pairs_already_decided = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-started_at", "-id"]
        indexes = [models.Index(fields=["local_authority", "started_at"])]


class DuplicateCandidate(models.Model):
    """A pair of records that may be the same person, for a person to review.

    The pair is stored with the lower id on the left, so a "not the same person" decision
    is found again however the pair comes up, and never asked twice.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for review"
        NOT_DUPLICATE = "not_duplicate", "Not the same person"
        MERGED = "merged", "Merged"

    local_authority = models.ForeignKey("tenancy.LocalAuthority", on_delete=models.PROTECT, related_name="+")
    left = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    right = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    run = models.ForeignKey(LinkageRun, null=True, blank=True, on_delete=models.PROTECT, related_name="candidates")
    match_weight = models.FloatField()
    match_probability = models.FloatField()
    # field -> {"left": ..., "right": ..., "level": "exact" | "close" | "differs" | "missing",
    #           "label": the linkage level (hearth.matching.linkage.LEVELS), "weight": its match weight}
    comparison = models.JSONField(default=dict)
    status = models.CharField(max_length=15, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-match_probability", "id"]
        constraints = [
            models.UniqueConstraint(fields=["left", "right"], name="one_candidate_per_pair"),
            models.CheckConstraint(condition=Q(left__lt=F("right")), name="candidate_pair_ordered"),
        ]
        indexes = [models.Index(fields=["local_authority", "status", "match_probability"])]


class Merge(models.Model):
    """Two records made one. Every moved row is listed, so the merge can be undone exactly."""

    local_authority = models.ForeignKey("tenancy.LocalAuthority", on_delete=models.PROTECT, related_name="+")
    survivor = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    merged = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    candidate = models.ForeignKey(DuplicateCandidate, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="merges")
    reason = models.TextField(blank=True)
    # {"app_label.Model.field": [row ids moved from merged to survivor]}
    moved = models.JSONField(default=dict)
    # Fields of the survivor filled in from the merged record: {field: [before, after]}
    filled = models.JSONField(default=dict)
    # Rows changed so the two records could be one, with their values before:
    # {"allocations.Allocation": {"<id>": {"ended_on": null, "end_reason": ""}}}
    ended = models.JSONField(default=dict)
    # Rows left on the merged record because moving them would duplicate or contradict the
    # survivor's own (a relationship between the two records, a second identical permission):
    # {"app_label.Model.field": [ids]}
    left_behind = models.JSONField(default=dict)
    merged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    merged_at = models.DateTimeField(auto_now_add=True)
    undone_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")
    undone_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-merged_at", "-id"]
