"""The Social care tab and its pages: access, logging, refusals shown with the typing kept, query counts."""

from __future__ import annotations

from datetime import date

import pytest

from hearth.access.models import AccessEvent
from hearth.accounts.models import User
from hearth.cin import services
from hearth.cin.models import Assessment, CINEpisode
from hearth.people.models import Person
from hearth.tenancy.models import LocalAuthority
from tests.cin.factories import cp_plan, open_episode, submitted_assessment
from tests.conftest import client_for
from tests.factories import make_person, make_user
from tests.queries import query_count

pytestmark = pytest.mark.django_db


@pytest.fixture
def child(la: LocalAuthority) -> Person:
    return make_person(la)


def base(child: Person) -> str:
    return f"/children/{child.pk}/cin/"


def date_fields(name: str, day: date) -> dict[str, str]:
    return {f"{name}_0": str(day.day), f"{name}_1": str(day.month), f"{name}_2": str(day.year)}


def test_overview_is_logged_and_shows_the_open_referral(child: Person, social_worker: User) -> None:
    episode = open_episode(child, date(2025, 3, 3))
    response = client_for(social_worker).get(base(child))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Open referral" in body and "3 March 2025" in body
    assert 'aria-current="page">Social care' in body
    assert f"/cin/episodes/{episode.pk}/assessments/new/" in body
    assert AccessEvent.objects.filter(person=child, user=social_worker, action="view", page=base(child)).exists()


def test_overview_without_a_referral_offers_to_record_one(child: Person, social_worker: User) -> None:
    body = client_for(social_worker).get(base(child)).content.decode()
    assert "is not open to children's social care" in body
    assert f"{base(child)}referral/new/" in body


def test_restricted_record_is_refused_and_logged(la: LocalAuthority, social_worker: User) -> None:
    hidden = make_person(la, level=Person.AccessLevel.RESTRICTED)
    response = client_for(social_worker).get(base(hidden))
    assert response.status_code == 403
    assert hidden.full_name not in response.content.decode()
    assert AccessEvent.objects.filter(person=hidden, action="refused").exists()


def test_sealed_and_other_council_records_do_not_exist(la: LocalAuthority, other_la: LocalAuthority,
                                                        social_worker: User) -> None:
    client = client_for(social_worker)
    assert client.get(base(make_person(la, level=Person.AccessLevel.SEALED))).status_code == 404
    assert client.get(base(make_person(other_la))).status_code == 404


def test_another_childs_episode_is_not_found_through_this_child(la: LocalAuthority, child: Person,
                                                                social_worker: User) -> None:
    other = open_episode(make_person(la), date(2025, 3, 3))
    assert client_for(social_worker).get(f"{base(child)}episodes/{other.pk}/close/").status_code == 404


