"""The rules a person's details must keep, in one place: forms, services and the import all ask here.

``person_problems`` takes the values as they would be stored and answers field -> message, so a
form can show each message by its field and the import can print it against the row.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone

from .codes import Disability
from .validators import (
    normalise_nhs_number,
    normalise_postcode,
    normalise_upn,
    validate_nhs_number,
    validate_postcode,
    validate_upn,
)

# The furthest ahead an expected date of birth can be: a pregnancy lasts about 42 weeks at most.
UNBORN_MAX_DAYS = 300
_DISABILITY_CODES = frozenset(Disability.values)


def _message(error: ValidationError) -> str:
    return " ".join(error.messages)


def clean_nhs_number(value: str) -> str:
    """The NHS number as 10 digits, or "" when blank; ValidationError with the GOV.UK message otherwise."""
    if not (value or "").strip():
        return ""
    validate_nhs_number(value)
    return normalise_nhs_number(value)


def clean_upn(value: str) -> str:
    if not (value or "").strip():
        return ""
    validate_upn(value)
    return normalise_upn(value)


def clean_postcode(value: str) -> str:
    if not (value or "").strip():
        return ""
    validate_postcode(value)
    return normalise_postcode(value)


def person_problems(values: Mapping[str, Any], *, today: date | None = None) -> dict[str, str]:
    """What is wrong with this combination of details, field by field. Empty when all is well.

    Only the fields present in ``values`` are checked, so a form that edits one section
    passes that section merged over the stored record.
    """
    today = today or timezone.localdate()
    problems: dict[str, str] = {}
    born = values.get("date_of_birth")
    expected = values.get("expected_date_of_birth")
    died = values.get("date_of_death")

    for field, clean in (("nhs_number", clean_nhs_number), ("upn", clean_upn), ("former_upn", clean_upn)):
        if values.get(field):
            try:
                clean(values[field])
            except ValidationError as error:
                problems[field] = _message(error)
    if "former_upn" not in problems and values.get("former_upn") and values.get("upn") and (
        normalise_upn(values["former_upn"]) == normalise_upn(values["upn"])
    ):
        problems["former_upn"] = "The former UPN must be different from the current UPN"
    if values.get("upn") and values.get("upn_unknown"):
        problems["upn_unknown"] = "Give the UPN or the reason it is not known, not both"

    if born and expected:
        problems["expected_date_of_birth"] = (
            "Give the date of birth if the child has been born, or the expected date of birth if not, not both"
        )
    if born and born > today:
        problems["date_of_birth"] = "Date of birth must be today or in the past"
    if expected and not born:
        if expected < today - timedelta(days=366):
            problems["expected_date_of_birth"] = (
                "Expected date of birth must be within the last year or in the future. If the child has been "
                "born, enter their date of birth"
            )
        elif (expected - today).days > UNBORN_MAX_DAYS:
            problems["expected_date_of_birth"] = "Expected date of birth must be within the next 10 months"
        if values.get("sex", "U") != "U":
            problems["sex"] = "An unborn child's sex is recorded as 'Not known' until they are born"
        if died:
            problems["date_of_death"] = "Enter a date of birth before recording a date of death"
    if died:
        if died > today:
            problems["date_of_death"] = "Date of death must be today or in the past"
        elif born and died < born:
            problems["date_of_death"] = "Date of death must be the same as or after the date of birth"

    disabilities = list(values.get("disabilities") or [])
    unknown_codes = [code for code in disabilities if code not in _DISABILITY_CODES]
    if unknown_codes:
        problems["disabilities"] = f"Choose disabilities from the list; not a census code: {', '.join(unknown_codes)}"
    elif Disability.NONE in disabilities and len(disabilities) > 1:
        problems["disabilities"] = "Select 'No disability' or the child's disabilities, not both"

    ceased = values.get("uasc_ceased_on")
    if ceased and not values.get("is_uasc"):
        problems["uasc_ceased_on"] = "Only give the date UASC status ended if the child is or was an unaccompanied " \
                                     "asylum-seeking child"
    elif ceased and born and ceased < born:
        problems["uasc_ceased_on"] = "The date UASC status ended must be after the date of birth"
    return problems
