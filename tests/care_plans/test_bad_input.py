"""Impossible data is refused, keyed by the field to correct."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from hearth.care_plans import services

from .factories import bring_into_care, leave_care


def refusal(call) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as refused:
        call()
    return refused.value.message_dict


@pytest.fixture
def period(child):
    return bring_into_care(child, date(2025, 4, 14))


def test_a_review_before_the_child_came_into_care(period, iro):
    errors = refusal(lambda: services.review_record(period=period, held_on=date(2025, 4, 13), chair=iro,
                                                    participation="PN1", by=iro))
    assert errors["held_on"] == ["The review cannot be before Riley came into care on 14 April 2025"]


def test_a_review_in_the_future(period, iro):
    errors = refusal(lambda: services.review_record(period=period, held_on=timezone.localdate() + timedelta(days=1),
                                                    chair=iro, participation="PN1", by=iro))
    assert errors["held_on"] == ["The date of the review must be today or in the past"]


def test_a_review_after_the_child_left_care(period, iro):
    leave_care(period, date(2025, 6, 1))
    errors = refusal(lambda: services.review_record(period=period, held_on=date(2025, 6, 1), chair=iro,
                                                    participation="PN1", by=iro))
    assert "left care on 1 June 2025" in errors["held_on"][0]


def test_a_review_chaired_by_someone_who_is_not_an_iro(period, social_worker):
    errors = refusal(lambda: services.review_record(period=period, held_on=date(2025, 5, 1), chair=social_worker,
                                                    participation="PN1", by=social_worker))
    assert "IRO" in errors["chair"][0]


def test_two_statutory_reviews_on_one_day(period, iro):
    services.review_record(period=period, held_on=date(2025, 5, 1), chair=iro, participation="PN1", by=iro)
    errors = refusal(lambda: services.review_record(period=period, held_on=date(2025, 5, 1), chair=iro,
                                                    participation="PN1", by=iro))
    assert "already recorded" in errors["held_on"][0]


def test_pn0_for_a_child_of_four_or_over(period, iro):
    errors = refusal(lambda: services.review_record(period=period, held_on=date(2025, 5, 1), chair=iro,
                                                    participation="PN0", by=iro))
    assert errors["participation"] == ["PN0 is for a child under 4 at the review. Riley was 9 on 1 May 2025: "
                                       "choose how they took part"]


def test_a_visit_outside_the_period(period, social_worker):
    errors = refusal(lambda: services.visit_record(period=period, visited_on=date(2025, 4, 1), seen=True,
                                                   seen_alone=False, by=social_worker))
    assert "came into care" in errors["visited_on"][0]
    leave_care(period, date(2025, 6, 1))
    errors = refusal(lambda: services.visit_record(period=period, visited_on=date(2025, 6, 2), seen=True,
                                                   seen_alone=False, by=social_worker))
    assert "left care" in errors["visited_on"][0]


def test_a_visit_in_the_future_or_seen_alone_without_being_seen(period, social_worker):
    errors = refusal(lambda: services.visit_record(period=period, visited_on=timezone.localdate() + timedelta(days=3),
                                                   seen=False, seen_alone=True, by=social_worker))
    assert errors["visited_on"] == ["The date of the visit must be today or in the past"]
    assert errors["seen_alone"] == ["The child cannot be seen alone if they were not seen"]


def test_health_dates_in_the_future_or_before_care(period, social_worker):
    errors = refusal(lambda: services.health_assessment_record(
        period=period, kind="initial", done_on=timezone.localdate() + timedelta(days=1), by=social_worker))
    assert errors["done_on"] == ["The date of the health assessment must be today or in the past"]
    errors = refusal(lambda: services.dental_check_record(period=period, checked_on=date(2025, 1, 1),
                                                          by=social_worker))
    assert "came into care" in errors["checked_on"][0]
    errors = refusal(lambda: services.immunisation_check_record(
        period=period, checked_on=timezone.localdate() + timedelta(days=1), up_to_date=True, by=social_worker))
    assert "today or in the past" in errors["checked_on"][0]


def test_a_review_health_assessment_needs_the_initial_one_first(period, social_worker):
    errors = refusal(lambda: services.health_assessment_record(period=period, kind="review", done_on=date(2025, 5, 1),
                                                               by=social_worker))
    assert "initial health assessment first" in errors["kind"][0]
    services.health_assessment_record(period=period, kind="initial", done_on=date(2025, 5, 1), by=social_worker)
    errors = refusal(lambda: services.health_assessment_record(period=period, kind="initial",
                                                               done_on=date(2025, 6, 1), by=social_worker))
    assert "already recorded" in errors["kind"][0]
    errors = refusal(lambda: services.health_assessment_record(period=period, kind="review",
                                                               done_on=date(2025, 4, 30), by=social_worker))
    assert "before the initial one" in errors["done_on"][0]


@pytest.mark.parametrize(("score", "reason", "message"), [
    (12, "SDQ2", "not both"),
    (None, "", "Enter the SDQ score, or choose the reason"),
    (41, "", "between 0 and 40"),
    (-1, "", "between 0 and 40"),
])
def test_sdq_score_and_reason_exactly_one_and_in_range(period, social_worker, score, reason, message):
    errors = refusal(lambda: services.sdq_record(period=period, completed_on=date(2025, 6, 1), score=score,
                                                 reason=reason, by=social_worker))
    assert message in errors["score"][0]


def test_a_pep_without_a_school_and_a_review_before_the_initial(period, social_worker):
    errors = refusal(lambda: services.pep_record(period=period, kind="review", held_on=date(2025, 5, 1), school=" ",
                                                 by=social_worker))
    assert errors["school"] == ["Enter the school, college or setting"]
    assert "initial PEP first" in errors["kind"][0]


def test_a_care_plan_change_agreed_before_the_version_it_replaces(period, social_worker):
    plan = services.care_plan_record(period=period, permanence_plan="adoption", summary="Adoption",
                                     agreed_on=date(2025, 5, 1), by=social_worker)
    errors = refusal(lambda: services.care_plan_record(period=period, permanence_plan="sgo_cao", summary="SGO",
                                                       agreed_on=date(2025, 4, 30), replaces=plan, by=social_worker))
    assert "before the version it replaces" in errors["agreed_on"][0]


def test_a_care_plan_with_no_plan_or_permanence(period, social_worker):
    errors = refusal(lambda: services.care_plan_record(period=period, permanence_plan="", summary="",
                                                       agreed_on=date(2025, 5, 1), by=social_worker))
    assert set(errors) == {"permanence_plan", "summary"}


def test_an_iro_allocated_before_the_child_came_into_care(period, iro, social_worker):
    errors = refusal(lambda: services.iro_allocate(period=period, iro=iro, started_on=date(2025, 4, 1),
                                                   by=social_worker))
    assert "came into care" in errors["started_on"][0]
