"""The children's services budget: lines per service area and financial year, month-end actuals and forecast
outturn, reserves (with every drawdown) and grants (with where each is allocated and on what conditions),
placement unit costs and the assumptions behind the demand projection.

Money is held in pounds with pence (Decimal). A financial year is named by the calendar year it starts in:
2026 is 1 April 2026 to 31 March 2027.
"""

from __future__ import annotations

from typing import Any

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from hearth.audit.models import AuditedModel

MONEY: dict[str, Any] = {"max_digits": 14, "decimal_places": 2}


class ServiceArea(AuditedModel):
    local_authority = models.ForeignKey("tenancy.LocalAuthority", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=100)
    # The council's cost centre code, as in its ledger.
    code = models.CharField(max_length=20)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["local_authority", "code"], name="service_area_code_unique_per_la"),
        ]

    def __str__(self) -> str:
        return self.name


class BudgetLine(AuditedModel):
    """The approved budget for one service area in one financial year."""

    local_authority = models.ForeignKey("tenancy.LocalAuthority", on_delete=models.PROTECT, related_name="+")
    service_area = models.ForeignKey(ServiceArea, on_delete=models.PROTECT, related_name="budget_lines")
    financial_year = models.PositiveSmallIntegerField(validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    budget = models.DecimalField(**MONEY)

    class Meta:
        ordering = ["financial_year", "service_area__order"]
        constraints = [
            models.UniqueConstraint(fields=["service_area", "financial_year"], name="one_budget_line_per_area_year"),
        ]


class MonthlyFinance(AuditedModel):
    """One month's close for a budget line: what was spent in the month and the forecast for the whole year as
    it stood then. ``month`` is the first day of the month."""

    local_authority = models.ForeignKey("tenancy.LocalAuthority", on_delete=models.PROTECT, related_name="+")
    budget_line = models.ForeignKey(BudgetLine, on_delete=models.PROTECT, related_name="months")
    month = models.DateField()
    actual = models.DecimalField("Spent in the month", **MONEY)
    forecast_outturn = models.DecimalField("Forecast outturn for the year", **MONEY)
    commentary = models.TextField(blank=True)

    class Meta:
        ordering = ["budget_line_id", "month"]
        constraints = [models.UniqueConstraint(fields=["budget_line", "month"], name="one_close_per_line_month")]


class Reserve(AuditedModel):
    """An earmarked reserve (e.g. "Children's services improvement reserve"); its balance is the opening
    balance plus every movement since."""

    local_authority = models.ForeignKey("tenancy.LocalAuthority", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=150)
    purpose = models.TextField(blank=True)
    opening_balance = models.DecimalField(**MONEY)
    opened_on = models.DateField()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ReserveMovement(AuditedModel):
    """Money into a reserve (positive) or a drawdown from it (negative)."""

    local_authority = models.ForeignKey("tenancy.LocalAuthority", on_delete=models.PROTECT, related_name="+")
    reserve = models.ForeignKey(Reserve, on_delete=models.PROTECT, related_name="movements")
    moved_on = models.DateField()
    amount = models.DecimalField(**MONEY)
    purpose = models.CharField(max_length=250)
    service_area = models.ForeignKey(ServiceArea, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["reserve_id", "moved_on", "id"]


class Grant(AuditedModel):
    """Money from outside the council (e.g. a DfE improvement grant) for a period, on conditions."""

    local_authority = models.ForeignKey("tenancy.LocalAuthority", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=150)
    funder = models.CharField(max_length=150)
    reference = models.CharField(max_length=50, blank=True)
    amount = models.DecimalField(**MONEY)
    starts_on = models.DateField()
    ends_on = models.DateField()
    conditions = models.TextField(blank=True, help_text="What the money may be spent on and what must be reported")
    reporting_due_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-starts_on", "name"]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_on__gte=models.F("starts_on")),
                                   name="grant_ends_after_start"),
        ]

    def __str__(self) -> str:
        return self.name


class GrantAllocation(AuditedModel):
    """Part of a grant set aside for one spend area, and what has been spent against it."""

    local_authority = models.ForeignKey("tenancy.LocalAuthority", on_delete=models.PROTECT, related_name="+")
    grant = models.ForeignKey(Grant, on_delete=models.PROTECT, related_name="allocations")
    spend_area = models.CharField(max_length=150)
    service_area = models.ForeignKey(ServiceArea, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    amount = models.DecimalField(**MONEY)
    spent_to_date = models.DecimalField(**MONEY, default=0)
    conditions = models.TextField(blank=True)

    class Meta:
        ordering = ["grant_id", "id"]


class PlacementCostBand(models.TextChoices):
    """Placement types as finance counts them (each maps from the SSDA903 placement codes; finance.projection)."""

    IN_HOUSE_FOSTERING = "in_house_fostering", "In-house foster care"
    KINSHIP = "kinship", "Family and friends (kinship) foster care"
    AGENCY_FOSTERING = "agency_fostering", "Independent fostering agency"
    IN_HOUSE_RESIDENTIAL = "in_house_residential", "Council children's home"
    EXTERNAL_RESIDENTIAL = "external_residential", "External residential care"
    SUPPORTED_ACCOMMODATION = "supported_accommodation", "Supported accommodation (16+)"
    PLACED_WITH_PARENTS = "placed_with_parents", "Placed with parents"
    SECURE_AND_OTHER = "secure_and_other", "Secure, health and other placements"


class PlacementUnitCost(AuditedModel):
    """The average weekly cost of one child in one kind of placement, in one financial year."""

    local_authority = models.ForeignKey("tenancy.LocalAuthority", on_delete=models.PROTECT, related_name="+")
    band = models.CharField(max_length=30, choices=PlacementCostBand.choices)
    financial_year = models.PositiveSmallIntegerField(validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    weekly_cost = models.DecimalField(max_digits=10, decimal_places=2, validators=[MinValueValidator(0)])

    class Meta:
        ordering = ["financial_year", "band"]
        constraints = [models.UniqueConstraint(fields=["local_authority", "band", "financial_year"],
                                               name="one_unit_cost_per_band_year")]


class ProjectionAssumption(AuditedModel):
    """The editable assumptions behind the four-year demand projection, one row per placement band."""

    local_authority = models.ForeignKey("tenancy.LocalAuthority", on_delete=models.PROTECT, related_name="+")
    band = models.CharField(max_length=30, choices=PlacementCostBand.choices)
    # Yearly change in the number of children in this kind of placement, in percent (-5.0 = 5% fewer a year).
    annual_demand_change_percent = models.DecimalField(max_digits=5, decimal_places=2,
                                                       validators=[MinValueValidator(-100), MaxValueValidator(100)])
    # Yearly rise in the weekly cost, in percent (inflation, market pressure).
    annual_cost_change_percent = models.DecimalField(max_digits=5, decimal_places=2,
                                                     validators=[MinValueValidator(-100), MaxValueValidator(100)])
    rationale = models.TextField(blank=True)

    class Meta:
        ordering = ["band"]
        constraints = [models.UniqueConstraint(fields=["local_authority", "band"],
                                               name="one_projection_assumption_per_band")]
