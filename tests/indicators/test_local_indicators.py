"""Local indicators: return home interviews offered or held within 72 hours (rhi_in_time)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from django.utils import timezone

from hearth.indicators.registry import GROUP_TITLES, get
from hearth.missing.codes import InterviewResponse
from hearth.missing.models import ReturnInterview
from tests.factories import make_team

from .factories_cla import BY, allocate, child, run, went_missing

START, END = date(2025, 4, 1), date(2026, 3, 31)
ZONE = timezone.get_current_timezone()


def returned(la, back: date, *, offered_after: float | None = None, held_after: float | None = None,
             declined: bool = False, kind: str = "M", team=None) -> ReturnInterview:
    """A child missing the day before ``back`` and back at 09:00 on it, with their interview (due 72 hours on),
    offered and/or held that many hours after the return."""
    kid = child(la)
    if team is not None:
        allocate(kid, team, None, date(2024, 1, 1))
    episode = went_missing(kid, back - timedelta(days=1), back, kind=kind, from_care=False)
    assert episode.ended_at is not None
    back_at = episode.ended_at
    interview = ReturnInterview(local_authority_id=la.pk, child=kid, episode=episode,
                                due_at=back_at + timedelta(hours=72))
    if offered_after is not None:
        interview.offered_at = back_at + timedelta(hours=offered_after)
    if held_after is not None:
        interview.completed_at = back_at + timedelta(hours=held_after)
    if declined:
        interview.response = InterviewResponse.DECLINED
    interview.save(by=BY)
    return interview


def test_rhi_in_time_counts_every_return_once(la):
    team = make_team(la)
    met = [
        returned(la, date(2025, 5, 1), offered_after=2, held_after=48, team=team),  # offered and held in time
        returned(la, date(2025, 6, 1), offered_after=72),  # offered on the 72nd hour: in time
        returned(la, date(2025, 7, 1), offered_after=10, declined=True),  # offered in time, declined: met
        returned(la, date(2025, 8, 1), offered_after=24, held_after=100, kind="A"),  # away, offered in time
    ]
    missed = [
        returned(la, date(2025, 9, 1), offered_after=73),  # an hour late
        returned(la, date(2025, 10, 1), declined=True),  # declined, no offer recorded in time: not met
        returned(la, date(2025, 11, 1)),  # not yet offered
    ]
    returned(la, date(2025, 3, 31), offered_after=1)  # back the day before the period
    returned(la, date(2026, 4, 1), offered_after=1)  # back the day after
    result = run("rhi_in_time", la, START, END)
    # 4 of the 7 returns in the period: 57.1%.
    assert (result.numerator, result.denominator) == (4, 7)
    assert result.value == pytest.approx(400 / 7)
    assert sorted(m.key for m in result.tally.numerator) == sorted(f"missing.returninterview:{i.pk}" for i in met)
    assert len(result.tally.denominator or []) == len(met) + len(missed)
    first = next(m for m in result.tally.numerator if m.key == f"missing.returninterview:{met[0].pk}")
    assert (first.on, first.child_id, first.team_id) == (date(2025, 5, 1), met[0].child_id, team.pk)
    declined = next(m for m in result.tally.denominator or [] if m.key.endswith(f":{missed[1].pk}"))
    assert declined.note == "Not offered within 72 hours (declined)"


def test_rhi_in_time_is_a_local_measure_in_its_own_group():
    ind = get("rhi_in_time")
    assert (ind.group, ind.unit, ind.polarity, ind.lait_code) == ("missing", "percent", "high", "")
    assert GROUP_TITLES["missing"] == "Missing from home"


def test_a_return_at_night_counts_on_its_london_day(la):
    kid = child(la)
    episode = went_missing(kid, date(2025, 3, 30), None, from_care=False)
    # Back at 00:30 London time on 1 April (23:30 on 31 March in UTC during summer time).
    episode.ended_at = datetime.combine(date(2025, 4, 1), time(0, 30), ZONE)
    episode.save(by=BY)
    ReturnInterview(local_authority_id=la.pk, child=kid, episode=episode,
                    due_at=episode.ended_at + timedelta(hours=72)).save(by=BY)
    result = run("rhi_in_time", la, START, END)
    assert result.denominator == 1 and (result.tally.denominator or [])[0].on == date(2025, 4, 1)
