"""Forms for the finance pages. Amounts are typed as people write them ("£1,250,000", "1250000.50"); what the
services refuse (a drawdown beyond the balance, an allocation beyond the grant) comes back beside the field."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from hearth.workspace.forms import GovUKDateField, VersionedForm

from . import years
from .models import PlacementCostBand, ServiceArea
from .services import WEEKLY_LIMIT, AssumptionInput, money


class MoneyField(forms.CharField):
    """Pounds and pence, with the services' own check and wording (``noun``: "the budget")."""

    def __init__(self, *, noun: str, negative: bool = False, weekly: bool = False, **kwargs: Any):
        self.noun = noun
        self.negative = negative
        self.weekly = weekly
        kwargs.setdefault("max_length", 30)
        kwargs.setdefault("error_messages", {"required": f"Enter {noun}"})
        super().__init__(**kwargs)

    def clean(self, value: Any) -> Any:
        text = super().clean(value)
        if text in self.empty_values:
            return None
        try:
            if self.weekly:
                return money(text, field="value", noun=self.noun, negative=self.negative, limit=WEEKLY_LIMIT)
            return money(text, field="value", noun=self.noun, negative=self.negative)
        except ValidationError as error:
            raise ValidationError(error.message_dict["value"]) from None


class YearForm(forms.Form):
    """The financial year a page shows (``?year=2026`` for 2026/27)."""

    year = forms.IntegerField(
        label="Financial year", min_value=2000, max_value=2100,
        help_text="The year it starts: 2026 for April 2026 to March 2027",
        error_messages={"invalid": "Enter the financial year as the year it starts, like 2026",
                        "min_value": "Enter a financial year from 2000 to 2100",
                        "max_value": "Enter a financial year from 2000 to 2100",
                        "required": "Enter the financial year, like 2026"},
    )


def chosen_year(query: Any, default: int) -> tuple[YearForm, int]:
    """The year asked for in the query, else ``default``; a bad one is shown with its error, as typed."""
    if "year" not in query:
        return YearForm(initial={"year": default}), default
    form = YearForm(query)
    if form.is_valid():
        return form, form.cleaned_data["year"]
    return form, default


class ServiceAreaForm(forms.Form):
    name = forms.CharField(label="Service area", max_length=100,
                           help_text="As the budget book names it, for example Children in care placements",
                           error_messages={"required": "Enter the service area's name"})
    code = forms.CharField(label="Cost centre code", max_length=20,
                           error_messages={"required": "Enter the cost centre code"})
    budget = MoneyField(label="Budget for the year", noun="the budget")
    order = forms.IntegerField(label="Position in the budget report", required=False, min_value=0, max_value=999,
                               help_text="Lower numbers are shown first",
                               error_messages={"invalid": "Enter the position as a whole number, like 3",
                                               "min_value": "Enter a position from 0 to 999",
                                               "max_value": "Enter a position from 0 to 999"})


class BudgetForm(VersionedForm):
    budget = MoneyField(label="Budget for the year", noun="the budget")


class MonthCloseForm(VersionedForm):
    month = forms.ChoiceField(label="Month", error_messages={"required": "Choose the month being closed",
                                                             "invalid_choice": "Choose the month being closed"})
    actual = MoneyField(label="Spent in the month", noun="what was spent in the month", negative=True,
                        help_text="A refund month can be below zero, for example -2,500")
    forecast_outturn = MoneyField(label="Forecast outturn for the year", noun="the forecast outturn for the year",
                                  negative=True, help_text="What the whole year is now expected to cost")
    commentary = forms.CharField(label="Commentary", widget=forms.Textarea, required=False, max_length=4000,
                                 help_text="Why the forecast moved: for the budget report and the board")

    def __init__(self, *args: Any, months: list[date], **kwargs: Any):
        super().__init__(*args, **kwargs)
        choice_field = self.fields["month"]
        assert isinstance(choice_field, forms.ChoiceField)
        choice_field.choices = [("", "Choose a month"), *[(m.isoformat(), years.month_label(m)) for m in months]]

    def clean_month(self) -> date:
        return date.fromisoformat(self.cleaned_data["month"])


class ReserveForm(forms.Form):
    name = forms.CharField(label="Name of the reserve", max_length=150,
                           error_messages={"required": "Enter the name of the reserve"})
    purpose = forms.CharField(label="What it is for", widget=forms.Textarea, required=False, max_length=2000)
    opening_balance = MoneyField(label="Opening balance", noun="the opening balance")
    opened_on = GovUKDateField(label="Date of the opening balance")


DRAWDOWN, MONEY_IN = "drawdown", "in"


