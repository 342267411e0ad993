from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.contrib.auth.models import AbstractUser
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models

from .roles import CASE_ROLES, MANAGER_ROLES, STAFF_ROLES, Role


class Team(models.Model):
    class Kind(models.TextChoices):
        FRONT_DOOR = "front_door", "Front door / MASH"
        EARLY_HELP = "early_help", "Early help"
        ASSESSMENT = "assessment", "Assessment"
        SAFEGUARDING = "safeguarding", "Safeguarding"
        CHILDREN_IN_CARE = "children_in_care", "Children in care"
        CARE_LEAVERS = "care_leavers", "Care leavers"
        DISABLED_CHILDREN = "disabled_children", "Children with disabilities"
        FOSTERING = "fostering", "Fostering"
        EXPLOITATION = "exploitation", "Exploitation and missing"
        QUALITY_ASSURANCE = "quality_assurance", "Quality assurance (IROs and CP chairs)"
        BUSINESS_SUPPORT = "business_support", "Business support"
        PERFORMANCE = "performance", "Performance and intelligence"
        LEADERSHIP = "leadership", "Leadership"

    local_authority = models.ForeignKey("tenancy.LocalAuthority", on_delete=models.PROTECT, related_name="teams")
    name = models.CharField(max_length=100)
    kind = models.CharField(max_length=30, choices=Kind.choices)
    service_area = models.CharField(max_length=100, blank=True)
    closed_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["local_authority", "name"], name="team_name_unique_per_la")]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A member of staff, or an external partner who refers children (a school's DSL)."""

    class EmploymentType(models.TextChoices):
        PERMANENT = "permanent", "Permanent"
        AGENCY = "agency", "Agency"
        SECONDED = "seconded", "Seconded"
        EXTERNAL = "external", "External partner"

    # Null only for a deployment-wide superuser who belongs to no council.
    local_authority = models.ForeignKey(
        "tenancy.LocalAuthority", null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )
    role = models.CharField(max_length=30, choices=Role.choices, default=Role.SOCIAL_WORKER)
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.PROTECT, related_name="members")
    job_title = models.CharField(max_length=100, blank=True)
    employment_type = models.CharField(
        max_length=20, choices=EmploymentType.choices, default=EmploymentType.PERMANENT
    )
    fte = models.DecimalField(
        "FTE",
        max_digits=3,
        decimal_places=2,
        default=Decimal("1.00"),
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("1.00"))],
    )
    started_on = models.DateField(null=True, blank=True)
    left_on = models.DateField(null=True, blank=True)
    is_data_protection_officer = models.BooleanField(default=False)
    partner_organisation = models.CharField(
        max_length=150, blank=True, help_text="For partner referrers: the school or agency they refer from"
    )
    # The SSDA903 SW_ID of every episode this worker holds a looked-after child (returns.md §A.4).
    social_work_england_number = models.CharField(
        "Social Work England number",
        max_length=10,
        blank=True,
        validators=[RegexValidator(r"^SW\d{1,8}$", "Enter the Social Work England number as SW then numbers, "
                                                    "like SW123456")],
        help_text="Registered social workers only: SW then numbers, as on the Social Work England register",
    )

    class Meta:
        ordering = ["last_name", "first_name"]
        constraints = [
            # Django lets a superuser through every permission check, record rules included, so a
            # superuser runs the deployment and belongs to no council's records.
            models.CheckConstraint(
                condition=models.Q(is_superuser=False) | models.Q(local_authority__isnull=True),
                name="superuser_belongs_to_no_council",
            ),
            # One registration is one person: two staff records with the same number is a keying mistake.
            models.UniqueConstraint(
                fields=["local_authority", "social_work_england_number"],
                condition=~models.Q(social_work_england_number=""),
                name="social_work_england_number_unique_per_la",
            ),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def has_case_access(self) -> bool:
        return self.is_active and self.local_authority_id is not None and self.role in CASE_ROLES

    @property
    def is_manager(self) -> bool:
        return self.role in MANAGER_ROLES

    @property
    def is_council_staff(self) -> bool:
        return self.role in STAFF_ROLES

    def is_in_post(self, on: date) -> bool:
        started = self.started_on is None or self.started_on <= on
        return started and (self.left_on is None or self.left_on > on)
