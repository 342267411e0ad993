"""Identifiers checked the way the NHS, the DfE and Royal Mail define them."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError

_UPN_CHECK_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"  # 23 letters: no I, O, S
# Characters allowed in UPN position 13 (a letter for temporary UPNs); the same alphabet.
_UPN_PATTERN = re.compile(r"^[A-Z]\d{11}[0-9A-Z]$")
# Royal Mail postcode format (outward + inward), as used by GOV.UK's own validators.
_POSTCODE = re.compile(r"^(GIR 0AA|[A-Z]{1,2}\d[A-Z\d]? \d[ABD-HJLNP-UW-Z]{2})$")


def normalise_nhs_number(value: str) -> str:
    return re.sub(r"[\s-]", "", value or "")


def nhs_number_check_digit(first_nine: str) -> int | None:
    """The Modulus 11 check digit for nine digits; None when no valid number can end them."""
    total = sum(int(d) * (10 - i) for i, d in enumerate(first_nine))
    check = 11 - total % 11
    if check == 11:
        return 0
    if check == 10:
        return None
    return check


def is_valid_nhs_number(value: str) -> bool:
    digits = normalise_nhs_number(value)
    if not re.fullmatch(r"\d{10}", digits):
        return False
    return nhs_number_check_digit(digits[:9]) == int(digits[9])


def validate_nhs_number(value: str) -> None:
    digits = normalise_nhs_number(value)
    if not re.fullmatch(r"\d{10}", digits):
        raise ValidationError("Enter the NHS number as 10 digits, like 943 476 5919")
    if nhs_number_check_digit(digits[:9]) != int(digits[9]):
        raise ValidationError("Enter a real NHS number. The last digit does not match the others; check for a typo")


def upn_check_letter(last_twelve: str) -> str:
    """The DfE check letter for the 12 characters after it (a letter in position 13 counts by its index)."""
    total = 0
    for weight, char in enumerate(last_twelve, start=2):
        value = int(char) if char.isdigit() else _UPN_CHECK_LETTERS.index(char)
        total += value * weight
    return _UPN_CHECK_LETTERS[total % 23]


def normalise_upn(value: str) -> str:
    return re.sub(r"\s", "", value or "").upper()


def is_valid_upn(value: str) -> bool:
    upn = normalise_upn(value)
    if not _UPN_PATTERN.match(upn):
        return False
    if upn[12].isalpha() and upn[12] not in _UPN_CHECK_LETTERS:
        return False
    return upn_check_letter(upn[1:]) == upn[0]


def validate_upn(value: str) -> None:
    upn = normalise_upn(value)
    if len(upn) != 13:
        raise ValidationError("Enter the UPN as 13 characters, like X801200000001")
    if not _UPN_PATTERN.match(upn) or (upn[12].isalpha() and upn[12] not in _UPN_CHECK_LETTERS):
        raise ValidationError("Enter a UPN that starts with a letter, then 11 numbers, then a number or letter")
    if upn_check_letter(upn[1:]) != upn[0]:
        raise ValidationError("Enter a real UPN. The first letter does not match the rest; check for a typo")


def normalise_postcode(value: str) -> str:
    compact = re.sub(r"\s", "", value or "").upper()
    if len(compact) < 5:
        return compact
    return f"{compact[:-3]} {compact[-3:]}"


def postcode_district(postcode: str) -> str:
    """The outward code: 'NG7 2RD' -> 'NG7'. A bare outward code is returned as it is; '' for none."""
    compact = re.sub(r"\s+", "", postcode or "").upper()
    return compact[:-3] if len(compact) >= 5 else compact


def postcode_area(postcode: str) -> str:
    """The letters that start the postcode: 'NG7 2RD' -> 'NG'."""
    match = re.match(r"[A-Z]+", postcode_district(postcode))
    return match.group(0) if match else ""


def validate_postcode(value: str) -> None:
    if not _POSTCODE.match(normalise_postcode(value)):
        raise ValidationError("Enter a real postcode, like NG2 3NG")
