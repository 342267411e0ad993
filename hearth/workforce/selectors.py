"""Reading the establishment: what the council has on a day, which posts lose their funding soon, and the posts
and people a member of staff may see.

Appointments, funding and absences run from ``starts_on`` to ``ends_on``, both days included. A post is on the
establishment from ``established_on`` until ``ended_on``, the day it came off (as the model says, and as the CSWW
measures read it): its last day is the day before.

A post's FTE is *filled* by the council's own employees in it (permanent or seconded in) on the day, up to the
post's FTE; the rest is *vacant*. An agency worker in a post is covering a vacancy: *agency* FTE is the part of
the vacancy they cover (an agency worker alongside a full complement, covering sickness say, covers no vacancy).
A post is labelled "Filled" when any employee is in it, else "Agency worker" when an agency worker is, else
"Vacant".

Funding at risk: a post is at risk when the funding that pays for it today ends within the horizon and no
funding for it starts the day after. Renewals are followed (a renewal that itself lapses within the horizon
puts the post at risk at that later date), and a part-funded post is at risk for the share that lapses: the
cost at risk is the post's annual cost times the share of it no longer funded the day after.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from dateutil.relativedelta import relativedelta
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from hearth.accounts.models import Team, User
from hearth.accounts.roles import Role
from hearth.indicators import registry
from hearth.tenancy.models import LocalAuthority

from .models import Absence, Appointment, Post, PostFunding
from .rules import sees_whole_council

ZERO = Decimal(0)
HUNDRED = Decimal(100)
PENNY = Decimal("0.01")
EMPLOYEES = (Appointment.EmploymentType.PERMANENT, Appointment.EmploymentType.SECONDED)
VACANT, AGENCY, FILLED = "Vacant", "Agency worker", "Filled"
OCCUPANCY = {"filled": FILLED, "agency": AGENCY, "vacant": VACANT}
NOT_FUNDED = "Not funded"


# ---------------------------------------------------------------------------------------------- shared pieces

def on_establishment(day: date, prefix: str = "") -> Q:
    """Posts on the establishment on ``day``."""
    return Q(**{f"{prefix}established_on__lte": day}) & (
        Q(**{f"{prefix}ended_on__isnull": True}) | Q(**{f"{prefix}ended_on__gt": day}))


def in_force(day: date, prefix: str = "") -> Q:
    """Appointments, funding or absences running on ``day``."""
    return Q(**{f"{prefix}starts_on__lte": day}) & (
        Q(**{f"{prefix}ends_on__isnull": True}) | Q(**{f"{prefix}ends_on__gte": day}))


def funding_label(funding: PostFunding) -> str:
    """"Base budget", "Children's improvement reserve (reserve)", "Families First grant (grant)"."""
    if funding.source == PostFunding.Source.RESERVE and funding.reserve is not None:
        return f"{funding.reserve.name} (reserve)"
    if funding.source == PostFunding.Source.GRANT and funding.grant is not None:
        return f"{funding.grant.name} (grant)"
    return str(PostFunding.Source(funding.source).label)


def occupant_label(employee_fte: Decimal, agency_fte: Decimal) -> str:
    if employee_fte > 0:
        return FILLED
    if agency_fte > 0:
        return AGENCY
    return VACANT


def _money(value: Decimal) -> Decimal:
    return value.quantize(PENNY, rounding=ROUND_HALF_UP)


def _share_of(amount: Decimal, share: Decimal) -> Decimal:
    return amount * share / HUNDRED


def _indicator_order(codes: Iterable[str]) -> list[str]:
    """Codes once each, in the registry's order; codes it does not know last, as given."""
    order = {code: i for i, code in enumerate(registry.REGISTRY)}
    unique = list(dict.fromkeys(codes))
    return sorted(unique, key=lambda c: (c not in order, order.get(c, 0)))


