from __future__ import annotations

from django.test import RequestFactory
from django.urls import NoReverseMatch, reverse

from hearth.accounts.roles import Role
from hearth.workspace.context_processors import _nav_entries, shell
from tests.conftest import client_for
from tests.factories import make_user


def _labels(user) -> list[str]:
    request = RequestFactory().get("/")
    request.user = user
    return [item["label"] for item in shell(request)["nav_items"]]


def _exists(name: str) -> bool:
    try:
        reverse(name)
    except NoReverseMatch:
        return False
    return True


def test_managers_get_their_trays_in_the_navigation(la, team, team_manager, social_worker):
    assert "Team tray" in _labels(team_manager) and "Service overview" not in _labels(team_manager)
    assert "Team tray" not in _labels(social_worker)
    hos = make_user(la, Role.SERVICE_MANAGER)
    assert "Service overview" in _labels(hos)
    if _exists("front_door:queue"):
        assert "Front door" in _labels(social_worker)


def test_a_partner_sees_only_their_referrals(la):
    partner = make_user(la, Role.PARTNER_REFERRER)
    entries = [label for label, _url in _nav_entries(partner)]
    assert entries == ["Make a referral", "Your referrals"]
    labels = _labels(partner)
    for staff_only in ("My work", "Find a child", "Front door", "My team"):
        assert staff_only not in labels


def test_a_partner_signing_in_lands_on_their_referrals(la):
    partner = make_user(la, Role.PARTNER_REFERRER)
    response = client_for(partner).get("/")
    if _exists("portal:list"):
        assert response.status_code == 302 and response.url == reverse("portal:list")
    else:
        assert response.status_code == 200
