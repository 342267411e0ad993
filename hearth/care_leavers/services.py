"""Care leavers: status, personal advisers, pathway plans, contact, accommodation and activity.

Writes only. Each is one transaction with its audit history (AuditedModel), its chronology line and the
clocks it starts, stops or cancels:

* ``pathway_needs_assessment``: from the 16th birthday, or the day the young person became eligible if
  later; stopped by the completed assessment.
* ``pathway_plan_review``: from the plan's start (the first review), then from each review's actual date;
  cancelled when the plan ends.
* ``care_leaver_contact``: from leaving care, then from each contact in which the young person was in
  touch, at the council's interval or the one the pathway plan sets; cancelled when no more contact is due.

The status is computed, never stored (``hearth.care_leavers.status``); ``care_leaver_sync`` brings the
clocks into line with it and is run after every change here, from the care app's hook when a period of
care ends, and daily (``manage.py care_leavers_sync``) as young people turn 16, 21 and 25.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from hearth.accounts.models import Team, User
from hearth.accounts.roles import Role
from hearth.allocations.models import Allocation
from hearth.allocations.selectors import current_social_work_allocation
from hearth.allocations.services import allocation_end, allocation_start
from hearth.audit.actor import acting_as
from hearth.care.codes import FOSTER_PLACEMENTS, AccommodationType, Activity, InTouch
from hearth.care.models import CareLegalStatus, PeriodOfCare, Placement
from hearth.chronology.models import EventType
from hearth.chronology.services import chronology_record
from hearth.clocks.models import Clock
from hearth.clocks.services import clock_cancel, clock_start, clock_stop
from hearth.workspace.dates import long_date
from hearth.workspace.refusals import future_error, refuse
from hearth.workspace.services import notification_send

from .models import (
    CareLeaverAccommodation,
    CareLeaverActivity,
    CareLeaverContact,
    PathwayNeedsAssessment,
    PathwayPlan,
    PathwayPlanReview,
    StatusDecision,
    StayingPut,
)
from .selectors import (
    CARE_LEAVER_RULES,
    RULE_CONTACT,
    RULE_NEEDS_ASSESSMENT,
    RULE_PLAN_REVIEW,
    care_history,
    current_personal_adviser,
    decisions_from,
    open_clock,
    periods_from,
    status_decisions,
    status_for,
)
from .status import (
    DECLINED_SUPPORT,
    DETAINED_ON_16TH_BIRTHDAY,
    FULL_SUPPORT,
    RETURNED_HOME,
    CarePeriod,
    Status,
    StatusResult,
    birthday,
    care_leaver_status,
)

if TYPE_CHECKING:
    from hearth.fostering.models import FosterHousehold
    from hearth.people.models import Person

SYSTEM = "care_leavers"
# Contacts after which no more keeping-in-touch contact is due.
ENDS_CONTACT = frozenset({InTouch.DIED, InTouch.NOT_REQUIRED, InTouch.RETURNED_HOME})


# ------------------------------------------------------------------------------------------------ helpers


def _dob(child: Person) -> date:
    if child.date_of_birth is None:
        raise ValidationError(f"Record {child.full_name}'s date of birth first: leaving care duties depend on it")
    return child.date_of_birth


def _not_before_16(field: str, day: date, child: Person, noun: str) -> None:
    b16 = birthday(_dob(child), 16)
    if day < b16:
        raise ValidationError({field: f"{noun} must be on or after {child.full_name}'s 16th birthday "
                                      f"({long_date(b16)})"})


def _link(child: Person) -> str:
    return reverse("care_leavers:overview", kwargs={"person_pk": child.pk})


def _assignee(child: Person) -> User | None:
    """Who the leaving-care clocks fall to: the personal adviser, else the allocated social worker."""
    adviser = current_personal_adviser(child=child)
    if adviser is not None and adviser.worker is not None:
        return adviser.worker
    allocation = current_social_work_allocation(child=child)
    return allocation.worker if allocation is not None else None


def _open_plan(child: Person) -> PathwayPlan | None:
    return PathwayPlan.objects.filter(child=child, ended_on__isnull=True,
                                      local_authority_id=child.local_authority_id).first()


def _contact_interval(child: Person) -> tuple[int, str] | None:
    plan = _open_plan(child)
    if plan is not None and plan.contact_interval_weeks:
        return plan.contact_interval_weeks, "weeks"
    return None


def _first_left_care(periods: list[CarePeriod], b16: date) -> date | None:
    """The first day, at 16 or over, the young person was no longer looked after (short breaks aside)."""
    ends = sorted(end for p in periods for _, end in p.counted() if b16 < end < date.max)
    return ends[0] if ends else None


def _cancel(child: Person, rule_id: str, by: Any) -> None:
    clock = open_clock(child=child, rule_id=rule_id)
    if clock is not None:
        clock_cancel(clock=clock, by=by)


def _start_contact_clock(child: Person, started_on: date, by: Any, assigned_to: User | None = None) -> Clock:
    return clock_start(child=child, rule_id=RULE_CONTACT, started_on=started_on, interval=_contact_interval(child),
                       assigned_to=assigned_to or _assignee(child), by=by)


def _as_stale_check(instance: Any, expected_version: int | None) -> None:
    # The stored version is compared on save (AuditedModel): a page opened before another save is refused.
    if expected_version is not None:
        instance.version = expected_version


# ------------------------------------------------------------------------------------------------ status and clocks


def _ensure_needs_assessment_clock(child: Person, status: StatusResult, by: Any) -> None:
    """Due 3 months from the 16th birthday or the day the young person became eligible, if later (reg 42)."""
    if PathwayNeedsAssessment.objects.filter(child=child, local_authority_id=child.local_authority_id).exists():
        return
    start = status.eligible_from or birthday(_dob(child), 16)
    clocks = Clock.objects.filter(child=child, rule_id=RULE_NEEDS_ASSESSMENT,
                                  local_authority_id=child.local_authority_id)
    # Idempotent: a running or stopped clock stands; one cancelled from this same start is not restarted.
    if clocks.exclude(status=Clock.Status.CANCELLED).exists() or clocks.filter(started_on=start).exists():
        return
    clock_start(child=child, rule_id=RULE_NEEDS_ASSESSMENT, started_on=start, assigned_to=_assignee(child), by=by)


def _ensure_review_clock(child: Person, by: Any) -> None:
    """An open plan whose review clock was stopped with the support (declined after 21, then asked for again)."""
    plan = _open_plan(child)
    if plan is not None and open_clock(child=child, rule_id=RULE_PLAN_REVIEW) is None:
        clock_start(child=child, rule_id=RULE_PLAN_REVIEW, started_on=_last_review_on(plan), subject=plan,
                    assigned_to=_assignee(child), by=by)


def _sync(child: Person, status: StatusResult, by: Any) -> None:
    if status.status in FULL_SUPPORT and status.receiving_support:
        _ensure_needs_assessment_clock(child, status, by)
        _ensure_review_clock(child, by)
    elif status.status == Status.NONE or not status.receiving_support:
        # Not (or no longer) a care leaver, or support declined after 21: nothing more falls due.
        for rule_id in CARE_LEAVER_RULES:
            _cancel(child, rule_id, by)


def care_leaver_sync(*, child: Person, by: Any, today: date | None = None) -> StatusResult:
    """Bring the young person's leaving-care clocks into line with their status today; returns the status."""
    status = status_for(child=child, on=today or timezone.localdate())
    with transaction.atomic(), acting_as(by):
        _sync(child, status, by)
    return status


