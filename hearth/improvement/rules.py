"""Who may do what with the improvement programme.

* The director, service managers / heads of service, the inspection and improvement manager and performance
  analysts read the programme (inspections, the plan, monitoring visits) and the improvement board. Any other
  member of staff who owns an action in the plan reads the plan too: they report on it.
* The improvement manager, the director and service managers keep the plan: inspections, areas for
  improvement, actions, monitoring visits.
* An action's owner updates it (status, RAG, progress, evidence); so do those who keep the plan.
* The improvement manager and the director run the board: meetings and generating board packs.
* The improvement manager, the director and service managers write the self-evaluation.

None of these opens a child's record: evidence that links to one names the child only to those who may open it
(hearth.access).
"""

from __future__ import annotations

from typing import Any

import rules

from hearth.accounts.roles import Role

READ_ROLES = frozenset({Role.DIRECTOR, Role.SERVICE_MANAGER, Role.IMPROVEMENT_MANAGER, Role.PERFORMANCE_ANALYST})
PLAN_ROLES = frozenset({Role.IMPROVEMENT_MANAGER, Role.DIRECTOR, Role.SERVICE_MANAGER})
BOARD_ROLES = frozenset({Role.IMPROVEMENT_MANAGER, Role.DIRECTOR})
SELF_EVALUATION_ROLES = frozenset({Role.IMPROVEMENT_MANAGER, Role.DIRECTOR, Role.SERVICE_MANAGER})
# Who may own an action: leaders, managers and the people who lead a service-wide change. Frontline roles are
# never owners, so their pages never ask whether they own one (the navigation asks on every page).
OWNER_ROLES = READ_ROLES | {Role.TEAM_MANAGER, Role.IRO, Role.EXPLOITATION_LEAD, Role.FINANCE_OFFICER,
                            Role.SENIOR_PRACTITIONER}


def _staff(user: Any) -> bool:
    return bool(user.is_authenticated and user.is_active and user.local_authority_id is not None
                and user.role != Role.PARTNER_REFERRER)


def owns_an_action(user: Any) -> bool:
    """Asked on every page (the navigation), so remembered on the user object for the request."""
    cached = getattr(user, "_hearth_owns_improvement_action", None)
    if cached is None:
        from .models import ImprovementAction

        cached = ImprovementAction.objects.filter(local_authority_id=user.local_authority_id,
                                                  owner_id=user.pk).exists()
        user._hearth_owns_improvement_action = cached
    return bool(cached)


@rules.predicate
def views_improvement(user: Any) -> bool:
    if not _staff(user):
        return False
    return user.role in READ_ROLES or (user.role in OWNER_ROLES and owns_an_action(user))


@rules.predicate
def manages_plan(user: Any) -> bool:
    return _staff(user) and user.role in PLAN_ROLES


@rules.predicate
def may_update_action(user: Any, action: Any = None) -> bool:
    if action is None or not _staff(user) or action.local_authority_id != user.local_authority_id:
        return False
    return action.owner_id == user.pk or user.role in PLAN_ROLES


@rules.predicate
def views_board(user: Any) -> bool:
    return _staff(user) and user.role in READ_ROLES


@rules.predicate
def manages_board(user: Any) -> bool:
    return _staff(user) and user.role in BOARD_ROLES


@rules.predicate
def edits_self_evaluation(user: Any) -> bool:
    return _staff(user) and user.role in SELF_EVALUATION_ROLES


rules.add_perm("improvement.view_improvement", views_improvement)
rules.add_perm("improvement.manage_plan", manages_plan)
rules.add_perm("improvement.update_action", may_update_action)
rules.add_perm("improvement.view_board", views_board)
rules.add_perm("improvement.manage_board", manages_board)
rules.add_perm("improvement.edit_self_evaluation", edits_self_evaluation)
