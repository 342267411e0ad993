"""Reads for case audits. Lists that name children start from hearth.access's one rule; aggregates count audits.

``audit_summary`` is what the performance dashboards and practice weeks read: a fixed number of queries
for any period and team.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from dateutil.relativedelta import relativedelta
from django.db.models import BooleanField, Case, Count, Exists, OuterRef, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce, NullIf
from django.utils import timezone

from hearth.access.policy import visible_people_filter
from hearth.accounts.models import Team, User
from hearth.accounts.roles import Role
from hearth.people.models import Person

from .models import (
    GOOD_OR_BETTER,
    GRADE_ORDER,
    AuditAction,
    AuditQuestion,
    AuditRound,
    AuditTemplate,
    AuditTheme,
    CaseAudit,
    Grade,
    Moderation,
    PracticeWeek,
    PracticeWeekTeam,
)
from .rules import AUDITOR_ROLES
from .sampling import Candidate

if TYPE_CHECKING:
    from hearth.tenancy.models import LocalAuthority

GRADE_KEYS = [str(g) for g in GRADE_ORDER]
GRADE_LABELS = {str(g): str(g.label) for g in GRADE_ORDER}


def _la_id(local_authority: LocalAuthority | int) -> int:
    return local_authority if isinstance(local_authority, int) else local_authority.pk


def _team_id(team: Team | int | None) -> int | None:
    return team if isinstance(team, int) or team is None else team.pk


def final_grade() -> Coalesce:
    """The grade the audit stands at: the moderator's when moderated, else the auditor's."""
    return Coalesce(NullIf("moderation__grade", Value("")), "overall_grade")


def percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


# ------------------------------------------------------------------------------------------------ the summary


@dataclass
class AuditSummary:
    audits: int
    grades: dict[str, int]
    good_or_better_percent: float | None
    themes: list[tuple[str, int]]
    actions_open: int
    actions_overdue: int
    moderated: int
    moderation_changed: int


def audit_summary(*, local_authority: LocalAuthority | int, team: Team | int | None = None, start: date,
                  end: date) -> AuditSummary:
    """Audits submitted from ``start`` to ``end`` (inclusive), for the council or one team (the child's team
    when the sample was drawn).

    ``grades`` count each audit at its final grade (the moderator's where moderation changed it; the auditor's
    grade is kept on the audit). ``actions_open`` are the team's audit actions set by ``end`` and not completed
    by then, whichever audit raised them; ``actions_overdue`` those of them due before ``end`` (or before
    today, for a period that has not ended). Three queries.
    """
    la = _la_id(local_authority)
    team_id = _team_id(team)
    audits = CaseAudit.objects.filter(local_authority_id=la, status=CaseAudit.Status.SUBMITTED,
                                      submitted_on__gte=start, submitted_on__lte=end)
    actions = AuditAction.objects.filter(local_authority_id=la, set_on__lte=end).filter(
        Q(completed_on__isnull=True) | Q(completed_on__gt=end))
    if team_id is not None:
        audits = audits.filter(team_id=team_id)
        actions = actions.filter(team_id=team_id)
    rows = list(audits.annotate(final=final_grade()).values_list("final", "overall_grade", "moderation__grade",
                                                                  "themes"))
    grades = dict.fromkeys(GRADE_KEYS, 0)
    tally: Counter[str] = Counter()
    moderated = changed = 0
    for final, first, second, tags in rows:
        if final in grades:
            grades[final] += 1
        tally.update(set(tags or []))
        if second:
            moderated += 1
            changed += second != first
    names = theme_names(local_authority_id=la)
    themes = sorted(((names.get(slug, slug), n) for slug, n in tally.items()), key=lambda t: (-t[1], t[0]))
    reference = min(end, timezone.localdate())
    counts = actions.aggregate(open=Count("pk"), overdue=Count("pk", filter=Q(due_on__lt=reference)))
    good = grades[Grade.OUTSTANDING] + grades[Grade.GOOD]
    return AuditSummary(
        audits=len(rows), grades=grades, good_or_better_percent=percent(good, len(rows)), themes=themes,
        actions_open=counts["open"], actions_overdue=counts["overdue"], moderated=moderated,
        moderation_changed=changed,
    )


def theme_names(*, local_authority_id: int) -> dict[str, str]:
    return dict(AuditTheme.objects.filter(local_authority_id=local_authority_id).values_list("slug", "name"))


def active_themes(*, local_authority_id: int) -> QuerySet[AuditTheme]:
    return AuditTheme.objects.filter(local_authority_id=local_authority_id, retired=False).order_by("order", "name")


# ------------------------------------------------------------------------------------------------ templates


def templates_for(*, local_authority_id: int, current_only: bool = False) -> QuerySet[AuditTemplate]:
    found = AuditTemplate.objects.filter(local_authority_id=local_authority_id).annotate(
        questions_count=Count("questions", distinct=True), rounds_count=Count("rounds", distinct=True))
    if current_only:
        found = found.filter(replaced_on__isnull=True)
    return found.order_by("name", "-edition")


def template_for(*, local_authority_id: int, pk: int) -> AuditTemplate | None:
    return AuditTemplate.objects.filter(local_authority_id=local_authority_id, pk=pk).first()


def questions_of(*, template: AuditTemplate) -> list[AuditQuestion]:
    return list(AuditQuestion.objects.filter(template=template).order_by("order", "pk"))


# ------------------------------------------------------------------------------------------------ the sample


def auditor_pool(*, local_authority_id: int, on: date | None = None) -> QuerySet[User]:
    """Staff who may audit: managers, heads of service, the director and the QA unit's IROs, in post."""
    on = on or timezone.localdate()
    return (User.objects.filter(local_authority_id=local_authority_id, is_active=True, role__in=AUDITOR_ROLES)
            .filter(Q(left_on__isnull=True) | Q(left_on__gt=on))
            .select_related("team").order_by("last_name", "first_name", "pk"))


