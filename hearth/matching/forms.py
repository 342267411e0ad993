from __future__ import annotations

from typing import Any

from django import forms

from hearth.people.models import Person


def _describe(person: Person) -> str:
    born = f", born {person.date_of_birth:%-d %B %Y}" if person.date_of_birth else ""
    return f"Keep record {person.hearth_id}: {person.full_name}{born}"


class MergeForm(forms.Form):
    """Which of the pair survives, and why the two are one person."""

    survivor = forms.TypedChoiceField(
        label="Which record should be kept?",
        coerce=int,
        widget=forms.RadioSelect,
        help_text="Everything on the other record moves to the one you keep. The other record is kept, "
                  "hidden, so the merge can be undone.",
        error_messages={"required": "Select which record to keep"},
    )
    reason = forms.CharField(
        label="Why are these records the same person?",
        help_text="For example, confirmed with the school that this is the same child, recorded twice.",
        widget=forms.Textarea,
        max_length=1000,
        error_messages={"required": "Enter why these records are the same person",
                        "max_length": "Reason must be 1,000 characters or fewer"},
    )

    def __init__(self, *args: Any, left: Person, right: Person, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.people = {left.pk: left, right.pk: right}
        self.fields["survivor"].choices = [(left.pk, _describe(left)), (right.pk, _describe(right))]  # type: ignore[attr-defined]

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError("Enter why these records are the same person")
        return reason

    def chosen(self) -> tuple[Person, Person]:
        """(survivor, merged)."""
        survivor_id = self.cleaned_data["survivor"]
        merged_id = next(pk for pk in self.people if pk != survivor_id)
        return self.people[survivor_id], self.people[merged_id]
