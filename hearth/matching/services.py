"""Finding duplicate records, deciding about them, merging them and undoing a merge."""

from __future__ import annotations

import logging
import time
from datetime import date
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from hearth.access.policy import can_view_person
from hearth.audit.actor import acting_as, as_actor
from hearth.audit.models import ChangeRecord
from hearth.chronology.models import EventType
from hearth.chronology.services import chronology_record
from hearth.people.models import Person

from .checks import merge_refusal
from .linkage import DEFAULT_SEED, DEFAULT_THRESHOLD, score_people
from .models import DuplicateCandidate, LinkageRun, Merge
from .plan import link_for, person_field, plain, plan_merge
from .selectors import candidate_for_pair, later_merge_exists, people_for_linkage

if TYPE_CHECKING:
    from hearth.accounts.models import User
    from hearth.tenancy.models import LocalAuthority

logger = logging.getLogger(__name__)


class MergeRefused(Exception):
    """A merge (or its undoing) that must not happen, with the reason in words a manager can act on."""

    def __init__(self, reason: str):
        self.reason = reason
        super().__init__(reason)


# ---------------------------------------------------------------- batch linkage


def linkage_run_start(*, local_authority: LocalAuthority, by: User | str,
                      threshold: float = DEFAULT_THRESHOLD) -> LinkageRun:
    """Record that a run has been asked for (it is then run by ``linkage_run``, often in the background)."""
    actor = as_actor(by)
    return LinkageRun.objects.create(
        local_authority=local_authority, threshold=threshold, status=LinkageRun.Status.QUEUED,
        requested_by_id=actor.user_id, requested_by_system=actor.system,
    )


def linkage_run(*, local_authority: LocalAuthority, by: User | str, threshold: float = DEFAULT_THRESHOLD,
                run: LinkageRun | None = None, seed: int = DEFAULT_SEED) -> LinkageRun:
    """Compare every live record of the council and store the likely duplicate pairs for review.

    A pair already decided ("not the same person", or merged) is never asked again; a pair still
    waiting for review gets its new score.
    """
    if run is None:
        run = linkage_run_start(local_authority=local_authority, by=by, threshold=threshold)
    started = time.perf_counter()
    run.status = LinkageRun.Status.RUNNING
    run.threshold = threshold
    run.save(update_fields=["status", "threshold"])
    try:
        people = people_for_linkage(local_authority=local_authority)
        result = score_people(people, threshold=threshold, seed=seed)
        with transaction.atomic():
            new, updated, decided = _store_candidates(run=run, pairs=result.pairs)
            run.people_compared = result.people
            run.pairs_found = new + updated
            run.pairs_already_decided = decided
            run.status = LinkageRun.Status.FINISHED
            run.finished_at = timezone.now()
            run.seconds = time.perf_counter() - started
            run.save()
    except Exception as error:
        # The reason, never the data: no names or identifiers reach the log or the page.
        run.status = LinkageRun.Status.FAILED
        run.error = type(error).__name__
        run.finished_at = timezone.now()
        run.seconds = time.perf_counter() - started
        run.save()
        # The exception's class only: its message or traceback could quote a record.
        logger.error("Duplicate check %s failed: %s", run.pk, run.error)
        raise
    logger.info("Duplicate check %s: %s people, %s pairs in %.1fs", run.pk, run.people_compared, run.pairs_found,
                run.seconds)
    return run


def _store_candidates(*, run: LinkageRun, pairs: list[Any]) -> tuple[int, int, int]:
    existing = {
        (c.left_id, c.right_id): c
        for c in DuplicateCandidate.objects.filter(local_authority_id=run.local_authority_id).only(
            "id", "left_id", "right_id", "status"
        )
    }
    create: list[DuplicateCandidate] = []
    update: list[DuplicateCandidate] = []
    decided = 0
    for pair in pairs:
        candidate = existing.get((pair.left_id, pair.right_id))
        if candidate is None:
            create.append(DuplicateCandidate(
                local_authority_id=run.local_authority_id, left_id=pair.left_id, right_id=pair.right_id, run=run,
                match_weight=pair.match_weight, match_probability=pair.match_probability,
                comparison=pair.comparison,
            ))
        elif candidate.status == DuplicateCandidate.Status.PENDING:
            candidate.run = run
            candidate.match_weight = pair.match_weight
            candidate.match_probability = pair.match_probability
            candidate.comparison = pair.comparison
            update.append(candidate)
        else:
            decided += 1
    DuplicateCandidate.objects.bulk_create(create, batch_size=1000)
    DuplicateCandidate.objects.bulk_update(update, ["run", "match_weight", "match_probability", "comparison"],
                                           batch_size=1000)
    return len(create), len(update), decided


