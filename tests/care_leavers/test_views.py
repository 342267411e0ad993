"""The Leaving care tab and its forms: access and logging, refusals shown with the typing kept, stale edits."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from dateutil.relativedelta import relativedelta

from hearth.access.models import AccessEvent
from hearth.care_leavers import services
from hearth.care_leavers.models import CareLeaverAccommodation, CareLeaverContact, PathwayPlan, PathwayPlanReview
from hearth.people.models import Person
from hearth.workspace.forms import STALE_MESSAGE
from tests.conftest import client_for

from .factories import ago, care_leaver, in_care, today, young_person

pytestmark = pytest.mark.django_db


def base(child: Person) -> str:
    return f"/children/{child.pk}/leaving-care/"


def date_fields(name: str, day: date) -> dict[str, str]:
    return {f"{name}_0": str(day.day), f"{name}_1": str(day.month), f"{name}_2": str(day.year)}


@pytest.fixture
def leaver(la, adviser, lc_manager):
    """A former relevant young person with something in every part of the tab."""
    child = care_leaver(la, age_years=19, left_months_ago=11, first_name="Riley")
    services.personal_adviser_allocate(child=child, adviser=adviser, started_on=ago(months=10), by=lc_manager)
    services.needs_assessment_record(child=child, completed_on=ago(years=2), by=adviser)
    plan = services.pathway_plan_start(child=child, started_on=ago(months=9), contact_interval_weeks=6, by=adviser,
                                       accommodation="Stay with the Smiths until university")
    services.pathway_plan_review_record(plan=plan, held_on=ago(months=3), young_person_took_part=True,
                                        summary="Applying to college", by=adviser)
    services.contact_record(child=child, contacted_on=ago(days=20), method="in_person", in_touch="YES", by=adviser)
    services.staying_put_start(child=child, started_on=ago(months=10), carer_name="The Smiths", by=adviser)
    services.activity_record(child=child, started_on=ago(months=2), activity="G5", by=adviser)
    return child


def test_the_tab_shows_status_and_why_adviser_plan_contact_home_activity_and_oc3(leaver, adviser):
    response = client_for(adviser).get(base(leaver))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Status: Former relevant" in body
    assert "Was an eligible or relevant child before turning 18" in body
    assert adviser.get_full_name() in body
    assert "Stay with the Smiths until university" in body and "Applying to college" in body
    assert "Every 6 weeks, as agreed in the plan" in body
    assert "Z: with former foster carers" in body and "Suitable" in body
    assert "Not in education, employment or training" in body
    assert "With The Smiths from" in body
    assert "OC3 return" in body
    assert 'aria-current="page">Leaving care' in body
    assert AccessEvent.objects.filter(person=leaver, user=adviser, action="view", page=base(leaver)).exists()


def test_a_young_person_in_care_sees_when_they_become_eligible(la, social_worker):
    child = young_person(la, age_years=16)
    in_care(child, ago(days=30))
    body = client_for(social_worker).get(base(child)).content.decode()
    assert "Status: Not a care leaver" in body and "Becomes an eligible child on" in body


@pytest.mark.parametrize("page", ["adviser/", "adviser/end/", "status/new/", "needs-assessment/new/", "plans/new/",
                                  "contacts/new/", "accommodation/new/", "activity/new/", "staying-put/new/"])
def test_every_form_opens_and_is_logged(leaver, lc_manager, page):
    response = client_for(lc_manager).get(base(leaver) + page)
    assert response.status_code == 200
    assert AccessEvent.objects.filter(person=leaver, user=lc_manager, page=base(leaver) + page).exists()


def test_only_a_manager_allocates_a_personal_adviser(leaver, adviser):
    assert client_for(adviser).get(base(leaver) + "adviser/").status_code == 403
    assert "Allocate a personal adviser" not in client_for(adviser).get(base(leaver)).content.decode()


def test_a_contact_dated_in_the_future_is_refused_next_to_the_field_with_the_notes_kept(leaver, adviser):
    client = client_for(adviser)
    response = client.post(base(leaver) + "contacts/new/", {
        **date_fields("contacted_on", today() + timedelta(days=2)), "in_touch": "YES", "method": "phone",
        "note": "Talked about the college course"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "govuk-error-summary" in body and 'href="#id_contacted_on_0"' in body
    assert "must be today or in the past" in body
    assert "Talked about the college course" in body
    assert 'value="YES" checked' in body
    assert CareLeaverContact.objects.filter(child=leaver).count() == 1


def test_a_contact_before_they_left_care_is_refused_by_the_service_with_everything_kept(leaver, adviser):
    before = ago(months=11) - timedelta(days=3)
    response = client_for(adviser).post(base(leaver) + "contacts/new/", {
        **date_fields("contacted_on", before), "in_touch": "NO", "method": "letter", "note": "Wrote to her"})
    body = response.content.decode()
    assert "when Riley" in body and "left care" in body
    assert 'id="id_contacted_on-error"' in body
    assert "Wrote to her" in body and f'value="{before.day}"' in body


def test_former_foster_carers_under_18_is_refused_next_to_the_accommodation(la, adviser):
    child = young_person(la, age_years=17, age_months=3)
    in_care(child, ago(years=2), ago(days=40))
    response = client_for(adviser).post(base(child) + "accommodation/new/", {
        **date_fields("started_on", ago(days=20)), "accommodation": "Z", "suitable": "yes", "note": "Back with Jo"})
    body = response.content.decode()
    assert 'id="id_accommodation-error"' in body and "rule 3001" in body
    assert "Back with Jo" in body and 'value="Z" checked' in body
    assert not CareLeaverAccommodation.objects.exists()


def test_a_review_before_the_plan_started_is_refused_and_the_summary_kept(leaver, adviser):
    plan = PathwayPlan.objects.get(child=leaver)
    response = client_for(adviser).post(f"{base(leaver)}plans/{plan.pk}/reviews/new/", {
        **date_fields("held_on", plan.started_on - timedelta(days=1)), "young_person_took_part": "yes",
        "summary": "Housing options"})
    body = response.content.decode()
    assert 'id="id_held_on-error"' in body and "on or after the plan started" in body
    assert "Housing options" in body
    assert PathwayPlanReview.objects.filter(plan=plan).count() == 1


def test_a_stale_plan_edit_is_refused_with_the_typing_kept_and_saves_the_second_time(leaver, adviser, lc_manager):
    plan = PathwayPlan.objects.get(child=leaver)
    opened_version = plan.version
    services.pathway_plan_update(plan=plan, health="Registered with a GP", by=lc_manager,
                                 contact_interval_weeks=plan.contact_interval_weeks)
    client = client_for(adviser)
    form = {"version": opened_version, "money": "Setting up a bank account", "contact_interval_weeks": "6"}
    response = client.post(f"{base(leaver)}plans/{plan.pk}/edit/", form)
    body = response.content.decode()
    assert STALE_MESSAGE.split(".")[0] in body and "Setting up a bank account" in body
    plan.refresh_from_db()
    assert plan.money == "" and plan.health == "Registered with a GP"
    again = client.post(f"{base(leaver)}plans/{plan.pk}/edit/", {**form, "version": plan.version})
    assert again.status_code == 302
    plan.refresh_from_db()
    assert plan.money == "Setting up a bank account"


def test_a_contact_sent_twice_is_saved_once(leaver, adviser):
    client = client_for(adviser)
    form = {**date_fields("contacted_on", today()), "in_touch": "YES", "method": "phone", "submission_token": "tok1"}
    assert client.post(base(leaver) + "contacts/new/", form).status_code == 302
    assert client.post(base(leaver) + "contacts/new/", form).status_code == 302
    assert CareLeaverContact.objects.filter(child=leaver, contacted_on=today()).count() == 1


def test_recording_a_decision_without_a_reason_keeps_the_choice(leaver, adviser):
    response = client_for(adviser).post(base(leaver) + "status/new/", {"kind": "returned_home", "reason": ""})
    body = response.content.decode()
    assert "Enter how you know, and who decided" in body and 'value="returned_home" checked' in body


def test_allocating_through_the_page(la, adviser, lc_manager):
    child = care_leaver(la, age_years=18, left_months_ago=2)
    response = client_for(lc_manager).post(base(child) + "adviser/", {
        "adviser": adviser.pk, **date_fields("started_on", today()), "submission_token": "x1"})
    assert response.status_code == 302
    assert adviser.get_full_name() in client_for(lc_manager).get(base(child)).content.decode()


def test_birthdays_shown_use_the_date_of_birth(leaver, adviser):
    body = client_for(adviser).get(base(leaver)).content.decode()
    b21 = leaver.date_of_birth + relativedelta(years=21)
    assert f"{b21.day} {b21:%B %Y}" in body
