"""Reads for children in care. Lists start from people_visible_to (see hearth.access).

Stability follows the DfE definitions (indicators.md §4):

* **Placements in the last 12 months** (short-term stability, ``LACStable_2016on``): every
  placement the child was in at any time in the 12 months, counting the one open at the start.
  A move to "placed for adoption" with the same foster carers (A3, A5) is not a new placement;
  temporary placements (T0 to T4) are not placements, and the return from one to the same home
  is not a new placement either. Three or more is the measure.
* **Long-term stability** (``LAC_LongStable%``): a child under 16, looked after continuously for
  2½ years or more, who has lived in the same placement for 2 years or more, or is placed for
  adoption and the adoptive placement and the one before it together cover 2 years.
* **Social workers in the last 12 months**: distinct named social workers allocated at any
  time in the 12 months, whether or not the child was looked after then.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from dateutil.relativedelta import relativedelta
from django.db.models import Count, F, IntegerField, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from hearth.people.models import Person
from hearth.tenancy.models import LocalAuthority

from . import checks
from .codes import ADOPTION_PLACEMENTS, TEMPORARY_PLACEMENTS
from .episodes import Episode, derive_episodes
from .models import AdoptionPlan, CareLegalStatus, DeprivationOfLibertyOrder, PeriodOfCare, Placement

if TYPE_CHECKING:
    from hearth.accounts.models import Team, User
    from hearth.clocks.models import Clock

THREE_PLUS = 3
LONG_TERM_CARE = relativedelta(months=30)
LONG_TERM_PLACEMENT = relativedelta(years=2)
LONG_TERM_MAX_AGE = 16


def open_period_for(*, child: Person) -> PeriodOfCare | None:
    return PeriodOfCare.objects.filter(child=child, ended_on__isnull=True).first()


def periods_covering(*, local_authority: LocalAuthority | int, on: date) -> QuerySet[PeriodOfCare]:
    """Periods of care in which a child was looked after on ``on`` (the end day is not in care)."""
    return PeriodOfCare.objects.filter(local_authority=local_authority, started_on__lte=on).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gt=on)
    )


def looked_after_on(*, child: Person, on: date) -> bool:
    return periods_covering(local_authority=child.local_authority_id, on=on).filter(child=child).exists()


def current_placement(*, period: PeriodOfCare) -> Placement | None:
    return period.placements.filter(ended_on__isnull=True).first()


def current_legal_status(*, period: PeriodOfCare) -> CareLegalStatus | None:
    return period.legal_statuses.filter(ended_on__isnull=True).first()


def placement_for(*, child: Person, pk: int) -> Placement | None:
    return Placement.objects.filter(child=child, pk=pk, local_authority_id=child.local_authority_id).select_related(
        "period", "foster_household").first()


def adoption_plan_for(*, child: Person, pk: int) -> AdoptionPlan | None:
    return AdoptionPlan.objects.filter(child=child, pk=pk, local_authority_id=child.local_authority_id).first()


def dolo_for(*, child: Person, pk: int) -> DeprivationOfLibertyOrder | None:
    return DeprivationOfLibertyOrder.objects.filter(child=child, pk=pk,
                                                    local_authority_id=child.local_authority_id).first()


def approved_foster_households(*, local_authority: LocalAuthority | int) -> QuerySet[Any]:
    from hearth.fostering.models import FosterHousehold

    return FosterHousehold.objects.filter(local_authority=local_authority,
                                          stage=FosterHousehold.Stage.APPROVED).order_by("name")


# ---------------------------------------------------------------------------------------------- stability


def _same_home(a: Any, b: Any) -> bool:
    """The same carers in the same home, as far as the record says."""
    if a.foster_household_id is not None and a.foster_household_id == b.foster_household_id:
        return True
    name_a, name_b = (a.carer_name or "").strip().lower(), (b.carer_name or "").strip().lower()
    return bool(name_a) and name_a == name_b and a.postcode == b.postcode and a.placement_type == b.placement_type


def placement_stays(placements: Iterable[Any]) -> list[list[Any]]:
    """The child's placements as DfE counts them: runs of placement records that are one placement.

    Temporary placements are left out; a same-carer move to placed for adoption (A3, A5) joins the
    foster placement before it; a return from a temporary placement to the same home joins the
    stay before the temporary one.
    """
    ordered = sorted(placements, key=lambda p: (p.started_on, p.pk or 0))
    stays: list[list[Any]] = []
    after_temporary = False
    for home in ordered:
        if home.placement_type in TEMPORARY_PLACEMENTS:
            after_temporary = True
            continue
        last = stays[-1][-1] if stays else None
        continues = last is not None and last.period_id == home.period_id and (
            (home.placement_type in checks.PLACED_WITH_CURRENT_CARER and home.same_carer_as_previous
             and not after_temporary)
            or (after_temporary and _same_home(last, home))
        )
        if continues:
            stays[-1].append(home)
        else:
            stays.append([home])
        after_temporary = False
    return stays


def placements_in_year(placements: Iterable[Any], on: date) -> int:
    """Placements (as DfE counts them) the child was in at any time in the 12 months to ``on``."""
    window_start = on - relativedelta(years=1)
    count = 0
    for stay in placement_stays(placements):
        began = stay[0].started_on
        ended = stay[-1].ended_on
        if began <= on and (ended is None or ended > window_start):
            count += 1
    return count


@dataclass(frozen=True)
class LongTermStability:
    eligible: bool  # under 16 and looked after 2½ years or more
    stable: bool  # in the same placement 2 years or more (or placed for adoption, see above)
    same_placement_since: date | None

    @property
    def label(self) -> str:
        if not self.eligible:
            return "Not applicable"
        return "Stable" if self.stable else "Not stable"


NOT_LONG_TERM = LongTermStability(False, False, None)


def long_term_stability(*, period: Any, placements: Iterable[Any], age: int | None, on: date) -> LongTermStability:
    """DfE long-term stability for a child looked after on ``on`` in ``period``."""
    if period is None or (period.ended_on is not None and period.ended_on <= on):
        return NOT_LONG_TERM
    ours = [p for p in placements if p.period_id == period.pk and p.started_on <= on]
    stays = placement_stays(ours)
    since = stays[-1][0].started_on if stays else None
    if stays and stays[-1][-1].placement_type in ADOPTION_PLACEMENTS and len(stays) > 1:
        since = stays[-2][0].started_on
    eligible = age is not None and age < LONG_TERM_MAX_AGE and period.started_on <= on - LONG_TERM_CARE
    stable = eligible and since is not None and since <= on - LONG_TERM_PLACEMENT
    return LongTermStability(eligible=eligible, stable=stable, same_placement_since=since)


# ---------------------------------------------------------------------------------------------- the child's record


@dataclass
class PeriodView:
    period: PeriodOfCare
    legal_statuses: list[CareLegalStatus]
    placements: list[Placement]
    episodes: list[Episode]
    dolos: list[DeprivationOfLibertyOrder]
    adoption_plans: list[AdoptionPlan]
    warnings: list[str]

    @property
    def current_status(self) -> CareLegalStatus | None:
        return next((s for s in self.legal_statuses if s.ended_on is None), None)

    @property
    def current_placement(self) -> Placement | None:
        return next((p for p in self.placements if p.ended_on is None), None)

    @property
    def open_dolo(self) -> DeprivationOfLibertyOrder | None:
        return next((d for d in self.dolos if d.ended_on is None), None)

    @property
    def active_adoption_plan(self) -> AdoptionPlan | None:
        return next((a for a in self.adoption_plans if a.is_active), None)


@dataclass
class CareRecord:
    periods: list[PeriodView]
    current: PeriodView | None
    placements_12m: int
    social_workers_12m: int
    long_term: LongTermStability
    limit_clocks: list[Clock] = field(default_factory=list)

    @property
    def days_in_placement(self) -> int | None:
        home = self.current.current_placement if self.current is not None else None
        return (timezone.localdate() - home.started_on).days if home is not None else None


def period_warnings(
    *, child: Person, period: PeriodOfCare, statuses: Sequence[CareLegalStatus], placements: Sequence[Placement],
    dolos: Sequence[DeprivationOfLibertyOrder], today: date,
) -> list[str]:
    """What DfE's validator would query in this period, for the worker to check (not refusals)."""
    warnings: list[str] = []
    if not period.home_postcode:
        warnings.append("No home postcode: the return needs the postcode of the home the child came into care "
                        "from (903 rule 392b). Record it in the details of the period of care")
    if not period.previous_permanence:
        warnings.append("Previous permanence is not recorded (903 rule 630)")
    open_dolo = any(d.ended_on is None for d in dolos)
    for home in placements:
        for warning in checks.placement_warnings(
            placement_type=home.placement_type, age=child.age_on(home.started_on), urn=home.urn,
            postcode=home.postcode, home_postcode=period.home_postcode, distance_miles=home.distance_miles,
            is_uasc=child.is_uasc, started_on=home.started_on, ended_on=home.ended_on, today=today,
            dolo_open=open_dolo and home.ended_on is None,
        ):
            warnings.append(f"Placement from {home.started_on.day} {home.started_on:%B %Y}: {warning}")
    for status in statuses:
        for warning in checks.legal_status_warnings(legal_status=status.legal_status, started_on=status.started_on,
                                                    ended_on=status.ended_on, today=today):
            warnings.append(f"{status.legal_status} from {status.started_on.day} {status.started_on:%B %Y}: {warning}")
    return warnings


