"""Care plan services: versions kept, IRO allocation, reviews, visits, health and education records."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from hearth.allocations.models import Allocation
from hearth.audit.models import AuditBypassError, StaleVersionError
from hearth.care_plans import services
from hearth.care_plans.models import CarePlan, CareVisit, LookedAfterReview, OC2Outcome, SDQScore
from hearth.chronology.models import ChronologyEvent

from .factories import bring_into_care, leave_care, make_iro, move


def test_a_changed_care_plan_is_a_new_version_and_the_old_one_is_kept(child, social_worker):
    period = bring_into_care(child, date(2025, 4, 14))
    first = services.care_plan_record(period=period, permanence_plan="return_home", summary="Home with support",
                                      needs="Speech therapy", agreed_on=date(2025, 4, 25), by=social_worker)
    second = services.care_plan_record(period=period, permanence_plan="long_term_fostering",
                                       summary="Stay with the Carters", agreed_on=date(2025, 10, 1),
                                       replaces=first, by=social_worker)
    first.refresh_from_db()
    assert (first.number, first.is_current, first.replaced_on) == (1, False, date(2025, 10, 1))
    assert (second.number, second.is_current) == (2, True)
    assert CarePlan.objects.filter(period=period).count() == 2
    titles = list(ChronologyEvent.objects.filter(person=child, event_type="plan").values_list("title", flat=True))
    assert "Care plan agreed" in titles and "Care plan changed (version 2)" in titles
    with pytest.raises(AuditBypassError):
        CarePlan.objects.filter(pk=first.pk).delete()


def test_a_change_over_someone_elses_change_is_refused(child, social_worker):
    period = bring_into_care(child, date(2025, 4, 14))
    first = services.care_plan_record(period=period, permanence_plan="return_home", summary="Home",
                                      agreed_on=date(2025, 4, 25), by=social_worker)
    stale = CarePlan.objects.get(pk=first.pk)
    services.care_plan_record(period=period, permanence_plan="adoption", summary="Adoption", replaces=first,
                              agreed_on=date(2025, 6, 1), by=social_worker)
    with pytest.raises(ValidationError, match="already been replaced"):
        services.care_plan_record(period=period, permanence_plan="sgo_cao", summary="SGO to aunt", replaces=stale,
                                  agreed_on=date(2025, 6, 2), by=social_worker)
    # A copy of the current plan loaded before it was saved is refused by its version.
    current = CarePlan.objects.get(period=period, is_current=True)
    current.version -= 1
    with pytest.raises(StaleVersionError):
        services.care_plan_record(period=period, permanence_plan="sgo_cao", summary="SGO to aunt",
                                  replaces=current, agreed_on=date(2025, 6, 2), by=social_worker)
    assert CarePlan.objects.filter(period=period).count() == 2


def test_a_second_first_plan_is_refused(child, social_worker):
    period = bring_into_care(child, date(2025, 4, 14))
    services.care_plan_record(period=period, permanence_plan="return_home", summary="Home",
                              agreed_on=date(2025, 4, 25), by=social_worker)
    with pytest.raises(ValidationError, match="Change that plan instead"):
        services.care_plan_record(period=period, permanence_plan="adoption", summary="Adoption",
                                  agreed_on=date(2025, 4, 26), by=social_worker)


def test_an_iro_is_allocated_and_a_new_one_ends_the_old_allocation(child, la, social_worker):
    period = bring_into_care(child, date(2025, 4, 14))
    first, second = make_iro(la), make_iro(la, first_name="Omar")
    services.iro_allocate(period=period, iro=first, started_on=date(2025, 4, 15), by=social_worker)
    services.iro_allocate(period=period, iro=second, started_on=date(2025, 9, 1), by=social_worker)
    rows = list(Allocation.objects.filter(child=child, kind=Allocation.Kind.IRO).order_by("started_on"))
    assert [(r.worker, r.ended_on) for r in rows] == [(first, date(2025, 9, 1)), (second, None)]


def test_only_an_iro_can_be_allocated_as_iro(child, social_worker):
    period = bring_into_care(child, date(2025, 4, 14))
    with pytest.raises(ValidationError) as refused:
        services.iro_allocate(period=period, iro=social_worker, started_on=date(2025, 4, 15), by=social_worker)
    assert "iro" in refused.value.message_dict


def test_an_iro_of_another_council_is_refused(child, other_la, social_worker):
    period = bring_into_care(child, date(2025, 4, 14))
    with pytest.raises(ValidationError):
        services.iro_allocate(period=period, iro=make_iro(other_la), started_on=date(2025, 4, 15), by=social_worker)


def test_leaving_care_ends_the_iro_allocation(child, iro, social_worker):
    period = bring_into_care(child, date(2025, 4, 14))
    services.iro_allocate(period=period, iro=iro, started_on=date(2025, 4, 15), by=social_worker)
    leave_care(period, date(2025, 8, 1))
    allocation = Allocation.objects.get(child=child, kind=Allocation.Kind.IRO)
    assert allocation.ended_on == date(2025, 8, 1)


def test_a_review_is_in_the_chronology_with_its_participation(child, iro):
    period = bring_into_care(child, date(2025, 4, 14))
    review = services.review_record(period=period, held_on=date(2025, 5, 6), chair=iro, participation="PN6",
                                    recommendations="Contact with brother weekly", by=iro)
    event = ChronologyEvent.objects.get(person=child, event_type="review")
    assert event.significant and "PN6" in event.summary and review.recommendations == "Contact with brother weekly"


def test_pn0_for_a_toddler_and_not_for_an_older_child(toddler, child, iro):
    little = bring_into_care(toddler, date(2025, 4, 14))
    services.review_record(period=little, held_on=date(2025, 5, 6), chair=iro, participation="PN0", by=iro)
    with pytest.raises(ValidationError, match="under 4"):
        services.review_record(period=little, held_on=date(2025, 8, 6), chair=iro, participation="PN1", by=iro)
    older = bring_into_care(child, date(2025, 4, 14))
    with pytest.raises(ValidationError, match="PN0 is for a child under 4"):
        services.review_record(period=older, held_on=date(2025, 5, 6), chair=iro, participation="PN0", by=iro)


def test_pn0_on_the_day_before_the_fourth_birthday_and_not_on_it(la, iro):
    from tests.factories import make_person

    child = make_person(la, date_of_birth=date(2021, 6, 10))
    period = bring_into_care(child, date(2025, 4, 14))
    services.review_record(period=period, held_on=date(2025, 6, 9), chair=iro, participation="PN0", by=iro)
    with pytest.raises(ValidationError, match="was 4 on 10 June 2025"):
        services.review_record(period=period, held_on=date(2025, 6, 10), chair=iro, participation="PN0", by=iro)


def test_a_visit_records_where_the_child_was_placed_that_day(child, social_worker):
    period = bring_into_care(child, date(2025, 4, 14))
    first = period.placements.get()
    second = move(period, date(2025, 6, 2))
    early = services.visit_record(period=period, visited_on=date(2025, 6, 1), seen=True, seen_alone=False,
                                  by=social_worker)
    moving_day = services.visit_record(period=period, visited_on=date(2025, 6, 2), seen=True, seen_alone=True,
                                       by=social_worker)
    assert (early.placement, moving_day.placement) == (first, second)
    assert CareVisit.objects.filter(child=child).count() == 2


def test_sdq_score_or_reason_is_kept(child, social_worker):
    period = bring_into_care(child, date(2025, 4, 14))
    services.sdq_record(period=period, completed_on=date(2025, 6, 1), score=0, by=social_worker)
    services.sdq_record(period=period, completed_on=date(2025, 7, 1), reason="SDQ2", by=social_worker)
    assert list(SDQScore.objects.filter(child=child).values_list("score", "reason")) == [(None, "SDQ2"), (0, "")]


def test_a_review_needs_the_child_in_care_and_then_the_review_is_the_last_of_the_period(child, iro):
    period = bring_into_care(child, date(2025, 4, 14))
    leave_care(period, date(2025, 6, 1))
    review = services.review_record(period=period, held_on=date(2025, 5, 30), chair=iro, participation="PN1", by=iro)
    assert LookedAfterReview.objects.get() == review


def test_oc2_outcomes_are_saved_for_a_child_looked_after_all_year(child, social_worker):
    bring_into_care(child, date(2024, 3, 1))
    row = services.oc2_outcome_save(child=child, year=2025, convicted=False, substance_misuse=True,
                                    intervention_received=False, intervention_offered=True, by=social_worker)
    assert (row.intervention_received, row.intervention_offered) == (False, True)
    row.version = row.version
    services.oc2_outcome_save(child=child, year=2025, convicted=True, substance_misuse=False, outcome=row,
                              by=social_worker)
    stored = OC2Outcome.objects.get()
    assert (stored.convicted, stored.substance_misuse, stored.intervention_received, stored.intervention_offered) == (
        True, False, None, None)


def test_oc2_outcomes_for_a_child_not_in_care_all_year_are_refused(child, social_worker):
    bring_into_care(child, date(2024, 4, 2))  # the day after the collection year began
    with pytest.raises(ValidationError, match="not looked after continuously"):
        services.oc2_outcome_save(child=child, year=2025, convicted=False, substance_misuse=False, by=social_worker)


@pytest.mark.parametrize(("misuse", "received", "offered", "field", "rule"), [
    (False, True, None, "intervention_received", "193"),
    (False, None, False, "intervention_received", "193"),
    (True, None, None, "intervention_received", "192"),
    (True, True, False, "intervention_offered", "158"),
    (True, False, None, "intervention_offered", "159"),
])
def test_oc2_substance_misuse_rules(child, social_worker, misuse, received, offered, field, rule):
    bring_into_care(child, date(2024, 3, 1))
    with pytest.raises(ValidationError) as refused:
        services.oc2_outcome_save(child=child, year=2025, convicted=False, substance_misuse=misuse,
                                  intervention_received=received, intervention_offered=offered, by=social_worker)
    assert rule in refused.value.message_dict[field][0]
