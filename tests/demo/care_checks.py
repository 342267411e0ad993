"""What the seeded children in care, care leavers, missing children, registers and carers must satisfy.

Each ``*_problems`` function reads the council from the database and lists every row that breaks a rule
the services enforce (or a 903 episode rule), so a test can assert the list is empty and a person can
print it. ``rates`` measures the council against the DfE figures.
"""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from datetime import date, timedelta
from typing import Any

from dateutil.relativedelta import relativedelta
from django.db.models import Q
from django.utils import timezone

from hearth.accounts.roles import Role
from hearth.allocations.models import Allocation
from hearth.care import checks
from hearth.care.codes import (
    ADOPTION_PLACEMENTS,
    FOSTER_PLACEMENTS,
    LEAVING_CARE_REASONS,
    RETIRED_PLACEMENT_TYPES,
    TEMPORARY_PLACEMENTS,
    LegalStatus,
    PlacementType,
)
from hearth.care.episodes import derive_episodes
from hearth.care.models import AdoptionPlan, CareLegalStatus, DeprivationOfLibertyOrder, PeriodOfCare, Placement
from hearth.care.selectors import long_term_stability, placements_in_year
from hearth.care_leavers.models import (
    CareLeaverAccommodation,
    CareLeaverContact,
    PathwayPlan,
    StayingPut,
)
from hearth.care_plans.models import (
    CarePlan,
    CareVisit,
    HealthAssessment,
    LookedAfterReview,
    OC2Outcome,
    PersonalEducationPlan,
)
from hearth.cin.models import CINEpisode
from hearth.clocks.models import Clock, SchoolTerm, holiday_set
from hearth.clocks.registry import due
from hearth.education.models import CMECase, EHECase
from hearth.fostering.models import FosterCarerReview, FosterHousehold, FosterVacancy, ProspectiveAdopter
from hearth.fostering.pipeline import ADOPTION_STEPS, FOSTERING_STEPS, recorded_dates, step_refusal
from hearth.missing.models import MissingEpisode, ReturnInterview
from hearth.people.models import Person

Z_CODES_FROM = date(2025, 4, 1)


def _age(born: date | None, on: date) -> int | None:
    return None if born is None else relativedelta(on, born).years


def _by(rows: Any, key: str) -> dict[int, list[Any]]:
    out: dict[int, list[Any]] = defaultdict(list)
    for row in rows:
        out[getattr(row, key)].append(row)
    return out


