"""Who may do what with case audits.

* Team managers, service managers / heads of service, the director and IROs (the quality assurance unit,
  ``Team.Kind.QUALITY_ASSURANCE``) read audits and audit cases; performance analysts read the aggregates only
  (they open no child's record, so no list names a child to them).
* Heads of service and the director draw rounds, keep the templates and run practice weeks.
* An audit is done by its allocated auditor while they may open the child's record; a different auditor with
  the auditor's role moderates it, never the child's own worker or their manager.
* A worker sees and completes the actions set for them; their manager and heads of service may complete them too.
"""

from __future__ import annotations

from typing import Any

import rules

from hearth.access.policy import can_view_person
from hearth.accounts.roles import Role

AUDITOR_ROLES = frozenset({Role.TEAM_MANAGER, Role.SERVICE_MANAGER, Role.DIRECTOR, Role.IRO})
READ_ROLES = AUDITOR_ROLES | {Role.PERFORMANCE_ANALYST, Role.IMPROVEMENT_MANAGER}
MANAGE_ROLES = frozenset({Role.SERVICE_MANAGER, Role.DIRECTOR})


def _staff(user: Any) -> bool:
    return bool(user.is_authenticated and user.is_active and user.local_authority_id is not None)


def _same_council(user: Any, obj: Any) -> bool:
    return obj is not None and obj.local_authority_id == user.local_authority_id


@rules.predicate
def reads_audits(user: Any) -> bool:
    return _staff(user) and user.role in READ_ROLES


@rules.predicate
def is_auditor(user: Any) -> bool:
    return _staff(user) and user.role in AUDITOR_ROLES and user.has_case_access


@rules.predicate
def manages_rounds(user: Any) -> bool:
    return _staff(user) and user.role in MANAGE_ROLES and user.has_case_access


def works_on_case(user: Any, audit: Any) -> bool:
    """The child's worker when the sample was drawn, anyone allocated to the child now, or a manager of the
    child's team or of their worker's team: none of them may audit or moderate the case."""
    from hearth.allocations.models import Allocation

    if user.pk == audit.worker_id:
        return True
    if Allocation.objects.filter(child_id=audit.child_id, worker_id=user.pk, ended_on__isnull=True).exists():
        return True
    if user.role != Role.TEAM_MANAGER or user.team_id is None:
        return False
    teams = {audit.team_id}
    if audit.worker_id is not None:
        teams.add(getattr(audit.worker, "team_id", None))
    return user.team_id in teams


@rules.predicate
def may_audit(user: Any, audit: Any) -> bool:
    return (
        _same_council(user, audit)
        and is_auditor(user)
        and audit.auditor_id == user.pk
        and not audit.is_submitted
        and can_view_person(user, audit.child)
    )


@rules.predicate
def may_moderate(user: Any, audit: Any) -> bool:
    if not (_same_council(user, audit) and is_auditor(user)):
        return False
    if not audit.is_submitted or audit.auditor_id == user.pk or hasattr_moderation(audit):
        return False
    return can_view_person(user, audit.child) and not works_on_case(user, audit)


def hasattr_moderation(audit: Any) -> bool:
    from .models import Moderation

    try:
        return audit.moderation is not None
    except Moderation.DoesNotExist:
        return False


@rules.predicate
def may_view_audit(user: Any, audit: Any) -> bool:
    if not (_same_council(user, audit) and _staff(user) and user.has_case_access):
        return False
    if not can_view_person(user, audit.child):
        return False
    return audit.auditor_id == user.pk or user.role in AUDITOR_ROLES


@rules.predicate
def may_set_action(user: Any, audit: Any) -> bool:
    """The auditor, or the moderator once they have moderated, while they may open the record."""
    if not (_same_council(user, audit) and is_auditor(user) and can_view_person(user, audit.child)):
        return False
    if audit.auditor_id == user.pk:
        return True
    return hasattr_moderation(audit) and audit.moderation.moderator_id == user.pk


@rules.predicate
def may_complete_action(user: Any, action: Any) -> bool:
    if not (_same_council(user, action) and _staff(user) and user.has_case_access):
        return False
    if action.completed_on is not None or not can_view_person(user, action.child):
        return False
    if action.assigned_to_id == user.pk:
        return True
    if user.role in MANAGE_ROLES:
        return True
    return user.role == Role.TEAM_MANAGER and user.team_id is not None and user.team_id == action.team_id


rules.add_perm("case_audits.view_audits", reads_audits)
rules.add_perm("case_audits.audit_cases", is_auditor)
rules.add_perm("case_audits.manage_rounds", manages_rounds)
rules.add_perm("case_audits.manage_practice_weeks", manages_rounds)
rules.add_perm("case_audits.view_audit", may_view_audit)
rules.add_perm("case_audits.audit_case", may_audit)
rules.add_perm("case_audits.moderate_audit", may_moderate)
rules.add_perm("case_audits.set_action", may_set_action)
rules.add_perm("case_audits.complete_action", may_complete_action)
