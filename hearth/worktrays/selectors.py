"""Reads for the work trays: what each worker, team and service has due, overdue, waiting or unsighted.

Every query here is scoped to the reader's council and to the children they may see
(``visible_people_filter``): a restricted or sealed child never adds a row, a count or a name.

A child's team is one rule everywhere (``child_team``): the team of their open social-work
allocation, else the team of their open CIN episode. The service view's figures and the
team tray's lists use the same rule, so a drill-down always shows what the count counted.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import (
    Count,
    Exists,
    F,
    Func,
    IntegerField,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, Greatest
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from hearth.access.policy import visible_people_filter
from hearth.access.selectors import people_visible_to
from hearth.accounts.models import Team, User
from hearth.accounts.roles import ALLOCATABLE_ROLES, Role
from hearth.allocations.models import Allocation
from hearth.cin.models import Assessment, CINEpisode
from hearth.clocks.models import Clock, holiday_set
from hearth.clocks.registry import RULES
from hearth.clocks.selectors import open_clocks_for_worker
from hearth.clocks.working_days import LONDON, add_working_days, working_days_between
from hearth.front_door.models import Contact
from hearth.oversight.models import DecisionPoint, ManagementOversight
from hearth.oversight.selectors import gate_settings
from hearth.people.models import Person
from hearth.protection.models import ChildProtectionPlan, Section47Enquiry, StrategyDiscussion

if TYPE_CHECKING:
    from django.db.models import Model

DUE_SOON_WORKING_DAYS = 2
ASSESSMENT_WORKING_DAYS = 45
# Oversight asked of decisions older than this is history, not work: the tray shows what is fresh.
OVERSIGHT_LOOKBACK_DAYS = 90
# Teams that hold children's cases; other teams appear in the service view only when they have work.
CASE_TEAM_KINDS = frozenset({
    Team.Kind.FRONT_DOOR, Team.Kind.EARLY_HELP, Team.Kind.ASSESSMENT, Team.Kind.SAFEGUARDING,
    Team.Kind.CHILDREN_IN_CARE, Team.Kind.CARE_LEAVERS, Team.Kind.DISABLED_CHILDREN, Team.Kind.EXPLOITATION,
})


# ---------------------------------------------------------------------------------------------
# Links. The pages for contacts, assessments and plans are being written alongside this; every
# link is tried in order and falls back to the child's record, so a missing page is never a 500.

def url_or_none(name: str, *args: Any, **kwargs: Any) -> str | None:
    try:
        return reverse(name, args=args or None, kwargs=kwargs or None)
    except NoReverseMatch:
        return None


def _first_url(*candidates: tuple[str, dict[str, Any]]) -> str | None:
    for name, kwargs in candidates:
        url = url_or_none(name, **kwargs)
        if url:
            return url
    return None


def child_url(child_id: int) -> str:
    return (_first_url(("cin:overview", {"person_pk": child_id}))
            or reverse("people:child_record", args=[child_id]))


def subject_url(model_label: str, pk: int, child_id: int | None) -> str | None:
    """The page of one piece of work (an assessment, an enquiry, a contact), if it exists yet."""
    if model_label == "front_door.contact":
        return _first_url(("front_door:contact", {"pk": pk}), ("front_door:queue", {}))
    if child_id is None:
        return None
    names = {
        "cin.assessment": "cin:assessment",
        "cin.cinepisode": "cin:episode",
        "cin.cinplan": "cin:plan",
        "protection.section47enquiry": "protection:s47",
        "protection.childprotectionplan": "protection:plan",
        "protection.childprotectionconference": "protection:conference",
        "missing.missingepisode": "missing:episode",
        "missing.exploitationscreening": "missing:screening",
    }
    if model_label in names:
        found = url_or_none(names[model_label], person_pk=child_id, pk=pk)
        if found:
            return found
    if model_label in CHILD_PAGES:
        return url_or_none(CHILD_PAGES[model_label], person_pk=child_id) or child_url(child_id)
    return child_url(child_id)


# Work whose page is a tab of the child's record rather than a page of its own.
CHILD_PAGES = {
    "care.periodofcare": "care_plans:overview",
    "care.placement": "care_plans:overview",
    "care.carelegalstatus": "care:overview",
    "care_leavers.pathwayplan": "care_leavers:overview",
}
# Clocks started without a subject, by the tab where the work is done.
RULE_PAGES = {
    "pathway_needs_assessment": "care_leavers:overview",
    "care_leaver_contact": "care_leavers:overview",
    "pathway_plan_review": "care_leavers:overview",
}


def _content_type_labels() -> dict[int, str]:
    """Content type id -> "app.model" for the subjects a clock or an oversight entry can have.

    ``get_for_models`` is served from Django's content-type cache after the first call, so a
    tray costs no query per row.
    """
    models: list[type[Model]] = [Contact, Assessment, CINEpisode, StrategyDiscussion, Section47Enquiry,
                                 ChildProtectionPlan]
    from hearth.care.models import CareLegalStatus, PeriodOfCare, Placement
    from hearth.care_leavers.models import PathwayPlan
    from hearth.cin.models import CINPlan
    from hearth.missing.models import ExploitationScreening, MissingEpisode
    from hearth.protection.models import ChildProtectionConference, CoreGroupMeeting, CPVisit

    models += [CINPlan, ChildProtectionConference, CoreGroupMeeting, CPVisit, PeriodOfCare, Placement,
               CareLegalStatus, PathwayPlan, MissingEpisode, ExploitationScreening]
    return {ct.pk: f"{ct.app_label}.{ct.model}" for ct in ContentType.objects.get_for_models(*models).values()}


# ---------------------------------------------------------------------------------------------
# One rule for a child's team

def _open_social_work(child_ref: str) -> QuerySet[Allocation]:
    return Allocation.objects.filter(
        child_id=OuterRef(child_ref), kind=Allocation.Kind.SOCIAL_WORKER, ended_on__isnull=True
    )


def child_team(child_ref: str = "child_id") -> Coalesce:
    """The team a child's work belongs to: their open social-work allocation's, else their open episode's."""
    episode_team = CINEpisode.objects.filter(child_id=OuterRef(child_ref), closed_on__isnull=True)
    return Coalesce(
        Subquery(_open_social_work(child_ref).values("team_id")[:1]),
        Subquery(episode_team.values("team_id")[:1]),
        output_field=IntegerField(),
    )


