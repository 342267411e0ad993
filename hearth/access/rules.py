import rules

from hearth.accounts.roles import MANAGER_ROLES

from .policy import can_break_glass, can_view_person


@rules.predicate
def may_view_person(user, person) -> bool:
    return person is not None and can_view_person(user, person)


@rules.predicate
def may_break_glass(user, person) -> bool:
    return person is not None and can_break_glass(user, person)


@rules.predicate
def is_manager(user) -> bool:
    return user.is_authenticated and user.role in MANAGER_ROLES


@rules.predicate
def is_dpo_of_same_council(user, person) -> bool:
    return (
        person is not None
        and user.is_authenticated
        and user.is_data_protection_officer
        and user.local_authority_id == person.local_authority_id
    )


rules.add_perm("people.view_person", may_view_person)
rules.add_perm("people.change_person", may_view_person)
rules.add_perm("people.break_glass", may_break_glass)
# Managers who can see the record, and data-protection officers of the same council.
rules.add_perm("access.view_access_log", (is_manager & may_view_person) | is_dpo_of_same_council)
