"""A year of case audits for the synthetic council: monthly random and themed rounds drawn from the cases open
that month, audits graded better as the year goes on (the council is improving), moderation, actions back to
workers (some overdue), themes, a template revised half way through the year, and a practice week.

Rounds are drawn with the same sampler a head of service uses (``hearth.case_audits.sampling``), from the
children-in-need episodes open on the day of each draw, so no one audits their own case or their team's.
Everything is written through the seed writer with its history, deterministically for a seed.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from dateutil.relativedelta import relativedelta
from django.db.models import Q

from hearth.accounts.models import Team, User
from hearth.accounts.roles import Role
from hearth.allocations.models import Allocation
from hearth.audit.actor import Actor, current_actor
from hearth.case_audits import defaults
from hearth.case_audits.models import (
    GRADE_ORDER,
    Area,
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
from hearth.case_audits.rules import AUDITOR_ROLES
from hearth.case_audits.sampling import LEFT_OUT_WORDS, Candidate, draw_sample
from hearth.case_audits.themes import THEMES
from hearth.cin.models import CINEpisode
from hearth.people.models import Person
from hearth.tenancy.models import LocalAuthority

from .bulk import SeedWriter, new

MONTHS = 12
THEME_ROTATION = ["second_cp_plan", "missing_3plus", "assessment_over_45", "placements_3plus", "cp_plan_18_months"]
# Audits a month in the random round, and in the themed one.
RANDOM_SIZE = (7, 10)
THEMED_SIZE = (3, 5)
AUDITORS_A_MONTH = 6

STRENGTHS = [
    "The child was seen alone and their words are recorded throughout.",
    "Good direct work: the child's wishes and feelings shaped the plan.",
    "A clear, up-to-date chronology that shows the impact of events on the child.",
    "Strong partnership working with school and health; core groups well attended.",
    "Visits on time, purposeful and recorded promptly.",
    "The assessment analyses history and risk well, not just describing it.",
]
AREAS = {
    "drift-and-delay": "The plan has not moved on since the last review; actions are repeated without timescales.",
    "management-oversight": "Management oversight is recorded but does not direct the work or challenge drift.",
    "chronology": "The chronology is out of date and does not show the impact of significant events.",
    "contingency-planning": "There is no contingency plan if the family does not make the changes needed.",
    "voice-of-the-child": "The child's views are not recorded in their own words and were not seen alone.",
    "partnership-working": "Partners are not contributing to the plan; health did not attend core groups.",
    "risk-analysis": "Risks are listed but not analysed; cumulative harm is not considered.",
    "direct-work": "No direct work with the child is recorded in the last three months.",
}
ACTIONS = {
    "drift-and-delay": "Review the plan with SMART actions and timescales, and discuss at supervision",
    "management-oversight": "Team manager to record a directive case discussion with next steps",
    "chronology": "Bring the chronology up to date with the impact of each significant event",
    "contingency-planning": "Add a contingency plan and share it with the family",
    "voice-of-the-child": "Complete direct work with the child and record their views in their own words",
    "partnership-working": "Invite health and school to the next core group and follow up non-attendance",
    "risk-analysis": "Update the assessment with an analysis of risk and protective factors",
    "direct-work": "Plan and record direct work with the child before the next review",
}
EVIDENCE = {
    Grade.OUTSTANDING: "Consistently strong: {area} evidenced throughout the record, with impact for the child.",
    Grade.GOOD: "{area} is evident and mostly up to date; minor gaps.",
    Grade.REQUIRES_IMPROVEMENT: "{area} is inconsistent: some evidence but gaps in the last three months.",
    Grade.INADEQUATE: "{area} is not evident in the record; the child's experience is not clear.",
}
WORKER_FEEDBACK = [
    "The worker found the conversation helpful and agreed the actions.",
    "The worker said caseload pressures had delayed recording; agreed a plan with their manager.",
    "The worker reflected on the child's voice and will plan direct work.",
]
FAMILY_FEEDBACK = [
    "Mum said the worker listens and explains things clearly.",
    "The young person said they would like to see their worker more often.",
    "Dad felt meetings were arranged at short notice.",
]
REVISED_QUESTION = (Area.VOICE, "Are the child's identity, culture and heritage understood and reflected in the plan?",
                    "Ethnicity, faith, language and culture considered; the child's identity needs met.")


@dataclass
class _Case:
    child_id: int
    team_id: int | None
    worker_id: int | None
    protected: bool


def _grade_weights(month_index: int) -> list[float]:
    """Outstanding, good, requires improvement, inadequate: the share good or better rises over the year."""
    progress = month_index / (MONTHS - 1)
    outstanding = 0.03 + 0.06 * progress
    good = 0.30 + 0.28 * progress
    inadequate = 0.22 - 0.15 * progress
    return [outstanding, good, 1 - outstanding - good - inadequate, inadequate]


def _grades(n: int, month_index: int, rng: random.Random) -> list[str]:
    """``n`` overall grades in the month's proportions (largest remainder), shuffled: a steady trend, not noise."""
    weights = _grade_weights(month_index)
    exact = [n * w for w in weights]
    counts = [int(x) for x in exact]
    for i in sorted(range(len(weights)), key=lambda i: -(exact[i] - counts[i]))[: n - sum(counts)]:
        counts[i] += 1
    grades = [str(g) for g, k in zip(GRADE_ORDER, counts, strict=True) for _ in range(k)]
    rng.shuffle(grades)
    return grades


