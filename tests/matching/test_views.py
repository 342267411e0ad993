"""The review queue, the pair page, merging and undoing through the pages."""

from __future__ import annotations

import pytest

from hearth.access.models import AccessEvent, AllowListEntry
from hearth.accounts.roles import Role
from hearth.audit.actor import acting_as
from hearth.matching.models import DuplicateCandidate, LinkageRun, Merge
from hearth.matching.services import person_merge
from hearth.people.models import Person
from tests.conftest import client_for
from tests.factories import make_person, make_user
from tests.matching.factories import make_pair
from tests.queries import query_count


@pytest.fixture
def manager(la, team):
    return make_user(la, Role.TEAM_MANAGER, team, username="tm")


def test_social_workers_cannot_open_the_queue(la, social_worker):
    assert client_for(social_worker).get("/duplicates/").status_code == 403


def test_queue_lists_pending_pairs_most_likely_first(la, manager):
    low = make_pair(la, probability=0.91, left={"first_name": "Lower", "last_name": "Pair"})
    high = make_pair(la, probability=0.99, left={"first_name": "Higher", "last_name": "Pair"})
    decided = make_pair(la, left={"first_name": "Decided", "last_name": "Pair"})
    decided.status = DuplicateCandidate.Status.NOT_DUPLICATE
    decided.save()
    body = client_for(manager).get("/duplicates/").content.decode()
    assert body.index("Higher") < body.index("Lower") and "Decided" not in body
    assert f"/duplicates/{high.pk}/" in body and f"/duplicates/{low.pk}/" in body
    assert "Pairs to review (2)" in body


def test_queue_never_names_a_record_the_user_cannot_open(la, manager):
    make_pair(la, left={"first_name": "Visible", "last_name": "Child"})
    make_pair(la, left={"first_name": "Sealed", "last_name": "Secret", "level": Person.AccessLevel.SEALED})
    make_pair(la, right={"first_name": "Restricted", "last_name": "Hidden", "level": Person.AccessLevel.RESTRICTED})
    body = client_for(manager).get("/duplicates/").content.decode()
    assert "Visible" in body and "Secret" not in body and "Hidden" not in body
    assert "Pairs to review (1)" in body


def test_a_named_manager_sees_the_restricted_pair(la, manager):
    pair = make_pair(la, right={"first_name": "Restricted", "last_name": "Named",
                                "level": Person.AccessLevel.RESTRICTED})
    with acting_as("test"):
        AllowListEntry(local_authority=la, person=pair.right, user=manager, reason="Manager").save()
    assert "Named" in client_for(manager).get("/duplicates/").content.decode()


def test_queue_query_count_does_not_grow_with_rows(la, manager):
    client = client_for(manager)
    make_pair(la)
    few = query_count(lambda: client.get("/duplicates/"))
    for _ in range(15):
        make_pair(la)
    assert query_count(lambda: client.get("/duplicates/")) == few


def test_history_query_count_does_not_grow_with_rows(la, manager):
    client = client_for(manager)
    person_merge(survivor=make_person(la), merged=make_person(la), by=manager, reason="Same")
    few = query_count(lambda: client.get("/duplicates/merges/"))
    for _ in range(8):
        person_merge(survivor=make_person(la), merged=make_person(la), by=manager, reason="Same")
    assert query_count(lambda: client.get("/duplicates/merges/")) == few


