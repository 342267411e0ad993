from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.template import TemplateDoesNotExist
from django.template.loader import get_template, render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hearth.access import services as access_services
from hearth.access.models import AccessEvent
from hearth.accounts.models import User
from hearth.audit.models import StaleVersionError
from hearth.people.models import Person
from hearth.people.views import RestrictedRecord, _person_for, _refused
from hearth.workspace.forms import adopt_current_version
from hearth.workspace.models import FormDraft
from hearth.workspace.pdf import pdf_filename, pdf_response
from hearth.workspace.resubmission import refuses_resubmission
from hearth.workspace.selectors import draft_as_querydict, draft_for
from hearth.workspace.services import draft_discard

from .forms import CaseNoteForm, ChronologyFilterForm, HideEventForm
from .models import CaseNote
from .selectors import case_note_for, chronology_event_for, chronology_for, chronology_types_for
from .services import (
    case_note_create,
    case_note_update,
    chronology_flag_significant,
    chronology_hide,
    may_edit_note,
    sanitise_note_html,
)

PAGE_SIZE = 50
# Weasyprint lays out roughly 40 events a second; past this a print would outlast the request.
PDF_MAX_EVENTS = 1000
RECORD_NAV = "people/_record_nav.html"
RECORD_STYLES = "people/_record_styles.html"


def _template_or_none(name: str) -> str | None:
    """The record's sub-navigation and its styles belong to the people app; use them once they exist."""
    try:
        get_template(name)
    except TemplateDoesNotExist:
        return None
    return name


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _log(request: HttpRequest, person: Person, action: str) -> None:
    access_services.access_record(user=_user(request), person=person, action=action, page=request.get_full_path())


def _base_context(person: Person, **extra: Any) -> dict[str, Any]:
    return {
        "person": person,
        "record_nav": _template_or_none(RECORD_NAV),
        "record_styles": _template_or_none(RECORD_STYLES),
        "nav_current": "chronology",
        **extra,
    }


def _filter_form(request: HttpRequest, person: Person) -> ChronologyFilterForm:
    present = chronology_types_for(user=_user(request), person=person)
    form = ChronologyFilterForm(request.GET or None, present_types=present)
    form.is_valid()
    return form


def _filter_query(request: HttpRequest) -> str:
    """The filter part of the query string, for pagination and the PDF link."""
    keep = [(k, v) for k in request.GET for v in request.GET.getlist(k) if k != "page"]
    return urlencode(keep)


@login_required
@require_GET
def index(request: HttpRequest, person_pk: int) -> HttpResponse:
    try:
        person = _person_for(request, person_pk)
    except RestrictedRecord as refused:
        return _refused(request, refused.person)
    _log(request, person, AccessEvent.Action.VIEW)
    user = _user(request)
    form = _filter_form(request, person)
    events = chronology_for(user=user, person=person, **form.filters())
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    query = _filter_query(request)
    context = _base_context(
        person,
        form=form,
        page_obj=page,
        page_range=page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1),
        filter_query=query,
        querystring_prefix=f"{query}&" if query else "",
        filtered=bool(query),
        next_url=request.get_full_path(),
    )
    if getattr(request, "htmx", False):
        # The filters and results swap together, so errors appear and clear with them; htmx keeps focus by id.
        return render(request, "chronology/_page.html", context)
    return render(request, "chronology/index.html", context)


@login_required
@require_GET
def pdf(request: HttpRequest, person_pk: int) -> HttpResponse:
    try:
        person = _person_for(request, person_pk)
    except RestrictedRecord as refused:
        return _refused(request, refused.person)
    user = _user(request)
    _log(request, person, AccessEvent.Action.PRINT)
    form = _filter_form(request, person)
    printed_at = timezone.localtime()
    events = list(chronology_for(user=user, person=person, **form.filters())[: PDF_MAX_EVENTS + 1])
    html = render_to_string(
        "chronology/pdf.html",
        {
            "person": person,
            "events": events[:PDF_MAX_EVENTS],
            "truncated_at": PDF_MAX_EVENTS if len(events) > PDF_MAX_EVENTS else None,
            "form": form,
            "filters": _describe_filters(form),
            "printed_by": user.get_full_name() or user.get_username(),
            "printed_at": printed_at,
            "council_name": settings.HEARTH_COUNCIL_NAME,
        },
        request=request,
    )
    return pdf_response(html, filename=pdf_filename("chronology", person.hearth_id, printed_at))


def _describe_filters(form: ChronologyFilterForm) -> list[str]:
    filters = form.filters()
    labels = dict(form.fields["types"].choices)  # type: ignore[attr-defined]
    described = []
    if filters["event_types"]:
        described.append("Types: " + ", ".join(str(labels.get(t, t)) for t in filters["event_types"]))
    if filters["start"] or filters["end"]:
        start = filters["start"].strftime("%-d %B %Y") if filters["start"] else "the beginning"
        end = filters["end"].strftime("%-d %B %Y") if filters["end"] else "today"
        described.append(f"From {start} to {end}")
    if filters["significant_only"]:
        described.append("Significant events only")
    return described


# ---------------------------------------------------------------- case notes


def _note_initial(note: CaseNote | None) -> dict[str, Any]:
    if note is None:
        now = timezone.localtime()
        return {"occurred_on": now.date(), "occurred_time": now.strftime("%H:%M"), "version": 0}
    at = timezone.localtime(note.occurred_at)
    return {
        "occurred_on": at.date(),
        "occurred_time": at.strftime("%H:%M"),
        "title": note.title,
        "body_html": note.body_html,
        "significant": note.significant,
        "version": note.version,
    }


