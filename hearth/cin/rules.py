"""Who may do what in a child's social care record. Record-level access to the child comes first."""

import rules

from hearth.access.policy import can_view_person
from hearth.accounts.roles import MANAGER_ROLES
from hearth.people.models import Person


@rules.predicate
def may_work_on(user, item) -> bool:
    # ``item`` is a CIN episode, assessment or plan, or the child itself.
    child = item if isinstance(item, Person) else getattr(item, "child", None)
    return bool(child is not None and user.is_authenticated and user.has_case_access and can_view_person(user, child))


@rules.predicate
def is_manager(user) -> bool:
    return bool(user.is_authenticated and user.role in MANAGER_ROLES)


@rules.predicate
def is_someone_elses(user, item) -> bool:
    # A manager never authorises an assessment they carried out themselves.
    return getattr(item, "worker_id", None) != user.pk


rules.add_perm("cin.record_work", may_work_on)
# Authorising an assessment, and returning it for more work, is a manager's decision (domain.md §2).
rules.add_perm("cin.authorise_assessment", is_manager & may_work_on & is_someone_elses)
