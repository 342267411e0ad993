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
from typing import TYPE_CHECKING, Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from hearth.returns.cli import add_council_arguments, council_from, previous_903
from hearth.returns.rules.base import ERROR, QUERY, Finding, ValidationResult, validate_903, validate_cin
from hearth.returns.years import CIN_YEARS, SSDA903_YEARS, year_title

if TYPE_CHECKING:
    from hearth.tenancy.models import LocalAuthority

YEARS = {"cin": CIN_YEARS, "ssda903": SSDA903_YEARS}
NAMES = {"cin": "CIN census", "ssda903": "SSDA903"}


def _clean(text: str) -> str:
    return " ".join(str(text).split())


class Command(BaseCommand):
    help = "Validate the CIN census or the SSDA903 for a collection year against the DfE rules"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=sorted(YEARS), help="cin or ssda903")
        parser.add_argument("--year", type=int, required=True,
                            help="The collection year, by the year it ENDS: 2026 is 1 April 2025 to 31 March 2026")
        add_council_arguments(parser, by=False)
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
        from hearth.returns.ssda903 import build_903

        previous = previous_903(previous_dir, year=year)
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
