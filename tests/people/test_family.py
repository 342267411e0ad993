"""Relatives: found before they are added again, new ones pre-filled from what is known, and the family drawn."""

from __future__ import annotations

from datetime import date
from html import unescape

import pytest
from django.core.exceptions import ValidationError

from hearth.access.models import AccessEvent
from hearth.chronology.models import ChronologyEvent
from hearth.people.models import Address, Person, Relationship
from hearth.people.services import relationship_add
from hearth.workspace.models import FormDraft
from tests.conftest import client_for
from tests.factories import make_person
from tests.people.factories import home, make_family, relate
from tests.people.test_list_queries import query_count


def new_sibling(**changes: object) -> dict[str, object]:
    data: dict[str, object] = {"first_name": "Kai", "last_name": "Whitfield", "date_of_birth_0": "2",
                               "date_of_birth_1": "11", "date_of_birth_2": "2018", "sex": "M",
                               "facts_confirmed": "yes", "lives_here": "yes", "started_on_0": "", "note": ""}
    data.update(changes)
    return data


def test_a_new_sibling_is_offered_what_is_known_and_takes_it_when_confirmed(la, social_worker):
    family = make_family(la)
    child, mum, dad = family["child"], family["mum"], family["dad"]
    client = client_for(social_worker)
    page = unescape(client.get(f"/children/{child.pk}/family/add/sibling/new/").content.decode())
    assert 'name="last_name" type="text" value="Whitfield"' in page  # the child's surname, filled in
    assert "12 Acacia Road" in page and "Is this still correct?" in page
    assert f'value="{mum.pk}" checked' in page and f'value="{dad.pk}" checked' in page  # full sibling: same parents

    response = client.post(f"/children/{child.pk}/family/add/sibling/new/",
                           new_sibling(also_parents=[str(mum.pk), str(dad.pk)]))
    assert response.status_code == 302 and response.url == f"/children/{child.pk}/family/"
    kai = Person.objects.get(first_name="Kai")
    assert Relationship.objects.filter(person=child, relative=kai, kind="sibling").exists()
    parents = Relationship.objects.filter(relative=kai, kind="parent")
    assert {(r.person_id, r.parental_responsibility) for r in parents} == {(mum.pk, True), (dad.pk, True)}
    address = Address.objects.get(person=kai)
    assert (address.line_1, address.postcode, address.moved_out_on) == ("12 Acacia Road", "NG2 3NG", None)
    assert address.moved_in_on == date(2020, 1, 6)  # they have lived there as long as the child has
    assert ChronologyEvent.objects.filter(person=child, event_type="relationship", title="Sibling recorded").exists()
    assert ChronologyEvent.objects.filter(person=kai, event_type="relationship", title="Parent recorded").count() == 2
    assert not FormDraft.objects.filter(user=social_worker).exists()


def test_a_half_sibling_is_given_only_the_parents_ticked(la, social_worker):
    family = make_family(la)
    child, mum = family["child"], family["mum"]
    client = client_for(social_worker)
    page = client.get(f"/children/{child.pk}/family/add/half_sibling/new/").content.decode()
    assert f'value="{mum.pk}" checked' not in page  # nothing assumed for a half-sibling
    client.post(f"/children/{child.pk}/family/add/half_sibling/new/",
                new_sibling(first_name="Tia", sex="F", lives_here="no", also_parents=[str(mum.pk)]))
    tia = Person.objects.get(first_name="Tia")
    assert list(Relationship.objects.filter(relative=tia, kind="parent").values_list("person_id", flat=True)) == [
        mum.pk]
    assert not Address.objects.filter(person=tia).exists()


def test_the_known_address_wrong_sends_the_worker_to_change_it_keeping_their_typing(la, social_worker):
    child = make_family(la)["child"]
    client = client_for(social_worker)
    response = client.post(f"/children/{child.pk}/family/add/sibling/new/",
                           new_sibling(first_name="Typed", facts_confirmed="no"))
    assert response.status_code == 302
    assert response.url.startswith(f"/children/{child.pk}/addresses/move/?next=")
    assert not Person.objects.filter(first_name="Typed").exists()
    back = client.get(f"/children/{child.pk}/family/add/sibling/new/").content.decode()
    assert 'value="Typed"' in back and "We restored what you had typed" in back


def test_bad_input_for_a_new_relative_is_explained_and_kept(la, social_worker):
    child = make_family(la)["child"]
    response = client_for(social_worker).post(f"/children/{child.pk}/family/add/parent/new/", new_sibling(
        first_name="", last_name="Whitfield", date_of_birth_0="31", date_of_birth_1="2"))
    page = response.content.decode()
    assert "Enter their first name" in page and "Date of birth must be a real date" in page
    assert "Select yes if they have parental responsibility" in page
    assert 'value="31"' in page and 'value="Whitfield"' in page


def test_an_existing_person_is_found_and_added_as_a_parent(la, social_worker):
    child = make_person(la, first_name="Jordan", last_name="Whitfield")
    home(child)
    dad = make_person(la, first_name="Darren", last_name="Whitfield", date_of_birth=date(1988, 2, 11), sex="M")
    from hearth.search.services import name_keys_refresh

    name_keys_refresh(person=dad)
    client = client_for(social_worker)
    found = client.get(f"/children/{child.pk}/family/add/parent/",
                       {"first_name": "Darren", "last_name": "Whitfield"}).content.decode()
    assert f"/children/{child.pk}/family/add/parent/{dad.pk}/" in found
    assert f"/children/{child.pk}/family/add/parent/new/?first_name=Darren&amp;last_name=Whitfield" in found
    response = client.post(f"/children/{child.pk}/family/add/parent/{dad.pk}/",
                           {"parental_responsibility": "yes", "lives_here": "no"})
    assert response.status_code == 302
    relationship = Relationship.objects.get(person=dad, relative=child)
    assert relationship.kind == "parent" and relationship.parental_responsibility
    assert AccessEvent.objects.filter(person=dad, user=social_worker).exists()  # his record was looked at


