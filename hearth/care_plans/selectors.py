"""Reads for care plans, reviews, visits, health, education and OC2.

One child's page: the views have already opened the child for the user (access checked and
logged); these read that child's records, scoped by the child and its council. The OC2 list
starts from ``people_visible_to``, so a child the user may not open is never named.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet
from django.utils import timezone

from hearth.access.policy import countable_unseen_filter
from hearth.access.selectors import people_visible_to
from hearth.accounts.models import User
from hearth.accounts.roles import Role
from hearth.allocations.models import Allocation
from hearth.care.codes import SHORT_BREAKS, SDQReason
from hearth.care.models import CareLegalStatus, PeriodOfCare, Placement
from hearth.clocks.models import Clock
from hearth.clocks.services import term_dates_for
from hearth.clocks.working_days import add_months
from hearth.people.models import Person
from hearth.workspace.dates import birthday

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
    collection_year,
    collection_year_of,
    is_school_age,
    sdq_expected,
)

if TYPE_CHECKING:
    from hearth.tenancy.models import LocalAuthority



def iros(*, local_authority_id: int | None) -> QuerySet[User]:
    """The council's independent reviewing officers, for the IRO and review forms."""
    return User.objects.filter(local_authority_id=local_authority_id, role=Role.IRO, is_active=True).order_by(
        "last_name", "first_name", "id"
    )


def current_iro(*, child: Person) -> Allocation | None:
    return (
        Allocation.objects.filter(child=child, kind=Allocation.Kind.IRO, ended_on__isnull=True,
                                  local_authority_id=child.local_authority_id)
        .select_related("worker").first()
    )


def periods_for(*, child: Person) -> list[PeriodOfCare]:
    return list(PeriodOfCare.objects.filter(child=child, local_authority_id=child.local_authority_id)
                .order_by("-started_on", "-id"))


def period_for(*, child: Person, pk: int | None = None) -> PeriodOfCare | None:
    """The period a page is about: the one asked for, else the open one, else the latest."""
    periods = PeriodOfCare.objects.filter(child=child, local_authority_id=child.local_authority_id)
    if pk is not None:
        return periods.filter(pk=pk).first()
    return periods.filter(ended_on__isnull=True).first() or periods.order_by("-started_on", "-id").first()


def current_care_plan(*, period: PeriodOfCare) -> CarePlan | None:
    return CarePlan.objects.filter(period=period, is_current=True).first()


def placement_for(*, period: PeriodOfCare, pk: int) -> Placement | None:
    return Placement.objects.filter(period=period, pk=pk).first()


def _clocks(period: PeriodOfCare, placements: list[Placement]) -> list[Clock]:
    """Every clock of the period and of its placements (open and closed)."""
    ct_period = ContentType.objects.get_for_model(PeriodOfCare)
    ct_placement = ContentType.objects.get_for_model(Placement)
    return list(
        Clock.objects.filter(local_authority_id=period.local_authority_id, child_id=period.child_id)
        .filter(Q(subject_type=ct_period, subject_id=period.pk, rule_id__in=PERIOD_RULES)
                | Q(subject_type=ct_placement, subject_id__in=[p.pk for p in placements],
                    rule_id__in=PLACEMENT_RULES))
        .order_by("due_on", "id")
    )


def _first_open(clocks: list[Clock], rule_ids: tuple[str, ...]) -> Clock | None:
    return next((c for c in clocks if c.is_open and c.rule_id in rule_ids), None)


@dataclass
class Overview:
    """What the child's care plan page shows, read in a fixed number of queries."""

    period: PeriodOfCare | None
    periods: list[PeriodOfCare] = field(default_factory=list)
    placements: list[Placement] = field(default_factory=list)
    current_placement: Placement | None = None
    iro: Allocation | None = None
    iro_history: list[Allocation] = field(default_factory=list)
    care_plan: CarePlan | None = None
    care_plan_versions: list[CarePlan] = field(default_factory=list)
    placement_plans: list[PlacementPlan] = field(default_factory=list)
    reviews: list[LookedAfterReview] = field(default_factory=list)
    visits: list[CareVisit] = field(default_factory=list)
    last_seen: CareVisit | None = None
    last_seen_alone: CareVisit | None = None
    health: list[HealthAssessment] = field(default_factory=list)
    initial_health: HealthAssessment | None = None
    last_health_review: HealthAssessment | None = None
    dental: list[DentalCheck] = field(default_factory=list)
    dental_within_year: bool = False
    immunisations: list[ImmunisationCheck] = field(default_factory=list)
    sdq: list[SDQScore] = field(default_factory=list)
    peps: list[PersonalEducationPlan] = field(default_factory=list)
    school_age: bool = False
    no_term_dates: bool = False
    open_clocks: list[Clock] = field(default_factory=list)
    closed_clocks: list[Clock] = field(default_factory=list)
    next_review: Clock | None = None
    next_visit: Clock | None = None
    next_health: Clock | None = None
    next_pep: Clock | None = None
    care_plan_clock: Clock | None = None
    placement_plan_clock: Clock | None = None
    oc2: list[OC2Row] = field(default_factory=list)
    today: date = field(default_factory=timezone.localdate)


