"""The improvement board pack: the programme's figures as at the last month end, assembled and printed as a PDF.

``board_pack_context`` gathers every section from the apps that own the figures — the plan and its impact
(``improvement.selectors``), the director's key indicators with England and the statistical neighbours
(``indicators.dashboards``, reused as the board shows them, never recomputed), the workforce measures,
establishment and funding risks (``workforce``), training and apprenticeships (``training``), money
(``finance``), audits and supervision (``case_audits``, ``supervision``) and monitoring visits — and turns it
into plain rows of text. ``render_board_pack`` prints it with WeasyPrint.

The pack holds figures only. Nothing in it names a child or carries a Hearth ID: audits give grades and themes,
evidence is counted, workers are counted (action owners are named: the plan is theirs to answer for). Every
section says so in words when its data is absent ("No budget recorded for 2026/27") rather than failing.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from hearth.case_audits.selectors import GRADE_KEYS, GRADE_LABELS, audit_summary
from hearth.finance import years as fy
from hearth.finance.money import pounds
from hearth.indicators import dashboards
from hearth.indicators.charts import Series, format_change, format_value, line_chart
from hearth.indicators.registry import REGISTRY, last_month_end
from hearth.supervision.selectors import supervision_compliance
from hearth.workspace.dates import long_date
from hearth.workspace.pdf import pdf_document

from .models import AreaForImprovement, ImprovementAction, Inspection, InspectionJudgement, MonitoringVisit

if TYPE_CHECKING:
    from hearth.improvement.models import BoardMeeting
    from hearth.tenancy.models import LocalAuthority

QUALITY_MONTHS = 6
DONE = (ImprovementAction.Status.COMPLETE, ImprovementAction.Status.EMBEDDED)
RAG_ORDER = ("red", "amber", "green", "blue")
RAG_WORDS = {"red": "Red: off track", "amber": "Amber: at risk", "green": "Green: on track", "blue": "Blue: complete"}
IMPACT_WORDS = {"met": "Target met", "on_track": "On track", "off_track": "Off track", "no_data": "No data"}
THEMES_SHOWN = 8
TREND_COLUMNS = 12  # months per row of an impact table: two rows hold the 24-month trend


# Small words ------------------------------------------------------------------------------------------------

def plural(n: int | float, word: str, words: str | None = None) -> str:
    count = f"{n:,}" if isinstance(n, int) else f"{n:,.1f}"
    return f"{count} {word if n == 1 else (words or word + 's')}"


def percent_text(value: float | None, decimals: int = 1) -> str:
    """``12.5%``, ``-1.2%`` with the true minus sign (as money is written), ``No data``."""
    if value is None:
        return "No data"
    text = f"{abs(value):.{decimals}f}%"
    return f"\u2212{text}" if value < 0 and float(text[:-1]) != 0 else text


def target_text(value: float | None, unit: str, decimals: int) -> str:
    """Targets are usually round numbers: ``85%``, not ``85.0%``."""
    if value is None:
        return "—"
    return format_value(value, unit, 0 if float(value).is_integer() else decimals)


def fte_text(value: Decimal | float | None) -> str:
    return "—" if value is None else f"{Decimal(str(value)).quantize(Decimal('0.1'))}"


def month_words(day: date) -> str:
    return f"{day:%B %Y}"


def indicator_title(code: str) -> str:
    ind = REGISTRY.get(code)
    return ind.title if ind is not None else code


def owner_name(user: Any) -> str:
    return (user.get_full_name() or user.get_username()) if user is not None else "No owner"


# Section rows -----------------------------------------------------------------------------------------------

@dataclass
class Judgement:
    area: str
    grade: str
    grade_key: str
    area_key: str = ""


@dataclass
class ActionRow:
    reference: str
    title: str
    owner: str
    due: str
    status: str
    rag: str
    rag_key: str
    overdue: bool
    progress: str
    evidence: int
    indicators: list[str]


@dataclass
class AreaBlock:
    heading: str
    text: str
    judgement_area: str
    actions: list[ActionRow]
    complete: int = 0
    overdue: int = 0


@dataclass
class TrendCell:
    label: str
    value: str


@dataclass
class ImpactTarget:
    """One action's target for an indicator (two actions can name the same indicator)."""

    action: str  # "2.3 Improve the timeliness of assessments"
    owner: str
    status: str
    status_key: str
    words: str
    baseline: str
    target: str
    target_by: str


