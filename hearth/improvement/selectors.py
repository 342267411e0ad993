"""Reads for the improvement programme: how far the plan has got, whether its actions are moving the indicators
they were meant to, and the lists the pages show.

The programme holds no child's personal data, so its lists are scoped by the council only. Evidence can link to
a child's record: ``evidence_for`` names the child only to someone who may open the record.

Every list reads a fixed number of queries whatever the number of actions, areas or visits.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any, Literal

from django.db.models import Count, Prefetch, Q, QuerySet

from hearth.indicators import compute, registry
from hearth.indicators.charts import format_value
from hearth.indicators.compute import TrendPoint

from .models import (
    ActionEvidence,
    ActionIndicator,
    AreaForImprovement,
    BoardMeeting,
    ImprovementAction,
    Inspection,
    InspectionJudgement,
    MonitoringVisit,
)

if TYPE_CHECKING:
    from hearth.accounts.models import User
    from hearth.tenancy.models import LocalAuthority

Status = ImprovementAction.Status
Rag = ImprovementAction.Rag
DONE = (Status.COMPLETE, Status.EMBEDDED)
TREND_MONTHS = 24
DUE_SOON_DAYS = 30

ImpactStatus = Literal["met", "on_track", "off_track", "no_data"]
IMPACT_WORDS: dict[str, str] = {
    "met": "target met", "on_track": "on track", "off_track": "off track", "no_data": "no figure yet",
}
# For a tag beside the words (the words carry the meaning; the colour only repeats it).
IMPACT_COLOURS: dict[str, str] = {"met": "green", "on_track": "teal", "off_track": "red", "no_data": "grey"}


# ------------------------------------------------------------------------------------------------ plan progress


@dataclass
class AreaProgress:
    area_for_improvement: AreaForImprovement | None  # None: actions not tied to an area for improvement
    actions: int
    complete: int
    red: int
    amber: int


@dataclass
class PlanProgress:
    total: int
    by_status: dict[str, int]
    by_rag: dict[str, int]
    overdue: list[ImprovementAction]
    due_in_30_days: list[ImprovementAction]
    complete_percent: float | None
    areas: list[AreaProgress]


def plan_actions(*, local_authority: LocalAuthority | int) -> QuerySet[ImprovementAction]:
    """Every action in the council's plan, with what a list shows of it (owner, area, inspection)."""
    la_id = local_authority if isinstance(local_authority, int) else local_authority.pk
    return (ImprovementAction.objects.filter(local_authority_id=la_id)
            .select_related("owner", "area_for_improvement", "area_for_improvement__inspection"))


def is_overdue(action: ImprovementAction, today: date) -> bool:
    return action.status not in DONE and action.due_on < today


def _reference_key(reference: str) -> tuple[Any, ...]:
    """Plan order: "2.10" after "2.9"."""
    parts = reference.replace("-", ".").split(".")
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in parts)


def plan_progress(*, local_authority: LocalAuthority, today: date) -> PlanProgress:
    """How far the plan has got on ``today``: counts by status and RAG, what is overdue or due in the next 30
    days (soonest first), and each area for improvement's actions. Two queries."""
    actions = sorted(plan_actions(local_authority=local_authority), key=lambda a: _reference_key(a.reference))
    by_status = {s: 0 for s in Status.values}
    by_rag = {r: 0 for r in Rag.values}
    for a in actions:
        by_status[a.status] = by_status.get(a.status, 0) + 1
        by_rag[a.rag] = by_rag.get(a.rag, 0) + 1
    open_ = [a for a in actions if a.status not in DONE]
    overdue = sorted((a for a in open_ if a.due_on < today), key=lambda a: (a.due_on, _reference_key(a.reference)))
    soon_end = today + timedelta(days=DUE_SOON_DAYS)
    due_soon = sorted((a for a in open_ if today <= a.due_on <= soon_end),
                      key=lambda a: (a.due_on, _reference_key(a.reference)))
    complete = sum(1 for a in actions if a.status in DONE)
    areas_list = list(AreaForImprovement.objects.filter(local_authority=local_authority)
                      .select_related("inspection").order_by("-inspection__on_site_from", "number"))
    grouped: dict[int | None, list[ImprovementAction]] = {}
    for a in actions:
        grouped.setdefault(a.area_for_improvement_id, []).append(a)
    areas: list[AreaProgress] = []
    for item in areas_list:
        mine = grouped.get(item.pk, [])
        if mine or item.inspection_id == (areas_list[0].inspection_id if areas_list else None):
            areas.append(_area_progress(item, mine))
    if grouped.get(None):
        areas.append(_area_progress(None, grouped[None]))
    return PlanProgress(
        total=len(actions), by_status=by_status, by_rag=by_rag, overdue=overdue, due_in_30_days=due_soon,
        complete_percent=round(complete / len(actions) * 100, 1) if actions else None, areas=areas,
    )


