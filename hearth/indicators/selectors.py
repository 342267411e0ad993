"""Reads for performance: targets and how a figure stands against one, frozen snapshots, and a month as it
was reported set beside the same month now, with the records that changed and why.

Nothing here names a child: a ``ChangedRecord`` carries the child's id for a drill-down (which checks who
may see them) and explains the change in the words of the records themselves ("Referral of 02 Oct 2026"),
showing the values of dates, choices and numbers only, never free text.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, Literal

from django.apps import apps
from django.db import models
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from hearth.audit.models import ChangeRecord

from . import compute
from .models import IndicatorSnapshot, IndicatorTarget
from .registry import Indicator, Member, Result, get

if TYPE_CHECKING:
    from hearth.tenancy.models import LocalAuthority

RAG = Literal["green", "amber", "red"]
AMBER_BAND = 0.05  # within 5% of the target, on the wrong side
# Records whose own description would name a person: described by their kind only (a member of staff's
# appointment or sickness absence is theirs, not the board's).
NAMELESS = frozenset({"people.person", "allocations.allocation", "accounts.user", "workforce.appointment",
                      "workforce.absence"})
IN_CLAUSE = 900  # ids per IN (...): under SQLite's variable limit, with room for the rest of the query


def targets_for(*, local_authority: LocalAuthority) -> dict[str, IndicatorTarget]:
    """The council's targets by indicator code."""
    return {t.indicator: t for t in IndicatorTarget.objects.filter(local_authority=local_authority)}


def rag(*, indicator: Indicator | str, value: float | None, target: IndicatorTarget | float | None) -> RAG | None:
    """Green when the figure meets the target, amber when it misses it by no more than 5% of the target,
    red beyond that; None when there is no figure, no target, or the measure is neither better high nor low.
    """
    ind = indicator if isinstance(indicator, Indicator) else get(indicator)
    aim = target.value if isinstance(target, IndicatorTarget) else target
    if value is None or aim is None or ind.polarity == "neutral":
        return None
    band = abs(aim) * AMBER_BAND
    if ind.polarity == "high":
        if value >= aim:
            return "green"
        return "amber" if value >= aim - band else "red"
    if value <= aim:
        return "green"
    return "amber" if value <= aim + band else "red"


def snapshots_for(*, local_authority: LocalAuthority, code: str) -> QuerySet[IndicatorSnapshot]:
    """One indicator's frozen month ends, oldest first, without the records counted."""
    return (IndicatorSnapshot.objects.filter(local_authority=local_authority, indicator=code)
            .defer("members").order_by("month_end"))


# As reported and now ---------------------------------------------------------------------------------------

@dataclass
class ChangedRecord:
    """A record counted when the month was reported but not now (or the reverse, or with another amount)."""

    member: Member
    part: Literal["numerator", "denominator"]
    change: ChangeRecord | None
    explanation: str
    # What it added when reported and adds now (0 when not counted): differs only for a changed amount.
    amount_then: float = 0.0
    amount_now: float = 0.0


@dataclass
class SnapshotComparison:
    snapshot: IndicatorSnapshot
    now: Result
    added: list[ChangedRecord]
    removed: list[ChangedRecord]
    # Counted both times, but adding a different amount (a score, an FTE) now.
    changed: list[ChangedRecord] = field(default_factory=list)
    # Differences no record explains (a new population estimate).
    notes: list[str] = field(default_factory=list)

    @property
    def difference(self) -> float | None:
        if self.now.value is None or self.snapshot.value is None:
            return None
        return self.now.value - self.snapshot.value


def _day(value: date | datetime) -> str:
    if isinstance(value, datetime):
        value = timezone.localtime(value).date()
    return f"{value.day} {value:%b %Y}"


def _amount(value: float) -> str:
    return f"{value:g}"


def _model(key: str) -> type[models.Model] | None:
    label = key.rsplit(":", 1)[0]
    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        return None


def _split(key: str) -> tuple[str, str]:
    label, _, pk = key.rpartition(":")
    return label, pk


def _field(model: type[models.Model], attname: str) -> models.Field | None:
    for f in model._meta.concrete_fields:
        if f.attname == attname:
            return f
    return None


def _shown(f: models.Field, raw: Any) -> str | None:
    """A value safe to print (a date, a choice, a number, yes/no); None for anything that could hold
    personal details (free text, links to people)."""
    if raw in (None, ""):
        return ""
    if f.choices:
        return str(dict(f.flatchoices).get(raw, raw))
    if isinstance(f, models.DateTimeField):
        return _day(datetime.fromisoformat(str(raw).replace("Z", "+00:00")))
    if isinstance(f, models.DateField):
        return _day(date.fromisoformat(str(raw)))
    if isinstance(f, models.BooleanField):
        return "yes" if raw else "no"
    if isinstance(f, models.IntegerField | models.FloatField | models.DecimalField) and not f.is_relation:
        return str(raw)
    return None


