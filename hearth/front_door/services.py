"""Writes for the front door. Each is one transaction with its audit rows and chronology lines."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from hearth.audit.actor import acting_as
from hearth.chronology.models import EventType
from hearth.chronology.services import chronology_record
from hearth.clocks.models import holiday_set
from hearth.clocks.registry import due
from hearth.clocks.working_days import LONDON

from .models import Contact

if TYPE_CHECKING:
    from hearth.people.models import Person
    from hearth.tenancy.models import LocalAuthority


def contact_decision_due(received_at: datetime) -> Any:
    """The statutory 1-working-day decision date; day 0 is the (London) day the contact arrived."""
    return due("referral_decision", received_at.astimezone(LONDON).date(), holidays=holiday_set())


def _next_reference(local_authority: LocalAuthority, received_at: datetime) -> str:
    year = received_at.astimezone(LONDON).year
    prefix = f"C-{year}-"
    latest = (
        Contact.objects.filter(local_authority=local_authority, reference__startswith=prefix)
        .order_by("-reference")
        .values_list("reference", flat=True)
        .first()
    )
    number = int(latest.removeprefix(prefix)) + 1 if latest else 1
    return f"{prefix}{number:06d}"


def contact_receive(
    *,
    local_authority: LocalAuthority,
    received_at: datetime,
    channel: str,
    source: str,
    concerns: str,
    consent: str,
    by: Any,
    child: Person | None = None,
    child_details: dict[str, Any] | None = None,
    consent_notes: str = "",
    referrer_name: str = "",
    referrer_organisation: str = "",
    referrer_role: str = "",
    referrer_phone: str = "",
    referrer_email: str = "",
) -> Contact:
    """Record a contact as it arrives and start its decision clock.

    ``received_at`` is when it reached the council (not when it was typed); it cannot be in
    the future. The reference is the next in the council's yearly sequence.
    """
    if received_at.tzinfo is None:
        received_at = received_at.replace(tzinfo=LONDON)
    if received_at > timezone.now() + timezone.timedelta(minutes=5):
        raise ValidationError({"received_at": "The date and time received cannot be in the future"})
    if not concerns.strip():
        raise ValidationError({"concerns": "Enter the concerns about the child"})
    if child is not None and child.local_authority_id != local_authority.pk:
        raise ValidationError("This child belongs to another council")
    for attempt in range(3):
        try:
            with transaction.atomic(), acting_as(by):
                contact = Contact(
                    local_authority=local_authority,
                    reference=_next_reference(local_authority, received_at),
                    received_at=received_at,
                    channel=channel,
                    source=source,
                    concerns=concerns.strip(),
                    consent=consent,
                    consent_notes=consent_notes.strip(),
                    child=child,
                    child_details=child_details or {},
                    decision_due_on=contact_decision_due(received_at),
                    referrer_name=referrer_name.strip(),
                    referrer_organisation=referrer_organisation.strip(),
                    referrer_role=referrer_role.strip(),
                    referrer_phone=referrer_phone.strip(),
                    referrer_email=referrer_email.strip(),
                    created_by=None if isinstance(by, str) else by,
                )
                contact.full_clean(exclude=["reference"])
                contact.save(by=by)
                if child is not None:
                    contact_record_in_chronology(contact=contact, by=by)
                return contact
        except IntegrityError:
            # Two contacts took the same number at once (PostgreSQL); take the next one.
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def contact_record_in_chronology(*, contact: Contact, by: Any) -> None:
    """The chronology line for a contact, once the child is known."""
    assert contact.child is not None
    who = contact.referrer_organisation or contact.get_source_display().split(": ", 1)[-1]
    chronology_record(
        person=contact.child,
        event_type=EventType.CONTACT,
        occurred=contact.received_at,
        title=f"Contact {contact.reference} from {who}",
        summary=contact.concerns[:500],
        source=contact,
        link=f"/front-door/contacts/{contact.pk}/",
        by=by,
    )