def service_areas(*, local_authority_id: int) -> list[str]:
    return sorted({a for a in Team.objects.filter(local_authority_id=local_authority_id, closed_on__isnull=True)
                   .values_list("service_area", flat=True) if a})


def sample_frame(*, local_authority_id: int, on: date, auditors: list[User], child_ids: set[int] | None = None,
                 team_id: int | None = None, service_area: str = "") -> list[Candidate]:
    """The open cases on ``on`` (a child with a children-in-need episode open that day, closed cases never),
    narrowed to ``child_ids`` (a theme), a team or a service area, each with who may not audit it and, for a
    restricted or sealed record, which of ``auditors`` may open it. A fixed number of queries, plus one per
    auditor when a protected record is among the cases."""
    from hearth.allocations.models import Allocation
    from hearth.cin.models import CINEpisode

    episodes = (CINEpisode.objects.filter(local_authority_id=local_authority_id, referral_date__lte=on,
                                          child__merged_into__isnull=True)
                .filter(Q(closed_on__isnull=True) | Q(closed_on__gt=on)))
    if child_ids is not None:
        episodes = episodes.filter(child_id__in=child_ids) if len(child_ids) <= 2000 else episodes
    rows: dict[int, dict[str, Any]] = {}
    for child_id, team, level in episodes.order_by("referral_date", "pk").values_list(
            "child_id", "team_id", "child__access_level"):
        if child_ids is not None and child_id not in child_ids:
            continue
        rows[child_id] = {"team": team, "level": level, "worker": None, "staff": set()}
    allocations = (Allocation.objects.filter(local_authority_id=local_authority_id, started_on__lte=on,
                                             child_id__in=episodes.values("child_id"))
                   .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=on)))
    for child_id, kind, team, worker in allocations.values_list("child_id", "kind", "team_id", "worker_id"):
        row = rows.get(child_id)
        if row is None:
            continue
        if worker is not None:
            row["staff"].add(worker)
        if kind == Allocation.Kind.SOCIAL_WORKER:
            row["team"] = team
            row["worker"] = worker
    teams = dict(Team.objects.filter(local_authority_id=local_authority_id).values_list("pk", "service_area"))
    workers = {r["worker"] for r in rows.values() if r["worker"] is not None}
    worker_team = dict(User.objects.filter(pk__in=workers).values_list("pk", "team_id"))
    managers: dict[int, set[int]] = defaultdict(set)
    for pk, team in User.objects.filter(local_authority_id=local_authority_id, role=Role.TEAM_MANAGER,
                                        team__isnull=False).values_list("pk", "team_id"):
        managers[team].add(pk)
    protected = [c for c, r in rows.items() if r["level"] != Person.AccessLevel.OPEN]
    viewers: dict[int, set[int]] = defaultdict(set)
    if protected:
        from hearth.access.selectors import people_visible_to

        for auditor in auditors:
            for child_id in people_visible_to(user=auditor).filter(pk__in=protected).values_list("pk", flat=True):
                viewers[child_id].add(auditor.pk)
    frame = []
    for child_id, row in rows.items():
        if team_id is not None and row["team"] != team_id:
            continue
        if service_area and teams.get(row["team"]) != service_area:
            continue
        conflicts = set(row["staff"])
        if row["worker"] is not None:
            conflicts.add(row["worker"])
            conflicts |= managers.get(worker_team.get(row["worker"]) or 0, set())
        if row["team"] is not None:
            conflicts |= managers.get(row["team"], set())
        frame.append(Candidate(child_id=child_id, team_id=row["team"], worker_id=row["worker"],
                               conflicts=frozenset(conflicts), protected=row["level"] != Person.AccessLevel.OPEN,
                               viewers=frozenset(viewers.get(child_id, set()))))
    return frame


