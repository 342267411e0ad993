"""Front-door forms. Validation of sequence and dates is the services'; these check what was typed."""

from __future__ import annotations

import re
from datetime import datetime, time
from typing import Any

from django import forms
from django.utils import timezone

from hearth.accounts.models import Team
from hearth.cin.codes import PrimaryNeed, ReferralSource
from hearth.clocks.working_days import LONDON
from hearth.people.forms import LengthMessages, NHSNumberField, PostcodeField
from hearth.workspace.forms import GovUKDateField, VersionedForm

from .models import Contact, EarlyHelpEpisode, MysteryShopperCheck

_TIME = re.compile(r"^\s*(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm)?\s*$", re.IGNORECASE)


def parse_time(value: str) -> time | None:
    """'14:30', '14.30', '2:30pm', '9am' -> a time; None if it is not one."""
    match = _TIME.match(value or "")
    if match is None:
        return None
    hour, minute, half = int(match.group(1)), int(match.group(2) or 0), (match.group(3) or "").lower()
    if half:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if half == "pm" else 0)
    elif match.group(2) is None:
        return None  # "14" alone is too easy to mistype
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)


class _WhenMixin:
    """A GOV.UK date and a time box that together make one moment, not in the future."""

    date_field = "received_on"
    time_field = "received_time"
    noun = "time received"

    def clean_when(self, cleaned: dict[str, Any]) -> datetime | None:
        day = cleaned.get(self.date_field)
        typed = cleaned.get(self.time_field, "")
        if typed and parse_time(typed) is None:
            self.add_error(self.time_field, f"Enter the {self.noun} as hours and minutes, like 14:30")  # type: ignore[attr-defined]
            return None
        if day is None or not typed:
            return None
        moment = datetime.combine(day, parse_time(typed), tzinfo=LONDON)  # type: ignore[arg-type]
        if moment > timezone.now():
            self.add_error(self.time_field, f"The {self.noun} must be now or in the past")  # type: ignore[attr-defined]
            return None
        return moment


STAFF_CHANNELS = [c for c in Contact.Channel.choices if c[0] != Contact.Channel.PORTAL]


class ContactForm(_WhenMixin, LengthMessages, forms.Form):
    received_on = GovUKDateField(label="Date received", help_text="For example, 22 4 2025")
    received_time = forms.CharField(label="Time received", max_length=10, help_text="For example, 14:30",
                                    error_messages={"required": "Enter the time received, like 14:30"})
    channel = forms.ChoiceField(label="How did the contact come in?", choices=STAFF_CHANNELS,
                                widget=forms.RadioSelect,
                                error_messages={"required": "Select how the contact came in"})
    source = forms.ChoiceField(label="Source (CIN census referral source)",
                               choices=[("", "Choose a source"), *ReferralSource.choices],
                               error_messages={"required": "Choose the source of the contact"})
    referrer_name = forms.CharField(label="Name of the person making contact", max_length=150, required=False)
    referrer_organisation = forms.CharField(label="Organisation", max_length=150, required=False)
    referrer_role = forms.CharField(label="Role or relationship to the child", max_length=100, required=False)
    referrer_phone = forms.CharField(label="Telephone", max_length=40, required=False)
    referrer_email = forms.EmailField(label="Email", required=False,
                                      error_messages={"invalid": "Enter an email address in the correct format, "
                                                                 "like name@example.com"})
    concerns = forms.CharField(label="What are the concerns?", widget=forms.Textarea,
                               error_messages={"required": "Enter the concerns about the child"})
    consent = forms.ChoiceField(label="Consent", choices=Contact.Consent.choices, widget=forms.RadioSelect,
                                error_messages={"required": "Select whether the family consents"})
    consent_notes = forms.CharField(label="Notes about consent", widget=forms.Textarea, required=False)
    child_first_name = forms.CharField(label="Child's first name", max_length=100, required=False)
    child_last_name = forms.CharField(label="Child's last name", max_length=100, required=False)
    child_date_of_birth = GovUKDateField(label="Child's date of birth", required=False,
                                         help_text="If known. For example, 27 3 2015")
    child_address = forms.CharField(label="Child's address", max_length=300, required=False,
                                    widget=forms.Textarea(attrs={"rows": 3}))
    child_postcode = PostcodeField(label="Postcode", required=False)
    child_school = forms.CharField(label="School or nursery", max_length=150, required=False)
    child_parents_or_carers = forms.CharField(label="Parents or carers", max_length=300, required=False,
                                              widget=forms.Textarea(attrs={"rows": 2}))
    child_nhs_number = NHSNumberField()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        cleaned["received_at"] = self.clean_when(cleaned)
        if (cleaned.get("consent") in (Contact.Consent.NOT_SOUGHT_OTHER, Contact.Consent.NOT_GIVEN)
                and not (cleaned.get("consent_notes") or "").strip()):
            self.add_error("consent_notes", "Explain why consent was not given or not sought")
        return cleaned

    def child_details(self) -> dict[str, str]:
        """What the referrer said about the child, as the contact keeps it (empty answers left out)."""
        details = {}
        for name, value in self.cleaned_data.items():
            if name.startswith("child_") and value:
                details[name.removeprefix("child_")] = value.isoformat() if hasattr(value, "isoformat") else value
        return details


