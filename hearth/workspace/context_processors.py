from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

from hearth.accounts.roles import CASE_ROLES, Role

from .selectors import unread_notifications


def _url(name: str, *args: Any) -> str | None:
    # Some destinations (front door, portal) are built alongside this: no link until they exist.
    try:
        return reverse(name, args=args or None)
    except NoReverseMatch:
        return None


def _nav_entries(user: Any) -> list[tuple[str, str | None]]:
    role = getattr(user, "role", None)
    if role == Role.PARTNER_REFERRER:
        # A partner sees their own referrals and nothing of the council's case work.
        return [("Make a referral", _url("portal:new")), ("Your referrals", _url("portal:list"))]
    items: list[tuple[str, str | None]] = [("My work", _url("workspace:my_work"))]
    if role in CASE_ROLES:
        items.append(("Find a child", _url("search:people")))
        items.append(("Front door", _url("front_door:queue")))
    if getattr(user, "team_id", None) and role in CASE_ROLES:
        items.append(("My team", _url("workspace:team", user.team_id)))
    if role == Role.TEAM_MANAGER and getattr(user, "team_id", None):
        items.append(("Team tray", _url("worktrays:team_detail", user.team_id)))
    if role in (Role.SERVICE_MANAGER, Role.DIRECTOR):
        items.append(("Service overview", _url("worktrays:service")))
    if role == Role.PERSONAL_ADVISER or role in (Role.TEAM_MANAGER, Role.SERVICE_MANAGER, Role.DIRECTOR):
        items.append(("Care leavers", _url("care_leavers_service:tray")))
    if role in (Role.TEAM_MANAGER, Role.SERVICE_MANAGER, Role.DIRECTOR, Role.IRO):
        items.append(("Children in care", _url("care_service:index")))
    if role == Role.MISSING_ADVOCATE:
        items.append(("Return interviews", _url("missing_service:tray")))
    if role in (Role.EXPLOITATION_LEAD, Role.SERVICE_MANAGER, Role.DIRECTOR):
        items.append(("Missing and exploitation", _url("missing_service:patterns")))
    if role == Role.EDUCATION_OFFICER:
        items.append(("Education registers", _url("education:index")))
    if role in (Role.FOSTERING_WORKER, Role.SERVICE_MANAGER, Role.DIRECTOR):
        items.append(("Fostering", _url("fostering:index")))
    if role == Role.FOSTERING_WORKER:
        items.append(("Adopters", _url("adopters:index")))
    if user.has_perm("matching.review_duplicates"):
        items.append(("Duplicates", _url("matching:queue")))
    if user.has_perm("indicators.view_performance"):
        items.append(("Performance", _url("indicators:index")))
    if user.has_perm("case_audits.view_audits"):
        items.append(("Case audits", _url("case_audits:index")))
    if user.has_perm("supervision.view_supervision"):
        items.append(("Supervision", _url("supervision:index")))
    if user.has_perm("returns.view_returns"):
        items.append(("Returns", _url("returns:index")))
    if user.has_perm("workforce.view_workforce"):
        items.append(("Workforce", _url("workforce:index")))
    if user.has_perm("finance.view_finance"):
        items.append(("Finance", _url("finance:index")))
    if user.has_perm("improvement.view_improvement"):
        items.append(("Improvement", _url("improvement:index")))
    if role == Role.SYSTEM_ADMIN:
        items.append(("Bank holidays", _url("clocks:holidays")))
    return items


def _nav(request: HttpRequest) -> list[dict[str, Any]]:
    path = request.path
    return [
        {"label": label, "url": url, "active": path == url or (url != "/" and path.startswith(url))}
        for label, url in _nav_entries(request.user)
        if url
    ]


def shell(request: HttpRequest) -> dict[str, Any]:
    context: dict[str, Any] = {
        "council_name": settings.HEARTH_COUNCIL_NAME,
        "council_colour": settings.HEARTH_COUNCIL_COLOUR,
        "service_name": settings.HEARTH_SERVICE_NAME,
        "idle_timeout_seconds": settings.SESSION_COOKIE_AGE,
        "idle_warning_seconds": settings.HEARTH_IDLE_WARNING_SECONDS,
        "nav_items": [],
        "unread_notification_count": 0,
    }
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        context["nav_items"] = _nav(request)
        context["unread_notification_count"] = unread_notifications(user=user).count()
    return context
