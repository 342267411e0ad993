"""Children in care: periods of care, legal statuses and placements.

The SSDA903 episode is not stored: it is derived by cutting a period of care at every change
of legal status or placement (returns.md §A.3; see ``hearth.care.episodes``), so nobody keys
episodes by hand and the return can never disagree with the record.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from hearth.audit.models import AuditedModel

from .codes import (
    AdopterLegalStatus,
    AdopterSex,
    CategoryOfNeed,
    LegalStatus,
    PlacementProvider,
    PlacementType,
    PreviousPermanence,
    ReasonEpisodeCeased,
    ReasonPlacedCeased,
    ReasonPlacementChange,
)


class PeriodOfCare(AuditedModel):
    """From the day a child starts to be looked after to the day they stop (one open per child)."""

    local_authority = models.ForeignKey("tenancy.LocalAuthority", on_delete=models.PROTECT, related_name="+")
    child = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="periods_of_care")
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    category_of_need = models.CharField(max_length=2, choices=CategoryOfNeed.choices)
    # REC of the last episode: a real leaving reason, never X1.
    reason_ceased = models.CharField(max_length=3, choices=ReasonEpisodeCeased.choices, blank=True)
    # HOME_POST: the child's home postcode when the period began.
    home_postcode = models.CharField(max_length=8, blank=True)
    previous_permanence = models.CharField(max_length=2, choices=PreviousPermanence.choices, blank=True)
    previous_permanence_la = models.CharField(
        max_length=3, blank=True, help_text="LA code, NIR, SCO, WAL, NUK or 999 (not known)"
    )
    previous_permanence_on = models.DateField(null=True, blank=True)
    team = models.ForeignKey("accounts.Team", null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-started_on", "-id"]
        indexes = [
            models.Index(fields=["local_authority", "ended_on"]),
            models.Index(fields=["child", "started_on"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["child"], condition=Q(ended_on__isnull=True), name="one_open_period_of_care_per_child"
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gt=models.F("started_on")),
                name="period_of_care_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | (~Q(reason_ceased="") & ~Q(reason_ceased="X1")),
                name="period_of_care_ended_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"Period of care from {self.started_on:%d %b %Y}"

    @property
    def is_open(self) -> bool:
        return self.ended_on is None


class CareLegalStatus(AuditedModel):
    """One legal status (LS) within a period of care; the next one starting ends it."""

    local_authority = models.ForeignKey("tenancy.LocalAuthority", on_delete=models.PROTECT, related_name="+")
    child = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="care_legal_statuses")
    period = models.ForeignKey(PeriodOfCare, on_delete=models.PROTECT, related_name="legal_statuses")
    legal_status = models.CharField(max_length=2, choices=LegalStatus.choices)
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    # Court and order details kept beside the code, for the worker not the return.
    court = models.CharField(max_length=200, blank=True)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["started_on", "id"]
        indexes = [models.Index(fields=["period", "started_on"])]
        constraints = [
            models.UniqueConstraint(
                fields=["period"], condition=Q(ended_on__isnull=True), name="one_current_legal_status_per_period"
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gt=models.F("started_on")),
                name="legal_status_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.legal_status} from {self.started_on:%d %b %Y}"


class Placement(AuditedModel):
    """Where the child lives while looked after (PLACE, PLACE_PROVIDER, URN, PL_POST)."""

    local_authority = models.ForeignKey("tenancy.LocalAuthority", on_delete=models.PROTECT, related_name="+")
    child = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="placements")
    period = models.ForeignKey(PeriodOfCare, on_delete=models.PROTECT, related_name="placements")
    placement_type = models.CharField(max_length=3, choices=PlacementType.choices)
    provider = models.CharField(max_length=3, choices=PlacementProvider.choices, blank=True)
    foster_household = models.ForeignKey(
        "fostering.FosterHousehold", null=True, blank=True, on_delete=models.PROTECT, related_name="placements"
    )
    carer_name = models.CharField(max_length=200, blank=True, help_text="Carer, home or provider name")
    # True when the carer stays the same across a change of placement record (RNE T or U).
    same_carer_as_previous = models.BooleanField(default=False)
    urn = models.CharField(max_length=8, blank=True, help_text="Ofsted unique reference number")
    postcode = models.CharField(max_length=8, blank=True)
    distance_miles = models.DecimalField(max_digits=6, decimal_places=1, null=True, blank=True)
    # Intended to last until the child is 18: visits may then be 3-monthly after the first year.
    is_long_term = models.BooleanField(default=False)
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    # Why THIS placement ended while the child stayed in care (REASON_PLACE_CHANGE of the episode it ended).
    reason_for_change = models.CharField(max_length=6, choices=ReasonPlacementChange.choices, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["started_on", "id"]
        indexes = [
            models.Index(fields=["period", "started_on"]),
            models.Index(fields=["local_authority", "ended_on"]),
            models.Index(fields=["foster_household", "ended_on"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["period"], condition=Q(ended_on__isnull=True), name="one_current_placement_per_period"
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gt=models.F("started_on")),
                name="placement_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.placement_type} from {self.started_on:%d %b %Y}"


class AdoptionPlan(AuditedModel):
    """The steps to adoption for one decision that a child should be placed for adoption.

    One open at a time per period (rule 579): a reversed decision (RD1 to RD4) or an adoption
    order closes it. Feeds PlacedAdoption (DATE_PLACED, DATE_PLACED_CEASED, REASON_PLACED_CEASED)
    and AD1 (DATE_INT, DATE_MATCH, FOSTER_CARE, NB_ADOPTR, SEX_ADOPTR, LS_ADOPTR).
    """

    local_authority = models.ForeignKey("tenancy.LocalAuthority", on_delete=models.PROTECT, related_name="+")
    child = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="adoption_plans")
    period = models.ForeignKey(PeriodOfCare, on_delete=models.PROTECT, related_name="adoption_plans")
    # DATE_PLACED and DATE_INT: the decision that the child should be placed for adoption (rule 523: the same day).
    decided_on = models.DateField()
    placement_order_on = models.DateField(null=True, blank=True)
    fostering_for_adoption_on = models.DateField(null=True, blank=True)
    matched_on = models.DateField(null=True, blank=True)
    placed_on = models.DateField(null=True, blank=True)
    adoption_order_on = models.DateField(null=True, blank=True)
    reversed_on = models.DateField(null=True, blank=True)
    reversal_reason = models.CharField(max_length=3, choices=ReasonPlacedCeased.choices, blank=True)
    adopted_by_foster_carer = models.BooleanField(null=True, blank=True)
    number_of_adopters = models.PositiveSmallIntegerField(null=True, blank=True)
    adopter_sex = models.CharField(max_length=2, choices=AdopterSex.choices, blank=True)
    adopter_legal_status = models.CharField(max_length=3, choices=AdopterLegalStatus.choices, blank=True)

    class Meta:
        ordering = ["-decided_on", "-id"]
        indexes = [
            models.Index(fields=["period", "decided_on"]),
            models.Index(fields=["local_authority", "decided_on"]),
        ]

    def __str__(self) -> str:
        return f"Decision to place for adoption of {self.decided_on:%d %b %Y}"

    @property
    def is_active(self) -> bool:
        return self.reversed_on is None and self.adoption_order_on is None


class DeprivationOfLibertyOrder(AuditedModel):
    """A deprivation of liberty order while looked after (903 DoLo table, 2026/27; rules 700 to 710)."""

    local_authority = models.ForeignKey("tenancy.LocalAuthority", on_delete=models.PROTECT, related_name="+")
    child = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="deprivation_of_liberty_orders")
    period = models.ForeignKey(PeriodOfCare, on_delete=models.PROTECT, related_name="deprivation_of_liberty_orders")
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    court = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["started_on", "id"]
        indexes = [models.Index(fields=["period", "started_on"])]
        constraints = [
            models.UniqueConstraint(fields=["period"], condition=Q(ended_on__isnull=True),
                                    name="one_open_dolo_per_period"),
            models.CheckConstraint(condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                                   name="dolo_ends_on_or_after_start"),
        ]

    def __str__(self) -> str:
        return f"Deprivation of liberty order from {self.started_on:%d %b %Y}"
