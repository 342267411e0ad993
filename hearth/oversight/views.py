"""Recording management oversight, the council's oversight gates, and a child's oversight history."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from hearth.accounts.models import User
from hearth.accounts.roles import MANAGER_ROLES, Role
from hearth.audit.models import ChangeRecord
from hearth.people.models import Person
from hearth.people.views import open_record, safe_next
from hearth.workspace.forms import add_service_errors, who_changed
from hearth.workspace.resubmission import refuses_resubmission
from hearth.workspace.selectors import draft_as_querydict, draft_for
from hearth.workspace.services import draft_discard

from .forms import GateSettingsForm, OversightForm
from .models import DecisionPoint, OversightGate
from .selectors import DEFAULT_GATES, gate_settings, gates_for, oversight_entries_for_child, oversight_for
from .services import oversight_gate_set, oversight_record

# The records a manager can be asked to oversee: decisions about a child, never arbitrary rows.
RECORDABLE = frozenset({
    "front_door.contact", "cin.cinepisode", "cin.assessment", "cin.cinplan",
    "protection.strategydiscussion", "protection.section47enquiry", "protection.childprotectionplan",
    "protection.childprotectionconference",
})


def _manager(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User) or not user.has_case_access or user.role not in MANAGER_ROLES:
        raise PermissionDenied
    return user


def _subject(user: User, content_type_id: int, object_id: int) -> models.Model:
    content_type = ContentType.objects.filter(pk=content_type_id).first()
    if content_type is None or f"{content_type.app_label}.{content_type.model}" not in RECORDABLE:
        raise Http404
    model = content_type.model_class()
    if model is None:
        raise Http404
    subject = model._default_manager.filter(pk=object_id, local_authority_id=user.local_authority_id).first()
    if subject is None:
        raise Http404
    return subject


def _fallback(child: Person | None) -> str:
    from hearth.worktrays.selectors import child_url, url_or_none

    if child is not None:
        return child_url(child.pk)
    return url_or_none("worktrays:team") or "/"


@login_required
@require_http_methods(["GET", "POST"])
@refuses_resubmission
def record(request: HttpRequest, decision_point: str, content_type_id: int, object_id: int) -> HttpResponse:
    user = _manager(request)
    if decision_point not in DecisionPoint.values:
        raise Http404
    subject = _subject(user, content_type_id, object_id)
    child: Person | None = getattr(subject, "child", None)
    if child is not None:
        opened = open_record(request, child.pk)  # refuses (and logs the refusal) a child they may not see
        if isinstance(opened, HttpResponse):
            return opened
        child = opened
    if not user.has_perm("oversight.record_oversight", child):
        raise PermissionDenied

    draft_key = f"oversight-{decision_point}-{content_type_id}-{object_id}"
    restored_at = None
    if request.method == "POST":
        form = OversightForm(request.POST)
        if form.is_valid():
            try:
                oversight_record(subject=subject, decision_point=decision_point,
                                 rationale=form.cleaned_data["rationale"], child=child, by=user)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                draft_discard(user=user, key=draft_key)
                messages.success(request, f"Management oversight of the {DecisionPoint(decision_point).label.lower()} "
                                          "is recorded")
                return redirect(safe_next(request, _fallback(child)))
    else:
        draft = draft_for(user=user, key=draft_key)
        form = OversightForm(draft_as_querydict(draft) if draft else None)
        restored_at = draft.saved_at if draft else None
    return render(request, "oversight/record.html", {
        "form": form, "subject": subject, "child": child, "person": child,
        "decision_point": DecisionPoint(decision_point),
        "entries": oversight_for(subject=subject), "draft_key": draft_key, "restored_at": restored_at,
        "next": safe_next(request, ""), "back": safe_next(request, _fallback(child)),
    })


@login_required
@require_http_methods(["GET", "POST"])
def gates(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not isinstance(user, User) or not user.has_perm("oversight.change_gates") or user.role not in (
        Role.SERVICE_MANAGER, Role.DIRECTOR
    ):
        raise PermissionDenied
    la = user.local_authority_id
    current = gate_settings(local_authority=la)
    fingerprint = _fingerprint(current)
    if request.method == "POST":
        form = GateSettingsForm(request.POST, defaults=DEFAULT_GATES)
        if form.is_valid():
            if form.cleaned_data["fingerprint"] != fingerprint:
                last = ChangeRecord.objects.filter(model_label=OversightGate._meta.label, local_authority_id=la).first()
                form.add_error("required", "Someone changed the gates while you were editing. The table shows "
                                          "the settings now; your ticks are kept. Save again to apply them. "
                                          + who_changed(last))
                data = request.POST.copy()
                data["fingerprint"] = fingerprint
                form.data = data
            else:
                wanted = set(form.cleaned_data["required"])
                changed = [point for point in DecisionPoint.values if (point in wanted) != current[point]]
                for point in changed:
                    oversight_gate_set(local_authority=la, decision_point=point, required=point in wanted, by=user)
                messages.success(request, "Oversight gates saved" if changed else "No gate was changed")
                return redirect("oversight:gates")
    else:
        form = GateSettingsForm(initial={"required": [p for p, on in current.items() if on],
                                         "fingerprint": fingerprint}, defaults=DEFAULT_GATES)
    set_rows = {g.decision_point: g for g in gates_for(local_authority=la)}
    rows: list[dict[str, Any]] = [
        {"label": label, "on": current[value], "default": value in DEFAULT_GATES, "set": set_rows.get(value)}
        for value, label in DecisionPoint.choices
    ]
    return render(request, "oversight/gates.html", {"form": form, "rows": rows})


def _fingerprint(current: dict[str, bool]) -> str:
    return "".join("1" if current[p] else "0" for p in DecisionPoint.values)


@login_required
@require_GET
def history(request: HttpRequest, person_pk: int) -> HttpResponse:
    opened = open_record(request, person_pk)
    if isinstance(opened, HttpResponse):
        return opened
    return render(request, "oversight/history.html", {
        "person": opened, "entries": list(oversight_entries_for_child(child=opened)),
    })

