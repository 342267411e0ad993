"""A user of one council cannot read, search or export another council's records."""

from __future__ import annotations

from hearth.access.models import AccessEvent
from hearth.accounts.roles import Role
from tests.conftest import client_for
from tests.factories import make_person, make_team, make_user


def test_another_councils_child_cannot_be_read_searched_or_exported(la, other_la, social_worker):
    theirs = make_person(other_la, first_name="Morgan", last_name="Elsewhere")
    ours = make_person(la, first_name="Morgan", last_name="Here")
    client = client_for(social_worker)

    assert client.get(f"/children/{theirs.pk}/").status_code == 404
    assert client.get(f"/children/{theirs.pk}/print/").status_code == 404
    assert client.get(f"/children/{theirs.pk}/details/").status_code == 404
    assert client.get(f"/children/{theirs.pk}/access-log/").status_code == 404

    page = client.get("/search/", {"q": "Morgan"}).content.decode()
    assert "Here" in page and "Elsewhere" not in page
    assert "Elsewhere" not in client.get("/search/", {"q": str(theirs.pk)}).content.decode()

    export = client.post("/search/export.csv", {"q": "Morgan"})
    body = b"".join(export.streaming_content).decode()
    assert "Here" in body and "Elsewhere" not in body
    assert not AccessEvent.objects.filter(person=theirs).exists()
    assert AccessEvent.objects.filter(person=ours, action="export", user=social_worker).count() == 1


def test_a_manager_of_another_council_cannot_see_the_access_log(la, other_la):
    child = make_person(la)
    manager = make_user(other_la, Role.TEAM_MANAGER, make_team(other_la))
    dpo = make_user(other_la, Role.SERVICE_MANAGER, is_data_protection_officer=True)
    assert client_for(manager).get(f"/children/{child.pk}/access-log/").status_code == 404
    assert client_for(dpo).get(f"/children/{child.pk}/access-log/").status_code == 404


def test_roles_without_case_access_see_no_records(la):
    child = make_person(la, first_name="Riley", last_name="Visible")
    for role in (Role.PERFORMANCE_ANALYST, Role.SYSTEM_ADMIN, Role.PARTNER_REFERRER):
        client = client_for(make_user(la, role))
        # A partner is stopped at the portal's edge (403) before the record is even looked up.
        expected = 403 if role == Role.PARTNER_REFERRER else 404
        assert client.get(f"/children/{child.pk}/").status_code == expected
        assert "Visible" not in client.get("/search/", {"q": "Riley"}).content.decode()
