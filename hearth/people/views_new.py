"""Adding a person: who they are, then the records that may already be them, then the rest, then check and create.

Each step's answers are kept as a draft of the signed-in worker (not in the session), so a timeout,
a crashed browser or a look at another record loses nothing. The likely matches are always shown
before a record can be created.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from hearth.access.selectors import people_visible_to
from hearth.accounts.models import User
from hearth.workspace.forms import add_service_errors
from hearth.workspace.selectors import draft_as_querydict, draft_for
from hearth.workspace.services import draft_discard, draft_save

from .codes import Ethnicity
from .forms import AddressForm, MoreAboutForm, NewPersonForm
from .models import Person
from .selectors import likely_matches_for
from .services import person_create

# One draft per step, so autosave of one step never overwrites another's answers.
KEYS = {"who": "person-new-who", "matches": "person-new-matches", "more": "person-new-more",
        "address": "person-new-address"}


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    if not user.has_case_access:
        raise PermissionDenied
    return user


def _bound(user: User, step: str, form_class: type[forms.Form], **kwargs: Any) -> forms.Form | None:
    draft = draft_for(user=user, key=KEYS[step])
    return form_class(draft_as_querydict(draft), **kwargs) if draft is not None else None


def _valid(user: User, step: str, form_class: type[forms.Form], **kwargs: Any) -> forms.Form | None:
    form = _bound(user, step, form_class, **kwargs)
    return form if form is not None and form.is_valid() else None


def _identity(who: forms.Form) -> str:
    """What the likely matches were looked for with: a decision holds only for the same answers."""
    return "|".join(str(who.cleaned_data.get(name) or "") for name in (
        "first_name", "last_name", "date_of_birth", "expected_date_of_birth", "nhs_number", "upn", "postcode"))


def _decided(user: User, who: forms.Form) -> bool:
    draft = draft_for(user=user, key=KEYS["matches"])
    return draft is not None and draft.data.get("decision") == ["new"] and draft.data.get("for") == [_identity(who)]


def _restart(user: User) -> None:
    for key in KEYS.values():
        draft_discard(user=user, key=key)


def _step_page(request: HttpRequest, *, step: str, form_class: type[forms.Form], template: str, next_url: str,
               form_kwargs: dict[str, Any] | None = None, initial: dict[str, Any] | None = None,
               context: dict[str, Any] | None = None) -> HttpResponse:
    """One question page: keep the answers in the step's draft, then go on (or back to the check page)."""
    user = _user(request)
    kwargs = form_kwargs or {}
    if request.method == "POST":
        form = form_class(request.POST, **kwargs)
        draft_save(user=user, key=KEYS[step], data=request.POST, path=request.path)
        if form.is_valid():
            return redirect(next_url)
    else:
        form = _bound(user, step, form_class, **kwargs) or form_class(initial=initial or {}, **kwargs)
        if form.is_bound:
            form.full_clean()
            # A returning worker sees their answers, not errors for questions they have not finished.
            form.errors.clear()
    return render(request, template, {"form": form, "draft_key": KEYS[step], "back": request.GET.get("back", ""),
                                      **(context or {})})


def _after(request: HttpRequest, default: str) -> str:
    """Back to the check page when the worker came from there to change an answer."""
    return reverse("people:person_new_check") if request.GET.get("back") == "check" else reverse(default)


