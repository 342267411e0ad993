"""Front door under bad input, wrong sequences and two people at once: refused beside the field, nothing lost."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from hearth.accounts.roles import Role
from hearth.front_door.models import Contact, MysteryShopperCheck
from hearth.front_door.services import contact_decide, early_help_start, early_help_update
from tests.conftest import client_for
from tests.factories import make_person, make_user
from tests.front_door.factories import make_contact
from tests.workspace.bad_input_helpers import (
    assert_error_beside,
    assert_kept,
    checked,
    date_fields,
    selected,
    summary_top,
    text,
    token_from,
    walk,
)

pytestmark = pytest.mark.django_db


def contact_post(**overrides: str) -> dict[str, str]:
    today = timezone.localdate()
    data = {
        **date_fields("received_on", today), "received_time": "00:01", "channel": "email", "source": "3B",
        "referrer_name": "Ms Okafor", "referrer_organisation": "Bulwell Academy",
        "concerns": "Child says there is no food at home", "consent": "not_sought_other",
        "consent_notes": "Mother could not be reached", "child_first_name": "Maisie", "child_last_name": "Tranter",
    }
    data.update(overrides)
    return data


def test_a_contact_received_tomorrow_is_refused_beside_the_date_and_every_answer_stays(la, social_worker) -> None:
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = client_for(social_worker).post("/front-door/contacts/new/",
                                              contact_post(**date_fields("received_on", tomorrow)))
    assert_error_beside(response, "received_on", "Date received must be today or in the past", date_field=True)
    assert_kept(response, "Child says there is no food at home", "Mother could not be reached", "Ms Okafor",
                "Bulwell Academy", "Maisie", "Tranter", str(tomorrow.year))
    assert checked(response, "channel", "email") and checked(response, "consent", "not_sought_other")
    assert selected(response, "3B")
    assert not Contact.objects.exists()


def test_a_year_of_0001_is_a_message_not_a_server_error(la, social_worker) -> None:
    response = client_for(social_worker).post("/front-door/contacts/new/",
                                              contact_post(**date_fields("received_on", ("1", "1", "0001"))))
    assert_error_beside(response, "received_on", "Date received must be in 1900 or later", date_field=True)


def test_a_name_over_its_limit_gets_a_govuk_message(la, social_worker) -> None:
    response = client_for(social_worker).post("/front-door/contacts/new/", contact_post(referrer_name="N" * 151))
    assert_error_beside(response, "referrer_name", "Name of the person making contact must be 150 characters or fewer")
    assert_kept(response, "N" * 151)


def test_very_long_concerns_are_kept_whole(la, social_worker) -> None:
    concerns = "The school has noticed a pattern. " * 600  # about 20,000 characters
    response = client_for(social_worker).post("/front-door/contacts/new/", contact_post(concerns=concerns))
    assert response.status_code == 302
    assert Contact.objects.get().concerns == concerns.strip()


def test_a_contact_sent_twice_is_recorded_once(la, social_worker) -> None:
    client = client_for(social_worker)
    token = token_from(client.get("/front-door/contacts/new/"))
    first = client.post("/front-door/contacts/new/", {**contact_post(), "submission_token": token})
    second = client.post("/front-door/contacts/new/", {**contact_post(), "submission_token": token})
    assert first.status_code == 302 and second.status_code == 302
    assert Contact.objects.count() == 1


def test_a_mystery_shopper_check_sent_twice_is_recorded_once(la, team_manager) -> None:
    client = client_for(team_manager)
    yesterday = timezone.localdate() - timedelta(days=1)
    data = {**date_fields("carried_out_on", yesterday), "carried_out_time": "10:15", "channel": "phone",
            "outcome": "not_answered", "submission_token": token_from(client.get("/front-door/mystery-shopper/new/"))}
    client.post("/front-door/mystery-shopper/new/", data)
    client.post("/front-door/mystery-shopper/new/", data)
    assert MysteryShopperCheck.objects.count() == 1


def test_choosing_a_record_that_is_not_a_number_is_not_found_not_a_server_error(la, social_worker) -> None:
    contact = make_contact(la, child_details={"first_name": "Ann", "last_name": "Lee"})
    client = client_for(social_worker)
    client.raise_request_exception = False
    assert client.post(f"/front-door/contacts/{contact.pk}/child/", {"use": "abc"}).status_code == 404
    assert Contact.objects.get().child_id is None


def test_a_decision_someone_else_recorded_first_says_who_and_keeps_the_rationale(la, team_manager) -> None:
    contact = make_contact(la, child=make_person(la))
    other = make_user(la, Role.TEAM_MANAGER, first_name="Olu", last_name="Bello", username="other")
    page_version = contact.version
    contact_decide(contact=Contact.objects.get(pk=contact.pk), decision="nfa", rationale="No concerns", by=other)
    response = client_for(team_manager).post(f"/front-door/contacts/{contact.pk}/decide/", {
        "version": page_version, "decision": "advice", "rationale": "Advice to school about food bank"})
    assert response.status_code == 200
    top = summary_top(text(response))
    assert any("Olu Bello recorded the decision" in line and "not been saved" in line for line in top), top
    assert_kept(response, "Advice to school about food bank")
    assert checked(response, "decision", "advice")
    contact.refresh_from_db()
    assert contact.decision == "nfa" and contact.decided_by == other and contact.decision_rationale == "No concerns"


def test_screening_over_someone_elses_says_who_and_keeps_the_notes(la, social_worker) -> None:
    contact = make_contact(la, child=make_person(la))
    colleague = make_user(la, Role.SOCIAL_WORKER, first_name="Priya", last_name="Shah", username="priya")
    page_version = contact.version
    client_for(colleague).post(f"/front-door/contacts/{contact.pk}/screen/",
                               {"version": page_version, "priority": "green", "notes": "First"})
    response = client_for(social_worker).post(f"/front-door/contacts/{contact.pk}/screen/",
                                              {"version": page_version, "priority": "red", "notes": "Police checks"})
    assert "Someone else saved changes" in text(response) and "Priya Shah" in text(response)
    assert_kept(response, "Police checks")
    assert checked(response, "priority", "red")
    contact.refresh_from_db()
    assert contact.priority == "green"


def test_early_help_end_before_it_started_is_refused_beside_the_date(la, team_manager) -> None:
    episode = early_help_start(child=make_person(la), started_on=date(2025, 3, 3), origin="direct", by="test")
    response = client_for(team_manager).post(f"/front-door/early-help/{episode.pk}/end/", {
        "version": episode.version, **date_fields("ended_on", date(2025, 2, 1)), "outcome": "needs_met"})
    assert_error_beside(response, "ended_on", "before early help started", date_field=True)
    assert checked(response, "outcome", "needs_met")


def test_early_help_assessment_completed_before_it_started_is_refused_beside_the_completion(la, team_manager
                                                                                            ) -> None:
    episode = early_help_start(child=make_person(la), started_on=date(2025, 3, 3), origin="direct", by="test")
    response = client_for(team_manager).post(f"/front-door/early-help/{episode.pk}/change/", {
        "version": episode.version, "lead_professional": "Priya Shah, Bulwell Academy",
        **date_fields("assessment_started_on", date(2025, 3, 10)),
        **date_fields("assessment_completed_on", date(2025, 3, 5))})
    assert_error_beside(response, "assessment_completed_on", "cannot be completed before it started", date_field=True)
    assert_kept(response, "Priya Shah, Bulwell Academy")


def test_ending_early_help_someone_changed_says_who(la, team_manager) -> None:
    episode = early_help_start(child=make_person(la), started_on=date(2025, 3, 3), origin="direct", by="test")
    page_version = episode.version
    colleague = make_user(la, Role.TEAM_MANAGER, first_name="Dee", last_name="Mensah", username="dee")
    early_help_update(episode=episode, by=colleague, lead_team=None, lead_professional="School nurse",
                      assessment_organisation="", assessment_started_on=None, assessment_completed_on=None)
    response = client_for(team_manager).post(f"/front-door/early-help/{episode.pk}/end/", {
        "version": page_version, **date_fields("ended_on", date(2025, 4, 1)), "outcome": "needs_met"})
    assert "Someone else saved changes" in text(response) and "Last saved by Dee Mensah" in text(response)
    assert checked(response, "outcome", "needs_met")
    episode.refresh_from_db()
    assert episode.ended_on is None
    assert any("Last saved by Dee Mensah" in line for line in summary_top(text(response)))


def test_every_front_door_form_survives_junk(la, team, social_worker, team_manager) -> None:
    child = make_person(la)
    contact = make_contact(la, child=child)
    unknown = make_contact(la, child_details={"first_name": "Ann", "last_name": "Lee"})
    episode = early_help_start(child=make_person(la), started_on=date(2025, 3, 3), origin="direct", by="test")
    yesterday = timezone.localdate() - timedelta(days=1)
    problems = []
    problems += walk(client_for(social_worker), "/front-door/contacts/new/", contact_post(),
                     dates=("received_on", "child_date_of_birth"))
    problems += walk(client_for(team_manager), "/front-door/mystery-shopper/new/", {
        **date_fields("carried_out_on", yesterday), "carried_out_time": "10:15", "channel": "phone",
        "outcome": "not_answered"}, dates=("carried_out_on",))
    problems += walk(client_for(social_worker), f"/front-door/contacts/{contact.pk}/screen/",
                     {"version": contact.version, "priority": "amber", "notes": "n"})
    problems += walk(client_for(team_manager), f"/front-door/contacts/{contact.pk}/decide/",
                     {"version": "0", "decision": "nfa", "rationale": "r"})
    problems += walk(client_for(social_worker), f"/front-door/contacts/{unknown.pk}/child/",
                     {"first_name": "Ann", "last_name": "Lee"})
    problems += walk(client_for(team_manager), f"/front-door/early-help/{episode.pk}/change/",
                     {"version": "0", "lead_professional": "x"},
                     dates=("assessment_started_on", "assessment_completed_on"))
    problems += walk(client_for(team_manager), f"/front-door/early-help/{episode.pk}/end/",
                     {"version": "0", "outcome": "needs_met"}, dates=("ended_on",))
    problems += walk(client_for(team_manager), f"/front-door/early-help/{episode.pk}/step-up/",
                     {"version": "0", "team": team.pk}, dates=("on",))
    assert problems == []
