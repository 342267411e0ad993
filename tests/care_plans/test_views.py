"""The care plan page and its forms: access checked and logged, refusals beside the field with the typing kept."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hearth.access.models import AccessEvent
from hearth.care_plans import services
from hearth.care_plans.models import CarePlan, LookedAfterReview, OC2Outcome
from hearth.clocks.models import Clock
from tests.conftest import client_for
from tests.factories import make_person

from .factories import bring_into_care, clock

START = date(2026, 9, 1)  # a Tuesday; every date below is in the past


def date_fields(name: str, day: date) -> dict[str, str]:
    return {f"{name}_0": str(day.day), f"{name}_1": str(day.month), f"{name}_2": str(day.year)}


def url(child, tail: str = "") -> str:
    return f"/children/{child.pk}/care-plan/{tail}"


def views_logged(child) -> int:
    return AccessEvent.objects.filter(person=child, action=AccessEvent.Action.VIEW).count()


@pytest.fixture
def period(child):
    return bring_into_care(child, START)


def test_the_page_shows_what_is_due_and_logs_the_view(child, period, social_worker):
    page = client_for(social_worker).get(url(child))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Care plan, reviews and visits" in html
    assert "First looked-after review" in html and "Due by 29 September 2026" in html
    assert 'aria-current="page"' in html or "hearth-record-nav" in html
    assert views_logged(child) == 1


def test_a_child_never_in_care(la, social_worker):
    child = make_person(la)
    page = client_for(social_worker).get(url(child))
    assert page.status_code == 200 and b"has not been looked after" in page.content


def test_recording_the_first_review_stops_the_clock_and_says_when_the_next_is_due(child, period, iro, social_worker):
    services.iro_allocate(period=period, iro=iro, started_on=START, by=social_worker)
    client = client_for(iro)
    form = client.get(url(child, "reviews/new/"))
    assert form.status_code == 200
    assert f'<option value="{iro.pk}" selected>'.encode() in form.content  # the allocated IRO chairs
    response = client.post(url(child, "reviews/new/"), {
        **date_fields("held_on", date(2026, 9, 29)), "chair": iro.pk, "participation": "PN1",
        "recommendations": "Keep weekly contact with her brother", "statutory": "yes"}, follow=True)
    assert response.redirect_chain[-1][0] == url(child)
    assert b"The next review is due by 29 December 2026" in response.content
    assert clock(child, "cla_review_first").status == Clock.Status.MET


def test_a_review_before_care_is_refused_beside_the_date_with_the_typing_kept(child, period, iro):
    response = client_for(iro).post(url(child, "reviews/new/"), {
        **date_fields("held_on", date(2026, 8, 20)), "chair": iro.pk, "participation": "PN1",
        "recommendations": "Return home plan to be explored", "statutory": "yes"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html and 'id="id_held_on-error"' in html
    assert "cannot be before Riley came into care on 1 September 2026" in html
    assert "Return home plan to be explored" in html and 'value="20"' in html
    assert not LookedAfterReview.objects.exists()


def test_pn0_for_a_child_of_four_or_over_is_refused_beside_participation(child, period, iro):
    response = client_for(iro).post(url(child, "reviews/new/"), {
        **date_fields("held_on", date(2026, 9, 20)), "chair": iro.pk, "participation": "PN0",
        "recommendations": "Carry on", "statutory": "yes"})
    html = response.content.decode()
    assert 'id="id_participation-error"' in html and "PN0 is for a child under 4" in html
    assert 'value="PN0" checked' in html


def test_a_visit_where_the_child_was_not_seen_warns_that_the_clock_runs_on(child, period, social_worker):
    response = client_for(social_worker).post(url(child, "visits/new/"), {
        **date_fields("visited_on", date(2026, 9, 5)), "seen": "no", "seen_alone": "no",
        "notes": "Nobody home"}, follow=True)
    assert b"does not count as a statutory visit" in response.content
    assert clock(child, "cla_visit_first").status == Clock.Status.OPEN


def test_an_sdq_with_a_score_and_a_reason_or_out_of_range_is_refused(child, period, social_worker):
    client = client_for(social_worker)
    both = client.post(url(child, "sdq/new/"), {**date_fields("completed_on", date(2026, 9, 10)), "score": "12",
                                               "reason": "SDQ2"})
    assert b"not both" in both.content and b'value="12"' in both.content
    high = client.post(url(child, "sdq/new/"), {**date_fields("completed_on", date(2026, 9, 10)), "score": "41",
                                               "reason": ""})
    assert b"between 0 and 40" in high.content and b'value="41"' in high.content


def test_a_future_visit_date_is_refused_by_the_form(child, period, social_worker):
    response = client_for(social_worker).post(url(child, "visits/new/"), {
        **date_fields("visited_on", date(2099, 1, 1)), "seen": "yes", "seen_alone": "yes", "notes": "Planned"})
    assert b"must be today or in the past" in response.content and b"Planned" in response.content


def test_a_care_plan_change_over_someone_elses_is_refused_with_the_typing_kept(child, period, social_worker,
                                                                               team_manager):
    plan = services.care_plan_record(period=period, permanence_plan="return_home", summary="Home",
                                     agreed_on=date(2026, 9, 10), by=social_worker)
    client = client_for(social_worker)
    assert b'name="plan" value="1"' in client.get(url(child, "plan/")).content
    # The manager changes the plan while the social worker's page is open.
    services.care_plan_record(period=period, permanence_plan="adoption", summary="Adoption by the Carters",
                              agreed_on=date(2026, 10, 1), replaces=plan, by=team_manager)
    typed = {"permanence_plan": "sgo_cao", "summary": "SGO to the grandmother", "needs": "",
             **date_fields("agreed_on", date(2026, 10, 5)), "version": str(plan.version), "plan": "1"}
    response = client.post(url(child, "plan/"), typed)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Someone else saved changes" in html and "Version 2 of the care plan" in html
    assert "SGO to the grandmother" in html and 'name="plan" value="2"' in html
    assert CarePlan.objects.filter(period=period).count() == 2
    # Saving again, having seen the current plan, applies the change over it.
    current = CarePlan.objects.get(is_current=True)
    again = client.post(url(child, "plan/"), {**typed, "plan": "2", "version": str(current.version)})
    assert again.status_code == 302
    assert CarePlan.objects.get(is_current=True).summary == "SGO to the grandmother"


def test_recording_and_changing_the_care_plan(child, period, social_worker):
    client = client_for(social_worker)
    client.post(url(child, "plan/"), {"permanence_plan": "return_home", "summary": "Home with support",
                                      "needs": "", **date_fields("agreed_on", date(2026, 9, 10))})
    plan = CarePlan.objects.get()
    assert clock(child, "care_plan").status == Clock.Status.MET
    form = client.get(url(child, "plan/"))
    assert b"Home with support" in form.content and f'value="{plan.version}"'.encode() in form.content
    client.post(url(child, "plan/"), {"permanence_plan": "long_term_fostering", "summary": "Stay with carers",
                                      "needs": "", "version": str(plan.version), "plan": "1",
                                      **date_fields("agreed_on", date(2026, 10, 1))})
    assert list(CarePlan.objects.order_by("number").values_list("number", "is_current")) == [(1, False), (2, True)]
    page = client.get(url(child))
    assert b"Long-term fostering" in page.content and b"Earlier versions of the care plan" in page.content


def test_a_review_sent_twice_is_saved_once(child, period, iro):
    data = {**date_fields("held_on", date(2026, 9, 20)), "chair": iro.pk, "participation": "PN1",
            "recommendations": "", "statutory": "yes", "submission_token": "a" * 32}
    client = client_for(iro)
    client.post(url(child, "reviews/new/"), data)
    second = client.post(url(child, "reviews/new/"), data, follow=True)
    assert LookedAfterReview.objects.count() == 1 and b"already saved" in second.content


def test_every_form_page_opens_and_logs_a_view(child, period, social_worker):
    placement = period.placements.get()
    client = client_for(social_worker)
    for tail in ("iro/", "plan/", f"placements/{placement.pk}/plan/", "reviews/new/", "visits/new/", "health/new/",
                 "dental/new/", "immunisations/new/", "sdq/new/", "pep/new/"):
        before = views_logged(child)
        assert client.get(url(child, tail)).status_code == 200, tail
        assert views_logged(child) == before + 1, tail


def test_health_education_and_oc2_forms_save(child, social_worker):
    period = bring_into_care(child, date(2025, 3, 1))
    client = client_for(social_worker)
    for tail, data in [
        ("health/new/", {"kind": "initial", **date_fields("done_on", date(2025, 3, 20)), "done_by": "Dr Shah"}),
        ("dental/new/", {**date_fields("checked_on", date(2025, 6, 1))}),
        ("immunisations/new/", {**date_fields("checked_on", date(2025, 6, 1)), "up_to_date": "yes"}),
        ("sdq/new/", {**date_fields("completed_on", date(2025, 6, 1)), "score": "9", "reason": ""}),
        ("pep/new/", {"kind": "initial", **date_fields("held_on", date(2025, 3, 12)), "school": "Bluecoat"}),
        ("oc2/2026/", {"version": "0", "convicted": "no", "substance_misuse": "yes",
                       "intervention_received": "no", "intervention_offered": "yes"}),
    ]:
        response = client.post(url(child, tail), data)
        assert response.status_code == 302, (tail, response.content.decode()[:3000])
    outcome = OC2Outcome.objects.get()
    assert (outcome.year, outcome.intervention_offered) == (2026, True)
    page = client.get(url(child))
    assert b"Dr Shah" in page.content and b"Bluecoat" in page.content
    assert period.health_assessments.count() == 1


def test_oc2_substance_rules_are_shown_beside_the_field(child, social_worker):
    bring_into_care(child, date(2025, 3, 1))
    response = client_for(social_worker).post(url(child, "oc2/2026/"), {
        "version": "0", "convicted": "no", "substance_misuse": "no", "intervention_received": "yes",
        "intervention_offered": ""})
    html = response.content.decode()
    assert 'id="id_intervention_received-error"' in html and "193" in html
    assert not OC2Outcome.objects.exists()


def test_oc2_does_not_ask_about_convictions_under_10(la, social_worker):
    nine = make_person(la, first_name="Nine", date_of_birth=date(2016, 6, 1))  # 9 on 31 March 2026
    bring_into_care(nine, date(2025, 3, 1))
    client = client_for(social_worker)
    assert b'name="convicted"' not in client.get(url(nine, "oc2/2026/")).content
    response = client.post(url(nine, "oc2/2026/"), {"version": "0", "substance_misuse": "no",
                                                    "intervention_received": "", "intervention_offered": ""})
    assert response.status_code == 302
    assert OC2Outcome.objects.get(child=nine).convicted is False


def test_the_oc2_list_reads_a_fixed_number_of_queries(la, social_worker):
    client = client_for(social_worker)
    for i in range(2):
        bring_into_care(make_person(la, first_name=f"Few{i}"), date(2025, 3, 1))
    with CaptureQueriesContext(connection) as few:
        page = client.get("/children-in-care/outcomes/?year=2026")
    assert page.status_code == 200 and b"Few0" in page.content
    for i in range(6):
        bring_into_care(make_person(la, first_name=f"Many{i}"), date(2025, 3, 1))
    with CaptureQueriesContext(connection) as many:
        page = client.get("/children-in-care/outcomes/?year=2026")
    assert b"Many5" in page.content and b"8 children" in page.content
    assert len(many) == len(few)
