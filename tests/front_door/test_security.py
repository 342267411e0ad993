"""Access and security at the front door: council scoping, restricted children, logging, who may decide."""

from __future__ import annotations

import pytest
from django.test import Client

from hearth.access.models import AccessEvent
from hearth.access.services import break_glass_open
from hearth.accounts.roles import Role
from hearth.audit.models import ChangeRecord
from hearth.front_door.models import Contact
from hearth.people.models import Person
from tests.conftest import client_for
from tests.factories import make_person, make_user
from tests.security_world import child_urls, council_world, list_urls, names_shown, only, sweep

REASON = "Police called about this child tonight and need a decision"


def test_another_councils_contacts_and_early_help_are_not_found_on_any_page(la, other_la):
    ours = council_world(la, prefix="Ours")
    theirs = council_world(other_la, prefix="Theirs")
    urls = only(child_urls(theirs), "/front-door/")
    for user in (ours.social_worker, ours.manager, ours.service_manager):
        client = client_for(user)
        assert sweep(client, urls, names=theirs.names, allowed=(404, 405)) == []
        assert names_shown(client, only(list_urls(ours), "/front-door/"), theirs.names) == []


@pytest.mark.parametrize("level", [Person.AccessLevel.RESTRICTED, Person.AccessLevel.SEALED])
def test_a_protected_child_is_never_named_or_opened_at_the_front_door(la, level):
    hidden = council_world(la, prefix="Hidden", level=level)
    for role in (Role.SOCIAL_WORKER, Role.TEAM_MANAGER, Role.SERVICE_MANAGER, Role.IRO, Role.BUSINESS_SUPPORT):
        client = client_for(make_user(la, role, hidden.team))
        assert sweep(client, only(child_urls(hidden), "/front-door/"), names=hidden.names) == []
        assert names_shown(client, ["/front-door/", "/front-door/early-help/"], hidden.names) == []


def test_opening_a_restricted_contact_is_refused_and_the_refusal_logged(la):
    hidden = council_world(la, prefix="Hidden", level=Person.AccessLevel.RESTRICTED)
    worker = make_user(la, Role.SOCIAL_WORKER, hidden.team)
    response = client_for(worker).get(f"/front-door/contacts/{hidden.contact.pk}/")
    assert response.status_code == 403
    assert AccessEvent.objects.filter(person=hidden.contact.child, user=worker,
                                      action=AccessEvent.Action.REFUSED).exists()


def test_breaking_the_glass_opens_the_contact_and_puts_it_back_in_the_queue(la):
    hidden = council_world(la, prefix="Hidden", level=Person.AccessLevel.RESTRICTED)
    worker = make_user(la, Role.SOCIAL_WORKER, hidden.team)
    client = client_for(worker)
    assert "HiddenReferred" not in client.get("/front-door/").content.decode()
    child = hidden.contact.child
    assert child is not None
    break_glass_open(person=child, user=worker, reason=REASON)
    assert "HiddenReferred" in client.get("/front-door/").content.decode()
    assert client.get(f"/front-door/contacts/{hidden.contact.pk}/").status_code == 200
    # Only the record opened: the other protected children stay out of sight.
    assert names_shown(client, ["/front-door/"], ["HiddenNeeds", "HiddenProtected", "HiddenHelped"]) == []


def test_every_front_door_page_about_a_child_logs_the_view(la):
    world = council_world(la, prefix="Seen")
    pages = {
        f"/front-door/contacts/{world.contact.pk}/": world.contact.child,
        f"/front-door/contacts/{world.contact.pk}/screen/": world.contact.child,
        f"/front-door/contacts/{world.contact.pk}/decide/": world.contact.child,
        f"/front-door/early-help/{world.early_help.pk}/": world.eh_child,
        f"/front-door/early-help/{world.early_help.pk}/change/": world.eh_child,
        f"/front-door/early-help/{world.early_help.pk}/end/": world.eh_child,
        f"/front-door/early-help/{world.early_help.pk}/step-up/": world.eh_child,
        f"/front-door/contacts/new/?child={world.cin_child.pk}": world.cin_child,
    }
    client = client_for(world.manager)
    for url, child in pages.items():
        before = AccessEvent.objects.filter(person=child, action=AccessEvent.Action.VIEW).count()
        assert client.get(url).status_code == 200, url
        assert AccessEvent.objects.filter(person=child, action=AccessEvent.Action.VIEW).count() == before + 1, url


def test_recording_a_contact_from_a_restricted_record_is_refused_like_the_record_itself(la, social_worker):
    # Found in review: this page named the child (and their Hearth ID) without logging the view,
    # and answered 404 rather than the logged refusal every other page about the child gives.
    child = make_person(la, Person.AccessLevel.RESTRICTED, first_name="Quillon")
    client = client_for(social_worker)
    for response in (client.get(f"/front-door/contacts/new/?child={child.pk}"),
                     client.post("/front-door/contacts/new/", {"child": str(child.pk)})):
        assert response.status_code == 403 and "Quillon" not in response.content.decode()
    assert AccessEvent.objects.filter(person=child, user=social_worker, action=AccessEvent.Action.REFUSED).count() == 2
    assert not Contact.objects.filter(child=child).exists()


@pytest.mark.parametrize("role", [Role.SOCIAL_WORKER, Role.SENIOR_PRACTITIONER, Role.IRO, Role.BUSINESS_SUPPORT])
def test_only_a_manager_decides_a_contact_while_the_gate_is_on(la, role):
    world = council_world(la, prefix="Gate")
    user = make_user(la, role, world.team)
    changes = ChangeRecord.objects.count()
    response = client_for(user).post(f"/front-door/contacts/{world.contact.pk}/decide/", {
        "decision": Contact.Decision.REFERRAL, "rationale": "Threshold met", "version": world.contact.version,
    })
    assert response.status_code == 403
    world.contact.refresh_from_db()
    assert world.contact.status != Contact.Status.DECIDED and ChangeRecord.objects.count() == changes


@pytest.mark.parametrize("role", [Role.PERFORMANCE_ANALYST, Role.SYSTEM_ADMIN, Role.PARTNER_REFERRER])
def test_people_without_case_access_reach_nothing_at_the_front_door(la, role):
    world = council_world(la, prefix="Open")
    client = client_for(make_user(la, role))
    urls = [
        *only(child_urls(world), "/front-door/"),
        "/front-door/", "/front-door/contacts/new/", "/front-door/early-help/", "/front-door/mystery-shopper/",
        "/front-door/mystery-shopper/new/", f"/front-door/contacts/{world.contact.pk}/child/",
    ]
    assert sweep(client, urls, names=world.names) == []


def test_a_superuser_without_a_case_role_sees_no_case_data(la):
    world = council_world(la, prefix="Open")
    admin = make_user(None, Role.SYSTEM_ADMIN, is_superuser=True, is_staff=True)  # no council, by constraint
    urls = [*only(child_urls(world), "/front-door/"), "/front-door/", "/front-door/early-help/"]
    assert sweep(client_for(admin), urls, names=world.names) == []


def test_every_front_door_form_refuses_a_post_without_its_csrf_token(la):
    world = council_world(la, prefix="Csrf")
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.manager)
    changes = ChangeRecord.objects.count()
    urls = [
        *only(child_urls(world), "/front-door/"),
        "/front-door/contacts/new/", "/front-door/mystery-shopper/new/",
        f"/front-door/contacts/{world.contact.pk}/child/",
    ]
    for url in urls:
        assert client.post(url, {"rationale": "x", "decision": "nfa"}).status_code == 403, url
    assert ChangeRecord.objects.count() == changes