def _visible(user: User, prefix: str = "child__", *, child_optional: bool = False) -> Q | None:
    rule = visible_people_filter(user, prefix=prefix)
    if rule is None:
        return None
    if child_optional:
        # An unidentified child (a contact not yet linked to a record) hides no one.
        return Q(**{f"{prefix.removesuffix('__')}__isnull": True}) | rule
    return rule


# ---------------------------------------------------------------------------------------------
# Worker tray

@dataclass
class TrayItem:
    """One thing due, for one child, with its clock."""

    kind: str  # "clock", "assessment" or "contact"
    what: str
    due_on: date
    days_left: int  # working days from today; negative once overdue
    child: Person | None = None
    child_label: str = ""
    link: str | None = None
    child_link: str | None = None
    detail: str = ""
    rule_id: str = ""
    assigned_to: str = ""

    @property
    def is_overdue(self) -> bool:
        return self.days_left < 0

    @property
    def is_due_today(self) -> bool:
        return self.days_left == 0

    @property
    def is_due_soon(self) -> bool:
        return 0 <= self.days_left <= DUE_SOON_WORKING_DAYS

    @property
    def days_overdue(self) -> int:
        return -self.days_left


def working_days_left(due_on: date, today: date, holidays: frozenset[date]) -> int:
    """Working days from ``today`` to ``due_on`` (0 on the day), negative once overdue."""
    if due_on >= today:
        return working_days_between(today, due_on, holidays)
    return -working_days_between(due_on, today, holidays)


