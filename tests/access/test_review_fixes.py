"""Findings of the access review, each pinned by a test."""

from __future__ import annotations

import pytest
from django.db import IntegrityError

from hearth.access.models import AccessEvent
from hearth.accounts.roles import Role
from hearth.audit.actor import acting_as
from hearth.people.models import Person
from tests.conftest import client_for
from tests.factories import make_person, make_user


def test_a_merged_record_does_not_reveal_a_survivor_the_user_cannot_open(la, social_worker):
    survivor = make_person(la, Person.AccessLevel.SEALED)
    merged = make_person(la)
    with acting_as("test"):
        merged.merged_into = survivor
        merged.save()
    assert client_for(social_worker).get(f"/children/{merged.pk}/").status_code == 404


def test_a_superuser_cannot_belong_to_a_council(la):
    with pytest.raises(IntegrityError):
        make_user(la, Role.SYSTEM_ADMIN, is_superuser=True, is_staff=True)


def test_the_access_log_and_access_settings_pages_are_themselves_logged(la, team_manager):
    child = make_person(la)
    client = client_for(team_manager)
    client.get(f"/children/{child.pk}/access-log/")
    client.get(f"/children/{child.pk}/access/")
    pages = set(AccessEvent.objects.filter(person=child, user=team_manager).values_list("page", flat=True))
    assert pages == {f"/children/{child.pk}/access-log/", f"/children/{child.pk}/access/"}


def test_starting_a_new_person_again_needs_a_post(la, social_worker):
    from hearth.workspace.models import FormDraft

    client = client_for(social_worker)
    client.post("/drafts/save/", {"draft_key": "person-new-who", "first_name": "Kit"})
    client.get("/children/new/?restart=1")
    assert FormDraft.objects.filter(user=social_worker).exists()
