"""Fostering: households from first enquiry to approval, the register, reviews and vacancies; placement
requests matched to vacancies; prospective adopters (Ofsted Annex A List 11).

Applicants are adults recorded here, not Person records: a carer is not a subject of the child's case
record, and only fostering and management staff see these pages. Every step is dated, and the stage moves
only through ``hearth.fostering.services``, which refuses a step out of order.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from hearth.audit.models import AuditedModel
from hearth.people.codes import Ethnicity


class CareType(models.TextChoices):
    EMERGENCY = "emergency", "Emergency"
    SHORT_TERM = "short_term", "Short-term"
    LONG_TERM = "long_term", "Long-term"
    RESPITE = "respite", "Short breaks (respite)"
    PARENT_AND_CHILD = "parent_and_child", "Parent and child"
    REMAND = "remand", "Remand"
    FFA = "ffa", "Fostering for adoption or concurrent planning"


class Need(models.TextChoices):
    DISABILITY = "disability", "Disabled children"
    COMPLEX_HEALTH = "complex_health", "Complex health needs"
    SIBLINGS = "siblings", "Sibling groups"
    BABIES = "babies", "Babies"
    TEENAGERS = "teenagers", "Teenagers"
    UASC = "uasc", "Unaccompanied asylum-seeking children"
    THERAPEUTIC = "therapeutic", "Children who need therapeutic care"


class EnquirySource(models.TextChoices):
    WEBSITE = "website", "Website or online form"
    PHONE = "phone", "Phone call"
    EVENT = "event", "Information event"
    WORD_OF_MOUTH = "word_of_mouth", "Word of mouth"
    EXISTING_CARER = "existing_carer", "Recommended by a foster carer"
    SOCIAL_MEDIA = "social_media", "Social media"
    ADVERT = "advert", "Advert or leaflet"
    OTHER = "other", "Other"


class FosterHousehold(AuditedModel):
    """A fostering household from its first enquiry; on the register once approved."""

    class Stage(models.TextChoices):
        ENQUIRY = "enquiry", "Enquiry"
        INITIAL_VISIT = "initial_visit", "Initial visit"
        STAGE_1 = "stage_1", "Assessment stage 1"
        STAGE_2 = "stage_2", "Assessment stage 2"
        PANEL = "panel", "Fostering panel"
        DECISION = "decision", "Agency decision maker"
        APPROVED = "approved", "Approved"
        DEREGISTERED = "deregistered", "Deregistered"
        WITHDRAWN = "withdrawn", "Withdrawn or not approved"

    class Kind(models.TextChoices):
        MAINSTREAM = "mainstream", "Mainstream foster carers"
        CONNECTED = "connected", "Connected person (family or friends) carers"

    class Recommendation(models.TextChoices):
        PROCEED = "proceed", "Proceed to an assessment"
        NOT_PROCEED = "not_proceed", "Do not proceed"

    class Stage1Outcome(models.TextChoices):
        PROCEED = "proceed", "Proceed to stage 2"
        STOP = "stop", "Not suitable: end the assessment"

    class Check(models.TextChoices):
        DBS = "dbs", "Enhanced DBS check"
        LOCAL_AUTHORITY = "local_authority", "Local authority checks"
        MEDICAL = "medical", "Medical"
        REFERENCES = "references", "Personal references"
        EMPLOYER = "employer", "Employer references"
        EX_PARTNERS = "ex_partners", "Former partners"
        HOME_SAFETY = "home_safety", "Health and safety check of the home"

    class PanelRecommendation(models.TextChoices):
        APPROVE = "approve", "Approve"
        NOT_APPROVE = "not_approve", "Not approve"

    class Decision(models.TextChoices):
        APPROVE = "approve", "Approve"
        QUALIFYING_DETERMINATION = "qualifying", "Qualifying determination (proposes not to approve)"
        NOT_APPROVE = "not_approve", "Not approve"

    class WithdrawalReason(models.TextChoices):
        APPLICANT_WITHDREW = "applicant_withdrew", "The applicants withdrew"
        NOT_SUITABLE = "not_suitable", "The fostering service ended the assessment"
        NOT_APPROVED = "not_approved", "Not approved by the agency decision maker"
        LOST_CONTACT = "lost_contact", "No further contact"
        OTHER = "other", "Other"

    class DeregistrationReason(models.TextChoices):
        RESIGNED = "resigned", "Resigned"
        RETIRED = "retired", "Retired"
        ADOPTED_OR_SGO = "adopted_or_sgo", "Adopted the child or became special guardians"
        STANDARDS = "standards", "Concerns about standards of care"
        ALLEGATION = "allegation", "Following an allegation"
        OTHER = "other", "Other"

    local_authority = models.ForeignKey("tenancy.LocalAuthority", on_delete=models.PROTECT, related_name="+")
    reference = models.CharField(max_length=12)
    name = models.CharField(max_length=200, help_text="How the household is known, e.g. 'Patel household'")
    postcode = models.CharField(max_length=8, blank=True)
    stage = models.CharField(max_length=20, choices=Stage.choices, default=Stage.ENQUIRY)
    enquiry_on = models.DateField()
    approved_on = models.DateField(null=True, blank=True)
    deregistered_on = models.DateField(null=True, blank=True)

    # The enquiry.
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.MAINSTREAM)
    enquiry_source = models.CharField(max_length=20, choices=EnquirySource.choices, blank=True)
    address = models.TextField(blank=True)
    phone = models.CharField(max_length=30, blank=True)
    email = models.EmailField(blank=True)
    notes = models.TextField(blank=True)
    # The day the household reached its current stage: "days in stage" on the board.
    stage_since = models.DateField(null=True, blank=True)

    # Initial visit.
    initial_visit_on = models.DateField(null=True, blank=True)
    initial_visit_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    initial_visit_recommendation = models.CharField(max_length=12, choices=Recommendation.choices, blank=True)

    # Assessment stage 1: the statutory checks.
    stage_1_started_on = models.DateField(null=True, blank=True)
    stage_1_checks = models.JSONField(default=list, blank=True)
    stage_1_ended_on = models.DateField(null=True, blank=True)
    stage_1_outcome = models.CharField(max_length=10, choices=Stage1Outcome.choices, blank=True)

    # Assessment stage 2: the Form F assessment.
    stage_2_started_on = models.DateField(null=True, blank=True)
    assessing_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    form_f_completed_on = models.DateField(null=True, blank=True)

    # Fostering panel and the agency decision maker.
    panel_on = models.DateField(null=True, blank=True)
    panel_recommendation = models.CharField(max_length=12, choices=PanelRecommendation.choices, blank=True)
    panel_terms = models.TextField(blank=True)
    qualifying_determination_on = models.DateField(null=True, blank=True)
    decided_on = models.DateField(null=True, blank=True)
    decision = models.CharField(max_length=12, choices=Decision.choices, blank=True)

    # Terms of approval (set by the decision, changed after a review).
    approved_places = models.PositiveSmallIntegerField(null=True, blank=True)
    approved_age_from = models.PositiveSmallIntegerField(null=True, blank=True)
    approved_age_to = models.PositiveSmallIntegerField(null=True, blank=True)
    approved_care_types = models.JSONField(default=list, blank=True)
    supervising_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    # Leaving: withdrawal during the assessment, or deregistration once approved.
    withdrawn_on = models.DateField(null=True, blank=True)
    withdrawal_reason = models.CharField(max_length=20, choices=WithdrawalReason.choices, blank=True)
    withdrawn_at_stage = models.CharField(max_length=20, choices=Stage.choices, blank=True)
    deregistration_reason = models.CharField(max_length=20, choices=DeregistrationReason.choices, blank=True)
    leaving_notes = models.TextField(blank=True)

    class Meta:
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["local_authority", "stage"])]
        constraints = [
            models.UniqueConstraint(fields=["local_authority", "reference"], name="foster_household_reference_unique")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_in_assessment(self) -> bool:
        return self.stage in ASSESSMENT_STAGES

    @property
    def care_type_labels(self) -> list[str]:
        return [CareType(c).label for c in self.approved_care_types if c in CareType.values]

    @property
    def check_labels(self) -> list[str]:
        return [self.Check(c).label for c in self.stage_1_checks if c in self.Check.values]


ASSESSMENT_STAGES = (
    FosterHousehold.Stage.ENQUIRY, FosterHousehold.Stage.INITIAL_VISIT, FosterHousehold.Stage.STAGE_1,
    FosterHousehold.Stage.STAGE_2, FosterHousehold.Stage.PANEL, FosterHousehold.Stage.DECISION,
)


class FosterApplicant(AuditedModel):
    """An adult applying to foster: a name on the household, not a Person record."""

    local_authority = models.ForeignKey("tenancy.LocalAuthority", on_delete=models.PROTECT, related_name="+")
    household = models.ForeignKey(FosterHousehold, on_delete=models.PROTECT, related_name="applicants")
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    date_of_birth = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


class FosterCarerReview(AuditedModel):
    """The review of an approved household's approval, at least once a year (FSR 2011 reg 28)."""

    class Recommendation(models.TextChoices):
        CONTINUE = "continue", "Continue approval on the same terms"
        CHANGE_TERMS = "change_terms", "Continue approval on changed terms"
        TERMINATE = "terminate", "End the approval"

    local_authority = models.ForeignKey("tenancy.LocalAuthority", on_delete=models.PROTECT, related_name="+")
    household = models.ForeignKey(FosterHousehold, on_delete=models.PROTECT, related_name="reviews")
    reviewed_on = models.DateField()
    recommendation = models.CharField(max_length=12, choices=Recommendation.choices)
    # The first review goes to the fostering panel (reg 28(5)).
    panel_on = models.DateField(null=True, blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["-reviewed_on", "-id"]
        indexes = [models.Index(fields=["household", "reviewed_on"])]

    def __str__(self) -> str:
        return f"Review on {self.reviewed_on:%d %b %Y}"


class FosterVacancy(AuditedModel):
    """Places an approved household offers, for an age range, types of care and needs."""

    class CloseReason(models.TextChoices):
        FILLED = "filled", "Filled"
        WITHDRAWN = "withdrawn", "Withdrawn"

    local_authority = models.ForeignKey("tenancy.LocalAuthority", on_delete=models.PROTECT, related_name="+")
    household = models.ForeignKey(FosterHousehold, on_delete=models.PROTECT, related_name="vacancies")
    places = models.PositiveSmallIntegerField()
    age_from = models.PositiveSmallIntegerField()
    age_to = models.PositiveSmallIntegerField()
    care_types = models.JSONField(default=list)
    needs = models.JSONField(default=list, blank=True)
    available_from = models.DateField()
    closed_on = models.DateField(null=True, blank=True)
    close_reason = models.CharField(max_length=10, choices=CloseReason.choices, blank=True)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["available_from", "id"]
        indexes = [models.Index(fields=["local_authority", "closed_on"])]
        constraints = [
            models.CheckConstraint(condition=Q(age_from__lte=models.F("age_to")), name="vacancy_ages_in_order"),
            models.CheckConstraint(condition=Q(places__gte=1), name="vacancy_has_a_place"),
        ]

    def __str__(self) -> str:
        return f"{self.places} place(s), ages {self.age_from} to {self.age_to}"

    @property
    def care_type_labels(self) -> list[str]:
        return [CareType(c).label for c in self.care_types if c in CareType.values]

    @property
    def need_labels(self) -> list[str]:
        return [Need(c).label for c in self.needs if c in Need.values]


class PlacementRequest(AuditedModel):
    """A child's social worker asks for a foster placement; the fostering team matches it to a vacancy."""

    class Urgency(models.TextChoices):
        EMERGENCY = "emergency", "Emergency (today)"
        URGENT = "urgent", "Urgent (within a week)"
        PLANNED = "planned", "Planned"

    class Status(models.TextChoices):
        OPEN = "open", "Looking for a placement"
        MATCHED = "matched", "Matched"
        CLOSED = "closed", "Closed"

    class CloseReason(models.TextChoices):
        PLACED = "placed", "Placed"
        PLACED_ELSEWHERE = "elsewhere", "Placed elsewhere (agency or residential)"
        NOT_NEEDED = "not_needed", "No longer needed"

    local_authority = models.ForeignKey("tenancy.LocalAuthority", on_delete=models.PROTECT, related_name="+")
    child = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="placement_requests")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_on = models.DateField()
    needed_from = models.DateField()
    care_type = models.CharField(max_length=20, choices=CareType.choices)
    needs = models.JSONField(default=list, blank=True)
    number_of_children = models.PositiveSmallIntegerField(default=1)
    siblings_together = models.BooleanField(default=False)
    urgency = models.CharField(max_length=10, choices=Urgency.choices)
    # Where the child lives now: near placements score higher (by postcode district and area only).
    postcode = models.CharField(max_length=8, blank=True)
    notes = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    matched_household = models.ForeignKey(
        FosterHousehold, null=True, blank=True, on_delete=models.PROTECT, related_name="matched_requests"
    )
    matched_vacancy = models.ForeignKey(
        FosterVacancy, null=True, blank=True, on_delete=models.PROTECT, related_name="matched_requests"
    )
    matched_on = models.DateField(null=True, blank=True)
    matched_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closed_on = models.DateField(null=True, blank=True)
    close_reason = models.CharField(max_length=10, choices=CloseReason.choices, blank=True)

    class Meta:
        ordering = ["needed_from", "id"]
        indexes = [models.Index(fields=["local_authority", "status"])]
        constraints = [
            models.CheckConstraint(condition=Q(number_of_children__gte=1), name="placement_request_has_a_child"),
        ]

    def __str__(self) -> str:
        return f"Placement request from {self.needed_from:%d %b %Y}"

    @property
    def need_labels(self) -> list[str]:
        return [Need(c).label for c in self.needs if c in Need.values]


