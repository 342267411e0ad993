from __future__ import annotations

import html
import re
from datetime import date, datetime, time
from typing import TYPE_CHECKING

import nh3
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone

from hearth.audit.actor import acting_as

from .models import CaseNote, ChronologyEvent, EventType

if TYPE_CHECKING:
    from hearth.accounts.models import User
    from hearth.people.models import Person

# What a case note may contain: enough to structure a note, nothing that can run or restyle the page.
NOTE_TAGS = {"p", "br", "strong", "em", "ul", "ol", "li", "a", "h3"}
NOTE_ATTRIBUTES = {"a": {"href"}}
NOTE_URL_SCHEMES = {"http", "https", "mailto"}
SUMMARY_LENGTH = 300
TITLE_LENGTH = 200

# Browsers' editing commands write <b>, <i> and <div>; they mean <strong>, <em> and <p>.
_EDITOR_TAGS = re.compile(r"<(/?)(b|i|div)(?=[\s>/])", re.IGNORECASE)
_EDITOR_NAMES = {"b": "strong", "i": "em", "div": "p"}
_ANY_TAG = re.compile(r"<\s*/?\s*[a-zA-Z][^>]*>")
_BLOCK_END = re.compile(r"<(br\s*/?|/p|/li|/h3|/ul|/ol)\s*>", re.IGNORECASE)
_LIST_ITEM = re.compile(r"<li(\s[^>]*)?>", re.IGNORECASE)
_EMPTY_PARAGRAPH = re.compile(r"<p>(\s|<br>)*</p>")


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
            time_known=isinstance(occurred, datetime),
            event_type=event_type,
            title=title[:TITLE_LENGTH],
            summary=summary,
            author=author,
            source_label=source._meta.label if source is not None else "",
            source_id=str(source.pk) if source is not None else "",
            link=link,
            significant=significant,
        )
        event.save()
    return event


# ---------------------------------------------------------------- case note text


def sanitise_note_html(body: str) -> str:
    """The note as safe HTML. Plain text (typed with scripts off) keeps its paragraphs and line breaks."""
    body = (body or "").replace("\r\n", "\n").strip()
    if not body:
        return ""
    if not _ANY_TAG.search(body):
        paragraphs = [p.strip() for p in re.split(r"\n\s*\n", body) if p.strip()]
        body = "".join("<p>" + html.escape(p).replace("\n", "<br>") + "</p>" for p in paragraphs)
    body = _EDITOR_TAGS.sub(lambda m: f"<{m.group(1)}{_EDITOR_NAMES[m.group(2).lower()]}", body)
    cleaned = nh3.clean(
        body,
        tags=NOTE_TAGS,
        attributes=NOTE_ATTRIBUTES,
        url_schemes=NOTE_URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )
    cleaned = _EMPTY_PARAGRAPH.sub("", cleaned).strip()
    # Stored notes always hold markup, so reading one back is never mistaken for plain text.
    if cleaned and not _ANY_TAG.search(cleaned):
        cleaned = f"<p>{cleaned}</p>"
    return cleaned


def note_plain_text(body_html: str) -> str:
    """Readable text of a note: what the chronology line and search show."""
    text = _LIST_ITEM.sub("• ", body_html)
    text = _BLOCK_END.sub(" ", text)
    text = html.unescape(nh3.clean(text, tags=set()))
    return re.sub(r"\s+", " ", text).strip()


def note_summary(body_html: str, length: int = SUMMARY_LENGTH) -> str:
    text = note_plain_text(body_html)
    if len(text) <= length:
        return text
    cut = text[: length - 1].rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:.") + "…"


# ---------------------------------------------------------------- case notes


def _note_link(note: CaseNote) -> str:
    return reverse("chronology:note_edit", kwargs={"person_pk": note.person_id, "pk": note.pk})


def _check_note(*, occurred_at: datetime, title: str, body_html: str) -> tuple[str, str]:
    title = (title or "").strip()
    body = sanitise_note_html(body_html)
    errors: dict[str, str] = {}
    if not title:
        errors["title"] = "Enter a title for the case note"
    elif len(title) > TITLE_LENGTH:
        errors["title"] = f"Title must be {TITLE_LENGTH} characters or fewer"
    if not note_plain_text(body):
        errors["body_html"] = "Enter the case note"
    if occurred_at > timezone.now():
        errors["occurred_at"] = "The date of what the note records must be today or in the past"
    if errors:
        raise ValidationError(errors)
    return title, body


