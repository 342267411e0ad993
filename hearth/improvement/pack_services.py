"""Writes for the improvement board and the self-evaluation: meetings, asking for a board pack (made in the
background by ``tasks.generate_board_pack``), and the self-evaluation's drafts.

Keyword-only, one transaction each, the acting user explicit. Meetings and self-evaluations are audited and
version-checked; a board pack is a generated document kept unchanged, its request and outcome on its own row.
"""

from __future__ import annotations

import hashlib
import logging
import time
from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from hearth.tenancy.models import LocalAuthority

from .models import BoardMeeting, BoardPack, SelfEvaluation

if TYPE_CHECKING:
    from hearth.accounts.models import User

logger = logging.getLogger(__name__)

STALLED_AFTER = timedelta(minutes=30)
STALLED_MESSAGE = ("This board pack stopped without finishing, probably because Hearth was restarted while it was "
                   "being made. Nothing was lost: generate it again.")
UNDER_WAY_STATUSES = (BoardPack.Status.QUEUED, BoardPack.Status.RUNNING)


class PackUnderWay(ValidationError):
    """The council already has a board pack being made: one at a time (each holds a worker for a while)."""

    def __init__(self, pack: BoardPack):
        self.pack = pack
        super().__init__("A board pack is already being generated for the council. Wait for it to finish, then "
                         "try again.")


def _check(by: User, perm: str, local_authority_id: int, obj: Model | None = None) -> None:
    if by.local_authority_id != local_authority_id or not by.has_perm(perm, obj) or by.is_superuser:
        raise PermissionDenied


# ------------------------------------------------------------------------------------------------ meetings

def _meeting_fields(*, held_on: date | None, chair: str, location: str) -> None:
    errors = {}
    if held_on is None:
        errors["held_on"] = "Enter the date of the meeting"
    if len(chair) > 150:
        errors["chair"] = "The chair's name must be 150 characters or fewer"
    if len(location) > 150:
        errors["location"] = "Where the meeting is held must be 150 characters or fewer"
    if errors:
        raise ValidationError(errors)


def board_meeting_create(*, local_authority: LocalAuthority, held_on: date, chair: str = "", location: str = "",
                         agenda: str = "", minutes: str = "", decisions: str = "", by: User) -> BoardMeeting:
    _check(by, "improvement.manage_board", local_authority.pk)
    _meeting_fields(held_on=held_on, chair=chair, location=location)
    with transaction.atomic():
        meeting = BoardMeeting(local_authority=local_authority, held_on=held_on, chair=chair.strip(),
                               location=location.strip(), agenda=agenda.strip(), minutes=minutes.strip(),
                               decisions=decisions.strip())
        meeting.save(by=by)
    return meeting


def board_meeting_update(*, meeting: BoardMeeting, held_on: date, chair: str = "", location: str = "",
                         agenda: str = "", minutes: str = "", decisions: str = "", expected_version: int,
                         by: User) -> BoardMeeting:
    """Raises StaleVersionError when someone saved the meeting after ``expected_version`` was read."""
    _check(by, "improvement.manage_board", meeting.local_authority_id)
    _meeting_fields(held_on=held_on, chair=chair, location=location)
    with transaction.atomic():
        meeting.version = expected_version
        meeting.held_on, meeting.chair, meeting.location = held_on, chair.strip(), location.strip()
        meeting.agenda, meeting.minutes, meeting.decisions = agenda.strip(), minutes.strip(), decisions.strip()
        meeting.save(by=by)
    return meeting


# ------------------------------------------------------------------------------------------------ board packs

def is_stalled(pack: BoardPack) -> bool:
    return pack.status in UNDER_WAY_STATUSES and timezone.now() - pack.requested_at > STALLED_AFTER


def _stop_stalled(*, local_authority_id: int) -> int:
    """Mark as failed the council's packs under way far longer than any pack takes: their worker has gone, and
    they would otherwise refuse every new pack for ever."""
    cutoff = timezone.now() - STALLED_AFTER
    return BoardPack.objects.filter(local_authority_id=local_authority_id, status__in=UNDER_WAY_STATUSES,
                                    requested_at__lt=cutoff).update(
        status=BoardPack.Status.FAILED, error=STALLED_MESSAGE, finished_at=timezone.now())