@dataclass
class TrayGroups:
    overdue: list[TrayItem] = field(default_factory=list)
    this_week: list[TrayItem] = field(default_factory=list)
    later: list[TrayItem] = field(default_factory=list)

    @property
    def due_soon_count(self) -> int:
        return sum(1 for item in self.this_week + self.later if item.is_due_soon)

    @property
    def total(self) -> int:
        return len(self.overdue) + len(self.this_week) + len(self.later)


def group_items(items: Iterable[TrayItem], today: date) -> TrayGroups:
    """Overdue, due by Sunday of this week, and later; soonest first in each."""
    end_of_week = today + timedelta(days=6 - today.weekday())
    groups = TrayGroups()
    for item in sorted(items, key=lambda i: (i.due_on, i.what, i.child_label)):
        if item.is_overdue:
            groups.overdue.append(item)
        elif item.due_on <= end_of_week:
            groups.this_week.append(item)
        else:
            groups.later.append(item)
    return groups


def _assessment_clock(child_ref: str = "child_id") -> QuerySet[Clock]:
    return Clock.objects.filter(child_id=OuterRef(child_ref), rule_id="assessment",
                                status=Clock.Status.OPEN).order_by("due_on")


def assessments_in_progress_for_worker(*, user: User) -> QuerySet[Assessment]:
    """Assessments ``user`` holds that are not yet submitted, with their 45-working-day clock."""
    visible = _visible(user)
    if visible is None:
        return Assessment.objects.none()
    return (
        Assessment.objects.filter(visible, worker=user, status=Assessment.Status.IN_PROGRESS,
                                  local_authority_id=user.local_authority_id)
        .select_related("child", "episode")
        .annotate(clock_id=Subquery(_assessment_clock().values("pk")[:1]),
                  clock_due_on=Subquery(_assessment_clock().values("due_on")[:1]))
        .order_by("started_on", "pk")
    )


def contacts_screening_for_worker(*, user: User) -> QuerySet[Contact]:
    """Contacts ``user`` is screening, awaiting the front door's decision."""
    visible = _visible(user, child_optional=True)
    if visible is None:
        return Contact.objects.none()
    return (
        Contact.objects.filter(visible, screened_by=user, status=Contact.Status.SCREENING,
                               local_authority_id=user.local_authority_id)
        .select_related("child")
        .order_by("decision_due_on", "received_at", "pk")
    )


def contact_child_label(contact: Contact) -> str:
    if contact.child is not None:
        return contact.child.full_name
    details = contact.child_details or {}
    name = " ".join(str(details.get(k, "")).strip() for k in ("first_name", "last_name")).strip()
    return name or "Child not yet identified"


def _clock_item(clock: Clock, today: date, holidays: frozenset[date], labels: dict[int, str]) -> TrayItem:
    rule = RULES.get(clock.rule_id)
    label = labels.get(clock.subject_type_id or 0, "")
    link = subject_url(label, clock.subject_id, clock.child_id) if label and clock.subject_id else None
    if link is None and clock.rule_id in RULE_PAGES:
        link = url_or_none(RULE_PAGES[clock.rule_id], person_pk=clock.child_id)
    return TrayItem(
        kind="clock", what=rule.title if rule else clock.rule_id, due_on=clock.due_on,
        days_left=working_days_left(clock.due_on, today, holidays), child=clock.child,
        child_label=clock.child.full_name, link=link or child_url(clock.child_id),
        child_link=child_url(clock.child_id), rule_id=clock.rule_id,
        detail=f"Started {clock.started_on:%-d %b %Y}",
        assigned_to=str(clock.assigned_to) if clock.assigned_to_id and clock.assigned_to else "",
    )