def care_plan_overview(*, child: Person, period: PeriodOfCare | None = None) -> Overview:
    """The child's care plan page: IRO, plan, reviews, visits, health, education and OC2 for one period."""
    today = timezone.localdate()
    periods = periods_for(child=child)
    if period is None:
        period = next((p for p in periods if p.ended_on is None), periods[0] if periods else None)
    iro_history = list(Allocation.objects.filter(child=child, kind=Allocation.Kind.IRO,
                                                 local_authority_id=child.local_authority_id)
                       .select_related("worker").order_by("-started_on", "-id"))
    if period is None:
        return Overview(period=None, iro_history=iro_history, today=today)
    placements = list(Placement.objects.filter(period=period).order_by("-started_on", "-id"))
    current = next((p for p in placements if p.ended_on is None), None)
    plans = list(CarePlan.objects.filter(period=period).order_by("-number"))
    reviews = list(LookedAfterReview.objects.filter(period=period).select_related("chair")
                   .order_by("-held_on", "-id"))
    visits = list(CareVisit.objects.filter(period=period).select_related("visited_by", "placement")
                  .order_by("-visited_on", "-id"))
    health = list(HealthAssessment.objects.filter(period=period).order_by("-done_on", "-id"))
    dental = list(DentalCheck.objects.filter(period=period).order_by("-checked_on", "-id"))
    clocks = _clocks(period, placements)
    school_age = is_school_age(child.date_of_birth, today if period.is_open else period.started_on)
    overview = Overview(
        period=period, periods=periods, placements=placements, current_placement=current,
        iro=next((a for a in iro_history if a.ended_on is None), None), iro_history=iro_history,
        care_plan=next((p for p in plans if p.is_current), None), care_plan_versions=plans,
        placement_plans=list(PlacementPlan.objects.filter(placement=current).order_by("-agreed_on", "-id"))
        if current else [],
        reviews=reviews, visits=visits,
        last_seen=next((v for v in visits if v.seen), None),
        last_seen_alone=next((v for v in visits if v.seen_alone), None),
        health=health,
        initial_health=next((h for h in health if h.kind == HealthAssessment.Kind.INITIAL), None),
        last_health_review=next((h for h in health if h.kind == HealthAssessment.Kind.REVIEW), None),
        dental=dental,
        dental_within_year=bool(dental) and dental[0].checked_on >= add_months(today, -12),
        immunisations=list(ImmunisationCheck.objects.filter(period=period).order_by("-checked_on", "-id")),
        sdq=list(SDQScore.objects.filter(period=period).order_by("-completed_on", "-id")),
        peps=list(PersonalEducationPlan.objects.filter(period=period).order_by("-held_on", "-id")),
        school_age=school_age,
        open_clocks=[c for c in clocks if c.is_open],
        closed_clocks=sorted((c for c in clocks if not c.is_open), key=lambda c: (c.started_on, c.pk), reverse=True),
        next_review=_first_open(clocks, REVIEW_RULES),
        next_visit=_first_open(clocks, VISIT_RULES),
        next_health=_first_open(clocks, HEALTH_RULES),
        next_pep=_first_open(clocks, PEP_RULES),
        care_plan_clock=_first_open(clocks, ("care_plan",)),
        placement_plan_clock=_first_open(clocks, ("placement_plan",)),
        today=today,
    )
    overview.no_term_dates = (school_age and period.is_open and overview.next_pep is None and bool(overview.peps)
                              and not term_dates_for(child.local_authority_id))
    this_year = collection_year_of(today)
    overview.oc2 = [row for row in (oc2_for(child=child, year=y) for y in (this_year, this_year - 1)) if row]
    return overview


# ---------------------------------------------------------------- OC2


def _continuous_periods(local_authority_id: int | None, year: int) -> QuerySet[PeriodOfCare]:
    """Periods in which the child was looked after from 1 April to 31 March of the collection year,
    not on a series of short breaks (V3/V4): "looked after continuously for 12 months at 31 March"."""
    start, end = collection_year(year)
    short_breaks = CareLegalStatus.objects.filter(legal_status__in=SHORT_BREAKS, started_on__lte=end).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=start)
    ).values("period_id")
    return (
        PeriodOfCare.objects.filter(local_authority_id=local_authority_id, started_on__lte=start)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=end))
        .exclude(pk__in=short_breaks)
    )


