"""Who may see and change the establishment, the HR record and the workforce measures.

The establishment (posts, their cost and funding) is read by the council's leaders, the improvement manager,
performance analysts, the finance business partner and team managers (a team manager only their own team's
posts and people: ``selectors.posts_for`` / ``workers_for`` do the scoping). Posts and their funding are changed
by the director, heads of service and the finance business partner.

HR records (absences, reasons for leaving) are personal: the director and heads of service see and record them for
everyone in the council, a team manager for the members of their own team (recording, not for themselves: their
own record is kept by their head of service). Analysts, finance and the improvement manager never see them; the
measures they read are counts.
"""

from __future__ import annotations

from typing import Any

import rules

from hearth.accounts.roles import Role

LEADER_ROLES = frozenset({Role.DIRECTOR, Role.SERVICE_MANAGER})
VIEW_ROLES = LEADER_ROLES | {Role.IMPROVEMENT_MANAGER, Role.PERFORMANCE_ANALYST, Role.FINANCE_OFFICER,
                             Role.TEAM_MANAGER}
MANAGE_ROLES = LEADER_ROLES | {Role.FINANCE_OFFICER}
CSWW_ROLES = LEADER_ROLES | {Role.PERFORMANCE_ANALYST}


def _staff(user: Any) -> bool:
    return bool(user.is_authenticated and user.is_active and user.local_authority_id is not None)


def _same_council(user: Any, worker: Any) -> bool:
    return worker is not None and _staff(user) and worker.local_authority_id == user.local_authority_id


def sees_whole_council(user: Any) -> bool:
    """Every team's posts and people; a team manager sees their own team's only."""
    return _staff(user) and user.role in VIEW_ROLES and user.role != Role.TEAM_MANAGER


@rules.predicate
def views_workforce(user: Any) -> bool:
    return _staff(user) and user.role in VIEW_ROLES


@rules.predicate
def manages_establishment(user: Any) -> bool:
    return _staff(user) and user.role in MANAGE_ROLES


@rules.predicate
def exports_csww(user: Any) -> bool:
    return _staff(user) and user.role in CSWW_ROLES


@rules.predicate
def sees_hr_of(user: Any, worker: Any) -> bool:
    if not _same_council(user, worker):
        return False
    if user.role in LEADER_ROLES:
        return True
    return user.role == Role.TEAM_MANAGER and user.team_id is not None and worker.team_id == user.team_id


@rules.predicate
def records_hr_of(user: Any, worker: Any) -> bool:
    if not _same_council(user, worker):
        return False
    if user.role in LEADER_ROLES:
        return True
    return (user.role == Role.TEAM_MANAGER and user.team_id is not None and worker.team_id == user.team_id
            and worker.pk != user.pk)


rules.add_perm("workforce.view_workforce", views_workforce)
rules.add_perm("workforce.view_measures", views_workforce)
rules.add_perm("workforce.manage_establishment", manages_establishment)
rules.add_perm("workforce.export_csww", exports_csww)
rules.add_perm("workforce.view_hr_records", sees_hr_of)
rules.add_perm("workforce.record_hr", records_hr_of)
