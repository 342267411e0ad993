"""The synthetic council's establishment and five years of HR record, shaped like Nottingham's workforce story:
churn that peaked in 2022 (turnover about 26%, one social worker in five from an agency, one post in five
vacant) and has since come down close to England's (turnover 11 to 12.5%, agency and vacancy rates about 10%),
with sickness absence about 5% a year and a bad 2025 (6.9%). Figures are DfE's, for 30 September of each year
(indicators.md §5); ``hearth.workforce.measures`` computes them back from what is written here.

How the history is made. Every job a member of staff holds today is a post. A social work post is a *slot*
with a history: working back from today, each slot's current holder was preceded by a vacancy (sometimes
covered by an agency worker) and, before that, by a worker who left, who was preceded by a vacancy, and so on
back beyond the five years. Leaving dates are drawn year by year to the turnover wanted (``TURNOVER``: leavers'
FTE in the twelve months to 30 September over the FTE in post on it), and each is given to the slot whose next
holder's start leaves a vacancy of about the length drawn. Long-serving staff (started more than five years
ago, and not demo logins) are the slack: when a leaving date needs a slot, one of them is taken to have
started after it, and their start date moves (``User.started_on`` always being the start of the worker's
current appointment, as ``hearth.workforce.services`` keeps it). Staff who started in the last five years keep
their start dates. Agency workers cover some vacancies and some work over establishment, enough to give the
agency rate of each year (``AGENCY``). Sickness is drawn year by year to the absence rate (``ABSENCE``).

Today: the council's agency workers are partly converted to employees (Nottingham's story), partly covering
vacant posts and partly over establishment; extra vacant posts bring the vacancy rate to about 11%. The
temporarily funded improvements (missing from home advocates, three extra personal advisers, three extra team
managers: 18 months each from the improvement reserve, ending at staggered dates over the next year) and two
grant-funded posts are new posts with new workers. Apprentices hold apprentice posts outside the census.
"""

from __future__ import annotations

import bisect
import itertools
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from dateutil.relativedelta import relativedelta
from django.db.models import Count, Q

from hearth.accounts.models import Team, User
from hearth.accounts.roles import Role
from hearth.allocations.models import Allocation
from hearth.clocks.models import holiday_set
from hearth.clocks.working_days import add_working_days, is_working_day, working_days_between
from hearth.workforce.models import Absence, Appointment, Post, PostFunding

from .bulk import new
from .programme import FINANCE_OFFICER, IMPROVEMENT_MANAGER

if TYPE_CHECKING:
    import random

    from .finance import Funds
    from .programme import Programme

EmploymentType = Appointment.EmploymentType
OrgRole = Appointment.OrgRole
Kind = Post.Kind

# Each census year, oldest first, ending with the latest 30 September (per cent; Nottingham's published figures
# for 2022 to 2025, and where the plan says 2026 lands).
TURNOVER = (26.0, 22.0, 18.0, 12.5, 11.0)
AGENCY = (19.0, 17.0, 15.5, 10.4, 10.0)
VACANCY = (19.8, 21.2, 17.6, 11.1, 11.0)
ABSENCE = (5.2, 4.7, 4.3, 6.9, 5.0)
YEARS = len(TURNOVER)
# The year before the first (Nottingham 2021): leavers then leave vacancies that are still open in 2022.
TURNOVER_BEFORE = 11.4
# Of agency FTE, the share in vacant posts (Nottingham 2025: 62.7%); the rest work over establishment.
AGENCY_IN_POSTS = 0.63
# A long-serving worker's start may move to no later than this many days before today (so a year of
# supervision already seeded for them still falls after it).
FLEXIBLE_LATEST = 400
# Passes at the plan (see WorkforceBuilder.build).
PASSES = 5
WORKING_DAYS = 253
# Vacancies: the share of leavers' posts left vacant for long (GAP_LONG days), by the year they left in; and the
# share of vacancies an agency worker covers, by the year the vacancy began.
GAP_LONG_SHARE = (0.62, 0.6, 0.66, 0.7, 0.4)
GAP_LONG = (300, 820)
AGENCY_COVER = (0.75, 0.72, 0.68, 0.6, 0.55)


@dataclass(frozen=True)
class Job:
    kind: str
    title: str
    grade: str
    cost: int  # full-time employer cost a year, with on-costs
    org_role: str  # CSWW OrgRole; "" outside child and family social work
    social_work_post: bool


JOBS: dict[str, Job] = {
    Role.SOCIAL_WORKER: Job(Kind.SOCIAL_WORKER, "Social worker", "Grade 8", 52_000, OrgRole.CASE_HOLDER, True),
    Role.SENIOR_PRACTITIONER: Job(Kind.SENIOR_PRACTITIONER, "Senior practitioner", "Grade 9", 58_000,
                                  OrgRole.SENIOR_PRACTITIONER, True),
    Role.TEAM_MANAGER: Job(Kind.TEAM_MANAGER, "Team manager", "Grade 10", 66_000, OrgRole.FIRST_LINE_MANAGER, True),
    Role.SERVICE_MANAGER: Job(Kind.SERVICE_MANAGER, "Service manager", "Grade 12", 88_000, OrgRole.MIDDLE_MANAGER,
                              True),
    Role.DIRECTOR: Job(Kind.OTHER, "Director of children's services", "Chief officer", 148_000,
                       OrgRole.SENIOR_MANAGER, True),
    Role.IRO: Job(Kind.IRO, "Independent reviewing officer", "Grade 10", 62_000, OrgRole.QUALIFIED_WITHOUT_CASES,
                  True),
    Role.FOSTERING_WORKER: Job(Kind.SOCIAL_WORKER, "Fostering social worker", "Grade 8", 52_000,
                               OrgRole.QUALIFIED_WITHOUT_CASES, True),
    # Personal advisers and advocates need not be registered social workers: outside the census.
    Role.PERSONAL_ADVISER: Job(Kind.PERSONAL_ADVISER, "Personal adviser", "Grade 6", 38_000, "", False),
    Role.MISSING_ADVOCATE: Job(Kind.MISSING_ADVOCATE, "Missing from home advocate", "Grade 5", 34_000, "", False),
    Role.EXPLOITATION_LEAD: Job(Kind.OTHER, "Exploitation lead", "Grade 10", 62_000, "", False),
    Role.EDUCATION_OFFICER: Job(Kind.OTHER, "Education welfare officer", "Grade 6", 38_000, "", False),
    Role.BUSINESS_SUPPORT: Job(Kind.BUSINESS_SUPPORT, "Business support officer", "Grade 3", 28_000, "", False),
    Role.PERFORMANCE_ANALYST: Job(Kind.QUALITY_ASSURANCE, "Performance analyst", "Grade 8", 47_000, "", False),
    Role.IMPROVEMENT_MANAGER: Job(Kind.QUALITY_ASSURANCE, "Inspection and improvement manager", "Grade 11", 72_000,
                                  "", False),
    Role.FINANCE_OFFICER: Job(Kind.OTHER, "Finance business partner, children's services", "Grade 10", 62_000, "",
                              False),
    Role.SYSTEM_ADMIN: Job(Kind.OTHER, "Systems administrator", "Grade 7", 44_000, "", False),
}
APPRENTICE_JOB = Job(Kind.APPRENTICE, "Social work apprentice", "Grade 5", 31_000, "", False)
# How readily each kind of social work post turns over when a leaving date looks for a slot.
CHURN: dict[str, float] = {Kind.SOCIAL_WORKER: 1.0, Kind.SENIOR_PRACTITIONER: 0.6, Kind.TEAM_MANAGER: 0.45,
                           Kind.IRO: 0.45, Kind.SERVICE_MANAGER: 0.2, Kind.OTHER: 0.0}
