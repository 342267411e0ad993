"""Writes for case audits: each a named action, in one transaction, attributed to whoever does it.

Refusals are ``ValidationError``s keyed by the form field they are about, so the page shows each beside its
field with everything typed kept.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from hearth.audit.actor import acting_as
from hearth.audit.models import refuse_stale
from hearth.workspace.services import notification_send

from . import defaults
from .models import (
    AuditAction,
    AuditAnswer,
    AuditQuestion,
    AuditRound,
    AuditTemplate,
    AuditTheme,
    CaseAudit,
    Grade,
    Moderation,
    PracticeWeek,
    PracticeWeekTeam,
)
from .rules import may_audit, may_complete_action, may_moderate, may_set_action
from .sampling import LEFT_OUT_WORDS, draw_sample
from .themes import THEMES

if TYPE_CHECKING:
    from hearth.accounts.models import Team, User
    from hearth.tenancy.models import LocalAuthority

SEED_LIMIT = 999_999_999


# ------------------------------------------------------------------------------------------------ set-up


def audit_defaults_install(*, local_authority: LocalAuthority, by: User | str) -> int:
    """The standard template, a themed one and the council's list of themes, where the council has none yet.
    Returns the rows written (0 when everything was there)."""
    written = 0
    with transaction.atomic(), acting_as(by):
        known = set(AuditTheme.objects.filter(local_authority=local_authority).values_list("slug", flat=True))
        for order, (slug, name) in enumerate(defaults.THEMES):
            if slug not in known:
                AuditTheme(local_authority=local_authority, slug=slug, name=name, order=order).save()
                written += 1
        families = set(AuditTemplate.objects.filter(local_authority=local_authority).values_list("family",
                                                                                                 flat=True))
        for family, name, description, questions in defaults.TEMPLATES:
            if family in families:
                continue
            template = AuditTemplate(local_authority=local_authority, family=family, edition=1, name=name,
                                     description=description)
            template.save()
            written += 1
            for order, (area, text, guidance) in enumerate(questions, start=1):
                AuditQuestion(local_authority=local_authority, template=template, order=order, area=area, text=text,
                              guidance=guidance).save()
                written += 1
    return written


@dataclass(frozen=True)
class QuestionText:
    area: str
    text: str
    guidance: str = ""


def template_revise(*, template: AuditTemplate, name: str, description: str, questions: Sequence[QuestionText],
                    by: User, on: date | None = None) -> AuditTemplate:
    """A new edition of the template with these questions; the old edition is marked replaced and every audit
    drawn on it keeps its questions. Only the current edition can be revised."""
    on = on or timezone.localdate()
    questions = [q for q in questions if q.text.strip()]
    if not template.is_current:
        raise ValidationError("This is an old version of the template. Revise the current version instead.")
    if not questions:
        raise ValidationError({"questions": "A template needs at least one question"})
    with transaction.atomic(), acting_as(by):
        locked = AuditTemplate.objects.select_for_update().get(pk=template.pk)
        if locked.replaced_on is not None:
            raise ValidationError("Someone else revised this template first. Open the current version.")
        newest = (AuditTemplate.objects.filter(local_authority_id=template.local_authority_id,
                                               family=template.family).order_by("-edition").first())
        edition = AuditTemplate(local_authority_id=template.local_authority_id, family=template.family,
                                edition=(newest.edition if newest else template.edition) + 1,
                                name=name.strip() or template.name, description=description.strip(), created_by=by)
        edition.save()
        for order, q in enumerate(questions, start=1):
            AuditQuestion(local_authority_id=template.local_authority_id, template=edition, order=order, area=q.area,
                          text=q.text.strip(), guidance=q.guidance.strip()).save()
        locked.replaced_on = on
        locked.save()
    return edition


# ------------------------------------------------------------------------------------------------ rounds


def round_draw(*, local_authority: LocalAuthority, title: str, month: date, template: AuditTemplate,
               method: str, sample_size: int, auditors: Sequence[User], due_on: date, by: User,
               theme: str = "", scope_team: Team | None = None, scope_service_area: str = "",
               seed: int | None = None, moderation_percent: int = 15, on: date | None = None) -> AuditRound:
    """Draw a month's sample and allocate each case to an auditor who may open it and does not work on it.

    The seed, the criteria, how many cases matched, and how many were left out and why are kept on the round.
    """
    from .selectors import sample_frame

    on = on or timezone.localdate()
    errors: dict[str, str] = {}
    if method not in AuditRound.Method.values:
        errors["method"] = "Choose how the sample is drawn"
    if method == AuditRound.Method.THEMED and theme not in THEMES:
        errors["theme"] = "Choose the theme to sample"
    if template.local_authority_id != local_authority.pk or not template.is_current:
        errors["template"] = "Choose one of the council's current templates"
    if not auditors:
        errors["auditors"] = "Choose at least one auditor"
    if any(a.local_authority_id != local_authority.pk for a in auditors):
        errors["auditors"] = "Auditors must work for this council"
    if sample_size < 1:
        errors["sample_size"] = "The sample must be at least 1 case"
    if due_on < on:
        errors["due_on"] = "The date audits are due must be today or in the future"
    if errors:
        raise ValidationError(errors)
    seed = seed if seed is not None else secrets.randbelow(SEED_LIMIT) + 1
    child_ids = THEMES[theme].children(local_authority.pk, on) if method == AuditRound.Method.THEMED else None
    frame = sample_frame(local_authority_id=local_authority.pk, on=on, auditors=list(auditors), child_ids=child_ids,
                         team_id=scope_team.pk if scope_team else None, service_area=scope_service_area)
    drawn = draw_sample(candidates=frame, auditors=[a.pk for a in auditors], size=sample_size, seed=seed,
                        moderation_percent=moderation_percent)
    team_names = {}
    if drawn.strata:
        from hearth.accounts.models import Team as TeamModel

        team_names = dict(TeamModel.objects.filter(pk__in=[s.team_id for s in drawn.strata if s.team_id])
                          .values_list("pk", "name"))
    criteria: dict[str, Any] = {
        "method": method,
        "theme": theme,
        "theme_label": THEMES[theme].label if theme else "",
        "theme_rule": THEMES[theme].description if theme else "",
        "population": "Children with a children-in-need episode open on the day the sample was drawn "
                      "(children in need, on a child protection plan or in care); closed cases are never drawn.",
        "scope_team": scope_team.name if scope_team else "",
        "scope_service_area": scope_service_area,
        "drawn_on": on.isoformat(),
        "seed": seed,
        "sample_size": sample_size,
        "matched": drawn.matched,
        "available": drawn.available,
        "drawn": len(drawn.drawn),
        "left_out": [{"reason": reason, "words": LEFT_OUT_WORDS[reason], "count": n}
                     for reason, n in sorted(drawn.left_out.items())],
        "strata": [{"team": team_names.get(s.team_id, "No team recorded") if s.team_id else "No team recorded",
                    "available": s.available, "drawn": s.drawn} for s in drawn.strata],
        "auditors": len({a.pk for a in auditors}),
        "moderation_percent": moderation_percent,
        "stratified_by": "team (each team's share of the sample is its share of the cases)",
    }
    with transaction.atomic(), acting_as(by):
        audit_round = AuditRound(
            local_authority=local_authority, title=title.strip(), month=month.replace(day=1), template=template,
            method=method, theme=theme if method == AuditRound.Method.THEMED else "", scope_team=scope_team,
            scope_service_area=scope_service_area, sample_size=sample_size, seed=seed,
            moderation_percent=moderation_percent, criteria=criteria, eligible=drawn.available,
            left_out=sum(drawn.left_out.values()), drawn_on=on, drawn_by=by, due_on=due_on,
        )
        audit_round.save()
        CaseAudit.objects.bulk_create([
            CaseAudit(local_authority=local_authority, round=audit_round, child_id=d.candidate.child_id,
                      auditor_id=d.auditor_id, team_id=d.candidate.team_id, worker_id=d.candidate.worker_id,
                      due_on=due_on, moderation_required=d.moderate)
            for d in drawn.drawn
        ])
        link = reverse("case_audits:mine")
        for auditor_id in sorted({d.auditor_id for d in drawn.drawn}):
            n = sum(1 for d in drawn.drawn if d.auditor_id == auditor_id)
            auditor = next(a for a in auditors if a.pk == auditor_id)
            notification_send(recipient=auditor, title=f"{n} case audit{'s' if n != 1 else ''} for you to do",
                              body=f"{audit_round.title}: due by {due_on:%-d %B %Y}", link=link)
    return audit_round


# ------------------------------------------------------------------------------------------------ auditing


@dataclass(frozen=True)
class AnswerInput:
    grade: str = ""
    evidence: str = ""


def audit_save(*, audit: CaseAudit, answers: dict[int, AnswerInput], overall_grade: str = "", strengths: str = "",
               areas_for_development: str = "", themes: Iterable[str] = (), worker_feedback: str = "",
               family_feedback: str = "", submit: bool = False, by: User, expected_version: int | None = None,
               on: date | None = None) -> CaseAudit:
    """Save the auditor's work. A draft keeps whatever is there; a submission needs every question graded with
    its evidence and an overall grade, and routes an inadequate audit for moderation."""
    on = on or timezone.localdate()
    if not may_audit(by, audit):
        raise PermissionDenied("Only the allocated auditor may change this audit before it is submitted.")
    questions = list(AuditQuestion.objects.filter(template_id=audit.round.template_id).order_by("order", "pk"))
    known = {t for t in AuditTheme.objects.filter(local_authority_id=audit.local_authority_id)
             .values_list("slug", flat=True)}
    tags = [t for t in dict.fromkeys(themes) if t in known]
    grades = set(Grade.values)
    errors: dict[str, list[str]] = {}
    for q in questions:
        given = answers.get(q.pk, AnswerInput())
        if given.grade and given.grade not in grades:
            errors[f"grade_{q.pk}"] = ["Choose a grade from the list"]
        if submit and not given.grade:
            errors[f"grade_{q.pk}"] = [f"Select a grade for question {q.order}"]
        if submit and not given.evidence.strip():
            errors[f"evidence_{q.pk}"] = [f"Enter the evidence for question {q.order}"]
    if overall_grade and overall_grade not in grades:
        errors["overall_grade"] = ["Choose a grade from the list"]
    if submit and not overall_grade:
        errors["overall_grade"] = ["Select the overall grade for this child's record"]
    if submit and not areas_for_development.strip() and overall_grade != Grade.OUTSTANDING:
        errors["areas_for_development"] = ["Enter the areas for development"]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(), acting_as(by):
        locked = CaseAudit.objects.select_for_update().get(pk=audit.pk)
        refuse_stale(locked, expected_version)
        existing = {a.question_id: a for a in AuditAnswer.objects.filter(audit=locked)}
        for q in questions:
            given = answers.get(q.pk, AnswerInput())
            answer = existing.get(q.pk)
            if answer is None:
                if given.grade or given.evidence.strip():
                    AuditAnswer(local_authority_id=locked.local_authority_id, audit=locked, question=q,
                                grade=given.grade, evidence=given.evidence.strip()).save()
            elif (answer.grade, answer.evidence) != (given.grade, given.evidence.strip()):
                answer.grade, answer.evidence = given.grade, given.evidence.strip()
                answer.save()
        locked.overall_grade = overall_grade
        locked.strengths = strengths.strip()
        locked.areas_for_development = areas_for_development.strip()
        locked.themes = tags
        locked.worker_feedback = worker_feedback.strip()
        locked.family_feedback = family_feedback.strip()
        if submit:
            locked.status = CaseAudit.Status.SUBMITTED
            locked.submitted_on = on
            if overall_grade == Grade.INADEQUATE:
                locked.moderation_required = True
        else:
            locked.status = CaseAudit.Status.IN_PROGRESS
        locked.save()
    return locked


def audit_moderate(*, audit: CaseAudit, agreed: bool, grade: str, rationale: str, by: User,
                   on: date | None = None) -> Moderation:
    """A second auditor's view. Agreeing keeps the grade; disagreeing gives another with the reason. The first
    auditor's grade is never changed."""
    on = on or timezone.localdate()
    if not may_moderate(by, audit):
        raise PermissionDenied("This audit cannot be moderated by you.")
    errors: dict[str, str] = {}
    if not agreed and grade not in Grade.values:
        errors["grade"] = "Choose the grade you would give"
    if not agreed and grade == audit.overall_grade:
        errors["grade"] = "Choose a different grade from the auditor's, or say you agree"
    if not rationale.strip():
        errors["rationale"] = "Enter the reasons for your decision"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(), acting_as(by):
        if Moderation.objects.select_for_update().filter(audit=audit).exists():
            raise ValidationError("Someone else moderated this audit first.")
        moderation = Moderation(local_authority_id=audit.local_authority_id, audit=audit, moderator=by,
                                agreed=agreed, grade=audit.overall_grade if agreed else grade,
                                rationale=rationale.strip(), moderated_on=on)
        moderation.save()
        notification_send(
            recipient=audit.auditor,
            title="Your case audit was moderated" + ("" if agreed else ": the grade was changed"),
            body=f"{by.get_full_name()} {'agreed' if agreed else 'gave a different grade'}.",
            link=reverse("case_audits:audit", args=[audit.pk]),
        )
    return moderation


