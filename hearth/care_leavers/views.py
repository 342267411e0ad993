"""Views for care leavers: the child's Leaving care tab, its forms, and the leaving-care tray.

Thin: every child page opens the record through ``open_record`` (access checked and logged) and checks
``care_leavers.record``; every write goes through a service; a refusal is shown next to its field with the
typing kept (the one-question form page of hearth.workspace.pages).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from hearth.accounts.models import Team, User
from hearth.people.models import Person
from hearth.workspace.pages import build_form, child_page, form_page
from hearth.workspace.resubmission import refuses_resubmission

from . import services
from .forms import (
    AccommodationForm,
    ActivityForm,
    AdviserEndForm,
    AdviserForm,
    ContactForm,
    DecisionForm,
    DecisionWithdrawForm,
    NeedsAssessmentForm,
    PlanEditForm,
    PlanEndForm,
    PlanReviewForm,
    PlanStartForm,
    StayingPutEndForm,
    StayingPutForm,
)
from .models import PathwayPlan, StatusDecision, StayingPut
from .selectors import (
    care_leaver_summary,
    care_leaver_tray,
    current_personal_adviser,
    leaving_care_record,
    may_open_tray,
    personal_advisers,
    tray_scope,
)

# Every page here opens the child (checked and logged) and needs the right to record leaving-care work.
_child_page = child_page("care_leavers.record")


def _overview_url(person: Person) -> str:
    return reverse("care_leavers:overview", kwargs={"person_pk": person.pk})


def _page(request: HttpRequest, person: Person, form: Any, *, title: str, save: Callable[[dict[str, Any]], str],
          button: str = "Save", creates: bool = False, draft_key: str = "", intro: str = "") -> HttpResponse:
    return form_page(request, person, form=form, title=title, save=save, back=_overview_url(person), button=button,
                     creates=creates, draft_key=draft_key, context={"caption": "Leaving care", "intro": intro})


# ------------------------------------------------------------------------------------------------ the tab


@login_required
@require_GET
@_child_page
def overview(request: HttpRequest, person: Person, user: User) -> HttpResponse:
    record = leaving_care_record(child=person)
    return render(request, "care_leavers/overview.html", {
        "person": person, "record": record, "status": record.status, "today": record.today,
        "can_allocate": user.has_perm("care_leavers.allocate_adviser", person), "nav_current": "leaving_care",
        "plan_sections": [(heading, getattr(record.plan, name)) for name, heading in PathwayPlan.SECTIONS]
        if record.plan else [],
    })


# ------------------------------------------------------------------------------------------------ personal adviser


@login_required
@require_http_methods(["GET", "POST"])
@refuses_resubmission
@_child_page
def adviser_allocate(request: HttpRequest, person: Person, user: User) -> HttpResponse:
    if not user.has_perm("care_leavers.allocate_adviser", person):
        raise PermissionDenied
    form = build_form(AdviserForm, request, initial={"started_on": timezone.localdate()},
                      local_authority_id=person.local_authority_id)

    def save(data: dict[str, Any]) -> str:
        services.personal_adviser_allocate(child=person, adviser=data["adviser"], started_on=data["started_on"],
                                           by=user)
        return f"{data['adviser'].get_full_name()} is now {person.full_name}'s personal adviser"

    current = current_personal_adviser(child=person)
    intro = (f"The current personal adviser, {current.worker.get_full_name()}, will stop on the date you give."
             if current is not None and current.worker is not None else "")
    return _page(request, person, form, title="Allocate a personal adviser", save=save, button="Allocate",
                 creates=True, intro=intro)


@login_required
@require_http_methods(["GET", "POST"])
@_child_page
def adviser_end(request: HttpRequest, person: Person, user: User) -> HttpResponse:
    if not user.has_perm("care_leavers.allocate_adviser", person):
        raise PermissionDenied
    form = build_form(AdviserEndForm, request, initial={"ended_on": timezone.localdate()})

    def save(data: dict[str, Any]) -> str:
        services.personal_adviser_end(child=person, ended_on=data["ended_on"], reason=data["reason"], by=user)
        return "The personal adviser's allocation has ended"

    return _page(request, person, form, title="End the personal adviser's allocation", save=save, button="End")


# ------------------------------------------------------------------------------------------------ status decisions


@login_required
@require_http_methods(["GET", "POST"])
@refuses_resubmission
@_child_page
def decision_new(request: HttpRequest, person: Person, user: User) -> HttpResponse:
    form = build_form(DecisionForm, request, initial={"kind": request.GET.get("kind", "")})

    def save(data: dict[str, Any]) -> str:
        services.status_decision_record(child=person, kind=data["kind"], effective_on=data["effective_on"],
                                        reason=data["reason"], by=user)
        return "Recorded. The leaving care status has been worked out again"

    return _page(request, person, form, title="Record something that changes the leaving care status", save=save,
                 creates=True, intro="Only for what the care history cannot show. The status is otherwise worked out "
                                     "from the periods of care.")


@login_required
@require_http_methods(["GET", "POST"])
@_child_page
def decision_withdraw(request: HttpRequest, person: Person, user: User, pk: int) -> HttpResponse:
    decision = get_object_or_404(StatusDecision, pk=pk, child=person, local_authority_id=person.local_authority_id)
    form = build_form(DecisionWithdrawForm, request, initial={"ended_on": timezone.localdate(),
                                                             "version": decision.version})

    def save(data: dict[str, Any]) -> str:
        services.status_decision_withdraw(decision=decision, ended_on=data["ended_on"],
                                          expected_version=data["version"], by=user)
        return "Recorded as no longer applying"

    return _page(request, person, form, title="It no longer applies", save=save, button="Save",
                 intro=decision.get_kind_display())


# ------------------------------------------------------------------------------------------------ needs assessment


@login_required
@require_http_methods(["GET", "POST"])
@refuses_resubmission
@_child_page
def needs_assessment_new(request: HttpRequest, person: Person, user: User) -> HttpResponse:
    form = build_form(NeedsAssessmentForm, request, initial={"completed_on": timezone.localdate()})

    def save(data: dict[str, Any]) -> str:
        services.needs_assessment_record(child=person, completed_on=data["completed_on"], summary=data["summary"],
                                         late_reason=data["late_reason"], by=user)
        return "Pathway needs assessment recorded"

    return _page(request, person, form, title="Record the pathway needs assessment", save=save, creates=True,
                 draft_key=f"pathway-needs-{person.pk}")


# ------------------------------------------------------------------------------------------------ pathway plans


def _plan(person: Person, pk: int) -> PathwayPlan:
    return get_object_or_404(PathwayPlan, pk=pk, child=person, local_authority_id=person.local_authority_id)


def _sections(data: dict[str, Any]) -> dict[str, str]:
    return {name: data.get(name, "") for name, _ in PathwayPlan.SECTIONS}


@login_required
@require_http_methods(["GET", "POST"])
@refuses_resubmission
@_child_page
def plan_new(request: HttpRequest, person: Person, user: User) -> HttpResponse:
    form = build_form(PlanStartForm, request, initial={"started_on": timezone.localdate()})

    def save(data: dict[str, Any]) -> str:
        services.pathway_plan_start(child=person, started_on=data["started_on"],
                                    contact_interval_weeks=data["contact_interval_weeks"], by=user,
                                    **_sections(data))
        return "Pathway plan started. The next review is due within 6 months"

    return _page(request, person, form, title="Start a pathway plan", save=save, button="Start plan", creates=True,
                 draft_key=f"pathway-plan-new-{person.pk}")


@login_required
@require_http_methods(["GET", "POST"])
@_child_page
def plan_edit(request: HttpRequest, person: Person, user: User, pk: int) -> HttpResponse:
    plan = _plan(person, pk)
    initial = {name: getattr(plan, name) for name, _ in PathwayPlan.SECTIONS}
    form = build_form(PlanEditForm, request, initial={**initial, "contact_interval_weeks": plan.contact_interval_weeks,
                                                      "version": plan.version})

    def save(data: dict[str, Any]) -> str:
        services.pathway_plan_update(plan=plan, contact_interval_weeks=data["contact_interval_weeks"],
                                     expected_version=data["version"], by=user, **_sections(data))
        return "Pathway plan saved"

    return _page(request, person, form, title="Pathway plan", save=save, button="Save plan",
                 draft_key=f"pathway-plan-{plan.pk}")


@login_required
@require_http_methods(["GET", "POST"])
@refuses_resubmission
@_child_page
def plan_review_new(request: HttpRequest, person: Person, user: User, pk: int) -> HttpResponse:
    plan = _plan(person, pk)
    form = build_form(PlanReviewForm, request, initial={"held_on": timezone.localdate()})

    def save(data: dict[str, Any]) -> str:
        services.pathway_plan_review_record(plan=plan, held_on=data["held_on"], summary=data["summary"],
                                            young_person_took_part=data["young_person_took_part"], by=user)
        return "Review recorded. The next is due within 6 months of it"

    return _page(request, person, form, title="Record a pathway plan review", save=save, button="Record review",
                 creates=True, draft_key=f"pathway-review-{plan.pk}")


@login_required
@require_http_methods(["GET", "POST"])
@_child_page
def plan_end(request: HttpRequest, person: Person, user: User, pk: int) -> HttpResponse:
    plan = _plan(person, pk)
    form = build_form(PlanEndForm, request, initial={"ended_on": timezone.localdate(), "version": plan.version})

    def save(data: dict[str, Any]) -> str:
        services.pathway_plan_end(plan=plan, ended_on=data["ended_on"], end_reason=data["end_reason"],
                                  expected_version=data["version"], by=user)
        return "Pathway plan ended"

    return _page(request, person, form, title="End the pathway plan", save=save, button="End plan")


# ------------------------------------------------------------------------------------------ contact, home, activity


@login_required
@require_http_methods(["GET", "POST"])
@refuses_resubmission
@_child_page
def contact_new(request: HttpRequest, person: Person, user: User) -> HttpResponse:
    form = build_form(ContactForm, request, initial={"contacted_on": timezone.localdate()})

    def save(data: dict[str, Any]) -> str:
        services.contact_record(child=person, contacted_on=data["contacted_on"], method=data["method"],
                                in_touch=data["in_touch"], note=data["note"], by=user)
        return "Contact recorded"

    return _page(request, person, form, title="Record a keeping-in-touch contact", save=save, button="Record contact",
                 creates=True)


@login_required
@require_http_methods(["GET", "POST"])
@refuses_resubmission
@_child_page
def accommodation_new(request: HttpRequest, person: Person, user: User) -> HttpResponse:
    form = build_form(AccommodationForm, request)

    def save(data: dict[str, Any]) -> str:
        services.accommodation_record(child=person, started_on=data["started_on"],
                                      accommodation=data["accommodation"], suitable=data["suitable"],
                                      note=data["note"], by=user)
        return "Accommodation recorded"

    return _page(request, person, form, title="Record where the young person lives", save=save, creates=True)


@login_required
@require_http_methods(["GET", "POST"])
@refuses_resubmission
@_child_page
def activity_new(request: HttpRequest, person: Person, user: User) -> HttpResponse:
    form = build_form(ActivityForm, request)

    def save(data: dict[str, Any]) -> str:
        services.activity_record(child=person, started_on=data["started_on"], activity=data["activity"],
                                 note=data["note"], by=user)
        return "Activity recorded"

    return _page(request, person, form, title="Record education, employment or training", save=save, creates=True)


# ------------------------------------------------------------------------------------------------ staying put


@login_required
@require_http_methods(["GET", "POST"])
@refuses_resubmission
@_child_page
def staying_put_new(request: HttpRequest, person: Person, user: User) -> HttpResponse:
    form = build_form(StayingPutForm, request, local_authority_id=person.local_authority_id)

    def save(data: dict[str, Any]) -> str:
        services.staying_put_start(child=person, started_on=data["started_on"], carer_name=data["carer_name"],
                                   foster_household=data["foster_household"], by=user)
        return "Staying put recorded"

    return _page(request, person, form, title="Record staying put with former foster carers", save=save,
                 creates=True)


@login_required
@require_http_methods(["GET", "POST"])
@_child_page
def staying_put_end(request: HttpRequest, person: Person, user: User, pk: int) -> HttpResponse:
    arrangement = get_object_or_404(StayingPut, pk=pk, child=person, local_authority_id=person.local_authority_id)
    form = build_form(StayingPutEndForm, request, initial={"ended_on": timezone.localdate(),
                                                          "version": arrangement.version})

    def save(data: dict[str, Any]) -> str:
        services.staying_put_end(arrangement=arrangement, ended_on=data["ended_on"], reason=data["reason"],
                                 expected_version=data["version"], by=user)
        return "Staying put ended"

    return _page(request, person, form, title="End staying put", save=save, button="End staying put")


# ------------------------------------------------------------------------------------------------ the tray


def _int(value: str | None) -> int:
    """A filter's id from the query string; 0 (nobody) when it is not a number."""
    return int(value) if value and value.isdigit() else 0


