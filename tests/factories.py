"""Small builders for test data. Every write goes through the audited paths."""

from __future__ import annotations

import itertools
from datetime import date
from typing import Any

from hearth.accounts.models import Team, User
from hearth.accounts.roles import Role
from hearth.audit.actor import acting_as
from hearth.people.models import Person
from hearth.search.services import name_keys_refresh
from hearth.tenancy.models import LocalAuthority

_seq = itertools.count(1)
PASSWORD = "correct-horse-battery-staple"


def make_la(name: str = "Nottingham City Council", ons_code: str | None = None, number: str | None = None
            ) -> LocalAuthority:
    n = next(_seq)
    # Made-up numbers stay in 100-799 so they never meet the real ones tests name (892 Nottingham, 893).
    return LocalAuthority.objects.create(
        name=name, ons_code=ons_code or f"E06{n:06d}", dfe_la_number=number or f"{100 + n % 700:03d}"
    )


def make_team(la: LocalAuthority, name: str | None = None, kind: str = Team.Kind.SAFEGUARDING) -> Team:
    return Team.objects.create(local_authority=la, name=name or f"Team {next(_seq)}", kind=kind)


def make_user(la: LocalAuthority | None, role: str = Role.SOCIAL_WORKER, team: Team | None = None,
              username: str | None = None, **extra: Any) -> User:
    n = next(_seq)
    user = User(local_authority=la, role=role, team=team, username=username or f"user{n}",
                first_name=extra.pop("first_name", "Sam"), last_name=extra.pop("last_name", f"Worker{n}"), **extra)
    user.set_password(PASSWORD)
    user.save()
    return user


def make_person(la: LocalAuthority, level: str = Person.AccessLevel.OPEN, **extra: Any) -> Person:
    n = next(_seq)
    values: dict[str, Any] = {
        "first_name": "Jordan", "last_name": f"Child{n}", "date_of_birth": date(2015, 3, 27), "sex": "F",
    }
    values.update(extra)
    with acting_as("test"):
        person = Person(local_authority=la, access_level=level, **values)
        person.save()
    # As the people services do, so the person can be found by search.
    name_keys_refresh(person=person)
    return person
