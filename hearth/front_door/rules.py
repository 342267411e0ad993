"""Who may do what at the front door. Record-level access to the child is checked on top of these."""

import rules

from hearth.accounts.roles import MANAGER_ROLES


@rules.predicate
def works_with_cases(user) -> bool:
    # Staff in CASE_ROLES of a council: not partners (they see their own referrals) nor analysts.
    return bool(user.is_authenticated and user.has_case_access)


@rules.predicate
def is_case_manager(user) -> bool:
    return bool(user.is_authenticated and user.has_case_access and user.role in MANAGER_ROLES)


@rules.predicate
def may_decide_contact(user, contact) -> bool:
    from .services import may_decide

    if contact is None:
        return bool(user.is_authenticated and user.has_case_access)
    return may_decide(contact=contact, user=user)


rules.add_perm("front_door.view_queue", works_with_cases)
rules.add_perm("front_door.record_contact", works_with_cases)
rules.add_perm("front_door.screen_contact", works_with_cases)
rules.add_perm("front_door.decide_contact", may_decide_contact)
rules.add_perm("front_door.manage_early_help", works_with_cases)
rules.add_perm("front_door.view_early_help_list", is_case_manager)
rules.add_perm("front_door.record_mystery_shop", is_case_manager)
rules.add_perm("front_door.view_mystery_shop", is_case_manager)
