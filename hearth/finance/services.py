"""Writes to the children's services budget: service areas and their budgets, month closes, reserves and every
movement in and out, grants and where they are allocated, placement unit costs and the projection's
assumptions.

Every function is keyword-only, runs in one transaction, names who acted (``by``: a member of staff who may do
it, or a named system process such as the demo seeder) and leaves history through the audited models. Edits of
an existing row take the version the editor loaded (``expected_version``) and raise StaleVersionError when
someone saved in between. A refusal is a ValidationError keyed by the field it is about.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum

from hearth.audit.actor import acting_as
from hearth.audit.models import StaleVersionError, refuse_stale
from hearth.indicators import compute

from . import years
from .models import (
    BudgetLine,
    Grant,
    GrantAllocation,
    MonthlyFinance,
    PlacementCostBand,
    PlacementUnitCost,
    ProjectionAssumption,
    Reserve,
    ReserveMovement,
    ServiceArea,
)
from .money import pounds

if TYPE_CHECKING:
    from hearth.tenancy.models import LocalAuthority

# MONEY fields hold 14 digits with 2 after the point.
MONEY_LIMIT = Decimal("1000000000000")
WEEKLY_LIMIT = Decimal("100000000")  # PlacementUnitCost.weekly_cost: 10 digits, 2 after the point
PENNY = Decimal("0.01")


# Checks ----------------------------------------------------------------------------------------------------

def _allowed(by: Any, perm: str, local_authority_id: int) -> None:
    """A member of staff must hold ``perm`` in this council; a named system process (seeding) is trusted."""
    if isinstance(by, str):
        if not by.strip():
            raise PermissionDenied("A change must be made by a member of staff or a named process.")
        return
    if not getattr(by, "is_authenticated", False) or by.local_authority_id != local_authority_id \
            or not by.has_perm(perm):
        raise PermissionDenied("You cannot change the council's finance records.")


def money(value: Any, *, field: str, noun: str, negative: bool = False, limit: Decimal = MONEY_LIMIT) -> Decimal:
    """``value`` as pounds and pence, or a ValidationError on ``field`` saying what to enter.

    Accepts ``Decimal``, ``int`` and text such as ``"£1,250,000"`` or ``"1234.5"``; refuses more than two
    decimal places (a ledger figure is to the penny) and, unless ``negative``, anything below zero."""
    example = "1,250,000" if limit == MONEY_LIMIT else "950.00"
    if value is None or isinstance(value, bool) or (isinstance(value, str) and not value.strip()):
        raise ValidationError({field: f"Enter {noun}"})
    if isinstance(value, float):
        value = repr(value)
    text = value.strip().replace(",", "").replace("£", "").replace("\u2212", "-").strip() \
        if isinstance(value, str) else value
    try:
        amount = Decimal(text)
    except (InvalidOperation, ValueError, TypeError):
        raise ValidationError({field: f"Enter {noun} in pounds, like {example}"}) from None
    if not amount.is_finite():
        raise ValidationError({field: f"Enter {noun} in pounds, like {example}"})
    if amount != amount.quantize(PENNY):
        raise ValidationError({field: f"Enter {noun} to the nearest penny, with no more than 2 decimal places"})
    if amount < 0 and not negative:
        raise ValidationError({field: f"{noun[0].upper()}{noun[1:]} must be £0 or more"})
    if abs(amount) >= limit:
        raise ValidationError({field: f"{noun[0].upper()}{noun[1:]} must be less than {pounds(limit)}"})
    return amount.quantize(PENNY)


def _percent(value: Any, *, field: str, noun: str) -> Decimal:
    if value is None or isinstance(value, bool) or (isinstance(value, str) and not value.strip()):
        raise ValidationError({field: f"Enter {noun}, as a percentage like 3.5 or -2"})
    text = value.strip().rstrip("%").replace("\u2212", "-").strip() if isinstance(value, str) else value
    try:
        number = Decimal(repr(text) if isinstance(text, float) else text)
    except (InvalidOperation, ValueError, TypeError):
        raise ValidationError({field: f"Enter {noun} as a number, like 3.5 or -2"}) from None
    if not number.is_finite():
        raise ValidationError({field: f"Enter {noun} as a number, like 3.5 or -2"})
    if number != number.quantize(PENNY):
        raise ValidationError({field: f"Enter {noun} with no more than 2 decimal places"})
    if not Decimal(-100) <= number <= Decimal(100):
        raise ValidationError({field: f"{noun[0].upper()}{noun[1:]} must be between -100% and 100%"})
    return number.quantize(PENNY)


def _year(value: Any, field: str = "financial_year") -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 2000 <= value <= 2100:
        raise ValidationError({field: "Enter a financial year between 2000 and 2100, like 2026 for 2026/27"})
    return value


def _text(value: str | None, *, field: str, noun: str, max_length: int, required: bool = True) -> str:
    text = (value or "").strip()
    if required and not text:
        raise ValidationError({field: f"Enter {noun}"})
    if len(text) > max_length:
        raise ValidationError({field: f"{noun[0].upper()}{noun[1:]} must be {max_length} characters or fewer"})
    return text


def _same_council(row: Any, local_authority_id: int, field: str, noun: str) -> None:
    if row is not None and row.local_authority_id != local_authority_id:
        raise ValidationError({field: f"Choose {noun} of this council"})


# Service areas and budgets ---------------------------------------------------------------------------------

def service_area_create(*, local_authority: LocalAuthority, name: str, code: str, order: int = 0,
                        by: Any) -> ServiceArea:
    """A service area as the ledger has it (e.g. "Children in care placements", cost centre "CSC200")."""
    _allowed(by, "finance.manage_finance", local_authority.pk)
    name = _text(name, field="name", noun="the service area's name", max_length=100)
    code = _text(code, field="code", noun="the cost centre code", max_length=20).upper()
    if order < 0:
        raise ValidationError({"order": "The order must be 0 or more"})
    with transaction.atomic(), acting_as(by):
        if ServiceArea.objects.filter(local_authority=local_authority, code=code).exists():
            raise ValidationError({"code": f"There is already a service area with cost centre {code}"})
        area = ServiceArea(local_authority=local_authority, name=name, code=code, order=order)
        area.save()
    return area


def budget_line_set(*, service_area: ServiceArea, financial_year: int, budget: Any,
                    expected_version: int | None = None, by: Any) -> BudgetLine:
    """The approved budget for a service area in a year: one line per area and year, so setting it again
    changes the line (with the version the editor loaded) rather than adding a second."""
    la_id = service_area.local_authority_id
    _allowed(by, "finance.manage_finance", la_id)
    financial_year = _year(financial_year)
    amount = money(budget, field="budget", noun="the budget")
    with transaction.atomic(), acting_as(by):
        line = (BudgetLine.objects.select_for_update()
                .filter(service_area=service_area, financial_year=financial_year).first())
        if line is None:
            if expected_version:
                raise StaleVersionError(service_area, service_area.version, None)
            line = BudgetLine(local_authority_id=la_id, service_area=service_area, financial_year=financial_year)
        else:
            refuse_stale(line, expected_version)
            if line.budget == amount:
                return line
        line.budget = amount
        line.save()
    return line


def month_close_record(*, budget_line: BudgetLine, month: date, actual: Any, forecast_outturn: Any,
                       commentary: str = "", expected_version: int | None = None, by: Any,
                       today: date | None = None) -> MonthlyFinance:
    """One month's close for a budget line: spent in the month and the forecast outturn for the year as it
    stands. ``month`` is the first of a month in the line's financial year, not after this month. A month
    already closed is changed, never closed twice: pass the version the editor loaded (without it the close is
    refused, so nobody overwrites a close they have not seen)."""
    la_id = budget_line.local_authority_id
    _allowed(by, "finance.manage_finance", la_id)
    today = today or compute.today()
    errors: dict[str, str] = {}
    if not isinstance(month, date) or month.day != 1:
        errors["month"] = "Choose the month being closed"
    elif month > today:
        errors["month"] = f"{years.month_label(month)} has not started yet: close a month once it has begun"
    elif years.year_of(month) != budget_line.financial_year:
        errors["month"] = (f"{years.month_label(month)} is not in {years.label(budget_line.financial_year)}: "
                           f"choose a month from April {budget_line.financial_year} to March "
                           f"{budget_line.financial_year + 1}")
    spent: Decimal | None = None
    forecast: Decimal | None = None
    # Both amounts can be below zero: a month of refunds, a line that is income.
    try:
        spent = money(actual, field="actual", noun="what was spent in the month", negative=True)
    except ValidationError as error:
        errors.update({k: v[0] for k, v in error.message_dict.items()})
    try:
        forecast = money(forecast_outturn, field="forecast_outturn", noun="the forecast outturn for the year",
                         negative=True)
    except ValidationError as error:
        errors.update({k: v[0] for k, v in error.message_dict.items()})
    if errors:
        raise ValidationError(errors)
    assert spent is not None and forecast is not None
    commentary = _text(commentary, field="commentary", noun="the commentary", max_length=4000, required=False)
    with transaction.atomic(), acting_as(by):
        close = MonthlyFinance.objects.select_for_update().filter(budget_line=budget_line, month=month).first()
        if close is None:
            if expected_version:
                raise StaleVersionError(budget_line, budget_line.version, None)
            close = MonthlyFinance(local_authority_id=la_id, budget_line=budget_line, month=month)
        else:
            if expected_version is None:
                raise ValidationError({"month": f"{years.month_label(month)} is already closed for this line: "
                                                f"change that close instead of closing the month again"})
            refuse_stale(close, expected_version)
            if (close.actual, close.forecast_outturn, close.commentary) == (spent, forecast, commentary):
                return close
        close.actual = spent
        close.forecast_outturn = forecast
        close.commentary = commentary
        close.save()
    return close


# Reserves --------------------------------------------------------------------------------------------------

def reserve_create(*, local_authority: LocalAuthority, name: str, opening_balance: Any, opened_on: date,
                   purpose: str = "", by: Any, today: date | None = None) -> Reserve:
    """An earmarked reserve with its balance on the day it is first recorded."""
    _allowed(by, "finance.manage_finance", local_authority.pk)
    today = today or compute.today()
    name = _text(name, field="name", noun="the reserve's name", max_length=150)
    balance = money(opening_balance, field="opening_balance", noun="the opening balance")
    if opened_on > today:
        raise ValidationError({"opened_on": "The date of the opening balance must be today or in the past"})
    with transaction.atomic(), acting_as(by):
        reserve = Reserve(local_authority=local_authority, name=name, purpose=(purpose or "").strip(),
                          opening_balance=balance, opened_on=opened_on)
        reserve.save()
    return reserve


def reserve_balance(reserve: Reserve, on: date) -> Decimal:
    """The opening balance plus every movement up to and including ``on``."""
    moved = (ReserveMovement.objects.filter(reserve=reserve, moved_on__lte=on)
             .aggregate(total=Sum("amount"))["total"]) or Decimal(0)
    return reserve.opening_balance + moved


def reserve_movement_record(*, reserve: Reserve, moved_on: date, amount: Any, purpose: str,
                            service_area: ServiceArea | None = None, by: Any,
                            today: date | None = None) -> ReserveMovement:
    """Money into a reserve (``amount`` above zero) or a drawdown from it (below zero), once it has happened.

    A drawdown can never take the reserve below nothing, on the day or on any later day (a drawdown dated
    before others already recorded must leave room for them): it is refused with the balance it may draw on."""
    la_id = reserve.local_authority_id
    _allowed(by, "finance.manage_finance", la_id)
    today = today or compute.today()
    value = money(amount, field="amount", noun="the amount", negative=True)
    errors: dict[str, str] = {}
    if value == 0:
        errors["amount"] = "Enter an amount other than £0"
    if moved_on > today:
        errors["moved_on"] = "The date must be today or in the past: record a movement once it has happened"
    elif moved_on < reserve.opened_on:
        errors["moved_on"] = (f"The date must be on or after {years.day_words(reserve.opened_on)}, when the "
                              f"reserve's opening balance was recorded")
    try:
        purpose = _text(purpose, field="purpose", noun="what the money is for", max_length=250)
    except ValidationError as error:
        errors.update({k: v[0] for k, v in error.message_dict.items()})
    if errors:
        raise ValidationError(errors)
    _same_council(service_area, la_id, "service_area", "a service area")
    with transaction.atomic(), acting_as(by):
        # The reserve row is the lock: two drawdowns at once cannot both spend the same balance.
        Reserve.objects.select_for_update().filter(pk=reserve.pk).first()
        if value < 0:
            amounts = list(ReserveMovement.objects.filter(reserve=reserve).order_by("moved_on", "id")
                           .values_list("moved_on", "amount"))
            at_date = reserve.opening_balance + sum((a for d, a in amounts if d <= moved_on), Decimal(0))
            # The lowest the balance ever stands from this day on, with the drawdown taken.
            lowest = at_date
            running = at_date
            for day, moved in amounts:
                if day > moved_on:
                    running += moved
                    lowest = min(lowest, running)
            if lowest + value < 0:
                room = max(lowest, Decimal(0))
                where = (f"The balance on {years.day_words(moved_on)} is {pounds(at_date, pence=True)}"
                         if room == at_date else
                         f"The balance on {years.day_words(moved_on)} is {pounds(at_date, pence=True)}, but "
                         f"drawdowns already recorded after that day leave {pounds(room, pence=True)} free")
                raise ValidationError({"amount": f"{where}: a drawdown of {pounds(-value, pence=True)} is "
                                                 f"more than the reserve holds. Draw down "
                                                 f"{pounds(room, pence=True)} or less"})
        movement = ReserveMovement(local_authority_id=la_id, reserve=reserve, moved_on=moved_on, amount=value,
                                   purpose=purpose, service_area=service_area)
        movement.save()
    return movement


# Grants ----------------------------------------------------------------------------------------------------

def grant_create(*, local_authority: LocalAuthority, name: str, funder: str, amount: Any, starts_on: date,
                 ends_on: date, reference: str = "", conditions: str = "", reporting_due_on: date | None = None,
                 by: Any) -> Grant:
    """A grant from outside the council for a period; it ends after it starts."""
    _allowed(by, "finance.manage_finance", local_authority.pk)
    errors: dict[str, str] = {}
    checks = [
        ("name", lambda: _text(name, field="name", noun="the grant's name", max_length=150)),
        ("funder", lambda: _text(funder, field="funder", noun="who gives the grant", max_length=150)),
        ("reference", lambda: _text(reference, field="reference", noun="the reference", max_length=50,
                                    required=False)),
        ("amount", lambda: money(amount, field="amount", noun="the amount of the grant")),
    ]
    cleaned: dict[str, Any] = {}
    for field, check in checks:
        try:
            cleaned[field] = check()
        except ValidationError as error:
            errors.update({k: v[0] for k, v in error.message_dict.items()})
    if "amount" in cleaned and cleaned["amount"] == 0:
        errors["amount"] = "The amount of the grant must be more than £0"
    if ends_on <= starts_on:
        errors["ends_on"] = "The date the grant ends must be after the date it starts"
    if reporting_due_on is not None and reporting_due_on < starts_on:
        errors["reporting_due_on"] = "The date the report is due must be on or after the date the grant starts"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(), acting_as(by):
        grant = Grant(local_authority=local_authority, name=cleaned["name"], funder=cleaned["funder"],
                      reference=cleaned["reference"], amount=cleaned["amount"], starts_on=starts_on,
                      ends_on=ends_on, conditions=(conditions or "").strip(), reporting_due_on=reporting_due_on)
        grant.save()
    return grant


def grant_allocation_add(*, grant: Grant, spend_area: str, amount: Any, service_area: ServiceArea | None = None,
                         conditions: str = "", by: Any) -> GrantAllocation:
    """Set part of a grant aside for one spend area. Allocations together may not exceed the grant: the refusal
    says how much is still unallocated."""
    la_id = grant.local_authority_id
    _allowed(by, "finance.manage_finance", la_id)
    errors: dict[str, str] = {}
    try:
        spend_area = _text(spend_area, field="spend_area", noun="the spend area", max_length=150)
    except ValidationError as error:
        errors.update({k: v[0] for k, v in error.message_dict.items()})
    value = Decimal(0)
    try:
        value = money(amount, field="amount", noun="the amount allocated")
        if value == 0:
            errors["amount"] = "The amount allocated must be more than £0"
    except ValidationError as error:
        errors.update({k: v[0] for k, v in error.message_dict.items()})
    if errors:
        raise ValidationError(errors)
    _same_council(service_area, la_id, "service_area", "a service area")
    with transaction.atomic(), acting_as(by):
        # The grant row is the lock: two allocations at once cannot both take the same money.
        locked = Grant.objects.select_for_update().get(pk=grant.pk)
        allocated = (GrantAllocation.objects.filter(grant=locked).aggregate(total=Sum("amount"))["total"]
                     or Decimal(0))
        unallocated = locked.amount - allocated
        if value > unallocated:
            raise ValidationError({"amount": f"Only {pounds(unallocated, pence=True)} of the "
                                             f"{pounds(locked.amount, pence=True)} grant is unallocated: "
                                             f"allocate {pounds(unallocated, pence=True)} or less"})
        allocation = GrantAllocation(local_authority_id=la_id, grant=locked, spend_area=spend_area,
                                     service_area=service_area, amount=value,
                                     conditions=(conditions or "").strip())
        allocation.save()
    return allocation


def allocation_spend_update(*, allocation: GrantAllocation, spent_to_date: Any, expected_version: int,
                            by: Any) -> GrantAllocation:
    """What has been spent so far against an allocation (a running total, not an addition). It cannot be more
    than the allocation: spend beyond it is not paid from this grant."""
    _allowed(by, "finance.manage_finance", allocation.local_authority_id)
    spent = money(spent_to_date, field="spent_to_date", noun="the amount spent to date")
    if spent > allocation.amount:
        raise ValidationError({"spent_to_date": f"The amount spent to date cannot be more than the "
                                                f"{pounds(allocation.amount, pence=True)} allocated: spend "
                                                f"beyond it is not paid from this grant"})
    with transaction.atomic(), acting_as(by):
        row = GrantAllocation.objects.select_for_update().get(pk=allocation.pk)
        refuse_stale(row, expected_version)
        if row.spent_to_date == spent:
            return row
        row.spent_to_date = spent
        row.save()
    return row


# Unit costs and the projection -----------------------------------------------------------------------------

def _band(value: str) -> str:
    if value not in PlacementCostBand.values:
        raise ValidationError({"band": "Choose a kind of placement from the list"})
    return value


def unit_cost_set(*, local_authority: LocalAuthority, band: str, financial_year: int, weekly_cost: Any,
                  expected_version: int | None = None, by: Any) -> PlacementUnitCost:
    """The average weekly cost of a child in one kind of placement in one year (one per band and year)."""
    _allowed(by, "finance.manage_finance", local_authority.pk)
    band = _band(band)
    financial_year = _year(financial_year)
    cost = money(weekly_cost, field="weekly_cost", noun="the weekly cost", limit=WEEKLY_LIMIT)
    with transaction.atomic(), acting_as(by):
        row = (PlacementUnitCost.objects.select_for_update()
               .filter(local_authority=local_authority, band=band, financial_year=financial_year).first())
        if row is None:
            if expected_version:
                raise StaleVersionError(local_authority, 0, None)
            row = PlacementUnitCost(local_authority=local_authority, band=band, financial_year=financial_year)
        else:
            refuse_stale(row, expected_version)
            if row.weekly_cost == cost:
                return row
        row.weekly_cost = cost
        row.save()
    return row


@dataclass(frozen=True)
class AssumptionInput:
    """One band's assumptions as typed, with the version the editor loaded (0: none was stored)."""

    band: str
    annual_demand_change_percent: Any
    annual_cost_change_percent: Any
    rationale: str = ""
    expected_version: int | None = None


