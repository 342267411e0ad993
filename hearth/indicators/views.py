"""The indicator pages: every indicator for a period, one indicator's page (trend, target, benchmarks, as
reported and now), the records behind a figure, targets and CSVs.

Figures come from ``compute`` (cached by the council's data version), comparisons from ``benchmarks`` and
targets and snapshots from ``selectors``; the records behind a figure from ``drilldown``, which names only
what the reader may open. The dashboards are in ``views_dashboards``.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Max
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_http_methods

from hearth.access.models import AccessEvent
from hearth.access.services import access_record_many
from hearth.accounts.models import Team, User
from hearth.audit.models import StaleVersionError
from hearth.tenancy.models import LocalAuthority
from hearth.workspace.downloads import csv_response
from hearth.workspace.forms import show_refusal

from . import benchmarks, compute, selectors, services
from .charts import Bar, Series, bar_chart, format_value, line_chart, number
from .dashboards import NOT_COMPARABLE, compares_with_england
from .drilldown import NO_TEAM, PARTS, describe_members, drill_down, drill_down_all, members_for
from .forms import PeriodForm, TargetForm, period_data
from .models import BenchmarkFigure, IndicatorSnapshot, IndicatorTarget
from .registry import (
    GROUP_TITLES,
    Indicator,
    Result,
    collection_year_period,
    current_period,
    get,
    last_month_end,
)

RAG_WORDS = {"green": ("On target", "green"), "amber": ("Close to target", "yellow"), "red": ("Off target", "red")}
UNIT_WORDS = {"per_10k": "rate per 10,000 children", "percent": "percentage", "average": "average",
              "number": "number"}
FIGURE_HEADINGS = {"per_10k": "Per 10,000", "percent": "%", "average": "Average", "number": "Number"}
MEASURED_WORDS = {"in_period": "Events in the period", "at_end": "A count on the last day of the period"}
AS_REPORTED_MONTHS = 12
PUBLISHED_SECONDS = 600


# Helpers ---------------------------------------------------------------------------------------------------

def _reader(request: HttpRequest) -> tuple[User, LocalAuthority]:
    user = request.user
    if not isinstance(user, User) or not user.has_perm("indicators.view_performance"):
        raise PermissionDenied
    assert user.local_authority is not None  # the permission needs a council
    return user, user.local_authority


def _indicator(code: str) -> Indicator:
    try:
        return get(code)
    except LookupError:
        raise Http404("No such indicator") from None


def default_period(today: date | None = None) -> tuple[date, date]:
    """The rolling twelve months to the last month end."""
    return current_period(today or compute.today())


def quick_periods(today: date | None = None) -> list[tuple[str, date, date]]:
    """The last two complete collection years and the last twelve months, as links."""
    today = today or compute.today()
    latest = today.year if (today.month, today.day) > (3, 31) else today.year - 1  # the year ending 31 March
    links = []
    for year in (latest, latest - 1):
        start, end = collection_year_period(year)
        links.append((f"{year - 1}/{str(year)[2:]}", start, end))
    links.append(("Last 12 months", *default_period(today)))
    return links


def _period(request: HttpRequest) -> tuple[PeriodForm, date, date]:
    """The period asked for, else the default; a bad one keeps its typing and shows its errors."""
    data = period_data(request.GET)
    if data is None:
        start, end = default_period()
        return PeriodForm(initial={"start": start, "end": end}), start, end
    form = PeriodForm(data)
    if form.is_valid():
        return form, form.cleaned_data["start"], form.cleaned_data["end"]
    start, end = default_period()
    return form, start, end


def period_words(start: date, end: date) -> str:
    return f"{start.day} {start:%B %Y} to {end.day} {end:%B %Y}"


def period_query(start: date, end: date, **extra: Any) -> str:
    params = {"start": start.isoformat(), "end": end.isoformat()}
    params.update({k: v for k, v in extra.items() if v not in (None, "")})
    return urlencode(params)


def count(value: float | None) -> str:
    """A numerator or denominator: ``640`` or ``1,234.5`` (FTE and scores are not whole)."""
    if value is None:
        return ""
    return f"{int(value):,}" if float(value).is_integer() else f"{value:,.1f}"


def _plain(value: float | None, decimals: int) -> str:
    """A published figure without its unit, as the list's columns show it: ``"36,186.3"``, ``""`` for none."""
    return "" if value is None else number(value, decimals)


