"""Care leavers: pathway needs assessments, pathway plans and reviews, keeping in touch, accommodation,
activity and staying put (Children Act 1989 ss23A-24D; Care Leavers (England) Regulations 2010).

A young person's care-leaver status (eligible, relevant, former relevant, qualifying) is not stored: it
is computed from the care history by ``hearth.care_leavers.status``. Only the facts a worker must judge
are recorded, as ``StatusDecision`` rows (in custody on the 16th birthday, living back home for six
months, no longer wanting a personal adviser after 21).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from hearth.audit.models import AuditedModel
from hearth.care.codes import AccommodationType, Activity, InTouch


class StatusDecision(AuditedModel):
    """A judgement that the care history alone cannot show; it applies from ``effective_on`` until withdrawn."""

    class Kind(models.TextChoices):
        DETAINED_ON_16TH_BIRTHDAY = (
            "detained_at_16",
            "In custody or in hospital on their 16th birthday, looked after immediately before",
        )
        RETURNED_HOME = (
            "returned_home",
            "Has lived with a parent or someone with parental responsibility for 6 months or more",
        )
        DECLINED_SUPPORT = "declined_support", "Aged 21 or over and no longer wants support from a personal adviser"

    local_authority = models.ForeignKey("tenancy.LocalAuthority", on_delete=models.PROTECT, related_name="+")
    child = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="care_leaver_decisions")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    effective_on = models.DateField()
    reason = models.TextField()
    # Withdrawn (the young person asked for support again, the return home broke down): never deleted.
    ended_on = models.DateField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["effective_on", "id"]
        indexes = [models.Index(fields=["child", "kind"])]
        constraints = [
            models.UniqueConstraint(
                fields=["child", "kind"], condition=Q(ended_on__isnull=True), name="one_current_decision_per_kind"
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gt=models.F("effective_on")),
                name="status_decision_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} from {self.effective_on:%d %b %Y}"


class PathwayNeedsAssessment(AuditedModel):
    """The needs assessment a pathway plan is built on (CPPCR 2010 reg 42), due 3 months after the 16th
    birthday or becoming eligible."""

    local_authority = models.ForeignKey("tenancy.LocalAuthority", on_delete=models.PROTECT, related_name="+")
    child = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="pathway_needs_assessments")
    completed_on = models.DateField()
    summary = models.TextField(blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-completed_on", "-id"]
        indexes = [models.Index(fields=["child", "completed_on"])]

    def __str__(self) -> str:
        return f"Pathway needs assessment completed {self.completed_on:%d %b %Y}"


class PathwayPlan(AuditedModel):
    """A young person's pathway plan; its start counts as the first review, then reviews at most 6 months apart."""

    class EndReason(models.TextChoices):
        REPLACED = "replaced", "Replaced by a new pathway plan"
        SUPPORT_ENDED = "support_ended", "Leaving care support ended"
        NO_LONGER_CARE_LEAVER = "no_longer", "No longer a care leaver"
        MOVED_AWAY = "moved_away", "Moved to another council"
        DIED = "died", "The young person died"
        OTHER = "other", "Other"

    # The parts of the plan (domain.md §4): field name -> heading.
    SECTIONS: tuple[tuple[str, str], ...] = (
        ("accommodation", "Accommodation"),
        ("education_employment", "Education, training and employment"),
        ("health", "Health and wellbeing"),
        ("money", "Money and practical skills"),
        ("relationships", "Family and relationships"),
        ("support", "Support offered and contingency plan"),
    )

    local_authority = models.ForeignKey("tenancy.LocalAuthority", on_delete=models.PROTECT, related_name="+")
    child = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="pathway_plans")
    started_on = models.DateField()
    accommodation = models.TextField(blank=True)
    education_employment = models.TextField(blank=True)
    health = models.TextField(blank=True)
    money = models.TextField(blank=True)
    relationships = models.TextField(blank=True)
    support = models.TextField(blank=True)
    # The young person's own keeping-in-touch interval, agreed in the plan (else the council's default).
    contact_interval_weeks = models.PositiveSmallIntegerField(null=True, blank=True)
    ended_on = models.DateField(null=True, blank=True)
    end_reason = models.CharField(max_length=20, choices=EndReason.choices, blank=True)

    class Meta:
        ordering = ["-started_on", "-id"]
        indexes = [models.Index(fields=["child", "started_on"])]
        constraints = [
            models.UniqueConstraint(
                fields=["child"], condition=Q(ended_on__isnull=True), name="one_open_pathway_plan_per_child"
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="pathway_plan_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(contact_interval_weeks__isnull=True)
                | (Q(contact_interval_weeks__gte=1) & Q(contact_interval_weeks__lte=26)),
                name="pathway_plan_contact_interval_1_to_26_weeks",
            ),
        ]

    def __str__(self) -> str:
        return f"Pathway plan from {self.started_on:%d %b %Y}"

    @property
    def is_open(self) -> bool:
        return self.ended_on is None


