"""Auditing, moderation, actions, templates and the summary the dashboards read, on hand-built data."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from hearth.accounts.roles import Role
from hearth.audit.models import StaleVersionError
from hearth.case_audits import services
from hearth.case_audits.models import AuditAnswer, AuditQuestion, AuditTemplate, CaseAudit, Grade, Moderation
from hearth.case_audits.selectors import actions_for_manager, audit_summary, moderation_queue
from hearth.workspace.models import Notification
from tests.factories import make_user

from .factories import answers_for, audit_of, council, empty_round, submit

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def c(la):
    return council(la, per_team=2)


# ------------------------------------------------------------------------------------------------ auditing


def test_a_draft_keeps_whatever_was_typed_and_a_submission_needs_every_question(c):
    audit = audit_of(c, c.children_a[0], c.iro)
    questions = list(AuditQuestion.objects.filter(template=audit.round.template).order_by("order"))
    partial = {questions[0].pk: services.AnswerInput(Grade.GOOD, "Seen alone twice"),
               questions[1].pk: services.AnswerInput("", "Half a thought")}
    services.audit_save(audit=audit, answers=partial, strengths="Warm relationship", by=c.iro)
    audit.refresh_from_db()
    assert audit.status == CaseAudit.Status.IN_PROGRESS and audit.strengths == "Warm relationship"
    assert dict(AuditAnswer.objects.filter(audit=audit).values_list("question_id", "evidence")) == {
        questions[0].pk: "Seen alone twice", questions[1].pk: "Half a thought"}

    with pytest.raises(ValidationError) as refused:
        services.audit_save(audit=audit, answers=partial, overall_grade=Grade.GOOD, areas_for_development="x",
                            submit=True, by=c.iro)
    missing = refused.value.message_dict
    assert f"grade_{questions[0].pk}" not in missing
    assert f"grade_{questions[1].pk}" in missing and f"evidence_{questions[1].pk}" not in missing
    assert all(f"grade_{q.pk}" in missing for q in questions[2:])
    audit.refresh_from_db()
    assert audit.status == CaseAudit.Status.IN_PROGRESS  # nothing lost, nothing submitted

    done = submit(audit, Grade.REQUIRES_IMPROVEMENT)
    assert done.status == CaseAudit.Status.SUBMITTED and done.submitted_on == TODAY
    assert done.overall_grade == Grade.REQUIRES_IMPROVEMENT and done.themes == ["drift-and-delay"]
    assert not done.moderation_required


def test_only_the_allocated_auditor_may_change_an_audit_and_only_before_it_is_submitted(c):
    audit = audit_of(c, c.children_a[0], c.iro)
    with pytest.raises(PermissionDenied):
        services.audit_save(audit=audit, answers={}, by=c.manager_b)
    submit(audit)
    audit.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.audit_save(audit=audit, answers=answers_for(audit), overall_grade=Grade.OUTSTANDING, by=c.iro)


def test_an_inadequate_audit_is_always_routed_for_moderation(c):
    audit = submit(audit_of(c, c.children_a[0], c.iro), Grade.INADEQUATE)
    assert audit.moderation_required
    assert list(moderation_queue(user=c.manager_b)) == [audit]


def test_unknown_themes_are_dropped_and_a_stale_save_is_refused(c):
    audit = audit_of(c, c.children_a[0], c.iro)
    saved = services.audit_save(audit=audit, answers={}, themes=["chronology", "made-up"], by=c.iro,
                                expected_version=audit.version)
    assert saved.themes == ["chronology"]
    with pytest.raises(StaleVersionError):
        services.audit_save(audit=audit, answers={}, by=c.iro, expected_version=audit.version)


# ------------------------------------------------------------------------------------------------ moderation


def test_moderation_by_a_second_auditor_keeps_both_grades(c):
    audit = submit(audit_of(c, c.children_a[0], c.iro, moderation_required=True), Grade.GOOD)
    with pytest.raises(PermissionDenied):
        services.audit_moderate(audit=audit, agreed=True, grade="", rationale="Fine", by=c.iro)  # their own
    with pytest.raises(PermissionDenied):
        services.audit_moderate(audit=audit, agreed=True, grade="", rationale="Fine", by=c.manager_a)  # manages it
    with pytest.raises(ValidationError) as same:
        services.audit_moderate(audit=audit, agreed=False, grade=Grade.GOOD, rationale="x", by=c.manager_b)
    assert "grade" in same.value.message_dict
    moderation = services.audit_moderate(audit=audit, agreed=False, grade=Grade.REQUIRES_IMPROVEMENT,
                                         rationale="No contingency plan", by=c.manager_b)
    audit.refresh_from_db()
    assert audit.overall_grade == Grade.GOOD and moderation.grade == Grade.REQUIRES_IMPROVEMENT
    assert moderation.changed
    assert Notification.objects.filter(recipient=c.iro, title__contains="grade was changed").exists()
    with pytest.raises(PermissionDenied):  # moderated once only
        services.audit_moderate(audit=audit, agreed=True, grade="", rationale="Again", by=c.head)
    assert list(moderation_queue(user=c.head)) == []


def test_an_audit_not_yet_submitted_cannot_be_moderated_and_a_reason_is_required(c):
    audit = audit_of(c, c.children_a[0], c.iro)
    with pytest.raises(PermissionDenied):
        services.audit_moderate(audit=audit, agreed=True, grade="", rationale="x", by=c.manager_b)
    submit(audit)
    audit.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        services.audit_moderate(audit=audit, agreed=True, grade="", rationale="  ", by=c.manager_b)
    assert "rationale" in refused.value.message_dict
    agreed = services.audit_moderate(audit=audit, agreed=True, grade="", rationale="Evidence is clear",
                                     by=c.manager_b)
    assert agreed.grade == audit.overall_grade and not agreed.changed


def test_the_childs_worker_never_moderates_even_in_an_auditor_role(c):
    lead = make_user(c.la, Role.TEAM_MANAGER, c.team_b)
    child = c.children_a[0]
    audit = submit(audit_of(c, child, c.iro, moderation_required=True))
    audit.worker = lead
    audit.save(by="test")
    audit.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.audit_moderate(audit=audit, agreed=True, grade="", rationale="x", by=lead)


# ------------------------------------------------------------------------------------------------ actions


def test_an_action_goes_to_the_worker_who_completes_it_and_overdue_ones_show_to_managers(c):
    audit = submit(audit_of(c, c.children_a[0], c.iro))
    action = services.action_set(audit=audit, what="Update the chronology", assigned_to=c.worker_a,
                                 due_on=TODAY + timedelta(days=10), by=c.iro)
    assert Notification.objects.filter(recipient=c.worker_a, title="An action from a case audit").exists()
    assert not action.is_overdue(TODAY)
    assert action.is_overdue(TODAY + timedelta(days=11))
    assert list(actions_for_manager(user=c.manager_a)) == [action]
    assert list(actions_for_manager(user=c.manager_a, overdue_only=True)) == []
    assert list(actions_for_manager(user=c.manager_a, overdue_only=True, today=TODAY + timedelta(days=11))) == [
        action]
    assert list(actions_for_manager(user=c.manager_b)) == []  # another team's

    with pytest.raises(PermissionDenied):
        services.action_complete(action=action, note="Done", by=c.worker_b)
    with pytest.raises(ValidationError):
        services.action_complete(action=action, note=" ", by=c.worker_a)
    done = services.action_complete(action=action, note="Chronology brought up to date", by=c.worker_a,
                                    expected_version=action.version)
    assert done.completed_on == TODAY and done.completed_by == c.worker_a
    assert Notification.objects.filter(recipient=c.iro, title="An audit action was completed").exists()
    assert list(actions_for_manager(user=c.manager_a)) == []


def test_only_the_auditor_or_moderator_sets_actions_and_never_in_the_past(c):
    audit = submit(audit_of(c, c.children_a[0], c.iro))
    with pytest.raises(PermissionDenied):
        services.action_set(audit=audit, what="x", assigned_to=c.worker_a, due_on=TODAY, by=c.manager_b)
    with pytest.raises(ValidationError) as refused:
        services.action_set(audit=audit, what="", assigned_to=c.worker_a, due_on=TODAY - timedelta(days=1), by=c.iro)
    assert {"what", "due_on"} <= set(refused.value.message_dict)


def test_the_workers_manager_may_complete_an_action_for_them(c):
    audit = submit(audit_of(c, c.children_a[0], c.iro))
    action = services.action_set(audit=audit, what="Visit", assigned_to=c.worker_a, due_on=TODAY, by=c.iro)
    done = services.action_complete(action=action, note="Worker on leave; I visited", by=c.manager_a)
    assert done.completed_by == c.manager_a


# ------------------------------------------------------------------------------------------------ templates


def test_revising_a_template_makes_a_new_version_and_old_audits_keep_their_questions(c):
    old = c.template
    audit = audit_of(c, c.children_a[0], c.iro)
    old_questions = list(audit.round.template.questions.values_list("text", flat=True))
    new = services.template_revise(template=old, name="Standard case audit", description="Revised",
                                   questions=[services.QuestionText("voice", "Was the child seen alone?"),
                                              services.QuestionText("plan", "Is the plan specific?")], by=c.head)
    old.refresh_from_db()
    assert (new.edition, old.replaced_on) == (2, TODAY)
    assert list(new.questions.values_list("text", flat=True)) == ["Was the child seen alone?", "Is the plan specific?"]
    audit.refresh_from_db()
    assert list(audit.round.template.questions.values_list("text", flat=True)) == old_questions
    with pytest.raises(ValidationError):
        services.template_revise(template=old, name="x", description="", questions=[
            services.QuestionText("voice", "Again?")], by=c.head)
    assert AuditTemplate.objects.filter(family="standard", local_authority=c.la).count() == 2


def test_setting_up_the_defaults_twice_writes_nothing_the_second_time(c):
    assert services.audit_defaults_install(local_authority=c.la, by="test") == 0


# ------------------------------------------------------------------------------------------------ the summary


def test_audit_summary_counts_hand_built_audits(c):
    start, end = TODAY - timedelta(days=30), TODAY
    a, b, d, e = (audit_of(c, child, c.iro) for child in (*c.children_a, *c.children_b))
    submit(a, Grade.GOOD, themes=("drift-and-delay", "chronology"))
    submit(b, Grade.INADEQUATE, themes=("drift-and-delay",))
    submit(d, Grade.OUTSTANDING, themes=())
    # e stays in progress: not counted.
    for audit in (a, b, d):
        audit.refresh_from_db()
    services.audit_moderate(audit=b, agreed=False, grade=Grade.REQUIRES_IMPROVEMENT, rationale="Some strengths",
                            by=c.manager_b)
    services.audit_moderate(audit=d, agreed=True, grade="", rationale="Agreed", by=c.manager_a)
    open_late = services.action_set(audit=a, what="Chronology", assigned_to=c.worker_a, due_on=TODAY, by=c.iro)
    services.action_set(audit=d, what="Plan", assigned_to=c.worker_b, due_on=TODAY + timedelta(days=5), by=c.iro)

    council_wide = audit_summary(local_authority=c.la, start=start, end=end)
    assert council_wide.audits == 3
    assert council_wide.grades == {"outstanding": 1, "good": 1, "requires_improvement": 1, "inadequate": 0}
    assert council_wide.good_or_better_percent == pytest.approx(66.7)
    assert council_wide.themes == [("Drift and delay", 2), ("Chronology", 1)]
    assert (council_wide.moderated, council_wide.moderation_changed) == (2, 1)
    assert (council_wide.actions_open, council_wide.actions_overdue) == (2, 0)

    team_a = audit_summary(local_authority=c.la.pk, team=c.team_a, start=start, end=end)
    assert team_a.audits == 2 and team_a.grades["requires_improvement"] == 1 and team_a.actions_open == 1
    assert audit_summary(local_authority=c.la, team=c.team_b.pk, start=start, end=end).audits == 1

    # A period that ends later sees the action overdue; one that ended before anything was submitted sees nothing.
    services.action_complete(action=open_late, note="Done", by=c.worker_a, on=TODAY)
    assert audit_summary(local_authority=c.la, start=start, end=TODAY).actions_open == 1
    empty = audit_summary(local_authority=c.la, start=start - timedelta(days=60), end=start - timedelta(days=1))
    assert (empty.audits, empty.good_or_better_percent, empty.themes, empty.actions_open) == (0, None, [], 0)
    assert e.status == CaseAudit.Status.ALLOCATED


def test_audit_summary_says_overdue_on_the_periods_last_day(c):
    audit = submit(audit_of(c, c.children_a[0], c.iro), on=TODAY - timedelta(days=40))
    audit.refresh_from_db()
    action = services.action_set(audit=audit, what="x", assigned_to=c.worker_a, due_on=TODAY, by=c.iro,
                                 on=TODAY - timedelta(days=40))
    assert action.set_on == TODAY - timedelta(days=40)
    before_due = audit_summary(local_authority=c.la, start=TODAY - timedelta(days=60), end=TODAY - timedelta(days=5))
    assert (before_due.actions_open, before_due.actions_overdue) == (1, 0)
    assert audit_summary(local_authority=c.la, start=TODAY, end=TODAY + timedelta(days=3)).actions_overdue == 0


def test_moderation_rows_are_one_per_audit(c):
    audit = submit(audit_of(c, c.children_a[0], c.iro))
    audit.refresh_from_db()
    services.audit_moderate(audit=audit, agreed=True, grade="", rationale="ok", by=c.manager_b)
    assert Moderation.objects.filter(audit=audit).count() == 1
    assert empty_round(c).pk
