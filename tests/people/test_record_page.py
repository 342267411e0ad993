"""The child's record page: every section of the person shown, relatives the reader may not see unnamed."""

from __future__ import annotations

from datetime import date

from hearth.access.models import AccessEvent
from hearth.people.models import Person, Relationship
from hearth.people.services import contact_detail_add, person_name_add, professional_add
from tests.conftest import client_for
from tests.factories import make_person
from tests.people.factories import home, make_family, relate
from tests.people.test_list_queries import query_count


def test_the_record_shows_each_section_with_change_links(la, social_worker):
    family = make_family(la)
    child = family["child"]
    person_name_add(person=child, kind="previous", first_name="Jordan", last_name="Smith", by="test")
    contact_detail_add(person=child, kind="mobile", value="07700 900982", note="Mum's phone", by="test")
    professional_add(person=child, role="gp", organisation="Meadows Health Centre", organisation_code="C84001",
                     by="test")
    professional_add(person=child, role="school", organisation="Greenwood Primary", organisation_code="122334",
                     by="test")
    page = client_for(social_worker).get(f"/children/{child.pk}/").content.decode()
    for text in ("Personal details", "Jordan Smith", "(previous name", "NHS number and UPN", "12 Acacia Road",
                 "07700 900982", "Kerry Whitfield", "Darren Whitfield", "Meadows Health Centre", "Greenwood Primary",
                 "Allocation history", "Due and overdue"):
        assert text in page, text
    for url in ("details", "background", "identifiers", "immigration", "addresses/move", "names/add",
                "contact-details/add", "family", "family/add", "professionals"):
        assert f'href="/children/{child.pk}/{url}/"' in page, url


def test_the_record_nav_links_the_family_and_chronology(la, social_worker):
    child = make_person(la)
    page = client_for(social_worker).get(f"/children/{child.pk}/").content.decode()
    assert 'aria-current="page">Summary' in page
    assert f'href="/children/{child.pk}/family/"' in page
    assert f'href="/children/{child.pk}/chronology/"' in page
    assert "Who has accessed" not in page  # managers only


def test_a_relative_the_reader_may_not_see_is_not_named(la, social_worker):
    child = make_person(la, first_name="Jordan")
    hidden = make_person(la, Person.AccessLevel.SEALED, first_name="Secretive", last_name="Sibling")
    relate(child, Relationship.Kind.SIBLING, hidden)
    page = client_for(social_worker).get(f"/children/{child.pk}/").content.decode()
    assert "Secretive" not in page and "Sibling</a>" not in page
    assert "Restricted record" in page


def test_each_view_is_logged(la, social_worker):
    child = make_person(la)
    client_for(social_worker).get(f"/children/{child.pk}/")
    assert AccessEvent.objects.filter(person=child, user=social_worker, action="view").count() == 1


def test_the_record_runs_the_same_queries_however_much_is_recorded(la, social_worker):
    child = make_person(la)
    client = client_for(social_worker)

    def add_one_of_each(n: int) -> None:
        home(child, line_1=f"{n + 1} Other Street", moved_in_on=date(2021, 1 + n, 1))
        relate(make_person(la, sex="M"), Relationship.Kind.PARENT, child)
        relate(child, Relationship.Kind.SIBLING, make_person(la, Person.AccessLevel.RESTRICTED))
        contact_detail_add(person=child, kind="email", value=f"family{n}@example.com", by="test")
        professional_add(person=child, role="police", organisation=f"Police team {n}", by="test")
        person_name_add(person=child, kind="alias", first_name=f"Alias{n}", last_name="X", by="test")

    add_one_of_each(0)
    few = query_count(lambda: client.get(f"/children/{child.pk}/"))
    for n in range(1, 7):
        add_one_of_each(n)
    assert query_count(lambda: client.get(f"/children/{child.pk}/")) == few
