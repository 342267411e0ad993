"""The dashboards: the director's improvement board, the head of service's teams and a team manager's team.

``/performance/`` sends each reader to theirs. Thin views: ``dashboards`` assembles what each shows.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_GET

from hearth.accounts.models import Team, User
from hearth.accounts.roles import Role
from hearth.tenancy.models import LocalAuthority
from hearth.workspace.downloads import csv_response

from . import compute, dashboards

TEAM_READERS = (Role.TEAM_MANAGER, Role.SERVICE_MANAGER, Role.DIRECTOR)


def _reader(request: HttpRequest, permission: str) -> tuple[User, LocalAuthority]:
    user = request.user
    if not isinstance(user, User) or not user.has_perm(permission) or user.local_authority is None:
        raise PermissionDenied
    return user, user.local_authority


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """Each role to its dashboard: the director and the improvement manager to the board, a head of service
    or an analyst to the teams, a team manager to their own team."""
    user, _ = _reader(request, "indicators.view_performance")
    if user.role in (Role.DIRECTOR, Role.IMPROVEMENT_MANAGER):
        return redirect("indicators:director")
    if user.role in (Role.SERVICE_MANAGER, Role.PERFORMANCE_ANALYST):
        return redirect("indicators:service")
    if user.role == Role.TEAM_MANAGER and user.team_id:
        return redirect("indicators:team", team_pk=user.team_id)
    # A team manager not yet in a team still reads the indicators (the nav offers them Performance).
    return redirect("indicators:list")


@login_required
@require_GET
def director(request: HttpRequest) -> HttpResponse:
    _, la = _reader(request, "indicators.view_council_performance")
    today = compute.today()
    key = dashboards.board_key(local_authority=la, today=today, kind="board")
    if request.GET.get("format") == "csv":
        board = dashboards.director_board(local_authority=la, today=today, key=key)
        return csv_response(f"improvement-board-{board.end.isoformat()}.csv", dashboards.BOARD_CSV_HEADER,
                    dashboards.board_csv_rows(board))
    body = dashboards.fragment(key=f"{key}:html", render=lambda: render_to_string(
        "indicators/dashboard_director_board.html", {
            "board": dashboards.director_board(local_authority=la, today=today, key=key), "council": la,
            "csv_url": reverse("indicators:director") + "?format=csv", "list_url": reverse("indicators:list"),
        }))
    return render(request, "indicators/dashboard_director.html", {"body": body})


@login_required
@require_GET
def service(request: HttpRequest) -> HttpResponse:
    user, la = _reader(request, "indicators.view_council_performance")
    today = compute.today()
    found = dashboards.service_dashboard(user=user, local_authority=la, today=today)
    key = dashboards.board_key(local_authority=la, today=today, kind="service")
    key_indicators = dashboards.fragment(key=f"{key}:html", render=lambda: render_to_string(
        "indicators/dashboard_service_key.html",
        {"headlines": dashboards.build_headlines_cached(local_authority=la, today=today, key=key)}))
    return render(request, "indicators/dashboard_service.html", {
        "dash": found, "council": la, "board_url": reverse("indicators:director"),
        "key_indicators": key_indicators,
    })


@login_required
@require_GET
def team(request: HttpRequest, team_pk: int) -> HttpResponse:
    user, la = _reader(request, "indicators.view_performance")
    found = Team.objects.select_related("local_authority").filter(pk=team_pk, local_authority=la).first()
    if found is None:
        raise Http404("No such team")
    if user.role not in TEAM_READERS or not user.has_case_access:
        raise PermissionDenied
    if user.role == Role.TEAM_MANAGER and user.team_id != found.pk:
        raise PermissionDenied
    dash = dashboards.team_dashboard(user=user, team=found, today=compute.today())
    return render(request, "indicators/dashboard_team.html", {
        "dash": dash, "team": found, "council": la,
        "service_url": reverse("indicators:service") if user.has_perm("indicators.view_council_performance")
        else "",
    })




