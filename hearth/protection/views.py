"""Views for child protection. Thin: access check and log, form, service, redirect or the form again."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hearth.access import services as access_services
from hearth.access.models import AccessEvent
from hearth.oversight.models import DecisionPoint
from hearth.oversight.selectors import gate_is_on, oversight_for
from hearth.oversight.services import oversight_record
from hearth.people.models import Person
from hearth.people.views import RestrictedRecord, _person_for, _refused
from hearth.workspace.pages import acting_user, restore_draft, saved
from hearth.workspace.pdf import pdf_filename, pdf_response
from hearth.workspace.resubmission import refuses_resubmission
from hearth.workspace.services import draft_discard

from . import selectors, services
from .forms import (
    ConferenceForm,
    CoreGroupForm,
    CPVisitForm,
    OversightForm,
    PlanEditForm,
    PlanEndForm,
    S47CompleteForm,
    StrategyDiscussionForm,
    TransferInForm,
)
from .models import ChildProtectionConference, ChildProtectionPlan, Section47Enquiry, StrategyDiscussion

Conference = ChildProtectionConference
View = Callable[..., HttpResponse]


def _log(request: HttpRequest, person: Person, action: str = AccessEvent.Action.VIEW) -> None:
    access_services.access_record(user=acting_user(request), person=person, action=action, page=request.get_full_path())


def _child_view(view: View) -> View:
    """Open the child for this user (refusal page for a restricted record, 404 for one they may not know of)."""

    def wrapped(request: HttpRequest, person_pk: int, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            person = _person_for(request, person_pk)
        except RestrictedRecord as refused:
            return _refused(request, refused.person)
        if not request.user.has_perm("protection.record", person):
            raise PermissionDenied
        return view(request, person, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


def _page(request: HttpRequest, person: Person, template: str, **context: Any) -> HttpResponse:
    _log(request, person)
    return render(request, template, {"person": person, "nav_current": "social_care",
                                      "today": timezone.localdate(), **context})


def _yes(value: str) -> bool:
    return value == "yes"


def _oversight_saved(request: HttpRequest, form: OversightForm, *, subject: Any, decision_point: str,
                     person: Person) -> bool:
    """Record a manager's oversight from the posted form; True when it is saved."""
    if not form.is_valid():
        return False
    if saved(form, lambda: oversight_record(subject=subject, decision_point=decision_point,
                                            rationale=form.cleaned_data["rationale"], child=person,
                                            by=acting_user(request))) is None:
        return False
    messages.success(request, "Management oversight recorded")
    return True


# ---------------------------------------------------------------- strategy discussions


@login_required
@require_http_methods(["GET", "POST"])
@refuses_resubmission
@_child_view
def strategy_new(request: HttpRequest, person: Person) -> HttpResponse:
    user = acting_user(request)
    draft_key = f"strategy-{person.pk}-new"
    restored_at = None
    if request.method == "POST":
        form = StrategyDiscussionForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            discussion = saved(form, lambda: services.strategy_discussion_record(
                child=person, held_on=data["held_on"], agencies_present=data["agencies_present"],
                reason=data["reason"], decision=data["decision"], by=user, attendees=data["attendees"],
                immediate_safety_actions=data["immediate_safety_actions"],
            ))
            if discussion is not None:
                draft_discard(user=user, key=draft_key)
                missing = services.missing_core_agencies(discussion.agencies_present)
                if missing:
                    messages.warning(request, f"Strategy discussion recorded without {' or '.join(missing)}. "
                                              "Working Together expects them to take part: record why in the "
                                              "case notes, or hold a further discussion with them.")
                else:
                    messages.success(request, "Strategy discussion recorded")
                enquiry = discussion.s47_enquiries.first()
                if enquiry is not None:
                    return redirect("protection:s47", person_pk=person.pk, pk=enquiry.pk)
                return redirect("cin:overview", person_pk=person.pk)
    else:
        draft, restored_at = restore_draft(request, draft_key)
        form = StrategyDiscussionForm(draft) if draft is not None else StrategyDiscussionForm()
    return _page(request, person, "protection/strategy_form.html", form=form, draft_key=draft_key,
                 restored_at=restored_at, episode=services.open_episode_for(person),
                 discussions=StrategyDiscussion.objects.filter(child=person).order_by("-held_on", "-id")[:5])


