"""Rules that hold whatever is typed: a reserve never goes below nothing on any day, and allocations never add up
to more than their grant."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from hearth.finance import services
from hearth.finance.models import GrantAllocation, ReserveMovement
from tests.factories import make_la
from tests.finance.factories import TODAY

OPENED = date(2026, 1, 1)
pounds_st = st.integers(min_value=-300, max_value=200).map(lambda n: Decimal(n * 1000))
day_st = st.integers(min_value=0, max_value=(TODAY - OPENED).days).map(lambda n: OPENED + timedelta(days=n))


class ReserveNeverOverdrawn(TestCase):
    @settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(moves=st.lists(st.tuples(day_st, pounds_st), min_size=1, max_size=8))
    def test_every_days_balance_stays_at_or_above_nothing(self, moves):
        la = make_la()
        reserve = services.reserve_create(local_authority=la, name="R", opening_balance="250000", opened_on=OPENED,
                                          by="test", today=TODAY)
        for moved_on, amount in moves:
            try:
                services.reserve_movement_record(reserve=reserve, moved_on=moved_on, amount=amount, purpose="p",
                                                 by="test", today=TODAY)
            except ValidationError as refused:
                # Refused only for a reason it can name: nothing moved, or too much drawn.
                assert amount == 0 or amount < 0, refused
            stored = list(ReserveMovement.objects.filter(reserve=reserve).values_list("moved_on", "amount"))
            for day in {d for d, _ in stored}:  # the balance at the end of every day a movement is dated
                assert reserve.opening_balance + sum(a for d, a in stored if d <= day) >= 0


class AllocationsNeverExceedTheGrant(TestCase):
    @settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(amounts=st.lists(st.integers(min_value=0, max_value=600), min_size=1, max_size=6))
    def test_allocated_is_never_more_than_the_grant(self, amounts):
        la = make_la()
        grant = services.grant_create(local_authority=la, name="G", funder="DfE", amount="1000",
                                      starts_on=date(2026, 4, 1), ends_on=date(2027, 3, 31), by="test")
        for amount in amounts:
            before = sum(GrantAllocation.objects.filter(grant=grant).values_list("amount", flat=True))
            try:
                services.grant_allocation_add(grant=grant, spend_area="a", amount=amount, by="test")
            except ValidationError:
                assert amount == 0 or before + amount > 1000
            else:
                assert before + amount <= 1000
        assert sum(GrantAllocation.objects.filter(grant=grant).values_list("amount", flat=True)) <= 1000
