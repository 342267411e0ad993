"""Fostering pages: the pipeline board, the register, vacancies, placement requests and matching, recruitment,
and each household with a form for each step. Thin: permission, form, service, redirect or the form again."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hearth.access import services as access_services
from hearth.access.models import AccessEvent
from hearth.accounts.models import User
from hearth.care.selectors import open_period_for
from hearth.front_door.charts import Chart
from hearth.people.models import Person
from hearth.people.views import RestrictedRecord, _person_for, _refused
from hearth.workspace.pages import saved, staff_allowed
from hearth.workspace.resubmission import refuses_resubmission

from . import charts, selectors, services
from .forms import (
    DecisionForm,
    DeregisterForm,
    EnquiryForm,
    FormFForm,
    HouseholdEditForm,
    InitialVisitForm,
    PanelForm,
    PlacementRequestForm,
    RequestCloseForm,
    ReviewForm,
    Stage1EndForm,
    Stage2StartForm,
    StageStartForm,
    TermsForm,
    VacancyCloseForm,
    VacancyForm,
    WithdrawForm,
)
from .models import FosterHousehold, FosterVacancy, PlacementRequest

Stage = FosterHousehold.Stage


def staff(request: HttpRequest, perm: str = "fostering.view") -> User:
    """The signed-in member of staff, if they may do this (case access checked too: Django lets a superuser
    through every has_perm)."""
    return staff_allowed(request, perm)


def _household_or_404(user: User, pk: int) -> FosterHousehold:
    household = selectors.household_get(user=user, pk=pk)
    if household is None:
        raise Http404
    return household


def section_page(request: HttpRequest, template: str, section: str, **context: Any) -> HttpResponse:
    """A page of the fostering or adopters service, with its section of the service navigation marked."""
    return render(request, template, {"section": section, "today": timezone.localdate(),
                                      "may_record": request.user.has_perm("fostering.record"), **context})


# ---------------------------------------------------------------- the service pages


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    user = staff(request)
    today = timezone.localdate()
    board = selectors.pipeline_board(user=user, today=today)
    return section_page(request, "fostering/index.html", "pipeline", board=board,
                        in_assessment=sum(c.count for c in board))


@login_required
@require_GET
def register(request: HttpRequest) -> HttpResponse:
    user = staff(request)
    rows: list[Any] = selectors.register(user=user, today=timezone.localdate())
    return section_page(request, "fostering/register.html", "register", households=rows,
                        places=sum(h.approved_places or 0 for h in rows), free=sum(h.capacity.free for h in rows),
                        overdue=sum(1 for h in rows if h.review_overdue))


@login_required
@require_GET
def vacancies(request: HttpRequest) -> HttpResponse:
    user = staff(request)
    return section_page(request, "fostering/vacancies.html", "vacancies",
                        vacancies=selectors.open_vacancies(user=user, today=timezone.localdate()))


@login_required
@require_GET
def requests(request: HttpRequest) -> HttpResponse:
    user = staff(request)
    listing = selectors.placement_requests(user=user)
    return section_page(request, "fostering/requests.html", "requests", listing=listing)


@login_required
@require_GET
def recruitment(request: HttpRequest) -> HttpResponse:
    user = staff(request)
    years = selectors.recruitment(user=user, today=timezone.localdate())
    chart_list: list[Chart] = charts.recruitment_charts(years[1], years[2])
    return section_page(request, "fostering/recruitment.html", "recruitment", years=years, charts=chart_list)


# ---------------------------------------------------------------- households


def _applicant_initial(household: FosterHousehold) -> dict[str, Any]:
    initial: dict[str, Any] = {}
    for i, applicant in enumerate(household.applicants.all()[:2], start=1):
        initial[f"applicant_{i}_first_name"] = applicant.first_name
        initial[f"applicant_{i}_last_name"] = applicant.last_name
    return initial


@login_required
@require_http_methods(["GET", "POST"])
@refuses_resubmission
def enquiry_new(request: HttpRequest) -> HttpResponse:
    user = staff(request, "fostering.record")
    form = EnquiryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        household = saved(form, lambda: services.foster_enquiry_record(
            local_authority=user.local_authority_id, name=data["name"], enquiry_on=data["enquiry_on"],  # type: ignore[arg-type]
            source=data["source"], kind=data["kind"], applicants=form.applicants(), postcode=data["postcode"],
            address=data["address"], phone=data["phone"], email=data["email"], notes=data["notes"], by=user))
        if household is not None:
            messages.success(request, f"Enquiry recorded: {household.name}, reference {household.reference}")
            return redirect("fostering:household", pk=household.pk)
    return section_page(request, "fostering/enquiry_form.html", "pipeline", form=form,
                        heading="Record a fostering enquiry", button="Save enquiry",
                        cancel=reverse("fostering:index"), creating=True)


@login_required
@require_http_methods(["GET", "POST"])
def household_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = staff(request, "fostering.record")
    household = _household_or_404(user, pk)
    if request.method == "POST":
        form = HouseholdEditForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            household.version = data["version"]
            if saved(form, lambda: services.foster_household_update(
                    household=household, name=data["name"], enquiry_on=data["enquiry_on"], source=data["source"],
                    kind=data["kind"], applicants=form.applicants(), postcode=data["postcode"],
                    address=data["address"], phone=data["phone"], email=data["email"], notes=data["notes"],
                    by=user)) is not None:
                messages.success(request, "Household details saved")
                return redirect("fostering:household", pk=household.pk)
            household = _household_or_404(user, pk)
    else:
        h = household
        form = HouseholdEditForm(initial={
            "version": h.version, "name": h.name, "enquiry_on": h.enquiry_on, "source": h.enquiry_source,
            "kind": h.kind, "postcode": h.postcode, "address": h.address, "phone": h.phone, "email": h.email,
            "notes": h.notes, **_applicant_initial(h)})
    return section_page(request, "fostering/enquiry_form.html", "pipeline", form=form, household=household,
                        heading="Change the household's details", button="Save details",
                        cancel=reverse("fostering:household", args=[household.pk]))


def next_steps(household: FosterHousehold) -> list[tuple[str, str]]:
    """The steps that can be recorded now, as (step, link text)."""
    h = household
    steps: list[tuple[str, str]] = []
    if h.stage == Stage.ENQUIRY:
        steps.append(("initial-visit", "Record the initial visit"))
    elif h.stage == Stage.INITIAL_VISIT:
        steps.append(("stage-1-start", "Start assessment stage 1"))
    elif h.stage == Stage.STAGE_1 and h.stage_1_ended_on is None:
        steps.append(("stage-1-end", "Record the end of stage 1 and its checks"))
    elif h.stage == Stage.STAGE_1:
        steps.append(("stage-2-start", "Start assessment stage 2"))
    elif h.stage == Stage.STAGE_2 and h.form_f_completed_on is None:
        steps.append(("form-f", "Record the completed Form F assessment"))
    elif h.stage == Stage.STAGE_2:
        steps.append(("panel", "Record the fostering panel"))
    elif h.stage in (Stage.PANEL, Stage.DECISION):
        steps.append(("decision", "Record the agency decision"))
    if h.is_in_assessment:
        steps.append(("withdraw", "Record that the household left the assessment"))
    if h.stage == Stage.APPROVED:
        steps += [("vacancy", "Offer a vacancy"), ("review", "Record a foster carer review"),
                  ("terms", "Change the terms of approval"), ("deregister", "Deregister the household")]
    return steps


@login_required
@require_GET
def household(request: HttpRequest, pk: int) -> HttpResponse:
    user = staff(request)
    household = _household_or_404(user, pk)
    today = timezone.localdate()
    page = selectors.household_page(household=household, today=today)
    # The matched children are named only where this user may open their records.
    visible = set(
        selectors.visible_child_ids(user=user, ids=[r.child_id for r in page["matched_requests"]]))
    section = "register" if household.stage == Stage.APPROVED else "pipeline"
    return section_page(request, "fostering/household.html", section,
                        household=household, steps=next_steps(household), visible_children=visible, **page)


@dataclass(frozen=True)
class StepSpec:
    title: str
    form: type[forms.Form]
    save: Callable[[FosterHousehold, dict[str, Any], User], Any]
    message: str
    button: str = "Save"
    intro: str = ""
    initial: Callable[[FosterHousehold], dict[str, Any]] | None = None


def _terms_initial(h: FosterHousehold) -> dict[str, Any]:
    return {"places": h.approved_places, "age_from": h.approved_age_from, "age_to": h.approved_age_to,
            "care_types": h.approved_care_types}


S = services
STEPS: dict[str, StepSpec] = {
    "initial-visit": StepSpec(
        "Record the initial visit", InitialVisitForm,
        lambda h, d, u: S.foster_initial_visit_record(household=h, visited_on=d["visited_on"], worker=d["worker"],
                                                      recommendation=d["recommendation"], by=u),
        "Initial visit recorded"),
    "stage-1-start": StepSpec(
        "Start assessment stage 1", StageStartForm,
        lambda h, d, u: S.foster_stage_1_start(household=h, started_on=d["started_on"], by=u),
        "Assessment stage 1 started", intro="Stage 1 is the statutory checks: enhanced DBS, local authority "
                                            "checks, a medical and references."),
    "stage-1-end": StepSpec(
        "Record the end of stage 1", Stage1EndForm,
        lambda h, d, u: S.foster_stage_1_end(household=h, ended_on=d["ended_on"], checks=d["checks"],
                                             outcome=d["outcome"], by=u),
        "End of stage 1 recorded"),
    "stage-2-start": StepSpec(
        "Start assessment stage 2", Stage2StartForm,
        lambda h, d, u: S.foster_stage_2_start(household=h, started_on=d["started_on"],
                                               assessing_worker=d["assessing_worker"], by=u),
        "Assessment stage 2 started", intro="Stage 2 is the full assessment, written up on a Form F."),
    "form-f": StepSpec(
        "Record the completed Form F assessment", FormFForm,
        lambda h, d, u: S.foster_form_f_complete(household=h, completed_on=d["completed_on"], by=u),
        "Form F assessment recorded as completed"),
    "panel": StepSpec(
        "Record the fostering panel", PanelForm,
        lambda h, d, u: S.foster_panel_record(household=h, panel_on=d["panel_on"], recommendation=d["recommendation"],
                                              terms=d["terms"], by=u),
        "Fostering panel recorded"),
    "decision": StepSpec(
        "Record the agency decision", DecisionForm,
        lambda h, d, u: S.foster_decision_record(
            household=h, decided_on=d["decided_on"], decision=d["decision"], places=d["places"],
            age_from=d["age_from"], age_to=d["age_to"], care_types=d["care_types"],
            supervising_worker=d["supervising_worker"], by=u),
        "Agency decision recorded",
        intro="The decision maker decides within 7 working days of the panel's recommendation and final minutes. "
              "A qualifying determination gives the applicants 28 days to make representations or ask the "
              "Independent Review Mechanism for a review."),
    "withdraw": StepSpec(
        "Record that the household left the assessment", WithdrawForm,
        lambda h, d, u: S.foster_withdraw(household=h, withdrawn_on=d["withdrawn_on"], reason=d["reason"],
                                          notes=d["notes"], by=u),
        "Recorded that the household left the assessment", button="Save"),
    "review": StepSpec(
        "Record a foster carer review", ReviewForm,
        lambda h, d, u: S.foster_review_record(household=h, reviewed_on=d["reviewed_on"],
                                               recommendation=d["recommendation"], panel_on=d["panel_on"],
                                               notes=d["notes"], reviewer=u, by=u),
        "Foster carer review recorded",
        intro="Approval is reviewed at least once a year. The first review goes to the fostering panel."),
    "terms": StepSpec(
        "Change the terms of approval", TermsForm,
        lambda h, d, u: S.foster_terms_change(household=h, places=d["places"], age_from=d["age_from"],
                                              age_to=d["age_to"], care_types=d["care_types"], by=u),
        "Terms of approval changed", initial=_terms_initial),
    "deregister": StepSpec(
        "Deregister the household", DeregisterForm,
        lambda h, d, u: S.foster_deregister(household=h, deregistered_on=d["deregistered_on"], reason=d["reason"],
                                            notes=d["notes"], by=u),
        "Household deregistered", button="Deregister"),
    "vacancy": StepSpec(
        "Offer a vacancy", VacancyForm,
        lambda h, d, u: S.foster_vacancy_open(
            household=h, places=d["places"], age_from=d["age_from"], age_to=d["age_to"],
            care_types=d["care_types"], needs=d["needs"], available_from=d["available_from"], notes=d["notes"],
            by=u),
        "Vacancy offered", button="Save vacancy",
        initial=lambda h: {"age_from": h.approved_age_from, "age_to": h.approved_age_to,
                           "care_types": h.approved_care_types}),
}


@login_required
@require_http_methods(["GET", "POST"])
@refuses_resubmission
def household_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    spec = STEPS.get(step)
    if spec is None:
        raise Http404
    user = staff(request, "fostering.record")
    household = _household_or_404(user, pk)
    la = user.local_authority_id
    if request.method == "POST":
        form = spec.form(request.POST, local_authority_id=la)  # type: ignore[call-arg]
        if form.is_valid():
            household.version = form.cleaned_data["version"]
            if saved(form, lambda: spec.save(household, form.cleaned_data, user)) is not None:
                messages.success(request, spec.message)
                return redirect("fostering:household", pk=household.pk)
            household = _household_or_404(user, pk)
    else:
        initial = {"version": household.version, **(spec.initial(household) if spec.initial else {})}
        form = spec.form(initial=initial, local_authority_id=la)  # type: ignore[call-arg]
    return section_page(request, "fostering/step_form.html", "pipeline", form=form, household=household,
                        heading=spec.title, intro=spec.intro, button=spec.button,
                        caption=f"{household.name} · {household.reference}",
                        cancel=reverse("fostering:household", args=[household.pk]))


@login_required
@require_http_methods(["GET", "POST"])
def vacancy_close(request: HttpRequest, pk: int) -> HttpResponse:
    user = staff(request, "fostering.record")
    vacancy = (FosterVacancy.objects.filter(pk=pk, local_authority_id=user.local_authority_id, closed_on__isnull=True)
               .select_related("household").first())
    if vacancy is None:
        raise Http404
    if request.method == "POST":
        form = VacancyCloseForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            vacancy.version = data["version"]
            if saved(form, lambda: services.foster_vacancy_close(vacancy=vacancy, closed_on=data["closed_on"],
                                                                 reason=data["reason"], by=user)) is not None:
                messages.success(request, "Vacancy closed")
                return redirect("fostering:household", pk=vacancy.household_id)
    else:
        form = VacancyCloseForm(initial={"version": vacancy.version})
    return section_page(request, "fostering/step_form.html", "vacancies", form=form, heading="Close the vacancy",
                        button="Close vacancy",
                        caption=f"{vacancy.household.name} · {vacancy}",
                        cancel=reverse("fostering:household", args=[vacancy.household_id]))


# ---------------------------------------------------------------- placement requests and matching


def _child(request: HttpRequest, person_pk: int) -> Person | HttpResponse:
    try:
        return _person_for(request, person_pk)
    except RestrictedRecord as refused:
        return _refused(request, refused.person)


def _log(request: HttpRequest, person: Person) -> None:
    access_services.access_record(user=request.user, person=person, action=AccessEvent.Action.VIEW,  # type: ignore[arg-type]
                                  page=request.get_full_path())


@login_required
@require_http_methods(["GET", "POST"])
@refuses_resubmission
def request_new(request: HttpRequest, person_pk: int) -> HttpResponse:
    child = _child(request, person_pk)
    if isinstance(child, HttpResponse):
        return child
    user = request.user
    if (not isinstance(user, User) or not user.has_case_access
            or not user.has_perm("fostering.request_placement", child)):
        raise PermissionDenied
    _log(request, child)  # a request sent is as much a use of the record as the form shown
    if request.method == "POST":
        form = PlacementRequestForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            made = saved(form, lambda: services.placement_request_record(
                child=child, needed_from=data["needed_from"], care_type=data["care_type"], urgency=data["urgency"],
                needs=data["needs"], number_of_children=data["number_of_children"],
                siblings_together=data["siblings_together"] == "yes", postcode=data["postcode"],
                notes=data["notes"], by=user))
            if made is not None:
                messages.success(request, "Placement request sent to the fostering team")
                return redirect("fostering:request", pk=made.pk)
    else:
        address = child.addresses.filter(moved_out_on__isnull=True).first()
        form = PlacementRequestForm(initial={"number_of_children": 1, "siblings_together": "no",
                                             "postcode": address.postcode if address else ""})
    return section_page(request, "fostering/request_form.html", "requests", form=form, child=child)


def _request_or_404(user: User, pk: int) -> PlacementRequest:
    found = selectors.placement_request_get(user=user, pk=pk)
    if found is None:
        raise Http404
    return found


def _opened_request(request: HttpRequest, user: User, pk: int) -> PlacementRequest | HttpResponse:
    """A request is a page of its child's record: opened as the record is (the refusal page for a restricted
    child, 404 for a sealed one or another council's), and every use of it logged."""
    child_id = (PlacementRequest.objects.filter(pk=pk, local_authority_id=user.local_authority_id)
                .values_list("child_id", flat=True).first())
    if child_id is None:
        raise Http404
    child = _child(request, child_id)
    if isinstance(child, HttpResponse):
        return child
    _log(request, child)
    return _request_or_404(user, pk)


