"""The synthetic council's workforce development: restorative practice for 800 practitioners across its own staff
and partner agencies (a two-day programme, a cohort every few weeks for the last 18 months, exactly 612 trained
by today, a few who did not come back for the second day, one day cancelled and re-run, cohorts booked ahead),
four other courses with partial coverage, and the social work apprenticeship cohorts whose apprentices the
workforce seed has appointed.

A partner agency's practitioner is named with their organisation (Faker names, never real people). Deterministic
for a seed (its own random streams; staff chosen in username order).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from dateutil.relativedelta import relativedelta

from hearth.accounts.models import User
from hearth.accounts.roles import CASE_ROLES, Role
from hearth.training.models import (
    Apprentice,
    ApprenticeshipCohort,
    TrainingAttendance,
    TrainingCourse,
    TrainingSession,
)

from .bulk import new

if TYPE_CHECKING:
    from .programme import Programme
    from .workforce import Staff

RESTORATIVE_TARGET = 800
RESTORATIVE_TRAINED = 612
CAPACITY = 30
Status = TrainingAttendance.Status
PARTNER_ORGANISATIONS = [
    "Police public protection unit", "Health visiting service", "School nursing service", "Youth justice service",
    "Child and adolescent mental health service", "Domestic abuse support service", "Drug and alcohol service",
    "Housing options team", "Probation service", "Early years settings", "Community paediatrics",
    "Voluntary sector family support",
]
VENUES = ["Council training centre, room 2", "Council training centre, room 4", "Online (video call)",
          "Community centre, north locality"]


@dataclass
class Courses:
    restorative: TrainingCourse
    exploitation: TrainingCourse
    chronologies: TrainingCourse
    asye: TrainingCourse
    supervisors: TrainingCourse


def _weekday(day: date, weekday: int = 1) -> date:
    """The first ``weekday`` (Tuesday by default) on or after ``day``."""
    return day + timedelta(days=(weekday - day.weekday()) % 7)


class TrainingBuilder:
    def __init__(self, programme: Programme, staff: Staff):
        self.p, self.staff = programme, staff
        self.la, self.today = programme.la, programme.today
        self.rng = programme.rng("training")
        self.fake = programme.faker("training")
        self.sessions: list[TrainingSession] = []
        self.bookings: list[TrainingAttendance] = []
        self.practitioners = [u for u in staff.users if u.role in CASE_ROLES or u.role == Role.IMPROVEMENT_MANAGER]

    def course(self, title: str, description: str, audience: str, target: int, sessions: int, *,
               mandatory: bool, target_date: date | None) -> TrainingCourse:
        return new(TrainingCourse, local_authority=self.la, title=title, description=description, audience=audience,
                   target_trained=max(1, target), sessions_to_complete=sessions, target_date=target_date,
                   is_mandatory=mandatory)

    def session(self, course: TrainingCourse, held_on: date, *, capacity: int = CAPACITY, trainer: str,
                cancelled: bool = False) -> TrainingSession:
        session = new(TrainingSession, local_authority=self.la, course=course, held_on=held_on,
                      venue=VENUES[self.rng.randrange(len(VENUES))], trainer=trainer, capacity=capacity,
                      cancelled=cancelled)
        self.sessions.append(session)
        return session

    def book(self, session: TrainingSession, who: User | tuple[str, str], status: str) -> None:
        if isinstance(who, User):
            row = new(TrainingAttendance, local_authority=self.la, session=session, worker=who, status=status)
        else:
            row = new(TrainingAttendance, local_authority=self.la, session=session, attendee_name=who[0],
                      attendee_organisation=who[1], status=status)
        self.bookings.append(row)

    def partners(self, count: int) -> list[tuple[str, str]]:
        """Practitioners from partner agencies, each a different name and organisation."""
        organisations = sorted({u.partner_organisation for u in User.objects.filter(
            local_authority=self.la, role=Role.PARTNER_REFERRER).exclude(partner_organisation="")})
        organisations += PARTNER_ORGANISATIONS
        seen: set[tuple[str, str]] = set()
        out: list[tuple[str, str]] = []
        while len(out) < count:
            who = (self.fake.name(), organisations[self.rng.randrange(len(organisations))])
            if (who[0].casefold(), who[1].casefold()) not in seen:
                seen.add((who[0].casefold(), who[1].casefold()))
                out.append(who)
        return out

    # ------------------------------------------------------------------------------------------ restorative

    def restorative(self, target_date: date) -> TrainingCourse:
        rng = self.rng
        course = self.course(
            "Restorative practice",
            "Two days on working with families rather than doing things to or for them: high support and high "
            "challenge, restorative conversations and family network meetings. The council's practice model, "
            "adopted in the improvement plan.",
            "Everyone who works with children and families in children's services and partner agencies",
            RESTORATIVE_TARGET, 2, mandatory=True, target_date=target_date)
        staff = list(self.practitioners)
        rng.shuffle(staff)
        staff_trained = staff[:min(len(staff) * 3 // 4, RESTORATIVE_TRAINED // 2)]
        left_over = staff[len(staff_trained):]
        partners_trained = RESTORATIVE_TRAINED - len(staff_trained)
        partners = self.partners(partners_trained + 60)
        people: list[User | tuple[str, str]] = [*staff_trained, *partners[:partners_trained]]
        rng.shuffle(people)
        # Those who come for a day and not the next, never come, or are booked on a cohort still to finish.
        spare: list[User | tuple[str, str]] = [*left_over[:len(left_over) // 2], *partners[partners_trained:]]
        rng.shuffle(spare)
        trainer = "Practice development team"
        first_day = _weekday(self.today - relativedelta(months=18))
        last_day2 = self.today - timedelta(days=10)
        sizes = []
        remaining = RESTORATIVE_TRAINED
        while remaining > 0:
            size = min(remaining, rng.randint(22, 27))
            sizes.append(size)
            remaining -= size
        step = max(7, ((last_day2 - timedelta(days=14)) - first_day).days // max(1, len(sizes) - 1))
        cancelled_at = len(sizes) // 3
        place = 0
        for k, size in enumerate(sizes):
            day1 = _weekday(first_day + timedelta(days=k * step), 1 + k % 3)
            day2 = min(_weekday(day1 + timedelta(days=14)), last_day2)
            if day2 <= day1:
                day2 = day1 + timedelta(days=1)
            cohort = people[place:place + size]
            place += size
            # One or two come on the first day and not the second; one or two booked never come.
            dropped = [spare.pop() for _ in range(rng.randint(0, 2)) if spare]
            no_show = [spare.pop() for _ in range(rng.randint(0, 1)) if spare]
            first = self.session(course, day1, trainer=trainer)
            for who in cohort + dropped:
                self.book(first, who, Status.ATTENDED)
            for who in no_show:
                self.book(first, who, Status.DID_NOT_ATTEND)
            if k == cancelled_at:
                # The second day was called off (trainer unwell) and run again a week later.
                off = self.session(course, day2 - timedelta(days=7), trainer=trainer, cancelled=True)
                for who in cohort + dropped:
                    self.book(off, who, Status.CANCELLED)
            second = self.session(course, day2, trainer=trainer)
            for who in cohort:
                self.book(second, who, Status.ATTENDED)
            for who in dropped:
                self.book(second, who, Status.DID_NOT_ATTEND)
        # A cohort part way through (first day done), and two booked ahead.
        waiting = spare
        start = _weekday(self.today - timedelta(days=6))
        if start >= self.today:
            start -= timedelta(days=7)
        for day1, status in [(start, Status.ATTENDED),
                             (_weekday(self.today + timedelta(days=21)), Status.BOOKED),
                             (_weekday(self.today + timedelta(days=49)), Status.BOOKED)]:
            size = rng.randint(14, 24)
            group, waiting = waiting[:size], waiting[size:]
            first = self.session(course, day1, trainer=trainer)
            second = self.session(course, _weekday(max(day1 + timedelta(days=14), self.today + timedelta(days=1))),
                                  trainer=trainer)
            for who in group:
                self.book(first, who, status)
                self.book(second, who, Status.BOOKED)
            if not waiting:
                break
        return course

    # ------------------------------------------------------------------------------------------ the others

    def single_day(self, course: TrainingCourse, *, months: int, share: float, people: list[User],
                   trainer: str, capacity: int = 25) -> None:
        """Monthly sessions over ``months``, attended by about ``share`` of ``people``; next month's booked."""
        rng = self.rng
        pool = list(people)
        rng.shuffle(pool)
        trained = pool[:round(len(pool) * share)]
        held = [_weekday(self.today - relativedelta(months=months - m), 2) for m in range(months)]
        held = [d for d in held if d < self.today]
        per = max(1, -(-len(trained) // max(1, len(held))))
        for i, day in enumerate(held):
            group = trained[i * per:(i + 1) * per]
            session = self.session(course, day, capacity=max(capacity, len(group) + 2), trainer=trainer)
            for who in group:
                self.book(session, who, Status.ATTENDED)
            if pool[len(trained):] and rng.random() < 0.5:
                self.book(session, pool[len(trained) + i % len(pool[len(trained):])], Status.DID_NOT_ATTEND)
        ahead = self.session(course, _weekday(self.today + timedelta(days=18), 2), capacity=capacity, trainer=trainer)
        for who in pool[len(trained):len(trained) + capacity // 2]:
            self.book(ahead, who, Status.BOOKED)

    def programme(self, course: TrainingCourse, *, people: list[User], months: int, done_share: float,
                  trainer: str) -> None:
        """A programme of ``sessions_to_complete`` monthly workshops; about ``done_share`` came to all of them."""
        rng = self.rng
        days = [_weekday(self.today - relativedelta(months=months - m), 3) for m in range(months + 2)]
        for day in days:
            session = self.session(course, day, capacity=max(12, len(people) + 2), trainer=trainer)
            for j, who in enumerate(people):
                if day >= self.today:
                    self.book(session, who, Status.BOOKED)
                elif rng.random() < (0.97 if j < len(people) * done_share else 0.6):
                    self.book(session, who, Status.ATTENDED)
                else:
                    self.book(session, who, Status.DID_NOT_ATTEND)

    def build(self) -> Courses:
        fy_end = date(self.today.year + (self.today.month >= 4), 3, 31)
        restorative = self.restorative(fy_end)
        case_workers = [u for u in self.practitioners if u.role in (Role.SOCIAL_WORKER, Role.SENIOR_PRACTITIONER,
                                                                    Role.TEAM_MANAGER, Role.PERSONAL_ADVISER,
                                                                    Role.MISSING_ADVOCATE, Role.IRO)]
        exploitation = self.course(
            "Exploitation awareness",
            "Spotting the signs of criminal and sexual exploitation, the screening tool, and what to do when a child "
            "comes back from being missing.", "Social workers, personal advisers, advocates and IROs",
            round(len(case_workers) * 0.95), 1, mandatory=True, target_date=fy_end)
        self.single_day(exploitation, months=12, share=0.62, people=case_workers, trainer="Exploitation lead")
        social_workers = [u for u in case_workers if u.role in (Role.SOCIAL_WORKER, Role.SENIOR_PRACTITIONER)
                          and u.social_work_england_number]
        chronologies = self.course(
            "Chronologies that show impact",
            "Writing a chronology that shows what happened to the child and what difference it made, not a list of "
            "contacts.", "Social workers and senior practitioners", len(social_workers), 1, mandatory=False,
            target_date=None)
        self.single_day(chronologies, months=8, share=0.45, people=social_workers, trainer="Quality assurance team")
        recent = self.today - timedelta(days=730)
        newly = [u for u in social_workers if u.role == Role.SOCIAL_WORKER and u.started_on and u.started_on > recent]
        newly = newly[:24] or social_workers[:6]
        asye = self.course(
            "ASYE programme", "The assessed and supported year in employment: monthly workshops for newly qualified "
            "social workers, with their practice educator.", "Newly qualified social workers",
            len(newly), 5, mandatory=True, target_date=None)
        self.programme(asye, people=newly, months=6, done_share=0.4, trainer="ASYE academy practice educator")
        managers = [u for u in self.practitioners if u.role in (Role.TEAM_MANAGER, Role.SENIOR_PRACTITIONER)]
        supervisors = self.course(
            "Practice supervisors development programme",
            "Three workshops for team managers and senior practitioners on supervision that directs practice and "
            "challenges drift.", "Team managers and senior practitioners", len(managers), 3, mandatory=False,
            target_date=fy_end)
        self.programme(supervisors, people=managers, months=4, done_share=0.5, trainer="External provider")
        courses = Courses(restorative, exploitation, chronologies, asye, supervisors)
        writer = self.p.writer
        writer.save(TrainingCourse, [restorative, exploitation, chronologies, asye, supervisors])
        self.sessions.sort(key=lambda s: (s.held_on, s.course.title, s.cancelled))
        writer.save(TrainingSession, self.sessions)
        writer.save(TrainingAttendance, self.bookings)
        self.apprenticeships()
        return courses

    # ------------------------------------------------------------------------------------------ apprentices

    def apprenticeships(self) -> None:
        by_start: dict[date, list] = {}
        for a in self.staff.apprentices:
            by_start.setdefault(a.cohort_start, []).append(a)
        destinations = list(self.staff.vacant_posts)
        cohorts, apprentices = [], []
        for start in sorted(by_start):
            expected = start + relativedelta(years=3, months=3)
            cohort = new(ApprenticeshipCohort, local_authority=self.la, name=f"Social work apprentices {start.year}",
                         starts_on=start, expected_qualification_on=expected,
                         provider="Teaching partnership university (social work degree apprenticeship)",
                         places=len(by_start[start]))
            cohorts.append(cohort)
            for a in by_start[start]:
                withdrawn = a.status == "withdrawn"
                on_break = a.status == "break"
                destination = None
                if not withdrawn and expected <= self.today + timedelta(days=120) and destinations:
                    destination = destinations.pop(0).post
                apprentices.append(new(
                    Apprentice, local_authority=self.la, cohort=cohort, worker=a.user,
                    status=(Apprentice.Status.WITHDRAWN if withdrawn else Apprentice.Status.BREAK if on_break
                            else Apprentice.Status.ON_PROGRAMME),
                    expected_qualification_on=expected + relativedelta(months=6) if on_break else expected,
                    withdrawn_on=a.left_on if withdrawn else None, destination_post=destination))
        self.p.writer.save(ApprenticeshipCohort, cohorts)
        self.p.writer.save(Apprentice, apprentices)


def seed_training(programme: Programme, *, staff: Staff) -> Courses:
    """Courses, sessions, bookings and apprenticeship cohorts for ``programme.la``."""
    return TrainingBuilder(programme, staff).build()

