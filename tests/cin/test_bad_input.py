"""Children in need under bad input, wrong sequences and two people at once: refused beside the field, nothing lost."""

from __future__ import annotations

from datetime import date

import pytest

from hearth.accounts.roles import Role
from hearth.cin import services
from hearth.cin.models import Assessment, CINEpisode, CINPlan, CINPlanReview
from tests.cin.factories import cp_plan, open_episode, ready_assessment, submitted_assessment
from tests.conftest import client_for
from tests.factories import make_person, make_user
from tests.workspace.bad_input_helpers import (
    assert_error_beside,
    assert_kept,
    checked,
    date_fields,
    summary_top,
    text,
    token_from,
    walk,
)

pytestmark = pytest.mark.django_db


def base(child: object) -> str:
    return f"/children/{child.pk}/cin/"


def test_a_referral_dated_year_one_is_a_message_not_a_server_error(la, social_worker) -> None:
    child = make_person(la)
    response = client_for(social_worker).post(base(child) + "referral/new/", {
        **date_fields("referral_date", ("1", "1", "0001")), "referral_source": "2A"})
    assert_error_beside(response, "referral_date", "Referral date must be in 1900 or later", date_field=True)
    assert not CINEpisode.objects.exists()


def test_submitting_before_the_child_was_seen_is_refused_beside_the_date(la, social_worker) -> None:
    child = make_person(la)
    episode = open_episode(child, date(2025, 3, 3))
    assessment = ready_assessment(episode, date(2025, 3, 4), date(2025, 3, 10))
    response = client_for(social_worker).post(base(child) + f"assessments/{assessment.pk}/submit/", {
        **date_fields("submitted_on", date(2025, 3, 7)), "version": assessment.version})
    assert_error_beside(response, "submitted_on", "before the child was seen (10 March 2025)", date_field=True)
    assert_kept(response, 'value="7"', 'value="2025"')
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.IN_PROGRESS


def test_authorising_before_it_was_submitted_is_refused_beside_the_date(la, social_worker, team_manager) -> None:
    child = make_person(la)
    episode = open_episode(child, date(2025, 3, 3))
    assessment = submitted_assessment(episode, date(2025, 3, 4), date(2025, 3, 10))
    response = client_for(team_manager).post(base(child) + f"assessments/{assessment.pk}/authorise/", {
        **date_fields("authorised_on", date(2025, 3, 6)), "rationale": "Agree no further action",
        "version": assessment.version})
    assert_error_beside(response, "authorised_on", "on or after the assessment was submitted (10 March 2025)",
                        date_field=True)
    assert_kept(response, "Agree no further action")
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.AWAITING_AUTHORISATION


def test_a_cin_plan_backdated_before_an_open_cp_plan_is_refused_as_an_overlap(la, social_worker) -> None:
    child = make_person(la)
    episode = open_episode(child, date(2025, 3, 3))
    cp_plan(child, episode, started_on=date(2025, 4, 1))
    response = client_for(social_worker).post(base(child) + f"episodes/{episode.pk}/plans/new/", {
        **date_fields("started_on", date(2025, 3, 20)), "plan": "Weekly visits by the family support worker"})
    assert_error_beside(response, "started_on", "census rule 4001", date_field=True)
    assert_kept(response, "Weekly visits by the family support worker")
    assert not CINPlan.objects.exists()


def test_a_cin_plan_before_a_cp_plan_that_ended_later_is_refused_too(la) -> None:
    child = make_person(la)
    episode = open_episode(child, date(2025, 3, 3))
    cp_plan(child, episode, started_on=date(2025, 4, 1), ended_on=date(2025, 6, 1))
    with pytest.raises(Exception, match="4001"):
        services.cin_plan_start(episode=episode, started_on=date(2025, 3, 20), by="test")
    assert services.cin_plan_start(episode=episode, started_on=date(2025, 6, 1), by="test").pk


def test_a_second_open_assessment_is_refused_at_the_top_with_the_date_kept(la, social_worker) -> None:
    child = make_person(la)
    episode = open_episode(child, date(2025, 3, 3))
    services.assessment_start(episode=episode, started_on=date(2025, 3, 4), by="test")
    response = client_for(social_worker).post(base(child) + f"episodes/{episode.pk}/assessments/new/", {
        **date_fields("started_on", date(2025, 3, 5))})
    assert any("is still open in this referral" in line for line in summary_top(text(response)))
    assert_kept(response, 'value="5"')
    assert Assessment.objects.count() == 1


def test_closing_before_the_last_thing_recorded_is_refused_beside_the_date(la, team_manager) -> None:
    child = make_person(la)
    episode = open_episode(child, date(2025, 3, 3))
    assessment = submitted_assessment(episode, date(2025, 3, 4), date(2025, 3, 10))
    services.assessment_authorise(assessment=assessment, authorised_on=date(2025, 3, 20), rationale="Agree",
                                  by=team_manager)
    response = client_for(team_manager).post(base(child) + f"episodes/{episode.pk}/close/", {
        **date_fields("closed_on", date(2025, 3, 15)), "reason": "RC8", "oversight_rationale": "Needs are met",
        "version": episode.version})
    assert_error_beside(response, "closed_on", "the last thing recorded on this referral (20 March 2025)",
                        date_field=True)
    assert checked(response, "reason", "RC8")
    assert_kept(response, "Needs are met")


