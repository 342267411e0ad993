"""Who may read and keep the improvement programme, for every role."""

from __future__ import annotations

from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hearth.accounts.roles import Role
from hearth.improvement import rules
from tests.factories import make_la, make_user
from tests.improvement.factories import make_action
from tests.improvement.plan_world import PlanWorld

READERS = {Role.DIRECTOR, Role.SERVICE_MANAGER, Role.IMPROVEMENT_MANAGER, Role.PERFORMANCE_ANALYST}
KEEPERS = {Role.IMPROVEMENT_MANAGER, Role.DIRECTOR, Role.SERVICE_MANAGER}
BOARD = {Role.IMPROVEMENT_MANAGER, Role.DIRECTOR}
# Those who may own an action: an owner outside the readers reads the plan they report on.
OWNERS = READERS | {Role.TEAM_MANAGER, Role.IRO, Role.EXPLOITATION_LEAD, Role.FINANCE_OFFICER, Role.SENIOR_PRACTITIONER}


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(role=st.sampled_from(list(Role)), owns=st.booleans())
def test_every_role_reads_and_keeps_the_programme_as_the_rules_say(w: PlanWorld, role: Role, owns: bool):
    user = make_user(w.la, role)
    if owns:
        make_action(w.la, owner=user, due_on=date(2027, 1, 1))
    staff = role != Role.PARTNER_REFERRER
    assert user.has_perm("improvement.view_improvement") == (staff and (role in READERS or (owns and role in OWNERS)))
    assert user.has_perm("improvement.manage_plan") == (role in KEEPERS)
    assert user.has_perm("improvement.view_board") == (role in READERS)
    assert user.has_perm("improvement.manage_board") == (role in BOARD)
    assert user.has_perm("improvement.edit_self_evaluation") == (role in KEEPERS)
    # Someone else's action: only those who keep the plan may update it; their own, any member of staff.
    assert user.has_perm("improvement.update_action", w.action_2) == (role in KEEPERS)
    mine = make_action(w.la, owner=user, due_on=date(2027, 1, 1)) if staff else None
    if mine is not None:
        assert user.has_perm("improvement.update_action", mine)


def test_nobody_from_another_council_updates_an_action(w: PlanWorld):
    outsider = make_user(make_la(name="Elsewhere"), Role.DIRECTOR)
    assert not outsider.has_perm("improvement.update_action", w.action_1)
    assert outsider.has_perm("improvement.view_improvement")  # their own council's programme


def test_owning_an_action_is_asked_once_per_request(w: PlanWorld, django_assert_num_queries):
    user = w.owner
    with django_assert_num_queries(1):
        assert rules.views_improvement(user)
        assert rules.views_improvement(user)
