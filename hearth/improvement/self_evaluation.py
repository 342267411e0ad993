"""The self-evaluation draft: plain paragraphs built from the data, around Ofsted's three questions.

* What do we know about the quality and impact of practice? Case audit grades and themes; the key indicators
  against England and the statistical neighbours, with the direction of travel over the year; the impact
  measures of the plan; what families said in audits, where it was recorded.
* How do we know it? The audit programme and its moderation, supervision, the performance data frozen each
  month, monitoring visits and practice weeks.
* What are our plans? The plan's open actions by area for improvement with their due dates, the funding that
  ends and the improvements it pays for, training and apprenticeships.

A draft only: people write the judgement. It holds figures and the plan's own words, never a child's name
(audits are counted, not quoted).
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from dateutil.relativedelta import relativedelta
from django.db import models

from hearth.case_audits.models import AuditRound, CaseAudit, PracticeWeek
from hearth.case_audits.selectors import GRADE_KEYS, GRADE_LABELS, audit_summary
from hearth.finance.money import pounds
from hearth.indicators import dashboards
from hearth.indicators.charts import format_change
from hearth.indicators.models import IndicatorSnapshot, IndicatorTarget
from hearth.indicators.registry import REGISTRY
from hearth.supervision.selectors import supervision_compliance
from hearth.workspace.dates import long_date

from .board_pack import DONE, fte_text, indicator_title, owner_name, percent_text, plural
from .models import ImprovementAction, MonitoringVisit, SelfEvaluation

if TYPE_CHECKING:
    from hearth.tenancy.models import LocalAuthority

SECTIONS = ("quality_and_impact", "how_you_know", "plans")


def question(name: str) -> str:
    """The question a section answers, as the model words it."""
    found = SelfEvaluation._meta.get_field(name)
    assert isinstance(found, models.Field)
    return str(found.verbose_name)

LISTED = 5  # indicators named in a sentence before "and N more"


def first_sentence(text: str, limit: int = 300) -> str:
    text = " ".join(text.split())
    match = re.match(r"(.+?[.!?])(\s|$)", text)
    sentence = match.group(1) if match else text
    return sentence if len(sentence) <= limit else sentence[: limit - 1].rstrip() + "…"


def _names(items: list[str]) -> str:
    shown = items[:LISTED]
    text = ", ".join(shown[:-1]) + (" and " if len(shown) > 1 else "") + shown[-1] if shown else ""
    return text + (f" (and {len(items) - LISTED} more)" if len(items) > LISTED else "")


def _better(polarity: str, change: float) -> bool | None:
    if polarity == "high":
        return change > 0
    if polarity == "low":
        return change < 0
    return None


# ------------------------------------------------------------------------------------------------ quality and impact

def _audit_paragraph(local_authority: LocalAuthority, start: date, end: date) -> tuple[str, Any]:
    audits = audit_summary(local_authority=local_authority, start=start, end=end)
    if not audits.audits:
        return (f"No case audits were submitted between {long_date(start)} and {long_date(end)}, so Hearth has no "
                f"audit evidence of the quality of practice for the period."), audits
    grades = "; ".join(f"{GRADE_LABELS[k].lower()} {audits.grades.get(k, 0):,}" for k in GRADE_KEYS
                       if audits.grades.get(k, 0))
    text = (f"Between {long_date(start)} and {long_date(end)}, {plural(audits.audits, 'case audit')} "
            f"{'was' if audits.audits == 1 else 'were'} completed: {percent_text(audits.good_or_better_percent)} "
            f"were judged good or better at their final grade ({grades}).")
    if audits.themes:
        top = [f"{name.lower()} ({n:,})" for name, n in audits.themes[:3]]
        text += f" The themes auditors raised most often were {_names(top)}."
    return text, audits


def _indicator_paragraphs(local_authority: LocalAuthority, end: date) -> list[str]:
    """The director's key indicators for the year to the month end on or before ``end`` (as the board shows
    them: the same cache, no second computation), against a year before, England and the neighbours."""
    board = dashboards.director_board(local_authority=local_authority, today=end + timedelta(days=1))
    improved, worsened, better_england, worse_england, detail = [], [], [], [], []
    for head in board.headlines:
        ind = head.indicator
        if ind.unavailable or head.value is None:
            continue
        known = [p for p in head.trend if p.value is not None]
        year_before = next((p for p in head.trend if p.month_end == (board.end - relativedelta(years=1))), None)
        if year_before is None and len(known) > 12:
            year_before = known[-13]
        change_words = ""
        if year_before is not None and year_before.value is not None:
            change = head.value - year_before.value
            verdict = _better(ind.polarity, change)
            change_words = f", {format_change(change, ind.unit, ind.decimals)} on a year before"
            if round(change, ind.decimals) != 0 and verdict is True:
                improved.append(ind.title)
            elif round(change, ind.decimals) != 0 and verdict is False:
                worsened.append(ind.title)
        if head.england is not None:
            verdict = _better(ind.polarity, head.value - head.england)
            if verdict is True:
                better_england.append(ind.title)
            elif verdict is False:
                worse_england.append(ind.title)
        if ind.code in ("assessments_45wd", "re_referrals_12m", "cpp_second", "placements_3plus_year",
                        "care_leavers_eet_19_21", "turnover_rate", "agency_rate", "caseload_average"):
            compare = []
            if head.england_text:
                compare.append(f"England {head.england_text}")
            if head.sn_median_text:
                compare.append(f"statistical neighbours' median {head.sn_median_text}")
            detail.append(f"{ind.title}: {head.value_text}{change_words}"
                          + (f" ({'; '.join(compare)})" if compare else ""))
    paragraphs = []
    period = f"the twelve months {board.period}"
    if improved or worsened:
        text = f"Over {period}, compared with the year before, "
        parts = []
        if improved:
            parts.append(f"{plural(len(improved), 'key indicator')} improved ({_names(improved)})")
        if worsened:
            parts.append(f"{len(worsened):,} got worse ({_names(worsened)})")
        paragraphs.append(text + " and ".join(parts) + ".")
    if better_england or worse_england:
        parts = []
        if better_england:
            parts.append(f"better than England on {_names(better_england)}")
        if worse_england:
            parts.append(f"worse than England on {_names(worse_england)}")
        paragraphs.append("The council is " + "; and ".join(parts) + " (DfE's latest published figures).")
    if detail:
        paragraphs.append("Key measures: " + "; ".join(detail) + ".")
    if not paragraphs:
        paragraphs.append(f"Hearth holds no indicator figures for {period}.")
    return paragraphs


def _impact_paragraph(local_authority: LocalAuthority, end: date) -> str:
    from .selectors import plan_impact

    rows = [row for _, rows in plan_impact(local_authority=local_authority, today=end + timedelta(days=1))
            for row in rows]
    if not rows:
        return ""
    met = [r for r in rows if r.status == "met"]
    on_track = [r for r in rows if r.status == "on_track"]
    off = [r for r in rows if r.status == "off_track"]
    text = (f"Of the {plural(len(rows), 'indicator')} the improvement plan uses to show impact, {len(met):,} "
            f"{'has' if len(met) == 1 else 'have'} met the target and {len(on_track):,} "
            f"{'is' if len(on_track) == 1 else 'are'} on track.")
    if off:
        text += " Off track: " + "; ".join(r.words for r in off[:LISTED]) + "."
    return text


def _voice_paragraph(local_authority: LocalAuthority, start: date, end: date, audits: Any) -> str:
    submitted = CaseAudit.objects.filter(local_authority=local_authority, status=CaseAudit.Status.SUBMITTED,
                                         submitted_on__gte=start, submitted_on__lte=end)
    with_feedback = submitted.exclude(family_feedback="").count()
    voice = next((n for name, n in audits.themes if name.lower().startswith("voice")), 0) if audits else 0
    if not with_feedback and not voice:
        return ""
    parts = []
    if with_feedback:
        parts.append(f"families' views were recorded in {with_feedback:,} of the {plural(audits.audits, 'audit')}")
    if voice:
        parts.append(f"the voice of the child was a theme in {plural(voice, 'audit')}")
    return "In the period " + " and ".join(parts) + "."


def quality_and_impact(local_authority: LocalAuthority, start: date, end: date) -> str:
    audit_text, audits = _audit_paragraph(local_authority, start, end)
    paragraphs = [audit_text, *_indicator_paragraphs(local_authority, end)]
    for extra in (_impact_paragraph(local_authority, end), _voice_paragraph(local_authority, start, end, audits)):
        if extra:
            paragraphs.append(extra)
    return "\n\n".join(paragraphs)


# ------------------------------------------------------------------------------------------------ how we know

def how_you_know(local_authority: LocalAuthority, start: date, end: date) -> str:
    paragraphs = []
    audits = audit_summary(local_authority=local_authority, start=start, end=end)
    rounds = AuditRound.objects.filter(local_authority=local_authority, month__gte=start.replace(day=1),
                                       month__lte=end).count()
    if audits.audits:
        paragraphs.append(
            f"Case audits: {plural(rounds, 'monthly audit round')} and {plural(audits.audits, 'completed audit')} "
            f"in the period; {audits.moderated:,} {'was' if audits.moderated == 1 else 'were'} moderated, and "
            f"moderation changed the grade of {audits.moderation_changed:,}. "
            f"{plural(audits.actions_open, 'audit action')} "
            f"{'was' if audits.actions_open == 1 else 'were'} open at the end of the period, "
            f"{audits.actions_overdue:,} overdue.")
    else:
        paragraphs.append("Case audits: none completed in the period.")
    compliance = supervision_compliance(local_authority=local_authority, on=end)
    if compliance.workers:
        paragraphs.append(
            f"Supervision: on {long_date(end)}, {compliance.in_time:,} of {compliance.workers:,} supervised workers "
            f"({percent_text(compliance.percent)}) had supervision within the expected interval.")
    frozen = (IndicatorSnapshot.objects.filter(local_authority=local_authority, month_end__gte=start,
                                               month_end__lte=end).values("month_end").distinct().count())
    targets = IndicatorTarget.objects.filter(local_authority=local_authority).count()
    registered = sum(1 for ind in REGISTRY.values() if not ind.unavailable)
    paragraphs.append(
        f"Performance data: {registered:,} indicators are computed from the live record, with "
        f"{plural(frozen, 'month end')} of the period frozen as reported to leaders and {plural(targets, 'target')} "
        f"set; each is compared with England and the ten statistical neighbours where DfE publishes it.")
    visits = list(MonitoringVisit.objects.filter(local_authority=local_authority, visit_from__lte=end,
                                                 visit_to__gte=start).order_by("visit_from"))
    for v in visits:
        finding = first_sentence(v.findings) if v.findings.strip() else "findings not yet recorded"
        paragraphs.append(f"Ofsted monitoring visit, {long_date(v.visit_from)} ({v.focus}): {finding}")
    weeks = list(PracticeWeek.objects.filter(local_authority=local_authority, start__lte=end, end__gte=start)
                 .order_by("start"))
    if weeks:
        found = [f"{w.title} ({long_date(w.start)})"
                 + (f": {first_sentence(w.what_we_found)}" if w.what_we_found.strip() else "") for w in weeks]
        paragraphs.append("Practice weeks, when leaders looked closely at the practice of chosen teams: "
                          + "; ".join(found))
    return "\n\n".join(paragraphs)


# ------------------------------------------------------------------------------------------------ plans

def plans(local_authority: LocalAuthority, start: date, end: date) -> str:
    from hearth.training.selectors import apprenticeship_summary, coverage_words, training_summary
    from hearth.workforce.selectors import sustainability

    paragraphs = []
    open_actions = list(ImprovementAction.objects.filter(local_authority=local_authority)
                        .exclude(status__in=DONE).select_related("owner", "area_for_improvement")
                        .order_by("area_for_improvement__number", "due_on", "reference"))
    if open_actions:
        by_area: dict[Any, list[ImprovementAction]] = {}
        for action in open_actions:
            by_area.setdefault(action.area_for_improvement, []).append(action)
        paragraphs.append(f"The improvement plan has {plural(len(open_actions), 'open action')}:")
        for area, actions in by_area.items():
            head = (f"Area for improvement {area.number} ({first_sentence(area.text, 160)})" if area is not None
                    else "Other actions")
            items = "; ".join(f"{a.reference} {a.title} — {owner_name(a.owner)}, due {long_date(a.due_on)}"
                              f"{' (overdue)' if a.due_on < end else ''}" for a in actions)
            paragraphs.append(f"{head}: {items}.")
    else:
        paragraphs.append("The improvement plan has no open actions.")

    risk = sustainability(local_authority=local_authority, today=end)
    widest = risk.horizons[-1] if risk.horizons else None
    if widest is not None and widest.posts:
        served = [indicator_title(c) for c in widest.indicators]
        paragraphs.append(
            f"Sustaining the improvements: funding ends by {long_date(widest.ends_by)} for "
            f"{plural(len(widest.posts), 'post')} ({fte_text(widest.fte)} FTE, {pounds(widest.annual_cost)} a year)"
            + (f" that serve {_names(served)}" if served else "")
            + ". A decision on continuing them is needed before then.")
    courses = training_summary(local_authority=local_authority, on=end)
    if courses:
        paragraphs.append("Training: " + "; ".join(coverage_words(c) for c in courses) + ".")
    cohorts = [c for c in apprenticeship_summary(local_authority=local_authority, on=end) if c.on_programme]
    if cohorts:
        paragraphs.append("Social work apprentices: " + "; ".join(
            f"{c.cohort.name}, {c.on_programme:,} on programme, expected to qualify in "
            f"{c.expected_qualification_on:%B %Y}" for c in cohorts) + ".")
    return "\n\n".join(paragraphs)


def assemble_self_evaluation(*, local_authority: LocalAuthority, period_start: date, period_end: date
                             ) -> dict[str, str]:
    """The three sections of a self-evaluation for the period, drafted from the data (keys quality_and_impact,
    how_you_know, plans)."""
    return {
        "quality_and_impact": quality_and_impact(local_authority, period_start, period_end),
        "how_you_know": how_you_know(local_authority, period_start, period_end),
        "plans": plans(local_authority, period_start, period_end),
    }
