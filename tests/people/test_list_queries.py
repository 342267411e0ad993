"""Every list page runs a fixed number of queries, however many rows it shows."""

from __future__ import annotations

from hearth.access.services import access_record
from hearth.allocations.services import allocation_start
from tests.conftest import client_for
from tests.factories import make_person, make_user
from tests.queries import query_count


def test_access_log(la, social_worker, team_manager):
    child = make_person(la)
    client = client_for(team_manager)
    access_record(user=social_worker, person=child, action="view")
    few = query_count(lambda: client.get(f"/children/{child.pk}/access-log/"))
    for _ in range(15):
        access_record(user=make_user(la), person=child, action="view")
    assert query_count(lambda: client.get(f"/children/{child.pk}/access-log/")) == few


def test_team_caseloads(la, team, social_worker):
    client = client_for(social_worker)
    few = query_count(lambda: client.get(f"/teams/{team.pk}/"))
    for _ in range(10):
        worker = make_user(la, team=team)
        child = make_person(la)
        allocation_start(child=child, team=team, worker=worker, started_on=child.date_of_birth, by="test")
    assert query_count(lambda: client.get(f"/teams/{team.pk}/")) == few


def test_child_record_with_long_allocation_history(la, team, social_worker):
    child = make_person(la)
    client = client_for(social_worker)
    allocation_start(child=child, team=team, worker=social_worker, started_on=child.date_of_birth, by="test")
    few = query_count(lambda: client.get(f"/children/{child.pk}/"))
    for year in range(2016, 2026):
        worker = make_user(la, team=team)
        allocation_start(child=child, team=team, worker=worker, started_on=child.date_of_birth.replace(year=year),
                         by="test")
    assert query_count(lambda: client.get(f"/children/{child.pk}/")) == few
