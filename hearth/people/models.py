from __future__ import annotations

from datetime import date

from django.db import models
from django.db.models import Q
from django.utils import timezone

from hearth.audit.models import AuditedModel
from hearth.workspace.dates import age_on

from .codes import Ethnicity, ImmigrationStatus, UPNUnknown


class Person(AuditedModel):
    """One record per person: the child, and the adults and siblings around them."""

    class Sex(models.TextChoices):
        # DfE census codes
        MALE = "M", "Male"
        FEMALE = "F", "Female"
        UNKNOWN = "U", "Not known"

    class AccessLevel(models.TextChoices):
        OPEN = "open", "Open to council staff"
        RESTRICTED = "restricted", "Restricted"
        SEALED = "sealed", "Sealed"

    local_authority = models.ForeignKey("tenancy.LocalAuthority", on_delete=models.PROTECT, related_name="+")
    # The identifier of this person in a system they were imported from.
    external_id = models.CharField(max_length=40, blank=True)
    first_name = models.CharField("legal first name", max_length=100)
    middle_names = models.CharField(max_length=100, blank=True)
    last_name = models.CharField("legal last name", max_length=100)
    preferred_name = models.CharField(max_length=100, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    expected_date_of_birth = models.DateField(null=True, blank=True, help_text="For an unborn child")
    date_of_death = models.DateField(null=True, blank=True)
    sex = models.CharField(max_length=1, choices=Sex.choices, default=Sex.UNKNOWN)
    gender_identity = models.CharField(max_length=60, blank=True)
    ethnicity = models.CharField(max_length=4, choices=Ethnicity.choices, default=Ethnicity.NOBT)
    first_language = models.CharField(max_length=60, blank=True)
    religion = models.CharField(max_length=60, blank=True)
    disabilities = models.JSONField(default=list, blank=True, help_text="CIN census disability codes")
    nhs_number = models.CharField("NHS number", max_length=10, blank=True)
    upn = models.CharField("UPN", max_length=13, blank=True)
    former_upn = models.CharField("former UPN", max_length=13, blank=True)
    upn_unknown = models.CharField("reason UPN unknown", max_length=3, choices=UPNUnknown.choices, blank=True)
    is_uasc = models.BooleanField("unaccompanied asylum-seeking child", default=False)
    uasc_ceased_on = models.DateField(null=True, blank=True)
    immigration_status = models.CharField(max_length=20, choices=ImmigrationStatus.choices, blank=True)
    access_level = models.CharField(max_length=12, choices=AccessLevel.choices, default=AccessLevel.OPEN)
    restriction_reason = models.CharField(max_length=200, blank=True)
    # A merged record stays, pointing at the record that now holds its history.
    merged_into = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "people"
        indexes = [
            models.Index(fields=["local_authority", "last_name", "first_name"]),
            models.Index(fields=["local_authority", "access_level"]),
            models.Index(fields=["local_authority", "date_of_birth"]),
            models.Index(fields=["local_authority", "nhs_number"]),
            models.Index(fields=["local_authority", "upn"]),
            models.Index(fields=["local_authority", "former_upn"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["local_authority", "external_id"],
                condition=~Q(external_id=""),
                name="external_id_unique_per_la",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def nhs_number_spaced(self) -> str:
        """As the NHS prints it: 943 476 5919."""
        n = self.nhs_number
        return f"{n[:3]} {n[3:6]} {n[6:]}" if len(n) == 10 else n

    @property
    def hearth_id(self) -> str:
        return f"{self.pk:07d}" if self.pk else ""

    def age_on(self, on: date) -> int | None:
        if self.date_of_birth is None:
            return None
        return age_on(self.date_of_birth, on)

    @property
    def age_today(self) -> int | None:
        return self.age_on(timezone.localdate())

    @property
    def is_restricted(self) -> bool:
        return self.access_level != self.AccessLevel.OPEN

    @property
    def is_unborn(self) -> bool:
        return self.date_of_birth is None and self.expected_date_of_birth is not None


class PersonName(AuditedModel):
    """A previous name, alias or nickname: searched like the legal name."""

    class Kind(models.TextChoices):
        PREVIOUS = "previous", "Previous name"
        ALIAS = "alias", "Alias"
        NICKNAME = "nickname", "Known as"
        BIRTH = "birth", "Name at birth"

    local_authority = models.ForeignKey("tenancy.LocalAuthority", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="other_names")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    first_name = models.CharField(max_length=100, blank=True)
    last_name = models.CharField(max_length=100, blank=True)
    used_from = models.DateField(null=True, blank=True)
    used_to = models.DateField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class Address(AuditedModel):
    """Where a person lived, and when. The open row (no end date) is the current address."""

    local_authority = models.ForeignKey("tenancy.LocalAuthority", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="addresses")
    line_1 = models.CharField("address line 1", max_length=120)
    line_2 = models.CharField("address line 2", max_length=120, blank=True)
    town = models.CharField("town or city", max_length=80)
    postcode = models.CharField(max_length=8)
    moved_in_on = models.DateField(null=True, blank=True)
    moved_out_on = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "addresses"
        ordering = ["-moved_in_on", "-id"]
        indexes = [
            models.Index(fields=["local_authority", "postcode"]),
            models.Index(fields=["person", "moved_out_on"]),
        ]

    def __str__(self) -> str:
        return ", ".join(p for p in (self.line_1, self.line_2, self.town, self.postcode) if p)

    @property
    def is_current(self) -> bool:
        return self.moved_out_on is None


class ContactDetail(AuditedModel):
    class Kind(models.TextChoices):
        MOBILE = "mobile", "Mobile"
        PHONE = "phone", "Phone"
        EMAIL = "email", "Email"

    local_authority = models.ForeignKey("tenancy.LocalAuthority", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="contact_details")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    value = models.CharField(max_length=150)
    note = models.CharField(max_length=100, blank=True)
    ended_on = models.DateField(null=True, blank=True)


class Relationship(AuditedModel):
    """`person` is the `kind` of `relative`: e.g. person=Mum, kind=parent, relative=child.

    Sibling, half-sibling, household member and significant other read the same both ways.
    """

    class Kind(models.TextChoices):
        PARENT = "parent", "Parent"
        STEP_PARENT = "step_parent", "Step-parent"
        SIBLING = "sibling", "Sibling"
        HALF_SIBLING = "half_sibling", "Half-sibling"
        CARER = "carer", "Carer"
        HOUSEHOLD_MEMBER = "household_member", "Household member"
        SIGNIFICANT_OTHER = "significant_other", "Significant other"

    SYMMETRIC = frozenset({Kind.SIBLING, Kind.HALF_SIBLING, Kind.HOUSEHOLD_MEMBER, Kind.SIGNIFICANT_OTHER})
    # How the relationship reads from the relative's side.
    INVERSE_LABELS = {Kind.PARENT: "Child", Kind.STEP_PARENT: "Step-child", Kind.CARER: "Cared-for child"}

    local_authority = models.ForeignKey("tenancy.LocalAuthority", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="relationships_out")
    relative = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="relationships_in")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    parental_responsibility = models.BooleanField(default=False)
    started_on = models.DateField(null=True, blank=True)
    ended_on = models.DateField(null=True, blank=True)
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        indexes = [models.Index(fields=["person", "kind"]), models.Index(fields=["relative", "kind"])]
        constraints = [
            models.CheckConstraint(condition=~Q(person=models.F("relative")), name="relationship_not_to_self"),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True)
                | Q(started_on__isnull=True)
                | Q(ended_on__gte=models.F("started_on")),
                name="relationship_ends_after_start",
            ),
        ]


class ProfessionalInvolvement(AuditedModel):
    """A professional or organisation involved with a person: GP, school, health visitor, police..."""

    class Role(models.TextChoices):
        GP = "gp", "GP"
        SCHOOL = "school", "School"
        HEALTH_VISITOR = "health_visitor", "Health visitor"
        SCHOOL_NURSE = "school_nurse", "School nurse"
        MIDWIFE = "midwife", "Midwife"
        CAMHS = "camhs", "CAMHS"
        PAEDIATRICIAN = "paediatrician", "Paediatrician"
        POLICE = "police", "Police"
        PROBATION = "probation", "Probation"
        YOUTH_JUSTICE = "youth_justice", "Youth justice"
        HOUSING = "housing", "Housing"
        ADULT_SERVICES = "adult_services", "Adult social care"
        SUBSTANCE_MISUSE = "substance_misuse", "Substance misuse service"
        DOMESTIC_ABUSE = "domestic_abuse", "Domestic abuse service"
        CAFCASS = "cafcass", "Cafcass"
        OTHER = "other", "Other"

    local_authority = models.ForeignKey("tenancy.LocalAuthority", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="professionals")
    role = models.CharField(max_length=20, choices=Role.choices)
    organisation = models.CharField(max_length=150)
    # ODS code for a GP practice, URN for a school.
    organisation_code = models.CharField(max_length=12, blank=True)
    contact_name = models.CharField(max_length=120, blank=True)
    phone = models.CharField(max_length=30, blank=True)
    email = models.EmailField(blank=True)
    started_on = models.DateField(null=True, blank=True)
    ended_on = models.DateField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["person", "role", "ended_on"])]
