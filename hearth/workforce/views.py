"""Establishment pages: today's establishment, the posts and their funding, the sustainability of temporarily
funded posts, and the people in post with their appointments and (for those allowed) absences."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from hearth.accounts.models import User
from hearth.finance.money import pounds
from hearth.indicators import registry
from hearth.indicators.charts import format_value
from hearth.indicators.compute import figures
from hearth.workspace.downloads import csv_response
from hearth.workspace.pages import council_staff_allowed, saved
from hearth.workspace.resubmission import refuses_resubmission

from . import selectors, services
from .forms import (
    AbsenceCloseForm,
    AbsenceForm,
    AppointmentEndForm,
    AppointmentStartForm,
    FundingEndForm,
    FundingForm,
    PeopleFilterForm,
    PostEndForm,
    PostFilterForm,
    PostForm,
)
from .models import Absence, Appointment, Post, PostFunding

POSTS_PAGE = 50
PEOPLE_PAGE = 50
HEADLINE_MONTHS = 6
HORIZONS = (3, 6, 12)


# ---------------------------------------------------------------------------------------------- helpers

def _user(request: HttpRequest, perm: str = "workforce.view_workforce") -> User:
    return council_staff_allowed(request, perm)


def _today() -> date:
    return timezone.localdate()


def _team_scope(user: User) -> int | None:
    """The team a team manager's figures are for; None for the whole council."""
    return selectors._team_of(user)


def _post(user: User, pk: int) -> Post:
    post = selectors.post_for(user=user, pk=pk)
    if post is None:
        raise Http404
    return post


def _worker(user: User, pk: int) -> User:
    worker = selectors.worker_for(user=user, pk=pk)
    if worker is None:
        raise Http404
    return worker


def _query(request: HttpRequest) -> str:
    keep = [(k, v) for k, v in request.GET.items() if k != "page" and v]
    return urlencode(keep) + "&" if keep else ""


