from __future__ import annotations

from django import forms

from .query import HELP, parse_query


class PeopleSearchForm(forms.Form):
    q = forms.CharField(
        label="Search for a child or adult", required=False, max_length=200,
        help_text="A name, date of birth (27/3/2015, 3/2015 or 2015), postcode, NHS number, UPN or Hearth ID",
        error_messages={"max_length": "Search for no more than 200 characters"},
    )

    def clean_q(self) -> str:
        text: str = self.cleaned_data["q"].strip()
        if not text:
            return text
        parsed = parse_query(text)
        if parsed.problems:
            raise forms.ValidationError(parsed.problems[0])
        if parsed.is_empty:
            raise forms.ValidationError(f"{HELP}, for example Jordan Smith or 27/3/2015")
        if parsed.names and all(len(t) == 1 for t in parsed.names) and not (parsed.has_date or parsed.has_identifier):
            raise forms.ValidationError("Enter at least 2 letters of a name")
        return text