def test_two_people_saving_one_section_the_second_is_told_who_and_keeps_their_text(la, social_worker) -> None:
    child = make_person(la)
    episode = open_episode(child, date(2025, 3, 3))
    assessment = services.assessment_start(episode=episode, started_on=date(2025, 3, 4), by="test")
    colleague = make_user(la, Role.SOCIAL_WORKER, first_name="Priya", last_name="Shah", username="priya")
    url = base(child) + f"assessments/{assessment.pk}/sections/analysis/"
    version = assessment.version
    assert client_for(colleague).post(url, {"text": "Priya's analysis", "version": version}).status_code == 302
    response = client_for(social_worker).post(url, {"text": "My analysis of the risks", "version": version})
    assert any("Someone else saved changes" in line and "Last saved by Priya Shah" in line
               for line in summary_top(text(response))), summary_top(text(response))
    assert_kept(response, "My analysis of the risks")
    assessment.refresh_from_db()
    assert assessment.analysis == "Priya's analysis"
    # Saving again, having now seen the page, applies it.
    again = client_for(social_worker).post(url, {"text": "My analysis of the risks",
                                                 "version": assessment.version})
    assert again.status_code == 302


def test_two_people_editing_a_plan_the_second_is_told_who(la, social_worker) -> None:
    child = make_person(la)
    episode = open_episode(child, date(2025, 3, 3))
    plan = services.cin_plan_start(episode=episode, started_on=date(2025, 3, 5), by="test")
    colleague = make_user(la, Role.SOCIAL_WORKER, first_name="Priya", last_name="Shah", username="priya")
    services.cin_plan_update(plan=plan, text="Priya's plan", by=colleague)
    response = client_for(social_worker).post(base(child) + f"plans/{plan.pk}/edit/",
                                              {"plan": "Weekly visits", "version": plan.version - 1})
    assert "Last saved by Priya Shah" in text(response)
    assert_kept(response, "Weekly visits")


def test_a_plan_review_sent_twice_is_recorded_once(la, social_worker) -> None:
    child = make_person(la)
    episode = open_episode(child, date(2025, 3, 3))
    plan = services.cin_plan_start(episode=episode, started_on=date(2025, 3, 5), by="test")
    client = client_for(social_worker)
    url = base(child) + f"plans/{plan.pk}/reviews/new/"
    data = {**date_fields("held_on", date(2025, 4, 5)), "summary": "Going well",
            "submission_token": token_from(client.get(url))}
    client.post(url, data)
    client.post(url, data)
    assert CINPlanReview.objects.count() == 1


def test_every_cin_form_survives_junk(la, social_worker, team_manager) -> None:
    child = make_person(la)
    episode = open_episode(child, date(2025, 3, 3))
    assessment = services.assessment_start(episode=episode, started_on=date(2025, 3, 4), by="test")
    plan = services.cin_plan_start(episode=episode, started_on=date(2025, 3, 5), by="test")
    other = make_person(la)
    other_episode = open_episode(other, date(2025, 3, 3))
    submitted = submitted_assessment(other_episode, date(2025, 3, 4), date(2025, 3, 5))
    fresh = make_person(la)
    worker, manager = client_for(social_worker), client_for(team_manager)
    a, p = base(child) + f"assessments/{assessment.pk}/", base(child) + f"plans/{plan.pk}/"
    problems = []
    problems += walk(worker, base(fresh) + "referral/new/", {"referral_source": "2A"}, dates=("referral_date",))
    problems += walk(worker, base(child) + f"episodes/{episode.pk}/primary-need/", {"version": "0"})
    problems += walk(manager, base(child) + f"episodes/{episode.pk}/close/", {"version": "0", "reason": "RC7"},
                     dates=("closed_on",))
    problems += walk(worker, a + "sections/analysis/", {"version": "0", "text": "t"})
    problems += walk(worker, a + "child-seen/", {"version": "0"}, dates=("seen_on",))
    problems += walk(worker, a + "factors/", {"version": "0", "factors": ["21"]})
    problems += walk(worker, a + "submit/", {"version": "0"}, dates=("submitted_on",))
    problems += walk(manager, base(other) + f"assessments/{submitted.pk}/authorise/",
                     {"version": "0", "rationale": "r"}, dates=("authorised_on",))
    problems += walk(manager, base(other) + f"assessments/{submitted.pk}/return/", {"version": "0"})
    problems += walk(worker, base(child) + f"episodes/{episode.pk}/plans/new/", {}, dates=("started_on",))
    problems += walk(worker, p + "edit/", {"version": "0"})
    problems += walk(worker, p + "reviews/new/", {}, dates=("held_on",))
    problems += walk(worker, p + "end/", {"version": "0", "end_reason": "cin"}, dates=("ended_on",))
    assert problems == []
