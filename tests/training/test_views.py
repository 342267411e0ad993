"""The training pages: coverage shown, bad input kept beside its field, registers and bookings."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from hearth.training.models import Apprentice, ApprenticeshipCohort, TrainingAttendance, TrainingCourse
from tests.conftest import client_for
from tests.training.factories import (
    ATTENDED,
    BOOKED,
    DID_NOT_ATTEND,
    book,
    make_apprentice,
    make_cohort,
    make_course,
    make_session,
)

TODAY = timezone.localdate()


def _date(prefix: str, day: date) -> dict[str, str]:
    return {f"{prefix}_0": str(day.day), f"{prefix}_1": str(day.month), f"{prefix}_2": str(day.year)}


def test_the_index_shows_coverage_sessions_and_cohorts(la, staff):
    course = make_course(la, "Restorative practice", target=4)
    held = make_session(course, TODAY - timedelta(days=3), venue="Loxley House")
    for who in (staff.worker, staff.colleague, staff.south_worker):
        book(held, who)
    make_session(course, TODAY + timedelta(days=4), venue="Council House", capacity=12)
    make_session(course, TODAY + timedelta(days=5), venue="Nowhere", cancelled=True)
    cohort = make_cohort(la, "Apprentices 2025", expected=date(2028, 8, 31))
    make_apprentice(cohort, staff.business_support)
    page = client_for(staff.director).get("/training/")
    text = page.content.decode()
    assert "3 of 4 practitioners trained" in text and "75%" in text
    assert "Council House" in text and "Nowhere" not in text
    assert "Apprentices 2025" in text and "31 August 2028" in text
    assert "Add a course" in text
    # Training has no item of its own in the navigation: the way back is to the workforce page it hangs from.
    assert '<a href="/workforce/" class="govuk-back-link">Workforce</a>' in text


def test_a_course_is_added_and_bad_input_is_kept(la, staff):
    client = client_for(staff.improvement)
    bad = {"title": "", "audience": "Everyone in children's services", "target_trained": "eight hundred",
           "sessions_to_complete": "5", "target_date_0": "30", "target_date_1": "2", "target_date_2": "2027"}
    page = client.post("/training/courses/new/", bad)
    text = page.content.decode()
    assert page.status_code == 200 and "There is a problem" in text
    assert "Enter the name of the course" in text
    assert "How many practitioners the council means to train must be a whole number" in text
    assert "Date the council means to have trained them by must be a real date" in text
    assert 'value="eight hundred"' in text and "Everyone in children&#x27;s services" in text
    assert '<title>Error: ' in text
    good = {**bad, "title": "Restorative practice", "target_trained": "800", **_date("target_date",
                                                                                     date(2027, 3, 31))}
    done = client.post("/training/courses/new/", good)
    course = TrainingCourse.objects.get(title="Restorative practice")
    assert done.url == f"/training/courses/{course.pk}/"
    assert (course.target_trained, course.sessions_to_complete, course.target_date) == (800, 5, date(2027, 3, 31))


def test_a_duplicate_course_name_is_refused_beside_the_field(la, staff):
    make_course(la, "Restorative practice")
    page = client_for(staff.director).post("/training/courses/new/", {
        "title": "restorative practice", "target_trained": "10", "sessions_to_complete": "1"})
    assert "There is already a course with this name" in page.content.decode()
    assert 'id="id_title-error"' in page.content.decode()


def test_a_stale_course_edit_is_shown_with_the_typing_kept(la, staff):
    course = make_course(la, "Restorative practice", target=800)
    client = client_for(staff.director)
    form = client.get(f"/training/courses/{course.pk}/change/")
    assert 'value="800"' in form.content.decode()
    course.target_trained = 850
    course.save(by="someone")
    page = client.post(f"/training/courses/{course.pk}/change/", {
        "version": "1", "title": "Restorative practice", "target_trained": "900", "sessions_to_complete": "5"})
    text = page.content.decode()
    assert "Someone else saved changes" in text and 'value="900"' in text
    saved = client.post(f"/training/courses/{course.pk}/change/", {
        "version": "2", "title": "Restorative practice", "target_trained": "900", "sessions_to_complete": "5"})
    assert saved.status_code == 302
    course.refresh_from_db()
    assert (course.target_trained, course.sessions_to_complete) == (900, 5)


def test_a_session_is_added(la, staff):
    course = make_course(la)
    client = client_for(staff.improvement)
    page = client.post(f"/training/courses/{course.pk}/sessions/new/", {"capacity": "0", "venue": "Loxley House"})
    text = page.content.decode()
    assert "Enter the date of the session" in text and "must be between 1 and 1,000" in text
    assert 'value="Loxley House"' in text
    done = client.post(f"/training/courses/{course.pk}/sessions/new/", {
        "capacity": "20", "venue": "Loxley House", **_date("held_on", TODAY + timedelta(days=30))})
    session = course.sessions.get()
    assert done.url == f"/training/sessions/{session.pk}/" and session.capacity == 20


def test_booking_staff_and_partners_from_the_register(la, staff):
    session = make_session(make_course(la), TODAY + timedelta(days=3), capacity=2)
    client = client_for(staff.manager)
    page = client.get(f"/training/sessions/{session.pk}/").content.decode()
    assert "Sam Okafor (social worker, Safeguarding North)" in page
    assert client.post(f"/training/sessions/{session.pk}/book/", {"staff-worker": staff.worker.pk}).status_code == 302
    # Already booked: they are no longer offered.
    page = client.get(f"/training/sessions/{session.pk}/").content.decode()
    assert "Sam Okafor (social worker" not in page
    refused = client.post(f"/training/sessions/{session.pk}/book-partner/", {"partner-attendee_name": "Jo Bloggs"})
    text = refused.content.decode()
    assert "Enter the organisation they work for" in text and 'value="Jo Bloggs"' in text
    assert client.post(f"/training/sessions/{session.pk}/book-partner/", {
        "partner-attendee_name": "Jo Bloggs", "partner-attendee_organisation": "Ashfield Academy"}).status_code == 302
    page = client.get(f"/training/sessions/{session.pk}/").content.decode()
    assert "This session is full: no places are left." in page
    full = client.post(f"/training/sessions/{session.pk}/book-partner/", {
        "partner-attendee_name": "Al Smith", "partner-attendee_organisation": "Police"})
    text = full.content.decode()
    assert "This session is full: all 2 places are booked and 0 places are left" in text
    assert 'value="Al Smith"' in text
    assert TrainingAttendance.objects.filter(session=session).count() == 2


def test_cancelling_a_booking(la, staff):
    session = make_session(make_course(la), TODAY + timedelta(days=3))
    booking = book(session, staff.worker, status=BOOKED)
    response = client_for(staff.manager).post(f"/training/bookings/{booking.pk}/cancel/")
    assert response.url == f"/training/sessions/{session.pk}/"
    booking.refresh_from_db()
    assert booking.status == "cancelled"


def test_marking_the_register(la, staff):
    session = make_session(make_course(la), TODAY)
    one, two = book(session, staff.worker, status=BOOKED), book(session, staff.colleague, status=BOOKED)
    client = client_for(staff.manager)
    page = client.get(f"/training/sessions/{session.pk}/").content.decode()
    assert f'name="mark-{one.pk}"' in page and "Save the register" in page
    nothing = client.post(f"/training/sessions/{session.pk}/", {f"version-{one.pk}": one.version})
    assert "Mark at least one practitioner" in nothing.content.decode()
    saved = client.post(f"/training/sessions/{session.pk}/", {
        f"mark-{one.pk}": ATTENDED, f"version-{one.pk}": one.version,
        f"mark-{two.pk}": DID_NOT_ATTEND, f"version-{two.pk}": two.version})
    assert saved.status_code == 302
    one.refresh_from_db()
    two.refresh_from_db()
    assert (one.status, two.status) == (ATTENDED, DID_NOT_ATTEND)


def test_a_stale_register_keeps_the_marks_and_saves_the_second_time(la, staff):
    session = make_session(make_course(la), TODAY)
    booking = book(session, staff.worker, status=BOOKED)
    client = client_for(staff.manager)
    loaded = booking.version
    booking.status = ATTENDED
    booking.save(by="someone")
    data = {f"mark-{booking.pk}": DID_NOT_ATTEND, f"version-{booking.pk}": loaded}
    page = client.post(f"/training/sessions/{session.pk}/", data).content.decode()
    assert "Someone else saved changes" in page
    assert f'value="{DID_NOT_ATTEND}" checked' in page
    assert f'name="version-{booking.pk}" value="{loaded + 1}"' in page
    data[f"version-{booking.pk}"] = loaded + 1
    assert client.post(f"/training/sessions/{session.pk}/", data).status_code == 302
    booking.refresh_from_db()
    assert booking.status == DID_NOT_ATTEND


def test_no_register_before_the_day(la, staff):
    session = make_session(make_course(la), TODAY + timedelta(days=1))
    book(session, staff.worker, status=BOOKED)
    page = client_for(staff.manager).get(f"/training/sessions/{session.pk}/").content.decode()
    assert "Save the register" not in page and "Attendance can be marked from the day of the session" in page


def test_cancelling_a_session(la, staff):
    session = make_session(make_course(la), TODAY + timedelta(days=3))
    client = client_for(staff.director)
    assert "Cancel the session" in client.get(f"/training/sessions/{session.pk}/cancel/").content.decode()
    done = client.post(f"/training/sessions/{session.pk}/cancel/", {"version": session.version})
    assert done.url == f"/training/courses/{session.course_id}/"
    session.refresh_from_db()
    assert session.cancelled


def test_the_course_page_lists_who_is_not_yet_trained_on_a_mandatory_course(la, staff):
    course = make_course(la, "Signs of Safety", target=10, is_mandatory=True)
    held = make_session(course, TODAY - timedelta(days=7))
    book(held, staff.worker)
    book(make_session(course, TODAY + timedelta(days=7)), staff.colleague, status=BOOKED)
    director = client_for(staff.director).get(f"/training/courses/{course.pk}/").content.decode()
    assert "Not yet trained" in director
    assert "Pat Peer" in director and "Sol South" in director and "Ruth Evans" in director
    assert "Booked</strong>" in director
    untrained = director[director.index("Not yet trained"):]
    assert "Sam Okafor" not in untrained
    # Business support, the analyst and the director are not practitioners of the course.
    assert "Bea Support" not in untrained and "Ana Lyst" not in untrained
    # A team manager sees their own team.
    manager = client_for(staff.manager).get(f"/training/courses/{course.pk}/").content.decode()
    assert "Not yet trained: Safeguarding North" in manager and "Sol South" not in manager
    assert "Not yet trained" not in client_for(staff.analyst).get(f"/training/courses/{course.pk}/").content.decode()


def test_the_course_page_shows_coverage_by_team(la, staff):
    course = make_course(la, target=10)
    held = make_session(course, TODAY - timedelta(days=7))
    book(held, staff.worker)
    book(held, name="Jo Bloggs", organisation="School")
    text = client_for(staff.analyst).get(f"/training/courses/{course.pk}/").content.decode()
    assert "2 of 10 practitioners trained" in text
    north = text[text.index(">Safeguarding North<"):]
    # One trained of three practitioners in the team now (manager and two social workers).
    assert "33" in north[:400]
    assert "Partner agencies" in text


def test_a_workers_own_record(la, staff):
    five = make_course(la, "Restorative practice", sessions=5)
    sessions = [make_session(five, TODAY - timedelta(days=40 - i)) for i in range(5)]
    for s in sessions[:4]:
        book(s, staff.worker)
    book(sessions[4], staff.worker, status=DID_NOT_ATTEND)
    make_course(la, "Safeguarding basics", is_mandatory=True)
    text = client_for(staff.worker).get("/training/mine/").content.decode()
    assert "4 of 5 sessions attended" in text
    assert "Mandatory training not yet booked: Safeguarding basics" in text


def test_a_cohort_and_its_apprentices(la, staff):
    client = client_for(staff.improvement)
    bad = client.post("/training/apprenticeships/new/", {
        "name": "Apprentices 2026", "places": "6", **_date("starts_on", date(2026, 9, 1)),
        **_date("expected_qualification_on", date(2026, 8, 31))})
    assert "The expected qualification date must be after the start date" in bad.content.decode()
    assert 'value="Apprentices 2026"' in bad.content.decode()
    done = client.post("/training/apprenticeships/new/", {
        "name": "Apprentices 2026", "places": "6", "provider": "Nottingham Trent University",
        **_date("starts_on", date(2026, 9, 1)), **_date("expected_qualification_on", date(2029, 8, 31))})
    cohort = ApprenticeshipCohort.objects.get()
    assert done.url == f"/training/apprenticeships/{cohort.pk}/"
    added = client.post(f"/training/apprenticeships/{cohort.pk}/apprentices/new/", {"worker": staff.worker.pk})
    assert added.status_code == 302
    apprentice = Apprentice.objects.get()
    page = client.get(f"/training/apprenticeships/{cohort.pk}/").content.decode()
    assert "Sam Okafor" in page and "31 August 2029" in page and "On programme" in page
    refused = client.post(f"/training/apprentices/{apprentice.pk}/change/", {
        "version": apprentice.version, "status": "qualified",
        **_date("expected_qualification_on", date(2029, 8, 31))})
    text = refused.content.decode()
    assert "Enter the date the apprentice qualified" in text and 'value="qualified" checked' in text
    assert 'href="#id_qualified_on_0"' in text