def episode_problems() -> list[str]:
    """The 903 episode rules and the care services' checks, for every period of care."""
    found: list[str] = []
    born = dict(Person.objects.values_list("pk", "date_of_birth"))
    statuses = _by(CareLegalStatus.objects.order_by("started_on", "pk"), "period_id")
    homes = _by(Placement.objects.order_by("started_on", "pk"), "period_id")
    plans = _by(AdoptionPlan.objects.all(), "period_id")
    dolos = _by(DeprivationOfLibertyOrder.objects.all(), "period_id")
    periods = list(PeriodOfCare.objects.order_by("child_id", "started_on"))
    episodes_open = _by(CINEpisode.objects.all(), "child_id")
    previous: dict[int, PeriodOfCare] = {}
    today = timezone.localdate()
    for period in periods:
        where = f"period {period.pk} (child {period.child_id})"
        dob = born[period.child_id]
        before = previous.get(period.child_id)
        if before is not None and (before.ended_on is None or period.started_on <= before.ended_on):
            found.append(f"{where}: starts before the last period ended")
        previous[period.child_id] = period
        if period.ended_on is not None and (period.reason_ceased not in [c.value for c in LEAVING_CARE_REASONS]):
            found.append(f"{where}: ended without a leaving reason")
        if dob is not None and _age(dob, period.started_on) >= 18:  # type: ignore[operator]
            found.append(f"{where}: started at 18 or over")
        if period.started_on > today:
            found.append(f"{where}: in the future")
        ls, ph = statuses[period.pk], homes[period.pk]
        if not ls or not ph:
            found.append(f"{where}: no legal status or placement")
            continue
        # Timelines: from the period's first day, each ending the day the next begins, the last with the period.
        for name, rows in (("legal status", ls), ("placement", ph)):
            if rows[0].started_on != period.started_on:
                found.append(f"{where}: first {name} does not start with the period")
            for a, b in itertools.pairwise(rows):
                if a.ended_on != b.started_on:
                    found.append(f"{where}: {name}s do not follow on ({a.ended_on} / {b.started_on})")
            if rows[-1].ended_on != period.ended_on:
                found.append(f"{where}: last {name} does not end with the period")
        for a, b in itertools.pairwise(ls):
            if a.legal_status == b.legal_status:
                found.append(f"{where}: legal status {a.legal_status} followed by itself")
        for status in ls:
            if status.legal_status not in LegalStatus.values:
                found.append(f"{where}: unknown legal status {status.legal_status}")
            found += [f"{where}: {m}" for m in checks.legal_status_problems(
                legal_status=status.legal_status, age=_age(dob, status.started_on)).values()]
        decision_days = [p.decided_on for p in plans[period.pk]]
        open_dolos = dolos[period.pk]
        for i, home in enumerate(ph):
            status_then = next(s for s in reversed(ls) if s.started_on <= home.started_on)
            dolo_open = any(d.started_on <= home.started_on and (d.ended_on is None or d.ended_on > home.started_on)
                            for d in open_dolos)
            problems = checks.placement_problems(
                placement_type=home.placement_type, provider=home.provider, urn=home.urn,
                age=_age(dob, home.started_on), legal_status=status_then.legal_status, is_first=i == 0,
                same_carer_as_previous=home.same_carer_as_previous,
                previous_type=ph[i - 1].placement_type if i else None,
                has_adoption_decision=any(d <= home.started_on for d in decision_days), dolo_open=dolo_open,
                has_foster_household=home.foster_household_id is not None, child_name="the child")
            found += [f"{where} placement {home.pk} {home.placement_type}: {m}" for m in problems.values()]
            if home.placement_type in RETIRED_PLACEMENT_TYPES or home.placement_type not in PlacementType.values:
                found.append(f"{where}: placement type {home.placement_type} is not in the current set")
            if home.placement_type.startswith("Z") and home.started_on < Z_CODES_FROM:
                found.append(f"{where}: {home.placement_type} before 2025/26")
            followed = i + 1 < len(ph)
            if followed and home.placement_type not in TEMPORARY_PLACEMENTS and \
                    ph[i + 1].placement_type not in TEMPORARY_PLACEMENTS and not home.reason_for_change:
                found.append(f"{where}: placement {home.pk} changed without a reason")
            if not followed and home.reason_for_change:
                found.append(f"{where}: the last placement has a reason for change")
            if home.reason_for_change == "CUSTOD" and (_age(dob, home.ended_on) or 0) < 10:
                found.append(f"{where}: custody move under 10")
            # Every legal status in force during the placement must suit it.
            for status in ls:
                if status.started_on < (home.ended_on or date.max) and (status.ended_on or date.max) > home.started_on:
                    clash = checks.combination_problem(legal_status=status.legal_status,
                                                       placement_type=home.placement_type)
                    if clash:
                        found.append(f"{where}: {status.legal_status} with {home.placement_type}: {clash}")
        if period.ended_on is not None:
            plan = next((p for p in sorted(plans[period.pk], key=lambda p: p.decided_on, reverse=True)
                         if p.reversed_on is None), None)
            problem = checks.leaving_problems(
                reason=period.reason_ceased, age=_age(dob, period.ended_on), current_type=ph[-1].placement_type,
                any_foster=any(h.placement_type in FOSTER_PLACEMENTS for h in ph),
                has_order_on=plan.adoption_order_on if plan else None, ended_on=period.ended_on)
            if problem:
                found.append(f"{where}: {period.reason_ceased}: {problem}")
            if period.reason_ceased in checks.ADOPTED and (plan is None or plan.number_of_adopters is None):
                found.append(f"{where}: adopted without the adopters' details")
            if period.reason_ceased not in checks.ADOPTED and plan is not None and plan.adoption_order_on is None:
                found.append(f"{where}: left care with the adoption decision still open")
        found += [f"{where}: {m}" for m in checks.previous_permanence_problems(
            previous_permanence=period.previous_permanence, la=period.previous_permanence_la,
            on=period.previous_permanence_on, period_started_on=period.started_on).values()]
        for order in open_dolos:
            home = next(h for h in reversed(ph) if h.started_on <= order.started_on)
            if home.placement_type in checks.NO_DOLO_PLACEMENTS or (order.ended_on or date.max) > \
                    (period.ended_on or date.max) or order.started_on < period.started_on:
                found.append(f"{where}: DoLO {order.pk} in {home.placement_type} or outside the period")
            for later in ph:
                if later.started_on > order.started_on and later.started_on < (order.ended_on or date.max) and \
                        later.placement_type in checks.NO_DOLO_PLACEMENTS:
                    found.append(f"{where}: DoLO continues into {later.placement_type}")
        active = [p for p in plans[period.pk] if p.reversed_on is None and p.adoption_order_on is None]
        if len(active) > 1:
            found.append(f"{where}: two active adoption plans")
        for plan in plans[period.pk]:
            steps = [plan.decided_on, plan.placement_order_on, plan.matched_on, plan.placed_on, plan.adoption_order_on]
            dated = [d for d in steps if d is not None]
            if dated != sorted(dated) or plan.decided_on < period.started_on or \
                    (period.ended_on is not None and max(dated) > period.ended_on):
                found.append(f"{where}: adoption steps out of order")
            if plan.placed_on is not None and plan.matched_on is None:
                found.append(f"{where}: placed for adoption before a match")
            if plan.reversed_on is not None and (not plan.reversal_reason or
                                                 (plan.reversal_reason == "RD2" and plan.placement_order_on)):
                found.append(f"{where}: reversal reason missing or wrong")
            found += [f"{where}: adopters: {m}" for m in checks.adopter_problems(
                number=plan.number_of_adopters, sex=plan.adopter_sex, legal_status=plan.adopter_legal_status,
                adopted_by_foster_carer=plan.adopted_by_foster_carer,
                required=plan.adoption_order_on is not None).values()]
            placed = [h for h in ph if h.placement_type in ADOPTION_PLACEMENTS]
            if plan.adopted_by_foster_carer is not None and placed and \
                    plan.adopted_by_foster_carer != (placed[-1].placement_type in checks.PLACED_WITH_CURRENT_CARER):
                found.append(f"{where}: adopted by the foster carer does not match {placed[-1].placement_type}")
        # Derived episodes: contiguous, never a day long, X1 on all but the last.
        episodes = derive_episodes(period, ls, ph)
        if episodes[0].decom != period.started_on or episodes[0].rne != "S":
            found.append(f"{where}: first episode wrong")
        for a, b in itertools.pairwise(episodes):
            if a.dec != b.decom or a.rec != "X1":
                found.append(f"{where}: episodes do not follow on")
            if b.rne not in ("L", "P", "T", "B", "U"):
                found.append(f"{where}: RNE {b.rne}")
        for episode in episodes:
            if episode.dec is not None and episode.dec <= episode.decom:
                found.append(f"{where}: an episode of no days")
            if episode.rec == "X1" and episode is episodes[-1]:
                found.append(f"{where}: last episode X1")
        if period.ended_on is not None and episodes[-1].rec != period.reason_ceased:
            found.append(f"{where}: last episode REC differs")
        # A child in care is a child in need: a CIN episode covers the period.
        covering = [e for e in episodes_open[period.child_id] if e.referral_date <= period.started_on and (
            e.closed_on is None or (period.ended_on is not None and e.closed_on >= period.ended_on))]
        if not covering:
            found.append(f"{where}: no CIN episode covers the period")
    return found


