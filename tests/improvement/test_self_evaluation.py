"""The self-evaluation: the draft assembled from the data around Ofsted's three questions, and its pages (new,
edit with a version check, agree, list with a fixed number of queries)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest

from hearth.accounts.roles import Role
from hearth.improvement.models import SelfEvaluation
from hearth.improvement.self_evaluation import assemble_self_evaluation
from hearth.indicators import compute
from tests.conftest import client_for
from tests.factories import make_user
from tests.improvement.pack_factories import CHILD_FIRST, CHILD_LAST, Programme, build_programme
from tests.indicators.factories_dashboards import Measure, only_these, rec
from tests.queries import query_count

TODAY = date(2026, 11, 23)
START, END = date(2025, 11, 1), date(2026, 10, 31)


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(compute, "today", lambda: TODAY)


@pytest.fixture
def indicators() -> Iterator[None]:
    this_year = Measure("assessments_45wd", title="Assessments completed within 45 working days",
                        numerator=[rec(None, date(2026, 10, d)) for d in range(1, 8)]
                        + [rec(None, date(2025, 10, d)) for d in range(1, 6)],
                        denominator=[rec(None, date(2026, 10, d)) for d in range(1, 11)]
                        + [rec(None, date(2025, 10, d)) for d in range(1, 11)])
    with only_these(this_year):
        yield


@pytest.fixture
def programme(la: Any, indicators: None) -> Programme:
    return build_programme(la)


def test_the_draft_answers_the_three_questions_from_the_data(programme: Programme) -> None:
    draft = assemble_self_evaluation(local_authority=programme.la, period_start=START, period_end=END)

    assert set(draft) == {"quality_and_impact", "how_you_know", "plans"}
    quality = draft["quality_and_impact"]
    assert "4 case audits were completed: 25.0% were judged good or better" in quality
    assert "drift and delay (3)" in quality
    assert "1 key indicator improved (Assessments completed within 45 working days)" in quality
    assert "Assessments completed within 45 working days: 70.0%" in quality
    assert "Of the 1 indicator the improvement plan uses to show impact" in quality

    know = draft["how_you_know"]
    assert "1 monthly audit round and 4 completed audits" in know
    assert "supervised workers" in know
    assert "Ofsted monitoring visit, 4 March 2026 (Help and protection: the front door): Leaders have a better grip " \
           "on the front door." in know

    plans = draft["plans"]
    assert "The improvement plan has 3 open actions:" in plans
    assert "1.1 Recruit permanent managers to the front door — Hana Osei, due 30 September 2026 (overdue)" in plans
    assert "1.2 Assessments completed within 45 working days — Hana Osei, due 31 March 2027" in plans
    assert "2.1 Commission" not in plans  # complete
    assert "funding ends by 31 October 2027 for 3 posts (3.0 FTE, £112,000 a year)" in plans
    assert "Restorative practice: 3 of 800 practitioners trained (0%)" in plans
    assert "Apprentices 2025, 1 on programme, expected to qualify in August 2028" in plans

    for text in draft.values():
        assert CHILD_FIRST not in text and CHILD_LAST not in text


def test_starting_a_self_evaluation_assembles_the_draft_then_it_is_edited_and_agreed(programme: Programme) -> None:
    client = client_for(programme.manager)
    response = client.post("/improvement/self-evaluation/new/", {
        "title": "Self-evaluation 2026", "period_start_0": "1", "period_start_1": "11", "period_start_2": "2025",
        "period_end_0": "31", "period_end_1": "10", "period_end_2": "2026"})
    evaluation = SelfEvaluation.objects.get(local_authority=programme.la)
    assert response.status_code == 302 and response["Location"].endswith(f"/{evaluation.pk}/edit/")
    assert "4 case audits" in evaluation.quality_and_impact and evaluation.assembled_at is not None

    page = client.get(f"/improvement/self-evaluation/{evaluation.pk}/edit/")
    assert b"4 case audits" in page.content
    response = client.post(f"/improvement/self-evaluation/{evaluation.pk}/edit/", {
        "title": "Self-evaluation 2026", "quality_and_impact": "Our judgement: improving.",
        "how_you_know": "Audits.", "plans": "Keep the advocates.", "version": str(evaluation.version)})
    assert response.status_code == 302
    evaluation.refresh_from_db()
    assert evaluation.quality_and_impact == "Our judgement: improving."

    response = client.post(f"/improvement/self-evaluation/{evaluation.pk}/agree/",
                           {"version": str(evaluation.version)})
    evaluation.refresh_from_db()
    assert evaluation.status == SelfEvaluation.Status.AGREED
    assert client.get(f"/improvement/self-evaluation/{evaluation.pk}/edit/").status_code == 302


def _evaluation(la: Any, by: Any, n: int = 1) -> SelfEvaluation:
    evaluation = SelfEvaluation(local_authority=la, title=f"Self-evaluation {n}", period_start=START,
                                period_end=END, quality_and_impact="What we know.", how_you_know="How.",
                                plans="Plans.")
    evaluation.save(by=by)
    return evaluation


def test_a_stale_edit_is_refused_with_the_typing_kept(la: Any) -> None:
    writer = make_user(la, Role.IMPROVEMENT_MANAGER)
    evaluation = _evaluation(la, writer)
    loaded = evaluation.version
    evaluation.plans = "Someone else's plans."
    evaluation.save(by=writer)

    response = client_for(writer).post(f"/improvement/self-evaluation/{evaluation.pk}/edit/", {
        "title": "Mine", "quality_and_impact": "What I typed", "how_you_know": "", "plans": "My plans",
        "version": str(loaded)})
    assert response.status_code == 200
    assert b"Someone else saved changes" in response.content and b"What I typed" in response.content
    evaluation.refresh_from_db()
    assert evaluation.plans == "Someone else's plans." and evaluation.title == "Self-evaluation 1"


def test_a_period_that_ends_before_it_starts_is_refused_with_the_typing_kept(la: Any) -> None:
    writer = make_user(la, Role.DIRECTOR)
    response = client_for(writer).post("/improvement/self-evaluation/new/", {
        "title": "Back to front", "period_start_0": "1", "period_start_1": "11", "period_start_2": "2026",
        "period_end_0": "31", "period_end_1": "10", "period_end_2": "2026"})
    assert response.status_code == 200
    assert b"The end of the period must be the same as or after the start" in response.content
    assert b"Back to front" in response.content
    assert not SelfEvaluation.objects.exists()


@pytest.mark.parametrize(("role", "reads", "writes"), [
    (Role.IMPROVEMENT_MANAGER, True, True), (Role.SERVICE_MANAGER, True, True),
    (Role.PERFORMANCE_ANALYST, True, False), (Role.TEAM_MANAGER, False, False),
])
def test_who_may_read_and_write_the_self_evaluation(la: Any, role: str, reads: bool, writes: bool) -> None:
    evaluation = _evaluation(la, make_user(la, Role.DIRECTOR))
    client = client_for(make_user(la, role))
    assert client.get("/improvement/self-evaluation/").status_code == (200 if reads else 403)
    assert client.get(f"/improvement/self-evaluation/{evaluation.pk}/").status_code == (200 if reads else 403)
    assert client.get(f"/improvement/self-evaluation/{evaluation.pk}/edit/").status_code == (200 if writes else 403)
    assert client.get("/improvement/self-evaluation/new/").status_code == (200 if writes else 403)


def test_the_list_reads_the_same_number_of_queries_for_few_and_many(la: Any) -> None:
    writer = make_user(la, Role.IMPROVEMENT_MANAGER)
    client = client_for(writer)
    _evaluation(la, writer)
    few = query_count(lambda: client.get("/improvement/self-evaluation/"))
    for n in range(2, 8):
        _evaluation(la, writer, n)
    assert query_count(lambda: client.get("/improvement/self-evaluation/")) == few


def test_the_self_evaluation_prints_as_a_pdf(la: Any) -> None:
    writer = make_user(la, Role.IMPROVEMENT_MANAGER)
    evaluation = _evaluation(la, writer)
    response = client_for(writer).get(f"/improvement/self-evaluation/{evaluation.pk}/pdf/")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert response["Content-Disposition"] == 'inline; filename="self-evaluation-2026-10-31.pdf"'


def test_each_section_is_shown_as_body_text_with_its_paragraphs(la: Any) -> None:
    """The sections are read on screen every day: GOV.UK body text (not the browser's small default), with
    the blank lines between paragraphs kept."""
    import lxml.html

    writer = make_user(la, Role.IMPROVEMENT_MANAGER)
    evaluation = _evaluation(la, writer)
    evaluation.quality_and_impact = "First paragraph.\n\nSecond paragraph."
    evaluation.save(by=writer)
    tree = lxml.html.fromstring(client_for(writer).get(f"/improvement/self-evaluation/{evaluation.pk}/").content)
    for text in ("First paragraph.\n\nSecond paragraph.", "How.", "Plans."):
        holder = tree.xpath(f'//div[normalize-space(.)=normalize-space("{text}")]')[0]
        assert {"govuk-body", "hearth-preserve-lines"} <= set(holder.get("class").split())
        assert holder.text_content() == text