def worker_tray(*, user: User, today: date | None = None) -> TrayGroups:
    """Everything due and overdue for one worker, grouped: open clocks for their children and
    those assigned to them, assessments they hold (with whether the child has been seen), and
    contacts they are screening. Four queries whatever the caseload."""
    today = today or timezone.localdate()
    holidays = holiday_set()
    labels = _content_type_labels()
    items: list[TrayItem] = []
    assessment_ct = next((pk for pk, lab in labels.items() if lab == "cin.assessment"), None)
    contact_ct = next((pk for pk, lab in labels.items() if lab == "front_door.contact"), None)
    shown_elsewhere: set[tuple[int | None, int | None]] = set()
    clock_ids_shown: set[int] = set()

    for assessment in assessments_in_progress_for_worker(user=user):
        due_on = assessment.clock_due_on or add_working_days(  # type: ignore[attr-defined]
            assessment.episode.referral_date, ASSESSMENT_WORKING_DAYS, holidays)
        if assessment.clock_id:  # type: ignore[attr-defined]
            clock_ids_shown.add(assessment.clock_id)  # type: ignore[attr-defined]
        shown_elsewhere.add((assessment_ct, assessment.pk))
        referral = assessment.episode.referral_date
        if assessment.child_seen_on:
            seen = (f"Child seen {assessment.child_seen_on:%-d %b %Y}, "
                    f"{working_days_between(referral, assessment.child_seen_on, holidays)} working days "
                    "after the referral")
        else:
            seen = (f"Child not seen yet: {working_days_between(referral, today, holidays)} working days "
                    "since the referral")
        items.append(TrayItem(
            kind="assessment", what="Child and family assessment", due_on=due_on,
            days_left=working_days_left(due_on, today, holidays), child=assessment.child,
            child_label=assessment.child.full_name,
            link=subject_url("cin.assessment", assessment.pk, assessment.child_id),
            child_link=child_url(assessment.child_id), rule_id="assessment", detail=seen,
        ))

    for contact in contacts_screening_for_worker(user=user):
        shown_elsewhere.add((contact_ct, contact.pk))
        items.append(TrayItem(
            kind="contact", what=f"Contact {contact.reference}: decision", due_on=contact.decision_due_on,
            days_left=working_days_left(contact.decision_due_on, today, holidays), child=contact.child,
            child_label=contact_child_label(contact), link=subject_url("front_door.contact", contact.pk, None),
            child_link=child_url(contact.child_id) if contact.child_id else None, rule_id="referral_decision",
            detail=f"Received {timezone.localtime(contact.received_at, LONDON):%-d %b %Y %H:%M}"
                   + (f", {contact.get_priority_display()}" if contact.priority else ""),
        ))

    for clock in open_clocks_for_worker(user=user).select_related("assigned_to"):
        if clock.pk in clock_ids_shown or (clock.subject_type_id, clock.subject_id) in shown_elsewhere:
            continue
        items.append(_clock_item(clock, today, holidays, labels))
    return group_items(items, today)


# ---------------------------------------------------------------------------------------------
# Team tray

def may_see_team_tray(user: User, team: Team) -> bool:
    if not user.is_authenticated or not user.has_case_access or team.local_authority_id != user.local_authority_id:
        return False
    if user.role in (Role.SERVICE_MANAGER, Role.DIRECTOR):
        return True
    return user.role == Role.TEAM_MANAGER and user.team_id == team.pk


def teams_for_manager(*, user: User) -> QuerySet[Team]:
    """The teams whose tray ``user`` may open."""
    teams = Team.objects.filter(local_authority_id=user.local_authority_id, closed_on__isnull=True)
    if user.role in (Role.SERVICE_MANAGER, Role.DIRECTOR) and user.has_case_access:
        return teams.order_by("name")
    if user.role == Role.TEAM_MANAGER and user.team_id and user.has_case_access:
        return teams.filter(pk=user.team_id)
    return Team.objects.none()


