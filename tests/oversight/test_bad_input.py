"""Oversight under bad input, double sending and two managers at once."""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from hearth.accounts.roles import Role
from hearth.oversight.models import DecisionPoint, ManagementOversight
from hearth.protection.models import Section47Enquiry
from tests.conftest import client_for
from tests.factories import make_person, make_user
from tests.workspace.bad_input_helpers import assert_error_beside, checked, token_from, walk
from tests.worktrays.factories import make_completed_s47, make_episode

pytestmark = pytest.mark.django_db


def _record_url(la) -> str:
    child = make_person(la)
    s47 = make_completed_s47(child, make_episode(child), completed_on=timezone.localdate())
    ct = ContentType.objects.get_for_model(Section47Enquiry)
    return f"/oversight/record/{DecisionPoint.S47_OUTCOME}/{ct.pk}/{s47.pk}/"


def test_two_service_managers_changing_gates_the_second_is_told_who_and_keeps_their_ticks(la) -> None:
    hos = make_user(la, Role.SERVICE_MANAGER, username="hos")
    dcs = make_user(la, Role.DIRECTOR, first_name="Dana", last_name="Cole", username="dcs")
    stale = client_for(hos).get("/oversight/gates/").context["form"]["fingerprint"].value()
    client_for(dcs).post("/oversight/gates/", {"required": [DecisionPoint.CONTACT_DECISION], "fingerprint": stale})
    response = client_for(hos).post("/oversight/gates/", {"required": [DecisionPoint.CIN_CLOSURE],
                                                          "fingerprint": stale})
    assert_error_beside(response, "required", "Last saved by Dana Cole")
    assert checked(response, "required", DecisionPoint.CIN_CLOSURE)


def test_oversight_sent_twice_is_recorded_once(la, team_manager) -> None:
    url = _record_url(la)
    client = client_for(team_manager)
    data = {"rationale": "Threshold met; ICPC agreed", "submission_token": token_from(client.get(url))}
    client.post(url, data)
    client.post(url, data)
    assert ManagementOversight.objects.count() == 1


def test_a_blank_rationale_is_refused_beside_the_box(la, team_manager) -> None:
    response = client_for(team_manager).post(_record_url(la), {"rationale": "   "})
    assert_error_beside(response, "rationale", "Enter the rationale for the decision")


def test_oversight_forms_survive_junk(la, team_manager) -> None:
    service_manager = make_user(la, Role.SERVICE_MANAGER, username="sm")
    assert walk(client_for(team_manager), _record_url(la), {"rationale": "r"}) == []
    assert walk(client_for(service_manager), "/oversight/gates/", {}) == []
