"""The leaving-care tray: whose young people each user sees, what is flagged, the managers' summary, and a fixed
number of queries however many young people there are."""

from __future__ import annotations

from datetime import timedelta

import pytest
from dateutil.relativedelta import relativedelta
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hearth.accounts.roles import Role
from hearth.care_leavers import services
from hearth.care_leavers.selectors import care_leaver_summary, care_leaver_tray
from hearth.people.models import Person
from tests.conftest import client_for
from tests.factories import make_user

from .factories import ago, care_leaver, in_care, leaving_care_team, make_adviser, today, young_person

pytestmark = pytest.mark.django_db
TRAY = "/leaving-care/"


def allocated(child, adviser, manager):
    services.personal_adviser_allocate(child=child, adviser=adviser, started_on=ago(days=40), by=manager)
    return child


def test_a_personal_adviser_sees_their_own_young_people_and_what_needs_doing(la, adviser, lc_manager, lc_team):
    overdue = allocated(care_leaver(la, age_years=19, first_name="Overdue"), adviser, lc_manager)
    services.pathway_plan_start(child=overdue, started_on=ago(months=7), by=adviser)
    lost = allocated(care_leaver(la, age_years=20, first_name="Lost"), adviser, lc_manager)
    services.contact_record(child=lost, contacted_on=ago(days=3), method="phone", in_touch="NO", by=adviser)
    services.accommodation_record(child=lost, started_on=ago(days=30), accommodation="W", suitable=False, by=adviser)
    services.activity_record(child=lost, started_on=ago(days=30), activity="G5", by=adviser)
    nearly = young_person(la, age_years=17, age_months=10, first_name="Nearly")
    in_care(nearly, ago(years=2))
    allocated(nearly, adviser, lc_manager)
    someone_elses = allocated(care_leaver(la, first_name="Elsewhere"), make_adviser(la, lc_team), lc_manager)

    tray = care_leaver_tray(user=adviser)
    assert tray.scope == "mine"
    names = {r.person.first_name for r in tray.rows}
    assert names == {"Overdue", "Lost", "Nearly"}
    assert [r.person.first_name for r in tray.reviews_due] == ["Overdue"]
    assert tray.reviews_due[0].review_state == "overdue"
    assert {r.person.first_name for r in tray.not_in_touch} == {"Lost"}
    assert {r.person.first_name for r in tray.unsuitable} == {"Lost"}
    assert {r.person.first_name for r in tray.neet} == {"Lost"}
    assert [r.person.first_name for r in tray.turning_18] == ["Nearly"]
    assert {r.person.first_name for r in tray.needs_assessments_due} == {"Overdue", "Lost", "Nearly"}
    body = client_for(adviser).get(TRAY).content.decode()
    assert "My young people" in body and "Overdue" in body and someone_elses.first_name not in body
    assert "How care leavers are doing" not in body


def test_managers_see_the_team_and_filter_by_adviser(la, adviser, lc_manager, lc_team):
    other = make_adviser(la, lc_team, first_name="Morgan")
    allocated(care_leaver(la, first_name="Mine"), adviser, lc_manager)
    allocated(care_leaver(la, first_name="Theirs"), other, lc_manager)
    far_team = leaving_care_team(la, "Leaving Care South")
    allocated(care_leaver(la, first_name="South"), make_adviser(la, far_team), lc_manager)
    assert {r.person.first_name for r in care_leaver_tray(user=lc_manager).rows} == {"Mine", "Theirs"}
    assert {r.person.first_name for r in care_leaver_tray(user=lc_manager, adviser=other).rows} == {"Theirs"}
    client = client_for(lc_manager)
    body = client.get(TRAY, {"adviser": other.pk}).content.decode()
    assert "Theirs" in body and ">Mine<" not in body
    assert "How care leavers are doing" in body
    service_manager = make_user(la, Role.SERVICE_MANAGER)
    assert {r.person.first_name for r in care_leaver_tray(user=service_manager).rows} == {"Mine", "Theirs", "South"}
    assert {r.person.first_name for r in care_leaver_tray(user=service_manager, team=far_team).rows} == {"South"}


def test_a_manager_sees_who_still_needs_a_personal_adviser(la, lc_manager):
    waiting = care_leaver(la, age_years=18, left_months_ago=1, first_name="Waiting")
    care_leaver(la, age_years=23, left_months_ago=60, first_name="Declined")
    young_person(la, age_years=17, first_name="NeverInCare")
    tray = care_leaver_tray(user=lc_manager)
    # Oldest first; someone never in care is not listed.
    assert [p.first_name for p, _ in tray.without_adviser] == ["Declined", "Waiting"]
    assert waiting.pk in {p.pk for p, _ in tray.without_adviser}


