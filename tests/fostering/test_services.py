"""The fostering and adoption services: each step in order, the numbers adding up, and refusals with reasons."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from hearth.audit.models import ChangeRecord
from hearth.fostering import selectors, services
from hearth.fostering.models import (
    CareType,
    FosterCarerReview,
    FosterHousehold,
    FosterVacancy,
    Need,
    PlacementRequest,
    ProspectiveAdopter,
)
from tests.factories import make_person

from .factories import ALL_CHECKS, adopter_enquiry, approved_household, enquiry, place_child, to_panel

pytestmark = pytest.mark.django_db
H = FosterHousehold
TODAY = timezone.localdate()
START = TODAY - timedelta(days=300)


def errors_of(info: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return info.value.message_dict if hasattr(info.value, "error_dict") else {"__all__": info.value.messages}


def test_an_enquiry_walks_to_approval_and_the_register(la, worker):
    household = enquiry(la, worker, START)
    assert household.stage == H.Stage.ENQUIRY and household.reference == "FH00001"
    assert [a.full_name for a in household.applicants.all()] == ["Asha Patel", "Ravi Patel"]
    to_panel(household, worker, START)
    assert household.stage == H.Stage.PANEL
    services.foster_decision_record(household=household, decided_on=START + timedelta(days=49),
                                    decision=H.Decision.APPROVE, places=2, age_from=0, age_to=10,
                                    care_types=[CareType.SHORT_TERM], by=worker)
    household.refresh_from_db()
    assert household.stage == H.Stage.APPROVED and household.approved_on == START + timedelta(days=49)
    assert household.approved_places == 2 and household.approved_care_types == ["short_term"]
    rows = selectors.register(user=worker, today=TODAY)
    assert [h.pk for h in rows] == [household.pk]
    assert rows[0].capacity.free == 2
    assert rows[0].review_due_on == date(household.approved_on.year + 1, household.approved_on.month,
                                         household.approved_on.day)
    # Every step left history, attributed.
    assert ChangeRecord.objects.filter(model_label="fostering.FosterHousehold", object_id=str(household.pk),
                                       by_user=worker).count() == 8


def test_a_step_before_the_one_before_it_is_refused_beside_its_date(la, worker):
    household = enquiry(la, worker, START)
    with pytest.raises(ValidationError) as info:
        services.foster_initial_visit_record(household=household, visited_on=START - timedelta(days=1),
                                             worker=worker, recommendation="proceed", by=worker)
    assert "cannot be before the enquiry" in errors_of(info)["visited_on"][0]
    household.refresh_from_db()
    assert household.stage == H.Stage.ENQUIRY and household.initial_visit_on is None


def test_future_dates_are_refused(la, worker):
    with pytest.raises(ValidationError) as info:
        enquiry(la, worker, TODAY + timedelta(days=1))
    assert "today or in the past" in errors_of(info)["enquiry_on"][0]
    household = enquiry(la, worker, START)
    with pytest.raises(ValidationError) as info:
        services.foster_initial_visit_record(household=household, visited_on=TODAY + timedelta(days=1),
                                             worker=worker, recommendation="proceed", by=worker)
    assert "today or in the past" in errors_of(info)["visited_on"][0]


def test_steps_out_of_order_are_refused_by_stage(la, worker):
    household = enquiry(la, worker, START)
    with pytest.raises(ValidationError, match="is at 'Enquiry'"):
        services.foster_panel_record(household=household, panel_on=START, recommendation="approve", terms="x",
                                     by=worker)
    with pytest.raises(ValidationError, match="is at 'Enquiry'"):
        services.foster_decision_record(household=household, decided_on=START, decision="approve", places=1,
                                        age_from=0, age_to=5, care_types=["short_term"], by=worker)


def test_stage_2_needs_the_statutory_checks(la, worker):
    household = enquiry(la, worker, START)
    services.foster_initial_visit_record(household=household, visited_on=START, worker=worker,
                                         recommendation="proceed", by=worker)
    services.foster_stage_1_start(household=household, started_on=START + timedelta(days=1), by=worker)
    with pytest.raises(ValidationError) as info:
        services.foster_stage_1_end(household=household, ended_on=START + timedelta(days=30),
                                    checks=["dbs", "medical"], outcome="proceed", by=worker)
    assert errors_of(info)["checks"] == [
        "Stage 2 cannot start until these checks are done: Local authority checks, Personal references"]
    with pytest.raises(ValidationError, match="end of stage 1"):
        services.foster_stage_2_start(household=household, started_on=START + timedelta(days=31),
                                      assessing_worker=worker, by=worker)


def test_stopping_at_stage_1_ends_the_assessment_keeping_what_was_recorded(la, worker):
    household = enquiry(la, worker, START)
    services.foster_initial_visit_record(household=household, visited_on=START, worker=worker,
                                         recommendation="proceed", by=worker)
    services.foster_stage_1_start(household=household, started_on=START + timedelta(days=1), by=worker)
    services.foster_stage_1_end(household=household, ended_on=START + timedelta(days=20), checks=["dbs"],
                                outcome="stop", by=worker)
    household.refresh_from_db()
    assert household.stage == H.Stage.WITHDRAWN and household.withdrawn_at_stage == H.Stage.STAGE_1
    assert household.withdrawal_reason == H.WithdrawalReason.NOT_SUITABLE
    assert household.initial_visit_on == START and household.stage_1_checks == ["dbs"]


def test_the_panel_hears_a_completed_form_f(la, worker):
    household = enquiry(la, worker, START)
    services.foster_initial_visit_record(household=household, visited_on=START, worker=worker,
                                         recommendation="proceed", by=worker)
    services.foster_stage_1_start(household=household, started_on=START, by=worker)
    services.foster_stage_1_end(household=household, ended_on=START, checks=ALL_CHECKS, outcome="proceed", by=worker)
    services.foster_stage_2_start(household=household, started_on=START, assessing_worker=worker, by=worker)
    with pytest.raises(ValidationError, match="Form F"):
        services.foster_panel_record(household=household, panel_on=START, recommendation="approve", terms="x",
                                     by=worker)


def test_approval_needs_its_terms(la, worker):
    household = to_panel(enquiry(la, worker, START), worker, START)
    with pytest.raises(ValidationError) as info:
        services.foster_decision_record(household=household, decided_on=START + timedelta(days=50),
                                        decision="approve", places=None, age_from=12, age_to=4, care_types=[],
                                        by=worker)
    errors = errors_of(info)
    assert errors["places"] == ["Enter the number of children, from 1 to 6"]
    assert errors["age_to"] == ["The oldest age must be the same as or more than the youngest (12)"]
    assert errors["care_types"] == ["Choose the types of care"]
    household.refresh_from_db()
    assert household.stage == H.Stage.PANEL and household.approved_on is None


def test_a_qualifying_determination_then_a_final_decision(la, worker):
    household = to_panel(enquiry(la, worker, START), worker, START)
    services.foster_decision_record(household=household, decided_on=START + timedelta(days=45),
                                    decision=H.Decision.QUALIFYING_DETERMINATION, by=worker)
    assert household.stage == H.Stage.DECISION and household.qualifying_determination_on is not None
    with pytest.raises(ValidationError) as info:
        services.foster_decision_record(household=household, decided_on=START + timedelta(days=44),
                                        decision=H.Decision.NOT_APPROVE, by=worker)
    assert "cannot be before the qualifying determination" in errors_of(info)["decided_on"][0]
    services.foster_decision_record(household=household, decided_on=START + timedelta(days=80),
                                    decision=H.Decision.NOT_APPROVE, by=worker)
    assert household.stage == H.Stage.WITHDRAWN and household.withdrawal_reason == H.WithdrawalReason.NOT_APPROVED


def test_withdrawal_at_any_stage_keeps_history_and_needs_a_date_after_the_last_step(la, worker):
    household = to_panel(enquiry(la, worker, START), worker, START)
    with pytest.raises(ValidationError) as info:
        services.foster_withdraw(household=household, withdrawn_on=START, reason="applicant_withdrew", notes="",
                                 by=worker)
    assert "cannot be before the fostering panel" in errors_of(info)["withdrawn_on"][0]
    services.foster_withdraw(household=household, withdrawn_on=START + timedelta(days=60),
                             reason="applicant_withdrew", notes="Moving away", by=worker)
    household.refresh_from_db()
    assert household.stage == H.Stage.WITHDRAWN and household.withdrawn_at_stage == H.Stage.PANEL
    assert household.panel_on is not None
    with pytest.raises(ValidationError, match="is at 'Withdrawn or not approved'"):
        services.foster_withdraw(household=household, withdrawn_on=TODAY, reason="other", notes="x", by=worker)


def test_the_first_review_goes_to_panel_and_reviews_keep_their_order(la, worker):
    household = approved_household(la, worker, enquiry_on=START)
    assert household.approved_on is not None
    with pytest.raises(ValidationError) as info:
        services.foster_review_record(household=household, reviewed_on=household.approved_on + timedelta(days=30),
                                      recommendation="continue", by=worker)
    assert "goes to the fostering panel" in errors_of(info)["panel_on"][0]
    first = household.approved_on + timedelta(days=30)
    services.foster_review_record(household=household, reviewed_on=first, recommendation="continue",
                                  panel_on=first + timedelta(days=10), by=worker)
    with pytest.raises(ValidationError) as info:
        services.foster_review_record(household=household, reviewed_on=first - timedelta(days=1),
                                      recommendation="continue", by=worker)
    assert "before the last review" in errors_of(info)["reviewed_on"][0]
    services.foster_review_record(household=household, reviewed_on=first + timedelta(days=40),
                                  recommendation="continue", by=worker)
    assert FosterCarerReview.objects.filter(household=household).count() == 2
    page = selectors.household_page(household=household, today=TODAY)
    assert page["review_due_on"] == date((first + timedelta(days=40)).year + 1, (first + timedelta(days=40)).month,
                                         (first + timedelta(days=40)).day)


def test_an_overdue_review_shows_on_the_register(la, worker):
    household = approved_household(la, worker, enquiry_on=TODAY - timedelta(days=800))
    row = selectors.register(user=worker, today=TODAY)[0]
    assert row.pk == household.pk and row.review_overdue


def test_deregistration_is_refused_while_a_child_is_placed_and_closes_vacancies(la, worker):
    household = approved_household(la, worker, enquiry_on=START)
    assert household.approved_on is not None
    vacancy = services.foster_vacancy_open(household=household, places=1, age_from=0, age_to=10,
                                           care_types=["short_term"], needs=[], available_from=household.approved_on,
                                           by=worker)
    child = make_person(la, date_of_birth=TODAY - timedelta(days=365 * 6))
    placement = place_child(child, household, household.approved_on + timedelta(days=5))
    with pytest.raises(ValidationError) as info:
        services.foster_deregister(household=household, deregistered_on=TODAY, reason="retired", notes="",
                                   by=worker)
    assert "1 child is placed with the household" in errors_of(info)["deregistered_on"][0]
    placement.ended_on = TODAY - timedelta(days=2)
    placement.save(by="test")
    services.foster_deregister(household=household, deregistered_on=TODAY - timedelta(days=1), reason="retired",
                               notes="", by=worker)
    household.refresh_from_db()
    vacancy.refresh_from_db()
    assert household.stage == H.Stage.DEREGISTERED and household.deregistration_reason == "retired"
    assert vacancy.closed_on == TODAY - timedelta(days=1) and vacancy.close_reason == "withdrawn"
    assert selectors.register(user=worker, today=TODAY) == []


def test_a_vacancy_stays_within_the_approval_and_its_free_places(la, worker):
    household = approved_household(la, worker, enquiry_on=START, places=2, age_from=0, age_to=10)
    assert household.approved_on is not None
    on = household.approved_on
    with pytest.raises(ValidationError) as info:
        services.foster_vacancy_open(household=household, places=1, age_from=8, age_to=4, care_types=["short_term"],
                                     needs=[], available_from=on, by=worker)
    assert errors_of(info)["age_to"] == ["The oldest age must be the same as or more than the youngest (8)"]
    with pytest.raises(ValidationError) as info:
        services.foster_vacancy_open(household=household, places=1, age_from=0, age_to=15,
                                     care_types=["remand"], needs=[], available_from=on, by=worker)
    assert errors_of(info)["age_to"] == ["The household is approved for children aged 0 to 10"]
    assert "short-term, long-term care only" in errors_of(info)["care_types"][0]
    place_child(make_person(la), household, on)
    with pytest.raises(ValidationError) as info:
        services.foster_vacancy_open(household=household, places=2, age_from=0, age_to=10,
                                     care_types=["short_term"], needs=[], available_from=on, by=worker)
    assert errors_of(info)["places"] == [
        "No more than 1 place can be offered: the household is approved for 2, 1 placed and 0 already offered "
        "in other vacancies"]
    services.foster_vacancy_open(household=household, places=1, age_from=0, age_to=10, care_types=["short_term"],
                                 needs=[Need.SIBLINGS], available_from=on, by=worker)
    assert FosterVacancy.objects.filter(household=household).count() == 1


def test_places_check_refuses_more_children_than_approved(la, worker):
    household = approved_household(la, worker, enquiry_on=START, places=1)
    assert household.approved_on is not None
    services.foster_places_check(household=household, on=TODAY)
    place_child(make_person(la), household, household.approved_on)
    with pytest.raises(ValidationError) as info:
        services.foster_places_check(household=household, on=TODAY)
    assert "approved for 1 child and 1 is placed there" in errors_of(info)["foster_household"][0]


def test_the_terms_cannot_drop_below_the_children_placed(la, worker):
    household = approved_household(la, worker, enquiry_on=START, places=2)
    assert household.approved_on is not None
    place_child(make_person(la), household, household.approved_on)
    place_child(make_person(la), household, household.approved_on)
    with pytest.raises(ValidationError) as info:
        services.foster_terms_change(household=household, places=1, age_from=0, age_to=10,
                                     care_types=["short_term"], by=worker)
    assert errors_of(info)["places"] == ["2 children are placed or matched with the household: the terms cannot be "
                                         "for fewer"]


def test_matching_takes_a_place_and_refuses_more_children_than_are_free(la, worker, social_worker):
    household = approved_household(la, worker, enquiry_on=START, places=2)
    assert household.approved_on is not None
    vacancy = services.foster_vacancy_open(household=household, places=2, age_from=0, age_to=10,
                                           care_types=["short_term", "long_term"], needs=[],
                                           available_from=household.approved_on, by=worker)
    first = services.placement_request_record(child=make_person(la), needed_from=TODAY, care_type="short_term",
                                              urgency="planned", by=social_worker)
    services.placement_request_match(request=first, vacancy=vacancy, by=worker)
    assert first.status == PlacementRequest.Status.MATCHED and first.matched_household == household
    assert selectors.vacancy_free_places(vacancy=vacancy, on=TODAY) == 1
    pair = services.placement_request_record(child=make_person(la), needed_from=TODAY, care_type="short_term",
                                             urgency="urgent", number_of_children=2, siblings_together=True,
                                             by=social_worker)
    with pytest.raises(ValidationError, match="has 1 free place in this vacancy"):
        services.placement_request_match(request=pair, vacancy=vacancy, by=worker)
    pair.refresh_from_db()
    assert pair.status == PlacementRequest.Status.OPEN
    # Once the first child is placed there, the match no longer holds a place twice.
    place_child(first.child, household, TODAY)
    assert selectors.household_capacity(household=household, on=TODAY).free == 1


def test_a_placement_request_refuses_impossible_answers(la, social_worker):
    child = make_person(la, date_of_birth=TODAY - timedelta(days=400))
    with pytest.raises(ValidationError) as info:
        services.placement_request_record(child=child, needed_from=TODAY - timedelta(days=500), care_type="nope",
                                          urgency="", number_of_children=1, siblings_together=True,
                                          postcode="NOT A POSTCODE", by=social_worker)
    errors = errors_of(info)
    assert "before the child was born" in errors["needed_from"][0]
    assert set(errors) == {"needed_from", "care_type", "urgency", "siblings_together", "postcode"}


def test_adopters_walk_their_pipeline_and_list_11_has_a_row_per_adopter(la, worker):
    adopter = adopter_enquiry(la, worker, START, fostering_for_adoption=True)
    assert adopter.reference == "AD00001"
    day = START
    for step in ("registered_on", "stage_1_started_on", "stage_1_ended_on", "application_submitted_on",
                 "stage_2_started_on", "stage_2_ended_on"):
        day += timedelta(days=10)
        services.adopter_step_record(adopter=adopter, step=step, on=day, by=worker)
    services.adopter_step_record(adopter=adopter, step="panel_on", on=day + timedelta(days=5), by=worker,
                                 panel_recommendation="approve")
    services.adopter_step_record(adopter=adopter, step="approved_on", on=day + timedelta(days=9), by=worker)
    services.adopter_step_record(adopter=adopter, step="matched_on", on=day + timedelta(days=60), by=worker)
    with pytest.raises(ValidationError) as info:
        services.adopter_step_record(adopter=adopter, step="placed_on", on=day + timedelta(days=59), by=worker,
                                     children_placed=1)
    assert "cannot be before the match" in errors_of(info)["on"][0]
    services.adopter_step_record(adopter=adopter, step="placed_on", on=day + timedelta(days=70), by=worker,
                                 children_placed=2)
    assert adopter.stage == ProspectiveAdopter.Stage.PLACED
    rows = selectors.annex_a_list_11(user=worker, since=START)
    assert [r["Individual adopter identifier"] for r in rows] == ["AD00001-1", "AD00001-2"]
    first = rows[0]
    assert first["Family identifier"] == "AD00001" and first["Gender"] == "b) Female"
    assert first["Ethnicity"] == "o) BAFR" and first["Disability"] == "b) No"
    assert first["Is the (prospective) adopter fostering for adoption?"] == "a) Yes"
    assert first["Date Stage 2 ended"] == START + timedelta(days=60)
    assert first["No. of children placed"] == 2 and first["Reason for leaving adoption process"] is None


def test_adopters_cannot_skip_a_step_and_leave_with_a_list_11_reason(la, worker):
    adopter = adopter_enquiry(la, worker, START)
    with pytest.raises(ValidationError, match="is at 'Enquiry'"):
        services.adopter_step_record(adopter=adopter, step="approved_on", on=START, by=worker)
    services.adopter_step_record(adopter=adopter, step="registered_on", on=START + timedelta(days=3), by=worker)
    services.adopter_step_record(adopter=adopter, step="stage_1_started_on", on=START + timedelta(days=5), by=worker)
    with pytest.raises(ValidationError) as info:
        services.adopter_step_record(adopter=adopter, step="stage_2_started_on", on=START + timedelta(days=9),
                                     by=worker)
    assert errors_of(info)["on"] == ["Record the end of stage 1 before the start of stage 2"]
    services.adopter_leave(adopter=adopter, left_on=START + timedelta(days=20), reason="2", by=worker)
    assert adopter.stage == ProspectiveAdopter.Stage.LEFT and adopter.left_at_stage == "stage_1"
    row = selectors.annex_a_list_11(user=worker, since=START)[0]
    assert row["Reason for leaving adoption process"] == "2 - Process put on hold"
    assert selectors.annex_a_list_11(user=worker, since=START + timedelta(days=21)) == []