@dataclass
class ImpactBlock:
    """An indicator the plan measures impact by: its trend (chart and table) and every action's target for it."""

    code: str
    title: str
    latest: str
    chart: SafeString | str
    trend_rows: list[list[TrendCell]]
    targets: list[ImpactTarget] = field(default_factory=list)
    target_line: str = ""  # whose target the chart draws, when actions set different ones

    @property
    def status(self) -> str:
        return self.targets[0].status if self.targets else ""

    @property
    def status_key(self) -> str:
        return self.targets[0].status_key if self.targets else ""


@dataclass
class KeyIndicator:
    title: str
    value: str
    parts: str
    target: str
    status: str
    status_key: str
    england: str
    neighbours: str
    position: str
    benchmark_year: str
    spark: SafeString | str
    unavailable: str


@dataclass
class KeyGroup:
    title: str
    rows: list[KeyIndicator]


@dataclass
class MeasureRow:
    label: str
    now: str
    last_year: str
    change: str


@dataclass
class HorizonRow:
    months: int
    ends_by: str
    posts: int
    fte: str
    annual_cost: str
    indicators: str


@dataclass
class PostRow:
    reference: str
    title: str
    team: str
    source: str
    ends_on: str
    annual_cost: str
    occupant: str
    indicators: str


@dataclass
class MoneyRow:
    label: str
    cells: list[str]
    flag: str = ""  # "over" / "under" for a variance the eye should find
    note: str = ""


@dataclass
class VisitRow:
    dates: str
    focus: str
    inspectors: str
    letter: str
    findings: str
    areas: str


@dataclass
class Section:
    """What every section has: a title for the contents list, an anchor, and words when it has nothing."""

    key: str
    title: str
    empty: str = ""
    notes: list[str] = field(default_factory=list)
    data: dict[str, Any] = field(default_factory=dict)


# The sections -----------------------------------------------------------------------------------------------

def _inspection(local_authority: LocalAuthority) -> tuple[Inspection | None, list[Judgement]]:
    inspection = (Inspection.objects.filter(local_authority=local_authority)
                  .prefetch_related("judgements").order_by("-on_site_from", "-pk").first())
    if inspection is None:
        return None, []
    order = {area: i for i, area in enumerate(InspectionJudgement.Area.values)}
    judgements = sorted(inspection.judgements.all(), key=lambda j: order.get(j.area, 99))
    return inspection, [Judgement(area=j.get_area_display(), grade=j.get_grade_display(), grade_key=j.grade,
                                                 area_key=j.area)
                        for j in judgements]


def _actions(local_authority: LocalAuthority) -> list[ImprovementAction]:
    return list(
        ImprovementAction.objects.filter(local_authority=local_authority)
        .select_related("owner", "area_for_improvement", "area_for_improvement__inspection")
        .prefetch_related("indicators")
        .annotate(evidence_count=Count("evidence", filter=Q(evidence__withdrawn=False)))
        .order_by("reference", "pk"))


def _action_row(action: ImprovementAction, as_at: date) -> ActionRow:
    overdue = action.status not in DONE and action.due_on < as_at
    return ActionRow(
        reference=action.reference, title=action.title, owner=owner_name(action.owner),
        due=action.due_on.strftime("%-d %b %Y"), status=action.get_status_display(),
        rag=RAG_WORDS.get(action.rag, action.get_rag_display()), rag_key=action.rag, overdue=overdue,
        progress=action.progress_summary.strip(), evidence=action.evidence_count,  # type: ignore[attr-defined]
        indicators=[indicator_title(link.indicator) for link in action.indicators.all()])