def test_pair_page_compares_and_logs_both_records(la, manager):
    pair = make_pair(la)
    response = client_for(manager).get(f"/duplicates/{pair.pk}/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "Are these the same person?" in body and "97%" in body
    assert "Similar" in body and "The same first name with one letter different" in body
    assert AccessEvent.objects.filter(user=manager, action="view").count() == 2
    assert set(AccessEvent.objects.values_list("person_id", flat=True)) == {pair.left_id, pair.right_id}


def test_pair_with_a_sealed_record_is_not_found(la, manager):
    pair = make_pair(la, right={"first_name": "Sealed", "last_name": "X", "level": Person.AccessLevel.SEALED})
    assert client_for(manager).get(f"/duplicates/{pair.pk}/").status_code == 404
    assert client_for(manager).post(f"/duplicates/{pair.pk}/merge/").status_code == 404
    assert not AccessEvent.objects.exists()


def test_not_the_same_person(la, manager):
    pair = make_pair(la)
    response = client_for(manager).post(f"/duplicates/{pair.pk}/not-the-same-person/")
    assert response.status_code == 302
    pair.refresh_from_db()
    assert pair.status == DuplicateCandidate.Status.NOT_DUPLICATE and pair.decided_by == manager


def test_merge_asks_which_to_keep_and_why_and_keeps_what_was_typed(la, manager):
    pair = make_pair(la)
    client = client_for(manager)
    response = client.post(f"/duplicates/{pair.pk}/merge/", {"reason": "Checked with the school"})
    body = response.content.decode()
    assert "Select which record to keep" in body and "Checked with the school" in body
    assert '<title>Error:' in body and 'href="#id_survivor"' in body
    response = client.post(f"/duplicates/{pair.pk}/merge/", {"survivor": pair.left_id, "reason": "  "})
    assert "Enter why these records are the same person" in response.content.decode()


def test_merge_confirm_then_merge_then_undo(la, manager):
    pair = make_pair(la)
    client = client_for(manager)
    data = {"survivor": pair.right_id, "reason": "Checked with the school"}
    confirm = client.post(f"/duplicates/{pair.pk}/merge/", data).content.decode()
    assert "Check before you merge" in confirm and "Merge records" in confirm
    assert not Merge.objects.exists()

    response = client.post(f"/duplicates/{pair.pk}/merge/", {**data, "confirm": "yes"})
    merge = Merge.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/duplicates/merges/{merge.pk}/"
    assert merge.survivor_id == pair.right_id and merge.merged_id == pair.left_id
    assert merge.reason == "Checked with the school"
    detail = client.get(response["Location"]).content.decode()
    assert "Records merged" in detail and "Undo this merge" in detail
    # The merged record now sends its visitors to the survivor.
    assert client.get(f"/children/{pair.left_id}/")["Location"] == f"/children/{pair.right_id}/"

    client.post(f"/duplicates/merges/{merge.pk}/undo/")
    merge.refresh_from_db()
    assert merge.undone_at is not None
    assert client.get(f"/children/{pair.left_id}/").status_code == 200
    assert "Merge undone" in client.get(f"/duplicates/merges/{merge.pk}/").content.decode()


def test_a_refused_merge_says_why_and_keeps_the_answers(la, manager):
    pair = make_pair(la, left={"first_name": "Amy", "last_name": "Hart", "nhs_number": "9434765919"},
                     right={"first_name": "Amy", "last_name": "Hart", "nhs_number": "4010232137"})
    response = client_for(manager).post(f"/duplicates/{pair.pk}/merge/",
                                        {"survivor": pair.left_id, "reason": "Looks the same"})
    body = response.content.decode()
    assert "This merge cannot go ahead" in body and "different NHS numbers" in body
    assert "Looks the same" in body and "checked" in body
    assert not Merge.objects.exists()


def test_run_duplicate_check_now(la, manager):
    make_person(la, first_name="Amelia", last_name="Whitfield")
    client = client_for(manager)
    response = client.post("/duplicates/run/", follow=True)
    body = response.content.decode()
    assert "Duplicate check finished" in body and "Last duplicate check" in body
    run = LinkageRun.objects.get()
    assert run.status == LinkageRun.Status.FINISHED and run.requested_by == manager


def test_business_support_can_review(la, team):
    support = make_user(la, Role.BUSINESS_SUPPORT, team)
    assert client_for(support).get("/duplicates/").status_code == 200


def test_anyone_who_can_open_the_survivor_can_see_the_merge_but_not_undo_it(la, manager, social_worker):
    survivor, merged = make_person(la), make_person(la)
    merge = person_merge(survivor=survivor, merged=merged, by=manager, reason="Same")
    client = client_for(social_worker)
    body = client.get(f"/duplicates/merges/{merge.pk}/").content.decode()
    assert "Records merged" in body and "Undo this merge" not in body
    assert client.post(f"/duplicates/merges/{merge.pk}/undo/").status_code == 403


def test_a_merge_into_a_sealed_record_is_not_shown_to_others(la, manager, social_worker):
    survivor = make_person(la, Person.AccessLevel.SEALED)
    with acting_as("test"):
        AllowListEntry(local_authority=la, person=survivor, user=manager, reason="Manager").save()
    merge = person_merge(survivor=survivor, merged=make_person(la, first_name="Unseen"), by=manager, reason="Same")
    assert client_for(social_worker).get(f"/duplicates/merges/{merge.pk}/").status_code == 404
    assert "Unseen" not in client_for(make_user(la, Role.TEAM_MANAGER)).get("/duplicates/merges/").content.decode()


def test_a_run_waiting_for_a_worker_blocks_another_until_it_is_stale(la, manager):
    from datetime import timedelta

    from django.utils import timezone

    from hearth.matching.services import linkage_run_start

    run = linkage_run_start(local_authority=la, by=manager)
    client = client_for(manager)
    body = client.get("/duplicates/").content.decode()
    assert "waiting to start" in body and "Run duplicate check now" not in body
    client.post("/duplicates/run/")
    assert LinkageRun.objects.count() == 1
    LinkageRun.objects.filter(pk=run.pk).update(started_at=timezone.now() - timedelta(hours=2))
    body = client.get("/duplicates/").content.decode()
    assert "has not finished" in body and "Run duplicate check now" in body