def _area_progress(item: AreaForImprovement | None, actions: list[ImprovementAction]) -> AreaProgress:
    return AreaProgress(
        area_for_improvement=item, actions=len(actions),
        complete=sum(1 for a in actions if a.status in DONE),
        red=sum(1 for a in actions if a.rag == Rag.RED), amber=sum(1 for a in actions if a.rag == Rag.AMBER),
    )


# ------------------------------------------------------------------------------------------------ impact


@dataclass
class ImpactRow:
    code: str
    title: str
    unit: str
    baseline: float | None
    target: float
    target_by: date
    latest: float | None
    latest_month: date | None
    trend: list[TrendPoint]
    status: ImpactStatus
    words: str
    decimals: int = 1
    polarity: str = "neutral"
    baseline_on: date | None = None

    @property
    def status_words(self) -> str:
        return IMPACT_WORDS[self.status]

    @property
    def status_colour(self) -> str:
        return IMPACT_COLOURS[self.status]


def _better_is_higher(polarity: str, baseline: float | None, target: float) -> bool:
    """Which way is better: the indicator's polarity, or for a neutral one the way the plan chose to move it."""
    if polarity in ("high", "low"):
        return polarity == "high"
    return baseline is None or target >= baseline


def impact_status(*, polarity: str, baseline: float | None, baseline_on: date | None, target: float,
                  target_by: date, latest: float | None, latest_month: date | None) -> ImpactStatus:
    """Met when the latest figure meets the target (by the indicator's polarity); on track when it has moved
    from the baseline towards the target at least as far as a straight line from the baseline to the target
    by ``target_by`` would have by now; off track otherwise; no data without a latest figure."""
    if latest is None or latest_month is None:
        return "no_data"
    higher = _better_is_higher(polarity, baseline, target)
    if (latest >= target) if higher else (latest <= target):
        return "met"
    if baseline is None or baseline_on is None or latest_month >= target_by:
        return "off_track"
    span = (target_by - baseline_on).days
    elapsed = (latest_month - baseline_on).days
    share = 1.0 if span <= 0 else min(max(elapsed / span, 0.0), 1.0)
    needed = baseline + (target - baseline) * share
    # A small tolerance so a figure exactly on the line is not put off track by floating-point noise.
    tolerance = 1e-9 * max(1.0, abs(needed))
    return "on_track" if ((latest >= needed - tolerance) if higher else (latest <= needed + tolerance)) else "off_track"


def _month(day: date | None) -> str:
    return f"{day:%b %Y}" if day else ""


def _target_text(value: float, unit: str, decimals: int) -> str:
    # Targets are usually round numbers: "85%", not "85.0%".
    return format_value(value, unit, 0 if float(value).is_integer() else decimals)