# ---------------------------------------------------------------- decisions


def _require_reviewer(by: User) -> None:
    # Which records they may touch is each action's own check (record-level access, same council).
    if not by.has_perm("matching.merge_people"):
        raise PermissionDenied("Only team managers, service managers and business support can merge records.")


def candidate_decide_not_duplicate(*, candidate: DuplicateCandidate, by: User) -> DuplicateCandidate:
    """Remember that these are two people: the pair is not suggested again."""
    _require_reviewer(by)
    if not (can_view_person(by, candidate.left) and can_view_person(by, candidate.right)):
        raise PermissionDenied("You do not have access to both records.")
    with transaction.atomic():
        candidate = DuplicateCandidate.objects.select_for_update().get(pk=candidate.pk)
        if candidate.status != DuplicateCandidate.Status.PENDING:
            raise MergeRefused("This pair has already been decided.")
        candidate.status = DuplicateCandidate.Status.NOT_DUPLICATE
        candidate.decided_by = by
        candidate.decided_at = timezone.now()
        candidate.save()
    return candidate


# ---------------------------------------------------------------- merging


def _refresh_name_keys(*people: Person) -> None:
    from hearth.search.services import name_keys_refresh

    for person in people:
        name_keys_refresh(person=person)


def _set(row: Any, attname: str, value: Any, *, audited: bool, by: User) -> None:
    if audited:
        setattr(row, attname, value)
        row.save(by=by)
    else:
        # Append-only logs (the access log) refuse save(); the row only changes whose record it is on.
        type(row)._base_manager.filter(pk=row.pk).update(**{attname: value})


def _move_rows(*, key: str, ids: list[int], from_person: Person, to_person: Person, by: User) -> list[int]:
    """Re-point these rows from one record to the other; returns the ids actually moved."""
    link = link_for(key)
    rows = list(link.model._base_manager.filter(pk__in=ids, **{link.field.name: from_person}).order_by("pk"))
    try:
        with transaction.atomic():
            for row in rows:
                _set(row, link.field.attname, to_person.pk, audited=link.audited, by=by)
    except IntegrityError:
        name = link.model._meta.verbose_name_plural
        raise MergeRefused(
            f"Both records have {name} that cannot be combined into one record. Correct or end one of them first."
        ) from None
    return [row.pk for row in rows]


def _audit(person: Person, *, by: User, after: dict[str, Any]) -> None:
    ChangeRecord.for_instance(person, actor=as_actor(by), action=ChangeRecord.Action.MERGE, before={},
                              after=after).save()


def person_merge(*, survivor: Person, merged: Person, by: User, reason: str = "",
                 candidate: DuplicateCandidate | None = None) -> Merge:
    """Make two records of one person one: everything of ``merged`` moves to ``survivor``.

    Raises MergeRefused (with the reason) for a merge that must not happen, PermissionDenied for
    someone who may not merge. Every moved row is listed on the Merge so ``merge_undo`` puts
    exactly those back.
    """
    _require_reviewer(by)
    with transaction.atomic(), acting_as(by):
        # Decide on the records as they are now, locked, not as the page saw them.
        locked = {p.pk: p for p in Person.objects.select_for_update().filter(pk__in=[survivor.pk, merged.pk])}
        survivor = locked.get(survivor.pk, survivor)
        merged = locked.get(merged.pk, merged)
        refusal = merge_refusal(survivor=survivor, merged=merged, by=by)
        if refusal:
            raise MergeRefused(refusal)
        if candidate is not None and {candidate.left_id, candidate.right_id} != {survivor.pk, merged.pk}:
            raise MergeRefused("These are not the two records of that pair.")
        plan = plan_merge(survivor=survivor, merged=merged)
        now = timezone.now()
        merge = Merge(local_authority_id=survivor.local_authority_id, survivor=survivor, merged=merged,
                      candidate=candidate or candidate_for_pair(a=survivor, b=merged), reason=reason.strip(),
                      merged_by=by)

        # One open allocation of each kind: the survivor's continues, the merged record's ends today.
        ended: dict[str, dict[str, Any]] = {}
        for allocation in plan.ends:
            ended[str(allocation.pk)] = {"ended_on": None, "end_reason": allocation.end_reason}
            allocation.ended_on = max(timezone.localdate(), allocation.started_on)
            allocation.end_reason = f"Records merged: record {survivor.hearth_id} already has an allocation"
            allocation.save(by=by)
        if ended:
            merge.ended = {"allocations.Allocation": ended}

        merge.moved = {
            key: _move_rows(key=key, ids=ids, from_person=merged, to_person=survivor, by=by)
            for key, ids in plan.moves.items()
        }
        merge.left_behind = plan.stays

        for name, (_before, after) in plan.fills.items():
            setattr(survivor, name, person_field(name).to_python(after))
        merge.filled = {name: list(values) for name, values in plan.fills.items()}
        if plan.fills:
            survivor.save(by=by)
        merged.merged_into = survivor
        merged.save(by=by)
        merge.save()

        if merge.candidate is not None:
            merge.candidate.status = DuplicateCandidate.Status.MERGED
            merge.candidate.decided_by = by
            merge.candidate.decided_at = now
            merge.candidate.save()
        chronology_record(
            person=survivor, event_type=EventType.MERGE, occurred=now, by=by, source=merge,
            title=f"Record {merged.hearth_id} merged into this record",
            summary=merge.reason, link=reverse("matching:merge_detail", args=[merge.pk]),
        )
        _audit(survivor, by=by, after={"merge": merge.pk, "merged_in": merged.pk})
        _audit(merged, by=by, after={"merge": merge.pk, "merged_into": survivor.pk})
        _refresh_name_keys(survivor, merged)
    return merge


