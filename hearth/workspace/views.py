from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from hearth.accounts.models import Team, User
from hearth.accounts.roles import CASE_ROLES, Role
from hearth.allocations.selectors import current_allocations_for_worker, team_caseloads, unallocated_to_worker
from hearth.case_audits.selectors import actions_for_worker, audits_for_auditor
from hearth.clocks.selectors import open_clocks_for_worker

from .models import Notification
from .selectors import unread_notifications
from .services import draft_save, notification_mark_read


@login_required
def my_work(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    if user.role == Role.PARTNER_REFERRER:
        # Partners land on their own referrals; until the portal exists they see this page.
        try:
            return redirect(reverse("portal:list"))
        except NoReverseMatch:
            pass
    today = timezone.localdate()
    clocks = list(open_clocks_for_worker(user=user)[:200]) if user.has_case_access else []
    context = {
        "today": today,
        "allocations": list(current_allocations_for_worker(user=user)) if user.has_case_access else [],
        "clocks": clocks,
        "overdue_count": sum(1 for c in clocks if c.due_on < today),
        "notifications": list(unread_notifications(user=user)[:20]),
        "is_case_worker": user.role in CASE_ROLES,
        "team_name": user.team.name if user.team_id and user.team else "",
    }
    if user.has_case_access:
        # Quality assurance that waits on this person: actions from audits of their cases, audits to do.
        actions = actions_for_worker(user=user).aggregate(
            open=Count("pk"), overdue=Count("pk", filter=Q(due_on__lt=today)))
        context["audit_actions"] = actions
        context["audits_to_do"] = audits_for_auditor(user=user).count()
    return render(request, "workspace/my_work.html", context)


@login_required
def team(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    if not user.has_case_access:
        raise Http404
    team = get_object_or_404(Team, pk=pk, local_authority_id=user.local_authority_id)
    members = list(team_caseloads(team=team))
    context = {
        "team": team,
        "members": members,
        "total_caseload": sum(m.caseload for m in members),
        "agency_count": sum(1 for m in members if m.employment_type == User.EmploymentType.AGENCY),
        "fte_total": sum(m.fte for m in members),
        "unallocated_count": unallocated_to_worker(team=team).count(),
    }
    return render(request, "workspace/team.html", context)


@login_required
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    notification = get_object_or_404(Notification, pk=pk, recipient=request.user)
    notification_mark_read(notification=notification)
    if notification.link and url_has_allowed_host_and_scheme(notification.link, {request.get_host()}):
        return redirect(notification.link)
    return redirect("workspace:my_work")


@login_required
def notifications(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    items = Notification.objects.filter(recipient=user).order_by("-created_at", "-id")[:100]
    return render(request, "workspace/notifications.html", {"items": items})


@require_POST
def keepalive(request: HttpRequest) -> HttpResponse:
    """Touching the session resets the idle timer (SESSION_SAVE_EVERY_REQUEST)."""
    if not request.user.is_authenticated:
        return JsonResponse({"signed_in": False}, status=401)
    return JsonResponse({"signed_in": True})


@require_POST
def draft_save_view(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not user.is_authenticated:
        return JsonResponse({"saved": False}, status=401)
    key = request.POST.get("draft_key", "").strip()
    if not key or len(key) > 120:
        return JsonResponse({"saved": False, "error": "missing draft key"}, status=400)
    draft = draft_save(user=user, key=key, data=request.POST, path=request.headers.get("Referer", ""))
    return JsonResponse({"saved": True, "saved_at": timezone.localtime(draft.saved_at).strftime("%H:%M")})


@never_cache
@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any database failure means not healthy
        return JsonResponse({"status": "unavailable", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok", "vendor": connection.vendor})
