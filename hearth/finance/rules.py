"""Who may read the children's services budget, enter its figures, and change the projection's assumptions.

Budget monitoring is read by the people who answer for it (the director, heads of service), the people who
report on it (the improvement manager for the board, performance analysts) and the finance business partner
who keeps it. Figures (budgets, month closes, reserves, grants, unit costs) are entered by the finance business
partner or the director. The demand projection's assumptions are a service judgement as much as a financial
one, so heads of service may change them too. No finance page names a child.
"""

from __future__ import annotations

import rules

from hearth.accounts.roles import Role

VIEW_ROLES = frozenset({Role.DIRECTOR, Role.SERVICE_MANAGER, Role.IMPROVEMENT_MANAGER, Role.FINANCE_OFFICER,
                        Role.PERFORMANCE_ANALYST})
MANAGE_ROLES = frozenset({Role.FINANCE_OFFICER, Role.DIRECTOR})
PROJECTION_ROLES = frozenset({Role.FINANCE_OFFICER, Role.DIRECTOR, Role.SERVICE_MANAGER})


def _staff(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.local_authority_id is not None)


@rules.predicate
def reads_finance(user) -> bool:
    return _staff(user) and user.role in VIEW_ROLES


@rules.predicate
def manages_finance(user) -> bool:
    return _staff(user) and user.role in MANAGE_ROLES


@rules.predicate
def edits_projection(user) -> bool:
    return _staff(user) and user.role in PROJECTION_ROLES


rules.add_perm("finance.view_finance", reads_finance)
rules.add_perm("finance.manage_finance", manages_finance)
rules.add_perm("finance.edit_projection", edits_projection)