def _page(request: HttpRequest, rows: Any, size: int) -> dict[str, Any]:
    page = Paginator(rows, size).get_page(request.GET.get("page"))
    return {"page_obj": page, "querystring_prefix": _query(request),
            "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1)}


def _url(name: str, *args: Any) -> str:
    return reverse(f"workforce:{name}", args=args)


def _form_page(request: HttpRequest, form: forms.Form, *, title: str, caption: str, back: str, button: str,
               save: Callable[[dict[str, Any]], str], done: str | Callable[[], str], intro: str = "",
               adds: bool = False, extra: dict[str, Any] | None = None) -> HttpResponse:
    """Validate, call the service, go on (to ``done``, a URL or what gives one once saved); a refusal is shown
    beside its field with everything typed kept."""
    if request.method == "POST" and form.is_valid():
        message = saved(form, lambda: save(form.cleaned_data))
        if message is not None:
            messages.success(request, message)
            return redirect(done() if callable(done) else done)
    return render(request, "workforce/form.html", {
        "form": form, "title": title, "caption": caption, "back": back, "button": button, "intro": intro,
        "adds": adds, **(extra or {}),
    })


def _indicator_rows(codes: list[str]) -> list[dict[str, str]]:
    rows = []
    for code in codes:
        try:
            rows.append({"code": code, "title": registry.get(code).title})
        except LookupError:
            rows.append({"code": "", "title": f"{code} (no longer an indicator)"})
    return rows


def _in_a_sentence(title: str) -> str:
    """"Children looked after who went missing" → "children looked after ..."; "SDQ scores" stays as it is."""
    return title[0].lower() + title[1:] if title[1:2].islower() else title


# ---------------------------------------------------------------------------------------------- overview

@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    today = _today()
    team = _team_scope(user)
    la_id = user.local_authority_id
    assert la_id is not None
    establishment = selectors.establishment_on(local_authority=la_id, on=today, team=team)
    risk = selectors.sustainability(local_authority=la_id, today=today, horizons=(HEADLINE_MONTHS,), team=team)
    headline = risk.horizons[0]
    return render(request, "workforce/index.html", {
        "today": today, "establishment": establishment, "headline": headline,
        "headline_indicators": [_in_a_sentence(t) for t in selectors.indicator_titles(headline.indicators)],
        "unfunded": risk.already_unfunded, "team": user.team if team is not None else None,
        "by_source": [(label, pounds(cost)) for label, cost in establishment.by_source.items()],
        "may_manage": user.has_perm("workforce.manage_establishment"),
        "may_measure": user.has_perm("workforce.view_measures"),
    })


# ---------------------------------------------------------------------------------------------- posts

@login_required
@require_GET
def posts(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    today = _today()
    form = PostFilterForm(request.GET or None, teams=selectors.teams_for(user=user))
    rows = selectors.posts_for(user=user, on=today, **form.filters())
    return render(request, "workforce/posts.html", {
        "form": form, "today": today, **_page(request, rows, POSTS_PAGE),
        "may_manage": user.has_perm("workforce.manage_establishment"),
    })


@login_required
@require_GET
def post(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    post_ = _post(user, pk)
    today = _today()
    funding = selectors.post_funding(post=post_)
    appointments = selectors.post_appointments(post=post_)
    risk = selectors.sustainability(local_authority=post_.local_authority_id, today=today, horizons=(12,),
                                    team=post_.team_id)
    at_risk = next((r for r in risk.horizons[0].posts if r.post.pk == post_.pk), None)
    unfunded = next((r for r in risk.already_unfunded if r.post.pk == post_.pk), None)
    in_post = [a for a in appointments if a.starts_on <= today and (a.ends_on is None or a.ends_on >= today)]
    return render(request, "workforce/post.html", {
        "post": post_, "today": today, "funding": funding, "appointments": appointments, "in_post": in_post,
        "at_risk": at_risk, "unfunded": unfunded, "indicators": _indicator_rows(post_.serves_indicators),
        "may_manage": user.has_perm("workforce.manage_establishment") and post_.ended_on is None,
        "may_manage_funding": user.has_perm("workforce.manage_establishment"),
    })


def _post_values(data: dict[str, Any]) -> dict[str, Any]:
    return {k: data[k] for k in ("reference", "title", "kind", "team", "fte", "annual_cost", "established_on",
                                 "social_work_post", "serves_indicators")} | {
        "grade": data.get("grade") or "", "purpose": data.get("purpose") or ""}


@login_required
@require_http_methods(["GET", "POST"])
@refuses_resubmission
def post_new(request: HttpRequest) -> HttpResponse:
    user = _user(request, "workforce.manage_establishment")
    la = user.local_authority
    assert la is not None
    form = PostForm(request.POST if request.method == "POST" else None, local_authority_id=la.pk,
                    initial={"version": 0, "social_work_post": True, "established_on": _today()})
    created: dict[str, Post] = {}

    def save(data: dict[str, Any]) -> str:
        created["post"] = services.post_create(local_authority=la, by=user, **_post_values(data))
        return f"Post {created['post'].reference} added to the establishment. Add where its money comes from."

    return _form_page(request, form, title="Add a post", caption="Establishment", back=_url("posts"),
                      button="Add post", save=save, done=lambda: _url("funding_add", created["post"].pk), adds=True)


@login_required
@require_http_methods(["GET", "POST"])
def post_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request, "workforce.manage_establishment")
    post_ = _post(user, pk)
    if post_.ended_on is not None:
        raise Http404
    initial = {f: getattr(post_, f) for f in ("reference", "title", "kind", "grade", "fte", "annual_cost",
                                             "social_work_post", "established_on", "purpose", "serves_indicators")}
    form = PostForm(request.POST if request.method == "POST" else None, local_authority_id=post_.local_authority_id,
                    initial=initial | {"version": post_.version, "team": post_.team_id})

    def save(data: dict[str, Any]) -> str:
        services.post_update(post=post_, expected_version=data["version"], by=user, **_post_values(data))
        return f"Post {post_.reference} saved"

    return _form_page(request, form, title=f"Change post {post_.reference}", caption=post_.title,
                      back=_url("post", post_.pk), button="Save", save=save,
                      done=_url("post", post_.pk))


@login_required
@require_http_methods(["GET", "POST"])
def post_end(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request, "workforce.manage_establishment")
    post_ = _post(user, pk)
    if post_.ended_on is not None:
        raise Http404
    form = PostEndForm(request.POST if request.method == "POST" else None, initial={"version": post_.version})

    def save(data: dict[str, Any]) -> str:
        services.post_end(post=post_, ended_on=data["ended_on"], expected_version=data["version"], by=user)
        return f"Post {post_.reference} taken off the establishment"

    return _form_page(request, form, title=f"Take post {post_.reference} off the establishment",
                      caption=post_.title, back=_url("post", post_.pk), button="Take off the establishment",
                      save=save, done=_url("post", post_.pk),
                      intro="The post is kept, with its history. Funding that runs past its last day ends with it. "
                            "Anyone still in the post after that day must have their appointment ended first.")


@login_required
@require_http_methods(["GET", "POST"])
@refuses_resubmission
def funding_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request, "workforce.manage_establishment")
    post_ = _post(user, pk)
    if post_.ended_on is not None:
        raise Http404
    form = FundingForm(request.POST if request.method == "POST" else None, local_authority_id=post_.local_authority_id,
                       initial={"share_percent": Decimal("100"), "source": PostFunding.Source.BASE_BUDGET})

    def save(data: dict[str, Any]) -> str:
        funding = services.post_funding_add(
            post=post_, source=data["source"], starts_on=data["starts_on"], ends_on=data.get("ends_on"),
            share_percent=data["share_percent"], reserve=data.get("reserve"), grant=data.get("grant"),
            note=data.get("note") or "", by=user)
        return f"Funding from {selectors.funding_label(funding)} added to post {post_.reference}"

    return _form_page(request, form, title="Add funding", caption=f"{post_.reference} {post_.title}",
                      back=_url("post", post_.pk), button="Add funding", save=save,
                      done=_url("post", post_.pk), adds=True,
                      intro="Where the money for the post comes from, and for how long. A continuation agreed "
                            "later is a new stretch of funding starting the day after this one ends.")


@login_required
@require_http_methods(["GET", "POST"])
def funding_end(request: HttpRequest, pk: int, funding_pk: int) -> HttpResponse:
    user = _user(request, "workforce.manage_establishment")
    post_ = _post(user, pk)
    funding = PostFunding.objects.filter(pk=funding_pk, post=post_).select_related("reserve", "grant").first()
    if funding is None:
        raise Http404
    funding.post = post_
    form = FundingEndForm(request.POST if request.method == "POST" else None,
                          initial={"version": funding.version, "ends_on": funding.ends_on})

    def save(data: dict[str, Any]) -> str:
        services.post_funding_end(funding=funding, ends_on=data["ends_on"], expected_version=data["version"],
                                  by=user)
        return f"Funding from {selectors.funding_label(funding)} now ends on {data['ends_on']:%-d %B %Y}"

    return _form_page(request, form, title=f"End funding from {selectors.funding_label(funding)}",
                      caption=f"{post_.reference} {post_.title}", back=_url("post", post_.pk),
                      button="Save", save=save, done=_url("post", post_.pk))


# ---------------------------------------------------------------------------------------------- sustainability

def _sustainability(user: User, today: date) -> tuple[selectors.Sustainability, dict[str, str], tuple[date, date]]:
    la = user.local_authority
    assert la is not None
    risk = selectors.sustainability(local_authority=la, today=today, horizons=HORIZONS, team=_team_scope(user))
    codes = [c for c in dict.fromkeys(
        code for rows in [*(h.posts for h in risk.horizons), risk.already_unfunded] for r in rows
        for code in r.indicators) if c in registry.REGISTRY]
    start, end = registry.current_period(today)
    shown: dict[str, str] = {}
    if codes:
        for fig in figures(local_authority=la, start=start, end=end, codes=codes):
            ind = registry.get(fig.code)
            shown[fig.code] = ("Not available" if ind.unavailable
                               else format_value(fig.value, ind.unit, ind.decimals))
    return risk, shown, (start, end)


@login_required
@require_GET
def sustainability(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    today = _today()
    risk, shown, period = _sustainability(user, today)

    def served(codes: list[str]) -> list[dict[str, str]]:
        return [{"code": c, "title": registry.get(c).title, "value": shown.get(c, "No data")}
                for c in codes if c in registry.REGISTRY]

    horizons = [{"horizon": h, "rows": [(r, served(r.indicators)) for r in h.posts],
                 "indicators": served(h.indicators), "caption": f"Posts whose funding ends within {h.months} months"}
                for h in risk.horizons]
    return render(request, "workforce/sustainability.html", {
        "today": today, "horizons": horizons, "period": period,
        "unfunded": [(r, served(r.indicators)) for r in risk.already_unfunded],
        "unfunded_cost": sum((r.annual_cost for r in risk.already_unfunded), Decimal(0)),
        "team": user.team if _team_scope(user) is not None else None,
    })


@login_required
@require_GET
def sustainability_csv(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    today = _today()
    risk, shown, _ = _sustainability(user, today)
    header = ["Funding ends within", "Post number", "Title", "Team", "Kind", "FTE at risk", "Annual cost at risk",
              "Funded from", "Funding ends", "Filled or vacant", "Indicators served"]

    def row(label: str, r: selectors.PostAtRisk) -> list[object]:
        served = "; ".join(f"{registry.get(c).title}: {shown.get(c, 'No data')}" for c in r.indicators
                           if c in registry.REGISTRY)
        return [label, r.post.reference, r.post.title, r.post.team.name if r.post.team else "",
                r.post.get_kind_display(), r.fte.normalize(), r.annual_cost, r.source_label,
                r.ends_on.isoformat() if r.ends_on else "", r.occupant_label, served]

    rows: list[list[object]] = []
    seen: set[int] = set()
    for h in risk.horizons:
        # Each post once, under the first horizon it falls in: the page's tabs are cumulative, the file is not.
        for r in h.posts:
            if id(r) not in seen:
                seen.add(id(r))
                rows.append(row(f"{h.months} months", r))
    rows.extend(row("Already unfunded", r) for r in risk.already_unfunded)
    return csv_response(f"funding-sustainability-{today.isoformat()}.csv", header, rows)


# ---------------------------------------------------------------------------------------------- people

@login_required
@require_GET
def people(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    today = _today()
    form = PeopleFilterForm(request.GET or None, teams=selectors.teams_for(user=user))
    rows = selectors.workers_for(user=user, on=today, **form.filters())
    return render(request, "workforce/people.html", {
        "form": form, "today": today, **_page(request, rows, PEOPLE_PAGE),
        "types": dict(Appointment.EmploymentType.choices), "roles": dict(Appointment.OrgRole.choices),
    })


@login_required
@require_GET
def person(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    worker = _worker(user, pk)
    today = _today()
    appointments = selectors.appointments_of(worker=worker)
    hr = user.has_perm("workforce.view_hr_records", worker)
    current = selectors.current_appointment(appointments, today)
    if current is not None and current.ends_on is not None and current.ends_on < today:
        current = None
    return render(request, "workforce/person.html", {
        "worker": worker, "today": today, "appointments": appointments, "current": current, "hr": hr,
        "absences": selectors.absences_of(worker=worker) if hr else [],
        "may_record": user.has_perm("workforce.record_hr", worker),
        "last_day": worker.left_on - timedelta(days=1) if worker.left_on else None,
    })


def _hr(request: HttpRequest, pk: int) -> tuple[User, User]:
    user = _user(request)
    worker = _worker(user, pk)
    if not user.has_perm("workforce.record_hr", worker):
        raise PermissionDenied
    return user, worker


@login_required
@require_http_methods(["GET", "POST"])
@refuses_resubmission
def appointment_start(request: HttpRequest, pk: int) -> HttpResponse:
    user, worker = _hr(request, pk)
    today = _today()
    posts_ = selectors.posts_for(user=user, on=today).order_by("reference")
    form = AppointmentStartForm(request.POST if request.method == "POST" else None, posts=posts_,
                                initial={"starts_on": today, "fte": worker.fte})

    def save(data: dict[str, Any]) -> str:
        services.appointment_start(worker=worker, post=data.get("post"), employment_type=data["employment_type"],
                                   org_role=data["org_role"], fte=data["fte"], starts_on=data["starts_on"],
                                   start_origin=data.get("start_origin") or "", by=user)
        return f"Appointment for {worker.get_full_name()} recorded"

    back = _url("person", worker.pk)
    return _form_page(request, form, title="Record an appointment", caption=worker.get_full_name(), back=back,
                      button="Record appointment", save=save, done=back, adds=True,
                      intro="A worker in a role from a date. A change of role or FTE ends the current appointment "
                            "and starts a new one.")


@login_required
@require_http_methods(["GET", "POST"])
def appointment_end(request: HttpRequest, pk: int, appointment_pk: int) -> HttpResponse:
    user, worker = _hr(request, pk)
    appointment = Appointment.objects.filter(pk=appointment_pk, worker=worker, ends_on__isnull=True).first()
    if appointment is None:
        raise Http404
    appointment.worker = worker
    form = AppointmentEndForm(request.POST if request.method == "POST" else None,
                              initial={"version": appointment.version})

    def save(data: dict[str, Any]) -> str:
        services.appointment_end(appointment=appointment, ends_on=data["ends_on"], left_council=data["left_council"],
                                 reason_leave=data.get("reason_leave") or "",
                                 leaver_destination=data.get("leaver_destination") or "",
                                 expected_version=data["version"], by=user)
        return f"Appointment for {worker.get_full_name()} ended"

    back = _url("person", worker.pk)
    return _form_page(request, form, title="End an appointment", caption=worker.get_full_name(), back=back,
                      button="End appointment", save=save, done=back)


@login_required
@require_http_methods(["GET", "POST"])
@refuses_resubmission
def absence_record(request: HttpRequest, pk: int) -> HttpResponse:
    user, worker = _hr(request, pk)
    form = AbsenceForm(request.POST if request.method == "POST" else None)

    def save(data: dict[str, Any]) -> str:
        services.absence_record(worker=worker, reason=data["reason"], starts_on=data["starts_on"],
                                ends_on=data.get("ends_on"), working_days_lost=data["working_days_lost"], by=user)
        return f"Absence for {worker.get_full_name()} recorded"

    back = _url("person", worker.pk)
    return _form_page(request, form, title="Record an absence", caption=worker.get_full_name(), back=back,
                      button="Record absence", save=save, done=back, adds=True)


@login_required
@require_http_methods(["GET", "POST"])
def absence_close(request: HttpRequest, pk: int, absence_pk: int) -> HttpResponse:
    user, worker = _hr(request, pk)
    absence = Absence.objects.filter(pk=absence_pk, worker=worker, ends_on__isnull=True).first()
    if absence is None:
        raise Http404
    absence.worker = worker
    form = AbsenceCloseForm(request.POST if request.method == "POST" else None,
                            initial={"version": absence.version, "working_days_lost": absence.working_days_lost})

    def save(data: dict[str, Any]) -> str:
        services.absence_close(absence=absence, ends_on=data["ends_on"], working_days_lost=data["working_days_lost"],
                               expected_version=data["version"], by=user)
        return f"Absence for {worker.get_full_name()} closed"

    back = _url("person", worker.pk)
    return _form_page(request, form, title="The worker is back", caption=worker.get_full_name(), back=back,
                      button="Save", save=save, done=back)
