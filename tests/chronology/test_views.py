"""The chronology page, case note forms, the significant toggle and hiding, through the browser's door."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from hearth.access.models import AccessEvent
from hearth.access.services import allow_list_add
from hearth.chronology.models import CaseNote, ChronologyEvent, EventType
from hearth.people.models import Person
from hearth.workspace.models import FormDraft
from tests.conftest import client_for
from tests.factories import make_la, make_person, make_user

from .factories import at, make_event, make_note


def url(person: Person, rest: str = "") -> str:
    return f"/children/{person.pk}/chronology/{rest}"


def note_form(**changes: Any) -> dict[str, Any]:
    data = {
        "version": "0", "occurred_on_0": "3", "occurred_on_1": "6", "occurred_on_2": "2025", "occurred_time": "14:30",
        "title": "Home visit", "body_html": "<p>Jordan was <strong>happy</strong>.</p><ul><li>Ate lunch</li></ul>",
    }
    data.update(changes)
    return data


@pytest.fixture
def child(la) -> Person:
    return make_person(la, first_name="Jordan", last_name="Whitfield")


# ---------------------------------------------------------------- the chronology page


def test_the_chronology_lists_events_newest_first_with_who_and_a_link(la, child, social_worker):
    make_event(child, title="Older visit", occurred=at(2024, 1, 5), by=social_worker)
    make_event(child, title="Newer visit", occurred=at(2025, 2, 7, 16, 45), significant=True, link="/children/1/")
    response = client_for(social_worker).get(url(child))
    page = response.content.decode()
    assert response.status_code == 200
    assert page.index("Newer visit") < page.index("Older visit")
    assert "Fri 7 Feb 2025, 16:45" in page and "Significant" in page
    assert f"By {social_worker.get_full_name()}" in page and "Recorded by Hearth" in page
    assert '<a class="govuk-link" href="/children/1/">Newer visit</a>' in page
    assert "Showing 2 events" in page
    assert AccessEvent.objects.filter(person=child, user=social_worker, action="view",
                                      page__startswith=url(child)).count() == 1


def test_an_event_known_only_by_its_day_shows_no_time(la, child, social_worker):
    from datetime import date

    make_event(child, title="Placement started", occurred=date(2025, 3, 14))
    page = client_for(social_worker).get(url(child)).content.decode()
    assert '<time datetime="2025-03-14">Fri 14 Mar 2025</time>' in page


def test_hidden_events_are_left_out(la, child, social_worker, team_manager):
    from hearth.chronology.services import chronology_hide

    event = make_event(child, title="Wrong child")
    chronology_hide(event=event, reason="Wrong child", by=team_manager)
    assert "Wrong child" not in client_for(social_worker).get(url(child)).content.decode()


def test_filter_by_type(la, child, social_worker):
    make_event(child, title="A visit", event_type=EventType.VISIT)
    make_note(child, social_worker, title="A note")
    page = client_for(social_worker).get(url(child), {"types": ["case_note"]}).content.decode()
    assert "A note" in page and "A visit" not in page
    # Only the kinds this chronology holds are offered.
    assert 'value="case_note" checked' in page and 'value="visit"' in page and 'value="placement"' not in page


def test_filter_by_period_includes_both_ends(la, child, social_worker):
    for day in (1, 10, 20, 30):
        make_event(child, title=f"Event on day {day}", occurred=at(2025, 4, day, 23, 30))
    page = client_for(social_worker).get(url(child), {
        "start_0": "10", "start_1": "4", "start_2": "2025", "end_0": "20", "end_1": "4", "end_2": "2025",
    }).content.decode()
    assert "Event on day 10" in page and "Event on day 20" in page
    assert "Event on day 1<" not in page and "Event on day 30" not in page
    assert "Showing 2 events matching the filters" in page


def test_filter_significant_only(la, child, social_worker):
    make_event(child, title="Routine", significant=False)
    make_event(child, title="Police protection", significant=True)
    page = client_for(social_worker).get(url(child), {"significant": "true"}).content.decode()
    assert "Police protection" in page and "Routine" not in page


def test_a_bad_date_is_explained_and_what_was_typed_kept(la, child, social_worker):
    make_event(child, title="Still listed")
    response = client_for(social_worker).get(url(child), {
        "start_0": "31", "start_1": "2", "start_2": "2025", "types": ["visit"], "significant": "true",
    })
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem with the filters" in page and '<a href="#id_start_0">' in page
    assert page.count("Date from must be a real date") == 2  # summary and beside the field
    assert 'value="31"' in page and 'value="2025"' in page and 'value="visit" checked' in page
    assert "<title>Error: " in page
    # The rest of the filter still applies.
    assert "Still listed" not in page


def test_an_end_before_the_start_is_refused(la, child, social_worker):
    page = client_for(social_worker).get(url(child), {
        "start_0": "1", "start_1": "5", "start_2": "2025", "end_0": "1", "end_1": "4", "end_2": "2025",
    }).content.decode()
    assert "Date to must be the same as or after date from" in page


def test_htmx_filtering_swaps_the_page_body(la, child, social_worker):
    make_event(child, title="A visit")
    response = client_for(social_worker).get(url(child), {"significant": "true"}, HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert "<html" not in page and "No events match these filters" in page
    assert '<span id="chronology-announce" hx-swap-oob="innerHTML">No events match these filters</span>' in page
    assert "<title>Chronology: Jordan Whitfield" in page


def test_htmx_with_a_bad_date_shows_the_errors(la, child, social_worker):
    response = client_for(social_worker).get(url(child), {"start_0": "40"}, HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert "<html" not in page and "<title>Error: Chronology" in page
    assert page.count("Date from must include a month and a year") == 2


def test_pages_of_fifty(la, child, social_worker):
    with_events = [ChronologyEvent(local_authority=la, person=child, occurred_at=at(2025, 1, 1, 9, i % 60),
                                   event_type=EventType.VISIT, title=f"Visit {i}") for i in range(60)]
    from hearth.audit.actor import acting_as

    with acting_as("test"):
        ChronologyEvent.objects.bulk_create(with_events)
    client = client_for(social_worker)
    first = client.get(url(child), {"significant": ""}).content.decode()
    assert "Showing 1 to 50 of 60 events" in first and "?significant=&amp;page=2" in first
    assert "Showing 51 to 60 of 60 events" in client.get(url(child), {"page": "2"}).content.decode()


# ---------------------------------------------------------------- case notes


def test_the_note_form_autosaves_as_a_draft(la, child, social_worker):
    page = client_for(social_worker).get(url(child, "notes/new/")).content.decode()
    assert f'data-autosave data-draft-key="case-note-{child.pk}-new"' in page
    assert "data-rich-text" in page and 'name="body_html"' in page and "data-autosave-status" in page


def test_adding_a_note_puts_it_in_the_chronology_and_discards_the_draft(la, child, social_worker):
    client = client_for(social_worker)
    client.post("/drafts/save/", {"draft_key": f"case-note-{child.pk}-new", "title": "Half-typed"})
    response = client.post(url(child, "notes/new/"), note_form(significant="true"))
    assert response.status_code == 302 and response["Location"] == url(child)
    note = CaseNote.objects.get()
    assert note.author == social_worker and note.significant
    assert note.occurred_at == at(2025, 6, 3, 14, 30)
    assert not FormDraft.objects.filter(user=social_worker).exists()
    page = client.get(url(child)).content.decode()
    assert "Home visit" in page and "Jordan was happy. • Ate lunch" in page


def test_a_bad_note_keeps_everything_typed(la, child, social_worker):
    response = client_for(social_worker).post(url(child, "notes/new/"), note_form(
        occurred_on_0="30", occurred_on_1="2", occurred_time="25:99", title="",
        body_html="<p>Long account of the visit</p>",
    ))
    page = response.content.decode()
    assert response.status_code == 200 and not CaseNote.objects.exists()
    for message in ("Date must be a real date", "Time must be a real time, for example 14:30",
                    "Enter a title for the case note"):
        assert page.count(message) == 2, message
    assert 'value="30"' in page and 'value="25:99"' in page
    assert "&lt;p&gt;Long account of the visit&lt;/p&gt;" in page  # back in the textarea


def test_a_note_in_the_future_is_refused(la, child, social_worker):
    tomorrow = timezone.localdate() + timezone.timedelta(days=1)
    page = client_for(social_worker).post(url(child, "notes/new/"), note_form(
        occurred_on_0=str(tomorrow.day), occurred_on_1=str(tomorrow.month), occurred_on_2=str(tomorrow.year),
    )).content.decode()
    assert "Date must be today or in the past" in page and not CaseNote.objects.exists()


def test_a_draft_comes_back_with_a_banner_and_cleaned(la, child, social_worker):
    client = client_for(social_worker)
    client.post("/drafts/save/", {
        "draft_key": f"case-note-{child.pk}-new", "title": "Visit after the timeout",
        "body_html": "<p>Typed before the crash<script>alert(1)</script></p>", "occurred_time": "09:05",
    })
    page = client.get(url(child, "notes/new/")).content.decode()
    assert "We restored the case note you had not saved" in page
    assert 'value="Visit after the timeout"' in page and 'value="09:05"' in page
    assert "Typed before the crash" in page and "alert(1)" not in page


def test_the_author_changes_a_note_and_a_stale_edit_is_explained(la, child, social_worker):
    note = make_note(child, social_worker, title="First title")
    client = client_for(social_worker)
    page = client.get(url(child, f"notes/{note.pk}/")).content.decode()
    assert 'value="First title"' in page and f'data-draft-key="case-note-{child.pk}-{note.pk}"' in page
    stale = note_form(version=str(note.version), title="My late edit")
    assert client.post(url(child, f"notes/{note.pk}/"), note_form(version=str(note.version),
                                                                   title="Second title")).status_code == 302
    page = client.post(url(child, f"notes/{note.pk}/"), stale).content.decode()
    assert "Someone else saved changes to this note after you opened it" in page
    assert 'value="My late edit"' in page
    assert ChronologyEvent.objects.get(source_id=str(note.pk), source_label="chronology.CaseNote").title == \
        "Second title"


def test_someone_else_reads_a_note_but_cannot_change_it(la, child, social_worker, team_manager):
    note = make_note(child, social_worker, body_html="<p>What <em>happened</em></p>")
    client = client_for(team_manager)
    page = client.get(url(child, f"notes/{note.pk}/")).content.decode()
    assert "What <em>happened</em>" in page and "Only the author can change a case note" in page
    assert "<form method=\"post\" novalidate data-autosave" not in page
    assert client.post(url(child, f"notes/{note.pk}/"), note_form(version=str(note.version))).status_code == 403
    assert AccessEvent.objects.filter(person=child, user=team_manager, action="view").count() == 1


def test_a_note_of_another_child_is_not_found(la, child, social_worker):
    note = make_note(make_person(la), social_worker)
    assert client_for(social_worker).get(url(child, f"notes/{note.pk}/")).status_code == 404


# ---------------------------------------------------------------- significant and hide


def test_the_significant_toggle(la, child, social_worker):
    event = make_event(child, title="Strategy discussion")
    client = client_for(social_worker)
    response = client.post(url(child, f"events/{event.pk}/significant/"),
                           {"significant": "true", "next": url(child) + "?types=visit"})
    assert response.status_code == 302 and response["Location"] == url(child) + "?types=visit"
    event.refresh_from_db()
    assert event.significant
    htmx = client.post(url(child, f"events/{event.pk}/significant/"), {"significant": "false"},
                       HTTP_HX_REQUEST="true")
    fragment = htmx.content.decode()
    assert fragment.startswith(f'<li class="hearth-chronology__item" id="event-{event.pk}">')
    assert "Mark as significant" in fragment
    event.refresh_from_db()
    assert not event.significant


def test_the_toggle_never_redirects_off_the_chronology(la, child, social_worker):
    event = make_event(child)
    response = client_for(social_worker).post(url(child, f"events/{event.pk}/significant/"),
                                              {"significant": "true", "next": "https://evil.example/"})
    assert response["Location"] == url(child)


def test_hiding_an_event(la, child, social_worker, team_manager):
    event = make_event(child, title="Wrong child's visit")
    assert client_for(social_worker).get(url(child, f"events/{event.pk}/hide/")).status_code == 403
    client = client_for(team_manager)
    page = client.post(url(child, f"events/{event.pk}/hide/"), {"reason": ""}).content.decode()
    assert page.count("Enter why this event is being hidden") == 2
    response = client.post(url(child, f"events/{event.pk}/hide/"), {"reason": "Recorded on the wrong child"})
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.hidden_at is not None
    assert "Wrong child&#x27;s visit" not in client.get(url(child)).content.decode()


# ---------------------------------------------------------------- access


def test_every_page_of_the_chronology_is_logged(la, child, social_worker):
    note = make_note(child, social_worker)
    client = client_for(social_worker)
    for rest in ("", "?significant=true", "notes/new/", f"notes/{note.pk}/"):
        assert client.get(url(child, rest)).status_code == 200
    assert client.get(url(child, "pdf/")).status_code == 200
    logged = list(AccessEvent.objects.filter(person=child, user=social_worker).values_list("action", "page"))
    assert sorted(logged) == sorted([
        ("view", url(child)), ("view", url(child, "?significant=true")), ("view", url(child, "notes/new/")),
        ("view", url(child, f"notes/{note.pk}/")), ("print", url(child, "pdf/")),
    ])


ALL_GETS = ["", "pdf/", "notes/new/"]


@pytest.mark.parametrize("rest", ALL_GETS)
def test_another_councils_child_does_not_exist(la, social_worker, rest):
    elsewhere = make_person(make_la(name="Elsewhere"))
    assert client_for(social_worker).get(url(elsewhere, rest)).status_code == 404


@pytest.mark.parametrize("rest", ALL_GETS)
def test_a_sealed_record_does_not_exist(la, social_worker, rest):
    sealed = make_person(la, Person.AccessLevel.SEALED)
    assert client_for(social_worker).get(url(sealed, rest)).status_code == 404
    assert not AccessEvent.objects.filter(person=sealed).exists()


@pytest.mark.parametrize("rest", ALL_GETS)
def test_a_restricted_record_is_refused_with_break_glass(la, social_worker, rest):
    restricted = make_person(la, Person.AccessLevel.RESTRICTED)
    make_event(restricted, title="Secret event")
    response = client_for(social_worker).get(url(restricted, rest))
    page = response.content.decode()
    assert response.status_code == 403 and "This record is restricted" in page and "Secret event" not in page
    assert AccessEvent.objects.filter(person=restricted, user=social_worker, action="refused").count() == 1


def test_a_restricted_record_opens_for_named_staff(la, social_worker, team_manager):
    restricted = make_person(la, Person.AccessLevel.RESTRICTED)
    allow_list_add(person=restricted, user=social_worker, reason="Allocated", by=team_manager)
    make_event(restricted, title="Visible to named staff")
    assert "Visible to named staff" in client_for(social_worker).get(url(restricted)).content.decode()


def test_posts_to_a_restricted_record_are_not_found(la, social_worker):
    restricted = make_person(la, Person.AccessLevel.RESTRICTED)
    event = make_event(restricted)
    client = client_for(social_worker)
    assert client.post(url(restricted, f"events/{event.pk}/significant/"), {"significant": "true"}).status_code == 404
    assert client.post(url(restricted, "notes/new/"), note_form()).status_code == 403
    assert not CaseNote.objects.exists()


def test_an_event_of_another_child_cannot_be_toggled(la, child, social_worker):
    other = make_event(make_person(la))
    response = client_for(social_worker).post(url(child, f"events/{other.pk}/significant/"), {"significant": "true"})
    assert response.status_code == 404


def test_a_merged_record_is_not_found(la, child, social_worker):
    from hearth.audit.actor import acting_as

    survivor = make_person(la)
    with acting_as("test"):
        child.merged_into = survivor
        child.save()
    assert client_for(social_worker).get(url(child)).status_code == 404


def test_analysts_see_no_chronology(la, child):
    from hearth.accounts.roles import Role

    analyst = make_user(la, Role.PERFORMANCE_ANALYST)
    assert client_for(analyst).get(url(child)).status_code == 404


def test_signed_out_users_are_sent_to_sign_in(la, child):
    from django.test import Client

    response = Client().get(url(child))
    assert response.status_code == 302 and "sign-in" in response["Location"]
