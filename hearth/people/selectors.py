"""Reads of people's records, already scoped to what the reader may see.

A relative the reader may not see is still counted where leaving them out would make a count
wrong, but only as "a restricted record": never their name, age, sex or address.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from hearth.access.selectors import people_visible_to

from .models import Address, ContactDetail, Person, PersonName, ProfessionalInvolvement, Relationship
from .services import relationship_label, same_address

if TYPE_CHECKING:
    from hearth.accounts.models import User

RESTRICTED_LABEL = "Restricted record"
# Relationship kinds drawn a generation above the person whose family it is.
ABOVE = frozenset({Relationship.Kind.PARENT, Relationship.Kind.STEP_PARENT, Relationship.Kind.CARER})


def likely_matches_for(
    *, user: User, first_name: str, last_name: str, date_of_birth: date | None = None, nhs_number: str = "",
    upn: str = "", postcode: str = "", exclude_ids: Sequence[int] = (), limit: int = 10,
) -> list[Any]:
    """Existing records that may be this person (SearchHit: person, score, reasons), best first."""
    from hearth.search.selectors import likely_matches

    return list(likely_matches(
        user=user, first_name=first_name, last_name=last_name, date_of_birth=date_of_birth, nhs_number=nhs_number,
        upn=upn, postcode=postcode, exclude_ids=exclude_ids, limit=limit,
    ))


def _visible_ids(ids: Iterable[int], *, user: User | None, local_authority_id: int) -> set[int]:
    """Which of these people may be named to this reader (with no reader: only open records)."""
    wanted = set(ids)
    if not wanted:
        return set()
    people: QuerySet[Person]
    if user is None:
        people = Person.objects.filter(local_authority_id=local_authority_id, merged_into__isnull=True,
                                       access_level=Person.AccessLevel.OPEN)
    else:
        people = people_visible_to(user=user)
    return set(people.filter(pk__in=wanted).values_list("pk", flat=True))


# ------------------------------------------------------------------------------------------- one record


def addresses_of(*, person: Person) -> list[Address]:
    """Current address first, then the history, latest first."""
    rows = list(Address.objects.filter(person=person).order_by("-moved_in_on", "-id"))
    return sorted(rows, key=lambda a: a.moved_out_on is not None)


def current_address(*, person: Person) -> Address | None:
    return Address.objects.filter(person=person, moved_out_on__isnull=True).order_by("-moved_in_on", "-id").first()


def other_names_of(*, person: Person) -> QuerySet[PersonName]:
    return PersonName.objects.filter(person=person).order_by("-used_to", "-id")


def contact_details_of(*, person: Person, include_ended: bool = False) -> QuerySet[ContactDetail]:
    details = ContactDetail.objects.filter(person=person)
    if not include_ended:
        details = details.filter(ended_on__isnull=True)
    return details.order_by("ended_on", "kind", "id")


def professionals_of(*, person: Person, include_ended: bool = True) -> list[ProfessionalInvolvement]:
    """Current involvements first (GP and school at the top), then ended ones, latest first."""
    rows = ProfessionalInvolvement.objects.filter(person=person)
    if not include_ended:
        rows = rows.filter(ended_on__isnull=True)
    first_roles: dict[str, int] = {ProfessionalInvolvement.Role.GP: 0, ProfessionalInvolvement.Role.SCHOOL: 1}
    return sorted(
        rows.order_by("-started_on", "-id"),
        key=lambda p: (p.ended_on is not None, first_roles.get(p.role, 2) if p.ended_on is None else 0),
    )


# ------------------------------------------------------------------------------------------------ family


@dataclass
class FamilyMember:
    """Someone related to the person whose family it is, as the reader may see them."""

    relationship: Relationship
    person_id: int
    person: Person | None  # None when the reader may not see this record
    label: str  # what they are to the person: "Parent", "Child", "Half-sibling"...
    group: str  # "above", "level", "below" or "around"
    shares_address: bool = False

    @property
    def visible(self) -> bool:
        return self.person is not None

    @property
    def name(self) -> str:
        return self.person.full_name if self.person is not None else RESTRICTED_LABEL

    @property
    def is_current(self) -> bool:
        return self.relationship.ended_on is None

    def age_on(self, on: date) -> int | None:
        return self.person.age_on(on) if self.person is not None else None

    @property
    def age_text(self) -> str:
        return age_text(self.person) if self.person is not None else ""


@dataclass
class Family:
    person: Person
    members: list[FamilyMember]
    # (parent id, child id, kind, ended) for parent, step-parent and carer links among the members,
    # so a drawing can join a parent to each of their children it shows.
    links: list[tuple[int, int, str, bool]] = field(default_factory=list)

    @property
    def hidden_count(self) -> int:
        return sum(1 for m in self.members if not m.visible)

    def in_group(self, group: str) -> list[FamilyMember]:
        return [m for m in self.members if m.group == group]


def _group(relationship: Relationship, person_id: int) -> str:
    if relationship.kind in ABOVE:
        return "above" if relationship.relative_id == person_id else "below"
    if relationship.kind in (Relationship.Kind.SIBLING, Relationship.Kind.HALF_SIBLING):
        return "level"
    return "around"


def _sort_key(member: FamilyMember) -> tuple:
    # Older first, as a genogram draws siblings; hidden records last, in a stable order.
    if member.person is None:
        return (1, date.max, member.person_id)
    return (0, member.person.date_of_birth or member.person.expected_date_of_birth or date.max, member.person_id)


def family_of(*, person: Person, user: User | None, include_ended: bool = True) -> Family:
    """Everyone recorded as related to ``person``, each named only if ``user`` may see them. Five queries."""
    relationships = list(
        Relationship.objects.filter(Q(person=person) | Q(relative=person))
        .select_related("person", "relative")
        .order_by("started_on", "id")
    )
    if not include_ended:
        relationships = [r for r in relationships if r.ended_on is None]
    other_ids = {r.relative_id if r.person_id == person.pk else r.person_id for r in relationships}
    visible = _visible_ids(other_ids, user=user, local_authority_id=person.local_authority_id)
    addresses = _current_addresses(other_ids | {person.pk})
    own = addresses.get(person.pk)
    members = []
    for relationship in relationships:
        other = relationship.relative if relationship.person_id == person.pk else relationship.person
        members.append(FamilyMember(
            relationship=relationship, person_id=other.pk,
            person=other if other.pk in visible else None,
            label=relationship_label(relationship, towards=person),
            group=_group(relationship, person.pk),
            shares_address=other.pk in visible and same_address(own, addresses.get(other.pk)),
        ))
    members.sort(key=_sort_key)
    links: list[tuple[int, int, str, bool]] = []
    if other_ids:
        everyone = other_ids | {person.pk}
        for parent_id, child_id, kind, ended_on in Relationship.objects.filter(
            person_id__in=everyone, relative_id__in=everyone, kind__in=ABOVE
        ).values_list("person_id", "relative_id", "kind", "ended_on"):
            links.append((parent_id, child_id, kind, ended_on is not None))
    return Family(person=person, members=members, links=links)


def _current_addresses(ids: Iterable[int]) -> dict[int, Address]:
    result: dict[int, Address] = {}
    for address in Address.objects.filter(person_id__in=set(ids), moved_out_on__isnull=True).order_by(
        "moved_in_on", "id"
    ):
        result[address.person_id] = address  # the latest move wins if two are open
    return result


# --------------------------------------------------------------------------------------------- household


@dataclass(frozen=True)
class FactPerson:
    """A person named in what is already known: None in place of a record the reader may not see."""

    person_id: int
    person: Person | None
    label: str = ""

    @property
    def visible(self) -> bool:
        return self.person is not None

    @property
    def name(self) -> str:
        return self.person.full_name if self.person is not None else RESTRICTED_LABEL


def household_of(*, person: Person, user: User | None) -> list[FactPerson]:
    """Others whose current address is the same as this person's (same first line and postcode)."""
    own = current_address(person=person)
    if own is None:
        return []
    same = [
        a for a in Address.objects.filter(
            local_authority_id=person.local_authority_id, postcode=own.postcode, moved_out_on__isnull=True,
            person__merged_into__isnull=True,
        ).exclude(person_id=person.pk).select_related("person").order_by("person__date_of_birth", "person_id")
        if same_address(own, a)
    ]
    visible = _visible_ids((a.person_id for a in same), user=user, local_authority_id=person.local_authority_id)
    seen: set[int] = set()
    members = []
    for address in same:
        if address.person_id in seen:
            continue
        seen.add(address.person_id)
        members.append(FactPerson(address.person_id, address.person if address.person_id in visible else None))
    return members


