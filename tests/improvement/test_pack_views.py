"""The improvement board's pages: who may see and do what, the same number of queries for few meetings and many,
generating a pack and opening its PDF with safe headers, and a stale edit of a meeting kept and explained."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone

from hearth.accounts.roles import Role
from hearth.improvement import board_pack
from hearth.improvement.models import BoardMeeting, BoardPack
from tests.conftest import client_for
from tests.factories import make_user
from tests.improvement.factories import make_meeting
from tests.queries import query_count

FAKE_PDF = b"%PDF-1.7 a stand-in board pack"


@pytest.fixture(autouse=True)
def printed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(board_pack, "render_board_pack", lambda **kwargs: (FAKE_PDF, 9))


@pytest.fixture
def manager(la: Any) -> Any:
    return make_user(la, Role.IMPROVEMENT_MANAGER)


@pytest.fixture
def meeting(la: Any) -> BoardMeeting:
    return make_meeting(la, held_on=timezone.localdate() + timedelta(days=17))


def _ready(la: Any, meeting: BoardMeeting, by: Any) -> BoardPack:
    pack = BoardPack.objects.create(local_authority=la, meeting=meeting, requested_by=by,
                                    requested_at=timezone.now(), as_at=timezone.localdate(),
                                    status=BoardPack.Status.READY, pages=9, finished_at=timezone.now())
    from django.core.files.base import ContentFile

    pack.pdf.save("improvement-board-pack.pdf", ContentFile(FAKE_PDF))
    return pack


def test_generating_a_pack_from_the_meeting_page_then_opening_it(la: Any, manager: Any, meeting: BoardMeeting,
                                                                 django_capture_on_commit_callbacks: Any) -> None:
    client = client_for(manager)
    page = client.get(f"/improvement/board/{meeting.pk}/")
    assert page.status_code == 200 and b"Generate board pack" in page.content

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/improvement/board/{meeting.pk}/pack/")
    assert response.status_code == 302
    pack = BoardPack.objects.get(meeting=meeting)
    assert pack.status == BoardPack.Status.READY

    page = client.get(f"/improvement/board/{meeting.pk}/")
    assert b"Open the board pack (PDF, 9 pages)" in page.content
    pdf = client.get(f"/improvement/board/packs/{pack.pk}/pdf/")
    assert pdf.status_code == 200 and pdf.content == FAKE_PDF
    assert pdf["Content-Type"] == "application/pdf"
    assert "no-store" in pdf["Cache-Control"]
    assert pdf["Content-Disposition"] == f'inline; filename="improvement-board-pack-{meeting.held_on:%Y-%m-%d}.pdf"'
    assert pdf["X-Content-Type-Options"] == "nosniff"


def test_the_meeting_page_polls_while_a_pack_is_being_made(la: Any, manager: Any, meeting: BoardMeeting) -> None:
    pack = BoardPack.objects.create(local_authority=la, meeting=meeting, requested_by=manager,
                                    requested_at=timezone.now(), as_at=timezone.localdate())
    client = client_for(manager)
    page = client.get(f"/improvement/board/{meeting.pk}/")
    assert f'hx-get="/improvement/board/packs/{pack.pk}/progress/"'.encode() in page.content
    assert b"Generate board pack" not in page.content

    polled = client.get(f"/improvement/board/packs/{pack.pk}/progress/", HTTP_HX_REQUEST="true")
    assert b"Waiting to start" in polled.content and "HX-Refresh" not in polled
    pack.status, pack.pages = BoardPack.Status.READY, 9
    pack.save()
    polled = client.get(f"/improvement/board/packs/{pack.pk}/progress/", HTTP_HX_REQUEST="true")
    assert polled["HX-Refresh"] == "true"


def test_a_second_request_while_one_is_under_way_is_explained(la: Any, manager: Any, meeting: BoardMeeting) -> None:
    BoardPack.objects.create(local_authority=la, meeting=meeting, requested_by=manager,
                             requested_at=timezone.now(), as_at=timezone.localdate())
    response = client_for(manager).post(f"/improvement/board/{meeting.pk}/pack/", follow=True)
    assert b"already being generated" in response.content
    assert BoardPack.objects.filter(meeting=meeting).count() == 1


@pytest.mark.parametrize(("role", "reads", "generates"), [
    (Role.IMPROVEMENT_MANAGER, True, True), (Role.DIRECTOR, True, True), (Role.SERVICE_MANAGER, True, False),
    (Role.PERFORMANCE_ANALYST, True, False), (Role.SOCIAL_WORKER, False, False), (Role.FINANCE_OFFICER, False, False),
])
def test_who_may_read_the_board_and_generate_packs(la: Any, manager: Any, meeting: BoardMeeting, role: str,
                                                   reads: bool, generates: bool) -> None:
    pack = _ready(la, meeting, manager)
    client = client_for(make_user(la, role))
    for url in ("/improvement/board/", f"/improvement/board/{meeting.pk}/", f"/improvement/board/packs/{pack.pk}/pdf/"):
        assert client.get(url).status_code == (200 if reads else 403), url
    assert client.get("/improvement/board/new/").status_code == (200 if generates else 403)
    response = client.post(f"/improvement/board/{meeting.pk}/pack/")
    assert response.status_code == (302 if generates else 403)


def test_another_councils_meetings_and_packs_are_not_found(la: Any, other_la: Any, manager: Any) -> None:
    theirs = make_meeting(other_la)
    pack = _ready(other_la, theirs, make_user(other_la, Role.IMPROVEMENT_MANAGER))
    client = client_for(manager)
    assert client.get(f"/improvement/board/{theirs.pk}/").status_code == 404
    assert client.get(f"/improvement/board/packs/{pack.pk}/pdf/").status_code == 404
    assert client.post(f"/improvement/board/{theirs.pk}/pack/").status_code == 404


def test_the_board_list_reads_the_same_number_of_queries_for_few_meetings_and_many(la: Any, manager: Any) -> None:
    client = client_for(manager)
    today = timezone.localdate()

    def add(n: int) -> None:
        for i in range(n):
            past = make_meeting(la, held_on=today - timedelta(days=60 * (i + 1) + n))
            _ready(la, past, manager)
            make_meeting(la, held_on=today + timedelta(days=30 * (i + 1) + n))

    add(1)
    few = query_count(lambda: client.get("/improvement/board/"))
    add(6)
    many = query_count(lambda: client.get("/improvement/board/"))
    assert few == many
    page = client.get("/improvement/board/")
    assert b"Board pack (PDF, 9 pages)" in page.content and b"Next meeting" in page.content


def test_adding_a_meeting_keeps_what_was_typed_when_the_date_is_wrong(la: Any, manager: Any) -> None:
    client = client_for(manager)
    response = client.post("/improvement/board/new/", {
        "held_on_0": "31", "held_on_1": "2", "held_on_2": "2027", "chair": "Professor Ada Byrne",
        "location": "Council House", "agenda": "1. Plan progress"})
    assert response.status_code == 200
    assert b"Date of the meeting must be a real date" in response.content
    assert b"Professor Ada Byrne" in response.content and b"1. Plan progress" in response.content
    assert not BoardMeeting.objects.filter(local_authority=la).exists()

    response = client.post("/improvement/board/new/", {
        "held_on_0": "10", "held_on_1": "12", "held_on_2": "2026", "chair": "Professor Ada Byrne"})
    meeting = BoardMeeting.objects.get(local_authority=la)
    assert response.status_code == 302 and meeting.held_on == date(2026, 12, 10)


def test_a_stale_edit_of_a_meeting_is_refused_with_the_typing_kept(la: Any, manager: Any,
                                                                   meeting: BoardMeeting) -> None:
    client = client_for(manager)
    loaded_version = meeting.version
    meeting.chair = "Changed by someone else"
    meeting.save(by=manager)
    response = client.post(f"/improvement/board/{meeting.pk}/edit/", {
        "held_on_0": str(meeting.held_on.day), "held_on_1": str(meeting.held_on.month),
        "held_on_2": str(meeting.held_on.year), "chair": "My new chair", "minutes": "What I typed",
        "version": str(loaded_version)})
    assert response.status_code == 200
    assert b"Someone else saved changes" in response.content
    assert b"What I typed" in response.content and b"My new chair" in response.content
    meeting.refresh_from_db()
    assert meeting.chair == "Changed by someone else"


def test_a_meeting_reads_the_same_number_of_queries_for_one_pack_and_many(la: Any, manager: Any,
                                                                          meeting: BoardMeeting) -> None:
    client = client_for(manager)
    _ready(la, meeting, manager)
    few = query_count(lambda: client.get(f"/improvement/board/{meeting.pk}/"))
    for _ in range(5):
        _ready(la, meeting, make_user(la, Role.IMPROVEMENT_MANAGER))
    assert query_count(lambda: client.get(f"/improvement/board/{meeting.pk}/")) == few
