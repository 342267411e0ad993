"""Money and financial years in templates: ``{{ value|pounds }}``, ``{{ value|pence }}``, ``{{ 2026|fy }}``."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template

from hearth.finance import years
from hearth.finance.money import percent_text
from hearth.finance.money import pounds as _pounds

register = template.Library()


@register.filter
def pounds(value: Any) -> str:
    return _pounds(value)


@register.filter
def pence(value: Any) -> str:
    return _pounds(value, pence=True)


@register.filter
def fy(value: int) -> str:
    return years.label(int(value))


@register.filter
def children(value: float | None) -> str:
    """A projected number of children, to one decimal place ("—" when it cannot be projected)."""
    return "—" if value is None else f"{value:,.1f}"


@register.filter
def percent(value: float | Decimal | None) -> str:
    return percent_text(value)


@register.filter
def absolute(value: Any) -> Any:
    return None if value is None else abs(value)


@register.filter
def minus(value: Decimal, other: Decimal) -> Decimal:
    return value - other


@register.filter
def signed_percent(value: float | Decimal | None) -> str:
    """A yearly change: ``3`` → ``"+3.0%"``, ``-2`` → ``"-2.0%"``, ``0`` → ``"0.0%"``."""
    text = percent(value)
    return f"+{text}" if value is not None and float(value) > 0 and text != "0.0%" else text


@register.filter
def lower_first(text: str) -> str:
    """``"Up £300,000 since May 2026"`` → ``"up £300,000 since May 2026"`` (month names keep their capital)."""
    return text[:1].lower() + text[1:] if text else text
