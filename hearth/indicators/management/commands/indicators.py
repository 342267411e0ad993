"""Every indicator for a period, from the live record, for scripts and spreadsheets.

    python manage.py indicators --period 2025-04-01:2026-03-31 --format csv [--council 892] [--codes a,b]

CSV: a header ``code,title,numerator,denominator,value,unit`` and one row per indicator, the value rounded
to the indicator's decimals (blank when there is none, e.g. no denominator); an indicator Hearth cannot
compute has blank figures. ``--format table`` lines the same up for people. Figures only: no child is ever
named. A bad period, council or code is refused with exit status 2.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from hearth.indicators.compute import results
from hearth.indicators.management.councils import council_numbered
from hearth.indicators.registry import REGISTRY, Result, parse_period
from hearth.tenancy.models import LocalAuthority

HEADER = ["code", "title", "numerator", "denominator", "value", "unit"]


def _number(value: float | None, decimals: int = 2) -> str:
    if value is None:
        return ""
    if float(value).is_integer():
        return str(int(value))
    return f"{round(value, decimals):.{decimals}f}".rstrip("0").rstrip(".")


def row(result: Result) -> list[str]:
    ind = result.indicator
    if ind.unavailable:
        return [ind.code, ind.title, "", "", "", ind.unit]
    value = "" if result.value is None else f"{round(result.value, ind.decimals):.{ind.decimals}f}"
    return [ind.code, ind.title, _number(result.numerator), _number(result.denominator), value, ind.unit]


class Command(BaseCommand):
    help = "Print every indicator (code, title, numerator, denominator, value, unit) for a period"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--period", required=True, help="YYYY-MM-DD:YYYY-MM-DD, both days included")
        parser.add_argument("--format", choices=("csv", "table"), default="table")
        parser.add_argument("--council", help="DfE LA number of the council (needed when more than one is loaded)")
        parser.add_argument("--codes", help="Only these indicators, comma-separated (default: every one)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            start, end = parse_period(options["period"])
        except ValueError as error:
            raise CommandError(str(error), returncode=2) from None
        council = self._council(options["council"])
        codes = None
        if options["codes"]:
            codes = [c.strip() for c in options["codes"].split(",") if c.strip()]
            unknown = [c for c in codes if c not in REGISTRY]
            if unknown or not codes:
                raise CommandError(f"No indicator {', '.join(unknown) or '(none given)'}; the codes are: "
                                   f"{', '.join(REGISTRY)}", returncode=2)
        rows = [row(r) for r in results(local_authority=council, start=start, end=end, codes=codes)]
        if options["format"] == "csv":
            buffer = io.StringIO()
            writer = csv.writer(buffer, lineterminator="\n")
            writer.writerow(HEADER)
            writer.writerows(rows)
            self.stdout.write(buffer.getvalue(), ending="")
            return
        self.stdout.write(f"{council.name}: {start:%-d %B %Y} to {end:%-d %B %Y}")
        table = [HEADER, *rows]
        widths = [max(len(r[i]) for r in table) for i in range(len(HEADER))]
        numeric = {2, 3, 4}
        for line in table:
            cells = [c.rjust(w) if i in numeric else c.ljust(w) for i, (c, w) in enumerate(zip(line, widths,
                                                                                              strict=True))]
            self.stdout.write("  ".join(cells).rstrip())

    @staticmethod
    def _council(number: str | None) -> LocalAuthority:
        if number:
            return council_numbered(number)
        councils = list(LocalAuthority.objects.order_by("dfe_la_number")[:50])
        if not councils:
            raise CommandError("No council is loaded", returncode=2)
        if len(councils) > 1:
            numbers = ", ".join(c.dfe_la_number for c in councils)
            raise CommandError(f"More than one council is loaded: say which with --council ({numbers})",
                               returncode=2)
        return councils[0]
