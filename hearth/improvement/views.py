"""Improvement programme pages: the programme at a glance, inspections and their areas for improvement, the plan
and each action (impact, evidence, progress), and monitoring visits. Thin: check the rule, bind the form, call the
service, show a refusal beside its field with everything typed kept.

Board meetings, board packs and the self-evaluation are in ``views_board``.
"""

from __future__ import annotations

import mimetypes
from datetime import date
from pathlib import PurePath
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hearth.access import services as access_services
from hearth.access.models import AccessEvent
from hearth.accounts.models import User
from hearth.audit.models import StaleVersionError
from hearth.indicators import compute, registry
from hearth.indicators.charts import Series, format_value, line_chart
from hearth.people.models import Person
from hearth.workspace.downloads import csv_response
from hearth.workspace.forms import show_refusal
from hearth.workspace.resubmission import refuses_resubmission

from . import rules, selectors, services
from .forms import (
    ActionEditForm,
    ActionForm,
    ActionUpdateForm,
    AreaForImprovementEditForm,
    AreaForImprovementForm,
    EvidenceForm,
    InspectionEditForm,
    InspectionForm,
    MonitoringVisitEditForm,
    MonitoringVisitForm,
    PlanFilterForm,
    indicator_choices,
)
from .models import ActionEvidence, ActionIndicator, AreaForImprovement, ImprovementAction, Inspection

# ---------------------------------------------------------------- who may do what


def _user(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User) or user.local_authority_id is None:
        raise PermissionDenied
    return user


def _reader(request: HttpRequest) -> User:
    # The rule itself, not has_perm: Django lets a superuser through every has_perm.
    user = _user(request)
    if not rules.views_improvement(user):
        raise PermissionDenied
    return user


def _keeper(request: HttpRequest) -> User:
    user = _user(request)
    if not rules.manages_plan(user):
        raise PermissionDenied
    return user


