"""python manage.py export_ssda903 --year 2026 --output DIR [--previous DIR] [--council 892] [--by USERNAME]"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from hearth.accounts.models import User
from hearth.returns.services import log_export
from hearth.returns.ssda903 import Return903FileError, build_903, read_903_csv, write_903_csv
from hearth.returns.ssda903_columns import tables_for
from hearth.returns.years import SSDA903_YEARS, year_title
from hearth.tenancy.models import LocalAuthority

SYSTEM = "manage.py export_ssda903"


def _supported() -> str:
    return ", ".join(f"{y} ({year_title(y)})" for y in SSDA903_YEARS)


class Command(BaseCommand):
    help = ("Write the SSDA903 (children looked after) return for the collection year ending 31 March YEAR as "
            "DfE's CSV files, one per table, and log the export against every child in it.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, required=True,
                            help=f"The year the collection ends (31 March YEAR): {_supported()}")
        parser.add_argument("--output", required=True, help="The folder to write the CSV files into")
        parser.add_argument("--previous", help="A folder of last year's submitted CSV files, for the rules that "
                                               "compare years (default: last year rebuilt from the record)")
        parser.add_argument("--council", help="DfE LA number of the council (needed when more than one is loaded)")
        parser.add_argument("--by", help="Username of the person exporting (default: logged as this command)")

    def handle(self, *args: Any, **options: Any) -> None:
        year = options["year"]
        if year not in SSDA903_YEARS:
            raise CommandError(f"Hearth has no SSDA903 specification for {year_title(year)}. "
                               f"Years supported: {_supported()}.")
        output = Path(options["output"])
        _check_writable(output)
        previous = None
        if options["previous"]:
            try:
                previous = read_903_csv(Path(options["previous"]), year=year - 1)
            except Return903FileError as error:
                raise CommandError(f"Last year's return could not be read: {error}") from error
        council = _council(options["council"])
        user = _user(options["by"], council)

        started = time.perf_counter()
        ret = build_903(local_authority=council, year=year, previous=previous)
        if not ret.table("Header"):
            raise CommandError(f"No child was looked after in {year_title(year)}: there is no return to write.")
        try:
            write_903_csv(ret, output)
        except OSError as error:
            raise CommandError(f"Could not write to {output}: {error.strerror}") from error
        logged = log_export(local_authority_id=council.pk, person_pks=ret.child_pks.values(), user=user,
                            system=SYSTEM, page=f"SSDA903 {year_title(year)} export")
        # Counts only, never a name or identifier.
        counts = ", ".join(f"{table} {len(ret.table(table)):,}" for table in tables_for(year))
        last_year = "last year's files" if previous is not None else "last year rebuilt from the record"
        self.stdout.write(f"SSDA903 {year_title(year)} for LA {council.dfe_la_number}: {counts} rows; "
                          f"compared with {last_year}; {logged:,} exports logged; written to {output} "
                          f"in {time.perf_counter() - started:.1f} s")


def _check_writable(output: Path) -> None:
    if output.exists() and not output.is_dir():
        raise CommandError(f"{output} is a file: give the folder to write the CSV files into")
    folder = output if output.exists() else output.parent if str(output.parent) else Path(".")
    if not folder.is_dir():
        raise CommandError(f"The folder {folder} does not exist")
    if not os.access(folder, os.W_OK):
        raise CommandError(f"Cannot write to {folder}: permission denied")


def _council(number: str | None) -> LocalAuthority:
    councils = LocalAuthority.objects.all()
    if number:
        councils = councils.filter(dfe_la_number=number)
    found = list(councils.order_by("pk")[:2])
    if not found:
        raise CommandError(f"No council with DfE LA number {number}" if number else "No council is loaded")
    if len(found) > 1:
        raise CommandError("More than one council is loaded: name one with --council DFE_LA_NUMBER")
    return found[0]


def _user(username: str | None, council: LocalAuthority) -> User | None:
    if not username:
        return None
    user = User.objects.filter(username=username, local_authority=council, is_active=True).first()
    if user is None:
        raise CommandError(f"No active user {username} in {council.name}")
    return user
