"""Wording for missing episodes: how long, how many hours left, and the labels of stored codes."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django import template

from hearth.missing.codes import Indicator, PullFactor, PushFactor, RiskLevel
from hearth.missing.selectors import hours_between

register = template.Library()


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


@register.filter
def elapsed(value: timedelta | None) -> str:
    """'2 days 3 hours', '5 hours 10 minutes', '45 minutes'."""
    if value is None:
        return ""
    minutes = max(int(value.total_seconds() // 60), 0)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    if days:
        return f"{_plural(days, 'day')} {_plural(hours, 'hour')}" if hours else _plural(days, "day")
    if hours:
        return f"{_plural(hours, 'hour')} {_plural(minutes, 'minute')}" if minutes else _plural(hours, "hour")
    return _plural(minutes, "minute")


@register.filter
def elapsed_since(value: datetime | None, now: datetime) -> str:
    return elapsed(now - value) if value is not None else ""


@register.filter
def hours_left(hours: int) -> str:
    """'35 hours left', 'Less than an hour left', 'Overdue by 4 hours'."""
    if hours >= 1:
        return f"{_plural(hours, 'hour')} left"
    if hours == 0:
        return "Less than an hour left"
    return f"Overdue by {_plural(-hours - 1, 'hour')}" if hours < -1 else "Overdue by less than an hour"


def _labels(codes: Any, choices: Any) -> list[str]:
    known = dict(choices.choices)
    return [str(known.get(code, code)) for code in (codes or [])]


@register.filter
def push_labels(codes: Any) -> list[str]:
    return _labels(codes, PushFactor)


@register.filter
def pull_labels(codes: Any) -> list[str]:
    return _labels(codes, PullFactor)


@register.filter
def indicator_labels(codes: Any) -> list[str]:
    return _labels(codes, Indicator)


@register.filter
def rate_of(patterns: Any, part: str) -> int | None:
    """A measure as a whole percentage of the returns in the period (None when there were none)."""
    result: int | None = patterns.rate(part)
    return result


@register.filter
def risk_label(code: str) -> str:
    return str(dict(RiskLevel.choices).get(code, code))


@register.filter
def hours_until(due: datetime, now: datetime) -> int:
    """Whole hours from ``now`` to ``due`` (negative once overdue), as the tray counts them."""
    return hours_between(now, due)
