"""Builders for case audit tests: open cases, auditors, and audits at any stage."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from hearth.accounts.models import Team, User
from hearth.accounts.roles import Role
from hearth.allocations.models import Allocation
from hearth.audit.actor import acting_as
from hearth.case_audits import services
from hearth.case_audits.models import AuditRound, AuditTemplate, CaseAudit, Grade
from hearth.cin.models import CINEpisode
from hearth.people.models import Person
from hearth.tenancy.models import LocalAuthority
from tests.factories import make_person, make_team, make_user


def open_case(la: LocalAuthority, team: Team, worker: User | None = None, *, referred: date | None = None,
              closed: date | None = None, level: str = Person.AccessLevel.OPEN, **person: Any) -> Person:
    """A child with a children-in-need episode (open unless ``closed``) and, with a worker, an allocation."""
    child = make_person(la, level, **person)
    referred = referred or timezone.localdate() - timedelta(days=120)
    with acting_as("test"):
        CINEpisode(local_authority=la, child=child, referral_date=referred, referral_source="2A", team=team,
                   closed_on=closed, closure_reason="RC1" if closed else "").save()
        if worker is not None:
            Allocation(local_authority=la, child=child, team=team, worker=worker, started_on=referred,
                       ended_on=closed).save()
    return child


@dataclass
class Council:
    la: LocalAuthority
    team_a: Team
    team_b: Team
    worker_a: User
    worker_b: User
    manager_a: User
    manager_b: User
    head: User
    iro: User
    analyst: User
    children_a: list[Person] = field(default_factory=list)
    children_b: list[Person] = field(default_factory=list)

    @property
    def template(self) -> AuditTemplate:
        return AuditTemplate.objects.get(local_authority=self.la, family="standard", replaced_on__isnull=True)


def council(la: LocalAuthority, *, per_team: int = 3) -> Council:
    team_a = make_team(la, "Safeguarding North")
    team_b = make_team(la, "Children in Care East", kind=Team.Kind.CHILDREN_IN_CARE)
    qa = make_team(la, "Quality assurance", kind=Team.Kind.QUALITY_ASSURANCE)
    leadership = make_team(la, "Leadership", kind=Team.Kind.LEADERSHIP)
    made = Council(
        la=la, team_a=team_a, team_b=team_b,
        worker_a=make_user(la, Role.SOCIAL_WORKER, team_a, first_name="Sam", last_name="Okafor"),
        worker_b=make_user(la, Role.SOCIAL_WORKER, team_b, first_name="Tom", last_name="Hughes"),
        manager_a=make_user(la, Role.TEAM_MANAGER, team_a, first_name="Ruth", last_name="Evans"),
        manager_b=make_user(la, Role.TEAM_MANAGER, team_b, first_name="Priya", last_name="Shah"),
        head=make_user(la, Role.SERVICE_MANAGER, leadership, first_name="Hana", last_name="Osei"),
        iro=make_user(la, Role.IRO, qa, first_name="Ife", last_name="Adeyemi"),
        analyst=make_user(la, Role.PERFORMANCE_ANALYST, None, first_name="Ana", last_name="Lyst"),
    )
    for _ in range(per_team):
        made.children_a.append(open_case(la, team_a, made.worker_a))
        made.children_b.append(open_case(la, team_b, made.worker_b))
    services.audit_defaults_install(local_authority=la, by="test")
    return made


def draw(c: Council, *, size: int = 4, auditors: list[User] | None = None, seed: int = 7, method: str = "random",
         theme: str = "", moderation_percent: int = 0, on: date | None = None) -> AuditRound:
    today = on or timezone.localdate()
    return services.round_draw(
        local_authority=c.la, title="Test round", month=today, template=c.template, method=method, theme=theme,
        sample_size=size, auditors=auditors or [c.manager_a, c.manager_b, c.iro], due_on=today + timedelta(days=20),
        seed=seed, moderation_percent=moderation_percent, by=c.head, on=on)


def empty_round(c: Council, *, month: date | None = None) -> AuditRound:
    today = timezone.localdate()
    with acting_as("test"):
        made = AuditRound(local_authority=c.la, title="Hand-made round", month=(month or today).replace(day=1),
                          template=c.template, method=AuditRound.Method.RANDOM, sample_size=1, seed=1,
                          drawn_on=today, drawn_by=c.head, due_on=today + timedelta(days=20))
        made.save()
    return made


def answers_for(audit: CaseAudit, grade: str = Grade.GOOD) -> dict[int, services.AnswerInput]:
    return {q.pk: services.AnswerInput(grade, f"Evidence for {q.order}")
            for q in audit.round.template.questions.all()}


def submit(audit: CaseAudit, grade: str = Grade.GOOD, *, themes: tuple[str, ...] = ("drift-and-delay",),
           on: date | None = None, areas: str = "Plans need clearer timescales") -> CaseAudit:
    audit.refresh_from_db()
    return services.audit_save(audit=audit, answers=answers_for(audit, grade), overall_grade=grade,
                               strengths="Child seen alone", areas_for_development=areas, themes=themes,
                               submit=True, by=audit.auditor, on=on)


def audit_of(c: Council, child: Person, auditor: User, *, round_: AuditRound | None = None,
             moderation_required: bool = False) -> CaseAudit:
    """An audit made directly (no draw), for tests about one audit."""
    audit_round = round_ or AuditRound.objects.filter(local_authority=c.la).first() or empty_round(c)
    team = Allocation.objects.filter(child=child, ended_on__isnull=True).values_list("team_id", flat=True).first()
    worker = Allocation.objects.filter(child=child, ended_on__isnull=True).values_list("worker_id", flat=True).first()
    with acting_as("test"):
        audit = CaseAudit(local_authority=c.la, round=audit_round, child=child, auditor=auditor, team_id=team,
                          worker_id=worker, due_on=audit_round.due_on, moderation_required=moderation_required)
        audit.save()
    return audit
