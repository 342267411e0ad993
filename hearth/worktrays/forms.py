from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.db.models import QuerySet

from hearth.accounts.models import User
from hearth.people.models import Person


class WorkerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.get_full_name()} ({obj.get_role_display().lower()})"


class BulkAllocationForm(forms.Form):
    """Several waiting children, one worker. The children offered are the team's list as drawn now."""

    children = forms.TypedMultipleChoiceField(
        label="Children to allocate", coerce=int, widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select at least one child to allocate",
                        "invalid_choice": "A child you selected has been allocated or has left the list since "
                                          "the page was shown. Check the list and try again"},
    )
    worker = WorkerChoiceField(
        label="Allocate to", queryset=User.objects.none(), empty_label="Choose a worker",
        error_messages={"required": "Choose the worker to allocate the children to",
                        "invalid_choice": "Choose a worker who is a current member of this team"},
    )

    def __init__(self, *args: Any, waiting: Iterable[Person], workers: QuerySet[User], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["children"].choices = [(p.pk, p.full_name) for p in waiting]  # type: ignore[attr-defined]
        self.fields["worker"].queryset = workers  # type: ignore[attr-defined]
