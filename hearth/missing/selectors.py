"""Reads for missing episodes, return home interviews and exploitation patterns.

Lists are scoped to the reader's council and, for anything that names a child, to the children they may
see (``visible_people_filter``). Where a restricted child the reader may not see would otherwise make a count
or a group wrong, they appear as "a restricted record" and are never named; a sealed child is not even
counted (only the council-wide totals include them). Each page is read in a fixed
number of queries, whatever the number of rows.

"In a period" means, for episodes, that the episode *started* in it; for return home interviews, that
the child *returned* in it (each return is one occasion on which an interview is due).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.utils import timezone

from hearth.access.policy import countable_unseen_filter, visible_people_filter
from hearth.access.selectors import people_visible_to
from hearth.accounts.models import User
from hearth.accounts.roles import Role
from hearth.allocations.models import Allocation
from hearth.care.codes import MissingType
from hearth.care.selectors import looked_after_on
from hearth.clocks.models import Clock
from hearth.clocks.working_days import LONDON

from .codes import InterviewResponse, RiskLevel
from .models import ExploitationScreening, MissingEpisode, MissingEpisodeLink, ReturnInterview

if TYPE_CHECKING:
    from hearth.people.models import Person
    from hearth.protection.models import StrategyDiscussion

RESTRICTED = "A restricted record"
REPEAT_THRESHOLD = 3
REPEAT_WINDOW_DAYS = 90


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=LONDON)


def _between(prefix: str, start: date, end: date) -> Q:
    """A timestamp on a London day from ``start`` to ``end`` inclusive."""
    return Q(**{f"{prefix}__gte": _start_of(start), f"{prefix}__lt": _start_of(end + timedelta(days=1))})


def _visible(user: User, prefix: str) -> Case | Value:
    """True where the reader may see the person at ``prefix`` (a column, so one query serves a whole list)."""
    rule = visible_people_filter(user, prefix=prefix)
    if rule is None:
        return Value(False, output_field=BooleanField())
    return Case(When(rule, then=Value(True)), default=Value(False), output_field=BooleanField())


def _counted(user: User, prefix: str) -> Case | Value:
    """True where the reader may not see the person at ``prefix`` but a list may count them as a restricted
    record. A sealed record is neither named nor counted: the person's rows are left out altogether."""
    rule = countable_unseen_filter(user, prefix=prefix)
    if rule is None:
        return Value(False, output_field=BooleanField())
    return Case(When(rule, then=Value(True)), default=Value(False), output_field=BooleanField())


def _name(first: str, last: str, visible: bool) -> str:
    return f"{first} {last}" if visible else RESTRICTED


# ---------------------------------------------------------------- one child


def episodes_for(*, child: Person) -> QuerySet[MissingEpisode]:
    """A child's episodes, newest first, each with its interview and the children recorded with them."""
    return (
        MissingEpisode.objects.filter(child=child, local_authority_id=child.local_authority_id)
        .select_related("interview", "interview__offered_by", "interview__completed_by", "strategy_discussion")
        .prefetch_related(Prefetch("links", queryset=MissingEpisodeLink.objects.filter(removed=False)
                                   .select_related("linked_child").order_by("id")))
        .order_by("-started_at", "-id")
    )


def episode_for(*, child: Person, pk: int) -> MissingEpisode | None:
    return episodes_for(child=child).filter(pk=pk).first()


def screenings_for(*, child: Person) -> QuerySet[ExploitationScreening]:
    return (
        ExploitationScreening.objects.filter(child=child, local_authority_id=child.local_authority_id)
        .select_related("screened_by", "strategy_discussion", "episode")
        .order_by("-screened_on", "-id")
    )


def screening_for(*, child: Person, pk: int) -> ExploitationScreening | None:
    return screenings_for(child=child).filter(pk=pk).first()


def advocate_allocation(*, child: Person) -> Allocation | None:
    return (Allocation.objects.filter(child=child, kind=Allocation.Kind.MISSING_ADVOCATE, ended_on__isnull=True,
                                      local_authority_id=child.local_authority_id)
            .select_related("worker").first())


