"""The shape every page about a child shares: open the record, show a one-question form, call the service,
and on a refusal show the form again with the reason beside its field and everything typed kept.

Each area of the record (children in need, in care, care plans, leaving care, the education registers) uses
these instead of its own copy, so a fix to how a refusal or a restored draft is shown is made once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import wraps
from typing import Any, TypeVar

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render

from hearth.accounts.models import User
from hearth.audit.models import StaleVersionError
from hearth.people.models import Person
from hearth.people.views import open_record, safe_next

from .forms import show_refusal
from .selectors import draft_as_querydict, draft_for
from .services import draft_discard

T = TypeVar("T")
View = Callable[..., HttpResponse]

# Caption, intro, error summary, a restored draft, autosave; an app's own form page extends it.
FORM_TEMPLATE = "workspace/form.html"


def acting_user(request: HttpRequest) -> User:
    """The signed-in member of staff doing this (the views that call it are behind login_required)."""
    user = request.user
    assert isinstance(user, User)
    return user


def staff_allowed(request: HttpRequest, perm: str) -> User:
    """The signed-in member of staff, if their role may do this; 403 otherwise. Case access is checked as well as
    the rule, because Django lets a superuser through every has_perm."""
    user = request.user
    if not isinstance(user, User) or not user.has_case_access or not user.has_perm(perm):
        raise PermissionDenied
    return user


def council_staff_allowed(request: HttpRequest, perm: str) -> User:
    """The signed-in member of a council's staff, if the rule lets them do this; 403 otherwise. For the
    council-wide pages (workforce, money, the improvement programme) that are not about a child. A superuser
    belongs to no council, so is refused here even though Django lets them through every has_perm."""
    user = request.user
    if not isinstance(user, User) or user.local_authority_id is None or not user.has_perm(perm):
        raise PermissionDenied
    return user


def child_page(perm: str) -> Callable[[View], View]:
    """Open the child through ``open_record`` (the refusal page for a restricted record, 404 for one the user may
    not know of, and the view logged); 403 without ``perm`` on the child. The view is called with the child and
    the user after the request."""

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, person_pk: int, *args: Any, **kwargs: Any) -> HttpResponse:
            opened = open_record(request, person_pk)
            if isinstance(opened, HttpResponse):
                return opened
            if not request.user.has_perm(perm, opened):
                raise PermissionDenied
            return view(request, opened, acting_user(request), *args, **kwargs)

        return wrapped

    return decorate


@dataclass(frozen=True)
class Done:
    """What a saved form page says, and where it goes next when that is not back where it came from."""

    message: str
    next: str = ""
    warning: bool = False  # said as a warning: saved, but something still needs the worker's attention


Saver = Callable[[dict[str, Any]], "str | Done"]


def build_form(form_class: type[forms.Form], request: HttpRequest, *, initial: dict[str, Any] | None = None,
               **kwargs: Any) -> forms.Form:
    """The form, bound to what was posted (unbound on a GET); the extra arguments are kept so a restored draft
    builds the same form."""
    form = form_class(request.POST if request.method == "POST" else None, initial=initial, **kwargs)
    form._hearth_kwargs = kwargs  # type: ignore[attr-defined]
    return form


def saved(form: forms.Form, save: Callable[[], T]) -> T | None:
    """What the service saved; a refusal (a stale edit or a broken rule) goes onto the form with the typing kept,
    and gives None."""
    try:
        return save()
    except (StaleVersionError, ValidationError) as refused:
        show_refusal(form, refused)
    return None


def restore_draft(request: HttpRequest, key: str) -> tuple[QueryDict | None, datetime | None]:
    """A draft the user had not saved (say, signed out by the idle timeout), and when it was saved."""
    draft = draft_for(user=acting_user(request), key=key)
    if draft is None:
        return None, None
    return draft_as_querydict(draft), draft.saved_at


def form_page(
    request: HttpRequest,
    person: Person,
    *,
    form: forms.Form,
    title: str,
    save: Saver,
    back: str,
    button: str = "Save",
    draft_key: str = "",
    creates: bool = False,
    template: str = FORM_TEMPLATE,
    context: dict[str, Any] | None = None,
) -> HttpResponse:
    """One question page: validate, call ``save``, go on; a refusal is shown with the typing kept.

    ``save`` returns the message to show (then the page goes back, or to a safe ``next``), or a ``Done``.
    With a ``draft_key`` the form autosaves, and a draft the user had not saved is restored on a GET.
    """
    user = acting_user(request)
    restored_at = None
    if request.method == "POST":
        if form.is_valid():
            done = saved(form, lambda: save(form.cleaned_data))
            if done is not None:
                if draft_key:
                    draft_discard(user=user, key=draft_key)
                if not isinstance(done, Done):
                    done = Done(done)
                (messages.warning if done.warning else messages.success)(request, done.message)
                return redirect(done.next or safe_next(request, back))
    elif draft_key:
        data, restored_at = restore_draft(request, draft_key)
        if data is not None:
            form = type(form)(data, **getattr(form, "_hearth_kwargs", {}))
    return render(request, template, {
        "person": person, "form": form, "title": title, "back": back, "button": button,
        "draft_key": draft_key, "creates": creates, "restored_at": restored_at, **(context or {}),
    })
