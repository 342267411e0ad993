"""Care plans, reviews, visits, health and education for children in care, and OC2 outcomes.

Everything hangs off a period of care (``care.PeriodOfCare``) and carries the child and the
council, so every query can be scoped by them. Nothing is deleted: a changed care plan is a
new version beside the old one, and the clocks these records stop live in ``hearth.clocks``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from hearth.audit.models import AuditedModel
from hearth.care.codes import PermanencePlan, ReviewParticipation, SDQReason


class CarePlan(AuditedModel):
    """One version of a period's care plan. A change adds a version; the earlier ones stay."""

    local_authority = models.ForeignKey("tenancy.LocalAuthority", on_delete=models.PROTECT, related_name="+")
    child = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="care_plans")
    period = models.ForeignKey("care.PeriodOfCare", on_delete=models.PROTECT, related_name="care_plans")
    number = models.PositiveSmallIntegerField(help_text="1 for the first plan, then one more for each change")
    permanence_plan = models.CharField(max_length=30, choices=PermanencePlan.choices)
    summary = models.TextField(help_text="Why the child is looked after and the plan for their future")
    needs = models.TextField(blank=True, help_text="The child's needs and how they will be met")
    agreed_on = models.DateField()
    # Set when a later version replaces this one.
    is_current = models.BooleanField(default=True)
    replaced_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["period", "number"], name="care_plan_number_unique_in_period"),
            models.UniqueConstraint(
                fields=["period"], condition=Q(is_current=True), name="one_current_care_plan_per_period"
            ),
        ]

    def __str__(self) -> str:
        return f"Care plan version {self.number}, agreed {self.agreed_on:%d %b %Y}"


class PlacementPlan(AuditedModel):
    """The day-to-day arrangements agreed with the carer for one placement (CPPCR reg 9)."""

    local_authority = models.ForeignKey("tenancy.LocalAuthority", on_delete=models.PROTECT, related_name="+")
    child = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="placement_plans")
    placement = models.ForeignKey("care.Placement", on_delete=models.PROTECT, related_name="placement_plans")
    agreed_on = models.DateField()
    summary = models.TextField()

    class Meta:
        ordering = ["-agreed_on", "-id"]


class LookedAfterReview(AuditedModel):
    """A review chaired by the IRO (CPPCR reg 33); the 903 Reviews table lists the statutory ones."""

    local_authority = models.ForeignKey("tenancy.LocalAuthority", on_delete=models.PROTECT, related_name="+")
    child = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="looked_after_reviews")
    period = models.ForeignKey("care.PeriodOfCare", on_delete=models.PROTECT, related_name="reviews")
    held_on = models.DateField()
    chair = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    participation = models.CharField(max_length=3, choices=ReviewParticipation.choices)
    recommendations = models.TextField(blank=True)
    statutory = models.BooleanField(default=True)

    class Meta:
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["period", "held_on"]), models.Index(fields=["child", "held_on"])]


class CareVisit(AuditedModel):
    """A statutory social work visit (CPPCR reg 28). Only a visit where the child was seen counts."""

    local_authority = models.ForeignKey("tenancy.LocalAuthority", on_delete=models.PROTECT, related_name="+")
    child = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="care_visits")
    period = models.ForeignKey("care.PeriodOfCare", on_delete=models.PROTECT, related_name="visits")
    # Where the child was placed on the day of the visit.
    placement = models.ForeignKey(
        "care.Placement", null=True, blank=True, on_delete=models.PROTECT, related_name="visits"
    )
    visited_on = models.DateField()
    seen = models.BooleanField()
    seen_alone = models.BooleanField(default=False)
    visited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    notes = models.TextField(blank=True, help_text="What you saw, and the child's wishes and feelings")

    class Meta:
        ordering = ["-visited_on", "-id"]
        indexes = [models.Index(fields=["period", "visited_on"]), models.Index(fields=["child", "visited_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(seen=True) | Q(seen_alone=False), name="care_visit_seen_alone_needs_seen"
            ),
        ]


class HealthAssessment(AuditedModel):
    class Kind(models.TextChoices):
        INITIAL = "initial", "Initial health assessment"
        REVIEW = "review", "Review health assessment"

    local_authority = models.ForeignKey("tenancy.LocalAuthority", on_delete=models.PROTECT, related_name="+")
    child = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="health_assessments")
    period = models.ForeignKey("care.PeriodOfCare", on_delete=models.PROTECT, related_name="health_assessments")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    done_on = models.DateField()
    done_by = models.CharField(max_length=200, blank=True, help_text="Doctor or nurse, and their service")
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["-done_on", "-id"]
        indexes = [models.Index(fields=["child", "done_on"])]