def test_record_a_referral_and_refusal_keeps_typing(child: Person, social_worker: User) -> None:
    client = client_for(social_worker)
    url = f"{base(child)}referral/new/"
    response = client.post(url, {**date_fields("referral_date", date(2099, 1, 1)), "referral_source": "3A"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Referral date must be today or in the past" in body
    assert 'value="3A" selected' in body and 'value="2099"' in body
    response = client.post(url, {**date_fields("referral_date", date(2025, 3, 3)), "referral_source": "3A",
                                 "submission_token": "abc"})
    assert response.status_code == 302
    assert CINEpisode.objects.get(child=child).referral_source == "3A"
    again = client.post(url, {**date_fields("referral_date", date(2025, 3, 3)), "referral_source": "3A",
                              "submission_token": "abc"})
    assert again.status_code == 302 and CINEpisode.objects.filter(child=child).count() == 1


def test_rc8_without_assessment_refused_next_to_the_field(child: Person, social_worker: User) -> None:
    episode = open_episode(child, date(2025, 3, 3))
    response = client_for(social_worker).post(f"{base(child)}episodes/{episode.pk}/close/", {
        **date_fields("closed_on", date(2025, 3, 3)), "reason": "RC8", "version": episode.version,
    })
    body = response.content.decode()
    assert response.status_code == 200
    assert "needs an authorised assessment" in body and 'href="#id_reason"' in body
    assert 'value="RC8" checked' in body
    assert CINEpisode.objects.get(pk=episode.pk).is_open


def test_close_page_explains_nfa_and_defaults_to_rc7(child: Person, social_worker: User) -> None:
    episode = open_episode(child, date(2025, 3, 3))
    body = client_for(social_worker).get(f"{base(child)}episodes/{episode.pk}/close/").content.decode()
    assert "no further action" in body and 'value="RC7" checked' in body


def test_section_save_and_stale_edit(child: Person, social_worker: User) -> None:
    episode = open_episode(child, date(2025, 3, 3))
    assessment = services.assessment_start(episode=episode, started_on=date(2025, 3, 4), by=social_worker)
    url = f"{base(child)}assessments/{assessment.pk}/sections/analysis/"
    client = client_for(social_worker)
    page = client.get(url).content.decode()
    assert "data-autosave" in page
    stale_version = assessment.version
    services.assessment_section_save(assessment=assessment, section="childs_voice", text="Wants to stay",
                                     by=social_worker)
    response = client.post(url, {"text": "My analysis", "version": stale_version})
    assert "Someone else saved changes" in response.content.decode()
    assert "My analysis" in response.content.decode()
    response = client.post(url, {"text": "My analysis", "version": Assessment.objects.get(pk=assessment.pk).version})
    assert response.status_code == 302
    assert Assessment.objects.get(pk=assessment.pk).analysis == "My analysis"


def test_factor_21_with_others_shown_on_the_page(child: Person, social_worker: User) -> None:
    episode = open_episode(child, date(2025, 3, 3))
    assessment = services.assessment_start(episode=episode, started_on=date(2025, 3, 4), by=social_worker)
    response = client_for(social_worker).post(f"{base(child)}assessments/{assessment.pk}/factors/", {
        "factors": ["21", "4B"], "outcome": "cin_plan", "version": assessment.version,
    })
    body = response.content.decode()
    assert "on its own" in body and 'data-behaviour="exclusive"' in body
    assert 'value="4B" checked' in body


def test_assessment_page_shows_time_to_seen(child: Person, social_worker: User) -> None:
    episode = open_episode(child, date(2025, 3, 3))
    assessment = submitted_assessment(episode, date(2025, 3, 4), date(2025, 3, 12))
    body = client_for(social_worker).get(f"{base(child)}assessments/{assessment.pk}/").content.decode()
    assert "7 working days" in body
    assert "From the referral (Working Together)" in body and "From the assessment start (DfE" in body


def test_authorise_is_for_managers(child: Person, social_worker: User, team_manager: User) -> None:
    episode = open_episode(child, date(2025, 3, 3))
    assessment = submitted_assessment(episode, date(2025, 3, 4), date(2025, 3, 12))
    url = f"{base(child)}assessments/{assessment.pk}/authorise/"
    assert client_for(social_worker).get(url).status_code == 403
    response = client_for(team_manager).post(url, {
        **date_fields("authorised_on", date(2025, 3, 14)), "rationale": "Clear analysis", "late_reason": "",
        "version": assessment.version,
    })
    assert response.status_code == 302
    assert Assessment.objects.get(pk=assessment.pk).status == Assessment.Status.AUTHORISED


def test_cin_plan_overlapping_cp_plan_refused_on_the_page(child: Person, social_worker: User) -> None:
    episode = open_episode(child, date(2025, 3, 3))
    cp_plan(child, episode, date(2025, 4, 1))
    response = client_for(social_worker).post(f"{base(child)}episodes/{episode.pk}/plans/new/", {
        **date_fields("started_on", date(2025, 5, 1)), "plan": "Support with routines",
    })
    body = response.content.decode()
    assert "4001" in body and "Support with routines" in body


def test_record_header_shows_status_on_the_child_record(child: Person, social_worker: User) -> None:
    episode = open_episode(child, date(2025, 3, 3))
    cp_plan(child, episode, date(2025, 4, 1), previous_plans=1)
    body = client_for(social_worker).get(f"/children/{child.pk}/").content.decode()
    assert "CP plan: Neglect (second plan)" in body and "Open referral" in body


def history(child: Person, years: range, manager: User) -> None:
    """A referral a year, each assessed, with a reviewed CIN plan, then closed; then one open referral."""
    for year in years:
        episode = open_episode(child, date(year, 3, 2))
        assessment = submitted_assessment(episode, date(year, 3, 3), date(year, 3, 4))
        services.assessment_authorise(assessment=assessment, authorised_on=date(year, 3, 5), rationale="OK",
                                      by=manager)
        plan = services.cin_plan_start(episode=episode, started_on=date(year, 3, 5), by="test")
        services.cin_plan_review_record(plan=plan, held_on=date(year, 4, 5), by="test")
        services.cin_plan_review_record(plan=plan, held_on=date(year, 5, 5), by="test")
        services.cin_plan_end(plan=plan, ended_on=date(year, 6, 5), end_reason="needs_met", by="test")
        services.episode_close(episode=episode, closed_on=date(year, 6, 5), reason="RC7", by="test")
    episode = open_episode(child, date(2025, 3, 3))
    services.assessment_start(episode=episode, started_on=date(2025, 3, 4), by="test")
    services.cin_plan_start(episode=episode, started_on=date(2025, 3, 5), by="test")


def test_overview_query_count_does_not_grow_with_history(la: LocalAuthority, team_manager: User) -> None:
    client = client_for(make_user(la))
    one, other = make_person(la), make_person(la)
    history(one, range(2019, 2020), team_manager)
    history(other, range(2014, 2021), team_manager)
    few = query_count(lambda: client.get(f"/children/{one.pk}/cin/"))
    assert query_count(lambda: client.get(f"/children/{other.pk}/cin/")) == few
