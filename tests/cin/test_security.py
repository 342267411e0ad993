"""Access and security on a child's social care pages: scoping, protected children, logging, managers' acts."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client

from hearth.access.models import AccessEvent
from hearth.access.services import break_glass_open
from hearth.accounts.roles import Role
from hearth.audit.models import ChangeRecord
from hearth.cin.models import Assessment
from hearth.oversight.models import ManagementOversight
from hearth.people.models import Person
from tests.cin.factories import open_episode
from tests.conftest import client_for
from tests.factories import make_user
from tests.security_world import child_urls, council_world, crossed_urls, only, sweep

REASON = "Police called about this child tonight and need the history"


def _dates(name: str, day: date) -> dict[str, str]:
    return {f"{name}_0": str(day.day), f"{name}_1": str(day.month), f"{name}_2": str(day.year)}


def test_another_councils_referrals_assessments_and_plans_are_not_found(la, other_la):
    ours = council_world(la, prefix="Ours")
    theirs = council_world(other_la, prefix="Theirs")
    urls = only(child_urls(theirs), "/cin/") + only(crossed_urls(ours, theirs), "/cin/")
    for user in (ours.social_worker, ours.manager, ours.service_manager):
        assert sweep(client_for(user), urls, names=theirs.names, allowed=(404, 405)) == []


def test_another_childs_assessment_is_not_found_through_this_childs_address(la):
    world = council_world(la, prefix="Ours")
    # The CP child's address with the CIN child's assessment and plan in it.
    cp = f"/children/{world.cp_child.pk}/cin"
    urls = [f"{cp}/assessments/{world.assessment.pk}/", f"{cp}/assessments/{world.assessment.pk}/authorise/",
            f"{cp}/plans/{world.cin_plan.pk}/", f"{cp}/plans/{world.cin_plan.pk}/end/",
            f"{cp}/episodes/{world.episode.pk}/close/"]
    assert sweep(client_for(world.manager), urls, names=["OursNeeds"], allowed=(404, 405)) == []


@pytest.mark.parametrize("level", [Person.AccessLevel.RESTRICTED, Person.AccessLevel.SEALED])
def test_a_protected_childs_social_care_pages_are_refused_and_never_name_them(la, level):
    hidden = council_world(la, prefix="Hidden", level=level)
    for role in (Role.SOCIAL_WORKER, Role.TEAM_MANAGER, Role.SERVICE_MANAGER, Role.IRO):
        client = client_for(make_user(la, role, hidden.team))
        assert sweep(client, only(child_urls(hidden), "/cin/"), names=hidden.names) == []
    assert not Assessment.objects.filter(pk=hidden.assessment.pk, status=Assessment.Status.AUTHORISED).exists()


def test_a_restricted_childs_pages_log_the_refusal_and_open_after_breaking_the_glass(la):
    hidden = council_world(la, prefix="Hidden", level=Person.AccessLevel.RESTRICTED)
    manager = make_user(la, Role.TEAM_MANAGER, hidden.team)
    client = client_for(manager)
    url = f"/children/{hidden.cin_child.pk}/cin/assessments/{hidden.assessment.pk}/"
    assert client.get(url).status_code == 403
    assert AccessEvent.objects.filter(person=hidden.cin_child, user=manager, action=AccessEvent.Action.REFUSED).exists()
    break_glass_open(person=hidden.cin_child, user=manager, reason=REASON)
    assert client.get(url).status_code == 200


def test_every_social_care_page_logs_the_view_of_the_child(la):
    world = council_world(la, prefix="Seen")
    client = client_for(world.manager)
    for url in only(child_urls(world), "/cin/"):
        before = AccessEvent.objects.filter(person=world.cin_child, action=AccessEvent.Action.VIEW).count()
        response = client.get(url)
        if response.status_code == 302:  # a referral is already open: sent to the overview, nothing shown
            continue
        assert response.status_code == 200, url
        after = AccessEvent.objects.filter(person=world.cin_child, action=AccessEvent.Action.VIEW).count()
        assert after == before + 1, url


@pytest.mark.parametrize("role", [Role.SOCIAL_WORKER, Role.SENIOR_PRACTITIONER, Role.IRO, Role.BUSINESS_SUPPORT])
def test_only_a_manager_authorises_or_returns_an_assessment_even_by_a_crafted_post(la, role):
    world = council_world(la, prefix="Auth")
    user = make_user(la, role, world.team)
    base = f"/children/{world.cin_child.pk}/cin/assessments/{world.assessment.pk}"
    client = client_for(user)
    changes = ChangeRecord.objects.count()
    authorise = client.post(f"{base}/authorise/", {**_dates("authorised_on", date(2025, 3, 12)),
                                                   "rationale": "Fine", "version": world.assessment.version})
    returned = client.post(f"{base}/return/", {"comment": "More", "version": world.assessment.version})
    assert authorise.status_code == 403 and returned.status_code == 403
    world.assessment.refresh_from_db()
    assert world.assessment.status == Assessment.Status.AWAITING_AUTHORISATION
    assert ChangeRecord.objects.count() == changes


def test_a_social_worker_cannot_slip_management_oversight_into_a_closure(la):
    world = council_world(la, prefix="Close")
    child = world.eh_child  # no open work: a referral that can be closed at once
    episode = open_episode(child, date(2025, 3, 3))
    response = client_for(world.social_worker).post(
        f"/children/{child.pk}/cin/episodes/{episode.pk}/close/",
        {**_dates("closed_on", date(2025, 3, 3)), "reason": "RC7", "version": episode.version,
         "oversight_rationale": "I approve my own closure"},
    )
    assert not ManagementOversight.objects.filter(subject_id=episode.pk, rationale__contains="my own").exists()
    assert response.status_code in (200, 302)


@pytest.mark.parametrize("role", [Role.PERFORMANCE_ANALYST, Role.SYSTEM_ADMIN, Role.PARTNER_REFERRER])
def test_people_without_case_access_reach_no_social_care_page(la, role):
    world = council_world(la, prefix="Open")
    client = client_for(make_user(la, role))
    assert sweep(client, only(child_urls(world), "/cin/"), names=world.names) == []


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "/\\evil.example/",
                                    "javascript:alert(1)", "http:/\\/evil.example"])
def test_next_never_leaves_hearth(la, target):
    world = council_world(la, prefix="Next")
    url = f"/children/{world.cin_child.pk}/cin/plans/{world.cin_plan.pk}/edit/"
    response = client_for(world.social_worker).post(f"{url}?next={target}", {
        "plan": "Updated plan", "version": world.cin_plan.version, "next": target,
    })
    assert response.status_code == 302
    assert response["Location"].startswith("/") and not response["Location"].startswith(("//", "/\\"))
    assert "evil" not in response["Location"]


def test_every_social_care_form_refuses_a_post_without_its_csrf_token(la):
    world = council_world(la, prefix="Csrf")
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.manager)
    changes = ChangeRecord.objects.count()
    for url in only(child_urls(world), "/cin/"):
        assert client.post(url, {"plan": "x", "comment": "x"}).status_code == 403, url
    assert ChangeRecord.objects.count() == changes
