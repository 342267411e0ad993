"""Every training list page reads in the same number of queries for few rows and for many."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from hearth.accounts.roles import Role
from hearth.training.models import ApprenticeshipCohort, TrainingCourse, TrainingSession
from hearth.workforce.models import Post
from tests.conftest import client_for
from tests.factories import make_team, make_user
from tests.queries import query_count
from tests.training.factories import BOOKED, book, make_apprentice, make_cohort, make_course, make_session

TODAY = timezone.localdate()


def _grow(la, staff, start: int, n: int) -> None:
    """n more teams each with a practitioner, n more courses each with a held and a planned session (a staff member
    and a partner on each), n more bookings on the first course, n more cohorts and apprentices."""
    first = TrainingCourse.objects.filter(local_authority=la).order_by("pk").first()
    register = TrainingSession.objects.filter(course=first).order_by("pk").first()
    for i in range(start, start + n):
        team = make_team(la, f"Team {i}")
        worker = make_user(la, Role.SOCIAL_WORKER, team, last_name=f"More{i}")
        course = make_course(la, f"Course {i}", is_mandatory=bool(i % 2))
        held, coming = make_session(course, TODAY - timedelta(days=i + 1)), make_session(course, TODAY + timedelta(
            days=i + 1))
        book(held, worker)
        book(held, name=f"Partner {i}", organisation="Police")
        book(coming, worker, status=BOOKED)
        book(make_session(first, TODAY - timedelta(days=i)), worker)
        book(make_session(first, TODAY + timedelta(days=i + 1)), staff.worker, status=BOOKED)
        book(register, worker, status=BOOKED)
        cohort = make_cohort(la, f"Cohort {i}")
        post = Post(local_authority=la, reference=f"P-{i}", title="Social worker", kind=Post.Kind.SOCIAL_WORKER,
                    fte=1, annual_cost=50000, established_on=TODAY, team=team)
        post.save(by="test")
        make_apprentice(cohort, worker, destination_post=post)
        make_apprentice(cohort, make_user(la, Role.SOCIAL_WORKER, team))


def _counts(la, staff) -> dict[str, int]:
    course = TrainingCourse.objects.filter(local_authority=la).order_by("pk").first()
    session = TrainingSession.objects.filter(course=course).order_by("pk").first()
    cohort = ApprenticeshipCohort.objects.filter(local_authority=la).order_by("pk").first()
    director, manager, worker = client_for(staff.director), client_for(staff.manager), client_for(staff.worker)
    return {
        "index": query_count(lambda: director.get("/training/")),
        "course": query_count(lambda: director.get(f"/training/courses/{course.pk}/")),
        "course_manager": query_count(lambda: manager.get(f"/training/courses/{course.pk}/")),
        "session": query_count(lambda: manager.get(f"/training/sessions/{session.pk}/")),
        "cohort": query_count(lambda: director.get(f"/training/apprenticeships/{cohort.pk}/")),
        "mine": query_count(lambda: worker.get("/training/mine/")),
        "worker": query_count(lambda: director.get(f"/training/staff/{staff.worker.pk}/")),
        "new_apprentice": query_count(lambda: director.get(f"/training/apprenticeships/{cohort.pk}/apprentices/new/")),
    }


def test_list_pages_read_in_a_fixed_number_of_queries(la, staff):
    make_session(make_course(la, "A first course", is_mandatory=True, sessions=2), TODAY, capacity=100)
    _grow(la, staff, 0, 2)
    few = _counts(la, staff)
    _grow(la, staff, 2, 8)
    many = _counts(la, staff)
    assert many == few
