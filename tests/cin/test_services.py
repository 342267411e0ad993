"""Referrals, assessments and CIN plans: the rules, the sequences refused, the clocks and the chronology."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hearth.accounts.models import Team, User
from hearth.accounts.roles import Role
from hearth.allocations.services import allocation_start
from hearth.audit.models import StaleVersionError
from hearth.chronology.models import ChronologyEvent
from hearth.cin import services
from hearth.cin.models import Assessment, CINEpisode
from hearth.cin.selectors import assessment_timeliness, social_care_status
from hearth.clocks.models import Clock
from hearth.oversight.models import DecisionPoint, ManagementOversight
from hearth.oversight.services import oversight_gate_set
from hearth.people.models import Person
from hearth.tenancy.models import LocalAuthority
from tests.cin.factories import closed_episode, cp_plan, open_episode, ready_assessment, submitted_assessment
from tests.factories import make_person, make_user

pytestmark = pytest.mark.django_db

MON_3_MAR_2025 = date(2025, 3, 3)


@pytest.fixture
def child(la: LocalAuthority) -> Person:
    return make_person(la)


def assessment_clock(episode: CINEpisode) -> Clock:
    return Clock.objects.get(rule_id="assessment", subject_id=episode.pk, subject_type__model="cinepisode")


# ------------------------------------------------------------------------------------------------ re-referral


def test_referral_exactly_12_months_after_the_last_is_a_re_referral(child: Person) -> None:
    closed_episode(child, date(2024, 3, 3))
    assert open_episode(child, date(2025, 3, 3)).is_re_referral


def test_referral_12_months_and_a_day_after_the_last_is_not(child: Person) -> None:
    closed_episode(child, date(2024, 3, 3))
    assert not open_episode(child, date(2025, 3, 4)).is_re_referral


def test_first_referral_is_not_a_re_referral(child: Person) -> None:
    assert not open_episode(child, MON_3_MAR_2025).is_re_referral


def test_another_childs_referral_does_not_count(la: LocalAuthority, child: Person) -> None:
    closed_episode(make_person(la), date(2025, 1, 6))
    assert not open_episode(child, MON_3_MAR_2025).is_re_referral


def brute_force_re_referral(history: list[date], referral: date) -> bool:
    """Any previous referral on or after the same date a year earlier (29 Feb -> 28 Feb), up to this one."""
    year = referral.year - 1
    boundary = date(year, referral.month, min(referral.day, calendar.monthrange(year, referral.month)[1]))
    return any(boundary <= earlier <= referral for earlier in history)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(gaps=st.lists(st.integers(min_value=0, max_value=500), min_size=1, max_size=5))
def test_re_referral_agrees_with_the_definition(la: LocalAuthority, gaps: list[int]) -> None:
    child = make_person(la)
    day = date(2019, 6, 1)
    history: list[date] = []
    for gap in gaps:
        day = day + timedelta(days=gap)
        episode = open_episode(child, day)
        assert episode.is_re_referral == brute_force_re_referral(history, day)
        services.episode_close(episode=episode, closed_on=day, reason="RC7", by="test")
        history.append(day)


# ------------------------------------------------------------------------------------------------ referrals


def test_open_writes_chronology_and_starts_the_assessment_clock(la: LocalAuthority, team: Team,
                                                                 social_worker: User, child: Person) -> None:
    allocation_start(child=child, team=team, worker=social_worker, started_on=date(2025, 1, 1), by="test")
    episode = open_episode(child, MON_3_MAR_2025)
    clock = assessment_clock(episode)
    # 45 working days from Monday 3 March 2025, over Good Friday, Easter Monday and the early May holiday.
    assert clock.due_on == date(2025, 5, 8)
    assert clock.assigned_to == social_worker
    assert ChronologyEvent.objects.filter(person=child, event_type="referral", source_id=str(episode.pk)).exists()


def test_a_second_open_referral_is_refused(child: Person) -> None:
    open_episode(child, MON_3_MAR_2025)
    with pytest.raises(ValidationError, match="already open"):
        open_episode(child, date(2025, 3, 10))


def test_future_referral_refused(child: Person) -> None:
    with pytest.raises(ValidationError, match="future"):
        open_episode(child, timezone.localdate() + timedelta(days=1))


def test_primary_need(child: Person) -> None:
    episode = open_episode(child, MON_3_MAR_2025)
    services.episode_primary_need_record(episode=episode, primary_need="N1", by="test",
                                         expected_version=episode.version)
    episode.refresh_from_db()
    assert episode.primary_need == "N1"
    with pytest.raises(ValidationError):
        services.episode_primary_need_record(episode=episode, primary_need="N10", by="test")
    with pytest.raises(StaleVersionError):
        services.episode_primary_need_record(episode=episode, primary_need="N2", by="test", expected_version=1)


# ------------------------------------------------------------------------------------------------ closing


def test_closing_with_nothing_done_is_a_referral_nfa_and_cancels_the_clock(child: Person) -> None:
    episode = open_episode(child, MON_3_MAR_2025)
    services.episode_close(episode=episode, closed_on=MON_3_MAR_2025, reason="RC7", by="test")
    episode.refresh_from_db()
    assert episode.referral_nfa and episode.closure_reason == "RC7"
    assert assessment_clock(episode).status == Clock.Status.CANCELLED


@pytest.mark.parametrize("reason", ["RC8", "RC9"])
def test_rc8_and_rc9_need_an_authorised_assessment(child: Person, reason: str) -> None:
    episode = open_episode(child, MON_3_MAR_2025)
    with pytest.raises(ValidationError, match="needs an authorised assessment"):
        services.episode_close(episode=episode, closed_on=MON_3_MAR_2025, reason=reason, by="test")


@pytest.mark.parametrize("reason", ["RC8", "RC9"])
def test_rc8_and_rc9_refused_after_a_cin_plan(child: Person, team_manager: User, reason: str) -> None:
    # Census 2990: "closed after assessment" cannot follow a plan; the worker is told to use RC7.
    episode = open_episode(child, MON_3_MAR_2025)
    assessment = submitted_assessment(episode, date(2025, 3, 4), date(2025, 3, 6))
    services.assessment_authorise(assessment=assessment, authorised_on=date(2025, 3, 7), rationale="Fine",
                                  by=team_manager)
    plan = services.cin_plan_start(episode=episode, started_on=date(2025, 3, 10), by="test")
    services.cin_plan_end(plan=plan, ended_on=date(2025, 6, 10), end_reason="needs_met", by="test")
    with pytest.raises(ValidationError, match=r"had a child in need plan .*Use RC7"):
        services.episode_close(episode=episode, closed_on=date(2025, 6, 10), reason=reason, by="test")
    services.episode_close(episode=episode, closed_on=date(2025, 6, 10), reason="RC7", by="test")
    episode.refresh_from_db()
    assert episode.closure_reason == "RC7" and not episode.referral_nfa


def test_closing_with_an_open_assessment_names_it(child: Person) -> None:
    episode = open_episode(child, MON_3_MAR_2025)
    services.assessment_start(episode=episode, started_on=date(2025, 3, 4), by="test")
    with pytest.raises(ValidationError, match="assessment started on 4 March 2025 is not authorised"):
        services.episode_close(episode=episode, closed_on=date(2025, 3, 5), reason="RC7", by="test")


@pytest.mark.parametrize("closed_on, message", [
    (date(2025, 3, 2), "on or after the referral date"),
    (date(2025, 3, 5), "on or after the last thing recorded"),
])
def test_closure_dates_refused(child: Person, team_manager: User, closed_on: date, message: str) -> None:
    episode = open_episode(child, MON_3_MAR_2025)
    assessment = submitted_assessment(episode, date(2025, 3, 4), date(2025, 3, 6))
    services.assessment_authorise(assessment=assessment, authorised_on=date(2025, 3, 7), rationale="Fine",
                                  by=team_manager)
    with pytest.raises(ValidationError, match=message):
        services.episode_close(episode=episode, closed_on=closed_on, reason="RC8", by="test")


def test_future_closure_refused(child: Person) -> None:
    episode = open_episode(child, MON_3_MAR_2025)
    with pytest.raises(ValidationError, match="today or in the past"):
        services.episode_close(episode=episode, closed_on=timezone.localdate() + timedelta(days=1), reason="RC7",
                               by="test")


def test_rc9_steps_down_to_early_help(child: Person, team_manager: User) -> None:
    from hearth.front_door.models import EarlyHelpEpisode

    episode = open_episode(child, MON_3_MAR_2025)
    assessment = submitted_assessment(episode, date(2025, 3, 4), date(2025, 3, 6))
    services.assessment_authorise(assessment=assessment, authorised_on=date(2025, 3, 10), rationale="Fine",
                                  by=team_manager)
    services.episode_close(episode=episode, closed_on=date(2025, 3, 11), reason="RC9", by=team_manager)
    early_help = EarlyHelpEpisode.objects.get(child=child)
    assert early_help.origin == "step_down" and early_help.stepped_down_from_id == episode.pk
    assert not CINEpisode.objects.get(pk=episode.pk).referral_nfa


def test_closure_gate_needs_a_manager(la: LocalAuthority, child: Person, social_worker: User,
                                      team_manager: User) -> None:
    oversight_gate_set(local_authority=la, decision_point=DecisionPoint.CIN_CLOSURE, required=True,
                       by=make_user(la, Role.SERVICE_MANAGER))
    episode = open_episode(child, MON_3_MAR_2025)
    with pytest.raises(ValidationError, match="A manager must record oversight"):
        services.episode_close(episode=episode, closed_on=MON_3_MAR_2025, reason="RC7", by=social_worker)
    services.episode_close(episode=episode, closed_on=MON_3_MAR_2025, reason="RC7", by=team_manager,
                           oversight_rationale="No role for social care")
    assert ManagementOversight.objects.filter(decision_point="cin_closure", subject_id=episode.pk).exists()


# ------------------------------------------------------------------------------------------------ assessments


def test_one_open_assessment_per_episode(child: Person) -> None:
    episode = open_episode(child, MON_3_MAR_2025)
    services.assessment_start(episode=episode, started_on=MON_3_MAR_2025, by="test")
    with pytest.raises(ValidationError, match="still open"):
        services.assessment_start(episode=episode, started_on=date(2025, 3, 4), by="test")


def test_assessment_cannot_start_before_the_referral(child: Person) -> None:
    episode = open_episode(child, MON_3_MAR_2025)
    with pytest.raises(ValidationError, match="on or after the referral date"):
        services.assessment_start(episode=episode, started_on=date(2025, 3, 2), by="test")


def test_sections_save_in_any_order_and_a_draft_blocks_nothing(child: Person) -> None:
    episode = open_episode(child, MON_3_MAR_2025)
    assessment = services.assessment_start(episode=episode, started_on=MON_3_MAR_2025, by="test")
    services.assessment_section_save(assessment=assessment, section="recommendation", text="Plan", by="test")
    services.assessment_section_save(assessment=assessment, section="childs_voice", text="Happy", by="test")
    assessment.refresh_from_db()
    assert (assessment.recommendation, assessment.childs_voice) == ("Plan", "Happy")
    # An assessment in progress does not stop a CIN plan (or a strategy discussion) in the same episode.
    services.cin_plan_start(episode=episode, started_on=date(2025, 3, 5), by="test")


def test_child_seen_dates(child: Person) -> None:
    episode = open_episode(child, MON_3_MAR_2025)
    assessment = services.assessment_start(episode=episode, started_on=date(2025, 3, 5), by="test")
    with pytest.raises(ValidationError, match="on or after the referral date"):
        services.assessment_child_seen_record(assessment=assessment, seen_on=date(2025, 3, 2), seen_alone=None,
                                              by="test")
    with pytest.raises(ValidationError, match="today or in the past"):
        services.assessment_child_seen_record(assessment=assessment, seen_on=timezone.localdate() + timedelta(1),
                                              seen_alone=None, by="test")
    # Seen before the assessment started (on the referral visit) is allowed.
    services.assessment_child_seen_record(assessment=assessment, seen_on=date(2025, 3, 4), seen_alone=False,
                                          by="test")
    assert ChronologyEvent.objects.filter(person=child, title__startswith="Child seen").exists()


@pytest.mark.parametrize("factors, message", [
    (["21", "3B"], "on its own"),
    (["3B", "3B"], "only once"),
    (["18A"], "Not a factor code"),
])
def test_factor_rules(child: Person, factors: list[str], message: str) -> None:
    episode = open_episode(child, MON_3_MAR_2025)
    assessment = services.assessment_start(episode=episode, started_on=MON_3_MAR_2025, by="test")
    with pytest.raises(ValidationError, match=message):
        services.assessment_conclusion_record(assessment=assessment, factors=factors, outcome="nfa", by="test")


@given(st.lists(st.sampled_from(["1A", "3B", "4B", "16A", "21", "24A", "20"]), max_size=6))
def test_clean_factors_keeps_21_alone_and_no_repeats(factors: list[str]) -> None:
    try:
        cleaned = services.clean_factors(factors)
    except ValidationError:
        assert len(set(factors)) != len(factors) or ("21" in factors and len(factors) > 1)
    else:
        assert sorted(cleaned) == sorted(factors)
        assert "21" not in cleaned or cleaned == ["21"]


def test_submission_lists_what_is_missing(child: Person) -> None:
    episode = open_episode(child, MON_3_MAR_2025)
    assessment = services.assessment_start(episode=episode, started_on=MON_3_MAR_2025, by="test")
    with pytest.raises(ValidationError) as refused:
        services.assessment_submit(assessment=assessment, submitted_on=MON_3_MAR_2025, by="test")
    text = refused.value.messages[0]
    for part in ("date the child was seen", "analysis", "recommendation", "factors", "outcome"):
        assert part in text


def test_authorise_on_time_stops_the_clock_met(child: Person, team_manager: User) -> None:
    episode = open_episode(child, MON_3_MAR_2025)
    assessment = submitted_assessment(episode, date(2025, 3, 4), date(2025, 3, 6))
    services.assessment_authorise(assessment=assessment, authorised_on=date(2025, 5, 8), rationale="Sound analysis",
                                  by=team_manager)
    clock = assessment_clock(episode)
    assert clock.status == Clock.Status.MET and clock.stopped_on == date(2025, 5, 8)
    oversight = ManagementOversight.objects.get(decision_point="assessment_authorisation", subject_id=assessment.pk)
    assert oversight.rationale == "Sound analysis"
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.AUTHORISED and assessment.authorised_by == team_manager


def test_late_authorisation_needs_a_reason_and_is_missed(child: Person, team_manager: User) -> None:
    episode = open_episode(child, MON_3_MAR_2025)
    assessment = submitted_assessment(episode, date(2025, 3, 4), date(2025, 3, 6))
    with pytest.raises(ValidationError, match="due by 8 May 2025"):
        services.assessment_authorise(assessment=assessment, authorised_on=date(2025, 5, 9), rationale="OK",
                                      by=team_manager)
    services.assessment_authorise(assessment=assessment, authorised_on=date(2025, 5, 9), rationale="OK",
                                  late_reason="Family unavailable", by=team_manager)
    clock = assessment_clock(episode)
    assert clock.status == Clock.Status.MISSED and clock.missed_reason == "Family unavailable"


def test_only_managers_authorise(child: Person, social_worker: User) -> None:
    episode = open_episode(child, MON_3_MAR_2025)
    assessment = submitted_assessment(episode, date(2025, 3, 4), date(2025, 3, 6))
    with pytest.raises(PermissionDenied):
        services.assessment_authorise(assessment=assessment, authorised_on=date(2025, 3, 7), rationale="OK",
                                      by=social_worker)


def test_a_manager_cannot_authorise_their_own_assessment(child: Person, team_manager: User) -> None:
    episode = open_episode(child, MON_3_MAR_2025)
    assessment = submitted_assessment(episode, date(2025, 3, 4), date(2025, 3, 6))
    assessment.worker = team_manager
    assessment.save(by="test")
    with pytest.raises(PermissionDenied, match="Another manager"):
        services.assessment_authorise(assessment=assessment, authorised_on=date(2025, 3, 7), rationale="OK",
                                      by=team_manager)
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.AWAITING_AUTHORISATION


def test_authorisation_dates_and_sequence(child: Person, team_manager: User) -> None:
    episode = open_episode(child, MON_3_MAR_2025)
    assessment = ready_assessment(episode, date(2025, 3, 4), date(2025, 3, 6))
    with pytest.raises(ValidationError, match="must submit"):
        services.assessment_authorise(assessment=assessment, authorised_on=date(2025, 3, 7), rationale="OK",
                                      by=team_manager)
    services.assessment_submit(assessment=assessment, submitted_on=date(2025, 3, 6), by="test")
    with pytest.raises(ValidationError, match="on or after the assessment started"):
        services.assessment_authorise(assessment=assessment, authorised_on=date(2025, 3, 3), rationale="OK",
                                      by=team_manager)
    with pytest.raises(ValidationError, match="today or in the past"):
        services.assessment_authorise(assessment=assessment, authorised_on=timezone.localdate() + timedelta(1),
                                      rationale="OK", by=team_manager)


def test_return_for_more_work(child: Person, team_manager: User) -> None:
    episode = open_episode(child, MON_3_MAR_2025)
    assessment = submitted_assessment(episode, date(2025, 3, 4), date(2025, 3, 6))
    with pytest.raises(ValidationError, match="waiting for a manager"):
        services.assessment_section_save(assessment=assessment, section="analysis", text="x", by="test")
    services.assessment_return(assessment=assessment, comment="Add the father's view", by=team_manager)
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.IN_PROGRESS
    assert assessment.returned_comment == "Add the father's view"
    services.assessment_section_save(assessment=assessment, section="analysis", text="Better", by="test")


def test_timeliness_measures(child: Person, team_manager: User) -> None:
    episode = open_episode(child, MON_3_MAR_2025)
    assessment = submitted_assessment(episode, date(2025, 3, 10), date(2025, 3, 12))
    services.assessment_authorise(assessment=assessment, authorised_on=date(2025, 5, 12), rationale="OK",
                                  late_reason="Late", by=team_manager)
    t = assessment_timeliness(assessment, referral_date=MON_3_MAR_2025)
    assert t.referral_to_seen == 7  # Mon 3 to Wed 12 March: 7 working days
    assert t.practice.due_on == date(2025, 5, 8) and not t.practice.met
    assert t.dfe.due_on == date(2025, 5, 15) and t.dfe.met


# ------------------------------------------------------------------------------------------------ CIN plans


def test_cin_plan_cannot_overlap_a_cp_plan(child: Person) -> None:
    episode = open_episode(child, MON_3_MAR_2025)
    cp_plan(child, episode, date(2025, 4, 1))
    with pytest.raises(ValidationError, match="4001"):
        services.cin_plan_start(episode=episode, started_on=date(2025, 5, 1), by="test")


def test_cin_plan_may_start_the_day_a_cp_plan_ends(child: Person) -> None:
    episode = open_episode(child, MON_3_MAR_2025)
    cp_plan(child, episode, date(2025, 4, 1), ended_on=date(2025, 6, 2))
    with pytest.raises(ValidationError, match="4001"):
        services.cin_plan_start(episode=episode, started_on=date(2025, 6, 1), by="test")
    services.cin_plan_start(episode=episode, started_on=date(2025, 6, 2), by="test")


def test_cin_plan_review_clock_restarts_from_each_actual_review(child: Person) -> None:
    episode = open_episode(child, MON_3_MAR_2025)
    plan = services.cin_plan_start(episode=episode, started_on=date(2025, 3, 10), by="test")
    first = Clock.objects.get(rule_id="cin_plan_review", subject_id=plan.pk)
    assert first.due_on == date(2025, 6, 10)
    services.cin_plan_review_record(plan=plan, held_on=date(2025, 6, 20), summary="Going well", by="test")
    first.refresh_from_db()
    assert first.status == Clock.Status.MISSED
    second = Clock.objects.get(rule_id="cin_plan_review", subject_id=plan.pk, status=Clock.Status.OPEN)
    assert second.started_on == date(2025, 6, 20) and second.due_on == date(2025, 9, 20)
    with pytest.raises(ValidationError, match="on or after the last review"):
        services.cin_plan_review_record(plan=plan, held_on=date(2025, 6, 19), by="test")
    with pytest.raises(ValidationError, match="on or after the last review"):
        services.cin_plan_end(plan=plan, ended_on=date(2025, 6, 19), end_reason="needs_met", by="test")
    services.cin_plan_end(plan=plan, ended_on=date(2025, 7, 1), end_reason="needs_met", by="test")
    second.refresh_from_db()
    assert second.status == Clock.Status.CANCELLED


def test_cin_plan_sequences_refused(child: Person) -> None:
    episode = open_episode(child, MON_3_MAR_2025)
    with pytest.raises(ValidationError, match="on or after the referral date"):
        services.cin_plan_start(episode=episode, started_on=date(2025, 3, 1), by="test")
    plan = services.cin_plan_start(episode=episode, started_on=date(2025, 3, 10), by="test")
    with pytest.raises(ValidationError, match="already has a child in need plan"):
        services.cin_plan_start(episode=episode, started_on=date(2025, 3, 11), by="test")
    with pytest.raises(ValidationError, match="on or after the plan started"):
        services.cin_plan_end(plan=plan, ended_on=date(2025, 3, 9), end_reason="needs_met", by="test")
    with pytest.raises(ValidationError, match="has not ended"):
        services.episode_close(episode=episode, closed_on=date(2025, 3, 12), reason="RC7", by="test")


# ------------------------------------------------------------------------------------------------ header status


def test_status_tags(child: Person, la: LocalAuthority) -> None:
    assert social_care_status(child=child) == []
    episode = open_episode(child, MON_3_MAR_2025)
    services.assessment_start(episode=episode, started_on=MON_3_MAR_2025, by="test")
    cp_plan(child, episode, date(2025, 4, 1), previous_plans=1)
    texts = [t.text for t in social_care_status(child=child)]
    assert texts == ["Open referral", "Assessment in progress", "CP plan: Neglect (second plan)"]


def test_status_tags_show_cin_plan(child: Person) -> None:
    episode = open_episode(child, MON_3_MAR_2025)
    services.cin_plan_start(episode=episode, started_on=MON_3_MAR_2025, by="test")
    assert [t.text for t in social_care_status(child=child)] == ["Open referral", "CIN plan"]


def test_leap_day_boundary(child: Person) -> None:
    closed_episode(child, date(2023, 2, 28))
    # 12 months before 29 February 2024 is 28 February 2023.
    assert open_episode(child, date(2024, 2, 29)).is_re_referral


def test_the_record_header_says_looked_after_and_missing_now(la):
    from hearth.missing.services import missing_episode_start
    from tests.care_plans.factories import bring_into_care

    child = make_person(la, date_of_birth=date(2012, 5, 1))
    bring_into_care(child, timezone.localdate() - timedelta(days=30), legal_status="C2")
    missing_episode_start(child=child, missing_type="M", started_at=timezone.now() - timedelta(hours=5),
                          reported_to_police=True, police_reference="NP-1234", by="test")

    texts = [t.text for t in social_care_status(child=child)]

    assert texts[0] == "Missing now" and "Looked after (C2)" in texts
