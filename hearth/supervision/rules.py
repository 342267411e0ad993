"""Who may see and record supervision.

Supervision is private to the worker: they see their own; their team manager, anyone named as their supervisor,
heads of service and the director see it too; a peer never does. The supervisor records it. Performance analysts
see compliance figures only, never a worker's records. Heads of service and the director set the policy.
"""

from __future__ import annotations

import rules

from hearth.accounts.roles import Role

from .schedule import SUPERVISED_ROLES
from .selectors import LEADER_ROLES, may_record_for, may_see_session, may_see_worker

# Everyone who is supervised or supervises, and analysts (for the figures).
USER_ROLES = frozenset(SUPERVISED_ROLES) | LEADER_ROLES | {Role.PERFORMANCE_ANALYST}
COMPLIANCE_ROLES = frozenset({Role.TEAM_MANAGER, Role.PERFORMANCE_ANALYST}) | LEADER_ROLES


def _staff(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.local_authority_id is not None)


@rules.predicate
def uses_supervision(user) -> bool:
    return _staff(user) and user.role in USER_ROLES


@rules.predicate
def reads_compliance(user) -> bool:
    return _staff(user) and user.role in COMPLIANCE_ROLES


@rules.predicate
def leads_service(user) -> bool:
    return _staff(user) and user.role in LEADER_ROLES


@rules.predicate
def sees_worker(user, worker) -> bool:
    return worker is not None and user.role != Role.PERFORMANCE_ANALYST and may_see_worker(user, worker)


@rules.predicate
def records_for(user, worker) -> bool:
    return worker is not None and may_record_for(user, worker)


@rules.predicate
def sees_session(user, session) -> bool:
    return session is not None and user.role != Role.PERFORMANCE_ANALYST and may_see_session(user, session)


@rules.predicate
def is_supervisee(user, session) -> bool:
    return session is not None and _staff(user) and session.supervisee_id == user.pk


@rules.predicate
def manages_worker(user, worker) -> bool:
    return (worker is not None and _staff(user) and user.pk != worker.pk
            and user.role in (Role.TEAM_MANAGER, *LEADER_ROLES) and may_see_worker(user, worker))


rules.add_perm("supervision.view_supervision", uses_supervision)
rules.add_perm("supervision.view_compliance", reads_compliance)
rules.add_perm("supervision.view_worker_supervision", sees_worker)
rules.add_perm("supervision.record_supervision", records_for)
rules.add_perm("supervision.view_session", sees_session)
rules.add_perm("supervision.confirm_session", is_supervisee)
rules.add_perm("supervision.change_arrangements", manages_worker)
rules.add_perm("supervision.change_policy", leads_service)