def advocates(*, local_authority_id: int | None) -> QuerySet[User]:
    """The council's missing-from-home advocates, for the interview and allocation forms."""
    return User.objects.filter(local_authority_id=local_authority_id, role=Role.MISSING_ADVOCATE,
                               is_active=True).order_by("last_name", "first_name", "id")


def interview_staff(*, child: Person, user: User) -> QuerySet[User]:
    """Who may be named as offering or holding an interview: the advocates, the child's advocate and the user."""
    allocated = Allocation.objects.filter(child=child, kind=Allocation.Kind.MISSING_ADVOCATE,
                                          ended_on__isnull=True).values("worker_id")
    return User.objects.filter(
        Q(role=Role.MISSING_ADVOCATE, is_active=True) | Q(pk__in=allocated) | Q(pk=user.pk),
        local_authority_id=child.local_authority_id,
    ).order_by("last_name", "first_name", "id")


def interview_holders(*, child: Person) -> QuerySet[User]:
    """Who may hold an interview: a missing-from-home advocate, or the advocate allocated to this child."""
    allocated = Allocation.objects.filter(child=child, kind=Allocation.Kind.MISSING_ADVOCATE,
                                          ended_on__isnull=True).values("worker_id")
    return User.objects.filter(
        Q(role=Role.MISSING_ADVOCATE) | Q(pk__in=allocated), is_active=True,
        local_authority_id=child.local_authority_id,
    ).order_by("last_name", "first_name", "id")


def review_clock_for(*, screening: ExploitationScreening) -> Clock | None:
    return Clock.objects.filter(
        subject_type=ContentType.objects.get_for_model(ExploitationScreening), subject_id=screening.pk,
        local_authority_id=screening.local_authority_id, rule_id="exploitation_screening_review",
    ).order_by("-id").first()


@dataclass
class LinkedShown:
    """The other children on an episode, as this reader may see them."""

    children: list[Person] = field(default_factory=list)
    restricted: int = 0


@dataclass
class MissingOverview:
    episodes: list[MissingEpisode]
    open_episode: MissingEpisode | None
    in_care_now: bool
    missing_last_year: int
    away_last_year: int
    screenings: list[ExploitationScreening]
    current_screening: ExploitationScreening | None
    review_clock: Clock | None
    escalations: list[StrategyDiscussion]
    advocate: Allocation | None
    linked: dict[int, LinkedShown]
    # Other children's episodes on which this child is recorded as with them.
    with_others: list[MissingEpisode]
    with_others_restricted: int


def shown_links(user: User, episodes: Iterable[MissingEpisode]) -> dict[int, LinkedShown]:
    episodes = list(episodes)
    ids = {link.linked_child_id for e in episodes for link in e.links.all()}
    visible = set(people_visible_to(user=user).filter(pk__in=ids).values_list("pk", flat=True)) if ids else set()
    shown: dict[int, LinkedShown] = {}
    for episode in episodes:
        entry = LinkedShown()
        for link in episode.links.all():
            if link.linked_child_id in visible:
                entry.children.append(link.linked_child)
            else:
                entry.restricted += 1
        shown[episode.pk] = entry
    return shown


def missing_overview(*, user: User, child: Person) -> MissingOverview:
    """Everything on the child's Missing tab, in a fixed number of queries."""
    today = timezone.localdate()
    episodes = list(episodes_for(child=child))
    year_ago = today - timedelta(days=365)
    recent = [e for e in episodes if timezone.localtime(e.started_at, LONDON).date() > year_ago]
    screenings = list(screenings_for(child=child))
    current = screenings[0] if screenings else None
    escalations: dict[int, StrategyDiscussion] = {}
    for item in [*screenings, *episodes]:
        discussion = item.strategy_discussion  # type: ignore[attr-defined]
        if discussion is not None:
            escalations[discussion.pk] = discussion
    others = (
        MissingEpisode.objects.filter(local_authority_id=child.local_authority_id,
                                      links__linked_child=child, links__removed=False)
        .annotate(child_visible=_visible(user, "child__"))
        .select_related("child").order_by("-started_at", "-id")
    )
    with_others = list(others)
    return MissingOverview(
        episodes=episodes,
        open_episode=next((e for e in episodes if e.is_open), None),
        in_care_now=looked_after_on(child=child, on=today),
        missing_last_year=sum(1 for e in recent if e.missing_type == MissingType.MISSING),
        away_last_year=sum(1 for e in recent if e.missing_type == MissingType.AWAY),
        screenings=screenings,
        current_screening=current,
        review_clock=review_clock_for(screening=current) if current is not None else None,
        escalations=sorted(escalations.values(), key=lambda d: (d.held_on, d.pk), reverse=True),
        advocate=advocate_allocation(child=child),
        linked=shown_links(user, episodes),
        with_others=[e for e in with_others if e.child_visible],
        with_others_restricted=sum(1 for e in with_others if not e.child_visible),
    )


