"""Telling the social worker: once when a known child is put on a register, once when a status begins later."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.management import call_command

from hearth.accounts.roles import Role
from hearth.education.models import RegisterFlagNotice
from hearth.education.selectors import flag_notices_due
from hearth.education.services import register_flags_notify
from hearth.protection import services as protection_services
from hearth.workspace.models import Notification
from tests.conftest import client_for
from tests.factories import make_user
from tests.protection.factories import make_chair, oversee_end, plan_for

from .factories import allocate, cme_for, ehe_for, in_care, in_need, leave_care

pytestmark = pytest.mark.django_db


def _told(*users) -> list[list[str]]:
    return [list(Notification.objects.filter(recipient=u).order_by("id").values_list("title", flat=True))
            for u in users]


def _run() -> str:
    out = io.StringIO()
    call_command("education_flags_notify", stdout=out)
    return out.getvalue()


def test_a_child_in_need_put_on_a_register_is_told_to_the_social_worker_and_manager_once(
        la, team, social_worker, team_manager, officer, child):
    in_need(child)
    allocate(child, team, social_worker)
    case = cme_for(child, officer)
    expected = ["Added to the children missing education register: Child in need"]
    assert _told(social_worker, team_manager, officer) == [expected, expected, []]
    note = Notification.objects.get(recipient=social_worker)
    assert note.link == f"/education/missing-education/{case.pk}/"
    # The body names the record, never the child.
    assert child.hearth_id in note.body and child.first_name not in note.body + note.title
    assert "0 notifications" in _run()
    assert _told(social_worker, team_manager) == [expected, expected]


def test_a_child_not_known_to_social_care_is_told_to_nobody(la, team, social_worker, team_manager, officer, child):
    allocate(child, team, social_worker)
    ehe_for(child, officer)
    assert not Notification.objects.exists() and not RegisterFlagNotice.objects.exists()


def test_a_status_that_begins_later_is_told_by_the_daily_run_once_and_a_new_one_again(
        la, team, social_worker, team_manager, officer, child):
    allocate(child, team, social_worker)
    ehe_for(child, officer)
    period = in_care(child, date(2026, 4, 1))
    assert [n.flag for n in flag_notices_due(local_authority_id=la.pk)] == ["care"]
    assert "2 notifications" in _run()
    assert _told(social_worker, team_manager) == [["On the elective home education register: now In care"]] * 2
    assert "0 notifications" in _run()
    assert flag_notices_due(local_authority_id=la.pk) == []
    # Leaving care and coming back into care is a new period: told again, once.
    leave_care(period, date(2026, 5, 1))
    in_care(child, date(2026, 6, 1))
    assert register_flags_notify(local_authority=la, by="test") == 2
    assert register_flags_notify(local_authority=la, by="test") == 0
    assert len(_told(social_worker)[0]) == 2


def test_a_child_protection_plan_starting_while_on_the_register_is_told_once(la, team, social_worker,
                                                                             team_manager, officer, child):
    allocate(child, team, social_worker)
    cme_for(child, officer, on=date(2024, 11, 1))
    plan_for(child, chair=make_chair(la), manager=team_manager, by=social_worker)
    # The plan came with a referral: one notification naming both, to each of them.
    assert register_flags_notify(local_authority=la, by="test") == 2
    assert _told(social_worker, team_manager)[0] == [
        "On the children missing education register: now Child protection plan, Child in need"]
    assert register_flags_notify(local_authority=la, by="test") == 0


def test_with_nobody_allocated_the_service_managers_are_told(la, officer, child):
    service_manager = make_user(la, Role.SERVICE_MANAGER)
    in_care(child)
    cme_for(child, officer)
    assert _told(service_manager) == [["Added to the children missing education register: In care"]]


def test_the_acting_worker_is_not_told_about_their_own_entry(la, team, officer, child):
    # An officer who is also the allocated worker (say, a dual role) does not notify themselves.
    allocate(child, team, officer)
    manager = make_user(la, Role.TEAM_MANAGER, team)
    in_need(child)
    cme_for(child, officer)
    assert _told(officer, manager) == [[], ["Added to the children missing education register: Child in need"]]


def test_an_ended_register_case_is_not_told(la, team, social_worker, officer, child):
    from hearth.education import services

    allocate(child, team, social_worker)
    case = ehe_for(child, officer)
    services.ehe_case_end(case=case, ended_on=date(2026, 3, 5), reason="moved_away", by=officer)
    in_need(child, date(2026, 4, 1))
    assert register_flags_notify(local_authority=la, by="test") == 0


def test_the_registers_page_counts_what_is_untold_and_an_officer_can_tell_now(la, team, social_worker, officer,
                                                                               child):
    allocate(child, team, social_worker)
    ehe_for(child, officer)
    in_need(child, date(2026, 4, 1))
    page = client_for(officer).get("/education/")
    assert "1 social care status of children on the registers has not been told" in page.content.decode()
    response = client_for(officer).post("/education/notify/")
    assert response.status_code == 302
    assert _told(social_worker) == [["On the elective home education register: now Child in need"]]
    assert "not been told" not in client_for(officer).get("/education/").content.decode()
    # Reading the registers is not working them.
    assert client_for(social_worker).post("/education/notify/").status_code == 403


def test_an_ended_plan_is_not_told_after_it_ends(la, team, social_worker, team_manager, officer, child):
    allocate(child, team, social_worker)
    plan = plan_for(child, chair=make_chair(la), manager=team_manager, by=social_worker)
    oversee_end(plan, team_manager)
    protection_services.cp_plan_end(plan=plan, ended_on=date(2025, 6, 1), reason="step_down_cin", by=social_worker)
    cme_for(child, officer)
    # Only the open referral is told.
    assert _told(social_worker)[0] == ["Added to the children missing education register: Child in need"]
