"""Writes for clocks and the working-day calendar. Each is one transaction with its audit rows."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone

from hearth.accounts.roles import Role
from hearth.audit.actor import acting_as, as_actor
from hearth.audit.models import ChangeRecord
from hearth.tenancy.models import LocalAuthority

from .models import BankHoliday, Clock, LocalTimescale, SchoolTerm, holiday_set
from .registry import TimescaleError, due, effective_timescale, get_rule
from .working_days import LONDON

if TYPE_CHECKING:
    from hearth.people.models import Person

logger = logging.getLogger(__name__)


# ---------------------------------------------------------------- council settings


def local_overrides_for(local_authority: LocalAuthority | int | None) -> dict[str, tuple[int, str]]:
    if local_authority is None:
        return {}
    rows = LocalTimescale.objects.filter(local_authority=local_authority).values_list(
        "rule_id", "offset", "unit"
    )
    return {rule_id: (offset, unit) for rule_id, offset, unit in rows}


def term_dates_for(local_authority: LocalAuthority | int | None) -> list[tuple[date, date]]:
    if local_authority is None:
        return []
    terms = SchoolTerm.objects.filter(local_authority=local_authority)
    return list(terms.values_list("starts_on", "ends_on"))


class _CouncilCalendar:
    """Holidays, overrides and terms for one council, loaded once for a batch of clocks."""

    def __init__(self, local_authority: LocalAuthority | int | None, holidays: frozenset[date] | None = None):
        self.holidays = holiday_set() if holidays is None else holidays
        self.overrides = local_overrides_for(local_authority)
        self.terms = term_dates_for(local_authority)

    def due(
        self, rule_id: str, *, started_on: date, started_at: datetime | None, later_interval: bool,
        interval: tuple[int, str] | None = None,
    ) -> tuple[date, datetime | None]:
        """``(due_on, due_at)``: ``due_at`` only for an hour rule started at a known time.

        ``interval`` is one case's own timescale for a local rule, ahead of the council's.
        """
        overrides = self.overrides if interval is None else {**self.overrides, rule_id: interval}
        _, unit = effective_timescale(rule_id, overrides, then=later_interval)
        start: date | datetime = started_at if (unit == "hours" and started_at is not None) else started_on
        result = due(rule_id, start, holidays=self.holidays, local_overrides=overrides,
                     term_dates=self.terms, then=later_interval)
        if isinstance(result, datetime):
            return result.astimezone(LONDON).date(), result
        return result, None


# ---------------------------------------------------------------- clocks


def clock_start(
    *,
    child: Person,
    rule_id: str,
    started_on: date,
    started_at: datetime | None = None,
    subject: models.Model | None = None,
    assigned_to: Any = None,
    later_interval: bool = False,
    interval: tuple[int, str] | None = None,
    by: Any,
) -> Clock:
    """Start ``rule_id`` for ``child`` from the recorded event date (day 0), not the entry date.

    ``interval`` (offset, unit) sets this case's own timescale for a local rule, such as a CP
    plan's visiting frequency; a national timescale cannot be changed this way.
    """
    if interval is not None and not get_rule(rule_id).overridable:
        raise TimescaleError(f"Rule '{rule_id}' has a national timescale; a case cannot change it")
    if started_at is not None:
        if started_at.tzinfo is None:
            started_at = started_at.replace(tzinfo=LONDON)
        if started_at.astimezone(LONDON).date() != started_on:
            raise ValidationError({"started_at": "The start time must fall on the start date"})
    calendar = _CouncilCalendar(child.local_authority_id)
    due_on, due_at = calendar.due(rule_id, started_on=started_on, started_at=started_at,
                                  later_interval=later_interval, interval=interval)
    with transaction.atomic(), acting_as(by):
        clock = Clock(
            local_authority_id=child.local_authority_id,
            child=child,
            rule_id=rule_id,
            later_interval=later_interval,
            interval_offset=interval[0] if interval else None,
            interval_unit=interval[1] if interval else "",
            subject_type=ContentType.objects.get_for_model(subject) if subject is not None else None,
            subject_id=subject.pk if subject is not None else None,
            started_on=started_on,
            started_at=started_at,
            due_on=due_on,
            due_at=due_at,
            assigned_to=assigned_to,
        )
        clock.save(by=by)
    return clock


def clock_stop(
    *, clock: Clock, stopped_on: date, by: Any, missed_reason: str = "", stopped_at: datetime | None = None
) -> Clock:
    """Stop at the stop event: met when on or before the due date (and time), otherwise missed."""
    if not clock.is_open:
        raise ValidationError(f"This clock is already {clock.get_status_display().lower()}")
    if stopped_on < clock.started_on:
        raise ValidationError({"stopped_on": "The stop date cannot be before the clock started"})
    if stopped_at is not None and stopped_at.tzinfo is None:
        stopped_at = stopped_at.replace(tzinfo=LONDON)
    if clock.due_at is not None and stopped_at is not None:
        met = stopped_at.astimezone(UTC) <= clock.due_at.astimezone(UTC)
    else:
        met = stopped_on <= clock.due_on
    with transaction.atomic(), acting_as(by):
        clock.stopped_on = stopped_on
        clock.stopped_at = stopped_at
        clock.status = Clock.Status.MET if met else Clock.Status.MISSED
        clock.missed_reason = "" if met else missed_reason.strip()
        clock.save(by=by)
    return clock


def clock_cancel(*, clock: Clock, by: Any) -> Clock:
    """The episode closed without the event (for example, the child stopped being looked after)."""
    if not clock.is_open:
        raise ValidationError(f"This clock is already {clock.get_status_display().lower()}")
    with transaction.atomic(), acting_as(by):
        clock.status = Clock.Status.CANCELLED
        clock.save(by=by)
    return clock


def clocks_recompute_open(*, by: Any, local_authority: LocalAuthority | int | None = None) -> int:
    """Recompute the due dates of open clocks from their recorded start dates; returns how many moved.

    Run after the holiday table, a council's local timescales or its term dates change.
    """
    holidays = holiday_set()
    open_clocks = Clock.objects.filter(status=Clock.Status.OPEN).order_by("local_authority_id", "id")
    if local_authority is not None:
        open_clocks = open_clocks.filter(local_authority=local_authority)
    moved = 0
    calendars: dict[int, _CouncilCalendar] = {}
    with transaction.atomic(), acting_as(by):
        for clock in open_clocks.iterator(chunk_size=500):
            la_id = clock.local_authority_id
            if la_id not in calendars:
                calendars[la_id] = _CouncilCalendar(la_id, holidays)
            try:
                due_on, due_at = calendars[la_id].due(
                    clock.rule_id, started_on=clock.started_on, started_at=clock.started_at,
                    later_interval=clock.later_interval,
                    interval=(clock.interval_offset, clock.interval_unit) if clock.interval_offset else None,
                )
            except TimescaleError:
                logger.warning("Clock %s (%s) could not be recomputed; due date left as it was",
                               clock.pk, clock.rule_id)
                continue
            if (due_on, due_at) != (clock.due_on, clock.due_at):
                clock.due_on, clock.due_at = due_on, due_at
                clock.save(by=by)
                moved += 1
        for hook in RECOMPUTE_HOOKS:
            moved += hook(by=by, local_authority=local_authority, holidays=holidays)
    return moved


# Deadlines stored outside the Clock table (a contact's decision date, when the child is not yet
# known) register here so a calendar change moves them too, without this app importing theirs.
RecomputeHook = Callable[..., int]
RECOMPUTE_HOOKS: list[RecomputeHook] = []


def recompute_hook(func: RecomputeHook) -> RecomputeHook:
    """Register ``func(*, by, local_authority, holidays) -> int`` (how many deadlines it moved)."""
    if func not in RECOMPUTE_HOOKS:
        RECOMPUTE_HOOKS.append(func)
    return func


# ---------------------------------------------------------------- the bank-holiday table


def _require_calendar_admin(by: Any) -> Any:
    """The user making the change (None for a named system process); refuses anyone else."""
    actor = as_actor(by)
    if actor.user_id is None:
        return None
    if getattr(by, "role", None) != Role.SYSTEM_ADMIN and not getattr(by, "is_superuser", False):
        raise PermissionDenied("Only a system administrator can change the bank holiday table")
    return by


def _record(holiday: BankHoliday, *, by: Any, action: str, before: dict, after: dict) -> None:
    """Audit a change to the national table in the acting user's council, or every council for a system."""
    actor = as_actor(by)
    council = getattr(by, "local_authority_id", None) if actor.user_id is not None else None
    councils: Iterable[int] = [council] if council else LocalAuthority.objects.values_list("id", flat=True)
    ChangeRecord.objects.bulk_create(
        ChangeRecord(
            local_authority_id=la_id,
            model_label=BankHoliday._meta.label,
            object_id=str(holiday.pk),
            action=action,
            by_user_id=actor.user_id,
            by_system=actor.system,
            version=0,
            before=before,
            after=after,
        )
        for la_id in councils
    )


