from __future__ import annotations

from typing import Any

import segno
from django.conf import settings
from django.contrib import auth
from django.contrib.auth.decorators import login_required
from django.contrib.auth.signals import user_login_failed
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from .forms import CodeForm, SignInForm
from .models import User

_PENDING = "hearth_pending_second_factor"
_NEXT = "hearth_next"
BAD_CREDENTIALS = "Enter a correct username and password. Both are case-sensitive."


def _safe_next(request: HttpRequest, candidate: str | None) -> str:
    if candidate and url_has_allowed_host_and_scheme(candidate, {request.get_host()}, request.is_secure()):
        return candidate
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _confirmed_totp(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


@require_http_methods(["GET", "POST"])
def sign_in(request: HttpRequest) -> HttpResponse:
    form = SignInForm(request.POST or None)
    next_url = request.POST.get("next") or request.GET.get("next", "")
    if request.method == "POST" and form.is_valid():
        user = auth.authenticate(
            request, username=form.cleaned_data["username"], password=form.cleaned_data["password"]
        )
        if getattr(request, "axes_locked_out", False):
            return render(request, "accounts/locked_out.html", status=429)
        if user is None:
            form.add_error(None, BAD_CREDENTIALS)
        elif _confirmed_totp(user) is not None:
            request.session.cycle_key()
            request.session[_PENDING] = user.pk
            request.session[_NEXT] = next_url
            return redirect("accounts:sign_in_code")
        else:
            auth.login(request, user)
            if settings.HEARTH_REQUIRE_TWO_FACTOR:
                return redirect("accounts:two_factor_setup")
            return redirect(_safe_next(request, next_url))
    if getattr(request, "axes_locked_out", False):
        return render(request, "accounts/locked_out.html", status=429)
    return render(request, "accounts/sign_in.html", {"form": form, "next": next_url})


@require_http_methods(["GET", "POST"])
def sign_in_code(request: HttpRequest) -> HttpResponse:
    user_id = request.session.get(_PENDING)
    user = User.objects.filter(pk=user_id, is_active=True).first() if user_id else None
    if user is None:
        return redirect("accounts:login")
    device = _confirmed_totp(user)
    if device is None:
        return redirect("accounts:login")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        allowed, _ = device.verify_is_allowed()
        if allowed and device.verify_token(form.cleaned_data["otp_token"]):
            next_url = request.session.get(_NEXT, "")
            request.session.pop(_PENDING, None)
            auth.login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            otp_login(request, device)
            return redirect(_safe_next(request, next_url))
        # A wrong code counts towards the same lockout as a wrong password.
        user_login_failed.send(sender=__name__, credentials={"username": user.username}, request=request)
        form.add_error(
            "otp_token",
            "The code is not right. Check your authenticator app and try again"
            if allowed
            else "Too many wrong codes. Wait a minute, then try again",
        )
    return render(request, "accounts/sign_in_code.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    if _confirmed_totp(user) is not None and not user.is_verified():  # type: ignore[attr-defined]
        # Signed in some other way without the code: they must use the code, not enrol a new device.
        auth.logout(request)
        return redirect("accounts:login")
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first() or TOTPDevice.objects.create(
        user=user, name="Authenticator app", confirmed=False
    )
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["otp_token"]):
            device.confirmed = True
            device.save()
            TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
            otp_login(request, device)
            return redirect(settings.LOGIN_REDIRECT_URL)
        form.add_error("otp_token", "The code is not right. Check the time on your phone and try again")
    qr = segno.make(device.config_url, error="m")
    context: dict[str, Any] = {
        "form": form,
        "qr_svg": qr.svg_inline(scale=4, dark="#0b0c0c", light="#ffffff", title="Security code set-up QR code"),
        "secret": device.config_url.split("secret=")[1].split("&")[0],
        "already_confirmed": _confirmed_totp(user) is not None,
    }
    return render(request, "accounts/two_factor_setup.html", context)


@require_http_methods(["POST"])
def sign_out(request: HttpRequest) -> HttpResponse:
    auth.logout(request)
    # A page of its own, so refreshing it does not post the sign-out again.
    return redirect(f"{resolve_url('accounts:timed_out')}?reason=signed-out")


def timed_out(request: HttpRequest) -> HttpResponse:
    """Where the browser goes when the idle timer runs out, after saving the user's drafts."""
    auth.logout(request)
    next_url = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        next_url = ""
    timed_out = request.GET.get("reason") != "signed-out"
    return render(request, "accounts/signed_out.html", {"timed_out": timed_out, "next": next_url})
