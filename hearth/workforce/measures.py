"""The children's social work workforce measures exactly as DfE's CSWW statistics define them (indicators.md §5,
returns.md §D), from the HR record: appointments, posts, sickness absence and allocations.

One implementation: ``workforce_census`` reads the record for a stretch of days and says who counts; the
workforce indicators (``hearth.indicators.definitions.workforce``) list those same records as their members,
``csww_measures`` adds them up for the twelve months to a day, and the census export writes them. A figure on a
page, in an indicator and in the export therefore always agree.

What counts, where DfE's words leave room (each rule has a test in ``tests/workforce/test_measures.py``):

* **Social work role.** An appointment whose CSWW OrgRole is 1 to 6 (senior manager ... qualified without
  cases). An appointment with no OrgRole (family support, business support, an apprentice not yet qualified) is
  never counted, whatever post it fills.
* **The council's own social workers** hold a permanent or seconded appointment; agency appointments are
  counted apart, as DfE does.
* **A spell.** One worker's appointments in social work roles of one kind (the council's own, or agency), each
  beginning no later than the day after the one before ends: a change of FTE, role or post ends one appointment
  and begins the next, and is neither leaving nor starting.
* **In post on a day.** An appointment in a social work role in force that day (begun on or before it, its last
  day not before it), unless that day is the last of its spell: a worker whose last day is 30 September is a
  leaver in the year to 30 September and not in post at it (no one is counted twice), while a worker who moves
  to another appointment here that day is in post at the FTE of the appointment in force. At most one
  appointment per worker and kind is in force on a day (the services refuse overlaps).
* **Leavers.** The council's own social workers whose spell ends in the twelve months (its last day in them,
  the first day included): they left the council (``left_council``) or moved to a role here that is not child
  and family social work (CSWW ReasonLeave 7, which DfE counts as leaving). Counted at the FTE they left at.
* **Starters.** Likewise, a spell of the council's own social workers beginning in the twelve months (a worker
  coming from an agency appointment here, or qualifying from an apprenticeship here, starts).
* **Agency workers.** Agency appointments in a social work role in post on the day.
* **Vacancies.** For each social work post (``Post.social_work_post``) on the establishment on the day
  (established on or before it, and not ended by it: ``ended_on`` is the day it came off), its FTE less the
  FTE of the council's own social workers in post in it, never below 0.
* **Agency workers covering vacancies.** The FTE of agency workers in post in those posts, up to each post's
  vacant FTE. An agency worker in no post (over establishment, covering sickness, say), or beyond a post's
  vacancy, covers none.
* **Cases.** Children allocated to a worker as their social worker (``Allocation.Kind.SOCIAL_WORKER``) on the
  day: begun on or before it and not ended by it (an allocation ending that day is not held), each child once
  per worker. Case holders are the social workers in post that day, agency workers included, with an FTE above
  0 and at least one case, whatever their OrgRole (DfE counts the cases held, and ``Cases30`` is returned for
  every role).
* **Sickness absence.** Working days lost to sickness (``SIC``) by the council's own social workers in the twelve
  months: a spell is counted for the days of it that fall both in the twelve months and in the worker's time as
  one of the council's social workers. ``working_days_lost`` is the spell's total (HR records it, as the worker's
  contract counts it), so where only part of a spell counts, its days are shared out in proportion to calendar
  days (a spell from 21 September to 10 October, 10 working days lost, gives 10 x 10/20 = 5 days to the year to
  30 September), to two decimal places. A spell still open is taken to run to the last day of the twelve months.
* **Working days in the year.** DfE's 253, or 254 "in a leap year": taken as twelve months that include a 29
  February, which for the census year to 30 September Y is exactly Y being a leap year (the year to 30 September
  2024 has 254; to 30 September 2025, 253).

Everything is read in at most four queries whatever the council's size: appointments, posts, sickness absence
and caseloads, each only when a measure asks for it.
"""

# ruff: noqa: RUF001  (multiplication signs and en dashes are the right typography beside a figure)

from __future__ import annotations

import calendar
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property
from itertools import pairwise
from typing import TYPE_CHECKING