def _values(holiday: BankHoliday) -> dict[str, Any]:
    return {"date": holiday.date.isoformat(), "name": holiday.name, "source": holiday.source,
            "removed": holiday.removed}


def _check_free(on: date) -> BankHoliday | None:
    """Refuse a date that is already a holiday; return a removed row for that date, if any."""
    existing = BankHoliday.objects.filter(date=on).first()
    if existing is not None and not existing.removed:
        raise ValidationError({"on": f"{on.day} {on:%B %Y} is already a bank holiday ({existing.name})"})
    return existing


def _put(on: date, name: str, user: Any, by: Any) -> BankHoliday:
    """Make ``on`` a holiday called ``name``: a new row, or the removed row for that date restored."""
    holiday = _check_free(on)
    if holiday is None:
        before: dict[str, Any] = {}
        holiday = BankHoliday(date=on)
        action = ChangeRecord.Action.CREATE
    else:
        before = {"removed": True}
        action = ChangeRecord.Action.UPDATE
    holiday.name = name.strip()
    holiday.source = BankHoliday.Source.ADMINISTRATOR
    holiday.removed = False
    holiday.updated_by = user
    holiday.save()
    after = _values(holiday)
    _record(holiday, by=by, action=action, before=before,
            after={k: after[k] for k in after if before.get(k) != after[k]})
    return holiday


