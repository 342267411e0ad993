from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from hearth.accounts.models import Team
from hearth.accounts.roles import Role
from hearth.allocations.models import Allocation
from hearth.allocations.services import allocation_end, allocation_start
from hearth.cin.models import Assessment
from hearth.oversight.models import DecisionPoint
from hearth.oversight.services import oversight_gate_set, oversight_record
from hearth.people.models import Person
from hearth.worktrays.selectors import awaiting_manager, unallocated_children
from hearth.worktrays.services import allocations_bulk_start
from tests.conftest import client_for
from tests.factories import make_person, make_team, make_user
from tests.worktrays.factories import BY, make_assessment, make_clock, make_completed_s47, make_contact, make_episode

TODAY = timezone.localdate


def _waiting(la, team, **extra):
    child = make_person(la, **extra)
    make_episode(child, team=team, referral_date=TODAY() - timedelta(days=10))
    return child


def test_unallocated_work_lists_children_with_no_worker_and_how_long_they_waited(la, team, team_manager,
                                                                                   social_worker):
    by_episode = _waiting(la, team, first_name="Episodic")
    team_only = make_person(la, first_name="Teamonly")
    allocation_start(child=team_only, team=team, worker=None, started_on=TODAY() - timedelta(days=3), by=BY)
    has_worker = _waiting(la, team, first_name="Haveworker")
    allocation_start(child=has_worker, team=team, worker=social_worker, started_on=TODAY(), by=BY)
    elsewhere = _waiting(la, make_team(la, "Elsewhere"), first_name="Otherteam")
    sealed = _waiting(la, team, level=Person.AccessLevel.SEALED, first_name="Sealedone")

    waiting = list(unallocated_children(user=team_manager, team=team))
    assert [p.pk for p in waiting] == [by_episode.pk, team_only.pk]  # longest wait first
    assert waiting[0].waiting_since == TODAY() - timedelta(days=10)
    assert waiting[1].waiting_since == TODAY() - timedelta(days=3)

    page = client_for(team_manager).get(f"/trays/team/{team.pk}/").content.decode()
    assert "Episodic" in page and "Teamonly" in page
    for absent in ("Haveworker", "Otherteam", "Sealedone"):
        assert absent not in page
    assert elsewhere.pk and sealed.pk


def test_a_child_whose_worker_left_waits_from_when_the_allocation_ended(la, team, team_manager, social_worker):
    child = _waiting(la, team, first_name="Leftbehind")
    allocation = allocation_start(child=child, team=team, worker=social_worker, started_on=TODAY() - timedelta(days=8),
                                  by=BY)
    allocation_end(allocation=allocation, ended_on=TODAY() - timedelta(days=2), reason="Worker left", by=BY)
    [waiting] = unallocated_children(user=team_manager, team=team)
    assert waiting.waiting_since == TODAY() - timedelta(days=2)


def test_caseloads_count_open_cases_and_overdue_clocks_per_worker(la, team, team_manager, social_worker):
    for _ in range(3):
        child = make_person(la)
        allocation_start(child=child, team=team, worker=social_worker, started_on=TODAY(), by=BY)
    make_clock(child, "cp_visit", TODAY() - timedelta(days=40))
    make_clock(child, "core_group_first", TODAY() - timedelta(days=40))
    leaver = make_user(la, Role.SOCIAL_WORKER, team, left_on=TODAY() - timedelta(days=1), first_name="Gone")
    page = client_for(team_manager).get(f"/trays/team/{team.pk}/")
    rows = {m.pk: m for m in page.context["caseloads"]}
    assert rows[social_worker.pk].open_cases == 3 and rows[social_worker.pk].overdue_clocks == 2
    assert leaver.pk not in rows
    assert len(page.context["overdue"]) == 2


