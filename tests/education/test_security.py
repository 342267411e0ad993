"""Access and security on the education registers: other councils, protected children, logging, CSRF."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client

from hearth.access.models import AccessEvent
from hearth.access.services import allow_list_add, break_glass_open
from hearth.accounts.roles import Role
from hearth.audit.models import ChangeRecord
from hearth.education.models import CMECase, EHECase
from hearth.people.models import Person
from tests.conftest import client_for
from tests.factories import make_person, make_user
from tests.security_world import World, council_world, names_shown, sweep

from .factories import cme_for, ehe_for, make_officer

REASON = "The school called about this child this morning"


def _on_registers(world: World, officer) -> list[str]:
    """The world's children in need and on a plan put on both registers; the case pages."""
    urls = []
    for child in (world.cin_child, world.cp_child):
        cme = cme_for(child, officer, on=date(2025, 6, 2))
        ehe = ehe_for(child, officer, on=date(2025, 6, 2))
        urls += [f"/education/missing-education/{cme.pk}/", f"/education/missing-education/{cme.pk}/enquiries/new/",
                 f"/education/missing-education/{cme.pk}/outcome/", f"/education/missing-education/{cme.pk}/close/",
                 f"/education/missing-education/{cme.pk}/home-education/",
                 f"/education/home-education/{ehe.pk}/", f"/education/home-education/{ehe.pk}/change/",
                 f"/education/home-education/{ehe.pk}/contacts/new/",
                 f"/education/home-education/{ehe.pk}/suitability/", f"/education/home-education/{ehe.pk}/end/"]
    urls += [f"/education/children/{world.eh_child.pk}/missing-education/new/",
             f"/education/children/{world.eh_child.pk}/home-education/new/"]
    return urls


@pytest.mark.django_db
def test_another_councils_register_cases_are_not_found(la, other_la):
    ours = council_world(la, prefix="Ours")
    theirs = council_world(other_la, prefix="Theirs")
    their_urls = _on_registers(theirs, make_officer(other_la))
    officer = make_officer(la)
    _on_registers(ours, officer)
    for user in (officer, ours.social_worker, ours.manager):
        assert sweep(client_for(user), their_urls, names=theirs.names, allowed=(403, 404, 405)) == []
        assert names_shown(client_for(user), ["/education/", "/education/?status=all&flagged=on"],
                           theirs.names) == []
    assert not AccessEvent.objects.filter(person__local_authority=other_la, user__local_authority=la).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("level", [Person.AccessLevel.RESTRICTED, Person.AccessLevel.SEALED])
def test_a_protected_child_on_a_register_is_never_named_only_counted(la, level):
    hidden = council_world(la, prefix="Hidden", level=level)
    urls = _on_registers(hidden, "test")
    open_child = make_person(la, first_name="Visible", last_name="Child")
    officer = make_officer(la)
    cme_for(open_child, officer)
    for user in (officer, make_user(la, Role.SOCIAL_WORKER), make_user(la, Role.SERVICE_MANAGER)):
        client = client_for(user)
        assert sweep(client, urls, names=hidden.names) == []
        body = client.get("/education/").content.decode()
        assert "Visible Child" in body and not any(name in body for name in hidden.names)
        assert "and 2 restricted records not shown" in body
        assert names_shown(client, ["/education/?status=all", "/education/?flagged=on",
                                    "/education/find/?register=cme&last_name=Child"], hidden.names) == []


@pytest.mark.django_db
def test_a_named_officer_sees_the_restricted_child_and_every_view_is_logged(la):
    world = council_world(la, prefix="Named", level=Person.AccessLevel.RESTRICTED)
    officer = make_officer(la)
    allow_list_add(person=world.cin_child, user=officer, reason="Education welfare", by="test")
    case = cme_for(world.cin_child, officer)
    client = client_for(officer)
    body = client.get("/education/").content.decode()
    assert "NamedNeeds" in body and "restricted record" not in body
    before = AccessEvent.objects.filter(person=world.cin_child, user=officer).count()
    assert client.get(f"/education/missing-education/{case.pk}/").status_code == 200
    assert AccessEvent.objects.filter(person=world.cin_child, user=officer).count() == before + 1


@pytest.mark.django_db
def test_a_restricted_case_page_offers_the_glass_and_after_breaking_it_opens_and_logs(la):
    world = council_world(la, prefix="Glass", level=Person.AccessLevel.RESTRICTED)
    case = ehe_for(world.cp_child, "test")
    officer = make_officer(la)
    client = client_for(officer)
    refused = client.get(f"/education/home-education/{case.pk}/")
    assert refused.status_code == 403 and b"GlassProtected" not in refused.content
    assert AccessEvent.objects.filter(person=world.cp_child, user=officer, action=AccessEvent.Action.REFUSED).exists()
    break_glass_open(person=world.cp_child, user=officer, reason=REASON)
    response = client.get(f"/education/home-education/{case.pk}/")
    assert response.status_code == 200 and b"GlassProtected" in response.content
    assert AccessEvent.objects.filter(person=world.cp_child, user=officer, action=AccessEvent.Action.VIEW).exists()


@pytest.mark.django_db
def test_every_register_form_refuses_a_post_without_its_csrf_token(la):
    world = council_world(la, prefix="Csrf")
    officer = make_officer(la)
    urls = [*_on_registers(world, officer), "/education/notify/"]
    client = Client(enforce_csrf_checks=True)
    client.force_login(officer)
    changes = ChangeRecord.objects.count()
    for url in urls:
        assert client.post(url, {"version": "1"}).status_code == 403, url
    assert ChangeRecord.objects.count() == changes
    assert CMECase.objects.count() == 2 and EHECase.objects.count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.PARTNER_REFERRER, Role.PERFORMANCE_ANALYST, Role.SYSTEM_ADMIN, Role.IRO])
def test_no_register_page_is_reached_by_those_outside_it(la, role):
    world = council_world(la, prefix="Out")
    urls = [*_on_registers(world, make_officer(la)), "/education/", "/education/find/?register=cme",
            "/education/notify/"]
    assert sweep(client_for(make_user(la, role)), urls, names=world.names) == []
