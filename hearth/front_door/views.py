"""The front door: the queue, recording, screening and deciding contacts, early help, mystery-shopper checks."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from hearth.access.selectors import people_visible_to
from hearth.accounts.models import User
from hearth.audit.models import StaleVersionError
from hearth.cin.models import CINEpisode
from hearth.clocks.models import holiday_set
from hearth.clocks.working_days import LONDON
from hearth.oversight.models import DecisionPoint
from hearth.oversight.selectors import gate_is_on, oversight_for
from hearth.people.forms import AddressForm, NewPersonForm
from hearth.people.models import Person
from hearth.people.selectors import likely_matches_for
from hearth.people.views import open_record
from hearth.workspace.forms import STALE_MESSAGE, add_service_errors, adopt_current_version, show_refusal
from hearth.workspace.resubmission import refuses_resubmission
from hearth.workspace.selectors import draft_as_querydict, draft_for
from hearth.workspace.services import draft_discard

from . import selectors, services
from .charts import trend_charts
from .forms import (
    OPEN_CASE,
    ContactForm,
    DecideForm,
    EarlyHelpEndForm,
    EarlyHelpForm,
    MysteryShopForm,
    QueueFilterForm,
    ScreenForm,
    StepUpForm,
)
from .models import Contact, EarlyHelpEpisode

PRIORITY_COLOURS = {"red": "red", "amber": "orange", "green": "green"}
STATUS_COLOURS = {"received": "grey", "screening": "blue", "decided": "green"}
DETAIL_LABELS = {
    "first_name": "First name", "last_name": "Last name", "date_of_birth": "Date of birth", "sex": "Sex",
    "address": "Address", "postcode": "Postcode", "school": "School or nursery",
    "parents_or_carers": "Parents or carers", "nhs_number": "NHS number", "upn": "UPN",
    "date_of_birth_unknown": "Date of birth not known", "approximate_age": "Approximate age",
    "first_language": "First language", "interpreter_needed": "Interpreter needed",
    "household_notes": "About the household", "immediate_risk": "Referrer says the child is at immediate risk",
}


def _staff(request: HttpRequest, perm: str, obj: Any = None) -> User:
    """The signed-in member of staff, if they may do this. Case access is checked as well as the rule,
    because Django lets a superuser through every has_perm."""
    user = request.user
    if not isinstance(user, User) or not user.has_case_access or not user.has_perm(perm, obj):
        raise PermissionDenied
    return user


def _contact_or_404(user: User, pk: int) -> Contact:
    contact = selectors.contact_get(user=user, pk=pk)
    if contact is None:
        raise Http404
    return contact


def _open_child(request: HttpRequest, contact: Contact) -> HttpResponse | None:
    """Open the contact's child as a record view (logged), or the refusal page when the user may not see them."""
    if contact.child_id is None:
        return None
    opened = open_record(request, contact.child_id)
    return opened if isinstance(opened, HttpResponse) else None


def _tag(value: str, label: str, colours: dict[str, str]) -> dict[str, str]:
    return {"text": label, "colour": colours.get(value, "grey")}


# ---------------------------------------------------------------- the queue


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    user = _staff(request, "front_door.view_queue")
    filters = QueueFilterForm(request.GET or None)
    status = priority = ""
    if filters.is_valid():
        status, priority = filters.cleaned_data["status"], filters.cleaned_data["priority"]
    holidays = holiday_set()
    today = timezone.localdate()
    now = timezone.now()
    rows = []
    for contact in selectors.contact_queue(user=user, status=status, priority=priority):
        rows.append({
            "contact": contact,
            "clock": selectors.decision_clock(contact, today=today, holidays=holidays),
            "waiting": selectors.waiting_text(contact.received_at, now=now, holidays=holidays),
            "priority": _tag(contact.priority, contact.priority.title() or "Not screened", PRIORITY_COLOURS),
            "status": _tag(contact.status, contact.get_status_display(), STATUS_COLOURS),
            "child_name": contact.child.full_name if contact.child else "",
            "child_hint": " ".join(str(contact.child_details.get(k, "")) for k in ("first_name", "last_name")).strip(),
        })
    decided = []
    for contact in selectors.contacts_decided_recently(user=user)[:200]:
        decided.append({
            "contact": contact,
            "clock": selectors.decision_clock(contact, holidays=holidays),
            "child_name": contact.child.full_name if contact.child else "",
        })
    return render(request, "front_door/queue.html", {
        "filters": filters, "rows": rows, "decided": decided, "days": selectors.DECIDED_LIST_DAYS,
        "can_record": user.has_perm("front_door.record_contact"),
        "is_manager": user.has_perm("front_door.view_early_help_list"),
    })


