"""Recording supervision: the session, its case discussions on each child's chronology, corrections, the
supervisee's confirmation, sessions that did not go ahead, arrangements and the policy."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from hearth.audit.models import ChangeRecord, StaleVersionError
from hearth.chronology.models import ChronologyEvent, EventType
from hearth.people.models import Person
from hearth.supervision.models import CaseDiscussion, SupervisionPolicy, SupervisionSession
from hearth.supervision.schedule import MONTHS, SUPERVISED_ROLES, Interval
from hearth.supervision.selectors import policy_for, supervision_compliance
from hearth.supervision.services import (
    CHRONOLOGY_TITLE,
    DiscussionInput,
    arrangement_set,
    policy_set,
    supervision_comment,
    supervision_not_held,
    supervision_record,
    supervision_update,
)
from hearth.workspace.models import Notification
from tests.factories import make_person

TODAY = timezone.localdate()


def _discussion(child: Person, **extra) -> DiscussionInput:
    values = {"discussion": "Home visits show the plan is working; school attendance up.",
              "decisions": "Keep weekly visits; refer to the family support worker.",
              "actions_due_on": TODAY + timedelta(days=14), "plan_progress": "yes"}
    values.update(extra)
    return DiscussionInput(child=child, **values)


def _record(s, **extra) -> SupervisionSession:
    values = {"supervisee": s.worker, "held_on": TODAY, "kind": "one_to_one", "wellbeing": "Tired but coping.",
              "workload": "18 children; two to reallocate.", "by": s.manager}
    values.update(extra)
    return supervision_record(**values)


def test_recording_a_supervision_puts_each_case_discussion_on_the_childs_chronology(supervised):
    s = supervised
    session = _record(s, discussions=[_discussion(c) for c in s.children], next_on=TODAY + timedelta(days=28))
    assert session.held and session.supervisor == s.manager and session.version == 1
    assert CaseDiscussion.objects.filter(session=session).count() == 2
    for child in s.children:
        event = ChronologyEvent.objects.get(person=child, title=CHRONOLOGY_TITLE)
        discussion = CaseDiscussion.objects.get(session=session, child=child)
        assert event.event_type == EventType.MANAGEMENT_OVERSIGHT
        assert event.author == s.manager
        assert timezone.localtime(event.occurred_at).date() == TODAY
        assert (event.source_label, event.source_id) == ("supervision.CaseDiscussion", str(discussion.pk))
        assert event.link == f"/supervision/children/{child.pk}/discussions/{discussion.pk}/"
        assert "school attendance up" in event.summary and "Sam Okafor" in event.summary
        assert "Tired but coping" not in event.summary  # the worker's own supervision stays private
    # Audited in the same transaction; the worker is asked to confirm.
    assert ChangeRecord.objects.filter(model_label="supervision.SupervisionSession", object_id=str(session.pk),
                                       by_user=s.manager).exists()
    assert Notification.objects.filter(recipient=s.worker, link=f"/supervision/sessions/{session.pk}/").exists()
    # The worker is no longer overdue.
    assert supervision_compliance(local_authority=s.team.local_authority, team=s.team, on=TODAY).overdue == [
        d for d in supervision_compliance(local_authority=s.team.local_authority, team=s.team, on=TODAY).overdue
        if d.worker != s.worker]


def test_a_peer_or_the_worker_cannot_record(supervised):
    s = supervised
    for who in (s.peer, s.worker, s.analyst, s.other_manager, s.senior):
        with pytest.raises(PermissionDenied):
            _record(s, by=who)
    assert not SupervisionSession.objects.exists()


def test_a_named_supervisor_and_a_head_of_service_can_record(supervised):
    s = supervised
    arrangement_set(worker=s.worker, expected_version=0, supervisor=s.senior, asye_started_on=None, by=s.manager)
    assert _record(s, by=s.senior).supervisor == s.senior
    assert _record(s, by=s.head).supervisor == s.head
    # A team manager is supervised by a head of service.
    assert _record(s, supervisee=s.manager, by=s.head, discussions=[]).supervisee == s.manager


@pytest.mark.parametrize(("extra", "field"), [
    ({"held_on": TODAY + timedelta(days=1)}, "held_on"),
    ({"wellbeing": " ", "workload": ""}, "wellbeing"),
    ({"next_on": TODAY}, "next_on"),
    ({"kind": "chat"}, "kind"),
])
def test_bad_session_details_are_refused_with_the_field_named(supervised, extra, field):
    with pytest.raises(ValidationError) as refused:
        _record(supervised, **extra)
    assert field in refused.value.message_dict
    assert not SupervisionSession.objects.exists()


@pytest.mark.parametrize(("extra", "field", "words"), [
    ({"discussion": ""}, "discussion", "Enter what was discussed about Jordan Whitfield"),
    ({"decisions": " "}, "decisions", "Enter the decisions and actions for Jordan Whitfield"),
    ({"actions_due_on": None}, "actions_due_on", "Enter the date the actions for Jordan Whitfield are due"),
    ({"actions_due_on": TODAY - timedelta(days=1)}, "actions_due_on", "must be on or after the supervision"),
    ({"plan_progress": ""}, "plan_progress", "Select whether Jordan Whitfield's plan is progressing"),
])
def test_an_incomplete_case_discussion_refuses_the_whole_record(supervised, extra, field, words):
    s = supervised
    child = s.children[0]
    with pytest.raises(ValidationError) as refused:
        _record(s, discussions=[_discussion(child, **extra), _discussion(s.children[1])])
    assert words in " ".join(refused.value.message_dict[f"child-{child.pk}-{field}"])
    assert not SupervisionSession.objects.exists() and not ChronologyEvent.objects.filter(title=CHRONOLOGY_TITLE)


def test_only_children_on_the_caseload_the_manager_may_open_can_be_discussed(supervised, la):
    s = supervised
    stranger = make_person(la, first_name="Not", last_name="Allocated")
    with pytest.raises(ValidationError):
        _record(s, discussions=[_discussion(stranger)])
    hidden = make_person(la, Person.AccessLevel.RESTRICTED, first_name="Hidden", last_name="Child")
    from hearth.allocations.services import allocation_start

    allocation_start(child=hidden, team=s.team, worker=s.worker, started_on=date(2025, 2, 1), by="test")
    # The head of service may not open the restricted record; the team manager, allow-listed with the team, may.
    with pytest.raises(ValidationError):
        _record(s, by=s.head, discussions=[_discussion(hidden)])
    assert _record(s, discussions=[_discussion(hidden)]).case_discussions.get().child == hidden
    with pytest.raises(ValidationError):
        _record(s, discussions=[_discussion(s.children[0]), _discussion(s.children[0])])


def test_a_correction_follows_onto_the_chronology_and_asks_for_confirmation_again(supervised):
    s = supervised
    session = _record(s, held_on=TODAY - timedelta(days=2), discussions=[_discussion(s.children[0])])
    supervision_comment(session=session, expected_version=1, comments="Agreed.", confirm=True, by=s.worker)
    session.refresh_from_db()
    assert session.confirmed_at is not None and session.version == 2
    first = CaseDiscussion.objects.get(session=session)
    supervision_update(
        session=session, expected_version=2, held_on=TODAY - timedelta(days=3), kind="one_to_one",
        wellbeing="Tired but coping.", workload="18 children.",
        changed={first.pk: _discussion(s.children[0], discussion="Corrected: attendance is steady.")},
        added=[_discussion(s.children[1], plan_progress="no")], by=s.manager,
    )
    session.refresh_from_db()
    assert session.confirmed_at is None and session.version == 3
    event = ChronologyEvent.objects.get(person=s.children[0], title=CHRONOLOGY_TITLE)
    assert "Corrected: attendance is steady." in event.summary
    assert timezone.localtime(event.occurred_at).date() == TODAY - timedelta(days=3)
    assert "drifting" in ChronologyEvent.objects.get(person=s.children[1], title=CHRONOLOGY_TITLE).summary
    assert Notification.objects.filter(recipient=s.worker, title__contains="was changed").exists()
    assert ChronologyEvent.objects.filter(title=CHRONOLOGY_TITLE).count() == 2


def test_a_stale_correction_is_refused_and_changes_nothing(supervised):
    s = supervised
    session = _record(s, discussions=[_discussion(s.children[0])])
    stale = SupervisionSession.objects.get(pk=session.pk)
    supervision_comment(session=session, expected_version=1, comments="Fine.", confirm=False, by=s.worker)
    discussion = CaseDiscussion.objects.get(session=session)
    with pytest.raises(StaleVersionError) as refused:
        supervision_update(session=stale, expected_version=1, held_on=TODAY, kind="group", wellbeing="Changed",
                           changed={discussion.pk: _discussion(s.children[0], discussion="Changed too")},
                           by=s.manager)
    assert refused.value.current_version == 2
    discussion.refresh_from_db()
    assert discussion.discussion.startswith("Home visits") and SupervisionSession.objects.get().kind == "one_to_one"


def test_only_the_supervisee_comments_and_confirms(supervised):
    s = supervised
    session = _record(s)
    for who in (s.manager, s.peer):
        with pytest.raises(PermissionDenied):
            supervision_comment(session=session, expected_version=1, comments="x", confirm=True, by=who)
    supervision_comment(session=session, expected_version=1, comments="I would add: more time.", confirm=True,
                        by=s.worker)
    session.refresh_from_db()
    assert session.supervisee_comments == "I would add: more time." and session.confirmed_at is not None
    assert Notification.objects.filter(recipient=s.manager, title__contains="confirmed").exists()


def test_a_cancelled_or_rearranged_session_is_recorded_and_does_not_count(supervised):
    s = supervised
    la = s.team.local_authority
    before = supervision_compliance(local_authority=la, team=s.team, on=TODAY)
    supervision_not_held(supervisee=s.worker, planned_on=TODAY, status="cancelled", reason="Court all day",
                         by=s.manager)
    supervision_not_held(supervisee=s.worker, planned_on=TODAY, status="rearranged", reason="Sick",
                         rearranged_to=TODAY + timedelta(days=3), by=s.manager)
    assert SupervisionSession.objects.filter(status__in=["cancelled", "rearranged"]).count() == 2
    assert supervision_compliance(local_authority=la, team=s.team, on=TODAY) == before
    with pytest.raises(ValidationError) as refused:
        supervision_not_held(supervisee=s.worker, planned_on=TODAY, status="rearranged", reason="",
                             by=s.manager)
    assert set(refused.value.message_dict) == {"reason", "rearranged_to"}


def test_the_policy_is_set_by_a_head_of_service_audited_and_version_checked(supervised, la):
    s = supervised
    frequencies = {role: Interval(4) for role in SUPERVISED_ROLES} | {"team_manager": Interval(6, "weeks")}
    with pytest.raises(PermissionDenied):
        policy_set(local_authority=la, expected_version=0, frequencies=frequencies, asye_first_weeks=6,
                   asye_first_every_weeks=2, asye_every_weeks=3, asye_months=12, case_discussion_weeks=13,
                   by=s.manager)
    row = policy_set(local_authority=la, expected_version=0, frequencies=frequencies, asye_first_weeks=6,
                     asye_first_every_weeks=1, asye_every_weeks=2, asye_months=12, case_discussion_weeks=8,
                     by=s.head)
    assert policy_for(local_authority=la).frequencies["team_manager"] == Interval(6)
    assert policy_for(local_authority=la).case_discussion_weeks == 8
    assert ChangeRecord.objects.filter(model_label="supervision.SupervisionPolicy", by_user=s.head).count() == 1
    # Someone else saved in between: a save from version 0 (or 1 again, later) is refused.
    with pytest.raises(StaleVersionError):
        policy_set(local_authority=la, expected_version=0, frequencies=frequencies, asye_first_weeks=6,
                   asye_first_every_weeks=2, asye_every_weeks=3, asye_months=12, case_discussion_weeks=13,
                   by=s.head)
    policy_set(local_authority=la, expected_version=row.version, frequencies=frequencies, asye_first_weeks=6,
               asye_first_every_weeks=2, asye_every_weeks=3, asye_months=12, case_discussion_weeks=13, by=s.head)
    with pytest.raises(StaleVersionError):
        policy_set(local_authority=la, expected_version=row.version, frequencies=frequencies, asye_first_weeks=6,
                   asye_first_every_weeks=2, asye_every_weeks=3, asye_months=12, case_discussion_weeks=13,
                   by=s.head)
    with pytest.raises(ValidationError) as refused:
        policy_set(local_authority=la, expected_version=2,
                   frequencies=frequencies | {"team_manager": Interval(13, MONTHS), "iro": None},
                   asye_first_weeks=0, asye_first_every_weeks=2, asye_every_weeks=3, asye_months=12,
                   case_discussion_weeks=13, by=s.head)
    assert set(refused.value.message_dict) == {"team_manager_every", "iro_every", "asye_first_weeks"}
    assert SupervisionPolicy.objects.get().version == 2


def test_arrangements_name_a_supervisor_and_an_asye_start(supervised):
    s = supervised
    with pytest.raises(PermissionDenied):
        arrangement_set(worker=s.worker, expected_version=0, supervisor=s.peer, asye_started_on=None, by=s.peer)
    with pytest.raises(ValidationError):
        arrangement_set(worker=s.worker, expected_version=0, supervisor=s.peer, asye_started_on=None, by=s.manager)
    first = arrangement_set(worker=s.worker, expected_version=0, supervisor=s.senior,
                            asye_started_on=date(2026, 9, 1), by=s.manager)
    with pytest.raises(StaleVersionError):
        arrangement_set(worker=s.worker, expected_version=0, supervisor=None, asye_started_on=None, by=s.head)
    arrangement_set(worker=s.worker, expected_version=first.version, supervisor=None, asye_started_on=None,
                    by=s.head)


def test_a_correction_cannot_reach_a_discussion_of_a_child_the_editor_cannot_open(supervised, la):
    s = supervised
    hidden = make_person(la, Person.AccessLevel.RESTRICTED, first_name="Hidden", last_name="Child")
    from hearth.allocations.services import allocation_start

    allocation_start(child=hidden, team=s.team, worker=s.worker, started_on=date(2025, 2, 1), by="test")
    session = _record(s, discussions=[_discussion(hidden)])
    secret = session.case_discussions.get()
    # The head of service may change the session, but not what it says about a child they cannot open.
    with pytest.raises(ValidationError):
        supervision_update(session=session, expected_version=1, held_on=TODAY, kind="one_to_one", wellbeing="x",
                           changed={secret.pk: _discussion(hidden, discussion="Rewritten")}, by=s.head)
    secret.refresh_from_db()
    assert secret.discussion.startswith("Home visits")