def _step(grade: str, rng: random.Random) -> str:
    """A grade one step away (for a question, or a moderator who disagrees)."""
    i = GRADE_ORDER.index(Grade(grade))
    options = [j for j in (i - 1, i + 1) if 0 <= j < len(GRADE_ORDER)]
    return str(GRADE_ORDER[rng.choice(options)])


class _Seeder:
    def __init__(self, la: LocalAuthority, seed: int, today: date):
        self.la, self.today = la, today
        self.rng = random.Random(seed * 7919 + 17)
        actor = current_actor() or Actor(user_id=None, system="seed_demo")
        self.writer = SeedWriter(actor=actor)
        # Rows are kept here and written together at the end, parents first (the writer fills in their ids).
        self.buffer: dict[type, list[Any]] = defaultdict(list)
        self.last_rounds: dict[str, AuditRound] = {}
        self._candidates: dict[tuple[int, int | None, int | None, bool], Candidate] = {}
        first = today.replace(day=1) - relativedelta(months=MONTHS - 1)
        self.months = [first + relativedelta(months=i) for i in range(MONTHS)]
        # The standard template is revised half way through the year; later rounds use the new version.
        self.revised_month = self.months[MONTHS // 2]
        # A practice week five weeks ago, Monday to Friday: that month's audits are done in it, as they would be.
        self.week_start = today - timedelta(days=today.weekday() + 35)
        self.week_end = self.week_start + timedelta(days=4)

    # ------------------------------------------------------------------------------------------ reading

    def read(self) -> None:
        la, first = self.la, self.months[0]
        # Only what was open at some time in the year matters: five years of history is mostly closed.
        in_year = Q(closed_on__isnull=True) | Q(closed_on__gt=first)
        self.episodes = sorted(CINEpisode.objects.filter(in_year, local_authority=la, child__merged_into__isnull=True,
                                                         referral_date__lte=self.today)
                               .values_list("child_id", "referral_date", "closed_on", "team_id",
                                            "child__access_level"), key=lambda r: (r[0], r[1]))
        self.allocations: dict[int, list[tuple[date, date | None, int, int | None]]] = defaultdict(list)
        held = (Allocation.objects.filter(Q(ended_on__isnull=True) | Q(ended_on__gt=first), local_authority=la,
                                          kind=Allocation.Kind.SOCIAL_WORKER)
                .values_list("child_id", "started_on", "ended_on", "team_id", "worker_id")
                .order_by("child_id", "started_on", "pk"))
        for child, start, end, team, worker in held:
            self.allocations[child].append((start, end, team, worker))
        self._conflicts: dict[tuple[int | None, int | None], frozenset[int]] = {}
        staff = list(User.objects.filter(local_authority=la, is_active=True).order_by("pk")
                     .values_list("pk", "role", "team_id", "username"))
        self.auditors = [pk for pk, role, _, _ in staff if role in AUDITOR_ROLES]
        self.worker_team = {pk: team for pk, _, team, _ in staff}
        self.managers: dict[int, set[int]] = defaultdict(set)
        for pk, role, team, _ in staff:
            if role == Role.TEAM_MANAGER and team is not None:
                self.managers[team].add(pk)
        self.by_name = {username: pk for pk, _, _, username in staff}
        self.heads = [pk for pk, role, _, _ in staff if role == Role.SERVICE_MANAGER]
        self.teams = dict(Team.objects.filter(local_authority=la).values_list("pk", "name"))

    def open_on(self, day: date) -> list[_Case]:
        cases: dict[int, _Case] = {}
        for child, referred, closed, team, level in self.episodes:
            if referred <= day and (closed is None or closed > day):
                cases[child] = _Case(child, team, None, level != Person.AccessLevel.OPEN)
        for child, case in cases.items():
            for start, end, team, worker in self.allocations.get(child, []):
                if start <= day and (end is None or end > day):
                    case.team_id, case.worker_id = team, worker
        return [cases[c] for c in sorted(cases)]

    def candidate(self, case: _Case) -> Candidate:
        key = (case.child_id, case.team_id, case.worker_id, case.protected)
        found = self._candidates.get(key)
        if found is None:
            found = self._candidates[key] = Candidate(case.child_id, case.team_id, case.worker_id,
                                                      self.conflicts(case), case.protected, frozenset())
        return found

    def conflicts(self, case: _Case) -> frozenset[int]:
        key = (case.team_id, case.worker_id)
        if key not in self._conflicts:
            self._conflicts[key] = self._conflicts_of(case)
        return self._conflicts[key]

    def _conflicts_of(self, case: _Case) -> frozenset[int]:
        found: set[int] = set()
        if case.worker_id is not None:
            found.add(case.worker_id)
            found |= self.managers.get(self.worker_team.get(case.worker_id) or 0, set())
        if case.team_id is not None:
            found |= self.managers.get(case.team_id, set())
        return frozenset(found)

    # ------------------------------------------------------------------------------------------ set-up

    def set_up(self, revised_on: date) -> None:
        """The council's themes and templates; the standard template revised on ``revised_on``."""
        la, w = self.la, self.writer
        themes = [new(AuditTheme, local_authority=la, slug=slug, name=name, order=i)
                  for i, (slug, name) in enumerate(defaults.THEMES)]
        w.save(AuditTheme, themes)
        self.theme_slugs = [t.slug for t in themes]
        self.templates: dict[str, AuditTemplate] = {}
        questions: list[AuditQuestion] = []
        self.questions: dict[int, list[AuditQuestion]] = {}
        for family, name, description, items in defaults.TEMPLATES:
            editions = [(1, items)] + ([(2, [*items, REVISED_QUESTION])] if family == "standard" else [])
            for edition, listed in editions:
                template = new(AuditTemplate, local_authority=la, family=family, edition=edition, name=name,
                               description=description,
                               replaced_on=revised_on if (family == "standard" and edition == 1) else None)
                w.save(AuditTemplate, [template])
                self.templates[f"{family}:{edition}"] = template
                made = [new(AuditQuestion, local_authority=la, template=template, order=i, area=area, text=text,
                            guidance=guidance) for i, (area, text, guidance) in enumerate(listed, start=1)]
                questions += made
                self.questions[template.pk] = made
        w.save(AuditQuestion, questions)

    # ------------------------------------------------------------------------------------------ a month

    def month(self, index: int, month: date, head: int | None, demo_auditors: list[int]) -> None:
        rng, today = self.rng, self.today
        drawn_on = min(month + timedelta(days=2), today)
        due_on = month + relativedelta(months=1) - timedelta(days=1)
        cases = self.open_on(drawn_on)
        pool = sorted(rng.sample(self.auditors, min(AUDITORS_A_MONTH, len(self.auditors))))
        pool = sorted(set(pool) | set(demo_auditors if index == MONTHS - 1 else []))
        frame = [self.candidate(c) for c in cases]
        standard = self.templates["standard:2" if month >= self.revised_month else "standard:1"]
        by_id = {c.child_id: c for c in cases}
        rounds = [("random", "", standard, frame, rng.randint(*RANDOM_SIZE))]
        theme = THEME_ROTATION[index % len(THEME_ROTATION)]
        matched = THEMES[theme].children(self.la.pk, drawn_on)
        themed_template = self.templates["missing-from-home:1"] if theme == "missing_3plus" else standard
        rounds.append(("themed", theme, themed_template, [f for f in frame if f.child_id in matched],
                       rng.randint(*THEMED_SIZE)))
        taken: set[int] = set()
        for method, code, template, candidates, size in rounds:
            candidates = [c for c in candidates if c.child_id not in taken]
            seed = rng.randint(1, 999_999_999)
            draw = draw_sample(candidates=candidates, auditors=pool, size=size, seed=seed, moderation_percent=15)
            label = THEMES[code].label if code else ""
            title = f"{month:%B %Y}: " + (label[0].lower() + label[1:] if code else "random sample")
            audit_round = new(
                AuditRound, local_authority=self.la, title=title, month=month, template=template, method=method,
                theme=code, sample_size=size, seed=seed, moderation_percent=15, eligible=draw.available,
                left_out=sum(draw.left_out.values()), drawn_on=drawn_on, drawn_by_id=head, due_on=due_on,
                criteria={
                    "method": method, "theme": code, "theme_label": label,
                    "theme_rule": THEMES[code].description if code else "",
                    "population": "Children with a children-in-need episode open on the day the sample was drawn "
                                  "(children in need, on a child protection plan or in care); closed cases are "
                                  "never drawn.",
                    "scope_team": "", "scope_service_area": "", "drawn_on": drawn_on.isoformat(), "seed": seed,
                    "sample_size": size, "matched": draw.matched, "available": draw.available,
                    "drawn": len(draw.drawn),
                    "left_out": [{"reason": r, "words": LEFT_OUT_WORDS[r], "count": n}
                                 for r, n in sorted(draw.left_out.items())],
                    "strata": [{"team": self.teams.get(s.team_id or 0, "No team recorded"), "available": s.available,
                                "drawn": s.drawn} for s in draw.strata],
                    "auditors": len(pool), "moderation_percent": 15,
                    "stratified_by": "team (each team's share of the sample is its share of the cases)",
                })
            self.buffer[AuditRound].append(audit_round)
            self.last_rounds[method] = audit_round
            grades = _grades(len(draw.drawn), index, rng)
            for d, grade in zip(draw.drawn, grades, strict=True):
                taken.add(d.candidate.child_id)
                self.audit(audit_round, by_id[d.candidate.child_id], d.auditor_id, d.moderate, pool, grade)

    def audit(self, audit_round: AuditRound, case: _Case, auditor: int, moderate: bool, pool: list[int],
              grade: str) -> None:
        rng, today = self.rng, self.today
        month = audit_round.month
        month_end = month + relativedelta(months=1) - timedelta(days=1)
        current = month_end >= today
        submitted_on: date | None = None
        status = CaseAudit.Status.SUBMITTED
        if current:
            status = rng.choice([CaseAudit.Status.ALLOCATED, CaseAudit.Status.IN_PROGRESS,
                                 CaseAudit.Status.SUBMITTED, CaseAudit.Status.SUBMITTED])
        latest = min(month_end, today - timedelta(days=1))
        if status == CaseAudit.Status.SUBMITTED and latest < audit_round.drawn_on:
            status = CaseAudit.Status.IN_PROGRESS  # drawn today: nothing can have been submitted yet
        if status == CaseAudit.Status.SUBMITTED:
            earliest = min(audit_round.drawn_on + timedelta(days=3), latest)
            submitted_on = earliest + timedelta(days=rng.randint(0, max(0, (latest - earliest).days)))
            in_week = (max(self.week_start, audit_round.drawn_on), min(self.week_end, latest))
            if month <= self.week_start <= month_end and in_week[0] <= in_week[1] and rng.random() < 0.8:
                submitted_on = in_week[0] + timedelta(days=rng.randint(0, (in_week[1] - in_week[0]).days))
        found = self._themes_for(grade)
        audit = new(
            CaseAudit, local_authority=self.la, round=audit_round, child_id=case.child_id, auditor_id=auditor,
            team_id=case.team_id, worker_id=case.worker_id, status=status, due_on=audit_round.due_on,
            overall_grade=grade if status != CaseAudit.Status.ALLOCATED else "",
            strengths=rng.choice(STRENGTHS) if status != CaseAudit.Status.ALLOCATED else "",
            areas_for_development=" ".join(AREAS[t] for t in found) if submitted_on else "",
            themes=found if submitted_on else [],
            worker_feedback=rng.choice(WORKER_FEEDBACK) if submitted_on and rng.random() < 0.5 else "",
            family_feedback=rng.choice(FAMILY_FEEDBACK) if submitted_on and rng.random() < 0.3 else "",
            submitted_on=submitted_on,
            moderation_required=moderate or (submitted_on is not None and grade == Grade.INADEQUATE),
        )
        self.buffer[CaseAudit].append(audit)
        questions = self.questions[audit_round.template_id]
        if status == CaseAudit.Status.ALLOCATED:
            return
        answers = []
        for q in questions if submitted_on else questions[: rng.randint(1, len(questions) - 1)]:
            answer_grade = grade if rng.random() < 0.6 else _step(grade, rng)
            answers.append(new(AuditAnswer, local_authority=self.la, audit=audit, question=q, grade=answer_grade,
                               evidence=EVIDENCE[Grade(answer_grade)].format(area=Area(q.area).label)))
        self.buffer[AuditAnswer] += answers
        if submitted_on is None:
            return
        if audit.moderation_required and (today - submitted_on).days > 7:
            self.moderation(audit, grade, submitted_on, pool, case)
        if grade in (Grade.REQUIRES_IMPROVEMENT, Grade.INADEQUATE) and case.worker_id is not None:
            self.actions(audit, found, submitted_on, auditor, case)

    def _themes_for(self, grade: str) -> list[str]:
        rng = self.rng
        count = {Grade.OUTSTANDING: 0, Grade.GOOD: rng.randint(0, 1), Grade.REQUIRES_IMPROVEMENT: rng.randint(1, 2),
                 Grade.INADEQUATE: rng.randint(2, 3)}[Grade(grade)]
        weights = [5 if s in ("drift-and-delay", "management-oversight") else 3 if s in (
            "chronology", "contingency-planning", "voice-of-the-child") else 2 for s in self.theme_slugs]
        found: list[str] = []
        while len(found) < count:
            pick = rng.choices(self.theme_slugs, weights=weights)[0]
            if pick not in found:
                found.append(pick)
        return found

    def moderation(self, audit: CaseAudit, grade: str, submitted_on: date, pool: list[int], case: _Case) -> None:
        rng = self.rng
        conflicts = self.conflicts(case)
        moderators = [a for a in pool if a != audit.auditor_id and a not in conflicts]
        if not moderators:
            return
        agreed = rng.random() < 0.7
        moderated = new(Moderation, local_authority=self.la, audit=audit, moderator_id=rng.choice(moderators),
                        agreed=agreed, grade=grade if agreed else _step(grade, rng),
                        rationale="Agree: the evidence supports the grade." if agreed else
                        "The evidence supports a different grade: see the plan and the last three visits.",
                        moderated_on=min(submitted_on + timedelta(days=rng.randint(2, 7)), self.today))
        self.buffer[Moderation].append(moderated)

    def actions(self, audit: CaseAudit, found: list[str], submitted_on: date, auditor: int, case: _Case) -> None:
        rng, today = self.rng, self.today
        rows = []
        for slug in (found or ["drift-and-delay"])[:2]:
            due_on = submitted_on + timedelta(days=20)
            # Most actions are done, nearly all of the older ones; a few recent ones run late.
            chance = 0.97 if due_on < today - timedelta(days=45) else 0.75 if due_on < today else 0.2
            done = rng.random() < chance and submitted_on < today
            completed = min(due_on + timedelta(days=rng.randint(-15, 6)), today - timedelta(days=1)) if done else None
            if completed is not None and completed < submitted_on:
                completed = submitted_on
            rows.append(new(AuditAction, local_authority=self.la, audit=audit, child_id=case.child_id,
                            team_id=case.team_id, what=ACTIONS[slug], assigned_to_id=case.worker_id,
                            set_by_id=auditor, set_on=submitted_on, due_on=due_on, completed_on=completed,
                            completion_note="Done; recorded on the child's record." if completed else "",
                            completed_by_id=case.worker_id if completed else None))
        self.buffer[AuditAction] += rows

    # ------------------------------------------------------------------------------------------ the demo logins

    def demo_worker_actions(self) -> None:
        """sw.demo has audit actions waiting on My work: one overdue, one due soon."""
        worker = self.by_name.get("sw.demo")
        last_round = self.last_rounds.get("random")
        if worker is None or last_round is None:
            return
        done = {a.child_id for a in self.buffer[CaseAudit] if a.round is last_round}
        mine = [c for c in self.open_on(self.today) if c.worker_id == worker and c.child_id not in done
                and not c.protected]
        auditors = [a for a in self.auditors if a not in self.conflicts(mine[0])] if mine else []
        if not mine or not auditors:
            return
        case, auditor = mine[0], auditors[0]
        submitted_on = min(max(self.today - timedelta(days=25), last_round.drawn_on), self.today)
        audit = new(CaseAudit, local_authority=self.la, round=last_round, child_id=case.child_id, auditor_id=auditor,
                    team_id=case.team_id, worker_id=worker, status=CaseAudit.Status.SUBMITTED,
                    due_on=last_round.due_on, overall_grade=Grade.REQUIRES_IMPROVEMENT,
                    strengths=STRENGTHS[0], areas_for_development=AREAS["contingency-planning"] + " "
                    + AREAS["chronology"], themes=["contingency-planning", "chronology"], submitted_on=submitted_on)
        self.buffer[CaseAudit].append(audit)
        self.buffer[AuditAnswer] += [
            new(AuditAnswer, local_authority=self.la, audit=audit, question=q, grade=Grade.REQUIRES_IMPROVEMENT,
                evidence=EVIDENCE[Grade.REQUIRES_IMPROVEMENT].format(area=Area(q.area).label))
            for q in self.questions[last_round.template_id]]
        self.buffer[AuditAction] += [
            new(AuditAction, local_authority=self.la, audit=audit, child_id=case.child_id, team_id=case.team_id,
                what=ACTIONS["contingency-planning"], assigned_to_id=worker, set_by_id=auditor,
                set_on=submitted_on, due_on=self.today - timedelta(days=4)),
            new(AuditAction, local_authority=self.la, audit=audit, child_id=case.child_id, team_id=case.team_id,
                what=ACTIONS["chronology"], assigned_to_id=worker, set_by_id=auditor, set_on=submitted_on,
                due_on=self.today + timedelta(days=10)),
        ]

    def write(self) -> None:
        for model in (AuditRound, CaseAudit, AuditAnswer, Moderation, AuditAction):
            self.writer.save(model, self.buffer[model])

    def practice_week(self, head: int | None) -> None:
        start = self.week_start
        audited: dict[int, int] = defaultdict(int)
        for audit in self.buffer[CaseAudit]:
            if audit.team_id and audit.submitted_on and start <= audit.submitted_on <= self.week_end:
                audited[audit.team_id] += 1
        busiest = sorted(audited, key=lambda t: (-audited[t], self.teams.get(t, "")))[:2]
        teams = sorted(((t, self.teams.get(t, "")) for t in busiest), key=lambda t: t[1])
        if not teams:
            return
        week = new(PracticeWeek, local_authority=self.la, title=f"Practice week, {start:%-d %B %Y}",
                   start=start, end=self.week_end, created_by_id=head,
                   what_we_found="Children are seen and their voices heard more consistently than in the spring. "
                                 "Plans still drift where management oversight does not set timescales.",
                   what_we_will_do="Team managers to record a directive case discussion for every plan over six "
                                   "months; repeat the themed audit of child protection plans in three months.")
        self.writer.save(PracticeWeek, [week])
        self.writer.save(PracticeWeekTeam, [
            new(PracticeWeekTeam, local_authority=self.la, week=week, team_id=pk,
                what_we_found=f"{name}: visits on time; contingency plans often missing.",
                what_we_will_do="Contingency plans checked at every supervision for the next two months.")
            for pk, name in teams])


def seed_case_audits(*, la: LocalAuthority, seed: int, today: date) -> int:
    """Twelve months of case audit rounds for ``la`` up to ``today``. Returns the rows written."""
    if AuditRound.objects.filter(local_authority=la).exists():
        return 0
    seeder = _Seeder(la, seed, today)
    seeder.read()
    if not seeder.auditors:
        return 0
    seeder.set_up(revised_on=seeder.revised_month)
    head = seeder.by_name.get("hos.demo") or (seeder.heads[0] if seeder.heads else None)
    demo_auditors = [pk for name, pk in seeder.by_name.items() if name in ("tm.demo", "iro.demo")]
    for index, month in enumerate(seeder.months):
        seeder.month(index, month, head, demo_auditors)
    seeder.demo_worker_actions()
    seeder.write()
    seeder.practice_week(head)
    seeder.writer.finish()
    return seeder.writer.rows