CASE_TEAM_KINDS = (Team.Kind.FRONT_DOOR, Team.Kind.ASSESSMENT, Team.Kind.SAFEGUARDING, Team.Kind.CHILDREN_IN_CARE,
                   Team.Kind.DISABLED_CHILDREN, Team.Kind.EXPLOITATION)
REASONS = [(Appointment.ReasonLeave.RESIGNATION, 0.7), (Appointment.ReasonLeave.RETIRED, 0.08),
           (Appointment.ReasonLeave.DISMISSED, 0.03), (Appointment.ReasonLeave.VOLUNTARY_REDUNDANCY, 0.02),
           (Appointment.ReasonLeave.OTHER, 0.07), (Appointment.ReasonLeave.NOT_KNOWN, 0.1)]
DESTINATIONS = [(Appointment.LeaverDestination.OTHER_LA, 0.34), (Appointment.LeaverDestination.AGENCY, 0.22),
                (Appointment.LeaverDestination.OTHER_SOCIAL_WORK, 0.1),
                (Appointment.LeaverDestination.OTHER_SOCIAL_CARE, 0.06),
                (Appointment.LeaverDestination.NON_SOCIAL_CARE, 0.08),
                (Appointment.LeaverDestination.OUTSIDE_ENGLAND, 0.03), (Appointment.LeaverDestination.OTHER, 0.04),
                (Appointment.LeaverDestination.NOT_KNOWN, 0.13)]
ORIGINS = [(Appointment.StartOrigin.NEWLY_QUALIFIED, 0.3), (Appointment.StartOrigin.OTHER_LA, 0.35),
           (Appointment.StartOrigin.AGENCY, 0.15), (Appointment.StartOrigin.OTHER_SOCIAL_WORK, 0.08),
           (Appointment.StartOrigin.OUTSIDE_ENGLAND, 0.04), (Appointment.StartOrigin.OTHER_SOCIAL_CARE, 0.04),
           (Appointment.StartOrigin.NOT_KNOWN, 0.04)]


def _pick(rng: random.Random, weighted: Sequence[tuple[str, float]]) -> str:
    return str(rng.choices([v for v, _ in weighted], [w for _, w in weighted])[0])


def census_day(year: int) -> date:
    return date(year, 9, 30)


def census_years(today: date) -> list[int]:
    """The five census years whose 30 September has passed, oldest first."""
    latest = today.year if today >= census_day(today.year) else today.year - 1
    return list(range(latest - YEARS + 1, latest + 1))


# The plan: who held which post when -------------------------------------------------------------------------

@dataclass(eq=False)
class Seg:
    """One appointment. ``worker`` None: a worker this seed makes (a leaver, a past agency worker)."""

    worker: User | None
    employment: str
    start: date
    end: date | None = None  # the last day
    left: bool = False
    origin: str = ""
    reason: str = ""
    destination: str = ""
    role: str = ""  # the User role of a new worker
    org_role: str | None = None  # None: the post's
    fte: Decimal | None = None  # None: the post's
    title: str = ""
    team: Team | None = None  # for a worker in no post

    def on(self, day: date) -> bool:
        """In post on ``day``: begun, and not on or past the last day (a leaver is not in post on it)."""
        return self.start <= day and (self.end is None or self.end > day)


@dataclass(eq=False)
class Slot:
    """A post and everyone who has held it, newest first while planning."""

    job: Job
    team: Team | None
    fte: Decimal
    title: str
    role: str
    segs: list[Seg] = field(default_factory=list)
    # The start of the earliest holder so far (None: a long-serving holder whose start is still free).
    frontier: date | None = None
    flexible: User | None = None
    max_gap: int = 400
    closed: bool = True
    established_on: date | None = None
    ended_on: date | None = None  # a post taken off the establishment (in a restructure) after its holder left
    funding: list[tuple[str, date, date | None, object | None, str]] = field(default_factory=list)
    serves: list[str] = field(default_factory=list)
    purpose: str = ""
    sort_key: tuple = ()
    post: Post | None = None

    @property
    def social_work(self) -> bool:
        return self.job.social_work_post


@dataclass
class Figures:
    """A census year as planned (FTE), to check the plan against the targets."""

    year: int
    in_post: float
    leavers: float
    agency: float
    vacancies: float
    days_lost: float = 0.0

    @property
    def turnover(self) -> float:
        return 100 * self.leavers / self.in_post if self.in_post else 0.0

    @property
    def agency_rate(self) -> float:
        return 100 * self.agency / (self.agency + self.in_post) if self.in_post else 0.0

    @property
    def vacancy_rate(self) -> float:
        return 100 * self.vacancies / (self.vacancies + self.in_post) if self.in_post else 0.0

    @property
    def absence(self) -> float:
        return 100 * self.days_lost / (self.in_post * WORKING_DAYS) if self.in_post else 0.0


@dataclass
class Apprenticeship:
    cohort_start: date
    user: User
    slot: Slot
    status: str
    left_on: date | None = None  # withdrawn: the last day


@dataclass
class Staff:
    """What the rest of the journey needs from the workforce."""

    users: list[User]  # everyone in post today, by username
    by_username: dict[str, User]
    leadership: Team | None
    slots: list[Slot]
    funded: list[Slot]  # the temporarily funded posts (reserve)
    grant_posts: list[Slot]
    vacant_posts: list[Slot]
    apprentices: list[Apprenticeship]
    figures: list[Figures]
    absences: list[Absence] = field(default_factory=list)


