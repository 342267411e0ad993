"""Who may see the council's performance, drill into it, and set targets.

Performance analysts, team managers, heads of service and the director read the indicators. Drill-down
lists name children only to those who may open their records (``hearth.access``); an analyst sees every
child pseudonymised. Targets are set by heads of service and the director.
"""

from __future__ import annotations

import rules

from hearth.accounts.roles import Role

# The inspection and improvement manager reads the council's performance as an analyst does: figures and
# pseudonymised lists, never a child's name (they work with the plan, not with cases).
PSEUDONYMISED_ROLES = frozenset({Role.PERFORMANCE_ANALYST, Role.IMPROVEMENT_MANAGER})
READ_ROLES = PSEUDONYMISED_ROLES | {Role.TEAM_MANAGER, Role.SERVICE_MANAGER, Role.DIRECTOR}
COUNCIL_ROLES = PSEUDONYMISED_ROLES | {Role.SERVICE_MANAGER, Role.DIRECTOR}
TARGET_ROLES = frozenset({Role.SERVICE_MANAGER, Role.DIRECTOR})


def _staff(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.local_authority_id is not None)


@rules.predicate
def reads_performance(user) -> bool:
    return _staff(user) and user.role in READ_ROLES


@rules.predicate
def reads_council_performance(user) -> bool:
    return _staff(user) and user.role in COUNCIL_ROLES


@rules.predicate
def sets_targets(user) -> bool:
    return _staff(user) and user.role in TARGET_ROLES


@rules.predicate
def pseudonymised(user) -> bool:
    return _staff(user) and user.role in PSEUDONYMISED_ROLES


rules.add_perm("indicators.view_performance", reads_performance)
rules.add_perm("indicators.view_council_performance", reads_council_performance)
rules.add_perm("indicators.set_targets", sets_targets)
rules.add_perm("indicators.see_pseudonymised_only", pseudonymised)