def test_a_person_the_reader_may_not_see_cannot_be_chosen(la, social_worker):
    child = make_person(la)
    hidden = make_person(la, Person.AccessLevel.SEALED)
    response = client_for(social_worker).post(f"/children/{child.pk}/family/add/parent/{hidden.pk}/",
                                              {"parental_responsibility": "yes"})
    assert response.status_code == 404
    assert not Relationship.objects.exists()


def test_relationship_rules(la):
    child, aunt = make_person(la), make_person(la)
    with pytest.raises(ValidationError, match="Only a parent, step-parent or carer"):
        relationship_add(person=aunt, relative=child, kind="sibling", parental_responsibility=True, by="test")
    relationship_add(person=aunt, relative=child, kind="carer", by="test")
    with pytest.raises(ValidationError, match="already recorded"):
        relationship_add(person=aunt, relative=child, kind="carer", by="test")
    relationship_add(person=child, relative=aunt, kind="household_member", by="test")
    with pytest.raises(ValidationError, match="already recorded"):  # the same both ways
        relationship_add(person=aunt, relative=child, kind="household_member", by="test")
    with pytest.raises(ValidationError, match="themselves"):
        relationship_add(person=child, relative=child, kind="sibling", by="test")


def test_a_relationship_is_ended_not_deleted(la, social_worker):
    family = make_family(la)
    child, dad = family["child"], family["dad"]
    relationship = Relationship.objects.get(person=dad, relative=child)
    client = client_for(social_worker)
    response = client.post(f"/children/{child.pk}/family/{relationship.pk}/end/", {
        "version": str(relationship.version), "ended_on_0": "1", "ended_on_1": "9", "ended_on_2": "2024"})
    assert response.status_code == 302
    relationship.refresh_from_db()
    assert relationship.ended_on == date(2024, 9, 1)
    assert ChronologyEvent.objects.filter(person=child, title="Parent relationship ended").exists()
    page = client.get(f"/children/{child.pk}/family/").content.decode()
    assert "Ended 1 Sep 2024" in page and 'stroke-dasharray="9 6"' in page


def test_the_family_view_draws_the_genogram_and_hides_restricted_relatives(la, social_worker):
    family = make_family(la)
    child = family["child"]
    secret = make_person(la, Person.AccessLevel.SEALED, first_name="Seraphina", last_name="Hidden", sex="F",
                         date_of_birth=date(2012, 5, 5))
    relate(child, Relationship.Kind.HALF_SIBLING, secret)
    baby = make_person(la, first_name="Baby", last_name="Whitfield", sex="U", date_of_birth=None,
                       expected_date_of_birth=date.today().replace(day=1))
    relate(child, Relationship.Kind.PARENT, baby)
    page = client_for(social_worker).get(f"/children/{child.pk}/family/").content.decode()
    assert '<svg role="img" aria-labelledby="genogram-title genogram-desc"' in page
    assert '<title id="genogram-title">Family network of Jordan Whitfield</title>' in page
    assert "1 restricted record shown without a name" in page
    assert "Seraphina" not in page and "Hidden" not in page and str(secret.date_of_birth.year) not in page
    assert f"/children/{secret.pk}/" not in page
    assert "<rect" in page and "<circle" in page  # dad a square, mum and the child circles
    assert f'<a href="/children/{family["mum"].pk}/" tabindex="-1">' in page
    assert "Kerry Whitfield" in page and "Half-sibling" in page and "Restricted record" in page
    assert AccessEvent.objects.filter(person=child, page=f"/children/{child.pk}/family/").count() == 1


def test_the_family_view_runs_the_same_queries_however_big_the_family(la, social_worker):
    family = make_family(la)
    child = family["child"]
    client = client_for(social_worker)
    relate(child, Relationship.Kind.SIBLING, make_person(la))
    few = query_count(lambda: client.get(f"/children/{child.pk}/family/"))
    for n in range(8):
        sibling = make_person(la, Person.AccessLevel.RESTRICTED if n % 3 == 0 else Person.AccessLevel.OPEN)
        home(sibling)
        relate(child, Relationship.Kind.HALF_SIBLING if n % 2 else Relationship.Kind.SIBLING, sibling)
        relate(family["mum"], Relationship.Kind.PARENT, sibling)
        relate(make_person(la), Relationship.Kind.HOUSEHOLD_MEMBER, child)
    assert query_count(lambda: client.get(f"/children/{child.pk}/family/")) == few


def test_the_search_for_an_existing_relative_runs_the_same_queries_for_many_matches(la, social_worker):
    from hearth.search.services import name_keys_refresh

    child = make_person(la, first_name="Jordan", last_name="Okafor")
    client = client_for(social_worker)

    def another() -> None:
        name_keys_refresh(person=make_person(la, first_name="Ada", last_name="Okafor", date_of_birth=date(1990, 1, 1)))

    another()
    search = {"first_name": "Ada", "last_name": "Okafor"}
    few = query_count(lambda: client.get(f"/children/{child.pk}/family/add/parent/", search))
    for _ in range(8):
        another()
    page = client.get(f"/children/{child.pk}/family/add/parent/", search).content.decode()
    assert page.count("Ada Okafor") == 9
    assert query_count(lambda: client.get(f"/children/{child.pk}/family/add/parent/", search)) == few
