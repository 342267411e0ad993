"""Forms for the improvement board's meetings and the self-evaluation."""

from __future__ import annotations

from django import forms

from hearth.workspace.forms import GovUKDateField, VersionedForm


class MeetingForm(forms.Form):
    held_on = GovUKDateField(label="Date of the meeting", allow_future=True)
    chair = forms.CharField(label="Chair", max_length=150, required=False,
                            error_messages={"max_length": "The chair's name must be 150 characters or fewer"})
    location = forms.CharField(label="Where it is held", max_length=150, required=False,
                               error_messages={"max_length": "Where the meeting is held must be 150 characters or "
                                                             "fewer"})
    agenda = forms.CharField(label="Agenda", required=False, widget=forms.Textarea)
    minutes = forms.CharField(label="Minutes", required=False, widget=forms.Textarea)
    decisions = forms.CharField(label="Decisions and actions agreed", required=False, widget=forms.Textarea)


class MeetingEditForm(MeetingForm, VersionedForm):
    pass


class SelfEvaluationNewForm(forms.Form):
    title = forms.CharField(label="Title", max_length=150,
                            error_messages={"required": "Enter a title for the self-evaluation",
                                            "max_length": "The title must be 150 characters or fewer"})
    period_start = GovUKDateField(label="Start of the period")
    period_end = GovUKDateField(label="End of the period")

    def clean(self) -> dict:
        data = super().clean() or {}
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", "The end of the period must be the same as or after the start")
        return data


class SelfEvaluationForm(VersionedForm):
    title = forms.CharField(label="Title", max_length=150,
                            error_messages={"required": "Enter a title for the self-evaluation",
                                            "max_length": "The title must be 150 characters or fewer"})
    quality_and_impact = forms.CharField(
        label="What do you know about the quality and impact of social work practice?", required=False,
        widget=forms.Textarea)
    how_you_know = forms.CharField(label="How do you know it?", required=False, widget=forms.Textarea)
    plans = forms.CharField(label="What are your plans for the next 12 months to maintain or improve practice?",
                            required=False, widget=forms.Textarea)


class VersionOnlyForm(VersionedForm):
    """A button that acts on a record (agree, assemble again): only the version the reader saw."""
