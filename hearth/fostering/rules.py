"""Who may see and work the fostering and adoption pages.

Fostering and adoption social workers work them; managers see them. Carers' and adopters' personal data
is for council staff in those roles only: never partners, analysts or administrators (no case access).
A placement request is about a child: anyone working with cases who may open the child's record may ask.
"""

import rules

from hearth.access.rules import may_view_person
from hearth.accounts.models import Team
from hearth.accounts.roles import MANAGER_ROLES, Role


@rules.predicate
def works_in_fostering(user) -> bool:
    return bool(user.is_authenticated and user.has_case_access and user.role == Role.FOSTERING_WORKER)


@rules.predicate
def manages_cases(user) -> bool:
    return bool(user.is_authenticated and user.has_case_access and user.role in MANAGER_ROLES)


@rules.predicate
def manages_fostering_team(user) -> bool:
    return bool(user.is_authenticated and user.has_case_access and user.role in MANAGER_ROLES
                and user.team_id is not None and user.team.kind == Team.Kind.FOSTERING)


@rules.predicate
def works_with_cases(user) -> bool:
    return bool(user.is_authenticated and user.has_case_access)


rules.add_perm("fostering.view", works_in_fostering | manages_cases)
rules.add_perm("fostering.record", works_in_fostering | manages_fostering_team)
rules.add_perm("fostering.request_placement", works_with_cases & may_view_person)