def unallocated_children(*, user: User, team: Team | None = None) -> QuerySet[Person]:
    """Children waiting for a named social worker: open to the team (an allocation to the team
    alone, or an open CIN episode) with no open social-work allocation to a person.

    Annotated with ``waiting_team_id``, ``waiting_since`` (when the wait began: the team
    allocation, else the later of the referral and the last worker's allocation ending),
    ``referral_date`` and ``episode_id``; longest wait first.
    """
    team_only = _open_social_work("pk").filter(worker__isnull=True)
    episode = CINEpisode.objects.filter(child_id=OuterRef("pk"), closed_on__isnull=True)
    last_worker_end = (
        Allocation.objects.filter(child_id=OuterRef("pk"), kind=Allocation.Kind.SOCIAL_WORKER,
                                  worker__isnull=False, ended_on__isnull=False)
        .order_by("-ended_on").values("ended_on")[:1]
    )
    # Only children open to someone can be waiting: look at those first, not at every person.
    team_held = Allocation.objects.filter(local_authority_id=user.local_authority_id, ended_on__isnull=True,
                                          kind=Allocation.Kind.SOCIAL_WORKER, worker__isnull=True)
    open_episodes = CINEpisode.objects.filter(local_authority_id=user.local_authority_id, closed_on__isnull=True)
    if team is not None:
        team_held, open_episodes = team_held.filter(team=team), open_episodes.filter(team=team)
    people = (
        people_visible_to(user=user)
        .filter(local_authority_id=user.local_authority_id)
        # One IN over the union (not two ORed): the database then starts from these few children
        # by primary key instead of reading every person in the council.
        .filter(pk__in=team_held.order_by().values("child_id").union(open_episodes.order_by().values("child_id")))
        .annotate(has_worker=Exists(_open_social_work("pk").filter(worker__isnull=False)),
                  team_alloc_team=Subquery(team_only.values("team_id")[:1]),
                  team_alloc_since=Subquery(team_only.values("started_on")[:1]),
                  episode_id=Subquery(episode.values("pk")[:1]),
                  episode_team=Subquery(episode.values("team_id")[:1]),
                  referral_date=Subquery(episode.values("referral_date")[:1]))
        .filter(has_worker=False)
        .filter(Q(team_alloc_team__isnull=False) | Q(episode_id__isnull=False))
        .annotate(
            waiting_team_id=Coalesce(F("team_alloc_team"), F("episode_team"), output_field=IntegerField()),
            waiting_since=Coalesce(
                F("team_alloc_since"),
                Greatest(F("referral_date"), Coalesce(Subquery(last_worker_end), F("referral_date"))),
            ),
        )
    )
    if team is not None:
        people = people.filter(waiting_team_id=team.pk)
    return people.order_by("waiting_since", "last_name", "first_name", "pk")


def unallocated_counts_by_team(*, user: User) -> dict[int | None, int]:
    """How many children wait for a worker in each team (None: no team yet); one query."""
    return _by_team(unallocated_children(user=user), "waiting_team_id")


def contacts_awaiting_decision(*, user: User) -> QuerySet[Contact]:
    """Contacts at the front door with no decision yet, oldest first (council-wide)."""
    visible = _visible(user, child_optional=True)
    if visible is None:
        return Contact.objects.none()
    return (
        # status IN (...) rather than != decided, so the (council, status) index does the work.
        Contact.objects.filter(visible, local_authority_id=user.local_authority_id,
                               status__in=[Contact.Status.RECEIVED, Contact.Status.SCREENING])
        .select_related("child", "screened_by")
        .order_by("received_at", "pk")
    )


def eligible_workers(*, team: Team, on: date | None = None) -> QuerySet[User]:
    """Team members who can take a child today: active, in post, in a role that carries cases."""
    on = on or timezone.localdate()
    return (
        User.objects.filter(team=team, is_active=True, role__in=ALLOCATABLE_ROLES,
                            local_authority_id=team.local_authority_id)
        .filter(Q(left_on__isnull=True) | Q(left_on__gt=on))
        .filter(Q(started_on__isnull=True) | Q(started_on__lte=on))
        .order_by("last_name", "first_name", "pk")
    )