# ---------------------------------------------------------------- recording a contact


def _preset_child(request: HttpRequest) -> Person | HttpResponse | None:
    """The child a contact is recorded from their record for: a view of that record (logged), or its refusal."""
    pk = request.GET.get("child") or request.POST.get("child")
    if not pk or not str(pk).isdigit():
        return None
    return open_record(request, int(pk))


@login_required
@require_http_methods(["GET", "POST"])
@refuses_resubmission
def contact_new(request: HttpRequest) -> HttpResponse:
    user = _staff(request, "front_door.record_contact")
    child = _preset_child(request)
    if isinstance(child, HttpResponse):
        return child
    draft_key = f"front-door-contact-new{'-' + str(child.pk) if child else ''}"
    restored_at = None
    if request.method == "POST":
        form = ContactForm(request.POST)
        if form.is_valid() and form.cleaned_data["received_at"] is not None:
            data = form.cleaned_data
            council = user.local_authority
            assert council is not None
            try:
                contact = services.contact_receive(
                    local_authority=council, received_at=data["received_at"], channel=data["channel"],
                    source=data["source"], concerns=data["concerns"], consent=data["consent"], by=user,
                    child=child, child_details=form.child_details(), consent_notes=data["consent_notes"],
                    referrer_name=data["referrer_name"], referrer_organisation=data["referrer_organisation"],
                    referrer_role=data["referrer_role"], referrer_phone=data["referrer_phone"],
                    referrer_email=data["referrer_email"],
                )
            except ValidationError as error:
                if hasattr(error, "error_dict") and "received_at" in error.error_dict:
                    form.add_error("received_time", error.error_dict.pop("received_at"))
                add_service_errors(form, error)
            else:
                draft_discard(user=user, key=draft_key)
                messages.success(request, f"Contact {contact.reference} recorded")
                if contact.child_id is None:
                    return redirect("front_door:contact_child", pk=contact.pk)
                return redirect("front_door:contact", pk=contact.pk)
    else:
        draft = draft_for(user=user, key=draft_key)
        if draft is not None:
            form = ContactForm(draft_as_querydict(draft))
            restored_at = draft.saved_at
        else:
            now = timezone.localtime(timezone.now(), LONDON)
            form = ContactForm(initial={"received_on": now.date(), "received_time": f"{now:%H:%M}"})
    return render(request, "front_door/contact_new.html", {
        "form": form, "child": child, "draft_key": draft_key, "restored_at": restored_at,
    })


# ---------------------------------------------------------------- the contact page


def _as_date(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def _detail_value(key: str, value: Any) -> str:
    if key == "date_of_birth" and _as_date(value) is not None:
        return f"{_as_date(value):%-d %B %Y}"
    if key == "sex":
        return dict(Person.Sex.choices).get(value, str(value))
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, list):
        return "\n".join(_detail_value(key, item) for item in value)
    if isinstance(value, dict):
        return ", ".join(str(v) for v in value.values() if v not in (None, "", False))
    return str(value)


def _detail_rows(details: dict[str, Any]) -> list[dict[str, str]]:
    """What the referrer said about the child, as summary rows (answers left blank are not shown)."""
    skip = {"address_line_1", "address_line_2", "town"} if details.get("address") else set()
    return [
        {"key": DETAIL_LABELS.get(key, key.replace("_", " ").capitalize()), "value": _detail_value(key, value)}
        for key, value in details.items() if value not in (None, "", [], {}, False) and key not in skip
    ]


def _contact_context(contact: Contact, user: User) -> dict[str, Any]:
    return {
        "contact": contact,
        "clock": selectors.decision_clock(contact),
        "priority_tag": _tag(contact.priority, contact.get_priority_display(), PRIORITY_COLOURS)
        if contact.priority else None,
        "status_tag": _tag(contact.status, contact.get_status_display(), STATUS_COLOURS),
    }


