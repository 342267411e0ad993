"""Access and security in the work trays: scoping, protected children in rows and counts, who sees which tray."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

import pytest
from django.test import Client

from hearth.access.services import break_glass_open
from hearth.accounts.roles import Role
from hearth.allocations.models import Allocation
from hearth.people.models import Person
from hearth.worktrays.selectors import ServiceOverview, service_overview
from tests.conftest import client_for
from tests.factories import make_team, make_user
from tests.security_world import council_world, list_urls, names_shown, only, sweep

REASON = "Police called about this child tonight and need a worker"


def _figures(overview: ServiceOverview) -> dict[str, Any]:
    totals = asdict(overview.totals)
    totals.pop("team")
    rows = {row.name: (row.open_cases, row.unallocated, row.overdue_clocks, row.awaiting, row.assessments_over_45)
            for row in overview.rows}
    return {"totals": totals, "rows": rows, "contacts": overview.contacts_waiting,
            "oldest": overview.oldest_contact_at}


def test_another_councils_team_tray_is_not_found_and_its_children_never_appear(la, other_la):
    ours = council_world(la, prefix="Ours")
    theirs = council_world(other_la, prefix="Theirs")
    for user in (ours.manager, ours.service_manager):
        client = client_for(user)
        assert sweep(client, [f"/trays/team/{theirs.team.pk}/"], names=theirs.names, allowed=(404,)) == []
        assert names_shown(client, only(list_urls(ours), "/trays/"), theirs.names) == []


@pytest.mark.parametrize("level", [Person.AccessLevel.RESTRICTED, Person.AccessLevel.SEALED])
def test_protected_children_add_no_row_name_or_count_to_any_tray(la, level):
    seen = council_world(la, prefix="Seen")
    before = _figures(service_overview(user=seen.service_manager))
    hidden = council_world(la, prefix="Hidden", level=level, team=seen.team)
    assert _figures(service_overview(user=seen.service_manager)) == before
    for user in (seen.manager, seen.service_manager, seen.social_worker, hidden.social_worker):
        assert names_shown(client_for(user), only(list_urls(seen), "/trays/"), hidden.names) == []
    # The hidden children's worker is in the team, but their cases are not counted for the manager.
    page = client_for(seen.manager).get(f"/trays/team/{seen.team.pk}/")
    row = next(u for u in page.context["caseloads"] if u.pk == hidden.social_worker.pk)
    assert (row.open_cases, row.overdue_clocks) == (0, 0)


def test_breaking_the_glass_brings_that_one_child_into_the_trays(la):
    seen = council_world(la, prefix="Seen")
    hidden = council_world(la, prefix="Hidden", level=Person.AccessLevel.RESTRICTED, team=seen.team)
    break_glass_open(person=hidden.cp_child, user=seen.manager, reason=REASON)
    shown = names_shown(client_for(seen.manager), [f"/trays/team/{seen.team.pk}/"], hidden.names)
    assert {name for _, name in shown} <= {"HiddenProtected"}


def test_bulk_allocation_cannot_be_aimed_at_a_child_the_manager_cannot_see(la):
    seen = council_world(la, prefix="Seen")
    hidden = council_world(la, prefix="Hidden", level=Person.AccessLevel.RESTRICTED, team=seen.team)
    before = Allocation.objects.count()
    response = client_for(seen.manager).post(f"/trays/team/{seen.team.pk}/", {
        "children": [hidden.cin_child.pk], "worker": seen.social_worker.pk})
    assert response.status_code == 200 and "Hidden" not in response.content.decode()
    assert Allocation.objects.count() == before


def test_a_team_manager_sees_only_their_own_teams_tray(la):
    seen = council_world(la, prefix="Seen")
    elsewhere = make_user(la, Role.TEAM_MANAGER, make_team(la, "Elsewhere"))
    client = client_for(elsewhere)
    assert sweep(client, [f"/trays/team/{seen.team.pk}/"], names=seen.names, allowed=(403,)) == []
    assert client.get("/trays/service/").status_code == 403


@pytest.mark.parametrize("role", [Role.SOCIAL_WORKER, Role.SENIOR_PRACTITIONER, Role.IRO, Role.BUSINESS_SUPPORT])
def test_case_workers_have_their_own_tray_only(la, role):
    seen = council_world(la, prefix="Seen")
    client = client_for(make_user(la, role, seen.team))
    assert sweep(client, [f"/trays/team/{seen.team.pk}/", "/trays/service/", "/trays/team/"], names=seen.names,
                 allowed=(403, 405)) == []
    assert client.get("/trays/mine/").status_code == 200


@pytest.mark.parametrize("role", [Role.PERFORMANCE_ANALYST, Role.SYSTEM_ADMIN, Role.PARTNER_REFERRER])
def test_people_without_case_access_have_no_tray(la, role):
    seen = council_world(la, prefix="Seen")
    client = client_for(make_user(la, role))
    assert sweep(client, [*only(list_urls(seen), "/trays/"), "/trays/team/"], names=seen.names) == []


def test_bulk_allocation_refuses_a_post_without_its_csrf_token(la):
    seen = council_world(la, prefix="Csrf")
    client = Client(enforce_csrf_checks=True)
    client.force_login(seen.manager)
    before = Allocation.objects.count()
    response = client.post(f"/trays/team/{seen.team.pk}/", {"children": [seen.cin_child.pk],
                                                            "worker": seen.social_worker.pk})
    assert response.status_code == 403 and Allocation.objects.count() == before