def care_links(request_: PlacementRequest) -> list[tuple[str, str]]:
    """Where the placement is made: the child's care pages (a move if they are in care, else coming into care),
    with the matched household named in the link for those pages to choose."""
    if open_period_for(child=request_.child) is not None:
        name, text = "care:placement_change", "Record the move to this household"
    else:
        name, text = "care:start", "Record that the child came into care, placed with this household"
    try:
        url = reverse(name, kwargs={"person_pk": request_.child_id})
    except NoReverseMatch:
        return []
    return [(f"{url}?household={request_.matched_household_id}", text)]


def _request_page(request: HttpRequest, user: User, found: PlacementRequest, close_form: forms.Form | None = None
                  ) -> HttpResponse:
    today = timezone.localdate()
    may_match = user.has_perm("fostering.record")
    candidates = (selectors.candidates_for(request=found, user=user, today=today)
                  if may_match and found.status == PlacementRequest.Status.OPEN else [])
    return section_page(request, "fostering/request.html", "requests", placement_request=found, candidates=candidates,
                        may_match=may_match, care_links=care_links(found) if found.matched_household_id else [],
                        child_age=found.child.age_on(max(found.needed_from, today)),
                        close_form=close_form or RequestCloseForm(initial={"version": found.version}))


@login_required
@require_GET
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    if not isinstance(user, User) or not user.has_case_access:
        raise PermissionDenied
    found = _opened_request(request, user, pk)
    if isinstance(found, HttpResponse):
        return found
    return _request_page(request, user, found)


