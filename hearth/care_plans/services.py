"""Care plans, IRO, looked-after reviews, visits, health and education for children in care.

Every service checks the facts first (no date in the future, nothing before the child came into
care or after they left, a PN0 only for a child under 4), then writes the record, its chronology
line and its clocks in one transaction. Refusals are ``ValidationError``s keyed by the form field
they are about, so the page shows them beside the field with the typing kept.

Clocks (timescales.md §1.2; subject = the period of care, or the placement for visits and the
placement plan): reviews run from the period's start, then from the actual date of each review;
visits restart with each placement (not the reviews); health reviews and PEP reviews run from the
actual date of the last one. Ending the period cancels every clock still open.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone

from hearth.accounts.models import Team, User
from hearth.accounts.roles import Role
from hearth.allocations.models import Allocation
from hearth.allocations.services import allocation_end, allocation_start
from hearth.audit.actor import acting_as
from hearth.care.codes import TEMPORARY_PLACEMENTS, PermanencePlan, ReviewParticipation, SDQReason
from hearth.care.models import PeriodOfCare, Placement
from hearth.chronology.models import EventType
from hearth.chronology.services import chronology_record
from hearth.clocks.models import Clock
from hearth.clocks.registry import TimescaleError, health_review_rule
from hearth.clocks.services import clock_cancel, clock_start, clock_stop
from hearth.workspace.dates import long_date
from hearth.workspace.refusals import refuse

from .models import (
    CarePlan,
    CareVisit,
    DentalCheck,
    HealthAssessment,
    ImmunisationCheck,
    LookedAfterReview,
    OC2Outcome,
    PersonalEducationPlan,
    PlacementPlan,
    SDQScore,
)
from .schedule import (
    HEALTH_RULES,
    PEP_RULES,
    PERIOD_RULES,
    PLACEMENT_RULES,
    REVIEW_RULES,
    VISIT_RULES,
    age_on,
    first_visit_rule,
    is_school_age,
    next_visit_rule,
)

if TYPE_CHECKING:
    from hearth.people.models import Person


# ---------------------------------------------------------------- helpers


def _link(child_id: int) -> str:
    return reverse("care_plans:overview", kwargs={"person_pk": child_id})


def _open_clocks(subjects: Sequence[models.Model], rule_ids: Iterable[str]) -> list[Clock]:
    """Open clocks of these records (all of one model) for these rules, oldest first."""
    if not subjects:
        return []
    first = subjects[0]
    return list(
        Clock.objects.filter(
            subject_type=ContentType.objects.get_for_model(type(first)), subject_id__in=[s.pk for s in subjects],
            local_authority_id=first.local_authority_id,  # type: ignore[attr-defined]
            status=Clock.Status.OPEN, rule_id__in=list(rule_ids),
        ).order_by("started_on", "id")
    )


def _ever_started(subject: models.Model, rule_id: str) -> bool:
    return Clock.objects.filter(
        subject_type=ContentType.objects.get_for_model(type(subject)), subject_id=subject.pk, rule_id=rule_id,
        local_authority_id=subject.local_authority_id,  # type: ignore[attr-defined]
    ).exists()


def _stop(clocks: Iterable[Clock], on: date, by: Any) -> None:
    """Stop at the event; an event before a clock started (it happened earlier) stops it on its start day."""
    for clock in clocks:
        clock_stop(clock=clock, stopped_on=max(on, clock.started_on), by=by)


def _in_care_errors(period: PeriodOfCare, on: date, field: str, noun: str) -> dict[str, str]:
    """A date must be today or earlier, and a day the child was looked after in this period."""
    child = period.child
    if on > timezone.localdate():
        return {field: f"The date of the {noun} must be today or in the past"}
    if on < period.started_on:
        return {field: f"The {noun} cannot be before {child.first_name} came into care on "
                       f"{long_date(period.started_on)}"}
    if period.ended_on is not None and on >= period.ended_on:
        return {field: f"The {noun} must be before {child.first_name} left care on {long_date(period.ended_on)}"}
    return {}


def _placements(period: PeriodOfCare) -> list[Placement]:
    return list(Placement.objects.filter(period=period).order_by("started_on", "id"))


def placement_on(period: PeriodOfCare, on: date) -> Placement | None:
    """Where the child was placed on ``on`` (a placement's end day belongs to the next one)."""
    return (
        Placement.objects.filter(period=period, started_on__lte=on)
        .filter(models.Q(ended_on__isnull=True) | models.Q(ended_on__gt=on))
        .order_by("-started_on", "-id").first()
    )


def _same_carer(a: Placement, b: Placement) -> bool:
    if a.foster_household_id and b.foster_household_id:
        return a.foster_household_id == b.foster_household_id
    return (a.placement_type == b.placement_type
            and a.carer_name.strip().casefold() == b.carer_name.strip().casefold()
            and a.postcode.replace(" ", "").upper() == b.postcode.replace(" ", "").upper())


def _carries_visits(placement: Placement, placements: list[Placement]) -> bool:
    """A temporary move (T0 to T4), and the return from one to the same carer, keep the visits as they were.

    Every other placement restarts them: a visit within a week (CPPCR reg 28(2)(a)).
    """
    if placement.placement_type in TEMPORARY_PLACEMENTS:
        return True
    earlier = [p for p in placements if (p.started_on, p.pk) < (placement.started_on, placement.pk)]
    if not earlier or earlier[-1].placement_type not in TEMPORARY_PLACEMENTS:
        return False
    settled = [p for p in earlier if p.placement_type not in TEMPORARY_PLACEMENTS]
    return bool(settled) and (placement.same_carer_as_previous or _same_carer(placement, settled[-1]))


def _first_review_on(period: PeriodOfCare) -> date | None:
    return (LookedAfterReview.objects.filter(period=period, statutory=True)
            .order_by("held_on", "id").values_list("held_on", flat=True).first())


def _ensure_care_plan_clock(period: PeriodOfCare, by: Any) -> None:
    """The care plan is due 10 working days from the first placement (reg 4(2)); started once per period."""
    first = Placement.objects.filter(period=period).order_by("started_on", "id").first()
    if first is None or _ever_started(period, "care_plan"):
        return
    if CarePlan.objects.filter(period=period).exists():
        return  # agreed before the child was placed, as the regulation prefers: nothing to wait for
    clock_start(child=period.child, rule_id="care_plan", started_on=first.started_on, subject=period, by=by)


# ---------------------------------------------------------------- hooks called by hearth.care


def period_of_care_started(*, period: PeriodOfCare, by: Any) -> None:
    """Called by hearth.care in the same transaction when a period of care starts.

    Starts the first review (20 WD), the initial health assessment (20 WD), the initial PEP
    (10 WD, school age only) and, once the child is placed, the care plan (10 WD).
    """
    child = period.child
    with transaction.atomic(), acting_as(by):
        for rule_id in ("cla_review_first", "initial_health_assessment"):
            clock_start(child=child, rule_id=rule_id, started_on=period.started_on, subject=period, by=by)
        if is_school_age(child.date_of_birth, period.started_on):
            clock_start(child=child, rule_id="pep_initial", started_on=period.started_on, subject=period, by=by)
        _ensure_care_plan_clock(period, by)


def placement_started(*, placement: Placement, by: Any) -> None:
    """Called by hearth.care in the same transaction when any placement starts (the first included).

    A new placement restarts the visits (within 7 days) and wants a placement plan (5 WD); the
    review clocks carry on. A temporary move, and the return from it, leave the visits as they were.
    """
    period = placement.period
    placements = _placements(period)
    with transaction.atomic(), acting_as(by):
        # A placement recorded after it ended is history: it moves no clock.
        if placement.ended_on is None and not _carries_visits(placement, placements):
            others = [p for p in placements if p.pk != placement.pk]
            for clock in _open_clocks(others, PLACEMENT_RULES):
                clock_cancel(clock=clock, by=by)
            if period.is_open:
                clock_start(child=placement.child, rule_id=first_visit_rule(placement.placement_type),
                            started_on=placement.started_on, subject=placement, by=by)
                clock_start(child=placement.child, rule_id="placement_plan", started_on=placement.started_on,
                            subject=placement, by=by)
        _ensure_care_plan_clock(period, by)


def period_of_care_ended(*, period: PeriodOfCare, by: Any) -> None:
    """Called by hearth.care in the same transaction when a period of care ends.

    Every clock still open for the period and its placements is cancelled (the child left care
    without the event), and the IRO's allocation ends on the day the child left care.
    """
    with transaction.atomic(), acting_as(by):
        for clock in _open_clocks([period], PERIOD_RULES) + _open_clocks(_placements(period), PLACEMENT_RULES):
            clock_cancel(clock=clock, by=by)
        iro = Allocation.objects.filter(child=period.child, kind=Allocation.Kind.IRO, ended_on__isnull=True).first()
        if iro is not None and period.ended_on is not None:
            allocation_end(allocation=iro, ended_on=max(period.ended_on, iro.started_on),
                           reason="The child stopped being looked after", by=by)


# ---------------------------------------------------------------- IRO


def _iro_error(user: Any, child: Person) -> str | None:
    if (user is None or getattr(user, "role", None) != Role.IRO or user.local_authority_id != child.local_authority_id
            or not user.is_active):
        return "Choose an independent reviewing officer (IRO) in this council"
    return None


def iro_allocate(*, period: PeriodOfCare, iro: User | None, started_on: date, by: Any) -> Allocation:
    """Allocate the child's IRO (an Allocation of kind IRO); the previous IRO's allocation ends that day."""
    child = period.child
    errors: dict[str, Any] = {}
    iro_error = _iro_error(iro, child)
    if iro_error:
        errors["iro"] = iro_error
    if not period.is_open:
        raise ValidationError(f"{child.full_name} is no longer looked after, so no IRO is allocated")
    errors.update(_in_care_errors(period, started_on, "started_on", "allocation"))
    current = Allocation.objects.filter(child=child, kind=Allocation.Kind.IRO, ended_on__isnull=True).first()
    if current is not None and "started_on" not in errors and started_on < current.started_on:
        errors["started_on"] = f"The new IRO cannot start before the current one did ({long_date(current.started_on)})"
    if current is not None and iro is not None and current.worker_id == iro.pk:
        errors["iro"] = f"{iro.get_full_name()} is already {child.first_name}'s IRO"
    refuse(errors)
    assert iro is not None
    team = iro.team or Team.objects.filter(local_authority_id=child.local_authority_id,
                                           kind=Team.Kind.QUALITY_ASSURANCE, closed_on__isnull=True).first()
    if team is None:
        raise ValidationError({"iro": f"{iro.get_full_name()} is not in a team. Ask an administrator to add "
                                      "them to the quality assurance team first"})
    return allocation_start(child=child, team=team, worker=iro, started_on=started_on, by=by,
                            kind=Allocation.Kind.IRO)


# ---------------------------------------------------------------- care plan and placement plan


def care_plan_record(
    *,
    period: PeriodOfCare,
    permanence_plan: str,
    summary: str,
    agreed_on: date,
    by: Any,
    needs: str = "",
    replaces: CarePlan | None = None,
) -> CarePlan:
    """Record the care plan, or a new version of it. The version it replaces is kept, marked replaced.

    ``replaces`` carries the version the editor loaded, so a change made meanwhile by someone else
    is refused (StaleVersionError) rather than silently overwritten.
    """
    child = period.child
    errors: dict[str, Any] = {}
    if permanence_plan not in PermanencePlan.values:
        errors["permanence_plan"] = "Choose the permanence plan"
    if not summary.strip():
        errors["summary"] = "Enter the plan: why the child is looked after and the plan for their future"
    if agreed_on > timezone.localdate():
        errors["agreed_on"] = "The date the plan was agreed must be today or in the past"
    elif period.ended_on is not None and agreed_on >= period.ended_on:
        errors["agreed_on"] = (f"The plan must be agreed before {child.first_name} left care on "
                               f"{long_date(period.ended_on)}")
    current = CarePlan.objects.filter(period=period, is_current=True).first()
    if replaces is None and current is not None:
        raise ValidationError(f"A care plan was recorded on {long_date(current.agreed_on)} after you opened this page. "
                              "Change that plan instead, so both versions are kept.")
    if replaces is not None:
        if replaces.period_id != period.pk:
            raise ValidationError("That care plan belongs to another period of care")
        if current is None or replaces.pk != current.pk:
            raise ValidationError(f"Version {replaces.number} of the care plan has already been replaced. Check "
                                  "the current plan, then make your change to it.")
        if "agreed_on" not in errors and agreed_on < replaces.agreed_on:
            errors["agreed_on"] = (f"A new version cannot be agreed before the version it replaces "
                                   f"(agreed {long_date(replaces.agreed_on)})")
    refuse(errors)
    with transaction.atomic(), acting_as(by):
        number = 1
        if replaces is not None:
            # Saving the loaded version is what refuses a stale edit.
            replaces.is_current = False
            replaces.replaced_on = agreed_on
            replaces.save(by=by)
            number = (CarePlan.objects.filter(period=period).aggregate(n=models.Max("number"))["n"] or 0) + 1
        plan = CarePlan(local_authority_id=period.local_authority_id, child=child, period=period, number=number,
                        permanence_plan=permanence_plan, summary=summary.strip(), needs=needs.strip(),
                        agreed_on=agreed_on)
        plan.save(by=by)
        if number == 1:
            _stop(_open_clocks([period], ["care_plan"]), agreed_on, by)
        chronology_record(
            person=child, event_type=EventType.PLAN, occurred=agreed_on,
            title="Care plan agreed" if number == 1 else f"Care plan changed (version {number})",
            summary=f"Permanence plan: {plan.get_permanence_plan_display()}", source=plan,
            link=_link(child.pk), significant=number == 1 or (
                replaces is not None and replaces.permanence_plan != permanence_plan),
            by=by,
        )
    return plan


def placement_plan_record(*, placement: Placement, agreed_on: date, summary: str, by: Any) -> PlacementPlan:
    """The placement plan agreed with the carer; the first one for a placement stops its 5-working-day clock."""
    errors: dict[str, Any] = {}
    if not summary.strip():
        errors["summary"] = "Enter the arrangements agreed with the carer"
    if agreed_on > timezone.localdate():
        errors["agreed_on"] = "The date the plan was agreed must be today or in the past"
    elif placement.ended_on is not None and agreed_on >= placement.ended_on:
        errors["agreed_on"] = f"The plan must be agreed before the placement ended on {long_date(placement.ended_on)}"
    refuse(errors)
    with transaction.atomic(), acting_as(by):
        plan = PlacementPlan(local_authority_id=placement.local_authority_id, child=placement.child,
                             placement=placement, agreed_on=agreed_on, summary=summary.strip())
        plan.save(by=by)
        _stop(_open_clocks([placement], ["placement_plan"]), agreed_on, by)
        chronology_record(person=placement.child, event_type=EventType.PLACEMENT, occurred=agreed_on,
                          title="Placement plan agreed", summary=plan.summary[:300], source=plan,
                          link=_link(placement.child_id), by=by)
    return plan


# ---------------------------------------------------------------- reviews


def _participation_error(child: Person, held_on: date, participation: str) -> str | None:
    if participation not in ReviewParticipation.values:
        return "Choose how the child took part in the review"
    dob = child.date_of_birth
    if participation == ReviewParticipation.UNDER_FOUR:
        if dob is None:
            return (f"PN0 is for a child under 4 at the review, and {child.first_name}'s date of birth is not "
                    "recorded. Record it, or choose how they took part")
        if age_on(dob, held_on) >= 4:
            return (f"PN0 is for a child under 4 at the review. {child.first_name} was {age_on(dob, held_on)} on "
                    f"{long_date(held_on)}: choose how they took part")
    elif dob is not None and held_on >= dob and age_on(dob, held_on) < 4:
        return f"{child.first_name} was under 4 at the review, so their participation is PN0"
    return None


def review_record(
    *,
    period: PeriodOfCare,
    held_on: date,
    chair: User | None,
    participation: str,
    by: Any,
    recommendations: str = "",
    statutory: bool = True,
) -> LookedAfterReview:
    """Record a looked-after review. A statutory review stops the review clock and starts the next.

    The second review is due 3 months after the first, every later one 6 months after the one
    before, always from the actual date: an early review pulls the next one forward. A review
    recorded late, before one already recorded, is kept but moves no clock.
    """
    child = period.child
    errors: dict[str, Any] = _in_care_errors(period, held_on, "held_on", "review")
    if _iro_error(chair, child):
        errors["chair"] = "Choose the chair: an independent reviewing officer (IRO) in this council"
    if "held_on" not in errors:
        participation_error = _participation_error(child, held_on, participation)
        if participation_error:
            errors["participation"] = participation_error
    elif participation not in ReviewParticipation.values:
        errors["participation"] = "Choose how the child took part in the review"
    statutory_reviews = LookedAfterReview.objects.filter(period=period, statutory=True)
    if statutory and "held_on" not in errors and statutory_reviews.filter(held_on=held_on).exists():
        errors["held_on"] = f"A statutory review on {long_date(held_on)} is already recorded"
    refuse(errors)
    assert chair is not None
    with transaction.atomic(), acting_as(by):
        review = LookedAfterReview(local_authority_id=period.local_authority_id, child=child, period=period,
                                   held_on=held_on, chair=chair, participation=participation,
                                   recommendations=recommendations.strip(), statutory=statutory)
        review.save(by=by)
        if statutory and not statutory_reviews.filter(held_on__gt=held_on).exists():
            _stop(_open_clocks([period], REVIEW_RULES), held_on, by)
            if period.is_open:
                earlier = statutory_reviews.filter(held_on__lt=held_on).exists()
                clock_start(child=child, rule_id="cla_review_next" if earlier else "cla_review_second",
                            started_on=held_on, subject=period, by=by)
        chronology_record(
            person=child, event_type=EventType.REVIEW, occurred=held_on,
            title="Looked-after review" + ("" if statutory else " (not statutory)"),
            summary=f"Chair: {chair.get_full_name()}. Participation: {review.get_participation_display()}",
            source=review, link=_link(child.pk), significant=statutory, by=by,
        )
    return review


# ---------------------------------------------------------------- visits


def visit_record(
    *,
    period: PeriodOfCare,
    visited_on: date,
    seen: bool,
    seen_alone: bool,
    by: Any,
    notes: str = "",
    visited_by: User | None = None,
) -> CareVisit:
    """A statutory visit. Only a visit where the child was seen stops the visit clock and starts the next.

    The next rule follows the placement the visits belong to: 42 days in its first year; then
    3 months if it is long-term, else 42 days; weekly for a child placed with a parent until the
    first review. A visit recorded late, before the current clock started, moves no clock.
    """
    visitor = visited_by or by  # the social worker who visited; by default whoever records it
    if not isinstance(visitor, User):
        raise ValueError("visit_record needs the social worker who visited (visited_by)")
    errors: dict[str, Any] = _in_care_errors(period, visited_on, "visited_on", "visit")
    if seen_alone and not seen:
        errors["seen_alone"] = "The child cannot be seen alone if they were not seen"
    refuse(errors)
    child = period.child
    placement = placement_on(period, visited_on)
    with transaction.atomic(), acting_as(by):
        visit = CareVisit(local_authority_id=period.local_authority_id, child=child, period=period,
                          placement=placement, visited_on=visited_on, seen=seen, seen_alone=seen_alone,
                          visited_by=visitor, notes=notes.strip())
        visit.save(by=by)
        if seen and period.is_open:
            _next_visit(period, visited_on, by)
        how = "seen alone" if seen_alone else ("seen" if seen else "not seen")
        chronology_record(person=child, event_type=EventType.VISIT, occurred=visited_on,
                          title=f"Statutory visit: child {how}", summary=visit.notes[:300], source=visit,
                          link=_link(child.pk), by=by)
    return visit


def _next_visit(period: PeriodOfCare, visited_on: date, by: Any) -> None:
    placements = _placements(period)
    open_clocks = _open_clocks(placements, VISIT_RULES)
    if open_clocks:
        if visited_on < max(c.started_on for c in open_clocks):
            return  # recorded late: the cycle has already moved on
        by_pk = {p.pk: p for p in placements}
        cycle: Placement | None = by_pk.get(open_clocks[-1].subject_id or 0)
        _stop(open_clocks, visited_on, by)
    else:
        # No clock running (say, a placement recorded before these clocks existed): start one for the
        # settled placement, if the visit is in the current one.
        current = next((p for p in placements if p.ended_on is None), None)
        if current is None or visited_on < current.started_on:
            return
        settled = [p for p in placements if p.placement_type not in TEMPORARY_PLACEMENTS and p.started_on <= visited_on]
        cycle = settled[-1] if settled else None
    if cycle is None:
        return
    first_review = _first_review_on(period)
    rule_id, later = next_visit_rule(
        placement_type=cycle.placement_type, placement_started_on=cycle.started_on,
        is_long_term=cycle.is_long_term, visited_on=visited_on,
        first_review_held=first_review is not None and first_review <= visited_on,
    )
    clock_start(child=period.child, rule_id=rule_id, started_on=visited_on, subject=cycle, later_interval=later,
                by=by)


# ---------------------------------------------------------------- health


def health_assessment_record(
    *, period: PeriodOfCare, kind: str, done_on: date, by: Any, done_by: str = "", notes: str = ""
) -> HealthAssessment:
    """The initial health assessment (due 20 WD from coming into care) or a review health assessment.

    Each stops the open health clock and starts the next review: 6 months for a child under 5
    on the day of the assessment, 12 months from 5 (``health_review_rule``).
    """
    errors: dict[str, Any] = {}
    if kind not in HealthAssessment.Kind.values:
        errors["kind"] = "Choose the kind of health assessment"
    errors.update(_in_care_errors(period, done_on, "done_on", "health assessment"))
    earlier = HealthAssessment.objects.filter(period=period)
    initial = earlier.filter(kind=HealthAssessment.Kind.INITIAL).first()
    if kind == HealthAssessment.Kind.INITIAL and initial is not None:
        errors["kind"] = (f"The initial health assessment is already recorded ({long_date(initial.done_on)}). "
                          "Choose review health assessment")
    if kind == HealthAssessment.Kind.REVIEW:
        if initial is None:
            errors["kind"] = "Record the initial health assessment first: reviews follow it"
        elif "done_on" not in errors and done_on < initial.done_on:
            errors["done_on"] = (f"A review health assessment cannot be before the initial one "
                                 f"({long_date(initial.done_on)})")
    refuse(errors)
    child = period.child
    with transaction.atomic(), acting_as(by):
        assessment = HealthAssessment(local_authority_id=period.local_authority_id, child=child, period=period,
                                      kind=kind, done_on=done_on, done_by=done_by.strip(), notes=notes.strip())
        assessment.save(by=by)
        if not earlier.filter(done_on__gt=done_on).exclude(pk=assessment.pk).exists():
            _stop(_open_clocks([period], HEALTH_RULES), done_on, by)
            if period.is_open:
                # Without a date of birth, the 6-monthly interval: never later than the law allows.
                rule_id = (health_review_rule(date_of_birth=child.date_of_birth, previous_assessment=done_on)
                           if child.date_of_birth else "health_review_under5")
                clock_start(child=child, rule_id=rule_id, started_on=done_on, subject=period, by=by)
        chronology_record(person=child, event_type=EventType.HEALTH, occurred=done_on,
                          title=assessment.get_kind_display(), summary=assessment.done_by, source=assessment,
                          link=_link(child.pk), by=by)
    return assessment


def dental_check_record(*, period: PeriodOfCare, checked_on: date, by: Any, notes: str = "") -> DentalCheck:
    """A dental check. No national clock: the page shows the last one and whether it is within 12 months."""
    refuse(_in_care_errors(period, checked_on, "checked_on", "dental check"))
    with transaction.atomic(), acting_as(by):
        check = DentalCheck(local_authority_id=period.local_authority_id, child=period.child, period=period,
                            checked_on=checked_on, notes=notes.strip())
        check.save(by=by)
        chronology_record(person=period.child, event_type=EventType.HEALTH, occurred=checked_on,
                          title="Dental check", source=check, link=_link(period.child_id), by=by)
    return check


def immunisation_check_record(
    *, period: PeriodOfCare, checked_on: date, up_to_date: bool, by: Any, notes: str = ""
) -> ImmunisationCheck:
    refuse(_in_care_errors(period, checked_on, "checked_on", "immunisation check"))
    with transaction.atomic(), acting_as(by):
        check = ImmunisationCheck(local_authority_id=period.local_authority_id, child=period.child, period=period,
                                  checked_on=checked_on, up_to_date=up_to_date, notes=notes.strip())
        check.save(by=by)
        chronology_record(person=period.child, event_type=EventType.HEALTH, occurred=checked_on,
                          title="Immunisations " + ("up to date" if up_to_date else "not up to date"),
                          source=check, link=_link(period.child_id), by=by)
    return check


def sdq_record(
    *, period: PeriodOfCare, completed_on: date, by: Any, score: int | None = None, reason: str = ""
) -> SDQScore:
    """A strengths and difficulties questionnaire: a score from 0 to 40, or the reason there is none (not both)."""
    errors: dict[str, Any] = _in_care_errors(period, completed_on, "completed_on", "SDQ")
    if score is not None and reason:
        errors["score"] = "Enter a score or choose a reason there is no score, not both"
    elif score is None and not reason:
        errors["score"] = "Enter the SDQ score, or choose the reason there is no score"
    elif score is not None and not 0 <= score <= 40:
        errors["score"] = "The SDQ score must be between 0 and 40"
    elif reason and reason not in SDQReason.values:
        errors["reason"] = "Choose a reason from the list"
    refuse(errors)
    with transaction.atomic(), acting_as(by):
        sdq = SDQScore(local_authority_id=period.local_authority_id, child=period.child, period=period,
                       completed_on=completed_on, score=score, reason=reason)
        sdq.save(by=by)
        chronology_record(person=period.child, event_type=EventType.HEALTH, occurred=completed_on,
                          title=f"SDQ score {score}" if score is not None else "No SDQ score",
                          summary=sdq.get_reason_display() if reason else "", source=sdq,
                          link=_link(period.child_id), by=by)
    return sdq


# ---------------------------------------------------------------- education


def pep_record(
    *,
    period: PeriodOfCare,
    kind: str,
    held_on: date,
    school: str,
    by: Any,
    designated_teacher: str = "",
    notes: str = "",
) -> PersonalEducationPlan:
    """The initial PEP (10 WD from coming into care) or a PEP review; the next review is due by the
    end of the next school term, for a child of school age, when the council has set its term dates."""
    errors: dict[str, Any] = {}
    if kind not in PersonalEducationPlan.Kind.values:
        errors["kind"] = "Choose initial PEP or PEP review"
    errors.update(_in_care_errors(period, held_on, "held_on", "PEP meeting"))
    if not school.strip():
        errors["school"] = "Enter the school, college or setting"
    earlier = PersonalEducationPlan.objects.filter(period=period)
    initial = earlier.filter(kind=PersonalEducationPlan.Kind.INITIAL).first()
    if kind == PersonalEducationPlan.Kind.INITIAL and initial is not None:
        errors["kind"] = f"The initial PEP is already recorded ({long_date(initial.held_on)}). Choose PEP review"
    if kind == PersonalEducationPlan.Kind.REVIEW:
        if initial is None:
            errors["kind"] = "Record the initial PEP first: reviews follow it"
        elif "held_on" not in errors and held_on < initial.held_on:
            errors["held_on"] = f"A PEP review cannot be before the initial PEP ({long_date(initial.held_on)})"
    refuse(errors)
    child = period.child
    with transaction.atomic(), acting_as(by):
        pep = PersonalEducationPlan(local_authority_id=period.local_authority_id, child=child, period=period,
                                    kind=kind, held_on=held_on, school=school.strip(),
                                    designated_teacher=designated_teacher.strip(), notes=notes.strip())
        pep.save(by=by)
        if not earlier.filter(held_on__gt=held_on).exclude(pk=pep.pk).exists():
            _stop(_open_clocks([period], PEP_RULES), held_on, by)
            if period.is_open and is_school_age(child.date_of_birth, held_on):
                # Without term dates the next review cannot be worked out; the page says so.
                with contextlib.suppress(TimescaleError):
                    clock_start(child=child, rule_id="pep_review", started_on=held_on, subject=period, by=by)
        chronology_record(person=child, event_type=EventType.EDUCATION, occurred=held_on,
                          title=pep.get_kind_display(), summary=pep.school, source=pep, link=_link(child.pk), by=by)
    return pep


# ---------------------------------------------------------------- OC2


def oc2_outcome_errors(
    *, substance_misuse: bool | None, intervention_received: bool | None, intervention_offered: bool | None
) -> dict[str, str]:
    """903 rules 158, 159, 192 and 193, keyed by the field to correct."""
    errors: dict[str, str] = {}
    if substance_misuse is None:
        errors["substance_misuse"] = "Select yes if a substance misuse problem was identified"
    elif not substance_misuse:
        if intervention_received is not None or intervention_offered is not None:
            errors["intervention_received"] = ("Leave the intervention questions blank when no substance misuse "
                                               "problem was identified (903 rule 193)")
    elif intervention_received is None:
        errors["intervention_received"] = ("Select yes if the child received an intervention for their substance "
                                           "misuse problem (903 rule 192)")
    elif intervention_received and intervention_offered is not None:
        errors["intervention_offered"] = ("Leave this blank: the child received an intervention, so whether one "
                                          "was offered and refused does not apply (903 rule 158)")
    elif not intervention_received and intervention_offered is None:
        errors["intervention_offered"] = ("Select yes if an intervention was offered and refused "
                                          "(903 rule 159)")
    return errors


def oc2_outcome_save(
    *,
    child: Person,
    year: int,
    convicted: bool,
    substance_misuse: bool,
    by: Any,
    intervention_received: bool | None = None,
    intervention_offered: bool | None = None,
    outcome: OC2Outcome | None = None,
) -> OC2Outcome:
    """Record or correct the typed OC2 items for a child looked after continuously for 12 months at
    31 March ``year``. ``outcome`` is the row the editor loaded (its version refuses a stale save)."""
    from .selectors import continuously_looked_after

    errors = oc2_outcome_errors(substance_misuse=substance_misuse, intervention_received=intervention_received,
                                intervention_offered=intervention_offered)
    refuse(errors)
    if not continuously_looked_after(child=child, year=year):
        raise ValidationError(f"{child.full_name} was not looked after continuously for 12 months at 31 March "
                              f"{year}, so the 903 return has no OC2 outcomes for them that year")
    existing = OC2Outcome.objects.filter(child=child, year=year).first()
    if outcome is None and existing is not None:
        raise ValidationError("Someone else recorded these outcomes after you opened this page. Check them, "
                              "then change them if they need correcting.")
    with transaction.atomic(), acting_as(by):
        row = outcome or OC2Outcome(local_authority_id=child.local_authority_id, child=child, year=year)
        row.convicted = convicted
        row.substance_misuse = substance_misuse
        row.intervention_received = intervention_received if substance_misuse else None
        row.intervention_offered = intervention_offered if substance_misuse and not intervention_received else None
        row.save(by=by)
    return row
