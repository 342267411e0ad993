"""Keeping the name search keys in step with people's names.

NameKey rows are derived data (rebuilt from Person and PersonName at any time), not part of a
child's record, so they are replaced with plain deletes and bulk inserts, without history.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from django.db import connection, transaction
from django.db.models import Q

from hearth.people.models import Person, PersonName

from .keys import name_keys_for
from .models import NameKey

if TYPE_CHECKING:
    from hearth.tenancy.models import LocalAuthority

BATCH = 5000
# People handled at a time by a whole-council rebuild: bounds memory at a few tens of MB.
SLICE = 20000
_EXACT = NameKey.Kind.EXACT.value
_PHONETIC = NameKey.Kind.PHONETIC.value
# Small enough for SQLite's bound-parameter limit, large enough to keep round trips few.
ID_CHUNK = 900


def _key_rows(local_authority_id: int, person_id: int, names: list[str]) -> Iterator[NameKey]:
    exact, phonetic = name_keys_for(names)
    for key in sorted(exact):
        yield NameKey(local_authority_id=local_authority_id, person_id=person_id, kind=NameKey.Kind.EXACT, key=key)
    for key in sorted(phonetic):
        yield NameKey(local_authority_id=local_authority_id, person_id=person_id, kind=NameKey.Kind.PHONETIC,
                      key=key)


def _person_names(person: Person, other_names: Iterable[tuple[str, str]]) -> list[str]:
    names = [person.first_name, person.middle_names, person.last_name, person.preferred_name]
    for first, last in other_names:
        names.extend((first, last))
    return [n for n in names if n]


def name_keys_refresh(*, person: Person) -> None:
    """Replace this person's search keys from their legal, middle, preferred and other names.

    Call it in the same transaction as any change to a person's names.
    """
    other = PersonName.objects.filter(person_id=person.pk).values_list("first_name", "last_name")
    with transaction.atomic():
        NameKey.objects.filter(person_id=person.pk).delete()
        NameKey.objects.bulk_create(
            _key_rows(person.local_authority_id, person.pk, _person_names(person, other)), batch_size=BATCH
        )


def _insert(rows: list[tuple[int, int, str, str]]) -> int:
    """Plain INSERTs: a million keys as model instances through bulk_create take several times longer."""
    qn = connection.ops.quote_name
    columns = ", ".join(qn(c) for c in ("local_authority_id", "person_id", "kind", "key"))
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {qn(NameKey._meta.db_table)} ({columns}) VALUES (%s, %s, %s, %s)", rows)
    return len(rows)


def _chunks(ids: list[int], size: int = ID_CHUNK) -> Iterator[list[int]]:
    for start in range(0, len(ids), size):
        yield ids[start:start + size]


def _wanted_keys(la_id: int, people: Q, other_names: Q) -> set[tuple[int, str, str]]:
    """(person id, kind, key) for every key the selected people should have."""
    names: dict[int, list[str]] = {}
    for pk, first, middle, last, preferred in Person.objects.filter(people, local_authority_id=la_id).values_list(
            "pk", "first_name", "middle_names", "last_name", "preferred_name"):
        names[pk] = [n for n in (first, middle, last, preferred) if n]
    for person_id, first, last in PersonName.objects.filter(other_names, local_authority_id=la_id).values_list(
            "person_id", "first_name", "last_name"):
        if person_id in names:
            names[person_id].extend(n for n in (first, last) if n)
    wanted: set[tuple[int, str, str]] = set()
    for pk, person_names in names.items():
        exact, phonetic = name_keys_for(person_names)
        wanted.update((pk, _EXACT, key) for key in exact)
        wanted.update((pk, _PHONETIC, key) for key in phonetic)
    return wanted


def _bring_up_to_date(la_id: int, people: Q, other_names: Q, keys: Q) -> int:
    """Make the stored keys of the selected people equal to the wanted ones: delete what is stale,
    insert what is missing, leave the rest. Returns how many keys they now have."""
    wanted = _wanted_keys(la_id, people, other_names)
    stale: list[int] = []
    have: set[tuple[int, str, str]] = set()
    sql, params = NameKey.objects.filter(keys, local_authority_id=la_id).values_list(
        "id", "person_id", "kind", "key").query.sql_with_params()
    # Read through the cursor: a council's million keys through the ORM's row handling take longer.
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        existing = cursor.fetchall()
    for key_id, person_id, kind, key in existing:
        row = (person_id, kind, key)
        if row in wanted and row not in have:
            have.add(row)
        else:
            stale.append(key_id)
    for chunk in _chunks(stale):
        NameKey.objects.filter(id__in=chunk).delete()
    # Sorted as the lookup index is, so inserts append to it rather than land all over it.
    missing = sorted(wanted - have, key=lambda r: (r[1], r[2], r[0]))
    for start in range(0, len(missing), BATCH):
        _insert([(la_id, person_id, kind, key) for person_id, kind, key in missing[start:start + BATCH]])
    return len(wanted)


def name_keys_rebuild(*, local_authority: LocalAuthority, people: Iterable[Person | int] | None = None) -> int:
    """Bring the search keys of a whole council, or of the given people (objects or ids), up to date.

    Returns how many keys those people now have. Works through the council in slices of people
    (a few big queries each, never one per person) and only writes keys that changed, so a
    rebuild of an unchanged council is mostly reading.
    """
    la_id = local_authority.pk
    total = 0
    with transaction.atomic():
        if people is not None:
            ids = sorted({p if isinstance(p, int) else p.pk for p in people})
            for chunk in _chunks(ids):
                total += _bring_up_to_date(la_id, Q(pk__in=chunk), Q(person_id__in=chunk), Q(person_id__in=chunk))
            return total
        all_ids = list(Person.objects.filter(local_authority_id=la_id).order_by("pk").values_list("pk", flat=True))
        for start in range(0, len(all_ids), SLICE):
            low = all_ids[start]
            high = all_ids[min(start + SLICE, len(all_ids)) - 1]
            span = Q(person_id__gte=low, person_id__lte=high)
            total += _bring_up_to_date(la_id, Q(pk__gte=low, pk__lte=high), span, span)
        # Keys of people no longer in the council's list (there should be none) go too.
        if all_ids:
            NameKey.objects.filter(local_authority_id=la_id).filter(
                Q(person_id__lt=all_ids[0]) | Q(person_id__gt=all_ids[-1])).delete()
        else:
            NameKey.objects.filter(local_authority_id=la_id).delete()
    return total
