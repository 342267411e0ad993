from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.utils import timezone

from hearth.access.policy import visible_people_filter

from .models import CaseNote, ChronologyEvent

if TYPE_CHECKING:
    from hearth.accounts.models import User
    from hearth.people.models import Person


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def chronology_for(
    *,
    user: User,
    person: Person,
    event_types: Iterable[str] = (),
    start: date | None = None,
    end: date | None = None,
    significant_only: bool = False,
) -> QuerySet[ChronologyEvent]:
    """A person's chronology as this user may see it, newest first; hidden lines left out."""
    rule = visible_people_filter(user, prefix="person__")
    if rule is None:
        return ChronologyEvent.objects.none()
    events = ChronologyEvent.objects.filter(
        rule, person=person, local_authority_id=user.local_authority_id, hidden_at__isnull=True
    )
    types = list(event_types)
    if types:
        events = events.filter(event_type__in=types)
    # Periods are whole local days, both ends included.
    if start is not None:
        events = events.filter(occurred_at__gte=_start_of(start))
    if end is not None:
        events = events.filter(occurred_at__lt=_start_of(end + timedelta(days=1)))
    if significant_only:
        events = events.filter(significant=True)
    return events.select_related("author").order_by("-occurred_at", "-id")


def chronology_types_for(*, user: User, person: Person) -> list[str]:
    """The kinds of event this person's chronology holds, for the filter."""
    events = chronology_for(user=user, person=person)
    return sorted(set(events.order_by().values_list("event_type", flat=True).distinct()))


def chronology_event_for(*, user: User, person: Person, pk: int) -> ChronologyEvent | None:
    return chronology_for(user=user, person=person).filter(pk=pk).first()


def case_note_for(*, user: User, person: Person, pk: int) -> CaseNote | None:
    rule = visible_people_filter(user, prefix="person__")
    if rule is None:
        return None
    return (
        CaseNote.objects.filter(rule, pk=pk, person=person, local_authority_id=user.local_authority_id)
        .select_related("author")
        .first()
    )
