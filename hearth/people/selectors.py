from __future__ import annotations

import re
from datetime import date
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from hearth.access.selectors import people_visible_to

from .models import Person

if TYPE_CHECKING:
    from hearth.accounts.models import User

_DATE = re.compile(r"^(\d{1,2})[/\-. ](\d{1,2})[/\-. ](\d{4})$")


def _as_date(text: str) -> date | None:
    match = _DATE.match(text)
    if not match:
        return None
    day, month, year = (int(g) for g in match.groups())
    try:
        return date(year, month, day)
    except ValueError:
        return None


def people_search(*, user: User, query: str) -> QuerySet[Person]:
    """People the user may see, matching a name, a Hearth ID or a date of birth."""
    people = people_visible_to(user=user)
    text = query.strip()
    if not text:
        return people.none()
    if text.isdigit():
        return people.filter(pk=int(text)).order_by("pk")
    born = _as_date(text)
    if born is not None:
        return people.filter(date_of_birth=born).order_by("last_name", "first_name")
    for token in text.split()[:4]:
        people = people.filter(
            Q(first_name__istartswith=token) | Q(last_name__istartswith=token) | Q(preferred_name__istartswith=token)
        )
    return people.order_by("last_name", "first_name", "date_of_birth")