def _count(queryset: QuerySet[Any]) -> Coalesce:
    """A correlated COUNT(*) as a subquery, so several counts on one row never multiply each other."""
    counted = queryset.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def team_caseloads_with_drift(*, user: User, team: Team, today: date | None = None) -> QuerySet[User]:
    """Each current member of the team with ``open_cases``, ``overdue_clocks`` and FTE; one query."""
    today = today or timezone.localdate()
    visible = _visible(user)
    if visible is None:
        return User.objects.none()
    cases = Allocation.objects.filter(visible, worker_id=OuterRef("pk"), ended_on__isnull=True)
    worker_children = Allocation.objects.filter(worker_id=OuterRef(OuterRef("pk")), ended_on__isnull=True)
    overdue = Clock.objects.filter(visible, status=Clock.Status.OPEN, due_on__lt=today,
                                   local_authority_id=user.local_authority_id).filter(
        Q(assigned_to_id=OuterRef("pk")) | Q(child_id__in=worker_children.values("child_id"))
    )
    return (
        User.objects.filter(team=team, is_active=True, local_authority_id=team.local_authority_id)
        .filter(Q(left_on__isnull=True) | Q(left_on__gt=today))
        .annotate(open_cases=_count(cases), overdue_clocks=_count(overdue))
        .order_by("last_name", "first_name", "pk")
    )


def overdue_clocks(*, user: User, team: Team | None = None, today: date | None = None) -> QuerySet[Clock]:
    """Open clocks past their due date for children the user may see, annotated with ``work_team_id``."""
    today = today or timezone.localdate()
    visible = _visible(user)
    if visible is None:
        return Clock.objects.none()
    clocks = (
        Clock.objects.filter(visible, status=Clock.Status.OPEN, due_on__lt=today,
                             local_authority_id=user.local_authority_id)
        .annotate(work_team_id=child_team())
    )
    if team is not None:
        clocks = clocks.filter(work_team_id=team.pk)
    return clocks.select_related("child", "assigned_to").order_by("due_on", "pk")


@dataclass
class AwaitingItem:
    """Something waiting for a manager: an authorisation, or oversight a gate requires."""

    decision_point: str
    what: str
    since: date
    child: Person | None
    child_label: str
    subject_type_id: int
    subject_id: int
    link: str | None
    child_link: str | None
    model_label: str
    action: str = "Record oversight"
    action_url: str | None = None  # None: the generic oversight page, built by the template

    @property
    def decision_point_label(self) -> str:
        return DecisionPoint(self.decision_point).label


def _action(label: str, pk: int, child_id: int | None) -> tuple[str, str | None]:
    """What a manager does about an item: authorise and decide happen on the item's own page."""
    if label == "cin.assessment" and child_id is not None:
        return "Authorise", url_or_none("cin:assessment_authorise", person_pk=child_id, pk=pk) or subject_url(
            label, pk, child_id)
    if label == "front_door.contact":
        return "Decide", url_or_none("front_door:contact_decide", pk=pk) or subject_url(label, pk, None)
    return "Record oversight", None


@dataclass
class _AwaitingSource:
    decision_point: str
    model: type[Any]
    since_field: str
    what: Callable[[Any], str]
    base: Q
    recent: bool = True  # only decisions in the last OVERSIGHT_LOOKBACK_DAYS
    oversight_excludes: bool = True


def _awaiting_sources() -> list[_AwaitingSource]:
    return [
        # Authorisation is the manager's own act: awaiting whatever the gate says.
        _AwaitingSource(DecisionPoint.ASSESSMENT_AUTHORISATION, Assessment, "submitted_on",
                        lambda a: "Assessment to authorise", Q(status=Assessment.Status.AWAITING_AUTHORISATION),
                        recent=False, oversight_excludes=False),
        _AwaitingSource(DecisionPoint.CONTACT_DECISION, Contact, "received_at",
                        lambda c: f"Contact {c.reference}: decision", Q(status=Contact.Status.SCREENING),
                        recent=False),
        _AwaitingSource(DecisionPoint.STRATEGY_DISCUSSION, StrategyDiscussion, "held_on",
                        lambda s: f"Strategy discussion: {s.get_decision_display().lower()}", Q()),
        _AwaitingSource(DecisionPoint.S47_OUTCOME, Section47Enquiry, "completed_on",
                        lambda s: "Section 47 outcome", Q(completed_on__isnull=False)),
        _AwaitingSource(DecisionPoint.CP_PLAN_START, ChildProtectionPlan, "started_on",
                        lambda p: "Child protection plan started", Q()),
        _AwaitingSource(DecisionPoint.CP_PLAN_END, ChildProtectionPlan, "ended_on",
                        lambda p: "Child protection plan ended", Q(ended_on__isnull=False)),
        _AwaitingSource(DecisionPoint.CIN_CLOSURE, CINEpisode, "closed_on",
                        lambda e: "Case closed", Q(closed_on__isnull=False)),
    ]


