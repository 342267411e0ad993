"""How a date is written in what Hearth says (messages, refusals, chronology entries): '3 March 2026', as GOV.UK
writes it. Templates use the filter ``|date:"j F Y"`` for the same."""

from __future__ import annotations

from datetime import date


def long_date(day: date) -> str:
    return f"{day.day} {day:%B %Y}"
