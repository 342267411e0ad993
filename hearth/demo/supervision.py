"""Twelve months of supervision for the synthetic council: every supervised worker seen mostly in time under the
default policy, with realistic slippage, cancelled and rearranged sessions, two teams whose gaps close over the
last five months, newly qualified workers in their ASYE seen more often, and case discussions of a sample of each
worker's children, each on the child's chronology as management oversight. The demo social worker (sw.demo) is a
few days overdue, so their team manager has someone to supervise.

Everything is written through the seed writer with its history, deterministically for a seed.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from hearth.accounts.models import User
from hearth.accounts.roles import Role
from hearth.allocations.models import Allocation
from hearth.audit.actor import Actor, current_actor
from hearth.chronology.models import ChronologyEvent, EventType
from hearth.people.models import Person
from hearth.supervision.models import CaseDiscussion, SupervisionArrangement, SupervisionSession
from hearth.supervision.schedule import SUPERVISED_ROLES, Policy
from hearth.supervision.selectors import CASELOAD_KINDS
from hearth.supervision.services import CHRONOLOGY_TITLE, chronology_summary
from hearth.tenancy.models import LocalAuthority

from .bulk import SeedWriter, new

YEAR_DAYS = 365
STRUGGLING_TEAMS = 2
# The struggling teams' gaps close over the last five months.
IMPROVING_DAYS = 150
NOT_HELD_RATE = 0.07
ASYE_RATE = 0.6
SENIOR_SUPERVISES_RATE = 0.12
DEMO_WORKER_LAST_DAYS = 33

WELLBEING = [
    "Feeling settled in the team. Managing the travel between visits.",
    "Tired after two late nights on duty; agreed to take time back next week.",
    "Finding one family's hostility hard; talked through support options and the employee assistance line.",
    "Back from leave and refreshed. No concerns raised.",
    "Some anxiety about an upcoming final hearing; agreed a practice run of giving evidence.",
    "Reports good balance at the moment; enjoying the direct work.",
]
WORKLOAD = [
    "Caseload at the team's target. Two assessments due this week; both on track.",
    "Caseload above target after a colleague left; agreed to reallocate two children at the next allocation meeting.",
    "Court statements due for one family; protected two days to write them.",
    "Several visits overdue last month; now caught up. Agreed to book visits a month ahead.",
    "Manageable. Recording is up to date.",
]
LEARNING = [
    "Booked on the exploitation awareness course.",
    "Completed the signs of safety refresher; applying the mapping in conferences.",
    "Working towards practice educator stage one.",
    "ASYE portfolio: observed practice completed; reflective log up to date.",
    "Shadowing the court team for a day next month.",
    "",
]
REFLECTION = [
    "Reflected on a visit where the child was not seen alone; agreed how to plan for it next time.",
    "Discussed the impact of a long case on the worker and what helps them stay curious.",
    "Used the reflective cycle on a disagreement with a partner agency about thresholds.",
    "Thought about the child's lived experience: what a day at home is like for them.",
    "",
]
ACTIONS = [
    "Book the next visits before the end of the week.",
    "Update the chronology and case summary before the review.",
    "Send the strategy discussion minutes to the police.",
    "Complete the outstanding direct work session.",
    "None beyond the case actions below.",
]
DISCUSSIONS = [
    "Reviewed the plan's progress since the last core group. Visits are happening on time and the child has been "
    "seen alone.",
    "Discussed school's concerns about attendance and presentation. Mother is engaging but struggles with "
    "mornings.",
    "Considered the latest police notification of an incident at home and what it means for the safety plan.",
    "Talked through the child's wishes and feelings from the last direct work session.",
    "Reviewed contact arrangements and how the child is after contact.",
    "Looked at the chronology for patterns: three missing episodes in two months.",
    "Discussed drift: the plan's actions for health have not moved since the last review.",
    "Considered whether the case is ready to step down to early help.",
]
DECISIONS = [
    "Continue the plan. Worker to visit weekly and update the chronology.",
    "Request a multi-agency meeting with school and health.",
    "Escalate to the head of service for a legal planning meeting.",
    "Refer to the family support service for routines work.",
    "Complete a return home interview follow-up and share with the exploitation team.",
    "Seek the IRO's view before the next review.",
    "Update the assessment to reflect the new information.",
]
PROGRESS = [(CaseDiscussion.Progress.YES, 0.6), (CaseDiscussion.Progress.PARTLY, 0.28),
            (CaseDiscussion.Progress.NO, 0.12)]


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    # The council's zone, read once: make_aware looks it up on every call, and there are tens of thousands.
    return datetime.combine(day, time(hour, minute), tzinfo=_ZONE)


_ZONE = timezone.get_default_timezone()


def _weekday(day: date) -> date:
    """A planned session falls on a working day: Saturday moves back to Friday, Sunday on to Monday."""
    if day.weekday() == 5:
        return day - timedelta(days=1)
    if day.weekday() == 6:
        return day + timedelta(days=1)
    return day


@dataclass
class _Caseload:
    spells: list[tuple[int, date, date | None]] = field(default_factory=list)

    def on(self, day: date) -> list[int]:
        return sorted({child for child, start, end in self.spells if start <= day and (end is None or end > day)})


class _Seeder:
    def __init__(self, la: LocalAuthority, seed: int, today: date):
        self.la, self.today = la, today
        self.rng = random.Random(f"hearth-demo-supervision-{seed}")
        self.policy = Policy()
        self.year_start = today - timedelta(days=YEAR_DAYS)
        actor = current_actor() or Actor(user_id=None, system="seed_demo")
        self.writer = SeedWriter(actor=actor)
        self.arrangements: list[SupervisionArrangement] = []
        self.sessions: list[SupervisionSession] = []
        self.discussions: list[tuple[CaseDiscussion, SupervisionSession, str]] = []
        self.last_discussed: dict[int, date] = {}

    def read(self) -> None:
        la = self.la
        self.workers = list(
            User.objects.filter(local_authority=la, role__in=list(SUPERVISED_ROLES), is_active=True)
            .filter(Q(left_on__isnull=True) | Q(left_on__gt=self.today)).order_by("pk")
        )
        self.place = {w.pk: i for i, w in enumerate(self.workers)}
        self.managers: dict[int, list[User]] = defaultdict(list)
        self.seniors: dict[int, list[User]] = defaultdict(list)
        for worker in self.workers:
            if worker.team_id and worker.role == Role.TEAM_MANAGER:
                self.managers[worker.team_id].append(worker)
            if worker.team_id and worker.role == Role.SENIOR_PRACTITIONER:
                self.seniors[worker.team_id].append(worker)
        heads = list(User.objects.filter(local_authority=la, role=Role.SERVICE_MANAGER, is_active=True).order_by("pk"))
        demo_head = [h for h in heads if h.username == "hos.demo"]
        self.heads = demo_head + [h for h in heads if h not in demo_head] or list(
            User.objects.filter(local_authority=la, role=Role.DIRECTOR, is_active=True).order_by("pk"))
        self.caseloads: dict[int, _Caseload] = defaultdict(_Caseload)
        spells = (
            Allocation.objects.filter(local_authority=la, worker__isnull=False, kind__in=CASELOAD_KINDS,
                                      child__access_level=Person.AccessLevel.OPEN, started_on__lte=self.today)
            .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=self.year_start))
            .order_by("pk").values_list("worker_id", "child_id", "started_on", "ended_on")
        )
        for worker_id, child_id, started_on, ended_on in spells:
            self.caseloads[worker_id].spells.append((child_id, started_on, ended_on))
        demo_team = next((w.team_id for w in self.workers if w.username == "sw.demo"), None)
        teams = sorted({w.team_id for w in self.workers if w.team_id and w.team_id != demo_team
                        and self.caseloads.get(w.pk)})
        self.struggling = set(self.rng.sample(teams, min(STRUGGLING_TEAMS, len(teams))))

    # ------------------------------------------------------------------------------------------ a worker

    def _supervisor(self, worker: User, named: User | None) -> User | None:
        if named is not None:
            return named
        managers = [m for m in self.managers.get(worker.team_id or 0, []) if m.pk != worker.pk]
        if managers and worker.role != Role.TEAM_MANAGER:
            return managers[0]
        # By the worker's place among the staff, not their pk: a seed gives the same council on any database
        # (PostgreSQL does not reuse the ids of a rolled-back load).
        return self.heads[self.place[worker.pk] % len(self.heads)] if self.heads else None

    def worker(self, worker: User) -> None:
        rng = self.rng
        asye = None
        if worker.role == Role.SOCIAL_WORKER and worker.started_on and worker.started_on > self.year_start \
                and rng.random() < ASYE_RATE:
            asye = worker.started_on
        named = None
        seniors = [s for s in self.seniors.get(worker.team_id or 0, []) if s.pk != worker.pk]
        if worker.role == Role.SOCIAL_WORKER and seniors and rng.random() < SENIOR_SUPERVISES_RATE:
            named = seniors[0]
        if asye or named:
            self.arrangements.append(new(SupervisionArrangement, local_authority=self.la, worker=worker,
                                         supervisor=named, asye_started_on=asye))
        supervisor = self._supervisor(worker, named)
        if supervisor is None:
            return
        started = worker.started_on or self.year_start
        if started > self.year_start:
            last = started
        else:
            # The last supervision before the year began, not itself recorded here.
            last = self.year_start - timedelta(days=rng.randint(0, 27))
        cutoff = self.today - timedelta(days=DEMO_WORKER_LAST_DAYS) if worker.username == "sw.demo" else self.today
        struggling = worker.team_id in self.struggling
        while True:
            interval = self.policy.interval_for(worker.role, asye_started_on=asye, on=last)
            if interval is None:
                return
            due = interval.after(last)
            behind = struggling and (self.today - due).days > rng.randint(IMPROVING_DAYS - 40, IMPROVING_DAYS + 40)
            r = rng.random()
            if behind:
                late = rng.randint(10, 40) if r < 0.75 else rng.randint(-3, 9)
            else:
                late = rng.randint(-6, 0) if r < 0.6 else rng.randint(1, 10) if r < 0.88 else rng.randint(11, 30)
            planned = _weekday(due + timedelta(days=late))
            if planned <= last:
                planned = _weekday(last + timedelta(days=7))
            if planned > cutoff:
                return
            if rng.random() < NOT_HELD_RATE:
                rearranged = rng.random() < 0.5
                held = _weekday(planned + timedelta(days=rng.randint(2, 9)))
                self.sessions.append(new(
                    SupervisionSession, local_authority=self.la, supervisee=worker, supervisor=supervisor,
                    held_on=planned, status=(SupervisionSession.Status.REARRANGED if rearranged
                                             else SupervisionSession.Status.CANCELLED),
                    not_held_reason=rng.choice(["Worker on leave", "Court hearing ran over", "Manager off sick",
                                                "Emergency visit on duty", "Worker unwell"]),
                    rearranged_to=held if rearranged else None, recorded_at=_at(planned, 9, 15),
                ))
                planned = held
                if planned > cutoff:
                    return
            self._held(worker, supervisor, planned, interval.after(planned), struggling=behind)
            last = planned

    def _held(self, worker: User, supervisor: User, day: date, next_on: date, *, struggling: bool) -> None:
        rng = self.rng
        recent = (self.today - day).days <= 10
        confirmed = None
        if not (recent and rng.random() < 0.5) and rng.random() < 0.93:
            confirmed_on = min(self.today, day + timedelta(days=rng.randint(1, 6)))
            confirmed = _at(confirmed_on, 16, rng.randint(0, 59))
        session = new(
            SupervisionSession, local_authority=self.la, supervisee=worker, supervisor=supervisor, held_on=day,
            kind=rng.choices([SupervisionSession.Kind.ONE_TO_ONE, SupervisionSession.Kind.GROUP,
                              SupervisionSession.Kind.AD_HOC], [0.85, 0.1, 0.05])[0],
            status=SupervisionSession.Status.HELD, wellbeing=rng.choice(WELLBEING), workload=rng.choice(WORKLOAD),
            learning=rng.choice(LEARNING), reflection=rng.choice(REFLECTION), agreed_actions=rng.choice(ACTIONS),
            next_on=next_on, confirmed_at=confirmed, recorded_at=_at(day, 17, rng.randint(0, 59)),
            supervisee_comments=rng.choice(["", "", "", "Agreed.", "I would add that the family's move has taken "
                                                                   "a lot of time this month."]) if confirmed else "",
        )
        self.sessions.append(session)
        children = self.caseloads[worker.pk].on(day) if worker.pk in self.caseloads else []
        if not children:
            return
        # The least recently discussed children first, as a manager working through a caseload would.
        children.sort(key=lambda c: (self.last_discussed.get(c, date.min), rng.random()))
        count = min(len(children), rng.randint(1, 2) if struggling else rng.randint(1, 4))
        for child_id in children[:count]:
            due = day + timedelta(days=rng.choice([7, 14, 21, 28, 42]))
            progress = rng.choices([p for p, _ in PROGRESS], [w for _, w in PROGRESS])[0]
            discussion = new(CaseDiscussion, local_authority=self.la, session=session, child_id=child_id,
                             discussion=rng.choice(DISCUSSIONS), decisions=rng.choice(DECISIONS),
                             actions_due_on=due, plan_progress=progress)
            self.discussions.append((discussion, session, worker.get_full_name()))
            self.last_discussed[child_id] = day

    # ------------------------------------------------------------------------------------------ writing

    def write(self) -> None:
        writer = self.writer
        writer.save(SupervisionArrangement, self.arrangements)
        writer.save(SupervisionSession, self.sessions)
        discussions = [d for d, _, _ in self.discussions]
        writer.save(CaseDiscussion, discussions)
        prefix = reverse("supervision:index")  # the case discussion page, as supervision:case_discussion
        events = []
        for discussion, session, worker_name in self.discussions:
            summary = chronology_summary(worker_name=worker_name, discussion=discussion.discussion,
                                         decisions=discussion.decisions, due=discussion.actions_due_on,
                                         progress=str(CaseDiscussion.Progress(discussion.plan_progress).label))
            events.append(new(
                ChronologyEvent, local_authority=self.la, person_id=discussion.child_id,
                occurred_at=_at(session.held_on, 12), time_known=False, event_type=EventType.MANAGEMENT_OVERSIGHT,
                title=CHRONOLOGY_TITLE, summary=summary, author_id=session.supervisor_id,
                source_label=CaseDiscussion._meta.label, source_id=str(discussion.pk),
                link=f"{prefix}children/{discussion.child_id}/discussions/{discussion.pk}/",
            ))
        writer.save(ChronologyEvent, events)


def seed_supervision(*, la: LocalAuthority, seed: int, today: date) -> int:
    """A year of supervision for every supervised worker of ``la`` up to ``today``. Returns the rows written."""
    if SupervisionSession.objects.filter(local_authority=la).exists():
        return 0
    seeder = _Seeder(la, seed, today)
    seeder.read()
    for worker in seeder.workers:
        seeder.worker(worker)
    seeder.write()
    seeder.writer.finish()
    return seeder.writer.rows
