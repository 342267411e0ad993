"""Builders for duplicate-detection tests: pairs of records and rows hanging off a person."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from hearth.access.models import AccessEvent, AllowListEntry, BreakGlassAccess
from hearth.accounts.models import Team, User
from hearth.allocations.models import Allocation
from hearth.audit.actor import acting_as
from hearth.chronology.models import CaseNote, ChronologyEvent, EventType
from hearth.matching.models import DuplicateCandidate
from hearth.people.models import Address, ContactDetail, Person, PersonName, ProfessionalInvolvement, Relationship
from hearth.tenancy.models import LocalAuthority
from tests.factories import make_person


def make_address(person: Person, postcode: str = "NG1 1AA", *, moved_out_on: date | None = None,
                 moved_in_on: date | None = None) -> Address:
    with acting_as("test"):
        address = Address(local_authority_id=person.local_authority_id, person=person, line_1="1 High Street",
                          town="Nottingham", postcode=postcode, moved_in_on=moved_in_on, moved_out_on=moved_out_on)
        address.save()
    return address


def make_pair(la: LocalAuthority, *, probability: float = 0.97, left: dict[str, Any] | None = None,
              right: dict[str, Any] | None = None) -> DuplicateCandidate:
    a = make_person(la, **(left or {"first_name": "Jodie", "last_name": "Hartley"}))
    b = make_person(la, **(right or {"first_name": "Jody", "last_name": "Hartley"}))
    first, second = sorted((a, b), key=lambda p: p.pk)
    return DuplicateCandidate.objects.create(
        local_authority=la, left=first, right=second, match_weight=12.0, match_probability=probability,
        comparison={
            "first_name": {"left": first.first_name, "right": second.first_name, "level": "close",
                           "label": "fn_typo", "weight": 4.1},
            "last_name": {"left": first.last_name, "right": second.last_name, "level": "exact",
                          "label": "ln_exact", "weight": 8.0},
            "date_of_birth": {"left": "", "right": "", "level": "exact", "label": "dob_exact", "weight": 12.0},
        },
    )


def hang_rows(person: Person, *, team: Team, worker: User, relative: Person, kind: str = "social_worker",
              open_allocation: bool = True) -> dict[str, list[int]]:
    """One row in each model that points at a person; returns their ids by model label."""
    la_id = person.local_authority_id
    now = timezone.now()
    rows: dict[str, list[int]] = {}
    with acting_as("test"):
        allocation = Allocation(local_authority_id=la_id, child=person, team=team, worker=worker, kind=kind,
                                started_on=date(2024, 1, 8), ended_on=None if open_allocation else date(2024, 6, 1))
        allocation.save()
        event = ChronologyEvent(local_authority_id=la_id, person=person, occurred_at=now,
                                event_type=EventType.VISIT, title="Home visit", author=worker)
        event.save()
        note = CaseNote(local_authority_id=la_id, person=person, occurred_at=now, title="Spoke to school",
                        body_html="<p>Attending well</p>", author=worker)
        note.save()
        name = PersonName(local_authority_id=la_id, person=person, kind=PersonName.Kind.PREVIOUS,
                          last_name="Formerly")
        name.save()
        contact = ContactDetail(local_authority_id=la_id, person=person, kind="mobile", value="07700 900123")
        contact.save()
        professional = ProfessionalInvolvement(local_authority_id=la_id, person=person, role="gp",
                                               organisation="Meadows Surgery")
        professional.save()
        out = Relationship(local_authority_id=la_id, person=person, relative=relative, kind="sibling")
        out.save()
        into = Relationship(local_authority_id=la_id, person=relative, relative=person, kind="parent")
        into.save()
        allow = AllowListEntry(local_authority_id=la_id, person=person, user=worker, reason="Allocated worker")
        allow.save()
        glass = BreakGlassAccess(local_authority_id=la_id, person=person, user=worker, reason="x" * 25,
                                 opened_at=now, expires_at=now + timedelta(hours=1))
        glass.save()
    address = make_address(person, "NG7 2RD")
    access = AccessEvent.objects.create(local_authority_id=la_id, person=person, user=worker, action="view")
    rows["allocations.Allocation.child"] = [allocation.pk]
    rows["chronology.ChronologyEvent.person"] = [event.pk]
    rows["chronology.CaseNote.person"] = [note.pk]
    rows["people.PersonName.person"] = [name.pk]
    rows["people.ContactDetail.person"] = [contact.pk]
    rows["people.ProfessionalInvolvement.person"] = [professional.pk]
    rows["people.Relationship.person"] = [out.pk]
    rows["people.Relationship.relative"] = [into.pk]
    rows["access.AllowListEntry.person"] = [allow.pk]
    rows["access.BreakGlassAccess.person"] = [glass.pk]
    rows["people.Address.person"] = [address.pk]
    rows["access.AccessEvent.person"] = [access.pk]
    return rows
