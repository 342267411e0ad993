"""For any sequence of steps, valid or not, tried on any dates: the dates recorded on a household (or an
adoptive family) never go backwards through the pipeline, none is in the future, and the stage matches the
last step recorded."""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from hearth.fostering import services
from hearth.fostering.models import FosterHousehold, ProspectiveAdopter
from hearth.fostering.pipeline import ADOPTION_STEPS, FOSTERING_STEPS, Step, step_refusal
from tests.factories import make_la

from .factories import ALL_CHECKS, adopter_enquiry, enquiry, make_fostering_worker

H = FosterHousehold
FOSTER_ACTIONS = ["visit", "s1_start", "s1_end", "s1_stop", "s2_start", "form_f", "panel", "qualifying", "approve",
                  "refuse", "withdraw", "review", "deregister"]
ADOPTER_ACTIONS = [s.field for s in ADOPTION_STEPS[1:]] + ["leave"]
# "next" (the step the stage is waiting for) is drawn most often, so sequences reach the register.
step_st = st.tuples(st.sampled_from(["next"] * 12 + FOSTER_ACTIONS), st.integers(-10, 25))
adopter_step_st = st.tuples(st.sampled_from(["next"] * 12 + ADOPTER_ACTIONS), st.integers(-10, 25))


def next_foster_action(h: FosterHousehold) -> str:
    if h.stage == H.Stage.STAGE_1:
        return "s2_start" if h.stage_1_ended_on else "s1_end"
    if h.stage == H.Stage.STAGE_2:
        return "panel" if h.form_f_completed_on else "form_f"
    following: dict[str, str] = {H.Stage.ENQUIRY: "visit", H.Stage.INITIAL_VISIT: "s1_start", H.Stage.PANEL: "approve",
                                 H.Stage.DECISION: "approve", H.Stage.APPROVED: "review"}
    return following.get(h.stage, "deregister")


def next_adopter_action(a: ProspectiveAdopter) -> str:
    return next((s.field for s in ADOPTION_STEPS if getattr(a, s.field) is None), "leave")


def assert_in_order(obj: object, steps: tuple[Step, ...]) -> None:
    dates = [getattr(obj, s.field) for s in steps if getattr(obj, s.field) is not None]
    assert dates == sorted(dates), dates
    assert all(d <= timezone.localdate() for d in dates)


class FosteringStepsStayInOrder(TestCase):
    @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(steps=st.lists(step_st, min_size=8, max_size=20))
    def test_stage_dates_never_go_backwards(self, steps):
        la = make_la()
        worker = make_fostering_worker(la)
        today = timezone.localdate()
        start = today - timedelta(days=400)
        household = enquiry(la, worker, start)
        latest = start
        for action, offset in steps:
            on = latest + timedelta(days=offset)
            household = FosterHousehold.objects.get(pk=household.pk)
            if action == "next":
                action = next_foster_action(household)
            try:
                self._do(household, action, on, worker)
            except ValidationError:
                event(f"refused {action}")
                continue
            event(f"recorded {action}")
            latest = max(latest, on)
            household.refresh_from_db()
            assert_in_order(household, FOSTERING_STEPS)
            assert household.stage_since is not None and household.stage_since <= today
        household.refresh_from_db()
        event(f"ended at {household.stage}")
        assert_in_order(household, FOSTERING_STEPS)
        if household.stage == H.Stage.APPROVED:
            assert household.panel_on and household.decided_on and household.decision == H.Decision.APPROVE
            assert household.approved_on == household.decided_on
        if household.approved_on is not None:
            assert household.panel_recommendation and household.form_f_completed_on

    @staticmethod
    def _do(h: FosterHousehold, action: str, on, by) -> None:
        s = services
        if action == "visit":
            s.foster_initial_visit_record(household=h, visited_on=on, worker=by, recommendation="proceed", by=by)
        elif action == "s1_start":
            s.foster_stage_1_start(household=h, started_on=on, by=by)
        elif action in ("s1_end", "s1_stop"):
            s.foster_stage_1_end(household=h, ended_on=on, checks=ALL_CHECKS,
                                 outcome="proceed" if action == "s1_end" else "stop", by=by)
        elif action == "s2_start":
            s.foster_stage_2_start(household=h, started_on=on, assessing_worker=by, by=by)
        elif action == "form_f":
            s.foster_form_f_complete(household=h, completed_on=on, by=by)
        elif action == "panel":
            s.foster_panel_record(household=h, panel_on=on, recommendation="approve", terms="One child", by=by)
        elif action in ("qualifying", "approve", "refuse"):
            decision = {"qualifying": "qualifying", "approve": "approve", "refuse": "not_approve"}[action]
            s.foster_decision_record(household=h, decided_on=on, decision=decision, places=1, age_from=0,
                                     age_to=17, care_types=["short_term"], by=by)
        elif action == "withdraw":
            s.foster_withdraw(household=h, withdrawn_on=on, reason="applicant_withdrew", notes="", by=by)
        elif action == "review":
            s.foster_review_record(household=h, reviewed_on=on, recommendation="continue", panel_on=on, by=by)
        elif action == "deregister":
            s.foster_deregister(household=h, deregistered_on=on, reason="resigned", notes="", by=by)


