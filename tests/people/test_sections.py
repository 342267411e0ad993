"""Each section of a person's record edits through its form: identifiers checked, typing kept on any error."""

from __future__ import annotations

from datetime import date, timedelta
from html import unescape

import pytest
from django.utils import timezone

from hearth.chronology.models import ChronologyEvent
from hearth.people.models import Person, PersonName
from hearth.search.models import NameKey
from tests.conftest import client_for
from tests.factories import make_person


def identifiers(person: Person, **changes: str) -> dict[str, str]:
    data = {"version": str(person.version), "nhs_number": "", "upn": "", "former_upn": "", "upn_unknown": ""}
    data.update(changes)
    return data


def details(person: Person, **changes: str) -> dict[str, str]:
    data = {
        "version": str(person.version), "first_name": person.first_name, "middle_names": "",
        "last_name": person.last_name, "preferred_name": "", "date_of_birth_0": "27", "date_of_birth_1": "3",
        "date_of_birth_2": "2015", "sex": person.sex, "gender_identity": "",
    }
    data.update(changes)
    return data


@pytest.mark.parametrize(
    ("field", "typed", "message"),
    [
        ("nhs_number", "943 476 5918", "Enter a real NHS number"),
        ("nhs_number", "94347659", "Enter the NHS number as 10 digits"),
        ("upn", "B801200000001", "Enter a real UPN"),
        ("upn", "X8012", "Enter the UPN as 13 characters"),
        ("former_upn", "A80120000000I", "starts with a letter, then 11 numbers"),
    ],
)
def test_a_wrong_identifier_is_explained_by_the_field_and_the_typing_kept(la, social_worker, field, typed, message):
    child = make_person(la)
    response = client_for(social_worker).post(f"/children/{child.pk}/identifiers/",
                                              identifiers(child, **{field: typed}, upn_unknown="UN1"
                                                          if field != "upn" else ""))
    page = response.content.decode()
    assert response.status_code == 200
    assert f'id="id_{field}-error"' in page and message in page
    assert f'href="#id_{field}"' in page  # the error summary links to the field
    assert f'value="{typed}"' in page
    assert page.startswith("<!DOCTYPE html>") and "<title>Error: " in page
    child.refresh_from_db()
    assert getattr(child, field) == ""


def test_good_identifiers_are_stored_normalised(la, social_worker):
    child = make_person(la)
    response = client_for(social_worker).post(f"/children/{child.pk}/identifiers/",
                                              identifiers(child, nhs_number="943 476 5919", upn="x801 2000 00001"))
    assert response.status_code == 302
    child.refresh_from_db()
    assert (child.nhs_number, child.upn) == ("9434765919", "X801200000001")
    assert "943 476 5919" in client_for(social_worker).get(f"/children/{child.pk}/").content.decode()


def test_a_upn_and_a_reason_it_is_not_known_cannot_both_be_given(la, social_worker):
    child = make_person(la)
    page = client_for(social_worker).post(f"/children/{child.pk}/identifiers/",
                                          identifiers(child, upn="X801200000001", upn_unknown="UN2")).content.decode()
    assert "Give the UPN or the reason it is not known, not both" in page


def test_an_unborn_child_must_have_sex_not_known(la, social_worker):
    child = make_person(la, date_of_birth=None, expected_date_of_birth=timezone.localdate() + timedelta(days=60),
                        sex="U")
    due = child.expected_date_of_birth
    page = client_for(social_worker).post(f"/children/{child.pk}/details/", details(
        child, sex="F", date_of_birth_0="", date_of_birth_1="", date_of_birth_2="",
        expected_date_of_birth_0=str(due.day), expected_date_of_birth_1=str(due.month),
        expected_date_of_birth_2=str(due.year),
    )).content.decode()
    page = unescape(page)
    assert "An unborn child's sex is recorded as 'Not known' until they are born" in page
    child.refresh_from_db()
    assert child.sex == "U"


def test_born_and_expected_dates_cannot_both_be_given(la, social_worker):
    child = make_person(la)
    page = client_for(social_worker).post(f"/children/{child.pk}/details/", details(
        child, expected_date_of_birth_0="1", expected_date_of_birth_1="1", expected_date_of_birth_2="2015",
    )).content.decode()
    assert "not both" in page and 'id="id_expected_date_of_birth-error"' in page


def test_no_disability_cannot_be_combined_with_a_disability(la, social_worker):
    child = make_person(la)
    client = client_for(social_worker)
    data = {"version": str(child.version), "ethnicity": "WBRI", "first_language": "English", "religion": "",
            "disabilities": ["NONE", "AUT"]}
    page = unescape(client.post(f"/children/{child.pk}/background/", data).content.decode())
    assert "Select 'No disability' or the child's disabilities, not both" in page
    assert 'value="English"' in page
    data["disabilities"] = ["AUT", "COMM"]
    assert client.post(f"/children/{child.pk}/background/", data).status_code == 302
    child.refresh_from_db()
    assert child.disabilities == ["AUT", "COMM"] and child.ethnicity == "WBRI"


