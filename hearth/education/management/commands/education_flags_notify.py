"""Daily: tell social workers about children on the education registers who became known to social care.

A child added to a register while in need, on a child protection plan or in care is told at once by
the service that adds them. A status that begins later (a new CP plan, a period of care) is found by
this run and told to the allocated social worker and their team manager. It remembers what it told
(``RegisterFlagNotice``), so running it twice, or every day, tells nobody the same thing again.

Schedule it once a day, after the night's imports, e.g. ``15 6 * * * manage.py education_flags_notify``.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from hearth.education.services import register_flags_notify
from hearth.tenancy.models import LocalAuthority

SYSTEM = "education_flags_notify"


class Command(BaseCommand):
    help = ("Tell social workers and their managers about children on the education registers who are now in "
            "need, on a child protection plan or in care (each status once).")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--council", help="ONS code of one council (default: every council)")

    def handle(self, *args: Any, **options: Any) -> None:
        councils = LocalAuthority.objects.order_by("pk")
        if options["council"]:
            councils = councils.filter(ons_code=options["council"])
            if not councils.exists():
                raise CommandError(f"No council with ONS code {options['council']}")
        total = 0
        for council in councils:
            total += register_flags_notify(local_authority=council, by=SYSTEM)
        # Counts only, never names.
        self.stdout.write(f"education_flags_notify: {total} notifications sent")
