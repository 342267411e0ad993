"""The registers pages: who reaches them, what they show, and the journeys through them."""

from __future__ import annotations

from datetime import date

import pytest

from hearth.access.models import AccessEvent
from hearth.accounts.roles import Role
from hearth.education.models import CMECase, CMEEnquiry, EHECase, EHEVisit
from tests.conftest import client_for
from tests.factories import make_person, make_user
from tests.workspace.bad_input_helpers import date_fields, text, token_from

from .factories import cme_for, ehe_for, in_need

pytestmark = pytest.mark.django_db


def test_the_registers_list_both_registers_with_days_latest_step_and_filters(la, officer):
    found = make_person(la, first_name="Found", last_name="Later")
    missing = make_person(la, first_name="Still", last_name="Missing")
    home = make_person(la, first_name="Home", last_name="Taught")
    closed = cme_for(found, officer, on=date(2026, 3, 2))
    from hearth.education import services

    services.cme_outcome_record(case=closed, outcome="in_school_here", outcome_on=date(2026, 3, 5), by=officer)
    case = cme_for(missing, officer, on=date(2026, 11, 2))
    services.cme_enquiry_record(case=case, made_on=date(2026, 11, 3), agency="police", found="No trace",
                                by=officer)
    in_need(home)
    ehe = ehe_for(home, officer, on=date(2026, 10, 1))
    services.ehe_visit_record(case=ehe, happened_on=date(2026, 10, 20), kind="declined", notes="Declined",
                              by=officer)
    client = client_for(officer)
    body = text(client.get("/education/"))
    assert "Still Missing" in body and "Home Taught" in body and "Found Later" not in body
    assert "3 Nov 2026" in body and "Police" in body and "The family declined a visit or meeting" in body
    assert "Child in need" in body
    body = text(client.get("/education/", {"status": "closed"}))
    assert "Found Later" in body and "Still Missing" not in body and "Found in school in this council" in body
    body = text(client.get("/education/", {"status": "open", "flagged": "on"}))
    assert "Home Taught" in body and "Still Missing" not in body


def test_days_on_the_register_are_shown(la, officer, child):
    from django.utils import timezone

    cme_for(child, officer, on=date(2026, 3, 2))
    days = (timezone.localdate() - date(2026, 3, 2)).days
    assert f'hearth-table__numeric">{days}</td>' in client_for(officer).get("/education/").content.decode()


@pytest.mark.parametrize("role", [Role.SOCIAL_WORKER, Role.SENIOR_PRACTITIONER, Role.TEAM_MANAGER,
                                  Role.SERVICE_MANAGER, Role.DIRECTOR])
def test_social_workers_and_managers_read_the_registers_but_do_not_work_them(la, team, officer, child, role):
    case = cme_for(child, officer)
    client = client_for(make_user(la, role, team))
    assert client.get("/education/").status_code == 200
    body = text(client.get(f"/education/missing-education/{case.pk}/"))
    assert "Casey Morgan" in body and "Record an enquiry" not in body
    for url in (f"/education/missing-education/{case.pk}/enquiries/new/",
                f"/education/missing-education/{case.pk}/outcome/",
                f"/education/children/{child.pk}/home-education/new/", "/education/find/?register=cme"):
        assert client.get(url).status_code == 403, url


@pytest.mark.parametrize("role", [Role.IRO, Role.PERSONAL_ADVISER, Role.MISSING_ADVOCATE, Role.FOSTERING_WORKER,
                                  Role.BUSINESS_SUPPORT, Role.PERFORMANCE_ANALYST, Role.SYSTEM_ADMIN,
                                  Role.PARTNER_REFERRER])
def test_other_roles_and_partners_never_reach_the_registers(la, officer, child, role):
    case = cme_for(child, officer)
    client = client_for(make_user(la, role))
    for url in ("/education/", f"/education/missing-education/{case.pk}/"):
        response = client.get(url)
        assert response.status_code == 403 and b"Casey" not in response.content, url
    assert not AccessEvent.objects.filter(person=child).exists()


def test_every_case_page_logs_a_view_of_the_childs_record(la, officer, child):
    cme = cme_for(child, officer)
    ehe = ehe_for(child, officer)
    client = client_for(officer)
    urls = [f"/education/missing-education/{cme.pk}/", f"/education/missing-education/{cme.pk}/enquiries/new/",
            f"/education/missing-education/{cme.pk}/outcome/", f"/education/home-education/{ehe.pk}/",
            f"/education/home-education/{ehe.pk}/change/", f"/education/home-education/{ehe.pk}/contacts/new/",
            f"/education/home-education/{ehe.pk}/suitability/", f"/education/home-education/{ehe.pk}/end/",
            f"/education/children/{child.pk}/missing-education/new/",
            f"/education/children/{child.pk}/home-education/new/"]
    for url in urls:
        before = AccessEvent.objects.filter(person=child, user=officer, action=AccessEvent.Action.VIEW).count()
        assert client.get(url).status_code == 200, url
        after = AccessEvent.objects.filter(person=child, user=officer, action=AccessEvent.Action.VIEW).count()
        assert after == before + 1, url