# ---------------------------------------------------------------- section 47


def _s47_or_404(person: Person, pk: int) -> Section47Enquiry:
    enquiry = selectors.s47_for(child=person, pk=pk)
    if enquiry is None:
        raise Http404
    return enquiry


def _s47_page(request: HttpRequest, person: Person, enquiry: Section47Enquiry,
              complete_form: S47CompleteForm | None = None, oversight_form: OversightForm | None = None
              ) -> HttpResponse:
    user = acting_user(request)
    oversight = list(oversight_for(subject=enquiry, decision_point=DecisionPoint.S47_OUTCOME))
    clocks = list(selectors.clocks_of(subject=enquiry))
    return _page(
        request, person, "protection/s47.html", enquiry=enquiry,
        complete_form=complete_form or S47CompleteForm(initial={"version": enquiry.version}),
        oversight_form=oversight_form or OversightForm(), oversight=oversight, clocks=clocks,
        may_oversee=user.has_perm("protection.record_oversight", person),
        gate_on=gate_is_on(local_authority=enquiry.local_authority_id, decision_point=DecisionPoint.S47_OUTCOME),
        conferences=list(enquiry.conferences.all()),
    )


@login_required
@require_GET
@_child_view
def s47(request: HttpRequest, person: Person, pk: int) -> HttpResponse:
    return _s47_page(request, person, _s47_or_404(person, pk))


@login_required
@require_POST
@_child_view
def s47_complete(request: HttpRequest, person: Person, pk: int) -> HttpResponse:
    enquiry = _s47_or_404(person, pk)
    form = S47CompleteForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        enquiry.version = data["version"]
        if saved(form, lambda: services.s47_complete(enquiry=enquiry, completed_on=data["completed_on"],
                                                     outcome=data["outcome"], findings=data["findings"],
                                                     by=acting_user(request))) is not None:
            messages.success(request, "Outcome of the section 47 enquiry recorded")
            return redirect("protection:s47", person_pk=person.pk, pk=enquiry.pk)
        enquiry = _s47_or_404(person, pk)
    return _s47_page(request, person, enquiry, complete_form=form)


@login_required
@require_http_methods(["GET", "POST"])
@refuses_resubmission
@_child_view
def s47_oversight(request: HttpRequest, person: Person, pk: int) -> HttpResponse:
    enquiry = _s47_or_404(person, pk)
    if request.method == "GET":  # where a form sent twice is sent back to
        return redirect("protection:s47", person_pk=person.pk, pk=enquiry.pk)
    if not request.user.has_perm("protection.record_oversight", person):
        raise PermissionDenied
    if enquiry.completed_on is None:
        # Oversight is of the outcome: there is none to oversee until it is recorded.
        messages.error(request, "Record the outcome of the enquiry before management oversight of it")
        return redirect("protection:s47", person_pk=person.pk, pk=enquiry.pk)
    form = OversightForm(request.POST)
    if _oversight_saved(request, form, subject=enquiry, decision_point=DecisionPoint.S47_OUTCOME, person=person):
        return redirect("protection:s47", person_pk=person.pk, pk=enquiry.pk)
    return _s47_page(request, person, enquiry, oversight_form=form)


# ---------------------------------------------------------------- conferences