def care_plan_problems() -> list[str]:
    """Reviews, visits, health, PEPs, care plans, OC2 and IROs against the care plan services' rules."""
    found: list[str] = []
    periods = {p.pk: p for p in PeriodOfCare.objects.all()}
    born = dict(Person.objects.values_list("pk", "date_of_birth"))
    iros = set(Allocation.objects.filter(kind=Allocation.Kind.IRO).values_list("worker_id", flat=True))
    roles = dict(Person.objects.none().values_list("pk", "pk"))
    del roles

    def in_care(period_id: int, day: date, what: str) -> None:
        p = periods[period_id]
        if day < p.started_on or (p.ended_on is not None and day >= p.ended_on) or day > timezone.localdate():
            found.append(f"{what} on {day} outside period {period_id}")

    for review in LookedAfterReview.objects.select_related("chair"):
        in_care(review.period_id, review.held_on, f"review {review.pk}")
        if review.chair.role != Role.IRO:
            found.append(f"review {review.pk} not chaired by an IRO")
        age = _age(born[review.child_id], review.held_on)
        if (review.participation == "PN0") != (age is not None and age < 4):
            found.append(f"review {review.pk}: participation {review.participation} at {age}")
    homes = _by(Placement.objects.all(), "period_id")
    for visit in CareVisit.objects.all():
        in_care(visit.period_id, visit.visited_on, f"visit {visit.pk}")
        if visit.seen_alone and not visit.seen:
            found.append(f"visit {visit.pk} seen alone but not seen")
        home = next((h for h in homes[visit.period_id] if h.started_on <= visit.visited_on
                     and (h.ended_on is None or h.ended_on > visit.visited_on)), None)
        if home is None or home.pk != visit.placement_id:
            found.append(f"visit {visit.pk} not in the placement of the day")
    for kind, model, day in (("health", HealthAssessment, "done_on"), ("PEP", PersonalEducationPlan, "held_on")):
        for period_id, rows in _by(model.objects.order_by(day), "period_id").items():
            initials = [r for r in rows if r.kind == "initial"]
            if len(initials) != 1 or getattr(rows[0], day) != getattr(initials[0], day):
                found.append(f"{kind} in period {period_id}: {len(initials)} initial, or a review before it")
            for row in rows:
                in_care(period_id, getattr(row, day), f"{kind} {row.pk}")
    for period_id, rows in _by(CarePlan.objects.order_by("number"), "period_id").items():
        if [r.number for r in rows] != list(range(1, len(rows) + 1)) or sum(r.is_current for r in rows) != 1:
            found.append(f"care plans of period {period_id} numbered or current wrongly")
        for row in rows:
            in_care(period_id, row.agreed_on, f"care plan {row.pk}")
    for outcome in OC2Outcome.objects.all():
        start, end = date(outcome.year - 1, 4, 1), date(outcome.year, 3, 31)
        if not PeriodOfCare.objects.filter(child_id=outcome.child_id, started_on__lte=start).filter(
                Q(ended_on__isnull=True) | Q(ended_on__gt=end)).exists():
            found.append(f"OC2 {outcome.pk} for a child not looked after all year")
    for allocation in Allocation.objects.filter(kind=Allocation.Kind.IRO).select_related("worker"):
        p = PeriodOfCare.objects.filter(child_id=allocation.child_id, started_on__lte=allocation.started_on).filter(
            Q(ended_on__isnull=True) | Q(ended_on__gte=allocation.ended_on or date.max)).first()
        if p is None or allocation.worker is None or allocation.worker.role != Role.IRO:
            found.append(f"IRO allocation {allocation.pk} outside a period, or not an IRO")
    del iros
    return found


