"""Forms for the indicator pages: the period a page shows, and a target."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import QueryDict

from hearth.workspace.forms import GovUKDateField, VersionedForm


class PeriodForm(forms.Form):
    """The days a page counts, both inclusive. Read from the date boxes (``start_0`` …) or, for links,
    from ISO dates (``?start=2025-04-01&end=2026-03-31``)."""

    start = GovUKDateField(label="date the period starts")
    end = GovUKDateField(label="date the period ends")

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        # The legends are short; the messages above keep their full wording ("… must be a real date").
        self.fields["start"].label = "From"
        self.fields["end"].label = "To"

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", "The date the period ends must be the same as or after the date it starts")
        return cleaned


def period_data(query: QueryDict) -> QueryDict | None:
    """The form's data from a request's query: the date boxes as typed, or ISO ``start``/``end`` split into
    boxes (so a bad link is shown as typed, with its error). None when no period was asked for."""
    if any(f"{name}_{i}" in query for name in ("start", "end") for i in range(3)):
        return query
    if "start" not in query and "end" not in query:
        return None
    data = QueryDict(mutable=True)
    for name in ("start", "end"):
        parts = query.get(name, "").strip().split("-")
        year, month, day = parts if len(parts) == 3 else ("", "", query.get(name, ""))
        data[f"{name}_0"] = day.lstrip("0") or day
        data[f"{name}_1"] = month.lstrip("0") or month
        data[f"{name}_2"] = year
    return data


class TargetForm(VersionedForm):
    value = forms.CharField(label="Target", max_length=20,
                            error_messages={"required": "Enter the target, as a number"})
    rationale = forms.CharField(
        label="Why this target", widget=forms.Textarea, max_length=2000,
        error_messages={"required": "Say why this is the target, for the board and the next person to set it"},
        help_text="For example, the England figure for 2025, or the improvement plan's milestone",
    )

    def __init__(self, *args: Any, unit: str = "number", **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.unit = unit
        if unit == "percent":
            self.fields["value"].help_text = "A percentage from 0 to 100, for example 85 or 87.5"
        elif unit == "per_10k":
            self.fields["value"].help_text = "A rate per 10,000 children, for example 53.4"
        else:
            self.fields["value"].help_text = "A number, for example 15.5"

    def clean_value(self) -> float:
        text = self.cleaned_data["value"].strip().rstrip("%").replace(",", "").strip()
        try:
            value = float(text)
        except ValueError:
            raise forms.ValidationError("Enter the target as a number, like 85 or 53.4") from None
        if value != value or value in (float("inf"), float("-inf")):
            raise forms.ValidationError("Enter the target as a number, like 85 or 53.4")
        if value < 0:
            raise forms.ValidationError("The target must be 0 or more")
        if self.unit == "percent" and value > 100:
            raise forms.ValidationError("A percentage target must be 100 or less")
        return value