def _notify_needs_adviser(child: Person, left_on: date, status: StatusResult) -> None:
    """Remind the leaving-care managers, and the social worker, that a young person needs a personal adviser.

    The title never names the young person: a manager may not be able to open a restricted record.
    """
    recipients = set(User.objects.filter(local_authority_id=child.local_authority_id, is_active=True,
                                         role=Role.TEAM_MANAGER, team__kind=Team.Kind.CARE_LEAVERS))
    allocation = current_social_work_allocation(child=child)
    if allocation is not None and allocation.worker is not None:
        recipients.add(allocation.worker)
    for user in sorted(recipients, key=lambda u: u.pk):
        notification_send(
            recipient=user, title="A young person who has left care needs a personal adviser",
            body=f"Left care on {long_date(left_on)} as a {status.label.lower()} young person, with no personal "
                 "adviser allocated.",
            link=_link(child),
        )


def period_of_care_ended(*, period: PeriodOfCare, by: Any) -> None:
    """Called by hearth.care in the same transaction when a period of care ends.

    A young person who was an eligible child becomes relevant (under 18) or former relevant: their pathway
    plan carries on, keeping in touch starts from the day they left, the needs assessment is still due if it
    was not done, and the managers are reminded if no personal adviser is allocated. Leaving at 18 to stay
    with their foster carers (REC E17) starts staying put.
    """
    child = period.child
    ended = period.ended_on
    if ended is None or child.date_of_birth is None:
        return
    # This period as the care app has it now, whether or not it is saved yet.
    rows = [p for p in PeriodOfCare.objects.filter(child=child, local_authority_id=child.local_authority_id)
            if p.pk != period.pk] + [period]
    periods = periods_from(rows, CareLegalStatus.objects.filter(child=child,
                                                                local_authority_id=child.local_authority_id))
    decisions = decisions_from(status_decisions(child=child))
    status = care_leaver_status(date_of_birth=child.date_of_birth, periods=periods, decisions=decisions,
                                date_of_death=child.date_of_death, on=ended)
    with transaction.atomic(), acting_as(by):
        if period.reason_ceased == "E2":
            for rule_id in CARE_LEAVER_RULES:
                _cancel(child, rule_id, by)
            return
        if status.status in (Status.RELEVANT, Status.FORMER_RELEVANT):
            chronology_record(
                person=child, event_type=EventType.OTHER, occurred=ended,
                title=f"Left care: now a {status.label.lower()} young person", summary=" ".join(status.reasons),
                link=_link(child), significant=True, by=by,
            )
            _ensure_needs_assessment_clock(child, status, by)
            if open_clock(child=child, rule_id=RULE_CONTACT) is None:
                _start_contact_clock(child, ended, by)
            if current_personal_adviser(child=child) is None:
                _notify_needs_adviser(child, ended, status)
            if period.reason_ceased == "E17" and ended >= birthday(child.date_of_birth, 18):
                _staying_put_from_placement(child, period, ended, by)
        elif status.status == Status.QUALIFYING:
            chronology_record(
                person=child, event_type=EventType.OTHER, occurred=ended,
                title="Left care: now a qualifying care leaver", summary=" ".join(status.reasons),
                link=_link(child), by=by,
            )


