"""A person's family: the genogram and table, and adding or ending relationships."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from hearth.access import services as access_services
from hearth.access.models import AccessEvent
from hearth.access.selectors import people_visible_to
from hearth.accounts.models import User
from hearth.audit.models import StaleVersionError
from hearth.workspace.forms import STALE_MESSAGE, add_service_errors, adopt_current_version
from hearth.workspace.resubmission import refuses_resubmission
from hearth.workspace.selectors import draft_as_querydict, draft_for
from hearth.workspace.services import draft_discard, draft_save

from . import genogram
from .forms import (
    ADD_KINDS,
    SHARED_HOME_KINDS,
    SIBLING_KINDS,
    EndRelationshipForm,
    FindRelativeForm,
    NewRelativeForm,
    RelationshipDetailsForm,
    RelationshipKindForm,
    kind_label,
)
from .models import Person, Relationship
from .selectors import KnownFacts, age_text, family_of, known_facts, likely_matches_for
from .services import relationship_end, relationship_label, relative_add
from .views import open_record

# Kinds of relative who usually share the person's surname, so it is filled in for them.
SURNAME_KINDS = frozenset({Relationship.Kind.PARENT, Relationship.Kind.SIBLING, Relationship.Kind.HALF_SIBLING,
                           "child"})


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _kind_or_404(kind: str) -> str:
    if kind not in ADD_KINDS:
        raise Http404
    return kind


@login_required
def family(request: HttpRequest, pk: int) -> HttpResponse:
    opened = open_record(request, pk)
    if isinstance(opened, HttpResponse):
        return opened
    person, user = opened, _user(request)
    today = timezone.localdate()
    relatives = family_of(person=person, user=user)
    href_for = {m.person_id: reverse("people:child_record", args=[m.person_id]) for m in relatives.members if m.visible}
    drawing = genogram.layout(relatives, today=today, href_for=href_for)
    return render(request, "people/family.html", {
        "person": person, "family": relatives, "drawing": drawing, "today": today,
        "nav_current": "family",
    })


@login_required
@require_http_methods(["GET", "POST"])
def relative_kind(request: HttpRequest, pk: int) -> HttpResponse:
    opened = open_record(request, pk)
    if isinstance(opened, HttpResponse):
        return opened
    form = RelationshipKindForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        return redirect("people:relative_find", pk=opened.pk, kind=form.cleaned_data["kind"])
    return render(request, "people/relative_kind.html", {"person": opened, "form": form})


@login_required
def relative_find(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    kind = _kind_or_404(kind)
    opened = open_record(request, pk)
    if isinstance(opened, HttpResponse):
        return opened
    person, user = opened, _user(request)
    searched = "last_name" in request.GET
    initial = {"last_name": person.last_name} if kind in SURNAME_KINDS else {}
    form = FindRelativeForm(request.GET if searched else None, initial=initial)
    matches = []
    if searched and form.is_valid():
        related = {m.person_id for m in family_of(person=person, user=user).members}
        matches = likely_matches_for(
            user=user, first_name=form.cleaned_data["first_name"], last_name=form.cleaned_data["last_name"],
            date_of_birth=form.cleaned_data["date_of_birth"], exclude_ids=[person.pk, *related],
        )
    typed = {name: request.GET.get(name, "") for name in ("first_name", "last_name") if request.GET.get(name)}
    new_url = reverse("people:relative_new", args=[person.pk, kind]) + (f"?{urlencode(typed)}" if typed else "")
    return render(request, "people/relative_find.html", {
        "person": person, "form": form, "kind": kind, "kind_label": kind_label(kind), "searched": searched,
        "matches": matches, "new_url": new_url,
    })


def _parents_offered(facts: KnownFacts, *, excluding: int | None = None) -> list[tuple[int, str]]:
    return [(p.person_id, p.name) for p in facts.parents if p.visible and p.person_id != excluding]


def _initial(kind: str, facts: KnownFacts) -> dict[str, object]:
    initial: dict[str, object] = {}
    if kind in SHARED_HOME_KINDS and facts.current_address is not None:
        initial["lives_here"] = "yes"
    if kind == Relationship.Kind.SIBLING:
        # Full siblings share both parents: offered ticked, for the worker to confirm.
        initial["also_parents"] = [str(p.person_id) for p in facts.parents if p.visible]
    return initial


def _relative_add_from_form(request: HttpRequest, *, person: Person, kind: str, form: RelationshipDetailsForm,
                            relative: Person | None = None, new_relative: dict | None = None) -> Relationship:
    data = form.cleaned_data
    chosen = [int(p) for p in data.get("also_parents") or []]
    parents = list(people_visible_to(user=_user(request)).filter(pk__in=chosen)) if chosen else []
    return relative_add(
        person=person, kind=kind, by=_user(request), relative=relative, new_relative=new_relative,
        parental_responsibility=data.get("parental_responsibility") == "yes", started_on=data.get("started_on"),
        note=data.get("note", ""), lives_here=data.get("lives_here") == "yes", also_parents=parents,
    )


@login_required
@require_http_methods(["GET", "POST"])
@refuses_resubmission
def relative_existing(request: HttpRequest, pk: int, kind: str, relative_pk: int) -> HttpResponse:
    kind = _kind_or_404(kind)
    opened = open_record(request, pk)
    if isinstance(opened, HttpResponse):
        return opened
    person, user = opened, _user(request)
    relative = get_object_or_404(people_visible_to(user=user).exclude(pk=person.pk), pk=relative_pk)
    access_services.access_record(user=user, person=relative, action=AccessEvent.Action.VIEW, page=request.path)
    facts = known_facts(person=person, user=user)
    form = RelationshipDetailsForm(
        request.POST or None, kind=kind, parents=_parents_offered(facts, excluding=relative.pk),
        has_address=facts.current_address is not None, initial=_initial(kind, facts),
    )
    if request.method == "POST" and form.is_valid():
        try:
            _relative_add_from_form(request, person=person, kind=kind, form=form, relative=relative)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{relative.full_name} added to {person.full_name}'s family as "
                                      f"{kind_label(kind).lower()}")
            return redirect("people:family", pk=person.pk)
    return render(request, "people/relative_existing.html", {
        "person": person, "relative": relative, "relative_age": age_text(relative), "form": form, "facts": facts,
        "kind": kind, "kind_label": kind_label(kind),
    })


@login_required
@require_http_methods(["GET", "POST"])
@refuses_resubmission
def relative_new(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    kind = _kind_or_404(kind)
    opened = open_record(request, pk)
    if isinstance(opened, HttpResponse):
        return opened
    person, user = opened, _user(request)
    facts = known_facts(person=person, user=user)
    draft_key = f"relative-new-{person.pk}-{kind}"

    def relative_form(data: Any = None, initial: dict[str, Any] | None = None) -> NewRelativeForm:
        has_address = facts.current_address is not None
        return NewRelativeForm(data, initial=initial, kind=kind, parents=_parents_offered(facts),
                               has_address=has_address, confirm_facts=has_address)

    restored_at = None
    if request.method == "POST":
        if request.POST.get("facts_confirmed") == "no":
            # Put the fact right first; what was typed here waits in a draft and comes back afterwards.
            draft_save(user=user, key=draft_key, data=request.POST, path=request.path)
            here = reverse("people:relative_new", args=[person.pk, kind])
            return redirect(reverse("people:address_move", args=[person.pk]) + "?" + urlencode({"next": here}))
        form = relative_form(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            new_relative = {"first_name": data["first_name"], "last_name": data["last_name"],
                            "date_of_birth": data["date_of_birth"], "sex": data["sex"]}
            try:
                _relative_add_from_form(request, person=person, kind=kind, form=form, new_relative=new_relative)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                draft_discard(user=user, key=draft_key)
                messages.success(request, f"{data['first_name']} {data['last_name']} added to {person.full_name}'s "
                                          f"family as {kind_label(kind).lower()}")
                return redirect("people:family", pk=person.pk)
    else:
        draft = draft_for(user=user, key=draft_key)
        if draft is not None:
            data = draft_as_querydict(draft)
            data.pop("facts_confirmed", None)
            form = relative_form(data)
            restored_at = draft.saved_at
        else:
            initial: dict[str, Any] = _initial(kind, facts)
            initial["last_name"] = request.GET.get("last_name") or (person.last_name if kind in SURNAME_KINDS else "")
            initial["first_name"] = request.GET.get("first_name", "")
            form = relative_form(initial=initial)
    return render(request, "people/relative_new.html", {
        "person": person, "form": form, "facts": facts, "kind": kind, "kind_label": kind_label(kind),
        "draft_key": draft_key, "restored_at": restored_at, "is_sibling": kind in SIBLING_KINDS,
    })


@login_required
@require_http_methods(["GET", "POST"])
def relationship_end_view(request: HttpRequest, pk: int, relationship_pk: int) -> HttpResponse:
    opened = open_record(request, pk)
    if isinstance(opened, HttpResponse):
        return opened
    person, user = opened, _user(request)
    relationship = get_object_or_404(
        Relationship.objects.filter(Q(person=person) | Q(relative=person)).select_related("person", "relative"),
        pk=relationship_pk, ended_on__isnull=True,
    )
    other = relationship.relative if relationship.person_id == person.pk else relationship.person
    if not people_visible_to(user=user).filter(pk=other.pk).exists():
        raise Http404
    label = relationship_label(relationship, towards=person)
    conflict = None
    form = EndRelationshipForm(request.POST or None,
                               initial={"ended_on": timezone.localdate(), "version": relationship.version})
    if request.method == "POST" and form.is_valid():
        try:
            relationship_end(relationship=relationship, ended_on=form.cleaned_data["ended_on"], by=user,
                             expected_version=form.cleaned_data["version"])
        except StaleVersionError as stale:
            conflict = stale.last_change
            adopt_current_version(form, stale.current_version)
            form.add_error(None, STALE_MESSAGE)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{other.full_name} is no longer recorded as a current {label.lower()}")
            return redirect("people:family", pk=person.pk)
    return render(request, "people/end_form.html", {
        "person": person, "form": form, "conflict": conflict,
        "heading": f"End the relationship with {other.full_name} ({label.lower()})",
        "hint": "The relationship stays in the family history, shown as ended.",
        "button": "End relationship", "back": reverse("people:family", args=[person.pk]),
    })
