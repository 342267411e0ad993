"""Bulk allocation when two managers work the same list: refused with a clear message, never a dead link."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from hearth.accounts.roles import Role
from hearth.allocations.models import Allocation
from hearth.allocations.services import allocation_start
from tests.conftest import client_for
from tests.factories import make_person, make_user
from tests.workspace.bad_input_helpers import assert_links_land, summary_links, text, token_from, walk
from tests.worktrays.factories import make_episode

pytestmark = pytest.mark.django_db


def _waiting(la, team, **extra):
    child = make_person(la, **extra)
    make_episode(child, team=team, referral_date=timezone.localdate() - timedelta(days=10))
    return child


def test_when_everyone_on_the_list_was_allocated_meanwhile_the_manager_is_told_so(la, team, team_manager,
                                                                                   social_worker) -> None:
    child = _waiting(la, team)
    other_manager = make_user(la, Role.TEAM_MANAGER, team, username="other")
    allocation_start(child=child, team=team, worker=social_worker, started_on=timezone.localdate(),
                     by=other_manager)
    response = client_for(team_manager).post(f"/trays/team/{team.pk}/",
                                             {"children": [child.pk], "worker": social_worker.pk}, follow=True)
    assert response.status_code == 200
    assert "given a worker since the page was shown, so nothing has been allocated" in text(response)
    assert_links_land(text(response))
    assert Allocation.objects.filter(child=child, ended_on__isnull=True).count() == 1


def test_when_one_of_several_was_allocated_meanwhile_the_error_links_to_the_list(la, team, team_manager,
                                                                                social_worker) -> None:
    first, second = _waiting(la, team, first_name="Ava"), _waiting(la, team, first_name="Ben")
    allocation_start(child=first, team=team, worker=social_worker, started_on=timezone.localdate(), by=team_manager)
    response = client_for(team_manager).post(f"/trays/team/{team.pk}/",
                                             {"children": [first.pk, second.pk], "worker": social_worker.pk})
    assert response.status_code == 200
    assert [t for t, _ in summary_links(text(response))] == ["id_children"]
    assert_links_land(text(response))
    assert f'value="{second.pk}" checked' in response.content.decode()
    assert not Allocation.objects.filter(child=second).exists()


def test_a_bulk_allocation_sent_twice_allocates_once(la, team, team_manager, social_worker) -> None:
    child = _waiting(la, team)
    client = client_for(team_manager)
    data = {"children": [child.pk], "worker": social_worker.pk,
            "submission_token": token_from(client.get(f"/trays/team/{team.pk}/"))}
    client.post(f"/trays/team/{team.pk}/", data)
    client.post(f"/trays/team/{team.pk}/", data)
    assert Allocation.objects.filter(child=child).count() == 1


def test_the_team_tray_survives_junk(la, team, team_manager, social_worker) -> None:
    _waiting(la, team)
    assert walk(client_for(team_manager), f"/trays/team/{team.pk}/", {"worker": social_worker.pk}) == []