def continuously_looked_after(*, child: Person, year: int) -> bool:
    return _continuous_periods(child.local_authority_id, year).filter(child=child).exists()


@dataclass
class OC2Row:
    """One child's OC2 row for the collection year ending 31 March ``year`` (0/1 flags; None is blank)."""

    child: Person
    year: int
    sdq_score: int | None
    sdq_reason: str
    convicted: int | None
    health_check: int | None
    immunisations: int
    teeth_check: int
    health_assessment: int
    substance_misuse: int | None
    intervention_received: int | None
    intervention_offered: int | None
    outcome: OC2Outcome | None
    missing: list[str]

    @property
    def label(self) -> str:
        return f"{self.year - 1}/{self.year % 100:02d}"

    @property
    def is_complete(self) -> bool:
        return not self.missing

    def as_903(self) -> dict[str, str]:
        """The row as the 903 OC2 table holds it."""

        def flag(value: int | None) -> str:
            return "" if value is None else str(value)

        dob = self.child.date_of_birth
        return {
            "CHILD": self.child.hearth_id, "DOB": dob.strftime("%d/%m/%Y") if dob else "",
            "SDQ_SCORE": flag(self.sdq_score), "SDQ_REASON": self.sdq_reason, "CONVICTED": flag(self.convicted),
            "HEALTH_CHECK": flag(self.health_check), "IMMUNISATIONS": flag(self.immunisations),
            "TEETH_CHECK": flag(self.teeth_check), "HEALTH_ASSESSMENT": flag(self.health_assessment),
            "SUBSTANCE_MISUSE": flag(self.substance_misuse),
            "INTERVENTION_RECEIVED": flag(self.intervention_received),
            "INTERVENTION_OFFERED": flag(self.intervention_offered),
        }


def _flag(value: bool | None) -> int | None:
    return None if value is None else int(value)


def _oc2_row(child: Person, year: int, *, health: list[date], dental: list[date],
             immunisations: list[tuple[date, bool]], sdq: list[tuple[date, int | None, str]],
             outcome: OC2Outcome | None) -> OC2Row:
    """Derive the health items from the records (dates sorted newest first) and add the typed ones."""
    start, end = collection_year(year)
    in_year = [d for d in health if start <= d <= end]
    dob = child.date_of_birth
    # Health surveillance is returned for children under 5 at 31 March: up to date when the
    # 6-monthly review was not overdue that day.
    under_five = dob is not None and birthday(dob, 5) > end
    health_check = int(any(d <= end <= add_months(d, 6) for d in health)) if under_five else None
    jabs = [(d, ok) for d, ok in immunisations if start <= d <= end]
    missing: list[str] = []
    sdq_score: int | None = None
    sdq_reason = ""
    expected = sdq_expected(dob, year)
    if expected:
        latest = next(((s, r) for d, s, r in sdq if start <= d <= end), None)
        if latest is None:
            missing.append("SDQ score or reason")
        else:
            sdq_score, sdq_reason = latest
    if outcome is None:
        missing.append("convictions and substance misuse")
    convicted = _flag(outcome.convicted) if outcome else None
    if dob is not None:
        # DfE's age rules, here so this page shows what the 903 return sends: no conviction item under
        # 10 at 31 March (rule 542); a child turning 4 or 17 in the year, so outside the SDQ ages, gets
        # SDQ1 (under 4 or over 16 at the latest assessment), as rule 197B wants a score or reason. A
        # birthday on 1 April is not "in the year": 4 then is within the SDQ ages (a real SDQ, rules 157,
        # 186) and 17 then is past them (no SDQ item at all, rule 189).
        if birthday(dob, 10) > end:
            convicted = None
        turning = any(start < birthday(dob, age) <= end for age in (4, 17))
        if turning and not expected:
            sdq_reason = SDQReason.AGE.value
    return OC2Row(
        child=child, year=year, sdq_score=sdq_score, sdq_reason=sdq_reason,
        convicted=convicted, health_check=health_check,
        immunisations=int(bool(jabs) and jabs[0][1]),
        teeth_check=int(any(start <= d <= end for d in dental)),
        health_assessment=int(bool(in_year)),
        substance_misuse=_flag(outcome.substance_misuse) if outcome else None,
        intervention_received=_flag(outcome.intervention_received) if outcome else None,
        intervention_offered=_flag(outcome.intervention_offered) if outcome else None,
        outcome=outcome, missing=missing,
    )


