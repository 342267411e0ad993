"""The In care tab and its forms through the test client: what is shown, what is refused, what is kept."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from hearth.access.models import AccessEvent
from hearth.care.models import PeriodOfCare, Placement
from tests.conftest import client_for

from .factories import HOME, start_care

START = date(2024, 5, 1)


def date_fields(name: str, day: date) -> dict[str, str]:
    return {f"{name}_0": str(day.day), f"{name}_1": str(day.month), f"{name}_2": str(day.year)}


def start_form(**overrides: Any) -> dict[str, str]:
    data = {**date_fields("started_on", START), "legal_status": "C1", "category_of_need": "N1",
            "referral_source": "6", "placement_type": "U6", "provider": "PR1", "carer_name": "Ash household",
            "urn": "SC123456", "postcode": "ng7 2aa", "distance_miles": "4.5", "previous_permanence": "Z1"}
    data.update(overrides)
    return data


def test_a_child_not_in_care_is_offered_a_start_and_the_page_is_logged(child, social_worker):
    client = client_for(social_worker)
    response = client.get(f"/children/{child.pk}/care/")
    assert response.status_code == 200
    assert "is not looked after now" in response.content.decode()
    assert f"/children/{child.pk}/care/start/" in response.content.decode()
    assert AccessEvent.objects.filter(person=child, user=social_worker, action=AccessEvent.Action.VIEW).count() == 1


def test_starting_care_through_the_form_then_the_record_shows_the_episode(child, social_worker):
    client = client_for(social_worker)
    response = client.post(f"/children/{child.pk}/care/start/", start_form())
    assert response.status_code == 302, response.content.decode()[:3000]
    period = PeriodOfCare.objects.get(child=child)
    assert period.placements.get().postcode == "NG7 2AA"
    page = client.get(f"/children/{child.pk}/care/").content.decode()
    assert "Looked after since 1 May 2024" in page
    assert "C1: interim care order" in page
    assert "Episodes as the children looked after return" in page
    assert "Ash household" in page


def test_bad_input_keeps_everything_typed_and_says_what_is_wrong_beside_each_field(child, social_worker):
    client = client_for(social_worker)
    response = client.post(f"/children/{child.pk}/care/start/", start_form(
        started_on_2="2099", provider="", urn="SC12", postcode="nowhere", carer_name="Typed carer name",
        distance_miles="4.5"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "must be today or in the past" in page
    assert "Typed carer name" in page and 'value="nowhere"' in page and 'value="SC12"' in page
    assert not PeriodOfCare.objects.exists()
    # A refusal by the service (not the form) is shown beside its field with the typing kept too.
    response = client.post(f"/children/{child.pk}/care/start/", start_form(urn="SC12", carer_name="Kept"))
    page = response.content.decode()
    assert "Enter the Ofsted URN" in page and 'id="id_urn-error"' in page and "Kept" in page


def test_the_referral_source_is_only_asked_when_there_is_no_open_referral(child, social_worker):
    from hearth.cin.services import cin_episode_open

    client = client_for(social_worker)
    assert 'name="referral_source"' in client.get(f"/children/{child.pk}/care/start/").content.decode()
    cin_episode_open(child=child, referral_date=date(2024, 1, 1), referral_source="2A", by="test")
    assert 'name="referral_source"' not in client.get(f"/children/{child.pk}/care/start/").content.decode()


def test_change_of_placement_through_the_form(child, social_worker):
    period = start_care(child)
    client = client_for(social_worker)
    response = client.post(f"/children/{child.pk}/care/placement/change/", {
        **date_fields("started_on", START + timedelta(days=10)), "reason_for_change": "CARPL",
        "same_carer_as_previous": "no", **HOME})
    assert response.status_code == 302
    assert Placement.objects.filter(period=period).count() == 2
    page = client.get(f"/children/{child.pk}/care/").content.decode()
    assert "Change to or implementation of the care plan" in page


def test_a_placement_ending_before_it_starts_is_refused_on_the_form(child, social_worker):
    start_care(child)
    client = client_for(social_worker)
    response = client.post(f"/children/{child.pk}/care/placement/change/", {
        **date_fields("started_on", START - timedelta(days=10)), "reason_for_change": "CARPL",
        "same_carer_as_previous": "no", **HOME, "carer_name": "Typed home"})
    page = response.content.decode()
    assert response.status_code == 200 and "The move must be after" in page and "Typed home" in page


def test_same_day_change_of_both_through_the_form_is_one_u_episode(child, social_worker):
    start_care(child, legal_status="C1")
    client = client_for(social_worker)
    response = client.post(f"/children/{child.pk}/care/legal-status-and-placement/change/", {
        **date_fields("started_on", START + timedelta(days=30)), "legal_status": "C2",
        "reason_for_change": "PLACE", "same_carer_as_previous": "yes", "placement_type": "U4", "provider": "PR1",
        "carer_name": "Ash household", "urn": "SC123456", "postcode": "NG7 2AA"})
    assert response.status_code == 302
    page = client.get(f"/children/{child.pk}/care/").content.decode()
    assert '<td class="govuk-table__cell">U</td>' in page


def test_a_stale_correction_is_refused_with_the_typing_kept_and_saving_again_works(child, social_worker):
    period = start_care(child)
    placement = period.placements.get()
    client = client_for(social_worker)
    url = f"/children/{child.pk}/care/placements/{placement.pk}/correct/"
    form = {"version": str(placement.version), "placement_type": "U6", "provider": "PR1", "urn": "SC123456",
            "postcode": "NG7 2AA", "carer_name": "First edit"}
    assert client.post(url, form).status_code == 302
    response = client.post(url, {**form, "carer_name": "Second edit from an old page"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Someone else saved changes" in page and "Second edit from an old page" in page
    placement.refresh_from_db()
    assert placement.carer_name == "First edit"
    # The re-shown form carries the current version: saving again applies it.
    assert f'name="version" value="{placement.version}"' in page
    assert client.post(url, {**form, "carer_name": "Second edit from an old page",
                             "version": str(placement.version)}).status_code == 302


def test_ending_care_through_the_form(child, social_worker):
    period = start_care(child)
    client = client_for(social_worker)
    response = client.post(f"/children/{child.pk}/care/end/", {
        **date_fields("ended_on", START + timedelta(days=50)), "reason_ceased": "E4A", "version": str(period.version)})
    assert response.status_code == 302
    period.refresh_from_db()
    assert period.reason_ceased == "E4A"
    page = client.get(f"/children/{child.pk}/care/").content.decode()
    assert "Period of care from 1 May 2024 to 20 June 2024" in page


@pytest.mark.parametrize("path", ["placement/change/", "legal-status/change/", "end/", "deprivation-of-liberty/new/",
                                  "adoption/new/"])
def test_changes_for_a_child_not_in_care_go_back_to_the_record(child, social_worker, path):
    response = client_for(social_worker).get(f"/children/{child.pk}/care/{path}")
    assert response.status_code == 302 and response["Location"] == f"/children/{child.pk}/care/"


def test_every_form_page_renders(child, social_worker):
    period = start_care(child)
    placement = period.placements.get()
    client = client_for(social_worker)
    for path in ("placement/change/", "legal-status/change/", "legal-status-and-placement/change/", "end/",
                 f"placements/{placement.pk}/correct/", f"periods/{period.pk}/details/",
                 "deprivation-of-liberty/new/", "adoption/new/"):
        assert client.get(f"/children/{child.pk}/care/{path}").status_code == 200, path


def test_the_care_record_takes_the_same_queries_however_long_the_history(child, social_worker):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from hearth.care import services

    period = start_care(child, on=date(2022, 1, 10))
    client = client_for(social_worker)
    client.get(f"/children/{child.pk}/care/")
    with CaptureQueriesContext(connection) as few:
        client.get(f"/children/{child.pk}/care/")
    for i in range(4):
        services.placement_change(period=period, started_on=date(2022, 3, 1) + timedelta(days=40 * i),
                                  reason_for_change="CARPL", by="test", **{**HOME, "carer_name": f"Home {i}"})
    services.legal_status_change(period=period, legal_status="C2", started_on=date(2022, 9, 1), by="test")
    services.dolo_start(period=period, started_on=date(2022, 9, 2), by="test")
    services.adoption_plan_save(period=period, decided_on=date(2022, 9, 3), by="test")
    services.adoption_plan_save(period=period, plan=period.adoption_plans.get(), decided_on=date(2022, 9, 3),
                                reversed_on=date(2022, 10, 1), reversal_reason="RD1", by="test")
    services.period_of_care_end(period=period, ended_on=date(2023, 1, 1), reason_ceased="E4A", by="test")
    start_care(child, on=date(2024, 2, 1), referral_source=None, legal_status="L2")
    with CaptureQueriesContext(connection) as many:
        page = client.get(f"/children/{child.pk}/care/").content.decode()
    assert len(many.captured_queries) == len(few.captured_queries)
    assert page.count("Period of care from") == 2
