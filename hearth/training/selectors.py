"""Reading training: how far each programme has got (coverage), sessions and their registers, who is not yet
trained, a worker's own record, and apprenticeship cohorts.

Coverage counts *practitioners*, not bookings: a member of staff is one practitioner however often they attend,
and a partner agency's practitioner (a teacher, a police officer) is known by their name and organisation, matched
without regard to case or spacing ("Jo Bloggs, Ashfield Academy" is "jo  bloggs, ASHFIELD ACADEMY"). A practitioner
is trained in a course once they have attended ``sessions_to_complete`` different sessions of it that went ahead
(not cancelled) on or before the day asked about. Staff who have since left still count: they were trained.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Case, Count, Exists, IntegerField, OuterRef, Q, QuerySet, Value, When
from django.utils import timezone

from hearth.accounts.models import Team, User
from hearth.accounts.roles import STAFF_ROLES, Role
from hearth.tenancy.models import LocalAuthority

from .models import Apprentice, ApprenticeshipCohort, TrainingAttendance, TrainingCourse, TrainingSession

# Staff who work directly with children and families: the council's own practitioners for a mandatory course.
PRACTITIONER_ROLES = frozenset({
    Role.SOCIAL_WORKER, Role.SENIOR_PRACTITIONER, Role.TEAM_MANAGER, Role.SERVICE_MANAGER, Role.IRO,
    Role.PERSONAL_ADVISER, Role.MISSING_ADVOCATE, Role.EXPLOITATION_LEAD, Role.FOSTERING_WORKER,
    Role.EDUCATION_OFFICER,
})
NO_TEAM = "No team"
PARTNERS = "Partner agencies"
# Bookings that hold a place: cancelled bookings give theirs back.
HOLDING = (TrainingAttendance.Status.BOOKED, TrainingAttendance.Status.ATTENDED,
           TrainingAttendance.Status.DID_NOT_ATTEND)

PractitionerKey = tuple[str, int | str, str]


@dataclass
class Coverage:
    course: TrainingCourse
    trained: int
    target: int
    percent: float | None
    # Practitioners not yet trained with a place on a session still to come.
    booked: int
    sessions_held: int
    sessions_planned: int
    # Trained practitioners by their team (partners together as "Partner agencies"), teams in name order.
    by_team: list[tuple[str, int]]


@dataclass
class CohortSummary:
    cohort: ApprenticeshipCohort
    on_programme: int
    qualified: int
    withdrawn: int
    on_break: int
    expected_qualification_on: date
    places: int


def tidy(text: str) -> str:
    """A name or organisation as compared: spacing collapsed, case ignored."""
    return " ".join(text.split()).casefold()


def practitioner_key(worker_id: int | None, name: str = "", organisation: str = "") -> PractitionerKey:
    if worker_id is not None:
        return ("staff", worker_id, "")
    return ("partner", tidy(name), tidy(organisation))


def _percent(part: int, whole: int) -> float | None:
    return 100 * part / whole if whole else None


def whole_percent(part: int, whole: int) -> int | None:
    """Rounded half up, as people expect (612 of 800 is 77%, not Python's 76)."""
    return (200 * part + whole) // (2 * whole) if whole else None


def team_order(name: str) -> tuple[bool, bool, str]:
    """Teams by name, then staff with no team, then partner agencies."""
    return (name in (NO_TEAM, PARTNERS), name == PARTNERS, name.casefold())


@dataclass
class _Tally:
    attended: dict[PractitionerKey, set[int]] = field(default_factory=lambda: defaultdict(set))
    team: dict[PractitionerKey, str] = field(default_factory=dict)
    coming: set[PractitionerKey] = field(default_factory=set)
    held: int = 0
    planned: int = 0


def _coverages(courses: list[TrainingCourse], on: date) -> list[Coverage]:
    """Coverage of many courses in two queries, whatever the number of sessions and attendees."""
    if not courses:
        return []
    tallies = {c.pk: _Tally() for c in courses}
    held_on: dict[int, tuple[int, date]] = {}
    for pk, course_id, day in (TrainingSession.objects.filter(course__in=courses, cancelled=False)
                               .values_list("pk", "course_id", "held_on")):
        held_on[pk] = (course_id, day)
        if day <= on:
            tallies[course_id].held += 1
        else:
            tallies[course_id].planned += 1
    rows = (TrainingAttendance.objects
            .filter(session__course__in=courses, session__cancelled=False)
            .filter(Q(session__held_on__lte=on, status=TrainingAttendance.Status.ATTENDED)
                    | Q(session__held_on__gt=on, status__in=HOLDING))
            .values_list("session_id", "worker_id", "worker__team__name", "attendee_name", "attendee_organisation"))
    for session_id, worker_id, team_name, name, organisation in rows:
        course_id, day = held_on[session_id]
        tally = tallies[course_id]
        key = practitioner_key(worker_id, name, organisation)
        if day <= on:
            tally.attended[key].add(session_id)
            tally.team[key] = (team_name or NO_TEAM) if worker_id is not None else PARTNERS
        else:
            tally.coming.add(key)
    result = []
    for course in courses:
        tally = tallies[course.pk]
        trained = {k for k, sessions in tally.attended.items() if len(sessions) >= course.sessions_to_complete}
        teams: dict[str, int] = defaultdict(int)
        for key in trained:
            teams[tally.team[key]] += 1
        result.append(Coverage(
            course=course, trained=len(trained), target=course.target_trained,
            percent=_percent(len(trained), course.target_trained), booked=len(tally.coming - trained),
            sessions_held=tally.held, sessions_planned=tally.planned,
            by_team=sorted(teams.items(), key=lambda item: team_order(item[0])),
        ))
    return result


def course_coverage(*, course: TrainingCourse, on: date | None = None) -> Coverage:
    """How many practitioners are trained in ``course`` by ``on`` (today if not given)."""
    return _coverages([course], on or timezone.localdate())[0]


def training_summary(*, local_authority: LocalAuthority | int, on: date) -> list[Coverage]:
    """Coverage of every course of the council, in title order (three queries whatever the size)."""
    return _coverages(list(courses_for(local_authority=local_authority)), on)


def coverage_words(c: Coverage) -> str:
    """'Restorative practice: 612 of 800 practitioners trained (77%)', for reports and board packs."""
    practitioners = "practitioner" if c.target == 1 else "practitioners"
    percent = whole_percent(c.trained, c.target)
    if percent is None:
        return f"{c.course.title}: {c.trained:,} {practitioners} trained"
    return f"{c.course.title}: {c.trained:,} of {c.target:,} {practitioners} trained ({percent}%)"


def apprenticeship_summary(*, local_authority: LocalAuthority | int, on: date) -> list[CohortSummary]:
    """Every cohort, newest first, with its apprentices as they stood on ``on`` (one query). Qualified and
    withdrawn count from their dates; a break in learning is counted as it stands now."""
    status = Apprentice.Status
    qualified = Q(apprentices__status=status.QUALIFIED, apprentices__qualified_on__lte=on)
    withdrawn = Q(apprentices__status=status.WITHDRAWN, apprentices__withdrawn_on__lte=on)
    cohorts = (ApprenticeshipCohort.objects.filter(local_authority=local_authority)
               .annotate(n_all=Count("apprentices"),
                         n_qualified=Count("apprentices", filter=qualified),
                         n_withdrawn=Count("apprentices", filter=withdrawn),
                         n_break=Count("apprentices", filter=Q(apprentices__status=status.BREAK)))
               .order_by("-starts_on", "-pk"))
    return [
        CohortSummary(cohort=c, on_programme=c.n_all - c.n_qualified - c.n_withdrawn - c.n_break,
                      qualified=c.n_qualified, withdrawn=c.n_withdrawn, on_break=c.n_break,
                      expected_qualification_on=c.expected_qualification_on, places=c.places)
        for c in cohorts
    ]


# ---------------------------------------------------------------------------------------------- courses

def courses_for(*, local_authority: LocalAuthority | int) -> QuerySet[TrainingCourse]:
    return TrainingCourse.objects.filter(local_authority=local_authority).order_by("title", "pk")


def course_for(*, local_authority: LocalAuthority | int, pk: int) -> TrainingCourse | None:
    return courses_for(local_authority=local_authority).filter(pk=pk).first()


def _with_counts(sessions: QuerySet[TrainingSession]) -> QuerySet[TrainingSession]:
    status = TrainingAttendance.Status
    return sessions.annotate(
        n_booked=Count("attendances", filter=Q(attendances__status__in=HOLDING)),
        n_attended=Count("attendances", filter=Q(attendances__status=status.ATTENDED)),
        n_did_not_attend=Count("attendances", filter=Q(attendances__status=status.DID_NOT_ATTEND)),
    )


def sessions_of(*, course: TrainingCourse) -> QuerySet[TrainingSession]:
    """Every session of a course, with its bookings and attendance counted."""
    return _with_counts(TrainingSession.objects.filter(course=course)).order_by("held_on", "pk")


def upcoming_sessions(*, local_authority: LocalAuthority | int, on: date) -> QuerySet[TrainingSession]:
    """Sessions still to come that will go ahead, soonest first, with places booked."""
    return (_with_counts(TrainingSession.objects.filter(local_authority=local_authority, held_on__gte=on,
                                                        cancelled=False))
            .select_related("course").order_by("held_on", "pk"))


def session_for(*, local_authority: LocalAuthority | int, pk: int) -> TrainingSession | None:
    return (_with_counts(TrainingSession.objects.filter(local_authority=local_authority, pk=pk))
            .select_related("course").first())


def register(*, session: TrainingSession) -> QuerySet[TrainingAttendance]:
    """The bookings on a session: staff by name, then partners' practitioners, then cancelled bookings."""
    return (TrainingAttendance.objects.filter(session=session).select_related("worker", "worker__team")
            .order_by(Case(When(status=TrainingAttendance.Status.CANCELLED, then=Value(1)), default=Value(0),
                           output_field=IntegerField()),
                      Case(When(worker__isnull=True, then=Value(1)), default=Value(0), output_field=IntegerField()),
                      "worker__last_name",
                      "worker__first_name", "attendee_name", "pk"))


def places_left(session: TrainingSession) -> int:
    booked = getattr(session, "n_booked", None)
    if booked is None:
        booked = session.attendances.filter(status__in=HOLDING).count()
    return max(session.capacity - booked, 0)


# ---------------------------------------------------------------------------------------------- practitioners

def in_post(on: date, prefix: str = "") -> Q:
    return ((Q(**{f"{prefix}started_on__isnull": True}) | Q(**{f"{prefix}started_on__lte": on}))
            & (Q(**{f"{prefix}left_on__isnull": True}) | Q(**{f"{prefix}left_on__gt": on})))


def staff_in_post(*, local_authority: LocalAuthority | int, on: date) -> QuerySet[User]:
    return (User.objects.filter(in_post(on), local_authority=local_authority, is_active=True,
                                role__in=list(STAFF_ROLES))
            .select_related("team").order_by("last_name", "first_name", "pk"))


def practitioners(*, local_authority: LocalAuthority | int, on: date, team: Team | None = None) -> QuerySet[User]:
    """The council's practitioners in post on ``on``: who a mandatory course is for."""
    found = staff_in_post(local_authority=local_authority, on=on).filter(role__in=list(PRACTITIONER_ROLES))
    return found.filter(team=team) if team is not None else found


def practitioners_by_team(*, local_authority: LocalAuthority | int, on: date) -> dict[str, int]:
    rows = (practitioners(local_authority=local_authority, on=on).order_by()
            .values_list("team__name").annotate(n=Count("pk")))
    return {(name or NO_TEAM): n for name, n in rows}


def _trained_workers(course: TrainingCourse, on: date) -> QuerySet[TrainingAttendance]:
    return (TrainingAttendance.objects
            .filter(session__course=course, session__cancelled=False, session__held_on__lte=on,
                    status=TrainingAttendance.Status.ATTENDED, worker__isnull=False)
            .order_by().values("worker").annotate(n=Count("session", distinct=True))
            .filter(n__gte=course.sessions_to_complete).values("worker"))


def untrained_practitioners(*, course: TrainingCourse, on: date, team: Team | None = None) -> QuerySet[User]:
    """Practitioners in post who are not trained in ``course`` by ``on``, each marked ``booked`` when they have a
    place on a session still to come."""
    coming = TrainingAttendance.objects.filter(
        worker=OuterRef("pk"), session__course=course, session__cancelled=False, session__held_on__gt=on,
        status__in=HOLDING)
    return (practitioners(local_authority=course.local_authority_id, on=on, team=team)
            .exclude(pk__in=_trained_workers(course, on)).annotate(booked=Exists(coming)))


def bookable_staff(*, session: TrainingSession, on: date) -> QuerySet[User]:
    """Staff in post who hold no place on this session yet (someone whose booking was cancelled can be booked
    again)."""
    holding = TrainingAttendance.objects.filter(session=session, status__in=HOLDING, worker__isnull=False)
    return (staff_in_post(local_authority=session.local_authority_id, on=on)
            .exclude(pk__in=holding.values("worker")))


# ---------------------------------------------------------------------------------------------- a worker

@dataclass
class CourseProgress:
    course: TrainingCourse
    attended: int
    needed: int
    trained: bool
    trained_on: date | None
    coming: list[TrainingSession]


@dataclass
class WorkerRecord:
    worker: User
    courses: list[CourseProgress]
    # Mandatory courses the worker has not started and holds no place on.
    mandatory_not_started: list[TrainingCourse]
    bookings: list[TrainingAttendance]
    apprenticeships: list[Apprentice]


def worker_record(*, worker: User, on: date) -> WorkerRecord:
    """A member of staff's training: every booking, their progress on each course, and what is still to do.
    Four queries."""
    bookings = list(TrainingAttendance.objects.filter(worker=worker)
                    .select_related("session", "session__course").order_by("-session__held_on", "-pk"))
    by_course: dict[int, list[TrainingAttendance]] = defaultdict(list)
    for booking in bookings:
        by_course[booking.session.course_id].append(booking)
    progress = [_progress(items[0].session.course, items, on) for items in by_course.values()]
    progress.sort(key=lambda p: (p.trained, p.course.title.casefold()))
    mandatory = [c for c in TrainingCourse.objects.filter(local_authority=worker.local_authority_id,
                                                          is_mandatory=True).order_by("title", "pk")
                 if c.pk not in by_course or not any(
                     b.status != TrainingAttendance.Status.CANCELLED for b in by_course[c.pk])]
    apprenticeships = list(Apprentice.objects.filter(worker=worker)
                           .select_related("cohort", "destination_post").order_by("-cohort__starts_on"))
    return WorkerRecord(worker=worker, courses=progress, mandatory_not_started=mandatory, bookings=bookings,
                        apprenticeships=apprenticeships)


def _progress(course: TrainingCourse, bookings: Iterable[TrainingAttendance], on: date) -> CourseProgress:
    attended_on = sorted({(b.session.held_on, b.session_id) for b in bookings
                          if b.status == TrainingAttendance.Status.ATTENDED and not b.session.cancelled
                          and b.session.held_on <= on})
    trained = len(attended_on) >= course.sessions_to_complete
    coming = sorted((b.session for b in bookings
                     if b.status in HOLDING and not b.session.cancelled and b.session.held_on > on),
                    key=lambda s: (s.held_on, s.pk))
    return CourseProgress(
        course=course, attended=len(attended_on), needed=course.sessions_to_complete, trained=trained,
        trained_on=attended_on[course.sessions_to_complete - 1][0] if trained else None, coming=coming)


# ---------------------------------------------------------------------------------------------- apprentices

def cohorts_for(*, local_authority: LocalAuthority | int) -> QuerySet[ApprenticeshipCohort]:
    return ApprenticeshipCohort.objects.filter(local_authority=local_authority).order_by("-starts_on", "-pk")


def cohort_for(*, local_authority: LocalAuthority | int, pk: int) -> ApprenticeshipCohort | None:
    return cohorts_for(local_authority=local_authority).filter(pk=pk).first()


def apprentices_of(*, cohort: ApprenticeshipCohort) -> QuerySet[Apprentice]:
    return (Apprentice.objects.filter(cohort=cohort).select_related("worker", "worker__team", "destination_post")
            .order_by("worker__last_name", "worker__first_name", "pk"))


def apprentice_for(*, local_authority: LocalAuthority | int, pk: int) -> Apprentice | None:
    return (Apprentice.objects.filter(local_authority=local_authority, pk=pk)
            .select_related("worker", "cohort", "destination_post").first())
