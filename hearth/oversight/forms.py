from __future__ import annotations

from typing import Any

from django import forms

from .models import DecisionPoint


class OversightForm(forms.Form):
    rationale = forms.CharField(
        label="Your rationale", widget=forms.Textarea,
        help_text="What you considered, what you decided and why. It goes on the child's chronology.",
        error_messages={"required": "Enter the rationale for the decision"},
    )

    def clean_rationale(self) -> str:
        value: str = self.cleaned_data["rationale"]
        if not value.strip():
            raise forms.ValidationError("Enter the rationale for the decision")
        return value


class GateSettingsForm(forms.Form):
    """One tick per decision point: ticked means oversight is required before the next step.

    ``fingerprint`` is the settings as the page showed them, so two managers changing the gates
    at once cannot silently overwrite each other.
    """

    required = forms.MultipleChoiceField(
        label="Decisions that need management oversight before the next step",
        choices=DecisionPoint.choices, required=False, widget=forms.CheckboxSelectMultiple,
    )
    fingerprint = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, defaults: frozenset[str], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["required"].choices = [  # type: ignore[attr-defined]
            (value, f"{label} ({'on' if value in defaults else 'off'} by default)")
            for value, label in DecisionPoint.choices
        ]
