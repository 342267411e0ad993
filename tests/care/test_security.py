"""Access to children in care: another council, restricted and sealed records, logging, the team view."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from hearth.access.models import AccessEvent
from hearth.access.services import allow_list_add, break_glass_open
from hearth.accounts.roles import Role
from hearth.care.models import AdoptionPlan, DeprivationOfLibertyOrder
from hearth.care.services import adoption_plan_save, dolo_start
from hearth.people.models import Person
from tests.conftest import client_for
from tests.factories import make_person, make_user
from tests.security_world import council_world, sweep
from tests.workspace.bad_input_helpers import date_fields

from .factories import HOME, give_address, start_care

REASON = "The placement has called about an incident tonight"


def cared_for(la, prefix: str, level: str = Person.AccessLevel.OPEN) -> tuple[Person, list[str]]:
    """A child in care with a placement, an adoption plan and a DoLO; the pages about them."""
    child = make_person(la, level, first_name=f"{prefix}Cared", last_name="Child", date_of_birth=date(2012, 1, 1))
    give_address(child)
    period = start_care(child, **HOME)
    plan = adoption_plan_save(period=period, decided_on=date(2024, 6, 1), by="test")
    order = dolo_start(period=period, started_on=date(2024, 6, 2), by="test")
    placement = period.placements.get()
    base = f"/children/{child.pk}/care"
    return child, [
        f"{base}/", f"{base}/start/", f"{base}/placement/change/", f"{base}/legal-status/change/",
        f"{base}/legal-status-and-placement/change/", f"{base}/placements/{placement.pk}/correct/", f"{base}/end/",
        f"{base}/periods/{period.pk}/details/", f"{base}/adoption/new/", f"{base}/adoption/{plan.pk}/",
        f"{base}/deprivation-of-liberty/new/", f"{base}/deprivation-of-liberty/{order.pk}/end/",
    ]


def test_another_councils_child_in_care_is_not_found(la, other_la):
    ours = council_world(la, prefix="Ours")
    theirs, urls = cared_for(other_la, "Theirs")
    for user in (ours.social_worker, ours.manager, ours.service_manager):
        assert sweep(client_for(user), urls, names=["TheirsCared"], allowed=(404, 405)) == []
    # Nor their rows through our own child's pages.
    mine, _ = cared_for(la, "Mine")
    plan = AdoptionPlan.objects.get(child=theirs)
    order = DeprivationOfLibertyOrder.objects.get(child=theirs)
    crossed = [f"/children/{mine.pk}/care/adoption/{plan.pk}/", f"/children/{mine.pk}/care/deprivation-of-liberty/"
               f"{order.pk}/end/", f"/children/{mine.pk}/care/placements/{theirs.placements.get().pk}/correct/",
               f"/children/{mine.pk}/care/periods/{theirs.periods_of_care.get().pk}/details/"]
    assert sweep(client_for(ours.social_worker), crossed, names=["TheirsCared"], allowed=(404, 405)) == []


@pytest.mark.parametrize("level", [Person.AccessLevel.RESTRICTED, Person.AccessLevel.SEALED])
def test_a_protected_childs_care_pages_are_refused_and_nothing_is_changed(la, level):
    world = council_world(la, prefix="Open")
    hidden, urls = cared_for(la, "Hidden", level)
    for role in (Role.SOCIAL_WORKER, Role.TEAM_MANAGER, Role.SERVICE_MANAGER, Role.IRO):
        client = client_for(make_user(la, role, world.team))
        assert sweep(client, urls, names=["HiddenCared"]) == []
    assert hidden.placements.count() == 1


def test_every_care_page_is_logged_also_after_breaking_the_glass(la):
    world = council_world(la, prefix="Open")
    child, urls = cared_for(la, "Glass", Person.AccessLevel.RESTRICTED)
    manager = make_user(la, Role.TEAM_MANAGER, world.team)
    break_glass_open(person=child, user=manager, reason=REASON)
    client = client_for(manager)
    for url in urls:
        before = AccessEvent.objects.filter(person=child, user=manager, action=AccessEvent.Action.VIEW).count()
        response = client.get(url)
        assert response.status_code in (200, 302), url
        after = AccessEvent.objects.filter(person=child, user=manager, action=AccessEvent.Action.VIEW).count()
        assert after == before + 1, url


def test_the_team_view_names_only_visible_children_counts_restricted_and_never_sealed(la, other_la):
    world = council_world(la, prefix="Open")
    start_care(world.cin_child, referral_source=None, **HOME)
    cared_for(la, "Restricted", Person.AccessLevel.RESTRICTED)
    cared_for(la, "Sealed", Person.AccessLevel.SEALED)
    cared_for(other_la, "Elsewhere")
    page = client_for(world.social_worker).get("/children-in-care/").content.decode()
    assert "OpenNeeds" in page
    for name in ("RestrictedCared", "SealedCared", "ElsewhereCared"):
        assert name not in page
    assert "1 restricted record you cannot open" in page
    # Someone on the restricted child's allow list sees them named; the sealed child stays hidden from others.
    restricted = Person.objects.get(first_name="RestrictedCared")
    allow_list_add(person=restricted, user=world.manager, reason="Their team manager", by=world.manager)
    page = client_for(world.manager).get("/children-in-care/").content.decode()
    assert "RestrictedCared" in page and "SealedCared" not in page and "restricted record" not in page


@pytest.mark.parametrize("role", [Role.PERFORMANCE_ANALYST, Role.SYSTEM_ADMIN, Role.PARTNER_REFERRER])
def test_people_without_case_access_cannot_open_the_team_view_or_a_care_record(la, role):
    _child, urls = cared_for(la, "Anyone")
    client = client_for(make_user(la, role))
    assert client.get("/children-in-care/").status_code == 403
    assert sweep(client, urls[:1], names=["AnyoneCared"]) == []


# ---------------------------------------------------------------- the security review (issue 5)


def test_another_councils_foster_household_cannot_be_chosen_for_a_placement(la, other_la):
    from hearth.care.services import placement_change

    from .factories import FOSTER, make_household

    world = council_world(la, prefix="Ours")
    child = world.cin_child
    give_address(child)
    period = start_care(child, referral_source=None, **HOME)
    theirs = make_household(other_la, "Theirs Household")
    ours = make_household(la, "Ours Household")
    client = client_for(world.social_worker)
    url = f"/children/{child.pk}/care/placement/change/"
    # A match link pointing at their household chooses nothing, and their households are not offered.
    page = client.get(f"{url}?household={theirs.pk}").content.decode()
    assert "Theirs Household" not in page and "Ours Household" in page
    response = client.post(url, {**date_fields("started_on", date(2024, 6, 1)), "reason_for_change": "CARPL",
                                 "same_carer_as_previous": "no", **FOSTER, "foster_household": theirs.pk})
    assert response.status_code == 200 and "Choose a foster household from the list" in response.content.decode()
    assert period.placements.count() == 1
    # Nor through the service itself.
    with pytest.raises(ValidationError):
        placement_change(period=period, started_on=date(2024, 6, 1), reason_for_change="CARPL",
                         same_carer_as_previous=False, by="test", **{**FOSTER, "foster_household": theirs})
    assert period.placements.count() == 1
    # Their own council's household is chosen the same way.
    response = client.post(url, {**date_fields("started_on", date(2024, 6, 1)), "reason_for_change": "CARPL",
                                 "same_carer_as_previous": "no", **FOSTER, "foster_household": ours.pk})
    assert response.status_code == 302 and period.placements.filter(foster_household=ours).exists()


def test_my_childs_care_pages_never_reach_another_childs_rows_in_my_council(la):
    world = council_world(la, prefix="Ours")
    mine, _ = cared_for(la, "Mine")
    other, _ = cared_for(la, "Other")
    plan = AdoptionPlan.objects.get(child=other)
    order = DeprivationOfLibertyOrder.objects.get(child=other)
    base = f"/children/{mine.pk}/care"
    crossed = [f"{base}/adoption/{plan.pk}/", f"{base}/deprivation-of-liberty/{order.pk}/end/",
               f"{base}/placements/{other.placements.get().pk}/correct/",
               f"{base}/periods/{other.periods_of_care.get().pk}/details/"]
    assert sweep(client_for(world.social_worker), crossed, names=["OtherCared"], allowed=(404, 405)) == []
    assert other.placements.get().carer_name == HOME["carer_name"]


def test_a_form_posted_and_saved_is_logged_as_a_use_of_the_record(la):

    world = council_world(la, prefix="Ours")
    child, _ = cared_for(la, "Logged")
    before = AccessEvent.objects.filter(person=child, user=world.social_worker, action=AccessEvent.Action.VIEW)
    count = before.count()
    order = DeprivationOfLibertyOrder.objects.get(child=child)
    response = client_for(world.social_worker).post(
        f"/children/{child.pk}/care/deprivation-of-liberty/{order.pk}/end/",
        {**date_fields("ended_on", date(2024, 7, 1)), "version": order.version})
    assert response.status_code == 302
    assert before.count() == count + 1


@pytest.mark.parametrize("role", [Role.PARTNER_REFERRER, Role.PERFORMANCE_ANALYST, Role.SYSTEM_ADMIN])
def test_no_care_page_is_reached_without_case_access_nor_anything_changed(la, role):
    child, urls = cared_for(la, "Anyone")
    client = client_for(make_user(la, role))
    assert sweep(client, [*urls, "/children-in-care/"], names=["AnyoneCared"]) == []
    assert "You cannot do this" in client.get("/children-in-care/").content.decode()
    assert child.placements.count() == 1 and not AccessEvent.objects.filter(person=child).exists()