def projection_assumption_set(*, local_authority: LocalAuthority, band: str, annual_demand_change_percent: Any,
                              annual_cost_change_percent: Any, rationale: str = "",
                              expected_version: int | None = None, by: Any) -> ProjectionAssumption:
    """The yearly change in children and in weekly cost assumed for one kind of placement, and why."""
    _allowed(by, "finance.edit_projection", local_authority.pk)
    return _assumption_set(local_authority=local_authority, given=AssumptionInput(
        band, annual_demand_change_percent, annual_cost_change_percent, rationale, expected_version), by=by)


def projection_assumptions_set(*, local_authority: LocalAuthority, assumptions: Sequence[AssumptionInput],
                               by: Any) -> list[ProjectionAssumption]:
    """Several bands' assumptions from one form: all saved or none. Errors are keyed ``<band>-<field>``."""
    _allowed(by, "finance.edit_projection", local_authority.pk)
    errors: dict[str, list[str]] = {}
    for given in assumptions:
        try:
            _checked_assumption(given)
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                errors[f"{given.band}-{field}"] = messages
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        return [_assumption_set(local_authority=local_authority, given=given, by=by) for given in assumptions]


def _checked_assumption(given: AssumptionInput) -> tuple[str, Decimal, Decimal, str]:
    errors: dict[str, str] = {}

    def attempt(check: Any) -> Any:
        try:
            return check()
        except ValidationError as error:
            errors.update({k: v[0] for k, v in error.message_dict.items()})
            return None

    band = attempt(lambda: _band(given.band))
    demand = attempt(lambda: _percent(given.annual_demand_change_percent, field="annual_demand_change_percent",
                                      noun="the yearly change in children"))
    cost = attempt(lambda: _percent(given.annual_cost_change_percent, field="annual_cost_change_percent",
                                    noun="the yearly change in weekly cost"))
    rationale = attempt(lambda: _text(given.rationale, field="rationale", noun="why", max_length=2000,
                                      required=False))
    if errors:
        raise ValidationError(errors)
    return band, demand, cost, rationale


def _assumption_set(*, local_authority: LocalAuthority, given: AssumptionInput, by: Any) -> ProjectionAssumption:
    band, demand, cost, rationale = _checked_assumption(given)
    with transaction.atomic(), acting_as(by):
        row = (ProjectionAssumption.objects.select_for_update()
               .filter(local_authority=local_authority, band=band).first())
        if row is None:
            if given.expected_version:
                raise StaleVersionError(local_authority, 0, None)
            row = ProjectionAssumption(local_authority=local_authority, band=band)
        else:
            refuse_stale(row, given.expected_version)
            if (row.annual_demand_change_percent, row.annual_cost_change_percent, row.rationale) == (
                    demand, cost, rationale):
                return row
        row.annual_demand_change_percent = demand
        row.annual_cost_change_percent = cost
        row.rationale = rationale
        row.save()
    return row
