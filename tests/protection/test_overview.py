"""The child protection part of the social care page, and the merge check's hook."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext

from hearth.matching.services import MergeRefused, person_merge
from hearth.protection import services
from hearth.protection.selectors import open_cp_plan_start, protection_overview
from tests.factories import make_person

from .factories import discuss, open_episode, oversee_end, plan_for


def rendered(child) -> tuple[str, int]:
    with CaptureQueriesContext(connection) as queries:
        html = render_to_string("protection/_overview.html",
                                {"protection": protection_overview(child=child), "person": child})
    return html, len(queries)


def test_the_overview_shows_the_open_plan_and_what_is_due(child, social_worker, team_manager, chair):
    plan = plan_for(child, chair=chair, manager=team_manager, by=social_worker)
    services.cp_visit_record(plan=plan, visited_on=date(2025, 1, 17), child_seen=True, child_seen_alone=True,
                             by=social_worker)
    html, _ = rendered(child)
    assert "On a child protection plan since 15 January 2025" in html
    assert "Next review conference" in html and "Due by 15 April 2025" in html
    assert "17 January 2025, seen alone" in html
    assert f"/children/{child.pk}/protection/plans/{plan.pk}/" in html
    assert "Second or subsequent plan" not in html
    assert "Initial child protection conference" in html and "Strategy discussion" in html


def test_the_overview_offers_the_next_step(child, social_worker):
    html, _ = rendered(child)
    assert "Record a strategy discussion" in html and "moved here on another council" in html
    open_episode(child)
    enquiry = discuss(child, date(2024, 12, 20), social_worker).s47_enquiries.get()
    html, _ = rendered(child)
    assert f"/protection/s47/{enquiry.pk}/" in html and "Section 47 enquiry open since 20 December 2024" in html


def test_the_overview_takes_a_fixed_number_of_queries(la, social_worker, team_manager, chair):
    few_child = make_person(la)
    plan_for(few_child, chair=chair, manager=team_manager, by=social_worker)
    _, few = rendered(few_child)
    many_child = make_person(la)
    plan = plan_for(many_child, chair=chair, manager=team_manager, by=social_worker)
    for day in range(16, 31):
        services.cp_visit_record(plan=plan, visited_on=date(2025, 1, day), child_seen=True, child_seen_alone=False,
                                 by=social_worker)
        services.core_group_record(plan=plan, held_on=date(2025, 1, day), by=social_worker)
    for month, review_day in ((3, 10), (4, 10), (5, 12)):
        discuss(many_child, date(2025, month, 3), social_worker, decision="assessment")
        services.conference_record(kind="review", child=many_child, held_on=date(2025, month, review_day), chair=chair,
                                   outcome="plan_continues", by=social_worker)
    html, many = rendered(many_child)
    assert "3 March 2025" in html or "3 Mar 2025" in html
    assert few <= 9 and many == few


def test_open_cp_plan_start_is_the_open_plans_start(child, social_worker, team_manager, chair):
    assert open_cp_plan_start(child) is None
    plan = plan_for(child, chair=chair, manager=team_manager, by=social_worker)
    assert open_cp_plan_start(child) == date(2025, 1, 15)
    oversee_end(plan, team_manager)
    services.cp_plan_end(plan=plan, ended_on=date(2025, 2, 3), reason="step_down_cin", by=social_worker)
    assert open_cp_plan_start(child) is None


def test_merging_two_records_with_plans_started_on_different_days_is_refused(la, social_worker, team_manager, chair):
    first, second = make_person(la), make_person(la)
    plan_for(first, chair=chair, manager=team_manager, by=social_worker)
    plan_for(second, chair=chair, manager=team_manager, by=social_worker, referral_on=date(2025, 2, 3),
             discussed_on=date(2025, 2, 5), completed_on=date(2025, 2, 14), icpc_on=date(2025, 2, 21))
    with pytest.raises(MergeRefused, match="open child protection plan, started on different dates"):
        person_merge(survivor=first, merged=second, by=team_manager, reason="Same child")
