"""Views for children in care. Thin: open the record (access checked and logged), form, service,
redirect or the form again with the refusal beside its field and everything typed kept."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from hearth.accounts.models import Team, User
from hearth.people.models import Person
from hearth.workspace.dates import long_date
from hearth.workspace.pages import child_page, restore_draft, saved
from hearth.workspace.resubmission import refuses_resubmission
from hearth.workspace.services import draft_discard

from . import checks, selectors, services
from .forms import (
    AdoptionPlanForm,
    BothChangeForm,
    DoLOEndForm,
    DoLOStartForm,
    LegalStatusChangeForm,
    PeriodDetailsForm,
    PeriodEndForm,
    PeriodStartForm,
    PlacementChangeForm,
    PlacementCorrectForm,
    TeamFilterForm,
)
from .models import AdoptionPlan, PeriodOfCare, Placement

# Every page here opens the child (checked and logged) and needs the right to record care work.
_child_page = child_page("care.record")


def _overview(person: Person) -> HttpResponse:
    return redirect("care:overview", person_pk=person.pk)


def _form_page(request: HttpRequest, person: Person, form: forms.Form, *, title: str, button: str,
               template: str = "care/form.html", **context: Any) -> HttpResponse:
    return render(request, template, {
        "person": person, "form": form, "title": title, "button": button, "nav_current": "in_care",
        "back": reverse("care:overview", kwargs={"person_pk": person.pk}), **context,
    })


def _open_period(request: HttpRequest, person: Person) -> PeriodOfCare | None:
    period = selectors.open_period_for(child=person)
    if period is None:
        messages.info(request, f"{person.full_name} is not looked after now")
    return period


def _households(person: Person) -> Any:
    return selectors.approved_foster_households(local_authority=person.local_authority_id)


def _chosen_household(request: HttpRequest, households: Any) -> dict[str, Any]:
    """A match made by the fostering team arrives as ?household=<pk>: start the form with it chosen."""
    pk = request.GET.get("household", "")
    if pk.isdigit() and households.filter(pk=int(pk)).exists():
        return {"foster_household": int(pk)}
    return {}


def _warn_about(request: HttpRequest, person: Person, placement: Placement, period: PeriodOfCare) -> None:
    """What the return will query about the new placement, said once at the point of entry."""
    for warning in checks.placement_warnings(
        placement_type=placement.placement_type, age=person.age_on(placement.started_on), urn=placement.urn,
        postcode=placement.postcode, home_postcode=period.home_postcode, distance_miles=placement.distance_miles,
        is_uasc=person.is_uasc, started_on=placement.started_on, ended_on=None, today=timezone.localdate(),
    ):
        messages.warning(request, warning)


# ---------------------------------------------------------------------------------------------- the record


@login_required
@require_GET
@_child_page
def overview(request: HttpRequest, person: Person, user: User) -> HttpResponse:
    record = selectors.care_record(child=person)
    return render(request, "care/overview.html", {
        "person": person, "record": record, "current": record.current, "nav_current": "in_care",
        "today": timezone.localdate(),
    })


# ---------------------------------------------------------------------------------------------- starting


@login_required
@require_http_methods(["GET", "POST"])
@refuses_resubmission
@_child_page
def start(request: HttpRequest, person: Person, user: User) -> HttpResponse:
    from hearth.cin.models import CINEpisode

    if selectors.open_period_for(child=person) is not None:
        messages.info(request, f"{person.full_name} is already looked after")
        return _overview(person)
    needs_referral = not CINEpisode.objects.filter(child=person, closed_on__isnull=True).exists()
    draft_key = f"care-start-{person.pk}"
    restored_at = None
    households = _households(person)
    if request.method == "POST":
        form = PeriodStartForm(request.POST, needs_referral=needs_referral, households=households)
        if form.is_valid():
            data = form.cleaned_data
            period = saved(form, lambda: services.period_of_care_start(
                child=person, started_on=data["started_on"], legal_status=data["legal_status"],
                category_of_need=data["category_of_need"], by=user, referral_source=data.get("referral_source"),
                court=data.get("court") or "", previous_permanence=data["previous_permanence"],
                previous_permanence_la=data.get("previous_permanence_la") or "",
                previous_permanence_on=data.get("previous_permanence_on"),
                home_postcode=data.get("home_postcode") or "", **form.placement_data(),
            ))
            if period is not None:
                draft_discard(user=user, key=draft_key)
                messages.success(request, f"{person.full_name} is recorded as looked after from "
                                          f"{long_date(period.started_on)}")
                placement = period.placements.get()
                _warn_about(request, person, placement, period)
                return _overview(person)
    else:
        draft, restored_at = restore_draft(request, draft_key)
        if draft is not None:
            form = PeriodStartForm(draft, needs_referral=needs_referral, households=households)
        else:
            form = PeriodStartForm(needs_referral=needs_referral, households=households,
                                   initial=_chosen_household(request, households))
    return _form_page(request, person, form, title="Start a period of care", button="Record that they came into care",
                      creates=True, draft_key=draft_key, restored_at=restored_at,
                      intro="The first legal status and placement of the period. Each later change of either "
                            "starts a new episode in the SSDA903 return, worked out from these records.")


# ---------------------------------------------------------------------------------------------- changes


@login_required
@require_http_methods(["GET", "POST"])
@refuses_resubmission
@_child_page
def legal_status_change(request: HttpRequest, person: Person, user: User) -> HttpResponse:
    period = _open_period(request, person)
    if period is None:
        return _overview(person)
    current = selectors.current_legal_status(period=period)
    form = LegalStatusChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if saved(form, lambda: services.legal_status_change(
            period=period, legal_status=data["legal_status"], started_on=data["started_on"], by=user,
            court=data.get("court") or "",
        )) is not None:
            messages.success(request, "Legal status changed")
            return _overview(person)
    return _form_page(request, person, form, title="Change of legal status", button="Record the change",
                      creates=True, current_status=current,
                      intro="Only the legal status changes. If the placement changed on the same day, use "
                            "'Change of legal status and placement on the same day' instead.")


@login_required
@require_http_methods(["GET", "POST"])
@refuses_resubmission
@_child_page
def placement_change(request: HttpRequest, person: Person, user: User) -> HttpResponse:
    period = _open_period(request, person)
    if period is None:
        return _overview(person)
    current = selectors.current_placement(period=period)
    households = _households(person)
    form = PlacementChangeForm(request.POST or None, households=households,
                               initial=_chosen_household(request, households))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        placement = saved(form, lambda: services.placement_change(
            period=period, started_on=data["started_on"], by=user,
            reason_for_change=data.get("reason_for_change") or "",
            same_carer_as_previous=bool(data["same_carer_as_previous"]), **form.placement_data(),
        ))
        if placement is not None:
            messages.success(request, "Change of placement recorded")
            _warn_about(request, person, placement, period)
            return _overview(person)
    return _form_page(request, person, form, title="Change of placement", button="Record the move",
                      creates=True, current_placement=current)


@login_required
@require_http_methods(["GET", "POST"])
@refuses_resubmission
@_child_page
def both_change(request: HttpRequest, person: Person, user: User) -> HttpResponse:
    period = _open_period(request, person)
    if period is None:
        return _overview(person)
    form = BothChangeForm(request.POST or None, households=_households(person))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        changed = saved(form, lambda: services.legal_status_and_placement_change(
            period=period, started_on=data["started_on"], legal_status=data["legal_status"], by=user,
            reason_for_change=data.get("reason_for_change") or "", court=data.get("court") or "",
            same_carer_as_previous=bool(data["same_carer_as_previous"]), **form.placement_data(),
        ))
        if changed is not None:
            messages.success(request, "Change of legal status and placement recorded")
            _warn_about(request, person, changed[1], period)
            return _overview(person)
    return _form_page(request, person, form, title="Change of legal status and placement on the same day",
                      button="Record the changes", creates=True,
                      current_status=selectors.current_legal_status(period=period),
                      current_placement=selectors.current_placement(period=period),
                      intro="Both changed on the same day: the return shows this as one new episode.")


def _placement_or_404(person: Person, pk: int) -> Placement:
    placement = selectors.placement_for(child=person, pk=pk)
    if placement is None:
        raise Http404
    return placement


def _correct_initial(placement: Placement) -> dict[str, Any]:
    return {
        "placement_type": placement.placement_type, "provider": placement.provider,
        "foster_household": placement.foster_household_id, "carer_name": placement.carer_name,
        "urn": placement.urn, "postcode": placement.postcode, "distance_miles": placement.distance_miles,
        "is_long_term": placement.is_long_term,
        "same_carer_as_previous": "yes" if placement.same_carer_as_previous else "no",
        "reason_for_change": placement.reason_for_change, "version": placement.version,
    }


@login_required
@require_http_methods(["GET", "POST"])
@_child_page
def placement_correct(request: HttpRequest, person: Person, user: User, pk: int) -> HttpResponse:
    placement = _placement_or_404(person, pk)
    siblings = list(Placement.objects.filter(period_id=placement.period_id).order_by("started_on", "pk"))
    index = next(i for i, p in enumerate(siblings) if p.pk == placement.pk)
    shape = {"first": index == 0, "followed": index + 1 < len(siblings), "households": _households(person)}
    if request.method == "POST":
        form = PlacementCorrectForm(request.POST, **shape)
        if form.is_valid():
            data = form.cleaned_data
            if saved(form, lambda: services.placement_correct(
                placement=placement, expected_version=data["version"], by=user,
                same_carer_as_previous=data.get("same_carer_as_previous"),
                reason_for_change=data.get("reason_for_change") if "reason_for_change" in form.fields else None,
                **form.placement_data(),
            )) is not None:
                messages.success(request, "Placement details corrected")
                return _overview(person)
            placement = _placement_or_404(person, pk)
    else:
        form = PlacementCorrectForm(initial=_correct_initial(placement), **shape)
    return _form_page(request, person, form, title="Correct the placement details", button="Save the correction",
                      placement=placement,
                      intro="Put right how this placement was recorded. This is not a move: to record a move, "
                            "use 'Change of placement'. The dates stay as they are.")


# ---------------------------------------------------------------------------------------------- ending


@login_required
@require_http_methods(["GET", "POST"])
@_child_page
def end(request: HttpRequest, person: Person, user: User) -> HttpResponse:
    found = _open_period(request, person)
    if found is None:
        return _overview(person)
    period = found
    if request.method == "POST":
        form = PeriodEndForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            if saved(form, lambda: services.period_of_care_end(
                period=period, ended_on=data["ended_on"], reason_ceased=data["reason_ceased"], by=user,
                expected_version=data["version"],
            )) is not None:
                messages.success(request, f"{person.full_name} is recorded as no longer looked after")
                return _overview(person)
    else:
        form = PeriodEndForm(initial={"version": period.version})
    return _form_page(request, person, form, title="End the period of care", button="Record that they left care",
                      intro="The placement, the legal status and any deprivation of liberty order end on the same "
                            "day.")


# ---------------------------------------------------------------------------------------------- more on a period


def _period_or_404(person: Person, pk: int) -> PeriodOfCare:
    return get_object_or_404(PeriodOfCare, pk=pk, child=person, local_authority_id=person.local_authority_id)


@login_required
@require_http_methods(["GET", "POST"])
@_child_page
def period_details(request: HttpRequest, person: Person, user: User, period_pk: int) -> HttpResponse:
    period = _period_or_404(person, period_pk)
    if request.method == "POST":
        form = PeriodDetailsForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            if saved(form, lambda: services.period_details_update(
                period=period, home_postcode=data.get("home_postcode") or "",
                previous_permanence=data["previous_permanence"], by=user,
                previous_permanence_la=data.get("previous_permanence_la") or "",
                previous_permanence_on=data.get("previous_permanence_on"), expected_version=data["version"],
            )) is not None:
                messages.success(request, "Details of the period of care saved")
                return _overview(person)
            period = _period_or_404(person, period_pk)
    else:
        form = PeriodDetailsForm(initial={
            "home_postcode": period.home_postcode, "previous_permanence": period.previous_permanence,
            "previous_permanence_la": period.previous_permanence_la,
            "previous_permanence_on": period.previous_permanence_on, "version": period.version})
    return _form_page(request, person, form, title="Details of the period of care", button="Save",
                      intro=f"The period of care from {long_date(period.started_on)}.")


def _adoption_initial(plan: AdoptionPlan) -> dict[str, Any]:
    initial: dict[str, Any] = {name: getattr(plan, name) for name, _ in services.ADOPTION_STEPS}
    initial.update({
        "reversal_reason": plan.reversal_reason, "adopter_sex": plan.adopter_sex,
        "adopter_legal_status": plan.adopter_legal_status, "version": plan.version,
        "number_of_adopters": plan.number_of_adopters or "",
        "adopted_by_foster_carer": "" if plan.adopted_by_foster_carer is None else
        ("yes" if plan.adopted_by_foster_carer else "no"),
    })
    return initial


def _adoption_page(request: HttpRequest, person: Person, user: User, period: PeriodOfCare,
                   plan: AdoptionPlan | None) -> HttpResponse:
    if request.method == "POST":
        form = AdoptionPlanForm(request.POST)
        if form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
            stored = saved(form, lambda: services.adoption_plan_save(
                period=period, plan=plan, by=user, expected_version=form.cleaned_data["version"], **data))
            if stored is not None:
                messages.success(request, "Adoption steps saved")
                return _overview(person)
    else:
        form = AdoptionPlanForm(initial=_adoption_initial(plan) if plan is not None else {"version": 0})
    return _form_page(request, person, form, title="Adoption steps", button="Save the adoption steps",
                      creates=plan is None,
                      intro="Record each step on the date it happened; they must follow in order. The adopters' "
                            "details are needed once the adoption order is made.")


@login_required
@require_http_methods(["GET", "POST"])
@refuses_resubmission
@_child_page
def adoption_new(request: HttpRequest, person: Person, user: User) -> HttpResponse:
    period = _open_period(request, person)
    if period is None:
        return _overview(person)
    return _adoption_page(request, person, user, period, None)


@login_required
@require_http_methods(["GET", "POST"])
@_child_page
def adoption_edit(request: HttpRequest, person: Person, user: User, pk: int) -> HttpResponse:
    plan = selectors.adoption_plan_for(child=person, pk=pk)
    if plan is None:
        raise Http404
    return _adoption_page(request, person, user, plan.period, plan)


@login_required
@require_http_methods(["GET", "POST"])
@refuses_resubmission
@_child_page
def dolo_new(request: HttpRequest, person: Person, user: User) -> HttpResponse:
    period = _open_period(request, person)
    if period is None:
        return _overview(person)
    form = DoLOStartForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if saved(form, lambda: services.dolo_start(period=period, started_on=data["started_on"], by=user,
                                                   court=data.get("court") or "")) is not None:
            messages.success(request, "Deprivation of liberty order recorded")
            return _overview(person)
    return _form_page(request, person, form, title="Deprivation of liberty order", button="Record the order",
                      creates=True)


@login_required
@require_http_methods(["GET", "POST"])
@_child_page
def dolo_end(request: HttpRequest, person: Person, user: User, pk: int) -> HttpResponse:
    order = selectors.dolo_for(child=person, pk=pk)
    if order is None:
        raise Http404
    if order.ended_on is not None:
        return _overview(person)
    if request.method == "POST":
        form = DoLOEndForm(request.POST)
        if form.is_valid() and saved(form, lambda: services.dolo_end(
            order=order, ended_on=form.cleaned_data["ended_on"], by=user,
            expected_version=form.cleaned_data["version"],
        )) is not None:
            messages.success(request, "Deprivation of liberty order ended")
            return _overview(person)
    else:
        form = DoLOEndForm(initial={"version": order.version})
    return _form_page(request, person, form, title="End the deprivation of liberty order", button="Record the end")


# ---------------------------------------------------------------------------------------------- the team view


# Across the whole council, a list longer than this shows each team's figures and a link to its children.
COUNCIL_LIST_LIMIT = 200


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not isinstance(user, User) or not user.has_case_access:
        raise PermissionDenied
    teams = list(Team.objects.filter(local_authority_id=user.local_authority_id).order_by("name"))
    data = request.GET.copy()
    if "team" not in data and user.team_id and user.team is not None and user.team.kind == Team.Kind.CHILDREN_IN_CARE:
        data["team"] = str(user.team_id)
    form = TeamFilterForm(data, teams=teams)
    chosen = form.cleaned_data.get("team") if form.is_valid() else None
    team = next((t for t in teams if t.pk == chosen), None)
    view = selectors.children_in_care(user=user, team=team, teams=teams)
    return render(request, "care/index.html", {"view": view, "form": form, "team": team,
                                               "today": timezone.localdate(), "list_limit": COUNCIL_LIST_LIMIT})
