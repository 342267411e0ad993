from __future__ import annotations

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from hearth.access import services as access_services
from hearth.access.models import AccessEvent
from hearth.accounts.models import User

from .forms import PeopleSearchForm
from .selectors import search_people

SHOWN = 50


@login_required
@require_GET
def people(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    form = PeopleSearchForm(request.GET or None)
    query = ""
    hits = []
    if form.is_bound and form.is_valid():
        query = form.cleaned_data["q"]
        if query and user.has_case_access:
            hits = search_people(user=user, query=query, limit=SHOWN + 1)
    context = {
        "form": form,
        "query": query,
        "hits": hits[:SHOWN],
        "more": len(hits) > SHOWN,
        "shown": SHOWN,
        "can_search": user.has_case_access,
        # Reversed once, not once a row: "/children/" of "/children/<pk>/".
        "record_base": reverse("people:child_record", args=[0])[:-2],
        # Mid-typing ("27/3/20") is not worth an error summary: the results area says what is wrong.
        "problem": form.errors.get("q", [""])[0] if form.is_bound else "",
    }
    # Typing in the search box swaps in just the results (htmx); a full page otherwise.
    template = "search/_results.html" if getattr(request, "htmx", False) else "search/people.html"
    return render(request, template, context)


class _Echo:
    def write(self, value: str) -> str:
        return value


def _cell(value: str) -> str:
    # A name starting with = + - @ would run as a formula when the file is opened in a spreadsheet.
    return f"'{value}" if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


@login_required
@require_POST
def export(request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
    """CSV of the results shown for a search; each person exported is recorded in their access log."""
    user = request.user
    assert isinstance(user, User)
    form = PeopleSearchForm(request.POST)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    hits = search_people(user=user, query=query, limit=SHOWN) if query and user.has_case_access else []
    if not hits:
        messages.info(request, "There was nothing to download")
        return redirect("search:people")
    access_services.access_record_many(
        user=user, people=[h.person for h in hits], action=AccessEvent.Action.EXPORT, page=request.path
    )
    writer = csv.writer(_Echo())
    header = ["hearth_id", "first_name", "last_name", "date_of_birth", "sex", "postcode", "match", "why"]
    rows = [header] + [
        [h.person.hearth_id, _cell(h.person.first_name), _cell(h.person.last_name),
         h.person.date_of_birth.isoformat() if h.person.date_of_birth else "", h.person.sex, h.postcode,
         h.strength, _cell("; ".join(h.reasons))]
        for h in hits
    ]
    response = StreamingHttpResponse((writer.writerow(r) for r in rows), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="hearth-search-{timezone.localdate()}.csv"'
    return response