def _ordered(rows: list[ActionRow]) -> list[ActionRow]:
    """Overdue first, then red, amber, green, complete; the plan's own numbering within each."""
    def reference_key(reference: str) -> tuple:
        return tuple(int(p) if p.isdigit() else p for p in reference.replace("-", ".").split("."))

    return sorted(rows, key=lambda r: (not r.overdue, RAG_ORDER.index(r.rag_key) if r.rag_key in RAG_ORDER else 9,
                                       reference_key(r.reference)))


def plan_section(*, local_authority: LocalAuthority, as_at: date, actions: list[ImprovementAction],
                 latest: Inspection | None) -> Section:
    section = Section("plan", "Improvement plan progress")
    by_area: dict[int | None, list[ImprovementAction]] = {}
    for action in actions:
        by_area.setdefault(action.area_for_improvement_id, []).append(action)
    areas = list(AreaForImprovement.objects.filter(local_authority=local_authority)
                 .filter(Q(pk__in=[k for k in by_area if k]) | Q(inspection=latest))
                 .select_related("inspection").order_by("inspection__on_site_from", "number", "pk"))
    blocks = []
    for area in areas:
        rows = _ordered([_action_row(a, as_at) for a in by_area.get(area.pk, [])])
        blocks.append(AreaBlock(
            heading=f"Area for improvement {area.number}", text=area.text, judgement_area=area.get_area_display(),
            actions=rows, complete=sum(1 for a in by_area.get(area.pk, []) if a.status in DONE),
            overdue=sum(1 for r in rows if r.overdue)))
    if by_area.get(None):
        rows = _ordered([_action_row(a, as_at) for a in by_area[None]])
        blocks.append(AreaBlock(heading="Other actions in the plan", text="Actions not tied to one area for "
                                "improvement.", judgement_area="", actions=rows,
                                complete=sum(1 for a in by_area[None] if a.status in DONE),
                                overdue=sum(1 for r in rows if r.overdue)))
    section.data["areas"] = blocks
    if not actions:
        section.empty = "No actions recorded in the improvement plan."
    return section


# charts.py outlines a label in white (painted under the letters with paint-order) so it reads where it crosses a
# line. WeasyPrint does not honour paint-order and paints the outline over the letters, hiding them: in print the
# label goes without its outline.
HALO = ' stroke="#ffffff" stroke-width="4" stroke-linejoin="round" paint-order="stroke"'


def for_print(svg: str) -> SafeString:
    return mark_safe(svg.replace(HALO, ""))  # the chart was escaped when drawn; only an attribute is removed


def _trend_rows(points: list[Any], unit: str, decimals: int) -> list[list[TrendCell]]:
    cells = [TrendCell(dashboards.month_label(p.month_end), format_value(p.value, unit, decimals)) for p in points]
    return [cells[i:i + TREND_COLUMNS] for i in range(0, len(cells), TREND_COLUMNS)]


