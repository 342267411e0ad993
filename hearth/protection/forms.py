"""Forms for child protection. They check the shape of what was typed; the services check the sequence."""

from __future__ import annotations

from typing import Any

from django import forms

from hearth.accounts.models import User
from hearth.cin.codes import CategoryOfAbuse
from hearth.people.forms import LengthMessages
from hearth.workspace.forms import GovUKDateField, VersionedForm

from .models import Agency, ChildProtectionConference, ChildProtectionPlan, Section47Enquiry, StrategyDiscussion

YES_NO = [("yes", "Yes"), ("no", "No")]
Conference = ChildProtectionConference


def _text(label: str, *, required: bool = True, message: str = "", help_text: str = "") -> forms.CharField:
    return forms.CharField(label=label, required=required, widget=forms.Textarea, help_text=help_text,
                           error_messages={"required": message or f"Enter {label.lower()}"})


class StrategyDiscussionForm(forms.Form):
    held_on = GovUKDateField(label="Date of the strategy discussion", help_text="For example, 20 12 2024")
    agencies_present = forms.MultipleChoiceField(
        label="Agencies that took part", choices=Agency.choices, widget=forms.CheckboxSelectMultiple,
        help_text="Children's social care, the police and health should take part in every strategy discussion",
        error_messages={"required": "Choose the agencies that took part"},
    )
    attendees = _text("Who took part", required=False, help_text="Names, roles and agencies")
    reason = _text("Why there is reasonable cause to suspect significant harm",
                   message="Enter why there is reasonable cause to suspect significant harm")
    immediate_safety_actions = _text("Immediate action to keep the child safe", required=False)
    decision = forms.ChoiceField(
        label="What did the strategy discussion decide?", choices=StrategyDiscussion.Decision.choices,
        widget=forms.RadioSelect, error_messages={"required": "Choose what the strategy discussion decided"},
    )


class S47CompleteForm(VersionedForm):
    completed_on = GovUKDateField(label="Date the enquiry was completed", help_text="For example, 8 1 2025")
    outcome = forms.ChoiceField(label="Outcome of the enquiry", choices=Section47Enquiry.Outcome.choices,
                                widget=forms.RadioSelect,
                                error_messages={"required": "Choose the outcome of the enquiry"})
    findings = _text("What the enquiry found", message="Enter what the enquiry found")


class OversightForm(forms.Form):
    rationale = _text("Management oversight and rationale", message="Enter the rationale for the decision",
                      help_text="What you considered, what you decided and why")


