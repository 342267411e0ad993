"""Reads for the front door, already scoped to the user's council and to the children they may see."""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone

from hearth.access.policy import visible_people_filter
from hearth.clocks.models import holiday_set
from hearth.clocks.working_days import LONDON, working_days_between

from .models import Contact, EarlyHelpEpisode, MysteryShopperCheck

if TYPE_CHECKING:
    from hearth.accounts.models import User
    from hearth.tenancy.models import LocalAuthority

RAG_ORDER = Case(
    When(priority=Contact.Priority.RED, then=Value(0)),
    When(priority=Contact.Priority.AMBER, then=Value(1)),
    When(priority=Contact.Priority.GREEN, then=Value(2)),
    default=Value(3),
    output_field=IntegerField(),
)
DECIDED_LIST_DAYS = 30


def _contacts_for(user: User) -> QuerySet[Contact]:
    """The council's contacts whose child this user may see, and those whose child is not identified yet.

    A contact about a restricted or sealed child the user may not open is left out altogether:
    the queue must not say that such a child exists.
    """
    rule = visible_people_filter(user, prefix="child__")
    if rule is None:
        return Contact.objects.none()
    return Contact.objects.filter(Q(child__isnull=True) | rule, local_authority_id=user.local_authority_id)


def contact_queue(*, user: User, status: str = "", priority: str = "") -> QuerySet[Contact]:
    """Contacts awaiting a decision: the earliest due first, then red before amber before green."""
    rows = _contacts_for(user).exclude(status=Contact.Status.DECIDED)
    if status:
        rows = rows.filter(status=status)
    if priority == "none":
        rows = rows.filter(priority="")
    elif priority:
        rows = rows.filter(priority=priority)
    return (rows.select_related("child").annotate(rag=RAG_ORDER)
            .order_by("decision_due_on", "rag", "received_at", "id"))


def contacts_decided_recently(*, user: User, days: int = DECIDED_LIST_DAYS) -> QuerySet[Contact]:
    since = timezone.now() - timedelta(days=days)
    return (_contacts_for(user).filter(status=Contact.Status.DECIDED, decided_at__gte=since)
            .select_related("child", "decided_by").order_by("-decided_at", "-id"))


def contact_get(*, user: User, pk: int) -> Contact | None:
    """One contact of the user's council (the child's own record-level check is the view's, with logging)."""
    return (Contact.objects.filter(pk=pk, local_authority_id=user.local_authority_id)
            .select_related("child", "decided_by", "screened_by", "created_by").first())


# ---------------------------------------------------------------- clocks and waiting times


@dataclass(frozen=True)
class DecisionClock:
    """The 1-working-day decision clock as a person reads it."""

    due_on: date
    today: date
    working_days_left: int  # negative once overdue
    decided_on: date | None = None

    @property
    def is_decided(self) -> bool:
        return self.decided_on is not None

    @property
    def is_overdue(self) -> bool:
        return not self.is_decided and self.today > self.due_on

    @property
    def decided_late(self) -> bool:
        return self.decided_on is not None and self.decided_on > self.due_on

    @property
    def overdue_by(self) -> int:
        return -self.working_days_left if self.working_days_left < 0 else 0

    @property
    def due_text(self) -> str:
        return f"Decision due by {self.due_on:%a %-d %B}"

    @property
    def state_text(self) -> str:
        if self.decided_on is not None:
            late_by = self.working_days_left
            if self.decided_late:
                days = -late_by
                return f"Decided late, by {days} working day{'s' if days != 1 else ''}"
            return "Decided on time"
        if self.is_overdue:
            n = self.overdue_by
            return f"Overdue by {n} working day{'s' if n != 1 else ''}"
        if self.today == self.due_on:
            return "Due today"
        n = self.working_days_left
        return f"{n} working day{'s' if n != 1 else ''} left"