@login_required
@require_POST
def request_match(request: HttpRequest, pk: int, vacancy_pk: int) -> HttpResponse:
    user = staff(request, "fostering.record")
    found = _opened_request(request, user, pk)
    if isinstance(found, HttpResponse):
        return found
    vacancy = FosterVacancy.objects.filter(pk=vacancy_pk, local_authority_id=user.local_authority_id).select_related(
        "household").first()
    if vacancy is None:
        raise Http404
    try:
        services.placement_request_match(request=found, vacancy=vacancy, by=user)
    except ValidationError as refused:
        messages.error(request, " ".join(refused.messages))
        return redirect("fostering:request", pk=found.pk)
    messages.success(request, f"Matched with {vacancy.household.name}. Make the placement on the child's care pages")
    return redirect("fostering:request", pk=found.pk)


@login_required
@require_http_methods(["GET", "POST"])
def request_close(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    if not isinstance(user, User) or not user.has_case_access:
        raise PermissionDenied
    opened = _opened_request(request, user, pk)
    if isinstance(opened, HttpResponse):
        return opened
    found = opened
    if request.method == "GET":
        return redirect("fostering:request", pk=found.pk)
    if not (user.has_perm("fostering.record") or found.requested_by_id == user.pk):
        raise PermissionDenied
    form = RequestCloseForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        found.version = data["version"]
        if saved(form, lambda: services.placement_request_close(request=found, closed_on=data["closed_on"],
                                                                reason=data["reason"], by=user)) is not None:
            messages.success(request, "Placement request closed")
            return redirect("fostering:request", pk=found.pk)
        found = _request_or_404(user, pk)
    return _request_page(request, user, found, close_form=form)
