"""The supervision pages: a manager sees who is due, records a session with case discussions (errors beside the
fields, nothing typed lost), corrects it (a stale copy refused with the typing kept); the worker confirms it."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from hearth.chronology.models import ChronologyEvent
from hearth.supervision.models import CaseDiscussion, SupervisionPolicy, SupervisionSession
from hearth.supervision.services import CHRONOLOGY_TITLE, supervision_comment
from hearth.workspace.services import draft_save
from tests.conftest import client_for
from tests.supervision.factories import make_session

TODAY = timezone.localdate()


def _date(prefix: str, day: date) -> dict[str, str]:
    return {f"{prefix}_0": str(day.day), f"{prefix}_1": str(day.month), f"{prefix}_2": str(day.year)}


def _post(s, **extra) -> dict[str, str]:
    jordan, kai = s.children
    data = {
        "version": "0", "kind": "one_to_one", "wellbeing": "Tired but coping.", "workload": "Eighteen children.",
        **_date("held_on", TODAY), **_date("next_on", TODAY + timedelta(days=28)),
        f"child-{jordan.pk}-discussed": "on", f"child-{jordan.pk}-discussion": "Visits weekly; going well.",
        f"child-{jordan.pk}-decisions": "Carry on.", **_date(f"child-{jordan.pk}-actions_due_on", TODAY + timedelta(7)),
        f"child-{jordan.pk}-plan_progress": "yes",
        f"child-{kai.pk}-discussed": "on", f"child-{kai.pk}-discussion": "Nursery worried about speech.",
        f"child-{kai.pk}-decisions": "Refer to speech and language.",
        **_date(f"child-{kai.pk}-actions_due_on", TODAY + timedelta(14)),
    }
    data.update(extra)
    return data


def test_a_team_manager_sees_the_overdue_worker_and_a_record_link(supervised):
    s = supervised
    make_session(s.peer, s.manager, TODAY - timedelta(days=3))
    page = client_for(s.manager).get("/supervision/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Safeguarding North" in text and "Sam Okafor" in text
    rows = {row["status"].worker: row for row in page.context["rows"]}
    assert rows[s.worker]["status"].overdue and rows[s.worker]["record"]
    assert not rows[s.peer]["status"].overdue
    assert s.manager in rows and not rows[s.manager]["record"]  # a manager does not record their own
    assert f"/supervision/workers/{s.worker.pk}/record/" in text


def test_recording_with_a_missing_field_keeps_everything_typed_then_saves(supervised):
    s = supervised
    jordan, kai = s.children
    client = client_for(s.manager)
    url = f"/supervision/workers/{s.worker.pk}/record/"
    assert client.get(url).status_code == 200
    page = client.post(url, _post(s))
    assert page.status_code == 200 and not SupervisionSession.objects.exists()
    text = page.content.decode()
    assert "There is a problem" in text
    assert text.count("Select whether Kai Brennan&#x27;s plan is progressing") == 2  # summary and field
    assert f'href="#id_child-{kai.pk}-plan_progress"' in text
    assert "Nursery worried about speech." in text and "Visits weekly; going well." in text
    assert "Tired but coping." in text
    done = client.post(url, _post(s, **{f"child-{kai.pk}-plan_progress": "partly"}))
    session = SupervisionSession.objects.get()
    assert done.status_code == 302 and done["Location"] == f"/supervision/sessions/{session.pk}/"
    assert CaseDiscussion.objects.filter(session=session).count() == 2
    assert ChronologyEvent.objects.filter(person__in=[jordan, kai], title=CHRONOLOGY_TITLE).count() == 2
    chronology = client.get(f"/children/{kai.pk}/chronology/").content.decode()
    assert CHRONOLOGY_TITLE in chronology and "Refer to speech and language." in chronology


def test_an_unticked_child_is_not_checked_or_saved(supervised):
    s = supervised
    jordan, kai = s.children
    data = _post(s, **{f"child-{kai.pk}-discussed": ""})
    data.pop(f"child-{kai.pk}-discussed")
    response = client_for(s.manager).post(f"/supervision/workers/{s.worker.pk}/record/", data)
    assert response.status_code == 302
    assert list(CaseDiscussion.objects.values_list("child", flat=True)) == [jordan.pk]


def test_session_errors_sit_beside_their_fields(supervised):
    s = supervised
    data = _post(s, wellbeing="", workload="", **_date("held_on", TODAY + timedelta(days=2)))
    text = client_for(s.manager).post(f"/supervision/workers/{s.worker.pk}/record/", data).content.decode()
    assert "Date of the supervision must be today or in the past" in text
    assert "Record what you discussed" in text
    assert 'href="#id_held_on_0"' in text and 'href="#id_wellbeing"' in text


def test_a_draft_is_restored_without_complaints(supervised):
    s = supervised
    from django.http import QueryDict

    data = QueryDict(mutable=True)
    data.update({"wellbeing": "Half-typed note", "kind": "group"})
    draft_save(user=s.manager, key=f"supervision-{s.worker.pk}-new", data=data)
    text = client_for(s.manager).get(f"/supervision/workers/{s.worker.pk}/record/").content.decode()
    assert "Half-typed note" in text and "We restored the changes" in text and "There is a problem" not in text


def test_the_worker_reads_comments_and_confirms(supervised):
    s = supervised
    kai = s.children[1]
    client_for(s.manager).post(f"/supervision/workers/{s.worker.pk}/record/",
                               _post(s, **{f"child-{kai.pk}-plan_progress": "no"}))
    session = SupervisionSession.objects.get()
    client = client_for(s.worker)
    page = client.get(f"/supervision/sessions/{session.pk}/")
    assert page.status_code == 200 and "Tired but coping." in page.content.decode()
    done = client.post(f"/supervision/sessions/{session.pk}/",
                       {"version": str(session.version), "comments": "More time for court work.", "confirm": "on"})
    assert done.status_code == 302
    session.refresh_from_db()
    assert session.confirmed_at is not None and session.supervisee_comments == "More time for court work."
    # The worker's history shows it confirmed.
    assert "Your supervision" in client.get(f"/supervision/workers/{s.worker.pk}/").content.decode()
    assert client.get("/supervision/").status_code == 302


def test_a_stale_comment_is_refused_with_the_typing_kept(supervised):
    s = supervised
    session = make_session(s.worker, s.manager, TODAY)
    supervision_comment(session=session, expected_version=1, comments="First", confirm=False, by=s.worker)
    page = client_for(s.worker).post(f"/supervision/sessions/{session.pk}/",
                                     {"version": "1", "comments": "My second thoughts"})
    text = page.content.decode()
    assert page.status_code == 200 and "Someone else saved changes" in text and "My second thoughts" in text
    assert 'name="version" value="2"' in text


def test_correcting_a_session_from_a_stale_copy_keeps_the_typing(supervised):
    s = supervised
    client = client_for(s.manager)
    kai = s.children[1]
    client.post(f"/supervision/workers/{s.worker.pk}/record/", _post(s, **{f"child-{kai.pk}-plan_progress": "yes"}))
    session = SupervisionSession.objects.get()
    edit = client.get(f"/supervision/sessions/{session.pk}/change/")
    assert edit.status_code == 200 and "Visits weekly; going well." in edit.content.decode()
    supervision_comment(session=session, expected_version=1, comments="Thanks", confirm=True, by=s.worker)
    data = _post(s, version="1", workload="Corrected workload note", **{f"child-{kai.pk}-plan_progress": "no"})
    page = client.post(f"/supervision/sessions/{session.pk}/change/", data)
    text = page.content.decode()
    assert page.status_code == 200 and "Someone else saved changes" in text and "Corrected workload note" in text
    data["version"] = "2"
    assert client.post(f"/supervision/sessions/{session.pk}/change/", data).status_code == 302
    session.refresh_from_db()
    assert session.workload == "Corrected workload note" and session.confirmed_at is None


def test_recording_a_cancelled_session(supervised):
    s = supervised
    client = client_for(s.manager)
    url = f"/supervision/workers/{s.worker.pk}/not-held/"
    page = client.post(url, {"status": "rearranged", "reason": "", **_date("planned_on", TODAY)})
    text = page.content.decode()
    assert "Enter why the supervision did not go ahead" in text and "Enter the new date of the supervision" in text
    done = client.post(url, {"status": "cancelled", "reason": "Court", **_date("planned_on", TODAY)})
    assert done.status_code == 302 and SupervisionSession.objects.get().status == "cancelled"
    history = client.get(f"/supervision/workers/{s.worker.pk}/").content.decode()
    assert "Cancelled" in history


def test_a_head_of_service_changes_the_policy(supervised):
    s = supervised
    client = client_for(s.head)
    assert client.get("/supervision/policy/").status_code == 200
    form = client.get("/supervision/policy/change/")
    data = {k: v for k, v in form.context["form"].initial.items() if v is not None}
    data.update({"team_manager_every": "6", "team_manager_unit": "weeks", "case_discussion_weeks": "x"})
    page = client.post("/supervision/policy/change/", data)
    assert "How often each child is discussed in supervision must be a whole number" in page.content.decode()
    data["case_discussion_weeks"] = "8"
    assert client.post("/supervision/policy/change/", data).status_code == 302
    assert SupervisionPolicy.objects.get().frequencies["team_manager"] == {"every": 6, "unit": "weeks"}
    assert "Every 6 weeks" in client.get("/supervision/policy/").content.decode()
    assert client_for(s.manager).get("/supervision/policy/change/").status_code == 403


def test_a_head_of_service_sees_every_team_and_opens_one(supervised):
    s = supervised
    make_session(s.worker, s.manager, TODAY - timedelta(days=60))
    client = client_for(s.head)
    page = client.get("/supervision/")
    text = page.content.decode()
    assert "Supervision across the council" in text and "Safeguarding North" in text and "Sam Okafor" in text
    assert client.get(f"/supervision/teams/{s.team.pk}/").status_code == 200
    assert client.get(f"/supervision/teams/{s.team.pk}/children/").status_code == 200


def test_children_not_discussed_lists_those_past_the_interval(supervised):
    s = supervised
    jordan, kai = s.children
    session = make_session(s.worker, s.manager, TODAY - timedelta(days=10))
    CaseDiscussion(local_authority_id=s.team.local_authority_id, session=session, child=jordan, discussion="d",
                   decisions="d", actions_due_on=TODAY, plan_progress="yes").save(by="test")
    page = client_for(s.manager).get(f"/supervision/teams/{s.team.pk}/children/")
    listed = [a.child for a in page.context["page_obj"]]
    assert listed == [kai]
    assert page.context["page_obj"][0].last_discussed is None