def clock_problems() -> list[str]:
    """Every clock's due date is the registry's, and its status follows from its dates."""
    found: list[str] = []
    holidays = holiday_set()
    terms: dict[int, list[tuple[date, date]]] = defaultdict(list)
    for term in SchoolTerm.objects.all():
        terms[term.local_authority_id].append((term.starts_on, term.ends_on))
    for clock in Clock.objects.all():
        if clock.interval_offset:
            continue
        start: Any = clock.started_at if clock.due_at is not None and clock.started_at is not None else clock.started_on
        expected = due(clock.rule_id, start, holidays=holidays, term_dates=terms[clock.local_authority_id],
                       then=clock.later_interval)
        if hasattr(expected, "date"):
            # As instants: an hour repeated when the clocks go back never compares equal across time zones.
            if clock.due_at is None or clock.due_at.timestamp() != expected.timestamp():
                found.append(f"clock {clock.pk} {clock.rule_id}: due at {clock.due_at}, registry {expected}")
        elif clock.due_on != expected:
            found.append(f"clock {clock.pk} {clock.rule_id}: due {clock.due_on}, registry {expected}")
        if clock.status in ("met", "missed"):
            if clock.stopped_on is None or clock.stopped_on < clock.started_on:
                found.append(f"clock {clock.pk} stopped wrongly")
            elif clock.due_at is not None and clock.stopped_at is not None:
                if (clock.status == "met") != (clock.stopped_at <= clock.due_at):
                    found.append(f"clock {clock.pk} met/missed wrongly")
            elif (clock.status == "met") != (clock.stopped_on <= clock.due_on):
                found.append(f"clock {clock.pk} met/missed wrongly")
    # Nothing is left running on a period of care that has ended.
    ended = set(PeriodOfCare.objects.exclude(ended_on=None).values_list("pk", flat=True))
    for clock in Clock.objects.filter(status="open", subject_type__model="periodofcare"):
        if clock.subject_id in ended:
            found.append(f"clock {clock.pk} {clock.rule_id} still open on an ended period")
    ended_homes = set(Placement.objects.exclude(ended_on=None).values_list("pk", flat=True))
    for clock in Clock.objects.filter(status="open", subject_type__model="placement"):
        if clock.subject_id in ended_homes:
            found.append(f"clock {clock.pk} {clock.rule_id} still open on an ended placement")
    return found


