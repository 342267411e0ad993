"""supervision_compliance on hand-built teams: who is in time, who is overdue and by how much."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hearth.accounts.models import User
from hearth.accounts.roles import Role
from hearth.supervision.schedule import Interval, Policy
from hearth.supervision.selectors import (
    SupervisionCompliance,
    WorkerDue,
    WorkerStatus,
    compliance_by_team,
    compliance_of,
    supervision_compliance,
    worker_statuses,
)
from tests.factories import make_team, make_user
from tests.supervision.factories import arrange, make_session

ON = date(2026, 11, 23)
LONG_AGO = date(2024, 1, 1)


def _worker(la, team, role=Role.SOCIAL_WORKER, *, started=LONG_AGO, **extra) -> User:
    return make_user(la, role, team, started_on=started, **extra)


@pytest.fixture
def council(la):
    """A team of five and its manager, and a second team, each worker placed at a known point of the rule."""
    north, south = make_team(la, "North"), make_team(la, "South")
    manager = _worker(la, north, Role.TEAM_MANAGER, last_name="Manager")
    head = make_user(la, Role.SERVICE_MANAGER, last_name="Head")
    w = {
        # Supervised 28 days ago: due today, in time.
        "due_today": _worker(la, north, last_name="Duetoday"),
        # Supervised 29 days ago: one day overdue.
        "one_day": _worker(la, north, last_name="Oneday"),
        # Held 40 days ago; a later session was cancelled: 12 days overdue.
        "cancelled": _worker(la, north, last_name="Cancelled"),
        # Started ten days ago, never supervised: not yet due.
        "new": _worker(la, north, started=date(2026, 11, 13), last_name="Newstarter"),
        # ASYE since September; supervised 15 days ago, so a day past the fortnight... in the three-weekly part.
        "asye": _worker(la, north, last_name="Asye"),
        "south": _worker(la, south, last_name="Southern"),
    }
    make_session(w["due_today"], manager, date(2026, 10, 26))
    make_session(w["one_day"], manager, date(2026, 10, 25))
    make_session(w["cancelled"], manager, date(2026, 10, 14))
    make_session(w["cancelled"], manager, date(2026, 11, 11), status="cancelled", not_held_reason="Sick")
    make_session(w["cancelled"], manager, date(2026, 11, 18), status="rearranged", rearranged_to=date(2026, 11, 30))
    arrange(w["asye"], asye_started_on=date(2026, 9, 1))
    make_session(w["asye"], manager, date(2026, 10, 30))  # three-weekly by now: due 20 Nov, 3 days overdue
    make_session(w["south"], head, date(2026, 11, 20))
    # The manager, supervised monthly by the head of service: 1 Nov + 1 month = 1 Dec.
    make_session(manager, head, date(2026, 11, 1))
    return north, south, manager, w


def test_compliance_of_a_team_on_hand_built_data(la, council):
    north, _south, _manager, w = council
    result = supervision_compliance(local_authority=la, team=north, on=ON)
    assert result.workers == 6  # five workers and the manager
    assert result.in_time == 3
    assert result.percent == 50.0
    assert [(d.worker, d.days_overdue) for d in result.overdue] == [
        (w["cancelled"], 12), (w["asye"], 3), (w["one_day"], 1)]
    cancelled = result.overdue[0]
    assert isinstance(cancelled, WorkerDue)
    assert (cancelled.last_on, cancelled.due_on) == (date(2026, 10, 14), date(2026, 11, 11))


def test_the_council_as_a_whole_and_by_team(la, council, other_la):
    _north, south, _manager, _w = council
    _worker(other_la, make_team(other_la, "Elsewhere"))  # another council's worker is never counted
    whole = supervision_compliance(local_authority=la, on=ON)
    assert (whole.workers, whole.in_time, len(whole.overdue)) == (7, 4, 3)
    rows, total = compliance_by_team(local_authority=la, on=ON)
    assert total == whole
    assert [(r.name, r.compliance.workers, r.compliance.in_time) for r in rows] == [("North", 6, 3), ("South", 1, 1)]
    assert supervision_compliance(local_authority=la.pk, team=south.pk, on=ON).percent == 100.0


def test_a_session_after_the_day_asked_about_does_not_count(la, council):
    _north, _south, _manager, w = council
    # On 30 October the 20 November session had not happened: the southern worker was overdue.
    earlier = supervision_compliance(local_authority=la, on=date(2026, 10, 30))
    assert w["south"] in [d.worker for d in earlier.overdue]
    statuses = {s.worker: s for s in worker_statuses(local_authority=la, on=date(2026, 11, 19))}
    assert statuses[w["south"]].last_on is None and statuses[w["south"]].overdue


def test_leavers_and_staff_not_yet_started_are_not_counted(la, council):
    north, _south, _manager, _w = council
    _worker(la, north, started=date(2026, 12, 1), last_name="Future")
    _worker(la, north, left_on=date(2026, 11, 1), is_active=False, last_name="Leaver")
    _worker(la, north, is_active=False, last_name="Switchedoff")
    make_user(la, Role.BUSINESS_SUPPORT, north, started_on=LONG_AGO)
    assert supervision_compliance(local_authority=la, team=north, on=ON).workers == 6
    # The leaver was in post in October (the new starter was not).
    october = supervision_compliance(local_authority=la, team=north, on=date(2026, 10, 1))
    assert "Leaver" in [d.worker.last_name for d in october.overdue] and october.workers == 6


def test_nobody_to_supervise_is_no_percentage(la):
    assert supervision_compliance(local_authority=la, on=ON) == SupervisionCompliance(0, 0, [], None)


def test_the_councils_own_policy_is_used(la, council):
    from hearth.supervision.services import policy_set

    north, _south, _manager, _w = council
    head = User.objects.get(last_name="Head")
    frequencies = {role: Interval(8) for role in Policy().frequencies}
    policy_set(local_authority=la, expected_version=0, frequencies=frequencies, asye_first_weeks=6,
               asye_first_every_weeks=2, asye_every_weeks=3, asye_months=12, case_discussion_weeks=13, by=head)
    # Every eight weeks: only the ASYE worker (still three-weekly) is overdue.
    result = supervision_compliance(local_authority=la, team=north, on=ON)
    assert [d.worker.last_name for d in result.overdue] == ["Asye"]


def test_statuses_take_a_fixed_number_of_queries(la, council, django_assert_max_num_queries):
    north, _south, manager, _w = council
    with django_assert_max_num_queries(2):
        few = supervision_compliance(local_authority=la, team=north, on=ON)
    for n in range(10):
        make_session(_worker(la, north, last_name=f"Extra{n}"), manager, date(2026, 11, 1))
    with django_assert_max_num_queries(2):
        many = supervision_compliance(local_authority=la, team=north, on=ON)
    assert many.workers == few.workers + 10


@given(flags=st.lists(st.integers(min_value=0, max_value=40), max_size=30))
@settings(max_examples=60)
def test_the_percentage_is_between_0_and_100_and_adds_up(flags):
    statuses = [
        WorkerStatus(worker=User(pk=i + 1, first_name="A", last_name=f"W{i}"), last_on=None, due_on=ON,
                     days_overdue=overdue, interval=Interval(4), asye=False, next_booked=None, supervisor_id=None)
        for i, overdue in enumerate(flags)
    ]
    result = compliance_of(statuses)
    assert result.workers == len(flags)
    assert result.in_time + len(result.overdue) == result.workers
    if result.workers:
        assert result.percent is not None and 0 <= result.percent <= 100
    else:
        assert result.percent is None
    assert [d.days_overdue for d in result.overdue] == sorted((f for f in flags if f), reverse=True)
