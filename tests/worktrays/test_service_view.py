from __future__ import annotations

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from hearth.accounts.models import Team
from hearth.accounts.roles import Role
from hearth.allocations.services import allocation_start
from hearth.cin.models import Assessment
from hearth.people.models import Person
from hearth.worktrays.selectors import service_overview
from tests.conftest import client_for
from tests.factories import make_person, make_team, make_user
from tests.worktrays.factories import BY, make_assessment, make_clock, make_contact, make_episode

TODAY = timezone.localdate


def _case(la, team, worker=None, *, level=Person.AccessLevel.OPEN, referral_days_ago=10):
    child = make_person(la, level)
    episode = make_episode(child, team=team, referral_date=TODAY() - timedelta(days=referral_days_ago))
    if worker is not None:
        allocation_start(child=child, team=team, worker=worker, started_on=TODAY(), by=BY)
    return child, episode


def test_one_row_per_team_with_its_drift(la, team, social_worker):
    hos = make_user(la, Role.SERVICE_MANAGER)
    held, episode = _case(la, team, social_worker, referral_days_ago=100)
    make_assessment(held, episode)  # over 45 working days, not authorised
    make_clock(held, "cp_visit", TODAY() - timedelta(days=40))
    waiting, waiting_episode = _case(la, team)
    make_assessment(waiting, waiting_episode, status=Assessment.Status.AWAITING_AUTHORISATION)
    _case(la, team, level=Person.AccessLevel.SEALED, referral_days_ago=100)  # counts nowhere
    front_door = make_team(la, "Front door", kind=Team.Kind.FRONT_DOOR)
    make_contact(la, received=TODAY() - timedelta(days=7))
    make_contact(la, received=TODAY())

    overview = service_overview(user=hos)
    rows = {r.name: r for r in overview.rows}
    row = rows[team.name]
    assert (row.open_cases, row.unallocated, row.overdue_clocks, row.awaiting, row.assessments_over_45) == (
        2, 1, 1, 1, 1)
    assert row.contacts_over_1 is None and rows[front_door.name].contacts_over_1 == 1
    assert overview.contacts_waiting == 2 and overview.totals.unallocated == 1

    page = client_for(hos).get("/trays/service/").content.decode()
    assert f"/trays/team/{team.pk}/" in page and "Front door" in page


def test_an_episode_with_no_team_is_still_counted(la):
    hos = make_user(la, Role.DIRECTOR)
    _case(la, None)
    rows = {r.name: r for r in service_overview(user=hos).rows}
    assert rows["No team yet"].unallocated == 1


def test_the_service_view_takes_a_fixed_number_of_queries_however_many_teams(la):
    hos = make_user(la, Role.SERVICE_MANAGER)
    client = client_for(hos)
    client.get("/trays/service/")

    def queries_with(teams: int) -> int:
        for _ in range(teams):
            team = make_team(la)
            worker = make_user(la, Role.SOCIAL_WORKER, team)
            child, episode = _case(la, team, worker, referral_days_ago=80)
            make_assessment(child, episode, status=Assessment.Status.AWAITING_AUTHORISATION)
            make_clock(child, "cp_visit", TODAY() - timedelta(days=40))
            _case(la, team)
            make_contact(la)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get("/trays/service/")
        assert response.status_code == 200
        return len(ctx.captured_queries)

    assert queries_with(1) == queries_with(10)


def test_only_service_managers_and_directors_see_the_service_view(la, team, team_manager, social_worker):
    assert client_for(team_manager).get("/trays/service/").status_code == 403
    assert client_for(social_worker).get("/trays/service/").status_code == 403
    assert client_for(make_user(la, Role.DIRECTOR)).get("/trays/service/").status_code == 200
    assert client_for(make_user(la, Role.SERVICE_MANAGER)).get("/trays/team/").url == "/trays/service/"
