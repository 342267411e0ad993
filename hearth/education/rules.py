"""Who may see and work the education registers. Record-level access to each child comes first (hearth.access)."""

import rules

from hearth.access.rules import may_view_person
from hearth.accounts.roles import MANAGER_ROLES, Role

# The education welfare officers work the registers; social workers and their managers read them,
# because a child who drops out of school while known to social care is theirs to think about too.
WORKERS = frozenset({Role.EDUCATION_OFFICER})
READERS = WORKERS | {Role.SOCIAL_WORKER, Role.SENIOR_PRACTITIONER} | MANAGER_ROLES


@rules.predicate
def reads_registers(user) -> bool:
    return bool(user.is_authenticated and user.has_case_access and user.role in READERS)


@rules.predicate
def works_registers(user) -> bool:
    return bool(user.is_authenticated and user.has_case_access and user.role in WORKERS)


rules.add_perm("education.view_registers", reads_registers)
rules.add_perm("education.work_registers", works_registers)
# A case is the child's record: the reader must also be allowed to open the child.
rules.add_perm("education.view_case", reads_registers & may_view_person)
rules.add_perm("education.record", works_registers & may_view_person)
