"""The clock arithmetic on the child protection path, with the bank holidays of timescales.md §2."""

from __future__ import annotations

from datetime import date

import pytest

from hearth.clocks.models import holiday_set
from hearth.clocks.registry import due


@pytest.mark.parametrize(("rule_id", "start", "expected"), [
    ("icpc", date(2024, 12, 20), date(2025, 1, 15)),  # Fri; skips 25, 26 Dec and 1 Jan
    ("transfer_in_conference", date(2024, 12, 20), date(2025, 1, 15)),
    ("core_group_first", date(2025, 12, 22), date(2026, 1, 8)),  # Mon; skips 25, 26 Dec and 1 Jan
    ("core_group_first", date(2025, 4, 17), date(2025, 5, 6)),  # skips Good Friday, Easter Monday, 5 May
    ("rcpc_first", date(2024, 11, 30), date(2025, 2, 28)),  # clamped to the month end
    ("rcpc_first", date(2024, 11, 29), date(2025, 2, 28)),  # no 29 February in 2025
    ("rcpc_next", date(2025, 8, 29), date(2026, 2, 28)),
    ("rcpc_next", date(2025, 10, 31), date(2026, 4, 30)),
    ("cp_visit", date(2025, 12, 22), date(2026, 1, 8)),  # the national default: 10 working days
    ("core_group_next", date(2025, 12, 22), date(2026, 1, 19)),  # 4 weeks, holidays do not move it
])
def test_due_dates_on_the_protection_path(db, rule_id, start, expected):
    assert due(rule_id, start, holidays=holiday_set()) == expected


def test_a_councils_visit_interval_overrides_the_default(db):
    assert due("cp_visit", date(2024, 12, 20), holidays=holiday_set(),
               local_overrides={"cp_visit": (5, "working_days")}) == date(2024, 12, 31)
