"""Adding a child: the likely existing records are shown before any new record can be made."""

from __future__ import annotations

from datetime import date

from hearth.people.models import Address, Person
from hearth.search.models import NameKey
from hearth.search.services import name_keys_refresh
from hearth.workspace.models import FormDraft
from tests.conftest import client_for
from tests.factories import make_person

WHO = {"first_name": "Jordan", "last_name": "Whitfield", "date_of_birth_0": "27", "date_of_birth_1": "3",
       "date_of_birth_2": "2015", "sex": "F", "nhs_number": "", "upn": "", "postcode": "ng2 3ng"}


def test_a_likely_existing_record_is_shown_before_a_new_one_is_made(la, social_worker):
    existing = make_person(la, first_name="Jordan", last_name="Whitfield", date_of_birth=date(2015, 3, 27))
    name_keys_refresh(person=existing)
    client = client_for(social_worker)
    response = client.post("/children/new/", WHO)
    assert response.status_code == 302 and response.url == "/children/new/matches/"
    page = client.get("/children/new/matches/").content.decode()
    assert "Is this one of these children?" in page and existing.hearth_id in page
    assert "Yes, use this record" in page and "No, create a new record" in page
    # The rest of the journey is closed until the matches have been looked at.
    assert client.get("/children/new/more/").url == "/children/new/matches/"
    assert client.post("/children/new/check/").url == "/children/new/matches/"

    used = client.post("/children/new/matches/", {"use": str(existing.pk)})
    assert used.status_code == 302 and used.url == f"/children/{existing.pk}/"
    assert Person.objects.count() == 1
    assert not FormDraft.objects.filter(user=social_worker).exists()


def test_no_new_record_means_the_rest_of_the_details_then_check_then_create(la, social_worker):
    client = client_for(social_worker)
    client.post("/children/new/", {**WHO, "nhs_number": "943 476 5919"})
    assert "No existing record found" in client.get("/children/new/matches/").content.decode()
    assert client.post("/children/new/matches/", {"decision": "new"}).url == "/children/new/more/"
    assert client.post("/children/new/more/", {"preferred_name": "Jo", "ethnicity": "MWBC", "first_language": "English"
                                               }).url == "/children/new/address/"
    address_page = client.get("/children/new/address/").content.decode()
    assert 'value="NG2 3NG"' in address_page  # the postcode given at the start is not asked again
    bad = client.post("/children/new/address/", {"line_1": "12 Acacia Road", "postcode": "NG2 3NG"}).content.decode()
    assert "Enter the town or city" in bad and 'value="12 Acacia Road"' in bad
    assert client.post("/children/new/address/", {"line_1": "12 Acacia Road", "town": "Nottingham",
                                                  "postcode": "NG2 3NG"}).url == "/children/new/check/"
    check = client.get("/children/new/check/").content.decode()
    assert "Check the details before making the record" in check and "943 476 5919" not in check
    assert "9434765919" in check and "White and Black Caribbean" in check and "12 Acacia Road" in check
    assert "/children/new/more/?back=check" in check

    created = client.post("/children/new/check/")
    person = Person.objects.get()
    assert created.url == f"/children/{person.pk}/"
    assert (person.first_name, person.preferred_name, person.nhs_number, person.ethnicity) == (
        "Jordan", "Jo", "9434765919", "MWBC")
    assert Address.objects.get(person=person).postcode == "NG2 3NG"
    assert NameKey.objects.filter(person=person, key="jordan").exists()
    assert not FormDraft.objects.filter(user=social_worker).exists()


def test_changing_who_the_child_is_means_looking_at_the_matches_again(la, social_worker):
    client = client_for(social_worker)
    client.post("/children/new/", WHO)
    client.post("/children/new/matches/", {"decision": "new"})
    client.post("/children/new/", {**WHO, "last_name": "Whitfeld"})
    assert client.get("/children/new/more/").url == "/children/new/matches/"


def test_bad_identifiers_are_explained_on_the_first_step_and_the_typing_kept(la, social_worker):
    client = client_for(social_worker)
    page = client.post("/children/new/", {**WHO, "nhs_number": "1234567890", "upn": "A123",
                                          "postcode": "not a postcode"}).content.decode()
    assert "Enter a real NHS number" in page and "Enter the UPN as 13 characters" in page
    assert "Enter a real postcode" in page
    assert 'value="1234567890"' in page and 'value="A123"' in page and 'value="Jordan"' in page
    # Coming back later (a timeout, another tab), what was typed is still there, without the errors.
    again = client.get("/children/new/").content.decode()
    assert 'value="1234567890"' in again and "We kept what you typed last time" in again
    assert "govuk-error-summary" not in again


def test_a_date_of_birth_or_an_expected_one_is_needed(la, social_worker):
    page = client_for(social_worker).post("/children/new/", {**WHO, "date_of_birth_0": "", "date_of_birth_1": "",
                                                             "date_of_birth_2": ""}).content.decode()
    assert "Enter the date of birth, or the expected date of birth if the child is not born yet" in page


def test_staff_without_case_access_cannot_add_children(la):
    from hearth.accounts.roles import Role
    from tests.factories import make_user

    analyst = make_user(la, Role.PERFORMANCE_ANALYST)
    assert client_for(analyst).get("/children/new/").status_code == 403
