"""Chronology writes: notes and their lines in step, flags, hiding, and the events other services add."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from hearth.accounts.roles import Role
from hearth.allocations.services import allocation_end, allocation_start
from hearth.audit.models import ChangeRecord, StaleVersionError
from hearth.chronology.models import CaseNote, ChronologyEvent, EventType
from hearth.chronology.selectors import chronology_for
from hearth.chronology.services import (
    case_note_update,
    chronology_flag_significant,
    chronology_hide,
)
from hearth.people.services import person_update_details
from tests.factories import make_la, make_person, make_team, make_user

from .factories import at, make_event, make_note


def note_event(note: CaseNote) -> ChronologyEvent:
    return ChronologyEvent.objects.get(source_label="chronology.CaseNote", source_id=str(note.pk))


# ---------------------------------------------------------------- case notes


def test_a_case_note_appears_in_the_chronology(la, social_worker):
    child = make_person(la)
    note = make_note(child, social_worker, title="Home visit", significant=True,
                     body_html="<p>Jordan showed me <b>their room</b>.</p><script>x()</script>")
    assert note.body_html == "<p>Jordan showed me <strong>their room</strong>.</p>"
    event = note_event(note)
    assert event.person == child and event.event_type == EventType.CASE_NOTE
    assert event.title == "Home visit" and event.summary == "Jordan showed me their room."
    assert event.author == social_worker and event.significant
    assert event.occurred_at == note.occurred_at
    assert event.link == f"/children/{child.pk}/chronology/notes/{note.pk}/"
    assert ChangeRecord.objects.filter(model_label="chronology.CaseNote", object_id=str(note.pk)).exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": "  "}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"body_html": "<p><br></p>"}, "body_html"),
        ({"body_html": "<script>only()</script>"}, "body_html"),
        ({"occurred_at": timezone.now() + timedelta(hours=2)}, "occurred_at"),
    ],
)
def test_a_note_without_its_essentials_is_refused(la, social_worker, changes, field):
    child = make_person(la)
    with pytest.raises(ValidationError) as refused:
        make_note(child, social_worker, **changes)
    assert field in refused.value.message_dict
    assert not CaseNote.objects.exists() and not ChronologyEvent.objects.exists()


def test_changing_a_note_changes_its_chronology_line(la, social_worker):
    child = make_person(la)
    note = make_note(child, social_worker)
    case_note_update(note=note, expected_version=note.version, occurred_at=at(2025, 5, 30, 9, 15),
                     title="Call with school (corrected)", body_html="<p>Attendance <em>92%</em></p>",
                     significant=True, by=social_worker)
    event = note_event(note)
    assert (event.title, event.summary, event.significant) == ("Call with school (corrected)", "Attendance 92%", True)
    assert event.occurred_at == at(2025, 5, 30, 9, 15)
    assert ChronologyEvent.objects.count() == 1


def test_a_stale_note_edit_is_refused(la, social_worker):
    child = make_person(la)
    note = make_note(child, social_worker)
    loaded = note.version
    case_note_update(note=note, expected_version=loaded, occurred_at=note.occurred_at, title="First",
                     body_html="<p>One</p>", significant=False, by=social_worker)
    stale = CaseNote.objects.get(pk=note.pk)
    with pytest.raises(StaleVersionError):
        case_note_update(note=stale, expected_version=loaded, occurred_at=note.occurred_at, title="Second",
                         body_html="<p>Two</p>", significant=False, by=social_worker)
    assert note_event(note).title == "First"


def test_only_the_author_changes_a_note(la, social_worker, team_manager):
    note = make_note(make_person(la), social_worker)
    with pytest.raises(PermissionDenied):
        case_note_update(note=note, expected_version=note.version, occurred_at=note.occurred_at, title="Mine now",
                         body_html="<p>x</p>", significant=False, by=team_manager)


# ---------------------------------------------------------------- significant and hidden


def test_flagging_a_note_line_flags_the_note(la, social_worker):
    note = make_note(make_person(la), social_worker)
    event = chronology_flag_significant(event=note_event(note), significant=True, by=social_worker)
    note.refresh_from_db()
    assert event.significant and note.significant
    # Setting it to what it already is writes nothing.
    versions = (event.version, note.version)
    chronology_flag_significant(event=event, significant=True, by=social_worker)
    event.refresh_from_db()
    note.refresh_from_db()
    assert (event.version, note.version) == versions
    chronology_flag_significant(event=event, significant=False, by=social_worker)
    note.refresh_from_db()
    assert not note.significant


def test_flagging_from_a_stale_copy_still_applies(la, social_worker):
    event = make_event(make_person(la))
    stale = ChronologyEvent.objects.get(pk=event.pk)
    chronology_flag_significant(event=event, significant=True, by=social_worker)
    chronology_flag_significant(event=stale, significant=False, by=social_worker)
    event.refresh_from_db()
    assert not event.significant


def test_staff_of_another_council_cannot_flag(la, social_worker):
    event = make_event(make_person(make_la(name="Elsewhere")))
    with pytest.raises(PermissionDenied):
        chronology_flag_significant(event=event, significant=True, by=social_worker)


def test_hiding_needs_a_manager_and_keeps_the_row(la, social_worker, team_manager):
    child = make_person(la)
    event = make_event(child, title="Recorded on the wrong child")
    with pytest.raises(PermissionDenied):
        chronology_hide(event=event, reason="Wrong child", by=social_worker)
    with pytest.raises(ValidationError):
        chronology_hide(event=event, reason="   ", by=team_manager)
    chronology_hide(event=event, reason="Recorded on the wrong child's record", by=team_manager)
    stored = ChronologyEvent.objects.get(pk=event.pk)
    assert stored.hidden_at is not None and stored.hidden_reason == "Recorded on the wrong child's record"
    assert not chronology_for(user=social_worker, person=child).exists()
    history = ChangeRecord.objects.filter(model_label="chronology.ChronologyEvent", object_id=str(event.pk),
                                          action="update").get()
    assert history.by_user == team_manager and "hidden_at" in history.after


def test_a_manager_of_another_council_cannot_hide(la):
    elsewhere = make_la(name="Elsewhere")
    manager = make_user(elsewhere, Role.TEAM_MANAGER, make_team(elsewhere))
    event = make_event(make_person(la))
    with pytest.raises(PermissionDenied):
        chronology_hide(event=event, reason="Not ours", by=manager)


# ---------------------------------------------------------------- events from other services


def test_allocation_start_and_end_appear(la, team):
    sam = make_user(la, Role.SOCIAL_WORKER, team, first_name="Sam", last_name="Okafor")
    alex = make_user(la, Role.SOCIAL_WORKER, team, first_name="Alex", last_name="Reid")
    child = make_person(la)
    first = allocation_start(child=child, team=team, worker=sam, started_on=date(2025, 1, 6), by="test")
    second = allocation_start(child=child, team=team, worker=alex, started_on=date(2025, 3, 3), by="test")
    allocation_end(allocation=second, ended_on=date(2025, 9, 1), reason="Case closed", by="test")
    events = list(ChronologyEvent.objects.filter(person=child, event_type=EventType.ALLOCATION)
                  .order_by("occurred_at", "id"))
    assert [(e.title, e.summary) for e in events] == [
        ("Allocated to Sam Okafor, Safeguarding North", ""),
        ("Allocated to Alex Reid, Safeguarding North", "Previously Sam Okafor, Safeguarding North"),
        ("Allocation ended: Alex Reid, Safeguarding North", "Case closed"),
    ]
    assert events[0].source_id == str(first.pk) and events[0].link == f"/children/{child.pk}/"
    assert timezone.localtime(events[2].occurred_at).date() == date(2025, 9, 1)


def test_changed_details_appear(la, social_worker):
    child = make_person(la, first_name="Jordan", last_name="Whitfield")
    person_update_details(person=child, expected_version=child.version, by=social_worker, last_name="Brennan")
    event = ChronologyEvent.objects.get(person=child, event_type=EventType.PERSON_DETAILS,
                                        title="Personal details changed")
    assert event.author == social_worker and "last name" in event.summary
