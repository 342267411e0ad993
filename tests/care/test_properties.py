"""For any sequence of changes, valid or not, through the services: the timelines stay one-at-a-time and the
derived episodes are contiguous, never overlap, never last no time, begin S and end with the period's reason."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from hearth.care import services
from hearth.care.episodes import episodes_for_period
from hearth.care.models import CareLegalStatus, PeriodOfCare, Placement
from tests.factories import make_la, make_person

from .factories import FOSTER, HOME

STEP = st.tuples(
    st.sampled_from(["ls", "placement", "both", "end", "temporary"]),
    st.integers(-10, 40),  # days after the latest date so far; negative = a backdated entry
    st.booleans(),  # same carer
)
STATUSES = ["C1", "C2", "V2", "E1"]


class EpisodesStayWellFormed(TestCase):
    @settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(steps=st.lists(STEP, min_size=1, max_size=12))
    def test_any_sequence_of_changes(self, steps):
        la = make_la()
        child = make_person(la, date_of_birth=date(2012, 1, 1))
        start = date(2024, 1, 10)
        period = services.period_of_care_start(
            child=child, started_on=start, legal_status="C1", category_of_need="N2", referral_source="6",
            by="test", **FOSTER)
        latest = start
        for i, (kind, gap, same) in enumerate(steps):
            on = latest + timedelta(days=gap)
            status = STATUSES[i % len(STATUSES)]
            details = HOME if i % 2 else FOSTER
            try:
                if kind == "ls":
                    services.legal_status_change(period=period, legal_status=status, started_on=on, by="test")
                elif kind == "placement":
                    services.placement_change(period=period, started_on=on, reason_for_change="CARPL",
                                              same_carer_as_previous=same, by="test", **details)
                elif kind == "temporary":
                    services.placement_change(period=period, started_on=on, by="test", placement_type="T1")
                elif kind == "both":
                    services.legal_status_and_placement_change(
                        period=period, started_on=on, legal_status=status, reason_for_change="CARPL",
                        same_carer_as_previous=same, by="test", **details)
                else:
                    services.period_of_care_end(period=period, ended_on=on, reason_ceased="E4A", by="test")
            except ValidationError:
                continue
            latest = max(latest, on)
            period.refresh_from_db()

        period = PeriodOfCare.objects.get(pk=period.pk)
        assert Placement.objects.filter(period=period, ended_on__isnull=True).count() == (0 if period.ended_on else 1)
        assert CareLegalStatus.objects.filter(period=period, ended_on__isnull=True).count() == (
            0 if period.ended_on else 1)
        episodes = episodes_for_period(period)
        assert episodes[0].rne == "S" and episodes[0].decom == start
        for this, following in itertools.pairwise(episodes):
            assert this.dec == following.decom and this.rec == "X1"
            assert following.rne in {"L", "P", "T", "B", "U"}
        for episode in episodes:
            assert episode.dec is None or episode.dec > episode.decom
            assert episode.place and episode.ls
        if period.ended_on is None:
            assert (episodes[-1].dec, episodes[-1].rec) == (None, "")
        else:
            assert (episodes[-1].dec, episodes[-1].rec) == (period.ended_on, "E4A")
            assert not episodes[-1].place.startswith("T")  # a period cannot end in a temporary placement