from django.db.models import Count, Q

from hearth.indicators.registry import rolling_year

if TYPE_CHECKING:
    from hearth.tenancy.models import LocalAuthority

SOCIAL_WORK_ROLES = ("1", "2", "3", "4", "5", "6")
EMPLOYED = frozenset({"permanent", "seconded"})
AGENCY = "agency"
WORKING_DAYS = 253
WORKING_DAYS_LEAP = 254
ZERO = Decimal("0")
CENTS = Decimal("0.01")
DAY = timedelta(days=1)


def census_date(year: int) -> date:
    """The CSWW snapshot day of ``year``: 30 September."""
    return date(year, 9, 30)


def latest_census_year(today: date) -> int:
    """The latest census year whose 30 September has passed (today included)."""
    return today.year if today >= census_date(today.year) else today.year - 1


def working_days_in_year(first: date, last: date) -> int:
    """253, or 254 when ``first``..``last`` includes a 29 February (see the module docstring)."""
    for year in range(first.year, last.year + 1):
        if calendar.isleap(year) and first <= date(year, 2, 29) <= last:
            return WORKING_DAYS_LEAP
    return WORKING_DAYS


def rate(numerator: Decimal | float | int, denominator: Decimal | float | int) -> float | None:
    """``numerator`` as a percentage of ``denominator``; None when the denominator is 0."""
    if not denominator:
        return None
    return float(numerator) / float(denominator) * 100


# The record, as the measures read it -----------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Held:
    """One appointment in a social work role."""

    pk: int
    worker_id: int
    post_id: int | None
    team_id: int | None  # the post's team, else the worker's
    employment_type: str
    org_role: str
    fte: Decimal
    starts_on: date
    ends_on: date | None
    left_council: bool = False
    start_origin: str = ""
    reason_leave: str = ""
    leaver_destination: str = ""

    @property
    def agency(self) -> bool:
        return self.employment_type == AGENCY

    @property
    def employed(self) -> bool:
        return self.employment_type in EMPLOYED

    def in_force(self, day: date) -> bool:
        return self.starts_on <= day and (self.ends_on is None or self.ends_on >= day)


@dataclass(frozen=True, slots=True)
class PostVacancy:
    """A social work post on the establishment on the day, with what fills it."""

    pk: int
    reference: str
    team_id: int | None
    established_on: date
    fte: Decimal
    filled_fte: Decimal  # the council's own social workers in post in it
    agency_fte: Decimal  # agency workers in post in it
    vacant_fte: Decimal  # fte - filled_fte, never below 0
    agency_cover_fte: Decimal  # min(agency_fte, vacant_fte)


@dataclass(frozen=True, slots=True)
class SicknessDays:
    """The part of one spell of sickness that counts in the period."""

    pk: int
    worker_id: int
    team_id: int | None
    starts_on: date
    ends_on: date | None
    recorded: Decimal  # the spell's working days lost, as recorded
    counted: Decimal  # the days of it that fall in the period (see the module docstring)


def read_appointments(local_authority_id: int, *, first: date | None, last: date) -> list[Held]:
    """Appointments in social work roles that touch ``first - 1`` .. ``last + 1`` (so a spell's neighbours on
    either side are there to say whether it continues); every one begun by ``last + 1`` when ``first`` is None.
    Oldest first for each worker. One query."""
    from hearth.workforce.models import Appointment

    rows = Appointment.objects.filter(local_authority_id=local_authority_id, org_role__in=SOCIAL_WORK_ROLES,
                                      starts_on__lte=last + DAY)
    if first is not None:
        rows = rows.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=first - DAY))
    return [
        Held(pk, worker_id, post_id, post_team or worker_team, kind, role, fte, starts_on, ends_on, left, origin,
             reason, destination)
        for (pk, worker_id, post_id, post_team, worker_team, kind, role, fte, starts_on, ends_on, left, origin,
             reason, destination) in rows.order_by("worker_id", "starts_on", "pk").values_list(
            "pk", "worker_id", "post_id", "post__team_id", "worker__team_id", "employment_type", "org_role", "fte",
            "starts_on", "ends_on", "left_council", "start_origin", "reason_leave", "leaver_destination")
    ]