def _rounded(value: float | None, decimals: int) -> str:
    return "" if value is None else f"{value:.{decimals}f}"




def _iso(day: date | None) -> str:
    return "" if day is None else day.isoformat()




@dataclass
class RagShown:
    text: str
    colour: str
    polarity: str


def _target_value(target: IndicatorTarget | None) -> float | None:
    return target.value if target is not None else None


def _rag(ind: Indicator, value: float | None, target: IndicatorTarget | None) -> RagShown | None:
    if value is None or target is None:
        return None
    found = selectors.rag(indicator=ind, value=value, target=target.value)
    if found is None:
        return None
    text, colour = RAG_WORDS[found]
    return RagShown(text, colour, ind.polarity_words)


def _comparable_england(ind: Indicator, bench: benchmarks.Benchmark) -> float | None:
    """England's published figure, where it can be set beside the council's (not for a plain count)."""
    if not compares_with_england(ind) or bench.england is None:
        return None
    return bench.england.value


def _benchmark(la: LocalAuthority, code: str, **kwargs: Any) -> benchmarks.Benchmark | None:
    try:
        return benchmarks.benchmark(local_authority=la, code=code, **kwargs)
    except LookupError:
        return None


# The list --------------------------------------------------------------------------------------------------

@dataclass
class ListRow:
    indicator: Indicator
    result: Result
    value: str
    numerator: str
    denominator: str
    target: float | None
    target_text: str
    rag: RagShown | None
    england: float | None
    sn_median: float | None
    benchmark_year: int | None
    england_text: str
    sn_median_text: str
    detail_url: str
    children_url: str
    denominator_url: str = ""

    @property
    def england_comparable(self) -> bool:
        return compares_with_england(self.indicator)


@dataclass(frozen=True)
class Published:
    """What the list shows of an indicator's latest published comparison."""

    england: float | None
    sn_median: float | None
    year: int


def _published(la: LocalAuthority, codes: list[str]) -> dict[str, Published]:
    """England and the neighbour median for each indicator's latest published year. Kept for a while: they
    change only when DfE's figures are imported, which adds or replaces rows (so the key moves too)."""
    stamp = BenchmarkFigure.objects.aggregate(n=Count("id"), top=Max("id"))
    chosen = hashlib.blake2b(",".join(sorted(codes)).encode(), digest_size=8).hexdigest()
    cache_key = f"hearth:indicators:published:{la.dfe_la_number}:{stamp['n']}:{stamp['top']}:{chosen}"
    found: dict[str, Published] | None = cache.get(cache_key)
    if found is None:
        found = {}
        for code in codes:
            bench = _benchmark(la, code)
            if bench is not None:
                found[code] = Published(_comparable_england(get(code), bench), bench.sn_median, bench.year)
        cache.set(cache_key, found, PUBLISHED_SECONDS)
    return found


def _list_rows(la: LocalAuthority, start: date, end: date) -> list[ListRow]:
    results = compute.results(local_authority=la, start=start, end=end)
    targets = selectors.targets_for(local_authority=la)
    published = _published(la, [r.code for r in results if not r.indicator.unavailable])
    query = period_query(start, end)
    rows = []
    for result in results:
        ind = result.indicator
        target = targets.get(ind.code)
        bench = published.get(ind.code)
        rows.append(ListRow(
            indicator=ind, result=result,
            value="" if ind.unavailable else format_value(result.value, ind.unit, ind.decimals),
            numerator=count(result.numerator) if not ind.unavailable else "",
            denominator=count(result.denominator) if ind.unit != "number" else "",
            target=_target_value(target),
            target_text=format_value(target.value, ind.unit, ind.decimals) if target else "",
            rag=_rag(ind, result.value, target),
            england=bench.england if bench else None,
            sn_median=bench.sn_median if bench else None,
            benchmark_year=bench.year if bench else None,
            england_text=_plain(bench.england if bench else None, ind.decimals),
            sn_median_text=_plain(bench.sn_median if bench else None, ind.decimals),
            detail_url=reverse("indicators:detail", args=[ind.code]) + f"?{query}",
            children_url=reverse("indicators:children", args=[ind.code]) + f"?{query}",
            denominator_url=(reverse("indicators:children", args=[ind.code]) + f"?{query}&part=denominator"
                             if result.tally.denominator is not None and not ind.unavailable else ""),
        ))
    return rows