def _event_for_note(note: CaseNote) -> ChronologyEvent | None:
    return (
        ChronologyEvent.objects.select_for_update()
        .filter(source_label=CaseNote._meta.label, source_id=str(note.pk), person_id=note.person_id)
        .first()
    )


def case_note_create(
    *, person: Person, occurred_at: datetime, title: str, body_html: str, significant: bool, by: User
) -> CaseNote:
    """Write a case note and its chronology line together."""
    occurred_at = _as_datetime(occurred_at)
    title, body = _check_note(occurred_at=occurred_at, title=title, body_html=body_html)
    with transaction.atomic(), acting_as(by):
        note = CaseNote(
            local_authority_id=person.local_authority_id,
            person=person,
            occurred_at=occurred_at,
            title=title,
            body_html=body,
            author=by,
            significant=significant,
        )
        note.save()
        chronology_record(
            person=person,
            event_type=EventType.CASE_NOTE,
            occurred=occurred_at,
            title=title,
            summary=note_summary(body),
            by=by,
            source=note,
            link=_note_link(note),
            significant=significant,
        )
    return note


def may_edit_note(*, user: User, note: CaseNote) -> bool:
    # A note is its author's account of what happened; others add their own note instead.
    return user.is_authenticated and note.author_id == user.pk and note.local_authority_id == user.local_authority_id


def case_note_update(
    *,
    note: CaseNote,
    expected_version: int,
    occurred_at: datetime,
    title: str,
    body_html: str,
    significant: bool,
    by: User,
) -> CaseNote:
    """Change a note; its chronology line changes in step. Raises StaleVersionError on a stale copy."""
    if not may_edit_note(user=by, note=note):
        raise PermissionDenied("Only the author can change a case note.")
    occurred_at = _as_datetime(occurred_at)
    title, body = _check_note(occurred_at=occurred_at, title=title, body_html=body_html)
    with transaction.atomic(), acting_as(by):
        note.occurred_at = occurred_at
        note.title = title
        note.body_html = body
        note.significant = significant
        note.version = expected_version
        note.save()
        event = _event_for_note(note)
        if event is not None:
            event.occurred_at = occurred_at
            event.title = title
            event.summary = note_summary(body)
            event.significant = significant
            event.save()
    return note


# ---------------------------------------------------------------- chronology lines


def chronology_flag_significant(*, event: ChronologyEvent, significant: bool, by: User) -> ChronologyEvent:
    """Mark or unmark a significant event. A case note's own flag follows its line."""
    if by.local_authority_id != event.local_authority_id:
        raise PermissionDenied("This event belongs to another council.")
    with transaction.atomic(), acting_as(by):
        # The latest copy: flagging is "set to", so someone else's change since loading is no conflict.
        event = ChronologyEvent.objects.select_for_update().get(pk=event.pk)
        if event.significant == significant:
            return event
        event.significant = significant
        event.save()
        if event.source_label == CaseNote._meta.label:
            note = CaseNote.objects.select_for_update().filter(pk=event.source_id, person_id=event.person_id).first()
            if note is not None and note.significant != significant:
                note.significant = significant
                note.save()
    return event


def chronology_hide(*, event: ChronologyEvent, reason: str, by: User) -> ChronologyEvent:
    """Take a line out of the chronology (recorded in error, wrong child). Managers only; nothing is deleted."""
    if not getattr(by, "is_manager", False) or by.local_authority_id != event.local_authority_id:
        raise PermissionDenied("Only a manager can hide an event from the chronology.")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Enter why this event is being hidden"})
    if len(reason) > 200:
        raise ValidationError({"reason": "Reason must be 200 characters or fewer"})
    with transaction.atomic(), acting_as(by):
        event = ChronologyEvent.objects.select_for_update().get(pk=event.pk)
        if event.hidden_at is not None:
            return event
        event.hidden_at = timezone.now()
        event.hidden_reason = reason
        event.save()
    return event
