"""Freeze the month's indicators as reported, for the board's "as reported and now".

    python manage.py freeze_indicator_snapshots [--month YYYY-MM] [--council DFE_NUMBER]

Default: the month that has just ended, for every council (run it from cron on the 1st). Safe to run again:
a month already frozen is never overwritten. Prints one line per council; nothing about any child.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from hearth.indicators.management.councils import council_numbered
from hearth.indicators.services import snapshots_freeze_due


class Command(BaseCommand):
    help = "Freeze every indicator for a month end (default: the month just ended), for each council"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--month", help="The month to freeze, as YYYY-MM (default: the month just ended)")
        parser.add_argument("--council", help="DfE LA number of one council (default: every council)")

    def handle(self, *args: Any, **options: Any) -> None:
        month = None
        if options["month"]:
            if not re.fullmatch(r"\d{4}-\d{2}", options["month"]) or not 1 <= int(options["month"][5:]) <= 12:
                raise CommandError(f"Give the month as YYYY-MM, for example 2026-10 (got {options['month']!r})",
                                   returncode=2)
            month = date.fromisoformat(f"{options['month']}-01")
        la = council_numbered(options["council"]) if options["council"] else None
        try:
            done = snapshots_freeze_due(by="freeze_indicator_snapshots", month=month, local_authority=la)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages), returncode=2) from None
        for council, frozen in done:
            already = len(frozen.snapshots) - frozen.created
            self.stdout.write(f"{council.name} ({council.dfe_la_number}): {frozen.month_end:%d %B %Y}: "
                              f"{frozen.created} indicators frozen, {already} already frozen")
