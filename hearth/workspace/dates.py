"""How a date is written in what Hearth says (messages, refusals, chronology entries): '3 March 2026', as GOV.UK
writes it. Templates use the filter ``|date:"j F Y"`` for the same."""

from __future__ import annotations

from datetime import date


def long_date(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def age_on(date_of_birth: date, on: date) -> int:
    """Whole years of age on ``on``. A child born on 29 February turns a year older on 1 March in a
    common year, as English law counts a birthday (not on 28 February, as month arithmetic would)."""
    return on.year - date_of_birth.year - ((on.month, on.day) < (date_of_birth.month, date_of_birth.day))


def birthday(date_of_birth: date, years: int) -> date:
    """The day a person born on ``date_of_birth`` turns ``years`` old, as ``age_on`` counts it: a child born
    on 29 February turns a year older on 1 March in a common year."""
    try:
        return date_of_birth.replace(year=date_of_birth.year + years)
    except ValueError:
        return date(date_of_birth.year + years, 3, 1)