@login_required
def indicator_list(request: HttpRequest) -> HttpResponse:
    _, la = _reader(request)
    form, start, end = _period(request)
    rows = _list_rows(la, start, end)
    groups = [(key, title, [r for r in rows if r.indicator.group == key]) for key, title in GROUP_TITLES.items()]
    return render(request, "indicators/list.html", {
        "form": form, "start": start, "end": end, "period": period_words(start, end),
        "groups": [g for g in groups if g[2]], "quick": _quick_links(request.path, start, end),
        "csv_url": reverse("indicators:csv") + f"?{period_query(start, end)}", "council": la,
    })


def _quick_links(path: str, start: date, end: date) -> list[dict[str, Any]]:
    return [{"text": text, "href": f"{path}?{period_query(s, e)}", "current": (s, e) == (start, end)}
            for text, s, e in quick_periods()]


@login_required
def indicator_csv(request: HttpRequest) -> HttpResponse:
    _, la = _reader(request)
    form, start, end = _period(request)
    if form.is_bound and not form.is_valid():
        return redirect(reverse("indicators:list") + "?" + request.GET.urlencode())
    rows = _list_rows(la, start, end)
    header = ["code", "title", "period_start", "period_end", "numerator", "denominator", "value", "unit", "target",
              "england", "sn_median", "benchmark_year"]
    return csv_response(f"indicators-{start}-{end}.csv", header, (
        [r.indicator.code, r.indicator.title, start.isoformat(), end.isoformat(),
         "" if r.indicator.unavailable else _rounded(r.result.numerator, 1 if r.indicator.unit == "average" else 0),
         "" if r.result.denominator is None else _rounded(r.result.denominator,
                                                          1 if r.indicator.unit == "average" else 0),
         _rounded(r.result.value, r.indicator.decimals), r.indicator.unit, _rounded(r.target, r.indicator.decimals),
         "" if r.england is None else r.england, "" if r.sn_median is None else round(r.sn_median, 2),
         r.benchmark_year or ""]
        for r in rows
    ))


# One indicator ---------------------------------------------------------------------------------------------

def _trend_label(day: date) -> str:
    return f"{day:%b %y}"


def _model_and_year(request: HttpRequest, la: LocalAuthority, code: str) -> tuple[int, int | None, list[int]]:
    try:
        model = int(request.GET.get("model", ""))
    except ValueError:
        model = benchmarks.MODEL_YEARS[0]
    if model not in benchmarks.MODEL_YEARS:
        model = benchmarks.MODEL_YEARS[0]
    try:
        published = benchmarks.benchmark_years(code=code, area_code=la.dfe_la_number)
    except LookupError:
        published = []
    years = sorted({y for y, _ in published}, reverse=True)
    try:
        year: int | None = int(request.GET.get("year", ""))
    except ValueError:
        year = None
    return model, (year if year in years else None), years


