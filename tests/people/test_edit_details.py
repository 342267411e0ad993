from __future__ import annotations

from hearth.people.models import Person
from tests.conftest import client_for
from tests.factories import make_person


def form_data(person: Person, **changes: str) -> dict[str, str]:
    data = {
        "version": str(person.version), "first_name": person.first_name, "last_name": person.last_name,
        "preferred_name": "", "date_of_birth_0": "27", "date_of_birth_1": "3", "date_of_birth_2": "2015", "sex": "F",
    }
    data.update(changes)
    return data


def test_details_are_saved_and_the_draft_cleared(la, social_worker):
    child = make_person(la)
    client = client_for(social_worker)
    client.post("/drafts/save/", {"draft_key": f"person-details-{child.pk}", "first_name": "Half-typed"})
    response = client.post(f"/children/{child.pk}/details/", form_data(child, first_name="Jo"))
    assert response.status_code == 302
    child.refresh_from_db()
    assert child.first_name == "Jo" and child.version == 2
    assert "Half-typed" not in client.get(f"/children/{child.pk}/details/").content.decode()


def test_a_stale_save_is_refused_with_the_users_input_kept(la, social_worker, team_manager):
    child = make_person(la, first_name="Jordan")
    stale = form_data(child, first_name="Jordy", preferred_name="JJ")
    client_for(team_manager).post(f"/children/{child.pk}/details/", form_data(child, last_name="Changed"))

    response = client_for(social_worker).post(f"/children/{child.pk}/details/", stale)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Someone else saved changes to this record after you opened it" in page
    assert 'value="Jordy"' in page and 'value="JJ"' in page
    assert "last_name" in page  # what the other person changed is named
    child.refresh_from_db()
    assert child.first_name == "Jordan" and child.last_name == "Changed"


def test_an_impossible_date_is_explained_and_the_typing_kept(la, social_worker):
    child = make_person(la)
    response = client_for(social_worker).post(
        f"/children/{child.pk}/details/",
        form_data(child, first_name="Robin", date_of_birth_0="31", date_of_birth_1="2", date_of_birth_2="2015"),
    )
    page = response.content.decode()
    assert "Date of birth must be a real date" in page
    assert 'value="31"' in page and 'value="Robin"' in page
    child.refresh_from_db()
    assert child.first_name != "Robin"


def test_a_future_or_incomplete_date_is_refused(la, social_worker):
    child = make_person(la)
    client = client_for(social_worker)
    future = client.post(f"/children/{child.pk}/details/", form_data(child, date_of_birth_2="2999"))
    assert "Date of birth must be today or in the past" in future.content.decode()
    partial = client.post(f"/children/{child.pk}/details/", form_data(child, date_of_birth_1=""))
    assert "Date of birth must include a month" in partial.content.decode()
