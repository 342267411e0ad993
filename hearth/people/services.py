"""Writes to people's records. Each is one transaction; the audit history is written in it by the models.

Every change that matters to the story of a child (a move, a new relative, a name change) also
writes its line in the chronology of each person it touches, in the same transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any, cast

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from hearth.audit.actor import acting_as
from hearth.chronology.models import EventType
from hearth.chronology.services import chronology_record
from hearth.search.services import name_keys_refresh

from .checks import clean_nhs_number, clean_postcode, clean_upn, person_problems
from .models import Address, ContactDetail, Person, PersonName, ProfessionalInvolvement, Relationship

if TYPE_CHECKING:
    from hearth.accounts.models import User
    from hearth.tenancy.models import LocalAuthority

    Actor = User | str

# The sections of a person's record, each edited on its own page.
PERSONAL_DETAILS = (
    "first_name", "middle_names", "last_name", "preferred_name", "date_of_birth", "expected_date_of_birth",
    "sex", "gender_identity", "date_of_death",
)
BACKGROUND = ("ethnicity", "first_language", "religion", "disabilities")
IDENTIFIERS = ("nhs_number", "upn", "former_upn", "upn_unknown")
IMMIGRATION = ("is_uasc", "uasc_ceased_on", "immigration_status")
EDITABLE_DETAILS = PERSONAL_DETAILS + BACKGROUND + IDENTIFIERS + IMMIGRATION
NAME_FIELDS = frozenset({"first_name", "middle_names", "last_name", "preferred_name"})
_TEXT_FIELDS = frozenset({"first_name", "middle_names", "last_name", "preferred_name", "gender_identity",
                          "first_language", "religion"})

# Who may hold parental responsibility in Hearth's terms: a parent, a step-parent with an order, a carer
# with a special guardianship or child arrangements order.
PR_KINDS = frozenset({Relationship.Kind.PARENT, Relationship.Kind.STEP_PARENT, Relationship.Kind.CARER})


def _normalised(details: dict[str, Any]) -> dict[str, Any]:
    """Identifiers in their stored form (bad ones are left as typed, for the checks to explain)."""
    result = dict(details)
    for name in _TEXT_FIELDS & result.keys():
        result[name] = " ".join(str(result[name] or "").split())
    for name, clean in (("nhs_number", clean_nhs_number), ("upn", clean_upn), ("former_upn", clean_upn)):
        if name in result:
            try:
                result[name] = clean(result[name] or "")
            except ValidationError:
                result[name] = (result[name] or "").strip()
    if "disabilities" in result:
        result["disabilities"] = sorted(set(result["disabilities"] or []))
    return result


def _raise_problems(values: dict[str, Any], fields: Iterable[str]) -> None:
    problems = person_problems(values)
    wanted = set(fields)
    relevant = {field: message for field, message in problems.items() if field in wanted}
    if relevant:
        raise ValidationError(relevant)


def _record_link(person: Person) -> str:
    return reverse("people:child_record", args=[person.pk])


def _family_link(person: Person) -> str:
    return reverse("people:family", args=[person.pk])


def person_create(
    *, local_authority: LocalAuthority, by: Actor, address: dict[str, Any] | None = None,
    external_id: str = "", **details: Any,
) -> Person:
    """A new record. ``address`` (line_1, line_2, town, postcode, moved_in_on) becomes the current address."""
    unknown = set(details) - set(EDITABLE_DETAILS)
    if unknown:
        raise TypeError(f"Not a person's detail: {', '.join(sorted(unknown))}")
    values = _normalised(details)
    if not values.get("first_name"):
        raise ValidationError({"first_name": "Enter the first name"})
    if not values.get("last_name"):
        raise ValidationError({"last_name": "Enter the last name"})
    _raise_problems(values, values.keys())
    with transaction.atomic(), acting_as(by):
        person = Person(local_authority=local_authority, external_id=external_id, **values)
        person.save()
        name_keys_refresh(person=person)
        chronology_record(person=person, event_type=EventType.PERSON_DETAILS, occurred=timezone.now(),
                          title="Record created", by=by, source=person, link=_record_link(person))
        if address:
            address_move(person=person, by=by, **address)
    return person


def person_update(*, person: Person, expected_version: int, by: Actor, **changes: Any) -> Person:
    """Change details of a person's record; raises StaleVersionError if someone saved since the editor loaded it.

    A change of legal name keeps the old name as a previous name, so searches still find it.
    """
    unknown = set(changes) - set(EDITABLE_DETAILS)
    if unknown:
        raise TypeError(f"Not editable here: {', '.join(sorted(unknown))}")
    changes = _normalised(changes)
    if "first_name" in changes and not changes["first_name"]:
        raise ValidationError({"first_name": "Enter the first name"})
    if "last_name" in changes and not changes["last_name"]:
        raise ValidationError({"last_name": "Enter the last name"})
    merged = {name: getattr(person, name) for name in EDITABLE_DETAILS} | changes
    _raise_problems(merged, changes.keys())
    changed = [name for name, value in changes.items() if getattr(person, name) != value]
    old_first, old_last = person.first_name, person.last_name
    with transaction.atomic(), acting_as(by):
        for name, value in changes.items():
            setattr(person, name, value)
        person.version = expected_version
        person.save()
        if {"first_name", "last_name"} & set(changed):
            PersonName(local_authority_id=person.local_authority_id, person=person, kind=PersonName.Kind.PREVIOUS,
                       first_name=old_first, last_name=old_last, used_to=timezone.localdate()).save()
        if NAME_FIELDS & set(changed):
            name_keys_refresh(person=person)
        if changed:
            labels = [str(getattr(Person._meta.get_field(name), "verbose_name", name)) for name in changed]
            died = "date_of_death" in changed and person.date_of_death is not None
            occurred: date | datetime = timezone.now()
            if died and person.date_of_death is not None:
                occurred = person.date_of_death
            chronology_record(
                person=person, event_type=EventType.PERSON_DETAILS, occurred=occurred,
                title="Date of death recorded" if died else "Personal details changed",
                summary="Changed: " + ", ".join(labels), by=by, source=person, link=_record_link(person),
                significant=died,
            )
    return person


def person_update_details(*, person: Person, expected_version: int, by: User, **details: Any) -> Person:
    """Kept for callers written before the record had sections: the same as ``person_update``."""
    return person_update(person=person, expected_version=expected_version, by=by, **details)


def person_name_add(
    *, person: Person, kind: str, first_name: str, last_name: str, by: Actor,
    used_from: date | None = None, used_to: date | None = None,
) -> PersonName:
    """A previous name, alias or nickname, searched like the legal name."""
    first_name, last_name = " ".join(first_name.split()), " ".join(last_name.split())
    if kind not in PersonName.Kind.values:
        raise ValidationError({"kind": "Choose what kind of name this is"})
    if not (first_name or last_name):
        raise ValidationError({"first_name": "Enter a first name or a last name"})
    if used_from and used_to and used_to < used_from:
        raise ValidationError({"used_to": "The date they stopped using the name must be after they started"})
    with transaction.atomic(), acting_as(by):
        name = PersonName(local_authority_id=person.local_authority_id, person=person, kind=kind,
                          first_name=first_name, last_name=last_name, used_from=used_from, used_to=used_to)
        name.save()
        name_keys_refresh(person=person)
    return name


# ----------------------------------------------------------------------------------------------- addresses


def current_address_of(person: Person) -> Address | None:
    return Address.objects.filter(person=person, moved_out_on__isnull=True).order_by("-moved_in_on", "-id").first()


def same_address(a: Address | None, b: Address | None) -> bool:
    if a is None or b is None:
        return False
    return (a.postcode == b.postcode and " ".join(a.line_1.lower().split()) == " ".join(b.line_1.lower().split()))


def _clean_address(*, line_1: str, town: str, postcode: str, line_2: str = "") -> dict[str, str]:
    problems: dict[str, str] = {}
    cleaned = {"line_1": " ".join(line_1.split()), "line_2": " ".join(line_2.split()), "town": " ".join(town.split())}
    if not cleaned["line_1"]:
        problems["line_1"] = "Enter the first line of the address"
    if not cleaned["town"]:
        problems["town"] = "Enter the town or city"
    if not postcode.strip():
        problems["postcode"] = "Enter the postcode"
    else:
        try:
            cleaned["postcode"] = clean_postcode(postcode)
        except ValidationError as error:
            problems["postcode"] = " ".join(error.messages)
    if problems:
        raise ValidationError(problems)
    return cleaned


def address_move(
    *, person: Person, line_1: str, town: str, postcode: str, by: Actor, line_2: str = "",
    moved_in_on: date | None = None, household: Sequence[Person] = (),
) -> list[Address]:
    """The person (and, if given, members of their household at the old address) moved to a new address.

    The current address ends the day before the move (the same day if they moved in that day), so the
    history has no gaps and no overlaps. Each person moved gets a chronology event.
    """
    cleaned = _clean_address(line_1=line_1, line_2=line_2, town=town, postcode=postcode)
    moved_in_on = moved_in_on or timezone.localdate()
    old = current_address_of(person)
    if old is not None and old.moved_in_on and moved_in_on < old.moved_in_on:
        raise ValidationError({"moved_in_on": f"The move date must be after they moved into their current address "
                                              f"on {old.moved_in_on:%-d %B %Y}"})
    movers = [person]
    for member in household:
        if member.pk == person.pk or member.local_authority_id != person.local_authority_id:
            raise ValidationError({"household": "Only people living at the same address can move with them"})
        if not same_address(current_address_of(member), old):
            raise ValidationError({"household": f"Record {member.hearth_id} does not live at the same address"})
        movers.append(member)
    created: list[Address] = []
    with transaction.atomic(), acting_as(by):
        for mover in movers:
            current = current_address_of(mover)
            if current is not None:
                ends = moved_in_on - timedelta(days=1)
                current.moved_out_on = max(ends, current.moved_in_on) if current.moved_in_on else ends
                current.save()
            address = Address(local_authority_id=mover.local_authority_id, person=mover, moved_in_on=moved_in_on,
                              **cleaned)
            address.save()
            created.append(address)
            chronology_record(
                person=mover, event_type=EventType.ADDRESS, occurred=moved_in_on,
                title=f"Moved to {address}", summary=f"Previous address: {current}" if current else "",
                by=by, source=address, link=_record_link(mover),
            )
    return created


def address_correct(
    *, address: Address, expected_version: int, by: Actor, line_1: str, town: str, postcode: str,
    line_2: str = "", moved_in_on: date | None = None, moved_out_on: date | None = None,
) -> Address:
    """Put right a mistake in an address as recorded (not a move)."""
    cleaned = _clean_address(line_1=line_1, line_2=line_2, town=town, postcode=postcode)
    if moved_in_on and moved_out_on and moved_out_on < moved_in_on:
        raise ValidationError({"moved_out_on": "The date they moved out must be the same as or after they moved in"})
    with transaction.atomic(), acting_as(by):
        for name, value in cleaned.items():
            setattr(address, name, value)
        address.moved_in_on, address.moved_out_on = moved_in_on, moved_out_on
        address.version = expected_version
        address.save()
    return address


# ------------------------------------------------------------------------------------------ contact details


def contact_detail_add(*, person: Person, kind: str, value: str, by: Actor, note: str = "") -> ContactDetail:
    value = value.strip()
    if kind not in ContactDetail.Kind.values:
        raise ValidationError({"kind": "Choose the kind of contact detail"})
    if not value:
        raise ValidationError({"value": "Enter the phone number or email address"})
    if kind == ContactDetail.Kind.EMAIL:
        try:
            validate_email(value)
        except ValidationError:
            raise ValidationError({"value": "Enter an email address in the correct format, like name@example.com"}) \
                from None
    else:
        digits = "".join(ch for ch in value if ch.isdigit())
        if not (10 <= len(digits) <= 15) or any(ch not in "0123456789 +()-" for ch in value):
            raise ValidationError({"value": "Enter a phone number, like 01632 960 001 or 07700 900 982"})
    with transaction.atomic(), acting_as(by):
        detail = ContactDetail(local_authority_id=person.local_authority_id, person=person, kind=kind, value=value,
                               note=note.strip())
        detail.save()
    return detail


def contact_detail_end(*, detail: ContactDetail, by: Actor, ended_on: date | None = None) -> ContactDetail:
    with transaction.atomic(), acting_as(by):
        detail.ended_on = ended_on or timezone.localdate()
        detail.save()
    return detail


# ------------------------------------------------------------------------------------------- relationships


def relationship_label(relationship: Relationship, *, towards: Person | int) -> str:
    """What the other person in the relationship is to ``towards``: "Parent", "Child", "Sibling"..."""
    towards_id = towards if isinstance(towards, int) else towards.pk
    if relationship.relative_id == towards_id or relationship.kind in Relationship.SYMMETRIC:
        return relationship.get_kind_display()
    inverse = cast(dict[str, str], Relationship.INVERSE_LABELS)
    return inverse.get(relationship.kind, relationship.get_kind_display())


def relationship_add(
    *, person: Person, relative: Person, kind: str, by: Actor, parental_responsibility: bool = False,
    started_on: date | None = None, ended_on: date | None = None, note: str = "",
) -> Relationship:
    """``person`` is the ``kind`` of ``relative`` (person=the mother, kind=parent, relative=the child)."""
    if kind not in Relationship.Kind.values:
        raise ValidationError({"kind": "Choose how they are related"})
    if person.pk == relative.pk:
        raise ValidationError({"relative": "A person cannot be related to themselves"})
    if person.local_authority_id != relative.local_authority_id:
        raise ValidationError({"relative": "Both people must be on this council's records"})
    if parental_responsibility and kind not in PR_KINDS:
        raise ValidationError({"parental_responsibility":
                               "Only a parent, step-parent or carer can be recorded as holding parental "
                               "responsibility"})
    if started_on and ended_on and ended_on < started_on:
        raise ValidationError({"ended_on": "The end date must be the same as or after the start date"})
    births = [d for d in (person.date_of_birth, relative.date_of_birth) if d is not None]
    if started_on and births and started_on < max(births):
        raise ValidationError({"started_on": "The relationship cannot start before both people were born "
                                             f"(the younger was born on {max(births):%-d %B %Y})"})
    pairs = [(person.pk, relative.pk)]
    if kind in Relationship.SYMMETRIC:
        pairs.append((relative.pk, person.pk))
    with transaction.atomic(), acting_as(by):
        for left, right in pairs:
            if Relationship.objects.filter(person_id=left, relative_id=right, kind=kind,
                                           ended_on__isnull=True).exists():
                raise ValidationError({"kind": "This relationship is already recorded"})
        relationship = Relationship(
            local_authority_id=person.local_authority_id, person=person, relative=relative, kind=kind,
            parental_responsibility=parental_responsibility, started_on=started_on, ended_on=ended_on,
            note=note.strip(),
        )
        relationship.save()
        occurred = started_on or timezone.localdate()
        # Names stay out of the titles: a relative may be a record that some readers of this chronology cannot see.
        for subject in (person, relative):
            label = relationship_label(relationship, towards=subject)
            chronology_record(person=subject, event_type=EventType.RELATIONSHIP, occurred=occurred,
                              title=f"{label} recorded", by=by, source=relationship, link=_family_link(subject))
    return relationship


def relationship_end(
    *, relationship: Relationship, ended_on: date, by: Actor, expected_version: int | None = None
) -> Relationship:
    if relationship.ended_on is not None:
        raise ValidationError({"ended_on": "This relationship has already ended"})
    if relationship.started_on and ended_on < relationship.started_on:
        raise ValidationError({"ended_on": f"The end date must be the same as or after the start date, "
                                           f"{relationship.started_on:%-d %B %Y}"})
    with transaction.atomic(), acting_as(by):
        relationship.ended_on = ended_on
        if expected_version is not None:
            relationship.version = expected_version
        relationship.save()
        for subject in (relationship.person, relationship.relative):
            label = relationship_label(relationship, towards=subject)
            chronology_record(person=subject, event_type=EventType.RELATIONSHIP, occurred=ended_on,
                              title=f"{label} relationship ended", by=by, source=relationship,
                              link=_family_link(subject))
    return relationship


# ----------------------------------------------------------------------------------------------- professionals

# One current GP and one current school: recording a new one ends the old.
SINGLE_ROLES = frozenset({ProfessionalInvolvement.Role.GP, ProfessionalInvolvement.Role.SCHOOL})


def professional_add(
    *, person: Person, role: str, organisation: str, by: Actor, organisation_code: str = "",
    contact_name: str = "", phone: str = "", email: str = "", started_on: date | None = None,
) -> ProfessionalInvolvement:
    if role not in ProfessionalInvolvement.Role.values:
        raise ValidationError({"role": "Choose their role"})
    organisation = " ".join(organisation.split())
    if not organisation:
        raise ValidationError({"organisation": "Enter the organisation, for example the GP practice or school"})
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise ValidationError({"email": "Enter an email address in the correct format, like name@example.com"}) \
                from None
    started_on = started_on or timezone.localdate()
    with transaction.atomic(), acting_as(by):
        if role in SINGLE_ROLES:
            for old in ProfessionalInvolvement.objects.filter(person=person, role=role, ended_on__isnull=True):
                old.ended_on = max(started_on - timedelta(days=1), old.started_on or date.min)
                old.save()
        involvement = ProfessionalInvolvement(
            local_authority_id=person.local_authority_id, person=person, role=role, organisation=organisation,
            organisation_code=organisation_code.strip().upper(), contact_name=contact_name.strip(),
            phone=phone.strip(), email=email.strip(), started_on=started_on,
        )
        involvement.save()
    return involvement


def professional_end(
    *, involvement: ProfessionalInvolvement, ended_on: date, by: Actor
) -> ProfessionalInvolvement:
    if involvement.started_on and ended_on < involvement.started_on:
        raise ValidationError({"ended_on": "The end date must be the same as or after the start date"})
    with transaction.atomic(), acting_as(by):
        involvement.ended_on = ended_on
        involvement.save()
    return involvement


# The relationship kinds where the relative is a generation above the person.
_ABOVE = frozenset({Relationship.Kind.PARENT, Relationship.Kind.STEP_PARENT, Relationship.Kind.CARER})
# "child" is what the family page offers: the person is the parent of the relative.
CHILD = "child"


def relative_add(
    *, person: Person, kind: str, by: Actor, relative: Person | None = None,
    new_relative: dict[str, Any] | None = None, parental_responsibility: bool = False,
    started_on: date | None = None, note: str = "", lives_here: bool = False, also_parents: Sequence[Person] = (),
) -> Relationship:
    """Record a relative of ``person``: an existing record, or a new one made here from ``new_relative``.

    What is already known is reused rather than typed again: a relative who lives with the person takes
    their current address, and a sibling can be given the parents they share with the person (with the
    same parental responsibility).
    """
    if (relative is None) == (new_relative is None):
        raise TypeError("Give either an existing relative or the details of a new one")
    if kind != CHILD and kind not in Relationship.Kind.values:
        raise ValidationError({"kind": "Choose how they are related"})
    with transaction.atomic(), acting_as(by):
        if relative is None:
            assert new_relative is not None
            relative = person_create(local_authority=person.local_authority, by=by, **new_relative)
        common: dict[str, Any] = {"parental_responsibility": parental_responsibility, "started_on": started_on,
                                  "note": note, "by": by}
        if kind == CHILD:
            relationship = relationship_add(person=person, relative=relative, kind=Relationship.Kind.PARENT, **common)
        elif kind in _ABOVE:
            relationship = relationship_add(person=relative, relative=person, kind=kind, **common)
        else:
            relationship = relationship_add(person=person, relative=relative, kind=kind, **common)
        if lives_here:
            home = current_address_of(person)
            theirs = current_address_of(relative)
            if home is not None and not same_address(home, theirs):
                if theirs is not None:
                    moved_in = timezone.localdate()
                else:
                    known = [d for d in (home.moved_in_on, relative.date_of_birth) if d]
                    moved_in = max(known) if known else timezone.localdate()
                address_move(person=relative, line_1=home.line_1, line_2=home.line_2, town=home.town,
                             postcode=home.postcode, moved_in_on=moved_in, by=by)
        if also_parents:
            shared = {
                r.person_id: r for r in Relationship.objects.filter(
                    relative=person, kind=Relationship.Kind.PARENT, ended_on__isnull=True,
                    person_id__in=[p.pk for p in also_parents],
                )
            }
            for parent in also_parents:
                link = shared.get(parent.pk)
                if link is None:
                    raise ValidationError({"also_parents": "Choose from the parents recorded for them"})
                if parent.pk == relative.pk or Relationship.objects.filter(
                    person=parent, relative=relative, kind=Relationship.Kind.PARENT, ended_on__isnull=True
                ).exists():
                    continue
                relationship_add(person=parent, relative=relative, kind=Relationship.Kind.PARENT,
                                 parental_responsibility=link.parental_responsibility, by=by)
    return relationship
