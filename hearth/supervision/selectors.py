"""Reading supervision: each worker's status against the policy, compliance for a team or the council, sessions
as the reader may see them, and children whose plans have not been discussed in supervision for too long.

Compliance is an aggregate over staff, not children: it names workers (for their managers) and never children.
Every list of sessions is scoped to what the reader may see; a list of children starts from the access rule.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from django.db.models import Count, F, Max, OuterRef, Q, QuerySet, Subquery, Value
from django.utils import timezone

from hearth.access.policy import countable_unseen_filter, visible_people_filter
from hearth.accounts.models import Team, User
from hearth.accounts.roles import Role
from hearth.allocations.models import Allocation

from .models import CaseDiscussion, SupervisionArrangement, SupervisionPolicy, SupervisionSession
from .schedule import DUE_SOON_DAYS, SUPERVISED_ROLES, WEEKS, Interval, Policy, anchor, days_overdue

if TYPE_CHECKING:
    from hearth.people.models import Person
    from hearth.tenancy.models import LocalAuthority

LEADER_ROLES = frozenset({Role.SERVICE_MANAGER, Role.DIRECTOR})
# Who may record supervision of a worker in their team, or (leaders) of anyone in the council.
RECORDING_ROLES = frozenset({Role.TEAM_MANAGER, Role.SERVICE_MANAGER, Role.DIRECTOR})
# The allocations that make a worker's caseload.
CASELOAD_KINDS = (Allocation.Kind.SOCIAL_WORKER, Allocation.Kind.PERSONAL_ADVISER)


def _pk(value: Any) -> int | None:
    return None if value is None else getattr(value, "pk", value)


# ---------------------------------------------------------------------------------------------- policy

def policy_row(*, local_authority: LocalAuthority | int | None) -> SupervisionPolicy | None:
    return SupervisionPolicy.objects.filter(local_authority_id=_pk(local_authority)).first()


def policy_from(row: SupervisionPolicy | None) -> Policy:
    if row is None:
        return Policy()
    frequencies: dict[str, Interval] = {}
    for role, value in (row.frequencies or {}).items():
        try:
            frequencies[role] = Interval(int(value["every"]), str(value.get("unit", WEEKS)))
        except (KeyError, TypeError, ValueError):
            continue  # a role the form never wrote is left out, not guessed at
    return Policy(
        frequencies=frequencies,
        asye_first_weeks=row.asye_first_weeks,
        asye_first=Interval(row.asye_first_every_weeks),
        asye=Interval(row.asye_every_weeks),
        asye_months=row.asye_months,
        case_discussion_weeks=row.case_discussion_weeks,
    )


def policy_for(*, local_authority: LocalAuthority | int | None) -> Policy:
    """The council's policy, or the default one until someone sets it. One query."""
    return policy_from(policy_row(local_authority=local_authority))


# ---------------------------------------------------------------------------------------------- workers

def supervised_workers(*, local_authority: LocalAuthority | int | None, on: date, team: Team | int | None = None,
                       roles: Any = SUPERVISED_ROLES) -> QuerySet[User]:
    """Staff in post on ``on`` in a role the policy covers. Someone who has left was in post before they left;
    an account switched off without a leaving date is not counted."""
    workers = (
        User.objects.filter(local_authority_id=_pk(local_authority), role__in=list(roles))
        .filter(Q(started_on__isnull=True) | Q(started_on__lte=on))
        .filter(Q(left_on__isnull=True) | Q(left_on__gt=on))
        .filter(Q(is_active=True) | Q(left_on__isnull=False))
    )
    if team is not None:
        workers = workers.filter(team_id=_pk(team) or 0)
    return workers


@dataclass
class WorkerStatus:
    worker: User
    last_on: date | None
    due_on: date
    days_overdue: int
    interval: Interval
    asye: bool
    next_booked: date | None
    supervisor_id: int | None

    @property
    def overdue(self) -> bool:
        return self.days_overdue > 0

    def due_soon(self, on: date) -> bool:
        return not self.overdue and (self.due_on - on).days <= DUE_SOON_DAYS


def _held(on: date) -> QuerySet[SupervisionSession]:
    return SupervisionSession.objects.filter(status=SupervisionSession.Status.HELD, held_on__lte=on)