@login_required
@require_http_methods(["GET", "POST"])
@refuses_resubmission
@_child_view
def conference_new(request: HttpRequest, person: Person, kind: str) -> HttpResponse:
    if kind not in Conference.Kind.values:
        raise Http404
    user = acting_user(request)
    chairs = selectors.conference_chairs(local_authority_id=person.local_authority_id)
    draft_key = f"conference-{person.pk}-{kind}-new"
    restored_at = None
    plan = services.open_plan_for(person) if kind == Conference.Kind.REVIEW else None
    notice = selectors.pending_transfer_in(child=person) if kind == Conference.Kind.TRANSFER_IN else None
    if request.method == "POST":
        form = ConferenceForm(request.POST, kind=kind, chairs=chairs)
        if form.is_valid():
            data = form.cleaned_data
            conference = saved(form, lambda: services.conference_record(
                kind=kind, child=person, held_on=data["held_on"], chair=data["chair"], outcome=data["outcome"],
                by=user, category=data.get("category") or "", cp_plan=plan,
                notified_on=data.get("notified_on"), previous_authority=data.get("previous_authority") or "",
                attendees=data["attendees"], summary_of_concerns=data["summary_of_concerns"],
                decisions_and_reasons=data["decisions_and_reasons"], family_summary=data["family_summary"],
                end_reason=data.get("end_reason") or "", outline_plan=data.get("outline_plan") or "",
            ))
            if conference is not None:
                draft_discard(user=user, key=draft_key)
                messages.success(request, f"{conference.get_kind_display()} recorded")
                if conference.cp_plan_id and conference.outcome != Conference.Outcome.PLAN_ENDS:
                    return redirect("protection:plan", person_pk=person.pk, pk=conference.cp_plan_id)
                return redirect("protection:conference", person_pk=person.pk, pk=conference.pk)
    else:
        draft, restored_at = restore_draft(request, draft_key)
        initial: dict[str, Any] = {}
        if notice is not None:
            initial = {"notified_on": notice.notified_on, "previous_authority": notice.previous_authority}
        form = (ConferenceForm(draft, kind=kind, chairs=chairs) if draft is not None
                else ConferenceForm(initial=initial, kind=kind, chairs=chairs))
    overview = selectors.protection_overview(child=person)
    return _page(request, person, "protection/conference_form.html", form=form, kind=kind,
                 kind_label=Conference.Kind(kind).label, draft_key=draft_key, restored_at=restored_at, plan=plan,
                 notice=notice, protection=overview, no_chairs=not chairs.exists())


def _conference_or_404(person: Person, pk: int) -> ChildProtectionConference:
    conference = selectors.conference_for(child=person, pk=pk)
    if conference is None:
        raise Http404
    return conference


@login_required
@require_GET
@_child_view
def conference(request: HttpRequest, person: Person, pk: int) -> HttpResponse:
    return _page(request, person, "protection/conference.html", conference=_conference_or_404(person, pk))


@login_required
@require_http_methods(["GET", "POST"])
@refuses_resubmission
@_child_view
def transfer_in(request: HttpRequest, person: Person) -> HttpResponse:
    if request.method == "POST":
        form = TransferInForm(request.POST)
        if form.is_valid() and saved(form, lambda: services.transfer_in_notify(
            child=person, notified_on=form.cleaned_data["notified_on"],
            previous_authority=form.cleaned_data["previous_authority"], by=acting_user(request),
        )) is not None:
            messages.success(request, "Transfer in recorded. The transfer-in conference is due within "
                                      "15 working days")
            return redirect("cin:overview", person_pk=person.pk)
    else:
        form = TransferInForm()
    return _page(request, person, "protection/transfer_in.html", form=form)


# ---------------------------------------------------------------- plans


def _plan_or_404(person: Person, pk: int) -> ChildProtectionPlan:
    plan = selectors.plan_for(child=person, pk=pk)
    if plan is None:
        raise Http404
    return plan