# ------------------------------------------------------------------------------------------------ lists


def _visible_annotation(user: User, prefix: str = "child__") -> tuple[Q | None, Any]:
    """The access rule, and an annotation saying whether the user may open each row's child."""
    rule = visible_people_filter(user, prefix=prefix)
    if rule is None:
        return None, Value(False, output_field=BooleanField())
    return rule, Case(When(rule, then=Value(True)), default=Value(False), output_field=BooleanField())


def _listable(user: User, prefix: str = "child__") -> Q:
    """Rows a list may show: a child the user may open, or a restricted one counted as "a restricted record".
    A sealed record someone else audits is not shown at all."""
    rule = visible_people_filter(user, prefix=prefix)
    restricted = Q(**{f"{prefix}access_level__in": [Person.AccessLevel.OPEN, Person.AccessLevel.RESTRICTED]})
    return restricted if rule is None else (rule | restricted)


def rounds_for(*, local_authority_id: int) -> QuerySet[AuditRound]:
    return (AuditRound.objects.filter(local_authority_id=local_authority_id)
            .select_related("template", "scope_team", "drawn_by")
            .annotate(audits_count=Count("audits", distinct=True),
                      submitted_count=Count("audits", filter=Q(audits__status=CaseAudit.Status.SUBMITTED),
                                            distinct=True))
            .order_by("-month", "-drawn_on", "-pk"))


def round_for(*, local_authority_id: int, pk: int) -> AuditRound | None:
    return (AuditRound.objects.filter(local_authority_id=local_authority_id, pk=pk)
            .select_related("template", "scope_team", "drawn_by").first())


def _audit_rows(user: User, audits: QuerySet[CaseAudit]) -> QuerySet[CaseAudit]:
    _, visible = _visible_annotation(user)
    return (audits.filter(_listable(user))
            .annotate(child_visible=visible, final=final_grade(),
                      moderated_grade=Coalesce(NullIf("moderation__grade", Value("")), Value("")))
            .select_related("child", "auditor", "team", "round"))


def audits_in_round(*, user: User, audit_round: AuditRound) -> QuerySet[CaseAudit]:
    return _audit_rows(user, CaseAudit.objects.filter(round=audit_round)).order_by("team__name", "child_id", "pk")


def audits_for_auditor(*, user: User, open_only: bool = True) -> QuerySet[CaseAudit]:
    audits = CaseAudit.objects.filter(local_authority_id=user.local_authority_id, auditor=user)
    if open_only:
        audits = audits.exclude(status=CaseAudit.Status.SUBMITTED)
    return _audit_rows(user, audits).order_by("due_on", "pk")


def moderation_queue(*, user: User) -> QuerySet[CaseAudit]:
    """Submitted audits routed for moderation and not yet moderated, that this user could moderate (not
    their own audit, a child they may open, a case they do not work on or manage)."""
    rule = visible_people_filter(user, prefix="child__")
    if rule is None:
        return CaseAudit.objects.none()
    own_cases = Q(worker=user) | Q(child__allocations__worker=user, child__allocations__ended_on__isnull=True)
    if user.role == Role.TEAM_MANAGER and user.team_id is not None:
        own_cases |= Q(team_id=user.team_id) | Q(worker__team_id=user.team_id)
    moderated = Moderation.objects.filter(audit_id=OuterRef("pk"))
    return (CaseAudit.objects.filter(rule, local_authority_id=user.local_authority_id,
                                     status=CaseAudit.Status.SUBMITTED, moderation_required=True)
            .exclude(auditor=user).exclude(Exists(moderated))
            .exclude(pk__in=CaseAudit.objects.filter(own_cases).values("pk"))
            .select_related("child", "auditor", "team", "round")
            .order_by("submitted_on", "pk"))