class PathwayPlanReview(AuditedModel):
    local_authority = models.ForeignKey("tenancy.LocalAuthority", on_delete=models.PROTECT, related_name="+")
    child = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="pathway_plan_reviews")
    plan = models.ForeignKey(PathwayPlan, on_delete=models.PROTECT, related_name="reviews")
    held_on = models.DateField()
    young_person_took_part = models.BooleanField(null=True, blank=True)
    summary = models.TextField(blank=True)

    class Meta:
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["plan", "held_on"])]

    def __str__(self) -> str:
        return f"Pathway plan review {self.held_on:%d %b %Y}"


class CareLeaverContact(AuditedModel):
    """A keeping-in-touch contact (or attempt) with a young person who has left care, with the OC3 in-touch code."""

    class Method(models.TextChoices):
        IN_PERSON = "in_person", "Face to face"
        PHONE = "phone", "Phone call"
        VIDEO = "video", "Video call"
        MESSAGE = "message", "Text or message"
        EMAIL = "email", "Email"
        LETTER = "letter", "Letter"
        THIRD_PARTY = "third_party", "Through someone else (a carer, a partner agency)"

    local_authority = models.ForeignKey("tenancy.LocalAuthority", on_delete=models.PROTECT, related_name="+")
    child = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="care_leaver_contacts")
    contacted_on = models.DateField()
    method = models.CharField(max_length=20, choices=Method.choices)
    in_touch = models.CharField(max_length=4, choices=InTouch.choices)
    contacted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["-contacted_on", "-id"]
        indexes = [
            models.Index(fields=["child", "contacted_on"]),
            models.Index(fields=["local_authority", "contacted_on"]),
        ]

    def __str__(self) -> str:
        return f"Contact {self.contacted_on:%d %b %Y}: {self.in_touch}"


class CareLeaverAccommodation(AuditedModel):
    """Where the young person lives from ``started_on`` until the next entry (OC3 ACCOM and its suitability)."""

    local_authority = models.ForeignKey("tenancy.LocalAuthority", on_delete=models.PROTECT, related_name="+")
    child = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="care_leaver_accommodation")
    started_on = models.DateField()
    accommodation = models.CharField(max_length=1, choices=AccommodationType.choices)
    suitable = models.BooleanField()
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["-started_on", "-id"]
        indexes = [models.Index(fields=["child", "started_on"])]
        constraints = [
            models.UniqueConstraint(fields=["child", "started_on"], name="one_accommodation_entry_per_day"),
        ]

    def __str__(self) -> str:
        return f"{self.accommodation}{'1' if self.suitable else '2'} from {self.started_on:%d %b %Y}"

    @property
    def oc3_code(self) -> str:
        return f"{self.accommodation}{'1' if self.suitable else '2'}"


class CareLeaverActivity(AuditedModel):
    """What the young person does from ``started_on`` until the next entry (OC3 ACTIV)."""

    local_authority = models.ForeignKey("tenancy.LocalAuthority", on_delete=models.PROTECT, related_name="+")
    child = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="care_leaver_activities")
    started_on = models.DateField()
    activity = models.CharField(max_length=2, choices=Activity.choices)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["-started_on", "-id"]
        indexes = [models.Index(fields=["child", "started_on"])]
        constraints = [
            models.UniqueConstraint(fields=["child", "started_on"], name="one_activity_entry_per_day"),
        ]

    def __str__(self) -> str:
        return f"{self.activity} from {self.started_on:%d %b %Y}"


class StayingPut(AuditedModel):
    """Living on with former foster carers from 18 (Children Act 1989 s23CZ), to 21 at most."""

    local_authority = models.ForeignKey("tenancy.LocalAuthority", on_delete=models.PROTECT, related_name="+")
    child = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="staying_put")
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    carer_name = models.CharField(max_length=200)
    foster_household = models.ForeignKey(
        "fostering.FosterHousehold", null=True, blank=True, on_delete=models.PROTECT, related_name="staying_put"
    )
    end_reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-started_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["child"], condition=Q(ended_on__isnull=True), name="one_open_staying_put_per_child"
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gt=models.F("started_on")),
                name="staying_put_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"Staying put from {self.started_on:%d %b %Y}"

    @property
    def is_open(self) -> bool:
        return self.ended_on is None
