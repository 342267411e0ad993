"""python manage.py export_annex_a --start 2026-05-01 --end 2026-10-31 --output annex_a.xlsx [--council 892]
[--by USERNAME]"""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from hearth.returns.annex_a import annex_a_xlsx, build_annex_a
from hearth.returns.cli import (
    add_council_arguments,
    check_file_writable,
    council_from,
    exporting_user,
    log_command_export,
)


class Command(BaseCommand):
    help = ("Write Ofsted's Annex A (Lists 1 to 11) for the window START to END as an Excel workbook, check its "
            "headers and labels against Ofsted's, and log the export against every child in it.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--start", required=True, help="First day of the window, YYYY-MM-DD (usually 6 months "
                                                           "before the inspection)")
        parser.add_argument("--end", required=True, help="Last day of the window, YYYY-MM-DD (today or earlier)")
        parser.add_argument("--output", required=True, help="The .xlsx file to write")
        add_council_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        start, end = _day(options["start"], "--start"), _day(options["end"], "--end")
        today = timezone.localdate()
        if end > today:
            raise CommandError(f"--end {end:%Y-%m-%d} is in the future: the window must end today "
                               f"({today:%Y-%m-%d}) or earlier")
        if start > end:
            raise CommandError(f"--start {start:%Y-%m-%d} is after --end {end:%Y-%m-%d}")
        output = Path(options["output"])
        check_file_writable(output, kind="Excel workbook", suffix=".xlsx")
        council = council_from(options["council"])
        user = exporting_user(options["by"], council)

        started = time.perf_counter()
        annex = build_annex_a(local_authority=council, start=start, end=end)
        content = annex_a_xlsx(annex)
        try:
            output.write_bytes(content)
        except OSError as error:
            raise CommandError(f"Could not write {output}: {error.strerror}") from error
        logged = log_command_export(command="export_annex_a", council=council, user=user,
                                    person_pks=annex.person_pks,
                                    page=f"Annex A {start:%d/%m/%Y} to {end:%d/%m/%Y} export")
        # Counts only, never a name or an identifier.
        counts = ", ".join(f"{name} {n:,}" for name, n in annex.counts.items())
        self.stdout.write(f"Annex A for LA {council.dfe_la_number}, {start:%d/%m/%Y} to {end:%d/%m/%Y}: {counts} "
                          f"rows; {len(annex.person_pks):,} children, {logged:,} exports logged; written to {output} "
                          f"in {time.perf_counter() - started:.1f} s")
        for problem in annex.problems:
            self.stderr.write(f"Check before sending: {problem}")
        if annex.problems:
            raise CommandError(f"The workbook was written, but {len(annex.problems)} header or label problem(s) "
                               "need putting right before it goes to Ofsted (listed above)")


def _day(text: str, option: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as error:
        raise CommandError(f"{option} must be a date written YYYY-MM-DD, such as 2026-10-31 (got {text!r})") \
            from error
