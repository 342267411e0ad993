"""Child protection pages: access checked and logged, refusals beside the field with the typing kept."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hearth.access.models import AccessEvent
from hearth.people.models import Person
from hearth.protection import services
from hearth.protection.models import ChildProtectionConference, CPVisit, Section47Enquiry, StrategyDiscussion
from tests.conftest import client_for
from tests.factories import make_person

from .factories import discuss, enquiry_at_risk, open_episode, plan_for


def date_fields(name: str, day: date) -> dict[str, str]:
    return {f"{name}_0": str(day.day), f"{name}_1": str(day.month), f"{name}_2": str(day.year)}


def strategy_post(**extra: object) -> dict[str, object]:
    data: dict[str, object] = {
        **date_fields("held_on", date(2024, 12, 20)), "agencies_present": ["social_care", "police", "health"],
        "reason": "Bruising seen at school", "decision": "s47", "attendees": "DS Patel, Dr Khan",
    }
    data.update(extra)
    return data


def views_logged(child: Person, action: str = AccessEvent.Action.VIEW) -> int:
    return AccessEvent.objects.filter(person=child, action=action).count()


def test_recording_a_strategy_discussion_starts_the_enquiry_and_goes_to_it(child, social_worker):
    open_episode(child)
    client = client_for(social_worker)
    page = client.get(f"/children/{child.pk}/protection/strategy/new/")
    assert page.status_code == 200 and b"Record a strategy discussion" in page.content
    assert views_logged(child) == 1
    response = client.post(f"/children/{child.pk}/protection/strategy/new/", strategy_post())
    enquiry = Section47Enquiry.objects.get(child=child)
    assert response.status_code == 302 and response["Location"] == f"/children/{child.pk}/protection/s47/{enquiry.pk}/"
    page = client.get(response["Location"])
    assert b"Due by 15 January 2025" in page.content


def test_a_missing_agency_is_warned_about_after_saving(child, social_worker):
    open_episode(child)
    client = client_for(social_worker)
    response = client.post(f"/children/{child.pk}/protection/strategy/new/",
                           strategy_post(agencies_present=["social_care", "health"]), follow=True)
    assert StrategyDiscussion.objects.filter(child=child).count() == 1
    assert b"recorded without Police" in response.content


def test_without_an_open_referral_the_refusal_shows_and_the_typing_stays(child, social_worker):
    client = client_for(social_worker)
    response = client.post(f"/children/{child.pk}/protection/strategy/new/", strategy_post())
    assert response.status_code == 200
    assert b"There is a problem" in response.content and b"front door" in response.content
    assert b"Bruising seen at school" in response.content and b"DS Patel, Dr Khan" in response.content
    assert not StrategyDiscussion.objects.exists()


def test_an_icpc_on_a_saturday_is_refused_beside_the_date(child, social_worker, team_manager, chair):
    open_episode(child)
    enquiry_at_risk(child, discussed_on=date(2024, 12, 20), completed_on=date(2025, 1, 8), by=social_worker,
                    manager=team_manager)
    client = client_for(social_worker)
    response = client.post(f"/children/{child.pk}/protection/conferences/new/initial/", {
        **date_fields("held_on", date(2025, 1, 18)), "chair": chair.pk, "outcome": "plan", "category": "NEG",
        "summary_of_concerns": "Repeated bruising", "family_summary": "We are worried",
    })
    assert response.status_code == 200
    assert b'id="id_held_on-error"' in response.content and b"8875" in response.content
    assert b"Repeated bruising" in response.content and b"We are worried" in response.content
    assert not ChildProtectionConference.objects.exists()


def test_an_icpc_with_a_plan_goes_to_the_plan(child, social_worker, team_manager, chair):
    open_episode(child)
    enquiry_at_risk(child, discussed_on=date(2024, 12, 20), completed_on=date(2025, 1, 8), by=social_worker,
                    manager=team_manager)
    client = client_for(social_worker)
    response = client.post(f"/children/{child.pk}/protection/conferences/new/initial/", {
        **date_fields("held_on", date(2025, 1, 15)), "chair": chair.pk, "outcome": "plan", "category": "NEG",
    })
    plan = child.cp_plans.get()
    assert response.status_code == 302 and response["Location"] == f"/children/{child.pk}/protection/plans/{plan.pk}/"
    page = client.get(response["Location"])
    assert page.status_code == 200 and b"First core group" in page.content


def test_only_managers_see_and_may_use_the_s47_oversight_form(child, social_worker, team_manager):
    open_episode(child)
    enquiry = enquiry_at_risk(child, discussed_on=date(2024, 12, 20), completed_on=date(2025, 1, 8),
                              by=social_worker)
    url = f"/children/{child.pk}/protection/s47/{enquiry.pk}/"
    worker_page = client_for(social_worker).get(url)
    assert b"A manager must record oversight" in worker_page.content and b"Record oversight" not in worker_page.content
    assert client_for(social_worker).post(url + "oversight/", {"rationale": "x"}).status_code == 403
    manager = client_for(team_manager)
    assert b"Record oversight" in manager.get(url).content
    empty = manager.post(url + "oversight/", {"rationale": ""})
    assert b"Enter the rationale for the decision" in empty.content
    assert manager.post(url + "oversight/", {"rationale": "Agree: ICPC"}).status_code == 302


def test_completing_the_enquiry_from_its_page(child, social_worker):
    open_episode(child)
    enquiry = discuss(child, date(2024, 12, 20), social_worker).s47_enquiries.get()
    client = client_for(social_worker)
    url = f"/children/{child.pk}/protection/s47/{enquiry.pk}/complete/"
    early = client.post(url, {**date_fields("completed_on", date(2024, 12, 19)), "outcome": "not_substantiated",
                              "findings": "Explained injury", "version": enquiry.version})
    assert b"before it started" in early.content and b"Explained injury" in early.content
    done = client.post(url, {**date_fields("completed_on", date(2025, 1, 6)), "outcome": "not_substantiated",
                             "findings": "Explained injury", "version": enquiry.version})
    assert done.status_code == 302
    enquiry.refresh_from_db()
    assert enquiry.completed_on == date(2025, 1, 6)


def test_a_visit_without_seeing_the_child_says_it_does_not_count(child, social_worker, team_manager, chair):
    plan = plan_for(child, chair=chair, manager=team_manager, by=social_worker)
    client = client_for(social_worker)
    response = client.post(f"/children/{child.pk}/protection/plans/{plan.pk}/visits/new/", {
        **date_fields("visited_on", date(2025, 1, 20)), "child_seen": "no", "child_seen_alone": "no",
    }, follow=True)
    assert b"does not count as a statutory visit" in response.content
    assert CPVisit.objects.filter(cp_plan=plan, child_seen=False).count() == 1


def test_ending_a_plan_is_refused_without_oversight_with_the_input_kept(child, social_worker, team_manager, chair):
    plan = plan_for(child, chair=chair, manager=team_manager, by=social_worker)
    client = client_for(social_worker)
    url = f"/children/{child.pk}/protection/plans/{plan.pk}/end/"
    assert b"A manager must record oversight" in client.get(url).content
    response = client.post(url, {**date_fields("ended_on", date(2025, 3, 3)), "reason": "step_down_cin",
                                 "version": plan.version})
    assert response.status_code == 200 and b"oversight of the child protection plan end" in response.content
    assert b'value="step_down_cin" checked' in response.content
    client_for(team_manager).post(f"/children/{child.pk}/protection/plans/{plan.pk}/oversight/",
                                  {"decision_point": "cp_plan_end", "rationale": "Agree"})
    assert client.post(url, {**date_fields("ended_on", date(2025, 3, 3)), "reason": "step_down_cin",
                             "version": plan.version}).status_code == 302


def test_a_stale_plan_change_is_refused_with_the_typing_kept(child, social_worker, team_manager, chair):
    plan = plan_for(child, chair=chair, manager=team_manager, by=social_worker)
    stale_version = plan.version
    services.cp_plan_update(plan=plan, outline_plan="Someone else's", family_summary="", visit_interval_days=None,
                            by=team_manager)
    response = client_for(social_worker).post(f"/children/{child.pk}/protection/plans/{plan.pk}/change/", {
        "outline_plan": "My version", "family_summary": "", "visit_interval_days": "", "version": stale_version,
    })
    assert response.status_code == 200 and b"Someone else saved changes" in response.content
    assert b"My version" in response.content


@pytest.mark.parametrize("tail", ["strategy/new/", "transfer-in/", "conferences/new/initial/"])
def test_a_restricted_child_is_refused_and_the_refusal_logged(la, social_worker, tail):
    hidden = make_person(la, level=Person.AccessLevel.RESTRICTED)
    response = client_for(social_worker).get(f"/children/{hidden.pk}/protection/{tail}")
    assert response.status_code == 403
    assert hidden.full_name.encode() not in response.content
    assert views_logged(hidden, AccessEvent.Action.REFUSED) == 1 and views_logged(hidden) == 0


def test_restricted_plan_pages_and_pdfs_are_refused(la, social_worker, team_manager, chair):
    child = make_person(la, level=Person.AccessLevel.OPEN)
    plan = plan_for(child, chair=chair, manager=team_manager, by=social_worker)
    from hearth.access.services import person_set_access_level

    person_set_access_level(person=child, level=Person.AccessLevel.RESTRICTED, reason="Risk", by=team_manager)
    client = client_for(social_worker)
    for tail in (f"plans/{plan.pk}/", f"plans/{plan.pk}/pdf/", f"plans/{plan.pk}/family-pdf/"):
        assert client.get(f"/children/{child.pk}/protection/{tail}").status_code == 403
    assert views_logged(child, AccessEvent.Action.PRINT) == 0


def test_another_councils_child_does_not_exist(other_la, social_worker):
    elsewhere = make_person(other_la)
    assert client_for(social_worker).get(f"/children/{elsewhere.pk}/protection/strategy/new/").status_code == 404


def _count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_plan_page_takes_the_same_queries_for_few_and_many_visits(child, social_worker, team_manager, chair):
    plan = plan_for(child, chair=chair, manager=team_manager, by=social_worker)
    client = client_for(social_worker)
    url = f"/children/{child.pk}/protection/plans/{plan.pk}/"
    services.cp_visit_record(plan=plan, visited_on=date(2025, 1, 16), child_seen=True, child_seen_alone=False,
                             by=social_worker)
    client.get(url)
    few = _count_queries(client, url)
    for day in range(17, 31):
        services.cp_visit_record(plan=plan, visited_on=date(2025, 1, day), child_seen=True, child_seen_alone=True,
                                 by=social_worker)
        services.core_group_record(plan=plan, held_on=date(2025, 1, day), by=social_worker)
    services.conference_record(kind="review", child=child, held_on=date(2025, 4, 4), chair=chair,
                               outcome="plan_continues", by=social_worker)
    assert _count_queries(client, url) == few