def care_record(*, child: Person, today: date | None = None) -> CareRecord:
    """Everything the child's In care page shows. A fixed number of queries however long the history."""
    from hearth.allocations.selectors import social_workers_in_period
    from hearth.clocks.models import Clock as ClockModel

    from .services import LIMIT_CLOCKS

    today = today or timezone.localdate()
    la = child.local_authority_id
    periods = list(PeriodOfCare.objects.filter(child=child, local_authority_id=la).order_by("-started_on", "-pk"))
    statuses: dict[int, list[CareLegalStatus]] = defaultdict(list)
    homes: dict[int, list[Placement]] = defaultdict(list)
    dolos: dict[int, list[DeprivationOfLibertyOrder]] = defaultdict(list)
    plans: dict[int, list[AdoptionPlan]] = defaultdict(list)
    all_homes: list[Placement] = []
    if periods:
        for status in CareLegalStatus.objects.filter(child=child, local_authority_id=la).order_by("started_on", "pk"):
            statuses[status.period_id].append(status)
        for home in (Placement.objects.filter(child=child, local_authority_id=la)
                     .select_related("foster_household").order_by("started_on", "pk")):
            homes[home.period_id].append(home)
            all_homes.append(home)
        for order in DeprivationOfLibertyOrder.objects.filter(child=child, local_authority_id=la):
            dolos[order.period_id].append(order)
        for plan in AdoptionPlan.objects.filter(child=child, local_authority_id=la).order_by("-decided_on", "-pk"):
            plans[plan.period_id].append(plan)
    views = [
        PeriodView(
            period=p, legal_statuses=statuses[p.pk], placements=homes[p.pk],
            episodes=derive_episodes(p, statuses[p.pk], homes[p.pk]), dolos=dolos[p.pk],
            adoption_plans=plans[p.pk],
            warnings=period_warnings(child=child, period=p, statuses=statuses[p.pk], placements=homes[p.pk],
                                     dolos=dolos[p.pk], today=today),
        )
        for p in periods
    ]
    current = next((v for v in views if v.period.ended_on is None), None)
    year_ago = today - relativedelta(years=1)
    limit_clocks = list(ClockModel.objects.filter(child=child, local_authority_id=la, status=ClockModel.Status.OPEN,
                                                  rule_id__in=list(LIMIT_CLOCKS.values())).order_by("due_on"))
    return CareRecord(
        periods=views, current=current,
        placements_12m=placements_in_year(all_homes, today) if periods else 0,
        social_workers_12m=social_workers_in_period(child=child, start=year_ago, end=today),
        long_term=long_term_stability(period=current.period if current else None, placements=all_homes,
                                      age=child.age_on(today), on=today),
        limit_clocks=limit_clocks,
    )


