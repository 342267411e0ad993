"""The synthetic council's casework: contacts, referrals, assessments, child protection and their clocks.

It hangs on the allocation histories ``families`` makes: every run of allocations becomes a CIN
episode (a referral) with the contact that started it, and what happened in it follows the team
that held the case (an assessment team's case is mostly assessed and closed; a safeguarding team's
often goes through a strategy discussion, a section 47 enquiry and a conference to a child
protection plan). More contacts end at the front door (advice, no further action, early help)
than become referrals, as in a real council. Most decisions, core groups, visits and reviews are on
time, some are late. The timeliness the inspection judged follows the council's improvement journey:
the inspection about four years ago found help and protection inadequate, and one curve,
``practice_quality``, sets the chance of each draw that decides whether that work was on time or came
back (assessments within 45 working days, initial conferences within 15 working days of the strategy
discussion, referrals closed too soon and made again within the year, a plan repeating an earlier
one; with ``families`` and ``missing``, short cases that drifted, families referred again sooner and
return home interviews offered within 72 hours; and the mystery shopper's calls). Every statutory clock is
written with its due date from the registry (``hearth.clocks.registry.due``) and its recorded start,
stopped (met or missed) at the event that satisfied it, cancelled when the plan closed first, or
still open and assigned to the allocated worker for current work.

The rules the services enforce hold in every row (no overlapping episodes or plans, a plan starts
on its conference's day, RC8/RC9 only straight after an assessment with no enquiry or plan after it,
no conference at a weekend, factor 21 alone, no retired factors) unless ``error_rate`` plants a
recording mistake, which is written down in ``PlantedError``. So do the CIN census's own rules on
how a year's records fit together: an enquiry has an assessment alongside it in its census year, a
referral closed RC8/RC9 or with no further action holds its assessment (or nothing) in the census
year it closes, a CIN plan lasts more than a day, and an unborn child's referral is in the pregnancy.
Sibling groups share the structure of their family's episode (they go on plans together), so the
per-family story uses a random stream of its own.

What a medium (Nottingham-sized) council comes out as, for the last year, against indicators.md:
re-referrals ~23% (27.2), referrals closed NFA ~11%, assessments authorised within 45 working days
~85% (80.9), S47 ~200 per 10,000 (194), ICPC ~39% of S47s (38.0) and ~87% within 15 working days
(87.8), children on CP plans ~46 per 10,000 (53.4), second or subsequent plans ~22% (32.2), plans
ending after 2 years or more ~5% (8.2). Two years earlier (the year to December 2024) it was still
recovering: assessments ~62% within 45 working days, conferences ~69% within 15, re-referrals ~27%,
second plans ~29%, and return home interviews offered within 72 hours ~57% (~87% now). Referrals
themselves run at about twice Nottingham's rate (575 per 10,000): every child with an allocation in
``families`` is a referral, and its 25,000 children known over five years are more than Nottingham's
referrals make. Contacts are about 2.6 times referrals.
"""

from __future__ import annotations

import math
import random
from bisect import bisect
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from dateutil.relativedelta import relativedelta
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from hearth.accounts.models import Team, User
from hearth.chronology.models import ChronologyEvent, EventType
from hearth.cin.codes import CLOSURE_NEEDS_ASSESSMENT, AssessmentFactor, CategoryOfAbuse, ClosureReason, ReferralSource
from hearth.cin.models import Assessment, CINEpisode, CINPlan, CINPlanReview
from hearth.clocks.models import Clock, holiday_set
from hearth.clocks.registry import due
from hearth.clocks.working_days import LONDON, add_working_days, is_working_day, working_days_between
from hearth.front_door.models import Contact, EarlyHelpEpisode, MysteryShopperCheck
from hearth.oversight.models import DecisionPoint, ManagementOversight
from hearth.portal.models import PartnerReferral
from hearth.portal.services import child_details_from, child_initials, concerns_text
from hearth.protection.models import (
    Agency,
    ChildProtectionConference,
    ChildProtectionPlan,
    CoreGroupMeeting,
    CPVisit,
    Section47Enquiry,
    StrategyDiscussion,
    TransferInNotice,
)
from hearth.tenancy.models import LocalAuthority

from . import casework_text as text
from .bulk import SeedWriter, new
from .models import PlantedError

if TYPE_CHECKING:
    from .care import CareBuilder
    from .families import Kid, Span

Kind = Team.Kind
ONE_DAY = timedelta(days=1)

# Who refers (CIN census 2024/25 shares for England, rounded): police, schools and health first.
SOURCE_WEIGHTS: dict[str, float] = {
    "1A": 4, "1B": 1, "1C": 1, "1D": 1, "2A": 18, "2B": 2, "3A": 2, "3B": 2.5, "3C": 1, "3D": 3, "3E": 2.5,
    "3F": 3, "4": 2, "5A": 3, "5B": 3, "5C": 3.5, "5D": 4, "6": 29, "7": 4, "8": 4, "9": 1, "10": 1.5,
}
PRIMARY_NEED_WEIGHTS: dict[str, float] = {
    "N1": 55, "N2": 7, "N3": 4, "N4": 9, "N5": 15, "N6": 3, "N7": 0.5, "N8": 3, "N9": 2, "N0": 1.5,
}
# Factors identified at assessment, by how often they are recorded (21 is given alone, never with others).
FACTOR_WEIGHTS: dict[str, float] = {
    "3B": 30, "4B": 30, "16A": 18, "17A": 20, "2B": 15, "1B": 11, "4A": 13, "3A": 9, "15A": 7, "5A": 5,
    "6B": 4, "5B": 4, "3C": 4, "2A": 3, "10A": 5, "11A": 3, "24A": 4, "13A": 2, "14A": 4, "7A": 2, "20": 6,
    "18C": 4, "18B": 1, "19C": 2, "19B": 1, "6A": 3, "9A": 1, "22A": 0.3, "23A": 0.3, "12A": 0.5, "8E": 0.5,
}
CATEGORY_WEIGHTS = {CategoryOfAbuse.NEGLECT: 50, CategoryOfAbuse.EMOTIONAL: 36, CategoryOfAbuse.PHYSICAL: 6,
                    CategoryOfAbuse.SEXUAL: 4, CategoryOfAbuse.MULTIPLE: 4}
# How many review conferences a plan lasts to (3 months, then 6-monthly): 5+ are the long plans.
REVIEWS_UNTIL_END = ([1, 2, 3, 4, 5, 6], [0.27, 0.35, 0.2, 0.1, 0.05, 0.03])
# Contacts that end at the front door, for each referral: contacts are about 2.6 times referrals.
OTHER_CONTACTS_PER_REFERRAL = 1.85
FRONT_DOOR_ENDINGS = ([Contact.Decision.NO_FURTHER_ACTION, Contact.Decision.INFORMATION_AND_ADVICE,
                       Contact.Decision.EARLY_HELP], [0.34, 0.44, 0.22])
# Chances that move with practice (``by_quality``), as (at its poorest, at its best):
# referrals closed at the referral stage (census ReferralNFA) as extra short referrals before and after an
# episode (a front door that closes cases too soon sees the same children again within the year);
NFA_BEFORE = (0.10, 0.05)
NFA_AFTER = (0.12, 0.06)
# an assessment drawn to finish within 45 working days (the rest run to 46-85);
ASSESSED_IN_TIME = (0.15, 0.69)
# an initial conference 6-15 working days after the strategy discussion (the rest 16-28);
CONFERENCE_IN_TIME = (0.63, 0.90)
# a child on a plan before the records here began (a plan that ended too soon comes back).
PLAN_BEFORE_RECORDS = (0.32, 0.15)
PORTAL_YEARS = 2
RECENT_OVERSIGHT_DAYS = 120
LONG_PLAN_DAYS = 790
CANDIDATES = 300

# Paths an episode takes, by the kind of team that held it, for closed and open episodes.
CLOSED_PATHS: dict[str, dict[str, float]] = {
    Kind.ASSESSMENT: {"assess": 0.66, "cin": 0.22, "s47": 0.08, "cp": 0.04},
    Kind.SAFEGUARDING: {"assess": 0.15, "cin": 0.52, "s47": 0.17, "cp": 0.16},
    Kind.DISABLED_CHILDREN: {"assess": 0.3, "cin": 0.65, "s47": 0.04, "cp": 0.01},
    Kind.EXPLOITATION: {"assess": 0.3, "cin": 0.48, "s47": 0.17, "cp": 0.05},
}
OPEN_PATHS: dict[str, dict[str, float]] = {
    Kind.ASSESSMENT: {"cin": 0.97, "cp": 0.03},
    Kind.SAFEGUARDING: {"cin": 0.73, "cp": 0.27},
    Kind.DISABLED_CHILDREN: {"cin": 0.98, "cp": 0.02},
    Kind.EXPLOITATION: {"cin": 0.92, "cp": 0.08},
}
PARTNER_ROLES = {"2A": "Designated safeguarding lead", "3A": "Safeguarding lead GP", "3B": "Health visitor",
                 "6": "Detective constable, public protection unit"}
REFERRER_ROLES = {"1": "Relative", "2": "Designated safeguarding lead", "3": "Health professional",
                  "4": "Housing officer", "5": "Council officer", "6": "Police officer", "7": "Probation officer",
                  "8": "Youth worker", "9": "", "10": ""}


# The council's practice over time. The inspection about four years ago found help and protection
# inadequate (late assessments and conferences, cases closed too soon and re-referred, return home
# interviews not offered); the improvement plan takes hold through 2024-2026. Every timeliness draw in the
# synthetic council reads this one curve (through ``by_quality``), so its indicators tell one story.
QUALITY_FLOOR = 0.54  # before the recovery: about where the inspection found it
QUALITY_CEILING = 0.92  # where the recovery levels off
QUALITY_HALFWAY_MONTHS = 22.0  # the recovery was half done this many months before today
QUALITY_PACE_MONTHS = 6.5  # months for the curve to move by about a quarter of its range around halfway


@lru_cache(maxsize=8192)
def practice_quality(day: date, *, today: date) -> float:
    """How well the council's practice kept to timescales on ``day`` (0 to 1): a logistic curve in the months
    before ``today``, from about 0.55 four years ago (the inadequate inspection) to about 0.9 now, half way
    about 22 months ago. Relative to ``today`` because the whole synthetic council is."""
    months = (today - day).days / 30.44
    return QUALITY_FLOOR + (QUALITY_CEILING - QUALITY_FLOOR) / (
        1 + math.exp((months - QUALITY_HALFWAY_MONTHS) / QUALITY_PACE_MONTHS))


def by_quality(quality: float, odds: tuple[float, float]) -> float:
    """A chance that moves with practice: ``odds`` is (at the floor, at the ceiling) of the curve."""
    poor, good = odds
    return poor + (good - poor) * (quality - QUALITY_FLOOR) / (QUALITY_CEILING - QUALITY_FLOOR)


SOURCE_LABELS = {code: str(label).split(": ", 1)[-1] for code, label in ReferralSource.choices}


def _weighted(weights: dict[str, float]) -> tuple[list[str], list[float]]:
    return list(weights), list(weights.values())


@dataclass
class Partner:
    """A partner referrer (portal user) and the CIN census source their referrals carry."""

    user: User
    source: str
    organisation: str
    agency_type: str = ""
    phone: str = ""
    # The demo DSL refers primary-age children only, up to a readable number.
    primary_only: bool = False
    limit: int | None = None
    used: int = 0


@dataclass
class CaseworkStaff:
    front_door_workers: list[User]
    front_door_managers: list[User]
    chairs: list[User]
    managers_by_team: dict[int, list[User]]
    partners: list[Partner] = field(default_factory=list)
    service_managers: list[User] = field(default_factory=list)