def worker_statuses(*, local_authority: LocalAuthority | int | None, on: date, team: Team | int | None = None,
                    workers: QuerySet[User] | None = None, policy: Policy | None = None) -> list[WorkerStatus]:
    """Each supervised worker's last supervision, next due date and days overdue on ``on``, most overdue first.

    Two queries (the policy, then the workers with their last session) however many workers there are.
    """
    policy = policy or policy_for(local_authority=local_authority)
    if workers is None:
        workers = supervised_workers(local_authority=local_authority, on=on, team=team,
                                     roles=list(policy.frequencies))
    last = _held(on).filter(supervisee_id=OuterRef("pk")).order_by("-held_on", "-id")
    rows = (
        workers.select_related("team")
        .annotate(
            last_held_on=Subquery(last.values("held_on")[:1]),
            next_booked_on=Subquery(last.values("next_on")[:1]),
            asye_started=F("supervision_arrangement__asye_started_on"),
            designated_supervisor_id=F("supervision_arrangement__supervisor_id"),
        )
        .order_by("last_name", "first_name", "pk")
    )
    statuses = []
    for worker in rows:
        start = anchor(last_held=worker.last_held_on, started_on=worker.started_on,
                       joined=timezone.localdate(worker.date_joined))
        interval = policy.interval_for(worker.role, asye_started_on=worker.asye_started, on=start)
        if interval is None:
            continue
        due = interval.after(start)  # as schedule.due_on
        statuses.append(WorkerStatus(
            worker=worker, last_on=worker.last_held_on, due_on=due, days_overdue=days_overdue(due=due, on=on),
            interval=interval, asye=policy.in_asye(worker.asye_started, on), next_booked=worker.next_booked_on,
            supervisor_id=worker.designated_supervisor_id,
        ))
    statuses.sort(key=lambda s: (-s.days_overdue, s.due_on, s.worker.last_name, s.worker.first_name, s.worker.pk))
    return statuses


# ---------------------------------------------------------------------------------------------- compliance

@dataclass
class WorkerDue:
    worker: User
    last_on: date | None
    due_on: date
    days_overdue: int


@dataclass
class SupervisionCompliance:
    workers: int
    in_time: int
    overdue: list[WorkerDue]
    percent: float | None


def compliance_of(statuses: list[WorkerStatus]) -> SupervisionCompliance:
    overdue = [WorkerDue(worker=s.worker, last_on=s.last_on, due_on=s.due_on, days_overdue=s.days_overdue)
               for s in statuses if s.overdue]
    overdue.sort(key=lambda w: (-w.days_overdue, w.worker.last_name, w.worker.first_name, w.worker.pk))
    workers = len(statuses)
    in_time = workers - len(overdue)
    return SupervisionCompliance(workers=workers, in_time=in_time, overdue=overdue,
                                 percent=round(100 * in_time / workers, 1) if workers else None)


def supervision_compliance(*, local_authority: LocalAuthority | int | None, team: Team | int | None = None,
                           on: date) -> SupervisionCompliance:
    """How many supervised workers (of a team, or the council) are in time with supervision on ``on``.

    ``overdue`` lists the workers past their due date, most overdue first; ``percent`` is in time out of all
    (None when there is nobody to supervise).
    """
    return compliance_of(worker_statuses(local_authority=local_authority, on=on, team=team))


@dataclass
class TeamCompliance:
    team: Team | None
    compliance: SupervisionCompliance

    @property
    def name(self) -> str:
        return self.team.name if self.team is not None else "No team"


def compliance_by_team(*, local_authority: LocalAuthority | int | None, on: date) -> tuple[list[TeamCompliance],
                                                                                       SupervisionCompliance]:
    """One row per team that has supervised workers, and the council as a whole. Three queries."""
    statuses = worker_statuses(local_authority=local_authority, on=on)
    by_team: dict[int | None, list[WorkerStatus]] = {}
    teams: dict[int | None, Team | None] = {None: None}
    for status in statuses:
        by_team.setdefault(status.worker.team_id, []).append(status)
        teams[status.worker.team_id] = status.worker.team
    rows = [TeamCompliance(team=teams[key], compliance=compliance_of(group)) for key, group in by_team.items()]
    rows.sort(key=lambda r: (r.team is None, r.name))
    return rows, compliance_of(statuses)


