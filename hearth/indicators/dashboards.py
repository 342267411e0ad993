"""What each dashboard shows, assembled: the director's board, the head of service's teams and a team's work.

Figures come from ``compute`` (cached by the council's data version), benchmarks from ``benchmarks``, targets
and snapshots from ``selectors``; a team's work (caseloads, overdue clocks, children waiting) from the work
trays' selectors, which count only the children the reader may see. The board holds no personal data, so
the whole of it is cached for the council's data version: a second look costs a handful of queries.

Every function here reads a fixed number of queries whatever the number of teams, workers or children.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from django.core.cache import cache
from django.db.models import Count, IntegerField, Max, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.safestring import SafeString, mark_safe

from hearth.accounts.models import Team, User
from hearth.accounts.roles import ALLOCATABLE_ROLES
from hearth.allocations.models import Allocation
from hearth.case_audits.selectors import AuditSummary, audit_summary
from hearth.clocks.models import Clock, holiday_set
from hearth.clocks.registry import RULES
from hearth.clocks.working_days import working_days_between
from hearth.supervision.selectors import LEADER_ROLES as SUPERVISION_LEADERS
from hearth.supervision.selectors import SupervisionCompliance, compliance_by_team, supervision_compliance
from hearth.worktrays import selectors as trays

from . import benchmarks, compute, selectors
from .charts import Series, format_value, line_chart, sparkline
from .models import BenchmarkFigure, IndicatorSnapshot, IndicatorTarget
from .registry import GROUP_TITLES, REGISTRY, Indicator, current_period

if TYPE_CHECKING:
    from hearth.people.models import Person
    from hearth.tenancy.models import LocalAuthority

# The board's headline measures, by group, in the order a board reads them.
HEADLINES: dict[str, tuple[str, ...]] = {
    "cin": ("referral_rate", "re_referrals_12m", "assessments_45wd", "cin_rate", "s47_rate", "icpc_15wd",
            "cpp_rate", "cpp_second"),
    "cla": ("cla_rate", "cla_start_rate", "placements_3plus_year", "placement_long_term", "placed_20_miles",
            "cla_missing"),
    "care_leavers": ("care_leavers_eet_19_21", "care_leavers_suitable_19_21", "care_leavers_not_in_touch",
                     "staying_put"),
    "workforce": ("sw_fte", "turnover_rate", "agency_rate", "caseload_average"),
}
# The head of service's team table: two timeliness measures split by team.
SERVICE_TIMELINESS = ("assessments_45wd", "icpc_15wd")
RAG_WORDS = {"green": ("On target", "green"), "amber": ("Close to target", "yellow"), "red": ("Off target", "red")}
BOARD_CACHE_SECONDS = 600  # published benchmarks are not in the data version: refreshed at least this often
OVERDUE_SHOWN = 50
WAITING_SHOWN = 50
AUDIT_MONTHS = 12

# Statutory clocks by the kind of work a manager chases.
OVERDUE_KINDS: tuple[tuple[str, str], ...] = (
    ("visits", "Visits"), ("reviews", "Reviews and conferences"), ("assessments", "Assessments"),
    ("other", "Other"),
)


def overdue_kind(rule_id: str) -> str:
    if "visit" in rule_id or rule_id in ("care_leaver_contact", "return_home_interview"):
        return "visits"
    if ("review" in rule_id or "conference" in rule_id or "core_group" in rule_id
            or rule_id in ("icpc", "rcpc_first", "rcpc_next")):
        return "reviews"
    if "assessment" in rule_id or rule_id in ("s47_enquiry", "pep_initial", "care_plan", "placement_plan"):
        return "assessments"
    return "other"


# Periods and links -----------------------------------------------------------------------------------------

def period_words(start: date, end: date) -> str:
    return f"{start.day} {start:%B %Y} to {end.day} {end:%B %Y}"


def _query(start: date, end: date, **extra: Any) -> str:
    params = {"start": start.isoformat(), "end": end.isoformat()}
    params.update({k: str(v) for k, v in extra.items() if v not in (None, "")})
    return urlencode(params)


def detail_url(code: str, start: date, end: date) -> str:
    return reverse("indicators:detail", args=[code]) + "?" + _query(start, end)


def children_url(code: str, start: date, end: date, *, part: str = "numerator", team: int | str | None = None
                 ) -> str:
    return reverse("indicators:children", args=[code]) + "?" + _query(start, end, part=part, team=team)


def count_text(value: float | None) -> str:
    """A numerator or denominator: ``640``, or ``12.5`` for FTE and scores."""
    if value is None:
        return ""
    return f"{int(value):,}" if float(value).is_integer() else f"{value:,.1f}"


def parts_text(ind: Indicator, numerator: float, denominator: float | None) -> str:
    """What a figure is made of, in words: "52 of 64", "8 of 20,000 children", "12.5 counted"."""
    if ind.unit == "per_10k":
        return f"{count_text(numerator)} of {count_text(denominator)} children" if denominator else \
            f"{count_text(numerator)} counted"
    if ind.unit in ("percent", "average") and denominator is not None:
        return f"{count_text(numerator)} of {count_text(denominator)}"
    return f"{count_text(numerator)} counted"


def month_label(day: date) -> str:
    return f"{day:%b %y}"


def compares_with_england(ind: Indicator) -> bool:
    """Whether England's (and a region's) published figure can sit beside the council's. Rates, percentages
    and averages can; a plain count cannot: England's social workers in post are every council's added up."""
    return ind.unit != "number"


NOT_COMPARABLE = "Not comparable: England's figure is a total of every council's"


# Pieces every dashboard uses ------------------------------------------------------------------------------

@dataclass
class Rag:
    """A target status in words (the tag's colour only repeats it) and which way is better."""

    status: str  # green, amber, red
    text: str
    colour: str
    polarity: str


def rag_for(ind: Indicator, value: float | None, target: float | None) -> Rag | None:
    if value is None or target is None:
        return None
    status = selectors.rag(indicator=ind, value=value, target=target)
    if status is None:
        return None
    text, colour = RAG_WORDS[status]
    return Rag(status, text, colour, ind.polarity_words)


@dataclass
class TrendRow:
    month_end: date
    label: str
    numerator: str
    denominator: str
    value: float | None
    value_text: str
    source: str  # "snapshot" (as frozen) or "live"


@dataclass
class Headline:
    """One indicator as the board and the head of service see it. No personal data: safe to cache (it
    names its indicator by code, so what is cached is plain data)."""

    code: str
    start: date
    end: date
    value: float | None = None
    value_text: str = ""
    numerator: str = ""
    denominator: str = ""
    parts: str = ""  # what the link to the records behind the figure says: "52 of 64"
    target: float | None = None
    target_text: str = ""
    rag: Rag | None = None
    trend: list[TrendRow] = field(default_factory=list)
    chart: SafeString | str = ""
    spark: SafeString | str = ""
    england: float | None = None
    england_text: str = ""
    england_comparable: bool = True
    sn_median: float | None = None
    sn_median_text: str = ""
    benchmark_year: int | None = None
    position: str = ""
    reported_on: date | None = None
    reported_value: float | None = None
    reported_text: str = ""
    reported_url: str = ""
    detail_url: str = ""
    children_url: str = ""

    @property
    def indicator(self) -> Indicator:
        return REGISTRY[self.code]

    @property
    def unavailable(self) -> str:
        return self.indicator.unavailable

    @property
    def not_comparable(self) -> str:
        return NOT_COMPARABLE

    @property
    def reported_differs(self) -> bool:
        return self.reported_on is not None and self.reported_text != self.value_text


@dataclass
class HeadlineGroup:
    key: str
    title: str
    headlines: list[Headline]


def headline_codes(group: str | None = None) -> list[str]:
    """The board's measures that are registered (a test may register only some)."""
    groups = [group] if group else list(HEADLINES)
    return [code for g in groups for code in HEADLINES.get(g, ()) if code in REGISTRY]


def _snapshots_at(local_authority: LocalAuthority, day: date, codes: list[str]) -> dict[str, IndicatorSnapshot]:
    """Every measure's frozen figure for one month end, in one query (the member lists left behind)."""
    rows = (IndicatorSnapshot.objects.filter(local_authority=local_authority, month_end=day, indicator__in=codes)
            .defer("members"))
    return {row.indicator: row for row in rows}


def build_headlines(*, local_authority: LocalAuthority, today: date, codes: list[str], charts: bool = True
                    ) -> list[Headline]:
    """Each indicator's figure for the rolling year to the last month end, its target and status, its
    24-month trend (a line chart and a sparkline), England and the neighbours, and the figure as it was
    reported at that month end where it differs from now."""
    start, end = current_period(today)
    figures = {f.code: f for f in compute.figures(local_authority=local_authority, start=start, end=end,
                                                  codes=codes)}
    targets = selectors.targets_for(local_authority=local_authority)
    snapshots = _snapshots_at(local_authority, end, codes)
    trends = compute.trends(local_authority=local_authority, codes=[c for c in codes if not REGISTRY[c].unavailable],
                            months=24, last=end)
    out = []
    for code in codes:
        ind = REGISTRY[code]
        head = Headline(code=code, start=start, end=end, detail_url=detail_url(code, start, end))
        out.append(head)
        if ind.unavailable:
            continue
        fig = figures.get(code)
        fmt = _formatter(ind)
        if fig is not None:
            head.value, head.value_text = fig.value, fmt(fig.value)
            head.numerator = count_text(fig.numerator)
            head.denominator = count_text(fig.denominator) if ind.unit not in ("number", "per_10k") else ""
            if fig.numerator or fig.value is not None:  # nothing behind "No data" to list
                head.children_url = children_url(code, start, end)
                head.parts = parts_text(ind, fig.numerator, fig.denominator)
        target = targets.get(code)
        if target is not None:
            head.target, head.target_text = target.value, fmt(target.value)
            head.rag = rag_for(ind, head.value, target.value)
        points = trends.get(code, [])
        head.trend = [TrendRow(month_end=p.month_end, label=month_label(p.month_end),
                               numerator=count_text(p.numerator),
                               denominator=count_text(p.denominator) if ind.unit != "number" else "",
                               value=p.value, value_text=fmt(p.value), source=p.source) for p in points]
        if charts:
            head.chart = line_chart(
                title=f"{ind.title}: {'the twelve months to ' if ind.measured == 'in_period' else ''}each month end",
                series=[Series(name="This council", points=[(r.label, r.value) for r in head.trend])],
                unit=ind.unit, target=head.target, decimals=ind.decimals, polarity=ind.polarity)
        head.spark = sparkline(values=[r.value for r in head.trend], title=f"{ind.title}: 24-month trend",
                               unit=ind.unit, decimals=ind.decimals, labels=[r.label for r in head.trend])
        _compare(head, local_authority, ind, fmt)
        snap = snapshots.get(code)
        if snap is not None:
            head.reported_on, head.reported_value = snap.month_end, snap.value
            head.reported_text = fmt(snap.value)
            head.reported_url = reverse("indicators:snapshot", args=[code, snap.month_end.isoformat()])
    return out


def _formatter(ind: Indicator) -> Any:
    return lambda value: format_value(value, ind.unit, ind.decimals)


def _compare(head: Headline, local_authority: LocalAuthority, ind: Indicator, fmt: Any) -> None:
    """England, the neighbours' median and where the live figure would sit among the neighbours."""
    try:
        bench = benchmarks.benchmark(local_authority=local_authority, code=ind.code)
    except LookupError:
        bench = None
    if bench is None:
        return
    head.benchmark_year = bench.year
    head.england_comparable = compares_with_england(ind)
    if head.england_comparable and bench.england is not None and bench.england.value is not None:
        head.england, head.england_text = bench.england.value, fmt(bench.england.value)
    if bench.sn_median is not None:
        head.sn_median, head.sn_median_text = bench.sn_median, fmt(bench.sn_median)
    if head.value is not None and any(n.value is not None for n in bench.neighbours):
        head.position = benchmarks.position(value=head.value, benchmark=bench, polarity=ind.polarity).words


# The director's board --------------------------------------------------------------------------------------

@dataclass
class Board:
    start: date
    end: date
    groups: list[HeadlineGroup]

    @property
    def period(self) -> str:
        return period_words(self.start, self.end)

    @property
    def headlines(self) -> list[Headline]:
        return [h for g in self.groups for h in g.headlines]


def board_key(*, local_authority: LocalAuthority, today: date, kind: str) -> str:
    """A cache key for what the board (``kind``) shows: it changes with the case data, the targets, the frozen
    snapshots and the published figures. Four small queries."""
    targets = IndicatorTarget.objects.filter(local_authority=local_authority).aggregate(
        n=Count("pk"), versions=Sum("version"))
    frozen = IndicatorSnapshot.objects.filter(local_authority=local_authority).aggregate(last=Max("pk"))
    published = BenchmarkFigure.objects.aggregate(last=Max("pk"))
    parts = (local_authority.pk, compute.data_version(local_authority), today.isoformat(), targets["n"],
             targets["versions"], frozen["last"], published["last"], sorted(REGISTRY))
    digest = hashlib.sha1(repr(parts).encode()).hexdigest()
    return f"hearth:indicators:{kind}:{local_authority.pk}:{digest}"


def director_board(*, local_authority: LocalAuthority, today: date, key: str | None = None) -> Board:
    """The headline indicators by group, cached until the council's data (or targets, snapshots or
    published benchmarks) change. ``key``: from ``board_key``, when the caller has it already."""
    key = key or board_key(local_authority=local_authority, today=today, kind="board")
    board = cache.get(key)
    if board is None:
        start, end = current_period(today)
        heads = {h.code: h for h in build_headlines(local_authority=local_authority, today=today,
                                                    codes=headline_codes())}
        groups = [HeadlineGroup(g, GROUP_TITLES[g], [heads[c] for c in headline_codes(g)]) for g in HEADLINES]
        board = Board(start=start, end=end, groups=[g for g in groups if g.headlines])
        cache.set(key, board, BOARD_CACHE_SECONDS)
    return board


BOARD_CSV_HEADER = ["section", "group", "code", "indicator", "unit", "polarity", "period_start", "period_end",
                    "month_end", "numerator", "denominator", "value", "source", "target", "status", "england",
                    "benchmark_year", "neighbour_median", "neighbour_position", "as_reported_month_end",
                    "as_reported_value"]


def _plain(value: float | None, decimals: int) -> str:
    return "" if value is None else f"{value:.{decimals}f}"


def board_csv_rows(board: Board) -> list[list[object]]:
    """The board as a table: one "current" row per measure (what its card shows) and one "trend" row per
    month of its chart. Counts and rates only: nothing in it names a child or a worker."""
    rows: list[list[object]] = []
    for group in board.groups:
        for h in group.headlines:
            ind = h.indicator
            rows.append([
                "current", group.key, ind.code, ind.title, ind.unit, ind.polarity_words, h.start.isoformat(),
                h.end.isoformat(), "", h.numerator.replace(",", ""), h.denominator.replace(",", ""),
                _plain(h.value, ind.decimals), "unavailable" if ind.unavailable else "live",
                _plain(h.target, ind.decimals), h.rag.text if h.rag else "", _plain(h.england, ind.decimals),
                h.benchmark_year or "", _plain(h.sn_median, ind.decimals), h.position,
                h.reported_on.isoformat() if h.reported_on else "", _plain(h.reported_value, ind.decimals),
            ])
            for t in h.trend:
                rows.append([
                    "trend", group.key, ind.code, ind.title, ind.unit, ind.polarity_words, "", "",
                    t.month_end.isoformat(), t.numerator.replace(",", ""), t.denominator.replace(",", ""),
                    _plain(t.value, ind.decimals), t.source, "", "", "", "", "", "", "", "",
                ])
    return rows


# The head of service -------------------------------------------------------------------------------------

@dataclass
class TeamFigure:
    value_text: str
    parts: str
    url: str


@dataclass
class ServiceTeamRow:
    team: Team
    timeliness: list[TeamFigure | None]
    open_cases: int | None = None
    fte: float | None = None
    caseload: str = ""
    overdue: int | None = None
    unallocated: int | None = None
    supervision: str = ""
    supervision_overdue: int | None = None
    supervision_url: str = ""  # the team's supervision, for those who may see it by name
    url: str = ""
    tray_url: str = ""


@dataclass
class ServiceDashboard:
    start: date
    end: date
    timeliness: list[Indicator]
    council_timeliness: list[TeamFigure | None]
    teams: list[ServiceTeamRow]
    operational: bool  # caseloads and overdue work shown (the reader works with children's records)

    @property
    def period(self) -> str:
        return period_words(self.start, self.end)


def _team_split(local_authority: LocalAuthority, start: date, end: date, codes: list[str]
                ) -> tuple[dict[str, Any], dict[str, dict[int | None, Any]]]:
    """Each code's council figure and its figures by team (percent and average measures only).

    Kept for the council's data version: splitting means reading every record each measure counted, and
    the split is a few numbers per team."""
    version = compute.data_version(local_authority)
    digest = hashlib.sha1(repr(sorted(codes)).encode()).hexdigest()[:12]
    key = f"hearth:indicators:team-split:{local_authority.pk}:{start}:{end}:{version}:{digest}"
    found = cache.get(key)
    if found is None:
        results = compute.results(local_authority=local_authority, start=start, end=end, codes=codes)
        council = {r.code: compute.Figure(r.code, start, end, r.numerator, r.denominator, r.value)
                   for r in results}
        split = {r.code: compute.team_figures(result=r) for r in results
                 if r.indicator.unit in ("percent", "average") and not r.indicator.unavailable}
        found = (council, split)
        cache.set(key, found, compute.TIMEOUT)
    return found


def _team_figure(ind: Indicator, fig: Any, start: date, end: date, team: int | str | None) -> TeamFigure | None:
    if fig is None or fig.value is None:
        return None
    return TeamFigure(value_text=format_value(fig.value, ind.unit, ind.decimals),
                      parts=f"{count_text(fig.numerator)} of {count_text(fig.denominator)}",
                      url=children_url(ind.code, start, end, team=team))


def _fte_by_team(local_authority: LocalAuthority, today: date) -> dict[int | None, float]:
    rows = (User.objects.filter(local_authority=local_authority, is_active=True, role__in=ALLOCATABLE_ROLES)
            .filter(Q(left_on__isnull=True) | Q(left_on__gt=today))
            .filter(Q(started_on__isnull=True) | Q(started_on__lte=today))
            .order_by().values("team_id").annotate(fte=Sum("fte")))
    return {r["team_id"]: float(r["fte"] or 0) for r in rows}


def _allocated_by_team(user: User) -> dict[int | None, int]:
    visible = trays._visible(user)
    if visible is None:
        return {}
    rows = (Allocation.objects.filter(visible, local_authority_id=user.local_authority_id, ended_on__isnull=True,
                                      kind=Allocation.Kind.SOCIAL_WORKER, worker__isnull=False)
            .order_by().values("team_id").annotate(n=Count("child_id", distinct=True)))
    return {r["team_id"]: r["n"] for r in rows}


def caseload_text(cases: int, fte: float | None) -> str:
    if not fte:
        return ""
    return f"{cases / fte:.1f}"


def service_dashboard(*, user: User, local_authority: LocalAuthority, today: date) -> ServiceDashboard:
    start, end = current_period(today)
    codes = [c for c in SERVICE_TIMELINESS if c in REGISTRY and not REGISTRY[c].unavailable]
    council, split = _team_split(local_authority, start, end, codes)
    indicators = [REGISTRY[c] for c in codes]
    teams = list(Team.objects.filter(local_authority=local_authority, closed_on__isnull=True).order_by("name"))
    operational = user.has_case_access
    overview = trays.service_overview(user=user, today=today) if operational else None
    by_team = {r.team.pk: r for r in overview.rows if r.team is not None} if overview else {}
    allocated = _allocated_by_team(user) if operational else {}
    fte = _fte_by_team(local_authority, today)
    supervision = supervision_by_team(local_authority=local_authority, today=today)
    # Heads of service and the director open any team's supervision (an analyst sees the figures only).
    names_supervision = operational and user.role in SUPERVISION_LEADERS
    rows = []
    for team in teams:
        trays_row = by_team.get(team.pk)
        timeliness = [_team_figure(ind, split.get(ind.code, {}).get(team.pk), start, end, team.pk)
                      for ind in indicators]
        has_work = trays_row is not None or any(timeliness) or team.pk in fte
        if team.kind not in trays.CASE_TEAM_KINDS and not has_work:
            continue
        row = ServiceTeamRow(team=team, timeliness=timeliness, url=reverse("indicators:team", args=[team.pk]))
        if operational:
            row.open_cases = allocated.get(team.pk, 0)
            row.fte = fte.get(team.pk)
            row.caseload = caseload_text(row.open_cases, row.fte)
            row.overdue = trays_row.overdue_clocks if trays_row else 0
            row.unallocated = trays_row.unallocated if trays_row else 0
            row.tray_url = reverse("worktrays:team_detail", args=[team.pk])
        if team.pk in supervision:
            row.supervision, row.supervision_overdue = supervision[team.pk]
            if names_supervision:
                row.supervision_url = reverse("supervision:team", args=[team.pk])
        rows.append(row)
    council_timeliness = [_team_figure(ind, council.get(ind.code), start, end, None) for ind in indicators]
    return ServiceDashboard(start=start, end=end, timeliness=indicators, council_timeliness=council_timeliness,
                            teams=rows, operational=operational)


def build_headlines_cached(*, local_authority: LocalAuthority, today: date, key: str | None = None
                           ) -> list[Headline]:
    """The board's measures with their sparklines (no big charts), cached like the board."""
    key = key or board_key(local_authority=local_authority, today=today, kind="service")
    heads = cache.get(key)
    if heads is None:
        heads = build_headlines(local_authority=local_authority, today=today, codes=headline_codes(), charts=False)
        cache.set(key, heads, BOARD_CACHE_SECONDS)
    return heads


def fragment(*, key: str, render: Callable[[], str]) -> SafeString:
    """Rendered HTML kept under ``key`` (a ``board_key``): the board's cards and the key indicators table are
    the same for every reader of a council, and drawing two dozen charts and tables is most of their cost."""
    html = cache.get(key)
    if html is None:
        html = render()
        cache.set(key, html, BOARD_CACHE_SECONDS)
    return mark_safe(html)  # rendered by the template engine, which escaped it


def supervision_by_team(*, local_authority: LocalAuthority, today: date) -> dict[int, tuple[str, int]]:
    """Each team's share of supervised workers in time, and how many are overdue, read once for the council
    (so the page reads the same number of queries however many teams there are)."""
    rows, _ = compliance_by_team(local_authority=local_authority, on=today)
    out = {}
    for row in rows:
        found = row.compliance
        if row.team is None or found.percent is None:
            continue
        out[row.team.pk] = (f"{found.percent:.0f}%", len(found.overdue))
    return out


# A team -----------------------------------------------------------------------------------------------------

@dataclass
class TimelinessRow:
    indicator: Indicator
    team: TeamFigure
    council: TeamFigure | None
    target_text: str
    rag: Rag | None
    detail_url: str = ""  # the indicator's page for the same period


@dataclass
class WorkerRow:
    worker: User
    open_cases: int
    fte: float
    caseload: str
    overdue: dict[str, int]

    @property
    def overdue_total(self) -> int:
        return sum(self.overdue.values())

    @property
    def overdue_counts(self) -> list[int]:
        """In the order of ``OVERDUE_KINDS`` (the table's columns)."""
        return [self.overdue.get(key, 0) for key, _ in OVERDUE_KINDS]


@dataclass
class OverdueItem:
    clock: Clock
    what: str
    kind: str
    days_overdue: int
    owner: str
    child_url: str
    link: str


@dataclass
class WaitingChild:
    person: Person
    waiting_since: date | None
    working_days: int | None
    child_url: str


@dataclass
class TeamDashboard:
    team: Team
    start: date
    end: date
    timeliness: list[TimelinessRow]
    workers: list[WorkerRow]
    worker_totals: WorkerRow | None
    overdue: list[OverdueItem]
    overdue_total: int
    overdue_by_kind: dict[str, int]
    waiting: list[WaitingChild]
    waiting_total: int
    supervision: SupervisionCompliance
    audits: AuditSummary
    audit_start: date
    tray_url: str
    supervision_url: str = ""
    audits_url: str = ""

    @property
    def period(self) -> str:
        return period_words(self.start, self.end)

    @property
    def overdue_kinds(self) -> list[tuple[str, str, int]]:
        return [(key, label, self.overdue_by_kind.get(key, 0)) for key, label in OVERDUE_KINDS]


def _owner_of_clock() -> Coalesce:
    """Who a clock is for: the worker it is assigned to, else the child's allocated social worker."""
    allocated = Allocation.objects.filter(child_id=OuterRef("child_id"), kind=Allocation.Kind.SOCIAL_WORKER,
                                          ended_on__isnull=True, worker__isnull=False).order_by("-started_on")
    return Coalesce("assigned_to_id", Subquery(allocated.values("worker_id")[:1]), output_field=IntegerField())


def team_caseloads(*, user: User, team: Team, today: date) -> QuerySet[User]:
    """The team's case-holding members in post with ``open_cases`` (the children allocated to them that the
    reader may see), as the team tray counts them. The tray's own query also counts each worker's overdue
    clocks, which this page splits by kind in one query of its own instead (and which is the slow part)."""
    visible = trays._visible(user)
    if visible is None:
        return User.objects.none()
    cases = Allocation.objects.filter(visible, worker_id=OuterRef("pk"), ended_on__isnull=True)
    return (
        User.objects.filter(team=team, is_active=True, local_authority_id=team.local_authority_id,
                            role__in=ALLOCATABLE_ROLES)
        .filter(Q(left_on__isnull=True) | Q(left_on__gt=today))
        .annotate(open_cases=trays._count(cases))
        .order_by("last_name", "first_name", "pk")
    )


def team_timeliness(*, local_authority: LocalAuthority, team: Team, today: date) -> list[TimelinessRow]:
    """Every percent measure the team has cases in, the team's figure beside the council's."""
    start, end = current_period(today)
    codes = [i.code for i in REGISTRY.values()
             if i.unit == "percent" and i.group != "workforce" and not i.unavailable]
    council, split = _team_split(local_authority, start, end, codes)
    targets = selectors.targets_for(local_authority=local_authority)
    rows = []
    for code in codes:
        ind = REGISTRY[code]
        mine = _team_figure(ind, split.get(code, {}).get(team.pk), start, end, team.pk)
        if mine is None:
            continue
        target = targets.get(code)
        team_value = split[code][team.pk].value
        rows.append(TimelinessRow(
            indicator=ind, team=mine, council=_team_figure(ind, council.get(code), start, end, None),
            target_text=format_value(target.value, ind.unit, ind.decimals) if target else "",
            rag=rag_for(ind, team_value, target.value if target else None), detail_url=detail_url(code, start, end)))
    return rows


def team_dashboard(*, user: User, team: Team, today: date) -> TeamDashboard:
    local_authority = team.local_authority  # the view reads the team with its council
    start, end = current_period(today)
    holidays = holiday_set()
    timeliness = team_timeliness(local_authority=local_authority, team=team, today=today)

    # Overdue statutory clocks: counted by worker and kind in one query, the oldest listed in another.
    overdue_qs = trays.overdue_clocks(user=user, team=team, today=today).annotate(owner_id=_owner_of_clock())
    per_worker: dict[int | None, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    by_kind: dict[str, int] = defaultdict(int)
    for row in overdue_qs.order_by().values("owner_id", "rule_id").annotate(n=Count("pk")):
        kind = overdue_kind(row["rule_id"])
        per_worker[row["owner_id"]][kind] += row["n"]
        by_kind[kind] += row["n"]
    overdue_total = sum(by_kind.values())
    labels = trays._content_type_labels()
    oldest = list(overdue_qs.select_related("child", "assigned_to")[:OVERDUE_SHOWN])
    owners = {u.pk: u for u in User.objects.filter(pk__in={c.owner_id for c in oldest if c.owner_id})}
    overdue = []
    for clock in oldest:
        rule = RULES.get(clock.rule_id)
        label = labels.get(clock.subject_type_id or 0, "")
        link = (trays.subject_url(label, clock.subject_id, clock.child_id) if label and clock.subject_id else None)
        owner = owners.get(clock.owner_id)
        overdue.append(OverdueItem(
            clock=clock, what=rule.title if rule else clock.rule_id, kind=overdue_kind(clock.rule_id),
            days_overdue=working_days_between(clock.due_on, today, holidays),
            owner=str(owner) if owner else "Not allocated", child_url=trays.child_url(clock.child_id),
            link=link or trays.child_url(clock.child_id)))

    workers = []
    for member in team_caseloads(user=user, team=team, today=today):
        fte = float(member.fte or 0)
        cases = member.open_cases  # type: ignore[attr-defined]
        workers.append(WorkerRow(worker=member, open_cases=cases, fte=fte, caseload=caseload_text(cases, fte),
                                 overdue=dict(per_worker.get(member.pk, {}))))
    totals = None
    if workers:
        # The whole team's overdue work, including clocks for children no one in the team holds.
        total_cases = sum(w.open_cases for w in workers)
        total_fte = sum(w.fte for w in workers)
        totals = WorkerRow(worker=user, open_cases=total_cases, fte=total_fte,
                           caseload=caseload_text(total_cases, total_fte), overdue=dict(by_kind))

    waiting_qs = trays.unallocated_children(user=user, team=team)
    waiting_people = list(waiting_qs[:WAITING_SHOWN])
    waiting_total = len(waiting_people) if len(waiting_people) < WAITING_SHOWN else waiting_qs.count()
    waiting = [WaitingChild(person=p, waiting_since=p.waiting_since,  # type: ignore[attr-defined]
                            working_days=(working_days_between(p.waiting_since, today, holidays)  # type: ignore[attr-defined]
                                          if p.waiting_since else None),  # type: ignore[attr-defined]
                            child_url=trays.child_url(p.pk)) for p in waiting_people]

    audit_start = (today.replace(day=1) - timedelta(days=365)).replace(day=1)
    return TeamDashboard(
        team=team, start=start, end=end, timeliness=timeliness, workers=workers, worker_totals=totals,
        overdue=overdue, overdue_total=overdue_total, overdue_by_kind=dict(by_kind), waiting=waiting,
        waiting_total=waiting_total,
        supervision=supervision_compliance(local_authority=local_authority, team=team, on=today),
        audits=audit_summary(local_authority=local_authority, team=team, start=audit_start, end=today),
        audit_start=audit_start,
        tray_url=reverse("worktrays:team_detail", args=[team.pk]),
        supervision_url=reverse("supervision:team", args=[team.pk]) if team.closed_on is None else "",
        # The themes page counts by month: the same months as the summary here.
        audits_url=reverse("case_audits:themes") + "?" + urlencode(
            {"start": audit_start.isoformat(), "end": today.replace(day=1).isoformat(), "team": str(team.pk)}))