def decision_clock(contact: Contact, *, today: date | None = None,
                   holidays: frozenset[date] | None = None) -> DecisionClock:
    days = holiday_set() if holidays is None else holidays
    decided_on = contact.decided_at.astimezone(LONDON).date() if contact.decided_at else None
    on = decided_on or today or timezone.localdate()
    due_on = contact.decision_due_on
    left = working_days_between(on, due_on, days) if due_on >= on else -working_days_between(due_on, on, days)
    return DecisionClock(due_on=due_on, today=on, working_days_left=left, decided_on=decided_on)


def waiting_text(received_at: datetime, *, now: datetime | None = None, holidays: frozenset[date]) -> str:
    """How long a contact has waited: hours on the first day, then working days."""
    now = now or timezone.now()
    hours = int((now - received_at).total_seconds() // 3600)
    if hours < 24:
        return "Less than an hour" if hours < 1 else f"{hours} hour{'s' if hours != 1 else ''}"
    days = working_days_between(received_at.astimezone(LONDON).date(), now.astimezone(LONDON).date(), holidays)
    return f"{days} working day{'s' if days != 1 else ''}"


# ---------------------------------------------------------------- early help


def early_help_open(*, user: User) -> QuerySet[EarlyHelpEpisode]:
    rule = visible_people_filter(user, prefix="child__")
    if rule is None:
        return EarlyHelpEpisode.objects.none()
    return (EarlyHelpEpisode.objects.filter(rule, local_authority_id=user.local_authority_id, ended_on__isnull=True)
            .select_related("child", "lead_team").order_by("started_on", "id"))


def early_help_get(*, user: User, pk: int) -> EarlyHelpEpisode | None:
    return (EarlyHelpEpisode.objects.filter(pk=pk, local_authority_id=user.local_authority_id)
            .select_related("child", "lead_team", "contact", "stepped_up_to", "stepped_down_from").first())


def early_help_for_child(*, child_id: int) -> QuerySet[EarlyHelpEpisode]:
    return EarlyHelpEpisode.objects.filter(child_id=child_id).select_related("lead_team")


# ---------------------------------------------------------------- mystery shopper trend


@dataclass(frozen=True)
class MonthResult:
    month: date  # first of the month
    checks: int
    median_seconds: float | None
    right_percent: float | None
    average_quality: float | None


def mystery_shop_recent(*, local_authority: LocalAuthority | int, limit: int = 20) -> QuerySet[MysteryShopperCheck]:
    la = getattr(local_authority, "pk", local_authority)
    return MysteryShopperCheck.objects.filter(local_authority_id=la).select_related("recorded_by")[:limit]


def mystery_shop_trend(*, local_authority: LocalAuthority | int, months: int = 12,
                       today: date | None = None) -> list[MonthResult]:
    """Month by month for the last ``months`` months (oldest first); months with no checks are shown empty."""
    la = getattr(local_authority, "pk", local_authority)
    today = today or timezone.localdate()
    first = date(today.year, today.month, 1)
    for _ in range(months - 1):
        first = (first - timedelta(days=1)).replace(day=1)
    since = datetime(first.year, first.month, 1, tzinfo=LONDON)
    grouped: dict[date, list[tuple[int | None, int | None, str]]] = defaultdict(list)
    rows = MysteryShopperCheck.objects.filter(local_authority_id=la, carried_out_at__gte=since).values_list(
        "carried_out_at", "seconds_to_answer", "advice_quality", "outcome")
    for at, seconds, quality, outcome in rows:
        local = at.astimezone(LONDON)
        grouped[date(local.year, local.month, 1)].append((seconds, quality, outcome))
    results = []
    month = first
    while month <= today:
        checks = grouped.get(month, [])
        answered = [s for s, _, _ in checks if s is not None]
        qualities = [q for _, q, _ in checks if q is not None]
        right = sum(1 for _, _, o in checks if o == MysteryShopperCheck.Outcome.RIGHT_RESPONSE)
        results.append(MonthResult(
            month=month,
            checks=len(checks),
            median_seconds=float(statistics.median(answered)) if answered else None,
            right_percent=round(100 * right / len(checks), 1) if checks else None,
            average_quality=round(sum(qualities) / len(qualities), 2) if qualities else None,
        ))
        month = (month + timedelta(days=32)).replace(day=1)
    return results