@dataclass
class CaseworkSummary:
    contacts: int = 0
    contacts_undecided: int = 0
    contacts_overdue: int = 0
    partner_referrals: int = 0
    referrals: int = 0
    re_referrals: int = 0
    referral_nfa: int = 0
    assessments: int = 0
    assessments_open: int = 0
    assessments_authorised: int = 0
    assessments_within_45: int = 0
    strategy_discussions: int = 0
    section47: int = 0
    icpc: int = 0
    icpc_within_15: int = 0
    cp_plans: int = 0
    cp_plans_open: int = 0
    cp_plans_repeat: int = 0
    cin_plans: int = 0
    cin_plans_open: int = 0
    early_help: int = 0
    clocks: int = 0
    clocks_open: int = 0
    clocks_overdue: int = 0
    oversight: int = 0
    mystery_shopper: int = 0
    errors: int = 0
    error_kinds: dict[str, int] = field(default_factory=dict)


@dataclass
class Ep:
    """One CIN episode in the making: the allocation run it follows, or an extra NFA referral."""

    kid: Kid
    start: date
    end: date | None
    kind: str
    spans: list[Span]
    nfa: bool = False
    care_leaver: bool = False


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    # zoneinfo resolves the offset for the wall time itself; no localize step is needed.
    return datetime.combine(day, time(hour, minute), tzinfo=LONDON)


_NOONS: dict[date, datetime] = {}


def _noon(day: date) -> datetime:
    # Date-only events sit at midday, as chronology_record places them.
    noon = _NOONS.get(day)
    if noon is None:
        noon = _NOONS[day] = datetime.combine(day, time(12), tzinfo=LONDON)
    return noon


def census_year(day: date) -> int:
    """The collection year (CIN census, SSDA903) a day falls in, by the year it ends: 1 April to 31 March."""
    return day.year + 1 if day.month >= 4 else day.year


