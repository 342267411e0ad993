"""Partner referrers stay in the portal: every staff page is closed to them, whatever its own checks say."""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from hearth.accounts.roles import Role

# What a partner may reach: the portal, signing in and out, and the session keepalive and drafts.
PARTNER_PATHS = (
    "/refer/",
    "/accounts/",
    "/static/",
    "/healthz",
    "/session/keepalive/",
    "/drafts/save/",
)


class PartnerConfinementMiddleware:
    """Place after AuthenticationMiddleware. The home page sends a partner to their referrals."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and getattr(user, "role", None) == Role.PARTNER_REFERRER:
            if request.path == "/":
                return redirect("portal:list")
            if not request.path.startswith(PARTNER_PATHS):
                raise PermissionDenied("This page is for council staff")
        return self.get_response(request)