@login_required
def contact_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _staff(request, "front_door.view_queue")
    contact = _contact_or_404(user, pk)
    refused = _open_child(request, contact)
    if refused is not None:
        return refused
    cin_episode = CINEpisode.objects.filter(contact=contact).first()
    early_help = list(contact.early_help_episodes.all())
    referrer = [
        {"key": "Name", "value": contact.referrer_name or "Not given"},
        {"key": "Organisation", "value": contact.referrer_organisation or "Not given"},
        {"key": "Role or relationship", "value": contact.referrer_role or "Not given"},
        {"key": "Telephone", "value": contact.referrer_phone or "Not given"},
        {"key": "Email", "value": contact.referrer_email or "Not given"},
    ]
    return render(request, "front_door/contact.html", {
        **_contact_context(contact, user),
        "referrer": referrer,
        "child_rows": _detail_rows(contact.child_details),
        "cin_episode": cin_episode,
        "early_help": early_help,
        "oversight": list(oversight_for(subject=contact, decision_point=DecisionPoint.CONTACT_DECISION)),
        "may_decide": services.may_decide(contact=contact, user=user),
        "gate_on": gate_is_on(local_authority=contact.local_authority_id,
                              decision_point=DecisionPoint.CONTACT_DECISION),
    })


# ---------------------------------------------------------------- who the child is


def _identity(data: dict[str, Any]) -> str:
    """What the likely matches were looked for with: creating holds only for the same answers."""
    return "|".join(str(data.get(name) or "").strip().lower()
                    for name in ("first_name", "last_name", "date_of_birth", "nhs_number", "upn", "postcode"))


def _initial_who(details: dict[str, Any]) -> dict[str, Any]:
    initial = {k: details[k] for k in ("first_name", "last_name", "date_of_birth", "sex", "nhs_number", "upn",
                                       "postcode") if details.get(k)}
    return initial


def _initial_address(details: dict[str, Any]) -> dict[str, Any]:
    """The referrer's address as the address boxes: first line, then the rest, the last part as the town."""
    if details.get("address_line_1"):
        return {"line_1": details["address_line_1"], "line_2": details.get("address_line_2", ""),
                "town": details.get("town", ""), "postcode": details.get("postcode", "")}
    parts = [p.strip() for p in str(details.get("address", "")).replace("\n", ",").split(",") if p.strip()]
    initial: dict[str, Any] = {"postcode": details.get("postcode", "")}
    if parts and parts[-1].replace(" ", "").upper() == str(details.get("postcode", "")).replace(" ", "").upper():
        parts = parts[:-1]
    if parts:
        initial["line_1"] = parts[0]
    if len(parts) >= 2:
        initial["town"] = parts[-1]
    if len(parts) >= 3:
        initial["line_2"] = ", ".join(parts[1:-1])
    return initial


@login_required
@require_http_methods(["GET", "POST"])
def contact_child(request: HttpRequest, pk: int) -> HttpResponse:
    """Find the child among the records that may be them, or make a new record once they have been looked at."""
    user = _staff(request, "front_door.record_contact")
    contact = _contact_or_404(user, pk)
    if contact.child_id is not None or contact.is_decided:
        return redirect("front_door:contact", pk=contact.pk)
    details = contact.child_details
    who = NewPersonForm(request.POST if request.method == "POST" else None, initial=_initial_who(details))
    address = AddressForm(request.POST if request.method == "POST" else None, optional=True, prefix="address",
                          initial=_initial_address(details))
    searched_for: dict[str, Any] = {}
    if request.method == "POST":
        if request.POST.get("use"):
            chosen = request.POST["use"]
            existing = people_visible_to(user=user).filter(pk=int(chosen)).first() if chosen.isdigit() else None
            if existing is None:
                raise Http404
            try:
                services.contact_link_child(contact=contact, child=existing, by=user)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, f"Contact {contact.reference} is now linked to {existing.full_name}")
                return redirect("front_door:contact", pk=contact.pk)
        who_ok = who.is_valid()
        address_ok = address.is_valid()
        if who_ok:
            searched_for = who.cleaned_data
        if request.POST.get("create") and who_ok and address_ok:
            if request.POST.get("checked_for") != _identity(who.cleaned_data):
                messages.info(request, "The details changed, so check the records that may be this child first.")
            else:
                data = who.cleaned_data
                person_details = {k: data[k] for k in ("first_name", "last_name", "date_of_birth",
                                                       "expected_date_of_birth", "sex", "nhs_number", "upn")}
                home = address.address() if not address.is_blank else None
                try:
                    person = services.contact_create_child(contact=contact, by=user, address=home, **person_details)
                except ValidationError as error:
                    add_service_errors(who, error)
                else:
                    messages.success(request, f"Record created for {person.full_name} and linked to contact "
                                              f"{contact.reference}")
                    return redirect("front_door:contact", pk=contact.pk)
    elif details.get("first_name") and details.get("last_name"):
        searched_for = {**_initial_who(details)}
        searched_for["date_of_birth"] = _as_date(searched_for.get("date_of_birth"))
    matches = []
    if searched_for.get("first_name") and searched_for.get("last_name"):
        matches = likely_matches_for(
            user=user, first_name=searched_for["first_name"], last_name=searched_for["last_name"],
            date_of_birth=searched_for.get("date_of_birth"), nhs_number=searched_for.get("nhs_number") or "",
            upn=searched_for.get("upn") or "", postcode=searched_for.get("postcode") or "",
        )
    return render(request, "front_door/contact_child.html", {
        **_contact_context(contact, user),
        "who": who, "address": address, "matches": matches, "searched": bool(searched_for),
        "checked_for": _identity(searched_for) if searched_for else "",
        "child_rows": _detail_rows(details),
    })