def child_missing_summary(*, child: Person, start: date, end: date) -> dict[str, Any]:
    """For Annex A List 8: missing and away episodes started in the window, and the last episode's interview."""
    episodes = MissingEpisode.objects.filter(child=child, local_authority_id=child.local_authority_id).filter(
        _between("started_at", start, end))
    counts = episodes.aggregate(missing=Count("id", filter=Q(missing_type=MissingType.MISSING)),
                                away=Count("id", filter=Q(missing_type=MissingType.AWAY)))
    last = episodes.select_related("interview").order_by("-started_at", "-id").first()
    offered, accepted = interview_outcome(getattr(last, "interview", None) if last is not None else None)
    return {"missing": counts["missing"], "away": counts["away"], "interview_offered": offered,
            "interview_accepted": accepted}


def interview_outcome(interview: ReturnInterview | None) -> tuple[bool | None, bool | None]:
    """Whether a return interview was offered, and whether it was accepted (the child said yes, or it was
    held); (None, None) when there is no interview record."""
    if interview is None:
        return None, None
    return interview.offered_at is not None, (
        interview.response == InterviewResponse.ACCEPTED or interview.completed_at is not None)


def episodes_for_903(*, local_authority: int, year_start: date, year_end: date) -> QuerySet[MissingEpisode]:
    """SSDA903 Missing rows: episodes from care open at any time in the year (one still open continues, rule 576)."""
    return (
        MissingEpisode.objects.filter(local_authority_id=local_authority, from_care=True,
                                      started_at__lt=_start_of(year_end + timedelta(days=1)))
        .filter(Q(ended_at__isnull=True) | Q(ended_at__gte=_start_of(year_start)))
        .select_related("child").order_by("child_id", "started_at")
    )


# ---------------------------------------------------------------- the advocate's tray


@dataclass
class AwaitingInterview:
    interview: ReturnInterview
    hours_left: int  # negative once overdue
    mine: bool
    advocate: str

    @property
    def overdue(self) -> bool:
        return self.hours_left < 0


@dataclass
class AdvocateTray:
    awaiting: list[AwaitingInterview]
    missing_now: list[MissingEpisode]
    hidden_awaiting: int
    hidden_missing: int
    mine_only: bool