class ScreenForm(VersionedForm):
    priority = forms.ChoiceField(label="Priority", choices=Contact.Priority.choices, widget=forms.RadioSelect,
                                 error_messages={"required": "Choose the priority: red, amber or green"})
    notes = forms.CharField(label="Screening notes", widget=forms.Textarea, required=False,
                            help_text="What checks were made and what they found")


OPEN_CASE = "open_case"


class DecideForm(VersionedForm):
    decision = forms.ChoiceField(label="Decision", widget=forms.RadioSelect,
                                 error_messages={"required": "Choose the decision"})
    rationale = forms.CharField(label="Rationale", widget=forms.Textarea,
                                help_text="Why this decision is right for the child. It is kept as the manager's "
                                          "recorded rationale.",
                                error_messages={"required": "Enter the rationale for the decision"})
    team = forms.ModelChoiceField(label="Team", queryset=Team.objects.none(), required=False,
                                  empty_label="Choose a team",
                                  help_text="For early help, a referral or a strategy discussion: who takes it on")
    primary_need = forms.ChoiceField(label="Primary need", required=False,
                                     choices=[("", "Not yet known"), *PrimaryNeed.choices])

    def __init__(self, *args: Any, local_authority_id: int, open_case: bool = False, **kwargs: Any):
        super().__init__(*args, **kwargs)
        choices = list(Contact.Decision.choices)
        if open_case:
            choices.append((OPEN_CASE, "Add to the open case (record the information on the child's open case)"))
        decision = self.fields["decision"]
        assert isinstance(decision, forms.ChoiceField)
        decision.choices = choices
        team = self.fields["team"]
        assert isinstance(team, forms.ModelChoiceField)
        team.queryset = Team.objects.filter(local_authority_id=local_authority_id).order_by("name")


class FindChildForm(forms.Form):
    """Which existing record is the child (a pk offered among the likely matches)."""

    use = forms.IntegerField(widget=forms.HiddenInput)


class EarlyHelpForm(LengthMessages, VersionedForm):
    lead_team = forms.ModelChoiceField(label="Lead team", queryset=Team.objects.none(), required=False,
                                       empty_label="No council team leads")
    lead_professional = forms.CharField(label="Lead professional", max_length=150, required=False,
                                        help_text="Name and agency, for example 'Priya Shah, Bulwell Academy'")
    assessment_organisation = forms.CharField(label="Organisation doing the early help assessment",
                                              max_length=150, required=False)
    assessment_started_on = GovUKDateField(label="Date the assessment started", required=False)
    assessment_completed_on = GovUKDateField(label="Date the assessment was completed", required=False)

    def __init__(self, *args: Any, local_authority_id: int, **kwargs: Any):
        super().__init__(*args, **kwargs)
        team = self.fields["lead_team"]
        assert isinstance(team, forms.ModelChoiceField)
        team.queryset = Team.objects.filter(local_authority_id=local_authority_id).order_by("name")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not self.has_error("lead_team") and not cleaned.get("lead_team") and not (
            cleaned.get("lead_professional") or ""
        ).strip():
            self.add_error("lead_professional", "Enter the lead professional, or choose the lead team")
        return cleaned


