"""The establishment (posts and how each is funded) and the HR record the workforce census is built from.

A post is a job the council has decided to have: it exists whether or not anyone is in it. An appointment is a
worker in a role for a stretch of time, usually in a post; a change of FTE or role ends one appointment and
starts the next, so FTE, role and "who was in post" can be recomputed for any day (the CSWW census counts at
30 September, indicators.md §5). Sickness and other absence are recorded per spell of absence.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from hearth.audit.models import AuditedModel

FTE_VALIDATORS = [MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("1.00"))]


class Post(AuditedModel):
    """One post on the establishment: a job with a grade, an FTE and a cost, in a team."""

    class Kind(models.TextChoices):
        SOCIAL_WORKER = "social_worker", "Social worker"
        SENIOR_PRACTITIONER = "senior_practitioner", "Senior practitioner"
        TEAM_MANAGER = "team_manager", "Team manager"
        SERVICE_MANAGER = "service_manager", "Service manager / head of service"
        PERSONAL_ADVISER = "personal_adviser", "Personal adviser"
        MISSING_ADVOCATE = "missing_advocate", "Missing from home advocate"
        IRO = "iro", "IRO / child protection chair"
        FAMILY_SUPPORT = "family_support", "Family support worker"
        QUALITY_ASSURANCE = "quality_assurance", "Quality assurance or improvement officer"
        BUSINESS_SUPPORT = "business_support", "Business support"
        APPRENTICE = "apprentice", "Social work apprentice"
        OTHER = "other", "Other"

    local_authority = models.ForeignKey("tenancy.LocalAuthority", on_delete=models.PROTECT, related_name="+")
    # The council's own post number, as on its HR system (e.g. "CSC-0412").
    reference = models.CharField("Post number", max_length=20)
    title = models.CharField(max_length=120)
    kind = models.CharField(max_length=30, choices=Kind.choices)
    team = models.ForeignKey("accounts.Team", null=True, blank=True, on_delete=models.PROTECT, related_name="posts")
    grade = models.CharField(max_length=30, blank=True)
    fte = models.DecimalField("FTE", max_digits=3, decimal_places=2, validators=FTE_VALIDATORS)
    # Full-year employer cost of the post at its FTE (salary, on-costs), in pounds.
    annual_cost = models.DecimalField(max_digits=10, decimal_places=2, validators=[MinValueValidator(0)])
    # A child and family social work post that needs Social Work England registration: counted in the CSWW
    # vacancy rate. Managers' posts count too; family support and business support do not.
    social_work_post = models.BooleanField(default=True)
    established_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True, help_text="The day the post was deleted from the establishment")
    purpose = models.TextField(blank=True, help_text="Why the council has this post: what it is for")
    # Indicator codes (hearth.indicators registry) whose figures this post exists to move: the sustainability
    # view shows what is at risk when its funding ends (e.g. missing advocates → return interviews in time).
    serves_indicators = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["reference"]
        constraints = [
            models.UniqueConstraint(fields=["local_authority", "reference"], name="post_reference_unique_per_la"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"


class PostFunding(AuditedModel):
    """Where the money for a post comes from, for a stretch of time. A post funded from a reserve or a grant for
    18 months has one row ending then; its continuation, if agreed, is a new row."""

    class Source(models.TextChoices):
        BASE_BUDGET = "base_budget", "Base budget"
        RESERVE = "reserve", "Reserve"
        GRANT = "grant", "Grant"

    local_authority = models.ForeignKey("tenancy.LocalAuthority", on_delete=models.PROTECT, related_name="+")
    post = models.ForeignKey(Post, on_delete=models.PROTECT, related_name="funding")
    source = models.CharField(max_length=20, choices=Source.choices)
    reserve = models.ForeignKey("finance.Reserve", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="funded_posts")
    grant = models.ForeignKey("finance.Grant", null=True, blank=True, on_delete=models.PROTECT,
                              related_name="funded_posts")
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True, help_text="Empty for base budget that carries on")
    # A post can be part-funded from two sources (e.g. 50% grant, 50% base budget).
    share_percent = models.DecimalField(max_digits=5, decimal_places=2, default=Decimal("100"),
                                        validators=[MinValueValidator(Decimal("0.01")),
                                                    MaxValueValidator(Decimal("100"))])
    note = models.CharField(max_length=250, blank=True)

    class Meta:
        ordering = ["post_id", "starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=models.F("starts_on")),
                name="post_funding_ends_after_start"),
            models.CheckConstraint(
                condition=(models.Q(source="reserve", reserve__isnull=False, grant__isnull=True)
                           | models.Q(source="grant", grant__isnull=False, reserve__isnull=True)
                           | models.Q(source="base_budget", grant__isnull=True, reserve__isnull=True)),
                name="post_funding_names_its_source"),
        ]


class Appointment(AuditedModel):
    """A worker in a role from a date to a date: the HR record the CSWW census is built from."""

    class EmploymentType(models.TextChoices):
        PERMANENT = "permanent", "Employed by the council"
        AGENCY = "agency", "Agency"
        SECONDED = "seconded", "Seconded in"

    # CSWW OrgRole (social_work_workforce_2022.xsd roletype).
    class OrgRole(models.TextChoices):
        SENIOR_MANAGER = "1", "Senior manager"
        MIDDLE_MANAGER = "2", "Middle manager"
        FIRST_LINE_MANAGER = "3", "First line manager"
        SENIOR_PRACTITIONER = "4", "Senior practitioner"
        CASE_HOLDER = "5", "Case holder"
        QUALIFIED_WITHOUT_CASES = "6", "Qualified without cases"
        NOT_SOCIAL_WORK = "", "Not a social work role"

    # CSWW StartOrigin (origintype).
    class StartOrigin(models.TextChoices):
        NEWLY_QUALIFIED = "1", "Newly qualified social worker"
        OTHER_LA = "2", "Social worker role in a different local authority in England"
        OUTSIDE_ENGLAND = "3", "Social worker role outside England"
        AGENCY = "4", "Agency or consultancy in social work (in England)"
        OTHER_SOCIAL_WORK = "5", "Other social work role, not a local authority (in England)"
        OTHER_SOCIAL_CARE = "6", "Other social care role (in England)"
        NON_SOCIAL_CARE = "7", "Non-social care role, any role outside England, no employment or career break"
        OTHER = "8", "Other"
        NOT_KNOWN = "9", "Not known"
        NOT_YET_COLLECTED = "10", "Not yet collected"

    # CSWW LeaverDestination (leavertype).
    class LeaverDestination(models.TextChoices):
        OTHER_LA = "1", "Social worker role in a different local authority in England"
        OUTSIDE_ENGLAND = "2", "Social worker role outside England"
        AGENCY = "3", "Agency or consultancy in social work (in England)"
        OTHER_SOCIAL_WORK = "4", "Other social work role, not a local authority (in England)"
        OTHER_SOCIAL_CARE = "5", "Other social care role (in England)"
        NON_SOCIAL_CARE = "6", "Non-social care role, any role outside England, no employment or career break"
        OTHER = "7", "Other"
        NOT_KNOWN = "8", "Not known"
        NOT_YET_COLLECTED = "9", "Not yet collected"

    # CSWW ReasonLeave (reasontype).
    class ReasonLeave(models.TextChoices):
        RESIGNATION = "1", "Resignation"
        VOLUNTARY_REDUNDANCY = "2", "Voluntary redundancy"
        COMPULSORY_REDUNDANCY = "3", "Compulsory redundancy"
        DISMISSED = "4", "Dismissed"
        RETIRED = "5", "Retired"
        DECEASED = "6", "Deceased"
        MOVED_WITHIN_LA = "7", "Moved to a non-child and family social work role within the council"
        OTHER = "8", "Other"
        NOT_KNOWN = "9", "Not known"
        NOT_YET_COLLECTED = "10", "Not yet collected"

    local_authority = models.ForeignKey("tenancy.LocalAuthority", on_delete=models.PROTECT, related_name="+")
    worker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="appointments")
    # Empty for an agency worker brought in over establishment (e.g. to cover sickness), who fills no post.
    post = models.ForeignKey(Post, null=True, blank=True, on_delete=models.PROTECT, related_name="appointments")
    employment_type = models.CharField(max_length=20, choices=EmploymentType.choices)
    org_role = models.CharField("CSWW role", max_length=2, choices=OrgRole.choices, blank=True)
    fte = models.DecimalField("FTE", max_digits=3, decimal_places=2, validators=FTE_VALIDATORS)
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True, help_text="The last day in this role; empty while in it")
    start_origin = models.CharField(max_length=2, choices=StartOrigin.choices, blank=True)
    # A worker who left the council (not one who moved to another appointment here): the census leaver items.
    left_council = models.BooleanField(default=False)
    reason_leave = models.CharField(max_length=2, choices=ReasonLeave.choices, blank=True)
    leaver_destination = models.CharField(max_length=2, choices=LeaverDestination.choices, blank=True)

    class Meta:
        ordering = ["worker_id", "starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=models.F("starts_on")),
                name="appointment_ends_after_start"),
            models.CheckConstraint(condition=models.Q(left_council=False) | models.Q(ends_on__isnull=False),
                                   name="leaver_has_an_end_date"),
        ]
        indexes = [models.Index(fields=["local_authority", "starts_on", "ends_on"])]


class Absence(AuditedModel):
    """A spell of absence. Sickness (SIC) is what the CSWW absence rate counts; the rest explain who is away
    at 30 September."""

    # CSWW ReasonAbsence (absencetype).
    class Reason(models.TextChoices):
        SICKNESS = "SIC", "Sickness"
        MATERNITY = "MAT", "Maternity, paternity or adoption leave"
        OTHER_PAID = "OTH", "Other paid authorised absence (such as compassionate leave)"
        PUBLIC_DUTIES = "PUB", "Paid absence for public duties"
        TRAINING = "TRN", "Training"
        UNAUTHORISED = "UNA", "Unauthorised absence"
        UNPAID = "UNP", "Unpaid authorised absence"

    local_authority = models.ForeignKey("tenancy.LocalAuthority", on_delete=models.PROTECT, related_name="+")
    worker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="absences")
    reason = models.CharField(max_length=3, choices=Reason.choices)
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True, help_text="Empty while the worker is still away")
    # Working days lost, as the worker's contract counts them (a part-time worker loses fewer): entered, not
    # derived, because HR records it that way and the census asks for it.
    working_days_lost = models.DecimalField(max_digits=6, decimal_places=2, validators=[MinValueValidator(0)])

    class Meta:
        ordering = ["worker_id", "starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=models.F("starts_on")),
                name="absence_ends_after_start"),
        ]
