"""The bank holiday table: any member of staff may look, only a system administrator may change it."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.views.decorators.http import require_http_methods

from hearth.accounts.roles import Role

from . import services
from .forms import BankHolidayForm
from .models import BankHoliday
from .selectors import bank_holiday_years, bank_holidays

View = Callable[..., HttpResponse]


def _staff_only(view: View) -> View:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not getattr(request.user, "is_council_staff", False):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return login_required(wrapped)


def _admin_only(view: View) -> View:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not _can_edit(request):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return login_required(wrapped)


def _can_edit(request: HttpRequest) -> bool:
    return getattr(request.user, "role", None) == Role.SYSTEM_ADMIN


def _back_to_year(year: int) -> HttpResponse:
    return redirect(f"{reverse('clocks:holidays')}?year={year}")


@_staff_only
@require_http_methods(["GET"])
def holiday_list(request: HttpRequest) -> HttpResponse:
    years = bank_holiday_years()
    this_year = timezone.localdate().year
    try:
        year = int(request.GET.get("year", this_year))
    except ValueError:
        year = this_year
    if not 1900 <= year <= 2200:
        year = this_year
    return render(
        request,
        "clocks/holiday_list.html",
        {
            "year": year,
            "years": years,
            "holidays": bank_holidays(year=year),
            "can_edit": _can_edit(request),
        },
    )


@_admin_only
@require_http_methods(["GET", "POST"])
def holiday_add(request: HttpRequest) -> HttpResponse:
    form = BankHolidayForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            holiday = services.bank_holiday_add(
                on=form.cleaned_data["on"], name=form.cleaned_data["name"], by=request.user
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"{holiday.name} added. Open deadlines have been recalculated.")
            return _back_to_year(holiday.date.year)
    return render(request, "clocks/holiday_form.html", {"form": form, "holiday": None})


@_admin_only
@require_http_methods(["GET", "POST"])
def holiday_change(request: HttpRequest, pk: int) -> HttpResponse:
    holiday = get_object_or_404(BankHoliday, pk=pk, removed=False)
    initial = {"on": holiday.date, "name": holiday.name, "last_updated": holiday.updated_at.isoformat()}
    form = BankHolidayForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        seen = parse_datetime(form.cleaned_data["last_updated"] or "")
        try:
            holiday = services.bank_holiday_change(
                holiday=holiday, on=form.cleaned_data["on"], name=form.cleaned_data["name"], by=request.user,
                expected_updated_at=seen,
            )
        except ValidationError as error:
            form.add_error(None, error)
            holiday.refresh_from_db()
            data = form.data.copy()  # type: ignore[attr-defined]
            data["last_updated"] = holiday.updated_at.isoformat()
            form.data = data
        else:
            messages.success(request, f"{holiday.name} saved. Open deadlines have been recalculated.")
            return _back_to_year(holiday.date.year)
    return render(request, "clocks/holiday_form.html", {"form": form, "holiday": holiday})


@_admin_only
@require_http_methods(["GET", "POST"])
def holiday_remove(request: HttpRequest, pk: int) -> HttpResponse:
    holiday = get_object_or_404(BankHoliday, pk=pk, removed=False)
    if request.method == "POST":
        services.bank_holiday_remove(holiday=holiday, by=request.user)
        messages.success(request, f"{holiday.name} removed. Open deadlines have been recalculated.")
        return _back_to_year(holiday.date.year)
    return render(request, "clocks/holiday_remove.html", {"holiday": holiday})