def audit_for(*, local_authority_id: int, pk: int) -> CaseAudit | None:
    return (CaseAudit.objects.filter(local_authority_id=local_authority_id, pk=pk)
            .select_related("child", "auditor", "team", "worker", "round", "round__template").first())


def moderation_of(audit: CaseAudit) -> Moderation | None:
    return Moderation.objects.filter(audit=audit).select_related("moderator").first()


def answers_of(*, audit: CaseAudit) -> list[tuple[AuditQuestion, Any]]:
    """Each question of the audit's template edition with its answer (None when not yet answered)."""
    from .models import AuditAnswer

    answers = {a.question_id: a for a in AuditAnswer.objects.filter(audit=audit)}
    return [(q, answers.get(q.pk)) for q in questions_of(template=audit.round.template)]


def actions_of(*, audit: CaseAudit) -> QuerySet[AuditAction]:
    return AuditAction.objects.filter(audit=audit).select_related("assigned_to", "set_by", "completed_by")


# ------------------------------------------------------------------------------------------------ actions


def actions_for_worker(*, user: User, include_done: bool = False) -> QuerySet[AuditAction]:
    """The audit actions set for this worker, on children they may open."""
    rule = visible_people_filter(user, prefix="child__")
    if rule is None:
        return AuditAction.objects.none()
    actions = AuditAction.objects.filter(rule, local_authority_id=user.local_authority_id, assigned_to=user)
    if not include_done:
        actions = actions.filter(completed_on__isnull=True)
    return actions.select_related("child", "audit", "set_by", "completed_by").order_by("completed_on", "due_on",
                                                                                        "pk")


def actions_for_manager(*, user: User, overdue_only: bool = False, team_id: int | None = None,
                        today: date | None = None) -> QuerySet[AuditAction]:
    """Open audit actions a manager oversees: their own team's for a team manager, every team's for a head of
    service, the director or the QA unit. Restricted children the user cannot open are shown unnamed."""
    today = today or timezone.localdate()
    _, visible = _visible_annotation(user)
    actions = AuditAction.objects.filter(local_authority_id=user.local_authority_id, completed_on__isnull=True)
    if user.role == Role.TEAM_MANAGER:
        actions = actions.filter(team_id=user.team_id)
    elif team_id is not None:
        actions = actions.filter(team_id=team_id)
    if overdue_only:
        actions = actions.filter(due_on__lt=today)
    return (actions.filter(_listable(user)).annotate(child_visible=visible)
            .select_related("child", "assigned_to", "team", "audit").order_by("due_on", "pk"))


# ------------------------------------------------------------------------------------------------ themes


def month_starts(start: date, end: date) -> list[date]:
    months, cursor = [], start.replace(day=1)
    while cursor <= end:
        months.append(cursor)
        cursor += relativedelta(months=1)
    return months


@dataclass
class GradeRow:
    label: str
    audits: int = 0
    grades: dict[str, int] = field(default_factory=lambda: dict.fromkeys(GRADE_KEYS, 0))
    themes: Counter[str] = field(default_factory=Counter)

    @property
    def good_or_better(self) -> float | None:
        return percent(sum(self.grades[g] for g in GOOD_OR_BETTER), self.audits)

    def grade_cells(self) -> list[tuple[int, float | None]]:
        return [(self.grades[g], percent(self.grades[g], self.audits)) for g in GRADE_KEYS]

    def add(self, grade: str, tags: list[str]) -> None:
        self.audits += 1
        if grade in self.grades:
            self.grades[grade] += 1
        self.themes.update(set(tags))


@dataclass
class Example:
    audit_id: int
    child_name: str
    submitted_on: date
    grade: str
    text: str
    child_id: int = 0


@dataclass
class ThemeRow:
    slug: str
    name: str
    total: int
    by_month: list[int]
    examples: list[Example] = field(default_factory=list)


