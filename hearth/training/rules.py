"""Who may see and run training and apprenticeships.

- ``training.view_training``: the director, heads of service, the inspection and improvement manager, performance
  analysts and team managers see every course, session, register and cohort in their council, and any staff
  member's training record. Every member of staff sees their own training record (the permission checked with
  themselves as the object).
- ``training.manage_training``: the director, heads of service and the improvement manager (the improvement team
  runs the council's training programmes) create and change courses, sessions and apprenticeship cohorts.
- ``training.record_attendance``: those, and team managers (who often run a session or fill its places from
  their team), book practitioners on sessions, cancel bookings and mark the register.

Training records are about staff, never children, so nothing here touches record-level access.
"""

from __future__ import annotations

import rules

from hearth.accounts.roles import STAFF_ROLES, Role

MANAGE_ROLES = frozenset({Role.DIRECTOR, Role.SERVICE_MANAGER, Role.IMPROVEMENT_MANAGER})
ATTENDANCE_ROLES = MANAGE_ROLES | {Role.TEAM_MANAGER}
VIEW_ROLES = ATTENDANCE_ROLES | {Role.PERFORMANCE_ANALYST}


def _staff(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.local_authority_id is not None
                and user.role in STAFF_ROLES)


@rules.predicate
def reads_training(user, worker=None) -> bool:
    """Everyone in a council-wide role; with a worker, only one of their own council."""
    if not (_staff(user) and user.role in VIEW_ROLES):
        return False
    return worker is None or getattr(worker, "local_authority_id", None) == user.local_authority_id


@rules.predicate
def own_record(user, worker=None) -> bool:
    return worker is not None and _staff(user) and getattr(worker, "pk", None) == user.pk


@rules.predicate
def runs_training(user) -> bool:
    return _staff(user) and user.role in MANAGE_ROLES


@rules.predicate
def keeps_registers(user) -> bool:
    return _staff(user) and user.role in ATTENDANCE_ROLES


rules.add_perm("training.view_training", reads_training | own_record)
rules.add_perm("training.manage_training", runs_training)
rules.add_perm("training.record_attendance", keeps_registers)
