"""python manage.py export_cin_census --year 2026 --output cin_2025_26.xml [--council 892] [--by USERNAME]"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from hearth.returns.cin_census import build_cin, cin_xml, xsd_errors
from hearth.returns.cli import (
    add_council_arguments,
    check_file_writable,
    council_from,
    exporting_user,
    log_command_export,
    years_supported,
)
from hearth.returns.years import CIN_YEARS, year_title

SHOWN_ERRORS = 10


class Command(BaseCommand):
    help = ("Write the CIN census for the collection year ending 31 March YEAR as DfE's XML, checked against "
            "the year's schema, and log the export against every child in it.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, required=True,
                            help=f"The year the census ends (31 March YEAR): {years_supported(CIN_YEARS)}")
        parser.add_argument("--output", required=True, help="The XML file to write")
        add_council_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        year = options["year"]
        if year not in CIN_YEARS:
            if year > max(CIN_YEARS):
                raise CommandError(
                    f"There is no CIN census schema for {year_title(year)} here yet. From 2026/27 DfE adds the "
                    "pre-proceedings and family group decision-making module, which is not in the schema files "
                    f"Hearth has (returns.md B.2 and B.5). Years supported: {years_supported(CIN_YEARS)}.")
            raise CommandError(f"There is no CIN census schema for {year_title(year)}. "
                               f"Years supported: {years_supported(CIN_YEARS)}.")
        output = Path(options["output"])
        check_file_writable(output, kind="XML file")
        council = council_from(options["council"])
        user = exporting_user(options["by"], council)

        started = time.perf_counter()
        census = build_cin(local_authority=council, year=year)
        if not census.children:
            raise CommandError(f"No child had a referral open in {year_title(year)}: there is no census to write.")
        xml = cin_xml(census)
        errors = xsd_errors(xml, year=year)
        if errors:
            shown = "\n  ".join(errors[:SHOWN_ERRORS])
            raise CommandError(f"The census does not match DfE's schema for {year_title(year)} "
                               f"({len(errors)} problems), so no file was written. The first:\n  {shown}")
        try:
            output.write_bytes(xml)
        except OSError as error:
            raise CommandError(f"Could not write {output}: {error.strerror}") from error
        logged = log_command_export(command="export_cin_census", council=council, user=user,
                                    person_pks=[c.person_pk for c in census.children if c.person_pk is not None],
                                    page=f"CIN census {year_title(year)} export")

        details = [d for c in census.children for d in c.details]
        counts = {
            "children": len(census.children),
            "referrals": len(details),
            "assessments": sum(len(d.assessments) for d in details),
            "CIN plans": sum(len(d.cin_plans) for d in details),
            "section 47 enquiries": sum(len(d.section47s) for d in details),
            "CP plans": sum(len(d.cp_plans) for d in details),
        }
        # Counts only, never a name or identifier.
        self.stdout.write(f"CIN census {year_title(year)} for LA {council.dfe_la_number}: "
                          + ", ".join(f"{n:,} {label}" for label, n in counts.items())
                          + f"; valid against CIN_schema_{year}.xsd; {logged:,} exports logged; "
                          f"written to {output} in {time.perf_counter() - started:.1f} s")