def test_uasc_status(la, social_worker):
    child = make_person(la)
    client = client_for(social_worker)
    refused = client.post(f"/children/{child.pk}/immigration/", {
        "version": str(child.version), "is_uasc": "no", "uasc_ceased_on_0": "1", "uasc_ceased_on_1": "1",
        "uasc_ceased_on_2": "2024", "immigration_status": "",
    }).content.decode()
    assert "Only give the date UASC status ended" in refused
    saved = client.post(f"/children/{child.pk}/immigration/", {
        "version": str(child.version), "is_uasc": "yes", "immigration_status": "asylum_seeker"})
    assert saved.status_code == 302
    child.refresh_from_db()
    assert child.is_uasc and child.immigration_status == "asylum_seeker"


def test_a_change_of_name_keeps_the_old_one_searchable_and_is_in_the_chronology(la, social_worker):
    child = make_person(la, first_name="Jordan", last_name="Smith")
    response = client_for(social_worker).post(f"/children/{child.pk}/details/", details(child, last_name="Whitfield"))
    assert response.status_code == 302
    previous = PersonName.objects.get(person=child)
    assert (previous.kind, previous.first_name, previous.last_name) == ("previous", "Jordan", "Smith")
    keys = set(NameKey.objects.filter(person=child, kind="exact").values_list("key", flat=True))
    assert {"smith", "whitfield", "jordan"} <= keys
    event = ChronologyEvent.objects.get(person=child, event_type="person_details")
    assert event.title == "Personal details changed" and "legal last name" in event.summary


def test_a_date_of_death_is_a_significant_event(la, social_worker):
    child = make_person(la, date_of_birth=date(2015, 3, 27))
    response = client_for(social_worker).post(f"/children/{child.pk}/details/", details(
        child, date_of_death_0="2", date_of_death_1="1", date_of_death_2="2025"))
    assert response.status_code == 302
    event = ChronologyEvent.objects.get(person=child, title="Date of death recorded")
    assert event.significant and event.occurred_at.date() == date(2025, 1, 2)


def test_other_names_are_added_and_searchable(la, social_worker):
    child = make_person(la)
    client = client_for(social_worker)
    missing = client.post(f"/children/{child.pk}/names/add/", {"kind": "alias"}).content.decode()
    assert "Enter a first name or a last name" in missing
    assert client.post(f"/children/{child.pk}/names/add/", {"kind": "nickname", "first_name": "JJ"}).status_code == 302
    assert NameKey.objects.filter(person=child, key="jj").exists()


def test_a_contact_detail_is_checked_and_ended(la, social_worker):
    child = make_person(la)
    client = client_for(social_worker)
    bad = client.post(f"/children/{child.pk}/contact-details/add/", {"kind": "email", "value": "not an email"})
    assert "Enter an email address in the correct format" in bad.content.decode()
    assert 'value="not an email"' in bad.content.decode()
    assert client.post(f"/children/{child.pk}/contact-details/add/",
                       {"kind": "mobile", "value": "07700 900982"}).status_code == 302
    detail = child.contact_details.get()
    ended = client.post(f"/children/{child.pk}/contact-details/{detail.pk}/end/",
                        {"ended_on_0": "1", "ended_on_1": "2", "ended_on_2": "2025"})
    assert ended.status_code == 302
    detail.refresh_from_db()
    assert detail.ended_on == date(2025, 2, 1)


def test_sections_of_another_councils_record_do_not_exist(la, other_la, social_worker):
    theirs = make_person(other_la)
    client = client_for(social_worker)
    for url in ("background", "identifiers", "immigration", "names/add", "addresses/move", "contact-details/add",
                "family", "family/add", "family/add/sibling", "family/add/sibling/new", "professionals",
                "professionals/add"):
        assert client.get(f"/children/{theirs.pk}/{url}/").status_code == 404, url


def test_a_restricted_record_refuses_its_sections(la, social_worker):
    child = make_person(la, Person.AccessLevel.RESTRICTED)
    client = client_for(social_worker)
    for url in ("identifiers", "family", "addresses/move", "professionals"):
        response = client.get(f"/children/{child.pk}/{url}/")
        assert response.status_code == 403 and child.last_name not in response.content.decode(), url


def test_too_long_a_name_is_explained_in_govuk_words(la, social_worker):
    child = make_person(la)
    long_name = "A" * 101
    page = client_for(social_worker).post(f"/children/{child.pk}/details/",
                                          details(child, first_name=long_name)).content.decode()
    assert "Legal first name must be 100 characters or fewer" in page and f'value="{long_name}"' in page