def leaving_care_problems() -> list[str]:
    found: list[str] = []
    born = dict(Person.objects.values_list("pk", "date_of_birth"))
    left: dict[int, date] = {}
    for period in PeriodOfCare.objects.exclude(ended_on=None).order_by("ended_on"):
        dob = born[period.child_id]
        if dob is not None and period.ended_on is not None and period.ended_on > dob + relativedelta(years=16):
            left.setdefault(period.child_id, period.ended_on)
    for contact in CareLeaverContact.objects.all():
        if contact.child_id not in left or contact.contacted_on < left[contact.child_id]:
            found.append(f"contact {contact.pk} before leaving care")
    for row in CareLeaverAccommodation.objects.all():
        if row.child_id not in left or row.started_on < left[row.child_id]:
            found.append(f"accommodation {row.pk} before leaving care")
        dob = born[row.child_id]
        if row.accommodation == "Z" and dob is not None and row.started_on < dob + relativedelta(years=18):
            found.append(f"accommodation {row.pk} with former foster carers before 18")
    for stay in StayingPut.objects.all():
        dob = born[stay.child_id]
        assert dob is not None
        if stay.started_on < dob + relativedelta(years=18) or (stay.ended_on or date.min) > dob + relativedelta(
                years=21):
            found.append(f"staying put {stay.pk} outside 18 to 21")
    for allocation in Allocation.objects.filter(kind=Allocation.Kind.PERSONAL_ADVISER).select_related("worker"):
        if allocation.worker is None or allocation.worker.role != Role.PERSONAL_ADVISER:
            found.append(f"PA allocation {allocation.pk} to someone who is not a personal adviser")
        dob = born[allocation.child_id]
        if dob is not None and allocation.started_on < dob + relativedelta(years=15):
            found.append(f"PA allocation {allocation.pk} before 15")
    open_plans = Counter(PathwayPlan.objects.filter(ended_on=None).values_list("child_id", flat=True))
    if open_plans and max(open_plans.values()) > 1:
        found.append("two open pathway plans")
    return found