def _staying_put_from_placement(child: Person, period: PeriodOfCare, ended: date, by: Any) -> None:
    """Staying with the foster carers at 18 (REC E17): start staying put with the last foster placement's carers."""
    if StayingPut.objects.filter(child=child, ended_on__isnull=True).exists():
        return
    placement = (Placement.objects.filter(period=period, local_authority_id=child.local_authority_id)
                 .select_related("foster_household").order_by("-started_on", "-id").first())
    if placement is None or placement.placement_type not in FOSTER_PLACEMENTS:
        return
    household = placement.foster_household
    carer = placement.carer_name or (household.name if household is not None else "")
    if not carer:
        return
    _staying_put_save(child, started_on=ended, carer_name=carer, foster_household=household, by=by)


# ------------------------------------------------------------------------------------------------ personal advisers


def personal_adviser_allocate(*, child: Person, adviser: User, started_on: date, by: Any) -> Allocation:
    """Allocate a personal adviser (an Allocation of kind personal adviser, in the adviser's team).

    The young person's open leaving-care clocks pass to the adviser.
    """
    if adviser.role != Role.PERSONAL_ADVISER:
        raise ValidationError({"adviser": f"{adviser.get_full_name()} is not a personal adviser"})
    if not adviser.is_active or adviser.local_authority_id != child.local_authority_id:
        raise ValidationError({"adviser": "Choose a personal adviser who works for this council"})
    if adviser.team_id is None:
        raise ValidationError({"adviser": f"{adviser.get_full_name()} is not in a team; ask an administrator"})
    refuse({"started_on": future_error(started_on, "The date the adviser was allocated")})
    b15 = birthday(_dob(child), 15)
    if started_on < b15:
        raise ValidationError({"started_on": f"A personal adviser is allocated from 15 at the earliest "
                                             f"({child.full_name} turned 15 on {long_date(b15)})"})
    status = status_for(child=child, on=started_on)
    if status.status == Status.NONE and not status.in_care:
        raise ValidationError(f"{child.full_name} is not a care leaver on {long_date(started_on)}: "
                              f"{' '.join(status.reasons)}")
    current = current_personal_adviser(child=child)
    if current is not None and current.worker_id == adviser.pk:
        raise ValidationError({"adviser": f"{adviser.get_full_name()} is already {child.full_name}'s personal adviser"})
    with transaction.atomic(), acting_as(by):
        assert adviser.team is not None
        allocation = allocation_start(child=child, team=adviser.team, worker=adviser, started_on=started_on, by=by,
                                      kind=Allocation.Kind.PERSONAL_ADVISER)
        for clock in Clock.objects.filter(child=child, rule_id__in=CARE_LEAVER_RULES, status=Clock.Status.OPEN,
                                          local_authority_id=child.local_authority_id):
            clock.assigned_to = adviser
            clock.save(by=by)
        if getattr(by, "pk", None) != adviser.pk:
            notification_send(recipient=adviser, title="A young person has been allocated to you as personal adviser",
                              link=_link(child))
        _sync(child, status_for(child=child), by)
    return allocation


