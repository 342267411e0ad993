"""python manage.py export_annex_a --start 2026-05-01 --end 2026-10-31 --output annex_a.xlsx [--council 892]
[--by USERNAME]"""

from __future__ import annotations

import os
import time
from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from hearth.accounts.models import User
from hearth.returns.annex_a import annex_a_xlsx, build_annex_a
from hearth.returns.services import log_export
from hearth.tenancy.models import LocalAuthority

SYSTEM = "manage.py export_annex_a"


class Command(BaseCommand):
    help = ("Write Ofsted's Annex A (Lists 1 to 11) for the window START to END as an Excel workbook, check its "
            "headers and labels against Ofsted's, and log the export against every child in it.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--start", required=True, help="First day of the window, YYYY-MM-DD (usually 6 months "
                                                           "before the inspection)")
        parser.add_argument("--end", required=True, help="Last day of the window, YYYY-MM-DD (today or earlier)")
        parser.add_argument("--output", required=True, help="The .xlsx file to write")
        parser.add_argument("--council", help="DfE LA number of the council (needed when more than one is loaded)")
        parser.add_argument("--by", help="Username of the person exporting (default: logged as this command)")

    def handle(self, *args: Any, **options: Any) -> None:
        start, end = _day(options["start"], "--start"), _day(options["end"], "--end")
        today = timezone.localdate()
        if end > today:
            raise CommandError(f"--end {end:%Y-%m-%d} is in the future: the window must end today "
                               f"({today:%Y-%m-%d}) or earlier")
        if start > end:
            raise CommandError(f"--start {start:%Y-%m-%d} is after --end {end:%Y-%m-%d}")
        output = Path(options["output"])
        _check_writable(output)
        council = _council(options["council"])
        user = _user(options["by"], council)

        started = time.perf_counter()
        annex = build_annex_a(local_authority=council, start=start, end=end)
        content = annex_a_xlsx(annex)
        try:
            output.write_bytes(content)
        except OSError as error:
            raise CommandError(f"Could not write {output}: {error.strerror}") from error
        logged = log_export(local_authority_id=council.pk, person_pks=annex.person_pks, user=user, system=SYSTEM,
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


def _check_writable(output: Path) -> None:
    if output.suffix.lower() != ".xlsx":
        raise CommandError(f"--output must be an Excel workbook ending .xlsx (got {output.name or output})")
    if output.is_dir():
        raise CommandError(f"{output} is a folder: give the name of the .xlsx file to write")
    folder = output.parent if str(output.parent) else Path(".")
    if not folder.is_dir():
        raise CommandError(f"The folder {folder} does not exist")
    if not os.access(folder, os.W_OK) or (output.exists() and not os.access(output, os.W_OK)):
        raise CommandError(f"Cannot write {output}: permission denied")


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
