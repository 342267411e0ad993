"""Builders for chronology tests: events and notes written through the real services."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils import timezone

from hearth.accounts.models import User
from hearth.chronology.models import CaseNote, ChronologyEvent, EventType
from hearth.chronology.services import case_note_create, chronology_record
from hearth.people.models import Person


def at(year: int, month: int, day: int, hour: int = 10, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime(year, month, day, hour, minute))


def make_event(person: Person, *, by: User | str = "test", **extra: Any) -> ChronologyEvent:
    values: dict[str, Any] = {
        "event_type": EventType.VISIT, "occurred": at(2025, 6, 1), "title": "Home visit", "summary": "Seen alone",
    }
    values.update(extra)
    return chronology_record(person=person, by=by, **values)


def make_note(person: Person, author: User, **extra: Any) -> CaseNote:
    values: dict[str, Any] = {
        "occurred_at": at(2025, 6, 2, 14, 30), "title": "Phone call with school",
        "body_html": "<p>School said <strong>attendance</strong> is improving.</p>", "significant": False,
    }
    values.update(extra)
    return case_note_create(person=person, by=author, **values)