def personal_adviser_end(*, child: Person, ended_on: date, reason: str, by: Any) -> Allocation:
    current = current_personal_adviser(child=child)
    if current is None:
        raise ValidationError(f"{child.full_name} has no personal adviser allocated")
    refuse({"ended_on": future_error(ended_on, "The end date")})
    if not reason.strip():
        raise ValidationError({"reason": "Enter why the personal adviser's allocation is ending"})
    return allocation_end(allocation=current, ended_on=ended_on, reason=reason.strip(), by=by)


# ------------------------------------------------------------------------------------------------ decisions


def status_decision_record(*, child: Person, kind: str, reason: str, by: Any,
                           effective_on: date | None = None) -> StatusDecision:
    """Record a judgement the care history cannot show (see StatusDecision.Kind)."""
    if kind not in StatusDecision.Kind.values:
        raise ValidationError({"kind": "Select what you are recording"})
    dob = _dob(child)
    b16, b18, b21, b25 = (birthday(dob, n) for n in (16, 18, 21, 25))
    today = timezone.localdate()
    periods = care_history(child=child)
    if kind == DETAINED_ON_16TH_BIRTHDAY:
        effective_on = b16  # it is a fact about that day
        if today < b16:
            raise ValidationError({"kind": f"{child.full_name} is not 16 yet (16 on {long_date(b16)})"})
        status = care_leaver_status(date_of_birth=dob, periods=periods, on=b16)
        if status.in_care:
            raise ValidationError({"kind": f"{child.full_name} was looked after on their 16th birthday, so this "
                                           "does not apply"})
        if status.days_counted < 91:
            raise ValidationError({"kind": f"{child.full_name} was looked after for {status.weeks_counted} weeks "
                                           "between their 14th and 16th birthdays; 13 are needed for this to apply"})
    if effective_on is None:
        raise ValidationError({"effective_on": "Enter the date this applies from"})
    refuse({"effective_on": future_error(effective_on, "The date")})
    if kind == RETURNED_HOME:
        if not b16 <= effective_on < b18:
            raise ValidationError({"effective_on": f"This applies to a young person aged 16 or 17: the date must be "
                                                   f"from {long_date(b16)} and before {long_date(b18)}"})
        if care_leaver_status(date_of_birth=dob, periods=periods, on=effective_on).in_care:
            raise ValidationError({"effective_on": f"{child.full_name} was looked after on {long_date(effective_on)}"})
    if kind == DECLINED_SUPPORT and not b21 <= effective_on < b25:
        raise ValidationError({"effective_on": f"This applies from the 21st birthday ({long_date(b21)}) to the 25th "
                                               f"({long_date(b25)}); before 21 support continues whatever they say"})
    if not reason.strip():
        raise ValidationError({"reason": "Enter how you know, and who decided"})
    if StatusDecision.objects.filter(child=child, kind=kind, ended_on__isnull=True).exists():
        raise ValidationError({"kind": "This is already recorded; withdraw the current record first"})
    with transaction.atomic(), acting_as(by):
        decision = StatusDecision(local_authority_id=child.local_authority_id, child=child, kind=kind,
                                  effective_on=effective_on, reason=reason.strip(),
                                  decided_by=by if isinstance(by, User) else None)
        decision.save(by=by)
        chronology_record(person=child, event_type=EventType.OTHER, occurred=effective_on,
                          title=f"Leaving care: {decision.get_kind_display().lower()}", summary=decision.reason[:500],
                          source=decision, link=_link(child), by=by)
        _sync(child, status_for(child=child), by)
    return decision


def status_decision_withdraw(*, decision: StatusDecision, ended_on: date, by: Any,
                             expected_version: int | None = None) -> StatusDecision:
    """It no longer applies (the young person asked for support again; the return home broke down)."""
    if decision.ended_on is not None:
        raise ValidationError(f"This was already withdrawn on {long_date(decision.ended_on)}")
    refuse({"ended_on": future_error(ended_on, "The date")})
    if ended_on <= decision.effective_on:
        raise ValidationError({"ended_on": f"The date must be after {long_date(decision.effective_on)}, when it began "
                                           "to apply"})
    _as_stale_check(decision, expected_version)
    with transaction.atomic(), acting_as(by):
        decision.ended_on = ended_on
        decision.save(by=by)
        child = decision.child
        chronology_record(person=child, event_type=EventType.OTHER, occurred=ended_on,
                          title=f"Leaving care: no longer applies: {decision.get_kind_display().lower()}",
                          source=decision, link=_link(child), by=by)
        status = status_for(child=child)
        _sync(child, status, by)
        if (decision.kind == DECLINED_SUPPORT and status.has_full_support
                and open_clock(child=child, rule_id=RULE_CONTACT) is None):
            # They asked for support again: keeping in touch runs from that day.
            _start_contact_clock(child, ended_on, by)
    return decision


# ------------------------------------------------------------------------------------------------ needs assessment