def missing_problems() -> list[str]:
    found: list[str] = []
    born = dict(Person.objects.values_list("pk", "date_of_birth"))
    periods = _by(PeriodOfCare.objects.all(), "child_id")
    now = timezone.now()
    for child_id, rows in _by(MissingEpisode.objects.order_by("started_at"), "child_id").items():
        for a, b in itertools.pairwise(rows):
            if a.ended_at is None or a.ended_at > b.started_at:
                found.append(f"missing episodes {a.pk} and {b.pk} overlap")
        for e in rows:
            day = timezone.localtime(e.started_at).date()
            in_care = any(p.started_on <= day and (p.ended_on is None or day < p.ended_on) for p in periods[child_id])
            if e.from_care != in_care or (e.missing_type == "A" and not in_care):
                found.append(f"missing episode {e.pk}: from care {e.from_care}, in care {in_care}")
            dob = born[child_id]
            if dob is not None and not dob <= day < dob + relativedelta(years=18):
                found.append(f"missing episode {e.pk} outside childhood")
            if e.started_at > now or (e.ended_at is not None and (e.ended_at <= e.started_at or e.ended_at > now)):
                found.append(f"missing episode {e.pk} times wrong")
            if e.police_reference and not e.reported_to_police:
                found.append(f"missing episode {e.pk} police reference without the police told")
    for interview in ReturnInterview.objects.select_related("episode", "completed_by"):
        ended = interview.episode.ended_at
        if ended is None or interview.due_at != ended + timedelta(hours=72):
            found.append(f"interview {interview.pk} due wrongly")
            continue
        for moment in (interview.offered_at, interview.responded_at, interview.completed_at):
            if moment is not None and (moment < ended or moment > now):
                found.append(f"interview {interview.pk} dated before the return or in the future")
        if interview.completed_at is not None:
            if interview.offered_at is None or interview.completed_at < interview.offered_at:
                found.append(f"interview {interview.pk} held before it was offered")
            if interview.completed_by is None or interview.completed_by.role != Role.MISSING_ADVOCATE:
                found.append(f"interview {interview.pk} not held by an advocate")
            if interview.completed_at > interview.due_at and not interview.late_reason:
                found.append(f"interview {interview.pk} late without a reason")
    return found


def register_problems() -> list[str]:
    found: list[str] = []
    born = dict(Person.objects.values_list("pk", "date_of_birth"))
    for model, opened, closed in ((CMECase, "notified_on", "closed_on"), (EHECase, "notified_on", "ended_on")):
        open_counts = Counter(model.objects.filter(**{f"{closed}__isnull": True}).values_list("child_id", flat=True))
        if open_counts and max(open_counts.values()) > 1:
            found.append(f"{model.__name__}: two open cases for one child")
        for case in model.objects.all():
            age = _age(born[case.child_id], getattr(case, opened))
            if age is None or not 4 <= age <= 16:
                found.append(f"{model.__name__} {case.pk} for a child aged {age}")
    for case in EHECase.objects.exclude(end_reason=""):
        if case.end_reason == "sixteen" and (_age(born[case.child_id], case.ended_on) or 0) < 16:
            found.append(f"EHE {case.pk} ended at 16 before 16")
    return found


def fostering_problems() -> list[str]:
    """Pipelines in order; placements only with approved households, within their places, none at deregistration."""
    found: list[str] = []
    today = timezone.localdate()
    households = list(FosterHousehold.objects.all())
    placements = _by(Placement.objects.exclude(foster_household=None), "foster_household_id")
    for household in households:
        for step in FOSTERING_STEPS:
            on = getattr(household, step.field)
            if on is None:
                continue
            recorded = recorded_dates(household, FOSTERING_STEPS)
            refusal = step_refusal(FOSTERING_STEPS, recorded, step.field, on, today=today)
            if refusal:
                found.append(f"household {household.pk}: {refusal}")
        rows = placements[household.pk]
        for home in rows:
            if household.approved_on is None or home.started_on < household.approved_on or (
                    household.deregistered_on is not None and (home.ended_on or date.max) > household.deregistered_on):
                found.append(f"placement {home.pk} with household {household.pk} outside its approval")
        days = {h.started_on for h in rows}
        for day in days:
            there = sum(1 for h in rows if h.started_on <= day and (h.ended_on is None or h.ended_on > day))
            if there > (household.approved_places or 0):
                found.append(f"household {household.pk}: {there} children for {household.approved_places} places")
        reviews = list(FosterCarerReview.objects.filter(household=household).order_by("reviewed_on"))
        if reviews and reviews[0].panel_on is None:
            found.append(f"household {household.pk}: first review not at panel")
        if household.deregistered_on is not None and reviews and reviews[-1].reviewed_on > household.deregistered_on:
            found.append(f"household {household.pk}: reviewed after deregistration")
        if household.stage == "approved" and household.approved_on is None:
            found.append(f"household {household.pk}: approved without a date")
    for vacancy in FosterVacancy.objects.filter(closed_on=None).select_related("household"):
        h = vacancy.household
        if h.stage != "approved" or not (h.approved_age_from or 0) <= vacancy.age_from <= vacancy.age_to \
                <= (h.approved_age_to or 18) or any(c not in h.approved_care_types for c in vacancy.care_types):
            found.append(f"vacancy {vacancy.pk} outside its household's approval")
    for adopter in ProspectiveAdopter.objects.all():
        recorded = recorded_dates(adopter, ADOPTION_STEPS)
        for step in ADOPTION_STEPS:
            on = recorded[step.field]
            if on is not None:
                refusal = step_refusal(ADOPTION_STEPS, recorded, step.field, on, today=today)
                if refusal:
                    found.append(f"adopter {adopter.pk}: {refusal}")
    return found


