from __future__ import annotations

import re
from datetime import datetime, time
from typing import Any

from django import forms
from django.utils import timezone

from hearth.workspace.forms import GovUKDateField, VersionedForm

from .models import EventType
from .services import TITLE_LENGTH

_TIME = re.compile(r"^(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm)?$", re.IGNORECASE)


def parse_time(value: str) -> time | None:
    """24-hour "14:30" (or "14.30"), or "2:30pm"; None when it is not a real time."""
    match = _TIME.match(value.strip().lower().replace(" ", ""))
    if match is None:
        return None
    hour, minute, half = int(match.group(1)), int(match.group(2) or 0), match.group(3)
    if half is not None:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if half == "pm" else 0)
    elif match.group(2) is None:
        return None  # "14" alone is too easy to mistype
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)


class ChronologyFilterForm(forms.Form):
    types = forms.MultipleChoiceField(
        label="Type of event", required=False, choices=EventType.choices, widget=forms.CheckboxSelectMultiple
    )
    start = GovUKDateField(label="Date from", required=False, allow_future=True,
                           help_text="For example, 1 4 2025")
    end = GovUKDateField(label="Date to", required=False, allow_future=True,
                         help_text="For example, 31 3 2026")
    significant = forms.BooleanField(label="Significant events only", required=False)

    def __init__(self, *args: Any, present_types: list[str] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if present_types is not None:
            # Offer the kinds this chronology holds, and keep any already chosen.
            chosen = set(self.data.getlist("types")) if hasattr(self.data, "getlist") else set()
            keep = set(present_types) | (chosen & set(EventType.values))
            self.fields["types"].choices = [(v, label) for v, label in EventType.choices if v in keep]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", "Date to must be the same as or after date from")
        return data

    def filters(self) -> dict[str, Any]:
        """Whatever was valid, so one bad date does not empty the page."""
        data = getattr(self, "cleaned_data", {})
        return {
            "event_types": data.get("types") or (),
            "start": data.get("start"),
            "end": data.get("end"),
            "significant_only": bool(data.get("significant")),
        }


class CaseNoteForm(VersionedForm):
    occurred_on = GovUKDateField(label="Date",
                                 help_text="When the thing the note records happened. For example, 27 3 2026")
    occurred_time = forms.CharField(label="Time", max_length=10, help_text="Use the 24-hour clock, for example 14:30",
                                    error_messages={"required": "Enter the time"})
    title = forms.CharField(label="Title", max_length=TITLE_LENGTH,
                            help_text="A short line for the chronology, for example Home visit: Jordan seen alone",
                            error_messages={"required": "Enter a title for the case note",
                                            "max_length": f"Title must be {TITLE_LENGTH} characters or fewer"})
    body_html = forms.CharField(label="Case note", widget=forms.Textarea,
                                error_messages={"required": "Enter the case note"})
    significant = forms.BooleanField(
        label="This is a significant event", required=False,
        help_text="Significant events can be shown on their own, for example for a court or a review",
    )

    def __init__(self, *args: Any, new: bool = False, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if new:
            self.fields["version"].required = False

    def clean_occurred_time(self) -> time:
        value = self.cleaned_data["occurred_time"]
        parsed = parse_time(value)
        if parsed is None:
            raise forms.ValidationError("Time must be a real time, for example 14:30")
        return parsed

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        day, at = data.get("occurred_on"), data.get("occurred_time")
        if day is not None and at is not None:
            occurred = timezone.make_aware(datetime.combine(day, at))
            if occurred > timezone.now():
                self.add_error("occurred_time", "Time must be now or in the past")
            else:
                data["occurred_at"] = occurred
        return data


class HideEventForm(forms.Form):
    reason = forms.CharField(
        label="Why are you hiding this event?", max_length=200,
        help_text="For example, recorded on the wrong child's record. The event stays in the record's history.",
        widget=forms.Textarea,
        error_messages={"required": "Enter why this event is being hidden",
                        "max_length": "Reason must be 200 characters or fewer"},
    )
