"""The GOV.UK date field refuses years that are slips of the keyboard, before any date arithmetic can fail."""

from __future__ import annotations

from django import forms

from hearth.workspace.forms import GovUKDateField


class _Form(forms.Form):
    on = GovUKDateField(label="Date of the visit")
    expected = GovUKDateField(label="Expected date", allow_future=True, required=False)


def _errors(day: str, month: str, year: str, name: str = "on") -> list[str]:
    form = _Form({f"{name}_0": day, f"{name}_1": month, f"{name}_2": year, **(
        {"on_0": "1", "on_1": "1", "on_2": "2020"} if name != "on" else {})})
    form.is_valid()
    return list(form.errors.get(name, []))


def test_year_one_is_refused_with_a_message_not_passed_on() -> None:
    assert _errors("1", "1", "0001") == ["Date of the visit must be in 1900 or later"]


def test_a_far_future_year_is_refused_even_where_the_future_is_allowed() -> None:
    assert _errors("31", "12", "9999", name="expected") == ["Expected date must be in 2199 or earlier"]
    assert _errors("1", "1", "2030", name="expected") == []


def test_impossible_dates_and_letters_keep_the_real_date_message() -> None:
    assert _errors("31", "2", "2025") == ["Date of the visit must be a real date"]
    assert _errors("aa", "bb", "cccc") == ["Date of the visit must be a real date"]
    assert _errors("1", "1", "99999") == ["Date of the visit must be a real date"]


def test_a_far_future_year_where_the_past_is_expected_says_so() -> None:
    assert _errors("1", "1", "9999") == ["Date of the visit must be today or in the past"]
