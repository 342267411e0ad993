"""Forms for the care plan pages. They check the shape of what was typed; the services check the facts."""

from __future__ import annotations

from typing import Any

from django import forms

from hearth.care.codes import PermanencePlan, ReviewParticipation, SDQReason
from hearth.people.forms import LengthMessages
from hearth.workspace.forms import GovUKDateField, VersionedForm

from .models import HealthAssessment, PersonalEducationPlan

YES_NO = [("yes", "Yes"), ("no", "No")]
YES_NO_BLANK = [("", "Not applicable"), ("yes", "Yes"), ("no", "No")]


def yes(value: str | None) -> bool | None:
    """'yes' → True, 'no' → False, anything else (a blank) → None."""
    return {"yes": True, "no": False}.get(value or "")


def _text(label: str, *, required: bool = False, message: str = "", help_text: str = "") -> forms.CharField:
    return forms.CharField(label=label, required=required, widget=forms.Textarea, help_text=help_text,
                           error_messages={"required": message or f"Enter {label.lower()}"})


def _yes_no(label: str, message: str, *, help_text: str = "") -> forms.ChoiceField:
    return forms.ChoiceField(label=label, choices=YES_NO, widget=forms.RadioSelect, help_text=help_text,
                             error_messages={"required": message})


def _yes_no_blank(label: str, help_text: str) -> forms.ChoiceField:
    # A select, not radios: a chosen radio cannot be cleared again, and "not applicable" must be choosable.
    return forms.ChoiceField(label=label, choices=YES_NO_BLANK, required=False, help_text=help_text)


class _ChooseUser(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.get_full_name() or obj.get_username())