def _benchmark_section(la: LocalAuthority, ind: Indicator, result: Result, model: int, year: int | None,
                       period: str) -> dict[str, Any] | None:
    bench = _benchmark(la, ind.code, model_year=model, year=year)
    if bench is None:
        return None
    # How close each neighbour is, and that the live figure is not published, are in the table beside the
    # chart: written on the chart they would leave the bars too little room.
    bars = [Bar(label=f"{bench.council.name} {bench.year} (published)", value=bench.council.value, highlight=True,
                note="" if bench.council.value is not None else f"({bench.council.published})")]
    live_label = f"{bench.council.name} now (Hearth, live)"
    if result.value is not None:
        bars.append(Bar(label=live_label, value=result.value, highlight=True))
    bars += [Bar(label=n.name, value=n.value) for n in bench.neighbours]
    lines: list[tuple[str, float]] = []
    england = _comparable_england(ind, bench)
    if england is not None:
        lines.append((f"England {bench.year}", england))
    if bench.sn_median is not None:
        lines.append(("Neighbour median", bench.sn_median))
    chart = bar_chart(title=f"{ind.title}: {bench.council.name} and its statistical neighbours, {bench.year} "
                            f"({bench.model_year} model)",
                      bars=bars, unit=ind.unit, reference_lines=lines, decimals=ind.decimals)
    position = None
    if result.value is not None and any(n.value is not None for n in bench.neighbours):
        position = benchmarks.position(value=result.value, benchmark=bench, polarity=ind.polarity)
    fmt = (lambda v: format_value(v, ind.unit, ind.decimals))  # noqa: E731
    return {"bench": bench, "chart": chart, "position": position, "fmt_median": fmt(bench.sn_median),
            "fmt_mean": fmt(bench.sn_mean), "fmt_england": fmt(england),
            "fmt_region": fmt(bench.region.value if bench.region else None), "live_label": live_label,
            "fmt_live": fmt(result.value), "england_comparable": compares_with_england(ind),
            "not_comparable": NOT_COMPARABLE}


def _team_rows(result: Result, la: LocalAuthority, query: str) -> list[dict[str, Any]]:
    ind = result.indicator
    if ind.unit not in ("percent", "average") or ind.unavailable:
        return []
    split = compute.team_figures(result=result)
    names = dict(Team.objects.filter(local_authority=la, pk__in=[k for k in split if k is not None])
                 .values_list("pk", "name"))
    rows = []
    for team_id, fig in split.items():
        name = names.get(team_id, "No team recorded") if team_id is not None else "No team recorded"
        rows.append({
            "name": name, "numerator": count(fig.numerator), "denominator": count(fig.denominator),
            "value": format_value(fig.value, ind.unit, ind.decimals),
            "url": reverse("indicators:children", args=[ind.code])
            + f"?{query}&team={team_id if team_id is not None else NO_TEAM}",
        })
    rows.sort(key=lambda r: (r["name"] == "No team recorded", r["name"]))
    return rows


def _as_reported(la: LocalAuthority, ind: Indicator) -> list[dict[str, Any]]:
    """Recent month ends whose frozen figure differs from the same period recomputed now."""
    if ind.unavailable:
        return []
    snapshots = list(selectors.snapshots_for(local_authority=la, code=ind.code).order_by("-month_end")
                     [:AS_REPORTED_MONTHS])
    differing = []
    for snap in snapshots:
        now = compute.figures(local_authority=la, start=snap.period_start, end=snap.period_end, codes=[ind.code])[0]
        same = (_rounded(now.value, ind.decimals) == _rounded(snap.value, ind.decimals)
                and now.numerator == snap.numerator and now.denominator == snap.denominator)
        if not same:
            differing.append({
                "snapshot": snap, "reported": format_value(snap.value, ind.unit, ind.decimals),
                "now": format_value(now.value, ind.unit, ind.decimals),
                "reported_parts": f"{count(snap.numerator)} of {count(snap.denominator)}"
                if snap.denominator is not None and ind.unit != "per_10k" else count(snap.numerator),
                "now_parts": f"{count(now.numerator)} of {count(now.denominator)}"
                if now.denominator is not None and ind.unit != "per_10k" else count(now.numerator),
                "url": reverse("indicators:snapshot", args=[ind.code, snap.month_end.isoformat()]),
            })
    return differing