# ---------------------------------------------------------------- screening


def _stale(form: forms.Form, error: StaleVersionError, record: Contact | EarlyHelpEpisode) -> Any:
    """Someone saved first: keep the typing, re-read the record, and return their change to show."""
    adopt_current_version(form, error.current_version)
    form.add_error(None, STALE_MESSAGE)
    record.refresh_from_db()
    return error.last_change


@login_required
@require_http_methods(["GET", "POST"])
def contact_screen(request: HttpRequest, pk: int) -> HttpResponse:
    user = _staff(request, "front_door.screen_contact")
    contact = _contact_or_404(user, pk)
    refused = _open_child(request, contact)
    if refused is not None:
        return refused
    if contact.is_decided:
        messages.info(request, "This contact has been decided, so its screening can no longer be changed.")
        return redirect("front_door:contact", pk=contact.pk)
    conflict = None
    if request.method == "POST":
        form = ScreenForm(request.POST)
        if form.is_valid():
            contact.version = form.cleaned_data["version"]
            try:
                services.contact_screen(contact=contact, priority=form.cleaned_data["priority"],
                                        notes=form.cleaned_data["notes"], by=user)
            except StaleVersionError as stale:
                conflict = _stale(form, stale, contact)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, f"Screening saved: {contact.get_priority_display()}")
                return redirect("front_door:contact", pk=contact.pk)
    else:
        form = ScreenForm(initial={"priority": contact.priority, "notes": contact.screening_notes,
                                   "version": contact.version})
    return render(request, "front_door/contact_screen.html", {
        **_contact_context(contact, user), "form": form, "conflict": conflict,
        "draft_key": f"front-door-screen-{contact.pk}",
    })


# ---------------------------------------------------------------- the decision


def _after_strategy_decision(child: Person, contact: Contact) -> str:
    try:
        return reverse("protection:strategy_new", kwargs={"person_pk": child.pk})
    except NoReverseMatch:
        pass
    try:
        return reverse("cin:overview", kwargs={"person_pk": child.pk})
    except NoReverseMatch:
        return reverse("front_door:contact", args=[contact.pk])


def _decided_meanwhile(request: HttpRequest, contact: Contact, user: User) -> HttpResponse:
    """Someone else decided while this user was typing: say who, and show their typing so it is not lost."""
    form = DecideForm(request.POST, local_authority_id=contact.local_authority_id,
                      open_case=request.POST.get("decision") == OPEN_CASE)
    form.is_valid()
    who = contact.decided_by.get_full_name() if contact.decided_by else "Someone else"
    at = timezone.localtime(contact.decided_at, LONDON) if contact.decided_at else None
    when = f" at {at:%H:%M} on {at.day} {at:%B %Y}" if at else ""
    form.add_error(None, f"{who} recorded the decision on this contact{when}: {contact.get_decision_display()}. "
                         "Your decision has not been saved; what you typed is shown below.")
    return render(request, "front_door/contact_decide.html", {
        **_contact_context(contact, user), "form": form, "conflict": None, "open_episode": None,
        "draft_key": f"front-door-decide-{contact.pk}", "restored_at": None,
        "gate_on": gate_is_on(local_authority=contact.local_authority_id,
                              decision_point=DecisionPoint.CONTACT_DECISION),
    })


