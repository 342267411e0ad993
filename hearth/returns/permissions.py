"""Who may run, download and read the statutory returns.

(``rules.py`` is the usual home of an app's permissions, but ``hearth.returns.rules`` is the validation
package; ``ReturnsConfig.ready`` registers these, so every process has them.)

Running and downloading a return is council-level work: performance analysts, service managers / heads of
service and the director. A team manager reads the findings about the children their team holds, so the
team can put them right; they cannot run a return or download one (the file holds every child).
"""

from __future__ import annotations

import rules

from hearth.accounts.roles import Role

RUN_ROLES = frozenset({Role.PERFORMANCE_ANALYST, Role.SERVICE_MANAGER, Role.DIRECTOR})


@rules.predicate
def may_run_returns(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.local_authority_id is not None
                and user.role in RUN_ROLES)


@rules.predicate
def reads_team_findings(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.local_authority_id is not None
                and user.role == Role.TEAM_MANAGER and user.team_id is not None)


@rules.predicate
def same_council(user, run) -> bool:
    return run is not None and run.local_authority_id == user.local_authority_id


rules.add_perm("returns.run_returns", may_run_returns)
rules.add_perm("returns.download_return", may_run_returns)
rules.add_perm("returns.submit_return", may_run_returns)
rules.add_perm("returns.view_returns", may_run_returns | reads_team_findings)
rules.add_perm("returns.view_run", (may_run_returns | reads_team_findings) & same_council)
