from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.http import require_http_methods

from hearth.access import services as access_services
from hearth.access.models import AccessEvent, AllowListEntry
from hearth.access.policy import can_break_glass, can_view_person
from hearth.access.selectors import access_events_for, people_visible_to
from hearth.accounts.models import User
from hearth.allocations.selectors import allocation_history, social_workers_in_period
from hearth.audit.models import StaleVersionError
from hearth.clocks.selectors import open_clocks_for_child
from hearth.workspace.forms import STALE_MESSAGE, add_service_errors, adopt_current_version
from hearth.workspace.resubmission import refuses_resubmission
from hearth.workspace.selectors import draft_as_querydict, draft_for
from hearth.workspace.services import draft_discard

from .codes import Disability
from .forms import (
    SECTION_FORMS,
    AccessLevelForm,
    AllowListAddForm,
    BreakGlassForm,
    ContactDetailForm,
    CorrectAddressForm,
    EndDateForm,
    MoveAddressForm,
    OtherNameForm,
    ProfessionalForm,
    section_initial,
)
from .models import Address, ContactDetail, Person, ProfessionalInvolvement
from .selectors import (
    addresses_of,
    age_text,
    contact_details_of,
    family_of,
    known_facts,
    other_names_of,
    professionals_of,
)
from .services import (
    address_correct,
    address_move,
    contact_detail_add,
    contact_detail_end,
    person_name_add,
    person_update,
    professional_add,
    professional_end,
)


class MergedRecord(Http404):
    """The record was merged into another: the record page sends the user there, other pages 404."""

    def __init__(self, survivor_id: int):
        self.survivor_id = survivor_id


class RestrictedRecord(Exception):
    def __init__(self, person: Person):
        self.person = person


def _person_for(request: HttpRequest, pk: int) -> Person:
    """The record, if this user may open it. Sealed or other councils' records do not exist for them."""
    user = request.user
    person = Person.objects.filter(pk=pk, local_authority_id=getattr(user, "local_authority_id", None)).first()
    if person is None:
        raise Http404
    if person.merged_into_id is not None:
        survivor = Person.objects.filter(pk=person.merged_into_id).first()
        # Only send the user on if they may open the survivor: otherwise its existence is not theirs to know.
        if survivor is not None and can_view_person(user, survivor):  # type: ignore[arg-type]
            raise MergedRecord(survivor.pk)
        raise Http404
    # The policy itself, not has_perm: Django lets a superuser through every has_perm check.
    if can_view_person(user, person):  # type: ignore[arg-type]
        return person
    if can_break_glass(user, person):  # type: ignore[arg-type]
        raise RestrictedRecord(person)
    raise Http404


def _refused(request: HttpRequest, person: Person, form: BreakGlassForm | None = None) -> HttpResponse:
    # A reason sent back for correcting is the same attempt, not a new refusal.
    if form is None:
        access_services.access_record(
            user=request.user, person=person, action=AccessEvent.Action.REFUSED, page=request.path  # type: ignore[arg-type]
        )
    return render(
        request,
        "people/restricted.html",
        {"person_id": person.pk, "hearth_id": person.hearth_id, "form": form or BreakGlassForm()},
        status=403,
    )


def _year_start(today: date) -> date:
    """Start of the current DfE collection year (1 April)."""
    return date(today.year if today.month >= 4 else today.year - 1, 4, 1)


def open_record(request: HttpRequest, pk: int) -> Person | HttpResponse:
    """The record for a page about it, with the view logged; or the refusal page. Merged records 404 here."""
    try:
        person = _person_for(request, pk)
    except RestrictedRecord as refused:
        return _refused(request, refused.person)
    access_services.access_record(
        user=request.user, person=person, action=AccessEvent.Action.VIEW, page=request.path  # type: ignore[arg-type]
    )
    return person


