"""Forms for children in care. They check the shape of what was typed; the services check the 903 rules."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms

from hearth.cin.codes import ReferralSource
from hearth.people.forms import LengthMessages
from hearth.workspace.forms import GovUKDateField, VersionedForm

from .codes import (
    LEAVING_CARE_REASONS,
    AdopterLegalStatus,
    AdopterSex,
    CategoryOfNeed,
    LegalStatus,
    PlacementProvider,
    PlacementType,
    PreviousPermanence,
    ReasonPlacedCeased,
    ReasonPlacementChange,
)

YES_NO = [("yes", "Yes"), ("no", "No")]


def _yes_no(label: str, message: str, *, required: bool = True, help_text: str = "") -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label, choices=YES_NO if required else [("", "Not known yet"), *YES_NO], widget=forms.RadioSelect,
        coerce=lambda value: value == "yes", empty_value=None, required=required, help_text=help_text,
        error_messages={"required": message},
    )


def _choice(label: str, choices: Any, message: str, *, required: bool = True, blank: str = "",
            help_text: str = "", radios: bool = False) -> forms.ChoiceField:
    options = list(choices)
    if blank or not required:
        options = [("", blank or "Choose"), *options]
    return forms.ChoiceField(label=label, choices=options, required=required, help_text=help_text,
                             widget=forms.RadioSelect if radios else forms.Select,
                             error_messages={"required": message, "invalid_choice": message})


class PlacementFieldsForm(LengthMessages, forms.Form):
    """PLACE, PLACE_PROVIDER, URN and PL_POST, with who the carer is."""

    placement_type = _choice("Placement type", PlacementType.choices, "Choose the placement type",
                             blank="Choose the placement type")
    provider = _choice("Who provides the placement", PlacementProvider.choices, "Choose who provides the placement",
                       required=False, blank="No provider (temporary move, or Z11 to Z14)",
                       help_text="Leave this for a temporary move (T0 to T4) or a Z11 to Z14 placement")
    foster_household: forms.ModelChoiceField = forms.ModelChoiceField(
        label="Foster household", queryset=None, required=False,
        empty_label="Not an approved foster household of this council",
        help_text="For foster care or a placement for adoption with the council's own foster carers",
        error_messages={"invalid_choice": "Choose a foster household from the list"},
    )
    carer_name = forms.CharField(label="Carer, home or provider name", max_length=200, required=False)
    urn = forms.CharField(label="Ofsted unique reference number (URN)", max_length=10, required=False,
                          help_text="For example, SC123456. Not needed for placements with parents, temporary moves "
                                    "or Z11 to Z14")
    postcode = forms.CharField(label="Placement postcode", max_length=10, required=False,
                               help_text="The return works out the distance from home from this postcode")
    distance_miles = forms.DecimalField(
        label="Distance from home in miles", required=False, min_value=Decimal("0"), max_value=Decimal("999.9"),
        max_digits=4, decimal_places=1, help_text="If you know it. For example, 12.5",
        error_messages={"invalid": "Enter the distance as a number of miles, like 12.5",
                        "min_value": "The distance cannot be less than 0",
                        "max_value": "Enter a distance of 999.9 miles or less",
                        "max_digits": "Enter a distance of 999.9 miles or less",
                        "max_decimal_places": "Enter the distance to one decimal place, like 12.5"},
    )
    is_long_term = forms.BooleanField(label="The placement is intended to last until they are 18", required=False)

    def __init__(self, *args: Any, households: Any = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        field = self.fields["foster_household"]
        field.queryset = households  # type: ignore[attr-defined]
        if households is None:
            del self.fields["foster_household"]

    def placement_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "placement_type": data["placement_type"], "provider": data.get("provider") or "",
            "foster_household": data.get("foster_household"), "carer_name": data.get("carer_name") or "",
            "urn": data.get("urn") or "", "postcode": data.get("postcode") or "",
            "distance_miles": data.get("distance_miles"), "is_long_term": bool(data.get("is_long_term")),
        }


def _started_on(label: str) -> GovUKDateField:
    return GovUKDateField(label=label, help_text="For example, 14 3 2026")


class PeriodStartForm(PlacementFieldsForm):
    started_on = _started_on("Date they started to be looked after")
    legal_status = _choice("Legal status", LegalStatus.choices, "Choose the legal status",
                           blank="Choose the legal status")
    court = forms.CharField(label="Court and order details", max_length=200, required=False)
    category_of_need = _choice("Category of need", CategoryOfNeed.choices, "Choose the category of need",
                               radios=True, help_text="The main reason they came into care. It stays the same "
                                                      "for the whole period of care")
    referral_source = _choice("Who referred them", ReferralSource.choices, "Choose who referred them",
                              blank="Choose who referred them",
                              help_text="There is no open referral: one is opened from the date they came into "
                                        "care, so they are counted as a child in need")
    previous_permanence = _choice(
        "Before coming into care, had they been adopted or under a special guardianship or child arrangements "
        "order?", PreviousPermanence.choices, "Choose whether they had a previous permanence order", radios=True)
    previous_permanence_la = forms.CharField(
        label="Council that made the previous arrangement", max_length=3, required=False,
        help_text="Its 3-digit DfE number, or NIR, SCO, WAL, NUK (outside the UK) or 999 (not known)")
    previous_permanence_on = GovUKDateField(label="Date of the previous order", required=False)
    home_postcode = forms.CharField(label="Home postcode", max_length=10, required=False,
                                    help_text="The postcode of the home they came into care from. Leave it blank to "
                                              "use their current address")

    field_order = ["started_on", "legal_status", "court", "category_of_need", "referral_source", "home_postcode",
                   "placement_type", "provider", "foster_household", "carer_name", "urn", "postcode",
                   "distance_miles", "is_long_term", "previous_permanence", "previous_permanence_la",
                   "previous_permanence_on"]

    def __init__(self, *args: Any, needs_referral: bool, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if not needs_referral:
            del self.fields["referral_source"]


class LegalStatusChangeForm(LengthMessages, forms.Form):
    started_on = _started_on("Date the legal status changed")
    legal_status = _choice("New legal status", LegalStatus.choices, "Choose the new legal status",
                           blank="Choose the new legal status")
    court = forms.CharField(label="Court and order details", max_length=200, required=False)


class PlacementChangeForm(PlacementFieldsForm):
    started_on = _started_on("Date they moved")
    reason_for_change = _choice(
        "Why the current placement ended", ReasonPlacementChange.choices, "Choose why the current placement ended",
        required=False, blank="Choose why the current placement ended",
        help_text="Not needed for a move to or from a temporary placement")
    same_carer_as_previous = _yes_no(
        "Is the carer the same as in the current placement?", "Select yes if the carer is the same",
        help_text="For example a move with the same foster carer to a new house, or to placed for adoption with "
                  "them")

    field_order = ["started_on", "reason_for_change", "same_carer_as_previous", "placement_type", "provider",
                   "foster_household", "carer_name", "urn", "postcode", "distance_miles", "is_long_term"]


class BothChangeForm(PlacementChangeForm):
    """A change of legal status and of placement on the same day: one new episode."""

    started_on = _started_on("Date of the change")
    legal_status = _choice("New legal status", LegalStatus.choices, "Choose the new legal status",
                           blank="Choose the new legal status")
    court = forms.CharField(label="Court and order details", max_length=200, required=False)

    field_order = ["started_on", "legal_status", "court", *PlacementChangeForm.field_order[1:]]


class PlacementCorrectForm(VersionedForm, PlacementFieldsForm):
    same_carer_as_previous = _yes_no("Was the carer the same as in the placement before?",
                                     "Select yes if the carer was the same")
    reason_for_change = _choice("Why the placement ended", ReasonPlacementChange.choices,
                                "Choose why the placement ended", required=False,
                                blank="Choose why the placement ended")

    def __init__(self, *args: Any, first: bool, followed: bool, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if first:
            del self.fields["same_carer_as_previous"]
        if not followed:
            del self.fields["reason_for_change"]


class PeriodEndForm(VersionedForm):
    ended_on = GovUKDateField(label="Date they stopped being looked after", help_text="For example, 14 3 2026")
    reason_ceased = _choice("Why they stopped being looked after", [(c.value, c.label) for c in LEAVING_CARE_REASONS],
                            "Choose why they stopped being looked after",
                            blank="Choose why they stopped being looked after")


class PeriodDetailsForm(VersionedForm):
    home_postcode = forms.CharField(label="Home postcode", max_length=10, required=False,
                                    help_text="The postcode of the home they came into care from")
    previous_permanence = PeriodStartForm.base_fields["previous_permanence"]
    previous_permanence_la = PeriodStartForm.base_fields["previous_permanence_la"]
    previous_permanence_on = GovUKDateField(label="Date of the previous order", required=False)


class AdoptionPlanForm(VersionedForm):
    decided_on = GovUKDateField(label="Date of the decision that they should be placed for adoption",
                                help_text="The agency decision maker's decision. For example, 14 3 2026")
    placement_order_on = GovUKDateField(label="Date the placement order was granted", required=False)
    fostering_for_adoption_on = GovUKDateField(label="Date placed in fostering for adoption", required=False)
    matched_on = GovUKDateField(label="Date matched with adopters", required=False)
    placed_on = GovUKDateField(label="Date placed for adoption", required=False,
                               help_text="Filled in when a placement for adoption (A3 to A6) is recorded")
    adoption_order_on = GovUKDateField(label="Date of the adoption order", required=False)
    reversed_on = GovUKDateField(label="Date the decision was reversed", required=False,
                                 help_text="Only if they should no longer be placed for adoption")
    reversal_reason = _choice("Why the decision was reversed", ReasonPlacedCeased.choices,
                              "Choose why the decision was reversed", required=False,
                              blank="Not reversed")
    adopted_by_foster_carer = _yes_no("Were they adopted by their foster carer?",
                                      "Select yes if they were adopted by their foster carer", required=False)
    number_of_adopters = forms.TypedChoiceField(
        label="Number of adopters", required=False, coerce=int, empty_value=None, widget=forms.RadioSelect,
        choices=[("", "Not known yet"), ("1", "1"), ("2", "2")],
        error_messages={"invalid_choice": "There are 1 or 2 adopters"})
    adopter_sex = _choice("Sex of the adopters", AdopterSex.choices, "Choose the sex of the adopters",
                          required=False, blank="Not known yet")
    adopter_legal_status = _choice("Legal status of the adopters", AdopterLegalStatus.choices,
                                   "Choose the legal status of the adopters", required=False, blank="Not known yet")


class DoLOStartForm(LengthMessages, forms.Form):
    started_on = _started_on("Date the order was made")
    court = forms.CharField(label="Court and order details", max_length=200, required=False)


class DoLOEndForm(VersionedForm):
    ended_on = GovUKDateField(label="Date the order ended", help_text="For example, 14 3 2026")


class TeamFilterForm(forms.Form):
    team = forms.TypedChoiceField(label="Team", required=False, coerce=int, empty_value=None)

    def __init__(self, *args: Any, teams: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["team"].choices = [("", "All teams"), *((t.pk, t.name) for t in teams)]  # type: ignore[attr-defined]
