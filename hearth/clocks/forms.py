from __future__ import annotations

from django import forms

from hearth.workspace.forms import GovUKDateField


class BankHolidayForm(forms.Form):
    # When the holiday was last saved, as the editor saw it: a later save by someone else is refused.
    last_updated = forms.CharField(widget=forms.HiddenInput, required=False)

    on = GovUKDateField(label="Date", allow_future=True, help_text="For example, 4 6 2027")
    name = forms.CharField(
        label="Name",
        max_length=100,
        help_text="As announced on GOV.UK, for example, Coronation of King Charles III",
        error_messages={
            "required": "Enter the name of the bank holiday",
            "max_length": "Name must be 100 characters or fewer",
        },
    )
