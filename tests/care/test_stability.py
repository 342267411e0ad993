"""Stability measures (indicators.md §4) and the children-in-care team view."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from hearth.accounts.models import Team
from hearth.accounts.roles import Role
from hearth.allocations.services import allocation_start
from hearth.care import services
from hearth.care.episodes import Period, PlacementRow
from hearth.care.selectors import care_record, children_in_care, long_term_stability, placements_in_year
from tests.conftest import client_for
from tests.factories import make_person, make_team, make_user

from .factories import FOSTER, HOME, give_address, start_care

TODAY = date(2025, 3, 31)


def home(place: str, start: date, end: date | None = None, *, same: bool = False, carer: str = "A", pk: int = 0,
         household: int | None = None) -> object:
    row = PlacementRow(place, start, end, same_carer_as_previous=same, postcode="NG7 2AA", pk=pk)
    # The selectors read these attributes of a Placement as well.
    object.__setattr__(row, "period_id", 1)
    object.__setattr__(row, "foster_household_id", household)
    object.__setattr__(row, "carer_name", carer)
    return row


def test_placements_in_the_year_count_the_one_open_at_the_start_and_skip_temporary_and_same_carer_adoption():
    homes = [
        home("U6", date(2023, 1, 1), date(2024, 5, 1), carer="A", pk=1),  # open at the start of the 12 months
        home("U4", date(2024, 5, 1), date(2024, 8, 1), carer="B", pk=2),
        home("T2", date(2024, 8, 1), date(2024, 8, 10), carer="C", pk=3),  # temporary: not a placement
        home("U4", date(2024, 8, 10), date(2024, 12, 1), carer="B", pk=4),  # back to the same home: not a move
        home("A5", date(2024, 12, 1), None, same=True, carer="B", pk=5),  # placed for adoption with the carer
    ]
    assert placements_in_year(homes, TODAY) == 2
    assert placements_in_year(homes[:1], TODAY) == 1
    # A placement that ended on the first day of the window is not counted.
    assert placements_in_year([home("U6", date(2023, 1, 1), date(2024, 3, 31), pk=1),
                               home("K2", date(2024, 3, 31), None, carer="Z", pk=2)], TODAY) == 1


def test_three_moves_in_a_year_is_three_or_more():
    homes = [home("U6", date(2024, 6, 1), date(2024, 7, 1), carer="A", pk=1),
             home("U6", date(2024, 7, 1), date(2024, 9, 1), carer="B", pk=2),
             home("K2", date(2024, 9, 1), None, carer="C", pk=3)]
    assert placements_in_year(homes, TODAY) == 3


def test_long_term_stability_needs_under_16_two_and_a_half_years_in_care_and_two_in_the_placement():
    period = Period(date(2022, 1, 1), pk=1)
    stable = [home("U6", date(2022, 1, 1), date(2023, 1, 1), carer="A", pk=1),
              home("U4", date(2023, 1, 1), None, carer="B", pk=2)]
    result = long_term_stability(period=period, placements=stable, age=10, on=TODAY)
    assert (result.eligible, result.stable, result.same_placement_since) == (True, True, date(2023, 1, 1))
    assert not long_term_stability(period=period, placements=stable, age=16, on=TODAY).eligible
    recent = Period(date(2023, 1, 1), pk=1)
    assert not long_term_stability(period=recent, placements=stable, age=10, on=TODAY).eligible
    moved = [*stable[:1], home("U4", date(2023, 1, 1), date(2024, 1, 1), carer="B", pk=2),
             home("K2", date(2024, 1, 1), None, carer="C", pk=3)]
    assert not long_term_stability(period=period, placements=moved, age=10, on=TODAY).stable
    # Placed for adoption: the adoptive placement and the one before it together count.
    adoptive = [*stable[:1], home("U4", date(2023, 1, 1), date(2024, 12, 1), carer="B", pk=2),
                home("A6", date(2024, 12, 1), None, carer="D", pk=3)]
    assert long_term_stability(period=period, placements=adoptive, age=10, on=TODAY).stable


def test_the_childs_record_shows_stability_and_social_workers(la, child, social_worker, team):
    today = timezone.localdate()
    period = start_care(child, on=today - timedelta(days=300))
    for i, worker in enumerate([social_worker, make_user(la, Role.SOCIAL_WORKER, team),
                                make_user(la, Role.SOCIAL_WORKER, team)]):
        allocation_start(child=child, team=team, worker=worker, started_on=today - timedelta(days=200 - 50 * i),
                         by="test")
    for i, details in enumerate([HOME, FOSTER]):
        services.placement_change(period=period, started_on=today - timedelta(days=100 - 30 * i),
                                  reason_for_change="CARPL", by="test", **{**details, "carer_name": f"Carer {i}"})
    record = care_record(child=child, today=today)
    assert (record.placements_12m, record.social_workers_12m) == (3, 3)
    page = client_for(social_worker).get(f"/children/{child.pk}/care/").content.decode()
    assert "3 or more" in page


def _children_in_care(la, team, n: int) -> None:
    for i in range(n):
        child = make_person(la, first_name=f"Cared{i}", date_of_birth=date(2012, 1, 1))
        give_address(child)
        allocation_start(child=child, team=team, worker=None, started_on=date(2024, 1, 1), by="test")
        period = start_care(child, on=date(2024, 2, 1))
        services.placement_change(period=period, started_on=date(2024, 6, 1), reason_for_change="CARPL", by="test",
                                  **HOME)


def test_the_team_view_takes_the_same_queries_for_few_and_many_children(la):
    team = make_team(la, "Children in care 1", kind=Team.Kind.CHILDREN_IN_CARE)
    other = make_team(la, "Children in care 2", kind=Team.Kind.CHILDREN_IN_CARE)
    manager = make_user(la, Role.TEAM_MANAGER, team)
    client = client_for(manager)
    _children_in_care(la, team, 1)
    client.get("/children-in-care/")
    with CaptureQueriesContext(connection) as few:
        assert client.get("/children-in-care/?team=").status_code == 200
    _children_in_care(la, team, 4)
    _children_in_care(la, other, 3)
    with CaptureQueriesContext(connection) as many:
        page = client.get("/children-in-care/?team=").content.decode()
    assert len(many.captured_queries) == len(few.captured_queries)
    assert page.count("/care/\"") >= 8 and "Children in care 2" in page


def test_the_team_view_starts_on_the_users_children_in_care_team_and_filters(la):
    team = make_team(la, "Children in care North", kind=Team.Kind.CHILDREN_IN_CARE)
    other = make_team(la, "Children in care South", kind=Team.Kind.CHILDREN_IN_CARE)
    _children_in_care(la, team, 1)
    _children_in_care(la, other, 2)
    user = make_user(la, Role.SOCIAL_WORKER, team)
    view = children_in_care(user=user, team=team)
    assert [g.name for g in view.groups] == ["Children in care North"] and view.totals.children == 1
    page = client_for(user).get("/children-in-care/").content.decode()
    assert "Children in care South</h2>" not in page
    page = client_for(user).get("/children-in-care/?team=").content.decode()
    assert "Children in care South" in page
    assert children_in_care(user=user).totals.children == 3


def test_across_a_large_council_each_team_shows_its_figures_and_a_link_to_its_children(la, monkeypatch):
    from hearth.care import views

    team = make_team(la, "Children in care East", kind=Team.Kind.CHILDREN_IN_CARE)
    _children_in_care(la, team, 3)
    manager = make_user(la, Role.SERVICE_MANAGER)
    monkeypatch.setattr(views, "COUNCIL_LIST_LIMIT", 2)

    page = client_for(manager).get("/children-in-care/?team=").content.decode()

    assert page.count('/care/"') == 0
    assert f'href="?team={team.pk}">List the 3 children in care in Children in care East</a>' in page
    chosen = client_for(manager).get(f"/children-in-care/?team={team.pk}").content.decode()
    assert chosen.count('/care/"') == 3
