"""A small council for the improvement plan's tests: its leaders, an analyst, two social workers (one owning an
action), a latest inspection with two areas for improvement and three actions."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest

from hearth.accounts.models import Team, User
from hearth.accounts.roles import Role
from hearth.improvement.models import AreaForImprovement, ImprovementAction, Inspection
from hearth.indicators import compute
from hearth.tenancy.models import LocalAuthority
from tests.factories import make_la, make_team, make_user
from tests.improvement.factories import make_action, make_area, make_inspection

TODAY = date(2026, 11, 23)


@dataclass
class PlanWorld:
    la: LocalAuthority
    team: Team
    director: User
    head: User  # service manager / head of service
    improvement: User  # the inspection and improvement manager
    analyst: User
    manager: User  # a team manager
    owner: User  # a senior practitioner who owns action 1.1
    worker: User  # a social worker who owns nothing
    inspection: Inspection
    area_1: AreaForImprovement
    area_2: AreaForImprovement
    action_1: ImprovementAction  # the worker's, in progress, green, due Mar 2027
    action_2: ImprovementAction  # the head's, overdue, red
    action_3: ImprovementAction  # the improvement manager's, complete


def build_plan_world(**extra: Any) -> PlanWorld:
    la = make_la()
    team = make_team(la, "Assessment East")
    director = make_user(la, Role.DIRECTOR, username=f"dcs{la.pk}", first_name="Dana", last_name="Director")
    head = make_user(la, Role.SERVICE_MANAGER, username=f"hos{la.pk}", first_name="Hari", last_name="Head")
    improvement = make_user(la, Role.IMPROVEMENT_MANAGER, username=f"im{la.pk}", first_name="Imogen",
                            last_name="Improve")
    analyst = make_user(la, Role.PERFORMANCE_ANALYST, username=f"an{la.pk}")
    manager = make_user(la, Role.TEAM_MANAGER, team, username=f"tm{la.pk}")
    owner = make_user(la, Role.SENIOR_PRACTITIONER, team, username=f"own{la.pk}", first_name="Olu", last_name="Owner")
    worker = make_user(la, Role.SOCIAL_WORKER, team, username=f"sw{la.pk}")
    inspection = make_inspection(la, on_site_from=date(2023, 7, 3), on_site_to=date(2023, 7, 14))
    area_1 = make_area(inspection, number=1, text="The timeliness and quality of assessments.")
    area_2 = make_area(inspection, number=2, text="Management oversight and supervision.", area="leaders")
    action_1 = make_action(la, owner=owner, area=area_1, reference="1.1", title="Assessment clinic each week",
                           due_on=date(2027, 3, 31))
    action_2 = make_action(la, owner=head, area=area_2, reference="2.1", title="Supervision audit",
                           due_on=date(2026, 10, 1), rag=ImprovementAction.Rag.RED)
    action_3 = make_action(la, owner=improvement, area=area_1, reference="1.2", title="Assessment template",
                           due_on=date(2025, 6, 30), status=ImprovementAction.Status.COMPLETE)
    return PlanWorld(la, team, director, head, improvement, analyst, manager, owner, worker, inspection, area_1,
                     area_2, action_1, action_2, action_3)


@pytest.fixture
def plan_today(monkeypatch: pytest.MonkeyPatch) -> date:
    monkeypatch.setattr(compute, "today", lambda: TODAY)
    return TODAY


@pytest.fixture
def w(db: Any, plan_today: date) -> Iterator[PlanWorld]:
    compute.forget()
    yield build_plan_world()
    compute.forget()
