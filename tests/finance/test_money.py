"""Pounds as people read them: whole pounds by default, pence when asked, a true minus, half up."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from hearth.finance.money import pounds
from hearth.finance.templatetags.finance_tags import percent, signed_percent


@pytest.mark.parametrize(("value", "pence", "text"), [
    (1234567, False, "£1,234,567"),
    (-12000, False, "\u2212£12,000"),
    (None, False, "—"),
    (Decimal("1234.5"), False, "£1,235"),  # half up, not to even
    (Decimal("2.5"), False, "£3"),
    (Decimal("-2.5"), False, "\u2212£3"),
    (Decimal("1234.5"), True, "£1,234.50"),
    (Decimal("-1234.555"), True, "\u2212£1,234.56"),
    (0.1, True, "£0.10"),
    (Decimal("-0.4"), False, "£0"),  # rounds to nothing: no sign
    (0, False, "£0"),
    (Decimal("NaN"), False, "—"),
])
def test_pounds(value, pence, text):
    assert pounds(value, pence=pence) == text


@given(st.decimals(min_value=-10**11, max_value=10**11, places=2, allow_nan=False, allow_infinity=False))
def test_pounds_reads_back_as_the_rounded_amount(value):
    text = pounds(value, pence=True)
    negative = text.startswith("\u2212")
    number = Decimal(text.lstrip("\u2212").lstrip("£").replace(",", ""))
    assert (-number if negative else number) == value
    assert negative == (value < 0)


def test_percentages():
    assert percent(4.25) == "4.3%" and percent(-2) == "\u22122.0%" and percent(None) == "—"
    assert signed_percent(Decimal("3")) == "+3.0%" and signed_percent(0) == "0.0%"


@given(st.decimals(min_value=Decimal("-1000"), max_value=Decimal("1000"), places=2))
@example(Decimal("0.50"))
@example(Decimal("-2.50"))
def test_variance_and_movement_words_agree_with_the_pounds_they_print(value):
    """A variance of 50p is an overspend of £1, as the table beside it says; never "On budget" beside "£1"."""
    from hearth.finance.views import movement_words, variance_words

    shown = pounds(abs(value))
    words = variance_words(value, None)
    moved = movement_words(value)
    if shown == "£0":
        assert words == "On budget" and moved == "No change"
    else:
        assert words == f"{'Overspend' if value > 0 else 'Underspend'} of {shown}"
        assert moved == f"{'Up' if value > 0 else 'Down'} {shown}"
