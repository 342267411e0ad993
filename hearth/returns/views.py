"""Placeholder until the returns page lands (issue 6, UI helper)."""

from django.http import HttpRequest, HttpResponse


def index(request: HttpRequest) -> HttpResponse:
    return HttpResponse("Returns")
