"""Reads for child protection.

The views have already checked the user may open the child (``_person_for``); these read one
child's records, always scoped by that child and its council. The merge check uses
``open_cp_plan_start``.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet
from django.utils import timezone

from hearth.accounts.models import User
from hearth.accounts.roles import Role
from hearth.clocks.models import Clock

from .models import (
    ChildProtectionConference,
    ChildProtectionPlan,
    CoreGroupMeeting,
    CPVisit,
    Section47Enquiry,
    StrategyDiscussion,
    TransferInNotice,
)

if TYPE_CHECKING:
    from hearth.people.models import Person


def open_cp_plan_start(person: Person) -> date | None:
    """When the person's open child protection plan started, or None when they have no open plan."""
    started: date | None = (
        ChildProtectionPlan.objects.filter(
            child=person, local_authority_id=person.local_authority_id, ended_on__isnull=True
        ).values_list("started_on", flat=True).first()
    )
    return started


def plans_for(*, child: Person) -> QuerySet[ChildProtectionPlan]:
    return ChildProtectionPlan.objects.filter(child=child, local_authority_id=child.local_authority_id)


def plan_for(*, child: Person, pk: int) -> ChildProtectionPlan | None:
    return plans_for(child=child).filter(pk=pk).first()


def s47_for(*, child: Person, pk: int) -> Section47Enquiry | None:
    return (
        Section47Enquiry.objects.filter(child=child, local_authority_id=child.local_authority_id, pk=pk)
        .select_related("strategy_discussion").first()
    )


def conference_for(*, child: Person, pk: int) -> ChildProtectionConference | None:
    return (
        ChildProtectionConference.objects.filter(child=child, local_authority_id=child.local_authority_id, pk=pk)
        .select_related("chair", "cp_plan", "section47").first()
    )


def conference_chairs(*, local_authority_id: int | None) -> QuerySet[User]:
    """The council's independent child protection chairs, for the conference form."""
    return User.objects.filter(local_authority_id=local_authority_id, role=Role.IRO, is_active=True).order_by(
        "last_name", "first_name", "id"
    )


def pending_transfer_in(*, child: Person) -> TransferInNotice | None:
    return TransferInNotice.objects.filter(
        child=child, local_authority_id=child.local_authority_id, conference__isnull=True
    ).first()


def clocks_of(*, subject: ChildProtectionPlan | Section47Enquiry | TransferInNotice) -> QuerySet[Clock]:
    """Every clock a protection record owns (open and closed), by due date."""
    return Clock.objects.filter(
        subject_type=ContentType.objects.get_for_model(type(subject)), subject_id=subject.pk,
        local_authority_id=subject.local_authority_id,
    ).order_by("due_on", "id")


def plan_page(*, plan: ChildProtectionPlan) -> dict[str, Any]:
    """What the plan page shows, in a fixed number of queries."""
    clocks = list(clocks_of(subject=plan))
    open_clocks = [c for c in clocks if c.is_open]
    conferences = list(plan.conferences.select_related("chair").order_by("-held_on", "-id"))
    return {
        "visits": list(plan.visits.select_related("visited_by").order_by("-visited_on", "-id")),
        "core_groups": list(plan.core_groups.order_by("-held_on", "-id")),
        "conferences": conferences,
        "latest_conference": conferences[0] if conferences else None,
        "open_clocks": sorted(open_clocks, key=lambda c: (c.due_on, c.pk)),
        "closed_clocks": [c for c in clocks if not c.is_open],
    }


