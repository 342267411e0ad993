"""The finance services: what they refuse and how they say so, one close per month, versions, and who may write."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from hearth.accounts.roles import Role
from hearth.audit.models import ChangeRecord, StaleVersionError
from hearth.finance import services
from hearth.finance.models import MonthlyFinance, ProjectionAssumption, ReserveMovement
from tests.finance.factories import (
    TODAY,
    YEAR,
    budget_year,
    finance_user,
    grant_with_allocations,
    reserve_with_drawdowns,
)

D = Decimal


def _errors(excinfo: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return excinfo.value.message_dict


def test_a_month_already_closed_is_changed_with_its_version_never_closed_twice(la):
    year = budget_year(la)
    line = year.placements
    with pytest.raises(ValidationError) as refused:
        services.month_close_record(budget_line=line, month=date(2026, 6, 1), actual="1", forecast_outturn="2",
                                    by="test", today=TODAY)
    assert _errors(refused)["month"] == ["June 2026 is already closed for this line: change that close instead "
                                         "of closing the month again"]
    june = MonthlyFinance.objects.get(budget_line=line, month=date(2026, 6, 1))
    changed = services.month_close_record(budget_line=line, month=date(2026, 6, 1), actual="2750000",
                                          forecast_outturn="31300000", commentary="Two new residential placements",
                                          expected_version=june.version, by="test", today=TODAY)
    assert changed.pk == june.pk and changed.version == june.version + 1
    assert MonthlyFinance.objects.filter(budget_line=line, month=date(2026, 6, 1)).count() == 1
    with pytest.raises(StaleVersionError):
        services.month_close_record(budget_line=line, month=date(2026, 6, 1), actual="1", forecast_outturn="2",
                                    expected_version=june.version, by="test", today=TODAY)
    history = ChangeRecord.objects.filter(model_label="finance.MonthlyFinance", object_id=str(june.pk))
    assert history.count() == 2  # created, then changed


@pytest.mark.parametrize(("month", "message"), [
    (date(2026, 12, 1), "December 2026 has not started yet: close a month once it has begun"),
    (date(2026, 3, 1), "March 2026 is not in 2026/27: choose a month from April 2026 to March 2027"),
    (date(2026, 7, 15), "Choose the month being closed"),
])
def test_month_close_refuses_a_month_it_cannot_be(la, month, message):
    line = budget_year(la).safeguarding
    with pytest.raises(ValidationError) as refused:
        services.month_close_record(budget_line=line, month=month, actual="1", forecast_outturn="2", by="test",
                                    today=TODAY)
    assert _errors(refused)["month"] == [message]


def test_month_close_needs_the_forecast_and_pounds_and_pence(la):
    line = budget_year(la).safeguarding
    with pytest.raises(ValidationError) as refused:
        services.month_close_record(budget_line=line, month=date(2026, 7, 1), actual="12.345", forecast_outturn="",
                                    by="test", today=TODAY)
    errors = _errors(refused)
    assert errors["forecast_outturn"] == ["Enter the forecast outturn for the year"]
    assert errors["actual"] == ["Enter what was spent in the month to the nearest penny, with no more than 2 "
                                "decimal places"]
    # A refund month is below zero; "£" and commas are what people type.
    close = services.month_close_record(budget_line=line, month=date(2026, 7, 1), actual="-£2,500.50",
                                        forecast_outturn="£11,850,000", by="test", today=TODAY)
    assert (close.actual, close.forecast_outturn) == (D("-2500.50"), D("11850000.00"))


def test_one_budget_line_per_area_and_year(la):
    area = services.service_area_create(local_authority=la, name="Fostering", code="csc400", by="test")
    assert area.code == "CSC400"
    first = services.budget_line_set(service_area=area, financial_year=YEAR, budget="5000000", by="test")
    again = services.budget_line_set(service_area=area, financial_year=YEAR, budget="5200000",
                                     expected_version=first.version, by="test")
    assert again.pk == first.pk and again.budget == D("5200000")
    with pytest.raises(StaleVersionError):
        services.budget_line_set(service_area=area, financial_year=YEAR, budget="1", expected_version=first.version,
                                 by="test")
    with pytest.raises(ValidationError) as refused:
        services.service_area_create(local_authority=la, name="Fostering again", code="CSC400", by="test")
    assert _errors(refused)["code"] == ["There is already a service area with cost centre CSC400"]
    with pytest.raises(ValidationError) as refused:
        services.budget_line_set(service_area=area, financial_year=YEAR, budget="-5", by="test")
    assert _errors(refused)["budget"] == ["The budget must be £0 or more"]


def test_a_drawdown_larger_than_the_balance_is_refused_with_the_balance(la):
    reserve = reserve_with_drawdowns(la)
    with pytest.raises(ValidationError) as refused:
        services.reserve_movement_record(reserve=reserve, moved_on=TODAY, amount="-2000000", purpose="Too much",
                                         by="test", today=TODAY)
    assert _errors(refused)["amount"] == [
        "The balance on 23 November 2026 is £1,850,000.00: a drawdown of £2,000,000.00 is more than the reserve "
        "holds. Draw down £1,850,000.00 or less"]
    # Backdated to when the balance was higher, it would still leave later drawdowns unpaid.
    with pytest.raises(ValidationError) as refused:
        services.reserve_movement_record(reserve=reserve, moved_on=date(2026, 4, 1), amount="-2000000",
                                         purpose="Backdated", by="test", today=TODAY)
    assert _errors(refused)["amount"] == [
        "The balance on 1 April 2026 is £2,400,000.00, but drawdowns already recorded after that day leave "
        "£1,850,000.00 free: a drawdown of £2,000,000.00 is more than the reserve holds. Draw down £1,850,000.00 "
        "or less"]
    # Drawing down exactly the balance empties it.
    services.reserve_movement_record(reserve=reserve, moved_on=TODAY, amount="-1850000", purpose="The rest",
                                     by="test", today=TODAY)
    assert ReserveMovement.objects.filter(reserve=reserve).count() == 5


def test_reserve_movement_bad_input(la):
    reserve = reserve_with_drawdowns(la)
    with pytest.raises(ValidationError) as refused:
        services.reserve_movement_record(reserve=reserve, moved_on=date(2027, 1, 1), amount="0", purpose=" ",
                                         by="test", today=TODAY)
    errors = _errors(refused)
    assert errors["amount"] == ["Enter an amount other than £0"]
    assert errors["moved_on"] == ["The date must be today or in the past: record a movement once it has happened"]
    assert errors["purpose"] == ["Enter what the money is for"]
    with pytest.raises(ValidationError) as refused:
        services.reserve_movement_record(reserve=reserve, moved_on=date(2025, 1, 1), amount="5", purpose="x",
                                         by="test", today=TODAY)
    assert "on or after 1 April 2025" in _errors(refused)["moved_on"][0]


def test_grant_ends_after_it_starts_and_allocations_never_exceed_it(la):
    with pytest.raises(ValidationError) as refused:
        services.grant_create(local_authority=la, name="G", funder="DfE", amount="100", starts_on=date(2026, 4, 1),
                              ends_on=date(2026, 4, 1), by="test")
    assert _errors(refused)["ends_on"] == ["The date the grant ends must be after the date it starts"]
    grant = grant_with_allocations(la)
    with pytest.raises(ValidationError) as refused:
        services.grant_allocation_add(grant=grant, spend_area="Youth work", amount="300000", by="test")
    assert _errors(refused)["amount"] == ["Only £250,000.00 of the £1,000,000.00 grant is unallocated: allocate "
                                          "£250,000.00 or less"]
    services.grant_allocation_add(grant=grant, spend_area="Youth work", amount="250000", by="test")
    with pytest.raises(ValidationError) as refused:
        services.grant_allocation_add(grant=grant, spend_area="More", amount="0.01", by="test")
    assert _errors(refused)["amount"][0].startswith("Only £0.00 of the £1,000,000.00 grant is unallocated")


def test_spend_cannot_pass_the_allocation_and_is_version_checked(la):
    grant = grant_with_allocations(la)
    allocation = grant.allocations.order_by("pk").first()
    assert allocation is not None
    with pytest.raises(ValidationError) as refused:
        services.allocation_spend_update(allocation=allocation, spent_to_date="400000.01",
                                         expected_version=allocation.version, by="test")
    assert _errors(refused)["spent_to_date"][0].startswith("The amount spent to date cannot be more than the "
                                                            "£400,000.00 allocated")
    with pytest.raises(StaleVersionError):
        services.allocation_spend_update(allocation=allocation, spent_to_date="1", expected_version=1, by="test")


def test_unit_cost_and_assumptions_one_row_each_and_versioned(la):
    cost = services.unit_cost_set(local_authority=la, band="agency_fostering", financial_year=YEAR,
                                  weekly_cost="1,050.00", by="test")
    again = services.unit_cost_set(local_authority=la, band="agency_fostering", financial_year=YEAR,
                                   weekly_cost="1100", expected_version=cost.version, by="test")
    assert again.pk == cost.pk and again.weekly_cost == D("1100.00")
    with pytest.raises(ValidationError) as refused:
        services.unit_cost_set(local_authority=la, band="space_station", financial_year=YEAR, weekly_cost="1",
                               by="test")
    assert _errors(refused)["band"] == ["Choose a kind of placement from the list"]

    row = services.projection_assumption_set(local_authority=la, band="kinship", annual_demand_change_percent="3",
                                             annual_cost_change_percent="2.5%", rationale="Kinship first",
                                             expected_version=0, by="test")
    assert (row.annual_demand_change_percent, row.annual_cost_change_percent) == (D("3.00"), D("2.50"))
    with pytest.raises(StaleVersionError):
        services.projection_assumption_set(local_authority=la, band="kinship", annual_demand_change_percent="4",
                                           annual_cost_change_percent="2", expected_version=0, by="test")
    with pytest.raises(ValidationError) as refused:
        services.projection_assumption_set(local_authority=la, band="kinship", annual_demand_change_percent="150",
                                           annual_cost_change_percent="lots", expected_version=row.version,
                                           by="test")
    errors = _errors(refused)
    assert errors["annual_demand_change_percent"] == ["The yearly change in children must be between -100% and "
                                                      "100%"]
    assert errors["annual_cost_change_percent"] == ["Enter the yearly change in weekly cost as a number, like 3.5 "
                                                    "or -2"]
    assert ProjectionAssumption.objects.get(pk=row.pk).annual_demand_change_percent == D("3.00")


def test_assumptions_from_one_form_are_saved_all_or_none(la):
    inputs = [services.AssumptionInput("kinship", "3", "2", "", 0), services.AssumptionInput("agency_fostering",
                                                                                              "x", "2", "", 0)]
    with pytest.raises(ValidationError) as refused:
        services.projection_assumptions_set(local_authority=la, assumptions=inputs, by="test")
    assert list(_errors(refused)) == ["agency_fostering-annual_demand_change_percent"]
    assert not ProjectionAssumption.objects.filter(local_authority=la).exists()


@pytest.mark.parametrize("role", [Role.SERVICE_MANAGER, Role.PERFORMANCE_ANALYST, Role.IMPROVEMENT_MANAGER,
                                  Role.SOCIAL_WORKER, Role.TEAM_MANAGER])
def test_only_finance_and_the_director_write_figures(la, role):
    user = finance_user(la, role)
    with pytest.raises(PermissionDenied):
        services.service_area_create(local_authority=la, name="X", code="X1", by=user)
    if role == Role.SERVICE_MANAGER:  # heads of service may change the projection's assumptions
        services.projection_assumption_set(local_authority=la, band="kinship", annual_demand_change_percent="1",
                                           annual_cost_change_percent="1", by=user)
    else:
        with pytest.raises(PermissionDenied):
            services.projection_assumption_set(local_authority=la, band="kinship", annual_demand_change_percent="1",
                                               annual_cost_change_percent="1", by=user)


def test_finance_staff_of_another_council_cannot_write(la, other_la):
    stranger = finance_user(other_la)
    with pytest.raises(PermissionDenied):
        services.service_area_create(local_authority=la, name="X", code="X1", by=stranger)
    for role in (Role.FINANCE_OFFICER, Role.DIRECTOR):
        area = services.service_area_create(local_authority=la, name=f"Area {role}", code=f"C{role[:3]}",
                                            by=finance_user(la, role))
        assert ChangeRecord.objects.filter(model_label="finance.ServiceArea", object_id=str(area.pk)).exists()
