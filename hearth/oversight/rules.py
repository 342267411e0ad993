import rules

from hearth.access.policy import can_view_person
from hearth.accounts.roles import MANAGER_ROLES

from .services import GATE_KEEPER_ROLES


@rules.predicate
def is_case_manager(user) -> bool:
    return user.is_authenticated and user.has_case_access and user.role in MANAGER_ROLES


@rules.predicate
def is_service_leader(user) -> bool:
    return user.is_authenticated and user.has_case_access and user.role in GATE_KEEPER_ROLES


@rules.predicate
def may_see_child(user, child) -> bool:
    # Oversight of a contact whose child is not yet identified hides no one.
    return child is None or can_view_person(user, child)


# A manager records oversight only of decisions about children they may see.
rules.add_perm("oversight.record_oversight", is_case_manager & may_see_child)
# Service managers and directors set the council's gates.
rules.add_perm("oversight.change_gates", is_service_leader)