@login_required
def indicator_detail(request: HttpRequest, code: str) -> HttpResponse:
    user, la = _reader(request)
    ind = _indicator(code)
    form, start, end = _period(request)
    period = period_words(start, end)
    query = period_query(start, end)
    result = compute.results(local_authority=la, start=start, end=end, codes=[code])[0]
    target = selectors.targets_for(local_authority=la).get(code)
    context: dict[str, Any] = {
        "ind": ind, "form": form, "start": start, "end": end, "period": period, "query": query,
        "group_title": GROUP_TITLES[ind.group], "result": result, "target": target,
        "unit_words": UNIT_WORDS[ind.unit], "measured_words": MEASURED_WORDS[ind.measured],
        "figure_heading": FIGURE_HEADINGS[ind.unit],
        "quick": _quick_links(request.path, start, end),
        "may_set_target": user.has_perm("indicators.set_targets"),
    }
    if ind.unavailable:
        return render(request, "indicators/detail.html", context)
    children = reverse("indicators:children", args=[code])
    has_list = result.tally.denominator is not None
    context.update({
        "value": format_value(result.value, ind.unit, ind.decimals),
        "numerator": count(result.numerator), "denominator": count(result.denominator),
        "target_text": format_value(target.value, ind.unit, ind.decimals) if target else "",
        "rag": _rag(ind, result.value, target),
        "numerator_url": f"{children}?{query}&part=numerator",
        "denominator_url": f"{children}?{query}&part=denominator" if has_list else "",
        "rest_url": f"{children}?{query}&part=not_numerator" if has_list else "",
        "rest": count((result.denominator or 0) - result.numerator) if has_list and ind.unit != "average" else "",
    })
    points = compute.trend(local_authority=la, code=code, months=24, last=end)
    context["trend"] = [{
        "label": _trend_label(p.month_end), "month_end": p.month_end, "numerator": count(p.numerator),
        "denominator": count(p.denominator) if ind.unit != "number" else "",
        "value": _plain(p.value, ind.decimals),
        "source": "Reported" if p.source == "snapshot" else "Live",
    } for p in points]
    context["trend_chart"] = line_chart(
        title=f"{ind.title}, {'the twelve months to' if ind.measured == 'in_period' else 'at'} each month end",
        series=[Series(name=ind.title, points=[(_trend_label(p.month_end), p.value) for p in points])],
        unit=ind.unit, target=_target_value(target), decimals=ind.decimals,
    )
    context["trend_csv"] = reverse("indicators:trend_csv", args=[code]) + f"?end={end.isoformat()}"
    model, year, years = _model_and_year(request, la, code)
    context.update({"model": model, "models": benchmarks.MODEL_YEARS, "year": year, "years": years,
                    "benchmark": _benchmark_section(la, ind, result, model, year, period)})
    context["teams"] = _team_rows(result, la, query)
    context["as_reported"] = _as_reported(la, ind)
    return render(request, "indicators/detail.html", context)


@login_required
def trend_csv(request: HttpRequest, code: str) -> HttpResponse:
    _, la = _reader(request)
    ind = _indicator(code)
    try:
        end = date.fromisoformat(request.GET.get("end", ""))
    except ValueError:
        end = last_month_end(compute.today())
    points = [] if ind.unavailable else compute.trend(local_authority=la, code=code, months=24, last=end)
    header = ["code", "month_end", "numerator", "denominator", "value", "unit", "source"]
    return csv_response(f"{code}-trend-{end}.csv", header, (
        [code, p.month_end.isoformat(), _rounded(p.numerator, 1 if ind.unit == "average" else 0),
         "" if p.denominator is None else _rounded(p.denominator, 1 if ind.unit == "average" else 0),
         _rounded(p.value, ind.decimals), ind.unit, p.source]
        for p in points
    ))


# The records behind a figure -------------------------------------------------------------------------------

