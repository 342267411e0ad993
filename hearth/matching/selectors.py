from __future__ import annotations

from collections import defaultdict
from datetime import timedelta
from typing import TYPE_CHECKING

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from hearth.access.policy import visible_people_filter
from hearth.allocations.models import Allocation
from hearth.chronology.models import ChronologyEvent
from hearth.people.models import Address, Person, PersonName, Relationship

from .linkage import LinkagePerson
from .models import DuplicateCandidate, LinkageRun, Merge

if TYPE_CHECKING:
    from hearth.accounts.models import User
    from hearth.tenancy.models import LocalAuthority


PARENT_KINDS = (Relationship.Kind.PARENT, Relationship.Kind.STEP_PARENT, Relationship.Kind.CARER)


def people_for_linkage(*, local_authority: LocalAuthority) -> list[LinkagePerson]:
    """Every live (not merged) record of the council with what linkage compares: a batch job's view.

    Restricted and sealed records are included, so their duplicates are found; who may see a
    pair is decided when the queue is read.
    """
    la_id = local_authority.pk
    people: dict[int, LinkagePerson] = {}
    rows = (
        Person.objects.filter(local_authority_id=la_id, merged_into__isnull=True)
        .values_list("id", "first_name", "middle_names", "last_name", "preferred_name", "date_of_birth",
                     "expected_date_of_birth", "sex", "nhs_number", "upn", "former_upn")
        .order_by("id")
    )
    for pid, first, middle, last, preferred, born, expected, sex, nhs, upn, former_upn in rows.iterator(
        chunk_size=5000
    ):
        people[pid] = {
            "id": pid, "first_name": first, "middle_names": middle, "last_name": last,
            "other_first_names": [preferred] if preferred else [], "other_last_names": [],
            "date_of_birth": born or expected, "sex": sex, "postcode": "", "previous_postcodes": [],
            "nhs_number": nhs, "upn": upn, "former_upn": former_upn, "parent_ids": [],
            "relative_ids": [],
        }
    addresses = (
        Address.objects.filter(local_authority_id=la_id)
        .values_list("person_id", "postcode", "moved_out_on")
        .order_by("person_id", "moved_in_on", "id")
    )
    for pid, postcode, moved_out in addresses.iterator(chunk_size=5000):
        person = people.get(pid)
        if person is None:
            continue
        if moved_out is None:
            if person["postcode"]:
                person["previous_postcodes"].append(person["postcode"])
            person["postcode"] = postcode
        else:
            person["previous_postcodes"].append(postcode)
    names = PersonName.objects.filter(local_authority_id=la_id).values_list("person_id", "first_name", "last_name")
    for pid, first, last in names.iterator(chunk_size=5000):
        person = people.get(pid)
        if person is None:
            continue
        if first:
            person["other_first_names"].append(first)
        if last:
            person["other_last_names"].append(last)
    relationships = Relationship.objects.filter(local_authority_id=la_id).values_list(
        "person_id", "relative_id", "kind"
    )
    for one, other, kind in relationships.iterator(chunk_size=5000):
        first, second = people.get(one), people.get(other)
        if first is not None:
            first["relative_ids"].append(other)
        if second is not None:
            second["relative_ids"].append(one)
            # `person` is the `kind` of `relative`: a parent row names the child as the relative.
            if kind in PARENT_KINDS:
                second["parent_ids"].append(one)
    return list(people.values())


def _both_visible(user: User) -> Q | None:
    left = visible_people_filter(user, prefix="left__")
    right = visible_people_filter(user, prefix="right__")
    if left is None or right is None:
        return None
    return left & right


def candidates_for_review(*, user: User) -> QuerySet[DuplicateCandidate]:
    """Pairs waiting for a decision, best first: only pairs where the user may open both records."""
    rule = _both_visible(user)
    if rule is None:
        return DuplicateCandidate.objects.none()
    return (
        DuplicateCandidate.objects.filter(rule, local_authority_id=user.local_authority_id,
                                          status=DuplicateCandidate.Status.PENDING)
        .select_related("left", "right")
        .order_by("-match_probability", "id")
    )


def candidate_for(*, user: User, pk: int) -> DuplicateCandidate | None:
    """One pair, whatever its status, if the user may open both records (merged records excepted)."""
    rule = _both_visible(user)
    if rule is None:
        return None
    return (
        DuplicateCandidate.objects.filter(rule, pk=pk, local_authority_id=user.local_authority_id)
        .select_related("left", "right", "decided_by")
        .first()
    )


def candidate_for_pair(*, a: Person, b: Person) -> DuplicateCandidate | None:
    left, right = sorted((a.pk, b.pk))
    return DuplicateCandidate.objects.filter(left_id=left, right_id=right).first()


def merges_visible_to(*, user: User) -> QuerySet[Merge]:
    """Merges whose surviving record the user may open; an undone merge also needs the other record."""
    survivor = visible_people_filter(user, prefix="survivor__")
    merged = visible_people_filter(user, prefix="merged__")
    if survivor is None or merged is None:
        return Merge.objects.none()
    return (
        Merge.objects.filter(survivor, local_authority_id=user.local_authority_id)
        .filter(Q(undone_at__isnull=True) | merged)
        .select_related("survivor", "merged", "merged_by", "undone_by")
        .order_by("-merged_at", "-id")
    )


def merge_for(*, user: User, pk: int) -> Merge | None:
    return merges_visible_to(user=user).filter(pk=pk).first()


def later_merge_exists(*, merge: Merge) -> bool:
    """Whether a merge still in force, made after this one, involves either of its records."""
    people = [merge.survivor_id, merge.merged_id]
    return (
        Merge.objects.filter(Q(survivor_id__in=people) | Q(merged_id__in=people), undone_at__isnull=True,
                             pk__gt=merge.pk)
        .exists()
    )


def last_run(*, local_authority: LocalAuthority) -> LinkageRun | None:
    return LinkageRun.objects.filter(local_authority=local_authority).order_by("-started_at", "-id").first()


# A run still "waiting" or "running" after this long has died with its worker; another may start.
STALE_RUN = timedelta(hours=1)


def run_in_progress(run: LinkageRun | None) -> bool:
    return (
        run is not None
        and run.status in (LinkageRun.Status.QUEUED, LinkageRun.Status.RUNNING)
        and run.started_at > timezone.now() - STALE_RUN
    )


def record_counts(*, people: list[Person]) -> dict[int, dict[str, int]]:
    """Allocations and chronology events per person, for comparing two records side by side."""
    ids = [p.pk for p in people]
    counts: dict[int, dict[str, int]] = defaultdict(lambda: {"allocations": 0, "open_allocations": 0,
                                                             "chronology": 0})
    for row in (
        Allocation.objects.filter(child_id__in=ids).values("child_id")
        .annotate(total=Count("id"), open=Count("id", filter=Q(ended_on__isnull=True)))
    ):
        counts[row["child_id"]]["allocations"] = row["total"]
        counts[row["child_id"]]["open_allocations"] = row["open"]
    for row in (
        ChronologyEvent.objects.filter(person_id__in=ids, hidden_at__isnull=True).values("person_id")
        .annotate(total=Count("id"))
    ):
        counts[row["person_id"]]["chronology"] = row["total"]
    return {pid: dict(counts[pid]) for pid in ids}


def current_postcodes(*, people: list[Person]) -> dict[int, str]:
    rows = (
        Address.objects.filter(person_id__in=[p.pk for p in people], moved_out_on__isnull=True)
        .order_by("person_id", "moved_in_on", "id")
        .values_list("person_id", "postcode")
    )
    return dict(rows)