@login_required
@require_GET
def tray(request: HttpRequest) -> HttpResponse:
    """My young people (a personal adviser), or the team's (a team manager) or the council's (a service manager),
    with what is due. Only young people the user may open are listed or counted."""
    user = request.user
    assert isinstance(user, User)
    if not may_open_tray(user):
        raise PermissionDenied
    scope = tray_scope(user)
    adviser = team = None
    if scope != "mine":
        pool = personal_advisers(local_authority=user.local_authority_id)  # type: ignore[arg-type]
        if scope == "team":
            pool = pool.filter(team_id=user.team_id or 0)
        adviser = pool.filter(pk=_int(request.GET.get("adviser"))).first() if request.GET.get("adviser") else None
    if scope == "council" and request.GET.get("team"):
        team = Team.objects.filter(pk=_int(request.GET.get("team")), local_authority_id=user.local_authority_id,
                                   closed_on__isnull=True).first()
    data = care_leaver_tray(user=user, adviser=adviser, team=team)
    summary = care_leaver_summary(user=user) if scope != "mine" else None
    if request.GET.get("adviser") and adviser is None and scope != "mine":
        messages.info(request, "That adviser is not one you can filter by, so everyone is shown.")
    return render(request, "care_leavers/tray.html", {
        "tray": data, "summary": summary, "scope": scope, "today": timezone.localdate(),
        "selected_adviser": adviser, "selected_team": team, "show_adviser": scope != "mine",
    })

