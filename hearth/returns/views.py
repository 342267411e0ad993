"""The returns page: run a return in the background, watch it, read what it found and fix it, download it."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from hearth.accounts.models import User
from hearth.workspace.forms import add_service_errors

from . import selectors
from .forms import ACTIONS, AnnexAForm, FindingFilterForm, YearForm
from .models import ReturnRun
from .services import (
    SUPPORTED_YEARS,
    RunAlreadyUnderWay,
    return_download,
    return_run_again,
    return_run_mark_submitted,
    return_run_start,
    return_run_stop_if_stalled,
)
from .tasks import return_run_task

PAGE_SIZE = 100
RECENT_RUNS = 20

PANELS = [
    (ReturnRun.Kind.CIN, "Children in need census for DfE: an XML file checked against the year's schema and "
                         "the DfE validation rules."),
    (ReturnRun.Kind.SSDA903, "Children looked after return for DfE: the CSV tables, checked against the year's "
                             "DfE validation rules and last year's return."),
    (ReturnRun.Kind.ANNEX_A, "Ofsted's lists 1 to 11 for an inspection: a workbook with Ofsted's headers and "
                             "labels."),
]


def _reader(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User) or not user.has_perm("returns.view_returns"):
        raise PermissionDenied
    return user


def _runner(request: HttpRequest) -> User:
    user = _reader(request)
    if not user.has_perm("returns.run_returns"):
        raise PermissionDenied
    return user


def _form_for(kind: str, data: Any = None) -> forms.Form:
    if kind == ReturnRun.Kind.ANNEX_A:
        return AnnexAForm(data, prefix=kind)
    return YearForm(data, prefix=kind, years=SUPPORTED_YEARS[ReturnRun.Kind(kind)])


def _index(request: HttpRequest, user: User, bound: forms.Form | None = None, bound_kind: str = "",
           status: int = 200) -> HttpResponse:
    can_run = user.has_perm("returns.run_returns")
    panels = [
        {"kind": kind, "title": ReturnRun.Kind(kind).label, "text": text,
         "form": bound if kind == bound_kind and bound is not None else _form_for(kind)}
        for kind, text in PANELS
    ] if can_run else []
    return render(request, "returns/index.html", {
        "panels": panels,
        "bound": bound,
        "runs": list(selectors.runs_listed_for(user=user)[:RECENT_RUNS]),
        "can_run": can_run,
        "can_download": user.has_perm("returns.download_return"),
        "team_only": selectors.team_only(user),
    }, status=status)


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    return _index(request, _reader(request))


@login_required
@require_POST
def run_start(request: HttpRequest, kind: str) -> HttpResponse:
    user = _runner(request)
    if kind not in ReturnRun.Kind.values:
        raise Http404
    action = ACTIONS.get(request.POST.get("action", ""), ReturnRun.Action.VALIDATE)
    form = _form_for(kind, request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            run = return_run_start(local_authority=user.local_authority, kind=kind,  # type: ignore[arg-type]
                                   action=action, year=data.get("year"), start=data.get("start"),
                                   end=data.get("end"), by=user)
        except RunAlreadyUnderWay as under_way:
            messages.info(request, f"{under_way.run.title} is already being run. Its progress is shown below.")
            return redirect("returns:run", pk=under_way.run.pk)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return_run_task.enqueue(run.pk)
            return redirect("returns:run", pk=run.pk)
    return _index(request, user, bound=form, bound_kind=kind)


# The findings filters, as carried from a run to the next by "Check again".
FILTERS = ("rule", "severity", "team")
_FILTER_VALUE = re.compile(r"^[A-Za-z0-9 _-]{1,20}$")


def _filter_query(values: Any) -> str:
    """The findings filters among ``values`` (GET or POST data) as a query string; anything else dropped."""
    kept = {name: values.get(name, "") for name in FILTERS}
    return urlencode({name: value for name, value in kept.items() if value and _FILTER_VALUE.match(str(value))})


def _run_context(user: User, run: ReturnRun, request: HttpRequest) -> dict[str, Any]:
    teams = None
    if not selectors.team_only(user):
        teams = [(t.pk, t.name) for t in selectors.finding_teams(user=user)]
    rules = selectors.finding_rules(user=user, run=run)
    asked = FindingFilterForm(request.GET or None, rules=rules, teams=teams, checked=run.rules_run)
    chosen = asked.chosen()
    # Shown as chosen, with no error beside a filter that was ignored; a rule this run checked and found
    # nothing for (kept by "Check again") stays selected.
    shown_rules = list(rules)
    if chosen.get("rule") and chosen["rule"] not in shown_rules:
        shown_rules.append(chosen["rule"])
    filters = FindingFilterForm(initial=chosen, rules=shown_rules, teams=teams)
    found = selectors.findings_for(user=user, run=run, rule=chosen.get("rule") or "",
                                   severity=chosen.get("severity") or "", team_id=chosen.get("team"))
    page_obj = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    not_run = sorted(run.rules_not_run.items()) if run.status == ReturnRun.Status.DONE else []
    return {
        "run": run,
        "counts": selectors.finding_counts(user=user, run=run) if run.status == ReturnRun.Status.DONE else {},
        "filters": filters,
        "filtered": bool(chosen),
        "filter_query": _filter_query({k: str(v) for k, v in chosen.items()}),
        "page_obj": page_obj,
        "querystring_prefix": f"{query.urlencode()}&" if query else "",
        "not_run": not_run,
        "made_today": timezone.localdate(run.requested_at) == timezone.localdate(),
        "can_run": user.has_perm("returns.run_returns"),
        "can_download": user.has_perm("returns.download_return") and run.has_file,
        "can_submit": user.has_perm("returns.submit_return") and run.can_be_submitted and not run.submitted,
        "can_open_records": user.has_case_access,
        "team_only": selectors.team_only(user),
    }


@login_required
@require_GET
def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _reader(request)
    run = return_run_stop_if_stalled(run=selectors.run_for(user=user, pk=pk))
    return render(request, "returns/run.html", _run_context(user, run, request))


@login_required
@require_GET
def run_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress bar alone, polled while the run is under way; once it has finished the page reloads to
    show what it found."""
    user = _reader(request)
    run = return_run_stop_if_stalled(run=selectors.run_for(user=user, pk=pk))
    response = render(request, "returns/_progress.html", {"run": run})
    if not run.is_under_way and request.headers.get("HX-Request"):
        response["HX-Refresh"] = "true"
    return response


