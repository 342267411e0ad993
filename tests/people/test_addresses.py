"""Moves: the old address ends, the new one starts, the household can move together, the chronology says so."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from hearth.chronology.models import ChronologyEvent
from hearth.people.models import Address, Person
from hearth.people.selectors import household_of, known_facts
from hearth.people.services import address_move
from tests.conftest import client_for
from tests.factories import make_person
from tests.people.factories import home, make_family


def move_form(**changes: object) -> dict[str, object]:
    data: dict[str, object] = {"line_1": "3 Mill Lane", "line_2": "", "town": "Nottingham", "postcode": "ng7 1aa",
                               "moved_in_on_0": "10", "moved_in_on_1": "3", "moved_in_on_2": "2025"}
    data.update(changes)
    return data


def test_a_move_ends_the_old_address_the_day_before_and_writes_the_chronology(la, social_worker):
    child = make_person(la)
    old = home(child, moved_in_on=date(2020, 1, 6))
    response = client_for(social_worker).post(f"/children/{child.pk}/addresses/move/", move_form())
    assert response.status_code == 302 and response.url == f"/children/{child.pk}/"
    old.refresh_from_db()
    new = Address.objects.get(person=child, moved_out_on__isnull=True)
    assert old.moved_out_on == date(2025, 3, 9)
    assert (new.line_1, new.postcode, new.moved_in_on) == ("3 Mill Lane", "NG7 1AA", date(2025, 3, 10))
    event = ChronologyEvent.objects.filter(person=child, event_type="address").order_by("-occurred_at").first()
    assert event is not None and event.title == "Moved to 3 Mill Lane, Nottingham, NG7 1AA"
    assert event.occurred_at.date() == date(2025, 3, 10) and "12 Acacia Road" in event.summary


def test_a_move_can_take_the_household_at_the_old_address_with_it(la, social_worker):
    family = make_family(la)
    child, mum, dad = family["child"], family["mum"], family["dad"]
    client = client_for(social_worker)
    page = client.get(f"/children/{child.pk}/addresses/move/").content.decode()
    assert "Kerry Whitfield" in page and "Darren Whitfield" in page and "What we know now" in page
    response = client.post(f"/children/{child.pk}/addresses/move/", move_form(household=[str(mum.pk)]))
    assert response.status_code == 302
    current = {p: Address.objects.get(person=p, moved_out_on__isnull=True).line_1 for p in (child, mum, dad)}
    assert current == {child: "3 Mill Lane", mum: "3 Mill Lane", dad: "12 Acacia Road"}
    assert ChronologyEvent.objects.filter(person=mum, event_type="address", title__startswith="Moved to 3").exists()


def test_a_restricted_member_of_the_household_is_neither_named_nor_offered(la, social_worker):
    child = make_person(la)
    hidden = make_person(la, Person.AccessLevel.SEALED, first_name="Hidden", last_name="Lodger")
    home(child)
    home(hidden)
    page = client_for(social_worker).get(f"/children/{child.pk}/addresses/move/").content.decode()
    assert "Lodger" not in page and f'value="{hidden.pk}"' not in page
    assert "1 restricted record at this address is not listed" in page
    # Posting their id anyway moves no one who cannot be seen.
    client_for(social_worker).post(f"/children/{child.pk}/addresses/move/", move_form(household=[str(hidden.pk)]))
    assert Address.objects.get(person=hidden, moved_out_on__isnull=True).line_1 == "12 Acacia Road"


def test_someone_at_another_address_cannot_be_moved_with_them(la):
    child, stranger = make_person(la), make_person(la)
    home(child)
    home(stranger, line_1="99 Far Away", postcode="NG1 1AA")
    with pytest.raises(ValidationError, match="does not live at the same address"):
        address_move(person=child, line_1="1 New Road", town="Nottingham", postcode="NG7 1AA",
                     moved_in_on=date(2025, 1, 1), household=[stranger], by="test")


def test_a_bad_postcode_or_date_is_explained_and_the_typing_kept(la, social_worker):
    child = make_person(la)
    home(child, moved_in_on=date(2024, 6, 1))
    client = client_for(social_worker)
    page = client.post(f"/children/{child.pk}/addresses/move/", move_form(postcode="NG77")).content.decode()
    assert "Enter a real postcode, like NG2 3NG" in page and 'value="NG77"' in page and 'value="3 Mill Lane"' in page
    early = client.post(f"/children/{child.pk}/addresses/move/", move_form(moved_in_on_2="2023")).content.decode()
    assert "The move date must be after they moved into their current address on 1 June 2024" in early
    assert Address.objects.filter(person=child).count() == 1


def test_the_move_page_returns_to_where_it_was_opened_from(la, social_worker):
    child = make_person(la)
    response = client_for(social_worker).post(f"/children/{child.pk}/addresses/move/",
                                              move_form(next=f"/children/{child.pk}/family/add/sibling/new/"))
    assert response.url == f"/children/{child.pk}/family/add/sibling/new/"
    offsite = client_for(social_worker).post(f"/children/{child.pk}/addresses/move/",
                                             move_form(next="https://evil.example/", moved_in_on_2="2025",
                                                       moved_in_on_1="4"))
    assert offsite.url == f"/children/{child.pk}/"


def test_an_address_is_corrected_in_place(la, social_worker):
    child = make_person(la)
    address = home(child)
    client = client_for(social_worker)
    response = client.post(f"/children/{child.pk}/addresses/{address.pk}/correct/", {
        "version": str(address.version), "line_1": "12 Acacia Avenue", "town": "Nottingham", "postcode": "NG2 3NG",
        "moved_in_on_0": "6", "moved_in_on_1": "1", "moved_in_on_2": "2020"})
    assert response.status_code == 302
    address.refresh_from_db()
    assert address.line_1 == "12 Acacia Avenue" and address.moved_out_on is None
    stale = client.post(f"/children/{child.pk}/addresses/{address.pk}/correct/", {
        "version": "1", "line_1": "Typo Road", "town": "Nottingham", "postcode": "NG2 3NG"}).content.decode()
    assert "Someone else saved changes" in stale and 'value="Typo Road"' in stale


def test_household_and_known_facts_name_only_what_the_reader_may_see(la, social_worker):
    family = make_family(la)
    hidden = make_person(la, Person.AccessLevel.RESTRICTED, first_name="Quiet")
    home(hidden)
    members = household_of(person=family["child"], user=social_worker)
    assert {m.name for m in members} == {"Kerry Whitfield", "Darren Whitfield", "Restricted record"}
    facts = known_facts(person=family["child"], user=social_worker)
    assert facts.current_address is not None and facts.current_address.postcode == "NG2 3NG"
    assert [p.name for p in facts.parents_with_pr] == ["Kerry Whitfield", "Darren Whitfield"]
    # With no reader given, only open records are named.
    assert "Restricted record" in {m.name for m in known_facts(person=family["child"]).household}