def impact_section(*, local_authority: LocalAuthority, as_at: date) -> Section:
    from .selectors import plan_impact

    section = Section("impact", "Impact: indicators against targets")
    blocks: dict[str, ImpactBlock] = {}
    counts: Counter[str] = Counter()
    for action, rows in plan_impact(local_authority=local_authority, today=as_at):
        for row in rows:
            counts[row.status] += 1
            target = ImpactTarget(
                action=f"{action.reference} {action.title}", owner=owner_name(action.owner),
                status=IMPACT_WORDS.get(row.status, row.status), status_key=row.status, words=row.words,
                baseline=(format_value(row.baseline, row.unit, row.decimals)
                          + (f" ({row.baseline_on:%b %Y})" if row.baseline is not None and row.baseline_on else "")),
                target=target_text(row.target, row.unit, row.decimals),
                target_by=f"{row.target_by:%b %Y}" if row.target_by else "")
            block = blocks.get(row.code)
            if block is None:
                # One chart per indicator, with the first action's target as its line.
                block = blocks[row.code] = ImpactBlock(
                    code=row.code, title=row.title,
                    latest=(f"{format_value(row.latest, row.unit, row.decimals)} in {month_words(row.latest_month)}"
                            if row.latest is not None and row.latest_month else "No data yet"),
                    chart=for_print(line_chart(
                        title=f"{row.title}: each month end against the target",
                        series=[Series(name="This council", points=[
                            (dashboards.month_label(p.month_end), p.value) for p in row.trend])],
                        unit=row.unit, target=row.target, decimals=row.decimals, polarity=row.polarity)),
                    trend_rows=_trend_rows(row.trend, row.unit, row.decimals))
            elif target.target != block.targets[0].target:
                block.target_line = f"The dashed line is action {block.targets[0].action.split(' ')[0]}'s target."
            block.targets.append(target)
    section.data["blocks"] = list(blocks.values())
    section.data["counts"] = {key: counts.get(key, 0) for key in IMPACT_WORDS}

    board = dashboards.director_board(local_authority=local_authority, today=as_at)
    groups = []
    for group in board.groups:
        rows_ = []
        for h in group.headlines:
            rows_.append(KeyIndicator(
                title=h.indicator.title, value=h.value_text or "No data", parts=h.parts,
                target=target_text(h.target, h.indicator.unit, h.indicator.decimals),
                status=h.rag.text if h.rag else "No target" if h.target is None else "No data",
                status_key=h.rag.status if h.rag else "",
                england=(h.england_text or ("Not comparable" if not h.england_comparable else "—")),
                neighbours=h.sn_median_text or "—", position=h.position, spark=for_print(h.spark),
                benchmark_year=str(h.benchmark_year) if h.benchmark_year else "",
                unavailable=h.unavailable))
        groups.append(KeyGroup(title=group.title, rows=rows_))
    section.data["key_groups"] = groups
    section.data["key_period"] = board.period
    section.data["key_off_target"] = [r.title for g in groups for r in g.rows if r.status_key == "red"]
    if not blocks:
        section.notes.append("No action in the plan is linked to an indicator yet.")
    return section


MEASURES: tuple[tuple[str, str, str], ...] = (
    # (field of WorkforceMeasures, label, kind)
    ("fte_in_post", "Social workers in post (FTE)", "fte"),
    ("turnover_rate", "Turnover rate", "percent"),
    ("agency_rate", "Agency worker rate", "percent"),
    ("vacancy_rate", "Vacancy rate", "percent"),
    ("caseload_average", "Average caseload (cases per case-holding FTE)", "average"),
    ("absence_rate", "Sickness absence rate", "percent"),
)


def _measure_text(value: Any, kind: str) -> str:
    if value is None:
        return "No data"
    if kind == "percent":
        return f"{float(value):.1f}%"
    return f"{float(value):.1f}"


def _change_text(now: Any, before: Any, kind: str) -> str:
    if now is None or before is None:
        return ""
    return format_change(float(now) - float(before), "percent" if kind == "percent" else "number", 1)


