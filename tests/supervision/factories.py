"""Builders for supervision tests: sessions written straight through the audited model, and arrangements."""

from __future__ import annotations

from datetime import date
from typing import Any

from hearth.accounts.models import User
from hearth.supervision.models import SupervisionArrangement, SupervisionSession

BY = "test"


def make_session(supervisee: User, supervisor: User, held_on: date, *,
                 status: str = SupervisionSession.Status.HELD, **extra: Any) -> SupervisionSession:
    values: dict[str, Any] = {"wellbeing": "Well, managing.", "kind": SupervisionSession.Kind.ONE_TO_ONE}
    values.update(extra)
    assert supervisee.local_authority_id is not None
    session = SupervisionSession(local_authority_id=supervisee.local_authority_id, supervisee=supervisee,
                                 supervisor=supervisor, held_on=held_on, status=status, **values)
    session.save(by=BY)
    return session


def arrange(worker: User, *, supervisor: User | None = None, asye_started_on: date | None = None
            ) -> SupervisionArrangement:
    assert worker.local_authority_id is not None
    arrangement = SupervisionArrangement(local_authority_id=worker.local_authority_id, worker=worker,
                                         supervisor=supervisor, asye_started_on=asye_started_on)
    arrangement.save(by=BY)
    return arrangement


def started(user: User, on: date) -> User:
    user.started_on = on
    user.save()
    return user
