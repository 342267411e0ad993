"""For any records hanging off two people, merging then undoing leaves everything as it was."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from hearth.access.models import AccessEvent, AllowListEntry
from hearth.accounts.roles import Role
from hearth.allocations.models import Allocation
from hearth.audit.actor import acting_as
from hearth.chronology.models import CaseNote, ChronologyEvent, EventType
from hearth.matching.plan import FILLABLE, person_links
from hearth.matching.services import merge_undo, person_merge
from hearth.people.models import Address, Person, PersonName, Relationship
from tests.factories import make_la, make_person, make_team, make_user

KINDS = ["allocation", "event", "note", "name", "address", "relationship_out", "relationship_in", "access",
         "permission", "link_between"]
rows_st = st.lists(st.tuples(st.sampled_from(KINDS), st.booleans(), st.booleans()), max_size=12)
details_st = st.fixed_dictionaries({
    "nhs_number": st.sampled_from(["", "9434765919"]),
    "religion": st.sampled_from(["", "Quaker"]),
    "middle_names": st.sampled_from(["", "Rose"]),
    "date_of_birth": st.sampled_from([None, date(2016, 4, 2)]),
    "sex": st.sampled_from(["U", "F"]),
})


def _snapshot() -> dict[tuple[str, int], int | None]:
    """Where every row of every model pointing at a person points."""
    found = {}
    for link in person_links():
        for pk, target in link.model._base_manager.values_list("pk", link.field.attname):
            found[(link.key, pk)] = target
    return found


def _fields(person: Person) -> dict[str, object]:
    person.refresh_from_db()
    return {name: getattr(person, name) for name in [*FILLABLE, "access_level", "restriction_reason",
                                                        "merged_into_id"]}


class MergeThenUndo(TestCase):
    @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(rows=rows_st, survivor_details=details_st, merged_details=details_st,
           survivor_level=st.sampled_from(["open", "restricted"]), merged_level=st.sampled_from(["open", "restricted"]))
    def test_undo_restores_every_row_and_field(self, rows, survivor_details, merged_details, survivor_level,
                                               merged_level):
        la = make_la()
        team = make_team(la)
        manager = make_user(la, Role.TEAM_MANAGER, team)
        worker = make_user(la, Role.SOCIAL_WORKER, team)
        if survivor_details["nhs_number"] and merged_details["nhs_number"]:
            merged_details = {**merged_details, "nhs_number": survivor_details["nhs_number"]}
        survivor = make_person(la, survivor_level, **survivor_details)
        merged = make_person(la, merged_level, **merged_details)
        relative = make_person(la)
        now = timezone.now()
        with acting_as("test"):
            for person in (survivor, merged):
                if person.access_level != "open":
                    AllowListEntry(local_authority=la, person=person, user=manager, reason="Manager").save()
            for index, (kind, on_merged, open_row) in enumerate(rows):
                person = merged if on_merged else survivor
                other = survivor if on_merged else merged
                if kind == "allocation":
                    if open_row and Allocation.objects.filter(child=person, ended_on__isnull=True).exists():
                        continue
                    Allocation(local_authority=la, child=person, team=team, worker=worker,
                               started_on=date(2024, 1, 1) + timedelta(days=index),
                               ended_on=None if open_row else date(2024, 12, 1)).save()
                elif kind == "event":
                    ChronologyEvent(local_authority=la, person=person, occurred_at=now, event_type=EventType.VISIT,
                                    title="Visit").save()
                elif kind == "note":
                    CaseNote(local_authority=la, person=person, occurred_at=now, title="Note", body_html="<p>x</p>",
                             author=worker).save()
                elif kind == "name":
                    PersonName(local_authority=la, person=person, kind="alias", first_name="Jo").save()
                elif kind == "address":
                    Address(local_authority=la, person=person, line_1="1 Road", town="Town", postcode="NG1 1AA",
                            moved_out_on=None if open_row else date(2023, 1, 1)).save()
                elif kind == "relationship_out":
                    Relationship(local_authority=la, person=person, relative=relative, kind="sibling").save()
                elif kind == "relationship_in":
                    Relationship(local_authority=la, person=relative, relative=person, kind="parent").save()
                elif kind == "link_between":
                    Relationship(local_authority=la, person=person, relative=other, kind="sibling").save()
                elif kind == "permission" and not AllowListEntry.objects.filter(
                    person=person, user=worker, revoked_at__isnull=True
                ).exists():
                    AllowListEntry(local_authority=la, person=person, user=worker, reason="Worker").save()
        for kind, on_merged, _ in rows:
            if kind == "access":
                AccessEvent.objects.create(local_authority=la, person=merged if on_merged else survivor,
                                           user=worker, action="view")
        before_rows = _snapshot()
        before_survivor, before_merged = _fields(survivor), _fields(merged)

        merge = person_merge(survivor=survivor, merged=merged, by=manager, reason="Same")
        moved = _snapshot()
        assert not any(target == merged.pk for (key, pk), target in moved.items()
                       if pk not in merge.left_behind.get(key, []))
        assert Allocation.objects.filter(child=survivor, ended_on__isnull=True).values("kind").distinct().count() \
            == Allocation.objects.filter(child=survivor, ended_on__isnull=True).count()

        merge_undo(merge=merge, by=manager)
        after = _snapshot()
        assert {k: v for k, v in after.items() if k in before_rows} == before_rows
        assert _fields(survivor) == before_survivor
        assert _fields(merged) == before_merged
        # Allocations ended by the merge are open again.
        assert set(Allocation.objects.filter(ended_on__isnull=True).values_list("pk", flat=True)) >= {
            int(pk) for pk in merge.ended.get("allocations.Allocation", {})
        }
