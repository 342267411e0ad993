"""Bank holidays from the ``holidays`` package, for the seed migration and ``seed_bank_holidays``.

Works with the real model or a migration's historical one, so the migration keeps working
when the model changes. Never touches a date already in the table: an administrator's edit
or removal always wins over the package.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

import holidays

DEFAULT_YEARS = range(2015, 2036)
PACKAGE_SOURCE = "holidays_package"


def package_holidays(years: Iterable[int]) -> dict[date, str]:
    """England and Wales holidays, including Christmas Day, Good Friday and substitute days."""
    found = holidays.country_holidays("GB", subdiv="ENG", years=list(years))
    return dict(sorted(found.items()))


def add_missing(model: Any, years: Iterable[int]) -> int:
    """Add the package's holidays whose dates are not in the table yet; returns how many."""
    wanted = package_holidays(years)
    present = set(model.objects.filter(date__in=list(wanted)).values_list("date", flat=True))
    missing = [model(date=day, name=name[:100], source=PACKAGE_SOURCE) for day, name in wanted.items()
               if day not in present]
    model.objects.bulk_create(missing)
    return len(missing)