def all_problems() -> list[str]:
    return (episode_problems() + care_plan_problems() + clock_problems() + leaving_care_problems()
            + missing_problems() + register_problems() + fostering_problems())


def rates(*, population: int, on: date | None = None) -> dict[str, float]:
    """The council against the DfE measures (indicators.md §4), at the last 31 March before ``on``."""
    today = on or timezone.localdate()
    march = date(today.year if today >= date(today.year, 3, 31) else today.year - 1, 3, 31)
    year_start = march - relativedelta(years=1) + timedelta(days=1)
    born = dict(Person.objects.values_list("pk", "date_of_birth"))
    uasc = set(Person.objects.filter(is_uasc=True).values_list("pk", flat=True))
    short = set(CareLegalStatus.objects.filter(legal_status__in=["V3", "V4"]).values_list("period_id", flat=True))
    periods = [p for p in PeriodOfCare.objects.all() if p.pk not in short]
    cla = [p for p in periods if p.started_on <= march and (p.ended_on is None or p.ended_on > march)]
    homes = _by(Placement.objects.order_by("started_on", "pk"), "child_id")
    three_plus = sum(1 for p in cla if placements_in_year(homes[p.child_id], march) >= 3)
    eligible = stable = 0
    for p in cla:
        lt = long_term_stability(period=p, placements=homes[p.child_id], age=_age(born[p.child_id], march), on=march)
        eligible += lt.eligible
        stable += lt.stable
    workers: dict[int, set[int]] = defaultdict(set)
    for child, worker in Allocation.objects.filter(kind=Allocation.Kind.SOCIAL_WORKER, worker__isnull=False,
                                                   started_on__lte=march).filter(
            Q(ended_on__isnull=True) | Q(ended_on__gte=year_start)).values_list("child_id", "worker_id"):
        workers[child].add(worker)
    on_day = {p.child_id: next((h for h in homes[p.child_id] if h.started_on <= march and (
        h.ended_on is None or h.ended_on > march)), None) for p in cla}
    residential = sum(1 for h in on_day.values() if h is not None and h.placement_type in ("K1", "K2"))
    foster = sum(1 for h in on_day.values() if h is not None and h.placement_type in FOSTER_PLACEMENTS)
    starts = sum(1 for p in periods if year_start <= p.started_on <= march)
    during = [p for p in periods if p.started_on <= march and (p.ended_on is None or p.ended_on >= year_start)]
    during_children = {p.child_id for p in during}
    missing_children = set(MissingEpisode.objects.filter(
        missing_type="M", from_care=True, started_at__date__gte=year_start,
        started_at__date__lte=march).values_list("child_id", flat=True)) & during_children
    statuses = Counter(CareLegalStatus.objects.filter(period__in=[p.pk for p in cla], started_on__lte=march).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gt=march)).values_list("legal_status", flat=True))
    n = len(cla) or 1
    return {
        "cla_at_31_march": len(cla),
        "cla_rate_per_10k": round(10000 * len(cla) / population, 1),
        "starts_rate_per_10k": round(10000 * starts / population, 1),
        "three_plus_placements_pct": round(100 * three_plus / n, 1),
        "long_term_stability_pct": round(100 * stable / (eligible or 1), 1),
        "three_plus_social_workers_pct": round(100 * sum(len(workers[p.child_id]) >= 3 for p in cla) / n, 1),
        "childrens_homes_or_secure_pct": round(100 * residential / n, 1),
        "foster_care_pct": round(100 * foster / n, 1),
        "uasc_pct": round(100 * sum(p.child_id in uasc for p in cla) / n, 1),
        "went_missing_pct": round(100 * len(missing_children) / (len(during_children) or 1), 1),
        **{f"legal_status_{code}_pct": round(100 * count / n, 1) for code, count in statuses.most_common(5)},
    }