@dataclass
class ThemeReport:
    start: date
    end: date
    months: list[date]
    by_month: list[GradeRow]
    by_team: list[GradeRow]
    by_area: list[GradeRow]
    themes: list[ThemeRow]
    total: GradeRow
    examples_shown: bool

    @property
    def example_children(self) -> set[int]:
        """The children whose audits are quoted: what the auditors wrote is read from their case."""
        return {e.child_id for t in self.themes for e in t.examples}


EXAMPLES_PER_THEME = 3


def theme_report(*, user: User, start: date, end: date, team_id: int | None = None, service_area: str = "",
                 examples: bool = True) -> ThemeReport:
    """Themes and grades across audits submitted in the period: by month, team and service area, with the
    latest areas for development recorded under each theme, for children the user may open. Four queries."""
    la = user.local_authority_id
    assert la is not None
    audits = CaseAudit.objects.filter(local_authority_id=la, status=CaseAudit.Status.SUBMITTED,
                                      submitted_on__gte=start, submitted_on__lte=end)
    if team_id is not None:
        audits = audits.filter(team_id=team_id)
    if service_area:
        audits = audits.filter(team__service_area=service_area)
    rows = list(audits.annotate(final=final_grade()).values_list(
        "submitted_on", "team__name", "team__service_area", "final", "themes"))
    months = month_starts(start, end)
    by_month = {m: GradeRow(f"{m:%B %Y}") for m in months}
    by_team: dict[str, GradeRow] = {}
    by_area: dict[str, GradeRow] = {}
    total = GradeRow("All audits")
    month_themes: dict[date, Counter[str]] = defaultdict(Counter)
    for submitted_on, team_name, area, grade, tags in rows:
        month = submitted_on.replace(day=1)
        tags = list(tags or [])
        total.add(grade, tags)
        if month in by_month:
            by_month[month].add(grade, tags)
            month_themes[month].update(set(tags))
        by_team.setdefault(team_name or "No team recorded", GradeRow(team_name or "No team recorded")).add(
            grade, tags)
        by_area.setdefault(area or "No service area", GradeRow(area or "No service area")).add(grade, tags)
    names = theme_names(local_authority_id=la)
    theme_rows = [
        ThemeRow(slug, names.get(slug, slug), n, [month_themes[m][slug] for m in months])
        for slug, n in sorted(total.themes.items(), key=lambda t: (-t[1], names.get(t[0], t[0])))
    ]
    shown = examples and user.has_case_access
    if shown and theme_rows:
        rule = visible_people_filter(user, prefix="child__")
        wanted = {t.slug: t for t in theme_rows}
        if rule is not None:
            latest = (audits.filter(rule).exclude(areas_for_development="").annotate(final=final_grade())
                      .order_by("-submitted_on", "-pk")
                      .values_list("pk", "child__first_name", "child__last_name", "submitted_on", "final",
                                   "areas_for_development", "themes", "child_id")[:500])
            for pk, first, last, submitted_on, grade, text, tags, child_id in latest:
                for slug in tags or []:
                    row = wanted.get(slug)
                    if row is not None and len(row.examples) < EXAMPLES_PER_THEME:
                        row.examples.append(Example(pk, f"{first} {last}", submitted_on,
                                                    GRADE_LABELS.get(grade, grade), text, child_id))
    return ThemeReport(
        start=start, end=end, months=months, by_month=[by_month[m] for m in months],
        by_team=sorted(by_team.values(), key=lambda r: r.label),
        by_area=sorted(by_area.values(), key=lambda r: r.label),
        themes=theme_rows, total=total, examples_shown=shown,
    )


# ------------------------------------------------------------------------------------------------ practice weeks


def practice_weeks_for(*, local_authority_id: int) -> QuerySet[PracticeWeek]:
    return (PracticeWeek.objects.filter(local_authority_id=local_authority_id)
            .annotate(teams_count=Count("teams")).order_by("-start", "-pk"))


def practice_week_for(*, local_authority_id: int, pk: int) -> PracticeWeek | None:
    return PracticeWeek.objects.filter(local_authority_id=local_authority_id, pk=pk).first()


def practice_week_teams(*, week: PracticeWeek) -> list[PracticeWeekTeam]:
    return list(PracticeWeekTeam.objects.filter(week=week).select_related("team").order_by("team__name", "pk"))
