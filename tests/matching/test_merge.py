"""Merging two records of one person, refusing unsafe merges, and undoing a merge exactly."""

from __future__ import annotations

from datetime import date

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.db import models

from hearth.access.models import AccessEvent, AllowListEntry
from hearth.access.policy import can_view_person
from hearth.access.selectors import people_visible_to
from hearth.accounts.roles import Role
from hearth.allocations.models import Allocation
from hearth.audit.actor import acting_as
from hearth.audit.models import ChangeRecord
from hearth.chronology.models import ChronologyEvent, EventType
from hearth.matching import checks
from hearth.matching.models import DuplicateCandidate, Merge
from hearth.matching.plan import person_links
from hearth.matching.services import MergeRefused, merge_undo, person_merge
from hearth.people.models import Person, Relationship
from tests.factories import make_la, make_person, make_team, make_user
from tests.matching.factories import hang_rows, make_pair


def _where(rows: dict[str, list[int]]) -> dict[str, list[int | None]]:
    """For each row, the id of the person its field points at now."""
    found: dict[str, list[int | None]] = {}
    for key, ids in rows.items():
        label, field = key.rsplit(".", 1)
        model = apps.get_model(label)
        attname = model._meta.get_field(field).attname
        found[key] = [getattr(model._base_manager.get(pk=pk), attname) for pk in ids]
    return found


@pytest.fixture
def manager(la, team):
    return make_user(la, Role.TEAM_MANAGER, team, username="merger")


def test_every_model_pointing_at_a_person_is_covered():
    """Models added later are found without this app knowing them; only bookkeeping is skipped."""
    covered = {(link.model, link.field.name) for link in person_links()}
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, models.ForeignKey) and field.related_model is Person:
                skipped = model._meta.app_label in ("matching", "demo") or model._meta.label == "search.NameKey"
                assert ((model, field.name) in covered) != skipped, f"{model._meta.label}.{field.name}"


def test_merge_moves_every_row_and_undo_puts_exactly_those_back(la, team, manager, social_worker):
    survivor = make_person(la, first_name="Jodie", last_name="Hartley")
    merged = make_person(la, first_name="Jody", last_name="Hartley", nhs_number="9434765919")
    relative = make_person(la, first_name="Mum", last_name="Hartley")
    # The survivor's own rows must not move at all.
    own = hang_rows(survivor, team=team, worker=social_worker, relative=relative, kind="personal_adviser")
    theirs = hang_rows(merged, team=team, worker=make_user(la, Role.SOCIAL_WORKER, team), relative=relative)

    merge = person_merge(survivor=survivor, merged=merged, by=manager, reason="Same child, typed twice")

    assert all(set(v) == {survivor.pk} for v in _where(theirs).values())
    assert all(set(v) == {survivor.pk} for v in _where(own).values())
    for key, ids in theirs.items():
        assert merge.moved[key] == ids
    merged.refresh_from_db()
    survivor.refresh_from_db()
    assert merged.merged_into_id == survivor.pk
    assert survivor.nhs_number == "9434765919"  # filled from the merged record
    assert merge.filled == {"nhs_number": ["", "9434765919"]}
    # Hidden from every list; its record now lives in the survivor.
    assert not people_visible_to(user=manager).filter(pk=merged.pk).exists()
    assert not can_view_person(manager, merged)
    event = ChronologyEvent.objects.get(person=survivor, event_type=EventType.MERGE)
    assert merged.hearth_id in event.title and event.source_id == str(merge.pk)
    assert ChangeRecord.objects.filter(action=ChangeRecord.Action.MERGE, model_label="people.Person",
                                       object_id__in=[str(survivor.pk), str(merged.pk)]).count() == 2

    merge_undo(merge=merge, by=manager)

    assert all(set(v) == {merged.pk} for v in _where(theirs).values())
    assert all(set(v) == {survivor.pk} for v in _where(own).values())
    merged.refresh_from_db()
    survivor.refresh_from_db()
    assert merged.merged_into_id is None
    assert survivor.nhs_number == ""
    merge.refresh_from_db()
    assert merge.undone_by == manager and merge.undone_at is not None
    assert people_visible_to(user=manager).filter(pk=merged.pk).exists()
    assert ChronologyEvent.objects.filter(person=merged, event_type=EventType.MERGE).count() == 1