def _plan_page(request: HttpRequest, person: Person, plan: ChildProtectionPlan,
               oversight_form: OversightForm | None = None, oversight_point: str = "") -> HttpResponse:
    user = acting_user(request)
    oversight = list(oversight_for(subject=plan))
    return _page(
        request, person, "protection/plan.html", plan=plan, **selectors.plan_page(plan=plan),
        oversight=oversight, oversight_form=oversight_form or OversightForm(), oversight_point=oversight_point,
        may_oversee=user.has_perm("protection.record_oversight", person),
        end_gate_on=gate_is_on(local_authority=plan.local_authority_id, decision_point=DecisionPoint.CP_PLAN_END),
        end_overseen=any(o.decision_point == DecisionPoint.CP_PLAN_END for o in oversight),
        start_overseen=any(o.decision_point == DecisionPoint.CP_PLAN_START for o in oversight),
    )


@login_required
@require_GET
@_child_view
def plan(request: HttpRequest, person: Person, pk: int) -> HttpResponse:
    return _plan_page(request, person, _plan_or_404(person, pk))


@login_required
@require_http_methods(["GET", "POST"])
@refuses_resubmission
@_child_view
def plan_oversight(request: HttpRequest, person: Person, pk: int) -> HttpResponse:
    plan = _plan_or_404(person, pk)
    if request.method == "GET":  # where a form sent twice is sent back to
        return redirect("protection:plan", person_pk=person.pk, pk=plan.pk)
    if not request.user.has_perm("protection.record_oversight", person):
        raise PermissionDenied
    point = request.POST.get("decision_point", "")
    if point not in (DecisionPoint.CP_PLAN_START, DecisionPoint.CP_PLAN_END):
        raise Http404
    form = OversightForm(request.POST)
    if _oversight_saved(request, form, subject=plan, decision_point=point, person=person):
        return redirect("protection:plan", person_pk=person.pk, pk=plan.pk)
    return _plan_page(request, person, plan, oversight_form=form, oversight_point=point)


@login_required
@require_http_methods(["GET", "POST"])
@_child_view
def plan_edit(request: HttpRequest, person: Person, pk: int) -> HttpResponse:
    plan = _plan_or_404(person, pk)
    if plan.ended_on is not None:
        raise Http404
    if request.method == "POST":
        form = PlanEditForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            plan.version = data["version"]
            if saved(form, lambda: services.cp_plan_update(
                plan=plan, outline_plan=data["outline_plan"], family_summary=data["family_summary"],
                visit_interval_days=data["visit_interval_days"], by=acting_user(request),
            )) is not None:
                messages.success(request, "Plan saved")
                return redirect("protection:plan", person_pk=person.pk, pk=plan.pk)
            plan = _plan_or_404(person, pk)
    else:
        form = PlanEditForm(initial={"outline_plan": plan.outline_plan, "family_summary": plan.family_summary,
                                     "visit_interval_days": plan.visit_interval_days, "version": plan.version})
    return _page(request, person, "protection/plan_edit.html", plan=plan, form=form)


@login_required
@require_http_methods(["GET", "POST"])
@_child_view
def plan_end(request: HttpRequest, person: Person, pk: int) -> HttpResponse:
    plan = _plan_or_404(person, pk)
    if plan.ended_on is not None:
        return redirect("protection:plan", person_pk=person.pk, pk=plan.pk)
    if request.method == "POST":
        form = PlanEndForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            plan.version = data["version"]
            if saved(form, lambda: services.cp_plan_end(plan=plan, ended_on=data["ended_on"], reason=data["reason"],
                                                        by=acting_user(request))) is not None:
                messages.success(request, "Child protection plan ended")
                return redirect("protection:plan", person_pk=person.pk, pk=plan.pk)
            plan = _plan_or_404(person, pk)
    else:
        form = PlanEndForm(initial={"version": plan.version})
    overseen = oversight_for(subject=plan, decision_point=DecisionPoint.CP_PLAN_END).exists()
    gate_on = gate_is_on(local_authority=plan.local_authority_id, decision_point=DecisionPoint.CP_PLAN_END)
    return _page(request, person, "protection/plan_end.html", plan=plan, form=form,
                 needs_oversight=gate_on and not overseen)