def merge_undo(*, merge: Merge, by: User) -> Merge:
    """Separate the two records again: exactly the rows the merge moved go back."""
    _require_reviewer(by)
    with transaction.atomic(), acting_as(by):
        merge = Merge.objects.select_for_update().get(pk=merge.pk)
        if merge.undone_at is not None:
            raise MergeRefused("This merge has already been undone.")
        if later_merge_exists(merge=merge):
            raise MergeRefused("A later merge involves one of these records. Undo that merge first.")
        locked = {p.pk: p for p in Person.objects.select_for_update().filter(pk__in=[merge.survivor_id,
                                                                                      merge.merged_id])}
        survivor, merged = locked[merge.survivor_id], locked[merge.merged_id]
        if not can_view_person(by, survivor):
            raise MergeRefused("You do not have access to the surviving record.")

        for key, ids in merge.moved.items():
            _move_rows(key=key, ids=ids, from_person=survivor, to_person=merged, by=by)
        _reopen(merge, by=by)

        changed_since: list[str] = []
        for name, (before, after) in merge.filled.items():
            if plain(getattr(survivor, name)) != after:
                changed_since.append(name)  # edited after the merge: the newer value stands
                continue
            setattr(survivor, name, person_field(name).to_python(before))
        if merge.filled:
            survivor.save(by=by)
        merged.merged_into = None
        merged.save(by=by)

        merge.undone_by = by
        merge.undone_at = timezone.now()
        merge.save()
        if merge.candidate is not None and merge.candidate.status == DuplicateCandidate.Status.MERGED:
            merge.candidate.status = DuplicateCandidate.Status.PENDING
            merge.candidate.decided_by = None
            merge.candidate.decided_at = None
            merge.candidate.save()
        for person, other in ((survivor, merged), (merged, survivor)):
            chronology_record(
                person=person, event_type=EventType.MERGE, occurred=merge.undone_at, by=by, source=merge,
                title=f"Merge with record {other.hearth_id} undone",
                link=reverse("matching:merge_detail", args=[merge.pk]),
            )
        _audit(survivor, by=by, after={"merge_undone": merge.pk, "separated": merged.pk})
        _audit(merged, by=by, after={"merge_undone": merge.pk, "separated_from": survivor.pk})
        _refresh_name_keys(survivor, merged)
        if changed_since:
            logger.info("Merge %s undone; %s field(s) edited since were kept", merge.pk, len(changed_since))
    return merge


def _reopen(merge: Merge, *, by: User) -> None:
    from hearth.allocations.models import Allocation

    for pk, before in merge.ended.get("allocations.Allocation", {}).items():
        allocation = Allocation.objects.filter(pk=int(pk)).first()
        if allocation is None:
            continue
        allocation.ended_on = date.fromisoformat(before["ended_on"]) if before["ended_on"] else None
        allocation.end_reason = before["end_reason"]
        allocation.save(by=by)
