"""``interview_outcome``: the one reading of a return interview as offered / accepted, for the child's summary
and for Annex A List 8."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from hearth.missing.codes import InterviewResponse
from hearth.missing.models import ReturnInterview
from hearth.missing.selectors import interview_outcome

WHEN = datetime(2025, 5, 2, 9, tzinfo=UTC)


@pytest.mark.parametrize(("fields", "expected"), [
    ({}, (False, False)),
    ({"offered_at": WHEN}, (True, False)),
    ({"offered_at": WHEN, "response": InterviewResponse.DECLINED}, (True, False)),
    ({"offered_at": WHEN, "response": InterviewResponse.ACCEPTED}, (True, True)),
    # Held without a recorded answer: the child took part, so it was accepted.
    ({"completed_at": WHEN}, (False, True)),
])
def test_offered_and_accepted(fields: dict[str, object], expected: tuple[bool, bool]) -> None:
    assert interview_outcome(ReturnInterview(**fields)) == expected


def test_no_interview_says_nothing() -> None:
    assert interview_outcome(None) == (None, None)