def _field_words(model: type[models.Model] | None, change: ChangeRecord, *, values: bool = True) -> str:
    """"authorised on set to 28 Oct 2026, status changed from In progress to Authorised"."""
    parts: list[str] = []
    links: list[str] = []  # a change of who or what it points at: named only when nothing else changed
    for attname in change.changed_fields:
        if attname == "version":
            continue
        f = _field(model, attname) if model is not None else None
        name = str(f.verbose_name) if f is not None else attname.replace("_", " ")
        if f is not None and f.is_relation:
            links.append(f"{name} changed")
            continue
        before = _shown(f, change.before.get(attname)) if f is not None and values else None
        after = _shown(f, change.after.get(attname)) if f is not None and values else None
        if before is None or after is None:
            parts.append(f"{name} changed")
        elif before == "":
            parts.append(f"{name} set to {after}")
        elif after == "":
            parts.append(f"{name} cleared (was {before})")
        else:
            parts.append(f"{name} changed from {before} to {after}")
    parts = parts or links
    if len(parts) > 4:
        parts = [*parts[:4], f"{len(parts) - 4} more"]
    return "; ".join(parts)


def _who(change: ChangeRecord) -> str:
    if change.by_user is not None:
        return change.by_user.get_full_name() or change.by_user.username
    return f"an automatic process ({change.by_system})" if change.by_system else "someone unrecorded"


OUTCOMES = {"added": "it counts now", "removed": "it no longer counts", "changed": "it adds a different amount now"}
TELLING = (models.DateField, models.BooleanField, models.IntegerField, models.FloatField, models.DecimalField)


def _telling(model: type[models.Model] | None, change: ChangeRecord) -> bool:
    """Whether a change touched a date, a choice, a number or a yes/no: what decides whether a record
    counts (a note rewritten afterwards does not)."""
    if model is None:
        return True
    for attname in change.changed_fields:
        f = _field(model, attname)
        if f is not None and attname != "version" and not f.is_relation and (f.choices or isinstance(f, TELLING)):
            return True
    return False


def _explain(*, label: str, kind: str, changes: list[ChangeRecord], person_changes: list[ChangeRecord],
             model: type[models.Model] | None, frozen_at: datetime) -> tuple[ChangeRecord | None, str]:
    """The change that explains one record, and the words for it."""
    outcome = OUTCOMES[kind]
    created = [c for c in changes if c.action == ChangeRecord.Action.CREATE]
    if created:
        chosen = created[0]
        text = (f"{label} was recorded on {_day(chosen.at)} by {_who(chosen)}, after the month was reported "
                f"(frozen {_day(frozen_at)})")
        return chosen, (text + "." if kind == "added" else f"{text}; so {outcome}.")
    if changes:
        chosen = next((c for c in reversed(changes) if _telling(model, c)), changes[-1])
        words = _field_words(model, chosen)
        text = f"{label} was changed on {_day(chosen.at)} by {_who(chosen)}, after the month was reported"
        if words:
            text += f" ({words})"
        if len(changes) > 1:
            others = len(changes) - 1
            text += f", with {others} other change{'s' if others > 1 else ''} since"
        return chosen, f"{text}; so {outcome}."
    if person_changes:
        chosen = person_changes[-1]
        words = _field_words(None, chosen, values=False)
        return chosen, (f"{label} itself is unchanged, but the child's record was changed on {_day(chosen.at)} "
                        f"by {_who(chosen)} ({words}), after the month was reported; so {outcome}.")
    return None, (f"{label}: no change to this record has been recorded since the month was reported "
                  f"(frozen {_day(frozen_at)}); {outcome} because of a change to a related record or the "
                  f"passing of time (a child's age, say).")


def _labels(keys: list[str]) -> dict[str, str]:
    """Each record's own description ("Referral of 02 Oct 2026"), one query per kind of record."""
    by_model: dict[type[models.Model], list[str]] = defaultdict(list)
    out: dict[str, str] = {}
    for k in keys:
        model = _model(k)
        if model is None:
            out[k] = "A record no longer known to Hearth"
            continue
        by_model[model].append(k)
    for model, found in by_model.items():
        kind = str(model._meta.verbose_name)
        kind = kind[:1].upper() + kind[1:]
        if model._meta.label_lower in NAMELESS:
            out.update({k: kind for k in found})
            continue
        pks = [_split(k)[1] for k in found]
        objects: dict[str, models.Model] = {}
        for i in range(0, len(pks), IN_CLAUSE):
            for row in model._base_manager.filter(pk__in=pks[i:i + IN_CLAUSE]):
                objects[str(row.pk)] = row
        for k in found:
            obj = objects.get(_split(k)[1])
            out[k] = str(obj) if obj is not None else kind
    return out