def indicator_titles(codes: Iterable[str]) -> list[str]:
    """The titles of the indicators Hearth knows among ``codes``, in the registry's order."""
    titles = []
    for code in _indicator_order(codes):
        try:
            titles.append(registry.get(code).title)
        except LookupError:
            continue
    return titles


def _occupancy(post_ids: Iterable[int] | QuerySet[Any], on: date) -> dict[int, tuple[Decimal, Decimal]]:
    """(employee FTE, agency FTE) in each post on the day, one query."""
    filled: dict[int, list[Decimal]] = defaultdict(lambda: [ZERO, ZERO])
    rows = (Appointment.objects.filter(in_force(on), post_id__in=post_ids)
            .values_list("post_id", "employment_type", "fte"))
    for post_id, kind, fte in rows:
        filled[post_id][0 if kind in EMPLOYEES else 1] += fte
    return {pk: (e, a) for pk, (e, a) in filled.items()}


def _scope(posts: QuerySet[Post], team: Team | int | None) -> QuerySet[Post]:
    if team is None:
        return posts
    return posts.filter(team_id=team.pk if isinstance(team, Team) else team)


# ---------------------------------------------------------------------------------------------- establishment

@dataclass
class Establishment:
    posts: int
    fte: Decimal
    filled_fte: Decimal
    agency_fte: Decimal
    vacant_fte: Decimal
    annual_cost: Decimal
    by_source: dict[str, Decimal]

    @property
    def vacancy_percent(self) -> float | None:
        return float(self.vacant_fte / self.fte * 100) if self.fte else None

    @property
    def uncovered_fte(self) -> Decimal:
        """Vacant and not covered by an agency worker."""
        return self.vacant_fte - self.agency_fte


def establishment_on(*, local_authority: LocalAuthority | int, on: date, team: Team | int | None = None
                     ) -> Establishment:
    """The posts on the establishment on ``on`` (one team's, or the council's): FTE filled by employees, covered
    by agency workers, vacant, and the annual cost by where the money comes from. Three queries."""
    la_id = local_authority if isinstance(local_authority, int) else local_authority.pk
    posts = list(_scope(Post.objects.filter(on_establishment(on), local_authority_id=la_id), team)
                 .only("pk", "fte", "annual_cost"))
    ids = [p.pk for p in posts]
    occupancy = _occupancy(ids, on)
    fundings: dict[int, list[PostFunding]] = defaultdict(list)
    for f in PostFunding.objects.filter(in_force(on), post_id__in=ids).select_related("reserve", "grant"):
        fundings[f.post_id].append(f)
    fte = filled = agency = cost = ZERO
    by_source: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for post in posts:
        employees, agents = occupancy.get(post.pk, (ZERO, ZERO))
        post_filled = min(post.fte, employees)
        fte += post.fte
        filled += post_filled
        agency += min(post.fte - post_filled, agents)
        cost += post.annual_cost
        funded = ZERO
        for f in fundings[post.pk]:
            share = min(f.share_percent, HUNDRED - funded)
            funded += share
            by_source[funding_label(f)] += _share_of(post.annual_cost, share)
        if funded < HUNDRED:
            by_source[NOT_FUNDED] += _share_of(post.annual_cost, HUNDRED - funded)
    base = str(PostFunding.Source.BASE_BUDGET.label)
    ordered = sorted(by_source.items(), key=lambda kv: (kv[0] != base, kv[0] == NOT_FUNDED, -kv[1], kv[0]))
    return Establishment(posts=len(posts), fte=fte, filled_fte=filled, agency_fte=agency, vacant_fte=fte - filled,
                         annual_cost=_money(cost), by_source={k: _money(v) for k, v in ordered if v})


# ---------------------------------------------------------------------------------------------- sustainability

@dataclass
class PostAtRisk:
    post: Post
    funding: PostFunding | None
    source_label: str
    ends_on: date | None
    annual_cost: Decimal
    occupant_label: str
    indicators: list[str]
    # The FTE and share of the post whose funding lapses (all of it unless the post is part-funded).
    fte: Decimal = ZERO
    share_percent: Decimal = HUNDRED

    @property
    def monthly_cost(self) -> Decimal:
        return _money(self.annual_cost / 12)


