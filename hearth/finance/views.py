"""The finance pages: budget monitoring for a year (with its CSV), a budget line's months and the month close,
reserves and grants with the posts they pay for, placement unit costs and the demand projection.

Reads come from ``selectors`` and ``projection``, writes go through ``services``; views only choose what to
show. No page names a child, so nothing here is access-logged.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_GET, require_http_methods

from hearth.accounts.models import User
from hearth.audit.models import StaleVersionError
from hearth.indicators import compute
from hearth.indicators.charts import Series, line_chart
from hearth.tenancy.models import LocalAuthority
from hearth.workspace.downloads import csv_response
from hearth.workspace.forms import STALE_MESSAGE, show_refusal, who_changed
from hearth.workspace.pages import council_staff_allowed

from . import projection as proj
from . import selectors, services, years
from .forms import (
    AllocationForm,
    AssumptionsForm,
    BudgetForm,
    GrantForm,
    MonthCloseForm,
    MovementForm,
    ReserveForm,
    ServiceAreaForm,
    SpendForm,
    UnitCostForm,
    assumption_field_names,
    chosen_year,
)
from .models import (
    BudgetLine,
    Grant,
    GrantAllocation,
    MonthlyFinance,
    PlacementCostBand,
    ProjectionAssumption,
    Reserve,
    ServiceArea,
)
from .money import percent_text, pounds

MILLION = Decimal(1_000_000)


# Helpers ---------------------------------------------------------------------------------------------------

def _user(request: HttpRequest, perm: str = "finance.view_finance") -> tuple[User, LocalAuthority]:
    user = council_staff_allowed(request, perm)
    assert user.local_authority is not None
    return user, user.local_authority


def _today() -> date:
    return compute.today()


def _as_at(year: int) -> date:
    """A past year is read as it closed; the current (or a future) one as it stands today."""
    return min(_today(), years.year_end(year))


def variance_words(variance: Decimal, percent: float | None) -> str:
    """``"Overspend of £120,000 (2.4%)"``, ``"Underspend of £5,000 (0.1%)"`` or ``"On budget"``: said in
    words, never by colour alone."""
    # Rounded as ``pounds`` rounds (half up), so the words never say "On budget" beside "£1".
    rounded = variance.quantize(Decimal(1), rounding=ROUND_HALF_UP)
    if rounded == 0:
        return "On budget"
    kind = "Overspend" if variance > 0 else "Underspend"
    share = f" ({percent_text(abs(percent))})" if percent is not None else ""
    return f"{kind} of {pounds(abs(variance))}{share}"


def movement_words(movement: Decimal | None, since: date | None = None) -> str:
    if movement is None:
        return "No earlier forecast"
    when = f" since {years.month_label(since)}" if since else ""
    if movement.quantize(Decimal(1), rounding=ROUND_HALF_UP) == 0:
        return f"No change{when}"
    return f"{'Up' if movement > 0 else 'Down'} {pounds(abs(movement))}{when}"


def _post_url(post_id: int) -> str | None:
    # The establishment pages are built alongside: no link until the post's page exists.
    try:
        return reverse("workforce:post", args=[post_id])
    except NoReverseMatch:
        return None


def _millions(value: Decimal) -> float:
    return float((value / MILLION).quantize(Decimal("0.001")))


# Budget monitoring -----------------------------------------------------------------------------------------

@dataclass
class LineRow:
    line: selectors.LineSummary
    variance_text: str
    movement_text: str
    url: str


def _line_rows(summary: selectors.FinanceSummary) -> list[LineRow]:
    rows = []
    for line in summary.lines:
        assert line.budget_line is not None
        rows.append(LineRow(line, variance_words(line.variance, line.variance_percent),
                            movement_words(line.movement, line.previous_month),
                            reverse("finance:line", args=[line.budget_line.pk])))
    return rows


def _forecast_chart(summary: selectors.FinanceSummary) -> Any:
    labels = [years.short_month(month) for month, _ in summary.forecast_by_month]
    budget = _millions(summary.total_budget)
    forecast: list[tuple[str, float | None]] = [(label, _millions(value)) for label, (_, value)
                                                in zip(labels, summary.forecast_by_month, strict=True)]
    flat: list[tuple[str, float | None]] = [(label, budget) for label in labels]
    return line_chart(
        title=f"Forecast outturn by month against budget, {years.label(summary.financial_year)}, £ million",
        series=[Series("Forecast outturn (£m)", forecast), Series("Budget (£m)", flat, dashed=True)],
        unit="number", decimals=2)


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    user, la = _user(request)
    year_form, year = chosen_year(request.GET, years.year_of(_today()))
    summary = selectors.finance_summary(local_authority=la, financial_year=year, as_at=_as_at(year))
    month_rows = [(month, value, value - summary.total_budget,
                   variance_words(value - summary.total_budget, selectors.percent_of(value - summary.total_budget,
                                                                                    summary.total_budget)))
                  for month, value in summary.forecast_by_month]
    known_years = selectors.budget_years(local_authority=la)
    return render(request, "finance/index.html", {
        "summary": summary, "year": year, "year_form": year_form, "rows": _line_rows(summary),
        "total_variance_text": variance_words(summary.total_variance, summary.total_variance_percent),
        "total_movement_text": movement_words(summary.total_movement, summary.previous_month),
        "chart": _forecast_chart(summary) if summary.forecast_by_month else None, "month_rows": month_rows,
        "year_links": [y for y in sorted({*known_years, years.year_of(_today())}, reverse=True)],
        "may_manage": user.has_perm("finance.manage_finance"),
    })


@login_required
@require_GET
def index_csv(request: HttpRequest) -> HttpResponse:
    _, la = _user(request)
    year_form, year = chosen_year(request.GET, years.year_of(_today()))
    if year_form.is_bound and not year_form.is_valid():
        raise Http404("No such financial year")
    summary = selectors.finance_summary(local_authority=la, financial_year=year, as_at=_as_at(year))
    header = ["Financial year", "Service area", "Cost centre", "Budget", "Spent to date", "Forecast outturn",
              "Variance (forecast minus budget)", "Variance %", "Previous forecast", "Movement", "Latest month closed"]

    def cells(line: selectors.LineSummary) -> list[object]:
        return [years.label(year), line.service_area.name, line.service_area.code, line.budget, line.actual_to_date,
                line.forecast_outturn, line.variance, line.variance_percent, line.previous_forecast, line.movement,
                line.latest_month.isoformat() if line.latest_month else ""]

    rows = [cells(line) for line in summary.lines]
    rows.append([years.label(year), "Total", "", summary.total_budget, summary.total_actual_to_date,
                 summary.total_forecast, summary.total_variance, summary.total_variance_percent,
                 summary.total_previous_forecast, summary.total_movement,
                 summary.latest_month.isoformat() if summary.latest_month else ""])
    return csv_response(f"budget-monitoring-{year}.csv", header, rows)


@login_required
@require_http_methods(["GET", "POST"])
def area_new(request: HttpRequest) -> HttpResponse:
    user, la = _user(request, "finance.manage_finance")
    _, year = chosen_year(request.GET, years.year_of(_today()))
    form = ServiceAreaForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                area = services.service_area_create(local_authority=la, name=data["name"], code=data["code"],
                                                    order=data["order"] or 0, by=user)
                services.budget_line_set(service_area=area, financial_year=year, budget=data["budget"], by=user)
        except ValidationError as refused:
            show_refusal(form, refused)
        else:
            messages.success(request, f"{area.name} added with a budget of {pounds(data['budget'])} for "
                                      f"{years.label(year)}")
            return redirect(f"{reverse('finance:index')}?year={year}")
    return render(request, "finance/area_form.html", {"form": form, "year": year})


def _line(la: LocalAuthority, pk: int) -> BudgetLine:
    return get_object_or_404(BudgetLine.objects.select_related("service_area"), pk=pk, local_authority=la)


def _close_months(line: BudgetLine) -> list[date]:
    """The months of the line's year that have begun."""
    return [m for m in years.months(line.financial_year) if m <= _today()]


