"""The establishment pages on the hand-built establishment (conftest.build_world), on 23 November 2026: what
they show, the same number of queries for few and many rows, and bad input shown beside its field with
everything typed kept."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.test import Client

from hearth.accounts.roles import Role
from hearth.workforce.models import Absence, Appointment, Post, PostFunding
from tests.conftest import client_for
from tests.factories import make_user
from tests.queries import query_count
from tests.workforce.conftest import RESERVE, World
from tests.workforce.factories import make_absence, make_appointment, make_funding, make_post

D = Decimal


@pytest.fixture(autouse=True)
def frozen() -> Iterator[None]:
    with time_machine.travel("2026-11-23 12:00:00+00:00", tick=False):
        yield


def _text(response) -> str:
    return response.content.decode()


def _grow(world: World, n: int = 12) -> None:
    """More posts, funding, people and absences: list pages must read them in the same number of queries."""
    for i in range(n):
        post = make_post(world.la, team=world.team_a if i % 2 else world.team_b, reference=f"G{i:02d}",
                         serves_indicators=["cla_missing"])
        make_funding(post, source=RESERVE, reserve=world.reserve, ends_on=date(2027, 1, 1) + timedelta(days=i))
        worker = make_user(world.la, team=post.team)
        make_appointment(worker, post=post, employment_type="agency" if i % 3 else "permanent",
                         starts_on=date(2025, 1, 1))
        make_absence(worker)


# ---------------------------------------------------------------------------------------------- the overview

def test_index_shows_the_establishment_and_the_sustainability_headline(world: World, staff):
    body = _text(client_for(staff["head"]).get("/workforce/"))
    # The indicators in the registry's order (children in care before the workforce).
    assert ("2 posts, £100,000 a year, funding ends in the next 6 months</a>; they serve: children looked after who "
            "went missing, average caseload of case-holding social workers.") in " ".join(body.split())
    assert 'href="/workforce/sustainability/"' in body
    assert "£277,000" in body and "Improvement reserve (reserve)" in body and "£90,000" in body
    assert "61.8%" in body  # vacancy rate 3.4 / 5.5
    assert 'href="/training/"' in body and 'href="/workforce/measures/"' in body
    assert "1 post on the establishment today has no funding" in " ".join(body.split())


def test_index_for_a_team_manager_is_their_team(world: World, staff):
    body = " ".join(_text(client_for(staff["tm"]).get("/workforce/")).split())
    assert "1 post, £60,000 a year, funding ends in the next 6 months" in body
    assert "£162,000" in body and "Safeguarding A" in body


def test_index_reads_the_same_queries_for_few_and_many(world: World, staff):
    client = client_for(staff["head"])
    few = query_count(lambda: client.get("/workforce/"))
    _grow(world)
    assert query_count(lambda: client.get("/workforce/")) == few


@pytest.mark.parametrize("role", [Role.SOCIAL_WORKER, Role.BUSINESS_SUPPORT, Role.IRO])
def test_workforce_pages_are_refused_to_case_roles(la, role):
    client = client_for(make_user(la, role))
    for url in ("/workforce/", "/workforce/posts/", "/workforce/people/", "/workforce/sustainability/"):
        assert client.get(url).status_code == 403


# ---------------------------------------------------------------------------------------------- posts

def test_posts_list_filters(world: World, staff):
    client = client_for(staff["finance"])
    body = _text(client.get("/workforce/posts/", {"ending": "3"}))
    assert ">P2<" in body and ">P3<" not in body and "1 post." in body
    body = _text(client.get("/workforce/posts/", {"occupancy": "vacant", "team": world.team_b.pk}))
    assert ">P3<" in body and ">P6<" in body and ">P1<" not in body
    body = _text(client.get("/workforce/posts/", {"status": "ended"}))
    assert ">P7<" in body and "Taken off" in body


def test_posts_list_ignores_filters_it_does_not_understand(world: World, staff):
    response = client_for(staff["head"]).get("/workforce/posts/", {"ending": "forever", "team": "999999",
                                                                   "kind": "<script>", "page": "x"})
    assert response.status_code == 200 and ">P1<" in _text(response)


def test_posts_list_is_paginated_and_keeps_its_filters(world: World, staff):
    _grow(world, 55)
    body = _text(client_for(staff["head"]).get("/workforce/posts/", {"kind": "social_worker", "page": "2"}))
    assert "kind=social_worker&amp;page=1" in body or "kind=social_worker&page=1" in body


def test_posts_list_reads_the_same_queries_for_few_and_many(world: World, staff):
    client = client_for(staff["head"])
    few = query_count(lambda: client.get("/workforce/posts/"))
    few_ending = query_count(lambda: client.get("/workforce/posts/", {"ending": "12"}))
    _grow(world)
    assert query_count(lambda: client.get("/workforce/posts/")) == few
    assert query_count(lambda: client.get("/workforce/posts/", {"ending": "12"})) == few_ending


def test_a_post_shows_its_funding_who_filled_it_and_what_it_serves(world: World, staff):
    body = _text(client_for(staff["analyst"]).get(f"/workforce/posts/{world.posts['P3'].pk}/"))
    assert 'href="/performance/indicators/cla_missing/"' in body
    assert "Families First grant (grant)" in body and "23 Apr 2027" in body
    assert "Change post" not in body  # analysts read the establishment, they do not change it
    body = _text(client_for(staff["head"]).get(f"/workforce/posts/{world.posts['P6'].pk}/"))
    assert "This post has no funding today" in body and world.workers["ed"].get_full_name() in body


def test_a_team_manager_cannot_open_another_teams_post(world: World, staff):
    assert client_for(staff["tm"]).get(f"/workforce/posts/{world.posts['P3'].pk}/").status_code == 404
    assert client_for(staff["tm"]).get(f"/workforce/posts/{world.posts['P2'].pk}/").status_code == 200


POST_FORM = {"version": "0", "reference": "CSC-0900", "title": "Missing from home advocate",
             "kind": "missing_advocate", "fte": "1", "annual_cost": "41000", "social_work_post": "",
             "established_on_0": "1", "established_on_1": "12", "established_on_2": "2026",
             "serves_indicators": ["cla_missing"]}


def test_adding_a_post_goes_on_to_its_funding(world: World, staff):
    response = client_for(staff["finance"]).post("/workforce/posts/new/", POST_FORM)
    created = Post.objects.get(local_authority=world.la, reference="CSC-0900")
    assert response.status_code == 302 and response["Location"] == f"/workforce/posts/{created.pk}/funding/new/"
    assert created.serves_indicators == ["cla_missing"] and not created.social_work_post


def test_adding_a_post_with_mistakes_keeps_what_was_typed(world: World, staff):
    bad = POST_FORM | {"reference": "P1", "fte": "1.5", "established_on_0": "31", "established_on_1": "2"}
    response = client_for(staff["head"]).post("/workforce/posts/new/", bad)
    body = _text(response)
    assert response.status_code == 200 and body.count("FTE must be 1.00 or less") == 2  # summary and field
    assert "Date the post was established must be a real date" in body
    assert 'value="Missing from home advocate"' in body and 'value="1.5"' in body and 'value="31"' in body
    # Fixed, the service's own refusal comes back beside its field, the typing still there.
    fixed = bad | {"fte": "1", "established_on_0": "1", "established_on_1": "12"}
    body = _text(client_for(staff["head"]).post("/workforce/posts/new/", fixed))
    assert body.count("Post number P1 is already on the establishment") == 2 and 'value="P1"' in body


def test_a_team_manager_cannot_add_posts(world: World, staff):
    assert client_for(staff["tm"]).get("/workforce/posts/new/").status_code == 403
    assert client_for(staff["tm"]).post("/workforce/posts/new/", POST_FORM).status_code == 403


def test_a_stale_edit_is_refused_with_the_typing_kept(world: World, staff):
    post = world.posts["P1"]
    form = {k: v for k, v in POST_FORM.items() if k not in ("reference", "established_on_0", "established_on_1",
                                                          "established_on_2")} | {
        "reference": "P1", "established_on_0": "1", "established_on_1": "1", "established_on_2": "2020",
        "version": str(post.version), "title": "Senior social worker", "annual_cost": "51000"}
    client = client_for(staff["head"])
    assert client.post(f"/workforce/posts/{post.pk}/change/", form).status_code == 302
    body = _text(client.post(f"/workforce/posts/{post.pk}/change/", form | {"title": "Advanced practitioner"}))
    assert "Someone else saved changes to this record" in body and 'value="Advanced practitioner"' in body
    post.refresh_from_db()
    assert post.title == "Senior social worker"


def test_funding_over_100_percent_is_refused_beside_the_share(world: World, staff):
    post = world.posts["P1"]
    form = {"source": "reserve", "reserve": str(world.reserve.pk), "starts_on_0": "1", "starts_on_1": "1",
            "starts_on_2": "2027", "ends_on_0": "31", "ends_on_1": "3", "ends_on_2": "2028", "share_percent": "20"}
    body = _text(client_for(staff["finance"]).post(f"/workforce/posts/{post.pk}/funding/new/", form))
    assert body.count("This post is already 100% funded on 1 January 2027") == 2
    assert 'id="share_percent-error"' in body or "govuk-error-message" in body
    assert 'value="20"' in body and 'value="2028"' in body
    assert post.funding.count() == 1


def test_funding_a_post_from_a_reserve(world: World, staff):
    post = world.posts["P3"]
    form = {"source": "reserve", "reserve": str(world.reserve.pk), "starts_on_0": "24", "starts_on_1": "4",
            "starts_on_2": "2027", "ends_on_0": "31", "ends_on_1": "3", "ends_on_2": "2028", "share_percent": "100",
            "note": "Continuation agreed by the improvement board"}
    response = client_for(staff["finance"]).post(f"/workforce/posts/{post.pk}/funding/new/", form)
    assert response.status_code == 302
    assert post.funding.filter(source=RESERVE, starts_on=date(2027, 4, 24)).exists()
    # P3's grant now carries on into the reserve: no longer at risk within 6 months.
    body = _text(client_for(staff["head"]).get("/workforce/sustainability/"))
    six = body[body.index('id="months-6"'):body.index('id="months-12"')]
    assert ">P3<" not in six


def test_ending_funding_and_taking_a_post_off(world: World, staff):
    client = client_for(staff["director"])
    funding = world.posts["P1"].funding.get()
    response = client.post(f"/workforce/posts/{world.posts['P1'].pk}/funding/{funding.pk}/end/", {
        "version": str(funding.version), "ends_on_0": "31", "ends_on_1": "3", "ends_on_2": "2027"})
    assert response.status_code == 302
    funding.refresh_from_db()
    assert funding.ends_on == date(2027, 3, 31)
    post = world.posts["P6"]
    response = client.post(f"/workforce/posts/{post.pk}/end/", {
        "version": str(post.version), "ended_on_0": "1", "ended_on_1": "12", "ended_on_2": "2026"})
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.ended_on == date(2026, 12, 1)
    body = _text(client.post(f"/workforce/posts/{world.posts['P1'].pk}/end/", {
        "version": str(world.posts["P1"].version), "ended_on_0": "1", "ended_on_1": "12", "ended_on_2": "2026"}))
    assert "end their appointment first" in body


# ---------------------------------------------------------------------------------------------- sustainability

def test_a_post_whose_funding_ends_shows_in_the_sustainability_view(world: World, staff):
    """The must-show: P2's reserve funding ends on 23 January 2027, two months away: it is in every tab. P3's
    grant ends in five months: the 6- and 12-month tabs only. P4 (renewed the next day) and P1 (base budget)
    never. P6 is already unfunded."""
    body = _text(client_for(staff["improvement"]).get("/workforce/sustainability/"))
    three = body[body.index('id="months-3"'):body.index('id="months-6"')]
    six = body[body.index('id="months-6"'):body.index('id="months-12"')]
    twelve = body[body.index('id="months-12"'):body.index('id="already-unfunded"')]
    unfunded = body[body.index('id="already-unfunded"'):]
    assert ">P2<" in three and ">P3<" not in three
    assert ">P2<" in six and ">P3<" in six and ">P5<" not in six
    assert ">P2<" in twelve and ">P3<" in twelve and ">P5<" in twelve
    for tab in (three, six, twelve):
        assert ">P1<" not in tab and ">P4<" not in tab
    assert ">P6<" in unfunded and "£45,000" in unfunded
    assert "£60,000" in three and "£5,000 a month" in three
    assert "£126,000" in twelve and "£10,500 a month" in twelve
    assert "23 Jan 2027" in three and "Improvement reserve (reserve)" in three
    assert 'href="/performance/indicators/cla_missing/"' in six
    assert "Children looked after who went missing</a>:" in six


def test_sustainability_reads_the_same_queries_for_few_and_many(world: World, staff):
    """The indicator figures are computed once per data version and cached (hearth.indicators.compute): what they
    cost depends on the casework, not on this page, so each count is of a second visit, the figures cached."""
    client = client_for(staff["head"])
    client.get("/workforce/sustainability/")
    few = query_count(lambda: client.get("/workforce/sustainability/"))
    _grow(world)
    client.get("/workforce/sustainability/")
    assert query_count(lambda: client.get("/workforce/sustainability/")) == few


def test_sustainability_csv(world: World, staff):
    response = client_for(staff["finance"]).get("/workforce/sustainability.csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:3] == ["Funding ends within", "Post number", "Title"]
    by_post = {r[1]: r for r in rows[1:]}
    assert by_post["P2"][0] == "3 months" and by_post["P3"][0] == "6 months" and by_post["P5"][0] == "12 months"
    assert by_post["P6"][0] == "Already unfunded"
    assert by_post["P5"][5:7] == ["0.5", "26000.00"]
    assert "Children looked after who went missing" in by_post["P3"][10]


# ---------------------------------------------------------------------------------------------- people

def test_people_list_and_filters(world: World, staff):
    client = client_for(staff["head"])
    body = _text(client.get("/workforce/people/", {"employment_type": "agency"}))
    assert world.workers["bo"].get_full_name() in body and world.workers["ann"].get_full_name() not in body
    body = _text(client.get("/workforce/people/", {"status": "left"}))
    assert world.workers["ed"].get_full_name() in body and "Left 1 Nov 2026" in body
    body = _text(client_for(staff["tm"]).get("/workforce/people/"))
    assert world.workers["ann"].get_full_name() in body and world.workers["cy"].get_full_name() not in body


def test_people_list_reads_the_same_queries_for_few_and_many(world: World, staff):
    client = client_for(staff["head"])
    few = query_count(lambda: client.get("/workforce/people/"))
    _grow(world)
    assert query_count(lambda: client.get("/workforce/people/")) == few


def test_a_person_shows_appointments_and_for_managers_absences(world: World, staff):
    ann = world.workers["ann"]
    make_absence(ann, working_days_lost="4")
    body = _text(client_for(staff["tm"]).get(f"/workforce/people/{ann.pk}/"))
    assert 'id="absences"' in body and "Sickness" in body and "Record an absence" in body
    body = _text(client_for(staff["analyst"]).get(f"/workforce/people/{ann.pk}/"))
    assert 'id="absences"' not in body and "Sickness" not in body and "Record an absence" not in body
    assert "P1" in body  # the appointment itself is not HR-only
    ed = world.workers["ed"]
    assert "Resignation" in _text(client_for(staff["head"]).get(f"/workforce/people/{ed.pk}/"))
    assert "Resignation" not in _text(client_for(staff["finance"]).get(f"/workforce/people/{ed.pk}/"))


def test_hr_forms_are_refused_without_the_permission(world: World, staff):
    cy = world.workers["cy"]
    for who in ("analyst", "finance", "improvement", "tm"):
        client = client_for(staff[who])
        assert client.get(f"/workforce/people/{cy.pk}/absences/new/").status_code in (403, 404), who


def test_recording_an_appointment_keeps_the_workers_record_in_step(world: World, staff):
    newcomer = make_user(world.la, team=world.team_b, first_name="Nia")
    client: Client = client_for(staff["head"])
    form = {"post": str(world.posts["P3"].pk), "employment_type": "permanent", "org_role": "none", "fte": "0.8",
            "starts_on_0": "1", "starts_on_1": "12", "starts_on_2": "2026", "start_origin": "6"}
    assert client.post(f"/workforce/people/{newcomer.pk}/appointments/new/", form).status_code == 302
    newcomer.refresh_from_db()
    assert (newcomer.fte, newcomer.started_on) == (D("0.80"), date(2026, 12, 1))
    appointment = Appointment.objects.get(worker=newcomer)
    assert appointment.org_role == "" and appointment.start_origin == "6"
    # Twice, and the second overlaps: refused beside the date with everything kept.
    body = _text(client.post(f"/workforce/people/{newcomer.pk}/appointments/new/", form | {"fte": "0.7"}))
    assert "end it before this one starts" in body and 'value="0.7"' in body
    response = client.post(f"/workforce/people/{newcomer.pk}/appointments/{appointment.pk}/end/", {
        "version": str(appointment.version), "ends_on_0": "31", "ends_on_1": "1", "ends_on_2": "2027",
        "left_council": "yes", "reason_leave": "", "leaver_destination": ""})
    assert "Select why the worker left" in _text(response)
    response = client.post(f"/workforce/people/{newcomer.pk}/appointments/{appointment.pk}/end/", {
        "version": str(appointment.version), "ends_on_0": "31", "ends_on_1": "1", "ends_on_2": "2027",
        "left_council": "yes", "reason_leave": "1", "leaver_destination": "3"})
    assert response.status_code == 302
    newcomer.refresh_from_db()
    assert newcomer.left_on == date(2027, 2, 1)


def test_recording_and_closing_an_absence(world: World, staff):
    ann = world.workers["ann"]
    client = client_for(staff["tm"])
    bad = {"reason": "SIC", "starts_on_0": "2", "starts_on_1": "11", "starts_on_2": "2026",
           "ends_on_0": "1", "ends_on_1": "11", "ends_on_2": "2026", "working_days_lost": "x"}
    body = _text(client.post(f"/workforce/people/{ann.pk}/absences/new/", bad))
    assert "The absence must end on or after the day it started" in body
    assert "Working days lost must be a number" in body and 'value="x"' in body
    ok = bad | {"ends_on_0": "", "ends_on_1": "", "ends_on_2": "", "working_days_lost": "3"}
    assert client.post(f"/workforce/people/{ann.pk}/absences/new/", ok).status_code == 302
    absence = Absence.objects.get(worker=ann)
    response = client.post(f"/workforce/people/{ann.pk}/absences/{absence.pk}/close/", {
        "version": str(absence.version), "ends_on_0": "13", "ends_on_1": "11", "ends_on_2": "2026",
        "working_days_lost": "10"})
    assert response.status_code == 302
    absence.refresh_from_db()
    assert (absence.ends_on, absence.working_days_lost) == (date(2026, 11, 13), D("10"))


def test_a_team_manager_cannot_open_another_teams_person(world: World, staff):
    assert client_for(staff["tm"]).get(f"/workforce/people/{world.workers['cy'].pk}/").status_code == 404


def test_funding_source_filter_for_posts_with_none(world: World, staff):
    body = _text(client_for(staff["head"]).get("/workforce/posts/", {"source": "none"}))
    assert ">P6<" in body and ">P1<" not in body
    assert PostFunding.objects.filter(post=world.posts["P6"]).count() == 1


def test_a_post_and_a_person_read_the_same_queries_for_a_short_history_and_a_long_one(world: World, staff):
    """The post page lists its funding and everyone who held it; the person page their appointments and
    absences: each in a fixed number of queries, however long the history."""
    post = world.posts["P1"]
    ann = world.workers["ann"]
    client = client_for(staff["head"])

    def counts() -> tuple[int, int]:
        return (query_count(lambda: client.get(f"/workforce/posts/{post.pk}/")),
                query_count(lambda: client.get(f"/workforce/people/{ann.pk}/")))

    def history(start: int, n: int) -> None:
        for i in range(start, start + n):
            year = 2000 + i
            make_appointment(make_user(world.la, team=world.team_a), post=post, starts_on=date(year, 1, 1),
                             ends_on=date(year, 6, 30), left_council=True, reason_leave="1",
                             keep_user_in_step=False)
            make_absence(ann, starts_on=date(year, 2, 1), ends_on=date(year, 2, 3), working_days_lost="3")

    history(0, 1)
    few = counts()
    history(1, 8)
    assert counts() == few