@dataclass
class Horizon:
    months: int
    ends_by: date
    posts: list[PostAtRisk]
    fte: Decimal
    annual_cost: Decimal
    indicators: list[str]

    @property
    def monthly_cost(self) -> Decimal:
        """What carrying on these posts costs a month."""
        return _money(self.annual_cost / 12)


@dataclass
class Sustainability:
    today: date
    horizons: list[Horizon]
    already_unfunded: list[PostAtRisk] = field(default_factory=list)

    def horizon(self, months: int) -> Horizon | None:
        return next((h for h in self.horizons if h.months == months), None)


def _funded_share(fundings: Sequence[PostFunding], day: date) -> Decimal:
    total = sum((f.share_percent for f in fundings if f.starts_on <= day and (f.ends_on is None or f.ends_on >= day)),
                ZERO)
    return min(total, HUNDRED)


def _lapse(fundings: Sequence[PostFunding], today: date) -> tuple[date, Decimal, PostFunding] | None:
    """The first day after which the post is funded less than it is today: that last funded day, the share
    lost and the funding that ended then (the largest share, if several did). None if its funding carries on."""
    now = _funded_share(fundings, today)
    if now == 0:
        return None
    for end in sorted({f.ends_on for f in fundings if f.ends_on is not None and f.ends_on >= today}):
        after = _funded_share(fundings, end + timedelta(days=1))
        if after < now:
            ending = [f for f in fundings if f.ends_on == end]
            return end, now - after, max(ending, key=lambda f: (f.share_percent, f.pk))
    return None


def _unfunded(post: Post, fundings: Sequence[PostFunding], today: date, occupant: str) -> PostAtRisk | None:
    share = HUNDRED - _funded_share(fundings, today)
    if share <= 0:
        return None
    ended = [f for f in fundings if f.ends_on is not None and f.ends_on < today]
    last = max(ended, key=lambda f: (f.ends_on, f.pk)) if ended else None
    if share < HUNDRED:
        label = f"{share.normalize():f}% of the post has no funding"
    elif last is not None:
        label = funding_label(last)
    else:
        label = "No funding recorded"
    return PostAtRisk(post=post, funding=last, source_label=label, ends_on=last.ends_on if last else None,
                      annual_cost=_money(_share_of(post.annual_cost, share)), occupant_label=occupant,
                      indicators=_indicator_order(post.serves_indicators), fte=_share_of(post.fte, share),
                      share_percent=share)


def sustainability(*, local_authority: LocalAuthority | int, today: date, horizons: tuple[int, ...] = (3, 6, 12),
                   team: Team | int | None = None) -> Sustainability:
    """Posts whose funding ends within each horizon (months from ``today``; cumulative: the 6-month list holds
    the 3-month posts), their FTE and annual cost, the indicators they serve, and the posts already without
    funding. Three queries whatever the size."""
    la_id = local_authority if isinstance(local_authority, int) else local_authority.pk
    posts = list(_scope(Post.objects.filter(on_establishment(today), local_authority_id=la_id), team)
                 .select_related("team"))
    ids = [p.pk for p in posts]
    fundings: dict[int, list[PostFunding]] = defaultdict(list)
    for f in PostFunding.objects.filter(post_id__in=ids).select_related("reserve", "grant"):
        fundings[f.post_id].append(f)
    occupancy = _occupancy(ids, today)
    at_risk: list[PostAtRisk] = []
    unfunded: list[PostAtRisk] = []
    for post in posts:
        occupant = occupant_label(*occupancy.get(post.pk, (ZERO, ZERO)))
        lapse = _lapse(fundings[post.pk], today)
        if lapse is not None:
            ends_on, share, funding = lapse
            at_risk.append(PostAtRisk(
                post=post, funding=funding, source_label=funding_label(funding), ends_on=ends_on,
                annual_cost=_money(_share_of(post.annual_cost, share)), occupant_label=occupant,
                indicators=_indicator_order(post.serves_indicators), fte=_share_of(post.fte, share),
                share_percent=share))
        gap = _unfunded(post, fundings[post.pk], today, occupant)
        if gap is not None:
            unfunded.append(gap)
    at_risk.sort(key=lambda r: (r.ends_on or date.max, r.post.reference))
    unfunded.sort(key=lambda r: (r.ends_on or date.min, r.post.reference))
    result = []
    for months in sorted(horizons):
        ends_by = today + relativedelta(months=months)
        rows = [r for r in at_risk if r.ends_on is not None and r.ends_on <= ends_by]
        result.append(Horizon(
            months=months, ends_by=ends_by, posts=rows, fte=sum((r.fte for r in rows), ZERO),
            annual_cost=sum((r.annual_cost for r in rows), ZERO),
            indicators=_indicator_order(code for r in rows for code in r.indicators)))
    return Sustainability(today=today, horizons=result, already_unfunded=unfunded)