def board_pack_stop_if_stalled(*, pack: BoardPack) -> BoardPack:
    """A meeting page looked at long after the worker died says so, instead of polling for ever."""
    if is_stalled(pack):
        with transaction.atomic():
            _stop_stalled(local_authority_id=pack.local_authority_id)
        pack.refresh_from_db(fields=["status", "error", "finished_at"])
    return pack


def board_pack_request(*, local_authority: LocalAuthority, meeting: BoardMeeting | None, as_at: date,
                       by: User) -> BoardPack:
    """Record that a board pack has been asked for and queue ``tasks.generate_board_pack`` to make it (once the
    request is committed). Refused while another pack for the council is queued or being made."""
    _check(by, "improvement.manage_board", local_authority.pk)
    if meeting is not None and meeting.local_authority_id != local_authority.pk:
        raise PermissionDenied
    if as_at > timezone.localdate():
        raise ValidationError({"as_at": "The pack can only show figures up to today"})
    with transaction.atomic():
        # One request at a time per council (a row lock where the database has them), so two clicks or two
        # people cannot both pass the check below.
        LocalAuthority.objects.select_for_update().filter(pk=local_authority.pk).first()
        _stop_stalled(local_authority_id=local_authority.pk)
        under_way = (BoardPack.objects.filter(local_authority=local_authority, status__in=UNDER_WAY_STATUSES)
                     .defer("error").order_by("requested_at", "pk").first())
        if under_way is not None:
            raise PackUnderWay(under_way)
        pack = BoardPack.objects.create(local_authority=local_authority, meeting=meeting, requested_by=by,
                                        requested_at=timezone.now(), as_at=as_at, status=BoardPack.Status.QUEUED)
        from .tasks import generate_board_pack

        transaction.on_commit(lambda: generate_board_pack.enqueue(pack.pk))
    return pack


def pack_filename(pack: BoardPack) -> str:
    """``improvement-board-pack-2026-12-10.pdf``: the meeting's day, or the day the data is as at."""
    day = pack.meeting.held_on if pack.meeting_id and pack.meeting else pack.as_at
    return f"improvement-board-pack-{day:%Y-%m-%d}.pdf"


def failure_message(pack: BoardPack) -> str:
    return (f"The board pack could not be made because of a fault in Hearth. Try again; if it fails again, tell "
            f"your system administrator, quoting board pack {pack.pk}.")


def board_pack_generate(*, pack: BoardPack) -> BoardPack:
    """Make a requested pack: render it, store the PDF with its page count and checksum. A failure is recorded
    in plain words (never the exception's text or a traceback: they could quote a record)."""
    from .board_pack import render_board_pack

    started = time.perf_counter()
    pack.status = BoardPack.Status.RUNNING
    pack.save(update_fields=["status"])
    try:
        meeting = pack.meeting
        pdf, pages = render_board_pack(local_authority=pack.local_authority, as_at=pack.as_at, meeting=meeting)
        with transaction.atomic():
            pack.pdf.save(pack_filename(pack), ContentFile(pdf), save=False)
            pack.pages = pages
            pack.sha256 = hashlib.sha256(pdf).hexdigest()
            pack.status = BoardPack.Status.READY
            pack.finished_at = timezone.now()
            pack.error = ""
            pack.save()
    except Exception as error:
        pack.status = BoardPack.Status.FAILED
        pack.error = failure_message(pack)
        pack.finished_at = timezone.now()
        pack.save(update_fields=["status", "error", "finished_at"])
        logger.error("Board pack %s failed: %s", pack.pk, type(error).__name__)
        return pack
    logger.info("Board pack %s: %s pages in %.1fs", pack.pk, pack.pages, time.perf_counter() - started)
    return pack


def board_pack_opened(*, pack: BoardPack, user: User) -> None:
    """Who opened a pack. The pack holds no personal data, so there is no access-log entry to write (that log
    is per child); the application log keeps the ids."""
    logger.info("Board pack %s opened by user %s", pack.pk, user.pk)