def _plan_event(request: HttpRequest, person: Person, pk: int, *, form_class: type[Form], template: str,
                record: Callable[[ChildProtectionPlan, dict[str, Any]], str]) -> HttpResponse:
    plan = _plan_or_404(person, pk)
    if plan.ended_on is not None:
        messages.info(request, "This plan has ended")
        return redirect("protection:plan", person_pk=person.pk, pk=plan.pk)
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        message = saved(form, lambda: record(plan, form.cleaned_data))
        if message is not None:
            if message.startswith("!"):
                messages.warning(request, message[1:])
            else:
                messages.success(request, message)
            return redirect("protection:plan", person_pk=person.pk, pk=plan.pk)
    return _page(request, person, template, plan=plan, form=form)


@login_required
@require_http_methods(["GET", "POST"])
@refuses_resubmission
@_child_view
def visit_new(request: HttpRequest, person: Person, pk: int) -> HttpResponse:
    def record(plan: ChildProtectionPlan, data: dict[str, Any]) -> str:
        seen = _yes(data["child_seen"])
        services.cp_visit_record(plan=plan, visited_on=data["visited_on"], child_seen=seen,
                                 child_seen_alone=seen and _yes(data["child_seen_alone"]), by=acting_user(request),
                                 observations=data["observations"])
        if not seen:
            return ("!Visit recorded. The child was not seen, so it does not count as a statutory visit: "
                    "the next visit is still due by the same date.")
        return "Visit recorded. The next visit is due from today's visit date."

    return _plan_event(request, person, pk, form_class=CPVisitForm, template="protection/visit_form.html",
                       record=record)


@login_required
@require_http_methods(["GET", "POST"])
@refuses_resubmission
@_child_view
def core_group_new(request: HttpRequest, person: Person, pk: int) -> HttpResponse:
    def record(plan: ChildProtectionPlan, data: dict[str, Any]) -> str:
        services.core_group_record(plan=plan, held_on=data["held_on"], by=acting_user(request),
                                   attendees=data["attendees"], progress=data["progress"])
        return "Core group meeting recorded"

    return _plan_event(request, person, pk, form_class=CoreGroupForm, template="protection/core_group_form.html",
                       record=record)


# ---------------------------------------------------------------- PDFs


def _pdf(request: HttpRequest, person: Person, template: str, filename: str, **context: Any) -> HttpResponse:
    user = acting_user(request)
    _log(request, person, AccessEvent.Action.PRINT)
    printed_at = timezone.localtime()
    html = render_to_string(
        template,
        {"person": person, "printed_by": user.get_full_name() or user.get_username(), "printed_at": printed_at,
         "council_name": settings.HEARTH_COUNCIL_NAME, **context},
        request=request,
    )
    return pdf_response(html, filename=pdf_filename(filename, person.hearth_id, printed_at))


@login_required
@require_GET
@_child_view
def conference_pdf(request: HttpRequest, person: Person, pk: int) -> HttpResponse:
    conference = _conference_or_404(person, pk)
    return _pdf(request, person, "protection/pdf_conference.html", "conference-report", conference=conference)


@login_required
@require_GET
@_child_view
def plan_pdf(request: HttpRequest, person: Person, pk: int) -> HttpResponse:
    plan = _plan_or_404(person, pk)
    return _pdf(request, person, "protection/pdf_plan.html", "child-protection-plan", plan=plan,
                **selectors.plan_page(plan=plan))


@login_required
@require_GET
@_child_view
def plan_family_pdf(request: HttpRequest, person: Person, pk: int) -> HttpResponse:
    plan = _plan_or_404(person, pk)
    return _pdf(request, person, "protection/pdf_plan_family.html", "plan-for-the-family", plan=plan,
                **selectors.plan_page(plan=plan))