def test_awaiting_a_manager_lists_authorisations_and_gated_decisions(la, team, team_manager):
    child = _waiting(la, team, first_name="Awaited")
    episode = child.cin_episodes.get()
    make_assessment(child, episode, status=Assessment.Status.AWAITING_AUTHORISATION, submitted_on=TODAY())
    s47 = make_completed_s47(child, episode, completed_on=TODAY() - timedelta(days=1))
    old = make_completed_s47(make_person(la), make_episode(make_person(la), team=team), completed_on=date(2020, 1, 1))

    items = awaiting_manager(user=team_manager, team=team)
    assert [i.decision_point for i in items] == [DecisionPoint.S47_OUTCOME, DecisionPoint.ASSESSMENT_AUTHORISATION]
    assert old.pk not in [i.subject_id for i in items]

    page = client_for(team_manager).get(f"/trays/team/{team.pk}/").content.decode()
    assert "Assessment to authorise" in page and "Section 47 outcome" in page
    assert "/oversight/record/s47_outcome/" in page and "next=/trays/team/" in page
    assessment = episode.assessments.get()
    assert f"/children/{child.pk}/cin/assessments/{assessment.pk}/authorise/" in page

    oversight_record(subject=s47, decision_point=DecisionPoint.S47_OUTCOME, rationale="Agree ICPC", child=child,
                     by=team_manager)
    assert [i.decision_point for i in awaiting_manager(user=team_manager, team=team)] == [
        DecisionPoint.ASSESSMENT_AUTHORISATION]


def test_turning_a_gate_off_takes_its_decisions_off_the_tray(la, team, team_manager):
    child = _waiting(la, team)
    make_completed_s47(child, child.cin_episodes.get(), completed_on=TODAY())
    hos = make_user(la, Role.SERVICE_MANAGER)
    oversight_gate_set(local_authority=la, decision_point=DecisionPoint.S47_OUTCOME, required=False, by=hos)
    assert awaiting_manager(user=team_manager, team=team) == []


def test_front_door_managers_see_contacts_waiting_with_hours(la):
    front_door = make_team(la, "Front door", kind=Team.Kind.FRONT_DOOR)
    manager = make_user(la, Role.TEAM_MANAGER, front_door)
    make_contact(la, received=TODAY() - timedelta(days=3), first_name="Waitingchild")
    make_contact(la, child=make_person(la, Person.AccessLevel.SEALED, first_name="Sealedcontact"))
    page = client_for(manager).get(f"/trays/team/{front_door.pk}/")
    html = page.content.decode()
    assert "Waitingchild" in html and "Sealedcontact" not in html
    assert page.context["contacts"][0].hours_waiting >= 48


def test_the_team_tray_is_for_its_manager_and_service_managers(la, team, team_manager, social_worker):
    other = make_team(la, "Other team")
    assert client_for(team_manager).get(f"/trays/team/{team.pk}/").status_code == 200
    assert client_for(team_manager).get("/trays/team/").url == f"/trays/team/{team.pk}/"
    assert client_for(team_manager).get(f"/trays/team/{other.pk}/").status_code == 403
    assert client_for(social_worker).get(f"/trays/team/{team.pk}/").status_code == 403
    assert client_for(make_user(la, Role.SERVICE_MANAGER)).get(f"/trays/team/{other.pk}/").status_code == 200
    from tests.factories import make_la

    foreign = make_user(make_la(name="Elsewhere"), Role.SERVICE_MANAGER)
    assert client_for(foreign).get(f"/trays/team/{team.pk}/").status_code == 404


def test_the_team_tray_takes_a_fixed_number_of_queries(la, team, team_manager, social_worker):
    client = client_for(team_manager)
    client.get(f"/trays/team/{team.pk}/")

    def queries_with(n: int) -> int:
        for _ in range(n):
            waiting = _waiting(la, team, first_name="Counted")
            episode = waiting.cin_episodes.get()
            make_assessment(waiting, episode, status=Assessment.Status.AWAITING_AUTHORISATION, submitted_on=TODAY())
            make_completed_s47(waiting, episode, completed_on=TODAY())
            held = make_person(la)
            allocation_start(child=held, team=team, worker=social_worker, started_on=TODAY(), by=BY)
            make_clock(held, "cp_visit", TODAY() - timedelta(days=40))
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(f"/trays/team/{team.pk}/")
        assert response.status_code == 200
        return len(ctx.captured_queries)

    assert queries_with(1) == queries_with(20)


# Bulk allocation ---------------------------------------------------------------------------------