def impact_words(row: ImpactRow) -> str:
    """"Assessments within 45 working days: 71.2% in Oct 2026, target 85% by Mar 2027 — on track (baseline
    58.0% in Jan 2025)"."""
    if row.latest is None:
        now = "no figure yet"
    else:
        now = f"{format_value(row.latest, row.unit, row.decimals)} in {_month(row.latest_month)}"
    target = f"target {_target_text(row.target, row.unit, row.decimals)} by {_month(row.target_by)}"
    if row.baseline is None:
        baseline = "no baseline recorded"
    else:
        baseline = f"baseline {format_value(row.baseline, row.unit, row.decimals)}"
        if row.baseline_on:
            baseline += f" in {_month(row.baseline_on)}"
    if row.status == "no_data":
        return f"{row.title}: {now}, {target} ({baseline})"
    return f"{row.title}: {now}, {target} — {IMPACT_WORDS[row.status]} ({baseline})"


def _impact_row(link: ActionIndicator, points: list[TrendPoint] | None) -> ImpactRow:
    try:
        ind: registry.Indicator | None = registry.get(link.indicator)
    except LookupError:
        ind = None
    points = points or []
    known = [p for p in points if p.value is not None]
    latest = known[-1] if known else None
    row = ImpactRow(
        code=link.indicator, title=ind.title if ind else link.indicator, unit=ind.unit if ind else "number",
        baseline=link.baseline, target=link.target, target_by=link.target_by,
        latest=latest.value if latest else None, latest_month=latest.month_end if latest else None,
        trend=points, status="no_data", words="", decimals=ind.decimals if ind else 1,
        polarity=ind.polarity if ind else "neutral", baseline_on=link.baseline_on,
    )
    row.status = impact_status(polarity=row.polarity, baseline=row.baseline, baseline_on=row.baseline_on,
                               target=row.target, target_by=row.target_by, latest=row.latest,
                               latest_month=row.latest_month)
    row.words = impact_words(row)
    if ind is None:
        row.words = f"{link.indicator}: this indicator is no longer in Hearth"
    return row


def _trends_for(local_authority: LocalAuthority, codes: set[str], today: date) -> dict[str, list[TrendPoint]]:
    usable = sorted(c for c in codes if c in registry.REGISTRY and not registry.REGISTRY[c].unavailable)
    if not usable:
        return {}
    # Month ends up to the last one before today: the figures the board is shown are for whole months.
    return compute.trends(local_authority=local_authority, codes=usable, months=TREND_MONTHS,
                          last=registry.last_month_end(today))


def action_impact(*, action: ImprovementAction, today: date) -> list[ImpactRow]:
    """Each indicator linked to the action: its 24 month-end figures (rolling year) against the target."""
    links = list(ActionIndicator.objects.filter(action=action).order_by("indicator"))
    if not links:
        return []
    trends = _trends_for(action.local_authority, {link.indicator for link in links}, today)
    return [_impact_row(link, trends.get(link.indicator)) for link in links]


def plan_impact(*, local_authority: LocalAuthority, today: date
                ) -> list[tuple[ImprovementAction, list[ImpactRow]]]:
    """Every action with linked indicators, in plan order, each with its impact rows; one trends() call."""
    links = list(ActionIndicator.objects.filter(local_authority=local_authority)
                 .select_related("action", "action__owner", "action__area_for_improvement")
                 .order_by("action_id", "indicator"))
    if not links:
        return []
    trends = _trends_for(local_authority, {link.indicator for link in links}, today)
    by_action: dict[int, tuple[ImprovementAction, list[ImpactRow]]] = {}
    for link in links:
        entry = by_action.setdefault(link.action_id, (link.action, []))
        entry[1].append(_impact_row(link, trends.get(link.indicator)))
    return sorted(by_action.values(), key=lambda pair: _reference_key(pair[0].reference))


# ------------------------------------------------------------------------------------------------ lists


@dataclass
class PlanFilters:
    area: int | None = None  # an AreaForImprovement pk; 0 for actions with no area
    status: str = ""
    rag: str = ""
    owner: int | None = None
    overdue: bool = False


