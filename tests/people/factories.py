"""Builders for people's addresses, relatives and professionals, through the people services."""

from __future__ import annotations

from datetime import date
from typing import Any

from hearth.people.models import Address, Person, Relationship
from hearth.people.services import address_move, relationship_add
from hearth.tenancy.models import LocalAuthority
from tests.factories import make_person

VALID_NHS = ["9434765919", "4010232137", "9434765870", "9434765889"]
VALID_UPN = "X801200000001"


def home(person: Person, line_1: str = "12 Acacia Road", postcode: str = "NG2 3NG",
         moved_in_on: date | None = date(2020, 1, 6), **extra: Any) -> Address:
    return address_move(person=person, line_1=line_1, town="Nottingham", postcode=postcode, moved_in_on=moved_in_on,
                        by="test", **extra)[0]


def relate(person: Person, kind: str, relative: Person, **extra: Any) -> Relationship:
    """``person`` is the ``kind`` of ``relative``."""
    return relationship_add(person=person, relative=relative, kind=kind, by="test", **extra)


def make_family(la: LocalAuthority, surname: str = "Whitfield") -> dict[str, Person]:
    """A child, her mother and father (both with parental responsibility), all at one address."""
    child = make_person(la, first_name="Jordan", last_name=surname, date_of_birth=date(2015, 3, 27), sex="F")
    mum = make_person(la, first_name="Kerry", last_name=surname, date_of_birth=date(1990, 6, 1), sex="F")
    dad = make_person(la, first_name="Darren", last_name=surname, date_of_birth=date(1988, 2, 11), sex="M")
    for person in (child, mum, dad):
        home(person)
    relate(mum, Relationship.Kind.PARENT, child, parental_responsibility=True)
    relate(dad, Relationship.Kind.PARENT, child, parental_responsibility=True)
    return {"child": child, "mum": mum, "dad": dad}
