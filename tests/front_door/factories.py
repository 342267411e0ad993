"""Builders for front-door test data, through the services."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils import timezone

from hearth.front_door.models import Contact
from hearth.front_door.services import contact_receive
from hearth.oversight.models import DecisionPoint
from hearth.oversight.services import oversight_gate_set


def make_contact(la: Any, *, by: Any = "test", received_at: datetime | None = None, **extra: Any) -> Contact:
    values: dict[str, Any] = {
        "channel": Contact.Channel.PHONE, "source": "2A", "concerns": "Bruising seen on the child's arm at school",
        "consent": Contact.Consent.GIVEN,
    }
    values.update(extra)
    return contact_receive(local_authority=la, received_at=received_at or timezone.now(), by=by, **values)


def gate_off(la: Any) -> None:
    """The council lets any case worker decide contacts (a service manager's setting)."""
    from hearth.accounts.roles import Role
    from tests.factories import make_user

    oversight_gate_set(local_authority=la, decision_point=DecisionPoint.CONTACT_DECISION, required=False,
                       by=make_user(la, Role.SERVICE_MANAGER))