# ---------------------------------------------------------------------------------------------- posts a user sees

def _sum_fte(on: date, types: Sequence[str]) -> Coalesce:
    rows = (Appointment.objects.filter(in_force(on), post_id=OuterRef("pk"), employment_type__in=types)
            .order_by().values("post_id").annotate(total=Sum("fte")).values("total"))
    return Coalesce(Subquery(rows), Value(ZERO))


def _team_of(user: User) -> int | None:
    """None: every team. A team manager is scoped to their team (no team: nothing)."""
    if sees_whole_council(user):
        return None
    return user.team_id or 0


def teams_for(*, user: User) -> QuerySet[Team]:
    teams = Team.objects.filter(local_authority_id=user.local_authority_id)
    scoped = _team_of(user)
    return teams if scoped is None else teams.filter(pk=scoped)


def posts_for(*, user: User, on: date, team: Team | int | None = None, kind: str = "", source: str = "",
              occupancy: str = "", ending_within: int | None = None, status: str = "current") -> QuerySet[Post]:
    """The posts ``user`` may see (a team manager: their team's), filtered, with ``employee_fte`` and
    ``agency_fte`` on the day and the funding in force then prefetched (``current_funding``).

    ``source``: a PostFunding source, or "none" for posts with no funding in force; ``occupancy``: "filled",
    "agency" or "vacant" (as ``occupant_label``); ``ending_within``: months, posts at risk in that horizon;
    ``status``: "current" (on the establishment on the day), "ended" (taken off by then) or "all"."""
    posts: QuerySet[Post] = Post.objects.filter(local_authority_id=user.local_authority_id)
    scoped = _team_of(user)
    if scoped is not None:
        posts = posts.filter(team_id=scoped)
    posts = _scope(posts, team)
    if status == "current":
        posts = posts.filter(on_establishment(on))
    elif status == "ended":
        posts = posts.filter(ended_on__lte=on)
    if kind:
        posts = posts.filter(kind=kind)
    funded = PostFunding.objects.filter(in_force(on), post_id=OuterRef("pk"))
    if source == "none":
        posts = posts.filter(~Exists(funded))
    elif source:
        posts = posts.filter(Exists(funded.filter(source=source)))
    posts = posts.annotate(employee_fte=_sum_fte(on, EMPLOYEES),
                           agency_fte=_sum_fte(on, (Appointment.EmploymentType.AGENCY,)))
    if occupancy == "filled":
        posts = posts.filter(employee_fte__gt=0)
    elif occupancy == "agency":
        posts = posts.filter(employee_fte=0, agency_fte__gt=0)
    elif occupancy == "vacant":
        posts = posts.filter(employee_fte=0, agency_fte=0)
    if ending_within is not None:
        risk = sustainability(local_authority=user.local_authority_id, today=on,  # type: ignore[arg-type]
                              horizons=(ending_within,), team=scoped if scoped is not None else team)
        posts = posts.filter(pk__in=[r.post.pk for r in risk.horizons[0].posts])
    current = PostFunding.objects.filter(in_force(on)).select_related("reserve", "grant")
    return (posts.select_related("team")
            .prefetch_related(Prefetch("funding", queryset=current, to_attr="current_funding"))
            .order_by("reference"))