@dataclass(frozen=True)
class Spells:
    """Which appointments run on into another of the same worker and kind, and which carry one on."""

    continued: frozenset[int]  # appointments followed, by the next day, by another of the same worker and kind
    continuing: frozenset[int]  # appointments that begin by the day after one of the same worker and kind ends
    earlier: dict[int, int] = field(default_factory=dict)  # appointment -> the one it continues

    @classmethod
    def of(cls, held: Iterable[Held]) -> Spells:
        groups: dict[tuple[int, bool], list[Held]] = defaultdict(list)
        for h in held:
            groups[(h.worker_id, h.agency)].append(h)
        continued: set[int] = set()
        continuing: set[int] = set()
        earlier: dict[int, int] = {}
        for rows in groups.values():
            rows.sort(key=lambda h: (h.starts_on, h.pk))
            for before, after in pairwise(rows):
                if before.ends_on is None or after.starts_on <= before.ends_on + DAY:
                    continued.add(before.pk)
                    continuing.add(after.pk)
                    earlier[after.pk] = before.pk
        return cls(frozenset(continued), frozenset(continuing), earlier)

    def spell_start(self, h: Held, by_pk: dict[int, Held]) -> Held:
        """The first appointment of ``h``'s spell (the one whose start is the spell's)."""
        seen = {h.pk}
        while h.pk in self.earlier and self.earlier[h.pk] in by_pk and self.earlier[h.pk] not in seen:
            h = by_pk[self.earlier[h.pk]]
            seen.add(h.pk)
        return h


def in_post(held: Iterable[Held], spells: Spells, day: date) -> list[Held]:
    """Appointments in post on ``day`` (both kinds): in force, and not on the last day of their spell."""
    return [h for h in held if h.in_force(day) and not (h.ends_on == day and h.pk not in spells.continued)]


def spells_ending(held: Iterable[Held], spells: Spells, first: date, last: date) -> list[Held]:
    """The council's own social workers' spells ending from ``first`` to ``last``: the leavers."""
    return [h for h in held if h.employed and h.ends_on is not None and first <= h.ends_on <= last
            and h.pk not in spells.continued]


def spells_starting(held: Iterable[Held], spells: Spells, first: date, last: date) -> list[Held]:
    """The council's own social workers' spells beginning from ``first`` to ``last``: the starters."""
    return [h for h in held if h.employed and first <= h.starts_on <= last and h.pk not in spells.continuing]


def share_of_spell(recorded: Decimal, spell: tuple[date, date], counted_days: int) -> Decimal:
    """``recorded`` working days shared out over the spell's calendar days, for ``counted_days`` of them."""
    total = (spell[1] - spell[0]).days + 1
    if counted_days >= total:
        return recorded
    return (recorded * counted_days / total).quantize(CENTS, rounding=ROUND_HALF_UP)


def _overlap(a: tuple[date, date], b: tuple[date, date]) -> tuple[date, date] | None:
    start, end = max(a[0], b[0]), min(a[1], b[1])
    return (start, end) if start <= end else None


def _merged(intervals: list[tuple[date, date]]) -> list[tuple[date, date]]:
    out: list[tuple[date, date]] = []
    for start, end in sorted(intervals):
        if out and start <= out[-1][1] + DAY:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


# The census of a stretch of days -----------------------------------------------------------------------------

