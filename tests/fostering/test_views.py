"""The fostering and adoption pages: who may open them, what they show, the steps through them, query counts."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from hearth.access.models import AccessEvent
from hearth.accounts.models import Team
from hearth.accounts.roles import Role
from hearth.fostering import services
from hearth.fostering.models import FosterHousehold, PlacementRequest, ProspectiveAdopter
from hearth.people.models import Person
from tests.conftest import client_for
from tests.factories import make_la, make_person, make_team, make_user
from tests.queries import query_count
from tests.workspace.bad_input_helpers import date_fields, text

from .factories import adopter_enquiry, approved_household, enquiry, make_fostering_worker, place_child

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
START = TODAY - timedelta(days=300)
H = FosterHousehold
LISTS = ["/fostering/", "/fostering/register/", "/fostering/vacancies/", "/fostering/placement-requests/",
         "/fostering/recruitment/", "/adopters/", "/adopters/annex-a-list-11/"]


@pytest.mark.parametrize("url", LISTS)
def test_the_service_pages_open_for_fostering_workers_and_managers(la, team, worker, url):
    assert client_for(worker).get(url).status_code == 200
    assert client_for(make_user(la, Role.SERVICE_MANAGER, team)).get(url).status_code == 200


@pytest.mark.parametrize("role", [Role.SOCIAL_WORKER, Role.PERFORMANCE_ANALYST, Role.PARTNER_REFERRER,
                                  Role.BUSINESS_SUPPORT, Role.SYSTEM_ADMIN, Role.IRO])
def test_carers_personal_data_is_for_fostering_staff_and_managers_only(la, worker, role):
    household = enquiry(la, worker, START)
    adopter = adopter_enquiry(la, worker, START)
    client = client_for(make_user(la, role))
    for url in [*LISTS, f"/fostering/households/{household.pk}/", f"/adopters/{adopter.pk}/"]:
        assert client.get(url).status_code == 403, url


def test_managers_view_but_only_fostering_staff_record(la, team, worker):
    household = enquiry(la, worker, START)
    manager = make_user(la, Role.TEAM_MANAGER, team)
    client = client_for(manager)
    page = client.get(f"/fostering/households/{household.pk}/")
    assert page.status_code == 200 and "Record the initial visit" not in text(page)
    assert client.get("/fostering/households/new/").status_code == 403
    assert client.get(f"/fostering/households/{household.pk}/initial-visit/").status_code == 403
    fostering_manager = make_user(la, Role.TEAM_MANAGER, make_team(la, "Fostering team", kind=Team.Kind.FOSTERING))
    assert client_for(fostering_manager).get("/fostering/households/new/").status_code == 200


def test_another_councils_household_does_not_exist(la, worker):
    other = make_la(name="Elsewhere")
    theirs = enquiry(other, make_fostering_worker(other), START)
    assert client_for(worker).get(f"/fostering/households/{theirs.pk}/").status_code == 404
    assert client_for(worker).get(f"/fostering/households/{theirs.pk}/initial-visit/").status_code == 404


def test_an_enquiry_through_the_pages_to_approval(la, worker):
    client = client_for(worker)
    response = client.post("/fostering/households/new/", {
        "name": "Khan household", **date_fields("enquiry_on", START), "source": "event", "kind": "mainstream",
        "applicant_1_first_name": "Sara", "applicant_1_last_name": "Khan", "postcode": "ng5 1aa"})
    household = FosterHousehold.objects.get(name="Khan household")
    assert response.status_code == 302 and response["Location"] == f"/fostering/households/{household.pk}/"
    assert household.postcode == "NG5 1AA"
    base = f"/fostering/households/{household.pk}/"
    d = [START + timedelta(days=7 * i) for i in range(1, 9)]
    steps = [
        ("initial-visit", {**date_fields("visited_on", d[0]), "worker": worker.pk, "recommendation": "proceed"}),
        ("stage-1-start", date_fields("started_on", d[1])),
        ("stage-1-end", {**date_fields("ended_on", d[2]), "checks": ["dbs", "local_authority", "medical",
                                                                     "references"], "outcome": "proceed"}),
        ("stage-2-start", {**date_fields("started_on", d[3]), "assessing_worker": worker.pk}),
        ("form-f", date_fields("completed_on", d[4])),
        ("panel", {**date_fields("panel_on", d[5]), "recommendation": "approve", "terms": "Two children 0 to 10"}),
        ("decision", {**date_fields("decided_on", d[6]), "decision": "approve", "places": "2", "age_from": "0",
                      "age_to": "10", "care_types": ["short_term", "respite"], "supervising_worker": worker.pk}),
    ]
    for step, data in steps:
        household.refresh_from_db()
        form = client.get(base + f"{step}/")
        assert form.status_code == 200, step
        response = client.post(base + f"{step}/", {"version": household.version, **data})
        assert response.status_code == 302, (step, text(response)[:3000])
    household.refresh_from_db()
    assert household.stage == H.Stage.APPROVED and household.approved_care_types == ["short_term", "respite"]
    page = text(client.get(base))
    assert "Up to 2 children, aged 0 to 10" in page and "Short-term, Short breaks (respite)" in page
    register = text(client.get("/fostering/register/"))
    assert "Khan household" in register
    response = client.post(base + "vacancy/", {"version": household.version, "places": "1", "age_from": "0",
                                               "age_to": "5", "care_types": ["respite"], "needs": ["babies"],
                                               **date_fields("available_from", TODAY)})
    assert response.status_code == 302
    vacancies = text(client.get("/fostering/vacancies/"))
    assert "Khan household" in vacancies and "Babies" in vacancies


def test_a_social_worker_asks_for_a_placement_and_the_fostering_team_matches_it(la, team, worker, social_worker):
    household = approved_household(la, worker, enquiry_on=START, age_from=0, age_to=10)
    assert household.approved_on is not None
    services.foster_vacancy_open(household=household, places=2, age_from=0, age_to=10,
                                 care_types=["short_term", "long_term"], needs=[], available_from=household.approved_on,
                                 by=worker)
    child = make_person(la, first_name="Mia", last_name="Stone", date_of_birth=TODAY - timedelta(days=365 * 6 + 10))
    url = f"/fostering/children/{child.pk}/placement-request/"
    assert client_for(social_worker).get(url).status_code == 200
    response = client_for(social_worker).post(url, {
        **date_fields("needed_from", TODAY + timedelta(days=3)), "urgency": "urgent", "care_type": "short_term",
        "number_of_children": "1", "siblings_together": "no", "postcode": "NG7 2AB", "notes": "Likes football"})
    request_ = PlacementRequest.objects.get(child=child)
    assert response.status_code == 302 and response["Location"] == f"/fostering/placement-requests/{request_.pk}/"
    assert AccessEvent.objects.filter(person=child, user=social_worker, action=AccessEvent.Action.VIEW).exists()
    page = text(client_for(worker).get(f"/fostering/placement-requests/{request_.pk}/"))
    assert "Patel household</a>: 9 of 9 points" in page and "Age 6 is within 0 to 10" in page
    assert AccessEvent.objects.filter(person=child, user=worker, action=AccessEvent.Action.VIEW).exists()
    vacancy = household.vacancies.get()
    response = client_for(worker).post(f"/fostering/placement-requests/{request_.pk}/match/{vacancy.pk}/")
    assert response.status_code == 302
    request_.refresh_from_db()
    assert request_.status == "matched" and request_.matched_household == household
    assert "Matched with" in text(client_for(worker).get("/fostering/placement-requests/"))
    # A social worker may ask, but not match.
    assert client_for(social_worker).post(
        f"/fostering/placement-requests/{request_.pk}/match/{vacancy.pk}/").status_code == 403


def test_a_restricted_childs_request_is_counted_never_named(la, worker, social_worker):
    hidden = make_person(la, Person.AccessLevel.RESTRICTED, first_name="Hidden", last_name="Child")
    shown = make_person(la, first_name="Shown", last_name="Child")
    for child in (hidden, shown):
        services.placement_request_record(child=child, needed_from=TODAY, care_type="short_term",
                                          urgency="planned", by=social_worker)
    page = text(client_for(worker).get("/fostering/placement-requests/"))
    assert "Shown Child" in page and "Hidden" not in page
    assert "1 more request for restricted records is not shown" in page
    request_ = PlacementRequest.objects.get(child=hidden)
    # The request is a page of the child's record: the refusal page, offering to break the glass.
    refused = client_for(worker).get(f"/fostering/placement-requests/{request_.pk}/")
    assert refused.status_code == 403 and "Hidden" not in text(refused)
    assert client_for(worker).get(f"/fostering/children/{hidden.pk}/placement-request/").status_code == 403


def test_a_household_page_names_matched_children_only_when_visible(la, worker, social_worker):
    household = approved_household(la, worker, enquiry_on=START)
    assert household.approved_on is not None
    vacancy = services.foster_vacancy_open(household=household, places=2, age_from=0, age_to=10,
                                           care_types=["short_term"], needs=[], available_from=household.approved_on,
                                           by=worker)
    hidden = make_person(la, Person.AccessLevel.RESTRICTED, first_name="Hidden", last_name="Child")
    request_ = services.placement_request_record(child=hidden, needed_from=TODAY, care_type="short_term",
                                                 urgency="planned", by=social_worker)
    services.placement_request_match(request=request_, vacancy=vacancy, by=worker)
    page = text(client_for(worker).get(f"/fostering/households/{household.pk}/"))
    assert "Hidden" not in page and "A restricted record" in page and "1 matched to come" in page


def test_an_adoptive_family_through_the_pages(la, worker):
    client = client_for(worker)
    response = client.post("/adopters/new/", {
        "name": "Okoro family", **date_fields("enquiry_on", START), "source": "website",
        "fostering_for_adoption": "yes", "applicant_1_first_name": "Tola", "applicant_1_last_name": "Okoro",
        "applicant_1_gender": "female", "applicant_1_ethnicity": "BAFR", "applicant_1_disability": "no",
        "applicant_2_gender": "not_stated", "applicant_2_ethnicity": "NOBT", "applicant_2_disability": "not_known"})
    adopter = ProspectiveAdopter.objects.get()
    assert response.status_code == 302 and adopter.fostering_for_adoption
    response = client.post(f"/adopters/{adopter.pk}/registration/", {"version": adopter.version,
                                                                    **date_fields("on", START + timedelta(days=5))})
    assert response.status_code == 302
    adopter.refresh_from_db()
    assert adopter.stage == "registration" and adopter.registered_on == START + timedelta(days=5)
    page = text(client.get(f"/adopters/{adopter.pk}/"))
    assert "Start stage 1" in page
    list_11 = text(client.get("/adopters/annex-a-list-11/"))
    assert "AD00001-1" in list_11 and "Is the (prospective) adopter fostering for adoption?" in list_11


def test_linking_a_child_needs_a_record_the_worker_may_open(la, worker):
    adopter = adopter_enquiry(la, worker, START)
    day = START
    for step in ("registered_on", "stage_1_started_on", "stage_1_ended_on", "application_submitted_on",
                 "stage_2_started_on", "stage_2_ended_on"):
        day += timedelta(days=5)
        services.adopter_step_record(adopter=adopter, step=step, on=day, by=worker)
    services.adopter_step_record(adopter=adopter, step="panel_on", on=day, by=worker, panel_recommendation="approve")
    services.adopter_step_record(adopter=adopter, step="approved_on", on=day, by=worker)
    sealed = make_person(la, Person.AccessLevel.SEALED)
    response = client_for(worker).post(f"/adopters/{adopter.pk}/match/", {
        "version": adopter.version, **date_fields("on", day + timedelta(days=3)), "child_hearth_id": sealed.hearth_id})
    assert response.status_code == 200
    assert "There is no record you may open with that Hearth ID" in text(response)
    visible = make_person(la, first_name="Ada", last_name="Lin")
    response = client_for(worker).post(f"/adopters/{adopter.pk}/match/", {
        "version": adopter.version, **date_fields("on", day + timedelta(days=3)), "child_hearth_id": visible.hearth_id})
    assert response.status_code == 302
    adopter.refresh_from_db()
    assert adopter.child == visible
    assert "Ada Lin" in text(client_for(worker).get(f"/adopters/{adopter.pk}/"))
    # A colleague who may not open the child's record sees that one is linked, not who.
    visible.access_level = Person.AccessLevel.SEALED
    visible.save(by="test")
    page = text(client_for(worker).get(f"/adopters/{adopter.pk}/"))
    assert "Ada Lin" not in page and "A restricted record" in page


# ---------------------------------------------------------------- query counts


def _households(la, worker, n: int, offset: int) -> None:
    for i in range(n):
        household = approved_household(la, worker, enquiry_on=START + timedelta(days=i), name=f"H{offset + i}")
        assert household.approved_on is not None
        services.foster_vacancy_open(household=household, places=1, age_from=0, age_to=10,
                                     care_types=["short_term"], needs=[], available_from=household.approved_on,
                                     by=worker)
        place_child(make_person(la), household, household.approved_on)
        services.foster_review_record(household=household, reviewed_on=household.approved_on + timedelta(days=9),
                                      recommendation="continue", panel_on=household.approved_on + timedelta(days=9),
                                      by=worker)
        enquiry(la, worker, START + timedelta(days=i), name=f"E{offset + i}")
        adopter_enquiry(la, worker, START + timedelta(days=i), name=f"A{offset + i}")


def _requests(la, social_worker, n: int) -> None:
    for _ in range(n):
        services.placement_request_record(child=make_person(la), needed_from=TODAY, care_type="short_term",
                                          urgency="planned", by=social_worker)


@pytest.mark.parametrize("url", LISTS)
def test_list_pages_take_the_same_number_of_queries_for_few_and_many_rows(la, worker, social_worker, url):
    client = client_for(worker)
    _households(la, worker, 1, 0)
    _requests(la, social_worker, 1)
    few = query_count(lambda: client.get(url))
    _households(la, worker, 4, 10)
    _requests(la, social_worker, 4)
    many = query_count(lambda: client.get(url))
    assert few == many, (url, few, many)


def test_a_placement_request_page_takes_the_same_queries_for_few_and_many_vacancies(la, worker, social_worker):
    client = client_for(worker)
    _households(la, worker, 1, 0)
    _requests(la, social_worker, 1)
    request_ = PlacementRequest.objects.get()
    few = query_count(lambda: client.get(f"/fostering/placement-requests/{request_.pk}/"))
    _households(la, worker, 4, 10)
    many = query_count(lambda: client.get(f"/fostering/placement-requests/{request_.pk}/"))
    assert few == many