# ---------------------------------------------------------------------------------------------- the team view


@dataclass
class CareChildRow:
    child: Person
    period: PeriodOfCare
    placement: Placement | None
    placements_12m: int
    social_workers_12m: int
    long_term: LongTermStability
    days_in_placement: int | None

    @property
    def unstable(self) -> bool:
        return self.placements_12m >= THREE_PLUS


@dataclass
class CareTeamGroup:
    team: Team | None
    rows: list[CareChildRow] = field(default_factory=list)
    # Children in care here whose records this user may not open: counted, never named.
    restricted: int = 0

    @property
    def name(self) -> str:
        return self.team.name if self.team is not None else "No team recorded"

    @property
    def children(self) -> int:
        return len(self.rows) + self.restricted

    @property
    def three_plus_placements(self) -> int:
        return sum(1 for r in self.rows if r.placements_12m >= THREE_PLUS)

    @property
    def three_plus_workers(self) -> int:
        return sum(1 for r in self.rows if r.social_workers_12m >= THREE_PLUS)

    @property
    def long_term_eligible(self) -> int:
        return sum(1 for r in self.rows if r.long_term.eligible)

    @property
    def long_term_stable(self) -> int:
        return sum(1 for r in self.rows if r.long_term.stable)

    @staticmethod
    def percent(part: int, whole: int) -> str:
        return f"{round(100 * part / whole)}%" if whole else "none"

    @property
    def three_plus_placements_percent(self) -> str:
        return self.percent(self.three_plus_placements, len(self.rows))

    @property
    def three_plus_workers_percent(self) -> str:
        return self.percent(self.three_plus_workers, len(self.rows))

    @property
    def long_term_percent(self) -> str:
        return self.percent(self.long_term_stable, self.long_term_eligible)


