"""What the training services refuse, and what they write."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from hearth.accounts.roles import Role
from hearth.audit.models import ChangeRecord, StaleVersionError
from hearth.training.models import Apprentice, TrainingAttendance
from hearth.training.services import (
    apprentice_add,
    apprentice_update,
    attendance_book,
    attendance_cancel,
    attendance_mark,
    cohort_create,
    course_create,
    course_update,
    register_mark,
    session_cancel,
    session_create,
)
from hearth.workforce.models import Post
from tests.factories import make_la, make_team, make_user
from tests.training.factories import ATTENDED, BOOKED, CANCELLED, book, make_cohort, make_course, make_session

TODAY = timezone.localdate()


def _messages(error: ValidationError) -> dict[str, list[str]]:
    return error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}


# ---------------------------------------------------------------------------------------------- courses

def test_a_course_is_created_with_its_history(la, staff):
    course = course_create(local_authority=la, title=" Restorative practice ", target_trained=800,
                           sessions_to_complete=5, is_mandatory=True, by=staff.improvement)
    assert (course.title, course.target_trained, course.sessions_to_complete, course.version) == (
        "Restorative practice", 800, 5, 1)
    change = ChangeRecord.objects.get(model_label="training.TrainingCourse", object_id=str(course.pk))
    assert change.by_user_id == staff.improvement.pk


def test_a_course_needs_a_new_name_and_a_target(la, staff):
    make_course(la, "Restorative practice")
    with pytest.raises(ValidationError) as refused:
        course_create(local_authority=la, title="restorative PRACTICE", target_trained=0, sessions_to_complete=0,
                      by=staff.director)
    assert set(_messages(refused.value)) == {"title", "target_trained", "sessions_to_complete"}
    assert "already a course" in _messages(refused.value)["title"][0]


def test_only_those_who_run_training_create_courses(la, staff):
    for who in (staff.manager, staff.worker, staff.analyst):
        with pytest.raises(PermissionDenied):
            course_create(local_authority=la, title="X", target_trained=1, by=who)
    other = make_user(make_la("Another Council"), Role.DIRECTOR)
    with pytest.raises(PermissionDenied):
        course_create(local_authority=la, title="X", target_trained=1, by=other)


def test_a_stale_course_update_is_refused(la, staff):
    course = make_course(la)
    stale_version = course.version
    course_update(course=course, expected_version=stale_version, title="Restorative practice", target_trained=900,
                  sessions_to_complete=5, by=staff.director)
    with pytest.raises(StaleVersionError):
        course_update(course=course, expected_version=stale_version, title="Restorative practice",
                      target_trained=700, sessions_to_complete=5, by=staff.improvement)
    course.refresh_from_db()
    assert course.target_trained == 900


# ---------------------------------------------------------------------------------------------- sessions and bookings

def test_a_full_session_says_how_many_places_are_left(la, staff):
    session = session_create(course=make_course(la), held_on=TODAY + timedelta(days=10), capacity=2,
                             by=staff.improvement)
    attendance_book(session=session, worker=staff.worker, by=staff.manager)
    attendance_book(session=session, attendee_name="Jo Bloggs", attendee_organisation="Ashfield Academy",
                    by=staff.manager)
    with pytest.raises(ValidationError) as refused:
        attendance_book(session=session, worker=staff.colleague, by=staff.manager)
    assert _messages(refused.value) == {
        "worker": ["This session is full: all 2 places are booked and 0 places are left"]}
    # A cancelled booking gives its place back.
    attendance_cancel(attendance=TrainingAttendance.objects.get(worker=staff.worker), by=staff.manager)
    attendance_book(session=session, worker=staff.colleague, by=staff.manager)


def test_the_same_practitioner_cannot_be_booked_twice(la, staff):
    session = make_session(make_course(la), TODAY + timedelta(days=3))
    attendance_book(session=session, worker=staff.worker, by=staff.manager)
    with pytest.raises(ValidationError) as refused:
        attendance_book(session=session, worker=staff.worker, by=staff.manager)
    assert _messages(refused.value) == {"worker": ["Sam Okafor is already booked on this session"]}
    attendance_book(session=session, attendee_name="Jo Bloggs", attendee_organisation="Ashfield Academy",
                    by=staff.manager)
    with pytest.raises(ValidationError) as refused:
        attendance_book(session=session, attendee_name="jo  bloggs", attendee_organisation="ASHFIELD academy",
                        by=staff.manager)
    assert "already booked" in _messages(refused.value)["attendee_name"][0]
    assert TrainingAttendance.objects.filter(session=session).count() == 2


def test_a_cancelled_booking_is_booked_again_on_the_same_row(la, staff):
    session = make_session(make_course(la), TODAY + timedelta(days=3))
    first = attendance_book(session=session, worker=staff.worker, by=staff.manager)
    attendance_cancel(attendance=first, by=staff.manager)
    again = attendance_book(session=session, worker=staff.worker, by=staff.manager)
    assert again.pk == first.pk and again.status == BOOKED


def test_a_partner_needs_a_name_and_organisation_and_staff_must_be_the_councils(la, staff):
    session = make_session(make_course(la), TODAY + timedelta(days=3))
    with pytest.raises(ValidationError) as refused:
        attendance_book(session=session, attendee_name=" ", by=staff.manager)
    assert set(_messages(refused.value)) == {"attendee_name", "attendee_organisation"}
    stranger = make_user(make_la("Another Council"), Role.SOCIAL_WORKER)
    with pytest.raises(ValidationError):
        attendance_book(session=session, worker=stranger, by=staff.manager)
    partner_user = make_user(la, Role.PARTNER_REFERRER)
    with pytest.raises(ValidationError):
        attendance_book(session=session, worker=partner_user, by=staff.manager)


def test_nobody_is_booked_on_a_cancelled_session(la, staff):
    session = make_session(make_course(la), TODAY + timedelta(days=3))
    booked = book(session, staff.worker, status=BOOKED)
    session_cancel(session=session, expected_version=session.version, by=staff.director)
    booked.refresh_from_db()
    assert booked.status == CANCELLED
    with pytest.raises(ValidationError, match="cancelled"):
        attendance_book(session=session, worker=staff.colleague, by=staff.manager)
    with pytest.raises(ValidationError, match="already cancelled"):
        session_cancel(session=session, expected_version=session.version, by=staff.director)


def test_a_session_with_attendance_was_held_and_cannot_be_cancelled(la, staff):
    session = make_session(make_course(la), TODAY)
    book(session, staff.worker)
    with pytest.raises(ValidationError, match="held"):
        session_cancel(session=session, expected_version=session.version, by=staff.director)


def test_team_managers_keep_registers_but_social_workers_do_not(la, staff):
    session = make_session(make_course(la), TODAY + timedelta(days=3))
    with pytest.raises(PermissionDenied):
        attendance_book(session=session, worker=staff.worker, by=staff.worker)
    with pytest.raises(PermissionDenied):
        session_create(course=session.course, held_on=TODAY, capacity=5, by=staff.manager)
    attendance_book(session=session, worker=staff.worker, by=staff.manager)


def test_the_register_is_marked_from_the_day_of_the_session(la, staff):
    coming = make_session(make_course(la), TODAY + timedelta(days=1))
    booking = book(coming, staff.worker, status=BOOKED)
    with pytest.raises(ValidationError, match="from the day of the session"):
        attendance_mark(attendance=booking, status=ATTENDED, by=staff.manager)
    marked = attendance_mark(attendance=booking, status=ATTENDED, today=coming.held_on, by=staff.manager)
    assert marked.status == ATTENDED
    with pytest.raises(ValidationError):
        register_mark(session=coming, marks={booking.pk: BOOKED}, today=coming.held_on, by=staff.manager)


def test_a_stale_register_is_refused(la, staff):
    session = make_session(make_course(la), TODAY)
    booking = book(session, staff.worker, status=BOOKED)
    loaded = booking.version
    register_mark(session=session, marks={booking.pk: ATTENDED}, versions={booking.pk: loaded}, by=staff.manager)
    with pytest.raises(StaleVersionError):
        register_mark(session=session, marks={booking.pk: "did_not_attend"}, versions={booking.pk: loaded},
                      by=staff.improvement)
    booking.refresh_from_db()
    assert booking.status == ATTENDED


def test_a_booking_from_another_session_cannot_be_marked(la, staff):
    course = make_course(la)
    one, other = make_session(course, TODAY), make_session(course, TODAY)
    elsewhere = book(other, staff.worker, status=BOOKED)
    with pytest.raises(ValidationError, match="another session"):
        register_mark(session=one, marks={elsewhere.pk: ATTENDED}, by=staff.manager)


# ---------------------------------------------------------------------------------------------- apprentices

def test_a_cohort_qualifies_after_it_starts(la, staff):
    with pytest.raises(ValidationError) as refused:
        cohort_create(local_authority=la, name="Apprentices 2026", starts_on=date(2026, 9, 1),
                      expected_qualification_on=date(2026, 9, 1), places=0, by=staff.director)
    assert set(_messages(refused.value)) == {"expected_qualification_on", "places"}
    cohort = cohort_create(local_authority=la, name="Apprentices 2026", starts_on=date(2026, 9, 1),
                           expected_qualification_on=date(2029, 8, 31), places=6, by=staff.director)
    assert cohort.places == 6


def test_apprentices_fill_places_once_each(la, staff):
    cohort = make_cohort(la, places=1)
    added = apprentice_add(cohort=cohort, worker=staff.worker, by=staff.improvement)
    assert added.expected_qualification_on == cohort.expected_qualification_on
    with pytest.raises(ValidationError, match="already in this cohort"):
        apprentice_add(cohort=cohort, worker=staff.worker, by=staff.improvement)
    with pytest.raises(ValidationError, match="The 1 place in this cohort is filled"):
        apprentice_add(cohort=cohort, worker=staff.colleague, by=staff.improvement)


def test_a_destination_post_is_the_councils(la, staff):
    other = make_la("Another Council")
    post = Post(local_authority=other, reference="X-1", title="Social worker", kind=Post.Kind.SOCIAL_WORKER,
                fte=1, annual_cost=50000, established_on=date(2020, 1, 1))
    post.save(by="test")
    with pytest.raises(ValidationError):
        apprentice_add(cohort=make_cohort(la), worker=staff.worker, destination_post=post, by=staff.improvement)


def test_qualified_needs_a_date_and_withdrawn_needs_a_date(la, staff):
    cohort = make_cohort(la, starts_on=date(2023, 9, 1), expected=date(2026, 8, 31))
    apprentice = apprentice_add(cohort=cohort, worker=staff.worker, by=staff.improvement)
    common = {"apprentice": apprentice, "expected_version": apprentice.version,
              "expected_qualification_on": cohort.expected_qualification_on, "by": staff.improvement}
    with pytest.raises(ValidationError) as refused:
        apprentice_update(status=Apprentice.Status.QUALIFIED, **common)
    assert _messages(refused.value) == {"qualified_on": ["Enter the date the apprentice qualified"]}
    with pytest.raises(ValidationError) as refused:
        apprentice_update(status=Apprentice.Status.WITHDRAWN, **common)
    assert _messages(refused.value) == {"withdrawn_on": ["Enter the date the apprentice withdrew"]}
    with pytest.raises(ValidationError, match="today or in the past"):
        apprentice_update(status=Apprentice.Status.QUALIFIED, qualified_on=TODAY + timedelta(days=1), **common)
    with pytest.raises(ValidationError, match="on or after the cohort started"):
        apprentice_update(status=Apprentice.Status.QUALIFIED, qualified_on=date(2023, 1, 1), **common)
    done = apprentice_update(status=Apprentice.Status.QUALIFIED, qualified_on=date(2026, 7, 30),
                             withdrawn_on=date(2026, 1, 1), **common)
    assert (done.status, done.qualified_on, done.withdrawn_on) == ("qualified", date(2026, 7, 30), None)
    with pytest.raises(StaleVersionError):
        apprentice_update(status=Apprentice.Status.ON_PROGRAMME, **common)


def test_services_name_the_team_manager_of_another_council_as_a_stranger(la, staff):
    other_la = make_la("Another Council")
    outsider = make_user(other_la, Role.TEAM_MANAGER, make_team(other_la))
    session = make_session(make_course(la), TODAY + timedelta(days=3))
    with pytest.raises(PermissionDenied):
        attendance_book(session=session, worker=staff.worker, by=outsider)
