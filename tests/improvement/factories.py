"""Builders for the improvement programme's test data. Every write goes through the audited save."""

from __future__ import annotations

import itertools
from datetime import date, datetime

from django.utils import timezone

from hearth.accounts.models import User
from hearth.audit.actor import acting_as
from hearth.improvement.models import (
    ActionEvidence,
    ActionIndicator,
    AreaForImprovement,
    BoardMeeting,
    Grade,
    ImprovementAction,
    Inspection,
    InspectionJudgement,
    MonitoringVisit,
)
from hearth.tenancy.models import LocalAuthority

_seq = itertools.count(1)

# A plausible ILACS result: inadequate overall, as the council.
DEFAULT_JUDGEMENTS: dict[str, str] = {
    InspectionJudgement.Area.OVERALL: Grade.INADEQUATE,
    InspectionJudgement.Area.LEADERS: Grade.REQUIRES_IMPROVEMENT,
    InspectionJudgement.Area.HELP_AND_PROTECTION: Grade.INADEQUATE,
    InspectionJudgement.Area.IN_CARE: Grade.REQUIRES_IMPROVEMENT,
    InspectionJudgement.Area.CARE_LEAVERS: Grade.REQUIRES_IMPROVEMENT,
}


def make_inspection(la: LocalAuthority, *, kind: str = Inspection.Kind.STANDARD,
                    on_site_from: date = date(2023, 7, 3), on_site_to: date | None = None,
                    published_on: date | None = date(2023, 9, 1), summary: str = "",
                    judgements: dict[str, str] | None = None) -> Inspection:
    """An inspection with judgements (area → grade); pass judgements={} for none."""
    with acting_as("test"):
        inspection = Inspection(local_authority=la, kind=kind, on_site_from=on_site_from,
                                on_site_to=on_site_to or on_site_from, published_on=published_on,
                                summary=summary)
        inspection.save()
        for area, grade in (DEFAULT_JUDGEMENTS if judgements is None else judgements).items():
            InspectionJudgement(local_authority=la, inspection=inspection, area=area, grade=grade).save()
    return inspection


def make_area(inspection: Inspection, *, number: int | None = None, text: str = "",
              area: str = InspectionJudgement.Area.HELP_AND_PROTECTION) -> AreaForImprovement:
    n = number if number is not None else (
        AreaForImprovement.objects.filter(inspection=inspection).count() + 1)
    with acting_as("test"):
        item = AreaForImprovement(local_authority=inspection.local_authority, inspection=inspection, number=n,
                                  text=text or f"The timeliness of assessments (area {n}).", area=area)
        item.save()
    return item


def make_action(la: LocalAuthority, *, owner: User, area: AreaForImprovement | None = None,
                reference: str | None = None, title: str = "", description: str = "",
                due_on: date = date(2027, 3, 31), status: str = ImprovementAction.Status.IN_PROGRESS,
                rag: str = ImprovementAction.Rag.GREEN, progress_summary: str = "",
                completed_on: date | None = None) -> ImprovementAction:
    n = next(_seq)
    # 9.n: never one of the test worlds' own numbers (1.1, 2.1, ...).
    if status in (ImprovementAction.Status.COMPLETE, ImprovementAction.Status.EMBEDDED):
        rag = ImprovementAction.Rag.BLUE
        completed_on = completed_on or due_on
    with acting_as("test"):
        action = ImprovementAction(
            local_authority=la, area_for_improvement=area, reference=reference or f"9.{n}",
            title=title or f"Improve the timeliness of assessments ({n})", description=description, owner=owner,
            due_on=due_on, status=status, rag=rag, progress_summary=progress_summary, completed_on=completed_on)
        action.save()
    return action


def make_action_indicator(action: ImprovementAction, *, indicator: str = "assessments_45wd",
                          baseline: float | None = 58.0, baseline_on: date | None = date(2025, 1, 31),
                          target: float = 85.0, target_by: date = date(2027, 3, 31)) -> ActionIndicator:
    with acting_as("test"):
        link = ActionIndicator(local_authority=action.local_authority, action=action, indicator=indicator,
                               baseline=baseline, baseline_on=baseline_on, target=target, target_by=target_by)
        link.save()
    return link


def make_evidence(action: ImprovementAction, *, by: User, kind: str = ActionEvidence.Kind.NOTE,
                  summary: str = "Audit of 20 assessments", note: str = "", linked_code: str = "",
                  linked_id: int | None = None, added_at: datetime | None = None,
                  withdrawn: bool = False) -> ActionEvidence:
    with acting_as("test"):
        item = ActionEvidence(local_authority=action.local_authority, action=action, kind=kind, summary=summary,
                              note=note, linked_code=linked_code, linked_id=linked_id, added_by=by,
                              added_at=added_at or timezone.now(), withdrawn=withdrawn)
        item.save()
    return item


def make_visit(la: LocalAuthority, *, visit_from: date = date(2024, 3, 5), visit_to: date | None = None,
               focus: str = "Help and protection: the front door", inspectors: str = "",
               letter_published_on: date | None = None, findings: str = "Some progress.",
               areas: list[AreaForImprovement] | None = None) -> MonitoringVisit:
    with acting_as("test"):
        visit = MonitoringVisit(local_authority=la, visit_from=visit_from, visit_to=visit_to or visit_from,
                                focus=focus, inspectors=inspectors, letter_published_on=letter_published_on,
                                findings=findings)
        visit.save()
    if areas:
        visit.areas_for_improvement.set(areas)
    return visit


def make_meeting(la: LocalAuthority, *, held_on: date = date(2026, 12, 10), chair: str = "Independent chair",
                 location: str = "Council House", agenda: str = "", minutes: str = "",
                 decisions: str = "") -> BoardMeeting:
    with acting_as("test"):
        meeting = BoardMeeting(local_authority=la, held_on=held_on, chair=chair, location=location, agenda=agenda,
                               minutes=minutes, decisions=decisions)
        meeting.save()
    return meeting


