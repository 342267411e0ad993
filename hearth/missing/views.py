"""Views for the child's Missing tab, the advocate's return interview tray and the exploitation lead's patterns.

Thin: open the record (access checked and logged), build the form, call the service, redirect or show the
form again with the refusal beside its field and everything typed kept.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hearth.accounts.models import User
from hearth.care.selectors import looked_after_on
from hearth.people.models import Person
from hearth.people.views import open_record
from hearth.protection.forms import StrategyDiscussionForm
from hearth.protection.services import missing_core_agencies, open_episode_for
from hearth.workspace.pages import acting_user, restore_draft, saved
from hearth.workspace.resubmission import refuses_resubmission
from hearth.workspace.services import draft_discard

from . import selectors, services
from .forms import (
    AdvocateForm,
    EpisodeEditForm,
    EpisodeNewForm,
    InterviewCompleteForm,
    InterviewOfferForm,
    InterviewResponseForm,
    PeriodForm,
    ReturnForm,
    ScreeningForm,
    linked_as_text,
    moment_initial,
)
from .models import ExploitationScreening, MissingEpisode, ReturnInterview

View = Callable[..., HttpResponse]


def _child_view(view: View) -> View:
    """Open the child for this user: the refusal page for a restricted record, 404 for one they may not know of.
    Every request is access-logged, a form posted and saved as much as a page shown."""

    @wraps(view)
    def wrapped(request: HttpRequest, person_pk: int, *args: Any, **kwargs: Any) -> HttpResponse:
        person = open_record(request, person_pk)
        if isinstance(person, HttpResponse):
            return person
        if not request.user.has_perm("missing.record", person):
            raise PermissionDenied
        return view(request, person, *args, **kwargs)

    return wrapped


def _page(request: HttpRequest, person: Person, template: str, **context: Any) -> HttpResponse:
    return render(request, template, {"person": person, "nav_current": "missing", "now": timezone.now(),
                                      "today": timezone.localdate(), **context})


def _episode(person: Person, pk: int) -> MissingEpisode:
    episode = selectors.episode_for(child=person, pk=pk)
    if episode is None:
        raise Http404
    return episode


def _interview(person: Person, pk: int) -> ReturnInterview:
    episode = _episode(person, pk)
    interview: ReturnInterview | None = getattr(episode, "interview", None)
    if interview is None:
        raise Http404
    return interview


def _screening(person: Person, pk: int) -> ExploitationScreening:
    screening = selectors.screening_for(child=person, pk=pk)
    if screening is None:
        raise Http404
    return screening


def _to_episode(person: Person, episode: MissingEpisode) -> HttpResponse:
    return redirect("missing:episode", person_pk=person.pk, pk=episode.pk)


# ---------------------------------------------------------------- the child's Missing tab


@login_required
@require_GET
@_child_view
def overview(request: HttpRequest, person: Person) -> HttpResponse:
    user = acting_user(request)
    data = selectors.missing_overview(user=user, child=person)
    advocate_form = AdvocateForm(advocates=selectors.advocates(local_authority_id=person.local_authority_id),
                                 initial={"started_on": timezone.localdate()})
    return _page(request, person, "missing/overview.html", data=data, advocate_form=advocate_form)


@login_required
@require_POST
@_child_view
def advocate_allocate(request: HttpRequest, person: Person) -> HttpResponse:
    user = acting_user(request)
    form = AdvocateForm(request.POST, advocates=selectors.advocates(local_authority_id=person.local_authority_id))
    if form.is_valid():
        data = form.cleaned_data
        if saved(form, lambda: services.missing_advocate_allocate(
                child=person, advocate=data["advocate"], started_on=data["started_on"], by=user)) is not None:
            messages.success(request, f"{data['advocate'].get_full_name()} is now {person.first_name}'s "
                                      "missing-from-home advocate")
            return redirect("missing:overview", person_pk=person.pk)
    data_ = selectors.missing_overview(user=user, child=person)
    return _page(request, person, "missing/overview.html", data=data_, advocate_form=form)


@login_required
@require_GET
@_child_view
def episode_detail(request: HttpRequest, person: Person, pk: int) -> HttpResponse:
    episode = _episode(person, pk)
    user = acting_user(request)
    linked = selectors.shown_links(user, [episode])[episode.pk]
    return _page(request, person, "missing/episode.html", episode=episode, linked=linked,
                 interview=getattr(episode, "interview", None),
                 screenings=[s for s in selectors.screenings_for(child=person) if s.episode_id == episode.pk])


def _episode_values(form: EpisodeNewForm | EpisodeEditForm) -> dict[str, Any]:
    data = form.cleaned_data
    return {
        "missing_type": data["missing_type"], "started_at": form.at("started_at"),
        "reported_at": form.moment("reported_at"), "reported_to_police": data["reported_to_police"] == "yes",
        "police_reference": data["police_reference"], "police_risk": data["police_risk"],
        "missing_from": data["missing_from"], "circumstances": data["circumstances"],
        "linked_children": form.linked, "others_with_them": data["others_with_them"],
    }


def _return_values(form: EpisodeNewForm | EpisodeEditForm) -> dict[str, Any]:
    data = form.cleaned_data
    if form.moment("ended_at") is None:
        return {}
    return {"ended_at": form.at("ended_at"), "how_returned": data["how_returned"],
            "found_where": data["found_where"], "found_postcode": data["found_postcode"],
            "return_notes": data["return_notes"], "locations": form.places()}


@login_required
@require_http_methods(["GET", "POST"])
@refuses_resubmission
@_child_view
def episode_new(request: HttpRequest, person: Person) -> HttpResponse:
    user = acting_user(request)
    draft_key = f"missing-{person.pk}-new"
    restored_at = None
    if request.method == "POST":
        form = EpisodeNewForm(request.POST, user=user, child=person)
        if form.is_valid():
            episode = saved(form, lambda: services.missing_episode_start(child=person, by=user,
                                                                         **_episode_values(form),
                                                                         **_return_values(form)))
            if episode is not None:
                draft_discard(user=user, key=draft_key)
                messages.success(request, f"Episode recorded. Offer a return home interview: it is due by "
                                          f"{timezone.localtime(episode.interview.due_at):%H:%M on %A %-d %B}"
                                 if not episode.is_open else
                                 f"{person.first_name} recorded as {episode.type_label.lower()}. "
                                 "Record the return as soon as they are found")
                return _to_episode(person, episode)
    else:
        data, restored_at = restore_draft(request, draft_key)
        form = (EpisodeNewForm(data, user=user, child=person) if data is not None
                else EpisodeNewForm(user=user, child=person))
    return _page(request, person, "missing/episode_form.html", form=form, draft_key=draft_key,
                 restored_at=restored_at, in_care=looked_after_on(child=person, on=timezone.localdate()))


def _edit_initial(episode: MissingEpisode, user: User) -> dict[str, Any]:
    shown = selectors.shown_links(user, [episode])[episode.pk]
    initial: dict[str, Any] = {
        "version": episode.version, "missing_type": episode.missing_type,
        "reported_to_police": "yes" if episode.reported_to_police else "no",
        "police_reference": episode.police_reference, "police_risk": episode.police_risk,
        "missing_from": episode.missing_from, "circumstances": episode.circumstances,
        "linked_children": linked_as_text(episode, {c.pk for c in shown.children}),
        "others_with_them": episode.others_with_them,
        "how_returned": episode.how_returned, "found_where": episode.found_where,
        "found_postcode": episode.found_postcode, "locations": services.places_as_text(episode.locations),
        "return_notes": episode.return_notes,
    }
    for name in ("started_at", "reported_at", "ended_at"):
        initial.update(moment_initial(name, getattr(episode, name)))
    return initial


@login_required
@require_http_methods(["GET", "POST"])
@_child_view
def episode_edit(request: HttpRequest, person: Person, pk: int) -> HttpResponse:
    user = acting_user(request)
    episode = _episode(person, pk)
    returned = not episode.is_open
    if request.method == "POST":
        form = EpisodeEditForm(request.POST, user=user, child=person, returned=returned)
        if form.is_valid():
            episode.version = form.cleaned_data["version"]
            extra = _return_values(form) if returned else {}
            if saved(form, lambda: services.missing_episode_update(episode=episode, by=user,
                                                                   **_episode_values(form), **extra)) is not None:
                messages.success(request, "Episode updated")
                return _to_episode(person, episode)
    else:
        form = EpisodeEditForm(initial=_edit_initial(episode, user), user=user, child=person, returned=returned)
    return _page(request, person, "missing/episode_form.html", form=form, episode=episode, editing=True)


@login_required
@require_http_methods(["GET", "POST"])
@_child_view
def episode_return(request: HttpRequest, person: Person, pk: int) -> HttpResponse:
    user = acting_user(request)
    episode = _episode(person, pk)
    if not episode.is_open:
        messages.info(request, "The return is already recorded. Correct it with 'Change the episode'")
        return _to_episode(person, episode)
    if request.method == "POST":
        form = ReturnForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            episode.version = data["version"]
            if saved(form, lambda: services.missing_episode_end(
                    episode=episode, ended_at=form.at("ended_at"), how_returned=data["how_returned"], by=user,
                    found_where=data["found_where"], found_postcode=data["found_postcode"],
                    return_notes=data["return_notes"], locations=form.places())) is not None:
                due = episode.interview.due_at
                messages.success(request, f"Return recorded. Offer a return home interview: it is due by "
                                          f"{timezone.localtime(due):%H:%M on %A %-d %B}")
                return _to_episode(person, episode)
    else:
        form = ReturnForm(initial={"version": episode.version})
    return _page(request, person, "missing/return_form.html", form=form, episode=episode)


# ---------------------------------------------------------------- return home interviews


def _interview_page(request: HttpRequest, person: Person, interview: ReturnInterview, form: Form, step: str,
                    restored_at: Any = None) -> HttpResponse:
    return _page(request, person, "missing/interview_form.html", form=form, interview=interview,
                 episode=interview.episode, step=step, restored_at=restored_at,
                 draft_key=f"missing-interview-{interview.pk}" if step == "complete" else "")


@login_required
@require_http_methods(["GET", "POST"])
@_child_view
def interview_offer(request: HttpRequest, person: Person, pk: int) -> HttpResponse:
    user = acting_user(request)
    interview = _interview(person, pk)
    staff = selectors.interview_staff(child=person, user=user)
    if request.method == "POST":
        form = InterviewOfferForm(request.POST, staff=staff)
        if form.is_valid():
            data = form.cleaned_data
            interview.version = data["version"]
            if saved(form, lambda: services.return_interview_offer(
                    interview=interview, offered_at=form.at("offered_at"), offered_by=data["offered_by"],
                    by=user)) is not None:
                messages.success(request, "Offer of a return home interview recorded")
                return _to_episode(person, interview.episode)
    else:
        initial = {"version": interview.version, "offered_by": user.pk,
                   **moment_initial("offered_at", interview.offered_at)}
        if interview.offered_by_id:
            initial["offered_by"] = interview.offered_by_id
        form = InterviewOfferForm(initial=initial, staff=staff)
    return _interview_page(request, person, interview, form, "offer")


@login_required
@require_http_methods(["GET", "POST"])
@_child_view
def interview_response(request: HttpRequest, person: Person, pk: int) -> HttpResponse:
    user = acting_user(request)
    interview = _interview(person, pk)
    if request.method == "POST":
        form = InterviewResponseForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            interview.version = data["version"]
            if saved(form, lambda: services.return_interview_respond(
                    interview=interview, response=data["response"], responded_at=form.at("responded_at"),
                    declined_reason=data["declined_reason"], by=user)) is not None:
                messages.success(request, f"{person.first_name}'s answer recorded")
                return _to_episode(person, interview.episode)
    else:
        form = InterviewResponseForm(initial={"version": interview.version, "response": interview.response,
                                              "declined_reason": interview.declined_reason,
                                              **moment_initial("responded_at", interview.responded_at)})
    return _interview_page(request, person, interview, form, "response")


@login_required
@require_http_methods(["GET", "POST"])
@_child_view
def interview_complete(request: HttpRequest, person: Person, pk: int) -> HttpResponse:
    user = acting_user(request)
    interview = _interview(person, pk)
    holders = selectors.interview_holders(child=person)
    draft_key = f"missing-interview-{interview.pk}"
    restored_at = None
    if request.method == "POST":
        form = InterviewCompleteForm(request.POST, holders=holders)
        if form.is_valid():
            data = form.cleaned_data
            interview.version = data["version"]
            if saved(form, lambda: services.return_interview_complete(
                    interview=interview, completed_at=form.at("completed_at"),
                    completed_by=data["completed_by"], push_factors=data["push_factors"],
                    pull_factors=data["pull_factors"], child_account=data["child_account"],
                    risks_identified=data["risks_identified"], actions=data["actions"],
                    late_reason=data["late_reason"], by=user)) is not None:
                draft_discard(user=user, key=draft_key)
                messages.success(request, "Return home interview recorded")
                return _to_episode(person, interview.episode)
    else:
        data_, restored_at = restore_draft(request, draft_key)
        initial = {"version": interview.version}
        if holders.filter(pk=user.pk).exists():
            initial["completed_by"] = user.pk
        form = (InterviewCompleteForm(data_, holders=holders) if data_ is not None
                else InterviewCompleteForm(initial=initial, holders=holders))
    return _interview_page(request, person, interview, form, "complete", restored_at)


# ---------------------------------------------------------------- exploitation screening and escalation


@login_required
@require_http_methods(["GET", "POST"])
@refuses_resubmission
@_child_view
def screening_new(request: HttpRequest, person: Person) -> HttpResponse:
    user = acting_user(request)
    episodes = list(selectors.episodes_for(child=person)[:20])
    previous = services.current_screening(person)
    if request.method == "POST":
        form = ScreeningForm(request.POST, episodes=episodes)
        if form.is_valid():
            data = form.cleaned_data
            episode = next((e for e in episodes if e.pk == data["episode"]), None)
            screening = saved(form, lambda: services.exploitation_screening_record(
                child=person, screened_on=data["screened_on"], cse_risk=data["cse_risk"],
                cce_risk=data["cce_risk"], indicators=data["indicators"], notes=data["notes"], episode=episode,
                by=user))
            if screening is not None:
                messages.success(request, "Exploitation risk review recorded" if previous
                                 else "Exploitation risk screening recorded")
                return redirect("missing:screening", person_pk=person.pk, pk=screening.pk)
    else:
        initial: dict[str, Any] = {"screened_on": timezone.localdate()}
        chosen = request.GET.get("episode", "")
        if chosen.isdigit() and any(e.pk == int(chosen) for e in episodes):
            initial["episode"] = int(chosen)
        if previous is not None:
            initial.update(cse_risk=previous.cse_risk, cce_risk=previous.cce_risk, indicators=previous.indicators)
        form = ScreeningForm(initial=initial, episodes=episodes)
    return _page(request, person, "missing/screening_form.html", form=form, previous=previous)


@login_required
@require_GET
@_child_view
def screening_detail(request: HttpRequest, person: Person, pk: int) -> HttpResponse:
    screening = _screening(person, pk)
    return _page(request, person, "missing/screening.html", screening=screening,
                 review_clock=selectors.review_clock_for(screening=screening),
                 is_current=services.current_screening(person) == screening)


@login_required
@require_http_methods(["GET", "POST"])
@refuses_resubmission
@_child_view
def escalate(request: HttpRequest, person: Person, kind: str, pk: int) -> HttpResponse:
    """A strategy discussion prompted by a screening or an episode, linked back to it."""
    user = acting_user(request)
    screening = _screening(person, pk) if kind == "screening" else None
    episode = _episode(person, pk) if kind == "episode" else None
    source = screening or episode
    assert source is not None
    back = (redirect("missing:screening", person_pk=person.pk, pk=pk) if screening
            else redirect("missing:episode", person_pk=person.pk, pk=pk))
    if source.strategy_discussion_id is not None and request.method == "GET":
        messages.info(request, "This has already been escalated to a strategy discussion")
        return back
    referral = open_episode_for(person)
    if request.method == "POST" and referral is not None:
        form = StrategyDiscussionForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            discussion = saved(form, lambda: services.escalate_to_strategy_discussion(
                child=person, held_on=data["held_on"], agencies_present=data["agencies_present"],
                reason=data["reason"], decision=data["decision"], by=user, attendees=data["attendees"],
                immediate_safety_actions=data["immediate_safety_actions"], screening=screening, episode=episode))
            if discussion is not None:
                missing = missing_core_agencies(discussion.agencies_present)
                if missing:
                    messages.warning(request, f"Strategy discussion recorded without {' or '.join(missing)}. "
                                              "Working Together expects them to take part.")
                else:
                    messages.success(request, "Strategy discussion recorded")
                enquiry = discussion.s47_enquiries.first()
                if enquiry is not None:
                    return redirect("protection:s47", person_pk=person.pk, pk=enquiry.pk)
                return back
    else:
        form = StrategyDiscussionForm(initial={
            "held_on": timezone.localdate(),
            "reason": services.escalation_reason(screening=screening, episode=episode),
        })
    return _page(request, person, "missing/escalate.html", form=form, referral=referral, screening=screening,
                 episode=episode, kind=kind,
                 contact_url=f"{reverse('front_door:contact_new')}?child={person.pk}")


# ---------------------------------------------------------------- council-wide: the tray and patterns


@login_required
@require_GET
def tray(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    if not user.has_perm("missing.view_tray"):
        raise PermissionDenied
    mine_only = request.GET.get("mine") == "1"
    data = selectors.advocate_tray(user=user, mine_only=mine_only)
    return render(request, "missing/tray.html", {"tray": data, "now": timezone.now()})


DEFAULT_PERIOD_DAYS = 90


@login_required
@require_GET
def patterns(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    if not user.has_perm("missing.view_patterns"):
        raise PermissionDenied
    today = timezone.localdate()
    default = {"start": today - timedelta(days=DEFAULT_PERIOD_DAYS - 1), "end": today}
    form = PeriodForm(request.GET if "start_0" in request.GET else None, initial=default)
    data = None
    if not form.is_bound:
        data = selectors.exploitation_patterns(user=user, **default)
    elif form.is_valid():
        data = selectors.exploitation_patterns(user=user, start=form.cleaned_data["start"],
                                               end=form.cleaned_data["end"])
    return render(request, "missing/patterns.html", {"form": form, "patterns": data,
                                                     "repeat_threshold": selectors.REPEAT_THRESHOLD,
                                                     "repeat_window": selectors.REPEAT_WINDOW_DAYS})