def workforce_section(*, local_authority: LocalAuthority, month_end: date) -> Section:
    from hearth.training.selectors import apprenticeship_summary, coverage_words, training_summary
    from hearth.workforce.measures import csww_measures
    from hearth.workforce.selectors import establishment_on, sustainability

    section = Section("workforce", "Workforce")
    year_before = month_end - relativedelta(years=1)
    now = csww_measures(local_authority=local_authority, on=month_end)
    before = csww_measures(local_authority=local_authority, on=year_before)
    section.data["measures"] = [
        MeasureRow(label, _measure_text(getattr(now, name), kind), _measure_text(getattr(before, name), kind),
                   _change_text(getattr(now, name), getattr(before, name), kind))
        for name, label, kind in MEASURES]
    section.data["measures_now"] = now
    section.data["measures_dates"] = (long_date(month_end), long_date(year_before))

    est = establishment_on(local_authority=local_authority, on=month_end)
    section.data["establishment"] = est
    section.data["establishment_rows"] = [
        ("Posts on the establishment", f"{est.posts:,}"), ("FTE", fte_text(est.fte)),
        ("Filled by the council's own staff (FTE)", fte_text(est.filled_fte)),
        ("Covered by agency workers (FTE)", fte_text(est.agency_fte)), ("Vacant (FTE)", fte_text(est.vacant_fte)),
        ("Annual cost", pounds(est.annual_cost)),
    ]
    section.data["establishment_sources"] = [(label, pounds(amount)) for label, amount in est.by_source.items()]

    risk = sustainability(local_authority=local_authority, today=month_end)
    section.data["horizons"] = [
        HorizonRow(months=h.months, ends_by=long_date(h.ends_by), posts=len(h.posts), fte=fte_text(h.fte),
                   annual_cost=pounds(h.annual_cost),
                   indicators=", ".join(indicator_title(c) for c in h.indicators) or "None named")
        for h in risk.horizons]
    widest = risk.horizons[-1] if risk.horizons else None
    section.data["posts_at_risk"] = [_post_row(p) for p in (widest.posts if widest else [])]
    section.data["already_unfunded"] = [_post_row(p) for p in risk.already_unfunded]
    section.data["horizon_widest"] = widest.months if widest else None
    section.data["risk"] = risk

    courses = training_summary(local_authority=local_authority, on=month_end)
    section.data["training"] = [coverage_words(c) for c in courses]
    section.data["cohorts"] = [
        {"name": c.cohort.name, "places": c.places, "on_programme": c.on_programme, "qualified": c.qualified,
         "withdrawn": c.withdrawn, "on_break": c.on_break,
         "expected": c.expected_qualification_on.strftime("%B %Y")}
        for c in apprenticeship_summary(local_authority=local_authority, on=month_end)]
    if est.posts == 0:
        section.notes.append("No posts recorded on the establishment.")
    return section


def _post_row(p: Any) -> PostRow:
    post = p.post
    return PostRow(reference=post.reference, title=post.title, team=post.team.name if post.team_id else "",
                   source=p.source_label, ends_on=long_date(p.ends_on) if p.ends_on else "Not funded",
                   annual_cost=pounds(p.annual_cost), occupant=p.occupant_label,
                   indicators=", ".join(indicator_title(c) for c in p.indicators))