# ---------------------------------------------------------------------------------------------- who sees whom

def designated_supervisor_id(worker: User) -> int | None:
    return (SupervisionArrangement.objects.filter(worker=worker).values_list("supervisor_id", flat=True)
            .first())


def _staff(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.local_authority_id is not None)


def may_see_worker(user: Any, worker: User) -> bool:
    """The worker themselves, their designated supervisor, their team manager, heads of service and the director.
    Never a peer, and never a performance analyst (who sees aggregates)."""
    if not _staff(user) or worker.local_authority_id != user.local_authority_id:
        return False
    if user.pk == worker.pk or user.role in LEADER_ROLES:
        return True
    if user.role == Role.TEAM_MANAGER and worker.team_id and worker.team_id == user.team_id \
            and worker.role != Role.TEAM_MANAGER:
        return True
    return designated_supervisor_id(worker) == user.pk


def may_record_for(user: Any, worker: User) -> bool:
    """The worker's supervisor: their team manager, someone given the role, or a head of service or director."""
    if not _staff(user) or user.pk == worker.pk or not user.has_case_access:
        return False
    if worker.role not in SUPERVISED_ROLES and worker.role not in LEADER_ROLES:
        return False
    if user.role in RECORDING_ROLES and may_see_worker(user, worker):
        return True
    return designated_supervisor_id(worker) == user.pk


def may_see_session(user: Any, session: SupervisionSession) -> bool:
    if not _staff(user) or session.local_authority_id != user.local_authority_id:
        return False
    if user.pk in (session.supervisee_id, session.supervisor_id):
        return True
    return may_see_worker(user, session.supervisee)


def supervisees_of(*, user: User) -> QuerySet[User]:
    """Workers for whom ``user`` is the named supervisor."""
    return User.objects.filter(local_authority_id=user.local_authority_id,
                               supervision_arrangement__supervisor=user).order_by("last_name", "first_name", "pk")


def teams_for(*, user: User) -> QuerySet[Team]:
    """Teams whose supervision the user may look across with names: their own (a team manager), every team
    (heads of service and the director)."""
    teams = Team.objects.filter(local_authority_id=user.local_authority_id, closed_on__isnull=True)
    if user.role in LEADER_ROLES:
        return teams.order_by("name")
    if user.role == Role.TEAM_MANAGER and user.team_id:
        return teams.filter(pk=user.team_id)
    return Team.objects.none()


def team_workers(*, user: User, team: Team, on: date) -> QuerySet[User]:
    """The team's supervised workers this user may see by name (a team manager does not see a fellow manager)."""
    workers = supervised_workers(local_authority=user.local_authority_id, on=on, team=team)
    if user.role == Role.TEAM_MANAGER and user.role not in LEADER_ROLES:
        workers = workers.filter(~Q(role=Role.TEAM_MANAGER) | Q(pk=user.pk))
    return workers


# ---------------------------------------------------------------------------------------------- sessions

def _discussions_counted(user: User) -> Count | Value:
    """How many children a session discussed, as ``user`` may know it: those they may open and the restricted
    ones (the session page says "a restricted record"); a discussion of a sealed child is not counted, as its
    existence is not for others to know (the session page does not count it either)."""
    prefix = "case_discussions__child__"
    visible = visible_people_filter(user, prefix=prefix)
    countable = countable_unseen_filter(user, prefix=prefix)
    if visible is None or countable is None:
        return Value(0)
    return Count("case_discussions", filter=visible | countable, distinct=True)


def sessions_for_worker(*, worker: User, user: User) -> QuerySet[SupervisionSession]:
    """A worker's supervision history, newest first, with how many children each discussed (as ``user``
    may count them). One query."""
    return (
        SupervisionSession.objects.filter(local_authority_id=worker.local_authority_id, supervisee=worker)
        .select_related("supervisor")
        .annotate(discussions=_discussions_counted(user))
        .order_by("-held_on", "-id")
    )


def recent_sessions(*, local_authority: LocalAuthority | int | None, workers: QuerySet[User], user: User,
                    limit: int = 10) -> QuerySet[SupervisionSession]:
    return (
        SupervisionSession.objects.filter(local_authority_id=_pk(local_authority),
                                          supervisee__in=workers.order_by().values("pk"))
        .select_related("supervisee", "supervisor")
        .annotate(discussions=_discussions_counted(user))
        .order_by("-held_on", "-id")[:limit]
    )


