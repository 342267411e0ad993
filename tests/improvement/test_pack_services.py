"""Asking for a board pack and making it: one at a time per council, stalled packs count as failed, failures are
recorded in plain words, and only those who run the board may ask. (The PDF itself is tested in test_board_pack;
here printing is replaced by a stand-in, so these tests stay quick.)"""

from __future__ import annotations

import hashlib
from datetime import date, timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from hearth.accounts.roles import Role
from hearth.audit.models import StaleVersionError
from hearth.improvement import board_pack, pack_services
from hearth.improvement.models import BoardMeeting, BoardPack
from hearth.improvement.pack_services import PackUnderWay, board_meeting_update, board_pack_request
from tests.factories import make_user
from tests.improvement.factories import make_meeting

TODAY = date(2026, 11, 23)
FAKE_PDF = b"%PDF-1.7 a stand-in board pack"


@pytest.fixture
def printed(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    calls: list[dict[str, Any]] = []

    def fake(**kwargs: Any) -> tuple[bytes, int]:
        calls.append(kwargs)
        return FAKE_PDF, 12

    monkeypatch.setattr(board_pack, "render_board_pack", fake)
    return calls


@pytest.fixture
def manager(la: Any) -> Any:
    return make_user(la, Role.IMPROVEMENT_MANAGER)


@pytest.fixture
def meeting(la: Any) -> BoardMeeting:
    return make_meeting(la, held_on=date(2026, 12, 10))


def _queued(la: Any, by: Any, meeting: BoardMeeting, *, minutes_ago: int = 0,
            status: str = BoardPack.Status.QUEUED) -> BoardPack:
    return BoardPack.objects.create(local_authority=la, meeting=meeting, requested_by=by, as_at=TODAY, status=status,
                                    requested_at=timezone.now() - timedelta(minutes=minutes_ago))


def test_a_request_is_made_in_the_background_and_stored(la: Any, manager: Any, meeting: BoardMeeting,
                                                        printed: list, django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        pack = board_pack_request(local_authority=la, meeting=meeting, as_at=TODAY, by=manager)
    pack.refresh_from_db()

    assert pack.status == BoardPack.Status.READY
    assert (pack.pages, pack.sha256) == (12, hashlib.sha256(FAKE_PDF).hexdigest())
    assert pack.pdf.name.endswith(".pdf") and "improvement-board-pack-2026-12-10" in pack.pdf.name
    with pack.pdf.open("rb") as stored:
        assert stored.read() == FAKE_PDF
    assert pack.finished_at is not None and pack.requested_by == manager
    assert printed == [{"local_authority": la, "as_at": TODAY, "meeting": meeting}]


def test_a_request_is_refused_while_another_pack_for_the_council_is_under_way(
        la: Any, manager: Any, meeting: BoardMeeting, printed: list) -> None:
    running = _queued(la, manager, make_meeting(la, held_on=date(2027, 2, 4)), status=BoardPack.Status.RUNNING)

    with pytest.raises(PackUnderWay) as refused:
        board_pack_request(local_authority=la, meeting=meeting, as_at=TODAY, by=manager)
    assert refused.value.pack == running
    assert BoardPack.objects.filter(meeting=meeting).count() == 0


def test_a_pack_stalled_for_half_an_hour_counts_as_failed(la: Any, manager: Any, meeting: BoardMeeting,
                                                          printed: list,
                                                          django_capture_on_commit_callbacks: Any) -> None:
    stalled = _queued(la, manager, meeting, minutes_ago=31)
    assert pack_services.is_stalled(stalled)

    with django_capture_on_commit_callbacks(execute=True):
        fresh = board_pack_request(local_authority=la, meeting=meeting, as_at=TODAY, by=manager)

    stalled.refresh_from_db()
    assert stalled.status == BoardPack.Status.FAILED and "stopped without finishing" in stalled.error
    fresh.refresh_from_db()
    assert fresh.status == BoardPack.Status.READY
    assert not pack_services.is_stalled(_queued(la, manager, meeting, minutes_ago=29))


def test_a_failure_is_recorded_in_plain_words(la: Any, manager: Any, meeting: BoardMeeting,
                                              monkeypatch: pytest.MonkeyPatch,
                                              django_capture_on_commit_callbacks: Any) -> None:
    def broken(**kwargs: Any) -> tuple[bytes, int]:
        raise RuntimeError("Jordan Child12 has no date of birth")  # what a fault's text could quote

    monkeypatch.setattr(board_pack, "render_board_pack", broken)
    with django_capture_on_commit_callbacks(execute=True):
        pack = board_pack_request(local_authority=la, meeting=meeting, as_at=TODAY, by=manager)
    pack.refresh_from_db()

    assert pack.status == BoardPack.Status.FAILED and not pack.pdf
    assert pack.error == (f"The board pack could not be made because of a fault in Hearth. Try again; if it fails "
                          f"again, tell your system administrator, quoting board pack {pack.pk}.")
    assert "Jordan" not in pack.error and "Traceback" not in pack.error


@pytest.mark.parametrize("role", [Role.PERFORMANCE_ANALYST, Role.SERVICE_MANAGER, Role.SOCIAL_WORKER,
                                  Role.FINANCE_OFFICER])
def test_only_those_who_run_the_board_may_ask_for_a_pack(la: Any, meeting: BoardMeeting, role: str,
                                                        printed: list) -> None:
    with pytest.raises(PermissionDenied):
        board_pack_request(local_authority=la, meeting=meeting, as_at=TODAY, by=make_user(la, role))
    assert not BoardPack.objects.exists()


def test_a_pack_is_refused_for_another_councils_meeting_or_the_future(la: Any, other_la: Any, manager: Any,
                                                                      printed: list) -> None:
    with pytest.raises(PermissionDenied):
        board_pack_request(local_authority=la, meeting=make_meeting(other_la), as_at=TODAY, by=manager)
    with pytest.raises(ValidationError):
        board_pack_request(local_authority=la, meeting=None, as_at=timezone.localdate() + timedelta(days=1),
                           by=manager)


def test_a_meeting_saved_from_a_stale_copy_is_refused(la: Any, manager: Any, meeting: BoardMeeting) -> None:
    seen = BoardMeeting.objects.get(pk=meeting.pk)
    board_meeting_update(meeting=meeting, held_on=date(2026, 12, 11), chair="New chair",
                         expected_version=meeting.version, by=manager)

    with pytest.raises(StaleVersionError):
        board_meeting_update(meeting=seen, held_on=date(2026, 12, 12), chair="Someone else",
                             expected_version=seen.version, by=manager)
    meeting.refresh_from_db()
    assert (meeting.held_on, meeting.chair) == (date(2026, 12, 11), "New chair")
