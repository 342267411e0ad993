"""Builders for care leaver tests.

Periods of care and legal statuses are written straight to hearth.care's audited models (the care app's own
services are tested there); everything in leaving care goes through hearth.care_leavers.services.
"""

from __future__ import annotations

import itertools
from datetime import date
from typing import Any

from dateutil.relativedelta import relativedelta
from django.utils import timezone

from hearth.accounts.models import Team, User
from hearth.accounts.roles import Role
from hearth.audit.actor import acting_as
from hearth.care.models import CareLegalStatus, PeriodOfCare
from hearth.care_leavers.status import birthday
from hearth.people.models import Person
from hearth.tenancy.models import LocalAuthority
from tests.factories import make_person, make_team, make_user


def today() -> date:
    return timezone.localdate()


def ago(**kwargs: int) -> date:
    return today() - relativedelta(**kwargs)


def turns(child: Person, years: int) -> date:
    """The day ``child`` reaches ``years``."""
    assert child.date_of_birth is not None
    return birthday(child.date_of_birth, years)


def young_person(la: LocalAuthority, *, age_years: int = 17, age_months: int = 0, level: str = Person.AccessLevel.OPEN,
                 **extra: Any) -> Person:
    """A young person of that age today."""
    return make_person(la, level, date_of_birth=ago(years=age_years, months=age_months), **extra)


def in_care(child: Person, started_on: date, ended_on: date | None = None, *, reason: str = "",
            legal_status: str = "C2") -> PeriodOfCare:
    """A period of care with one legal status throughout."""
    with acting_as("test"):
        period = PeriodOfCare(local_authority_id=child.local_authority_id, child=child, started_on=started_on,
                              ended_on=ended_on, category_of_need="N1",
                              reason_ceased=reason or ("E8" if ended_on else ""))
        period.save(by="test")
        CareLegalStatus(local_authority_id=child.local_authority_id, child=child, period=period,
                        legal_status=legal_status, started_on=started_on, ended_on=ended_on).save(by="test")
    return period


def care_leaver(la: LocalAuthority, *, age_years: int = 19, left_months_ago: int = 6, in_care_years: int = 2,
                **extra: Any) -> Person:
    """A young person who was looked after for ``in_care_years`` and left ``left_months_ago``."""
    child = young_person(la, age_years=age_years, **extra)
    left = ago(months=left_months_ago)
    in_care(child, left - relativedelta(years=in_care_years), left)
    return child


_teams = itertools.count(1)


def leaving_care_team(la: LocalAuthority, name: str | None = None) -> Team:
    return make_team(la, name or f"Leaving Care {next(_teams)}", kind=Team.Kind.CARE_LEAVERS)


def make_adviser(la: LocalAuthority, team: Team | None = None, **extra: Any) -> User:
    extra.setdefault("first_name", "Pat")
    return make_user(la, Role.PERSONAL_ADVISER, team or leaving_care_team(la), **extra)