def needs_assessment_record(*, child: Person, completed_on: date, by: Any, summary: str = "",
                            late_reason: str = "") -> PathwayNeedsAssessment:
    """The pathway needs assessment is complete: its clock stops, met or missed."""
    refuse({"completed_on": future_error(completed_on, "The date it was completed")})
    _not_before_16("completed_on", completed_on, child, "The date it was completed")
    clock = open_clock(child=child, rule_id=RULE_NEEDS_ASSESSMENT)
    if clock is not None and completed_on < clock.started_on:
        raise ValidationError({"completed_on": f"The date must be on or after {long_date(clock.started_on)}, when "
                                               f"{child.full_name} became eligible"})
    with transaction.atomic(), acting_as(by):
        assessment = PathwayNeedsAssessment(local_authority_id=child.local_authority_id, child=child,
                                            completed_on=completed_on, summary=summary.strip(),
                                            completed_by=by if isinstance(by, User) else None)
        assessment.save(by=by)
        if clock is not None:
            clock_stop(clock=clock, stopped_on=completed_on, missed_reason=late_reason, by=by)
        chronology_record(person=child, event_type=EventType.ASSESSMENT, occurred=completed_on,
                          title="Pathway needs assessment completed", summary=assessment.summary[:500],
                          source=assessment, link=_link(child), by=by)
    return assessment


# ------------------------------------------------------------------------------------------------ pathway plans


SECTION_NAMES = tuple(name for name, _ in PathwayPlan.SECTIONS)


def _interval(weeks: int | None) -> int | None:
    if weeks is not None and not 1 <= weeks <= 26:
        raise ValidationError({"contact_interval_weeks": "Enter a number of weeks from 1 to 26"})
    return weeks or None


def pathway_plan_start(*, child: Person, started_on: date, by: Any, contact_interval_weeks: int | None = None,
                       **sections: str) -> PathwayPlan:
    """Start a pathway plan; its start is the first review, and the next is due within 6 months."""
    refuse({"started_on": future_error(started_on, "The date the plan started")})
    _not_before_16("started_on", started_on, child, "The date the plan started")
    unknown = set(sections) - set(SECTION_NAMES)
    if unknown:
        raise ValueError(f"Not a part of the pathway plan: {', '.join(sorted(unknown))}")
    interval = _interval(contact_interval_weeks)
    current = _open_plan(child)
    if current is not None:
        raise ValidationError(f"{child.full_name} already has a pathway plan from {long_date(current.started_on)}; "
                              "end it before starting a new one")
    last_end = (PathwayPlan.objects.filter(child=child, ended_on__isnull=False).order_by("-ended_on")
                .values_list("ended_on", flat=True).first())
    if last_end is not None and started_on < last_end:
        raise ValidationError({"started_on": "The date must be on or after the last plan ended "
                                             f"({long_date(last_end)})"})
    status = status_for(child=child, on=started_on)
    if status.status == Status.NONE and not status.in_care:
        raise ValidationError({"started_on": f"{child.full_name} was not a care leaver on {long_date(started_on)}: "
                                             f"{' '.join(status.reasons)}"})
    with transaction.atomic(), acting_as(by):
        plan = PathwayPlan(local_authority_id=child.local_authority_id, child=child, started_on=started_on,
                           contact_interval_weeks=interval,
                           **{name: (sections.get(name) or "").strip() for name in SECTION_NAMES})
        try:
            with transaction.atomic():
                plan.save(by=by)
        except IntegrityError:
            raise ValidationError(f"{child.full_name} already has a pathway plan") from None
        clock_start(child=child, rule_id=RULE_PLAN_REVIEW, started_on=started_on, subject=plan,
                    assigned_to=_assignee(child), by=by)
        if interval is not None:
            _restart_contact_clock(child, by)
        chronology_record(person=child, event_type=EventType.PLAN, occurred=started_on, title="Pathway plan started",
                          source=plan, link=_link(child), significant=True, by=by)
        _sync(child, status_for(child=child), by)
    return plan


def _restart_contact_clock(child: Person, by: Any) -> None:
    """The plan changed the keeping-in-touch interval: the running clock is due again from its own start."""
    clock = open_clock(child=child, rule_id=RULE_CONTACT)
    if clock is None:
        return
    started_on, assigned = clock.started_on, clock.assigned_to
    clock_cancel(clock=clock, by=by)
    _start_contact_clock(child, started_on, by, assigned_to=assigned)


