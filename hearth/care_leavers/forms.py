"""Forms for care leavers. They check shape; the services check the rules and the dates."""

from __future__ import annotations

from typing import Any

from django import forms

from hearth.accounts.models import User
from hearth.care.codes import AccommodationType, Activity, InTouch
from hearth.fostering.models import FosterHousehold
from hearth.workspace.forms import GovUKDateField, VersionedForm

from .models import CareLeaverContact, PathwayPlan, StatusDecision
from .selectors import personal_advisers

YES_NO = [("yes", "Yes"), ("no", "No")]


def _yes_no(value: str | None) -> bool | None:
    return {"yes": True, "no": False}.get(value or "")


class AdviserChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        team = f", {obj.team.name}" if obj.team_id else ""
        return f"{obj.get_full_name()}{team}"


class AdviserForm(forms.Form):
    adviser = AdviserChoice(label="Personal adviser", queryset=User.objects.none(), empty_label="Select an adviser",
                            error_messages={"required": "Select a personal adviser"})
    started_on = GovUKDateField(label="Date allocated")

    def __init__(self, *args: Any, local_authority_id: int, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["adviser"].queryset = personal_advisers(local_authority=local_authority_id)  # type: ignore[attr-defined]


class AdviserEndForm(forms.Form):
    ended_on = GovUKDateField(label="Date the allocation ended")
    reason = forms.CharField(label="Why it is ending", max_length=200,
                             error_messages={"required": "Enter why the personal adviser's allocation is ending"})


class NeedsAssessmentForm(forms.Form):
    completed_on = GovUKDateField(label="Date the needs assessment was completed")
    summary = forms.CharField(label="Summary of needs", required=False, widget=forms.Textarea(attrs={"rows": 8}),
                              help_text="Health, education and training, accommodation, money, relationships and "
                                        "practical skills")
    late_reason = forms.CharField(label="If it was late, why", required=False, widget=forms.Textarea(attrs={"rows": 3}))


def _sections() -> dict[str, forms.CharField]:
    return {name: forms.CharField(label=heading, required=False, widget=forms.Textarea(attrs={"rows": 5}))
            for name, heading in PathwayPlan.SECTIONS}


class _PlanFields(forms.Form):
    contact_interval_weeks = forms.IntegerField(
        label="How often to keep in touch, in weeks", required=False, min_value=1, max_value=26,
        help_text="Agreed with the young person. Leave blank for the council's usual interval",
        error_messages={"min_value": "Enter a number of weeks from 1 to 26",
                        "max_value": "Enter a number of weeks from 1 to 26",
                        "invalid": "Enter a whole number of weeks, like 4"},
    )

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        for name, field in _sections().items():
            self.fields[name] = field


class PlanStartForm(_PlanFields):
    started_on = GovUKDateField(label="Date the plan was agreed")
    field_order = ["started_on"]


class PlanEditForm(VersionedForm, _PlanFields):
    pass


class PlanReviewForm(forms.Form):
    held_on = GovUKDateField(label="Date of the review")
    young_person_took_part = forms.ChoiceField(label="Did the young person take part?", choices=YES_NO,
                                               widget=forms.RadioSelect, required=False)
    summary = forms.CharField(label="What changed in the plan", required=False, widget=forms.Textarea)

    def clean_young_person_took_part(self) -> bool | None:
        return _yes_no(self.cleaned_data.get("young_person_took_part"))


class PlanEndForm(VersionedForm):
    ended_on = GovUKDateField(label="Date the plan ended")
    end_reason = forms.ChoiceField(label="Why the plan ended", choices=PathwayPlan.EndReason.choices,
                                   widget=forms.RadioSelect, error_messages={"required": "Select why the plan ended"})


class ContactForm(forms.Form):
    contacted_on = GovUKDateField(label="Date of the contact")
    in_touch = forms.ChoiceField(label="Were you in touch with the young person?", choices=InTouch.choices,
                                 widget=forms.RadioSelect,
                                 error_messages={"required": "Select whether you were in touch"})
    method = forms.ChoiceField(label="How", choices=CareLeaverContact.Method.choices, widget=forms.RadioSelect,
                               error_messages={"required": "Select how the contact was made"})
    note = forms.CharField(label="Notes", required=False, widget=forms.Textarea(attrs={"rows": 4}))


class AccommodationForm(forms.Form):
    started_on = GovUKDateField(label="Date they moved in")
    accommodation = forms.ChoiceField(label="Type of accommodation", choices=AccommodationType.choices,
                                      widget=forms.RadioSelect,
                                      error_messages={"required": "Select the type of accommodation"})
    suitable = forms.ChoiceField(label="Is it suitable?", choices=YES_NO, widget=forms.RadioSelect,
                                 error_messages={"required": "Select whether the accommodation is suitable"})
    note = forms.CharField(label="Notes", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def clean_suitable(self) -> bool | None:
        return _yes_no(self.cleaned_data.get("suitable"))


class ActivityForm(forms.Form):
    started_on = GovUKDateField(label="Date it started")
    activity = forms.ChoiceField(label="What they are doing", choices=Activity.choices, widget=forms.RadioSelect,
                                 error_messages={"required": "Select what they are doing"})
    note = forms.CharField(label="Notes", required=False, widget=forms.Textarea(attrs={"rows": 3}),
                           help_text="For example the course, the employer or the training provider")


class StayingPutForm(forms.Form):
    started_on = GovUKDateField(label="Date staying put started")
    foster_household = forms.ModelChoiceField(label="Foster household", required=False,
                                              queryset=FosterHousehold.objects.none(),
                                              empty_label="Not on the register (enter names below)")
    carer_name = forms.CharField(label="Former foster carers' names", required=False, max_length=200)

    def __init__(self, *args: Any, local_authority_id: int, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["foster_household"].queryset = (  # type: ignore[attr-defined]
            FosterHousehold.objects.filter(local_authority_id=local_authority_id).order_by("name"))


class StayingPutEndForm(VersionedForm):
    ended_on = GovUKDateField(label="Date staying put ended")
    reason = forms.CharField(label="Why it ended", max_length=200,
                             error_messages={"required": "Enter why staying put ended"})


class DecisionForm(forms.Form):
    kind = forms.ChoiceField(label="What are you recording?", choices=StatusDecision.Kind.choices,
                             widget=forms.RadioSelect, error_messages={"required": "Select what you are recording"})
    effective_on = GovUKDateField(label="Date it applies from", required=False,
                                  help_text="Not needed for custody or hospital on the 16th birthday")
    reason = forms.CharField(label="How you know, and who decided", widget=forms.Textarea(attrs={"rows": 4}),
                             error_messages={"required": "Enter how you know, and who decided"})


class DecisionWithdrawForm(VersionedForm):
    ended_on = GovUKDateField(label="Date it stopped applying")
