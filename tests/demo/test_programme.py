"""The synthetic council's improvement journey (hearth.demo.programme): one small council, built once for the
module, carries an inadequate inspection and the plan, board and visits that follow, a workforce whose turnover
falls year on year, temporarily funded posts whose funding runs out, a placements overspend, restorative practice
at 612 of 800, and two new demo logins. The same seed writes the same journey, whatever the primary keys."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from unittest import mock

import pytest
from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.test import Client
from django.utils import timezone

from hearth.accounts.models import User
from hearth.audit.actor import acting_as
from hearth.case_audits.models import AuditRound, PracticeWeek
from hearth.demo import council
from hearth.demo.council import build_council
from hearth.demo.programme import programme_logins, seed_programme
from hearth.finance.models import BudgetLine, MonthlyFinance, ReserveMovement
from hearth.finance.years import year_of
from hearth.improvement.models import (
    ActionEvidence,
    ActionIndicator,
    BoardMeeting,
    Grade,
    ImprovementAction,
    Inspection,
    InspectionJudgement,
    MonitoringVisit,
)
from hearth.tenancy.models import LocalAuthority
from hearth.training.models import Apprentice, TrainingAttendance, TrainingCourse
from hearth.workforce.csww import census_files
from hearth.workforce.models import Absence, Appointment, Post, PostFunding

pytestmark = pytest.mark.django_db
SEED = 61


@dataclass
class Journey:
    rows: int = 0
    seconds: float = 0.0
    again: bool = False
    first: dict[str, list[Any]] = field(default_factory=dict)
    second: dict[str, list[Any]] = field(default_factory=dict)
    overall: str = ""
    judgements: dict[str, str] = field(default_factory=dict)
    trained: int = 0
    target: int = 0
    ending: dict[int, int] = field(default_factory=dict)
    placements: tuple[int, int] = (0, 0)
    turnover: list[float | None] = field(default_factory=list)
    logins: dict[str, tuple[bool, str, str]] = field(default_factory=dict)
    listed: list[str] = field(default_factory=list)
    plan: dict[str, int] = field(default_factory=dict)
    future_visits: int = 0
    next_board: date | None = None
    apprentices_counted: int = 0
    census_workers: int = 0


def _evidence_target(e: ActionEvidence, rounds: dict[int, str], weeks: dict[int, str], courses: dict[int, str],
                     visits: dict[int, str]) -> str:
    """What a piece of evidence points at, by natural key."""
    by_kind = {"audit_round": rounds, "practice_week": weeks, "training_course": courses, "monitoring_visit": visits}
    if e.kind in by_kind:
        return by_kind[e.kind].get(e.linked_id or 0, "?")
    return e.linked_code


def _content(la: LocalAuthority) -> dict[str, list[Any]]:
    """The journey by natural keys (usernames, post numbers, references, dates), never primary keys."""
    rounds = {r.pk: f"{r.month} {r.title}" for r in AuditRound.objects.filter(local_authority=la)}
    weeks = {w.pk: f"{w.start} {w.title}" for w in PracticeWeek.objects.filter(local_authority=la)}
    courses = {c.pk: c.title for c in TrainingCourse.objects.filter(local_authority=la)}
    visits = {v.pk: f"{v.visit_from} {v.focus}" for v in MonitoringVisit.objects.filter(local_authority=la)}
    return {
        "users": sorted(User.objects.filter(local_authority=la).values_list(
            "username", "first_name", "last_name", "role", "team__name", "job_title", "employment_type", "fte",
            "started_on", "left_on", "is_active", "social_work_england_number")),
        "posts": sorted(Post.objects.filter(local_authority=la).values_list(
            "reference", "title", "kind", "team__name", "grade", "fte", "annual_cost", "established_on",
            "social_work_post", "purpose")),
        "funding": sorted(PostFunding.objects.filter(local_authority=la).values_list(
            "post__reference", "source", "reserve__name", "grant__name", "starts_on", "ends_on", "share_percent")),
        "appointments": sorted(Appointment.objects.filter(local_authority=la).values_list(
            "worker__username", "post__reference", "employment_type", "org_role", "fte", "starts_on", "ends_on",
            "left_council", "reason_leave", "leaver_destination", "start_origin"), key=str),
        "absences": sorted(Absence.objects.filter(local_authority=la).values_list(
            "worker__username", "reason", "starts_on", "ends_on", "working_days_lost"), key=str),
        "attendance": sorted(TrainingAttendance.objects.filter(local_authority=la).values_list(
            "session__course__title", "session__held_on", "session__cancelled", "worker__username",
            "attendee_name", "attendee_organisation", "status"), key=str),
        "apprentices": sorted(Apprentice.objects.filter(local_authority=la).values_list(
            "cohort__name", "worker__username", "status", "expected_qualification_on", "withdrawn_on",
            "destination_post__reference"), key=str),
        "money": sorted(MonthlyFinance.objects.filter(local_authority=la).values_list(
            "budget_line__service_area__code", "budget_line__financial_year", "budget_line__budget", "month",
            "actual", "forecast_outturn", "commentary")),
        "reserve": sorted(ReserveMovement.objects.filter(local_authority=la).values_list(
            "moved_on", "amount", "purpose")),
        "actions": sorted(ImprovementAction.objects.filter(local_authority=la).values_list(
            "reference", "title", "owner__username", "due_on", "status", "rag", "completed_on")),
        "indicators": sorted(ActionIndicator.objects.filter(local_authority=la).values_list(
            "action__reference", "indicator", "baseline", "baseline_on", "target", "target_by")),
        "evidence": sorted((e.action.reference, e.kind, e.summary, e.added_by.username, e.added_at,
                            _evidence_target(e, rounds, weeks, courses, visits), bool(e.document))
                           for e in ActionEvidence.objects.filter(local_authority=la)
                           .select_related("action", "added_by")),
        "visits": sorted((v.visit_from, v.focus, v.inspectors, v.findings,
                          tuple(sorted(a.number for a in v.areas_for_improvement.all())))
                         for v in MonitoringVisit.objects.filter(local_authority=la)),
        "board": sorted(BoardMeeting.objects.filter(local_authority=la).values_list(
            "held_on", "chair", "agenda", "minutes", "decisions")),
    }


def _seed(la: LocalAuthority, today: date) -> tuple[int, float]:
    started = time.perf_counter()
    rows = seed_programme(la=la, seed=SEED, today=today, size="small")
    return rows, time.perf_counter() - started


def _facts(journey: Journey, la: LocalAuthority, today: date) -> None:
    inspection = Inspection.objects.filter(local_authority=la).order_by("-on_site_from").first()
    assert inspection is not None
    journey.judgements = dict(InspectionJudgement.objects.filter(inspection=inspection).values_list("area", "grade"))
    journey.overall = journey.judgements.get("overall", "")
    restorative = TrainingCourse.objects.get(local_authority=la, title="Restorative practice")
    journey.target = restorative.target_trained
    try:
        from hearth.training.selectors import course_coverage
    except ImportError:
        journey.trained = -1
    else:
        journey.trained = course_coverage(course=restorative, on=today).trained
    for months in (3, 6, 12):
        journey.ending[months] = PostFunding.objects.filter(
            local_authority=la, source=PostFunding.Source.RESERVE, starts_on__lte=today, ends_on__gte=today,
            ends_on__lte=today + relativedelta(months=months)).count()
    line = BudgetLine.objects.get(local_authority=la, financial_year=year_of(today), service_area__code="CSC101")
    latest = line.months.order_by("-month").first()
    assert latest is not None
    journey.placements = (int(line.budget), int(latest.forecast_outturn))
    try:
        from hearth.workforce.measures import csww_measures
    except ImportError:
        pass
    else:
        latest_census = today.year if today >= date(today.year, 9, 30) else today.year - 1
        journey.turnover = [csww_measures(local_authority=la, on=date(year, 9, 30)).turnover_rate
                            for year in range(latest_census - 4, latest_census + 1)]
    for username in ("im.demo", "fin.demo"):
        user = User.objects.select_related("team").get(username=username)
        client = Client()
        client.post("/accounts/sign-in/", {"username": username, "password": council.DEMO_PASSWORD})
        signed_in = client.session.get("_auth_user_id") == str(user.pk)
        journey.logins[username] = (signed_in, user.role, user.team.name if user.team else "")
    journey.listed = [login.username for login in programme_logins(la)]
    actions = ImprovementAction.objects.filter(local_authority=la)
    journey.plan = {
        "actions": actions.count(),
        "done": actions.filter(status__in=["complete", "embedded"]).count(),
        "red": actions.filter(rag="red").count(),
        "overdue": actions.filter(due_on__lt=today, status__in=["not_started", "in_progress"]).count(),
        "open_without_indicators": actions.filter(status="in_progress", indicators__isnull=True).count(),
        "evidence": ActionEvidence.objects.filter(local_authority=la).values("action").distinct().count(),
        "documents": ActionEvidence.objects.filter(local_authority=la).exclude(document="").count(),
        "visits": MonitoringVisit.objects.filter(local_authority=la).count(),
    }
    journey.future_visits = MonitoringVisit.objects.filter(local_authority=la, visit_from__gt=today).count()
    board = BoardMeeting.objects.filter(local_authority=la, held_on__gt=today).order_by("held_on").first()
    journey.next_board = board.held_on if board else None
    journey.apprentices_counted = Appointment.objects.filter(
        local_authority=la, worker__apprenticeships__isnull=False).exclude(org_role="").count()
    # The council can make its last workforce census: everyone in it is registered (a CensusError otherwise).
    last_census = today.year if today >= date(today.year, 9, 30) else today.year - 1
    journey.census_workers = census_files(local_authority=la, year=last_census).xml.count(b"<CSWWWorker>")


@pytest.fixture(scope="module")
def journey(django_db_setup, django_db_blocker) -> Iterator[Journey]:
    result = Journey()
    with django_db_blocker.unblock(), transaction.atomic(), ExitStack() as stack:
        # The council without the journey (if build_council runs it), so the journey can be seeded here twice.
        for name in ("seed_programme", "seed_self_evaluation"):
            if hasattr(council, name):
                stack.enter_context(mock.patch.object(council, name, return_value=0))
        summary = build_council(size="small", seed=SEED, quality=True)
        la = summary.local_authority
        today = timezone.localdate()
        with acting_as("seed_demo"):
            with transaction.atomic():
                result.rows, result.seconds = _seed(la, today)
                result.first = _content(la)
                transaction.set_rollback(True)
            # Again: on PostgreSQL the rolled-back rows' ids are not reused, so this one has other primary keys.
            rows, _ = _seed(la, today)
            result.again = rows == result.rows
            result.second = _content(la)
            _facts(result, la, today)
        transaction.set_rollback(True)
    yield result


def test_the_journey_is_written_quickly(journey):
    assert journey.rows > 3000
    assert journey.seconds < 10, f"seed_programme took {journey.seconds:.1f}s on a small council"


def test_the_same_seed_writes_the_same_journey_whatever_the_primary_keys(journey):
    assert journey.again
    for part, rows in journey.first.items():
        assert rows, part
        assert journey.second[part] == rows, part


def test_the_inspection_found_services_inadequate(journey):
    assert journey.overall == Grade.INADEQUATE
    assert journey.judgements["help_and_protection"] == Grade.INADEQUATE
    assert journey.judgements["leaders"] == journey.judgements["in_care"] == Grade.REQUIRES_IMPROVEMENT
    assert "care_leavers" not in journey.judgements  # judged with children in care before January 2023


def test_the_plan_is_half_done_with_red_and_overdue_actions_and_evidence(journey):
    plan = journey.plan
    assert plan["actions"] == 24
    assert 12 <= plan["done"] <= 14
    assert plan["red"] >= 2 and plan["overdue"] == 2
    assert plan["open_without_indicators"] == 0
    assert plan["evidence"] >= 18 and plan["documents"] == 2
    assert plan["visits"] >= 6 and journey.future_visits == 0
    assert journey.next_board is not None


def test_612_of_800_practitioners_are_trained_in_restorative_practice(journey):
    assert journey.target == 800
    assert journey.trained in (612, -1)


def test_temporarily_funded_posts_run_out_within_three_six_and_twelve_months(journey):
    assert 0 < journey.ending[3] < journey.ending[6] < journey.ending[12]


def test_the_placements_line_overspends(journey):
    budget, forecast = journey.placements
    assert forecast > budget * 1.05


def test_social_work_turnover_falls_year_on_year_and_apprentices_are_not_counted(journey):
    if not journey.turnover:
        pytest.skip("hearth.workforce.measures is not there yet")
    assert all(rate is not None for rate in journey.turnover)
    assert all(a > b for a, b in zip(journey.turnover, journey.turnover[1:], strict=False)), journey.turnover
    assert journey.apprentices_counted == 0


def test_the_workforce_census_can_be_made_from_the_synthetic_council(journey):
    assert journey.census_workers > 20


def test_the_improvement_manager_and_the_finance_business_partner_can_sign_in(journey):
    assert journey.logins["im.demo"] == (True, "improvement_manager", "Leadership team")
    assert journey.logins["fin.demo"] == (True, "finance_officer", "")
    assert journey.listed == ["fin.demo", "im.demo"]