def pathway_plan_update(*, plan: PathwayPlan, by: Any, expected_version: int | None = None,
                        contact_interval_weeks: int | None = None, **sections: str) -> PathwayPlan:
    if plan.ended_on is not None:
        raise ValidationError("This plan has ended and can no longer be changed")
    unknown = set(sections) - set(SECTION_NAMES)
    if unknown:
        raise ValueError(f"Not a part of the pathway plan: {', '.join(sorted(unknown))}")
    interval = _interval(contact_interval_weeks)
    _as_stale_check(plan, expected_version)
    with transaction.atomic(), acting_as(by):
        changed_interval = interval != plan.contact_interval_weeks
        for name in SECTION_NAMES:
            if name in sections:
                setattr(plan, name, (sections[name] or "").strip())
        plan.contact_interval_weeks = interval
        plan.save(by=by)
        if changed_interval:
            _restart_contact_clock(plan.child, by)
    return plan


def _last_review_on(plan: PathwayPlan) -> date:
    last = plan.reviews.order_by("-held_on").values_list("held_on", flat=True).first()
    return last or plan.started_on


def pathway_plan_review_record(*, plan: PathwayPlan, held_on: date, by: Any, summary: str = "",
                               young_person_took_part: bool | None = None) -> PathwayPlanReview:
    """Record a review; the next is due within 6 months of this one's actual date."""
    if plan.ended_on is not None:
        raise ValidationError("This plan has ended; a review cannot be added")
    refuse({"held_on": future_error(held_on, "The review date")})
    if held_on < plan.started_on:
        raise ValidationError({"held_on": f"The review date must be on or after the plan started "
                                          f"({long_date(plan.started_on)})"})
    last = plan.reviews.order_by("-held_on").values_list("held_on", flat=True).first()
    if last is not None and held_on < last:
        raise ValidationError({"held_on": f"The review date must be on or after the last review ({long_date(last)})"})
    child = plan.child
    with transaction.atomic(), acting_as(by):
        review = PathwayPlanReview(local_authority_id=plan.local_authority_id, child=child, plan=plan, held_on=held_on,
                                   summary=summary.strip(), young_person_took_part=young_person_took_part)
        review.save(by=by)
        clock = open_clock(child=child, rule_id=RULE_PLAN_REVIEW)
        assigned = clock.assigned_to if clock is not None else _assignee(child)
        if clock is not None:
            clock_stop(clock=clock, stopped_on=held_on, by=by)
        clock_start(child=child, rule_id=RULE_PLAN_REVIEW, started_on=held_on, subject=plan,
                    assigned_to=assigned, by=by)
        chronology_record(person=child, event_type=EventType.REVIEW, occurred=held_on, title="Pathway plan review",
                          summary=review.summary[:500], source=review, link=_link(child), by=by)
    return review


def pathway_plan_end(*, plan: PathwayPlan, ended_on: date, end_reason: str, by: Any,
                     expected_version: int | None = None) -> PathwayPlan:
    if plan.ended_on is not None:
        raise ValidationError(f"This plan already ended on {long_date(plan.ended_on)}")
    if end_reason not in PathwayPlan.EndReason.values:
        raise ValidationError({"end_reason": "Select why the plan is ending"})
    refuse({"ended_on": future_error(ended_on, "The end date")})
    last = _last_review_on(plan)
    if ended_on < last:
        raise ValidationError({"ended_on": f"The end date must be on or after the last review or the start of the "
                                           f"plan ({long_date(last)})"})
    _as_stale_check(plan, expected_version)
    with transaction.atomic(), acting_as(by):
        plan.ended_on = ended_on
        plan.end_reason = end_reason
        plan.save(by=by)
        _cancel(plan.child, RULE_PLAN_REVIEW, by)
        chronology_record(person=plan.child, event_type=EventType.PLAN, occurred=ended_on, title="Pathway plan ended",
                          summary=plan.get_end_reason_display(), source=plan, link=_link(plan.child), by=by)
    return plan


# ------------------------------------------------------------------------------------------------ keeping in touch


def _after_leaving_care(child: Person, day: date, field: str, what: str) -> None:
    """Refuse a leaving-care entry dated before the young person first left care at 16 or over."""
    dob = _dob(child)
    _not_before_16(field, day, child, what)
    left = _first_left_care(care_history(child=child), birthday(dob, 16))
    if left is None:
        raise ValidationError({field: f"{child.full_name} has not left care since turning 16, so this cannot be "
                                      "recorded yet"})
    if day < left:
        raise ValidationError({field: f"{what} must be on or after {long_date(left)}, when {child.full_name} "
                                      "left care"})


