from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse

from hearth.accounts.roles import CASE_ROLES, Role

from .selectors import unread_notifications


def _nav(request: HttpRequest) -> list[dict[str, Any]]:
    user = request.user
    role = getattr(user, "role", None)
    items = [("My work", reverse("workspace:my_work"))]
    if role in CASE_ROLES:
        items.append(("Find a child", reverse("search:people")))
    if getattr(user, "team_id", None) and role in CASE_ROLES:
        items.append(("My team", reverse("workspace:team", args=[user.team_id])))  # type: ignore[union-attr]
    if user.has_perm("matching.review_duplicates"):
        items.append(("Duplicates", reverse("matching:queue")))
    if role == Role.SYSTEM_ADMIN:
        items.append(("Bank holidays", reverse("clocks:holidays")))
    path = request.path
    return [
        {"label": label, "url": url, "active": path == url or (url != "/" and path.startswith(url))}
        for label, url in items
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
