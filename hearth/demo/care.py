"""The synthetic council's children in care and care leavers.

Periods of care hang on the allocation runs ``families`` makes: a run that a children-in-care
team holds is a period of care, starting when the child came into care (the children-in-care
team's first day, or a few weeks before it while the safeguarding team still held the case) and
ending when the run closed, or at 18 for a care leaver. The plan for each period is made before
the child's homes are written (``plan_family``), so the address history follows the placements,
the CIN episode closes for the reason the period ended (``casework`` asks ``closure_reason``),
and siblings who came into care together share it and mostly live together.

A period has legal statuses (most children come in under section 20 or an interim care order and
move on to a full care order; a few under police protection or an emergency protection order;
young children on the adoption path under a placement order) and placements (short-term foster
care first, then long-term foster care with the same carers or others, children's homes for many
teenagers, supported accommodation at 16 and over, family and friends carers, placement with
parents before going home, and placement for adoption). Every change is dated so the derived 903
episodes are valid: no gaps or overlaps, RNE from what changed, X1 on all but the last and a real
leaving reason on that, a reason for every placement change, codes only from the current set,
combinations the rules allow (A5/A6 under E1, never P1 under V2), adoption steps in order with the
order on the day the child left care. Foster placements with the council's own carers take an
approved household with a free place (``fostering``); family and friends placements a connected
household of their own.

Around each period come the care plan, the IRO, reviews (first within 20 working days, then 3
months, then 6-monthly), visits (within a week of each placement, then 6-weekly in its first year
and 3-monthly in a long-term one), health assessments, dental and immunisation checks, SDQs,
PEPs each term and OC2 outcomes, each with its clock written as ``casework`` writes them: due
date from the registry, met or missed at the event, cancelled when the period ended first, or
open and assigned to the allocated worker. Records before the five years are not written (the
council's system began then). Care leavers have their personal adviser, needs assessment,
pathway plan and 6-monthly reviews, keeping-in-touch contacts, accommodation, activity and
staying put. Missing episodes and the registers are in ``missing`` and ``registers``.

Some children in care whose case has since closed were adopted or went to live under a special
guardianship order, and about a third of care leavers left care at 16 or 17; families makes up
the open cases with others, so the caseloads stay as ``council`` sets them.

At error rate 0 the SSDA903 from all this has no validation errors: a move to a new carer is to
another home or household (never back to the one the child is leaving, rule 435), no placement but
P1 is at the family's own postcode (392d), OC3 accommodation is never "suitable" when homeless or in
custody (133) and a foyer only from 18 (347). With ``seed_demo --error-rate`` above 0, that share of
periods of care gets one slip the services accept and the return's rules find (``_plant``: an SDQ or
a year's OC2 items not recorded, a provider's URN or a placement postcode left out, a missing
episode never closed), each written down in ``PlantedError``.

What a medium (Nottingham-sized, seed 1) council came out as, at 31 March 2026, against Nottingham's
2025 figures (indicators.md §4; ``tests/demo/care_checks.rates`` measures them): children looked
after 93.8 per 10,000 (93); starting care 31 per 10,000 a year (29); 3 or more placements in the
year 11% (10); long-term stability 62% (67); 3 or more social workers in the year 40% (41); in a
children's home or secure home 15% (21); in foster care 74%; unaccompanied asylum seekers 4% of
children looked after; legal statuses C2 60%, V2 24%, C1 13%, E1 4%; children in care who went
missing in the year 11% (10). Care leavers 19 to 21 (OC3 so far this year): in education,
employment or training 59% (63), in suitable accommodation 84% (93; neighbours 88), not in touch 3%
(4); aged 17 or 18 in EET 59% (52); staying put 46% of those leaving foster care at 18 (41).
Return home interviews offered within 72 hours 91%, held within 72 hours 54%, declined 27%. 174
approved mainstream fostering households and 98 connected-person ones; 25 approvals and 24
deregistrations one year, 23 and 20 the next. 35 children open on the missing-education register,
52 on the home-education one. That council was measured before the last adjustments (the adoptions
and special guardianship orders of closed cases, the early care leavers, more children's homes);
three councils of a fifth of that size with them average 91 per 10,000 looked after, 35 starting,
7.5% with 3 or more placements, 74% long-term stability, 46% with 3 or more social workers, 17% in
children's homes and 11.5% missing.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from dateutil.relativedelta import relativedelta
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import NoReverseMatch, reverse

from hearth.accounts.models import Team, User
from hearth.accounts.roles import Role
from hearth.allocations.models import Allocation
from hearth.care.codes import (
    FOSTER_PLACEMENTS,
    LegalStatus,
    PlacementType,
    ReasonEpisodeCeased,
    ReasonPlacementChange,
)
from hearth.care.models import AdoptionPlan, CareLegalStatus, DeprivationOfLibertyOrder, PeriodOfCare, Placement
from hearth.care.services import LIMIT_CLOCKS
from hearth.care_leavers.models import (
    CareLeaverAccommodation,
    CareLeaverActivity,
    CareLeaverContact,
    PathwayNeedsAssessment,
    PathwayPlan,
    PathwayPlanReview,
    StayingPut,
)
from hearth.care_leavers.status import CarePeriod, CareSpell, care_leaver_status
from hearth.care_plans.models import (
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
from hearth.care_plans.schedule import is_school_age, next_visit_rule
from hearth.chronology.models import ChronologyEvent, EventType
from hearth.cin.codes import ClosureReason
from hearth.clocks.models import Clock, SchoolTerm, holiday_set
from hearth.clocks.registry import due, health_review_rule
from hearth.clocks.working_days import LONDON as _LONDON
from hearth.clocks.working_days import add_working_days
from hearth.fostering.models import FosterHousehold
from hearth.missing.models import MissingEpisode
from hearth.tenancy.models import LocalAuthority
from hearth.workspace.dates import age_on

from . import care_text as text
from .bulk import SeedWriter, new
from .casework import census_year
from .fostering import FosteringBuilder
from .models import PlantedError
from .places import UNIT_LETTERS, Place, Places, random_place

if TYPE_CHECKING:
    from .casework import CaseworkBuilder
    from .families import Kid, Lived, Span

Kind = Team.Kind
ONE_DAY = timedelta(days=1)
# Open children-in-care cases whose period of care has just ended (home under a plan, case not yet closed).
RETURNED_HOME_STILL_OPEN = 0.08
IN_HOUSE_FOSTER = 0.55
STAYING_PUT = 0.41
UASC_DISTANCE = None



def _plus_years(day: date, years: int) -> date:
    return day + relativedelta(years=years)


def _between(rng: random.Random, lo: date, hi: date) -> date:
    return lo if hi <= lo else lo + timedelta(days=rng.randint(0, (hi - lo).days))


def _pick(rng: random.Random, options: Mapping[str, float]) -> str:
    return rng.choices(list(options), list(options.values()))[0]


# ---------------------------------------------------------------------------------------------- the plan


@dataclass(eq=False)
class Home:
    """One placement record in the making."""

    code: str
    start: date
    end: date | None = None
    provider: str = ""
    household: FosterHousehold | None = None
    carer: str = ""
    urn: str = ""
    place: Place | None = None
    postcode: str = ""
    miles: Decimal | None = None
    same_carer: bool = False
    long_term: bool = False
    reason: str = ""
    kinship: bool = False
    row: Placement | None = None


@dataclass(eq=False)
class Status:
    code: str
    start: date
    end: date | None = None


@dataclass(eq=False)
class Adoption:
    decided: date
    order_on: date | None = None
    ffa: date | None = None
    matched: date | None = None
    placed: date | None = None
    adopted: date | None = None
    reversed: date | None = None
    reason: str = ""
    adopters: tuple[int, str, str] | None = None
    by_carer: bool = False


@dataclass(eq=False)
class Period:
    """One period of care planned for one child."""

    run_start: date
    start: date
    end: date | None
    rec: str
    need: str
    path: str
    statuses: list[Status] = field(default_factory=list)
    homes: list[Home] = field(default_factory=list)
    adoption: Adoption | None = None
    dolo: tuple[date, date | None] | None = None
    previous: tuple[str, str, date | None] = ("Z1", "", None)
    home_postcode: str = ""
    row: PeriodOfCare | None = None

    @property
    def stop(self) -> date:
        return self.end if self.end is not None else date.max

    def status_on(self, day: date) -> str:
        code = self.statuses[0].code
        for status in self.statuses:
            if status.start <= day:
                code = status.code
        return code


# How the CIN episode of a period's allocation run closes, by the period's leaving reason.
CLOSURES = {"E11": ClosureReason.ADOPTED, "E12": ClosureReason.ADOPTED, "E41": ClosureReason.CHILD_ARRANGEMENTS,
            "E45": ClosureReason.SPECIAL_GUARDIANSHIP, "E46": ClosureReason.SPECIAL_GUARDIANSHIP,
            "E47": ClosureReason.SPECIAL_GUARDIANSHIP, "E48": ClosureReason.SPECIAL_GUARDIANSHIP,
            "E3": ClosureReason.TRANSFERRED_LA, "E7": ClosureReason.TRANSFERRED_ADULTS}
CHANGE_REASONS = {"CARPL": 40, "CREQB": 16, "CREQO": 9, "CHILD": 8, "LAREQ": 5, "STAND": 3, "ALLEG": 3,
                  "CLOSE": 4, "APPRR": 1, "OTHER": 5}
NEEDS = {"N1": 62, "N2": 3, "N3": 3, "N4": 6, "N5": 14, "N6": 2, "N8": 10}
# Placements with an Ofsted-registered provider, whose URN the return needs (903 rule 218).
URN_PLACEMENTS = frozenset({"U4", "U5", "U6", "K1", "K2"})
# Typical days in each kind of placement before a move, when the period goes on.
STAY_DAYS = {"U6": 220, "U3": 200, "U5": 160, "U4": 2200, "U1": 2400, "K2": 560, "K1": 90, "K3": 330,
             "P1": 260, "R3": 90, "S1": 400, "A5": 9999, "A6": 9999}


@dataclass
class CareStaff:
    iros: list[User]
    qa_team: Team
    advisers: dict[int, list[User]]  # care-leaver team id -> personal advisers
    leaving_teams: list[Team]
    advocates: list[User]
    exploitation_team: Team
    managers_by_team: dict[int, list[User]]
    fostering_workers: list[User]
    education_officers: list[User]
    exploitation_lead: User | None = None
    demo_iro: User | None = None
    demo_adviser: User | None = None
    demo_advocate: User | None = None
    # cic.demo: given open children-in-care cases in their team until they hold a caseload.
    demo_worker: User | None = None
    demo_team: Team | None = None
    demo_caseload: int = 15


@dataclass
class CareSummary:
    periods: int = 0
    periods_open: int = 0
    placements: int = 0
    legal_statuses: int = 0
    adoption_plans: int = 0
    dolos: int = 0
    reviews: int = 0
    visits: int = 0
    care_leavers: int = 0
    contacts: int = 0
    missing_episodes: int = 0
    return_interviews: int = 0
    screenings: int = 0
    cme_cases: int = 0
    ehe_cases: int = 0
    households: int = 0
    clocks: int = 0
    clocks_open: int = 0
    # Allocations added here (IROs, personal advisers, missing advocates), besides those families makes.
    allocations: int = 0
    allocations_open: int = 0
    # Planted recording mistakes (seed_demo --error-rate), by kind.
    errors: int = 0
    error_kinds: dict[str, int] = field(default_factory=dict)


def _describe(home: Home) -> str:
    """As hearth.care's chronology lines describe a placement: its type, carer and postcode."""
    return ", ".join(part for part in (PlacementType(home.code).label, home.carer, home.postcode) if part)


def _groups(spans: Sequence[Span]) -> list[list[Span]]:
    """Runs of allocations that follow on from each other (one CIN episode each, as casework reads them)."""
    groups: list[list[Span]] = []
    for span in sorted(spans, key=lambda s: s.start):
        if groups and groups[-1][-1].end == span.start:
            groups[-1].append(span)
        else:
            groups.append([span])
    return groups


