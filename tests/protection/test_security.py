"""Access and security in child protection: scoping, protected children, logging and printing, who oversees."""

from __future__ import annotations

from typing import Any

import pytest
import weasyprint
from django.test import Client

from hearth.access.models import AccessEvent
from hearth.access.services import break_glass_open
from hearth.accounts.roles import Role
from hearth.audit.models import ChangeRecord
from hearth.oversight.models import DecisionPoint, ManagementOversight
from hearth.people.models import Person
from tests.conftest import client_for
from tests.factories import make_user
from tests.security_world import child_urls, council_world, crossed_urls, only, sweep

REASON = "Police called about this child tonight and need the plan"


def _kind(url: str) -> str:
    return AccessEvent.Action.PRINT if url.endswith("pdf/") else AccessEvent.Action.VIEW


def test_another_councils_enquiries_conferences_and_plans_are_not_found(la, other_la):
    ours = council_world(la, prefix="Ours")
    theirs = council_world(other_la, prefix="Theirs")
    urls = only(child_urls(theirs), "/protection/") + only(crossed_urls(ours, theirs), "/protection/")
    for user in (ours.social_worker, ours.manager, ours.service_manager, ours.chair):
        assert sweep(client_for(user), urls, names=theirs.names, allowed=(404, 405)) == []


@pytest.mark.parametrize("level", [Person.AccessLevel.RESTRICTED, Person.AccessLevel.SEALED])
def test_a_protected_childs_protection_pages_and_pdfs_are_refused(la, level):
    hidden = council_world(la, prefix="Hidden", level=level)
    for role in (Role.SOCIAL_WORKER, Role.TEAM_MANAGER, Role.SERVICE_MANAGER, Role.IRO):
        client = client_for(make_user(la, role, hidden.team))
        assert sweep(client, only(child_urls(hidden), "/protection/"), names=hidden.names) == []
    assert not AccessEvent.objects.filter(action=AccessEvent.Action.PRINT).exists()


def test_every_protection_page_logs_a_view_and_every_pdf_a_print_also_after_breaking_the_glass(la):
    world = council_world(la, prefix="Seen", level=Person.AccessLevel.RESTRICTED)
    manager = make_user(la, Role.TEAM_MANAGER, world.team)
    break_glass_open(person=world.cp_child, user=manager, reason=REASON)
    client = client_for(manager)
    for url in only(child_urls(world), "/protection/"):
        if url.endswith("/complete/") or url.endswith("/oversight/"):
            continue  # POST only: their refusals re-show the page, logged through the same code
        before = AccessEvent.objects.filter(person=world.cp_child, user=manager, action=_kind(url)).count()
        assert client.get(url).status_code == 200, url
        after = AccessEvent.objects.filter(person=world.cp_child, user=manager, action=_kind(url)).count()
        assert after == before + 1, url


def test_a_pdf_is_never_cached_and_its_file_name_is_safe(la):
    world = council_world(la, prefix="Print")
    response = client_for(world.social_worker).get(
        f"/children/{world.cp_child.pk}/protection/plans/{world.cp_plan.pk}/pdf/")
    assert "no-store" in response["Cache-Control"]
    disposition = response["Content-Disposition"]
    assert disposition.startswith('inline; filename="child-protection-plan-') and "Print" not in disposition


def test_printing_fetches_nothing_from_the_network_or_the_disk(la, monkeypatch):
    # Found in review: the PDF was rendered with this server as its base URL and WeasyPrint's default
    # fetcher, which follows http(s) and file: links. A template that ever carried a link would make
    # the server fetch it; now nothing but inline data can be loaded.
    world = council_world(la, prefix="Print")
    seen: dict[str, object] = {}
    original = weasyprint.HTML

    def recording(*args: object, **kwargs: object) -> object:
        seen.update(kwargs)
        return original(*args, **kwargs)

    monkeypatch.setattr(weasyprint, "HTML", recording)
    url = f"/children/{world.cp_child.pk}/protection/conferences/{world.conference.pk}/pdf/"
    assert client_for(world.social_worker).get(url).status_code == 200
    fetcher: Any = seen["url_fetcher"]
    assert "base_url" not in seen
    for target in ("file:///etc/passwd", "http://169.254.169.254/latest/meta-data/", "https://example.com/x.png"):
        with pytest.raises(ValueError, match="disallowed protocol"):
            fetcher.fetch(target)


@pytest.mark.parametrize("role", [Role.SOCIAL_WORKER, Role.SENIOR_PRACTITIONER, Role.IRO, Role.BUSINESS_SUPPORT])
def test_only_a_manager_records_oversight_of_an_s47_or_a_plan(la, role):
    world = council_world(la, prefix="Over")
    client = client_for(make_user(la, role, world.team))
    base = f"/children/{world.cp_child.pk}/protection"
    before = ManagementOversight.objects.count()
    assert client.post(f"{base}/s47/{world.s47.pk}/oversight/", {"rationale": "Agree"}).status_code == 403
    assert client.post(f"{base}/plans/{world.cp_plan.pk}/oversight/", {
        "rationale": "Agree", "decision_point": DecisionPoint.CP_PLAN_END}).status_code == 403
    assert ManagementOversight.objects.count() == before


@pytest.mark.parametrize("role", [Role.PERFORMANCE_ANALYST, Role.SYSTEM_ADMIN, Role.PARTNER_REFERRER])
def test_people_without_case_access_reach_no_protection_page(la, role):
    world = council_world(la, prefix="Open")
    client = client_for(make_user(la, role))
    assert sweep(client, only(child_urls(world), "/protection/"), names=world.names) == []
    assert not AccessEvent.objects.filter(action=AccessEvent.Action.PRINT).exists()


def test_every_protection_form_refuses_a_post_without_its_csrf_token(la):
    world = council_world(la, prefix="Csrf")
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.manager)
    changes = ChangeRecord.objects.count()
    for url in only(child_urls(world), "/protection/"):
        assert client.post(url, {"rationale": "x", "decision_point": "cp_plan_end"}).status_code == 403, url
    assert ChangeRecord.objects.count() == changes
