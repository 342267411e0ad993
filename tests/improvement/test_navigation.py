"""The improvement programme's own tab bar marks the section a page belongs to, board and self-evaluation
included (they are a second helper's pages joined into the same frame)."""

from __future__ import annotations

import lxml.html
import pytest

from hearth.improvement.models import SelfEvaluation
from tests.conftest import client_for
from tests.improvement.factories import make_meeting
from tests.improvement.plan_world import PlanWorld


def _current_tab(content: bytes) -> list[str]:
    tree = lxml.html.fromstring(content)
    nav = tree.xpath('//nav[@aria-label="Improvement programme"]')[0]
    current = nav.xpath('.//li[contains(@class, "hearth-record-nav__item--current")]')
    return [li.text_content().strip() for li in current]


@pytest.mark.parametrize(("url", "tab"), [
    ("/improvement/", "Overview"),
    ("/improvement/plan/", "Improvement plan"),
    ("/improvement/board/", "Improvement board"),
    ("/improvement/board/new/", "Improvement board"),
    ("/improvement/self-evaluation/", "Self-evaluation"),
])
def test_the_tab_bar_marks_the_section_of_the_page(w: PlanWorld, url: str, tab: str) -> None:
    response = client_for(w.improvement).get(url)
    assert response.status_code == 200
    assert _current_tab(response.content) == [tab]


def test_a_meeting_and_a_self_evaluation_are_under_their_own_tabs(w: PlanWorld) -> None:
    meeting = make_meeting(w.la)
    evaluation = SelfEvaluation(local_authority=w.la, title="Self-evaluation 2026", period_start=meeting.held_on,
                                period_end=meeting.held_on)
    evaluation.save(by="test")
    client = client_for(w.improvement)
    board = client.get(f"/improvement/board/{meeting.pk}/")
    assert _current_tab(board.content) == ["Improvement board"]
    page = client.get(f"/improvement/self-evaluation/{evaluation.pk}/")
    assert _current_tab(page.content) == ["Self-evaluation"]
