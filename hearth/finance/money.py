"""Money as people read it in a budget report: ``£1,234,567``, ``-£12,000``, ``£1,234.50``.

Whole pounds by default (budget monitoring is read in pounds); ``pence=True`` for unit costs and anything
typed to the penny. Rounding is half away from zero (ROUND_HALF_UP on the magnitude), as a ledger rounds,
never banker's rounding. The minus sign is the true minus (U+2212), which screen readers say as "minus".
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

MINUS = "\u2212"
NO_VALUE = "—"


def to_decimal(value: Decimal | float | int) -> Decimal:
    """A float goes through ``str`` so 0.1 stays 0.1 rather than its binary neighbour."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        return Decimal(repr(value))
    return Decimal(value)


def pounds(value: Decimal | float | int | None, *, pence: bool = False) -> str:
    """``1234567`` → ``"£1,234,567"``; ``-12000`` → ``"\u2212£12,000"`` (a true minus); ``None`` → ``"—"``;
    ``pence=True``: ``1234.5`` → ``"£1,234.50"``."""
    if value is None:
        return NO_VALUE
    try:
        amount = to_decimal(value)
    except (InvalidOperation, ValueError):
        return NO_VALUE
    if not amount.is_finite():
        return NO_VALUE
    places = Decimal("0.01") if pence else Decimal("1")
    magnitude = abs(amount).quantize(places, rounding=ROUND_HALF_UP)
    text = f"£{magnitude:,.2f}" if pence else f"£{magnitude:,.0f}"
    # A minus on "£0" would be noise: a value that rounds to nothing has no sign.
    return f"{MINUS}{text}" if amount < 0 and magnitude != 0 else text


def percent_text(value: Decimal | float | int | None) -> str:
    """A percentage to one place, half up: ``4.25`` -> ``"4.3%"``; ``-2`` -> ``"\u22122.0%"``; None -> ``"—"``."""
    if value is None:
        return NO_VALUE
    rounded = to_decimal(value).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    text = f"{abs(rounded):,.1f}%"
    return f"{MINUS}{text}" if rounded < 0 else text
