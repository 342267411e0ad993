"""Builders for the returns page and its background runs: runs and findings as the task stores them, and
children whose CIN census is clean or carries one planted mistake."""

from __future__ import annotations

import itertools
from datetime import date
from typing import Any

from hearth.accounts.models import Team, User
from hearth.accounts.roles import Role
from hearth.allocations.services import allocation_start
from hearth.people.models import Person
from hearth.returns.models import ReturnFinding, ReturnRun
from hearth.tenancy.models import LocalAuthority
from tests.cin.factories import open_episode
from tests.factories import make_person, make_user
from tests.returns.cin_factories import upn

_serial = itertools.count(10_000_001)
# A well-formed UPN given to two children by mistake (the census's rule 1520).
SHARED_UPN = upn(la="892", serial="00000001", last="8")


def analyst(la: LocalAuthority, **extra: Any) -> User:
    return make_user(la, Role.PERFORMANCE_ANALYST, **extra)


def make_run(la: LocalAuthority, by: User, **extra: Any) -> ReturnRun:
    values: dict[str, Any] = {"kind": ReturnRun.Kind.CIN, "action": ReturnRun.Action.VALIDATE, "year": 2026,
                              "status": ReturnRun.Status.DONE, "progress": 100, "stage": "Finished"}
    values.update(extra)
    return ReturnRun.objects.create(local_authority=la, requested_by=by, **values)


def add_finding(run: ReturnRun, person: Person | None = None, **extra: Any) -> ReturnFinding:
    values: dict[str, Any] = {"rule": "1520", "severity": "error", "message": "More than one record with the same UPN.",
                              "table": "ChildIdentifiers", "fields": "UPN"}
    if person is not None:
        values.update(child=person.hearth_id, person=person, fix_url=f"/children/{person.pk}/identifiers/")
    values.update(extra)
    return ReturnFinding.objects.create(local_authority_id=run.local_authority_id, run=run, **values)


def a_upn(la: LocalAuthority) -> str:
    """A well-formed UPN (right check letter) that no other test child has."""
    return upn(la="892", serial=f"{next(_serial) % 100_000_000:08d}", last="8")


def census_child(la: LocalAuthority, *, team: Team | None = None, worker: User | None = None,
                 referral_on: date = date(2025, 6, 12), **extra: Any) -> Person:
    """A girl of school age with an open referral (primary need N1) in the 2025/26 census: clean on her own."""
    values: dict[str, Any] = {"sex": "F", "ethnicity": "WBRI", "date_of_birth": date(2015, 2, 14),
                              "disabilities": ["NONE"]}
    values.update(extra)
    values.setdefault("upn", a_upn(la))
    child = make_person(la, **values)
    open_episode(child, on=referral_on, primary_need="N1")
    if team is not None:
        allocation_start(child=child, team=team, worker=worker, started_on=referral_on, by="test")
    return child
