"""Add England and Wales bank holidays from the ``holidays`` package that the table lacks.

Idempotent, and never overwrites: a date already in the table (including one an
administrator changed or removed) is left exactly as it is.
"""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from hearth.audit.actor import acting_as
from hearth.clocks.models import BankHoliday
from hearth.clocks.seeding import DEFAULT_YEARS, add_missing
from hearth.clocks.services import clocks_recompute_open


def parse_years(text: str) -> range:
    try:
        first, _, last = text.partition("-")
        years = range(int(first), int(last or first) + 1)
    except ValueError:
        raise CommandError(f"'{text}' is not a year or a range of years such as 2015-2035") from None
    if not years or years.start < 1900 or years.stop > 2201:
        raise CommandError(f"'{text}' is not a sensible range of years")
    return years


class Command(BaseCommand):
    help = "Add missing England and Wales bank holidays from the holidays package (never overwrites)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        default = f"{DEFAULT_YEARS.start}-{DEFAULT_YEARS.stop - 1}"
        parser.add_argument("--years", default=default, help=f"Year or range of years (default {default})")

    def handle(self, *args: Any, **options: Any) -> None:
        years = parse_years(options["years"])
        with transaction.atomic(), acting_as("seed_bank_holidays"):
            added = add_missing(BankHoliday, years)
            moved = clocks_recompute_open(by="seed_bank_holidays") if added else 0
        self.stdout.write(f"Added {added} bank holidays for {years.start}-{years.stop - 1}; "
                          f"{moved} open clocks recalculated.")
