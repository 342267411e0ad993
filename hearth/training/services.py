"""Running training: courses and their sessions, booking practitioners (staff or from partner agencies) and
keeping the register, and apprenticeship cohorts with each apprentice's progress to qualifying.

Each function is one transaction; the acting user (``by``) is checked against the training permissions, or a
named system process (the demo council) acts without a role.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from hearth.accounts.models import User
from hearth.accounts.roles import STAFF_ROLES
from hearth.audit.actor import acting_as
from hearth.workforce.models import Post

from .models import Apprentice, ApprenticeshipCohort, TrainingAttendance, TrainingCourse, TrainingSession
from .selectors import HOLDING, tidy

MANAGE = "training.manage_training"
ATTENDANCE = "training.record_attendance"
TITLE_LENGTH = int(TrainingCourse._meta.get_field("title").max_length or 150)
MARKS = (TrainingAttendance.Status.ATTENDED, TrainingAttendance.Status.DID_NOT_ATTEND)


def _allowed(by: Any, perm: str, local_authority_id: int) -> None:
    if isinstance(by, str):
        return
    if (not isinstance(by, User) or by.local_authority_id != local_authority_id or not by.has_perm(perm)):
        raise PermissionDenied("You cannot change training records.")


def _la_id(local_authority: Any) -> int:
    return int(getattr(local_authority, "pk", local_authority))


def _day(value: date) -> str:
    return f"{value.day} {value:%B %Y}"


# ---------------------------------------------------------------------------------------------- courses

def _check_course(*, local_authority_id: int, title: str, target_trained: int | None,
                  sessions_to_complete: int | None, course: TrainingCourse | None = None) -> None:
    errors: dict[str, str] = {}
    if not title.strip():
        errors["title"] = "Enter the name of the course"
    elif len(title.strip()) > TITLE_LENGTH:
        errors["title"] = f"The name of the course must be {TITLE_LENGTH} characters or fewer"
    else:
        same = TrainingCourse.objects.filter(local_authority_id=local_authority_id,
                                             title__iexact=title.strip())
        if course is not None:
            same = same.exclude(pk=course.pk)
        if same.exists():
            errors["title"] = "There is already a course with this name"
    if target_trained is None or target_trained < 1:
        errors["target_trained"] = "Enter how many practitioners the council means to train, 1 or more"
    if sessions_to_complete is None or sessions_to_complete < 1:
        errors["sessions_to_complete"] = "Enter how many sessions a practitioner must attend, 1 or more"
    if errors:
        raise ValidationError(errors)


def course_create(*, local_authority: Any, title: str, target_trained: int, sessions_to_complete: int = 1,
                  description: str = "", audience: str = "", target_date: date | None = None,
                  is_mandatory: bool = False, by: Any) -> TrainingCourse:
    la_id = _la_id(local_authority)
    _allowed(by, MANAGE, la_id)
    _check_course(local_authority_id=la_id, title=title, target_trained=target_trained,
                  sessions_to_complete=sessions_to_complete)
    with transaction.atomic(), acting_as(by):
        course = TrainingCourse(local_authority_id=la_id, title=title.strip(), description=description.strip(),
                                audience=audience.strip(), target_trained=target_trained,
                                sessions_to_complete=sessions_to_complete, target_date=target_date,
                                is_mandatory=is_mandatory)
        course.save()
    return course


def course_update(*, course: TrainingCourse, expected_version: int, title: str, target_trained: int,
                  sessions_to_complete: int, description: str = "", audience: str = "",
                  target_date: date | None = None, is_mandatory: bool = False, by: Any) -> TrainingCourse:
    """Change a course. Raises StaleVersionError if someone saved it after the editor opened it."""
    _allowed(by, MANAGE, course.local_authority_id)
    _check_course(local_authority_id=course.local_authority_id, title=title, target_trained=target_trained,
                  sessions_to_complete=sessions_to_complete, course=course)
    with transaction.atomic(), acting_as(by):
        course.title, course.description, course.audience = title.strip(), description.strip(), audience.strip()
        course.target_trained, course.sessions_to_complete = target_trained, sessions_to_complete
        course.target_date, course.is_mandatory = target_date, is_mandatory
        course.version = expected_version
        course.save()
    return course


# ---------------------------------------------------------------------------------------------- sessions

def session_create(*, course: TrainingCourse, held_on: date, capacity: int, venue: str = "", trainer: str = "",
                   by: Any) -> TrainingSession:
    """A session of a course. Past sessions can be entered, so that a register kept on paper can be typed in."""
    _allowed(by, MANAGE, course.local_authority_id)
    if capacity is None or capacity < 1:
        raise ValidationError({"capacity": "Enter how many places the session has, 1 or more"})
    with transaction.atomic(), acting_as(by):
        session = TrainingSession(local_authority_id=course.local_authority_id, course=course, held_on=held_on,
                                  capacity=capacity, venue=venue.strip(), trainer=trainer.strip())
        session.save()
    return session


def session_cancel(*, session: TrainingSession, expected_version: int, by: Any) -> TrainingSession:
    """Call a session off. Its bookings are cancelled with it; a session with anyone marked as attending was held
    and cannot be cancelled."""
    _allowed(by, MANAGE, session.local_authority_id)
    if session.cancelled:
        raise ValidationError("This session is already cancelled.")
    with transaction.atomic(), acting_as(by):
        bookings = list(TrainingAttendance.objects.select_for_update().filter(session=session))
        if any(b.status == TrainingAttendance.Status.ATTENDED for b in bookings):
            raise ValidationError("People are marked as attending this session, so it was held and cannot be "
                                  "cancelled. Correct the register first if that is wrong.")
        session.cancelled = True
        session.version = expected_version
        session.save()
        for booking in bookings:
            if booking.status == TrainingAttendance.Status.BOOKED:
                booking.status = TrainingAttendance.Status.CANCELLED
                booking.save()
    return session


# ---------------------------------------------------------------------------------------------- bookings

def attendance_book(*, session: TrainingSession, worker: User | None = None, attendee_name: str = "",
                    attendee_organisation: str = "", by: Any) -> TrainingAttendance:
    """Book a member of staff, or a partner agency's practitioner by name and organisation, on a session.

    Refused when the session is cancelled or full (saying how many places are left) or the practitioner already
    has a place on it. A member of staff whose booking was cancelled is booked again on the same row."""
    _allowed(by, ATTENDANCE, session.local_authority_id)
    name, organisation = " ".join(attendee_name.split()), " ".join(attendee_organisation.split())
    if worker is None:
        errors = {}
        if not name:
            errors["attendee_name"] = "Enter the practitioner's name"
        if not organisation:
            errors["attendee_organisation"] = "Enter the organisation they work for"
        if errors:
            raise ValidationError(errors)
    elif worker.local_authority_id != session.local_authority_id or worker.role not in STAFF_ROLES:
        raise ValidationError({"worker": "Select a member of the council's staff"})
    field_name = "worker" if worker is not None else "attendee_name"
    with transaction.atomic(), acting_as(by):
        # Locked, so two people filling the last place at once cannot both have it.
        session = TrainingSession.objects.select_for_update().get(pk=session.pk)
        if session.cancelled:
            raise ValidationError("This session is cancelled: nobody can be booked on it.")
        bookings = list(TrainingAttendance.objects.filter(session=session))
        holding = [b for b in bookings if b.status in HOLDING]
        if worker is not None:
            same = [b for b in bookings if b.worker_id == worker.pk]
        else:
            key = (tidy(name), tidy(organisation))
            same = [b for b in bookings if b.worker_id is None
                    and (tidy(b.attendee_name), tidy(b.attendee_organisation)) == key]
        if any(b.status in HOLDING for b in same):
            who = worker.get_full_name() if worker is not None else f"{name} ({organisation})"
            raise ValidationError({field_name: f"{who} is already booked on this session"})
        left = session.capacity - len(holding)
        if left <= 0:
            taken = ("its 1 place is booked" if session.capacity == 1
                     else f"all {session.capacity} places are booked")
            raise ValidationError({field_name: f"This session is full: {taken} and 0 places are left"})
        if worker is not None and same:
            booking = same[0]
            booking.status = TrainingAttendance.Status.BOOKED
        else:
            booking = TrainingAttendance(local_authority_id=session.local_authority_id, session=session,
                                         worker=worker, attendee_name="" if worker else name,
                                         attendee_organisation="" if worker else organisation)
        booking.save()
    return booking


def attendance_cancel(*, attendance: TrainingAttendance, by: Any) -> TrainingAttendance:
    """Give a booked place back. Attendance already marked stays: correct the register instead."""
    _allowed(by, ATTENDANCE, attendance.local_authority_id)
    if attendance.status != TrainingAttendance.Status.BOOKED:
        raise ValidationError("Only a place that is booked, with attendance not yet marked, can be cancelled.")
    with transaction.atomic(), acting_as(by):
        attendance.status = TrainingAttendance.Status.CANCELLED
        attendance.save()
    return attendance


def register_mark(*, session: TrainingSession, marks: Mapping[int, str], versions: Mapping[int, int] | None = None,
                  today: date | None = None, by: Any) -> int:
    """Mark who attended and who did not, for bookings on one session (keyed by booking id). Only a session that
    has been held (today or earlier, not cancelled) has a register. Returns how many bookings changed. Raises
    StaleVersionError if a booking changed since the register was opened (``versions``)."""
    _allowed(by, ATTENDANCE, session.local_authority_id)
    today = today or timezone.localdate()
    if session.cancelled:
        raise ValidationError("This session was cancelled, so it has no register.")
    if session.held_on > today:
        raise ValidationError(f"Attendance can be marked from the day of the session, {_day(session.held_on)}.")
    if any(status not in MARKS for status in marks.values()):
        raise ValidationError("Mark each practitioner as attended or did not attend.")
    versions = versions or {}
    changed = 0
    with transaction.atomic(), acting_as(by):
        bookings = {b.pk: b for b in TrainingAttendance.objects.select_for_update()
                    .filter(session=session, pk__in=list(marks))}
        if set(marks) - set(bookings):
            raise ValidationError("A booking on another session cannot be marked here.")
        for pk, status in marks.items():
            booking = bookings[pk]
            if booking.status == TrainingAttendance.Status.CANCELLED:
                raise ValidationError("A cancelled booking cannot be marked: book the practitioner again first.")
            if pk in versions:
                booking.version = versions[pk]
            if booking.status != status:
                booking.status = status
                booking.save()
                changed += 1
    return changed


def attendance_mark(*, attendance: TrainingAttendance, status: str, today: date | None = None,
                    by: Any) -> TrainingAttendance:
    """Mark one booking attended or did not attend."""
    register_mark(session=attendance.session, marks={attendance.pk: status},
                  versions={attendance.pk: attendance.version}, today=today, by=by)
    attendance.refresh_from_db()
    return attendance


# ---------------------------------------------------------------------------------------------- apprenticeships

def cohort_create(*, local_authority: Any, name: str, starts_on: date, expected_qualification_on: date,
                  places: int, provider: str = "", by: Any) -> ApprenticeshipCohort:
    la_id = _la_id(local_authority)
    _allowed(by, MANAGE, la_id)
    errors: dict[str, str] = {}
    if not name.strip():
        errors["name"] = "Enter a name for the cohort"
    elif ApprenticeshipCohort.objects.filter(local_authority_id=la_id, name__iexact=name.strip()).exists():
        errors["name"] = "There is already a cohort with this name"
    if expected_qualification_on <= starts_on:
        errors["expected_qualification_on"] = "The expected qualification date must be after the start date"
    if places is None or places < 1:
        errors["places"] = "Enter how many apprenticeship places the cohort has, 1 or more"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(), acting_as(by):
        cohort = ApprenticeshipCohort(local_authority_id=la_id, name=name.strip(), starts_on=starts_on,
                                      expected_qualification_on=expected_qualification_on, places=places,
                                      provider=provider.strip())
        cohort.save()
    return cohort


def _check_post(post: Post | None, local_authority_id: int) -> None:
    if post is not None and post.local_authority_id != local_authority_id:
        raise ValidationError({"destination_post": "Select a post in the council's establishment"})


def apprentice_add(*, cohort: ApprenticeshipCohort, worker: User, expected_qualification_on: date | None = None,
                   destination_post: Post | None = None, by: Any) -> Apprentice:
    """Add a member of staff to a cohort; they are expected to qualify with it unless a date is given."""
    _allowed(by, MANAGE, cohort.local_authority_id)
    if worker.local_authority_id != cohort.local_authority_id or worker.role not in STAFF_ROLES:
        raise ValidationError({"worker": "Select a member of the council's staff"})
    _check_post(destination_post, cohort.local_authority_id)
    expected = expected_qualification_on or cohort.expected_qualification_on
    if expected <= cohort.starts_on:
        raise ValidationError({"expected_qualification_on":
                               "The expected qualification date must be after the cohort starts"})
    with transaction.atomic(), acting_as(by):
        cohort = ApprenticeshipCohort.objects.select_for_update().get(pk=cohort.pk)
        current = list(Apprentice.objects.filter(cohort=cohort))
        if any(a.worker_id == worker.pk for a in current):
            raise ValidationError({"worker": f"{worker.get_full_name()} is already in this cohort"})
        taken = sum(1 for a in current if a.status != Apprentice.Status.WITHDRAWN)
        if taken >= cohort.places:
            full = ("The 1 place in this cohort is filled" if cohort.places == 1
                    else f"All {cohort.places} places in this cohort are filled")
            raise ValidationError({"worker": full})
        apprentice = Apprentice(local_authority_id=cohort.local_authority_id, cohort=cohort, worker=worker,
                                expected_qualification_on=expected, destination_post=destination_post)
        apprentice.save()
    return apprentice


def apprentice_update(*, apprentice: Apprentice, expected_version: int, status: str,
                      expected_qualification_on: date, qualified_on: date | None = None,
                      withdrawn_on: date | None = None, destination_post: Post | None = None,
                      today: date | None = None, by: Any) -> Apprentice:
    """Record an apprentice's progress. Qualified needs the date they qualified, withdrawn the date they left the
    programme; neither may be before the cohort started or in the future. Raises StaleVersionError if the
    apprentice was changed since the editor opened them."""
    _allowed(by, MANAGE, apprentice.local_authority_id)
    today = today or timezone.localdate()
    starts_on = apprentice.cohort.starts_on
    errors: dict[str, str] = {}
    if status not in Apprentice.Status.values:
        errors["status"] = "Select where the apprentice is on their programme"
    if expected_qualification_on <= starts_on:
        errors["expected_qualification_on"] = "The expected qualification date must be after the cohort starts"
    for field, value, needed, words in (
            ("qualified_on", qualified_on, Apprentice.Status.QUALIFIED, "the apprentice qualified"),
            ("withdrawn_on", withdrawn_on, Apprentice.Status.WITHDRAWN, "the apprentice withdrew")):
        if status != needed:
            continue
        if value is None:
            errors[field] = f"Enter the date {words}"
        elif value < starts_on:
            errors[field] = f"The date {words} must be on or after the cohort started, {_day(starts_on)}"
        elif value > today:
            errors[field] = f"The date {words} must be today or in the past"
    if errors:
        raise ValidationError(errors)
    _check_post(destination_post, apprentice.local_authority_id)
    with transaction.atomic(), acting_as(by):
        apprentice.status = status
        apprentice.expected_qualification_on = expected_qualification_on
        # Only the date that goes with the status is kept: a correction from qualified to on programme clears it.
        apprentice.qualified_on = qualified_on if status == Apprentice.Status.QUALIFIED else None
        apprentice.withdrawn_on = withdrawn_on if status == Apprentice.Status.WITHDRAWN else None
        apprentice.destination_post = destination_post
        apprentice.version = expected_version
        apprentice.save()
    return apprentice
