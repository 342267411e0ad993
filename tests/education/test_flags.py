"""The automatic flag: a child on a register who is in need, on a child protection plan or in care, read live."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hearth.accounts.roles import Role
from hearth.cin.selectors import social_care_status
from hearth.cin.services import episode_close
from hearth.education.selectors import flags_of, register_cases, register_counts
from tests.conftest import client_for
from tests.factories import make_person, make_user
from tests.protection.factories import make_chair, plan_for

from .factories import cme_for, ehe_for, in_care, in_need, leave_care

pytestmark = pytest.mark.django_db


def _flags(user, register="cme", **kwargs) -> dict[str, list[str]]:
    return {case.child.first_name: [f.text for f in flags_of(case)]
            for case in register_cases(user=user, register=register, **kwargs)}


def test_each_status_flags_the_child_on_both_registers(la, team, officer):
    needs, protected, looked_after, plain = (make_person(la, first_name=n) for n in
                                             ("Needs", "Protected", "Cared", "Plain"))
    in_need(needs)
    plan_for(protected, chair=make_chair(la), manager=make_user(la, Role.TEAM_MANAGER, team), by="test")
    in_care(looked_after)
    for child in (needs, protected, looked_after, plain):
        cme_for(child, officer)
        ehe_for(child, officer)
    for register in ("cme", "ehe"):
        assert _flags(officer, register) == {
            "Needs": ["Child in need"],
            # A child on a plan has an open referral too: both are true and both are shown, the plan first.
            "Protected": ["Child protection plan", "Child in need"],
            "Cared": ["In care"],
            "Plain": [],
        }
        assert set(_flags(officer, register, flagged_only=True)) == {"Needs", "Protected", "Cared"}
        counts = register_counts(user=officer, register=register)
        assert (counts.open, counts.open_flagged, counts.hidden) == (4, 3, 0)


def test_a_flag_goes_when_the_status_ends(la, officer):
    child = make_person(la, first_name="Ending")
    episode = in_need(child, date(2026, 1, 5))
    period = in_care(child, date(2026, 1, 10))
    cme_for(child, officer)
    assert _flags(officer) == {"Ending": ["In care", "Child in need"]}
    leave_care(period, date(2026, 2, 1))
    episode_close(episode=episode, closed_on=date(2026, 2, 2), reason="RC7", by="test")
    assert _flags(officer) == {"Ending": []}


def test_flags_are_read_in_the_same_query_as_the_rows_however_many(la, officer):
    def run() -> int:
        with CaptureQueriesContext(connection) as ctx:
            rows = list(register_cases(user=officer, register="cme"))
            [flags_of(row) for row in rows]
        return len(ctx.captured_queries)

    for _ in range(2):
        child = make_person(la)
        in_need(child)
        cme_for(child, officer)
    few = run()
    for i in range(12):
        child = make_person(la)
        (in_need if i % 2 else in_care)(child)
        cme_for(child, officer)
    assert run() == few == 1


def test_the_record_header_shows_the_registers_in_its_one_query(la, child, officer):
    cme_for(child, officer)
    ehe_for(child, officer)
    with CaptureQueriesContext(connection) as ctx:
        tags = social_care_status(child=child)
    assert [t.text for t in tags if t.colour == "yellow"] == ["Missing education (CME)", "Home educated (EHE)"]
    assert len(ctx.captured_queries) == 1
    assert social_care_status(child=make_person(la)) == []


def test_the_case_page_shows_the_flag_and_who_holds_the_child(la, team, social_worker, officer):
    from .factories import allocate

    child = make_person(la, first_name="Flagged")
    in_care(child)
    allocate(child, team, social_worker)
    case = ehe_for(child, officer)
    body = client_for(officer).get(f"/education/home-education/{case.pk}/").content.decode()
    assert "Known to children&#x27;s social care: in care." in body or "Known to children's social care: in care." \
        in body
    assert social_worker.get_full_name() in body and team.name in body
