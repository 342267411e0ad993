"""python manage.py export_ssda903 --year 2026 --output DIR [--previous DIR] [--council 892] [--by USERNAME]"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from hearth.returns.cli import (
    add_council_arguments,
    check_folder_writable,
    council_from,
    exporting_user,
    log_command_export,
    previous_903,
    years_supported,
)
from hearth.returns.ssda903 import build_903, write_903_csv
from hearth.returns.ssda903_columns import tables_for
from hearth.returns.years import SSDA903_YEARS, year_title


class Command(BaseCommand):
    help = ("Write the SSDA903 (children looked after) return for the collection year ending 31 March YEAR as "
            "DfE's CSV files, one per table, and log the export against every child in it.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, required=True,
                            help=f"The year the collection ends (31 March YEAR): {years_supported(SSDA903_YEARS)}")
        parser.add_argument("--output", required=True, help="The folder to write the CSV files into")
        parser.add_argument("--previous", help="A folder of last year's submitted CSV files, for the rules that "
                                               "compare years (default: last year rebuilt from the record)")
        add_council_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        year = options["year"]
        if year not in SSDA903_YEARS:
            raise CommandError(f"Hearth has no SSDA903 specification for {year_title(year)}. "
                               f"Years supported: {years_supported(SSDA903_YEARS)}.")
        output = Path(options["output"])
        check_folder_writable(output, kind="CSV files")
        previous = previous_903(options["previous"], year=year)
        council = council_from(options["council"])
        user = exporting_user(options["by"], council)

        started = time.perf_counter()
        ret = build_903(local_authority=council, year=year, previous=previous)
        if not ret.table("Header"):
            raise CommandError(f"No child was looked after in {year_title(year)}: there is no return to write.")
        try:
            write_903_csv(ret, output)
        except OSError as error:
            raise CommandError(f"Could not write to {output}: {error.strerror}") from error
        logged = log_command_export(command="export_ssda903", council=council, user=user,
                                    person_pks=ret.child_pks.values(), page=f"SSDA903 {year_title(year)} export")
        # Counts only, never a name or identifier.
        counts = ", ".join(f"{table} {len(ret.table(table)):,}" for table in tables_for(year))
        last_year = "last year's files" if previous is not None else "last year rebuilt from the record"
        self.stdout.write(f"SSDA903 {year_title(year)} for LA {council.dfe_la_number}: {counts} rows; "
                          f"compared with {last_year}; {logged:,} exports logged; written to {output} "
                          f"in {time.perf_counter() - started:.1f} s")
