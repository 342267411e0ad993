"""Findings of the bad-input review, each pinned by a test."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from hearth.people.services import relationship_add
from tests.conftest import client_for
from tests.factories import make_person


def test_a_huge_number_in_a_date_box_is_an_error_not_a_crash(la, social_worker):
    child = make_person(la)
    response = client_for(social_worker).get(f"/children/{child.pk}/chronology/", {
        "start_0": "99999999999999999999", "start_1": "1", "start_2": "2020"})
    assert response.status_code == 200
    assert "must be a real date" in response.content.decode()


def test_after_a_refused_stale_save_saving_again_works(la, social_worker, team_manager):
    child = make_person(la, first_name="Jordan")
    page = client_for(social_worker).get(f"/children/{child.pk}/details/").content.decode()
    assert 'name="version"' in page
    mine = client_for(social_worker)
    theirs = client_for(team_manager)
    data = {"version": "1", "first_name": "Jordy", "last_name": child.last_name, "preferred_name": "",
            "date_of_birth_0": "27", "date_of_birth_1": "3", "date_of_birth_2": "2015", "sex": "F"}
    theirs.post(f"/children/{child.pk}/details/", {**data, "first_name": "Jo"})
    refused = mine.post(f"/children/{child.pk}/details/", data)
    assert "Someone else saved changes" in refused.content.decode()
    assert 'name="version" value="2"' in refused.content.decode()
    again = mine.post(f"/children/{child.pk}/details/", {**data, "version": "2"})
    assert again.status_code == 302
    child.refresh_from_db()
    assert child.first_name == "Jordy"


def test_a_relationship_cannot_start_before_both_people_were_born(la):
    older = make_person(la, date_of_birth=date(2012, 1, 1))
    younger = make_person(la, date_of_birth=date(2018, 6, 1))
    with pytest.raises(ValidationError) as refused:
        relationship_add(person=older, relative=younger, kind="sibling", started_on=date(1950, 1, 1), by="test")
    assert "cannot start before both people were born" in str(refused.value)


def test_sign_in_messages_are_specific(db):
    from django.test import Client

    page = Client().post("/accounts/sign-in/", {"username": "", "password": ""}).content.decode()
    assert "Enter your username" in page and "Enter your password" in page
    assert "This field is required" not in page
