"""Builders for search tests: other names and addresses, through the audited paths."""

from __future__ import annotations

from datetime import date

from hearth.audit.actor import acting_as
from hearth.people.models import Address, Person, PersonName


def add_other_name(person: Person, first_name: str = "", last_name: str = "",
                   kind: str = PersonName.Kind.PREVIOUS) -> PersonName:
    with acting_as("test"):
        name = PersonName(local_authority_id=person.local_authority_id, person=person, kind=kind,
                          first_name=first_name, last_name=last_name)
        name.save()
    return name


def add_address(person: Person, postcode: str, *, moved_in_on: date | None = None,
                moved_out_on: date | None = None, line_1: str = "1 High Street", town: str = "Nottingham") -> Address:
    with acting_as("test"):
        address = Address(local_authority_id=person.local_authority_id, person=person, line_1=line_1, town=town,
                          postcode=postcode, moved_in_on=moved_in_on, moved_out_on=moved_out_on)
        address.save()
    return address
