"""What a practice week's page says about each team in focus: the audits, the team's indicators, supervision,
caseloads and overdue statutory clocks, side by side.

The indicators and supervision come from their own apps (``hearth.indicators.compute``,
``hearth.supervision.selectors``). Indicators are percentages over the twelve months to the week's last day,
split by team: a week alone is too short for a percentage to mean much.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils import timezone

from hearth.indicators import compute
from hearth.indicators.charts import format_value
from hearth.indicators.registry import indicators, rolling_year
from hearth.supervision.selectors import SupervisionCompliance, supervision_compliance
from hearth.worktrays.selectors import overdue_clocks, team_caseloads_with_drift, unallocated_children

from .models import PracticeWeek, PracticeWeekTeam
from .selectors import AuditSummary, audit_summary, practice_week_teams

if TYPE_CHECKING:
    from hearth.accounts.models import User


@dataclass
class IndicatorLine:
    code: str
    title: str
    value: float | None
    numerator: float
    denominator: float | None
    decimals: int
    polarity: str
    council: float | None
    link: str | None = None

    @property
    def shown(self) -> str:
        return "No cases" if self.value is None else format_value(self.value, "percent", self.decimals)

    @property
    def council_shown(self) -> str:
        return "none" if self.council is None else format_value(self.council, "percent", self.decimals)


@dataclass
class Caseloads:
    workers: int
    open_cases: int
    highest: int
    overdue_clocks: int
    unallocated: int

    @property
    def average(self) -> float | None:
        return round(self.open_cases / self.workers, 1) if self.workers else None


@dataclass
class TeamPicture:
    entry: PracticeWeekTeam
    audits: AuditSummary
    indicators: list[IndicatorLine] = field(default_factory=list)
    supervision: SupervisionCompliance | None = None
    caseloads: Caseloads | None = None


@dataclass
class WeekPicture:
    week: PracticeWeek
    teams: list[TeamPicture]
    council_audits: AuditSummary
    indicators_period: tuple[date, date]
    caseloads_note: str


def _indicator_lines(week: PracticeWeek, team_ids: list[int]) -> tuple[dict[int, list[IndicatorLine]],
                                                                          tuple[date, date]]:
    start, end = rolling_year(min(week.end, timezone.localdate()))
    chosen = [i.code for i in indicators() if i.unit == "percent" and not i.unavailable]
    lines: dict[int, list[IndicatorLine]] = {t: [] for t in team_ids}
    for result in compute.results(local_authority=week.local_authority, start=start, end=end, codes=chosen):
        split = compute.team_figures(result=result)
        ind = result.indicator
        for team_id in team_ids:
            figure = split.get(team_id)
            if figure is None or not figure.denominator:
                continue
            lines[team_id].append(IndicatorLine(ind.code, ind.title, figure.value, figure.numerator,
                                                figure.denominator, ind.decimals, ind.polarity, result.value,
                                                reverse("indicators:detail", args=[ind.code])))
    return lines, (start, end)


def _supervision(week: PracticeWeek, team_ids: list[int]) -> dict[int, SupervisionCompliance]:
    on = min(week.end, timezone.localdate())
    return {t: supervision_compliance(local_authority=week.local_authority_id, team=t, on=on) for t in team_ids}


def _caseloads(user: User, entries: list[PracticeWeekTeam]) -> tuple[dict[int, Caseloads], str]:
    if not user.has_case_access:
        return {}, "Caseloads and overdue clocks are shown to staff who work with children's records."
    found: dict[int, Caseloads] = {}
    for entry in entries:
        loads = [m.open_cases for m in team_caseloads_with_drift(user=user, team=entry.team)]  # type: ignore[attr-defined]
        found[entry.team_id] = Caseloads(
            workers=sum(1 for n in loads if n), open_cases=sum(loads), highest=max(loads, default=0),
            overdue_clocks=overdue_clocks(user=user, team=entry.team).count(),
            unallocated=unallocated_children(user=user, team=entry.team).count(),
        )
    return found, ""


def week_picture(*, user: User, week: PracticeWeek) -> WeekPicture:
    entries = practice_week_teams(week=week)
    team_ids = [e.team_id for e in entries]
    lines, period = _indicator_lines(week, team_ids)
    supervision = _supervision(week, team_ids)
    caseloads, caseloads_note = _caseloads(user, entries)
    teams = [
        TeamPicture(entry=e, audits=audit_summary(local_authority=week.local_authority_id, team=e.team_id,
                                                  start=week.start, end=week.end),
                    indicators=lines.get(e.team_id, []), supervision=supervision.get(e.team_id),
                    caseloads=caseloads.get(e.team_id))
        for e in entries
    ]
    return WeekPicture(
        week=week, teams=teams,
        council_audits=audit_summary(local_authority=week.local_authority_id, start=week.start, end=week.end),
        indicators_period=period, caseloads_note=caseloads_note,
    )
