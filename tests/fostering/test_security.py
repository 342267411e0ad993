"""Access to fostering and adoption: other councils, restricted and sealed children, logging, roles."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.utils import timezone

from hearth.access.models import AccessEvent
from hearth.access.services import break_glass_open
from hearth.accounts.models import User
from hearth.accounts.roles import Role
from hearth.fostering import services
from hearth.fostering.models import FosterHousehold, FosterVacancy, PlacementRequest, ProspectiveAdopter
from hearth.people.models import Person
from hearth.tenancy.models import LocalAuthority
from tests.conftest import client_for
from tests.factories import make_person, make_user
from tests.security_world import names_shown, sweep
from tests.workspace.bad_input_helpers import date_fields, text

from .factories import adopter_enquiry, approved_household, enquiry, make_fostering_worker

TODAY = timezone.localdate()
START = TODAY - timedelta(days=300)
REASON = "The placement has called about an emergency tonight"


@dataclass
class Fostering:
    worker: User
    social_worker: User
    household: FosterHousehold
    vacancy: FosterVacancy
    in_assessment: FosterHousehold
    adopter: ProspectiveAdopter
    child: Person
    request: PlacementRequest


def fostering(la: LocalAuthority, prefix: str, level: str = Person.AccessLevel.OPEN) -> Fostering:
    """An approved household with a vacancy, one in assessment, an adoptive family, and a child (names starting
    with ``prefix``) waiting for a placement."""
    worker = make_fostering_worker(la)
    social_worker = make_user(la, Role.SOCIAL_WORKER)
    household = approved_household(la, worker, enquiry_on=START, name=f"{prefix} Household", age_to=17)
    assert household.approved_on is not None
    vacancy = services.foster_vacancy_open(household=household, places=2, age_from=0, age_to=17,
                                           care_types=["short_term"], needs=[], available_from=household.approved_on,
                                           by=worker)
    child = make_person(la, level, first_name=f"{prefix}Waiting", last_name="Child")
    request_ = services.placement_request_record(child=child, needed_from=TODAY, care_type="short_term",
                                                 urgency="planned", by=social_worker)
    return Fostering(worker=worker, social_worker=social_worker, household=household, vacancy=vacancy,
                     in_assessment=enquiry(la, worker, START, name=f"{prefix} Enquirers"),
                     adopter=adopter_enquiry(la, worker, START, name=f"{prefix} Family"), child=child,
                     request=request_)


def service_urls(f: Fostering) -> list[str]:
    h, r = f.household.pk, f.request.pk
    return [
        "/fostering/", "/fostering/register/", "/fostering/vacancies/", "/fostering/placement-requests/",
        "/fostering/recruitment/", "/fostering/households/new/", f"/fostering/households/{h}/",
        f"/fostering/households/{h}/change/", f"/fostering/households/{h}/review/",
        f"/fostering/households/{f.in_assessment.pk}/initial-visit/", f"/fostering/vacancies/{f.vacancy.pk}/close/",
        f"/fostering/placement-requests/{r}/", f"/fostering/placement-requests/{r}/close/",
        f"/fostering/placement-requests/{r}/match/{f.vacancy.pk}/",
        f"/fostering/children/{f.child.pk}/placement-request/",
        "/adopters/", "/adopters/new/", "/adopters/annex-a-list-11/", f"/adopters/{f.adopter.pk}/",
        f"/adopters/{f.adopter.pk}/change/", f"/adopters/{f.adopter.pk}/leave/",
        f"/adopters/{f.adopter.pk}/registration/",
    ]


def _only_theirs(urls: list[str]) -> list[str]:
    """The pages that name something of one council (the service-wide lists are every council's own)."""
    return [u for u in urls if any(ch.isdigit() for ch in u) and "annex" not in u]


def test_nothing_of_another_council_is_read_listed_or_changed(la, other_la):
    theirs = fostering(other_la, "Theirs")
    ours = fostering(la, "Ours")
    names = ["Theirs Household", "Theirs Enquirers", "Theirs Family", "TheirsWaiting"]
    for user in (ours.worker, ours.social_worker, make_user(la, Role.SERVICE_MANAGER)):
        client = client_for(user)
        assert sweep(client, _only_theirs(service_urls(theirs)), names=names, allowed=(403, 404, 405)) == []
        lists = ["/fostering/", "/fostering/register/", "/fostering/vacancies/", "/fostering/placement-requests/",
                 "/adopters/", "/adopters/annex-a-list-11/", f"/fostering/placement-requests/{ours.request.pk}/"]
        assert names_shown(client, lists, names) == []
    theirs.request.refresh_from_db()
    assert theirs.request.status == PlacementRequest.Status.OPEN
    assert not AccessEvent.objects.filter(person=theirs.child, user__local_authority=la).exists()


def test_another_councils_vacancy_cannot_be_matched_to_my_child_nor_my_vacancy_to_theirs(la, other_la):
    theirs = fostering(other_la, "Theirs")
    ours = fostering(la, "Ours")
    client = client_for(ours.worker)
    assert client.post(f"/fostering/placement-requests/{ours.request.pk}/match/{theirs.vacancy.pk}/").status_code == 404
    assert client.post(f"/fostering/placement-requests/{theirs.request.pk}/match/{ours.vacancy.pk}/").status_code == 404
    for found in (ours.request, theirs.request):
        found.refresh_from_db()
        assert found.status == PlacementRequest.Status.OPEN and found.matched_household_id is None
    # Nor through the service.
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.placement_request_match(request=ours.request, vacancy=theirs.vacancy, by=ours.worker)


def test_another_councils_worker_or_child_cannot_be_chosen_by_tampering_with_a_form(la, other_la):
    ours = fostering(la, "Ours")
    their_worker = make_fostering_worker(other_la, first_name="Their", last_name="Worker")
    theirs = make_person(other_la, first_name="Theirs", last_name="Child")
    client = client_for(ours.worker)
    step = f"/fostering/households/{ours.in_assessment.pk}/initial-visit/"
    assert "Their Worker" not in text(client.get(step))
    response = client.post(step, {"version": ours.in_assessment.version, **date_fields("visited_on", START),
                                  "worker": their_worker.pk, "recommendation": "proceed"})
    assert response.status_code == 200 and "Choose who made the visit from the list" in text(response)
    ours.in_assessment.refresh_from_db()
    assert ours.in_assessment.initial_visit_on is None
    # An adoptive family is matched only with a child of this council the worker may open.
    adopter = ours.adopter
    day = START
    for field in ("registered_on", "stage_1_started_on", "stage_1_ended_on", "application_submitted_on",
                  "stage_2_started_on", "stage_2_ended_on"):
        day += timedelta(days=5)
        services.adopter_step_record(adopter=adopter, step=field, on=day, by=ours.worker)
    services.adopter_step_record(adopter=adopter, step="panel_on", on=day, by=ours.worker,
                                 panel_recommendation="approve")
    services.adopter_step_record(adopter=adopter, step="approved_on", on=day, by=ours.worker)
    response = client.post(f"/adopters/{adopter.pk}/match/", {
        "version": adopter.version, **date_fields("on", day + timedelta(days=3)), "child_hearth_id": theirs.hearth_id})
    assert response.status_code == 200 and "There is no record you may open with that Hearth ID" in text(response)
    adopter.refresh_from_db()
    assert adopter.child_id is None


@pytest.mark.parametrize("level", [Person.AccessLevel.RESTRICTED, Person.AccessLevel.SEALED])
def test_a_protected_childs_request_is_never_named_and_only_a_restricted_one_is_counted(la, level):
    hidden = fostering(la, "Hidden", level)
    shown = make_person(la, first_name="Shown", last_name="Child")
    services.placement_request_record(child=shown, needed_from=TODAY, care_type="short_term", urgency="planned",
                                      by=hidden.social_worker)
    services.placement_request_match(request=hidden.request, vacancy=hidden.vacancy, by=hidden.worker)
    manager = make_user(la, Role.SERVICE_MANAGER)
    for user in (hidden.worker, manager):
        client = client_for(user)
        page = text(client.get("/fostering/placement-requests/?status=all"))
        assert "Shown Child" in page and "HiddenWaiting" not in page
        counted = "1 more request for restricted records is not shown" in page
        assert counted is (level == Person.AccessLevel.RESTRICTED)
        assert names_shown(client, ["/fostering/", "/fostering/register/", "/fostering/vacancies/",
                                    f"/fostering/households/{hidden.household.pk}/"], ["HiddenWaiting"]) == []
        urls = [f"/fostering/placement-requests/{hidden.request.pk}/",
                f"/fostering/placement-requests/{hidden.request.pk}/close/",
                f"/fostering/children/{hidden.child.pk}/placement-request/"]
        assert sweep(client, urls, names=["HiddenWaiting"]) == []
        # A restricted child's request is a page of their record: the refusal page offers to break the glass.
        status = client.get(urls[0]).status_code
        assert status == (403 if level == Person.AccessLevel.RESTRICTED else 404)
    assert not AccessEvent.objects.filter(person=hidden.child, action=AccessEvent.Action.VIEW).exists()


def test_after_breaking_the_glass_every_request_page_and_post_is_logged(la):
    f = fostering(la, "Glass", Person.AccessLevel.RESTRICTED)
    break_glass_open(person=f.child, user=f.worker, reason=REASON)
    client = client_for(f.worker)
    logged = AccessEvent.objects.filter(person=f.child, user=f.worker, action=AccessEvent.Action.VIEW)
    page = client.get(f"/fostering/placement-requests/{f.request.pk}/")
    assert page.status_code == 200 and "GlassWaiting" in text(page) and logged.count() == 1
    matched = client.post(f"/fostering/placement-requests/{f.request.pk}/match/{f.vacancy.pk}/")
    assert matched.status_code == 302 and logged.count() == 2
    f.request.refresh_from_db()
    closed = client.post(f"/fostering/placement-requests/{f.request.pk}/close/", {
        "version": f.request.version, **date_fields("closed_on", TODAY), "reason": "elsewhere"})
    assert closed.status_code == 302 and logged.count() == 3
    f.request.refresh_from_db()
    assert f.request.status == PlacementRequest.Status.CLOSED


def test_a_placement_request_sent_is_logged_once(la):
    f = fostering(la, "Sent")
    child = make_person(la)
    logged = AccessEvent.objects.filter(person=child, user=f.social_worker, action=AccessEvent.Action.VIEW)
    response = client_for(f.social_worker).post(f"/fostering/children/{child.pk}/placement-request/", {
        **date_fields("needed_from", TODAY + timedelta(days=3)), "urgency": "urgent", "care_type": "short_term",
        "number_of_children": "1", "siblings_together": "no", "postcode": "NG7 2AB"})
    assert response.status_code == 302 and PlacementRequest.objects.filter(child=child).exists()
    assert logged.count() == 1


@pytest.mark.parametrize("role", [Role.PARTNER_REFERRER, Role.PERFORMANCE_ANALYST, Role.SYSTEM_ADMIN])
def test_no_fostering_or_adopter_page_is_reached_without_case_access(la, role):
    f = fostering(la, "Out")
    client = client_for(make_user(la, role))
    names = ["Out Household", "Out Enquirers", "Out Family", "OutWaiting"]
    assert sweep(client, service_urls(f), names=names) == []
    assert "You cannot do this" in text(client.get("/fostering/"))


@pytest.mark.parametrize("role", [Role.SOCIAL_WORKER, Role.EDUCATION_OFFICER, Role.IRO, Role.MISSING_ADVOCATE])
def test_other_case_roles_may_ask_for_a_placement_but_not_work_the_pipeline(la, role):
    f = fostering(la, "Work")
    client = client_for(make_user(la, role))
    for url in ("/fostering/", "/fostering/register/", f"/fostering/households/{f.household.pk}/", "/adopters/",
                f"/adopters/{f.adopter.pk}/"):
        response = client.get(url)
        assert response.status_code == 403 and "You cannot do this" in text(response), url
    assert client.post(f"/fostering/placement-requests/{f.request.pk}/match/{f.vacancy.pk}/").status_code == 403
    assert client.get(f"/fostering/children/{f.child.pk}/placement-request/").status_code == 200
    f.request.refresh_from_db()
    assert f.request.status == PlacementRequest.Status.OPEN