class AdoptionStepsStayInOrder(TestCase):
    @settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(steps=st.lists(adopter_step_st, min_size=10, max_size=22))
    def test_adoption_dates_never_go_backwards(self, steps):
        la = make_la()
        worker = make_fostering_worker(la)
        start = timezone.localdate() - timedelta(days=500)
        adopter = adopter_enquiry(la, worker, start)
        latest = start
        for action, offset in steps:
            on = latest + timedelta(days=offset)
            adopter = ProspectiveAdopter.objects.get(pk=adopter.pk)
            if action == "next":
                action = next_adopter_action(adopter)
            try:
                if action == "leave":
                    services.adopter_leave(adopter=adopter, left_on=on, reason="1", by=worker)
                else:
                    services.adopter_step_record(adopter=adopter, step=action, on=on, by=worker,
                                                 panel_recommendation="approve", children_placed=1)
            except ValidationError:
                continue
            latest = max(latest, on)
            adopter.refresh_from_db()
            assert_in_order(adopter, ADOPTION_STEPS)
            if adopter.left_on:
                recorded = [getattr(adopter, s.field) for s in ADOPTION_STEPS if getattr(adopter, s.field)]
                assert adopter.left_on >= max(recorded)
        event(f"ended at {ProspectiveAdopter.objects.get(pk=adopter.pk).stage}")


@settings(max_examples=300)
@given(dates=st.lists(st.one_of(st.none(), st.integers(0, 60)), min_size=len(FOSTERING_STEPS),
                      max_size=len(FOSTERING_STEPS)),
       index=st.integers(0, len(FOSTERING_STEPS) - 1), on=st.integers(0, 60))
def test_a_date_the_rule_accepts_keeps_the_recorded_dates_in_order(dates, index, on):
    """The pure rule: if the dates recorded are in order and a step's date is accepted, they stay in order."""
    base = timezone.localdate() - timedelta(days=100)
    as_dates = [base + timedelta(days=d) if d is not None else None for d in dates]
    present = [d for d in as_dates if d is not None]
    if present != sorted(present):
        return
    recorded = {s.field: d for s, d in zip(FOSTERING_STEPS, as_dates, strict=True)}
    day = base + timedelta(days=on)
    if step_refusal(FOSTERING_STEPS, recorded, FOSTERING_STEPS[index].field, day, today=timezone.localdate()):
        return
    recorded[FOSTERING_STEPS[index].field] = day
    after = [d for s in FOSTERING_STEPS if (d := recorded[s.field]) is not None]
    assert after == sorted(after)
