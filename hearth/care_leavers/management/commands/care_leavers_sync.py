"""Bring every young person's leaving-care clocks into line with their status today.

Run daily: a young person becomes eligible on the day their 13 weeks or their 16th birthday arrive, and
support ends at 21 or 25, without anyone saving anything. Prints only counts, never names.
"""

from __future__ import annotations

from typing import Any

from dateutil.relativedelta import relativedelta
from django.core.management.base import BaseCommand
from django.db.models import Exists, OuterRef
from django.utils import timezone

from hearth.care.models import PeriodOfCare
from hearth.care_leavers.selectors import OLDEST, YOUNGEST
from hearth.care_leavers.services import care_leaver_sync
from hearth.people.models import Person


class Command(BaseCommand):
    help = __doc__

    def handle(self, *args: Any, **options: Any) -> None:
        today = timezone.localdate()
        people = (
            Person.objects.filter(date_of_birth__gt=today - relativedelta(years=OLDEST + 1),
                                  date_of_birth__lte=today - relativedelta(years=YOUNGEST), merged_into__isnull=True)
            .filter(Exists(PeriodOfCare.objects.filter(child_id=OuterRef("pk"))))
            .order_by("pk")
        )
        checked = 0
        for person in people.iterator(chunk_size=500):
            care_leaver_sync(child=person, by="care_leavers_sync", today=today)
            checked += 1
        self.stdout.write(f"Checked {checked} young people")