class DentalCheck(AuditedModel):
    local_authority = models.ForeignKey("tenancy.LocalAuthority", on_delete=models.PROTECT, related_name="+")
    child = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="dental_checks")
    period = models.ForeignKey("care.PeriodOfCare", on_delete=models.PROTECT, related_name="dental_checks")
    checked_on = models.DateField()
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["-checked_on", "-id"]
        indexes = [models.Index(fields=["child", "checked_on"])]


class ImmunisationCheck(AuditedModel):
    local_authority = models.ForeignKey("tenancy.LocalAuthority", on_delete=models.PROTECT, related_name="+")
    child = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="immunisation_checks")
    period = models.ForeignKey("care.PeriodOfCare", on_delete=models.PROTECT, related_name="immunisation_checks")
    checked_on = models.DateField()
    up_to_date = models.BooleanField()
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["-checked_on", "-id"]
        indexes = [models.Index(fields=["child", "checked_on"])]


class SDQScore(AuditedModel):
    """A strengths and difficulties questionnaire: a score from 0 to 40, or the reason there is none."""

    local_authority = models.ForeignKey("tenancy.LocalAuthority", on_delete=models.PROTECT, related_name="+")
    child = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="sdq_scores")
    period = models.ForeignKey("care.PeriodOfCare", on_delete=models.PROTECT, related_name="sdq_scores")
    completed_on = models.DateField()
    score = models.PositiveSmallIntegerField(null=True, blank=True)
    reason = models.CharField(max_length=4, choices=SDQReason.choices, blank=True)

    class Meta:
        ordering = ["-completed_on", "-id"]
        indexes = [models.Index(fields=["child", "completed_on"])]
        constraints = [
            # Exactly one of a score and a reason for no score (903 rules 180, 196, 197a).
            models.CheckConstraint(
                condition=(Q(score__isnull=False) & Q(reason="")) | (Q(score__isnull=True) & ~Q(reason="")),
                name="sdq_score_or_reason",
            ),
            models.CheckConstraint(condition=Q(score__isnull=True) | Q(score__lte=40), name="sdq_score_0_to_40"),
        ]


class PersonalEducationPlan(AuditedModel):
    class Kind(models.TextChoices):
        INITIAL = "initial", "Initial personal education plan"
        REVIEW = "review", "PEP review"

    local_authority = models.ForeignKey("tenancy.LocalAuthority", on_delete=models.PROTECT, related_name="+")
    child = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="personal_education_plans")
    period = models.ForeignKey(
        "care.PeriodOfCare", on_delete=models.PROTECT, related_name="personal_education_plans"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    held_on = models.DateField()
    school = models.CharField(max_length=200)
    designated_teacher = models.CharField(max_length=200, blank=True)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["child", "held_on"])]


class OC2Outcome(AuditedModel):
    """The OC2 items nobody can derive from other records, for one child and one collection year.

    ``year`` is the year the collection ends: 2026 is 1 April 2025 to 31 March 2026. The health,
    dental, immunisation and SDQ items are derived (see ``selectors.oc2_for``), never typed here.
    """

    local_authority = models.ForeignKey("tenancy.LocalAuthority", on_delete=models.PROTECT, related_name="+")
    child = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="oc2_outcomes")
    year = models.PositiveSmallIntegerField()
    convicted = models.BooleanField(help_text="Convicted or given a final warning or reprimand in the year")
    substance_misuse = models.BooleanField(help_text="A substance misuse problem was identified in the year")
    intervention_received = models.BooleanField(null=True, blank=True)
    intervention_offered = models.BooleanField(null=True, blank=True, help_text="Offered but refused")

    class Meta:
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["child", "year"], name="one_oc2_outcome_per_child_year"),
            # 903 rules 192/193: the intervention items follow a substance misuse problem, and only then.
            models.CheckConstraint(
                condition=(Q(substance_misuse=True) & Q(intervention_received__isnull=False))
                | (Q(substance_misuse=False) & Q(intervention_received__isnull=True)
                   & Q(intervention_offered__isnull=True)),
                name="oc2_intervention_follows_substance_misuse",
            ),
            # Rules 158/159: "offered" only when no intervention was received, and then always.
            models.CheckConstraint(
                condition=Q(intervention_received__isnull=True)
                | (Q(intervention_received=True) & Q(intervention_offered__isnull=True))
                | (Q(intervention_received=False) & Q(intervention_offered__isnull=False)),
                name="oc2_offered_only_when_not_received",
            ),
        ]

    def __str__(self) -> str:
        return f"OC2 outcomes {self.year - 1}/{self.year % 100:02d}"