def hours_between(now: datetime, due: datetime) -> int:
    """Whole hours from ``now`` to ``due``: 35 with 35h59m left, -1 from the first minute overdue."""
    seconds = (due - now).total_seconds()
    return int(seconds // 3600)


def advocate_tray(*, user: User, mine_only: bool = False, now: datetime | None = None) -> AdvocateTray:
    """Interviews still to do (soonest due first, so overdue first) and children missing now."""
    now = now or timezone.now()
    la = user.local_authority_id
    rule = visible_people_filter(user, prefix="child__")
    to_do = ReturnInterview.objects.filter(local_authority_id=la, completed_at__isnull=True).exclude(
        response=InterviewResponse.DECLINED)
    missing = MissingEpisode.objects.filter(local_authority_id=la, ended_at__isnull=True)
    if rule is None:
        return AdvocateTray([], [], 0, 0, mine_only)
    allocated = Allocation.objects.filter(child_id=OuterRef("child_id"), kind=Allocation.Kind.MISSING_ADVOCATE,
                                          ended_on__isnull=True)
    rows = (
        to_do.filter(rule)
        .annotate(mine=Exists(allocated.filter(worker=user)),
                  advocate_first=Subquery(allocated.values("worker__first_name")[:1]),
                  advocate_last=Subquery(allocated.values("worker__last_name")[:1]))
        .select_related("child", "episode", "offered_by")
        .order_by("due_at", "id")
    )
    if mine_only:
        rows = rows.filter(mine=True)
    awaiting = [
        AwaitingInterview(
            interview=row, hours_left=hours_between(now, row.due_at), mine=row.mine,
            advocate=" ".join(p for p in (row.advocate_first, row.advocate_last) if p),
        )
        for row in rows
    ]
    # Restricted children the user cannot open are counted; sealed ones are not (as on the work trays).
    unseen = countable_unseen_filter(user, prefix="child__")
    assert unseen is not None  # as ``rule`` is not
    hidden = to_do.filter(unseen).count()
    missing_now = list(missing.filter(rule).select_related("child").order_by("started_at", "id"))
    hidden_missing = missing.filter(unseen).count()
    return AdvocateTray(awaiting, missing_now, hidden, hidden_missing, mine_only)


# ---------------------------------------------------------------- patterns for the exploitation lead


def return_interviews_in_period(*, local_authority: int, start: date, end: date) -> QuerySet[ReturnInterview]:
    """Interviews due after a return between ``start`` and ``end`` (London days, inclusive)."""
    return ReturnInterview.objects.filter(local_authority_id=local_authority).filter(
        _between("episode__ended_at", start, end))


def interview_counts(*, local_authority: int, start: date, end: date) -> dict[str, int]:
    """How many return home interviews were due, offered, accepted, declined and held, and how many in 72 hours.

    One query. Counts only, so children on restricted records are included: the figures must be right.
    """
    return return_interviews_in_period(local_authority=local_authority, start=start, end=end).aggregate(
        returns=Count("id"),
        offered=Count("id", filter=Q(offered_at__isnull=False)),
        offered_in_time=Count("id", filter=Q(offered_at__lte=F("due_at"))),
        accepted=Count("id", filter=Q(response=InterviewResponse.ACCEPTED)),
        declined=Count("id", filter=Q(response=InterviewResponse.DECLINED)),
        completed=Count("id", filter=Q(completed_at__isnull=False)),
        completed_in_time=Count("id", filter=Q(completed_at__lte=F("due_at"))),
    )


def episode_counts(*, local_authority: int, start: date, end: date) -> dict[str, int]:
    """Episodes started in the period: missing and away counted apart (never merged), from care and from home."""
    episodes = MissingEpisode.objects.filter(local_authority_id=local_authority).filter(
        _between("started_at", start, end))
    return episodes.aggregate(
        episodes=Count("id"),
        missing=Count("id", filter=Q(missing_type=MissingType.MISSING)),
        away=Count("id", filter=Q(missing_type=MissingType.AWAY)),
        care=Count("id", filter=Q(from_care=True)),
        home=Count("id", filter=Q(from_care=False)),
        children=Count("child", distinct=True),
        still_open=Count("id", filter=Q(ended_at__isnull=True)),
    )


@dataclass
class ChildShown:
    pk: int | None  # None for a restricted record: no link, no name
    name: str


@dataclass
class RepeatRow:
    child: ChildShown
    episodes: int
    missing: int
    away: int
    most_in_window: int
    last_started: datetime
    from_care: bool


@dataclass
class LinkedGroup:
    children: list[ChildShown]
    restricted: int
    episodes: int


@dataclass
class PlaceRow:
    place: str
    district: str
    episodes: int
    children: int


@dataclass
class DistrictRow:
    district: str
    episodes: int
    children: int


@dataclass
class HighRiskRow:
    child: ChildShown
    screening_pk: int | None
    cse_risk: str
    cce_risk: str
    screened_on: date
    next_review_on: date | None


@dataclass
class Patterns:
    start: date
    end: date
    episodes: dict[str, int]
    interviews: dict[str, int]
    repeats: list[RepeatRow]
    groups: list[LinkedGroup]
    districts: list[DistrictRow]
    places: list[PlaceRow]
    restricted_places: int
    high_risk: list[HighRiskRow]

    def rate(self, part: str) -> int | None:
        whole = self.interviews.get("returns") or 0
        return round(100 * self.interviews[part] / whole) if whole else None


def _most_in_window(starts: list[datetime], days: int) -> int:
    best, left = 0, 0
    for right, moment in enumerate(starts):
        while moment - starts[left] >= timedelta(days=days):
            left += 1
        best = max(best, right - left + 1)
    return best


def repeat_episodes(*, user: User, start: date, end: date, threshold: int = REPEAT_THRESHOLD,
                    window_days: int = REPEAT_WINDOW_DAYS) -> list[RepeatRow]:
    """Children with ``threshold`` or more episodes starting within any ``window_days`` days of the period."""
    rows = (
        MissingEpisode.objects.filter(local_authority_id=user.local_authority_id)
        .filter(_between("started_at", start, end))
        .annotate(child_visible=_visible(user, "child__"), child_counted=_counted(user, "child__"))
        .values_list("child_id", "started_at", "missing_type", "from_care", "child__first_name",
                     "child__last_name", "child_visible", "child_counted")
        .order_by("child_id", "started_at")
    )
    by_child: dict[int, list[tuple[Any, ...]]] = defaultdict(list)
    for row in rows:
        if row[6] or row[7]:
            by_child[row[0]].append(row)
    result = []
    for child_id, items in by_child.items():
        most = _most_in_window([item[1] for item in items], window_days)
        if most < threshold:
            continue
        first, last, visible = items[0][4], items[0][5], items[0][6]
        result.append(RepeatRow(
            child=ChildShown(child_id if visible else None, _name(first, last, visible)),
            episodes=len(items),
            missing=sum(1 for item in items if item[2] == MissingType.MISSING),
            away=sum(1 for item in items if item[2] == MissingType.AWAY),
            most_in_window=most, last_started=items[-1][1], from_care=items[-1][3],
        ))
    result.sort(key=lambda r: (-r.episodes, -r.last_started.timestamp()))
    return result


def linked_groups(*, user: User, start: date, end: date) -> list[LinkedGroup]:
    """Children recorded as missing together in the period, joined into groups (friends of friends)."""
    links = (
        MissingEpisodeLink.objects.filter(local_authority_id=user.local_authority_id, removed=False)
        .filter(_between("episode__started_at", start, end))
        .annotate(child_visible=_visible(user, "episode__child__"), other_visible=_visible(user, "linked_child__"),
                  child_counted=_counted(user, "episode__child__"), other_counted=_counted(user, "linked_child__"))
        .values_list("episode_id", "episode__child_id", "episode__child__first_name", "episode__child__last_name",
                     "child_visible", "linked_child_id", "linked_child__first_name", "linked_child__last_name",
                     "other_visible", "child_counted", "other_counted")
        .order_by("id")
    )
    parent: dict[int, int] = {}

    def root(node: int) -> int:
        parent.setdefault(node, node)
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    people: dict[int, ChildShown] = {}
    edges = []
    for episode_id, a, a_first, a_last, a_vis, b, b_first, b_last, b_vis, a_counted, b_counted in links:
        if not (a_vis or a_counted) or not (b_vis or b_counted):
            continue  # a link with a sealed record is not this reader's to know of
        people[a] = ChildShown(a if a_vis else None, _name(a_first, a_last, a_vis))
        people[b] = ChildShown(b if b_vis else None, _name(b_first, b_last, b_vis))
        parent[root(a)] = root(b)
        edges.append((episode_id, a))
    members: dict[int, list[int]] = defaultdict(list)
    for person in people:
        members[root(person)].append(person)
    episodes: dict[int, set[int]] = defaultdict(set)
    for episode_id, a in edges:
        episodes[root(a)].add(episode_id)
    groups = []
    for group_root, ids in members.items():
        shown = [people[i] for i in ids if people[i].pk is not None]
        groups.append(LinkedGroup(children=sorted(shown, key=lambda c: c.name),
                                  restricted=len(ids) - len(shown), episodes=len(episodes[group_root])))
    groups.sort(key=lambda g: (-(len(g.children) + g.restricted), -g.episodes))
    return groups


def _place_key(text: str) -> str:
    return " ".join("".join(ch for ch in text.lower() if ch.isalnum() or ch.isspace()).split())


def locations(*, user: User, start: date, end: date) -> tuple[list[DistrictRow], list[PlaceRow], int]:
    """Where children were found or went while missing, by postcode district and by place.

    Every episode counts in its districts; a place's words are shown only from records the reader may
    see (free text on a restricted record can name people), the others are counted as one figure (those on
    sealed records not even that).
    """
    rows = (
        MissingEpisode.objects.filter(local_authority_id=user.local_authority_id)
        .filter(_between("started_at", start, end))
        .annotate(child_visible=_visible(user, "child__"), child_counted=_counted(user, "child__"))
        .values_list("pk", "child_id", "found_where", "found_district", "locations", "child_visible",
                     "child_counted")
    )
    districts: dict[str, tuple[set[int], set[int]]] = defaultdict(lambda: (set(), set()))
    places: dict[tuple[str, str], tuple[str, set[int], set[int]]] = {}
    restricted = 0
    for pk, child_id, found_where, found_district, extra, visible, counted in rows:
        spots = [(found_where, found_district)] + [(item.get("place", ""), item.get("district", ""))
                                                  for item in (extra or [])]
        for place, district in spots:
            if not place and not district:
                continue
            if district:
                districts[district][0].add(pk)
                districts[district][1].add(child_id)
            if not place:
                continue
            if not visible:
                restricted += 1 if counted else 0
                continue
            key = (_place_key(place), district)
            label, episodes, children = places.get(key, (place, set(), set()))
            episodes.add(pk)
            children.add(child_id)
            places[key] = (label, episodes, children)
    district_rows = sorted((DistrictRow(d, len(e), len(c)) for d, (e, c) in districts.items()),
                           key=lambda r: (-r.episodes, r.district))
    place_rows = sorted((PlaceRow(label, d, len(e), len(c)) for (_, d), (label, e, c) in places.items()),
                        key=lambda r: (-r.episodes, -r.children, r.place.lower()))
    return district_rows, place_rows, restricted


def high_risk_children(*, user: User) -> list[HighRiskRow]:
    """Children whose latest exploitation screening found a high risk of sexual or criminal exploitation."""
    latest = (ExploitationScreening.objects.filter(child_id=OuterRef("child_id"))
              .order_by("-screened_on", "-id").values("pk")[:1])
    rows = (
        ExploitationScreening.objects.filter(local_authority_id=user.local_authority_id)
        .filter(Q(cse_risk=RiskLevel.HIGH) | Q(cce_risk=RiskLevel.HIGH))
        .filter(pk=Subquery(latest))
        .annotate(child_visible=_visible(user, "child__"), child_counted=_counted(user, "child__"))
        .values_list("pk", "child_id", "child__first_name", "child__last_name", "child_visible", "cse_risk",
                     "cce_risk", "screened_on", "next_review_on", "child_counted")
        .order_by("next_review_on", "child_id")
    )
    return [
        HighRiskRow(child=ChildShown(child_id if visible else None, _name(first, last, visible)),
                    screening_pk=pk if visible else None, cse_risk=cse, cce_risk=cce, screened_on=on,
                    next_review_on=review)
        for pk, child_id, first, last, visible, cse, cce, on, review, counted in rows
        if visible or counted
    ]


def exploitation_patterns(*, user: User, start: date, end: date) -> Patterns:
    """The exploitation lead's view for one period, in a fixed number of queries."""
    la = user.local_authority_id
    assert la is not None
    districts, places, restricted_places = locations(user=user, start=start, end=end)
    return Patterns(
        start=start, end=end,
        episodes=episode_counts(local_authority=la, start=start, end=end),
        interviews=interview_counts(local_authority=la, start=start, end=end),
        repeats=repeat_episodes(user=user, start=start, end=end),
        groups=linked_groups(user=user, start=start, end=end),
        districts=districts, places=places, restricted_places=restricted_places,
        high_risk=high_risk_children(user=user),
    )
