from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from hearth.access.models import AccessEvent
from hearth.accounts.roles import Role
from hearth.oversight.models import DecisionPoint, ManagementOversight, OversightGate
from hearth.oversight.selectors import gate_is_on
from hearth.oversight.services import oversight_record
from hearth.people.models import Person
from hearth.protection.models import Section47Enquiry
from tests.conftest import client_for
from tests.factories import make_la, make_person, make_team, make_user
from tests.worktrays.factories import make_completed_s47, make_contact, make_episode


def _s47(la, level=Person.AccessLevel.OPEN, first_name="Casey"):
    child = make_person(la, level, first_name=first_name)
    return make_completed_s47(child, make_episode(child), completed_on=timezone.localdate())


def _url(s47: Section47Enquiry, point: str = DecisionPoint.S47_OUTCOME) -> str:
    ct = ContentType.objects.get_for_model(Section47Enquiry)
    return f"/oversight/record/{point}/{ct.pk}/{s47.pk}/"


def test_a_manager_records_oversight_and_goes_back_to_the_safe_next_page(la, team_manager):
    s47 = _s47(la)
    client = client_for(team_manager)
    page = client.get(_url(s47) + "?next=/trays/team/")
    assert page.status_code == 200 and "Record management oversight" in page.content.decode()
    assert AccessEvent.objects.filter(person=s47.child, user=team_manager, action=AccessEvent.Action.VIEW).exists()
    response = client.post(_url(s47), {"rationale": "Threshold met; ICPC agreed", "next": "/trays/team/"})
    assert response.status_code == 302 and response.url == "/trays/team/"
    entry = ManagementOversight.objects.get()
    assert entry.subject == s47 and entry.child == s47.child and entry.recorded_by == team_manager
    assert entry.decision_point == DecisionPoint.S47_OUTCOME


def test_an_unsafe_next_goes_to_the_child_instead(la, team_manager):
    s47 = _s47(la)
    response = client_for(team_manager).post(_url(s47), {"rationale": "Fine", "next": "https://evil.example/"})
    assert response.status_code == 302 and not response.url.startswith("http")
    assert str(s47.child_id) in response.url


def test_a_blank_rationale_is_refused_with_a_message(la, team_manager):
    s47 = _s47(la)
    html = client_for(team_manager).post(_url(s47), {"rationale": "   "}).content.decode()
    assert "Enter the rationale for the decision" in html and "There is a problem" in html
    assert not ManagementOversight.objects.exists()


def test_only_managers_record_oversight(la, team, social_worker):
    s47 = _s47(la)
    for role in (Role.SOCIAL_WORKER, Role.SENIOR_PRACTITIONER, Role.IRO, Role.PERFORMANCE_ANALYST):
        user = make_user(la, role, team)
        assert client_for(user).post(_url(s47), {"rationale": "x"}).status_code == 403
    assert not ManagementOversight.objects.exists()


def test_another_councils_subject_or_a_hidden_child_is_not_found(la, team_manager):
    foreign = _s47(make_la(name="Elsewhere"))
    assert client_for(team_manager).get(_url(foreign)).status_code == 404
    sealed = _s47(la, Person.AccessLevel.SEALED, first_name="Hidden")
    response = client_for(team_manager).get(_url(sealed))
    assert response.status_code == 404 and "Hidden" not in response.content.decode()
    assert client_for(team_manager).post(_url(sealed), {"rationale": "x"}).status_code == 404
    assert not ManagementOversight.objects.exists()


def test_unknown_decision_points_and_models_are_not_found(la, team_manager):
    s47 = _s47(la)
    assert client_for(team_manager).get(_url(s47, "made_up")).status_code == 404
    person_ct = ContentType.objects.get_for_model(Person)
    assert client_for(team_manager).get(
        f"/oversight/record/s47_outcome/{person_ct.pk}/{s47.child_id}/").status_code == 404


def test_oversight_of_a_contact_without_a_child(la, team_manager):
    contact = make_contact(la)
    ct = ContentType.objects.get_for_model(contact)
    response = client_for(team_manager).post(f"/oversight/record/contact_decision/{ct.pk}/{contact.pk}/",
                                             {"rationale": "Refer to early help"})
    assert response.status_code == 302
    assert ManagementOversight.objects.get().child is None


def test_service_managers_switch_gates_and_see_defaults(la):
    hos = make_user(la, Role.SERVICE_MANAGER)
    client = client_for(hos)
    page = client.get("/oversight/gates/")
    html = page.content.decode()
    assert "Section 47 outcome (on by default)" in html and "Closing the case (off by default)" in html
    fingerprint = page.context["form"]["fingerprint"].value()
    ticked = [DecisionPoint.CONTACT_DECISION, DecisionPoint.CIN_CLOSURE]
    response = client.post("/oversight/gates/", {"required": ticked, "fingerprint": fingerprint})
    assert response.status_code == 302
    assert gate_is_on(local_authority=la, decision_point=DecisionPoint.CIN_CLOSURE)
    assert not gate_is_on(local_authority=la, decision_point=DecisionPoint.S47_OUTCOME)
    assert gate_is_on(local_authority=la, decision_point=DecisionPoint.CONTACT_DECISION)
    # Only the changed gates were written.
    assert set(OversightGate.objects.values_list("decision_point", flat=True)) == {
        DecisionPoint.CIN_CLOSURE, DecisionPoint.S47_OUTCOME, DecisionPoint.ASSESSMENT_AUTHORISATION,
        DecisionPoint.CP_PLAN_END}


def test_a_stale_gate_form_is_refused_and_keeps_the_ticks(la):
    hos, dcs = make_user(la, Role.SERVICE_MANAGER), make_user(la, Role.DIRECTOR)
    stale = client_for(hos).get("/oversight/gates/").context["form"]["fingerprint"].value()
    fresh_page = client_for(dcs).get("/oversight/gates/")
    client_for(dcs).post("/oversight/gates/", {"required": [DecisionPoint.CONTACT_DECISION],
                                               "fingerprint": fresh_page.context["form"]["fingerprint"].value()})
    response = client_for(hos).post("/oversight/gates/", {"required": [DecisionPoint.CIN_CLOSURE],
                                                          "fingerprint": stale})
    html = response.content.decode()
    assert response.status_code == 200 and "Someone changed the gates" in html
    assert 'value="cin_closure" checked' in html
    assert not gate_is_on(local_authority=la, decision_point=DecisionPoint.CIN_CLOSURE)


def test_team_managers_and_workers_cannot_change_gates(la, team, team_manager, social_worker):
    assert client_for(team_manager).get("/oversight/gates/").status_code == 403
    assert client_for(social_worker).post("/oversight/gates/", {"required": []}).status_code == 403
    assert not OversightGate.objects.exists()


def test_a_childs_oversight_history_in_a_fixed_number_of_queries(la, team_manager, social_worker):
    s47 = _s47(la)
    client = client_for(social_worker)
    url = f"/oversight/children/{s47.child_id}/"

    def queries_with(n: int) -> int:
        for i in range(n):
            oversight_record(subject=s47, decision_point=DecisionPoint.S47_OUTCOME, rationale=f"Reason {i}",
                             child=s47.child, by=team_manager)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    assert queries_with(1) == queries_with(10)
    assert client.get(url).content.decode().count("Reason ") == 11
    sealed = _s47(la, Person.AccessLevel.SEALED)
    assert client.get(f"/oversight/children/{sealed.child_id}/").status_code == 404
    assert make_team(la)