@login_required
@require_http_methods(["GET", "POST"])
def contact_decide(request: HttpRequest, pk: int) -> HttpResponse:
    user = _staff(request, "front_door.view_queue")
    contact = _contact_or_404(user, pk)
    refused = _open_child(request, contact)
    if refused is not None:
        return refused
    if (contact.is_decided and request.method == "POST" and contact.child is not None
            and request.POST.get("version") != str(contact.version)):
        # They opened the form before the decision was made (an older version): keep their typing in view.
        return _decided_meanwhile(request, contact, user)
    if contact.is_decided:
        messages.info(request, "This contact has already been decided. A decision is recorded once.")
        return redirect("front_door:contact", pk=contact.pk)
    if contact.child is None:
        messages.info(request, "Find or add the child before recording the decision.")
        return redirect("front_door:contact_child", pk=contact.pk)
    if not user.has_perm("front_door.decide_contact", contact):
        raise PermissionDenied
    child = contact.child
    open_episode = CINEpisode.objects.filter(child=child, closed_on__isnull=True).first()
    council = contact.local_authority_id
    conflict = None
    draft_key = f"front-door-decide-{contact.pk}"
    restored_at = None
    if request.method == "POST":
        form = DecideForm(request.POST, local_authority_id=council, open_case=open_episode is not None)
        if form.is_valid():
            data = form.cleaned_data
            contact.version = data["version"]
            to_open_case = data["decision"] == OPEN_CASE
            try:
                services.contact_decide(
                    contact=contact, decision=data["decision"] if not to_open_case else "", by=user,
                    rationale=data["rationale"], team=data["team"], primary_need=data["primary_need"],
                    add_to_open_case=to_open_case,
                )
            except StaleVersionError as stale:
                conflict = _stale(form, stale, contact)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                draft_discard(user=user, key=draft_key)
                messages.success(request, f"Decision recorded: {contact.get_decision_display()}")
                if contact.decision == Contact.Decision.STRATEGY_DISCUSSION:
                    return redirect(_after_strategy_decision(child, contact))
                return redirect("front_door:contact", pk=contact.pk)
    else:
        draft = draft_for(user=user, key=draft_key)
        if draft is not None:
            form = DecideForm(draft_as_querydict(draft), local_authority_id=council,
                              open_case=open_episode is not None)
            restored_at = draft.saved_at
        else:
            form = DecideForm(initial={"version": contact.version}, local_authority_id=council,
                              open_case=open_episode is not None)
    return render(request, "front_door/contact_decide.html", {
        **_contact_context(contact, user), "form": form, "conflict": conflict, "open_episode": open_episode,
        "draft_key": draft_key, "restored_at": restored_at,
        "gate_on": gate_is_on(local_authority=council, decision_point=DecisionPoint.CONTACT_DECISION),
    })


# ---------------------------------------------------------------- early help


def _episode_for(request: HttpRequest, pk: int) -> tuple[User, EarlyHelpEpisode] | HttpResponse:
    user = _staff(request, "front_door.manage_early_help")
    episode = selectors.early_help_get(user=user, pk=pk)
    if episode is None:
        raise Http404
    opened = open_record(request, episode.child_id)
    if isinstance(opened, HttpResponse):
        return opened
    return user, episode


