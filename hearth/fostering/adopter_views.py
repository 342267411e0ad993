"""Prospective adopters: the pipeline from enquiry to adoption order, and Annex A List 11 from it."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from hearth.access.selectors import people_visible_to
from hearth.accounts.models import User
from hearth.people.models import Person
from hearth.workspace.pages import saved
from hearth.workspace.resubmission import refuses_resubmission

from . import selectors, services
from .forms import AdopterEditForm, AdopterEnquiryForm, AdopterLeaveForm, AdopterStepForm
from .models import ProspectiveAdopter
from .pipeline import ADOPTION_STEPS
from .services import ADOPTER_STEP_RULES
from .views import section_page, staff

AdopterStage = ProspectiveAdopter.Stage

# URL slug -> (the date it records, the page title, the date's label)
STEP_PAGES: dict[str, tuple[str, str, str]] = {
    "registration": ("registered_on", "Record the registration of interest",
                     "Date registration of interest was accepted"),
    "stage-1-start": ("stage_1_started_on", "Start stage 1", "Date stage 1 started"),
    "stage-1-end": ("stage_1_ended_on", "Record the end of stage 1", "Date stage 1 ended"),
    "application": ("application_submitted_on", "Record the application", "Date the application was received"),
    "stage-2-start": ("stage_2_started_on", "Start stage 2", "Date stage 2 started"),
    "stage-2-end": ("stage_2_ended_on", "Record the end of stage 2", "Date stage 2 ended"),
    "panel": ("panel_on", "Record the adoption panel", "Date of the adoption panel"),
    "approval": ("approved_on", "Record the approval", "Date of the agency decision to approve"),
    "match": ("matched_on", "Record the match", "Date matched with the child or children"),
    "placement": ("placed_on", "Record the placement", "Date the child or children were placed"),
    "adoption-order": ("adoption_order_on", "Record the adoption order", "Date of the adoption order"),
}
SLUG_FOR = {field: slug for slug, (field, _, _) in STEP_PAGES.items()}


def _adopter_or_404(user: User, pk: int) -> ProspectiveAdopter:
    adopter = selectors.adopter_get(user=user, pk=pk)
    if adopter is None:
        raise Http404
    return adopter


def adopter_next_steps(adopter: ProspectiveAdopter) -> list[tuple[str, str]]:
    """The next dated step (the first not yet recorded that the stage allows), and leaving."""
    steps: list[tuple[str, str]] = []
    for step in ADOPTION_STEPS:
        rule = ADOPTER_STEP_RULES.get(step.field)
        if rule and getattr(adopter, step.field) is None and adopter.stage in rule[0]:
            slug = SLUG_FOR[step.field]
            steps.append((reverse("adopters:step", args=[adopter.pk, slug]), STEP_PAGES[slug][1]))
            break
    if adopter.stage not in (AdopterStage.ADOPTED, AdopterStage.LEFT):
        steps.append((reverse("adopters:leave", args=[adopter.pk]), "Record that the family left the process"))
    return steps


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    user = staff(request)
    today = timezone.localdate()
    board = selectors.adopter_board(user=user, today=today)
    return section_page(request, "fostering/adopters/index.html", "adopters", board=board,
                        in_process=sum(c.count for c in board))


def _applicant_initial(adopter: ProspectiveAdopter) -> dict[str, Any]:
    initial: dict[str, Any] = {}
    for i, a in enumerate(adopter.applicants.all()[:2], start=1):
        for key in ("first_name", "last_name", "gender", "ethnicity", "disability"):
            initial[f"applicant_{i}_{key}"] = getattr(a, key)
    return initial


@login_required
@require_http_methods(["GET", "POST"])
@refuses_resubmission
def new(request: HttpRequest) -> HttpResponse:
    user = staff(request, "fostering.record")
    form = AdopterEnquiryForm(request.POST or None, initial={"fostering_for_adoption": "no"})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        adopter = saved(form, lambda: services.adopter_enquiry_record(
            local_authority=user.local_authority_id, name=data["name"], enquiry_on=data["enquiry_on"],  # type: ignore[arg-type]
            source=data["source"], applicants=form.applicants(),
            fostering_for_adoption=data["fostering_for_adoption"] == "yes", postcode=data["postcode"],
            phone=data["phone"], email=data["email"], notes=data["notes"], by=user))
        if adopter is not None:
            messages.success(request, f"Enquiry recorded: {adopter.name}, family identifier {adopter.reference}")
            return redirect("adopters:detail", pk=adopter.pk)
    return section_page(request, "fostering/adopters/enquiry_form.html", "adopters", form=form,
                        heading="Record an adoption enquiry", button="Save enquiry", cancel=reverse("adopters:index"),
                        creating=True)


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = staff(request, "fostering.record")
    adopter = _adopter_or_404(user, pk)
    if request.method == "POST":
        form = AdopterEditForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            adopter.version = data["version"]
            if saved(form, lambda: services.adopter_update(
                    adopter=adopter, name=data["name"], enquiry_on=data["enquiry_on"], source=data["source"],
                    applicants=form.applicants(), fostering_for_adoption=data["fostering_for_adoption"] == "yes",
                    postcode=data["postcode"], phone=data["phone"], email=data["email"], notes=data["notes"],
                    by=user)) is not None:
                messages.success(request, "Family details saved")
                return redirect("adopters:detail", pk=adopter.pk)
            adopter = _adopter_or_404(user, pk)
    else:
        a = adopter
        form = AdopterEditForm(initial={
            "version": a.version, "name": a.name, "enquiry_on": a.enquiry_on, "source": a.enquiry_source,
            "fostering_for_adoption": "yes" if a.fostering_for_adoption else "no", "postcode": a.postcode,
            "phone": a.phone, "email": a.email, "notes": a.notes, **_applicant_initial(a)})
    return section_page(request, "fostering/adopters/enquiry_form.html", "adopters", form=form, adopter=adopter,
                        heading="Change the family's details", button="Save details",
                        cancel=reverse("adopters:detail", args=[adopter.pk]))


def _dates(adopter: ProspectiveAdopter) -> list[tuple[str, Any]]:
    labels = {"enquiry_on": "Enquiry", "registered_on": "Registration of interest",
              "stage_1_started_on": "Stage 1 started", "stage_1_ended_on": "Stage 1 ended",
              "application_submitted_on": "Application received",
              "stage_2_started_on": "Stage 2 started", "stage_2_ended_on": "Stage 2 ended",
              "panel_on": "Adoption panel", "approved_on": "Approved", "matched_on": "Matched",
              "placed_on": "Child or children placed", "adoption_order_on": "Adoption order"}
    return [(labels[s.field], getattr(adopter, s.field)) for s in ADOPTION_STEPS]


@login_required
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = staff(request)
    adopter = _adopter_or_404(user, pk)
    return section_page(request, "fostering/adopters/adopter.html", "adopters", adopter=adopter, dates=_dates(adopter),
                        steps=adopter_next_steps(adopter), child=selectors.child_shown_to(user=user, adopter=adopter))


def _child_from(user: User, hearth_id: str) -> Person | str | None:
    """The child with this Hearth ID if the user may open their record; the error message otherwise."""
    if not hearth_id.strip():
        return None
    digits = hearth_id.strip()
    child = None
    if digits.isdigit() and len(digits) < 12:
        child = people_visible_to(user=user).filter(pk=int(digits)).first()
    return child if child is not None else "There is no record you may open with that Hearth ID"


@login_required
@require_http_methods(["GET", "POST"])
@refuses_resubmission
def step(request: HttpRequest, pk: int, slug: str) -> HttpResponse:
    if slug not in STEP_PAGES:
        raise Http404
    field, title, date_label = STEP_PAGES[slug]
    user = staff(request, "fostering.record")
    adopter = _adopter_or_404(user, pk)
    kwargs: dict[str, Any] = {"step": field, "date_label": date_label, "local_authority_id": user.local_authority_id}
    if request.method == "POST":
        form = AdopterStepForm(request.POST, **kwargs)
        if form.is_valid():
            data = form.cleaned_data
            child = _child_from(user, data.get("child_hearth_id", ""))
            if isinstance(child, str):
                form.add_error("child_hearth_id", child)
            else:
                adopter.version = data["version"]
                if saved(form, lambda: services.adopter_step_record(
                        adopter=adopter, step=field, on=data["on"], by=user,
                        panel_recommendation=data.get("panel_recommendation") or "",
                        children_placed=data.get("children_placed"), child=child)) is not None:
                    what = ADOPTER_STEP_RULES[field][2].removeprefix("the ")
                    messages.success(request, f"{what[0].upper()}{what[1:]} recorded")
                    return redirect("adopters:detail", pk=adopter.pk)
                adopter = _adopter_or_404(user, pk)
    else:
        form = AdopterStepForm(initial={"version": adopter.version}, **kwargs)
    return section_page(request, "fostering/step_form.html", "adopters", form=form, heading=title,
                        caption=f"{adopter.name} · {adopter.reference}",
                        cancel=reverse("adopters:detail", args=[adopter.pk]))


@login_required
@require_http_methods(["GET", "POST"])
def leave(request: HttpRequest, pk: int) -> HttpResponse:
    user = staff(request, "fostering.record")
    adopter = _adopter_or_404(user, pk)
    if request.method == "POST":
        form = AdopterLeaveForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            adopter.version = data["version"]
            if saved(form, lambda: services.adopter_leave(adopter=adopter, left_on=data["left_on"],
                                                          reason=data["reason"], by=user)) is not None:
                messages.success(request, "Recorded that the family left the process")
                return redirect("adopters:detail", pk=adopter.pk)
            adopter = _adopter_or_404(user, pk)
    else:
        form = AdopterLeaveForm(initial={"version": adopter.version})
    return section_page(request, "fostering/step_form.html", "adopters", form=form,
                        heading="Record that the family left the process",
                        caption=f"{adopter.name} · {adopter.reference}",
                        cancel=reverse("adopters:detail", args=[adopter.pk]))


@login_required
@require_GET
def list_11(request: HttpRequest) -> HttpResponse:
    """Annex A List 11 as a table: the families in the process in the last 12 months."""
    user = staff(request)
    today = timezone.localdate()
    since = today.replace(year=today.year - 1) if not (today.month == 2 and today.day == 29) else today.replace(
        year=today.year - 1, day=28)
    rows = selectors.annex_a_list_11(user=user, since=since)
    return section_page(request, "fostering/adopters/list_11.html", "adopters", headers=selectors.LIST_11_HEADERS,
                        rows=[list(r.values()) for r in rows], since=since)
