"""Forms for fostering and adoption. They check the shape of what was typed; the services check the order."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q

from hearth.accounts.models import Team, User
from hearth.accounts.roles import Role
from hearth.people.codes import Ethnicity
from hearth.people.forms import LengthMessages
from hearth.workspace.forms import GovUKDateField, VersionedForm

from .models import (
    AdopterApplicant,
    CareType,
    EnquirySource,
    FosterCarerReview,
    FosterHousehold,
    FosterVacancy,
    Need,
    PlacementRequest,
    ProspectiveAdopter,
)

YES_NO = [("yes", "Yes"), ("no", "No")]
H = FosterHousehold


def _text(label: str, *, required: bool = False, message: str = "", help_text: str = "",
          max_length: int | None = None) -> forms.CharField:
    return forms.CharField(label=label, required=required, help_text=help_text, max_length=max_length,
                           error_messages={"required": message or f"Enter {label[0].lower()}{label[1:]}"})


def _area(label: str, *, required: bool = False, message: str = "", help_text: str = "") -> forms.CharField:
    return forms.CharField(label=label, required=required, widget=forms.Textarea, help_text=help_text,
                           error_messages={"required": message or f"Enter {label[0].lower()}{label[1:]}"})


def _radios(label: str, choices: Any, message: str, *, required: bool = True) -> forms.ChoiceField:
    return forms.ChoiceField(label=label, choices=choices, widget=forms.RadioSelect, required=required,
                             error_messages={"required": message, "invalid_choice": f"{message} from the list"})


def _ticks(label: str, choices: Any, message: str, *, required: bool = True, help_text: str = ""
           ) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(label=label, choices=choices, widget=forms.CheckboxSelectMultiple,
                                     required=required, help_text=help_text,
                                     error_messages={"required": message, "invalid_choice": f"{message} from the list"})


def _number(label: str, *, example: str, low: int, high: int, required: bool = True, help_text: str = ""
            ) -> forms.IntegerField:
    noun = label[0].lower() + label[1:]
    field = forms.IntegerField(
        label=label, required=required, min_value=low, max_value=high, help_text=help_text,
        error_messages={"required": f"Enter the {noun}",
                        "invalid": f"Enter the {noun} as a whole number, like {example}",
                        "min_value": f"The {noun} must be {low} or more",
                        "max_value": f"The {noun} must be {high} or less"},
    )
    field.govuk_width = "2"  # type: ignore[attr-defined]
    return field


def fostering_workers(local_authority_id: int | None) -> Any:
    """Staff who assess and supervise carers: fostering social workers and anyone in a fostering team."""
    return (
        User.objects.filter(local_authority_id=local_authority_id, is_active=True)
        .filter(Q(role=Role.FOSTERING_WORKER) | Q(team__kind=Team.Kind.FOSTERING))
        .order_by("last_name", "first_name")
    )


class WorkerChoiceField(forms.ModelChoiceField):
    """A member of the fostering staff; the form fills in the council's list."""

    def label_from_instance(self, obj: Any) -> str:
        return str(obj.get_full_name() or obj.get_username())


def _worker_field(label: str, message: str, *, required: bool = True) -> WorkerChoiceField:
    return WorkerChoiceField(
        label=label, queryset=User.objects.none(), required=required, empty_label="Choose a worker",
        error_messages={"required": message, "invalid_choice": f"{message} from the list"})


class StepForm(LengthMessages, VersionedForm):
    """A step of a pipeline: carries the version of the household (or family) it moves on."""

    def __init__(self, *args: Any, local_authority_id: int | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, WorkerChoiceField):
                field.queryset = fostering_workers(local_authority_id)


def _add_name_errors(form: Any) -> None:
    """The applicants' names, checked with the rest of the form so every error shows at once."""
    from .services import applicant_name_errors

    for field, message in applicant_name_errors(form.applicants()).items():
        if field not in form.errors:
            form.add_error(field, message)


# ---------------------------------------------------------------- fostering: the enquiry


class EnquiryForm(LengthMessages, forms.Form):
    name = _text("How the household is known", required=True, max_length=200,
                 help_text="For example, Patel household", message="Enter how the household is known")
    enquiry_on = GovUKDateField(label="Date of the enquiry", help_text="For example, 3 3 2026")
    source = _radios("How did they hear about fostering?", EnquirySource.choices,
                     "Choose how the household heard about fostering")
    kind = _radios("Kind of fostering", H.Kind.choices, "Choose mainstream or connected person fostering")
    applicant_1_first_name = _text("First applicant's first name", max_length=100)
    applicant_1_last_name = _text("First applicant's last name", max_length=100)
    applicant_2_first_name = _text("Second applicant's first name", max_length=100)
    applicant_2_last_name = _text("Second applicant's last name", max_length=100)
    address = _area("Address")
    postcode = _text("Postcode", max_length=8)
    phone = _text("Phone number", max_length=30)
    email = forms.EmailField(label="Email address", required=False, max_length=254,
                             error_messages={"invalid": "Enter an email address in the right format, like "
                                                        "name@example.com"})
    notes = _area("Notes", help_text="What they asked about, and what happens next")

    def applicants(self) -> list[dict[str, Any]]:
        data = self.cleaned_data
        return [{"first_name": data.get(f"applicant_{i}_first_name", ""),
                 "last_name": data.get(f"applicant_{i}_last_name", "")} for i in (1, 2)]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        _add_name_errors(self)
        return data