def finance_section(*, local_authority: LocalAuthority, month_end: date) -> Section:
    from hearth.finance.projection import demand_projection
    from hearth.finance.selectors import finance_summary

    year = fy.year_of(month_end)
    section = Section("finance", "Finance")
    section.data["year"] = fy.label(year)
    summary = finance_summary(local_authority=local_authority, financial_year=year, as_at=month_end)
    section.data["summary"] = summary
    lines = []
    for line in summary.lines:
        flag = "over" if line.variance > 0 else "under" if line.variance < 0 else ""
        lines.append(MoneyRow(str(line.service_area), [
            pounds(line.budget), pounds(line.actual_to_date), pounds(line.forecast_outturn), pounds(line.variance),
            percent_text(line.variance_percent), pounds(line.movement)], flag))
    section.data["lines"] = lines
    if summary.lines:
        total_percent = summary.total_variance_percent
        section.data["total"] = MoneyRow("Total", [
            pounds(summary.total_budget), pounds(summary.total_actual_to_date), pounds(summary.total_forecast),
            pounds(summary.total_variance), percent_text(total_percent), pounds(summary.total_movement)],
            "over" if summary.total_variance > 0 else "under" if summary.total_variance < 0 else "")
        section.data["total_percent"] = total_percent
    else:
        section.notes.append(f"No budget recorded for {fy.label(year)}.")
    section.data["months_closed"] = summary.months_closed
    section.data["reserves"] = [MoneyRow(str(r.reserve), [pounds(r.balance), pounds(r.drawn_this_year),
                                                          pounds(r.committed_to_posts)])
                                for r in summary.reserves]
    section.data["grants"] = [MoneyRow(str(g.grant), [g.grant.funder, pounds(g.grant.amount), pounds(g.allocated),
                                                      pounds(g.spent), pounds(g.unallocated),
                                                      long_date(g.grant.ends_on)])
                              for g in summary.grants]

    projection = demand_projection(local_authority=local_authority, base_year=year, years=4, on=month_end)
    section.data["projection_years"] = [f"{fy.label(year)} (now)", *(fy.label(y) for y in projection.years)]
    # A kind of placement with no child in it and no cost recorded says nothing to a board.
    shown = [row for row in projection.rows if row.children_now or row.weekly_cost is not None]
    section.data["projection_rows"] = [
        MoneyRow(row.label, [f"{row.children_now:,}", pounds(row.weekly_cost), pounds(row.cost_now),
                             *(pounds(c) for c in row.cost)], note="; ".join(row.missing)) for row in shown]
    section.data["projection_incomplete"] = projection.incomplete
    section.data["projection_totals"] = [pounds(projection.total_now), *(pounds(t) for t in projection.totals)]
    section.data["projection_children"] = f"{projection.children_total_now:,}"
    section.data["projection"] = projection
    return section


def quality_section(*, local_authority: LocalAuthority, month_end: date) -> Section:
    start = (month_end - relativedelta(months=QUALITY_MONTHS - 1)).replace(day=1)
    section = Section("quality", "Quality of practice")
    audits = audit_summary(local_authority=local_authority, start=start, end=month_end)
    section.data["audit_period"] = f"{long_date(start)} to {long_date(month_end)}"
    section.data["audits"] = audits
    section.data["grades"] = [(GRADE_LABELS[key], audits.grades.get(key, 0),
                               percent_text(100 * audits.grades.get(key, 0) / audits.audits if audits.audits else None,
                                            0))
                              for key in GRADE_KEYS]
    section.data["good_or_better"] = percent_text(audits.good_or_better_percent)
    section.data["themes"] = audits.themes[:THEMES_SHOWN]
    compliance = supervision_compliance(local_authority=local_authority, on=month_end)
    section.data["supervision"] = compliance
    section.data["supervision_text"] = (
        f"{compliance.in_time:,} of {compliance.workers:,} supervised workers had supervision in time on "
        f"{long_date(month_end)} ({percent_text(compliance.percent)}); {len(compliance.overdue):,} overdue."
        if compliance.workers else "No supervised workers recorded.")
    if not audits.audits:
        section.notes.append(f"No case audits submitted from {long_date(start)} to {long_date(month_end)}.")
    return section


def visits_section(*, local_authority: LocalAuthority) -> Section:
    section = Section("visits", "Monitoring visits")
    visits = (MonitoringVisit.objects.filter(local_authority=local_authority)
              .prefetch_related("areas_for_improvement").order_by("-visit_from", "-pk"))
    rows = []
    for v in visits:
        dates = (long_date(v.visit_from) if v.visit_from == v.visit_to
                 else f"{long_date(v.visit_from)} to {long_date(v.visit_to)}")
        areas = sorted(a.number for a in v.areas_for_improvement.all())
        rows.append(VisitRow(dates=dates, focus=v.focus, inspectors=v.inspectors,
                             letter=long_date(v.letter_published_on) if v.letter_published_on else "Not yet published",
                             findings=v.findings.strip() or "No findings recorded.",
                             areas=", ".join(str(n) for n in areas)))
    section.data["visits"] = rows
    if not rows:
        section.empty = "No monitoring visits recorded."
    return section


