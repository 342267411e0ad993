"""Indicators of our own for the compute, snapshot and command tests, registered only while a test runs (the
real definitions are swapped out and put back), and small builders for the records they count."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import date
from typing import Any

import pytest

from hearth.accounts.models import Team
from hearth.audit.actor import acting_as
from hearth.cin.models import Assessment, CINEpisode
from hearth.indicators import compute, registry
from hearth.indicators.registry import Indicator, Member, Period, Tally, indicator, key
from hearth.tenancy.models import LocalAuthority
from tests.factories import make_person

COMPUTED: Counter[str] = Counter()  # how many times each test indicator was computed


def _referrals(period: Period) -> Tally:
    COMPUTED["t_referrals"] += 1
    rows = CINEpisode.objects.filter(local_authority=period.local_authority,
                                     referral_date__range=(period.start, period.end))
    return Tally([Member(key("cin.cinepisode", pk), child, on, team)
                  for pk, child, on, team in rows.values_list("pk", "child_id", "referral_date", "team_id")])


def _open_referrals(period: Period) -> Tally:
    COMPUTED["t_open"] += 1
    rows = CINEpisode.objects.filter(local_authority=period.local_authority, referral_date__lte=period.end)
    return Tally([Member(key("cin.cinepisode", pk), child, on, team)
                  for pk, child, on, team, closed in rows.values_list("pk", "child_id", "referral_date", "team_id",
                                                                      "closed_on")
                  if closed is None or closed > period.end])


def _quick_assessments(period: Period) -> Tally:
    COMPUTED["t_quick"] += 1
    rows = (Assessment.objects.filter(local_authority=period.local_authority,
                                      authorised_on__range=(period.start, period.end))
            .values_list("pk", "child_id", "authorised_on", "episode__team_id", "started_on"))
    denominator = [Member(key("cin.assessment", pk), child, on, team) for pk, child, on, team, _ in rows]
    numerator = [Member(key("cin.assessment", pk), child, on, team) for pk, child, on, team, started in rows
                 if (on - started).days <= 10]
    return Tally(numerator, denominator)


def _referral_weight(period: Period) -> Tally:
    """An average whose amounts come from the record (the referral's day of the month), so an amount can
    change while the record stays counted."""
    rows = CINEpisode.objects.filter(local_authority=period.local_authority,
                                     referral_date__range=(period.start, period.end))
    values = list(rows.values_list("pk", "child_id", "referral_date", "team_id"))
    return Tally([Member(key("cin.cinepisode", pk), child, on, team, float(on.day)) for pk, child, on, team in values],
                 [Member(key("cin.cinepisode", pk), child, on, team) for pk, child, on, team in values])


def _nothing(period: Period) -> Tally:
    return Tally([])


def register_test_indicators() -> None:
    indicator(code="t_referrals", title="Referrals", group="cin", unit="per_10k", polarity="neutral",
              measured="in_period", numerator="Referrals in the period", denominator="Children aged 0 to 17",
              definition="Test: referrals per 10,000.", decimals=1)(_referrals)
    indicator(code="t_quick", title="Assessments within 10 days", group="cin", unit="percent", polarity="high",
              measured="in_period", numerator="Authorised within 10 days", denominator="Authorised",
              definition="Test.", decimals=1)(_quick_assessments)
    indicator(code="t_open", title="Open referrals", group="cin", unit="per_10k", polarity="low",
              measured="at_end", numerator="Open at the end", denominator="Children aged 0 to 17",
              definition="Test.", decimals=0)(_open_referrals)
    indicator(code="t_weight", title="Average day of the month", group="cin", unit="average", polarity="low",
              measured="in_period", numerator="Days", denominator="Referrals", definition="Test.",
              decimals=2)(_referral_weight)
    indicator(code="t_unavailable", title="Something Hearth cannot know", group="workforce", unit="percent",
              polarity="low", measured="at_end", numerator="-", denominator="-", definition="Test.",
              unavailable="Needs a register Hearth does not keep.")(_nothing)


@contextmanager
def only_registered(*made: Indicator) -> Iterator[dict[str, Indicator]]:
    """The registry holds exactly ``made`` (in that order) while the block runs; the real definitions are put
    back after. The cache and this process's memo are emptied on the way in and out."""
    saved = dict(registry.REGISTRY)
    registry.REGISTRY.clear()
    for order, ind in enumerate(made):
        registry.REGISTRY[ind.code] = replace(ind, order=order)
    compute.forget()
    try:
        yield dict(registry.REGISTRY)
    finally:
        registry.REGISTRY.clear()
        registry.REGISTRY.update(saved)
        compute.forget()


@pytest.fixture
def test_indicators(db: Any) -> Iterator[None]:
    """Only our test indicators in the registry for the test; the real ones back afterwards."""
    with only_registered():
        register_test_indicators()
        COMPUTED.clear()
        yield


TODAY = date(2026, 11, 23)


@pytest.fixture
def fixed_today(monkeypatch: pytest.MonkeyPatch) -> date:
    """The council's today is 23 November 2026 (use with ``pytest.mark.usefixtures`` or import it as autouse)."""
    monkeypatch.setattr(compute, "today", lambda: TODAY)
    return TODAY


@pytest.fixture
def council(la: LocalAuthority) -> LocalAuthority:
    """The test council, with 20,000 children aged 0 to 17."""
    la.population_0_17 = 20_000
    la.save()
    return la


def make_episode(la: LocalAuthority, referral_date: date, *, team: Team | None = None, closed_on: date | None = None,
                 by: Any = "test") -> CINEpisode:
    child = make_person(la)
    with acting_as(by):
        episode = CINEpisode(local_authority=la, child=child, referral_date=referral_date, referral_source="6",
                             team=team, closed_on=closed_on, closure_reason="RC7" if closed_on else "")
        episode.save()
    return episode


def make_assessment(episode: CINEpisode, started_on: date, authorised_on: date | None = None,
                    by: Any = "test") -> Assessment:
    with acting_as(by):
        assessment = Assessment(
            local_authority=episode.local_authority, child=episode.child, episode=episode, started_on=started_on,
            authorised_on=authorised_on,
            status=Assessment.Status.AUTHORISED if authorised_on else Assessment.Status.IN_PROGRESS)
        assessment.save()
    return assessment
