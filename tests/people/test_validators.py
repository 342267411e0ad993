from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from hearth.people.validators import (
    is_valid_nhs_number,
    is_valid_upn,
    nhs_number_check_digit,
    normalise_postcode,
    upn_check_letter,
    validate_nhs_number,
    validate_postcode,
    validate_upn,
)


@pytest.mark.parametrize("number", ["9434765919", "943 476 5919", "401-023-2137"])
def test_real_nhs_numbers_pass(number):
    assert is_valid_nhs_number(number)
    validate_nhs_number(number)


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("9434765918", "last digit does not match"),
        ("943476591", "10 digits"),
        ("94347659AA", "10 digits"),
    ],
)
def test_wrong_nhs_numbers_are_explained(number, message):
    assert not is_valid_nhs_number(number)
    with pytest.raises(ValidationError, match=message):
        validate_nhs_number(number)


@given(st.text(alphabet="0123456789", min_size=9, max_size=9))
def test_every_nhs_number_with_its_check_digit_is_valid_and_any_other_last_digit_is_not(first_nine):
    check = nhs_number_check_digit(first_nine)
    for last in range(10):
        assert is_valid_nhs_number(f"{first_nine}{last}") == (last == check)


@pytest.mark.parametrize("upn", ["X801200000001", "H801200001001", "x801 2000 00001"])
def test_real_upns_pass(upn):
    assert is_valid_upn(upn)
    validate_upn(upn)


def test_wrong_upns_are_explained():
    with pytest.raises(ValidationError, match="first letter does not match"):
        validate_upn("B801200000001")
    with pytest.raises(ValidationError, match="13 characters"):
        validate_upn("A80120000001")
    with pytest.raises(ValidationError, match="11 numbers"):
        validate_upn("A80120000000I")


@given(st.text(alphabet="0123456789", min_size=11, max_size=11), st.sampled_from("0123456789ABCDEFGHJKLMNPQRTUVWXYZ"))
def test_a_upn_with_its_check_letter_is_valid_and_a_changed_digit_is_caught(middle, last):
    body = middle + last
    upn = upn_check_letter(body) + body
    assert is_valid_upn(upn)
    changed = str((int(middle[3]) + 1) % 10)
    assert not is_valid_upn(upn[:4] + changed + upn[5:])


@pytest.mark.parametrize(
    ("typed", "stored"), [("ng23ng", "NG2 3NG"), (" NG1 5DT ", "NG1 5DT"), ("sw1a1aa", "SW1A 1AA")]
)
def test_postcodes_are_normalised_and_accepted(typed, stored):
    assert normalise_postcode(typed) == stored
    validate_postcode(typed)


@pytest.mark.parametrize("typed", ["NG2", "12345", "NG2 3NGG", "QQ1 1QQ X"])
def test_bad_postcodes_are_refused(typed):
    with pytest.raises(ValidationError, match="real postcode"):
        validate_postcode(typed)