class WorkforceCensus:
    """Who counts, for ``first`` .. ``last`` (both days in) and on ``last``: the records behind every measure.

    Reads lazily: the appointments when anything is asked, the posts for vacancies, the allocations for
    caseloads and the absences for sickness, each in one query.
    """

    def __init__(self, local_authority_id: int, first: date, last: date, held: list[Held] | None = None) -> None:
        self.local_authority_id = local_authority_id
        self.first = first
        self.last = last
        if held is not None:  # already read (with more history than the period needs: the census export)
            self.__dict__["held"] = held

    @cached_property
    def held(self) -> list[Held]:
        return read_appointments(self.local_authority_id, first=self.first, last=self.last)

    @cached_property
    def spells(self) -> Spells:
        return Spells.of(self.held)

    @cached_property
    def on_the_day(self) -> list[Held]:
        return in_post(self.held, self.spells, self.last)

    @cached_property
    def in_post(self) -> list[Held]:
        """The council's own social workers in post on the last day."""
        return [h for h in self.on_the_day if h.employed]

    @cached_property
    def agency(self) -> list[Held]:
        """Agency social workers in post on the last day."""
        return [h for h in self.on_the_day if h.agency]

    @cached_property
    def leavers(self) -> list[Held]:
        return spells_ending(self.held, self.spells, self.first, self.last)

    @cached_property
    def starters(self) -> list[Held]:
        return spells_starting(self.held, self.spells, self.first, self.last)

    @cached_property
    def posts(self) -> list[PostVacancy]:
        """Social work posts on the establishment on the last day, with how they are filled. One query."""
        from hearth.workforce.models import Post

        day = self.last
        filled: dict[int, Decimal] = defaultdict(Decimal)
        agency: dict[int, Decimal] = defaultdict(Decimal)
        for h in self.on_the_day:
            if h.post_id is not None:
                (agency if h.agency else filled)[h.post_id] += h.fte
        out: list[PostVacancy] = []
        rows = (Post.objects.filter(local_authority_id=self.local_authority_id, social_work_post=True,
                                    established_on__lte=day)
                .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=day)).order_by("reference", "pk")
                .values_list("pk", "reference", "team_id", "established_on", "fte"))
        for pk, reference, team_id, established_on, fte in rows:
            vacant = max(fte - filled[pk], ZERO)
            out.append(PostVacancy(pk, reference, team_id, established_on, fte, filled[pk], agency[pk], vacant,
                                   min(agency[pk], vacant)))
        return out

    @cached_property
    def vacancies(self) -> list[PostVacancy]:
        return [p for p in self.posts if p.vacant_fte > 0]

    @cached_property
    def agency_covering(self) -> list[tuple[Held, Decimal]]:
        """Each agency worker in a vacant post with the FTE of the vacancy they cover (a post's cover shared out
        in appointment order)."""
        room = {p.pk: p.vacant_fte for p in self.posts}
        out: list[tuple[Held, Decimal]] = []
        for h in sorted(self.agency, key=lambda h: h.pk):
            if h.post_id is None or room.get(h.post_id, ZERO) <= 0:
                continue
            cover = min(h.fte, room[h.post_id])
            room[h.post_id] -= cover
            out.append((h, cover))
        return out

    @cached_property
    def cases(self) -> dict[int, int]:
        """Children allocated to each worker in post on the last day. One query."""
        from hearth.allocations.models import Allocation

        workers = sorted({h.worker_id for h in self.on_the_day})
        if not workers:
            return {}
        day = self.last
        rows = (Allocation.objects.filter(local_authority_id=self.local_authority_id,
                                          kind=Allocation.Kind.SOCIAL_WORKER, worker_id__in=workers,
                                          started_on__lte=day)
                .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=day))
                .values("worker_id").annotate(n=Count("child_id", distinct=True)).values_list("worker_id", "n"))
        return dict(rows)

    @cached_property
    def case_holders(self) -> list[tuple[Held, int]]:
        """Social workers in post on the last day (agency too) with an FTE above 0 and at least one case."""
        cases = self.cases
        return [(h, cases.get(h.worker_id, 0)) for h in self.on_the_day if h.fte > 0 and cases.get(h.worker_id, 0)]

    @cached_property
    def employed_time(self) -> dict[int, list[tuple[date, date]]]:
        """Each worker's days as one of the council's social workers within the period."""
        window = (self.first, self.last)
        spans: dict[int, list[tuple[date, date]]] = defaultdict(list)
        for h in self.held:
            if h.employed:
                part = _overlap((h.starts_on, h.ends_on or self.last), window)
                if part is not None:
                    spans[h.worker_id].append(part)
        return {worker: _merged(parts) for worker, parts in spans.items()}

    @cached_property
    def sickness(self) -> list[SicknessDays]:
        """Sickness spells of the council's own social workers, with the days of each that count. One query."""
        from hearth.workforce.models import Absence, Appointment

        employed_sw = Appointment.objects.filter(local_authority_id=self.local_authority_id,
                                                 org_role__in=SOCIAL_WORK_ROLES,
                                                 employment_type__in=sorted(EMPLOYED)).values("worker_id")
        rows = (Absence.objects.filter(local_authority_id=self.local_authority_id, reason=Absence.Reason.SICKNESS,
                                       starts_on__lte=self.last, worker_id__in=employed_sw)
                .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=self.first)).order_by("starts_on", "pk")
                .values_list("pk", "worker_id", "worker__team_id", "starts_on", "ends_on", "working_days_lost"))
        out: list[SicknessDays] = []
        for pk, worker_id, team_id, starts_on, ends_on, lost in rows:
            spell = (starts_on, ends_on or max(self.last, starts_on))
            days = 0
            for span in self.employed_time.get(worker_id, []):
                part = _overlap(spell, span)
                if part is not None:
                    days += (part[1] - part[0]).days + 1
            if days:
                out.append(SicknessDays(pk, worker_id, team_id, starts_on, ends_on, lost,
                                        share_of_spell(lost, spell, days)))
        return out

    @property
    def working_days(self) -> int:
        return working_days_in_year(self.first, self.last)


