"""Work trays: a worker's deadlines, a team manager's tray and the service manager's view across teams."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from hearth.accounts.models import Team, User
from hearth.accounts.roles import Role
from hearth.clocks.models import holiday_set
from hearth.clocks.working_days import working_days_between
from hearth.workspace.forms import add_service_errors
from hearth.workspace.resubmission import refuses_resubmission

from . import selectors
from .forms import BulkAllocationForm
from .services import allocations_bulk_start

SERVICE_ROLES = (Role.SERVICE_MANAGER, Role.DIRECTOR)
UNALLOCATED_SHOWN = 500
OVERDUE_SHOWN = 100


def _staff(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User) or not user.has_case_access:
        raise PermissionDenied
    return user


@login_required
@require_GET
def worker(request: HttpRequest) -> HttpResponse:
    user = _staff(request)
    today = timezone.localdate()
    groups = selectors.worker_tray(user=user, today=today)
    return render(request, "worktrays/worker.html", {
        "today": today, "groups": groups, "due_soon_days": selectors.DUE_SOON_WORKING_DAYS,
        "sections": [("overdue", "Overdue", groups.overdue), ("this-week", "Due this week", groups.this_week),
                     ("later", "Later", groups.later)],
    })


@login_required
def team(request: HttpRequest) -> HttpResponse:
    """The signed-in manager's own team; a service manager without one goes to the service view."""
    user = _staff(request)
    if user.role in SERVICE_ROLES:
        return redirect("worktrays:service")
    if user.role != Role.TEAM_MANAGER or not user.team_id:
        raise PermissionDenied
    return redirect("worktrays:team_detail", pk=user.team_id)


@login_required
@require_http_methods(["GET", "POST"])
@refuses_resubmission
def team_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _staff(request)
    the_team = get_object_or_404(Team, pk=pk, local_authority_id=user.local_authority_id)
    if not selectors.may_see_team_tray(user, the_team):
        raise PermissionDenied
    today = timezone.localdate()
    holidays = holiday_set()
    waiting = list(selectors.unallocated_children(user=user, team=the_team)[:UNALLOCATED_SHOWN])
    workers = selectors.eligible_workers(team=the_team, on=today)
    if request.method == "POST" and not waiting:
        # Everyone on the list the manager saw has been allocated since: there is no form left to correct.
        messages.info(request, "Every child on the list has been given a worker since the page was shown, so "
                               "nothing has been allocated.")
        return redirect("worktrays:team_detail", pk=the_team.pk)
    form = BulkAllocationForm(request.POST or None, waiting=waiting, workers=workers)
    if request.method == "POST" and form.is_valid():
        chosen = set(form.cleaned_data["children"])
        children = [p for p in waiting if p.pk in chosen]
        try:
            made = allocations_bulk_start(children=children, team=the_team, worker=form.cleaned_data["worker"],
                                          by=user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            names = ", ".join(a.child.full_name for a in made)
            who = form.cleaned_data["worker"].get_full_name()
            count = len(made)
            messages.success(request, f"{count} {'child' if count == 1 else 'children'} allocated to {who}: {names}")
            return redirect("worktrays:team_detail", pk=the_team.pk)

    for person in waiting:
        since = person.waiting_since  # type: ignore[attr-defined]
        person.waiting_working_days = working_days_between(since, today, holidays) if since else None  # type: ignore[attr-defined]
    contacts: list[Any] = []
    if the_team.kind == Team.Kind.FRONT_DOOR:
        now = timezone.now()
        contacts = list(selectors.contacts_awaiting_decision(user=user)[:200])
        for contact in contacts:
            contact.hours_waiting = int((now - contact.received_at).total_seconds() // 3600)
            contact.child_label = selectors.contact_child_label(contact)
            contact.link = selectors.subject_url("front_door.contact", contact.pk, None)
    caseloads = list(selectors.team_caseloads_with_drift(user=user, team=the_team, today=today))
    overdue_all = selectors.overdue_clocks(user=user, team=the_team, today=today)
    overdue = list(overdue_all[:OVERDUE_SHOWN])
    for clock in overdue:
        clock.days_overdue = working_days_between(clock.due_on, today, holidays)  # type: ignore[attr-defined]
        clock.child_link = selectors.child_url(clock.child_id)  # type: ignore[attr-defined]
    awaiting = selectors.awaiting_manager(user=user, team=the_team, today=today)
    return render(request, "worktrays/team.html", {
        "team": the_team, "today": today, "form": form, "waiting": waiting, "contacts": contacts,
        "caseloads": caseloads, "overdue": overdue,
        "overdue_count": overdue_all.count() if len(overdue) == OVERDUE_SHOWN else len(overdue),
        "awaiting": awaiting, "tray_url": reverse("worktrays:team_detail", args=[the_team.pk]),
        "is_service_manager": user.role in SERVICE_ROLES,
        "selected": {v for v in request.POST.getlist("children") if v.isdigit()},
    })


@login_required
@require_GET
def service(request: HttpRequest) -> HttpResponse:
    user = _staff(request)
    if user.role not in SERVICE_ROLES:
        raise PermissionDenied
    overview = selectors.service_overview(user=user)
    oldest_hours = None
    if overview.oldest_contact_at is not None:
        oldest_hours = int((timezone.now() - overview.oldest_contact_at).total_seconds() // 3600)
    return render(request, "worktrays/service.html", {"overview": overview, "oldest_hours": oldest_hours})

