"""What a merge would do, worked out without writing anything.

Every model with a foreign key to ``people.Person`` is found from the Person model itself,
so records that later issues add (plans, visits, placements...) move with the person
without this module knowing about them. Only bookkeeping about records is left alone: this
app's candidates and merges, the synthetic council's ground truth and the search keys (which
the merge rebuilds).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, cast

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone

from hearth.access.models import AllowListEntry
from hearth.allocations.models import Allocation
from hearth.people.models import Person

SKIPPED_APPS = frozenset({"matching", "demo"})
SKIPPED_MODELS = frozenset({"search.NameKey"})

# Fields of the survivor filled from the merged record when the survivor has nothing recorded.
# The value that counts as "nothing recorded" for each.
FILLABLE: dict[str, Any] = {
    "middle_names": "",
    "preferred_name": "",
    "date_of_birth": None,
    "expected_date_of_birth": None,
    "date_of_death": None,
    "sex": Person.Sex.UNKNOWN,
    "gender_identity": "",
    "ethnicity": "NOBT",
    "first_language": "",
    "religion": "",
    "disabilities": [],
    "nhs_number": "",
    "upn": "",
    "former_upn": "",
    "immigration_status": "",
}
PROTECTION_ORDER = [Person.AccessLevel.OPEN, Person.AccessLevel.RESTRICTED, Person.AccessLevel.SEALED]


@dataclass(frozen=True)
class Link:
    """One foreign key from some model to Person."""

    model: type[models.Model]
    field: models.ForeignKey

    @property
    def key(self) -> str:
        return f"{self.model._meta.label}.{self.field.name}"

    @property
    def audited(self) -> bool:
        from hearth.audit.models import AuditedModel

        return issubclass(self.model, AuditedModel)


def person_links() -> list[Link]:
    links = []
    for relation in Person._meta.get_fields(include_hidden=True):
        if not isinstance(relation, models.ForeignObjectRel) or relation.many_to_many:
            continue
        model = relation.related_model
        if not isinstance(model, type) or model._meta.app_label in SKIPPED_APPS \
                or model._meta.label in SKIPPED_MODELS:
            continue
        links.append(Link(model=model, field=cast(models.ForeignKey, relation.field)))
    return sorted(links, key=lambda link: link.key)


def person_field(name: str) -> models.Field:
    return cast(models.Field, Person._meta.get_field(name))


def link_for(key: str) -> Link:
    for link in person_links():
        if link.key == key:
            return link
    raise LookupError(key)


def plain(value: Any) -> Any:
    """A field value as JSON would store it, so stored and current values compare equal."""
    return DjangoJSONEncoder().default(value) if isinstance(value, date) else value


@dataclass
class MergePlan:
    survivor: Person
    merged: Person
    # link key -> ids of the merged record's rows that move to the survivor
    moves: dict[str, list[int]] = field(default_factory=dict)
    # link key -> ids that stay with the merged record, and why
    stays: dict[str, list[int]] = field(default_factory=dict)
    stay_reasons: dict[str, str] = field(default_factory=dict)
    # the merged record's open allocations that end because the survivor has one of that kind
    ends: list[Allocation] = field(default_factory=list)
    # field -> (survivor's value, value taken from the merged record)
    fills: dict[str, tuple[Any, Any]] = field(default_factory=dict)

    def summary(self) -> list[tuple[str, int]]:
        """(what, how many) for each kind of record that moves, in words, for the confirm page."""
        return moved_summary(self.moves)


# Names people use for the rows that move, where the model's own name would not do.
DISPLAY_NAMES = {
    "people.Person": "earlier merged records",
    "access.AccessEvent": "access log entries",
    "access.AllowListEntry": "named staff with access",
    "access.BreakGlassAccess": "break-glass accesses",
    "people.PersonName": "other names",
    "people.ProfessionalInvolvement": "professionals involved",
}


def display_name(model: type[models.Model]) -> str:
    name = DISPLAY_NAMES.get(model._meta.label)
    if name:
        return name
    singular, plural = str(model._meta.verbose_name), str(model._meta.verbose_name_plural)
    # Django's default plural of "address" is "addresss".
    if plural == singular + "s" and singular.endswith(("s", "x", "ch", "sh")):
        plural = singular + "es"
    return plural


def moved_summary(moved: dict[str, list[int]]) -> list[tuple[str, int]]:
    counts: dict[str, int] = {}
    for key, ids in moved.items():
        if not ids:
            continue
        try:
            name = display_name(link_for(key).model)
        except LookupError:  # a model removed since the merge
            name = key.rsplit(".", 1)[0]
        counts[name] = counts.get(name, 0) + len(ids)
    return sorted((name[0].upper() + name[1:], n) for name, n in counts.items())


def _other_person_fields(model: type[models.Model], skip: str) -> list[str]:
    return [
        f.attname for f in model._meta.concrete_fields
        if isinstance(f, models.ForeignKey) and f.related_model is Person and f.name != skip
    ]


def plan_merge(*, survivor: Person, merged: Person) -> MergePlan:
    plan = MergePlan(survivor=survivor, merged=merged)
    live_permissions = set(
        AllowListEntry.objects.filter(person=survivor, revoked_at__isnull=True).values_list("user_id", flat=True)
    )
    survivor_open = set(
        Allocation.objects.filter(child=survivor, ended_on__isnull=True).values_list("kind", flat=True)
    )
    for link in person_links():
        others = _other_person_fields(link.model, link.field.name)
        rows: list[Any] = list(link.model._base_manager.filter(**{link.field.name: merged}).order_by("pk"))
        moves, stays = [], []
        for row in rows:
            # A row joining the two records (a relationship between them) would join the survivor to itself.
            if any(getattr(row, attname) == survivor.pk for attname in others):
                stays.append(row.pk)
                plan.stay_reasons[link.key] = "it links the two records to each other"
                continue
            if link.model is AllowListEntry and row.revoked_at is None and row.user_id in live_permissions:
                stays.append(row.pk)
                plan.stay_reasons[link.key] = "the surviving record already gives that person access"
                continue
            if link.model is Allocation and row.ended_on is None and row.kind in survivor_open:
                plan.ends.append(row)
            moves.append(row.pk)
        if moves:
            plan.moves[link.key] = moves
        if stays:
            plan.stays[link.key] = stays
    for name, blank in FILLABLE.items():
        mine, theirs = getattr(survivor, name), getattr(merged, name)
        if mine == blank and theirs != blank:
            plan.fills[name] = (plain(mine), plain(theirs))
    if not survivor.upn and not plan.fills.get("upn") and survivor.upn_unknown == "" and merged.upn_unknown:
        plan.fills["upn_unknown"] = (survivor.upn_unknown, merged.upn_unknown)
    # The survivor takes the stricter protection, so merging never opens a protected history.
    if PROTECTION_ORDER.index(merged.access_level) > PROTECTION_ORDER.index(survivor.access_level):  # type: ignore[arg-type]
        plan.fills["access_level"] = (survivor.access_level, merged.access_level)
        plan.fills["restriction_reason"] = (survivor.restriction_reason, merged.restriction_reason)
    return plan


def ended_on_for(allocation: Allocation) -> date:
    today = timezone.localdate()
    return max(today, allocation.started_on)
