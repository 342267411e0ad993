"""The board pack: each section's figures on a small hand-built council, what it says when data is missing, the PDF
it prints (a real PDF, more than one page, not blank), and that it never names a child or shows a Hearth ID."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pypdfium2 as pdfium
import pytest

from hearth.improvement.board_pack import board_pack_context, board_pack_html, render_board_pack
from hearth.indicators import compute
from hearth.people.models import Person
from tests.factories import make_la
from tests.improvement.pack_factories import CHILD_FIRST, CHILD_LAST, Programme, build_programme
from tests.indicators.factories_dashboards import Measure, only_these, rec

AS_AT = date(2026, 11, 23)
MINUS = "\u2212"


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(compute, "today", lambda: AS_AT)


@pytest.fixture
def indicators() -> Iterator[None]:
    """Two of the board's measures, counting records made here (the real ones would read an empty council)."""
    assessments = Measure("assessments_45wd", title="Assessments completed within 45 working days",
                          numerator=[rec(None, date(2026, 10, d)) for d in range(1, 8)],
                          denominator=[rec(None, date(2026, 10, d)) for d in range(1, 11)])
    re_referrals = Measure("re_referrals_12m", title="Re-referrals within 12 months", polarity="low",
                           numerator=[rec(None, date(2026, 9, 3))],
                           denominator=[rec(None, date(2026, 9, d)) for d in range(1, 6)])
    with only_these(assessments, re_referrals):
        yield


@pytest.fixture
def programme(la: Any, indicators: None) -> Programme:
    return build_programme(la)


def test_each_section_has_its_figures(programme: Programme) -> None:
    ctx = board_pack_context(local_authority=programme.la, as_at=AS_AT, meeting=programme.meeting)

    assert ctx["title"] == "Improvement board pack — 10 December 2026"
    assert [s.key for s in ctx["sections"]] == ["summary", "plan", "impact", "workforce", "finance", "quality",
                                               "visits"]
    summary = ctx["summary"].data
    first_judgement = summary["judgements"][0]
    assert (first_judgement.area_key, first_judgement.grade_key) == ("overall", "inadequate")
    assert (summary["total"], summary["complete"], summary["overdue"]) == (4, 1, 2)
    assert dict((key, n) for _, key, n in summary["rag"]) == {"red": 1, "amber": 1, "green": 1, "blue": 1}
    messages = " ".join(summary["messages"])
    assert "Ofsted judged overall effectiveness inadequate" in messages
    assert "forecast overspend of £2,750,000 (4.2%) after 7 months" in messages
    assert "Funding ends within 3 months for 2 posts (2.0 FTE, £76,000 a year)" in messages
    assert "25.0% of 4 case audits in the last 6 months were good or better" in messages

    plan = ctx["plan"].data["areas"]
    assert [b.heading for b in plan] == ["Area for improvement 1", "Area for improvement 2"]
    first = plan[0].actions
    assert [(a.reference, a.overdue, a.rag) for a in first] == [("1.1", True, "Amber: at risk"),
                                                                ("1.2", False, "Green: on track")]
    assert first[0].evidence == 1 and first[1].indicators == ["Assessments completed within 45 working days"]
    assert [a.reference for a in plan[1].actions] == ["2.2", "2.1"]  # overdue first, complete last

    impact = ctx["impact"].data
    [block] = impact["blocks"]
    assert (block.title, block.latest) == ("Assessments completed within 45 working days", "70.0% in October 2026")
    [target] = block.targets
    assert (target.action, target.target, target.target_by, target.baseline) == (
        "1.2 Assessments completed within 45 working days", "85%", "Mar 2027", "58.0% (Jan 2025)")
    assert block.status == "Off track" and "<svg" in block.chart
    assert sum(len(row) for row in block.trend_rows) == 24
    key = {r.title: r for g in impact["key_groups"] for r in g.rows}
    assert key["Assessments completed within 45 working days"].value == "70.0%"
    assert key["Assessments completed within 45 working days"].status == "Off target"
    assert key["Re-referrals within 12 months"].value == "20.0%"

    workforce = ctx["workforce"].data
    three, _six, twelve = workforce["horizons"]
    assert (three.months, three.posts, three.annual_cost) == (3, 2, "£76,000")
    assert (twelve.posts, twelve.annual_cost) == (3, "£112,000")
    assert "Return home interviews" in three.indicators or "rhi_in_time" in three.indicators
    assert workforce["training"] == ["Restorative practice: 3 of 800 practitioners trained (0%)"]
    assert workforce["cohorts"][0]["on_programme"] == 1
    assert dict(workforce["establishment_rows"])["Posts on the establishment"] == "6"

    finance = ctx["finance"].data
    assert finance["year"] == "2026/27"
    assert finance["total"].cells[3] == "£2,750,000" and finance["total"].flag == "over"
    care_leavers = next(row for row in finance["lines"] if row.label == "Care leavers")
    assert care_leavers.cells[3] == f"{MINUS}£50,000" and care_leavers.cells[4] == f"{MINUS}1.2%"
    assert finance["reserves"][0].cells[0] == "£2,550,000"
    assert finance["grants"][0].cells[2:5] == ["£1,150,000", "£670,000", "£50,000"]

    quality = ctx["quality"].data
    assert quality["audits"].audits == 4 and quality["good_or_better"] == "25.0%"
    assert quality["themes"] == [("Drift and delay", 3)]
    assert "supervised workers had supervision in time" in quality["supervision_text"]

    [visit] = ctx["visits"].data["visits"]
    assert visit.dates == "4 March 2026 to 5 March 2026" and visit.areas == "1"


def test_each_section_says_so_when_its_data_is_absent(db: None, indicators: None) -> None:
    empty = make_la(name="Empty Council")
    ctx = board_pack_context(local_authority=empty, as_at=AS_AT)

    assert ctx["plan"].empty == "No actions recorded in the improvement plan."
    assert ctx["finance"].notes == ["No budget recorded for 2026/27."]
    assert ctx["visits"].empty == "No monitoring visits recorded."
    assert ctx["quality"].notes == ["No case audits submitted from 1 May 2026 to 31 October 2026."]
    assert ctx["summary"].data["judgements"] == []
    html = board_pack_html(local_authority=empty, as_at=AS_AT)
    for words in ("No budget recorded for 2026/27.", "No inspection recorded.", "No training courses recorded.",
                  "No reserves recorded.", "No monitoring visits recorded."):
        assert words in html


def test_the_pack_prints_as_a_pdf_of_several_pages_that_names_no_child(programme: Programme) -> None:
    pdf, pages = render_board_pack(local_authority=programme.la, as_at=AS_AT, meeting=programme.meeting)

    assert pdf.startswith(b"%PDF")
    document = pdfium.PdfDocument(pdf)
    assert len(document) == pages > 1
    # The cover is not a blank page: plenty of it is neither white nor near-white.
    image = document[0].render(scale=0.5).to_pil().convert("L")
    inked = sum(image.histogram()[:200])
    assert inked > image.width * image.height * 0.02
    text = " ".join(document[i].get_textpage().get_text_range() for i in range(len(document)))
    assert "Improvement board pack" in text and "Contents" in text and "Page 2 of" in text
    assert "£2,750,000" in text and "Drift and delay" in text
    people = Person.objects.filter(local_authority=programme.la)
    assert people.count() > 4
    for person in people:
        assert person.hearth_id not in text
        assert person.last_name not in text, person.last_name
    assert CHILD_FIRST not in text and CHILD_LAST not in text
