"""Forms for the education registers. They check the shape of what was typed; the services check the facts."""

from __future__ import annotations

from django import forms

from hearth.people.forms import LengthMessages
from hearth.workspace.forms import GovUKDateField, VersionedForm

from .models import CMECase, CMEEnquiry, EHECase, EHEVisit

YES_NO = [("yes", "Yes"), ("no", "No")]


def _text(label: str, *, required: bool = True, message: str = "", help_text: str = "") -> forms.CharField:
    return forms.CharField(label=label, required=required, widget=forms.Textarea, help_text=help_text,
                           error_messages={"required": message or f"Enter {label[0].lower()}{label[1:]}"})


def _radios(label: str, choices: list[tuple[str, str]], message: str, help_text: str = "") -> forms.ChoiceField:
    return forms.ChoiceField(label=label, choices=choices, widget=forms.RadioSelect, help_text=help_text,
                             error_messages={"required": message, "invalid_choice": message})


def _review(help_text: str) -> GovUKDateField:
    return GovUKDateField(label="Next review date", required=False, allow_future=True, help_text=help_text)


class RegisterFilterForm(forms.Form):
    status = forms.ChoiceField(label="Cases", required=False, choices=[
        ("open", "Open"), ("closed", "Closed"), ("all", "Open and closed")])
    flagged = forms.BooleanField(label="Only children known to social care (in need, on a plan or in care)",
                                 required=False)


class CMEOpenForm(LengthMessages, forms.Form):
    notified_on = GovUKDateField(label="Date we were told", help_text="For example, 3 3 2026")
    notified_by = _radios("Who told us", CMECase.NotifiedBy.choices, "Choose who told us")
    notified_by_name = forms.CharField(label="Name of the school, agency or person who told us", max_length=150,
                                       error_messages={"required": "Enter the name of the school, agency or person "
                                                                   "who told us"})
    reason = _radios("Why the child is missing education", CMECase.Reason.choices,
                     "Choose why the child is missing education")
    reason_detail = _text("More about why", required=False)
    last_known_school = forms.CharField(label="Last known school", max_length=200, required=False)
    last_known_address = _text("Last known address", required=False)
    review_on = _review("Leave it blank to review the case 10 working days after we were told")


class CMEEnquiryForm(LengthMessages, forms.Form):
    made_on = GovUKDateField(label="Date of the enquiry")
    agency = _radios("Who was asked", CMEEnquiry.Agency.choices, "Choose who was asked")
    agency_name = forms.CharField(label="Which school, practice, council or team", max_length=150, required=False)
    found = _text("What the enquiry found", message="Enter what the enquiry found")
    review_on = _review("Leave it blank to review the case 10 working days after this enquiry")


class CMEOutcomeForm(VersionedForm):
    outcome = _radios("Outcome", CMECase.Outcome.choices, "Choose the outcome")
    outcome_on = GovUKDateField(label="Date of the outcome")
    outcome_detail = _text("Details", required=False,
                           help_text="The school, or the council the child's details were passed to")
    close = _radios("Close the case now?", YES_NO, "Choose whether to close the case now",
                    help_text="Keep it open if you are waiting for another council to confirm they have the child")


class CMECloseForm(VersionedForm):
    closed_on = GovUKDateField(label="Date the case closed")


class EHEDetailsForm(LengthMessages, forms.Form):
    school_left = forms.CharField(label="School the child left", max_length=200, required=False)
    reasons = forms.MultipleChoiceField(
        label="The parents' reasons for home education", choices=EHECase.Reason.choices,
        widget=forms.CheckboxSelectMultiple, help_text="Select all the reasons they gave",
        error_messages={"required": "Choose the parents' reasons, or 'No reason given'",
                        "invalid_choice": "Choose the reasons from the list"},
    )
    reasons_detail = _text("More about their reasons", required=False)


class EHEOpenForm(EHEDetailsForm):
    notified_on = GovUKDateField(label="Date we were told", help_text="For example, 3 3 2026")
    review_on = _review("Leave it blank to review the case 20 working days after we were told")
    field_order = ["notified_on", "school_left", "reasons", "reasons_detail", "review_on"]


class EHEChangeForm(EHEDetailsForm, VersionedForm):
    review_on = _review("Leave it blank to keep the review date as it is")


class EHEVisitForm(forms.Form):
    happened_on = GovUKDateField(label="Date of the contact")
    kind = _radios("Kind of contact", EHEVisit.Kind.choices, "Choose the kind of contact")
    child_seen = _radios("Was the child seen?", YES_NO, "Choose whether the child was seen")
    notes = _text("What was seen, said or sent", message="Enter what was seen, said or sent")
    review_on = _review("Leave it blank to review the case 12 months after this contact")


class EHESuitabilityForm(VersionedForm):
    suitability = _radios("Is the education suitable?", EHECase.Suitability.choices,
                          "Choose whether the education is suitable")
    decided_on = GovUKDateField(label="Date of the decision")
    detail = _text("Reasons and next steps", required=False,
                   help_text="Needed when the education does not appear suitable")


class EHEEndForm(VersionedForm):
    ended_on = GovUKDateField(label="End date")
    reason = _radios("Why the home education ended", EHECase.EndReason.choices,
                     "Choose why the home education ended")
    detail = _text("Details", required=False, help_text="For example, the school the child now goes to")
