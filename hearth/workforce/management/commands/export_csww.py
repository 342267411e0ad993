"""python manage.py export_csww --year 2026 --output DIR [--council 892] [--by USERNAME]"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from hearth.returns.cli import add_council_arguments, check_folder_writable, council_from, exporting_user
from hearth.workforce.csww import (
    SCHEMA_NAME,
    CensusError,
    census_files,
    csww_export_log,
    summary_lines,
    write_files,
)
from hearth.workforce.measures import census_date, latest_census_year


class Command(BaseCommand):
    help = ("Write the children's social work workforce census for 30 September YEAR as DfE's XML (checked against "
            "the 2022 schema) with a CSV of the same rows, into DIR, and log the export in the audit trail. Prints "
            "figures only, never a person.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, required=True,
                            help="The census year: the census is at 30 September YEAR (the year 1 October "
                                 "YEAR-1 to 30 September YEAR)")
        parser.add_argument("--output", required=True, help="The folder to write csww_YEAR.xml and csww_YEAR.csv into")
        add_council_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        year: int = options["year"]
        today = timezone.localdate()
        if census_date(year) > today:
            raise CommandError(
                f"The census for 30 September {year} cannot be written yet: that day has not come. The latest census "
                f"year is {latest_census_year(today)}.")
        output = Path(options["output"])
        check_folder_writable(output, kind="census files")
        council = council_from(options["council"])
        user = exporting_user(options["by"], council)

        started = time.perf_counter()
        try:
            files = census_files(local_authority=council, year=year)
        except CensusError as error:
            raise CommandError(f"{error} No file was written.") from error
        try:
            xml_path, csv_path = write_files(files, output)
        except OSError as error:
            raise CommandError(f"Could not write to {output}: {error.strerror}") from error
        csww_export_log(local_authority=council, census=files.census, by=user or "manage.py export_csww",
                        where=str(output))
        # Figures only, never a name or a registration number.
        self.stdout.write(f"CSWW census at 30 September {year} for LA {council.dfe_la_number}")
        for line in summary_lines(files.census):
            self.stdout.write(f"  {line}")
        self.stdout.write(f"  Valid against {SCHEMA_NAME}; written to {xml_path} and {csv_path} in "
                          f"{time.perf_counter() - started:.1f} s; the export is logged in the audit trail")
