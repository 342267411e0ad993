"""``manage.py import_people FILE.csv [--council ONS_CODE]``: people from another system, row by row.

Rejected rows go to standard error as ``row 7: nhs_number: ...``; the good rows are kept. The last
line on standard output sums up: created, updated, unchanged, rejected. The exit status is 0 even
when some rows were rejected (the rejections are the report), and 1 when the file cannot be read.
"""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from hearth.people.importing import ImportFileError, import_people, read_rows
from hearth.tenancy.models import LocalAuthority


class Command(BaseCommand):
    help = "Import people from a CSV file (see the README's Importing people section for the columns)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", help="CSV file, UTF-8, with a header row")
        parser.add_argument("--council", metavar="ONS_CODE",
                            help="The council's ONS code, e.g. E06000018. Needed when Hearth holds more than one.")

    def handle(self, *args: Any, **options: Any) -> None:
        council = self._council(options.get("council"))
        try:
            result = import_people(rows=read_rows(options["file"]), local_authority_id=council.pk)
        except ImportFileError as error:
            raise CommandError(str(error)) from None
        for row, reasons in result.rejected:
            self.stderr.write(f"row {row}: {'; '.join(reasons)}")
        self.stdout.write(f"{council.name}: {result.summary}")

    def _council(self, ons_code: str | None) -> LocalAuthority:
        if ons_code:
            council = LocalAuthority.objects.filter(ons_code=ons_code.strip().upper()).first()
            if council is None:
                raise CommandError(f"No council with ONS code {ons_code} on this Hearth")
            return council
        councils = list(LocalAuthority.objects.all()[:2])
        if len(councils) != 1:
            raise CommandError("Give the council with --council ONS_CODE" if councils else
                               "There is no council on this Hearth yet: run seed_demo or create one first")
        return councils[0]