def _take_out(holiday: BankHoliday, user: Any, by: Any) -> None:
    holiday.removed = True
    holiday.source = BankHoliday.Source.ADMINISTRATOR
    holiday.updated_by = user
    holiday.save()
    _record(holiday, by=by, action=ChangeRecord.Action.UPDATE,
            before={"removed": False}, after={"removed": True})


def bank_holiday_add(*, on: date, name: str, by: Any) -> BankHoliday:
    """Add a one-off holiday (or restore a removed date) and recompute open clocks."""
    user = _require_calendar_admin(by)
    with transaction.atomic(), acting_as(by):
        holiday = _put(on, name, user, by)
        clocks_recompute_open(by=by)
    return holiday


def bank_holiday_change(
    *, holiday: BankHoliday, on: date, name: str, by: Any, expected_updated_at: datetime | None = None
) -> BankHoliday:
    """Rename a holiday or move it to another date; returns the row now holding the holiday.

    Moving leaves the old date marked removed, so re-seeding from the package never
    brings it back behind the administrator's back.
    """
    user = _require_calendar_admin(by)
    if holiday.removed:
        raise ValidationError("This holiday has been removed; add the date again instead")
    with transaction.atomic(), acting_as(by):
        stored = BankHoliday.objects.select_for_update().get(pk=holiday.pk)
        if expected_updated_at is not None and (stored.updated_at != expected_updated_at or stored.removed):
            # Another administrator saved this holiday after the form was opened.
            when = timezone.localtime(stored.updated_at)
            who = f" ({stored.updated_by})" if stored.updated_by else ""
            raise ValidationError(
                f"Someone else changed this bank holiday at {when:%H:%M on %-d %B %Y}{who}. Your changes have "
                "not been saved; check the holiday as it is now, then save again."
            )
        if on == holiday.date:
            before = {"name": holiday.name, "source": holiday.source}
            holiday.name = name.strip()
            holiday.source = BankHoliday.Source.ADMINISTRATOR
            holiday.updated_by = user
            holiday.save()
            _record(holiday, by=by, action=ChangeRecord.Action.UPDATE, before=before,
                    after={"name": holiday.name, "source": holiday.source})
            return holiday
        moved = _put(on, name, user, by)
        _take_out(holiday, user, by)
        clocks_recompute_open(by=by)
    return moved


def bank_holiday_remove(*, holiday: BankHoliday, by: Any) -> BankHoliday:
    """Take a date out of the calendar. The row stays, marked removed, so seeding never restores it."""
    user = _require_calendar_admin(by)
    if holiday.removed:
        return holiday
    with transaction.atomic(), acting_as(by):
        _take_out(holiday, user, by)
        clocks_recompute_open(by=by)
    return holiday
