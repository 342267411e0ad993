"""Education registers: children missing education (CME) and elective home education (EHE).

Both are registers of children the council's education service works, kept beside the child's
social care record so that a child who drops out of school while known to social care is seen at
once (``selectors.register_rows`` flags every child in need, on a plan or in care, live).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from hearth.audit.models import AuditedModel


class Flag(models.TextChoices):
    """Why the education service should know a child on a register is known to social care."""

    CIN = "cin", "Child in need"
    CP = "cp", "Child protection plan"
    CARE = "care", "In care"


class CMECase(AuditedModel):
    """A child notified as missing education (Education Act 1996 s436A), from notification to outcome."""

    class NotifiedBy(models.TextChoices):
        SCHOOL = "school", "A school"
        AGENCY = "agency", "Another agency (health, police, housing, another council)"
        PARENT = "parent", "A parent or carer"
        OTHER = "other", "Someone else"

    class Reason(models.TextChoices):
        REMOVED_FROM_ROLL = "removed_from_roll", "Removed from a school roll, destination not known"
        PLACE_NOT_TAKEN_UP = "place_not_taken_up", "Did not take up an offered school place"
        MOVED_AWAY = "moved_away", "Moved away, new address not known"
        NEW_TO_AREA = "new_to_area", "New to the area and not on a school roll"
        NOT_RETURNED = "not_returned", "Did not come back after time away or abroad"
        OTHER = "other", "Other"

    class Outcome(models.TextChoices):
        IN_SCHOOL_HERE = "in_school_here", "Found in school in this council's area"
        PASSED_ON = "passed_on", "Found in another council's area and passed on to them"
        ABROAD = "abroad", "Moved abroad"
        HOME_EDUCATED = "home_educated", "Now electively home educated"
        OTHER = "other", "Other"

    local_authority = models.ForeignKey("tenancy.LocalAuthority", on_delete=models.PROTECT, related_name="+")
    child = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="cme_cases")
    notified_on = models.DateField()
    notified_by = models.CharField(max_length=10, choices=NotifiedBy.choices)
    notified_by_name = models.CharField(max_length=150, help_text="The school, agency or person who told us")
    last_known_school = models.CharField(max_length=200, blank=True)
    last_known_address = models.TextField(blank=True)
    reason = models.CharField(max_length=20, choices=Reason.choices)
    reason_detail = models.TextField(blank=True)
    # A local date to look at the case again; the guidance expects prompt enquiries but sets no timescale.
    review_on = models.DateField(null=True, blank=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    outcome_on = models.DateField(null=True, blank=True)
    outcome_detail = models.TextField(blank=True)
    closed_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["notified_on", "id"]
        indexes = [
            models.Index(fields=["local_authority", "closed_on", "notified_on"]),
            models.Index(fields=["child", "notified_on"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["child"], condition=Q(closed_on__isnull=True), name="one_open_cme_case_per_child"
            ),
            models.CheckConstraint(
                condition=Q(outcome_on__isnull=True) | Q(outcome_on__gte=models.F("notified_on")),
                name="cme_outcome_after_notification",
            ),
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | (Q(closed_on__gte=models.F("notified_on")) & ~Q(outcome="")),
                name="cme_closed_after_notification_with_outcome",
            ),
        ]

    def __str__(self) -> str:
        return f"Missing education from {self.notified_on:%d %b %Y}"

    @property
    def is_open(self) -> bool:
        return self.closed_on is None


class CMEEnquiry(AuditedModel):
    """One enquiry made to find the child: who was asked and what was found."""

    class Agency(models.TextChoices):
        SCHOOL = "school", "School"
        HEALTH = "health", "Health (GP, health visitor, school nurse)"
        HOUSING = "housing", "Housing"
        POLICE = "police", "Police"
        OTHER_LA = "other_la", "Another council"
        DWP_HMRC = "dwp_hmrc", "DWP or HMRC (through the council)"
        HOME_VISIT = "home_visit", "Home visit"
        OTHER = "other", "Other"

    local_authority = models.ForeignKey("tenancy.LocalAuthority", on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(CMECase, on_delete=models.PROTECT, related_name="enquiries")
    made_on = models.DateField()
    agency = models.CharField(max_length=12, choices=Agency.choices)
    agency_name = models.CharField(max_length=150, blank=True, help_text="Which school, practice or council")
    found = models.TextField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-made_on", "-id"]
        indexes = [models.Index(fields=["case", "made_on"])]


class EHECase(AuditedModel):
    """A child whose parents educate them at home (Education Act 1996 s7), from notification to the end."""

    class Reason(models.TextChoices):
        # The parents' reasons as they give them, in the headings the DfE's EHE collection uses.
        PHILOSOPHICAL = "philosophical", "Philosophical or preferential"
        DISSATISFIED = "dissatisfied", "Dissatisfied with the school"
        PHYSICAL_HEALTH = "physical_health", "The child's physical health"
        MENTAL_HEALTH = "mental_health", "The child's mental health"
        SEND = "send", "Special educational needs not met at school"
        BULLYING = "bullying", "Bullying"
        RELIGIOUS = "religious", "Religious or cultural"
        AVOID_EXCLUSION = "avoid_exclusion", "To avoid exclusion or attendance action"
        SCHOOL_PLACE = "school_place", "Did not get the school place they wanted"
        LIFESTYLE = "lifestyle", "Lifestyle (for example, travelling)"
        OTHER = "other", "Other"
        NOT_GIVEN = "not_given", "No reason given"

    class Suitability(models.TextChoices):
        SUITABLE = "suitable", "Suitable education"
        NOT_SUITABLE = "not_suitable", "Not suitable: informal enquiry"
        SAO = "sao", "School attendance order process started"

    class EndReason(models.TextChoices):
        RETURNED_TO_SCHOOL = "returned_to_school", "Returned to school"
        MOVED_AWAY = "moved_away", "Moved away"
        SIXTEEN = "sixteen", "Reached 16 (end of compulsory school age)"
        OTHER = "other", "Other"

    local_authority = models.ForeignKey("tenancy.LocalAuthority", on_delete=models.PROTECT, related_name="+")
    child = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="ehe_cases")
    notified_on = models.DateField()
    reasons = models.JSONField(default=list, blank=True, help_text="Reason codes; empty until the parents say")
    reasons_detail = models.TextField(blank=True)
    school_left = models.CharField(max_length=200, blank=True)
    review_on = models.DateField(null=True, blank=True)
    suitability = models.CharField(max_length=15, choices=Suitability.choices, blank=True)
    suitability_on = models.DateField(null=True, blank=True)
    suitability_detail = models.TextField(blank=True)
    ended_on = models.DateField(null=True, blank=True)
    end_reason = models.CharField(max_length=20, choices=EndReason.choices, blank=True)
    end_detail = models.TextField(blank=True)
    # Opened from a missing-education case whose outcome was elective home education.
    from_cme = models.OneToOneField(
        CMECase, null=True, blank=True, on_delete=models.PROTECT, related_name="ehe_case"
    )

    class Meta:
        ordering = ["notified_on", "id"]
        indexes = [
            models.Index(fields=["local_authority", "ended_on", "notified_on"]),
            models.Index(fields=["child", "notified_on"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["child"], condition=Q(ended_on__isnull=True), name="one_open_ehe_case_per_child"
            ),
            models.CheckConstraint(
                condition=Q(suitability_on__isnull=True) | Q(suitability_on__gte=models.F("notified_on")),
                name="ehe_suitability_after_notification",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True)
                | (Q(ended_on__gte=models.F("notified_on")) & ~Q(end_reason="")),
                name="ehe_ends_after_notification_with_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"Elective home education from {self.notified_on:%d %b %Y}"

    @property
    def is_open(self) -> bool:
        return self.ended_on is None

    @property
    def reason_labels(self) -> list[str]:
        labels = dict(self.Reason.choices)
        return [str(labels.get(code, code)) for code in self.reasons]


class EHEVisit(AuditedModel):
    """A visit or contact with the family about the child's education, or their refusal of one."""

    class Kind(models.TextChoices):
        HOME_VISIT = "home_visit", "Home visit"
        MEETING_ELSEWHERE = "meeting_elsewhere", "Meeting somewhere else"
        WRITTEN_EVIDENCE = "written_evidence", "Written evidence of the education"
        DECLINED = "declined", "The family declined a visit or meeting"

    local_authority = models.ForeignKey("tenancy.LocalAuthority", on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(EHECase, on_delete=models.PROTECT, related_name="visits")
    happened_on = models.DateField()
    kind = models.CharField(max_length=20, choices=Kind.choices)
    child_seen = models.BooleanField(default=False)
    notes = models.TextField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-happened_on", "-id"]
        indexes = [models.Index(fields=["case", "happened_on"])]


class RegisterFlagNotice(models.Model):
    """That the child's social worker and their manager were told about one status while on a register.

    One row per register case, flag and the record behind the flag (the CIN episode, CP plan or
    period of care), so a new plan or a new period of care is told again and an old one never twice.
    Bookkeeping, not case data: it records a message sent, which the notifications themselves hold.
    """

    local_authority = models.ForeignKey("tenancy.LocalAuthority", on_delete=models.PROTECT, related_name="+")
    cme_case = models.ForeignKey(CMECase, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    ehe_case = models.ForeignKey(EHECase, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    flag = models.CharField(max_length=4, choices=Flag.choices)
    source_id = models.PositiveBigIntegerField(help_text="The CIN episode, CP plan or period of care")
    recipients = models.PositiveSmallIntegerField(default=0)
    notified_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(Q(cme_case__isnull=False) & Q(ehe_case__isnull=True))
                | (Q(cme_case__isnull=True) & Q(ehe_case__isnull=False)),
                name="flag_notice_for_one_case",
            ),
            models.UniqueConstraint(
                fields=["cme_case", "flag", "source_id"], condition=Q(cme_case__isnull=False),
                name="one_flag_notice_per_cme_source",
            ),
            models.UniqueConstraint(
                fields=["ehe_case", "flag", "source_id"], condition=Q(ehe_case__isnull=False),
                name="one_flag_notice_per_ehe_source",
            ),
        ]
