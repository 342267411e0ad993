"""Access to the care plan pages: other councils, restricted and sealed children, staff without case access."""

from __future__ import annotations

from datetime import date

import pytest

from hearth.access.models import AccessEvent
from hearth.access.services import break_glass_open
from hearth.accounts.roles import Role
from hearth.care_plans.models import LookedAfterReview
from hearth.people.models import Person
from tests.conftest import client_for
from tests.factories import make_person, make_team, make_user

from .factories import bring_into_care, make_iro

TAILS = ("", "iro/", "plan/", "reviews/new/", "visits/new/", "health/new/", "dental/new/", "immunisations/new/",
         "sdq/new/", "pep/new/", "oc2/2026/")
REASON = "Police called about this child tonight and I need the care plan"


def urls(child) -> list[str]:
    return [f"/children/{child.pk}/care-plan/{tail}" for tail in TAILS]


def test_another_councils_child_is_not_found(la, other_la):
    theirs = make_person(other_la, first_name="Theirs", last_name="Secret")
    bring_into_care(theirs, date(2025, 3, 1))
    for user in (make_user(la, Role.SOCIAL_WORKER), make_iro(la), make_user(la, Role.SERVICE_MANAGER)):
        client = client_for(user)
        for address in urls(theirs):
            response = client.get(address)
            assert response.status_code == 404, address
            assert b"Secret" not in response.content


@pytest.mark.parametrize(("level", "status"), [(Person.AccessLevel.RESTRICTED, 403),
                                              (Person.AccessLevel.SEALED, 404)])
def test_a_protected_childs_care_plan_is_refused(la, level, status):
    child = make_person(la, level, first_name="Hidden", last_name="Child")
    bring_into_care(child, date(2025, 3, 1))
    for role in (Role.SOCIAL_WORKER, Role.TEAM_MANAGER, Role.IRO):
        client = client_for(make_user(la, role, make_team(la)))
        for address in urls(child):
            response = client.get(address)
            assert response.status_code == status, address
            assert b"Hidden Child" not in response.content
    assert not AccessEvent.objects.filter(person=child, action=AccessEvent.Action.VIEW).exists()


def test_a_refused_post_records_nothing(la, iro):
    child = make_person(la, Person.AccessLevel.RESTRICTED)
    bring_into_care(child, date(2025, 3, 1))
    client_for(iro).post(f"/children/{child.pk}/care-plan/reviews/new/", {
        "held_on_0": "1", "held_on_1": "4", "held_on_2": "2025", "chair": iro.pk, "participation": "PN1",
        "statutory": "yes"})
    assert not LookedAfterReview.objects.exists()


def test_after_breaking_the_glass_every_page_logs_a_view(la):
    team = make_team(la)
    child = make_person(la, Person.AccessLevel.RESTRICTED)
    bring_into_care(child, date(2025, 3, 1))
    manager = make_user(la, Role.TEAM_MANAGER, team)
    break_glass_open(person=child, user=manager, reason=REASON)
    client = client_for(manager)
    for address in urls(child):
        before = AccessEvent.objects.filter(person=child, user=manager, action=AccessEvent.Action.VIEW).count()
        assert client.get(address, follow=True).status_code == 200, address
        after = AccessEvent.objects.filter(person=child, user=manager, action=AccessEvent.Action.VIEW).count()
        assert after >= before + 1, address


def test_staff_without_case_access_are_refused(la):
    child = make_person(la)
    bring_into_care(child, date(2025, 3, 1))
    analyst = make_user(la, Role.PERFORMANCE_ANALYST)
    client = client_for(analyst)
    for address in urls(child):
        assert client.get(address).status_code in (403, 404), address


def test_the_oc2_list_never_names_a_child_the_user_cannot_open(la, social_worker):
    sealed = make_person(la, Person.AccessLevel.SEALED, first_name="Sealed", last_name="Secret")
    restricted = make_person(la, Person.AccessLevel.RESTRICTED, first_name="Restricted", last_name="Secret")
    visible = make_person(la, first_name="Open", last_name="Known")
    for child in (sealed, restricted, visible):
        bring_into_care(child, date(2025, 3, 1))
    page = client_for(social_worker).get("/children-in-care/outcomes/?year=2026")
    assert page.status_code == 200
    assert b"Secret" not in page.content and b"Open Known" in page.content
    assert b"2 more are restricted records you cannot open" in page.content
    analyst = client_for(make_user(la, Role.PERFORMANCE_ANALYST))
    assert analyst.get("/children-in-care/outcomes/").status_code == 403