# ------------------------------------------------------------------------------------------- known facts


@dataclass
class KnownFacts:
    """What Hearth already knows about a person, for a form to show for confirmation instead of asking again."""

    person: Person
    current_address: Address | None
    school: ProfessionalInvolvement | None
    gp: ProfessionalInvolvement | None
    parents_with_pr: list[FactPerson]
    household: list[FactPerson]
    # Every current parent, with or without parental responsibility (a sibling's likely parents).
    parents: list[FactPerson] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (self.current_address or self.school or self.gp or self.parents_with_pr or self.household)


def known_facts(*, person: Person, user: User | None = None) -> KnownFacts:
    """The person's current address, school, GP, parents with parental responsibility and household.

    Pass the reader as ``user`` so that the records they may see are named; without one, only open
    records are named and any other appears as "Restricted record".
    """
    current = {
        p.role: p for p in ProfessionalInvolvement.objects.filter(
            person=person, ended_on__isnull=True,
            role__in=[ProfessionalInvolvement.Role.GP, ProfessionalInvolvement.Role.SCHOOL],
        ).order_by("started_on", "id")
    }
    parent_links = list(
        Relationship.objects.filter(relative=person, kind__in=ABOVE, ended_on__isnull=True)
        .select_related("person").order_by("started_on", "id")
    )
    visible = _visible_ids((r.person_id for r in parent_links), user=user,
                           local_authority_id=person.local_authority_id)

    def fact(relationship: Relationship) -> FactPerson:
        shown = relationship.person if relationship.person_id in visible else None
        return FactPerson(relationship.person_id, shown, relationship.get_kind_display())

    return KnownFacts(
        person=person,
        current_address=current_address(person=person),
        school=current.get(ProfessionalInvolvement.Role.SCHOOL),
        gp=current.get(ProfessionalInvolvement.Role.GP),
        parents_with_pr=[fact(r) for r in parent_links if r.parental_responsibility],
        household=household_of(person=person, user=user),
        parents=[fact(r) for r in parent_links if r.kind == Relationship.Kind.PARENT],
    )


def age_text(person: Person, today: date | None = None) -> str:
    """"Age 9", "Unborn, due 3 March 2026", "Died 2021, aged 40" or "Age not known"."""
    today = today or timezone.localdate()
    if person.is_unborn:
        return f"Unborn, due {person.expected_date_of_birth:%-d %B %Y}"
    if person.date_of_death:
        aged = person.age_on(person.date_of_death)
        return f"Died {person.date_of_death:%Y}" + (f", aged {aged}" if aged is not None else "")
    age = person.age_on(today)
    return f"Age {age}" if age is not None else "Age not known"
