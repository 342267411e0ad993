"""Writes for performance: the council's targets, and freezing each month's figures as they were reported."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from hearth.audit.models import StaleVersionError

from . import compute
from .models import IndicatorSnapshot, IndicatorTarget
from .registry import Indicator, Member, Period, evaluate, get, indicators, last_month_end, rolling_year
from .registry import month_end as last_day_of

if TYPE_CHECKING:
    from hearth.tenancy.models import LocalAuthority

UNIT_WORDS = {"per_10k": "a rate per 10,000 children", "percent": "a percentage", "average": "an average",
              "number": "a number"}


# Targets ---------------------------------------------------------------------------------------------------

def _target_value(ind: Indicator, value: Any) -> float:
    """The target as a float, or a ValidationError on ``value`` saying what to enter."""
    example = "85" if ind.unit == "percent" else "40"
    if isinstance(value, bool) or value is None or (isinstance(value, str) and not value.strip()):
        raise ValidationError({"value": f"Enter a target for {ind.title.lower()}, like {example}"})
    try:
        number = float(value.strip().rstrip("%").replace(",", "") if isinstance(value, str) else value)
    except (TypeError, ValueError):
        raise ValidationError({"value": f"Enter the target as a number, like {example}"}) from None
    if not math.isfinite(number):
        raise ValidationError({"value": f"Enter the target as a number, like {example}"})
    if ind.unit == "percent" and not 0 <= number <= 100:
        raise ValidationError({"value": "Enter a target between 0 and 100 (it is a percentage)"})
    if number < 0:
        raise ValidationError({"value": f"Enter a target of 0 or more (it is {UNIT_WORDS[ind.unit]})"})
    return number


def target_set(*, local_authority: LocalAuthority, indicator: str | Indicator, value: float | int | Decimal | str,
               rationale: str = "", by: Any, expected_version: int | None = None) -> IndicatorTarget:
    """Set (or change) the council's target for one indicator. Its history is the target's audit trail.

    ``value`` must be a number that makes sense for the indicator's unit: 0 to 100 for a percentage, 0 or
    more otherwise. ``expected_version`` (from the form) refuses a change made on top of someone else's.
    """
    code = indicator.code if isinstance(indicator, Indicator) else indicator
    try:
        ind = get(code)
    except LookupError:
        raise ValidationError({"indicator": "Choose an indicator from the list"}) from None
    if ind.unavailable:
        raise ValidationError({"indicator": f"{ind.title} cannot be computed from Hearth's record, so it "
                                            f"cannot have a target"})
    number = _target_value(ind, value)
    rationale = (rationale or "").strip()
    with transaction.atomic():
        target = (IndicatorTarget.objects.select_for_update()
                  .filter(local_authority=local_authority, indicator=ind.code).first())
        if target is None:
            target = IndicatorTarget(local_authority=local_authority, indicator=ind.code)
        elif expected_version is not None and target.version != expected_version:
            raise StaleVersionError(target, target.version, None)
        elif target.value == number and target.rationale == rationale:
            return target  # nothing changed: no empty history row
        target.value = number
        target.rationale = rationale
        target.save(by=by)
    return target


# Snapshots -------------------------------------------------------------------------------------------------

def _packed(members: list[Member]) -> list[list[Any]]:
    return [[m.key, m.child_id, m.team_id, int(m.amount) if float(m.amount).is_integer() else m.amount]
            for m in members]


def _frozen_by(by: Any) -> str:
    text = by if isinstance(by, str) else getattr(by, "username", "") or str(by)
    if not text:
        raise ValueError("A snapshot needs the job or person freezing it")
    return text[:80]


@dataclass
class Frozen:
    """What one freeze did: the month's snapshots (new and already there) and how many were new."""

    month_end: date
    snapshots: list[IndicatorSnapshot] = field(default_factory=list)
    created: int = 0


def snapshot_freeze(*, local_authority: LocalAuthority, month_end: date, by: Any,
                    on: date | None = None, frozen_at: datetime | None = None) -> Frozen:
    """``snapshot_freeze_month``, saying how many snapshots were new."""
    on = on or compute.today()
    if month_end != last_day_of(month_end):
        raise ValidationError({"month_end": "Give the last day of a month"})
    if month_end >= on:
        raise ValidationError({"month_end": "A month can be frozen only after it has ended"})
    frozen_by = _frozen_by(by)
    start, end = rolling_year(month_end)
    existing = set(IndicatorSnapshot.objects.filter(local_authority=local_authority, month_end=month_end)
                   .values_list("indicator", flat=True))
    wanted = [i for i in indicators() if not i.unavailable and i.code not in existing]
    new_rows: list[IndicatorSnapshot] = []
    if wanted:
        period = Period(local_authority, start, end)
        # Computed before the write transaction (SQLite takes its lock at BEGIN), straight from the
        # record: a snapshot is what the record said at freezing, never a cached figure.
        computed = [evaluate(ind, period) for ind in wanted]
        stamp = frozen_at or timezone.now()
        for r in computed:
            members: dict[str, list[list[Any]]] = {"numerator": _packed(r.tally.numerator)}
            if r.tally.denominator is not None:
                members["denominator"] = _packed(r.tally.denominator)
            new_rows.append(IndicatorSnapshot(
                local_authority=local_authority, indicator=r.code, month_end=month_end, period_start=start,
                period_end=end, numerator=r.numerator, denominator=r.denominator, value=r.value,
                frozen_at=stamp, frozen_by=frozen_by, members=members,
            ))
        with transaction.atomic():
            # Two freezes at once: the second one's rows meet the unique constraint and are dropped.
            IndicatorSnapshot.objects.bulk_create(new_rows, ignore_conflicts=True, batch_size=50)
    order = {i.code: n for n, i in enumerate(indicators())}
    snapshots = sorted(
        IndicatorSnapshot.objects.filter(local_authority=local_authority, month_end=month_end).defer("members"),
        key=lambda s: (order.get(s.indicator, len(order)), s.indicator),
    )
    created = len(snapshots) - len(existing)
    return Frozen(month_end, snapshots, created)


def snapshot_freeze_month(*, local_authority: LocalAuthority, month_end: date, by: str) -> list[IndicatorSnapshot]:
    """Freeze every indicator for the twelve months to ``month_end`` as the record stands now: numerator,
    denominator, value and the records counted. Idempotent: a month (indicator) already frozen is never
    overwritten; an indicator registered since is added. Returns the month's snapshots (members deferred)."""
    return snapshot_freeze(local_authority=local_authority, month_end=month_end, by=by).snapshots


def snapshots_freeze_due(*, by: str, month: date | None = None, local_authority: LocalAuthority | None = None,
                         on: date | None = None) -> list[tuple[LocalAuthority, Frozen]]:
    """What the monthly job does: freeze ``month`` (default: the last month end before today) for one council
    or for every council. Safe to run again: nothing already frozen is touched."""
    from hearth.tenancy.models import LocalAuthority

    on = on or compute.today()
    target = last_day_of(month) if month is not None else last_month_end(on)
    councils = [local_authority] if local_authority is not None else list(LocalAuthority.objects.order_by("pk"))
    return [(la, snapshot_freeze(local_authority=la, month_end=target, by=by, on=on)) for la in councils]