def plan_list(*, local_authority: LocalAuthority | int, filters: PlanFilters | None = None,
              today: date) -> list[ImprovementAction]:
    """The plan, filtered, in plan order; each action with its linked indicator codes (two queries)."""
    f = filters or PlanFilters()
    found = plan_actions(local_authority=local_authority)
    if f.area == 0:
        found = found.filter(area_for_improvement__isnull=True)
    elif f.area:
        found = found.filter(area_for_improvement_id=f.area)
    if f.status:
        found = found.filter(status=f.status)
    if f.rag:
        found = found.filter(rag=f.rag)
    if f.owner:
        found = found.filter(owner_id=f.owner)
    if f.overdue:
        found = found.filter(due_on__lt=today).exclude(status__in=DONE)
    found = found.prefetch_related(Prefetch("indicators", queryset=ActionIndicator.objects.order_by("indicator")))
    return sorted(found, key=lambda a: _reference_key(a.reference))


def actions_owned_by(*, user: User) -> list[ImprovementAction]:
    """The actions a member of staff owns: open ones first (soonest due), then the done ones."""
    found = list(plan_actions(local_authority=user.local_authority_id or 0).filter(owner=user)
                 .prefetch_related("indicators"))
    return sorted(found, key=lambda a: (a.status in DONE, a.due_on, _reference_key(a.reference)))


def action_for(*, local_authority: LocalAuthority | int, pk: int) -> ImprovementAction | None:
    return plan_actions(local_authority=local_authority).filter(pk=pk).first()


def plan_owners(*, local_authority: LocalAuthority | int) -> QuerySet[Any]:
    """The people who own actions, for the plan's owner filter."""
    from hearth.accounts.models import User

    la_id = local_authority if isinstance(local_authority, int) else local_authority.pk
    return (User.objects.filter(local_authority_id=la_id, improvement_actions__isnull=False).distinct()
            .order_by("last_name", "first_name", "pk"))


def owner_choices(*, local_authority: LocalAuthority | int, keep: int | None = None) -> QuerySet[Any]:
    """Who can own an action: the council's active leaders and managers (``rules.OWNER_ROLES``), and whoever
    owns it now if they have left or changed role."""
    from hearth.accounts.models import User

    from .rules import OWNER_ROLES

    la_id = local_authority if isinstance(local_authority, int) else local_authority.pk
    return (User.objects.filter(Q(is_active=True, role__in=OWNER_ROLES) | Q(pk=keep or 0), local_authority_id=la_id)
            .order_by("last_name", "first_name", "pk"))


def inspections_for(*, local_authority: LocalAuthority | int) -> QuerySet[Inspection]:
    la_id = local_authority if isinstance(local_authority, int) else local_authority.pk
    return (Inspection.objects.filter(local_authority_id=la_id)
            .annotate(areas_count=Count("areas_for_improvement", distinct=True))
            .prefetch_related(Prefetch("judgements", queryset=InspectionJudgement.objects.order_by("pk")))
            .order_by("-on_site_from", "-pk"))


def inspection_for(*, local_authority: LocalAuthority | int, pk: int) -> Inspection | None:
    la_id = local_authority if isinstance(local_authority, int) else local_authority.pk
    return Inspection.objects.filter(local_authority_id=la_id, pk=pk).first()


def latest_inspection(*, local_authority: LocalAuthority | int, kinds: tuple[str, ...] = (
        Inspection.Kind.STANDARD, Inspection.Kind.SHORT)) -> Inspection | None:
    """The latest judged inspection (a focused visit gives no judgements)."""
    la_id = local_authority if isinstance(local_authority, int) else local_authority.pk
    return (Inspection.objects.filter(local_authority_id=la_id, kind__in=kinds)
            .prefetch_related("judgements").order_by("-on_site_from", "-pk").first())


def judgements_in_order(inspection: Inspection) -> list[InspectionJudgement]:
    """The inspection's judgements in Ofsted's order (overall first). Uses a prefetch when there is one."""
    order = {a: i for i, a in enumerate(InspectionJudgement.Area.values)}
    return sorted(inspection.judgements.all(), key=lambda j: order.get(j.area, 99))