def _restored(draft: FormDraft) -> QueryDict:
    # A draft holds what the browser sent: make it safe before it goes back into the editor.
    data = draft_as_querydict(draft)
    if "body_html" in data:
        data["body_html"] = sanitise_note_html(str(data.get("body_html", "")))
    return data


def _save_errors(form: CaseNoteForm, error: ValidationError) -> None:
    fields = {"occurred_at": "occurred_time"}
    for field, errors in error.message_dict.items():
        target = fields.get(field, field)
        form.add_error(target if target in form.fields else None, errors)


@login_required
@require_http_methods(["GET", "POST"])
@refuses_resubmission
def note_new(request: HttpRequest, person_pk: int) -> HttpResponse:
    try:
        person = _person_for(request, person_pk)
    except RestrictedRecord as refused:
        return _refused(request, refused.person)
    user = _user(request)
    draft_key = f"case-note-{person.pk}-new"
    restored_at = None
    if request.method == "POST":
        form = CaseNoteForm(request.POST, new=True)
        if form.is_valid():
            data = form.cleaned_data
            try:
                case_note_create(
                    person=person, occurred_at=data["occurred_at"], title=data["title"],
                    body_html=data["body_html"], significant=data["significant"], by=user,
                )
            except ValidationError as error:
                _save_errors(form, error)
            else:
                draft_discard(user=user, key=draft_key)
                messages.success(request, "Case note added to the chronology")
                return redirect("chronology:index", person_pk=person.pk)
    else:
        draft = draft_for(user=user, key=draft_key)
        if draft is not None:
            form = CaseNoteForm(_restored(draft), new=True)
            restored_at = draft.saved_at
        else:
            form = CaseNoteForm(initial=_note_initial(None), new=True)
    _log(request, person, AccessEvent.Action.VIEW)
    return render(
        request,
        "chronology/note_form.html",
        _base_context(person, form=form, draft_key=draft_key, restored_at=restored_at, note=None),
    )


@login_required
@require_http_methods(["GET", "POST"])
def note_edit(request: HttpRequest, person_pk: int, pk: int) -> HttpResponse:
    try:
        person = _person_for(request, person_pk)
    except RestrictedRecord as refused:
        return _refused(request, refused.person)
    user = _user(request)
    note = case_note_for(user=user, person=person, pk=pk)
    if note is None:
        raise Http404
    if not may_edit_note(user=user, note=note):
        if request.method == "POST":
            raise PermissionDenied
        _log(request, person, AccessEvent.Action.VIEW)
        return render(request, "chronology/note.html", _base_context(person, note=note))
    draft_key = f"case-note-{person.pk}-{note.pk}"
    restored_at = None
    conflict = None
    if request.method == "POST":
        form = CaseNoteForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                case_note_update(
                    note=note, expected_version=data["version"], occurred_at=data["occurred_at"],
                    title=data["title"], body_html=data["body_html"], significant=data["significant"], by=user,
                )
            except StaleVersionError as stale:
                conflict = stale.last_change
                adopt_current_version(form, stale.current_version)
                form.add_error(
                    None,
                    "Someone else saved changes to this note after you opened it. Your changes have not been "
                    "saved and are shown below. Check the current note, then save again.",
                )
                note.refresh_from_db()
            except ValidationError as error:
                _save_errors(form, error)
            else:
                draft_discard(user=user, key=draft_key)
                messages.success(request, "Case note saved")
                return redirect("chronology:index", person_pk=person.pk)
    else:
        draft = draft_for(user=user, key=draft_key)
        if draft is not None:
            form = CaseNoteForm(_restored(draft))
            restored_at = draft.saved_at
        else:
            form = CaseNoteForm(initial=_note_initial(note))
    _log(request, person, AccessEvent.Action.VIEW)
    return render(
        request,
        "chronology/note_form.html",
        _base_context(person, form=form, draft_key=draft_key, restored_at=restored_at, note=note,
                      conflict=conflict),
    )


# ---------------------------------------------------------------- significant and hidden


def _back_to(request: HttpRequest, person: Person) -> str:
    target = request.POST.get("next", "")
    index_url = reverse("chronology:index", kwargs={"person_pk": person.pk})
    if target.startswith(index_url) and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return index_url


@login_required
@require_POST
def significant(request: HttpRequest, person_pk: int, pk: int) -> HttpResponse:
    try:
        person = _person_for(request, person_pk)
    except RestrictedRecord:
        raise Http404 from None
    user = _user(request)
    event = chronology_event_for(user=user, person=person, pk=pk)
    if event is None:
        raise Http404
    flag = request.POST.get("significant") == "true"
    event = chronology_flag_significant(event=event, significant=flag, by=user)
    if getattr(request, "htmx", False):
        return render(
            request,
            "chronology/_event.html",
            _base_context(person, event=event, next_url=request.POST.get("next", ""), announce=True),
        )
    messages.success(request, "Marked as a significant event" if flag else "No longer marked as significant")
    return redirect(_back_to(request, person))


@login_required
@require_http_methods(["GET", "POST"])
def hide(request: HttpRequest, person_pk: int, pk: int) -> HttpResponse:
    try:
        person = _person_for(request, person_pk)
    except RestrictedRecord:
        raise Http404 from None
    user = _user(request)
    if not user.is_manager:
        raise PermissionDenied
    event = chronology_event_for(user=user, person=person, pk=pk)
    if event is None:
        raise Http404
    form = HideEventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            chronology_hide(event=event, reason=form.cleaned_data["reason"], by=user)
        except ValidationError as error:
            form.add_error("reason", error.message_dict.get("reason", error.messages))
        else:
            messages.success(request, "The event is hidden from the chronology. It stays in the record's history.")
            return redirect("chronology:index", person_pk=person.pk)
    _log(request, person, AccessEvent.Action.VIEW)
    return render(request, "chronology/hide.html", _base_context(person, form=form, event=event))

