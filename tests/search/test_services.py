"""Name keys follow the names: refreshed for one person, rebuilt for a council or a list."""

from __future__ import annotations

from hearth.audit.actor import acting_as
from hearth.search.keys import phonetic_key
from hearth.search.models import NameKey
from hearth.search.selectors import search_people
from hearth.search.services import name_keys_rebuild, name_keys_refresh
from tests.factories import make_la, make_person
from tests.search.factories import add_other_name


def keys(person, kind=NameKey.Kind.EXACT):
    return set(NameKey.objects.filter(person=person, kind=kind).values_list("key", flat=True))


def test_refresh_writes_one_row_per_distinct_token_and_code(la):
    person = make_person(la, first_name="Mary-Jane", last_name="O'Neil", preferred_name="Mary")
    name_keys_refresh(person=person)
    assert keys(person) == {"mary", "jane", "maryjane", "oneil"}
    assert keys(person, NameKey.Kind.PHONETIC) == {phonetic_key(t) for t in ("mary", "jane", "maryjane", "oneil")}
    rows = NameKey.objects.filter(person=person)
    assert rows.count() == len({(r.kind, r.key) for r in rows})
    assert {r.local_authority_id for r in rows} == {la.pk}


def test_refresh_after_a_name_change_and_a_previous_name(la, social_worker):
    person = make_person(la, first_name="Leah", last_name="Baker")
    name_keys_refresh(person=person)
    assert search_people(user=social_worker, query="Fletcher") == []
    with acting_as("test"):
        person.last_name = "Carter"
        person.save()
    name_keys_refresh(person=person)
    assert "baker" not in keys(person) and "carter" in keys(person)
    add_other_name(person, last_name="Fletcher")
    name_keys_refresh(person=person)
    assert "fletcher" in keys(person)
    assert [h.person.pk for h in search_people(user=social_worker, query="Leah Fletcher")] == [person.pk]
    assert search_people(user=social_worker, query="Leah Baker") == []


def test_refresh_is_idempotent(la):
    person = make_person(la, first_name="Kai", last_name="Brennan")
    name_keys_refresh(person=person)
    before = NameKey.objects.filter(person=person).count()
    name_keys_refresh(person=person)
    assert NameKey.objects.filter(person=person).count() == before


def test_rebuild_a_council_replaces_its_keys_and_leaves_other_councils_alone(la):
    other = make_la(name="Elsewhere")
    ours = [make_person(la, first_name="Ava", last_name=f"Stone{i}") for i in range(3)]
    theirs = make_person(other, first_name="Ava", last_name="Stone")
    name_keys_refresh(person=theirs)
    NameKey.objects.create(local_authority=la, person=ours[0], kind=NameKey.Kind.EXACT, key="stale")
    written = name_keys_rebuild(local_authority=la)
    assert written == NameKey.objects.filter(local_authority=la).count()
    assert "stale" not in keys(ours[0])
    assert all("ava" in keys(p) for p in ours)
    assert keys(theirs) == {"ava", "stone"}


def test_rebuild_for_listed_people_only(la):
    a = make_person(la, first_name="Ava", last_name="Stone")
    b = make_person(la, first_name="Ben", last_name="Stone")
    add_other_name(a, last_name="Marsh")
    assert name_keys_rebuild(local_authority=la, people=[a, b.pk]) > 0
    assert keys(a) == {"ava", "stone", "marsh"}
    with acting_as("test"):
        b.first_name = "Benedict"
        b.save()
    name_keys_rebuild(local_authority=la, people=[b])
    assert keys(b) == {"benedict", "stone"} and keys(a) == {"ava", "stone", "marsh"}


def test_rebuild_uses_a_few_queries_whatever_the_size(la, django_assert_max_num_queries):
    for i in range(30):
        make_person(la, first_name="Ava", last_name=f"Stone{i}")
    with django_assert_max_num_queries(8):
        name_keys_rebuild(local_authority=la)


def test_rebuild_of_an_unchanged_council_writes_nothing(la):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    people = [make_person(la, first_name="Ava", last_name=f"Stone{i}") for i in range(5)]
    name_keys_rebuild(local_authority=la)
    before = set(NameKey.objects.values_list("id", "person_id", "kind", "key"))
    with CaptureQueriesContext(connection) as ctx:
        name_keys_rebuild(local_authority=la)
    assert not [q for q in ctx.captured_queries if q["sql"].startswith("INSERT")]
    assert set(NameKey.objects.values_list("id", "person_id", "kind", "key")) == before
    # A duplicated key row is tidied away.
    NameKey.objects.create(local_authority=la, person=people[0], kind=NameKey.Kind.EXACT, key="ava")
    name_keys_rebuild(local_authority=la)
    assert NameKey.objects.filter(person=people[0], key="ava").count() == 1