@dataclass
class CareTeamView:
    groups: list[CareTeamGroup]
    totals: CareTeamGroup
    teams: list[Team]
    team: Team | None


def _work_team() -> Coalesce:
    from hearth.worktrays.selectors import child_team

    # The period's own team, else the team that holds the child's social work.
    return Coalesce(F("team_id"), child_team("child_id"), output_field=IntegerField())


def children_in_care(*, user: User, team: Team | None = None, today: date | None = None,
                     teams: list[Team] | None = None) -> CareTeamView:
    """Children looked after now, by team, with their stability. Five queries however many children
    (four when the caller already holds the council's ``teams``)."""
    from hearth.access.policy import visible_people_filter
    from hearth.accounts.models import Team as TeamModel
    from hearth.allocations.models import Allocation

    today = today or timezone.localdate()
    la = user.local_authority_id
    if teams is None:
        teams = list(TeamModel.objects.filter(local_authority_id=la).order_by("name"))
    by_pk = {t.pk: t for t in teams}
    visible = visible_people_filter(user, prefix="child__")
    if visible is None:
        return CareTeamView([], CareTeamGroup(None), teams, team)
    open_periods = PeriodOfCare.objects.filter(local_authority_id=la, ended_on__isnull=True).annotate(
        work_team_id=_work_team())
    if team is not None:
        open_periods = open_periods.filter(work_team_id=team.pk)
    periods = list(open_periods.filter(visible).select_related("child").order_by(
        "child__last_name", "child__first_name", "pk"))
    # Restricted records the user cannot open are counted in their team; sealed ones are not counted at all.
    hidden = (open_periods.exclude(visible).filter(child__access_level=Person.AccessLevel.RESTRICTED,
                                                   child__merged_into__isnull=True)
              .order_by().values("work_team_id").annotate(n=Count("pk")))
    restricted = {row["work_team_id"]: row["n"] for row in hidden}
    child_ids = open_periods.filter(visible).values("child_id")
    homes: dict[int, list[Placement]] = defaultdict(list)
    for home in Placement.objects.filter(local_authority_id=la, child_id__in=child_ids).order_by("started_on", "pk"):
        homes[home.child_id].append(home)
    year_ago = today - relativedelta(years=1)
    workers = {
        row["child_id"]: row["n"]
        for row in Allocation.objects.filter(
            local_authority_id=la, child_id__in=child_ids, kind=Allocation.Kind.SOCIAL_WORKER,
            worker__isnull=False, started_on__lte=today,
        ).filter(Q(ended_on__isnull=True) | Q(ended_on__gte=year_ago))
        .order_by().values("child_id").annotate(n=Count("worker", distinct=True))
    }
    groups: dict[int | None, CareTeamGroup] = {}
    for period in periods:
        key = period.work_team_id
        group = groups.setdefault(key, CareTeamGroup(by_pk.get(key) if key is not None else None))
        child_homes = homes[period.child_id]
        current = next((h for h in child_homes if h.period_id == period.pk and h.ended_on is None), None)
        group.rows.append(CareChildRow(
            child=period.child, period=period, placement=current,
            placements_12m=placements_in_year(child_homes, today),
            social_workers_12m=workers.get(period.child_id, 0),
            long_term=long_term_stability(period=period, placements=child_homes, age=period.child.age_on(today),
                                          on=today),
            days_in_placement=(today - current.started_on).days if current is not None else None,
        ))
    for key, n in restricted.items():
        groups.setdefault(key, CareTeamGroup(by_pk.get(key) if key is not None else None)).restricted = n
    ordered = sorted(groups.values(), key=lambda g: (g.team is None, g.name))
    totals = CareTeamGroup(None, rows=[r for g in ordered for r in g.rows],
                           restricted=sum(g.restricted for g in ordered))
    return CareTeamView(groups=ordered, totals=totals, teams=teams, team=team)
