"""The registers under impossible data: refused beside the field, with everything typed kept."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase

from hearth.education import services
from hearth.education.models import CMECase, CMEEnquiry, EHEVisit
from tests.conftest import client_for
from tests.factories import make_la, make_person
from tests.workspace.bad_input_helpers import (
    assert_error_beside,
    assert_kept,
    checked,
    date_fields,
    summary_top,
    text,
    walk,
)

from .factories import cme_for, ehe_for, make_officer

pytestmark = pytest.mark.django_db
TOMORROW = timezone.localdate() + timedelta(days=1)


def _cme_post(day: date, **extra: object) -> dict[str, object]:
    return {**date_fields("notified_on", day), "notified_by": "school", "notified_by_name": "Hillside Primary",
            "reason": "moved_away", "last_known_school": "Hillside Primary",
            "last_known_address": "14 Orchard Close, Nottingham", "reason_detail": "Neighbours say they left",
            **extra}


def test_a_future_notification_is_refused_beside_the_date_with_the_typing_kept(officer, child):
    response = client_for(officer).post(f"/education/children/{child.pk}/missing-education/new/",
                                        _cme_post(TOMORROW))
    assert_error_beside(response, "notified_on", "must be today or in the past", date_field=True)
    assert_kept(response, "Hillside Primary", "14 Orchard Close, Nottingham", "Neighbours say they left")
    assert checked(response, "reason", "moved_away") and checked(response, "notified_by", "school")
    assert not CMECase.objects.exists()


def test_a_second_open_case_of_the_same_kind_is_refused_with_the_typing_kept(officer, child):
    cme_for(child, officer, on=date(2026, 3, 2))
    response = client_for(officer).post(f"/education/children/{child.pk}/missing-education/new/",
                                        _cme_post(date(2026, 4, 1)))
    assert response.status_code == 200
    assert any("already on the children missing education register (since 2 March 2026)" in line
               for line in summary_top(text(response)))
    assert_kept(response, "14 Orchard Close, Nottingham")
    assert CMECase.objects.count() == 1
    ehe_for(child, officer)
    with pytest.raises(ValidationError, match="already on the elective home education register"):
        ehe_for(child, officer)


def test_a_notification_before_the_child_was_born_or_outside_school_age_is_refused(la, officer):
    baby = make_person(la, date_of_birth=date(2024, 1, 1))
    with pytest.raises(ValidationError) as refused:
        cme_for(baby, officer, on=date(2023, 6, 1))
    assert "before" in refused.value.message_dict["notified_on"][0]
    with pytest.raises(ValidationError, match="registers are for children of school age"):
        cme_for(baby, officer, on=date(2026, 3, 2))
    adult = make_person(la, date_of_birth=date(2005, 1, 1))
    with pytest.raises(ValidationError, match="compulsory school age"):
        ehe_for(adult, officer, on=date(2026, 3, 2))
    unborn = make_person(la, date_of_birth=None, expected_date_of_birth=date(2027, 1, 1))
    with pytest.raises(ValidationError, match="not born yet"):
        cme_for(unborn, officer)


def test_an_enquiry_before_the_notification_is_refused_beside_its_date(officer, child):
    case = cme_for(child, officer, on=date(2026, 3, 2))
    response = client_for(officer).post(f"/education/missing-education/{case.pk}/enquiries/new/", {
        **date_fields("made_on", date(2026, 2, 27)), "agency": "housing", "agency_name": "City Homes",
        "found": "Tenancy ended in February"})
    assert_error_beside(response, "made_on", "cannot be before we were told the child was missing education "
                                             "(2 March 2026)", date_field=True)
    assert_kept(response, "City Homes", "Tenancy ended in February")
    assert checked(response, "agency", "housing")
    assert not CMEEnquiry.objects.exists()


def test_an_outcome_before_the_notification_is_refused_beside_its_date(officer, child):
    case = cme_for(child, officer, on=date(2026, 3, 2))
    response = client_for(officer).post(f"/education/missing-education/{case.pk}/outcome/", {
        **date_fields("outcome_on", date(2026, 3, 1)), "outcome": "passed_on", "outcome_detail": "Derby City",
        "close": "yes", "version": case.version})
    assert_error_beside(response, "outcome_on", "cannot be before we were told", date_field=True)
    assert_kept(response, "Derby City")
    case.refresh_from_db()
    assert case.outcome == "" and case.is_open


def test_an_outcome_passed_on_needs_the_council_and_a_future_outcome_is_refused(officer, child):
    case = cme_for(child, officer, on=date(2026, 3, 2))
    client = client_for(officer)
    response = client.post(f"/education/missing-education/{case.pk}/outcome/", {
        **date_fields("outcome_on", date(2026, 3, 5)), "outcome": "passed_on", "close": "yes",
        "version": case.version})
    assert_error_beside(response, "outcome_detail", "Enter which council")
    response = client.post(f"/education/missing-education/{case.pk}/outcome/", {
        **date_fields("outcome_on", TOMORROW), "outcome": "abroad", "close": "yes", "version": case.version})
    assert_error_beside(response, "outcome_on", "must be today or in the past", date_field=True)


def test_closing_before_the_outcome_or_the_last_enquiry_is_refused(officer, child):
    case = cme_for(child, officer, on=date(2026, 3, 2))
    services.cme_enquiry_record(case=case, made_on=date(2026, 3, 10), agency="school", found="Not here", by=officer)
    with pytest.raises(ValidationError) as refused:
        services.cme_outcome_record(case=case, outcome="abroad", outcome_on=date(2026, 3, 5), by=officer)
    assert "before the last enquiry (10 March 2026)" in refused.value.message_dict["outcome_on"][0]
    case.refresh_from_db()
    services.cme_outcome_record(case=case, outcome="abroad", outcome_on=date(2026, 3, 5), close=False, by=officer)
    case.refresh_from_db()
    response = client_for(officer).post(f"/education/missing-education/{case.pk}/close/", {
        **date_fields("closed_on", date(2026, 3, 4)), "version": case.version})
    assert_error_beside(response, "closed_on", "cannot close before its outcome (5 March 2026)", date_field=True)
    with pytest.raises(ValidationError, match="before the last enquiry"):
        services.cme_case_close(case=case, closed_on=date(2026, 3, 6), by=officer)


def test_closing_a_case_with_no_outcome_is_refused(officer, child):
    case = cme_for(child, officer)
    with pytest.raises(ValidationError, match="Record the outcome before closing"):
        services.cme_case_close(case=case, closed_on=date(2026, 3, 10), by=officer)
    response = client_for(officer).get(f"/education/missing-education/{case.pk}/close/")
    assert response.status_code == 302 and response["Location"].endswith("/outcome/")


def test_ending_home_education_before_it_started_or_before_the_last_contact_is_refused(officer, child):
    case = ehe_for(child, officer, on=date(2026, 3, 2))
    client = client_for(officer)
    response = client.post(f"/education/home-education/{case.pk}/end/", {
        **date_fields("ended_on", date(2026, 3, 1)), "reason": "other", "detail": "Moved to Spain",
        "version": case.version})
    assert_error_beside(response, "ended_on", "cannot be before we were told about the home education",
                        date_field=True)
    assert_kept(response, "Moved to Spain")
    services.ehe_visit_record(case=case, happened_on=date(2026, 4, 1), kind="home_visit", notes="Visit",
                              by=officer)
    with pytest.raises(ValidationError, match="before the last contact"):
        services.ehe_case_end(case=case, ended_on=date(2026, 3, 20), reason="moved_away", by=officer)


def test_a_contact_before_the_notification_or_the_child_seen_in_writing_is_refused(officer, child):
    case = ehe_for(child, officer, on=date(2026, 3, 2))
    response = client_for(officer).post(f"/education/home-education/{case.pk}/contacts/new/", {
        **date_fields("happened_on", date(2026, 3, 20)), "kind": "written_evidence", "child_seen": "yes",
        "notes": "A folder of work"})
    assert_error_beside(response, "child_seen", "cannot have been seen")
    assert_kept(response, "A folder of work")
    with pytest.raises(ValidationError, match="cannot be before we were told"):
        services.ehe_visit_record(case=case, happened_on=date(2026, 3, 1), kind="home_visit", notes="x", by=officer)
    assert not EHEVisit.objects.exists()


def test_reaching_16_is_refused_for_a_younger_child_and_reasons_cannot_contradict(la, officer):
    child = make_person(la, date_of_birth=date(2015, 3, 27))
    case = ehe_for(child, officer)
    with pytest.raises(ValidationError, match="was 10 on that date, not 16"):
        services.ehe_case_end(case=case, ended_on=date(2026, 3, 5), reason="sixteen", by=officer)
    other = make_person(la)
    with pytest.raises(ValidationError, match="not both"):
        ehe_for(other, officer, reasons=["not_given", "bullying"])
    with pytest.raises(ValidationError, match="Choose the parents' reasons"):
        ehe_for(other, officer, reasons=[])


def test_a_stale_outcome_is_refused_with_the_typing_kept(officer, child):
    case = cme_for(child, officer, on=date(2026, 3, 2))
    version = case.version
    services.cme_enquiry_record(case=case, made_on=date(2026, 3, 3), agency="school", found="x", by=officer)
    response = client_for(officer).post(f"/education/missing-education/{case.pk}/outcome/", {
        **date_fields("outcome_on", date(2026, 3, 5)), "outcome": "other", "outcome_detail": "Found at a relative's",
        "close": "no", "version": version})
    assert response.status_code == 200
    assert any("Someone else saved changes" in line for line in summary_top(text(response)))
    assert_kept(response, "Found at a relative's")
    # Saving again applies it over the current record.
    response = client_for(officer).post(f"/education/missing-education/{case.pk}/outcome/", {
        **date_fields("outcome_on", date(2026, 3, 5)), "outcome": "other", "outcome_detail": "Found at a relative's",
        "close": "no", "version": version + 1})
    assert response.status_code == 302


def test_junk_in_any_field_never_gives_a_server_error(officer, child):
    cme = cme_for(child, officer, on=date(2026, 3, 2))
    ehe = ehe_for(child, officer, on=date(2026, 3, 2))
    client = client_for(officer)
    forms = [
        (f"/education/children/{make_person(child.local_authority).pk}/missing-education/new/",
         _cme_post(date(2026, 3, 2)), ("notified_on", "review_on")),
        (f"/education/missing-education/{cme.pk}/enquiries/new/",
         {**date_fields("made_on", date(2026, 3, 3)), "agency": "school", "found": "x"}, ("made_on", "review_on")),
        (f"/education/missing-education/{cme.pk}/outcome/",
         {**date_fields("outcome_on", date(2026, 3, 3)), "outcome": "abroad", "close": "no", "version": "1"},
         ("outcome_on",)),
        (f"/education/home-education/{ehe.pk}/contacts/new/",
         {**date_fields("happened_on", date(2026, 3, 3)), "kind": "declined", "child_seen": "no", "notes": "x"},
         ("happened_on", "review_on")),
        (f"/education/home-education/{ehe.pk}/suitability/",
         {**date_fields("decided_on", date(2026, 3, 3)), "suitability": "sao", "detail": "x", "version": "1"},
         ("decided_on",)),
    ]
    for url, base, dates in forms:
        assert walk(client, url, {k: v for k, v in base.items() if k != "version"} | {"version": "999"},
                    dates=dates) == [], url


class ReviewDateProperty(HypothesisTestCase):
    """For any notification and any later enquiry, the review is never before the step that set it."""

    @settings(max_examples=25, deadline=None)
    @given(st.dates(min_value=date(2025, 1, 1), max_value=date(2026, 11, 1)), st.integers(0, 60))
    def test_review_is_never_before_the_step(self, notified: date, gap: int) -> None:
        la = make_la()
        officer = make_officer(la)
        child = make_person(la, date_of_birth=date(2014, 1, 1))
        case = cme_for(child, officer, on=notified)
        assert case.review_on is not None and case.review_on > notified
        made = min(notified + timedelta(days=gap), timezone.localdate())
        services.cme_enquiry_record(case=case, made_on=made, agency="school", found="x", by=officer)
        case.refresh_from_db()
        assert case.review_on is not None and case.review_on > made