def _awaiting_querysets(*, user: User, today: date) -> list[tuple[_AwaitingSource, QuerySet[Any]]]:
    """One queryset per decision point that needs a manager now, each annotated with ``work_team_id``."""
    la = user.local_authority_id
    result = []
    since = today - timedelta(days=OVERSIGHT_LOOKBACK_DAYS)
    gates = gate_settings(local_authority=la)
    for source in _awaiting_sources():
        gate_on = gates[source.decision_point]
        if source.decision_point != DecisionPoint.ASSESSMENT_AUTHORISATION and not gate_on:
            continue
        visible = _visible(user, child_optional=source.model is Contact)
        if visible is None:
            return []
        rows = source.model.objects.filter(visible, source.base, local_authority_id=la)
        if source.recent:
            rows = rows.filter(**{f"{source.since_field}__gte": since})
        if source.oversight_excludes:
            ct = ContentType.objects.get_for_model(source.model)
            rows = rows.exclude(Exists(ManagementOversight.objects.filter(
                subject_type=ct, subject_id=OuterRef("pk"), decision_point=source.decision_point)))
        result.append((source, rows.annotate(work_team_id=child_team())))
    return result


def awaiting_manager(*, user: User, team: Team | None, today: date | None = None,
                     limit: int = 200) -> list[AwaitingItem]:
    """Authorisations and gated oversight waiting for a manager, oldest first.

    For a team: its children's work; contacts only for a front-door team. Without a team:
    the whole council. One query per gate that is on.
    """
    today = today or timezone.localdate()
    labels = _content_type_labels()
    by_label = {lab: pk for pk, lab in labels.items()}
    items: list[AwaitingItem] = []
    for source, rows in _awaiting_querysets(user=user, today=today):
        if source.model is Contact:
            if team is not None and team.kind != Team.Kind.FRONT_DOOR:
                continue
        elif team is not None:
            rows = rows.filter(work_team_id=team.pk)
        label = f"{source.model._meta.app_label}.{source.model._meta.model_name}"
        for row in rows.select_related("child").order_by(source.since_field, "pk")[:limit]:
            since_value = getattr(row, source.since_field) or today
            if isinstance(since_value, datetime):
                since_value = timezone.localtime(since_value, LONDON).date()
            child_label = (contact_child_label(row) if source.model is Contact
                           else row.child.full_name)
            action, action_url = _action(label, row.pk, row.child_id)
            items.append(AwaitingItem(
                decision_point=source.decision_point, what=source.what(row), since=since_value,
                child=row.child, child_label=child_label, subject_type_id=by_label[label], subject_id=row.pk,
                link=subject_url(label, row.pk, row.child_id), model_label=label,
                child_link=child_url(row.child_id) if row.child_id else None,
                action=action, action_url=action_url,
            ))
    items.sort(key=lambda i: (i.since, i.what))
    return items


# ---------------------------------------------------------------------------------------------
# Service view

def assessment_overdue_cutoff(today: date, holidays: frozenset[date]) -> date:
    """The earliest referral date whose 45-working-day assessment is not yet overdue today."""
    day = today
    while add_working_days(day - timedelta(days=1), ASSESSMENT_WORKING_DAYS, holidays) >= today:
        day -= timedelta(days=1)
    return day


@dataclass
class TeamRow:
    team: Team | None
    open_cases: int = 0
    unallocated: int = 0
    overdue_clocks: int = 0
    awaiting: int = 0
    assessments_over_45: int = 0
    contacts_over_1: int | None = None
    link: str | None = None

    @property
    def name(self) -> str:
        return self.team.name if self.team else "No team yet"


@dataclass
class ServiceOverview:
    rows: list[TeamRow]
    totals: TeamRow
    contacts_waiting: int
    oldest_contact_at: datetime | None