# ------------------------------------------------------------------------------------------------ actions


def action_set(*, audit: CaseAudit, what: str, assigned_to: User, due_on: date, by: User,
               on: date | None = None) -> AuditAction:
    """An action back to the worker, who is told on My work."""
    on = on or timezone.localdate()
    if not may_set_action(by, audit):
        raise PermissionDenied("Only the auditor or moderator may set actions from this audit.")
    errors: dict[str, str] = {}
    if not what.strip():
        errors["what"] = "Enter what needs to be done"
    if assigned_to.local_authority_id != audit.local_authority_id or not assigned_to.has_case_access:
        errors["assigned_to"] = "Choose a member of staff who works with children's records"
    if due_on < on:
        errors["due_on"] = "The date the action is due must be today or in the future"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(), acting_as(by):
        action = AuditAction(local_authority_id=audit.local_authority_id, audit=audit, child_id=audit.child_id,
                             team_id=audit.team_id, what=what.strip(), assigned_to=assigned_to, set_by=by, set_on=on,
                             due_on=due_on)
        action.save()
        notification_send(recipient=assigned_to, title="An action from a case audit",
                          body=f"Due by {due_on:%-d %B %Y}", link=reverse("case_audits:my_actions"))
    return action


def action_complete(*, action: AuditAction, note: str, by: User, expected_version: int | None = None,
                    on: date | None = None) -> AuditAction:
    on = on or timezone.localdate()
    if not may_complete_action(by, action):
        raise PermissionDenied("This action cannot be completed by you.")
    if not note.strip():
        raise ValidationError({"note": "Enter what was done"})
    with transaction.atomic(), acting_as(by):
        locked = AuditAction.objects.select_for_update().get(pk=action.pk)
        refuse_stale(locked, expected_version)
        if locked.completed_on is not None:
            raise ValidationError("This action has already been completed.")
        locked.completed_on = on
        locked.completion_note = note.strip()
        locked.completed_by = by
        locked.save()
        if locked.set_by_id and locked.set_by_id != by.pk and locked.set_by is not None:
            notification_send(recipient=locked.set_by, title="An audit action was completed",
                              body=f"Completed by {by.get_full_name()}",
                              link=reverse("case_audits:audit", args=[locked.audit_id]))
    return locked


