"""Who is acting right now. Every audited write needs an answer; there are no anonymous changes."""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Actor:
    user_id: int | None
    # A process acting on its own behalf (seeding, imports, the clock recalculator).
    system: str = ""

    @property
    def label(self) -> str:
        return self.system or f"user:{self.user_id}"


_current: contextvars.ContextVar[Actor | None] = contextvars.ContextVar("hearth_actor", default=None)


def as_actor(who: Any) -> Actor:
    if isinstance(who, Actor):
        return who
    if isinstance(who, str):
        return Actor(user_id=None, system=who)
    if getattr(who, "is_authenticated", False):
        return Actor(user_id=who.pk)
    raise ValueError("An audited change needs a signed-in user or a named system process")


@contextlib.contextmanager
def acting_as(who: Any) -> Iterator[Actor]:
    actor = as_actor(who)
    token = _current.set(actor)
    try:
        yield actor
    finally:
        _current.reset(token)


def current_actor() -> Actor | None:
    return _current.get()
