"""Who sees and does what: a social worker sees only their own training record."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from hearth.accounts.roles import Role
from tests.conftest import client_for
from tests.factories import make_la, make_team, make_user
from tests.training.factories import BOOKED, book, make_cohort, make_course, make_session

TODAY = timezone.localdate()


@pytest.fixture
def world(la, staff):
    course = make_course(la, "Restorative practice", target=10)
    session = make_session(course, TODAY + timedelta(days=5))
    book(session, staff.colleague, status=BOOKED)
    return {"course": course, "session": session, "cohort": make_cohort(la)}


def test_a_social_worker_sees_only_their_own_record(staff, world):
    client = client_for(staff.worker)
    assert client.get("/training/").url == "/training/mine/"
    mine = client.get("/training/mine/")
    assert mine.status_code == 200 and b"Your training" in mine.content
    assert client.get(f"/training/staff/{staff.worker.pk}/").status_code == 200
    for url in (f"/training/staff/{staff.colleague.pk}/", f"/training/courses/{world['course'].pk}/",
                f"/training/sessions/{world['session'].pk}/", f"/training/apprenticeships/{world['cohort'].pk}/",
                "/training/courses/new/", "/training/apprenticeships/new/"):
        assert client.get(url).status_code == 403, url
    assert client.post(f"/training/sessions/{world['session'].pk}/book/",
                       {"staff-worker": staff.worker.pk}).status_code == 403


@pytest.mark.parametrize("role", ["director", "improvement", "manager", "analyst"])
def test_council_wide_roles_see_every_course_session_cohort_and_record(staff, world, role):
    client = client_for(getattr(staff, role))
    for url in ("/training/", f"/training/courses/{world['course'].pk}/",
                f"/training/sessions/{world['session'].pk}/", f"/training/apprenticeships/{world['cohort'].pk}/",
                f"/training/staff/{staff.colleague.pk}/"):
        assert client.get(url).status_code == 200, url


def test_analysts_read_but_do_not_book_or_manage(staff, world):
    client = client_for(staff.analyst)
    page = client.get(f"/training/sessions/{world['session'].pk}/")
    assert b"Book a member of staff" not in page.content
    assert client.post(f"/training/sessions/{world['session'].pk}/book/",
                       {"staff-worker": staff.worker.pk}).status_code == 403
    assert client.get("/training/courses/new/").status_code == 403


def test_team_managers_book_but_do_not_create_courses(staff, world):
    client = client_for(staff.manager)
    assert b"Book a member of staff" in client.get(f"/training/sessions/{world['session'].pk}/").content
    assert client.get("/training/courses/new/").status_code == 403
    assert client.get(f"/training/courses/{world['course'].pk}/sessions/new/").status_code == 403
    assert client.get(f"/training/sessions/{world['session'].pk}/cancel/").status_code == 403


def test_another_councils_training_is_not_found(staff, world):
    other = make_la("Another Council")
    director = make_user(other, Role.DIRECTOR, make_team(other))
    client = client_for(director)
    for url in (f"/training/courses/{world['course'].pk}/", f"/training/sessions/{world['session'].pk}/",
                f"/training/apprenticeships/{world['cohort'].pk}/", f"/training/staff/{staff.worker.pk}/"):
        assert client.get(url).status_code == 404, url


def test_a_partner_referrer_has_no_training_pages(la):
    partner = make_user(la, Role.PARTNER_REFERRER)
    assert client_for(partner).get("/training/mine/").status_code == 403


def test_the_rules(staff):
    assert staff.worker.has_perm("training.view_training", staff.worker)
    assert not staff.worker.has_perm("training.view_training", staff.colleague)
    assert not staff.worker.has_perm("training.view_training")
    assert staff.business_support.has_perm("training.view_training", staff.business_support)
    assert staff.manager.has_perm("training.view_training", staff.south_worker)
    assert staff.manager.has_perm("training.record_attendance")
    assert not staff.manager.has_perm("training.manage_training")
    assert staff.improvement.has_perm("training.manage_training")
    assert not staff.analyst.has_perm("training.record_attendance")
