"""Workforce development: training programmes (e.g. restorative practice for 800 practitioners), their sessions
and who attended, and social work apprenticeships (a cohort a year, each apprentice to qualify by a date)."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models

from hearth.audit.models import AuditedModel


class TrainingCourse(AuditedModel):
    """A course or programme, with the number of practitioners the council means to train."""

    local_authority = models.ForeignKey("tenancy.LocalAuthority", on_delete=models.PROTECT, related_name="+")
    title = models.CharField(max_length=150)
    description = models.TextField(blank=True)
    # Who it is for, in words ("all practitioners in children's services and partner agencies").
    audience = models.CharField(max_length=250, blank=True)
    # How many practitioners the council has committed to train: the denominator of coverage.
    target_trained = models.PositiveIntegerField(validators=[MinValueValidator(1)])
    # Sessions a practitioner must attend to count as trained (a five-day programme: 5).
    sessions_to_complete = models.PositiveSmallIntegerField(default=1, validators=[MinValueValidator(1)])
    target_date = models.DateField(null=True, blank=True)
    is_mandatory = models.BooleanField(default=False)

    class Meta:
        ordering = ["title"]


class TrainingSession(AuditedModel):
    local_authority = models.ForeignKey("tenancy.LocalAuthority", on_delete=models.PROTECT, related_name="+")
    course = models.ForeignKey(TrainingCourse, on_delete=models.PROTECT, related_name="sessions")
    held_on = models.DateField()
    venue = models.CharField(max_length=150, blank=True)
    trainer = models.CharField(max_length=150, blank=True)
    capacity = models.PositiveSmallIntegerField(validators=[MinValueValidator(1)])
    cancelled = models.BooleanField(default=False)

    class Meta:
        ordering = ["held_on", "id"]


class TrainingAttendance(AuditedModel):
    """One practitioner booked on one session. Staff are linked to their user; a partner agency's practitioner
    (a school, the police) is named with their organisation."""

    class Status(models.TextChoices):
        BOOKED = "booked", "Booked"
        ATTENDED = "attended", "Attended"
        DID_NOT_ATTEND = "did_not_attend", "Did not attend"
        CANCELLED = "cancelled", "Cancelled"

    local_authority = models.ForeignKey("tenancy.LocalAuthority", on_delete=models.PROTECT, related_name="+")
    session = models.ForeignKey(TrainingSession, on_delete=models.PROTECT, related_name="attendances")
    worker = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                               related_name="training_attendances")
    attendee_name = models.CharField(max_length=150, blank=True)
    attendee_organisation = models.CharField(max_length=150, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.BOOKED)

    class Meta:
        ordering = ["session_id", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(worker__isnull=False) | ~models.Q(attendee_name=""),
                                   name="attendance_names_someone"),
            models.UniqueConstraint(fields=["session", "worker"], condition=models.Q(worker__isnull=False),
                                    name="one_booking_per_worker_per_session"),
        ]


class ApprenticeshipCohort(AuditedModel):
    """Social work apprentices who started together (degree apprenticeship, usually three years)."""

    local_authority = models.ForeignKey("tenancy.LocalAuthority", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=100)
    starts_on = models.DateField()
    expected_qualification_on = models.DateField()
    provider = models.CharField(max_length=150, blank=True, help_text="The university or training provider")
    places = models.PositiveSmallIntegerField(validators=[MinValueValidator(1)])

    class Meta:
        ordering = ["-starts_on"]


class Apprentice(AuditedModel):
    class Status(models.TextChoices):
        ON_PROGRAMME = "on_programme", "On programme"
        BREAK = "break", "Break in learning"
        QUALIFIED = "qualified", "Qualified"
        WITHDRAWN = "withdrawn", "Withdrawn"

    local_authority = models.ForeignKey("tenancy.LocalAuthority", on_delete=models.PROTECT, related_name="+")
    cohort = models.ForeignKey(ApprenticeshipCohort, on_delete=models.PROTECT, related_name="apprentices")
    worker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="apprenticeships")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.ON_PROGRAMME)
    expected_qualification_on = models.DateField(help_text="The cohort's date unless this apprentice's differs")
    qualified_on = models.DateField(null=True, blank=True)
    withdrawn_on = models.DateField(null=True, blank=True)
    # The social worker post they are expected to step into on qualifying.
    destination_post = models.ForeignKey("workforce.Post", null=True, blank=True, on_delete=models.PROTECT,
                                         related_name="+")

    class Meta:
        ordering = ["cohort_id", "id"]
        constraints = [models.UniqueConstraint(fields=["cohort", "worker"], name="apprentice_once_per_cohort")]
