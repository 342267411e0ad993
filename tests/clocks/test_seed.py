"""The seed migration and seed_bank_holidays against the GOV.UK list in timescales.md §4."""

from __future__ import annotations

from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from hearth.clocks.models import BankHoliday, holiday_set
from hearth.clocks.seeding import PACKAGE_SOURCE

from .holiday_data import GOV_UK_2020_2027, PACKAGE_2015_2035

pytestmark = pytest.mark.django_db


def test_migration_seeds_2015_to_2035_from_the_package() -> None:
    stored = set(BankHoliday.objects.values_list("date", flat=True))
    assert stored == set(PACKAGE_2015_2035)
    assert min(stored).year == 2015 and max(stored).year == 2035
    assert set(BankHoliday.objects.values_list("source", flat=True)) == {PACKAGE_SOURCE}
    assert PACKAGE_SOURCE == BankHoliday.Source.PACKAGE


def test_seeded_weekdays_match_gov_uk_2020_to_2027() -> None:
    weekdays = {d for d in holiday_set() if d.weekday() < 5 and 2020 <= d.year <= 2027}
    assert weekdays == set(GOV_UK_2020_2027)


@pytest.mark.parametrize(
    "day",
    [date(2022, 6, 2), date(2022, 6, 3), date(2022, 9, 19), date(2023, 5, 8), date(2020, 5, 8)],
)
def test_one_off_holidays_are_seeded(day: date) -> None:
    assert day in holiday_set()


def test_may_day_2020_moved_and_spring_2022_moved() -> None:
    days = holiday_set()
    assert date(2020, 5, 4) not in days
    assert date(2022, 5, 30) not in days


def test_seed_command_is_idempotent_and_never_overwrites() -> None:
    renamed = BankHoliday.objects.get(date=date(2025, 12, 25))
    renamed.name = "Christmas Day (checked)"
    renamed.source = BankHoliday.Source.ADMINISTRATOR
    renamed.save()
    BankHoliday.objects.filter(date=date(2025, 12, 26)).update(removed=True)
    BankHoliday.objects.filter(date=date(2025, 5, 5)).delete()

    out = StringIO()
    call_command("seed_bank_holidays", "--years", "2025", stdout=out)
    assert "Added 1 bank holidays" in out.getvalue()
    assert BankHoliday.objects.get(date=date(2025, 12, 25)).name == "Christmas Day (checked)"
    assert BankHoliday.objects.get(date=date(2025, 12, 26)).removed
    assert date(2025, 12, 26) not in holiday_set()
    assert date(2025, 5, 5) in holiday_set()

    call_command("seed_bank_holidays", "--years", "2025", stdout=out)
    assert "Added 0 bank holidays" in out.getvalue()


def test_seed_command_extends_the_range() -> None:
    out = StringIO()
    call_command("seed_bank_holidays", "--years", "2036-2037", stdout=out)
    assert BankHoliday.objects.filter(date__year=2037).exists()
    with pytest.raises(CommandError):
        call_command("seed_bank_holidays", "--years", "soon")


def test_holiday_set_sees_changes() -> None:
    first = holiday_set()
    assert holiday_set() is first  # cached
    BankHoliday.objects.create(date=date(2030, 6, 7), name="A one-off")
    assert date(2030, 6, 7) in holiday_set()
    BankHoliday.objects.filter(date=date(2030, 6, 7)).delete()
    assert date(2030, 6, 7) not in holiday_set()
