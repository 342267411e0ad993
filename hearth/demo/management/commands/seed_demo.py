from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from hearth.demo.council import DEMO_PASSWORD, DEMO_TOTP_KEY_HEX, SIZES, build_council
from hearth.tenancy.models import LocalAuthority


class Command(BaseCommand):
    help = "Load a synthetic council (invented people only) and print the demo logins."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--size", choices=sorted(SIZES), default="medium")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--error-rate", type=float, default=0.0,
                            help="Share of records given realistic recording mistakes (0 = none)")
        parser.add_argument("--if-empty", action="store_true", help="Do nothing if a council is already loaded")

    def handle(self, *args: Any, **options: Any) -> None:
        if not 0 <= options["error_rate"] <= 1:
            raise CommandError("--error-rate must be between 0 and 1")
        if LocalAuthority.objects.exists():
            if options["if_empty"]:
                self.stdout.write("A council is already loaded; leaving it as it is.")
                self._print_logins()
                return
            raise CommandError("A council is already loaded. Start from an empty database (make reset).")
        started = time.perf_counter()
        summary = build_council(size=options["size"], seed=options["seed"])
        elapsed = time.perf_counter() - started
        self.stdout.write(
            f"Loaded {summary.local_authority.name} ({options['size']}, seed {options['seed']}) in {elapsed:.1f}s: "
            f"{summary.teams} teams, {summary.staff} staff, {summary.children} children "
            f"({summary.restricted} restricted, {summary.sealed} sealed), {summary.allocations} allocations."
        )
        if summary.restricted_example is not None:
            self.stdout.write(
                f"A restricted record in another team, to try breaking the glass as sw.demo: "
                f"/children/{summary.restricted_example.pk}/"
            )
        self._print_logins()

    def _print_logins(self) -> None:
        import base64

        secret = base64.b32encode(bytes.fromhex(DEMO_TOTP_KEY_HEX)).decode()
        self.stdout.write("")
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD})")
        rows = [
            ("sw.demo", "Social worker, Safeguarding North"),
            ("sw.totp", f"Social worker who signs in with a security code; authenticator key {secret}"),
            ("tm.demo", "Team manager of sw.demo's team; sees break-glass alerts and access logs"),
            ("sp.demo", "Senior practitioner"),
            ("hos.demo", "Service manager / head of service"),
            ("dcs.demo", "Director of children's services"),
            ("iro.demo", "IRO / child protection chair"),
            ("pa.demo", "Personal adviser"),
            ("mfh.demo", "Missing from home advocate"),
            ("bs.demo", "Business support"),
            ("analyst.demo", "Performance analyst (no access to individual records)"),
            ("admin.demo", "System administrator (bank holiday calendar)"),
            ("dsl.demo", "Partner referrer: a school's designated safeguarding lead"),
        ]
        for username, what in rows:
            self.stdout.write(f"  {username:<14} {what}")