def areas_of(*, inspection: Inspection) -> list[AreaForImprovement]:
    return list(AreaForImprovement.objects.filter(inspection=inspection)
                .annotate(actions_count=Count("actions")).order_by("number"))


def area_choices(*, local_authority: LocalAuthority | int) -> QuerySet[AreaForImprovement]:
    la_id = local_authority if isinstance(local_authority, int) else local_authority.pk
    return (AreaForImprovement.objects.filter(local_authority_id=la_id).select_related("inspection")
            .order_by("-inspection__on_site_from", "number"))


def visits_for(*, local_authority: LocalAuthority | int) -> QuerySet[MonitoringVisit]:
    la_id = local_authority if isinstance(local_authority, int) else local_authority.pk
    return (MonitoringVisit.objects.filter(local_authority_id=la_id)
            .prefetch_related(Prefetch("areas_for_improvement", queryset=AreaForImprovement.objects.order_by(
                "number")))
            .order_by("-visit_from", "-pk"))


def visit_for(*, local_authority: LocalAuthority | int, pk: int) -> MonitoringVisit | None:
    return visits_for(local_authority=local_authority).filter(pk=pk).first()


def last_and_next_visit(*, local_authority: LocalAuthority | int, today: date
                        ) -> tuple[MonitoringVisit | None, MonitoringVisit | None]:
    la_id = local_authority if isinstance(local_authority, int) else local_authority.pk
    rows = MonitoringVisit.objects.filter(local_authority_id=la_id)
    last = rows.filter(visit_from__lte=today).order_by("-visit_from", "-pk").first()
    upcoming = rows.filter(visit_from__gt=today).order_by("visit_from", "pk").first()
    return last, upcoming


def last_and_next_meeting(*, local_authority: LocalAuthority | int, today: date
                          ) -> tuple[BoardMeeting | None, BoardMeeting | None]:
    la_id = local_authority if isinstance(local_authority, int) else local_authority.pk
    rows = BoardMeeting.objects.filter(local_authority_id=la_id)
    last = rows.filter(held_on__lt=today).order_by("-held_on", "-pk").first()
    upcoming = rows.filter(held_on__gte=today).order_by("held_on", "pk").first()
    return last, upcoming


# ------------------------------------------------------------------------------------------------ evidence


@dataclass
class EvidenceItem:
    evidence: ActionEvidence
    label: str  # what the link points at, in words ("A child's record (restricted)" when not theirs to open)
    url: str = ""  # where it is in Hearth, when the reader may go there
    child_id: int | None = None  # a child the reader may open, named here (the page logs the view)