def _years_between(born: date, day: date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def _plus_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _cumulative(weights: Sequence[float]) -> list[float]:
    total, out = 0.0, []
    for weight in weights:
        total += weight
        out.append(total)
    return out


class Pick:
    """A weighted choice with its cumulative weights worked out once (random.choices redoes them per call)."""

    def __init__(self, options: Sequence[Any], weights: Sequence[float]):
        self.options = list(options)
        self.cum = _cumulative(weights)
        self.total = self.cum[-1]
        self.hi = len(self.options) - 1

    def __call__(self, rng: random.Random) -> Any:
        # What rng.choices(options, cum_weights=cum)[0] returns, from the same single draw.
        return self.options[bisect(self.cum, rng.random() * self.total, 0, self.hi)]

    def many(self, rng: random.Random, k: int) -> list[Any]:
        return rng.choices(self.options, cum_weights=self.cum, k=k)


# Working days from referral to the assessment starting, and from the start to seeing the child.
REVIEWS = Pick(*REVIEWS_UNTIL_END)
START_DELAY = Pick([0, 1, 2, 3, 5], [0.45, 0.25, 0.15, 0.1, 0.05])
SEEN_DELAY = Pick([0, 1, 2, 3, 4, 5, 7, 10, 15, 25], [0.18, 0.2, 0.16, 0.12, 0.08, 0.08, 0.07, 0.05, 0.04, 0.02])
FACTOR_COUNT = Pick([1, 2, 3, 4], [0.3, 0.35, 0.22, 0.13])
PRIORITY = Pick(["red", "amber", "green"], [0.12, 0.38, 0.5])


class CaseworkBuilder:
    """Builds casework family by family (called by PeopleBuilder) and writes it after the people."""

    def __init__(self, *, la: LocalAuthority, seed: int, today: date, error_rate: float, writer: SeedWriter,
                 staff: CaseworkStaff, school_names: Sequence[str], population: int, open_cases: int):
        self.la = la
        self.seed = seed
        self.rng = random.Random(f"hearth-demo-casework-{seed}")
        self.today = today
        self.window_start = today - relativedelta(years=5)
        self.portal_since = today - relativedelta(years=PORTAL_YEARS)
        self.decision_clocks_since = today - relativedelta(years=1)
        self.error_rate = error_rate
        self.writer = writer
        self.staff = staff
        self.school_names = list(school_names) or ["Hillside Primary School"]
        self.population = population
        self.open_cases = open_cases
        self.holidays = holiday_set()
        self._due_cache: dict[tuple[str, date], date] = {}
        self.summary = CaseworkSummary()
        self._sources = Pick(*_weighted(SOURCE_WEIGHTS))
        self._needs = Pick(*_weighted(PRIMARY_NEED_WEIGHTS))
        self._factors = Pick(*_weighted(FACTOR_WEIGHTS))
        self._categories = Pick(list(CATEGORY_WEIGHTS), list(CATEGORY_WEIGHTS.values()))
        self._endings = Pick(*FRONT_DOOR_ENDINGS)
        self._seventeen_ago = _plus_years(today, -17)
        self._day_numbers: dict[date, int] = {}
        self._partner_refs: set[str] = set()
        self._types: dict[type[models.Model], ContentType] = {m: ContentType.objects.get_for_model(m) for m in (
            Assessment, CINEpisode, CINPlan, Section47Enquiry, ChildProtectionPlan, ChildProtectionConference,
            Contact, StrategyDiscussion, TransferInNotice)}
        # Chronology links, as the services write them ({pk}: the record linked to, {person}: the child).
        child_pk = {"person_pk": 987654321, "pk": 123456789}
        self._links = {
            "contact": self._pattern("front_door:contact", {"pk": 123456789}, "/front-door/contacts/{pk}/"),
            "episode": self._pattern("cin:episode", child_pk, "/children/{person}/cin/episodes/{pk}/"),
            "assessment": self._pattern("cin:assessment", child_pk, "/children/{person}/cin/assessments/{pk}/"),
            "cin_plan": self._pattern("cin:plan", child_pk, "/children/{person}/cin/plans/{pk}/"),
            "overview": self._pattern("cin:overview", {"person_pk": 987654321}, "/children/{person}/cin/"),
            "s47": self._pattern("protection:s47", child_pk, "/children/{person}/protection/s47/{pk}/"),
            "conference": self._pattern("protection:conference", child_pk,
                                        "/children/{person}/protection/conferences/{pk}/"),
            "cp_plan": self._pattern("protection:plan", child_pk, "/children/{person}/protection/plans/{pk}/"),
            "early_help": self._pattern("front_door:early_help", {"pk": 123456789}, "/front-door/early-help/{pk}/"),
            "oversight": "",
        }
        names = random.Random(f"hearth-demo-referrers-{seed}")
        firsts = ["Sarah", "Emma", "James", "Priya", "Tom", "Aisha", "Claire", "Mohammed", "Helen", "David", "Rachel",
                  "Kwame", "Joanne", "Lee", "Natalie", "Imran", "Gemma", "Paul", "Yasmin", "Chloe"]
        lasts = ["Walker", "Ahmed", "Thompson", "Kaur", "Robinson", "Okoro", "Hughes", "Begum", "Clarke", "Wood",
                 "Patel", "Lewis", "Mensah", "Hall", "Khan", "Wright", "Green", "Brown", "Nowak", "Evans"]
        self._referrer_names = [f"{names.choice(firsts)} {names.choice(lasts)}" for _ in range(300)]
        # Children for today's front-door queue: a fixed-size random sample of those not open today.
        self.candidates: list[Kid] = []
        self._seen_candidates = 0
        # Periods of care (hearth.demo.care), when the council has them: when care began and how it ended.
        self.care: CareBuilder | None = None
        # The child being made: the draw for a plan before the records here began, and the answer once settled.
        self._before_records_roll = 1.0
        self._before_records: bool | None = None
        self._reset()

    # ------------------------------------------------------------------------------------------ buffers

    def _reset(self) -> None:
        self.contacts: list[Contact] = []
        self.partner_referrals: list[PartnerReferral] = []
        self.episodes: list[CINEpisode] = []
        self.early_help: list[EarlyHelpEpisode] = []
        self.assessments: list[Assessment] = []
        self.cin_plans: list[CINPlan] = []
        self.cin_reviews: list[CINPlanReview] = []
        self.strategy: list[StrategyDiscussion] = []
        self.s47: list[Section47Enquiry] = []
        self.cp_plans: list[ChildProtectionPlan] = []
        self.conferences: list[ChildProtectionConference] = []
        self.notices: list[TransferInNotice] = []
        self.core_groups: list[CoreGroupMeeting] = []
        self.visits: list[CPVisit] = []
        self.clocks: list[tuple[Clock, models.Model]] = []
        self.oversight: list[tuple[ManagementOversight, models.Model]] = []
        # (event, the record it is about, link key, the record linked to when not that one)
        self.events: list[tuple[ChronologyEvent, models.Model, str, models.Model | None]] = []
        self.errors: list[tuple[Any, str, str, models.Model]] = []

    @staticmethod
    def _pattern(name: str, kwargs: dict[str, int], fallback: str) -> str:
        try:
            url = reverse(name, kwargs=kwargs)
        except NoReverseMatch:
            return fallback
        return url.replace("987654321", "{person}").replace("123456789", "{pk}")

    def flush(self) -> None:
        save = self.writer.save
        save(Contact, self.contacts)
        save(PartnerReferral, self.partner_referrals)
        save(CINEpisode, self.episodes)
        save(EarlyHelpEpisode, self.early_help)
        save(Assessment, self.assessments)
        save(CINPlan, self.cin_plans)
        save(CINPlanReview, self.cin_reviews)
        save(StrategyDiscussion, self.strategy)
        save(Section47Enquiry, self.s47)
        save(ChildProtectionPlan, self.cp_plans)
        save(ChildProtectionConference, self.conferences)
        save(TransferInNotice, self.notices)
        save(CoreGroupMeeting, self.core_groups)
        save(CPVisit, self.visits)
        for clock, subject in self.clocks:
            clock.subject_id = subject.pk
        save(Clock, [c for c, _ in self.clocks])
        for entry, subject in self.oversight:
            entry.subject_id = subject.pk
        save(ManagementOversight, [o for o, _ in self.oversight])
        events = []
        for event, source, link, linked in self.events:
            event.source_label = source._meta.label
            event.source_id = str(source.pk)
            # The child was unsaved when the event was made: their id is on the cached object, not yet on the row.
            person = event._state.fields_cache.get("person")
            event.link = self._links[link].format(pk=(linked or source).pk,
                                                  person=person.pk if person is not None else event.person_id)
            events.append(event)
        save(ChronologyEvent, events)
        save(PlantedError, [new(PlantedError, local_authority=self.la, person=person, kind=kind, detail=detail,
                                source_label=record._meta.label, source_id=str(record.pk))
                            for person, kind, detail, record in self.errors])
        self._reset()

    # ------------------------------------------------------------------------------------------ dates

    def wd(self, day: date, n: int) -> date:
        return add_working_days(day, n, self.holidays) if n > 0 else day

    def back_wd(self, day: date, n: int) -> date:
        while n > 0:
            day -= ONE_DAY
            if is_working_day(day, self.holidays):
                n -= 1
        return day

    def on_wd(self, day: date, *, forward: bool = False) -> date:
        """The day itself if a working day, else the working day before (or after)."""
        step = ONE_DAY if forward else -ONE_DAY
        while not is_working_day(day, self.holidays):
            day += step
        return day

    def chance(self, day: date, odds: tuple[float, float]) -> float:
        """The chance of something done on ``day`` whose ``odds`` are (at practice's poorest, at its best)."""
        return by_quality(practice_quality(day, today=self.today), odds)

    def plan_before_records(self, day: date) -> int:
        """1 if the child whose casework is being made had a plan before the records here began, else 0: decided
        at their first plan here (``day``), by practice then, and the same for their later plans."""
        if self._before_records is None:
            self._before_records = self._before_records_roll < self.chance(day, PLAN_BEFORE_RECORDS)
        return int(self._before_records)

    def due(self, rule_id: str, start: date) -> date:
        key = (rule_id, start)
        result = self._due_cache.get(key)
        if result is None:
            computed = due(rule_id, start, holidays=self.holidays)
            assert isinstance(computed, date)
            result = self._due_cache[key] = computed
        return result

    # ------------------------------------------------------------------------------------------ people

    @staticmethod
    def _worker_on(spans: list[Span], day: date) -> tuple[User | None, Team]:
        chosen = spans[0]
        for span in spans:
            if span.start <= day:
                chosen = span
        return chosen.worker, chosen.team

    def _manager(self, team: Team) -> User:
        managers = self.staff.managers_by_team.get(id(team)) or self.staff.front_door_managers
        return managers[0]

    def _doer(self, spans: list[Span], day: date) -> User:
        worker, team = self._worker_on(spans, day)
        return worker or self._manager(team)

    def _words(self, template: str, kid: Kid, **extra: str) -> str:
        return template.format(child=kid.person.preferred_name or kid.person.first_name or "the baby",
                               adult=extra.pop("adult", "their mother"), **extra)

    # ------------------------------------------------------------------------------------------ the run

    def family(self, kids: Sequence[Kid]) -> None:
        """Casework for one group of children made together (a family, a duplicate record, a UASC)."""
        rng = self.rng
        referrals = 0
        for kid in kids:
            if kid.known:
                referrals += self._child(kid)
            # Today's queue is about children not open to social care, whose records anyone may open.
            if kid.dob is not None and self._seventeen_ago < kid.dob < self.today - timedelta(days=30) \
                    and kid.person.access_level == "open" and not any(s.end is None for s in kid.spans):
                self._seen_candidates += 1
                if len(self.candidates) < CANDIDATES:
                    self.candidates.append(kid)
                else:
                    slot = rng.randrange(self._seen_candidates)
                    if slot < CANDIDATES:
                        self.candidates[slot] = kid
        born = [k for k in kids if k.dob is not None and k.dob < self.today - ONE_DAY]
        if not born:
            return
        # Contacts that end at the front door, spread over the children of the family.
        expected = OTHER_CONTACTS_PER_REFERRAL * max(referrals, 0.35)
        count = int(expected) + (1 if rng.random() < expected - int(expected) else 0)
        for _ in range(count):
            kid = rng.choice(born)
            day = self._free_day(kid)
            if day is not None:
                self._front_door_contact(kid, day)

    def _free_day(self, kid: Kid) -> date | None:
        """A day in the five years when the child was born, under 18 and not open to social care."""
        assert kid.dob is not None
        lo = max(kid.dob, self.window_start)
        hi = min(self.today - ONE_DAY, _plus_years(kid.dob, 18) - ONE_DAY)
        if hi < lo:
            return None
        busy = [(s.start, s.end or self.today) for s in kid.spans]
        for _ in range(4):
            day = lo + timedelta(days=self.rng.randint(0, (hi - lo).days))
            if not any(a - timedelta(days=3) <= day <= b + timedelta(days=3) for a, b in busy):
                return day
        return None

    def _child(self, kid: Kid) -> int:
        """Every referral of one child, oldest first; returns how many."""
        rng, today = self.rng, self.today
        episodes = self._episodes_of(kid)
        if not episodes:
            return 0
        # Extra referrals closed with no further action, before or after an allocated episode (not for a
        # second record made at the front door: it has the one referral it was made for).
        extra: list[Ep] = []
        for i, ep in enumerate(episodes if not kid.second_record else []):
            earlier_end = episodes[i - 1].end if i else None
            if rng.random() < self.chance(ep.start, NFA_BEFORE):
                day = ep.start - timedelta(days=rng.randint(20, 330))
                if self._nfa_fits(kid, day, earlier_end, ep.start):
                    extra.append(Ep(kid, day, day, Kind.ASSESSMENT, ep.spans[:1], nfa=True))
            if ep.end is not None and rng.random() < self.chance(ep.end, NFA_AFTER):
                day = ep.end + timedelta(days=rng.randint(20, 330))
                later_start = episodes[i + 1].start if i + 1 < len(episodes) else today
                if self._nfa_fits(kid, day, ep.end, later_start):
                    extra.append(Ep(kid, day, day, Kind.ASSESSMENT, ep.spans[-1:], nfa=True))
        episodes = sorted(episodes + extra, key=lambda e: e.start)
        kid.referrals = [(e.start, e.end) for e in episodes]
        history: list[date] = []
        # Whether the child was on a plan before the records here began (or in another council) is settled at
        # their first plan here (``plan_before_records``); Hearth's own plans are counted as they are made.
        self._before_records_roll, self._before_records = rng.random(), None
        previous_plans = 0
        for ep in episodes:
            since = _plus_years(ep.start, -1)
            re_referral = any(since <= d <= ep.start for d in history)
            history.append(ep.start)
            previous_plans += self._episode(ep, re_referral, previous_plans)
        return len(episodes)

    def _nfa_fits(self, kid: Kid, day: date, after: date | None, before: date) -> bool:
        if kid.dob is None or day < kid.dob or day > self.today - ONE_DAY or day >= before - ONE_DAY:
            return False
        if day > _plus_years(kid.dob, 18) - ONE_DAY:
            return False
        return after is None or day > after + ONE_DAY

    def _episodes_of(self, kid: Kid) -> list[Ep]:
        groups: list[list[Span]] = []
        for span in sorted(kid.spans, key=lambda s: s.start):
            if groups and groups[-1][-1].end == span.start:
                groups[-1].append(span)
            else:
                groups.append([span])
        episodes = []
        for spans in groups:
            end = spans[-1].end
            kind = str(spans[-1].team.kind)
            care_leaver = False
            if kind == Kind.CARE_LEAVERS:
                # Children's social care (and the CIN census) ends at 18; the leaving-care service goes on.
                if kid.dob is None:
                    continue
                eighteen = _plus_years(kid.dob, 18)
                care = [s for s in spans if s.start < eighteen]
                if not care:
                    continue
                spans, end, kind, care_leaver = care, min(eighteen, self.today), Kind.CHILDREN_IN_CARE, True
            if spans[0].start > self.today:
                continue
            episodes.append(Ep(kid, spans[0].start, end, kind, spans, nfa=kid.nfa_referral, care_leaver=care_leaver))
        return episodes

    # ------------------------------------------------------------------------------------------ contacts

    def _reference(self, received: datetime) -> str:
        day = received.astimezone(LONDON).date()
        number = self._day_numbers.get(day, 0) + 1
        self._day_numbers[day] = number
        return f"C-{day.year}-{day.timetuple().tm_yday:03d}{number:03d}"

    def _partner_reference(self) -> str:
        alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
        while True:
            ref = "".join(self.rng.choice(alphabet) for _ in range(8))
            if ref not in self._partner_refs:
                self._partner_refs.add(ref)
                return ref

    def _channel(self, source: str, kid: Kid, day: date) -> tuple[str, Partner | None]:
        rng = self.rng
        if source == "6":
            roll = rng.random()
            if roll < 0.05 and day >= self.portal_since:
                partner = self._partner_for(source, kid, day)
                if partner is not None:
                    return Contact.Channel.PORTAL, partner
            return (Contact.Channel.POLICE_NOTIFICATION if roll < 0.85 else Contact.Channel.PHONE), None
        if source in ("2A", "3A", "3B") and day >= self.portal_since and rng.random() < (
                0.5 if source == "2A" else 0.35):
            partner = self._partner_for(source, kid, day)
            if partner is not None:
                return Contact.Channel.PORTAL, partner
        if source[0] in "19":
            return (Contact.Channel.PHONE if rng.random() < 0.88 else Contact.Channel.IN_PERSON), None
        roll = rng.random()
        return (Contact.Channel.EMAIL if roll < 0.5 else Contact.Channel.PHONE if roll < 0.93
                else Contact.Channel.LETTER), None

    def _partner_for(self, source: str, kid: Kid, day: date) -> Partner | None:
        options = [p for p in self.staff.partners if p.source == source]
        if not options:
            return None
        age = _years_between(kid.dob, day) if kid.dob else -1
        demo = [p for p in options if p.primary_only]
        if demo and 4 <= age <= 10 and (demo[0].limit is None or demo[0].used < demo[0].limit) \
                and self.rng.random() < 0.3:
            return demo[0]
        others = [p for p in options if not p.primary_only]
        return self.rng.choice(others) if others else None

    def _contact(self, kid: Kid | None, *, received: datetime, source: str, decision: str,
                 decided: datetime | None, channel: str | None = None, partner: Partner | None = None,
                 status: str = Contact.Status.DECIDED, details: dict[str, Any] | None = None,
                 about: Kid | None = None) -> Contact:
        """A contact; ``about`` is the child it concerns when the front door has not yet linked the record."""
        rng = self.rng
        about = about or kid
        day = received.astimezone(LONDON).date()
        if channel is None:
            assert kid is not None
            channel, partner = self._channel(source, kid, day)
        adult = "their mother"
        family = source[0] if source[0] in text.CONCERNS else "10"
        if source.startswith("10"):
            family = "10"
        concerns = rng.choice(text.CONCERNS[family])
        concerns = concerns.format(child=(about.person.first_name if about and about.person.first_name
                                          else "the child"), adult=adult)
        fd_worker = rng.choice(self.staff.front_door_workers)
        fd_manager = rng.choice(self.staff.front_door_managers)
        person = kid.person if kid is not None else None
        if partner is not None:
            referrer, organisation = partner.user.get_full_name(), partner.organisation
            role, email = partner.user.job_title or PARTNER_ROLES.get(partner.source, ""), partner.user.email
            phone = partner.phone
        else:
            referrer = "" if source in ("9", "10") else rng.choice(self._referrer_names)
            organisation = {"2": rng.choice(self.school_names), "3": "NHS community health services",
                            "4": "City housing", "6": "Police public protection unit",
                            "7": "Probation service"}.get(source[0], "")
            role, email = REFERRER_ROLES.get(source[0], ""), ""
            phone = f"0115 496 {rng.randint(0, 9999):04d}" if referrer else ""
        if details is None and person is not None:
            details = {"first_name": person.first_name, "last_name": person.last_name,
                       "date_of_birth": person.date_of_birth.isoformat() if person.date_of_birth else "",
                       "postcode": kid.homes[-1].place.postcode if kid is not None and kid.homes else ""}
        consent = (Contact.Consent.NOT_SOUGHT_RISK if decision == Contact.Decision.STRATEGY_DISCUSSION
                   else Contact.Consent.GIVEN if rng.random() < 0.82 else Contact.Consent.NOT_GIVEN)
        answers: dict[str, Any] | None = None
        if partner is not None and about is not None:
            # What the portal's form sends (hearth.portal), so the referral reads as the partner wrote it.
            answers = self._answers(about, partner, concerns, consent)
            concerns = concerns_text(answers)
            details = child_details_from(answers)
        screening = status != Contact.Status.RECEIVED
        values: dict[str, Any] = {}
        if decided is not None and status == Contact.Status.DECIDED:
            values = {"decision": decision, "decided_at": decided, "decided_by": fd_manager,
                      "decision_rationale": self._words(rng.choice(text.RATIONALE[decision]), kid)
                      if kid is not None else text.RATIONALE[decision][0].format(child="the child",
                                                                                  adult=adult)}
        contact = new(
            Contact, local_authority=self.la, reference=self._reference(received), received_at=received,
            channel=channel, source=source, referrer_name=referrer, referrer_organisation=organisation,
            referrer_role=role, referrer_phone=phone,
            referrer_email=email, concerns=concerns, consent=consent, child=person,
            child_details=details or {}, status=status,
            decision_due_on=self.due("referral_decision", day),
            priority=PRIORITY(rng) if screening else "",
            screening_notes=rng.choice(text.SCREENING).format(adult=adult) if screening else "",
            screened_by=fd_worker if screening else None,
            screening_started_at=received + timedelta(minutes=rng.randint(10, 240)) if screening else None,
            created_by=None if partner is not None else fd_worker, **values,
        )
        if contact.screening_started_at is not None and decided is not None and contact.screening_started_at > decided:
            contact.screening_started_at = received
        self.contacts.append(contact)
        self.summary.contacts += 1
        if partner is not None and answers is not None:
            partner.used += 1
            self.partner_referrals.append(new(
                PartnerReferral, local_authority=self.la, reference=self._partner_reference(),
                submitted_by=partner.user, submitted_at=received, contact=contact, answers=answers,
                child_initials=child_initials(answers["child"]),
            ))
            self.summary.partner_referrals += 1
        if person is not None and kid is not None:
            self._event(person, received, EventType.CONTACT, f"Contact {contact.reference} from "
                        f"{organisation or self._source_label(source)}", concerns[:500], contact.created_by,
                        contact, "contact", time_known=True)
            # The decision clock sits in the child's record once the child is known. Older decisions keep
            # their timeliness on the contact itself (due date and decision time), not as clocks.
            if decided is not None and status == Contact.Status.DECIDED:
                if day >= self.decision_clocks_since:
                    self._clock(kid, "referral_decision", day, contact, None,
                                stopped=decided.astimezone(LONDON).date(),
                                reason="Waiting for information from partner agencies")
                self._oversee(DecisionPoint.CONTACT_DECISION, contact, person, fd_manager, decided)
            else:
                self._clock(kid, "referral_decision", day, contact, None)
        return contact

    def _answers(self, kid: Kid, partner: Partner, concerns: str, consent: str) -> dict[str, Any]:
        person, rng = kid.person, self.rng
        home = kid.homes[-1].place if kid.homes else None
        return {
            "child": {
                "first_name": person.first_name, "last_name": person.last_name,
                "date_of_birth": person.date_of_birth.isoformat() if person.date_of_birth else "",
                "date_of_birth_unknown": person.date_of_birth is None, "approximate_age": None,
                "sex": person.sex, "address_line_1": home.line_1 if home else "",
                "address_line_2": home.line_2 if home else "", "town": "Nottingham" if home else "",
                "postcode": home.postcode if home else "",
                "school": partner.organisation if partner.source == "2A" else "",
                "first_language": person.first_language or "English", "interpreter_needed": "no",
            },
            "carers": [],
            "household_notes": "",
            "concerns": {"what_happened": concerns, "when": rng.choice(["Today", "Yesterday", "This week"]),
                         "childs_words": "", "immediate_risk": False},
            "consent": {"consent": consent, "notes": ""},
            "referrer": {"name": partner.user.get_full_name(), "job_title": partner.user.job_title,
                         "organisation": partner.organisation, "agency_type": partner.agency_type,
                         "phone": partner.phone, "email": partner.user.email},
        }

    @staticmethod
    def _source_label(source: str) -> str:
        return SOURCE_LABELS[source]

    def _decision_times(self, decided_day: date) -> tuple[datetime, datetime, bool]:
        """Received and decided times for a contact decided on ``decided_day``; and whether it was late."""
        rng = self.rng
        roll = rng.random()
        if roll < 0.55:
            received_day, late = decided_day, False
        elif roll < 0.93:
            received_day, late = self.back_wd(decided_day, 1), False
        else:
            received_day, late = self.back_wd(decided_day, rng.randint(2, 4)), True
        received = _at(received_day, rng.randint(8, 17), rng.choice([0, 10, 20, 30, 40, 50]))
        if received_day == decided_day:
            decided = received + timedelta(minutes=rng.randint(40, 300))
        else:
            decided = _at(decided_day, rng.randint(9, 16), rng.choice([0, 15, 30, 45]))
        return (*self._not_future(received, decided), late)

    @staticmethod
    def _not_future(received: datetime, decided: datetime) -> tuple[datetime, datetime]:
        now = timezone.now()
        if decided > now:
            decided = now - timedelta(minutes=5)
            received = min(received, decided - timedelta(minutes=30))
        return received, decided

    def _front_door_contact(self, kid: Kid, day: date) -> None:
        rng = self.rng
        decision = self._endings(rng)
        received = _at(day, rng.randint(8, 17), rng.choice([0, 10, 20, 30, 40, 50]))
        if rng.random() < 0.92:
            decided = received + timedelta(minutes=rng.randint(30, 600))
            decided_day = decided.astimezone(LONDON).date()
            if decided_day > self.wd(day, 1):
                decided = _at(self.wd(day, 1), 11)
        else:
            decided = _at(self.wd(day, rng.randint(2, 4)), rng.randint(9, 16))
        received, decided = self._not_future(received, decided)
        source = self._sources(rng)
        contact = self._contact(kid, received=received, source=source, decision=decision, decided=decided)
        if decision == Contact.Decision.EARLY_HELP:
            self._early_help(kid, contact.decided_at.astimezone(LONDON).date() if contact.decided_at else day,
                             EarlyHelpEpisode.Origin.CONTACT, contact=contact)

    def _early_help(self, kid: Kid, start: date, origin: str, *, contact: Contact | None = None,
                    from_episode: CINEpisode | None = None, until: date | None = None,
                    stepped_up_to: CINEpisode | None = None) -> EarlyHelpEpisode:
        rng, today = self.rng, self.today
        assessment_started = min(start + timedelta(days=rng.randint(3, 20)), today)
        assessment_done: date | None = assessment_started + timedelta(days=rng.randint(10, 40))
        length = rng.randint(60, 400)
        ended: date | None = start + timedelta(days=length) if until is None else until
        outcome: str = EarlyHelpEpisode.Outcome.STEPPED_UP if stepped_up_to is not None else rng.choices(
            [EarlyHelpEpisode.Outcome.NEEDS_MET, EarlyHelpEpisode.Outcome.UNIVERSAL_SERVICES,
             EarlyHelpEpisode.Outcome.CONSENT_WITHDRAWN, EarlyHelpEpisode.Outcome.MOVED_AWAY,
             EarlyHelpEpisode.Outcome.OTHER], [0.55, 0.2, 0.15, 0.06, 0.04])[0]
        if ended is not None and ended >= today:
            ended, outcome = None, ""
        if ended is not None and assessment_done is not None and assessment_done > ended:
            assessment_done = ended
        if assessment_done is not None and assessment_done > today:
            assessment_done = None
        if ended is not None and ended < assessment_started:
            assessment_started = start
        place = rng.choice(["Bulwell", "Meadows", "Clifton", "Aspley", "St Ann's", "Sneinton"])
        episode = new(
            EarlyHelpEpisode, local_authority=self.la, child=kid.person, origin=origin, contact=contact,
            stepped_down_from=from_episode, started_on=start, lead_professional=rng.choice(
                text.EARLY_HELP_LEADS).format(place=place), assessment_organisation=f"{place} Family Hub",
            assessment_started_on=assessment_started if assessment_started <= today else None,
            assessment_completed_on=assessment_done, ended_on=ended, outcome=outcome, stepped_up_to=stepped_up_to,
        )
        self.early_help.append(episode)
        self.summary.early_help += 1
        title = "Stepped down to early help" if origin == EarlyHelpEpisode.Origin.STEP_DOWN else "Early help started"
        self._event(kid.person, start, EventType.EARLY_HELP, title, episode.lead_professional, None, episode,
                    "early_help")
        if ended is not None:
            self._event(kid.person, ended, EventType.EARLY_HELP, "Early help ended",
                        EarlyHelpEpisode.Outcome(outcome).label, None, episode, "early_help")
        return episode

    # ------------------------------------------------------------------------------------------ chronology

    def _event(self, person: Any, when: date | datetime, event_type: str, title: str, summary: str,
               author: User | None, source: models.Model, link: str, *, time_known: bool = False,
               significant: bool = False, linked: models.Model | None = None) -> None:
        occurred = when if isinstance(when, datetime) else _noon(when)
        event = new(ChronologyEvent, local_authority=self.la, person=person, occurred_at=occurred,
                    time_known=time_known, event_type=event_type, title=title[:200], summary=summary,
                    author=author, significant=significant)
        self.events.append((event, source, link, linked))

    def _oversee(self, point: str, subject: models.Model, person: Any, manager: User, when: date | datetime) -> None:
        day = when.astimezone(LONDON).date() if isinstance(when, datetime) else when
        if (self.today - day).days > RECENT_OVERSIGHT_DAYS and self.rng.random() > 0.03:
            return
        at = when if isinstance(when, datetime) else _at(when, 16, 30)
        rationale = self.rng.choice(text.OVERSIGHT.get(point, ["Agreed."]))
        entry = new(ManagementOversight, local_authority=self.la, child=person, decision_point=point,
                    subject_type=self._types[type(subject)], subject_id=0, rationale=rationale,
                    recorded_by=manager, recorded_at=at)
        self.oversight.append((entry, subject))
        self.summary.oversight += 1
        event = new(ChronologyEvent, local_authority=self.la, person=person, occurred_at=at, time_known=True,
                    event_type=EventType.MANAGEMENT_OVERSIGHT,
                    title=f"Management oversight: {DecisionPoint(point).label}",
                    summary=rationale, author=manager)
        self.events.append((event, entry, "oversight", None))

    # ------------------------------------------------------------------------------------------ clocks

    def _clock(self, kid: Kid, rule_id: str, start: date, subject: models.Model, assigned: User | None, *,
               stopped: date | None = None, cancelled: bool = False, reason: str = "") -> Clock:
        due_on = self.due(rule_id, start)
        status = Clock.Status.OPEN
        if stopped is not None:
            status = Clock.Status.MET if stopped <= due_on else Clock.Status.MISSED
        elif cancelled:
            status = Clock.Status.CANCELLED
        clock = new(Clock, local_authority=self.la, child=kid.person, rule_id=rule_id,
                    subject_type=self._types[type(subject)], subject_id=0, started_on=start, due_on=due_on,
                    stopped_on=stopped, status=status, assigned_to=assigned,
                    missed_reason=reason if status == Clock.Status.MISSED else "")
        self.clocks.append((clock, subject))
        self.summary.clocks += 1
        if status == Clock.Status.OPEN:
            self.summary.clocks_open += 1
            if due_on < self.today:
                self.summary.clocks_overdue += 1
        return clock

    # ------------------------------------------------------------------------------------------ episodes

    def _episode(self, ep: Ep, re_referral: bool, previous_plans: int) -> int:
        """Write one referral and what followed it; returns the CP plans it held."""
        rng, today = self.rng, self.today
        kid = ep.kid
        # Siblings share their family's episode (same team and dates), so they share its story.
        story = random.Random(f"hearth-demo-story-{self.seed}-{ep.start}-{ep.end}-{ep.kind}-{ep.nfa}-"
                              f"{ep.spans[0].team.name}-{ep.spans[0].start}")
        limit = ep.end if ep.end is not None else today
        length = (limit - ep.start).days
        # What happens in this episode.
        if ep.nfa:
            path = "nfa"
        elif ep.kind == Kind.CHILDREN_IN_CARE:
            path = "cla"
        elif ep.end is not None:
            # A referral closed with no further action closes in its own census year (8569Q).
            if length <= 40 and story.random() < 0.2 and census_year(ep.start) == census_year(limit):
                path = "nfa"
            else:
                paths = dict(CLOSED_PATHS.get(ep.kind, CLOSED_PATHS[Kind.ASSESSMENT]))
                if length < 75:
                    paths.pop("cp", None)
                elif length > LONG_PLAN_DAYS:
                    # Long episodes are where the long (2 years and more) plans are.
                    paths["cp"] = paths.get("cp", 0) * 3
                if length < 40:
                    paths.pop("cin", None)
                path = story.choices(list(paths), list(paths.values()))[0]
        else:
            paths = OPEN_PATHS.get(ep.kind, OPEN_PATHS[Kind.ASSESSMENT])
            path = story.choices(list(paths), list(paths.values()))[0]
            working_days = self._wd_between(ep.start, today)
            # A recent referral to a safeguarding team: the enquiry is under way.
            if working_days <= 12 and (path == "cp" or (ep.kind in (Kind.SAFEGUARDING, Kind.EXPLOITATION)
                                                        and story.random() < 0.5)):
                path = "s47_open"
        front_door_strategy = path in ("cp", "s47", "s47_open") and story.random() < 0.4
        source = self._sources(story)
        transfer_in = path == "cp" and story.random() < 0.04
        if transfer_in:
            source = "5C"
        decision = Contact.Decision.STRATEGY_DISCUSSION if front_door_strategy else Contact.Decision.REFERRAL
        received, decided, _late = self._decision_times(ep.start)
        contact = self._contact(kid, received=received, source=source, decision=decision, decided=decided)
        need = "N2" if ep.kind == Kind.DISABLED_CHILDREN and story.random() < 0.85 else (
            "N9" if path == "nfa" and story.random() < 0.5 else self._needs(story))
        episode = new(CINEpisode, local_authority=self.la, child=kid.person, contact=contact,
                      referral_date=ep.start, referral_source=source, primary_need=need,
                      is_re_referral=re_referral, referral_nfa=path == "nfa", team=ep.spans[0].team)
        self.episodes.append(episode)
        self.summary.referrals += 1
        self.summary.re_referrals += re_referral
        self._event(kid.person, ep.start, EventType.REFERRAL, "Referral to children's social care" + (
            " (re-referral within 12 months)" if re_referral else ""),
            f"Source: {self._source_label(source)}", contact.decided_by, episode, "episode", significant=True)
        # Early help that stepped up into this referral.
        floor = max(kid.dob, self.window_start) if kid.dob is not None else None
        if source == "5D" and floor is not None and ep.start - timedelta(days=100) > floor:
            began = max(floor, ep.start - timedelta(days=rng.randint(60, 300)))
            self._early_help(kid, began, EarlyHelpEpisode.Origin.DIRECT, until=ep.start, stepped_up_to=episode)
        state = _Story(self, ep, episode, story)
        if path == "nfa":
            state.close(ClosureReason.SERVICES_CEASED)
            plans = 0
        else:
            plans = state.run(path, front_door_strategy, transfer_in, previous_plans)
        state.assessment_clock_finish()
        return plans

    def _wd_between(self, start: date, end: date) -> int:
        return working_days_between(start, end, self.holidays)

    def _close(self, state: _Story, day: date, reason: str) -> None:
        episode = state.episode
        episode.closed_on = day
        episode.closure_reason = reason
        # As cin.services.episode_close: a referral closed RC7 with nothing done is a referral with NFA.
        episode.referral_nfa = episode.referral_nfa or (
            reason == ClosureReason.SERVICES_CEASED and state.last_assessment is None and not state.beyond_assessment)
        self.summary.referral_nfa += episode.referral_nfa
        self._event(state.kid.person, day, EventType.REFERRAL,
                    "Referral closed: no further action" if episode.referral_nfa else "Referral closed",
                    ClosureReason(reason).label, self._doer(state.ep.spans, day), episode, "episode",
                    significant=True)

    # ------------------------------------------------------------------------------------------ council-wide

    def finish(self) -> None:
        """Today's front-door queue and the monthly mystery-shopper checks."""
        self._todays_contacts()
        self._mystery_shopper()

    def _todays_contacts(self) -> None:
        rng, today = self.rng, self.today
        wanted = max(4, min(40, round(self.open_cases / 300)))
        overdue = max(1, wanted // 5)
        pool = list(self.candidates)
        picks = rng.sample(pool, min(wanted, len(pool)))
        demo = next((p for p in self.staff.partners if p.primary_only), None)
        for i, kid in enumerate(picks):
            if i < overdue:
                day = self.back_wd(today, rng.randint(2, 3))
            elif i < overdue + wanted // 4:
                day = self.back_wd(today, 1)
            else:
                day = today
            received = _at(day, rng.randint(8, 17), rng.choice([0, 15, 30, 45]))
            if received > timezone.now():
                # Early in the day: today's contacts arrived overnight.
                midnight = _at(day, 0)
                received = midnight + (timezone.now() - midnight) * rng.random()
            status = Contact.Status.SCREENING if rng.random() < 0.4 else Contact.Status.RECEIVED
            source = self._sources(rng)
            partner = None
            channel = None
            age = _years_between(kid.dob, day) if kid.dob else 0
            if i in (overdue, overdue + 1) and demo is not None and 4 <= age <= 10:
                source, partner, channel = "2A", demo, Contact.Channel.PORTAL
            elif source in ("2A", "3A", "3B") and rng.random() < 0.5:
                partner = self._partner_for(source, kid, day)
                channel = Contact.Channel.PORTAL if partner is not None else None
            # A portal referral is not yet matched to a child's record: the front door does that.
            unmatched = partner is not None and rng.random() < 0.6
            person = kid.person
            details = {"first_name": person.first_name, "last_name": person.last_name,
                       "date_of_birth": person.date_of_birth.isoformat() if person.date_of_birth else "",
                       "postcode": kid.homes[-1].place.postcode if kid.homes else ""}
            contact = self._contact(None if unmatched else kid, received=received, source=source, decision="",
                                    decided=None, channel=channel, partner=partner, status=status, details=details,
                                    about=kid)
            self.summary.contacts_undecided += 1
            self.summary.contacts_overdue += contact.decision_due_on < today
        # A few decided portal referrals for the demo DSL to see their outcomes.
        if demo is not None and demo.used < 3:
            for kid in [k for k in pool if k.dob and 5 <= _years_between(k.dob, today) <= 10][:3 - demo.used]:
                day = self.back_wd(today, rng.randint(3, 40))
                received = _at(day, 10, 15)
                decision = rng.choice([Contact.Decision.INFORMATION_AND_ADVICE, Contact.Decision.EARLY_HELP,
                                       Contact.Decision.NO_FURTHER_ACTION])
                contact = self._contact(kid, received=received, source="2A", decision=decision,
                                        decided=received + timedelta(hours=3), channel=Contact.Channel.PORTAL,
                                        partner=demo)
                if decision == Contact.Decision.EARLY_HELP:
                    self._early_help(kid, day, EarlyHelpEpisode.Origin.CONTACT, contact=contact)
        self.flush()

    def _mystery_shopper(self) -> None:
        rng, today = self.rng, self.today
        recorder = (self.staff.front_door_managers + self.staff.service_managers)[0]
        checks = []
        month = date(self.window_start.year, self.window_start.month, 1)
        while month <= today:
            day = self.on_wd(month + timedelta(days=rng.randint(3, 24)), forward=True)
            if day > today:
                break
            # The front door improves with the rest of the council's practice: quicker answers, better advice.
            progress = (practice_quality(day, today=today) - QUALITY_FLOOR) / (QUALITY_CEILING - QUALITY_FLOOR)
            channel = rng.choices(list(MysteryShopperCheck.Channel.values), [0.55, 0.2, 0.1, 0.15])[0]
            answered = rng.random() > 0.12 * (1 - progress) + 0.02
            seconds = int(max(15, rng.gauss(420 - 300 * progress, 90))) if answered else None
            quality = min(4, max(1, round(rng.gauss(2.0 + 1.3 * progress, 0.6)))) if answered else None
            if not answered:
                outcome = MysteryShopperCheck.Outcome.NOT_ANSWERED
            else:
                outcome = (MysteryShopperCheck.Outcome.RIGHT_RESPONSE if quality and quality >= 3 else
                           MysteryShopperCheck.Outcome.PARTLY_RIGHT if quality == 2 else
                           MysteryShopperCheck.Outcome.WRONG_RESPONSE)
            checks.append(new(MysteryShopperCheck, local_authority=self.la, carried_out_at=_at(day, rng.randint(9, 16)),
                              channel=channel, seconds_to_answer=seconds, advice_quality=quality, outcome=outcome,
                              scenario=rng.choice(text.MYSTERY_SHOPPER_SCENARIOS),
                              notes="Answered promptly and advice was clear." if quality and quality >= 3 else
                              "Caller was passed between teams before getting advice." if answered else
                              "Rang out after five minutes.", recorded_by=recorder))
            month = (month + timedelta(days=32)).replace(day=1)
        self.writer.save(MysteryShopperCheck, checks)
        self.summary.mystery_shopper = len(checks)

    # ------------------------------------------------------------------------------------------ errors

    def plant(self, kid: Kid, kind: str, detail: str, record: models.Model) -> None:
        self.errors.append((kid.person, kind, detail, record))
        self.summary.errors += 1
        self.summary.error_kinds[kind] = self.summary.error_kinds.get(kind, 0) + 1


class _Story:
    """What happened in one episode, written as records, in date order."""

    def __init__(self, builder: CaseworkBuilder, ep: Ep, episode: CINEpisode, story: random.Random):
        self.b = builder
        self.ep = ep
        self.kid = ep.kid
        self.episode = episode
        self.story = story  # shared by siblings: the structure of the episode
        self.rng = builder.rng  # this child's own details
        self.limit = ep.end if ep.end is not None else builder.today
        self.open = ep.end is None
        self.cp_count = 0
        self.error_done = not (builder.error_rate > 0 and builder.rng.random() < builder.error_rate)
        self.assessment_clock_done = False
        self.last_assessment: Assessment | None = None
        # A section 47 enquiry or a plan in the episode: it did not close "after assessment" (CIN rule 2990).
        self.beyond_assessment = False

    # Helpers --------------------------------------------------------------------------------

    def worker(self, day: date) -> User:
        return self.b._doer(self.ep.spans, day)

    def current_worker(self) -> User | None:
        return self.ep.spans[-1].worker

    def manager(self, day: date) -> User:
        _, team = self.b._worker_on(self.ep.spans, day)
        return self.b._manager(team)

    def words(self, template: str, **extra: str) -> str:
        return self.b._words(template, self.kid, **extra)

    def fits(self, day: date) -> bool:
        return day <= self.limit and day <= self.b.today

    def maybe_plant(self, kind: str) -> bool:
        if self.error_done or self.rng.random() > 0.5:
            return False
        self.error_done = True
        return True

    # The run --------------------------------------------------------------------------------

    def run(self, path: str, front_door_strategy: bool, transfer_in: bool, previous_plans: int) -> int:
        b, ep, story = self.b, self.ep, self.story
        start, limit = ep.start, self.limit
        if path == "s47_open":
            if not front_door_strategy:
                self.assessment(start, outcome_if_done=Assessment.Outcome.STRATEGY_DISCUSSION)
            held = min(b.wd(start, story.randint(0, 3)), b.today)
            s47 = self.strategy_and_s47(held, result="open")
            if front_door_strategy and s47 is not None:
                # The enquiry is carried out through an assessment alongside it (CIN 2991Q).
                self.assessment(s47.started_on, outcome_if_done=Assessment.Outcome.CONTINUE_EXISTING)
            return 0
        if path == "assess":
            nfa = story.random() < 0.66
            self.assessment(start, close_by=limit, outcome_if_done=Assessment.Outcome.NO_FURTHER_ACTION if nfa
                            else Assessment.Outcome.EARLY_HELP, closes_case=True)
            self.close(ClosureReason.NFA_AFTER_ASSESSMENT if nfa else ClosureReason.EARLY_HELP_AFTER_ASSESSMENT)
            return 0
        if path == "cin":
            a = self.assessment(start, close_by=limit if not self.open else None,
                                outcome_if_done=Assessment.Outcome.CIN_PLAN)
            if a is None or a.authorised_on is None:
                return 0
            plan_start = min(a.authorised_on + timedelta(days=story.randint(0, 5)), limit)
            self.cin_plan(plan_start, None if self.open else limit)
            self.close_after_plan()
            return 0
        if path == "s47":
            if front_door_strategy:
                held = b.wd(start, story.randint(0, 1))
            else:
                # Within the episode: nothing is authorised after the case closed (8565).
                a = self.assessment(start, close_by=limit, stop_early=True,
                                    outcome_if_done=Assessment.Outcome.STRATEGY_DISCUSSION)
                held = a.authorised_on if a is not None and a.authorised_on else start
            if not self.fits(held):
                held = start
            s47 = self.strategy_and_s47(held, result="no_cp")
            after = s47.completed_on if s47 is not None and s47.completed_on else held
            plan = s47 is not None and s47.outcome == Section47Enquiry.Outcome.SUBSTANTIATED_NO_RISK and \
                (limit - after).days > 30
            if front_door_strategy and s47 is not None:
                # The enquiry is carried out through an assessment alongside it (CIN 2991Q).
                self.assessment(s47.started_on, close_by=min(limit, after + timedelta(days=10)),
                                outcome_if_done=Assessment.Outcome.CIN_PLAN if plan
                                else Assessment.Outcome.NO_FURTHER_ACTION)
            if plan:
                self.cin_plan(after + timedelta(days=story.randint(1, 7)), None if self.open else limit)
                self.close_after_plan()
            else:
                # An enquiry was made: the case closes RC7, not "after assessment" (2990).
                self.close(ClosureReason.SERVICES_CEASED)
            return 0
        if path == "cla":
            return self.looked_after(previous_plans)
        if path == "cp":
            return self.child_protection(front_door_strategy, transfer_in, previous_plans)
        raise ValueError(path)

    # Closing ---------------------------------------------------------------------------------

    def close(self, reason: str) -> None:
        if self.open:
            return
        day = self.limit
        if reason in CLOSURE_NEEDS_ASSESSMENT and not self.closes_after_assessment(day):
            reason = ClosureReason.SERVICES_CEASED
        if reason == ClosureReason.SERVICES_CEASED and self.last_assessment is None and self.maybe_plant(
                PlantedError.Kind.RC8_WITHOUT_ASSESSMENT):
            reason = ClosureReason.NFA_AFTER_ASSESSMENT
            self.b.plant(self.kid, PlantedError.Kind.RC8_WITHOUT_ASSESSMENT,
                         f"Referral of {self.ep.start} closed RC8 with no assessment", self.episode)
        self.b._close(self, day, reason)
        if reason == ClosureReason.EARLY_HELP_AFTER_ASSESSMENT:
            self.b._early_help(self.kid, day, EarlyHelpEpisode.Origin.STEP_DOWN, from_episode=self.episode)

    def closes_after_assessment(self, day: date) -> bool:
        """RC8/RC9 fit: an assessment and nothing more (2990), authorised in the census year of the closure so
        that year's census holds it (8825Q)."""
        last = self.last_assessment
        return (last is not None and last.authorised_on is not None and not self.beyond_assessment
                and census_year(last.authorised_on) == census_year(day))

    def close_after_plan(self) -> None:
        if self.open:
            return
        # After a plan the case closes RC7 (services ceased): RC8 and RC9 are for cases closed straight after an
        # assessment (2990), and only an RC9 closure steps the family down to early help.
        roll = self.story.random()
        self.close(ClosureReason.SERVICES_CEASED if roll < 0.95 else ClosureReason.TRANSFERRED_LA)

    # Assessment ------------------------------------------------------------------------------

    def assessment(self, referral: date, *, close_by: date | None = None,
                   stop_early: bool = False, outcome_if_done: str = Assessment.Outcome.NO_FURTHER_ACTION,
                   closes_case: bool = False) -> Assessment | None:
        """``closes_case``: the case closes at ``close_by`` straight after it (RC8/RC9)."""
        b, rng, story = self.b, self.rng, self.story
        started = b.wd(referral, START_DELAY(story))
        if started > b.today:
            started = referral
        if close_by is not None and started > close_by:
            started = referral
        if stop_early:
            duration = story.randint(3, 20)
        elif story.random() < b.chance(referral, ASSESSED_IN_TIME):
            duration = max(3, min(45, int(story.triangular(8, 46, 40))))
        else:
            duration = story.randint(46, 85)
        authorised: date | None = max(b.wd(referral, duration), started)
        if close_by is not None and authorised is not None and authorised > close_by:
            authorised = max(close_by, started)
        if authorised is not None and authorised > b.today:
            authorised = None
        seen_wd = SEEN_DELAY(rng)
        seen: date | None = b.wd(started, seen_wd)
        if authorised is not None and seen is not None and seen > authorised:
            seen = authorised
        if seen is not None and seen > b.today:
            seen = None
        worker = self.worker(started)
        status = Assessment.Status.AUTHORISED if authorised else (
            Assessment.Status.AWAITING_AUTHORISATION if seen and (b.today - started).days > 25
            and rng.random() < 0.35 else Assessment.Status.IN_PROGRESS)
        submitted = (authorised - timedelta(days=rng.randint(0, 4))) if authorised else (
            b.back_wd(b.today, rng.randint(0, 6)) if status == Assessment.Status.AWAITING_AUTHORISATION else None)
        if submitted is not None and submitted < started:
            submitted = started
        done_sections = 7 if status != Assessment.Status.IN_PROGRESS else rng.randint(0, 6)
        referrer = self.b._source_label(self.episode.referral_source).lower()
        sections = {}
        for index, (name, _label) in enumerate(Assessment.SECTIONS):
            if index >= done_sections and status == Assessment.Status.IN_PROGRESS:
                continue
            template = rng.choice(text.ASSESSMENT_SECTIONS[name])
            sections[name] = self.words(template, referrer=referrer, concern="concerns about care at home",
                                        outcome=Assessment.Outcome(outcome_if_done).label.lower())
        factors: list[str] = []
        if status == Assessment.Status.AUTHORISED:
            # "No factors" (21) only where the case then closes RC8, in the census year of the assessment (8873Q).
            if outcome_if_done == Assessment.Outcome.NO_FURTHER_ACTION and rng.random() < 0.25 and closes_case \
                    and authorised is not None and close_by is not None \
                    and census_year(authorised) == census_year(close_by):
                factors = [AssessmentFactor.NO_FACTORS]
            else:
                count = FACTOR_COUNT(rng)
                factors = sorted(set(b._factors.many(rng, count)))
        assessment = new(
            Assessment, local_authority=b.la, child=self.kid.person, episode=self.episode, started_on=started,
            child_seen_on=seen, child_seen_alone=(rng.random() < 0.6) if seen and self._age(seen) >= 4 else None,
            factors=factors, outcome=outcome_if_done if authorised else "", status=status, submitted_on=submitted,
            authorised_on=authorised, authorised_by=self.manager(authorised) if authorised else None,
            worker=worker, **sections,
        )
        b.assessments.append(assessment)
        b.summary.assessments += 1
        self.last_assessment = assessment
        person = self.kid.person
        b._event(person, started, EventType.ASSESSMENT, "Child and family assessment started", "", worker,
                 assessment, "assessment")
        if seen is not None:
            b._event(person, seen, EventType.VISIT, "Child seen for the assessment",
                     "Seen alone" if assessment.child_seen_alone else "Seen with a parent or carer", worker,
                     assessment, "assessment")
        if authorised is not None:
            b.summary.assessments_authorised += 1
            in_time = authorised <= b.due("assessment", self.ep.start)
            b.summary.assessments_within_45 += in_time
            if not self.assessment_clock_done:
                # The 45-day clock runs on the referral from its date; the first authorisation stops it.
                self.assessment_clock_done = True
                b._clock(self.kid, "assessment", self.ep.start, self.episode, self.worker(self.ep.start),
                         stopped=authorised,
                         reason="" if in_time else "Delay in seeing the child and gathering partner information")
            b._event(person, authorised, EventType.ASSESSMENT, "Assessment authorised",
                     f"Outcome: {Assessment.Outcome(assessment.outcome).label}" if assessment.outcome else "",
                     assessment.authorised_by, assessment, "assessment", significant=True)
            b._oversee(DecisionPoint.ASSESSMENT_AUTHORISATION, assessment, person, self.manager(authorised),
                       authorised)
            self._assessment_errors(assessment)
        else:
            b.summary.assessments_open += 1
        return assessment

    def assessment_clock_finish(self) -> None:
        """The referral's assessment clock when no assessment was authorised: running, or cancelled at closure."""
        if self.assessment_clock_done:
            return
        self.assessment_clock_done = True
        if self.open:
            self.b._clock(self.kid, "assessment", self.ep.start, self.episode, self.current_worker())
        else:
            self.b._clock(self.kid, "assessment", self.ep.start, self.episode, self.worker(self.ep.start),
                          cancelled=True)

    def _assessment_errors(self, assessment: Assessment) -> None:
        b = self.b
        if self.maybe_plant(PlantedError.Kind.CHILD_NOT_SEEN_RECORDED):
            assessment.child_seen_on, assessment.child_seen_alone = None, None
            b.plant(self.kid, PlantedError.Kind.CHILD_NOT_SEEN_RECORDED,
                    f"Assessment authorised {assessment.authorised_on} with no date the child was seen", assessment)
        elif self.maybe_plant(PlantedError.Kind.FACTOR_21_WITH_OTHERS) and assessment.factors:
            assessment.factors = sorted({*assessment.factors, AssessmentFactor.NO_FACTORS, "3B"})
            b.plant(self.kid, PlantedError.Kind.FACTOR_21_WITH_OTHERS,
                    f"Factors {', '.join(assessment.factors)} include 21 with others", assessment)
        elif self.maybe_plant(PlantedError.Kind.RETIRED_FACTOR):
            assessment.factors = sorted({*(f for f in assessment.factors if f != "21"), "18A"})
            b.plant(self.kid, PlantedError.Kind.RETIRED_FACTOR, "Retired factor 18A recorded", assessment)

    def _age(self, day: date) -> int:
        dob = self.kid.dob
        return _years_between(dob, day) if dob else -1

    # CIN plans -------------------------------------------------------------------------------

    def cin_plan(self, start: date, end: date | None, *, end_reason: str = "") -> CINPlan | None:
        b, rng = self.b, self.rng
        # A plan that would end the day it began is no plan (4012Q).
        if start > b.today or (end is not None and end <= start):
            return None
        self.beyond_assessment = True
        plan = new(CINPlan, local_authority=b.la, child=self.kid.person, episode=self.episode, started_on=start,
                   plan=self.words(rng.choice(text.CIN_PLAN)), ended_on=end)
        if end is not None:
            plan.end_reason = end_reason or (CINPlan.EndReason.NEEDS_MET if rng.random() < 0.8 else
                                             CINPlan.EndReason.STEPPED_DOWN)
        b.cin_plans.append(plan)
        b.summary.cin_plans += 1
        b.summary.cin_plans_open += end is None
        person = self.kid.person
        worker = self.worker(start)
        b._event(person, start, EventType.PLAN, "Child in need plan started", plan.plan[:300], worker, plan,
                 "cin_plan", significant=True)
        previous = start
        stop = end if end is not None else b.today
        while True:
            due_on = b.due("cin_plan_review", previous)
            if rng.random() < 0.82:
                held = b.on_wd(due_on - timedelta(days=rng.randint(0, 14)))
            else:
                held = b.on_wd(due_on + timedelta(days=rng.randint(1, 35)), forward=True)
            if held <= previous:
                held = previous + ONE_DAY
            if held > stop:
                if end is None:
                    b._clock(self.kid, "cin_plan_review", previous, plan, self.current_worker())
                else:
                    b._clock(self.kid, "cin_plan_review", previous, plan, self.worker(previous), cancelled=True)
                break
            review = new(CINPlanReview, local_authority=b.la, plan=plan, held_on=held,
                         summary=self.words(rng.choice(text.CIN_REVIEW)))
            b.cin_reviews.append(review)
            b._clock(self.kid, "cin_plan_review", previous, plan, self.worker(previous), stopped=held,
                     reason="Review rearranged at the family's request")
            b._event(person, held, EventType.REVIEW, "Child in need plan review", review.summary,
                     self.worker(held), review, "cin_plan", linked=plan)
            previous = held
        if end is not None:
            b._event(person, end, EventType.PLAN, "Child in need plan ended", CINPlan.EndReason(plan.end_reason).label,
                     self.worker(end), plan, "cin_plan")
        return plan

    # Strategy discussion and section 47 ------------------------------------------------------

    def strategy_and_s47(self, held: date, *, result: str) -> Section47Enquiry | None:
        """``result``: "open" (enquiry under way today), "no_cp" (ends without a conference) or "cp"."""
        b, rng, story = self.b, self.rng, self.story
        person = self.kid.person
        chair = self.manager(held)
        agencies = [Agency.SOCIAL_CARE, Agency.POLICE, Agency.HEALTH]
        if self._age(held) >= 4:
            agencies.append(Agency.EDUCATION)
        if story.random() < 0.2:
            agencies.append(rng.choice([Agency.PROBATION, Agency.HOUSING, Agency.REFERRER]))
        discussion = new(
            StrategyDiscussion, local_authority=b.la, child=person, episode=self.episode, held_on=held,
            agencies_present=agencies, attendees="Social worker and team manager; police; named nurse; DSL",
            reason=self.words(rng.choice(text.STRATEGY_REASON), referrer="the referrer"),
            immediate_safety_actions="Child to stay with a safe family member while enquiries are made."
            if story.random() < 0.3 else "",
            decision=StrategyDiscussion.Decision.START_S47, chaired_by=chair,
        )
        b.strategy.append(discussion)
        b.summary.strategy_discussions += 1
        self.beyond_assessment = True
        b._event(person, held, EventType.STRATEGY_DISCUSSION, "Strategy discussion: section 47 enquiry to start",
                 discussion.reason, chair, discussion, "overview", significant=True)
        # The enquiry starts within the episode, even one that closes the day of the discussion (8565).
        started = held if story.random() < 0.75 else min(b.wd(held, 1), b.today, max(held, self.limit))
        if result == "open":
            completed = None
        else:
            completed = b.wd(started, story.randint(4, 12))
            if completed > self.limit:
                completed = max(started, self.limit)
            if completed > b.today:
                completed = None
        outcome: str
        if result == "cp":
            outcome = Section47Enquiry.Outcome.SUBSTANTIATED_AT_RISK
        elif completed is None:
            outcome = ""
        else:
            outcome = (Section47Enquiry.Outcome.NOT_SUBSTANTIATED if story.random() < 0.55
                       else Section47Enquiry.Outcome.SUBSTANTIATED_NO_RISK)
        s47 = new(Section47Enquiry, local_authority=b.la, child=person, episode=self.episode,
                  strategy_discussion=discussion, started_on=started, completed_on=completed, outcome=outcome,
                  icpc_required=(outcome == Section47Enquiry.Outcome.SUBSTANTIATED_AT_RISK) if outcome else None,
                  findings=self.words(text.S47_FINDINGS[outcome]) if outcome else "")
        b.s47.append(s47)
        b.summary.section47 += 1
        worker = self.worker(started)
        b._event(person, started, EventType.S47, "Section 47 enquiry started", "", worker, s47, "s47",
                 significant=True)
        if completed is not None:
            b._event(person, completed, EventType.S47, "Section 47 enquiry completed",
                     Section47Enquiry.Outcome(outcome).label, worker, s47, "s47")
            b._oversee(DecisionPoint.S47_OUTCOME, s47, person, self.manager(completed), completed)
            if outcome != Section47Enquiry.Outcome.SUBSTANTIATED_AT_RISK:
                b._clock(self.kid, "icpc", held, s47, worker, cancelled=True)
        elif result != "cp":
            b._clock(self.kid, "icpc", held, s47, self.current_worker())
        return s47

    # Child protection ------------------------------------------------------------------------

    def child_protection(self, front_door_strategy: bool, transfer_in: bool, previous_plans: int,
                         *, until: date | None = None, end_reason: str = "") -> int:
        """A strategy discussion through to a plan (or a transfer-in conference), its life and its end."""
        b, story = self.b, self.story
        start, limit, today = self.ep.start, until or self.limit, b.today
        # When the plan starts (the conference) and how long it runs.
        reviews = REVIEWS(story)
        if not self.open and until is None and (limit - start).days > LONG_PLAN_DAYS and story.random() < 0.6:
            reviews = 5
        natural_length = 91 + 183 * (reviews - 1)
        if self.open and until is None:
            age = story.randint(0, natural_length)
            icpc_day = b.on_wd(today - timedelta(days=age))
        else:
            icpc_day = b.wd(start, story.randint(15, 40))
        earliest = b.wd(start, 8 if not front_door_strategy else 5)
        if icpc_day < earliest:
            icpc_day = earliest
        # How the child reached the conference: a strategy discussion 6-15 working days before (most).
        gap = story.randint(6, 15) if story.random() < b.chance(icpc_day, CONFERENCE_IN_TIME) \
            else story.randint(16, 28)
        held = b.back_wd(icpc_day, gap)
        if held < start:
            held = b.on_wd(start, forward=True)
            icpc_day = b.wd(held, gap)
        if icpc_day > min(limit, today):
            # No room for a plan: the enquiry is under way (open) or ended without one (closed).
            if self.open and until is None:
                self.run("s47_open", front_door_strategy, False, previous_plans)
            else:
                self.run("s47", front_door_strategy, False, previous_plans)
            return 0
        if transfer_in:
            conference = self.transfer_in(icpc_day)
        else:
            if (held - start).days > 60 and not front_door_strategy:
                # An assessment and a CIN plan came first; concerns escalated.
                a = self.assessment(start, close_by=held, outcome_if_done=Assessment.Outcome.CIN_PLAN)
                plan_start = (a.authorised_on if a and a.authorised_on else start) + timedelta(days=2)
                if plan_start < icpc_day - timedelta(days=14):
                    self.cin_plan(plan_start, icpc_day - ONE_DAY, end_reason=CINPlan.EndReason.STEPPED_UP_CP)
            elif not front_door_strategy:
                self.assessment(start, close_by=held, stop_early=True,
                                outcome_if_done=Assessment.Outcome.STRATEGY_DISCUSSION)
            s47 = self.strategy_and_s47(held, result="cp")
            assert s47 is not None
            s47.completed_on = min(max(s47.started_on, b.back_wd(icpc_day, story.randint(0, 3))), icpc_day)
            earlier = self.last_assessment
            conference = self.initial_conference(held, icpc_day, s47)
            if front_door_strategy or (earlier is not None and earlier.authorised_on is not None
                                       and census_year(earlier.authorised_on) < census_year(s47.started_on)):
                # The enquiry is carried out through an assessment alongside it, in its own census year (2991Q).
                self.assessment(s47.started_on, close_by=icpc_day, outcome_if_done=Assessment.Outcome.CONTINUE_EXISTING)
            if conference.outcome == ChildProtectionConference.Outcome.NO_PLAN:
                after = icpc_day + timedelta(days=story.randint(1, 7))
                if after <= limit:
                    self.cin_plan(after, None if self.open and until is None else limit)
                self.close_after_plan()
                return 0
        plan = self.cp_plan(conference, conference.held_on, previous_plans, natural_length, until=until,
                            end_reason=end_reason)
        if plan.ended_on is not None and until is None:
            if plan.end_reason == ChildProtectionPlan.EndReason.STEP_DOWN_CIN and plan.ended_on + ONE_DAY <= limit:
                self.cin_plan(plan.ended_on + ONE_DAY, None if self.open else limit)
                self.close_after_plan()
            else:
                self.close(ClosureReason.SERVICES_CEASED if plan.end_reason != "transferred"
                           else ClosureReason.TRANSFERRED_LA)
        return 1

    def initial_conference(self, held: date, day: date, s47: Section47Enquiry) -> ChildProtectionConference:
        b, rng, story = self.b, self.rng, self.story
        person = self.kid.person
        outcome = (ChildProtectionConference.Outcome.PLAN if story.random() < 0.9
                   else ChildProtectionConference.Outcome.NO_PLAN)
        category = b._categories(story) if outcome == ChildProtectionConference.Outcome.PLAN else ""
        if self.maybe_plant(PlantedError.Kind.ICPC_ON_WEEKEND):
            moved = day + timedelta(days=(5 - day.weekday()) % 7 or 7)
            if moved <= min(self.limit, b.today):
                b.plant(self.kid, PlantedError.Kind.ICPC_ON_WEEKEND,
                        f"Initial conference recorded on Saturday {moved} (held {day})", s47)
                day = moved
        conference = new(
            ChildProtectionConference, local_authority=b.la, child=person, episode=self.episode,
            kind=ChildProtectionConference.Kind.INITIAL, section47=s47, held_on=day, chair=rng.choice(b.staff.chairs),
            attendees="Parents; social worker; police; health visitor or school nurse; school",
            outcome=outcome, category=category,
            summary_of_concerns=self.words(rng.choice(text.CONFERENCE_CONCERNS)),
            decisions_and_reasons="The child is likely to suffer significant harm; a child protection plan is needed."
            if outcome == ChildProtectionConference.Outcome.PLAN else
            "Threshold for a plan not met; support under a child in need plan.",
            family_summary=self.words(rng.choice(text.FAMILY_SUMMARY)),
        )
        b.conferences.append(conference)
        b.summary.icpc += 1
        in_time = day <= b.due("icpc", held)
        b.summary.icpc_within_15 += in_time
        b._clock(self.kid, "icpc", held, s47, self.worker(held), stopped=day,
                 reason="" if in_time else "No chair available within 15 working days")
        b._event(person, day, EventType.CONFERENCE, "Initial child protection conference",
                 ChildProtectionConference.Outcome(outcome).label + (f": {CategoryOfAbuse(category).label.lower()}"
                                                                     if category else ""),
                 conference.chair, conference, "conference", significant=True)
        return conference

    def transfer_in(self, day: date) -> ChildProtectionConference:
        b, rng = self.b, self.rng
        self.beyond_assessment = True
        notified = b.back_wd(day, rng.randint(5, 18))
        if notified < self.ep.start:
            notified = self.ep.start
        conference = new(
            ChildProtectionConference, local_authority=b.la, child=self.kid.person, episode=self.episode,
            kind=ChildProtectionConference.Kind.TRANSFER_IN, notified_on=notified,
            previous_authority=rng.choice(["Derbyshire County Council", "Leicester City Council",
                                           "Lincolnshire County Council", "Sheffield City Council"]),
            held_on=day, chair=rng.choice(b.staff.chairs), attendees="Parents; social workers from both councils",
            outcome=ChildProtectionConference.Outcome.PLAN, category=b._categories(self.story),
            summary_of_concerns=self.words(rng.choice(text.CONFERENCE_CONCERNS)),
            decisions_and_reasons="The plan made by the previous council continues here.",
            family_summary=self.words(rng.choice(text.FAMILY_SUMMARY)),
        )
        b.conferences.append(conference)
        notice = new(TransferInNotice, local_authority=b.la, child=self.kid.person, episode=self.episode,
                     notified_on=notified, previous_authority=conference.previous_authority, conference=conference)
        b.notices.append(notice)
        b.summary.icpc += 1
        b._clock(self.kid, "transfer_in_conference", notified, notice, self.worker(notified), stopped=day)
        b._event(self.kid.person, notified, EventType.PLAN, "Moved here on another council's child protection plan",
                 f"Previous council: {notice.previous_authority}", self.worker(notified), notice, "overview",
                 significant=True)
        b._event(self.kid.person, day, EventType.CONFERENCE, "Transfer-in child protection conference",
                 f"From {conference.previous_authority}", conference.chair, conference, "conference",
                 significant=True)
        return conference

    def cp_plan(self, conference: ChildProtectionConference, day: date, previous_plans: int, length: int, *,
                until: date | None = None, end_reason: str = "") -> ChildProtectionPlan:
        b, rng, story = self.b, self.rng, self.story
        person = self.kid.person
        today = b.today
        transfer = conference.kind == ChildProtectionConference.Kind.TRANSFER_IN
        earlier = previous_plans + b.plan_before_records(day)
        previous = earlier + (1 if transfer and earlier == 0 else 0)
        category = conference.category or CategoryOfAbuse.NEGLECT
        start = day
        if self.maybe_plant(PlantedError.Kind.PLAN_START_NOT_CONFERENCE):
            start = day + timedelta(days=rng.randint(1, 6))
            if start <= min(self.limit, today):
                b.plant(self.kid, PlantedError.Kind.PLAN_START_NOT_CONFERENCE,
                        f"Plan starts {start}; the conference was on {day}", conference)
            else:
                start = day
        plan = new(ChildProtectionPlan, local_authority=b.la, child=person, episode=self.episode, started_on=start,
                   initial_category=category, latest_category=category, previous_plans=previous,
                   outline_plan=self.words(rng.choice(text.OUTLINE_PLAN)),
                   family_summary=self.words(rng.choice(text.FAMILY_SUMMARY)))
        conference.cp_plan = plan
        b.cp_plans.append(plan)
        b.summary.cp_plans += 1
        b.summary.cp_plans_repeat += previous > 0
        b._event(person, start, EventType.PLAN, "Child protection plan started" + (
            " (second or subsequent plan)" if previous else ""), f"Category: {CategoryOfAbuse(category).label}",
            conference.chair, plan, "cp_plan", significant=True)
        b._oversee(DecisionPoint.CP_PLAN_START, plan, person, self.manager(start), start)
        # Review conferences: the first within 3 months, then at most 6 months apart.
        hard_end = min(until or self.limit, today) if (until or not self.open) else today
        ends_with_plan = not self.open or until is not None
        previous_conf, rule, reviews_left, end_day = day, "rcpc_first", None, None
        natural_end = day + timedelta(days=length)
        review_days: list[date] = []
        while True:
            due_on = b.due(rule, previous_conf)
            if rng.random() < 0.88:
                held = b.on_wd(due_on - timedelta(days=rng.randint(0, 12)))
            else:
                held = b.on_wd(due_on + timedelta(days=rng.randint(1, 30)), forward=True)
            if held <= previous_conf:
                held = b.wd(previous_conf, 1)
            last_review = ends_with_plan and until is None and (held >= natural_end - timedelta(days=20)
                                                                or held > hard_end)
            if held > hard_end:
                if ends_with_plan and until is None and review_days == [] and hard_end > day:
                    held = hard_end if is_working_day(hard_end, b.holidays) else b.on_wd(hard_end)
                    if held <= previous_conf:
                        break
                else:
                    if not ends_with_plan:
                        b._clock(self.kid, rule, previous_conf, plan, self.current_worker())
                    else:
                        b._clock(self.kid, rule, previous_conf, plan, self.worker(previous_conf), cancelled=True)
                    break
            ends = last_review and ends_with_plan and until is None
            review = new(ChildProtectionConference, local_authority=b.la, child=person, episode=self.episode,
                         kind=ChildProtectionConference.Kind.REVIEW, cp_plan=plan, held_on=held,
                         chair=conference.chair, attendees="Parents; social worker; core group members",
                         outcome=(ChildProtectionConference.Outcome.PLAN_ENDS if ends else
                                  ChildProtectionConference.Outcome.PLAN_CONTINUES),
                         category=category, summary_of_concerns=self.words(rng.choice(text.CONFERENCE_CONCERNS)),
                         decisions_and_reasons="Risk reduced and sustained; the plan ends." if ends else
                         "Progress made but risks remain; the plan continues.",
                         family_summary=self.words(rng.choice(text.FAMILY_SUMMARY)))
            b.conferences.append(review)
            b._clock(self.kid, rule, previous_conf, plan, self.worker(previous_conf), stopped=held,
                     reason="Conference rearranged: chair unavailable")
            b._event(person, held, EventType.CONFERENCE, "Review child protection conference",
                     ChildProtectionConference.Outcome(review.outcome).label, conference.chair, review, "conference")
            review_days.append(held)
            previous_conf, rule = held, "rcpc_next"
            if ends:
                end_day = held
                break
        del reviews_left
        if until is not None:
            end_day = until
        elif end_day is None and ends_with_plan:
            end_day = hard_end
        if end_day is not None and end_day < start:
            end_day = start
        # Core groups and visits while the plan runs.
        stop = end_day if end_day is not None else today
        self.core_groups(plan, day, stop, open_at_end=end_day is None)
        self.visits(plan, day, stop, open_at_end=end_day is None)
        if end_day is not None:
            plan.ended_on = end_day
            plan.end_reason = end_reason or story.choices(
                [ChildProtectionPlan.EndReason.STEP_DOWN_CIN, ChildProtectionPlan.EndReason.STEP_DOWN_EARLY_HELP,
                 ChildProtectionPlan.EndReason.NO_FURTHER_ACTION, ChildProtectionPlan.EndReason.TRANSFERRED],
                [0.72, 0.12, 0.12, 0.04])[0]
            b._event(person, end_day, EventType.PLAN, "Child protection plan ended",
                     ChildProtectionPlan.EndReason(plan.end_reason).label, self.worker(end_day), plan, "cp_plan",
                     significant=True)
            b._oversee(DecisionPoint.CP_PLAN_END, plan, person, self.manager(end_day), end_day)
        else:
            b.summary.cp_plans_open += 1
        return plan

    def core_groups(self, plan: ChildProtectionPlan, day: date, stop: date, *, open_at_end: bool) -> None:
        b, rng = self.b, self.rng
        previous, rule = day, "core_group_first"
        while True:
            if rule == "core_group_first":
                held = b.wd(day, rng.randint(3, 10) if rng.random() < 0.86 else rng.randint(11, 20))
            else:
                held = b.on_wd(previous + timedelta(days=rng.randint(21, 28) if rng.random() < 0.78
                                                    else rng.randint(29, 45)), forward=True)
            if held > stop:
                if open_at_end:
                    b._clock(self.kid, rule, previous, plan, self.current_worker())
                else:
                    b._clock(self.kid, rule, previous, plan, self.worker(previous), cancelled=True)
                return
            meeting = new(CoreGroupMeeting, local_authority=b.la, cp_plan=plan, held_on=held,
                          attendees="Parents; social worker; school; health visitor",
                          progress=self.words(rng.choice(text.CORE_GROUP)))
            b.core_groups.append(meeting)
            b._clock(self.kid, rule, previous, plan, self.worker(previous), stopped=held)
            b._event(self.kid.person, held, EventType.REVIEW, "Core group meeting", meeting.progress,
                     self.worker(held), meeting, "cp_plan", linked=plan)
            previous, rule = held, "core_group_next"

    def visits(self, plan: ChildProtectionPlan, day: date, stop: date, *, open_at_end: bool) -> None:
        b, rng = self.b, self.rng
        person = self.kid.person
        # The clock runs from the last visit where the child was seen; a visit without seeing them is
        # followed up within days.
        clock_from = last = day
        missed_last = False
        while True:
            if missed_last:
                gap = rng.randint(1, 4)
            else:
                gap = rng.randint(5, 10) if rng.random() < 0.82 else rng.randint(11, 22)
            visited = b.wd(last, gap)
            if visited > stop:
                if open_at_end:
                    b._clock(self.kid, "cp_visit", clock_from, plan, self.current_worker())
                else:
                    b._clock(self.kid, "cp_visit", clock_from, plan, self.worker(clock_from), cancelled=True)
                return
            seen = rng.random() < 0.95
            worker = self.worker(visited)
            visit = new(CPVisit, local_authority=b.la, cp_plan=plan, child=person, visited_on=visited,
                        child_seen=seen, child_seen_alone=seen and self._age(visited) >= 4 and rng.random() < 0.65,
                        visited_by=worker, observations=self.words(rng.choice(text.VISIT)))
            b.visits.append(visit)
            if seen:
                b._clock(self.kid, "cp_visit", clock_from, plan, worker, stopped=visited,
                         reason="Family not at home at the first attempt")
                clock_from = visited
            b._event(person, visited, EventType.VISIT, "Child protection visit" + (
                ": child seen alone" if visit.child_seen_alone else ": child seen" if seen else ": child not seen"),
                visit.observations, worker, visit, "cp_plan", linked=plan)
            last, missed_last = visited, not seen

    # Children in care -------------------------------------------------------------------------

    def looked_after(self, previous_plans: int) -> int:
        """Assessed, perhaps on a plan first, then looked after from the day ``care`` planned; the referral closes
        for the reason the period of care ended (adopted, special guardianship, and so on)."""
        story = self.story
        start = self.ep.start
        care_from = next((s.start for s in self.ep.spans if s.team.kind == Kind.CHILDREN_IN_CARE), start)
        care = self.b.care
        if care is not None:
            care_from = care.care_from(self.kid, start) or care_from
        plans = 0
        if (care_from - start).days > 150 and story.random() < 0.5:
            plans = self.child_protection(False, False, previous_plans, until=care_from,
                                          end_reason=ChildProtectionPlan.EndReason.LOOKED_AFTER)
        else:
            self.assessment(start, close_by=max(start, care_from), outcome_if_done=Assessment.Outcome.LOOKED_AFTER)
        if not self.open:
            reason = care.closure_reason(self.kid, start) if care is not None else None
            if reason is not None:
                self.close(reason)
            elif self.ep.care_leaver:
                self.close(ClosureReason.SERVICES_CEASED)
            else:
                roll = story.random()
                young = self._age(self.limit) < 6
                self.close(ClosureReason.ADOPTED if young and roll < 0.25 else
                           ClosureReason.SPECIAL_GUARDIANSHIP if roll < 0.45 else
                           ClosureReason.CHILD_ARRANGEMENTS if roll < 0.55 else ClosureReason.SERVICES_CEASED)
        return plans
