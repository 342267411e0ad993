"""The decision clock for every moment a contact can arrive."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hearth.clocks.models import holiday_set
from hearth.clocks.working_days import LONDON, is_working_day, working_days_between
from hearth.front_door.services import contact_decision_due

moments = st.datetimes(min_value=datetime(2016, 1, 1), max_value=datetime(2034, 12, 31),
                       timezones=st.just(UTC))


@pytest.mark.django_db
@settings(max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(moment=moments)
def test_decision_due_is_the_next_working_day_after_the_day_received(moment: datetime) -> None:
    holidays = holiday_set()
    received_on = moment.astimezone(LONDON).date()
    due_on = contact_decision_due(moment)
    assert due_on > received_on
    assert is_working_day(due_on, holidays)
    # Exactly one working day later: nothing in between is a working day.
    assert working_days_between(received_on, due_on, holidays) == 1
    assert all(not is_working_day(received_on + timedelta(days=n), holidays)
               for n in range(1, (due_on - received_on).days))
