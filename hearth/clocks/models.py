"""Statutory clocks, the working-day calendar, and each council's local timescales."""

from __future__ import annotations

import threading
from datetime import date

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Max, Q

from hearth.audit.models import AuditedModel

from .registry import LOCAL_UNITS, RULES, UNIT_LABELS, TimescaleRule
from .working_days import working_days_between


class BankHoliday(models.Model):
    """A non-working day in England and Wales: bank holidays, Christmas Day and Good Friday.

    National reference data, and the one deliberate exception to "every table carries its
    local authority": the statutory working-day calendar is the same for every council.
    Seeded from the ``holidays`` package and edited by system administrators when a one-off
    holiday is announced. Local closure days never belong here.

    A removed holiday is kept with ``removed=True`` so that re-seeding never restores a
    date an administrator took out.
    """

    class Source(models.TextChoices):
        PACKAGE = "holidays_package", "Published list (England and Wales)"
        ADMINISTRATOR = "administrator", "Administrator"

    date = models.DateField(unique=True)
    name = models.CharField(max_length=100)
    source = models.CharField(max_length=20, choices=Source.choices, default=Source.ADMINISTRATOR)
    removed = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%d %B %Y}: {self.name}"


_holiday_cache: tuple[tuple[object, ...], frozenset[date]] | None = None
_holiday_lock = threading.Lock()


def holiday_set() -> frozenset[date]:
    """Every current non-working holiday, cached until the table changes.

    One cheap aggregate query checks the table's fingerprint (row count, latest edit), so
    a change made by another process is seen on the next call. In a loop, call this once
    and pass the set on.
    """
    global _holiday_cache
    stamp = BankHoliday.objects.aggregate(n=Count("id"), at=Max("updated_at"), top=Max("id"))
    fingerprint = (stamp["n"], stamp["at"], stamp["top"])
    cached = _holiday_cache
    if cached is not None and cached[0] == fingerprint:
        return cached[1]
    with _holiday_lock:
        days = frozenset(BankHoliday.objects.filter(removed=False).values_list("date", flat=True))
        _holiday_cache = (fingerprint, days)
    return days


# Rule ids are validated, not stored as choices, so a registry change needs no migration.
def validate_rule_id(value: str) -> None:
    if value not in RULES:
        raise ValidationError(f"'{value}' is not a rule in the timescale registry")


def validate_local_rule_id(value: str) -> None:
    validate_rule_id(value)
    if not RULES[value].overridable:
        raise ValidationError(f"'{value}' has a national timescale; a council cannot change it")


class SchoolTerm(models.Model):
    """A school term in a council's area, for termly PEP reviews."""

    local_authority = models.ForeignKey("tenancy.LocalAuthority", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=60, help_text="For example, Autumn 2025")
    starts_on = models.DateField()
    ends_on = models.DateField()

    class Meta:
        ordering = ["local_authority", "starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="term_ends_after_start"
            ),
            models.UniqueConstraint(
                fields=["local_authority", "starts_on"], name="one_term_per_start_per_la"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class LocalTimescale(models.Model):
    """A council's own value for a rule with no national timescale (the [local] rules)."""

    local_authority = models.ForeignKey("tenancy.LocalAuthority", on_delete=models.PROTECT, related_name="+")
    rule_id = models.CharField(max_length=60, validators=[validate_local_rule_id])
    offset = models.PositiveIntegerField()
    unit = models.CharField(max_length=20, choices=[(u, UNIT_LABELS[u]) for u in LOCAL_UNITS])

    class Meta:
        ordering = ["local_authority", "rule_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["local_authority", "rule_id"], name="one_local_timescale_per_rule"
            ),
            models.CheckConstraint(condition=Q(offset__gte=1), name="local_timescale_offset_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.rule_id}: {self.offset} {UNIT_LABELS.get(self.unit, self.unit)}"



class Clock(AuditedModel):
    """One running statutory clock for a child, owned by the record that started it."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        MET = "met", "Met"
        MISSED = "missed", "Missed"
        CANCELLED = "cancelled", "Cancelled"

    local_authority = models.ForeignKey("tenancy.LocalAuthority", on_delete=models.PROTECT, related_name="+")
    child = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="clocks")
    rule_id = models.CharField(max_length=60, validators=[validate_rule_id])
    later_interval = models.BooleanField(
        default=False, help_text="Uses the rule's later interval (visits after the first review)"
    )
    # A case's own interval for a local rule (a CP plan that sets its own visiting frequency);
    # kept on the clock so recomputing after a holiday change honours it.
    interval_offset = models.PositiveIntegerField(null=True, blank=True)
    interval_unit = models.CharField(max_length=20, blank=True, choices=[(u, UNIT_LABELS[u]) for u in LOCAL_UNITS])
    subject_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    subject_id = models.PositiveBigIntegerField(null=True, blank=True)
    subject = GenericForeignKey("subject_type", "subject_id")
    started_on = models.DateField()
    started_at = models.DateTimeField(null=True, blank=True, help_text="For hour-based rules")
    due_on = models.DateField()
    due_at = models.DateTimeField(null=True, blank=True, help_text="For hour-based rules started at a time")
    stopped_on = models.DateField(null=True, blank=True)
    stopped_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    missed_reason = models.TextField(blank=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assigned_clocks",
    )

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [
            models.Index(fields=["local_authority", "status", "due_on"]),
            models.Index(fields=["assigned_to", "status", "due_on"]),
            models.Index(fields=["child", "status"]),
            models.Index(fields=["subject_type", "subject_id"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(stopped_on__isnull=True) | Q(stopped_on__gte=models.F("started_on")),
                name="clock_stops_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rule.title} due {self.due_on:%d %b %Y}"

    @property
    def rule(self) -> TimescaleRule:
        return RULES[self.rule_id]

    @property
    def label(self) -> str:
        return self.rule.title

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    def is_overdue(self, today: date) -> bool:
        return self.is_open and today > self.due_on

    def working_days_remaining(self, today: date, holidays: frozenset[date] | None = None) -> int:
        """Working days from ``today`` to the due date; negative once overdue (0 on the day)."""
        days = holiday_set() if holidays is None else holidays
        if self.due_on >= today:
            return working_days_between(today, self.due_on, days)
        return -working_days_between(self.due_on, today, days)