def _worker_on(spans: Sequence[Span], day: date) -> tuple[User | None, Team]:
    chosen = spans[0]
    for span in spans:
        if span.start <= day and span.kind == Allocation.Kind.SOCIAL_WORKER:
            chosen = span
    return chosen.worker, chosen.team


class CareBuilder:
    """Plans each child's periods of care before their homes are written, then writes everything about them."""

    def __init__(self, *, la: LocalAuthority, seed: int, today: date, writer: SeedWriter, staff: CareStaff,
                 places: Places, fostering: FosteringBuilder, members_by_team: dict[int, list[User]],
                 open_cases: int):
        from .missing import MissingBuilder
        from .registers import RegisterBuilder

        self.la = la
        self.seed = seed
        self.today = today
        self.window_start = today - relativedelta(years=5)
        self.writer = writer
        self.staff = staff
        self.places = places
        self.fostering = fostering
        self.members = members_by_team
        self.open_cases = open_cases
        self.rng = random.Random(f"hearth-demo-care-{seed}")
        self.holidays = holiday_set()
        self.terms = self._school_terms()
        self._due_cache: dict[tuple[str, date, bool], date] = {}
        self._demo_cases = 0
        self.summary = CareSummary()
        self._types: dict[type[models.Model], ContentType] = {m: ContentType.objects.get_for_model(m) for m in (
            PeriodOfCare, Placement, CareLegalStatus, AdoptionPlan, PathwayPlan, Allocation)}
        self._links = {
            "care": self._pattern("care:overview", "/children/{person}/care/"),
            "plan": self._pattern("care_plans:overview", "/children/{person}/care-plan/"),
            "leaving": self._pattern("care_leavers:overview", "/children/{person}/leaving-care/"),
            "missing": self._pattern("missing:overview", "/children/{person}/missing/"),
            "record": self._record_pattern(),
        }
        self._homes_cache: dict[str, tuple[Place, Decimal | None]] = {}
        self._moved: dict[tuple[int, str], tuple[Place, Place]] = {}
        self._school_of: dict[tuple[int, str], str] = {}
        self.adopted: list[tuple[Any, date, date, date | None, int]] = []
        self.waiting: list[tuple[Any, User, str]] = []
        self.missing = MissingBuilder(self, seed=seed, open_cases=open_cases)
        self.registers = RegisterBuilder(self, seed=seed, open_cases=open_cases)
        # Share of periods of care given one recording mistake (families sets it from seed_demo --error-rate),
        # drawn from a stream of its own: with none, the council is the same as without the option.
        self.error_rate = 0.0
        self.error_rng = random.Random(f"hearth-demo-care-errors-{seed}")
        self._reset()

    def _reset(self) -> None:
        self.periods: list[PeriodOfCare] = []
        self.statuses: list[CareLegalStatus] = []
        self.placements: list[Placement] = []
        self.adoption_plans: list[AdoptionPlan] = []
        self.dolos: list[DeprivationOfLibertyOrder] = []
        self.allocations: list[Allocation] = []
        self.care_plans: list[CarePlan] = []
        self.placement_plans: list[PlacementPlan] = []
        self.reviews: list[LookedAfterReview] = []
        self.visits: list[CareVisit] = []
        self.health: list[HealthAssessment] = []
        self.dental: list[DentalCheck] = []
        self.jabs: list[ImmunisationCheck] = []
        self.sdq: list[SDQScore] = []
        self.peps: list[PersonalEducationPlan] = []
        self.oc2: list[OC2Outcome] = []
        self.needs_assessments: list[PathwayNeedsAssessment] = []
        self.pathway_plans: list[PathwayPlan] = []
        self.pathway_reviews: list[PathwayPlanReview] = []
        self.contacts: list[CareLeaverContact] = []
        self.accommodation: list[CareLeaverAccommodation] = []
        self.activities: list[CareLeaverActivity] = []
        self.staying_put: list[StayingPut] = []
        self.clocks: list[tuple[Clock, models.Model | None]] = []
        self.events: list[tuple[ChronologyEvent, models.Model | None, str]] = []
        # Planted mistakes: (child, kind, detail, the record it is in, the collection year it shows in).
        self.errors: list[tuple[Any, str, str, models.Model, int | None]] = []

    @staticmethod
    def _pattern(name: str, fallback: str) -> str:
        try:
            url = reverse(name, kwargs={"person_pk": 987654321})
        except NoReverseMatch:
            return fallback
        return url.replace("987654321", "{person}")

    @staticmethod
    def _record_pattern() -> str:
        try:
            return reverse("people:child_record", args=[987654321]).replace("987654321", "{person}")
        except NoReverseMatch:
            return "/children/{person}/"

    def _school_terms(self) -> list[tuple[date, date]]:
        """Three terms a year from before the five years to a year ahead, for the termly PEP reviews."""
        terms = []
        for year in range(self.window_start.year - 1, self.today.year + 2):
            terms += [(f"Autumn {year}", date(year, 9, 3), date(year, 12, 19)),
                      (f"Spring {year + 1}", date(year + 1, 1, 5), date(year + 1, 3, 27)),
                      (f"Summer {year + 1}", date(year + 1, 4, 13), date(year + 1, 7, 21))]
        existing = set(SchoolTerm.objects.filter(local_authority=self.la).values_list("starts_on", flat=True))
        SchoolTerm.objects.bulk_create([SchoolTerm(local_authority=self.la, name=n, starts_on=s, ends_on=e)
                                        for n, s, e in terms if s not in existing])
        return sorted((s, e) for _, s, e in terms)

    def due(self, rule_id: str, start: date, later: bool = False) -> date:
        key = (rule_id, start, later)
        result = self._due_cache.get(key)
        if result is None:
            computed = due(rule_id, start, holidays=self.holidays, term_dates=self.terms, then=later)
            assert isinstance(computed, date)
            result = self._due_cache[key] = computed
        return result

    def wd(self, day: date, n: int) -> date:
        return add_working_days(day, n, self.holidays) if n > 0 else day

    # ------------------------------------------------------------------------------------------ planning

    def plan_family(self, kids: Sequence[Kid], *, kinship: bool = False, carer_surname: str = "") -> int:
        """Plan the periods of care of a family's children (called before their homes are written).

        Returns how many open children-in-care cases it closed (adopted or under a special guardianship order
        since), for families to make up with others.
        """
        runs: dict[tuple[Any, ...], list[tuple[Kid, list[Span]]]] = {}
        for kid in kids:
            if kid.dob is None or not kid.spans:
                continue
            for group in _groups(kid.spans):
                kind = group[-1].team.kind
                if kind not in (Kind.CHILDREN_IN_CARE, Kind.CARE_LEAVERS):
                    continue
                if not any(s.team.kind == Kind.CHILDREN_IN_CARE for s in group):
                    continue
                key = (group[-1].team.name, group[-1].end, kind, group[-1].start if kind == Kind.CARE_LEAVERS
                       else None)
                runs.setdefault(key, []).append((kid, group))
        return sum(self._plan_run(members, kinship=kinship, carer_surname=carer_surname) for members in runs.values())

    def _plan_run(self, members: list[tuple[Kid, list[Span]]], *, kinship: bool, carer_surname: str) -> int:
        today = self.today
        kid0, group0 = members[0]
        story = random.Random(f"hearth-demo-care-{self.seed}-{group0[-1].team.name}-{group0[-1].end}-"
                              f"{group0[0].start}")
        leaver = group0[-1].team.kind == Kind.CARE_LEAVERS
        cic_start = next(s.start for s in group0 if s.team.kind == Kind.CHILDREN_IN_CARE)
        care_from = cic_start
        roll = story.random()
        if cic_start > group0[0].start and roll < 0.4:
            care_from = group0[0].start  # came into care when referred (police protection, an emergency)
        elif cic_start > group0[0].start and roll < 0.7:
            care_from = max(group0[0].start, cic_start - timedelta(days=story.randint(1, 45)))
        end = group0[-1].end
        returned = False
        closing = ""
        if end is None and group0[-1].team.kind == Kind.CHILDREN_IN_CARE and not kid0.person.is_uasc:
            # Some children in care then were adopted, or went to live under a special guardianship order: their
            # case has closed since (families makes up the open cases with others).
            ages = [age_on(k.dob, care_from) for k, _ in members if k.dob is not None]
            days = (today - care_from).days
            last_start = max(g[-1].start for _, g in members)
            if ages and max(ages) < 4 and days >= 480 and story.random() < 0.4:
                end, closing = today - timedelta(days=story.randint(20, min(1000, days - 450))), "adopt"
            elif days >= 330 and story.random() < 0.09:
                end, closing = today - timedelta(days=story.randint(20, min(900, days - 300))), "sgo"
            if closing and end is not None and end <= last_start + timedelta(days=2):
                end, closing = None, ""
        if end is None and story.random() < RETURNED_HOME_STILL_OPEN and (today - care_from).days > 150:
            end = today - timedelta(days=story.randint(10, 90))
            returned = True
        if end is None and group0[-1].team.kind == Kind.CHILDREN_IN_CARE:
            self._reallocate(members, story)
        units: list[list[tuple[Kid, date, date | None, bool]]] = []
        together: list[tuple[Kid, date, date | None, bool]] = []
        for kid, group in members:
            assert kid.dob is not None
            if leaver and group[-1].team.kind == Kind.CARE_LEAVERS:
                self._as_adviser(group)
            start = max(care_from, kid.dob)
            eighteen = _plus_years(kid.dob, 18)
            kend, kleaver = end, leaver
            if leaver:
                kend = eighteen
                # About a third of care leavers left care at 16 or 17 (home, to family, to supported lodgings):
                # relevant children, supported by the leaving care service from then.
                early = eighteen - timedelta(days=story.randint(30, 600))
                if story.random() < 0.35 and early > max(start + timedelta(days=120),
                                                         _plus_years(kid.dob, 16) + timedelta(days=10)):
                    kend = early
            elif (kend is not None and kend > eighteen) or (kend is None and eighteen <= today):
                kend, kleaver = eighteen, True
            if start >= eighteen or start > today - timedelta(days=3):
                continue
            if kend is not None and (kend - start).days < 3:
                continue
            entry = (kid, start, kend, kleaver)
            joins = not kleaver and age_on(kid.dob, start) < 16 and (not together or (
                start == together[0][1] and kend == together[0][2] and story.random() < 0.7 and len(together) < 3))
            if joins:
                together.append(entry)
            else:
                units.append([entry])
        if together:
            units.insert(0, together)
        for unit in units:
            self._plan_unit(unit, story=story, run_start=group0[0].start, returned=returned, kinship=kinship,
                            carer_surname=carer_surname or kid0.person.last_name, closing=closing)
        closed = 0
        if closing and end is not None:
            # The case closed a few days after the order.
            for kid, _ in members:
                span = next((s for s in kid.spans if s.end is None), None)
                period = kid.care[-1] if kid.care else None
                if span is None or period is None or period.end is None:
                    continue
                span.end = min(period.end + timedelta(days=story.randint(0, 20)), today - ONE_DAY)
                span.reason = "Adopted" if period.rec in ("E11", "E12") else "Special guardianship order made"
                closed += 1
        # A care leaver's social worker hands over to their personal adviser at 18.
        for kid, group in members:
            care = [s for s in group if s.kind == Allocation.Kind.SOCIAL_WORKER]
            if leaver and care and care[-1].end is not None and care[-1].reason == "Reallocated":
                care[-1].reason = "Moved to the leaving care team at 18"
            if kid.care:
                kid.left_home = kid.care[0].start if kid.open_kind == Kind.CHILDREN_IN_CARE else kid.left_home
        return closed

    def _as_adviser(self, group: list[Span]) -> None:
        """A care leaver's leaving-care allocation is to a personal adviser."""
        span = group[-1]
        span.kind = Allocation.Kind.PERSONAL_ADVISER
        advisers = self.staff.advisers.get(id(span.team)) or [a for v in self.staff.advisers.values() for a in v]
        if span.worker is None or span.worker.role != Role.PERSONAL_ADVISER:
            span.worker = self.rng.choice(advisers) if advisers else None

    def _reallocate(self, members: list[tuple[Kid, list[Span]]], story: random.Random) -> None:
        """Children in care change social worker often (Nottingham: 41% had 3 or more in a year)."""
        today = self.today
        last = members[0][1][-1]
        team = last.team
        staff = self.staff
        workers = [u for u in self.members.get(id(team), []) if u.role in (Role.SOCIAL_WORKER,
                                                                          Role.SENIOR_PRACTITIONER)
                   and u is not staff.demo_worker]
        if not workers:
            return
        days = (today - last.start).days
        changes = []
        t = 0.0
        while True:
            t += story.expovariate(2.0 / 365)
            if t >= days - 14:
                break
            changes.append(last.start + timedelta(days=int(t)))
        chosen = [last.worker if last.worker is not staff.demo_worker else story.choice(workers)]
        for _ in changes:
            options = [w for w in workers if w is not chosen[-1]]
            chosen.append(story.choice(options) if options else chosen[-1])
        # cic.demo holds a caseload in their team, and no more than that.
        if (staff.demo_worker is not None and team is staff.demo_team and self._demo_cases < staff.demo_caseload
                and story.random() < 0.45):
            chosen[-1] = staff.demo_worker
            self._demo_cases += len(members)
        for kid, group in members:
            span = next(s for s in kid.spans if s.start == group[-1].start and s.end is None and s.team is team)
            index = kid.spans.index(span)
            pieces = []
            begin = span.start
            for day, worker in zip([*changes, None], chosen, strict=True):
                if day is not None and day <= begin:
                    continue
                piece_start = begin
                pieces.append((piece_start, day, worker))
                if day is not None:
                    begin = day
            from .families import Span as SpanType

            new_spans = [SpanType(team, w, s, e, "Reallocated" if e is not None else "") for s, e, w in pieces]
            kid.spans[index:index + 1] = new_spans

    def _plan_unit(self, unit: list[tuple[Kid, date, date | None, bool]], *, story: random.Random,
                   run_start: date, returned: bool, kinship: bool, carer_surname: str, closing: str = "") -> None:
        """One child, or brothers and sisters placed together: the same dates, statuses and homes."""
        rng, today = self.rng, self.today
        kid, start, end, leaver = unit[0]
        ages = [age_on(k.dob, start) for k, _, _, _ in unit if k.dob is not None]
        young, old = min(ages), max(ages)
        uasc = bool(kid.person.is_uasc)
        stop = end or today
        length = (stop - start).days
        # What the rules allow at the end (independent living at 16, custody at 10) holds for the youngest.
        age_end = min(age_on(k.dob, stop) for k, _, _, _ in unit if k.dob is not None)
        if leaver:
            path = "leaver"
        elif closing:
            path = closing
        elif returned:
            path = "home"
        elif end is None:
            path = "adopt" if young < 4 and old < 8 and length > 200 and story.random() < 0.35 else "stay"
        elif length < 100:
            options = {"home": 0.52, "other": 0.3, "cao": 0.04, "sgo": 0.02}
            if young >= 12 and not uasc:
                options["remand"] = 0.08
            path = _pick(story, options)
        elif young < 5 and old < 10 and length >= 420 and story.random() < 0.7:
            path = "adopt"
        else:
            options = {"home": 0.38, "sgo": 0.21, "cao": 0.07, "other": 0.24}
            if age_end >= 16:
                options["independent"] = 0.15
            path = _pick(story, options)
        if uasc and path not in ("leaver", "stay"):
            path = "other"
        adoption = self._adoption(story, start, end, path) if path == "adopt" else None
        if path == "adopt" and adoption is None:
            path = "stay" if end is None else "sgo"
        statuses = self._statuses(story, start, stop, path, old, uasc, adoption, open_=end is None)
        period_template = Period(run_start=run_start, start=start, end=end, rec="", path=path,
                                 need="N8" if uasc else ("N2" if kid.open_kind == Kind.DISABLED_CHILDREN
                                                         else _pick(story, NEEDS)), statuses=statuses,
                                 adoption=adoption)
        homes = self._chain(story, period_template, ages=ages, births=[k.dob for k, _, _, _ in unit], uasc=uasc,
                            kinship=kinship, surname=carer_surname, children=len(unit))
        period_template.homes = homes
        rec = self._leaving_reason(story, period_template, age_end=age_end, uasc=uasc)
        previous = self._previous_permanence(rng, start, kid.dob)
        dolo = self._dolo(rng, period_template, old)
        for i, (child, kstart, kend, _) in enumerate(unit):
            period = Period(run_start=run_start, start=kstart, end=kend, rec=rec if kend else "",
                            need=period_template.need, path=path,
                            statuses=[Status(s.code, s.start, s.end) for s in statuses],
                            homes=homes if i == 0 else [self._copy(h) for h in homes],
                            adoption=adoption if i == 0 or adoption is None else Adoption(**adoption.__dict__),
                            dolo=dolo if i == 0 else None, previous=previous)
            if i > 0:
                # Siblings' groups of homes point at the same carers; the child's own rows are written per child.
                for h, h0 in zip(period.homes, homes, strict=True):
                    h.place = h0.place
            child.care.append(period)
            self.summary.periods += 1
        if adoption is not None and adoption.matched and adoption.placed and not adoption.by_carer \
                and homes[-1].provider == "PR1":
            self.adopted.append((kid.person, adoption.matched, adoption.placed, adoption.adopted, len(unit)))

    @staticmethod
    def _copy(home: Home) -> Home:
        return Home(**{k: v for k, v in home.__dict__.items() if k != "row"})

    def _previous_permanence(self, rng: random.Random, start: date, born: date | None) -> tuple[str, str, date | None]:
        roll = rng.random()
        if roll < 0.86:
            return ("Z1", "", None)
        if roll < 0.92 or born is None or (start - born).days < 400:
            return ("P4", "", None)
        code = "P2" if roll < 0.96 else ("P3" if roll < 0.985 else "P1")
        on = _between(rng, born + timedelta(days=200), start - timedelta(days=60))
        return (code, "892" if rng.random() < 0.7 else rng.choice(["891", "830", "855", "925", "999"]), on)

    def _adoption(self, rng: random.Random, start: date, end: date | None, path: str) -> Adoption | None:
        """The adoption steps in order; for a period that ended, the adoption order on its last day."""
        today = self.today
        if end is not None:
            placed = end - timedelta(days=rng.randint(75, 260))
            matched = placed - timedelta(days=rng.randint(10, 45))
            order_on = matched - timedelta(days=rng.randint(30, 200))
            decided = order_on - timedelta(days=rng.randint(20, 110))
            if decided < start + timedelta(days=40):
                return None
            plan = Adoption(decided=decided, order_on=order_on, matched=matched, placed=placed, adopted=end)
        else:
            decided = start + timedelta(days=rng.randint(120, 280))
            if decided > today - timedelta(days=5):
                return None
            plan = Adoption(decided=decided)
            order_on = decided + timedelta(days=rng.randint(30, 150))
            if order_on < today:
                plan.order_on = order_on
                matched = order_on + timedelta(days=rng.randint(60, 260))
                # A child placed long ago would have been adopted by now (that case has closed): those still in
                # care after a long wait are waiting for a match.
                if today - timedelta(days=300) < matched < today and rng.random() < 0.85:
                    plan.matched = matched
                    placed = matched + timedelta(days=rng.randint(10, 40))
                    if placed < today:
                        plan.placed = placed
            elif rng.random() < 0.1:
                # The court did not make a placement order: the decision is reversed.
                plan.reversed, plan.reason = min(order_on, today - ONE_DAY), "RD2"
        plan.by_carer = plan.placed is not None and rng.random() < 0.18
        if plan.placed is not None:
            couple = rng.random() < 0.78
            if couple:
                sex = _pick(rng, {"MF": 0.8, "FF": 0.11, "MM": 0.09})
                legal = (_pick(rng, {"L11": 0.75, "L3": 0.2, "L2": 0.05}) if sex == "MF"
                         else _pick(rng, {"L12": 0.5, "L2": 0.35, "L4": 0.15}))
                plan.adopters = (2, sex, legal)
            else:
                plan.adopters = (1, "F1" if rng.random() < 0.85 else "M1", "L0")
        return plan

    def _statuses(self, rng: random.Random, start: date, stop: date, path: str, age: int, uasc: bool,
                  adoption: Adoption | None, *, open_: bool) -> list[Status]:
        """Legal statuses from the first day: a change only ever moves on (never back to section 20)."""
        if uasc:
            return [Status("V2", start)]
        if path == "remand":
            return [Status("J1", start)]
        if path == "adopt":
            first = _pick(rng, {"C1": 0.72, "L2": 0.14, "L1": 0.1, "V2": 0.04})
        else:
            first = _pick(rng, {"V2": 0.36, "C1": 0.44, "L1": 0.07, "L2": 0.05, "C2": 0.08})
        seq = [Status(first, start)]
        limit = stop if not open_ else self.today + ONE_DAY

        def add(code: str, day: date) -> bool:
            if day < limit and day > seq[-1].start and code != seq[-1].code:
                seq.append(Status(code, day))
                return True
            return False

        day = start
        current = first
        if current == "L1":
            day = start + timedelta(days=rng.randint(1, 3))
            current = "C1" if path == "adopt" or rng.random() < 0.5 else "V2"
            add(current, day)
        elif current == "L2":
            day = start + timedelta(days=rng.randint(5, 8) if rng.random() < 0.7 else rng.randint(9, 15))
            current = "C1"
            add(current, day)
        if current == "V2" and (path == "adopt" or rng.random() < 0.42):
            day = day + timedelta(days=rng.randint(40, 300))
            if adoption is not None and adoption.order_on is not None:
                day = min(day, adoption.order_on - timedelta(days=10))
            if add("C1", day):
                current = "C1"
        if adoption is not None and adoption.order_on is not None:
            add("E1", adoption.order_on)
        elif current == "C1":
            add("C2", day + timedelta(days=rng.randint(150, 330)))
        for i, status in enumerate(seq):
            status.end = seq[i + 1].start if i + 1 < len(seq) else None
        return seq

    # ------------------------------------------------------------------------------------------ placements

    def _first_code(self, rng: random.Random, age: int, p: Period, *, uasc: bool, kinship: bool, group: bool) -> str:
        status = p.statuses[0].code
        if uasc:
            return "K3" if age >= 16 and rng.random() < 0.6 else ("U6" if rng.random() < 0.75 else "K2")
        if kinship and rng.random() < 0.75:
            return "U3"
        if p.path == "remand":
            return "K2" if rng.random() < 0.5 else "U6"
        if group:
            return _pick(rng, {"U6": 0.8, "U3": 0.2})
        at_home = 0.04 if status in ("C1", "C2") else 0.0
        if age < 1:
            options = {"U6": 0.72, "U3": 0.12, "R3": 0.08, "U5": 0.08 if p.path == "adopt" else 0.0}
        elif age < 11:
            options = {"U6": 0.74, "U3": 0.16, "K2": 0.04 if age >= 8 else 0.0, "P1": at_home}
        elif age < 16:
            options = {"U6": 0.4, "U3": 0.08, "K2": 0.5, "K1": 0.02, "S1": 0.02, "P1": at_home / 2}
        else:
            options = {"U6": 0.27, "K3": 0.32, "K2": 0.35, "U3": 0.06, "P1": at_home / 2}
        return _pick(rng, {k: v for k, v in options.items() if v > 0})

    def _next_code(self, rng: random.Random, code: str, age: int, *, group: bool) -> tuple[str, bool]:
        teen = 0.0 if group or age < 11 else 1.0
        adult = 0.0 if group or age < 16 else 1.0
        if code == "U6":
            options = {"U4same": 0.42 if age < 15 else 0.15, "U4": 0.18, "U6": 0.2, "K2": 0.3 * teen,
                       "K3": 0.25 * adult, "U3": 0.05}
        elif code == "U3":
            options = {"U1same": 0.6, "U6": 0.25, "U3": 0.15}
        elif code in ("U4", "U1"):
            options = {"U4": 0.35, "U6": 0.3, "K2": 0.3 * teen, "K3": 0.3 * adult}
        elif code == "U5":
            options = {"U6": 0.5, "U4": 0.5}
        elif code == "K2":
            options = {"K2": 0.55, "U6": 0.08 + 0.3 * (1 - teen), "K3": 0.3 * adult, "K1": 0.04 * teen,
                       "U4": 0.05}
        elif code == "K1":
            options = {"K2": 0.8 * teen, "U6": 0.2 + 0.8 * (1 - teen)}
        elif code == "K3":
            options = {"K3": 0.85, "U6": 0.05, "K2": 0.1}
        else:
            options = {"U6": 0.6, "K2": 0.4 * teen, "U4": 0.2}
        choice = _pick(rng, {k: v for k, v in options.items() if v > 0})
        if choice.endswith("same"):
            return choice[:2], True
        return choice, False

    @staticmethod
    def _days(rng: random.Random, code: str) -> int:
        mean = STAY_DAYS.get(code, 300)
        # Long-term placements mostly last; short-term ones end at any time.
        shape = 2.5 if code in ("U1", "U4") else 1.6
        return max(7, int(rng.gammavariate(shape, mean / shape)))

    def _chain(self, rng: random.Random, p: Period, *, ages: list[int], births: list[date | None], uasc: bool,
               kinship: bool, surname: str, children: int) -> list[Home]:
        """The placements from the first day to the end (or today), each ending the day the next begins."""
        today = self.today
        youngest = max(b for b in births if b is not None)
        group = children > 1
        stop = p.end or today + ONE_DAY

        def age_at(day: date) -> int:
            return age_on(youngest, day)

        forced: list[tuple[date, str]] = []
        a = p.adoption
        if a is not None and a.placed is not None:
            forced.append((a.placed, "A5" if a.by_carer else "A6"))
        elif p.path == "home" and p.end is not None and (p.end - p.start).days > 200 and rng.random() < 0.4:
            day = p.end - timedelta(days=rng.randint(60, 190))
            if p.status_on(day) in ("C1", "C2"):
                forced.append((day, "P1"))
        homes = [Home(self._first_code(rng, age_at(p.start), p, uasc=uasc, kinship=kinship, group=group), p.start)]
        while True:
            current = homes[-1]
            if current.code in ("A5", "A6") or (current.code == "P1" and forced == [] and len(homes) > 1):
                break
            days = self._days(rng, current.code)
            if len(homes) == 1 and current.code in ("U6", "U3"):
                days = max(7, days * 7 // 10)  # the first, short-term placement: most move on to a long-term one
            move = current.start + timedelta(days=days)
            pending = next((f for f in forced if f[0] > current.start), None)
            if pending is not None and move >= pending[0]:
                day, code = pending
                forced.remove(pending)
                same = code == "A5" and current.code in FOSTER_PLACEMENTS
                if code == "A5" and not same:
                    code = "A6"
                if p.adoption is not None and code == "A6":
                    p.adoption.by_carer = False
                current.end, current.reason = day, "PLACE" if same else "CARPL"
                homes.append(Home(code, day, same_carer=same))
                if code == "P1":
                    break
                continue
            if move >= stop:
                break
            code, same = self._next_code(rng, current.code, age_at(move), group=group)
            if code == "P1" and p.status_on(move) not in ("C1", "C2"):
                code = "U6"
            current.end = move
            current.reason = "PLACE" if same else _pick(rng, CHANGE_REASONS)
            homes.append(Home(code, move, same_carer=same))
        for h in homes:
            h.long_term = h.code in ("U1", "U4") or (h.code == "K2" and rng.random() < 0.2)
        self._carers(rng, p, homes, youngest=youngest, uasc=uasc, kinship=kinship, surname=surname,
                     children=children)
        return homes

    def _place(self, rng: random.Random, *, far: float, uasc: bool) -> tuple[Place, Decimal | None]:
        """An address for a placement: in the city, or (with chance ``far``) beyond it."""
        if rng.random() < far:
            outward, miles = rng.choice(text.OUT_OF_AREA)
            town = text.OUT_OF_AREA_TOWNS.get(outward.rstrip("0123456789"), outward)
            postcode = f"{outward} {rng.randint(1, 9)}{rng.choice(UNIT_LETTERS)}{rng.choice(UNIT_LETTERS)}"
            street = f"{rng.randint(1, 140)} {rng.choice(text.STREETS)}"
            distance = Decimal(str(round(miles * rng.uniform(0.85, 1.15), 1)))
            return Place(line_1=street, line_2="", postcode=postcode, district=outward, town=town), \
                None if uasc else distance
        place = random_place(self.places, rng)
        return place, None if uasc else Decimal(str(round(rng.uniform(0.4, 8.5), 1)))

    def _named_home(self, rng: random.Random, options: list[tuple[str, str, str]], far: float, *, avoid: str = ""
                    ) -> tuple[str, str, str, Place, Decimal | None]:
        """A home from the list; never ``avoid`` (the home the child is moving from: a new carer is elsewhere)."""
        name, provider, urn = rng.choice([o for o in options if o[0] != avoid] or options)
        if name not in self._homes_cache:
            self._homes_cache[name] = self._place(random.Random(f"{self.seed}-{name}"),
                                                  far=far if provider != "PR1" else 0.0, uasc=False)
        place, miles = self._homes_cache[name]
        return name, provider, urn, place, miles

    def _carers(self, rng: random.Random, p: Period, homes: list[Home], *, youngest: date, uasc: bool,
                kinship: bool, surname: str, children: int) -> None:
        """Who provides each placement: households, agencies, homes; a same-carer run shares them."""
        stays: list[list[Home]] = []
        for h in homes:
            if h.same_carer and stays:
                stays[-1].append(h)
            else:
                stays.append([h])
        # A move to a new carer is a move away from the last one (903 rule 435: RNE P with nothing changed).
        before: Home | None = None
        for stay in stays:
            first = stay[0]
            stay_end = stay[-1].end if stay[-1].end is not None else p.end
            code = first.code
            household: FosterHousehold | None = None
            place: Place | None = None
            miles: Decimal | None = None
            provider, urn, carer = "PR1", text.COUNCIL_FOSTERING_URN, ""
            is_kin = False
            left = before.carer if before is not None else ""
            if code in ("U1", "U2", "U3"):
                # The family's kinship carer, unless the child is moving on from them to another relative or friend.
                kin = kinship and not (before is not None and before.kinship)
                name = surname if (kin or rng.random() < 0.6) else self.fostering.fake.last_name()
                household = self.fostering.connected_for(first.start, stay_end, children, surname=name)
                carer, is_kin = household.name, kin
                if not kin:
                    place, miles = self._place(rng, far=0.1, uasc=uasc)
            elif code in ("U4", "U5", "U6"):
                if rng.random() < IN_HOUSE_FOSTER:
                    household = self.fostering.mainstream_for(
                        first.start, stay_end, children, age_on(youngest, first.start),
                        avoid=before.household if before is not None else None,
                        avoid_postcode=before.place.postcode if before is not None and before.place else "")
                if household is not None:
                    carer = household.name
                    place = self.fostering.place_of.get(id(household))
                    miles = None if uasc else Decimal(str(round(rng.uniform(0.5, 9.0), 1)))
                else:
                    agency, provider, urn = rng.choice(text.FOSTERING_AGENCIES)
                    carer = f"{self.fostering.fake.last_name()} family ({agency})"
                    place, miles = self._place(rng, far=0.3, uasc=uasc)
            elif code == "K2":
                carer, provider, urn, place, miles = self._named_home(rng, text.CHILDRENS_HOMES, far=0.6, avoid=left)
            elif code == "K1":
                carer, provider, urn, place, miles = self._named_home(rng, text.SECURE_HOMES, far=0.9, avoid=left)
            elif code == "K3":
                carer, provider, urn, place, miles = self._named_home(rng, text.SUPPORTED_ACCOMMODATION, far=0.2,
                                                                      avoid=left)
            elif code == "S1":
                carer, provider, urn, place, miles = self._named_home(rng, text.RESIDENTIAL_SCHOOLS, far=0.8,
                                                                      avoid=left)
            elif code == "R3":
                carer, provider, urn, place, miles = self._named_home(rng, text.FAMILY_CENTRES, far=0.3, avoid=left)
            elif code == "P1":
                provider, urn, carer = "PR0", "", "Parents"
                miles = None if uasc else Decimal("0.0")
            elif code == "A6":
                agency, provider, urn = (text.ADOPTION_AGENCIES[0] if rng.random() < 0.7
                                         else text.ADOPTION_AGENCIES[1])
                carer = f"{self.fostering.fake.last_name()} family (adopters, {agency})"
                place, miles = self._place(rng, far=0.5, uasc=uasc)
            if uasc:
                miles = None
            for h in stay:
                h.household, h.provider, h.urn, h.carer = household, provider, urn, carer
                h.place, h.miles, h.kinship = place, miles, is_kin
            before = stay[-1]
        for h in homes:
            if h.place is not None:
                h.postcode = h.place.postcode

    def _leaving_reason(self, rng: random.Random, p: Period, *, age_end: int, uasc: bool) -> str:
        """REC for the period's last episode, by how it ended and what the rules allow at that age."""
        if p.end is None:
            return ""
        last = p.homes[-1]
        any_foster = any(h.code in FOSTER_PLACEMENTS for h in p.homes)
        path = p.path
        if path == "leaver" and age_end < 18:
            return _pick(rng, {"E4A": 0.35, "E13": 0.25, "E5": 0.15, "E8": 0.15, "E6": 0.05, "E4B": 0.05})
        if path == "leaver":
            if last.code in FOSTER_PLACEMENTS and rng.random() < STAYING_PUT:
                return "E17"
            return _pick(rng, {"E5": 0.55, "E6": 0.08, "E8": 0.17, "E13": 0.12, "E7": 0.03, "E4A": 0.05})
        if path == "adopt" and last.code in ("A5", "A6"):
            return "E11" if rng.random() < 0.55 else "E12"
        if path in ("adopt", "sgo"):
            if last.code in ("U1", "U3"):
                rec = "E45"
            elif last.code in ("U4", "U6") and rng.random() < 0.5:
                rec = "E46"
            else:
                rec = "E47" if rng.random() < 0.7 else "E48"
            if rec in ("E45", "E46") and not any_foster:
                rec = "E47"
            if last.household is not None and last.household.kind == FosterHousehold.Kind.CONNECTED \
                    and rec in ("E45", "E46"):
                last.household.deregistration_reason = FosterHousehold.DeregistrationReason.ADOPTED_OR_SGO
            return rec
        if path == "home":
            return "E4A" if rng.random() < 0.8 else "E4B"
        if path == "cao":
            return "E41"
        if path == "remand":
            return "E14" if p.statuses[-1].code == "J1" else "E8"
        if path == "independent" and age_end >= 16:
            return "E5" if rng.random() < 0.7 else "E6"
        if uasc:
            return _pick(rng, {"E15": 0.3, "E8": 0.4, "E16": 0.3})
        options = {"E13": 0.3, "E8": 0.3, "E3": 0.14, "E16": 0.04, "E4B": 0.08}
        if age_end >= 10:
            options["E9"] = 0.05
        if age_end >= 16:
            options["E5"] = 0.08
        return _pick(rng, options)

    def _dolo(self, rng: random.Random, p: Period, age: int) -> tuple[date, date | None] | None:
        """A few teenagers in children's homes are deprived of their liberty by the court."""
        if age < 12 or rng.random() > 0.08:
            return None
        for h in p.homes:
            end = h.end or p.end
            if h.code == "K2" and (end or self.today) - h.start > timedelta(days=45):
                start = h.start + timedelta(days=rng.randint(3, 30))
                if start < self.today:
                    return start, end
        return None

    # ------------------------------------------------------------------------------------------ for families, casework

    def homes_for(self, kid: Kid, family: list[Lived], carer: Place | None,
                  during: Callable[[list[Lived], date | None, date | None], list[Lived]]
                  ) -> list[tuple[Place, date, date | None]]:
        """The child's addresses: home, each placement, and where they went after care (``family``: Lived spans)."""
        rng = self.rng
        assert kid.dob is not None
        out: list[tuple[Place, date, date | None]] = []

        def add(place: Place, start: date, end: date | None) -> None:
            if end is not None and end < start:
                return
            if out and out[-1][0] is place and out[-1][2] is not None and out[-1][2] + ONE_DAY == start:
                out[-1] = (place, out[-1][1], end)
            else:
                out.append((place, start, end))

        def family_on(day: date) -> Place | None:
            spans = during(family, day, day)
            return spans[0].place if spans else (family[-1].place if family else None)

        cursor: date = kid.dob
        for period in kid.care:
            if period.start > cursor:
                for lived in during(family, cursor, period.start - ONE_DAY):
                    add(lived.place, lived.start or cursor, lived.end)
            before = family_on(period.start - ONE_DAY) if not kid.person.is_uasc else None
            period.home_postcode = before.postcode if before is not None else ""
            for h in period.homes:
                if h.code == "P1":
                    h.place = family_on(h.start) or before
                elif h.kinship and carer is not None:
                    h.place = carer
                    if h.household is not None:
                        h.household.postcode = carer.postcode
                if h.place is None:
                    h.place, _ = self._place(rng, far=0.0, uasc=True)
                if h.code != "P1" and before is not None and h.place.postcode == before.postcode:
                    h.place = self._elsewhere(h.place, before.postcode, rng)
                last = period.homes[period.homes.index(h) - 1] if h is not period.homes[0] else None
                if last is not None and not h.same_carer and h.place.postcode == last.postcode and \
                        (h.code, h.provider, h.urn) == (last.code, last.provider, last.urn):
                    # Two carers of one kind at one postcode: the move would not show in the return (435).
                    h.place = self._elsewhere(h.place, last.postcode, rng)
                h.postcode = h.place.postcode
                end = h.end or period.end
                add(h.place, h.start, end - ONE_DAY if end is not None else None)
            if period.end is None:
                return out
            cursor = period.end
            after: Place | None
            if period.rec in ("E4A", "E4B", "E41", "E9", "E14"):
                after = family_on(period.end)
            elif period.rec in ("E45", "E46", "E17") and period.homes[-1].place is not None:
                after = period.homes[-1].place
            elif period.rec in ("E11", "E12", "E47", "E48", "E13", "E3", "E5", "E6", "E7", "E8", "E15", "E16"):
                after = random_place(self.places, rng)
            else:
                after = family_on(period.end)
            if after is None:
                after = random_place(self.places, rng)
            if kid.care[-1] is period:
                add(after, period.end, None)
                return out
            # Back with the family (or elsewhere) until the next period.
            if after is family_on(period.end):
                continue
            nxt = kid.care[kid.care.index(period) + 1]
            add(after, period.end, nxt.start - ONE_DAY)
            cursor = nxt.start
        return out

    def _elsewhere(self, place: Place, postcode: str, rng: random.Random) -> Place:
        """A placement drawn at ``postcode`` is at another (the family's own postcode: 903 rule 392d, only P1 is at
        home; the last carer's: 435); the same one for brothers and sisters placed together there."""
        key = (id(place), postcode)
        found = self._moved.get(key)
        if found is not None and found[0] is place:
            return found[1]
        moved = place
        for _ in range(20):
            moved, _ = self._place(rng, far=0.0, uasc=True)
            if moved.postcode != postcode:
                break
        self._moved[key] = (place, moved)
        return moved

    @staticmethod
    def _period(kid: Kid, run_start: date) -> Period | None:
        return next((p for p in kid.care if p.run_start == run_start), None)

    def care_from(self, kid: Kid, run_start: date) -> date | None:
        period = self._period(kid, run_start)
        return period.start if period is not None else None

    def closure_reason(self, kid: Kid, run_start: date) -> str | None:
        """How the CIN episode of this allocation run closed, given how the period of care ended."""
        period = self._period(kid, run_start)
        if period is None or period.end is None:
            return None
        return CLOSURES.get(period.rec, ClosureReason.SERVICES_CEASED)

    # ------------------------------------------------------------------------------------------ writing

    def family(self, kids: Sequence[Kid], casework: CaseworkBuilder | None = None) -> None:
        """Write everything about a family's children in care, care leavers, missing children and registers."""
        for kid in kids:
            if kid.dob is None:
                continue
            for period in kid.care:
                self._write_period(kid, period)
            if kid.care:
                self._leaving_care(kid)
            self.registers.candidate(kid)
        self.missing.family(kids, casework)
        if self.error_rate > 0:
            for kid in kids:
                for period in kid.care:
                    if period.row is not None and self.error_rng.random() < self.error_rate:
                        self._plant(kid, period)

    # ------------------------------------------------------------------------------------------ planted errors

    def _plant(self, kid: Kid, p: Period) -> None:
        """One realistic recording slip in this period of care, of a kind the services accept as it stands and
        the SSDA903 rules find (written down in PlantedError)."""
        assert kid.dob is not None and p.row is not None
        rng, person, row = self.error_rng, kid.person, p.row
        options: list[tuple[str, models.Model, int | None]] = []
        for sdq in self.sdq:
            if sdq.period is row and sdq.score is not None:
                sdq_year = census_year(sdq.completed_on)
                start, end = date(sdq_year - 1, 4, 1), date(sdq_year, 3, 31)
                # A year looked after throughout, aged 4 to 16 all year: rule 186 asks for a score or a reason.
                if p.start <= start and (p.end is None or p.end > end) and _plus_years(kid.dob, 4) <= start \
                        and _plus_years(kid.dob, 17) > end:
                    options.append((PlantedError.Kind.SDQ_NOT_RECORDED, sdq, sdq_year))
        options += [(PlantedError.Kind.OC2_NOT_RECORDED, oc2, oc2.year) for oc2 in self.oc2 if oc2.child is person
                    and p.start <= date(oc2.year - 1, 4, 1) and (p.end is None or p.end > date(oc2.year, 3, 31))]
        for h in p.homes:
            if h.row is None:
                continue
            if h.code in URN_PLACEMENTS and h.row.urn:
                options.append((PlantedError.Kind.PLACEMENT_URN_MISSING, h.row, None))
            if h.row.postcode and not person.is_uasc:
                options.append((PlantedError.Kind.PLACEMENT_POSTCODE_MISSING, h.row, None))
        if p.end is not None:
            mine = [e for e in self.missing.episodes if e.child is person]
            last = max(mine, key=lambda e: e.started_at) if mine else None
            if last is not None and last.from_care and last.ended_at is not None and \
                    p.start <= last.started_at.astimezone(_LONDON).date() < p.end:
                options.append((PlantedError.Kind.MISSING_NOT_CLOSED, last, census_year(p.end)))
        if not options:
            return
        kinds = sorted({kind for kind, _, _ in options})
        kind = rng.choice(kinds)
        _, record, year = rng.choice([o for o in options if o[0] == kind])
        detail = ""
        if kind == PlantedError.Kind.SDQ_NOT_RECORDED:
            assert isinstance(record, SDQScore)
            self.sdq.remove(record)
            detail = f"SDQ of {record.completed_on} (score {record.score}) not recorded"
            record = row
        elif kind == PlantedError.Kind.OC2_NOT_RECORDED:
            assert isinstance(record, OC2Outcome)
            self.oc2.remove(record)
            detail = f"Convictions and substance misuse not recorded for {record.year - 1}/{record.year % 100:02d}"
            record = row
        elif kind == PlantedError.Kind.PLACEMENT_URN_MISSING:
            assert isinstance(record, Placement)
            detail = f"URN {record.urn} of the {record.placement_type} placement from {record.started_on} not recorded"
            record.urn = ""
        elif kind == PlantedError.Kind.PLACEMENT_POSTCODE_MISSING:
            assert isinstance(record, Placement)
            detail = (f"Postcode {record.postcode} of the {record.placement_type} placement from {record.started_on} "
                      "not recorded")
            record.postcode = ""
        elif kind == PlantedError.Kind.MISSING_NOT_CLOSED:
            assert isinstance(record, MissingEpisode)
            detail = f"Return of {record.ended_at:%Y-%m-%d %H:%M} not recorded; left care {p.end}"
            self.missing.unreturn(record)
        self.errors.append((person, kind, detail, record, year))
        self.summary.errors += 1
        self.summary.error_kinds[kind] = self.summary.error_kinds.get(kind, 0) + 1

    def _event(self, person: Any, when: date | datetime, event_type: str, title: str, summary: str,
               author: User | None, source: models.Model | None, link: str, *, significant: bool = False,
               time_known: bool = False) -> None:
        occurred = when if isinstance(when, datetime) else datetime.combine(when, time(12), tzinfo=_LONDON)
        event = new(ChronologyEvent, local_authority=self.la, person=person, occurred_at=occurred,
                    time_known=time_known, event_type=event_type, title=title[:200], summary=summary[:500],
                    author=author, significant=significant)
        self.events.append((event, source, link))

    def _clock(self, kid: Kid, rule_id: str, start: date, subject: models.Model | None, assigned: User | None, *,
               stopped: date | None = None, cancelled_on: date | None = None, later: bool = False,
               reason: str = "", due_on: date | None = None, started_at: datetime | None = None,
               due_at: datetime | None = None, stopped_at: datetime | None = None) -> Clock | None:
        """A clock as the services leave it; only those still relevant in the five years are written."""
        closed = stopped or cancelled_on
        if closed is not None and closed < self.window_start:
            return None
        due_on = due_on or self.due(rule_id, start, later)
        status = Clock.Status.OPEN
        if stopped is not None:
            met = stopped_at <= due_at if (stopped_at is not None and due_at is not None) else stopped <= due_on
            status = Clock.Status.MET if met else Clock.Status.MISSED
        elif cancelled_on is not None:
            status = Clock.Status.CANCELLED
        clock = new(Clock, local_authority=self.la, child=kid.person, rule_id=rule_id, later_interval=later,
                    subject_type=self._type(subject) if subject is not None else None, subject_id=None,
                    started_on=start, started_at=started_at,
                    due_on=due_on, due_at=due_at, stopped_on=stopped, stopped_at=stopped_at, status=status,
                    assigned_to=assigned if status == Clock.Status.OPEN else None,
                    missed_reason=reason if status == Clock.Status.MISSED else "")
        self.clocks.append((clock, subject))
        self.summary.clocks += 1
        if status == Clock.Status.OPEN:
            self.summary.clocks_open += 1
        return clock

    def _type(self, model: models.Model) -> ContentType:
        kind = type(model)
        found = self._types.get(kind)
        if found is None:
            found = self._types[kind] = ContentType.objects.get_for_model(kind)
        return found

    def _sw(self, kid: Kid, day: date) -> User:
        worker, team = _worker_on(kid.spans, day)
        return worker or self._manager(team)

    def _manager(self, team: Team) -> User:
        managers = self.staff.managers_by_team.get(id(team)) or [m for v in self.staff.managers_by_team.values()
                                                                  for m in v]
        return managers[0]

    def _current_sw(self, kid: Kid) -> User | None:
        last = [s for s in kid.spans if s.kind == Allocation.Kind.SOCIAL_WORKER]
        return last[-1].worker if last and last[-1].end is None else None

    def _write_period(self, kid: Kid, p: Period) -> None:
        la, person = self.la, kid.person
        rng = self.rng
        _, team = _worker_on(kid.spans, p.start)
        recorder = self._sw(kid, p.start)
        code, perm_la, perm_on = p.previous
        row = new(PeriodOfCare, local_authority=la, child=person, started_on=p.start, ended_on=p.end,
                  category_of_need=p.need, reason_ceased=p.rec if p.end else "", home_postcode=p.home_postcode,
                  previous_permanence=code, previous_permanence_la=perm_la, previous_permanence_on=perm_on, team=team)
        p.row = row
        self.periods.append(row)
        self.summary.periods_open += p.end is None
        link = "care"
        first = p.homes[0]
        self._event(person, p.start, EventType.PLACEMENT, "Started to be looked after",
                    f"Legal status {LegalStatus(p.statuses[0].code).label}. Placement: {_describe(first)}.",
                    recorder, row, link, significant=True)
        for i, status in enumerate(p.statuses):
            end = status.end if status.end is not None else p.end
            ls = new(CareLegalStatus, local_authority=la, child=person, period=row, legal_status=status.code,
                     started_on=status.start, ended_on=end)
            self.statuses.append(ls)
            limit = LIMIT_CLOCKS.get(status.code)
            if limit is not None:
                # The legal maximum of police protection or an EPO: stopped when the next status (or care) began.
                if end is None:
                    self._clock(kid, limit, status.start, ls, self._current_sw(kid))
                else:
                    self._clock(kid, limit, status.start, ls, None, stopped=end,
                                reason="Order extended by the court")
            if i:
                self._event(person, status.start, EventType.LEGAL,
                            f"Legal status changed to {LegalStatus(status.code).label}",
                            f"Previously {LegalStatus(p.statuses[i - 1].code).label}.", self._sw(kid, status.start),
                            ls, link, significant=True)
        for i, h in enumerate(p.homes):
            end = h.end if h.end is not None else p.end
            followed = h.end is not None and i + 1 < len(p.homes)
            placement = new(Placement, local_authority=la, child=person, period=row, placement_type=h.code,
                            provider="" if h.code in ("Z11", "Z12", "Z13", "Z14") else h.provider,
                            foster_household=h.household, carer_name=h.carer[:200],
                            same_carer_as_previous=h.same_carer and i > 0, urn=h.urn, postcode=h.postcode,
                            distance_miles=h.miles, is_long_term=h.long_term, started_on=h.start, ended_on=end,
                            reason_for_change=h.reason if followed else "", created_by=self._sw(kid, h.start))
            h.row = placement
            self.placements.append(placement)
            if i:
                before = p.homes[i - 1]
                why = ReasonPlacementChange(before.reason).label if before.reason else ""
                self._event(person, h.start, EventType.PLACEMENT, f"Moved placement: {PlacementType(h.code).label}",
                            f"New placement: {_describe(h)}." + (" Same carer as before." if h.same_carer else "")
                            + f" Previous placement: {_describe(before)}." + (f" Why it ended: {why}." if why else ""),
                            self._sw(kid, h.start), placement, link, significant=True)
        self.summary.placements += len(p.homes)
        self.summary.legal_statuses += len(p.statuses)
        if p.adoption is not None:
            self._write_adoption(kid, p, row)
        if p.dolo is not None:
            start, end = p.dolo
            self.dolos.append(new(DeprivationOfLibertyOrder, local_authority=la, child=person, period=row,
                                  started_on=start, ended_on=end, court="High Court (Family Division)"))
            self._event(person, start, EventType.LEGAL, "Deprivation of liberty order made", "", recorder, row, link,
                        significant=True)
            self.summary.dolos += 1
        if p.end is not None:
            self._event(person, p.end, EventType.PLACEMENT, "Stopped being looked after",
                        f"Reason: {ReasonEpisodeCeased(p.rec).label}.",
                        self._sw(kid, p.end), row, link, significant=True)
        if p.end is None or p.end >= self.window_start:
            self._iro(kid, p, row)
            self._care_work(kid, p, row, rng)
        # A child in a children's home whose plan is a family: the fostering team is asked for one.
        worker = self._current_sw(kid)
        if p.end is None and p.homes[-1].code == "K2" and kid.dob is not None and age_on(kid.dob, self.today) < 15 \
                and worker is not None and len(self.waiting) < max(1, self.open_cases // 600):
            self.waiting.append((person, worker, p.home_postcode))

    def _write_adoption(self, kid: Kid, p: Period, row: PeriodOfCare) -> None:
        a = p.adoption
        assert a is not None
        number, sex, legal = a.adopters if a.adopters is not None and a.adopted is not None else (None, "", "")
        plan = new(AdoptionPlan, local_authority=self.la, child=kid.person, period=row, decided_on=a.decided,
                   placement_order_on=a.order_on, fostering_for_adoption_on=a.ffa, matched_on=a.matched,
                   placed_on=a.placed, adoption_order_on=a.adopted, reversed_on=a.reversed, reversal_reason=a.reason,
                   adopted_by_foster_carer=a.by_carer if a.adopted is not None else None,
                   number_of_adopters=number, adopter_sex=sex, adopter_legal_status=legal)
        self.adoption_plans.append(plan)
        self.summary.adoption_plans += 1
        for day, title in ((a.decided, "Decision that the child should be placed for adoption"),
                           (a.order_on, "Placement order granted"), (a.matched, "Matched with adopters"),
                           (a.placed, "Placed for adoption"), (a.adopted, "Adoption order made"),
                           (a.reversed, "Decision to place for adoption reversed")):
            if day is not None:
                self._event(kid.person, day, EventType.LEGAL if "order" in title else EventType.PLAN, title, "",
                            self._sw(kid, day), plan, "care", significant=True)

    # ------------------------------------------------------------------------------------------ care plans

    def _iro(self, kid: Kid, p: Period, row: PeriodOfCare) -> None:
        """The IRO from the first days of the period; a few children change IRO part way through."""
        rng, staff = self.rng, self.staff
        self._iros: list[tuple[User, date, date | None]] = []
        if not staff.iros:
            return
        start = p.start + timedelta(days=rng.randint(0, 4))
        if p.end is not None and start >= p.end:
            start = p.start
        stop = p.end
        changes = []
        if rng.random() < 0.2 and (stop or self.today) - start > timedelta(days=200):
            changes.append(_between(rng, start + timedelta(days=90), (stop or self.today) - timedelta(days=30)))
        pool = staff.iros
        # iro.demo chairs their share of reviews (a good share in a council with only a few IROs).
        demo = staff.demo_iro
        share = 1 / len(pool) if len(pool) > 4 else 0.45
        iro = demo if demo is not None and rng.random() < share else rng.choice([i for i in pool if i is not demo]
                                                                                  or pool)
        p_iros = self._iros
        for day in [*changes, None]:
            p_iros.append((iro, start, day if day is not None else stop))
            if day is not None:
                start = day
                iro = rng.choice([i for i in pool if i is not iro] or pool)
        for worker, s, e in p_iros:
            reason = ("Reallocated" if e is not None and (stop is None or e < stop)
                      else "The child stopped being looked after" if e is not None else "")
            self.allocations.append(new(Allocation, local_authority=self.la, child=kid.person,
                                        kind=Allocation.Kind.IRO, team=staff.qa_team, worker=worker, started_on=s,
                                        ended_on=e, end_reason=reason))
            self._event(kid.person, s, EventType.ALLOCATION,
                        f"Independent reviewing officer: {worker.get_full_name()}, {staff.qa_team}", "", None, None,
                        "care")

    def _iro_on(self, day: date) -> User:
        chosen = self._iros[0][0]
        for worker, s, _ in self._iros:
            if s <= day:
                chosen = worker
        return chosen

    def _care_work(self, kid: Kid, p: Period, row: PeriodOfCare, rng: random.Random) -> None:
        if not self._iros:
            return
        self._care_plan(kid, p, row, rng)
        first_review = self._reviews(kid, p, row, rng)
        for h in p.homes:
            self._visits(kid, p, h, first_review, rng)
            self._placement_plan(kid, p, h, rng)
        self._health(kid, p, row, rng)
        self._education(kid, p, row, rng)
        self._oc2(kid, p, rng)

    def _last_day(self, p: Period) -> date:
        """The last day something can be recorded in the period: the day before it ended, or today."""
        return p.end - ONE_DAY if p.end is not None else self.today

    def _care_plan(self, kid: Kid, p: Period, row: PeriodOfCare, rng: random.Random) -> None:
        name = kid.person.preferred_name or kid.person.first_name
        permanence = {"adopt": "adoption", "sgo": "sgo_cao", "cao": "sgo_cao", "home": "return_home",
                      "remand": "return_home", "leaver": "supported_living", "independent": "supported_living",
                      }.get(p.path, "long_term_fostering")
        last = p.homes[-1].code
        if p.path in ("stay", "other") and last in ("K2", "K1"):
            permanence = "long_term_residential"
        first = "return_home" if permanence in ("adoption", "long_term_fostering", "sgo_cao") and \
            rng.random() < 0.4 else permanence
        on_time = rng.random() < 0.82
        agreed = self.wd(p.start, rng.randint(2, 10)) if on_time else self.wd(p.start, rng.randint(11, 30))
        if agreed > self._last_day(p):
            self._clock(kid, "care_plan", p.start, row, self._current_sw(kid),
                        cancelled_on=p.end)
            return
        worker = self._sw(kid, agreed)
        plans = [new(CarePlan, local_authority=self.la, child=kid.person, period=row, number=1,
                     permanence_plan=first, summary=text.CARE_PLAN_SUMMARIES[first].format(child=name),
                     needs=rng.choice(text.NEEDS), agreed_on=agreed, is_current=True)]
        self._clock(kid, "care_plan", p.start, row, None, stopped=agreed)
        self._event(kid.person, agreed, EventType.PLAN, "Care plan agreed",
                    f"Permanence plan: {first.replace('_', ' ')}", worker, plans[0], "plan", significant=True)
        if first != permanence:
            changed = agreed + timedelta(days=rng.randint(90, 300))
            if changed <= self._last_day(p):
                plans[0].is_current, plans[0].replaced_on = False, changed
                plans.append(new(CarePlan, local_authority=self.la, child=kid.person, period=row, number=2,
                                 permanence_plan=permanence,
                                 summary=text.CARE_PLAN_SUMMARIES[permanence].format(child=name),
                                 needs=rng.choice(text.NEEDS), agreed_on=changed, is_current=True))
                self._event(kid.person, changed, EventType.PLAN, "Care plan changed (version 2)",
                            f"Permanence plan: {permanence.replace('_', ' ')}", self._sw(kid, changed), plans[1],
                            "plan", significant=True)
        if p.end is not None or agreed >= self.window_start:
            self.care_plans += plans

    @staticmethod
    def _participation(rng: random.Random, age: int) -> str:
        if age < 4:
            return "PN0"
        if age < 8:
            return _pick(rng, {"PN3": 0.3, "PN4": 0.2, "PN6": 0.35, "PN1": 0.15})
        return _pick(rng, {"PN1": 0.45, "PN2": 0.1, "PN5": 0.1, "PN6": 0.2, "PN7": 0.1, "PN4": 0.05})

    def _reviews(self, kid: Kid, p: Period, row: PeriodOfCare, rng: random.Random) -> date | None:
        """First review within 20 working days, the second 3 months later, then 6-monthly, from each actual date."""
        assert kid.dob is not None
        rule, since = "cla_review_first", p.start
        first: date | None = None
        last_day = self._last_day(p)
        name = kid.person.preferred_name or kid.person.first_name
        while True:
            due_on = self.due(rule, since)
            span = (due_on - since).days
            if rng.random() < 0.88:
                held = since + timedelta(days=rng.randint(max(1, span - 25 if rule != "cla_review_first" else 8),
                                                          span))
            else:
                held = due_on + timedelta(days=rng.randint(1, 28))
            held = self.wd(held - ONE_DAY, 1) if held.weekday() >= 5 else held
            if held > last_day:
                if p.end is None:
                    self._clock(kid, rule, since, row, self._current_sw(kid))
                else:
                    self._clock(kid, rule, since, row, None, cancelled_on=p.end)
                return first
            first = first or held
            chair = self._iro_on(held)
            self._clock(kid, rule, since, row, None, stopped=held, reason="Review rearranged: IRO unavailable")
            if held >= self.window_start:
                review = new(LookedAfterReview, local_authority=self.la, child=kid.person, period=row, held_on=held,
                             chair=chair, participation=self._participation(rng, age_on(kid.dob, held)),
                             recommendations=rng.choice(text.REVIEW_RECOMMENDATIONS).format(child=name),
                             statutory=True)
                self.reviews.append(review)
                self.summary.reviews += 1
                self._event(kid.person, held, EventType.REVIEW, "Looked-after review",
                            f"Chair: {chair.get_full_name()}. Participation: {review.participation}", chair, review,
                            "plan", significant=True)
            rule = "cla_review_second" if rule == "cla_review_first" else "cla_review_next"
            since = held

    def _visits(self, kid: Kid, p: Period, h: Home, first_review: date | None, rng: random.Random) -> None:
        """Visits for one placement: within a week of it starting, then as often as its rule says."""
        placement = h.row
        assert placement is not None and kid.dob is not None
        limit = min(h.end - ONE_DAY if h.end is not None else date.max, self._last_day(p))
        rule = "cla_visit_placed_with_parent_pre_assessment" if h.code == "P1" else "cla_visit_first"
        later, since = False, h.start
        name = kid.person.preferred_name or kid.person.first_name
        while True:
            due_on = self.due(rule, since, later)
            span = max(1, (due_on - since).days)
            if rng.random() < 0.87:
                visited = since + timedelta(days=rng.randint(max(1, span * 4 // 5), span))
            else:
                visited = due_on + timedelta(days=rng.randint(1, 21))
            if visited > limit:
                if h.end is None and p.end is None:
                    self._clock(kid, rule, since, placement, self._current_sw(kid), later=later)
                else:
                    self._clock(kid, rule, since, placement, None, later=later,
                                cancelled_on=min(h.end or date.max, p.end or date.max))
                return
            worker = self._sw(kid, visited)
            seen = rng.random() < 0.96
            if not seen and visited + timedelta(days=4) <= limit:
                self._visit(kid, p, placement, visited, worker, seen=False, name=name, rng=rng)
                visited = visited + timedelta(days=rng.randint(1, 4))
            self._visit(kid, p, placement, visited, worker, seen=True, name=name, rng=rng)
            self._clock(kid, rule, since, placement, None, stopped=visited, later=later,
                        reason="Child unavailable at the planned visit")
            rule, later = next_visit_rule(placement_type=h.code, placement_started_on=h.start,
                                          is_long_term=h.long_term, visited_on=visited,
                                          first_review_held=first_review is not None and first_review <= visited)
            since = visited

    def _visit(self, kid: Kid, p: Period, placement: Placement, on: date, worker: User, *, seen: bool, name: str,
               rng: random.Random) -> None:
        if on < self.window_start:
            return
        assert kid.dob is not None
        alone = seen and age_on(kid.dob, on) >= 4 and rng.random() < 0.7
        visit = new(CareVisit, local_authority=self.la, child=kid.person, period=p.row, placement=placement,
                    visited_on=on, seen=seen, seen_alone=alone, visited_by=worker,
                    notes=rng.choice(text.VISIT_NOTES).format(child=name) if seen else "No answer at the placement.")
        self.visits.append(visit)
        self.summary.visits += 1
        how = "seen alone" if alone else ("seen" if seen else "not seen")
        self._event(kid.person, on, EventType.VISIT, f"Statutory visit: child {how}", visit.notes, worker, visit,
                    "plan")

    def _placement_plan(self, kid: Kid, p: Period, h: Home, rng: random.Random) -> None:
        placement = h.row
        assert placement is not None
        agreed = self.wd(h.start, rng.randint(1, 5)) if rng.random() < 0.85 else self.wd(h.start, rng.randint(6, 15))
        limit = min(h.end - ONE_DAY if h.end is not None else date.max, self._last_day(p))
        if agreed > limit:
            if h.end is None and p.end is None:
                self._clock(kid, "placement_plan", h.start, placement, self._current_sw(kid))
            else:
                self._clock(kid, "placement_plan", h.start, placement, None,
                            cancelled_on=min(h.end or date.max, p.end or date.max))
            return
        self._clock(kid, "placement_plan", h.start, placement, None, stopped=agreed)
        if agreed >= self.window_start:
            name = kid.person.preferred_name or kid.person.first_name
            plan = new(PlacementPlan, local_authority=self.la, child=kid.person, placement=placement, agreed_on=agreed,
                       summary=rng.choice(text.PLACEMENT_PLANS).format(child=name))
            self.placement_plans.append(plan)
            self._event(kid.person, agreed, EventType.PLACEMENT, "Placement plan agreed", plan.summary,
                        self._sw(kid, agreed), plan, "plan")

    def _health(self, kid: Kid, p: Period, row: PeriodOfCare, rng: random.Random) -> None:
        """The initial health assessment (often late, as nationally), then reviews by age; dental and jabs yearly."""
        assert kid.dob is not None
        last_day = self._last_day(p)
        rule, since = "initial_health_assessment", p.start
        while True:
            due_on = self.due(rule, since)
            if rule == "initial_health_assessment":
                done = (self.wd(since, rng.randint(8, 20)) if rng.random() < 0.6
                        else due_on + timedelta(days=rng.randint(1, 45)))
            else:
                done = (due_on - timedelta(days=rng.randint(0, 40)) if rng.random() < 0.85
                        else due_on + timedelta(days=rng.randint(1, 50)))
            if done > last_day:
                if p.end is None:
                    self._clock(kid, rule, since, row, self._current_sw(kid))
                else:
                    self._clock(kid, rule, since, row, None, cancelled_on=p.end)
                break
            self._clock(kid, rule, since, row, None, stopped=done, reason="Waiting for the health team")
            initial = rule == "initial_health_assessment"
            # The initial assessment is kept even from before the five years: reviews follow it.
            if done >= self.window_start or initial:
                kind = HealthAssessment.Kind.INITIAL if initial else HealthAssessment.Kind.REVIEW
                assessment = new(HealthAssessment, local_authority=self.la, child=kid.person, period=row, kind=kind,
                                 done_on=done, done_by=rng.choice(text.HEALTH_BY))
                self.health.append(assessment)
                self._event(kid.person, done, EventType.HEALTH, assessment.get_kind_display(), assessment.done_by,
                            None, assessment, "plan")
            rule, since = health_review_rule(date_of_birth=kid.dob, previous_assessment=done), done
        day = p.start + timedelta(days=rng.randint(30, 200))
        while day <= last_day:
            if day >= self.window_start and age_on(kid.dob, day) >= 1:
                if rng.random() < 0.86:
                    self.dental.append(new(DentalCheck, local_authority=self.la, child=kid.person, period=row,
                                           checked_on=day))
                self.jabs.append(new(ImmunisationCheck, local_authority=self.la, child=kid.person, period=row,
                                     checked_on=day + timedelta(days=rng.randint(0, 20)) if day + timedelta(days=20)
                                     <= last_day else day, up_to_date=rng.random() < 0.88))
            day += timedelta(days=rng.randint(300, 400))

    def _education(self, kid: Kid, p: Period, row: PeriodOfCare, rng: random.Random) -> None:
        """SDQs once a year for 4 to 16s; a PEP within 10 working days for a child of school age, then each term."""
        assert kid.dob is not None
        last_day = self._last_day(p)
        year = p.start.year + (1 if p.start.month >= 4 else 0)
        while True:
            march = date(year, 3, 31)
            sdq_day = march - timedelta(days=rng.randint(0, 100))
            if sdq_day > last_day:
                break
            if sdq_day >= max(p.start, self.window_start) and 4 <= age_on(kid.dob, sdq_day) <= 16:
                disabled = kid.open_kind == Kind.DISABLED_CHILDREN
                reason = ("SDQ3" if disabled and rng.random() < 0.5 else
                          _pick(rng, {"SDQ5": 0.4, "SDQ2": 0.2, "SDQ4": 0.4}) if rng.random() < 0.08 else "")
                score = None if reason else max(0, min(40, round(rng.gauss(16.5, 6.5))))
                self.sdq.append(new(SDQScore, local_authority=self.la, child=kid.person, period=row,
                                    completed_on=sdq_day, score=score, reason=reason))
            year += 1
        if not is_school_age(kid.dob, p.start):
            school_from = date(kid.dob.year + (4 if kid.dob.month < 9 else 5), 9, 1)
            if school_from > last_day or p.start > school_from:
                return
            # Started school while in care: the first PEP that term, with no clock before it.
            held = school_from + timedelta(days=rng.randint(10, 50))
            if held > last_day:
                return
            self._pep(kid, p, row, held, PersonalEducationPlan.Kind.INITIAL, rng)
            rule, since = "pep_review", held
        else:
            rule, since = "pep_initial", p.start
        while True:
            if not is_school_age(kid.dob, since) and rule == "pep_review":
                return
            due_on = self.due(rule, since)
            if rule == "pep_initial":
                held = self.wd(since, rng.randint(3, 10)) if rng.random() < 0.75 else \
                    due_on + timedelta(days=rng.randint(1, 30))
            else:
                held = (due_on - timedelta(days=rng.randint(5, 50)) if rng.random() < 0.86
                        else due_on + timedelta(days=rng.randint(1, 30)))
                held = max(held, since + ONE_DAY)
            if held > last_day:
                if p.end is None:
                    self._clock(kid, rule, since, row, self._current_sw(kid))
                else:
                    self._clock(kid, rule, since, row, None, cancelled_on=p.end)
                return
            self._clock(kid, rule, since, row, None, stopped=held, reason="School could not meet in time")
            self._pep(kid, p, row, held, PersonalEducationPlan.Kind.INITIAL if rule == "pep_initial"
                      else PersonalEducationPlan.Kind.REVIEW, rng)
            rule, since = "pep_review", held

    def _pep(self, kid: Kid, p: Period, row: PeriodOfCare, held: date, kind: str, rng: random.Random) -> None:
        if held < self.window_start and kind != PersonalEducationPlan.Kind.INITIAL:
            return
        school = self._school(kid, held)
        pep = new(PersonalEducationPlan, local_authority=self.la, child=kid.person, period=row, kind=kind,
                  held_on=held, school=school, designated_teacher=rng.choice(text.DESIGNATED_TEACHERS),
                  notes="Targets agreed with the designated teacher and the virtual school.")
        self.peps.append(pep)
        self._event(kid.person, held, EventType.EDUCATION, pep.get_kind_display(), school, self._sw(kid, held), pep,
                    "plan")

    def _school(self, kid: Kid, on: date | None = None) -> str:
        """A school of the right kind for the child's age on ``on`` (the same one while the phase lasts)."""
        age = age_on(kid.dob, on or self.today) if kid.dob is not None else 10
        phase = "college" if age >= 16 else "secondary" if age >= 11 else "primary"
        key = (id(kid), phase)
        school = self._school_of.get(key)
        if school is None:
            if phase == "college":
                names = [o.name for o in self.places.colleges]
            else:
                names = [o.name for (_, p), options in self.places.schools.items() if p == phase for o in options]
            school = self._school_of[key] = self.rng.choice(names)
        return school

    def _oc2(self, kid: Kid, p: Period, rng: random.Random) -> None:
        """The typed OC2 items for each year the child was looked after continuously for 12 months at 31 March."""
        assert kid.dob is not None
        for year in range(self.window_start.year + 1, self.today.year + 1):
            first, last = date(year - 1, 4, 1), date(year, 3, 31)
            if last > self.today or p.start > first or (p.end is not None and p.end <= last):
                continue
            older = age_on(kid.dob, last) >= 10
            misuse = older and rng.random() < 0.05
            received = (rng.random() < 0.7) if misuse else None
            offered = (rng.random() < 0.5) if misuse and not received else None
            self.oc2.append(new(OC2Outcome, local_authority=self.la, child=kid.person, year=year,
                                convicted=older and rng.random() < 0.04, substance_misuse=misuse,
                                intervention_received=received, intervention_offered=offered))

    # ------------------------------------------------------------------------------------------ care leavers

    def _adviser(self, team: Team | None = None) -> tuple[User | None, Team | None]:
        staff = self.staff
        if staff.demo_adviser is not None and self.rng.random() < 0.06:
            return staff.demo_adviser, staff.demo_adviser.team
        teams = [team] if team is not None and staff.advisers.get(id(team)) else staff.leaving_teams
        if not teams:
            return None, None
        chosen = self.rng.choice(teams)
        advisers = staff.advisers.get(id(chosen)) or []
        return (self.rng.choice(advisers) if advisers else None), chosen

    def _leaving_care(self, kid: Kid) -> None:
        """Needs assessment, pathway plan and reviews, personal adviser, contacts, accommodation and activity."""
        rng, today = self.rng, self.today
        dob = kid.dob
        assert dob is not None
        b16, b25 = _plus_years(dob, 16), _plus_years(dob, 25)
        if today < b16 or today >= b25:
            return
        periods = [CarePeriod(p.start, p.end, p.rec, tuple(
            CareSpell(s.start, s.end if s.end is not None else p.end, short_break=s.code in ("V3", "V4"))
            for s in p.statuses)) for p in kid.care]
        status = care_leaver_status(date_of_birth=dob, periods=periods, on=today)
        eligible = status.eligible_from
        if eligible is None or not status.has_full_support:
            return
        self.summary.care_leavers += 1
        person = kid.person
        last = kid.care[-1]
        left = last.end if last.end is not None and last.end > b16 else None
        # The personal adviser: the leaving-care allocation families made at 18, or one made here.
        span = next((s for s in kid.spans if s.kind == Allocation.Kind.PERSONAL_ADVISER), None)
        pa: User | None = span.worker if span is not None else None
        pa_from: date | None = span.start if span is not None else None
        if span is not None and left is not None and left + timedelta(days=2) < span.start:
            # Left care before 18: the same adviser from soon after, under the leaving care team.
            pa_from = left + timedelta(days=rng.randint(1, min(25, (span.start - left).days - 1)))
            self.allocations.append(new(Allocation, local_authority=self.la, child=person,
                                        kind=Allocation.Kind.PERSONAL_ADVISER, team=span.team, worker=pa,
                                        started_on=pa_from, ended_on=span.start, end_reason="Reallocated"))
        if span is None and rng.random() < 0.96:
            # (Never on the 18th birthday itself: that is when families' leaving-care allocations begin.)
            pa_from = (eligible + timedelta(days=rng.randint(20, 300))) if left is None else \
                left + timedelta(days=rng.randint(1, 25))
            if pa_from <= today:
                pa, team = self._adviser()
                if pa is not None and team is not None:
                    self.allocations.append(new(Allocation, local_authority=self.la, child=person,
                                                kind=Allocation.Kind.PERSONAL_ADVISER, team=team, worker=pa,
                                                started_on=pa_from))
                    self._event(person, pa_from, EventType.ALLOCATION,
                                f"Personal adviser: {pa.get_full_name()}, {team}", "", None, None, "leaving")
            else:
                pa, pa_from = None, None

        def who(day: date) -> User | None:
            if pa is not None and pa_from is not None and day >= pa_from:
                return pa
            worker = _worker_on(kid.spans, day)[0]
            return worker

        owner = pa or self._current_sw(kid)
        # The needs assessment, due 3 months from becoming eligible (or the 16th birthday).
        since = max(eligible, b16)
        done = since + timedelta(days=rng.randint(20, 88) if rng.random() < 0.8 else rng.randint(92, 160))
        if done > today:
            self._clock(kid, "pathway_needs_assessment", since, None, owner)
            return
        self._clock(kid, "pathway_needs_assessment", since, None, None, stopped=done)
        if done >= self.window_start:
            self.needs_assessments.append(new(PathwayNeedsAssessment, local_authority=self.la, child=person,
                                              completed_on=done, summary="Needs assessed with the young person.",
                                              completed_by=who(done)))
        started = done + timedelta(days=rng.randint(0, 20))
        if started <= today:
            plan = new(PathwayPlan, local_authority=self.la, child=person, started_on=started,
                       contact_interval_weeks=None, **text.PATHWAY_SECTIONS)
            self.pathway_plans.append(plan)
            self._event(person, started, EventType.PLAN, "Pathway plan started", "", who(started), plan, "leaving",
                        significant=True)
            held = started
            while True:
                due_on = self.due("pathway_plan_review", held)
                nxt = (due_on - timedelta(days=rng.randint(0, 50)) if rng.random() < 0.82
                       else due_on + timedelta(days=rng.randint(1, 45)))
                if nxt > today:
                    self._clock(kid, "pathway_plan_review", held, plan, owner)
                    break
                self._clock(kid, "pathway_plan_review", held, plan, None, stopped=nxt)
                if nxt >= self.window_start:
                    review = new(PathwayPlanReview, local_authority=self.la, child=person, plan=plan, held_on=nxt,
                                 young_person_took_part=rng.random() < 0.85, summary="Plan reviewed and updated.")
                    self.pathway_reviews.append(review)
                    self._event(person, nxt, EventType.REVIEW, "Pathway plan review", "", who(nxt), review, "leaving")
                held = nxt
        if left is None:
            return
        self._after_care(kid, last, left, who, owner)

    def _after_care(self, kid: Kid, last: Period, left: date, who: Callable[[date], User | None],
                    owner: User | None) -> None:
        rng, today = self.rng, self.today
        person = kid.person
        assert kid.dob is not None
        b21 = _plus_years(kid.dob, 21)
        # Keeping in touch: about every eight weeks; most contacts reach the young person.
        day = left
        clock_since = left
        while True:
            gap = rng.randint(30, 56) if rng.random() < 0.85 else rng.randint(57, 100)
            day = day + timedelta(days=gap)
            if day > today:
                break
            in_touch = _pick(rng, {"YES": 0.91, "NO": 0.05, "REFU": 0.04})
            if day >= self.window_start:
                contact = new(CareLeaverContact, local_authority=self.la, child=person, contacted_on=day,
                              method=_pick(rng, {"in_person": 0.45, "phone": 0.3, "message": 0.15, "video": 0.05,
                                                 "third_party": 0.05}) if in_touch == "YES" else "phone",
                              in_touch=in_touch, contacted_by=who(day), note=rng.choice(text.CONTACT_NOTES))
                self.contacts.append(contact)
                self.summary.contacts += 1
                self._event(person, day, EventType.VISIT,
                            f"Leaving care contact: {contact.get_in_touch_display().lower()}", contact.note, who(day),
                            contact, "leaving")
            if in_touch == "YES":
                self._clock(kid, "care_leaver_contact", clock_since, None, None, stopped=day,
                            reason="Could not reach the young person")
                clock_since = day
        self._clock(kid, "care_leaver_contact", clock_since, None, owner)
        # Where they live, and what they do, from the day they left.
        first = ("Z" if last.rec == "E17" else "B" if last.rec in ("E4A", "E4B", "E13") else
                 "D" if last.homes[-1].code == "K3" else
                 _pick(rng, {"D": 0.37, "E": 0.13, "U": 0.15, "B": 0.11, "T": 0.05, "C": 0.05, "K": 0.06, "S": 0.02,
                             "W": 0.02, "V": 0.02, "X": 0.02}))
        day = left
        letter = first
        # A foyer only once the young person's 18th-birthday OC3 cannot report it (903 rule 347: 18 and over).
        foyer_from = _plus_years(kid.dob, 18) + relativedelta(months=3, days=1)
        while day <= today:
            if letter == "T" and day < foyer_from:
                letter = "D"
            # Homeless or in custody is never suitable accommodation (903 rule 133: S1 and X1 are not codes).
            roll = rng.random()
            suitable = letter not in ("S", "X") and roll < (0.25 if letter in ("W", "V") else 0.97)
            if day >= self.window_start or day == left:
                self.accommodation.append(new(CareLeaverAccommodation, local_authority=self.la, child=person,
                                              started_on=day, accommodation=letter, suitable=suitable))
            day = day + timedelta(days=rng.randint(200, 700))
            letter = _pick(rng, {"U": 0.47, "D": 0.15, "E": 0.05, "B": 0.13, "T": 0.05, "K": 0.07, "S": 0.02,
                                 "W": 0.02, "V": 0.02, "X": 0.02})
        day = left
        activity = _pick(rng, {"F2": 0.3, "F5": 0.1, "P5": 0.05, "F4": 0.06, "G5": 0.3, "G6": 0.06, "G4": 0.08,
                               "P2": 0.05})
        while day <= today:
            if day >= self.window_start or day == left:
                self.activities.append(new(CareLeaverActivity, local_authority=self.la, child=person, started_on=day,
                                           activity=activity))
            day = day + timedelta(days=rng.randint(150, 500))
            older = age_on(kid.dob, day) >= 19
            activity = _pick(rng, {"F1": 0.1 if older else 0.0, "F2": 0.2, "F5": 0.2, "P5": 0.06, "F4": 0.07,
                                   "G5": 0.28, "G6": 0.05, "G4": 0.04})
        if last.rec == "E17" and last.homes[-1].code in FOSTER_PLACEMENTS:
            home = last.homes[-1]
            ended = left + timedelta(days=rng.randint(120, 1000))
            ended_on = ended if ended <= today and ended <= b21 else (b21 if b21 <= today else None)
            self.staying_put.append(new(StayingPut, local_authority=self.la, child=person, started_on=left,
                                        ended_on=ended_on, carer_name=home.carer[:200] or "Former foster carers",
                                        foster_household=home.household,
                                        end_reason="Moved to their own flat" if ended_on else ""))

    # ------------------------------------------------------------------------------------------ flushing

    def flush(self) -> None:
        save = self.writer.save
        self.fostering.save_households()
        save(PeriodOfCare, self.periods)
        save(CareLegalStatus, self.statuses)
        save(Placement, self.placements)
        save(AdoptionPlan, self.adoption_plans)
        save(DeprivationOfLibertyOrder, self.dolos)
        self._count(self.allocations)
        save(Allocation, self.allocations)
        save(CarePlan, self.care_plans)
        save(PlacementPlan, self.placement_plans)
        save(LookedAfterReview, self.reviews)
        save(CareVisit, self.visits)
        save(HealthAssessment, self.health)
        save(DentalCheck, self.dental)
        save(ImmunisationCheck, self.jabs)
        save(SDQScore, self.sdq)
        save(PersonalEducationPlan, self.peps)
        save(OC2Outcome, self.oc2)
        save(PathwayNeedsAssessment, self.needs_assessments)
        save(PathwayPlan, self.pathway_plans)
        save(PathwayPlanReview, self.pathway_reviews)
        save(CareLeaverContact, self.contacts)
        save(CareLeaverAccommodation, self.accommodation)
        save(CareLeaverActivity, self.activities)
        save(StayingPut, self.staying_put)
        self.missing.flush()
        self.registers.flush()
        for clock, subject in self.clocks:
            clock.subject_id = subject.pk if subject is not None else None
        save(Clock, [c for c, _ in self.clocks])
        events = []
        for event, source, link in self.events:
            if source is not None:
                event.source_label = source._meta.label
                event.source_id = str(source.pk)
            person = event._state.fields_cache.get("person")
            event.link = self._links[link].format(person=person.pk if person is not None else event.person_id)
            events.append(event)
        save(ChronologyEvent, events)
        save(PlantedError, [new(PlantedError, local_authority=self.la, person=person, kind=kind, detail=detail[:200],
                                source_label=record._meta.label, source_id=str(record.pk), year=year)
                            for person, kind, detail, record, year in self.errors])
        self._reset()

    def _count(self, allocations: Sequence[Allocation]) -> None:
        self.summary.allocations += len(allocations)
        self.summary.allocations_open += sum(1 for a in allocations if a.ended_on is None)

    def finish(self) -> None:
        """After every family: the registers, the advocates' tray, and the carers' reviews, vacancies and adopters."""
        self.missing.finish()
        self.registers.finish()
        self.flush()
        self.fostering.finish(adopted=self.adopted, requests=self.waiting)
        self.summary.households = self.fostering.summary.get("households", 0)