@login_required
@require_http_methods(["GET", "POST"])
def line_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user, la = _user(request)
    line = _line(la, pk)
    may_manage = user.has_perm("finance.manage_finance")
    if request.method == "POST" and not may_manage:
        raise PermissionDenied
    closes = selectors.line_months(budget_line=line)
    editing: MonthlyFinance | None = None
    asked = request.GET.get("month", "")
    if asked:
        editing = next((c for c in closes if c.month.isoformat() == asked), None)
    form: MonthCloseForm | None = None
    months = _close_months(line)
    # The plain form is for a month not yet closed: once all are, a close is changed from its "Change" link
    # (a form sent after someone else closed the last month is still read, so its refusal keeps the typing).
    closed = {c.month for c in closes}
    open_months = [m for m in months if m not in closed]
    if may_manage and (months or editing is not None) and (open_months or editing is not None
                                                             or request.method == "POST"):
        if editing is not None:
            initial: dict[str, Any] = {"month": editing.month.isoformat(), "actual": editing.actual,
                                       "forecast_outturn": editing.forecast_outturn,
                                       "commentary": editing.commentary, "version": editing.version}
        else:
            initial = {"month": open_months[0].isoformat() if open_months else "", "version": 0}
        form = MonthCloseForm(request.POST or None, initial=initial, months=months)
        if editing is not None:
            # A close is changed for its own month; another month is closed from the plain form.
            form.fields["month"].disabled = True
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                services.month_close_record(budget_line=line, month=data["month"], actual=data["actual"],
                                            forecast_outturn=data["forecast_outturn"],
                                            commentary=data["commentary"], expected_version=data["version"] or None,
                                            by=user)
            except (StaleVersionError, ValidationError) as refused:
                show_refusal(form, refused)
            else:
                messages.success(request, f"{years.month_label(data['month'])} closed for {line.service_area.name}")
                return redirect("finance:line", pk=line.pk)
    summary = selectors.line_summary(line, [c for c in closes if c.month <= _as_at(line.financial_year)])
    rows = []
    spent = Decimal(0)
    previous: MonthlyFinance | None = None
    for close in closes:
        spent += close.actual
        movement = close.forecast_outturn - previous.forecast_outturn if previous else None
        rows.append({"close": close, "to_date": spent, "movement": movement_words(movement),
                     "variance": variance_words(close.forecast_outturn - line.budget,
                                                selectors.percent_of(close.forecast_outturn - line.budget,
                                                                     line.budget)),
                     "change_url": f"{reverse('finance:line', args=[line.pk])}?month={close.month.isoformat()}"})
        previous = close
    return render(request, "finance/line.html", {
        "line": line, "summary": summary, "rows": rows, "form": form, "editing": editing,
        "variance_text": variance_words(summary.variance, summary.variance_percent),
        "movement_text": movement_words(summary.movement, summary.previous_month), "may_manage": may_manage,
        "not_begun": may_manage and not months,
        "all_closed": may_manage and bool(months) and not open_months and editing is None,
    })


