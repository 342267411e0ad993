from __future__ import annotations

from datetime import date

import pytest

from hearth.audit.actor import Actor, acting_as
from hearth.audit.models import ChangeRecord
from hearth.demo.bulk import SeedWriter, new
from hearth.people.models import Address, Person
from hearth.tenancy.models import LocalAuthority

SEED = Actor(user_id=None, system="seed_demo")


def _child(la: LocalAuthority, **extra: object) -> Person:
    values: dict[str, object] = {
        "first_name": "Amara", "last_name": "Okafor", "date_of_birth": date(2014, 2, 3), "sex": "F",
        "ethnicity": "BAFR", "disabilities": ["AUT", "COMM"], "nhs_number": "9990000018", "upn_unknown": "",
    }
    values.update(extra)
    return Person(local_authority=la, **values)


def _stored(person: Person) -> dict:
    row = Person.objects.filter(pk=person.pk).values().get()
    return {k: v for k, v in row.items() if k not in ("id", "created_at")}


def test_rows_and_history_match_the_audited_bulk_create(la):
    audited, fast = _child(la), _child(la)
    with acting_as(SEED):
        Person.objects.bulk_create([audited])
    writer = SeedWriter(actor=SEED)
    writer.save(Person, [fast])
    writer.finish()
    assert _stored(fast) == _stored(audited)
    assert fast.version == audited.version == 1
    records = {r.object_id: r for r in ChangeRecord.objects.filter(model_label="people.Person")}
    a, f = records[str(audited.pk)], records[str(fast.pk)]
    for name in ("local_authority_id", "model_label", "action", "by_user_id", "by_system", "version", "before"):
        assert getattr(f, name) == getattr(a, name), name
    assert set(f.after) == set(a.after)
    assert {k: v for k, v in f.after.items() if k not in ("id", "created_at")} == \
        {k: v for k, v in a.after.items() if k not in ("id", "created_at")}
    assert f.after["id"] == fast.pk and f.after["date_of_birth"] == "2014-02-03"
    assert writer.rows == 2


def test_related_rows_take_the_ids_of_rows_written_before_them(la):
    child = _child(la)
    home = Address(local_authority=la, person=child, line_1="1 Oak Road", town="Nottingham", postcode="NG7 2QH",
                   moved_in_on=date(2020, 1, 1))
    writer = SeedWriter(actor=SEED)
    writer.save(Person, [child])
    writer.save(Address, [home])
    writer.finish()
    assert Address.objects.get(pk=home.pk).person_id == child.pk
    # Ordinary saves carry on after the ids the writer gave out (the sequence was moved on).
    with acting_as("test"):
        later = _child(la, first_name="Kofi")
        later.save()
    assert later.pk > child.pk


def test_a_row_pointing_at_an_unsaved_row_is_refused(la):
    home = Address(local_authority=la, person=_child(la), line_1="1 Oak Road", town="Nottingham",
                   postcode="NG7 2QH")
    with pytest.raises(ValueError):
        SeedWriter(actor=SEED).save(Address, [home])


def test_new_builds_the_same_instance_as_the_model_constructor(la):
    mother, child = _child(la, first_name="Grace"), _child(la)
    built = new(Address, local_authority=la, person=child, line_1="2 Elm Close", town="Nottingham",
                postcode="NG5 1AB")
    made = Address(local_authority=la, person=child, line_1="2 Elm Close", town="Nottingham", postcode="NG5 1AB")
    assert {f.attname: getattr(built, f.attname) for f in Address._meta.concrete_fields} == \
        {f.attname: getattr(made, f.attname) for f in Address._meta.concrete_fields}
    assert built.person is child and built._state.adding
    assert new(Person, local_authority=la, first_name="A", last_name="B").disabilities == []
    assert new(Person, local_authority=la, first_name="A", last_name="B").disabilities is not \
        new(Person, local_authority=la, first_name="C", last_name="D").disabilities
    with pytest.raises(TypeError):
        new(Person, local_authority=la, nickname="Mo")
    writer = SeedWriter(actor=SEED)
    writer.save(Person, [mother, child])
    writer.save(Address, [built])
    assert Address.objects.get(pk=built.pk).person_id == child.pk


def test_dates_times_and_json_are_stored_as_the_audited_path_stores_them(la):
    from datetime import datetime, time
    from zoneinfo import ZoneInfo

    from hearth.front_door.models import Contact

    def contact(reference: str) -> Contact:
        # A summer (BST) time and a winter one, JSON with a date in it.
        return Contact(local_authority=la, reference=reference, channel="phone", source="2A", concerns="Worried",
                       consent="given", decision_due_on=date(2025, 7, 2),
                       received_at=datetime.combine(date(2025, 7, 1), time(9, 30), tzinfo=ZoneInfo("Europe/London")),
                       decided_at=datetime(2025, 1, 2, 10, 0, 5, 120000, tzinfo=ZoneInfo("Europe/London")),
                       status="decided", decision="advice", child_details={"first_name": "Amara", "born": "2014"})

    audited, fast = contact("C-1"), contact("C-2")
    with acting_as(SEED):
        Contact.objects.bulk_create([audited])
    SeedWriter(actor=SEED).save(Contact, [fast])
    rows = {r["reference"]: r for r in Contact.objects.values()}
    a, f = rows["C-1"], rows["C-2"]
    assert {k: v for k, v in a.items() if k not in ("id", "reference")} == \
        {k: v for k, v in f.items() if k not in ("id", "reference")}
    records = {r.object_id: r.after for r in ChangeRecord.objects.filter(model_label="front_door.Contact")}
    after_a, after_f = records[str(audited.pk)], records[str(fast.pk)]
    assert {k: v for k, v in after_a.items() if k not in ("id", "reference")} == \
        {k: v for k, v in after_f.items() if k not in ("id", "reference")}
