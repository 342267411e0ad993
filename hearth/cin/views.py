"""Views for children in need."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from hearth.people.models import Person


def overview(request: HttpRequest, person_pk: int) -> HttpResponse:
    # Replaced by the CIN work: access checks, logging, episodes, plans.
    person = get_object_or_404(Person, pk=person_pk, local_authority_id=request.user.local_authority_id)
    return render(request, "cin/overview.html", {"person": person})
