"""Coverage with known answers: who counts as trained, on which day, and how partners are matched."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hearth.accounts.roles import Role
from hearth.training.models import Apprentice, TrainingCourse
from hearth.training.selectors import (
    PARTNERS,
    Coverage,
    apprenticeship_summary,
    course_coverage,
    coverage_words,
    tidy,
    training_summary,
    whole_percent,
)
from tests.factories import make_la, make_user
from tests.training.factories import (
    ATTENDED,
    BOOKED,
    CANCELLED,
    DID_NOT_ATTEND,
    book,
    make_apprentice,
    make_cohort,
    make_course,
    make_session,
)

D = date(2026, 3, 2)


def _days(n: int) -> list[date]:
    return [D + timedelta(days=7 * i) for i in range(n)]


def test_a_five_session_course_needs_all_five(la, staff):
    course = make_course(la, sessions=5, target=10)
    sessions = [make_session(course, day) for day in _days(5)]
    for s in sessions:
        book(s, staff.worker)
    for s in sessions[:4]:
        book(s, staff.colleague)
    book(sessions[4], staff.colleague, status=DID_NOT_ATTEND)
    c = course_coverage(course=course, on=D + timedelta(days=100))
    assert (c.trained, c.target, c.sessions_held, c.sessions_planned) == (1, 10, 5, 0)
    assert c.percent == 10.0
    assert c.by_team == [("Safeguarding North", 1)]


def test_a_cancelled_session_does_not_count(la, staff):
    course = make_course(la, sessions=2, target=4)
    held, called_off = make_session(course, D), make_session(course, D + timedelta(days=7), cancelled=True)
    book(held, staff.worker)
    book(called_off, staff.worker)  # a register marked before the session was called off
    c = course_coverage(course=course, on=D + timedelta(days=30))
    assert (c.trained, c.sessions_held, c.sessions_planned) == (0, 1, 0)
    third = make_session(course, D + timedelta(days=14))
    book(third, staff.worker)
    assert course_coverage(course=course, on=D + timedelta(days=30)).trained == 1


def test_attending_the_same_session_twice_is_one_session(la, staff):
    course = make_course(la, sessions=2, target=4)
    session = make_session(course, D)
    book(session, name="Jo Bloggs", organisation="Ashfield Academy")
    book(session, name="JO BLOGGS", organisation="ashfield academy")
    assert course_coverage(course=course, on=D).trained == 0


def test_partners_are_matched_by_name_and_organisation_whatever_the_case(la, staff):
    course = make_course(la, sessions=2, target=100)
    first, second = make_session(course, D), make_session(course, D + timedelta(days=7))
    book(first, name="Jo Bloggs", organisation="Ashfield Academy")
    book(second, name="  jo   BLOGGS ", organisation="ashfield ACADEMY")
    # Same name, another organisation: another practitioner, with one session only.
    book(second, name="Jo Bloggs", organisation="Nottinghamshire Police")
    # A member of staff who happens to share the name is not the partner.
    book(first, staff.worker)
    c = course_coverage(course=course, on=D + timedelta(days=7))
    assert c.trained == 1
    assert c.by_team == [(PARTNERS, 1)]
    assert tidy("  jo   BLOGGS ") == tidy("Jo Bloggs")


def test_on_a_day_before_a_session_it_is_planned_and_its_bookings_are_booked(la, staff):
    course = make_course(la, sessions=2, target=10)
    first, second = make_session(course, D), make_session(course, D + timedelta(days=7))
    make_session(course, D + timedelta(days=14), cancelled=True)
    for s in (first, second):
        book(s, staff.worker)
        book(s, staff.south_worker)
    book(second, staff.colleague, status=BOOKED)
    book(second, name="Ali Khan", organisation="City Health", status=BOOKED)
    book(second, staff.manager, status=CANCELLED)

    before = course_coverage(course=course, on=D + timedelta(days=6))
    # Worker, south worker, colleague and the partner hold places on the second session; the manager gave theirs back.
    assert (before.trained, before.booked, before.sessions_held, before.sessions_planned) == (0, 4, 1, 1)
    assert before.by_team == []

    after = course_coverage(course=course, on=D + timedelta(days=7))
    # The colleague and the partner were booked but the register was not marked: not trained, not coming.
    assert (after.trained, after.booked, after.sessions_held, after.sessions_planned) == (2, 0, 2, 0)
    assert after.by_team == [("Children in Care South", 1), ("Safeguarding North", 1)]

    assert course_coverage(course=course, on=D - timedelta(days=1)).sessions_planned == 2


def test_staff_without_a_team_and_partners_come_last(la, staff):
    course = make_course(la, target=10)
    session = make_session(course, D)
    loner = make_user(la, Role.SOCIAL_WORKER, None)
    for who in (loner, staff.worker, staff.south_worker):
        book(session, who)
    book(session, name="A Teacher", organisation="School")
    c = course_coverage(course=course, on=D)
    assert c.by_team == [("Children in Care South", 1), ("Safeguarding North", 1), ("No team", 1), (PARTNERS, 1)]


def test_coverage_in_words():
    course = TrainingCourse(title="Restorative practice", target_trained=800)
    c = Coverage(course=course, trained=612, target=800, percent=76.5, booked=0, sessions_held=30,
                 sessions_planned=4, by_team=[])
    assert coverage_words(c) == "Restorative practice: 612 of 800 practitioners trained (77%)"
    c.trained, c.target = 1234, 2000
    assert coverage_words(c) == "Restorative practice: 1,234 of 2,000 practitioners trained (62%)"


@given(part=st.integers(min_value=0, max_value=5000), whole=st.integers(min_value=1, max_value=5000))
def test_whole_percent_rounds_half_up(part, whole):
    from decimal import ROUND_HALF_UP, Decimal
    expected = (Decimal(100 * part) / Decimal(whole)).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    assert whole_percent(part, whole) == int(expected)


def test_training_summary_reads_every_course_in_three_queries(la, staff):
    other = make_la("Another Council")
    make_course(other, "Elsewhere")
    few = make_course(la, "Signs of Safety", target=5)
    book(make_session(few, D), staff.worker)

    def count() -> tuple[int, list[Coverage]]:
        with CaptureQueriesContext(connection) as ctx:
            result = training_summary(local_authority=la, on=D + timedelta(days=60))
        return len(ctx.captured_queries), result

    n_few, result = count()
    assert [c.course.title for c in result] == ["Signs of Safety"]
    for i in range(5):
        course = make_course(la, f"Course {i}", sessions=2)
        for day in _days(3):
            s = make_session(course, day)
            book(s, staff.worker)
            book(s, name=f"Partner {i}", organisation="Police")
    n_many, result = count()
    assert n_many == n_few == 3
    assert [c.trained for c in result] == [2, 2, 2, 2, 2, 1]


def test_apprenticeships_as_they_stood_on_a_day(la, staff):
    cohort = make_cohort(la, starts_on=date(2023, 9, 1), expected=date(2026, 8, 31), places=5)
    people = [make_user(la, Role.SOCIAL_WORKER, staff.north) for _ in range(5)]
    make_apprentice(cohort, people[0])
    make_apprentice(cohort, people[1], status=Apprentice.Status.QUALIFIED, qualified_on=date(2026, 7, 1))
    make_apprentice(cohort, people[2], status=Apprentice.Status.WITHDRAWN, withdrawn_on=date(2024, 3, 1))
    make_apprentice(cohort, people[3], status=Apprentice.Status.BREAK)
    newer = make_cohort(la, "Apprentices 2026", starts_on=date(2026, 9, 1), expected=date(2029, 8, 31))
    make_apprentice(newer, people[4])

    now = apprenticeship_summary(local_authority=la, on=date(2026, 11, 23))
    assert [s.cohort.name for s in now] == ["Apprentices 2026", "Apprentices 2025"]
    s = now[1]
    assert (s.on_programme, s.qualified, s.withdrawn, s.on_break, s.places) == (1, 1, 1, 1, 5)
    assert s.expected_qualification_on == date(2026, 8, 31)
    # Before the qualification was recorded as happening, that apprentice was still on programme.
    then = apprenticeship_summary(local_authority=la, on=date(2025, 1, 1))[1]
    assert (then.on_programme, then.qualified, then.withdrawn, then.on_break) == (2, 0, 1, 1)


statuses = st.sampled_from([None, ATTENDED, DID_NOT_ATTEND, BOOKED, CANCELLED])


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(grid=st.lists(st.lists(statuses, min_size=4, max_size=4), min_size=4, max_size=4),
       cancelled=st.lists(st.booleans(), min_size=4, max_size=4), needed=st.integers(min_value=1, max_value=4),
       on_index=st.integers(min_value=-1, max_value=4))
def test_trained_is_everyone_with_enough_sessions_that_went_ahead(la, staff, grid, cancelled, needed, on_index):
    """Four practitioners (three staff and a partner whose name is typed differently each time) by four sessions."""
    course = make_course(la, f"Course {TrainingCourse.objects.count()}", sessions=needed, target=4)
    days = _days(4)
    sessions = [make_session(course, day, cancelled=flag) for day, flag in zip(days, cancelled, strict=True)]
    people = [staff.worker, staff.colleague, staff.south_worker, None]
    spellings = ["Jo Bloggs", "JO BLOGGS", "jo bloggs ", " Jo  Bloggs"]
    for person, row in zip(people, grid, strict=True):
        for i, (session, status) in enumerate(zip(sessions, row, strict=True)):
            if status is not None:
                book(session, person, name="" if person else spellings[i],
                     organisation="" if person else "Ashfield", status=status)
    on = D - timedelta(days=1) if on_index < 0 else days[min(on_index, 3)]
    expected = sum(
        1 for row in grid
        if sum(1 for i, status in enumerate(row)
               if status == ATTENDED and not cancelled[i] and days[i] <= on) >= needed)
    c = course_coverage(course=course, on=on)
    assert c.trained == expected
    assert c.sessions_held + c.sessions_planned == cancelled.count(False)
    assert 0 <= c.booked <= 4 - c.trained