def contact_record(*, child: Person, contacted_on: date, method: str, in_touch: str, by: Any,
                   contacted_by: User | None = None, note: str = "") -> CareLeaverContact:
    """A keeping-in-touch contact or attempt. In touch: the next contact is due from this one. No longer requiring
    services, returned home or died: no more contact is due."""
    if method not in CareLeaverContact.Method.values:
        raise ValidationError({"method": "Select how the contact was made"})
    if in_touch not in InTouch.values:
        raise ValidationError({"in_touch": "Select whether you were in touch"})
    refuse({"contacted_on": future_error(contacted_on, "The date of the contact")})
    _after_leaving_care(child, contacted_on, "contacted_on", "The date of the contact")
    died = (CareLeaverContact.objects.filter(child=child, in_touch=InTouch.DIED)
            .values_list("contacted_on", flat=True).first())
    if died is not None:
        raise ValidationError(f"{child.full_name} was recorded on {long_date(died)} as having died "
                              "(DfE rule 348); no further contact can be recorded")
    worker = contacted_by or (by if isinstance(by, User) else None)
    with transaction.atomic(), acting_as(by):
        contact = CareLeaverContact(local_authority_id=child.local_authority_id, child=child,
                                    contacted_on=contacted_on, method=method, in_touch=in_touch,
                                    contacted_by=worker, note=note.strip())
        contact.save(by=by)
        clock = open_clock(child=child, rule_id=RULE_CONTACT)
        if in_touch in ENDS_CONTACT:
            _cancel(child, RULE_CONTACT, by)
        elif in_touch == InTouch.YES and (clock is None or contacted_on >= clock.started_on):
            assigned = clock.assigned_to if clock is not None else None
            if clock is not None:
                clock_stop(clock=clock, stopped_on=contacted_on, by=by)
            if status_for(child=child, on=contacted_on).has_full_support:
                _start_contact_clock(child, contacted_on, by, assigned_to=assigned)
        chronology_record(person=child, event_type=EventType.VISIT, occurred=contacted_on,
                          title=f"Leaving care contact: {contact.get_in_touch_display().lower()}",
                          summary=f"{contact.get_method_display()}. {contact.note}".strip()[:500],
                          source=contact, link=_link(child), by=by)
    return contact


# ------------------------------------------------------------------------------------------ accommodation, activity


# The OC3 has no S1 or X1: homelessness and custody are never suitable.
NEVER_SUITABLE = frozenset({AccommodationType.NO_FIXED_ABODE, AccommodationType.CUSTODY})


def accommodation_record(*, child: Person, started_on: date, accommodation: str, suitable: bool, by: Any,
                         note: str = "") -> CareLeaverAccommodation:
    """Where the young person lives from ``started_on``, and whether it is suitable."""
    if accommodation not in AccommodationType.values:
        raise ValidationError({"accommodation": "Select the type of accommodation"})
    refuse({"started_on": future_error(started_on, "The date they moved in")})
    _after_leaving_care(child, started_on, "started_on", "The date they moved in")
    b18 = birthday(_dob(child), 18)
    if accommodation == AccommodationType.FORMER_FOSTER_CARERS and started_on < b18:
        raise ValidationError({"accommodation": f"Living with former foster carers (staying put) starts at 18; "
                                                f"{child.full_name} turns 18 on {long_date(b18)} (DfE rule 3001)"})
    if suitable and accommodation in NEVER_SUITABLE:
        raise ValidationError({"suitable": f"{AccommodationType(accommodation).label.split(': ', 1)[1].capitalize()} "
                                           "is never counted as suitable accommodation (DfE rule 133)"})
    if CareLeaverAccommodation.objects.filter(child=child, started_on=started_on).exists():
        raise ValidationError({"started_on": f"Accommodation is already recorded from {long_date(started_on)}"})
    with transaction.atomic(), acting_as(by):
        entry = _accommodation_save(child, started_on, accommodation, suitable, note, by)
    return entry


def _accommodation_save(child: Person, started_on: date, accommodation: str, suitable: bool, note: str,
                        by: Any) -> CareLeaverAccommodation:
    entry = CareLeaverAccommodation(local_authority_id=child.local_authority_id, child=child, started_on=started_on,
                                    accommodation=accommodation, suitable=suitable, note=note.strip())
    entry.save(by=by)
    chronology_record(person=child, event_type=EventType.ADDRESS, occurred=started_on,
                      title=f"Accommodation: {entry.get_accommodation_display()}"
                            f" ({'suitable' if suitable else 'not suitable'})",
                      source=entry, link=_link(child), by=by)
    return entry


