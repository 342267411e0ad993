"""Hearth's URLs plus ``/bare/``: a view that does no work, behind the full middleware stack.

bench_pages.py points ``ROOT_URLCONF`` here so the floor (session, auth, CSP, axes... then an
empty view) is measured in the same process and run as the real pages it is compared with.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import path

from hearth.urls import urlpatterns as hearth_urlpatterns


def bare(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok")


urlpatterns = [path("bare/", bare, name="bench_bare"), *hearth_urlpatterns]