def test_restricted_and_sealed_young_people_are_never_listed_or_named_to_those_who_cannot_open_them(
        la, adviser, lc_manager):
    for level in (Person.AccessLevel.RESTRICTED, Person.AccessLevel.SEALED):
        allocated(care_leaver(la, level=level, first_name=f"Hidden{level}", age_years=19), adviser, lc_manager)
    care_leaver(la, level=Person.AccessLevel.SEALED, first_name="HiddenNoAdviser", age_years=18, left_months_ago=1)
    service_manager = make_user(la, Role.SERVICE_MANAGER)
    tray = care_leaver_tray(user=service_manager)
    assert tray.rows == [] and tray.without_adviser == []
    body = client_for(service_manager).get(TRAY).content.decode()
    assert "Hidden" not in body
    # The allocated adviser is on the record's allow list and does see them.
    assert len(care_leaver_tray(user=adviser).rows) == 2


def test_the_tray_reads_a_fixed_number_of_queries(la, adviser, lc_manager, lc_team):
    def add(n: int) -> None:
        for _ in range(n):
            child = allocated(care_leaver(la, age_years=19), adviser, lc_manager)
            services.pathway_plan_start(child=child, started_on=ago(months=2), by=adviser)
            services.contact_record(child=child, contacted_on=ago(days=5), method="phone", in_touch="YES", by=adviser)
            services.accommodation_record(child=child, started_on=ago(days=30), accommodation="U", suitable=True,
                                          by=adviser)
            services.activity_record(child=child, started_on=ago(days=30), activity="F5", by=adviser)
        care_leaver(la, age_years=20)  # without an adviser, for the manager's list

    service_manager = make_user(la, Role.SERVICE_MANAGER)
    add(1)
    counts = {}
    for user in (adviser, lc_manager, service_manager):
        client = client_for(user)
        client.get(TRAY)
        with CaptureQueriesContext(connection) as few:
            assert client.get(TRAY).status_code == 200
        counts[user.pk] = len(few.captured_queries)
    add(5)
    for user in (adviser, lc_manager, service_manager):
        client = client_for(user)
        with CaptureQueriesContext(connection) as many:
            response = client.get(TRAY)
        assert response.status_code == 200
        assert len(many.captured_queries) == counts[user.pk], user.role
    assert len(care_leaver_tray(user=adviser).rows) == 6


def test_the_summary_counts_19_to_21_year_olds_against_the_dfe_measures(la, adviser, lc_manager):
    # 19 on a birthday already passed in this collection year, so in the figures so far.
    start_of_year = today().replace(month=4, day=1)
    if today() < start_of_year:
        start_of_year = start_of_year.replace(year=start_of_year.year - 1)
    born = start_of_year - relativedelta(years=19) + timedelta(days=1)
    assert born + relativedelta(years=19) <= today()

    def leaver(activity: str, suitable: bool, touch: str):
        from tests.factories import make_person

        child = make_person(la, date_of_birth=born)
        in_care(child, born + relativedelta(years=15), born + relativedelta(years=18))
        on = born + relativedelta(years=19)
        services.contact_record(child=child, contacted_on=on, method="phone", in_touch=touch, by=adviser)
        services.accommodation_record(child=child, started_on=on - timedelta(days=30), accommodation="U",
                                      suitable=suitable, by=adviser)
        services.activity_record(child=child, started_on=on - timedelta(days=30), activity=activity, by=adviser)

    leaver("F1", True, "YES")
    leaver("G5", True, "YES")
    leaver("F5", False, "YES")
    leaver("F5", True, "NO")
    summary = care_leaver_summary(user=lc_manager)
    measures = {m.key: m for m in summary.measures}
    assert summary.cohort_19_21 == 4
    # Not in touch, but activity and accommodation were recorded within 3 months of the birthday: they count.
    assert (measures["eet_19_21"].numerator, measures["eet_19_21"].denominator) == (3, 4)
    assert measures["eet_19_21"].percent == 75 and measures["eet_19_21"].england == 54
    assert (measures["suitable_19_21"].numerator, measures["suitable_19_21"].denominator) == (3, 4)
    assert (measures["not_in_touch_19_21"].numerator, measures["not_in_touch_19_21"].denominator) == (1, 4)


def test_who_may_open_the_tray(la, social_worker):
    assert client_for(social_worker).get(TRAY).status_code == 200
    for role in (Role.PERFORMANCE_ANALYST, Role.SYSTEM_ADMIN):
        assert client_for(make_user(la, role)).get(TRAY).status_code == 403
