from __future__ import annotations

import pytest

from tests.finance.factories import TODAY


@pytest.fixture(autouse=True)
def finance_today(monkeypatch):
    """The finance pages read "today" from the indicators' clock: 23 November 2026, in financial year 2026."""
    monkeypatch.setattr("hearth.indicators.compute.today", lambda: TODAY)
    return TODAY
