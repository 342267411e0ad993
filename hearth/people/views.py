from __future__ import annotations

import csv
from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from hearth.access import services as access_services
from hearth.access.models import AccessEvent, AllowListEntry
from hearth.access.policy import can_break_glass
from hearth.access.selectors import access_events_for
from hearth.accounts.models import User
from hearth.allocations.selectors import allocation_history, social_workers_in_period
from hearth.audit.models import StaleVersionError
from hearth.clocks.selectors import open_clocks_for_child
from hearth.workspace.selectors import draft_as_querydict, draft_for
from hearth.workspace.services import draft_discard

from .forms import AccessLevelForm, AllowListAddForm, BreakGlassForm, ChildSearchForm, PersonDetailsForm
from .models import Person
from .selectors import people_search
from .services import EDITABLE_DETAILS, person_update_details


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
        raise MergedRecord(person.merged_into_id)
    if user.has_perm("people.view_person", person):
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


@login_required
def child_record(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        person = _person_for(request, pk)
    except RestrictedRecord as refused:
        return _refused(request, refused.person)
    except MergedRecord as merged:
        messages.info(request, f"Record {pk:07d} was merged into this record.")
        return redirect("people:child_record", pk=merged.survivor_id)
    access_services.access_record(
        user=request.user, person=person, action=AccessEvent.Action.VIEW, page=request.path  # type: ignore[arg-type]
    )
    today = timezone.localdate()
    allocations = list(allocation_history(child=person))
    current = next((a for a in allocations if a.ended_on is None and a.kind == "social_worker"), None)
    context = {
        "person": person,
        "today": today,
        "age": person.age_on(today),
        "allocations": allocations,
        "current_allocation": current,
        "social_workers_this_year": social_workers_in_period(child=person, start=_year_start(today), end=today),
        "year_start": _year_start(today),
        "clocks": list(open_clocks_for_child(child=person)),
        "can_see_access_log": request.user.has_perm("access.view_access_log", person),
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


@login_required
@require_http_methods(["GET", "POST"])
def child_edit(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        person = _person_for(request, pk)
    except RestrictedRecord as refused:
        return _refused(request, refused.person)
    user = request.user
    assert isinstance(user, User)
    draft_key = f"person-details-{person.pk}"
    conflict = None
    restored_at = None
    if request.method == "POST":
        form = PersonDetailsForm(request.POST)
        if form.is_valid():
            details = {name: form.cleaned_data[name] for name in EDITABLE_DETAILS}
            try:
                person_update_details(
                    person=person, expected_version=form.cleaned_data["version"], by=user, **details
                )
            except StaleVersionError as stale:
                conflict = stale.last_change
                form.add_error(
                    None,
                    "Someone else saved changes to this record after you opened it. Your changes have "
                    "not been saved and are shown below. Check the current details, then save again.",
                )
                person.refresh_from_db()
            else:
                draft_discard(user=user, key=draft_key)
                messages.success(request, "Details saved")
                return redirect("people:child_record", pk=person.pk)
    else:
        initial = {name: getattr(person, name) for name in EDITABLE_DETAILS}
        initial["version"] = person.version
        draft = draft_for(user=user, key=draft_key)
        if draft is not None:
            form = PersonDetailsForm(draft_as_querydict(draft))
            restored_at = draft.saved_at
        else:
            form = PersonDetailsForm(initial=initial)
    access_services.access_record(
        user=user, person=person, action=AccessEvent.Action.VIEW, page=request.path
    )
    return render(
        request,
        "people/child_edit.html",
        {
            "person": person,
            "form": form,
            "draft_key": draft_key,
            "restored_at": restored_at,
            "conflict": conflict,
            "current_version": person.version,
        },
    )


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
    form = ChildSearchForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    results = people_search(user=request.user, query=query)  # type: ignore[arg-type]
    page = Paginator(results, 25).get_page(request.GET.get("page")) if query else None
    context = {"form": form, "query": query, "page_obj": page}
    # Typing in the search box swaps in just the results (htmx); a full page otherwise.
    template = "people/_search_results.html" if getattr(request, "htmx", False) else "people/search.html"
    return render(request, template, context)


class _Echo:
    def write(self, value: str) -> str:
        return value


@login_required
@require_POST
def children_export(request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
    """CSV of a search's results; each child exported is recorded in their access log."""
    user = request.user
    assert isinstance(user, User)
    query = request.POST.get("q", "")
    people = list(people_search(user=user, query=query)[:5000])
    if not people:
        messages.info(request, "There was nothing to export")
        return redirect("people:search")
    access_services.access_record_many(user=user, people=people, action=AccessEvent.Action.EXPORT, page=request.path)
    writer = csv.writer(_Echo())
    rows = [["hearth_id", "first_name", "last_name", "date_of_birth", "sex"]] + [
        [p.hearth_id, p.first_name, p.last_name, p.date_of_birth.isoformat() if p.date_of_birth else "", p.sex]
        for p in people
    ]
    response = StreamingHttpResponse((writer.writerow(r) for r in rows), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="hearth-children-{timezone.localdate()}.csv"'
    return response