class WorkforceBuilder:
    def __init__(self, programme: Programme, funds: Funds):
        self.p = programme
        self.funds = funds
        self.la, self.today = programme.la, programme.today
        self.years = census_years(self.today)
        self.census = [census_day(y) for y in self.years]
        self.window = self.census[0] - relativedelta(years=1) + timedelta(days=1)
        self.fake = programme.faker("workforce")
        self.holidays = holiday_set()
        self.read()

    # ------------------------------------------------------------------------------------------ reading

    def read(self) -> None:
        la = self.la
        self.staff = list(User.objects.filter(local_authority=la, is_active=True)
                          .exclude(role=Role.PARTNER_REFERRER).exclude(employment_type=User.EmploymentType.EXTERNAL)
                          .select_related("team").order_by("username"))
        self.teams = list(Team.objects.filter(local_authority=la).order_by("name"))
        self.usernames = set(User.objects.filter(local_authority=la).values_list("username", flat=True))
        self.swe_numbers = set(User.objects.filter(local_authority=la).exclude(social_work_england_number="")
                               .values_list("social_work_england_number", flat=True))
        holders = (Allocation.objects.filter(local_authority=la, kind=Allocation.Kind.SOCIAL_WORKER,
                                             worker__isnull=False, started_on__lte=self.today)
                   .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=self.today))
                   .values("worker_id").annotate(n=Count("child_id", distinct=True)))
        self.cases = {row["worker_id"]: row["n"] for row in holders}
        self.leadership = next((t for t in self.teams if t.kind == Team.Kind.LEADERSHIP), None)
        demo = next((u for u in self.staff if u.username == "sw.demo"), None)
        self.demo_team_id = demo.team_id if demo else None

    def case_teams(self, *kinds: str) -> list[Team]:
        wanted = kinds or CASE_TEAM_KINDS
        return [t for t in self.teams if t.kind in wanted and t.closed_on is None]

    # ------------------------------------------------------------------------------------------ new people

    def new_user(self, *, role: str, team: Team | None, employment: str, fte: Decimal, started_on: date | None,
                 left_on: date | None = None, title: str = "", username: str | None = None,
                 registered: bool | None = None) -> User:
        """A member of staff this seed makes (names from its own Faker, never a real person)."""
        fake, rng = self.fake, self.name_rng
        first, last = fake.first_name(), fake.last_name()
        if username is None:
            stem = f"{first}.{last}".lower().replace("'", "").replace(" ", "-")
            username = f"{stem}.{rng.randint(100, 999)}"
            while username in self.usernames:
                username = f"{stem}.{rng.randint(100, 9999)}"
        self.usernames.add(username)
        user = User(local_authority=self.la, username=username, first_name=first, last_name=last,
                    email=f"{username}@example.invalid", role=role, team=team,
                    job_title=title or JOBS.get(role, APPRENTICE_JOB).title, employment_type=employment,
                    fte=fte, started_on=started_on, left_on=left_on, is_active=left_on is None)
        if registered is None:
            registered = bool(JOBS.get(role, APPRENTICE_JOB).org_role)
        if registered:
            number = f"SW{rng.randint(1_000_000, 9_999_999)}"
            while number in self.swe_numbers:
                number = f"SW{rng.randint(1_000_000, 9_999_999)}"
            self.swe_numbers.add(number)
            user.social_work_england_number = number
        user.set_unusable_password()
        self.p.new_users[username] = user
        return user

    # ------------------------------------------------------------------------------------------ today

    def job_of(self, user: User) -> Job:
        job = JOBS.get(user.role, JOBS[Role.SYSTEM_ADMIN])
        if user.role == Role.SOCIAL_WORKER and not self.cases.get(user.pk):
            job = Job(job.kind, job.title, job.grade, job.cost, OrgRole.QUALIFIED_WITHOUT_CASES, True)
        return job

    def base_slots(self, rng: random.Random) -> tuple[list[Slot], list[Seg]]:
        """Every job held today, as a slot, and the agency workers in no post. The same for every pass."""
        slots: list[Slot] = []
        over: list[Seg] = []
        agency = [u for u in self.staff if u.employment_type == User.EmploymentType.AGENCY]
        employed_fte = sum((u.fte for u in self.staff if u.employment_type != User.EmploymentType.AGENCY
                            and self.job_of(u).org_role), Decimal(0))
        agency_fte = sum((u.fte for u in agency), Decimal(0))
        wanted_agency = employed_fte * Decimal(AGENCY[-1] / (100 - AGENCY[-1]))
        rng.shuffle(agency)
        convert: list[User] = []
        while agency and agency_fte - agency[0].fte >= wanted_agency and len(convert) < len(agency) // 2:
            user = agency.pop(0)
            convert.append(user)
            agency_fte -= user.fte
        self.converted = {u.pk: u for u in convert}
        in_posts = round(len(agency) * AGENCY_IN_POSTS)
        placed = {u.pk for u in agency[:in_posts]}
        for user in self.staff:
            job = self.job_of(user)
            slot = Slot(job=job, team=user.team, fte=user.fte, title=self.title_of(user, job), role=user.role,
                        sort_key=(user.team.name if user.team else "~", job.title, user.username))
            # The demo social workers keep their start dates (their supervision and caseload are shown in demos).
            demo = user.username in ("sw.demo", "sw.totp")
            if user.pk in self.converted:
                span = (self.today - timedelta(days=20) - max(user.started_on or self.today,
                                                              self.today - timedelta(days=300))).days
                converted_on = self.today - timedelta(days=20 + rng.randint(0, max(0, span - 60)))
                slot.segs = [Seg(user, EmploymentType.PERMANENT, converted_on, origin=Appointment.StartOrigin.AGENCY),
                             Seg(user, EmploymentType.AGENCY, user.started_on or converted_on,
                                 end=converted_on - timedelta(days=1))]
                slot.frontier, slot.max_gap, slot.closed = slot.segs[-1].start, 150, False
            elif user.employment_type == User.EmploymentType.AGENCY:
                seg = Seg(user, EmploymentType.AGENCY, user.started_on or self.today)
                if user.pk not in placed:
                    seg.org_role, seg.fte, seg.team = job.org_role, user.fte, user.team
                    over.append(seg)
                    continue
                slot.segs = [seg]
                slot.frontier, slot.max_gap, slot.closed = seg.start, 150, False
            else:
                start = user.started_on or self.window - timedelta(days=3650)
                origin = ""
                if start >= self.window:
                    origin = _pick(rng, ORIGINS)
                slot.segs = [Seg(user, EmploymentType.PERMANENT, start, origin=origin)]
                if job.org_role and job.kind != Kind.OTHER and not demo and start < self.window:
                    slot.flexible, slot.frontier, slot.closed = user, None, False
                elif job.org_role and start >= self.window:
                    slot.frontier, slot.max_gap, slot.closed = start, 700, False
            slots.append(slot)
        teams = self.case_teams()
        # A council with fewer agency workers than the rate wanted today takes on more, most in vacant posts.
        for i in range(max(0, round(float(wanted_agency - agency_fte)))):
            team = teams[rng.randrange(len(teams))] if teams else None
            seg = Seg(None, EmploymentType.AGENCY, self.today - timedelta(days=rng.randint(30, 420)),
                      role=Role.SOCIAL_WORKER, org_role=OrgRole.QUALIFIED_WITHOUT_CASES, fte=Decimal("1.00"),
                      team=team)
            if rng.random() > AGENCY_IN_POSTS:
                over.append(seg)
                continue
            job = JOBS[Role.SOCIAL_WORKER]
            slots.append(Slot(job=job, team=team, fte=Decimal("1.00"), title=job.title, role=Role.SOCIAL_WORKER,
                              segs=[seg], frontier=seg.start, max_gap=150, closed=False,
                              sort_key=(team.name if team else "~", job.title, f"~agency-{i:03d}")))
        # Vacant posts, to the vacancy rate wanted today (agency workers in posts cover some of it).
        wanted = float(employed_fte) * VACANCY[-1] / (100 - VACANCY[-1])
        covered = sum(float(s.fte) for s in slots if s.segs and s.segs[0].employment == EmploymentType.AGENCY)
        for i in range(max(0, round(wanted - covered))):
            team = teams[rng.randrange(len(teams))] if teams else None
            role = Role.SOCIAL_WORKER if i % 4 else Role.SENIOR_PRACTITIONER
            job = JOBS[role]
            slots.append(Slot(job=job, team=team, fte=Decimal("1.00"), title=job.title, role=role,
                              frontier=self.today + timedelta(days=1), max_gap=800, closed=False,
                              sort_key=(team.name if team else "~", job.title, f"~vacant-{i:03d}")))
        return slots, over

    def title_of(self, user: User, job: Job) -> str:
        if user.username == "hos.demo":
            return "Head of service, help and protection"
        if user.role == Role.SERVICE_MANAGER:
            return "Head of service" if user.team and user.team.kind == Team.Kind.LEADERSHIP else job.title
        return job.title

    # ------------------------------------------------------------------------------------------ the past

    def gap(self, rng: random.Random, day: date) -> int:
        """How long a post stays vacant after its holder leaves: often most of a year or more in the worst
        years, shorter as recruitment recovers."""
        long_share = GAP_LONG_SHARE[self.year_index(day)]
        r = rng.random()
        if r < 0.2:
            return rng.randint(7, 60)
        if r < 1 - long_share:
            return rng.randint(60, 240)
        return rng.randint(*GAP_LONG)

    def tenure(self, rng: random.Random) -> int:
        r = rng.random()
        if r < 0.3:
            return rng.randint(120, 365)
        if r < 0.7:
            return rng.randint(365, 3 * 365)
        return rng.randint(3 * 365, 11 * 365)

    def year_index(self, day: date) -> int:
        return min(max(bisect.bisect_left(self.census, day), 0), YEARS - 1)

    def plan(self, in_post: list[float], scale: list[float]) -> tuple[list[Slot], list[Seg], int]:
        """One pass: leaving dates to the turnover wanted for ``in_post`` FTE each year (times ``scale``, what
        the pass before fell short or over by), given to slots."""
        rng = self.p.rng("workforce-plan")
        slots, over = self.base_slots(rng)
        sw_slots = [s for s in slots if s.job.org_role]
        mean_fte = sum(float(s.fte) for s in sw_slots) / max(1, len(sw_slots))
        before = self.window - timedelta(days=365)
        count = round(TURNOVER_BEFORE / 100 * in_post[0] / mean_fte)
        dates = [before + timedelta(days=rng.randrange(365)) for _ in range(count)]
        for i, day in enumerate(self.census):
            first = self.census[i - 1] + timedelta(days=1) if i else self.window
            count = round(TURNOVER[i] / 100 * in_post[i] / mean_fte * scale[i])
            dates += [first + timedelta(days=rng.randrange((day - first).days + 1)) for _ in range(count)]
        after = (self.today - self.census[-1]).days - 7
        if after > 0:
            count = round(TURNOVER[-1] / 100 * in_post[-1] / mean_fte * scale[-1] * after / 365)
            dates += [self.census[-1] + timedelta(days=1 + rng.randrange(after)) for _ in range(count)]
        dates.sort(reverse=True)
        latest_flexible = self.today - timedelta(days=FLEXIBLE_LATEST)
        teams = self.case_teams()
        missed = 0
        for day in dates:
            wanted = self.gap(rng, day)
            open_slots = [s for s in sw_slots if not s.closed and s.frontier is not None
                          and 0 <= (s.frontier - day).days - 1 <= s.max_gap]
            near = [s for s in open_slots if abs((s.frontier - day).days - 1 - wanted) <= 60]  # type: ignore[operator]
            slot: Slot | None = None
            if near:
                slot = rng.choice(near)
            else:
                start = day + timedelta(days=1 + wanted)
                flexible = [s for s in sw_slots if s.flexible is not None and s.frontier is None]
                if start <= latest_flexible and flexible:
                    slot = rng.choices(flexible, [CHURN.get(s.job.kind, 0.3) for s in flexible])[0]
                    slot.segs[0].start = start
                    slot.segs[0].origin = _pick(rng, ORIGINS)
                    slot.frontier = start
                elif open_slots:
                    slot = min(open_slots, key=lambda s: (abs((s.frontier - day).days - 1 - wanted),  # type: ignore[operator]
                                                          rng.random()))
            if slot is None:
                # No post free to take this leaver: theirs was deleted in a restructure some months after.
                missed += 1
                team = teams[rng.randrange(len(teams))] if teams else None
                job = JOBS[Role.SOCIAL_WORKER]
                slot = Slot(job=job, team=team, fte=Decimal("1.00"), title=job.title, role=Role.SOCIAL_WORKER,
                            frontier=day + timedelta(days=1), closed=False, ended_on=day + timedelta(
                                days=rng.randint(30, 200)), sort_key=(team.name if team else "~", job.title,
                                                                      f"~deleted-{missed:03d}"))
                slots.append(slot)
                sw_slots.append(slot)
            start = day - timedelta(days=self.tenure(rng))
            slot.segs.append(Seg(None, EmploymentType.PERMANENT, start, end=day, left=True,
                                 origin=_pick(rng, ORIGINS) if start >= self.window else "",
                                 reason=_pick(rng, REASONS), destination=_pick(rng, DESTINATIONS), role=slot.role))
            slot.frontier = start
            slot.max_gap = 620
            if start < before:
                slot.closed = True
        unopened: list[Slot] = []
        for slot in slots:
            slot.segs.reverse()  # oldest first from here on
            earliest = slot.segs[0].start if slot.segs else self.today
            if slot.closed or (slot.flexible is not None and slot.frontier is None):
                slot.established_on = min(earliest, before)
            else:
                # No one left it in the five years: a post created a little before its first holder came ...
                slot.established_on = earliest - timedelta(days=rng.randint(14, 120))
                unopened.append(slot)
        self.cover(rng, slots)
        figures = self.figures(slots, over)
        # ... or, where a year has fewer vacancies than it should, one that stood empty for a long time first.
        short = [max(0.0, f.in_post * VACANCY[i] / (100 - VACANCY[i]) - f.vacancies) for i, f in enumerate(figures)]
        rng.shuffle(unopened)
        for slot in unopened:
            start = slot.segs[0].start if slot.segs else self.today
            years = [i for i, day in enumerate(self.census) if day < slot.established_on]  # type: ignore[operator]
            empty: list[int] = []
            for i in reversed(years):
                if short[i] < float(slot.fte) / 2:
                    break
                empty.append(i)
            if not empty or self.census[empty[0]] >= start:
                continue
            slot.established_on = self.census[empty[-1]] - timedelta(days=rng.randint(10, 200))
            for i in empty:
                short[i] -= float(slot.fte)
        figures = self.figures(slots, over)
        over += self.over_establishment(rng, figures)
        return slots, over, missed

    def cover(self, rng: random.Random, slots: list[Slot]) -> None:
        """Agency workers in some of the vacancies between a leaver and the next holder."""
        cover = AGENCY_COVER
        for slot in slots:
            if not slot.job.org_role:
                continue
            added = []
            for before, after in zip(slot.segs, [*slot.segs[1:], None], strict=True):
                if not before.left or before.end is None:
                    continue
                first = before.end + timedelta(days=rng.randint(10, 45))
                last = (after.start if after else self.today) - timedelta(days=1 + rng.randint(0, 20))
                if after is None or (last - first).days < 45:
                    continue
                if rng.random() < cover[self.year_index(first)]:
                    added.append(Seg(None, EmploymentType.AGENCY, first, end=last, role=slot.role,
                                     destination=""))
            if added:
                slot.segs = sorted(slot.segs + added, key=lambda s: s.start)

    def figures(self, slots: list[Slot], over: list[Seg]) -> list[Figures]:
        out = []
        for i, day in enumerate(self.census):
            first = self.census[i - 1] + timedelta(days=1) if i else self.window
            fig = Figures(self.years[i], 0.0, 0.0, 0.0, 0.0)
            for slot in slots:
                if not slot.job.org_role:
                    continue
                employed = 0.0
                for seg in slot.segs:
                    fte = float(seg.fte or slot.fte)
                    if seg.employment == EmploymentType.AGENCY:
                        fig.agency += fte if seg.on(day) else 0.0
                        continue
                    if seg.on(day):
                        employed += fte
                    if seg.left and seg.end is not None and first <= seg.end <= day:
                        fig.leavers += fte
                fig.in_post += employed
                if slot.social_work and slot.established_on is not None and slot.established_on <= day and (
                        slot.ended_on is None or slot.ended_on > day):
                    fig.vacancies += max(0.0, float(slot.fte) - employed)
            fig.agency += sum(float(s.fte or 1) for s in over if s.on(day))
            out.append(fig)
        return out

    def over_establishment(self, rng: random.Random, figures: list[Figures]) -> list[Seg]:
        """Agency workers in no post, enough around each 30 September for the agency rate of that year."""
        added: list[Seg] = []
        teams = self.case_teams()
        for i, fig in enumerate(figures[:-1]):
            wanted = fig.in_post * AGENCY[i] / (100 - AGENCY[i]) - fig.agency
            day = self.census[i]
            for _ in range(max(0, round(wanted))):
                start = day - timedelta(days=rng.randint(20, 300))
                end = min(day + timedelta(days=rng.randint(20, 300)), self.today - timedelta(days=30))
                team = teams[rng.randrange(len(teams))] if teams else None
                added.append(Seg(None, EmploymentType.AGENCY, start, end=end, role=Role.SOCIAL_WORKER,
                                 org_role=OrgRole.CASE_HOLDER, fte=Decimal("1.00"), team=team))
        return added

    # ------------------------------------------------------------------------------------------ new posts

    def funded_posts(self, rng: random.Random) -> list[Slot]:
        """The temporarily funded improvements: 18 months each from the improvement reserve, ending at staggered
        dates so that some end in the next three months, more in six and more in twelve."""
        exploitation = self.case_teams(Team.Kind.EXPLOITATION)
        leaving = self.case_teams(Team.Kind.CARE_LEAVERS)
        busy = [t for t in self.case_teams(Team.Kind.FRONT_DOOR, Team.Kind.ASSESSMENT, Team.Kind.SAFEGUARDING)
                if t.pk != self.demo_team_id]
        advocates = 2 if self.p.size == "small" else 3
        specs: list[tuple[str, Team | None, str, list[str], str]] = []
        for _ in range(advocates):
            specs.append((Role.MISSING_ADVOCATE, exploitation[0] if exploitation else None,
                          "Missing from home advocate (return home interviews)", ["rhi_in_time"],
                          "An extra advocate so that every child who comes back from a missing episode is offered a "
                          "return home interview within 72 hours, and what the child says reaches their worker and "
                          "the exploitation team. Agreed by the improvement board to answer the inspection's "
                          "finding on missing children."))
        for i in range(3):
            specs.append((Role.PERSONAL_ADVISER, leaving[i % len(leaving)] if leaving else None,
                          "Personal adviser (additional)",
                          ["care_leavers_not_in_touch", "care_leavers_suitable_19_21"],
                          "An extra personal adviser so that caseloads come down to 20 and the service keeps in "
                          "touch with every care leaver up to 21 and helps them into suitable accommodation."))
        for i in range(3):
            specs.append((Role.TEAM_MANAGER, busy[i % len(busy)] if busy else None,
                          "Team manager (additional, improvement plan)", ["assessments_45wd", "caseload_average"],
                          "A second team manager in a team with high demand, so that assessments are authorised "
                          "in time, supervision happens and caseloads are shared out fairly."))
        # Funding ends, days from today: two within three months, three more within six, the rest within twelve.
        ends = [rng.randint(25, 55), rng.randint(60, 88), rng.randint(100, 125), rng.randint(130, 155),
                rng.randint(158, 178)]
        ends += sorted(rng.randint(190, 350) for _ in range(len(specs) - len(ends)))
        order = list(range(len(specs)))
        rng.shuffle(order)
        slots: list[Slot] = []
        reserve = self.funds.reserve
        for n, (index, days) in enumerate(zip(order, ends, strict=True)):
            role, team, title, serves, purpose = specs[index]
            job = JOBS[role]
            ends_on = self.today + timedelta(days=days)
            starts_on = ends_on - relativedelta(months=18) + timedelta(days=1)
            slot = Slot(job=job, team=team, fte=Decimal("1.00"), title=title, role=role, established_on=starts_on,
                        serves=serves, purpose=purpose,
                        sort_key=(team.name if team else "~", title, f"~funded-{n:02d}"))
            slot.funding = [(PostFunding.Source.RESERVE, starts_on, ends_on, reserve,
                             "18 months from the improvement reserve, agreed by the improvement board")]
            filled = starts_on + timedelta(days=rng.randint(20, 75))
            if role == Role.PERSONAL_ADVISER and not any(s.role == role and not s.segs for s in slots):
                pass  # the first personal adviser post has not been filled
            elif role == Role.TEAM_MANAGER and not any(s.role == role and s.segs
                                                       and s.segs[0].employment == EmploymentType.AGENCY
                                                       for s in slots):
                slot.segs = [Seg(None, EmploymentType.AGENCY, filled, role=role, title="Interim team manager")]
            else:
                slot.segs = [Seg(None, EmploymentType.PERMANENT, filled, role=role, title=title,
                                 origin=_pick(rng, ORIGINS) if job.org_role else "")]
            slots.append(slot)
        return slots

    def grant_posts(self, rng: random.Random, slots: list[Slot]) -> list[Slot]:
        """Two posts paid from the DfE grants: an ASYE academy practice educator (2023 grant, now on base budget)
        and a case recording improvement lead (2024 grant, ending at the end of the financial year)."""
        improvement, systems = self.funds.improvement_grant, self.funds.systems_grant
        out: list[Slot] = []
        educator = next((s for s in sorted(slots, key=lambda s: s.sort_key)
                         if s.job.kind == Kind.SENIOR_PRACTITIONER and s.segs
                         and s.segs[-1].employment == EmploymentType.PERMANENT and s.team is not None
                         and s.team.kind in (Team.Kind.ASSESSMENT, Team.Kind.SAFEGUARDING)
                         and s.team.pk != self.demo_team_id), None)
        if educator is not None:
            grant_from, grant_to = improvement.starts_on + relativedelta(months=5), improvement.ends_on
            educator.title = "Senior practitioner (ASYE academy practice educator)"
            educator.established_on = min(educator.established_on or grant_from, grant_from)
            educator.serves = ["turnover_rate"]
            educator.purpose = ("Supports newly qualified social workers through their assessed first year, so that "
                                "more of them stay. Paid from the DfE improvement grant, then kept on base budget.")
            educator.funding = [
                (PostFunding.Source.BASE_BUDGET, educator.established_on, grant_from - timedelta(days=1), None, ""),
                (PostFunding.Source.GRANT, grant_from, grant_to, improvement, "ASYE academy, DfE improvement grant"),
                (PostFunding.Source.BASE_BUDGET, grant_to + timedelta(days=1), None, None,
                 "Made permanent in the 2025/26 budget"),
            ]
            out.append(educator)
        performance = next((t for t in self.teams if t.kind == Team.Kind.PERFORMANCE), None)
        lead_from = systems.starts_on + timedelta(days=60)
        lead = Slot(job=Job(Kind.QUALITY_ASSURANCE, "Case recording improvement lead", "Grade 10", 60_000, "", False),
                    team=performance, fte=Decimal("1.00"), title="Case recording improvement lead",
                    role=Role.PERFORMANCE_ANALYST, established_on=lead_from,
                    serves=["assessments_45wd"],
                    purpose="Leads the changes to the case management system that make recording quicker and "
                            "timeliness visible to managers. Paid from the DfE case management system grant.",
                    sort_key=(performance.name if performance else "~", "Case recording improvement lead", "~"))
        lead.funding = [(PostFunding.Source.GRANT, lead_from, systems.ends_on, systems,
                         "DfE case management system grant")]
        lead.segs = [Seg(None, EmploymentType.PERMANENT, lead_from + timedelta(days=rng.randint(40, 90)),
                         role=Role.PERFORMANCE_ANALYST, title="Case recording improvement lead")]
        out.append(lead)
        return out

    def new_logins(self) -> list[Slot]:
        """The inspection and improvement manager (joined to run the plan) and the finance business partner."""
        out = []
        inspection_year = self.census[0].year
        specs = [(IMPROVEMENT_MANAGER, Role.IMPROVEMENT_MANAGER, self.leadership, date(inspection_year + 1, 1, 9)),
                 (FINANCE_OFFICER, Role.FINANCE_OFFICER, None, date(inspection_year - 3, 6, 1))]
        from .council import DEMO_PASSWORD

        for username, role, team, started in specs:
            job = JOBS[role]
            user = self.new_user(role=role, team=team, employment=EmploymentType.PERMANENT, fte=Decimal("1.00"),
                                 started_on=started, username=username, registered=False)
            user.set_password(DEMO_PASSWORD)
            slot = Slot(job=job, team=team, fte=Decimal("1.00"), title=job.title, role=role, established_on=started,
                        sort_key=(team.name if team else "~", job.title, username))
            slot.segs = [Seg(user, EmploymentType.PERMANENT, started)]
            out.append(slot)
        return out

    def apprentices(self, rng: random.Random) -> tuple[list[Slot], list[Apprenticeship]]:
        """A cohort each September for the last four years, the oldest qualifying about now."""
        slots: list[Slot] = []
        out: list[Apprenticeship] = []
        teams = self.case_teams(Team.Kind.ASSESSMENT, Team.Kind.SAFEGUARDING, Team.Kind.CHILDREN_IN_CARE,
                                Team.Kind.DISABLED_CHILDREN)
        latest = self.today.year if self.today >= date(self.today.year, 9, 1) else self.today.year - 1
        starts = [date(year, 9, 1) + timedelta(days=(7 - date(year, 9, 1).weekday()) % 7)
                  for year in range(latest - 3, latest + 1)]
        broke = False
        for c, start in enumerate(starts):
            places = rng.randint(2, 3) if self.p.size == "small" else rng.randint(6, 10)
            for n in range(places):
                team = teams[(c * 3 + n) % len(teams)] if teams else None
                status = "on_programme"
                left = None
                if rng.random() < 0.1 + 0.04 * (3 - c) and n > 0:
                    status = "withdrawn"
                    left = min(start + timedelta(days=rng.randint(90, 500)), self.today - timedelta(days=14))
                elif not broke and c == 1 and n == 1:
                    status, broke = "break", True
                user = self.new_user(role=Role.SOCIAL_WORKER, team=team, employment=EmploymentType.PERMANENT,
                                     fte=Decimal("1.00"), started_on=start, registered=False,
                                     title=APPRENTICE_JOB.title,
                                     left_on=left + timedelta(days=1) if left else None)
                slot = Slot(job=APPRENTICE_JOB, team=team, fte=Decimal("1.00"), title=APPRENTICE_JOB.title,
                            role=Role.SOCIAL_WORKER, established_on=start - timedelta(days=30),
                            purpose="A social work degree apprenticeship: three years' study while working, "
                                    "into a social worker post on qualifying.",
                            sort_key=(team.name if team else "~", "~apprentice", user.username))
                slot.segs = [Seg(user, EmploymentType.PERMANENT, start, end=left, left=left is not None,
                                 reason=Appointment.ReasonLeave.RESIGNATION if left else "",
                                 destination=Appointment.LeaverDestination.NOT_KNOWN if left else "")]
                slots.append(slot)
                out.append(Apprenticeship(start, user, slot, status, left))
        return slots, out

    # ------------------------------------------------------------------------------------------ absence

    def absences(self, rng: random.Random, slots: list[Slot], figures: list[Figures]) -> list[tuple[Seg, Absence]]:
        """Sickness spells to each year's absence rate, a few still open, and a little maternity leave."""
        employed = [(seg, slot) for slot in slots if slot.job.org_role for seg in slot.segs
                    if seg.employment != EmploymentType.AGENCY]
        # Who is in post, week by week (a council of a thousand social workers draws thousands of spells).
        origin = self.window
        by_week: dict[int, list[tuple[Seg, Slot]]] = defaultdict(list)
        for seg, slot in employed:
            first_week = max(0, (seg.start - origin).days // 7)
            last_week = ((seg.end or self.today) - origin).days // 7
            for week in range(first_week, last_week + 1):
                by_week[week].append((seg, slot))
        taken: dict[int, list[tuple[date, date]]] = defaultdict(list)
        out: list[tuple[Seg, Absence]] = []
        periods = []
        for i, day in enumerate(self.census):
            first = self.census[i - 1] + timedelta(days=1) if i else self.window
            periods.append((first, day, figures[i].in_post * ABSENCE[i] / 100 * WORKING_DAYS, ABSENCE[i]))
        after = self.census[-1] + timedelta(days=1)
        share = (self.today - after).days / 365
        periods.append((after, self.today - timedelta(days=1), figures[-1].in_post * 5.0 / 100 * WORKING_DAYS * share,
                        5.0))
        for first, last, wanted, rate in periods:
            days = (last - first).days
            if days <= 0:
                continue
            lost = 0.0
            tries = 0
            while lost < wanted and tries < 20_000:
                tries += 1
                start = first + timedelta(days=rng.randrange(days + 1))
                if not is_working_day(start, self.holidays):
                    continue
                here = [(seg, slot) for seg, slot in by_week[(start - origin).days // 7] if seg.on(start)]
                if not here:
                    continue
                seg, slot = here[rng.randrange(len(here))]
                r = rng.random()
                long_share = 0.1 if rate > 6 else 0.06
                if r < 0.7:
                    length = rng.randint(1, 5)
                elif r < 1 - long_share:
                    length = rng.randint(6, 20)
                else:
                    length = rng.randint(21, 90)
                end = add_working_days(start, length - 1, self.holidays) if length > 1 else start
                limit = min(last, seg.end - timedelta(days=1) if seg.end else last)
                still_off = False
                if end > limit:
                    if limit == self.today - timedelta(days=1) and length > 20:
                        still_off = True
                    end = limit
                if end < start:
                    continue
                key = id(seg)
                if any(not (end < a or start > b) for a, b in taken[key]):
                    continue
                taken[key].append((start, end))
                working = working_days_between(start - timedelta(days=1), end, self.holidays)
                fte = seg.fte or slot.fte
                days_lost = (Decimal(working) * fte).quantize(Decimal("0.01"))
                lost += float(days_lost)
                out.append((seg, new(Absence, local_authority=self.la, reason=Absence.Reason.SICKNESS,
                                     starts_on=start, ends_on=None if still_off else end,
                                     working_days_lost=days_lost)))
            # A little maternity leave: about one worker in a hundred starts some each year.
            for _ in range(max(1, round(len(employed) / 250))):
                start = first + timedelta(days=rng.randrange(days + 1))
                here = [(seg, slot) for seg, slot in employed
                        if seg.on(start) and (seg.end is None or seg.end > start + timedelta(days=300))]
                if not here:
                    continue
                seg, slot = here[rng.randrange(len(here))]
                end = start + timedelta(days=rng.randint(180, 300))
                if end >= self.today or any(not (end < a or start > b) for a, b in taken[id(seg)]):
                    continue
                taken[id(seg)].append((start, end))
                working = working_days_between(start - timedelta(days=1), end, self.holidays)
                out.append((seg, new(Absence, local_authority=self.la, reason=Absence.Reason.MATERNITY,
                                     starts_on=start, ends_on=end,
                                     working_days_lost=(Decimal(working) * (seg.fte or slot.fte)))))
        return out

    # ------------------------------------------------------------------------------------------ all of it

    def build(self) -> Staff:
        sw_now = sum(float(u.fte) for u in self.staff if u.employment_type != User.EmploymentType.AGENCY
                     and self.job_of(u).org_role)
        estimate = [sw_now] * YEARS
        self.name_rng = self.p.rng("workforce-names")
        scale = [1.0] * YEARS
        best: tuple[float, list[Slot], list[Seg], int] | None = None
        for _ in range(PASSES if len(self.staff) > 150 else 2 * PASSES):
            # Each pass corrects the one before (half way, as chains drawn afresh move a little each time);
            # the pass nearest the targets is kept.
            slots, over, missed = self.plan(estimate, scale)
            figures = self.figures(slots, over)
            error = sum((f.turnover - TURNOVER[i]) ** 2 + 0.3 * (f.vacancy_rate - VACANCY[i]) ** 2
                        for i, f in enumerate(figures))
            # The story is turnover falling every year: a pass where it does not is kept only if none does.
            error += 1000 * sum(b.turnover >= a.turnover for a, b in itertools.pairwise(figures))
            if best is None or error < best[0]:
                best = (error, slots, over, missed)
            for i, f in enumerate(figures):
                if f.leavers:
                    scale[i] *= (TURNOVER[i] / max(f.turnover, 0.1)) ** 0.5
            estimate = [f.in_post for f in figures]
        assert best is not None
        _, slots, over, missed = best
        rng = self.p.rng("workforce-posts")
        logins = self.new_logins()
        funded = self.funded_posts(rng)
        grant = self.grant_posts(rng, slots)
        slots += [s for s in grant if s not in slots]
        apprentice_slots, apprenticeships = self.apprentices(rng)
        slots += funded + logins + apprentice_slots
        self.missed = missed
        figures = self.figures(slots, over)
        absences = self.absences(self.p.rng("workforce-absence"), slots, figures)
        for _, absence in absences:
            figures_index = self.year_index(absence.starts_on)
            if absence.reason == Absence.Reason.SICKNESS and absence.starts_on <= self.census[-1]:
                figures[figures_index].days_lost += float(absence.working_days_lost)
        self.write(slots, over, absences)
        staff = sorted([*self.staff, *(u for u in self.p.new_users.values() if u.is_active)],
                       key=lambda u: u.username)
        vacant = [s for s in slots if s.job.social_work_post and not any(seg.on(self.today) for seg in s.segs)
                  and s.job.org_role and s.job.kind in (Kind.SOCIAL_WORKER, Kind.SENIOR_PRACTITIONER)]
        return Staff(users=staff, by_username={u.username: u for u in staff}, leadership=self.leadership,
                     slots=slots, funded=funded, grant_posts=grant, vacant_posts=vacant,
                     apprentices=apprenticeships, figures=figures)

    # ------------------------------------------------------------------------------------------ writing

    def write(self, slots: list[Slot], over: list[Seg], absences: list[tuple[Seg, Absence]]) -> None:
        slots.sort(key=lambda s: s.sort_key)
        changed: dict[int, User] = {}
        # New workers first, in the order of their posts, so their names come out the same for a seed.
        for slot in slots:
            for seg in slot.segs:
                self._worker(seg, slot, changed)
        for seg in over:
            self._worker(seg, None, changed)
        created = [u for u in self.p.new_users.values() if u.pk is None]
        User.objects.bulk_create(created, batch_size=500)
        self.p.user_rows += len(created)
        if changed:
            User.objects.bulk_update(list(changed.values()), ["employment_type", "fte", "started_on", "left_on"])
        la = self.la
        posts = []
        for number, slot in enumerate(slots, start=1):
            established = slot.established_on or (slot.segs[0].start if slot.segs else self.today)
            slot.post = new(Post, local_authority=la, reference=f"CSC-{number:04d}", title=slot.title,
                            kind=slot.job.kind, team=slot.team, grade=slot.job.grade, fte=slot.fte,
                            annual_cost=Decimal(slot.job.cost) * slot.fte, social_work_post=slot.job.social_work_post,
                            established_on=established, ended_on=slot.ended_on, purpose=slot.purpose,
                            serves_indicators=list(slot.serves))
            posts.append(slot.post)
        self.p.writer.save(Post, posts)
        funding = []
        for slot in slots:
            rows = slot.funding or [(PostFunding.Source.BASE_BUDGET, slot.post.established_on,  # type: ignore[union-attr]
                                     slot.ended_on - timedelta(days=1) if slot.ended_on else None, None, "")]
            for source, starts_on, ends_on, fund, note in rows:
                funding.append(new(PostFunding, local_authority=la, post=slot.post, source=source,
                                   reserve=fund if source == PostFunding.Source.RESERVE else None,
                                   grant=fund if source == PostFunding.Source.GRANT else None,
                                   starts_on=starts_on, ends_on=ends_on, note=note))
        self.p.writer.save(PostFunding, funding)
        appointments = []
        for slot in slots:
            for seg in slot.segs:
                appointments.append(self._appointment(seg, slot))
        for seg in over:
            appointments.append(self._appointment(seg, None))
        self.p.writer.save(Appointment, appointments)
        for seg, absence in absences:
            assert seg.worker is not None
            absence.worker = seg.worker
        self.p.writer.save(Absence, [a for _, a in absences])

    def _worker(self, seg: Seg, slot: Slot | None, changed: dict[int, User]) -> None:
        left_on = seg.end + timedelta(days=1) if seg.end is not None else None
        if seg.worker is None:
            role = seg.role or (slot.role if slot else Role.SOCIAL_WORKER)
            team = slot.team if slot else seg.team
            title = seg.title or (slot.title if slot else JOBS[role].title)
            if seg.employment == EmploymentType.AGENCY and not seg.title:
                title = f"{JOBS[role].title} (agency)"
            seg.worker = self.new_user(role=role, team=team, employment=seg.employment,
                                       fte=seg.fte or (slot.fte if slot else Decimal("1.00")), started_on=seg.start,
                                       left_on=left_on, title=title)
            return
        user = seg.worker
        if user.pk is None or (slot is not None and seg is not slot.segs[-1]):
            return
        # An existing worker's current appointment: keep their record in step with it.
        fields = (seg.employment, seg.fte or (slot.fte if slot else user.fte), seg.start)
        if (user.employment_type, user.fte, user.started_on) != fields:
            user.employment_type, user.fte, user.started_on = fields
            changed[user.pk] = user

    def _appointment(self, seg: Seg, slot: Slot | None) -> Appointment:
        assert seg.worker is not None
        org_role = seg.org_role if seg.org_role is not None else (slot.job.org_role if slot else "")
        # Only a registered social worker is in the census: a chief officer without registration is not.
        if not seg.worker.social_work_england_number:
            org_role = ""
        return new(Appointment, local_authority=self.la, worker=seg.worker, post=slot.post if slot else None,
                   employment_type=seg.employment, org_role=org_role,
                   fte=seg.fte or (slot.fte if slot else Decimal("1.00")), starts_on=seg.start, ends_on=seg.end,
                   start_origin=seg.origin if seg.employment != EmploymentType.AGENCY else "",
                   left_council=seg.left, reason_leave=seg.reason if seg.left else "",
                   leaver_destination=seg.destination if seg.left else "")


def seed_workforce(programme: Programme, *, funds: Funds) -> Staff:
    """Posts, funding, appointments and absences for ``programme.la`` (see the module docstring)."""
    return WorkforceBuilder(programme, funds).build()
