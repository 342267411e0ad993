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
        # Restricted children are counted; sealed ones not even that (as on the work trays).
        counted = "and 2 restricted records not shown" in body
        assert counted if level == Person.AccessLevel.RESTRICTED else "restricted record" not in body
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


# ---------------------------------------------------------------- the security review (issue 5)


@pytest.mark.django_db
def test_an_enquiry_posted_and_saved_is_logged_as_a_use_of_the_record(la):
    child = make_person(la)
    officer = make_officer(la)
    case = cme_for(child, officer)
    logged = AccessEvent.objects.filter(person=child, user=officer, action=AccessEvent.Action.VIEW)
    response = client_for(officer).post(f"/education/missing-education/{case.pk}/enquiries/new/", {
        "made_on_0": "3", "made_on_1": "3", "made_on_2": "2026", "agency": "home_visit", "found": "Nobody home",
        "submission_token": "d" * 32})
    assert response.status_code == 302 and case.enquiries.count() == 1
    assert logged.count() == 1


@pytest.mark.django_db
def test_a_social_worker_reads_the_registers_but_an_education_officer_works_them(la, social_worker):
    child = make_person(la)
    case = cme_for(child, make_officer(la))
    client = client_for(social_worker)
    assert client.get(f"/education/missing-education/{case.pk}/").status_code == 200
    response = client.post(f"/education/missing-education/{case.pk}/enquiries/new/", {
        "made_on_0": "3", "made_on_1": "3", "made_on_2": "2026", "agency": "home_visit", "found": "Nobody home",
        "submission_token": "e" * 32})
    assert response.status_code == 403 and "You cannot do this" in response.content.decode()
    assert case.enquiries.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize(("level", "counted"), [(Person.AccessLevel.RESTRICTED, True),
                                                (Person.AccessLevel.SEALED, False)])
def test_statuses_not_yet_told_count_a_restricted_child_but_never_a_sealed_one(la, level, counted):
    from .factories import in_need

    officer = make_officer(la)
    hidden = make_person(la, level, first_name="Untold")
    cme_for(hidden, "test")
    in_need(hidden, on=date(2026, 3, 5))  # after they came onto the register: nobody told yet
    body = client_for(officer).get("/education/").content.decode()
    assert "Untold" not in body
    assert ("1 social care status of children on the registers has not been told" in body) is counted


@pytest.mark.django_db
def test_finding_a_child_never_offers_another_councils_child(la, other_la):
    make_person(other_la, first_name="Theirs", last_name="Elsewhere", date_of_birth=date(2015, 3, 27))
    body = client_for(make_officer(la)).get(
        "/education/find/?register=cme&first_name=Theirs&last_name=Elsewhere").content.decode()
    assert "Theirs" not in body.replace('value="Theirs"', "")


@pytest.mark.django_db
def test_a_sealed_childs_register_status_is_told_only_to_those_named_on_the_record(la):
    from hearth.workspace.models import Notification

    from .factories import in_need

    service_manager = make_user(la, Role.SERVICE_MANAGER)
    named = make_user(la, Role.SERVICE_MANAGER)
    sealed = make_person(la, Person.AccessLevel.SEALED, first_name="Sealed")
    in_need(sealed)
    # Nobody holds the child, so the service managers are told; only the one named on the record may be.
    allow_list_add(person=sealed, user=named, reason="Oversees the case", by="test")
    cme_for(sealed, make_officer(la))
    assert Notification.objects.filter(recipient=named).count() == 1
    assert not Notification.objects.filter(recipient=service_manager).exists()
    # A restricted child's status is told to the same managers: they may break the glass to read it.
    restricted = make_person(la, Person.AccessLevel.RESTRICTED, first_name="Restricted")
    in_need(restricted)
    cme_for(restricted, make_officer(la))
    assert Notification.objects.filter(recipient=service_manager).count() == 1
