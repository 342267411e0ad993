"""Print when a statutory clock falls due: ``manage.py deadline icpc 2024-12-20``."""

from __future__ import annotations

from argparse import ArgumentParser
from datetime import date, datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from hearth.clocks.models import holiday_set
from hearth.clocks.registry import NoTimescale, TimescaleError, due, get_rule
from hearth.clocks.services import local_overrides_for, term_dates_for
from hearth.clocks.working_days import LONDON
from hearth.tenancy.models import LocalAuthority


def parse_start(text: str) -> date | datetime:
    """``YYYY-MM-DD``, or a date and time such as ``2025-03-01T14:30`` (naive means Europe/London)."""
    try:
        if "T" in text or " " in text.strip():
            moment = datetime.fromisoformat(text.strip())
            return moment if moment.tzinfo else moment.replace(tzinfo=LONDON)
        return date.fromisoformat(text.strip())
    except ValueError:
        raise CommandError(
            f"'{text}' is not a date (YYYY-MM-DD) or a date and time (YYYY-MM-DDTHH:MM)"
        ) from None


class Command(BaseCommand):
    help = "Print the due date of a statutory timescale rule for an event on START (day 0)."
    # A calculator: no system checks, so its only output is the answer or one line of error.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("rule", help="Rule id from the timescale registry, for example icpc")
        parser.add_argument("start", help="Start event date YYYY-MM-DD, or YYYY-MM-DDTHH:MM for hour rules")
        parser.add_argument("--la", metavar="ONS_CODE", help="Use this council's local timescales and terms")
        parser.add_argument("--then", action="store_true", help="Use the rule's later interval")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            rule = get_rule(options["rule"])
            if rule.offset is None and not options["la"]:
                raise NoTimescale(rule.rule_id)
        except TimescaleError as error:
            raise CommandError(str(error)) from None
        start = parse_start(options["start"])
        local_authority = None
        if options["la"]:
            local_authority = LocalAuthority.objects.filter(ons_code=options["la"].strip().upper()).first()
            if local_authority is None:
                raise CommandError(f"No council has the ONS code '{options['la']}'")
        try:
            result = due(
                rule.rule_id,
                start,
                holidays=holiday_set(),
                local_overrides=local_overrides_for(local_authority),
                term_dates=term_dates_for(local_authority),
                then=options["then"],
            )
        except TimescaleError as error:
            raise CommandError(str(error)) from None
        text = result.astimezone(LONDON).isoformat() if isinstance(result, datetime) else result.isoformat()
        self.stdout.write(text)