def _url(name: str, *args: Any) -> str:
    """A page another part of the programme provides ('' until it exists)."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def _action(user: User, pk: int) -> ImprovementAction:
    found = selectors.action_for(local_authority=user.local_authority_id or 0, pk=pk)
    if found is None:
        raise Http404
    return found


def _today() -> date:
    return compute.today()


# ---------------------------------------------------------------- the programme at a glance


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    user = _reader(request)
    la = user.local_authority
    assert la is not None
    today = _today()
    progress = selectors.plan_progress(local_authority=la, today=today)
    inspection = selectors.latest_inspection(local_authority=la)
    last_visit, next_visit = selectors.last_and_next_visit(local_authority=la, today=today)
    last_meeting, next_meeting = selectors.last_and_next_meeting(local_authority=la, today=today)
    return render(request, "improvement/index.html", {
        "today": today, "progress": progress, "inspection": inspection,
        "judgements": selectors.judgements_in_order(inspection) if inspection else [],
        "rag_counts": selectors.rag_counts_words(progress.by_rag),
        "status_counts": selectors.status_counts_words(progress.by_status),
        "last_visit": last_visit, "next_visit": next_visit,
        "last_meeting": last_meeting, "next_meeting": next_meeting,
        "board_url": _url("improvement:board") if rules.views_board(user) else "",
        "self_evaluations_url": _url("improvement:self_evaluations") if rules.views_board(user) else "",
        "keeper": rules.manages_plan(user), "owns_actions": rules.owns_an_action(user),
    })


# ---------------------------------------------------------------- inspections


@login_required
@require_GET
def inspections(request: HttpRequest) -> HttpResponse:
    user = _reader(request)
    found = list(selectors.inspections_for(local_authority=user.local_authority_id or 0))
    for inspection in found:
        inspection.judgements_ordered = selectors.judgements_in_order(inspection)  # type: ignore[attr-defined]
    return render(request, "improvement/inspections.html", {
        "inspections": found, "keeper": rules.manages_plan(user),
    })


def _inspection(user: User, pk: int) -> Inspection:
    found = selectors.inspection_for(local_authority=user.local_authority_id or 0, pk=pk)
    if found is None:
        raise Http404
    return found


@login_required
@require_GET
def inspection_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _reader(request)
    inspection = _inspection(user, pk)
    return render(request, "improvement/inspection.html", {
        "inspection": inspection, "judgements": selectors.judgements_in_order(inspection),
        "areas": selectors.areas_of(inspection=inspection), "keeper": rules.manages_plan(user),
        "visits": list(inspection_visits(inspection)),
        "before_care_leavers_judged": inspection.on_site_from < services.CARE_LEAVERS_JUDGED_FROM,
    })


def inspection_visits(inspection: Inspection) -> Any:
    return (selectors.visits_for(local_authority=inspection.local_authority_id)
            .filter(areas_for_improvement__inspection=inspection).distinct())


def _inspection_arguments(form: InspectionForm) -> dict[str, Any]:
    d = form.cleaned_data
    return {"kind": d["kind"], "on_site_from": d["on_site_from"], "on_site_to": d["on_site_to"],
            "published_on": d["published_on"], "summary": d["summary"], "judgements": form.judgements()}


@login_required
@require_http_methods(["GET", "POST"])
@refuses_resubmission
def inspection_new(request: HttpRequest) -> HttpResponse:
    user = _keeper(request)
    la = user.local_authority
    assert la is not None
    form = InspectionForm(request.POST or None, initial={"kind": Inspection.Kind.STANDARD})
    if request.method == "POST" and form.is_valid():
        try:
            made = services.inspection_create(local_authority=la, by=user, **_inspection_arguments(form))
        except ValidationError as refused:
            show_refusal(form, refused)
        else:
            messages.success(request, "Inspection recorded. Now add the areas for improvement it set")
            return redirect("improvement:inspection", pk=made.pk)
    return render(request, "improvement/inspection_form.html", {"form": form, "inspection": None})


@login_required
@require_http_methods(["GET", "POST"])
def inspection_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = _keeper(request)
    inspection = _inspection(user, pk)
    form = InspectionEditForm(request.POST or None, initial=InspectionForm.initial_for(inspection))
    if request.method == "POST" and form.is_valid():
        try:
            services.inspection_update(inspection=inspection, expected_version=form.cleaned_data["version"],
                                       by=user, **_inspection_arguments(form))
        except (ValidationError, StaleVersionError) as refused:
            show_refusal(form, refused)
        else:
            messages.success(request, "Inspection saved")
            return redirect("improvement:inspection", pk=inspection.pk)
    return render(request, "improvement/inspection_form.html", {"form": form, "inspection": inspection})


@login_required
@require_http_methods(["GET", "POST"])
@refuses_resubmission
def area_new(request: HttpRequest, pk: int) -> HttpResponse:
    user = _keeper(request)
    inspection = _inspection(user, pk)
    form = AreaForImprovementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            item = services.area_for_improvement_create(inspection=inspection, number=d["number"], text=d["text"],
                                                        area=d["area"], by=user)
        except ValidationError as refused:
            show_refusal(form, refused)
        else:
            messages.success(request, f"Area for improvement {item.number} added")
            return redirect("improvement:inspection", pk=inspection.pk)
    return render(request, "improvement/area_form.html", {"form": form, "inspection": inspection, "item": None})


@login_required
@require_http_methods(["GET", "POST"])
def area_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = _keeper(request)
    item = (AreaForImprovement.objects.filter(local_authority_id=user.local_authority_id, pk=pk)
            .select_related("inspection").first())
    if item is None:
        raise Http404
    form = AreaForImprovementEditForm(request.POST or None, initial={
        "version": item.version, "number": item.number, "text": item.text, "area": item.area})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.area_for_improvement_update(item=item, number=d["number"], text=d["text"], area=d["area"],
                                                 expected_version=d["version"], by=user)
        except (ValidationError, StaleVersionError) as refused:
            show_refusal(form, refused)
        else:
            messages.success(request, f"Area for improvement {d['number']} saved")
            return redirect("improvement:inspection", pk=item.inspection_id)
    return render(request, "improvement/area_form.html", {"form": form, "inspection": item.inspection,
                                                          "item": item})


# ---------------------------------------------------------------- the plan


def _plan_filters(form: PlanFilterForm) -> selectors.PlanFilters:
    if not form.is_valid():
        return selectors.PlanFilters()
    d = form.cleaned_data
    return selectors.PlanFilters(
        area=int(d["area"]) if d["area"] not in ("", None) else None, status=d["status"], rag=d["rag"],
        owner=int(d["owner"]) if d["owner"] else None, overdue=d["overdue"])


def _indicator_titles() -> dict[str, str]:
    return {i.code: i.title for i in registry.indicators()}


def _with_indicator_titles(actions: list[ImprovementAction], titles: dict[str, str]) -> list[ImprovementAction]:
    for a in actions:
        a.indicator_titles = [titles.get(i.indicator, i.indicator) for i in a.indicators.all()]  # type: ignore[attr-defined]
    return actions


@login_required
@require_GET
def plan(request: HttpRequest) -> HttpResponse:
    user = _reader(request)
    la_id = user.local_authority_id or 0
    today = _today()
    areas = list(selectors.area_choices(local_authority=la_id))
    owners = list(selectors.plan_owners(local_authority=la_id))
    form = PlanFilterForm(request.GET or None, areas=areas, owners=owners)
    filters = _plan_filters(form)
    actions = selectors.plan_list(local_authority=la_id, filters=filters, today=today)
    titles = _indicator_titles()
    if request.GET.get("format") == "csv":
        return _plan_csv(actions, titles, today)
    query = request.GET.copy()
    query.pop("format", None)
    return render(request, "improvement/plan.html", {
        "form": form, "actions": _with_indicator_titles(actions, titles), "today": today,
        "keeper": rules.manages_plan(user),
        "csv_query": (query.urlencode() + "&" if query else "") + "format=csv",
        "filtered": any(request.GET.get(k) for k in ("area", "status", "rag", "owner", "overdue")),
    })


def _plan_csv(actions: list[ImprovementAction], titles: dict[str, str], today: date) -> HttpResponse:
    header = ["reference", "title", "area_for_improvement", "owner", "due_on", "status", "rag", "overdue",
              "completed_on", "progress_summary", "indicators"]
    rows = []
    for a in actions:
        area = a.area_for_improvement
        links = "; ".join(f"{titles.get(i.indicator, i.indicator)}: target {i.target:g} by {i.target_by:%b %Y}"
                          for i in a.indicators.all())
        rows.append([a.reference, a.title, f"{area.number}. {area.text}" if area else "",
                     a.owner.get_full_name() or a.owner.username, a.due_on.isoformat(), a.get_status_display(),
                     a.get_rag_display(), "yes" if selectors.is_overdue(a, today) else "no",
                     a.completed_on.isoformat() if a.completed_on else "", a.progress_summary, links])
    return csv_response(f"improvement-plan-{today.isoformat()}.csv", header, rows)


@login_required
@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    user = _reader(request)
    return render(request, "improvement/mine.html", {
        "actions": _with_indicator_titles(selectors.actions_owned_by(user=user), _indicator_titles()),
        "today": _today(),
    })


# ---------------------------------------------------------------- an action


def _chart_label(day: date) -> str:
    return f"{day:%b %y}"


def _impact_view(row: selectors.ImpactRow, user: User) -> dict[str, Any]:
    points = [(_chart_label(p.month_end), p.value) for p in row.trend]
    chart = line_chart(title=f"{row.title}: the twelve months to each month end", unit=row.unit,
                       series=[Series(name=row.title, points=points)], target=row.target, decimals=row.decimals,
                       polarity=row.polarity) if row.trend else None
    return {
        "row": row, "chart": chart,
        "table": [(p.month_end, format_value(p.value, row.unit, row.decimals)) for p in row.trend],
        "target_text": format_value(row.target, row.unit, 0 if float(row.target).is_integer() else row.decimals),
        "detail_url": _url("indicators:detail", row.code)
        if row.code in registry.REGISTRY and user.has_perm("indicators.view_performance") else "",
    }


@login_required
@require_GET
def action_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _reader(request)
    action = _action(user, pk)
    today = _today()
    evidence = selectors.evidence_for(action=action, user=user)
    named = [e.child_id for e in evidence if e.child_id is not None]
    if named:
        # A child named on the page is a view of their record.
        people = Person.objects.filter(local_authority_id=action.local_authority_id, pk__in=named).only(
            "pk", "local_authority_id")
        access_services.access_record_many(user=user, people=people, action=AccessEvent.Action.VIEW,
                                           page=request.path)
    withdrawn = list(ActionEvidence.objects.filter(action=action, withdrawn=True).select_related("added_by")
                     .order_by("-added_at", "-pk"))
    return render(request, "improvement/action.html", {
        "action": action, "today": today, "overdue": selectors.is_overdue(action, today),
        "impact": [_impact_view(r, user) for r in selectors.action_impact(action=action, today=today)],
        "evidence": evidence, "withdrawn": withdrawn,
        "may_update": rules.may_update_action(user, action), "keeper": rules.manages_plan(user),
    })


def _action_form_kwargs(user: User, action: ImprovementAction | None, links: int) -> dict[str, Any]:
    la_id = user.local_authority_id or 0
    return {"owners": selectors.owner_choices(local_authority=la_id, keep=action.owner_id if action else None),
            "areas": selectors.area_choices(local_authority=la_id), "links": links}


def _action_arguments(form: ActionForm) -> dict[str, Any]:
    d = form.cleaned_data
    return {"reference": d["reference"], "title": d["title"], "description": d["description"],
            "owner": d["owner"], "due_on": d["due_on"], "area_for_improvement": d["area_for_improvement"],
            "indicators": form.links()}


@login_required
@require_http_methods(["GET", "POST"])
@refuses_resubmission
def action_new(request: HttpRequest) -> HttpResponse:
    user = _keeper(request)
    la = user.local_authority
    assert la is not None
    initial: dict[str, Any] = {}
    area = request.GET.get("area", "")
    if area.isdigit():
        initial["area_for_improvement"] = int(area)
    form = ActionForm(request.POST or None, initial=initial, **_action_form_kwargs(user, None, 0))
    if request.method == "POST" and form.is_valid():
        try:
            made = services.action_create(local_authority=la, by=user, **_action_arguments(form))
        except ValidationError as refused:
            show_refusal(form, form.placed(refused))
        else:
            messages.success(request, f"Action {made.reference} added to the plan")
            return redirect("improvement:action", pk=made.pk)
    return render(request, "improvement/action_form.html", {"form": form, "action": None})


@login_required
@require_http_methods(["GET", "POST"])
def action_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = _keeper(request)
    action = _action(user, pk)
    links = list(ActionIndicator.objects.filter(action=action).order_by("pk"))
    form = ActionEditForm(request.POST or None, initial=ActionForm.initial_for(action, links),
                          **_action_form_kwargs(user, action, len(links)))
    if request.method == "POST" and form.is_valid():
        try:
            services.action_edit(action=action, expected_version=form.cleaned_data["version"], by=user,
                                 **_action_arguments(form))
        except (ValidationError, StaleVersionError) as refused:
            show_refusal(form, form.placed(refused) if isinstance(refused, ValidationError) else refused)
        else:
            messages.success(request, f"Action {form.cleaned_data['reference']} saved")
            return redirect("improvement:action", pk=action.pk)
    return render(request, "improvement/action_form.html", {"form": form, "action": action})


def _updater(request: HttpRequest, pk: int) -> tuple[User, ImprovementAction]:
    user = _user(request)
    action = _action(user, pk)
    if not rules.may_update_action(user, action):
        raise PermissionDenied
    return user, action


@login_required
@require_http_methods(["GET", "POST"])
def action_update(request: HttpRequest, pk: int) -> HttpResponse:
    user, action = _updater(request, pk)
    form = ActionUpdateForm(request.POST or None, initial={
        "version": action.version, "status": action.status, "rag": action.rag,
        "progress_summary": action.progress_summary})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            saved = services.action_update(action=action, status=d["status"], rag=d["rag"],
                                           progress_summary=d["progress_summary"], expected_version=d["version"],
                                           by=user)
        except (ValidationError, StaleVersionError) as refused:
            show_refusal(form, refused)
        else:
            messages.success(request, f"Progress on action {saved.reference} saved: {saved.get_status_display()}, "
                                      f"{saved.get_rag_display()}")
            return redirect("improvement:action", pk=action.pk)
    return render(request, "improvement/action_update.html", {"form": form, "action": action})


def link_groups(*, local_authority_id: int) -> list[tuple[str, list[tuple[str, str]]]]:
    """What evidence can link to, for the picker: one query per kind, newest first."""
    from hearth.case_audits.models import AuditRound, PracticeWeek
    from hearth.training.models import TrainingCourse

    K = ActionEvidence.Kind
    rounds = AuditRound.objects.filter(local_authority_id=local_authority_id).order_by("-month", "-pk")
    weeks = PracticeWeek.objects.filter(local_authority_id=local_authority_id).order_by("-start", "-pk")
    courses = TrainingCourse.objects.filter(local_authority_id=local_authority_id).order_by("title", "pk")
    visits = selectors.visits_for(local_authority=local_authority_id).prefetch_related(None)
    return [
        ("Indicators", [(f"{K.INDICATOR}:{code}", title) for code, title in indicator_choices()]),
        ("Case audit rounds", [(f"{K.AUDIT_ROUND}:{r.pk}", r.title) for r in rounds.only("pk", "title")]),
        ("Practice weeks", [(f"{K.PRACTICE_WEEK}:{w.pk}", f"{w.title} ({w.start:%B %Y})")
                            for w in weeks.only("pk", "title", "start")]),
        ("Training courses", [(f"{K.TRAINING_COURSE}:{c.pk}", c.title) for c in courses.only("pk", "title")]),
        ("Monitoring visits", [(f"{K.MONITORING_VISIT}:{v.pk}", f"{v.visit_from.day} {v.visit_from:%B %Y}: "
                                                                  f"{v.focus}") for v in visits]),
    ]


@login_required
@require_http_methods(["GET", "POST"])
@refuses_resubmission
def evidence_add(request: HttpRequest, pk: int) -> HttpResponse:
    user, action = _updater(request, pk)
    groups = link_groups(local_authority_id=action.local_authority_id)
    form = EvidenceForm(request.POST or None, request.FILES or None, link_groups=groups)
    if request.method == "POST" and form.is_valid():
        try:
            services.evidence_add(action=action, summary=form.cleaned_data["summary"], by=user,
                                  **form.service_arguments())
        except ValidationError as refused:
            show_refusal(form, form.placed(refused))
        else:
            messages.success(request, "Evidence added")
            return redirect("improvement:action", pk=action.pk)
    document_kept = bool(form.is_bound and form.errors and request.FILES.get("document")
                         and "document" not in form.errors)
    return render(request, "improvement/evidence_form.html", {
        "form": form, "action": action, "document_kept": document_kept,
    })


def _evidence(user: User, pk: int) -> ActionEvidence:
    found = (ActionEvidence.objects.filter(local_authority_id=user.local_authority_id, pk=pk)
             .select_related("action").first())
    if found is None:
        raise Http404
    return found


@login_required
@require_POST
def evidence_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    evidence = _evidence(user, pk)
    if not rules.may_update_action(user, evidence.action):
        raise PermissionDenied
    try:
        services.evidence_withdraw(evidence=evidence, by=user)
    except ValidationError as refused:
        messages.info(request, " ".join(refused.messages))
    else:
        messages.success(request, "Evidence withdrawn from the plan. It stays on the record's history")
    return redirect("improvement:action", pk=evidence.action_id)


@login_required
@require_GET
def evidence_document(request: HttpRequest, pk: int) -> FileResponse:
    user = _reader(request)
    evidence = _evidence(user, pk)
    if evidence.kind != ActionEvidence.Kind.DOCUMENT or not evidence.document:
        raise Http404
    name = PurePath(evidence.document.name).name
    extension = PurePath(name).suffix.lower()
    # Served as what the upload check proved it to be; anything else as a plain download.
    content_type = services.CONTENT_TYPES.get(extension) or mimetypes.guess_type(name)[0] or "application/octet-stream"
    inline = extension in (".pdf", ".png", ".jpg", ".jpeg")
    try:
        handle = evidence.document.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, as_attachment=not inline, filename=name, content_type=content_type)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


# ---------------------------------------------------------------- monitoring visits


@login_required
@require_GET
def visits(request: HttpRequest) -> HttpResponse:
    user = _reader(request)
    return render(request, "improvement/visits.html", {
        "visits": list(selectors.visits_for(local_authority=user.local_authority_id or 0)),
        "keeper": rules.manages_plan(user), "today": _today(),
    })


def _visit(user: User, pk: int) -> Any:
    found = selectors.visit_for(local_authority=user.local_authority_id or 0, pk=pk)
    if found is None:
        raise Http404
    return found


@login_required
@require_GET
def visit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _reader(request)
    visit = _visit(user, pk)
    return render(request, "improvement/visit.html", {"visit": visit, "keeper": rules.manages_plan(user)})


def _visit_arguments(form: MonitoringVisitForm) -> dict[str, Any]:
    d = form.cleaned_data
    return {"visit_from": d["visit_from"], "visit_to": d["visit_to"], "focus": d["focus"],
            "inspectors": d["inspectors"], "letter_published_on": d["letter_published_on"],
            "findings": d["findings"], "areas_for_improvement": list(d["areas_for_improvement"])}


@login_required
@require_http_methods(["GET", "POST"])
@refuses_resubmission
def visit_new(request: HttpRequest) -> HttpResponse:
    user = _keeper(request)
    la = user.local_authority
    assert la is not None
    form = MonitoringVisitForm(request.POST or None, areas=selectors.area_choices(local_authority=la))
    if request.method == "POST" and form.is_valid():
        try:
            visit = services.monitoring_visit_create(local_authority=la, by=user, **_visit_arguments(form))
        except ValidationError as refused:
            show_refusal(form, refused)
        else:
            messages.success(request, "Monitoring visit recorded")
            return redirect("improvement:visit", pk=visit.pk)
    return render(request, "improvement/visit_form.html", {"form": form, "visit": None})


@login_required
@require_http_methods(["GET", "POST"])
def visit_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = _keeper(request)
    visit = _visit(user, pk)
    form = MonitoringVisitEditForm(request.POST or None, initial=MonitoringVisitForm.initial_for(visit),
                                   areas=selectors.area_choices(local_authority=visit.local_authority_id))
    if request.method == "POST" and form.is_valid():
        try:
            services.monitoring_visit_update(visit=visit, expected_version=form.cleaned_data["version"], by=user,
                                             **_visit_arguments(form))
        except (ValidationError, StaleVersionError) as refused:
            show_refusal(form, refused)
        else:
            messages.success(request, "Monitoring visit saved")
            return redirect("improvement:visit", pk=visit.pk)
    return render(request, "improvement/visit_form.html", {"form": form, "visit": visit})
