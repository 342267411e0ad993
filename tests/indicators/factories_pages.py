"""Builders for the indicator page tests: indicators registered for a test, over records made for it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

from django.core.cache import cache

from hearth.accounts.models import Team
from hearth.indicators.registry import REGISTRY, Indicator, Member, Period, Tally, key
from hearth.people.models import Person
from hearth.tenancy.models import LocalAuthority
from tests.factories import make_person
from tests.indicators.compute_fixtures import only_registered as only_registered  # the tests import it from here


@contextmanager
def registered(code: str, numerator: list[Member], denominator: list[Member] | None = None, *,
               unit: str = "percent", polarity: str = "high", group: str = "cin", measured: str = "in_period",
               unavailable: str = "", title: str | None = None, lait_code: str = "") -> Iterator[Indicator]:
    """An indicator counting the given members (those dated in the period), registered while the block runs."""

    def compute(period: Period) -> Tally:
        def within(members: list[Member]) -> list[Member]:
            return [m for m in members if period.start <= m.on <= period.end]

        if unavailable:
            return Tally([])
        return Tally(within(numerator), None if denominator is None else within(denominator))

    ind = Indicator(
        code=code, title=title or f"Test measure {code}", group=group, unit=unit, polarity=polarity,
        measured=measured, numerator="Assessments authorised in the period within 45 working days",
        denominator="Assessments authorised in the period", definition="A measure made for a test.",
        compute=compute, lait_code=lait_code, unavailable=unavailable, order=len(REGISTRY),
    )
    if code in REGISTRY:
        raise ValueError(f"{code} is already registered")
    REGISTRY[code] = ind
    cache.clear()
    try:
        yield ind
    finally:
        REGISTRY.pop(code, None)
        cache.clear()


def member(child: Person | None, on: date, team: Team | None = None, n: list[int] | None = None,
           label: str = "cin.assessment", amount: float = 1.0, note: str = "") -> Member:
    """A member for ``child`` (or a worker row when None); ``n`` is a counter list giving unique keys."""
    counter = n if n is not None else _counter
    counter[0] += 1
    return Member(key(label, counter[0]), child.pk if child else None, on, team.pk if team else None, amount,
                  note or f"{counter[0]} working days")


_counter = [0]


def children(la: LocalAuthority, count: int, level: str = Person.AccessLevel.OPEN, **extra: Any) -> list[Person]:
    return [make_person(la, level, **extra) for _ in range(count)]


def assessments_within(days: int = 45) -> Callable[[Period], Tally]:
    """Assessments authorised in the period (denominator) and those authorised within ``days`` calendar days
    of starting (numerator), each for the episode's team: a stand-in for assessments_45wd read from the
    record, so an audited change moves the figure and the cache."""
    from hearth.cin.models import Assessment

    def compute(period: Period) -> Tally:
        rows = (Assessment.objects.filter(local_authority=period.local_authority,
                                          authorised_on__range=(period.start, period.end))
                .values_list("pk", "child_id", "authorised_on", "episode__team_id", "started_on"))
        denominator = [Member(key("cin.assessment", pk), child, on, team, 1.0, f"{(on - started).days} days")
                       for pk, child, on, team, started in rows]
        numerator = [m for m, (_, _, on, _, started) in zip(denominator, rows, strict=True)
                     if (on - started).days <= days]
        return Tally(numerator, denominator)

    return compute


def made(code: str, compute: Callable[[Period], Tally], **attrs: Any) -> Indicator:
    values: dict[str, Any] = {
        "title": f"Test measure {code}", "group": "cin", "unit": "percent", "polarity": "high",
        "measured": "in_period", "numerator": "Assessments authorised in the period within 45 days",
        "denominator": "Assessments authorised in the period", "definition": "A measure made for a test.",
    }
    values.update(attrs)
    return Indicator(code=code, compute=compute, **values)


def assessment(la: LocalAuthority, child: Person, team: Team | None, started_on: date, authorised_on: date,
               by: Any = "test") -> Any:
    """An authorised assessment on a new referral, saved through the audited path."""
    from hearth.audit.actor import acting_as
    from hearth.cin.models import Assessment, CINEpisode

    with acting_as(by):
        episode = CINEpisode.objects.filter(child=child, closed_on__isnull=True).first()
        if episode is None:  # one open referral per child
            episode = CINEpisode(local_authority=la, child=child, referral_date=started_on, referral_source="6",
                                 team=team)
            episode.save()
        found = Assessment(local_authority=la, child=child, episode=episode, started_on=started_on,
                           authorised_on=authorised_on, status=Assessment.Status.AUTHORISED)
        found.save()
    return found