def workforce_census(*, local_authority_id: int, first: date, last: date,
                     held: list[Held] | None = None) -> WorkforceCensus:
    """The records behind the measures for ``first`` .. ``last`` (a snapshot on ``last``). ``held``: the
    council's appointments in social work roles if already read (``read_appointments``), else read when needed."""
    return WorkforceCensus(local_authority_id, first, last, held)


# The measures --------------------------------------------------------------------------------------------

def _fte(rows: Iterable[Held]) -> Decimal:
    return sum((h.fte for h in rows), ZERO)


@dataclass(frozen=True)
class WorkforceMeasures:
    """DfE's CSWW measures for the twelve months ending ``on`` (rates in per cent, None when the denominator
    is 0; the caseload is children per FTE)."""

    on: date
    fte_in_post: Decimal
    headcount_in_post: int
    leavers_fte: Decimal
    leavers_headcount: int
    starters_fte: Decimal
    starters_headcount: int
    agency_fte: Decimal
    agency_headcount: int
    vacancies_fte: Decimal
    agency_covering_vacancies_fte: Decimal
    cases: int
    case_holder_fte: Decimal
    days_lost: Decimal
    working_days_in_year: int
    turnover_rate: float | None
    turnover_rate_headcount: float | None
    agency_rate: float | None
    agency_rate_headcount: float | None
    vacancy_rate: float | None
    agency_cover_rate: float | None
    vacancies_covered_rate: float | None
    caseload_average: float | None
    absence_rate: float | None
    first: date | None = None  # the first day of the twelve months

    @classmethod
    def of(cls, census: WorkforceCensus) -> WorkforceMeasures:
        in_post, agency = census.in_post, census.agency
        fte, headcount = _fte(in_post), len(in_post)
        leavers_fte, agency_fte = _fte(census.leavers), _fte(agency)
        vacancies = sum((p.vacant_fte for p in census.vacancies), ZERO)
        covering = sum((cover for _, cover in census.agency_covering), ZERO)
        cases = sum(n for _, n in census.case_holders)
        holder_fte = sum((h.fte for h, _ in census.case_holders), ZERO)
        days_lost = sum((s.counted for s in census.sickness), ZERO)
        working_days = census.working_days
        return cls(
            on=census.last, first=census.first,
            fte_in_post=fte, headcount_in_post=headcount,
            leavers_fte=leavers_fte, leavers_headcount=len(census.leavers),
            starters_fte=_fte(census.starters), starters_headcount=len(census.starters),
            agency_fte=agency_fte, agency_headcount=len(agency),
            vacancies_fte=vacancies, agency_covering_vacancies_fte=covering,
            cases=cases, case_holder_fte=holder_fte,
            days_lost=days_lost, working_days_in_year=working_days,
            turnover_rate=rate(leavers_fte, fte),
            turnover_rate_headcount=rate(len(census.leavers), headcount),
            agency_rate=rate(agency_fte, agency_fte + fte),
            agency_rate_headcount=rate(len(agency), len(agency) + headcount),
            vacancy_rate=rate(vacancies, vacancies + fte),
            agency_cover_rate=rate(covering, agency_fte),
            vacancies_covered_rate=rate(covering, vacancies),
            caseload_average=float(cases) / float(holder_fte) if holder_fte else None,
            absence_rate=rate(days_lost, fte * working_days),
        )


