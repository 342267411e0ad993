"""Every supervision list reads in the same number of queries for few rows and for many."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from hearth.accounts.roles import Role
from hearth.allocations.services import allocation_start
from hearth.supervision.models import CaseDiscussion
from tests.conftest import client_for
from tests.factories import make_person, make_team, make_user
from tests.queries import query_count
from tests.supervision.factories import arrange, make_session

TODAY = timezone.localdate()


def _grow(s, la, n: int) -> None:
    """n more workers, each with a child, two sessions (one with a discussion, one cancelled), some named
    supervisors and ASYE; and n more teams."""
    for i in range(n):
        worker = make_user(la, Role.SOCIAL_WORKER, s.team, started_on=date(2024, 1, 1), last_name=f"More{i}")
        child = make_person(la, last_name=f"Extra{i}")
        allocation_start(child=child, team=s.team, worker=worker, started_on=date(2025, 1, 1), by="test")
        allocation_start(child=make_person(la), team=s.team, worker=s.worker, started_on=date(2025, 1, 1), by="test")
        session = make_session(worker, s.manager, TODAY - timedelta(days=i + 1))
        CaseDiscussion(local_authority_id=la.pk, session=session, child=child, discussion="d", decisions="d",
                       actions_due_on=TODAY, plan_progress="yes").save(by="test")
        make_session(s.worker, s.manager, TODAY - timedelta(days=40 + i))
        make_session(s.worker, s.manager, TODAY - timedelta(days=30 + i), status="cancelled", not_held_reason="x")
        if i % 2:
            arrange(worker, supervisor=s.senior, asye_started_on=date(2026, 9, 1))
        make_user(la, Role.SOCIAL_WORKER, make_team(la, f"Team {i}"), started_on=date(2024, 1, 1))


def _counts(s) -> dict[str, int]:
    session = make_session(s.worker, s.manager, TODAY)
    for child in s.children:
        CaseDiscussion(local_authority_id=s.team.local_authority_id, session=session, child=child, discussion="d",
                       decisions="d", actions_due_on=TODAY, plan_progress="yes").save(by="test")
    manager, head, worker = client_for(s.manager), client_for(s.head), client_for(s.worker)
    return {
        "team": query_count(lambda: manager.get("/supervision/")),
        "council": query_count(lambda: head.get("/supervision/")),
        "analyst": query_count(lambda: client_for(s.analyst).get("/supervision/")),
        "children": query_count(lambda: manager.get(f"/supervision/teams/{s.team.pk}/children/")),
        "history": query_count(lambda: worker.get(f"/supervision/workers/{s.worker.pk}/")),
        "session": query_count(lambda: manager.get(f"/supervision/sessions/{session.pk}/")),
        "record": query_count(lambda: manager.get(f"/supervision/workers/{s.worker.pk}/record/")),
        "senior": query_count(lambda: client_for(s.senior).get(f"/supervision/workers/{s.senior.pk}/")),
    }


def test_list_pages_read_in_a_fixed_number_of_queries(supervised, la):
    # One child not discussed, so no list starts empty (an empty page skips its read).
    allocation_start(child=make_person(la), team=supervised.team, worker=supervised.peer, started_on=date(2025, 1, 1),
                     by="test")
    few = _counts(supervised)
    _grow(supervised, la, 8)
    many = _counts(supervised)
    assert many == few
