from __future__ import annotations

import pytest
from django.db import transaction

from hearth.audit.actor import acting_as
from hearth.audit.models import AuditBypassError, ChangeRecord, StaleVersionError, UnattributedChangeError
from hearth.people.models import Person
from tests.factories import make_person


def history(person: Person) -> list[ChangeRecord]:
    return list(ChangeRecord.objects.filter(model_label="people.Person", object_id=str(person.pk)).order_by("id"))


def test_create_and_update_keep_who_when_before_and_after(la, social_worker):
    person = make_person(la, first_name="Jordan")
    person.first_name = "Jordon"
    person.save(by=social_worker)

    created, updated = history(person)
    assert created.action == "create" and created.by_system == "test" and created.after["first_name"] == "Jordan"
    assert updated.action == "update" and updated.by_user == social_worker
    assert updated.before == {"first_name": "Jordan"} and updated.after == {"first_name": "Jordon"}
    assert updated.local_authority == la and person.version == 2


def test_history_rolls_back_with_the_change(la, social_worker):
    person = make_person(la)
    with pytest.raises(RuntimeError), transaction.atomic():
        person.last_name = "Changed"
        person.save(by=social_worker)
        raise RuntimeError("the surrounding work failed")
    assert len(history(person)) == 1
    assert Person.objects.get(pk=person.pk).last_name != "Changed"


def test_a_save_from_a_stale_copy_is_refused_and_nothing_is_overwritten(la, social_worker, team_manager):
    person = make_person(la, first_name="Jordan")
    mine, theirs = Person.objects.get(pk=person.pk), Person.objects.get(pk=person.pk)
    theirs.first_name = "Jo"
    theirs.save(by=team_manager)
    mine.first_name = "Jordy"
    with pytest.raises(StaleVersionError) as refused:
        mine.save(by=social_worker)
    assert refused.value.current_version == 2
    assert refused.value.last_change.by_user == team_manager
    assert Person.objects.get(pk=person.pk).first_name == "Jo"


def test_changes_need_someone_to_attribute_them_to(la):
    with pytest.raises(UnattributedChangeError):
        Person(local_authority=la, first_name="A", last_name="B").save()


def test_bulk_paths_that_skip_history_are_refused(la):
    make_person(la)
    with pytest.raises(AuditBypassError):
        Person.objects.filter(local_authority=la).update(first_name="X")
    with pytest.raises(AuditBypassError):
        Person.objects.filter(local_authority=la).delete()
    with pytest.raises(AuditBypassError):
        Person.objects.get().delete()
    with pytest.raises(AuditBypassError):
        Person.objects.bulk_update(list(Person.objects.all()), ["first_name"])


def test_bulk_create_records_history_for_every_row(la):
    with acting_as("import"):
        people = Person.objects.bulk_create(
            [Person(local_authority=la, first_name=f"P{i}", last_name="Bulk") for i in range(5)]
        )
    records = ChangeRecord.objects.filter(model_label="people.Person", action="create", by_system="import")
    assert sorted(int(r.object_id) for r in records) == sorted(p.pk for p in people)
    assert all(p.version == 1 for p in Person.objects.filter(last_name="Bulk"))