@login_required
@require_http_methods(["GET", "POST"])
def line_budget(request: HttpRequest, pk: int) -> HttpResponse:
    user, la = _user(request, "finance.manage_finance")
    line = _line(la, pk)
    form = BudgetForm(request.POST or None, initial={"budget": line.budget, "version": line.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.budget_line_set(service_area=line.service_area, financial_year=line.financial_year,
                                     budget=form.cleaned_data["budget"], expected_version=form.cleaned_data["version"],
                                     by=user)
        except (StaleVersionError, ValidationError) as refused:
            show_refusal(form, refused)
        else:
            messages.success(request, f"Budget for {line.service_area.name} in {years.label(line.financial_year)} "
                                      f"is now {pounds(form.cleaned_data['budget'])}")
            return redirect("finance:line", pk=line.pk)
    return render(request, "finance/budget_form.html", {"form": form, "line": line})


# Reserves --------------------------------------------------------------------------------------------------

@login_required
@require_GET
def reserves(request: HttpRequest) -> HttpResponse:
    user, la = _user(request)
    today = _today()
    balances = selectors.reserve_balances(local_authority=la, financial_year=years.year_of(today), as_at=today)
    opened_later = selectors.reserves_for(local_authority=la).filter(opened_on__gt=today).count()
    return render(request, "finance/reserves.html", {
        "balances": balances, "today": today, "year": years.year_of(today), "opened_later": opened_later,
        "may_manage": user.has_perm("finance.manage_finance"),
    })


@login_required
@require_http_methods(["GET", "POST"])
def reserve_new(request: HttpRequest) -> HttpResponse:
    user, la = _user(request, "finance.manage_finance")
    form = ReserveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            reserve = services.reserve_create(local_authority=la, name=data["name"], purpose=data["purpose"],
                                              opening_balance=data["opening_balance"], opened_on=data["opened_on"],
                                              by=user)
        except ValidationError as refused:
            show_refusal(form, refused)
        else:
            messages.success(request, f"{reserve.name} added")
            return redirect("finance:reserve", pk=reserve.pk)
    return render(request, "finance/reserve_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def reserve_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user, la = _user(request)
    reserve = get_object_or_404(Reserve, pk=pk, local_authority=la)
    may_manage = user.has_perm("finance.manage_finance")
    if request.method == "POST" and not may_manage:
        raise PermissionDenied
    areas = ServiceArea.objects.filter(local_authority=la).order_by("order", "name")
    form = MovementForm(request.POST or None, areas=areas, initial={"moved_on": _today()}) if may_manage else None
    if form is not None and request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.reserve_movement_record(reserve=reserve, moved_on=data["moved_on"], amount=form.signed_amount(),
                                             purpose=data["purpose"], service_area=data["service_area"], by=user)
        except ValidationError as refused:
            show_refusal(form, refused)
        else:
            words = "drawn down from" if form.signed_amount() < 0 else "paid into"
            messages.success(request, f"{pounds(data['amount'], pence=True)} {words} {reserve.name}")
            return redirect("finance:reserve", pk=reserve.pk)
    today = _today()
    detail = selectors.reserve_detail(reserve=reserve, as_at=today)
    chart = None
    if len(detail.month_ends) > 1:
        points: list[tuple[str, float | None]] = [(years.short_month(day), _millions(balance))
                                                  for day, balance in detail.month_ends]
        chart = line_chart(title=f"{reserve.name}: balance at each month end, £ million",
                           series=[Series("Balance (£m)", points)], unit="number", decimals=2)
    posts = [(p, _post_url(p.funding.post_id)) for p in detail.posts]
    return render(request, "finance/reserve.html", {
        "reserve": reserve, "detail": detail, "chart": chart, "posts": posts, "form": form, "today": today,
    })


# Grants ----------------------------------------------------------------------------------------------------

@login_required
@require_GET
def grants(request: HttpRequest) -> HttpResponse:
    user, la = _user(request)
    return render(request, "finance/grants.html", {
        "grants": selectors.grant_summaries(local_authority=la), "today": _today(),
        "may_manage": user.has_perm("finance.manage_finance"),
    })


@login_required
@require_http_methods(["GET", "POST"])
def grant_new(request: HttpRequest) -> HttpResponse:
    user, la = _user(request, "finance.manage_finance")
    form = GrantForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            grant = services.grant_create(local_authority=la, by=user, **data)
        except ValidationError as refused:
            show_refusal(form, refused)
        else:
            messages.success(request, f"{grant.name} added: now allocate it to the areas it pays for")
            return redirect("finance:grant", pk=grant.pk)
    return render(request, "finance/grant_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def grant_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user, la = _user(request)
    grant = get_object_or_404(Grant, pk=pk, local_authority=la)
    may_manage = user.has_perm("finance.manage_finance")
    if request.method == "POST" and not may_manage:
        raise PermissionDenied
    areas = ServiceArea.objects.filter(local_authority=la).order_by("order", "name")
    form = AllocationForm(request.POST or None, areas=areas) if may_manage else None
    if form is not None and request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.grant_allocation_add(grant=grant, spend_area=data["spend_area"], amount=data["amount"],
                                          service_area=data["service_area"], conditions=data["conditions"], by=user)
        except ValidationError as refused:
            show_refusal(form, refused)
        else:
            messages.success(request, f"{pounds(data['amount'], pence=True)} allocated to {data['spend_area']}")
            return redirect("finance:grant", pk=grant.pk)
    today = _today()
    detail = selectors.grant_detail(grant=grant, as_at=today)
    posts = [(p, _post_url(p.funding.post_id)) for p in detail.posts]
    return render(request, "finance/grant.html", {
        "grant": grant, "detail": detail, "posts": posts, "form": form, "today": today, "may_manage": may_manage,
    })


@login_required
@require_http_methods(["GET", "POST"])
def allocation_spend(request: HttpRequest, pk: int, allocation_pk: int) -> HttpResponse:
    user, la = _user(request, "finance.manage_finance")
    allocation = get_object_or_404(GrantAllocation.objects.select_related("grant"), pk=allocation_pk, grant_id=pk,
                                   local_authority=la)
    form = SpendForm(request.POST or None,
                     initial={"spent_to_date": allocation.spent_to_date, "version": allocation.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.allocation_spend_update(allocation=allocation, spent_to_date=form.cleaned_data["spent_to_date"],
                                             expected_version=form.cleaned_data["version"], by=user)
        except (StaleVersionError, ValidationError) as refused:
            show_refusal(form, refused)
        else:
            messages.success(request, f"Spend against {allocation.spend_area} is now "
                                      f"{pounds(form.cleaned_data['spent_to_date'], pence=True)}")
            return redirect("finance:grant", pk=allocation.grant_id)
    return render(request, "finance/spend_form.html", {"form": form, "allocation": allocation})


# Unit costs ------------------------------------------------------------------------------------------------

@login_required
@require_GET
def unit_costs(request: HttpRequest) -> HttpResponse:
    user, la = _user(request)
    year_form, year = chosen_year(request.GET, years.year_of(_today()))
    this_year = selectors.unit_costs(local_authority=la, financial_year=year)
    last_year = selectors.unit_costs(local_authority=la, financial_year=year - 1)
    rows = []
    for band in PlacementCostBand:
        row, before = this_year.get(band.value), last_year.get(band.value)
        change = None
        if row is not None and before is not None and before.weekly_cost:
            change = selectors.percent_of(row.weekly_cost - before.weekly_cost, before.weekly_cost)
        rows.append({"band": band, "row": row, "before": before, "change": change,
                     "annual": row.weekly_cost * proj.WEEKS_PER_YEAR if row is not None else None,
                     "url": reverse("finance:unit_cost", args=[year, band.value])})
    known = selectors.unit_cost_years(local_authority=la)
    return render(request, "finance/unit_costs.html", {
        "rows": rows, "year": year, "year_form": year_form, "weeks": proj.WEEKS_PER_YEAR,
        "year_links": sorted({*known, years.year_of(_today())}, reverse=True),
        "may_manage": user.has_perm("finance.manage_finance"),
    })


@login_required
@require_http_methods(["GET", "POST"])
def unit_cost_edit(request: HttpRequest, year: int, band: str) -> HttpResponse:
    user, la = _user(request, "finance.manage_finance")
    if band not in PlacementCostBand.values or not 2000 <= year <= 2100:
        raise Http404("No such kind of placement")
    row = selectors.unit_costs(local_authority=la, financial_year=year).get(band)
    form = UnitCostForm(request.POST or None, initial={"weekly_cost": row.weekly_cost if row else None,
                                                       "version": row.version if row else 0})
    if request.method == "POST" and form.is_valid():
        try:
            services.unit_cost_set(local_authority=la, band=band, financial_year=year,
                                   weekly_cost=form.cleaned_data["weekly_cost"],
                                   expected_version=form.cleaned_data["version"], by=user)
        except (StaleVersionError, ValidationError) as refused:
            show_refusal(form, refused)
        else:
            messages.success(request, f"{PlacementCostBand(band).label} in {years.label(year)}: "
                                      f"{pounds(form.cleaned_data['weekly_cost'], pence=True)} a week")
            return redirect(f"{reverse('finance:unit_costs')}?year={year}")
    return render(request, "finance/unit_cost_form.html", {
        "form": form, "year": year, "band_label": PlacementCostBand(band).label, "row": row,
    })


# The projection --------------------------------------------------------------------------------------------

def _assumption_initial(la: LocalAuthority) -> dict[str, Any]:
    stored = {row.band: row for row in ProjectionAssumption.objects.filter(local_authority=la)}
    initial: dict[str, Any] = {}
    for band in PlacementCostBand:
        demand, cost, rationale, version = assumption_field_names(band.value)
        row = stored.get(band.value)
        initial[version] = row.version if row else 0
        if row is not None:
            initial[demand] = f"{row.annual_demand_change_percent.normalize():f}"
            initial[cost] = f"{row.annual_cost_change_percent.normalize():f}"
            initial[rationale] = row.rationale
    return initial


def _stale_assumption(form: AssumptionsForm, error: StaleVersionError) -> None:
    """Take on the stored version of the band someone else changed, keep the typing, and say so."""
    band = getattr(error.instance, "band", "")
    data = QueryDict(mutable=True)
    for name in form.data:
        data.setlist(name, form.data.getlist(name))  # type: ignore[attr-defined]
    if band:
        data[assumption_field_names(band)[3]] = str(error.current_version)
    form.data = data
    label = PlacementCostBand(band).label if band in PlacementCostBand.values else "One kind of placement"
    form.add_error(None, f"{label}: {STALE_MESSAGE} {who_changed(error.last_change)}".strip())


def effect_words(before: proj.Projection, after: proj.Projection) -> str:
    """What saving did to the last projected year's cost, in words."""
    if not after.years:
        return "Assumptions saved."
    year = years.label(after.years[-1])
    was, now = before.totals[-1], after.totals[-1]
    if now == was:
        return f"Assumptions saved. The projected cost for {year} is unchanged at {pounds(now)}."
    direction = "up" if now > was else "down"
    return (f"Assumptions saved. The projected cost for {year} is now {pounds(now)}, {direction} "
            f"{pounds(abs(now - was))} from {pounds(was)}.")


@login_required
@require_http_methods(["GET", "POST"])
def projection(request: HttpRequest) -> HttpResponse:
    user, la = _user(request)
    may_edit = user.has_perm("finance.edit_projection")
    if request.method == "POST" and not may_edit:
        raise PermissionDenied
    year_form, base_year = chosen_year(request.GET, years.year_of(_today()))
    form = AssumptionsForm(request.POST or None, initial=_assumption_initial(la)) if may_edit else None
    if form is not None and request.method == "POST" and form.is_valid():
        before = proj.demand_projection(local_authority=la, base_year=base_year)
        try:
            services.projection_assumptions_set(local_authority=la, assumptions=form.inputs(), by=user)
        except StaleVersionError as stale:
            _stale_assumption(form, stale)
        except ValidationError as refused:
            show_refusal(form, refused)
        else:
            after = proj.demand_projection(local_authority=la, base_year=base_year)
            messages.success(request, effect_words(before, after))
            return redirect(f"{reverse('finance:projection')}?year={base_year}")
    result = proj.demand_projection(local_authority=la, base_year=base_year)
    labels = [f"{years.label(base_year)} (now)", *[years.label(y) for y in result.years]]
    points: list[tuple[str, float | None]] = [(labels[0], _millions(result.total_now))]
    points += [(label, _millions(total)) for label, total in zip(labels[1:], result.totals, strict=True)]
    chart = line_chart(title=f"Projected placement cost, {labels[0]} to {labels[-1]}, £ million",
                       series=[Series("Projected cost (£m)", points)], unit="number", decimals=2)
    return render(request, "finance/projection.html", {
        "projection": result, "year_form": year_form, "base_year": base_year, "form": form, "chart": chart,
        "labels": labels, "weeks": proj.WEEKS_PER_YEAR, "year_labels": [years.label(y) for y in result.years],
        "totals": list(zip(labels[1:], result.children_totals, result.totals, strict=True)),
        "left_out": "; ".join(f"{r.label.lower()} ({', '.join(r.missing).lower()})"
                              for r in result.rows if r.missing and r.children_now),
        "bands": form.bands() if form is not None else [],
    })