def _children_request(request: HttpRequest, code: str) -> tuple[User, LocalAuthority, Indicator, Result, str,
                                                                   str, date, date]:
    user, la = _reader(request)
    ind = _indicator(code)
    if ind.unavailable:
        raise Http404("Hearth cannot compute this indicator, so there are no records behind it")
    _, start, end = _period(request)
    part = request.GET.get("part") or "numerator"
    if part not in PARTS:
        raise Http404("No such part of the figure")
    team = request.GET.get("team", "")
    if team not in ("", NO_TEAM) and not team.isdigit():
        raise Http404("No such team")
    result = compute.results(local_authority=la, start=start, end=end, codes=[code])[0]
    if part != "numerator" and result.tally.denominator is None:
        raise Http404("The denominator is the council's child population: there is no list of records behind it")
    return user, la, ind, result, part, team, start, end


def _headline(result: Result, part: str, team: str, team_obj: Team | None) -> str:
    """What the list is, with its totals: "52 of the 640 in the denominator are not in the numerator"."""
    where = f" in {team_obj.name}" if team_obj is not None else " with no team recorded" if team == NO_TEAM else ""
    numerator = len(members_for(result, "numerator", team or None))
    if result.tally.denominator is None:
        return f"{numerator:,} counted in the numerator{where}"
    denominator = len(members_for(result, "denominator", team or None))
    if part == "numerator":
        return f"{numerator:,} counted in the numerator{where}, of {denominator:,} in the denominator"
    if part == "denominator":
        return f"{denominator:,} counted in the denominator{where}"
    rest = len(members_for(result, "not_numerator", team or None))
    return f"{rest:,} of the {denominator:,} in the denominator{where} are not in the numerator"


def _team_for(la: LocalAuthority, team: str) -> Team | None:
    if not team or team == NO_TEAM:
        return None
    found = Team.objects.filter(local_authority=la, pk=int(team)).first()
    if found is None:
        raise Http404("No such team")
    return found


@login_required
def indicator_children(request: HttpRequest, code: str) -> HttpResponse:
    user, la, ind, result, part, team, start, end = _children_request(request, code)
    team_obj = _team_for(la, team)
    found = drill_down(user=user, result=result, part=part, team_id=team or None, page=request.GET.get("page", 1))
    query = period_query(start, end, part=part, team=team)
    assert found.page is not None
    return render(request, "indicators/children.html", {
        "ind": ind, "result": result, "part": part, "team": team_obj, "no_team": team == NO_TEAM,
        "drill": found, "page_obj": found.page, "period": period_words(start, end), "start": start, "end": end,
        "headline": _headline(result, part, team, team_obj),
        "amount": count(found.amount), "querystring_prefix": query + "&",
        "csv_url": reverse("indicators:children_csv", args=[code]) + f"?{query}",
        "detail_url": reverse("indicators:detail", args=[code]) + f"?{period_query(start, end)}",
        "pseudonymised": user.has_perm("indicators.see_pseudonymised_only"),
        "staff": bool(found.rows) and all(r.member.child_id is None for r in found.rows),
        "part_words": {"numerator": ind.numerator, "denominator": ind.denominator,
                       "not_numerator": f"{ind.denominator}, but not {ind.numerator[:1].lower()}{ind.numerator[1:]}"
                       }[part],
    })


@login_required
def children_csv(request: HttpRequest, code: str) -> HttpResponse:
    user, la, ind, result, part, team, start, end = _children_request(request, code)
    _team_for(la, team)
    found = drill_down_all(user=user, result=result, part=part, team_id=team or None)
    analyst = user.has_perm("indicators.see_pseudonymised_only")
    if found.people:
        access_record_many(user=user, people=found.people, action=AccessEvent.Action.EXPORT,
                           page=f"{request.path} ({ind.title}, {part}{', pseudonymised' if analyst else ''})")
    if analyst:
        header = ["pseudonym", "date", "team", "note", "amount"]
        rows: list[list[object]] = [[r.shown, _iso(r.shown_on), r.team, r.note, count(r.amount)] for r in found.rows]
    else:
        header = ["worker" if ind.group == "workforce" else "child", "hearth_id", "date", "team", "note", "amount"]
        rows = [[r.shown, r.hearth_id, _iso(r.shown_on), r.team, r.note, count(r.amount)] for r in found.rows]
    if found.unseen:
        unseen_line: list[object] = [f"{found.unseen} record{'s' if found.unseen != 1 else ''} you may not open "
                                     f"{'are' if found.unseen != 1 else 'is'} not listed"]
        rows.append(unseen_line + [""] * (len(header) - 1))
    return csv_response(f"{code}-{part}-{start}-{end}.csv", header, rows)