def session_for(*, user: User, pk: int) -> SupervisionSession | None:
    """The session if it is of the user's council (whether they may read it is ``may_see_session``)."""
    return (
        SupervisionSession.objects.filter(pk=pk, local_authority_id=user.local_authority_id)
        .select_related("supervisee", "supervisee__team", "supervisor")
        .first()
    )


@dataclass
class SessionDiscussions:
    shown: list[CaseDiscussion]
    # Discussions of restricted children the reader cannot open: counted, never named. Sealed ones are not counted.
    restricted: int


def discussions_for(*, user: User, session: SupervisionSession) -> SessionDiscussions:
    rule = visible_people_filter(user, prefix="child__")
    base = CaseDiscussion.objects.filter(session=session, local_authority_id=session.local_authority_id)
    if rule is None:
        return SessionDiscussions([], 0)
    # A session discusses a handful of children: sorted here, since ordering by the child's name in SQL leads
    # SQLite to walk the whole name index.
    shown = sorted(base.filter(rule).select_related("child").order_by(),
                   key=lambda d: (d.child.last_name, d.child.first_name, d.pk))
    unseen = countable_unseen_filter(user, prefix="child__")
    restricted = base.filter(unseen).count() if unseen is not None else 0
    return SessionDiscussions(shown, restricted)


def case_discussion_for(*, user: User, person: Person, pk: int) -> CaseDiscussion | None:
    rule = visible_people_filter(user, prefix="child__")
    if rule is None:
        return None
    return (
        CaseDiscussion.objects.filter(rule, pk=pk, child=person, local_authority_id=user.local_authority_id)
        .select_related("session", "session__supervisor", "session__supervisee")
        .first()
    )


# ---------------------------------------------------------------------------------------------- children

def caseload_for_discussion(*, user: User, worker: User) -> QuerySet[Person]:
    """The children on the worker's caseload that the recording manager may open, for case discussions."""
    from hearth.access.selectors import people_visible_to

    # By worker alone, so the (worker, ended_on) index answers; the people rule scopes the council.
    held = Allocation.objects.filter(worker=worker, ended_on__isnull=True, kind__in=CASELOAD_KINDS)
    # Unordered: a sort by name in SQL sends SQLite through the council's whole name index (see caseload_sorted).
    return people_visible_to(user=user).filter(pk__in=held.values("child_id")).order_by()


def caseload_sorted(*, user: User, worker: User) -> list[Person]:
    """``caseload_for_discussion`` by name: a caseload is a few dozen children at most, sorted here."""
    return sorted(caseload_for_discussion(user=user, worker=worker), key=lambda p: (p.last_name, p.first_name, p.pk))


def _last_discussed(child_ref: str) -> Subquery:
    discussed = CaseDiscussion.objects.filter(
        child_id=OuterRef(child_ref), session__status=SupervisionSession.Status.HELD
    ).order_by().values("child_id").annotate(last=Max("session__held_on")).values("last")
    return Subquery(discussed[:1])


def children_not_discussed(*, user: User, team: Team, on: date, weeks: int | None = None) -> QuerySet[Allocation]:
    """The team's allocated children whose plan has not been discussed in supervision for more than the policy's
    interval (``last_discussed`` None: never), longest first. Children allocated more recently than that are not
    yet due. Only children the user may open are listed."""
    if weeks is None:
        weeks = policy_for(local_authority=user.local_authority_id).case_discussion_weeks
    cutoff = on - timedelta(weeks=weeks)
    visible = visible_people_filter(user, prefix="child__")
    if visible is None:
        return Allocation.objects.none()
    return (
        Allocation.objects.filter(visible, local_authority_id=user.local_authority_id, team=team,
                                  ended_on__isnull=True, kind__in=CASELOAD_KINDS, started_on__lt=cutoff)
        .annotate(last_discussed=_last_discussed("child_id"))
        .filter(Q(last_discussed__isnull=True) | Q(last_discussed__lt=cutoff))
        .select_related("child", "worker")
        .order_by(F("last_discussed").asc(nulls_first=True), "started_on", "pk")
    )
