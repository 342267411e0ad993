"""Builders for training data, saved through the audited paths (statuses set directly, so a test can say who
attended without marking a register first)."""

from __future__ import annotations

from datetime import date
from typing import Any

from hearth.accounts.models import User
from hearth.tenancy.models import LocalAuthority
from hearth.training.models import (
    Apprentice,
    ApprenticeshipCohort,
    TrainingAttendance,
    TrainingCourse,
    TrainingSession,
)

ATTENDED = TrainingAttendance.Status.ATTENDED
DID_NOT_ATTEND = TrainingAttendance.Status.DID_NOT_ATTEND
BOOKED = TrainingAttendance.Status.BOOKED
CANCELLED = TrainingAttendance.Status.CANCELLED


def make_course(la: LocalAuthority, title: str = "Restorative practice", *, target: int = 800,
                sessions: int = 1, **extra: Any) -> TrainingCourse:
    course = TrainingCourse(local_authority=la, title=title, target_trained=target, sessions_to_complete=sessions,
                            **extra)
    course.save(by="test")
    return course


def make_session(course: TrainingCourse, held_on: date, *, capacity: int = 20, cancelled: bool = False,
                 **extra: Any) -> TrainingSession:
    session = TrainingSession(local_authority_id=course.local_authority_id, course=course, held_on=held_on,
                              capacity=capacity, cancelled=cancelled, **extra)
    session.save(by="test")
    return session


def book(session: TrainingSession, worker: User | None = None, *, name: str = "", organisation: str = "",
         status: str = ATTENDED) -> TrainingAttendance:
    booking = TrainingAttendance(local_authority_id=session.local_authority_id, session=session, worker=worker,
                                 attendee_name=name, attendee_organisation=organisation, status=status)
    booking.save(by="test")
    return booking


def make_cohort(la: LocalAuthority, name: str = "Apprentices 2025", *, starts_on: date = date(2025, 9, 1),
                expected: date = date(2028, 8, 31), places: int = 6, **extra: Any) -> ApprenticeshipCohort:
    cohort = ApprenticeshipCohort(local_authority=la, name=name, starts_on=starts_on,
                                  expected_qualification_on=expected, places=places, **extra)
    cohort.save(by="test")
    return cohort


def make_apprentice(cohort: ApprenticeshipCohort, worker: User, *, status: str = Apprentice.Status.ON_PROGRAMME,
                    **extra: Any) -> Apprentice:
    extra.setdefault("expected_qualification_on", cohort.expected_qualification_on)
    apprentice = Apprentice(local_authority_id=cohort.local_authority_id, cohort=cohort, worker=worker,
                            status=status, **extra)
    apprentice.save(by="test")
    return apprentice
