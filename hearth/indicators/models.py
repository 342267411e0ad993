"""Performance indicators: the council's child population, DfE's published benchmarks, targets and
frozen month-end snapshots.

The indicators themselves are code (``hearth.indicators.definitions``), computed from the live record;
only what cannot be recomputed is stored here.
"""

from __future__ import annotations

from django.db import models

from hearth.audit.models import AuditedModel


class ChildPopulation(models.Model):
    """The ONS mid-year estimate of the council's children aged 0 to 17, the denominator of every rate
    per 10,000. DfE uses the mid-(Y-1) estimate for the year ending 31 March Y."""

    local_authority = models.ForeignKey("tenancy.LocalAuthority", on_delete=models.PROTECT, related_name="+")
    mid_year = models.PositiveSmallIntegerField()
    population = models.PositiveIntegerField()
    source = models.CharField(max_length=200, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["local_authority", "mid_year"], name="one_population_a_year")]

    def __str__(self) -> str:
        return f"{self.population:,} children aged 0-17, mid-{self.mid_year}"


class BenchmarkFigure(models.Model):
    """One published DfE figure for one area and year (LAIT or Explore Education Statistics).

    National reference data, like the bank-holiday calendar: the same for every council, so it carries no
    local authority. ``published`` keeps the text exactly as DfE published it (``c`` when suppressed), and
    ``value`` is None when it is not a number.
    """

    class AreaKind(models.TextChoices):
        LA = "la", "Local authority"
        REGION = "region", "Region"
        ENGLAND = "england", "England"

    measure = models.CharField(max_length=60)  # LAIT ``Short Desc`` (or an EES-derived code, see benchmarks.py)
    year = models.PositiveSmallIntegerField()  # year ending 31 March (30 September for the workforce census)
    area_kind = models.CharField(max_length=10, choices=AreaKind.choices)
    area_code = models.CharField(max_length=12)  # old LA code ("892"), or the ONS code of a region / England
    area_name = models.CharField(max_length=80)
    region = models.CharField(max_length=40, blank=True)  # an LA's region, as LAIT names it
    value = models.FloatField(null=True, blank=True)
    published = models.CharField(max_length=30, blank=True)
    source = models.CharField(max_length=120)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["measure", "year", "area_kind", "area_code"], name="one_figure_per_area")
        ]
        indexes = [models.Index(fields=["measure", "year"])]

    def __str__(self) -> str:
        return f"{self.measure} {self.year} {self.area_name}: {self.published}"


class StatisticalNeighbour(models.Model):
    """One of a council's ten statistical neighbours under one of DfE's models (2021 or 2025). National
    reference data, keyed by DfE's old LA codes."""

    model_year = models.PositiveSmallIntegerField()
    la_code = models.CharField(max_length=12)
    la_name = models.CharField(max_length=80)
    rank = models.PositiveSmallIntegerField()  # 1 = nearest
    neighbour_code = models.CharField(max_length=12)
    neighbour_name = models.CharField(max_length=80)
    closeness = models.CharField(max_length=30, blank=True)

    class Meta:
        ordering = ["model_year", "la_code", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["model_year", "la_code", "rank"], name="one_neighbour_per_rank")
        ]

    def __str__(self) -> str:
        return f"{self.la_name} ({self.model_year} model) #{self.rank}: {self.neighbour_name}"


class IndicatorTarget(AuditedModel):
    """The council's target for one indicator; its history is the audit trail of this row."""

    local_authority = models.ForeignKey("tenancy.LocalAuthority", on_delete=models.PROTECT, related_name="+")
    indicator = models.CharField(max_length=40)  # an indicator code from the registry
    value = models.FloatField()
    rationale = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["local_authority", "indicator"], name="one_target_per_indicator")
        ]

    def __str__(self) -> str:
        return f"Target for {self.indicator}: {self.value}"


class IndicatorSnapshot(models.Model):
    """An indicator as it was reported at a month end, frozen: never edited, never deleted.

    ``members`` keeps the records counted (``{"numerator": [[key, child_id, team_id, amount], ...],
    "denominator": [...]}``), so the figure as reported can be set beside the figure now and the difference
    explained record by record. Pages that do not explain differences defer it.
    """

    local_authority = models.ForeignKey("tenancy.LocalAuthority", on_delete=models.PROTECT, related_name="+")
    indicator = models.CharField(max_length=40)
    month_end = models.DateField()
    period_start = models.DateField()
    period_end = models.DateField()
    numerator = models.FloatField()
    denominator = models.FloatField(null=True, blank=True)
    value = models.FloatField(null=True, blank=True)
    frozen_at = models.DateTimeField()
    frozen_by = models.CharField(max_length=80)  # the job or person that froze it
    members = models.JSONField(default=dict)

    class Meta:
        ordering = ["indicator", "month_end"]
        constraints = [
            models.UniqueConstraint(fields=["local_authority", "indicator", "month_end"],
                                    name="one_snapshot_per_month")
        ]
        indexes = [models.Index(fields=["local_authority", "month_end"])]

    def __str__(self) -> str:
        return f"{self.indicator} at {self.month_end:%d %b %Y}: {self.value}"