def csww_measures(*, local_authority: LocalAuthority, on: date) -> WorkforceMeasures:
    """The CSWW measures for the twelve months ending ``on`` (1 October to 30 September for a census day).
    At most four queries."""
    first, last = rolling_year(on)
    return WorkforceMeasures.of(workforce_census(local_authority_id=local_authority.pk, first=first, last=last))


# The measures page: each measure at each 30 September, beside DfE's published figures -------------------------

# The indicator codes of the measures, in the order DfE publishes them (their titles and definitions are the
# indicators').
MEASURE_CODES = ("sw_fte", "turnover_rate", "agency_rate", "vacancy_rate", "agency_cover", "vacancies_covered",
                 "caseload_average", "absence_rate")
YEARS_SHOWN = 5


def measure_value(m: WorkforceMeasures, code: str) -> float | None:
    """A measure's figure by its indicator code."""
    if code == "sw_fte":
        return float(m.fte_in_post)
    return {
        "turnover_rate": m.turnover_rate, "agency_rate": m.agency_rate, "vacancy_rate": m.vacancy_rate,
        "agency_cover": m.agency_cover_rate, "vacancies_covered": m.vacancies_covered_rate,
        "caseload_average": m.caseload_average, "absence_rate": m.absence_rate,
    }[code]


def _n(value: Decimal | float | int, decimals: int = 1) -> str:
    return f"{float(value):,.{decimals}f}"


def _pct(value: float | None) -> str:
    return "no figure" if value is None else f"{value:,.1f}%"


def measure_words(m: WorkforceMeasures, code: str) -> str:
    """How a figure was made, in words: "12.5% = 28.9 FTE leavers ÷ 230.9 FTE in post"."""
    fte, agency, vacant = _n(m.fte_in_post), _n(m.agency_fte), _n(m.vacancies_fte)
    cover = _n(m.agency_covering_vacancies_fte)
    if code == "sw_fte":
        return f"{fte} FTE: {m.headcount_in_post} of the council's own social workers in post"
    if code == "turnover_rate":
        return (f"{_pct(m.turnover_rate)} = {_n(m.leavers_fte)} FTE leavers ÷ {fte} FTE in post (on headcount "
                f"{_pct(m.turnover_rate_headcount)} = {m.leavers_headcount} ÷ {m.headcount_in_post})")
    if code == "agency_rate":
        return (f"{_pct(m.agency_rate)} = {agency} FTE agency ÷ ({agency} agency + {fte} in post) FTE (on "
                f"headcount {_pct(m.agency_rate_headcount)} = {m.agency_headcount} ÷ "
                f"{m.agency_headcount + m.headcount_in_post})")
    if code == "vacancy_rate":
        return f"{_pct(m.vacancy_rate)} = {vacant} FTE vacant ÷ ({vacant} vacant + {fte} in post) FTE"
    if code == "agency_cover":
        return f"{_pct(m.agency_cover_rate)} = {cover} FTE agency covering vacancies ÷ {agency} FTE agency"
    if code == "vacancies_covered":
        return f"{_pct(m.vacancies_covered_rate)} = {cover} FTE covered by agency ÷ {vacant} FTE vacant"
    if code == "caseload_average":
        average = "no figure" if m.caseload_average is None else _n(m.caseload_average)
        return f"{average} = {m.cases:,} cases ÷ {_n(m.case_holder_fte)} FTE of case holders"
    if code == "absence_rate":
        return (f"{_pct(m.absence_rate)} = {_n(m.days_lost)} working days lost to sickness ÷ ({fte} FTE in post "
                f"× {m.working_days_in_year} working days)")
    raise KeyError(code)


