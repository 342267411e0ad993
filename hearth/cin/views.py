"""Views for children in need: the child's Social care tab, referrals, assessments and CIN plans.

Thin: every page opens the record through ``open_record`` (access checked and logged), every
write goes through a service, and a refusal is shown next to its field with the typing kept.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from hearth.accounts.models import User
from hearth.clocks.models import Clock, holiday_set
from hearth.people.models import Person
from hearth.protection.selectors import protection_overview
from hearth.workspace.pages import build_form, child_page, form_page
from hearth.workspace.resubmission import refuses_resubmission

from . import services
from .codes import AssessmentFactor
from .forms import (
    AssessmentStartForm,
    AuthoriseForm,
    ChildSeenForm,
    CINPlanEditForm,
    CINPlanEndForm,
    CINPlanReviewForm,
    CINPlanStartForm,
    ConclusionForm,
    EpisodeCloseForm,
    EpisodeOpenForm,
    PrimaryNeedForm,
    ReturnForm,
    SectionForm,
    SubmitForm,
)
from .models import Assessment, CINEpisode, CINPlan
from .selectors import assessment_timeliness, cin_overview, open_episode_for

# ------------------------------------------------------------------------------------------------ helpers


# Every page here opens the child (checked and logged) and needs the right to record children in need work.
_child_page = child_page("cin.record_work")


def _episode(person: Person, pk: int) -> CINEpisode:
    return get_object_or_404(CINEpisode.objects.select_related("team"), pk=pk, child=person,
                             local_authority_id=person.local_authority_id)


def _assessment(person: Person, pk: int) -> Assessment:
    return get_object_or_404(Assessment.objects.select_related("episode", "worker", "authorised_by"), pk=pk,
                             child=person, local_authority_id=person.local_authority_id)


def _plan(person: Person, pk: int) -> CINPlan:
    return get_object_or_404(CINPlan.objects.select_related("episode"), pk=pk, child=person,
                             local_authority_id=person.local_authority_id)


def _overview_url(person: Person) -> str:
    return reverse("cin:overview", kwargs={"person_pk": person.pk})


def _strategy_url(person: Person) -> str | None:
    # The protection app owns this page; until it exists the link is left out.
    try:
        return reverse("protection:strategy_new", kwargs={"person_pk": person.pk})
    except NoReverseMatch:
        return None


# ------------------------------------------------------------------------------------------------ overview


@login_required
@require_GET
@_child_page
def overview(request: HttpRequest, person: Person, user: User) -> HttpResponse:
    data = cin_overview(user=user, child=person)
    return render(request, "cin/overview.html", {
        "person": person,
        "data": data,
        "current": data.current,
        "protection": protection_overview(child=person),
        # No strategy discussion button here: the protection part of this page carries that link.
        "is_manager": user.is_manager,
        "nav_current": "social_care",
    })


@login_required
@require_GET
@_child_page
def episode_detail(request: HttpRequest, person: Person, user: User, pk: int) -> HttpResponse:
    episode = _episode(person, pk)
    data = cin_overview(user=user, child=person)
    view = next((v for v in [data.current, *data.closed] if v is not None and v.episode.pk == episode.pk), None)
    if view is None:
        raise Http404
    return render(request, "cin/episode.html", {
        "person": person, "view": view, "nav_current": "social_care", "is_manager": user.is_manager,
        "strategy_url": _strategy_url(person) if episode.is_open else None, "data": data,
    })


# ------------------------------------------------------------------------------------------------ referrals


@login_required
@require_http_methods(["GET", "POST"])
@refuses_resubmission
@_child_page
def episode_open(request: HttpRequest, person: Person, user: User) -> HttpResponse:
    current = open_episode_for(child=person)
    if current is not None:
        messages.info(request, f"{person.full_name} is already open to children's social care. "
                               "Record new information on the open referral.")
        return redirect("cin:overview", person_pk=person.pk)
    form = build_form(EpisodeOpenForm, request, local_authority_id=person.local_authority_id)

    def save(data: dict[str, Any]) -> str:
        services.cin_episode_open(child=person, referral_date=data["referral_date"],
                                  referral_source=data["referral_source"], primary_need=data["primary_need"],
                                  team=data["team"], by=user)
        return "Referral recorded. The 45-working-day assessment clock has started"

    return form_page(request, person, form=form, title="Record a referral", save=save,
                     back=_overview_url(person), button="Record referral", creates=True,
                     context={"intro": "For a child already known to Hearth whose referral did not come "
                                       "through the front door, for example one made directly to the team."})


@login_required
@require_http_methods(["GET", "POST"])
@_child_page
def primary_need(request: HttpRequest, person: Person, user: User, pk: int) -> HttpResponse:
    episode = _episode(person, pk)
    form = build_form(PrimaryNeedForm, request, initial={"primary_need": episode.primary_need,
                                                         "version": episode.version})

    def save(data: dict[str, Any]) -> str:
        services.episode_primary_need_record(episode=episode, primary_need=data["primary_need"],
                                             expected_version=data["version"], by=user)
        return "Primary need recorded"

    return form_page(request, person, form=form, title="Primary need", save=save, back=_overview_url(person))


@login_required
@require_http_methods(["GET", "POST"])
@_child_page
def episode_close(request: HttpRequest, person: Person, user: User, pk: int) -> HttpResponse:
    episode = _episode(person, pk)
    if not episode.is_open:
        messages.info(request, "This referral is already closed.")
        return redirect("cin:overview", person_pk=person.pk)
    nothing_done = not services.episode_has_activity(episode)
    initial = {"version": episode.version,
               "closed_on": episode.referral_date if nothing_done else timezone.localdate()}
    if nothing_done:
        initial["reason"] = "RC7"
    form = build_form(EpisodeCloseForm, request, initial=initial, is_manager=user.is_manager)

    def save(data: dict[str, Any]) -> str:
        services.episode_close(episode=episode, closed_on=data["closed_on"], reason=data["reason"],
                               oversight_rationale=data.get("oversight_rationale", ""),
                               expected_version=data["version"], by=user)
        return "Referral closed"

    intro = ("Nothing has been recorded on this referral since it was made, so it will close as a referral with "
             "no further action (census RC7). The closure date is the date of that decision, usually the "
             "referral date." if nothing_done else "")
    return form_page(request, person, form=form, title="Close the referral", save=save,
                     back=_overview_url(person), button="Close referral", context={"intro": intro})


# ------------------------------------------------------------------------------------------------ assessments


@login_required
@require_http_methods(["GET", "POST"])
@refuses_resubmission
@_child_page
def assessment_new(request: HttpRequest, person: Person, user: User, pk: int) -> HttpResponse:
    episode = _episode(person, pk)
    form = build_form(AssessmentStartForm, request, initial={"started_on": timezone.localdate()},
                      local_authority_id=person.local_authority_id)
    started: list[Assessment] = []

    def save(data: dict[str, Any]) -> str:
        started.append(services.assessment_start(episode=episode, started_on=data["started_on"],
                                                 worker=data["worker"], by=user))
        return "Assessment started. Fill in the sections in any order"

    response = form_page(request, person, form=form, title="Start a child and family assessment", save=save,
                         back=_overview_url(person), button="Start assessment", creates=True)
    if started:
        return redirect("cin:assessment", person_pk=person.pk, pk=started[0].pk)
    return response


def _assessment_url(assessment: Assessment) -> str:
    return reverse("cin:assessment", kwargs={"person_pk": assessment.child_id, "pk": assessment.pk})


@login_required
@require_GET
@_child_page
def assessment_detail(request: HttpRequest, person: Person, user: User, pk: int) -> HttpResponse:
    assessment = _assessment(person, pk)
    timeliness = assessment_timeliness(assessment, referral_date=assessment.episode.referral_date,
                                       holidays=holiday_set())
    sections = [
        {"name": name, "heading": heading, "text": getattr(assessment, name)}
        for name, heading in Assessment.SECTIONS
    ]
    factor_labels = [AssessmentFactor(code).label for code in assessment.factors if code in AssessmentFactor.values]
    return render(request, "cin/assessment.html", {
        "person": person, "assessment": assessment, "timeliness": timeliness, "sections": sections,
        "factor_labels": factor_labels, "missing": services.assessment_missing_for_submission(assessment),
        "editable": assessment.status == Assessment.Status.IN_PROGRESS,
        "can_authorise": user.has_perm("cin.authorise_assessment", assessment),
        "nav_current": "social_care", "strategy_url": _strategy_url(person) if assessment.episode.is_open else None,
    })


@login_required
@require_http_methods(["GET", "POST"])
@_child_page
def assessment_section(request: HttpRequest, person: Person, user: User, pk: int, section: str) -> HttpResponse:
    assessment = _assessment(person, pk)
    if section not in services.SECTION_NAMES:
        raise Http404
    heading = services.SECTION_TITLES[section]
    form = build_form(SectionForm, request,
                      initial={"text": getattr(assessment, section), "version": assessment.version}, heading=heading)

    def save(data: dict[str, Any]) -> str:
        services.assessment_section_save(assessment=assessment, section=section, text=data["text"],
                                         expected_version=data["version"], by=user)
        return f"{heading} saved"

    return form_page(request, person, form=form, title=heading, save=save, back=_assessment_url(assessment),
                     button="Save section", draft_key=f"assessment-{assessment.pk}-{section}",
                     context={"caption": "Child and family assessment"})


@login_required
@require_http_methods(["GET", "POST"])
@_child_page
def assessment_child_seen(request: HttpRequest, person: Person, user: User, pk: int) -> HttpResponse:
    assessment = _assessment(person, pk)
    alone = {True: "yes", False: "no"}.get(assessment.child_seen_alone)  # type: ignore[arg-type]
    form = build_form(ChildSeenForm, request, initial={"seen_on": assessment.child_seen_on, "seen_alone": alone,
                                                       "version": assessment.version})

    def save(data: dict[str, Any]) -> str:
        services.assessment_child_seen_record(assessment=assessment, seen_on=data["seen_on"],
                                              seen_alone=data["seen_alone"], expected_version=data["version"],
                                              by=user)
        return "Date the child was seen recorded"

    return form_page(request, person, form=form, title="When the child was seen", save=save,
                     back=_assessment_url(assessment), context={"caption": "Child and family assessment"})


@login_required
@require_http_methods(["GET", "POST"])
@_child_page
def assessment_conclusion(request: HttpRequest, person: Person, user: User, pk: int) -> HttpResponse:
    assessment = _assessment(person, pk)
    form = build_form(ConclusionForm, request, initial={"factors": assessment.factors, "outcome": assessment.outcome,
                                                        "version": assessment.version})

    def save(data: dict[str, Any]) -> str:
        services.assessment_conclusion_record(assessment=assessment, factors=data["factors"],
                                              outcome=data["outcome"], expected_version=data["version"], by=user)
        return "Factors and outcome saved"

    return form_page(request, person, form=form, title="Factors and outcome", save=save,
                     back=_assessment_url(assessment), template="cin/assessment_conclusion.html",
                     draft_key=f"assessment-{assessment.pk}-conclusion")


@login_required
@require_http_methods(["GET", "POST"])
@_child_page
def assessment_submit(request: HttpRequest, person: Person, user: User, pk: int) -> HttpResponse:
    assessment = _assessment(person, pk)
    form = build_form(SubmitForm, request,
                      initial={"submitted_on": timezone.localdate(), "version": assessment.version})

    def save(data: dict[str, Any]) -> str:
        services.assessment_submit(assessment=assessment, submitted_on=data["submitted_on"],
                                   expected_version=data["version"], by=user)
        return "Assessment sent to a manager for authorisation"

    missing = services.assessment_missing_for_submission(assessment)
    return form_page(request, person, form=form, title="Submit the assessment for authorisation", save=save,
                     back=_assessment_url(assessment), button="Submit for authorisation",
                     template="cin/form.html",
                     context={"missing": missing, "caption": "Child and family assessment"})


@login_required
@require_http_methods(["GET", "POST"])
@_child_page
def assessment_authorise(request: HttpRequest, person: Person, user: User, pk: int) -> HttpResponse:
    assessment = _assessment(person, pk)
    if not user.has_perm("cin.authorise_assessment", assessment):
        raise PermissionDenied
    form = build_form(AuthoriseForm, request, initial={"authorised_on": timezone.localdate(),
                                                       "version": assessment.version})

    def save(data: dict[str, Any]) -> str:
        services.assessment_authorise(assessment=assessment, authorised_on=data["authorised_on"],
                                      rationale=data["rationale"], late_reason=data["late_reason"],
                                      expected_version=data["version"], by=user)
        return "Assessment authorised"

    timeliness = assessment_timeliness(assessment, referral_date=assessment.episode.referral_date)
    return form_page(request, person, form=form, title="Authorise the assessment", save=save,
                     back=_assessment_url(assessment), button="Authorise assessment",
                     template="cin/form.html",
                     context={"timeliness": timeliness, "caption": "Child and family assessment"})


@login_required
@require_http_methods(["GET", "POST"])
@_child_page
def assessment_return(request: HttpRequest, person: Person, user: User, pk: int) -> HttpResponse:
    assessment = _assessment(person, pk)
    if not user.has_perm("cin.authorise_assessment", assessment):
        raise PermissionDenied
    form = build_form(ReturnForm, request, initial={"version": assessment.version})

    def save(data: dict[str, Any]) -> str:
        services.assessment_return(assessment=assessment, comment=data["comment"],
                                   expected_version=data["version"], by=user)
        return "Assessment returned to the social worker"

    return form_page(request, person, form=form, title="Return the assessment for more work", save=save,
                     back=_assessment_url(assessment), button="Return assessment",
                     context={"caption": "Child and family assessment"})


# ------------------------------------------------------------------------------------------------ CIN plans


def _plan_url(plan: CINPlan) -> str:
    return reverse("cin:plan", kwargs={"person_pk": plan.child_id, "pk": plan.pk})


@login_required
@require_http_methods(["GET", "POST"])
@refuses_resubmission
@_child_page
def plan_new(request: HttpRequest, person: Person, user: User, pk: int) -> HttpResponse:
    episode = _episode(person, pk)
    form = build_form(CINPlanStartForm, request, initial={"started_on": timezone.localdate()})

    def save(data: dict[str, Any]) -> str:
        services.cin_plan_start(episode=episode, started_on=data["started_on"], plan=data["plan"], by=user)
        return "Child in need plan started"

    return form_page(request, person, form=form, title="Start a child in need plan", save=save,
                     back=_overview_url(person), button="Start plan", creates=True,
                     draft_key=f"cin-plan-new-{episode.pk}")


@login_required
@require_GET
@_child_page
def plan_detail(request: HttpRequest, person: Person, user: User, pk: int) -> HttpResponse:
    plan = _plan(person, pk)
    clock = Clock.objects.filter(subject_type=ContentType.objects.get_for_model(CINPlan), subject_id=plan.pk,
                                 status=Clock.Status.OPEN, local_authority_id=plan.local_authority_id).first()
    return render(request, "cin/plan.html", {
        "person": person, "plan": plan, "reviews": list(plan.reviews.order_by("-held_on", "-id")),
        "clock": clock, "nav_current": "social_care", "today": timezone.localdate(),
    })


@login_required
@require_http_methods(["GET", "POST"])
@_child_page
def plan_edit(request: HttpRequest, person: Person, user: User, pk: int) -> HttpResponse:
    plan = _plan(person, pk)
    form = build_form(CINPlanEditForm, request, initial={"plan": plan.plan, "version": plan.version})

    def save(data: dict[str, Any]) -> str:
        services.cin_plan_update(plan=plan, text=data["plan"], expected_version=data["version"], by=user)
        return "Plan saved"

    return form_page(request, person, form=form, title="Child in need plan", save=save, back=_plan_url(plan),
                     button="Save plan", draft_key=f"cin-plan-{plan.pk}")


@login_required
@require_http_methods(["GET", "POST"])
@refuses_resubmission
@_child_page
def plan_review_new(request: HttpRequest, person: Person, user: User, pk: int) -> HttpResponse:
    plan = _plan(person, pk)
    form = build_form(CINPlanReviewForm, request, initial={"held_on": timezone.localdate()})

    def save(data: dict[str, Any]) -> str:
        services.cin_plan_review_record(plan=plan, held_on=data["held_on"], summary=data["summary"], by=user)
        return "Review recorded. The next review is due from this date"

    return form_page(request, person, form=form, title="Record a plan review", save=save, back=_plan_url(plan),
                     button="Record review", creates=True, draft_key=f"cin-plan-review-{plan.pk}")


@login_required
@require_http_methods(["GET", "POST"])
@_child_page
def plan_end(request: HttpRequest, person: Person, user: User, pk: int) -> HttpResponse:
    plan = _plan(person, pk)
    form = build_form(CINPlanEndForm, request, initial={"ended_on": timezone.localdate(), "version": plan.version})

    def save(data: dict[str, Any]) -> str:
        services.cin_plan_end(plan=plan, ended_on=data["ended_on"], end_reason=data["end_reason"],
                              expected_version=data["version"], by=user)
        return "Child in need plan ended"

    return form_page(request, person, form=form, title="End the child in need plan", save=save,
                     back=_plan_url(plan), button="End plan")