class HouseholdEditForm(EnquiryForm, VersionedForm):
    pass


# ---------------------------------------------------------------- fostering: assessment steps


class InitialVisitForm(StepForm):
    visited_on = GovUKDateField(label="Date of the initial visit")
    worker = _worker_field("Who visited", "Choose who made the visit")
    recommendation = _radios("Recommendation", H.Recommendation.choices, "Choose the recommendation of the visit")


class StageStartForm(StepForm):
    started_on = GovUKDateField(label="Date the stage started")


class Stage1EndForm(StepForm):
    ended_on = GovUKDateField(label="Date stage 1 ended")
    checks = _ticks("Checks completed", H.Check.choices, "Choose the checks completed", required=False,
                    help_text="Stage 2 needs the DBS, local authority, medical and reference checks")
    outcome = _radios("Outcome of stage 1", H.Stage1Outcome.choices, "Choose the outcome of stage 1")


class Stage2StartForm(StepForm):
    started_on = GovUKDateField(label="Date stage 2 started")
    assessing_worker = _worker_field("Assessing social worker", "Choose the assessing social worker")


class FormFForm(StepForm):
    completed_on = GovUKDateField(label="Date the Form F assessment was completed")


class PanelForm(StepForm):
    panel_on = GovUKDateField(label="Date of the fostering panel")
    recommendation = _radios("Panel's recommendation", H.PanelRecommendation.choices,
                             "Choose the panel's recommendation")
    terms = _area("Terms of approval recommended", help_text="Number of children, their ages and the types of care")


class TermsForm(StepForm):
    places = _number("Number of children", example="2", low=1, high=6, required=False)
    age_from = _number("Youngest age", example="0", low=0, high=18, required=False, help_text="In years")
    age_to = _number("Oldest age", example="17", low=0, high=18, required=False, help_text="In years")
    care_types = _ticks("Types of care", CareType.choices, "Choose the types of care", required=False)


class DecisionForm(TermsForm):
    decided_on = GovUKDateField(label="Date of the decision")
    decision = _radios("Decision", H.Decision.choices, "Choose the decision")
    supervising_worker = _worker_field("Supervising social worker", "Choose the supervising social worker",
                                       required=False)
    field_order = ["version", "decided_on", "decision", "places", "age_from", "age_to", "care_types",
                   "supervising_worker"]

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        # Needed only to approve: the service says so beside each when missing, so no "(optional)".
        for name in ("places", "age_from", "age_to", "care_types", "supervising_worker"):
            field = self.fields[name]
            field.help_text = (f"{field.help_text}. " if field.help_text else "") + "If approving"
            field.hide_optional = name != "supervising_worker"  # type: ignore[attr-defined]


class WithdrawForm(StepForm):
    withdrawn_on = GovUKDateField(label="Date they left the assessment")
    reason = _radios("Why", H.WithdrawalReason.choices, "Choose why the household left the assessment")
    notes = _area("More about why")


class ReviewForm(StepForm):
    reviewed_on = GovUKDateField(label="Date of the review")
    recommendation = _radios("Recommendation", FosterCarerReview.Recommendation.choices,
                             "Choose the review's recommendation")
    panel_on = GovUKDateField(label="Date the fostering panel heard the review", required=False,
                              help_text="Needed for the first review after approval")
    notes = _area("Summary of the review")


class DeregisterForm(StepForm):
    deregistered_on = GovUKDateField(label="Date of deregistration")
    reason = _radios("Why", H.DeregistrationReason.choices, "Choose why the household is leaving the register")
    notes = _area("More about why")


class VacancyForm(StepForm):
    places = _number("Number of places", example="1", low=1, high=6)
    age_from = _number("Youngest age", example="0", low=0, high=18, help_text="In years")
    age_to = _number("Oldest age", example="17", low=0, high=18, help_text="In years")
    care_types = _ticks("Types of care offered", CareType.choices, "Choose the types of care offered")
    needs = _ticks("Needs the household can meet", Need.choices, "Choose the needs", required=False)
    available_from = GovUKDateField(label="Available from", allow_future=True)
    notes = _area("Notes")


class VacancyCloseForm(StepForm):
    closed_on = GovUKDateField(label="Date the vacancy closed")
    reason = _radios("Why", FosterVacancy.CloseReason.choices, "Choose whether the vacancy was filled or withdrawn")


# ---------------------------------------------------------------- placement requests