class ConferenceForm(LengthMessages, forms.Form):
    """One form for the three kinds; ``kind`` decides which outcomes and extra fields it has."""

    held_on = GovUKDateField(label="Date of the conference", help_text="A weekday. For example, 15 1 2025")
    notified_on = GovUKDateField(label="Date you were told the child had moved here", required=False,
                                 help_text="For example, 6 1 2025")
    previous_authority = forms.CharField(label="Council whose plan the child was on", required=False,
                                         max_length=150)
    chair: forms.ModelChoiceField = forms.ModelChoiceField(
                                   label="Chair", queryset=User.objects.none(), empty_label="Choose the chair",
                                   error_messages={"required": "Choose the chair of the conference",
                                                   "invalid_choice": "Choose the chair from the list"})
    attendees = _text("Who attended", required=False, help_text="Names, roles and agencies; who sent reports")
    outcome = forms.ChoiceField(label="Outcome", widget=forms.RadioSelect,
                                error_messages={"required": "Choose the outcome of the conference"})
    category = forms.ChoiceField(
        label="Category of abuse", required=False, widget=forms.RadioSelect,
        choices=[("", "None"), *CategoryOfAbuse.choices],
        help_text="Needed when the conference decides on a plan",
    )
    end_reason = forms.ChoiceField(label="Why the plan ends", required=False, widget=forms.RadioSelect,
                                   choices=[("", "None"), *ChildProtectionPlan.EndReason.choices])
    summary_of_concerns = _text("Summary of concerns", required=False)
    decisions_and_reasons = _text("Decisions and reasons", required=False)
    outline_plan = _text("Outline child protection plan", required=False,
                         help_text="What must change, by when, and who does what")
    family_summary = _text("For the family, in plain words", required=False,
                           help_text="Short sentences, no jargon: what the meeting decided and what happens next")

    def __init__(self, *args: Any, kind: str, chairs: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.fields["chair"].queryset = chairs  # type: ignore[attr-defined]
        self.fields["chair"].label_from_instance = lambda u: u.get_full_name() or u.get_username()  # type: ignore[attr-defined]
        if kind == Conference.Kind.REVIEW:
            outcomes = [Conference.Outcome.PLAN_CONTINUES, Conference.Outcome.PLAN_ENDS]
            self.fields["category"].help_text = "Only if the category changes"
            del self.fields["outline_plan"]
        else:
            outcomes = [Conference.Outcome.PLAN, Conference.Outcome.NO_PLAN]
            del self.fields["end_reason"]
        self.fields["outcome"].choices = [(o.value, o.label) for o in outcomes]  # type: ignore[attr-defined]
        if kind != Conference.Kind.TRANSFER_IN:
            del self.fields["notified_on"]
            del self.fields["previous_authority"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        outcome = data.get("outcome")
        if outcome == Conference.Outcome.PLAN and not data.get("category"):
            self.add_error("category", "Choose the category of abuse for the plan")
        if outcome == Conference.Outcome.PLAN_ENDS and not data.get("end_reason"):
            self.add_error("end_reason", "Choose why the plan ends")
        return data


class TransferInForm(LengthMessages, forms.Form):
    notified_on = GovUKDateField(label="Date you were told the child had moved here",
                                 help_text="For example, 6 1 2025")
    previous_authority = forms.CharField(label="Council whose plan the child is on", max_length=150,
                                         error_messages={"required": "Enter the council whose plan the child is on"})


class PlanEndForm(VersionedForm):
    ended_on = GovUKDateField(label="Date the plan ended", help_text="For example, 30 6 2025")
    reason = forms.ChoiceField(label="Why the plan is ending", choices=ChildProtectionPlan.EndReason.choices,
                               widget=forms.RadioSelect, error_messages={"required": "Choose why the plan is ending"})


class PlanEditForm(VersionedForm):
    outline_plan = _text("Outline child protection plan", required=False,
                         help_text="What must change, by when, and who does what")
    family_summary = _text("The plan for the family, in plain words", required=False,
                           help_text="Short sentences, no jargon. This is printed in the family's version")
    visit_interval_days = forms.IntegerField(
        label="Visit the child at least every", required=False, min_value=1, max_value=60,
        help_text="In working days. Leave blank to use the council's usual frequency",
        error_messages={"invalid": "Enter a whole number of working days, like 10",
                        "min_value": "Visits must be at least 1 working day apart",
                        "max_value": "Visits must be no more than 60 working days apart"},
    )


class CoreGroupForm(forms.Form):
    held_on = GovUKDateField(label="Date of the core group meeting", help_text="For example, 8 1 2026")
    attendees = _text("Who attended", required=False)
    progress = _text("Progress against the plan and actions agreed", required=False)


class CPVisitForm(forms.Form):
    visited_on = GovUKDateField(label="Date of the visit", help_text="For example, 14 1 2026")
    child_seen = forms.ChoiceField(label="Was the child seen?", choices=YES_NO, widget=forms.RadioSelect,
                                   error_messages={"required": "Select yes if the child was seen"})
    child_seen_alone = forms.ChoiceField(label="Was the child seen alone?", choices=YES_NO,
                                         widget=forms.RadioSelect,
                                         error_messages={"required": "Select yes if the child was seen alone"})
    observations = _text("What you saw and what the child said", required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("child_seen") == "no" and data.get("child_seen_alone") == "yes":
            self.add_error("child_seen_alone", "The child cannot be seen alone if they were not seen")
        return data
