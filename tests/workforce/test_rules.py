"""Who may see and change what: each permission for each role, and, for any role, that a member of staff sees
only their own council's posts and people (a team manager only their team's), and HR records only when allowed."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from hearth.accounts.roles import Role
from hearth.workforce.rules import LEADER_ROLES, VIEW_ROLES
from hearth.workforce.selectors import posts_for, workers_for
from tests.factories import make_la, make_team, make_user
from tests.workforce.factories import make_absence, make_appointment, make_funding, make_post

VIEWERS = {Role.DIRECTOR, Role.SERVICE_MANAGER, Role.IMPROVEMENT_MANAGER, Role.PERFORMANCE_ANALYST,
           Role.FINANCE_OFFICER, Role.TEAM_MANAGER}


@pytest.mark.parametrize("role", list(Role))
def test_each_roles_permissions(la, role):
    team = make_team(la)
    user = make_user(la, role, team)
    mate, stranger = make_user(la, team=team), make_user(la, team=make_team(la))
    assert user.has_perm("workforce.view_workforce") == (role in VIEWERS)
    assert user.has_perm("workforce.view_measures") == (role in VIEWERS)
    assert user.has_perm("workforce.manage_establishment") == (
        role in {Role.DIRECTOR, Role.SERVICE_MANAGER, Role.FINANCE_OFFICER})
    assert user.has_perm("workforce.export_csww") == (
        role in {Role.DIRECTOR, Role.SERVICE_MANAGER, Role.PERFORMANCE_ANALYST})
    leader = role in {Role.DIRECTOR, Role.SERVICE_MANAGER}
    assert user.has_perm("workforce.view_hr_records", mate) == (leader or role == Role.TEAM_MANAGER)
    assert user.has_perm("workforce.view_hr_records", stranger) == leader
    assert user.has_perm("workforce.record_hr", mate) == (leader or role == Role.TEAM_MANAGER)
    assert user.has_perm("workforce.record_hr", stranger) == leader
    # A team manager sees their own HR record but does not keep it.
    assert user.has_perm("workforce.record_hr", user) == leader


def test_hr_records_of_another_council_are_never_shown(la, other_la):
    director = make_user(la, Role.DIRECTOR)
    assert not director.has_perm("workforce.view_hr_records", make_user(other_la))
    assert not director.has_perm("workforce.record_hr", make_user(other_la))


def test_an_inactive_account_has_no_workforce_permissions(la):
    director = make_user(la, Role.DIRECTOR, is_active=False)
    assert not director.has_perm("workforce.view_workforce")


def test_the_role_sets_agree_with_the_brief():
    assert VIEW_ROLES == VIEWERS
    assert {Role.DIRECTOR, Role.SERVICE_MANAGER} == LEADER_ROLES


class ScopingForAnyRole(TestCase):
    """For any role, in either team: nothing of another council, a team manager nothing of another team, and an
    absence only where the HR permission allows, on the lists and on the pages."""

    @settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(role=st.sampled_from(list(Role)), in_team_a=st.booleans(), on_team=st.booleans())
    def test_staff_see_only_what_their_role_allows(self, role, in_team_a, on_team):
        la, other = make_la(), make_la(name="Another Council")
        team_a, team_b, theirs = make_team(la, "A"), make_team(la, "B"), make_team(other, "Theirs")
        posts = {"PA": make_post(la, team=team_a, reference="PA"), "PB": make_post(la, team=team_b, reference="PB"),
                 "PX": make_post(other, team=theirs, reference="PX-THEIRS")}
        for each in posts.values():
            make_funding(each, source="reserve", ends_on=date(2027, 1, 31))
        workers = {"A": make_user(la, team=team_a, last_name="Alpha"), "B": make_user(la, team=team_b,
                                                                                       last_name="Bravo"),
                   "X": make_user(other, team=theirs, last_name="Xray")}
        for key, reference in (("A", "PA"), ("B", "PB"), ("X", "PX")):
            make_appointment(workers[key], post=posts[reference], starts_on=date(2025, 1, 1))
            make_absence(workers[key], working_days_lost="3")
        user = make_user(la, role, (team_a if in_team_a else team_b) if on_team else None)
        self.client.force_login(user)
        today = date(2026, 11, 23)

        seen_posts = list(posts_for(user=user, on=today, status="all"))
        seen_workers = list(workers_for(user=user, on=today, status="all"))
        assert all(p.local_authority_id == la.pk for p in seen_posts)
        assert all(w.local_authority_id == la.pk for w in seen_workers)
        if role == Role.TEAM_MANAGER:
            assert all(p.team_id == user.team_id for p in seen_posts)
            assert all(w.team_id == user.team_id for w in seen_workers)

        pages = ["/workforce/", "/workforce/posts/", "/workforce/sustainability/", "/workforce/people/",
                 "/workforce/sustainability.csv"]
        for url in pages:
            response = self.client.get(url)
            if role not in VIEWERS:
                assert response.status_code == 403, url
                continue
            assert response.status_code == 200, url
            body = response.content.decode()
            assert "PX-THEIRS" not in body and "Xray" not in body, url
            if role == Role.TEAM_MANAGER:
                hidden = "PB" if in_team_a else "PA"
                if on_team:
                    assert f">{hidden}<" not in body and f",{hidden}," not in body, url
        # Another council's worker is never found; an absence is shown only with the HR permission.
        assert self.client.get(f"/workforce/people/{workers['X'].pk}/").status_code in (403, 404)
        for key in ("A", "B"):
            response = self.client.get(f"/workforce/people/{workers[key].pk}/")
            if role not in VIEWERS:
                assert response.status_code == 403
                continue
            if role == Role.TEAM_MANAGER and workers[key].team_id != user.team_id:
                assert response.status_code == 404
                continue
            assert response.status_code == 200
            shows_absences = 'id="absences"' in response.content.decode()
            assert shows_absences == user.has_perm("workforce.view_hr_records", workers[key])
            if role in (Role.PERFORMANCE_ANALYST, Role.FINANCE_OFFICER, Role.IMPROVEMENT_MANAGER):
                assert not shows_absences