class IROForm(forms.Form):
    iro = _ChooseUser(label="Independent reviewing officer", queryset=None, empty_label="Choose the IRO",
                      error_messages={"required": "Choose the IRO",
                                      "invalid_choice": "Choose the IRO from the list"})
    started_on = GovUKDateField(label="Date the IRO was allocated", help_text="For example, 5 1 2026")

    def __init__(self, *args: Any, iros: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["iro"].queryset = iros  # type: ignore[attr-defined]


class CarePlanForm(forms.Form):
    permanence_plan = forms.ChoiceField(
        label="Permanence plan", choices=PermanencePlan.choices, widget=forms.RadioSelect,
        help_text="Permanence should be settled by the second review",
        error_messages={"required": "Choose the permanence plan"},
    )
    summary = _text("The plan", required=True,
                    message="Enter the plan: why the child is looked after and the plan for their future",
                    help_text="Why the child is looked after, and the plan for their future")
    needs = _text("The child's needs and how they will be met",
                  help_text="Health, education, identity, family and friends, emotional and behavioural needs")
    agreed_on = GovUKDateField(label="Date the plan was agreed", help_text="For example, 12 1 2026")


class CarePlanChangeForm(CarePlanForm, VersionedForm):
    """A change makes a new version. ``plan`` (the version number the editor loaded) and ``version``
    refuse a change made over someone else's."""

    plan = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    agreed_on = GovUKDateField(label="Date the changed plan was agreed", help_text="For example, 12 4 2026")


class PlacementPlanForm(forms.Form):
    agreed_on = GovUKDateField(label="Date the placement plan was agreed", help_text="For example, 9 1 2026")
    summary = _text("Arrangements agreed with the carer", required=True,
                    message="Enter the arrangements agreed with the carer",
                    help_text="Day-to-day care, contact, school, health, delegated authority")


class ReviewForm(forms.Form):
    """Quick to fill in: the date, the chair (the allocated IRO already chosen), participation, recommendations."""

    held_on = GovUKDateField(label="Date of the review", help_text="For example, 20 1 2027")
    chair = _ChooseUser(label="Chair (IRO)", queryset=None, empty_label="Choose the chair",
                        error_messages={"required": "Choose the IRO who chaired the review",
                                        "invalid_choice": "Choose the chair from the list"})
    participation = forms.ChoiceField(
        label="How did the child take part?", choices=ReviewParticipation.choices, widget=forms.RadioSelect,
        error_messages={"required": "Choose how the child took part in the review"},
    )
    recommendations = _text("Recommendations", help_text="What the review decided, who does what and by when")
    statutory = _yes_no("Is this a statutory review?", "Select yes if this is a statutory review",
                        help_text="A statutory review stops the review clock and starts the next one")

    def __init__(self, *args: Any, iros: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["chair"].queryset = iros  # type: ignore[attr-defined]


class VisitForm(forms.Form):
    visited_on = GovUKDateField(label="Date of the visit", help_text="For example, 14 1 2027")
    seen = _yes_no("Was the child seen?", "Select yes if the child was seen")
    seen_alone = _yes_no("Was the child seen alone?", "Select yes if the child was seen alone")
    notes = _text("What you saw, and the child's wishes and feelings")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("seen") == "no" and data.get("seen_alone") == "yes":
            self.add_error("seen_alone", "The child cannot be seen alone if they were not seen")
        return data


class HealthAssessmentForm(LengthMessages, forms.Form):
    kind = forms.ChoiceField(label="Kind of health assessment", choices=HealthAssessment.Kind.choices,
                             widget=forms.RadioSelect,
                             error_messages={"required": "Choose the kind of health assessment"})
    done_on = GovUKDateField(label="Date of the assessment", help_text="For example, 15 1 2027")
    done_by = forms.CharField(label="Done by", max_length=200, required=False,
                              help_text="The doctor or nurse, and their service")
    notes = _text("Notes")


class DentalCheckForm(forms.Form):
    checked_on = GovUKDateField(label="Date of the dental check", help_text="For example, 3 2 2027")
    notes = _text("Notes")


class ImmunisationCheckForm(forms.Form):
    checked_on = GovUKDateField(label="Date the immunisations were checked", help_text="For example, 3 2 2027")
    up_to_date = _yes_no("Are the child's immunisations up to date?",
                         "Select yes if the child's immunisations are up to date")
    notes = _text("Notes")


class SDQForm(forms.Form):
    completed_on = GovUKDateField(label="Date the questionnaire was completed", help_text="For example, 3 2 2027")
    score = forms.IntegerField(
        label="SDQ score", required=False, min_value=0, max_value=40, help_text="From 0 to 40",
        error_messages={"invalid": "Enter the SDQ score as a whole number from 0 to 40",
                        "min_value": "The SDQ score must be between 0 and 40",
                        "max_value": "The SDQ score must be between 0 and 40"},
    )
    reason = forms.ChoiceField(label="Or, the reason there is no score", required=False,
                               choices=[("", "There is a score"), *SDQReason.choices])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "score" in self.errors:
            return data
        score, reason = data.get("score"), data.get("reason")
        if score is not None and reason:
            self.add_error("score", "Enter a score or choose a reason there is no score, not both")
        elif score is None and not reason:
            self.add_error("score", "Enter the SDQ score, or choose the reason there is no score")
        return data


class PEPForm(LengthMessages, forms.Form):
    kind = forms.ChoiceField(label="Initial PEP or review?", choices=PersonalEducationPlan.Kind.choices,
                             widget=forms.RadioSelect, error_messages={"required": "Choose initial PEP or PEP review"})
    held_on = GovUKDateField(label="Date of the PEP meeting", help_text="For example, 20 1 2027")
    school = forms.CharField(label="School, college or setting", max_length=200,
                             error_messages={"required": "Enter the school, college or setting"})
    designated_teacher = forms.CharField(label="Designated teacher", max_length=200, required=False)
    notes = _text("Targets and support agreed")


class OC2OutcomeForm(VersionedForm):
    """The OC2 items nobody can derive. ``version`` is 0 for outcomes not recorded yet."""

    convicted = _yes_no("Was the child convicted, or given a final warning or reprimand, during the year?",
                        "Select yes if the child was convicted or given a final warning or reprimand")
    substance_misuse = _yes_no("Was a substance misuse problem identified during the year?",
                               "Select yes if a substance misuse problem was identified")
    intervention_received = _yes_no_blank(
        "Did the child receive an intervention for their substance misuse problem?",
        "Only if a substance misuse problem was identified")
    intervention_offered = _yes_no_blank(
        "Was an intervention offered but refused?", "Only if the child did not receive an intervention")
