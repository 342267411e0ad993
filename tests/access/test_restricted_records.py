from __future__ import annotations

from hearth.access.models import AccessEvent, BreakGlassAccess
from hearth.accounts.roles import Role
from hearth.allocations.services import allocation_start
from hearth.people.models import Person
from hearth.workspace.models import Notification
from tests.conftest import client_for
from tests.factories import make_person, make_team, make_user

REASON = "Police called about an incident at the home tonight; need history to plan the visit"


def restricted_child_of_another_team(la):
    other_team = make_team(la, "Children in Care East")
    other_worker = make_user(la, Role.SOCIAL_WORKER, other_team)
    other_manager = make_user(la, Role.TEAM_MANAGER, other_team)
    child = make_person(la, Person.AccessLevel.RESTRICTED, first_name="Alex", last_name="Restricted")
    allocation_start(child=child, team=other_team, worker=other_worker, started_on=child.date_of_birth, by="test")
    return child, other_worker, other_manager


def test_restricted_record_is_refused_then_opened_by_breaking_the_glass(la, social_worker):
    child, allocated_worker, manager = restricted_child_of_another_team(la)
    client = client_for(social_worker)

    refused = client.get(f"/children/{child.pk}/")
    assert refused.status_code == 403
    assert "This record is restricted" in refused.content.decode()
    assert "Alex" not in refused.content.decode()
    assert AccessEvent.objects.filter(person=child, user=social_worker, action="refused").exists()
    assert "Restricted</a>" not in client.get("/search/", {"q": "Alex"}).content.decode()
    assert "No results for" in client.get("/search/", {"q": "Alex"}).content.decode()

    too_short = client.post(f"/children/{child.pk}/break-glass/", {"reason": "need it"})
    assert too_short.status_code == 403
    text = too_short.content.decode()
    assert "at least 20 characters" in text and "need it" in text
    assert not BreakGlassAccess.objects.exists()

    opened = client.post(f"/children/{child.pk}/break-glass/", {"reason": REASON})
    assert opened.status_code == 302 and opened.url == f"/children/{child.pk}/"
    assert client.get(f"/children/{child.pk}/").status_code == 200
    event = AccessEvent.objects.get(person=child, action="break_glass")
    assert event.user == social_worker and event.purpose == REASON
    alert = Notification.objects.get(recipient=manager)
    assert f"/children/{child.pk}/access-log/" == alert.link
    assert not Notification.objects.filter(recipient=allocated_worker).exists()

    log = client_for(manager).get(f"/children/{child.pk}/access-log/").content.decode()
    assert "Broke the glass" in log and REASON in log and social_worker.get_full_name() in log


def test_sealed_records_cannot_be_opened_by_breaking_the_glass_and_stay_out_of_search(la, social_worker):
    child = make_person(la, Person.AccessLevel.SEALED, first_name="Quinn", last_name="Sealed")
    client = client_for(social_worker)
    assert client.get(f"/children/{child.pk}/").status_code == 404
    assert client.post(f"/children/{child.pk}/break-glass/", {"reason": REASON}).status_code == 404
    assert "Sealed" not in client.get("/search/", {"q": "Quinn"}).content.decode()
    assert not BreakGlassAccess.objects.exists()


def test_allocating_a_restricted_child_puts_the_worker_on_the_allow_list(la, team, social_worker):
    child = make_person(la, Person.AccessLevel.RESTRICTED)
    assert client_for(social_worker).get(f"/children/{child.pk}/").status_code == 403
    allocation_start(child=child, team=team, worker=social_worker, started_on=child.date_of_birth, by="test")
    assert client_for(social_worker).get(f"/children/{child.pk}/").status_code == 200


def test_a_social_worker_cannot_see_who_accessed_a_record_but_a_manager_and_dpo_can(la, social_worker,
                                                                                   team_manager):
    child = make_person(la)
    client_for(social_worker).get(f"/children/{child.pk}/")
    assert client_for(social_worker).get(f"/children/{child.pk}/access-log/").status_code == 404
    page = client_for(team_manager).get(f"/children/{child.pk}/access-log/")
    assert page.status_code == 200 and social_worker.get_full_name() in page.content.decode()
    dpo = make_user(la, Role.BUSINESS_SUPPORT, is_data_protection_officer=True)
    assert client_for(dpo).get(f"/children/{child.pk}/access-log/").status_code == 200


def test_views_and_prints_are_logged(la, social_worker):
    child = make_person(la)
    client = client_for(social_worker)
    client.get(f"/children/{child.pk}/")
    client.get(f"/children/{child.pk}/print/")
    actions = list(AccessEvent.objects.filter(person=child).values_list("action", flat=True).order_by("id"))
    assert actions == ["view", "print"]


def test_a_manager_restricts_a_record_and_names_who_may_open_it(la, team, social_worker, team_manager):
    child = make_person(la)
    client = client_for(team_manager)
    missing_reason = client.post(f"/children/{child.pk}/access/", {"form": "level", "access_level": "restricted"})
    assert "Give the reason this record is protected" in missing_reason.content.decode()
    client.post(f"/children/{child.pk}/access/",
                {"form": "level", "access_level": "restricted", "reason": "Relative of staff"})
    child.refresh_from_db()
    assert child.access_level == "restricted"
    assert client_for(social_worker).get(f"/children/{child.pk}/").status_code == 403
    client.post(f"/children/{child.pk}/access/", {"form": "allow", "user": social_worker.pk, "reason": "Duty worker"})
    assert client_for(social_worker).get(f"/children/{child.pk}/").status_code == 200
    assert client_for(social_worker).get(f"/children/{child.pk}/access/").status_code == 403


def test_a_merged_record_sends_the_user_to_the_record_that_holds_its_history(la, social_worker):
    from hearth.audit.actor import acting_as

    survivor, merged = make_person(la, last_name="Survivor"), make_person(la, last_name="Merged")
    with acting_as("test"):
        merged.merged_into = survivor
        merged.save()
    client = client_for(social_worker)
    response = client.get(f"/children/{merged.pk}/")
    assert response.status_code == 302 and response.url == f"/children/{survivor.pk}/"
    assert client.get(f"/children/{merged.pk}/print/").status_code == 404
    assert "Merged</a>" not in client.get("/search/", {"q": "Jordan"}).content.decode()