@login_required
@require_http_methods(["GET", "POST"])
def person_new(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if request.method == "POST" and request.POST.get("restart"):
        _restart(user)
        return redirect("people:person_new")
    # A changed name or date of birth means the likely matches must be looked at again.
    if request.method == "POST":
        draft_discard(user=user, key=KEYS["matches"])
    resuming = request.method == "GET" and draft_for(user=user, key=KEYS["who"]) is not None
    return _step_page(request, step="who", form_class=NewPersonForm, template="people/person_new.html",
                      next_url=reverse("people:person_new_matches"), context={"resuming": resuming})


@login_required
@require_http_methods(["GET", "POST"])
def person_new_matches(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    who = _valid(user, "who", NewPersonForm)
    if who is None:
        return redirect("people:person_new")
    data = who.cleaned_data
    if request.method == "POST":
        if request.POST.get("use"):
            existing = people_visible_to(user=user).filter(pk=request.POST["use"]).first()
            if existing is not None:
                _restart(user)
                messages.success(request, f"No new record was made. This is {existing.full_name}'s existing record.")
                return redirect("people:child_record", pk=existing.pk)
        if request.POST.get("decision") == "new":
            decision = QueryDict(mutable=True)
            decision.update({"decision": "new", "for": _identity(who)})
            draft_save(user=user, key=KEYS["matches"], data=decision, path=request.path)
            return redirect("people:person_new_more")
    matches = likely_matches_for(
        user=user, first_name=data["first_name"], last_name=data["last_name"], date_of_birth=data["date_of_birth"],
        nhs_number=data["nhs_number"], upn=data["upn"], postcode=data["postcode"],
    )
    return render(request, "people/person_new_matches.html", {"who": data, "matches": matches})


def _who_with_matches_seen(user: User) -> forms.Form | HttpResponse:
    """The child being added, once the likely matches were looked at; otherwise the step to go back to."""
    who = _valid(user, "who", NewPersonForm)
    if who is None:
        return redirect("people:person_new")
    if not _decided(user, who):
        return redirect("people:person_new_matches")
    return who


@login_required
@require_http_methods(["GET", "POST"])
def person_new_more(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    who = _who_with_matches_seen(user)
    if isinstance(who, HttpResponse):
        return who
    return _step_page(request, step="more", form_class=MoreAboutForm, template="people/person_new_more.html",
                      next_url=_after(request, "people:person_new_address"), initial={"ethnicity": Ethnicity.NOBT})


@login_required
@require_http_methods(["GET", "POST"])
def person_new_address(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    who = _who_with_matches_seen(user)
    if isinstance(who, HttpResponse):
        return who
    return _step_page(request, step="address", form_class=AddressForm, template="people/person_new_address.html",
                      next_url=reverse("people:person_new_check"), form_kwargs={"optional": True},
                      initial={"postcode": who.cleaned_data["postcode"]})


def _summary(who: dict[str, Any], more: dict[str, Any], address: AddressForm | None) -> list[dict[str, Any]]:
    check = "?back=check"
    name = " ".join(p for p in (who["first_name"], more.get("middle_names", ""), who["last_name"]) if p)
    if who["date_of_birth"]:
        born = f"{who['date_of_birth']:%-d %B %Y}"
    else:
        born = f"Not born yet, expected {who['expected_date_of_birth']:%-d %B %Y}"
    rows = [
        {"key": "Name", "value": name, "href": reverse("people:person_new") + check},
        {"key": "Date of birth", "value": born, "href": reverse("people:person_new") + check},
        {"key": "Sex", "value": dict(Person.Sex.choices)[who["sex"]], "href": reverse("people:person_new") + check},
        {"key": "NHS number", "value": who["nhs_number"] or "Not given", "href": reverse("people:person_new") + check},
        {"key": "UPN", "value": who["upn"] or "Not given", "href": reverse("people:person_new") + check},
        {"key": "Preferred name", "value": more.get("preferred_name") or "Not given",
         "href": reverse("people:person_new_more") + check},
        {"key": "Gender identity", "value": more.get("gender_identity") or "Not given",
         "href": reverse("people:person_new_more") + check},
        {"key": "Ethnicity", "value": dict(Ethnicity.choices).get(more.get("ethnicity", ""), "Not given"),
         "href": reverse("people:person_new_more") + check},
        {"key": "First language", "value": more.get("first_language") or "Not given",
         "href": reverse("people:person_new_more") + check},
        {"key": "Religion", "value": more.get("religion") or "Not given",
         "href": reverse("people:person_new_more") + check},
    ]
    if address is not None and not address.is_blank:
        data = address.cleaned_data
        lines = "\n".join(p for p in (data["line_1"], data["line_2"], data["town"], data["postcode"]) if p)
        if data.get("moved_in_on"):
            lines += f"\nSince {data['moved_in_on']:%-d %B %Y}"
    else:
        lines = "Not known"
    rows.append({"key": "Address", "value": lines, "href": reverse("people:person_new_address") + check})
    return rows


@login_required
@require_http_methods(["GET", "POST"])
def person_new_check(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    who = _who_with_matches_seen(user)
    if isinstance(who, HttpResponse):
        return who
    more_form = _valid(user, "more", MoreAboutForm)
    more = more_form.cleaned_data if more_form is not None else {}
    if draft_for(user=user, key=KEYS["more"]) is not None and more_form is None:
        return redirect("people:person_new_more")
    address = _valid(user, "address", AddressForm, optional=True)
    if draft_for(user=user, key=KEYS["address"]) is not None and address is None:
        return redirect("people:person_new_address")
    assert address is None or isinstance(address, AddressForm)
    problem = None
    if request.method == "POST":
        data = who.cleaned_data
        details = {
            "first_name": data["first_name"], "last_name": data["last_name"], "date_of_birth": data["date_of_birth"],
            "expected_date_of_birth": data["expected_date_of_birth"], "sex": data["sex"],
            "nhs_number": data["nhs_number"], "upn": data["upn"],
            **{k: v for k, v in more.items() if v not in (None, "")},
        }
        home = address.address() if address is not None and not address.is_blank else None
        council = user.local_authority
        assert council is not None
        try:
            person = person_create(local_authority=council, by=user, address=home, **details)
        except ValidationError as error:
            holder = forms.Form()
            add_service_errors(holder, error)
            problem = holder
        else:
            _restart(user)
            messages.success(request, f"Record created for {person.full_name}")
            return redirect("people:child_record", pk=person.pk)
    return render(request, "people/person_new_check.html", {
        "rows": _summary(who.cleaned_data, more, address), "problem": problem,
    })
