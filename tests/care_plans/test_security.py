"""Access to the care plan pages: other councils, restricted and sealed children, staff without case access."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError

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
    # The restricted child is counted; the sealed one not even that (as on the work trays).
    assert b"1 more is a restricted record you cannot open" in page.content
    analyst = client_for(make_user(la, Role.PERFORMANCE_ANALYST))
    assert analyst.get("/children-in-care/outcomes/").status_code == 403


# ---------------------------------------------------------------- the security review (issue 5)


def _date(name: str, day: date) -> dict[str, str]:
    return {f"{name}_0": str(day.day), f"{name}_1": str(day.month), f"{name}_2": str(day.year)}


def test_another_councils_iro_cannot_be_allocated_nor_chair_a_review_by_tampering(la, other_la, social_worker):
    from hearth.allocations.models import Allocation
    from hearth.care_plans import services

    child = make_person(la, date_of_birth=date(2015, 6, 1))
    period = bring_into_care(child, date(2025, 3, 1))
    theirs = make_iro(other_la, first_name="Their", last_name="Chair")
    client = client_for(social_worker)
    base = f"/children/{child.pk}/care-plan"
    assert b"Their Chair" not in client.get(f"{base}/iro/").content
    response = client.post(f"{base}/iro/", {"iro": theirs.pk, **_date("started_on", date(2025, 3, 2))})
    assert response.status_code == 200 and b"Choose the IRO from the list" in response.content
    response = client.post(f"{base}/reviews/new/", {**_date("held_on", date(2025, 3, 20)), "chair": theirs.pk,
                                                    "participation": "PN1", "statutory": "yes"})
    assert response.status_code == 200 and b"Choose the chair from the list" in response.content
    assert not Allocation.objects.filter(child=child, kind=Allocation.Kind.IRO).exists()
    assert not LookedAfterReview.objects.filter(child=child).exists()
    # Nor through the services.
    with pytest.raises(ValidationError):
        services.iro_allocate(period=period, iro=theirs, started_on=date(2025, 3, 2), by=social_worker)


def test_my_childs_pages_never_reach_another_childs_period_or_placement(la, other_la, social_worker):
    mine = make_person(la)
    bring_into_care(mine, date(2025, 3, 1))
    for council in (la, other_la):
        other = make_person(council, first_name="Other", last_name="Secret")
        period = bring_into_care(other, date(2025, 3, 1))
        placement = period.placements.get()
        client = client_for(social_worker)
        for address in (f"/children/{mine.pk}/care-plan/placements/{placement.pk}/plan/",
                        f"/children/{mine.pk}/care-plan/?period={period.pk}"):
            for response in (client.get(address), client.post(address, {"summary": "Tampered"})):
                assert response.status_code in (404, 405), address  # the overview takes no post
                assert b"Secret" not in response.content
            assert client.get(address).status_code == 404, address


def test_a_form_posted_and_saved_is_logged_and_the_iro_records_the_review(la, iro):
    child = make_person(la, date_of_birth=date(2015, 6, 1))
    bring_into_care(child, date(2025, 3, 1))
    logged = AccessEvent.objects.filter(person=child, user=iro, action=AccessEvent.Action.VIEW)
    response = client_for(iro).post(f"/children/{child.pk}/care-plan/reviews/new/", {
        **_date("held_on", date(2025, 3, 20)), "chair": iro.pk, "participation": "PN1", "statutory": "yes",
        "recommendations": "Carry on"})
    assert response.status_code == 302
    assert LookedAfterReview.objects.get(child=child).chair == iro
    assert logged.count() == 1


def test_the_oc2_list_neither_lists_nor_counts_another_councils_children(la, other_la, social_worker):
    theirs = make_person(other_la, first_name="Theirs", last_name="Secret")
    bring_into_care(theirs, date(2025, 3, 1))
    page = client_for(social_worker).get("/children-in-care/outcomes/?year=2026").content
    assert b"Secret" not in page and b"restricted record" not in page


@pytest.mark.parametrize("role", [Role.PARTNER_REFERRER, Role.SYSTEM_ADMIN])
def test_no_care_plan_page_is_reached_without_case_access(la, role):
    child = make_person(la, first_name="Anyone", last_name="Child")
    bring_into_care(child, date(2025, 3, 1))
    client = client_for(make_user(la, role))
    for address in [*urls(child), "/children-in-care/outcomes/"]:
        response = client.get(address)
        assert response.status_code in (403, 404), address
        assert b"Anyone Child" not in response.content
    assert client.get("/children-in-care/outcomes/").status_code == 403
