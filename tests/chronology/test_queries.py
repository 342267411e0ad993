"""The chronology page runs the same number of queries for a short and a long chronology."""

from __future__ import annotations

from hearth.chronology.models import EventType
from tests.conftest import client_for
from tests.factories import make_person, make_user
from tests.queries import query_count

from .factories import at, make_event, make_note


def add_events(person, la, n: int) -> None:
    kinds = [EventType.VISIT, EventType.CONTACT, EventType.REVIEW, EventType.PLACEMENT]
    for i in range(n):
        author = make_user(la)  # a different author on every line
        make_event(person, by=author, title=f"Event {i}", event_type=kinds[i % 4], occurred=at(2025, 1, 1 + i % 28),
                   significant=i % 3 == 0)
        make_note(person, author, title=f"Note {i}")


def test_the_chronology_page(la, social_worker):
    child = make_person(la)
    client = client_for(social_worker)
    add_events(child, la, 1)
    few = query_count(lambda: client.get(f"/children/{child.pk}/chronology/"))
    add_events(child, la, 30)
    assert query_count(lambda: client.get(f"/children/{child.pk}/chronology/")) == few


def test_the_filtered_htmx_results(la, social_worker):
    child = make_person(la)
    client = client_for(social_worker)
    params = {"types": ["visit", "case_note"], "start_0": "1", "start_1": "1", "start_2": "2025"}
    add_events(child, la, 1)
    few = query_count(lambda: client.get(f"/children/{child.pk}/chronology/", params, HTTP_HX_REQUEST="true"))
    add_events(child, la, 30)
    assert query_count(lambda: client.get(f"/children/{child.pk}/chronology/", params, HTTP_HX_REQUEST="true")) == few


def test_the_pdf(la, social_worker):
    child = make_person(la)
    client = client_for(social_worker)
    add_events(child, la, 1)
    few = query_count(lambda: client.get(f"/children/{child.pk}/chronology/pdf/"))
    add_events(child, la, 15)
    assert query_count(lambda: client.get(f"/children/{child.pk}/chronology/pdf/")) == few
