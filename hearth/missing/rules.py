"""Who may do what with missing episodes, return interviews and exploitation patterns.

Record-level access to the child comes first (``may_view_person``). The council-wide views are for the
people whose job they are: advocates for the return interview tray, the exploitation lead and managers
for patterns.
"""

import rules

from hearth.access.rules import is_manager, may_view_person
from hearth.accounts.roles import Role


@rules.predicate
def is_missing_advocate(user) -> bool:
    return bool(user.is_authenticated and user.role == Role.MISSING_ADVOCATE)


@rules.predicate
def is_exploitation_lead(user) -> bool:
    return bool(user.is_authenticated and user.role == Role.EXPLOITATION_LEAD)


# Anyone who works with cases and may open the child records a missing episode: the duty worker, the
# child's social worker, the advocate, business support taking a call from the police.
rules.add_perm("missing.record", may_view_person)
rules.add_perm("missing.view_tray", is_missing_advocate | is_exploitation_lead | is_manager)
rules.add_perm("missing.view_patterns", is_exploitation_lead | is_manager)