# ---------------------------------------------------------------- prospective adopters


class ProspectiveAdopter(AuditedModel):
    """A prospective adoptive family (one or two adopters) through the two-stage process to an adoption order."""

    class Stage(models.TextChoices):
        ENQUIRY = "enquiry", "Enquiry"
        REGISTRATION = "registration", "Registration of interest"
        STAGE_1 = "stage_1", "Stage 1"
        STAGE_2 = "stage_2", "Stage 2"
        PANEL = "panel", "Adoption panel"
        APPROVED = "approved", "Approved"
        MATCHED = "matched", "Matched"
        PLACED = "placed", "Child placed"
        ADOPTED = "adopted", "Adoption order made"
        LEFT = "left", "Left the process"

    class PanelRecommendation(models.TextChoices):
        APPROVE = "approve", "Approve as suitable to adopt"
        NOT_APPROVE = "not_approve", "Not approve"

    class LeavingReason(models.TextChoices):
        # Annex A List 11's own labels.
        WITHDREW = "1", "1 - Adopter withdrew from process"
        ON_HOLD = "2", "2 - Process put on hold"
        REFUSED = "3", "3 - Application refused"

    local_authority = models.ForeignKey("tenancy.LocalAuthority", on_delete=models.PROTECT, related_name="+")
    # The family identifier of Annex A List 11.
    reference = models.CharField(max_length=12)
    name = models.CharField(max_length=200, help_text="How the family is known, e.g. 'Okoro family'")
    postcode = models.CharField(max_length=8, blank=True)
    phone = models.CharField(max_length=30, blank=True)
    email = models.EmailField(blank=True)
    enquiry_source = models.CharField(max_length=20, choices=EnquirySource.choices, blank=True)
    fostering_for_adoption = models.BooleanField(default=False)
    notes = models.TextField(blank=True)
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    stage = models.CharField(max_length=20, choices=Stage.choices, default=Stage.ENQUIRY)
    stage_since = models.DateField(null=True, blank=True)

    enquiry_on = models.DateField()
    registered_on = models.DateField(null=True, blank=True)
    stage_1_started_on = models.DateField(null=True, blank=True)
    stage_1_ended_on = models.DateField(null=True, blank=True)
    stage_2_started_on = models.DateField(null=True, blank=True)
    application_submitted_on = models.DateField(null=True, blank=True)
    stage_2_ended_on = models.DateField(null=True, blank=True)
    panel_on = models.DateField(null=True, blank=True)
    panel_recommendation = models.CharField(max_length=12, choices=PanelRecommendation.choices, blank=True)
    approved_on = models.DateField(null=True, blank=True)
    matched_on = models.DateField(null=True, blank=True)
    placed_on = models.DateField(null=True, blank=True)
    children_placed = models.PositiveSmallIntegerField(null=True, blank=True)
    # Linked only to a record the person linking may open; others see "a restricted record" at most.
    child = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="adoptive_families"
    )
    adoption_order_on = models.DateField(null=True, blank=True)
    left_on = models.DateField(null=True, blank=True)
    left_reason = models.CharField(max_length=1, choices=LeavingReason.choices, blank=True)
    left_at_stage = models.CharField(max_length=20, choices=Stage.choices, blank=True)

    class Meta:
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["local_authority", "stage"])]
        constraints = [
            models.UniqueConstraint(fields=["local_authority", "reference"],
                                    name="prospective_adopter_reference_unique")
        ]

    def __str__(self) -> str:
        return self.name