@dataclass(frozen=True)
class Published:
    """DfE's published figures for one measure and year: the council's own, England's, the neighbours' median."""

    council: float | None = None
    council_text: str = ""  # as published: "c" when suppressed, "" when nothing was published
    england: float | None = None
    sn_median: float | None = None


def published_figures(*, local_authority: LocalAuthority, codes: Iterable[str], years: Iterable[int],
                      model_year: int = 2025) -> dict[tuple[str, int], Published]:
    """DfE's figures for each (code, year) there are any for. Two queries (the neighbours, then every figure);
    the neighbours' median is ``hearth.indicators.benchmarks.quartiles``'s, leaving out suppressed ones."""
    from hearth.indicators.benchmarks import measure_for, neighbours, quartiles
    from hearth.indicators.models import BenchmarkFigure

    la_code = local_authority.dfe_la_number
    near = [n.neighbour_code for n in neighbours(la_code=la_code, model_year=model_year)]
    measures = {m: code for code in codes if (m := measure_for(code)) is not None}
    rows = (BenchmarkFigure.objects.filter(measure__in=list(measures), year__in=list(years))
            .filter(Q(area_kind=BenchmarkFigure.AreaKind.ENGLAND)
                    | Q(area_kind=BenchmarkFigure.AreaKind.LA, area_code__in=[la_code, *near]))
            .values_list("measure", "year", "area_kind", "area_code", "value", "published"))
    council: dict[tuple[str, int], tuple[float | None, str]] = {}
    england: dict[tuple[str, int], float | None] = {}
    others: dict[tuple[str, int], list[float]] = defaultdict(list)
    for measure, year, kind, code, value, text in rows:
        at = (measures[measure], year)
        if kind == BenchmarkFigure.AreaKind.ENGLAND:
            england[at] = value
        elif code == la_code:
            council[at] = (value, text)
        elif value is not None:
            others[at].append(value)
    found: dict[tuple[str, int], Published] = {}
    for at in set(council) | set(england) | set(others):
        own = council.get(at, (None, ""))
        found[at] = Published(own[0], own[1], england.get(at), quartiles(others.get(at, []))[1])
    return found


@dataclass
class YearFigure:
    year: int
    on: date
    value: float | None
    words: str
    published: Published


@dataclass
class MeasureReport:
    code: str
    years: list[YearFigure]
    live_value: float | None
    live_words: str


@dataclass
class MeasuresReport:
    today: date
    live: WorkforceMeasures
    census_years: list[int]
    censuses: dict[int, WorkforceMeasures]
    rows: list[MeasureReport]
    latest_published: int | None  # the latest year with any published figure shown


def measures_report(*, local_authority: LocalAuthority, today: date, years: int = YEARS_SHOWN) -> MeasuresReport:
    """Each measure at each of the last ``years`` census days (30 September) and for the twelve months to
    ``today``, beside DfE's published figures. About 4 queries a census day, whatever the council's size."""
    latest = latest_census_year(today)
    census_years = list(range(latest - years + 1, latest + 1))
    censuses = {y: csww_measures(local_authority=local_authority, on=census_date(y)) for y in census_years}
    live = csww_measures(local_authority=local_authority, on=today)
    published = published_figures(local_authority=local_authority, codes=MEASURE_CODES, years=census_years)
    rows = [
        MeasureReport(
            code=code,
            years=[YearFigure(y, census_date(y), measure_value(censuses[y], code), measure_words(censuses[y], code),
                              published.get((code, y), Published())) for y in census_years],
            live_value=measure_value(live, code), live_words=measure_words(live, code))
        for code in MEASURE_CODES
    ]
    years_published = [y for (_, y), p in published.items() if p.council is not None or p.england is not None]
    return MeasuresReport(today, live, census_years, censuses, rows, max(years_published, default=None))
