"""The establishment in templates: ``{{ funding|funding_label }}``, ``{{ post|occupancy }}``, ``{{ fte|fte }}``."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template

from hearth.workforce import selectors

register = template.Library()


@register.filter
def funding_label(funding: Any) -> str:
    return selectors.funding_label(funding)


@register.filter
def occupancy(post: Any) -> str:
    """"Filled", "Agency worker" or "Vacant" for a post from ``posts_for`` (FTE in it on the day annotated)."""
    return selectors.occupant_label(post.employee_fte, post.agency_fte)


@register.filter
def fte(value: Decimal | float | None) -> str:
    """``Decimal("0.60")`` → ``"0.6"``, ``Decimal("1.00")`` → ``"1"``: FTE as people say it."""
    if value is None:
        return "—"
    text = f"{Decimal(str(value)).quantize(Decimal('0.01')):f}".rstrip("0").rstrip(".")
    return text or "0"