def _changes_after(local_authority: LocalAuthority, frozen_at: datetime, keys: list[str],
                   child_ids: set[int]) -> tuple[dict[str, list[ChangeRecord]], dict[int, list[ChangeRecord]]]:
    """Every audited change since ``frozen_at`` to these records and these children's own records, oldest
    first: one query (more only past several hundred records)."""
    wanted: dict[str, list[str]] = defaultdict(list)
    for k in keys:
        model = _model(k)
        if model is not None:
            wanted[model._meta.label].append(_split(k)[1])
    person_label = apps.get_model("people", "Person")._meta.label
    if child_ids:
        wanted[person_label].extend(str(c) for c in sorted(child_ids))
    batches: list[list[Q]] = [[]]
    size = 0
    for label, ids in wanted.items():
        for i in range(0, len(ids), IN_CLAUSE):
            chunk = ids[i:i + IN_CLAUSE]
            if batches[-1] and size + len(chunk) > IN_CLAUSE:
                batches.append([])
                size = 0
            batches[-1].append(Q(model_label=label, object_id__in=chunk))
            size += len(chunk)
    lower = {label: apps.get_model(label)._meta.label_lower for label in wanted}
    by_record: dict[str, list[ChangeRecord]] = defaultdict(list)
    by_child: dict[int, list[ChangeRecord]] = defaultdict(list)
    for batch in batches:
        if not batch:
            continue
        condition = batch[0]
        for clause in batch[1:]:
            condition |= clause
        # The council as an expression, not a column: SQLite (without ANALYZE) would otherwise walk the
        # council's whole history by its local_authority index instead of looking up each record.
        rows = (ChangeRecord.objects.alias(council=F("local_authority_id") + 0)
                .filter(condition, council=local_authority.pk, at__gt=frozen_at)
                .select_related("by_user").order_by("at", "id"))
        for change in rows:
            if change.model_label == person_label:
                by_child[int(change.object_id)].append(change)
            else:
                by_record[f"{lower[change.model_label]}:{change.object_id}"].append(change)
    return by_record, by_child


def compare_snapshot(*, snapshot: IndicatorSnapshot) -> SnapshotComparison:
    """The month as it was reported beside the same twelve months computed from the record now.

    Records in one and not the other (numerator and denominator separately), and records in both that now
    add a different amount, each with the audited change after the freeze that explains it.
    """
    la = snapshot.local_authority
    if "members" in snapshot.get_deferred_fields():
        snapshot.refresh_from_db(fields=["members"])
    now = compute.results(local_authority=la, start=snapshot.period_start, end=snapshot.period_end,
                          codes=[snapshot.indicator])[0]
    parts: list[tuple[Literal["numerator", "denominator"], list[list[Any]], list[Member]]] = [
        ("numerator", snapshot.members.get("numerator", []), now.tally.numerator)]
    if "denominator" in snapshot.members and now.tally.denominator is not None:
        parts.append(("denominator", snapshot.members["denominator"], now.tally.denominator))

    found: list[tuple[str, Literal["numerator", "denominator"], Member, float, float]] = []
    for part, then_rows, now_members in parts:
        then: dict[str, tuple[list[Any], float]] = {}
        for row in then_rows:
            k = row[0]
            prior = then.get(k)
            then[k] = (row, (prior[1] if prior else 0.0) + float(row[3]))
        current: dict[str, tuple[Member, float]] = {}
        for m in now_members:
            prior_now = current.get(m.key)
            current[m.key] = (m, (prior_now[1] if prior_now else 0.0) + m.amount)
        for k, (m, amount) in current.items():
            if k not in then:
                found.append(("added", part, m, 0.0, amount))
            elif abs(then[k][1] - amount) > 1e-9:
                found.append(("changed", part, m, then[k][1], amount))
        for k, (row, amount) in then.items():
            if k not in current:
                member = Member(k, row[1], snapshot.period_end, row[2], amount, "counted when reported")
                found.append(("removed", part, member, amount, 0.0))

    keys = sorted({m.key for _, _, m, _, _ in found})
    child_ids = {m.child_id for _, _, m, _, _ in found if m.child_id is not None}
    labels = _labels(keys)
    by_record, by_child = _changes_after(la, snapshot.frozen_at, keys, child_ids) if found else ({}, {})
    comparison = SnapshotComparison(snapshot=snapshot, now=now, added=[], removed=[])
    for kind, part, m, amount_then, amount_now in found:
        changes = by_record.get(m.key, [])
        person = by_child.get(m.child_id, []) if m.child_id is not None else []
        change, text = _explain(label=labels[m.key], kind=kind, changes=changes, person_changes=person,
                                model=_model(m.key), frozen_at=snapshot.frozen_at)
        if kind == "changed":
            text = (f"Counted both times, adding {_amount(amount_then)} when reported and {_amount(amount_now)} "
                    f"now. {text}")
        record = ChangedRecord(member=m, part=part, change=change, explanation=text, amount_then=amount_then,
                               amount_now=amount_now)
        {"added": comparison.added, "removed": comparison.removed, "changed": comparison.changed}[kind].append(record)
    if snapshot.denominator is not None and now.denominator is not None and "denominator" not in snapshot.members \
            and abs(snapshot.denominator - now.denominator) > 1e-9:
        comparison.notes.append(f"The population used changed from {_amount(snapshot.denominator)} to "
                                f"{_amount(now.denominator)} children aged 0 to 17 (a new estimate).")
    return comparison
