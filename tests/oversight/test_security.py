"""Access and security for management oversight: who records it, who sets the gates, whose history is shown."""

from __future__ import annotations

import pytest
from django.test import Client

from hearth.access.models import AccessEvent
from hearth.accounts.roles import Role
from hearth.oversight.models import DecisionPoint, ManagementOversight, OversightGate
from hearth.oversight.selectors import gate_is_on
from hearth.people.models import Person
from tests.conftest import client_for
from tests.factories import make_user
from tests.security_world import child_urls, council_world, only, sweep

ALL_OFF: dict[str, list[str]] = {"required": []}


def test_another_councils_oversight_pages_are_not_found(la, other_la):
    ours = council_world(la, prefix="Ours")
    theirs = council_world(other_la, prefix="Theirs")
    urls = only(child_urls(theirs), "/oversight/")
    for user in (ours.manager, ours.service_manager):
        assert sweep(client_for(user), urls, names=theirs.names, allowed=(404, 405)) == []
    assert not ManagementOversight.objects.filter(local_authority=other_la, recorded_by=ours.manager).exists()


@pytest.mark.parametrize("level", [Person.AccessLevel.RESTRICTED, Person.AccessLevel.SEALED])
def test_a_protected_childs_oversight_is_neither_shown_nor_recordable(la, level):
    hidden = council_world(la, prefix="Hidden", level=level)
    before = ManagementOversight.objects.count()
    for role in (Role.TEAM_MANAGER, Role.SERVICE_MANAGER, Role.DIRECTOR, Role.SOCIAL_WORKER):
        client = client_for(make_user(la, role, hidden.team))
        assert sweep(client, only(child_urls(hidden), "/oversight/"), names=hidden.names) == []
    assert ManagementOversight.objects.count() == before


def test_the_history_page_logs_the_view(la):
    world = council_world(la, prefix="Seen")
    assert client_for(world.social_worker).get(f"/oversight/children/{world.cp_child.pk}/").status_code == 200
    assert AccessEvent.objects.filter(person=world.cp_child, user=world.social_worker,
                                      action=AccessEvent.Action.VIEW).exists()


@pytest.mark.parametrize("role", [Role.SOCIAL_WORKER, Role.SENIOR_PRACTITIONER, Role.TEAM_MANAGER, Role.IRO,
                                  Role.BUSINESS_SUPPORT, Role.PERFORMANCE_ANALYST, Role.SYSTEM_ADMIN])
def test_only_service_managers_and_directors_change_the_gates(la, team, role):
    user = make_user(la, role, team)
    response = client_for(user).post("/oversight/gates/", {**ALL_OFF, "fingerprint": "1" * 8})
    assert response.status_code == 403
    assert not OversightGate.objects.exists()
    assert gate_is_on(local_authority=la, decision_point=DecisionPoint.CONTACT_DECISION)


def test_a_service_manager_changes_only_their_own_councils_gates(la, other_la):
    ours = council_world(la, prefix="Ours")
    page = client_for(ours.service_manager).get("/oversight/gates/")
    fingerprint = page.context["form"]["fingerprint"].value()
    client_for(ours.service_manager).post("/oversight/gates/", {**ALL_OFF, "fingerprint": fingerprint})
    assert not gate_is_on(local_authority=la, decision_point=DecisionPoint.CONTACT_DECISION)
    assert gate_is_on(local_authority=other_la, decision_point=DecisionPoint.CONTACT_DECISION)


@pytest.mark.parametrize("role", [Role.IRO, Role.PERFORMANCE_ANALYST, Role.SYSTEM_ADMIN, Role.PARTNER_REFERRER])
def test_no_one_but_a_manager_reaches_the_oversight_pages(la, role):
    world = council_world(la, prefix="Open")
    client = client_for(make_user(la, role))
    urls = [u for u in only(child_urls(world), "/oversight/") if "/record/" in u] + ["/oversight/gates/"]
    if role != Role.IRO:  # an IRO may read a child's history like any case worker
        urls += only(child_urls(world), "/oversight/children/")
    assert sweep(client, urls, names=world.names) == []
    assert not ManagementOversight.objects.filter(recorded_by__role=role).exists()


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "/\\evil.example",
                                    "javascript:alert(1)"])
def test_the_record_page_never_links_or_sends_anyone_off_hearth(la, target):
    world = council_world(la, prefix="Next")
    url = only(child_urls(world), "/oversight/record/s47_outcome/")[0]
    client = client_for(world.manager)
    page = client.get(url, {"next": target}).content.decode()
    assert "evil" not in page and "javascript:" not in page
    response = client.post(url, {"rationale": "Agreed", "next": target})
    assert response.status_code == 302 and response["Location"].startswith("/")
    assert "evil" not in response["Location"] and not response["Location"].startswith(("//", "/\\"))


def test_the_oversight_forms_refuse_a_post_without_its_csrf_token(la):
    world = council_world(la, prefix="Csrf")
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.service_manager)
    urls = [u for u in only(child_urls(world), "/oversight/") if "/record/" in u] + ["/oversight/gates/"]
    for url in urls:
        assert client.post(url, {"rationale": "x", **ALL_OFF}).status_code == 403, url
    assert not OversightGate.objects.exists()
    assert not ManagementOversight.objects.filter(recorded_by=world.service_manager).exists()