class MovementForm(forms.Form):
    direction = forms.ChoiceField(label="Is this money drawn down or paid in?", widget=forms.RadioSelect,
                                  choices=[(DRAWDOWN, "Drawn down from the reserve"),
                                           (MONEY_IN, "Paid into the reserve")],
                                  error_messages={"required": "Choose whether the money is drawn down or paid in"})
    amount = MoneyField(label="Amount", noun="the amount")
    moved_on = GovUKDateField(label="Date of the movement")
    purpose = forms.CharField(label="What it is for", max_length=250,
                              error_messages={"required": "Enter what the money is for"},
                              help_text="For example, missing from home advocates, April to June")
    service_area = forms.ModelChoiceField(label="Service area it pays for", queryset=ServiceArea.objects.none(),
                                          required=False, empty_label="None",
                                          error_messages={"invalid_choice": "Choose a service area from the list"})

    def __init__(self, *args: Any, areas: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        area_field = self.fields["service_area"]
        assert isinstance(area_field, forms.ModelChoiceField)
        area_field.queryset = areas

    def signed_amount(self) -> Any:
        amount = self.cleaned_data["amount"]
        return -amount if self.cleaned_data["direction"] == DRAWDOWN else amount


class GrantForm(forms.Form):
    name = forms.CharField(label="Name of the grant", max_length=150,
                           error_messages={"required": "Enter the name of the grant"})
    funder = forms.CharField(label="Who gives it", max_length=150, help_text="For example, Department for Education",
                             error_messages={"required": "Enter who gives the grant"})
    reference = forms.CharField(label="Funder's reference", max_length=50, required=False)
    amount = MoneyField(label="Amount of the grant", noun="the amount of the grant")
    starts_on = GovUKDateField(label="Date the grant starts", allow_future=True)
    ends_on = GovUKDateField(label="Date the grant ends", allow_future=True)
    conditions = forms.CharField(label="Conditions", widget=forms.Textarea, required=False, max_length=4000,
                                 help_text="What the money may be spent on and what must be reported")
    reporting_due_on = GovUKDateField(label="Date the next report to the funder is due", allow_future=True,
                                      required=False)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        starts_on, ends_on = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts_on and ends_on and ends_on <= starts_on:
            self.add_error("ends_on", "The date the grant ends must be after the date it starts")
        return cleaned


class AllocationForm(forms.Form):
    spend_area = forms.CharField(label="Spend area", max_length=150,
                                 help_text="What this part of the grant pays for, for example Edge of care team",
                                 error_messages={"required": "Enter the spend area"})
    amount = MoneyField(label="Amount allocated", noun="the amount allocated")
    service_area = forms.ModelChoiceField(label="Service area", queryset=ServiceArea.objects.none(), required=False,
                                          empty_label="None",
                                          error_messages={"invalid_choice": "Choose a service area from the list"})
    conditions = forms.CharField(label="Conditions for this allocation", widget=forms.Textarea, required=False,
                                 max_length=4000)

    def __init__(self, *args: Any, areas: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        area_field = self.fields["service_area"]
        assert isinstance(area_field, forms.ModelChoiceField)
        area_field.queryset = areas


class SpendForm(VersionedForm):
    spent_to_date = MoneyField(label="Spent to date", noun="the amount spent to date",
                               help_text="The running total spent against this allocation so far")


class UnitCostForm(VersionedForm):
    weekly_cost = MoneyField(label="Average weekly cost of one child", noun="the weekly cost", weekly=True,
                             help_text="In pounds and pence, for example 1,250.00")


def assumption_field_names(band: str) -> tuple[str, str, str, str]:
    return (f"{band}-annual_demand_change_percent", f"{band}-annual_cost_change_percent", f"{band}-rationale",
            f"{band}-version")


class AssumptionsForm(forms.Form):
    """Every band's assumptions on one form; field names are ``<band>-<field>`` so the service's errors land
    beside their own box. A band with no assumptions stored yet may be left blank; once either figure is typed,
    both are needed."""

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        for band in PlacementCostBand:
            demand, cost, rationale, version = assumption_field_names(band.value)
            self.fields[demand] = forms.CharField(
                label="Yearly change in children", max_length=10, required=False,
                help_text="Per cent a year, for example 3 or -2")
            self.fields[cost] = forms.CharField(
                label="Yearly change in weekly cost", max_length=10, required=False,
                help_text="Per cent a year, for example 4.5")
            self.fields[rationale] = forms.CharField(label="Why", widget=forms.Textarea, required=False,
                                                     max_length=2000)
            self.fields[version] = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for band in PlacementCostBand:
            demand, cost, rationale, version = assumption_field_names(band.value)
            if version not in cleaned:
                continue
            typed = [bool((cleaned.get(name) or "").strip()) for name in (demand, cost, rationale)]
            if not any(typed) and not cleaned[version]:
                continue  # nothing stored and nothing typed: left for later
            name = band.label.lower()
            if not typed[0] and demand not in self.errors:
                self.add_error(demand, f"Enter the yearly change in children in {name}, like 3 or -2")
            if not typed[1] and cost not in self.errors:
                self.add_error(cost, f"Enter the yearly change in weekly cost of {name}, like 4.5")
        return cleaned

    def inputs(self) -> list[AssumptionInput]:
        """What to save: every band with figures typed (after ``is_valid``)."""
        result = []
        for band in PlacementCostBand:
            demand, cost, rationale, version = assumption_field_names(band.value)
            data = self.cleaned_data
            if not (data.get(demand) or "").strip() and not (data.get(cost) or "").strip():
                continue
            result.append(AssumptionInput(band=band.value, annual_demand_change_percent=data[demand],
                                          annual_cost_change_percent=data[cost], rationale=data[rationale],
                                          expected_version=data[version]))
        return result

    def bands(self) -> list[tuple[PlacementCostBand, list[forms.BoundField]]]:
        return [(band, [self[name] for name in assumption_field_names(band.value)]) for band in PlacementCostBand]