class AdopterApplicant(AuditedModel):
    """One adult of a prospective adoptive family: a row of Annex A List 11."""

    class Gender(models.TextChoices):
        # In Annex A's order: a) Male, b) Female, c) Not stated/recorded, d) Neither.
        MALE = "male", "Male"
        FEMALE = "female", "Female"
        NOT_STATED = "not_stated", "Not stated or recorded"
        NEITHER = "neither", "Neither"

    class Disability(models.TextChoices):
        YES = "yes", "Yes"
        NO = "no", "No"
        NOT_KNOWN = "not_known", "Not known"

    local_authority = models.ForeignKey("tenancy.LocalAuthority", on_delete=models.PROTECT, related_name="+")
    adopter = models.ForeignKey(ProspectiveAdopter, on_delete=models.PROTECT, related_name="applicants")
    # The individual adopter identifier of Annex A List 11.
    identifier = models.CharField(max_length=16)
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    gender = models.CharField(max_length=12, choices=Gender.choices, default=Gender.NOT_STATED)
    ethnicity = models.CharField(max_length=4, choices=Ethnicity.choices, default=Ethnicity.NOBT)
    disability = models.CharField(max_length=10, choices=Disability.choices, default=Disability.NOT_KNOWN)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["local_authority", "identifier"], name="adopter_identifier_unique")
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"
