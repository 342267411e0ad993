"""Views for the child's care plan page and its forms. Thin: every page opens the record through
``open_record`` (access checked and logged), every write goes through a service, and a refusal is
shown next to its field with the typing kept."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from hearth.accounts.models import User
from hearth.care.models import PeriodOfCare
from hearth.people.models import Person
from hearth.workspace.dates import birthday
from hearth.workspace.forms import STALE_MESSAGE, adopt_current_version
from hearth.workspace.pages import Done, Saver, build_form, child_page, form_page
from hearth.workspace.resubmission import refuses_resubmission

from . import selectors, services
from .forms import (
    CarePlanChangeForm,
    CarePlanForm,
    DentalCheckForm,
    HealthAssessmentForm,
    ImmunisationCheckForm,
    IROForm,
    OC2OutcomeForm,
    PEPForm,
    PlacementPlanForm,
    ReviewForm,
    SDQForm,
    VisitForm,
    yes,
)
from .models import HealthAssessment, OC2Outcome, PersonalEducationPlan
from .schedule import collection_year, collection_year_of

# ---------------------------------------------------------------- helpers


# Every page here opens the child (checked and logged) and needs the right to record care plan work.
_child_page = child_page("care_plans.record")


def _overview_url(person: Person) -> str:
    return reverse("care_plans:overview", kwargs={"person_pk": person.pk})


def _open_period(request: HttpRequest, person: Person) -> PeriodOfCare | HttpResponse:
    """The open period of care a form records against, or back to the page with a message."""
    period = selectors.period_for(child=person)
    if period is None or not period.is_open:
        messages.info(request, f"{person.full_name} is not looked after at the moment.")
        return redirect("care_plans:overview", person_pk=person.pk)
    return period


def _form_page(request: HttpRequest, person: Person, *, form: forms.Form, title: str, save: Saver,
               button: str = "Save", creates: bool = False, context: dict[str, Any] | None = None) -> HttpResponse:
    """The one-question page, back to the care plan page when saved."""
    return form_page(request, person, form=form, title=title, save=save, back=_overview_url(person), button=button,
                     creates=creates, template="care_plans/form.html",
                     context={"nav_current": "in_care", **(context or {})})


def _when(clock: Any) -> str:
    return f"{clock.due_on:%-d %B %Y}" if clock is not None else ""


# ---------------------------------------------------------------- the care plan page


@login_required
@require_GET
@_child_page
def overview(request: HttpRequest, person: Person, user: User) -> HttpResponse:
    period = None
    asked = request.GET.get("period", "")
    if asked.isdigit():
        period = selectors.period_for(child=person, pk=int(asked))
        if period is None:
            raise Http404
    data = selectors.care_plan_overview(child=person, period=period)
    return render(request, "care_plans/overview.html", {
        "person": person, "data": data, "today": data.today, "nav_current": "in_care",
    })


# ---------------------------------------------------------------- IRO and plans


@login_required
@require_http_methods(["GET", "POST"])
@refuses_resubmission
@_child_page
def iro(request: HttpRequest, person: Person, user: User) -> HttpResponse:
    period = _open_period(request, person)
    if isinstance(period, HttpResponse):
        return period
    current = selectors.current_iro(child=person)
    form = build_form(IROForm, request, initial={"started_on": timezone.localdate()},
                      iros=selectors.iros(local_authority_id=person.local_authority_id))

    def save(data: dict[str, Any]) -> str:
        allocation = services.iro_allocate(period=period, iro=data["iro"], started_on=data["started_on"], by=user)
        return f"{allocation.worker.get_full_name() if allocation.worker else 'The IRO'} is now the IRO"

    intro = (f"The current IRO is {current.worker.get_full_name()}, since {current.started_on:%-d %B %Y}. "
             "Their allocation ends the day the new IRO starts." if current and current.worker else "")
    return _form_page(request, person, form=form, title="Allocate an IRO" if current is None else "Change the IRO",
                      save=save, button="Allocate IRO", creates=True, context={"intro": intro})


@login_required
@require_http_methods(["GET", "POST"])
@refuses_resubmission
@_child_page
def care_plan(request: HttpRequest, person: Person, user: User) -> HttpResponse:
    period = _open_period(request, person)
    if isinstance(period, HttpResponse):
        return period
    current = selectors.current_care_plan(period=period)
    if current is None:
        form = build_form(CarePlanForm, request)
    else:
        form = build_form(CarePlanChangeForm, request, initial={
            "permanence_plan": current.permanence_plan, "summary": current.summary, "needs": current.needs,
            "version": current.version, "plan": current.number,
        })

    def save(data: dict[str, Any]) -> str:
        if current is not None and data["plan"] != current.number:
            # Someone else changed the plan after this page was opened: show the typing against the plan now.
            adopt_current_version(form, current.version)
            form.data["plan"] = str(current.number)  # type: ignore[index]  # a mutable QueryDict after adopting
            raise ValidationError(f"{STALE_MESSAGE} Version {current.number} of the care plan, agreed "
                                  f"{current.agreed_on:%-d %B %Y}, is now the current one.")
        if current is not None:
            current.version = data["version"]
        plan = services.care_plan_record(period=period, permanence_plan=data["permanence_plan"],
                                         summary=data["summary"], needs=data["needs"], agreed_on=data["agreed_on"],
                                         replaces=current, by=user)
        return "Care plan recorded" if plan.number == 1 else f"Care plan changed: version {plan.number} is now current"

    intro = ("A change is saved as a new version of the plan; the earlier versions are kept."
             if current is not None else "")
    return _form_page(request, person, form=form, creates=True, context={"intro": intro},
                      title="Record the care plan" if current is None else "Change the care plan", save=save,
                      button="Save care plan")


@login_required
@require_http_methods(["GET", "POST"])
@refuses_resubmission
@_child_page
def placement_plan(request: HttpRequest, person: Person, user: User, pk: int) -> HttpResponse:
    period = _open_period(request, person)
    if isinstance(period, HttpResponse):
        return period
    placement = selectors.placement_for(period=period, pk=pk)
    if placement is None:
        raise Http404
    form = build_form(PlacementPlanForm, request)

    def save(data: dict[str, Any]) -> str:
        services.placement_plan_record(placement=placement, agreed_on=data["agreed_on"], summary=data["summary"],
                                       by=user)
        return "Placement plan recorded"

    return _form_page(request, person, form=form, title="Record the placement plan", save=save, creates=True,
                      context={"caption": f"Placement from {placement.started_on:%-d %B %Y}"})


# ---------------------------------------------------------------- reviews and visits


@login_required
@require_http_methods(["GET", "POST"])
@refuses_resubmission
@_child_page
def review_new(request: HttpRequest, person: Person, user: User) -> HttpResponse:
    period = _open_period(request, person)
    if isinstance(period, HttpResponse):
        return period
    allocated = selectors.current_iro(child=person)
    form = build_form(ReviewForm, request, iros=selectors.iros(local_authority_id=person.local_authority_id),
                      initial={"chair": allocated.worker_id if allocated else None, "statutory": "yes"})

    def save(data: dict[str, Any]) -> str:
        services.review_record(period=period, held_on=data["held_on"], chair=data["chair"],
                               participation=data["participation"], recommendations=data["recommendations"],
                               statutory=yes(data["statutory"]) is True, by=user)
        clock = selectors.care_plan_overview(child=person, period=period).next_review
        if clock is not None:
            return f"Review recorded. The next review is due by {_when(clock)}"
        return "Review recorded"

    return _form_page(request, person, form=form, title="Record a looked-after review", save=save,
                      button="Save review", creates=True,
                      context={"clock": selectors.care_plan_overview(child=person, period=period).next_review})


@login_required
@require_http_methods(["GET", "POST"])
@refuses_resubmission
@_child_page
def visit_new(request: HttpRequest, person: Person, user: User) -> HttpResponse:
    period = _open_period(request, person)
    if isinstance(period, HttpResponse):
        return period
    form = build_form(VisitForm, request)

    def save(data: dict[str, Any]) -> str | Done:
        seen = yes(data["seen"]) is True
        services.visit_record(period=period, visited_on=data["visited_on"], seen=seen,
                              seen_alone=seen and yes(data["seen_alone"]) is True, notes=data["notes"], by=user)
        if not seen:
            return Done("Visit recorded. The child was not seen, so it does not count as a statutory visit: the "
                        "next visit is still due by the same date.", warning=True)
        clock = selectors.care_plan_overview(child=person, period=period).next_visit
        return f"Visit recorded. The next visit is due by {_when(clock)}" if clock else "Visit recorded"

    return _form_page(request, person, form=form, title="Record a statutory visit", save=save, button="Save visit",
                      creates=True, context={
                          "inset": "A visit where the child was not seen is recorded, but it does not count as a "
                                   "statutory visit: the next visit stays due by the same date.",
                          "clock": selectors.care_plan_overview(child=person, period=period).next_visit})


# ---------------------------------------------------------------- health


@login_required
@require_http_methods(["GET", "POST"])
@refuses_resubmission
@_child_page
def health_new(request: HttpRequest, person: Person, user: User) -> HttpResponse:
    period = _open_period(request, person)
    if isinstance(period, HttpResponse):
        return period
    has_initial = HealthAssessment.objects.filter(period=period, kind=HealthAssessment.Kind.INITIAL).exists()
    form = build_form(HealthAssessmentForm, request, initial={
        "kind": HealthAssessment.Kind.REVIEW if has_initial else HealthAssessment.Kind.INITIAL})

    def save(data: dict[str, Any]) -> str:
        assessment = services.health_assessment_record(period=period, kind=data["kind"], done_on=data["done_on"],
                                                       done_by=data["done_by"], notes=data["notes"], by=user)
        clock = selectors.care_plan_overview(child=person, period=period).next_health
        done = f"{assessment.get_kind_display()} recorded"
        return f"{done}. The next health review is due by {_when(clock)}" if clock else done

    return _form_page(request, person, form=form, title="Record a health assessment", save=save, creates=True)


@login_required
@require_http_methods(["GET", "POST"])
@refuses_resubmission
@_child_page
def dental_new(request: HttpRequest, person: Person, user: User) -> HttpResponse:
    period = _open_period(request, person)
    if isinstance(period, HttpResponse):
        return period
    form = build_form(DentalCheckForm, request)

    def save(data: dict[str, Any]) -> str:
        services.dental_check_record(period=period, checked_on=data["checked_on"], notes=data["notes"], by=user)
        return "Dental check recorded"

    return _form_page(request, person, form=form, title="Record a dental check", save=save, creates=True)


@login_required
@require_http_methods(["GET", "POST"])
@refuses_resubmission
@_child_page
def immunisation_new(request: HttpRequest, person: Person, user: User) -> HttpResponse:
    period = _open_period(request, person)
    if isinstance(period, HttpResponse):
        return period
    form = build_form(ImmunisationCheckForm, request)

    def save(data: dict[str, Any]) -> str:
        services.immunisation_check_record(period=period, checked_on=data["checked_on"],
                                           up_to_date=yes(data["up_to_date"]) is True, notes=data["notes"], by=user)
        return "Immunisation check recorded"

    return _form_page(request, person, form=form, title="Record an immunisation check", save=save, creates=True)


@login_required
@require_http_methods(["GET", "POST"])
@refuses_resubmission
@_child_page
def sdq_new(request: HttpRequest, person: Person, user: User) -> HttpResponse:
    period = _open_period(request, person)
    if isinstance(period, HttpResponse):
        return period
    form = build_form(SDQForm, request)

    def save(data: dict[str, Any]) -> str:
        services.sdq_record(period=period, completed_on=data["completed_on"], score=data["score"],
                            reason=data["reason"] or "", by=user)
        return "SDQ recorded"

    return _form_page(request, person, form=form, title="Record a strengths and difficulties questionnaire",
                      save=save, creates=True, context={
                          "intro": "Give the score from 0 to 40, or, when there is no score, the reason why."})


# ---------------------------------------------------------------- education


@login_required
@require_http_methods(["GET", "POST"])
@refuses_resubmission
@_child_page
def pep_new(request: HttpRequest, person: Person, user: User) -> HttpResponse:
    period = _open_period(request, person)
    if isinstance(period, HttpResponse):
        return period
    latest = PersonalEducationPlan.objects.filter(period=period).order_by("-held_on", "-id").first()
    form = build_form(PEPForm, request, initial={
        "kind": PersonalEducationPlan.Kind.REVIEW if latest else PersonalEducationPlan.Kind.INITIAL,
        "school": latest.school if latest else "", "designated_teacher": latest.designated_teacher if latest else "",
    })

    def save(data: dict[str, Any]) -> str:
        pep = services.pep_record(period=period, kind=data["kind"], held_on=data["held_on"], school=data["school"],
                                  designated_teacher=data["designated_teacher"], notes=data["notes"], by=user)
        clock = selectors.care_plan_overview(child=person, period=period).next_pep
        done = f"{pep.get_kind_display()} recorded"
        return f"{done}. The next PEP review is due by {_when(clock)}" if clock else done

    return _form_page(request, person, form=form, title="Record a personal education plan", save=save, creates=True)


# ---------------------------------------------------------------- OC2


@login_required
@require_http_methods(["GET", "POST"])
@refuses_resubmission
@_child_page
def oc2(request: HttpRequest, person: Person, user: User, year: int) -> HttpResponse:
    row = selectors.oc2_for(child=person, year=year)
    if row is None:
        messages.info(request, f"{person.full_name} was not looked after continuously for 12 months at 31 March "
                               f"{year}, so there are no OC2 outcomes to record for that year.")
        return redirect("care_plans:overview", person_pk=person.pk)
    outcome = row.outcome

    def as_choice(value: bool | None) -> str:
        return "" if value is None else ("yes" if value else "no")

    initial: dict[str, Any] = {"version": outcome.version if outcome else 0}
    if outcome is not None:
        initial.update(convicted=as_choice(outcome.convicted), substance_misuse=as_choice(outcome.substance_misuse),
                       intervention_received=as_choice(outcome.intervention_received),
                       intervention_offered=as_choice(outcome.intervention_offered))
    form = build_form(OC2OutcomeForm, request, initial=initial)
    start, end = collection_year(year)
    if person.date_of_birth is not None and birthday(person.date_of_birth, 10) > end:
        # The return has no conviction item for a child under 10 at 31 March (903 rule 542): not asked.
        del form.fields["convicted"]

    def save(data: dict[str, Any]) -> str:
        loaded: OC2Outcome | None = outcome
        if loaded is not None:
            loaded.version = data["version"]
        elif data["version"]:
            # The outcomes existed when the page was opened elsewhere; read them as the form saw them.
            loaded = OC2Outcome.objects.filter(child=person, year=year).first()
            if loaded is not None:
                loaded.version = data["version"]
        services.oc2_outcome_save(child=person, year=year, convicted=yes(data.get("convicted", "")) is True,
                                  substance_misuse=yes(data["substance_misuse"]) is True,
                                  intervention_received=yes(data["intervention_received"]),
                                  intervention_offered=yes(data["intervention_offered"]), outcome=loaded, by=user)
        return f"OC2 outcomes for {row.label} saved"

    return _form_page(request, person, form=form, title=f"OC2 outcomes for {row.label}", save=save,
                      button="Save outcomes", creates=outcome is None, context={
                          "intro": f"For the year from {start:%-d %B %Y} to {end:%-d %B %Y}. Health, dental, "
                                   "immunisation and SDQ items come from the records on the care plan page.",
                          "oc2": row})


@login_required
@require_GET
def oc2_due(request: HttpRequest) -> HttpResponse:
    """Children due OC2 data for a collection year, with what is still missing for each."""
    user = request.user
    assert isinstance(user, User)
    if not user.has_case_access:
        raise PermissionDenied
    this_year = collection_year_of(timezone.localdate())
    asked = request.GET.get("year", "")
    year = int(asked) if asked.isdigit() and 2000 < int(asked) <= this_year else this_year
    listing = selectors.children_due_oc2(user=user, year=year)
    start, end = collection_year(year)
    return render(request, "care_plans/oc2_due.html", {
        "listing": listing, "year": year, "start": start, "end": end,
        "years": list(range(this_year, this_year - 4, -1)),
    })