def safe_next(request: HttpRequest, fallback: str) -> str:
    """Where to go after a step that another journey sent the user to; only ever a page of this site."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}) and target.startswith("/"):
        return target
    return fallback




@login_required
def child_record(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        person = _person_for(request, pk)
    except RestrictedRecord as refused:
        return _refused(request, refused.person)
    except MergedRecord as merged:
        messages.info(request, f"Record {pk:07d} was merged into this record.")
        return redirect("people:child_record", pk=merged.survivor_id)
    user = request.user
    assert isinstance(user, User)
    access_services.access_record(user=user, person=person, action=AccessEvent.Action.VIEW, page=request.path)
    today = timezone.localdate()
    allocations = list(allocation_history(child=person))
    current = next((a for a in allocations if a.ended_on is None and a.kind == "social_worker"), None)
    addresses = addresses_of(person=person)
    family = family_of(person=person, user=user, include_ended=False)
    context = {
        "person": person,
        "today": today,
        "age": person.age_on(today),
        "age_text": age_text(person, today),
        "other_names": list(other_names_of(person=person)),
        "current_address": addresses[0] if addresses and addresses[0].moved_out_on is None else None,
        "previous_addresses": [a for a in addresses if a.moved_out_on is not None],
        "contact_details": list(contact_details_of(person=person)),
        "family": family,
        "professionals": professionals_of(person=person, include_ended=False),
        "disabilities": [Disability(code).label for code in person.disabilities if code in Disability.values],
        "allocations": allocations,
        "current_allocation": current,
        "social_workers_this_year": social_workers_in_period(child=person, start=_year_start(today), end=today),
        "year_start": _year_start(today),
        "clocks": list(open_clocks_for_child(child=person)),
        "can_see_access_log": user.has_perm("access.view_access_log", person),
        "nav_current": "summary",
    }
    return render(request, "people/child_record.html", context)


@login_required
def child_print(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        person = _person_for(request, pk)
    except RestrictedRecord as refused:
        return _refused(request, refused.person)
    access_services.access_record(
        user=request.user, person=person, action=AccessEvent.Action.PRINT, page=request.path  # type: ignore[arg-type]
    )
    today = timezone.localdate()
    context = {
        "person": person,
        "age": person.age_on(today),
        "allocations": allocation_history(child=person),
        "printed_at": timezone.localtime(),
    }
    return render(request, "people/child_print.html", context)


SECTION_TITLES = {
    "details": "Personal details",
    "background": "Ethnicity, language, religion and disability",
    "identifiers": "NHS number and UPN",
    "immigration": "Immigration and asylum",
}


def _section_edit(request: HttpRequest, pk: int, section: str) -> HttpResponse:
    opened = open_record(request, pk)
    if isinstance(opened, HttpResponse):
        return opened
    person = opened
    user = request.user
    assert isinstance(user, User)
    form_class = SECTION_FORMS[section]
    draft_key = f"person-{section}-{person.pk}"
    conflict = None
    restored_at = None
    if request.method == "POST":
        form = form_class(request.POST, person=person)  # type: ignore[call-arg]
        if form.is_valid():
            changes = {name: value for name, value in form.cleaned_data.items() if name != "version"}
            try:
                person_update(person=person, expected_version=form.cleaned_data["version"], by=user, **changes)
            except StaleVersionError as stale:
                conflict = stale.last_change
                adopt_current_version(form, stale.current_version)
                form.add_error(None, STALE_MESSAGE)
                person.refresh_from_db()
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                draft_discard(user=user, key=draft_key)
                messages.success(request, f"{SECTION_TITLES[section]} saved")
                return redirect("people:child_record", pk=person.pk)
    else:
        draft = draft_for(user=user, key=draft_key)
        if draft is not None:
            form = form_class(draft_as_querydict(draft), person=person)  # type: ignore[call-arg]
            restored_at = draft.saved_at
        else:
            form = form_class(initial=section_initial(form_class, person), person=person)  # type: ignore[call-arg]
    return render(
        request,
        "people/child_edit.html",
        {
            "person": person,
            "form": form,
            "section": section,
            "title": SECTION_TITLES[section],
            "draft_key": draft_key,
            "restored_at": restored_at,
            "conflict": conflict,
            "current_version": person.version,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def child_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _section_edit(request, pk, "details")


@login_required
@require_http_methods(["GET", "POST"])
def background_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _section_edit(request, pk, "background")


@login_required
@require_http_methods(["GET", "POST"])
def identifiers_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _section_edit(request, pk, "identifiers")


@login_required
@require_http_methods(["GET", "POST"])
def immigration_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _section_edit(request, pk, "immigration")


def _add_to_record(
    request: HttpRequest, pk: int, *, form: forms.Form, service: Callable[..., object], template: str,
    done: Callable[[dict[str, Any]], str], back_to: str = "people:child_record",
) -> HttpResponse:
    """The shape of every "add a thing to this record" page: open, validate, call the service, go back."""
    opened = open_record(request, pk)
    if isinstance(opened, HttpResponse):
        return opened
    person, user = opened, request.user
    assert isinstance(user, User)
    if request.method == "POST" and form.is_valid():
        try:
            service(person=person, by=user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, done(form.cleaned_data))
            return redirect(back_to, pk=person.pk)
    return render(request, template, {"person": person, "form": form})


def _end_on_record(
    request: HttpRequest, pk: int, *, end: Callable[[Person, User, date], str], heading: Callable[[Person], str],
    button: str, back_to: str,
) -> HttpResponse:
    """The shape of every "this is no longer current" page: open, ask for the end date, call the service."""
    opened = open_record(request, pk)
    if isinstance(opened, HttpResponse):
        return opened
    person, user = opened, request.user
    assert isinstance(user, User)
    title = heading(person)  # 404s before anything is shown if the item is not this person's, or ended
    form = EndDateForm(request.POST or None, initial={"ended_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            done = end(person, user, form.cleaned_data["ended_on"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, done)
            return redirect(back_to, pk=person.pk)
    return render(request, "people/end_form.html", {
        "person": person, "form": form, "heading": title, "button": button,
        "back": reverse(back_to, args=[person.pk]),
    })


@login_required
@require_http_methods(["GET", "POST"])
@refuses_resubmission
def other_name_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _add_to_record(request, pk, form=OtherNameForm(request.POST or None), service=person_name_add,
                          template="people/name_add.html", done=lambda _: "Name added")


# ------------------------------------------------------------------------------------------------ addresses


@login_required
@require_http_methods(["GET", "POST"])
@refuses_resubmission
def address_move_view(request: HttpRequest, pk: int) -> HttpResponse:
    opened = open_record(request, pk)
    if isinstance(opened, HttpResponse):
        return opened
    person, user = opened, request.user
    assert isinstance(user, User)
    facts = known_facts(person=person, user=user)
    movable = [(fact.person_id, fact.name) for fact in facts.household if fact.visible]
    hidden = sum(1 for fact in facts.household if not fact.visible)
    draft_key = f"address-move-{person.pk}"
    back = safe_next(request, reverse("people:child_record", args=[person.pk]))
    restored_at = None
    if request.method == "POST":
        form = MoveAddressForm(request.POST, household=movable)
        if form.is_valid():
            chosen = [int(pk) for pk in form.cleaned_data.get("household", [])]
            household = list(people_visible_to(user=user).filter(pk__in=chosen)) if chosen else []
            try:
                moved = address_move(person=person, by=user, household=household, **form.address())
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                draft_discard(user=user, key=draft_key)
                others = len(moved) - 1
                also = f" and {others} other{'s' if others != 1 else ''} in the household" if others else ""
                messages.success(request, f"New address recorded for {person.full_name}{also}")
                return redirect(back)
    else:
        draft = draft_for(user=user, key=draft_key)
        if draft is not None:
            form = MoveAddressForm(draft_as_querydict(draft), household=movable)
            restored_at = draft.saved_at
        else:
            form = MoveAddressForm(household=movable)
    return render(request, "people/address_move.html", {
        "person": person, "form": form, "facts": facts, "hidden_household": hidden, "draft_key": draft_key,
        "restored_at": restored_at, "next": back,
    })


@login_required
@require_http_methods(["GET", "POST"])
def address_correct_view(request: HttpRequest, pk: int, address_pk: int) -> HttpResponse:
    opened = open_record(request, pk)
    if isinstance(opened, HttpResponse):
        return opened
    person, user = opened, request.user
    assert isinstance(user, User)
    address = get_object_or_404(Address, pk=address_pk, person=person)
    conflict = None
    if request.method == "POST":
        form = CorrectAddressForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                address_correct(address=address, expected_version=data["version"], by=user,
                                moved_out_on=data.get("moved_out_on"), **form.address())
            except StaleVersionError as stale:
                conflict = stale.last_change
                adopt_current_version(form, stale.current_version)
                form.add_error(None, STALE_MESSAGE)
                address.refresh_from_db()
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, "Address corrected")
                return redirect("people:child_record", pk=person.pk)
    else:
        form = CorrectAddressForm(initial={
            "line_1": address.line_1, "line_2": address.line_2, "town": address.town, "postcode": address.postcode,
            "moved_in_on": address.moved_in_on, "moved_out_on": address.moved_out_on, "version": address.version,
        })
    return render(request, "people/address_correct.html",
                  {"person": person, "address": address, "form": form, "conflict": conflict})


# ------------------------------------------------------------------------------------------ contact details


@login_required
@require_http_methods(["GET", "POST"])
@refuses_resubmission
def contact_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _add_to_record(request, pk, form=ContactDetailForm(request.POST or None), service=contact_detail_add,
                          template="people/contact_add.html", done=lambda _: "Contact detail added")


@login_required
@require_http_methods(["GET", "POST"])
def contact_end(request: HttpRequest, pk: int, detail_pk: int) -> HttpResponse:
    def end(person: Person, user: User, ended_on: date) -> str:
        detail = get_object_or_404(ContactDetail, pk=detail_pk, person=person, ended_on__isnull=True)
        contact_detail_end(detail=detail, ended_on=ended_on, by=user)
        return f"{detail.get_kind_display()} {detail.value} is no longer current"

    def heading(person: Person) -> str:
        detail = get_object_or_404(ContactDetail, pk=detail_pk, person=person, ended_on__isnull=True)
        return f"Stop using {detail.get_kind_display().lower()} {detail.value}"

    return _end_on_record(request, pk, end=end, heading=heading, button="Save", back_to="people:child_record")


# ------------------------------------------------------------------------------------------- professionals


@login_required
def professionals(request: HttpRequest, pk: int) -> HttpResponse:
    opened = open_record(request, pk)
    if isinstance(opened, HttpResponse):
        return opened
    return render(request, "people/professionals.html", {
        "person": opened, "professionals": professionals_of(person=opened), "nav_current": "professionals",
    })


@login_required
@require_http_methods(["GET", "POST"])
@refuses_resubmission
def professional_add_view(request: HttpRequest, pk: int) -> HttpResponse:
    form = ProfessionalForm(request.POST or None, initial={"role": request.GET.get("role", "")})
    return _add_to_record(request, pk, form=form, service=professional_add, template="people/professional_add.html",
                          done=lambda data: f"{data['organisation']} added", back_to="people:professionals")


@login_required
@require_http_methods(["GET", "POST"])
def professional_end_view(request: HttpRequest, pk: int, involvement_pk: int) -> HttpResponse:
    def involvement_of(person: Person) -> ProfessionalInvolvement:
        return get_object_or_404(ProfessionalInvolvement, pk=involvement_pk, person=person, ended_on__isnull=True)

    def end(person: Person, user: User, ended_on: date) -> str:
        involvement = involvement_of(person)
        professional_end(involvement=involvement, ended_on=ended_on, by=user)
        return f"{involvement.organisation} is no longer involved"

    def heading(person: Person) -> str:
        involvement = involvement_of(person)
        return f"End {involvement.organisation}'s involvement ({involvement.get_role_display()})"

    return _end_on_record(request, pk, end=end, heading=heading, button="End involvement",
                          back_to="people:professionals")


@login_required
@require_http_methods(["GET", "POST"])
def break_glass(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    person = Person.objects.filter(pk=pk, local_authority_id=user.local_authority_id).first()
    if person is None or not (can_break_glass(user, person) or user.has_perm("people.view_person", person)):
        raise Http404
    if user.has_perm("people.view_person", person):
        return redirect("people:child_record", pk=person.pk)
    form = BreakGlassForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            access_services.break_glass_open(person=person, user=user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_error("reason", error.message_dict.get("reason", error.messages))
        else:
            messages.success(request, "Access granted. Your reason has been recorded and the manager told.")
            return redirect("people:child_record", pk=person.pk)
    return _refused(request, person, form)


@login_required
def access_log(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    person = Person.objects.filter(pk=pk, local_authority_id=getattr(user, "local_authority_id", None)).first()
    if person is None or not user.has_perm("access.view_access_log", person):
        raise Http404
    # Logged first, so the page counts and lists this view too.
    access_services.access_record(
        user=user, person=person, action=AccessEvent.Action.VIEW, page=request.path  # type: ignore[arg-type]
    )
    page = Paginator(access_events_for(person=person), 50).get_page(request.GET.get("page"))
    return render(request, "people/access_log.html", {"person": person, "page_obj": page})


@login_required
@require_http_methods(["GET", "POST"])
def access_settings(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    try:
        person = _person_for(request, pk)
    except RestrictedRecord:
        raise Http404 from None
    if not user.is_manager:
        raise PermissionDenied
    if request.method == "GET":
        access_services.access_record(user=user, person=person, action=AccessEvent.Action.VIEW, page=request.path)
    staff = User.objects.filter(local_authority_id=person.local_authority_id, is_active=True).exclude(
        role__in=["partner_referrer", "performance_analyst"]
    )
    level_form = AccessLevelForm(
        request.POST if request.POST.get("form") == "level" else None,
        initial={"access_level": person.access_level, "reason": person.restriction_reason},
    )
    add_form = AllowListAddForm(request.POST if request.POST.get("form") == "allow" else None, staff=staff)
    if request.method == "POST":
        try:
            if request.POST.get("form") == "level" and level_form.is_valid():
                access_services.person_set_access_level(
                    person=person, level=level_form.cleaned_data["access_level"],
                    reason=level_form.cleaned_data["reason"], by=user,
                )
                messages.success(request, "Record protection updated")
                return redirect("people:access_settings", pk=person.pk)
            if request.POST.get("form") == "allow" and add_form.is_valid():
                access_services.allow_list_add(
                    person=person, user=add_form.cleaned_data["user"], reason=add_form.cleaned_data["reason"], by=user
                )
                messages.success(request, f"{add_form.cleaned_data['user']} can now open this record")
                return redirect("people:access_settings", pk=person.pk)
            if request.POST.get("form") == "revoke":
                entry = get_object_or_404(AllowListEntry, pk=request.POST.get("entry"), person=person)
                access_services.allow_list_revoke(entry=entry, by=user)
                messages.success(request, f"{entry.user} can no longer open this record")
                return redirect("people:access_settings", pk=person.pk)
        except ValidationError as error:
            target = level_form if request.POST.get("form") == "level" else add_form
            for field, errors in error.message_dict.items():
                target.add_error(field if field in target.fields else None, errors)
    entries = AllowListEntry.objects.filter(person=person, revoked_at__isnull=True).select_related("user", "user__team")
    return render(
        request,
        "people/access_settings.html",
        {"person": person, "level_form": level_form, "add_form": add_form, "entries": entries},
    )


@login_required
def children_search(request: HttpRequest) -> HttpResponse:
    """The old address of the search page, kept so bookmarks still work."""
    query = request.GET.get("q", "")
    url = reverse("search:people")
    return redirect(f"{url}?{urlencode({'q': query})}" if query else url)
