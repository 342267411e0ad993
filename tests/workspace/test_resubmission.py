"""A form sent twice (a double click without JavaScript, a resent page) adds nothing twice."""

from __future__ import annotations

import re

from hearth.chronology.models import CaseNote
from hearth.people.models import ContactDetail
from tests.conftest import client_for
from tests.factories import make_person


def token_from(page: str) -> str:
    match = re.search(r'name="submission_token" value="([0-9a-f]{32})"', page)
    assert match, "the form carries a one-time token"
    return match.group(1)


def test_a_contact_detail_sent_twice_is_saved_once(la, social_worker):
    child = make_person(la)
    client = client_for(social_worker)
    url = f"/children/{child.pk}/contact-details/add/"
    token = token_from(client.get(url).content.decode())
    data = {"kind": "mobile", "value": "07700 900123", "note": "", "submission_token": token}
    assert client.post(url, data).status_code == 302
    again = client.post(url, data, follow=True)
    assert "already saved" in again.content.decode()
    assert ContactDetail.objects.filter(person=child).count() == 1


def test_a_form_with_errors_can_be_corrected_and_sent_with_the_same_token(la, social_worker):
    child = make_person(la)
    client = client_for(social_worker)
    url = f"/children/{child.pk}/contact-details/add/"
    token = token_from(client.get(url).content.decode())
    refused = client.post(url, {"kind": "mobile", "value": "", "submission_token": token})
    assert refused.status_code == 200
    assert client.post(url, {"kind": "mobile", "value": "07700 900123", "submission_token": token}).status_code == 302
    assert ContactDetail.objects.filter(person=child).count() == 1


def test_a_case_note_sent_twice_is_saved_once(la, social_worker):
    child = make_person(la)
    client = client_for(social_worker)
    url = f"/children/{child.pk}/chronology/notes/new/"
    page = client.get(url).content.decode()
    data = {"occurred_on_0": "1", "occurred_on_1": "3", "occurred_on_2": "2026", "occurred_time": "09:30",
            "title": "Home visit", "body_html": "<p>Seen alone</p>", "submission_token": token_from(page)}
    first = client.post(url, data)
    assert first.status_code == 302, first.content.decode()[:2000]
    client.post(url, data)
    assert CaseNote.objects.filter(person=child).count() == 1