def _by_team(rows: QuerySet[Any], key: str = "team_id") -> dict[int | None, int]:
    return {r[key]: r["n"] for r in rows.order_by().values(key).annotate(n=Count("pk", distinct=True))}


def service_overview(*, user: User, today: date | None = None) -> ServiceOverview:
    """One row per team across the council. A fixed number of queries however many teams there are."""
    today = today or timezone.localdate()
    la = user.local_authority_id
    visible = _visible(user)
    teams = list(Team.objects.filter(local_authority_id=la, closed_on__isnull=True).order_by("name"))
    if visible is None:
        return ServiceOverview([], TeamRow(None), 0, None)

    allocated = _by_team(Allocation.objects.filter(visible, local_authority_id=la, ended_on__isnull=True,
                                                   kind=Allocation.Kind.SOCIAL_WORKER))
    no_allocation = _by_team(
        CINEpisode.objects.filter(visible, local_authority_id=la, closed_on__isnull=True)
        .exclude(Exists(_open_social_work("child_id")))
    )
    unallocated = unallocated_counts_by_team(user=user)
    overdue = _by_team(overdue_clocks(user=user, today=today), "work_team_id")
    awaiting: dict[int | None, int] = {}
    for source, gated in _awaiting_querysets(user=user, today=today):
        if source.model is Contact:
            continue  # the front door's contacts are counted on their own below
        for key, n in _by_team(gated, "work_team_id").items():
            awaiting[key] = awaiting.get(key, 0) + n
    cutoff = assessment_overdue_cutoff(today, holiday_set())
    over_45 = _by_team(
        Assessment.objects.filter(visible, local_authority_id=la, episode__referral_date__lt=cutoff,
                                  status__in=[Assessment.Status.IN_PROGRESS, Assessment.Status.AWAITING_AUTHORISATION])
        .annotate(work_team_id=child_team()),
        "work_team_id",
    )
    waiting_contacts = contacts_awaiting_decision(user=user)
    contacts = waiting_contacts.order_by().aggregate(
        waiting=Count("pk"), late=Count("pk", filter=Q(decision_due_on__lt=today)), oldest=Min("received_at"))
    oldest = contacts["oldest"]
    contacts_waiting = contacts["waiting"]
    contacts_late = contacts["late"]

    table: list[TeamRow] = []
    for team in teams:
        key = team.pk
        row = TeamRow(
            team=team, open_cases=allocated.get(key, 0) + no_allocation.get(key, 0),
            unallocated=unallocated.get(key, 0), overdue_clocks=overdue.get(key, 0),
            awaiting=awaiting.get(key, 0), assessments_over_45=over_45.get(key, 0),
            contacts_over_1=contacts_late if team.kind == Team.Kind.FRONT_DOOR else None,
            link=reverse("worktrays:team_detail", args=[team.pk]),
        )
        has_work = any((row.open_cases, row.unallocated, row.overdue_clocks, row.awaiting, row.assessments_over_45))
        if team.kind in CASE_TEAM_KINDS or has_work:
            table.append(row)
    # Work whose child has no team yet (an episode opened without one) must still be seen.
    orphan = TeamRow(team=None, open_cases=no_allocation.get(None, 0), unallocated=unallocated.get(None, 0),
                     overdue_clocks=overdue.get(None, 0), awaiting=awaiting.get(None, 0),
                     assessments_over_45=over_45.get(None, 0))
    if any((orphan.open_cases, orphan.unallocated, orphan.overdue_clocks, orphan.awaiting,
            orphan.assessments_over_45)):
        table.append(orphan)
    totals = TeamRow(
        team=None,
        open_cases=sum(allocated.values()) + sum(no_allocation.values()),
        unallocated=sum(unallocated.values()), overdue_clocks=sum(overdue.values()),
        awaiting=sum(awaiting.values()), assessments_over_45=sum(over_45.values()),
        contacts_over_1=contacts_late,
    )
    return ServiceOverview(rows=table, totals=totals, contacts_waiting=contacts_waiting, oldest_contact_at=oldest)