def evidence_for(*, action: ImprovementAction, user: User, include_withdrawn: bool = False) -> list[EvidenceItem]:
    """The action's evidence, newest first, each link described; a child's record is named only to those who
    may open it. A fixed number of queries (one per kind of link)."""
    from django.urls import NoReverseMatch, reverse

    from hearth.access.policy import visible_people_filter
    from hearth.people.models import Person

    rows = ActionEvidence.objects.filter(action=action).select_related("added_by").order_by("-added_at", "-pk")
    if not include_withdrawn:
        rows = rows.filter(withdrawn=False)
    items = list(rows)
    la_id = action.local_authority_id
    ids: dict[str, set[int]] = {}
    for e in items:
        if e.linked_id is not None:
            ids.setdefault(e.kind, set()).add(e.linked_id)
    K = ActionEvidence.Kind

    def titles(model: Any, field: str, kind: str) -> dict[int, str]:
        wanted = ids.get(kind)
        if not wanted:
            return {}
        return dict(model.objects.filter(local_authority_id=la_id, pk__in=wanted).values_list("pk", field))

    from hearth.case_audits.models import AuditRound, PracticeWeek
    from hearth.training.models import TrainingCourse

    rounds = titles(AuditRound, "title", K.AUDIT_ROUND)
    weeks = titles(PracticeWeek, "title", K.PRACTICE_WEEK)
    courses = titles(TrainingCourse, "title", K.TRAINING_COURSE)
    visits = {pk: f"{v_from.day} {v_from:%B %Y}: {focus}" for pk, v_from, focus in MonitoringVisit.objects.filter(
        local_authority_id=la_id, pk__in=ids.get(K.MONITORING_VISIT, set())).values_list("pk", "visit_from", "focus")
    } if ids.get(K.MONITORING_VISIT) else {}
    children: dict[int, str] = {}
    if ids.get(K.CHILD_RECORD):
        rule = visible_people_filter(user)
        if rule is not None:
            children = {p.pk: p.full_name for p in Person.objects.filter(rule, pk__in=ids[K.CHILD_RECORD])
                        .only("pk", "first_name", "last_name")}

    # A link only to a page the reader may open; otherwise the words alone.
    may = {"indicators": user.has_perm("indicators.view_performance"),
           "case_audits": user.has_perm("case_audits.view_audits"),
           "training": user.has_perm("training.view_training"), "improvement": True, "people": True}

    def url(name: str, *args: Any) -> str:
        if not may.get(name.split(":", 1)[0], False):
            return ""
        try:
            return reverse(name, args=args)
        except NoReverseMatch:
            return ""

    out: list[EvidenceItem] = []
    for e in items:
        pk = e.linked_id
        if e.kind == K.DOCUMENT:
            out.append(EvidenceItem(e, e.document.name.rsplit("/", 1)[-1] if e.document else "Document",
                                    url("improvement:evidence_document", e.pk) if e.document else ""))
        elif e.kind == K.NOTE:
            out.append(EvidenceItem(e, "Note"))
        elif e.kind == K.INDICATOR:
            ind = registry.REGISTRY.get(e.linked_code)
            out.append(EvidenceItem(e, f"Indicator: {ind.title if ind else e.linked_code}",
                                    url("indicators:detail", e.linked_code) if ind else ""))
        elif e.kind == K.AUDIT_ROUND and pk in rounds:
            out.append(EvidenceItem(e, f"Case audit round: {rounds[pk]}", url("case_audits:round", pk)))
        elif e.kind == K.PRACTICE_WEEK and pk in weeks:
            out.append(EvidenceItem(e, f"Practice week: {weeks[pk]}", url("case_audits:practice_week", pk)))
        elif e.kind == K.TRAINING_COURSE and pk in courses:
            out.append(EvidenceItem(e, f"Training course: {courses[pk]}",
                                    url("training:course", pk) or url("training:index")))
        elif e.kind == K.MONITORING_VISIT and pk in visits:
            out.append(EvidenceItem(e, f"Monitoring visit: {visits[pk]}", url("improvement:visit", pk)))
        elif e.kind == K.CHILD_RECORD:
            if pk in children:
                out.append(EvidenceItem(e, f"{children[pk]} ({pk:07d})", url("people:child_record", pk), pk))
            else:
                out.append(EvidenceItem(e, "A child's record (restricted)"))
        else:
            out.append(EvidenceItem(e, f"{e.get_kind_display()} (no longer in Hearth)"))
    return out


def evidence_counts(*, actions: list[ImprovementAction]) -> dict[int, int]:
    """Evidence in the plan (not withdrawn) per action: one query."""
    found = (ActionEvidence.objects.filter(action__in=actions, withdrawn=False).values("action_id")
             .annotate(n=Count("pk")))
    return {row["action_id"]: row["n"] for row in found}


def rag_counts_words(by_rag: dict[str, int]) -> list[tuple[str, str, int]]:
    """(value, label, count) in the order a board reads them."""
    return [(r, Rag(r).label, by_rag.get(r, 0)) for r in (Rag.RED, Rag.AMBER, Rag.GREEN, Rag.BLUE)]


def status_counts_words(by_status: dict[str, int]) -> list[tuple[str, str, int]]:
    return [(s, Status(s).label, by_status.get(s, 0)) for s in Status.values]


