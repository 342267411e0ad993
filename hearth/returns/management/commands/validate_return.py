"""Check a return from the live record against the DfE validation rules and print what is wrong.

    python manage.py validate_return ssda903 --year 2026 [--council 892] [--previous DIR] [--queries]
    python manage.py validate_return cin --year 2026

One line per finding, ``RULE<TAB>CHILD<TAB>FIELDS<TAB>MESSAGE`` (errors, then queries with --queries), then
a summary line. The exit status is 1 when there is any error, else 0. Children are named only by their
Hearth ID, never by name.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from hearth.returns.rules.base import ERROR, QUERY, Finding, ValidationResult, validate_903, validate_cin
from hearth.returns.years import CIN_YEARS, SSDA903_YEARS, year_title
from hearth.tenancy.models import LocalAuthority

YEARS = {"cin": CIN_YEARS, "ssda903": SSDA903_YEARS}
NAMES = {"cin": "CIN census", "ssda903": "SSDA903"}


def council_from(number: str | None) -> LocalAuthority:
    """The council named by its DfE LA number, or the only one loaded."""
    if number:
        found = LocalAuthority.objects.filter(dfe_la_number=number).first()
        if found is None:
            raise CommandError(f"No council with DfE LA number {number} is loaded")
        return found
    councils = list(LocalAuthority.objects.order_by("dfe_la_number")[:50])
    if not councils:
        raise CommandError("No council is loaded")
    if len(councils) > 1:
        numbers = ", ".join(c.dfe_la_number for c in councils)
        raise CommandError(f"More than one council is loaded: say which with --council ({numbers})")
    return councils[0]


def _clean(text: str) -> str:
    return " ".join(str(text).split())


class Command(BaseCommand):
    help = "Validate the CIN census or the SSDA903 for a collection year against the DfE rules"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=sorted(YEARS), help="cin or ssda903")
        parser.add_argument("--year", type=int, required=True,
                            help="The collection year, by the year it ENDS: 2026 is 1 April 2025 to 31 March 2026")
        parser.add_argument("--council", help="The council's DfE LA number, when more than one is loaded")
        parser.add_argument("--previous", help="SSDA903 only: a folder with last year's CSV files as submitted "
                                               "(else last year is made from the live record)")
        parser.add_argument("--queries", action="store_true", help="List the queries as well as the errors")

    def handle(self, *args: Any, **options: Any) -> None:
        kind: str = options["kind"]
        year: int = options["year"]
        if year not in YEARS[kind]:
            supported = ", ".join(str(y) for y in YEARS[kind])
            raise CommandError(f"Hearth can validate the {NAMES[kind]} for the collection years ending 31 March "
                               f"{supported}, not {year}")
        if options["previous"] and kind != "ssda903":
            raise CommandError("--previous is for the SSDA903 only: the CIN census has no cross-year rules")
        council = council_from(options["council"])
        started = time.perf_counter()
        result = self._validate_903(council, year, options["previous"]) if kind == "ssda903" else \
            self._validate_cin(council, year)
        seconds = time.perf_counter() - started

        errors = [f for f in result.findings if f.severity == ERROR]
        queries = [f for f in result.findings if f.severity == QUERY]
        for finding in errors + (queries if options["queries"] else []):
            self.stdout.write(self._line(finding))
        self.stdout.write(
            f"{NAMES[kind]} {year_title(year)}: {len(result.rules_run)} rules run, {len(result.not_run)} not run, "
            f"{len(errors)} error{'s' if len(errors) != 1 else ''}, {len(queries)} quer"
            f"{'ies' if len(queries) != 1 else 'y'}, {seconds:.1f} seconds")
        if errors:
            sys.exit(1)

    @staticmethod
    def _line(finding: Finding) -> str:
        return "\t".join((finding.rule, finding.child or "-", ",".join(finding.fields) or "-",
                          _clean(finding.message)))

    def _validate_903(self, council: LocalAuthority, year: int, previous_dir: str | None) -> ValidationResult:
        from hearth.returns.ssda903 import build_903, read_903_csv

        previous = None
        if previous_dir:
            folder = Path(previous_dir)
            if not folder.is_dir():
                raise CommandError(f"{folder} is not a folder of last year's SSDA903 CSV files")
            try:
                previous = read_903_csv(folder, year=year - 1)
            except ValueError as error:
                raise CommandError(f"Last year's return could not be read: {error}") from None
        ret = build_903(local_authority=council, year=year, previous=previous, with_previous=True)
        return validate_903(ret)

    def _validate_cin(self, council: LocalAuthority, year: int) -> ValidationResult:
        from hearth.returns.cin_census import build_cin, cin_xml, xsd_errors

        census = build_cin(local_authority=council, year=year)
        result = validate_cin(census)
        # What DfE's upload would refuse first: the file against the year's schema.
        result.findings[:0] = [Finding(rule="Schema", severity=ERROR, message=message, child="", table="Schema",
                                       fields=()) for message in xsd_errors(cin_xml(census), year=year)]
        return result