def summary_section(*, inspection: Inspection | None, judgements: list[Judgement], progress: Any,
                    sections: dict[str, Section], month_end: date) -> Section:
    """The programme at a glance and the key messages, in sentences built from the other sections."""
    section = Section("summary", "Summary")
    section.data["judgements"] = judgements
    section.data["inspection"] = (
        f"{inspection.get_kind_display()}, on site {long_date(inspection.on_site_from)} to "
        f"{long_date(inspection.on_site_to)}"
        + (f", published {long_date(inspection.published_on)}" if inspection.published_on else "")
        if inspection else "")
    section.data["rag"] = [(RAG_WORDS[key], key, progress.by_rag.get(key, 0)) for key in RAG_ORDER]
    section.data["status"] = [(label, progress.by_status.get(value, 0))
                              for value, label in ImprovementAction.Status.choices]
    section.data["overdue"] = len(progress.overdue)
    section.data["due_soon"] = len(progress.due_in_30_days)
    section.data["complete_percent"] = percent_text(progress.complete_percent, 0)
    section.data["complete"] = sum(progress.by_status.get(s, 0) for s in DONE)
    section.data["total"] = progress.total

    messages: list[str] = []
    overall = next((j for j in judgements if j.area_key == InspectionJudgement.Area.OVERALL), None)
    if inspection is not None and overall is not None:
        messages.append(f"Ofsted judged overall effectiveness {overall.grade.lower()} at the "
                        f"{inspection.get_kind_display()} of {month_words(inspection.on_site_from)}.")
    if progress.total:
        complete = sum(progress.by_status.get(s, 0) for s in DONE)
        messages.append(
            f"{complete:,} of {plural(progress.total, 'action')} in the plan are complete "
            f"({percent_text(progress.complete_percent, 0)}); {progress.by_rag.get('red', 0):,} red and "
            f"{progress.by_rag.get('amber', 0):,} amber; {plural(len(progress.overdue), 'action')} overdue and "
            f"{len(progress.due_in_30_days):,} due in the next 30 days.")
    counts = sections["impact"].data.get("counts", {})
    measured = sum(counts.values())
    if measured:
        messages.append(
            f"Of {plural(measured, 'impact measure')} linked to actions, {counts.get('met', 0):,} "
            f"{'has' if counts.get('met', 0) == 1 else 'have'} met the target, {counts.get('on_track', 0):,} "
            f"{'is' if counts.get('on_track', 0) == 1 else 'are'} on track and {counts.get('off_track', 0):,} "
            f"off track" + (f" ({counts['no_data']:,} without data yet)." if counts.get("no_data") else "."))
    off = sections["impact"].data.get("key_off_target", [])
    if off:
        shown = ", ".join(off[:4]) + (f" and {len(off) - 4} more" if len(off) > 4 else "")
        messages.append(f"Key indicators off target: {shown}.")
    wf = sections["workforce"].data
    now = wf.get("measures_now")
    if now is not None and now.turnover_rate is not None:
        rows = {r.label: r for r in wf["measures"]}
        turnover, agency = rows["Turnover rate"], rows["Agency worker rate"]
        messages.append(f"Social worker turnover {turnover.now} (a year earlier {turnover.last_year}); agency "
                        f"worker rate {agency.now} (a year earlier {agency.last_year}).")
    risk = wf.get("risk")
    if risk is not None:
        for horizon in risk.horizons:
            if horizon.posts:
                served = ", ".join(indicator_title(c) for c in horizon.indicators[:3])
                messages.append(
                    f"Funding ends within {horizon.months} months for {plural(len(horizon.posts), 'post')} "
                    f"({fte_text(horizon.fte)} FTE, {pounds(horizon.annual_cost)} a year)"
                    + (f" serving {served}." if served else ".") + " Continuation is not yet agreed.")
                break
    fin = sections["finance"].data
    summary = fin.get("summary")
    if summary is not None and summary.lines:
        direction = "overspend" if summary.total_variance > 0 else "underspend"
        if summary.total_variance:
            messages.append(
                f"{fin['year']} forecast outturn {pounds(summary.total_forecast)} against a budget of "
                f"{pounds(summary.total_budget)}: a forecast {direction} of {pounds(abs(summary.total_variance))} "
                f"({percent_text(abs(fin.get('total_percent') or 0.0))}) after "
                f"{plural(summary.months_closed, 'month')}.")
        else:
            messages.append(f"{fin['year']} forecast outturn is on budget at {pounds(summary.total_budget)}.")
    quality = sections["quality"].data
    audits = quality.get("audits")
    if audits is not None and audits.audits:
        theme = f"; the most frequent theme: {audits.themes[0][0]}" if audits.themes else ""
        messages.append(f"{quality['good_or_better']} of {plural(audits.audits, 'case audit')} in the last "
                        f"{QUALITY_MONTHS} months were good or better{theme}.")
    visits = sections["visits"].data.get("visits", [])
    if visits:
        messages.append(f"Latest monitoring visit: {visits[0].dates} ({visits[0].focus}).")
    section.data["messages"] = messages
    section.data["month_end"] = long_date(month_end)
    return section