def test_both_open_social_work_allocations_the_merged_one_ends_and_undo_reopens(la, team, manager, social_worker):
    survivor, merged = make_person(la), make_person(la)
    other_worker = make_user(la, Role.SOCIAL_WORKER, team)
    with acting_as("test"):
        keep = Allocation(local_authority=la, child=survivor, team=team, worker=social_worker,
                          started_on=date(2025, 1, 6))
        keep.save()
        ends = Allocation(local_authority=la, child=merged, team=team, worker=other_worker,
                          started_on=date(2025, 2, 3))
        ends.save()

    merge = person_merge(survivor=survivor, merged=merged, by=manager, reason="Same child")

    keep.refresh_from_db()
    ends.refresh_from_db()
    assert keep.ended_on is None and ends.child_id == survivor.pk and ends.ended_on is not None
    assert "merged" in ends.end_reason.lower()
    assert Allocation.objects.filter(child=survivor, kind="social_worker", ended_on__isnull=True).count() == 1
    assert merge.ended == {"allocations.Allocation": {str(ends.pk): {"ended_on": None, "end_reason": ""}}}

    merge_undo(merge=merge, by=manager)
    ends.refresh_from_db()
    assert ends.child_id == merged.pk and ends.ended_on is None and ends.end_reason == ""


def test_a_relationship_between_the_two_records_stays_behind(la, manager):
    survivor, merged = make_person(la), make_person(la)
    with acting_as("test"):
        link = Relationship(local_authority=la, person=merged, relative=survivor, kind="sibling")
        link.save()
    merge = person_merge(survivor=survivor, merged=merged, by=manager, reason="Same child")
    link.refresh_from_db()
    assert link.person_id == merged.pk and link.relative_id == survivor.pk
    assert merge.left_behind == {"people.Relationship.person": [link.pk]}


def test_a_permission_the_survivor_already_gives_stays_behind(la, manager, social_worker):
    survivor = make_person(la, Person.AccessLevel.RESTRICTED)
    merged = make_person(la, Person.AccessLevel.RESTRICTED)
    with acting_as("test"):
        for person in (survivor, merged):
            AllowListEntry(local_authority=la, person=person, user=manager, reason="Manager").save()
        AllowListEntry(local_authority=la, person=merged, user=social_worker, reason="Worker").save()
    merge = person_merge(survivor=survivor, merged=merged, by=manager, reason="Same child")
    assert AllowListEntry.objects.filter(person=survivor, user=manager, revoked_at__isnull=True).count() == 1
    assert AllowListEntry.objects.filter(person=survivor, user=social_worker).count() == 1
    assert list(merge.left_behind) == ["access.AllowListEntry.person"]


def test_the_survivor_takes_the_stricter_protection(la, manager):
    survivor = make_person(la)
    merged = make_person(la, Person.AccessLevel.RESTRICTED, restriction_reason="Relative of staff")
    with acting_as("test"):
        AllowListEntry(local_authority=la, person=merged, user=manager, reason="Manager").save()
    merge = person_merge(survivor=survivor, merged=merged, by=manager, reason="Same child")
    survivor.refresh_from_db()
    assert survivor.access_level == Person.AccessLevel.RESTRICTED
    assert survivor.restriction_reason == "Relative of staff"
    merge_undo(merge=merge, by=manager)
    survivor.refresh_from_db()
    assert survivor.access_level == Person.AccessLevel.OPEN and survivor.restriction_reason == ""


def test_merging_through_a_candidate_marks_it_and_undo_puts_it_back_for_review(la, manager):
    candidate = make_pair(la)
    merge = person_merge(survivor=candidate.right, merged=candidate.left, by=manager, reason="Same",
                         candidate=candidate)
    candidate.refresh_from_db()
    assert candidate.status == DuplicateCandidate.Status.MERGED and candidate.decided_by == manager
    assert merge.candidate == candidate
    merge_undo(merge=merge, by=manager)
    candidate.refresh_from_db()
    assert candidate.status == DuplicateCandidate.Status.PENDING and candidate.decided_by is None


def test_a_merge_found_for_the_pair_without_being_given_it(la, manager):
    candidate = make_pair(la)
    merge = person_merge(survivor=candidate.left, merged=candidate.right, by=manager, reason="Same")
    assert merge.candidate == candidate


@pytest.mark.parametrize(
    ("survivor_extra", "merged_extra", "reason"),
    [
        ({"nhs_number": "9434765919"}, {"nhs_number": "4010232137"}, "different NHS numbers"),
        ({"date_of_death": date(2024, 1, 2)}, {"date_of_death": date(2024, 2, 1)}, "different dates of death"),
    ],
)
def test_unsafe_merges_are_refused_with_the_reason(la, manager, survivor_extra, merged_extra, reason):
    survivor, merged = make_person(la, **survivor_extra), make_person(la, **merged_extra)
    with pytest.raises(MergeRefused, match=reason):
        person_merge(survivor=survivor, merged=merged, by=manager, reason="x")
    merged.refresh_from_db()
    assert merged.merged_into_id is None and not Merge.objects.exists()


def test_refused_across_councils_with_itself_and_when_already_merged(la, manager):
    elsewhere = make_person(make_la(name="Another Council"))
    mine, other = make_person(la), make_person(la)
    with pytest.raises(MergeRefused, match="different councils"):
        person_merge(survivor=mine, merged=elsewhere, by=manager)
    with pytest.raises(MergeRefused, match="itself"):
        person_merge(survivor=mine, merged=mine, by=manager)
    person_merge(survivor=mine, merged=other, by=manager, reason="Same")
    third = make_person(la)
    with pytest.raises(MergeRefused, match="already been merged"):
        person_merge(survivor=third, merged=other, by=manager)


