"""Professionals from any agency; one current GP and one current school."""

from __future__ import annotations

from datetime import date

from hearth.people.models import ProfessionalInvolvement
from hearth.people.services import professional_add
from tests.conftest import client_for
from tests.factories import make_person
from tests.people.test_list_queries import query_count


def test_a_new_gp_ends_the_old_one(la, social_worker):
    child = make_person(la)
    client = client_for(social_worker)
    professional_add(person=child, role="gp", organisation="Old Surgery", started_on=date(2019, 1, 1), by="test")
    response = client.post(f"/children/{child.pk}/professionals/add/", {
        "role": "gp", "organisation": "Meadows Health Centre", "organisation_code": "c84001",
        "contact_name": "Dr Patel", "phone": "0115 496 0000", "email": "",
        "started_on_0": "1", "started_on_1": "9", "started_on_2": "2024"})
    assert response.status_code == 302 and response.url == f"/children/{child.pk}/professionals/"
    old, new = ProfessionalInvolvement.objects.filter(person=child).order_by("started_on")
    assert old.ended_on == date(2024, 8, 31) and new.ended_on is None and new.organisation_code == "C84001"
    page = client.get(f"/children/{child.pk}/professionals/").content.decode()
    assert "Meadows Health Centre" in page and "Dr Patel" in page and "31 Aug 2024" in page


def test_missing_or_bad_details_are_explained_and_kept(la, social_worker):
    child = make_person(la)
    page = client_for(social_worker).post(f"/children/{child.pk}/professionals/add/", {
        "role": "", "organisation": "", "email": "not-an-email", "contact_name": "PC Jones"}).content.decode()
    assert "Choose their role" in page and "Enter the organisation" in page
    assert "Enter an email address in the correct format" in page and 'value="PC Jones"' in page


def test_involvement_is_ended_with_a_date(la, social_worker):
    child = make_person(la)
    involvement = professional_add(person=child, role="police", organisation="Police", started_on=date(2024, 5, 1),
                                   by="test")
    client = client_for(social_worker)
    early = client.post(f"/children/{child.pk}/professionals/{involvement.pk}/end/",
                        {"ended_on_0": "1", "ended_on_1": "1", "ended_on_2": "2024"}).content.decode()
    assert "The end date must be the same as or after the start date" in early
    client.post(f"/children/{child.pk}/professionals/{involvement.pk}/end/",
                {"ended_on_0": "1", "ended_on_1": "6", "ended_on_2": "2024"})
    involvement.refresh_from_db()
    assert involvement.ended_on == date(2024, 6, 1)


def test_the_list_runs_the_same_queries_for_many_professionals(la, social_worker):
    child = make_person(la)
    client = client_for(social_worker)
    professional_add(person=child, role="school", organisation="School", by="test")
    few = query_count(lambda: client.get(f"/children/{child.pk}/professionals/"))
    for n in range(10):
        professional_add(person=child, role="camhs", organisation=f"CAMHS {n}", by="test")
    assert query_count(lambda: client.get(f"/children/{child.pk}/professionals/")) == few