# The pack ---------------------------------------------------------------------------------------------------

def board_pack_context(*, local_authority: LocalAuthority, as_at: date, meeting: BoardMeeting | None = None
                       ) -> dict[str, Any]:
    """Everything the board pack prints, as text ready to show: figures to the last month end before
    ``as_at``, the plan's status as it stands on ``as_at``."""
    from .selectors import plan_progress

    month_end = last_month_end(as_at)
    inspection, judgements = _inspection(local_authority)
    actions = _actions(local_authority)
    progress = plan_progress(local_authority=local_authority, today=as_at)
    sections = {
        "plan": plan_section(local_authority=local_authority, as_at=as_at, actions=actions, latest=inspection),
        "impact": impact_section(local_authority=local_authority, as_at=as_at),
        "workforce": workforce_section(local_authority=local_authority, month_end=month_end),
        "finance": finance_section(local_authority=local_authority, month_end=month_end),
        "quality": quality_section(local_authority=local_authority, month_end=month_end),
        "visits": visits_section(local_authority=local_authority),
    }
    summary = summary_section(inspection=inspection, judgements=judgements, progress=progress, sections=sections,
                              month_end=month_end)
    ordered = [summary, *sections.values()]
    meeting_day = meeting.held_on if meeting is not None else as_at
    return {
        "council_name": settings.HEARTH_COUNCIL_NAME,
        "council_colour": settings.HEARTH_COUNCIL_COLOUR,
        "title": f"Improvement board pack — {long_date(meeting_day)}",
        "meeting": meeting,
        "meeting_date": long_date(meeting_day),
        "as_at": as_at,
        "month_end": month_end,
        "data_words": f"Figures as at {long_date(month_end)}; the plan's status as at {long_date(as_at)}.",
        "generated_at": timezone.localtime(),
        "sections": ordered,
        "summary": summary, **{key: s for key, s in sections.items()},
    }


def board_pack_html(*, local_authority: LocalAuthority, as_at: date, meeting: BoardMeeting | None = None) -> str:
    context = board_pack_context(local_authority=local_authority, as_at=as_at, meeting=meeting)
    return render_to_string("improvement/board_pack/pack.html", context)


def render_board_pack(*, local_authority: LocalAuthority, as_at: date, meeting: BoardMeeting | None = None
                      ) -> tuple[bytes, int]:
    """The board pack as PDF bytes, with its number of pages."""
    return pdf_document(board_pack_html(local_authority=local_authority, as_at=as_at, meeting=meeting))