def _oc2_rows(children: list[Person], year: int) -> list[OC2Row]:
    """OC2 rows for these children in a fixed number of queries, whatever their number."""
    start, end = collection_year(year)
    ids = [c.pk for c in children]
    health: dict[int, list[date]] = defaultdict(list)
    for child_id, day in (HealthAssessment.objects.filter(child_id__in=ids, done_on__gte=add_months(end, -12),
                                                           done_on__lte=end)
                          .order_by("-done_on", "-id").values_list("child_id", "done_on")):
        health[child_id].append(day)
    dental: dict[int, list[date]] = defaultdict(list)
    for child_id, day in (DentalCheck.objects.filter(child_id__in=ids, checked_on__range=(start, end))
                          .values_list("child_id", "checked_on")):
        dental[child_id].append(day)
    jabs: dict[int, list[tuple[date, bool]]] = defaultdict(list)
    for child_id, day, ok in (ImmunisationCheck.objects.filter(child_id__in=ids, checked_on__range=(start, end))
                              .order_by("-checked_on", "-id").values_list("child_id", "checked_on", "up_to_date")):
        jabs[child_id].append((day, ok))
    sdq: dict[int, list[tuple[date, int | None, str]]] = defaultdict(list)
    for child_id, day, score, reason in (SDQScore.objects.filter(child_id__in=ids, completed_on__range=(start, end))
                                         .order_by("-completed_on", "-id")
                                         .values_list("child_id", "completed_on", "score", "reason")):
        sdq[child_id].append((day, score, reason))
    outcomes = {o.child_id: o for o in OC2Outcome.objects.filter(child_id__in=ids, year=year)}
    return [
        _oc2_row(child, year, health=health[child.pk], dental=dental[child.pk], immunisations=jabs[child.pk],
                 sdq=sdq[child.pk], outcome=outcomes.get(child.pk))
        for child in children
    ]


def oc2_rows(*, local_authority: LocalAuthority | int, year: int) -> list[OC2Row]:
    """The council's OC2 rows for the collection year ending 31 March ``year``, one per child looked after
    continuously for 12 months at that 31 March, in child order: what the 903 return sends. No access
    scoping: for the return, not for a user's list (``children_due_oc2``). A fixed number of queries."""
    la_id = local_authority if isinstance(local_authority, int) else local_authority.pk
    periods = _continuous_periods(la_id, year)
    children = list(Person.objects.filter(local_authority_id=la_id, pk__in=periods.values("child_id"))
                    .order_by("pk"))
    return _oc2_rows(children, year) if children else []


def oc2_for(*, child: Person, year: int) -> OC2Row | None:
    """The 903 OC2 row for ``child`` in the collection year ending 31 March ``year``; None when the
    child was not looked after continuously for 12 months at that 31 March (no row is returned)."""
    if not continuously_looked_after(child=child, year=year):
        return None
    return _oc2_rows([child], year)[0]


@dataclass
class OC2List:
    rows: list[OC2Row]
    hidden: int  # restricted children due whose records this user may not open: counted, never named
    year: int

    @property
    def label(self) -> str:
        return f"{self.year - 1}/{self.year % 100:02d}"

    @property
    def incomplete(self) -> int:
        return sum(1 for row in self.rows if row.missing)


def children_due_oc2(*, user: User, year: int) -> OC2List:
    """Children looked after continuously for 12 months at 31 March ``year`` whom ``user`` may see,
    with their OC2 rows (incomplete ones first); a fixed number of queries for any number."""
    periods = _continuous_periods(user.local_authority_id, year)
    visible = people_visible_to(user=user).filter(pk__in=periods.values("child_id"))
    children = list(visible.order_by("last_name", "first_name", "id"))
    # Restricted children the user cannot open are counted; sealed ones are not (nor named).
    unseen = countable_unseen_filter(user, prefix="child__")
    hidden = periods.filter(unseen).values("child_id").distinct().count() if unseen is not None else 0
    rows = _oc2_rows(children, year)
    rows.sort(key=lambda r: (r.is_complete, r.child.last_name, r.child.first_name, r.child.pk))
    return OC2List(rows=rows, hidden=hidden, year=year)


def summary_for(*, child: Person) -> dict[str, Any]:
    """A few lines for another page (the In care tab): the IRO and what is due next."""
    period = period_for(child=child)
    if period is None or not period.is_open:
        return {"period": None}
    placements = list(Placement.objects.filter(period=period))
    clocks = _clocks(period, placements)
    return {"period": period, "iro": current_iro(child=child), "next_review": _first_open(clocks, REVIEW_RULES),
            "next_visit": _first_open(clocks, VISIT_RULES), "today": timezone.localdate()}