# As reported and now ---------------------------------------------------------------------------------------

@login_required
def snapshot_detail(request: HttpRequest, code: str, month: str) -> HttpResponse:
    user, la = _reader(request)
    ind = _indicator(code)
    try:
        day = date.fromisoformat(month)
    except ValueError:
        raise Http404("No such month") from None
    snapshot = IndicatorSnapshot.objects.filter(local_authority=la, indicator=code, month_end=day).first()
    if snapshot is None:
        raise Http404("No figure was frozen for that month")
    comparison = selectors.compare_snapshot(snapshot=snapshot)
    changes = ([(c, "Added") for c in comparison.added] + [(c, "Removed") for c in comparison.removed]
               + [(c, "Changed") for c in comparison.changed])
    shown, unseen, _ = describe_members(user=user, local_authority=la, members=[c.member for c, _ in changes])
    by_key = {row.member.key: row for row in shown}
    rows: list[dict[str, Any]] = []
    for change, how in changes:
        row = by_key.get(change.member.key)
        if row is None:
            continue
        words = {"Added": f"Added to the {change.part}", "Removed": f"Removed from the {change.part}",
                 "Changed": f"Adds a different amount to the {change.part}"}[how]
        rows.append({
            "row": row, "change": words,
            "explanation": "" if row.restricted else change.explanation,
        })
    rows.sort(key=lambda r: (r["row"].restricted, r["row"].on, r["row"].member.key))
    now = comparison.now
    return render(request, "indicators/snapshot.html", {
        "ind": ind, "snapshot": snapshot, "now": now, "rows": rows, "unseen": unseen, "notes": comparison.notes,
        "reported": format_value(snapshot.value, ind.unit, ind.decimals),
        "now_value": format_value(now.value, ind.unit, ind.decimals),
        "reported_numerator": count(snapshot.numerator), "reported_denominator": count(snapshot.denominator),
        "now_numerator": count(now.numerator), "now_denominator": count(now.denominator),
        "period": period_words(snapshot.period_start, snapshot.period_end),
        "detail_url": reverse("indicators:detail", args=[code]),
        "pseudonymised": user.has_perm("indicators.see_pseudonymised_only"),
    })


# Targets ---------------------------------------------------------------------------------------------------

@login_required
@require_http_methods(["GET", "POST"])
def target_edit(request: HttpRequest, code: str) -> HttpResponse:
    user, la = _reader(request)
    if not user.has_perm("indicators.set_targets"):
        raise PermissionDenied
    ind = _indicator(code)
    if ind.unavailable:
        raise Http404("Hearth cannot compute this indicator, so it has no target")
    current = IndicatorTarget.objects.filter(local_authority=la, indicator=code).first()
    if request.method == "POST":
        form = TargetForm(request.POST, unit=ind.unit)
        if form.is_valid():
            try:
                services.target_set(local_authority=la, indicator=code, value=form.cleaned_data["value"],
                                    rationale=form.cleaned_data["rationale"], by=user,
                                    expected_version=form.cleaned_data["version"])
            except (StaleVersionError, ValidationError) as refused:
                show_refusal(form, refused)
            else:
                saved = format_value(form.cleaned_data["value"], ind.unit, ind.decimals)
                messages.success(request, f"Target saved: {saved}")
                return redirect("indicators:detail", code=code)
    else:
        initial: dict[str, Any] = {"version": current.version if current else 0}
        if current is not None:
            initial.update(value=f"{current.value:g}", rationale=current.rationale)
        form = TargetForm(initial=initial, unit=ind.unit)
    return render(request, "indicators/target_form.html", {
        "ind": ind, "form": form, "current": current,
        "current_text": format_value(current.value, ind.unit, ind.decimals) if current else "",
        "polarity": ind.polarity_words,
    })