class PlacementRequestForm(LengthMessages, forms.Form):
    needed_from = GovUKDateField(label="Date the placement is needed from", allow_future=True)
    urgency = _radios("How urgent is it?", PlacementRequest.Urgency.choices, "Choose how urgent the placement is")
    care_type = _radios("Type of care needed", CareType.choices, "Choose the type of care needed")
    needs = _ticks("Needs the carers must meet", Need.choices, "Choose the needs", required=False)
    number_of_children = _number("Number of children", example="1", low=1, high=6,
                                 help_text="Include brothers and sisters who need to move with the child")
    siblings_together = _radios("Must the brothers and sisters live together?", YES_NO,
                                "Select yes if the brothers and sisters must live together")
    postcode = _text("Postcode where the child lives now", max_length=8,
                     help_text="Used only to prefer carers nearby")
    notes = _area("About the child and what they need")


class RequestCloseForm(StepForm):
    closed_on = GovUKDateField(label="Date")
    reason = _radios("Why is the request closing?", PlacementRequest.CloseReason.choices,
                     "Choose why the request is closing")


# ---------------------------------------------------------------- prospective adopters

A = AdopterApplicant


class AdopterEnquiryForm(LengthMessages, forms.Form):
    name = _text("How the family is known", required=True, max_length=200, help_text="For example, Okoro family",
                 message="Enter how the family is known")
    enquiry_on = GovUKDateField(label="Date of the enquiry", help_text="For example, 3 3 2026")
    source = _radios("How did they hear about adoption?", EnquirySource.choices,
                     "Choose how the family heard about adoption")
    fostering_for_adoption = _radios("Are they also considering fostering for adoption?", YES_NO,
                                     "Select yes if they are considering fostering for adoption")
    applicant_1_first_name = _text("First adopter's first name", max_length=100)
    applicant_1_last_name = _text("First adopter's last name", max_length=100)
    applicant_1_gender = forms.ChoiceField(label="First adopter's gender", choices=A.Gender.choices,
                                           initial=A.Gender.NOT_STATED)
    applicant_1_ethnicity = forms.ChoiceField(label="First adopter's ethnicity", choices=Ethnicity.choices,
                                              initial=Ethnicity.NOBT)
    applicant_1_disability = forms.ChoiceField(label="Is the first adopter disabled?", choices=A.Disability.choices,
                                               initial=A.Disability.NOT_KNOWN)
    applicant_2_first_name = _text("Second adopter's first name", max_length=100)
    applicant_2_last_name = _text("Second adopter's last name", max_length=100)
    applicant_2_gender = forms.ChoiceField(label="Second adopter's gender", choices=A.Gender.choices,
                                           initial=A.Gender.NOT_STATED)
    applicant_2_ethnicity = forms.ChoiceField(label="Second adopter's ethnicity", choices=Ethnicity.choices,
                                              initial=Ethnicity.NOBT)
    applicant_2_disability = forms.ChoiceField(label="Is the second adopter disabled?", choices=A.Disability.choices,
                                               initial=A.Disability.NOT_KNOWN)
    postcode = _text("Postcode", max_length=8)
    phone = _text("Phone number", max_length=30)
    email = forms.EmailField(label="Email address", required=False, max_length=254,
                             error_messages={"invalid": "Enter an email address in the right format, like "
                                                        "name@example.com"})
    notes = _area("Notes")

    def applicants(self) -> list[dict[str, Any]]:
        data = self.cleaned_data
        return [{key: data.get(f"applicant_{i}_{key}", "")
                 for key in ("first_name", "last_name", "gender", "ethnicity", "disability")} for i in (1, 2)]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        _add_name_errors(self)
        return data


class AdopterEditForm(AdopterEnquiryForm, VersionedForm):
    pass


class AdopterStepForm(StepForm):
    """One dated step; the panel, match and placement add their own questions."""

    on = GovUKDateField(label="Date")
    panel_recommendation = _radios("Panel's recommendation", ProspectiveAdopter.PanelRecommendation.choices,
                                   "Choose the panel's recommendation", required=False)
    children_placed = _number("Number of children placed", example="1", low=1, high=6, required=False)
    child_hearth_id = _text("Hearth ID of the child", max_length=12,
                            help_text="Optional. Only a record you may open can be linked")

    def __init__(self, *args: Any, step: str, date_label: str, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["on"].label = date_label
        self.fields["on"].noun = date_label  # type: ignore[attr-defined]
        self.fields["on"].label_text = date_label  # type: ignore[attr-defined]
        if step != "panel_on":
            del self.fields["panel_recommendation"]
        else:
            self.fields["panel_recommendation"].required = True
        if step != "placed_on":
            del self.fields["children_placed"]
        else:
            self.fields["children_placed"].required = True
        if step not in ("matched_on", "placed_on"):
            del self.fields["child_hearth_id"]


class AdopterLeaveForm(StepForm):
    left_on = GovUKDateField(label="Date they left the process")
    reason = _radios("Why", ProspectiveAdopter.LeavingReason.choices, "Choose why the family left the process")
