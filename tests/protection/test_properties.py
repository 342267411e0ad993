"""For any sequence of steps, valid or not: a plan starts only on the day of the conference that decided it,
a child has one plan at a time, and plans never overlap."""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from hearth.accounts.roles import Role
from hearth.clocks.models import Clock
from hearth.oversight.models import DecisionPoint
from hearth.oversight.services import oversight_record
from hearth.protection import services
from hearth.protection.models import (
    ChildProtectionConference,
    ChildProtectionPlan,
    Section47Enquiry,
    StrategyDiscussion,
)
from tests.factories import make_la, make_person, make_user

from .factories import ALL_CORE, make_chair, open_episode

ACTIONS = ["cycle", "finish", "discuss", "complete", "icpc", "review", "end", "transfer", "transfer_conference",
           "plan_start", "oversee"]
step_st = st.tuples(
    st.sampled_from(ACTIONS),
    st.integers(-5, 40),  # days from the latest date used so far; negative = a backdated entry
    st.integers(0, 3),  # which outcome or decision
    st.booleans(),  # keep the date as drawn even at a weekend
)


def weekday(day: date) -> date:
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


class PlansFollowConferences(TestCase):
    @settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(steps=st.lists(step_st, min_size=1, max_size=25))
    def test_plans_start_on_their_conference_and_never_overlap(self, steps):
        la = make_la()
        worker = make_user(la, Role.SOCIAL_WORKER)
        manager = make_user(la, Role.TEAM_MANAGER)
        chair = make_chair(la)
        child = make_person(la)
        open_episode(child, date(2023, 1, 2), worker)
        latest = date(2023, 1, 2)
        for action, offset, pick, as_drawn in steps:
            on = latest + timedelta(days=offset)
            if not as_drawn:
                on = weekday(on)
            latest = max(latest, on)
            open_plan = services.open_plan_for(child)
            try:
                if action == "cycle":
                    # The whole path in one step, so that runs reach second and third plans.
                    discussion = services.strategy_discussion_record(
                        child=child, held_on=on, agencies_present=ALL_CORE, reason="Concern", decision="s47",
                        by=worker)
                    started = discussion.s47_enquiries.get()
                    services.s47_complete(enquiry=started, completed_on=on + timedelta(days=pick), findings="F",
                                          outcome="substantiated_at_risk", by=worker)
                    oversight_record(subject=started, decision_point=DecisionPoint.S47_OUTCOME, rationale="R",
                                     child=child, by=manager)
                    latest = max(latest, weekday(on + timedelta(days=7)))
                    services.conference_record(kind="initial", child=child, held_on=weekday(on + timedelta(days=7)),
                                               chair=chair, outcome="plan", category="SAB", by=worker)
                elif action == "finish" and open_plan is not None:
                    oversight_record(subject=open_plan, decision_point=DecisionPoint.CP_PLAN_END, rationale="R",
                                     child=child, by=manager)
                    services.cp_plan_end(plan=open_plan, ended_on=on, reason="step_down_cin", by=worker)
                elif action == "discuss":
                    decision = StrategyDiscussion.Decision.values[pick]
                    services.strategy_discussion_record(child=child, held_on=on, agencies_present=ALL_CORE,
                                                        reason="Concern", decision=decision, by=worker)
                elif action == "complete":
                    enquiry = Section47Enquiry.objects.filter(child=child, completed_on__isnull=True).first()
                    if enquiry is not None:
                        outcome = Section47Enquiry.Outcome.values[pick % 3]
                        services.s47_complete(enquiry=enquiry, completed_on=on, outcome=outcome, findings="F",
                                              by=worker)
                elif action == "oversee":
                    enquiry = Section47Enquiry.objects.filter(child=child).first()
                    if pick % 2 and enquiry is not None:
                        oversight_record(subject=enquiry, decision_point=DecisionPoint.S47_OUTCOME, rationale="R",
                                         child=child, by=manager)
                    elif open_plan is not None:
                        oversight_record(subject=open_plan, decision_point=DecisionPoint.CP_PLAN_END,
                                         rationale="R", child=child, by=manager)
                elif action == "icpc":
                    services.conference_record(kind="initial", child=child, held_on=on, chair=chair,
                                               outcome="plan" if pick else "no_plan", category="NEG", by=worker)
                elif action == "review":
                    services.conference_record(kind="review", child=child, held_on=on, chair=chair,
                                               outcome="plan_ends" if pick == 0 else "plan_continues",
                                               end_reason="step_down_cin", by=worker)
                elif action == "end" and open_plan is not None:
                    services.cp_plan_end(plan=open_plan, ended_on=on, reason="nfa", by=worker)
                elif action == "transfer":
                    services.transfer_in_notify(child=child, notified_on=on, previous_authority="Derby", by=worker)
                elif action == "transfer_conference":
                    services.conference_record(kind="transfer_in", child=child, held_on=on, chair=chair,
                                               outcome="plan" if pick else "no_plan", category="PHY", by=worker,
                                               notified_on=on - timedelta(days=3), previous_authority="Derby")
                elif action == "plan_start":
                    # An attempt to start a plan from whatever conference came last.
                    services.cp_plan_start(child=child, conference=ChildProtectionConference.objects.filter(
                        child=child).first(), category="EMO", by=worker)
            except ValidationError:
                pass  # refused: the record must still hold together

        plans = list(ChildProtectionPlan.objects.filter(child=child).order_by("started_on", "id"))
        event(f"plans: {min(len(plans), 3)}")
        for index, plan in enumerate(plans):
            starts = ChildProtectionConference.objects.filter(
                cp_plan=plan, kind__in=["initial", "transfer_in"], outcome="plan")
            assert [c.held_on for c in starts] == [plan.started_on]
            assert plan.started_on.weekday() < 5
            assert plan.previous_plans >= index
            if index + 1 < len(plans):
                assert plan.ended_on is not None and plans[index + 1].started_on >= plan.ended_on
        assert sum(1 for p in plans if p.ended_on is None) <= 1
        for plan in plans:
            if plan.ended_on is not None:
                assert not Clock.objects.filter(subject_id=plan.pk, subject_type__model="childprotectionplan",
                                                status=Clock.Status.OPEN).exists()
