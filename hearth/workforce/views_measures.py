"""The workforce measures page (DfE's CSWW measures, their trend and benchmarks) and the census download.

Figures only: no worker is named anywhere here. The census download (analysts, heads of service, the director)
is the same build as ``manage.py export_csww`` (``hearth.workforce.csww.census_files``) and is logged in the
audit trail the same way.
"""

# ruff: noqa: RUF001  (multiplication signs and en dashes are the right typography beside a figure)

from __future__ import annotations

import io
import zipfile
from datetime import date
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from hearth.accounts.models import User
from hearth.indicators import compute
from hearth.indicators.charts import Series, format_value, line_chart, number
from hearth.indicators.registry import get
from hearth.tenancy.models import LocalAuthority
from hearth.workspace.downloads import csv_response
from hearth.workspace.pages import council_staff_allowed

from .csww import SCHEMA_NAME, CensusError, census_files, csww_export_log
from .measures import MEASURE_CODES, YEARS_SHOWN, census_date, latest_census_year, measures_report

ZIP_TYPE = "application/zip"


class CensusExportForm(forms.Form):
    year = forms.TypedChoiceField(label="Census year", coerce=int, choices=(),
                                  error_messages={"required": "Select the census year",
                                                  "invalid_choice": "Select a census year from the list"})

    def __init__(self, *args: Any, today: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        latest = latest_census_year(today)
        year = self.fields["year"]
        assert isinstance(year, forms.TypedChoiceField)
        year.choices = [(y, f"30 September {y}") for y in range(latest, latest - YEARS_SHOWN, -1)]
        year.help_text = ("The census covers 1 October the year before to 30 September. A year whose "
                                         "30 September has not come cannot be chosen.")


def _reader(request: HttpRequest) -> tuple[User, LocalAuthority]:
    user = council_staff_allowed(request, "workforce.view_measures")
    assert user.local_authority is not None
    return user, user.local_authority


def _figure(value: float | None, code: str) -> str:
    ind = get(code)
    return format_value(value, ind.unit, ind.decimals) if value is not None else "No figure"


def _plain(value: float | None, code: str) -> str:
    return "" if value is None else number(value, get(code).decimals)


def _month(day: date) -> str:
    return f"{day:%b %y}"


def _context(user: User, la: LocalAuthority, today: date, form: CensusExportForm) -> dict[str, Any]:
    report = measures_report(local_authority=la, today=today)
    points = compute.trends(local_authority=la, codes=MEASURE_CODES, months=24, last=today)
    latest_year = report.census_years[-1]
    sections = []
    summary = []
    for row in report.rows:
        ind = get(row.code)
        latest = row.years[-1]
        published_year = next((y for y in reversed(row.years) if y.published.council is not None
                               or y.published.england is not None), None)
        summary.append({
            "code": row.code, "title": ind.title,
            "latest": _figure(latest.value, row.code), "live": _figure(row.live_value, row.code),
            "published_year": published_year.year if published_year else None,
            "published": _figure(published_year.published.council, row.code) if published_year else "",
            "england": _figure(published_year.published.england, row.code) if published_year else "",
            "sn_median": _figure(published_year.published.sn_median, row.code) if published_year else "",
        })
        trend = points[row.code]
        title = f"{ind.title}, {'the twelve months to' if ind.measured == 'in_period' else 'at'} each month end"
        sections.append({
            "code": row.code, "ind": ind,
            "years": [{
                "year": y.year, "on": y.on, "value": _figure(y.value, row.code), "words": y.words,
                "published": (_figure(y.published.council, row.code) if y.published.council is not None
                              else (y.published.council_text or "Not published")),
                "england": _figure(y.published.england, row.code) if y.published.england is not None else "–",
                "sn_median": _figure(y.published.sn_median, row.code) if y.published.sn_median is not None else "–",
            } for y in reversed(row.years)],
            "live": _figure(row.live_value, row.code), "live_words": row.live_words,
            "chart": line_chart(title=title, polarity=ind.polarity, unit=ind.unit, decimals=ind.decimals,
                                series=[Series(name=ind.title, points=[(_month(p.month_end), p.value)
                                                                       for p in trend])],
                                chart_id=f"trend-{row.code}"),
            "chart_title": title,
            "trend": [{"month_end": p.month_end, "value": _plain(p.value, row.code),
                       "source": "Reported" if p.source == "snapshot" else "Live"} for p in trend],
        })
    return {
        "report": report, "summary": summary, "sections": sections, "latest_year": latest_year,
        "latest_census": census_date(latest_year), "today": today, "form": form,
        "may_export": user.has_perm("workforce.export_csww"), "schema_name": SCHEMA_NAME,
    }


@login_required
def measures(request: HttpRequest) -> HttpResponse:
    user, la = _reader(request)
    today = compute.today()
    return render(request, "workforce/measures.html",
                  _context(user, la, today, CensusExportForm(today=today, initial={"year": latest_census_year(today)})))


@login_required
def measures_csv(request: HttpRequest) -> HttpResponse:
    _, la = _reader(request)
    today = compute.today()
    report = measures_report(local_authority=la, today=today)
    header = ["code", "measure", "at", "hearth_value", "how", "published_council", "england",
              "statistical_neighbours_median"]
    rows: list[list[object]] = []
    for row in report.rows:
        title = get(row.code).title
        for y in row.years:
            rows.append([row.code, title, y.on.isoformat(), _plain(y.value, row.code), y.words,
                         _plain(y.published.council, row.code) or y.published.council_text,
                         _plain(y.published.england, row.code), _plain(y.published.sn_median, row.code)])
        rows.append([row.code, title, f"12 months to {today.isoformat()}", _plain(row.live_value, row.code),
                     row.live_words, "", "", ""])
    return csv_response(f"workforce-measures-{today.isoformat()}.csv", header, rows)


@login_required
@require_POST
def csww_download(request: HttpRequest) -> HttpResponse:
    user, la = _reader(request)
    if not user.has_perm("workforce.export_csww"):
        raise PermissionDenied
    today = compute.today()
    form = CensusExportForm(request.POST, today=today)
    if form.is_valid():
        year = form.cleaned_data["year"]
        try:
            files = census_files(local_authority=la, year=year)
        except CensusError as error:
            form.add_error("year", str(error))
        else:
            csww_export_log(local_authority=la, census=files.census, by=user, where="download from the measures page")
            out = io.BytesIO()
            with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
                for name, content in zip(files.names, (files.xml, files.csv), strict=True):
                    archive.writestr(name, content)
            response = HttpResponse(out.getvalue(), content_type=ZIP_TYPE)
            response["Content-Disposition"] = f'attachment; filename="csww_{year}.zip"'
            response["Cache-Control"] = "no-store"
            response["X-Content-Type-Options"] = "nosniff"
            return response
    return render(request, "workforce/measures.html", _context(user, la, today, form))