def _to_run(run: ReturnRun, query: str = "") -> HttpResponse:
    url = reverse("returns:run", kwargs={"pk": run.pk})
    return redirect(f"{url}?{query}" if query else url)


@login_required
@require_POST
def run_again(request: HttpRequest, pk: int) -> HttpResponse:
    """A new validation of the same return, landing on it with the findings filtered as they were."""
    user = _runner(request)
    run = selectors.run_for(user=user, pk=pk)
    query = _filter_query(request.POST)
    try:
        again = return_run_again(run=run, by=user)
    except RunAlreadyUnderWay as under_way:
        messages.info(request, f"{under_way.run.title} is already being checked. Its progress is shown below.")
        return _to_run(under_way.run, query)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _to_run(run, query)
    return_run_task.enqueue(again.pk)
    return _to_run(again, query)


@login_required
@require_POST
def run_submitted(request: HttpRequest, pk: int) -> HttpResponse:
    user = _runner(request)
    run = selectors.run_for(user=user, pk=pk)
    try:
        return_run_mark_submitted(run=run, by=user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"{run.title} export marked as submitted to DfE")
    return redirect("returns:run", pk=run.pk)


@login_required
@require_GET
def run_download(request: HttpRequest, pk: int) -> HttpResponse:
    user = _reader(request)
    run = selectors.run_for(user=user, pk=pk)
    # The file itself was left out of the page's read; fetch it for this download only.
    run = ReturnRun.objects.get(pk=run.pk, local_authority_id=user.local_authority_id)
    try:
        content, name, content_type = return_download(run=run, user=user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("returns:run", pk=run.pk)
    response = HttpResponse(content, content_type=content_type or "application/octet-stream")
    response["Content-Disposition"] = f'attachment; filename="{safe_file_name(name)}"'
    # The file holds every child in the return: no browser or proxy may keep a copy.
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def safe_file_name(name: str) -> str:
    """Letters, digits, dot, dash and underscore only: nothing that could end the header or leave the folder."""
    cleaned = re.sub(r"[^A-Za-z0-9._-]", "_", name).lstrip(".")
    return cleaned[:100] or "return"