def activity_record(*, child: Person, started_on: date, activity: str, by: Any, note: str = "") -> CareLeaverActivity:
    """What the young person does from ``started_on`` (education, employment, training, or not)."""
    if activity not in Activity.values:
        raise ValidationError({"activity": "Select what they are doing"})
    refuse({"started_on": future_error(started_on, "The date it started")})
    _not_before_16("started_on", started_on, child, "The date it started")
    if CareLeaverActivity.objects.filter(child=child, started_on=started_on).exists():
        raise ValidationError({"started_on": f"An activity is already recorded from {long_date(started_on)}"})
    with transaction.atomic(), acting_as(by):
        entry = CareLeaverActivity(local_authority_id=child.local_authority_id, child=child, started_on=started_on,
                                   activity=activity, note=note.strip())
        entry.save(by=by)
        chronology_record(person=child, event_type=EventType.EDUCATION, occurred=started_on,
                          title=f"Activity: {entry.get_activity_display()}", source=entry, link=_link(child), by=by)
    return entry


# ------------------------------------------------------------------------------------------------ staying put


def _staying_put_save(child: Person, *, started_on: date, carer_name: str, foster_household: FosterHousehold | None,
                      by: Any) -> StayingPut:
    arrangement = StayingPut(local_authority_id=child.local_authority_id, child=child, started_on=started_on,
                             carer_name=carer_name.strip(), foster_household=foster_household)
    arrangement.save(by=by)
    chronology_record(person=child, event_type=EventType.PLACEMENT, occurred=started_on,
                      title=f"Staying put with {arrangement.carer_name}", source=arrangement, link=_link(child),
                      significant=True, by=by)
    # Staying put is accommodation Z from that day, unless already recorded so.
    current = (CareLeaverAccommodation.objects.filter(child=child, started_on__lte=started_on)
               .order_by("-started_on", "-id").first())
    taken = CareLeaverAccommodation.objects.filter(child=child, started_on=started_on).exists()
    if not taken and (current is None or current.accommodation != AccommodationType.FORMER_FOSTER_CARERS):
        _accommodation_save(child, started_on, AccommodationType.FORMER_FOSTER_CARERS, True, "Staying put", by)
    return arrangement


def staying_put_start(*, child: Person, started_on: date, by: Any, carer_name: str = "",
                      foster_household: FosterHousehold | None = None) -> StayingPut:
    """Living on with former foster carers, from 18 to 21 (Children Act 1989 s23CZ)."""
    dob = _dob(child)
    b18, b21 = birthday(dob, 18), birthday(dob, 21)
    refuse({"started_on": future_error(started_on, "The start date")})
    if started_on < b18:
        raise ValidationError({"started_on": f"Staying put starts at 18 at the earliest; {child.full_name} turns 18 "
                                             f"on {long_date(b18)}. Before then they are looked after in the "
                                             "placement"})
    if started_on >= b21:
        raise ValidationError({"started_on": f"Staying put lasts until 21; {child.full_name} turned 21 on "
                                             f"{long_date(b21)}"})
    if foster_household is not None and foster_household.local_authority_id != child.local_authority_id:
        raise ValidationError({"foster_household": "Choose a household of this council"})
    name = carer_name.strip() or (foster_household.name if foster_household is not None else "")
    if not name:
        raise ValidationError({"carer_name": "Enter the former foster carers' names"})
    current = StayingPut.objects.filter(child=child, ended_on__isnull=True).first()
    if current is not None:
        raise ValidationError(f"{child.full_name} is already staying put with {current.carer_name} "
                              f"(from {long_date(current.started_on)}); end that first")
    last_end = (StayingPut.objects.filter(child=child, ended_on__isnull=False).order_by("-ended_on")
                .values_list("ended_on", flat=True).first())
    if last_end is not None and started_on < last_end:
        raise ValidationError({"started_on": f"The start date must be on or after the last arrangement ended "
                                             f"({long_date(last_end)})"})
    with transaction.atomic(), acting_as(by):
        return _staying_put_save(child, started_on=started_on, carer_name=name, foster_household=foster_household,
                                 by=by)


def staying_put_end(*, arrangement: StayingPut, ended_on: date, reason: str, by: Any,
                    expected_version: int | None = None) -> StayingPut:
    if arrangement.ended_on is not None:
        raise ValidationError(f"This arrangement already ended on {long_date(arrangement.ended_on)}")
    refuse({"ended_on": future_error(ended_on, "The end date")})
    if ended_on <= arrangement.started_on:
        raise ValidationError({"ended_on": "The end date must be after it started "
                                           f"({long_date(arrangement.started_on)})"})
    if not reason.strip():
        raise ValidationError({"reason": "Enter why staying put ended"})
    _as_stale_check(arrangement, expected_version)
    with transaction.atomic(), acting_as(by):
        arrangement.ended_on = ended_on
        arrangement.end_reason = reason.strip()
        arrangement.save(by=by)
        chronology_record(person=arrangement.child, event_type=EventType.PLACEMENT, occurred=ended_on,
                          title="Staying put ended", summary=arrangement.end_reason[:500], source=arrangement,
                          link=_link(arrangement.child), by=by)
    return arrangement