def post_for(*, user: User, pk: int) -> Post | None:
    """One post, if ``user`` may see it."""
    posts = Post.objects.filter(pk=pk, local_authority_id=user.local_authority_id).select_related("team")
    scoped = _team_of(user)
    if scoped is not None:
        posts = posts.filter(team_id=scoped)
    return posts.first()


def post_funding(*, post: Post) -> list[PostFunding]:
    return list(post.funding.select_related("reserve", "grant").order_by("starts_on", "pk"))


def post_appointments(*, post: Post) -> list[Appointment]:
    return list(post.appointments.select_related("worker").order_by("-starts_on", "-pk"))


# ---------------------------------------------------------------------------------------------- people

STAFF = ~Q(role__in=[Role.PARTNER_REFERRER]) & Q(is_superuser=False)


def workers_for(*, user: User, on: date, team: Team | int | None = None, employment_type: str = "",
                status: str = "current") -> QuerySet[User]:
    """Staff ``user`` may see (a team manager: their team), with their appointment in force on the day
    (``appointment_pk``, ``appointment_type``, ``appointment_fte``, ``appointment_role``, ``post_reference``,
    ``post_title``). ``employment_type``: an Appointment type, or "none" for no appointment that day;
    ``status``: "current" (not left by the day), "left" or "all"."""
    workers = User.objects.filter(STAFF, local_authority_id=user.local_authority_id)
    scoped = _team_of(user)
    if scoped is not None:
        workers = workers.filter(team_id=scoped)
    if team is not None:
        workers = workers.filter(team_id=team.pk if isinstance(team, Team) else team)
    left = Q(left_on__isnull=False, left_on__lte=on)
    if status == "current":
        workers = workers.filter(~left, is_active=True)
    elif status == "left":
        workers = workers.filter(left)
    now = Appointment.objects.filter(in_force(on), worker_id=OuterRef("pk")).order_by("-starts_on", "-pk")
    workers = workers.annotate(
        appointment_pk=Subquery(now.values("pk")[:1]),
        appointment_type=Subquery(now.values("employment_type")[:1]),
        appointment_fte=Subquery(now.values("fte")[:1]),
        appointment_role=Subquery(now.values("org_role")[:1]),
        post_reference=Subquery(now.values("post__reference")[:1]),
        post_title=Subquery(now.values("post__title")[:1]),
    )
    if employment_type == "none":
        workers = workers.filter(appointment_pk__isnull=True)
    elif employment_type:
        workers = workers.filter(appointment_type=employment_type)
    return workers.select_related("team").order_by("last_name", "first_name", "pk")


def worker_for(*, user: User, pk: int) -> User | None:
    """One member of staff, if ``user`` may see them."""
    return workers_for(user=user, on=timezone.localdate(), status="all").filter(pk=pk).first()


def current_appointment(appointments: Sequence[Appointment], today: date) -> Appointment | None:
    """The appointment in force today; else the latest that has started; else the first still to come."""
    ordered = sorted(appointments, key=lambda a: (a.starts_on, a.pk or 0))
    in_force = [a for a in ordered if a.starts_on <= today and (a.ends_on is None or a.ends_on >= today)]
    if in_force:
        return in_force[-1]
    started = [a for a in ordered if a.starts_on <= today]
    if started:
        return started[-1]
    return ordered[0] if ordered else None


def appointments_of(*, worker: User) -> list[Appointment]:
    return list(Appointment.objects.filter(worker=worker).select_related("post", "post__team")
                .order_by("-starts_on", "-pk"))


def absences_of(*, worker: User) -> list[Absence]:
    return list(Absence.objects.filter(worker=worker).order_by("-starts_on", "-pk"))
