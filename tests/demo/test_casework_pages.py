"""The seeded casework opens in the app's own pages: the front door, the portal, the trays and a child's record."""

from __future__ import annotations

import pytest
from django.urls import reverse

from hearth.accounts.models import User
from hearth.front_door.models import Contact, EarlyHelpEpisode
from hearth.portal.models import PartnerReferral
from hearth.protection.models import ChildProtectionPlan
from tests.conftest import client_for


@pytest.fixture
def seeded(db):
    from hearth.demo.council import build_council

    return build_council(size="small", seed=31)


def _ok(user: User, url: str) -> str:
    response = client_for(user).get(url, follow=True)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def test_seeded_casework_opens_in_the_pages_that_show_it(seeded):
    tm, sw, hos = (User.objects.get(username=u) for u in ("tm.demo", "sw.demo", "hos.demo"))
    fd_manager = User.objects.get(team__kind="front_door", role="team_manager")
    queue = _ok(fd_manager, reverse("front_door:queue"))
    waiting = Contact.objects.exclude(status="decided").order_by("received_at").first()
    assert waiting is not None and waiting.reference in queue
    for contact in [waiting, Contact.objects.filter(status="decided").exclude(child=None).first()]:
        _ok(fd_manager, reverse("front_door:contact", kwargs={"pk": contact.pk}))
    early_help = EarlyHelpEpisode.objects.first()
    _ok(fd_manager, reverse("front_door:early_help", kwargs={"pk": early_help.pk}))
    _ok(fd_manager, reverse("front_door:mystery_shop"))

    dsl = User.objects.get(username="dsl.demo")
    mine = _ok(dsl, reverse("portal:list"))
    referral = PartnerReferral.objects.filter(submitted_by=dsl).first()
    assert referral is not None and referral.reference[:4] in mine
    _ok(dsl, reverse("portal:detail", kwargs={"reference": referral.reference}))

    for user in (sw, tm):
        _ok(user, reverse("worktrays:worker"))
    _ok(tm, reverse("worktrays:team"))
    _ok(hos, reverse("worktrays:service"))

    plan = ChildProtectionPlan.objects.filter(ended_on=None).first()
    assert plan is not None
    _ok(hos, reverse("cin:overview", kwargs={"person_pk": plan.child_id}))
    _ok(hos, reverse("protection:plan", kwargs={"person_pk": plan.child_id, "pk": plan.pk}))
    episode = plan.episode
    _ok(hos, reverse("cin:episode", kwargs={"person_pk": plan.child_id, "pk": episode.pk}))
    assessment = episode.assessments.first()
    if assessment is not None:
        _ok(hos, reverse("cin:assessment", kwargs={"person_pk": plan.child_id, "pk": assessment.pk}))
    conference = plan.conferences.first()
    _ok(hos, reverse("protection:conference", kwargs={"person_pk": plan.child_id, "pk": conference.pk}))