def test_refused_for_a_record_the_user_cannot_open(la, manager):
    sealed = make_person(la, Person.AccessLevel.SEALED)
    with pytest.raises(MergeRefused, match="restricted"):
        person_merge(survivor=make_person(la), merged=sealed, by=manager)


def test_only_managers_and_business_support_may_merge(la, team, social_worker):
    a, b = make_person(la), make_person(la)
    with pytest.raises(PermissionDenied):
        person_merge(survivor=a, merged=b, by=social_worker)
    support = make_user(la, Role.BUSINESS_SUPPORT, team)
    assert person_merge(survivor=a, merged=b, by=support, reason="Same").pk


def test_open_child_protection_plans_with_different_starts_are_refused(la, manager, monkeypatch):
    starts: dict[Person, date] = {}
    monkeypatch.setattr(checks, "_open_cp_plan_start_hook", lambda: starts.get)
    a, b = make_person(la), make_person(la)
    starts[a] = date(2025, 3, 1)
    starts[b] = date(2025, 5, 9)
    with pytest.raises(MergeRefused, match="child protection plan"):
        person_merge(survivor=a, merged=b, by=manager)
    starts[b] = date(2025, 3, 1)
    assert person_merge(survivor=a, merged=b, by=manager, reason="Same plan").pk


def test_the_plan_check_uses_the_protection_app():
    from hearth.protection.selectors import open_cp_plan_start

    assert checks._open_cp_plan_start_hook() is open_cp_plan_start


def test_a_registered_check_can_refuse(la, manager):
    @checks.merge_check
    def _never(*, survivor, merged, by):
        return "Not today."

    try:
        with pytest.raises(MergeRefused, match="Not today"):
            person_merge(survivor=make_person(la), merged=make_person(la), by=manager)
    finally:
        checks.MERGE_CHECKS.remove(_never)


def test_only_the_latest_merge_can_be_undone(la, manager):
    a, b, c = make_person(la), make_person(la), make_person(la)
    first = person_merge(survivor=a, merged=b, by=manager, reason="Same")
    second = person_merge(survivor=a, merged=c, by=manager, reason="Same")
    with pytest.raises(MergeRefused, match="later merge"):
        merge_undo(merge=first, by=manager)
    merge_undo(merge=second, by=manager)
    merge_undo(merge=first, by=manager)
    with pytest.raises(MergeRefused, match="already been undone"):
        merge_undo(merge=first, by=manager)


def test_a_record_merged_earlier_follows_its_survivor_and_comes_back(la, manager):
    a, b, c = make_person(la), make_person(la), make_person(la)
    person_merge(survivor=b, merged=c, by=manager, reason="Same")
    merge = person_merge(survivor=a, merged=b, by=manager, reason="Same")
    c.refresh_from_db()
    assert c.merged_into_id == a.pk
    merge_undo(merge=merge, by=manager)
    c.refresh_from_db()
    assert c.merged_into_id == b.pk


def test_a_field_edited_after_the_merge_keeps_its_new_value_on_undo(la, manager):
    survivor, merged = make_person(la), make_person(la, religion="Quaker")
    merge = person_merge(survivor=survivor, merged=merged, by=manager, reason="Same")
    survivor.refresh_from_db()
    with acting_as("test"):
        survivor.religion = "Methodist"
        survivor.save()
    merge_undo(merge=merge, by=manager)
    survivor.refresh_from_db()
    assert survivor.religion == "Methodist"


def test_access_log_rows_move_with_the_record(la, manager, social_worker):
    survivor, merged = make_person(la), make_person(la)
    event = AccessEvent.objects.create(local_authority=la, person=merged, user=social_worker, action="view")
    merge = person_merge(survivor=survivor, merged=merged, by=manager, reason="Same")
    event.refresh_from_db()
    assert event.person_id == survivor.pk
    merge_undo(merge=merge, by=manager)
    event.refresh_from_db()
    assert event.person_id == merged.pk


def test_the_merged_records_name_finds_the_survivor_in_search_keys(la, manager):
    from hearth.search.models import NameKey

    survivor = make_person(la, first_name="Jodie", last_name="Hartley")
    merged = make_person(la, first_name="Jody", last_name="Hartley")
    person_merge(survivor=survivor, merged=merged, by=manager, reason="Same")
    assert NameKey.objects.filter(person=survivor).exists()


def test_a_manager_of_another_council_cannot_merge(la):
    other = make_la(name="Elsewhere")
    stranger = make_user(other, Role.TEAM_MANAGER, make_team(other))
    with pytest.raises(MergeRefused, match="another council"):
        person_merge(survivor=make_person(la), merged=make_person(la), by=stranger)