def test_find_the_child_then_add_them_to_the_cme_register(la, officer):
    child = make_person(la, first_name="Riley", last_name="Fenwick", date_of_birth=date(2014, 6, 1))
    client = client_for(officer)
    body = text(client.get("/education/find/", {"register": "cme", "first_name": "Riley", "last_name": "Fenwick"}))
    add_url = f"/education/children/{child.pk}/missing-education/new/"
    assert add_url in body and "Add a new record for the child" in body and "/children/new/" in body
    page = client.get(add_url)
    response = client.post(add_url, {
        **date_fields("notified_on", date(2026, 11, 2)), "notified_by": "school", "notified_by_name": "Hillside",
        "reason": "removed_from_roll", "last_known_school": "Hillside", "last_known_address": "2 Elm Road",
        "submission_token": token_from(page),
    })
    case = CMECase.objects.get(child=child)
    assert response.status_code == 302 and response["Location"] == f"/education/missing-education/{case.pk}/"
    # Found again, the child is shown as already on the register.
    body = text(client.get("/education/find/", {"register": "cme", "first_name": "Riley", "last_name": "Fenwick"}))
    assert "already on the register" in body and f"/education/missing-education/{case.pk}/" in body


def test_record_an_enquiry_then_an_outcome_of_home_education_then_open_the_ehe_case_in_one_click(la, officer,
                                                                                                 child):
    case = cme_for(child, officer, on=date(2026, 3, 2), last_known_school="Greenfield Academy")
    client = client_for(officer)
    url = f"/education/missing-education/{case.pk}/enquiries/new/"
    response = client.post(url, {**date_fields("made_on", date(2026, 3, 3)), "agency": "home_visit",
                                 "found": "Mother says she teaches him at home", "submission_token": "a" * 32})
    assert response.status_code == 302 and CMEEnquiry.objects.filter(case=case).count() == 1
    response = client.post(f"/education/missing-education/{case.pk}/outcome/", {
        **date_fields("outcome_on", date(2026, 3, 4)), "outcome": "home_educated", "close": "yes",
        "version": case.version + 1})
    assert response.status_code == 302
    page = text(client.get(response["Location"]))
    assert "Open the home education case" in page
    response = client.post(f"/education/missing-education/{case.pk}/home-education/", {"submission_token": "b" * 32})
    ehe = EHECase.objects.get(child=child)
    assert response.status_code == 302 and response["Location"] == f"/education/home-education/{ehe.pk}/"
    assert (ehe.notified_on, ehe.school_left, ehe.from_cme_id) == (date(2026, 3, 4), "Greenfield Academy", case.pk)
    # The offer becomes a link to the case it opened.
    page = text(client.get(f"/education/missing-education/{case.pk}/"))
    assert "Open the home education case" not in page and f"/education/home-education/{ehe.pk}/" in page
    # Sent again, nothing is opened twice.
    client.post(f"/education/missing-education/{case.pk}/home-education/", {"submission_token": "c" * 32})
    assert EHECase.objects.filter(child=child).count() == 1


def test_the_ehe_journey_through_the_pages(la, officer, child):
    client = client_for(officer)
    url = f"/education/children/{child.pk}/home-education/new/"
    response = client.post(url, {**date_fields("notified_on", date(2026, 9, 1)), "school_left": "Hillside",
                                 "reasons": ["bullying", "other"], "reasons_detail": "Wants a smaller setting",
                                 "submission_token": token_from(client.get(url))})
    case = EHECase.objects.get(child=child)
    assert response.status_code == 302
    base = f"/education/home-education/{case.pk}"
    assert client.post(f"{base}/contacts/new/", {
        **date_fields("happened_on", date(2026, 9, 20)), "kind": "home_visit", "child_seen": "yes",
        "notes": "Saw a timetable and books", "submission_token": "d" * 32}).status_code == 302
    case.refresh_from_db()
    assert client.post(f"{base}/suitability/", {**date_fields("decided_on", date(2026, 10, 1)),
                                                "suitability": "suitable", "version": case.version}
                       ).status_code == 302
    case.refresh_from_db()
    assert client.post(f"{base}/change/", {"reasons": ["bullying"], "school_left": "Hillside Primary",
                                           "version": case.version}).status_code == 302
    case.refresh_from_db()
    body = text(client.get(f"{base}/"))
    assert "Saw a timetable and books" in body and "Suitable education" in body and "Hillside Primary" in body
    assert client.post(f"{base}/end/", {**date_fields("ended_on", date(2026, 10, 5)), "reason": "returned_to_school",
                                        "version": case.version}).status_code == 302
    case.refresh_from_db()
    assert case.ended_on == date(2026, 10, 5) and EHEVisit.objects.filter(case=case).count() == 1
    # Ended: the forms send the worker back to the case.
    assert client.get(f"{base}/contacts/new/").status_code == 302


def test_the_index_offers_adding_to_officers_only(la, team, social_worker, officer):
    assert "Add a child missing education" in text(client_for(officer).get("/education/"))
    assert "Add a child missing education" not in text(client_for(social_worker).get("/education/"))


def test_a_case_of_another_register_kind_or_number_is_not_found(la, officer, child):
    case = cme_for(child, officer)
    client = client_for(officer)
    assert client.get(f"/education/home-education/{case.pk}/").status_code == 404
    assert client.get(f"/education/missing-education/{case.pk + 999}/").status_code == 404
    assert client.get("/education/find/?register=nope").status_code == 404
