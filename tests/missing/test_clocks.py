"""The 72-hour return home interview clock (elapsed hours, Europe/London) and the screening review clock."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError

from hearth.clocks.models import Clock
from hearth.missing import services
from hearth.missing.codes import InterviewResponse, RiskLevel
from hearth.missing.selectors import interview_counts
from tests.factories import make_team, make_user

from .factories import at, hold, interview_of, went_missing


def _rhi_clock(episode):
    return Clock.objects.get(rule_id="return_home_interview", subject_id=episode.pk)


def test_the_clock_starts_at_the_return_time_and_is_due_72_hours_later(child, advocate):
    episode = went_missing(child, at(2025, 6, 2, 18), at(2025, 6, 3, 9, 15))
    clock = _rhi_clock(episode)
    assert clock.started_at == at(2025, 6, 3, 9, 15) and clock.started_on == date(2025, 6, 3)
    assert clock.due_at == at(2025, 6, 6, 9, 15)
    assert interview_of(episode).due_at == clock.due_at


def test_72_hours_across_the_spring_clock_change_are_72_real_hours(child, advocate):
    # Back at 20:00 GMT on Saturday 29 March 2025; clocks go forward at 01:00 on the 30th.
    episode = went_missing(child, at(2025, 3, 29, 8), at(2025, 3, 29, 20))
    interview = interview_of(episode)
    assert interview.due_at == datetime(2025, 4, 1, 20, 0, tzinfo=UTC)
    assert interview.due_at.astimezone(at(2025, 4, 1).tzinfo).hour == 21  # 21:00 BST on the wall clock


def test_72_hours_across_the_autumn_clock_change(child):
    # Back at 12:00 BST on Saturday 25 October 2025; clocks go back at 02:00 on the 26th.
    episode = went_missing(child, at(2025, 10, 25, 6), at(2025, 10, 25, 12))
    assert interview_of(episode).due_at == at(2025, 10, 28, 11)


def test_held_at_71_hours_59_minutes_across_the_clock_change_is_on_time(child, advocate):
    episode = went_missing(child, at(2025, 3, 29, 8), at(2025, 3, 29, 20))
    interview = hold(interview_of(episode), at(2025, 4, 1, 20, 59), advocate)
    clock = _rhi_clock(episode)
    assert clock.status == Clock.Status.MET and interview.completed_in_time


def test_held_at_72_hours_exactly_is_on_time(child, advocate):
    episode = went_missing(child, at(2025, 6, 2, 8), at(2025, 6, 2, 20))
    hold(interview_of(episode), at(2025, 6, 5, 20), advocate)
    assert _rhi_clock(episode).status == Clock.Status.MET


def test_held_at_72_hours_1_minute_is_late_and_needs_a_reason(child, advocate):
    # A naive wall-clock sum would call 21:01 BST on 1 April 71 hours 1 minute: it is 72 hours 1 minute.
    episode = went_missing(child, at(2025, 3, 29, 8), at(2025, 3, 29, 20))
    interview = interview_of(episode)
    with pytest.raises(ValidationError) as refused:
        hold(interview, at(2025, 4, 1, 21, 1), advocate)
    assert "late_reason" in refused.value.message_dict
    interview.refresh_from_db()
    hold(interview, at(2025, 4, 1, 21, 1), advocate, offered=at(2025, 3, 30, 10),
         late_reason="Child was in hospital")
    clock = _rhi_clock(episode)
    assert clock.status == Clock.Status.MISSED and clock.missed_reason == "Child was in hospital"
    assert not interview_of(episode).completed_in_time


def test_a_decline_within_72_hours_closes_the_clock_as_met_but_is_not_an_interview_held(child, advocate):
    episode = went_missing(child, at(2025, 6, 2, 8), at(2025, 6, 2, 20))
    interview = interview_of(episode)
    services.return_interview_offer(interview=interview, offered_at=at(2025, 6, 3, 10), offered_by=advocate,
                                    by=advocate)
    services.return_interview_respond(interview=interview, response=InterviewResponse.DECLINED,
                                      responded_at=at(2025, 6, 3, 10, 5), declined_reason="Does not want to talk",
                                      by=advocate)
    clock = _rhi_clock(episode)
    assert clock.status == Clock.Status.MET and clock.stopped_at == at(2025, 6, 3, 10, 5)
    counts = interview_counts(local_authority=child.local_authority_id, start=date(2025, 6, 1),
                              end=date(2025, 6, 30))
    assert counts == {"returns": 1, "offered": 1, "offered_in_time": 1, "accepted": 0, "declined": 1,
                      "completed": 0, "completed_in_time": 0}


def test_a_decline_after_a_late_offer_closes_the_clock_as_missed(child, advocate):
    episode = went_missing(child, at(2025, 6, 2, 8), at(2025, 6, 2, 20))
    interview = interview_of(episode)
    services.return_interview_offer(interview=interview, offered_at=at(2025, 6, 6, 10), offered_by=advocate,
                                    by=advocate)
    services.return_interview_respond(interview=interview, response=InterviewResponse.DECLINED,
                                      responded_at=at(2025, 6, 6, 10), by=advocate)
    assert _rhi_clock(episode).status == Clock.Status.MISSED


def test_the_clock_is_on_the_advocates_tray_and_moves_when_an_advocate_is_allocated(la, child, advocate):
    team = make_team(la)
    worker = make_user(la, team=team)
    from hearth.allocations.services import allocation_start

    allocation_start(child=child, team=team, worker=worker, started_on=date(2025, 1, 6), by="test")
    episode = went_missing(child, at(2025, 6, 2, 8), at(2025, 6, 2, 20))
    assert _rhi_clock(episode).assigned_to == worker
    services.missing_advocate_allocate(child=child, advocate=advocate, started_on=date(2025, 6, 3), by="test")
    assert _rhi_clock(episode).assigned_to == advocate
    later = went_missing(child, at(2025, 6, 10, 8), at(2025, 6, 10, 20))
    assert _rhi_clock(later).assigned_to == advocate


def test_moving_the_return_time_before_the_offer_restarts_the_clock(child, social_worker):
    episode = went_missing(child, at(2025, 6, 2, 8), at(2025, 6, 2, 20))
    services.missing_episode_update(
        episode=episode, by=social_worker, missing_type="M", started_at=episode.started_at, reported_at=None,
        reported_to_police=False, police_reference="", police_risk="", missing_from="", circumstances="",
        linked_children=[], others_with_them="", ended_at=at(2025, 6, 2, 22), how_returned="own_accord",
    )
    clocks = Clock.objects.filter(rule_id="return_home_interview", subject_id=episode.pk).order_by("id")
    assert [c.status for c in clocks] == [Clock.Status.CANCELLED, Clock.Status.OPEN]
    assert clocks[1].due_at == at(2025, 6, 5, 22) == interview_of(episode).due_at


def test_a_screening_with_risk_is_reviewed_in_3_months_and_each_review_restarts_the_clock(child, social_worker):
    first = services.exploitation_screening_record(
        child=child, screened_on=date(2025, 1, 31), cse_risk=RiskLevel.MEDIUM, cce_risk=RiskLevel.LOW,
        indicators=["repeat_missing"], notes="", by=social_worker)
    assert first.next_review_on == date(2025, 4, 30)  # month end clamps (31 April does not exist)
    review = services.exploitation_screening_record(
        child=child, screened_on=date(2025, 5, 6), cse_risk=RiskLevel.HIGH, cce_risk=RiskLevel.LOW,
        indicators=["repeat_missing", "older_partner"], notes="", by=social_worker)
    clocks = Clock.objects.filter(rule_id="exploitation_screening_review").order_by("id")
    assert [c.status for c in clocks] == [Clock.Status.MISSED, Clock.Status.OPEN]
    assert clocks[1].due_on == date(2025, 8, 6) == review.next_review_on
    assert review.reviews == first


def test_a_screening_finding_no_risk_sets_no_review(child, social_worker):
    screening = services.exploitation_screening_record(
        child=child, screened_on=date(2025, 2, 3), cse_risk=RiskLevel.NONE, cce_risk=RiskLevel.NONE,
        indicators=[], notes="", by=social_worker)
    assert screening.next_review_on is None
    assert not Clock.objects.filter(rule_id="exploitation_screening_review").exists()


def test_the_registry_knows_the_local_review_rule():
    from hearth.clocks.registry import get_rule

    rule = get_rule("exploitation_screening_review")
    assert rule.kind == "local" and rule.offset == 3 and rule.unit == "months" and rule.overridable


def test_hours_left_counts_whole_hours_and_overdue_from_the_first_minute():
    from hearth.missing.selectors import hours_between

    due = at(2025, 6, 5, 20)
    assert hours_between(due - timedelta(hours=35, minutes=59), due) == 35
    assert hours_between(due - timedelta(minutes=1), due) == 0
    assert hours_between(due + timedelta(minutes=1), due) == -1