# ------------------------------------------------------------------------------------------------ practice weeks


def practice_week_create(*, local_authority: LocalAuthority, title: str, start: date, end: date,
                         teams: Sequence[Team], by: User) -> PracticeWeek:
    errors: dict[str, str] = {}
    if not title.strip():
        errors["title"] = "Enter a name for the practice week"
    if end < start:
        errors["end"] = "The last day must be the same as or after the first day"
    if not teams:
        errors["teams"] = "Choose at least one team in focus"
    if any(t.local_authority_id != local_authority.pk for t in teams):
        errors["teams"] = "Choose the council's own teams"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(), acting_as(by):
        week = PracticeWeek(local_authority=local_authority, title=title.strip(), start=start, end=end, created_by=by)
        week.save()
        for team in sorted(set(teams), key=lambda t: t.pk):
            PracticeWeekTeam(local_authority=local_authority, week=week, team=team).save()
    return week


def practice_week_summary_save(*, entry: PracticeWeek | PracticeWeekTeam, what_we_found: str, what_we_will_do: str,
                               by: User, expected_version: int | None = None) -> PracticeWeek | PracticeWeekTeam:
    """The leader's summary for the week, or for one team in it."""
    with transaction.atomic(), acting_as(by):
        locked = type(entry).objects.select_for_update().get(pk=entry.pk)
        refuse_stale(locked, expected_version)
        locked.what_we_found = what_we_found.strip()
        locked.what_we_will_do = what_we_will_do.strip()
        locked.save()
    return locked
