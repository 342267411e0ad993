from __future__ import annotations

from datetime import date, datetime, time
from typing import TYPE_CHECKING

from django.db import models, transaction
from django.utils import timezone

from hearth.audit.actor import acting_as

from .models import ChronologyEvent, EventType

if TYPE_CHECKING:
    from hearth.accounts.models import User
    from hearth.people.models import Person


def _as_datetime(when: date | datetime) -> datetime:
    if isinstance(when, datetime):
        return when if timezone.is_aware(when) else timezone.make_aware(when)
    # A date-only event sits at midday, so it sorts within its day the same in every timezone.
    return timezone.make_aware(datetime.combine(when, time(12, 0)))


def chronology_record(
    *,
    person: Person,
    event_type: EventType | str,
    occurred: date | datetime,
    title: str,
    by: User | str,
    summary: str = "",
    source: models.Model | None = None,
    link: str = "",
    significant: bool = False,
) -> ChronologyEvent:
    """Add an event to a person's chronology. Call it inside the service that records the event itself."""
    author = by if not isinstance(by, str) else None
    with transaction.atomic(), acting_as(by):
        event = ChronologyEvent(
            local_authority_id=person.local_authority_id,
            person=person,
            occurred_at=_as_datetime(occurred),
            event_type=event_type,
            title=title[:200],
            summary=summary,
            author=author,
            source_label=source._meta.label if source is not None else "",
            source_id=str(source.pk) if source is not None else "",
            link=link,
            significant=significant,
        )
        event.save()
    return event
