"""Child protection services: the sequence rules, the clocks each step starts and stops, and the record they leave."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from hearth.audit.actor import acting_as
from hearth.audit.models import ChangeRecord
from hearth.chronology.models import ChronologyEvent
from hearth.cin.models import CINEpisode, CINPlan
from hearth.clocks.models import Clock
from hearth.oversight.models import DecisionPoint
from hearth.oversight.services import oversight_record
from hearth.protection import services
from hearth.protection.models import (
    Agency,
    ChildProtectionConference,
    ChildProtectionPlan,
    CoreGroupMeeting,
    Section47Enquiry,
    StrategyDiscussion,
)
from tests.factories import make_user

from .factories import discuss, enquiry_at_risk, initial_conference, open_episode, oversee_end, plan_for

Kind = ChildProtectionConference.Kind
Outcome = ChildProtectionConference.Outcome


def clocks(child, rule_id):
    return list(Clock.objects.filter(child=child, rule_id=rule_id).order_by("id"))


def messages_of(error: ValidationError) -> str:
    return " ".join(error.messages)


# ---------------------------------------------------------------- strategy discussions and S47


def test_a_strategy_discussion_needs_an_open_referral(child, social_worker):
    with pytest.raises(ValidationError, match="front door") as refused:
        discuss(child, date(2024, 12, 20), social_worker)
    assert "not open to children's social care" in messages_of(refused.value)
    assert not StrategyDiscussion.objects.exists()


def test_deciding_s47_starts_the_enquiry_and_the_icpc_clock_from_the_discussion(child, social_worker):
    open_episode(child)
    discussion = discuss(child, date(2024, 12, 20), social_worker)
    enquiry = discussion.s47_enquiries.get()
    assert enquiry.started_on == date(2024, 12, 20) and enquiry.episode == discussion.episode
    [icpc] = clocks(child, "icpc")
    # Fri 20 Dec 2024 + 15 working days, skipping 25, 26 Dec and 1 Jan: Wed 15 Jan 2025.
    assert icpc.started_on == date(2024, 12, 20) and icpc.due_on == date(2025, 1, 15)
    assert icpc.subject == enquiry
    titles = list(ChronologyEvent.objects.filter(person=child).values_list("title", flat=True))
    assert "Strategy discussion: Start a section 47 enquiry" in titles and "Section 47 enquiry started" in titles


def test_a_further_discussion_continuing_the_enquiry_keeps_its_clock(child, social_worker):
    open_episode(child)
    discuss(child, date(2024, 12, 20), social_worker)
    discuss(child, date(2025, 1, 6), social_worker, decision=StrategyDiscussion.Decision.CONTINUE_S47)
    assert StrategyDiscussion.objects.filter(child=child).count() == 2
    [icpc] = clocks(child, "icpc")
    assert icpc.due_on == date(2025, 1, 15) and icpc.is_open
    assert Section47Enquiry.objects.filter(child=child).count() == 1


def test_a_second_open_enquiry_and_continuing_nothing_are_refused_on_the_decision(child, social_worker):
    open_episode(child)
    with pytest.raises(ValidationError) as refused:
        discuss(child, date(2024, 12, 20), social_worker, decision=StrategyDiscussion.Decision.CONTINUE_S47)
    assert "no open section 47 enquiry" in refused.value.message_dict["decision"][0]
    discuss(child, date(2024, 12, 20), social_worker)
    with pytest.raises(ValidationError) as refused:
        discuss(child, date(2024, 12, 23), social_worker)
    assert "already open" in refused.value.message_dict["decision"][0]


def test_missing_police_or_health_is_warned_about_not_refused(child, social_worker):
    open_episode(child)
    discussion = discuss(child, date(2024, 12, 20), social_worker, agencies_present=[Agency.SOCIAL_CARE])
    assert services.missing_core_agencies(discussion.agencies_present) == ["Police", "Health"]
    event = ChronologyEvent.objects.get(person=child, event_type="strategy_discussion")
    assert "Not present: Police, Health" in event.summary


def test_discussion_dates_in_the_future_or_before_the_referral_are_refused(child, social_worker):
    open_episode(child, date(2024, 12, 2))
    with pytest.raises(ValidationError) as refused:
        discuss(child, date(2099, 1, 5), social_worker)
    assert "today or in the past" in refused.value.message_dict["held_on"][0]
    with pytest.raises(ValidationError) as refused:
        discuss(child, date(2024, 11, 29), social_worker)
    assert "before the referral" in refused.value.message_dict["held_on"][0]


def test_an_enquiry_without_continuing_risk_stops_the_icpc_clock_as_not_required(child, social_worker):
    open_episode(child)
    enquiry = discuss(child, date(2024, 12, 20), social_worker).s47_enquiries.get()
    services.s47_complete(enquiry=enquiry, completed_on=date(2025, 1, 10),
                          outcome=Section47Enquiry.Outcome.NOT_SUBSTANTIATED, findings="No harm found",
                          by=social_worker)
    enquiry.refresh_from_db()
    assert enquiry.icpc_required is False
    [icpc] = clocks(child, "icpc")
    assert icpc.status == Clock.Status.MET and icpc.stopped_on == date(2025, 1, 10)


def test_an_enquiry_cannot_complete_before_it_started_or_in_the_future(child, social_worker):
    open_episode(child)
    enquiry = discuss(child, date(2024, 12, 20), social_worker).s47_enquiries.get()
    for when, text in ((date(2024, 12, 19), "before it started"), (date(2099, 1, 1), "today or in the past")):
        with pytest.raises(ValidationError) as refused:
            services.s47_complete(enquiry=enquiry, completed_on=when, outcome="not_substantiated", findings="x",
                                  by=social_worker)
        assert text in refused.value.message_dict["completed_on"][0]


def test_s47_start_needs_a_discussion_that_decided_it(child, social_worker):
    open_episode(child)
    discussion = discuss(child, date(2024, 12, 20), social_worker, decision=StrategyDiscussion.Decision.ASSESSMENT_S17)
    with pytest.raises(ValidationError, match="strategy discussion that decided"):
        services.s47_start(strategy_discussion=discussion, started_on=date(2024, 12, 20), by=social_worker)


# ---------------------------------------------------------------- initial conference


def test_conference_before_s47_is_refused(child, social_worker, chair):
    open_episode(child)
    with pytest.raises(ValidationError, match="section 47 enquiry"):
        initial_conference(child, held_on=date(2025, 1, 15), chair=chair, by=social_worker)
    discuss(child, date(2024, 12, 20), social_worker)
    with pytest.raises(ValidationError, match="Record the outcome of the section 47 enquiry first"):
        initial_conference(child, held_on=date(2025, 1, 15), chair=chair, by=social_worker)
    assert not ChildProtectionConference.objects.exists()


def test_the_icpc_needs_manager_oversight_of_the_s47_outcome(child, social_worker, team_manager, chair):
    open_episode(child)
    enquiry = enquiry_at_risk(child, discussed_on=date(2024, 12, 20), completed_on=date(2025, 1, 8),
                              by=social_worker)
    with pytest.raises(ValidationError, match="A manager must record oversight of the section 47 outcome"):
        initial_conference(child, held_on=date(2025, 1, 15), chair=chair, by=social_worker)
    oversight_record(subject=enquiry, decision_point=DecisionPoint.S47_OUTCOME, rationale="Agree",
                     child=child, by=team_manager)
    conference = initial_conference(child, held_on=date(2025, 1, 15), chair=chair, by=social_worker)
    assert conference.section47 == enquiry
    [icpc] = clocks(child, "icpc")
    assert icpc.status == Clock.Status.MET and icpc.stopped_on == date(2025, 1, 15)


@pytest.mark.parametrize(("held_on", "text"), [
    (date(2025, 1, 18), "census rule 8875"),  # a Saturday
    (date(2025, 1, 19), "Sunday"),
    (date(2099, 1, 5), "today or in the past"),
    (date(2024, 12, 19), "before the section 47 enquiry started"),
])
def test_bad_conference_dates_are_refused_on_the_date(child, social_worker, team_manager, chair, held_on, text):
    open_episode(child)
    enquiry_at_risk(child, discussed_on=date(2024, 12, 20), completed_on=date(2025, 1, 8), by=social_worker,
                    manager=team_manager)
    with pytest.raises(ValidationError) as refused:
        initial_conference(child, held_on=held_on, chair=chair, by=social_worker)
    assert text in refused.value.message_dict["held_on"][0]


def test_the_chair_must_be_a_cp_chair_of_this_council(la, other_la, child, social_worker, team_manager):
    open_episode(child)
    enquiry_at_risk(child, discussed_on=date(2024, 12, 20), completed_on=date(2025, 1, 8), by=social_worker,
                    manager=team_manager)
    elsewhere = make_user(other_la, "iro")
    for wrong in (social_worker, elsewhere):
        with pytest.raises(ValidationError) as refused:
            initial_conference(child, held_on=date(2025, 1, 15), chair=wrong, by=social_worker)
        assert "child protection chair" in refused.value.message_dict["chair"][0]


def test_a_plan_needs_a_category(child, social_worker, team_manager, chair):
    open_episode(child)
    enquiry_at_risk(child, discussed_on=date(2024, 12, 20), completed_on=date(2025, 1, 8), by=social_worker,
                    manager=team_manager)
    with pytest.raises(ValidationError) as refused:
        initial_conference(child, held_on=date(2025, 1, 15), chair=chair, by=social_worker, category="")
    assert "category" in refused.value.message_dict["category"][0]


# ---------------------------------------------------------------- plans


def test_the_plan_starts_on_the_conference_day_with_its_clocks(child, social_worker, team_manager, chair):
    plan = plan_for(child, chair=chair, manager=team_manager, by=social_worker, referral_on=date(2025, 12, 1),
                    discussed_on=date(2025, 12, 3), completed_on=date(2025, 12, 19), icpc_on=date(2025, 12, 22))
    assert plan.started_on == date(2025, 12, 22) and plan.previous_plans == 0 and not plan.is_repeat
    assert plan.initial_category == plan.latest_category == "NEG"
    # ICPC Mon 22 Dec 2025 + 10 working days, skipping 25, 26 Dec and 1 Jan: Thu 8 Jan 2026.
    assert clocks(child, "core_group_first")[0].due_on == date(2026, 1, 8)
    assert clocks(child, "rcpc_first")[0].due_on == date(2026, 3, 22)
    # The council default: 10 working days.
    assert clocks(child, "cp_visit")[0].due_on == date(2026, 1, 8)
    assert ChangeRecord.objects.filter(model_label="protection.ChildProtectionPlan", object_id=str(plan.pk)).exists()
    assert ChronologyEvent.objects.filter(person=child, title="Child protection plan started").exists()


def test_the_first_review_is_due_3_months_on_clamped_to_the_month_end(child, social_worker, team_manager, chair):
    plan_for(child, chair=chair, manager=team_manager, by=social_worker, referral_on=date(2025, 1, 2),
             discussed_on=date(2025, 1, 6), completed_on=date(2025, 1, 24), icpc_on=date(2025, 1, 31))
    # Fri 31 Jan 2025 + 3 months: 31 April does not exist, so 30 April.
    assert clocks(child, "rcpc_first")[0].due_on == date(2025, 4, 30)


def test_a_plan_never_starts_without_a_conference(child, social_worker):
    open_episode(child)
    with pytest.raises(ValidationError, match="starts only at a conference"):
        services.cp_plan_start(child=child, conference=None, category="NEG", by=social_worker)
    assert not ChildProtectionPlan.objects.exists()


def test_a_conference_deciding_no_plan_starts_none(child, social_worker, team_manager, chair):
    open_episode(child)
    enquiry_at_risk(child, discussed_on=date(2024, 12, 20), completed_on=date(2025, 1, 8), by=social_worker,
                    manager=team_manager)
    conference = initial_conference(child, held_on=date(2025, 1, 15), chair=chair, by=social_worker,
                                    outcome=Outcome.NO_PLAN, category="")
    with pytest.raises(ValidationError, match="decided on a plan"):
        services.cp_plan_start(child=child, conference=conference, category="NEG", by=social_worker)
    assert not ChildProtectionPlan.objects.exists()


def test_an_open_cin_plan_ends_automatically_when_the_cp_plan_starts(child, social_worker, team_manager, chair):
    episode = open_episode(child)
    with acting_as("test"):
        cin_plan = CINPlan(local_authority=child.local_authority, child=child, episode=episode,
                           started_on=date(2024, 12, 5))
        cin_plan.save()
    plan = plan_for(child, chair=chair, manager=team_manager, by=social_worker, episode=False)
    cin_plan.refresh_from_db()
    assert cin_plan.ended_on == plan.started_on and cin_plan.end_reason == CINPlan.EndReason.STEPPED_UP_CP
    ended = ChronologyEvent.objects.get(person=child, title="Child in need plan ended")
    assert ended.summary == "Child protection plan started"


def test_a_second_plan_is_flagged_and_counts_the_first(child, social_worker, team_manager, chair):
    first = plan_for(child, chair=chair, manager=team_manager, by=social_worker)
    oversee_end(first, team_manager)
    services.cp_plan_end(plan=first, ended_on=date(2025, 4, 10), reason="step_down_cin", by=social_worker)
    second_enquiry_day = date(2025, 6, 2)
    enquiry_at_risk(child, discussed_on=second_enquiry_day, completed_on=date(2025, 6, 13), by=social_worker,
                    manager=team_manager)
    conference = initial_conference(child, held_on=date(2025, 6, 20), chair=chair, by=social_worker, category="EMO")
    second = conference.cp_plan
    assert second is not None and second.previous_plans == 1 and second.is_repeat
    assert ChronologyEvent.objects.filter(
        person=child, title="Child protection plan started: second or subsequent plan").exists()


def test_ending_a_plan_needs_oversight_a_reason_and_sane_dates(child, social_worker, team_manager, chair):
    plan = plan_for(child, chair=chair, manager=team_manager, by=social_worker)
    with pytest.raises(ValidationError, match="oversight of the child protection plan end"):
        services.cp_plan_end(plan=plan, ended_on=date(2025, 3, 3), reason="step_down_cin", by=social_worker)
    oversee_end(plan, team_manager)
    for ended_on, text in ((date(2025, 1, 14), "before it started"), (date(2099, 1, 1), "today or in the past")):
        with pytest.raises(ValidationError) as refused:
            services.cp_plan_end(plan=plan, ended_on=ended_on, reason="step_down_cin", by=social_worker)
        assert text in refused.value.message_dict["ended_on"][0]
    with pytest.raises(ValidationError) as refused:
        services.cp_plan_end(plan=plan, ended_on=date(2025, 3, 3), reason="", by=social_worker)
    assert "reason" in refused.value.message_dict
    services.cp_plan_end(plan=plan, ended_on=date(2025, 3, 3), reason="step_down_cin", by=social_worker)
    plan.refresh_from_db()
    assert plan.ended_on == date(2025, 3, 3)
    open_rules = Clock.objects.filter(child=child, status=Clock.Status.OPEN).values_list("rule_id", flat=True)
    assert not set(open_rules) & {"core_group_first", "rcpc_first", "cp_visit"}
    assert Clock.objects.filter(child=child, rule_id="rcpc_first", status=Clock.Status.CANCELLED).exists()


# ---------------------------------------------------------------- review conferences


def test_a_review_needs_an_open_plan(child, social_worker, chair):
    open_episode(child)
    with pytest.raises(ValidationError, match="no open child protection plan"):
        services.conference_record(kind=Kind.REVIEW, child=child, held_on=date(2025, 4, 9), chair=chair,
                                   outcome=Outcome.PLAN_CONTINUES, by=social_worker)


def test_a_review_continuing_the_plan_restarts_reviews_from_its_actual_date(child, social_worker, team_manager, chair):
    plan = plan_for(child, chair=chair, manager=team_manager, by=social_worker)
    with pytest.raises(ValidationError) as refused:
        services.conference_record(kind=Kind.REVIEW, child=child, held_on=date(2025, 1, 15), chair=chair,
                                   outcome=Outcome.PLAN_CONTINUES, by=social_worker)
    assert "after the previous conference" in refused.value.message_dict["held_on"][0]
    # Early: Fri 4 Apr 2025, before the due date of 15 Apr.
    services.conference_record(kind=Kind.REVIEW, child=child, held_on=date(2025, 4, 4), chair=chair,
                               outcome=Outcome.PLAN_CONTINUES, category="EMO", by=social_worker)
    [first] = clocks(child, "rcpc_first")
    assert first.status == Clock.Status.MET and first.due_on == date(2025, 4, 15)
    [after] = clocks(child, "rcpc_next")
    assert after.started_on == date(2025, 4, 4) and after.due_on == date(2025, 10, 4)
    plan.refresh_from_db()
    assert plan.latest_category == "EMO" and plan.initial_category == "NEG"
    # A late review on Fri 31 Oct 2025: the next is due 6 months on, 30 April 2026 (31 April does not exist).
    services.conference_record(kind=Kind.REVIEW, child=child, held_on=date(2025, 10, 31), chair=chair,
                               outcome=Outcome.PLAN_CONTINUES, by=social_worker)
    assert [c.due_on for c in clocks(child, "rcpc_next")] == [date(2025, 10, 4), date(2026, 4, 30)]
    assert clocks(child, "rcpc_next")[0].status == Clock.Status.MISSED


def test_a_review_ending_the_plan_ends_it(child, social_worker, team_manager, chair):
    plan = plan_for(child, chair=chair, manager=team_manager, by=social_worker)
    with pytest.raises(ValidationError) as refused:
        services.conference_record(kind=Kind.REVIEW, child=child, held_on=date(2025, 4, 9), chair=chair,
                                   outcome=Outcome.PLAN_ENDS, by=social_worker)
    assert "end_reason" in refused.value.message_dict
    with pytest.raises(ValidationError, match="oversight"):
        services.conference_record(kind=Kind.REVIEW, child=child, held_on=date(2025, 4, 9), chair=chair,
                                   outcome=Outcome.PLAN_ENDS, end_reason="step_down_cin", by=social_worker)
    oversee_end(plan, team_manager)
    services.conference_record(kind=Kind.REVIEW, child=child, held_on=date(2025, 4, 9), chair=chair,
                               outcome=Outcome.PLAN_ENDS, end_reason="step_down_cin", by=social_worker)
    plan.refresh_from_db()
    assert plan.ended_on == date(2025, 4, 9) and plan.end_reason == "step_down_cin"
    assert clocks(child, "rcpc_first")[0].status == Clock.Status.MET
    assert not Clock.objects.filter(child=child, status=Clock.Status.OPEN).exclude(rule_id="assessment").exists()


# ---------------------------------------------------------------- core groups and visits


def test_core_groups_stop_the_clock_and_the_next_runs_from_the_actual_date(child, social_worker, team_manager, chair):
    plan = plan_for(child, chair=chair, manager=team_manager, by=social_worker)
    services.core_group_record(plan=plan, held_on=date(2025, 1, 24), by=social_worker, progress="Started")
    [first] = clocks(child, "core_group_first")
    assert first.status == Clock.Status.MET and first.due_on == date(2025, 1, 29)
    [next_] = clocks(child, "core_group_next")
    assert next_.started_on == date(2025, 1, 24) and next_.due_on == date(2025, 2, 21)  # 4 weeks
    services.core_group_record(plan=plan, held_on=date(2025, 2, 14), by=social_worker)
    assert [c.status for c in clocks(child, "core_group_next")] == [Clock.Status.MET, Clock.Status.OPEN]
    assert CoreGroupMeeting.objects.filter(cp_plan=plan).count() == 2
    with pytest.raises(ValidationError) as refused:
        services.core_group_record(plan=plan, held_on=date(2025, 1, 10), by=social_worker)
    assert "before the plan started" in refused.value.message_dict["held_on"][0]


def test_only_a_visit_where_the_child_was_seen_counts(child, social_worker, team_manager, chair):
    plan = plan_for(child, chair=chair, manager=team_manager, by=social_worker)
    [clock] = clocks(child, "cp_visit")
    assert clock.due_on == date(2025, 1, 29)
    services.cp_visit_record(plan=plan, visited_on=date(2025, 1, 20), child_seen=False, child_seen_alone=False,
                             by=social_worker, observations="Nobody home")
    assert [c.status for c in clocks(child, "cp_visit")] == [Clock.Status.OPEN]
    services.cp_visit_record(plan=plan, visited_on=date(2025, 1, 22), child_seen=True, child_seen_alone=True,
                             by=social_worker)
    old, new = clocks(child, "cp_visit")
    assert old.status == Clock.Status.MET and old.stopped_on == date(2025, 1, 22)
    assert new.started_on == date(2025, 1, 22) and new.due_on == date(2025, 2, 5)
    with pytest.raises(ValidationError) as refused:
        services.cp_visit_record(plan=plan, visited_on=date(2025, 1, 23), child_seen=False, child_seen_alone=True,
                                 by=social_worker)
    assert "child_seen_alone" in refused.value.message_dict


def test_visits_follow_the_councils_interval_or_the_plans_own(la, child, social_worker, team_manager, chair):
    from hearth.clocks.models import LocalTimescale

    LocalTimescale.objects.create(local_authority=la, rule_id="cp_visit", offset=5, unit="working_days")
    plan = plan_for(child, chair=chair, manager=team_manager, by=social_worker)
    # Council: 5 working days from Wed 15 Jan 2025.
    assert clocks(child, "cp_visit")[0].due_on == date(2025, 1, 22)
    services.cp_plan_update(plan=plan, outline_plan="Weekly visits", family_summary="", visit_interval_days=3,
                            by=social_worker)
    open_visit = Clock.objects.get(child=child, rule_id="cp_visit", status=Clock.Status.OPEN)
    assert open_visit.started_on == date(2025, 1, 15) and open_visit.due_on == date(2025, 1, 20)
    services.cp_visit_record(plan=plan, visited_on=date(2025, 1, 17), child_seen=True, child_seen_alone=False,
                             by=social_worker)
    open_visit = Clock.objects.get(child=child, rule_id="cp_visit", status=Clock.Status.OPEN)
    assert open_visit.due_on == date(2025, 1, 22)  # Fri 17 Jan + 3 working days


def test_a_plans_own_visit_interval_survives_recomputing_after_a_holiday_change(
        la, child, social_worker, team_manager, chair):
    from hearth.clocks.models import BankHoliday
    from hearth.clocks.services import clocks_recompute_open

    plan = plan_for(child, chair=chair, manager=team_manager, by=social_worker)
    services.cp_plan_update(plan=plan, outline_plan="Weekly visits", family_summary="", visit_interval_days=3,
                            by=social_worker)
    BankHoliday.objects.create(date=date(2025, 1, 16), name="One-off holiday")
    clocks_recompute_open(by="test", local_authority=la)
    open_visit = Clock.objects.get(child=child, rule_id="cp_visit", status=Clock.Status.OPEN)
    # Still 3 working days from Wed 15 Jan, now skipping the 16th: Tue 21 Jan, not the council's 10.
    assert open_visit.due_on == date(2025, 1, 21)


# ---------------------------------------------------------------- transfer in


def test_transfer_in_opens_a_referral_and_the_conference_clock(child, social_worker, chair):
    notice = services.transfer_in_notify(child=child, notified_on=date(2024, 12, 20),
                                         previous_authority="Derby City Council", by=social_worker)
    episode = CINEpisode.objects.get(child=child)
    assert episode.referral_source == "5C" and notice.episode == episode
    [clock] = clocks(child, "transfer_in_conference")
    assert clock.due_on == date(2025, 1, 15)
    conference = services.conference_record(kind=Kind.TRANSFER_IN, child=child, held_on=date(2025, 1, 14),
                                            chair=chair, outcome=Outcome.PLAN, category="PHY", by=social_worker)
    clock.refresh_from_db()
    assert clock.status == Clock.Status.MET
    plan = conference.cp_plan
    assert plan is not None and plan.started_on == date(2025, 1, 14)
    # The plan the child was on in Derby is a previous plan.
    assert plan.previous_plans == 1 and plan.is_repeat
    assert conference.previous_authority == "Derby City Council" and conference.notified_on == date(2024, 12, 20)


def test_a_transfer_in_conference_recorded_late_brings_its_own_notice(child, social_worker, chair):
    open_episode(child)
    with pytest.raises(ValidationError) as refused:
        services.conference_record(kind=Kind.TRANSFER_IN, child=child, held_on=date(2025, 1, 14), chair=chair,
                                   outcome=Outcome.NO_PLAN, by=social_worker)
    assert set(refused.value.message_dict) == {"notified_on", "previous_authority"}
    services.conference_record(kind=Kind.TRANSFER_IN, child=child, held_on=date(2025, 1, 14), chair=chair,
                               outcome=Outcome.NO_PLAN, by=social_worker, notified_on=date(2025, 1, 2),
                               previous_authority="Leicester City Council")
    [clock] = clocks(child, "transfer_in_conference")
    assert clock.status == Clock.Status.MET and clock.stopped_on == date(2025, 1, 14)
