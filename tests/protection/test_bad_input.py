"""Child protection under bad input, wrong sequences and two people at once: refused beside the field, nothing lost."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from hearth.accounts.roles import Role
from hearth.oversight.models import DecisionPoint, ManagementOversight
from hearth.protection import services
from hearth.protection.models import ChildProtectionConference, CoreGroupMeeting, StrategyDiscussion
from tests.conftest import client_for
from tests.factories import make_person, make_user
from tests.workspace.bad_input_helpers import (
    assert_error_beside,
    assert_kept,
    checked,
    date_fields,
    selected,
    text,
    token_from,
    walk,
)

from .factories import discuss, enquiry_at_risk, open_episode, oversee_end, plan_for

pytestmark = pytest.mark.django_db


def p(child: object, tail: str) -> str:
    return f"/children/{child.pk}/protection/{tail}"


def conference_post(chair: object, day: date, **extra: str) -> dict[str, object]:
    return {**date_fields("held_on", day), "chair": chair.pk, "outcome": "plan", "category": "EMO",
            "attendees": "DS Patel, Dr Khan", "summary_of_concerns": "Repeated bruising",
            "family_summary": "We are worried about the bruises", **extra}


def test_an_icpc_before_the_enquiry_found_risk_is_refused_beside_the_date_with_everything_kept(
        child, social_worker, team_manager, chair) -> None:
    open_episode(child)
    enquiry_at_risk(child, discussed_on=date(2024, 12, 20), completed_on=date(2025, 1, 8), by=social_worker,
                    manager=team_manager)
    response = client_for(social_worker).post(p(child, "conferences/new/initial/"),
                                              conference_post(chair, date(2025, 1, 6)))
    assert_error_beside(response, "held_on", "before the section 47 enquiry found the child at continuing risk "
                                             "(8 January 2025)", date_field=True)
    assert_kept(response, "DS Patel, Dr Khan", "Repeated bruising", "We are worried about the bruises")
    assert selected(response, str(chair.pk))
    assert checked(response, "outcome", "plan") and checked(response, "category", "EMO")
    assert not ChildProtectionConference.objects.exists()


def test_an_icpc_before_the_enquiry_started_is_refused_beside_the_date(child, social_worker, team_manager,
                                                                       chair) -> None:
    open_episode(child)
    enquiry_at_risk(child, discussed_on=date(2024, 12, 20), completed_on=date(2025, 1, 8), by=social_worker,
                    manager=team_manager)
    response = client_for(social_worker).post(p(child, "conferences/new/initial/"),
                                              conference_post(chair, date(2024, 12, 19)))
    assert_error_beside(response, "held_on", "before the section 47 enquiry started (20 December 2024)",
                        date_field=True)


def test_a_plan_cannot_end_before_its_last_core_group(child, social_worker, team_manager, chair) -> None:
    plan = plan_for(child, chair=chair, manager=team_manager, by=social_worker)
    services.core_group_record(plan=plan, held_on=date(2025, 1, 20), by=social_worker)
    oversee_end(plan, team_manager)
    plan.refresh_from_db()
    response = client_for(social_worker).post(p(child, f"plans/{plan.pk}/end/"), {
        **date_fields("ended_on", date(2025, 1, 17)), "reason": "step_down_cin", "version": plan.version})
    assert_error_beside(response, "ended_on", "before the last core group meeting recorded on it (20 January 2025)",
                        date_field=True)
    assert checked(response, "reason", "step_down_cin")
    plan.refresh_from_db()
    assert plan.ended_on is None


def test_a_review_ending_the_plan_cannot_be_before_the_last_visit(child, social_worker, team_manager,
                                                                  chair) -> None:
    plan = plan_for(child, chair=chair, manager=team_manager, by=social_worker)
    services.cp_visit_record(plan=plan, visited_on=date(2025, 3, 10), child_seen=True, child_seen_alone=True,
                             by=social_worker)
    oversee_end(plan, team_manager)
    response = client_for(social_worker).post(p(child, "conferences/new/review/"), {
        **date_fields("held_on", date(2025, 3, 7)), "chair": chair.pk, "outcome": "plan_ends", "end_reason": "nfa",
        "decisions_and_reasons": "Risk reduced and sustained"})
    assert_error_beside(response, "held_on", "before the last visit recorded on it (10 March 2025)", date_field=True)
    assert checked(response, "outcome", "plan_ends") and checked(response, "end_reason", "nfa")
    assert_kept(response, "Risk reduced and sustained")
    plan.refresh_from_db()
    assert plan.ended_on is None


def test_oversight_of_an_enquiry_outcome_not_yet_recorded_is_refused(child, social_worker, team_manager) -> None:
    open_episode(child)
    enquiry = discuss(child, date(2024, 12, 20), social_worker).s47_enquiries.get()
    response = client_for(team_manager).post(p(child, f"s47/{enquiry.pk}/oversight/"), {"rationale": "Agree"},
                                             follow=True)
    assert "Record the outcome of the enquiry before management oversight of it" in text(response)
    assert not ManagementOversight.objects.exists()


def test_oversight_sent_twice_is_recorded_once_and_lands_back_on_the_enquiry(child, social_worker,
                                                                             team_manager) -> None:
    open_episode(child)
    enquiry = enquiry_at_risk(child, discussed_on=date(2024, 12, 20), completed_on=date(2025, 1, 8),
                              by=social_worker)
    manager = client_for(team_manager)
    page = manager.get(p(child, f"s47/{enquiry.pk}/"))
    data = {"rationale": "Agree: ICPC needed", "submission_token": token_from(page)}
    assert manager.post(p(child, f"s47/{enquiry.pk}/oversight/"), data).status_code == 302
    again = manager.post(p(child, f"s47/{enquiry.pk}/oversight/"), data, follow=True)
    assert again.status_code == 200 and "already saved" in text(again)
    assert ManagementOversight.objects.filter(decision_point=DecisionPoint.S47_OUTCOME).count() == 1


def test_plan_oversight_sent_twice_is_recorded_once(child, social_worker, team_manager, chair) -> None:
    plan = plan_for(child, chair=chair, manager=team_manager, by=social_worker)
    manager = client_for(team_manager)
    data = {"rationale": "Agree the plan can end", "decision_point": DecisionPoint.CP_PLAN_END,
            "submission_token": token_from(manager.get(p(child, f"plans/{plan.pk}/")))}
    manager.post(p(child, f"plans/{plan.pk}/oversight/"), data)
    again = manager.post(p(child, f"plans/{plan.pk}/oversight/"), data, follow=True)
    assert again.status_code == 200
    assert ManagementOversight.objects.filter(decision_point=DecisionPoint.CP_PLAN_END).count() == 1


def test_two_people_changing_a_plan_the_second_is_told_who_and_keeps_their_text(child, social_worker,
                                                                                 team_manager, chair) -> None:
    plan = plan_for(child, chair=chair, manager=team_manager, by=social_worker)
    colleague = make_user(child.local_authority, Role.SOCIAL_WORKER, first_name="Priya", last_name="Shah",
                          username="priya")
    version = plan.version
    client_for(colleague).post(p(child, f"plans/{plan.pk}/change/"), {
        "outline_plan": "Priya's plan", "family_summary": "", "version": version})
    response = client_for(social_worker).post(p(child, f"plans/{plan.pk}/change/"), {
        "outline_plan": "Mum attends the parenting group", "family_summary": "We will visit every week",
        "visit_interval_days": "5", "version": version})
    assert "Someone else saved changes" in text(response) and "Last saved by Priya Shah" in text(response)
    assert_kept(response, "Mum attends the parenting group", "We will visit every week", 'value="5"')
    plan.refresh_from_db()
    assert plan.outline_plan == "Priya's plan"


def test_a_council_name_over_its_limit_gets_a_govuk_message(child, social_worker) -> None:
    response = client_for(social_worker).post(p(child, "transfer-in/"), {
        **date_fields("notified_on", date(2025, 1, 6)), "previous_authority": "D" * 151})
    assert_error_beside(response, "previous_authority",
                        "Council whose plan the child is on must be 150 characters or fewer")
    assert_kept(response, "D" * 151)


def test_a_strategy_discussion_tomorrow_is_refused_with_the_ticks_and_choice_kept(child, social_worker) -> None:
    open_episode(child)
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = client_for(social_worker).post(p(child, "strategy/new/"), {
        **date_fields("held_on", tomorrow), "agencies_present": ["police", "education"],
        "reason": "Disclosure to teacher", "decision": "assessment", "immediate_safety_actions": "Stays with gran"})
    assert_error_beside(response, "held_on", "must be today or in the past", date_field=True)
    assert checked(response, "agencies_present", "police") and checked(response, "agencies_present", "education")
    assert not checked(response, "agencies_present", "health")
    assert checked(response, "decision", "assessment")
    assert_kept(response, "Disclosure to teacher", "Stays with gran")
    assert not StrategyDiscussion.objects.exists()


def test_a_core_group_sent_twice_is_recorded_once(child, social_worker, team_manager, chair) -> None:
    plan = plan_for(child, chair=chair, manager=team_manager, by=social_worker)
    client = client_for(social_worker)
    url = p(child, f"plans/{plan.pk}/core-groups/new/")
    data = {**date_fields("held_on", date(2025, 1, 22)), "progress": "Attending nursery",
            "submission_token": token_from(client.get(url))}
    client.post(url, data)
    client.post(url, data)
    assert CoreGroupMeeting.objects.count() == 1


def test_a_visit_before_the_plan_started_is_refused_beside_the_date(child, social_worker, team_manager,
                                                                    chair) -> None:
    plan = plan_for(child, chair=chair, manager=team_manager, by=social_worker)
    response = client_for(social_worker).post(p(child, f"plans/{plan.pk}/visits/new/"), {
        **date_fields("visited_on", date(2025, 1, 10)), "child_seen": "yes", "child_seen_alone": "no",
        "observations": "Bedroom warm and tidy"})
    assert_error_beside(response, "visited_on", "cannot be before the plan started (15 January 2025)",
                        date_field=True)
    assert checked(response, "child_seen", "yes") and checked(response, "child_seen_alone", "no")
    assert_kept(response, "Bedroom warm and tidy")


def test_every_protection_form_survives_junk(la, social_worker, team_manager, chair) -> None:
    child = make_person(la)
    plan = plan_for(child, chair=chair, manager=team_manager, by=social_worker)
    other = make_person(la)
    open_episode(other)
    enquiry = discuss(other, date(2024, 12, 20), social_worker).s47_enquiries.get()
    mover = make_person(la)
    worker, manager = client_for(social_worker), client_for(team_manager)
    problems = []
    problems += walk(worker, p(other, "strategy/new/"),
                     {"agencies_present": ["police"], "reason": "r", "decision": "continue_s47"}, dates=("held_on",))
    problems += walk(worker, p(other, f"s47/{enquiry.pk}/complete/"),
                     {"version": "0", "outcome": "not_substantiated", "findings": "f"}, dates=("completed_on",),
                     page=p(other, f"s47/{enquiry.pk}/"))
    problems += walk(worker, p(child, "conferences/new/review/"),
                     {"chair": chair.pk, "outcome": "plan_continues"}, dates=("held_on",))
    problems += walk(worker, p(mover, "conferences/new/transfer_in/"),
                     {"chair": chair.pk, "outcome": "no_plan", "previous_authority": "Derby"},
                     dates=("held_on", "notified_on"))
    problems += walk(worker, p(mover, "transfer-in/"), {"previous_authority": "Derby"}, dates=("notified_on",))
    problems += walk(worker, p(child, f"plans/{plan.pk}/change/"), {"version": "0"})
    problems += walk(worker, p(child, f"plans/{plan.pk}/end/"), {"version": "0", "reason": "nfa"},
                     dates=("ended_on",))
    problems += walk(manager, p(child, f"plans/{plan.pk}/oversight/"), {"decision_point": "cp_plan_end"},
                     page=p(child, f"plans/{plan.pk}/"))
    problems += walk(worker, p(child, f"plans/{plan.pk}/visits/new/"), {"child_seen": "yes",
                                                                         "child_seen_alone": "no"},
                     dates=("visited_on",))
    problems += walk(worker, p(child, f"plans/{plan.pk}/core-groups/new/"), {}, dates=("held_on",))
    assert problems == []
