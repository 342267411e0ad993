"""Starting, stopping and cancelling clocks; recomputing when the calendar changes."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from hearth.accounts.models import User
from hearth.audit.models import ChangeRecord
from hearth.clocks import services
from hearth.clocks.models import BankHoliday, Clock, LocalTimescale, SchoolTerm, holiday_set
from hearth.clocks.registry import NoTimescale, UnknownRule
from hearth.people.models import Person
from hearth.tenancy.models import LocalAuthority

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


def start(child: Person, rule_id: str, on: date, **kwargs: object) -> Clock:
    return services.clock_start(child=child, rule_id=rule_id, started_on=on, by="test", **kwargs)


def test_clock_start_computes_due_and_audits(child: Person, worker: User) -> None:
    clock = services.clock_start(
        child=child, rule_id="icpc", started_on=date(2024, 12, 20), assigned_to=worker, by=worker
    )
    clock.refresh_from_db()
    assert clock.due_on == date(2025, 1, 15)
    assert clock.due_at is None
    assert clock.status == Clock.Status.OPEN
    assert clock.local_authority_id == child.local_authority_id
    assert clock.label == "Initial child protection conference"
    record = ChangeRecord.objects.get(model_label="clocks.Clock", object_id=str(clock.pk))
    assert record.action == ChangeRecord.Action.CREATE
    assert record.by_user_id == worker.pk
    assert record.local_authority_id == child.local_authority_id


def test_clock_remembers_the_record_that_owns_it(child: Person, la: LocalAuthority) -> None:
    clock = start(child, "assessment", date(2025, 3, 3), subject=child)
    clock.refresh_from_db()
    assert clock.subject == child
    assert clock.due_on == date(2025, 5, 8)


def test_hour_clock_with_a_time(child: Person) -> None:
    found = datetime(2025, 3, 28, 14, 30, tzinfo=LONDON)
    clock = start(child, "return_home_interview", date(2025, 3, 28), started_at=found)
    clock.refresh_from_db()
    assert clock.due_at == datetime(2025, 3, 31, 15, 30, tzinfo=LONDON)
    assert clock.due_on == date(2025, 3, 31)

    services.clock_stop(clock=clock, stopped_on=date(2025, 3, 31),
                        stopped_at=datetime(2025, 3, 31, 15, 45, tzinfo=LONDON), by="test")
    assert clock.status == Clock.Status.MISSED  # on the due date but after the due time


def test_hour_clock_start_time_must_match_the_date(child: Person) -> None:
    with pytest.raises(ValidationError):
        start(child, "return_home_interview", date(2025, 3, 27), started_at=datetime(2025, 3, 28, 9, 0))


def test_date_only_hour_clock(child: Person) -> None:
    clock = start(child, "return_home_interview", date(2025, 3, 28))
    assert clock.due_on == date(2025, 3, 31)
    assert clock.due_at is None


def test_start_refuses_unknown_rules_and_rules_without_a_timescale(child: Person) -> None:
    with pytest.raises(UnknownRule):
        start(child, "nonsense", date(2025, 3, 3))
    with pytest.raises(NoTimescale):
        start(child, "strategy_discussion", date(2025, 3, 3))
    assert not Clock.objects.exists()


def test_council_overrides_and_terms(child: Person, la: LocalAuthority, other_la: LocalAuthority) -> None:
    LocalTimescale.objects.create(local_authority=la, rule_id="cp_visit", offset=4, unit="weeks")
    LocalTimescale.objects.create(local_authority=other_la, rule_id="cp_visit", offset=1, unit="weeks")
    SchoolTerm.objects.create(local_authority=la, name="Autumn 2025",
                              starts_on=date(2025, 9, 3), ends_on=date(2025, 12, 19))
    SchoolTerm.objects.create(local_authority=la, name="Spring 2026",
                              starts_on=date(2026, 1, 5), ends_on=date(2026, 3, 27))
    assert start(child, "cp_visit", date(2025, 10, 1)).due_on == date(2025, 10, 29)
    assert start(child, "pep_review", date(2025, 10, 1)).due_on == date(2026, 3, 27)


def test_local_timescale_refuses_statutory_rules(la: LocalAuthority) -> None:
    row = LocalTimescale(local_authority=la, rule_id="icpc", offset=20, unit="working_days")
    with pytest.raises(ValidationError):
        row.full_clean()


def test_stop_met_missed_and_before_start(child: Person) -> None:
    met = start(child, "icpc", date(2024, 12, 20))
    services.clock_stop(clock=met, stopped_on=date(2025, 1, 15), by="test", missed_reason="ignored")
    assert met.status == Clock.Status.MET
    assert met.missed_reason == ""

    missed = start(child, "icpc", date(2024, 12, 20))
    services.clock_stop(clock=missed, stopped_on=date(2025, 1, 16), by="test", missed_reason="Chair ill")
    missed.refresh_from_db()
    assert missed.status == Clock.Status.MISSED
    assert missed.missed_reason == "Chair ill"
    assert missed.stopped_on == date(2025, 1, 16)

    early = start(child, "icpc", date(2024, 12, 20))
    with pytest.raises(ValidationError):
        services.clock_stop(clock=early, stopped_on=date(2024, 12, 19), by="test")
    same_day = services.clock_stop(clock=early, stopped_on=date(2024, 12, 20), by="test")
    assert same_day.status == Clock.Status.MET

    with pytest.raises(ValidationError, match="already met"):
        services.clock_stop(clock=early, stopped_on=date(2024, 12, 21), by="test")


def test_cancel(child: Person) -> None:
    clock = start(child, "cla_review_first", date(2026, 12, 18))
    services.clock_cancel(clock=clock, by="test")
    clock.refresh_from_db()
    assert clock.status == Clock.Status.CANCELLED
    assert clock.version == 2
    with pytest.raises(ValidationError):
        services.clock_cancel(clock=clock, by="test")


def test_is_overdue_and_working_days_remaining(child: Person) -> None:
    clock = start(child, "referral_decision", date(2025, 4, 17))  # due Tue 22 Apr
    assert not clock.is_overdue(date(2025, 4, 22))
    assert clock.is_overdue(date(2025, 4, 23))
    assert clock.working_days_remaining(date(2025, 4, 17)) == 1
    assert clock.working_days_remaining(date(2025, 4, 22)) == 0
    assert clock.working_days_remaining(date(2025, 4, 24)) == -2


def test_adding_a_holiday_moves_open_clocks_later(child: Person, system_admin: User) -> None:
    open_clock = start(child, "icpc", date(2024, 12, 20))
    stopped = start(child, "icpc", date(2024, 12, 20))
    services.clock_stop(clock=stopped, stopped_on=date(2025, 1, 10), by="test")
    month_clock = start(child, "rcpc_first", date(2024, 12, 20))

    holiday = services.bank_holiday_add(on=date(2025, 1, 10), name="A one-off holiday", by=system_admin)

    open_clock.refresh_from_db()
    stopped.refresh_from_db()
    month_clock.refresh_from_db()
    assert open_clock.due_on == date(2025, 1, 16)
    assert stopped.due_on == date(2025, 1, 15)  # a stopped clock is history
    assert month_clock.due_on == date(2025, 3, 20)  # months ignore holidays
    update = ChangeRecord.objects.filter(model_label="clocks.Clock", object_id=str(open_clock.pk),
                                         action=ChangeRecord.Action.UPDATE).get()
    assert update.after == {"due_on": "2025-01-16"}
    assert update.by_user_id == system_admin.pk

    audit = ChangeRecord.objects.get(model_label="clocks.BankHoliday", object_id=str(holiday.pk))
    assert audit.local_authority_id == system_admin.local_authority_id
    assert audit.after["date"] == "2025-01-10"
    assert holiday.updated_by == system_admin
    assert holiday.source == BankHoliday.Source.ADMINISTRATOR

    services.bank_holiday_remove(holiday=holiday, by=system_admin)
    open_clock.refresh_from_db()
    assert open_clock.due_on == date(2025, 1, 15)
    assert date(2025, 1, 10) not in holiday_set()


def test_moving_a_holiday(child: Person, system_admin: User) -> None:
    clock = start(child, "referral_decision", date(2025, 5, 2))  # Fri; Mon 5 May is a holiday
    assert clock.due_on == date(2025, 5, 6)
    early_may = BankHoliday.objects.get(date=date(2025, 5, 5))
    moved = services.bank_holiday_change(holiday=early_may, on=date(2025, 5, 8), name="Early May (moved)",
                                         by=system_admin)
    clock.refresh_from_db()
    assert clock.due_on == date(2025, 5, 5)
    assert moved.date == date(2025, 5, 8)
    early_may.refresh_from_db()
    assert early_may.removed  # the package's date stays out when re-seeded

    renamed = services.bank_holiday_change(holiday=moved, on=moved.date, name="Early May", by=system_admin)
    assert renamed.pk == moved.pk and renamed.name == "Early May"


def test_holiday_duplicates_and_restore(system_admin: User) -> None:
    with pytest.raises(ValidationError) as error:
        services.bank_holiday_add(on=date(2025, 12, 25), name="Christmas again", by=system_admin)
    assert "already a bank holiday" in str(error.value)
    boxing = BankHoliday.objects.get(date=date(2025, 12, 26))
    services.bank_holiday_remove(holiday=boxing, by=system_admin)
    restored = services.bank_holiday_add(on=date(2025, 12, 26), name="Boxing Day", by=system_admin)
    assert restored.pk == boxing.pk and not restored.removed


def test_only_system_admins_change_the_calendar(worker: User) -> None:
    with pytest.raises(PermissionDenied):
        services.bank_holiday_add(on=date(2030, 6, 7), name="One-off", by=worker)
    # A named system process may (for imports); it is recorded against every council.
    holiday = services.bank_holiday_add(on=date(2030, 6, 7), name="One-off", by="calendar import")
    records = ChangeRecord.objects.filter(model_label="clocks.BankHoliday", object_id=str(holiday.pk))
    assert records.count() == LocalAuthority.objects.count()
    assert {r.by_system for r in records} == {"calendar import"}


def test_recompute_is_scoped_to_a_council(
    child: Person, la: LocalAuthority, other_la: LocalAuthority
) -> None:
    clock = start(child, "cp_visit", date(2025, 10, 1))
    assert clock.due_on == date(2025, 10, 15)
    LocalTimescale.objects.create(local_authority=la, rule_id="cp_visit", offset=4, unit="weeks")
    assert services.clocks_recompute_open(by="test", local_authority=other_la) == 0
    assert services.clocks_recompute_open(by="test", local_authority=la) == 1
    clock.refresh_from_db()
    assert clock.due_on == date(2025, 10, 29)
    assert services.clocks_recompute_open(by="test") == 0
