"""The jobs a council runs once a day (cron or a scheduler): `python manage.py daily`.

Statuses that change with the calendar rather than with a save: young people who become eligible or
stop receiving leaving-care support on a birthday, and children on an education register whose social
care status began since yesterday. Each job prints only counts, never names.
"""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand

DAILY_JOBS = ("care_leavers_sync", "education_flags_notify")


class Command(BaseCommand):
    help = __doc__

    def handle(self, *args: Any, **options: Any) -> None:
        for job in DAILY_JOBS:
            call_command(job, stdout=self.stdout, stderr=self.stderr)
