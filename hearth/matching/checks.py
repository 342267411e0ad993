"""When two records must not be merged, and why.

Every check takes the two people and who is merging (a user, or a system process's name) and
returns the reason the merge is refused, in words a manager can act on, or None.

Later issues add their own with ``@merge_check``::

    from hearth.matching.checks import merge_check

    @merge_check
    def _court_orders_differ(*, survivor, merged, by):
        ...
        return "Both records have a care order, made on different dates." if ... else None

Register it in a module that is always imported (the app's ``apps.py`` ``ready()`` or its
``services.py``).

Child protection plans (issue 4): the check below already refuses when both records have an
open plan with different start dates, as soon as ``hearth.protection.selectors`` defines
``open_cp_plan_start(person) -> date | None`` (the start date of the person's open plan, or
None). Until that exists the check passes.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any

from hearth.access.policy import can_view_person

if TYPE_CHECKING:
    from hearth.people.models import Person

MergeCheck = Callable[..., "str | None"]
MERGE_CHECKS: list[MergeCheck] = []

# Where the child protection app is expected to say when a person's open plan started.
CP_PLAN_HOOKS = (("hearth.protection.selectors", "open_cp_plan_start"),)


def merge_check(func: MergeCheck) -> MergeCheck:
    """Register a check that can refuse a merge (see the module docstring)."""
    if func not in MERGE_CHECKS:
        MERGE_CHECKS.append(func)
    return func


def merge_refusal(*, survivor: Person, merged: Person, by: Any) -> str | None:
    """The first reason these two records must not be merged, or None if they may be."""
    for check in MERGE_CHECKS:
        reason = check(survivor=survivor, merged=merged, by=by)
        if reason:
            return reason
    return None


def _as_user(by: Any) -> Any:
    return None if isinstance(by, str) else by


@merge_check
def same_record(*, survivor: Person, merged: Person, by: Any) -> str | None:
    if survivor.pk == merged.pk:
        return "A record cannot be merged with itself."
    return None


@merge_check
def different_councils(*, survivor: Person, merged: Person, by: Any) -> str | None:
    if survivor.local_authority_id != merged.local_authority_id:
        return ("These records belong to different councils. The same person known to two councils keeps a "
                "record in each; they cannot be merged.")
    user = _as_user(by)
    if user is not None and user.local_authority_id != survivor.local_authority_id:
        return "These records belong to another council."
    return None


@merge_check
def already_merged(*, survivor: Person, merged: Person, by: Any) -> str | None:
    for person in (survivor, merged):
        if person.merged_into_id is not None:
            return (f"Record {person.hearth_id} has already been merged into record "
                    f"{person.merged_into_id:07d}. Review that record instead.")
    return None


@merge_check
def cannot_view(*, survivor: Person, merged: Person, by: Any) -> str | None:
    user = _as_user(by)
    if user is None:
        return None
    if not (can_view_person(user, survivor) and can_view_person(user, merged)):
        return ("One of these records is restricted and you do not have access to it. Ask someone who has "
                "access to both records to review this pair.")
    return None


@merge_check
def different_nhs_numbers(*, survivor: Person, merged: Person, by: Any) -> str | None:
    if survivor.nhs_number and merged.nhs_number and survivor.nhs_number != merged.nhs_number:
        return ("The records have different NHS numbers, so they are probably two people. If one number is "
                "wrong, correct it on that record first, then merge.")
    return None


@merge_check
def different_dates_of_death(*, survivor: Person, merged: Person, by: Any) -> str | None:
    if survivor.date_of_death and merged.date_of_death and survivor.date_of_death != merged.date_of_death:
        return ("The records have different dates of death. Check which is right and correct the other record "
                "before merging.")
    return None


def _open_cp_plan_start_hook() -> Callable[[Person], date | None] | None:
    for module_name, function_name in CP_PLAN_HOOKS:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as missing:
            if missing.name and module_name.startswith(missing.name):
                continue  # the app is not built yet
            raise
        hook = getattr(module, function_name, None)
        if callable(hook):
            return hook
    return None


@merge_check
def different_child_protection_plans(*, survivor: Person, merged: Person, by: Any) -> str | None:
    hook = _open_cp_plan_start_hook()
    if hook is None:
        return None
    started = hook(survivor), hook(merged)
    if started[0] and started[1] and started[0] != started[1]:
        return (f"Both records have an open child protection plan, started on different dates "
                f"({started[0]:%-d %B %Y} and {started[1]:%-d %B %Y}). A child has one plan: end or correct "
                "the wrong one first.")
    return None
