from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from hearth.workspace.forms import GovUKDateField, VersionedForm

from .models import Person


class PersonDetailsForm(VersionedForm):
    first_name = forms.CharField(label="First name", max_length=100)
    last_name = forms.CharField(label="Last name", max_length=100)
    preferred_name = forms.CharField(
        label="Preferred name (optional)", max_length=100, required=False,
        help_text="What the child likes to be called, if different",
    )
    date_of_birth = GovUKDateField(label="Date of birth", required=False, help_text="For example, 27 3 2015")
    sex = forms.ChoiceField(label="Sex", choices=Person.Sex.choices, help_text="As recorded for the DfE census")


class ChildSearchForm(forms.Form):
    q = forms.CharField(
        label="Search by name, Hearth ID or date of birth", required=False, max_length=100,
        help_text="For example, Jordan Smith, 0001234 or 27/3/2015",
    )


class BreakGlassForm(forms.Form):
    reason = forms.CharField(
        label="Why do you need to open this record?",
        help_text="Your reason is recorded and the record's manager is told straight away.",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
    )


class AccessLevelForm(forms.Form):
    access_level = forms.ChoiceField(label="Who can open this record", choices=Person.AccessLevel.choices,
                                     widget=forms.RadioSelect,
                                     error_messages={"required": "Choose who can open this record"})
    reason = forms.CharField(
        label="Reason for protecting the record", required=False, max_length=200,
        help_text="Needed if the record is restricted or sealed",
    )


class AllowListAddForm(forms.Form):
    user: forms.ModelChoiceField = forms.ModelChoiceField(
        label="Give access to", queryset=None, empty_label="Choose a member of staff",
        error_messages={"required": "Choose who to give access to",
                        "invalid_choice": "Choose a member of staff from the list"},
    )
    reason = forms.CharField(label="Why they need access", max_length=200,
                             error_messages={"required": "Give the reason they need access"})

    def __init__(self, *args: Any, staff: QuerySet | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        field = self.fields["user"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = staff