def protection_overview(*, child: Person) -> dict[str, Any]:
    """The child protection part of the child's social care page: a fixed, small number of queries."""
    la = child.local_authority_id
    plans = list(ChildProtectionPlan.objects.filter(child=child, local_authority_id=la).order_by("-started_on", "-id"))
    enquiries = list(
        Section47Enquiry.objects.filter(child=child, local_authority_id=la)
        .select_related("strategy_discussion").order_by("-started_on", "-id")
    )
    discussions = list(StrategyDiscussion.objects.filter(child=child, local_authority_id=la)
                       .order_by("-held_on", "-id"))
    conferences = list(
        ChildProtectionConference.objects.filter(child=child, local_authority_id=la)
        .select_related("chair").order_by("-held_on", "-id")
    )
    transfer = pending_transfer_in(child=child)
    open_plan = next((p for p in plans if p.ended_on is None), None)
    plan_info: dict[str, Any] | None = None
    if open_plan is not None:
        clocks = list(
            Clock.objects.filter(
                subject_type=ContentType.objects.get_for_model(ChildProtectionPlan), subject_id=open_plan.pk,
                local_authority_id=la, status=Clock.Status.OPEN,
            ).order_by("due_on", "id")
        )
        by_rule = {c.rule_id: c for c in clocks}
        plan_info = {
            "plan": open_plan,
            "next_review": by_rule.get("rcpc_first") or by_rule.get("rcpc_next"),
            "next_visit": by_rule.get("cp_visit"),
            "next_core_group": by_rule.get("core_group_first") or by_rule.get("core_group_next"),
            "last_visit": CPVisit.objects.filter(cp_plan=open_plan, child_seen=True)
            .order_by("-visited_on", "-id").first(),
            "last_core_group": CoreGroupMeeting.objects.filter(cp_plan=open_plan)
            .order_by("-held_on", "-id").first(),
        }
    history = _history(child, plans=plans, enquiries=enquiries, discussions=discussions, conferences=conferences)
    initial_done = {c.section47_id for c in conferences if c.kind == ChildProtectionConference.Kind.INITIAL}
    awaiting_icpc = [e for e in enquiries if e.icpc_required and e.pk not in initial_done]
    return {
        "plans": plans,
        "open_plan": plan_info,
        "enquiries": enquiries,
        "open_enquiry": next((e for e in enquiries if e.completed_on is None), None),
        "awaiting_icpc": awaiting_icpc[0] if awaiting_icpc else None,
        "discussions": discussions,
        "conferences": conferences,
        "transfer_in": transfer,
        "history": history,
        "today": timezone.localdate(),
    }


def _history(child: Person, *, plans: list[ChildProtectionPlan], enquiries: list[Section47Enquiry],
             discussions: list[StrategyDiscussion], conferences: list[ChildProtectionConference]
             ) -> list[dict[str, Any]]:
    """Every strategy discussion, enquiry, conference and plan, newest first, as table rows."""
    base = f"/children/{child.pk}/protection/"
    rows: list[dict[str, Any]] = []
    for d in discussions:
        rows.append({"on": d.held_on, "what": "Strategy discussion", "url": "", "outcome": d.get_decision_display()})
    for e in enquiries:
        rows.append({"on": e.started_on, "what": "Section 47 enquiry", "url": f"{base}s47/{e.pk}/",
                     "outcome": e.get_outcome_display() if e.completed_on else "Open"})
    for c in conferences:
        outcome = c.get_outcome_display() + (f" ({c.get_category_display().lower()})" if c.category else "")
        rows.append({"on": c.held_on, "what": c.get_kind_display(), "url": f"{base}conferences/{c.pk}/",
                     "outcome": outcome})
    for p in plans:
        ended = f"Ended {p.ended_on:%-d %b %Y}: {p.get_end_reason_display().lower()}" if p.ended_on else "Open"
        rows.append({"on": p.started_on, "what": "Child protection plan", "url": f"{base}plans/{p.pk}/",
                     "outcome": ended})
    # Same day: the plan after the conference after the enquiry after the discussion.
    order = {"Strategy discussion": 0, "Section 47 enquiry": 1, "Child protection plan": 3}
    rows.sort(key=lambda r: (r["on"], order.get(r["what"], 2)), reverse=True)
    return rows
