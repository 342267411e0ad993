"""Fostering and adoption pages under bad input and two people at once: refused beside the field, nothing lost."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from hearth.fostering.models import FosterHousehold, FosterVacancy
from hearth.workspace.forms import STALE_MESSAGE
from tests.conftest import client_for
from tests.factories import make_person
from tests.workspace.bad_input_helpers import (
    assert_error_beside,
    assert_kept,
    checked,
    date_fields,
    selected,
    summary_top,
    text,
    walk,
)

from .factories import approved_household, enquiry, to_panel

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
START = TODAY - timedelta(days=300)


def enquiry_post(**extra: object) -> dict[str, object]:
    return {"name": "Khan household", **date_fields("enquiry_on", START), "source": "event", "kind": "connected",
            "applicant_1_first_name": "Sara", "applicant_1_last_name": "Khan", "address": "12 Elm Road",
            "postcode": "NG5 1AA", "phone": "0115 496 0000", "notes": "Grandmother of two children", **extra}


def test_an_enquiry_without_an_applicant_is_refused_beside_the_name_with_everything_kept(la, worker):
    response = client_for(worker).post("/fostering/households/new/",
                                       enquiry_post(applicant_1_first_name="", **date_fields("enquiry_on",
                                                                                            TODAY + timedelta(days=2))))
    assert_error_beside(response, "applicant_1_first_name", "Enter the first applicant's first name and last name")
    assert_error_beside(response, "enquiry_on", "must be today or in the past", date_field=True)
    assert_kept(response, "Khan household", "12 Elm Road", "NG5 1AA", "0115 496 0000", "Grandmother of two children")
    assert checked(response, "kind", "connected") and checked(response, "source", "event")
    assert not FosterHousehold.objects.exists()


def test_a_bad_postcode_is_refused_beside_it(la, worker):
    response = client_for(worker).post("/fostering/households/new/", enquiry_post(postcode="12345"))
    assert_error_beside(response, "postcode", "postcode")
    assert_kept(response, "12345", "Khan household")


def test_an_initial_visit_before_the_enquiry_is_refused_beside_the_date_keeping_what_was_typed(la, worker):
    household = enquiry(la, worker, START)
    day = START - timedelta(days=3)
    response = client_for(worker).post(f"/fostering/households/{household.pk}/initial-visit/", {
        "version": household.version, **date_fields("visited_on", day), "worker": worker.pk,
        "recommendation": "proceed"})
    assert_error_beside(response, "visited_on", "cannot be before the enquiry", date_field=True)
    assert f'value="{day.day}"' in response.content.decode() and selected(response, str(worker.pk))
    assert checked(response, "recommendation", "proceed")
    household.refresh_from_db()
    assert household.initial_visit_on is None


def test_approval_without_terms_is_refused_beside_each_term(la, worker):
    household = to_panel(enquiry(la, worker, START), worker, START)
    response = client_for(worker).post(f"/fostering/households/{household.pk}/decision/", {
        "version": household.version, **date_fields("decided_on", START + timedelta(days=50)), "decision": "approve",
        "age_from": "12", "age_to": "4"})
    assert_error_beside(response, "places", "Enter the number of children")
    assert_error_beside(response, "age_to", "The oldest age must be the same as or more than the youngest (12)")
    assert_error_beside(response, "care_types", "Choose the types of care")
    assert_kept(response, 'value="12"', 'value="4"')
    household.refresh_from_db()
    assert household.stage == FosterHousehold.Stage.PANEL


def test_a_vacancy_aged_from_more_than_to_is_refused_keeping_its_ticks(la, worker):
    household = approved_household(la, worker, enquiry_on=START)
    response = client_for(worker).post(f"/fostering/households/{household.pk}/vacancy/", {
        "version": household.version, "places": "1", "age_from": "9", "age_to": "3", "care_types": ["short_term"],
        "needs": ["siblings"], **date_fields("available_from", TODAY), "notes": "Ground-floor bedroom"})
    assert_error_beside(response, "age_to", "The oldest age must be the same as or more than the youngest (9)")
    assert checked(response, "care_types", "short_term") and checked(response, "needs", "siblings")
    assert_kept(response, "Ground-floor bedroom")
    assert not FosterVacancy.objects.exists()


def test_more_places_than_approved_is_refused(la, worker):
    household = approved_household(la, worker, enquiry_on=START, places=1)
    response = client_for(worker).post(f"/fostering/households/{household.pk}/vacancy/", {
        "version": household.version, "places": "3", "age_from": "0", "age_to": "5", "care_types": ["short_term"],
        **date_fields("available_from", TODAY)})
    assert_error_beside(response, "places", "No more than 1 place can be offered")


def test_a_step_on_a_household_at_another_stage_is_said_at_the_top(la, worker):
    household = enquiry(la, worker, START)
    response = client_for(worker).post(f"/fostering/households/{household.pk}/panel/", {
        "version": household.version, **date_fields("panel_on", START), "recommendation": "approve",
        "terms": "One child"})
    assert response.status_code == 200
    assert any("is at 'Enquiry'" in line for line in summary_top(text(response)))
    assert_kept(response, "One child")


def test_two_people_changing_the_details_at_once_keeps_the_second_persons_typing(la, worker):
    household = enquiry(la, worker, START)
    client = client_for(worker)
    stale_version = household.version
    first = client.post(f"/fostering/households/{household.pk}/change/", {
        "version": stale_version, **enquiry_post(name="Patel family", applicant_1_first_name="Asha",
                                                 applicant_1_last_name="Patel", applicant_2_first_name="Ravi",
                                                 applicant_2_last_name="Patel")})
    assert first.status_code == 302
    second = client.post(f"/fostering/households/{household.pk}/change/", {
        "version": stale_version, **enquiry_post(name="The Patels", applicant_1_first_name="Asha",
                                                 applicant_1_last_name="Patel", applicant_2_first_name="Ravi",
                                                 applicant_2_last_name="Patel", notes="Called back on Tuesday")})
    assert second.status_code == 200
    body = text(second)
    assert STALE_MESSAGE in body and "The Patels" in body and "Called back on Tuesday" in body
    household.refresh_from_db()
    assert household.name == "Patel family"
    # Saving again, having seen the warning, applies the change.
    third = client.post(f"/fostering/households/{household.pk}/change/", {
        "version": household.version, **enquiry_post(name="The Patels", applicant_1_first_name="Asha",
                                                     applicant_1_last_name="Patel", applicant_2_first_name="Ravi",
                                                     applicant_2_last_name="Patel")})
    assert third.status_code == 302
    household.refresh_from_db()
    assert household.name == "The Patels"


def test_an_applicant_cannot_be_removed_from_the_record(la, worker):
    household = enquiry(la, worker, START)
    response = client_for(worker).post(f"/fostering/households/{household.pk}/change/", {
        "version": household.version, **enquiry_post(applicant_1_first_name="Asha", applicant_1_last_name="Patel")})
    assert_error_beside(response, "applicant_2_first_name", "Ravi Patel cannot be removed from the record")


def test_a_placement_request_with_impossible_answers_keeps_them(la, social_worker):
    child = make_person(la)
    response = client_for(social_worker).post(f"/fostering/children/{child.pk}/placement-request/", {
        **date_fields("needed_from", TODAY), "urgency": "planned", "care_type": "long_term", "needs": ["teenagers"],
        "number_of_children": "1", "siblings_together": "yes", "notes": "Settled at school"})
    assert_error_beside(response, "siblings_together", "more than one child")
    assert checked(response, "needs", "teenagers") and checked(response, "care_type", "long_term")
    assert_kept(response, "Settled at school")


def test_junk_in_any_field_never_breaks_the_pages(la, worker, social_worker):
    household = to_panel(enquiry(la, worker, START), worker, START)
    client = client_for(worker)
    problems = walk(client, "/fostering/households/new/", enquiry_post(), dates=("enquiry_on",))
    problems += walk(client, f"/fostering/households/{household.pk}/decision/", {
        "version": household.version, **date_fields("decided_on", START + timedelta(days=50)), "decision": "approve",
        "places": "1", "age_from": "0", "age_to": "5", "care_types": ["short_term"]}, dates=("decided_on",))
    child = make_person(la)
    problems += walk(client_for(social_worker), f"/fostering/children/{child.pk}/placement-request/", {
        **date_fields("needed_from", TODAY), "urgency": "planned", "care_type": "long_term",
        "number_of_children": "1", "siblings_together": "no"}, dates=("needed_from",))
    assert problems == []