def test_bulk_allocation_allocates_every_selected_child_at_once(la, team, team_manager, social_worker):
    children = [_waiting(la, team, first_name=f"Bulk{i}") for i in range(3)]
    response = client_for(team_manager).post(
        f"/trays/team/{team.pk}/", {"children": [children[0].pk, children[2].pk], "worker": social_worker.pk},
        follow=True,
    )
    html = response.content.decode()
    assert "2 children allocated to" in html and "Bulk0" in html
    allocated = set(Allocation.objects.filter(worker=social_worker, ended_on__isnull=True).values_list("child_id",
                                                                                                          flat=True))
    assert allocated == {children[0].pk, children[2].pk}
    assert [p.pk for p in unallocated_children(user=team_manager, team=team)] == [children[1].pk]


def test_bulk_allocation_refuses_a_worker_from_another_team_and_keeps_the_ticks(la, team, team_manager):
    child = _waiting(la, team)
    outsider = make_user(la, Role.SOCIAL_WORKER, make_team(la, "Other"))
    response = client_for(team_manager).post(f"/trays/team/{team.pk}/", {"children": [child.pk],
                                                                          "worker": outsider.pk})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Choose a worker who is a current member of this team" in html and "There is a problem" in html
    assert f'value="{child.pk}" checked' in html
    assert not Allocation.objects.filter(child=child).exists()


def test_bulk_allocation_needs_a_child(la, team, team_manager, social_worker):
    _waiting(la, team)
    html = client_for(team_manager).post(f"/trays/team/{team.pk}/", {"worker": social_worker.pk}).content.decode()
    assert "Select at least one child to allocate" in html


def test_bulk_allocation_service_refuses_a_worker_who_has_left(la, team, team_manager):
    child = _waiting(la, team)
    leaver = make_user(la, Role.SOCIAL_WORKER, team, left_on=TODAY())
    with pytest.raises(ValidationError, match="has left"):
        allocations_bulk_start(children=[child], team=team, worker=leaver, by=team_manager)
    outsider = make_user(la, Role.SOCIAL_WORKER, make_team(la))
    with pytest.raises(ValidationError, match="not a member"):
        allocations_bulk_start(children=[child], team=team, worker=outsider, by=team_manager)
    analyst = make_user(la, Role.BUSINESS_SUPPORT, team)
    with pytest.raises(ValidationError, match="caseload"):
        allocations_bulk_start(children=[child], team=team, worker=analyst, by=team_manager)
    assert not Allocation.objects.filter(child=child).exists()


def test_bulk_allocation_is_all_or_nothing_when_a_child_was_taken_meanwhile(la, team, team_manager, social_worker):
    free, taken = _waiting(la, team, first_name="Free"), _waiting(la, team, first_name="Taken")
    other_worker = make_user(la, Role.SOCIAL_WORKER, team)
    allocation_start(child=taken, team=team, worker=other_worker, started_on=TODAY(), by=BY)
    with pytest.raises(ValidationError, match=r"Taken .* was allocated"):
        allocations_bulk_start(children=[free, taken], team=team, worker=social_worker, by=team_manager)
    assert not Allocation.objects.filter(child=free).exists()


def test_bulk_allocation_refuses_children_the_manager_cannot_see_and_non_managers(la, team, team_manager,
                                                                                    social_worker):
    sealed = _waiting(la, team, level=Person.AccessLevel.SEALED)
    with pytest.raises(ValidationError, match="cannot be allocated by you"):
        allocations_bulk_start(children=[sealed], team=team, worker=social_worker, by=team_manager)
    child = _waiting(la, team)
    with pytest.raises(PermissionDenied):
        allocations_bulk_start(children=[child], team=team, worker=social_worker, by=social_worker)
    other_manager = make_user(la, Role.TEAM_MANAGER, make_team(la))
    with pytest.raises(PermissionDenied):
        allocations_bulk_start(children=[child], team=team, worker=social_worker, by=other_manager)
    assert client_for(social_worker).post(f"/trays/team/{team.pk}/", {"children": [child.pk],
                                                                       "worker": social_worker.pk}).status_code == 403