@login_required
def early_help_list(request: HttpRequest) -> HttpResponse:
    user = _staff(request, "front_door.view_early_help_list")
    today = timezone.localdate()
    rows = [{"episode": e, "weeks": (today - e.started_on).days // 7} for e in selectors.early_help_open(user=user)]
    return render(request, "front_door/early_help_list.html", {"rows": rows})


@login_required
def early_help_detail(request: HttpRequest, pk: int) -> HttpResponse:
    found = _episode_for(request, pk)
    if isinstance(found, HttpResponse):
        return found
    _, episode = found
    return render(request, "front_door/early_help.html", {"episode": episode, "person": episode.child})


@login_required
@require_http_methods(["GET", "POST"])
def early_help_edit(request: HttpRequest, pk: int) -> HttpResponse:
    found = _episode_for(request, pk)
    if isinstance(found, HttpResponse):
        return found
    user, episode = found
    conflict = None
    council = episode.local_authority_id
    if request.method == "POST":
        form = EarlyHelpForm(request.POST, local_authority_id=council)
        if form.is_valid():
            data = form.cleaned_data
            episode.version = data["version"]
            try:
                services.early_help_update(
                    episode=episode, by=user, lead_team=data["lead_team"], lead_professional=data["lead_professional"],
                    assessment_organisation=data["assessment_organisation"],
                    assessment_started_on=data["assessment_started_on"],
                    assessment_completed_on=data["assessment_completed_on"],
                )
            except StaleVersionError as stale:
                conflict = _stale(form, stale, episode)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, "Early help details saved")
                return redirect("front_door:early_help", pk=episode.pk)
    else:
        form = EarlyHelpForm(local_authority_id=council, initial={
            "lead_team": episode.lead_team_id, "lead_professional": episode.lead_professional,
            "assessment_organisation": episode.assessment_organisation,
            "assessment_started_on": episode.assessment_started_on,
            "assessment_completed_on": episode.assessment_completed_on, "version": episode.version,
        })
    return render(request, "front_door/early_help_edit.html", {
        "episode": episode, "person": episode.child, "form": form, "conflict": conflict,
    })


def _closed(request: HttpRequest, episode: EarlyHelpEpisode) -> HttpResponse | None:
    if episode.ended_on is not None:
        messages.info(request, f"This early help ended on {episode.ended_on:%-d %B %Y}.")
        return redirect("front_door:early_help", pk=episode.pk)
    return None


def _early_help_change(request: HttpRequest, pk: int, *, form: Callable[[EarlyHelpEpisode], forms.Form],
                       save: Callable[[EarlyHelpEpisode, User, dict[str, Any]], object], done: str,
                       template: str) -> HttpResponse:
    """One change to an open early help episode: the versioned form, the service, and a refusal shown with the
    typing kept."""
    found = _episode_for(request, pk)
    if isinstance(found, HttpResponse):
        return found
    user, episode = found
    if (closed := _closed(request, episode)) is not None:
        return closed
    bound = form(episode)
    if request.method == "POST" and bound.is_valid():
        episode.version = bound.cleaned_data["version"]
        try:
            save(episode, user, bound.cleaned_data)
        except (StaleVersionError, ValidationError) as refused:
            show_refusal(bound, refused)
        else:
            messages.success(request, done)
            return redirect("front_door:early_help", pk=episode.pk)
    return render(request, template, {"episode": episode, "person": episode.child, "form": bound})


@login_required
@require_http_methods(["GET", "POST"])
def early_help_end(request: HttpRequest, pk: int) -> HttpResponse:
    return _early_help_change(
        request, pk,
        form=lambda episode: EarlyHelpEndForm(request.POST or None, initial={"version": episode.version}),
        save=lambda episode, user, data: services.early_help_end(episode=episode, ended_on=data["ended_on"],
                                                                 outcome=data["outcome"], by=user),
        done="Early help ended", template="front_door/early_help_end.html",
    )


@login_required
@require_http_methods(["GET", "POST"])
def early_help_step_up(request: HttpRequest, pk: int) -> HttpResponse:
    return _early_help_change(
        request, pk,
        form=lambda episode: StepUpForm(request.POST or None, local_authority_id=episode.local_authority_id,
                                        initial={"version": episode.version, "on": timezone.localdate()}),
        save=lambda episode, user, data: services.early_help_step_up(
            episode=episode, on=data["on"], by=user, team=data["team"], primary_need=data["primary_need"]),
        done="Stepped up: a referral to children's social care is open",
        template="front_door/early_help_step_up.html",
    )


# ---------------------------------------------------------------- mystery shopper


@login_required
def mystery_shop(request: HttpRequest) -> HttpResponse:
    user = _staff(request, "front_door.view_mystery_shop")
    months = selectors.mystery_shop_trend(local_authority=user.local_authority_id or 0)
    return render(request, "front_door/mystery_shop.html", {
        "months": months, "charts": trend_charts(months),
        "recent": list(selectors.mystery_shop_recent(local_authority=user.local_authority_id or 0)),
    })


@login_required
@require_http_methods(["GET", "POST"])
@refuses_resubmission
def mystery_shop_new(request: HttpRequest) -> HttpResponse:
    user = _staff(request, "front_door.record_mystery_shop")
    form = MysteryShopForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and form.cleaned_data["carried_out_at"] is not None:
        data = form.cleaned_data
        council = user.local_authority
        assert council is not None
        try:
            services.mystery_shop_record(
                local_authority=council, carried_out_at=data["carried_out_at"], channel=data["channel"],
                outcome=data["outcome"], by=user, seconds_to_answer=data["seconds_to_answer"],
                advice_quality=data["advice_quality"], scenario=data["scenario"], notes=data["notes"],
            )
        except ValidationError as error:
            if hasattr(error, "error_dict") and "carried_out_at" in error.error_dict:
                form.add_error("carried_out_time", error.error_dict.pop("carried_out_at"))
            add_service_errors(form, error)
        else:
            messages.success(request, "Mystery-shopper check recorded")
            return redirect("front_door:mystery_shop")
    return render(request, "front_door/mystery_shop_new.html", {"form": form})