class EarlyHelpEndForm(VersionedForm):
    ended_on = GovUKDateField(label="Date early help ended")
    outcome = forms.ChoiceField(
        label="Outcome", widget=forms.RadioSelect,
        choices=[c for c in EarlyHelpEpisode.Outcome.choices if c[0] != EarlyHelpEpisode.Outcome.STEPPED_UP],
        error_messages={"required": "Choose the outcome"},
    )


class StepUpForm(VersionedForm):
    on = GovUKDateField(label="Date of the step-up referral")
    team = forms.ModelChoiceField(label="Team taking the referral", queryset=Team.objects.none(), required=False,
                                  empty_label="Choose a team")
    primary_need = forms.ChoiceField(label="Primary need", required=False,
                                     choices=[("", "Not yet known"), *PrimaryNeed.choices])

    def __init__(self, *args: Any, local_authority_id: int, **kwargs: Any):
        super().__init__(*args, **kwargs)
        team = self.fields["team"]
        assert isinstance(team, forms.ModelChoiceField)
        team.queryset = Team.objects.filter(local_authority_id=local_authority_id).order_by("name")


class MysteryShopForm(_WhenMixin, LengthMessages, forms.Form):
    date_field = "carried_out_on"
    time_field = "carried_out_time"
    noun = "time of the check"

    carried_out_on = GovUKDateField(label="Date of the check")
    carried_out_time = forms.CharField(label="Time of the check", max_length=10, help_text="For example, 14:30",
                                       error_messages={"required": "Enter the time of the check, like 14:30"})
    channel = forms.ChoiceField(label="How was the front door contacted?", widget=forms.RadioSelect,
                                choices=MysteryShopperCheck.Channel.choices,
                                error_messages={"required": "Select how the front door was contacted"})
    outcome = forms.ChoiceField(label="Outcome", widget=forms.RadioSelect,
                                choices=MysteryShopperCheck.Outcome.choices,
                                error_messages={"required": "Choose the outcome"})
    seconds_to_answer = forms.IntegerField(
        label="Seconds to answer", required=False, min_value=0, max_value=86400,
        help_text="Leave blank if it was not answered",
        error_messages={"invalid": "Seconds to answer must be a whole number, like 45",
                        "min_value": "Seconds to answer must be 0 or more",
                        "max_value": "Seconds to answer must be 86400 (one day) or fewer"},
    )
    advice_quality = forms.TypedChoiceField(
        label="Quality of the advice", required=False, widget=forms.RadioSelect, coerce=int, empty_value=None,
        choices=MysteryShopperCheck.Quality.choices,
    )
    scenario = forms.CharField(label="Scenario", widget=forms.Textarea, required=False,
                               help_text="What the tester said they were worried about")
    notes = forms.CharField(label="Notes", widget=forms.Textarea, required=False)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        cleaned["carried_out_at"] = self.clean_when(cleaned)
        return cleaned


class QueueFilterForm(forms.Form):
    status = forms.ChoiceField(label="Status", required=False,
                               choices=[("", "Any status"), (Contact.Status.RECEIVED, "Received"),
                                        (Contact.Status.SCREENING, "Being screened")])
    priority = forms.ChoiceField(label="Priority", required=False,
                                 choices=[("", "Any priority"), ("red", "Red"), ("amber", "Amber"),
                                          ("green", "Green"), ("none", "Not yet screened")])
