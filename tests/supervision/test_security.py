"""Supervision is private to the worker and their managers; children discussed are shown only to those who may
open them, and reading a discussion is logged as reading the child's record."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from hearth.access.models import AccessEvent
from hearth.accounts.roles import Role
from hearth.allocations.services import allocation_start
from hearth.people.models import Person
from hearth.supervision.models import CaseDiscussion
from tests.conftest import client_for
from tests.factories import make_person, make_team, make_user
from tests.supervision.factories import arrange, make_session

TODAY = timezone.localdate()


def _discuss(session, child) -> CaseDiscussion:
    discussion = CaseDiscussion(local_authority_id=session.local_authority_id, session=session, child=child,
                                discussion=f"About {child.first_name}", decisions="Visit weekly",
                                actions_due_on=TODAY, plan_progress="yes")
    discussion.save(by="test")
    return discussion


def _urls(s, session) -> list[str]:
    return [f"/supervision/workers/{s.worker.pk}/", f"/supervision/sessions/{session.pk}/",
            f"/supervision/workers/{s.worker.pk}/record/", f"/supervision/sessions/{session.pk}/change/",
            f"/supervision/workers/{s.worker.pk}/not-held/", f"/supervision/workers/{s.worker.pk}/arrangements/"]


def test_a_peer_cannot_read_or_record_another_workers_supervision(supervised):
    s = supervised
    session = make_session(s.worker, s.manager, TODAY, wellbeing="Private: struggling after a bereavement")
    for who in (s.peer, s.senior, s.other_manager, s.analyst):
        client = client_for(who)
        for url in _urls(s, session):
            response = client.get(url)
            assert response.status_code == 403, (who, url)
            assert "bereavement" not in response.content.decode()
        assert client.post(f"/supervision/sessions/{session.pk}/", {"version": "1", "comments": "x"}
                           ).status_code == 403


def test_another_councils_staff_find_nothing(supervised, other_la):
    s = supervised
    session = make_session(s.worker, s.manager, TODAY)
    outsider = make_user(other_la, Role.SERVICE_MANAGER)
    client = client_for(outsider)
    for url in [*_urls(s, session), f"/supervision/teams/{s.team.pk}/",
                f"/supervision/children/{s.children[0].pk}/discussions/1/"]:
        assert client.get(url).status_code == 404, url


def test_the_worker_their_manager_their_named_supervisor_and_leaders_can_read(supervised):
    s = supervised
    session = make_session(s.worker, s.manager, TODAY)
    arrange(s.worker, supervisor=s.senior)
    for who in (s.worker, s.manager, s.senior, s.head):
        assert client_for(who).get(f"/supervision/sessions/{session.pk}/").status_code == 200, who
    # The named supervisor records; the worker cannot record their own.
    assert client_for(s.senior).get(f"/supervision/workers/{s.worker.pk}/record/").status_code == 200
    assert client_for(s.worker).get(f"/supervision/workers/{s.worker.pk}/record/").status_code == 403


def test_a_team_manager_does_not_read_a_fellow_managers_supervision(supervised, la):
    s = supervised
    fellow = make_user(la, Role.TEAM_MANAGER, s.team, started_on=date(2024, 1, 1), last_name="Fellow")
    session = make_session(fellow, s.head, TODAY)
    client = client_for(s.manager)
    assert client.get(f"/supervision/sessions/{session.pk}/").status_code == 403
    assert "Fellow" not in client.get("/supervision/").content.decode()


def test_another_teams_manager_cannot_open_the_team(supervised):
    s = supervised
    client = client_for(s.other_manager)
    assert client.get(f"/supervision/teams/{s.team.pk}/").status_code == 403
    assert client.get(f"/supervision/teams/{s.team.pk}/children/").status_code == 403


def test_an_analyst_sees_figures_and_no_names(supervised):
    s = supervised
    make_session(s.worker, s.manager, TODAY - timedelta(days=50))
    page = client_for(s.analyst).get("/supervision/")
    text = page.content.decode()
    assert page.status_code == 200 and "Safeguarding North" in text
    for name in ("Okafor", "Evans", "Peer", "Senior", "Whitfield"):
        assert name not in text
    assert f"/supervision/teams/{s.team.pk}/" not in text
    assert client_for(s.analyst).get(f"/supervision/teams/{s.team.pk}/").status_code == 403


def test_supervision_pages_are_not_for_roles_outside_it(supervised, la):
    for role in (Role.BUSINESS_SUPPORT, Role.EDUCATION_OFFICER, Role.SYSTEM_ADMIN):
        assert client_for(make_user(la, role)).get("/supervision/").status_code == 403


def test_reading_a_session_logs_each_child_discussed_and_hides_restricted_ones(supervised, la):
    s = supervised
    hidden = make_person(la, Person.AccessLevel.RESTRICTED, first_name="Alexis", last_name="Marchetti")
    sealed = make_person(la, Person.AccessLevel.SEALED, first_name="Sealed", last_name="Secret")
    for child in (hidden, sealed):
        allocation_start(child=child, team=s.team, worker=s.worker, started_on=date(2025, 3, 1), by="test")
    session = make_session(s.worker, s.manager, TODAY)
    for child in (*s.children, hidden, sealed):
        _discuss(session, child)
    # The head of service is not on the restricted children's allow list.
    page = client_for(s.head).get(f"/supervision/sessions/{session.pk}/")
    text = page.content.decode()
    assert "Jordan Whitfield" in text and "Kai Brennan" in text
    assert "Marchetti" not in text and "Secret" not in text and "About Alexis" not in text
    assert "1 discussion of a restricted record is not shown" in text
    logged = set(AccessEvent.objects.filter(user=s.head, action=AccessEvent.Action.VIEW)
                 .values_list("person_id", flat=True))
    assert logged == {c.pk for c in s.children}
    # The team manager, allow-listed with the team, sees them all.
    assert "Marchetti" in client_for(s.manager).get(f"/supervision/sessions/{session.pk}/").content.decode()


def test_the_case_discussion_page_is_part_of_the_childs_record(supervised, la):
    s = supervised
    session = make_session(s.worker, s.manager, TODAY, wellbeing="Private wellbeing note")
    discussion = _discuss(session, s.children[0])
    url = f"/supervision/children/{s.children[0].pk}/discussions/{discussion.pk}/"
    # Anyone who may open the child reads the discussion (not the rest of the supervision), and it is logged.
    page = client_for(s.peer).get(url)
    assert page.status_code == 200 and "About Jordan" in page.content.decode()
    assert "Private wellbeing note" not in page.content.decode()
    assert AccessEvent.objects.filter(user=s.peer, person=s.children[0], action="view").exists()
    # Under the wrong child it is not found.
    assert client_for(s.peer).get(f"/supervision/children/{s.children[1].pk}/discussions/{discussion.pk}/"
                                  ).status_code == 404
    hidden = make_person(la, Person.AccessLevel.RESTRICTED)
    allocation_start(child=hidden, team=s.team, worker=s.worker, started_on=date(2025, 3, 1), by="test")
    secret = _discuss(session, hidden)
    refused = client_for(s.other_manager).get(f"/supervision/children/{hidden.pk}/discussions/{secret.pk}/")
    assert refused.status_code == 403 and "About" not in refused.content.decode()


@pytest.mark.parametrize("level", [Person.AccessLevel.RESTRICTED, Person.AccessLevel.SEALED])
def test_protected_children_are_not_named_in_lists(supervised, la, level):
    s = supervised
    other = make_team(la, "Other")
    worker = make_user(la, Role.SOCIAL_WORKER, other, started_on=date(2024, 1, 1))
    hidden = make_person(la, level, first_name="Hidden", last_name="Protected")
    allocation_start(child=hidden, team=s.team, worker=s.worker, started_on=date(2025, 3, 1), by="test")
    allocation_start(child=make_person(la, level, first_name="Also", last_name="Protected"), team=other,
                     worker=worker, started_on=date(2025, 3, 1), by="test")
    client = client_for(s.head)
    for url in (f"/supervision/teams/{s.team.pk}/children/", f"/supervision/teams/{other.pk}/children/",
                f"/supervision/workers/{s.worker.pk}/record/", "/supervision/"):
        assert "Protected" not in client.get(url).content.decode(), url
    record = client.get(f"/supervision/workers/{s.worker.pk}/record/").content.decode()
    restricted_note = "1 restricted record on the caseload is not listed"
    assert (restricted_note in record) == (level == Person.AccessLevel.RESTRICTED)


def _discussed_cell(html: str, session) -> str:
    """The "Children discussed" figure in the sessions table row for ``session``."""
    import re

    for row in re.findall(r'<tr class="govuk-table__row">(.*?)</tr>', html, re.S):
        if f"/supervision/sessions/{session.pk}/" in row:
            cells = [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
            return next(c for c in cells if c.isdigit())
    raise AssertionError(f"no row for session {session.pk}")


def test_lists_of_sessions_do_not_count_a_sealed_childs_discussion(supervised, la):
    """The session page counts a restricted child's discussion ("a restricted record") and says nothing of a
    sealed child's: the worker's and the team's lists of sessions count the same way."""
    s = supervised
    restricted = make_person(la, Person.AccessLevel.RESTRICTED)
    sealed = make_person(la, Person.AccessLevel.SEALED)
    session = make_session(s.worker, s.manager, TODAY - timedelta(days=1))
    for child in (*s.children, restricted, sealed):
        _discuss(session, child)
    client = client_for(s.head)  # not on either protected record's allow list
    assert _discussed_cell(client.get(f"/supervision/workers/{s.worker.pk}/").content.decode(), session) == "3"
    assert _discussed_cell(client.get(f"/supervision/teams/{s.team.pk}/").content.decode(), session) == "3"
    page = client.get(f"/supervision/sessions/{session.pk}/").content.decode()
    assert "Case discussions (2)" in page and "1 discussion of a restricted record is not shown" in page


def test_changing_a_session_logs_each_child_whose_discussion_it_shows(supervised):
    s = supervised
    session = make_session(s.worker, s.manager, TODAY - timedelta(days=1))
    for child in s.children:
        _discuss(session, child)
    page = client_for(s.manager).get(f"/supervision/sessions/{session.pk}/change/")
    assert page.status_code == 200 and "About Jordan" in page.content.decode()
    logged = set(AccessEvent.objects.filter(user=s.manager, action=AccessEvent.Action.VIEW)
                 .values_list("person_id", flat=True))
    assert logged == {c.pk for c in s.children}
