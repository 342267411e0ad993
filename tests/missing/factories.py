"""Builders for missing and exploitation tests: every step through the real services."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from hearth.accounts.models import Team, User
from hearth.accounts.roles import Role
from hearth.care.codes import MissingType
from hearth.care.models import PeriodOfCare
from hearth.clocks.working_days import LONDON
from hearth.missing import services
from hearth.missing.codes import HowReturned
from hearth.missing.models import MissingEpisode, ReturnInterview
from hearth.people.models import Person
from hearth.tenancy.models import LocalAuthority
from tests.factories import make_team, make_user


def at(year: int, month: int, day: int, hour: int = 12, minute: int = 0) -> datetime:
    """A London wall-clock time."""
    return datetime(year, month, day, hour, minute, tzinfo=LONDON)


def make_advocate(la: LocalAuthority, team: Team | None = None, **extra: Any) -> User:
    team = team or make_team(la, "Missing and exploitation", kind=Team.Kind.EXPLOITATION)
    extra.setdefault("first_name", "Alex")
    extra.setdefault("last_name", "Advocate")
    return make_user(la, Role.MISSING_ADVOCATE, team, **extra)


def make_lead(la: LocalAuthority, **extra: Any) -> User:
    return make_user(la, Role.EXPLOITATION_LEAD, **extra)


def in_care(child: Person, started_on: date, ended_on: date | None = None) -> PeriodOfCare:
    """A period of care, straight into the table: these tests need only 'looked after on that day'."""
    period = PeriodOfCare(local_authority_id=child.local_authority_id, child=child, started_on=started_on,
                          category_of_need="N1")
    if ended_on is not None:
        period.ended_on = ended_on
        period.reason_ceased = "E13"
    period.save(by="test")
    return period


def went_missing(child: Person, start: datetime, end: datetime | None = None, *, by: Any = "test",
                 missing_type: str = MissingType.MISSING, **extra: Any) -> MissingEpisode:
    episode = services.missing_episode_start(child=child, missing_type=missing_type, started_at=start, by=by,
                                             **extra)
    if end is not None:
        services.missing_episode_end(episode=episode, ended_at=end, how_returned=HowReturned.OWN_ACCORD, by=by)
        episode.refresh_from_db()
    return episode


def interview_of(episode: MissingEpisode) -> ReturnInterview:
    return ReturnInterview.objects.get(episode=episode)


def hold(interview: ReturnInterview, when: datetime, advocate: User, *, offered: datetime | None = None,
         by: Any = "test", **extra: Any) -> ReturnInterview:
    """Offer (at ``offered`` or the interview time), then hold the interview."""
    services.return_interview_offer(interview=interview, offered_at=offered or when, offered_by=advocate, by=by)
    values: dict[str, Any] = {"push_factors": ["conflict_at_home"], "pull_factors": ["peers"],
                              "child_account": "I stayed at a friend's", "risks_identified": "", "actions": ""}
    values.update(extra)
    return services.return_interview_complete(interview=interview, completed_at=when, completed_by=advocate,
                                              by=by, **values)