# ------------------------------------------------------------------------------------------------ self-evaluation

TITLE_MAX = 150


def _period(*, period_start: date | None, period_end: date | None) -> None:
    errors = {}
    if period_start is None:
        errors["period_start"] = "Enter the start of the period"
    if period_end is None:
        errors["period_end"] = "Enter the end of the period"
    if period_start and period_end:
        if period_end < period_start:
            errors["period_end"] = "The end of the period must be the same as or after the start"
        elif period_end > timezone.localdate():
            errors["period_end"] = "The end of the period must be today or in the past"
    if errors:
        raise ValidationError(errors)


def _title(title: str) -> str:
    title = title.strip()
    if not title:
        raise ValidationError({"title": "Enter a title for the self-evaluation"})
    if len(title) > TITLE_MAX:
        raise ValidationError({"title": f"The title must be {TITLE_MAX} characters or fewer"})
    return title


def self_evaluation_create(*, local_authority: LocalAuthority, title: str, period_start: date, period_end: date,
                           by: User) -> SelfEvaluation:
    """A new self-evaluation with its three sections drafted from the data for the period."""
    from .self_evaluation import assemble_self_evaluation

    _check(by, "improvement.edit_self_evaluation", local_authority.pk)
    title = _title(title)
    _period(period_start=period_start, period_end=period_end)
    draft = assemble_self_evaluation(local_authority=local_authority, period_start=period_start,
                                     period_end=period_end)
    with transaction.atomic():
        evaluation = SelfEvaluation(local_authority=local_authority, title=title, period_start=period_start,
                                    period_end=period_end, assembled_at=timezone.now(), **draft)
        evaluation.save(by=by)
    return evaluation


def _editable(evaluation: SelfEvaluation) -> None:
    if evaluation.status == SelfEvaluation.Status.AGREED:
        raise ValidationError("This self-evaluation has been agreed and can no longer be changed. Start a new one "
                              "for the next period.")


def self_evaluation_update(*, evaluation: SelfEvaluation, title: str, quality_and_impact: str, how_you_know: str,
                           plans: str, expected_version: int, by: User) -> SelfEvaluation:
    _check(by, "improvement.edit_self_evaluation", evaluation.local_authority_id)
    _editable(evaluation)
    title = _title(title)
    with transaction.atomic():
        evaluation.version = expected_version
        evaluation.title = title
        evaluation.quality_and_impact = quality_and_impact.strip()
        evaluation.how_you_know = how_you_know.strip()
        evaluation.plans = plans.strip()
        evaluation.save(by=by)
    return evaluation


def self_evaluation_reassemble(*, evaluation: SelfEvaluation, expected_version: int, by: User) -> SelfEvaluation:
    """Draft the three sections again from the data (replacing what is written)."""
    from .self_evaluation import assemble_self_evaluation

    _check(by, "improvement.edit_self_evaluation", evaluation.local_authority_id)
    _editable(evaluation)
    draft = assemble_self_evaluation(local_authority=evaluation.local_authority,
                                     period_start=evaluation.period_start, period_end=evaluation.period_end)
    with transaction.atomic():
        evaluation.version = expected_version
        for name, text in draft.items():
            setattr(evaluation, name, text)
        evaluation.assembled_at = timezone.now()
        evaluation.save(by=by)
    return evaluation


def self_evaluation_agree(*, evaluation: SelfEvaluation, expected_version: int, by: User) -> SelfEvaluation:
    _check(by, "improvement.edit_self_evaluation", evaluation.local_authority_id)
    _editable(evaluation)
    from .self_evaluation import SECTIONS, question

    missing = [question(name) for name in SECTIONS if not getattr(evaluation, name).strip()]
    if missing:
        raise ValidationError(f"Write every section before agreeing it: “{missing[0]}” is empty.")
    with transaction.atomic():
        evaluation.version = expected_version
        evaluation.status = SelfEvaluation.Status.AGREED
        evaluation.save(by=by)
    return evaluation

